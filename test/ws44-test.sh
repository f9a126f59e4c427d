#!/bin/sh
# The whole suite against Wireshark 4.4: test/ws-test.sh 4.4 (see there).
exec "$(dirname "$0")/ws-test.sh" 4.4 "$@"
