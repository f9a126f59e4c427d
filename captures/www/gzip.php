<?php
// Deterministic gzip-compressed text/plain body (gzencode writes mtime 0).
$text = '';
for ($i = 0; $i < 200; $i++) {
    $text .= sprintf("gzip line %03d: FastCGI test payload\n", $i);
}
$gz = gzencode($text, 9);
header('Content-Type: text/plain');
header('Content-Encoding: gzip');
header('Vary: Accept-Encoding');
header('Content-Length: ' . strlen($gz));
echo $gz;
