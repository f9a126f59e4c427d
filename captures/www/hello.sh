#!/bin/sh
# Minimal CGI script (served by fcgiwrap).
printf 'Content-Type: text/plain\r\n'
printf '\r\n'
printf 'Hello from fcgiwrap\n'
printf 'QUERY_STRING=%s\n' "$QUERY_STRING"
printf 'REQUEST_METHOD=%s\n' "$REQUEST_METHOD"
