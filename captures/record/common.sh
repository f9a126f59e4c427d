# Shared helpers for the capture recording scripts.  Source it, do not run it.
#
#   . "$(dirname "$0")/common.sh"
#   setup_run NAME            # temp dir, trap, stage www/
#   start_phpfpm PORT
#   start_nginx HTTP_PORT "LOCATION/UPSTREAM CONFIG"
#   start_capture PORT        # tcpdump -i lo 'tcp port PORT' -> captures/NAME.pcap
#   http GET /index.php?name=abc
#   stop_capture              # flush + stop tcpdump, print a summary
#
# Requirements: Debian 12, run as root.  Only loopback traffic is generated.
# Everything started here is stopped (by PID) and the temp dir removed on exit.

set -eu
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

REC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAP_DIR=$(dirname "$REC_DIR")
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

# --- run directory / cleanup ------------------------------------------------

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
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
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

# setup_run NAME: create the temp dir, install the trap, stage the docroot.
setup_run() {
    CAP_NAME=$1
    require_root
    need_base
    RUN=$(mktemp -d "/tmp/fcgicap-$CAP_NAME.XXXXXX")
    chmod 755 "$RUN"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
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

# wait_port PORT [PID]: wait until something listens on 127.0.0.1:PORT.
wait_port() {
    local port=$1 pid=${2:-}
    for _ in $(seq 100); do
        if ss -Hltn "sport = :$port" | grep -q .; then return 0; fi
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            die "process $pid died before listening on port $port"
        fi
        sleep 0.1
    done
    die "nothing listening on port $port"
}

port_free() {
    local port=$1
    if ss -Hltn "sport = :$port" | grep -q .; then
        die "port $port already in use"
    fi
}

# --- php-fpm ----------------------------------------------------------------

# start_phpfpm PORT [EXTRA_POOL_LINES]
start_phpfpm() {
    local port=$1 extra=${2:-}
    need_cmd php-fpm8.2 php8.2-fpm
    port_free "$port"
    local d="$RUN/php-fpm-$port"
    mkdir -p "$d"
    cat >"$d/php-fpm.conf" <<EOF
[global]
pid = $d/php-fpm.pid
error_log = $RUN/php-fpm-$port.log
log_level = notice
daemonize = no

[capture]
user = www-data
group = www-data
listen = 127.0.0.1:$port
listen.allowed_clients = 127.0.0.1
pm = static
pm.max_children = 2
catch_workers_output = yes
decorate_workers_output = no
clear_env = yes
; No php.ini is loaded (-n); set the relevant values here.
; log_errors on + no error_log ini value: error_log() goes to the SAPI
; logger, which php-fpm sends to the web server as FCGI_STDERR.
php_admin_flag[log_errors] = on
php_admin_flag[display_errors] = off
php_admin_value[output_buffering] = 4096
php_admin_value[date.timezone] = UTC
$extra
EOF
    # -n: ignore /etc/php (local php.ini edits must not change the capture).
    bg "$RUN/php-fpm-$port.stdout.log" php-fpm8.2 -n -F -y "$d/php-fpm.conf" -p "$d"
    wait_port "$port" "$LAST_PID"
    log "php-fpm listening on 127.0.0.1:$port (pid $LAST_PID)"
}

# --- nginx ------------------------------------------------------------------

# start_nginx HTTP_PORT SERVER_BLOCK_BODY [HTTP_BLOCK_EXTRA]
start_nginx() {
    local port=$1 body=$2 httpextra=${3:-}
    need_cmd nginx nginx-light
    port_free "$port"
    local d="$RUN/nginx-$port"
    mkdir -p "$d/logs"
    cat >"$d/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
user www-data;
pid $d/nginx.pid;
error_log $RUN/nginx-$port.log info;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $RUN/nginx-$port-access.log;
    client_body_temp_path $d/client_body;
    proxy_temp_path $d/proxy;
    fastcgi_temp_path $d/fastcgi;
    uwsgi_temp_path $d/uwsgi;
    scgi_temp_path $d/scgi;
    sendfile off;
    keepalive_timeout 0;
    server_tokens off;
    $httpextra
    server {
        listen $HTTP_HOST:$port;
        server_name localhost;
        root $DOCROOT;
        index index.php;
        $body
    }
}
EOF
    bg "$RUN/nginx-$port.stdout.log" nginx -e "$RUN/nginx-$port.log" -p "$d" -c "$d/nginx.conf"
    wait_port "$port" "$LAST_PID"
    NGINX_PID=$LAST_PID
    log "nginx listening on $HTTP_HOST:$port (pid $LAST_PID)"
}

# stop_nginx: graceful shutdown (SIGQUIT), which also closes idle upstream
# keepalive connections, so the capture contains their FIN handshake.
stop_nginx() {
    kill -QUIT "$NGINX_PID"
    for _ in $(seq 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
    wait "$NGINX_PID" 2>/dev/null || true
    log "nginx stopped"
}

# The standard PHP location (nginx's Debian snippet, inlined).
nginx_php_location() {
    local pass=$1 extra=${2:-}
    cat <<EOF
location ~ \.php\$ {
            fastcgi_split_path_info ^(.+\.php)(/.+)\$;
            try_files \$fastcgi_script_name =404;
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
            fastcgi_param PATH_INFO \$fastcgi_path_info;
            fastcgi_pass $pass;
            $extra
        }
EOF
}

# --- capture ----------------------------------------------------------------

# start_capture PORT [OUTFILE]: tcpdump on lo, only the FastCGI port.
start_capture() {
    CAP_PORT=$1
    CAP_FILE=${2:-$CAP_DIR/$CAP_NAME.pcap}
    local tmp="$RUN/$CAP_NAME.pcap"
    rm -f "$tmp"
    # -Z root: write as root (Debian's tcpdump otherwise drops to user tcpdump)
    # -U: packet-buffered output; -s 0: full packets; classic pcap format.
    tcpdump -i lo -n -s 0 -U -Z root -w "$tmp" "tcp port $CAP_PORT" \
        >"$RUN/tcpdump.log" 2>&1 &
    CAP_PID=$!
    for _ in $(seq 100); do
        grep -q 'listening on' "$RUN/tcpdump.log" 2>/dev/null && break
        kill -0 "$CAP_PID" 2>/dev/null || { cat "$RUN/tcpdump.log" >&2; die "tcpdump died"; }
        sleep 0.1
    done
    grep -q 'listening on' "$RUN/tcpdump.log" || die "tcpdump not ready"
    sleep 0.3   # the BPF filter is installed before the message; be generous
    log "tcpdump capturing tcp port $CAP_PORT on lo"
}

# stop_capture: let FIN/ACKs arrive, stop tcpdump, move the file in place.
stop_capture() {
    sleep 1
    kill -INT "$CAP_PID"
    wait "$CAP_PID" || true
    CAP_PID=""
    cat "$RUN/tcpdump.log" >&2
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
