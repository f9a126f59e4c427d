#!/bin/sh
# Runs tshark with the fcgi plugin from the build tree loaded, or with no
# plugin at all (--builtin), the way a user's Wireshark would load it.
#
#   test/tshark-plugin.sh [--builtin] TSHARK-ARGS...
#
# tshark ignores WIRESHARK_PLUGIN_DIR when run as root, so as root it runs
# as user nobody; files passed to it must then be readable by nobody.
# FCGI_BUILD_DIR names the build folder (default: build).  FCGI_TSHARK_HOME
# names the HOME tshark runs with (default: a home of the staging folder),
# e.g. one whose .config/wireshark holds a preferences file.
# FCGI_STAGED=1 skips the staging (find, cmp, copy, chmod) that an earlier
# run did, so a timed run starts the same processes with and without the
# plugin (staging costs ~30 ms of CPU, and only with the plugin).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${FCGI_BUILD_DIR:-$here/build}
stage=${FCGI_STAGE_DIR:-/tmp/fcgi-plugin-stage.$(id -u)}

plugins="$stage/plugins"
if [ "${1:-}" = "--builtin" ]; then
    shift
    plugins="$stage/no-plugins"
fi
# Staging (skipped with FCGI_STAGED=1): the plugin folder, or an empty one
# for --builtin, and a HOME, all readable by nobody.
if [ "${FCGI_STAGED:-}" != 1 ]; then
    if [ "$plugins" = "$stage/no-plugins" ]; then
        mkdir -p "$plugins"
    else
        src=$(find "$build/plugins" -name fcgi.so | head -n 1)
        [ -n "$src" ] || { echo "tshark-plugin.sh: no fcgi.so under $build/plugins; build first" >&2; exit 2; }
        rel=${src#"$build/plugins/"}
        mkdir -p "$plugins/$(dirname "$rel")"
        # Copy only when changed, atomically, so parallel runs never see half a file.
        if ! cmp -s "$src" "$plugins/$rel"; then
            cp "$src" "$plugins/$rel.tmp.$$" && mv -f "$plugins/$rel.tmp.$$" "$plugins/$rel"
        fi
    fi
    mkdir -p "$stage/home"
    chmod -R a+rX "$stage"
    chmod 1777 "$stage/home"
fi

home=${FCGI_TSHARK_HOME:-$stage/home}

if [ "$(id -u)" = 0 ]; then
    exec setpriv --reuid=65534 --regid=65534 --clear-groups \
        env HOME="$home" WIRESHARK_PLUGIN_DIR="$plugins" tshark "$@"
fi
exec env HOME="$home" WIRESHARK_PLUGIN_DIR="$plugins" tshark "$@"
