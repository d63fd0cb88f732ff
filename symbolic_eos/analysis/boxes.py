"""One depth-first bisection of boxes with exact rational ends, on a work budget and a ladder of
precisions: the engine under the base-model certificates (1-D) and the parameter maps (1 to 3-D).

A cell is a product of closed intervals ``((lo_1, hi_1), ..., (lo_n, hi_n))`` with ``fmpq`` ends.
A classifier decides a cell (returns a leaf) or returns None (undecided: halving may help); the
bisection halves what is undecided until ``max_splits`` halvings, then asks for a ``final`` leaf.

A cell is halved at the midpoint of its widest side, widths measured in units of the starting
box's side (ties: the first parameter).  From a box every side of which is one unit wide this is
a round robin over the parameters, so after ``k n`` halvings every side of a cell is ``2^-k`` of
the box's: ``max_splits = max_depth * n`` is "``max_depth`` halvings per parameter".  One side is
halved at a time, not all at once (4 children in 2-D, 8 in 3-D), because a condition's boundary
usually runs across one direction: a halving whose two halves are decided costs 2 evaluations,
where a 4-way split costs 4 whatever the geometry, and in 1-D the rule is the plain midpoint
bisection (left half first) the certificates always used.

>>> from flint import fmpq
>>> split_cell(((fmpq(0), fmpq(1)), (fmpq(0), fmpq(4))), (fmpq(1), fmpq(4)))
(((0, 1/2), (0, 4)), ((1/2, 1), (0, 4)))
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable, Generic, Protocol, Sequence, TypeVar

from flint import fmpq

__all__ = ["Cell", "Classifier", "Bisection", "bisect_cells", "split_cell", "cell_measure"]

#: A product of closed intervals with exact rational ends, one pair per parameter.
Cell = tuple[tuple[fmpq, fmpq], ...]

L = TypeVar("L")
L_co = TypeVar("L_co", covariant=True)


class Classifier(Protocol[L_co]):
    """What :func:`bisect_cells` asks of a classifier: its ``prec`` (bits), whether its last
    undecided answer was ``limited`` by precision (then the next classifier, with more bits, is
    tried on the same cell), and ``classify_cell(cell, final)``: a leaf, or None when the cell is
    undecided and not ``final`` (halving it may help).

    >>> class Half:
    ...     prec, limited = 64, False
    ...     def classify_cell(self, cell, final):
    ...         return "left" if cell[0][1] <= fmpq(1, 2) else ("rest" if final else None)
    >>> bisect_cells([Half()], ((fmpq(0), fmpq(1)),), 1, 10, lambda cell: "budget", lambda leaf: True).leaves
    ('left', 'rest')
    """

    prec: int
    limited: bool

    def classify_cell(self, cell: Cell, final: bool) -> L_co | None: ...


@dataclass(frozen=True)
class Bisection(Generic[L]):
    """What :func:`bisect_cells` found: the ``leaves`` in depth-first order (lower half first),
    the ``boxes`` evaluated (every classifier call counts, retries included), whether the budget
    was ``exhausted``, and the highest precision used (``top``).

    >>> Bisection(leaves=("a",), boxes=1, exhausted=False, top=64).boxes
    1
    """

    leaves: tuple[L, ...]
    boxes: int
    exhausted: bool
    top: int


def cell_measure(cell: Cell) -> fmpq:
    """The exact length, area or volume of ``cell``: the product of its sides.

    >>> cell_measure(((fmpq(-1), fmpq(1)), (fmpq(0), fmpq(1, 4))))
    1/2
    """
    out = fmpq(1)
    for lo, hi in cell:
        out *= hi - lo
    return out


def split_cell(cell: Cell, scale: Sequence[fmpq]) -> tuple[Cell, Cell]:
    """The lower and upper halves of ``cell``, cut at the midpoint of its widest side, a side's
    width measured in units of ``scale`` (the starting box's sides; ties: the first parameter).

    >>> split_cell(((fmpq(0), fmpq(1)),), (fmpq(1),))
    (((0, 1/2),), ((1/2, 1),))
    >>> split_cell(((fmpq(0), fmpq(1, 2)), (fmpq(0), fmpq(10))), (fmpq(1), fmpq(10)))[0]
    ((0, 1/2), (0, 5))
    """
    axis = max(range(len(cell)), key=lambda i: ((cell[i][1] - cell[i][0]) / scale[i], -i))
    lo, hi = cell[axis]
    mid = (lo + hi) / 2
    return (cell[:axis] + ((lo, mid),) + cell[axis + 1:], cell[:axis] + ((mid, hi),) + cell[axis + 1:])


def bisect_cells(classifiers: Sequence[Classifier[L]], box: Cell, max_splits: int, max_boxes: int,
                 budget_leaf: Callable[[Cell], L], decided: Callable[[L], bool], breadth_first: bool = False) -> Bisection[L]:
    """Depth-first bisection of ``box`` (lower half first, so in 1-D the leaves come out in
    order) with ``classifiers[0]``, or with ``breadth_first`` level by level (so a budget that
    runs out leaves the smallest cells undecided, not half the box); a cell left undecided (``decided(leaf)`` false, or no leaf)
    because of precision (the classifier's ``limited``) is retried with the next classifier (more
    bits) while the budget lasts.  A cell halved ``max_splits`` times is classified ``final``.
    After ``max_boxes`` evaluations every cell still waiting becomes ``budget_leaf(cell)``.

    >>> class Sign:  # decides a cell of [-1, 1] whose ends have one sign; 0 is never decided
    ...     prec, limited = 64, False
    ...     def classify_cell(self, cell, final):
    ...         (lo, hi), = cell
    ...         return "+" if lo >= 0 else "-" if hi <= 0 else ("?" if final else None)
    >>> run = bisect_cells([Sign()], ((fmpq(-1), fmpq(1)),), 3, 100, lambda cell: "budget", lambda leaf: leaf != "?")
    >>> run.leaves, run.boxes, run.exhausted
    (('-', '+'), 3, False)
    >>> bisect_cells([Sign()], ((fmpq(-1), fmpq(1)),), 3, 1, lambda c: "budget", lambda leaf: True).leaves  # undecided: no budget
    ('budget', 'budget')
    >>> bisect_cells([Sign()], ((fmpq(-1), fmpq(2)),), 3, 4, lambda cell: "budget", lambda leaf: True, breadth_first=True).leaves
    ('+', '-', 'budget')
    """
    top = classifiers[0].prec
    scale = tuple(hi - lo for lo, hi in box)
    leaves: list[L] = []
    # A stack popped from the right is depth-first; a queue popped from the left, breadth-first.
    stack: deque[tuple[Cell, int]] = deque([(box, 0)])
    take = stack.popleft if breadth_first else stack.pop
    boxes = 0
    exhausted = False
    while stack:
        cell, depth = take()
        if boxes >= max_boxes:
            exhausted = True
            leaves.append(budget_leaf(cell))
            continue
        leaf = None
        for classifier in classifiers:
            boxes += 1
            top = max(top, classifier.prec)
            leaf = classifier.classify_cell(cell, depth >= max_splits)
            if (leaf is not None and decided(leaf)) or not classifier.limited or boxes >= max_boxes:
                break
        if leaf is not None:
            leaves.append(leaf)
            continue
        lower, upper = split_cell(cell, scale)
        stack.extend([(lower, depth + 1), (upper, depth + 1)] if breadth_first else [(upper, depth + 1), (lower, depth + 1)])
    return Bisection(tuple(leaves), boxes, exhausted, top)
