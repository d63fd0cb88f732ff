"""Closed forms of bifurcation constants: recognised numerically, then *proved* where possible.

For a polynomial loss, the learning rate at which the 2-cycle has multiplier ``c`` is a root of
``R_c(eta) = res_x( (F(F(x)) - x)/(F(x) - x), F'(x) F'(F(x)) - c )`` (python-flint
``fmpq_mpoly`` resultant).  If exactly one root of ``R_c``'s irreducible factors lies in the
certified enclosure of ``eta``, that factor is ``eta``'s minimal polynomial: an exact proof.
Otherwise a recognised form (``mpmath.identify``) is only reported as *consistent* with the
enclosure to the digits checked, never as proved.

>>> import sympy as sp
>>> from flint import arb
>>> x = sp.Symbol("x")
>>> cf = prove_event_constant((x**2 - 1)**2 / 4, x, 0, -1 + 3 / arb(2).sqrt())
>>> cf.status, cf.minimal_polynomial, cf.expression
('proved', '2*eta**2 + 4*eta - 7', '-1 + 3*sqrt(2)/2')
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy as sp
from flint import acb, arb, ctx, fmpq, fmpq_mpoly, fmpq_mpoly_ctx, fmpq_poly

from ..errors import EosError
from ..core.jets import constant_enclosure
from ..core.parse import parse_constant
from ..core.vocabulary import ClosedFormStatus, Rigor

__all__ = ["ClosedForm", "prove_event_constant", "recognise", "gd_polynomials"]

_ETA = sp.Symbol("eta")
#: Degree above which the exact elimination is not attempted (it is then only recognised).
MAX_LOSS_DEGREE = 12


@dataclass(frozen=True)
class ClosedForm:
    """``expression`` for a constant, with its ``minimal_polynomial`` and how much we know
    (``status``): ``proved`` (minimal polynomial by elimination, root isolated uniquely) or
    ``consistent`` (matches the enclosure to ``digits``), else ``unknown``.

    >>> with ctx.workprec(128):
    ...     recognise(arb(2).sqrt() + 1, 30)
    ClosedForm(expression='1 + sqrt(2)', minimal_polynomial='eta**2 - 2*eta - 1', status='consistent', digits=30)
    """

    expression: str | None
    minimal_polynomial: str | None
    status: ClosedFormStatus
    digits: int | None = None

    def to_dict(self) -> dict:
        return {
            "expression": self.expression,
            "minimal_polynomial": self.minimal_polynomial,
            "status": self.status,
            "digits": self.digits,
            # proved: exact; consistent (recognised to some digits): evidence; unknown: nothing.
            "rigor": {ClosedFormStatus.PROVED: Rigor.EXACT, ClosedFormStatus.CONSISTENT: Rigor.NUMERICAL}.get(self.status, Rigor.NONE),
        }


def _rational_coefficients(poly: sp.Poly) -> list[fmpq] | None:
    out = []
    for c in poly.all_coeffs():
        if not c.is_Rational:
            return None
        out.append(fmpq(int(c.p), int(c.q)))
    return out


@dataclass(frozen=True)
class GDPolynomials:
    """For a loss with rational polynomial ``f'``: in ``Q[x, e]`` (``e`` is eta), the GD map
    ``F = x - e f'(x)``, its derivative ``dF`` and the 2-cycle polynomial
    ``cycle = (F(F(x)) - x) / (F(x) - x)`` (exact division), whose roots in ``x`` are the
    points of 2-cycles."""

    ring: fmpq_mpoly_ctx
    x: fmpq_mpoly
    e: fmpq_mpoly
    F: fmpq_mpoly
    dF: fmpq_mpoly
    cycle: fmpq_mpoly


def gd_polynomials(expr: sp.Expr, var: sp.Symbol) -> GDPolynomials | None:
    """:class:`GDPolynomials` of ``expr`` in ``var``: the GD map ``F = x - e f'(x)``, its
    derivative ``dF`` and the 2-cycle polynomial ``(F(F(x)) - x) / (F(x) - x)`` over ``Q[x, e]``;
    None when ``f'`` is not a rational polynomial (of degree at most :data:`MAX_LOSS_DEGREE`).

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> gd_polynomials((x**2 - 1)**2 / 4, x).F
    -x^3*e + x*e + x
    >>> gd_polynomials(sp.exp(x), x) is None
    True
    """
    if not expr.is_polynomial(var):
        return None
    poly = sp.Poly(sp.expand(sp.diff(expr, var)), var)
    if poly.degree() > MAX_LOSS_DEGREE or poly.degree() < 1:
        return None
    coeffs = _rational_coefficients(poly)
    if coeffs is None:
        return None
    R = fmpq_mpoly_ctx.get(("x", "e"), "lex")
    x, e = R.gens()
    fp = sum((c * x ** (len(coeffs) - 1 - i) for i, c in enumerate(coeffs)), R.from_dict({}))
    F = x - e * fp
    cycle, rem = divmod(F.compose(F, e) - x, F - x)
    if not rem.is_zero():
        return None
    return GDPolynomials(R, x, e, F, 1 - e * fp.derivative("x"), cycle)


def prove_event_constant(expr: sp.Expr, var: sp.Symbol, target: int, eta: arb) -> ClosedForm | None:
    """Exact closed form of the ``eta`` where a 2-cycle of ``F = x - eta f'`` has multiplier
    ``target``, given a certified enclosure ``eta``; ``f`` is the ``expr`` in ``var``; None when
    it is not a rational polynomial.

    >>> x = sp.Symbol("x")
    >>> with ctx.workprec(128):
    ...     eta = arb(arb("1.1213203435596425732025330863145471178545").mid(), arb(10) ** -30)
    ...     prove_event_constant((x**2 - 1)**2 / 4, x, 0, eta)
    ClosedForm(expression='-1 + 3*sqrt(2)/2', minimal_polynomial='2*eta**2 + 4*eta - 7', status='proved', digits=None)

    >>> prove_event_constant(sp.exp(x), x, 0, eta) is None  # refused: exp is not a rational polynomial
    True
    """
    gp = gd_polynomials(expr, var)
    if gp is None:
        return None
    F, dF, cycle, e = gp.F, gp.dF, gp.cycle, gp.e
    event = dF * dF.compose(F, e) - target
    res = cycle.resultant(event, "x")
    if res.is_zero():
        return None
    candidates = []
    for factor, _ in res.factor()[1]:
        univariate = fmpq_poly([_coeff(factor, i) for i in range(factor.degrees()[1] + 1)])
        if univariate.degree() < 1:
            continue
        for root in univariate.complex_roots():
            r = root[0] if isinstance(root, tuple) else root
            if r.imag.contains(0) and r.real.overlaps(eta):
                candidates.append((univariate, r.real))
    if len(candidates) != 1:
        return ClosedForm(None, None, ClosedFormStatus.UNKNOWN)
    minpoly, _ = candidates[0]
    expr_eta = sum(sp.Rational(int(c.p), int(c.q)) * _ETA**i for i, c in enumerate(minpoly.coeffs()))
    minpoly_text = sp.sstr(sp.Poly(expr_eta, _ETA).primitive()[1].as_expr())
    return ClosedForm(_radical_root(expr_eta, eta), minpoly_text, ClosedFormStatus.PROVED)


def _coeff(p: fmpq_mpoly, i: int) -> fmpq:
    """Coefficient of ``e^i`` in a polynomial of the (x, e) context that does not involve x."""
    return p.to_dict().get((0, i), fmpq(0))


def _radical_root(poly_expr: sp.Expr, eta: arb) -> str | None:
    """The root of ``poly_expr`` in radicals that lies in ``eta`` (degree <= 4), else None."""
    if sp.degree(poly_expr, _ETA) > 4:
        return None
    matches = []
    for root in sp.roots(sp.Poly(poly_expr, _ETA), multiple=True):
        if root.has(sp.I):
            continue
        try:
            ball = constant_enclosure(root, 256)
        except EosError:  # a real root written with radicals of negative numbers
            continue
        if ball.overlaps(eta):
            matches.append(root)
    if len(matches) != 1:
        return None
    text = sp.sstr(sp.radsimp(matches[0]))
    return text if len(text) <= 80 else None  # past that, the minimal polynomial says more


def recognise(eta: arb, digits: int = 30) -> ClosedForm:
    """A guess, kept only if consistent with the certified enclosure ``eta``: an integer
    polynomial of degree <= 4 (``mpmath.findpoly``) with a root in ``eta``, else an
    ``mpmath.identify`` form in ``pi`` and ``log(2)`` whose enclosure overlaps ``eta``.  Never
    ``proved``: the status is ``consistent`` to the ``digits`` the enclosure has.

    >>> with ctx.workprec(128):
    ...     recognise(arb(2).sqrt() + 1, 30).expression
    '1 + sqrt(2)'

    >>> with ctx.workprec(128):
    ...     recognise(arb(7).exp() / 3, 30).status  # undecided: no polynomial or identify form fits
    'unknown'
    """
    good = digits
    if eta.rad() > 0:
        good = int(min(digits, max(0, -float(eta.rad().log()) / 2.302585092994046)))
    if good < 10:
        return ClosedForm(None, None, ClosedFormStatus.UNKNOWN)
    with mpmath.workdps(min(digits, good, 40)):
        value = mpmath.mpf(eta.mid()._mpf_)
        try:
            coefficients = mpmath.findpoly(value, 4, maxcoeff=10**4)
            guess = None if coefficients else mpmath.identify(value, ["pi", "log(2)"])
        except (ValueError, ZeroDivisionError, OverflowError):  # PSLQ refuses some inputs
            return ClosedForm(None, None, ClosedFormStatus.UNKNOWN)
    if coefficients:
        if coefficients[0] < 0:
            coefficients = [-c for c in coefficients]
        poly = sum(int(c) * _ETA ** (len(coefficients) - 1 - i) for i, c in enumerate(coefficients))
        # python-flint's stubs (0.9) type the roots as acb; they are (acb, multiplicity) pairs
        pairs: list[tuple[acb, int]] = fmpq_poly([int(c) for c in reversed(coefficients)]).complex_roots()  # type: ignore[assignment]
        roots = [r for r, _ in pairs]
        if sum(1 for r in roots if r.imag.contains(0) and r.real.overlaps(eta)) == 1:
            return ClosedForm(_radical_root(poly, eta), sp.sstr(poly), ClosedFormStatus.CONSISTENT, good)
        return ClosedForm(None, None, ClosedFormStatus.UNKNOWN)
    if guess is None:
        return ClosedForm(None, None, ClosedFormStatus.UNKNOWN)
    try:
        candidate = parse_constant(guess)
    except EosError:  # identify's output is our own, but never trust it blindly
        return ClosedForm(None, None, ClosedFormStatus.UNKNOWN)
    with ctx.workprec(256):
        if not constant_enclosure(candidate, 256).overlaps(eta):
            return ClosedForm(None, None, ClosedFormStatus.UNKNOWN)
    return ClosedForm(sp.sstr(candidate), None, ClosedFormStatus.CONSISTENT, good)
