#!/bin/bash
# Apache 2.4 mod_proxy_fcgi -> php-fpm 8.2 over TCP 127.0.0.1:9001.
. "$(dirname "$0")/common.sh"
setup_run apache-phpfpm
FCGI_PORT=9001
HTTP_PORT=8081

start_phpfpm $FCGI_PORT
start_apache $HTTP_PORT $FCGI_PORT
start_capture $FCGI_PORT

http GET  '/index.php?name=apache'                                # 200
http GET  '/json.php?x=1&y=2'                                     # 200
http POST '/form.php' --data 'name=bob&age=42&city=Paris'         # 200
http GET  '/notfound.php'                                         # 404

stop_capture
