"""Period-2 orbits of gradient descent: high-precision 2-cycles, their certification, and the
stability window of the branch born at the flip.

GD is ``F(x) = x - eta f'(x)``.  A 2-cycle ``{x0, x1}`` solves ``F(x0) = x1``, ``F(x1) = x0``,
``x0 != x1``; its multiplier is ``m = F'(x0) F'(x1)`` and it is stable when ``|m| < 1``.

* Solutions are computed with :func:`mpmath.findroot` (explicit tolerance, doubling precision),
  seeded from the flip normal form and continued in ``eta`` when ``eta`` is far from ``eta0``.
* They are **certified** by the Krawczyk test ``K(X) ⊂ int(X)`` (:mod:`symbolic_eos.linalg.krawczyk`,
  python-flint ``arb`` and ``arb_mat``): the box ``X`` then holds exactly one solution.  A box whose two coordinates
  are disjoint cannot hold the fixed point, so the solution is a genuine 2-cycle.  ``stable`` is
  reported only when ``|m| < 1`` is certain; a cycle that cannot be certified is never claimed.
* The window: along the branch, the superstable point (``m = 0``) and the loss of stability
  (``m = -1``: period doubling; ``m = +1``: fold, including symmetry-breaking pitchforks) solve
  augmented systems in ``(x0, x1, eta)``, certified by the same Krawczyk test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import mpmath
import sympy as sp
from flint import arb, ctx

from ..core.arguments import MAX_DIGITS
from ..core.numbers import decimal_string, mpf_text, printed_radius, upper_text
from .closed_forms import ClosedForm
from ..analysis.criteria import FlipNormalForm
from ..errors import EosError
from ..core.jets import Point, Undetermined, ball_coefficients, constant_enclosure
from ..core.vocabulary import Flip, LossType, NoCycleCause, Rigor
# certify stays importable from here: existence and basin certify their cycles through orbits.
from ..linalg.krawczyk import System, certify

__all__ = [
    "GradientMap",
    "TwoCycle",
    "MAX_DIGITS",
    "BranchEvent",
    "NoCycle",
    "CycleSystem",
    "NoConvergence",
    "certify",
    "solve_system",
    "NO_BRANCH",
    "bits_for_digits",
    "cycle_rigor",
    "scan_branch",
    "two_cycle",
    "window_events",
    "WindowScan",
    "continue_branch",
]

#: Binary precision used to follow a branch (decisions are never taken at this precision).
CONTINUATION_DPS = 20


def bits_for_digits(digits: int) -> int:
    """Working precision in bits for ``digits`` correct decimal digits: ``ceil(digits log2 10)``
    plus 32 guard bits.

    >>> bits_for_digits(30)
    132
    """
    return int(math.ceil(digits * math.log2(10))) + 32


@dataclass(frozen=True)
class GradientMap:
    """``F_eta(x) = x - eta f'(x)`` for ``f`` the ``expr`` in ``var``, with derivative enclosures
    from the Taylor engine.

    >>> x = sp.Symbol("x")
    >>> with ctx.workprec(64):
    ...     GradientMap((x**2 - 1)**2 / 4, x).step(arb(2), arb(1) / 2, 64)
    -1.00000000000000000
    """

    expr: sp.Expr
    var: sp.Symbol

    def derivatives(self, x: arb, prec: int) -> tuple[arb, arb, arb]:
        """Enclosures of ``f'(x), f''(x), f'''(x)`` (over the whole ball ``x``)."""
        c = ball_coefficients(self.expr, self.var, x, 3, prec)
        return c[1], 2 * c[2], 6 * c[3]

    def step(self, x: arb, eta: arb, prec: int) -> arb:
        """One GD step ``F_eta(x)``."""
        with ctx.workprec(prec):
            return x - eta * ball_coefficients(self.expr, self.var, x, 1, prec)[1]


# ---------------------------------------------------------------------------------------------
# Nonlinear systems: residual and Jacobian as arb enclosures (at points or over boxes).


class CycleSystem:
    """Unknowns ``(x0, x1)``: ``F(x0) - x1 = 0``, ``F(x1) - x0 = 0`` at a fixed ``eta`` (a ball
    at each precision), for the GD map ``gd``.

    >>> x = sp.Symbol("x")
    >>> system = CycleSystem(GradientMap((x**2 - 1)**2 / 4, x), lambda prec: arb(11) / 10)
    >>> with ctx.workprec(64):
    ...     system.residual([arb(1), arb(1)], 64)
    [0, 0]
    """

    def __init__(self, gd: GradientMap, eta: Callable[[int], arb]) -> None:
        self.gd, self.eta = gd, eta

    def residual(self, v: Sequence[arb], prec: int) -> list[arb]:
        eta = self.eta(prec)
        d0, d1 = (self.gd.derivatives(x, prec)[0] for x in v)
        return [v[0] - eta * d0 - v[1], v[1] - eta * d1 - v[0]]

    def jacobian(self, v: Sequence[arb], prec: int) -> list[list[arb]]:
        eta = self.eta(prec)
        s0, s1 = (1 - eta * self.gd.derivatives(x, prec)[1] for x in v)
        return [[s0, arb(-1)], [arb(-1), s1]]

    def multiplier(self, v: Sequence[arb], prec: int) -> arb:
        eta = self.eta(prec)
        s0, s1 = (1 - eta * self.gd.derivatives(x, prec)[1] for x in v)
        return s0 * s1


class EventSystem:
    """Unknowns ``(x0, x1, eta)``: a 2-cycle with multiplier ``F'(x0) F'(x1) = target`` (-1 or
    +1), or, with ``target = 0``, a superstable one with ``F'(x0) = 0`` (the product's zero is
    written through its factor so that it stays a simple zero when both factors vanish)."""

    def __init__(self, gd: GradientMap, target: int) -> None:
        self.gd, self.target = gd, target

    def residual(self, v: Sequence[arb], prec: int) -> list[arb]:
        x0, x1, eta = v
        a0, b0, _ = self.gd.derivatives(x0, prec)
        a1, b1, _ = self.gd.derivatives(x1, prec)
        s0, s1 = 1 - eta * b0, 1 - eta * b1
        last = s0 if self.target == 0 else s0 * s1 - self.target
        return [x0 - eta * a0 - x1, x1 - eta * a1 - x0, last]

    def jacobian(self, v: Sequence[arb], prec: int) -> list[list[arb]]:
        x0, x1, eta = v
        a0, b0, c0 = self.gd.derivatives(x0, prec)
        a1, b1, c1 = self.gd.derivatives(x1, prec)
        s0, s1 = 1 - eta * b0, 1 - eta * b1
        if self.target == 0:
            last = [-eta * c0, arb(0), -b0]
        else:
            last = [-eta * c0 * s1, -eta * c1 * s0, -b0 * s1 - s0 * b1]
        return [[s0, arb(-1), -a0], [arb(-1), s1, -a1], last]


# ---------------------------------------------------------------------------------------------


def _to_mpf(a: arb) -> mpmath.mpf:
    return mpmath.mpf(a.mid()._mpf_)


def solve_system(system: System, guess: Sequence, digits: int, start_dps: int = 20, maxsteps: int = 60) -> list[mpmath.mpf]:
    """Newton on ``system`` from ``guess`` (mpmath ``findroot``, analytic Jacobian), first at
    ``start_dps`` digits and at most ``maxsteps`` steps, polished to ``digits`` by doubling the
    precision; the tolerance is set explicitly, since the default fails at high precision.
    Raises :class:`NoConvergence` when Newton does not converge.

    >>> x = sp.Symbol("x")
    >>> system = CycleSystem(GradientMap((x**2 - 1)**2 / 4, x), lambda prec: arb(11) / 10)
    >>> [mpmath.nstr(t, 8) for t in solve_system(system, [mpmath.mpf("0.7"), mpmath.mpf("1.2")], 20, start_dps=15, maxsteps=60)]
    ['0.81455163', '1.116063']
    >>> solve_system(CycleSystem(GradientMap(x, x), lambda prec: arb(1)), [mpmath.mpf(0), mpmath.mpf(1)], 20)
    Traceback (most recent call last):
    ...
    symbolic_eos.dynamics.orbits.NoConvergence: ZeroDivisionError: matrix is numerically singular
    """
    x = [mpmath.mpf(g) if not isinstance(g, arb) else _to_mpf(g) for g in guess]
    dps = min(start_dps, digits + 10)
    while True:
        with mpmath.workdps(dps):
            prec = mpmath.mp.prec + 16

            def f(*v, prec=prec):
                with ctx.workprec(prec):
                    return [_to_mpf(r) for r in system.residual([arb(t) for t in v], prec)]

            def jac(*v, prec=prec):
                with ctx.workprec(prec):
                    rows = system.jacobian([arb(t) for t in v], prec)
                    return mpmath.matrix([[_to_mpf(e) for e in row] for row in rows])

            tol = mpmath.mpf(2) ** (-mpmath.mp.prec + 12)
            try:
                sol = mpmath.findroot(f, [mpmath.mpf(t) for t in x], J=jac, tol=tol, verify=False, maxsteps=maxsteps)
            except (ZeroDivisionError, ValueError, TypeError, Undetermined, EosError) as exc:
                # mpmath's LU raises TypeError on a numerically singular or non-finite Jacobian.
                raise NoConvergence(f"{type(exc).__name__}: {exc}") from None
            x = [sol[i] for i in range(len(x))]
            if not all(mpmath.isfinite(t) for t in x):
                raise NoConvergence("non-finite iterate")
            residual = max(abs(t) for t in f(*x))
            if residual > mpmath.mpf(2) ** (-mpmath.mp.prec // 2):
                raise NoConvergence(f"residual {mpf_text(residual, 3)} at {dps} digits")
        if dps >= digits + 10:
            return x
        dps = min(2 * dps, digits + 10)


class NoConvergence(Exception):
    """Newton or continuation did not reach a 2-cycle (an answer, not a bug: no cycle is claimed).

    >>> x = sp.Symbol("x")
    >>> system = CycleSystem(GradientMap(x, x), lambda prec: arb(1))  # F(x) = x - 1 has no 2-cycle
    >>> solve_system(system, [mpmath.mpf(0), mpmath.mpf(1)], 20)
    Traceback (most recent call last):
    ...
    symbolic_eos.dynamics.orbits.NoConvergence: ZeroDivisionError: matrix is numerically singular
    """


def _quick_newton(system: System, guess: Sequence[mpmath.mpf], dps: int, maxsteps: int = 12) -> list[mpmath.mpf]:
    """Undamped Newton at ``dps`` digits that gives up fast: only used to walk along a branch,
    where a failure just means a smaller step (findroot's damping can spend many evaluations
    before failing)."""
    with mpmath.workdps(dps):
        prec = mpmath.mp.prec + 16
        x = [mpmath.mpf(t) for t in guess]
        tol = mpmath.mpf(2) ** (-mpmath.mp.prec + 16)
        with ctx.workprec(prec):
            for _ in range(maxsteps):
                try:
                    v = [arb(t) for t in x]
                    r = mpmath.matrix([_to_mpf(e) for e in system.residual(v, prec)])
                    j = mpmath.matrix([[_to_mpf(e) for e in row] for row in system.jacobian(v, prec)])
                    step = mpmath.lu_solve(j, -r)
                except (ZeroDivisionError, ValueError, TypeError, Undetermined, EosError) as exc:
                    raise NoConvergence(str(exc)) from None
                x = [a + b for a, b in zip(x, step, strict=True)]
                if not all(mpmath.isfinite(t) for t in x):
                    raise NoConvergence("non-finite iterate")
                if mpmath.norm(step) <= tol * max(1, mpmath.norm(mpmath.matrix(x))):
                    return x
        raise NoConvergence("Newton did not converge")


# ---------------------------------------------------------------------------------------------


#: How the "there is no branch here" sentence starts (for the reader: the code asks
#: :attr:`NoCycle.cause`, ``no_branch``, which rests on the flip verdict, exact or certified,
#: unlike a failure to follow or certify a branch, which establishes nothing).
NO_BRANCH = "no 2-cycle is born"


def cycle_rigor(certified: bool) -> Rigor:
    """``certified`` for a Krawczyk-certified 2-cycle, else ``numerical`` (an approximation).

    >>> cycle_rigor(True), cycle_rigor(certified=False)
    ('certified', 'numerical')
    """
    return Rigor.CERTIFIED if certified else Rigor.NUMERICAL


class NoCycle(EosError):
    """No 2-cycle to report near a minimum at the given eta: the message says why in a sentence,
    ``cause`` (a :class:`~symbolic_eos.core.vocabulary.NoCycleCause`) says it for the code; only
    ``no_branch`` (the flip verdict puts the branch on the other side of eta0) is a fact.

    >>> e = NoCycle("Newton did not converge", NoCycleCause.NO_CONVERGENCE)
    >>> str(e), e.cause, e.cause.establishes
    ('Newton did not converge', 'no_convergence', False)
    """

    def __init__(self, message: str, cause: NoCycleCause) -> None:
        super().__init__(message)
        self.message, self.cause = message, cause


@dataclass(frozen=True)
class TwoCycle:
    """A 2-cycle ``{x0, x1}`` at ``eta``: its ``points`` (enclosures when ``certified``,
    approximations otherwise), the ``multiplier`` ``F'(x0) F'(x1)``, whether it is ``stable``
    (``|multiplier| < 1`` certified), the certified box ``radius`` and the ``digits`` asked for.

    >>> from symbolic_eos import orbit
    >>> c = orbit("(x**2 - 1)**2/4", "11/10", at="1", digits=20).orbits[0]
    >>> c.certified, c.stable, bool(abs(c.multiplier) < 1), c.printed(6)[0]
    (True, True, True, ['0.814552', '1.11606'])
    """

    points: tuple[arb, arb]
    multiplier: arb
    certified: bool
    stable: bool
    radius: arb
    digits: int

    def printed(self, digits: int) -> tuple[list[str], str]:
        """The points to ``digits`` digits and a radius that covers their rounding."""

        texts = [decimal_string(p, digits) for p in self.points]
        return texts, printed_radius(self.points, texts, self.radius)

    def to_dict(self) -> dict:
        digits = max(self.digits, 15)
        points, radius = self.printed(digits)
        return {
            "points": points,
            "multiplier": decimal_string(self.multiplier, max(15, min(digits, 30))),
            "stable": self.stable,
            "certified": self.certified,
            "radius": radius,
            "box_radius": upper_text(self.radius),
            "amplitude": decimal_string(abs(self.points[0] - self.points[1]) / 2, 15),
            "rigor": cycle_rigor(self.certified),
        }


def branch_seed(gd: GradientMap, xb: arb, f2: arb, flip: FlipNormalForm, eta: arb, prec: int) -> list[arb] | None:
    """Normal-form prediction of the 2-cycle near ``xb``: ``G(t) - t ≈ lam t + g_p t^p`` with
    ``lam = (1 - eta f'')^2 - 1``, so ``t^(p-1) = -lam/g_p`` (None when that is negative)."""
    with ctx.workprec(prec):
        lam = (1 - eta * f2) ** 2 - 1
        if flip.coefficient is None or flip.order is None:
            return None  # no lowest non-zero term: no prediction
        g = flip.coefficient.enclosure if flip.coefficient.exact is None else arb(flip.coefficient.text(30))
        if g is None:
            return None
        ratio = -lam / g
        if not ratio > 0:
            return None
        t = (ratio.mid()) ** (arb(1) / (flip.order - 1))
        x0 = xb + t
        return [x0, gd.step(x0, eta, prec)]


def follow_branch(
    gd: GradientMap,
    xb: arb,
    f2: arb,
    flip: FlipNormalForm,
    eta0: arb,
    eta_target: arb,
    *,
    monitor: Callable[[mpmath.mpf, list, arb], bool] | None = None,
    max_steps: int = 4000,
) -> tuple[mpmath.mpf, list[mpmath.mpf]]:
    """The 1-D branch born at ``eta0`` continued to ``eta_target`` (see :func:`continue_branch`)."""
    prec = bits_for_digits(CONTINUATION_DPS)
    return continue_branch(
        lambda eta: _fixed_eta(gd, eta),
        lambda eta: branch_seed(gd, xb, f2, flip, eta, prec),
        1, max(1, abs(_to_mpf(xb))), eta0, eta_target, monitor=monitor, max_steps=max_steps,
    )


def continue_branch(
    system_at: Callable,
    seed_at: Callable,
    dimension: int,
    scale: mpmath.mpf | float,
    eta0: arb,
    eta_target: arb,
    *,
    monitor: Callable[[mpmath.mpf, list, arb], bool] | None = None,
    max_steps: int = 4000,
) -> tuple[mpmath.mpf, list[mpmath.mpf]]:
    """Continue a branch of 2-cycles ``(x0, x1)`` (``dimension`` coordinates each) born at
    ``eta0`` to ``eta_target``: natural parameter, step control, secant predictor, at
    :data:`CONTINUATION_DPS` digits, steps of the size of ``scale``, at most ``max_steps``.
    ``system_at(eta)`` gives the cycle system, ``seed_at(eta)`` the normal-form prediction.  This
    only steers the computation: nothing is decided here.  ``monitor(eta, cycle, multiplier)`` may
    stop the walk early by returning True.  Returns the last ``(eta, cycle)`` reached.

    >>> x = sp.Symbol("x")
    >>> gd = GradientMap((x**2 - 1)**2 / 4, x)
    >>> from symbolic_eos.dynamics.reports import curvature_ball, minima_checks
    >>> x = sp.Symbol("x")
    >>> c = minima_checks((x**2 - 1)**2 / 4, x, sp.Integer(1))[0]
    >>> f2 = curvature_ball(c.curvature, 128)
    >>> def seed_at(eta):
    ...     return branch_seed(gd, arb(1), f2, c.flip, eta, 128)
    >>> with ctx.workprec(128):
    ...     eta, cycle = continue_branch(lambda eta: CycleSystem(gd, lambda p: arb(eta)), seed_at, 1, scale=1,
    ...                                  eta0=arb(1), eta_target=arb(11) / 10, max_steps=400)
    >>> mpmath.nstr(eta, 6), sorted(mpmath.nstr(c, 6) for c in cycle)
    ('1.1', ['0.814552', '1.11606'])

    Below eta0 the supercritical normal form predicts no cycle (``seed_at`` gives None):

    >>> with ctx.workprec(128):
    ...     continue_branch(lambda eta: CycleSystem(gd, lambda p: arb(eta)), seed_at, 1, scale=1,
    ...                     eta0=arb(1), eta_target=arb(9) / 10)
    Traceback (most recent call last):
    ...
    symbolic_eos.dynamics.orbits.NoConvergence: the normal form predicts no 2-cycle on this side of eta0
    """
    prec = bits_for_digits(CONTINUATION_DPS)

    def width(cycle):
        return max(abs(cycle[i] - cycle[dimension + i]) for i in range(dimension))

    with ctx.workprec(prec), mpmath.workdps(CONTINUATION_DPS):
        start, target = _to_mpf(eta0), _to_mpf(eta_target)
        span = target - start
        seed = seed_at(arb(target))
        if seed is None:
            raise NoConvergence("the normal form predicts no 2-cycle on this side of eta0")
        seed = [_to_mpf(v) for v in seed]
        if monitor is None and width(seed) < mpmath.mpf("2e-3") * scale:
            # Close to eta0 the normal form is already a good Newton start; the cycle system is
            # ill-conditioned there (its Jacobian tends to singular), so do not continue at low precision.
            return target, seed
        # The first step is small on the scale of eta0, however far the target is.
        current = start + mpmath.sign(span) * min(abs(span), abs(start)) * mpmath.mpf("1e-4")
        cycle = _quick_newton(system_at(current), [_to_mpf(v) for v in seed_at(arb(current))], CONTINUATION_DPS, 30)
        step = current - start
        previous = None
        for _ in range(max_steps):
            m = system_at(current).multiplier([arb(t) for t in cycle], prec)
            if monitor is not None and monitor(current, cycle, m):
                return current, cycle
            if current == target:
                return current, cycle
            while True:
                nxt = current + step
                if (nxt - target) * span > 0:
                    nxt = target
                if previous is not None:
                    pe, pc = previous
                    w = (nxt - current) / (current - pe)
                    guess = [c + (c - q) * w for c, q in zip(cycle, pc, strict=True)]
                else:
                    guess = cycle
                try:
                    new = _quick_newton(system_at(nxt), guess, CONTINUATION_DPS)
                    jump = max(abs(a - b) for a, b in zip(new, cycle, strict=True))
                    if jump > max(width(cycle), mpmath.mpf("1e-6")) or width(new) < width(cycle) / 4:
                        raise NoConvergence("jumped off the branch")
                    # Small multiplier changes per step keep events bracketed and branches apart.
                    m_new = _to_mpf(system_at(nxt).multiplier([arb(t) for t in new], prec))
                    if abs(m_new - _to_mpf(m)) > mpmath.mpf("0.2"):
                        raise NoConvergence("the multiplier changed too fast")
                except NoConvergence:
                    step /= 2
                    if abs(step) < abs(span) * mpmath.mpf("1e-9"):
                        raise NoConvergence(
                            f"the branch could not be continued past eta = {mpf_text(current, 12)}"
                        ) from None
                    continue
                previous = (current, cycle)
                current, cycle = nxt, new
                # Grow geometrically away from eta0, never past a twentieth of the span.
                if abs(step * 2) < min(abs(span) / 20, abs(current - start)):
                    step *= 2
                break
        raise NoConvergence("too many continuation steps")


def _fixed_eta(gd: GradientMap, eta: mpmath.mpf) -> CycleSystem:
    value = arb(eta)
    return CycleSystem(gd, lambda prec: value)


def two_cycle(
    gd: GradientMap,
    point: Point,
    f2: arb,
    flip: FlipNormalForm,
    eta_text: str,
    eta_value: sp.Expr,
    digits: int,
) -> TwoCycle:
    """The certified 2-cycle of the GD map ``gd`` near the minimum ``point`` (curvature ``f2``,
    flip normal form ``flip``) at ``eta`` (``eta_text``, of exact value ``eta_value``) to
    ``digits`` digits; :class:`NoCycle` (a sentence and its cause) when there is none to report.

    >>> from symbolic_eos.dynamics.reports import curvature_ball, minima_checks
    >>> x = sp.Symbol("x")
    >>> gd, c = GradientMap((x**2 - 1)**2 / 4, x), minima_checks((x**2 - 1)**2 / 4, x, sp.Integer(1))[0]
    >>> f2 = curvature_ball(c.curvature, 64)
    >>> two_cycle(gd, c.point, f2, c.flip, "11/10", sp.Rational(11, 10), digits=20).printed(6)
    (['0.814552', '1.11606'], '2.98e-6')
    >>> two_cycle(gd, c.point, f2, c.flip, "9/10", sp.Rational(9, 10), digits=20)
    Traceback (most recent call last):
    ...
    symbolic_eos.dynamics.orbits.NoCycle: no 2-cycle is born here because the flip at e...
    """
    prec = bits_for_digits(digits)
    low = bits_for_digits(CONTINUATION_DPS)
    with ctx.workprec(low):
        xb = point.enclosure(low)
        eta_low = constant_enclosure(eta_value, low)
        eta0 = 2 / f2
        if flip.verdict == Flip.UNDECIDED:
            raise NoCycle("no verdict: the flip normal form at this minimum is undecided, so no branch of 2-cycles is predicted",
                          NoCycleCause.UNDECIDED)
        lam_sign = (eta_low - eta0)
        if lam_sign.contains(0):
            raise NoCycle(f"eta = {eta_text} cannot be told apart from eta0 = 2/f'' at this precision: "
                          "the 2-cycle there has (nearly) zero amplitude", NoCycleCause.AT_ETA0)
        above = lam_sign > 0
        if (flip.verdict == Flip.SUPERCRITICAL) != above:
            side = "above" if flip.verdict == Flip.SUPERCRITICAL else "below"
            kind = "stable" if flip.verdict == Flip.SUPERCRITICAL else "unstable"
            raise NoCycle(
                f"{NO_BRANCH} here because the flip at eta0 = {decimal_string(eta0, 12)} is "
                f"{flip.verdict}: the local branch of ({kind}) 2-cycles exists only for eta {side} eta0",
                NoCycleCause.NO_BRANCH,
            )
        try:
            eta_reached, approx = follow_branch(gd, xb, f2, flip, eta0, eta_low)
        except NoConvergence as exc:
            raise NoCycle(f"the branch born at eta0 could not be followed to eta = {eta_text}: {exc}", NoCycleCause.NOT_FOLLOWED) from exc
    system = CycleSystem(gd, lambda p: constant_enclosure(eta_value, p))
    try:
        solution = solve_system(system, approx, digits)
    except NoConvergence as exc:
        raise NoCycle(f"Newton did not converge at {digits} digits: {exc}", NoCycleCause.NO_CONVERGENCE) from exc
    result = certify(system, solution, prec)
    with ctx.workprec(prec):
        pts = result.enclosure if result.certified else tuple(arb(t) for t in solution)
        distinct = not pts[0].overlaps(pts[1])
        certified = result.certified and distinct
        mult = system.multiplier(list(pts), prec)
        stable = bool(certified and abs(mult) < 1)
        first, second = sorted(pts, key=lambda a: float(a.mid()))
        return TwoCycle((first, second), mult, certified, stable, result.radius, digits)


# ---------------------------------------------------------------------------------------------
# The stability window of the branch born at eta0.


@dataclass(frozen=True)
class BranchEvent:
    """A certified point of the branch where the multiplier equals ``target``: its ``kind``
    (``superstable`` / ``period_doubling`` / ``fold``), the learning rate ``eta``, the cycle's
    ``points`` there, whether it is ``certified``, and its ``closed_form`` when recognised.

    >>> from symbolic_eos import window
    >>> ev = window("(x**2 - 1)**2/4", at="1", digits=20).superstable
    >>> ev.kind, ev.target, ev.certified, ev.closed_form.expression
    ('superstable', 0, True, '-1 + 3*sqrt(2)/2')
    """

    kind: LossType
    target: int
    eta: arb
    points: tuple[arb, arb]
    certified: bool
    closed_form: ClosedForm | None = None


class ScaledSystem:
    """``system`` in scaled unknowns ``u = v / columns`` with residual rows divided by ``rows``:
    the same zeros (so a Krawczyk certificate for it is one for ``system``), but a Jacobian of
    order one when ``x`` and ``eta`` live on very different scales."""

    def __init__(self, system: System, columns: Sequence[arb], rows: Sequence[arb]) -> None:
        self.system, self.columns, self.rows = system, list(columns), list(rows)

    def _unscale(self, u):
        return [a * c for a, c in zip(u, self.columns, strict=True)]

    def residual(self, u, prec):
        with ctx.workprec(prec):
            return [r / w for r, w in zip(self.system.residual(self._unscale(u), prec), self.rows, strict=True)]

    def jacobian(self, u, prec):
        with ctx.workprec(prec):
            j = self.system.jacobian(self._unscale(u), prec)
            return [[j[i][k] * self.columns[k] / self.rows[i] for k in range(len(self.columns))] for i in range(len(self.rows))]


def locate_event(
    gd: GradientMap, target: int, guess: Sequence, digits: int, kind: LossType, bracket: tuple | None = None
) -> BranchEvent | None:
    """Solve ``F(x0) = x1, F(x1) = x0, F'(x0) F'(x1) = target`` for ``(x0, x1, eta)`` from
    ``guess`` and certify it (Krawczyk in three scaled unknowns, ``x0 != x1`` checked, and the
    certified ``eta`` inside the (slightly widened) ``bracket`` where the scan saw the event,
    so that it is this branch's event)."""
    width = max(abs(guess[0] - guess[1]), mpmath.mpf(2) ** -200)
    scales = [arb(mpmath.mpf(width)), arb(mpmath.mpf(width)), arb(mpmath.mpf(guess[2]))]
    system = ScaledSystem(EventSystem(gd, target), scales, [scales[0], scales[0], arb(1)])
    try:
        solution = solve_system(system, [g / _to_mpf(c) for g, c in zip(guess, scales, strict=True)], digits)
    except NoConvergence:
        return None
    prec = bits_for_digits(digits)
    result = certify(system, solution, prec)
    with ctx.workprec(prec):
        scaled = result.enclosure if result.certified else tuple(arb(t) for t in solution)
        box = [a * c for a, c in zip(scaled, scales, strict=True)]
        certified = result.certified and not box[0].overlaps(box[1])
        if certified and bracket is not None:
            lo, hi = bracket
            pad = abs(hi - lo)
            certified = bool(box[2] > arb(lo - pad) and box[2] < arb(hi + pad))
        low, high = sorted(box[:2], key=lambda a: float(a.mid()))
        return BranchEvent(kind, target, box[2], (low, high), certified)


def _interpolate(a: Sequence[Any], b: Sequence[Any], index: int, target: int, swap: bool = False) -> list[mpmath.mpf]:
    """Linear interpolation between samples ``(eta, cycle, m, s0, s1)`` where entry ``index``
    equals ``target``; ``swap`` puts the cycle point with ``F' = 0`` first."""
    y0, y1 = a[index], b[index]
    w = (target - y0) / (y1 - y0) if y1 != y0 else mpmath.mpf(1) / 2
    c0, c1 = (a[1][::-1], b[1][::-1]) if swap else (a[1], b[1])
    return [c0[0] + w * (c1[0] - c0[0]), c0[1] + w * (c1[1] - c0[1]), a[0] + w * (b[0] - a[0])]


@dataclass(frozen=True)
class WindowScan:
    """The branch followed from eta0 up to ``eta_max``: ``samples`` ``(eta, cycle, m, F'(x0), F'(x1))``
    and why the walk ``ended`` early (None when it reached ``eta_max`` or saw the loss).

    >>> WindowScan(((mpmath.mpf(2), [0.9, 1.1], mpmath.mpf(-1.5), -1, 1),), None, mpmath.mpf(3)).left_unit_interval
    True
    """

    samples: tuple
    ended: str | None
    eta_max: mpmath.mpf

    @property
    def left_unit_interval(self) -> bool:
        """Did the (sampled) multiplier leave [-1, 1]?  Then the cycle was seen to lose stability."""
        return bool(self.samples) and not -1 <= self.samples[-1][2] <= 1


def scan_branch(gd: GradientMap, xb: arb, f2: arb, flip: FlipNormalForm, eta_max: mpmath.mpf) -> WindowScan:
    """Follow the branch born at the minimum ``xb`` (curvature ``f2``, flip normal form ``flip``)
    of the GD map ``gd`` from ``eta0 = 2/f2`` towards ``eta_max``, recording
    ``(eta, cycle, m, F'(x0), F'(x1))``; stop once the multiplier ``m`` has left [-1, 1] (the
    cycle is then unstable).

    >>> from symbolic_eos.dynamics.reports import curvature_ball, minima_checks
    >>> x = sp.Symbol("x")
    >>> x = sp.Symbol("x")
    >>> c = minima_checks((x**2 - 1)**2 / 4, x, sp.Integer(1))[0]
    >>> scan = scan_branch(GradientMap((x**2 - 1)**2 / 4, x), arb(1), curvature_ball(c.curvature, 64), c.flip, mpmath.mpf(2))
    >>> scan.ended, scan.left_unit_interval
    (None, True)
    """
    samples: list = []

    def monitor(eta, cycle, m):
        s0, s1 = (_to_mpf(1 - arb(eta) * gd.derivatives(arb(x), prec)[1]) for x in cycle)
        samples.append((eta, list(cycle), _to_mpf(m), s0, s1))
        return bool(m < -1 or m > 1)

    prec = bits_for_digits(CONTINUATION_DPS)
    with ctx.workprec(prec):
        eta0 = 2 / f2
        try:
            follow_branch(gd, xb, f2, flip, eta0, arb(eta_max), monitor=monitor)
            ended = None
        except NoConvergence as exc:
            ended = str(exc)
    return WindowScan(tuple(samples), ended, eta_max)


def window_events(gd: GradientMap, scan: WindowScan, digits: int) -> tuple[BranchEvent | None, BranchEvent | None]:
    """The superstable point and the loss of stability along the branch ``scan`` of the GD map
    ``gd``, each certified to ``digits`` digits (None where the scan did not see it).

    >>> from symbolic_eos.dynamics.reports import curvature_ball, minima_checks
    >>> x = sp.Symbol("x")
    >>> gd, c = GradientMap((x**2 - 1)**2 / 4, x), minima_checks((x**2 - 1)**2 / 4, x, sp.Integer(1))[0]
    >>> scan = scan_branch(gd, arb(1), curvature_ball(c.curvature, 64), c.flip, mpmath.mpf(2))
    >>> [e.kind for e in window_events(gd, scan, digits=20)]
    ['superstable', 'period_doubling']
    """
    samples = scan.samples
    superstable = loss = None
    for a, b in zip(samples, samples[1:], strict=False):
        # Superstable: F' vanishes at one of the points (a sign change of F'(x0) or F'(x1);
        # their product may only touch zero, e.g. for symmetric cycles).
        for index, swap in ((3, False), (4, True)):
            if superstable is None and a[index] * b[index] <= 0 and a[index] != 0:
                superstable = locate_event(gd, 0, _interpolate(a, b, index, 0, swap), digits, LossType.SUPERSTABLE, (a[0], b[0]))
        if a[2] >= -1 > b[2]:
            loss = locate_event(gd, -1, _interpolate(a, b, 2, -1), digits, LossType.PERIOD_DOUBLING, (a[0], b[0]))
            break
        if a[2] <= 1 < b[2]:
            loss = locate_event(gd, 1, _interpolate(a, b, 2, 1), digits, LossType.FOLD, (a[0], b[0]))
            break
    if loss is None and scan.ended is not None and samples and samples[-1][2] > 0:
        # Natural continuation fails at a fold, where the multiplier tends to +1.
        last = samples[-1]
        loss = locate_event(gd, 1, [last[1][0], last[1][1], last[0]], digits, LossType.FOLD)
    return superstable, loss
