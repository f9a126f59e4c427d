"""The plugin loads into stock tshark and takes over from the built-in FastCGI dissector."""
import re

import pytest

from conftest import capture, fields, info, tshark

# The built-in dissector's fields: same names and types with the plugin.
INHERITED = {
    "fcgi.version": "FT_UINT8",
    "fcgi.type": "FT_UINT8",
    "fcgi.id": "FT_UINT16",
    "fcgi.content.length": "FT_UINT16",
    "fcgi.padding.length": "FT_UINT8",
    "fcgi.content.data": "FT_BYTES",
    "fcgi.padding.data": "FT_BYTES",
    "fcgi.begin_request.role": "FT_UINT16",
    "fcgi.begin_request.flags": "FT_UINT8",
    "fcgi.begin_request.keep_conn": "FT_BOOLEAN",
    "fcgi.end_request.app_status": "FT_UINT32",
    "fcgi.end_request.protocol_status": "FT_UINT32",
    "fcgi.nv_name": "FT_STRING",
}


def fcgi_fields():
    """{abbrev: (type, blurb)} of every fcgi field tshark knows."""
    out = {}
    for line in tshark("-G", "fields").splitlines():
        cols = line.split("\t")
        if cols[0] == "F" and cols[4] == "fcgi":
            out[cols[2]] = (cols[3], cols[7] if len(cols) > 7 else "")
    return out


def test_plugin_listed_with_its_version_and_no_dissector_bug():
    """tshark -G plugins lists fcgi.so with the version of moduleinfo.h."""
    from conftest import ROOT
    version = re.search(r'PLUGIN_VERSION "([^"]+)"', (ROOT / "moduleinfo.h").read_text()).group(1)
    out = tshark("-G", "plugins")
    assert re.search(rf"^fcgi\.so\s+{re.escape(version)}\s+dissector\s", out, re.M)


def test_exactly_one_fcgi_protocol():
    rows = [l.split("\t") for l in tshark("-G", "protocols").splitlines()]
    # 4.4 adds columns after the three names.
    assert [r[:3] for r in rows if r[2] == "fcgi"] == [["FastCGI", "FCGI", "fcgi"]]


@pytest.mark.parametrize("name,ftype", sorted(INHERITED.items()))
def test_inherited_field_keeps_its_type(name, ftype):
    assert fcgi_fields()[name][0] == ftype


def test_every_new_field_has_a_blurb():
    """Expert infos show in -G fields as FT_NONE without a blurb; all else has one."""
    found = fcgi_fields()
    new = {k: v for k, v in found.items() if k not in INHERITED}
    assert len([k for k, (t, b) in new.items() if b]) >= 45
    assert [k for k, (t, blurb) in new.items() if not blurb.strip() and t != "FT_NONE"] == []


def test_heuristic_is_on_tcp_and_enabled():
    rows = [l.split("\t") for l in tshark("-G", "heuristic-decodes").splitlines()]
    assert ["tcp", "fcgi", "T"] in [r[:3] for r in rows]


# Each way of reaching FastCGI, on nginx -> php-fpm on port 9000 (owned by S101).
# The plugin's Info column ("GET /index.php?name=abc [...]") and its own field
# fcgi.request.method prove that the plugin, not the built-in, answered.
PATHS = {
    "heuristic": [],
    "decode-as": ["--disable-heuristic", "fcgi_tcp", "-d", "tcp.port==9000,fcgi"],
    "port preference": ["--disable-heuristic", "fcgi_tcp", "-o", "fcgi.tcp.port:9000"],
    "port preference range": ["--disable-heuristic", "fcgi_tcp", "-o", "fcgi.tcp.port:8999-9001"],
}


@pytest.mark.parametrize("path", sorted(PATHS))
def test_each_path_reaches_the_plugin(path):
    rows = fields("nginx-phpfpm.pcap", "frame.number", "fcgi.request.method", "_ws.col.Info",
                  filter="fcgi.request.method", args=PATHS[path])
    assert [r[0] for r in rows] == ["4", "14", "24", "34", "44", "54"]
    assert rows[0][1:] == ["GET", "GET /index.php?name=abc [BEGIN_REQUEST[1], PARAMS[1], PARAMS[1] end, STDIN[1] end]"]


def test_without_heuristic_or_port_nothing_is_fastcgi():
    assert fields("nginx-phpfpm.pcap", "frame.number", filter="fcgi",
                  args=["--disable-heuristic", "fcgi_tcp"]) == []


def test_builtin_is_what_answers_without_the_plugin():
    """The same -d without the plugin reaches the built-in: its Info is different."""
    rows = fields("nginx-phpfpm.pcap", "frame.number", "_ws.col.Info", filter="fcgi",
                  args=["-d", "tcp.port==9000,fcgi"], plugin=False)
    assert rows[0] == ["4", "FCGI_BEGIN_REQUEST, FCGI_PARAMS, FCGI_PARAMS, FCGI_STDIN"]


def test_disabling_the_protocol_disables_the_plugin():
    assert fields("nginx-phpfpm.pcap", "frame.number", filter="fcgi",
                  args=["--disable-protocol", "fcgi"]) == []


def test_decode_as_list_has_one_fcgi_entry():
    """The Decode As list of tcp.port holds the plugin's handle only once."""
    out = tshark("-r", capture("nginx-phpfpm.pcap"), "-d", "tcp.port==9000,help", check=False)
    assert out.count("\tfcgi") + out.count(" fcgi\n") <= 1
