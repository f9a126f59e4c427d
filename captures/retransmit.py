#!/usr/bin/env python3
"""Insert copies of captured frames later in a classic pcap, as TCP
retransmissions (deterministic, standard library only).

  retransmit.py IN.pcap OUT.pcap FRAME:AFTER [FRAME:AFTER ...]

Each FRAME:AFTER puts a byte-identical copy of frame FRAME right after frame
AFTER (AFTER >= FRAME; frame numbers of IN), with a timestamp halfway
between frame AFTER and the frame that follows it (or AFTER + 1 ms at the
end), so the file stays in time order.  A copy inserted before the peer
has acknowledged the segment is what Wireshark's TCP analysis calls a
retransmission; after the acknowledgement, a spurious retransmission.
Prints the frame numbers of the copies in OUT.

The capture made with it (see captures/README.md):

  retransmit.py captures/nginx-keepalive.pcap \\
      captures/nginx-keepalive-retrans.pcap 8:8 11:12 15:16
"""
import struct
import sys


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] == b"\xd4\xc3\xb2\xa1":
        e = "<"
    elif data[:4] == b"\xa1\xb2\xc3\xd4":
        e = ">"
    else:
        sys.exit("%s: not a classic microsecond pcap" % path)
    frames = []
    off = 24
    while off + 16 <= len(data):
        sec, usec, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
        frames.append([sec * 1000000 + usec, orig, data[off + 16:off + 16 + incl]])
        off += 16 + incl
    return e, data[:24], frames


def write(path, e, head, frames):
    with open(path, "wb") as f:
        f.write(head)
        for ts, orig, b in frames:
            f.write(struct.pack(e + "IIII", ts // 1000000, ts % 1000000,
                                len(b), orig))
            f.write(b)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    inp, out = sys.argv[1], sys.argv[2]
    dups = sorted(tuple(int(x) for x in a.split(":")) for a in sys.argv[3:])
    e, head, frames = read(inp)
    after = {}
    for fr, af in dups:
        if not 1 <= fr <= af <= len(frames):
            sys.exit("bad FRAME:AFTER %d:%d" % (fr, af))
        after.setdefault(af, []).append(fr)
    res = []
    for n, f in enumerate(frames, 1):
        res.append(f)
        copies = after.get(n, [])
        nxt = frames[n][0] if n < len(frames) else f[0] + 2000
        for i, fr in enumerate(copies, 1):
            ts = f[0] + (nxt - f[0]) * i // (len(copies) + 1)
            res.append([ts, frames[fr - 1][1], frames[fr - 1][2]])
            print("copy of frame %d inserted after frame %d: frame %d of %s"
                  % (fr, n, len(res), out))
    write(out, e, head, res)


if __name__ == "__main__":
    main()
