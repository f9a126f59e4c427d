#!/bin/bash
# Where the real time goes: samples of tshark's CPU time, the plugin against
# the built-in FastCGI dissector, per library and function, the differences
# first.  callgrind and cachegrind (bench/run.sh) count instructions and
# simulate the caches; this samples the clock on the machine itself, so it
# also sees what a simulation does not (allocator and memory stalls, page
# faults in the kernel).
#
#   bench/perf-diff.sh [--build DIR] [--rounds N] [--port PORT] [--top N]
#                      [--freq HZ] CORPUS [NAME]
#
#   CORPUS      capture to read (readable by user nobody)
#   NAME        results go to bench/out/NAME.perf.txt (default: the corpus's
#               base name)
#   --build DIR build folder holding plugins/**/fcgi.so (default
#               $FCGI_BUILD_DIR or ./build)
#   --rounds N  alternating rounds, built-in then plugin (default 3); the
#               samples of all rounds are added up
#   --port PORT the FastCGI port (default 9300)
#   --top N     functions listed (default 30, the N that cost the plugin most
#               and the 10 that it saves)
#   --freq HZ   sampling frequency (default 4000)
#
# Both run `tshark -r CORPUS -Y fcgi -d tcp.port==PORT,fcgi` through
# test/tshark-plugin.sh (as user nobody) under `perf record -e cpu-clock`: the
# kernel's software clock, which works where the CPU's counters are not
# available (virtual machines).  Functions that Wireshark's libraries do not
# export have no name: perf shows their address, the same in both runs.
# Needs perf (Debian: linux-perf) and root (perf_event_paranoid).
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
BUILD=${FCGI_BUILD_DIR:-$ROOT/build}
ROUNDS=3
PORT=9300
TOP=30
FREQ=4000
while [ $# -gt 0 ]; do
    case $1 in
        --build) BUILD=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --top) TOP=$2; shift 2 ;;
        --freq) FREQ=$2; shift 2 ;;
        -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
        -*) echo "unknown argument: $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] || { sed -n '2,31p' "$0" >&2; exit 2; }
CORPUS=$1
NAME=${2:-$(basename "$CORPUS" .pcap)}
command -v perf >/dev/null || { echo "perf-diff.sh: perf not found (apt-get install linux-perf)" >&2; exit 2; }
[ -r "$CORPUS" ] || { echo "perf-diff.sh: cannot read $CORPUS" >&2; exit 2; }
OUT=$BENCH/out
mkdir -p "$OUT"
export FCGI_STAGE_DIR=${FCGI_STAGE_DIR:-/tmp/fcgi-bench-stage}
export FCGI_BUILD_DIR=$BUILD
TMP=$(mktemp -d /tmp/fcgi-perf.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# One profiled run; its samples per "library<TAB>function" appended to $2.
sample() {   # sample built-in|plugin FILE
    local opt=() data=$TMP/perf.data
    [ "$1" = built-in ] && opt=(--builtin)
    perf record -q -F "$FREQ" -e cpu-clock -o "$data" -- \
        "$ROOT/test/tshark-plugin.sh" "${opt[@]}" -r "$CORPUS" -Y fcgi -d "tcp.port==$PORT,fcgi" >/dev/null 2>&1
    perf report -i "$data" --no-children -g none --sort dso,sym -n --stdio 2>/dev/null |
        awk '/^ +[0-9.]+%/ { n = $2; dso = $3; $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print dso "\t" $0 "\t" n }' >>"$2"
}
# Stage both folders once; the profiled runs skip staging (FCGI_STAGED=1),
# whose find and cmp would be sampled in plugin runs only.
"$ROOT/test/tshark-plugin.sh" -G plugins >/dev/null 2>&1
"$ROOT/test/tshark-plugin.sh" --builtin -G plugins >/dev/null 2>&1
export FCGI_STAGED=1
for r in $(seq "$ROUNDS"); do
    sample built-in "$TMP/builtin.tsv"
    sample plugin "$TMP/plugin.tsv"
done

python3 - "$TMP/builtin.tsv" "$TMP/plugin.tsv" "$TOP" "$FREQ" "$ROUNDS" "$CORPUS" <<'EOF' | tee "$OUT/$NAME.perf.txt"
import collections, sys
def load(path):
    by_fn, by_lib = collections.Counter(), collections.Counter()
    for line in open(path):
        lib, fn, n = line.rstrip('\n').split('\t')
        by_fn[(lib, fn)] += int(n)
        by_lib[lib] += int(n)
    return by_fn, by_lib
b_fn, b_lib = load(sys.argv[1])
p_fn, p_lib = load(sys.argv[2])
top, hz, rounds, corpus = int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
ms = lambda n: 1000.0 * n / hz / rounds
tb, tp = sum(b_lib.values()), sum(p_lib.values())
kernel = '[kernel.kallsyms]'
ub, up = tb - b_lib[kernel], tp - p_lib[kernel]
print("perf cpu-clock samples, %s, -Y fcgi, %d rounds; ms of sampled CPU time per round" % (corpus, rounds))
print("(perf's own interrupts add to the kernel's share, in both runs)")
print("  all:        built-in %6.0f ms, plugin %6.0f ms, plugin / built-in %.3f" % (ms(tb), ms(tp), tp / tb))
print("  user space: built-in %6.0f ms, plugin %6.0f ms, plugin / built-in %.3f" % (ms(ub), ms(up), up / ub))
print("\nper library (ms per round): plugin - built-in, plugin, built-in (differences of 1 ms or more)")
for lib in sorted(set(b_lib) | set(p_lib), key=lambda k: -(p_lib[k] - b_lib[k])):
    if abs(ms(p_lib[lib] - b_lib[lib])) >= 1.0:
        print("  %+8.1f %8.1f %8.1f  %s" % (ms(p_lib[lib] - b_lib[lib]), ms(p_lib[lib]), ms(b_lib[lib]), lib))
keys = sorted(set(b_fn) | set(p_fn), key=lambda k: -(p_fn[k] - b_fn[k]))
print("\nfunctions that cost the plugin most (ms per round): plugin - built-in, plugin, built-in")
for k in keys[:top]:
    print("  %+8.1f %8.1f %8.1f  %s %s" % (ms(p_fn[k] - b_fn[k]), ms(p_fn[k]), ms(b_fn[k]), k[0], k[1][:70]))
print("\nfunctions where the plugin saves most")
for k in reversed(keys[-10:]):
    print("  %+8.1f %8.1f %8.1f  %s %s" % (ms(p_fn[k] - b_fn[k]), ms(p_fn[k]), ms(b_fn[k]), k[0], k[1][:70]))
EOF
