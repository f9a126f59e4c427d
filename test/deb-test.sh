#!/bin/bash
# deb-test.sh - build the Debian packages of the plugin and test them in fresh
# Debian chroots, from nothing (run as root on a Debian 12 host):
#
#   test/deb-test.sh [--ws LIST] [--keep]
#
# LIST: comma-separated Wireshark releases, default 4.0,4.4 (what CI runs):
# 4.0  builds wireshark-plugin-fcgi_<v>+ws4.0_<arch>.deb on the host
#      (build-deb/, `cmake --build build-deb --target package`), tested in
#      Debian 12 "bookworm";
# 4.4  builds …+ws4.4_<arch>.deb inside the Debian 13 chroot of
#      `test/ws-chroot.sh 4.4` (copied back to build-deb/), tested in trixie;
# 4.6  builds …+ws4.6_<arch>.deb inside `test/ws-chroot.sh 4.6` (Debian sid),
#      tested in sid.
# Each package is tested in a FRESH chroot of its Debian release
# (debootstrap --variant=minbase, made anew each run, in the background while
# the packages build, and deleted afterwards unless --keep):
#   1. `apt-get install ./<deb>` (pulls libwireshark and, as recommended, tshark);
#   2. `tshark -G plugins` lists fcgi.so with the version of moduleinfo.h, from
#      Wireshark's global plugin folder;
#   3. captures/nginx-phpfpm.pcap dissects with the plugin's Info text (port
#      9000 found by the heuristic, which the built-in dissector does not do);
#   4. installing each package built for another Wireshark in this run (another
#      libwireshark ABI) is refused by apt, and nothing changes;
#   5. `apt-get remove`: every file dpkg -L listed is gone (folders only stay
#      when another package owns them), tshark no longer lists fcgi.so, the
#      capture is no longer dissected as FCGI; then `apt-get purge` leaves no
#      trace in dpkg's database.
# Exit status 0 when every check passed, 1 otherwise,
# 2 on a usage or setup error.
#
# Environment: FCGI_DEB_BUILD_DIR (default <source>/build-deb),
# FCGI_DEB_CHROOT_DIR (where the fresh chroots go, default /var/tmp),
# FCGI_DEB_MIRROR (default http://deb.debian.org/debian),
# FCGI_DEB_SECURITY_MIRROR (default http://deb.debian.org/debian-security,
# "none" to leave it out), WS44_ROOT (see test/ws-chroot.sh).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ws=4.0,4.4 keep=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --ws) ws=${2:-}; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
        *) echo "deb-test: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
declare -A suite_of=([4.0]=bookworm [4.4]=trixie [4.6]=sid)
IFS=, read -r -a versions <<<"$ws"
for v in "${versions[@]}"; do
    [[ -n ${suite_of[$v]:-} ]] || { echo "deb-test: --ws: a comma-separated list of 4.0, 4.4, 4.6" >&2; exit 2; }
done

log() { printf 'deb-test: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }
[[ $EUID -eq 0 ]] || die "must be run as root (debootstrap, chroot)"

build=${FCGI_DEB_BUILD_DIR:-$here/build-deb}
chroots=${FCGI_DEB_CHROOT_DIR:-/var/tmp}
mirror=${FCGI_DEB_MIRROR:-http://deb.debian.org/debian}
security=${FCGI_DEB_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
# The chroots that build the 4.4 and 4.6 packages (shared with their tests).
ws_chroot="$here/test/ws-chroot.sh"
capture=$here/captures/nginx-phpfpm.pcap
version=$(sed -n 's/^#define[[:space:]]*PLUGIN_VERSION[[:space:]]*"\(.*\)"/\1/p' "$here/moduleinfo.h")
[[ -n $version ]] || die "no PLUGIN_VERSION in moduleinfo.h"
t0=$SECONDS
failures=0
fail() { log "FAIL: $*"; failures=$((failures + 1)); }

command -v debootstrap >/dev/null 2>&1 || {
    log "installing debootstrap on the host"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null 2>&1 ||
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
}
unshare --mount --propagation private true 2>/dev/null || die "unshare --mount does not work here"

# ------------------------------------------------------------- building --------
mkdir -p "$build"
deb_of() {   # the package file for Wireshark $1 in $build
    local f
    f=$(find "$build" -maxdepth 1 -name "wireshark-plugin-fcgi_${version}+ws$1_*.deb" -newer "$build/.t0" | head -n1)
    [[ -n $f ]] && echo "$f"
}
touch "$build/.t0"

build_40() {
    log "building the 4.0 package on the host ($build)"
    cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1 ||
        { cat "$build/configure.log" >&2; die "cmake configure failed"; }
    grep -m1 'Debian package:' "$build/configure.log" | sed 's/^-- /deb-test: /' >&2 || true
    cmake --build "$build" --target package -j2 >"$build/package.log" 2>&1 ||
        { cat "$build/package.log" >&2; die "cmake --build --target package failed"; }
}

build_in_chroot() {   # build_in_chroot 4.4|4.6
    local v=$1 root src=/src/fcgi-deb
    log "building the $v package in the Debian ${suite_of[$v]} chroot"
    root=$("$ws_chroot" "$v" path)
    # `setup` waits for every command running in the chroot; only when needed.
    if [[ ! -f $root/.ws${v/./}-setup-done ]]; then
        log "setting up $root first (test/ws-chroot.sh $v setup, log in $build/setup-$v.log)"
        "$ws_chroot" "$v" setup >"$build/setup-$v.log" 2>&1 ||
            { tail -n 30 "$build/setup-$v.log" >&2; die "the $v chroot could not be set up"; }
        grep -E '^ws[0-9]+: setup done' "$build/setup-$v.log" >&2 || true
    fi
    rm -rf --one-file-system -- "$root$src"
    mkdir -p -- "$root$src"
    (cd "$here" && git ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' f; do [[ -e $f ]] && printf '%s\0' "$f"; done |
        tar --null --no-recursion -T - -cf -) | tar -C "$root$src" -xf -
    "$ws_chroot" "$v" run /bin/sh -c 'set -e; cd "$1"
        cmake -S . -B build-deb -DCMAKE_BUILD_TYPE=RelWithDebInfo
        cmake --build build-deb --target package -j2' deb "$src" >"$build/package-$v.log" 2>&1 ||
        { cat "$build/package-$v.log" >&2; die "the $v package did not build"; }
    grep -m1 'Debian package:' "$build/package-$v.log" | sed 's/^-- /deb-test: /' >&2 || true
    cp -- "$root$src"/build-deb/wireshark-plugin-fcgi_*+ws"$v"_*.deb "$build/"
    rm -rf --one-file-system -- "$root$src"
}

# --------------------------------------------------------------- chroots -------
# in_chroot DIR CMD...: run CMD in DIR with /proc and /dev mounted in a private
# mount namespace (the mounts vanish with it).
in_chroot() {
    local r=$1; shift
    unshare --mount --propagation private -- /bin/sh -c '
        r=$1; shift
        mount -t proc proc "$r/proc" && mount --rbind /dev "$r/dev" && mount --make-rslave "$r/dev" || exit 2
        exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
            DEBIAN_FRONTEND=noninteractive "$@"' in_chroot "$r" "$@"
}

fresh_chroot() {   # fresh_chroot SUITE DIR
    local suite=$1 r=$2 t=$SECONDS
    rm -rf --one-file-system -- "$r"
    log "debootstrap --variant=minbase $suite $r $mirror"
    unshare --mount --propagation private -- \
        debootstrap --variant=minbase "$suite" "$r" "$mirror" >"$r.debootstrap.log" 2>&1 ||
        { tail -n 20 "$r.debootstrap.log" >&2; die "debootstrap $suite failed"; }
    if [[ $suite == sid ]]; then
        echo "deb $mirror $suite main" >"$r/etc/apt/sources.list"
        # sid's Release files can be past their Valid-Until date.
        echo 'Acquire::Check-Valid-Until "false";' >"$r/etc/apt/apt.conf.d/99valid-until"
    else
        {
            echo "deb $mirror $suite main"
            echo "deb $mirror $suite-updates main"
            [[ $security == none ]] || echo "deb $security $suite-security main"
        } >"$r/etc/apt/sources.list"
    fi
    rm -f -- "$r/etc/resolv.conf"; cp -L /etc/resolv.conf "$r/etc/resolv.conf"
    printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d"; chmod 755 "$r/usr/sbin/policy-rc.d"
    # A throw-away chroot: dpkg need not fsync every file.
    echo force-unsafe-io >"$r/etc/dpkg/dpkg.cfg.d/unsafe-io"
    # tshark's question whether non-root users may capture: Debian's default (no).
    echo "wireshark-common wireshark-common/install-setuid boolean false" |
        in_chroot "$r" debconf-set-selections
    in_chroot "$r" apt-get update -qq || die "apt-get update in the $suite chroot failed"
    log "fresh $suite chroot ready in $((SECONDS - t))s"
}

# The Info column the plugin gives captures/nginx-phpfpm.pcap (nginx -> php-fpm
# on port 9000, found by the heuristic; the built-in shows none of it).
expected_info='4	GET /index.php?name=abc [BEGIN_REQUEST[1], PARAMS[1], PARAMS[1] end, STDIN[1] end]
6	200 OK (text/html) [STDOUT[1], END_REQUEST[1]]
14	GET /json.php [BEGIN_REQUEST[1], PARAMS[1], PARAMS[1] end, STDIN[1] end]
16	200 OK (application/json) [STDOUT[1], END_REQUEST[1]]
24	POST /form.php [BEGIN_REQUEST[1], PARAMS[1], PARAMS[1] end, STDIN[1], STDIN[1] end]
26	200 OK (text/plain) [STDOUT[1], END_REQUEST[1]]
34	GET /redirect.php [BEGIN_REQUEST[1], PARAMS[1], PARAMS[1] end, STDIN[1] end]
36	302 Found (text/html) [STDOUT[1], END_REQUEST[1]]
44	GET /notfound.php [BEGIN_REQUEST[1], PARAMS[1], PARAMS[1] end, STDIN[1] end]
46	404 Not Found (text/plain) [STDOUT[1], END_REQUEST[1]]
54	GET /stderr500.php [BEGIN_REQUEST[1], PARAMS[1], PARAMS[1] end, STDIN[1] end]
56	500 Internal Server Error (text/plain) [STDERR[1], STDOUT[1], END_REQUEST[1]]'

# Every file or folder named *fcgi* in chroot $1 (but the copied packages).
fcgi_files() { (cd "$1" && find . -xdev -path ./tmp/pkg -prune -o -iname '*fcgi*' -print); }

# test_package SUITE MAJMIN DEB [FOREIGN-DEB...]
test_package() {
    local suite=$1 wsv=$2 deb=$3 t=$SECONDS; shift 3
    local foreign_debs=("$@") foreign
    local r=$chroots/fcgi-deb-$suite pkg=wireshark-plugin-fcgi out
    local plugdir=/usr/lib/x86_64-linux-gnu/wireshark/plugins/$wsv/epan
    log "=== $(basename "$deb") in the fresh Debian $suite chroot"
    mkdir -p "$r/tmp/pkg"
    cp -- "$deb" "${foreign_debs[@]}" "$capture" "$r/tmp/pkg/"
    local d=/tmp/pkg/$(basename "$deb") pcap=/tmp/pkg/$(basename "$capture")

    log "apt-get install ./$(basename "$deb")"
    in_chroot "$r" apt-get install -y "$d" >"$r.install.log" 2>&1 ||
        { cat "$r.install.log" >&2; fail "$suite: apt-get install $d"; return; }
    grep -E "^(Setting up|Unpacking) $pkg|^The following NEW packages" "$r.install.log" | sed 's/^/    /' >&2 || true
    log "    $(grep -E '^[0-9]+ upgraded, [0-9]+ newly installed' "$r.install.log")"
    out=$(in_chroot "$r" dpkg-query -W -f='${Status} ${Version} ${Depends}' "$pkg")
    log "dpkg-query: $pkg $out"
    [[ $out == "install ok installed ${version}+ws$wsv "* ]] || fail "$suite: dpkg status: $out"
    in_chroot "$r" dpkg -L "$pkg" >"$r.dpkg-L"
    sed 's/^/    dpkg -L: /' "$r.dpkg-L" >&2
    grep -qx "$plugdir/fcgi.so" "$r.dpkg-L" || fail "$suite: fcgi.so is not in $plugdir"
    out=$(fcgi_files "$r" | sort)
    [[ $out == ".$plugdir/fcgi.so
./var/lib/dpkg/info/$pkg.list
./var/lib/dpkg/info/$pkg.md5sums" ]] || fail "$suite: files named *fcgi* after install: $out"

    out=$(in_chroot "$r" tshark -G plugins 2>&1 | grep -E '^fcgi\.so' || true)
    log "tshark -G plugins: $out"
    [[ $out =~ ^fcgi\.so[[:space:]]+${version//./\\.}[[:space:]]+dissector[[:space:]]+$plugdir/fcgi\.so$ ]] ||
        fail "$suite: tshark -G plugins does not list $plugdir/fcgi.so $version"
    out=$(in_chroot "$r" tshark -r "$pcap" -Y fcgi -T fields -e frame.number -e _ws.col.Info 2>"$r.stderr")
    # tshark's warning about running as root is the only thing allowed on stderr.
    if grep -v '^Running as user "root"' "$r.stderr" >&2; then fail "$suite: tshark wrote the above to stderr"; fi
    if [[ $out == "$expected_info" ]]; then
        log "tshark -r $(basename "$capture") -Y fcgi: the plugin's Info text in all 12 frames, e.g."
        sed -n '1,2s/^/    /p' <<<"$out" >&2
    else
        fail "$suite: tshark -r $(basename "$capture") gave:"; printf '%s\n' "$out" >&2
    fi

    for foreign in "${foreign_debs[@]}"; do
        local f=/tmp/pkg/$(basename "$foreign")
        log "apt-get install ./$(basename "$foreign") (built for another Wireshark): must be refused"
        if in_chroot "$r" apt-get install -y "$f" >"$r.foreign.log" 2>&1; then
            cat "$r.foreign.log" >&2; fail "$suite: apt installed the package of another Wireshark"
        else
            grep -E '^ .*Depends:|^E: ' "$r.foreign.log" | sed 's/^/    /' >&2 || true
            grep -q 'Depends: libwireshark[0-9]* .*but it is not installable' "$r.foreign.log" ||
                fail "$suite: apt refused $(basename "$foreign") for another reason"
        fi
        out=$(in_chroot "$r" dpkg-query -W -f='${Status} ${Version}' "$pkg")
        [[ $out == "install ok installed ${version}+ws$wsv" ]] || fail "$suite: after the refusal: $out"
        log "    still installed: $pkg $out"
    done

    log "apt-get remove $pkg"
    in_chroot "$r" apt-get remove -y "$pkg" >"$r.remove.log" 2>&1 ||
        { cat "$r.remove.log" >&2; fail "$suite: apt-get remove"; }
    grep -E "^Removing $pkg" "$r.remove.log" | sed 's/^/    /' >&2 || true
    local p left=0 owner
    while IFS= read -r p; do
        [[ $p == /. ]] && continue
        if [[ -d $r$p && ! -L $r$p ]]; then
            owner=$(in_chroot "$r" dpkg-query -S "$p" 2>/dev/null | sed -n '1s/: .*//p' || true)
            if [[ -n $owner ]]; then log "    folder $p stays: also in ${owner%%,*}$([[ $owner != *,* ]] || echo " and $(tr -cd , <<<"$owner" | wc -c) more")"
            else fail "$suite: folder $p left, owned by no package"; left=1; fi
        elif [[ -e $r$p || -L $r$p ]]; then
            fail "$suite: $p left after remove"; left=1
        fi
    done <"$r.dpkg-L"
    out=$(fcgi_files "$r")
    [[ -z $out ]] || { fail "$suite: left: $out"; left=1; }
    [[ $left == 1 ]] || log "    no file of dpkg -L left; find / -iname '*fcgi*' (but /tmp/pkg): nothing"
    out=$(in_chroot "$r" tshark -G plugins 2>&1 | grep -c '^fcgi\.so' || true)
    [[ $out == 0 ]] || fail "$suite: tshark still lists fcgi.so"
    out=$(in_chroot "$r" tshark -r "$pcap" -Y fcgi 2>/dev/null | wc -l)
    [[ $out == 0 ]] || fail "$suite: the capture still dissects as FCGI ($out frames)"
    log "    tshark -G plugins: no fcgi.so; $(basename "$capture") -Y fcgi: $out frames (the built-in needs Decode As)"

    # Without conffiles dpkg forgets a removed package at once (nothing for
    # apt-get purge to find); dpkg --purge makes sure either way.
    out=$(in_chroot "$r" dpkg-query -W -f='${Status}' "$pkg" 2>&1 || true)
    log "    after remove, dpkg-query -W $pkg: $out"
    log "dpkg --purge $pkg"
    in_chroot "$r" dpkg --purge "$pkg" 2>&1 | sed 's/^/    /' >&2 || fail "$suite: dpkg --purge"
    out=$(in_chroot "$r" dpkg-query -W -f='${Status}' "$pkg" 2>&1 || true)
    log "    dpkg-query -W $pkg: $out"
    [[ $out == *"no packages found"* || $out == *not-installed* ]] || fail "$suite: after purge: $out"
    out=$(find "$r/var/lib/dpkg/info" -name "$pkg.*" -o -name "$pkg:*" | head)
    [[ -z $out ]] || fail "$suite: dpkg still holds $out"
    log "    /var/lib/dpkg/info/$pkg.*: none"

    [[ $keep == 1 ]] || rm -rf --one-file-system -- "$r" "$r".*.log "$r.dpkg-L" "$r.stderr"
    log "$suite: done in $((SECONDS - t))s"
}

# The fresh chroots are made in the background (mostly waiting for the
# mirror) while the packages build.
pids=()
for v in "${versions[@]}"; do
    fresh_chroot "${suite_of[$v]}" "$chroots/fcgi-deb-${suite_of[$v]}" & pids+=($!)
done
declare -A deb
for v in "${versions[@]}"; do
    if [[ $v == 4.0 ]]; then build_40; else build_in_chroot "$v"; fi
    deb[$v]=$(deb_of "$v") || die "no $v package in $build"
    log "package: $(basename "${deb[$v]}"), $(stat -c %s "${deb[$v]}") bytes"
done
for p in "${pids[@]}"; do wait "$p" || die "a fresh chroot could not be made"; done
for v in "${versions[@]}"; do
    others=()
    for o in "${versions[@]}"; do [[ $o == "$v" ]] || others+=("${deb[$o]}"); done
    test_package "${suite_of[$v]}" "$v" "${deb[$v]}" "${others[@]}"
done

log "time: $((SECONDS - t0))s"
if [[ $failures -gt 0 ]]; then log "$failures check(s) FAILED"; exit 1; fi
log "every check passed"
