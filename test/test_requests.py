"""Requests, not records: request fields, CGI responses, linking and timing
on captures of real servers (captures/README.md says how each was made)."""
import pytest

from conftest import fields, info, tshark, capture

# The port each capture's FastCGI runs on; -d makes sure the plugin decodes it.
PORT_ARGS = {
    "nginx-phpfpm.pcap": [],
    "apache-phpfpm.pcap": ["-d", "tcp.port==9001,fcgi"],
    "cgifcgi-fcgiwrap.pcap": ["-d", "tcp.port==9002,fcgi"],
    "nginx-keepalive.pcap": ["-d", "tcp.port==9003,fcgi"],
    "go-multiplex.pcap": ["-d", "tcp.port==9004,fcgi"],
    "phpfpm-big.pcap": ["-d", "tcp.port==9005,fcgi"],
    "phpfpm-getvalues.pcap": ["-d", "tcp.port==9006,fcgi"],
    "unix-socket.pcap": ["-d", "tcp.port==9123,fcgi"],
    "phpfpm-gap20k.pcap": ["-d", "tcp.port==9007,fcgi"],
    "phpfpm-gap20k-nohdr.pcap": ["-d", "tcp.port==9007,fcgi"],
    "phpfpm-gap300k.pcap": ["-d", "tcp.port==9008,fcgi"],
    "phpfpm-gap300k-cut.pcap": ["-d", "tcp.port==9008,fcgi"],
    "phpfpm-reject.pcap": ["-d", "tcp.port==9009,fcgi"],
    "nginx-abort.pcap": ["-d", "tcp.port==9010,fcgi"],
    "apache-abort.pcap": ["-d", "tcp.port==9011,fcgi"],
    "lighttpd-phpcgi.pcap": ["-d", "tcp.port==9012,fcgi"],
    "lighttpd-abort.pcap": ["-d", "tcp.port==9013,fcgi"],
}

# Every request that ends in each capture, in the order they end:
# (frame that shows method and URI, frame that shows the status, END_REQUEST
#  frame, the request as Info shows it, fcgi.response_for.uri, status, phrase,
#  response Content-Type, fcgi.time).  Status frame 0: none was shown (its
#  CGI headers were lost with a segment).
REQUESTS = {
    'apache-phpfpm.pcap': [
        (6, 12, 12, 'GET /index.php?name=apache', '/index.php?name=apache', 200, 'OK', 'text/html; charset=UTF-8', '0.002787000'),
        (22, 26, 26, 'GET /json.php?x=1&y=2', '/json.php?x=1&y=2', 200, 'OK', 'application/json', '0.002624000'),
        (37, 45, 45, 'POST /form.php', '/form.php', 200, 'OK', 'text/plain; charset=UTF-8', '0.000773000'),
        (55, 61, 61, 'GET /notfound.php', '/notfound.php', 404, 'Not Found', 'text/plain;charset=UTF-8', '0.000857000'),
    ],
    'cgifcgi-fcgiwrap.pcap': [
        (6, 10, 10, 'GET /hello.sh?x=1&y=two', '/hello.sh?x=1&y=two', 200, 'OK', 'text/plain', '0.004547000'),
        (20, 26, 26, 'GET /stderr.sh', '/stderr.sh', 500, 'Internal Server Error', 'text/plain', '0.004938000'),
        (36, 40, 40, 'POST /echo.sh', '/echo.sh', 200, 'OK', 'text/plain', '0.010419000'),
    ],
    'go-multiplex.pcap': [
        (14, 38, 39, 'GET /fast?name=two&sleep=100', '/fast?name=two&sleep=100', 200, 'OK', 'text/plain; charset=utf-8', '0.346696000'),
        (24, 43, 44, 'POST /post?name=three&sleep=200', '/post?name=three&sleep=200', 200, 'OK', 'text/plain; charset=utf-8', '0.447619000'),
        (17, 48, 49, 'GET /slow?name=one&sleep=300', '/slow?name=one&sleep=300', 200, 'OK', 'text/plain; charset=utf-8', '0.588191000'),
    ],
    'lighttpd-phpcgi.pcap': [
        (4, 6, 6, 'GET /index.php?name=lighttpd', '/index.php?name=lighttpd', 200, 'OK', 'text/html; charset=UTF-8', '0.017130000'),
        (14, 16, 16, 'GET /json.php?x=1', '/json.php?x=1', 200, 'OK', 'application/json', '0.023865000'),
        (24, 26, 26, 'POST /form.php', '/form.php', 200, 'OK', 'text/plain; charset=UTF-8', '0.000902000'),
        (34, 36, 36, 'GET /redirect.php', '/redirect.php', 302, 'Found', 'text/html; charset=UTF-8', '0.001543000'),
        (44, 46, 46, 'GET /stderr500.php', '/stderr500.php', 500, 'Internal Server Error', 'text/plain;charset=UTF-8', '0.000999000'),
        (54, 66, 66, 'GET /sized.php?bytes=100000', '/sized.php?bytes=100000', 200, 'OK', 'text/plain;charset=UTF-8', '0.017418000'),
    ],
    'nginx-keepalive.pcap': [
        (4, 6, 6, 'GET /index.php?name=1', '/index.php?name=1', 200, 'OK', 'text/html; charset=UTF-8', '0.003457000'),
        (8, 9, 9, 'GET /index.php?name=2', '/index.php?name=2', 200, 'OK', 'text/html; charset=UTF-8', '0.000723000'),
        (11, 12, 12, 'GET /index.php?name=3', '/index.php?name=3', 200, 'OK', 'text/html; charset=UTF-8', '0.000588000'),
        (14, 15, 15, 'GET /index.php?name=4', '/index.php?name=4', 200, 'OK', 'text/html; charset=UTF-8', '0.000500000'),
        (17, 18, 18, 'GET /index.php?name=5', '/index.php?name=5', 200, 'OK', 'text/html; charset=UTF-8', '0.000731000'),
        (20, 21, 21, 'GET /index.php?name=6', '/index.php?name=6', 200, 'OK', 'text/html; charset=UTF-8', '0.000391000'),
        (23, 24, 24, 'GET /index.php?name=7', '/index.php?name=7', 200, 'OK', 'text/html; charset=UTF-8', '0.000660000'),
        (26, 27, 27, 'GET /index.php?name=8', '/index.php?name=8', 200, 'OK', 'text/html; charset=UTF-8', '0.000569000'),
        (29, 30, 30, 'GET /index.php?name=9', '/index.php?name=9', 200, 'OK', 'text/html; charset=UTF-8', '0.000672000'),
        (32, 33, 33, 'GET /index.php?name=10', '/index.php?name=10', 200, 'OK', 'text/html; charset=UTF-8', '0.000699000'),
        (35, 36, 36, 'GET /json.php?page=2', '/json.php?page=2', 200, 'OK', 'application/json', '0.001130000'),
        (38, 39, 39, 'POST /form.php', '/form.php', 200, 'OK', 'text/plain; charset=UTF-8', '0.000896000'),
        (41, 42, 42, 'GET /redirect.php', '/redirect.php', 302, 'Found', 'text/html; charset=UTF-8', '0.000536000'),
        (44, 45, 45, 'GET /notfound.php', '/notfound.php', 404, 'Not Found', 'text/plain;charset=UTF-8', '0.000488000'),
    ],
    'nginx-phpfpm.pcap': [
        (4, 6, 6, 'GET /index.php?name=abc', '/index.php?name=abc', 200, 'OK', 'text/html; charset=UTF-8', '0.004015000'),
        (14, 16, 16, 'GET /json.php', '/json.php', 200, 'OK', 'application/json', '0.002932000'),
        (24, 26, 26, 'POST /form.php', '/form.php', 200, 'OK', 'text/plain; charset=UTF-8', '0.000724000'),
        (34, 36, 36, 'GET /redirect.php', '/redirect.php', 302, 'Found', 'text/html; charset=UTF-8', '0.000600000'),
        (44, 46, 46, 'GET /notfound.php', '/notfound.php', 404, 'Not Found', 'text/plain;charset=UTF-8', '0.000494000'),
        (54, 56, 56, 'GET /stderr500.php', '/stderr500.php', 500, 'Internal Server Error', 'text/plain;charset=UTF-8', '0.001034000'),
    ],
    'phpfpm-big.pcap': [
        (4, 20, 20, 'GET /big.php', '/big.php', 200, 'OK', 'text/plain;charset=UTF-8', '0.007459000'),
        (26, 28, 28, 'GET /gzip.php', '/gzip.php', 200, 'OK', 'text/plain;charset=UTF-8', '0.004746000'),
    ],
    'phpfpm-getvalues.pcap': [
        (8, 9, 9, 'GET /index.php?name=raw', '/index.php?name=raw', 200, 'OK', 'text/html; charset=UTF-8', '0.002793000'),
    ],
    'unix-socket.pcap': [
        (4, 6, 6, 'GET /index.php?name=unix', '/index.php?name=unix', 200, 'OK', 'text/html; charset=UTF-8', '0.004607000'),
        (14, 16, 16, 'GET /json.php', '/json.php', 200, 'OK', 'application/json', '0.004588000'),
        (24, 26, 26, 'POST /form.php', '/form.php', 200, 'OK', 'text/plain; charset=UTF-8', '0.005488000'),
    ],
    'phpfpm-gap20k.pcap': [
        (4, 10, 10, 'GET /stream.php?bytes=20000', '/stream.php?bytes=20000', 200, 'OK', 'text/plain;charset=UTF-8', '0.016038000'),
        (12, 13, 13, 'GET /index.php?name=after-gap', '/index.php?name=after-gap', 200, 'OK', 'text/html; charset=UTF-8', '0.001235000'),
        (15, 16, 16, 'GET /json.php?n=3', '/json.php?n=3', 200, 'OK', 'application/json', '0.000708000'),
    ],
    'phpfpm-gap300k.pcap': [
        (4, 23, 23, 'GET /sized.php?bytes=300000', '/sized.php?bytes=300000', 200, 'OK', 'text/plain;charset=UTF-8', '0.025677000'),
        (25, 26, 26, 'GET /index.php?name=after-cut', '/index.php?name=after-cut', 200, 'OK', 'text/html; charset=UTF-8', '0.000870000'),
        (28, 29, 29, 'GET /json.php?n=3', '/json.php?n=3', 200, 'OK', 'application/json', '0.000769000'),
    ],
    'phpfpm-gap20k-nohdr.pcap': [
        (4, 0, 9, 'GET /stream.php?bytes=20000', '/stream.php?bytes=20000', 0, '', '', '0.016038000'),
        (11, 12, 12, 'GET /index.php?name=after-gap', '/index.php?name=after-gap', 200, 'OK', 'text/html; charset=UTF-8', '0.001235000'),
        (14, 15, 15, 'GET /json.php?n=3', '/json.php?n=3', 200, 'OK', 'application/json', '0.000708000'),
    ],
    'phpfpm-gap300k-cut.pcap': [
        (4, 22, 22, 'GET /sized.php?bytes=300000', '/sized.php?bytes=300000', 200, 'OK', 'text/plain;charset=UTF-8', '0.025677000'),
        (24, 25, 25, 'GET /index.php?name=after-cut', '/index.php?name=after-cut', 200, 'OK', 'text/html; charset=UTF-8', '0.000870000'),
        (27, 28, 28, 'GET /json.php?n=3', '/json.php?n=3', 200, 'OK', 'application/json', '0.000769000'),
    ],
    'nginx-abort.pcap': [
        (4, 10, 10, 'GET /slow.php?ms=2500', '/slow.php?ms=2500', 200, 'OK', 'text/plain;charset=UTF-8', '2.524934000'),
        (15, 21, 21, 'GET /slow.php?ms=2500', '/slow.php?ms=2500', 200, 'OK', 'text/plain;charset=UTF-8', '2.515898000'),
        (26, 28, 28, 'GET /index.php?name=after-abort', '/index.php?name=after-abort', 200, 'OK', 'text/html; charset=UTF-8', '0.001482000'),
    ],
    'apache-abort.pcap': [
        (6, 14, 14, 'GET /slow.php?ms=2500', '/slow.php?ms=2500', 200, 'OK', 'text/plain;charset=UTF-8', '2.536073000'),
        (24, 30, 30, 'GET /index.php?name=after-abort', '/index.php?name=after-abort', 200, 'OK', 'text/html; charset=UTF-8', '0.013995000'),
    ],
    'lighttpd-abort.pcap': [
        (4, 8, 8, 'GET /slow.php?ms=2500', '/slow.php?ms=2500', 200, 'OK', 'text/plain;charset=UTF-8', '2.528382000'),
        (16, 18, 18, 'GET /index.php?name=after-abort', '/index.php?name=after-abort', 200, 'OK', 'text/html; charset=UTF-8', '0.017432000'),
    ],
    'phpfpm-reject.pcap': [
        (15, 17, 17, 'GET /edge.php?case=whole', '/edge.php?case=whole', 200, 'OK', 'text/plain;charset=UTF-8', '0.011055000'),
    ],
}


def request_rows(name, two_pass):
    """The table above as the plugin reports it, from one tshark run: each
    END_REQUEST frame links (fcgi.request_in) to the frame that shows the
    request, and the frame that shows the status links there too."""
    frames = fields(name, "frame.number", "tcp.stream", "_ws.col.Info", "fcgi.response.code", "fcgi.response.phrase",
                    "fcgi.response.content_type", "fcgi.request_in", "fcgi.time", "fcgi.response_for.uri",
                    filter="fcgi", args=PORT_ARGS[name], two_pass=two_pass)
    rows = []
    for end, stream, _, _, _, _, request_in, time, uri in frames:
        if not time:
            continue
        shown = request_in.split(",")[0]
        (request_info,) = [f[2] for f in frames if f[0] == shown]
        status = [f for f in frames if f[3] and f[1] == stream and shown in f[6].split(",")]
        assert len(status) <= 1
        status = status[0] if status else ["0", "", "", "0", "", ""]
        rows.append((int(shown), int(status[0]), int(end), request_info.split(" [")[0], uri, int(status[3]),
                     status[4], status[5], time))
    return rows


@pytest.mark.parametrize("name", sorted(REQUESTS))
@pytest.mark.parametrize("two_pass", [False, True])
def test_requests(name, two_pass):
    assert request_rows(name, two_pass) == REQUESTS[name]


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_request_and_status_frames_link_to_each_other(name):
    """With a second pass the frame that shows a request links (fcgi.response_in)
    to the frame that shows its status (else its END_REQUEST), which links back."""
    args = PORT_ARGS[name]
    for shown, status, end, *_ in REQUESTS[name]:
        rows = fields(name, "fcgi.response_in", two_pass=True, args=args, filter=f"frame.number == {shown}")
        assert rows == [[str(status or end)]]


# capture -> (frame, request number, fcgi.prev_request_in, fcgi.next_request_in)
# of every frame that shows a request's summary or status, on a second pass:
# the requests of a connection in the order they appeared, one id or many.
REQUEST_LINKS = {
    "go-multiplex.pcap": [
        (14, 2, "10", "16"), (17, 1, "", "11"), (24, 3, "11", ""), (38, 2, "10", "16"), (43, 3, "11", ""),
        (48, 1, "", "11")],
    "nginx-keepalive.pcap": [
        (4, 1, "", "8"), (6, 1, "", "8"), (8, 2, "4", "11"), (9, 2, "4", "11"), (11, 3, "8", "14"),
        (12, 3, "8", "14"), (14, 4, "11", "17"), (15, 4, "11", "17"), (17, 5, "14", "20"), (18, 5, "14", "20"),
        (20, 6, "17", "23"), (21, 6, "17", "23"), (23, 7, "20", "26"), (24, 7, "20", "26"), (26, 8, "23", "29"),
        (27, 8, "23", "29"), (29, 9, "26", "32"), (30, 9, "26", "32"), (32, 10, "29", "35"),
        (33, 10, "29", "35"), (35, 11, "32", "38"), (36, 11, "32", "38"), (38, 12, "35", "41"),
        (39, 12, "35", "41"), (41, 13, "38", "44"), (42, 13, "38", "44"), (44, 14, "41", ""), (45, 14, "41", "")],
}


@pytest.mark.parametrize("name", sorted(REQUEST_LINKS))
def test_requests_of_a_connection_link_to_each_other(name):
    rows = fields(name, "frame.number", "fcgi.request.number", "fcgi.prev_request_in", "fcgi.next_request_in",
                  filter="fcgi.request.number", args=PORT_ARGS[name], two_pass=True)
    assert [(int(f), int(n), p, nx) for f, n, p, nx in rows] == REQUEST_LINKS[name]


UNFINISHED = "The request never ended in the capture (no FCGI_END_REQUEST): its last record"


# The real captures and the crafted ones (on port 9000): records cut by a lost
# segment or by the end of the capture, split pairs, odd and hostile records.
AGREE_ARGS = dict(PORT_ARGS, **{f"crafted/{c}.pcap": ["-d", "tcp.port==9000,fcgi"] for c in (
    "bad-nv", "getvalues", "huge-split-nv", "ids", "long-nv", "midstream", "multi-in-one", "odd",
    "split-nv", "split-nv-length", "truncated", "truncated-tail", "unknown-type", "version2")})


@pytest.mark.parametrize("name", sorted(AGREE_ARGS))
def test_one_and_two_passes_agree(name):
    """Everything but the forward links (fcgi.response_in, fcgi.reassembled.in,
    fcgi.next_request_in) and what only the end of the capture tells (a request
    that never ended) is the same whether frames are dissected once or twice."""
    wanted = ["frame.number", "_ws.col.Info", "fcgi.request.method", "fcgi.request.uri", "fcgi.nv_name",
              "fcgi.response.code", "fcgi.request_in", "fcgi.time", "fcgi.response.time", "fcgi.stderr",
              "fcgi.request.number", "fcgi.prev_request_in", "fcgi.skipped", "_ws.expert.message"]
    once = fields(name, *wanted, filter="fcgi", args=AGREE_ARGS[name])
    twice = fields(name, *wanted, filter="fcgi", args=AGREE_ARGS[name], two_pass=True)
    for row in twice:
        row[-1] = ",".join(m for m in row[-1].split(",") if m != UNFINISHED)
    assert once == twice


# capture -> number of FCGI_BEGIN_REQUEST records in it.  (phpfpm-reject.pcap
# runs on port 9009, which Wireshark gives to JDWP: Decode As is needed there,
# with or without the plugin.)
BEGINS = {"apache-phpfpm.pcap": 4, "cgifcgi-fcgiwrap.pcap": 3, "go-multiplex.pcap": 3, "nginx-keepalive.pcap": 14,
          "nginx-phpfpm.pcap": 6, "phpfpm-big.pcap": 2, "phpfpm-getvalues.pcap": 1, "unix-socket.pcap": 3,
          "lighttpd-phpcgi.pcap": 6, "phpfpm-gap20k.pcap": 3, "phpfpm-gap300k.pcap": 3,
          "nginx-abort.pcap": 3, "apache-abort.pcap": 2, "lighttpd-abort.pcap": 2}


@pytest.mark.parametrize("name", sorted(BEGINS))
def test_heuristic_finds_every_real_capture(name):
    """No -d at all: the heuristic finds each capture's requests, on any port."""
    assert len(fields(name, "frame.number", filter="fcgi.type == 1")) == BEGINS[name]


def test_request_fields_of_a_form_post():
    row = fields("nginx-phpfpm.pcap", "fcgi.request.method", "fcgi.request.uri", "fcgi.request.script_filename",
                 "fcgi.request.query_string", "fcgi.request.host", "fcgi.request.content_type",
                 "fcgi.request.content_length", "fcgi.request.remote_addr", "fcgi.begin_request.role",
                 "fcgi.request.body", filter="frame.number == 24")[0]
    assert row == ["POST", "/form.php", "/tmp/fcgi-captures/www/form.php", "", "127.0.0.1",
                   "application/x-www-form-urlencoded", "17", "127.0.0.1", "1",
                   b"name=alice&age=30".hex()]


def test_form_body_goes_to_the_urlencoded_dissector():
    assert fields("nginx-phpfpm.pcap", "urlencoded-form.key", "urlencoded-form.value",
                  filter="frame.number == 24") == [["name,age", "alice,30"]]


def test_json_response_goes_to_the_json_dissector():
    assert fields("nginx-phpfpm.pcap", "json.member", "json.value.string", "json.value.number",
                  filter="frame.number == 16") == [["ok,server,items,query", "php-fpm,", "1,2,3"]]


def test_html_response_is_line_based_text():
    out = tshark("-r", capture("nginx-phpfpm.pcap"), "-V", "-Y", "frame.number == 6")
    assert "Line-based text data: text/html (" in out


def test_response_headers_and_redirect():
    assert fields("nginx-phpfpm.pcap", "fcgi.response.header", "fcgi.response.location",
                  "fcgi.response.code", "fcgi.response.phrase", filter="frame.number == 36") == [[
        "Status: 302 Found,X-Powered-By: PHP/8.2.36,Location: /index.php,Content-type: text/html; charset=UTF-8",
        "/index.php", "302", "Found"]]


def test_bare_location_means_302():
    """cgi-fcgi's redirect case is covered by the crafted captures; php sets Status itself.
    A CGI response without Status and without Location is 200 (generated field)."""
    assert fields("cgifcgi-fcgiwrap.pcap", "fcgi.response.header", "fcgi.response.code",
                  filter="frame.number == 10", args=PORT_ARGS["cgifcgi-fcgiwrap.pcap"]) == [
        ["Content-Type: text/plain", "200"]]


def test_stderr_per_request():
    assert fields("nginx-phpfpm.pcap", "fcgi.stderr", filter="fcgi.stderr") == [
        ["PHP message: stderr500.php: something went wrong (error_log)"]]


def test_big_response_spans_many_records_and_segments():
    row = fields("phpfpm-big.pcap", "frame.number", "fcgi.reassembled.length", "fcgi.fragment.count",
                 "fcgi.response.code", "fcgi.response.content_length", filter="fcgi.response.code",
                 args=PORT_ARGS["phpfpm-big.pcap"])
    # One fragment per STDOUT data record (php-fpm ends the stream with
    # FCGI_END_REQUEST, which adds none).
    assert row[0] == ["20", "200092", "5", "200", "200000"]


def test_gzip_body_is_shown_uncompressed():
    out = tshark("-r", capture("phpfpm-big.pcap"), "-V", "-Y", "frame.number == 28",
                 *PORT_ARGS["phpfpm-big.pcap"])
    assert "Line-based text data: text/plain (200 lines)" in out
    assert "gzip line 199: FastCGI test payload" in out


def test_multiplexed_info_names_the_request():
    """Each request shows where its method and URI have arrived (PARAMS 1 and 3
    are split over two records), its status where the CGI headers are; every
    record with its id in brackets, which cannot be read as a count."""
    assert info("go-multiplex.pcap", filter="fcgi.type == 4 or fcgi.response.code",
                args=PORT_ARGS["go-multiplex.pcap"]) == {
        13: "PARAMS[1]",
        14: "GET /fast?name=two&sleep=100 [PARAMS[2]]",
        17: "GET /slow?name=one&sleep=300 [PARAMS[1]]",
        19: "PARAMS[3]",
        20: "PARAMS[2] end",
        24: "POST /post?name=three&sleep=200 [PARAMS[3]]",
        25: "PARAMS[1] end",
        27: "PARAMS[3] end",
        38: "200 OK (text/plain) [STDOUT[2] end]",
        43: "200 OK (text/plain) [STDOUT[3] end]",
        48: "200 OK (text/plain) [STDOUT[1] end]",
    }


def test_keepalive_reuses_one_connection_and_request_id():
    rows = fields("nginx-keepalive.pcap", "tcp.stream", "fcgi.id", filter="fcgi.type == 1",
                  args=PORT_ARGS["nginx-keepalive.pcap"])
    assert len(rows) == 14
    assert {(stream, rid) for stream, ids in rows for rid in ids.split(",")} == {("0", "1")}


def test_apache_late_stdin_end_belongs_to_its_request():
    """Apache ends STDIN after the response; no 'never begun' warning for it."""
    assert fields("apache-phpfpm.pcap", "frame.number", "fcgi.response_in", "_ws.expert.message",
                  filter="frame.number == 29", args=PORT_ARGS["apache-phpfpm.pcap"], two_pass=True) == [
        ["29", "26", ""]]


def test_slowest_requests_as_in_the_readme():
    out = tshark("-r", capture("go-multiplex.pcap"), "-Y", "fcgi.time", "-T", "fields",
                 "-e", "fcgi.response_for.uri", "-e", "fcgi.time", *PORT_ARGS["go-multiplex.pcap"])
    rows = sorted((line.split("\t") for line in out.splitlines()), key=lambda r: -float(r[1]))
    assert rows[0] == ["/slow?name=one&sleep=300", "0.588191000"]
