#!/bin/bash
# Records the benchmark corpus bench/out/corpus.pcap from real traffic:
# wrk -> nginx -> php-fpm over TCP 127.0.0.1:9300, captured with tcpdump on lo.
#
#   bench/record-corpus.sh [-n REQUESTS_PER_PHASE] [-c WRK_CONNECTIONS] [-o OUT.pcap]
#                          [--phases fresh|keepalive|fresh,keepalive]
#                          [--ka-requests N]
#
# --phases records only one phase (default both); --ka-requests sets nginx's
# upstream keepalive_requests (default 1000, nginx's own default): the number
# of requests nginx sends on one FastCGI connection before closing it.
#
# Two phases, each bounded to REQUESTS_PER_PHASE (default 25000) responses by
# bench/wrk-bounded.lua:
#   1. "fresh":     nginx's default fastcgi_pass, one FastCGI connection per
#                   request (php-fpm closes it after FCGI_END_REQUEST);
#   2. "keepalive": nginx upstream keepalive + fastcgi_keep_conn on, many
#                   requests per FastCGI connection (FCGI_KEEP_CONN set).
# Each phase is captured to its own file; they are concatenated (fresh first)
# into the corpus, and OUT.info records the phase boundary and the counts.
#
# Requirements: Debian 12, root.  Installs wrk, tcpdump, nginx, php8.2-fpm,
# tshark if missing.  Only loopback traffic.  nginx listens on 18090/18091,
# php-fpm on 9300; configs and logs live in a temp dir; everything started
# here is stopped by PID on exit.
. "$(dirname "$0")/lib.sh"
N=25000
CONNS=4
OUT=$BENCH/out/corpus.pcap
PHASES=fresh,keepalive
KA_REQUESTS=1000
FCGI_PORT=9300
PORT_FRESH=18090
PORT_KA=18091
while [ $# -gt 0 ]; do
    case $1 in
        -n) N=$2; shift 2 ;;
        -c) CONNS=$2; shift 2 ;;
        -o) OUT=$2; shift 2 ;;
        --phases) PHASES=$2; shift 2 ;;
        --ka-requests) KA_REQUESTS=$2; shift 2 ;;
        -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
case $PHASES in fresh|keepalive|fresh,keepalive) ;; *) die "--phases: fresh, keepalive or fresh,keepalive" ;; esac
bench_run record-corpus
need_cmd wrk wrk
need_cmd tshark tshark
need_cmd mergecap wireshark-common

for p in $FCGI_PORT $PORT_FRESH $PORT_KA; do port_free "$p"; done

# --- docroot (private copy, readable by www-data) ---------------------------
DOCROOT=$RUN/www
mkdir -p "$DOCROOT"
cp "$BENCH/www/page.php" "$DOCROOT/"
chmod -R a+rX "$DOCROOT"

# --- php-fpm on 127.0.0.1:9300 -----------------------------------------------
PHPFPM_LOG_LEVEL=warning
start_phpfpm $FCGI_PORT "listen.backlog = 511
; static and larger than the number of nginx upstream connections: a worker
; stays bound to a keep-alive connection until nginx closes it.
pm = static
pm.max_children = 8
pm.max_requests = 0"

# --- nginx: 18090 = one FastCGI connection per request, 18091 = keep-alive ----
# The HTTP side (wrk -> nginx) keeps its connections; only the FastCGI side
# differs between the two servers.
NGINX_WORKER_CONNECTIONS=256
NGINX_LOG_LEVEL=warn
NGINX_ACCESS_LOG=off
NGINX_CLIENT_KEEPALIVE="keepalive_timeout 65;
    keepalive_requests 100000;"
start_nginx $PORT_FRESH "$(nginx_php_location --no-path-info 127.0.0.1:$FCGI_PORT)" \
    "$(nginx_upstream_keepalive $FCGI_PORT 8 "$KA_REQUESTS")
$(nginx_server $PORT_KA "$(nginx_php_location --no-path-info php_keepalive 'fastcgi_keep_conn on;')")"
wait_port $PORT_KA "$NGINX_PID"

# sanity request outside the capture
body=$(curl -sS "http://127.0.0.1:$PORT_FRESH/page.php?id=1&lang=en") || die "curl failed"
log "page.php: ${#body} bytes of HTML"

# --- capture ------------------------------------------------------------------
run_wrk() {   # run_wrk PHASE PORT
    log "$1: wrk -t1 -c$CONNS, $N requests -> 127.0.0.1:$2"
    local done_file=$RUN/wrk-$1.done wpid rc=0
    rm -f "$done_file"
    # -d is only a safety bound: the Lua script stops after $N responses
    BENCH_REQUESTS=$N BENCH_DONE_FILE=$done_file \
        wrk -t1 -c"$CONNS" -d900s --timeout 10s -s "$BENCH/wrk-bounded.lua" \
        "http://127.0.0.1:$2/" >"$RUN/wrk-$1.log" 2>&1 &
    wpid=$!; PIDS+=("$wpid")
    while kill -0 "$wpid" 2>/dev/null && [ ! -e "$done_file" ]; do sleep 0.2; done
    kill -INT "$wpid" 2>/dev/null || true
    wait "$wpid" || rc=$?
    [ -e "$done_file" ] || { cat "$RUN/wrk-$1.log" >&2; die "wrk ended (rc=$rc) before $N responses"; }
    sed 's/^/    /' "$RUN/wrk-$1.log" >&2
    grep -q 'Non-2xx' "$RUN/wrk-$1.log" && die "$1: non-2xx responses"
    grep -q 'Socket errors' "$RUN/wrk-$1.log" && log "WARNING: $1: wrk socket errors"
    eval "WRK_$1=$(awk '/requests in/ {print $1}' "$RUN/wrk-$1.log")"
}

# Phases not recorded count as empty.
F_FR=0 F_BEG=0 F_END=0 F_REC=0 F_CON=0 WRK_fresh=0 DROPPED_fresh=0
K_FR=0 K_BEG=0 K_END=0 K_REC=0 K_CON=0 WRK_keepalive=0 DROPPED_keepalive=0
if [[ $PHASES == *fresh* ]]; then
    tcpdump_start "$RUN/fresh.pcap" $FCGI_PORT
    run_wrk fresh $PORT_FRESH
    tcpdump_stop; DROPPED_fresh=$CAP_DROPPED
fi
if [[ $PHASES == *keepalive* ]]; then
    tcpdump_start "$RUN/keepalive.pcap" $FCGI_PORT
    run_wrk keepalive $PORT_KA
fi
# graceful stop: nginx closes its idle upstream keep-alive connections (FIN)
stop_nginx
if [[ $PHASES == *keepalive* ]]; then tcpdump_stop; DROPPED_keepalive=$CAP_DROPPED; fi

# shellcheck disable=SC2046
mergecap -a -F pcap -w "$RUN/corpus.pcap" $(for ph in ${PHASES//,/ }; do echo "$RUN/$ph.pcap"; done)
chmod 644 "$RUN"/*.pcap

# --- count what was captured (Wireshark's built-in FastCGI dissector) ------
if [[ $PHASES == *fresh* ]]; then read -r F_FR F_BEG F_END F_REC F_CON < <(count_capture "$RUN/fresh.pcap" $FCGI_PORT); fi
if [[ $PHASES == *keepalive* ]]; then read -r K_FR K_BEG K_END K_REC K_CON < <(count_capture "$RUN/keepalive.pcap" $FCGI_PORT); fi

mkdir -p "$(dirname "$OUT")"
mv -f "$RUN/corpus.pcap" "$OUT"
SIZE=$(stat -c %s "$OUT")
cat >"${OUT%.pcap}.info" <<INFO
# written by bench/record-corpus.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ) (phases $PHASES, -n $N -c $CONNS, upstream keepalive_requests $KA_REQUESTS)
# frames 1..fresh_frames are the fresh-connection phase, the rest keep-alive.
file=$(basename "$OUT")
bytes=$SIZE
frames=$((F_FR + K_FR))
fresh_frames=$F_FR
keepalive_frames=$K_FR
fresh_wrk_requests=$WRK_fresh
keepalive_wrk_requests=$WRK_keepalive
fresh_begin_requests=$F_BEG
keepalive_begin_requests=$K_BEG
fresh_end_requests=$F_END
keepalive_end_requests=$K_END
fresh_records=$F_REC
keepalive_records=$K_REC
fresh_connections=$F_CON
keepalive_connections=$K_CON
tcpdump_dropped=$((DROPPED_fresh + DROPPED_keepalive))
INFO
log "wrote $OUT ($SIZE bytes)"
cat "${OUT%.pcap}.info" >&2
printf '\ncorpus: %s frames, %s bytes; FastCGI requests (BEGIN_REQUEST) %s (fresh %s + keep-alive %s), END_REQUEST %s, records %s; TCP connections %s (fresh %s + keep-alive %s); tcpdump dropped %s\n' \
    "$((F_FR + K_FR))" "$SIZE" "$((F_BEG + K_BEG))" "$F_BEG" "$K_BEG" "$((F_END + K_END))" \
    "$((F_REC + K_REC))" "$((F_CON + K_CON))" "$F_CON" "$K_CON" "$((DROPPED_fresh + DROPPED_keepalive))"
