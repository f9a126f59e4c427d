#!/bin/sh
# fuzz/tshark-run.sh: test/tshark-plugin.sh for the fuzzers.  Runs tshark
# with the fcgi plugin of a build folder loaded (as user nobody when root,
# since tshark ignores WIRESHARK_PLUGIN_DIR for root), optionally under a
# wrapper such as valgrind:
#
#   FCGI_TSHARK_PREFIX="valgrind --error-exitcode=99" fuzz/tshark-run.sh -r F -V
#
# FCGI_BUILD_DIR  build folder with plugins/<maj.min>/epan/fcgi.so (default: build)
# FCGI_STAGE_DIR  private staging folder (default: /tmp/fcgi-fuzz-stage.<uid>)
# FCGI_TSHARK_PREFIX  command words put before tshark (split on blanks)
#
# The environment is passed on (setpriv and env keep it), so exported
# WIRESHARK_ABORT_ON_DISSECTOR_BUG, WIRESHARK_DEBUG_WMEM_OVERRIDE, G_SLICE
# reach tshark.  Files given to tshark must be readable by nobody.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${FCGI_BUILD_DIR:-$here/build}
stage=${FCGI_STAGE_DIR:-/tmp/fcgi-fuzz-stage.$(id -u)}
prefix=${FCGI_TSHARK_PREFIX:-}

src=$(find "$build/plugins" -name fcgi.so 2>/dev/null | head -n 1)
[ -n "$src" ] || { echo "tshark-run.sh: no fcgi.so under $build/plugins; build first" >&2; exit 2; }
rel=${src#"$build/plugins/"}
plugins="$stage/plugins"
mkdir -p "$plugins/$(dirname "$rel")" "$stage/home"
# Copy only when changed, atomically, so parallel runs never see half a file.
if ! cmp -s "$src" "$plugins/$rel"; then
    cp "$src" "$plugins/$rel.tmp.$$" && mv -f "$plugins/$rel.tmp.$$" "$plugins/$rel"
fi
chmod -R a+rX "$stage" 2>/dev/null || true
chmod 1777 "$stage/home"

# shellcheck disable=SC2086  # the prefix is a word list on purpose
if [ "$(id -u)" = 0 ]; then
    exec setpriv --reuid=65534 --regid=65534 --clear-groups \
        env HOME="$stage/home" WIRESHARK_PLUGIN_DIR="$plugins" $prefix tshark "$@"
fi
exec env HOME="$stage/home" WIRESHARK_PLUGIN_DIR="$plugins" $prefix tshark "$@"
