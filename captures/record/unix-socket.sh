#!/bin/bash
# nginx -> Unix socket -> tools/fcgi-unix-relay.sh -> php-fpm on a Unix socket
# (php-fpm's usual Debian setup).  The relay's loopback TCP hop, port 9123, is
# what gets recorded (by the relay itself, -w), then checked with tshark.
#
#   unix-socket.sh [OUT.pcap]        (default: $CAP_OUT/unix-socket.pcap, captures/)
#
# Run as root on Debian 12; installs missing packages.  Exits non-zero when a
# step or the check fails; everything it starts is stopped on exit.
. "$(dirname "$0")/common.sh"
OUT=${1:-$CAP_OUT/unix-socket.pcap}
case $OUT in /*) ;; *) OUT="$PWD/$OUT" ;; esac
[ -d "$(dirname "$OUT")" ] || { echo "unix-socket.sh: no such directory: $(dirname "$OUT")" >&2; exit 2; }
setup_run unix-socket
RELAY="$(dirname "$REC_DIR")/../tools/fcgi-unix-relay.sh"
RELAY=$(cd "$(dirname "$RELAY")" && pwd)/$(basename "$RELAY")
[ -x "$RELAY" ] || die "missing $RELAY"
RELAY_PORT=9123
HTTP_PORT=18070
PHP_SOCK="$RUN/php-fpm.sock"       # the "real" php-fpm socket
RELAY_SOCK="$RUN/relay.sock"       # what nginx is pointed at
PCAP="$RUN/unix-socket.pcap"

need_cmd socat socat
need_cmd tshark tshark

# start_relay: the relay in the background, recording to $PCAP; wait for its
# "Relay ready" line.
start_relay() {
    port_free "$RELAY_PORT"
    bg "$RUN/relay.log" "$RELAY" -p "$RELAY_PORT" -l "$RELAY_SOCK" -w "$PCAP" "$PHP_SOCK"
    RELAY_PID=$LAST_PID
    wait_line "$RUN/relay.log" '^Relay ready' "$RELAY_PID" relay
    [ -S "$RELAY_SOCK" ] || die "relay socket $RELAY_SOCK missing"
    log "relay: $RELAY_SOCK -> 127.0.0.1:$RELAY_PORT -> $PHP_SOCK (pid $RELAY_PID)"
}

# stop_relay: SIGTERM; the relay stops socat and tcpdump and removes its socket.
stop_relay() {
    sleep 1                      # let the last FIN/ACKs go through
    kill -TERM "$RELAY_PID"
    wait_exit "$RELAY_PID" 100 || die "relay did not stop"
    wait "$RELAY_PID" || true
    [ ! -e "$RELAY_SOCK" ] || die "relay left $RELAY_SOCK behind"
    [ -s "$PCAP" ] || die "relay wrote no capture"
    log "relay stopped"
}

start_phpfpm "$PHP_SOCK"        # the pool of the other captures, on a Unix socket
start_relay
start_nginx "$HTTP_PORT" "$(nginx_php_location "unix:$RELAY_SOCK")"

http GET  '/index.php?name=unix'                                  # 200
http GET  '/json.php'                                             # 200
http POST '/form.php' --data 'name=erin&age=5'                    # 200

stop_nginx
stop_relay

# --- check ----------------------------------------------------------------------
T=(tshark -r "$PCAP" -d "tcp.port==$RELAY_PORT,fcgi")
log "tshark -r $(basename "$OUT") -d tcp.port==$RELAY_PORT,fcgi -Y fcgi.type==1:"
"${T[@]}" -Y 'fcgi.type==1' >&2 2>/dev/null
types=$("${T[@]}" -Y fcgi -T fields -e fcgi.type 2>/dev/null | tr ',' '\n' | grep .) ||
    die "tshark found no FastCGI in the capture"
nbegin=$(grep -cx 1 <<<"$types" || true)
nend=$(grep -cx 3 <<<"$types" || true)
streams=$("${T[@]}" -T fields -e tcp.stream 2>/dev/null | sort -u | wc -l)
malformed=$("${T[@]}" -Y '_ws.malformed || _ws.expert.severity >= "error"' 2>/dev/null | wc -l)
log "tshark: $nbegin BEGIN_REQUEST, $nend END_REQUEST, $streams TCP connection(s), $malformed malformed"
[ "$nbegin" -eq 3 ] || die "expected 3 BEGIN_REQUEST records, got $nbegin"
[ "$nend" -eq 3 ] || die "expected 3 END_REQUEST records, got $nend"
[ "$streams" -eq 3 ] || die "expected 3 TCP connections, got $streams"
[ "$malformed" -eq 0 ] || die "tshark reports $malformed malformed/error frame(s)"
# Independent decoder: methods, URIs and statuses of the three requests.
summary=$(python3 "$REC_DIR/fcgi_summary.py" --port "$RELAY_PORT" "$PCAP")
printf '%s\n' "$summary" >&2
for want in 'GET /index.php?name=unix .* status=200' 'GET /json.php .* status=200' \
            'POST /form.php .* stdin=15 .* status=200'; do
    grep -q -- "$want" <<<"$summary" || die "request missing from capture: $want"
done

mv -f "$PCAP" "$OUT"
chmod 644 "$OUT"
log "wrote $OUT ($(stat -c %s "$OUT") bytes); check passed"
