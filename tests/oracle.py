"""An independent oracle for the 1-D stable-oscillation check (README: "What is checked", "Rigor").

It shares no code with ``symbolic_eos``: it reads the loss with sympy's own parser, expands it
with its own truncated power series (exact sympy numbers, canonicalised by ``expand``), composes
the GD map with plain polynomial truncation, and evaluates numbers with mpmath at two precisions.

For a loss ``f`` and a critical point ``xb`` with ``c_j = f^(j)(xb)/j!``:

* order ``k``: the lowest ``j >= 3`` with ``c_j != 0``;
* paper (Chen & Bruna): ``k = 3`` holds iff ``3 f'''^2 - f'' f'''' > 0``; ``k >= 4`` odd holds iff
  ``f^(k+1) < 0``; ``k >= 4`` even holds iff ``f^(k) < 0``;
* flip normal form: with ``eta0 = 2/f''`` and ``F(x) = x - eta0 f'(x)``, the lowest non-zero term
  of ``F(F(xb + t)) - (xb + t)`` has odd order ``p``; coefficient < 0 supercritical, > 0 subcritical.

Every number is a :class:`Real`: its sign is ``exact`` (a sympy rational, or an expression that
``expand`` reduces to zero) or ``numeric`` (mpmath at 50 and 100 digits agree with a wide margin),
else unknown (``sign is None``).

>>> o = analyse("x**2/2 - x**10", "0")
>>> o.order, o.paper_verdict, o.paper_case, o.flip_order, o.flip_coefficient.exact
(10, 'holds', 'k_even', 9, Fraction(-40, 1))
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp
from sympy.parsing.sympy_parser import parse_expr, standard_transformations

__all__ = [
    "X", "MAX_ORDER", "MAX_FLIP_ORDER", "N_TERMS", "LOW_DPS", "HIGH_DPS",
    "Real", "Oracle", "L2Oracle", "parse", "taylor", "flip_series", "analyse", "analyse_l2",
    "evaluate", "parse_enclosure", "reversion",
]

X = sp.Symbol("x")
#: The engine's search limits (the contract under test): k is searched for j <= 12, the flip up
#: to order 23, which needs f to order 24.
MAX_ORDER = 12
MAX_FLIP_ORDER = 23
N_TERMS = MAX_FLIP_ORDER + 1
#: The two precisions of a numeric decision (decimal digits).
LOW_DPS, HIGH_DPS = 50, 100
#: A numeric sign needs |value| above this many times the disagreement of the two precisions.
MARGIN = mpmath.mpf(10) ** 10


def _sigmoid(u):
    return 1 / (1 + sp.exp(-u))


def _softplus(u):
    return sp.log(1 + sp.exp(u))


def _gaussian(u):
    return sp.exp(-u**2)


_NAMES = {"x": X, "pi": sp.pi, "E": sp.E, "sigmoid": _sigmoid, "softplus": _softplus, "gaussian": _gaussian}


def parse(text: str) -> sp.Expr:
    """Text in the engine's grammar (``**`` powers, ``pi``, ``E``, named functions) as sympy."""
    return parse_expr(text, local_dict=dict(_NAMES), transformations=standard_transformations)


# --- numbers -------------------------------------------------------------------------------


_MP = {
    sp.exp: mpmath.exp, sp.log: mpmath.log, sp.sin: mpmath.sin, sp.cos: mpmath.cos, sp.tan: mpmath.tan,
    sp.sinh: mpmath.sinh, sp.cosh: mpmath.cosh, sp.tanh: mpmath.tanh, sp.asin: mpmath.asin,
    sp.acos: mpmath.acos, sp.atan: mpmath.atan, sp.asinh: mpmath.asinh, sp.acosh: mpmath.acosh,
    sp.atanh: mpmath.atanh, sp.erf: mpmath.erf,
}


def _mp(e: sp.Expr):
    """Plain mpmath evaluation of a constant sympy expression at the current precision."""
    if e.is_Integer:
        return mpmath.mpf(int(e))
    if e.is_Rational:
        return mpmath.mpf(int(e.p)) / int(e.q)
    if e is sp.pi:
        return +mpmath.pi
    if e is sp.E:
        return +mpmath.e
    if e.is_Add:
        return mpmath.fsum(_mp(a) for a in e.args)
    if e.is_Mul:
        return mpmath.fprod(_mp(a) for a in e.args)
    if e.is_Pow:
        b, q = e.args
        if q.is_Integer:
            return _mp(b) ** int(q)
        return mpmath.power(_mp(b), _mp(q))
    if e.func in _MP:
        return _MP[e.func](_mp(e.args[0]))
    raise ValueError(f"oracle cannot evaluate {e!r}")


def evaluate(e: sp.Expr, dps: int):
    """The value of the constant ``e`` computed with mpmath at ``dps`` digits (no error bound)."""
    with mpmath.workdps(dps):
        return +_mp(sp.S(e))


class Real:
    """A real number known to the oracle.

    ``expr`` is an exact sympy expression for it (``None`` when only numeric values are known);
    ``exact`` its value as a Fraction when ``expand(expr)`` is rational; ``value(dps)`` computes
    it with mpmath at ``dps`` digits. ``sign`` is ``exact``, or ``numeric`` when the values at
    :data:`LOW_DPS` and :data:`HIGH_DPS` digits agree with margin :data:`MARGIN`, else ``None``.
    """

    def __init__(self, expr=None, values=None):
        self._cache = {}
        self.exact = None
        if isinstance(expr, Fraction):
            self.exact, expr = expr, sp.Rational(expr.numerator, expr.denominator)
        elif expr is not None:
            expr = _c(expr)
            if expr.is_Rational:
                self.exact = Fraction(int(expr.p), int(expr.q))
        self.expr = expr
        self._values = values
        if self.exact is not None:
            self.sign, self.rigor = (self.exact > 0) - (self.exact < 0), "exact"
            return
        lo, hi = self.value(LOW_DPS), self.value(HIGH_DPS)
        if hi != 0 and mpmath.sign(lo) == mpmath.sign(hi) and abs(hi) > MARGIN * abs(lo - hi):
            self.sign, self.rigor = int(mpmath.sign(hi)), "numeric"
        elif expr is not None and sp.count_ops(expr) <= 60 and sp.simplify(expr) == 0:
            # Tiny at both precisions and a zero that expand cannot see (sinh(log(2)) - 3/4).
            self.exact, self.expr, self.sign, self.rigor = Fraction(0), sp.S.Zero, 0, "exact"
        else:
            self.sign, self.rigor = None, None

    def value(self, dps: int = HIGH_DPS):
        """The value computed at ``dps`` digits (exact values are rounded once)."""
        if dps not in self._cache:
            with mpmath.workdps(dps):
                if self.exact is not None:
                    v = mpmath.mpf(self.exact.numerator) / self.exact.denominator
                elif self._values is not None:
                    v = +self._values(dps)
                else:
                    v = +_mp(self.expr)
            self._cache[dps] = v
        return self._cache[dps]

    def scaled(self, k) -> "Real":
        """``k * self`` for an integer ``k``."""
        k = int(k)
        if self.exact is not None:
            return Real(self.exact * k)
        return Real(None if self.expr is None else self.expr * k, lambda dps: k * self.value(dps))

    def __repr__(self) -> str:
        shown = self.exact if self.exact is not None else mpmath.nstr(self.value(), 20)
        return f"Real({shown}, sign={self.sign}, {self.rigor})"


def combine(fn, *parts: Real) -> Real:
    """``fn(*parts)`` for a polynomial ``fn``: exact when the parts are; otherwise computed from
    the parts' values at each precision (not from an expanded form, which cancels badly)."""
    if all(p.exact is not None for p in parts):
        return Real(fn(*(p.exact for p in parts)))
    expr = fn(*(p.expr for p in parts)) if all(p.expr is not None for p in parts) else None
    return Real(expr, lambda dps: fn(*(p.value(dps) for p in parts)))


# --- Taylor series -------------------------------------------------------------------------


def _c(e) -> sp.Expr:
    """A coefficient in canonical form: rationals stay rationals, the rest is expanded."""
    e = sp.S(e)
    return e if e.is_Rational else sp.expand(e)


def _add(a: list, b: list) -> list:
    return [_c(x + y) for x, y in zip(a, b, strict=True)]


def _mul(a: list, b: list) -> list:
    """The product of two truncated series of the same length."""
    n = len(a)
    return [_c(sp.Add(*[a[i] * b[j - i] for i in range(j + 1) if a[i] != 0 and b[j - i] != 0])) for j in range(n)]


def _compose(coeffs: list, u: list) -> list:
    """``sum_k coeffs[k] (u - u(0))^k`` truncated (Horner): the Taylor series of h(u(t)) when
    ``coeffs[k] = h^(k)(u(0))/k!``."""
    v = [sp.S.Zero] + list(u[1:])
    out = [sp.S.Zero] * len(u)
    for a in reversed(coeffs):
        out = _mul(out, v)
        out[0] = _c(out[0] + a)
    return out


@functools.lru_cache(maxsize=None)
def _derivative_polys(name: str, n: int) -> tuple:
    """Q_k with h^(k) = Q_k(h) for h' = 1 - h^2 (tanh) or 1 + h^2 (tan), k = 0..n."""
    T = sp.Symbol("T")
    rhs = 1 - T**2 if name == "tanh" else 1 + T**2
    polys = [sp.Poly(T, T)]
    for _ in range(n):
        polys.append(polys[-1].diff(T) * sp.Poly(rhs, T))
    return tuple(polys)


def _power_coeffs(b0: sp.Expr, q: sp.Expr, n: int) -> list:
    """Taylor coefficients of u**q at u = b0: binomial(q, k) b0**(q - k)."""
    if b0 == 0:
        raise ValueError("power of a series with zero constant term")
    return [_c(sp.binomial(q, k) * b0 ** (q - k)) for k in range(n + 1)]


def _integrate(a0: sp.Expr, d: list) -> list:
    """Coefficients of h from h(u0) = a0 and the Taylor coefficients ``d`` of h' at u0."""
    return [a0] + [_c(d[k - 1] / k) for k in range(1, len(d))]


def _at(func, u0: sp.Expr) -> sp.Expr:
    """``func(u0)``, rational when rewriting in ``exp`` shows it (``sinh(log(2)) = 3/4``)."""
    v = func(u0)
    if not v.is_Rational and func in (sp.exp, sp.sinh, sp.cosh, sp.tanh):
        w = sp.expand(v.rewrite(sp.exp))
        if w.is_Rational:
            return w
    return v


def _function_coeffs(func, u0: sp.Expr, n: int) -> list:
    """``h^(k)(u0)/k!`` for k = 0..n for an elementary function ``h``."""
    f = [sp.factorial(k) for k in range(n + 1)]
    if func is sp.exp:
        e0 = _at(sp.exp, u0)
        return [_c(e0 / f[k]) for k in range(n + 1)]
    if func in (sp.sin, sp.cos, sp.sinh, sp.cosh):
        s, c = {sp.sin: (sp.sin, sp.cos), sp.cos: (sp.sin, sp.cos), sp.sinh: (sp.sinh, sp.cosh), sp.cosh: (sp.sinh, sp.cosh)}[func]
        s0, c0 = _at(s, u0), _at(c, u0)
        cycle = {sp.sin: [s0, c0, -s0, -c0], sp.cos: [c0, -s0, -c0, s0], sp.sinh: [s0, c0], sp.cosh: [c0, s0]}[func]
        return [_c(cycle[k % len(cycle)] / f[k]) for k in range(n + 1)]
    if func in (sp.tanh, sp.tan):
        T = sp.Symbol("T")
        t0 = _at(func, u0)
        return [_c(q.as_expr().subs(T, t0) / f[k]) for k, q in enumerate(_derivative_polys(func.__name__, n))]
    if func is sp.log:
        return [sp.log(u0)] + [_c(sp.Integer(-1) ** (k + 1) / (k * u0**k)) for k in range(1, n + 1)]
    s = [u0, sp.S.One] + [sp.S.Zero] * (n - 1)  # the series of u at u0
    one_plus_sq = _add([sp.S.One] + [sp.S.Zero] * n, _mul(s, s))
    one_minus_sq = _add([sp.S.One] + [sp.S.Zero] * n, [_c(-a) for a in _mul(s, s)])
    if func is sp.atan:
        return _integrate(sp.atan(u0), _compose(_power_coeffs(one_plus_sq[0], -1, n), one_plus_sq))
    if func is sp.atanh:
        return _integrate(sp.atanh(u0), _compose(_power_coeffs(one_minus_sq[0], -1, n), one_minus_sq))
    if func is sp.asinh:
        return _integrate(sp.asinh(u0), _compose(_power_coeffs(one_plus_sq[0], sp.Rational(-1, 2), n), one_plus_sq))
    if func in (sp.asin, sp.acos):
        d = _compose(_power_coeffs(one_minus_sq[0], sp.Rational(-1, 2), n), one_minus_sq)
        return _integrate(sp.asin(u0), d) if func is sp.asin else _integrate(sp.acos(u0), [_c(-a) for a in d])
    if func is sp.acosh:
        sq_minus_one = [_c(-a) for a in one_minus_sq]
        return _integrate(sp.acosh(u0), _compose(_power_coeffs(sq_minus_one[0], sp.Rational(-1, 2), n), sq_minus_one))
    if func is sp.erf:
        minus_sq = [_c(-a) for a in _mul(s, s)]
        d = _compose(_function_coeffs(sp.exp, minus_sq[0], n), minus_sq)
        return _integrate(sp.erf(u0), [_c(2 / sp.sqrt(sp.pi) * a) for a in d])
    raise ValueError(f"oracle has no series for {func}")


def _series(e: sp.Expr, x0: sp.Expr, n: int) -> list:
    """Taylor coefficients 0..n of the sympy expression ``e`` in ``X`` at ``x0``."""
    if not e.has(X):
        return [_c(e)] + [sp.S.Zero] * n
    if e == X:
        return [_c(x0), sp.S.One] + [sp.S.Zero] * (n - 1)
    if e.is_Add:
        out = [sp.S.Zero] * (n + 1)
        for a in e.args:
            out = _add(out, _series(a, x0, n))
        return out
    if e.is_Mul:
        out = [sp.S.One] + [sp.S.Zero] * n
        for a in e.args:
            out = _mul(out, _series(a, x0, n))
        return out
    if e.is_Pow:
        b, q = e.args
        if q.has(X):
            return _series(sp.exp(q * sp.log(b)), x0, n)
        s = _series(b, x0, n)
        if q.is_Integer and q >= 0:
            out, base, k = [sp.S.One] + [sp.S.Zero] * n, s, int(q)
            while k:  # repeated squaring
                if k & 1:
                    out = _mul(out, base)
                k >>= 1
                if k:
                    base = _mul(base, base)
            return out
        return _compose(_power_coeffs(s[0], q, n), s)
    if len(e.args) == 1:
        s = _series(e.args[0], x0, n)
        return _compose(_function_coeffs(e.func, s[0], n), s)
    raise ValueError(f"oracle has no series for {e!r}")


@functools.lru_cache(maxsize=512)
def taylor(text: str, at: str, n: int = N_TERMS) -> tuple:
    """``(c_0, ..., c_n)``, ``c_j = f^(j)(xb)/j!``, as exact canonical sympy numbers, for the loss
    written ``text`` at the point written ``at``."""
    return tuple(_series(parse(text), parse(at), n))


# --- the flip normal form -----------------------------------------------------------------


def flip_series(c: list, zero, one, fix=lambda v: v) -> list:
    """Coefficients (orders 0..len(c)-2) of ``F(F(xb + t)) - (xb + t)``, ``F = x - eta0 f'``.

    ``F(xb + t) = xb + G(t)`` with ``G(t) = t - eta0 sum_j j c_j t^(j-1)``, ``eta0 = 2/f'' = 1/c_2``;
    G(0) = 0 at a critical point, so ``G(G(t))`` truncated at degree ``len(c) - 2`` is exact. The
    arithmetic is that of ``c`` (Fractions, sympy numbers with ``fix = expand``, or mpmath)."""
    n = len(c) - 1  # G is known to degree n - 1
    eta0 = one / c[2]
    g = [fix((one if j == 1 else zero) - eta0 * (j + 1) * c[j + 1]) for j in range(n)]
    g[0] = zero  # c_1 = 0: the caller passes a critical point
    out = [zero] * n
    for a in reversed(g):  # Horner: G(G(t)) = sum_j g_j G(t)^j, truncated at degree n - 1
        out = [fix(sum((out[i] * g[j - i] for i in range(j)), zero)) for j in range(n)]
        out[0] = fix(out[0] + a)
    out[1] = fix(out[1] - one)
    return out


def _radical(e: sp.Expr) -> bool:
    """An algebraic number written with rationals and radicals of rationals only (so ``expand``
    is a canonical form, and shows zeros)."""
    return all(p.base.is_Rational and p.exp.is_Rational for p in e.atoms(sp.Pow)) and not (
        e.atoms(sp.Function) or e.has(sp.pi, sp.E))


def _flip(c: tuple) -> tuple:
    """The flip coefficients as :class:`Real`: exact with Fractions when every ``c_j`` is
    rational, else mpmath at each precision (plus exact sympy when the ``c_j`` are radicals)."""
    if all(a.exact is not None for a in c):
        return tuple(Real(v) for v in flip_series([a.exact for a in c], Fraction(0), Fraction(1)))

    @functools.lru_cache(maxsize=None)
    def numeric(dps):
        with mpmath.workdps(dps):
            return flip_series([a.value(dps) for a in c], mpmath.mpf(0), mpmath.mpf(1), lambda v: +v)

    numbers = [Real(None, lambda dps, j=j: numeric(dps)[j]) for j in range(len(c) - 1)]
    if all(a.expr is not None and _radical(a.expr) for a in c):
        # Exact zeros from sympy, but only below the first odd order the numbers decide: the
        # terms up to order m need c_0..c_(m+1), and expanding radicals is slow.
        m = next((j for j in range(3, len(numbers), 2) if numbers[j].sign is not None), len(numbers) - 1)
        symbolic = flip_series([a.expr for a in c[: m + 2]], sp.S.Zero, sp.S.One, _c)
        numbers[: m + 1] = [Real(symbolic[j], lambda dps, j=j: numeric(dps)[j]) for j in range(m + 1)]
    return tuple(numbers)


# --- the analysis -------------------------------------------------------------------------


@dataclass(frozen=True)
class Oracle:
    """The oracle's account of one critical point. ``None`` fields are unknown to the oracle
    (a sign it could not decide), except ``order``/``flip_order``, where ``"beyond"`` means every
    coefficient up to the engine's limit is zero."""

    text: str
    at: str
    xb: Real
    coefficients: tuple  # Real c_j, j = 0..N_TERMS
    order: int | str | None
    paper_verdict: str | None
    paper_case: str | None
    paper_quantity: Real | None
    flip_order: int | str | None
    flip_coefficient: Real | None
    flip_coefficients: tuple  # Real, orders 0..N_TERMS - 1
    exact: bool  # every Taylor coefficient is rational
    quadratic: bool  # f is a polynomial of degree <= 2: every c_j, j >= 3, vanishes

    def derivative(self, j: int) -> Real:
        """``f^(j)(xb) = j! c_j``."""
        return self.coefficients[j].scaled(sp.factorial(j))

    @property
    def flip_verdict(self) -> str | None:
        if not isinstance(self.flip_order, int):
            return None
        return {-1: "supercritical", 1: "subcritical"}.get(self.flip_coefficient.sign)


def _first_nonzero(values, lo: int, hi: int):
    """The first index in [lo, hi] with a non-zero sign; ``None`` if an unknown sign comes first;
    ``"beyond"`` if every one is zero."""
    for j in range(lo, hi + 1):
        if values[j].sign is None:
            return None
        if values[j].sign != 0:
            return j
    return "beyond"


def _paper(c: tuple, k) -> tuple:
    """(verdict, case, quantity) of the paper's criterion at order ``k``."""
    if not isinstance(k, int):
        return None, None, None
    fact = sp.factorial
    if k == 3:
        # 3 f'''^2 - f'' f'''' = 3 (6 c3)^2 - (2 c2)(24 c4)
        q = combine(lambda c2, c3, c4: 108 * c3**2 - 48 * c2 * c4, c[2], c[3], c[4])
        case, holds = "k3", q.sign is not None and q.sign > 0
    elif k % 2:
        q, case = c[k + 1].scaled(fact(k + 1)), "k_odd"
        holds = q.sign is not None and q.sign < 0
    else:
        q, case = c[k].scaled(fact(k)), "k_even"
        holds = q.sign is not None and q.sign < 0
    verdict = None if q.sign is None else ("holds" if holds else "fails")
    return verdict, case, q


@functools.lru_cache(maxsize=512)
def analyse(text: str, at: str) -> Oracle:
    """The oracle at the critical point ``at`` of the loss ``text`` (both in the engine's grammar)."""
    raw = taylor(text, at)
    c = tuple(Real(a) for a in raw)
    if c[1].sign not in (0, None) or c[2].sign != 1:
        raise ValueError(f"{at} is not a strict minimum of {text}: c1 = {c[1]}, c2 = {c[2]}")
    # The caller gives a true critical point; f'(xb) may be a zero only sympy.simplify sees.
    c = (c[0], Real(Fraction(0))) + c[2:]
    exact = all(a.exact is not None for a in c)
    flip = _flip(c)
    k = _first_nonzero(c, 3, MAX_ORDER)
    verdict, case, quantity = _paper(c, k)
    # The lowest non-zero flip term has odd order (if H = G o G = t + a t^e + ..., G o H = H o G
    # gives -a = (-1)^e a), so only odd orders are searched; numerically, an even coefficient
    # that vanishes identically would only ever read as "unknown".
    odd = [flip[j] if j % 2 else Real(Fraction(0)) for j in range(len(flip))]
    p = _first_nonzero(odd, 2, MAX_FLIP_ORDER)
    if exact:  # self-check of the oracle against the theorem
        below = p if isinstance(p, int) else MAX_FLIP_ORDER + 1
        assert all(flip[j].sign == 0 for j in range(below)), f"oracle bug: even flip term below {p} for {text} at {at}"
    return Oracle(
        text, at, Real(parse(at)), c, k, verdict, case, quantity, p,
        flip[p] if isinstance(p, int) else None, flip, exact, _is_quadratic(parse(text)),
    )


def _is_quadratic(f: sp.Expr) -> bool:
    return f.is_polynomial(X) and sp.Poly(f, X).degree() <= 2


@dataclass(frozen=True)
class L2Oracle:
    """The L2 rule for ``(g - y)^2`` at ``xb``: holds iff ``g' != 0`` and ``g' g''' - 6 g''^2 < 0``;
    where that quantity is exactly 0 the rule is silent and the verdict is the loss's own."""

    g_derivatives: tuple  # Real g^(j)(xb), j = 0..3
    g_condition: Real
    verdict: str | None
    loss: Oracle


@functools.lru_cache(maxsize=256)
def analyse_l2(g_text: str, target: str, at: str) -> L2Oracle:
    """The oracle for the L2 loss ``(g - target)^2`` at ``at`` (where ``g(at) = target``)."""
    raw = [Real(a) for a in _series(parse(g_text), parse(at), 3)]
    d = tuple(raw[j].scaled(sp.factorial(j)) for j in range(4))
    cond = combine(lambda g1, g2, g3: g1 * 6 * g3 - 6 * (2 * g2) ** 2, raw[1], raw[2], raw[3])
    loss = analyse(f"({g_text} - ({target}))**2", at)
    if d[1].sign is None or cond.sign is None:
        verdict = None
    elif cond.sign == 0:
        verdict = loss.paper_verdict  # the rule is silent at an exact 0: the loss's own verdict
    else:
        verdict = "holds" if d[1].sign != 0 and cond.sign < 0 else "fails"
    return L2Oracle(d, cond, verdict, loss)


# --- printed enclosures --------------------------------------------------------------------

_ENCLOSURE = re.compile(r"\[\s*([-+0-9.eE]*)\s*\+/-\s*([0-9.eE+-]+)\s*\]")


def parse_enclosure(text: str, dps: int = HIGH_DPS + 20):
    """``[m +/- r]`` (or ``[+/- r]``) as mpmath ``(m, r)``."""
    m = _ENCLOSURE.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"not an enclosure: {text!r}")
    with mpmath.workdps(dps):
        return mpmath.mpf(m.group(1) or "0"), mpmath.mpf(m.group(2))


def reversion(v: list) -> list:
    """The compositional inverse ``w`` of a series ``v`` with ``v(0) = 0``, ``v'(0) != 0``:
    ``v(w(s)) = s`` to the length of ``v`` (coefficient by coefficient)."""
    n = len(v)
    w = [sp.S.Zero, _c(1 / v[1])] + [sp.S.Zero] * (n - 2)
    for j in range(2, n):
        # The coefficient of s^j in v(w) is v1 w_j + (terms in w_1..w_{j-1}); solve for w_j.
        comp = _compose([sp.S.Zero] + list(v[1:]), w)
        w[j] = _c(-comp[j] / v[1])
    return w
