<?php
// Deterministic 200000-byte text/plain body (spans many FCGI_STDOUT records).
header('Content-Type: text/plain');
$total = 200000;
$out = '';
for ($i = 0; strlen($out) < $total; $i++) {
    $out .= sprintf("line %06d: the quick brown fox jumps over the lazy dog\n", $i);
}
$out = substr($out, 0, $total);
header('Content-Length: ' . strlen($out));
echo $out;
