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
"""

from __future__ import annotations

import difflib
import doctest
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from symbolic_eos.cli import main

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
        return f"{self.path.relative_to(ROOT)}:{self.line}"


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
    pairs: list[tuple[list[str], list[str]]] = []
    lines = list(block.lines)
    i = 0
    assert lines and lines[0].startswith("$ "), f"{block.name}: a console block starts with a '$ ' command"
    while i < len(lines):
        command = lines[i][2:]
        while command.endswith("\\"):
            i += 1
            command = command[:-1] + " " + lines[i].strip()
        i += 1
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
        pairs.append((argv[1:], expected))
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
