#!/usr/bin/env python3
"""FastCGI traffic for the benchmark's multiplexed and long keep-alive shapes
(Python standard library only).

  fcgi_gen.py pcap -o OUT.pcap [-n REQUESTS] [-k OPEN] [--port 9300] [--seed 1]
      Writes a deterministic capture of ONE TCP connection (handshake, data,
      FIN) carrying REQUESTS requests of which OPEN are open at once: the
      client first sends OPEN requests, then every response (to an open
      request picked by a seeded PRNG) is followed by the next request, which
      reuses the freed request id.  -k 1 is one long keep-alive connection
      (request id 1 throughout, like nginx's upstream keepalive).
  fcgi_gen.py client HOST PORT [-n REQUESTS] [-k OPEN]
      Drives a real multiplexing FastCGI server (Go net/http/fcgi) the same
      way over one connection: OPEN requests in flight, a new one sent as
      soon as an FCGI_END_REQUEST arrives.  Exit status 1 on a short answer.

Each request is what nginx sends (bench/record-corpus.sh's set-up: include
fastcgi_params, SCRIPT_FILENAME, wrk's browser-like headers from
bench/wrk-bounded.lua): BEGIN_REQUEST (responder, FCGI_KEEP_CONN), PARAMS in
nginx's order padded to 8 bytes, empty PARAMS, empty STDIN, in one TCP
segment.  Each synthetic response is what php-fpm sends for bench/www/page.php:
STDOUT (CGI headers + HTML, padded to 8) and END_REQUEST in one segment.
"""
import argparse
import array
import random
import socket
import struct
import sys

VERSION = 1
BEGIN_REQUEST, END_REQUEST, PARAMS, STDIN, STDOUT = 1, 3, 4, 5, 6
RESPONDER, KEEP_CONN = 1, 1
DOCROOT = "/tmp/fcgi-bench-record.Xq3vZ1/www"   # record-corpus.sh's temp docroot (same length)
HTTP_PORT = 18091                               # record-corpus.sh's keep-alive nginx
WRK_HEADERS = (   # bench/wrk-bounded.lua (Host first, as wrk sends it)
    ("HOST", "127.0.0.1:%d" % HTTP_PORT),
    ("USER_AGENT", "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0"),
    ("ACCEPT", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    ("ACCEPT_LANGUAGE", "en-US,en;q=0.5"),
    ("ACCEPT_ENCODING", "identity"),
)


def record(typ, rid, content=b""):
    plen = (-len(content)) % 8
    return struct.pack(">BBHHBB", VERSION, typ, rid, len(content), plen, 0) + content + b"\0" * plen


def nv(name, value):
    out = b""
    for s in (name, value):
        out += bytes([len(s)]) if len(s) < 128 else struct.pack(">I", len(s) | 0x80000000)
    return out + name + value


def nginx_params(n, remote_port):
    """The PARAMS stream nginx 1.22 sends for GET /page.php?id=N&lang=en."""
    query = "id=%d&lang=en" % n
    p = [
        ("QUERY_STRING", query), ("REQUEST_METHOD", "GET"), ("CONTENT_TYPE", ""),
        ("CONTENT_LENGTH", ""), ("SCRIPT_NAME", "/page.php"),
        ("REQUEST_URI", "/page.php?" + query), ("DOCUMENT_URI", "/page.php"),
        ("DOCUMENT_ROOT", DOCROOT), ("SERVER_PROTOCOL", "HTTP/1.1"),
        ("REQUEST_SCHEME", "http"), ("GATEWAY_INTERFACE", "CGI/1.1"),
        ("SERVER_SOFTWARE", "nginx/1.22.1"), ("REMOTE_ADDR", "127.0.0.1"),
        ("REMOTE_PORT", str(remote_port)), ("REMOTE_USER", ""),
        ("SERVER_ADDR", "127.0.0.1"), ("SERVER_PORT", str(HTTP_PORT)),
        ("SERVER_NAME", "localhost"), ("REDIRECT_STATUS", "200"),
        ("SCRIPT_FILENAME", DOCROOT + "/page.php"),
    ] + [("HTTP_" + k, v) for k, v in WRK_HEADERS]
    return b"".join(nv(k.encode(), v.encode()) for k, v in p)


def request_bytes(rid, n, remote_port=41000):
    """BEGIN_REQUEST + PARAMS + empty PARAMS + empty STDIN (one nginx write)."""
    return (record(BEGIN_REQUEST, rid, struct.pack(">HB5x", RESPONDER, KEEP_CONN))
            + record(PARAMS, rid, nginx_params(n, remote_port))
            + record(PARAMS, rid) + record(STDIN, rid))


def response_bytes(rid, n):
    """What php-fpm 8.2 answers for bench/www/page.php?id=N&lang=en."""
    html = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Item %d"
            "</title></head>\n<body>\n<h1>Item #%d</h1>\n<ul>\n<li>name: widget-%d</li>\n"
            "<li>price: %.2f EUR</li>\n<li>stock: %d</li>\n</ul>\n"
            "<p>Served by php-fpm 8.2.29 via FastCGI.</p>\n</body>\n</html>\n"
            % (n, n, n % 97, (n % 1000) / 7, n % 13))
    out = ("X-Powered-By: PHP/8.2.29\r\nContent-Type: text/html; charset=UTF-8\r\n"
           "Cache-Control: no-store\r\n\r\n" + html).encode()
    return record(STDOUT, rid, out) + record(END_REQUEST, rid, struct.pack(">IB3x", 0, 0))


def schedule(requests, open_, seed):
    """Yields ("req", rid, n) and ("rsp", rid, n) in wire order."""
    rng = random.Random(seed)
    live = []                       # [(rid, n)], order irrelevant (swap-remove)
    free = list(range(min(open_, requests), 0, -1))
    sent = 0
    while sent < requests and free:
        rid = free.pop()
        sent += 1
        live.append((rid, sent))
        yield "req", rid, sent
    while live:
        i = rng.randrange(len(live))
        live[i], live[-1] = live[-1], live[i]
        rid, n = live.pop()
        yield "rsp", rid, n
        if sent < requests:
            sent += 1
            live.append((rid, sent))
            yield "req", rid, sent


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(array.array("H", data))     # native (little-endian) words
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return struct.pack("=H", ~s & 0xFFFF)


class PcapWriter:
    """Ethernet/IPv4/TCP frames of one connection, as tcpdump writes them on lo."""
    CLI, SRV = bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])

    def __init__(self, f, cport, sport):
        self.f, self.ports = f, {"c": (cport, sport), "s": (sport, cport)}
        self.seq = {"c": 1000000, "s": 2000000}
        self.t = 1764500000 * 1000000           # µs
        self.ipid = 1
        self.frames = 0
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))

    def seg(self, side, flags, payload=b"", syn=False, fin=False):
        other = "s" if side == "c" else "c"
        sp, dp = self.ports[side]
        ack = self.seq[other] if flags & 0x10 else 0
        tsval = (self.t // 1000) & 0xFFFFFFFF
        opts = struct.pack(">BBBBII", 1, 1, 8, 10, tsval, tsval if ack else 0)
        hdr = struct.pack(">HHIIBBHHH", sp, dp, self.seq[side], ack, (20 + len(opts)) << 2,
                          flags, 65483, 0, 0) + opts
        tcp = hdr + payload
        pseudo = self.CLI + self.SRV + struct.pack(">BBH", 0, 6, len(tcp))
        tcp = tcp[:16] + checksum(pseudo + tcp) + tcp[18:]
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), self.ipid, 0x4000, 64, 6, 0,
                         self.CLI, self.SRV)
        ip = ip[:10] + checksum(ip) + ip[12:]
        self.ipid = (self.ipid + 1) & 0xFFFF
        frame = b"\0" * 12 + b"\x08\x00" + ip + tcp
        self.f.write(struct.pack("<IIII", self.t // 1000000, self.t % 1000000, len(frame), len(frame)))
        self.f.write(frame)
        self.seq[side] += len(payload) + (1 if syn or fin else 0)
        self.t += 20
        self.frames += 1


def write_pcap(path, requests, open_, port, seed):
    cport = 41000
    with open(path, "wb") as f:
        w = PcapWriter(f, cport, port)
        w.seg("c", 0x02, syn=True)                      # SYN
        w.seg("s", 0x12, syn=True)                      # SYN, ACK
        w.seg("c", 0x10)                                # ACK
        recs = 3
        for kind, rid, n in schedule(requests, open_, seed):
            if kind == "req":
                w.seg("c", 0x18, request_bytes(rid, n, cport))
                recs += 4
            else:
                w.seg("s", 0x18, response_bytes(rid, n))
                recs += 2
        w.seg("c", 0x11, fin=True)                      # FIN, ACK
        w.seg("s", 0x11, fin=True)
        w.seg("c", 0x10)
        return w.frames, recs - 3


def run_client(host, port, requests, open_):
    """One connection to a multiplexing server; OPEN requests in flight."""
    s = socket.create_connection((host, port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    lport = s.getsockname()[1]
    free = list(range(min(open_, requests), 0, -1))
    sent = done = 0
    buf = b""
    def send_next():
        nonlocal sent
        sent += 1
        s.sendall(request_bytes(free.pop(), sent, lport))
    while sent < requests and free:
        send_next()
    while done < requests:
        chunk = s.recv(262144)
        if not chunk:
            break
        buf += chunk
        pos = 0
        while len(buf) - pos >= 8:
            _, typ, rid, clen, plen, _ = struct.unpack_from(">BBHHBB", buf, pos)
            if len(buf) - pos < 8 + clen + plen:
                break
            pos += 8 + clen + plen
            if typ == END_REQUEST:
                done += 1
                free.append(rid)
                if sent < requests:
                    send_next()
        buf = buf[pos:]
    s.close()
    print("client: %d requests sent, %d answered, at most %d open at once, one connection"
          % (sent, done, min(open_, requests)))
    return done == requests


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pcap")
    p.add_argument("-o", "--out", required=True)
    p.add_argument("--port", type=int, default=9300)
    p.add_argument("--seed", type=int, default=1)
    c = sub.add_parser("client")
    c.add_argument("host")
    c.add_argument("port", type=int)
    for x in (p, c):
        x.add_argument("-n", "--requests", type=int, default=80000)
        x.add_argument("-k", "--open", type=int, default=500)
    a = ap.parse_args()
    if a.requests < 1 or a.open < 1 or a.open > 65535:
        sys.exit("need REQUESTS >= 1 and 1 <= OPEN <= 65535")
    if a.cmd == "pcap":
        frames, recs = write_pcap(a.out, a.requests, a.open, a.port, a.seed)
        print("wrote %s: %d frames, one TCP connection, %d requests (%d open at once), "
              "%d FastCGI records" % (a.out, frames, a.requests, min(a.open, a.requests), recs))
    else:
        sys.exit(0 if run_client(a.host, a.port, a.requests, a.open) else 1)


if __name__ == "__main__":
    main()
