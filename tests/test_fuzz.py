"""Hostile and malformed input against the command line, in capped child processes
(``tests/fuzz.py``): every run ends within its time and memory cap with exit code 0 or 2, a
refusal is one line on stderr, ``--json`` output is one JSON object, nothing is written except
where the command line asked, and no shell metacharacter is ever executed (no marker file).

The ``ci`` profile runs a few hundred inputs, ``thorough`` (``make test-thorough``) 6000;
``pytest tests/test_fuzz.py --hypothesis-show-statistics`` prints how many were refused.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings, strategies as st

from .fuzz import Worker
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
    with Worker(wall=40.0, cpu=40) as w:
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
            parent = os.path.dirname(path)
            while parent and parent != "work":
                out.add(parent)
                parent = os.path.dirname(parent)
    return out


def check_run(worker: Worker, sandbox: Path, argv: list[str]) -> None:
    work = sandbox / "work"
    work.mkdir(exist_ok=True)
    before = _tree(sandbox)
    r = worker.run(argv, cwd=str(work))
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
    stray = {c for c in created if c not in _allowed_outputs(argv) and c != "work"}
    assert not stray, f"wrote outside what was asked: {sorted(stray)[:5]}: {shown}"
    for c in sorted(created, reverse=True):  # leave the sandbox as it was for the next input
        p = sandbox / c
        if p.is_dir():
            p.rmdir()
        else:
            p.unlink()


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
