#!/bin/bash
# Screenshots of the fcgi plugin in the real Wireshark window (Qt, under Xvfb):
# request and response frames with the FastCGI tree fully expanded,
# File > Export Objects > FCGI..., Statistics > FastCGI > both dialogs, and
# HTTP's own views of the same requests for comparison.
#
#   tools/gui/shots.sh PLUGINS_DIR OUT_DIR [SHOT...]
#
# PLUGINS_DIR  a folder laid out as build/plugins (4.0/epan/fcgi.so), e.g.
#              build/plugins.  It is copied; Wireshark loads only this copy
#              (WIRESHARK_PLUGIN_DIR), not the globally installed plugin.
# OUT_DIR      receives one 8-bit palette PNG per shot (created if missing)
#              and shots.txt: plugin checksum, capture and options, and the
#              window title of each shot of this run (dialogs have no title
#              bar here).
# SHOT...      names of shots to take (default: all; see the list below).
#
# Needs Debian 12's wireshark-qt (4.0.17), xvfb, xdotool and imagemagick
# (apt-get install wireshark-qt xvfb xdotool imagemagick).  As root,
# Wireshark runs as user nobody (it ignores plugin folders as root) with a
# HOME it can read but not write; otherwise as the calling user.  Xvfb picks a
# free display.  Every process started here is stopped by its PID.
#
# Wireshark is driven with keyboard shortcuts and menu positions of Wireshark
# 4.0.17 (there is no window manager); each dialog is checked by its window
# title, so a menu that moved makes the script fail instead of shooting the
# wrong window.  SHOTS_KEEP=1 keeps the work folder (raw screenshots, logs).
set -Eeuo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

# name | capture | wireshark options | action
#   tree N      select the frame given by -g, expand all, collapse the first
#               N top-level items (Frame, Ethernet, IP, TCP), shoot the window
#   dialog KEYS TITLE-REGEX WxH
#               press KEYS in the main window, wait for a window whose title
#               matches, resize it, shoot it
SHOTS='
fcgi-request-nginx-keepalive-f8|captures/nginx-keepalive.pcap|-d tcp.port==9003,fcgi -Y fcgi -g 8|tree 4
fcgi-request-go-multiplex-f20|captures/go-multiplex.pcap|-d tcp.port==9004,fcgi -Y fcgi -g 20|tree 4
fcgi-request-go-multiplex-f14|captures/go-multiplex.pcap|-d tcp.port==9004,fcgi -Y fcgi -g 14|tree 4
fcgi-response-nginx-keepalive-f9|captures/nginx-keepalive.pcap|-d tcp.port==9003,fcgi -Y fcgi -g 9|tree 4
fcgi-response-go-multiplex-f38|captures/go-multiplex.pcap|-d tcp.port==9004,fcgi -Y fcgi -g 38|tree 4
fcgi-response-apache-phpfpm-f12|captures/apache-phpfpm.pcap|-d tcp.port==9001,fcgi -Y fcgi -g 12|tree 4
fcgi-export-objects-nginx-keepalive|captures/nginx-keepalive.pcap|-d tcp.port==9003,fcgi|dialog alt+f,Up,Up,Up,Right,Down,Return Export.*FCGI 1100x520
fcgi-stats-records-requests-nginx-keepalive|captures/nginx-keepalive.pcap|-d tcp.port==9003,fcgi|dialog alt+s,Up,Right,Return Records.and.Requests 1150x560
fcgi-stats-response-time-nginx-keepalive|captures/nginx-keepalive.pcap|-d tcp.port==9003,fcgi|dialog alt+s,Up,Right,Down,Return Response.Time.by.Script 1150x560
http-request-f8|tools/gui/http-keepalive.pcap|-Y http -g 8|tree 4
http-response-f9|tools/gui/http-keepalive.pcap|-Y http -g 9|tree 4
http-export-objects|tools/gui/http-keepalive.pcap||dialog alt+f,Up,Up,Up,Right,Down,Down,Down,Return Export.*HTTP 1100x520
http-stats-packet-counter|tools/gui/http-keepalive.pcap||dialog alt+s,Down,Down,Down,Down,Down,Down,Down,Down,Down,Down,Down,Down,Down,Down,Down,Down,Down,Down,Down,Right,Return Packet.Counter 1150x560
'

WIDTH=${SHOTS_WIDTH:-1400}       # main window = screen size
HEIGHT=${SHOTS_HEIGHT:-2600}     # tall, so a whole expanded tree fits
LIST_PANE=300                    # packet list height
MAX_BYTES=153600                 # 150 KiB per PNG

die() { echo "shots.sh: $*" >&2; exit 1; }
log() { echo "shots.sh: $*" >&2; }

[ $# -ge 2 ] || { sed -n '2,/^set -/p' "$0" | sed 's/^# \{0,1\}//;$d' >&2; exit 2; }
plugins_in=$1; out=$2; shift 2
want=" $* "
src_so=$(find "$plugins_in" -name fcgi.so | head -n 1)
[ -n "$src_so" ] || die "no fcgi.so under $plugins_in"
for c in wireshark tshark Xvfb xdotool import convert setpriv; do
    command -v "$c" >/dev/null || die "$c not found (apt-get install wireshark-qt xvfb xdotool imagemagick)"
done
wireshark --version | head -n 1 | grep -q 'Wireshark 4\.0\.' ||
    log "warning: menu positions are those of Wireshark 4.0; this is $(wireshark --version | head -n 1)"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# --- work folder: plugin copy, captures, HOME (readable, not writable) -------
work=$(mktemp -d /var/tmp/fcgi-shots.XXXXXX)
chmod 755 "$work"
xvfb_pid=""; ws_pid=""
cleanup() {   # cleanup EXIT-STATUS
    set +e
    [ -n "$ws_pid" ] && stop_pid "$ws_pid"
    [ -n "$xvfb_pid" ] && stop_pid "$xvfb_pid"
    if [ "$1" != 0 ] || [ "${SHOTS_KEEP:-0}" = 1 ]; then log "work folder kept: $work"; else rm -rf "$work"; fi
}
# stop_pid PID: TERM, up to 5 s, then KILL that one process.
stop_pid() {
    kill -TERM "$1" 2>/dev/null || return 0
    for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
trap 'cleanup $?' EXIT
trap 'exit 130' INT TERM
trap 'log "failed at line $LINENO: $BASH_COMMAND"' ERR

rel=${src_so#"$plugins_in"}; rel=${rel#/}
mkdir -p "$work/plugins/$(dirname "$rel")" "$work/caps" "$work/raw" \
         "$work/home/.config/wireshark/profiles" "$work/xdg"
cp "$src_so" "$work/plugins/$rel"
cat >"$work/home/.config/wireshark/recent_common" <<EOF
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: $WIDTH
gui.geometry_main_height: $HEIGHT
gui.geometry_main_maximized: FALSE
privs.warn_if_elevated: FALSE
sys.warn_if_no_capture: FALSE
EOF
cat >"$work/home/.config/wireshark/recent" <<EOF
gui.toolbar_main_show: TRUE
gui.filter_toolbar_show: TRUE
gui.wireless_toolbar_show: FALSE
gui.packet_list_show: TRUE
gui.tree_view_show: TRUE
gui.byte_view_show: FALSE
gui.packet_diagram_show: FALSE
gui.statusbar_show: TRUE
gui.geometry_main_upper_pane: $LIST_PANE
column.width:
        %m, 50,
        %t, 90,
        %s, 90,
        %d, 90,
        %p, 60,
        %L, 60,
        %i, $((WIDTH - 460))
EOF
chmod -R a+rX,go-w "$work"
if [ "$(id -u)" = 0 ]; then
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
    as_user=()
fi
ws_env=(env -i PATH=/usr/bin:/bin LANG=C.UTF-8 HOME="$work/home" XDG_RUNTIME_DIR="$work/xdg"
        WIRESHARK_PLUGIN_DIR="$work/plugins")

# The plugin Wireshark loads must be the copy.
loaded=$("${as_user[@]}" "${ws_env[@]}" tshark -G plugins 2>/dev/null | awk '$1 == "fcgi.so" {print $NF}')
[ "$loaded" = "$work/plugins/$rel" ] || die "tshark loads fcgi.so from '$loaded', not from $work/plugins/$rel"
log "plugin: $src_so ($(md5sum <"$src_so" | cut -c1-12)), Wireshark: $(wireshark --version | head -n 1)"

# --- X server ----------------------------------------------------------------
Xvfb -displayfd 3 -screen 0 "${WIDTH}x${HEIGHT}x24" -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || die "Xvfb did not start: $(cat "$work/xvfb.log")"
export DISPLAY=":$(head -n 1 "$work/display")"
log "Xvfb on $DISPLAY (pid $xvfb_pid)"

# wait_window REGEX SECONDS: print the id of a visible window whose title matches.
wait_window() {
    local w
    for _ in $(seq $(($2 * 5))); do
        w=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -n 1) || true
        [ -n "$w" ] && { echo "$w"; return 0; }
        kill -0 "$ws_pid" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

# keys K1,K2,...: press keys one by one in the focused window.
keys() {
    local k
    for k in ${1//,/ }; do xdotool key "$k"; sleep 0.25; done
}

# content_bottom PNG TOP: last pixel row below TOP (excluding the status bar)
# that is not background, inside the window's border.
content_bottom() {
    local bb
    bb=$(convert "$1" -crop "$((WIDTH - 30))x$((HEIGHT - $2 - 40))+8+$2" +repage \
         -fuzz 2% -trim -format '%h %Y' info: 2>/dev/null | sed 's/+//g')
    set -- $bb "$2"
    echo $(($3 + $2 + $1))
}

# save RAW NAME [CROP]: 8-bit palette PNG in OUT_DIR, fewer colours if too big.
save() {
    local raw=$1 name=$2 crop=${3:-} c f="$out/$2.png"
    for c in 256 128 64; do
        convert "$raw" ${crop:+-crop "$crop" +repage} -strip -dither None -colors "$c" \
            -define png:compression-level=9 -define png:compression-filter=5 "PNG8:$f"
        [ "$(stat -c %s "$f")" -le "$MAX_BYTES" ] && break
    done
    log "$name.png: $(identify -format '%wx%h' "$f"), $(stat -c %s "$f") bytes, $c colours"
}

shoot() {
    local name=$1 cap=$2 opts=$3 action=$4 main_w w title="" raw="$work/raw/$1.png"
    local capname; capname=$(basename "$cap")
    [ -f "$work/caps/$capname" ] || { cp "$repo/$cap" "$work/caps/"; chmod a+r "$work/caps/$capname"; }
    local try
    for try in 1 2; do
        # shellcheck disable=SC2086  # opts are words
        "${as_user[@]}" "${ws_env[@]}" DISPLAY="$DISPLAY" wireshark -r "$work/caps/$capname" $opts \
            >"$work/$name.log" 2>&1 </dev/null &
        ws_pid=$!
        # The title becomes the file name once the file is read.
        main_w=$(wait_window "^${capname//./\\.}\$" 60) && break
        log "$name: main window did not appear (try $try): $(tail -n 3 "$work/$name.log")"
        stop_pid "$ws_pid"; ws_pid=""
        kill -0 "$xvfb_pid" 2>/dev/null || die "Xvfb is gone: $(tail -n 5 "$work/xvfb.log")"
        [ "$try" = 2 ] && die "$name: giving up"
    done
    sleep 3
    xdotool windowfocus --sync "$main_w"
    set -- $action
    case $1 in
    tree)
        # Focus the details pane (click on its empty part), View > Expand All,
        # collapse the first N top-level items, select the next one.
        xdotool mousemove $((WIDTH / 2)) $((LIST_PANE + 500)) click 1
        sleep 0.3
        keys ctrl+Right,Home
        for _ in $(seq "$2"); do keys Left,Down; done
        sleep 1
        import -window root "$raw"
        local bottom; bottom=$(content_bottom "$raw" $((LIST_PANE + 160)))
        [ "$bottom" -lt $((HEIGHT - 60)) ] ||
            log "warning: $name: the tree may be taller than the pane; raise SHOTS_HEIGHT"
        save "$raw" "$name" "${WIDTH}x$((bottom + 8))+0+0"
        ;;
    dialog)
        keys "$2"
        w=$(wait_window "$3" 20) || die "$name: no window titled /$3/ after keys $2"
        xdotool windowmove "$w" 0 0      # wholly on the screen, or import clips it
        xdotool windowsize "$w" "${4%x*}" "${4#*x}"
        sleep 3    # statistics dialogs retap the file
        import -window "$w" "$raw"
        title=$(xdotool getwindowname "$w")
        log "$name: window '$title'"
        save "$raw" "$name"
        ;;
    esac
    [ -n "$title" ] || title=$(xdotool getwindowname "$main_w")
    stop_pid "$ws_pid"; ws_pid=""
    printf '%s.png\t%s %s\t%s\n' "$name" "$cap" "$opts" "$title" >>"$out/shots.txt"
}

{
    echo "# tools/gui/shots.sh: $(wireshark --version | head -n 1)"
    echo "# plugin $src_so, md5 $(md5sum <"$src_so" | cut -d' ' -f1), taken $(date -u '+%Y-%m-%d %H:%M UTC')"
    printf '# file\tcapture and options\twindow title\n'
} >"$out/shots.txt"
n=0
while IFS='|' read -r -u 9 name cap opts action; do
    [ -n "$name" ] || continue
    [ "$want" = "  " ] || [[ $want == *" $name "* ]] || continue
    shoot "$name" "$cap" "$opts" "$action"
    n=$((n + 1))
done 9<<<"$SHOTS"
[ "$n" -gt 0 ] || die "no shot matched: $*"
log "$n screenshots in $out"
