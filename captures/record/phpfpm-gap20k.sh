#!/bin/bash
# nginx (upstream keepalive) -> php-fpm on 127.0.0.1:9007: ONE connection
# carrying a 20000-byte response and then 2 more requests.  Then a copy with
# the segment that holds the first FCGI_STDOUT record (the CGI headers)
# removed (editcap), as if it had not been captured (issue 9).
#   captures/phpfpm-gap20k.pcap          the recording
#   captures/phpfpm-gap20k-nohdr.pcap    the same without that segment
. "$(dirname "$0")/common.sh"
setup_run phpfpm-gap20k
FCGI_PORT=9007
HTTP_PORT=8087

start_phpfpm $FCGI_PORT
start_nginx_keepalive $HTTP_PORT $FCGI_PORT
start_capture $FCGI_PORT

http GET '/stream.php?bytes=20000'                                # 200, 20000 bytes, streamed
http GET '/index.php?name=after-gap'                              # 200
http GET '/json.php?n=3'                                          # 200

stop_nginx
stop_capture
python3 "$REC_DIR/gapcut.py" first-stdout --port $FCGI_PORT --request 1 \
    "$CAP_FILE" "$CAP_OUT/phpfpm-gap20k-nohdr.pcap"
