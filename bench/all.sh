#!/bin/bash
# The whole benchmark in one command: every shape of traffic, plugin vs the
# built-in FastCGI dissector, and the scaling checks.  Run as root on a quiet
# machine (see bench/README.md for how long it takes).
#
#   bench/all.sh [--quick] [-n REPS] [--cg-frames N] [--build DIR] [--only LIST]
#                [--rerecord] [--perf]
#
#   --quick     small corpora and slices, 3 rounds: to check the tooling
#   -n REPS     alternating timed rounds per shape (default 7; --quick 3)
#   --cg-frames N  frames of each shape's callgrind/massif slice (default
#               10000; --quick 4000)
#   --build DIR build folder holding plugins/**/fcgi.so (default $FCGI_BUILD_DIR
#               or ./build); the .so is copied once, all shapes use that copy
#   --only LIST comma-separated subset of: fresh,keepalive,mpx,go,seq,open
#   --rerecord  record/generate the corpora again even if they exist
#   --perf      also sample the real CPU time of each shape (bench/perf-diff.sh,
#               3 rounds): per library and function, plugin against built-in
#
# Shapes (corpora in bench/out/, kept between runs; sizes full / --quick):
#   fresh      real nginx -> php-fpm, one FastCGI connection per request
#              (record-corpus.sh --phases fresh; 25,000 / 2,000 requests)
#   keepalive  real nginx -> php-fpm, upstream keepalive, ~1,000 requests per
#              connection (record-corpus.sh --phases keepalive; 50,000 / 4,000)
#   mpx        synthetic, one connection, 500 requests open at once
#              (fcgi_gen.py pcap -k 500; 80,000 / 8,000 requests)
#   go         real Go net/http/fcgi, one connection, 200 open at once
#              (record-go.sh -k 200; 20,000 / 2,000 requests)
# Each shape: bench/run.sh (-Y fcgi and -V, built-in and plugin alternating,
# CPU medians and spread, peak RSS; callgrind on a slice: instructions per
# record; massif: plugin state bytes per request).
# Scaling checks:
#   seq        one keep-alive connection of 1,000 / 10,000 / 80,000 requests
#              (--quick: 1,000 / 4,000 / 16,000), fcgi_gen.py -k 1: plugin
#              state bytes per request must not grow with the length
#   open       20,000 requests (--quick 10,000) on one connection with 50 /
#              500 / 5,000 open at once: plugin instructions per record (-Y)
#              must not grow with the number of open requests
# Where time and memory go: the mpx shape keeps its callgrind profiles
# (bench/out/mpx-*.callgrind.plugin.{Y,V}.out) and prints the plugin's top
# functions; every shape with massif prints the plugin heap per allocation
# site and keeps bench/out/NAME.massif.plugin.out (ms_print).  With --perf,
# bench/out/NAME.perf.txt: where the real time goes, per function.
#
# Output: each step's summary in bench/out/NAME.summary.txt, the table of all
# shapes in bench/out/all-summary.txt (printed at the end).
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
OUT=$BENCH/out
QUICK=0
REPS=""
CGF=""
BUILD=${FCGI_BUILD_DIR:-$ROOT/build}
ONLY=fresh,keepalive,mpx,go,seq,open
REREC=0
PERF=0
while [ $# -gt 0 ]; do
    case $1 in
        --quick) QUICK=1; shift ;;
        -n) REPS=$2; shift 2 ;;
        --cg-frames) CGF=$2; shift 2 ;;
        --build) BUILD=$2; shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        --rerecord) REREC=1; shift ;;
        --perf) PERF=1; shift ;;
        -h|--help) sed -n '2,47p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
log() { printf '[all] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
want() { [[ ",$ONLY," == *",$1,"* ]]; }
export FCGI_STAGE_DIR=${FCGI_STAGE_DIR:-/tmp/fcgi-bench-stage}

if [ "$QUICK" = 1 ]; then
    REPS=${REPS:-3}; N_FRESH=2000; N_KA=4000; N_MPX=8000; N_GO=2000; CGF=${CGF:-4000}
    SEQ="1000 4000 16000"; N_OPEN=10000
else
    REPS=${REPS:-7}; N_FRESH=25000; N_KA=50000; N_MPX=80000; N_GO=20000; CGF=${CGF:-10000}
    SEQ="1000 10000 80000"; N_OPEN=20000
fi
OPENS="50 500 5000"
T0=$(date +%s)
mkdir -p "$OUT"

# --- one copy of the plugin for every step ---------------------------------
SO=$(find "$BUILD/plugins" -name fcgi.so 2>/dev/null | head -n 1)
[ -n "$SO" ] || die "no fcgi.so under $BUILD/plugins; build first"
SNAP=$OUT/plugin-snapshot
rm -rf "$SNAP"
REL=${SO#"$BUILD/plugins/"}
mkdir -p "$SNAP/plugins/$(dirname "$REL")"
cp -p "$SO" "$SNAP/plugins/$REL"
cp -p "$BUILD/CMakeCache.txt" "$SNAP/" 2>/dev/null || true
cp -p "$BUILD/git-sha" "$SNAP/" 2>/dev/null || true
chmod -R a+rX "$SNAP"
# the commit the build was made from: BUILD/git-sha if the copy names it, else HEAD
if [ -s "$BUILD/git-sha" ]; then SRC_SHA=$(cat "$BUILD/git-sha"); else
    SRC_SHA="HEAD $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
    if git -C "$ROOT" status --porcelain -- packet-fcgi.c 2>/dev/null | grep -q .; then SRC_SHA="$SRC_SHA + modified packet-fcgi.c"; fi
fi
SO_SHA=$(sha256sum "$SO" | cut -c1-12)
log "plugin $SO (sha256 $SO_SHA), git $SRC_SHA, copied to $SNAP"

# --- corpora -----------------------------------------------------------------
corpus() {   # corpus NAME CMD... : run CMD (which writes bench/out/NAME.pcap) unless it exists
    local f=$OUT/$1.pcap; shift
    if [ "$REREC" = 1 ] || [ ! -s "$f" ]; then
        log "making $f"
        "$@" >&2 || die "making $f failed"
    fi
    echo "$f"
}
GEN=$BENCH/fcgi_gen.py
RUNSH=(env FCGI_BUILD_DIR="$SNAP" "$BENCH/run.sh")
STEPS=()
step() {   # step NAME RUN.SH-ARGS...
    local name=$1; shift
    log "=== $name: run.sh $*"
    "${RUNSH[@]}" --name "$name" "$@" >"$OUT/$name.log" 2>&1 ||
        { tail -n 30 "$OUT/$name.log" >&2; die "$name failed (log: $OUT/$name.log)"; }
    STEPS+=("$name")
    log "$name done ($(( ($(date +%s) - T0) / 60 )) min so far)"
}
perf_step() {   # perf_step NAME CORPUS: with --perf, where the real time goes
    [ "$PERF" = 1 ] || return 0
    log "=== $1: perf-diff.sh"
    "$BENCH/perf-diff.sh" --build "$SNAP" --rounds 3 "$2" "$1" >"$OUT/$1.perf.log" 2>&1 ||
        { tail -n 30 "$OUT/$1.perf.log" >&2; die "$1 perf-diff failed (log: $OUT/$1.perf.log)"; }
}
# one-frame massif baseline, measured once per plugin build
MBASE=(--massif-base "$OUT/massif-base-$SO_SHA")
SHAPE_ARGS=(-n "$REPS" --no-floor-timing --massif "${MBASE[@]}" --cg-frames "$CGF")

if want fresh; then
    C=$(corpus "fresh-$N_FRESH" "$BENCH/record-corpus.sh" --phases fresh -n "$N_FRESH" -o "$OUT/fresh-$N_FRESH.pcap")
    step "fresh-$N_FRESH" --corpus "$C" "${SHAPE_ARGS[@]}"
    perf_step "fresh-$N_FRESH" "$C"
fi
if want keepalive; then
    C=$(corpus "keepalive-$N_KA" "$BENCH/record-corpus.sh" --phases keepalive -n "$N_KA" -o "$OUT/keepalive-$N_KA.pcap")
    step "keepalive-$N_KA" --corpus "$C" "${SHAPE_ARGS[@]}"
    perf_step "keepalive-$N_KA" "$C"
fi
if want mpx; then
    C=$(corpus "mpx-$N_MPX-k500" python3 "$GEN" pcap -n "$N_MPX" -k 500 -o "$OUT/mpx-$N_MPX-k500.pcap")
    step "mpx-$N_MPX-k500" --corpus "$C" "${SHAPE_ARGS[@]}" --profile
    perf_step "mpx-$N_MPX-k500" "$C"
fi
if want go; then
    C=$(corpus "go-$N_GO-k200" "$BENCH/record-go.sh" -n "$N_GO" -k 200 -o "$OUT/go-$N_GO-k200.pcap")
    step "go-$N_GO-k200" --corpus "$C" "${SHAPE_ARGS[@]}"
    perf_step "go-$N_GO-k200" "$C"
fi
SEQ_STEPS=() OPEN_STEPS=()
if want seq; then
    for n in $SEQ; do
        C=$(corpus "seq-$n" python3 "$GEN" pcap -n "$n" -k 1 -o "$OUT/seq-$n.pcap")
        step "seq-$n" --corpus "$C" --no-timing --no-callgrind --massif "${MBASE[@]}" --cg-frames $((2 * n + 10))
        SEQ_STEPS+=("seq-$n")
    done
fi
if want open; then
    for k in $OPENS; do
        C=$(corpus "open-$N_OPEN-k$k" python3 "$GEN" pcap -n "$N_OPEN" -k "$k" -o "$OUT/open-$N_OPEN-k$k.pcap")
        step "open-$N_OPEN-k$k" --corpus "$C" --no-timing --cg-modes Y --cg-frames $((2 * N_OPEN + 10))
        OPEN_STEPS+=("open-$N_OPEN-k$k")
    done
fi

# --- the table ---------------------------------------------------------------
python3 - "$OUT" "$SRC_SHA" "$SO_SHA" "$(( ($(date +%s) - T0) ))" \
    "${STEPS[*]}" "${SEQ_STEPS[*]:-}" "${OPEN_STEPS[*]:-}" >"$OUT/all-summary.txt" <<'PY'
import sys, time
out, sha, so_sha, secs, steps, seq, opn = sys.argv[1:8]
P = lambda b: "PASS" if b else "MISS"
def load(name):
    d = {}
    for line in open("%s/%s.result" % (out, name)):
        k, v = line.rstrip("\n").split("=", 1)
        d[k] = v.split()
    return d
print("bench/all.sh  %s  git %s, fcgi.so sha256 %s, %d min" % (
    time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), sha, so_sha, int(secs) // 60))
shapes = [s for s in steps.split() if s not in seq.split() + opn.split()]
if shapes:
    print("\nPer shape: CPU (user+sys) medians of alternating runs (min-max); ratio plugin/built-in of the"
          "\nmedians [min-max of the per-round ratios] (and of the fastest runs, the least disturbed);"
          "\npeak RSS ratio of the medians; callgrind"
          "\ninstructions per FastCGI record over the floor (built-in / plugin) on a slice; massif"
          "\nplugin state bytes per request (plugin minus built-in)")
    for s in shapes:
        d = load(s)
        print("\n%s  (%s requests, %s records in the slice)" % (s, d["requests"][0], d["records"][0]))
        for mode, t in (("Y", 1.00), ("V", 1.10)):
            b, p, r = d["cpu_%s_builtin" % mode], d["cpu_%s_plugin" % mode], d["ratio_cpu_%s" % mode]
            f = d.get("ratio_cpu_fastest_%s" % mode)
            print("  %-8s cpu built-in %6.2f s (%.2f-%.2f)  plugin %6.2f s (%.2f-%.2f)  ratio %.3f [%.3f-%.3f]  <=%.2f %s%s"
                  % ("-Y fcgi" if mode == "Y" else "-V", float(b[0]), float(b[1]), float(b[2]),
                     float(p[0]), float(p[1]), float(p[2]), float(r[0]), float(r[1]), float(r[2]), t,
                     P(float(r[0]) <= t), "  (fastest runs %.3f)" % float(f[0]) if f else ""))
        for mode in ("Y", "V"):
            r = d["ratio_rss_%s" % mode]
            print("  %-8s peak RSS built-in %.0f MB  plugin %.0f MB  ratio %.3f [%.3f-%.3f]  <=1.10 %s"
                  % ("-Y fcgi" if mode == "Y" else "-V", float(d["rss_%s_builtin" % mode][0]),
                     float(d["rss_%s_plugin" % mode][0]), float(r[0]), float(r[1]), float(r[2]),
                     P(float(r[0]) <= 1.10)))
        print("  instructions per record: -Y %s / %s, -V %s / %s;  plugin state: %s bytes per request"
              % (d["ir_Y"][0], d["ir_Y"][1], d["ir_V"][0], d["ir_V"][1], d["state_bytes_per_request"][0]))
if seq:
    rows = [(int(s.split("-")[1]), load(s)) for s in seq.split()]
    print("\nOne keep-alive connection (fcgi_gen.py -k 1): plugin state bytes per request by length")
    for n, d in rows:
        print("  %7d requests: %8s bytes/request (built-in's own heap: %s bytes/request)"
              % (n, d["state_bytes_per_request"][0], d["builtin_heap_per_request"][0]))
    a, b = float(rows[-2][1]["state_bytes_per_request"][0]), float(rows[-1][1]["state_bytes_per_request"][0])
    print("  longest/middle: %.3f  <=1.10 %s  (memory per request does not grow with the length)"
          % (b / a, P(b / a <= 1.10)))
if opn:
    rows = [(int(s.rsplit("k", 1)[1]), load(s)) for s in opn.split()]
    print("\nOne connection, %s requests, N open at once: instructions per record, -Y fcgi (built-in / plugin)"
          % rows[0][1]["requests"][0])
    for k, d in rows:
        print("  %5d open: %8s / %8s" % (k, d["ir_Y"][0], d["ir_Y"][1]))
    a, b = float(rows[0][1]["ir_Y"][1]), float(rows[-1][1]["ir_Y"][1])
    print("  plugin at %d open / at %d open: %.3f  <=1.10 %s  (lookups do not slow down with open requests)"
          % (rows[-1][0], rows[0][0], b / a, P(b / a <= 1.10)))
print("\nDetails: bench/out/<name>.summary.txt; profiles: bench/out/*.callgrind.plugin.*.out, *.massif.plugin.out;"
      "\nwith --perf, the real time per function: bench/out/<name>.perf.txt")
PY
cat "$OUT/all-summary.txt"
log "wrote $OUT/all-summary.txt ($(( ($(date +%s) - T0) / 60 )) min)"
