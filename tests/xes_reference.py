#!/usr/bin/python3
"""An independent reading of XES event logs, written with the Python
standard library only (xml.etree.ElementTree.iterparse), that counts what
`cjm mine` counts: activities, directly-follows transitions with their
durations, start and end volumes, variants and the counters of what was
accepted with a caveat or skipped. The rules are those of doc/mining.md.

    xes_reference.py LOG [--keys k1,k2 | --classifier NAME] [--channel-key KEY]
        prints the counts as JSON;
    xes_reference.py --compare CJM LOG [same options]
        runs `CJM mine LOG --json` with the same options and compares;
        exit status 0 when they agree, 1 when they differ, 77 when LOG is absent.
"""
import argparse
import gzip
import json
import lzma
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

TYPES = {"string", "date", "int", "float", "boolean", "id", "list", "container"}
COUNTERS = [
    "traces", "events", "traces-empty", "events-unclassified", "events-outside-trace",
    "dates-no-timezone", "values-invalid", "attributes-no-key", "elements-unknown",
    "extensions-odd", "pairs-timed", "pairs-untimed", "pairs-out-of-order",
    "variants-too-long", "variants-dropped",
]

DATE_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2}|[+-]\d{4})?",
    re.ASCII)
INT_RE = re.compile(r"[+-]?\d+", re.ASCII)
FLOAT_RE = re.compile(r"NaN|[+-]?INF|[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
MDAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


class Rejected(Exception):
    pass


def days_from_civil(y, m, d):
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def parse_date(s):
    """(milliseconds since 1970 UTC, no_zone) or None."""
    m = DATE_RE.fullmatch(s)
    if not m:
        return None
    y, mo, d, h, mi, sec = (int(g) for g in m.groups()[:6])
    frac = int((m.group(7) or "0")[:3].ljust(3, "0"))
    tz = m.group(8)
    sign = tzh = tzm = 0
    if tz and tz != "Z":
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        tzh, tzm = int(digits[:2]), int(digits[2:])
        if tzh > 14 or tzm > 59:
            return None
    if not 1 <= mo <= 12 or h > 23 or mi > 59 or sec > 59:
        return None
    leap = (y % 4 == 0 and y % 100 != 0) or y % 400 == 0
    dim = MDAYS[mo - 1] + (1 if mo == 2 and leap else 0)
    if not 1 <= d <= dim:
        return None
    secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec
    secs -= sign * (tzh * 3600 + tzm * 60)
    return secs * 1000 + frac, tz is None


def value_ok(typ, v):
    if typ == "int":
        return INT_RE.fullmatch(v) is not None and -2**63 <= int(v) < 2**63
    if typ == "float":
        return FLOAT_RE.fullmatch(v) is not None
    if typ == "boolean":
        return v in ("true", "false", "0", "1")
    return True


def bin_of(ms):
    if ms < 16:
        return ms
    e = ms.bit_length() - 1
    return 16 + (e - 4) * 16 + ((ms >> (e - 4)) & 15)


def bin_value(b):
    if b < 16:
        return b
    k, m = divmod(b - 16, 16)
    lo, width = (16 + m) << k, 1 << k
    return lo + (width - 1) // 2


def quantile(bins, count, mn, mx, pct):
    rank = max(1, count // 100 * pct + (count % 100 * pct + 99) // 100)
    seen = 0
    for b in sorted(bins):
        seen += bins[b]
        if seen >= rank:
            return min(max(bin_value(b), mn), mx)
    return mx


def split_keys(s):
    keys, i = [], 0
    while i < len(s):
        c = s[i]
        if c in " \t\n\r":
            i += 1
        elif c == "'":
            j = s.find("'", i + 1)
            j = len(s) if j < 0 else j
            if j > i + 1:
                keys.append(s[i + 1:j])
            i = j + 1
        else:
            j = i
            while j < len(s) and s[j] not in " \t\n\r":
                j += 1
            keys.append(s[i:j])
            i = j
    return keys


def local(tag):
    return tag.rsplit("}", 1)[-1]


def open_log(path):
    with open(path, "rb") as f:
        head = f.read(6)
    if head[:2] == b"\x1f\x8b":
        return gzip.open(path, "rb")
    if head == b"\xfd7zXZ\x00":
        return lzma.open(path, "rb")
    return open(path, "rb")


class Miner:
    def __init__(self, keys=None, classifier=None, channel_key=None,
                 max_variants=20000, max_variant_length=256):
        self.opt_keys, self.opt_classifier = keys, classifier
        self.channel_key = channel_key
        self.max_variants, self.max_len = max_variants, max_variant_length
        self.c = {name: 0 for name in COUNTERS}
        self.started = False
        self.globals = []          # (key, value, type) of event scope
        self.classifiers = []      # (name, keys)
        self.keys = None
        self.acts = {}             # name -> [events, starts, ends, {channel: n}]
        self.trans = {}            # (a, b) -> [volume, count, sum, min, max, {bin: n}]
        self.variants = {}

    # -- declarations
    def global_value(self, key, typ=None):
        for k, v, t in self.globals:
            if k == key and (typ is None or t == typ):
                return v
        return None

    def resolve(self):
        self.started = True
        if self.opt_keys:
            keys = list(self.opt_keys)
        elif self.opt_classifier is not None:
            found = [k for n, k in self.classifiers if n == self.opt_classifier]
            if not found:
                raise Rejected("no classifier named %r" % self.opt_classifier)
            keys = split_keys(found[0])
            if not keys:
                raise Rejected("classifier names no keys")
        else:
            keys = ["concept:name"]
        self.keys = keys
        self.defval = [self.global_value(k) for k in keys]
        self.defchan = self.global_value(self.channel_key) if self.channel_key else None
        t = self.global_value("time:timestamp", "date")
        p = parse_date(t) if t is not None else None
        self.deft = p[0] if p else None

    # -- attributes
    def top_attribute(self, typ, scope, attrib):
        key = attrib.get("key")
        if not key:
            self.c["attributes-no-key"] += 1
            return
        if typ in ("list", "container"):
            return
        val = attrib.get("value")
        if val is None or "\x7f" in val:
            self.c["values-invalid"] += 1
            return
        ms = None
        if typ == "date":
            p = parse_date(val)
            if p is None:
                self.c["values-invalid"] += 1
                return
            ms = p[0]
            if p[1]:
                self.c["dates-no-timezone"] += 1
        elif not value_ok(typ, val):
            self.c["values-invalid"] += 1
            return
        if scope == "event":
            if typ == "date" and key == "time:timestamp":
                self.ev_time = ms
            for i, k in enumerate(self.keys):
                if k == key:
                    self.ev_vals[i] = val
            if self.channel_key is not None and key == self.channel_key:
                self.ev_chan = val
        elif scope == "global-event" and not self.started:
            self.globals.append((key, val, typ))

    # -- events and traces
    def begin_trace(self):
        self.prev = None
        self.prev_t = None
        self.first = None
        self.seq = []
        self.too_long = False

    def begin_event(self):
        self.ev_vals = [None] * len(self.keys)
        self.ev_chan = None
        self.ev_time = None

    def end_event(self):
        parts = []
        for v, d in zip(self.ev_vals, self.defval):
            if v is None:
                v = d
            if v is None:
                self.c["events-unclassified"] += 1
                return
            parts.append(v)
        name = "+".join(parts)
        act = self.acts.setdefault(name, [0, 0, 0, {}])
        act[0] += 1
        self.c["events"] += 1
        if self.channel_key is not None:
            ch = self.ev_chan if self.ev_chan is not None else self.defchan
            if ch is not None:
                act[3][ch] = act[3].get(ch, 0) + 1
        t = self.ev_time if self.ev_time is not None else self.deft
        if self.prev is not None:
            tr = self.trans.setdefault((self.prev, name), [0, 0, 0, 0, 0, {}])
            tr[0] += 1
            if t is None or self.prev_t is None:
                self.c["pairs-untimed"] += 1
            elif t < self.prev_t:
                self.c["pairs-out-of-order"] += 1
            else:
                d = t - self.prev_t
                if tr[1] == 0 or d < tr[3]:
                    tr[3] = d
                if tr[1] == 0 or d > tr[4]:
                    tr[4] = d
                tr[1] += 1
                tr[2] += d
                b = bin_of(d)
                tr[5][b] = tr[5].get(b, 0) + 1
                self.c["pairs-timed"] += 1
        else:
            self.first = name
        self.prev, self.prev_t = name, t
        if len(self.seq) < self.max_len:
            self.seq.append(name)
        else:
            self.too_long = True

    def end_trace(self):
        self.c["traces"] += 1
        if self.prev is None:
            self.c["traces-empty"] += 1
            return
        self.acts[self.first][1] += 1
        self.acts[self.prev][2] += 1
        if self.too_long:
            self.c["variants-too-long"] += 1
            return
        key = tuple(self.seq)
        if key in self.variants:
            self.variants[key] += 1
        elif len(self.variants) >= self.max_variants:
            self.c["variants-dropped"] += 1
        else:
            self.variants[key] = 1

    # -- the document
    def mine(self, path):
        stack = []
        with open_log(path) as f:
            try:
                for ev, el in ET.iterparse(f, events=("start", "end")):
                    if ev == "start":
                        stack.append(self.start(stack[-1] if stack else None,
                                                local(el.tag), el.attrib))
                    else:
                        role = stack.pop()
                        if role == "event":
                            self.end_event()
                        elif role == "trace":
                            self.end_trace()
                        if role in ("event", "trace", "skip"):
                            el.clear()
            except ET.ParseError as e:
                raise Rejected("not well-formed: %s" % e)
        if not self.started:
            self.resolve()
        return self

    def start(self, parent, tag, attrib):
        if parent is None:
            if tag != "log":
                raise Rejected("root element is %s" % tag)
            return "log"
        if parent == "log":
            if tag in TYPES:
                self.top_attribute(tag, "log", attrib)
                return "attr"
            if tag == "trace":
                if not self.started:
                    self.resolve()
                self.begin_trace()
                return "trace"
            if tag == "event":
                if not self.started:
                    self.resolve()
                self.c["events-outside-trace"] += 1
                return "skip"
            if tag == "extension":
                u = attrib.get("uri")
                if u is None or not ((len(u) > 7 and u.startswith("http://")) or
                                     (len(u) > 8 and u.startswith("https://"))):
                    self.c["extensions-odd"] += 1
                return "extension"
            if tag == "global":
                scope = attrib.get("scope", "event")
                self.global_scope = ("global-event" if scope == "event" else
                                     "global-trace" if scope == "trace" else "log")
                return "global"
            if tag == "classifier":
                if not self.started and "name" in attrib and "keys" in attrib:
                    self.classifiers.append((attrib["name"], attrib["keys"]))
                return "classifier"
            self.c["elements-unknown"] += 1
            return "skip"
        if parent == "global":
            if tag in TYPES:
                self.top_attribute(tag, self.global_scope, attrib)
                return "attr"
            self.c["elements-unknown"] += 1
            return "skip"
        if parent == "trace":
            if tag in TYPES:
                self.top_attribute(tag, "trace", attrib)
                return "attr"
            if tag == "event":
                self.begin_event()
                return "event"
            self.c["elements-unknown"] += 1
            return "skip"
        if parent == "event":
            if tag in TYPES:
                self.top_attribute(tag, "event", attrib)
                return "attr"
            self.c["elements-unknown"] += 1
            return "skip"
        if parent in ("extension", "classifier"):
            self.c["elements-unknown"] += 1
            return "skip"
        return "skip"

    def result(self):
        def bkey(s):
            return s.encode("utf-8")
        names = sorted(self.acts, key=bkey)
        index = {n: i for i, n in enumerate(names)}
        acts = []
        for n in names:
            e, s, x, ch = self.acts[n]
            channel = min(ch, key=lambda c: (-ch[c], bkey(c))) if ch else None
            acts.append({"name": n, "events": e, "starts": s, "ends": x, "channel": channel})
        trans = []
        for (a, b) in sorted(self.trans, key=lambda p: (index[p[0]], index[p[1]])):
            vol, cnt, tot, mn, mx, bins = self.trans[(a, b)]
            d = {"count": cnt, "mean": tot / cnt if cnt else 0.0, "min": mn, "max": mx,
                 "median": quantile(bins, cnt, mn, mx, 50) if cnt else 0,
                 "p90": quantile(bins, cnt, mn, mx, 90) if cnt else 0}
            trans.append({"from": a, "to": b, "volume": vol, "durations": d})
        variants = sorted(self.variants.items(),
                          key=lambda kv: (-kv[1], [index[n] for n in kv[0]]))
        return {
            "keys": self.keys,
            "channel_key": self.channel_key,
            "counters": self.c,
            "activities": acts,
            "transitions": trans,
            "variants": [{"traces": c, "activities": list(seq)} for seq, c in variants],
        }


def differences(a, b, path="$"):
    """Where two JSON values differ (floats compared to 1e-9 relative)."""
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            if abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b)):
                return []
        return ["%s: %r != %r" % (path, a, b)]
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append("%s.%s: only in %s" % (path, k, "C" if k in a else "Python"))
            else:
                out += differences(a[k], b[k], "%s.%s" % (path, k))
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return ["%s: %d items != %d items" % (path, len(a), len(b))]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += differences(x, y, "%s[%d]" % (path, i))
        return out
    return [] if a == b else ["%s: %r != %r" % (path, a, b)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--compare", metavar="CJM", help="the cjm command to compare with")
    ap.add_argument("log")
    ap.add_argument("--keys")
    ap.add_argument("--classifier")
    ap.add_argument("--channel-key")
    args = ap.parse_args()
    keys = args.keys.split(",") if args.keys else None
    if not os.path.exists(args.log):
        print("skipped: %s is absent" % args.log)
        return 77
    try:
        ref = Miner(keys, args.classifier, args.channel_key).mine(args.log).result()
    except Rejected as e:
        ref = {"error": str(e)}
    if not args.compare:
        json.dump(ref, sys.stdout, indent=1, ensure_ascii=False)
        print()
        return 0
    cmd = [args.compare, "mine", args.log, "--json"]
    if args.keys:
        cmd += ["--keys", args.keys]
    if args.classifier:
        cmd += ["--classifier", args.classifier]
    if args.channel_key:
        cmd += ["--channel-key", args.channel_key]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        if "error" in ref:
            print("both reject %s: C says %s; Python says %s"
                  % (args.log, proc.stderr.decode(errors="replace").strip(), ref["error"]))
            return 0
        print("C rejected %s: %s" % (args.log, proc.stderr.decode(errors="replace").strip()))
        return 1
    if "error" in ref:
        print("Python rejected %s (%s) but C accepted it" % (args.log, ref["error"]))
        return 1
    got = json.loads(proc.stdout.decode("utf-8"))
    diffs = differences(got, ref)
    if diffs:
        print("%s: C and Python differ in %d places:" % (args.log, len(diffs)))
        for d in diffs[:40]:
            print("  " + d)
        return 1
    c = ref["counters"]
    print("%s: C and Python agree: %d traces, %d events, %d activities, %d transitions, "
          "%d variants" % (args.log, c["traces"], c["events"], len(ref["activities"]),
                           len(ref["transitions"]), len(ref["variants"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
