#!/bin/bash
# check-upstream.sh: compiles the dissector inside Debian's Wireshark 4.0.17
# source tree, as epan/dissectors/packet-fcgi.c (replacing the built-in),
# with the flags Wireshark's own CMake build gives the dissectors library.
# Prints every warning; exits 1 on any warning or error, 2 if the check
# itself could not run.
#
# Usage (as root the first time: it installs packages and may add deb-src
# lines):  tools/check-upstream.sh [FILE...]
# FILEs default to packet-fcgi.c and packet-fcgi.h; every .c is compiled.
# The tree and its CMake configuration are cached under
# /var/tmp/wireshark-src (WS_TREE_CACHE); see tools/README.md.
set -euo pipefail
. "$(dirname "$0")/wireshark-tree.sh"

mapfile -t ws_files < <(ws_default_files "$@")

# What Wireshark 4.0.17's CMakeLists.txt requires (find_package ... REQUIRED)
# with the GUI off (g++: its project() enables C++); nothing optional.
ws_need_packages cmake make gcc g++ flex perl python3 libglib2.0-dev \
    libgcrypt20-dev libc-ares-dev libpcre2-dev
ws_tree_unpack

build=$WS_CACHE/build
if [ ! -e "$build/.configured" ]; then
    echo "== Configuring $WS_SRC (CMake, GUI off, -DENABLE_WERROR=ON) in $build"
    rm -rf "$build"
    if ! cmake -S "$WS_SRC" -B "$build" -G "Unix Makefiles" \
            -DBUILD_wireshark=OFF -DENABLE_WERROR=ON > "$WS_CACHE/cmake.log" 2>&1; then
        tail -n 40 "$WS_CACHE/cmake.log" >&2
        ws_die "cmake failed; log: $WS_CACHE/cmake.log"
    fi
    touch "$build/.configured"
fi

ws_tree_drop_in "${ws_files[@]}"

# The dissectors library's flags, as CMake wrote them for make.
flags=$build/epan/dissectors/CMakeFiles/dissectors.dir/flags.make
flag() { sed -n "s/^$1 = //p" "$flags"; }
read -r -a defines <<< "$(flag C_DEFINES)"
read -r -a includes <<< "$(flag C_INCLUDES)"
read -r -a cflags <<< "$(flag C_FLAGS)"

status=0
count=0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for i in "${!WS_DROPPED[@]}"; do
    src=${WS_DROPPED[$i]}
    case $src in *.c) ;; *) continue ;; esac
    # Per-file flags of files in the dissector list (-Werror with ENABLE_WERROR).
    read -r -a own <<< "$(sed -n "s|^# Custom flags: epan/dissectors/CMakeFiles/dissectors.dir/$(basename "$src").o_FLAGS = ||p" "$flags")"
    echo "== Compiling $src (${ws_files[$i]}) with Wireshark's flags:"
    echo "   cc ${cflags[*]} ${own[*]}"
    rc=0
    (cd "$build/epan/dissectors" &&
        cc "${defines[@]}" "${includes[@]}" "${cflags[@]}" "${own[@]}" \
           -fdiagnostics-color=never -c "$WS_SRC/$src" -o "$out/obj.o") \
        > "$out/log" 2>&1 || rc=$?
    ws_repo_paths < "$out/log"
    n=$(grep -cE '(warning|error): ' "$out/log" || true)
    count=$((count + n))
    if [ "$rc" != 0 ] || [ "$n" != 0 ]; then
        status=1
        echo "-- $src: $n warnings/errors, compiler exit status $rc"
    fi
done

echo "== check-upstream: $count warnings/errors"
exit $status
