"""The heuristic finds FastCGI on any port and stays quiet on everything else."""
from conftest import fields


def test_nothing_in_non_fastcgi_traffic_is_fastcgi():
    """HTTP, TLS, 50 random streams (many starting with 0x01 or a plausible
    header), 8-byte 0x01 payloads and a lone header: zero FastCGI frames."""
    assert fields("crafted/not-fcgi.pcap", "frame.number", filter="fcgi") == []
    assert fields("crafted/not-fcgi.pcap", "frame.number", filter="fcgi", two_pass=True) == []


def test_other_protocols_keep_their_traffic():
    protocols = {r[0] for r in fields("crafted/not-fcgi.pcap", "_ws.col.Protocol", filter="tcp.len > 0")}
    assert {"HTTP", "TLSv1.2"} <= protocols and "FCGI" not in protocols


def test_capture_starting_mid_connection():
    """The first segment is a lone STDOUT record of body bytes, the second an
    empty STDOUT: not evidence enough.  The third, an END_REQUEST with a
    defined protocol status, is; from there on the connection is FastCGI."""
    rows = fields("crafted/midstream.pcap", "frame.number", "fcgi.type", filter="fcgi")
    assert rows[0] == ["3", "3"] and len(rows) == 8


def test_php_fpm_default_port_needs_no_configuration():
    """Port 9000 belongs to S101 in the port table; FastCGI is still found."""
    assert [r[0] for r in fields("nginx-phpfpm.pcap", "_ws.col.Protocol", filter="tcp.len > 0")] == ["FCGI"] * 12


def test_heuristic_can_be_disabled():
    assert fields("go-multiplex.pcap", "frame.number", filter="fcgi",
                  args=["--disable-heuristic", "fcgi_tcp"]) == []
