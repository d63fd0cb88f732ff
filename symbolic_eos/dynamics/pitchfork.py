"""Certified symmetry-breaking pitchforks of the symmetric 2-cycle.

If the loss is symmetric about its minimum, ``f(2 xb - x) = f(x)`` (proved exactly), then
``F(2 xb - x) = 2 xb - F(x)`` and the 2-cycle born at the flip is symmetric, ``{xb - a, xb + a}``
with ``F(xb - a) = xb + a``; since ``f''`` is even about ``xb``, its multiplier is
``F'(xb - a)^2 >= 0``: it can never reach ``-1``, so the cycle cannot period-double and loses
stability at multiplier ``+1``, where ``F'(xb - a) = sigma = +-1``.  The reduced system in
``(a, eta)``

    F(xb - a) - (xb + a) = 0,    F'(xb - a) - sigma = 0

is regular at such a point, and a Krawczyk certificate of it (``a`` bounded away from 0, so not the
fixed point) proves the event.  Its kind follows from ``d/da [F(xb - a) - xb - a] = -1 - F'``:

* ``sigma = +1``: the symmetric branch goes on regularly and the multiplier-1 direction is
  antisymmetric: a **symmetry-breaking pitchfork** (where the general fold system in
  ``(x0, x1, eta)`` is singular, so it was never certified before); a pair of asymmetric 2-cycles,
  mirror images of each other under ``x -> 2 xb - x``, branches off;
* ``sigma = -1``: the symmetric branch itself turns: a **fold** of symmetric cycles.

>>> x = sp.Symbol("x")
>>> ev = locate_symmetric_loss(GradientMap(1 - sp.cos(x), x), sp.Integer(0), (mpmath.mpf(1.5), mpmath.mpf(3.1)), 20)
>>> ev.kind, ev.certified, ev.eta.overlaps(arb.pi())
('pitchfork', True, True)
"""

from __future__ import annotations

from typing import Sequence

import mpmath
import sympy as sp
from flint import arb, ctx

from ..core.jets import constant_enclosure
from ..core.parse import parse_constant
from ..core.vocabulary import ClosedFormStatus, LossType
from ..errors import EosError
from .closed_forms import ClosedForm, recognise
from .orbits import BranchEvent, GradientMap, NoConvergence, bits_for_digits, certify, solve_system

__all__ = ["mirror_symmetric", "PitchforkSystem", "locate_symmetric_loss", "prove_symmetric_constant", "BRANCHES"]

#: What branches off at a certified pitchfork of the symmetric 2-cycle.
BRANCHES = ("a pair of asymmetric 2-cycles, mirror images of each other under x -> 2 xb - x, branches off the symmetric "
            "2-cycle {xb - a, xb + a}")


def mirror_symmetric(expr: sp.Expr, var: sp.Symbol, xb: sp.Expr) -> bool:
    """Whether ``f(2 xb - x) - f(x)`` is proved identically 0 (True) by sympy, ``f`` the ``expr``
    in ``var``; False means "not proved", never "proved asymmetric".

    >>> x = sp.Symbol("x")
    >>> mirror_symmetric(1 - sp.cos(x - 1), x, sp.Integer(1)), mirror_symmetric((x**2 - 1)**2 / 4, x, sp.Integer(1))
    (True, False)
    """
    difference = expr.subs(var, 2 * xb - var) - expr
    # expand and trigsimp only rewrite the expression: 0 is a proof, anything else proves nothing.
    for simplify in (sp.expand, lambda e: sp.expand(sp.expand_trig(e)), sp.simplify):
        try:
            if simplify(difference) == 0:
                return True
        except (TypeError, ValueError, RecursionError):  # a rewrite rule that fails proves nothing
            continue
    return False


class PitchforkSystem:
    """Unknowns ``(a, eta)``: ``F(xb - a) - xb - a = 0`` and ``F'(xb - a) - sigma = 0``, ``F`` the
    GD map ``gd``.

    >>> x = sp.Symbol("x")
    >>> s = PitchforkSystem(GradientMap(x**2 / 2 - x**4 / 4, x), sp.Integer(0), 1)
    >>> with ctx.workprec(64):
    ...     [r.contains(0) for r in s.residual([1 / arb(3).sqrt(), arb(3)], 64)]
    [True, True]
    """

    def __init__(self, gd: GradientMap, xb: sp.Expr, sigma: int) -> None:
        self.gd, self.xb, self.sigma = gd, xb, sigma

    def _point(self, a: arb, prec: int) -> tuple[arb, arb, arb, arb]:
        xb = constant_enclosure(self.xb, prec)
        return (xb, *self.gd.derivatives(xb - a, prec))

    def residual(self, v: Sequence[arb], prec: int) -> list[arb]:
        a, eta = v
        _, d1, d2, _ = self._point(a, prec)
        return [-2 * a - eta * d1, 1 - eta * d2 - self.sigma]

    def jacobian(self, v: Sequence[arb], prec: int) -> list[list[arb]]:
        a, eta = v
        _, d1, d2, d3 = self._point(a, prec)
        return [[-2 + eta * d2, -d1], [eta * d3, -d2]]


def locate_symmetric_loss(gd: GradientMap, xb: sp.Expr, guess: tuple[mpmath.mpf, mpmath.mpf], digits: int,
                     bracket: tuple | None = None) -> BranchEvent | None:
    """Where the symmetric 2-cycle of ``gd`` about ``xb`` loses stability nearest ``guess = (a, eta)``,
    certified to ``digits`` digits: a ``pitchfork`` (``F'(xb - a) = 1``) or a ``fold``
    (``F'(xb - a) = -1``), the first whose certified ``eta`` lies in ``bracket`` when given; None
    when neither is certified there.  The caller must have proved the symmetry
    (:func:`mirror_symmetric`).

    >>> x = sp.Symbol("x")
    >>> ev = locate_symmetric_loss(GradientMap(x**2 / 2 - x**4 / 4, x), sp.Integer(0), (mpmath.mpf(0.6), mpmath.mpf(3)), 20)
    >>> ev.kind, ev.eta.contains(3), [p.overlaps(1 / arb(3).sqrt()) for p in (-ev.points[0], ev.points[1])]
    ('pitchfork', True, [True, True])
    """
    prec = bits_for_digits(digits)
    for sigma in (1, -1):
        system = PitchforkSystem(gd, xb, sigma)
        try:
            solution = solve_system(system, list(guess), digits)
        except NoConvergence:
            continue
        result = certify(system, solution, prec)
        with ctx.workprec(prec):
            a, eta = result.enclosure
            if not result.certified or a.contains(0):
                continue
            if bracket is not None:
                lo, hi = bracket
                pad = abs(hi - lo)
                if not (eta > arb(lo - pad) and eta < arb(hi + pad)):
                    continue
            centre = constant_enclosure(xb, prec)
            low, high = sorted((centre - a, centre + a), key=lambda p: float(p.mid()))
            return BranchEvent(LossType.PITCHFORK if sigma == 1 else LossType.FOLD, 1, eta, (low, high), True)
    return None


def _exactly_zero(value: sp.Expr) -> bool:
    try:
        return sp.simplify(value) == 0
    except (TypeError, ValueError, RecursionError):  # a rewrite that fails proves nothing
        return False


def prove_symmetric_constant(expr: sp.Expr, var: sp.Symbol, xb: sp.Expr, ev: BranchEvent, digits: int) -> ClosedForm | None:
    """A closed form of a certified symmetric event ``ev`` (from :func:`locate_symmetric_loss`) of
    the loss ``expr`` in ``var`` about ``xb``, *proved*: ``a`` and ``eta`` are recognised to
    ``digits`` digits, the reduced system vanishes at them exactly (sympy), and they lie in the
    certified box, which holds exactly one zero; None otherwise.

    >>> x = sp.Symbol("x")
    >>> ev = locate_symmetric_loss(GradientMap(1 - sp.cos(x), x), sp.Integer(0), (mpmath.mpf(1.5), mpmath.mpf(3.1)), 30)
    >>> prove_symmetric_constant(1 - sp.cos(x), x, sp.Integer(0), ev, 30)
    ClosedForm(expression='pi', minimal_polynomial=None, status='proved', digits=None)
    """
    if ev.kind not in (LossType.PITCHFORK, LossType.FOLD) or not ev.certified:
        return None
    prec = bits_for_digits(digits)
    with ctx.workprec(prec):
        half = (ev.points[1] - ev.points[0]) / 2
        guesses = [recognise(half, digits), recognise(ev.eta, digits)]
    texts = [g.expression for g in guesses]
    if texts[0] is None or texts[1] is None:
        return None
    try:
        a, eta = parse_constant(texts[0]), parse_constant(texts[1])  # recognise's output is our own, still parsed
    except EosError:
        return None
    sigma = 1 if ev.kind is LossType.PITCHFORK else -1
    f1, f2 = sp.diff(expr, var), sp.diff(expr, var, 2)
    at = {var: xb - a}
    if not (_exactly_zero(-2 * a - eta * f1.subs(at)) and _exactly_zero(1 - eta * f2.subs(at) - sigma)):
        return None
    with ctx.workprec(prec):
        if not (half.contains(constant_enclosure(a, prec + 64)) and ev.eta.contains(constant_enclosure(eta, prec + 64))):
            return None
    return ClosedForm(sp.sstr(eta), guesses[1].minimal_polynomial, ClosedFormStatus.PROVED)
