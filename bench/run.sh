#!/bin/bash
# Benchmarks the fcgi plugin against Wireshark's built-in FastCGI dissector
# and against a "floor" (the FastCGI port dissected as plain data).
#
#   bench/run.sh [-n REPS] [--corpus FILE] [--build DIR] [--cg-frames N]
#                [--profile] [--cache] [--no-timing] [--no-callgrind]
#
#   -n REPS        timed repetitions per configuration and mode (default 5)
#   --corpus FILE  capture to read (default bench/out/corpus.pcap, recorded by
#                  bench/record-corpus.sh; its .info file gives the phases)
#   --build DIR    build folder holding plugins/**/fcgi.so (default
#                  $FCGI_BUILD_DIR or ./build); the .so is copied once at the
#                  start, so rebuilding during the run does not mix versions
#   --cg-frames N  frames in the callgrind slice (default 20000)
#   --profile      keep the plugin's callgrind profiles (with --dump-instr=yes)
#                  as bench/out/callgrind.plugin.{Y,V}.out
#   --cache        also simulate the caches (valgrind --tool=cachegrind
#                  --cache-sim=yes) for -Y fcgi on the slice: instruction and
#                  L1 instruction/data cache misses per FastCGI record
#   --no-timing / --no-callgrind   skip one part
#
# Configurations (all: tshark -r CORPUS, default preferences, empty HOME):
#   floor    plugin not loaded, -d tcp.port==9300,data
#   builtin  plugin not loaded, -d tcp.port==9300,fcgi  (Wireshark's own)
#   plugin   plugin loaded,     -d tcp.port==9300,fcgi
# Modes:  Y = -Y fcgi (summary lines of the matching frames)   V = -V
# Output always goes to /dev/null.  The runs alternate round-robin (the
# order of the configurations rotates each repetition).  Wall time and peak
# RSS come from /usr/bin/time -f '%e %M' around test/tshark-plugin.sh, which
# execs tshark (same PID), so %M is tshark's own peak RSS.  CPU time (user +
# sys, %U %S) is recorded too: less disturbed than wall time by other jobs.
#
# Results: bench/out/run.tsv (every run) and bench/out/run-summary.txt.
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
REPS=5
CORPUS=$BENCH/out/corpus.pcap
BUILD=${FCGI_BUILD_DIR:-$ROOT/build}
CG_FRAMES=20000
PROFILE=0
DO_TIMING=1
DO_CG=1
DO_CACHE=0
PORT=9300
while [ $# -gt 0 ]; do
    case $1 in
        -n) REPS=$2; shift 2 ;;
        --corpus) CORPUS=$2; shift 2 ;;
        --build) BUILD=$2; shift 2 ;;
        --cg-frames) CG_FRAMES=$2; shift 2 ;;
        --profile) PROFILE=1; shift ;;
        --no-timing) DO_TIMING=0; shift ;;
        --no-callgrind) DO_CG=0; shift ;;
        --cache) DO_CACHE=1; shift ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
export FCGI_STAGE_DIR=${FCGI_STAGE_DIR:-/tmp/fcgi-bench-stage}

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
need() {   # need CMD PKG
    command -v "$1" >/dev/null 2>&1 && return 0
    log "apt-get install $2"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >&2 ||
        { DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >&2; }
}
[ -x /usr/bin/time ] || need /usr/bin/time time
need tshark tshark
need editcap wireshark-common
need python3 python3
if [ "$DO_CG" = 1 ] || [ "$DO_CACHE" = 1 ]; then need valgrind valgrind; fi

[ -f "$CORPUS" ] || die "no corpus $CORPUS (run bench/record-corpus.sh first)"
SO=$(find "$BUILD/plugins" -name fcgi.so 2>/dev/null | head -n 1)
[ -n "$SO" ] || die "no fcgi.so under $BUILD/plugins; build first"

OUT=$BENCH/out
mkdir -p "$OUT"
# One benchmark at a time: two at once slow each other down, and they would
# share FCGI_STAGE_DIR (each stages its own plugin snapshot there).
exec 9>"$OUT/.run.lock"
if ! flock -n 9; then
    log "another bench/run.sh is running; waiting for it"
    flock 9
fi
W=$(mktemp -d /tmp/fcgi-bench-run.XXXXXX)
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
chmod 755 "$W"

# --- private copies: corpus readable by nobody, plugin snapshot -------------
cp "$CORPUS" "$W/corpus.pcap"
REL=${SO#"$BUILD/plugins/"}
mkdir -p "$W/build/plugins/$(dirname "$REL")"
cp "$SO" "$W/build/plugins/$REL"
chmod -R a+rX "$W"
export FCGI_BUILD_DIR=$W/build
WRAP=$ROOT/test/tshark-plugin.sh
C=$W/corpus.pcap

build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)
{
    echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)  host: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "tshark:  $(tshark --version 2>/dev/null | head -n 1)"
    echo "plugin:  $SO ($(stat -c %s "$SO") bytes, $(date -u -r "$SO" +%H:%M:%SZ), sha256 $(sha256sum "$SO" | cut -c1-12)), CMAKE_BUILD_TYPE=${build_type:-<empty: no -O!>}"
    echo "source:  git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" status --porcelain -- packet-fcgi.c 2>/dev/null | grep -q . && echo ', packet-fcgi.c modified' || true)"
    if [ "$ROOT/packet-fcgi.c" -nt "$SO" ]; then echo "WARNING: packet-fcgi.c is newer than fcgi.so (stale build?)"; fi
    case ${build_type} in Release|RelWithDebInfo|MinSizeRel) ;; *) echo "WARNING: plugin not built optimised (CMAKE_BUILD_TYPE=${build_type:-empty})";; esac
    echo "corpus:  $CORPUS: $(capinfos -Mc "$C" | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}') frames, $(stat -c %s "$C") bytes"
} | tee "$W/header.txt" >&2

# --- sanity: the plugin is loaded in "plugin" and absent otherwise ----------
"$WRAP" -G plugins 2>/dev/null | grep -q 'fcgi\.so' || die "plugin not loaded by test/tshark-plugin.sh"
! "$WRAP" --builtin -G plugins 2>/dev/null | grep -q 'fcgi\.so' || die "plugin loaded with --builtin"

CONFIGS=(floor builtin plugin)
cfg_args() {   # cfg_args CONFIG -> wrapper arguments
    case $1 in
        floor)   echo "--builtin -d tcp.port==$PORT,data" ;;
        builtin) echo "--builtin -d tcp.port==$PORT,fcgi" ;;
        plugin)  echo "-d tcp.port==$PORT,fcgi" ;;
    esac
}
mode_args() { case $1 in Y) echo "-Y fcgi" ;; V) echo "-V" ;; esac; }

# --- timing ----------------------------------------------------------------
TSV=$W/run.tsv
if [ "$DO_TIMING" = 1 ]; then
    # untimed warm-up (page cache, stage dir); also shows what -Y fcgi matches
    for cfg in "${CONFIGS[@]}"; do
        # shellcheck disable=SC2046
        n=$("$WRAP" $(cfg_args $cfg) -r "$C" -Y fcgi 2>"$W/err" | wc -l) ||
            { cat "$W/err" >&2; die "$cfg failed"; }
        log "warm-up: $cfg: -Y fcgi matches $n frames"
    done
    printf 'rep\tmode\tconfig\twall_s\tmaxrss_kb\tcpu_s\n' >"$TSV"
    for ((rep = 1; rep <= REPS; rep++)); do
        for mode in Y V; do
            for ((k = 0; k < 3; k++)); do
                cfg=${CONFIGS[$(( (rep + k) % 3 ))]}
                # shellcheck disable=SC2046
                /usr/bin/time -f '%e %M %U %S' -o "$W/time" \
                    "$WRAP" $(cfg_args $cfg) -r "$C" $(mode_args $mode) >/dev/null 2>"$W/err" ||
                    { cat "$W/err" "$W/time" >&2; die "rep $rep $mode $cfg failed"; }
                read -r wall rss usr sys < <(tail -n 1 "$W/time")
                cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
                printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$mode" "$cfg" "$wall" "$rss" "$cpu" >>"$TSV"
                log "rep $rep/$REPS  -$mode  $cfg: ${wall}s ${rss}KB cpu ${cpu}s"
            done
        done
    done
fi

# --- callgrind ---------------------------------------------------------------
CG=$W/cg
CGSUM=$W/cg.txt
: >"$CGSUM"
if [ "$DO_CG" = 1 ] || [ "$DO_CACHE" = 1 ]; then
    # Slice: the same leading fraction of each phase of the corpus (fresh
    # connections, then keep-alive), so the mix of both is that of the corpus.
    INFO=${CORPUS%.pcap}.info
    total=$(capinfos -Mc "$C" | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')
    ranges="1-$CG_FRAMES"
    if [ -f "$INFO" ]; then
        fresh=$(sed -n 's/^fresh_frames=//p' "$INFO")
        if [ -n "$fresh" ] && [ "$fresh" -lt "$total" ] && [ "$CG_FRAMES" -lt "$total" ]; then
            nf=$(( CG_FRAMES * fresh / total ))
            nk=$(( CG_FRAMES - nf ))
            ranges="1-$nf $((fresh + 1))-$((fresh + nk))"
        fi
    fi
    # shellcheck disable=SC2086
    editcap -r "$C" "$W/slice.pcap" $ranges
    chmod 644 "$W/slice.pcap"
    # FastCGI records in the slice: one fcgi.type value per record
    count_records() {   # count_records CONFIG
        # shellcheck disable=SC2046
        "$WRAP" $(cfg_args "$1") -r "$W/slice.pcap" -Y fcgi -T fields -e fcgi.type 2>/dev/null |
            awk '{ n += split($0, t, ",") } END { print n + 0 }'
    }
    rec_b=$(count_records builtin)
    rec_p=$(count_records plugin)
    [ "$rec_b" -gt 0 ] || die "no FastCGI records in the slice"
    echo "slice: frames $ranges of the corpus ($(capinfos -Mc "$W/slice.pcap" | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}') frames), FastCGI records: $rec_b (built-in count, used below), $rec_p (plugin count)" >>"$CGSUM"

    # tshark shim: test/tshark-plugin.sh runs "tshark" from PATH (as nobody),
    # so the wrapper is used unchanged and valgrind runs tshark itself.
    TSHARK=$(command -v tshark)
    mkdir -p "$W/shim" "$CG"
    chmod 1777 "$CG"
    cat >"$W/shim/tshark" <<SHIM
#!/bin/sh
exec valgrind --tool=\$BENCH_TOOL --\$BENCH_TOOL-out-file="\$BENCH_CG_OUT" \$BENCH_CG_OPTS "$TSHARK" "\$@"
SHIM
    chmod 755 "$W/shim/tshark"
    chmod a+rX "$W/shim"
    valgrind_run() {   # valgrind_run TOOL OPTS CFG MODE -> $CG/CFG.MODE.TOOL
        local out="$CG/$3.$4.$1"
        log "$1: -$4 $3"
        # shellcheck disable=SC2046
        PATH="$W/shim:$PATH" BENCH_TOOL=$1 BENCH_CG_OUT="$out" BENCH_CG_OPTS="$2" \
            "$WRAP" $(cfg_args "$3") -r "$W/slice.pcap" $(mode_args "$4") >/dev/null 2>"$W/cg-err" ||
            { tail -n 30 "$W/cg-err" >&2; die "$1 $3 -$4 failed"; }
        [ -s "$out" ] || { tail -n 30 "$W/cg-err" >&2; die "no $1 output"; }
    }
    for mode in $([ "$DO_CG" = 1 ] && echo Y V); do
        for cfg in "${CONFIGS[@]}"; do
            opts=""
            if [ "$PROFILE" = 1 ] && [ "$cfg" = plugin ]; then opts="--dump-instr=yes"; fi
            valgrind_run callgrind "$opts" "$cfg" "$mode"
        done
    done
    # Simulated caches (cachegrind's defaults: the host's L1 sizes), -Y fcgi.
    for cfg in $([ "$DO_CACHE" = 1 ] && echo "${CONFIGS[@]}"); do
        valgrind_run cachegrind --cache-sim=yes "$cfg" Y
    done
    if [ "$PROFILE" = 1 ] && [ "$DO_CG" = 1 ]; then
        for mode in Y V; do
            cp "$CG/plugin.$mode.callgrind" "$OUT/callgrind.plugin.$mode.out"
            chmod 644 "$OUT/callgrind.plugin.$mode.out"
            log "profile: $OUT/callgrind.plugin.$mode.out"
        done
    fi
fi

# --- report ----------------------------------------------------------------
python3 - "$TSV" "$DO_TIMING" "$CG" "$DO_CG" "${rec_b:-0}" "$W/header.txt" "$CGSUM" "$DO_CACHE" \
    >"$W/summary.txt" <<'PY'
import os, re, statistics, subprocess, sys
tsv, do_timing, cgdir, do_cg, records, header, cgsum, do_cache = sys.argv[1:9]
print(open(header).read().rstrip())
P = lambda b: "PASS" if b else "MISS"
CFGS = ("floor", "builtin", "plugin")
if do_timing == "1":
    runs = {}
    for line in open(tsv).read().splitlines()[1:]:
        rep, mode, cfg, wall, rss, cpu = line.split("\t")
        runs.setdefault((mode, cfg), []).append((float(wall), int(rss) / 1024, float(cpu)))
    reps = len(runs[("Y", "plugin")])
    print("\nTiming: median of %d runs each (min-max), tshark -r corpus ... > /dev/null" % reps)
    print("%-4s %-8s %7s %15s %7s %15s %7s %15s" % ("mode", "config", "wall s", "(min-max)",
          "RSS MB", "(min-max)", "cpu s", "(min-max)"))
    med = {}
    for mode in ("Y", "V"):
        for cfg in CFGS:
            cols = list(zip(*runs[(mode, cfg)]))
            med[(mode, cfg)] = [statistics.median(c) for c in cols]
            line = "%-4s %-8s" % ("-" + mode, cfg)
            for c, mv, f in zip(cols, med[(mode, cfg)], ("%.2f", "%.1f", "%.2f")):
                line += " %7s %15s" % (f % mv, "(%s-%s)" % (f % min(c), f % max(c)))
            print(line)
    r = lambda mode, a, b, i: med[(mode, a)][i] / med[(mode, b)][i]
    rmin = lambda mode, a, b: min(x[0] for x in runs[(mode, a)]) / min(x[0] for x in runs[(mode, b)])
    print("\nRatios of medians                   wall  target  result   cpu  | wall of the minima")
    rows = [
        ("-Y fcgi  plugin/built-in", "Y", "plugin", "builtin", 0, 1.00),
        ("-V       plugin/built-in", "V", "plugin", "builtin", 0, 1.10),
        ("-Y fcgi  plugin/floor   ", "Y", "plugin", "floor", 0, 1.40),
        ("-V       plugin/floor   ", "V", "plugin", "floor", 0, None),
        ("-Y fcgi  built-in/floor ", "Y", "builtin", "floor", 0, None),
        ("-V       built-in/floor ", "V", "builtin", "floor", 0, None),
    ]
    for name, mode, a, b, i, t in rows:
        v = r(mode, a, b, 0)
        print("  %s wall  %6.3f  %6s  %-6s %6.3f  | %6.3f" % (name, v, "<=%.2f" % t if t else "-",
              P(v <= t) if t else "", r(mode, a, b, 2), rmin(mode, a, b)))
    for mode in ("Y", "V"):
        v = r(mode, "plugin", "builtin", 1)
        print("  %s peak RSS plugin/built-in %6.3f  <=1.10  %s" % ("-Y fcgi" if mode == "Y" else "-V     ",
              v, P(v <= 1.10)))
if do_cg == "1":
    records = int(records)
    print("\nCallgrind (instructions, Ir) on a slice of the corpus")
    print(open(cgsum).read().rstrip())
    def total(path):
        for line in open(path, errors="replace"):
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
        raise SystemExit("no totals in " + path)
    print("%-4s %15s %15s %15s %13s %11s" % ("mode", "Ir floor", "Ir built-in", "Ir plugin",
          "built-in/rec", "plugin/rec"))
    for mode in ("Y", "V"):
        f, b, p = (total(os.path.join(cgdir, "%s.%s.callgrind" % (c, mode))) for c in CFGS)
        print("%-4s %15s %15s %15s %13.0f %11.0f" % ("-" + mode, format(f, ","), format(b, ","),
              format(p, ","), (b - f) / records, (p - f) / records))
        print("     plugin/built-in per record: %.2f" % ((p - f) / (b - f)))
    print("  per record = (Ir_config - Ir_floor) / FastCGI records in the slice")
    def annotate(path, incl):
        txt = subprocess.run(["callgrind_annotate", "--inclusive=" + incl, "--threshold=100", path],
                             capture_output=True, text=True, check=True).stdout
        rows = []
        for line in txt.splitlines():
            m = re.match(r"\s*([\d,]+)\s+(?:\([\d.\s]+%\)\s+)?(\S.*?)\s+\[(.*?)\]\s*$", line)
            if m:
                rows.append((int(m.group(1).replace(",", "")), m.group(2).split(":")[-1],
                             os.path.basename(m.group(3))))
        return rows
    for mode in ("Y", "V"):
        path = os.path.join(cgdir, "plugin.%s.callgrind" % mode)
        incl = [x for x in annotate(path, "yes") if x[2] == "fcgi.so"]
        selfp = annotate(path, "no")
        self_ir = dict(((n, o), v) for v, n, o in selfp)
        print("\nPlugin (fcgi.so) functions, -%s, top 15 by inclusive Ir" % mode)
        print("  %14s %10s %10s  %s" % ("incl Ir", "incl/rec", "self/rec", "function"))
        for v, n, o in incl[:15]:
            print("  %14s %10.0f %10.0f  %s" % (format(v, ","), v / records,
                  self_ir.get((n, o), 0) / records, n))
        floor_self = dict(((n, o), v) for v, n, o in annotate(os.path.join(cgdir, "floor.%s.callgrind" % mode), "no"))
        diff = sorted((((v - floor_self.get((n, o), 0)), n, o) for v, n, o in selfp), reverse=True)
        print("Top 12 functions (any library) by self Ir added over the floor, -%s, per record" % mode)
        for d, n, o in diff[:12]:
            print("  %10.0f  %s (%s)" % (d / records, n, o))
if do_cache == "1":
    records = int(records)
    def cache_counts(path):
        """Ir, I1 misses, D1 misses (read + write) and the cache descriptions of a cachegrind file."""
        desc, ev = [], {}
        for line in open(path, errors="replace"):
            if line.startswith("desc: "):
                desc.append(" ".join(line[6:].split()))
            elif line.startswith("events:"):
                names = line.split()[1:]
            elif line.startswith("summary:"):
                ev = dict(zip(names, map(int, line.split()[1:])))
        return [ev["Ir"], ev["I1mr"], ev["D1mr"] + ev["D1mw"]], desc
    rows = dict((c, cache_counts(os.path.join(cgdir, "%s.Y.cachegrind" % c))) for c in CFGS)
    if do_cg != "1":
        print("\n" + open(cgsum).read().rstrip())
    print("\nSimulated caches (cachegrind --cache-sim=yes), -Y fcgi on the slice")
    print("  " + "; ".join(d for d in rows["plugin"][1] if d.startswith(("I1", "D1"))))
    rows = dict((c, r[0]) for c, r in rows.items())
    print("%-8s %15s %13s %13s" % ("config", "Ir", "I1 misses", "D1 misses"))
    for c in CFGS:
        print("%-8s %15s %13s %13s" % ((c,) + tuple(format(v, ",") for v in rows[c])))
    names = ("Ir", "I1 misses", "D1 misses")
    for c in ("builtin", "plugin"):
        print("  %-8s per record over the floor: %s" % (c, ", ".join(
            "%s %.1f" % (n, (rows[c][i] - rows["floor"][i]) / records) for i, n in enumerate(names))))
    print("  plugin/built-in, whole run: %s" % ", ".join(
        "%s %.3f" % (n, rows["plugin"][i] / rows["builtin"][i]) for i, n in enumerate(names)))
PY
cat "$W/summary.txt"
cp "$W/summary.txt" "$OUT/run-summary.txt"
if [ "$DO_TIMING" = 1 ]; then cp "$TSV" "$OUT/run.tsv"; fi
log "wrote $OUT/run-summary.txt"
