"""docs/fields.md is generated from the plugin and must be up to date."""
import os
import subprocess
import sys

from conftest import ROOT


def test_field_reference_is_up_to_date():
    env = dict(os.environ)
    out = subprocess.run([sys.executable, str(ROOT / "docs" / "gen_fields.py")], env=env,
                         capture_output=True, text=True, check=True).stdout
    current = (ROOT / "docs" / "fields.md").read_text()
    assert out == current, "docs/fields.md is out of date: run cmake --build build --target docs"


def test_reference_lists_every_field():
    text = (ROOT / "docs" / "fields.md").read_text()
    for name in ["fcgi.version", "fcgi.nv_name", "fcgi.nv_value", "fcgi.request.uri", "fcgi.response.code",
                 "fcgi.request_in", "fcgi.response_in", "fcgi.time", "fcgi.stderr", "fcgi.nv.overrun"]:
        assert f"| `{name}` |" in text
