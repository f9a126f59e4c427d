#!/bin/bash
# run-checkers.sh: runs Wireshark 4.0.17's own source checkers, from Debian's
# source tree, on the dissector dropped into that tree as
# epan/dissectors/packet-fcgi.c (and .h).  Prints each checker's findings
# with the repository's file names and a total; exits 1 on any finding,
# 2 if a checker could not run.
#
# Usage (as root the first time: it installs packages and may add deb-src
# lines):  tools/run-checkers.sh [FILE...]
# FILEs default to packet-fcgi.c and packet-fcgi.h.  The tree is cached
# under /var/tmp/wireshark-src (WS_TREE_CACHE); see tools/README.md.
set -euo pipefail
. "$(dirname "$0")/wireshark-tree.sh"
glib_cfg=$(cd "$(dirname "$0")" && pwd)/cppcheck-glib.cfg

mapfile -t ws_files < <(ws_default_files "$@")

ws_need_packages perl python3 cppcheck
ws_tree_unpack
ws_tree_drop_in "${ws_files[@]}"
cd "$WS_SRC"

c_files=()
for f in "${WS_DROPPED[@]}"; do
    case $f in *.c) c_files+=("$f") ;; esac
done

total=0
failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# report NAME N: prints the checker's output (in $out) and its count.
report() {
    ws_repo_paths < "$out" | grep -v '^[[:space:]]*$' || true
    echo "-- $1: $2 finding(s)"
    total=$((total + $2))
}
lines() { grep -cE "$1" "$out" || true; }

# checkAPIs.pl as epan/dissectors/CMakeLists.txt invokes it for the
# dissectors (its default groups prohibited, deprecated, soft-deprecated,
# plus dissectors-prohibited and dissectors-restricted).  Any Error/Warning
# line counts, and so does any use of a dissectors-restricted (terminal
# output) API: the summary lists each one used.
echo "== checkAPIs.pl --group dissectors-prohibited --group dissectors-restricted:5 --summary-group dissectors-restricted"
rc=0
perl tools/checkAPIs.pl --group dissectors-prohibited --group dissectors-restricted:5 \
    --summary-group dissectors-restricted "${WS_DROPPED[@]}" > "$out" 2>&1 || rc=$?
n=$(( $(lines '^(Error|Warning)') + $(lines '^ *[0-9]+  [A-Za-z_]') ))
[ "$rc" = 0 ] || [ "$n" -gt 0 ] || n=1
# checkAPIs names a shadowing variable without its line: add the lines its
# pattern matches (outside comments and strings) as "  at FILE:LINE: ...".
sed -n 's/^Warning: Found shadow variable(s) in \(.*\) : \(.*\)$/\1 \2/p' "$out" |
while read -r file names; do
    SHADOW_NAMES=$names perl -0777 -ne '
        my @orig = split /\n/, $_, -1;
        s{(/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\x27(?:\\.|[^\x27\\\n])*\x27)}
         { my $m = $1; $m =~ tr/\n//cd; $m }gse;
        my @code = split /\n/, $_, -1;
        for my $i (0 .. $#code) {
            for my $name (split /,/, $ENV{SHADOW_NAMES}) {
                print "  at $ARGV:", $i + 1, ": $orig[$i]\n"
                    if " $code[$i] " =~ /\s\Q$name\E\s*+[^(\w]/;
            }
        }' "$file"
done > "$out.at" || true
cat "$out.at" >> "$out"; rm -f "$out.at"
report checkAPIs.pl "$n"

# The checkers that print nothing when they find nothing, as the
# pre-commit hook (tools/pre-commit) runs them.
for checker in checkhf.pl checkfiltername.pl fix-encoding-args.pl; do
    echo "== $checker"
    rc=0
    perl "tools/$checker" "${WS_DROPPED[@]}" > "$out" 2>&1 || rc=$?
    n=$(lines '[^[:space:]]')
    # checkfiltername.pl adds a file heading and a total to its findings.
    total_line=$(sed -n 's/^TOTAL ERRORS: \([0-9]*\)$/\1/p' "$out")
    [ -z "$total_line" ] || n=$total_line
    [ "$rc" = 0 ] || [ "$n" -gt 0 ] || n=1
    report "$checker" "$n"
done

# The Python checkers summarise as "N warnings" / "N errors".
python_checker() {
    local name=$1; shift
    echo "== $name $*"
    local rc=0 n
    python3 "tools/$name" "$@" > "$out" 2>&1 || rc=$?
    n=$(sed -nE 's/^([0-9]+) (warnings|errors)( found)?$/\1/p' "$out" | awk '{s += $1} END {print s + 0}')
    if ! grep -qE '^[0-9]+ warnings' "$out"; then
        echo "$name did not run:"; cat "$out"; failed=1
    fi
    [ "$rc" = 0 ] || [ "$n" -gt 0 ] || n=1
    report "$name" "$n"
}
file_args=()
for f in "${c_files[@]}"; do file_args+=(--file "$f"); done
python_checker check_typed_item_calls.py "${file_args[@]}" --mask --label --consecutive --missing-items
python_checker check_tfs.py "${file_args[@]}"

# cppcheck with tools/cppcheck/cppcheck.sh's options, suppressions and
# includes.  cppcheck 2.10 stops at the first GLib attribute macro it
# does not know (G_DEPRECATED_FOR in epan/packet.h) and then checks
# nothing, so GLib's macros come from its gtk library plus
# tools/cppcheck-glib.cfg.  Findings in Wireshark's own headers are shown
# but not counted.
echo "== cppcheck (tools/cppcheck/cppcheck.sh options, suppressions, includes)"
rc=0
cppcheck --force --enable=style --quiet \
    --suppressions-list=tools/cppcheck/suppressions \
    --includes-file=tools/cppcheck/includes \
    --library=gtk --library="$glib_cfg" \
    -i doc/ -i epan/dissectors/asn1/ --std=c11 -j 1 \
    --template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
    "${WS_DROPPED[@]}" > "$out" 2>&1 || rc=$?
if grep -q '\[unknownMacro\]' "$out" || [ "$rc" != 0 ]; then
    echo "cppcheck could not analyse the files:"; cat "$out"; failed=1
fi
own='^('$(IFS='|'; echo "${WS_DROPPED[*]}")'):[0-9]+:'
grep -E "$own" "$out" > "$out.own" || true
grep -vE "$own" "$out" | grep -E '^[^ ]+:[0-9]+:[0-9]+: ' | sed 's/^/(Wireshark header, not counted) /' || true
n=$(grep -c . "$out.own" || true)
mv "$out.own" "$out"
report cppcheck "$n"

echo "== run-checkers: $total finding(s)"
[ "$failed" = 0 ] || exit 2
[ "$total" = 0 ] || exit 1
