#!/bin/bash
# fcgi-unix-relay.sh: make FastCGI that travels over a Unix socket recordable.
#
# tcpdump and Wireshark cannot capture Unix-domain sockets.  This script puts a
# loopback TCP hop in the middle, which they can:
#
#   web server -> LISTEN_SOCKET -> socat -> TCP 127.0.0.1:PORT -> socat -> UPSTREAM_SOCKET
#                 (Unix, new)              (recordable on lo)               (php-fpm, unchanged)
#
# Point the web server at LISTEN_SOCKET (or straight at 127.0.0.1:PORT) and
# record 'tcp port PORT' on lo.  The FastCGI byte stream is relayed unchanged.
# Runs in the foreground until Ctrl-C / SIGTERM, then stops everything it
# started and removes LISTEN_SOCKET.  See tools/README.md.
set -u

PROG=fcgi-unix-relay
DEFAULT_PORT=9123

usage() {
    cat <<EOF
usage: $0 [-p TCPPORT] [-l LISTEN_SOCKET] [-w FILE.pcap]
          [-u USER] [-g GROUP] [-m MODE] UPSTREAM_SOCKET

Relays FastCGI from a new Unix socket (LISTEN_SOCKET) through TCP
127.0.0.1:TCPPORT to the FastCGI server's Unix socket (UPSTREAM_SOCKET, e.g.
/run/php/php8.2-fpm.sock), so that tcpdump/Wireshark can record it on lo.

  -p TCPPORT        loopback TCP port of the recordable hop (default $DEFAULT_PORT)
  -l LISTEN_SOCKET  Unix socket the web server connects to
                    (default: next to UPSTREAM_SOCKET, NAME-relay.sock)
  -w FILE.pcap      also record the hop: tcpdump -i lo -w FILE 'tcp port TCPPORT'
  -u USER, -g GROUP owner / group of LISTEN_SOCKET (default: unchanged)
  -m MODE           permissions of LISTEN_SOCKET (default 0666)
  -h                this help

Needs socat (and tcpdump for -w):  apt-get install socat tcpdump
EOF
}

err() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { err "$*"; exit 1; }
bad_usage() { err "$*"; echo "Try '$0 -h'." >&2; exit 2; }

PORT=$DEFAULT_PORT
LISTEN=""
PCAP=""
SOCK_USER=""
SOCK_GROUP=""
MODE=0666
while getopts ':p:l:w:u:g:m:h' opt; do
    case $opt in
    p) PORT=$OPTARG ;;
    l) LISTEN=$OPTARG ;;
    w) PCAP=$OPTARG ;;
    u) SOCK_USER=$OPTARG ;;
    g) SOCK_GROUP=$OPTARG ;;
    m) MODE=$OPTARG ;;
    h) usage; exit 0 ;;
    :) bad_usage "option -$OPTARG needs an argument" ;;
    *) bad_usage "unknown option -$OPTARG" ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || bad_usage "expected exactly one UPSTREAM_SOCKET argument (got $#)"
UPSTREAM=$1

# --- argument checks ----------------------------------------------------------

export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
command -v socat >/dev/null 2>&1 ||
    die "socat is not installed.  Install it with:  apt-get install socat"
if [ -n "$PCAP" ]; then
    command -v tcpdump >/dev/null 2>&1 ||
        die "tcpdump is not installed (needed for -w).  Install it with:  apt-get install tcpdump"
fi

case $PORT in ''|*[!0-9]*) bad_usage "-p: not a port number: '$PORT'" ;; esac
{ [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ]; } || bad_usage "-p: port out of range: $PORT"
PORT=$((10#$PORT))
case $MODE in [0-7][0-7][0-7]|[0-7][0-7][0-7][0-7]) ;; *) bad_usage "-m: not an octal mode: '$MODE'" ;; esac
if [ -n "$SOCK_USER" ]; then
    id -u "$SOCK_USER" >/dev/null 2>&1 || bad_usage "-u: no such user: $SOCK_USER"
fi
if [ -n "$SOCK_GROUP" ]; then
    getent group "$SOCK_GROUP" >/dev/null 2>&1 || bad_usage "-g: no such group: $SOCK_GROUP"
fi

# absolute PATH (its directory must exist)
abspath() {
    local d
    d=$(cd "$(dirname "$1")" 2>/dev/null && pwd) || return 1
    printf '%s/%s\n' "${d%/}" "$(basename "$1")"
}

[ -e "$UPSTREAM" ] || die "upstream socket $UPSTREAM does not exist (is the FastCGI server, e.g. php-fpm, running?)"
[ -S "$UPSTREAM" ] || die "$UPSTREAM is not a Unix socket"
[ -w "$UPSTREAM" ] || die "no permission to connect to $UPSTREAM (run as root or as a member of its group)"
UPSTREAM=$(abspath "$UPSTREAM")

if [ -z "$LISTEN" ]; then
    base=$(basename "$UPSTREAM"); base=${base%.sock}
    LISTEN="$(dirname "$UPSTREAM")/$base-relay.sock"
fi
LISTEN=$(abspath "$LISTEN") || die "directory of the listen socket does not exist: $(dirname "$LISTEN")"
[ "$LISTEN" != "$UPSTREAM" ] || die "the listen socket must not be the upstream socket"
[ -w "$(dirname "$LISTEN")" ] || die "cannot create $LISTEN: directory not writable (use -l, or run as root)"
# Unix socket paths are limited to 107 bytes.
[ ${#LISTEN} -le 107 ] || die "listen socket path too long (max 107 bytes): $LISTEN"
[ ${#UPSTREAM} -le 107 ] || die "upstream socket path too long (max 107 bytes): $UPSTREAM"

# unix_listening PATH: is some process listening on Unix socket PATH?
unix_listening() {
    awk -v p="$1" 'NR > 1 && $8 == p && $4 == "00010000" { f = 1 } END { exit !f }' /proc/net/unix
}
# tcp_listening PORT: is some process listening on TCP PORT (any address)?
tcp_listening() {
    local hex
    hex=$(printf ':%04X' "$1")
    cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
        awk -v p="$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }'
}

if [ -e "$LISTEN" ] || [ -L "$LISTEN" ]; then
    [ -S "$LISTEN" ] || die "$LISTEN exists and is not a socket; choose another path with -l"
    unix_listening "$LISTEN" && die "$LISTEN is in use by another process (another relay?); choose another path with -l"
    rm -f "$LISTEN" || die "cannot remove stale socket $LISTEN"
fi
tcp_listening "$PORT" && die "TCP port $PORT is already in use; choose another with -p"

if [ -n "$PCAP" ]; then
    case $PCAP in -*) PCAP="./$PCAP" ;; esac
    PCAP_DIR=$(cd "$(dirname "$PCAP")" 2>/dev/null && pwd) ||
        die "-w: directory does not exist: $(dirname "$PCAP")"
    PCAP="${PCAP_DIR%/}/$(basename "$PCAP")"
fi

# --- processes ----------------------------------------------------------------

STATE=$(mktemp -d "/tmp/$PROG.XXXXXX") || die "mktemp failed"
SOCAT_TCP_PID=""   # TCP-LISTEN -> UPSTREAM
SOCAT_UNIX_PID=""  # LISTEN_SOCKET -> TCP
TCPDUMP_PID=""
CLEANED=0

# pgid_of PID: process group of PID (from /proc, so procps is not needed).
pgid_of() {
    local st pgrp
    st=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    st=${st##*) }            # after "pid (comm) ": state ppid pgrp ...
    read -r _ _ pgrp _ <<<"$st"
    echo "$pgrp"
}

# stop_group PID: stop a socat started with setsid, with its forked children
# (one per connection), which share its process group.
stop_group() {
    local pid=$1
    [ -n "$pid" ] || return 0
    if [ "$(pgid_of "$pid")" = "$pid" ]; then
        kill -TERM -- "-$pid" 2>/dev/null
    else
        kill -TERM "$pid" 2>/dev/null
    fi
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

cleanup() {
    [ "$CLEANED" -eq 1 ] && return
    CLEANED=1
    trap '' INT TERM HUP
    # New connections first, then the hop; give in-flight FIN/ACKs a moment
    # to reach tcpdump before stopping it.
    stop_group "$SOCAT_UNIX_PID"
    stop_group "$SOCAT_TCP_PID"
    if [ -n "$TCPDUMP_PID" ]; then
        sleep 0.5
        kill -INT "$TCPDUMP_PID" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$TCPDUMP_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$TCPDUMP_PID" 2>/dev/null
        wait "$TCPDUMP_PID" 2>/dev/null
        grep -E 'packets (captured|received|dropped)' "$STATE/tcpdump.log" | sed "s/^/$PROG: tcpdump: /" >&2
        [ -f "$PCAP" ] && err "recording saved to $PCAP"
    fi
    [ -S "$LISTEN" ] && rm -f "$LISTEN"
    rm -rf "$STATE"
}
on_exit() { local rc=$?; cleanup; exit "$rc"; }
trap on_exit EXIT
trap 'err "stopping"; exit 0' INT TERM HUP

# alive PID WHAT: fail (showing WHAT's log, if any) if PID has died.
alive() {
    kill -0 "$1" 2>/dev/null && return 0
    [ -s "$STATE/$2.log" ] && cat "$STATE/$2.log" >&2
    die "$2 exited unexpectedly (see the messages above)"
}

# socat: -t 60: after one side closes, wait up to 60 s for the other (a FastCGI
# response must not be cut short).  nodelay: no Nagle stalls on the hop.
# setsid: own process group, so stopping it also stops its per-connection
# children, and a terminal's Ctrl-C reaches only this script.
setsid socat -lp "${PROG}[tcp]" -t 60 \
    "TCP-LISTEN:$PORT,bind=127.0.0.1,reuseaddr,fork,nodelay" \
    "UNIX-CONNECT:$UPSTREAM" &
SOCAT_TCP_PID=$!
for _ in $(seq 100); do
    tcp_listening "$PORT" && break
    alive "$SOCAT_TCP_PID" socat-tcp
    sleep 0.05
done
tcp_listening "$PORT" || die "socat did not start listening on 127.0.0.1:$PORT"

if [ -n "$PCAP" ]; then
    zopt=()
    # Debian's tcpdump drops privileges to user tcpdump before opening the file.
    [ "$(id -u)" -eq 0 ] && zopt=(-Z root)
    # --immediate-mode -U: hand over and write each packet at once, so none
    # is lost when tcpdump is stopped; -s 0: whole packets.  setsid: a
    # terminal's Ctrl-C must not stop it before the relay has shut down.
    setsid tcpdump -i lo -n -s 0 --immediate-mode -U "${zopt[@]}" -w "$PCAP" "tcp port $PORT" \
        >"$STATE/tcpdump.log" 2>&1 &
    TCPDUMP_PID=$!
    for _ in $(seq 100); do
        grep -q 'listening on' "$STATE/tcpdump.log" && break
        alive "$TCPDUMP_PID" tcpdump
        sleep 0.1
    done
    grep -q 'listening on' "$STATE/tcpdump.log" || die "tcpdump did not start"
    sleep 0.3   # the filter is attached just before the message; be safe
fi

sopts="fork,unlink-early,mode=$MODE"
[ -n "$SOCK_USER" ] && sopts="$sopts,user=$SOCK_USER"
[ -n "$SOCK_GROUP" ] && sopts="$sopts,group=$SOCK_GROUP"
setsid socat -lp "${PROG}[unix]" -t 60 \
    "UNIX-LISTEN:$LISTEN,$sopts" \
    "TCP:127.0.0.1:$PORT,nodelay" &
SOCAT_UNIX_PID=$!
for _ in $(seq 100); do
    unix_listening "$LISTEN" && break
    alive "$SOCAT_UNIX_PID" socat-unix
    sleep 0.05
done
unix_listening "$LISTEN" || die "socat did not start listening on $LISTEN"
# socat sets the mode/owner right after bind(); make sure it has.
sleep 0.1

# --- tell the user --------------------------------------------------------------

if [ -n "$PCAP" ]; then
    rec="Recording to $PCAP (tcpdump -i lo 'tcp port $PORT')."
else
    rec="Record it with:
  tcpdump -i lo -s 0 -w fcgi.pcap 'tcp port $PORT'
  or Wireshark: capture on 'lo' with capture filter 'tcp port $PORT'"
fi
open_file=${PCAP:-fcgi.pcap}
cat <<EOF

FastCGI Unix-socket relay:
  web server -> $LISTEN -> TCP 127.0.0.1:$PORT -> $UPSTREAM

Point the web server at the relay instead of $UPSTREAM, then reload it:
  nginx:   fastcgi_pass unix:$LISTEN;
  Apache:  SetHandler "proxy:unix:$LISTEN|fcgi://localhost"
           (Debian: in /etc/apache2/conf-available/php*-fpm.conf; in a ProxyPassMatch
           or ProxyPass target, likewise replace only the "unix:...|" part:
           ProxyPassMatch ... "unix:$LISTEN|fcgi://localhost/...")
  Or skip the socket and connect over TCP directly:
  nginx:   fastcgi_pass 127.0.0.1:$PORT;
  Apache:  SetHandler "proxy:fcgi://127.0.0.1:$PORT"
Reload:    nginx -s reload   /   apachectl graceful

$rec
Open the recording:
  wireshark $open_file
  tshark -r $open_file -Y fcgi
  FastCGI is found by the fcgi plugin's heuristic on any port; with
  Wireshark's built-in dissector (or to force it) add: -d tcp.port==$PORT,fcgi

Switch the web server back BEFORE stopping the relay (else it answers 502).
Relay ready; Ctrl-C to stop.
EOF

# --- run until stopped --------------------------------------------------------

while :; do
    # wait -n returns when a child exits or a trapped signal arrives
    wait -n 2>/dev/null
    for p in "$SOCAT_TCP_PID" "$SOCAT_UNIX_PID" $TCPDUMP_PID; do
        if ! kill -0 "$p" 2>/dev/null; then
            err "a relay process (pid $p) exited unexpectedly; stopping"
            exit 1
        fi
    done
done
