#!/bin/bash
# The HTTP client hangs up mid-request: curl --max-time 1 -> lighttpd 1.4
# mod_fastcgi -> php-cgi (spawn-fcgi) on 127.0.0.1:9013 running /slow.php
# (first line flushed at once, the rest after 2.5 s); then a normal request.
. "$(dirname "$0")/common.sh"
setup_run lighttpd-abort
FCGI_PORT=9013
HTTP_PORT=8094

start_phpcgi $FCGI_PORT
start_lighttpd $HTTP_PORT $FCGI_PORT
start_capture $FCGI_PORT

http_abort '/slow.php?ms=2500' 1                                  # client gives up
sleep 2.5                                                         # script ends
http GET '/index.php?name=after-abort'                            # 200

stop_capture
