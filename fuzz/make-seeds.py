#!/usr/bin/env python3
"""make-seeds.py: seed corpus for fuzz_fcgi from the captures.

    fuzz/make-seeds.py [--max-bytes N] [--out fuzz/seeds] [PCAP...]

One seed per TCP connection that carries payload (plus a few crafted-*
seeds for what the captures lack): the flags byte, then the
connection's segments in capture order in the format fuzz_fcgi.c reads
(segments separated by "\\xf0SEG" + a control byte whose bit 0 is the
direction).  A segment after a gap (data not captured, as in
captures/phpfpm-gap*-*.pcap) gets control bit 2, an exact repeat of the
previous segment bit 1 (retransmission); other overlaps are left out.
When the first gap lies beyond --max-bytes, a second seed NAME-NN-gap
starts mid-connection at the segment after the gap (flags bits 4 and 2:
no handshake, port 9001 decoded as fcgi).  A seed
stops growing at --max-bytes (default 6000) and the segment that crosses
the limit is cut.  Connections without a handshake in the capture get
flag bit 4 (no handshake).  Deterministic; standard library only.

    fuzz/make-seeds.py --to-pcap SEED OUT.pcap

writes a seed (or any fuzz_fcgi input, e.g. a crash) as the pcap the
harness dissects: the same Ethernet/IPv4/TCP frames, for tshark.
"""

import argparse
import glob
import hashlib
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import pcapmut  # noqa: E402

MARKER = b"\xf0SEG"
FCGI_PORTS = set(range(9000, 9014)) | {9123} | set(range(40000, 40011))
MAX_FLOWS_PER_CAPTURE = 12


def flows_of(path):
    hdr, packets = pcapmut.read_pcap(path)
    flows = {}
    order = []
    for p in packets:
        t = pcapmut.tcp_info(p, hdr["linktype"])
        if not t:
            continue
        src, sport, dst, dport = t.flow
        key = tuple(sorted([(src, sport), (dst, dport)]))
        if key not in flows:
            flows[key] = {"syn": False, "segs": [], "next": {}, "last": {}, "server": None}
            order.append(key)
        f = flows[key]
        tcp_flags = p.data[t.tcp_off + 13]
        if f["server"] is None:
            if dport in FCGI_PORTS and sport not in FCGI_PORTS:
                f["server"] = (dst, dport)
            elif sport in FCGI_PORTS and dport not in FCGI_PORTS:
                f["server"] = (src, sport)
            elif tcp_flags & 0x12 == 0x02:
                f["server"] = (dst, dport)
        if tcp_flags & 0x02:
            f["syn"] = True
        payload = bytes(p.data[t.pay_off:t.pay_end])
        direction = (src, sport)
        expect = f["next"].get(direction)
        if tcp_flags & 0x02:
            f["next"][direction] = (t.seq + 1) & 0xFFFFFFFF
            continue
        if not payload:
            continue
        extra = 0
        if expect is not None and t.seq != expect:
            ahead = (t.seq - expect) & 0xFFFFFFFF
            last = f["last"].get(direction)
            if 0 < ahead < 0x80000000:
                extra = 0x04    # gap: data not captured (harness control bit 2)
            elif last == (t.seq, payload):
                extra = 0x02    # exact retransmission of the previous segment
            else:
                continue        # other overlaps: leave them out
        if not extra & 0x02:
            f["next"][direction] = (t.seq + len(payload)) & 0xFFFFFFFF
        f["last"][direction] = (t.seq, payload)
        f["segs"].append((direction, payload, extra))
    result = []
    for key in order:
        f = flows[key]
        if not f["segs"]:
            continue
        server = f["server"] or key[1]
        result.append((f["syn"], [((1 if d == server else 0) | extra, pl)
                                  for d, pl, extra in f["segs"]]))
    return result


def seed_bytes(syn, segs, max_bytes, flags=0):
    """segs: (control, payload); control bit 0 is the direction, bit 1
    retransmission, bit 2 gap before the segment (fuzz_fcgi.c)."""
    out = bytearray([(0x00 if syn else 0x10) | flags])
    first = True
    for control, payload in segs:
        if not first:
            out += MARKER + bytes([control])
        elif control:
            # the first segment has control 0 (client to server): start
            # with an empty one, then the server's
            out += MARKER + bytes([control])
        first = False
        room = max_bytes - len(out)
        if room <= 0:
            break
        out += payload[:room]
    return bytes(out)


def _rec(rtype, rid, content=b"", pad=0):
    return struct.pack(">BBHHBB", 1, rtype, rid, len(content), pad, 0) + content + b"\0" * pad


def _nv(name, value):
    def length(n):
        return bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)
    return length(len(name)) + length(len(value)) + name + value


def _request(rid, params, role=1, keep=0, stdin=b"", data=None):
    out = _rec(1, rid, struct.pack(">HB5x", role, keep))
    out += _rec(4, rid, b"".join(_nv(n, v) for n, v in params)) + _rec(4, rid)
    if stdin:
        out += _rec(5, rid, stdin)
    out += _rec(5, rid)
    if data is not None:
        out += _rec(8, rid, data) + _rec(8, rid)
    return out


def _response(rid, headers, body=b"", end=True):
    out = _rec(6, rid, headers + b"\r\n" + body) + _rec(6, rid)
    if end:
        out += _rec(3, rid, b"\0" * 8)
    return out


def crafted_seeds():
    """Synthetic inputs for what the captures lack (name, bytes)."""
    import gzip
    seg = lambda d: MARKER + bytes([d])          # noqa: E731
    get = [(b"REQUEST_METHOD", b"GET")]
    out = {}
    # FCGI_FILTER with a DATA stream
    out["crafted-filter-data"] = bytes([0]) + _request(1, get + [(b"SCRIPT_NAME", b"/f.php")], role=3,
                                                        stdin=b"in", data=b"the filtered file") + \
        seg(1) + _response(1, b"Content-Type: text/plain\r\n", b"out")
    # hostile script names for Export Objects, keep-alive connection
    names = [b"/a/../b\\c\x01d", b"/dir/", b"..", b"/x/....//y?q=1", b"/\x7f\x1f"]
    data = bytes([0])
    for i, n in enumerate(names):
        if i:
            data += seg(0)
        data += _request(1, get + [(b"SCRIPT_NAME", n)], keep=1) + seg(1) + \
            _response(1, b"Content-Type: text/html\r\n", b"<p>%d</p>" % i)
    data += seg(0) + _request(1, get + [(b"REQUEST_URI", b"")], keep=1) + seg(1) + \
        _response(1, b"Status: 204 No Content\r\n")
    out["crafted-eo-names"] = data
    # two requests whose PARAMS end in the same segment (two Info summaries)
    two = _rec(1, 1, struct.pack(">HB5x", 1, 1)) + _rec(1, 2, struct.pack(">HB5x", 1, 1))
    two += _rec(4, 1, _nv(b"REQUEST_METHOD", b"GET") + _nv(b"REQUEST_URI", b"/one"))
    two += _rec(4, 2, _nv(b"REQUEST_METHOD", b"POST") + _nv(b"SCRIPT_NAME", b"/two") +
                _nv(b"QUERY_STRING", b"a=b") + _nv(b"CONTENT_TYPE", b"application/x-www-form-urlencoded") +
                _nv(b"CONTENT_LENGTH", b"3"))
    two += _rec(4, 1) + _rec(4, 2) + _rec(5, 1) + _rec(5, 2, b"a=b") + _rec(5, 2)
    out["crafted-two-summaries"] = bytes([0]) + two + seg(1) + \
        _response(2, b"Status: 404 Not Found\r\nContent-Type: text/html; charset=UTF-8\r\n", b"nf") + \
        _response(1, b"Location: /elsewhere\r\n")
    # gzip and deflate bodies, one corrupt
    body = gzip.compress(b"<html>" + b"x" * 200 + b"</html>", mtime=0)
    out["crafted-gzip"] = bytes([0]) + _request(1, get, keep=1) + seg(1) + \
        _response(1, b"Content-Type: text/html\r\nContent-Encoding: gzip\r\n", body) + seg(0) + \
        _request(1, get, keep=1) + seg(1) + \
        _response(1, b"Content-Encoding: deflate\r\nContent-Type: application/json\r\n", body[:20])
    # management records: GET_VALUES_RESULT with values that are not numbers
    vals = _nv(b"FCGI_MAX_CONNS", b"10x") + _nv(b"FCGI_MAX_REQS", b"99999999999") + _nv(b"FCGI_MPXS_CONNS", b"")
    out["crafted-get-values"] = bytes([0]) + _rec(9, 0, _nv(b"FCGI_MAX_CONNS", b"") + _nv(b"X" * 200, b"")) + \
        seg(1) + _rec(10, 0, vals) + _rec(11, 0, b"\x14" + b"\0" * 7) + _rec(10, 0)
    # a body for a media type whose dissector throws (regressions/)
    out["crafted-media-throws"] = bytes([0]) + _request(1, get + [(b"REQUEST_URI", b"/x")]) + seg(1) + \
        _response(1, b"Content-Type: application/dns-message\r\n", b"\0\1\1")
    return out


def to_pcap(seed_path, out_path):
    """Rebuilds the frames fuzz_fcgi.c makes of an input (keep in sync)."""
    with open(seed_path, "rb") as f:
        data = f.read()
    if not data:
        sys.exit("empty input")
    flags = data[0]
    cport, sport = 50123, 9001 if flags & 0x04 else 9000
    frames = []
    nxt = [0x10000000, 0x20000000]
    last = list(nxt)

    def frame(direction, tcp_flags, seq, payload=b""):
        if len(frames) >= 256:
            return
        ack = nxt[1 - direction] if tcp_flags & 0x10 else 0
        ports = (cport, sport) if direction == 0 else (sport, cport)
        ips = (b"\x0a\0\0\x01", b"\x0a\0\0\x02") if direction == 0 else (b"\x0a\0\0\x02", b"\x0a\0\0\x01")
        macs = b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01" if direction == 0 else b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02"
        ip = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0, 40 + len(payload), (len(frames) + 1) & 0xFFFF,
                                   0x4000, 64, 6, 0, ips[0], ips[1]))
        s = sum(struct.unpack(">10H", ip))
        while s >> 16:
            s = (s & 0xFFFF) + (s >> 16)
        ip[10:12] = struct.pack(">H", ~s & 0xFFFF)
        tcp = struct.pack(">HHIIBBHHH", ports[0], ports[1], seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                          0x50, tcp_flags, 0xFFFF, 0, 0)
        frames.append(macs + b"\x08\x00" + bytes(ip) + tcp + payload)

    def segment(control, payload):
        d = control & 1
        if control & 0x04:
            nxt[d] += 1
        seq = last[d] if control & 0x02 else nxt[d]
        if control & 0x10:
            frame(d, 0x14, seq, payload)
        elif payload or not control & 0x08:
            frame(d, 0x10 | (0x08 if payload else 0), seq, payload)
        last[d] = seq
        if (seq + len(payload) - nxt[d]) & 0xFFFFFFFF < 0x80000000:
            nxt[d] = (seq + len(payload)) & 0xFFFFFFFF
        if control & 0x08:
            frame(d, 0x11, nxt[d])
            nxt[d] += 1

    if not flags & 0x10:
        frame(0, 0x02, nxt[0])
        nxt[0] += 1
        frame(1, 0x12, nxt[1])
        nxt[1] += 1
        frame(0, 0x10, nxt[0])
        last[:] = nxt
    rest = data[1:]
    control = 0
    while True:
        i = rest.find(MARKER)
        if i < 0 or i + 5 > len(rest):
            segment(control, rest)
            break
        segment(control, rest[:i])
        control = rest[i + 4]
        rest = rest[i + 5:]
    hdr = {"endian": "<", "magic": pcapmut.MAGIC_USEC, "vmaj": 2, "vmin": 4, "zone": 0, "sigfigs": 0,
           "snaplen": 262144, "linktype": 1}
    pkts = []
    usec = 0
    for fr in frames:
        usec += 1000
        pkts.append(pcapmut.Packet(1700000000 + usec // 1000000, usec % 1000000, len(fr), fr))
    pcapmut.write_pcap(out_path, hdr, pkts)
    note = "  (flags %#04x: %s)" % (flags, "tcp.port 9001 is decoded as fcgi: replay with -d tcp.port==9001,fcgi"
                                   if flags & 0x04 else "port 9000, heuristic")
    print("%s: %d frames%s" % (out_path, len(frames), note))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--max-bytes", type=int, default=6000)
    ap.add_argument("--out", default=os.path.join(HERE, "seeds"))
    ap.add_argument("--to-pcap", nargs=2, metavar=("INPUT", "OUT_PCAP"))
    ap.add_argument("pcaps", nargs="*")
    args = ap.parse_args()
    if args.to_pcap:
        to_pcap(*args.to_pcap)
        return 0
    pcaps = args.pcaps or sorted(glob.glob(os.path.join(ROOT, "captures", "*.pcap")) +
                                 glob.glob(os.path.join(ROOT, "captures", "crafted", "*.pcap")))
    os.makedirs(args.out, exist_ok=True)
    seen = set()
    n = total = 0
    for path in pcaps:
        name = os.path.splitext(os.path.basename(path))[0]
        for i, (syn, segs) in enumerate(flows_of(path)[:MAX_FLOWS_PER_CAPTURE]):
            data = seed_bytes(syn, segs, args.max_bytes)
            digest = hashlib.sha1(data).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            with open(os.path.join(args.out, "%s-%02d" % (name, i)), "wb") as f:
                f.write(data)
            n += 1
            total += len(data)
            # a gap (lost segment) too far in for the seed: one more seed
            # that starts mid-connection at the first segment after it, on
            # the port decoded as fcgi (flags bits 4 and 2)
            gaps = [k for k, (c, _) in enumerate(segs) if c & 0x04]
            if gaps and len(seed_bytes(syn, segs[:gaps[0]], args.max_bytes)) >= args.max_bytes:
                after = [(c & ~0x04, pl) for c, pl in segs[gaps[0]:]]
                data = seed_bytes(False, after, args.max_bytes, flags=0x04)
                with open(os.path.join(args.out, "%s-%02d-gap" % (name, i)), "wb") as f:
                    f.write(data)
                n += 1
                total += len(data)
    if not args.pcaps:
        for name, data in sorted(crafted_seeds().items()):
            with open(os.path.join(args.out, name), "wb") as f:
                f.write(data)
            n += 1
            total += len(data)
    print("%d seeds, %d bytes in %s" % (n, total, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
