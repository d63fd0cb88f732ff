"""Base-model certificates: where on a range does a base model ``g`` satisfy the L2 condition?

For the L2 loss ``f = (g(x) - y)^2`` at its minimizer ``x`` (``g(x) = y``) the paper's test is
``3 f'''^2 - f'' f'''' = -16 g'^2 (g' g''' - 6 g''^2) > 0``, i.e. ``g'(x) != 0`` and
``g_condition = g' g''' - 6 g''^2 < 0`` (the sign convention of :mod:`symbolic_eos.analysis.results`).
Where ``g'(x) = 0`` the setting degenerates (``f'' = 2 g'^2 = 0``: no strict minimum with
positive curvature), so such points are never reported as holding or failing.

The range is cut by bisection into closed sub-intervals with exact rational (dyadic) ends.  On
each one, Taylor jets of ``g`` on a ball covering the whole sub-interval (python-flint
``arb_series``, :func:`symbolic_eos.core.jets.ball_coefficients`) enclose ``g'`` and ``g_condition``
over it; a sub-interval is

* ``holds`` when ``g' != 0`` and ``g_condition < 0`` are certified on all of it,
* ``fails`` when ``g' != 0`` and ``g_condition >= 0`` are certified on all of it,
* ``undecided`` otherwise, after ``max_depth`` halvings (with the reason: a proved zero of ``g'``,
  a proved sign change of ``g_condition``, or no certificate).

>>> c = certify_base_model("exp")
>>> c.summary
'holds for every x in [-10, 10]'
>>> certify_base_model("cube", max_depth=20).summary.startswith("holds for every x in [-10, 10] except 1 undecided")
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple, Sequence

import sympy as sp
from flint import arb, arb_series, ctx, fmpq

from ..core import arguments
from .base_models import BaseModel, base_models, model as catalog_model
from .boxes import Cell, bisect_cells
from .global_proofs import GlobalProof, global_proof
from ..core.decide import excludes_zero
from ..core.numbers import decimal_string, interval_text, short_decimal
from ..errors import InputError
from ..core.jets import Undetermined, ball_coefficients, constant_enclosure
from ..core.parse import parse_constant, parse_expression, parse_variable_name
from .results import markdown_text, math_text
from ..core.vocabulary import CellCause, Rigor, Verdict

__all__ = [
    "BaseModelCertificate",
    "CertifiedInterval",
    "certify_base_model",
    "certify_base_models",
    "certificate_range",
    "DEFAULT_RANGE",
    "fmpq_text",
]

#: The range certified when neither the caller nor the catalog gives one (cut to the domain).
DEFAULT_RANGE = ("-10", "10")

#: A box whose centre value is not resolved at ``prec`` bits is retried at ``2 prec``, ``4 prec``...
PRECISION_STEPS = 2

#: Order of the Taylor form (Lagrange remainder) used on each sub-interval; see ``_Box``.
TAYLOR_ORDER = 3


_STATUSES = (Verdict.HOLDS, Verdict.FAILS, Verdict.UNDECIDED)


class CertifiedInterval(NamedTuple):
    """A closed sub-interval ``[lo, hi]`` (exact rational text) with its ``status`` (``holds`` /
    ``fails`` / ``undecided``) and, for ``undecided``, the ``reason`` in prose and its
    ``causes`` (what the code decides on), in the order met.

    >>> certify_base_model("exp", lo="0", hi="1", max_depth=8).intervals
    (CertifiedInterval(lo='0', hi='1', status='holds', reason='', causes=()),)
    >>> certify_base_model("cube", lo="-1", hi="1", max_depth=8).intervals[1].causes
    ('degenerate',)
    """

    lo: str
    hi: str
    status: Verdict
    reason: str = ""
    causes: tuple[CellCause, ...] = ()


@dataclass(frozen=True)
class BaseModelCertificate:
    """Where the L2 condition ``g' != 0 and g' g''' - 6 g''^2 < 0`` holds, fails or stays
    undecided on a closed range, certified by interval bisection with ball arithmetic.  Fields:
    the model's ``name``, ``expression`` and ``poster`` flag, the ``range`` and where it comes
    from (``range_note``), the ``intervals`` and ``degenerate_points`` found, and the work done:
    ``max_depth``, ``prec`` up to ``max_prec``, ``boxes`` evaluated, ``budget_exhausted``; the
    model's open ``domain``, on which :attr:`global_proof` (computed when first asked for) proves
    the condition's sign exactly when it can.

    >>> c = certify_base_model("tanh", lo="-1", hi="1", max_depth=10)
    >>> c.name, c.range, [i.status for i in c.intervals], c.degenerate_points, c.budget_exhausted
    ('tanh', ('-1', '1'), ['holds'], (), False)
    """

    name: str
    expression: str
    range: tuple[str, str]
    range_note: str
    intervals: tuple[CertifiedInterval, ...]
    degenerate_points: tuple[str, ...]
    poster: bool
    max_depth: int
    prec: int
    max_prec: int
    boxes: int
    budget_exhausted: bool
    domain: tuple[str, str] = ("-inf", "inf")

    @cached_property
    def global_proof(self) -> GlobalProof | None:
        """The exact proof that the condition's ``C`` has one sign on the whole domain, or None
        (:func:`~symbolic_eos.analysis.global_proofs.global_proof`); the intervals cross-check it.

        >>> certify_base_model("sin", lo="0", hi="1", max_depth=4).global_proof.form
        '5*cos(x)**2 - 6'
        """
        g = parse_expression(self.expression)
        lo, hi = (-sp.oo if self.domain[0] == "-inf" else parse_constant(self.domain[0]),
                  sp.oo if self.domain[1] == "inf" else parse_constant(self.domain[1]))
        return global_proof(g, parse_variable_name("x"), lo, hi)

    # -- measures ---------------------------------------------------------------------------

    def _width(self, status: str) -> fmpq:
        return sum((fmpq_text(i.hi) - fmpq_text(i.lo) for i in self.intervals if i.status == status), fmpq(0))

    @property
    def total_width(self) -> fmpq:
        return fmpq_text(self.range[1]) - fmpq_text(self.range[0])

    @property
    def covered(self) -> fmpq:
        """The fraction of the range with a certified status (``holds`` or ``fails``)."""
        return (self._width("holds") + self._width("fails")) / self.total_width

    def of_status(self, status: str) -> tuple[CertifiedInterval, ...]:
        return tuple(i for i in self.intervals if i.status == status)

    @property
    def agrees_with_poster(self) -> bool | None:
        """For a model the poster lists as satisfying the L2 condition: False when some
        sub-interval certainly fails; True when none fails and every undecided sub-interval
        contains a proved zero of ``g'`` (where the L2 setting degenerates and the poster claims
        nothing); None when that cannot be said, or when the poster does not list the model."""
        if not self.poster:
            return None
        if self.of_status("fails"):
            return False
        if all(CellCause.DEGENERATE in i.causes for i in self.of_status("undecided")):
            return True
        return None

    @property
    def summary(self) -> str:
        lo, hi = self.range
        whole = f"[{lo}, {hi}]"
        holds, fails, undecided = (self.of_status(s) for s in _STATUSES)
        if not undecided and not fails:
            return f"holds for every x in {whole}"
        if not undecided and not holds:
            equality = all(i.causes == (CellCause.EQUALITY,) for i in fails)
            return f"fails for every x in {whole} (certified" + (f": {_Q} = 0, equality)" if equality else ")")
        around = self._undecided_text(undecided)
        if not fails and undecided and self._width("undecided") * 1000 < self.total_width:
            return f"holds for every x in {whole} except {around}"
        if not holds and undecided and self._width("undecided") * 1000 < self.total_width:
            return f"fails for every x in {whole} (certified) except {around}"
        parts = []
        if holds:
            parts.append(f"holds on {_union(holds)}")
        if fails:
            parts.append(f"fails on {_union(fails)} (certified)")
        if undecided:
            parts.append(around)
        return "; ".join(parts)

    def _undecided_text(self, undecided: Sequence[CertifiedInterval]) -> str:
        n = len(undecided)
        width = short_decimal(self._width("undecided"))
        centres = [short_decimal((fmpq_text(i.lo) + fmpq_text(i.hi)) / 2) for i in undecided]
        where = ", ".join(centres[:8]) + (", ..." if n > 8 else "")
        zeros = sum(CellCause.DEGENERATE in i.causes for i in undecided)
        text = f"{n} undecided interval{'s' if n != 1 else ''} of total width {width} around x = {where}"
        sign_changes = sum(CellCause.CONDITION_ZERO in i.causes for i in undecided)
        for count, what in ((zeros, "a proved zero of g', where the L2 setting degenerates"),
                            (sign_changes, f"a proved zero of {_Q}, where the condition fails")):
            if count:
                text += f" ({'each contains' if count == n > 1 else 'it contains' if count == n else f'{count} contain'} {what})"
        if self.budget_exhausted:
            text += " (work budget exhausted)"
        return text

    # -- rendering --------------------------------------------------------------------------

    def to_dict(self) -> dict:
        """JSON friendly: exact ends as text, every other number as a decimal string."""
        return {
            "model": self.name,
            "expression": self.expression,
            "range": list(self.range),
            "range_note": self.range_note,
            "condition": "g' != 0 and g' g''' - 6 g''^2 < 0",
            "summary": self.summary,
            "intervals": [
                {
                    "lo": i.lo,
                    "hi": i.hi,
                    "lo_decimal": decimal_string(fmpq_text(i.lo), 17),
                    "hi_decimal": decimal_string(fmpq_text(i.hi), 17),
                    "status": i.status,
                    "reason": i.reason,
                }
                for i in self.intervals
            ],
            "widths": {s: decimal_string(self._width(s), 17) for s in _STATUSES},
            "covered": decimal_string(self.covered, 17),
            "degenerate_points": list(self.degenerate_points),
            "poster": self.poster,
            "agrees_with_poster": self.agrees_with_poster,
            "max_depth": self.max_depth,
            "prec": self.prec,
            "max_prec": self.max_prec,
            "boxes": self.boxes,
            "budget_exhausted": self.budget_exhausted,
            "rigor": Rigor.CERTIFIED,
            "domain": list(self.domain),
            "global_proof": None if self.global_proof is None else self.global_proof.to_dict(),
        }

    def _rows(self) -> list[tuple[str, str, str, str]]:
        return [(i.lo, i.hi, i.status, i.reason) for i in self.intervals]

    def to_text(self) -> str:
        head = [
            f"L2 condition g' != 0 and g' g''' - 6 g''^2 < 0 for g(x) = {self.expression} ({self.name})",
            f"  {self.summary}",
            f"  covered (certified holds/fails): {short_decimal(self.covered * 100, 12)}% of [{self.range[0]}, {self.range[1]}]"
            + (f"; {self.range_note}" if self.range_note else ""),
        ]
        if self.poster:
            head.append(f"  poster lists it; agrees with the poster: {_yes_no(self.agrees_with_poster)}")
        proof = self.global_proof
        head.append(f"  global proof (exact): {proof.text}" if proof is not None
                    else "  no exact global proof: the intervals below are the certificate")
        rows = [f"  [{short_decimal(fmpq_text(lo))}, {short_decimal(fmpq_text(hi))}]  {s}" + (f"  ({r})" if r else "")
                for lo, hi, s, r in self._rows()]
        return "\n".join(head + rows)

    def to_markdown(self) -> str:
        lines = [
            f"### L2 condition for $g(x)$ = {math_text(self.expression, ('x',))} ({self.name})",
            "",
            f"**{markdown_text(self.summary)}** (certified by interval bisection, depth <= {self.max_depth}, "
            f"{self.prec}-bit balls, {self.boxes} boxes).",
            "",
            f"Covered: {short_decimal(self.covered * 100, 12)}% of [{self.range[0]}, {self.range[1]}]."
            + (f" Range: {markdown_text(self.range_note)}." if self.range_note else ""),
            "",
        ]
        if self.poster:
            lines.append(f"The poster lists this model; agrees with the poster: {_yes_no(self.agrees_with_poster)}.")
        lines += ["", "| from | to | from (decimal) | to (decimal) | status | reason |", "|---|---|---|---|---|---|"]
        lines += [f"| {lo} | {hi} | {short_decimal(fmpq_text(lo), 10)} | {short_decimal(fmpq_text(hi), 10)} | {s} | {markdown_text(r)} |"
                  for lo, hi, s, r in self._rows()]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def fmpq_text(text: str) -> fmpq:
    """The exact rational ``text`` written as ``p`` or ``p/q`` (as :class:`CertifiedInterval`
    stores it) as an ``fmpq``.

    >>> fmpq_text("-3/4"), fmpq_text("2")
    (-3/4, 2)
    """
    p, _, q = text.partition("/")
    return fmpq(int(p), int(q) if q else 1)


def _union(intervals: Sequence[CertifiedInterval]) -> str:
    parts = [f"[{short_decimal(fmpq_text(i.lo))}, {short_decimal(fmpq_text(i.hi))}]" for i in intervals]
    return " u ".join(parts[:6]) + (f" u ... ({len(parts)} intervals)" if len(parts) > 6 else "")


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "not decided"}[value]


# ---------------------------------------------------------------------------------------------
# The range


MAX_BOXES = 10**7


def _budget(max_depth: object, max_boxes: object, prec: object) -> tuple[int, int, int]:
    return (arguments.integer(max_depth, "max_depth", 0, 200), arguments.positive_int(max_boxes, "max_boxes", 1, MAX_BOXES),
            arguments.integer(prec, "prec", 16, 100000))


def _rational(text: str, what: str) -> fmpq:
    value = parse_constant(str(text))
    if not value.is_Rational:
        raise InputError(f"{what} {text!r} must be an exact rational (e.g. '1/100')")
    return fmpq(int(value.p), int(value.q))


def certificate_range(m: BaseModel, lo: str | None = None, hi: str | None = None) -> tuple[fmpq, fmpq, str]:
    """The closed range ``[lo, hi]`` to certify and a note saying where it comes from: the
    arguments, else the catalog's ``range``, else ``[-10, 10]`` cut to the open domain, moved
    ``1/100`` inside a finite domain end (``g`` must be smooth on the whole closed range), for
    the base model ``m``.

    >>> from symbolic_eos.analysis.base_models import model
    >>> certificate_range(model("log"))
    (1/100, 10, 'range from the catalog (the domain is (0, inf))')

    A range that leaves the model's open domain is refused:

    >>> certificate_range(model("log"), "-2", "1")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: range end -2 is not inside the open domain (0, inf) of log
    """
    m = arguments.instance(m, "m", BaseModel, "a BaseModel")
    lo, hi = arguments.optional_exact_text(lo, "lo"), arguments.optional_exact_text(hi, "hi")
    note = ""
    if lo is None and hi is None and m.range is not None:
        a, b = (_rational(e, "range end") for e in m.range)
        note = f"range from the catalog (the domain is ({m.domain[0]}, {m.domain[1]}))"
    else:
        a = _rational(lo if lo is not None else DEFAULT_RANGE[0], "range end")
        b = _rational(hi if hi is not None else DEFAULT_RANGE[1], "range end")
        if lo is None or hi is None:
            a, b, note = _cut_to_domain(m, a, b, lo is None, hi is None)
    if not a < b:
        raise InputError(f"the range needs lo < hi, got [{a}, {b}]")
    for end in (a, b):
        if m.contains(sp.Rational(int(end.p), int(end.q))) is not True:
            raise InputError(f"range end {end} is not inside the open domain ({m.domain[0]}, {m.domain[1]}) of {m.name}")
    return a, b, note


def _cut_to_domain(m: BaseModel, a: fmpq, b: fmpq, cut_lo: bool, cut_hi: bool) -> tuple[fmpq, fmpq, str]:
    notes = []
    for side, (end, cut) in enumerate(zip(m.domain, (cut_lo, cut_hi), strict=True)):
        if end in ("-inf", "inf") or not cut:
            continue
        ball = constant_enclosure(parse_constant(end), 128)
        if side == 0 and not ball < a:
            # A multiple of 1/100 above the open end, at most 1/100 above it (checked below).
            a = fmpq(math.floor(float(ball.upper().mid()) * 100) + 1, 100)
            notes.append(f"the domain is open at {end}, so the range starts at {a}")
        if side == 1 and not ball > b:
            b = fmpq(math.ceil(float(ball.lower().mid()) * 100) - 1, 100)
            notes.append(f"the domain is open at {end}, so the range ends at {b}")
    return a, b, "; ".join(notes)


# ---------------------------------------------------------------------------------------------
# One box


_ZERO_G1 = "degenerate: "  # starts the reason of every sub-interval with a proved zero of g'


def _derivative_series(c: tuple[arb, ...], j: int, length: int) -> arb_series:
    """``g^(j)(m + t)`` as a series in ``t`` from the jet ``c_i = g^(i)(m)/i!``."""
    return arb_series([c[j + i] * (math.factorial(j + i) // math.factorial(i)) for i in range(length)], prec=length)


def _condition_series(c: tuple[arb, ...], length: int) -> tuple[arb_series, arb_series, arb_series]:
    """Series of ``g'``, ``g''`` and ``q = g' g''' - 6 g''^2`` about the jet's centre."""
    g1, g2, g3 = (_derivative_series(c, j, length) for j in (1, 2, 3))
    return g1, g2, g1 * g3 - 6 * g2 * g2


def _coeffs(s: arb_series, length: int) -> list[arb]:
    out = [arb(v) for v in s.coeffs()]
    return out + [arb(0)] * (length - len(out))


def _taylor_form(at_m: list[arb], at_x: list[arb], h: arb) -> arb:
    """``F(m + h)`` for every ``h`` in ``h``: ``sum_{i<K} F_i(m) h^i + F_K(X) h^K`` (Lagrange
    remainder; ``at_x`` are the Taylor coefficients enclosed over the box ``X``), intersected
    with the plain enclosure ``F_0(X)``.  The plain enclosure alone loses every digit where ``F``
    is a small difference of large varying terms (softplus at x = 10: ``q ~ e^-10`` computed from
    terms of size 1); the Taylor form's error shrinks like ``width^(K+1)``."""
    k = len(at_m) - 1
    out = at_x[k]
    for _ in range(k):  # h^K by multiplication: arb ** int is nan on a ball containing 0
        out = out * h
    power = arb(1)
    for i in range(k):
        out = out + at_m[i] * power
        power = power * h
    try:
        return out.intersection(at_x[0])
    except ValueError:  # both are enclosures of one value, so this cannot happen; be safe
        return out


def _derivative_coeffs(coeffs: list[arb]) -> list[arb]:
    return [coeffs[i] * i for i in range(1, len(coeffs))]


@dataclass(frozen=True)
class _Leaf:
    lo: fmpq
    hi: fmpq
    status: str
    reason: str = ""
    zeros: tuple = ()  # proved zeros of g': ("at", x) exact or ("in", lo, hi)
    cause: CellCause | None = None


class _Certifier:
    """Classifies boxes ``[a, b]`` of one model; caches the point jets at box ends."""

    def __init__(self, expr: sp.Expr, var: sp.Symbol, prec: int) -> None:
        self.expr, self.var, self.prec = expr, var, prec
        self._points: dict = {}
        #: Set by :meth:`classify`: the last box was undecided partly for lack of precision (a
        #: centre value whose ball contains 0 without being exactly 0, or an undecided domain).
        self.limited = False

    @staticmethod
    def _inexact_straddle(value: arb) -> bool:
        return not excludes_zero(value) and not value.is_exact()

    def _jet(self, centre: arb, order: int) -> tuple[arb, ...]:
        return ball_coefficients(self.expr, self.var, centre, order, self.prec)

    def point(self, x: fmpq) -> tuple[arb, arb] | None:
        """``(g'(x), q(x))`` as balls (exact balls when the jet is exact, e.g. ``x**3`` at 0)."""
        if x not in self._points:
            try:
                c = self._jet(arb(x), 3)
                with ctx.workprec(self.prec):
                    self._points[x] = (c[1], 6 * c[1] * c[3] - 24 * c[2] * c[2])
            except Undetermined:
                self._points[x] = None
        return self._points[x]

    def classify_cell(self, cell: Cell, final: bool) -> _Leaf | None:
        """:meth:`classify` of the one interval of ``cell`` (the interface of the bisection)."""
        ((a, b),) = cell
        return self.classify(a, b, final)

    def classify(self, a: fmpq, b: fmpq, final: bool) -> _Leaf | None:
        """The status of ``[a, b]``; None when it is undecided and not ``final`` (bisecting it
        may help).  A ``final`` undecided leaf carries the reason, with any zero proved."""
        k = TAYLOR_ORDER
        with ctx.workprec(self.prec):
            box = arb(a).union(arb(b))  # contains [a, b] even when a, b are not dyadic
            centre = arb((a + b) / 2)
            h = box - centre
            try:
                on_box = [_coeffs(s, k + 1) for s in _condition_series(self._jet(box, 3 + k), k + 1)]
                at_mid = [_coeffs(s, k + 1) for s in _condition_series(self._jet(centre, 3 + k), k + 1)]
            except Undetermined:
                self.limited = True
                return _Leaf(a, b, "undecided", _NOT_EVALUATED, cause=CellCause.NOT_EVALUATED) if final else None
            # Bisection cannot help when the value at the centre itself is not resolved.
            self.limited = self._inexact_straddle(at_mid[0][0]) or self._inexact_straddle(at_mid[2][0])
            g1, g2, q = (_taylor_form(m, x, h) for m, x in zip(at_mid, on_box, strict=True))
            if g1.is_zero():
                return _Leaf(a, b, "undecided", f"{_ZERO_G1}g' = 0 on the whole sub-interval", (("in", a, b),), CellCause.DEGENERATE)
            if not excludes_zero(g1):
                # Near a zero of g' the enclosure cannot exclude 0; g' may still be monotone.
                g1, g1_zero = self._monotone(a, b, g2, 0)
                if g1 is None or not excludes_zero(g1):
                    if not final:
                        return None
                    if g1_zero is None:
                        g1_zero = self._exact_zero_at_end(a, b)
                    if g1_zero is not None:
                        return _Leaf(a, b, "undecided", g1_zero[0], (g1_zero[1],), CellCause.DEGENERATE)
                    return _Leaf(a, b, "undecided", _G1_UNCERTIFIED, cause=CellCause.G1_UNCERTIFIED)
            status = _status(q)
            if status is None:
                dq = _taylor_form(_derivative_coeffs(at_mid[2]), _derivative_coeffs(on_box[2]), h)
                q, q_zero = self._monotone(a, b, dq, 1)
                status = _status(q) if q is not None else None
                if status is None:
                    if not final:
                        return None
                    if q_zero:
                        return _Leaf(a, b, "undecided", q_zero[0], cause=CellCause.CONDITION_ZERO)
                    return _Leaf(a, b, "undecided", _Q_UNCERTIFIED, cause=CellCause.Q_UNCERTIFIED)
            if status == "fails" and q.is_zero():
                return _Leaf(a, b, status, _EQUALITY, cause=CellCause.EQUALITY)
            return _Leaf(a, b, status)

    def _exact_zero_at_end(self, a: fmpq, b: fmpq) -> tuple[str, tuple[str, fmpq]] | None:
        """An end where ``g'`` is exactly 0 (its ball has radius 0: e.g. ``x**3`` at 0, where
        ``g''`` vanishes too, so the monotonicity argument cannot be used)."""
        for x in (a, b):
            value = self.point(x)
            if value is not None and value[0].is_zero():
                return f"{_ZERO_G1}g'({x}) = 0 (exact)", ("at", x)
        return None

    def _monotone(self, a: fmpq, b: fmpq, derivative: arb, which: int) -> tuple[Any, Any]:
        """When ``derivative`` (of ``g'`` or of ``q``) is certified non-zero on ``[a, b]``, the
        function is strictly monotone there, so its values lie between those at the ends: returns
        the hull of the end values (None when not monotone) and, when its sign stays open, a
        proved zero: an exact 0 at an end, or exactly one zero inside (opposite end signs)."""
        if not excludes_zero(derivative):
            return None, None
        pa, pb = self.point(a), self.point(b)
        if pa is None or pb is None:
            return None, None
        fa, fb = pa[which], pb[which]
        hull = fa.union(fb)
        for x, fx in ((a, fa), (b, fb)):
            if fx.is_zero():  # a ball of radius 0 around 0: the value is exactly 0
                if which == 0:
                    return hull, (f"{_ZERO_G1}g'({x}) = 0 (exact)", ("at", x))
                return hull, (f"{_CONDITION_ZERO}x = {x}: {_Q} = 0 there (exact)", None)
        if (fa > 0 and fb < 0) or (fa < 0 and fb > 0):
            if which == 0:
                return hull, (f"{_ZERO_G1}exactly one zero of g' inside (sign change, g'' != 0)", ("in", a, b))
            return hull, (f"{_CONDITION_ZERO}one point inside: exactly one zero of {_Q} (sign change)", None)
        return hull, None


_Q = "g' g''' - 6 g''^2"
_CONDITION_ZERO = "the condition fails at "  # starts the reason of a proved zero of _Q
_EQUALITY = f"{_Q} = 0 on the whole sub-interval: equality, the strict condition fails"
_G1_UNCERTIFIED = "g' not certified non-zero at this depth"
_Q_UNCERTIFIED = f"sign of {_Q} not certified at this depth"
_NOT_EVALUATED = "g could not be evaluated on the sub-interval at this precision"


def _status(q: arb) -> str | None:
    """``holds`` when ``q < 0`` is certain, ``fails`` when ``q >= 0`` is (equality fails too)."""
    if q < 0:
        return "holds"
    if q >= 0:
        return "fails"
    return None


def _bisect(certifiers: list[_Certifier], a: fmpq, b: fmpq, max_depth: int, max_boxes: int) -> tuple[list[_Leaf], int, bool, int]:
    """The one bisection (:func:`~symbolic_eos.analysis.boxes.bisect_cells`) on ``[a, b]``: left
    half first, so leaves come out in order, at most ``max_boxes`` box evaluations (what is left
    when the budget runs out stays undecided); a box left undecided for lack of precision is
    retried with the next certifier (more bits).  Returns the leaves, the evaluations, whether
    the budget ran out, the highest precision used."""
    run = bisect_cells(certifiers, ((a, b),), max_depth, max_boxes,
                       lambda cell: _Leaf(cell[0][0], cell[0][1], "undecided", "work budget exhausted", cause=CellCause.BUDGET),
                       lambda leaf: leaf.status != "undecided")
    return list(run.leaves), run.boxes, run.exhausted, run.top


def _merge(leaves: list[_Leaf]) -> tuple[list[CertifiedInterval], list[tuple]]:
    """Adjacent leaves of the same status become one interval; the reasons (and causes) of
    merged leaves are kept (each once, in order)."""
    out: list[list] = []
    zeros: list[tuple] = []
    for leaf in leaves:
        for z in leaf.zeros:
            if z not in zeros:
                zeros.append(z)
        if out and out[-1][2] == leaf.status and out[-1][1] == leaf.lo:
            out[-1][1] = leaf.hi
            if leaf.reason and leaf.reason not in out[-1][3]:
                out[-1][3].append(leaf.reason)
            if leaf.cause is not None and leaf.cause not in out[-1][4]:
                out[-1][4].append(leaf.cause)
        else:
            out.append([leaf.lo, leaf.hi, leaf.status, [leaf.reason] if leaf.reason else [], [] if leaf.cause is None else [leaf.cause]])
    return [CertifiedInterval(str(lo), str(hi), Verdict(s), "; ".join(r), tuple(c)) for lo, hi, s, r, c in out], zeros


def _zero_text(z: tuple) -> str:
    if z[0] == "at":
        return f"{z[1]} (exact)"
    lo, hi = z[1], z[2]
    return f"in {interval_text(lo, hi, 17)}"


# ---------------------------------------------------------------------------------------------


def certify_base_model(
    model: BaseModel | str,
    lo: str | None = None,
    hi: str | None = None,
    max_depth: int = 32,
    prec: int = 64,
    max_boxes: int = 20000,
) -> BaseModelCertificate:
    """Certify where the L2 condition ``g' != 0 and g' g''' - 6 g''^2 < 0`` holds on a closed
    range ``[lo, hi]`` of a base ``model`` (default: its catalog range, else ``[-10, 10]``
    within its domain).

    ``max_depth`` bounds the halvings of the range (undecided pieces are at most
    ``width / 2^max_depth`` each), ``max_boxes`` the total work (box evaluations), ``prec`` the
    ball precision, raised up to ``4 prec`` on boxes where it is what stops a decision.

    >>> certify_base_model("exp", lo="0", hi="1", max_depth=8, prec=64, max_boxes=100).intervals[0].status
    'holds'
    >>> certify_base_model("exp", lo="0", hi="1", max_depth=-1)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: max_depth: expected an integer in [0, 200], got -1
    """
    m = catalog_model(model) if isinstance(model, str) else arguments.instance(model, "model", BaseModel, "a base model name or BaseModel")
    max_depth, max_boxes, prec = _budget(max_depth, max_boxes, prec)
    a, b, note = certificate_range(m, lo, hi)
    expr = m.expr
    var = parse_variable_name("x")
    if expr.free_symbols - {var}:
        raise InputError(f"base model {m.name} must be written in x")
    certifiers = [_Certifier(expr, var, prec * 2**i) for i in range(PRECISION_STEPS + 1)]
    leaves, boxes, exhausted, top = _bisect(certifiers, a, b, max_depth, max_boxes)
    intervals, zeros = _merge(leaves)
    return BaseModelCertificate(
        name=m.name,
        expression=m.expression,
        range=(str(a), str(b)),
        range_note=note,
        intervals=tuple(intervals),
        degenerate_points=tuple(_zero_text(z) for z in zeros),
        poster=m.poster,
        max_depth=max_depth,
        prec=prec,
        max_prec=top,
        boxes=boxes,
        budget_exhausted=exhausted,
        domain=m.domain,
    )


def certify_base_models(max_depth: int = 32, prec: int = 64, max_boxes: int = 20000) -> tuple[BaseModelCertificate, ...]:
    """:func:`certify_base_model` for every model of the catalog, over its default range, with
    the same budget for each: ``max_depth`` halvings, ``prec`` bits (raised where needed) and at
    most ``max_boxes`` box evaluations per model.

    >>> cs = certify_base_models(max_depth=6, prec=64, max_boxes=200)
    >>> len(cs), [c.name for c in cs if c.summary.startswith("holds for every")], any(c.budget_exhausted for c in cs)
    (12, ['exp'], False)
    >>> cs[-1].name, cs[-1].summary
    ('affine', "fails for every x in [-10, 10] (certified: g' g''' - 6 g''^2 = 0, equality)")
    >>> certify_base_models(max_boxes=0)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: max_boxes: expected an integer in [1, 10000000], got 0
    """
    max_depth, max_boxes, prec = _budget(max_depth, max_boxes, prec)
    return tuple(certify_base_model(m, max_depth=max_depth, prec=prec, max_boxes=max_boxes) for m in base_models())
