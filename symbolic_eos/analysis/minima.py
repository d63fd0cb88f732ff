"""Locating and certifying strict local minima of a 1-D loss.

A point ``xb`` is accepted when ``f'(xb) = 0`` is proved (exactly) or certified (a unique zero
of ``f'`` in a tiny box, by the interval Newton test ``N(I) ⊆ I`` with ``0 ∉ f''(I)``), and
``f''(xb) > 0`` is decided by :func:`symbolic_eos.core.decide.decide`.  Without a given point, every
strict minimum in a range is found

* for a polynomial with rational coefficients, exactly: ``f'`` is factored over ``Q``
  (python-flint); a simple root of a linear factor is rational, of a quadratic one a quadratic
  surd ``(-b +- sqrt(d))/2a``, of a higher one the unique zero in an isolating ball
  (``complex_roots``, certified, real roots with exactly zero imaginary part); a root of a
  repeated factor is a *degenerate* critical point (``f'' = 0`` there), reported as such;
* otherwise by bisection with the interval Newton test, down to boxes of relative width
  :data:`MIN_WIDTH` (and absolute width :data:`MIN_ABS_WIDTH` around 0, so that features at
  ``1e-10`` next to the origin are resolved), within a bounded number of boxes; the parts of
  the range that could not be resolved are reported rather than silently skipped.

>>> from symbolic_eos.core.parse import parse_expression
>>> f = parse_expression("(x**2 - 1)**2/4")
>>> x = sorted(f.free_symbols, key=str)[0]
>>> [m.label for m in strict_minima(f, x, -10, 10).points]
['-1', '1']
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import sympy as sp
from flint import acb, arb, arb_poly, ctx, fmpq, fmpq_poly

from ..core import arguments
from ..core.algebraic import Surd, Transcendental, to_surd
from ..core.decide import Decision, Expansion, decide, decide_ball, excludes_zero, rungs
from ..core.numbers import decimal_string, enclosure_text, upper_text
from ..errors import DomainError, InputError, brief
from ..core.parse import parse_constant, parse_expression, parse_variable_name  # noqa: F401 (the doctests use the last two)
from ..core.jets import (
    NotRational,
    Point,
    Undetermined,
    _plan,
    _walk,
    arb_to_fmpq,
    ball_coefficients,
    constant_enclosure,
    expression_size,
    limit_fraction,
    to_fmpq,
)

__all__ = [
    "MinimaSearch", "critical_point_at", "require_strict_minimum", "strict_minima", "target_points",
    "polynomial_roots", "rational_polynomial",
]

#: The bisection never looks at more boxes than this (bounds the work on hostile input).
MAX_BOXES = 20000
#: At most this many expression nodes are evaluated in one search (bounds hostile input).
MAX_WORK = 1_500_000
#: Boxes narrower than this relative to their distance from 0 are not bisected further ...
MIN_WIDTH = fmpq(1, 2**40)
#: ... nor boxes narrower than this absolutely (boxes around 0, whose relative width never
#: shrinks).  Unresolvable spots cost about log2(range / width) levels of bisection each.
MIN_ABS_WIDTH = fmpq(1, 2**160)
_SEARCH_PREC = 64
#: Bits of working precision beyond those a box's relative width needs.
_GUARD_BITS = 40
#: Polynomials of higher degree go to the bisection (exact factoring costs more than it saves).
MAX_POLYNOMIAL_DEGREE = 200
#: ... and so do polynomials whose coefficients hold more bits than this in all (factoring
#: ``(x + 10**60)**200 + x`` alone takes seconds).
MAX_POLYNOMIAL_BITS = 100_000


@dataclass(frozen=True)
class Equation:
    """``h(x) = 0`` where ``h`` is the ``shift``-th derivative of ``expr`` minus ``target``
    (``shift=1, target=0``: critical points of ``f``; ``shift=0``: ``g(x) = y``)."""

    expr: sp.Expr
    var: sp.Symbol
    shift: int = 1
    target: sp.Expr = sp.Integer(0)

    def balls(self, centre: arb, order: int, prec: int) -> tuple[arb, ...]:
        """``h^(j)(centre)/j!`` for ``j <= order`` (enclosures over ``centre`` when it is wide)."""
        c = ball_coefficients(self.expr, self.var, centre, order + self.shift, prec)
        out = list(_shift(c, self.shift))
        if self.target != 0:
            out[0] = out[0] - constant_enclosure(self.target, prec)
        return tuple(out)

    def exact_zero_at(self, q: fmpq) -> bool:
        """Is ``h(q) = 0`` proved (exact rationals, or a closed form for irrational values)?"""
        point = Point.rational(sp.Rational(int(q.p), int(q.q)))
        try:
            expansion = Expansion(self.expr, self.var, point, self.shift)
            return decide(lambda c: _h(c, self.shift, self.target), expansion).sign == 0
        except (DomainError, Undetermined):
            return False


def _shift(c, shift):
    """Coefficients of the ``shift``-th derivative: ``(j+1)...(j+shift) c_{j+shift}``."""
    out = []
    for j in range(len(c) - shift):
        factor = 1
        for i in range(1, shift + 1):
            factor *= j + i
        out.append(c[j + shift] * factor)
    return tuple(out)


def _newton_step(eq: Equation, box: arb, prec: int) -> tuple[arb | None, arb]:
    """One interval Newton step: ``N = m - h(m)/h'(box)``; returns (N or None, h'(box))."""
    with ctx.workprec(prec):
        slope = eq.balls(box, 1, prec)[1]
        if not excludes_zero(slope):
            return None, slope
        m = box.mid()
        value = eq.balls(m, 0, prec)[0]
        return m - value / slope, slope


def _refine(eq: Equation, box: arb, prec: int) -> arb:
    """Shrink a box known to hold a unique zero of ``h`` with interval Newton at ``prec`` bits."""
    with ctx.workprec(prec):
        box = +box
        for _ in range(200):
            try:
                n, _ = _newton_step(eq, box, prec)
            except (Undetermined, DomainError):
                break
            if n is None or not n.overlaps(box):
                break
            new = n.intersection(box)
            if not new.rad() < box.rad() * 0.75:
                box = new
                break
            box = new
        return box


def _certified_point(eq: Equation, box: arb, label: str, note: str) -> Point:
    """A point known only as the unique zero of ``h`` in ``box``, refinable to any precision."""

    @lru_cache(maxsize=None)
    def enclose(prec: int) -> arb:
        return _refine(eq, box, prec)

    return Point(label, None, enclose, note)


@dataclass(frozen=True)
class MinimaSearch:
    """All certified roots found in a range ``[lo, hi]`` (``points``), and what could not be
    resolved (``unresolved``), lies outside the loss's domain (``outside_domain``) or is a
    ``degenerate`` critical point.

    >>> x = sp.Symbol("x")
    >>> s = strict_minima((x**2 - 1)**2 / 4, x, -10, 10)
    >>> [p.label for p in s.points], s.lo, s.hi, s.complete, s.degenerate
    (['-1', '1'], -10, 10, True, ())
    """

    points: tuple[Point, ...]
    lo: fmpq
    hi: fmpq
    unresolved: tuple[tuple[str, str], ...] = ()
    outside_domain: tuple[tuple[str, str], ...] = ()
    #: Critical points proved degenerate (a repeated root of f', so f'' = 0): not strict
    #: minima with f'' > 0, and not "unresolved" either.
    degenerate: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """True when every part of the range was resolved (the list is then exhaustive)."""
        return not self.unresolved


def _box(lo: fmpq, hi: fmpq, prec: int) -> arb:
    with ctx.workprec(prec):
        return arb((lo + hi) / 2, arb((hi - lo) / 2))


def _merge(intervals: list[tuple[fmpq, fmpq]]) -> tuple[tuple[str, str], ...]:
    merged: list[list[fmpq]] = []
    for lo, hi in sorted(intervals, key=lambda iv: (iv[0], iv[1])):
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return tuple((_fmt(lo), _fmt(hi)) for lo, hi in merged)


def _fmt(q: fmpq) -> str:
    with ctx.workprec(64):  # the end rounded to a 64-bit ball first, as it always was printed
        return decimal_string(arb(q), 10)


def simple_roots(
    eq: Equation, lo: fmpq, hi: fmpq, slope_sign: int | None = None, max_boxes: int = MAX_BOXES
) -> tuple[list[tuple[arb, int]], list, list]:
    """Isolate every simple zero of ``h`` in ``[lo, hi]`` by bisection and interval Newton.

    Returns (roots as (box, sign of h'), unresolved intervals, intervals outside the domain).
    With ``slope_sign`` only roots where ``h'`` has that sign are kept (``+1``: minima of f)."""
    prec = _SEARCH_PREC
    # Bound the work, not just the boxes: each box evaluates the expression a few times.
    max_boxes = min(max_boxes, max(200, MAX_WORK // (3 * expression_size(eq.expr, eq.var))))
    stack = [(lo, hi)]
    roots: list[tuple[arb, int]] = []
    unresolved: list[tuple[fmpq, fmpq]] = []
    outside: list[tuple[fmpq, fmpq]] = []
    boxes = 0
    while stack:
        a, b = stack.pop()
        boxes += 1
        if boxes > max_boxes:
            unresolved.append((a, b))
            unresolved.extend(stack)
            break
        scale = max(abs(a), abs(b))
        small = (b - a) <= max(MIN_WIDTH * scale, MIN_ABS_WIDTH)
        # A box much narrower than its distance from 0 needs the bits to tell its ends apart.
        prec = _SEARCH_PREC + max(0, _relative_bits(b - a, scale) - (_SEARCH_PREC - _GUARD_BITS))
        box = _box(a, b, prec)
        try:
            value, slope = eq.balls(box, 1, prec)
        except DomainError:
            outside.append((a, b))
            continue
        except Undetermined:
            value = slope = arb("nan")
        if excludes_zero(value):
            continue
        if value.is_finite() and excludes_zero(slope):
            try:
                n, _ = _newton_step(eq, box, prec)
            except (Undetermined, DomainError):
                n = None
            if n is not None and box.contains(n):
                # The search box may overshoot [lo, hi] (rounded ends): keep only zeros that are
                # certainly inside the range; one straddling an end stays unresolved.
                where = _within(eq, n, lo, hi)
                sign = 1 if slope > 0 else -1
                if where is True and (slope_sign is None or sign == slope_sign):
                    roots.append((n, sign))
                elif where is None and (slope_sign is None or sign == slope_sign):
                    unresolved.append((a, b))
                continue
            if n is not None and not n.overlaps(box):
                continue
        if small:
            unresolved.append((a, b))
            continue
        # Split off-centre so that a root at a "round" point (0, 1, ...) is not on a boundary.
        m = a + (b - a) * fmpq(61, 128)
        stack.extend([(m, b), (a, m)])
    return _dedupe(eq, roots), unresolved, outside


def _relative_bits(width: fmpq, scale: fmpq) -> int:
    """About ``log2(scale / width)`` (0 when the box is wide compared with its position)."""
    if scale <= width:
        return 0
    return max(0, (int(scale.p) * int(width.q)).bit_length() - (int(scale.q) * int(width.p)).bit_length())


def _within(eq: Equation, box: arb, lo: fmpq, hi: fmpq) -> bool | None:
    """Is the unique zero in ``box`` inside ``[lo, hi]``?  True / False when certain (after
    refining the box), None when it sits on an end within the precision."""
    # Containment, not one sign: each rung refines the box before both ends are compared.
    for prec in rungs(128, 512):
        with ctx.workprec(prec):
            if prec > 128:
                box = _refine(eq, box, prec)
            if (box - lo) >= 0 and (hi - box) >= 0:
                return True
            if (box - lo) < 0 or (hi - box) < 0:
                return False
    return None


def _dedupe(eq: Equation, roots: list[tuple[arb, int]]) -> list[tuple[arb, int]]:
    """Adjacent boxes may both certify a zero on their shared boundary; ``h`` is monotone on
    each, with the same slope sign, hence on their union, so overlapping enclosures are one zero."""
    out: list[tuple[arb, int]] = []
    for box, sign in sorted(roots, key=lambda r: float(r[0].mid())):
        if out and out[-1][1] == sign and out[-1][0].overlaps(box):
            out[-1] = (out[-1][0].intersection(box), sign)
        else:
            out.append((box, sign))
    return out


def _to_point(eq: Equation, box: arb, label_digits: int = 20) -> Point:
    """Upgrade to an exact rational point when one is proved to be the zero; else certified."""
    fine = _refine(eq, box, 128)
    # A 128-bit ball holds a small-denominator rational only when the zero really is one,
    # so the (possibly symbolic) proof below is rarely attempted in vain.
    q = limit_fraction(fine, 10**6)
    with ctx.workprec(512):
        holds_q = fine.contains(arb(q))
    if holds_q and eq.exact_zero_at(q):
        return Point.rational(sp.Rational(int(q.p), int(q.q)))
    label = decimal_string(fine, label_digits)
    return _certified_point(eq, box, label, f"unique zero of {_what(eq)} certified in {enclosure_text(fine)}")


def _what(eq: Equation) -> str:
    return "f'" if eq.shift == 1 else f"g - {sp.sstr(eq.target)}"


def _expression(value: object, name: str) -> sp.Expr:
    return arguments.instance(value, name, sp.Expr, "a sympy expression (from parse_expression)")


def _symbol(value: object) -> sp.Symbol:
    return arguments.instance(value, "var", sp.Symbol, "a sympy Symbol (from parse_variable_name)")


#: Range ends must lie within [-MAX_ENDPOINT, MAX_ENDPOINT].
MAX_ENDPOINT = 10**12


def parse_range(lo: sp.Expr, hi: sp.Expr) -> tuple[fmpq, fmpq]:
    """Exact rational endpoints; irrational ones are widened outwards (never inwards) to a
    binary rational, from the exact ends of a certified ball."""
    out = []
    for value, outward in ((lo, -1), (hi, 1)):
        ball = constant_enclosure(value, 128)
        if not (ball.is_finite() and abs(ball) <= MAX_ENDPOINT):
            raise InputError(f"range endpoint {sp.sstr(value)[:40]} must be a real number in [-1e12, 1e12]")
        if value.is_Rational:
            out.append(fmpq(int(value.p), int(value.q)))
        else:
            out.append(arb_to_fmpq(ball.upper() if outward > 0 else ball.lower()))
    if not out[0] < out[1]:
        raise InputError(f"empty range [{brief(sp.sstr(lo))}, {brief(sp.sstr(hi))}]: the lower end must be below the upper end")
    return out[0], out[1]


def strict_minima(expr: sp.Expr, var: sp.Symbol, lo: int | Fraction | str | sp.Expr, hi: int | Fraction | str | sp.Expr) -> MinimaSearch:
    """Every strict local minimum of ``expr`` in ``var`` (``f' = 0``, ``f'' > 0``) in ``[lo, hi]``.

    >>> x = sp.Symbol("x")
    >>> [p.label for p in strict_minima(sp.cos(x), x, 0, 7).points]
    ['3.1415926535897932385']

    >>> strict_minima(sp.cos(x), x, 7, 0)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: empty range [7, 0]: the lower end must be below the upper end
    """
    expr, var = _expression(expr, "expr"), _symbol(var)
    a, b = parse_range(arguments.exact_value(lo, "lo"), arguments.exact_value(hi, "hi"))
    eq = Equation(expr, var, 1)
    exact = polynomial_roots(eq, a, b, slope_sign=1)
    if exact is not None:
        return exact
    roots, unresolved, outside = simple_roots(eq, a, b, slope_sign=1)
    points = tuple(_to_point(eq, box) for box, _ in roots)
    return MinimaSearch(points, a, b, _merge(unresolved), _merge(outside))


def target_points(g: sp.Expr, var: sp.Symbol, target: sp.Expr, lo: int | Fraction | str | sp.Expr,
                  hi: int | Fraction | str | sp.Expr) -> MinimaSearch:
    """Every simple solution of ``g(x) = y`` (``g`` in ``var``, ``y`` the ``target``) in
    ``[lo, hi]``: the minima of ``(g - y)^2``.

    >>> x = sp.Symbol("x")
    >>> [p.label for p in target_points(sp.exp(x), x, sp.Integer(2), -10, 10).points]
    ['0.69314718055994530942']

    >>> target_points(sp.exp(x), x, 2.0, -10, 10)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: target: expected exact text, ..., got float 2.0 (write '2.0' or Fraction(2, 1))
    """
    g, var = _expression(g, "g"), _symbol(var)
    target = arguments.exact_value(target, "target")
    a, b = parse_range(arguments.exact_value(lo, "lo"), arguments.exact_value(hi, "hi"))
    eq = Equation(g, var, 0, target)
    exact = polynomial_roots(eq, a, b)
    if exact is not None:
        return exact
    roots, unresolved, outside = simple_roots(eq, a, b)
    points = tuple(_to_point(eq, box) for box, _ in roots)
    return MinimaSearch(points, a, b, _merge(unresolved), _merge(outside))


# ---------------------------------------------------------------------------------------------
# Polynomials with rational coefficients: the roots of h, exactly.


def rational_polynomial(expr: sp.Expr, var: sp.Symbol, max_degree: int = MAX_POLYNOMIAL_DEGREE) -> fmpq_poly | None:
    """``expr`` as an exact ``fmpq_poly`` in ``var`` when it is a polynomial with rational
    coefficients of degree at most ``max_degree`` (bounded before anything is expanded), else
    None.

    >>> rational_polynomial(parse_expression("(x**2 - 10**(-20))**2"), parse_variable_name("x"))
    x^4 + (-1/50000000000000000000)*x^2 + 1/10000000000000000000000000000000000000000
    >>> rational_polynomial(parse_expression("x**2 + sin(x)"), parse_variable_name("x")) is None
    True

    >>> rational_polynomial(parse_expression("x**2"), parse_variable_name("x"), max_degree=-1)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: max_degree: expected an integer in [0, 1000000], got -1
    """
    expr, var = _expression(expr, "expr"), _symbol(var)
    max_degree = arguments.integer(max_degree, "max_degree", 0, 10**6)
    degree: list[int] = []
    for node, kind, data, kids in _plan(expr, var):
        if kind == "var":
            d = 1
        elif kind == "leaf":
            d = 0 if node.is_Rational else -1
        elif kind == "add":
            d = -1 if any(degree[k] < 0 for k in kids) else max(degree[k] for k in kids)
        elif kind == "mul":
            d = -1 if any(degree[k] < 0 for k in kids) else sum(degree[k] for k in kids)
        elif kind == "pow" and data.is_Integer and data >= 0 and degree[kids[0]] >= 0:
            d = int(data) * degree[kids[0]]
        else:
            d = -1
        if d < 0 or d > max_degree:
            return None
        degree.append(d)

    def leaf(node):
        return fmpq_poly([0, 1]) if node == var else fmpq_poly([to_fmpq(node)])

    return _walk(expr, var, leaf, lambda base, e: base ** int(e), None)


def polynomial_roots(eq: Equation, lo: fmpq, hi: fmpq, slope_sign: int | None = None) -> MinimaSearch | None:
    """Every simple root of ``h`` (the equation ``eq``) in ``[lo, hi]`` (with ``h'`` of sign
    ``slope_sign`` when given), exactly, when ``h`` is a polynomial with rational coefficients;
    None otherwise.

    ``h = c prod g_i^(m_i)`` over ``Q`` (python-flint).  A root of ``g_i`` with ``m_i >= 2`` has
    ``h' = 0``: degenerate.  With ``m_i = 1`` it is simple (``h'(r) = g_i'(r) prod_(j != i)
    g_j(r)^(m_j)`` and no factor vanishes there), so ``h'(r) != 0`` and its sign is decided:
    exactly for a rational or quadratic root, by a ball (refined until it excludes 0, which it
    must) for the others.  Range ends are rational, so an irrational root is never on one.

    >>> x = parse_variable_name("x")
    >>> r = polynomial_roots(Equation(parse_expression("(x**2 - 10**(-20))**2"), x), fmpq(-10), fmpq(10), 1)
    >>> [p.label for p in r.points], r.degenerate, r.complete
    (['-1/10000000000', '1/10000000000'], (), True)
    >>> r = polynomial_roots(Equation(parse_expression("(x**2 - 2)**2"), x), fmpq(-10), fmpq(10), 1)
    >>> [p.label for p in r.points], polynomial_roots(Equation(parse_expression("x**4"), x), fmpq(-1), fmpq(1), 1).degenerate
    (['-sqrt(2)', 'sqrt(2)'], ('0',))

    The range ends are exact ``fmpq``:

    >>> polynomial_roots(Equation(parse_expression("x**2 - 2"), x), -10, 10)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: lo: expected an fmpq, got int -10
    """
    eq = arguments.instance(eq, "eq", Equation, "an Equation")
    lo, hi = arguments.instance(lo, "lo", fmpq, "an fmpq"), arguments.instance(hi, "hi", fmpq, "an fmpq")
    slope_sign = arguments.optional_int(slope_sign, "slope_sign", -1, 1)
    if not eq.target.is_Rational:
        return None
    f = rational_polynomial(eq.expr, eq.var)
    if f is None or sum(int(abs(fmpq(c).p)).bit_length() + int(fmpq(c).q).bit_length() for c in f.coeffs()) > MAX_POLYNOMIAL_BITS:
        return None
    h = f
    for _ in range(eq.shift):
        h = h.derivative()
    h = h - to_fmpq(eq.target)
    if h.degree() <= 0:
        return None  # constant: no isolated roots (and f itself is constant or linear)
    slope = h.derivative()
    points: list[tuple[object, Point]] = []
    degenerate: list[tuple[object, str]] = []
    unresolved: list[tuple[fmpq, fmpq]] = []
    try:
        roots = [(root, multiplicity) for factor, multiplicity in h.factor()[1] for root in _real_roots(factor)]
    except _TooHard:
        return None  # the bisection, with its bounded work, takes over
    for root, multiplicity in roots:
        inside = _in_range(root, lo, hi)
        if inside is None:
            unresolved.append(_around(root))
            continue
        if not inside:
            continue
        if multiplicity > 1:
            degenerate.append((root, _root_label(root)))
            continue
        sign = _sign_at(slope, root)
        if sign is None:
            unresolved.append(_around(root))
        elif slope_sign is None or sign == slope_sign:
            point = _root_point(eq, root)
            if point is None:
                unresolved.append(_around(root))
            else:
                points.append((root, point))
    order = lambda item: arb_to_fmpq(_root_ball(item[0], 64).mid())  # noqa: E731 - display order only
    return MinimaSearch(
        tuple(p for _, p in sorted(points, key=order)), lo, hi, _merge(unresolved), (),
        tuple(label for _, label in sorted(degenerate, key=order)),
    )


class _BallRoot:
    """A real root of an irreducible ``factor`` of degree >= 3, known by an isolating ball
    ``[mid +/- rad]`` (it holds this root and no other root of ``factor``) and refined to any
    precision by interval Newton on ``factor`` (simple roots: ``factor'`` is non-zero there)."""

    def __init__(self, factor: fmpq_poly, mid: fmpq, rad: fmpq) -> None:
        self.factor, self.mid, self.rad = factor, mid, rad
        self._balls: dict[int, arb] = {}

    def ball(self, prec: int) -> arb:
        hit = self._balls.get(prec)
        if hit is not None:
            return hit
        with ctx.workprec(prec):
            g = arb_poly([arb(fmpq(c)) for c in self.factor.coeffs()])
            dg = g.derivative()
            box = arb(self.mid, arb(self.rad))
            for _ in range(4 * prec):
                slope = dg(box)
                if not excludes_zero(slope):
                    break
                m = box.mid()
                n = m - g(m) / slope
                if not n.overlaps(box):
                    break  # cannot happen for an isolating ball; keep the enclosure we have
                new = n.intersection(box)
                if not new.rad() < box.rad() * 0.75:
                    box = new
                    break
                box = new
            self._balls[prec] = box
            return box


#: Wall-clock budget (seconds) for isolating the real roots of one irreducible factor:
#: clustered roots ((x + 2^60)^30 + x) can make python-flint's isolation take minutes.
ISOLATION_SECONDS = 2.0


def _isolate(factor: fmpq_poly) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Isolating balls of the real roots, ascending, as exact ``((p, q), (p, q))`` pairs
    (midpoint, radius): python-flint returns real roots first, in ascending order, with an
    imaginary part that is exactly 0, in disjoint balls."""
    with ctx.workprec(128):
        out = []
        # python-flint's stubs (0.9) type the roots as acb; they are (acb, multiplicity) pairs
        roots: list[tuple[acb, int]] = factor.complex_roots()  # type: ignore[assignment]
        for r, _ in roots:
            if r.imag.is_zero():
                mid, rad = arb_to_fmpq(r.real.mid()), arb_to_fmpq(arb(r.real.rad()))
                out.append(((int(mid.p), int(mid.q)), (int(rad.p), int(rad.q))))
        return out


class _TooHard(Exception):
    """The roots of a factor could not be isolated within the budget (use the bisection)."""


def _real_roots(factor: fmpq_poly) -> list:
    """The real roots of an irreducible factor: ``fmpq``, a sympy quadratic surd, or a
    :class:`_BallRoot`; :class:`_TooHard` when their isolation exceeds the time budget."""
    c = [fmpq(v) for v in factor.coeffs()]
    if factor.degree() == 1:
        return [-c[0] / c[1]]
    if factor.degree() == 2:
        disc = c[1] ** 2 - 4 * c[0] * c[2]
        if disc < 0:
            return []
        a, b, d = (sp.Rational(int(v.p), int(v.q)) for v in (c[2], c[1], disc))
        return [(-b - sp.sqrt(d)) / (2 * a), (-b + sp.sqrt(d)) / (2 * a)]
    from ..core.decide import within_seconds

    balls = within_seconds(_isolate, factor, ISOLATION_SECONDS)
    if balls is None:
        raise _TooHard(f"degree {factor.degree()}")
    return [_BallRoot(factor, fmpq(*m), fmpq(*r)) for m, r in balls]


def _root_ball(root: fmpq | sp.Expr | _BallRoot, prec: int) -> arb:
    if isinstance(root, fmpq):
        return arb(root)
    if isinstance(root, _BallRoot):
        return root.ball(prec)
    return constant_enclosure(root, prec)


def _in_range(root: fmpq | sp.Expr | _BallRoot, lo: fmpq, hi: fmpq) -> bool | None:
    """``lo <= root <= hi``: exact for rational and quadratic roots, by refined balls for the
    others (irrational, so never equal to a rational end: a ball decides, given bits)."""
    if isinstance(root, fmpq):
        return lo <= root <= hi
    if not isinstance(root, _BallRoot):
        value = to_surd(root)
        if value is None:
            return None
        return (value - lo).sign() >= 0 and (hi - value).sign() >= 0
    above = decide_ball(lambda prec: root.ball(prec) - lo)
    below = decide_ball(lambda prec: hi - root.ball(prec)) if above.sign != -1 else above
    if above.sign == -1 or below.sign == -1:
        return False
    return True if above.sign == 1 and below.sign == 1 else None


def _sign_at(poly: fmpq_poly, root: fmpq | sp.Expr | _BallRoot) -> int | None:
    """The sign of ``poly(root)``, exactly (rational, quadratic surd) or by a ball."""
    if isinstance(root, fmpq):
        v = poly(root)
        return (v > 0) - (v < 0)
    if not isinstance(root, _BallRoot):
        r, value = to_surd(root), Surd.rational(0)
        for c in reversed(poly.coeffs()):
            value = value * r + fmpq(c)
        return value.sign()
    # The root is irrational (rational and quadratic roots are exact above): a ball never is 0.
    return decide_ball(lambda prec: arb_poly([arb(fmpq(c)) for c in poly.coeffs()])(root.ball(prec))).sign


def _root_point(eq: Equation, root: fmpq | sp.Expr | _BallRoot) -> Point | None:
    """The root as a :class:`Point`: exact for rational and quadratic roots; else certified as
    the unique zero of ``h`` in a ball (interval Newton on ``h`` itself: ``N(I) ⊆ I``)."""
    if isinstance(root, fmpq):
        return Point.rational(sp.Rational(int(root.p), int(root.q)))
    if not isinstance(root, _BallRoot):
        return Point.from_constant(root, sp.sstr(root))
    # Interval Newton, not a sign: the window of the ladder where a root ball is worth refining.
    for prec in rungs(128, 512):
        with ctx.workprec(prec):
            ball = root.ball(prec)
            box = arb(ball.mid(), 4 * ball.rad() + abs(ball.mid()) * arb(2) ** (-prec // 2) + arb(2) ** (-4 * prec))
            try:
                n, _ = _newton_step(eq, box, prec)
            except (Undetermined, DomainError):
                continue
            if n is not None and box.contains(n):
                return _to_point(eq, n)
    return None


def _root_label(root: fmpq | sp.Expr | _BallRoot) -> str:
    if isinstance(root, fmpq):
        return str(root)
    if isinstance(root, _BallRoot):
        return enclosure_text(root.ball(128), 20)
    return sp.sstr(root)


def _around(root: fmpq | sp.Expr | _BallRoot) -> tuple[fmpq, fmpq]:
    """A rational interval around a root, for the list of unresolved parts."""
    with ctx.workprec(64):
        ball = _root_ball(root, 64)
        return arb_to_fmpq(ball.lower()), arb_to_fmpq(ball.upper())


def critical_point_at(
    expr: sp.Expr, var: sp.Symbol, value: sp.Expr, shift: int = 1, target: sp.Expr = sp.S.Zero, label: str | None = None
) -> Point:
    """The point ``value`` as a zero of ``h``: ``f'`` for ``shift = 1`` (``f`` the ``expr`` in
    ``var``), ``g - target`` for ``shift = 0``; proved exactly, or certified as the unique zero
    in a tiny box around it, and shown as ``label``.  Raises :class:`InputError` otherwise.

    >>> x = sp.Symbol("x")
    >>> p = critical_point_at(sp.exp(x), x, sp.log(2), shift=0, target=sp.Integer(2), label="log 2")
    >>> p.label, p.exact
    ('log 2', log(2))

    >>> critical_point_at(x**2, x, sp.Integer(1))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: 1 is not a critical point: f'(1) = 2.0000000 != 0
    """
    expr, var = _expression(expr, "expr"), _symbol(var)
    value, target = arguments.exact_value(value, "value"), arguments.exact_value(target, "target")
    shift, label = arguments.integer(shift, "shift", 0, 1), arguments.optional_text(label, "label")
    point = Point.from_constant(value, label)
    what = "f'" if shift == 1 else "g"
    expansion = Expansion(expr, var, point, shift + 1)
    expansion.check_domain()
    d = decide(lambda c: _h(c, shift, target), expansion)
    if d.sign == 0:
        return point
    if d.sign is not None:
        rhs = f" = {sp.sstr(target)}" if shift == 0 else " = 0"
        raise InputError(
            f"{point.label} is not a {'critical point' if shift else 'solution of g(x)' + rhs}: "
            f"{what}({point.label}){'' if shift else ' - ' + sp.sstr(target)} = {d.text(8)} != 0"
        )
    eq = Equation(expr, var, shift, target)
    for prec in rungs(128, 512):  # interval Newton around the point, not a sign
        with ctx.workprec(prec):
            centre = point.enclosure(prec)
            box = arb(centre.mid(), arb(2) ** (-prec // 3) * max(arb(1), abs(centre.mid())))
            try:
                n, _ = _newton_step(eq, box, prec)
            except (Undetermined, DomainError):
                continue
            if n is not None and box.contains(n):
                return _certified_point(
                    eq, n, point.label,
                    f"{what} = 0 is not proved exactly at {point.label}; a unique zero is certified within "
                    f"{upper_text(box.rad() + centre.rad())} of it, and all values below are enclosures at that zero",
                )
    raise InputError(f"could not show that {what}({brief(point.label)}) = {brief(sp.sstr(target))}: {d.evidence()}")


def _h(c, shift, target):
    """The value of ``h`` at the point from Taylor coefficients of ``expr``."""
    value = c[shift]
    if shift == 0 and target != 0:
        if isinstance(value, arb):
            return value - constant_enclosure(target, ctx.prec)
        if isinstance(value, sp.Expr):
            return value - target
        if isinstance(value, (Surd, Transcendental)):
            exact_target = to_surd(target)
            if exact_target is None:
                raise NotRational("target")
            return value - exact_target
        if not target.is_Rational:
            raise NotRational("target")
        return value - fmpq(int(target.p), int(target.q))
    return value


def require_strict_minimum(expr: sp.Expr, var: sp.Symbol, point: Point) -> Decision:
    """Decide ``f''(xb) > 0`` for ``f`` the ``expr`` in ``var`` at ``point``; raise
    :class:`InputError` unless it holds.

    >>> x = sp.Symbol("x")
    >>> require_strict_minimum(x**2, x, Point.rational(0)).exact
    2
    >>> require_strict_minimum(-x**2, x, Point.rational(0))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: 0 is a local maximum, not a minimum (f'' = -2.0000000 < 0)
    """
    expr, var = _expression(expr, "expr"), _symbol(var)
    point = arguments.instance(point, "point", Point, "a Point")
    d = decide(lambda c: 2 * c[2], Expansion(expr, var, point, 2))
    if d.sign == 1:
        return d
    if d.sign == -1:
        raise InputError(f"{point.label} is a local maximum, not a minimum (f'' = {d.text(8)} < 0)")
    if d.sign == 0:
        raise InputError(
            f"{point.label} is a degenerate critical point (f'' = 0); the edge of stability needs f'' > 0"
        )
    raise InputError(f"could not certify f''({point.label}) > 0: {d.evidence()}")
