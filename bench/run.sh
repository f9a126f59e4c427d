#!/bin/bash
# Benchmarks the fcgi plugin against Wireshark's built-in FastCGI dissector
# and against a "floor" (the FastCGI port dissected as plain data).
#
#   bench/run.sh [-n REPS] [--corpus FILE] [--port PORT] [--name NAME]
#                [--build DIR] [--cg-frames N] [--no-floor-timing]
#                [--profile] [--cache] [--massif] [--no-timing] [--no-callgrind]
#
#   -n REPS        timed repetitions per configuration and mode (default 5)
#   --corpus FILE  capture to read (default bench/out/corpus.pcap, recorded by
#                  bench/record-corpus.sh; its .info file gives the phases)
#   --build DIR    build folder holding plugins/**/fcgi.so (default
#                  $FCGI_BUILD_DIR or ./build); the .so is copied once at the
#                  start, so rebuilding during the run does not mix versions
#   --port PORT    the FastCGI port (-d tcp.port==PORT,...; default 9300)
#   --name NAME    results go to bench/out/NAME.summary.txt, NAME.tsv and
#                  NAME.result (key=value lines for bench/all.sh); default
#                  "run" (run-summary.txt, run.tsv)
#   --cg-frames N  frames in the callgrind/massif slice (default 20000)
#   --no-floor-timing  time only built-in and plugin (callgrind keeps the floor)
#   --cg-modes "Y V"   modes run under callgrind (default both)
#   --profile      keep the plugin's callgrind profiles (with --dump-instr=yes)
#                  as bench/out/callgrind.plugin.{Y,V}.out (NAME.callgrind...
#                  with --name)
#   --cache        also simulate the caches (valgrind --tool=cachegrind
#                  --cache-sim=yes) for -Y fcgi on the slice: instruction and
#                  L1 instruction/data cache misses per FastCGI record
#   --massif       heap (valgrind --tool=massif, WIRESHARK_DEBUG_WMEM_OVERRIDE=
#                  simple so every wmem allocation is a malloc of its own):
#                  peak heap of the built-in and the plugin, -Y fcgi, on the
#                  slice and on its first frame; plugin state per request =
#                  ((plugin - built-in) on the slice - (plugin - built-in) on
#                  one frame) / BEGIN_REQUESTs in the slice; and the plugin's
#                  peak heap per allocation site in packet-fcgi.c
#   --massif-base FILE  the one-frame massif figures (they depend only on
#                  tshark and the plugin build): read from FILE if it exists,
#                  else measured and written there
#   --no-timing / --no-callgrind   skip one part
#
# Configurations (all: tshark -r CORPUS, default preferences, empty HOME):
#   floor    plugin not loaded, -d tcp.port==9300,data
#   builtin  plugin not loaded, -d tcp.port==9300,fcgi  (Wireshark's own)
#   plugin   plugin loaded,     -d tcp.port==9300,fcgi
# Modes:  Y = -Y fcgi (summary lines of the matching frames)   V = -V
# Output always goes to /dev/null.  The runs alternate round-robin (the
# order of the configurations rotates each repetition).  CPU time (user +
# sys, %U %S), wall time and peak RSS come from /usr/bin/time around
# test/tshark-plugin.sh, which execs tshark (same PID), so %M is tshark's own
# peak RSS.  The warm-up stages the plugin; the timed runs then skip staging
# (FCGI_STAGED=1), whose find and cmp would add ~30 ms of CPU to every
# plugin run and none to the built-in's.  The targets are on CPU time (less
# disturbed than wall time by other jobs): ratio of the medians, and the
# spread of the per-round ratios.
#
# Results: bench/out/NAME.tsv (every run), NAME.summary.txt, NAME.result.
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
NAME=run
FLOOR_TIMING=1
DO_MASSIF=0
CG_MODES="Y V"
MASSIF_BASE=""
while [ $# -gt 0 ]; do
    case $1 in
        -n) REPS=$2; shift 2 ;;
        --corpus) CORPUS=$2; shift 2 ;;
        --build) BUILD=$2; shift 2 ;;
        --cg-frames) CG_FRAMES=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --name) NAME=$2; shift 2 ;;
        --no-floor-timing) FLOOR_TIMING=0; shift ;;
        --massif) DO_MASSIF=1; shift ;;
        --cg-modes) CG_MODES=$2; shift 2 ;;
        --massif-base) MASSIF_BASE=$2; shift 2 ;;
        --profile) PROFILE=1; shift ;;
        --no-timing) DO_TIMING=0; shift ;;
        --no-callgrind) DO_CG=0; shift ;;
        --cache) DO_CACHE=1; shift ;;
        -h|--help) sed -n '2,48p' "$0"; exit 0 ;;
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
need objdump binutils
if [ "$DO_CG" = 1 ] || [ "$DO_CACHE" = 1 ] || [ "$DO_MASSIF" = 1 ]; then need valgrind valgrind; fi

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
    if [ -s "$BUILD/git-sha" ]; then
        echo "source:  git $(cat "$BUILD/git-sha") (as named by $BUILD/git-sha)"
    else
        echo "source:  git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" status --porcelain -- packet-fcgi.c 2>/dev/null | grep -q . && echo ', packet-fcgi.c modified' || true)"
        if [ "$ROOT/packet-fcgi.c" -nt "$SO" ]; then echo "WARNING: packet-fcgi.c is newer than fcgi.so (stale build?)"; fi
    fi
    case ${build_type} in Release|RelWithDebInfo|MinSizeRel) ;; *) echo "WARNING: plugin not built optimised (CMAKE_BUILD_TYPE=${build_type:-empty})";; esac
    echo "corpus:  $CORPUS: $(capinfos -Mc "$C" | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}') frames, $(stat -c %s "$C") bytes"
} | tee "$W/header.txt" >&2

# --- sanity: the plugin is loaded in "plugin" and absent otherwise ----------
"$WRAP" -G plugins 2>/dev/null | grep -q 'fcgi\.so' || die "plugin not loaded by test/tshark-plugin.sh"
! "$WRAP" --builtin -G plugins 2>/dev/null | grep -q 'fcgi\.so' || die "plugin loaded with --builtin"

CONFIGS=(floor builtin plugin)
if [ "$FLOOR_TIMING" = 1 ]; then TCONFIGS=(floor builtin plugin); else TCONFIGS=(builtin plugin); fi
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
    for cfg in "${TCONFIGS[@]}"; do
        # shellcheck disable=SC2046
        n=$("$WRAP" $(cfg_args $cfg) -r "$C" -Y fcgi 2>"$W/err" | wc -l) ||
            { cat "$W/err" >&2; die "$cfg failed"; }
        log "warm-up: $cfg: -Y fcgi matches $n frames"
    done
    printf 'rep\tmode\tconfig\twall_s\tmaxrss_kb\tcpu_s\n' >"$TSV"
    for ((rep = 1; rep <= REPS; rep++)); do
        for mode in Y V; do
            for ((k = 0; k < ${#TCONFIGS[@]}; k++)); do
                cfg=${TCONFIGS[$(( (rep + k) % ${#TCONFIGS[@]} ))]}
                # shellcheck disable=SC2046
                FCGI_STAGED=1 /usr/bin/time -f '%e %M %U %S' -o "$W/time" \
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
if [ "$DO_CG" = 1 ] || [ "$DO_CACHE" = 1 ] || [ "$DO_MASSIF" = 1 ]; then
    # Slice: the same leading fraction of each phase of the corpus (fresh
    # connections, then keep-alive), so the mix of both is that of the corpus.
    INFO=${CORPUS%.pcap}.info
    total=$(capinfos -Mc "$C" | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')
    ranges="1-$CG_FRAMES"
    if [ -f "$INFO" ]; then
        fresh=$(sed -n 's/^fresh_frames=//p' "$INFO")
        if [ -n "$fresh" ] && [ "$fresh" -gt 0 ] && [ "$fresh" -lt "$total" ] && [ "$CG_FRAMES" -lt "$total" ]; then
            nf=$(( CG_FRAMES * fresh / total ))
            nk=$(( CG_FRAMES - nf ))
            ranges="1-$nf $((fresh + 1))-$((fresh + nk))"
        fi
    fi
    # shellcheck disable=SC2086
    editcap -r "$C" "$W/slice.pcap" $ranges
    chmod 644 "$W/slice.pcap"
    editcap -r "$W/slice.pcap" "$W/head.pcap" 1
    chmod 644 "$W/head.pcap"
    # FastCGI records in the slice: one fcgi.type value per record
    count_records() {   # count_records CONFIG -> "records begin_requests"
        # shellcheck disable=SC2046
        "$WRAP" $(cfg_args "$1") -r "$W/slice.pcap" -Y fcgi -T fields -e fcgi.type 2>/dev/null |
            awk '{ k = split($0, t, ","); n += k; for (i = 1; i <= k; i++) b += (t[i] == 1) } END { print n + 0, b + 0 }'
    }
    read -r rec_b req_b < <(count_records builtin)
    read -r rec_p req_p < <(count_records plugin)
    [ "$rec_b" -gt 0 ] || die "no FastCGI records in the slice"
    echo "slice: frames $ranges of the corpus ($(capinfos -Mc "$W/slice.pcap" | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}') frames), FastCGI records: $rec_b (built-in count, used below), $rec_p (plugin count); BEGIN_REQUEST: $req_b (built-in), $req_p (plugin)" >>"$CGSUM"

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
    valgrind_run() {   # valgrind_run TOOL OPTS CFG MODE [INPUT] -> $CG/CFG.MODE.TOOL[.INPUT]
        local in=${5:-slice}
        local out="$CG/$3.$4.$1${5:+.$5}"
        log "$1: -$4 $3 ($in)"
        # shellcheck disable=SC2046
        PATH="$W/shim:$PATH" BENCH_TOOL=$1 BENCH_CG_OUT="$out" BENCH_CG_OPTS="$2" \
            "$WRAP" $(cfg_args "$3") -r "$W/$in.pcap" $(mode_args "$4") >/dev/null 2>"$W/cg-err" ||
            { tail -n 30 "$W/cg-err" >&2; die "$1 $3 -$4 failed"; }
        [ -s "$out" ] || { tail -n 30 "$W/cg-err" >&2; die "no $1 output"; }
    }
    for mode in $([ "$DO_CG" = 1 ] && echo $CG_MODES); do
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
    # Heap: every wmem allocation a malloc of its own, so massif sees them;
    # allocation sites are the first caller outside these allocators.
    if [ "$DO_MASSIF" = 1 ]; then
        MOPTS="--peak-inaccuracy=0.0 --depth=40 --threshold=0.01"
        for fn in g_malloc g_malloc0 g_realloc g_try_malloc g_try_malloc0 g_malloc_n g_malloc0_n \
                  g_realloc_n g_memdup g_memdup2 g_strdup g_strndup g_slice_alloc g_slice_alloc0 \
                  g_slice_copy g_array_maybe_expand g_ptr_array_maybe_expand \
                  wmem_alloc wmem_alloc0 wmem_realloc wmem_strdup wmem_strndup wmem_memdup \
                  wmem_simple_alloc wmem_simple_realloc wmem_strdup_printf wmem_strdup_vprintf; do
            MOPTS="$MOPTS --alloc-fn=$fn"
        done
        # resident-modules: GLib never unloads fcgi.so, so massif can still
        # name its functions when it writes the profile at exit.
        export WIRESHARK_DEBUG_WMEM_OVERRIDE=simple G_DEBUG=resident-modules
        for cfg in builtin plugin; do
            valgrind_run massif "$MOPTS" "$cfg" Y
            if [ -n "$MASSIF_BASE" ] && [ -s "$MASSIF_BASE.$cfg" ]; then
                cp "$MASSIF_BASE.$cfg" "$CG/$cfg.Y.massif.head"
                log "massif: -Y $cfg (head): $MASSIF_BASE.$cfg"
            else
                valgrind_run massif "$MOPTS" "$cfg" Y head
                if [ -n "$MASSIF_BASE" ]; then cp "$CG/$cfg.Y.massif.head" "$MASSIF_BASE.$cfg"; fi
            fi
        done
        unset WIRESHARK_DEBUG_WMEM_OVERRIDE G_DEBUG
        cp "$CG/plugin.Y.massif" "$OUT/$NAME.massif.plugin.out"
        chmod 644 "$OUT/$NAME.massif.plugin.out"
    fi
    if [ "$PROFILE" = 1 ] && [ "$DO_CG" = 1 ]; then
        for mode in $CG_MODES; do
            prof=$OUT/$NAME.callgrind.plugin.$mode.out
            if [ "$NAME" = run ]; then prof=$OUT/callgrind.plugin.$mode.out; fi
            cp "$CG/plugin.$mode.callgrind" "$prof"
            chmod 644 "$prof"
            log "profile: $prof"
        done
    fi
fi

# --- report ----------------------------------------------------------------
RES=$W/result
python3 - "$TSV" "$DO_TIMING" "$CG" "$DO_CG" "${rec_b:-0}" "$W/header.txt" "$CGSUM" "$DO_CACHE" \
    "$DO_MASSIF" "${req_b:-0}" "$RES" "$CG_MODES" >"$W/summary.txt" <<'PY'
import os, re, statistics, subprocess, sys
tsv, do_timing, cgdir, do_cg, records, header, cgsum, do_cache, do_massif, requests, resf, cg_modes = sys.argv[1:13]
cg_modes = cg_modes.split()
print(open(header).read().rstrip())
P = lambda b: "PASS" if b else "MISS"
CFGS = ("floor", "builtin", "plugin")
res = open(resf, "w")
def result(key, value):
    res.write("%s=%s\n" % (key, value))
result("records", records)
result("requests", requests)
if do_timing == "1":
    runs = {}
    for line in open(tsv).read().splitlines()[1:]:
        rep, mode, cfg, wall, rss, cpu = line.split("\t")
        runs.setdefault((mode, cfg), {})[int(rep)] = (float(wall), int(rss) / 1024, float(cpu))
    tcfgs = [c for c in CFGS if ("Y", c) in runs]
    reps = len(runs[("Y", "plugin")])
    print("\nTiming: median of %d alternating runs each (min-max), tshark -r corpus ... > /dev/null" % reps)
    print("%-4s %-8s %7s %15s %7s %15s %7s %15s" % ("mode", "config", "cpu s", "(min-max)",
          "wall s", "(min-max)", "RSS MB", "(min-max)"))
    med = {}
    for mode in ("Y", "V"):
        for cfg in tcfgs:
            cols = list(zip(*runs[(mode, cfg)].values()))
            med[(mode, cfg)] = [statistics.median(c) for c in cols]
            line = "%-4s %-8s" % ("-" + mode, cfg)
            for i, f in ((2, "%.2f"), (0, "%.2f"), (1, "%.1f")):
                line += " %7s %15s" % (f % med[(mode, cfg)][i], "(%s-%s)" % (f % min(cols[i]), f % max(cols[i])))
            print(line)
            result("cpu_%s_%s" % (mode, cfg), "%.3f %.3f %.3f" % (med[(mode, cfg)][2], min(cols[2]), max(cols[2])))
            result("rss_%s_%s" % (mode, cfg), "%.1f" % med[(mode, cfg)][1])
    def per_round(mode, a, b, i):
        ra, rb = runs[(mode, a)], runs[(mode, b)]
        return [ra[k][i] / rb[k][i] for k in ra if k in rb]
    print("\nRatios (CPU = user+sys): ratio of the medians, [min-max of the per-round ratios]; wall: ratio of the medians;")
    print("fastest: ratio of the fastest runs (other jobs only ever add time, so the fastest run of each is the least disturbed)")
    rows = [
        ("-Y fcgi  plugin/built-in", "Y", "plugin", "builtin", 1.00),
        ("-V       plugin/built-in", "V", "plugin", "builtin", 1.10),
        ("-Y fcgi  plugin/floor   ", "Y", "plugin", "floor", 1.40),
        ("-V       plugin/floor   ", "V", "plugin", "floor", None),
        ("-Y fcgi  built-in/floor ", "Y", "builtin", "floor", None),
        ("-V       built-in/floor ", "V", "builtin", "floor", None),
    ]
    for name, mode, a, b, t in rows:
        if (mode, b) not in med:
            continue
        v = med[(mode, a)][2] / med[(mode, b)][2]
        pr = per_round(mode, a, b, 2)
        fastest = min(r[2] for r in runs[(mode, a)].values()) / min(r[2] for r in runs[(mode, b)].values())
        print("  %s cpu %6.3f [%5.3f-%5.3f]  %6s %-4s | wall %6.3f | fastest %6.3f" % (
              name, v, min(pr), max(pr), "<=%.2f" % t if t else "", P(v <= t) if t else "",
              med[(mode, a)][0] / med[(mode, b)][0], fastest))
        if b == "builtin":
            result("ratio_cpu_%s" % mode, "%.3f %.3f %.3f" % (v, min(pr), max(pr)))
            result("ratio_cpu_fastest_%s" % mode, "%.3f" % fastest)
    for mode in ("Y", "V"):
        v = med[(mode, "plugin")][1] / med[(mode, "builtin")][1]
        pr = per_round(mode, "plugin", "builtin", 1)
        print("  %s peak RSS plugin/built-in %6.3f [%5.3f-%5.3f]  <=1.10 %s" % (
            "-Y fcgi" if mode == "Y" else "-V     ", v, min(pr), max(pr), P(v <= 1.10)))
        result("ratio_rss_%s" % mode, "%.3f %.3f %.3f" % (v, min(pr), max(pr)))
if do_massif == "1":
    import functools
    requests = int(requests)
    # WIRESHARK_DEBUG_WMEM_OVERRIDE=simple keeps, per wmem allocator, an array
    # of pointers to its allocations that doubles as it fills (8 bytes per
    # allocation, in steps): not Wireshark's memory, and its steps would
    # land at different points in the two runs.  It is left out.
    @functools.lru_cache(None)
    def _dynsyms(lib):
        out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True).stdout
        return dict((l.split()[2].split("@")[0], int(l.split()[0], 16)) for l in out.splitlines() if len(l.split()) == 3)
    def simple_ptr_sites(tree):
        """Addresses (depth-1 nodes) where wmem's simple allocator grows its pointer
        array: in libwsutil, a call to wmem_realloc followed by one to wmem_alloc."""
        base = {}
        for line in tree:
            m = re.match(r"\s*n\d+: \d+ 0x([0-9A-F]+): (\w+) \(in (/\S*libwsutil\S*)\)", line)
            if m and m.group(3) not in base:
                syms = _dynsyms(m.group(3))
                if m.group(2) in syms:
                    base[m.group(3)] = (int(m.group(1), 16) - syms[m.group(2)]) & ~0xFFF
        sites = set()
        for line in tree:
            m = re.match(r"( *)n\d+: \d+ 0x([0-9A-F]+): (.*)$", line)
            if not m:
                continue
            d, addr, desc = len(m.group(1)), int(m.group(2), 16), m.group(3)
            if d == 1:
                lm = re.match(r"\?\?\? \(in (/\S*libwsutil\S*)\)", desc)
                if lm and lm.group(1) in base:
                    off = addr - base[lm.group(1)]
                    # massif gives the return address - 1; a direct call is 5 bytes
                    dis = subprocess.run(["objdump", "-d", "--start-address=%d" % (off - 4),
                                          "--stop-address=%d" % (off + 1), lm.group(1)],
                                         capture_output=True, text=True).stdout.strip().splitlines()
                    if not (dis and re.search(r"\bcall\b.*<wmem_realloc@plt>", dis[-1])):
                        continue
                    # wmem_simple_alloc: the array grows, then wmem_alloc(NULL, size)
                    # follows before the function returns (wmem_simple_realloc has none)
                    nxt = subprocess.run(["objdump", "-d", "--start-address=%d" % (off + 1),
                                          "--stop-address=%d" % (off + 80), lm.group(1)],
                                         capture_output=True, text=True).stdout.splitlines()
                    for ins in nxt:
                        if re.search(r"\tret", ins):
                            break
                        if re.search(r"\bcall\b.*<wmem_alloc@plt>", ins):
                            sites.add(addr)
                            break
        return sites

    def massif(path):
        """(heap bytes without the simple allocator's arrays, extra bytes, tree
        lines, excluded bytes, excluded sites) of the peak snapshot."""
        snaps, cur = [], None
        for line in open(path, errors="replace"):
            line = line.rstrip("\n")
            if line.startswith("snapshot="):
                cur = {"tree": []}
                snaps.append(cur)
            elif cur is not None and "=" in line and not line.startswith((" ", "n")):
                k, v = line.split("=", 1)
                cur[k] = v
            elif cur is not None and re.match(r"\s*n\d+:", line):
                cur["tree"].append(line)
        peak = [x for x in snaps if x.get("heap_tree") == "peak"]
        x = peak[0] if peak else max(snaps, key=lambda x: int(x["mem_heap_B"]))
        ptr = simple_ptr_sites(x["tree"])
        excl = 0
        for line in x["tree"]:
            m = re.match(r" n\d+: (\d+) 0x([0-9A-F]+):", line)
            if m and int(m.group(2), 16) in ptr:
                excl += int(m.group(1))
        return int(x["mem_heap_B"]) - excl, int(x["mem_heap_extra_B"]), x["tree"], excl, ptr
    h = dict(((c, i), massif(os.path.join(cgdir, "%s.Y.massif%s" % (c, i))))
             for c in ("builtin", "plugin") for i in ("", ".head"))
    d_slice = h[("plugin", "")][0] - h[("builtin", "")][0]
    d_head = h[("plugin", ".head")][0] - h[("builtin", ".head")][0]
    print("\nHeap (massif, WIRESHARK_DEBUG_WMEM_OVERRIDE=simple), peak heap bytes requested, -Y fcgi,"
          "\nwithout the simple allocator's pointer arrays (left out: in brackets)")
    print("  %-8s %24s %24s  %s" % ("config", "slice", "first frame", "malloc overhead at the slice's peak"))
    for c in ("builtin", "plugin"):
        print("  %-8s %24s %24s  %s" % (c, "%s (%s)" % (format(h[(c, "")][0], ","), format(h[(c, "")][3], ",")),
              "%s (%s)" % (format(h[(c, ".head")][0], ","), format(h[(c, ".head")][3], ",")),
              format(h[(c, "")][1], ",")))
    if not h[("plugin", "")][4]:
        print("  WARNING: the simple allocator's pointer arrays were not found (objdump of libwsutil)")
    per_req = (d_slice - d_head) / requests if requests else float("nan")
    print("  plugin state per request = ((plugin - built-in) on the slice %s - on one frame %s) / %d requests = %.0f bytes"
          % (format(d_slice, ","), format(d_head, ","), requests, per_req))
    print("  built-in heap per request (over its first frame): %.0f bytes"
          % ((h[("builtin", "")][0] - h[("builtin", ".head")][0]) / max(requests, 1)))
    result("state_bytes_per_request", "%.1f" % per_req)
    result("builtin_heap_per_request", "%.1f" % ((h[("builtin", "")][0] - h[("builtin", ".head")][0]) / max(requests, 1)))
    # Allocation sites: on each path of the peak tree (root = the allocators,
    # children = their callers), the first frame in the plugin.
    sites = {}
    stack = []
    ptr_sites = h[("plugin", "")][4]
    for line in h[("plugin", "")][2]:
        m = re.match(r"(\s*)n\d+: (\d+) (.*)$", line)
        depth, nbytes, desc = len(m.group(1)), int(m.group(2)), m.group(3)
        del stack[depth:]
        stack.append(desc)
        a = re.match(r"0x([0-9A-F]+):", stack[1]) if len(stack) > 1 else None
        if a and int(a.group(1), 16) in ptr_sites:
            continue
        if ("packet-fcgi.c" in desc or "fcgi.so" in desc) and not any(
                "packet-fcgi.c" in x or "fcgi.so" in x for x in stack[:-1]):
            fn = re.sub(r"^0x[0-9A-F]+: ", "", desc)
            # what it called: the nearest named frame towards the allocator
            named = [re.sub(r" \(.*", "", re.sub(r"^0x[0-9A-F]+: ", "", x)) for x in stack[1:-1]]
            named = [x for x in named if not x.startswith("???")]
            callee = named[-1] if named else re.sub(r".*\(in .*/(.*)\)$", r"??? in \1", stack[-2])
            key = (fn, callee)
            sites[key] = sites.get(key, 0) + nbytes
    tot = sum(sites.values())
    print("\nPlugin heap at the peak by allocation site (first frame in fcgi.so on each stack): %s bytes, %.0f per request"
          % (format(tot, ","), tot / max(requests, 1)))
    print("  %12s %8s  %s" % ("bytes", "B/req", "site  <- what it called"))
    for (fn, callee), v in sorted(sites.items(), key=lambda x: -x[1])[:20]:
        print("  %12s %8.1f  %s  <- %s" % (format(v, ","), v / max(requests, 1), fn, callee))
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
    for mode in cg_modes:
        f, b, p = (total(os.path.join(cgdir, "%s.%s.callgrind" % (c, mode))) for c in CFGS)
        print("%-4s %15s %15s %15s %13.0f %11.0f" % ("-" + mode, format(f, ","), format(b, ","),
              format(p, ","), (b - f) / records, (p - f) / records))
        print("     plugin/built-in per record: %.2f" % ((p - f) / (b - f)))
        result("ir_%s" % mode, "%.0f %.0f" % ((b - f) / records, (p - f) / records))
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
    for mode in cg_modes:
        path = os.path.join(cgdir, "plugin.%s.callgrind" % mode)
        selfp = annotate(path, "no")
        self_ir = dict(((n, o), v) for v, n, o in selfp)
        # --inclusive=yes prints "Ir (pct) file:function" without the object
        # and splits a function between its source file and "???"; take the
        # larger of the two for each function of fcgi.so.
        plugin_fns = set(n for v, n, o in selfp if o == "fcgi.so")
        txt = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
                             capture_output=True, text=True, check=True).stdout
        incl_ir = {}
        for line in txt.splitlines():
            m = re.match(r"\s*([\d,]+)\s+\([\d.\s]+%\)\s+(\S+?):(\S+)(?:\s+\[.*\])?\s*$", line)
            if m and m.group(3) in plugin_fns and ("fcgi" in m.group(2) or m.group(2) == "???"):
                incl_ir[m.group(3)] = max(incl_ir.get(m.group(3), 0), int(m.group(1).replace(",", "")))
        incl = sorted(((v, n, "fcgi.so") for n, v in incl_ir.items()), reverse=True)
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
SUMF=$OUT/$NAME.summary.txt
if [ "$NAME" = run ]; then SUMF=$OUT/run-summary.txt; fi
cp "$W/summary.txt" "$SUMF"
cp "$RES" "$OUT/$NAME.result"
if [ "$DO_TIMING" = 1 ]; then cp "$TSV" "$OUT/$NAME.tsv"; fi
log "wrote $SUMF, $OUT/$NAME.result"
