# Shared helpers of bench/record-corpus.sh and bench/record-go.sh (recording
# real traffic on lo).  Source it, do not run it:
#
#   . "$(dirname "$0")/lib.sh"
#   setup_run TAG          # root check, temp dir $RUN, cleanup trap
#   need CMD PKG           # apt-get install PKG unless CMD exists
#   bg LOG CMD...          # start CMD (clean env), remember its PID for cleanup
#   port_free PORT; wait_port PORT PID
#   start_capture FILE PORT; stop_capture PHASE   # tcpdump; sets DROPPED_PHASE
#   count_capture FILE PORT  -> "frames begin_requests end_requests records connections"
#
# Everything started with bg/start_capture is stopped by PID on exit and $RUN
# removed.
set -euo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
LOG_TAG=${LOG_TAG:-bench}
RUN=""
PIDS=()
CAP_PID=""

log() { printf '[%s] %s\n' "$LOG_TAG" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

need() {   # need CMD PKG
    command -v "$1" >/dev/null 2>&1 && return 0
    log "apt-get install $2"
    DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "$2" >&2 ||
        { DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
          DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "$2" >&2; }
}

cleanup() {
    local rc=$? i pid
    set +e
    if [ -n "$CAP_PID" ]; then kill -INT "$CAP_PID" 2>/dev/null; wait "$CAP_PID" 2>/dev/null; fi
    for (( i=${#PIDS[@]}-1; i>=0; i-- )); do kill -TERM "${PIDS[$i]}" 2>/dev/null; done
    for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
        pid=${PIDS[$i]}
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    done
    if [ "$rc" -ne 0 ] && [ -n "$RUN" ]; then
        for f in "$RUN"/*.log; do [ -f "$f" ] && { echo "----- $f" >&2; tail -n 20 "$f" >&2; }; done
    fi
    [ -n "$RUN" ] && rm -rf "$RUN"
    exit "$rc"
}

setup_run() {   # setup_run TAG
    LOG_TAG=$1
    [ "$(id -u)" -eq 0 ] || die "must run as root (tcpdump, servers)"
    RUN=$(mktemp -d /tmp/fcgi-bench-record.XXXXXX)   # fixed length: DOCUMENT_ROOT in PARAMS
    chmod 755 "$RUN"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
}

port_free() { ! ss -Hltn "sport = :$1" | grep -q . || die "port $1 already in use"; }
wait_port() {   # wait_port PORT PID
    for _ in $(seq 100); do
        ss -Hltn "sport = :$1" | grep -q . && return 0
        kill -0 "$2" 2>/dev/null || die "process $2 died before listening on port $1"
        sleep 0.1
    done
    die "nothing listening on port $1"
}
CLEAN_ENV=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C)
bg() { local logf=$1; shift; "${CLEAN_ENV[@]}" "$@" >"$logf" 2>&1 & PIDS+=("$!"); LAST_PID=$!; }

start_capture() {   # start_capture FILE PORT
    # snaplen default (262144); -B: 64 MiB kernel buffer so nothing is dropped
    tcpdump -i lo -n -B 65536 -Z root -w "$1" "tcp port $2" >"$RUN/tcpdump.log" 2>&1 &
    CAP_PID=$!
    for _ in $(seq 100); do
        grep -q 'listening on' "$RUN/tcpdump.log" 2>/dev/null && break
        kill -0 "$CAP_PID" 2>/dev/null || { cat "$RUN/tcpdump.log" >&2; die "tcpdump died"; }
        sleep 0.1
    done
    sleep 0.5
}
stop_capture() {   # stop_capture PHASE -> DROPPED_PHASE
    sleep 1
    kill -INT "$CAP_PID"; wait "$CAP_PID" || true; CAP_PID=""
    local dropped
    dropped=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$RUN/tcpdump.log")
    log "$1: tcpdump: $(tr '\n' ';' <"$RUN/tcpdump.log" | sed 's/listening on[^;]*;//')"
    [ "${dropped:-0}" = 0 ] || log "WARNING: $1: tcpdump dropped $dropped packets"
    eval "DROPPED_$1=${dropped:-0}"
}

# Counts made with Wireshark's built-in dissector (no plugin): test/tshark-plugin.sh
# --builtin, which runs as nobody (FILE must be readable by nobody).
count_capture() {   # count_capture FILE PORT -> "frames begin end records connections"
    export FCGI_STAGE_DIR=${FCGI_STAGE_DIR:-/tmp/fcgi-bench-stage}
    local f=$1 port=$2 frames syn
    frames=$(capinfos -Mc "$f" | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')
    syn=$("$ROOT/test/tshark-plugin.sh" --builtin -r "$f" -Y 'tcp.flags.syn==1 && tcp.flags.ack==0' 2>/dev/null | wc -l)
    # one line per frame with fcgi; comma-separated types when a frame holds several records
    "$ROOT/test/tshark-plugin.sh" --builtin -r "$f" -d "tcp.port==$port,fcgi" -Y fcgi \
        -T fields -e fcgi.type 2>/dev/null |
        awk -v frames="$frames" -v syn="$syn" '{ n = split($0, t, ","); for (i = 1; i <= n; i++) { r++; c[t[i]]++ } }
             END { printf "%d %d %d %d %d\n", frames, c[1], c[3], r, syn }'
}
