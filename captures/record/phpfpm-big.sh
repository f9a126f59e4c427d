#!/bin/bash
# nginx -> php-fpm on 127.0.0.1:9005: a 200000-byte response (many FCGI_STDOUT
# records, records spanning TCP segments) and a gzip-encoded response.
. "$(dirname "$0")/common.sh"
setup_run phpfpm-big
FCGI_PORT=9005
HTTP_PORT=8085

start_phpfpm $FCGI_PORT
start_nginx $HTTP_PORT "$(nginx_php_location 127.0.0.1:$FCGI_PORT)"
start_capture $FCGI_PORT

http GET '/big.php'                                               # 200, 200000 bytes
http GET '/gzip.php' -H 'Accept-Encoding: gzip'                   # 200, Content-Encoding: gzip

stop_capture
