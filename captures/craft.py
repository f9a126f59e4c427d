#!/usr/bin/env python3
"""Deterministic generator of crafted FastCGI test captures.

Usage:  python3 captures/craft.py          (no arguments)

Writes classic pcap files (magic a1b2c3d4, v2.4, linktype 1 = Ethernet) into
captures/crafted/ next to this script, plus captures/crafted/README.md, which is
generated from the per-capture comment blocks below together with a computed
frame -> record map.  Only the Python standard library is used; all "random"
bytes come from random.Random with fixed seeds, all timestamps start at the
fixed epoch 1700000000 and advance by 1 ms per frame, so the output is
byte-for-byte reproducible.

Every TCP conversation is 127.0.0.1:CLIENTPORT <-> 127.0.0.1:SERVERPORT with
correct IPv4 header checksums, TCP checksums, seq/ack numbers, a 3-way
handshake (unless stated otherwise), ACKs back from the receiving side and a
FIN/FIN-ACK/ACK close (unless stated otherwise).

FastCGI reference: FastCGI 1.0 specification
(/usr/share/doc/libfcgi-dev/fcgi-spec.html).
"""

import base64
import os
import random
import struct

OUTDIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "crafted")

EPOCH = 1700000000          # fixed capture start (seconds)
TICK_US = 1000              # 1 ms between consecutive frames
MSS = 1460
WINDOW = 65535

# --------------------------------------------------------------------------
# FastCGI constants and record builders
# --------------------------------------------------------------------------

FCGI_VERSION_1 = 1

FCGI_BEGIN_REQUEST = 1
FCGI_ABORT_REQUEST = 2
FCGI_END_REQUEST = 3
FCGI_PARAMS = 4
FCGI_STDIN = 5
FCGI_STDOUT = 6
FCGI_STDERR = 7
FCGI_DATA = 8
FCGI_GET_VALUES = 9
FCGI_GET_VALUES_RESULT = 10
FCGI_UNKNOWN_TYPE = 11

TYPE_NAMES = {
    1: "BEGIN_REQUEST", 2: "ABORT_REQUEST", 3: "END_REQUEST", 4: "PARAMS",
    5: "STDIN", 6: "STDOUT", 7: "STDERR", 8: "DATA", 9: "GET_VALUES",
    10: "GET_VALUES_RESULT", 11: "UNKNOWN_TYPE",
}

FCGI_RESPONDER = 1
FCGI_AUTHORIZER = 2
FCGI_FILTER = 3

FCGI_KEEP_CONN = 1

FCGI_REQUEST_COMPLETE = 0
FCGI_CANT_MPX_CONN = 1
FCGI_OVERLOADED = 2
FCGI_UNKNOWN_ROLE = 3


def record(rtype, req_id, content=b"", padding=0, version=FCGI_VERSION_1,
           reserved=0, content_length=None, pad_byte=b"\x00"):
    """One FastCGI record: 8-byte header + content + padding.

    content_length overrides the length written in the header (used for the
    truncated capture, where the header announces more than is sent)."""
    clen = len(content) if content_length is None else content_length
    hdr = struct.pack(">BBHHBB", version, rtype, req_id, clen, padding,
                      reserved)
    return hdr + content + pad_byte * padding


def align8(content_len):
    """Padding that rounds content up to a multiple of 8 (spec recommends)."""
    return (8 - content_len % 8) % 8


def nv_len(n, force4=False):
    """Name/value length: 1 byte if < 128 (and not forced), else 4 bytes BE
    with the high bit set (31-bit length)."""
    if n < 128 and not force4:
        return struct.pack(">B", n)
    return struct.pack(">I", n | 0x80000000)


def nv(name, value, name4=False, value4=False):
    """One name-value pair. name/value may be str or bytes."""
    if isinstance(name, str):
        name = name.encode()
    if isinstance(value, str):
        value = value.encode()
    return nv_len(len(name), name4) + nv_len(len(value), value4) + name + value


def nv_pairs(pairs):
    return b"".join(nv(n, v) for n, v in pairs)


def begin_body(role=FCGI_RESPONDER, flags=0, reserved=b"\x00" * 5):
    assert len(reserved) == 5
    return struct.pack(">HB", role, flags) + reserved


def end_body(app_status=0, protocol_status=FCGI_REQUEST_COMPLETE):
    return struct.pack(">IB", app_status, protocol_status) + b"\x00" * 3


def unknown_type_body(t):
    return struct.pack(">B", t) + b"\x00" * 7


# Standard CGI params used by most captures (order matters for expectations).
STD_PARAMS = [
    ("REQUEST_METHOD", "GET"),
    ("REQUEST_URI", "/index.php?x=1"),
    ("SCRIPT_NAME", "/index.php"),
    ("SCRIPT_FILENAME", "/var/www/html/index.php"),
    ("QUERY_STRING", "x=1"),
    ("HTTP_HOST", "example.test"),
    ("REMOTE_ADDR", "127.0.0.1"),
]

STD_BODY = b"Content-type: text/html\r\n\r\n<p>hi</p>"   # 36 bytes


def std_request(req_id=1, params=STD_PARAMS, flags=0):
    """BEGIN_REQUEST(responder) + PARAMS + empty PARAMS + empty STDIN."""
    return [
        record(FCGI_BEGIN_REQUEST, req_id, begin_body(FCGI_RESPONDER, flags)),
        record(FCGI_PARAMS, req_id, nv_pairs(params)),
        record(FCGI_PARAMS, req_id),
        record(FCGI_STDIN, req_id),
    ]


def std_response(req_id=1, body=STD_BODY, app_status=0,
                 protocol_status=FCGI_REQUEST_COMPLETE):
    """STDOUT(body, padded to 8) + empty STDOUT + END_REQUEST."""
    return [
        record(FCGI_STDOUT, req_id, body, padding=align8(len(body))),
        record(FCGI_STDOUT, req_id),
        record(FCGI_END_REQUEST, req_id, end_body(app_status, protocol_status)),
    ]


# --------------------------------------------------------------------------
# Packet building (Ethernet / IPv4 / TCP) and pcap writing
# --------------------------------------------------------------------------

def inet_checksum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


LOOPBACK = bytes([127, 0, 0, 1])

TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def build_frame(src_ip, dst_ip, sport, dport, seq, ack, flags, payload,
                ip_id, options=b""):
    assert len(options) % 4 == 0
    doff = (20 + len(options)) // 4
    tcp_nock = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF,
                           ack & 0xFFFFFFFF, doff << 4, flags, WINDOW, 0, 0)
    tcp_nock += options
    seg_len = len(tcp_nock) + len(payload)
    pseudo = src_ip + dst_ip + struct.pack("!BBH", 0, 6, seg_len)
    csum = inet_checksum(pseudo + tcp_nock + payload)
    tcp = tcp_nock[:16] + struct.pack("!H", csum) + tcp_nock[18:]
    total = 20 + seg_len
    ip_nock = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, ip_id & 0xFFFF,
                          0x4000, 64, 6, 0, src_ip, dst_ip)
    ip = ip_nock[:10] + struct.pack("!H", inet_checksum(ip_nock)) + ip_nock[12:]
    eth = b"\x00" * 6 + b"\x00" * 6 + struct.pack("!H", 0x0800)
    return eth + ip + tcp + payload


class PcapFile:
    """Collects frames of one capture file (all conversations share the
    clock and the frame numbering)."""

    def __init__(self, name):
        self.name = name
        self.frames = []          # (ts_us, bytes)
        self.convs = []
        self.ip_id = 0x1000
        self.t_us = 0

    def add(self, frame):
        ts = EPOCH * 1000000 + self.t_us
        self.t_us += TICK_US
        self.frames.append((ts, frame))
        self.ip_id += 1
        return len(self.frames)        # 1-based frame number

    def write(self):
        path = os.path.join(OUTDIR, self.name)
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
            for ts, fr in self.frames:
                f.write(struct.pack("<IIII", ts // 1000000, ts % 1000000,
                                    len(fr), len(fr)))
                f.write(fr)
        return path


class TcpConv:
    """A TCP conversation 127.0.0.1:cport (client 'c') <-> 127.0.0.1:sport
    (server 's').

    send(data, frm='c'|'s', segments=[n1, n2, ...]) sends `data` split into
    segments of the given sizes (any remainder becomes a final segment);
    data may also be a list of byte strings (e.g. records), in which case
    segments=None puts each element in its own segment and coalesce=True
    puts everything in one segment.  segments='mss' splits at MSS (1460).
    After the data the other side sends a pure ACK (ack=True), and with
    ack_every=N also after every N segments.
    """

    def __init__(self, pcap, cport, sport=9000, handshake=True,
                 cisn=None, sisn=None, fcgi=True, label=""):
        self.p = pcap
        self.cport, self.sport = cport, sport
        self.seq = {"c": cisn if cisn is not None else 1000000 + cport * 7,
                    "s": sisn if sisn is not None else 3000000 + cport * 13}
        self.stream = {"c": b"", "s": b""}
        self.log = []               # (frame, frm, start_off, end_off)
        self.notes = {}             # frame -> what the segment carries
        self.fcgi = fcgi
        self.label = label
        self.established = not handshake
        pcap.convs.append(self)
        if handshake:
            self._handshake()

    def other(self, frm):
        return "s" if frm == "c" else "c"

    def _pkt(self, frm, flags, payload=b"", options=b""):
        if frm == "c":
            sp, dp = self.cport, self.sport
        else:
            sp, dp = self.sport, self.cport
        ack = self.seq[self.other(frm)] if flags & TCP_ACK else 0
        fr = build_frame(LOOPBACK, LOOPBACK, sp, dp, self.seq[frm], ack,
                         flags, payload, self.p.ip_id, options)
        return self.p.add(fr)

    def _handshake(self):
        mss_opt = struct.pack("!BBH", 2, 4, MSS)
        self._pkt("c", TCP_SYN, options=mss_opt)
        self.seq["c"] += 1
        self._pkt("s", TCP_SYN | TCP_ACK, options=mss_opt)
        self.seq["s"] += 1
        self._pkt("c", TCP_ACK)
        self.established = True

    def ack(self, frm):
        """Pure ACK sent by side `frm`."""
        return self._pkt(frm, TCP_ACK)

    def send(self, data, frm="c", segments=None, coalesce=False, ack=True,
             ack_every=None, notes=None):
        if isinstance(data, (list, tuple)):
            parts = list(data)
            data = b"".join(parts)
            if segments is None and not coalesce:
                segments = [len(x) for x in parts]
        if segments == "mss":
            segments = [MSS] * (len(data) // MSS)
        if segments is None:
            segments = []
        sizes = [s for s in segments]
        rest = len(data) - sum(sizes)
        assert rest >= 0, "segments longer than data"
        if rest:
            sizes.append(rest)
        off = 0
        frames = []
        for i, n in enumerate(sizes):
            chunk = data[off:off + n]
            start = len(self.stream[frm])
            fno = self._pkt(frm, TCP_PSH | TCP_ACK, chunk)
            self.seq[frm] += n
            self.stream[frm] += chunk
            self.log.append((fno, frm, start, start + n))
            if notes:
                self.notes[fno] = notes
            frames.append(fno)
            off += n
            if ack_every and (i + 1) % ack_every == 0 and i + 1 < len(sizes):
                self.ack(self.other(frm))
        if ack:
            self.ack(self.other(frm))
        return frames

    def close(self, frm="c"):
        """FIN from `frm`, FIN-ACK from the other side, final ACK."""
        o = self.other(frm)
        self._pkt(frm, TCP_FIN | TCP_ACK)
        self.seq[frm] += 1
        self._pkt(o, TCP_FIN | TCP_ACK)
        self.seq[o] += 1
        self._pkt(frm, TCP_ACK)


# --------------------------------------------------------------------------
# Frame -> record map (used for README.md)
# --------------------------------------------------------------------------

def parse_records(stream):
    """Split a byte stream into FastCGI records by their headers.
    Returns list of dicts; the last may be marked incomplete."""
    out = []
    off = 0
    while off < len(stream):
        if len(stream) - off < 8:
            out.append(dict(start=off, end=len(stream), incomplete=True,
                            hdr_incomplete=True))
            break
        ver, typ, rid, clen, pad, res = struct.unpack(
            ">BBHHBB", stream[off:off + 8])
        end = off + 8 + clen + pad
        rec = dict(start=off, end=min(end, len(stream)), ver=ver, type=typ,
                   id=rid, clen=clen, pad=pad, res=res,
                   content=stream[off + 8:off + 8 + clen],
                   incomplete=end > len(stream))
        out.append(rec)
        off = end
    return out


def frame_of(conv, frm, offset):
    for fno, f, s, e in conv.log:
        if f == frm and s <= offset < e:
            return fno
    raise ValueError("offset not in any frame")


def rec_label(r):
    if r.get("hdr_incomplete"):
        return "(incomplete header)"
    name = TYPE_NAMES.get(r["type"], "type%d" % r["type"])
    s = "%s(id=%d" % (name, r["id"])
    s += ",len=%d" % r["clen"]
    if r["pad"]:
        s += ",pad=%d" % r["pad"]
    if r["ver"] != 1:
        s += ",ver=%d" % r["ver"]
    if r["res"]:
        s += ",hdr_reserved=0x%02x" % r["res"]
    s += ")"
    if r["incomplete"]:
        s += " INCOMPLETE"
    return s


def frame_map(pcap):
    """Lines 'frame N (c->s): records completing in this frame'."""
    lines = []
    for conv in pcap.convs:
        if not conv.fcgi:
            continue
        per_frame = {}
        for frm in ("c", "s"):
            for r in parse_records(conv.stream[frm]):
                if r["incomplete"]:
                    fno = frame_of(conv, frm, r["end"] - 1)
                    first = frame_of(conv, frm, r["start"])
                    txt = rec_label(r) + " (starts in frame %d)" % first
                else:
                    fno = frame_of(conv, frm, r["end"] - 1)
                    first = frame_of(conv, frm, r["start"])
                    txt = rec_label(r)
                    if first != fno:
                        txt += " [reassembled, frames %d-%d]" % (first, fno)
                per_frame.setdefault(fno, []).append(txt)
        for fno, frm, s, e in conv.log:
            direction = "c->s" if frm == "c" else "s->c"
            recs = per_frame.get(fno)
            if recs is None:
                recs = ["(no record completes; continuation data)"]
            lines.append((fno, "| %d | %d->%d (%s) | %d | %s |" % (
                fno, conv.cport if frm == "c" else conv.sport,
                conv.sport if frm == "c" else conv.cport, direction,
                e - s, "; ".join(recs))))
    lines.sort()
    return [l for _, l in lines]


# --------------------------------------------------------------------------
# Captures.  Each function's docstring is the comment block describing what
# the capture tests and the exact expected decode; it is copied into
# README.md together with the computed frame map.
# --------------------------------------------------------------------------

CAPTURES = []


def capture(fname, tests, decode):
    def deco(fn):
        CAPTURES.append((fname, tests, decode, fn))
        return fn
    return deco


@capture("split-nv.pcap",
         "Name-value pair split across two PARAMS records (stream semantics)",
         "c->s: BEGIN_REQUEST(1, responder, flags 0), PARAMS(1) [ends inside "
         "SCRIPT_FILENAME value], PARAMS(1) [rest], PARAMS(1) empty, STDIN(1) "
         "empty; s->c: STDOUT(1) 36 B + pad 4, STDOUT(1) empty, "
         "END_REQUEST(1, app 0, REQUEST_COMPLETE). Reassembled params: the 7 "
         "STD_PARAMS incl. SCRIPT_FILENAME=/var/www/html/index.php")
def cap_split_nv(p):
    """
    Client port 50100 -> server port 9000.  Handshake, then each record in
    its own TCP segment.

    PARAMS stream (id 1) = the 7 standard pairs, in order:
        REQUEST_METHOD=GET
        REQUEST_URI=/index.php?x=1
        SCRIPT_NAME=/index.php
        SCRIPT_FILENAME=/var/www/html/index.php
        QUERY_STRING=x=1
        HTTP_HOST=example.test
        REMOTE_ADDR=127.0.0.1
    It is cut into two PARAMS records: record 1 holds the first three pairs
    plus the SCRIPT_FILENAME length bytes (0x0f 0x17), its name and the first
    9 value bytes "/var/www/" (content length 95); record 2 holds the
    remaining value bytes "html/index.php" and the last three pairs
    (content length 76).  A stream-aware decoder must show the pair
    SCRIPT_FILENAME=/var/www/html/index.php (completed in PARAMS record 2);
    record 1 alone ends with an incomplete pair (not a malformed capture).
    Then empty PARAMS (end of params stream), empty STDIN.
    Response: STDOUT "Content-type: text/html\\r\\n\\r\\n<p>hi</p>" (36 bytes,
    padding 4), empty STDOUT, END_REQUEST appStatus 0 protocolStatus 0.
    """
    c = TcpConv(p, 50100)
    params = nv_pairs(STD_PARAMS)
    cut = params.index(b"/var/www/html/index.php") + len(b"/var/www/")
    reqs = [
        record(FCGI_BEGIN_REQUEST, 1, begin_body(FCGI_RESPONDER, 0)),
        record(FCGI_PARAMS, 1, params[:cut]),
        record(FCGI_PARAMS, 1, params[cut:]),
        record(FCGI_PARAMS, 1),
        record(FCGI_STDIN, 1),
    ]
    c.send(reqs, "c")
    c.send(std_response(1), "s")
    c.close()


LONG_NAME = "X_LONG_NAME_" + "N" * (200 - len("X_LONG_NAME_"))
LONG_VALUE = "v" * 1000


@capture("long-nv.pcap",
         "4-byte name/value length encoding (incl. a short value with a "
         "4-byte length)",
         "c->s: BEGIN_REQUEST(1), PARAMS(1) [REQUEST_METHOD=GET, X_LONG_NAME_"
         "NNN..(200 B)=vvv..(1000 B), SHORT=abc (value len 0x80000003)], "
         "PARAMS(1) empty, STDIN(1) empty; s->c: STDOUT(1), STDOUT(1) empty, "
         "END_REQUEST(1, 0, REQUEST_COMPLETE)")
def cap_long_nv(p):
    """
    Client port 50200 -> 9000.  Each record in its own segment.
    PARAMS (id 1, content length 1240, padding 0) contains three pairs:
      1. REQUEST_METHOD=GET          1-byte lengths (0x0e 0x03)
      2. name = "X_LONG_NAME_" + 188 x 'N' (200 bytes, 4-byte length
         80 00 00 c8), value = 1000 x 'v' (4-byte length 80 00 03 e8)
      3. name "SHORT" (1-byte length 0x05), value "abc" with a 4-byte
         length 80 00 00 03 (allowed by the spec)
    Then empty PARAMS, empty STDIN; response as in split-nv.pcap.
    """
    c = TcpConv(p, 50200)
    content = (nv("REQUEST_METHOD", "GET") + nv(LONG_NAME, LONG_VALUE)
               + nv("SHORT", "abc", value4=True))
    reqs = [
        record(FCGI_BEGIN_REQUEST, 1, begin_body(FCGI_RESPONDER, 0)),
        record(FCGI_PARAMS, 1, content, padding=align8(len(content))),
        record(FCGI_PARAMS, 1),
        record(FCGI_STDIN, 1),
    ]
    c.send(reqs, "c")
    c.send(std_response(1), "s")
    c.close()


HUGE_VALUE_LEN = 1100000   # longer than the 1 MiB packet-fcgi.c keeps of a split pair


@capture("huge-split-nv.pcap",
         "A name-value pair longer than the 1 MiB kept across records "
         "(FCGI_MAX_SPLIT_PAIR), split over 17 PARAMS records",
         "c->s: BEGIN_REQUEST(1), PARAMS(1) x 17 [REQUEST_METHOD=GET, "
         "REQUEST_URI=/huge, X_HUGE=1,100,000 x 'h', SCRIPT_NAME=/huge.php], "
         "PARAMS(1) empty, STDIN(1) empty (in MSS segments); s->c: STDOUT(1), "
         "STDOUT(1) empty, END_REQUEST(1)")
def cap_huge_split_nv(p):
    """
    Client port 51300 -> 9000.  The PARAMS stream is REQUEST_METHOD=GET,
    REQUEST_URI=/huge, X_HUGE=<1,100,000 bytes 'h'>, SCRIPT_NAME=/huge.php,
    cut into records of 65528 content bytes (the last one shorter), sent in
    MSS-sized segments.  The X_HUGE pair starts in record 1 and ends in
    record 17, where SCRIPT_NAME follows it.  A decoder that keeps split
    pairs up to a bound shows X_HUGE as too long and still decodes
    SCRIPT_NAME, the empty PARAMS, STDIN and the response.
    """
    c = TcpConv(p, 51300)
    params = nv_pairs([("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/huge"),
                       ("X_HUGE", "h" * HUGE_VALUE_LEN), ("SCRIPT_NAME", "/huge.php")])
    chunk = 65528
    reqs = [record(FCGI_BEGIN_REQUEST, 1, begin_body(FCGI_RESPONDER, 0))]
    reqs += [record(FCGI_PARAMS, 1, params[i:i + chunk]) for i in range(0, len(params), chunk)]
    reqs += [record(FCGI_PARAMS, 1), record(FCGI_STDIN, 1)]
    c.send(b"".join(reqs), "c", segments="mss", ack_every=20)
    c.send(std_response(1), "s")
    c.close()


CUT_VALUE_LEN = 0x8100     # 33,024: its 4-byte length is 80 00 81 00


@capture("split-nv-length.pcap",
         "A name-value pair whose 4-byte value length is cut by the end of a "
         "PARAMS record, continued over three records",
         "c->s: BEGIN_REQUEST(1), PARAMS(1) x 3 [REQUEST_METHOD=GET, "
         "X_CUT=33,024 x 'c' (record 1 ends after 80 00 of its value length), "
         "REQUEST_URI=/cut, SCRIPT_NAME=/cut.php], PARAMS(1) empty, STDIN(1) "
         "empty (in MSS segments); s->c: STDOUT(1), STDOUT(1) empty, "
         "END_REQUEST(1)")
def cap_split_nv_length(p):
    """
    Client port 51400 -> 9000.  The PARAMS stream is REQUEST_METHOD=GET,
    X_CUT=<33,024 bytes 'c'>, REQUEST_URI=/cut, SCRIPT_NAME=/cut.php.
    Record 1 holds REQUEST_METHOD=GET, X_CUT's name length (05) and the
    first two bytes of its 4-byte value length (80 00); record 2 the other
    two (81 00), the name and 20,000 value bytes; record 3 the remaining
    13,024 value bytes and the last two pairs.  Record 2 begins with 81, so
    a decoder that reads the pair's lengths from record 2 alone takes a
    4-byte name length of ~16 MB.  The pair must be shown whole in the
    frame of record 3, with REQUEST_URI and SCRIPT_NAME after it.
    """
    c = TcpConv(p, 51400)
    params = nv_pairs([("REQUEST_METHOD", "GET"), ("X_CUT", "c" * CUT_VALUE_LEN),
                       ("REQUEST_URI", "/cut"), ("SCRIPT_NAME", "/cut.php")])
    cut1 = len(nv("REQUEST_METHOD", "GET")) + 1 + 2
    assert params[cut1 - 2:cut1 + 2] == b"\x80\x00\x81\x00"
    cut2 = cut1 + 2 + len("X_CUT") + 20000
    reqs = [record(FCGI_BEGIN_REQUEST, 1, begin_body(FCGI_RESPONDER, 0)),
            record(FCGI_PARAMS, 1, params[:cut1]),
            record(FCGI_PARAMS, 1, params[cut1:cut2]),
            record(FCGI_PARAMS, 1, params[cut2:]),
            record(FCGI_PARAMS, 1), record(FCGI_STDIN, 1)]
    c.send(b"".join(reqs), "c", segments="mss", ack_every=20)
    c.send(std_response(1), "s")
    c.close()


@capture("getvalues.pcap",
         "Management records GET_VALUES / GET_VALUES_RESULT (request id 0)",
         "c->s: GET_VALUES(0) [FCGI_MAX_CONNS=, FCGI_MAX_REQS=, "
         "FCGI_MPXS_CONNS=]; s->c: GET_VALUES_RESULT(0) [FCGI_MAX_CONNS=10, "
         "FCGI_MAX_REQS=50, FCGI_MPXS_CONNS=1]")
def cap_getvalues(p):
    """
    Client port 50300 -> 9000.
    GET_VALUES, request id 0, content = three pairs with empty values:
      FCGI_MAX_CONNS, FCGI_MAX_REQS, FCGI_MPXS_CONNS (content length 48,
      padding 0).
    GET_VALUES_RESULT, request id 0: FCGI_MAX_CONNS=10, FCGI_MAX_REQS=50,
      FCGI_MPXS_CONNS=1 (content length 53, padding 3).
    """
    c = TcpConv(p, 50300)
    q = nv_pairs([("FCGI_MAX_CONNS", ""), ("FCGI_MAX_REQS", ""),
                  ("FCGI_MPXS_CONNS", "")])
    r = nv_pairs([("FCGI_MAX_CONNS", "10"), ("FCGI_MAX_REQS", "50"),
                  ("FCGI_MPXS_CONNS", "1")])
    c.send([record(FCGI_GET_VALUES, 0, q, padding=align8(len(q)))], "c")
    c.send([record(FCGI_GET_VALUES_RESULT, 0, r, padding=align8(len(r)))], "s")
    c.close()


@capture("unknown-type.pcap",
         "Undefined record types (management type 20; application type 200) "
         "and FCGI_UNKNOWN_TYPE",
         "c->s: type 20 (id 0, content \"hello\"); s->c: UNKNOWN_TYPE(0) "
         "[type=20]; c->s: type 200 (id 1, 4 B content de ad be ef, pad 4)")
def cap_unknown_type(p):
    """
    Client port 50400 -> 9000.
    1. c->s: record type 20 (undefined), request id 0, content "hello"
       (5 bytes, padding 0).
    2. s->c: FCGI_UNKNOWN_TYPE (11), request id 0, body type=20 + 7 zero
       reserved bytes (content length 8).
    3. c->s: record type 200 (undefined), request id 1, content
       de ad be ef, padding 4 (zero bytes).  No reply.
    """
    c = TcpConv(p, 50400)
    c.send([record(20, 0, b"hello")], "c")
    c.send([record(FCGI_UNKNOWN_TYPE, 0, unknown_type_body(20))], "s")
    c.send([record(200, 1, b"\xde\xad\xbe\xef", padding=4)], "c")
    c.close()


@capture("version2.pcap",
         "Header version != 1, non-zero reserved header byte, non-zero "
         "BEGIN_REQUEST reserved body bytes",
         "c->s: BEGIN_REQUEST(1) VERSION 2 [responder, keep_conn], PARAMS(1), "
         "PARAMS(1) empty, STDIN(1) empty; s->c: STDOUT(1), STDOUT(1) empty, "
         "END_REQUEST(1); c->s: BEGIN_REQUEST(2) [reserved body 01 02 03 04 "
         "05], PARAMS(2) [header reserved 0x5a], PARAMS(2) empty, STDIN(2) "
         "empty; s->c: STDOUT(2), STDOUT(2) empty, END_REQUEST(2)")
def cap_version2(p):
    """
    Client port 50500 -> 9000, one connection, two requests.
    Request 1: BEGIN_REQUEST with header version byte 2 (the first record
      of the connection!), everything else valid: id 1, role RESPONDER,
      flags KEEP_CONN (1).  Then version-1 PARAMS(1) with the 7 standard
      pairs, empty PARAMS(1), empty STDIN(1).  Response: STDOUT(1) 36 B
      pad 4, empty STDOUT(1), END_REQUEST(1) app 0 / REQUEST_COMPLETE.
    Request 2: BEGIN_REQUEST(2) version 1, role RESPONDER, flags 0, but the
      5 reserved body bytes are 01 02 03 04 05.  PARAMS(2) with the 7
      standard pairs whose header reserved byte is 0x5a.  Empty PARAMS(2),
      empty STDIN(2).  Response as for request 1 but id 2.
    Each record in its own segment.
    """
    c = TcpConv(p, 50500)
    params = nv_pairs(STD_PARAMS)
    req1 = [
        record(FCGI_BEGIN_REQUEST, 1,
               begin_body(FCGI_RESPONDER, FCGI_KEEP_CONN), version=2),
        record(FCGI_PARAMS, 1, params),
        record(FCGI_PARAMS, 1),
        record(FCGI_STDIN, 1),
    ]
    c.send(req1, "c")
    c.send(std_response(1), "s")
    req2 = [
        record(FCGI_BEGIN_REQUEST, 2,
               begin_body(FCGI_RESPONDER, 0, reserved=b"\x01\x02\x03\x04\x05")),
        record(FCGI_PARAMS, 2, params, reserved=0x5A),
        record(FCGI_PARAMS, 2),
        record(FCGI_STDIN, 2),
    ]
    c.send(req2, "c")
    c.send(std_response(2), "s")
    c.close()


@capture("truncated.pcap",
         "Capture ends inside a record (STDOUT announces 1000 B, only 300 "
         "captured; no FIN)",
         "c->s: BEGIN_REQUEST(1), PARAMS(1), PARAMS(1) empty, STDIN(1) empty; "
         "s->c: STDOUT(1) [Content-type header, 27 B, pad 5], STDOUT(1) "
         "len=1000 but only 300 content bytes present (incomplete, never "
         "completed)")
def cap_truncated(p):
    """
    Client port 50600 -> 9000.  Normal request (BEGIN_REQUEST responder,
    PARAMS with the 7 standard pairs, empty PARAMS, empty STDIN), client's
    records each in their own segment.
    Response: STDOUT(1) "Content-type: text/html\\r\\n\\r\\n" (27 bytes, padding
    5) in one segment; then one segment with a STDOUT(1) header saying
    contentLength 1000, padding 0, followed by only 300 content bytes
    ("0123456789" repeated).  The capture ends there: no ACK, no FIN.
    The last record must be reported as incomplete/truncated (or left as an
    unreassembled TCP segment), never as a complete 1000-byte STDOUT.
    """
    c = TcpConv(p, 50600)
    c.send(std_request(1), "c")
    hdr = b"Content-type: text/html\r\n\r\n"
    body = (b"0123456789" * 100)
    rec1 = record(FCGI_STDOUT, 1, hdr, padding=align8(len(hdr)))
    rec2 = record(FCGI_STDOUT, 1, body)[:8 + 300]
    c.send([rec1], "s")
    c.send([rec2], "s", ack=False)
    # capture ends here: no ACK, no FIN


@capture("truncated-tail.pcap",
         "Record cut by the end of the capture, after a complete record in its segment",
         "c->s: standard request; s->c: one segment holding STDOUT(1) "
         "\"Content-type: text/html\\r\\n\\r\\n\" (27 B, pad 5) and then a STDOUT(1) "
         "header saying 1000 bytes followed by only 300; the capture ends")
def cap_truncated_tail(p):
    """
    Client port 50650 -> 9000.  Like truncated.pcap, but the incomplete
    record follows a complete one in the same segment.  Neither pass shows
    the incomplete record (as with any dissector on TCP); the second pass
    reports the request as never ended on the complete record.
    """
    c = TcpConv(p, 50650)
    c.send(std_request(1), "c")
    hdr = b"Content-type: text/html\r\n\r\n"
    rec1 = record(FCGI_STDOUT, 1, hdr, padding=align8(len(hdr)))
    rec2 = record(FCGI_STDOUT, 1, b"0123456789" * 100)[:8 + 300]
    c.send([rec1, rec2], "s", coalesce=True, ack=False)


@capture("odd.pcap",
         "The remaining expert infos and a hostile script name for Export Objects",
         "c->s: request 1 with REQUEST_URI and SCRIPT_NAME /a/../../etc/pa..sswd; s->c: STDOUT(1) "
         "with a bad Status and a header line without colon, STDOUT(1) empty, "
         "STDOUT(1) after that end, END_REQUEST(1); s->c: GET_VALUES_RESULT "
         "FCGI_MAX_CONNS=abc; c->s: BEGIN_REQUEST(2) with a 6-byte body")
def cap_odd(p):
    """
    Client port 51100 -> 9000, every record in its own segment.
      c->s: BEGIN_REQUEST(1), PARAMS(1) REQUEST_METHOD=GET, REQUEST_URI=/a/../../etc/pa..sswd?x=/y,
            SCRIPT_NAME=/a/../../etc/pa..sswd, empty PARAMS(1), empty STDIN(1)
      s->c: STDOUT(1) "Status: abc\r\nNoColonLine\r\nContent-Type: text/plain\r\n\r\nbody"
            empty STDOUT(1), STDOUT(1) "late" (after the end of STDOUT),
            END_REQUEST(1)
      s->c: GET_VALUES_RESULT(0) FCGI_MAX_CONNS=abc
      c->s: BEGIN_REQUEST(2) whose content length is 6 (spec: 8)
    """
    c = TcpConv(p, 51100)
    params = [("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/a/../../etc/pa..sswd?x=/y"),
              ("SCRIPT_NAME", "/a/../../etc/pa..sswd")]
    c.send(std_request(1, params=params), "c")
    body = b"Status: abc\r\nNoColonLine\r\nContent-Type: text/plain\r\n\r\nbody"
    c.send([record(FCGI_STDOUT, 1, body), record(FCGI_STDOUT, 1),
            record(FCGI_STDOUT, 1, b"late"),
            record(FCGI_END_REQUEST, 1, end_body())], "s")
    c.send([record(FCGI_GET_VALUES_RESULT, 0, nv_pairs([("FCGI_MAX_CONNS", "abc")]))], "s")
    c.send([record(FCGI_BEGIN_REQUEST, 2, begin_body()[:6])], "c")
    c.close("c")


@capture("midstream.pcap",
         "Capture starts mid-connection (no handshake) at a record boundary",
         "s->c: STDOUT(1), STDOUT(1) empty, END_REQUEST(1); c->s: "
         "BEGIN_REQUEST(1), PARAMS(1), PARAMS(1) empty, STDIN(1) empty; "
         "s->c: STDOUT(1), STDOUT(1) empty, END_REQUEST(1)")
def cap_midstream(p):
    """
    Client port 50700 -> 9000, NO handshake; the first frame is a server
    segment that starts exactly at a record boundary (arbitrary but
    consistent seq numbers: client 0x1a2b3c4d, server 0x5e6f7081).
      s->c: STDOUT(1) "<p>tail of previous response</p>\\n" (33 B, pad 7)
      s->c: STDOUT(1) empty
      s->c: END_REQUEST(1) app 0, REQUEST_COMPLETE
      (client ACK)
      c->s: BEGIN_REQUEST(1) responder flags 0, PARAMS(1) 7 standard pairs,
            empty PARAMS(1), empty STDIN(1)
      s->c: STDOUT(1) 36 B pad 4, empty STDOUT(1), END_REQUEST(1) 0/0
      FIN exchange.
    Heuristic detection must work starting from a server->client STDOUT.
    """
    c = TcpConv(p, 50700, handshake=False, cisn=0x1A2B3C4D, sisn=0x5E6F7081)
    tail = b"<p>tail of previous response</p>\n"
    c.send([record(FCGI_STDOUT, 1, tail, padding=align8(len(tail))),
            record(FCGI_STDOUT, 1),
            record(FCGI_END_REQUEST, 1, end_body(0, FCGI_REQUEST_COMPLETE))],
           "s")
    c.send(std_request(1), "c")
    c.send(std_response(1), "s")
    c.close()


def big_body():
    head = b"Content-type: text/plain\r\n\r\n"
    line = b"".join(b"line %05d: the quick brown fox jumps over the lazy dog\n"
                    % i for i in range(2000))
    body = head + line
    return body[:65535]


@capture("multi-in-one.pcap",
         "Several records coalesced in one TCP segment; maximum-size record "
         "(65535 + 255 padding) reassembled from ~1460 B segments",
         "conn 1 (50800): one segment c->s with BEGIN_REQUEST(1), PARAMS(1), "
         "PARAMS(1), PARAMS(1) empty, STDIN(1) empty; one segment s->c with "
         "STDOUT(1), STDOUT(1) empty, END_REQUEST(1). conn 2 (50801): one "
         "segment c->s with BEGIN_REQUEST(1), PARAMS(1), PARAMS(1) empty, "
         "STDIN(1) empty; s->c STDOUT(1) len 65535 pad 255 over 46 segments, "
         "last segment also carries STDOUT(1) empty + END_REQUEST(1)")
def cap_multi_in_one(p):
    """
    Connection 1: client port 50800 -> 9000.
      One c->s segment carrying 5 records: BEGIN_REQUEST(1) responder
      flags 0; PARAMS(1) with the first 4 standard pairs (REQUEST_METHOD,
      REQUEST_URI, SCRIPT_NAME, SCRIPT_FILENAME); PARAMS(1) with the last 3
      (QUERY_STRING, HTTP_HOST, REMOTE_ADDR); empty PARAMS(1); empty
      STDIN(1).
      One s->c segment carrying STDOUT(1) 36 B pad 4, empty STDOUT(1),
      END_REQUEST(1) 0/REQUEST_COMPLETE.
    Connection 2: client port 50801 -> 9000.
      One c->s segment with the standard request (BEGIN, PARAMS 7 pairs,
      empty PARAMS, empty STDIN).
      Response byte stream = STDOUT(1) with contentLength 65535 and
      paddingLength 255 (65798 bytes incl. header; content starts with
      "Content-type: text/plain\\r\\n\\r\\nline 00000: the quick brown fox
      ..."), then empty STDOUT(1), then END_REQUEST(1) 0/0; the whole
      65822-byte stream is cut into 1460-byte segments (45 full + one of
      122 bytes).  The last segment holds the final 98 bytes of the big
      record, the empty STDOUT and the END_REQUEST.  The client ACKs every
      10 segments.
    """
    c1 = TcpConv(p, 50800)
    a = nv_pairs(STD_PARAMS[:4])
    b = nv_pairs(STD_PARAMS[4:])
    c1.send([record(FCGI_BEGIN_REQUEST, 1, begin_body(FCGI_RESPONDER, 0)),
             record(FCGI_PARAMS, 1, a),
             record(FCGI_PARAMS, 1, b),
             record(FCGI_PARAMS, 1),
             record(FCGI_STDIN, 1)], "c", coalesce=True)
    c1.send(std_response(1), "s", coalesce=True)
    c1.close()

    c2 = TcpConv(p, 50801)
    c2.send(std_request(1), "c", coalesce=True)
    body = big_body()
    assert len(body) == 65535
    resp = [record(FCGI_STDOUT, 1, body, padding=255),
            record(FCGI_STDOUT, 1),
            record(FCGI_END_REQUEST, 1, end_body(0, FCGI_REQUEST_COMPLETE))]
    c2.send(resp, "s", segments="mss", ack_every=10)
    c2.close()


@capture("bad-nv.pcap",
         "Malformed name-value pair (name length 50 but only 10 bytes left) "
         "followed by valid records",
         "c->s: BEGIN_REQUEST(1), PARAMS(1) [REQUEST_METHOD=GET, then bad pair "
         "namelen 50 vallen 5 with 10 bytes left -> expert error], PARAMS(1) "
         "empty, STDIN(1) empty; s->c: STDOUT(1), STDOUT(1) empty, "
         "END_REQUEST(1) — all still decoded")
def cap_bad_nv(p):
    """
    Client port 50900 -> 9000.  Each record in its own segment.
    PARAMS(1) content (content length 31, padding 1):
        0e 03 "REQUEST_METHOD" "GET"       valid pair (19 bytes)
        32 05                              nameLength 50, valueLength 5
        "SCRIPT_NAM"                       only 10 bytes remain
    The second pair claims 50 + 5 bytes but only 10 remain before the end
    of the record and the next PARAMS record is empty (end of stream), so
    the pair can never be completed: the dissector must flag it (expert
    info / malformed pair) without throwing away the rest.  Then empty
    PARAMS(1), empty STDIN(1); response STDOUT(1) 36 B pad 4, empty
    STDOUT(1), END_REQUEST(1) 0/0 — all of which must still be decoded.
    """
    c = TcpConv(p, 50900)
    content = nv("REQUEST_METHOD", "GET") + b"\x32\x05" + b"SCRIPT_NAM"
    assert len(content) == 31
    reqs = [
        record(FCGI_BEGIN_REQUEST, 1, begin_body(FCGI_RESPONDER, 0)),
        record(FCGI_PARAMS, 1, content, padding=align8(len(content))),
        record(FCGI_PARAMS, 1),
        record(FCGI_STDIN, 1),
    ]
    c.send(reqs, "c")
    c.send(std_response(1), "s")
    c.close()


@capture("ids.pcap",
         "Request-id semantics: app record with id 0, management record with "
         "id != 0, orphan STDOUT, ABORT_REQUEST, OVERLOADED, app status 255, "
         "STDERR",
         "c->s: PARAMS(0), GET_VALUES(5); s->c: STDOUT(7) [never begun]; c->s: "
         "BEGIN_REQUEST(1) keep_conn, PARAMS(1), PARAMS(1) empty, "
         "ABORT_REQUEST(1); s->c: END_REQUEST(1, 0, REQUEST_COMPLETE); c->s: "
         "BEGIN_REQUEST(2) keep_conn; s->c: END_REQUEST(2, 0, OVERLOADED); "
         "c->s: BEGIN_REQUEST(3) keep_conn, PARAMS(3), PARAMS(3) empty, "
         "STDIN(3) empty; s->c: STDERR(3) \"PHP Warning: something\", "
         "STDOUT(3), STDOUT(3) empty, END_REQUEST(3, 255, REQUEST_COMPLETE)")
def cap_ids(p):
    """
    Client port 51000 -> 9000, one keep-alive connection.
      c->s (2 segments): PARAMS with request id 0 (application record on
           the management id; content REQUEST_METHOD=GET, 19 B, pad 5);
           GET_VALUES with request id 5 (management record on a non-zero
           id; content FCGI_MAX_CONNS= , 16 B, no padding).
      s->c: STDOUT(7) "orphan output" (13 B, pad 3) — request 7 was never
           begun.
      c->s (4 segments): BEGIN_REQUEST(1) responder KEEP_CONN, PARAMS(1)
           7 standard pairs, empty PARAMS(1), ABORT_REQUEST(1) (empty).
      s->c: END_REQUEST(1) app 0, REQUEST_COMPLETE (answer to the abort).
      c->s: BEGIN_REQUEST(2) responder KEEP_CONN.
      s->c: END_REQUEST(2) app 0, protocolStatus 2 = FCGI_OVERLOADED.
      c->s (4 segments): BEGIN_REQUEST(3) responder KEEP_CONN, PARAMS(3)
           7 standard pairs, empty PARAMS(3), empty STDIN(3).
      s->c (4 segments): STDERR(3) "PHP Warning: something" (22 B, pad 2),
           STDOUT(3) 36 B pad 4, empty STDOUT(3), END_REQUEST(3)
           appStatus 255, REQUEST_COMPLETE.
    """
    c = TcpConv(p, 51000)
    m = nv("REQUEST_METHOD", "GET")
    g = nv("FCGI_MAX_CONNS", "")
    c.send([record(FCGI_PARAMS, 0, m, padding=align8(len(m))),
            record(FCGI_GET_VALUES, 5, g, padding=align8(len(g)))], "c")
    o = b"orphan output"
    c.send([record(FCGI_STDOUT, 7, o, padding=align8(len(o)))], "s")
    kc = begin_body(FCGI_RESPONDER, FCGI_KEEP_CONN)
    params = nv_pairs(STD_PARAMS)
    c.send([record(FCGI_BEGIN_REQUEST, 1, kc),
            record(FCGI_PARAMS, 1, params),
            record(FCGI_PARAMS, 1),
            record(FCGI_ABORT_REQUEST, 1)], "c")
    c.send([record(FCGI_END_REQUEST, 1, end_body(0, FCGI_REQUEST_COMPLETE))],
           "s")
    c.send([record(FCGI_BEGIN_REQUEST, 2, kc)], "c")
    c.send([record(FCGI_END_REQUEST, 2, end_body(0, FCGI_OVERLOADED))], "s")
    c.send([record(FCGI_BEGIN_REQUEST, 3, kc),
            record(FCGI_PARAMS, 3, params),
            record(FCGI_PARAMS, 3),
            record(FCGI_STDIN, 3)], "c")
    w = b"PHP Warning: something"
    c.send([record(FCGI_STDERR, 3, w, padding=align8(len(w)))] +
           std_response(3, app_status=255), "s")
    c.close()


def tls_client_hello(rng):
    body = (b"\x03\x03" + bytes(rng.getrandbits(8) for _ in range(32))
            + b"\x00"                              # session id length
            + b"\x00\x04\xc0\x2f\x00\x9c"          # cipher suites
            + b"\x01\x00"                          # compression: null
            + b"\x00\x00")                         # extensions length
    hs = b"\x01" + struct.pack(">I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack(">H", len(hs)) + hs


def tls_server_hello(rng):
    body = (b"\x03\x03" + bytes(rng.getrandbits(8) for _ in range(32))
            + b"\x00" + b"\xc0\x2f" + b"\x00" + b"\x00\x00")
    hs = b"\x02" + struct.pack(">I", len(body))[1:] + body
    return b"\x16\x03\x03" + struct.pack(">H", len(hs)) + hs


def looks_like_complete_record(b):
    """True if b is exactly one or more well-formed v1 records of known
    type with reserved 0 (we avoid generating these by accident)."""
    off = 0
    while off + 8 <= len(b):
        ver, typ, rid, clen, pad, res = struct.unpack(">BBHHBB", b[off:off + 8])
        if ver != 1 or not 1 <= typ <= 11 or res != 0:
            return False
        off += 8 + clen + pad
    return off == len(b) and len(b) > 0


@capture("not-fcgi.pcap",
         "Negative test: nothing here may be detected as FastCGI",
         "no fcgi in any frame (tshark -Y fcgi must be empty with the plugin's "
         "heuristics enabled)")
def cap_not_fcgi(p):
    """
    Server ports 41000 and 40001-40010 (owned by no dissector of Wireshark 4.0 or 4.4;
    4.4 gives 40000 to SAP, so the HTTP stream uses 41000)
    plus one stream on 9000; client ports 52000 and up.  Every stream has a
    handshake, one client payload, server ACK, (usually) one server payload,
    client ACK and a FIN exchange.  None of it is FastCGI:
      52000 -> 41000  HTTP/1.1 GET /index.php + "HTTP/1.1 200 OK" response.
      52001 -> 40001  TLS 1.2 ClientHello record (16 03 01 ...) and a
                      ServerHello record (16 03 03 ...).
      52002..52051 -> 40002..40010 (cycling): 50 random binary streams
                      (random.Random(4712)); stream i (0-based):
                        i % 3 == 0: fully random payload (20-300 B)
                        i % 3 == 1: 0x01 + random bytes
                        i % 3 == 2: 01 06 00 01 + random bytes (looks like a
                                    STDOUT header for id 1; random
                                    length/padding/reserved)
                      server answers with random bytes (20-300 B), except
                      every 5th stream, where it answers nothing.
      52052..52056 -> 40002..40006: payloads of exactly 8 bytes starting
                      with 0x01 (a lone "header" that is not a complete
                      record), no server data.
      52057 -> 40007  one 8-byte payload 01 04 00 01 ff ff 00 00: a
                      valid-looking PARAMS header announcing 65535 bytes
                      of content, and nothing else.
      52058 -> 9000   0x01 + 120 random bytes, random server reply (port
                      9000 belongs to S101 in Wireshark 4.0).
    Random payloads that would happen to form complete well-formed
    FastCGI records are re-drawn (see looks_like_complete_record).  The
    seed 4712 was chosen so that no other Wireshark 4.0 heuristic dissector
    (e.g. CLASSIC-STUN, which grabbed a stream with seed 4711) claims any
    of the random streams: they all dissect as plain "data".
    """
    rng = random.Random(4712)

    def rand_bytes(n):
        return bytes(rng.getrandbits(8) for _ in range(n))

    def stream(cport, sport, cdata, sdata):
        c = TcpConv(p, cport, sport, fcgi=False)
        c.send(cdata, "c")
        if sdata:
            c.send(sdata, "s")
        c.close()

    http_req = (b"GET /index.php?x=1 HTTP/1.1\r\nHost: example.test\r\n"
                b"User-Agent: craft/1.0\r\nAccept: */*\r\n\r\n")
    http_body = b"<html><body><p>hi</p></body></html>\n"
    http_resp = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                 b"Content-Length: %d\r\n\r\n" % len(http_body)) + http_body
    stream(52000, 41000, http_req, http_resp)
    stream(52001, 40001, tls_client_hello(rng), tls_server_hello(rng))

    for i in range(50):
        while True:
            n = rng.randint(20, 300)
            if i % 3 == 0:
                cdata = rand_bytes(n)
            elif i % 3 == 1:
                cdata = b"\x01" + rand_bytes(n - 1)
            else:
                cdata = b"\x01\x06\x00\x01" + rand_bytes(n - 4)
            if not looks_like_complete_record(cdata):
                break
        sdata = None
        if i % 5 != 4:
            while True:
                sdata = rand_bytes(rng.randint(20, 300))
                if not looks_like_complete_record(sdata):
                    break
        stream(52002 + i, 40002 + i % 9, cdata, sdata)

    for j in range(5):
        while True:
            cdata = b"\x01" + rand_bytes(7)
            if not looks_like_complete_record(cdata):
                break
        stream(52052 + j, 40002 + j, cdata, None)

    stream(52057, 40007, b"\x01\x04\x00\x01\xff\xff\x00\x00", None)

    while True:
        cdata = b"\x01" + rand_bytes(120)
        if not looks_like_complete_record(cdata):
            break
    stream(52058, 9000, cdata, rand_bytes(64))


# --------------------------------------------------------------------------
# Look-alike connections (issue 9): a lone FastCGI-looking record in front
# of another protocol.  Not FastCGI: the plugin must leave these frames to
# the dissectors Wireshark would use without it.
# --------------------------------------------------------------------------

def tls_record(ctype, body, version=b"\x03\x03"):
    return bytes([ctype]) + version + struct.pack(">H", len(body)) + body


# A self-signed Ed25519 certificate (CN=lookalike.test), made once with
# `openssl req -x509 -newkey ed25519 -nodes -subj /CN=lookalike.test` and
# embedded so that the output does not depend on the machine.
LOOKALIKE_CERT = base64.b64decode(
    "MIIBRjCB+aADAgECAhQ1ROHfGquq8TZ5hIpHt0EI9X6IOzAFBgMrZXAwGTEXMBUGA1UEAwwObG9v"
    "a2FsaWtlLnRlc3QwHhcNMjYxMTMwMTMzNzIzWhcNMzYxMTI3MTMzNzIzWjAZMRcwFQYDVQQDDA5s"
    "b29rYWxpa2UudGVzdDAqMAUGAytlcAMhAFY4jb4QR6ic0BNcfIThjShZk9rsWnZWoCF4FTynNRtM"
    "o1MwUTAdBgNVHQ4EFgQUtkkuUdwt35ECVlapoCKI/Rs9nwMwHwYDVR0jBBgwFoAUtkkuUdwt35EC"
    "VlapoCKI/Rs9nwMwDwYDVR0TAQH/BAUwAwEB/zAFBgMrZXADQQDFVcv5GPi4AW5CpsrUDPRqvj3x"
    "iYsOUSIJwpeaUgwsLbSJGJ18oEpF+4mjTzvyCGrZtk0OEUM7YW0zh0G5dIsL")


def tls12_handshake(rng):
    """Full TLS 1.2 ECDHE handshake as records, with random
    (encrypted-looking) key material.  Returns (client_flight1,
    server_flight, client_flight2, server_flight2)."""
    def rb(n):
        return bytes(rng.getrandbits(8) for _ in range(n))

    def hs(htype, body):
        return bytes([htype]) + struct.pack(">I", len(body))[1:] + body

    ch_body = (b"\x03\x03" + rb(32) + b"\x00"
               + b"\x00\x04\xc0\x2f\x00\x9c" + b"\x01\x00"
               + b"\x00\x0a"                        # extensions length
               + b"\x00\x0b\x00\x02\x01\x00"          # ec_point_formats
               + b"\x00\x00\x00\x00")                 # server_name, empty
    ch = tls_record(22, hs(1, ch_body), b"\x03\x01")
    sh_body = (b"\x03\x03" + rb(32) + b"\x20" + rb(32) + b"\xc0\x2f"
               + b"\x00" + b"\x00\x00")
    cert = LOOKALIKE_CERT
    cert_body = (struct.pack(">I", len(cert) + 3)[1:]
                 + struct.pack(">I", len(cert))[1:] + cert)
    # ECDHE on secp256r1, signed with ed25519 (signature scheme 0x0807)
    ske_body = b"\x03\x00\x17\x41\x04" + rb(64) + b"\x08\x07\x00\x40" + rb(64)
    server1 = tls_record(22, hs(2, sh_body) + hs(11, cert_body)
                         + hs(12, ske_body) + hs(14, b""))
    cke = tls_record(22, hs(16, b"\x41\x04" + rb(64)))
    ccs = tls_record(20, b"\x01")
    fin_c = tls_record(22, rb(40))          # encrypted Finished
    client2 = cke + ccs + fin_c
    server2 = tls_record(20, b"\x01") + tls_record(22, rb(40))
    return ch, server1, client2, server2


def lookalike_conv(p, cport, sport, lead, lead_from, label):
    """Connection whose first payload segment is the 8+ byte look-alike
    FastCGI record `lead` (sent by `lead_from`)."""
    c = TcpConv(p, cport, sport, fcgi=False, label=label)
    c.send(lead, lead_from, notes="look-alike FastCGI record: "
           + " ".join("%02x" % b for b in lead[:16])
           + (" ..." if len(lead) > 16 else ""))
    return c


@capture("lookalike-tls.pcap",
         "Look-alike: empty FCGI_STDIN record in front of TLS 1.2",
         "no fcgi in any frame; every frame dissects exactly as without the "
         "plugin (TLS handshake and TLSv1.2 Application Data)")
def cap_lookalike_tls(p):
    """
    Connections 52100 and 52101, each: handshake, first client segment
    01 05 00 01 00 00 00 00 (an empty FCGI_STDIN record, id 1), server
    ACK, then a TLS 1.2 session: ClientHello; ServerHello + Certificate +
    ServerKeyExchange + ServerHelloDone; ClientKeyExchange +
    ChangeCipherSpec + encrypted Finished; ChangeCipherSpec + encrypted
    Finished; then TLS 1.2 Application Data records (random "ciphertext",
    random.Random(9001)) in both directions: client 1 record, server 2
    records (the second 3000 bytes, so it spans 3 TCP segments), client 1,
    server 1; FIN from the client.
      52100 -> 31337  (no dissector registered for the port: TLS is found
                       by its heuristic)
      52101 -> 443    (TLS's own port)
      52102 -> 31337  the look-alike record, then only Application Data
                      records (c 120 B, s 200 B, c 64 B, s 90 B): no
                      handshake, as in a capture started mid-session
    Without the plugin TLS's heuristic takes all three connections: every
    TLS record shows as TLSv1.2 (Application Data, ...); the look-alike
    segment itself is plain data on the first pass and "Ignored Unknown
    Record" on the second (port 443: "Continuation Data" / the same).
    """
    rng = random.Random(9001)

    def rb(n):
        return bytes(rng.getrandbits(8) for _ in range(n))

    lead = record(FCGI_STDIN, 1)
    for cport, sport in ((52100, 31337), (52101, 443)):
        c = lookalike_conv(p, cport, sport, lead, "c", "tls")
        ch, s1, c2, s2 = tls12_handshake(rng)
        c.send(ch, "c", notes="TLS ClientHello")
        c.send(s1, "s", notes="TLS ServerHello, Certificate, "
               "ServerKeyExchange, ServerHelloDone")
        c.send(c2, "c", notes="TLS ClientKeyExchange, ChangeCipherSpec, "
               "Finished (encrypted)")
        c.send(s2, "s", notes="TLS ChangeCipherSpec, Finished (encrypted)")
        c.send(tls_record(23, rb(120)), "c", notes="TLS Application Data")
        big = tls_record(23, rb(3000))
        c.send(tls_record(23, rb(200)) + big, "s", segments="mss",
               notes="TLS Application Data x2 (the second spans segments)")
        c.send(tls_record(23, rb(64)), "c", notes="TLS Application Data")
        c.send(tls_record(23, rb(90)), "s", notes="TLS Application Data")
        c.close()
    c = lookalike_conv(p, 52102, 31337, lead, "c", "tls")
    for frm, n in (("c", 120), ("s", 200), ("c", 64), ("s", 90)):
        c.send(tls_record(23, rb(n)), frm, notes="TLS Application Data")
    c.close()


def ssh_binary_packet(payload, rng, block=8):
    """Unencrypted SSH binary packet (RFC 4253 6): length, padding length,
    payload, random padding (>= 4 bytes, total multiple of block)."""
    pad = block - (len(payload) + 5) % block
    if pad < 4:
        pad += block
    body = bytes([pad]) + payload + bytes(rng.getrandbits(8)
                                          for _ in range(pad))
    return struct.pack(">I", len(body)) + body


def ssh_kexinit(rng):
    def namelist(s):
        return struct.pack(">I", len(s)) + s
    return (b"\x14" + bytes(rng.getrandbits(8) for _ in range(16))
            + namelist(b"curve25519-sha256")
            + namelist(b"ssh-ed25519")
            + namelist(b"chacha20-poly1305@openssh.com") * 2
            + namelist(b"umac-64-etm@openssh.com") * 2
            + namelist(b"none") * 2 + namelist(b"") * 2 + b"\x00"
            + b"\x00\x00\x00\x00")


@capture("lookalike-ssh.pcap",
         "Look-alike: empty FCGI_PARAMS record in front of SSH",
         "no fcgi in any frame; every frame dissects exactly as without the "
         "plugin")
def cap_lookalike_ssh(p):
    """
    Two connections, each: handshake, first client segment
    01 04 00 01 00 00 00 00 (an empty FCGI_PARAMS record, id 1), then an
    SSH-2 session: server banner "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3",
    client banner "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", client
    SSH_MSG_KEXINIT, server SSH_MSG_KEXINIT, client
    SSH_MSG_KEX_ECDH_INIT (30), server SSH_MSG_KEX_ECDH_REPLY (31) +
    SSH_MSG_NEWKEYS (21), client SSH_MSG_NEWKEYS, then 4 encrypted
    packets (random bytes, random.Random(9002)) alternating c, s, c, s;
    FIN from the client.
      52200 -> 2222   (no dissector registered for the port)
      52201 -> 22     (SSH's own port)
    Wireshark 4.0 has no SSH heuristic: without the plugin the 2222
    connection is plain data; on port 22 the look-alike segment is
    "Client: Encrypted packet (len=8)" and the rest is SSH.
    """
    rng = random.Random(9002)

    def rb(n):
        return bytes(rng.getrandbits(8) for _ in range(n))

    lead = record(FCGI_PARAMS, 1)
    banner = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"
    for cport, sport in ((52200, 2222), (52201, 22)):
        c = lookalike_conv(p, cport, sport, lead, "c", "ssh")
        c.send(banner, "s", notes="SSH server banner")
        c.send(banner, "c", notes="SSH client banner")
        c.send(ssh_binary_packet(ssh_kexinit(rng), rng), "c",
               notes="SSH_MSG_KEXINIT")
        c.send(ssh_binary_packet(ssh_kexinit(rng), rng), "s",
               notes="SSH_MSG_KEXINIT")
        c.send(ssh_binary_packet(b"\x1e" + struct.pack(">I", 32) + rb(32),
                                 rng), "c", notes="SSH_MSG_KEX_ECDH_INIT")
        def sshstr(b):
            return struct.pack(">I", len(b)) + b
        # host key blob, server's ephemeral key, signature blob (RFC 5656,
        # RFC 8709 ssh-ed25519)
        reply = (b"\x1f"
                 + sshstr(sshstr(b"ssh-ed25519") + sshstr(rb(32)))
                 + sshstr(rb(32))
                 + sshstr(sshstr(b"ssh-ed25519") + sshstr(rb(64))))
        c.send(ssh_binary_packet(reply, rng)
               + ssh_binary_packet(b"\x15", rng), "s",
               notes="SSH_MSG_KEX_ECDH_REPLY, SSH_MSG_NEWKEYS")
        c.send(ssh_binary_packet(b"\x15", rng), "c", notes="SSH_MSG_NEWKEYS")
        for frm, n in (("c", 68), ("s", 52), ("c", 116), ("s", 540)):
            c.send(rb(n), frm, notes="SSH encrypted packet (%d B)" % n)
        c.close()


def resp(*args):
    """A redis command as a RESP array of bulk strings."""
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode() if isinstance(a, str) else a
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


@capture("lookalike-redis.pcap",
         "Look-alike: empty FCGI_DATA record in front of redis (RESP)",
         "no fcgi in any frame; every frame dissects exactly as without the "
         "plugin")
def cap_lookalike_redis(p):
    """
    Two connections, each: handshake, first client segment
    01 08 00 01 00 00 00 00 (an empty FCGI_DATA record, id 1), then redis
    RESP2 commands and replies, one per segment:
      c: PING                     s: +PONG
      c: SET greeting hello       s: +OK
      c: GET greeting             s: $5 hello
      c: INCR counter             s: :1
      c: LRANGE list 0 -1         s: *2 $1 a $1 b
      c: GET missing              s: $-1
      c: QUIT                     s: +OK
    FIN from the server.
      52300 -> 6380   (no dissector registered for the port)
      52301 -> 6379   (redis' own port; Wireshark 4.0 binds RESP to it)
    Without the plugin the 6380 connection is plain data (RESP has no
    heuristic); on 6379 everything is RESP, the look-alike segment
    included ("Request: [continuation]" on the first pass).
    """
    lead = record(FCGI_DATA, 1)
    exchange = [
        (resp("PING"), b"+PONG\r\n"),
        (resp("SET", "greeting", "hello"), b"+OK\r\n"),
        (resp("GET", "greeting"), b"$5\r\nhello\r\n"),
        (resp("INCR", "counter"), b":1\r\n"),
        (resp("LRANGE", "list", "0", "-1"), b"*2\r\n$1\r\na\r\n$1\r\nb\r\n"),
        (resp("GET", "missing"), b"$-1\r\n"),
        (resp("QUIT"), b"+OK\r\n"),
    ]
    for cport, sport in ((52300, 6380), (52301, 6379)):
        c = lookalike_conv(p, cport, sport, lead, "c", "redis")
        for cmd, reply in exchange:
            c.send(cmd, "c", notes="RESP command " + cmd.split(b"\r\n")[2]
                   .decode())
            c.send(reply, "s", notes="RESP reply")
        c.close("s")


@capture("lookalike-random.pcap",
         "Look-alike: short FCGI_STDOUT record of random bytes in front of "
         "random binary",
         "no fcgi in any frame; every frame dissects exactly as without the "
         "plugin (data)")
def cap_lookalike_random(p):
    """
    Three connections (random.Random(9004)), each: handshake, then a
    first payload segment holding exactly one FCGI_STDOUT record, id 1,
    with 11 random content bytes and 5 padding bytes (24 bytes in all,
    a complete well-formed record), then 6 segments of random binary
    (40-400 bytes) alternating between the sides.  The random segments
    are re-drawn when they would happen to start with a plausible
    FastCGI header (version 1, type 1-11).
      52400 -> 31338  the STDOUT record is sent by the client
      52401 -> 31338  the STDOUT record is sent by the server (server
                      speaks first)
      52402 -> 31339  like 52400, but the record has no padding
                      (11 content bytes, 19 bytes in all)
    """
    rng = random.Random(9004)

    def rb(n):
        return bytes(rng.getrandbits(8) for _ in range(n))

    def rand_seg():
        while True:
            b = rb(rng.randint(40, 400))
            if not (b[0] == 1 and 1 <= b[1] <= 11):
                return b

    for cport, sport, frm, pad in ((52400, 31338, "c", 5),
                                   (52401, 31338, "s", 5),
                                   (52402, 31339, "c", 0)):
        lead = record(FCGI_STDOUT, 1, rb(11), padding=pad,
                      pad_byte=b"\x00")
        c = lookalike_conv(p, cport, sport, lead, frm, "random")
        o = "s" if frm == "c" else "c"
        for i in range(6):
            c.send(rand_seg(), o if i % 2 == 0 else frm,
                   notes="random binary")
        c.close()


# --------------------------------------------------------------------------
# README generation
# --------------------------------------------------------------------------

README_HEAD = """\
# Crafted FastCGI captures

Generated by `python3 captures/craft.py` (deterministic, standard library
only; do not edit this file by hand — edit the docstrings in craft.py).
All captures: classic pcap, Ethernet, IPv4 127.0.0.1 <-> 127.0.0.1, TCP with
valid checksums and seq/acks, timestamps from 1700000000.000 in 1 ms steps.
FastCGI runs on server port 9000 (owned by S101 in Wireshark 4.0, so the
plugin has to find FastCGI heuristically); each file uses its own client
port(s).  Built-in check: `tshark -r F -d tcp.port==9000,fcgi -V`.

Notation: `TYPE(id)`; in the frame maps `len` = header contentLength,
`pad` = paddingLength; a record is listed in the frame that carries its last
byte (where a `tcp_dissect_pdus`-style dissector shows it), with the
frame range if it was reassembled.  Frames not listed are handshake, pure
ACK or FIN frames.  Standard params (`STD_PARAMS`, in this order):
REQUEST_METHOD=GET, REQUEST_URI=/index.php?x=1, SCRIPT_NAME=/index.php,
SCRIPT_FILENAME=/var/www/html/index.php, QUERY_STRING=x=1,
HTTP_HOST=example.test, REMOTE_ADDR=127.0.0.1 (content length 171).
Standard response body: `Content-type: text/html\\r\\n\\r\\n<p>hi</p>`
(36 bytes, padding 4).

Sanity checks done on the generated files (Wireshark 4.0.17):
`tshark -r F -Y tcp.analysis.flags` is empty for every file (including
midstream.pcap and truncated.pcap), all IPv4/TCP checksums verify, and
`tshark -r F -d tcp.port==9000,fcgi` decodes every record listed below.  The
built-in 4.0 dissector parses PARAMS per record, so it marks split-nv.pcap
frames 5 and 6 and bad-nv.pcap frame 5 as `[Malformed Packet]`; for
split-nv.pcap that is the built-in dissector's limitation (the plugin should
decode the pair across records), for bad-nv.pcap it is expected.  In
not-fcgi.pcap the built-in heuristics show the 41000 stream as HTTP and the
40001 stream as TLS; everything else is plain `data`.

The `lookalike-*.pcap` captures (issue 9) are not FastCGI: each connection
starts with one well-formed FastCGI-looking record (empty STDIN, PARAMS or
DATA, or a short STDOUT of random bytes) and then carries TLS 1.2, SSH,
redis (RESP) or random binary, on an unbound port and (except random) on
the protocol's own port.  With the plugin loaded every frame must show the
same `frame.protocols`, Protocol and Info as without it.  That expected
output is committed next to each capture as `NAME.builtin.tsv`, written by
`captures/builtin-view.sh --write captures/crafted/lookalike-*.pcap`
(Wireshark 4.0.17, no plugin; columns: frame, frame.protocols, Protocol,
Info of one pass, then the same three of a two-pass run (`-2`) where they
differ) and shown in the tables below.

| File | Tests | Expected decode |
|------|-------|-----------------|
"""


def dedent(doc):
    lines = (doc or "").strip("\n").split("\n")
    ind = min((len(l) - len(l.lstrip()) for l in lines if l.strip()),
              default=0)
    return "\n".join(l[ind:] for l in lines)


def notes_map(pcap):
    """Frame table of the payload segments of non-FastCGI conversations
    (look-alikes), from the notes given to TcpConv.send."""
    rows = []
    for conv in pcap.convs:
        for fno, frm, s, e in conv.log:
            sp, dp = ((conv.cport, conv.sport) if frm == "c"
                      else (conv.sport, conv.cport))
            rows.append((fno, "| %d | %d->%d (%s) | %d | %s |" % (
                fno, sp, dp, "c->s" if frm == "c" else "s->c", e - s,
                conv.notes.get(fno, ""))))
    rows.sort()
    return (["| Frame | Ports (dir) | TCP payload | Content |",
             "|---|---|---|---|"] + [r for _, r in rows])


def builtin_view(fname):
    """The committed NAME.builtin.tsv (written by captures/builtin-view.sh:
    frame, frame.protocols, Protocol and Info columns with no plugin
    loaded, one pass, then the two-pass values where they differ) as a
    table."""
    path = os.path.join(OUTDIR, fname.replace(".pcap", ".builtin.tsv"))
    if not os.path.exists(path):
        return []
    out = ["", "Without the plugin (`test/tshark-plugin.sh --builtin`, "
           "Wireshark 4.0.17; `%s`; the plugin must give the same "
           "`frame.protocols` and Info for every frame):" %
           os.path.basename(path), "",
           "| Frame | frame.protocols | Protocol | Info | Two-pass (-2), "
           "where different |", "|---|---|---|---|---|"]
    with open(path) as f:
        for line in f:
            no, protos, proto, info, p2, c2, i2 = \
                line.rstrip("\n").split("\t")
            two = "; ".join(x for x in (p2, c2, i2) if x)
            out.append("| %s | %s | %s | %s | %s |" % tuple(
                x.replace("|", "\\|") for x in (no, protos, proto, info,
                                                 two)))
    return out


def main():
    os.makedirs(OUTDIR, exist_ok=True)
    table = []
    details = []
    for fname, tests, decode, fn in CAPTURES:
        p = PcapFile(fname)
        fn(p)
        p.write()
        table.append("| `%s` | %s | %s |" % (fname, tests,
                                              decode.replace("|", "\\|")))
        d = ["", "## %s" % fname, "",
             "%d frames." % len(p.frames), "", "```", dedent(fn.__doc__),
             "```", ""]
        fm = frame_map(p)
        if fm:
            d += ["| Frame | Ports (dir) | TCP payload | Records completing "
                  "in frame |", "|---|---|---|---|"] + fm
        elif any(cv.notes for cv in p.convs):
            d += notes_map(p) + builtin_view(fname)
        else:
            d += ["No FastCGI records; %d TCP conversations:" % len(p.convs),
                  "", "| Frames | Client port | Server port | Client "
                  "payload bytes | Server payload bytes |",
                  "|---|---|---|---|---|"]
            first = 1
            for cv in p.convs:
                last = max(fno for fno, _, _, _ in cv.log) + 4  # ACK + FIN x3
                d.append("| %d-%d | %d | %d | %d | %d |" % (
                    first, last, cv.cport, cv.sport, len(cv.stream["c"]),
                    len(cv.stream["s"])))
                first = last + 1
            assert first - 1 == len(p.frames)
        details += d
        print("%-18s %4d frames" % (fname, len(p.frames)))
    with open(os.path.join(OUTDIR, "README.md"), "w") as f:
        f.write(README_HEAD + "\n".join(table) + "\n" + "\n".join(details)
                + "\n")


if __name__ == "__main__":
    main()
