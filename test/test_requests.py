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
}

# Every request of every capture, in the order they end:
# (BEGIN_REQUEST frame, END_REQUEST frame, method, URI, script, status, phrase,
#  response Content-Type, fcgi.time)
REQUESTS = {
    'nginx-phpfpm.pcap': [
        (4, 6, 'GET', '/index.php?name=abc', '/index.php', 200, 'OK', 'text/html; charset=UTF-8', '0.004015000'),
        (14, 16, 'GET', '/json.php', '/json.php', 200, 'OK', 'application/json', '0.002932000'),
        (24, 26, 'POST', '/form.php', '/form.php', 200, 'OK', 'text/plain; charset=UTF-8', '0.000724000'),
        (34, 36, 'GET', '/redirect.php', '/redirect.php', 302, 'Found', 'text/html; charset=UTF-8', '0.000600000'),
        (44, 46, 'GET', '/notfound.php', '/notfound.php', 404, 'Not Found', 'text/plain;charset=UTF-8', '0.000494000'),
        (54, 56, 'GET', '/stderr500.php', '/stderr500.php', 500, 'Internal Server Error', 'text/plain;charset=UTF-8', '0.001034000'),
    ],
    'apache-phpfpm.pcap': [
        (4, 12, 'GET', '/index.php?name=apache', '/index.php', 200, 'OK', 'text/html; charset=UTF-8', '0.002787000'),
        (20, 26, 'GET', '/json.php?x=1&y=2', '/json.php', 200, 'OK', 'application/json', '0.002624000'),
        (35, 45, 'POST', '/form.php', '/form.php', 200, 'OK', 'text/plain; charset=UTF-8', '0.000773000'),
        (53, 61, 'GET', '/notfound.php', '/notfound.php', 404, 'Not Found', 'text/plain;charset=UTF-8', '0.000857000'),
    ],
    'cgifcgi-fcgiwrap.pcap': [
        (4, 10, 'GET', '/hello.sh?x=1&y=two', '/hello.sh', 200, 'OK', 'text/plain', '0.004547000'),
        (18, 26, 'GET', '/stderr.sh', '/stderr.sh', 500, 'Internal Server Error', 'text/plain', '0.004938000'),
        (34, 40, 'POST', '/echo.sh', '/echo.sh', 200, 'OK', 'text/plain', '0.010419000'),
    ],
    'nginx-keepalive.pcap': [
        (4, 6, 'GET', '/index.php?name=1', '/index.php', 200, 'OK', 'text/html; charset=UTF-8', '0.003457000'),
        (8, 9, 'GET', '/index.php?name=2', '/index.php', 200, 'OK', 'text/html; charset=UTF-8', '0.000723000'),
        (11, 12, 'GET', '/index.php?name=3', '/index.php', 200, 'OK', 'text/html; charset=UTF-8', '0.000588000'),
        (14, 15, 'GET', '/index.php?name=4', '/index.php', 200, 'OK', 'text/html; charset=UTF-8', '0.000500000'),
        (17, 18, 'GET', '/index.php?name=5', '/index.php', 200, 'OK', 'text/html; charset=UTF-8', '0.000731000'),
        (20, 21, 'GET', '/index.php?name=6', '/index.php', 200, 'OK', 'text/html; charset=UTF-8', '0.000391000'),
        (23, 24, 'GET', '/index.php?name=7', '/index.php', 200, 'OK', 'text/html; charset=UTF-8', '0.000660000'),
        (26, 27, 'GET', '/index.php?name=8', '/index.php', 200, 'OK', 'text/html; charset=UTF-8', '0.000569000'),
        (29, 30, 'GET', '/index.php?name=9', '/index.php', 200, 'OK', 'text/html; charset=UTF-8', '0.000672000'),
        (32, 33, 'GET', '/index.php?name=10', '/index.php', 200, 'OK', 'text/html; charset=UTF-8', '0.000699000'),
        (35, 36, 'GET', '/json.php?page=2', '/json.php', 200, 'OK', 'application/json', '0.001130000'),
        (38, 39, 'POST', '/form.php', '/form.php', 200, 'OK', 'text/plain; charset=UTF-8', '0.000896000'),
        (41, 42, 'GET', '/redirect.php', '/redirect.php', 302, 'Found', 'text/html; charset=UTF-8', '0.000536000'),
        (44, 45, 'GET', '/notfound.php', '/notfound.php', 404, 'Not Found', 'text/plain;charset=UTF-8', '0.000488000'),
    ],
    'go-multiplex.pcap': [
        (11, 39, 'GET', '/fast?name=two&sleep=100', '/fast', 200, 'OK', 'text/plain; charset=utf-8', '0.346696000'),
        (16, 44, 'POST', '/post?name=three&sleep=200', '/post', 200, 'OK', 'text/plain; charset=utf-8', '0.447619000'),
        (10, 49, 'GET', '/slow?name=one&sleep=300', '/slow', 200, 'OK', 'text/plain; charset=utf-8', '0.588191000'),
    ],
    'phpfpm-big.pcap': [
        (4, 20, 'GET', '/big.php', '/big.php', 200, 'OK', 'text/plain;charset=UTF-8', '0.007459000'),
        (26, 28, 'GET', '/gzip.php', '/gzip.php', 200, 'OK', 'text/plain;charset=UTF-8', '0.004746000'),
    ],
    'phpfpm-getvalues.pcap': [
        (8, 9, 'GET', '/index.php?name=raw', '/index.php', 200, 'OK', 'text/html; charset=UTF-8', '0.002793000'),
    ],
    'unix-socket.pcap': [
        (4, 6, 'GET', '/index.php?name=unix', '/index.php', 200, 'OK', 'text/html; charset=UTF-8', '0.004607000'),
        (14, 16, 'GET', '/json.php', '/json.php', 200, 'OK', 'application/json', '0.004588000'),
        (24, 26, 'POST', '/form.php', '/form.php', 200, 'OK', 'text/plain; charset=UTF-8', '0.005488000'),
    ],
}


def request_rows(name, two_pass):
    """The table above as the plugin reports it, from one tshark run."""
    frames = fields(name, "frame.number", "tcp.stream", "fcgi.id", "fcgi.request.method", "fcgi.request.uri",
                    "fcgi.request.script_name", "fcgi.response.code", "fcgi.response.phrase",
                    "fcgi.response.content_type", "fcgi.request_in", "fcgi.time", filter="fcgi",
                    args=PORT_ARGS[name], two_pass=two_pass)
    rows = []
    for end, stream, ids, _, _, _, _, _, _, begin, time in frames:
        if not time:
            continue
        (rid,) = set(ids.split(","))
        # The request line is in the frame that completes PARAMS on that
        # connection with that id, between BEGIN and END.
        (method, uri, script), = [f[3:6] for f in frames
                                  if f[3] and f[1] == stream and rid in f[2].split(",")
                                  and int(begin) <= int(f[0]) <= int(end)]
        (code, phrase, ctype), = [f[6:9] for f in frames if f[6] and f[9] == begin and f[1] == stream]
        rows.append((int(begin), int(end), method, uri, script, int(code), phrase, ctype, time))
    return rows


@pytest.mark.parametrize("name", sorted(REQUESTS))
@pytest.mark.parametrize("two_pass", [False, True])
def test_requests(name, two_pass):
    assert request_rows(name, two_pass) == REQUESTS[name]


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_response_in_on_every_request_frame(name):
    """With a second pass every frame of a request links to its FCGI_END_REQUEST."""
    args = PORT_ARGS[name]
    for begin, end, *_ in REQUESTS[name]:
        rows = fields(name, "frame.number", "fcgi.response_in", two_pass=True, args=args,
                      filter=f"fcgi.response_in == {end}")
        assert rows and rows[0][0] == str(begin)


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_one_and_two_passes_agree(name):
    """Everything but the forward links (fcgi.response_in, fcgi.reassembled.in) is the
    same whether frames are dissected once or twice."""
    wanted = ["frame.number", "_ws.col.Info", "fcgi.request.method", "fcgi.request.uri",
              "fcgi.response.code", "fcgi.request_in", "fcgi.time", "fcgi.stderr", "_ws.expert.message"]
    once = fields(name, *wanted, filter="fcgi", args=PORT_ARGS[name])
    twice = fields(name, *wanted, filter="fcgi", args=PORT_ARGS[name], two_pass=True)
    assert once == twice


def test_heuristic_finds_every_real_capture():
    """No -d at all: the heuristic finds each capture's requests, on any port."""
    for name, reqs in REQUESTS.items():
        begins = fields(name, "frame.number", filter="fcgi.type == 1")
        assert len(begins) == len(reqs), name


def test_request_fields_of_a_form_post():
    row = fields("nginx-phpfpm.pcap", "fcgi.request.method", "fcgi.request.uri", "fcgi.request.script_filename",
                 "fcgi.request.query_string", "fcgi.request.host", "fcgi.request.content_type",
                 "fcgi.request.content_length", "fcgi.request.remote_addr", "fcgi.request.role",
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
    row = fields("phpfpm-big.pcap", "frame.number", "fcgi.stream.length", "fcgi.fragment.count",
                 "fcgi.response.code", filter="fcgi.response.code", args=PORT_ARGS["phpfpm-big.pcap"])
    assert row[0] == ["20", "200092", "6", "200"]


def test_gzip_body_is_shown_uncompressed():
    out = tshark("-r", capture("phpfpm-big.pcap"), "-V", "-Y", "frame.number == 28",
                 *PORT_ARGS["phpfpm-big.pcap"])
    assert "Line-based text data: text/plain (200 lines)" in out
    assert "gzip line 199: FastCGI test payload" in out


def test_multiplexed_info_names_the_request():
    assert info("go-multiplex.pcap", filter="fcgi.request.method or fcgi.response.code",
                args=PORT_ARGS["go-multiplex.pcap"]) == {
        20: "GET /fast?name=two&sleep=100 (request 2) [PARAMS 2 end]",
        25: "GET /slow?name=one&sleep=300 (request 1) [PARAMS 1 end]",
        27: "POST /post?name=three&sleep=200 (request 3) [PARAMS 3 end]",
        38: "200 OK (text/plain) (request 2) [STDOUT 2 end]",
        43: "200 OK (text/plain) (request 3) [STDOUT 3 end]",
        48: "200 OK (text/plain) (request 1) [STDOUT 1 end]",
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
