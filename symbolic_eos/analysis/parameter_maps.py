"""Certified parameter maps: where on a box of parameters a condition ``Q(p) > 0`` holds.

A family of losses with parameters (``x**2/2 + a x**3 + b x**4`` at 0) turns the paper's condition
into an exact expression in the parameters (``Q = 3 f'''^2 - f'' f'''' = 108 a^2 - 24 b``), valid
where some requirements ``r_j(p) > 0`` hold (``f'' > 0``: a strict minimum).  The box is cut by
the one bisection (:mod:`symbolic_eos.analysis.boxes`) into cells with exact rational ends; on
each cell ``Q`` and every ``r_j`` are enclosed by ball arithmetic over the whole cell (the plain
interval value intersected with the mean-value form ``f(m) + grad f(cell) . (cell - m)``), and the
cell

* ``holds`` when every ``r_j > 0`` and ``Q > 0`` are certified on all of it,
* ``fails`` when every ``r_j > 0`` and ``Q < 0`` are certified on all of it,
* is ``excluded`` when some ``r_j <= 0`` is certified on all of it (the setting does not apply),
* is ``undecided`` otherwise after ``max_depth`` halvings per parameter or when the budget runs
  out, with a :class:`~symbolic_eos.core.vocabulary.CellCause`.  A ``Q`` that is exactly 0 on a
  cell is undecided (``equality``): the strict condition is on its boundary there.

The areas are exact rationals: the cells tile the box, so the four areas sum to its area.

>>> a, b = sp.symbols("a b")
>>> m = certify_parameter_map(108*a**2 - 24*b, (a, b), [(-1, 1), (-1, 1)], max_depth=5)
>>> m.summary
'holds on 81.45% of the box, fails on 13.28%, undecided on 5.273% (54 cells: condition_straddles); 259 boxes evaluated'
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, NamedTuple, Sequence

import sympy as sp
from flint import arb, ctx, fmpq

from ..core import arguments
from ..core.jets import ball_function, excludes_zero
from ..core.numbers import decimal_string, short_decimal
from ..core.vocabulary import CellCause, MapStatus, Rigor
from ..errors import InputError
from .boxes import Cell, bisect_cells, cell_measure

__all__ = ["certify_parameter_map", "ParameterMap", "MapCell", "MAX_PARAMETERS", "MAX_CELLS"]

#: A map covers 1 to this many parameters (the work grows like ``2^(n max_depth)``).
MAX_PARAMETERS = 3

#: The largest work budget (box evaluations) a map may be given.
MAX_CELLS = 10**7

#: A cell whose centre value is not resolved at ``prec`` bits is retried at ``2 prec``, ``4 prec``.
PRECISION_STEPS = 2

_ORDER = (MapStatus.HOLDS, MapStatus.FAILS, MapStatus.UNDECIDED, MapStatus.EXCLUDED)


class MapCell(NamedTuple):
    """One cell of a :class:`ParameterMap`: its closed interval per parameter (``ends``, exact
    rational text ``(lo, hi)``), its ``status`` and, for an undecided cell, its ``cause``.

    >>> p = sp.Symbol("p")
    >>> certify_parameter_map(1 + p**2, (p,), [(0, 1)]).cells
    (MapCell(ends=(('0', '1'),), status='holds', cause=None),)
    """

    ends: tuple[tuple[str, str], ...]
    status: MapStatus
    cause: CellCause | None = None


@dataclass(frozen=True)
class ParameterMap:
    """Where ``quantity > 0`` holds on a box of parameters, certified cell by cell (module
    docstring).  Fields: the parameter names ``params``, the ``box`` (exact text ends), the
    ``quantity`` and ``requires`` as text, the ``cells``, the exact ``areas`` per status (text),
    the work done (``boxes`` evaluated, ``budget_exhausted``), the settings (``max_depth``
    halvings per parameter, ``max_cells`` evaluations, ``prec`` bits, raised up to ``max_prec``);
    and, for drawing (never in :meth:`to_dict`), the sympy ``expression`` and ``symbols``.

    >>> p = sp.Symbol("p")
    >>> m = certify_parameter_map(1 - p**2, (p,), [(-3, 3)], requires=[p + 2], max_depth=4)
    >>> m.params, m.box, m.area("holds"), m.fraction("excluded"), m.budget_exhausted
    (('p',), (('-3', '3'),), 3/2, 1/8, False)
    """

    params: tuple[str, ...]
    box: tuple[tuple[str, str], ...]
    quantity: str
    requires: tuple[str, ...]
    cells: tuple[MapCell, ...] = field(repr=False)
    areas: tuple[tuple[MapStatus, str], ...]
    boxes: int
    budget_exhausted: bool
    max_depth: int
    max_cells: int
    prec: int
    max_prec: int
    expression: sp.Expr | None = field(default=None, compare=False, repr=False)
    symbols: tuple[sp.Symbol, ...] = field(default=(), compare=False, repr=False)

    # -- measures ---------------------------------------------------------------------------

    @property
    def box_area(self) -> fmpq:
        """The exact length, area or volume of the box."""
        return cell_measure(tuple((_fmpq(lo), _fmpq(hi)) for lo, hi in self.box))

    def area(self, status: str) -> fmpq:
        """The exact area (length, volume) of the cells with ``status``.

        >>> p = sp.Symbol("p")
        >>> certify_parameter_map(3*p - 1, (p,), [(-1, 1)], max_depth=3).area("fails")
        5/4
        """
        return _fmpq(dict(self.areas)[MapStatus(status)])

    def fraction(self, status: str) -> fmpq:
        """The exact fraction of the box covered by the cells with ``status``.

        >>> p = sp.Symbol("p")
        >>> certify_parameter_map(3*p - 1, (p,), [(-1, 1)], max_depth=3).fraction("holds")
        1/4
        """
        return self.area(status) / self.box_area

    def of_status(self, status: str) -> tuple[MapCell, ...]:
        """The cells with ``status``, in the order found.

        >>> p = sp.Symbol("p")
        >>> [c.ends for c in certify_parameter_map(3*p - 1, (p,), [(-1, 1)], max_depth=3).of_status("undecided")]
        [(('1/4', '1/2'),)]
        """
        return tuple(c for c in self.cells if c.status == status)

    def _causes(self) -> Counter:
        return Counter(c.cause for c in self.cells if c.status == MapStatus.UNDECIDED and c.cause is not None)

    @property
    def summary(self) -> str:
        """One line: the share of the box each status covers and the work done."""
        present = [(s, f) for s in _ORDER if (f := self.fraction(s)) != 0]
        parts = []
        for i, (s, f) in enumerate(present):
            part = (f"{s} on the whole box {_box_text(self.box)}" if len(present) == 1
                    else f"{s} on {short_decimal(f * 100, 4)}%" + (" of the box" if i == 0 else ""))
            if s == MapStatus.UNDECIDED:
                n = len(self.of_status(s))
                causes = ", ".join(str(c) for c, _ in self._causes().most_common())
                part += f" ({n} cell{'s' if n != 1 else ''}" + (f": {causes})" if causes else ")")
            parts.append(part)
        work = f"; {self.boxes} box{'es' if self.boxes != 1 else ''} evaluated"
        return ", ".join(parts) + work + (" (work budget exhausted)" if self.budget_exhausted else "")

    # -- rendering --------------------------------------------------------------------------

    def to_dict(self) -> dict:
        """JSON friendly: exact rationals as text (``p`` or ``p/q``), fractions also as decimals.

        >>> p = sp.Symbol("p")
        >>> d = certify_parameter_map(3*p - 1, (p,), [(-1, 1)], max_depth=1).to_dict()
        >>> d["areas"], d["cells"][0]
        ({'holds': '0', 'fails': '1', 'undecided': '1', 'excluded': '0'}, {'ends': [['-1', '0']], 'status': 'fails', 'cause': None})
        """
        return {
            "params": list(self.params),
            "box": [list(e) for e in self.box],
            "quantity": self.quantity,
            "requires": list(self.requires),
            "summary": self.summary,
            "box_area": str(self.box_area),
            "areas": {str(s): a for s, a in self.areas},
            "fractions": {str(s): str(self.fraction(s)) for s in _ORDER},
            "fractions_decimal": {str(s): decimal_string(self.fraction(s), 17) for s in _ORDER},
            "cells": [{"ends": [list(e) for e in c.ends], "status": c.status, "cause": c.cause} for c in self.cells],
            "boxes": self.boxes,
            "budget_exhausted": self.budget_exhausted,
            "max_depth": self.max_depth,
            "max_cells": self.max_cells,
            "prec": self.prec,
            "max_prec": self.max_prec,
            "rigor": Rigor.CERTIFIED,
        }

    def to_markdown(self, max_undecided: int = 12) -> str:
        """A table of the areas per status and the first ``max_undecided`` undecided cells.

        >>> p = sp.Symbol("p")
        >>> print(certify_parameter_map(1 - p**2, (p,), [(-2, 2)], max_depth=2).to_markdown().splitlines()[0])
        ### Parameter map of `1 - p**2` > 0 over p in [-2, 2]
        """
        where = ", ".join(f"{n} in [{lo}, {hi}]" for n, (lo, hi) in zip(self.params, self.box, strict=True))
        lines = [f"### Parameter map of `{self.quantity}` > 0 over {where}", ""]
        if self.requires:
            lines += ["Requires " + " and ".join(f"`{r}` > 0" for r in self.requires) + ".", ""]
        lines += [f"**{self.summary}** (certified by bisection, <= {self.max_depth} halvings per parameter, "
                  f"{self.prec}-bit balls raised up to {self.max_prec}).", "",
                  "| status | cells | area (exact) | fraction of the box |", "|---|---|---|---|"]
        lines += [f"| {s} | {len(self.of_status(s))} | {a} | {short_decimal(self.fraction(s), 10)} |" for s, a in self.areas]
        undecided = self.of_status(MapStatus.UNDECIDED)
        if undecided:
            lines += ["", f"Undecided cells ({len(undecided)}):", ""]
            lines += [f"- {_cell_text(c.ends)} ({c.cause})" for c in undecided[:max_undecided]]
            if len(undecided) > max_undecided:
                lines.append(f"- ... and {len(undecided) - max_undecided} more")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _fmpq(text: str) -> fmpq:
    p, _, q = text.partition("/")
    return fmpq(int(p), int(q) if q else 1)


def _box_text(box: Sequence[tuple[str, str]]) -> str:
    return " x ".join(f"[{lo}, {hi}]" for lo, hi in box)


def _cell_text(ends: Sequence[tuple[str, str]]) -> str:
    return " x ".join(f"[{short_decimal(_fmpq(lo))}, {short_decimal(_fmpq(hi))}]" for lo, hi in ends)


# ---------------------------------------------------------------------------------------------
# One cell


class _Leaf(NamedTuple):
    cell: Cell
    status: MapStatus
    cause: CellCause | None = None


_NAN = arb("nan")


def _value(f: Callable[[Any], arb], x: tuple[arb, ...]) -> arb:
    """``f(x)``, nan when a ball cannot be evaluated (a division by a ball holding 0)."""
    try:
        out = f(x)
    except (ValueError, ZeroDivisionError, ArithmeticError):
        return _NAN
    return out if isinstance(out, arb) else arb(out)


class _Enclosure:
    """Encloses one expression over a cell: the plain ball value intersected with the mean-value
    form ``f(m) + sum_i df/dp_i(cell) (p_i - m_i)``, whose error is second order in the width
    (the plain value of ``108 a^2 - 24 b`` is first order), so cells near the boundary decide."""

    def __init__(self, expr: sp.Expr, symbols: tuple[sp.Symbol, ...]) -> None:
        self.f = ball_function(expr, symbols)
        self.gradient: list[Callable[[Any], arb]] | None
        try:
            self.gradient = [ball_function(sp.diff(expr, s), symbols) for s in symbols]
        except InputError:  # a derivative outside the evaluator's vocabulary: plain values only
            self.gradient = None

    def __call__(self, box: tuple[arb, ...], centre: tuple[arb, ...], offsets: tuple[arb, ...]) -> tuple[arb, arb]:
        """The enclosure over the cell and the value at its centre."""
        plain, at_centre = _value(self.f, box), _value(self.f, centre)
        if not plain.is_finite():
            return _NAN, at_centre  # not real (or not evaluated) somewhere on the cell
        if self.gradient is None or not at_centre.is_finite():
            return plain, at_centre
        form = at_centre
        for g, h in zip(self.gradient, offsets, strict=True):
            slope = _value(g, box)
            if not slope.is_finite():
                return plain, at_centre
            form = form + slope * h
        try:
            return plain.intersection(form), at_centre
        except ValueError:  # two enclosures of one range always meet; be safe
            return plain, at_centre


def _inexact_straddle(value: arb) -> bool:
    return not value.is_finite() or (not excludes_zero(value) and not value.is_exact())


class _MapCertifier:
    """Classifies cells at one precision (:class:`~symbolic_eos.analysis.boxes.Classifier`)."""

    def __init__(self, quantity: _Enclosure, requires: Sequence[_Enclosure], prec: int) -> None:
        self.quantity, self.requires, self.prec = quantity, requires, prec
        self.limited = False

    def classify_cell(self, cell: Cell, final: bool) -> _Leaf | None:
        self.limited = False
        with ctx.workprec(self.prec):
            box = tuple(arb(lo).union(arb(hi)) for lo, hi in cell)  # holds [lo, hi] for any rational ends
            centre = tuple(arb((lo + hi) / 2) for lo, hi in cell)
            offsets = tuple(x - m for x, m in zip(box, centre, strict=True))
            open_cause = None
            for r in self.requires:
                value, at_centre = r(box, centre, offsets)
                if value.is_finite() and value <= 0:
                    return _Leaf(cell, MapStatus.EXCLUDED)
                if not (value.is_finite() and value > 0):
                    self.limited = self.limited or _inexact_straddle(at_centre)
                    if open_cause is None:
                        open_cause = CellCause.REQUIREMENT_STRADDLES if value.is_finite() else CellCause.NOT_EVALUATED
            if open_cause is not None:
                return _Leaf(cell, MapStatus.UNDECIDED, open_cause) if final else None
            q, at_centre = self.quantity(box, centre, offsets)
            if q.is_finite() and q.is_zero():  # exactly 0 on the whole cell: halving cannot help
                return _Leaf(cell, MapStatus.UNDECIDED, CellCause.EQUALITY)
            if q.is_finite() and q > 0:
                return _Leaf(cell, MapStatus.HOLDS)
            if q.is_finite() and q < 0:
                return _Leaf(cell, MapStatus.FAILS)
            self.limited = _inexact_straddle(at_centre)
            if not final:
                return None
            return _Leaf(cell, MapStatus.UNDECIDED, CellCause.CONDITION_STRADDLES if q.is_finite() else CellCause.NOT_EVALUATED)


# ---------------------------------------------------------------------------------------------
# Arguments


def _expression(value: object, name: str) -> sp.Expr:
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        r = arguments.rational(value, name)
        return sp.Rational(r.numerator, r.denominator)
    return arguments.instance(value, name, sp.Expr, "a sympy expression in the parameters")


def _parameters(params: object) -> tuple[sp.Symbol, ...]:
    if not isinstance(params, (list, tuple)) or not 1 <= len(params) <= MAX_PARAMETERS:
        raise InputError(f"params: expected a tuple of 1 to {MAX_PARAMETERS} sympy symbols, got "
                         f"{type(params).__name__} {str(params)[:60]}")
    symbols = arguments.instances(params, "params", sp.Symbol, "a sympy Symbol")
    if len(set(symbols)) != len(symbols):
        raise InputError(f"params: the parameters must be distinct, got {', '.join(map(str, symbols))}")
    return symbols


def _box(box: object, symbols: tuple[sp.Symbol, ...]) -> Cell:
    if not isinstance(box, (list, tuple)) or len(box) != len(symbols):
        raise InputError(f"box: expected {len(symbols)} pair(s) (lo, hi), one per parameter "
                         f"({', '.join(map(str, symbols))}), got {type(box).__name__} {str(box)[:60]}")
    out = []
    for i, (pair, s) in enumerate(zip(box, symbols, strict=True)):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise InputError(f"box[{i}]: expected a pair (lo, hi) for the parameter {s}, got {type(pair).__name__} {str(pair)[:60]}")
        lo, hi = (arguments.rational(v, f"box[{i}][{j}] (parameter {s})") for j, v in enumerate(pair))
        if not lo < hi:
            raise InputError(f"box[{i}]: needs lo < hi for the parameter {s}, got [{lo}, {hi}]")
        out.append((fmpq(lo.numerator, lo.denominator), fmpq(hi.numerator, hi.denominator)))
    return tuple(out)


def _enclosure(expr: sp.Expr, name: str, symbols: tuple[sp.Symbol, ...], box: Cell) -> _Enclosure:
    unknown = sorted(map(str, expr.free_symbols - set(symbols)))
    if unknown:
        raise InputError(f"{name}: unknown symbol{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                         f"(the parameters are {', '.join(map(str, symbols))})")
    try:
        enclosure = _Enclosure(expr, symbols)
        with ctx.workprec(64):  # meets an unsupported function (Abs, say) here, not cell by cell
            _value(enclosure.f, tuple(arb((lo + hi) / 2) for lo, hi in box))
    except (InputError, AttributeError, TypeError) as exc:
        raise InputError(f"{name}: {exc if isinstance(exc, InputError) else 'unsupported function in ' + sp.sstr(expr)[:60]}") from None
    return enclosure


# ---------------------------------------------------------------------------------------------


def certify_parameter_map(
    quantity: sp.Expr,
    params: tuple[sp.Symbol, ...],
    box: Sequence[tuple[sp.Rational, sp.Rational]],
    *,
    requires: Sequence[sp.Expr] = (),
    max_depth: int = 12,
    max_cells: int = 10000,
    prec: int = 64,
) -> ParameterMap:
    """Certify where ``quantity > 0`` on the ``box`` (one closed interval ``(lo, hi)`` of exact
    rationals per parameter of ``params``, 1 to 3 sympy symbols), given ``requires`` (expressions
    that must be > 0 for the setting to apply; where one is certified <= 0 the cell is excluded).

    ``max_depth`` bounds the halvings per parameter (an undecided cell has every side at least
    ``2^-max_depth`` of the box's), ``max_cells`` the work (cell evaluations; what is left when
    it runs out is undecided), ``prec`` the ball precision, raised up to ``4 prec`` on cells where
    it is what stops a decision.

    >>> a, b = sp.symbols("a b")
    >>> m = certify_parameter_map(108*a**2 - 24*b, (a, b), [(-1, 1), (0, 1)], requires=[1 + b], max_depth=3, max_cells=100, prec=64)
    >>> m.area("holds") + m.area("fails") + m.area("undecided") + m.area("excluded") == m.box_area
    True

    Every argument is checked, and a refusal names the parameter:

    >>> certify_parameter_map(a - b, (a, b), [(-1, 1), (1, 1)])
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: box[1]: needs lo < hi for the parameter b, got [1, 1]
    """
    symbols = _parameters(params)
    cell = _box(box, symbols)
    if not isinstance(requires, (list, tuple)):
        raise InputError(f"requires: expected a list or tuple of expressions, got {type(requires).__name__}")
    target = _expression(quantity, "quantity")
    conditions = [_expression(r, f"requires[{i}]") for i, r in enumerate(requires)]
    max_depth = arguments.integer(max_depth, "max_depth", 0, 60)
    max_cells = arguments.positive_int(max_cells, "max_cells", 1, MAX_CELLS)
    prec = arguments.integer(prec, "prec", 16, 100000)
    q = _enclosure(target, "quantity", symbols, cell)
    rs = [_enclosure(r, f"requires[{i}]", symbols, cell) for i, r in enumerate(conditions)]
    certifiers = [_MapCertifier(q, rs, prec * 2**i) for i in range(PRECISION_STEPS + 1)]
    run = bisect_cells(certifiers, cell, max_depth * len(symbols), max_cells,
                       lambda c: _Leaf(c, MapStatus.UNDECIDED, CellCause.BUDGET),
                       lambda leaf: leaf.status != MapStatus.UNDECIDED, breadth_first=True)
    areas = {s: fmpq(0) for s in _ORDER}
    # Breadth-first leaves come level by level; listed by position they read as a map.
    leaves = sorted(run.leaves, key=lambda leaf: tuple(lo for lo, _ in leaf.cell))
    for leaf in leaves:
        areas[leaf.status] += cell_measure(leaf.cell)
    return ParameterMap(
        params=tuple(map(str, symbols)),
        box=tuple((str(lo), str(hi)) for lo, hi in cell),
        quantity=sp.sstr(target),
        requires=tuple(sp.sstr(r) for r in conditions),
        cells=tuple(MapCell(tuple((str(lo), str(hi)) for lo, hi in leaf.cell), leaf.status, leaf.cause) for leaf in leaves),
        areas=tuple((s, str(areas[s])) for s in _ORDER),
        boxes=run.boxes,
        budget_exhausted=run.exhausted,
        max_depth=max_depth,
        max_cells=max_cells,
        prec=prec,
        max_prec=run.top,
        expression=target,
        symbols=symbols,
    )
