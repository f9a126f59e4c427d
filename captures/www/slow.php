<?php
// Answers slowly: the CGI headers and the first line at once (ob_flush() +
// flush() send them as FCGI_STDOUT), the rest after ?ms= milliseconds
// (default 2000, at most 10000).  Used to let the HTTP client give up in the
// middle of the request.
header('Content-Type: text/plain');
$ms = isset($_GET['ms']) ? max(0, min(10000, (int)$_GET['ms'])) : 2000;
echo "started\n";
if (ob_get_level() > 0) {
    ob_flush();         // output_buffering: hand the buffer to the SAPI
}
flush();                // and the SAPI to the web server
usleep($ms * 1000);
echo "done after $ms ms\n";
