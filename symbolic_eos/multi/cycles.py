"""2-cycles of GD in several variables, ``F(x0) = x1``, ``F(x1) = x0`` for ``F = x - eta grad f``,
on the branch born at a checked minimum past ``eta0 = 2/l1``: seeded from the multivariate flip
coefficient, continued in ``eta``, certified by Krawczyk in ``R^n x R^n``, with the multipliers
(the eigenvalues of ``DF(x1) DF(x0)``) enclosed.

>>> x, y = sp.symbols("x y")
>>> r = multivariate_orbit_expr((x*y - 1)**2 / 2, (x, y), (sp.Integer(1), sp.Integer(1)), sp.Rational(11, 10), digits=20)
>>> r.cycle.certified, r.cycle.stable, r.rigor
(True, True, 'certified')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import sympy as sp
from flint import acb_mat, arb, arb_mat, ctx, fmpq

from ..core.decide import weakest_rigor
from ..core.numbers import decimal_string, printed_radius, upper_text
from ..core.jets import ball_function, constant_enclosure
from ..core import arguments
from ..core.vocabulary import NoCycleCause, Rigor
from ..linalg.krawczyk import certify
from .check import MultivariateCheck, check_multivariate_expr

__all__ = ["MultiOrbitReport", "multivariate_orbit_expr"]


class MultiCycleSystem:
    """Unknowns ``(x0, x1)`` in ``R^n x R^n``: ``F(x0) = x1``, ``F(x1) = x0`` for
    ``F = x - eta grad f`` (gradient and Hessian as ball functions, so boxes give enclosures)."""

    def __init__(self, expr: sp.Expr, symbols: tuple[sp.Symbol, ...], eta_at: Callable[[int], arb]) -> None:
        self.n = len(symbols)
        self.eta_at = eta_at
        self.grad = [ball_function(sp.diff(expr, s), tuple(symbols)) for s in symbols]
        self.hess = [[ball_function(sp.diff(expr, a, b), tuple(symbols)) for b in symbols] for a in symbols]

    def step(self, x, prec):
        with ctx.workprec(prec):
            eta = self.eta_at(prec)
            return [xi - eta * g(x) for xi, g in zip(x, self.grad, strict=True)]

    def _df(self, x, prec):
        eta = self.eta_at(prec)
        return [[(1 if i == j else 0) - eta * self.hess[i][j](x) for j in range(self.n)] for i in range(self.n)]

    def residual(self, v, prec):
        with ctx.workprec(prec):
            x0, x1 = list(v[: self.n]), list(v[self.n :])
            f0, f1 = self.step(x0, prec), self.step(x1, prec)
            return [a - b for a, b in zip(f0, x1, strict=True)] + [a - b for a, b in zip(f1, x0, strict=True)]

    def jacobian(self, v, prec):
        with ctx.workprec(prec):
            n = self.n
            d0, d1 = self._df(list(v[:n]), prec), self._df(list(v[n:]), prec)
            minus = [[arb(-1) if i == j else arb(0) for j in range(n)] for i in range(n)]
            return [d0[i] + minus[i] for i in range(n)] + [minus[i] + d1[i] for i in range(n)]

    def product(self, v: Sequence[arb], prec: int) -> arb_mat:
        """``DF(x1) DF(x0)``: its eigenvalues are the 2-cycle's multipliers."""
        with ctx.workprec(prec):
            n = self.n
            return arb_mat(self._df(list(v[n:]), prec)) * arb_mat(self._df(list(v[:n]), prec))

    def multiplier(self, v: Sequence[arb], prec: int) -> arb:
        """The multiplier of largest modulus, approximately: only used to steer continuation."""
        import numpy as np

        m = self.product(v, prec)
        values = np.linalg.eigvals(np.array([[float(m[i, j].mid()) for j in range(self.n)] for i in range(self.n)]))
        return arb(float(values[np.argmax(np.abs(values))].real))


@dataclass(frozen=True)
class MultiCycle:
    """A 2-cycle in several variables with its certified multipliers."""

    points: tuple[tuple[arb, ...], tuple[arb, ...]]
    multipliers: tuple
    certified: bool
    stable: bool
    radius: arb
    digits: int

    def printed(self, digits: int) -> tuple[list[list[str]], str]:
        """The points' coordinates to ``digits`` digits and a radius that covers their rounding."""
        texts = [[decimal_string(c, digits) for c in p] for p in self.points]
        balls = [c for p in self.points for c in p]
        return texts, printed_radius(balls, [t for p in texts for t in p], self.radius)

    def to_dict(self) -> dict:
        points, radius = self.printed(max(15, self.digits))
        return {
            "points": points,
            "multiplier": [decimal_string(m.real, 17) + ("" if m.imag.contains(0) else f" + {decimal_string(m.imag, 17)}i")
                           for m in self.multipliers],
            "stable": self.stable,
            "certified": self.certified,
            "radius": radius,
            "box_radius": upper_text(self.radius),
            "rigor": Rigor.CERTIFIED if self.certified else Rigor.NUMERICAL,
        }


@dataclass(frozen=True)
class MultiOrbitReport:
    """The 2-cycle of GD on ``expression`` in ``variables`` at the learning rate ``eta`` (exact
    value ``eta_value``) near the checked ``minimum``: the ``cycle``, or a ``message`` and its
    ``cause`` when there is none.

    >>> x, y = sp.symbols("x y")
    >>> r = multivariate_orbit_expr((x*y - 1)**2 / 2, (x, y), (sp.Integer(1), sp.Integer(1)), sp.Integer(1))
    >>> r.cycle is None, r.cause, r.rigor
    (True, 'at_eta0', 'none')
    """

    expression: str
    variables: tuple[str, ...]
    eta: str
    minimum: MultivariateCheck
    cycle: MultiCycle | None
    message: str | None
    #: ``eta`` as the exact constant it was parsed to (the text is how it is printed).
    eta_value: sp.Expr
    cause: NoCycleCause | None = None  # why there is no cycle (None: a cycle, or a bare message)

    @property
    def orbits(self):
        return () if self.cycle is None else (self.cycle,)

    @property
    def rigor(self) -> Rigor:
        """As for 1-D orbits: the cycle's certificate and the minimum's check; a message that
        is not "no 2-cycle is born" (a branch not followed) establishes nothing."""
        from ..dynamics.orbits import cycle_rigor

        if self.cycle is not None:
            return weakest_rigor([self.minimum.rigor, cycle_rigor(self.cycle.certified)])
        return self.minimum.rigor if self.cause is not None and self.cause.establishes else Rigor.NONE

    def to_dict(self) -> dict:
        minimum = [str(v) for v in self.minimum.point]
        return {"eta": decimal_string(self.eta_value, 17), "orbits": [self.cycle.to_dict()] if self.cycle else [],
                "variables": list(self.variables), "minimum": minimum, "point": minimum, "message": self.message,
                "rigor": self.rigor}

    def to_text(self) -> str:
        head = f"2-cycles of GD on f({', '.join(self.variables)}) = {self.expression} at eta = {self.eta}"
        if self.cycle is None:
            return head + f"\n  {self.message}"
        d = self.cycle.to_dict()
        points, radius = self.cycle.printed(20)
        lines = [head, f"  x0 = ({', '.join(points[0])})", f"  x1 = ({', '.join(points[1])})",
                 f"  multipliers (eigenvalues of DF(x1) DF(x0)) = {', '.join(m[:20] for m in d['multiplier'])}",
                 "  " + ("certified (Krawczyk, box radius " + d["box_radius"] + "; the points shown are within " + radius + ")"
                         if self.cycle.certified else "NOT certified") + "; "
                 f"{'stable (every |multiplier| < 1 certified)' if self.cycle.stable else 'not certified stable'}"]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        return "```\n" + self.to_text() + "\n```\n"


def multivariate_orbit_expr(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: tuple[sp.Expr, ...], eta: sp.Expr,
                            digits: int = 30, *, text: str | None = None, labels: tuple[str, ...] | None = None,
                            at_text: str | None = None, eta_text: str | None = None) -> MultiOrbitReport:
    """The 2-cycle ``{x0, x1}`` of GD (``x <- x - eta grad f``) at the exact learning rate
    ``eta`` (printed as ``eta_text``) on the branch born at the minimum ``point`` (printed as
    ``labels`` or ``at_text``) of the loss ``expr`` (written as ``text``) in ``symbols``, certified
    to ``digits`` digits; the
    minimum's check is :func:`check_multivariate_expr` on the same expression; a message instead
    when no branch is born (the sharpness drifts along a manifold of minima, or the flip is
    subcritical or undecided).

    >>> x, y = sp.symbols("x y")
    >>> o = multivariate_orbit_expr((x*y - 1)**2 / 2, (x, y), (sp.Integer(1), sp.Integer(1)), sp.Rational(11, 10), digits=20)
    >>> o.cycle.certified, o.cycle.stable
    (True, True)
    >>> multivariate_orbit_expr((x*y - 1)**2 / 2, (x, y), (sp.Integer(1), sp.Integer(1)), sp.Integer(1)).message
    'eta is (numerically) eta0, where the 2-cycle has zero amplitude'
    >>> multivariate_orbit_expr((x*y - 1)**2 / 2, (x, y), (sp.Integer(1), sp.Integer(1)), sp.Rational(11, 10), digits=0)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: `digits` must be between 5 and 20000, not 0
    >>> multivariate_orbit_expr((x*y - 1)**2 / 2, (x, y), (sp.Integer(1), sp.Integer(1)), 1.1)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: eta: expected a sympy constant, got float 1.1
    """
    from ..dynamics.orbits import NoConvergence, bits_for_digits, continue_branch, solve_system

    eta_value = arguments.instance(eta, "eta", sp.Expr, "a sympy constant")
    eta = sp.sstr(eta_value) if eta_text is None else eta_text
    digits = arguments.digits(digits)
    minimum = check_multivariate_expr(expr, symbols, point, simulate=False, text=text, labels=labels, at_text=at_text)
    names, symbols, text = minimum.variables, tuple(symbols), minimum.expression
    flip = minimum.flip
    if minimum.drift:
        return MultiOrbitReport(text, names, eta, minimum, None, f"no 2-cycle is born at this minimum: {minimum.flip_note}",
                                eta_value, NoCycleCause.NO_BRANCH)
    if flip is None or flip.sign not in (-1, 1):
        return MultiOrbitReport(text, names, eta, minimum, None, "the multivariate flip coefficient is undecided: no branch is predicted"
                                + (f" ({minimum.flip_note})" if minimum.flip_note else ""), eta_value, NoCycleCause.UNDECIDED)
    prec = bits_for_digits(digits)
    low = bits_for_digits(20)
    with ctx.workprec(low):
        l1 = +minimum.top_enclosure(low)
        eta0 = 2 / l1
        above = constant_enclosure(eta_value, low) > eta0
        below = constant_enclosure(eta_value, low) < eta0
        if not (above or below):
            return MultiOrbitReport(text, names, eta, minimum, None, "eta is (numerically) eta0, where the 2-cycle has zero amplitude",
                                    eta_value, NoCycleCause.AT_ETA0)
        if (flip.sign < 0) != bool(above):
            side = "above" if flip.sign < 0 else "below"
            return MultiOrbitReport(text, names, eta, minimum, None,
                                    f"no 2-cycle is born here: the flip at eta0 = {decimal_string(minimum.eta_critical, 15)} is "
                                    f"{minimum.flip_verdict}, so the local branch exists only for eta {side} eta0", eta_value,
                                    NoCycleCause.NO_BRANCH)
        g3 = flip.enclosure if flip.exact is None else constant_enclosure(
            sp.Rational(int(flip.exact.p), int(flip.exact.q)) if isinstance(flip.exact, fmpq) else flip.exact, low)
        xb = [constant_enclosure(v, low) for v in minimum.point]
        q = [+c for c in minimum.unit_direction_enclosure(low)]

    def system_at(eta_mpf):
        value = arb(eta_mpf)
        return MultiCycleSystem(expr, symbols, lambda p: value)

    def seed_at(eta_ball):
        with ctx.workprec(low):
            lam = (1 - eta_ball * l1) ** 2 - 1
            ratio = -lam / g3
            if not ratio > 0:
                return None
            t = ratio.mid().sqrt()
            x0 = [a + t * b for a, b in zip(xb, q, strict=True)]
            x1 = MultiCycleSystem(expr, symbols, lambda p: eta_ball).step(x0, low)
            return x0 + x1

    scale = max([1.0] + [abs(float(v.mid())) for v in xb])
    try:
        _, approx = continue_branch(system_at, seed_at, len(symbols), scale, eta0, constant_enclosure(eta_value, low))
        system = MultiCycleSystem(expr, symbols, lambda p: constant_enclosure(eta_value, p))
        solution = solve_system(system, approx, digits)
    except NoConvergence as exc:
        return MultiOrbitReport(text, names, eta, minimum, None, f"the branch could not be followed to eta = {eta}: {exc}",
                                eta_value, NoCycleCause.NOT_FOLLOWED)
    result = certify(system, solution, prec)
    n = len(symbols)
    with ctx.workprec(prec):
        box = result.enclosure if result.certified else tuple(arb(t) for t in solution)
        x0, x1 = tuple(box[:n]), tuple(box[n:])
        distinct = any(not a.overlaps(b) for a, b in zip(x0, x1, strict=True))
        certified = result.certified and distinct
        try:
            multipliers = tuple(acb_mat(system.product(list(box), prec)).eig(algorithm="rump", multiple=True))
        except ValueError:
            multipliers = ()
        stable = bool(certified and multipliers and all(abs(m) < 1 for m in multipliers))
    return MultiOrbitReport(text, names, eta, minimum, MultiCycle((x0, x1), multipliers, certified, stable, result.radius, digits), None,
                            eta_value)
