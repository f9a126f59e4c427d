#!/bin/sh
# What Wireshark shows WITHOUT the fcgi plugin, per frame, tab-separated:
#   frame number, frame.protocols, Protocol column, Info column
# of a single pass (tshark's default), and, where the two-pass run (-2)
# differs, the same three fields of the two-pass run as columns 5-7
# (columns 5-7 are empty when both runs agree).
#
#   captures/builtin-view.sh FILE.pcap            print to stdout
#   captures/builtin-view.sh --write FILE.pcap... write FILE.builtin.tsv next
#                                                 to each capture
#   captures/builtin-view.sh [--write] -d tcp.port==N,fcgi FILE.pcap...
#       the same with the built-in FastCGI dissector on port N (Decode As);
#       --write then writes FILE.builtin-fcgi.tsv
#
# Runs test/tshark-plugin.sh --builtin (user nobody, no plugin); set
# FCGI_STAGE_DIR to your own stage directory.  The .builtin.tsv files of the
# look-alike captures are the expected output for the plugin too (issue 9).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
write=0
if [ "${1:-}" = "--write" ]; then write=1; shift; fi
decode=""; suffix=builtin
if [ "${1:-}" = "-d" ]; then decode=$2; suffix=builtin-fcgi; shift 2; fi
tmp=$(mktemp -d /tmp/builtin-view.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
for f in "$@"; do
    cp "$f" "$tmp/in.pcap"
    chmod a+r "$tmp/in.pcap"
    for pass in 1 2; do
        opt=""; [ "$pass" = 2 ] && opt=-2
        "$here/test/tshark-plugin.sh" --builtin -r "$tmp/in.pcap" $opt \
            ${decode:+-d "$decode"} -T fields \
            -e frame.number -e frame.protocols -e _ws.col.Protocol \
            -e _ws.col.Info >"$tmp/pass$pass.tsv"
    done
    paste "$tmp/pass1.tsv" "$tmp/pass2.tsv" | awk -F'\t' -v OFS='\t' '
        { if ($2 == $6 && $3 == $7 && $4 == $8) print $1, $2, $3, $4, "", "", ""
          else print $1, $2, $3, $4, $6, $7, $8 }' >"$tmp/out.tsv"
    if [ "$write" = 1 ]; then
        mv "$tmp/out.tsv" "${f%.pcap}.$suffix.tsv"
        chmod 644 "${f%.pcap}.$suffix.tsv"
        echo "wrote ${f%.pcap}.$suffix.tsv" >&2
    else
        cat "$tmp/out.tsv"
    fi
done
