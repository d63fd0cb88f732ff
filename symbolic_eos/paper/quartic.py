"""The paper's quartic ``f(x) = (x^2 - 1)^2/4`` (minimum ``xb = 1``, ``eta0 = 2/f''(1) = 1``).

The paper's claim: for ``1 < eta < 1.121`` and ``x0`` in ``(0, 1)``, GD converges to a 2-cycle
``{delta1, delta2}`` whose points solve ``eta = 1/(delta^2 (sqrt(1/delta^2 - 3/4) + 1/2))``.
Everything below is computed, not assumed:

a. :func:`orbit_equation_check`: the certified 2-cycle satisfies the paper's equation, first to
   the requested digits (balls), then exactly.  Solving the equation for the square root and
   squaring gives ``P(delta, eta) = eta^2 delta^4 - (eta^2 + eta) delta^2 + 1 = 0`` with the
   branch ``1/(eta delta^2) - 1/2 >= 0``; ``P`` divides ``(F(F(x)) - x)/(F(x) - x)`` in
   ``Q[x, eta]``, so a 2-cycle point where the cofactor is certified non-zero is a root of ``P``,
   and with the branch certified positive the paper's equation holds exactly.
b. :func:`where_1121_comes_from`: the stability window of the 2-cycle (superstable point and
   loss of stability, with proved closed forms) explains the constant 1.121.
c. :func:`basin_claim`: where GD from a grid of ``x0`` in ``(0, 1)`` goes, inside the paper's
   range and beyond it (per start exact / certified / numeric; a finite grid is evidence).
d. :func:`exceptional_set`: the claim is false as stated.  ``F(x) - 1 = -(x - 1)(eta x^2 + eta x - 1)``,
   so at every ``eta`` in ``(1, 1.121)`` the start ``(sqrt(1 + 4/eta) - 1)/2`` in ``(0, 1)`` maps exactly
   onto the minimum 1 and stays there; so do its preimages.  The exceptional set
   ``E = union_n F^-n({1})`` meets ``(0, 1)`` in a countably infinite set (proved for every such
   ``eta``); at ``eta = 25/24``, ``F(3/5) = 1`` in exact rationals.
e. :func:`quartic_report` gathers the four into a :class:`QuarticReport`.

>>> t = where_1121_comes_from(20)
>>> t.superstable_form, t.loss_form, t.loss_type, t.truncation
('-1 + 3*sqrt(2)/2', '-1 + sqrt(5)', 'period_doubling', 1121)
>>> t.multiplier_formula
'-2*eta**2 - 4*eta + 7'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

import sympy as sp
from flint import arb, ctx, fmpq, fmpq_mpoly, fmpq_poly
from sympy.polys.polyfuncs import symmetrize

from ..core import arguments
from ..dynamics.basin import BasinReport, basin_check, interior_grid
from ..dynamics.closed_forms import gd_polynomials
from ..core.decide import weakest_rigor
from ..core.numbers import decimal_string, enclosure_text, exact_string, short_decimal, upper_text
from ..dynamics.reports import WindowReport, curvature_ball, window_expr
from ..errors import EosError
from ..core.jets import constant_enclosure, to_fmpq
from ..core.decide import excludes_zero
from ..dynamics.orbits import GradientMap, NoCycle, TwoCycle, bits_for_digits, two_cycle
from ..core.parse import parse_constant, parse_expression
from ..core.progress import Progress
from ..analysis.check import check_expr
from ..analysis.results import markdown_text
from ..core.vocabulary import Evidence, Fate, LossType, Rigor
from .constants import QUARTIC_PROOF_ETAS

__all__ = [
    "QUARTIC",
    "MINIMUM",
    "PAPER_BOUND",
    "ORBIT_ETAS",
    "BASIN_ETAS",
    "PaperEquation",
    "paper_equation",
    "OrbitEquationRow",
    "OrbitEquationCheck",
    "orbit_equation_check",
    "ThresholdOrigin",
    "where_1121_comes_from",
    "BasinRow",
    "BasinClaim",
    "basin_claim",
    "QuarticReport",
    "quartic_report",
    "ExactLanding",
    "ExceptionalSet",
    "exceptional_set",
    "exact_landing",
    "first_rational_landing",
    "rational_exceptional_starts",
    "landings",
    "unexplained",
]

#: The loss and its minimum, as the user would type them.
QUARTIC = "(x**2 - 1)**2/4"
MINIMUM = "1"
#: The paper's upper bound on eta (the claim under test, not a computed value).
PAPER_BOUND = "1121/1000"
#: The paper's starting interval for x0.
PAPER_STARTS = ("0", "1")
#: Learning rates at which the orbit equation is checked (inside the paper's range).
ORBIT_ETAS = ("1001/1000", "101/100", "21/20", "11/10", "28/25")
#: Learning rates of the basin check: inside the paper's range, past 1.121, past the period doubling.
#: 25/24 is there because E has a rational point then (x0 = 3/5, F(3/5) = 1): the grid gets it.
BASIN_ETAS = ("101/100", "25/24", "21/20", "11/10", "28/25", "113/100", "23/20", "6/5", "123/100", "5/4", "13/10")

_DELTA, _ETA = sp.symbols("delta eta", positive=True)


def _decimal(eta: str) -> str:
    """``1.1`` for ``11/10`` (six significant digits, trailing zeros dropped)."""
    return short_decimal(parse_constant(eta), 6)


def _ratio_text(eta: str) -> str:
    """``11/10 (1.1)``: the exact learning rate and its decimal value."""
    value = parse_constant(eta)
    return exact_string(value) + ("" if value.is_Integer else f" ({_decimal(eta)})")


# ---------------------------------------------------------------------------------------------
# The setting, computed once.


@functools.cache
def _setting():
    """``(expr, x, GradientMap, StabilityCheck at x = 1)`` for the quartic."""
    expr = parse_expression(QUARTIC)
    x = sp.Symbol("x")
    return expr, x, GradientMap(expr, x), check_expr(expr, x, parse_constant(MINIMUM), text=QUARTIC, label=MINIMUM)


def certified_cycle(eta: str, digits: int) -> TwoCycle:
    """The certified 2-cycle of GD on the quartic at ``eta`` (cached); :class:`NoCycle` (with
    the sentence and its cause) when there is none.

    >>> certified_cycle("11/10", 20).certified
    True
    >>> try:
    ...     certified_cycle("9/10", 20)
    ... except NoCycle as none:
    ...     print(none.cause, none.message[:23])
    no_branch no 2-cycle is born here
    """
    found = _cycle_or_none(eta, digits)
    if isinstance(found, NoCycle):
        raise NoCycle(found.message, found.cause)  # a fresh one: the cached one keeps no traceback
    return found


@functools.lru_cache(maxsize=64)
def _cycle_or_none(eta: str, digits: int) -> TwoCycle | NoCycle:
    """:func:`certified_cycle`'s work, cached for a missing cycle too (a failure costs as much)."""
    _, _, gd, minimum = _setting()
    f2 = curvature_ball(minimum.curvature, bits_for_digits(digits))
    try:
        return two_cycle(gd, minimum.point, f2, minimum.flip, eta, parse_constant(eta), digits)
    except NoCycle as none:
        return NoCycle(none.message, none.cause)


# ---------------------------------------------------------------------------------------------
# a. The orbit equation.


@dataclass(frozen=True)
class PaperEquation:
    """The paper's equation made polynomial, and the exact divisibility that proves it.

    ``branch`` solves the equation for the square root (it must be >= 0); ``polynomial`` is the
    numerator of ``branch^2 - (1/delta^2 - 3/4)``; ``cycle_polynomial`` is
    ``(F(F(x)) - x)/(F(x) - x)`` in ``Q[x, eta]`` and ``cofactor`` its quotient by
    ``polynomial``; ``divides`` says the division is exact, ``branch_recovers_eta`` that the
    branch gives back the paper's ``eta``, and ``cofactor_terms`` holds the cofactor's terms.

    >>> pe = paper_equation()
    >>> pe.divides, pe.branch_recovers_eta, len(pe.cofactor_terms)
    (True, True, 3)
    """

    branch: sp.Expr
    polynomial: sp.Expr
    cycle_polynomial: sp.Expr
    cofactor: sp.Expr
    divides: bool
    branch_recovers_eta: bool
    cofactor_terms: tuple = field(default=(), repr=False, compare=False)

    @property
    def derivation_ok(self) -> bool:
        return self.divides and self.branch_recovers_eta

    def cofactor_at(self, delta: arb, eta: arb) -> arb:
        """The cofactor evaluated on balls."""
        return sum((c * delta**i * eta**j for (i, j), c in self.cofactor_terms), arb(0))

    def to_dict(self) -> dict:
        return {
            "equation": "eta = 1/(delta^2 (sqrt(1/delta^2 - 3/4) + 1/2))",
            "branch": sp.sstr(self.branch) + " >= 0",
            "polynomial": sp.sstr(self.polynomial),
            "cycle_polynomial": sp.sstr(self.cycle_polynomial),
            "cofactor": sp.sstr(self.cofactor),
            "divides": self.divides,
            "branch_recovers_eta": self.branch_recovers_eta,
            "rigor": Rigor.EXACT if self.derivation_ok else None,
        }


def _to_sympy(p: fmpq_mpoly, x: sp.Symbol, e: sp.Symbol) -> sp.Expr:
    return sum((sp.Rational(int(c.p), int(c.q)) * x**i * e**j for (i, j), c in p.to_dict().items()), sp.Integer(0))


@functools.cache
def paper_equation() -> PaperEquation:
    """Derive ``P`` from the paper's equation and prove ``P | (F(F(x)) - x)/(F(x) - x)``.

    >>> pe = paper_equation()
    >>> pe.polynomial, pe.cofactor, pe.derivation_ok
    (delta**4*eta**2 - delta**2*eta**2 - delta**2*eta + 1, -delta**2*eta + eta + 2, True)
    """
    d, e, s = _DELTA, _ETA, sp.Symbol("s", nonnegative=True)
    rhs = lambda root: 1 / (d**2 * (root + sp.Rational(1, 2)))  # noqa: E731
    solved = sp.solve(sp.Eq(e, rhs(s)), s)
    if len(solved) != 1:
        raise EosError("the paper's equation does not solve uniquely for the square root")
    branch = sp.expand(solved[0])
    numerator = sp.numer(sp.together(branch**2 - (1 / d**2 - sp.Rational(3, 4))))
    poly = sp.Poly(numerator, d, e)
    poly = poly.primitive()[1]
    if poly.LC() < 0:
        poly = -poly
    recovers = sp.simplify(rhs(branch) - e) == 0

    expr, x, _, _ = _setting()
    gp = gd_polynomials(expr, x)
    assert gp is not None  # the quartic's f' is a rational polynomial
    cycle = gp.cycle
    P = gp.ring.from_dict({(i, j): to_fmpq(c) for (i, j), c in poly.terms()})
    cofactor, rem = divmod(cycle, P)
    divides = rem.is_zero() and cofactor * P == cycle
    terms = tuple(((i, j), arb(c)) for (i, j), c in cofactor.to_dict().items())
    return PaperEquation(branch, poly.as_expr(), _to_sympy(cycle, d, e), _to_sympy(cofactor, d, e),
                         bool(divides), bool(recovers), terms)


@dataclass(frozen=True)
class OrbitEquationRow:
    """The certified 2-cycle at one ``eta`` against the paper's equation: its ``points``, the
    ``residuals`` ``RHS(delta) - eta`` (bounded by ``residual_bound``), the ``cofactors`` and
    ``branches`` ``1/(eta delta^2) - 1/2`` there, whether it ``agrees_to_digits``, has
    ``cofactor_nonzero`` and ``branch_positive``, is ``certified`` (Krawczyk) and ``proved``
    exactly, and a ``message`` when it is not.

    >>> r = orbit_equation_check(["11/10"], digits=20).rows[0]
    >>> r.eta, r.certified, r.agrees_to_digits, r.cofactor_nonzero, r.branch_positive, r.proved
    ('11/10', True, True, True, True, True)
    """

    eta: str
    points: tuple[str, ...]
    residuals: tuple[str, ...]          # enclosures of RHS(delta) - eta
    cofactors: tuple[str, ...]          # enclosures of the cofactor at (delta, eta)
    branches: tuple[str, ...]           # enclosures of 1/(eta delta^2) - 1/2
    agrees_to_digits: bool              # each residual contains 0 with radius < 10^-digits
    cofactor_nonzero: bool
    branch_positive: bool
    certified: bool                     # the 2-cycle is Krawczyk-certified
    proved: bool                        # the paper's equation holds exactly at the cycle
    message: str | None = None
    residual_bound: str | None = None   # upper bound on |RHS(delta) - eta| over both points

    def to_dict(self) -> dict:
        return {
            "eta": self.eta,
            "points": list(self.points),
            "residuals": list(self.residuals),
            "cofactors": list(self.cofactors),
            "branches": list(self.branches),
            "agrees_to_digits": self.agrees_to_digits,
            "cofactor_nonzero": self.cofactor_nonzero,
            "branch_positive": self.branch_positive,
            "certified": self.certified,
            "proved": self.proved,
            "rigor": Rigor.EXACT if self.proved else (Rigor.CERTIFIED if self.agrees_to_digits else None),
            "residual_bound": self.residual_bound,
            "message": self.message,
        }


@dataclass(frozen=True)
class OrbitEquationCheck:
    """Claim (a): the 2-cycle solves the paper's ``equation`` (one of ``rows`` at each eta of a
    grid, to ``digits`` digits).

    >>> o = orbit_equation_check(["11/10"], digits=20)
    >>> o.digits, len(o.rows), o.all_proved
    (20, 1, True)
    """

    digits: int
    equation: PaperEquation
    rows: tuple[OrbitEquationRow, ...]

    @property
    def all_proved(self) -> bool:
        return bool(self.rows) and all(r.proved for r in self.rows)

    @property
    def rigor(self) -> str:
        """``exact`` when the derivation and every row are proved, else the weakest row."""
        rows = [r.to_dict()["rigor"] for r in self.rows]
        return weakest_rigor([Rigor.EXACT if self.equation.derivation_ok else None] + rows)

    def to_dict(self) -> dict:
        return {"digits": self.digits, "equation": self.equation.to_dict(), "rows": [r.to_dict() for r in self.rows],
                "all_proved": self.all_proved, "rigor": self.rigor}

    def _lines(self) -> list[str]:
        eq = self.equation
        lines = [
            f"equivalent to P = {sp.sstr(eq.polynomial)} = 0 with the branch {sp.sstr(eq.branch)} >= 0"
            + (" (derived with sympy; the branch gives back eta exactly)" if eq.branch_recovers_eta else " (derivation NOT confirmed)"),
            f"P divides (F(F(x)) - x)/(F(x) - x) in Q[x, eta]: {'yes' if eq.divides else 'NO'}; cofactor {sp.sstr(eq.cofactor)}",
        ]
        for r in self.rows:
            if r.message:
                lines.append(f"eta = {_ratio_text(r.eta)}: {r.message}")
                continue
            pts = ", ".join(p[:22] for p in r.points)
            lines.append(
                f"eta = {_ratio_text(r.eta)}: delta = {pts}; |RHS - eta| <= {r.residual_bound} "
                f"({'agrees' if r.agrees_to_digits else 'does NOT agree'} "
                f"to {self.digits} digits); cofactor {'!= 0' if r.cofactor_nonzero else 'not certified != 0'}, "
                f"branch {'> 0' if r.branch_positive else 'not certified > 0'}: {'PROVED exactly' if r.proved else 'not proved'}"
            )
        return lines

    def to_text(self) -> str:
        return "\n".join(self._lines())

    def to_markdown(self) -> str:
        eq = self.equation
        rows = []
        for r in self.rows:
            if r.message:
                rows.append(f"| {_ratio_text(r.eta)} | - | - | - | {markdown_text(r.message)} |")
                continue
            rows.append(f"| {_ratio_text(r.eta)} | {r.points[0][:20]}, {r.points[1][:20]} | {r.residuals[0]}, {r.residuals[1]} | "
                        f"{'yes' if r.agrees_to_digits else 'no'} | {'**proved**' if r.proved else 'not proved'} |")
        return (f"The paper's equation is equivalent to $P = {sp.latex(eq.polynomial)} = 0$ with "
                f"${sp.latex(eq.branch)} \\ge 0$. $P$ divides $(F(F(x)) - x)/(F(x) - x)$ exactly "
                f"({'yes' if eq.divides else 'no'}); cofactor ${sp.latex(eq.cofactor)}$.\n\n"
                f"| eta | 2-cycle | RHS - eta | agrees to {self.digits} digits | exact |\n|---|---|---|---|---|\n"
                + "\n".join(rows) + "\n")


MAX_STARTS = 10**5
#: The keyword options :func:`basin_claim` passes on to :func:`~symbolic_eos.dynamics.basin.basin_check`.
BASIN_OPTIONS = ("prec", "max_iter", "tol", "escape", "max_period")


def _eta_text(eta: object, name: str = "eta") -> str:
    return arguments.exact_text(eta, name)


def _orbit_row(eta: str, digits: int, eq: PaperEquation) -> OrbitEquationRow:
    try:
        found = certified_cycle(eta, digits)
    except NoCycle as none:
        return OrbitEquationRow(eta, (), (), (), (), False, False, False, False, False, none.message)
    prec = bits_for_digits(digits)
    with ctx.workprec(prec):
        e = constant_enclosure(parse_constant(eta), prec)
        tolerance = arb(10) ** (-digits)
        residuals, cofactors, branches = [], [], []
        for d in found.points:
            residuals.append(1 / (d**2 * ((1 / d**2 - arb(3) / 4).sqrt() + arb(1) / 2)) - e)
            cofactors.append(eq.cofactor_at(d, e))
            branches.append(1 / (e * d**2) - arb(1) / 2)
        agrees = all(r.contains(0) and r.rad() < tolerance for r in residuals)
        nonzero = all(excludes_zero(q) for q in cofactors)
        positive = all(b > 0 for b in branches) and all(d > 0 for d in found.points) and bool(e > 0)
        bound = upper_text(max((abs(r).upper() for r in residuals), key=lambda a: a.mid()))
    proved = bool(found.certified and eq.derivation_ok and nonzero and positive)
    return OrbitEquationRow(
        eta, tuple(decimal_string(p, max(digits, 15)) for p in found.points),
        tuple(enclosure_text(r, 5) for r in residuals), tuple(enclosure_text(q, 12) for q in cofactors),
        tuple(enclosure_text(b, 12) for b in branches), agrees, nonzero, positive, found.certified, proved,
        None if found.certified else "the 2-cycle could not be certified (Krawczyk failed)", bound,
    )


def orbit_equation_check(etas: Sequence = ORBIT_ETAS, digits: int = 30) -> OrbitEquationCheck:
    """Claim (a) at each eta of ``etas`` (exact: text or Fraction): the certified 2-cycle against
    the paper's equation, to ``digits`` digits and exactly.

    >>> orbit_equation_check(["11/10", "6/5"], digits=20).all_proved
    True

    >>> orbit_equation_check([1.1], digits=20)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: etas[0]: expected exact text, ..., got float 1.1 (write '1.1' or Fraction(11, 10))
    """
    etas = arguments.exact_texts(etas, "etas")
    digits = arguments.digits(digits)
    eq = paper_equation()
    return OrbitEquationCheck(digits, eq, tuple(_orbit_row(_eta_text(e), digits, eq) for e in etas))


# ---------------------------------------------------------------------------------------------
# b. Where 1.121 comes from.


@dataclass(frozen=True)
class ThresholdOrigin:
    """Claim (b): the stability ``window`` of the 2-cycle, and how the paper's 1.121
    (``paper_bound``) relates to it: the ``multiplier_formula`` as a function of eta, whether it
    ``formula_matches_window``, the certified ``truncation`` ``floor(1000 eta_superstable)`` and
    an ``explanation``.

    >>> th = where_1121_comes_from(20)
    >>> th.superstable_form, th.loss_form, th.truncation, th.formula_matches_window
    ('-1 + 3*sqrt(2)/2', '-1 + sqrt(5)', 1121, True)
    """

    window: WindowReport
    multiplier_formula: str | None          # F'(delta1) F'(delta2) as a function of eta (via P)
    formula_matches_window: bool            # its zeros at 0 and -1 are the proved minimal polynomials
    truncation: int | None                  # floor(1000 eta_superstable), certified
    paper_bound: str
    explanation: str

    @property
    def superstable_form(self) -> str | None:
        ev = self.window.superstable
        return ev.closed_form.expression if ev is not None and ev.certified and ev.closed_form else None

    @property
    def loss_form(self) -> str | None:
        ev = self.window.loss
        return ev.closed_form.expression if ev is not None and ev.certified and ev.closed_form else None

    @property
    def loss_type(self) -> str | None:
        return self.window.loss_type

    def to_dict(self) -> dict:
        w = self.window.to_dict()
        return {
            "eta_superstable": w["eta_superstable"],
            "eta_loss": w["eta_loss"],
            "loss_type": w["loss_type"],
            "closed_forms": w["closed_forms"],
            "multiplier_formula": self.multiplier_formula,
            "formula_matches_window": self.formula_matches_window,
            "paper_bound": self.paper_bound,
            "superstable_truncated_to_3_decimals": None if self.truncation is None else f"{self.truncation / 1000:.3f}",
            "explanation": self.explanation,
            "rigor": Rigor.EXACT if self.superstable_form and self.loss_form else Rigor.CERTIFIED,
        }

    def to_text(self) -> str:
        return self.window.to_text() + "\n  " + self.explanation

    def to_markdown(self) -> str:
        return self.window.to_markdown() + "\n" + markdown_text(self.explanation) + "\n"


def _multiplier_formula(eq: PaperEquation) -> sp.Expr | None:
    """``F'(delta1) F'(delta2)`` as a rational function of ``eta`` (Vieta on ``P`` in
    ``u = delta^2``; needs ``F'`` even in ``x``, as for the quartic)."""
    expr, x, _, _ = _setting()
    u, u1, u2 = sp.symbols("u u1 u2")
    slope = sp.expand(1 - _ETA * sp.diff(expr, x, 2))
    in_u = slope.subs(x**2, u)
    if in_u.has(x):
        return None
    p = sp.Poly(eq.polynomial.subs(_DELTA**2, u).subs(_DELTA, sp.sqrt(u)), u)
    if p.degree() != 2:
        return None
    a, b, c = p.all_coeffs()
    symmetric, rest, defs = symmetrize(sp.expand(in_u.subs(u, u1) * in_u.subs(u, u2)), u1, u2, formal=True)
    if rest != 0:
        return None
    values = {defs[0][0]: -b / a, defs[1][0]: c / a}
    return sp.factor(sp.simplify(symmetric.subs(values)))


def _matches(formula: sp.Expr | None, target: int, minimal_polynomial: str | None) -> bool:
    if formula is None or minimal_polynomial is None:
        return False
    minpoly = parse_expression(minimal_polynomial, ("eta",)).subs(sp.Symbol("eta"), _ETA)
    numerator = sp.numer(sp.together(formula - target))
    return sp.rem(sp.Poly(numerator, _ETA), sp.Poly(minpoly, _ETA)).is_zero


def where_1121_comes_from(digits: int = 30) -> ThresholdOrigin:
    """Claim (b): superstable and loss-of-stability learning rates of the quartic's 2-cycle
    (certified to ``digits`` digits, closed forms proved), and an explanation of the paper's
    bound built from them.

    >>> where_1121_comes_from(20).paper_bound
    '1121/1000'

    >>> where_1121_comes_from(3)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: `digits` must be between 5 and 20000, not 3
    """
    expr, x, _, _ = _setting()
    w = window_expr(expr, x, parse_constant(MINIMUM), digits=arguments.digits(digits), text=QUARTIC, label=MINIMUM)
    eq = paper_equation()
    formula = _multiplier_formula(eq)
    ss, loss = w.superstable, w.loss
    ss_ok = ss is not None and ss.certified
    loss_ok = loss is not None and loss.certified
    matches = bool(
        formula is not None and ss is not None and loss is not None and ss_ok and loss_ok and ss.closed_form and loss.closed_form
        and _matches(formula, 0, ss.closed_form.minimal_polynomial)
        and _matches(formula, -1 if loss.kind == LossType.PERIOD_DOUBLING else 1, loss.closed_form.minimal_polynomial)
    )
    truncation = None
    if ss is not None and ss_ok:
        with ctx.workprec(bits_for_digits(digits)):
            fl = (ss.eta * 1000).floor()
            whole = fl.unique_fmpz()
            truncation = int(whole) if fl.is_exact() and whole is not None else None
    bound = parse_constant(PAPER_BOUND)
    shown = lambda ev: decimal_string(ev.eta, 12)  # noqa: E731
    form = lambda ev: (f"{ev.closed_form.expression} = " if ev.closed_form and ev.closed_form.expression else "")  # noqa: E731
    minpoly = lambda ev: (f" (minimal polynomial {ev.closed_form.minimal_polynomial}, {ev.closed_form.status})"  # noqa: E731
                          if ev.closed_form and ev.closed_form.minimal_polynomial else "")
    parts = []
    if ss_ok:
        matched = truncation is not None and Fraction(truncation, 1000) == Fraction(int(bound.p), int(bound.q))
        parts.append(
            f"The paper's bound {short_decimal(bound, 4)} "
            + ("matches" if matched else "does NOT match")
            + f" the superstable learning rate eta = {form(ss)}{shown(ss)}{minpoly(ss)} truncated to three decimals"
            + (f" (certified: floor(1000 eta) = {truncation})." if truncation is not None else ".")
        )
        if formula is not None:
            parts.append(f"There the multiplier F'(delta1) F'(delta2) = {sp.sstr(formula)} of the 2-cycle vanishes and changes sign"
                         + (" (this formula, from P by Vieta, vanishes and equals -1 exactly at the two proved minimal polynomials)."
                            if matches else "."))
    else:
        parts.append("No superstable point of the 2-cycle could be certified.")
    if loss is not None and loss_ok:
        parts.append(
            f"Stability only needs |multiplier| < 1, which holds up to eta = {form(loss)}{shown(loss)}{minpoly(loss)}, "
            f"where the 2-cycle loses stability by {loss.kind.replace('_', ' ')}: the stable 2-cycle exists for "
            f"1 < eta < {shown(loss)}, a wider range than the paper's 1 < eta < {short_decimal(bound, 4)}."
        )
    else:
        parts.append("No loss of stability of the 2-cycle could be certified.")
    return ThresholdOrigin(w, None if formula is None else sp.sstr(formula), matches, truncation, PAPER_BOUND, " ".join(parts))


# ---------------------------------------------------------------------------------------------
# c. The basin claim.


@dataclass(frozen=True)
class BasinRow:
    """The basin check (``report``) at one ``eta``, with the ``region`` where ``eta`` lies
    relative to the thresholds, and a ``message`` when there is no report.

    >>> row = basin_claim(etas=["11/10"], n_starts=3, digits=20).rows[0]
    >>> row.eta, row.region, row.report.counts["cycle"], row.message
    ('11/10', 'paper', 3, None)
    """

    eta: str
    region: str
    report: BasinReport | None
    message: str | None = None

    def to_dict(self) -> dict:
        return {"eta": self.eta, "region": self.region, "message": self.message,
                "basin": None if self.report is None else self.report.to_dict()}


_REGIONS = {
    "paper": "inside the paper's range (1, 1.121)",
    "between": "past 1.121, before the loss of stability",
    "beyond": "past the loss of stability",
    "outside": "not above eta0 = 1",
    "undecided": "undecided (too close to a threshold)",
}


@dataclass(frozen=True)
class BasinClaim:
    """Claim (c): GD from a grid of ``n_starts`` values ``x0`` in the open ``interval``
    ``(0, 1)`` at several ``eta`` (one of ``rows`` each), with the certified loss of stability
    ``eta_loss`` and the ``conclusion``.

    >>> b = basin_claim(etas=["11/10"], n_starts=3, digits=20)
    >>> b.interval, b.n_starts, b.eta_loss, len(b.rows)
    (('0', '1'), 3, '1.23606797750', 1)
    """

    interval: tuple[str, str]
    n_starts: int
    eta_loss: str | None
    rows: tuple[BasinRow, ...]
    conclusion: str

    def to_dict(self) -> dict:
        return {"interval": list(self.interval), "starts_per_eta": self.n_starts, "eta_loss": self.eta_loss,
                "rows": [r.to_dict() for r in self.rows], "conclusion": self.conclusion, "rigor": Rigor.NUMERICAL,
                "note": "each start is classified with exact / certified / numeric evidence; "
                        "a finite grid of starts is numeric evidence about the interval"}

    def _table(self) -> list[tuple[str, str, str, str, str]]:
        out = []
        for r in self.rows:
            if r.report is None:
                out.append((_ratio_text(r.eta), _REGIONS[r.region], "-", r.message or "", "-"))
                continue
            rep = r.report
            rest = ", ".join(f"{k}: {v}" for k, v in rep.exception_summary.items()) or "none"
            if landings(rep):
                rest += " (x0 = " + ", ".join(o.start for o in landings(rep)[:3]) + ", exactly)"
            ev = ", ".join(f"{v} {k}" for k, v in sorted(rep.evidence_counts.items()))
            out.append((_ratio_text(r.eta), _REGIONS[r.region], f"{rep.counts['cycle']}/{len(rep.outcomes)}", rest, ev))
        return out

    def to_text(self) -> str:
        rows = self._table()
        head = ("eta", "region", "to 2-cycle", "exceptions", "evidence")
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
        fmt = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()  # noqa: E731
        return "\n".join([fmt(head)] + [fmt(r) for r in rows] + ["", self.conclusion])

    def to_markdown(self) -> str:
        body = "\n".join("| " + " | ".join(markdown_text(c) for c in r) + " |" for r in self._table())
        return ("| eta | region | to 2-cycle | exceptions | evidence |\n|---|---|---|---|---|\n" + body
                + "\n\n" + markdown_text(self.conclusion) + "\n")


def _region(eta: sp.Expr, loss: arb | None) -> str:
    if eta <= 1:
        return "outside"
    if eta < parse_constant(PAPER_BOUND):
        return "paper"
    if loss is None:
        return "undecided"
    with ctx.workprec(256):
        e = constant_enclosure(eta, 256)
        if e < loss:
            return "between"
        if e > loss:
            return "beyond"
    return "undecided"


def landings(report: BasinReport) -> tuple:
    """Starts of the basin ``report`` that land exactly on the minimum (exact rationals): points
    of ``E``, the known exceptions, counted as such.

    >>> from fractions import Fraction
    >>> from symbolic_eos import orbit
    >>> cycle = orbit("(x**2 - 1)**2/4", "25/24", at="1", digits=30).orbits[0]
    >>> report = basin_check("(x**2 - 1)**2/4", "x", "25/24", cycle.points, [Fraction(1, 2), Fraction(3, 5)], minimum=1)
    >>> [o.start for o in landings(report)], unexplained(report)
    (['3/5'], ())
    """
    return tuple(o for o in report.exceptions if o.kind is Fate.MINIMUM and o.evidence == Evidence.EXACT)


def unexplained(report: BasinReport) -> tuple:
    """Exceptions of the basin ``report`` that are not exact landings on the minimum (none is
    expected: each would need an explanation).

    >>> from fractions import Fraction
    >>> from symbolic_eos import orbit
    >>> cycle = orbit("(x**2 - 1)**2/4", "25/24", at="1", digits=30).orbits[0]
    >>> unexplained(basin_check("(x**2 - 1)**2/4", "x", "25/24", cycle.points, [Fraction(3, 5)], minimum=1))
    ()
    """
    return tuple(o for o in report.exceptions if not (o.kind is Fate.MINIMUM and o.evidence == Evidence.EXACT))


def _done(row: BasinRow) -> BasinReport:
    assert row.report is not None  # only rows with a report are summarised
    return row.report


def _conclusion(rows: Sequence[BasinRow], eta_loss: str | None, n: int, lo: str, hi: str) -> str:
    done = [r for r in rows if r.report is not None]
    by = {k: [r for r in done if r.region == k] for k in _REGIONS}
    etas = lambda rs: ", ".join(_decimal(r.eta) for r in rs)  # noqa: E731
    every = lambda rs: all(not unexplained(_done(r)) for r in rs)  # noqa: E731
    landed = lambda rs: "; ".join(  # noqa: E731
        f"x0 = {o.start} at eta = {r.eta}" for r in rs for o in landings(_done(r)))
    but = lambda rs: (f", except the starts that land exactly on the minimum and stay there ({landed(rs)}: points of E, "  # noqa: E731
                      "proved with exact rationals, counted as exceptions)" if landed(rs) else "")
    parts = []
    if by["paper"]:
        if every(by["paper"]):
            parts.append(f"Inside the paper's range (eta = {etas(by['paper'])}) every start of the grid ({n} in ({lo}, {hi}), "
                         f"plus the rational points of E) converges to the 2-cycle{but(by['paper'])}.")
        else:
            bad = [r for r in by["paper"] if unexplained(_done(r))]
            parts.append(f"Inside the paper's range, NOT every start converges to the 2-cycle (eta = {etas(bad)}): "
                         "see the exceptions; beyond the exact landings on the minimum, this contradicts the paper's claim "
                         "on this grid.")
    if by["between"]:
        if every(by["between"]):
            top = max(by["between"], key=lambda r: parse_constant(r.eta))
            parts.append(f"Past 1.121 (eta = {etas(by['between'])}) every start still converges to the 2-cycle{but(by['between'])}: "
                         f"on this evidence the paper's range is conservative, and convergence from ({lo}, {hi}) persists at "
                         f"least up to eta = {_decimal(top.eta)}, just below the loss of stability at eta = {eta_loss}.")
        else:
            bad = [r for r in by["between"] if unexplained(_done(r))]
            parts.append(f"Past 1.121, some starts do not converge to the 2-cycle (eta = {etas(bad)}).")
    if by["beyond"]:
        none = all(_done(r).counts["cycle"] == 0 for r in by["beyond"])
        where = "; ".join(f"{_decimal(r.eta)}: " + ", ".join(f"{v} {k}" for k, v in _done(r).exception_summary.items())
                          for r in by["beyond"])
        parts.append(f"Past the loss of stability (eta = {etas(by['beyond'])}) "
                     + ("no start converges to the 2-cycle, which repels there" if none
                        else "only some starts reach the 2-cycle")
                     + f" (at {where}).")
    total = sum(len(_done(r).outcomes) for r in done)
    strong = sum(1 for r in done for o in _done(r).outcomes if not o.evidence.rigor.weaker_than(Rigor.CERTIFIED))
    parts.append(f"Per start, {strong} of {total} classifications are exact or certified (a ball orbit entered a certified "
                 "trapping interval), the rest numeric; a finite grid is numeric evidence about the whole interval.")
    return " ".join(parts)


def basin_claim(etas: Sequence = BASIN_ETAS, n_starts: int = 200, digits: int = 30,
                threshold: ThresholdOrigin | None = None, progress: Progress | None = None,
                **options: Any) -> BasinClaim:
    """Claim (c): :func:`~symbolic_eos.dynamics.basin.basin_check` from ``n_starts`` exact starts in
    ``(0, 1)`` at each ``eta``, plus the rational points of ``E`` found there
    (:func:`rational_exceptional_starts`), whose exact landings on the minimum are counted as
    exceptions; ``options`` go to ``basin_check`` (``max_iter``, ``prec``, ...).  The cycle is
    certified to ``digits`` digits at each eta of ``etas``; ``threshold`` (claim (b)) is
    computed when not given; ``progress`` is told about each eta.

    >>> b = basin_claim(etas=["11/10"], n_starts=3, digits=20, threshold=None, progress=None)
    >>> b.rows[0].report.counts
    {'cycle': 3, 'minimum': 0, 'diverged': 0, 'other': 0}

    ``etas`` is a list, even for one learning rate:

    >>> basin_claim(etas="11/10", n_starts=3)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: etas: expected a list or tuple of exact values, got str '11/10'
    """
    etas, n_starts = arguments.exact_texts(etas, "etas"), arguments.positive_int(n_starts, "n_starts", 1, MAX_STARTS)
    digits = arguments.digits(digits)
    threshold = None if threshold is None else arguments.instance(threshold, "threshold", ThresholdOrigin, "a ThresholdOrigin")
    progress = arguments.optional_callable(progress, "progress")
    for key in options:
        arguments.choice(key, "options", BASIN_OPTIONS)
    expr, x, _, _ = _setting()
    if threshold is None:
        threshold = where_1121_comes_from(digits)
    loss = threshold.window.loss
    loss_ball = loss.eta if loss is not None and loss.certified else None
    eta_loss = None if loss_ball is None else decimal_string(loss_ball, 12)
    start_lo, start_hi = (int(v) for v in PAPER_STARTS)
    grid = interior_grid(start_lo, start_hi, n_starts)
    rows = []
    for i, eta in enumerate(etas):
        text = _eta_text(eta)
        # The rational points of E join the grid, so that exact landings on the minimum are
        # counted (and reported) as exceptions rather than missed between grid points.
        extra = [x for x, _ in rational_exceptional_starts(text)] if parse_constant(text).is_Rational else []
        starts = tuple(sorted(set(grid) | set(extra)))
        if progress is not None:
            progress(f"basin at eta = {text}", i, len(etas))
        region = _region(parse_constant(text), loss_ball)
        try:
            found = certified_cycle(text, digits)
        except NoCycle as none:
            rows.append(BasinRow(text, region, None, none.message))
            continue
        if not found.certified:
            rows.append(BasinRow(text, region, None, "the 2-cycle could not be certified"))
            continue
        report = basin_check(expr, x, text, found.points, starts, minimum=MINIMUM, **options)
        rows.append(BasinRow(text, region, report))
    return BasinClaim(PAPER_STARTS, n_starts, eta_loss, tuple(rows), _conclusion(rows, eta_loss, n_starts, *PAPER_STARTS))


# ---------------------------------------------------------------------------------------------
# d. The starts that never reach the 2-cycle.
#
# F(x) - 1 = -(x - 1)(eta x^2 + eta x - 1): a start mapped exactly onto the minimum 1 stays there
# (F(1) = 1), and 1 is not a point of the 2-cycle (P(1, eta) = 1 - eta != 0).  So the paper's "any
# x0 in (0, 1)" is false at every eta in (1, 1.121); the exceptional set is
# E = union_n F^-n({1}) (intersected with (0, 1)).


@functools.cache
def _gradient() -> fmpq_poly:
    """``f'`` of :data:`QUARTIC` as an exact ``fmpq_poly`` (``x^3 - x``)."""
    expr, x, _, _ = _setting()
    return fmpq_poly([to_fmpq(c) for c in sp.Poly(sp.diff(expr, x), x).all_coeffs()[::-1]])


def gd_step(eta: Fraction, x: Fraction) -> Fraction:
    """One exact GD step on the quartic, ``F(x) = x - eta f'(x)`` with ``f'(x) = x^3 - x``
    taken from :data:`QUARTIC` (python-flint ``fmpq``: no rounding anywhere).

    >>> gd_step(Fraction(25, 24), Fraction(3, 5))
    Fraction(1, 1)
    """
    g = _gradient()(fmpq(x.numerator, x.denominator))
    return x - eta * Fraction(int(g.p), int(g.q))


#: :func:`exact_landing` gives up after this many steps, or once an iterate needs this many bits
#: (numerator and denominator together, as :data:`~symbolic_eos.paper.xy.EXACT_BITS`): the bits of
#: an iterate of the cubic ``F`` triple with each step.
LANDING_STEPS = 12
LANDING_BITS = 4096


def exact_orbit(eta: Fraction, x0: Fraction, steps: int) -> tuple[Fraction, ...]:
    """``(x0, F(x0), ..., F^steps(x0))`` in exact rationals."""
    orbit = [Fraction(x0)]
    for _ in range(steps):
        orbit.append(gd_step(Fraction(eta), orbit[-1]))
    return tuple(orbit)


def first_rational_landing(bound: str = PAPER_BOUND, max_denominator: int = 1000) -> tuple[Fraction, Fraction] | None:
    """``(eta, x0)``: the start ``x0 = p/q`` in ``(0, 1)`` of smallest ``q`` (then smallest ``p``)
    with ``F(x0) = 1`` for a rational ``eta`` in ``(1, bound)``, ``q <= max_denominator``.

    ``F(x0) = 1`` with ``x0 != 1`` means ``eta x0^2 + eta x0 - 1 = 0``, i.e. ``eta = 1/(x0 (x0 + 1))``,
    which is rational whenever ``x0`` is; the search is over ``x0`` and each candidate is checked
    with :func:`gd_step`, not with the formula.

    >>> first_rational_landing()
    (Fraction(25, 24), Fraction(3, 5))

    >>> first_rational_landing(max_denominator=1)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: max_denominator: expected an integer in [2, 10000], got 1
    """
    top = _fraction(bound, "bound")
    max_denominator = arguments.positive_int(max_denominator, "max_denominator", 2, 10**4)
    for q in range(2, max_denominator + 1):
        for p in range(1, q):
            x0 = Fraction(p, q)
            if x0.denominator != q:
                continue
            eta = 1 / (x0 * (x0 + 1))
            if 1 < eta < top and gd_step(eta, x0) == 1:
                return eta, x0
    return None


def _fraction(value: object, name: str = "eta") -> Fraction:
    return arguments.rational(value, name)


def rational_exceptional_starts(eta: str | int | Fraction | sp.Expr, depth: int = 3) -> tuple[tuple[Fraction, int], ...]:
    """The rational points of ``E ∩ (0, 1)`` at ``eta`` found to ``depth`` preimages: ``(x0, n)`` with
    ``F^n(x0) = 1`` exactly and ``F^k(x0) != 1`` for ``k < n``, sorted by ``x0``.

    Preimages of a rational ``y`` are the rational roots of ``F(x) - y``, found by factoring over
    ``Q`` (python-flint ``fmpq_poly.factor``); each is re-checked with :func:`gd_step`.

    >>> rational_exceptional_starts("25/24")
    ((Fraction(3, 5), 1),)
    >>> rational_exceptional_starts("11/10")
    ()

    >>> rational_exceptional_starts("25/24", depth=9)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: depth: expected an integer in [1, 8], got 9
    """
    e = _fraction(eta)
    depth = arguments.positive_int(depth, "depth", 1, 8)
    found: dict[Fraction, int] = {}
    level = [Fraction(1)]
    for n in range(1, depth + 1):
        nxt = []
        for y in level:
            # F(x) - y = -e x^3 + (1 + e) x - y.
            poly = fmpq_poly([fmpq(-y.numerator, y.denominator), fmpq((1 + e).numerator, (1 + e).denominator), 0,
                              fmpq(-e.numerator, e.denominator)])
            for factor, _ in poly.factor()[1]:
                if factor.degree() != 1:
                    continue
                root = -factor[0] / factor[1]
                x = Fraction(int(root.p), int(root.q))
                if 0 < x < 1 and x not in found and gd_step(e, x) == y:
                    found[x] = n
                    nxt.append(x)
        level = nxt
    return tuple(sorted(found.items()))


def _positive_on(g: sp.Expr, lo: Fraction, hi: Fraction) -> bool:
    """``g(eta) > 0`` for every ``eta`` in ``[lo, hi]``, proved: ``g(lo) > 0`` and no real root
    in ``[lo, hi]`` (sympy's exact Sturm count)."""
    poly = sp.Poly(sp.expand(g), _ETA)
    a, b = sp.Rational(lo.numerator, lo.denominator), sp.Rational(hi.numerator, hi.denominator)
    return bool(poly.eval(a) > 0 and poly.count_roots(a, b) == 0)


@dataclass(frozen=True)
class ExactLanding:
    """A start whose GD orbit lands exactly on the minimum 1 and stays there (exact rationals):
    a counterexample to "every x0 in (0, 1) converges to the 2-cycle".  Fields: ``eta``, the
    ``start``, its exact ``orbit``, ``cycle_polynomial_at_1`` (``P(1, eta) = 1 - eta``, non-zero:
    1 is on no 2-cycle) and ``symmetric_cofactor_at_1`` (non-zero as well).

    >>> e = exact_landing("25/24", "3/5")
    >>> e.orbit, e.cycle_polynomial_at_1, e.symmetric_cofactor_at_1, e.proved
    ((Fraction(3, 5), Fraction(1, 1), Fraction(1, 1)), Fraction(-1, 24), Fraction(2, 1), True)
    """

    eta: Fraction
    start: Fraction
    orbit: tuple[Fraction, ...]         # x0, F(x0), ...: ends in 1, 1
    cycle_polynomial_at_1: Fraction     # P(1, eta) = 1 - eta; non-zero: 1 is not a point of the 2-cycle
    symmetric_cofactor_at_1: Fraction   # the cofactor at 1 (the symmetric 2-cycle); non-zero

    @property
    def proved(self) -> bool:
        """The orbit is eventually the fixed point 1, which lies on no 2-cycle of F."""
        o = self.orbit
        return (len(o) >= 2 and o[-1] == o[-2] == 1 and 0 < self.start < 1 and 1 < self.eta < _fraction(PAPER_BOUND)
                and all(gd_step(self.eta, a) == b for a, b in zip(o, o[1:], strict=False))
                and self.cycle_polynomial_at_1 != 0 and self.symmetric_cofactor_at_1 != 0)

    @property
    def text(self) -> str:
        """``at eta = 25/24: F(3/5) = 1, F(1) = 1 ...``."""
        o = self.orbit
        steps = ", ".join(f"F({a}) = {b}" for a, b in zip(o, o[1:], strict=False))
        return f"at eta = {self.eta}: {steps} (exact rationals), so the orbit of x0 = {self.start} stays on the minimum 1"

    def to_dict(self) -> dict:
        return {"eta": str(self.eta), "start": str(self.start), "orbit": [str(v) for v in self.orbit],
                "cycle_polynomial_at_1": str(self.cycle_polynomial_at_1),
                "symmetric_cofactor_at_1": str(self.symmetric_cofactor_at_1), "proved": self.proved,
                "rigor": Rigor.EXACT if self.proved else None}


def exact_landing(eta: str | int | Fraction | sp.Expr, x0: str | int | Fraction | sp.Expr) -> ExactLanding | None:
    """Follow ``x0`` exactly at ``eta`` until it reaches 1 (at most 12 steps) and record why that refutes
    convergence to the 2-cycle: ``x_{n+1} = x_n - eta (x_n^3 - x_n)`` until ``x_n = 1``, the minimum;
    None when it does not within the steps, or before an iterate needs :data:`LANDING_BITS` bits.

    >>> exact_landing("25/24", "3/5").proved
    True
    >>> exact_landing("25/24", "1/2") is None  # undecided: no landing before the iterates outgrow LANDING_BITS
    True

    >>> exact_landing("25/24", 0.6)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: x0: expected exact text, ..., got float 0.6 (write '0.6' or Fraction(3, 5))
    """
    e, x = _fraction(eta), _fraction(x0, "x0")
    orbit = [x]
    while len(orbit) == 1 or orbit[-1] != 1:
        last = orbit[-1]
        if len(orbit) > LANDING_STEPS or abs(last.numerator).bit_length() + last.denominator.bit_length() > LANDING_BITS:
            return None
        orbit.append(gd_step(e, last))
    orbit.append(gd_step(e, orbit[-1]))
    pe = paper_equation()
    at1 = {_DELTA: 1, _ETA: sp.Rational(e.numerator, e.denominator)}
    p1, c1 = (sp.Rational(v.subs(at1)) for v in (pe.polynomial, pe.cofactor))
    return ExactLanding(e, x, tuple(orbit), Fraction(int(p1.p), int(p1.q)), Fraction(int(c1.p), int(c1.q)))


@dataclass(frozen=True)
class ExceptionalSet:
    """Claim (d): the starts in ``(0, 1)`` that never reach the 2-cycle, for every ``eta`` in
    ``[1, bound]``, proved symbolically in ``eta`` (``proofs``, each a statement and whether it was
    proved), with an exact rational ``counterexample`` and the ``rational_points`` of ``E`` at
    the tested learning rates.

    >>> e = exceptional_set(etas=("11/10",))
    >>> e.bound, all(ok for _, ok in e.proofs), e.counterexample.start, e.rational_points
    ('1121/1000', True, Fraction(3, 5), (('11/10', ()),))
    """

    bound: str
    proofs: tuple[tuple[str, bool], ...]
    counterexample: ExactLanding | None
    rational_points: tuple[tuple[str, tuple[tuple[Fraction, int], ...]], ...]   # (eta, ((x0, n), ...))

    statement = ("E = union_n F^-n({1}) ∩ (0, 1): the starts whose orbit lands exactly on the minimum 1 and "
                 "stays there (F(1) = 1; 1 is not on the 2-cycle)")
    # The range the basin theorem proves (claims/quartic_orbit.py runs it), not the paper's open (1, 1.121).
    corrected_claim = (f"for every eta in [{QUARTIC_PROOF_ETAS[0]}, {QUARTIC_PROOF_ETAS[1]}] and every x0 in (0, 1) outside the "
                       "countable set E = union_n F^-n({1}) (non-empty for every such eta: (sqrt(1 + 4/eta) - 1)/2 is in it), "
                       "GD converges to the 2-cycle")

    @property
    def proved(self) -> bool:
        return bool(self.proofs) and all(ok for _, ok in self.proofs)

    def to_dict(self) -> dict:
        return {"statement": self.statement, "corrected_claim": self.corrected_claim, "bound": self.bound,
                "proofs": [{"fact": t, "proved": ok} for t, ok in self.proofs], "proved": self.proved,
                "counterexample": None if self.counterexample is None else self.counterexample.to_dict(),
                "rational_points": [{"eta": e, "points": [{"start": str(x), "steps_to_1": n} for x, n in pts]}
                                    for e, pts in self.rational_points],
                "rigor": Rigor.EXACT if self.proved else None}

    def _lines(self) -> list[str]:
        lines = [self.statement + "."]
        lines += [f"{t}: {'proved' if ok else 'NOT proved'}" for t, ok in self.proofs]
        if self.counterexample is not None:
            ce = self.counterexample
            lines.append(f"counterexample: {ce.text}; P(1, eta) = {ce.cycle_polynomial_at_1} != 0, so 1 is not a point of "
                         f"the 2-cycle: {'PROVED' if ce.proved else 'not proved'}")
        for eta, pts in self.rational_points:
            if pts:
                lines.append(f"rational points of E at eta = {eta}: " + ", ".join(f"{x} (F^{n}({x}) = 1)" for x, n in pts))
        # This object proves E; whether the convergence outside E is proved is the basin theorem's to say.
        lines.append(f"corrected claim: {self.corrected_claim} (E: the facts above, for every eta in [1, {self.bound}]; the "
                     "convergence outside E: the basin theorem, quartic_basin.basin_theorem, by interval arithmetic over "
                     f"eta-boxes; not proved for 1 < eta < {QUARTIC_PROOF_ETAS[0]})")
        return lines

    def to_text(self) -> str:
        return "\n".join(self._lines())

    def to_markdown(self) -> str:
        return "\n".join(f"- {markdown_text(line)}" for line in self._lines()) + "\n"


@functools.cache
def exceptional_set(etas: tuple = BASIN_ETAS, bound: str = PAPER_BOUND) -> ExceptionalSet:
    """Claim (d), for every ``eta`` in ``[1, bound]`` at once (sympy, ``eta`` symbolic):

    1. ``F(x) - 1 = -(x - 1) q(x)`` with ``q(x) = eta x^2 + eta x - 1``;
    2. ``q(0) = -1 < 0 < q(1) = 2 eta - 1`` and ``q' > 0`` on ``x > 0``, so ``q`` has exactly one
       root in ``(0, 1)``, ``r = (sqrt(1 + 4/eta) - 1)/2``: ``E`` is non-empty;
    3. ``F(x) - x = eta x (1 - x^2) > 0`` on ``(0, 1)``; ``F`` increases on ``(0, c)``,
       ``c^2 = (1 + eta)/(3 eta) < 1``, from 0 to ``F(c) > 1`` (``4 (1 + eta)^3 > 27 eta``): every
       ``y`` in ``(0, 1]`` has a preimage in ``(0, y)``, so ``r > F^-1(r) > ...`` lie in ``E``, which is
       infinite; it is countable, since ``F^n(x) = 1`` has at most ``3^n`` roots;
    4. ``F(c)^2 < z^2 = (1 + eta)/eta``, ``z`` the positive zero of ``F`` (``4 (1 + eta)^2 < 27``):
       orbits from ``(0, 1)`` stay in ``(0, F(c)]``, so they never reach the fixed points 0 or -1,
       and the preimages of 1 are the only exact landings on a fixed point.

    Inequalities in ``eta`` are proved on ``[1, bound]`` by :func:`_positive_on`.

    >>> d = exceptional_set(("25/24",))
    >>> d.proved, d.counterexample.orbit
    (True, (Fraction(3, 5), Fraction(1, 1), Fraction(1, 1)))
    """
    x, e = sp.Symbol("x"), _ETA
    expr, xs, _, _ = _setting()
    F = sp.expand((xs - e * sp.diff(expr, xs)).subs(xs, x))
    q = e * x**2 + e * x - 1
    r = (sp.sqrt(1 + 4 / e) - 1) / 2
    lo, hi = Fraction(1), _fraction(bound)
    c2 = (1 + e) / (3 * e)
    Fc2 = sp.simplify((F.subs(x, sp.sqrt(c2))) ** 2)
    proofs = (
        ("F(x) - 1 = -(x - 1)(eta x^2 + eta x - 1) in Q[x, eta]", sp.expand(F - 1 + (x - 1) * q) == 0),
        ("q = eta x^2 + eta x - 1 has exactly one root in (0, 1), r = (sqrt(1 + 4/eta) - 1)/2, for every eta in "
         f"[1, {hi}] (q(0) = -1, q(1) = 2 eta - 1 > 0, q' > 0 on x > 0)",
         q.subs(x, 0) == -1 and sp.expand(q.subs(x, 1) - (2 * e - 1)) == 0 and _positive_on(2 * e - 1, lo, hi)
         and sp.expand(sp.diff(q, x) - e * (2 * x + 1)) == 0 and sp.simplify(q.subs(x, r)) == 0),
        ("E ∩ (0, 1) is infinite and countable: F(x) - x = eta x (1 - x^2); F increases on (0, c), c^2 = (1 + eta)/(3 eta) "
         "< 1, onto (0, F(c)) with F(c) > 1, so r > F^-1(r) > F^-2(r) > ... are in E",
         sp.expand(F - x - e * x * (1 - x**2)) == 0 and sp.simplify(sp.diff(F, x).subs(x, sp.sqrt(c2))) == 0
         and _positive_on(2 * e - 1, lo, hi)
         and sp.simplify(Fc2 - 4 * (1 + e) ** 3 / (27 * e)) == 0 and _positive_on(4 * (1 + e) ** 3 - 27 * e, lo, hi)),
        ("orbits from (0, 1) stay in (0, F(c)] and never reach 0 or -1: F(c) < sqrt((1 + eta)/eta), the positive zero of F",
         sp.expand(F - x * (1 + e - e * x**2)) == 0 and _positive_on(27 - 4 * (1 + e) ** 2, lo, hi)
         and sp.simplify((1 + e) / e - Fc2 - (1 + e) * (27 - 4 * (1 + e) ** 2) / (27 * e)) == 0),
    )
    found = first_rational_landing(bound)
    counterexample = None if found is None else exact_landing(*found)
    inside = [t for t in (_eta_text(v) for v in etas) if 1 < _fraction(t) < hi]
    points = tuple((t, rational_exceptional_starts(t)) for t in inside)
    return ExceptionalSet(bound, tuple((t, bool(ok)) for t, ok in proofs), counterexample, points)


# ---------------------------------------------------------------------------------------------
# e. The report.


@dataclass(frozen=True)
class QuarticReport:
    """The paper's quartic: (a) the certified 2-cycle solves the orbit equation
    (``orbit_equation``), (b) where the constant 1.121 comes from (``threshold``), (c) where GD
    goes from a grid of starts in ``(0, 1)`` (``basin``), (d) the starts that never reach the
    2-cycle (``exceptional``, None when not computed).  Its ``rigor`` is the weakest part's.

    >>> th = where_1121_comes_from(20)
    >>> report = QuarticReport(orbit_equation=orbit_equation_check(["11/10"], digits=20), threshold=th,
    ...                        basin=basin_claim(etas=["11/10"], n_starts=3, digits=20, threshold=th), exceptional=None)
    >>> d = report.to_dict()
    >>> d["orbit_equation"]["rigor"], d["basin"]["rigor"], d["rigor"], d["exceptional_set"]
    ('exact', 'numerical', 'numerical', None)
    >>> "(d) Starts that never reach the 2-cycle" in report.to_text()
    False
    """

    orbit_equation: OrbitEquationCheck
    threshold: ThresholdOrigin
    basin: BasinClaim
    exceptional: ExceptionalSet | None = None

    def to_dict(self) -> dict:
        parts = {
            "orbit_equation": self.orbit_equation.to_dict(),
            "threshold": self.threshold.to_dict(),
            "basin": self.basin.to_dict(),
            "exceptional_set": None if self.exceptional is None else self.exceptional.to_dict(),
        }
        return {
            # The weakest part: the basin is a grid of starts (numerical evidence).
            "rigor": weakest_rigor([d["rigor"] for d in parts.values() if d is not None]),
            "setting": {"loss": QUARTIC, "minimum": MINIMUM, "point": MINIMUM, "eta_critical": "1",
                        "claim": "for 1 < eta < 1.121 and x0 in (0, 1), GD converges to a 2-cycle solving "
                                 "eta = 1/(delta^2 (sqrt(1/delta^2 - 3/4) + 1/2))"},
            **parts,
        }

    def to_text(self) -> str:
        indent = lambda text: "\n".join("  " + line if line else "" for line in text.splitlines())  # noqa: E731
        return "\n".join([
            f"The paper's quartic f(x) = {QUARTIC} (minimum x = 1, eta0 = 1)",
            "",
            "(a) The 2-cycle solves eta = 1/(delta^2 (sqrt(1/delta^2 - 3/4) + 1/2))",
            indent(self.orbit_equation.to_text()),
            "",
            "(b) Where 1.121 comes from",
            indent(self.threshold.to_text()),
            "",
            f"(c) Where GD goes from {self.basin.n_starts} exact starts x0 = k/{self.basin.n_starts + 1} in (0, 1)"
            " and the rational points of E",
            indent(self.basin.to_text()),
        ] + ([] if self.exceptional is None else [
            "",
            "(d) Starts that never reach the 2-cycle",
            indent(self.exceptional.to_text()),
        ]))

    def to_markdown(self) -> str:
        return (f"## The paper's quartic $f(x) = (x^2 - 1)^2/4$\n\n"
                f"### (a) The 2-cycle solves the paper's equation\n\n{self.orbit_equation.to_markdown()}\n"
                f"### (b) Where 1.121 comes from\n\n{self.threshold.to_markdown()}\n"
                f"### (c) Where GD goes from $x_0 \\in (0, 1)$ ({self.basin.n_starts} exact starts per $\\eta$)\n\n"
                f"{self.basin.to_markdown()}"
                + ("" if self.exceptional is None else
                   f"\n### (d) Starts that never reach the 2-cycle\n\n{self.exceptional.to_markdown()}"))

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def quartic_report(digits: int = 30, orbit_etas: Sequence = ORBIT_ETAS, basin_etas: Sequence = BASIN_ETAS,
                   n_starts: int = 200, progress: Progress | None = None,
                   **basin_options: Any) -> QuarticReport:
    """Claims (a)-(d) for the paper's quartic, at ``digits`` digits: the orbit equation at each
    eta of ``orbit_etas``, the basin from ``n_starts`` exact starts at each eta of ``basin_etas``
    (and the exceptional set there); ``progress(label, done, total)`` is called before each step.

    >>> seen = []
    >>> r = quartic_report(digits=15, orbit_etas=["11/10"], basin_etas=["11/10"], n_starts=3,
    ...                    progress=lambda label, done, total: seen.append(label))
    >>> r.orbit_equation.all_proved, r.threshold.truncation, r.basin.rows[0].report.counts["cycle"], r.exceptional.proved
    (True, 1121, 3, True)
    >>> seen
    ['stability window', 'orbit equation', 'basin at eta = 11/10', 'exceptional set', 'done']

    >>> quartic_report(digits=15, n_starts=0)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: n_starts: expected an integer in [1, 100000], got 0
    """
    digits = arguments.digits(digits)
    orbit_etas, basin_etas = arguments.exact_texts(orbit_etas, "orbit_etas"), arguments.exact_texts(basin_etas, "basin_etas")
    n_starts = arguments.positive_int(n_starts, "n_starts", 1, MAX_STARTS)
    progress = arguments.optional_callable(progress, "progress")
    for key in basin_options:
        arguments.choice(key, "basin_options", BASIN_OPTIONS)
    total = 3 + len(basin_etas)
    step = progress or (lambda label, done, total: None)
    step("stability window", 0, total)
    threshold = where_1121_comes_from(digits)
    step("orbit equation", 1, total)
    equation = orbit_equation_check(orbit_etas, digits)
    basin = basin_claim(basin_etas, n_starts, digits, threshold,
                        progress=lambda label, i, n: step(label, 2 + i, total), **basin_options)
    step("exceptional set", total - 1, total)
    exceptional = exceptional_set(tuple(_eta_text(e) for e in basin_etas))
    step("done", total, total)
    return QuarticReport(equation, threshold, basin, exceptional)
