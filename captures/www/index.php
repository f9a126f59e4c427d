<?php
// Small HTML page echoing $_GET['name'].
$name = isset($_GET['name']) ? $_GET['name'] : 'world';
header('Content-Type: text/html; charset=UTF-8');
?>
<!DOCTYPE html>
<html>
<head><title>FastCGI test</title></head>
<body>
<h1>Hello, <?php echo htmlspecialchars($name, ENT_QUOTES, 'UTF-8'); ?>!</h1>
<p>method=<?php echo htmlspecialchars($_SERVER['REQUEST_METHOD']); ?></p>
</body>
</html>
