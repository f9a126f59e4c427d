#!/bin/bash
# nginx 1.22 -> php-fpm 8.2 over TCP 127.0.0.1:9000 (php-fpm's default port).
# nginx default: no upstream keepalive, so one FastCGI connection per request.
. "$(dirname "$0")/common.sh"
setup_run nginx-phpfpm
FCGI_PORT=9000
HTTP_PORT=8080

start_phpfpm $FCGI_PORT
start_nginx $HTTP_PORT "$(nginx_php_location 127.0.0.1:$FCGI_PORT)"
start_capture $FCGI_PORT

http GET  '/index.php?name=abc'                                   # 200
http GET  '/json.php'                                             # 200
http POST '/form.php' --data 'name=alice&age=30'                  # 200 (x-www-form-urlencoded)
http GET  '/redirect.php'                                         # 302
http GET  '/notfound.php'                                         # 404
http GET  '/stderr500.php'                                        # 500 + FCGI_STDERR

stop_capture
