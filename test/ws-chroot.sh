#!/usr/bin/env bash
# ws-chroot.sh - manage a Debian chroot that provides a given Wireshark release
# (tshark + development headers) and the build/test tools, so the plugin can be
# built and tested against that release on a host that ships another one.
#
#   4.4   Debian 13 "trixie"                      (default root /var/tmp/ws44-root)
#   4.6   Debian unstable "sid" (Wireshark 4.6.x) (default root /var/tmp/ws46-root)
#
# Usage (as root):
#   ws-chroot.sh VERSION setup [--refresh]   create the chroot if missing; --refresh
#                                            also re-runs apt-get update/install/upgrade
#   ws-chroot.sh VERSION run [CMD [ARG...]]  run CMD (default: bash) inside the chroot
#   ws-chroot.sh VERSION path                print the chroot directory
#
# Environment:
#   WS44_ROOT, WS46_ROOT  chroot directory of 4.4 / 4.6 (defaults above)
#   WS_MIRROR     Debian mirror for the chroot    (default: the host's apt mirror,
#                                                  else http://deb.debian.org/debian)
#   WS_SECURITY_MIRROR  debian-security mirror    (default: the host's one, if any;
#                                                  set to "none" to disable; sid has none)
#   WS_BIND       colon-separated host directories to bind-mount at the same path
#                 inside the chroot for `run` (e.g. WS_BIND=$PWD)
#   WS_EXTRA_PACKAGES  more packages to install at setup (e.g. wireshark-qt)
#
# `run` executes: chroot DIR env -i PATH=... HOME=/root TERM=... LANG=C.UTF-8 CMD...
# in the current directory if it exists inside the chroot (else in /). /proc and
# /dev (and the WS_BIND dirs) are mounted only for the duration of the command:
# in a private mount namespace (unshare) when possible, so nothing can leak into
# the host even if the script is killed; otherwise with a trap that unmounts them.
#
# Locking: flock on "$ROOT.lock". `setup` holds it exclusively; `run` holds
# it shared while the command runs (exclusive if it has to fall back to mounting
# in the host namespace), so setup never modifies the tree under a running command.
set -euo pipefail

SELF=$(readlink -f -- "${BASH_SOURCE[0]}")
WS_VERSION=${1:-}
case $WS_VERSION in
    4.4) SUITE=trixie; UPDATES=1; ROOT=${WS44_ROOT:-/var/tmp/ws44-root} ;;
    4.6) SUITE=sid;    UPDATES=0; ROOT=${WS46_ROOT:-/var/tmp/ws46-root} ;;
    -h|--help|help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$SELF"; exit 0 ;;
    *) echo "usage: ws-chroot.sh 4.4|4.6 setup|run|path ... (see --help)" >&2; exit 2 ;;
esac
shift
readonly TAG=ws${WS_VERSION/./}
readonly MARKER_NAME=.$TAG-setup-done
# Bump MARKER_VERSION (or edit PACKAGES) to force re-provisioning of existing chroots.
readonly MARKER_VERSION=1
readonly PACKAGES=(tshark wireshark-dev libwireshark-dev cmake gcc make pkg-config
                   libglib2.0-dev python3 python3-pytest ${WS_EXTRA_PACKAGES:-})
readonly CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

ROOT=${ROOT%/}
[[ -n $ROOT && $ROOT == /* && $ROOT != / ]] || { echo "$TAG: the chroot root must be an absolute path other than /" >&2; exit 2; }
LOCK="$ROOT.lock"
PARTIAL="$ROOT.partial"
MARKER="$ROOT/$MARKER_NAME"

log()  { printf '%s: %s\n' "$TAG" "$*" >&2; }
die()  { log "error: $*"; exit 1; }
need_root() { [[ $EUID -eq 0 ]] || die "must be run as root (chroot/mount/debootstrap)"; }

# ---------------------------------------------------------------- mirrors ----
# Print the URIs of the host's enabled apt sources (one-line .list and deb822 .sources).
host_apt_uris() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -r $f ]] || continue
        # deb [opts] URI suite comps...
        sed -nE 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -r $f ]] || continue
        # deb822 stanzas; skip Enabled: no stanzas and non-"deb" types.
        awk 'BEGIN { RS=""; FS="\n" }
             {
               uris=""; types=""; enabled="yes"
               for (i = 1; i <= NF; i++) {
                 line = $i
                 if (line ~ /^[ \t]*#/) continue
                 if (tolower(line) ~ /^uris:/)    { sub(/^[^:]*:[ \t]*/, "", line); uris = line }
                 if (tolower(line) ~ /^types:/)   { sub(/^[^:]*:[ \t]*/, "", line); types = line }
                 if (tolower(line) ~ /^enabled:/) { sub(/^[^:]*:[ \t]*/, "", line); enabled = tolower(line) }
               }
               if (enabled == "no" || types !~ /(^|[ \t])deb([ \t]|$)/) next
               n = split(uris, u, /[ \t]+/)
               for (j = 1; j <= n; j++) if (u[j] != "") print u[j]
             }' "$f"
    done
}

pick_mirror() {
    if [[ -n ${WS_MIRROR:-} ]]; then echo "${WS_MIRROR%/}"; return; fi
    local u
    u=$(host_apt_uris | grep -E '^https?://[^[:space:]]+/debian/?$' | head -n1 || true)
    echo "${u:-http://deb.debian.org/debian}" | sed 's:/*$::'
}

pick_security_mirror() {
    if [[ -n ${WS_SECURITY_MIRROR:-} ]]; then
        [[ $WS_SECURITY_MIRROR == none ]] || echo "${WS_SECURITY_MIRROR%/}"
        return
    fi
    host_apt_uris | grep -E '^https?://[^[:space:]]+/debian-security/?$' | head -n1 | sed 's:/*$::' || true
}

# ---------------------------------------------------------------- mounts -----
# Unmount everything at or below $1 (deepest first). Used before deleting a tree
# and in the non-namespace fallback.
umount_below() {
    local dir=$1 m
    # /proc/self/mountinfo field 5 is the mount point (octal-escaped); good enough here.
    while read -r m; do
        umount -l -- "$m" 2>/dev/null || true
    done < <(awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r)
}

# Mount /proc, /dev and the WS_BIND dirs into chroot $1.
do_mounts() {
    local r=$1 b
    mountpoint -q "$r/proc" || mount -t proc proc "$r/proc"
    if ! mountpoint -q "$r/dev"; then
        mount --rbind /dev "$r/dev"
        mount --make-rslave "$r/dev"   # never propagate unmounts back to the host's /dev
    fi
    if [[ -n ${WS_BIND:-} ]]; then
        local IFS=:
        for b in $WS_BIND; do
            [[ -n $b ]] || continue
            b=$(readlink -f -- "$b") || die "WS_BIND: cannot resolve $b"
            [[ -d $b ]] || die "WS_BIND: $b is not a directory"
            mkdir -p -- "$r$b"
            mountpoint -q "$r$b" || mount --bind -- "$b" "$r$b"
        done
    fi
}

# Does `unshare --mount` work here (needs CAP_SYS_ADMIN, no seccomp veto)?
have_unshare() {
    [[ -z ${WS_NO_UNSHARE:-} ]] || return 1
    command -v unshare >/dev/null 2>&1 && unshare --mount --propagation private true 2>/dev/null
}

# chroot_exec DIR CWD CMD... : run CMD in chroot DIR with /proc and /dev mounted.
chroot_exec() {
    local r=$1 cwd=$2; shift 2
    if have_unshare; then
        # Mounts live only in the new namespace and vanish with it.
        unshare --mount --propagation private -- "$BASH" "$SELF" "$WS_VERSION" __ns "$r" "$cwd" "$@"
    else
        ( trap 'umount_below "$r/proc"; umount_below "$r/dev"; [[ -z ${WS_BIND:-} ]] || { IFS=:; for b in $WS_BIND; do [[ -n $b ]] && umount_below "$r$(readlink -f -- "$b")"; done; }' EXIT
          trap 'exit 130' INT TERM HUP
          do_mounts "$r"
          ns_chroot "$r" "$cwd" "$@" )
    fi
}

# ns_chroot DIR CWD CMD... (mounts must already be in place)
ns_chroot() {
    local r=$1 cwd=$2; shift 2
    [[ $# -gt 0 ]] || set -- /bin/bash
    chroot "$r" /usr/bin/env -i PATH="$CHROOT_PATH" HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
        /bin/sh -c 'cd "$1" 2>/dev/null || cd /; shift; exec "$@"' "$TAG" "$cwd" "$@"
}

# ---------------------------------------------------------------- setup ------
marker_content() {
    printf '%s-chroot v%s suite=%s packages=%s\n' "$TAG" "$MARKER_VERSION" "$SUITE" "${PACKAGES[*]}"
}

setup_is_current() {
    [[ -f $MARKER ]] && [[ $(head -n1 "$MARKER") == "$(marker_content)" ]] \
        && chroot_exec "$ROOT" / tshark --version >/dev/null 2>&1
}

ensure_host_debootstrap() {
    command -v debootstrap >/dev/null 2>&1 && return
    log "installing debootstrap on the host"
    # Waits for another apt/dpkg run on the host rather than failing.
    local apt=(apt-get -o DPkg::Lock::Timeout=600 -q)
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y debootstrap \
        || { DEBIAN_FRONTEND=noninteractive "${apt[@]}" update && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y debootstrap; }
    command -v debootstrap >/dev/null 2>&1 || die "debootstrap not available"
}

write_sources() {
    local r=$1 mirror=$2 sec=$3
    {
        echo "deb $mirror $SUITE main"
        [[ $UPDATES = 0 ]] || echo "deb $mirror $SUITE-updates main"
        [[ -z $sec || $UPDATES = 0 ]] || echo "deb $sec $SUITE-security main"
    } > "$r/etc/apt/sources.list"
    # sid's Release files can be past their Valid-Until date.
    [[ $UPDATES = 1 ]] || echo 'Acquire::Check-Valid-Until "false";' > "$r/etc/apt/apt.conf.d/99no-check-valid-until"
}

# Stage 2: configure and install packages inside chroot $1.
provision() {
    local r=$1 upgrade=$2
    # rm first: never write through a (possibly absolute) symlink into the host.
    rm -f -- "$r/etc/resolv.conf"
    cp -L /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null || true
    # No daemons may start inside the chroot.
    rm -f -- "$r/usr/sbin/policy-rc.d"
    printf '#!/bin/sh\nexit 101\n' > "$r/usr/sbin/policy-rc.d"
    chmod 755 "$r/usr/sbin/policy-rc.d"
    local script='
        set -e
        export DEBIAN_FRONTEND=noninteractive
        echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
        apt-get update
        if [ "$1" = 1 ]; then apt-get -y -o Dpkg::Options::=--force-confold dist-upgrade; fi
        shift
        apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confold "$@"
        apt-get clean
    '
    chroot_exec "$r" / /bin/sh -c "$script" provision "$upgrade" "${PACKAGES[@]}"
}

cmd_setup() {
    need_root
    local refresh=0
    case ${1:-} in
        "") ;;
        --refresh) refresh=1 ;;
        *) die "setup: unknown option $1" ;;
    esac
    local t0=$SECONDS
    exec 9>>"$LOCK"
    flock -n -x 9 || { log "waiting for lock $LOCK"; flock -x 9; }

    if [[ $refresh -eq 0 ]] && setup_is_current; then
        log "chroot $ROOT is ready (marker present, tshark works); nothing to do"
        return 0
    fi

    local mirror sec
    mirror=$(pick_mirror)
    sec=$(pick_security_mirror)
    log "mirror: $mirror${sec:+, security: $sec}"

    if [[ -x $ROOT/usr/bin/apt-get && -f $ROOT/etc/debian_version ]]; then
        # Existing (possibly incomplete or outdated) chroot: re-provision in place.
        log "re-provisioning existing chroot $ROOT"
        rm -f -- "$MARKER"
        write_sources "$ROOT" "$mirror" "$sec"
        provision "$ROOT" "$refresh"
    else
        if [[ -e $ROOT ]] && [[ -n $(ls -A -- "$ROOT" 2>/dev/null) ]]; then
            die "$ROOT exists, is not empty and is not a Debian chroot; refusing to touch it"
        fi
        ensure_host_debootstrap
        # Build in $PARTIAL and rename at the end, so an interrupted run never
        # leaves a half-built tree at $ROOT.
        if [[ -e $PARTIAL ]]; then
            log "removing leftover $PARTIAL"
            umount_below "$PARTIAL"
            rm -rf --one-file-system -- "$PARTIAL"
        fi
        mkdir -p -- "$PARTIAL"
        log "debootstrap --variant=minbase $SUITE $PARTIAL $mirror"
        if have_unshare; then
            # Any mounts debootstrap makes die with the namespace.
            unshare --mount --propagation private -- \
                debootstrap --variant=minbase "$SUITE" "$PARTIAL" "$mirror"
        else
            debootstrap --variant=minbase "$SUITE" "$PARTIAL" "$mirror" || { umount_below "$PARTIAL"; exit 1; }
            umount_below "$PARTIAL"
        fi
        write_sources "$PARTIAL" "$mirror" "$sec"
        provision "$PARTIAL" 0
        [[ ! -e $ROOT ]] || rmdir -- "$ROOT"   # known to be empty here
        mv -T -- "$PARTIAL" "$ROOT"
    fi

    chroot_exec "$ROOT" / tshark --version >/dev/null || die "tshark does not run inside $ROOT"
    marker_content > "$MARKER"
    chroot_exec "$ROOT" / tshark --version 2>/dev/null | sed -n '1p' | sed "s/^/$TAG: inside: /" >&2
    log "setup done in $((SECONDS - t0))s: $ROOT"
}

cmd_run() {
    need_root
    if ! have_unshare; then
        # Host-namespace mounts: serialise all runs and setups.
        exec 9>>"$LOCK"
        flock -x 9
        setup_is_current || { exec 9>&-; cmd_setup; exec 9>>"$LOCK"; flock -x 9; }
    else
        exec 9>>"$LOCK"
        flock -s 9
        if ! setup_is_current; then
            exec 9>&-
            cmd_setup             # takes (and keeps) the exclusive lock on fd 9
        fi
        flock -s 9                # downgrade/hold shared while the command runs
    fi
    chroot_exec "$ROOT" "$PWD" "$@"
}

usage() {
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$SELF"
}

main() {
    local cmd=${1:-}
    [[ $# -eq 0 ]] || shift
    case $cmd in
        setup) cmd_setup "$@" ;;
        run)   cmd_run "$@" ;;
        path)  echo "$ROOT" ;;
        __ns)  # internal: runs inside the private mount namespace made by chroot_exec
               local r=$1 cwd=$2; shift 2
               do_mounts "$r"
               ns_chroot "$r" "$cwd" "$@" ;;   # mounts vanish with the namespace
        -h|--help|help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
