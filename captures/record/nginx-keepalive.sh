#!/bin/bash
# nginx upstream keepalive (keepalive 4; fastcgi_keep_conn on;) -> php-fpm on
# 127.0.0.1:9003: 14 sequential requests share ONE FastCGI connection, all
# with request id 1 and FCGI_KEEP_CONN set.
. "$(dirname "$0")/common.sh"
setup_run nginx-keepalive
FCGI_PORT=9003
HTTP_PORT=8083

start_phpfpm $FCGI_PORT
start_nginx_keepalive $HTTP_PORT $FCGI_PORT
start_capture $FCGI_PORT

for n in 1 2 3 4 5 6 7 8 9 10; do
    http GET "/index.php?name=$n"                                 # 200
done
http GET  '/json.php?page=2'                                      # 200
http POST '/form.php' --data 'name=dave&age=51'                   # 200
http GET  '/redirect.php'                                         # 302
http GET  '/notfound.php'                                         # 404

stop_nginx
stop_capture
