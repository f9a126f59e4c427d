#!/bin/bash
# Re-record every capture in ../ (run as root on Debian 12), then check them.
set -eu
cd "$(dirname "$0")"
for s in nginx-phpfpm apache-phpfpm cgifcgi-fcgiwrap nginx-keepalive \
         go-multiplex phpfpm-big phpfpm-getvalues unix-socket \
         phpfpm-gap20k phpfpm-gap300k phpfpm-reject nginx-abort apache-abort \
         lighttpd-phpcgi lighttpd-abort; do
    echo "=== $s"
    ./"$s".sh
done
command -v tshark >/dev/null || { echo "tshark not installed: skipping check.sh"; exit 0; }
echo "=== check"
./check.sh
