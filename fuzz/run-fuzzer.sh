#!/bin/sh
# fuzz/run-fuzzer.sh: runs the libFuzzer harness (build it with fuzz/build.sh).
#
#   fuzz/run-fuzzer.sh [SECONDS] [LIBFUZZER-OPTIONS...]     default 600 s
#
# One process (one core).  Corpus: fuzz/out/corpus (grows; seeded from
# fuzz/seeds), crashes/timeouts/OOMs: fuzz/out/crashes/, log:
# fuzz/out/fuzz_fcgi.log.  FUZZER selects the binary (default
# build-fuzzer/fuzz_fcgi).  Turn a crash into a pcap for tshark with
#   fuzz/make-seeds.py --to-pcap fuzz/out/crashes/crash-XXX fuzz/regressions/NAME.pcap
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
fuzzer=${FUZZER:-$root/build-fuzzer/fuzz_fcgi}
seconds=${1:-600}
[ $# -gt 0 ] && shift
[ -x "$fuzzer" ] || { echo "run-fuzzer.sh: no $fuzzer; run fuzz/build.sh first" >&2; exit 2; }
mkdir -p "$here/out/corpus" "$here/out/crashes"
# detect_leaks=0: libwireshark keeps global caches that LeakSanitizer reports.
# No malloc fill, a smaller quarantine and shorter allocation stacks: twice
# the executions per second (replay a crash with fuzz_fcgi_replay for full
# allocation stacks).
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:max_malloc_fill_size=0:quarantine_size_mb=16:malloc_context_size=6} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
"$fuzzer" -dict="$here/fcgi.dict" -max_len=16384 -timeout=20 -rss_limit_mb=4096 \
    -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$here/out/crashes/" "$@" \
    "$here/out/corpus" "$here/seeds" 2>&1 | tee "$here/out/fuzz_fcgi.log" | grep -v -E "NEW|REDUCE|pulse" || true
