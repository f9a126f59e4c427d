"""Every way of pointing a port at FastCGI reaches the plugin, not the built-in.

Each path runs tshark as user nobody with a private HOME whose
.config/wireshark holds the files a user's Wireshark would have saved: the
preferences file (Edit > Preferences, or `fcgi.tcp.port` typed there) and
decode_as_entries (what the GUI's Decode As dialog saves).  The heuristic is
off, so only the path under test can make port 9000 FastCGI.  The plugin's
Info column and its own field fcgi.request.uri tell it from the built-in.
"""
import os
import subprocess
import tempfile

import pytest

from conftest import WRAPPER, capture

PLUGIN_INFO = "GET /index.php?name=abc [BEGIN_REQUEST[1], PARAMS[1], PARAMS[1] end, STDIN[1] end]"
BUILTIN_INFO = "FCGI_BEGIN_REQUEST, FCGI_PARAMS, FCGI_PARAMS, FCGI_STDIN"
REQUEST_FRAMES = ["4", "14", "24", "34", "44", "54"]

# path: (files in HOME/.config/wireshark, command-line arguments)
PATHS = {
    "-d tcp.port==9000,fcgi": ({}, ["-d", "tcp.port==9000,fcgi"]),
    "-o fcgi.tcp.port:9000": ({}, ["-o", "fcgi.tcp.port:9000"]),
    "-o fcgi.tcp.port:8999-9001": ({}, ["-o", "fcgi.tcp.port:8999-9001"]),
    "preferences file, one port": ({"preferences": "fcgi.tcp.port: 9000\n"}, []),
    "preferences file, range": ({"preferences": "fcgi.tcp.port: 8999-9001\n"}, []),
    "decode_as_entries": ({"decode_as_entries": "decode_as_entry: tcp.port,9000,(none),FCGI\n"}, []),
    # As the GUI's Decode As dialog saved it (Wireshark 4.0.17, 4.6.9), with
    # the port's default dissector in the third column.
    "decode_as_entries saved by the GUI": (
        {"decode_as_entries": "# \"Decode As\" entries file for Wireshark 4.0.17.\n"
                              "decode_as_entry: tcp.port,9000,S101,FCGI\n"}, []),
    "decode_as_entries and preferences file": (
        {"decode_as_entries": "decode_as_entry: tcp.port,9000,(none),FCGI\n",
         "preferences": "fcgi.tcp.port: 9000\n"}, []),
}


def run_with_home(files, args, plugin=True):
    """(stdout, stderr) of tshark with these files in HOME/.config/wireshark."""
    with tempfile.TemporaryDirectory(prefix="fcgi-home-") as home:
        conf = os.path.join(home, ".config", "wireshark")
        os.makedirs(conf)
        for d in (home, os.path.join(home, ".config"), conf):
            os.chmod(d, 0o755)
        for name, text in files.items():
            with open(os.path.join(conf, name), "w") as f:
                f.write(text)
            os.chmod(os.path.join(conf, name), 0o644)
        cmd = [str(WRAPPER)] + ([] if plugin else ["--builtin"]) + args
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              env=dict(os.environ, FCGI_TSHARK_HOME=home,
                                       WIRESHARK_ABORT_ON_DISSECTOR_BUG="1"))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, proc.stderr


def run_path(files, args, plugin=True):
    """(stdout rows, stderr) of tshark on nginx -> php-fpm (port 9000) with
    these files in HOME/.config/wireshark and these arguments."""
    out, err = run_with_home(files, [
        "-r", capture("nginx-phpfpm.pcap")] + (
        ["--disable-heuristic", "fcgi_tcp"] if plugin else []) + [
        "-T", "fields", "-E", "separator=|",
        "-e", "frame.number", "-e", "_ws.col.Info"] + (
        ["-e", "fcgi.request.uri", "-Y", "fcgi.request.uri"] if plugin else
        ["-Y", "fcgi.type == 1"]) + args, plugin=plugin)
    return [line.split("|") for line in out.splitlines()], err


@pytest.mark.parametrize("path", list(PATHS))
def test_path_reaches_the_plugin(path):
    rows, stderr = run_path(*PATHS[path])
    assert [r[0] for r in rows] == REQUEST_FRAMES
    assert rows[0] == ["4", PLUGIN_INFO, "/index.php?name=abc"]
    assert stderr == ""


@pytest.mark.parametrize("path", list(PATHS))
def test_same_path_without_the_plugin_reaches_the_builtin(path):
    """The path itself works in stock Wireshark, and there it is the built-in
    that answers: what the test above tells apart is real."""
    rows, stderr = run_path(*PATHS[path], plugin=False)
    assert [r[0] for r in rows] == REQUEST_FRAMES
    assert rows[0] == ["4", BUILTIN_INFO]
    assert stderr == ""


def test_without_any_path_port_9000_is_not_fastcgi():
    rows, stderr = run_path({}, [])
    assert rows == [] and stderr == ""


# The plugin's boolean preferences, saved in the preferences file (Wireshark
# 4.2 and later keep them in bool variables the plugin copies from): frame 6
# holds the first STDOUT record of a 200 kB response, frame 28 a gzip body.
BOOL_PREFS = {
    "defaults": ("", "STDOUT[1]", True),
    "fcgi.reassemble_bodies: FALSE": ("fcgi.reassemble_bodies: FALSE\n", "200 OK (text/plain) [STDOUT[1]]", True),
    "fcgi.decompress_body: FALSE": ("fcgi.decompress_body: FALSE\n", "STDOUT[1]", False),
}


@pytest.mark.parametrize("prefs", list(BOOL_PREFS))
def test_boolean_preference_from_the_preferences_file(prefs):
    text, frame6_info, uncompressed = BOOL_PREFS[prefs]
    out, err = run_with_home({"preferences": text} if text else {}, [
        "-r", capture("phpfpm-big.pcap"), "-d", "tcp.port==9005,fcgi", "-P", "-V",
        "-Y", "frame.number == 6 or frame.number == 28"])
    summaries = [l for l in out.splitlines() if l.lstrip().startswith(("6 ", "28 "))]
    assert summaries[0].endswith(" FCGI 178 " + frame6_info)
    assert ("gzip line 199: FastCGI test payload" in out) == uncompressed
    assert err == ""
