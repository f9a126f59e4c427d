#!/bin/bash
# Reference libfcgi client cgi-fcgi -> fcgiwrap (spawn-fcgi) on 127.0.0.1:9002
# running the shell CGI scripts in www/.  One connection per request.
. "$(dirname "$0")/common.sh"
setup_run cgifcgi-fcgiwrap
FCGI_PORT=9002

start_fcgiwrap $FCGI_PORT
start_capture $FCGI_PORT

cgi_fcgi $FCGI_PORT GET  hello.sh  'x=1&y=two'                    # 200
cgi_fcgi $FCGI_PORT GET  stderr.sh ''                             # 500 + FCGI_STDERR
cgi_fcgi $FCGI_PORT POST echo.sh   '' 'name=carol&age=7'          # 200, body echoed

stop_capture
