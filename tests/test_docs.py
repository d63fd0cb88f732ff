"""The docs cannot drift: every ```console block in README.md and docs/*.md is run and compared.

A ```console block is a terminal session. A line ``$ symbolic-eos ARGS`` is a command (a line
ending in `` \\`` continues on the next); the lines after it, up to the next ``$ `` line or the
end of the block, are what it prints. The command runs in-process through ``cli.main`` in an
empty temporary folder (so ``--plot window.png`` writes there). What it prints is:

- exit code 0: stdout; stderr may hold only progress lines (``COMMAND: [i/n] ...``);
- any other exit code: stdout then stderr (an error is one line on stderr, exit code 2).

Comparison is exact, line by line, after removing trailing spaces and trailing blank lines
(a blank line may separate two commands). A line that is exactly ``...`` matches any run of
zero or more lines; there is no other wildcard. A console block may run nothing but
``symbolic-eos``: commands this test does not run (``make paper``, ``pip install``) go in a
```sh or ```shell block, and every fence must name its language so none escapes unnoticed.

After a change of output, ``python tests/test_docs.py`` rewrites every block that differs and has
no ``...`` line, and names the blocks with ``...`` lines that need a person.
"""

from __future__ import annotations

import argparse
import difflib
import doctest
import json
import re
import shlex
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import sympy as sp

from symbolic_eos.cli import main
from symbolic_eos.core.parse import parse_constant

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

#: Fence languages allowed in the docs; only ``console`` is run here, ``python`` blocks holding
#: ``>>>`` examples are doctested, the others are shown only.
LANGUAGES = {"console", "sh", "shell", "python", "text"}

_FENCE = re.compile(r"^(\s*)```(.*)$")
_PROGRESS = re.compile(r"^[a-z-]+: \[\d+/\d+\] ")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # 1-based line of the opening fence
    language: str
    lines: tuple[str, ...]

    @property
    def name(self) -> str:
        where = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path.name
        return f"{where}:{self.line}"


def fenced_blocks(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file, with the line number of its opening fence."""
    blocks, current, lines = [], None, []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = _FENCE.match(text)
        if current is None:
            if m:
                current, lines = (number, m.group(2).strip()), []
        elif m and not m.group(2).strip():
            blocks.append(Block(path, current[0], current[1], tuple(lines)))
            current = None
        else:
            lines.append(text)
    assert current is None, f"{path.name}:{current[0]}: unclosed fence"
    return blocks


def _all_blocks() -> list[Block]:
    return [b for path in DOCS for b in fenced_blocks(path)]


def console_blocks() -> list[Block]:
    return [b for b in _all_blocks() if b.language == "console"]


def session(block: Block) -> list[tuple[list[str], list[str]]]:
    """The (argv, expected lines) pairs of a console block; argv without ``symbolic-eos``."""
    return [(argv, expected) for argv, expected, _ in _session(block)]


def _session(block: Block) -> list[tuple[list[str], list[str], list[str]]]:
    """As ``session``, with the command's own lines (continuations included) third."""
    pairs: list[tuple[list[str], list[str], list[str]]] = []
    lines = list(block.lines)
    i = 0
    assert lines and lines[0].startswith("$ "), f"{block.name}: a console block starts with a '$ ' command"
    while i < len(lines):
        start = i
        command = lines[i][2:]
        while command.endswith("\\"):
            i += 1
            command = command[:-1] + " " + lines[i].strip()
        i += 1
        raw = lines[start:i]
        expected = []
        while i < len(lines) and not lines[i].startswith("$ "):
            expected.append(lines[i])
            i += 1
        argv = shlex.split(command)
        if not argv or argv[0] != "symbolic-eos":
            pytest.fail(
                f"{block.name}: console block runs {command!r}; only symbolic-eos commands are run "
                "here, so show other commands in a ```sh block"
            )
        pairs.append((argv[1:], expected, raw))
    return pairs


def _trim(lines: list[str]) -> list[str]:
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """``expected`` equals ``actual`` line by line, a line ``...`` standing for any run of lines.

    >>> matches(["a", "...", "d"], ["a", "b", "c", "d"]), matches(["a", "..."], ["a"])
    (True, True)
    >>> matches(["a", "d"], ["a", "b", "d"]), matches(["a", "..."], ["b"])
    (False, False)
    """
    # ok[i][j]: expected[i:] matches actual[j:]
    n, m = len(expected), len(actual)
    ok = [[False] * (m + 1) for _ in range(n + 1)]
    ok[n][m] = True
    for i in range(n - 1, -1, -1):
        for j in range(m, -1, -1):
            if expected[i] == "...":
                ok[i][j] = ok[i + 1][j] or (j < m and ok[i][j + 1])
            else:
                ok[i][j] = j < m and expected[i] == actual[j] and ok[i + 1][j + 1]
    return ok[0][0]


def run_cli(argv: list[str], capsys) -> tuple[int, list[str]]:
    """Run one command in-process; return its exit code and the lines it shows (see above)."""
    code = main(argv)
    out, err = capsys.readouterr()
    if code == 0:
        noise = [line for line in err.splitlines() if not _PROGRESS.match(line)]
        assert not noise, f"symbolic-eos {shlex.join(argv)}: unexpected stderr {noise}"
        return code, out.splitlines()
    return code, out.splitlines() + err.splitlines()


@pytest.mark.parametrize("block", console_blocks(), ids=lambda b: b.name)
def test_console_block(block, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for argv, expected in session(block):
        code, actual = run_cli(argv, capsys)
        expected, actual = _trim(expected), _trim(actual)
        if not matches(expected, actual):
            diff = "\n".join(difflib.unified_diff(expected, actual, "documented", "printed", lineterm=""))
            pytest.fail(f"{block.name}: symbolic-eos {shlex.join(argv)} (exit {code}) prints\n{diff}")
        error = any(line.startswith("symbolic-eos: error:") for line in actual)
        assert code == (2 if error else 0), f"{block.name}: exit code {code}"


def test_docs_have_console_blocks():
    # the parser must find the blocks, or every test above passes vacuously
    names = [b.name for b in console_blocks()]
    assert len(names) >= 8 and "README.md" in names[0]


def test_a_console_block_runs_only_symbolic_eos(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("text\n```console\n$ symbolic-eos check x**2 \\\n    --at 0\nout\n\n$ make paper\n```\n")
    (block,) = fenced_blocks(page)
    assert block.line == 2 and block.language == "console"
    with pytest.raises(pytest.fail.Exception, match="runs 'make paper'"):
        session(block)
    block = Block(page, 2, "console", block.lines[:4])
    assert session(block) == [(["check", "x**2", "--at", "0"], ["out", ""])]
    # only trailing spaces are forgiven, and "..." only as a whole line
    assert matches(["a b"], ["a b"]) and not matches(["a b"], ["a  b"]) and not matches(["a ..."], ["a b"])


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_fence_names_its_language(path):
    bad = [f"{b.name} ({b.language or 'no language'})" for b in fenced_blocks(path) if b.language not in LANGUAGES]
    assert not bad, f"fences must be one of {sorted(LANGUAGES)}: {bad}"


@pytest.mark.parametrize(
    "block", [b for b in _all_blocks() if b.language == "python" and any(">>>" in x for x in b.lines)],
    ids=lambda b: b.name,
)
def test_python_examples(block):
    test = doctest.DocTestParser().get_doctest("\n".join(block.lines) + "\n", {}, block.name, str(block.path), block.line)
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.failures == 0 and runner.tries > 0


# --- --help: every option the parser accepts is listed, and what the help says matches it -----


def _parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    from symbolic_eos.cli import build_parser

    top = build_parser()
    (sub,) = [a for a in top._actions if isinstance(a, argparse._SubParsersAction)]
    return [("", top), *sub.choices.items()]


def _help(command: str, capsys) -> str:
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"] if command else ["--help"])
    out, _ = capsys.readouterr()
    assert stop.value.code == 0 and out.startswith("usage: symbolic-eos")
    return out


@pytest.mark.parametrize("command", [name for name, _ in _parsers()], ids=lambda n: n or "symbolic-eos")
def test_help_lists_every_option(command, capsys):
    parser = dict(_parsers())[command]
    text = _help(command, capsys)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):  # every subcommand, with its line of help
            for name in action.choices:
                assert re.search(rf"^    {re.escape(name)}(\s|$)", text, re.MULTILINE), f"symbolic-eos --help omits {name}"
            continue
        names = action.option_strings or [action.metavar or action.dest]
        assert action.help and action.help != argparse.SUPPRESS, f"{command} {names[0]}: no help"
        for name in names:
            assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text), f"{command} --help omits {name}"
        if action.choices:
            for choice in action.choices:
                assert re.search(rf"\b{re.escape(choice)}\b", action.help), f"{command} {names[0]}: help omits {choice}"
        # a default the help states is the parser's default
        stated = re.search(r"\(default ([^;),]+)[;)]", action.help) or re.search(r"(\w+) \(default[,)]", action.help)
        if stated and action.default is not None and action.default != argparse.SUPPRESS:
            assert stated.group(1).rstrip("/") == str(action.default), f"{command} {names[0]}: {action.help!r}"


@pytest.mark.parametrize("command", [name for name, _ in _parsers() if name], ids=str)
def test_only_the_listed_spelling_of_an_option_is_accepted(command):
    # argparse would take any unambiguous prefix (window --eta 2 meaning --eta-max 2)
    parser = dict(_parsers())[command]
    base = []
    for action in parser._actions:
        if not action.option_strings:
            base += ["1"] * (action.nargs if isinstance(action.nargs, int) else 1)
        elif action.required:
            base += [action.option_strings[0], "1"]
    options = {o for a in parser._actions for o in a.option_strings}
    for option in sorted(o for o in options if o.startswith("--")):
        for prefix in (option[:k] for k in range(3, len(option))):
            if prefix not in options:
                _, extras = parser.parse_known_args([*base, prefix, "1"])
                assert prefix in extras, f"{command} accepts {prefix} for {option}"


def test_mlp_config_choices_are_the_configs(capsys):
    # the parser spells the names out (no numpy import for --help); they must be the configs
    from symbolic_eos.cli import MLP_CONFIGS
    from symbolic_eos.paper.mlp import CONFIGS

    (config,) = [a for a in dict(_parsers())["mlp-experiment"]._actions if "--config" in a.option_strings]
    assert tuple(config.choices) == MLP_CONFIGS == tuple(CONFIGS)
    assert "tiny (seconds, for tests)" in " ".join(_help("mlp-experiment", capsys).split())


def test_a_bad_choice_is_one_line_and_exit_2(capsys):
    assert main(["mlp-experiment", "--config", "huge"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("symbolic-eos: error: argument --config: invalid choice: 'huge'")


# --- the composition table of docs/composition.md (a Markdown table, not a console block) ------

_ROW = re.compile(r"^\| `(p = \w+|q = \w+|q o p)` at `([^`]+)` \| `([^`]+)` \| \**(\w+)\**\s*\|$", re.MULTILINE)
_COMPOSE = re.compile(r"`symbolic-eos compose '(\w+)\(x\)' '(\w+)\(x\)' --at ([^`\s]+)`")


def _l2_quantity(g, x, at) -> sp.Float:
    """``g' g''' - 6 g''^2`` at ``at`` by plain sympy differentiation, to 40 digits."""
    d1, d2, d3 = (sp.diff(g, x, k) for k in (1, 2, 3))
    return sp.N((d1 * d3 - 6 * d2**2).subs(x, at), 40)


def test_composition_table_is_what_compose_prints(capsys):
    text = (ROOT / "docs" / "composition.md").read_text(encoding="utf-8")
    rows = {label: (point, value, verdict) for label, point, value, verdict in _ROW.findall(text)}
    (q_name, p_name, at_text), = _COMPOSE.findall(text)
    assert set(rows) == {f"p = {p_name}", f"q = {q_name}", "q o p"}, rows

    assert main(["compose", f"{q_name}(x)", f"{p_name}(x)", "--at", at_text, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    x = sp.Symbol("x")
    p, q = getattr(sp, p_name)(x), getattr(sp, q_name)(x)
    at = parse_constant(at_text)
    y = p.subs(x, at)  # where q is checked
    for label, key, g, point, exact_point in [
        (f"p = {p_name}", "p", p, at, at_text),
        (f"q = {q_name}", "q", q, y, printed["q_at"]),
        ("q o p", "composition", q.subs(x, p), at, at_text),
    ]:
        table_point, table_value, table_verdict = rows[label]
        assert sp.simplify(parse_constant(table_point) - point) == 0, (label, table_point)
        assert sp.simplify(parse_constant(exact_point) - point) == 0, (label, exact_point)
        # the table shows the decimal compose prints, and that decimal is the true value
        assert Decimal(table_value.lstrip("+")) == Decimal(printed[key]["value"]), (label, table_value)
        truth = _l2_quantity(g, x, point)
        assert abs(Decimal(table_value.lstrip("+")) - Decimal(str(truth))) <= Decimal("1e-15") * abs(Decimal(str(truth)))
        assert table_verdict == printed[key]["verdict"] == ("holds" if truth < 0 else "fails"), label
    # the README's table of findings quotes the same counterexample, rounded
    (point_text, rounded), = re.findall(
        rf"`{q_name}∘{p_name}` at ([\d/]+) \(`g' g''' - 6 g''\^2` = \+([\d.]+) > 0\)", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert point_text == at_text
    exponent = Decimal(rounded).as_tuple().exponent
    assert Decimal(rounded) == Decimal(printed["composition"]["value"]).quantize(Decimal(1).scaleb(exponent))


# --- the README's table of findings against the committed report (which test_report.py -------
# --- compares with a fresh run) ------------------------------------------------------------------

_CLAIM_ROW = re.compile(r"^\| \[([\w-]+)\]\((?:reports/)?claims/\1\.md\) \| \*\*(\w+)\*\* \| (\w+) \|", re.MULTILINE)


def test_readme_findings_table_matches_the_report():
    readme = _CLAIM_ROW.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    report = _CLAIM_ROW.findall((ROOT / "reports" / "index.md").read_text(encoding="utf-8"))
    assert len(report) >= 10 and readme == report


# --- commands shown but not run (sh blocks, the catalog's reproduce lists) still parse ------


def _shown_commands() -> list[tuple[str, list[str]]]:
    shown = []
    for block in _all_blocks():
        if block.language in ("sh", "shell"):
            for offset, line in enumerate(block.lines, start=1):
                words = shlex.split(line, comments=True)
                if words and words[0] == "symbolic-eos":
                    shown.append((f"{block.path.relative_to(ROOT)}:{block.line + offset}", words[1:]))
    from symbolic_eos.paper.claims import claims

    for c in claims():  # the reports print these as the commands that reproduce a claim
        for k, command in enumerate(c.reproduce):
            shown.append((f"claims.toml:{c.id}:{k}", shlex.split(command)[1:]))
    return shown


@pytest.mark.parametrize("where, argv", _shown_commands(), ids=[w for w, _ in _shown_commands()])
def test_shown_commands_parse(where, argv):
    from symbolic_eos.cli import build_parser

    args = build_parser().parse_args(argv)  # a usage error raises
    assert args.command == argv[0]


# --- re-syncing the blocks after a change of output --------------------------------------------


def _run_outside_pytest(argv: list[str]) -> tuple[int, list[str]]:
    import contextlib
    import io
    import os
    import tempfile

    out, err, here = io.StringIO(), io.StringIO(), os.getcwd()
    with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        os.chdir(folder)
        try:
            code = main(argv)
        finally:
            os.chdir(here)
    shown = out.getvalue().splitlines() + ([] if code == 0 else err.getvalue().splitlines())
    return code, shown


def update_docs() -> list[str]:
    """Rewrite every console block that no longer matches and has no ``...`` line with what the
    program prints now; return the blocks left for a person (those with ``...``)."""
    left = []
    for path in DOCS:
        lines = path.read_text(encoding="utf-8").split("\n")
        for block in reversed([b for b in fenced_blocks(path) if b.language == "console"]):
            new, changed = [], False
            for argv, expected, raw in _session(block):
                _, actual = _run_outside_pytest(argv)
                if matches(_trim(expected), _trim(actual)):
                    new += raw + expected
                elif "..." in expected:
                    left.append(block.name)
                    new += raw + expected
                else:
                    blank = [""] if expected and not expected[-1].strip() else []
                    new += raw + _trim(actual) + blank
                    changed = True
            if changed:
                lines[block.line:block.line + len(block.lines)] = new
        path.write_text("\n".join(lines), encoding="utf-8")
    return left


if __name__ == "__main__":  # python tests/test_docs.py: re-sync the console blocks
    for name in update_docs():
        print(f"{name}: differs and has '...' lines; edit it by hand (pytest tests/test_docs.py shows the diff)")
