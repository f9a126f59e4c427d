<?php
// Writes diagnostics to stderr and answers 500.
// error_log() with no error_log ini setting goes to the SAPI logger, which in
// php-fpm is sent to the web server as FCGI_STDERR records.
error_log('stderr500.php: something went wrong (error_log)');
// php://stderr is the worker's fd 2: in php-fpm this does NOT go over FastCGI
// (it ends up in the pool log via catch_workers_output); with php-cgi it would.
file_put_contents('php://stderr', "stderr500.php: written to php://stderr\n");
http_response_code(500);
header('Content-Type: text/plain');
echo "Internal Server Error (deliberate)\n";
