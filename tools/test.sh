#!/bin/bash
# Runs the whole test suite: builds the plugin if needed, then runs pytest
# over test/ with the real tshark and the real plugin.  As root it also
# installs what the live tests need (nginx, php-fpm, socat, tcpdump, curl).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ]; then
    need=()
    for p in nginx-light php8.2-fpm socat tcpdump curl python3-pytest; do
        dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
    done
    if [ ${#need[@]} -gt 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    fi
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFCGI_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
export FCGI_BUILD_DIR="$PWD/build"
# Debian's python3 has pytest (python3-pytest); another python3 on PATH may not.
exec /usr/bin/python3 -m pytest -q -ra test "$@"
