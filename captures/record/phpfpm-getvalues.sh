#!/bin/bash
# mpx_client.py -> php-fpm on 127.0.0.1:9006, management records:
#   conn 1: FCGI_GET_VALUES (FCGI_MAX_CONNS, FCGI_MAX_REQS, FCGI_MPXS_CONNS)
#           -> FCGI_GET_VALUES_RESULT (php-fpm only knows FCGI_MPXS_CONNS=0),
#           then GET /index.php?name=raw on the same connection (200), after
#           which php-fpm closes the connection (no FCGI_KEEP_CONN)
#   conn 2: a record of unknown type 20 (id 0): php-fpm does NOT answer
#           FCGI_UNKNOWN_TYPE, it resets the connection (RST)
. "$(dirname "$0")/common.sh"
setup_run phpfpm-getvalues
FCGI_PORT=9006

start_phpfpm $FCGI_PORT
start_capture $FCGI_PORT

raw_client getvalues $FCGI_PORT "$DOCROOT/index.php" '/index.php?name=raw'   # 200
raw_client unknown   $FCGI_PORT

stop_capture
