#!/bin/bash
# Records real multiplexed FastCGI traffic: bench/fcgi_gen.py's client sends
# REQUESTS requests over ONE connection, OPEN of them in flight at once, to Go's
# net/http/fcgi (captures/record/gofcgi/main.go, which serves every request of
# a connection in its own goroutine and answers in completion order), on
# 127.0.0.1:9300, captured with tcpdump on lo.
#
#   bench/record-go.sh [-n REQUESTS] [-k OPEN] [-o OUT.pcap]
#
# Defaults: -n 20000 -k 200 -o bench/out/go-mpx.pcap (+ OUT.info with the counts).
# Requirements: Debian 12, root.  Installs golang-go, tcpdump, tshark if missing;
# builds offline (standard library only).
. "$(dirname "$0")/lib.sh"
N=20000
OPEN=200
OUT=$BENCH/out/go-mpx.pcap
FCGI_PORT=9300
while [ $# -gt 0 ]; do
    case $1 in
        -n) N=$2; shift 2 ;;
        -k) OPEN=$2; shift 2 ;;
        -o) OUT=$2; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
bench_run record-go
need_cmd tshark tshark
start_gofcgi $FCGI_PORT

tcpdump_start "$RUN/go.pcap" $FCGI_PORT
python3 "$BENCH/fcgi_gen.py" client 127.0.0.1 $FCGI_PORT -n "$N" -k "$OPEN" >&2 ||
    die "client: not every request was answered"
tcpdump_stop
chmod 644 "$RUN/go.pcap"
read -r FR BEG END REC CON < <(count_capture "$RUN/go.pcap" $FCGI_PORT)
mkdir -p "$(dirname "$OUT")"
mv -f "$RUN/go.pcap" "$OUT"
cat >"${OUT%.pcap}.info" <<INFO
# written by bench/record-go.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ) (-n $N -k $OPEN, $(go version | cut -d' ' -f3))
file=$(basename "$OUT")
bytes=$(stat -c %s "$OUT")
frames=$FR
begin_requests=$BEG
end_requests=$END
records=$REC
connections=$CON
open_at_once=$OPEN
tcpdump_dropped=$CAP_DROPPED
INFO
log "wrote $OUT"
cat "${OUT%.pcap}.info" >&2
