#!/usr/bin/env python3
"""Independent FastCGI summary of a classic pcap (stdlib only).

Reassembles each TCP direction (by sequence number), parses the FastCGI
records and prints per connection the records and per request the method,
URI and HTTP status.  Used to cross-check the captures (and Wireshark).

usage: fcgi_summary.py --port 9000 [-v | --types] FILE.pcap
"""
import argparse
import struct
import sys

TYPES = {
    1: "BEGIN_REQUEST", 2: "ABORT_REQUEST", 3: "END_REQUEST", 4: "PARAMS",
    5: "STDIN", 6: "STDOUT", 7: "STDERR", 8: "DATA", 9: "GET_VALUES",
    10: "GET_VALUES_RESULT", 11: "UNKNOWN_TYPE",
}


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        raise SystemExit("%s: not a classic pcap file" % path)
    linktype = struct.unpack(e + "I", data[20:24])[0]
    off = 24
    n = 0
    while off + 16 <= len(data):
        ts, tus, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        n += 1
        yield n, linktype, data[off:off + incl]
        off += incl


def parse_tcp(linktype, pkt):
    if linktype == 1:           # Ethernet
        et = struct.unpack(">H", pkt[12:14])[0]
        p = pkt[14:]
    elif linktype == 113:       # Linux cooked
        et = struct.unpack(">H", pkt[14:16])[0]
        p = pkt[16:]
    elif linktype == 0:         # BSD loopback
        et = 0x0800 if pkt[0] == 2 or pkt[3] == 2 else 0x86dd
        p = pkt[4:]
    else:
        return None
    if et == 0x0800:
        ihl = (p[0] & 15) * 4
        if p[9] != 6:
            return None
        tot = struct.unpack(">H", p[2:4])[0]
        src, dst = p[12:16], p[16:20]
        t = p[ihl:tot]
    elif et == 0x86dd:
        if p[6] != 6:
            return None
        plen = struct.unpack(">H", p[4:6])[0]
        src, dst = p[8:24], p[24:40]
        t = p[40:40 + plen]
    else:
        return None
    sport, dport, seq, ack, offflags = struct.unpack(">HHIIH", t[:14])
    doff = (offflags >> 12) * 4
    flags = offflags & 0x3f
    return src, sport, dst, dport, seq, flags, t[doff:]


def streams(path, port):
    """Return (frames, conns) where conns maps client port -> dict."""
    conns = {}
    order = []
    frames = 0
    for n, lt, pkt in read_pcap(path):
        frames += 1
        r = parse_tcp(lt, pkt)
        if r is None:
            continue
        src, sport, dst, dport, seq, flags, payload = r
        if dport == port:
            key, d = (src, sport), "c2s"
        elif sport == port:
            key, d = (dst, dport), "s2c"
        else:
            continue
        c = conns.get(key)
        if c is None or (flags & 0x02 and not flags & 0x10 and c.get("closed")):
            c = {"c2s": {}, "s2c": {}, "isn": {}, "frames": [], "closed": False}
            conns[key] = c
            order.append(c)
        c["frames"].append(n)
        if flags & 0x02:        # SYN
            c["isn"][d] = seq + 1
        if flags & 0x05:        # FIN / RST
            c["closed"] = True
        if payload:
            c[d].setdefault(seq, payload)
    out = []
    for c in order:
        res = {"frames": c["frames"]}
        for d in ("c2s", "s2c"):
            segs = sorted(c[d].items())
            buf = bytearray()
            nxt = c["isn"].get(d, segs[0][0] if segs else 0)
            for seq, pl in segs:
                rel = (seq - nxt) & 0xffffffff
                if rel > 0x7fffffff:  # overlap / retransmission
                    skip = (nxt - seq) & 0xffffffff
                    if skip >= len(pl):
                        continue
                    pl = pl[skip:]
                elif rel != 0:
                    res.setdefault("gaps", 0)
                    res["gaps"] += 1
                buf += pl
                nxt = (nxt + len(pl)) & 0xffffffff
            res[d] = bytes(buf)
        out.append(res)
    return frames, out


def records(buf):
    off = 0
    while off + 8 <= len(buf):
        ver, typ, rid, clen, plen, _ = struct.unpack(">BBHHBB", buf[off:off + 8])
        content = buf[off + 8:off + 8 + clen]
        if len(content) < clen:
            yield ("TRUNCATED", typ, rid, clen, plen, content)
            return
        yield (ver, typ, rid, clen, plen, content)
        off += 8 + clen + plen
    if off != len(buf):
        yield ("TRAILING", 0, 0, len(buf) - off, 0, b"")


def nv_pairs(b):
    i = 0
    out = []
    while i < len(b):
        lens = []
        for _ in range(2):
            if b[i] & 0x80:
                lens.append(struct.unpack(">I", b[i:i + 4])[0] & 0x7fffffff)
                i += 4
            else:
                lens.append(b[i])
                i += 1
        k = b[i:i + lens[0]]
        i += lens[0]
        v = b[i:i + lens[1]]
        i += lens[1]
        out.append((k.decode("latin-1"), v.decode("latin-1")))
    return out


def newreq(rid):
    return {"id": rid, "params": b"", "stdout": b"", "stdin": 0,
            "stderr": b"", "end": None, "flags": None, "role": None}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--types", action="store_true",
                    help="only print 'COUNT TYPE' lines (numeric record types)")
    ap.add_argument("pcap")
    a = ap.parse_args()
    frames, conns = streams(a.pcap, a.port)
    if a.types:
        hist = {}
        for c in conns:
            for d in ("c2s", "s2c"):
                for r in records(c[d]):
                    hist[r[1]] = hist.get(r[1], 0) + 1
        for t in sorted(hist):
            print("%d %d" % (hist[t], t))
        return
    totals = {}
    nreq = 0
    print("%s: %d frames, %d TCP connection(s) on port %d"
          % (a.pcap, frames, len(conns), a.port))
    for ci, c in enumerate(conns, 1):
        print(" conn %d: frames %d-%d (%d)%s" % (
            ci, c["frames"][0], c["frames"][-1], len(c["frames"]),
            "  GAPS!" if c.get("gaps") else ""))
        reqs = {}      # id -> list of requests (ids are reused sequentially)
        done = {}      # id -> number of requests of that id already ended
        allreqs = []

        def cur(rid, d):
            lst = reqs.setdefault(rid, [])
            if d == "c2s":
                if not lst:
                    lst.append(newreq(rid))
                    allreqs.append(lst[-1])
                return lst[-1]
            i = done.get(rid, 0)
            while len(lst) <= i:
                lst.append(newreq(rid))
                allreqs.append(lst[-1])
            return lst[i]

        for d in ("c2s", "s2c"):
            for ver, typ, rid, clen, plen, content in records(c[d]):
                name = TYPES.get(typ, "type%d" % typ)
                if not isinstance(ver, int):
                    name = "%s(%s)" % (ver, name)
                totals[name] = totals.get(name, 0) + 1
                if typ == 1:
                    rq = newreq(rid)
                    reqs.setdefault(rid, []).append(rq)
                    allreqs.append(rq)
                    rq["flags"] = content[2] if len(content) > 2 else None
                    rq["role"] = struct.unpack(">H", content[:2])[0] if clen >= 2 else None
                elif typ == 4:
                    cur(rid, d)["params"] += content
                elif typ == 5:
                    cur(rid, d)["stdin"] += clen
                elif typ == 6:
                    cur(rid, d)["stdout"] += content
                elif typ == 7:
                    cur(rid, d)["stderr"] += content
                elif typ == 3:
                    cur(rid, d)["end"] = struct.unpack(">IB", content[:5]) if clen >= 5 else None
                    done[rid] = done.get(rid, 0) + 1
                if a.verbose:
                    extra = ""
                    if typ in (9, 10):
                        extra = " " + repr(nv_pairs(content))
                    elif typ == 11:
                        extra = " unknown type=%d" % content[0]
                    elif typ == 7:
                        extra = " " + repr(content[:80])
                    elif typ == 3:
                        extra = " app_status=%d protocol_status=%d" % struct.unpack(">IB", content[:5])
                    print("   %s id=%d %-17s len=%d pad=%d%s"
                          % (d, rid, name, clen, plen, extra))
        for rq in allreqs:
            if rq["flags"] is None:
                continue
            nreq += 1
            p = dict(nv_pairs(rq["params"])) if rq["params"] else {}
            hdr = rq["stdout"].split(b"\r\n\r\n", 1)[0].decode("latin-1", "replace")
            status = "200"
            for line in hdr.split("\r\n"):
                if line.lower().startswith("status:"):
                    status = line.split(":", 1)[1].strip()
                elif line.lower().startswith("location:") and status == "200":
                    status = "302 (Location)"
            print("   req id=%d keep_conn=%d %s %s script=%s stdin=%d stdout=%d "
                  "stderr=%d status=%s end=%s" % (
                      rq["id"], (rq["flags"] or 0) & 1, p.get("REQUEST_METHOD", "?"),
                      p.get("REQUEST_URI", "?"),
                      p.get("SCRIPT_FILENAME", "?"), rq["stdin"],
                      len(rq["stdout"]), len(rq["stderr"]), status, rq["end"]))
    print(" records: " + ", ".join("%s=%d" % kv for kv in sorted(totals.items())))
    print(" FastCGI requests (BEGIN_REQUEST): %d" % nreq)


if __name__ == "__main__":
    main()
