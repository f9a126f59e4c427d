#!/bin/sh
# CGI script echoing the request body (POST).
printf 'Content-Type: text/plain\r\n'
printf '\r\n'
printf 'CONTENT_TYPE=%s\n' "$CONTENT_TYPE"
printf 'CONTENT_LENGTH=%s\n' "$CONTENT_LENGTH"
printf 'body='
head -c "${CONTENT_LENGTH:-0}"
printf '\n'
