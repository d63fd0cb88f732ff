"""Taylor jets: the coefficients ``c_j = f^(j)(xb) / j!``, ``0 <= j <= order``, of an expression.

They are computed by truncated power-series arithmetic over the expression tree, with
python-flint doing the series arithmetic:

* **exact** (``fmpq_series``) when the point and every intermediate constant term are rational,
  e.g. polynomials and rational functions at rational points, or ``exp``/``sin``/``log`` where
  their argument takes the value 0 (or 1 for ``log``);
* **certified** (``arb_series``) otherwise: every coefficient is a ball that contains the true
  value, at a binary precision chosen by the caller (:func:`symbolic_eos.core.decide` raises it).

Closed forms by repeated sympy ``diff`` are only a bounded fallback used to *prove* a value is
exactly zero (:func:`symbolic_coefficients`); they are never on the hot path.

>>> from symbolic_eos.core.parse import parse_expression
>>> f = parse_expression("(x**2 - 1)**2/4")
>>> x = sorted(f.free_symbols, key=str)[0]
>>> [str(c) for c in exact_coefficients(f, x, Point.rational(1), 4)]
['0', '0', '1', '1', '1/4']
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from fractions import Fraction
from typing import Any, Callable, Iterator, Sequence

import sympy as sp
from flint import arb, arb_series, ctx, fmpq, fmpq_series, fmpz

from ..errors import DomainError, EosError, InputError

__all__ = [
    "Point",
    "Jet",
    "BeyondJet",
    "exact_coefficients",
    "ball_coefficients",
    "ball_int_power",
    "constant_enclosure",
    "LADDER",
    "rungs",
    "excludes_zero",
    "ball_sign",
    "ladder_sign",
    "NotRational",
    "Undetermined",
    "arb_to_fmpq",
    "series_length",
    "ball_function",
    "to_fmpq",
    "expansion_is_small",
    "symbolic_coefficients",
    "expression_size",
    "limit_fraction",
    "SymbolicCoefficients",
    "directional_coefficients",
    "exact_directional_coefficients",
    "float_function",
]


class NotRational(Exception):
    """Internal: the exact rational engine cannot represent this value (use balls instead).

    >>> x = sp.Symbol("x")
    >>> exact_coefficients(sp.sqrt(x), x, Point.from_constant(sp.Integer(2)), 2)
    Traceback (most recent call last):
    ...
    symbolic_eos.core.jets.NotRational: power
    """


class Undetermined(Exception):
    """Internal: a domain test (e.g. ``log`` of a positive number) cannot be decided at this
    precision; a higher precision may decide it.

    >>> x = sp.Symbol("x")
    >>> ball_coefficients(sp.log(x), x, arb(0, 1), 2, 64)
    Traceback (most recent call last):
    ...
    symbolic_eos.core.jets.Undetermined: log(...)
    """


#: The one ladder of binary precisions every sign (and every precision loop) climbs: each rung
#: doubles the last.  A caller takes a window of it (:func:`rungs`): where to start when fewer
#: bits cannot help, where to stop to bound the effort.
LADDER = tuple(64 << i for i in range(9))


def rungs(lowest: int = 64, highest: int = 2048) -> tuple[int, ...]:
    """The rungs of :data:`LADDER` from ``lowest`` to ``highest`` bits.

    >>> rungs(), rungs(128, 512)
    ((64, 128, 256, 512, 1024, 2048), (128, 256, 512))
    """
    return tuple(p for p in LADDER if lowest <= p <= highest)


def excludes_zero(ball: arb) -> bool:
    """Is ``0`` certainly not in ``ball`` (a finite ball, all of it above or below 0)?
    python-flint's comparisons are true only when certain.

    >>> excludes_zero(arb(1, 0.5)), excludes_zero(arb(1, 2)), excludes_zero(arb(0)), excludes_zero(arb("nan"))
    (True, False, False, False)
    """
    return bool(ball.is_finite() and (ball > 0 or ball < 0))


def ball_sign(ball: arb) -> int | None:
    """The sign of every number in ``ball``: 1 or -1 when it excludes 0, 0 when the ball is
    exactly 0 (radius 0: it holds one number), None otherwise.

    >>> ball_sign(arb(-2, 1)), ball_sign(arb(0)), ball_sign(arb(0, 1e-30))
    (-1, 0, None)

    >>> ball_sign(arb(2).sqrt() - arb("1.41421356", 1e-8)) is None  # undecided: the ball holds numbers of both signs
    True
    """
    if ball.is_zero():
        return 0
    if not excludes_zero(ball):
        return None
    return 1 if ball > 0 else -1


def ladder_sign(evaluate: Callable[[int], Any], precisions: Sequence[int],
                zero_is_proof: bool = True) -> tuple[int | None, arb | None, int | None]:
    """Climb ``precisions`` (a window of :data:`LADDER`) evaluating ``evaluate(prec)`` inside
    ``ctx.workprec(prec)`` until :func:`ball_sign` decides: ``(sign, ball, prec)``, or
    ``(None, last ball, None)``.  A precision where the value cannot be evaluated
    (:class:`Undetermined`, a division by a ball holding 0) is skipped; without
    ``zero_is_proof`` an exactly-0 ball decides nothing either (only a sign ends the climb).

    >>> ladder_sign(lambda prec: arb(2).sqrt() - 1, rungs())[:1], ladder_sign(lambda prec: arb(0, 1), (64,))
    ((1,), (None, [+/- 1.01], None))
    """
    last = None
    for prec in precisions:
        try:
            with ctx.workprec(prec):
                value = evaluate(prec)
        except (Undetermined, ZeroDivisionError):
            continue
        value = value if isinstance(value, arb) else arb(value)
        last = value
        sign = ball_sign(value)
        if sign is not None and (sign != 0 or zero_is_proof):
            return sign, value, prec
    return None, last, None


class BeyondJet(IndexError):
    """A Taylor coefficient was asked for beyond the order its jet is exact to: it is unknown
    (never zero), so whatever depends on it is undecided.

    >>> issubclass(BeyondJet, IndexError)
    True
    """


class Jet(tuple):
    """Taylor coefficients ``c_0, ..., c_order`` that are all known (exact or enclosed); asking
    for ``c_j`` with ``j > order`` raises :class:`BeyondJet` instead of inventing a zero.  Built
    from an ``iterable`` of coefficients, like a tuple.

    >>> j = Jet([1, 2, 3]); (j.order, j[2])
    (2, 3)
    >>> j[3]
    Traceback (most recent call last):
    ...
    symbolic_eos.core.jets.BeyondJet: the jet is known only to order 2; coefficient 3 is unknown
    """

    @property
    def order(self) -> int:
        return len(self) - 1

    def __getitem__(self, j):
        if isinstance(j, int) and j >= len(self):
            raise BeyondJet(f"the jet is known only to order {len(self) - 1}; coefficient {j} is unknown")
        return super().__getitem__(j)


@contextmanager
def series_length(n: int) -> Iterator[None]:
    """Let python-flint's series carry ``n`` terms: its ``ctx.cap`` (10 by default) silently
    truncates every ``fmpq_series``/``arb_series`` result whatever ``prec`` asks for, and a term
    dropped that way would read as a zero.

    >>> with series_length(20):
    ...     ctx.cap
    20
    """
    saved = ctx.cap
    ctx.cap = max(saved, n)
    try:
        yield
    finally:
        ctx.cap = saved


def _known_coefficients(s: arb_series | fmpq_series, n: int, zero: Callable[[Any], Any]) -> Jet:
    """The first ``n`` coefficients of a series result, as far as the series is known (its
    ``prec``); trailing zeros within ``prec`` are real zeros, beyond it nothing is known."""
    known = min(n, s.prec)
    coeffs = [zero(c) for c in s.coeffs()][:known]
    return Jet(coeffs + [zero(0)] * (known - len(coeffs)))


def to_fmpq(value: sp.Rational | int) -> fmpq:
    """The sympy rational (or Python int) ``value`` as a flint ``fmpq`` (exactly); any other value
    is a :class:`NotRational` naming it.

    >>> to_fmpq(sp.Rational(-2, 3)), to_fmpq(5)
    (-2/3, 5)
    >>> to_fmpq(sp.sqrt(2))
    Traceback (most recent call last):
    ...
    symbolic_eos.core.jets.NotRational: sqrt(2) is not a rational number
    """
    if isinstance(value, int):
        return fmpq(value)
    if isinstance(value, sp.Basic) and value.is_Rational:
        return fmpq(int(value.p), int(value.q))
    raise NotRational(f"{sp.sstr(value)} is not a rational number")


@dataclass(frozen=True)
class Point:
    """Where a jet is taken: an exact sympy number and/or a certified enclosure at any precision.

    ``label`` is how the point is shown; ``exact`` is its sympy value when known exactly;
    ``enclose(prec)`` gives a ball at ``prec`` bits; ``note`` explains a certified point (e.g.
    "within 1e-30 of the given value").

    >>> p = Point.from_constant(sp.sqrt(2))
    >>> p.label, p.as_fmpq, (p.enclosure(64) ** 2).contains(2)
    ('sqrt(2)', None, True)
    """

    label: str
    exact: sp.Expr | None
    enclose: Callable[[int], arb] = field(repr=False, compare=False)
    note: str = ""

    @staticmethod
    def rational(value: int | str | Fraction | sp.Expr, label: str | None = None) -> "Point":
        q = sp.Rational(value)
        return Point(label or str(q), q, lambda prec: arb(to_fmpq(q)))

    @staticmethod
    def from_constant(value: sp.Expr, label: str | None = None) -> "Point":
        """An exact point given by a constant expression (``sqrt(2)``, ``pi``, ``atanh(1/2)``)."""
        if value.is_Rational:
            return Point.rational(value, label)
        return Point(label or sp.sstr(value), value, lambda prec: constant_enclosure(value, prec))

    @property
    def as_fmpq(self) -> fmpq | None:
        return to_fmpq(self.exact) if self.exact is not None and self.exact.is_Rational else None

    def enclosure(self, prec: int) -> arb:
        with ctx.workprec(prec):
            return self.enclose(prec)


# ---------------------------------------------------------------------------------------------
# Series functions per engine.  Each takes a series and returns a series; domain errors are
# raised where the point is certainly outside the smooth real domain.


def _const(s):
    c = s.coeffs()
    return c[0] if c else 0


def _arb_positive(c: arb, what: str, strict_zero_ok: bool = False) -> None:
    """Certify ``c > 0`` for a smooth real branch of ``what``; raise if it certainly fails."""
    if c > 0:
        return
    if c < 0 or (c.is_zero() and not strict_zero_ok):
        raise DomainError(f"{what} is not real or not smooth at the point")
    raise Undetermined(what)


def _arb_nonzero(c: arb, what: str) -> None:
    if excludes_zero(c):
        return
    if c.is_zero():
        raise DomainError(f"{what} is not defined at the point (division by zero)")
    raise Undetermined(what)


def _arb_inside_unit(c: arb, what: str) -> None:
    if abs(c) < 1:
        return
    if abs(c) >= 1:
        raise DomainError(f"{what} is not real or not smooth at the point (argument outside (-1, 1))")
    raise Undetermined(what)


def _ball_function(name: str, s: arb_series) -> arb_series:
    c = _const(s)
    c = c if isinstance(c, arb) else arb(c)
    if name == "exp":
        return s.exp()
    if name == "log":
        _arb_positive(c, "log(...)")
        return s.log()
    if name == "sin":
        return s.sin()
    if name == "cos":
        return s.cos()
    if name == "tan":
        _arb_nonzero(c.cos(), "tan(...)")
        return s.tan()
    if name == "sinh":
        e = s.exp()
        return (e - e.inv()) / 2
    if name == "cosh":
        e = s.exp()
        return (e + e.inv()) / 2
    if name == "tanh":
        # 1 - 2/(exp(2u)+1) stays finite for large |u|, unlike sinh/cosh.
        return 1 - 2 / ((2 * s).exp() + 1)
    if name == "asin":
        _arb_inside_unit(c, "asin(...)")
        return s.asin()
    if name == "acos":
        _arb_inside_unit(c, "acos(...)")
        return s.acos()
    if name == "atan":
        return s.atan()
    if name == "erf":
        return s.erf()
    if name == "asinh":
        return (s + (s * s + 1).sqrt()).log()
    if name == "acosh":
        _arb_positive(c - 1, "acosh(...)")
        return (s + (s * s - 1).sqrt()).log()
    if name == "atanh":
        _arb_inside_unit(c, "atanh(...)")
        return ((1 + s).log() - (1 - s).log()) / 2
    raise InputError(f"unsupported function {name}")


_EXACT_AT_ZERO = {"exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "asin", "atan", "asinh", "atanh"}


def _rational_root(c: fmpq, q: int) -> fmpq | None:
    """The rational q-th root of c > 0, or None when it is irrational."""
    roots = []
    for part in (c.p, c.q):
        r = int(fmpz(part).root(q))
        if r**q != int(part):
            return None
        roots.append(r)
    return fmpq(*roots)


def _exact_function(name: str, s: fmpq_series) -> fmpq_series:
    c = fmpq(_const(s))
    if name in _EXACT_AT_ZERO and c == 0:
        return getattr(s, name)()
    if name == "log":
        if c <= 0:
            raise DomainError("log(...) is not real or not smooth at the point")
        if c == 1:
            return s.log()
    if name in ("asin", "acos", "atanh") and (c >= 1 or c <= -1):
        raise DomainError(f"{name}(...) is not real or not smooth at the point (argument outside (-1, 1))")
    if name == "acosh" and c <= 1:
        raise DomainError("acosh(...) is not real or not smooth at the point")
    raise NotRational(name)


def _exact_power(s: fmpq_series, e: sp.Rational) -> fmpq_series:
    c = fmpq(_const(s))
    if e.is_Integer:
        n = int(e)
        if n >= 0:
            return s**n
        if c == 0:
            raise DomainError("the loss has a pole at the point (division by zero)")
        return (s ** (-n)).inv()
    if c < 0:
        raise DomainError("a fractional power of a negative number is not real at the point")
    if c == 0:
        raise DomainError("a fractional power is not smooth where its base vanishes")
    root = _rational_root(c, int(e.q))
    if root is None:
        raise NotRational("power")
    # u**(p/q) = c**(p/q) * exp((p/q) log(u/c)), and u/c has constant term 1.
    # python-flint's stubs (0.9) omit series-by-fmpq arithmetic, which it supports
    return root ** int(e.p) * ((s / c).log() * to_fmpq(e)).exp()  # type: ignore[operator]


def _ball_power(s: arb_series, e: sp.Expr | arb_series, n: int) -> arb_series:
    """``s**e`` for a constant exponent ``e`` (sympy number) or a series exponent."""
    c = _const(s)
    c = c if isinstance(c, arb) else arb(c)
    if isinstance(e, sp.Expr) and e.is_Integer:
        k = int(e)
        if k >= 0:
            return s**k
        _arb_nonzero(c, "a negative power")
        return (s ** (-k)).inv()
    if isinstance(e, sp.Expr) and e == sp.Rational(1, 2):
        _arb_positive(c, "sqrt(...)")
        return s.sqrt()
    _arb_positive(c, "a non-integer power")
    exponent = e if isinstance(e, arb_series) else arb_series([arb(to_fmpq(e))], prec=n)
    return (exponent * s.log()).exp()


# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _plan(expr: sp.Expr, var: sp.Symbol | tuple | None) -> tuple:
    """The expression tree in evaluation order, shared subtrees once: ``(node, kind, data,
    children)``.  Leaves are the variable(s) (``var`` may be a tuple) and the subtrees free of
    them (with ``var=None``: the rationals and ``pi``, ``E`` of a constant).  Cached, so repeated
    evaluations (Newton steps, bisection boxes, GD iterations) skip the sympy tree walk."""
    order: list = []
    index: dict = {}
    variables = frozenset(var if isinstance(var, tuple) else () if var is None else (var,))

    def visit(node: sp.Expr) -> int:
        hit = index.get(node)
        if hit is not None:
            return hit
        entry: tuple[sp.Expr, str, Any, tuple[int, ...]]
        if node in variables:
            entry = (node, "var", None, ())
        elif (variables and not (node.free_symbols & variables)) or (
            not variables and (node.is_Rational or node in _CONSTANT_LEAVES)
        ):
            entry = (node, "leaf", None, ())
        elif node.is_Add or node.is_Mul:
            entry = (node, "add" if node.is_Add else "mul", None, tuple(visit(a) for a in node.args))
        elif node.is_Pow:
            base, e = node.args
            if e.is_Rational:
                entry = (node, "pow", e, (visit(base),))
            else:
                entry = (node, "powx", None, (visit(base), visit(e)))
        elif isinstance(node, sp.Function) and len(node.args) == 1:
            entry = (node, "func", type(node).__name__, (visit(node.args[0]),))
        elif node.is_Symbol:
            raise InputError(f"unexpected free variable {node}")
        else:
            raise InputError(f"unsupported expression {sp.sstr(node)[:60]}")
        order.append(entry)
        index[node] = len(order) - 1
        return index[node]

    visit(expr)
    return tuple(order)


def _walk(expr: sp.Expr, var: sp.Symbol | tuple | None, leaf: Callable[[sp.Expr], Any], power: Callable[[Any, Any], Any],
          function: Callable[[str, Any], Any] | None) -> Any:
    """Evaluate ``expr`` bottom-up: ``leaf(node)`` gives the value of the variable and of
    constant subtrees, ``power(base, e)`` and ``function(name, u)`` the rest."""
    values: list = []
    for node, kind, data, kids in _plan(expr, var):
        if kind == "var" or kind == "leaf":
            out = leaf(node)
        elif kind == "add" or kind == "mul":
            out = values[kids[0]]
            for k in kids[1:]:
                out = out + values[k] if kind == "add" else out * values[k]
        elif kind == "pow":
            out = power(values[kids[0]], data)
        elif kind == "powx":
            out = power(values[kids[0]], values[kids[1]])
        else:
            assert function is not None, "only a polynomial (no function nodes) is walked without a function evaluator"
            out = function(data, values[kids[0]])
        values.append(out)
    return values[-1]


def exact_coefficients(expr: sp.Expr, var: sp.Symbol, point: Point, order: int) -> tuple[fmpq, ...]:
    """Exact Taylor coefficients ``f^(j)(xb)/j!``, ``j <= order``, of ``expr`` in ``var`` at the
    rational ``point`` as ``fmpq``; raises :class:`NotRational` when some intermediate value is
    irrational (then use :func:`ball_coefficients`).

    >>> x = sp.Symbol("x")
    >>> exact_coefficients((x**2 - 1)**2 / 4, x, Point.rational(1), 4)
    (0, 0, 1, 1, 1/4)

    >>> exact_coefficients(sp.exp(x), x, Point.rational(1), 2)  # e is irrational
    Traceback (most recent call last):
    ...
    symbolic_eos.core.jets.NotRational: exp
    """
    xb = point.as_fmpq
    if xb is None:
        raise NotRational("point")
    return exact_directional_coefficients(expr, (var,), (xb,), (fmpq(1),), order)


def ball_coefficients(
    expr: sp.Expr, var: sp.Symbol, centre: arb, order: int, prec: int
) -> tuple[arb, ...]:
    """Certified Taylor coefficients of ``expr`` in ``var`` up to ``order`` at ``centre`` (an
    ``arb``; a wide ball gives enclosures over the whole interval) at ``prec`` bits.  Raises
    :class:`DomainError` when the loss is certainly not real/smooth there,
    :class:`Undetermined` when that cannot be decided at this precision.

    >>> x = sp.Symbol("x")
    >>> with ctx.workprec(64):
    ...     ball_coefficients(sp.exp(x), x, arb(0), 3, 64)[3].contains(arb(1) / 6)
    True

    >>> ball_coefficients(sp.log(x), x, arb(-1), 2, 64)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.DomainError: log(...) is not real or not smooth at the point
    """
    return directional_coefficients(expr, (var,), (centre,), (arb(1),), order, prec)


_CONSTANT_LEAVES = {sp.pi: arb.pi, sp.E: lambda: arb(1).exp()}


@lru_cache(maxsize=4096)
def constant_enclosure(value: sp.Expr, prec: int) -> arb:
    """A certified ball for a real constant expression (``sqrt(2)``, ``atanh(1/2)``, ``pi``),
    cached per precision (balls are immutable). When a domain test inside cannot be decided at
    ``prec`` bits (``log(sin(10**6 pi))``: a ball around 0 is neither positive nor negative), the
    ball is ``nan``, which no comparison certifies, so what rests on it stays undecided.

    >>> constant_enclosure(sp.sqrt(2), 64).str(10)
    '[1.414213562 +/- 3.74e-10]'
    >>> unknown = constant_enclosure(sp.log(sp.sin(sp.pi * 10**6, evaluate=False), evaluate=False), 64)
    >>> unknown.is_finite(), unknown > 0, unknown < 0
    (False, False, False)
    """

    def leaf(node):
        if node.is_Rational:
            return arb_series([arb(to_fmpq(node))], prec=1)
        return arb_series([_CONSTANT_LEAVES[node]()], prec=1)

    with ctx.workprec(prec):
        try:
            return arb(_const(_walk(value, None, leaf, lambda base, e: _ball_power(base, e, 1), _ball_function)))
        except Undetermined:
            return arb.nan()


# ---------------------------------------------------------------------------------------------


#: Above this many terms after expansion, a closed form is not expanded.
EXPAND_TERMS_LIMIT = 2000


def expansion_is_small(value: sp.Expr, limit: int = EXPAND_TERMS_LIMIT) -> bool:
    """An upper bound on the number of terms ``sp.expand(value)`` can produce stays below
    ``limit`` (so expanding ``(x + y + 1)**100``, 5151 terms, is never attempted).

    >>> x, y = sp.symbols("x y")
    >>> expansion_is_small((x + 1)**3), expansion_is_small((x + y + 1)**100), expansion_is_small((x + 1)**10, limit=5)
    (True, False, False)
    """

    def terms(node: sp.Expr) -> int:
        if node.is_Add:
            return sum(terms(a) for a in node.args)
        if node.is_Mul:
            out = 1
            for a in node.args:
                out *= terms(a)
                if out > limit:
                    return limit + 1
            return out
        if node.is_Pow and node.exp.is_Integer and node.exp > 0:
            n, k = terms(node.base), int(node.exp)
            return math.comb(n + k - 1, k) if n > 1 else 1
        return 1

    return terms(value) <= limit


#: Size bound (sympy ``count_ops``) for the symbolic fallback; past it, no closed form is tried.
SYMBOLIC_OPS_LIMIT = 4000


def symbolic_coefficients(
    expr: sp.Expr, var: sp.Symbol, point: Point, order: int, ops_limit: int = SYMBOLIC_OPS_LIMIT
) -> "SymbolicCoefficients":
    """Closed forms of ``f^(j)(xb)/j!``, ``j <= order``, of ``expr`` in ``var`` at ``point``, by
    repeated ``diff`` (the naive route), computed lazily up to the index asked for while a closed
    form stays under ``ops_limit`` operations.  Used only to prove exact zeros.

    >>> x = sp.Symbol("x")
    >>> s = symbolic_coefficients(sp.exp(x), x, Point.from_constant(sp.Integer(1)), 4, ops_limit=4000)
    >>> s[2], s[4]
    (E/2, E/24)

    A closed form over ``ops_limit`` is refused rather than built:

    >>> symbolic_coefficients(sp.exp(sp.exp(sp.exp(x))), x, Point.from_constant(sp.Integer(1)), 6, ops_limit=50)[6]
    Traceback (most recent call last):
    ...
    IndexError: closed form of order 3 exceeds the size bound
    """
    return SymbolicCoefficients(expr, var, point.exact, order, ops_limit)


class SymbolicCoefficients:
    """A lazy sequence of closed-form Taylor coefficients ``f^(j)(at)/j!`` of ``expr`` in ``var``,
    ``j <= order``, each by ``diff`` while its size stays under ``ops_limit``.  Asking past the size
    bound raises :class:`IndexError` (the caller then has no closed form: the value stays undecided).

    >>> x = sp.Symbol("x")
    >>> s = SymbolicCoefficients(sp.exp(x), x, sp.Integer(1), order=4, ops_limit=4000)
    >>> s[2], len(s)
    (E/2, 5)
    """

    def __init__(self, expr: sp.Expr, var: sp.Symbol, at: sp.Expr, order: int, ops_limit: int) -> None:
        self._derivative, self._var, self._at = expr, var, at
        self._order, self._ops_limit = order, ops_limit
        self._values: list[sp.Expr] = []

    def __len__(self) -> int:
        return self._order + 1 if self._at is not None else 0

    def __bool__(self) -> bool:
        return self._at is not None

    def __getitem__(self, j: int) -> sp.Expr:
        if not 0 <= j < len(self):
            raise IndexError(j)
        while len(self._values) <= j:
            k = len(self._values)
            if sp.count_ops(self._derivative) > self._ops_limit:
                raise IndexError(f"closed form of order {k} exceeds the size bound")
            value = self._derivative.subs(self._var, self._at)
            if expansion_is_small(value):
                value = sp.expand(value)
            self._values.append(value / math.factorial(k) if k else value)
            self._derivative = sp.diff(self._derivative, self._var)
        return self._values[j]


def limit_fraction(x: arb, max_denominator: int = 1000) -> fmpq:
    """The simplest rational with denominator at most ``max_denominator`` near the midpoint of
    ``x`` (a candidate, to be proved exactly).

    >>> limit_fraction(arb("0.3333333333333333333"), max_denominator=10)
    1/3

    >>> limit_fraction(arb("nan"))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: not an exact finite number
    """
    mid = arb_to_fmpq(x.mid())
    f = Fraction(int(mid.p), int(mid.q)).limit_denominator(max_denominator)
    return fmpq(f.numerator, f.denominator)


def arb_to_fmpq(x: arb) -> fmpq:
    """The exact rational value of an exact ball ``x`` (radius 0), e.g. a midpoint or an endpoint.

    >>> arb_to_fmpq(arb(3) / 4)
    3/4

    >>> arb_to_fmpq(arb(1, 0.5))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: not an exact finite number
    """
    if not (x.is_finite() and x.rad() == 0):
        raise InputError("not an exact finite number")
    man, exp = x.man_exp()
    return fmpq(int(man)) * (fmpq(2) ** int(exp) if exp >= 0 else fmpq(1, 2 ** int(-exp)))


def expression_size(expr: sp.Expr, var: sp.Symbol | None) -> int:
    """The number of distinct nodes evaluated per evaluation of ``expr`` in ``var`` (None: a constant).

    >>> x = sp.Symbol("x")
    >>> expression_size(sp.sin(x)**2 + sp.sin(x), x), expression_size(sp.pi**2 + 1, var=None)
    (4, 4)

    A constant (``var=None``) has no variable in it:

    >>> expression_size(x + 1, var=None)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: unexpected free variable x
    """
    return len(_plan(expr, var))


_NUMPY_FUNCTIONS = {
    "exp": "exp", "log": "log", "sin": "sin", "cos": "cos", "tan": "tan", "sinh": "sinh", "cosh": "cosh",
    "tanh": "tanh", "asin": "arcsin", "acos": "arccos", "atan": "arctan", "asinh": "arcsinh",
    "acosh": "arccosh", "atanh": "arctanh",
}


def float_function(expr: sp.Expr, var: sp.Symbol) -> Callable[[Any], Any]:
    """A vectorised float64 evaluator of ``expr`` in ``var`` (numpy), for pictures and
    simulations only: floats decide nothing in this package.

    >>> import numpy as np
    >>> x = sp.Symbol("x")
    >>> float_function(x**2, x)(np.array([1.0, 2.0])).tolist()
    [1.0, 4.0]

    >>> float_function(sp.Max(x, 1), x)(1.0)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: unsupported expression Max(1, x)
    """
    import numpy as np

    erf = np.vectorize(math.erf, otypes=[float])

    def evaluate(values):
        values = np.asarray(values, dtype=float)

        def leaf(node):
            return values if node == var else float(constant_enclosure(node, 64).mid())

        def function(name, u):
            return erf(u) if name == "erf" else getattr(np, _NUMPY_FUNCTIONS[name])(u)

        def power(base, e):
            return np.power(base, float(e) if isinstance(e, sp.Expr) else e)

        with np.errstate(all="ignore"):
            out = _walk(expr, var, leaf, power, function)
        return np.broadcast_to(out, values.shape).astype(float)

    return evaluate


def ball_int_power(base: arb, n: int) -> arb:
    """``base ** n`` for an integer ``n`` by repeated squaring: python-flint's ``**`` on a ball
    that contains 0 returns nan (it goes through exp and log), which certifies nothing.

    >>> ball_int_power(arb(0, 1), 2).contains(arb(0.25)), ball_int_power(arb(-2), 3)
    (True, -8.00000000000000)
    """
    if n < 0:
        return 1 / ball_int_power(base, -n)
    result, square = arb(1), base
    while n:
        if n & 1:
            result *= square
        n >>= 1
        if n:
            square *= square
    return result


def ball_function(expr: sp.Expr, var: sp.Symbol | tuple) -> Callable[[Any], arb]:
    """A fast scalar evaluator ``x -> f(x)`` of ``expr`` in ``var`` on ``arb`` balls (an enclosure
    of the range over the ball; ``nan`` outside the real domain).  For long iterations, where the
    Taylor engine's series would be wasted; call it inside ``ctx.workprec``.  With a tuple of
    variables, call it with a tuple of balls.

    >>> x, y = sp.symbols("x y")
    >>> with ctx.workprec(64):
    ...     ball_function(x**2 - 1, x)(arb(3)), ball_function(sp.log(x), x)(arb(-1)), ball_function(x * y, (x, y))((arb(2), arb(3)))
    (8.00000000000000000, nan, 6.00000000000000000)

    >>> ball_function(sp.Max(x, 1), x)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: unsupported expression Max(1, x)
    """
    variables = var if isinstance(var, tuple) else (var,)

    def evaluate(x: Any) -> arb:
        prec = ctx.prec
        values = dict(zip(variables, x if isinstance(var, tuple) else (x,), strict=True))

        def leaf(node):
            hit = values.get(node)
            return hit if hit is not None else constant_enclosure(node, prec)

        def power(base, e):
            if isinstance(e, sp.Expr):
                return ball_int_power(base, int(e)) if e.is_Integer else base ** arb(to_fmpq(e))
            return ball_int_power(base, e) if isinstance(e, int) else base**e

        def function(name, u):
            return getattr(u if isinstance(u, arb) else arb(u), name)()

        return _walk(expr, var, leaf, power, function)

    _plan(expr, var)  # fail early on an unsupported expression
    return evaluate


def directional_coefficients(
    expr: sp.Expr, variables: tuple, centre: Sequence[arb], direction: Sequence[arb], order: int, prec: int
) -> Jet:
    """Certified Taylor coefficients of ``t -> f(centre + t direction)`` (a cross-section of the
    loss ``expr`` in several ``variables``), up to ``order`` at ``prec`` bits; ``centre`` and
    ``direction`` are ``arb`` balls.

    >>> x, y = sp.symbols("x y")
    >>> with ctx.workprec(64):
    ...     list(directional_coefficients(x**2 + y**2, (x, y), [arb(1), arb(0)], [arb(0), arb(1)], 2, prec=64))
    [1.00000000000000000, 0, 1.00000000000000000]

    A centre ball on both sides of ``x = 0`` leaves ``log`` undecided at this precision:

    >>> with ctx.workprec(64):
    ...     directional_coefficients(sp.log(x) + y, (x, y), [arb(0, 1), arb(0)], [arb(1), arb(0)], 2, prec=64)
    Traceback (most recent call last):
    ...
    symbolic_eos.core.jets.Undetermined: log(...)
    """
    n = order + 1
    with ctx.workprec(prec), series_length(n):
        lines = {v: arb_series([+c, +d], prec=n) for v, c, d in zip(variables, centre, direction, strict=True)}

        def leaf(node):
            hit = lines.get(node)
            return hit if hit is not None else arb_series([constant_enclosure(node, prec)], prec=n)

        try:
            s = _walk(expr, tuple(variables), leaf, lambda base, e: _ball_power(base, e, n), _ball_function)
        except EosError:
            raise
        except ValueError as exc:
            raise Undetermined(str(exc)) from None
        return _known_coefficients(s, n, arb)


def exact_directional_coefficients(
    expr: sp.Expr, variables: tuple, centre: tuple, direction: tuple, order: int
) -> Jet:
    """Exact rational coefficients of ``t -> f(centre + t direction)`` for the loss ``expr`` in
    ``variables`` up to ``order`` (rational ``centre`` and ``direction``); raises
    :class:`NotRational` otherwise.

    >>> x, y = sp.symbols("x y")
    >>> exact_directional_coefficients(x**2 + x*y, (x, y), (fmpq(1), fmpq(0)), (fmpq(1), fmpq(1)), order=2)
    (1, 3, 2)
    >>> exact_directional_coefficients(sp.sqrt(x), (x, y), (fmpq(2), fmpq(0)), (fmpq(1), fmpq(1)), order=2)
    Traceback (most recent call last):
    ...
    symbolic_eos.core.jets.NotRational: power
    """
    n = order + 1
    lines = {v: fmpq_series([c, d], prec=n) for v, c, d in zip(variables, centre, direction, strict=True)}

    def leaf(node):
        hit = lines.get(node)
        if hit is not None:
            return hit
        if node.is_Rational:
            return fmpq_series([to_fmpq(node)], prec=n)
        raise NotRational(sp.sstr(node))

    def power(base, e):
        if isinstance(e, sp.Expr):
            return _exact_power(base, e)
        raise NotRational("power")

    with series_length(n):
        s = _walk(expr, tuple(variables), leaf, power, _exact_function)
    return _known_coefficients(s, n, fmpq)
