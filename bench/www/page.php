<?php
// Benchmark page: a few hundred bytes of HTML that depend on the query string.
$id = isset($_GET['id']) ? (int)$_GET['id'] : 0;
$lang = isset($_GET['lang']) ? $_GET['lang'] : 'en';
header('Content-Type: text/html; charset=UTF-8');
header('Cache-Control: no-store');
?>
<!DOCTYPE html>
<html lang="<?php echo htmlspecialchars($lang, ENT_QUOTES, 'UTF-8'); ?>">
<head><meta charset="utf-8"><title>Item <?php echo $id; ?></title></head>
<body>
<h1>Item #<?php echo $id; ?></h1>
<ul>
<li>name: widget-<?php echo $id % 97; ?></li>
<li>price: <?php echo sprintf('%.2f', ($id % 1000) / 7); ?> EUR</li>
<li>stock: <?php echo $id % 13; ?></li>
</ul>
<p>Served by php-fpm <?php echo PHP_VERSION; ?> via FastCGI.</p>
</body>
</html>
