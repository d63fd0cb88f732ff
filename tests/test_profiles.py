"""``thorough`` raises the examples of every property test: no test pins its count."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from hypothesis import settings

from .profiles import examples

TESTS = Path(__file__).resolve().parent


def test_no_property_test_pins_its_example_count():
    """``@settings(max_examples=40)`` would stay 40 under ``thorough``; ``examples(40)`` scales."""
    pinned = [f"{p.name}:{i}" for p in sorted(TESTS.glob("test_*.py")) if p.name != "test_profiles.py"
              for i, line in enumerate(p.read_text().splitlines(), 1)
              if re.search(r"@settings\(.*max_examples=\d", line)]
    assert not pinned, f"pinned example counts (use examples(n) from tests/profiles.py): {pinned}"


def test_examples_follow_the_profile():
    base = settings.default.max_examples
    assert examples(40) == max(1, 40 * base // 100)
    assert examples(300) * 2000 // base >= 5000  # what the fuzz suite runs under thorough


def _early_returns(source: str) -> list[str]:
    """``name:line`` of each ``return`` in the body of a ``@given`` test (not in nested functions)."""
    def returns(node: ast.AST):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                continue
            if isinstance(child, ast.Return):
                yield child
            yield from returns(child)

    return [f"{fn.name}:{r.lineno}" for fn in ast.walk(ast.parse(source))
            if isinstance(fn, ast.FunctionDef) and any("given" in ast.unparse(d) for d in fn.decorator_list)
            for r in returns(fn)]


def test_property_tests_reject_instead_of_returning():
    """An early ``return`` counts the example as passed without reaching the assertion, so a
    test could run 40 examples and check 6; ``assume``/``reject`` make hypothesis find valid ones."""
    found = [f"{p.name}:{hit}" for p in sorted(TESTS.glob("test_*.py")) for hit in _early_returns(p.read_text())]
    assert not found, f"early returns in property tests (use hypothesis.assume or reject): {found}"


def test_the_early_return_check_can_fail():
    source = (
        "@given(st.integers())\n"
        "def test_a(n):\n"
        "    if n < 0:\n"
        "        return\n"
        "    def helper():\n"
        "        return n\n"
        "    assert helper() >= 0\n"
        "def test_b():\n"
        "    return\n"
    )
    assert _early_returns(source) == ["test_a:4"]
