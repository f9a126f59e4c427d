#!/bin/bash
# mpx_client.py -> Go net/http/fcgi (record/gofcgi) on 127.0.0.1:9004, ONE
# connection: FCGI_GET_VALUES (id 0), then requests 1, 2, 3 interleaved
# (BEGIN/PARAMS/STDIN records mixed, FCGI_KEEP_CONN set), an unknown record
# type 20 (Go answers FCGI_UNKNOWN_TYPE), responses in completion order 2,3,1.
. "$(dirname "$0")/common.sh"
setup_run go-multiplex
FCGI_PORT=9004

start_gofcgi $FCGI_PORT
start_capture $FCGI_PORT

raw_client mpx $FCGI_PORT

stop_capture
