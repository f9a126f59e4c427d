#!/usr/bin/env python3
"""pcapmut.py: seeded, TCP-aware mutation of classic pcap files.

    fuzz/pcapmut.py --seed N [--ops K] IN.pcap OUT.pcap

Reads a classic pcap (either byte order, usec or nsec), applies K random
operations chosen from a random.Random(N) and writes a classic pcap.  The
same seed, input and K always give the same output; the operations done
are printed on stdout, one per line.

Operations (TCP payloads are found through Ethernet/802.1Q, Linux SLL, BSD
loopback and raw IP links, IPv4 and IPv6):

  drop      delete a packet
  dup       emit a packet twice (sometimes with the copy's payload changed:
            a conflicting retransmission)
  reorder   move a packet 1-4 places later
  flip      change 1-8 bytes of one TCP payload (random, bit flip or an
            "interesting" byte), never the link/IP/TCP headers
  fcgi      find FastCGI record headers (01 TT ...) in a TCP payload and set
            a field (type, id, content length, padding, reserved, version)
            or a name-value length to an edge value
  token     overwrite payload bytes with a token from a small dictionary
            (CGI headers, CRLFs, name-value lengths, gzip magic...)
  insert    insert or delete bytes inside a payload (the IP length follows,
            later sequence numbers do not: a gap or an overlap)
  split     cut one segment in two at a random offset, sequence numbers and
            IP lengths right
  merge     join two adjacent segments of the same flow and direction
  truncate  cut one packet's captured bytes (the original length stays, as
            with a snapshot length)
  seq       move a segment's sequence number a little (overlap or gap)
  flags     set or clear TCP flags (SYN, FIN, RST) on a segment
  lose      delete one data segment (never the first of its direction):
            a segment lost before the capture point, the next one starting
            inside a record more often than not
  loserun   delete 2-5 consecutive data segments of one direction
  retrans   insert an exact copy of a data segment 1-12 packets later (a
            retransmission, usually after its ACK)
  overlap   insert the tail of a data segment (sequence number and IP
            length right) 0-6 packets later: a partial retransmission

Only the Python standard library is used.  Checksums are not recomputed:
Wireshark does not verify them by default.
"""

import argparse
import random
import struct
import sys

LINKTYPE_NULL = 0
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_RAW_ALT = 12
LINKTYPE_LINUX_SLL = 113
LINKTYPE_IPV4 = 228
LINKTYPE_IPV6 = 229

MAGIC_USEC = 0xA1B2C3D4
MAGIC_NSEC = 0xA1B23C4D


class Packet:
    __slots__ = ("ts_sec", "ts_frac", "orig_len", "data")

    def __init__(self, ts_sec, ts_frac, orig_len, data):
        self.ts_sec = ts_sec
        self.ts_frac = ts_frac
        self.orig_len = orig_len
        self.data = bytearray(data)

    def copy(self):
        return Packet(self.ts_sec, self.ts_frac, self.orig_len, bytes(self.data))


def read_pcap(path):
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 24:
        raise ValueError("%s: too short for a pcap header" % path)
    for endian in ("<", ">"):
        magic = struct.unpack(endian + "I", blob[:4])[0]
        if magic in (MAGIC_USEC, MAGIC_NSEC):
            break
    else:
        raise ValueError("%s: not a classic pcap file" % path)
    _, vmaj, vmin, zone, sigfigs, snaplen, linktype = struct.unpack(endian + "IHHiIII", blob[:24])
    hdr = {"endian": endian, "magic": magic, "vmaj": vmaj, "vmin": vmin, "zone": zone,
           "sigfigs": sigfigs, "snaplen": snaplen, "linktype": linktype & 0x0FFFFFFF}
    packets = []
    off = 24
    while off + 16 <= len(blob):
        ts_sec, ts_frac, incl, orig = struct.unpack(endian + "IIII", blob[off:off + 16])
        off += 16
        data = blob[off:off + incl]
        off += incl
        packets.append(Packet(ts_sec, ts_frac, orig, data))
    return hdr, packets


def write_pcap(path, hdr, packets):
    e = hdr["endian"]
    out = bytearray(struct.pack(e + "IHHiIII", hdr["magic"], hdr["vmaj"], hdr["vmin"], hdr["zone"],
                                hdr["sigfigs"], max(hdr["snaplen"], 262144), hdr["linktype"]))
    for p in packets:
        out += struct.pack(e + "IIII", p.ts_sec, p.ts_frac, len(p.data), max(p.orig_len, len(p.data)))
        out += p.data
    with open(path, "wb") as f:
        f.write(out)


class TcpInfo:
    """Where the IP header, TCP header and TCP payload of a packet are."""
    __slots__ = ("ip_off", "ip_ver", "tcp_off", "pay_off", "pay_end", "flow", "seq")


def _ip_offset(data, linktype):
    if linktype == LINKTYPE_ETHERNET:
        off, etype = 14, None
        if len(data) < 14:
            return None
        etype = struct.unpack(">H", data[12:14])[0]
        while etype in (0x8100, 0x88A8) and len(data) >= off + 4:
            etype = struct.unpack(">H", data[off + 2:off + 4])[0]
            off += 4
        return off if etype in (0x0800, 0x86DD) else None
    if linktype == LINKTYPE_LINUX_SLL:
        if len(data) < 16:
            return None
        etype = struct.unpack(">H", data[14:16])[0]
        return 16 if etype in (0x0800, 0x86DD) else None
    if linktype == LINKTYPE_NULL:
        return 4 if len(data) >= 4 else None
    if linktype in (LINKTYPE_RAW, LINKTYPE_RAW_ALT, LINKTYPE_IPV4, LINKTYPE_IPV6):
        return 0
    return None


def tcp_info(pkt, linktype):
    data = pkt.data
    ip = _ip_offset(data, linktype)
    if ip is None or len(data) < ip + 20:
        return None
    ver = data[ip] >> 4
    if ver == 4:
        ihl = (data[ip] & 0x0F) * 4
        if data[ip + 9] != 6 or ihl < 20:
            return None
        if struct.unpack(">H", data[ip + 6:ip + 8])[0] & 0x3FFF:
            return None         # fragments: leave them alone
        total = struct.unpack(">H", data[ip + 2:ip + 4])[0]
        tcp = ip + ihl
        src, dst = bytes(data[ip + 12:ip + 16]), bytes(data[ip + 16:ip + 20])
        ip_end = ip + total
    elif ver == 6:
        if len(data) < ip + 40 or data[ip + 6] != 6:
            return None
        plen = struct.unpack(">H", data[ip + 4:ip + 6])[0]
        tcp = ip + 40
        src, dst = bytes(data[ip + 8:ip + 24]), bytes(data[ip + 24:ip + 40])
        ip_end = tcp + plen
    else:
        return None
    if len(data) < tcp + 20:
        return None
    doff = (data[tcp + 12] >> 4) * 4
    if doff < 20:
        return None
    t = TcpInfo()
    t.ip_off, t.ip_ver, t.tcp_off = ip, ver, tcp
    t.pay_off = tcp + doff
    t.pay_end = min(len(data), ip_end)
    if t.pay_end < t.pay_off:
        t.pay_end = t.pay_off
    sport, dport, seq = struct.unpack(">HHI", data[tcp:tcp + 8])
    t.flow = (src, sport, dst, dport)
    t.seq = seq
    return t


def set_ip_payload_len(pkt, t, payload_len):
    """Makes the IP header announce a TCP payload of payload_len bytes."""
    d = pkt.data
    if t.ip_ver == 4:
        total = (t.pay_off - t.ip_off) + payload_len
        d[t.ip_off + 2:t.ip_off + 4] = struct.pack(">H", total & 0xFFFF)
        # IPv4 header checksum, so that nothing but the change is flagged
        d[t.ip_off + 10:t.ip_off + 12] = b"\0\0"
        ihl = (d[t.ip_off] & 0x0F) * 4
        s = 0
        for i in range(t.ip_off, t.ip_off + ihl, 2):
            s += (d[i] << 8) | d[i + 1]
        while s >> 16:
            s = (s & 0xFFFF) + (s >> 16)
        d[t.ip_off + 10:t.ip_off + 12] = struct.pack(">H", ~s & 0xFFFF)
    else:
        d[t.ip_off + 4:t.ip_off + 6] = struct.pack(">H", ((t.pay_off - t.tcp_off) + payload_len) & 0xFFFF)


def set_seq(pkt, t, seq):
    pkt.data[t.tcp_off + 4:t.tcp_off + 8] = struct.pack(">I", seq & 0xFFFFFFFF)


INTERESTING_BYTES = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C,
                     0x0D, 0x20, 0x3A, 0x7F, 0x80, 0x81, 0xFE, 0xFF]

INTERESTING_U16 = [0, 1, 2, 7, 8, 9, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFF8, 0xFFFF]

TOKENS = [
    b"\r\n", b"\n", b"\r\n\r\n", b"\n\n", b":", b": ", b"Status: ", b"Status: 500 Oops\r\n",
    b"Status: 99\r\n", b"Status: 2000\r\n", b"Status:\r\n", b"Status: 404\r\n",
    b"Content-Type: text/html\r\n", b"Content-type: application/json; charset=utf-8\r\n",
    b"Content-Type: ;\r\n", b"Content-Type: message/http\r\n", b"Content-Encoding: gzip\r\n",
    b"Content-Encoding: deflate\r\n", b"Location: /x\r\n", b"\x1f\x8b\x08\x00", b"\x78\x9c",
    b"\x0eREQUEST_METHOD", b"\x0bREQUEST_URI", b"\x0bSCRIPT_NAME", b"\x0cQUERY_STRING",
    b"\x0eCONTENT_LENGTH", b"\x0cCONTENT_TYPE", b"\x0fFCGI_MPXS_CONNS",
    b"\x0eFCGI_MAX_CONNS", b"\x80\x00\x00\x00", b"\xff\xff\xff\xff", b"\x7f\xff\xff\xff",
    b"\x80\x00\xff\xff", b"\x00\x00", b"\x00", b"\xff", b"..", b"/../", b"%s%n",
    # whole records: FCGI_END_REQUEST, empty STDOUT, empty PARAMS, BEGIN_REQUEST
    b"\x01\x03\x00\x01\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
    b"\x01\x06\x00\x01\x00\x00\x00\x00", b"\x01\x04\x00\x01\x00\x00\x00\x00",
    b"\x01\x01\x00\x01\x00\x08\x00\x00\x00\x01\x01\x00\x00\x00\x00\x00",
    b"\x01\x0b\x00\x00\x00\x08\x00\x00\x14\x00\x00\x00\x00\x00\x00\x00",
    b"\x01\x09\x00\x00\xff\xff\xff\x00",
]


class Mutator:
    def __init__(self, hdr, packets, rng):
        self.hdr = hdr
        self.packets = packets
        self.rng = rng
        self.log = []

    def _info(self, i):
        return tcp_info(self.packets[i], self.hdr["linktype"])

    def _payload_packets(self, minlen=1):
        out = []
        for i in range(len(self.packets)):
            t = self._info(i)
            if t and t.pay_end - t.pay_off >= minlen:
                out.append((i, t))
        return out

    def _pick_payload(self, minlen=1):
        cands = self._payload_packets(minlen)
        return self.rng.choice(cands) if cands else (None, None)

    # --- operations: each returns a description, or None when not applicable

    def op_drop(self):
        if len(self.packets) < 2:
            return None
        i = self.rng.randrange(len(self.packets))
        del self.packets[i]
        return "drop %d" % (i + 1)

    def op_dup(self):
        if not self.packets:
            return None
        i = self.rng.randrange(len(self.packets))
        copy = self.packets[i].copy()
        how = "same"
        t = tcp_info(copy, self.hdr["linktype"])
        if t and t.pay_end > t.pay_off and self.rng.random() < 0.4:
            j = self.rng.randrange(t.pay_off, t.pay_end)
            copy.data[j] ^= self.rng.randrange(1, 256)
            how = "conflicting"
        at = min(len(self.packets), i + 1 + self.rng.randrange(3))
        self.packets.insert(at, copy)
        return "dup %d (%s) at %d" % (i + 1, how, at + 1)

    def _data_runs(self):
        """Data segments grouped by flow and direction, in capture order:
        {flow: [(index, TcpInfo), ...]}."""
        runs = {}
        for i, t in self._payload_packets(1):
            runs.setdefault(t.flow, []).append((i, t))
        return runs

    def op_lose(self):
        # a lost data segment (not the first of its direction, so that the
        # stream had started): what follows starts wherever the segment
        # ended, often inside a record
        runs = [r for r in self._data_runs().values() if len(r) >= 2]
        if not runs:
            return None
        run = self.rng.choice(runs)
        i, _ = self.rng.choice(run[1:])
        del self.packets[i]
        return "lose data segment %d" % (i + 1)

    def op_loserun(self):
        # 2-5 consecutive data segments of one direction lost
        runs = [r for r in self._data_runs().values() if len(r) >= 3]
        if not runs:
            return None
        run = self.rng.choice(runs)
        n = self.rng.randint(2, min(5, len(run) - 1))
        k = self.rng.randrange(1, len(run) - n + 1)
        gone = sorted((i for i, _ in run[k:k + n]), reverse=True)
        for i in gone:
            del self.packets[i]
        return "lose data segments %s" % ",".join(str(i + 1) for i in sorted(gone))

    def op_retrans(self):
        # an exact copy of a data segment 1-12 packets later (after its
        # ACK, usually: a spurious retransmission)
        i, t = self._pick_payload(1)
        if i is None:
            return None
        at = min(len(self.packets), i + 1 + self.rng.randint(1, 12))
        self.packets.insert(at, self.packets[i].copy())
        return "retransmit %d at %d" % (i + 1, at + 1)

    def op_overlap(self):
        # a partial retransmission: the tail of a segment (from a random
        # offset, sequence number and IP length right) again, later
        cut = self._pick_cut([1, 7, 8, 9, 16])
        if cut is None:
            return None
        i, t, plen, k = cut
        tail = self.packets[i].copy()
        del tail.data[t.pay_off:t.pay_off + k]
        tail.orig_len = len(tail.data)
        set_ip_payload_len(tail, t, plen - k)
        set_seq(tail, t, t.seq + k)
        at = min(len(self.packets), i + 1 + self.rng.randint(0, 6))
        self.packets.insert(at, tail)
        return "retransmit %d from payload %d at %d" % (i + 1, k, at + 1)

    def op_reorder(self):
        if len(self.packets) < 2:
            return None
        i = self.rng.randrange(len(self.packets) - 1)
        d = self.rng.randint(1, 4)
        p = self.packets.pop(i)
        j = min(len(self.packets), i + d)
        self.packets.insert(j, p)
        return "reorder %d -> %d" % (i + 1, j + 1)

    def op_flip(self):
        i, t = self._pick_payload()
        if i is None:
            return None
        d = self.packets[i].data
        n = self.rng.randint(1, 8)
        done = []
        for _ in range(n):
            j = self.rng.randrange(t.pay_off, t.pay_end)
            r = self.rng.random()
            if r < 0.4:
                d[j] ^= 1 << self.rng.randrange(8)
            elif r < 0.7:
                d[j] = self.rng.choice(INTERESTING_BYTES)
            else:
                d[j] = self.rng.randrange(256)
            done.append(j - t.pay_off)
        return "flip packet %d payload bytes %s" % (i + 1, done)

    def op_fcgi(self):
        cands = []
        for i, t in self._payload_packets(2):
            d = self.packets[i].data
            for j in range(t.pay_off, t.pay_end - 1):
                if d[j] == 1 and 1 <= d[j + 1] <= 11:
                    cands.append((i, j, t))
        if not cands:
            return self.op_flip()
        i, j, t = self.rng.choice(cands)
        d = self.packets[i].data
        end = t.pay_end
        field = self.rng.choice(["type", "id", "clen", "clen", "clen", "plen", "plen", "reserved",
                                 "version", "nvlen", "nvlen"])
        if field == "type":
            v = self.rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 20, 0x80, 0xFF])
            d[j + 1] = v
        elif field == "id" and j + 4 <= end:
            v = self.rng.choice([0, 1, 2, 3, 0x100, 0x7FFF, 0xFFFF])
            d[j + 2:j + 4] = struct.pack(">H", v)
        elif field == "clen" and j + 6 <= end:
            old = struct.unpack(">H", d[j + 4:j + 6])[0]
            v = self.rng.choice(INTERESTING_U16 + [(old + 1) & 0xFFFF, (old - 1) & 0xFFFF,
                                                   (old + 8) & 0xFFFF, old >> 1])
            d[j + 4:j + 6] = struct.pack(">H", v)
        elif field == "plen" and j + 7 <= end:
            v = self.rng.choice([0, 1, 7, 8, 0x7F, 0x80, 0xFF])
            d[j + 6] = v
        elif field == "reserved" and j + 8 <= end:
            v = self.rng.choice([1, 0x80, 0xFF])
            d[j + 7] = v
        elif field == "version":
            v = self.rng.choice([0, 2, 0xFF])
            d[j] = v
        elif field == "nvlen" and j + 9 <= end:
            # the first name-value length of a PARAMS/GET_VALUES body, or any
            # byte after the header
            k = self.rng.randrange(j + 8, end)
            if self.rng.random() < 0.5 and k + 4 <= end:
                v = self.rng.choice([0x80000000, 0xFFFFFFFF, 0x8000FFFF, 0x80000001, 0x80001000])
                d[k:k + 4] = struct.pack(">I", v | 0x80000000)
            else:
                v = self.rng.choice([0, 1, 0x7F, 0x80, 0xFF])
                d[k] = v
            field = "nvlen@+%d" % (k - j - 8)
        else:
            return None
        return "fcgi packet %d record at payload %d: %s = %#x" % (i + 1, j - t.pay_off, field, v)

    def op_token(self):
        i, t = self._pick_payload()
        if i is None:
            return None
        tok = self.rng.choice(TOKENS)
        d = self.packets[i].data
        j = self.rng.randrange(t.pay_off, t.pay_end)
        n = min(len(tok), t.pay_end - j)
        d[j:j + n] = tok[:n]
        return "token packet %d payload %d %r" % (i + 1, j - t.pay_off, tok[:n])

    def op_insert(self):
        i, t = self._pick_payload()
        if i is None:
            return None
        p = self.packets[i]
        if t.pay_end != len(p.data) or len(p.data) != p.orig_len:
            return None         # trailer or truncated: leave alone
        j = self.rng.randrange(t.pay_off, t.pay_end + 1)
        if self.rng.random() < 0.5:
            ins = self.rng.choice(TOKENS) if self.rng.random() < 0.5 else \
                bytes(self.rng.randrange(256) for _ in range(self.rng.randint(1, 16)))
            p.data[j:j] = ins
            what = "insert %d bytes" % len(ins)
        else:
            n = min(self.rng.randint(1, 16), t.pay_end - j)
            if n <= 0:
                return None
            del p.data[j:j + n]
            what = "delete %d bytes" % n
        p.orig_len = len(p.data)
        set_ip_payload_len(p, t, len(p.data) - t.pay_off)
        return "%s packet %d payload %d" % (what, i + 1, j - t.pay_off)

    def _pick_cut(self, edges):
        """A whole (not truncated) data segment of 2+ bytes and an offset
        inside its payload, sometimes one of `edges`: (i, t, plen, k)."""
        i, t = self._pick_payload(2)
        if i is None:
            return None
        p = self.packets[i]
        if t.pay_end != len(p.data) or len(p.data) != p.orig_len:
            return None
        plen = t.pay_end - t.pay_off
        k = self.rng.randrange(1, plen)
        if self.rng.random() < 0.3:
            k = min(plen - 1, self.rng.choice(edges))
        return i, t, plen, k

    def op_split(self):
        cut = self._pick_cut([1, 2, 4, 7, 8, 9, 16])
        if cut is None:
            return None
        i, t, plen, k = cut
        p = self.packets[i]
        first = p.copy()
        second = p.copy()
        del first.data[t.pay_off + k:]
        first.orig_len = len(first.data)
        set_ip_payload_len(first, t, k)
        del second.data[t.pay_off:t.pay_off + k]
        second.orig_len = len(second.data)
        set_ip_payload_len(second, t, plen - k)
        set_seq(second, t, t.seq + k)
        # a FIN or PSH belongs to the second part only
        first.data[t.tcp_off + 13] &= ~0x09 & 0xFF
        self.packets[i:i + 1] = [first, second]
        return "split packet %d at payload %d" % (i + 1, k)

    def op_merge(self):
        pairs = []
        lt = self.hdr["linktype"]
        infos = [tcp_info(p, lt) for p in self.packets]
        for i in range(len(self.packets) - 1):
            a, b = infos[i], infos[i + 1]
            if not a or not b or a.flow != b.flow:
                continue
            pa, pb = self.packets[i], self.packets[i + 1]
            if a.pay_end != len(pa.data) or b.pay_end != len(pb.data):
                continue
            if len(pa.data) != pa.orig_len or len(pb.data) != pb.orig_len:
                continue
            alen, blen = a.pay_end - a.pay_off, b.pay_end - b.pay_off
            if alen > 0 and blen > 0 and (a.seq + alen) & 0xFFFFFFFF == b.seq and alen + blen < 60000:
                pairs.append(i)
        if not pairs:
            return None
        i = self.rng.choice(pairs)
        a, b = infos[i], infos[i + 1]
        pa, pb = self.packets[i], self.packets[i + 1]
        pa.data += pb.data[b.pay_off:b.pay_end]
        pa.orig_len = len(pa.data)
        set_ip_payload_len(pa, a, len(pa.data) - a.pay_off)
        del self.packets[i + 1]
        return "merge packets %d+%d" % (i + 1, i + 2)

    def op_truncate(self):
        i, t = self._pick_payload()
        if i is None:
            return None
        p = self.packets[i]
        cut = self.rng.randrange(max(1, t.tcp_off), len(p.data))
        p.orig_len = max(p.orig_len, len(p.data))
        del p.data[cut:]
        return "truncate packet %d to %d bytes" % (i + 1, cut)

    def op_seq(self):
        i, t = self._pick_payload()
        if i is None:
            return None
        delta = self.rng.choice([-16, -8, -4, -1, 1, 4, 8, 16, 1000, -1000, 0x7FFFFFFF])
        set_seq(self.packets[i], t, t.seq + delta)
        return "seq packet %d %+d" % (i + 1, delta)

    def op_flags(self):
        cands = [(i, t) for i, t in ((i, self._info(i)) for i in range(len(self.packets))) if t]
        if not cands:
            return None
        i, t = self.rng.choice(cands)
        d = self.packets[i].data
        bit = self.rng.choice([0x01, 0x02, 0x04])     # FIN, SYN, RST
        d[t.tcp_off + 13] ^= bit
        return "flags packet %d ^= %#x" % (i + 1, bit)

    OPS = [("drop", 3), ("dup", 3), ("reorder", 3), ("flip", 8), ("fcgi", 10), ("token", 5),
           ("insert", 3), ("split", 5), ("merge", 2), ("truncate", 2), ("seq", 2), ("flags", 1),
           ("lose", 4), ("loserun", 2), ("retrans", 3), ("overlap", 2)]

    def run(self, nops):
        names = [n for n, _ in self.OPS]
        weights = [w for _, w in self.OPS]
        tries = 0
        while len(self.log) < nops and tries < nops * 10:
            tries += 1
            op = self.rng.choices(names, weights)[0]
            desc = getattr(self, "op_" + op)()
            if desc:
                self.log.append(desc)
        return self.log


def mutate_file(src, dst, seed, nops=None):
    hdr, packets = read_pcap(src)
    rng = random.Random(seed)
    if nops is None:
        nops = rng.choice([1, 1, 2, 3, 4, 6, 8, 12, 20])
    m = Mutator(hdr, packets, rng)
    log = m.run(nops)
    write_pcap(dst, hdr, m.packets)
    return log


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--ops", type=int, default=None, help="number of operations (default: from the seed)")
    ap.add_argument("input")
    ap.add_argument("output")
    args = ap.parse_args()
    for line in mutate_file(args.input, args.output, args.seed, args.ops):
        print(line)


if __name__ == "__main__":
    sys.exit(main())
