<?php
// Returns a small application/json document.
header('Content-Type: application/json');
echo json_encode(array(
    'ok' => true,
    'server' => 'php-fpm',
    'items' => array(1, 2, 3),
    'query' => isset($_SERVER['QUERY_STRING']) ? $_SERVER['QUERY_STRING'] : '',
)), "\n";
