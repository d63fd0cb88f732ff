"""Example counts that follow the active hypothesis profile.

An explicit ``@settings(max_examples=n)`` would pin ``n`` under every profile, so ``thorough``
would not raise it. ``examples(n)`` is ``n`` under the default and ``ci`` profiles (100 examples)
and grows with the profile's count (``thorough``: 2000, so 20 n).
"""

from __future__ import annotations

from hypothesis import settings

_BASE = 100  # hypothesis' default max_examples, which the ci profile keeps


def examples(n: int) -> int:
    """``n`` scaled by the active profile's example count relative to hypothesis' default."""
    return max(1, n * settings.default.max_examples // _BASE)
