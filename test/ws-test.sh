#!/bin/bash
# ws-test.sh - build the plugin against Wireshark 4.4 or 4.6 and run the whole
# test suite there, from nothing (run as root on the host):
#
#   test/ws-test.sh 4.4|4.6 [PYTEST-ARGS...]
#
# 1. test/ws-chroot.sh VERSION setup: creates the Debian chroot of that
#    release (4.4: Debian 13; 4.6: Debian sid; with cmake, gcc,
#    python3-pytest) if it is missing; a no-op when it is ready.
# 2. Copies this source tree (the files git knows of plus untracked ones not
#    ignored, as they are in the working tree; without git: everything except
#    build*/ and .git) into CHROOT/src/fcgi, fresh each run.
# 3. Configures and builds it inside the chroot in src/fcgi/build (the build
#    folder tools/test.sh and docs/gen_fields.py use by default) with
#    -DFCGI_WERROR=ON, and reports the number of compiler warnings.
# 4. Runs `python3 -m pytest -q -ra test` inside the chroot (tshark runs as
#    user nobody through test/tshark-plugin.sh; the live Unix-socket test
#    skips, the chroot has neither nginx nor php-fpm8.2).
#
# Exit status: pytest's (0 = every test passed); 1 if the build fails, 2 on a
# usage or setup error.  Environment: WS44_ROOT, WS46_ROOT (see
# test/ws-chroot.sh).
# Runs of this script against the same chroot are serialised with a lock.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=${1:-}
case $version in
    4.4|4.6) shift ;;
    *) echo "usage: test/ws-test.sh 4.4|4.6 [PYTEST-ARGS...]" >&2; exit 2 ;;
esac
tag=ws${version/./}
chroot_sh() { "$here/test/ws-chroot.sh" "$version" "$@"; }
readonly SRC=/src/fcgi                   # the copy, as seen inside the chroot
readonly STAGE=/tmp/fcgi-$tag-stage      # tshark-plugin.sh's staging folder, inside

log() { printf '%s-test: %s\n' "$tag" "$*" >&2; }
[[ $EUID -eq 0 ]] || { log "must be run as root (chroot)"; exit 2; }

t0=$SECONDS
chroot_sh setup || { log "chroot setup failed"; exit 2; }
root=$(chroot_sh path)
dest=$root$SRC

# One run at a time per chroot: they share $dest and the staging folder.
exec 8>>"$root.fcgi-test.lock"
flock -n 8 || { log "waiting for another ws-test.sh $version run ($root.fcgi-test.lock)"; flock 8; }

# --- copy the source tree ---------------------------------------------------
source_files() {
    if git -C "$here" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        # Tracked files (minus deleted ones) and new, not ignored files.
        git -C "$here" ls-files -z --cached --others --exclude-standard |
            while IFS= read -r -d '' f; do
                [[ -e $here/$f || -L $here/$f ]] && printf '%s\0' "$f"
            done
    else
        (cd "$here" && find . \( -path './build*' -o -path ./.git \) -prune -o \
                              \( -type f -o -type l \) -print0)
    fi
}
rm -rf --one-file-system -- "$dest"
mkdir -p -- "$dest"
source_files | tar -C "$here" --null --no-recursion -T - -cf - | tar -C "$dest" -xf -
log "copied $(find "$dest" -type f | wc -l) files to $dest"

# --- build --------------------------------------------------------------------
build_log=$dest/build.log
if ! chroot_sh run /bin/sh -c '
        set -e
        cd "$1"
        cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFCGI_WERROR=ON
        cmake --build build -j"$(nproc)"' $tag-build "$SRC" >"$build_log" 2>&1; then
    cat "$build_log" >&2
    log "BUILD FAILED ($(grep -m1 -o 'against Wireshark .*' "$build_log" || echo "against Wireshark $version"))"
    log "time: $((SECONDS - t0))s"
    exit 1
fi
grep -m1 -o 'Building fcgi against Wireshark .*' "$build_log" | sed "s/^/$tag-test: /" >&2 || true
log "build: $(grep -c 'warning:' "$build_log" || true) compiler warning(s) (-Wall -Wextra -Werror)"
grep 'warning:' "$build_log" >&2 || true

# --- tests --------------------------------------------------------------------
test_log=$dest/pytest.log
set +e
chroot_sh run /bin/sh -c '
        cd "$1" && rm -rf "$2" || exit 2
        shift 2
        FCGI_BUILD_DIR="$PWD/build" FCGI_STAGE_DIR='"$STAGE"' python3 -m pytest -q -ra test "$@"
        rc=$?
        rm -rf '"$STAGE"'
        exit $rc' $tag-pytest "$SRC" "$STAGE" "$@" 2>&1 | tee "$test_log"
rc=${PIPESTATUS[0]}
set -e

log "tshark inside: $(chroot_sh run tshark --version 2>/dev/null | head -n1)"
log "pytest: $(tail -n1 "$test_log" | sed 's/^=* *//; s/ *=*$//') (exit $rc)"
log "time: $((SECONDS - t0))s"
exit "$rc"
