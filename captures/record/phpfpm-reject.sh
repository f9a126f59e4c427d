#!/bin/bash
# mpx_client.py -> php-fpm 8.2 on 127.0.0.1:9009 (issue 9):
#   conn 1: GET /edge.php?case=split-pair whose PARAMS stream is cut into two
#           PARAMS records inside the SCRIPT_FILENAME value (a name-value
#           pair split across records, which the spec allows; REQUEST_METHOD,
#           REQUEST_URI and SCRIPT_NAME are complete in the first record);
#           php-fpm parses each PARAMS record on its own, fails, and closes
#           the connection before the stream ends: no STDOUT, no END_REQUEST
#   conn 2: GET /edge.php?case=whole, the same request with the pairs in
#           one PARAMS record: completed normally (200)
#   conn 3: GET /edge.php?case=split-uri, cut inside the REQUEST_URI value:
#           rejected the same way
. "$(dirname "$0")/common.sh"
setup_run phpfpm-reject
FCGI_PORT=9009

start_phpfpm $FCGI_PORT
start_capture $FCGI_PORT

raw_client splitpair $FCGI_PORT "$DOCROOT/edge.php" '/edge.php?case=split-pair'
raw_client request   $FCGI_PORT "$DOCROOT/edge.php" '/edge.php?case=whole'     # 200
raw_client splitpair $FCGI_PORT "$DOCROOT/edge.php" '/edge.php?case=split-uri' REQUEST_URI

stop_capture
