"""Exact global proofs of the L2 condition for a base model: ``C = g' g''' - 6 g''^2 < 0`` on the
whole domain (wherever ``g' != 0``), from a form of ``C`` whose sign can be read off and checked.

sympy factors ``C``; the form is accepted only when ``C - form`` is proved to be exactly 0.  Each
factor then gets a sign with a reason a reader can check:

* a rational constant or ``pi``: its sign;
* ``exp(...)``, ``cosh(...)``: positive;
* an even power ``b^(2k)``: positive where ``b != 0``; for ``k > 0`` its real zeros in the domain
  must be zeros of ``g'`` (proved exactly), where the L2 setting degenerates anyway;
* the rest: a polynomial ``P(u)`` in one atom ``u`` with a known range ``I`` (``u = x`` on the
  domain, ``cos x`` or ``sin x`` in ``[-1, 1]``, ``tanh x`` in ``(-1, 1)``, ``exp(+-x)`` in
  ``(0, inf)``): an exact Sturm count of its real roots in the closure of ``I`` is 0, so ``P`` has
  the sign of its value at one point of ``I`` on all of ``I`` (for bounded ``I`` also its maximum
  or minimum over the closure, from the endpoints and the exact roots of ``P'``).

A model whose ``C`` is identically 0 gets the exact global verdict ``fails`` (equality).  Anything
else gets no global proof (the interval certificates remain the evidence).

>>> p = global_proof(sp.sin(sp.Symbol("x")))
>>> p.status, p.form
('holds', '5*cos(x)**2 - 6')
>>> p.reasons[0]
'5*u**2 - 6 with u = cos(x) in [-1, 1]: no real root there (Sturm count 0), -6 at u = 0, max -1 on [-1, 1]; so < 0'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from ..core.decide import within_seconds
from ..core.vocabulary import Rigor, Verdict

__all__ = ["GlobalProof", "global_proof", "condition_expression"]

#: sympy's simplify runs in a forked child with this budget (seconds) per identity.
IDENTITY_SECONDS = 20.0


@dataclass(frozen=True)
class GlobalProof:
    """An exact proof that ``C = g' g''' - 6 g''^2`` has one sign on the whole domain: the
    ``status`` (``holds``: ``C < 0`` wherever ``g' != 0``; ``fails``: ``C = 0`` identically), the
    ``form`` with ``C - form = 0`` proved (``identity``), one reason per factor in ``reasons``,
    and ``zeros``: the points where ``C = 0``, each a proved zero of ``g'``.

    >>> p = global_proof(sp.Symbol("x")**3)
    >>> p.status, p.form, p.zeros, p.identity
    ('holds', '-198*x**2', ('0',), 'C - (-198*x**2) = 0 (sympy, exact)')
    """

    status: Verdict
    form: str
    identity: str
    reasons: tuple[str, ...]
    zeros: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """One line for a report: the form and why it has its sign."""
        if self.status == Verdict.FAILS:
            return f"C = g' g''' - 6 g''^2 = 0 identically: the condition fails everywhere (equality); {self.identity}"
        where = f" wherever g' != 0 (C = 0 only at x = {', '.join(self.zeros)}, zeros of g')" if self.zeros else ""
        return f"C = {self.form} < 0{where}: " + "; ".join(self.reasons)

    def to_dict(self) -> dict[str, Any]:
        return {"rigor": Rigor.EXACT, "status": self.status, "form": self.form, "identity": self.identity,
                "reasons": list(self.reasons), "zeros": list(self.zeros), "text": self.text}


def condition_expression(g: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """``C = g' g''' - 6 g''^2`` as sympy computes it.

    >>> condition_expression(sp.exp(sp.Symbol("x")), sp.Symbol("x"))
    -5*exp(2*x)
    """
    d1, d2, d3 = (sp.diff(g, x, k) for k in (1, 2, 3))
    return sp.expand(d1 * d3 - 6 * d2**2)


def _is_zero(value: sp.Expr) -> bool:
    # Rewritten in exp, C - form is a rational function of exponentials: cancel decides it.
    return sp.cancel(sp.expand(value.rewrite(sp.exp))) == 0 or sp.simplify(value) == 0


def _identity(c: sp.Expr, form: sp.Expr) -> bool:
    return bool(within_seconds(_is_zero, c - form, IDENTITY_SECONDS))


def _atoms(x: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> list[tuple[sp.Expr, sp.Expr, sp.Expr, bool, bool, str]]:
    """(atom, range lo, range hi, lo attained, hi attained, range text) for each atom tried."""
    dom = f"({lo}, {hi})"
    return [
        (x, lo, hi, False, False, f"the domain {dom}"),
        (sp.cos(x), sp.Integer(-1), sp.Integer(1), True, True, "[-1, 1]"),
        (sp.sin(x), sp.Integer(-1), sp.Integer(1), True, True, "[-1, 1]"),
        (sp.tanh(x), sp.Integer(-1), sp.Integer(1), False, False, "(-1, 1)"),
        (sp.exp(x), sp.Integer(0), sp.oo, False, False, "(0, inf)"),
        (sp.exp(-x), sp.Integer(0), sp.oo, False, False, "(0, inf)"),
    ]


def _polynomial_sign(factor: sp.Expr, x: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> tuple[int, str] | None:
    """The sign of ``factor`` on the domain, read as a polynomial in one atom, with the reason."""
    u = sp.Symbol("u")
    for atom, a, b, a_in, b_in, where in _atoms(x, lo, hi):
        expr = factor.subs(atom, u)
        if x in expr.free_symbols:
            continue
        try:
            poly = sp.Poly(expr, u)
        except sp.PolynomialError:
            continue
        if not all(coefficient.is_rational for coefficient in poly.all_coeffs()):
            continue
        # Sturm: no real root in the closure of the range, once the factors u - end of the ends
        # the range does not attain are divided out (they vanish only outside it).
        inner = poly
        for end, attained in ((a, a_in), (b, b_in)):
            while end.is_finite and not attained and inner.degree() > 0 and inner.eval(end) == 0:
                inner = inner.quo(sp.Poly(u - end, u))
        roots = inner.count_roots(None if a == -sp.oo else a, None if b == sp.oo else b)
        if roots:
            return None
        sample = _inner_point(a, b)
        value = poly.eval(sample)
        sign = 1 if value > 0 else -1
        text = f"{poly.as_expr()} with u = {atom} in {where}: no real root there (Sturm count 0), {value} at u = {sample}"
        if a.is_finite and b.is_finite:
            ends = [a, b]
            critical = [r for r in sp.Poly(poly.diff(u), u).real_roots() if a < r < b] if poly.degree() > 1 else []
            values = [poly.as_expr().subs(u, t) for t in ends + critical]
            bound = sp.nsimplify(max(values) if sign < 0 else min(values))
            closure = "[" + f"{a}, {b}" + "]"
            text += f", {'max' if sign < 0 else 'min'} {bound} on {closure}"
        return sign, text + f"; so {'< 0' if sign < 0 else '> 0'}"
    return None


def _inner_point(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    if a.is_finite and b.is_finite:
        return (a + b) / 2
    if a.is_finite:
        return a + 1
    if b.is_finite:
        return b - 1
    return sp.Integer(0)


def _positive(base: sp.Expr) -> bool:
    return isinstance(base, (sp.exp, sp.cosh)) or base == sp.pi or (base.is_number and bool(base > 0))


def global_proof(g: sp.Expr, x: sp.Symbol | None = None, lo: sp.Expr = -sp.oo, hi: sp.Expr = sp.oo) -> GlobalProof | None:
    """The exact global proof for the base model ``g`` in ``x`` on the open domain ``(lo, hi)``,
    or None when the factors of sympy's form cannot all be given a sign this way.

    >>> x = sp.Symbol("x")
    >>> p = global_proof(sp.log(x), x, sp.Integer(0))
    >>> p.form, p.reasons[0]
    ('-4/x**4', '-4 < 0')
    >>> p.reasons[1].startswith("x**(-4) > 0 (an even power of x, which is never 0: u with u = x in the domain (0, oo)")
    True
    >>> global_proof(2 * x + 1, x).status, global_proof(sp.exp(-x**2) * sp.sin(x), x)
    ('fails', None)
    """
    if x is None:
        x = sorted(g.free_symbols, key=str)[0]
    c = condition_expression(g, x)
    if c == 0:
        return GlobalProof(Verdict.FAILS, "0", "C = 0 exactly (sympy expansion)", ())
    form = sp.factor(sp.simplify(c))
    if form == 0 and _identity(c, sp.Integer(0)):
        return GlobalProof(Verdict.FAILS, "0", "C - 0 = 0 (sympy, exact)", ())
    if not _identity(c, form):
        return None
    sign, reasons, zeros = 1, [], []
    d1 = sp.diff(g, x)
    for factor in sp.Mul.make_args(form):
        base, e = factor.as_base_exp()
        if factor.is_number and factor.is_real:
            s = 1 if factor > 0 else -1
            reasons.append(f"{factor} {'>' if s > 0 else '<'} 0")
        elif _positive(base):
            s = 1
            reasons.append(f"{factor} > 0")
        elif e.is_integer and e.is_even:
            s = 1
            signed = _polynomial_sign(base, x, lo, hi)
            if signed is not None:
                reasons.append(f"{factor} > 0 (an even power of {base}, which is never 0: {signed[1]})")
            elif e > 0:
                found = sp.solveset(base, x, sp.Interval.open(lo, hi))
                found = sp.FiniteSet() if found is sp.S.EmptySet else found
                if not isinstance(found, sp.FiniteSet) or not all(sp.simplify(d1.subs(x, z)) == 0 for z in found):
                    return None
                zeros += [str(z) for z in found]
                reasons.append(f"{factor} >= 0 (an even power; 0 only at {', '.join(map(str, found)) or 'no point'}, "
                               "zeros of g')")
            else:
                reasons.append(f"{factor} > 0 (an even power; {base} != 0 where C is defined)")
        else:
            read = _polynomial_sign(base, x, lo, hi)
            if read is None or not e.is_integer:
                return None
            s = read[0] ** int(e)
            reasons.append(read[1] + (f" (to the power {e})" if e != 1 else ""))
        sign *= s
    if sign > 0:
        return None  # C > 0 everywhere: a global failure, which the certificates report
    return GlobalProof(Verdict.HOLDS, str(form), f"C - ({form}) = 0 (sympy, exact)", tuple(reasons), tuple(zeros))
