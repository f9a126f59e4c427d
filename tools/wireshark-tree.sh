# shellcheck shell=bash
# wireshark-tree.sh: sourced by tools/check-upstream.sh and
# tools/run-checkers.sh.  Provides Debian's Wireshark 4.0.17 source tree,
# cached under /var/tmp, and drops the dissector's files into it as
# epan/dissectors/<name>, replacing the built-in packet-fcgi.c.
#
# Settings (environment):
#   WS_TREE_CACHE   cache directory (default /var/tmp/wireshark-src)
#   WS_SRC_VERSION  Debian source version (default: the newest 4.0.17-*
#                   that apt knows)
#
# After ws_tree_unpack: WS_SRC (the unpacked tree), WS_CACHE (its cache
# directory); after ws_tree_drop_in: WS_DROPPED (tree paths of the files).

ws_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ws_cache_root=${WS_TREE_CACHE:-/var/tmp/wireshark-src}

ws_die() { echo "$(basename "$0"): $*" >&2; exit 2; }

# Installs the Debian packages named, those that are missing only.
ws_need_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || ws_die "missing packages ${missing[*]}; run as root"
    echo "== Installing ${missing[*]}"
    ws_apt_updated || { apt-get update -qq; ws_apt_updated_flag=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
        --no-install-recommends "${missing[@]}" >/dev/null
}

ws_apt_updated_flag=0
ws_apt_updated() { [ "$ws_apt_updated_flag" = 1 ]; }

# Adds deb-src lines for bookworm (main, updates, security) when apt knows
# no source of wireshark yet.
ws_ensure_deb_src() {
    if apt-cache showsrc wireshark 2>/dev/null | grep -q '^Version: 4\.0\.17-'; then
        return 0
    fi
    [ "$(id -u)" = 0 ] || ws_die "apt has no deb-src for wireshark; run as root"
    local f=/etc/apt/sources.list.d/fcgi-debian-src.sources
    if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        echo "== Adding deb-src lines for bookworm ($f)"
        cat > "$f" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    fi
    apt-get update -qq
    ws_apt_updated_flag=1
}

# Takes the cache's lock for the rest of the calling script (one tree,
# shared by both scripts and by every worktree on the machine).
ws_tree_lock() {
    mkdir -p "$ws_cache_root"
    exec 9>"$ws_cache_root/.lock"
    flock 9
}

# Downloads and unpacks the source once (Debian patches applied).
ws_tree_unpack() {
    ws_tree_lock
    local version=${WS_SRC_VERSION:-}
    if [ -z "$version" ]; then
        # A cached tree is used without asking apt.
        version=$(cd "$ws_cache_root" && printf '%s\n' 4.0.17-*/.unpacked | sed -n 's|/.unpacked$||p' |
                  grep -v '\*' | sort -V | tail -n1 || true)
        if [ -z "$version" ] || [ ! -e "$ws_cache_root/$version/.unpacked" ]; then
            ws_need_packages dpkg-dev bzip2 xz-utils
            ws_ensure_deb_src
            version=$(apt-cache showsrc wireshark | sed -n 's/^Version: \(4\.0\.17-.*\)/\1/p' | sort -V | tail -n1)
            [ -n "$version" ] || ws_die "apt knows no source of wireshark 4.0.17"
        fi
    fi
    WS_CACHE=$ws_cache_root/$version
    WS_SRC=$WS_CACHE/src
    if [ ! -e "$WS_CACHE/.unpacked" ]; then
        ws_need_packages dpkg-dev bzip2 xz-utils
        ws_ensure_deb_src
        echo "== Fetching and unpacking Debian's wireshark $version source into $WS_SRC"
        rm -rf "$WS_CACHE"
        mkdir -p "$WS_CACHE/dl"
        (cd "$WS_CACHE/dl" && apt-get source -qq --download-only "wireshark=$version" 2>&1 |
            grep -v "unsandboxed as root" || true)
        dpkg-source -q -x "$WS_CACHE/dl/wireshark_${version#*:}.dsc" "$WS_SRC" 2>&1 |
            grep -v '^gpgv:\|^dpkg-source: warning: cannot verify' || true
        [ -e "$WS_SRC/epan/dissectors/packet-fcgi.c" ] || ws_die "unpacking failed"
        # The built-in dissector, kept so that every run starts from it.
        cp "$WS_SRC/epan/dissectors/packet-fcgi.c" "$WS_CACHE/builtin-packet-fcgi.c"
        rm -rf "$WS_CACHE/dl"
        touch "$WS_CACHE/.unpacked"
    fi
}

# ws_tree_drop_in FILE...: puts the files into epan/dissectors/, after
# removing what an earlier run dropped in (and restoring the built-in).
ws_tree_drop_in() {
    local f old
    if [ -e "$WS_CACHE/dropped" ]; then
        while read -r old; do rm -f "$WS_SRC/$old"; done < "$WS_CACHE/dropped"
    fi
    cp "$WS_CACHE/builtin-packet-fcgi.c" "$WS_SRC/epan/dissectors/packet-fcgi.c"
    WS_DROPPED=()
    : > "$WS_CACHE/dropped"
    for f in "$@"; do
        [ -e "$f" ] || ws_die "no such file: $f"
        cp "$f" "$WS_SRC/epan/dissectors/"
        WS_DROPPED+=("epan/dissectors/$(basename "$f")")
        echo "epan/dissectors/$(basename "$f")" >> "$WS_CACHE/dropped"
    done
}

# The files to check: the arguments, else packet-fcgi.c and (when it
# exists) packet-fcgi.h of this repository.
ws_default_files() {
    if [ $# -gt 0 ]; then
        printf '%s\n' "$@"
        return
    fi
    echo "$ws_repo/packet-fcgi.c"
    [ ! -e "$ws_repo/packet-fcgi.h" ] || echo "$ws_repo/packet-fcgi.h"
}

# Filter: rewrites the tree's paths of the dropped files to the file names
# given (so that line numbers point at the repository's files).
ws_repo_paths() {
    local sed_args=() i
    for i in "${!WS_DROPPED[@]}"; do
        sed_args+=(-e "s#\\(^\\|[^A-Za-z0-9_./-]\\)\\(\\./\\)\\?\\($WS_SRC/\\)\\?${WS_DROPPED[$i]}#\\1${ws_files[$i]}#g")
    done
    if [ ${#sed_args[@]} -eq 0 ]; then cat; else sed "${sed_args[@]}"; fi
}
