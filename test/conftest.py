"""Shared helpers: run the real tshark with the built plugin on the captures.

tshark ignores plugin folders when it runs as root, so test/tshark-plugin.sh
runs it as user nobody; the captures are copied to a world-readable folder
first.  Every run checks that tshark did not report a dissector bug.
"""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRAPPER = ROOT / "test" / "tshark-plugin.sh"
_STAGE = Path(tempfile.mkdtemp(prefix="fcgi-test-"))
_STAGE.chmod(0o755)


def staged(path):
    """A world-readable copy of a file of the repository (or any path)."""
    src = Path(path) if Path(path).is_absolute() else ROOT / path
    dst = _STAGE / src.relative_to(ROOT) if src.is_relative_to(ROOT) else _STAGE / src.name
    if not dst.exists():
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        for p in [dst] + list(dst.parents):
            if p == _STAGE.parent:
                break
            p.chmod(0o755 if p.is_dir() else 0o644)
    return str(dst)


_cache = {}


def tshark(*args, plugin=True, check=True, env=None):
    """Runs tshark; returns stdout.  Fails on a dissector bug.  Runs with the
    same arguments are done once per session."""
    key = (tuple(str(a) for a in args), plugin, check, tuple(sorted((env or {}).items())))
    if key not in _cache:
        _cache[key] = _run_tshark(*args, plugin=plugin, check=check, env=env)
    return _cache[key]


def _run_tshark(*args, plugin=True, check=True, env=None):
    cmd = [str(WRAPPER)] + ([] if plugin else ["--builtin"]) + [str(a) for a in args]
    full_env = dict(os.environ, WIRESHARK_ABORT_ON_DISSECTOR_BUG="1")
    if env:
        full_env.update(env)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env)
    for bug in ("Dissector bug, protocol", "Duplicate protocol", "DISSECTOR_BUG", "Dissector failed"):
        assert bug not in proc.stderr + proc.stdout, proc.stderr
    if check:
        assert proc.returncode == 0, f"{cmd}: {proc.stderr}"
    return proc.stdout


def capture(name):
    """A capture of captures/ by name, or a file staged already (absolute path)."""
    return name if os.path.isabs(name) else staged(f"captures/{name}")


def fields(name, *field_names, filter=None, args=(), two_pass=False, plugin=True):
    """Rows of -T fields output (one list per frame) for a capture."""
    cmd = ["-r", capture(name), "-T", "fields", "-E", "separator=|", "-E", "occurrence=a",
           "-E", "aggregator=,"]
    for f in field_names:
        cmd += ["-e", f]
    if filter:
        cmd += ["-Y", filter]
    if two_pass:
        cmd += ["-2"]
    cmd += list(args)
    out = tshark(*cmd, plugin=plugin)
    return [line.split("|") for line in out.splitlines()]


def info(name, filter="fcgi", args=(), two_pass=False):
    """{frame number: Info column} for the frames matching filter."""
    rows = fields(name, "frame.number", "_ws.col.Info", filter=filter, args=args, two_pass=two_pass)
    return {int(r[0]): r[1] for r in rows}


@pytest.fixture(scope="session", autouse=True)
def plugin_loaded():
    out = tshark("-G", "plugins")
    assert "fcgi.so" in out, "the fcgi plugin did not load"
    yield
    shutil.rmtree(_STAGE, ignore_errors=True)
