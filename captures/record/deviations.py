#!/usr/bin/env python3
"""List what the FastCGI peers in a capture do that the FastCGI 1.0
specification does not ask for (or frowns on), per connection, with frame
numbers.  Standard library only.

  deviations.py FILE.pcap:PORT [FILE2.pcap:PORT2 ...]

Checked (spec section in brackets):
  * header reserved byte not zero [3.3]
  * padding bytes not zero; padding that does not align the record to 8
    bytes is NOT reported (the spec only recommends alignment)
  * FCGI_BEGIN_REQUEST body reserved bytes not zero [5.1]
  * FCGI_END_REQUEST body reserved bytes not zero [5.5]
  * a stream (STDOUT, STDERR; PARAMS, STDIN from the client) with data but
    no empty record ending it before FCGI_END_REQUEST [3.3, 5.3]
  * the client's empty STDIN (end of stdin) arriving after the
    application's first response record (late end of STDIN)
  * records of a request after its FCGI_END_REQUEST
  * an empty GET_VALUES_RESULT after a GET_VALUES_RESULT (terminator that
    the spec does not define for management records) [4.1]
  * a record of unknown type not answered with FCGI_UNKNOWN_TYPE [4.2]
  * FCGI_KEEP_CONN clear but the web server closes first (usually a race
    right after END_REQUEST), or set and the application closes [5.1]; RST
  * a side closing the connection while a request has no END_REQUEST yet
    (without FCGI_ABORT_REQUEST) [5.4]
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fcgi_summary import TYPES  # noqa: E402
from gapcut import connections, records  # noqa: E402

STREAMS = {4: "PARAMS", 5: "STDIN", 6: "STDOUT", 7: "STDERR", 8: "DATA"}


def last_frame(segs, d, end):
    """Frame holding stream byte end-1 (first capture of it)."""
    for n, dd, so, pl in segs:
        if dd == d and so < end <= so + len(pl):
            return n
    return None


def stream_with_holes(segs, d):
    buf = bytearray()
    for n, dd, off, pl in segs:
        if dd != d or off + len(pl) <= len(buf):
            continue
        if off > len(buf):
            return None                       # gap: do not guess
        buf += pl[len(buf) - off:]
    return bytes(buf)


def check(path, port):
    out = []
    for ci, c in enumerate(connections(path, port), 1):
        segs = c["segs"]
        recs = []
        for d in ("c", "s"):
            buf = stream_with_holes(segs, d)
            if buf is None:
                out.append((ci, c, "gap in the %s stream: not checked" % d))
                continue
            for r in records(buf):
                start, cs, ce, end, typ, rid, clen, plen = r
                if end > len(buf):
                    continue
                f = last_frame(segs, d, end)
                recs.append((f, d, typ, rid, clen, buf[start:start + 8],
                             buf[cs:ce], buf[ce:end]))
        recs.sort(key=lambda x: (x[0], x[1] == "s"))
        notes = []
        ended = {}
        open_streams = {}
        first_resp = {}
        keep = None
        prev_gvr = None
        for f, d, typ, rid, clen, hdr, content, pad in recs:
            who = "web server" if d == "c" else "application"
            name = TYPES.get(typ, "type %d" % typ)
            if hdr[7] != 0:
                notes.append("frame %d: %s %s header reserved byte 0x%02x"
                             % (f, who, name, hdr[7]))
            if any(pad):
                notes.append("frame %d: %s %s padding bytes not zero"
                             % (f, who, name))
            if typ == 1:
                keep = content[2] & 1 if len(content) > 2 else None
                ended.pop(rid, None)
                for k in [k for k in open_streams if k[0] == rid]:
                    del open_streams[k]
                first_resp.pop(rid, None)
                if len(content) == 8 and any(content[3:]):
                    notes.append("frame %d: BEGIN_REQUEST reserved bytes %s"
                                 % (f, content[3:].hex()))
            elif typ == 3:
                if len(content) == 8 and any(content[5:]):
                    notes.append("frame %d: END_REQUEST reserved bytes %s"
                                 % (f, content[5:].hex()))
                for (r2, t2), dd in sorted(open_streams.items()):
                    if r2 == rid and dd == "s":
                        notes.append("frame %d: END_REQUEST but %s stream "
                                     "had data and no empty record ending it"
                                     % (f, STREAMS[t2]))
                for k in [k for k in open_streams if k[0] == rid and
                          open_streams[k] == "s"]:
                    del open_streams[k]
                ended[rid] = f
            elif rid in ended and typ in STREAMS:
                notes.append("frame %d: %s %s for request %d after its "
                             "END_REQUEST (frame %d)%s" % (
                                 f, who, name + (" (empty)" if not clen
                                                 else ""), rid, ended[rid],
                                 ""))
            if typ in STREAMS:
                if d == "s" and rid not in first_resp:
                    first_resp[rid] = f
                if clen:
                    open_streams[(rid, typ)] = d
                else:
                    open_streams.pop((rid, typ), None)
                    if (typ == 5 and d == "c" and rid in first_resp
                            and rid not in ended):
                        notes.append("frame %d: empty STDIN (end of stdin) "
                                     "after the application's first response "
                                     "record (frame %d)" % (f, first_resp[rid]))
            if typ == 10:
                if clen == 0 and prev_gvr is not None:
                    notes.append("frame %d: empty GET_VALUES_RESULT after "
                                 "the GET_VALUES_RESULT of frame %d"
                                 % (f, prev_gvr))
                prev_gvr = f
            if typ > 11 and d == "c":
                answered = any(t == 11 and dd == "s" and ff >= f
                               for ff, dd, t, *_ in recs)
                if not answered:
                    notes.append("frame %d: record of unknown type %d not "
                                 "answered with UNKNOWN_TYPE" % (f, typ))
        if c["fin"] or c["rst"]:
            n, d = c["fin"] or c["rst"][0]
            begun = {}
            for f, dd, typ, rid, *_ in recs:
                if typ == 1 and f < n:
                    begun[rid] = f
                elif typ == 3 and f < n:
                    begun.pop(rid, None)
            for rid, bf in sorted(begun.items()):
                notes.append("frame %d: the %s closes the connection (%s) "
                             "while request %d (BEGIN_REQUEST frame %d) has "
                             "no END_REQUEST yet%s" % (
                                 n, "web server" if d == "c" else
                                 "application", "FIN" if c["fin"] and
                                 c["fin"][0] == n else "RST", rid, bf,
                                 " (no ABORT_REQUEST sent)" if d == "c"
                                 else ""))
        if c["fin"]:
            n, d = c["fin"]
            if keep == 0 and d == "c":
                notes.append("frame %d: FCGI_KEEP_CONN clear, but the web "
                             "server closes first (FIN)" % n)
            if keep == 1 and d == "s":
                notes.append("frame %d: FCGI_KEEP_CONN set, but the "
                             "application closes (FIN)" % n)
        for n, d in c["rst"]:
            notes.append("frame %d: RST from the %s" % (
                n, "web server" if d == "c" else "application"))
        for k, d in sorted(open_streams.items()):
            if d == "c":
                notes.append("%s stream of request %d not ended by an "
                             "empty record" % (STREAMS[k[1]], k[0]))
        for nt in notes:
            out.append((ci, c, nt))
    return out


def main():
    if len(sys.argv) < 2 or any(":" not in x for x in sys.argv[1:]):
        sys.exit(__doc__)
    for arg in sys.argv[1:]:
        path, port = arg.rsplit(":", 1)
        port = int(port)
        res = check(path, port)
        print("%s (port %d): %d note(s)" % (os.path.basename(path), port,
                                            len(res)))
        for ci, c, nt in res:
            print("  conn %d (client port %d): %s" % (ci, c["cport"], nt))


if __name__ == "__main__":
    main()
