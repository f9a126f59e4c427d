<?php
// Streams a deterministic text/plain body of ?bytes=N bytes (default 20000,
// at most 1000000) line by line, the way a report or CSV export does: PHP
// hands it to php-fpm in output_buffering-sized (4096-byte) pieces, so the
// response is several FCGI_STDOUT records.  Same lines as big.php.
header('Content-Type: text/plain');
$total = isset($_GET['bytes']) ? max(0, min(1000000, (int)$_GET['bytes'])) : 20000;
header('Content-Length: ' . $total);
for ($i = 0, $sent = 0; $sent < $total; $i++) {
    $line = substr(sprintf("line %06d: the quick brown fox jumps over the lazy dog\n", $i),
                   0, $total - $sent);
    echo $line;
    $sent += strlen($line);
}
