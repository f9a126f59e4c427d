#!/bin/sh
# fuzz/build.sh: builds the libFuzzer harness fuzz_fcgi (clang,
# -fsanitize=fuzzer,address,undefined) against the installed libwireshark,
# with the repository's packet-fcgi.c compiled in and instrumented.
#
#   fuzz/build.sh [OUTDIR]      default OUTDIR: build-fuzzer (in the repo root)
#
# Also builds OUTDIR/fuzz_fcgi_replay: the same harness without libFuzzer
# (ASan/UBSan only, a main() that runs the files given), handy with gdb,
# and OUTDIR/fuzz_fcgi_cov: the replay harness with clang source-based
# coverage and no sanitizers (fuzz/coverage.sh uses it).
# CC selects the compiler (default clang); EXTRA_CFLAGS are added.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${1:-$root/build-fuzzer}
cc=${CC:-clang}
mkdir -p "$out"
# packet-fcgi.c includes "config.h" first, as in Wireshark's tree; out of
# tree that is the compatibility header (see CMakeLists.txt), and the
# takeover of the built-in is compiled in beside it.
printf '#include "fcgi-compat.h"\n' > "$out/config.h"

command -v "$cc" >/dev/null || { echo "build.sh: $cc not found (apt-get install clang)" >&2; exit 2; }
pkg-config --exists wireshark || { echo "build.sh: no wireshark.pc (apt-get install libwireshark-dev)" >&2; exit 2; }

cflags="-g -O1 -fno-omit-frame-pointer -I$out -I$root $(pkg-config --cflags wireshark) \
  -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers ${EXTRA_CFLAGS:-}"
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
libs="$(pkg-config --libs wireshark) -lwiretap"

# shellcheck disable=SC2086
"$cc" $cflags $san -fsanitize=fuzzer "$here/fuzz_fcgi.c" "$root/fcgi-takeover.c" -o "$out/fuzz_fcgi" $libs
# shellcheck disable=SC2086
"$cc" $cflags $san -DFUZZ_FCGI_REPLAY_MAIN "$here/fuzz_fcgi.c" "$here/replay_main.c" "$root/fcgi-takeover.c" \
  -o "$out/fuzz_fcgi_replay" $libs
# shellcheck disable=SC2086
"$cc" $cflags -fprofile-instr-generate -fcoverage-mapping "$here/fuzz_fcgi.c" "$here/replay_main.c" "$root/fcgi-takeover.c" \
  -o "$out/fuzz_fcgi_cov" $libs
echo "built $out/fuzz_fcgi, $out/fuzz_fcgi_replay and $out/fuzz_fcgi_cov"
