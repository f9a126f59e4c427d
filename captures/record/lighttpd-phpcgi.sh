#!/bin/bash
# lighttpd 1.4 mod_fastcgi -> php-cgi 8.2 spawned by spawn-fcgi, TCP
# 127.0.0.1:9012: healthy traffic (one FastCGI connection per request).
. "$(dirname "$0")/common.sh"
setup_run lighttpd-phpcgi
FCGI_PORT=9012
HTTP_PORT=8092

start_phpcgi $FCGI_PORT
start_lighttpd $HTTP_PORT $FCGI_PORT
start_capture $FCGI_PORT

http GET  '/index.php?name=lighttpd'                              # 200
http GET  '/json.php?x=1'                                         # 200
http POST '/form.php' --data 'name=erin&age=28'                   # 200
http GET  '/redirect.php'                                         # 302
http GET  '/stderr500.php'                                        # 500 + FCGI_STDERR
http GET  '/sized.php?bytes=100000'                               # 200, 100000 bytes

stop_capture
