#!/usr/bin/env python3
"""Raw FastCGI client (stdlib only) for the captures that need records no web
server sends: management records, unknown record types, multiplexing.

  mpx_client.py mpx       HOST PORT   GET_VALUES + 3 interleaved requests on
                                      one connection (needs a multiplexing
                                      server, e.g. Go net/http/fcgi)
  mpx_client.py getvalues HOST PORT [SCRIPT_FILENAME URI]
                                      FCGI_GET_VALUES, then optionally one
                                      GET request on the same connection
  mpx_client.py unknown   HOST PORT   a record of unknown type 20 (own conn.)
  mpx_client.py request   HOST PORT SCRIPT_FILENAME URI
                                      one plain GET request (own connection)
  mpx_client.py splitpair HOST PORT SCRIPT_FILENAME URI [NAME]
                                      one GET request whose PARAMS stream is
                                      cut into two PARAMS records in the
                                      middle of the value of parameter NAME
                                      (default SCRIPT_FILENAME; legal per the
                                      spec; php-fpm 8.2 closes the connection)

Every record is sent with its own send() and TCP_NODELAY so each record is a
separate TCP segment; padding aligns content to 8 bytes like nginx/libfcgi.
Prints the records received.  Exit status 1 if an expected answer is missing.
"""
import socket
import struct
import sys
import time

from fcgi_summary import nv_pairs as parse_nv  # the same pair parser (spec 3.4)

VERSION = 1
BEGIN_REQUEST, ABORT_REQUEST, END_REQUEST, PARAMS, STDIN, STDOUT, STDERR, \
    DATA, GET_VALUES, GET_VALUES_RESULT, UNKNOWN_TYPE = range(1, 12)
RESPONDER = 1
KEEP_CONN = 1
NAMES = {1: "BEGIN_REQUEST", 2: "ABORT_REQUEST", 3: "END_REQUEST",
         4: "PARAMS", 5: "STDIN", 6: "STDOUT", 7: "STDERR", 8: "DATA",
         9: "GET_VALUES", 10: "GET_VALUES_RESULT", 11: "UNKNOWN_TYPE"}
GAP = 0.02   # seconds between records: one record per TCP segment


def record(typ, rid, content=b"", pad=True):
    plen = (-len(content)) % 8 if pad else 0
    return struct.pack(">BBHHBB", VERSION, typ, rid, len(content), plen, 0) \
        + content + b"\0" * plen


def nv(name, value=""):
    out = b""
    for s in (name.encode(), value.encode()):
        n = len(s)
        out += bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)
    return out + name.encode() + value.encode()


def params(d):
    return b"".join(nv(k, v) for k, v in d.items())


def cgi_params(script, uri, method="GET", body=b"", extra=None):
    path, _, query = uri.partition("?")
    p = {
        "GATEWAY_INTERFACE": "CGI/1.1",
        "SERVER_SOFTWARE": "mpx_client.py",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "localhost",
        "SERVER_ADDR": "127.0.0.1",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "40000",
        "REQUEST_METHOD": method,
        "REQUEST_URI": uri,
        "SCRIPT_NAME": path,
        "SCRIPT_FILENAME": script,
        "QUERY_STRING": query,
        "HTTP_HOST": "localhost",
    }
    if body:
        p["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        p["CONTENT_LENGTH"] = str(len(body))
    if extra:
        p.update(extra)
    return params(p)


class Conn:
    def __init__(self, host, port):
        self.s = socket.create_connection((host, port), timeout=5)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def send(self, typ, rid, content=b"", note=""):
        self.s.sendall(record(typ, rid, content))
        print("  -> id=%d %-17s len=%d %s" % (rid, NAMES.get(typ, "type%d" % typ),
                                              len(content), note))
        time.sleep(GAP)

    def send_many(self, recs):
        """Several records in one send() (one TCP segment)."""
        self.s.sendall(b"".join(record(t, r, c) for t, r, c, _ in recs))
        for t, r, c, note in recs:
            print("  -> id=%d %-17s len=%d %s" % (r, NAMES.get(t, "type%d" % t),
                                                  len(c), note))
        time.sleep(GAP)

    def recv_record(self, timeout=5.0):
        """Next record, or None on EOF/timeout."""
        self.s.settimeout(timeout)
        while True:
            if len(self.buf) >= 8:
                _, typ, rid, clen, plen, _ = struct.unpack(">BBHHBB", self.buf[:8])
                if len(self.buf) >= 8 + clen + plen:
                    content = self.buf[8:8 + clen]
                    self.buf = self.buf[8 + clen + plen:]
                    return typ, rid, content
            try:
                chunk = self.s.recv(65536)
            except socket.timeout:
                print("  <- (timeout, nothing received)")
                return None
            except ConnectionResetError:
                print("  <- connection reset by server (RST)")
                return None
            if not chunk:
                print("  <- connection closed by server (FIN)")
                return None
            self.buf += chunk

    def close(self):
        self.s.close()


def show(rec):
    typ, rid, content = rec
    extra = ""
    if typ == GET_VALUES_RESULT:
        extra = repr(parse_nv(content))
    elif typ == UNKNOWN_TYPE:
        extra = "type=%d" % content[0]
    elif typ == END_REQUEST:
        extra = "app_status=%d protocol_status=%d" % struct.unpack(">IB", content[:5])
    elif typ in (STDOUT, STDERR):
        extra = repr(content[:60])
    print("  <- id=%d %-17s len=%d %s" % (rid, NAMES.get(typ, "type%d" % typ),
                                          len(content), extra))


def get_values(c):
    c.send(GET_VALUES, 0, params({"FCGI_MAX_CONNS": "", "FCGI_MAX_REQS": "",
                                   "FCGI_MPXS_CONNS": ""}))
    rec = c.recv_record()
    if rec is None:
        print("  <- (no answer / connection closed)")
        return False
    show(rec)
    return rec[0] == GET_VALUES_RESULT


def begin(rid, flags):
    return struct.pack(">HB5x", RESPONDER, flags)


def read_until_end(c, ids):
    pending = set(ids)
    while pending:
        rec = c.recv_record()
        if rec is None:
            print("  <- EOF/timeout, missing END_REQUEST for %s" % sorted(pending))
            return False
        show(rec)
        if rec[0] == END_REQUEST:
            pending.discard(rec[1])
    return True


def do_mpx(host, port):
    """GET_VALUES, then 3 interleaved requests (ids 1,2,3) on one connection."""
    c = Conn(host, port)
    ok = get_values(c)
    uri1 = "/slow?name=one&sleep=300"
    uri2 = "/fast?name=two&sleep=100"
    uri3 = "/post?name=three&sleep=200"
    body3 = b"field=value&other=42&text=interleaved+stdin"
    p1 = cgi_params("/go/slow", uri1)
    p2 = cgi_params("/go/fast", uri2)
    p3 = cgi_params("/go/post", uri3, "POST", body3)
    # request 1's params are split at a name-value pair boundary,
    # request 3's params are split in the middle of a value (legal: PARAMS is
    # a byte stream).
    cut1 = len(nv("GATEWAY_INTERFACE", "CGI/1.1") + nv("SERVER_SOFTWARE", "mpx_client.py")
               + nv("SERVER_PROTOCOL", "HTTP/1.1"))
    cut3 = p3.index(b"/post?name=three") + 6
    c.send(BEGIN_REQUEST, 1, begin(1, KEEP_CONN), "(keep_conn)")
    c.send(BEGIN_REQUEST, 2, begin(2, KEEP_CONN), "(keep_conn)")
    c.send(PARAMS, 1, p1[:cut1], "(part 1/2)")
    c.send(PARAMS, 2, p2)
    c.send(BEGIN_REQUEST, 3, begin(3, KEEP_CONN), "(keep_conn)")
    c.send(PARAMS, 1, p1[cut1:], "(part 2/2)")
    c.send(PARAMS, 3, p3[:cut3], "(part 1/2, split inside REQUEST_URI value)")
    c.send(PARAMS, 2, b"", "(end of params)")
    # Go answers an unknown record type with FCGI_UNKNOWN_TYPE only when its
    # request id belongs to an active request (others are ignored).
    c.send(20, 2, b"\x00" * 8, "(unknown type 20 on active id 2)")
    c.send(PARAMS, 3, p3[cut3:], "(part 2/2)")
    c.send(PARAMS, 1, b"", "(end of params)")
    c.send(PARAMS, 3, b"", "(end of params)")
    c.send(STDIN, 3, body3[:20], "(part 1/2)")
    c.send(STDIN, 2, b"", "(end of stdin)")
    c.send(STDIN, 1, b"", "(end of stdin)")
    c.send(STDIN, 3, body3[20:], "(part 2/2)")
    c.send(STDIN, 3, b"", "(end of stdin)")
    ok = read_until_end(c, [1, 2, 3]) and ok
    c.close()
    return ok


def send_request(c, script, uri):
    """BEGIN_REQUEST, PARAMS, empty PARAMS, empty STDIN for one GET, sent in
    a single TCP segment like nginx does."""
    c.send_many([(BEGIN_REQUEST, 1, begin(1, 0), ""),
                 (PARAMS, 1, cgi_params(script, uri), ""),
                 (PARAMS, 1, b"", "(end of params)"),
                 (STDIN, 1, b"", "(end of stdin)")])
    return read_until_end(c, [1])


def do_getvalues(host, port, script=None, uri=None):
    """GET_VALUES, then (optionally) one GET request on the same connection."""
    c = Conn(host, port)
    ok = get_values(c)
    if script:
        ok = send_request(c, script, uri) and ok
    rec = c.recv_record(timeout=2)
    if rec is not None:
        show(rec)
    c.close()
    return ok


def do_unknown(host, port):
    c = Conn(host, port)
    c.send(20, 0, b"\x00" * 8, "(unknown record type 20, id 0)")
    rec = c.recv_record(timeout=2)
    got = rec is not None
    while rec is not None:
        show(rec)
        rec = c.recv_record(timeout=2)
    if not got:
        print("  <- no FastCGI answer")
    c.close()
    return True


def do_splitpair(host, port, script, uri, name="SCRIPT_FILENAME"):
    """BEGIN_REQUEST, then the PARAMS stream in two records, the cut falling
    in the middle of the value of parameter `name`, then empty PARAMS and
    empty STDIN; each record in its own segment.  Prints what the server
    does."""
    c = Conn(host, port)
    p = cgi_params(script, uri)
    value = dict(parse_nv(p))[name].encode()
    cut = p.index(name.encode() + value) + len(name) + len(value) // 2
    sent = 0
    recs = [(BEGIN_REQUEST, begin(1, 0), ""),
            (PARAMS, p[:cut], "(part 1/2, ends inside the %s value)" % name),
            (PARAMS, p[cut:], "(part 2/2)"),
            (PARAMS, b"", "(end of params)"),
            (STDIN, b"", "(end of stdin)")]
    try:
        for typ, content, note in recs:
            c.send(typ, 1, content, note)
            sent += 1
    except (BrokenPipeError, ConnectionResetError) as e:
        print("  -> send failed after %d records: %s" % (sent, e))
    ok = read_until_end(c, [1])
    c.close()
    return not ok          # expected: no END_REQUEST (connection closed)


def do_request(host, port, script, uri):
    c = Conn(host, port)
    ok = send_request(c, script, uri)
    c.close()
    return ok


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print("%s %s:%d" % (mode, host, port))
    if mode == "mpx":
        ok = do_mpx(host, port)
    elif mode == "getvalues":
        ok = do_getvalues(host, port, *sys.argv[4:6])
    elif mode == "unknown":
        ok = do_unknown(host, port)
    elif mode == "request":
        ok = do_request(host, port, sys.argv[4], sys.argv[5])
    elif mode == "splitpair":
        ok = do_splitpair(host, port, *sys.argv[4:7])
    else:
        sys.exit(__doc__)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
