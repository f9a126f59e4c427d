#!/bin/sh
# The Debian 13 chroot with Wireshark 4.4: test/ws-chroot.sh 4.4 (see there).
exec "$(dirname "$0")/ws-chroot.sh" 4.4 "$@"
