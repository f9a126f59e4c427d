#!/bin/sh
# fuzz/mutate-run.sh: mutation campaign over the captures with tshark and
# the plugin (see fuzz/README.md; options: fuzz/mutate-run.sh --help).
exec python3 "$(dirname "$0")/mutate_run.py" "$@"
