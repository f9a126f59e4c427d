<?php
// Deterministic text/plain body of ?bytes=N bytes (default 20000, at most
// 1000000), the same numbered lines as big.php.
header('Content-Type: text/plain');
$total = isset($_GET['bytes']) ? max(0, min(1000000, (int)$_GET['bytes'])) : 20000;
$out = '';
for ($i = 0; strlen($out) < $total; $i++) {
    $out .= sprintf("line %06d: the quick brown fox jumps over the lazy dog\n", $i);
}
$out = substr($out, 0, $total);
header('Content-Length: ' . strlen($out));
echo $out;
