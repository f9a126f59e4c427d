#!/bin/bash
# The HTTP client hangs up mid-request: curl --max-time 1 -> nginx -> php-fpm on
# 127.0.0.1:9010 running /slow.php (first line flushed at once, the rest after
# 2.5 s).  nginx (fastcgi_ignore_client_abort off, the default) gives up on
# the upstream request when the client goes away, before FCGI_END_REQUEST.
#   conn 1: nginx without upstream keepalive (FCGI_KEEP_CONN clear)
#   conn 2: nginx with upstream keepalive (FCGI_KEEP_CONN set)
#   conn 3: a normal request through the keepalive nginx afterwards
. "$(dirname "$0")/common.sh"
setup_run nginx-abort
FCGI_PORT=9010

start_phpfpm $FCGI_PORT
HTTP_PORT=8090
start_nginx $HTTP_PORT "$(nginx_php_location 127.0.0.1:$FCGI_PORT)"
NGINX_PLAIN_PID=$NGINX_PID
HTTP_PORT=8091
start_nginx_keepalive $HTTP_PORT $FCGI_PORT
start_capture $FCGI_PORT

HTTP_PORT=8090 http_abort '/slow.php?ms=2500' 1                   # client gives up
sleep 2.5                                                         # script ends
HTTP_PORT=8091 http_abort '/slow.php?ms=2500' 1                   # same, keepalive upstream
sleep 2.5
HTTP_PORT=8091 http GET '/index.php?name=after-abort'             # 200

stop_nginx                      # keepalive nginx: closes its idle upstream conn
NGINX_PID=$NGINX_PLAIN_PID stop_nginx
stop_capture
