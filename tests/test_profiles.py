"""``thorough`` raises the examples of every property test: no test pins its count."""

from __future__ import annotations

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
