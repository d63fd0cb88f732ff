"""Exact Taylor jets with algebraic coefficients, at points where the rational engine gives up.

The rational engine (:func:`symbolic_eos.core.jets.exact_coefficients`) needs every intermediate
constant term to be rational.  Many exact points are not rational but the *values* that the
Taylor coefficients depend on are: at ``xb = pi/4`` the jet of ``tan`` needs only
``tan(pi/4) = 1`` (``tan' = 1 + tan^2``), at ``atanh(1/2)`` the jet of ``tanh`` only
``tanh = 1/2``, at ``log 2`` the jet of ``exp`` only ``exp = 2``.  Write every node of the
expression at ``xb + t`` as ``v + U(t)``: a constant term ``v`` (any exact sympy constant, e.g.
``pi/4`` or ``atan(1/2)``) and a tail ``U`` with ``U(0) = 0``.  The tail is computed exactly by
the addition formulas, which need only a few *values* at the point:

* ``exp(v + U) = e^v exp(U)``; ``sin(v + U) = sin v cos U + cos v sin U`` (and ``cos``);
  ``tan(v + U) - tan v = (1 + tan^2 v) tan U / (1 - tan v tan U)``; ``tanh`` likewise with
  ``1 - tanh^2 v``; ``sinh``, ``cosh`` from ``sinh v``, ``cosh v``;
* ``log(v + U) - log v = log(1 + U/v)``; ``atan(v + U) - atan v = atan(U / (1 + v^2 + v U))``;
  ``atanh`` with ``1 - v^2 - v U``; ``asin``, ``acos``, ``asinh``, ``acosh`` by integrating
  ``U' / sqrt(1 -+ (v + U)^2)``, which needs ``sqrt(1 -+ v^2)``; powers
  ``(v + U)^e = v^e (1 + U/v)^e``;
* products ``(a + A)(b + B)`` need ``a`` when ``B != 0`` and ``b`` when ``A != 0``.

Each value needed must be an element of the real multiquadratic field
``Q(sqrt 2, sqrt 3, sqrt 5, ...)`` (:class:`Surd`: rationals and sums of rational multiples of
square roots of square-free integers): sympy evaluates the function at the exact constant
(``tan(pi/4) -> 1``, ``cos(pi/6) -> sqrt(3)/2``, ``exp(log(2)) -> 2``) and the result is read
into the field by exact structural arithmetic; when it is not in the field (``sin(1/2)``, a
nested radical), :class:`NotAlgebraic` is raised and the caller uses balls.  Zero tests are
exact: square roots of distinct square-free integers are linearly independent over ``Q``
(Besicovitch), so an element is zero iff all its coefficients are; the sign of a non-zero
element is certified by a ball.

Before the walk, compositions of a function with its inverse are replaced by what they equal
*near the point*, under the branch condition certified there (:func:`local_inverses`):
``asin(sin(u)) = u`` near ``|u| < pi/2``, ``acosh(cosh(u)) = -u`` near ``u < 0``, ...

>>> from symbolic_eos.core.parse import parse_constant, parse_expression
>>> from symbolic_eos.core.jets import Point
>>> f = parse_expression("tan(x)")
>>> x = sorted(f.free_symbols, key=str)[0]
>>> [str(c) for c in algebraic_coefficients(f, x, Point.from_constant(parse_constant("pi/4")), 3)]
['1', '2', '2', '8/3']
>>> [str(c) for c in algebraic_coefficients(parse_expression("sin(x)"), x, Point.from_constant(parse_constant("pi/3")), 2)]
['sqrt(3)/2', '1/2', '-sqrt(3)/4']
"""

from __future__ import annotations

import math
from functools import lru_cache

import sympy as sp
from flint import arb, ctx, fmpq, fmpq_series, fmpz

from ..errors import DomainError, EosError
from .jets import (
    Jet,
    NotRational,
    Point,
    _walk,
    arb_to_fmpq,
    ball_coefficients,
    constant_enclosure,
    ladder_sign,
    rungs,
    series_length,
)
from typing import Any, Iterable, Never

__all__ = [
    "Surd",
    "Transcendental",
    "to_surd",
    "algebraic_coefficients",
    "local_inverses",
    "compose_coefficients",
    "has_inverse_pair",
    "INVERSE_OUTER",
    "NotAlgebraic",
]


class NotAlgebraic(NotRational):
    """Internal: a value the jet needs is not in the field of :class:`Surd` (use balls).

    >>> import sympy as sp
    >>> from symbolic_eos.core.jets import Point
    >>> x = sp.Symbol("x")
    >>> algebraic_coefficients(sp.exp(x), x, Point.from_constant(sp.Integer(1)), 2)
    Traceback (most recent call last):
    ...
    symbolic_eos.core.algebraic.NotAlgebraic: exp of a non-zero algebraic number is transcendental
    """


#: Radicands (numerator times denominator) above this are not factored: no square root is
#: taken of them (factoring large integers could take unbounded time).
MAX_RADICAND = 2**64
#: An element with more square-root terms than this is not handled (the cost of a product grows
#: with the square of the number of terms).
MAX_TERMS = 16
#: Constants with more nodes than this are not evaluated symbolically.
MAX_CONSTANT_OPS = 200
#: ``exp`` (and sinh, cosh, tanh) is evaluated symbolically only for arguments below this in
#: size: sympy turns ``exp(n log 2)`` into the integer ``2**n``.
MAX_EXP_ARGUMENT = 512
#: The window of the one precision ladder (:data:`~symbolic_eos.core.jets.LADDER`) for the sign of
#: a non-zero element: one rung above the default, since the element is known to be non-zero.
SIGN_PRECISIONS = rungs(64, 4096)


# ---------------------------------------------------------------------------------------------
# The field: rationals and sums of rational multiples of square roots of square-free integers.


@lru_cache(maxsize=4096)
def _square_free(n: int) -> tuple[int, int]:
    """``n = m^2 k`` with ``k`` square-free: returns ``(m, k)`` (``0 < n <= MAX_RADICAND``)."""
    m, k = 1, 1
    for prime, e in fmpz(n).factor():
        p = int(prime)
        m *= p ** (int(e) // 2)
        if int(e) % 2:
            k *= p
    return m, k


@lru_cache(maxsize=4096)
def _smallest_prime(k: int) -> int:
    return int(fmpz(k).factor()[0][0])


def _coerce(value: Surd | int | fmpz | fmpq) -> "Surd":
    if isinstance(value, Surd):
        return value
    if isinstance(value, (int, fmpz)):
        return Surd({1: fmpq(int(value))} if value else {})
    if isinstance(value, fmpq):
        return Surd({1: value} if value != 0 else {})
    raise TypeError(f"not a field element: {type(value).__name__}")


def _key_product(s: int, t: int) -> tuple[int, int]:
    """``sqrt(s) sqrt(t) = g sqrt(k)`` for square-free ``s, t``: returns ``(g, k)``."""
    g = math.gcd(s, t)
    return g, (s // g) * (t // g)


def _accumulate(terms: dict, key: Any, value: Any) -> None:
    """Add ``value`` to ``terms[key]``, keeping no zero coefficients (so equality is exact)."""
    total = terms.get(key, 0) + value
    if total == 0:
        terms.pop(key, None)
    else:
        terms[key] = total



def _power_by_squaring(base: Any, n: int, one: Any) -> Any:
    """``base ** n`` for ``n >= 0`` in O(log n) products of a type that only multiplies.

    >>> _power_by_squaring(3, 5, 1)
    243
    """
    result, square = one, base
    while n:
        if n & 1:
            result = result * square
        n >>= 1
        if n:
            square = square * square
    return result

class Surd:
    """An element of the real field ``Q(sqrt 2, sqrt 3, sqrt 5, ...)``: ``sum_k q_k sqrt(k)``
    over distinct square-free ``k >= 1`` with rational ``q_k != 0`` (``terms``).  Arithmetic is
    exact; ``is_zero`` is exact (the square roots are linearly independent over ``Q``).

    >>> r2 = Surd.sqrt(fmpq(2))
    >>> (r2 * r2).as_fmpq(), (1 / (1 + r2)).to_sympy(), (r2 - r2).is_zero
    (2, -1 + sqrt(2), True)
    """

    __slots__ = ("terms",)

    def __init__(self, terms: dict) -> None:
        if len(terms) > MAX_TERMS:
            raise NotAlgebraic("too many square roots")
        self.terms = terms

    @staticmethod
    def rational(q: int | fmpz | fmpq) -> "Surd":
        """A rational (``int`` or ``fmpq``) as a field element."""
        return _coerce(q)

    @staticmethod
    def sqrt(q: fmpq) -> "Surd":
        """The positive square root of a rational ``q >= 0``; :class:`NotAlgebraic` when its
        radicand is too large to factor."""
        if q < 0:
            raise NotAlgebraic("square root of a negative number")
        if q == 0:
            return Surd({})
        n = int(q.p) * int(q.q)
        if n > MAX_RADICAND:
            root = fmpz(n).isqrt()
            if root * root != n:
                raise NotAlgebraic("radicand too large to factor")
            return Surd({1: fmpq(int(root), int(q.q))})
        m, k = _square_free(n)
        return Surd({k: fmpq(m, int(q.q))})

    # -- arithmetic ------------------------------------------------------------------------
    def __add__(self, other):
        try:
            other = _coerce(other)
        except TypeError:
            return NotImplemented
        out = dict(self.terms)
        for k, q in other.terms.items():
            _accumulate(out, k, q)
        return Surd(out)

    __radd__ = __add__

    def __neg__(self):
        return Surd({k: -q for k, q in self.terms.items()})

    def __pos__(self):
        return self

    def __sub__(self, other):
        try:
            other = _coerce(other)
        except TypeError:
            return NotImplemented
        return self + (-other)

    def __rsub__(self, other):
        return _coerce(other) - self

    def __mul__(self, other):
        try:
            other = _coerce(other)
        except TypeError:
            return NotImplemented
        out: dict = {}
        for s, a in self.terms.items():
            for t, b in other.terms.items():
                g, k = _key_product(s, t)
                _accumulate(out, k, a * b * g)
        return Surd(out)

    __rmul__ = __mul__

    def inverse(self) -> "Surd":
        """``1/x`` by conjugation: with a prime ``p`` of some radicand, ``x = a + b sqrt(p)``
        (``a``, ``b`` free of ``p``) and ``1/x = (a - b sqrt(p)) / (a^2 - p b^2)``, whose
        denominator has one prime fewer; it is non-zero because ``x`` is."""
        if not self.terms:
            raise ZeroDivisionError("division by an exact zero")
        if self.is_rational:
            return Surd({1: 1 / self.terms[1]})
        p = _smallest_prime(next(k for k in self.terms if k != 1))
        a = Surd({k: q for k, q in self.terms.items() if k % p})
        b = Surd({k // p: q for k, q in self.terms.items() if k % p == 0})
        conjugate = a - b * Surd({p: fmpq(1)})
        return conjugate * (a * a - b * b * p).inverse()

    def __truediv__(self, other):
        try:
            other = _coerce(other)
        except TypeError:
            return NotImplemented
        return self * other.inverse()

    def __rtruediv__(self, other):
        return _coerce(other) * self.inverse()

    def __pow__(self, n):
        if not isinstance(n, int):
            return NotImplemented
        if n < 0:
            return self.inverse() ** (-n)
        return _power_by_squaring(self, n, Surd({1: fmpq(1)}))

    # -- inspection ------------------------------------------------------------------------
    @property
    def is_zero(self) -> bool:
        return not self.terms

    @property
    def is_rational(self) -> bool:
        return not self.terms or set(self.terms) == {1}

    def as_fmpq(self) -> fmpq:
        if not self.is_rational:
            raise NotAlgebraic("not rational")
        return self.terms.get(1, fmpq(0))

    def to_sympy(self) -> sp.Expr:
        return sp.Add(*[sp.Rational(int(q.p), int(q.q)) * (sp.sqrt(k) if k != 1 else 1) for k, q in sorted(self.terms.items())])

    def enclosure(self, prec: int) -> arb:
        """A ball containing the value, at ``prec`` bits."""
        with ctx.workprec(prec):
            out = arb(0)
            for k, q in self.terms.items():
                out += arb(q) * (arb(k).sqrt() if k != 1 else 1)
            return out

    def sign(self) -> int | None:
        """The exact sign: 0 iff the element is zero; else certified by a ball (None only if
        even :data:`SIGN_PRECISIONS` cannot separate it from 0)."""
        if not self.terms:
            return 0
        if self.is_rational:
            return 1 if self.terms[1] > 0 else -1
        return ladder_sign(self.enclosure, SIGN_PRECISIONS)[0]

    def __repr__(self) -> str:
        return f"Surd({sp.sstr(self.to_sympy())})"

    def __str__(self) -> str:
        return sp.sstr(self.to_sympy())


class Transcendental:
    """A constant term known exactly (a sympy expression) but not in the field, e.g.
    ``f(xb) = 1 - pi/4``: any arithmetic on it raises :class:`NotAlgebraic`, so a quantity
    that needs it falls back to balls.  ``value`` is the sympy constant.

    >>> t = Transcendental(1 - sp.pi / 4)
    >>> t.value, t + 1
    Traceback (most recent call last):
    ...
    symbolic_eos.core.algebraic.NotAlgebraic: a transcendental constant term
    """

    __slots__ = ("value",)

    def __init__(self, value: sp.Expr) -> None:
        self.value = value

    def _fail(self, *args: object) -> Never:
        # No printing here: this is the common, cheap way out of the exact route.
        raise NotAlgebraic("a transcendental constant term")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _fail
    __truediv__ = __rtruediv__ = __pow__ = __neg__ = __pos__ = _fail

    def __repr__(self) -> str:
        return f"Transcendental({sp.sstr(self.value)})"

    __str__ = __repr__


def to_surd(value: sp.Expr) -> Surd | None:
    """The exact field element equal to ``value``, a sympy constant built from rationals with
    ``+ - * /``, integer powers and square roots of positive rationals; None otherwise.  This is
    structural evaluation, never numerical: ``sqrt(2)*sqrt(3) - sqrt(6)`` gives exactly 0.

    >>> to_surd(sp.sqrt(8) / 2 + sp.Rational(1, 3)), to_surd(sp.pi), to_surd(sp.sqrt(1 + sp.sqrt(2)))
    (Surd(1/3 + sqrt(2)), None, None)

    >>> to_surd(sp.exp(1)) is None  # refused: e is transcendental, not in the field
    True
    """
    try:
        return _to_surd(value)
    except (NotAlgebraic, ZeroDivisionError):
        return None


def _to_surd(node: Surd | sp.Expr) -> Surd:
    if isinstance(node, Surd):
        return node
    if node.is_Rational:
        return _coerce(fmpq(int(node.p), int(node.q)))
    if node.is_Add or node.is_Mul:
        parts = [_to_surd(a) for a in node.args]
        out = parts[0]
        for p in parts[1:]:
            out = out + p if node.is_Add else out * p
        return out
    if node.is_Pow and node.exp.is_Rational:
        base, e = node.args
        if e.is_Integer:
            if abs(int(e)) > 10**4:
                raise NotAlgebraic("exponent too large")
            return _to_surd(base) ** int(e)
        if base.is_Rational and base > 0 and abs(int(e.p)) <= 10**4:
            q = fmpq(int(base.p), int(base.q))
            if e.q == 2:
                return Surd.sqrt(q) ** int(e.p)
            r = _rational_root(q, int(e.q))
            if r is not None:
                return _coerce(r) ** int(e.p)
    raise NotAlgebraic(type(node).__name__)


def _rational_root(c: fmpq, q: int) -> fmpq | None:
    roots = []
    for part in (int(c.p), int(c.q)):
        r = int(fmpz(part).root(q))
        if r**q != part:
            return None
        roots.append(r)
    return fmpq(*roots)


def _as_sympy(value: Surd | sp.Expr) -> sp.Expr:
    return value.to_sympy() if isinstance(value, Surd) else value


def _positive(value: Surd) -> bool:
    """``value > 0``, certified (exact zero test, then a ball)."""
    return value.sign() == 1


# ---------------------------------------------------------------------------------------------
# Power series over the field: {square-free k: fmpq_series}, meaning sum_k sqrt(k) S_k(t).


class SurdSeries:
    """A truncated power series ``sum_k sqrt(k) S_k(t)`` with rational series ``S_k`` of
    ``n`` terms (python-flint ``fmpq_series``, exact).  Build and use it inside
    :func:`symbolic_eos.core.jets.series_length` so that python-flint keeps all ``n`` terms."""

    __slots__ = ("parts", "n")

    def __init__(self, parts: dict, n: int) -> None:
        if len(parts) > MAX_TERMS:
            raise NotAlgebraic("too many square roots")
        self.parts, self.n = parts, n

    @staticmethod
    def from_coefficients(coefficients: Iterable[Surd | int | fmpq], n: int) -> "SurdSeries":
        """The series with the given field elements (or rationals) as coefficients."""
        rows: dict = {}
        for j, c in enumerate(coefficients):
            for k, q in _coerce(c).terms.items():
                rows.setdefault(k, [fmpq(0)] * n)[j] = q
        return SurdSeries({k: fmpq_series(v, prec=n) for k, v in rows.items()}, n)

    @staticmethod
    def rational(s: fmpq_series, n: int) -> "SurdSeries":
        return SurdSeries({1: s} if s.coeffs() else {}, n)

    @property
    def is_zero(self) -> bool:
        return not self.parts

    @property
    def is_rational(self) -> bool:
        return set(self.parts) <= {1}

    def _rat(self) -> fmpq_series:
        return self.parts.get(1, fmpq_series([], prec=self.n))

    def coefficient(self, j: int) -> Surd:
        out = {}
        for k, s in self.parts.items():
            c = s.coeffs()
            if j < len(c) and c[j] != 0:
                out[k] = fmpq(c[j])
        return Surd(out)

    def constant(self) -> Surd:
        return self.coefficient(0)

    def _clean(self, parts: dict) -> "SurdSeries":
        return SurdSeries({k: s for k, s in parts.items() if s.coeffs()}, self.n)

    def __add__(self, other):
        if not isinstance(other, SurdSeries):
            other = self._scalar_series(other)
        parts = dict(self.parts)
        for k, s in other.parts.items():
            parts[k] = parts[k] + s if k in parts else s
        return self._clean(parts)

    __radd__ = __add__

    def __neg__(self):
        return SurdSeries({k: -s for k, s in self.parts.items()}, self.n)

    def __sub__(self, other):
        return self + (-other if isinstance(other, SurdSeries) else -_coerce(other))

    def __rsub__(self, other):
        return (-self) + other

    def _scalar_series(self, c: Surd | int | fmpq) -> "SurdSeries":
        return SurdSeries.from_coefficients([c], self.n)

    def scale(self, c: Surd | int | fmpz | fmpq) -> "SurdSeries":
        """``c * self`` for a field element ``c``."""
        c = _coerce(c)
        parts: dict = {}
        for t, q in c.terms.items():
            for s, S in self.parts.items():
                g, k = _key_product(s, t)
                term = S * (q * g)
                parts[k] = parts[k] + term if k in parts else term
        return self._clean(parts)

    def __mul__(self, other):
        if not isinstance(other, SurdSeries):
            return self.scale(other)
        parts: dict = {}
        for s, A in self.parts.items():
            for t, B in other.parts.items():
                g, k = _key_product(s, t)
                term = A * B if g == 1 else (A * B) * g
                parts[k] = parts[k] + term if k in parts else term
        return self._clean(parts)

    __rmul__ = __mul__

    def derivative(self) -> "SurdSeries":
        """``d/dt`` (one term fewer is known: the result has ``n - 1`` terms)."""
        return SurdSeries({k: s.derivative() for k, s in self.parts.items()}, self.n - 1)._clean_n()

    def integral(self) -> "SurdSeries":
        """The antiderivative with zero constant term (``n + 1`` terms)."""
        return SurdSeries({k: s.integral() for k, s in self.parts.items()}, self.n + 1)._clean_n()

    def _clean_n(self):
        return SurdSeries({k: s for k, s in self.parts.items() if s.coeffs()}, self.n)

    def truncate(self, n: int) -> "SurdSeries":
        return SurdSeries({k: fmpq_series(s.coeffs()[:n], prec=n) for k, s in self.parts.items()}, n)._clean_n()

    def compose_rational(self, coefficients: list) -> "SurdSeries":
        """``sum_j a_j self^j`` for rational ``a_j`` (``self`` must have a zero constant term),
        by Horner's rule; one series product per coefficient."""
        n = self.n
        if self.is_rational:
            inner = self._rat()
            return SurdSeries.rational(fmpq_series(coefficients, prec=n)(inner), n)
        out = SurdSeries.from_coefficients([coefficients[-1]] if coefficients else [], n)
        for a in reversed(coefficients[:-1]):
            out = out * self + a
        return out

    def compose(self, inner: "SurdSeries") -> "SurdSeries":
        """``self(inner)`` for a series ``inner`` with zero constant term (field coefficients)."""
        n = min(self.n, inner.n)
        coefficients = [self.coefficient(j) for j in range(n)]
        if inner.is_rational and all(c.is_rational for c in coefficients):
            outer = fmpq_series([c.as_fmpq() for c in coefficients], prec=n)
            return SurdSeries.rational(outer(inner._rat()), n)
        out = SurdSeries.from_coefficients([coefficients[-1]], n)
        for a in reversed(coefficients[:-1]):
            out = out * inner + a
        return out

    def apply(self, name: str) -> "SurdSeries":
        """``f(self)`` for ``self(0) = 0`` and ``f`` one of python-flint's series functions
        (exp, sin, cos, tan, sinh, cosh, tanh, atan, atanh, asin, asinh), or ``log1p``."""
        if self.is_rational:
            s = self._rat()
            return SurdSeries.rational((1 + s).log() if name == "log1p" else getattr(s, name)(), self.n)
        return self.compose_rational(_taylor_at_zero(name, self.n))

    def power1p(self, e: fmpq) -> "SurdSeries":
        """``(1 + self)^e - 1`` for ``self(0) = 0`` and rational ``e``."""
        if self.is_rational:
            s = self._rat()
            # python-flint's stubs (0.9) omit series-by-fmpq arithmetic, which it supports
            return SurdSeries.rational(((1 + s).log() * e).exp() - 1, self.n)  # type: ignore[operator]
        return self.compose_rational(_binomial_at_zero(e, self.n))

    def inverse(self) -> "SurdSeries":
        """``1/self`` (the constant term must be a non-zero field element)."""
        c = self.constant()
        if c.is_zero:
            raise ZeroDivisionError("series with zero constant term")
        if self.is_rational:
            return SurdSeries.rational(self._rat().inv(), self.n)
        ci = c.inverse()
        v = self.scale(ci) - 1  # zero constant term
        return (v.power1p(fmpq(-1)) + 1).scale(ci)


@lru_cache(maxsize=256)
def _taylor_at_zero(name: str, n: int) -> list:
    with series_length(n):
        t = fmpq_series([0, 1], prec=n)
        s = (1 + t).log() if name == "log1p" else getattr(t, name)()
        c = [fmpq(v) for v in s.coeffs()]
    return c + [fmpq(0)] * (n - len(c))


@lru_cache(maxsize=256)
def _binomial_at_zero(e: fmpq, n: int) -> list:
    with series_length(n):
        t = fmpq_series([0, 1], prec=n)
        s = ((1 + t).log() * e).exp() - 1  # type: ignore[operator]  # as above: the stubs omit series * fmpq
        c = [fmpq(v) for v in s.coeffs()]
    return c + [fmpq(0)] * (n - len(c))


# ---------------------------------------------------------------------------------------------
# The walk: every node is (constant term, tail).


class _Node:
    """``value + tail(t)``: ``value`` a :class:`Surd` or an exact sympy constant outside the
    field; ``tail`` a :class:`SurdSeries` with zero constant term, or None for a constant."""

    __slots__ = ("value", "tail")

    def __init__(self, value: Any, tail: SurdSeries | None) -> None:
        if not isinstance(value, Surd):
            surd = to_surd(value) if _small(value) else None
            value = surd if surd is not None else value
        self.value = value
        self.tail = tail if tail is not None and not tail.is_zero else None

    def field_value(self) -> Surd:
        if isinstance(self.value, Surd):
            return self.value
        raise NotAlgebraic("a transcendental constant is needed")

    def __add__(self, other: "_Node") -> "_Node":
        if isinstance(self.value, Surd) and isinstance(other.value, Surd):
            value = self.value + other.value
        else:
            value = _as_sympy(self.value) + _as_sympy(other.value)
        tail = other.tail if self.tail is None else self.tail if other.tail is None else self.tail + other.tail
        return _Node(value, tail)

    def __mul__(self, other: "_Node") -> "_Node":
        if isinstance(self.value, Surd) and isinstance(other.value, Surd):
            value = self.value * other.value
        else:
            value = _as_sympy(self.value) * _as_sympy(other.value)
        tail = None
        if other.tail is not None:
            tail = other.tail.scale(self.field_value())
        if self.tail is not None:
            part = self.tail.scale(other.field_value())
            tail = part if tail is None else tail + part
            if other.tail is not None:
                tail = tail + self.tail * other.tail
        return _Node(value, tail)


def _small(value: object) -> bool:
    """At most :data:`MAX_CONSTANT_OPS` nodes (counted with an early stop: this runs on every
    constant term, and sympy's ``count_ops`` is slow)."""
    if not isinstance(value, sp.Basic):
        return False
    for count, _ in enumerate(sp.preorder_traversal(value)):
        if count > MAX_CONSTANT_OPS:
            return False
    return True


def _value_in_field(candidates: Iterable[sp.Expr | None]) -> Surd:
    """The first candidate sympy value that is a field element."""
    for c in candidates:
        if c is not None and _small(c):
            s = to_surd(c)
            if s is not None:
                return s
    raise NotAlgebraic("a function value at the point is not algebraic")


def _bounded_for_exp(value: sp.Expr, factor: int = 1) -> bool:
    """Is ``|factor * value|`` certainly below :data:`MAX_EXP_ARGUMENT` (so that sympy's
    ``exp`` of it cannot produce an enormous integer)?"""
    try:
        ball = constant_enclosure(value, 64)
    except EosError:
        return False
    return bool(abs(ball) * factor < MAX_EXP_ARGUMENT)


def _exp_value(v: Surd | sp.Expr) -> Surd:
    s = _as_sympy(v)
    if not _bounded_for_exp(s):
        raise NotAlgebraic("exp argument too large")
    return _value_in_field([sp.exp(s), sp.exp(s.rewrite(sp.log)) if s.has(sp.asinh, sp.acosh, sp.atanh) else None])


def _hyperbolic_values(v: Surd | sp.Expr) -> tuple[Surd, Surd]:
    """``(sinh v, cosh v)`` in the field, directly or through ``e^v``."""
    s = _as_sympy(v)
    if not _bounded_for_exp(s):
        raise NotAlgebraic("argument too large")
    try:
        return _value_in_field([sp.sinh(s)]), _value_in_field([sp.cosh(s)])
    except NotAlgebraic:
        e = _exp_value(v)
        return (e - e.inverse()) * fmpq(1, 2), (e + e.inverse()) * fmpq(1, 2)


def _sqrt_surd(value: Surd) -> Surd:
    """The positive square root of a positive rational field element (else NotAlgebraic)."""
    if not value.is_rational:
        raise NotAlgebraic("square root of an irrational number")
    return Surd.sqrt(value.as_fmpq())


def _arc_tail(u: _Node, name: str) -> SurdSeries:
    """``int U' / sqrt(radicand(v + U)) dt`` for ``asin`` (radicand ``1 - u^2``), ``asinh``
    (``1 + u^2``) and ``acosh`` (``u^2 - 1``); needs ``R = sqrt(radicand(v))`` in the field:
    ``1/sqrt(R^2 + w) = (1/R) (1 + w/R^2)^(-1/2)`` with ``w = radicand(u) - radicand(v)``."""
    v, U = u.field_value(), u.tail
    assert U is not None, "an arc function of a constant is a constant: no tail to integrate"
    n = U.n
    if name == "asin":
        radicand = 1 - v * v
        w = (U.scale(2 * v) + U * U).scale(fmpq(-1))  # (1 - u^2) - (1 - v^2)
    elif name == "asinh":
        radicand = 1 + v * v
        w = U.scale(2 * v) + U * U
    else:  # acosh
        radicand = v * v - 1
        w = U.scale(2 * v) + U * U
    if not _positive(radicand):
        raise NotAlgebraic(f"{name} is not smooth and real at the point")
    r = _sqrt_surd(radicand)
    inv_root = (w.scale(radicand.inverse()).power1p(fmpq(-1, 2)) + 1).scale(r.inverse())
    return (U.derivative() * inv_root.truncate(n - 1)).integral().truncate(n)


#: The functions whose values at non-zero algebraic numbers are transcendental.
_AT_ZERO = frozenset({"exp", "sin", "cos", "tan", "sinh", "cosh", "tanh"})


_TRIGONOMETRIC = (sp.pi, sp.asin, sp.acos, sp.atan)
_HYPERBOLIC = (sp.log, sp.asinh, sp.acosh, sp.atanh)
_HOPEFUL = {"exp": _HYPERBOLIC, "sinh": _HYPERBOLIC, "cosh": _HYPERBOLIC, "tanh": _HYPERBOLIC,
            "sin": _TRIGONOMETRIC, "cos": _TRIGONOMETRIC, "tan": _TRIGONOMETRIC}


def _direct_values(name: str, v: Surd | sp.Expr) -> tuple[Surd | int, ...]:
    """The values at ``v`` that the addition formula of ``name`` needs, in the field:
    ``exp -> (e^v,)``, ``sin, cos -> (sin v, cos v)``, ``tan -> (tan v,)``,
    ``tanh -> (tanh v,)``, ``sinh, cosh -> (sinh v, cosh v)``; :class:`NotAlgebraic` when they
    are not (known to be) algebraic."""
    if isinstance(v, Surd):
        # Hermite-Lindemann: exp, sin, cos, tan, sinh, cosh, tanh of a non-zero algebraic
        # number are transcendental, so only v = 0 can give field values (no sympy needed).
        if not v.is_zero:
            raise NotAlgebraic(f"{name} of a non-zero algebraic number is transcendental")
        return {"exp": (1,), "sin": (0, 1), "cos": (0, 1), "tan": (0,), "tanh": (0,), "sinh": (0, 1), "cosh": (0, 1)}[name]
    s = _as_sympy(v)
    if not _small(s):
        raise NotAlgebraic("constant too large")
    if not s.has(*_HOPEFUL[name]):
        # sympy can turn these values into algebraic numbers only through the functions listed
        # (tan(pi/4), exp(log 2), tanh(atanh(1/2))): spare it the attempt otherwise.
        raise NotAlgebraic(f"{name} of this constant is not known to be algebraic")
    if name == "exp":
        return (_exp_value(v),)
    if name in ("sin", "cos"):
        return _value_in_field([sp.sin(s)]), _value_in_field([sp.cos(s)])
    if name == "tan":
        return (_value_in_field([sp.tan(s)]),)
    if name == "tanh":
        if not _bounded_for_exp(s, 2):
            raise NotAlgebraic("argument too large")
        try:
            return (_value_in_field([sp.tanh(s)]),)
        except NotAlgebraic:
            e2 = _exp_value(2 * s)
            return ((e2 - 1) / (e2 + 1),)
    return _hyperbolic_values(v)


def _constant_value(node: sp.Expr) -> Surd | sp.Expr:
    """A constant subtree as a field element when the addition-formula values show it is one
    (``sinh(log(1 + sqrt(2))) = 1``, which sympy leaves as it is), else the sympy constant."""
    surd = to_surd(node) if _small(node) else None
    if surd is not None:
        return surd
    if isinstance(node, sp.Function) and len(node.args) == 1 and type(node).__name__ in _AT_ZERO:
        name = type(node).__name__
        try:
            values = _direct_values(name, _constant_value(node.args[0]))
        except (NotAlgebraic, ZeroDivisionError):
            return node
        return _coerce(values[1] if name in ("cos", "cosh") else values[0])
    if node.is_Add or node.is_Mul:
        parts = [_constant_value(a) for a in node.args]
        if all(isinstance(p, Surd) for p in parts):
            out = parts[0]
            for p in parts[1:]:
                out = out + p if node.is_Add else out * p
            return out
    return node


def _function(name: str, u: _Node) -> _Node:
    if u.tail is None:
        raise NotAlgebraic("constant argument")  # constants are leaves: not reached
    v, U = u.value, u.tail
    if name == "exp":
        (e,) = map(_coerce, _direct_values(name, v))
        return _Node(e, U.apply("exp").scale(e) - e)
    if name in ("sin", "cos"):
        sv, cv = map(_coerce, _direct_values(name, v))
        sin_u, cos_u = U.apply("sin"), U.apply("cos") - 1
        if name == "sin":
            return _Node(sv, cos_u.scale(sv) + sin_u.scale(cv))
        return _Node(cv, cos_u.scale(cv) - sin_u.scale(sv))
    if name == "tan":
        (t,) = map(_coerce, _direct_values(name, v))
        tan_u = U.apply("tan")
        return _Node(t, tan_u.scale(1 + t * t) * (1 - tan_u.scale(t)).inverse())
    if name == "tanh":
        (t,) = map(_coerce, _direct_values(name, v))
        tanh_u = U.apply("tanh")
        return _Node(t, tanh_u.scale(1 - t * t) * (1 + tanh_u.scale(t)).inverse())
    if name in ("sinh", "cosh"):
        sh, ch = map(_coerce, _direct_values(name, v))
        sinh_u, cosh_u = U.apply("sinh"), U.apply("cosh") - 1
        if name == "sinh":
            return _Node(sh, cosh_u.scale(sh) + sinh_u.scale(ch))
        return _Node(ch, cosh_u.scale(ch) + sinh_u.scale(sh))
    # The remaining functions need the argument's value itself in the field.
    fv = u.field_value()
    if name == "log":
        if not _positive(fv):
            raise NotAlgebraic("log of a number not certainly positive")
        return _Node(sp.log(fv.to_sympy()), U.scale(fv.inverse()).apply("log1p"))
    if name == "atan":
        denominator = (U.scale(fv) + (1 + fv * fv)).inverse()
        return _Node(sp.atan(fv.to_sympy()), (U * denominator).apply("atan"))
    if name == "atanh":
        if not _positive(1 - fv * fv):
            raise NotAlgebraic("atanh outside (-1, 1)")
        denominator = ((1 - fv * fv) - U.scale(fv)).inverse()
        return _Node(sp.atanh(fv.to_sympy()), (U * denominator).apply("atanh"))
    if name in ("asin", "acos"):
        tail = _arc_tail(u, "asin")
        if name == "asin":
            return _Node(sp.asin(fv.to_sympy()), tail)
        return _Node(sp.acos(fv.to_sympy()), -tail)
    if name == "asinh":
        return _Node(sp.asinh(fv.to_sympy()), _arc_tail(u, "asinh"))
    if name == "acosh":
        if not _positive(fv - 1):
            raise NotAlgebraic("acosh needs an argument > 1")
        return _Node(sp.acosh(fv.to_sympy()), _arc_tail(u, "acosh"))
    raise NotAlgebraic(name)


def _power(base: _Node, e: Any) -> _Node:
    if not isinstance(e, sp.Expr) or not e.is_Rational:
        raise NotAlgebraic("power with a variable exponent")
    if base.tail is None:
        raise NotAlgebraic("constant base")  # constants are leaves: not reached
    v = base.field_value()
    if e.is_Integer and e >= 0:
        return _power_by_squaring(base, int(e), _Node(Surd({1: fmpq(1)}), None))
    if v.is_zero:
        # A pole, or a fractional power where the base vanishes: the rational engine and the
        # balls report the domain error; here nothing exact is claimed.
        raise NotAlgebraic("power of a vanishing base")
    if not e.is_Integer:
        if not _positive(v):
            raise NotAlgebraic("fractional power of a number not certainly positive")
        if not v.is_rational:
            raise NotAlgebraic("fractional power of an irrational number")
        q = v.as_fmpq()
        if e.q == 2:
            c = Surd.sqrt(q) ** int(e.p)
        else:
            r = _rational_root(q, int(e.q))
            if r is None:
                raise NotAlgebraic("irrational root")
            c = _coerce(r) ** int(e.p)
    else:
        c = v ** int(e)
    exponent = fmpq(int(e.p), int(e.q))
    return _Node(c, base.tail.scale(v.inverse()).power1p(exponent).scale(c))


def algebraic_coefficients(expr: sp.Expr, var: sp.Symbol, point: Point, order: int) -> Jet:
    """Exact Taylor coefficients ``f^(j)(xb)/j!``, ``j <= order``, of ``f`` (the ``expr`` in
    ``var``) at an exact ``point``: ``c_j``
    for ``j >= 1`` are :class:`Surd` field elements, ``c_0`` too when ``f(xb)`` is in the
    field (else a :class:`Transcendental`).  Raises :class:`NotAlgebraic` (a
    :class:`~symbolic_eos.core.jets.NotRational`) when some value the jet needs is not in the field;
    nothing is ever decided numerically.

    >>> from symbolic_eos.core.parse import parse_constant, parse_expression
    >>> f = parse_expression("(tanh(x) - 1/2)**2")
    >>> x = sorted(f.free_symbols, key=str)[0]
    >>> [str(c) for c in algebraic_coefficients(f, x, Point.from_constant(parse_constant("atanh(1/2)")), 3)]
    ['0', '0', '9/16', '-9/16']

    ``e^1`` is transcendental, so the jet of ``exp(x)`` at 1 is not in the field:

    >>> algebraic_coefficients(parse_expression("exp(x)"), x, Point.rational(1), 2)
    Traceback (most recent call last):
    ...
    symbolic_eos.core.algebraic.NotAlgebraic: exp of a non-zero algebraic number is transcendental
    """
    if point.exact is None:
        raise NotAlgebraic("the point is not known exactly")
    n = order + 1
    expr = local_inverses(expr, var, point)
    start = _Node(point.exact, None)
    with series_length(n + 2):
        line = SurdSeries.rational(fmpq_series([0, 1], prec=n), n)

        def leaf(node):
            if node == var:
                return _Node(start.value, line)
            value = _constant_value(node)
            if not isinstance(value, Surd):
                _require_real(node)
            return _Node(value, None)

        if not isinstance(start.value, Surd):
            _require_real(start.value)

        try:
            result = _walk(expr, var, leaf, _power, _function)
        except (ZeroDivisionError, DomainError, ValueError) as exc:
            raise NotAlgebraic(str(exc)) from None
        value = result.value if isinstance(result.value, Surd) else Transcendental(result.value)
        tail = result.tail
        if tail is not None and any(s.prec < n for s in tail.parts.values()):
            # A term beyond what the series carries is unknown, never zero.
            raise NotAlgebraic("the series lost precision")
        coeffs = [value] + [tail.coefficient(j) if tail is not None else Surd({}) for j in range(1, n)]
    return Jet(coeffs)


def _require_real(value: sp.Expr) -> None:
    """A constant kept outside the field must still be a finite real number (``log(-1)`` is
    not): otherwise the loss is not real there, which the balls report, not this route."""
    try:
        ball = constant_enclosure(value, 64)
    except EosError:
        raise NotAlgebraic("a constant that is not real") from None
    if not ball.is_finite():
        raise NotAlgebraic("a constant that is not real")


def compose_coefficients(outer: list, inner: list) -> list:
    """The coefficients of ``outer(inner(t))`` (``inner[0] = 0``), exact field elements, as
    many as the shorter list holds.

    >>> r3 = Surd.sqrt(fmpq(3))
    >>> [str(c) for c in compose_coefficients([0, r3, 1], [0, 1, r3])]
    ['0', 'sqrt(3)', '4']
    """
    n = min(len(outer), len(inner))
    with series_length(n + 2):
        a = SurdSeries.from_coefficients(outer[:n], n)
        b = SurdSeries.from_coefficients(inner[:n], n)
        composed = a.compose(b)
        return [composed.coefficient(j) for j in range(n)]


# ---------------------------------------------------------------------------------------------
# Compositions with an inverse, replaced by what they equal near the point.

_INVERSES_ON_DOMAIN = {
    # f(g(u)) = u wherever g(u) is real and smooth: (f, g, domain test on the value of u).
    ("sin", "asin"): lambda b: abs(b) < 1,
    ("cos", "acos"): lambda b: abs(b) < 1,
    ("tan", "atan"): lambda b: True,
    ("sinh", "asinh"): lambda b: True,
    ("cosh", "acosh"): lambda b: b > 1,
    ("tanh", "atanh"): lambda b: abs(b) < 1,
    ("exp", "log"): lambda b: b > 0,
    ("asinh", "sinh"): lambda b: True,
    ("atanh", "tanh"): lambda b: True,
    ("log", "exp"): lambda b: True,
}


def _branch(name: str, inner: str, u: sp.Expr, ball: arb) -> sp.Expr | None:
    """What ``name(inner(u))`` equals near a point where ``u`` lies in ``ball``, or None when
    no branch is certified."""
    rule = _INVERSES_ON_DOMAIN.get((name, inner))
    if rule is not None:
        return u if rule(ball) is True else None
    pi = arb.pi()
    if (name, inner) in (("asin", "sin"), ("atan", "tan")):
        # asin(sin u) = (-1)^k (u - k pi) and atan(tan u) = u - k pi on |u - k pi| < pi/2;
        # the nearest k is only a candidate, the inequality is what certifies it.
        k = _floor(ball / pi + fmpq(1, 2))
        if k is None or not (-pi / 2 < ball - k * pi < pi / 2):
            return None
        shifted = u if k == 0 else sp.Add(u, -k * sp.pi, evaluate=False)
        return shifted if name == "atan" or k % 2 == 0 else sp.Mul(-1, shifted, evaluate=False)
    if (name, inner) == ("acos", "cos"):
        # acos(cos u) = u - m pi on (m pi, (m+1) pi) for even m, (m+1) pi - u for odd m.
        m = _floor(ball / pi)
        if m is None or not (0 < ball - m * pi < pi):
            return None
        if m % 2 == 0:
            return u if m == 0 else sp.Add(u, -m * sp.pi, evaluate=False)
        return sp.Add((m + 1) * sp.pi, sp.Mul(-1, u, evaluate=False), evaluate=False)
    if (name, inner) == ("acosh", "cosh"):
        if ball > 0:
            return u
        if ball < 0:
            return sp.Mul(-1, u, evaluate=False)
    return None


def _floor(ball: arb) -> int | None:
    """The floor of the midpoint of a finite ball (a candidate, to be certified)."""
    if not ball.is_finite():
        return None
    return int(arb_to_fmpq(ball.mid()).floor())


#: The outer functions f of the pairs f(g(u)) that :func:`local_inverses` knows.
INVERSE_OUTER = frozenset({a for a, _ in _INVERSES_ON_DOMAIN} | {"asin", "atan", "acos", "acosh"})


@lru_cache(maxsize=1024)
def has_inverse_pair(expr: sp.Expr) -> bool:
    """Does ``expr`` contain ``f(g(u))`` with ``f`` one of the outer functions above?"""
    return any(
        isinstance(node, sp.Function) and type(node).__name__ in INVERSE_OUTER and len(node.args) == 1
        and isinstance(node.args[0], sp.Function)
        for node in sp.preorder_traversal(expr)
    )


def local_inverses(expr: sp.Expr, var: sp.Symbol, point: Point, prec: int = 128) -> sp.Expr:
    """``expr`` with each ``f(g(u))``, ``g`` an inverse of ``f``, replaced by what it equals on
    a neighbourhood of the ``point`` (``var`` there), when the branch (and the domain of ``g``)
    is certified there by a ball of ``u`` at ``prec`` bits; the two agree near the point, so
    they have the same Taylor jet.

    >>> from symbolic_eos.core.parse import parse_constant, parse_expression
    >>> f = parse_expression("asin(sin(x))**2")
    >>> x = sorted(f.free_symbols, key=str)[0]
    >>> local_inverses(f, x, Point.from_constant(parse_constant("3")))
    (-(x - pi))**2
    """
    if not has_inverse_pair(expr):
        return expr
    cache: dict = {}

    def rebuild(node):
        hit = cache.get(node)
        if hit is not None:
            return hit
        if not node.args or not (node.free_symbols & {var}):
            out = node
        else:
            args = [rebuild(a) for a in node.args]
            # Rebuilt as typed: sympy's evaluation could drop a domain-restricting subterm
            # (sqrt(u)**2 -> u), and the jet would then accept a point outside the domain.
            out = node.func(*args, evaluate=False) if args != list(node.args) else node
            if isinstance(out, sp.Function) and len(out.args) == 1 and isinstance(out.args[0], sp.Function) and len(out.args[0].args) == 1:
                u = out.args[0].args[0]
                try:
                    ball = ball_coefficients(u, var, point.enclosure(prec), 0, prec)[0]
                except (EosError, NotRational, ArithmeticError, ValueError):
                    ball = None  # u cannot be evaluated here: no branch is certified
                if ball is not None and ball.is_finite():
                    with ctx.workprec(prec):
                        replaced = _branch(type(out).__name__, type(out.args[0]).__name__, u, ball)
                    if replaced is not None:
                        out = replaced
        cache[node] = out
        return out

    return rebuild(expr)
