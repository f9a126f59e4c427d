#!/bin/bash
# Records the HTTP side of the nginx-keepalive setup, for the GUI comparison
# shots of tools/gui/shots.sh (HTTP's own tree, Statistics > HTTP > Packet
# Counter): curl -> nginx -> php-fpm, the same 14 requests as
# captures/record/nginx-keepalive.sh, but on ONE keep-alive HTTP connection
# (one curl run), capturing only the HTTP port.  Writes
# tools/gui/http-keepalive.pcap.  Run as root on Debian 12.
. "$(dirname "$0")/../../captures/record/common.sh"
setup_run gui-http
FCGI_PORT=9093
HTTP_PORT=8093
OUT=$(cd "$(dirname "$0")" && pwd)/http-keepalive.pcap

start_phpfpm $FCGI_PORT
# common.sh turns keep-alive off in the http block; this server turns it on.
start_nginx $HTTP_PORT "keepalive_timeout 30;
        $(nginx_php_location 127.0.0.1:$FCGI_PORT)"
start_capture $HTTP_PORT "$OUT"

base="http://$HTTP_HOST:$HTTP_PORT"
urls=()
for n in 1 2 3 4 5 6 7 8 9 10; do urls+=("$base/index.php?name=$n"); done
urls+=("$base/json.php?page=2")
# One curl process: it reuses the connection across URLs and --next.
# Bodies are discarded (stdout); -w reports status and new connections per URL.
w='%{stderr}%{method} %{url} -> %{http_code}, new connections: %{num_connects}\n'
opts=(-sS -H 'User-Agent: fcgi-capture/1.0' -w "$w")
curl "${opts[@]}" "${urls[@]}" \
    --next "${opts[@]}" --data 'name=dave&age=51' "$base/form.php" \
    --next "${opts[@]}" "$base/redirect.php" "$base/notfound.php" \
    >/dev/null 2>"$RUN/curl.log"
cat "$RUN/curl.log" >&2

stop_nginx
stop_capture
