<?php
http_response_code(404);
header('Content-Type: text/plain');
echo "Not Found\n";
