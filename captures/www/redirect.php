<?php
// Location header without an explicit Status: PHP turns this into a 302.
header('Location: /index.php');
