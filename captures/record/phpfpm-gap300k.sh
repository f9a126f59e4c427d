#!/bin/bash
# nginx (upstream keepalive) -> php-fpm on 127.0.0.1:9008: ONE connection
# carrying a 300000-byte response and then 2 more requests.  Then a copy with
# one segment in the middle of the response removed (editcap) such that a
# record is cut: the segment after the gap starts inside a record's content
# and the next record header is not at a segment start (issue 9).
#   captures/phpfpm-gap300k.pcap         the recording
#   captures/phpfpm-gap300k-cut.pcap     the same without that segment
. "$(dirname "$0")/common.sh"
setup_run phpfpm-gap300k
FCGI_PORT=9008
HTTP_PORT=8088

start_phpfpm $FCGI_PORT
start_nginx_keepalive $HTTP_PORT $FCGI_PORT
start_capture $FCGI_PORT

http GET '/sized.php?bytes=300000'                                # 200, 300000 bytes
http GET '/index.php?name=after-cut'                              # 200
http GET '/json.php?n=3'                                          # 200

stop_nginx
stop_capture
python3 "$REC_DIR/gapcut.py" mid-record --port $FCGI_PORT --request 1 \
    "$CAP_FILE" "$CAP_OUT/phpfpm-gap300k-cut.pcap"
