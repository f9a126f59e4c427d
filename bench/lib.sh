# What bench/record-corpus.sh and bench/record-go.sh need beyond
# captures/record/common.sh, which they share with the capture scripts
# (packages, temp dir and cleanup, bg/wait_port/port_free, php-fpm, nginx, Go,
# tcpdump_start/tcpdump_stop).  Source it, do not run it:
#
#   . "$(dirname "$0")/lib.sh"
#   bench_run TAG          # new_run with the benchmark's temp dir $RUN
#   count_capture FILE PORT  -> "frames begin_requests end_requests records connections"
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
. "$ROOT/captures/record/common.sh"
CAP_NAME=bench
# default snaplen; -B: 64 MiB kernel buffer so nothing is dropped
TCPDUMP_OPTS=(-B 65536)

# bench_run TAG: root check, temp dir $RUN, cleanup trap.  The name's length
# is fixed: $RUN/www is DOCUMENT_ROOT in every PARAMS.
bench_run() { new_run "$1" /tmp/fcgi-bench-record.XXXXXX; }

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
