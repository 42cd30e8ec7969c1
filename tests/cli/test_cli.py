"""The cjm command's render, convert and check: outputs, exit codes and messages.

Run by ctest as: python3 test_cli.py CJM_TOOL SOURCE_DIR SCRATCH_DIR
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import unittest

TOOL = SOURCE = SCRATCH = None
HERE = os.path.dirname(os.path.abspath(__file__))

OK, REJECTED, USAGE, IO = 0, 1, 2, 3
SIGNATURES = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF", "dot": b"digraph"}


def cjm(*args, stdin=None):
    """Runs the command; returns (exit code, stdout, stderr) as text."""
    p = subprocess.run([TOOL, *args], input=stdin, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def fixture(name):
    return os.path.join(SOURCE, "tests", "fixtures", "xml", name)


def here(name):
    return os.path.join(HERE, name)


def out(name):
    return os.path.join(SCRATCH, name)


def head(path, n=8):
    with open(path, "rb") as f:
        return f.read(n)


class Help(unittest.TestCase):
    def test_every_subcommand_explains_itself(self):
        for sub in ("render", "convert", "check"):
            for flag in ("--help", "-h"):
                rc, so, se = cjm(sub, flag)
                self.assertEqual(rc, OK, sub)
                self.assertIn("usage: cjm " + sub, so)
                self.assertIn("exit codes", so)
                self.assertEqual(se, "")

    def test_the_command_lists_the_subcommands(self):
        rc, so, _ = cjm("--help")
        self.assertEqual(rc, OK)
        for sub in ("render", "convert", "check"):
            self.assertIn(sub, so)


class Render(unittest.TestCase):
    def test_every_format_is_written(self):
        for fmt, magic in SIGNATURES.items():
            path = out("rich." + fmt)
            rc, so, se = cjm("render", fixture("rich.xml"), "-o", path)
            self.assertEqual((rc, se), (OK, ""), fmt)
            self.assertEqual(head(path, len(magic)), magic, fmt)

    def test_options_reach_the_diagram(self):
        path = out("options.dot")
        rc, _, se = cjm("render", fixture("rich.xml"), "-o", path, "--no-legend",
                        "--direction", "TB", "--annotations", "none",
                        "--journey", "planned", "--situation", "stressed")
        self.assertEqual((rc, se), (OK, ""))
        with open(path, encoding="utf-8") as f:
            dot = f.read()
        self.assertIn('rankdir="TB"', dot)
        self.assertNotIn("cluster_legend", dot)
        self.assertNotIn("pain ", dot)
        self.assertIn("situation: Stressad", dot)

    def test_equals_forms_of_options_work(self):
        path = out("equals.svg")
        rc, _, se = cjm("render", fixture("rich.xml"), "--output=" + path, "--direction=LR",
                        "--annotations=pain")
        self.assertEqual((rc, se), (OK, ""))
        self.assertEqual(head(path, 5), b"<?xml")

    def test_standard_input_is_read_with_a_dash(self):
        with open(fixture("rich.xml"), "rb") as f:
            data = f.read()
        path = out("stdin.svg")
        p = subprocess.run([TOOL, "render", "-", "-o", path], input=data, capture_output=True)
        self.assertEqual(p.returncode, OK, p.stderr)
        self.assertEqual(head(path, 5), b"<?xml")

    def test_a_missing_input_is_an_io_error(self):
        rc, _, se = cjm("render", out("no-such-file.xml"), "-o", out("x.svg"))
        self.assertEqual(rc, IO)
        self.assertIn("no-such-file.xml", se)
        self.assertIn("cannot open", se)
        self.assertFalse(os.path.exists(out("x.svg")))

    def test_an_unwritable_output_is_an_io_error_and_keeps_the_old_file(self):
        rc, _, se = cjm("render", fixture("rich.xml"), "-o", out("no/such/dir/x.svg"))
        self.assertEqual(rc, IO)
        self.assertIn("no/such/dir", se)
        blocker = out("a-file")
        with open(blocker, "w") as f:
            f.write("old")
        rc, _, se = cjm("render", fixture("rich.xml"), "-o", os.path.join(blocker, "x.svg"))
        self.assertEqual(rc, IO)
        with open(blocker) as f:
            self.assertEqual(f.read(), "old")
        if os.geteuid() != 0:
            ro = out("read-only")
            os.makedirs(ro, exist_ok=True)
            os.chmod(ro, 0o555)
            try:
                rc, _, se = cjm("render", fixture("rich.xml"), "-o", os.path.join(ro, "x.svg"))
                self.assertEqual(rc, IO)
            finally:
                os.chmod(ro, 0o755)

    def test_an_unknown_format_is_a_usage_error(self):
        for name in ("x.jpeg", "x", "x.svg.bak", "x.mmd"):
            rc, _, se = cjm("render", fixture("rich.xml"), "-o", out(name))
            self.assertEqual(rc, USAGE, name)
            self.assertIn("unknown format", se)
            self.assertIn("cjm render --help", se)

    def test_bad_options_are_usage_errors(self):
        cases = [
            [fixture("rich.xml"), "-o", out("x.svg"), "--bogus"],
            [fixture("rich.xml"), "-o", out("x.svg"), "--direction", "XY"],
            [fixture("rich.xml"), "-o", out("x.svg"), "--direction"],
            [fixture("rich.xml"), "-o", out("x.svg"), "--annotations", "some"],
            [fixture("rich.xml"), "-o"],
            [fixture("rich.xml"), "-o", out("x.svg"), "--journey"],
            [fixture("rich.xml")],
            ["-o", out("x.svg")],
            [fixture("rich.xml"), fixture("rich.xml"), "-o", out("x.svg")],
            [],
        ]
        for args in cases:
            rc, so, se = cjm("render", *args)
            self.assertEqual(rc, USAGE, args)
            self.assertTrue(se.startswith("cjm render: "), se)
            self.assertEqual(so, "")

    def test_an_unknown_journey_or_situation_is_a_usage_error(self):
        rc, _, se = cjm("render", fixture("rich.xml"), "-o", out("x.svg"), "--journey", "nope")
        self.assertEqual(rc, USAGE)
        self.assertIn("no journey 'nope'", se)
        rc, _, se = cjm("render", fixture("rich.xml"), "-o", out("x.svg"), "--situation", "web")
        self.assertEqual(rc, USAGE)
        self.assertIn("no situation 'web'", se)

    def test_a_rejected_input_names_file_line_and_column(self):
        for name in ("malformed.xml", "broken.xml"):
            rc, _, se = cjm("render", here(name), "-o", out("x.svg"))
            self.assertEqual(rc, REJECTED, se)
            self.assertRegex(se, r"^cjm render: .*%s:\d+:\d+: " % re.escape(name))


class Convert(unittest.TestCase):
    def test_dot_is_accepted_by_graphviz(self):
        path = out("rich.dot")
        rc, _, se = cjm("convert", fixture("rich.xml"), "-o", path)
        self.assertEqual((rc, se), (OK, ""))
        if shutil.which("dot"):
            p = subprocess.run(["dot", "-Tsvg", path, "-o", os.devnull], capture_output=True)
            self.assertEqual((p.returncode, p.stderr), (0, b""))

    def test_mermaid_is_a_journey_diagram(self):
        path = out("rich.mmd")
        rc, _, se = cjm("convert", fixture("rich.xml"), "-o", path)
        self.assertEqual((rc, se), (OK, ""))
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[0], "journey")
        self.assertTrue(lines[1].startswith("    title "))
        self.assertIn("  section Boka", lines)
        for line in lines[2:]:
            self.assertRegex(line, r"^(  section [^:;#]+|    [^:;#]+: [1-5](: [^:;#]+)?)$")

    def test_xml_is_canonical_and_reads_back(self):
        first, second = out("rich-1.xml"), out("rich-2.xml")
        rc, _, se = cjm("convert", fixture("rich.xml"), "-o", first)
        if rc == USAGE and "not built" in se:
            self.skipTest("the Journey XML writer is not in this build")
        self.assertEqual((rc, se), (OK, ""))
        rc, _, se = cjm("convert", first, "-o", second)
        self.assertEqual((rc, se), (OK, ""))
        with open(first, "rb") as a, open(second, "rb") as b:
            self.assertEqual(a.read(), b.read())

    def test_errors_have_the_same_exit_codes_as_render(self):
        rc, _, _ = cjm("convert", out("none.xml"), "-o", out("x.dot"))
        self.assertEqual(rc, IO)
        rc, _, se = cjm("convert", fixture("rich.xml"), "-o", out("x.svg"))
        self.assertEqual(rc, USAGE)
        self.assertIn("unknown format", se)
        rc, _, _ = cjm("convert", fixture("rich.xml"), "-o", out("no/dir/x.mmd"))
        self.assertEqual(rc, IO)
        rc, _, _ = cjm("convert", fixture("rich.xml"), "-o", out("x.xml"), "--journey", "j")
        self.assertEqual(rc, USAGE)
        rc, _, _ = cjm("convert", fixture("rich.xml"), "--wat", "-o", out("x.dot"))
        self.assertEqual(rc, USAGE)
        rc, _, _ = cjm("convert", here("malformed.xml"), "-o", out("x.dot"))
        self.assertEqual(rc, REJECTED)


class Check(unittest.TestCase):
    LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): .+$")

    def test_a_sound_map_passes(self):
        rc, so, se = cjm("check", fixture("rich.xml"))
        self.assertEqual(rc, OK, se)
        for line in se.splitlines()[:-1]:
            self.assertRegex(line, self.LINE)
            self.assertIn(": warning: ", line)

    def test_every_problem_is_listed_with_its_place(self):
        rc, so, se = cjm("check", here("broken.xml"))
        self.assertEqual(rc, REJECTED)
        lines = se.splitlines()
        problems = [self.LINE.match(line) for line in lines[:-1]]
        self.assertTrue(all(problems), se)
        self.assertEqual(len(problems), 3, se)
        self.assertEqual([int(m["line"]) for m in problems], [7, 8, 9])
        self.assertTrue(all(m["file"].endswith("broken.xml") for m in problems))
        self.assertIn("3 errors", lines[-1])

    def test_a_malformed_file_is_one_error_with_its_place(self):
        rc, _, se = cjm("check", here("malformed.xml"))
        self.assertEqual(rc, REJECTED)
        self.assertRegex(se.strip(), self.LINE)

    def test_a_missing_file_and_bad_usage(self):
        rc, _, se = cjm("check", out("nothing.xml"))
        self.assertEqual(rc, IO)
        self.assertIn("cannot open", se)
        self.assertEqual(cjm("check")[0], USAGE)
        self.assertEqual(cjm("check", "--strict", fixture("rich.xml"))[0], USAGE)
        self.assertEqual(cjm("check", fixture("rich.xml"), fixture("rich.xml"))[0], USAGE)

    def test_quiet_prints_nothing_for_a_clean_map(self):
        rc, so, se = cjm("check", "-q", here("clean.xml"))
        self.assertEqual((rc, so, se), (OK, "", ""))
        rc, so, se = cjm("check", here("clean.xml"))
        self.assertEqual((rc, se), (OK, ""))
        self.assertIn("no problems", so)


class ManPage(unittest.TestCase):
    PAGE = property(lambda self: os.path.join(SOURCE, "doc", "man", "cjm.1"))

    def test_every_subcommand_has_its_section(self):
        with open(self.PAGE, encoding="utf-8") as f:
            page = f.read()
        _, so, _ = cjm("--help")
        subs = re.findall(r"^  (\w+) ", so, re.M)
        self.assertIn("render", subs)
        for sub in subs:
            self.assertIn(".\\\" ==== SUBCOMMAND %s " % sub, page)
            self.assertIn(".SS cjm %s" % sub, page)

    def test_groff_reads_it_without_warnings(self):
        if not shutil.which("groff"):
            self.skipTest("groff is not installed")
        p = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", self.PAGE],
                           capture_output=True)
        self.assertEqual((p.returncode, p.stderr), (0, b""))


class Examples(unittest.TestCase):
    def test_every_example_renders_to_every_format(self):
        examples = sorted(glob.glob(os.path.join(SOURCE, "examples", "*.xml")))
        if not examples:
            self.skipTest("no examples/*.xml yet")
        for ex in examples:
            base = os.path.splitext(os.path.basename(ex))[0]
            for fmt, magic in SIGNATURES.items():
                path = out("example-%s.%s" % (base, fmt))
                rc, _, se = cjm("render", ex, "-o", path)
                self.assertEqual((rc, se), (OK, ""), "%s as %s" % (ex, fmt))
                self.assertEqual(head(path, len(magic)), magic)
            rc, _, se = cjm("convert", ex, "-o", out(base + ".mmd"))
            self.assertEqual((rc, se), (OK, ""), ex)


if __name__ == "__main__":
    TOOL, SOURCE, SCRATCH = sys.argv[1:4]
    shutil.rmtree(SCRATCH, ignore_errors=True)
    os.makedirs(SCRATCH)
    unittest.main(argv=[sys.argv[0], "-v"])
