"""Hostile and malformed input against the command line, in capped child processes
(``tests/fuzz.py``): every run ends within its time and memory cap with exit code 0 or 2, a
refusal is one line on stderr, ``--json`` output is one JSON object, nothing is written except
where the command line asked, and no shell metacharacter is ever executed (no marker file).
Besides command lines, hostile catalogs (``SYMBOLIC_EOS_CATALOG``) run ``report`` and
``verify-paper``, and hostile IDX folders run ``mlp-experiment --mnist``.

The ``ci`` profile runs a few hundred inputs, ``thorough`` (``make test-thorough``) 6000;
``pytest tests/test_fuzz.py --hypothesis-show-statistics`` prints how many were refused.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings, strategies as st

from symbolic_eos.analysis.base_models import catalog_dir

from .fuzz import Run, Worker
from .profiles import examples

MARKER = "FUZZ_MARKER"

# --- text from the grammar, bent ----------------------------------------------------------

_NAMES = ["sin", "exp", "log", "tanh", "sqrt", "atanh", "asin", "erf", "sigmoid", "gaussian", "softplus"]
_HOSTILE_NAMES = ["__import__", "__class__", "__builtins__", "eval", "exec", "open", "os", "lambda", "getattr",
                  "Symbol", "I", "oo", "nan", "zoo", "E1", "x_", "print", "self"]
_LOOKALIKES = ["\uff58", "\u0445", "\U0001d465", "\u2212", "\u00d7", "\u00b2", "\uff11", "\u2179", "\u200b", "\u202e",
               "\x00", "\ufeff", "\u221a", "\u03c0", "\u2044", "\u00b7"]
_OPERATORS = ["+", "-", "*", "/", "**", "^", "//", "%", "@", "=", ",", ";", "!", "&", "|", "~", "<", "'", '"', "\\",
              "[", "]", "{", "}", ".", "e", "$", "`"]
_EXPONENTS = ["2", "3", "999", "1000", "1001", "-1000", "1000000", "1/3", "0.5", "-1/2", "(1/1000)", "10**60", "x",
              "(-1)", "0", "1e999"]

literals = st.one_of(
    st.integers(-10**80, 10**80).map(str),
    st.integers(1, 90).map(lambda k: "9" * k),
    st.integers(1, 90).map(lambda k: "0." + "0" * k + "1"),
    st.sampled_from(["1e999", "1e-999", "1e60", "1e61", "1..2", ".", "1e", "0x10", "1_000", "1j", "inf", "nan",
                     "pi", "E", "0", "0.0", "-0"]),
)
atoms = st.one_of(st.just("x"), literals, st.sampled_from(_HOSTILE_NAMES), st.sampled_from(_LOOKALIKES),
                  st.sampled_from(["x", "y", "pi", "E"]))


def _grow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(st.sampled_from(_NAMES + _HOSTILE_NAMES), children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(children, st.sampled_from(_OPERATORS), children).map(lambda t: f"{t[0]}{t[1]}{t[2]}"),
        st.tuples(children, st.sampled_from(_EXPONENTS), st.sampled_from(_EXPONENTS))
        .map(lambda t: f"(({t[0]})**{t[1]})**{t[2]}"),
        st.tuples(children, st.integers(1, 120)).map(lambda t: "(" * t[1] + t[0] + ")" * t[1]),
        st.tuples(children, st.integers(1, 120)).map(lambda t: "(" * t[1] + t[0]),
        st.tuples(children, st.integers(2, 600)).map(lambda t: "+".join([t[0]] * t[1])),
        st.tuples(children, st.integers(2, 60)).map(lambda t: "-" * t[1] + t[0]),
        st.tuples(children, st.sampled_from(_LOOKALIKES)).map(lambda t: t[0] + t[1]),
    )


expressions = st.recursive(atoms, _grow, max_leaves=6)
points = st.one_of(expressions, st.sampled_from(["0", "1", "-1", "1/2", "atanh(1/2)", "pi/6", "log(2)", "1e999",
                                                 "10**60", "sqrt(2)", "", " ", "--x", "1,2", "nan"]))

# Output paths a careless user or an attacker might give; each is written where it says, or refused.
_PATHS = ["out.md", "sub/out.md", "../escape.md", "a;touch FUZZ_MARKER.md", "$(touch FUZZ_MARKER).md",
          "`touch FUZZ_MARKER`.md", "x" * 300 + ".md", "dir/../../up.md", "c.svg", "c.jpg", "c.tif", "c.webp",
          "c.pdf", "c.xyz", "noext", "", ".", "/", "out.md/", "-", "\x00.md", "\u202eexe.md"]


def _command(draw: st.DrawFn) -> list[str]:
    kind = draw(st.sampled_from(["check", "check-at", "check-report", "l2", "orbit", "orbit-plot", "compose",
                                 "window", "existence", "multi"]))
    e = draw(expressions)
    if kind == "check":
        argv = ["check", e]
    elif kind == "check-at":
        argv = ["check", e, "--at", draw(points)]
    elif kind == "check-report":
        argv = ["check", draw(st.sampled_from([e, "(x**2-1)**2/4"])), "--at", "1", "--report", draw(st.sampled_from(_PATHS))]
    elif kind == "l2":
        argv = ["l2", e, "--target", draw(points)] + draw(st.sampled_from([[], ["--at", draw(points)]]))
    elif kind == "orbit":
        argv = ["orbit", e, "--eta", draw(points), "--at", draw(points)]
    elif kind == "orbit-plot":
        argv = ["orbit", "(x**2-1)**2/4", "--eta", "11/10", "--at", "1", "--plot", draw(st.sampled_from(_PATHS))]
    elif kind == "compose":
        argv = ["compose", e, draw(expressions), "--at", draw(points)]
    elif kind == "window":
        argv = ["window", e, "--at", draw(points)]
    elif kind == "existence":
        argv = ["existence", e, "--at", draw(points)]
    else:
        argv = ["check", e, "--vars", draw(st.sampled_from(["x,y", "x,x", "x,__import__", "x," * 40 + "y", ""])),
                "--at", draw(st.sampled_from(["0,0", "1,1", "1", "1e999,0", "x,y", ",", "0," * 40 + "0"]))]
    if draw(st.booleans()):
        argv.append("--json")
    return argv


commands = st.composite(_command)()


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture(scope="module")
def worker():
    # A hang that computes is stopped by the CPU cap (SIGXCPU, reported below); the wall-clock cap
    # only catches a child that blocks, so it is generous: on a loaded machine (CI beside other
    # jobs) a legitimate `report --only quartic-orbit` waited past 40 s of wall time for its CPU.
    with Worker(wall=240.0, cpu=40) as w:
        yield w


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def _allowed_outputs(argv: list[str]) -> set[str]:
    """The files a command line asks for: its --report / --plot path and a figure beside a report."""
    out: set[str] = set()
    for flag in ("--report", "--plot"):
        if flag in argv:
            path = os.path.normpath(os.path.join("work", argv[argv.index(flag) + 1]))
            out.add(path)
            stem = os.path.splitext(path)[0]
            out.update({stem + ".png", stem + "-bifurcation.png", stem + ".svg"})
            out.update(_parents(path))
    return out


def _parents(path: str) -> set[str]:
    out, parent = set(), os.path.dirname(path)
    while parent and parent != "work":
        out.add(parent)
        parent = os.path.dirname(parent)
    return out


def _allowed(argv: list[str], created: str) -> bool:
    """Whether ``created`` (relative to the sandbox) is something ``argv`` asked for: a file it
    names, or anything inside the folder it names with --out / --plots."""
    if created in _allowed_outputs(argv) or created == "work":
        return True
    for flag in ("--out", "--plots"):
        if flag in argv:
            folder = os.path.normpath(os.path.join("work", argv[argv.index(flag) + 1]))
            if created == folder or created.startswith(folder + os.sep) or created in _parents(folder):
                return True
    return False


def check_run(worker: Worker, sandbox: Path, argv: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` in ``sandbox/work`` and assert the contract (see the module docstring);
    inputs the run reads (a catalog, IDX files) live in the sandbox and must be left unchanged."""
    work = sandbox / "work"
    work.mkdir(exist_ok=True)
    before = _tree(sandbox)
    r = worker.run(argv, cwd=str(work), env=env)
    shown = " ".join(repr(a)[:80] for a in argv)
    assert not r.timed_out, f"hang (killed after {worker.wall} s): {shown}"
    assert r.signal is None, f"killed by signal {r.signal} (memory or CPU cap): {shown}\n{r.stderr[-2000:]}"
    assert r.code in (0, 2), f"exit {r.code}: {shown}\n{r.stderr[-3000:]}"
    if r.code == 2:
        lines = r.stderr.strip("\n").split("\n")
        assert len(lines) == 1 and lines[0].startswith("symbolic-eos: error: "), f"not one line: {shown}\n{r.stderr[-2000:]}"
        event("refused")
    else:
        event("accepted")
    if "--json" in argv:
        data = json.loads(r.stdout)
        assert isinstance(data, dict) and (("error" in data) == (r.code == 2)), shown
    created = _tree(sandbox) - before
    assert not any(Path(c).name == MARKER for c in created) and not (Path("/tmp") / MARKER).exists(), f"marker created: {shown}"
    stray = {c for c in created if not _allowed(argv, c)}
    assert not stray, f"wrote outside what was asked: {sorted(stray)[:5]}: {shown}"
    for c in sorted(created, reverse=True):  # leave the sandbox as it was for the next input
        p = sandbox / c
        if p.is_dir():
            p.rmdir()
        else:
            p.unlink()
    return r


@pytest.mark.slow
@settings(max_examples=examples(300), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(argv=commands)
@example(argv=["check", "((x**1000)**1000)**1000", "--at", "3"])
@example(argv=["check", "(10**55)**80*(x**2+y**2)", "--vars", "x,y", "--at", "0,0", "--json"])
@example(argv=["compose", "x", "(10**55)**80*x", "--at", "1", "--json"])
@example(argv=["check", "x**2", "--at", "0", "--report", "c.svg"])
@example(argv=["orbit", "(x**2-1)**2/4", "--eta", "11/10", "--at", "1", "--plot", "c.svg"])
@example(argv=["orbit", "(x**2-1)**2/4", "--eta", "11/10", "--at", "1", "--plot", "x" * 300 + ".png"])
@example(argv=["check", "x**2", "--at", "0", "--report", "$(touch FUZZ_MARKER).md"])
@example(argv=["orbit", "(x**2-1)**2/4", "--eta", "11/10", "--at", "1", "--plot", "."])  # found by thorough
@example(argv=["check", "(x**2-1)**2/4", "--at", "1", "--report", "/"])
@example(argv=["check", "((sin(999999999999999999999999999999999999999))**x)**x", "--vars", "x,y", "--at", "0,0"])  # thorough
@example(argv=["check", "__import__('os').system('touch FUZZ_MARKER')"])
def test_hostile_command_lines(worker, sandbox, argv):
    check_run(worker, sandbox, argv)


def test_the_harness_sees_a_traceback(worker, sandbox):
    """The harness itself must be able to fail: a command that crashes is reported as exit 1."""
    r = worker.run(["check", "x**2", "--at", "0", "--json"], cwd=str(sandbox))
    assert r.code == 0 and json.loads(r.stdout)["minima" if "minima" in r.stdout else "point"] is not None
    r = worker.run(["--no-such-flag"], cwd=str(sandbox))
    assert r.code == 2 and r.stderr.count("\n") == 1


# --- hostile catalogs (SYMBOLIC_EOS_CATALOG) ------------------------------------------------

_SHIPPED = {name: (catalog_dir() / name).read_text() for name in ("base_models.toml", "claims.toml")}
_ESCAPE = "@ESCAPE@"  # replaced by an absolute path inside the sandbox, outside the output folder
_TOML_VALUES = [
    '"../../escaped-rel"', f'"{_ESCAPE}"', '"a/b"', '""', '"."', '".."', '"' + "x" * 300 + '"', '"Tanh"', '"sin x"',
    "5", "0", "-1", "1000000000", "99999999999999999999", "1e308", "nan", "inf", "-inf", "true", "1979-05-27",
    "[]", "[[]]", "[1, 2]", '["x**2", "0"]', '[["x**2", "0"]]', '[["((x**1000)**1000)**1000", "3"]]',
    '[["x**2/2 + x**3", "1e999"]]', '[["x**2", "0", "extra"]]', "{a = 1}", '"abc"', '"tiny"', '"paper"',
    '"((x**1000)**1000)**1000"', '"__import__(\'os\').system(\'touch FUZZ_MARKER\')"', '"$(touch FUZZ_MARKER)"',
    '"\\u202e"', '"\\u0000"', '"1/0"', '"sin(x)"', '"log(x)"', '["-inf", "inf"]', '["1", "0"]', '["0", "1e999"]',
    '["1/100", "10"]', "[1, 2, 3]", '"-inf"', '"(10**55)**80*x"', '[["tanh(x)", "2", "atanh(2)"]]',
]
_KEYS = ["starts", "budget", "losses", "cases", "config", "seed", "model", "name", "range", "domain", "expression",
         "poster", "id", "__class__", "unknown"]
_SINGLE_LINE = re.compile(r'^([a-z_]+) = ("[^"]*"|\[.*\]|[-+0-9a-z_.]+)$')


@dataclass(frozen=True)
class Catalog:
    """Catalog files (``None``: a folder in the file's place), shown by their edits only."""

    files: dict[str, bytes | None]
    edits: tuple[str, ...]

    def __repr__(self) -> str:
        return f"Catalog(edits={list(self.edits)!r})"


def _mutate(draw: st.DrawFn, files: dict[str, bytes | None]) -> str:
    name = draw(st.sampled_from(sorted(files)))
    data = files[name]
    kind = draw(st.sampled_from(["value", "value", "value", "insert", "insert", "bytes", "truncate", "folder",
                                 "duplicate", "drop"]))
    if data is None or kind == "folder":
        files[name] = None
        return f"{name}: a folder"
    if kind in ("bytes", "truncate"):
        at = draw(st.integers(0, len(data)))
        junk = draw(st.sampled_from([b"\xff\xfe", b"\x00", b"\xc3"])) if kind == "bytes" else b""
        files[name] = data[:at] + junk
        return f"{name}: cut at byte {at}" + (f", then {junk!r}" if junk else "")
    edit = f"{name}: {kind}"
    lines = data.decode("utf-8", "surrogateescape").split("\n")
    if kind == "value":
        keyed = [i for i, line in enumerate(lines) if _SINGLE_LINE.match(line)]
        if keyed:
            i = draw(st.sampled_from(keyed))
            new = f"{_SINGLE_LINE.match(lines[i]).group(1)} = {draw(st.sampled_from(_TOML_VALUES))}"
            edit, lines[i] = f"{name}: {lines[i]!r} -> {new!r}", new
    elif kind == "insert":
        tables = [i for i, line in enumerate(lines) if line.strip() in ("[claim.parameters]", "[[model]]")]
        if tables:
            i = draw(st.sampled_from(tables)) + 1
            new = f"{draw(st.sampled_from(_KEYS))} = {draw(st.sampled_from(_TOML_VALUES))}"
            edit = f"{name}: insert {new!r} at line {i + 1}"
            lines.insert(i, new)
    else:  # duplicate or drop a whole table
        starts = [i for i, line in enumerate(lines) if line.startswith("[[")]
        if starts:
            k = draw(st.integers(0, len(starts) - 1))
            end = starts[k + 1] if k + 1 < len(starts) else len(lines)
            block = lines[starts[k]:end]
            lines[starts[k]:end] = block * 2 if kind == "duplicate" else []
            edit = f"{name}: {kind} the table at line {starts[k] + 1}"
    files[name] = "\n".join(lines).encode("utf-8", "surrogateescape")
    return edit


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    """The shipped catalog files with one to three hostile edits."""
    files: dict[str, bytes | None] = {k: v.encode() for k, v in _SHIPPED.items()}
    edits = tuple(_mutate(draw, files) for _ in range(draw(st.integers(1, 3))))
    return Catalog(files, edits)


_CLAIMS = ["lemma1-higher-order", "lemma2-l2", "base-model-examples", "composition-rule", "thm1-existence",
           "quartic-orbit", "no-such-claim"]
catalog_commands = st.one_of(
    st.sampled_from(_CLAIMS).map(lambda c: ["report", "--out", "out", "--only", c, "--no-figures"]),
    st.sampled_from(_CLAIMS).map(lambda c: ["verify-paper", "--only", c, "--json"]),
    st.sampled_from(["lemma2-l2", "base-model-examples"]).map(lambda c: ["report", "--out", "out", "--only", c]),
    st.just(["counterexamples", "--json", "--budget", "50"]),
)


def _edited(name: str, old: str, new: str | None) -> Catalog:
    """The shipped catalog with ``old`` replaced by ``new`` in file ``name`` (``None``: the file
    becomes a folder; ``old == ""`` with bytes: prefix them)."""
    files: dict[str, bytes | None] = {k: v.encode() for k, v in _SHIPPED.items()}
    if new is None:
        files[name] = None
    else:
        assert old in _SHIPPED[name], old  # the edit must hit the catalog, or the example checks nothing
        files[name] = _SHIPPED[name].replace(old, new, 1).encode("utf-8", "surrogateescape")
    return Catalog(files, (f"{name}: {old!r} -> {new!r}",))


_REPORT = ["report", "--out", "out", "--only", "base-model-examples", "--no-figures"]


@pytest.mark.slow
@settings(max_examples=examples(100), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(catalog=catalogs(), argv=catalog_commands)
# the reproductions of issue 13, item 3
@example(catalog=_edited("base_models.toml", 'name = "tanh"', 'name = "../../escaped-rel"'), argv=_REPORT)
@example(catalog=_edited("base_models.toml", 'name = "tanh"', f'name = "{_ESCAPE}"'), argv=_REPORT)
@example(catalog=_edited("claims.toml", "losses = [[", "losses = 5\nxlosses = [["),
         argv=["verify-paper", "--only", "thm1-existence", "--json"])
@example(catalog=_edited("claims.toml", "budget = 2000", 'budget = "abc"'),
         argv=["verify-paper", "--only", "composition-rule"])
@example(catalog=_edited("claims.toml", "starts = 200", "starts = 1000000000"),
         argv=["verify-paper", "--only", "quartic-orbit"])
@example(catalog=_edited("claims.toml", "[claim.parameters]\nconfig", "[claim.parameters]\nmodel = 5\nconfig"),
         argv=["verify-paper", "--only", "mlp-obs1"])
@example(catalog=_edited("base_models.toml", "[[model]]", "\udcff\udcfe[[model]]"), argv=_REPORT)  # not UTF-8
@example(catalog=_edited("base_models.toml", "", None), argv=_REPORT)
def test_hostile_catalogs(worker, sandbox, catalog, argv):
    folder = sandbox / "catalog"
    folder.mkdir()
    try:
        for name, data in catalog.files.items():
            if data is None:
                (folder / name).mkdir()
            else:
                (folder / name).write_bytes(data.replace(_ESCAPE.encode(), str(sandbox / "abs-escaped").encode()))
        kept = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
        check_run(worker, sandbox, argv, env={"SYMBOLIC_EOS_CATALOG": str(folder)})
        assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == kept, "the catalog was changed"
    finally:
        shutil.rmtree(folder)


# --- hostile MNIST folders (mlp-experiment --mnist) -------------------------------------------

def _idx(dims: tuple[int, ...], payload: int, magic: bytes | None = None) -> bytes:
    head = magic if magic is not None else bytes([0, 0, 8, len(dims)])
    return head + struct.pack(">" + "I" * len(dims), *dims) + bytes(payload)


@st.composite
def mnist_folders(draw: st.DrawFn) -> dict[str, bytes | None]:
    """IDX image and label files with hostile headers, payloads and compression."""
    n = draw(st.sampled_from([1, 2, 10, 200, 1797, 1_000_000, 1_000_001, 0, 2**32 - 1]))
    rows, cols = draw(st.sampled_from([(1, 1), (8, 8), (8, 8), (28, 28), (64, 64), (65, 64), (0, 5), (100000, 100000)]))
    size = n * rows * cols
    payload = draw(st.sampled_from(["exact", "exact", "exact", "short", "long", "empty"]))
    real = min(size, 3_000_000)
    length = {"exact": real, "short": max(real - 1, 0), "long": real + 1, "empty": 0}[payload]
    magic = draw(st.sampled_from([None, None, None, b"\x00\x00\x08\x01", b"\x00\x00\x0b\x03", b"\x01\x00\x08\x03",
                                  b"\x00\x00\x08\x09", b"\x00\x00"]))
    images = _idx((n, rows, cols), length, magic) if size <= 3_000_000 or payload == "empty" else _idx((n, rows, cols), 0)
    labels_n = min(draw(st.sampled_from([n, n, n, n + 1, max(n - 1, 0), 1])), 2**32 - 1)
    labels = _idx((labels_n,), min(labels_n, 3_000_000))
    if draw(st.integers(0, 3)) == 0:
        labels = labels[:8] + bytes([draw(st.sampled_from([0, 9, 10, 255]))]) * min(labels_n, 3_000_000)
    files: dict[str, bytes | None] = {}
    for stem, data in (("train-images-idx3-ubyte", images), ("train-labels-idx1-ubyte", labels)):
        how = draw(st.sampled_from(["plain"] * 6 + ["gz"] * 3 + ["corrupt-gz", "truncated-gz", "folder", "missing"]))
        if how == "plain":
            files[stem] = data
        elif how == "folder":
            files[stem] = None
        elif how != "missing":
            packed = gzip.compress(data, compresslevel=1)
            files[stem + ".gz"] = {"gz": packed, "corrupt-gz": packed[:10] + b"\x00" * 8 + packed[18:],
                                   "truncated-gz": packed[: len(packed) // 2]}[how]
    return files


_MLP = ["mlp-experiment", "--config", "tiny", "--mnist", "mnist", "--json"]


@pytest.mark.slow
@settings(max_examples=examples(60), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(files=mnist_folders())
# issue 13, item 1: a header claiming 10^6 images of 1 x 1 pixels (and the payload to match)
@example(files={"train-images-idx3-ubyte": _idx((1_000_000, 1, 1), 1_000_000),
                "train-labels-idx1-ubyte": _idx((1_000_000,), 1_000_000)})
@example(files={"train-images-idx3-ubyte": _idx((1_000_000, 1, 1), 0),
                "train-labels-idx1-ubyte": _idx((1_000_000,), 0)})
def test_hostile_mnist_folders(worker, sandbox, files):
    folder = sandbox / "work" / "mnist"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for name, data in files.items():
            if data is None:
                (folder / name).mkdir()
            else:
                (folder / name).write_bytes(data)
        r = check_run(worker, sandbox, _MLP)
        assert r.seconds < 30, f"{r.seconds:.1f} s for a tiny config"
    finally:
        shutil.rmtree(folder)
