<?php
// Accepts an application/x-www-form-urlencoded POST and echoes the fields.
header('Content-Type: text/plain; charset=UTF-8');
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    http_response_code(405);
    header('Allow: POST');
    echo "POST only\n";
    exit;
}
echo "content-type: ", isset($_SERVER['CONTENT_TYPE']) ? $_SERVER['CONTENT_TYPE'] : '', "\n";
echo "content-length: ", isset($_SERVER['CONTENT_LENGTH']) ? $_SERVER['CONTENT_LENGTH'] : '', "\n";
ksort($_POST);
foreach ($_POST as $k => $v) {
    echo $k, '=', $v, "\n";
}
