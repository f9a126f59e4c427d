#!/bin/sh
# The whole suite against Wireshark 4.6: test/ws-test.sh 4.6 (see there).
exec "$(dirname "$0")/ws-test.sh" 4.6 "$@"
