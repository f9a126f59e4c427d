# Shared helpers of the recording scripts: captures/record/*.sh and the
# benchmark's bench/record-*.sh (through bench/lib.sh).  Source it, do not run
# it.
#
#   . "$(dirname "$0")/common.sh"
#   setup_run NAME            # new_run NAME + www/ staged at $DOCROOT
#   start_phpfpm PORT|SOCKET [POOL_LINES]
#   start_nginx HTTP_PORT "LOCATION/UPSTREAM CONFIG" [HTTP_BLOCK_EXTRA]
#   start_nginx_keepalive HTTP_PORT FCGI_PORT      # upstream keep-alive
#   start_capture PORT        # tcpdump -i lo 'tcp port PORT' -> $CAP_OUT/NAME.pcap
#   http GET /index.php?name=abc
#   stop_capture              # flush + stop tcpdump, print a summary
#
# Lower level, for scripts with their own temp dir or capture files (bench/):
#   new_run NAME [MKTEMP_TEMPLATE]    # root, base tools, $RUN, cleanup trap
#   bg LOG CMD...; wait_port PORT|SOCKET [PID]; port_free PORT
#   tcpdump_start FILE PORT; tcpdump_stop          # sets CAP_DROPPED
#
# CAP_OUT (environment): where NAME.pcap and derived captures are written;
# default captures/.  Set it to re-record into a scratch directory.
#
# Requirements: Debian 12, run as root.  Only loopback traffic is generated.
# Everything started here is stopped (by PID) and the temp dir removed on exit.

set -eu
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

REC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAP_DIR=$(dirname "$REC_DIR")
CAP_OUT=${CAP_OUT:-$CAP_DIR}
WWW_SRC="$CAP_DIR/www"
# The scripts are copied to a FIXED path so SCRIPT_FILENAME/DOCUMENT_ROOT (and
# hence record lengths) are the same whenever and wherever the captures are
# re-recorded, and so the unprivileged www-data workers can read them.
DOCROOT=/tmp/fcgi-captures/www
HTTP_HOST=127.0.0.1

RUN=""
PIDS=()          # processes we started, stopped in reverse order on exit
CAP_PID=""
CAP_FILE=""
CAP_PORT=""
CAP_NAME=""
CAP_DROPPED=0

log() { printf '[%s] %s\n' "${CAP_NAME:-record}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

require_root() {
    [ "$(id -u)" -eq 0 ] || die "must run as root (tcpdump, php-fpm, nginx, apache)"
}

# --- packages ---------------------------------------------------------------

_APT_UPDATED=0
# need_pkg PKG...: install the Debian packages that are not installed yet.
need_pkg() {
    local missing=() p
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$_APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        _APT_UPDATED=1
    fi
    log "apt-get install ${missing[*]}"
    # policy-rc.d-less containers: do not let maintainer scripts start daemons.
    DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >&2
}

# need_cmd CMD PKG: install PKG unless CMD is already available (so e.g. an
# installed nginx-full/nginx-core is used instead of pulling nginx-light).
need_cmd() {
    command -v "$1" >/dev/null 2>&1 || need_pkg "$2"
}

need_base() {
    need_cmd tcpdump tcpdump
    need_cmd curl curl
    need_cmd python3 python3
    need_cmd ss iproute2
}

# --- run directory / processes / cleanup ------------------------------------

# wait_exit PID [TENTHS]: wait up to TENTHS/10 s (default 5 s) for PID to end;
# fails if it is still running.
wait_exit() {
    local pid=$1
    for _ in $(seq "${2:-50}"); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    ! kill -0 "$pid" 2>/dev/null
}

cleanup() {
    local rc=$?
    set +e
    if [ -n "$CAP_PID" ]; then
        kill -INT "$CAP_PID" 2>/dev/null
        wait "$CAP_PID" 2>/dev/null
        CAP_PID=""
    fi
    local i pid
    for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
        pid=${PIDS[$i]}
        kill -TERM "$pid" 2>/dev/null
    done
    for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
        pid=${PIDS[$i]}
        # wait up to ~5 s, then KILL this one pid
        wait_exit "$pid"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    PIDS=()
    if [ -n "$RUN" ] && [ -d "$RUN" ]; then
        if [ "$rc" -ne 0 ]; then
            log "failed (rc=$rc); logs:"
            for f in "$RUN"/*.log; do
                [ -f "$f" ] || continue
                echo "----- $f" >&2; tail -n 30 "$f" >&2
            done
        fi
        rm -rf "$RUN"
    fi
    exit "$rc"
}

# new_run NAME [MKTEMP_TEMPLATE]: root check, base tools, the temp dir $RUN
# (default /tmp/fcgicap-NAME.XXXXXX), the cleanup trap.
new_run() {
    CAP_NAME=$1
    require_root
    need_base
    RUN=$(mktemp -d "${2:-/tmp/fcgicap-$CAP_NAME.XXXXXX}")
    chmod 755 "$RUN"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
}

# setup_run NAME: new_run, then stage captures/www at $DOCROOT.
setup_run() {
    new_run "$1"
    rm -rf "$DOCROOT"
    mkdir -p "$DOCROOT"
    cp -a "$WWW_SRC"/. "$DOCROOT"/
    chmod -R a+rX /tmp/fcgi-captures
}

# Servers run with a fixed, minimal environment: Apache for instance forwards
# its PATH to the FastCGI application as a parameter.
CLEAN_ENV=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C)

# bg LOGFILE CMD...: start CMD in the background (clean env), remember its PID.
bg() {
    local logf=$1; shift
    "${CLEAN_ENV[@]}" "$@" >"$logf" 2>&1 &
    PIDS+=("$!")
    LAST_PID=$!
}

# listening PORT|SOCKET: something listens on 127.0.0.1:PORT (TCP), or the
# Unix socket (an absolute path) exists.
listening() {
    case $1 in
    /*) [ -S "$1" ] ;;
    *)  ss -Hltn "sport = :$1" | grep -q . ;;
    esac
}

# wait_port PORT|SOCKET [PID]: wait until something listens there.
wait_port() {
    local port=$1 pid=${2:-}
    for _ in $(seq 100); do
        if listening "$port"; then return 0; fi
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            die "process $pid died before listening on $port"
        fi
        sleep 0.1
    done
    die "nothing listening on $port"
}

port_free() {
    ! listening "$1" || die "port $1 already in use"
}

# wait_line LOGFILE REGEX PID WHAT: wait until LOGFILE has a line matching
# REGEX (grep -E) while PID runs; WHAT names the process in errors.
wait_line() {
    local logf=$1 re=$2 pid=$3 what=$4
    for _ in $(seq 100); do
        grep -Eq "$re" "$logf" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$logf" >&2; die "$what died"; }
        sleep 0.1
    done
    grep -Eq "$re" "$logf" || die "$what not ready"
}

# --- php-fpm ----------------------------------------------------------------

# The process manager of the captures' pool: two static workers whose
# stdout/stderr go to php-fpm's log (start_phpfpm's POOL_LINES replace it).
PHPFPM_CAPTURE_POOL="pm = static
pm.max_children = 2
catch_workers_output = yes
decorate_workers_output = no"
PHPFPM_LOG_LEVEL=notice

# start_phpfpm PORT|SOCKET [POOL_LINES]: php-fpm 8.2, one pool running as
# www-data, listening on 127.0.0.1:PORT or on the Unix socket SOCKET (an
# absolute path; www-data:www-data 0660 like Debian's /run/php/php8.2-fpm.sock).
start_phpfpm() {
    local listen=$1 pool=${2:-$PHPFPM_CAPTURE_POOL} name addr access
    need_cmd php-fpm8.2 php8.2-fpm
    case $listen in
    /*) name=unix addr=$listen
        access="listen.owner = www-data
listen.group = www-data
listen.mode = 0660" ;;
    *)  port_free "$listen"
        name=$listen addr=127.0.0.1:$listen
        access="listen.allowed_clients = 127.0.0.1" ;;
    esac
    local d="$RUN/php-fpm-$name"
    mkdir -p "$d"
    cat >"$d/php-fpm.conf" <<EOF
[global]
pid = $d/php-fpm.pid
error_log = $RUN/php-fpm-$name.log
log_level = $PHPFPM_LOG_LEVEL
daemonize = no

[capture]
user = www-data
group = www-data
listen = $addr
$access
$pool
clear_env = yes
; No php.ini is loaded (-n); set the relevant values here.
; log_errors on + no error_log ini value: error_log() goes to the SAPI
; logger, which php-fpm sends to the web server as FCGI_STDERR.
php_admin_flag[log_errors] = on
php_admin_flag[display_errors] = off
php_admin_value[output_buffering] = 4096
php_admin_value[date.timezone] = UTC
EOF
    # -n: ignore /etc/php (local php.ini edits must not change the capture).
    bg "$RUN/php-fpm-$name.stdout.log" php-fpm8.2 -n -F -y "$d/php-fpm.conf" -p "$d"
    wait_port "$listen" "$LAST_PID"
    log "php-fpm listening on $addr (pid $LAST_PID)"
}

# --- nginx ------------------------------------------------------------------

# start_nginx's settings of the HTTP side; the defaults are the captures'
# (a few curl requests, one per connection), bench/record-corpus.sh sets its own.
NGINX_WORKER_CONNECTIONS=64
NGINX_LOG_LEVEL=info
NGINX_ACCESS_LOG=on                             # off: no access log
NGINX_CLIENT_KEEPALIVE="keepalive_timeout 0;"

# nginx_server PORT BODY: a server block for $HTTP_HOST:PORT serving $DOCROOT.
nginx_server() {
    cat <<EOF
    server {
        listen $HTTP_HOST:$1;
        server_name localhost;
        root $DOCROOT;
        index index.php;
        $2
    }
EOF
}

# start_nginx HTTP_PORT SERVER_BLOCK_BODY [HTTP_BLOCK_EXTRA]
start_nginx() {
    local port=$1 body=$2 httpextra=${3:-}
    need_cmd nginx nginx-light
    port_free "$port"
    local d="$RUN/nginx-$port" access=off
    [ "$NGINX_ACCESS_LOG" = off ] || access="$RUN/nginx-$port-access.log"
    mkdir -p "$d/logs"
    cat >"$d/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
user www-data;
pid $d/nginx.pid;
error_log $RUN/nginx-$port.log $NGINX_LOG_LEVEL;
events { worker_connections $NGINX_WORKER_CONNECTIONS; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $access;
    client_body_temp_path $d/client_body;
    proxy_temp_path $d/proxy;
    fastcgi_temp_path $d/fastcgi;
    uwsgi_temp_path $d/uwsgi;
    scgi_temp_path $d/scgi;
    sendfile off;
    $NGINX_CLIENT_KEEPALIVE
    server_tokens off;
    $httpextra
$(nginx_server "$port" "$body")
}
EOF
    bg "$RUN/nginx-$port.stdout.log" nginx -e "$RUN/nginx-$port.log" -p "$d" -c "$d/nginx.conf"
    wait_port "$port" "$LAST_PID"
    NGINX_PID=$LAST_PID
    log "nginx listening on $HTTP_HOST:$port (pid $LAST_PID)"
}

# nginx_upstream_keepalive FCGI_PORT IDLE [REQUESTS]: the upstream
# php_keepalive, in which nginx keeps up to IDLE idle FastCGI connections to
# 127.0.0.1:FCGI_PORT open (and closes one after REQUESTS requests; nginx's
# default is 1000).
nginx_upstream_keepalive() {
    echo "upstream php_keepalive { server 127.0.0.1:$1; keepalive $2;${3:+ keepalive_requests $3;} }"
}

# start_nginx_keepalive HTTP_PORT FCGI_PORT: nginx keeping its FastCGI
# connections to php-fpm (upstream keepalive 4, fastcgi_keep_conn on).
start_nginx_keepalive() {
    start_nginx "$1" "$(nginx_php_location php_keepalive 'fastcgi_keep_conn on;')" \
        "$(nginx_upstream_keepalive "$2" 4)"
}

# stop_nginx: graceful shutdown (SIGQUIT), which also closes idle upstream
# keepalive connections, so the capture contains their FIN handshake.
stop_nginx() {
    kill -QUIT "$NGINX_PID"
    wait_exit "$NGINX_PID" || true
    wait "$NGINX_PID" 2>/dev/null || true
    log "nginx stopped"
}

# nginx_php_location [--no-path-info] PASS [EXTRA]: the standard PHP location
# (nginx's Debian snippet, inlined).  --no-path-info leaves out the PATH_INFO
# split and parameter (the benchmark's PARAMS).
nginx_php_location() {
    # nginx variables, not the shell's:
    # shellcheck disable=SC2016
    local split='fastcgi_split_path_info ^(.+\.php)(/.+)$;' pathinfo='fastcgi_param PATH_INFO $fastcgi_path_info;'
    if [ "$1" = --no-path-info ]; then split="" pathinfo=""; shift; fi
    local pass=$1 extra=${2:-}
    cat <<EOF
location ~ \.php\$ {
            ${split}
            try_files \$fastcgi_script_name =404;
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
            ${pathinfo}
            fastcgi_pass $pass;
            $extra
        }
EOF
}

# --- capture ----------------------------------------------------------------

# tcpdump's output options.  Captures: -s 0 (whole packets), -U (each packet
# written at once).  bench/lib.sh: default snaplen, a 64 MiB kernel buffer.
TCPDUMP_OPTS=(-s 0 -U)

# tcpdump_start FILE PORT: tcpdump on lo writing FILE (classic pcap), only
# tcp port PORT; returns once it captures.
tcpdump_start() {
    # -Z root: write as root (Debian's tcpdump otherwise drops to user tcpdump)
    tcpdump -i lo -n "${TCPDUMP_OPTS[@]}" -Z root -w "$1" "tcp port $2" \
        >"$RUN/tcpdump.log" 2>&1 &
    CAP_PID=$!
    wait_line "$RUN/tcpdump.log" 'listening on' "$CAP_PID" tcpdump
    sleep 0.5   # the BPF filter is installed before the message; be generous
    log "tcpdump capturing tcp port $2 on lo"
}

# tcpdump_stop: let FIN/ACKs arrive, stop tcpdump, report its counts;
# CAP_DROPPED = packets the kernel dropped.
tcpdump_stop() {
    sleep 1
    kill -INT "$CAP_PID"
    wait "$CAP_PID" || true
    CAP_PID=""
    CAP_DROPPED=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$RUN/tcpdump.log")
    CAP_DROPPED=${CAP_DROPPED:-0}
    log "tcpdump: $(grep -v 'listening on' "$RUN/tcpdump.log" | tr '\n' ';')"
    [ "$CAP_DROPPED" = 0 ] || log "WARNING: tcpdump dropped $CAP_DROPPED packets"
}

# start_capture PORT [OUTFILE]: tcpdump on lo, only the FastCGI port, into
# OUTFILE (default $CAP_OUT/NAME.pcap) when stop_capture runs.
start_capture() {
    CAP_PORT=$1
    CAP_FILE=${2:-$CAP_OUT/$CAP_NAME.pcap}
    rm -f "$RUN/$CAP_NAME.pcap"
    tcpdump_start "$RUN/$CAP_NAME.pcap" "$CAP_PORT"
}

# stop_capture: stop tcpdump, move the file in place, print its requests.
stop_capture() {
    tcpdump_stop
    mv -f "$RUN/$CAP_NAME.pcap" "$CAP_FILE"
    chmod 644 "$CAP_FILE"
    log "wrote $CAP_FILE ($(stat -c %s "$CAP_FILE") bytes)"
    if command -v python3 >/dev/null; then
        python3 "$REC_DIR/fcgi_summary.py" --port "$CAP_PORT" "$CAP_FILE" >&2 || true
    fi
}

# --- clients ----------------------------------------------------------------

# http METHOD PATH [curl args...]: one HTTP request via curl, prints the status.
# A fresh TCP connection per call; the response body is discarded.
HTTP_PORT=""
http() {
    local method=$1 path=$2; shift 2
    local code xm=()
    # GET/POST are implied by curl (POST by --data); anything else needs -X
    case $method in GET|POST) ;; *) xm=(-X "$method") ;; esac
    code=$(curl -sS -o "$RUN/last-body" -w '%{http_code}' "${xm[@]}" \
        -H 'User-Agent: fcgi-capture/1.0' "$@" "http://$HTTP_HOST:$HTTP_PORT$path")
    log "$method $path -> $code ($(stat -c %s "$RUN/last-body") body bytes)"
    # small pause so frames of consecutive requests never interleave
    sleep 0.2
}

# http_abort PATH SECONDS [curl args...]: GET that the client gives up on after
# SECONDS (curl --max-time: curl closes its connection, as a user pressing
# Stop or a client timeout does).
http_abort() {
    local path=$1 secs=$2 rc=0; shift 2
    curl -sS -o "$RUN/last-body" --max-time "$secs" \
        -H 'User-Agent: fcgi-capture/1.0' "$@" "http://$HTTP_HOST:$HTTP_PORT$path" \
        2>>"$RUN/curl-abort.log" || rc=$?
    log "GET $path -> client gave up after ${secs}s (curl exit $rc, $(stat -c %s "$RUN/last-body") body bytes)"
    sleep 0.2
}

# --- apache -----------------------------------------------------------------

# start_apache HTTP_PORT FCGI_PORT: Apache 2.4 (mpm_event) with mod_proxy_fcgi
# forwarding *.php to php-fpm on 127.0.0.1:FCGI_PORT.  Standalone config, no
# /etc/apache2 files or APACHE_* variables are used.
start_apache() {
    local port=$1 fport=$2
    need_cmd apache2 apache2
    [ -f /usr/lib/apache2/modules/mod_proxy_fcgi.so ] || die "mod_proxy_fcgi missing"
    port_free "$port"
    local d="$RUN/apache-$port" m=/usr/lib/apache2/modules
    mkdir -p "$d"
    cat >"$d/httpd.conf" <<EOF
ServerRoot "$d"
ServerName localhost
DefaultRuntimeDir "$d"
PidFile "$d/httpd.pid"
Listen $HTTP_HOST:$port
LoadModule mpm_event_module $m/mod_mpm_event.so
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule mime_module $m/mod_mime.so
LoadModule dir_module $m/mod_dir.so
LoadModule proxy_module $m/mod_proxy.so
LoadModule proxy_fcgi_module $m/mod_proxy_fcgi.so
User www-data
Group www-data
StartServers 1
ServerLimit 1
ThreadsPerChild 4
MaxRequestWorkers 4
ErrorLog "$RUN/apache-$port.log"
LogLevel warn
CustomLog "$RUN/apache-$port-access.log" "%h %l %u %t \"%r\" %>s %b"
TypesConfig /etc/mime.types
ServerTokens Prod
KeepAlive Off
DocumentRoot "$DOCROOT"
DirectoryIndex index.php
<Directory />
    Require all denied
</Directory>
<Directory "$DOCROOT">
    Require all granted
</Directory>
# The usual php-fpm recipe: pass every existing *.php file to php-fpm.
<FilesMatch "\.php\$">
    SetHandler "proxy:fcgi://127.0.0.1:$fport"
</FilesMatch>
EOF
    bg "$RUN/apache-$port.stdout.log" apache2 -f "$d/httpd.conf" -DFOREGROUND
    wait_port "$port" "$LAST_PID"
    log "apache2 listening on $HTTP_HOST:$port (pid $LAST_PID)"
}

# --- lighttpd / php-cgi -----------------------------------------------------

# start_phpcgi PORT: php-cgi 8.2 (2 children) spawned by spawn-fcgi on
# 127.0.0.1:PORT as www-data; no php.ini, the php-fpm pool's settings as -d.
start_phpcgi() {
    local port=$1
    need_cmd php-cgi8.2 php8.2-cgi
    need_cmd spawn-fcgi spawn-fcgi
    port_free "$port"
    # -n: no fork, so the PID we remember is php-cgi's master itself
    bg "$RUN/php-cgi-$port.log" spawn-fcgi -n -a 127.0.0.1 -p "$port" -C 2 \
        -u www-data -g www-data -- /usr/bin/php-cgi8.2 -n \
        -d log_errors=1 -d display_errors=0 -d output_buffering=4096 \
        -d date.timezone=UTC
    wait_port "$port" "$LAST_PID"
    log "php-cgi (spawn-fcgi) listening on 127.0.0.1:$port (pid $LAST_PID)"
}

# start_lighttpd HTTP_PORT FCGI_PORT: lighttpd 1.4 whose mod_fastcgi passes
# *.php to 127.0.0.1:FCGI_PORT (the usual php recipe, check-local on).
start_lighttpd() {
    local port=$1 fport=$2
    need_cmd lighttpd lighttpd
    port_free "$port"
    local d="$RUN/lighttpd-$port"
    mkdir -p "$d/log"
    chown www-data:www-data "$d/log"    # lighttpd opens its log as www-data
    cat >"$d/lighttpd.conf" <<EOF
server.modules = ( "mod_fastcgi" )
server.document-root = "$DOCROOT"
server.bind = "$HTTP_HOST"
server.port = $port
server.username = "www-data"
server.groupname = "www-data"
server.errorlog = "$d/log/lighttpd-$port.log"
server.tag = "lighttpd"
index-file.names = ( "index.php" )
mimetype.assign = ( ".html" => "text/html", ".txt" => "text/plain" )
fastcgi.server = ( ".php" => ( (
    "host" => "127.0.0.1",
    "port" => $fport,
    "check-local" => "enable",
) ) )
EOF
    bg "$RUN/lighttpd-$port.stdout.log" lighttpd -D -f "$d/lighttpd.conf"
    wait_port "$port" "$LAST_PID"
    log "$(lighttpd -v | head -n1 | cut -d' ' -f1) listening on $HTTP_HOST:$port (pid $LAST_PID)"
}

# --- fcgiwrap / cgi-fcgi ----------------------------------------------------

# start_fcgiwrap PORT: fcgiwrap (stderr forwarded as FCGI_STDERR: -f) spawned
# by spawn-fcgi on 127.0.0.1:PORT as www-data.
start_fcgiwrap() {
    local port=$1
    need_cmd fcgiwrap fcgiwrap
    need_cmd spawn-fcgi spawn-fcgi
    port_free "$port"
    # -n: no fork, so the PID we remember is fcgiwrap itself
    bg "$RUN/fcgiwrap-$port.log" spawn-fcgi -n -a 127.0.0.1 -p "$port" \
        -u www-data -g www-data -- /usr/sbin/fcgiwrap -f
    wait_port "$port" "$LAST_PID"
    log "fcgiwrap listening on 127.0.0.1:$port (pid $LAST_PID)"
}

# cgi_fcgi PORT METHOD SCRIPT QUERY [BODY]: one request with the reference
# libfcgi client.  cgi-fcgi sends its whole environment as FCGI_PARAMS, so it
# runs with a clean, fixed CGI environment.
cgi_fcgi() {
    local port=$1 method=$2 script=$3 query=$4 body=${5:-}
    need_cmd cgi-fcgi libfcgi-bin
    local uri="/$script${query:+?$query}"
    local env=(
        GATEWAY_INTERFACE=CGI/1.1
        SERVER_SOFTWARE=cgi-fcgi
        SERVER_PROTOCOL=HTTP/1.1
        SERVER_NAME=localhost
        SERVER_ADDR=127.0.0.1
        SERVER_PORT=80
        REMOTE_ADDR=127.0.0.1
        REQUEST_METHOD="$method"
        REQUEST_URI="$uri"
        SCRIPT_NAME="/$script"
        SCRIPT_FILENAME="$DOCROOT/$script"
        DOCUMENT_ROOT="$DOCROOT"
        QUERY_STRING="$query"
    )
    if [ -n "$body" ]; then
        env+=(CONTENT_TYPE=application/x-www-form-urlencoded
              CONTENT_LENGTH="${#body}")
    fi
    local out
    out=$(printf '%s' "$body" | env -i "${env[@]}" cgi-fcgi -bind -connect "127.0.0.1:$port" 2>>"$RUN/cgi-fcgi-stderr.log")
    log "cgi-fcgi $method $uri -> $(printf '%s\n' "$out" | head -n1 | tr -d '\r')"
    sleep 0.2
}

# --- Go net/http/fcgi -------------------------------------------------------

# start_gofcgi PORT: build record/gofcgi/main.go (stdlib only, offline) and run
# it on 127.0.0.1:PORT.
start_gofcgi() {
    local port=$1
    need_cmd go golang-go
    port_free "$port"
    local d="$RUN/go"
    mkdir -p "$d"
    (cd "$REC_DIR/gofcgi" &&
        env HOME="$d" GOCACHE="$d/cache" GOPATH="$d/gopath" GOPROXY=off \
            GOFLAGS= GO111MODULE=off CGO_ENABLED=0 \
            go build -o "$d/gofcgi" main.go) || die "go build failed"
    bg "$RUN/gofcgi-$port.log" "$d/gofcgi" -listen "127.0.0.1:$port"
    wait_port "$port" "$LAST_PID"
    log "Go net/http/fcgi ($(go version | cut -d' ' -f3)) listening on 127.0.0.1:$port (pid $LAST_PID)"
}

# raw_client MODE PORT [ARGS...]: run mpx_client.py, output to stderr.
raw_client() {
    local mode=$1 port=$2; shift 2
    python3 "$REC_DIR/mpx_client.py" "$mode" 127.0.0.1 "$port" "$@" >&2
    sleep 0.2
}
