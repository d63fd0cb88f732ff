"""Progress of long runs: library code reports ``progress(label, done, total)``, the command
line draws it (library code never prints).

>>> seen = []
>>> [x * x for x in each_with_progress([1, 2], lambda x: f"item {x}", lambda *a: seen.append(a))]
[1, 4]
>>> seen
[('item 1', 0, 2), ('item 2', 1, 2), ('done', 2, 2)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["Progress", "each_with_progress"]

#: ``progress(label, done, total)``: called before each step, and once with ``done == total``.
Progress = Callable[[str, int, int], None]

T = TypeVar("T")


def each_with_progress(items: Iterable[T], label: Callable[[T], str], progress: Progress | None) -> Iterator[T]:
    """The ``items`` in order, reporting ``label(item)`` to ``progress`` (if not None) before each
    and ``"done"`` after the last.

    >>> list(each_with_progress([2, 3], str, lambda label, done, total: print(label, done, total)))
    2 0 2
    3 1 2
    done 2 2
    [2, 3]
    """
    items = list(items)
    for i, item in enumerate(items):
        if progress is not None:
            progress(label(item), i, len(items))
        yield item
    if progress is not None:
        progress("done", len(items), len(items))
