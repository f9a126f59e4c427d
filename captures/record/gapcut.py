#!/usr/bin/env python3
"""Remove one FastCGI segment from a real capture with `editcap -F pcap IN OUT N`, as
if it had not been captured, and document the gap (stdlib + editcap).

  gapcut.py first-stdout --port P [--request K] IN.pcap OUT.pcap
      remove the server segment that holds the header of request K's first
      FCGI_STDOUT record (the CGI response headers)
  gapcut.py mid-record --port P [--request K] IN.pcap OUT.pcap
      remove a server segment in the middle of request K's response such
      that a record is cut: the next server segment starts inside a
      record's content and the next record header after the gap is not at
      a segment start (the candidate nearest to the middle is taken)
  gapcut.py show --port P IN.pcap [FRAME]
      print the map (and, with FRAME, what removing FRAME would cut)

Requests are counted in connection order (K-th BEGIN_REQUEST and K-th
END_REQUEST of the first connection on port P), which is what a keep-alive
connection with request id 1 needs.  Prints, in Markdown, the removed frame,
the bytes and records it held, where the next record header after the gap
starts (frame and offset in its TCP payload, in the original and in the cut
file), and the END_REQUEST frame of every request in both files.
"""
import argparse
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fcgi_summary import TYPES, parse_tcp, read_pcap  # noqa: E402


def connections(path, port):
    """Per TCP connection (in order): segments (frame, dir, off, payload),
    first FIN frame and side, RST frames."""
    conns = {}
    order = []
    for n, lt, pkt in read_pcap(path):
        r = parse_tcp(lt, pkt)
        if r is None:
            continue
        src, sport, dst, dport, seq, flags, payload = r
        if dport == port:
            d, cport = "c", sport
        elif sport == port:
            d, cport = "s", dport
        else:
            continue
        c = conns.get(cport)
        if c is None or (flags & 0x02 and not flags & 0x10 and c["done"]):
            c = {"cport": cport, "isn": {}, "segs": [], "fin": None,
                 "rst": [], "done": False, "frames": []}
            conns[cport] = c
            order.append(c)
        c["frames"].append(n)
        if flags & 0x02:
            c["isn"][d] = seq + 1
            continue
        base = c["isn"].setdefault(d, seq)
        if payload:
            c["segs"].append((n, d, (seq - base) & 0xffffffff, payload))
        if flags & 0x01 and c["fin"] is None:
            c["fin"] = (n, d)
            c["done"] = True
        if flags & 0x04:
            c["rst"].append((n, d))
            c["done"] = True
    return order


def segments(path, port):
    """Data segments of the first connection on `port`:
    list of (frame, dir, stream_offset, payload), dir 'c' or 's'."""
    return connections(path, port)[0]["segs"]


def stream(segs, d):
    buf = bytearray()
    for n, dd, off, pl in segs:
        if dd != d or off + len(pl) <= len(buf):
            continue                       # retransmission
        buf += pl[len(buf) - off:]
    return bytes(buf)


def records(buf):
    """(start, content_start, content_end, end, type, id, clen, plen)."""
    out = []
    off = 0
    while off + 8 <= len(buf):
        _, typ, rid, clen, plen, _ = struct.unpack(">BBHHBB", buf[off:off + 8])
        out.append((off, off + 8, off + 8 + clen, off + 8 + clen + plen,
                    typ, rid, clen, plen))
        off += 8 + clen + plen
    return out


def frame_at(segs, d, off):
    """(frame, offset in its payload) holding stream byte `off`."""
    for n, dd, so, pl in segs:
        if dd == d and so <= off < so + len(pl):
            return n, off - so
    raise ValueError("offset %d not captured" % off)


def name(r):
    return "%s(id=%d,len=%d%s)" % (TYPES.get(r[4], "type%d" % r[4]), r[5],
                                  r[6], ",pad=%d" % r[7] if r[7] else "")


def requests(segs):
    """Per request (connection order): dict with BEGIN frame, record index
    range of the response and END_REQUEST record/frame."""
    c = records(stream(segs, "c"))
    s = records(stream(segs, "s"))
    begins = [r for r in c if r[4] == 1]
    reqs = []
    first = 0
    for i, r in enumerate(s):
        if r[4] == 3:
            reqs.append({"resp": s[first:i + 1], "end": r})
            first = i + 1
    for k, b in enumerate(begins):
        if k < len(reqs):
            reqs[k]["begin"] = b
    return reqs


def held(segs, s_recs, frame):
    """What segment `frame` holds of the records `s_recs` of its direction:
    a list of text items."""
    so, pl = next((so, pl) for n, d, so, pl in segs if n == frame)
    a, b = so, so + len(pl)
    items = []
    for r in s_recs:
        start, cs, ce, end = r[:4]
        if end <= a or start >= b:
            continue
        parts = []
        if start < b and cs > a:
            parts.append("header" if a <= start and cs <= b
                         else "header bytes %d-%d" % (max(a, start) - start,
                                                      min(b, cs) - start - 1))
        lo, hi = max(a, cs), min(b, ce)
        if hi > lo:
            parts.append("all content" if (lo, hi) == (cs, ce) else
                         "content bytes %d-%d of %d" % (lo - cs, hi - cs - 1,
                                                        r[6]))
        lo, hi = max(a, ce), min(b, end)
        if hi > lo:
            parts.append("padding")
        items.append("%s: %s" % (name(r), ", ".join(parts)))
    return a, b, items


def next_header(segs, s_recs, after):
    """First record starting at or after stream offset `after`."""
    for r in s_recs:
        if r[0] >= after:
            return r
    return None


def seg_starts(segs, d):
    return {so for n, dd, so, pl in segs if dd == d}


def pick_first_stdout(segs, reqs, k):
    r = next(r for r in reqs[k - 1]["resp"] if r[4] == 6)
    return frame_at(segs, "s", r[0])[0]


def pick_mid_record(segs, reqs, k):
    resp = reqs[k - 1]["resp"]
    s_recs = records(stream(segs, "s"))
    starts = seg_starts(segs, "s")
    lo, hi = resp[0][0], resp[-1][0]          # first STDOUT .. END_REQUEST
    srv = [(n, so, pl) for n, d, so, pl in segs if d == "s" and lo <= so < hi]
    cands = []
    for i, (n, so, pl) in enumerate(srv[:-1]):
        nxt = srv[i + 1][1]                   # offset where the next one starts
        inside = [r for r in s_recs if r[1] <= nxt < r[2]]
        if not inside:
            continue                          # next segment starts at a header
        hdr = next_header(segs, s_recs, nxt)
        if hdr is None or hdr[0] in starts:
            continue                          # next header at a segment start
        cands.append(n)
    if not cands:
        sys.exit("no segment cuts a record as required")
    mid = srv[len(srv) // 2][0]
    return min(cands, key=lambda n: (abs(n - mid), n))


def report(segs, reqs, frame, inp, out):
    s_recs = records(stream(segs, "s"))
    d = next(d for n, d, so, pl in segs if n == frame)
    a, b, items = held(segs, s_recs, frame)
    new = lambda n: n - 1 if n > frame else n  # frame numbers after editcap
    print("Removed: frame %d of `%s` (%s, TCP payload %d bytes, %s stream "
          "bytes %d-%d) -> `%s`" % (frame, os.path.basename(inp),
                                    "server->client" if d == "s" else
                                    "client->server", b - a,
                                    "server" if d == "s" else "client",
                                    a, b - 1, os.path.basename(out)))
    print("")
    print("It held:")
    for it in items:
        print("- " + it)
    if d == "s":
        hdr = next_header(segs, s_recs, b)
        if hdr is not None:
            hf, ho = frame_at(segs, "s", hdr[0])
            nf, _ = frame_at(segs, "s", b)
            print("")
            print("After the gap: the next server segment is frame %d "
                  "(cut file: %d), starting at stream byte %d; the next "
                  "record header is %s at stream byte %d = frame %d "
                  "(cut file: %d), offset %d of its TCP payload." % (
                      nf, new(nf), b, name(hdr), hdr[0], hf, new(hf), ho))
    print("")
    print("| Request | BEGIN_REQUEST frame | END_REQUEST frame (original) "
          "| END_REQUEST frame (cut file) |")
    print("|---|---|---|---|")
    for k, rq in enumerate(reqs, 1):
        bf = frame_at(segs, "c", rq["begin"][0])[0] if "begin" in rq else 0
        ef = frame_at(segs, "s", rq["end"][0])[0]
        print("| %d | %d (cut file: %d) | %d | %d |" % (k, bf, new(bf), ef,
                                                        new(ef)))


def show(segs):
    recs = {d: records(stream(segs, d)) for d in ("c", "s")}
    for n, d, so, pl in segs:
        _, _, items = held(segs, recs[d], n)
        print("%5d %s off=%-7d len=%-6d %s" % (n, d, so, len(pl),
                                               "; ".join(items)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["first-stdout", "mid-record", "show"])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--request", type=int, default=1)
    ap.add_argument("inp")
    ap.add_argument("out", nargs="?")
    a = ap.parse_args()
    segs = segments(a.inp, a.port)
    reqs = requests(segs)
    if a.mode == "show":
        show(segs)
        if a.out:
            report(segs, reqs, int(a.out), a.inp, "(not written)")
        return
    if a.mode == "first-stdout":
        frame = pick_first_stdout(segs, reqs, a.request)
    else:
        frame = pick_mid_record(segs, reqs, a.request)
    subprocess.run(["editcap", "-F", "pcap", a.inp, a.out, str(frame)],
                   check=True)
    os.chmod(a.out, 0o644)
    report(segs, reqs, frame, a.inp, a.out)


if __name__ == "__main__":
    main()
