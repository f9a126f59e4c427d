"""Imperfect traffic (issue 9): look-alike connections, lost and retransmitted
segments, a request php-fpm rejects, severities that match real peers.
captures/README.md and captures/crafted/README.md say how each capture was
made and what it holds."""
import pytest

from conftest import fields, info

# --- Do no harm: what is not FastCGI dissects exactly as without the plugin ---

LOOKALIKES = ["crafted/lookalike-tls.pcap", "crafted/lookalike-ssh.pcap", "crafted/lookalike-redis.pcap",
              "crafted/lookalike-random.pcap", "crafted/not-fcgi.pcap"]


@pytest.mark.parametrize("name", LOOKALIKES)
@pytest.mark.parametrize("two_pass", [False, True])
def test_lookalikes_dissect_as_without_the_plugin(name, two_pass):
    """A connection led by an empty STDIN, PARAMS or DATA record, or by a short
    STDOUT record of random bytes, then TLS, SSH, redis or random bytes: every
    frame has the same protocols and Info as with no plugin at all."""
    wanted = ("frame.number", "frame.protocols", "_ws.col.Protocol", "_ws.col.Info")
    assert fields(name, *wanted, two_pass=two_pass) == fields(name, *wanted, two_pass=two_pass, plugin=False)
    assert fields(name, "frame.number", filter="fcgi", two_pass=two_pass) == []


# --- Lower layers keep their text ---

# capture, port: real recordings with a lost or retransmitted segment
TCP_LABELS = [("phpfpm-gap20k-nohdr.pcap", 9007), ("phpfpm-gap300k-cut.pcap", 9008),
              ("nginx-keepalive-retrans.pcap", 9003)]


@pytest.mark.parametrize("name,port", TCP_LABELS)
def test_tcp_labels_stay_in_front_of_the_info_column(name, port):
    """Every "[TCP ...]" label the built-in dissector leaves at the front of a
    frame's Info column is at the front with the plugin too."""
    args = ["-d", f"tcp.port=={port},fcgi"]
    builtin = {int(n): i for n, i in fields(name, "frame.number", "_ws.col.Info", args=args, plugin=False)}
    plugin = {int(n): i for n, i in fields(name, "frame.number", "_ws.col.Info", args=args)}
    labelled = {n: i[:i.rindex("] ") + 2] for n, i in builtin.items() if i.startswith("[TCP")}
    assert labelled
    for frame, labels in labelled.items():
        assert plugin[frame].startswith(labels), (frame, plugin[frame])


def test_lost_segment_label_on_a_fastcgi_frame():
    assert info("phpfpm-gap20k-nohdr.pcap", args=["-d", "tcp.port==9007,fcgi"])[7] == \
        "[TCP Previous segment not captured] STDOUT[1]"


# --- Finding the record boundaries again ---

GAP20K = ["-d", "tcp.port==9007,fcgi"]
PHP_RESERVED = "Reserved bytes of FCGI_END_REQUEST are not zero (php-fpm and php-cgi leave bytes of their buffer there)"
GAP300K = ["-d", "tcp.port==9008,fcgi"]


def test_stream_whose_start_was_lost_is_not_read_as_headers():
    """The segment with the first STDOUT record (the CGI headers) is lost: the
    rest of the body is not parsed as header lines; one expert info says the
    start is missing; the next requests decode in full."""
    rows = fields("phpfpm-gap20k-nohdr.pcap", "frame.number", "_ws.col.Info", "fcgi.response.header",
                  "fcgi.response.code", "_ws.expert.message", filter="fcgi.type == 6 or fcgi.type == 3",
                  args=GAP20K)
    assert rows == [
        ["7", "[TCP Previous segment not captured] STDOUT[1]", "", "", "Previous segment(s) not captured (common at capture start)"],
        ["9", "STDOUT[1], END_REQUEST[1]", "", "",
         "The start of this stream was not captured: no CGI headers are read from it," + PHP_RESERVED],
        ["12", "200 OK (text/html) [STDOUT[1], END_REQUEST[1]]",
         "X-Powered-By: PHP/8.2.36,Content-Type: text/html; charset=UTF-8", "200", PHP_RESERVED],
        ["15", "200 OK (application/json) [STDOUT[1], END_REQUEST[1]]",
         "X-Powered-By: PHP/8.2.36,Content-Type: application/json", "200", PHP_RESERVED],
    ]


def test_lost_segment_that_cuts_a_record():
    """A lost segment cuts STDOUT #4 of a 300 KB response: the bytes after the
    gap are shown as the rest of a record whose start was not captured, up to
    the next record header (frame 19, offset 3064); the request's END_REQUEST
    is found, and the requests after it decode."""
    assert info("phpfpm-gap300k-cut.pcap", args=GAP300K) == {
        4: "GET /sized.php?bytes=300000 [BEGIN_REQUEST[1], PARAMS[1], PARAMS[1] end, STDIN[1] end]",
        6: "STDOUT[1]",
        10: "STDOUT[1]",
        16: "[TCP Window Full] [TCP Previous segment not captured] Continuation (47616 bytes)",
        20: "[TCP Window Full] Continuation (3064 bytes), STDOUT[1]",
        22: "200 OK (text/plain) [STDOUT[1], END_REQUEST[1]]",
        24: "GET /index.php?name=after-cut [BEGIN_REQUEST[1], PARAMS[1], PARAMS[1] end, STDIN[1] end]",
        25: "200 OK (text/html) [STDOUT[1], END_REQUEST[1]]",
        27: "GET /json.php?n=3 [BEGIN_REQUEST[1], PARAMS[1], PARAMS[1] end, STDIN[1] end]",
        28: "200 OK (application/json) [STDOUT[1], END_REQUEST[1]]",
    }
    rows = fields("phpfpm-gap300k-cut.pcap", "frame.number", "fcgi.time", "fcgi.request_in", "_ws.expert.message",
                  filter="fcgi.skipped or frame.number == 22", args=GAP300K)
    lost = "bytes that are not a record: the rest of one whose start was not captured"
    assert [r[0] for r in rows] == ["16", "20", "22"]
    assert f"47616 {lost}" in rows[0][3] and f"3064 {lost}" in rows[1][3]
    assert rows[2][1:3] == ["0.025677000", "4"]
    assert "Bytes of this stream were not captured: it is incomplete" in rows[2][3]


def test_the_original_300k_response_is_whole():
    rows = fields("phpfpm-gap300k.pcap", "frame.number", "fcgi.reassembled.length", "fcgi.response.code",
                  filter="fcgi.reassembled.length", args=GAP300K)
    assert rows == [["23", "300092", "200"]]


def test_retransmitted_segments_change_nothing():
    """Three segments retransmitted: the 14 requests are the same as without them."""
    args = ["-d", "tcp.port==9003,fcgi"]
    wanted = ("fcgi.request.method", "fcgi.request.uri", "fcgi.response.code", "fcgi.time")
    assert [r for r in fields("nginx-keepalive-retrans.pcap", *wanted, filter="fcgi", args=args) if any(r)] == \
        [r for r in fields("nginx-keepalive.pcap", *wanted, filter="fcgi", args=args) if any(r)]


# --- The request that fails is visible ---

REJECT = ["-d", "tcp.port==9009,fcgi"]
UNFINISHED = "The request never ended in the capture (no FCGI_END_REQUEST): its last record"


def test_rejected_request_is_visible():
    """php-fpm closes the connection on a pair split across PARAMS records: the
    request line shows where method and URI arrived, the pairs where they are,
    and (on the second pass) the last record says it never ended."""
    rows = fields("phpfpm-reject.pcap", "frame.number", "_ws.col.Info", "fcgi.request.uri", "_ws.expert.message",
                  filter="fcgi.type == 4", args=REJECT, two_pass=True)
    assert rows == [
        ["6", "GET /edge.php?case=split-pair [PARAMS[1]]", "/edge.php?case=split-pair", ""],
        ["10", "PARAMS[1]", "", UNFINISHED],
        ["15", "GET /edge.php?case=whole [BEGIN_REQUEST[1], PARAMS[1], PARAMS[1] end, STDIN[1] end]",
         "/edge.php?case=whole", ""],
        ["27", "PARAMS[1]", "", ""],
        ["31", "GET /edge.php?case=split-uri [PARAMS[1]]", "/edge.php?case=split-uri", UNFINISHED],
    ]
    assert fields("phpfpm-reject.pcap", "frame.number", filter='fcgi.nv_name == "REQUEST_URI"', args=REJECT) == \
        [["6"], ["15"], ["31"]]


# --- Severities that match real peers ---

# capture -> the Warning and Error expert infos it may have (all from what went wrong)
HEALTHY = {
    "nginx-phpfpm.pcap": ([], ["Server error: 500 Internal Server Error"]),
    "apache-phpfpm.pcap": (["-d", "tcp.port==9001,fcgi"], []),
    "cgifcgi-fcgiwrap.pcap": (["-d", "tcp.port==9002,fcgi"], ["Server error: 500 Internal Server Error"]),
    "nginx-keepalive.pcap": (["-d", "tcp.port==9003,fcgi"], []),
    # The recording's own client sends a record of undefined type 20 to see the
    # FCGI_UNKNOWN_TYPE reply; that is worth a warning.
    "go-multiplex.pcap": (["-d", "tcp.port==9004,fcgi"], ["Record type 20 is not defined by FastCGI 1.0"]),
    "phpfpm-big.pcap": (["-d", "tcp.port==9005,fcgi"], []),
    "lighttpd-phpcgi.pcap": (["-d", "tcp.port==9012,fcgi"], ["Server error: 500 Internal Server Error"]),
    "unix-socket.pcap": (["-d", "tcp.port==9123,fcgi"], []),
}


@pytest.mark.parametrize("name", sorted(HEALTHY))
def test_healthy_traffic_raises_no_warning(name):
    """nginx, Apache, lighttpd, cgi-fcgi, php-fpm, php-cgi, fcgiwrap and Go:
    only 5xx responses give FastCGI warnings; php-fpm's leftover bytes in
    FCGI_END_REQUEST's reserved field are a Chat."""
    from conftest import capture, tshark
    args, expected = HEALTHY[name]
    out = tshark("-r", capture(name), "-q", "-2", "-z", "expert,warn", *args)
    found = []
    for line in out.splitlines():
        parts = line.split(None, 3)
        if len(parts) == 4 and parts[0].isdigit() and parts[2] == "FCGI":
            found += [parts[3]] * int(parts[0])
    assert found == expected


# capture, port: real captures whose PARAMS records hold whole pairs
SAME_FRAMES_AS_BUILTIN = [("nginx-keepalive.pcap", 9003), ("apache-phpfpm.pcap", 9001),
                          ("lighttpd-phpcgi.pcap", 9012), ("cgifcgi-fcgiwrap.pcap", 9002)]


@pytest.mark.parametrize("name,port", SAME_FRAMES_AS_BUILTIN)
def test_pair_filters_select_the_frames_the_builtin_selects(name, port):
    """A saved filter on a parameter selects the same frames as with
    Wireshark's built-in dissector: pairs are where their record is."""
    args = ["-d", f"tcp.port=={port},fcgi"]
    for flt in ('fcgi.nv_name == "REQUEST_URI"', 'fcgi.nv_name == "SCRIPT_FILENAME"', "fcgi.nv_name"):
        plugin = fields(name, "frame.number", filter=flt, args=args)
        assert plugin and plugin == fields(name, "frame.number", filter=flt, args=args, plugin=False), flt
