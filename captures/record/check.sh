#!/bin/bash
# Check the captures with Wireshark's built-in FastCGI dissector (tshark) and
# cross-check the record type histogram against fcgi_summary.py.
#   check.sh [NAME...]      (default: all captures)
set -u
REC_DIR=$(cd "$(dirname "$0")" && pwd)
CAP_DIR=$(dirname "$REC_DIR")

# name:port
ALL="nginx-phpfpm:9000 apache-phpfpm:9001 cgifcgi-fcgiwrap:9002 nginx-keepalive:9003
go-multiplex:9004 phpfpm-big:9005 phpfpm-getvalues:9006 unix-socket:9123
phpfpm-gap20k:9007 phpfpm-gap300k:9008 phpfpm-reject:9009 nginx-abort:9010
apache-abort:9011 lighttpd-phpcgi:9012 lighttpd-abort:9013"

fail=0
bad() { echo "  FAIL: $*"; fail=1; }

# count TYPE: number of records of numeric TYPE seen by tshark
count() { awk -v t="$1" '$2==t{print $1; f=1} END{if(!f)print 0}' <<<"$TSHARK_HIST"; }

for entry in $ALL; do
    name=${entry%%:*}; port=${entry##*:}
    if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
    f="$CAP_DIR/$name.pcap"
    [ -f "$f" ] || { echo "$name: missing $f"; fail=1; continue; }
    T=(tshark -r "$f" -d "tcp.port==$port,fcgi")
    frames=$("${T[@]}" -T fields -e frame.number 2>/dev/null | wc -l)
    streams=$("${T[@]}" -T fields -e tcp.stream 2>/dev/null | sort -u | wc -l)
    # fcgi.type holds one value per record (comma separated per frame)
    TSHARK_HIST=$("${T[@]}" -Y fcgi -T fields -e fcgi.type 2>/dev/null |
        tr ',' '\n' | grep . | sort -n | uniq -c | awk '{print $1, $2}')
    OURS=$(python3 "$REC_DIR/fcgi_summary.py" --types --port "$port" "$f")
    malformed=$("${T[@]}" -Y '_ws.malformed || _ws.expert.severity >= "error"' 2>/dev/null | wc -l)
    echo "$name: $frames frames, $streams TCP connection(s), port $port, $(stat -c %s "$f") bytes"
    echo "  record types (tshark, type=count): $(awk '{printf "%s=%s ", $2, $1}' <<<"$TSHARK_HIST")"
    [ "$TSHARK_HIST" = "$OURS" ] || bad "tshark and fcgi_summary.py disagree: [$OURS]"
    [ "$malformed" -eq 0 ] || echo "  note: built-in dissector flags $malformed frame(s) malformed/error:" \
        $("${T[@]}" -Y '_ws.malformed || _ws.expert.severity >= "error"' -T fields -e frame.number 2>/dev/null)
    nbegin=$(count 1); nend=$(count 3)
    # phpfpm-reject: php-fpm closes 2 of its 3 connections before any answer
    [ "$name" = phpfpm-reject ] || [ "$nbegin" -eq "$nend" ] ||
        bad "BEGIN_REQUEST=$nbegin but END_REQUEST=$nend"
    case $name in
    nginx-phpfpm)
        [ "$nbegin" -eq 6 ] || bad "expected 6 requests"
        [ "$streams" -eq 6 ] || bad "expected 6 connections"
        [ "$(count 7)" -ge 1 ] || bad "no FCGI_STDERR record";;
    apache-phpfpm)
        [ "$nbegin" -eq 4 ] || bad "expected 4 requests";;
    cgifcgi-fcgiwrap)
        [ "$nbegin" -eq 3 ] || bad "expected 3 requests"
        [ "$(count 7)" -ge 1 ] || bad "no FCGI_STDERR record";;
    nginx-keepalive)
        [ "$streams" -eq 1 ] || bad "expected 1 connection"
        [ "$nbegin" -ge 10 ] || bad "expected >= 10 requests on one connection"
        ids=$("${T[@]}" -Y 'fcgi.type==1' -T fields -e fcgi.id 2>/dev/null | tr ',' '\n' | sort -u | tr '\n' ' ')
        [ "$ids" = "1 " ] || bad "request ids not all 1: $ids";;
    go-multiplex)
        [ "$streams" -eq 1 ] || bad "expected 1 connection"
        [ "$nbegin" -eq 3 ] || bad "expected 3 requests"
        [ "$(count 9)" -eq 1 ] && [ "$(count 10)" -ge 1 ] || bad "GET_VALUES / RESULT missing"
        [ "$(count 11)" -eq 1 ] || bad "UNKNOWN_TYPE missing";;
    phpfpm-big)
        [ "$nbegin" -eq 2 ] || bad "expected 2 requests"
        [ "$(count 6)" -ge 5 ] || bad "expected many STDOUT records";;
    phpfpm-gap20k|phpfpm-gap300k)
        [ "$streams" -eq 1 ] || bad "expected 1 connection"
        [ "$nbegin" -eq 3 ] || bad "expected 3 requests";;
    lighttpd-phpcgi)
        [ "$nbegin" -eq 6 ] || bad "expected 6 requests"
        [ "$(count 7)" -ge 1 ] || bad "no FCGI_STDERR record";;
    nginx-abort)
        [ "$nbegin" -eq 3 ] && [ "$streams" -eq 3 ] || bad "expected 3 requests on 3 connections";;
    apache-abort|lighttpd-abort)
        [ "$nbegin" -eq 2 ] || bad "expected 2 requests";;
    phpfpm-reject)
        [ "$streams" -eq 3 ] || bad "expected 3 connections"
        [ "$nbegin" -eq 3 ] && [ "$nend" -eq 1 ] || bad "expected 3 requests, 1 END_REQUEST";;
    phpfpm-getvalues)
        [ "$(count 9)" -eq 1 ] && [ "$(count 10)" -eq 1 ] || bad "GET_VALUES / RESULT missing"
        [ "$(count 20)" -eq 1 ] || bad "unknown type 20 record missing"
        [ "$nbegin" -eq 1 ] || bad "expected 1 request";;
    esac
done
[ $fail -eq 0 ] && echo "all checks passed"
exit $fail
