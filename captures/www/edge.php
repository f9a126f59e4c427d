<?php
// Target of the edge-case requests (e.g. the split-pair PARAMS stream that
// php-fpm rejects before running any script): echoes ?case=.
header('Content-Type: text/plain');
echo 'case=', isset($_GET['case']) ? $_GET['case'] : '', "\n";
