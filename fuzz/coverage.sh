#!/bin/sh
# fuzz/coverage.sh: line/branch coverage of packet-fcgi.c by a set of
# fuzz_fcgi inputs (default: fuzz/seeds and fuzz/out/corpus), with clang
# source-based coverage (build-fuzzer/fuzz_fcgi_cov from fuzz/build.sh).
#
#   fuzz/coverage.sh [DIR-OR-FILE...]
#
# Prints llvm-cov's summary for packet-fcgi.c; the annotated source goes to
# fuzz/out/coverage/packet-fcgi.c.txt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bin=${FUZZER_COV:-$root/build-fuzzer/fuzz_fcgi_cov}
[ -x "$bin" ] || { echo "coverage.sh: no $bin; run fuzz/build.sh first" >&2; exit 2; }
[ $# -gt 0 ] || set -- "$here/seeds" "$here/out/corpus"
out="$here/out/coverage"
rm -rf "$out"
mkdir -p "$out/raw"
list="$out/inputs"
for a in "$@"; do
    if [ -d "$a" ]; then find "$a" -type f; elif [ -f "$a" ]; then echo "$a"; fi
done > "$list"
echo "coverage.sh: $(wc -l < "$list") inputs"
# a few hundred inputs per process (arguments and profile file count stay small)
split -l 300 "$list" "$out/chunk."
for c in "$out"/chunk.*; do
    # shellcheck disable=SC2046
    LLVM_PROFILE_FILE="$out/raw/%p.profraw" "$bin" $(cat "$c") 2>/dev/null
done
llvm-profdata merge -sparse "$out"/raw/*.profraw -o "$out/fuzz.profdata"
llvm-cov report "$bin" -instr-profile="$out/fuzz.profdata" "$root/packet-fcgi.c"
llvm-cov show "$bin" -instr-profile="$out/fuzz.profdata" "$root/packet-fcgi.c" > "$out/packet-fcgi.c.txt"
echo "annotated source: $out/packet-fcgi.c.txt"
