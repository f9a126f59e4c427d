"""Records, name-value pairs and malformed input, on crafted captures
(captures/craft.py makes them; captures/crafted/README.md says what each holds)."""
import pytest

from conftest import fields, info

D9000 = ["-d", "tcp.port==9000,fcgi"]


def one(capture, frame, *names, args=(), two_pass=False):
    rows = fields(capture, *names, filter=f"frame.number=={frame}", args=args, two_pass=two_pass)
    assert len(rows) == 1
    return rows[0]


# capture -> {frame: Info}, every FastCGI frame of the capture.  The request
# line appears where method and URI have arrived; each record shows its
# request id in brackets.  midstream.pcap starts with a STDOUT record of body
# bytes and its end: not evidence enough to claim the connection, which is
# found at the next segment, its END_REQUEST.
INFO = {
    "crafted/split-nv.pcap": {
        4: 'BEGIN_REQUEST[1]',
        5: 'GET /index.php?x=1 [PARAMS[1]]',
        6: 'PARAMS[1]',
        7: 'PARAMS[1] end',
        8: 'STDIN[1] end',
        10: 'STDOUT[1]',
        11: '200 OK (text/html) [STDOUT[1] end]',
        12: 'END_REQUEST[1]',
    },
    "crafted/multi-in-one.pcap": {
        4: 'GET /index.php?x=1 [BEGIN_REQUEST[1], PARAMS[1], PARAMS[1], PARAMS[1] end, STDIN[1] end]',
        6: '200 OK (text/html) [STDOUT[1], STDOUT[1] end, END_REQUEST[1]]',
        14: 'GET /index.php?x=1 [BEGIN_REQUEST[1], PARAMS[1], PARAMS[1] end, STDIN[1] end]',
        65: '200 OK (text/plain) [STDOUT[1], STDOUT[1] end, END_REQUEST[1]]',
    },
    "crafted/getvalues.pcap": {
        4: 'GET_VALUES[0]',
        6: 'GET_VALUES_RESULT[0]',
    },
    "crafted/midstream.pcap": {
        3: 'END_REQUEST[1]',
        5: 'BEGIN_REQUEST[1]',
        6: 'GET /index.php?x=1 [PARAMS[1]]',
        7: 'PARAMS[1] end',
        8: 'STDIN[1] end',
        10: 'STDOUT[1]',
        11: '200 OK (text/html) [STDOUT[1] end]',
        12: 'END_REQUEST[1]',
    },
    "crafted/bad-nv.pcap": {
        4: 'BEGIN_REQUEST[1]',
        5: 'PARAMS[1]',
        6: 'GET [PARAMS[1] end]',
        7: 'STDIN[1] end',
        9: 'STDOUT[1]',
        10: '200 OK (text/html) [STDOUT[1] end]',
        11: 'END_REQUEST[1]',
    },
}


@pytest.mark.parametrize("capture", sorted(INFO))
@pytest.mark.parametrize("two_pass", [False, True])
def test_info_column_lists_every_record(capture, two_pass):
    assert info(capture, two_pass=two_pass) == INFO[capture]


def test_split_pair_is_shown_once_and_whole():
    """SCRIPT_FILENAME's value is split across the PARAMS records of frames 5 and 6:
    each pair is shown in the record that completes it, the split one in frame 6
    pointing to frame 5 where it began."""
    rows = fields("crafted/split-nv.pcap", "frame.number", "fcgi.nv_name", "fcgi.nv_value", "fcgi.nv_begun_in",
                  filter="fcgi.nv_name")
    assert rows == [
        ["5", "REQUEST_METHOD,REQUEST_URI,SCRIPT_NAME", "GET,/index.php?x=1,/index.php", ""],
        ["6", "SCRIPT_FILENAME,QUERY_STRING,HTTP_HOST,REMOTE_ADDR",
         "/var/www/html/index.php,x=1,example.test,127.0.0.1", "5"],
    ]


def test_filters_on_pairs_select_the_frames_that_carry_them():
    """fcgi.nv_name selects the frame whose record carries the pair, as the built-in's does."""
    assert fields("crafted/split-nv.pcap", "frame.number", filter='fcgi.nv_name == "REQUEST_URI"') == [["5"]]
    assert fields("nginx-keepalive.pcap", "frame.number", filter='fcgi.nv_name == "REQUEST_URI"',
                  args=["-d", "tcp.port==9003,fcgi"]) == [[str(f)] for f in
                                                           (4, 8, 11, 14, 17, 20, 23, 26, 29, 32, 35, 38, 41, 44)]


def test_split_pair_frames_link_to_the_reassembly():
    rows = fields("crafted/split-nv.pcap", "frame.number", "fcgi.reassembled.in",
                  filter="fcgi.reassembled.in", two_pass=True)
    assert rows == [["10", "11"]]


def test_pair_longer_than_kept_is_skipped_and_the_stream_goes_on():
    """X_HUGE (1,100,000 bytes over 17 PARAMS records) is longer than the
    1 MiB the dissector keeps of a split pair (FCGI_MAX_SPLIT_PAIR): not
    kept, one expert info where it ends, and the pair after it decodes."""
    rows = fields("crafted/huge-split-nv.pcap", "frame.number", "fcgi.nv_name", "_ws.expert.message",
                  filter="fcgi.nv_name or fcgi.nv.too_long")
    assert rows == [
        ["50", "REQUEST_METHOD,REQUEST_URI", ""],
        ["794", "SCRIPT_NAME", "Name-value pair of 1100011 bytes begun in frame 50: "
                               "longer than the 1048576 bytes kept, not shown"],
    ]
    assert info("crafted/huge-split-nv.pcap")[797] == "200 OK (text/html) [STDOUT[1] end]"


def test_pair_whose_length_is_cut_by_a_record_end():
    """X_CUT's 4-byte value length is cut after two bytes by the end of
    PARAMS record 1 and the pair goes on over records 2 and 3: its lengths
    come from the bytes kept, not from record 2 alone (which would read a
    ~16 MB name), so it is shown whole where it completes and the pairs
    after it decode."""
    rows = fields("crafted/split-nv-length.pcap", "frame.number", "fcgi.nv_name", "fcgi.nv_begun_in",
                  "_ws.expert.message", filter="fcgi.nv_name or fcgi.nv.overrun or fcgi.nv.too_long")
    assert rows == [["4", "REQUEST_METHOD", "", ""], ["27", "X_CUT,REQUEST_URI,SCRIPT_NAME", "4", ""]]
    assert fields("crafted/split-nv-length.pcap", "frame.number",
                  filter="len(fcgi.nv_value) == 33024") == [["27"]]
    assert info("crafted/split-nv-length.pcap")[27] == "GET /cut [PARAMS[1], PARAMS[1] end, STDIN[1] end]"


def test_four_byte_lengths():
    """A 200-byte name and a 1000-byte value use the 4-byte length (spec 3.4);
    the pairs after them still decode."""
    names, values = one("crafted/long-nv.pcap", 5, "fcgi.nv_name", "fcgi.nv_value")
    assert names.split(",") == ["REQUEST_METHOD", "X_LONG_NAME_" + "N" * 188, "SHORT"]
    assert values.split(",") == ["GET", "v" * 1000, "abc"]
    assert fields("crafted/long-nv.pcap", "frame.number",
                  filter="len(fcgi.nv_value) == 1000 && len(fcgi.nv_name) == 200") == [["5"]]


# GET_VALUES and its result: capture -> frame -> (names, values, numbers)
GET_VALUES = [
    ("crafted/getvalues.pcap", 4, "FCGI_MAX_CONNS,FCGI_MAX_REQS,FCGI_MPXS_CONNS", ",,", ["", "", ""]),
    ("crafted/getvalues.pcap", 6, "FCGI_MAX_CONNS,FCGI_MAX_REQS,FCGI_MPXS_CONNS", "10,50,1", ["10", "50", "1"]),
    ("go-multiplex.pcap", 6, "FCGI_MPXS_CONNS", "1", ["", "", "1"]),
    ("phpfpm-getvalues.pcap", 6, "FCGI_MPXS_CONNS", "0", ["", "", "0"]),
]


@pytest.mark.parametrize("capture,frame,names,values,numbers", GET_VALUES)
def test_get_values(capture, frame, names, values, numbers):
    row = one(capture, frame, "fcgi.nv_name", "fcgi.nv_value", "fcgi.values.max_conns",
              "fcgi.values.max_reqs", "fcgi.values.mpxs_conns")
    assert row == [names, values] + numbers


def test_unknown_type_and_undefined_types():
    rows = fields("crafted/unknown-type.pcap", "frame.number", "fcgi.type", "fcgi.unknown_type.type",
                  "fcgi.content.data", "fcgi.padding.data", "_ws.col.Info", filter="fcgi", args=D9000)
    assert rows == [["4", "20", "", "68656c6c6f", "", "TYPE_20[0]"],
                    ["6", "11", "20", "", "", "UNKNOWN_TYPE[0]"],
                    ["8", "200", "", "deadbeef", "00000000", "TYPE_200[1]"]]


def test_end_of_stream_is_labelled():
    rows = fields("crafted/split-nv.pcap", "frame.number", "fcgi.type", filter="fcgi.end_of_stream")
    assert rows == [["7", "4"], ["8", "5"], ["11", "6"]]


def test_max_size_record_over_many_segments_dissected_once():
    rows = fields("crafted/multi-in-one.pcap", "frame.number", "fcgi.content.length", "fcgi.padding.length",
                  filter="fcgi.content.length==65535")
    assert rows == [["65", "65535,0,8", "255,0,0"]]


def test_stderr_is_text_once():
    """A STDERR record's content is one text field, not also bytes."""
    assert one("crafted/ids.pcap", 25, "fcgi.stderr", "fcgi.content.data", args=D9000) == \
        ["PHP Warning: something", ""]


# php-fpm and php-cgi leave bytes of their buffer in FCGI_END_REQUEST's reserved
# bytes: a Chat, not a Warning.
PHP_RESERVED = "Reserved bytes of FCGI_END_REQUEST are not zero (php-fpm and php-cgi leave bytes of their buffer there)"

# Expert infos: capture, extra args, frame, expected messages (exactly).
EXPERT = [
    # A record header of version 2 cannot start a FastCGI 1.0 record (spec 3.3).
    ("crafted/version2.pcap", D9000, 4,
     "16 bytes that are not a FastCGI 1.0 record where a record header was expected (version 2, type 1)"),
    ("crafted/version2.pcap", D9000, 5, "Record for a request that was never begun with FCGI_BEGIN_REQUEST"),
    ("crafted/version2.pcap", D9000, 13, "Reserved bytes are not zero"),
    ("crafted/version2.pcap", D9000, 14, "Reserved bytes are not zero"),
    ("crafted/unknown-type.pcap", D9000, 4, "Record type 20 is not defined by FastCGI 1.0"),
    ("crafted/unknown-type.pcap", D9000, 6, "The application does not understand record type 20"),
    ("crafted/unknown-type.pcap", D9000, 8, "Record type 200 is not defined by FastCGI 1.0"),
    ("crafted/ids.pcap", D9000, 4, "Application record with the null request id 0 (spec 3.3)"),
    ("crafted/ids.pcap", D9000, 5, "Management record with a non-zero request id (spec 3.3)"),
    ("crafted/ids.pcap", D9000, 7, "Record for a request that was never begun with FCGI_BEGIN_REQUEST"),
    ("crafted/ids.pcap", D9000, 12, "The web server aborted the request"),
    ("crafted/ids.pcap", D9000, 18, "The application rejected the request: FCGI_OVERLOADED"),
    ("crafted/ids.pcap", D9000, 25, "The application wrote to FCGI_STDERR"),
    ("crafted/ids.pcap", D9000, 28, "The application exited with status 255"),
    ("crafted/midstream.pcap", [], 3, "Record for a request that began before the capture"),
    # PARAMS is a stream (spec 5.2): a pair may go on in the next record, but not past the stream's end.
    ("crafted/bad-nv.pcap", [], 6, "Name-value pair begun in frame 5 runs past the end of the PARAMS stream"),
    ("crafted/truncated.pcap", ["-o", "tcp.desegment_tcp_streams:FALSE"], 11,
     "Record truncated: 1000 content and 0 padding bytes announced, 300 captured"),
    # php-fpm leaves buffer garbage in FCGI_END_REQUEST's reserved bytes at times.
    # Cut by the end of the capture after a complete record: not shown, as by every dissector
    # on TCP and in both passes; the request never ended (known on the second pass).
    ("crafted/truncated-tail.pcap", ["-2"], 9,
     "The request never ended in the capture (no FCGI_END_REQUEST): its last record"),
    ("crafted/odd.pcap", D9000, 10,
     "Status header without a three-digit status code,CGI header line without a colon"),
    ("crafted/odd.pcap", D9000, 11, "STDOUT record after the end of the request's STDOUT stream"),
    ("crafted/odd.pcap", D9000, 14, "Management variable value is not a number"),
    ("crafted/odd.pcap", D9000, 16, "Content length is 6; the body of this record type is 8 bytes"),
    ("nginx-phpfpm.pcap", [], 46, "Client error: 404 Not Found," + PHP_RESERVED),
    ("nginx-phpfpm.pcap", [], 56, "The application wrote to FCGI_STDERR,Server error: 500 Internal Server Error"),
    ("apache-phpfpm.pcap", ["-d", "tcp.port==9001,fcgi"], 45, PHP_RESERVED),
]


@pytest.mark.parametrize("capture,args,frame,messages", EXPERT)
def test_expert_info(capture, args, frame, messages):
    assert one(capture, frame, "_ws.expert.message", args=args) == [messages]


def test_frames_without_expert_info():
    """Only the frames listed above carry an expert info (midstream's later request is clean)."""
    rows = fields("crafted/midstream.pcap", "frame.number", filter="_ws.expert && fcgi")
    assert rows == [["3"]]


def test_malformed_pair_does_not_stop_the_next_records():
    rows = fields("crafted/bad-nv.pcap", "frame.number", "fcgi.type", filter="frame.number>=6 && fcgi")
    assert rows == [["6", "4"], ["7", "5"], ["9", "6"], ["10", "6"], ["11", "3"]]


def test_body_reassembly_can_be_turned_off():
    """Without body reassembly the CGI headers come from the first STDOUT record
    and the big response is not reassembled; a stream whose single record is in
    the same frame as its end is shown record by record too."""
    args = ["-d", "tcp.port==9005,fcgi", "-o", "fcgi.reassemble_bodies:FALSE"]
    rows = fields("phpfpm-big.pcap", "frame.number", "fcgi.response.code", "fcgi.reassembled.length",
                  "_ws.col.Info", filter="fcgi.response.code or fcgi.reassembled.length", args=args)
    assert rows == [
        ["6", "200", "", "200 OK (text/plain) [STDOUT[1]]"],
        ["28", "200", "", "200 OK (text/plain) [STDOUT[1], END_REQUEST[1]]"],
    ]


def test_regression_breaking_body_keeps_the_columns():
    """fuzz/regressions: a body whose dissector throws (a 3-byte DNS message)
    used to leave the columns read-only, so later records fell out of Info."""
    from conftest import ROOT, staged, tshark
    pcap = staged(str(ROOT / "fuzz" / "regressions" / "media-exception-info-readonly.pcap"))
    out = tshark("-r", pcap, "-V", "-P", "-Y", "frame.number == 5")
    assert "200 OK (application/dns-message) [STDOUT[1], STDOUT[1] end, END_REQUEST[1]]" in out
    assert "[Malformed Packet: DNS]" in out


def test_filter_on_a_management_value_alone():
    """fcgi.values.* and their expert infos exist even when no pair field is asked for."""
    assert fields("crafted/getvalues.pcap", "frame.number", filter="fcgi.values.max_conns == 10") == [["6"]]
    assert fields("crafted/odd.pcap", "frame.number", filter="fcgi.values.not_number", args=D9000) == [["14"]]
