#!/bin/sh
# CGI script that writes to stderr (fcgiwrap forwards it as FCGI_STDERR).
echo "stderr.sh: warning written to stderr" >&2
printf 'Status: 500 Internal Server Error\r\n'
printf 'Content-Type: text/plain\r\n'
printf '\r\n'
printf 'error reported on stderr\n'
