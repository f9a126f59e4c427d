"""tools/fcgi-unix-relay.sh: nginx -> relay -> php-fpm on a Unix socket,
recorded live, and the recording decodes."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT, fields, staged


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("nginx") or not shutil.which("php-fpm8.2"),
                    reason="records live traffic: needs root, nginx and php-fpm8.2")
def test_relay_recording_decodes():
    out = Path(tempfile.mkdtemp(prefix="fcgi-unix-")) / "unix-live.pcap"
    subprocess.run([str(ROOT / "captures" / "record" / "unix-socket.sh"), str(out)], check=True,
                   stdout=subprocess.DEVNULL, timeout=300)
    name = staged(str(out))
    rows = fields(name, "fcgi.request.method", "fcgi.request.uri", filter="fcgi.request.method")
    assert rows == [["GET", "/index.php?name=unix"], ["GET", "/json.php"], ["POST", "/form.php"]]
    codes = fields(name, "fcgi.response.code", filter="fcgi.response.code")
    assert codes == [["200"], ["200"], ["200"]]
