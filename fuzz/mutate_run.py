#!/usr/bin/env python3
"""Mutation campaign for the fcgi plugin: see fuzz/README.md.

Mutates the captures (editcap -E / -s and fuzz/pcapmut.py), runs tshark
with the plugin over every result twice (heuristic only, and with
"-d tcp.port==...,fcgi" for every capture port), a share of them under
valgrind, and keeps every input that makes tshark crash, abort, exit
non-zero, print a dissector bug, or valgrind complain.
"""

import argparse
import concurrent.futures
import glob
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import pcapmut  # noqa: E402

TSHARK_RUN = os.path.join(HERE, "tshark-run.sh")

# The server ports of the captures (see capture_server_ports) get
# "-d tcp.port==P,fcgi"; these are the ones of 27 Nov 2026, for the README.
FORCE_PORTS = ["-d", "tcp.port==9000-9006,fcgi", "-d", "tcp.port==40000-40010,fcgi"]


def capture_server_ports(paths):
    """Server ports of the captures: SYN destinations, and for connections
    seen without their SYN the lower port."""
    ports = set()
    for path in paths:
        try:
            hdr, packets = pcapmut.read_pcap(path)
        except (OSError, ValueError):
            continue
        flows, syn = set(), set()
        for p in packets:
            t = pcapmut.tcp_info(p, hdr["linktype"])
            if not t:
                continue
            _, sport, _, dport = t.flow
            flows.add((min(sport, dport), max(sport, dport)))
            if p.data[t.tcp_off + 13] & 0x12 == 0x02:
                ports.add(dport)
                syn.add((min(sport, dport), max(sport, dport)))
        ports.update(lo for lo, _ in flows - syn)
    return sorted(ports)


def decode_as_args(ports):
    """-d options for the ports, consecutive ports as one range."""
    args, i = [], 0
    while i < len(ports):
        j = i
        while j + 1 < len(ports) and ports[j + 1] == ports[j] + 1:
            j += 1
        rng = str(ports[i]) if i == j else "%d-%d" % (ports[i], ports[j])
        args += ["-d", "tcp.port==%s,fcgi" % rng]
        i = j + 1
    return args

EXTRA_OPTIONS = [
    ["-o", "fcgi.reassemble_bodies:FALSE"],
    ["-o", "fcgi.decompress_body:FALSE"],
    ["-o", "tcp.reassemble_out_of_order:TRUE"],
    ["-o", "tcp.try_heuristic_first:TRUE"],
    ["-o", "tcp.desegment_tcp_streams:FALSE"],
    ["-o", "tcp.analyze_sequence_numbers:FALSE"],
    ["-o", "tcp.no_subdissector_on_error:FALSE"],
    ["-z", "fcgi,tree"],
    ["-z", "fcgi_scripts,tree"],
    ["-z", "expert"],
    ["--export-objects", "fcgi,{eodir}"],
    ["-T", "pdml"],
    ["-T", "json"],
]

ERROR_RATES = ["0.001", "0.01", "0.05", "0.1"]
SNAPLENS = [54, 60, 66, 70, 74, 78, 80, 90, 100, 128, 200, 500, 1000, 1500]

# Output that means a failure.  tshark's stdout is scanned for the first,
# stderr for both.
OUT_PATTERNS = re.compile(rb"Dissector bug|DISSECTOR_BUG|Dissector failed|DissectorError")
ERR_PATTERNS = re.compile(rb"Dissector bug|DISSECTOR_BUG|Dissector failed|CRITICAL|\bERROR\b|"
                          rb"Assertion|assertion|ws_assert|runtime error|AddressSanitizer|"
                          rb"==\d+== (Invalid|Conditional|Use of uninit|Syscall param|Mismatched|"
                          rb"Source and destination|Argument|Process terminating)")

# The message of a DISSECTOR_ASSERT or dissector bug: which source file.
BUG_MESSAGE = re.compile(rb"(?:Dissector bug, protocol [^:\]]+: )?[\w./-]+\.c:\d+: failed assertion.*|"
                         rb"Dissector bug, protocol [^:\]]+: .*")


def is_foreign(reasons, messages, valgrind):
    """True when tshark died of a DISSECTOR_ASSERT or dissector bug that
    names another dissector's source file or protocol, and nothing else
    (no valgrind error, no message about the plugin)."""
    if valgrind or not messages:
        return False
    for m in messages:
        if re.search(r"packet-fcgi|protocol FCGI|fcgi", m, re.I):
            return False
        if not re.search(r"\.c:\d+:|Dissector bug, protocol ", m):
            return False
    return all(r.startswith(("killed by signal 6", "exit status", "output:", "stderr:")) for r in reasons)


VALGRIND = ["valgrind", "--error-exitcode=99", "--leak-check=no", "-q", "--num-callers=40"]
VALGRIND_MAX_BYTES = 16 * 1024


def trimmed_data_dir(stage):
    """Wireshark's data directory without the name resolution files (manuf,
    services, enterprises.tsv, wka: 4 MB read at every start), as symbolic
    links under the staging folder; a quarter off every tshark run.  Only
    honoured when tshark does not run as root (it runs as nobody here)."""
    src = "/usr/share/wireshark"
    dst = os.path.join(stage, "data")
    os.makedirs(dst, exist_ok=True)
    for name in os.listdir(src):
        if name in ("manuf", "services", "enterprises.tsv", "wka"):
            continue
        link = os.path.join(dst, name)
        if not os.path.lexists(link):
            os.symlink(os.path.join(src, name), link)
    for d in (stage, dst):
        os.chmod(d, 0o755)
    return dst


def sources_default():
    return sorted(glob.glob(os.path.join(ROOT, "captures", "*.pcap")) +
                  glob.glob(os.path.join(ROOT, "captures", "crafted", "*.pcap")))


class Campaign:
    def __init__(self, args):
        self.args = args
        self.sources = args.sources or sources_default()
        if not self.sources:
            sys.exit("mutate-run: no captures found")
        self.small = [s for s in self.sources if os.path.getsize(s) <= VALGRIND_MAX_BYTES] or self.sources
        self.force = decode_as_args(capture_server_ports(self.sources)) or FORCE_PORTS
        self.work = tempfile.mkdtemp(prefix="fcgi-fuzz-run.", dir="/tmp")
        os.chmod(self.work, 0o755)
        self.faildir = args.out
        self.foreigndir = os.path.join(os.path.dirname(args.out.rstrip("/")), "foreign")
        self.foreign = []
        self.lock = threading.Lock()
        self.inputs = 0
        self.runs = 0
        self.vg_runs = 0
        self.run_seconds = 0.0
        self.vg_seconds = 0.0
        self.failures = []
        self.deadline = time.monotonic() + args.seconds if args.seconds else None
        self.stop = False
        self.env = dict(os.environ)
        self.env.update({
            "WIRESHARK_ABORT_ON_DISSECTOR_BUG": "1",
            "WIRESHARK_DEBUG_WMEM_OVERRIDE": "strict",
            "G_SLICE": "always-malloc",
            "FCGI_BUILD_DIR": args.build,
            "FCGI_STAGE_DIR": args.stage,
            "LC_ALL": "C.UTF-8",
        })
        self.env.pop("FCGI_TSHARK_PREFIX", None)
        if not args.full_data:
            self.env["WIRESHARK_DATA_DIR"] = trimmed_data_dir(args.stage)

    # --- making inputs ---------------------------------------------------

    def _editcap(self, argv, log):
        r = subprocess.run(["editcap", "-F", "pcap"] + argv, capture_output=True)
        log.append("editcap -F pcap " + " ".join(shlex.quote(os.path.basename(a)) if "/" in a else a
                                               for a in argv))
        if r.returncode != 0:
            raise RuntimeError("editcap failed: %s" % r.stderr.decode(errors="replace"))

    def make_input(self, index, rng, valgrind):
        src = rng.choice(self.small if valgrind else self.sources)
        base = os.path.join(self.work, "in-%05d" % index)
        out = base + ".pcap"
        log = ["source %s" % os.path.relpath(src, ROOT)]
        kind = rng.choices(["E", "s", "mut", "mut+E", "mut+s"], [30, 12, 40, 12, 6])[0]
        cur = src
        if kind.startswith("mut"):
            seed = rng.randrange(1 << 31)
            mid = base + ".mut.pcap" if "+" in kind else out
            ops = pcapmut.mutate_file(cur, mid, seed)
            log.append("pcapmut.py --seed %d: %s" % (seed, "; ".join(ops)))
            cur = mid
        if kind.endswith("E"):
            rate = rng.choice(ERROR_RATES)
            seed = rng.randrange(1 << 31)
            argv = ["-E", rate, "--seed", str(seed)]
            skip = rng.choice([None, None, 54, 66])
            if skip:
                argv += ["-o", str(skip)]
            self._editcap(argv + [cur, out], log)
        elif kind.endswith("s"):
            argv = ["-s", str(rng.choice(SNAPLENS))]
            if rng.random() < 0.3:
                argv.append("-L")
            self._editcap(argv + [cur, out], log)
        if cur != src and cur != out:
            os.unlink(cur)
        os.chmod(out, 0o644)
        return src, out, log

    # --- running tshark --------------------------------------------------

    def run_tshark(self, pcap, options, valgrind, tag):
        eodir = None
        opts = []
        for o in options:
            if "{eodir}" in o:
                eodir = tempfile.mkdtemp(prefix="eo.", dir=self.work)
                os.chmod(eodir, 0o777)
                o = o.replace("{eodir}", eodir)
            opts.append(o)
        argv = [TSHARK_RUN, "-r", pcap] + opts
        if not any(o == "-T" for o in opts):
            argv.insert(3, "-V")
        argv.insert(3, "-2")
        env = self.env
        if valgrind:
            env = dict(env)
            env["FCGI_TSHARK_PREFIX"] = " ".join(VALGRIND)
        outpath = pcap + "." + tag + ".out"
        t0 = time.monotonic()
        timeout = self.args.timeout * (20 if valgrind else 1)
        with open(outpath, "wb") as out:
            try:
                p = subprocess.run(argv, stdout=out, stderr=subprocess.PIPE, env=env,
                                   timeout=timeout, start_new_session=True)
                rc, err = p.returncode, p.stderr
            except subprocess.TimeoutExpired as e:
                rc, err = "timeout", (e.stderr or b"")
        with self.lock:
            if valgrind:
                self.vg_seconds += time.monotonic() - t0
            else:
                self.run_seconds += time.monotonic() - t0
        reasons = []
        if rc == "timeout":
            reasons.append("timeout after %ds" % timeout)
        elif rc < 0:
            reasons.append("killed by signal %d (%s)" % (-rc, signal.Signals(-rc).name))
        elif rc == 99 and valgrind:
            reasons.append("valgrind reported errors")
        elif rc != 0:
            reasons.append("exit status %d" % rc)
        hits = []
        messages = []
        with open(outpath, "rb") as f:
            tail = b""
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                buf = tail + chunk
                for m in OUT_PATTERNS.finditer(buf):
                    s = buf.rfind(b"\n", 0, m.start()) + 1
                    e = buf.find(b"\n", m.end())
                    hits.append(buf[s:e if e >= 0 else len(buf)].strip())
                tail = buf[-200:]
        if hits:
            reasons.append("output: %s" % hits[0].decode(errors="replace"))
        for line in err.splitlines():
            if ERR_PATTERNS.search(line):
                reasons.append("stderr: %s" % line.decode(errors="replace").strip())
                break
        for line in hits + err.splitlines():
            m = BUG_MESSAGE.search(line)
            if m:
                messages.append(m.group(0).decode(errors="replace"))
        os.unlink(outpath)
        if eodir:
            shutil.rmtree(eodir, ignore_errors=True)
        cmd = " ".join(shlex.quote(a) for a in argv)
        if valgrind:
            cmd = "FCGI_TSHARK_PREFIX=%s %s" % (shlex.quote(" ".join(VALGRIND)), cmd)
        return reasons, cmd, err, messages

    def one(self, index):
        with self.lock:
            if self.stop or (self.deadline and time.monotonic() > self.deadline):
                self.stop = True
                return
        rng = random.Random("%d/%d" % (self.args.seed, index))
        share = self.args.valgrind_share
        valgrind = share > 0 and index % max(1, round(1 / share)) == round(1 / share) // 2
        src, pcap, log = self.make_input(index, rng, valgrind)
        heur_first = ["-o", "tcp.try_heuristic_first:TRUE"]
        if valgrind:
            # valgrind is slow: one run, the plugin forced on every port and
            # the heuristic tried first, no extras
            configs = [("forced+heur", self.force + heur_first, True)]
        elif self.args.both:
            configs = [("heur", [], False), ("forced", list(self.force), False)]
        else:
            # one run per input, in turn: forced on every capture port with
            # the heuristic tried first (both code paths), forced, heuristic
            # only (what a user gets without Decode As)
            configs = [[("forced+heur", self.force + heur_first, False)],
                       [("forced", list(self.force), False)],
                       [("heur", [], False)]][index % 3]
        problems = []
        for tag, opts, vg in configs:
            if not vg:
                for extra in rng.sample(EXTRA_OPTIONS, rng.choice([0, 1, 1, 2])):
                    if extra[0] == "-T" and "-T" in opts:
                        continue        # one output format only
                    opts = opts + extra
            reasons, cmd, err, messages = self.run_tshark(pcap, opts, vg, tag)
            with self.lock:
                self.runs += 1
                self.vg_runs += 1 if vg else 0
            if reasons:
                problems.append((tag, reasons, cmd, err, is_foreign(reasons, messages, vg)))
        with self.lock:
            self.inputs += 1
            n = self.inputs
        if problems:
            foreign = all(p[4] for p in problems) and not self.args.strict
            self.keep_failure(index, src, pcap, log, problems, foreign)
        else:
            os.unlink(pcap)
        if self.args.verbose or (n % 50 == 0):
            print("fuzz: %d inputs, %d failures, %.0fs" % (n, len(self.failures), time.monotonic() - self.t0),
                  file=sys.stderr, flush=True)

    def keep_failure(self, index, src, pcap, log, problems, foreign):
        faildir = self.foreigndir if foreign else self.faildir
        os.makedirs(faildir, exist_ok=True)
        name = "%s-%05d-%s" % (self.args.seed, index, os.path.splitext(os.path.basename(src))[0])
        dest = os.path.join(faildir, name + ".pcap")
        shutil.copyfile(pcap, dest)
        os.unlink(pcap)
        with open(os.path.join(faildir, name + ".txt"), "w") as f:
            f.write("input: %s\n" % dest)
            for line in log:
                f.write("made by: %s\n" % line)
            if foreign:
                f.write("classified: a bug of another Wireshark dissector, not of the plugin\n")
            for tag, reasons, cmd, err, _ in problems:
                f.write("\n[%s] %s\n" % (tag, "; ".join(reasons)))
                f.write("reproduce: %s\n" % cmd.replace(pcap, dest))
                f.write("stderr (last 16 kB):\n%s\n" % err[-16384:].decode(errors="replace"))
        with self.lock:
            (self.foreign if foreign else self.failures).append((dest, problems))
        print("%s %s: %s" % ("FOREIGN" if foreign else "FAIL", dest,
                             " | ".join("[%s] %s" % (p[0], "; ".join(p[1])) for p in problems)),
              file=sys.stderr, flush=True)

    def run(self, indices):
        self.t0 = time.monotonic()
        try:
            with concurrent.futures.ThreadPoolExecutor(max_workers=self.args.jobs) as ex:
                futures = [ex.submit(self.one, i) for i in indices]
                try:
                    for fut in futures:
                        fut.result()
                except BaseException:
                    self.stop = True        # no new inputs; running ones finish
                    raise
        finally:
            shutil.rmtree(self.work, ignore_errors=True)
        return time.monotonic() - self.t0

    # --- replaying kept inputs ------------------------------------------

    def replay(self, files):
        self.t0 = time.monotonic()
        self.force = decode_as_args(capture_server_ports(list(self.sources) + list(files))) or FORCE_PORTS
        bad = 0
        for path in files:
            tmp = os.path.join(self.work, os.path.basename(path))
            shutil.copyfile(path, tmp)
            os.chmod(tmp, 0o644)
            for tag, opts in (("heur", []), ("forced", list(self.force)),
                              ("forced+heur", self.force + ["-o", "tcp.try_heuristic_first:TRUE"])):
                reasons, cmd, err, messages = self.run_tshark(tmp, opts, self.args.valgrind_share >= 1, tag)
                self.runs += 1
                if reasons:
                    foreign = is_foreign(reasons, messages, False) and not self.args.strict
                    bad += 0 if foreign else 1
                    print("%s %s [%s]: %s" % ("FOREIGN" if foreign else "FAIL", path, tag, "; ".join(reasons)),
                          file=sys.stderr)
                    sys.stderr.write(err[-4096:].decode(errors="replace"))
            self.inputs += 1
        shutil.rmtree(self.work, ignore_errors=True)
        print("fuzz: replayed %d inputs (%d tshark runs), %d failures" % (self.inputs, self.runs, bad))
        return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(prog="fuzz/mutate-run.sh", description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=512, help="number of mutated captures (default 512)")
    ap.add_argument("--seconds", type=float, default=540,
                    help="time budget; no new input is started after it (default 540, 0 = none)")
    ap.add_argument("--jobs", type=int, default=2, help="parallel inputs (default 2)")
    ap.add_argument("--valgrind-share", type=float, default=0.05,
                    help="share of inputs run under valgrind memcheck (default 0.05 = 1 in 20; 0 = none)")
    ap.add_argument("--seed", type=int, default=None, help="campaign seed (default: from the clock)")
    ap.add_argument("--first", type=int, default=0, help="index of the first input (to redo one input: "
                    "--seed S --first I --count 1)")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per tshark run (x20 under valgrind)")
    ap.add_argument("--build", default=os.environ.get("FCGI_BUILD_DIR", os.path.join(ROOT, "build")),
                    help="build folder with the plugin (default $FCGI_BUILD_DIR or build)")
    ap.add_argument("--stage", default=os.environ.get("FCGI_STAGE_DIR", "/tmp/fcgi-fuzz-stage"),
                    help="plugin staging folder (default $FCGI_STAGE_DIR or /tmp/fcgi-fuzz-stage)")
    ap.add_argument("--out", default=os.path.join(HERE, "out", "failures"), help="where failing inputs go")
    ap.add_argument("--sources", nargs="+", help="captures to mutate (default captures/*.pcap captures/crafted/*.pcap)")
    ap.add_argument("--replay", nargs="+", metavar="PCAP",
                    help="no mutation: run the checks on these files (e.g. fuzz/regressions/*.pcap)")
    ap.add_argument("--both", action="store_true",
                    help="run every input twice, heuristic only and forced (default: one run, "
                         "the configuration rotating)")
    ap.add_argument("--full-data", action="store_true",
                    help="let tshark read the name resolution files (manuf, services, ...) at every start")
    ap.add_argument("--strict", action="store_true",
                    help="count crashes of other Wireshark dissectors (kept in fuzz/out/foreign/) as failures too")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if args.seed is None:
        args.seed = int(time.time())
    args.build = os.path.abspath(args.build)
    if not glob.glob(os.path.join(args.build, "plugins", "*", "epan", "fcgi.so")):
        sys.exit("mutate-run: no fcgi.so under %s/plugins; build first" % args.build)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    c = Campaign(args)
    # tshark ignores plugin folders it may not read (and, as root, all
    # personal ones) without a word: without this check a campaign could
    # pass with the built-in dissector alone.
    plugins = subprocess.run([TSHARK_RUN, "-G", "plugins"], env=c.env, capture_output=True).stdout
    if b"fcgi.so" not in plugins:
        shutil.rmtree(c.work, ignore_errors=True)
        sys.exit("mutate-run: tshark did not load the plugin of %s (tshark -G plugins)" % args.build)
    if args.replay:
        return c.replay(args.replay)
    print("fuzz: seed %d, %d captures, up to %d inputs, %d jobs, budget %ss, valgrind share %g, plugin %s"
          % (args.seed, len(c.sources), args.count, args.jobs, args.seconds or "unlimited",
             args.valgrind_share, args.build), file=sys.stderr, flush=True)
    print("fuzz: forced: %s" % " ".join(c.force), file=sys.stderr, flush=True)
    elapsed = c.run(range(args.first, args.first + args.count))
    print("fuzz: %d inputs, %d failures (%d tshark runs, %d under valgrind, %.0fs, seed %d%s)"
          % (c.inputs, len(c.failures), c.runs, c.vg_runs, elapsed, args.seed,
             ", %d bugs of other dissectors in %s" % (len(c.foreign), c.foreigndir) if c.foreign else ""))
    plain = c.runs - c.vg_runs
    print("fuzz: %.2fs per tshark run, %.1fs per valgrind run, %.0f inputs/minute"
          % (c.run_seconds / plain if plain else 0, c.vg_seconds / c.vg_runs if c.vg_runs else 0,
             60.0 * c.inputs / elapsed if elapsed else 0), file=sys.stderr)
    for dest, problems in c.failures + c.foreign:
        print("  %s: %s" % (dest, " | ".join("[%s] %s" % (p[0], "; ".join(p[1])) for p in problems)))
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
