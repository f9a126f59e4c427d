<?php
// Deterministic 200000-byte text/plain body (spans many FCGI_STDOUT records):
// sized.php with a fixed size.
$_GET['bytes'] = '200000';
require __DIR__ . '/sized.php';
