#!/bin/bash
# Sets up a fresh Debian 12 for the fcgi plugin: installs what is missing,
# builds the plugin, installs it where Wireshark looks for it and shows it
# dissecting a bundled capture of nginx talking to php-fpm.
#
# Run as root (or with sudo): it installs Debian packages.  As a normal
# user it skips the packages that are present already and installs the
# plugin into ~/.local/lib/wireshark/plugins.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(tshark libwireshark-dev libwiretap-dev wireshark-dev libglib2.0-dev
          cmake gcc make pkg-config python3 python3-pytest)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "== Installing ${missing[*]}"
    if [ "$(id -u)" != 0 ]; then
        echo "setup.sh: missing packages; run it as root (or with sudo)" >&2
        exit 1
    fi
    apt-get update -qq
    # tshark asks whether non-root users may capture; keep Debian's default (no).
    echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== Building"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

echo "== Installing"
cmake --install build

echo "== tshark -G plugins"
tshark -G plugins 2>/dev/null | grep -E '^fcgi\.so' || {
    echo "setup.sh: tshark did not load the plugin" >&2; exit 1; }

echo "== tshark -r captures/nginx-phpfpm.pcap -Y fcgi   (nginx -> php-fpm on port 9000)"
tshark -r captures/nginx-phpfpm.pcap -Y fcgi 2>/dev/null
