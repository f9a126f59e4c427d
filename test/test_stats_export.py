"""The fcgi tap: statistics trees and Export Objects, on real captures."""
import os
import re
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT, capture, tshark

sys.path.insert(0, str(ROOT / "captures" / "record"))
import fcgi_summary  # noqa: E402  (an independent pcap/FastCGI reader)

KEEPALIVE = ["-d", "tcp.port==9003,fcgi"]


def stats(name, tree, args=()):
    """{(depth, topic): count} of a -z ...,tree report."""
    out = tshark("-r", capture(name), "-q", "-z", f"{tree},tree", *args)
    rows = {}
    for line in out.splitlines():
        m = re.match(r"^( *)(\S.*?)\s{2,}(\d+)\s", line)
        if m and not line.startswith("Topic"):
            rows[(len(m.group(1)), m.group(2))] = int(m.group(3))
    return rows, out


# capture -> the whole fcgi,tree report as (depth, topic): count.  Response
# codes are grouped by class with their phrases, as HTTP's packet counter
# groups them; a code CGI implies (no Status header) is marked.  Requests that
# never ended are known on the second pass (-2) and counted apart.
FCGI_TREE = {
    "nginx-keepalive.pcap": (KEEPALIVE, {
        (0, 'FastCGI records by type'): 85, (1, 'FCGI_PARAMS'): 28, (1, 'FCGI_STDIN'): 15,
        (1, 'FCGI_STDOUT'): 14, (1, 'FCGI_END_REQUEST'): 14, (1, 'FCGI_BEGIN_REQUEST'): 14,
        (0, 'FastCGI requests'): 14, (1, 'Roles'): 14, (2, 'FCGI_RESPONDER'): 14,
        (1, 'Response codes'): 14, (2, '2xx: Success'): 12, (3, '200 OK (implied)'): 12,
        (2, '4xx: Client Error'): 1, (3, '404 Not Found'): 1, (2, '3xx: Redirection'): 1,
        (3, '302 Found'): 1, (1, 'Request methods'): 14, (2, 'GET'): 13, (2, 'POST'): 1,
        (1, 'END_REQUEST protocol statuses'): 14, (2, 'FCGI_REQUEST_COMPLETE'): 14,
    }),
    "go-multiplex.pcap": ([], {
        (0, 'FastCGI records by type'): 33, (1, 'FCGI_STDOUT'): 9, (1, 'FCGI_PARAMS'): 8,
        (1, 'FCGI_STDIN'): 5, (1, 'FCGI_END_REQUEST'): 3, (1, 'FCGI_BEGIN_REQUEST'): 3,
        (1, 'FCGI_GET_VALUES_RESULT'): 2, (1, 'Undefined type 20'): 1, (1, 'FCGI_UNKNOWN_TYPE'): 1,
        (1, 'FCGI_GET_VALUES'): 1, (0, 'FastCGI requests'): 3, (1, 'Roles'): 3, (2, 'FCGI_RESPONDER'): 3,
        (1, 'Response codes'): 3, (2, '2xx: Success'): 3, (3, '200 OK'): 3, (1, 'Request methods'): 3,
        (2, 'GET'): 2, (2, 'POST'): 1, (1, 'END_REQUEST protocol statuses'): 3,
        (2, 'FCGI_REQUEST_COMPLETE'): 3,
    }),
    "nginx-phpfpm.pcap": ([], {
        (0, 'FastCGI records by type'): 38, (1, 'FCGI_PARAMS'): 12, (1, 'FCGI_STDIN'): 7,
        (1, 'FCGI_STDOUT'): 6, (1, 'FCGI_END_REQUEST'): 6, (1, 'FCGI_BEGIN_REQUEST'): 6,
        (1, 'FCGI_STDERR'): 1, (0, 'FastCGI requests'): 6, (1, 'Roles'): 6, (2, 'FCGI_RESPONDER'): 6,
        (1, 'Response codes'): 6, (2, '2xx: Success'): 3, (3, '200 OK (implied)'): 3,
        (2, '5xx: Server Error'): 1, (3, '500 Internal Server Error'): 1, (2, '4xx: Client Error'): 1,
        (3, '404 Not Found'): 1, (2, '3xx: Redirection'): 1, (3, '302 Found'): 1,
        (1, 'Request methods'): 6, (2, 'GET'): 5, (2, 'POST'): 1, (1, 'END_REQUEST protocol statuses'): 6,
        (2, 'FCGI_REQUEST_COMPLETE'): 6,
    }),
    "phpfpm-reject.pcap": (["-d", "tcp.port==9009,fcgi", "-2"], {
        (0, 'FastCGI records by type'): 12, (1, 'FCGI_PARAMS'): 6, (1, 'FCGI_BEGIN_REQUEST'): 3,
        (1, 'FCGI_STDOUT'): 1, (1, 'FCGI_STDIN'): 1, (1, 'FCGI_END_REQUEST'): 1,
        (0, 'FastCGI requests'): 3, (1, 'Roles'): 3, (2, 'FCGI_RESPONDER'): 3, (1, 'Response codes'): 3,
        (2, '(no CGI response)'): 2, (2, '2xx: Success'): 1, (3, '200 OK (implied)'): 1,
        (1, 'Request methods'): 3, (2, 'GET'): 3, (1, 'Unfinished (never ended in the capture)'): 2,
        (1, 'END_REQUEST protocol statuses'): 1, (2, 'FCGI_REQUEST_COMPLETE'): 1,
    }),
    # Crafted: a rejected request (FCGI_OVERLOADED), one never begun, one
    # that never ended; on the second pass, where the tap reads the statuses
    # from the FCGI_END_REQUEST records again.
    "crafted/ids.pcap": (["-d", "tcp.port==9000,fcgi", "-2"], {
        (0, 'FastCGI records by type'): 18, (1, 'FCGI_PARAMS'): 5, (1, 'FCGI_STDOUT'): 3,
        (1, 'FCGI_END_REQUEST'): 3, (1, 'FCGI_BEGIN_REQUEST'): 3, (1, 'FCGI_STDIN'): 1, (1, 'FCGI_STDERR'): 1,
        (1, 'FCGI_GET_VALUES'): 1, (1, 'FCGI_ABORT_REQUEST'): 1, (0, 'FastCGI requests'): 4, (1, 'Roles'): 4,
        (2, 'FCGI_RESPONDER'): 3, (2, '(FCGI_BEGIN_REQUEST not seen)'): 1, (1, 'Response codes'): 4,
        (2, '(no CGI response)'): 3, (2, '2xx: Success'): 1, (3, '200 OK (implied)'): 1,
        (1, 'Request methods'): 4, (2, 'GET'): 2, (2, '(none)'): 2, (1, 'END_REQUEST protocol statuses'): 3,
        (2, 'FCGI_REQUEST_COMPLETE'): 2, (2, 'FCGI_OVERLOADED'): 1,
        (1, 'Unfinished (never ended in the capture)'): 1,
    }),
    "lighttpd-phpcgi.pcap": (["-d", "tcp.port==9012,fcgi"], {
        (0, 'FastCGI records by type'): 40, (1, 'FCGI_PARAMS'): 12, (1, 'FCGI_STDOUT'): 8,
        (1, 'FCGI_STDIN'): 7, (1, 'FCGI_END_REQUEST'): 6, (1, 'FCGI_BEGIN_REQUEST'): 6,
        (1, 'FCGI_STDERR'): 1, (0, 'FastCGI requests'): 6, (1, 'Roles'): 6, (2, 'FCGI_RESPONDER'): 6,
        (1, 'Response codes'): 6, (2, '2xx: Success'): 4, (3, '200 OK (implied)'): 4,
        (2, '5xx: Server Error'): 1, (3, '500 Internal Server Error'): 1, (2, '3xx: Redirection'): 1,
        (3, '302 Found'): 1, (1, 'Request methods'): 6, (2, 'GET'): 5, (2, 'POST'): 1,
        (1, 'END_REQUEST protocol statuses'): 6, (2, 'FCGI_REQUEST_COMPLETE'): 6,
    }),
}


@pytest.mark.parametrize("name", sorted(FCGI_TREE))
def test_fcgi_tree(name):
    args, expected = FCGI_TREE[name]
    rows, out = stats(name, "fcgi", args)
    assert "FastCGI/Records and Requests" in out
    assert rows == expected


def test_fcgi_scripts_tree():
    out = tshark("-r", capture("nginx-keepalive.pcap"), "-q", "-z", "fcgi_scripts,tree", *KEEPALIVE)
    rows = {}
    for line in out.splitlines():
        m = re.match(r"^\s*(\S.*?)\s{2,}(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s", line)
        if m:
            rows[m.group(1)] = (int(m.group(2)), m.group(3), m.group(4), m.group(5))
    # script: (requests, average, minimum, maximum), in microseconds
    assert rows == {
        "Response time by script (microseconds)": (14, "860.00", "391", "3457"),
        "/index.php": (10, "899.00", "391", "3457"),
        "/redirect.php": (1, "536.00", "536", "536"),
        "/notfound.php": (1, "488.00", "488", "488"),
        "/json.php": (1, "1130.00", "1130", "1130"),
        "/form.php": (1, "896.00", "896", "896"),
    }


def response_bodies(name, port):
    """What the server sent: each response's STDOUT after the CGI headers,
    read from the capture by an independent parser."""
    _, conns = fcgi_summary.streams(str(ROOT / "captures" / name), port)
    bodies = []
    for conn in conns:
        stdout = {}
        for ver, typ, rid, clen, plen, content in fcgi_summary.records(conn["s2c"]):
            if typ == 6:
                stdout[rid] = stdout.get(rid, b"") + content
            elif typ == 3 and rid in stdout:
                data = stdout.pop(rid)
                sep = data.find(b"\r\n\r\n")
                body = data[sep + 4:] if sep >= 0 else data[data.find(b"\n\n") + 2:]
                bodies.append(body)
    return bodies


# capture, port, args, the exported file names: named after the request URI as
# HTTP names its objects (tshark writes the "?" as %3f).
EXPORTS = [
    ("nginx-phpfpm.pcap", 9000, [], ["index.php%3fname=abc", "json.php", "form.php", "notfound.php",
                                     "stderr500.php"]),
    ("phpfpm-big.pcap", 9005, ["-d", "tcp.port==9005,fcgi"], ["big.php", "gzip.php"]),
    ("nginx-keepalive.pcap", 9003, KEEPALIVE,
     [f"index.php%3fname={i}" for i in range(1, 11)] + ["json.php%3fpage=2", "form.php", "notfound.php"]),
    ("lighttpd-phpcgi.pcap", 9012, ["-d", "tcp.port==9012,fcgi"],
     ["index.php%3fname=lighttpd", "json.php%3fx=1", "form.php", "stderr500.php", "sized.php%3fbytes=100000"]),
]


@pytest.mark.parametrize("name,port,args,files", EXPORTS)
def test_export_objects_match_what_the_server_sent(name, port, args, files):
    out_dir = Path(tempfile.mkdtemp(prefix="fcgi-eo-"))
    out_dir.chmod(0o777)
    tshark("-r", capture(name), "-q", "--export-objects", f"fcgi,{out_dir}", *args)
    exported = sorted(os.listdir(out_dir))
    assert exported == sorted(files)
    sent = sorted(b for b in response_bodies(name, port) if b)
    assert sorted((out_dir / f).read_bytes() for f in files) == sent
    if name == "phpfpm-big.pcap":
        assert len((out_dir / "big.php").read_bytes()) == 200000


def test_export_file_names_are_sanitised():
    """REQUEST_URI=/a/../../etc/pa..sswd?x=/y: no '/' and no '..' reach the file name."""
    out_dir = Path(tempfile.mkdtemp(prefix="fcgi-eo-"))
    out_dir.chmod(0o777)
    tshark("-r", capture("crafted/odd.pcap"), "-q", "--export-objects", f"fcgi,{out_dir}")
    assert os.listdir(out_dir) == ["pa__sswd%3fx=_y"]
    assert (out_dir / "pa__sswd%3fx=_y").read_bytes() == b"body"


def test_no_export_without_body_reassembly():
    """With fcgi.reassemble_bodies off no body is whole, and none is exported
    (as the preference says), not just the ones spread over several records."""
    out_dir = Path(tempfile.mkdtemp(prefix="fcgi-eo-"))
    out_dir.chmod(0o777)
    tshark("-r", capture("phpfpm-big.pcap"), "-q", "--export-objects", f"fcgi,{out_dir}",
           "-d", "tcp.port==9005,fcgi", "-o", "fcgi.reassemble_bodies:FALSE")
    assert os.listdir(out_dir) == []
