"""Where gradient descent goes from many starting points: the basin of a 2-cycle, start by start.

GD is ``F(x) = x - eta f'(x)``.  From each exact start ``x0`` the orbit ``x_{n+1} = F(x_n)`` is
followed and classified as

* ``cycle``: it converges to the given 2-cycle ``{delta1, delta2}`` (either phase);
* ``minimum``: it lands exactly on the fixed point ``xb``, or converges to it when ``xb`` attracts;
* ``diverged``: ``|x_n|`` passed the escape bound;
* ``other``: another attractor (a fixed point or a ``p``-cycle that is not the given one), the
  orbit left the real domain of ``f'``, or no convergence within ``max_iter`` steps.

How each class is established (``evidence`` of a start):

* ``exact``: while ``f'`` is a polynomial with rational coefficients and ``eta`` is rational, the
  first iterates are exact rationals (``fmpq``), so landing exactly on a fixed point or periodic
  orbit is seen exactly.
* ``certified``: a *trapping interval* ``I`` around each attracting point is certified with
  balls: ``G = F^p`` maps ``I`` into itself and ``|G'| < 1`` on ``I``, so every orbit that enters
  ``I`` converges to the orbit through it.  The orbit itself is enclosed in balls by the
  mean-value form ``F(X) ⊂ F(m) + F'(X)(X - m)``; if such a ball enters a trapping interval,
  convergence of that start is certified.
* ``numeric``: once the balls grow too wide (chaotic transients), the orbit is followed on the
  midpoints at ``prec`` bits.  Entering a trapping interval, ``|x_n - x_{n-p}| < tol`` (another
  attractor) or the escape bound are then numeric evidence only.

``F`` and ``F'`` are compiled once onto python-flint ``arb`` (a few microseconds a step,
against ~100 through :meth:`~symbolic_eos.dynamics.orbits.GradientMap.step`, which checks the compiled
map).  Whatever the evidence per start, a finite grid of starts says nothing certain about the
starts between them: a report about an interval is **numeric evidence** (``rigor`` says which).

For the quartic ``(x^2 - 1)^2/4`` at ``eta = 13/12`` the 2-cycle is ``{3/sqrt(13), 4/sqrt(13)}``:

>>> cycle = [constant_enclosure(sp.sqrt(sp.Rational(k, 13)), 128) for k in (9, 16)]
>>> r = basin_check("(x**2 - 1)**2/4", "x", "13/12", cycle, interior_grid(0, 1, 9), minimum=1)
>>> r.counts, r.cycle_fraction, r.evidence_counts
({'cycle': 9, 'minimum': 0, 'diverged': 0, 'other': 0}, Fraction(1, 1), {'certified': 9})
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Sequence, TypeAlias

import sympy as sp
from flint import arb, ctx, fmpq, fmpq_poly

from ..core import arguments
from ..core.numbers import decimal_string, enclosure_text, upper_text
from ..errors import EosError, InputError
from ..core.jets import ball_function, constant_enclosure, to_fmpq
from .orbits import CycleSystem, GradientMap, NoConvergence, certify, solve_system
from ..core.parse import parse_expression, parse_variable_name
from ..core.vocabulary import Evidence, Fate, Rigor

__all__ = [
    "StartOutcome",
    "TrappingInterval",
    "BasinReport",
    "basin_check",
    "interior_grid",
    "trapping_interval",
    "KINDS",
]

#: The classes of a start, in the order reports list them.
KINDS = tuple(Fate)

#: Exact rational iteration stops once an iterate's numerator or denominator has this many bits
EXACT_BITS = 4096
#: ... or after this many exact steps.
EXACT_STEPS = 64
#: How often (in steps) the orbit is tested for convergence to another attractor.
CHECK_EVERY = 8
#: Ball orbits wider than this are given up for midpoint numerics.
CERTIFIED_RADIUS = "1e-12"



# ---------------------------------------------------------------------------------------------
# Inputs.


#: An exact real number as the API takes it (floats are refused at run time).
Exact: TypeAlias = "str | int | Fraction | fmpq | sp.Expr"
#: A compiled ball map ``x -> F(x)`` (or ``F'(x)``).
BallMap: TypeAlias = Callable[[arb], arb]


def _exact(value: object, what: str) -> sp.Expr:
    """An exact real constant from text, int, Fraction, fmpq or sympy (floats are refused)."""
    return arguments.exact_value(value, what)


def _ball_text(value: object, name: str) -> str:
    """A positive bound as decimal text that ``arb`` reads (``'1e-20'``)."""
    text = arguments.text(value, name, 100)
    try:
        ok = arb(text) > 0
    except ValueError:
        ok = False
    if not ok:
        raise InputError(f"{name}: expected a positive decimal such as '1e-20', got {text!r}")
    return text


def interior_grid(lo: int | Fraction | str, hi: int | Fraction | str, n: int) -> tuple[Fraction, ...]:
    """``n`` exact starts strictly inside ``(lo, hi)``: ``lo + (hi - lo) k/(n+1)``, ``k = 1..n``.

    >>> interior_grid(0, 1, 3)
    (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))

    >>> interior_grid(1, 0, 3)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: empty interval (1, 0)
    """
    a, b = arguments.rational(lo, "lo"), arguments.rational(hi, "hi")
    n = arguments.positive_int(n, "n", 1, 10**7)
    if not a < b:
        raise InputError(f"empty interval ({a}, {b})")
    if n < 1:
        raise InputError(f"the grid needs at least one point, not {n}")
    return tuple(a + (b - a) * Fraction(k, n + 1) for k in range(1, n + 1))


# ---------------------------------------------------------------------------------------------
# The map, compiled onto balls.


def compiled_gd_map(expr: sp.Expr, var: sp.Symbol, eta: sp.Expr, prec: int) -> tuple[Callable, Callable]:
    """``(F, F')`` for ``F(x) = x - eta f'(x)`` as scalar ball arithmetic on python-flint
    ``arb`` (:func:`symbolic_eos.core.jets.ball_function`: rigorous enclosures, no code generation);
    call them inside ``ctx.workprec(prec)``.

    >>> x = sp.Symbol("x")
    >>> F, dF = compiled_gd_map((x**2 - 1)**2 / 4, x, sp.Rational(11, 10), 64)
    >>> F(arb(1)), F(arb(0)), dF(arb(1)).contains(arb(-6) / 5)
    (1.00000000000000, 0, True)
    """
    body = var - eta * sp.diff(expr, var)
    slope = sp.diff(body, var)
    if body.has(sp.Float) or slope.has(sp.Float):
        raise InputError("the loss must have exact coefficients (no floats)")
    return ball_function(body, var), ball_function(slope, var)


def _image(F: BallMap, dF: BallMap, X: arb) -> arb:
    """Mean-value form ``F(X) ⊂ F(m) + F'(X)(X - m)``, ``m`` the midpoint of ``X``."""
    m = arb(X.mid())
    return F(m) + dF(X) * (X - m)


@dataclass(frozen=True)
class TrappingInterval:
    """A certified interval ``I`` with ``F^period(I) ⊂ I`` and ``|(F^period)'| <= lipschitz < 1``
    on ``I``: the orbit of every point of ``I`` converges to the ``period``-orbit through ``I``.

    >>> x = sp.Symbol("x")
    >>> F, dF = compiled_gd_map(x**2 / 2, x, sp.Rational(1, 2), 64)    # F(x) = x/2
    >>> t = trapping_interval(F, dF, arb(0), 1, arb(1))
    >>> t.period, t.lipschitz
    (1, 0.500000000000000)
    """

    interval: arb
    period: int
    lipschitz: arb

    def to_dict(self) -> dict:
        return {"interval": enclosure_text(self.interval), "period": self.period,
                "lipschitz": upper_text(self.lipschitz)}


def trapping_interval(F: BallMap, dF: BallMap, point: arb, period: int, scale: arb, tries: int = 60) -> TrappingInterval | None:
    """The widest ``I = mid(point) ± scale 2^-k`` (``k = 2, 3, ...``) certified to trap the
    ``period``-orbit through ``point`` (an enclosure of a periodic point), trying ``tries``
    widths of the compiled map ``F`` with derivative ``dF``; None if none is.  ``I`` traps when
    ``G = F^p`` (``p`` the ``period``) has ``|G'(I)| < 1`` and its mean-value image
    ``G(m) + G'(I) (I - m)`` (``m`` the midpoint) lies inside ``I``: then ``G(I) ⊂ I`` and ``G``
    contracts there.

    >>> x = sp.Symbol("x")
    >>> F, dF = compiled_gd_map(x**2 / 2, x, sp.Rational(1, 2), 64)    # F(x) = x/2
    >>> trapping_interval(F, dF, arb(0), 1, arb(1)).interval
    [+/- 0.251]

    A repelling point (``F(x) = -2x`` at ``eta = 3``) is trapped by no interval:

    >>> trapping_interval(*compiled_gd_map(x**2 / 2, x, sp.Integer(3), 64), arb(0), 1, arb(1)) is None  # undecided: |F'| > 1
    True
    """
    for k in range(2, tries):
        interval = arb(point.mid(), scale * arb(2) ** (-k))
        if not interval.contains(point):
            return None
        derivative, Y = arb(1), interval
        for _ in range(period):
            derivative *= dF(Y)
            Y = _image(F, dF, Y)
        m = arb(interval.mid())
        Gm = m
        for _ in range(period):
            Gm = F(Gm)
        G = Gm + derivative * (interval - m)
        if abs(derivative) < 1 and interval.contains_interior(G):
            return TrappingInterval(interval, period, abs(derivative))
    return None


def _exact_map(expr: sp.Expr, var: sp.Symbol, eta: sp.Expr) -> fmpq_poly | None:
    """``F`` as an ``fmpq_poly`` when ``f`` is a polynomial with rational coefficients and
    ``eta`` is rational (so that iterates of rational starts are exact), else None."""
    if not eta.is_Rational or not expr.is_polynomial(var):
        return None
    coeffs = sp.Poly(sp.expand(var - eta * sp.diff(expr, var)), var).all_coeffs()[::-1]
    if not all(c.is_Rational for c in coeffs):
        return None
    return fmpq_poly([to_fmpq(c) for c in coeffs])


def _bits(q: fmpq) -> int:
    return max(int(q.p).bit_length(), int(q.q).bit_length())


# ---------------------------------------------------------------------------------------------
# Results.


@dataclass(frozen=True)
class StartOutcome:
    """Where the orbit of one start went: ``kind`` in :data:`KINDS` after ``steps`` steps, ending
    at ``final``; ``period`` of the orbit it converged to (when one was seen); ``evidence`` is
    ``exact``, ``certified`` or ``numeric`` (see the module docstring; an
    :class:`~symbolic_eos.core.vocabulary.Evidence`, whose ``rigor`` is the level it stands for); ``start`` is the exact
    start as text and ``detail`` says why the orbit was classified so.

    >>> o = StartOutcome("1/2", "cycle", "0.81", 12, "entered a certified trapping interval", 2, "certified")
    >>> o.to_dict()["class"], o.evidence
    ('cycle', 'certified')
    """

    start: str
    kind: Fate  # the word ("cycle") is accepted and stored as its member
    final: str
    steps: int
    detail: str
    period: int | None = None
    evidence: Evidence = Evidence.NUMERIC

    def __post_init__(self) -> None:
        object.__setattr__(self, "evidence", Evidence(self.evidence))  # the word is accepted too
        object.__setattr__(self, "kind", Fate(self.kind))

    def to_dict(self) -> dict:
        return {"start": self.start, "class": self.kind, "final": self.final, "steps": self.steps,
                "period": self.period, "detail": self.detail, "evidence": self.evidence}

    @property
    def label(self) -> str:
        """``kind`` with the period of a non-target attractor, e.g. ``other (period 4)``."""
        return self.kind + (f" (period {self.period})" if self.kind is Fate.OTHER and self.period else "")


@dataclass(frozen=True)
class BasinReport:
    """Classification of GD orbits from a set of exact starts at one ``eta``.  Fields: the loss
    ``expression`` in ``variable``; the 2-cycle (``cycle`` points, ``cycle_multiplier``, whether
    ``cycle_certified`` and ``cycle_stable``, its trapping intervals ``cycle_traps``); the
    ``minimum`` and whether it is ``minimum_stable``; one :class:`StartOutcome` per start in
    ``outcomes``; and the settings ``prec``, ``max_iter``, ``tol`` and ``escape``.

    >>> from symbolic_eos import orbit
    >>> cycle = orbit("(x**2 - 1)**2/4", "11/10", at="1", digits=30).orbits[0]
    >>> r = basin_check("(x**2 - 1)**2/4", "x", "11/10", cycle.points, ["1/2", "2"], minimum=1)
    >>> r.cycle_certified, r.cycle_stable, r.minimum, r.minimum_stable, r.counts
    (True, True, '1', False, {'cycle': 1, 'minimum': 0, 'diverged': 1, 'other': 0})
    """

    expression: str
    variable: str
    eta: str
    cycle: tuple[str, str]
    cycle_multiplier: str
    cycle_certified: bool
    cycle_stable: bool
    cycle_traps: tuple[TrappingInterval, ...]
    minimum: str | None
    minimum_stable: bool | None
    outcomes: tuple[StartOutcome, ...]
    prec: int
    max_iter: int
    tol: str
    escape: str

    @property
    def counts(self) -> dict[str, int]:
        """Number of starts in each class (every class present, possibly 0)."""
        c = Counter(o.kind for o in self.outcomes)
        return {k: c.get(k, 0) for k in KINDS}

    @property
    def evidence_counts(self) -> dict[str, int]:
        """Number of starts classified with ``exact`` / ``certified`` / ``numeric`` evidence."""
        return dict(Counter(o.evidence for o in self.outcomes))

    @property
    def cycle_fraction(self) -> Fraction:
        """The fraction of starts that converge to the 2-cycle (exact ratio of counts)."""
        return Fraction(self.counts[Fate.CYCLE], len(self.outcomes)) if self.outcomes else Fraction(0)

    @property
    def all_certified(self) -> bool:
        """Every start's class rests on an exact or certified fact."""
        return not any(o.evidence.rigor.weaker_than(Rigor.CERTIFIED) for o in self.outcomes)

    @property
    def exceptions(self) -> tuple[StartOutcome, ...]:
        """The starts that do not converge to the 2-cycle."""
        return tuple(o for o in self.outcomes if o.kind is not Fate.CYCLE)

    @property
    def exception_summary(self) -> dict[str, int]:
        """Exceptions grouped by class and period, e.g. ``{"other (period 4)": 200}``."""
        return dict(Counter(o.label for o in self.exceptions))

    @property
    def max_steps(self) -> int:
        """The most steps any start needed before it was classified."""
        return max((o.steps for o in self.outcomes), default=0)

    def summary(self) -> str:
        """One line: how many starts converge to the 2-cycle, and what the others did."""
        n = len(self.outcomes)
        head = f"{self.counts['cycle']}/{n} starts converge to the 2-cycle"
        if not self.cycle_certified:
            head += " (the given 2-cycle could not be re-certified, so no start is matched to it)"
        elif not self.cycle_stable:
            head += f" (the 2-cycle is not certified attracting: multiplier {self.cycle_multiplier[:12]})"
        rest = ", ".join(f"{k}: {v}" for k, v in self.exception_summary.items())
        evidence = ", ".join(f"{v} {k}" for k, v in sorted(self.evidence_counts.items()))
        return head + (f"; {rest}" if rest else "") + f" [{evidence}]"

    def to_dict(self) -> dict:
        return {
            "expression": self.expression,
            "variable": self.variable,
            "eta": self.eta,
            "cycle": list(self.cycle),
            "cycle_multiplier": self.cycle_multiplier,
            "cycle_certified": self.cycle_certified,
            "cycle_stable": self.cycle_stable,
            "cycle_traps": [t.to_dict() for t in self.cycle_traps],
            "minimum": self.minimum,
            "point": self.minimum,
            "minimum_stable": self.minimum_stable,
            "starts": len(self.outcomes),
            "classes": self.counts,
            "cycle_fraction": str(self.cycle_fraction),
            "evidence": self.evidence_counts,
            "exceptions": [o.to_dict() for o in self.exceptions],
            "exception_summary": self.exception_summary,
            "max_steps": self.max_steps,
            "settings": {"prec": self.prec, "max_iter": self.max_iter, "tol": self.tol, "escape": self.escape},
            "rigor": Rigor.NUMERICAL,
            "note": ("each start is classified with the evidence listed (exact / certified / numeric); "
                     "a finite grid of starts is numeric evidence about the interval between them"),
        }

    def _exception_lines(self, limit: int) -> list[str]:
        lines = [f"x0 = {o.start}: {o.label}, x_{o.steps} = {o.final[:22]} ({o.detail}; {o.evidence})"
                 for o in self.exceptions[:limit]]
        if len(self.exceptions) > limit:
            lines.append(f"... and {len(self.exceptions) - limit} more")
        return lines

    def _cycle_line(self) -> str:
        state = (("certified attracting" if self.cycle_stable else "NOT certified attracting") if self.cycle_certified
                 else "NOT re-certified")
        traps = ", ".join(upper_text(t.interval.rad(), 2) for t in self.cycle_traps)
        return (f"2-cycle {{{self.cycle[0][:20]}, {self.cycle[1][:20]}}}, multiplier {self.cycle_multiplier[:20]} ({state}"
                + (f"; certified trapping intervals of radius {traps})" if traps else ")"))

    def to_text(self, limit: int = 10) -> str:
        lines = [
            f"Basin of the 2-cycle of GD on f({self.variable}) = {self.expression} at eta = {self.eta}",
            f"  {self._cycle_line()}",
            f"  {self.summary()}",
        ]
        lines += [f"    {s}" for s in self._exception_lines(limit)]
        lines.append(f"  settings: {self.prec} bits, max_iter {self.max_iter}, tol {self.tol}; "
                     f"slowest start needed {self.max_steps} steps; a finite grid is numeric evidence")
        return "\n".join(lines)

    def to_markdown(self, limit: int = 10) -> str:
        rows = "\n".join(f"| {k} | {v} |" for k, v in self.counts.items())
        out = (f"### Basin of the 2-cycle at $\\eta = {self.eta}$\n\n{self._cycle_line()}.\n\n"
               f"| class | starts |\n|---|---|\n{rows}\n\nEvidence per start: "
               + ", ".join(f"{v} {k}" for k, v in sorted(self.evidence_counts.items()))
               + ". A finite grid of starts is numeric evidence about the interval.\n")
        if self.exceptions:
            out += "\nExceptions:\n\n" + "\n".join(f"- {s}" for s in self._exception_lines(limit)) + "\n"
        return out

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


# ---------------------------------------------------------------------------------------------
# Following one orbit.


@dataclass(frozen=True)
class _Targets:
    cycle: tuple[arb, arb]
    cycle_stable: bool
    cycle_traps: tuple[TrappingInterval, ...]
    minimum: arb | None
    minimum_exact: sp.Expr | None
    minimum_trap: TrappingInterval | None
    tol: arb
    escape: arb
    radius_cap: arb


def _exact_prefix(F: fmpq_poly, x0: fmpq, t: _Targets, start: str) -> StartOutcome | tuple[fmpq, int]:
    """Iterate exactly while the rationals stay small.  Returns an outcome (exact landing on a
    periodic orbit, or escape) or ``(last exact iterate, its index)``."""
    seen = {x0: 0}
    x, n = x0, 0
    while n < EXACT_STEPS and _bits(x) <= EXACT_BITS:
        y = F(x)
        n += 1
        if y in seen:  # x_n = x_k: x_k lies on a periodic orbit, reached at step k
            k = seen[y]
            p = n - k
            if p == 1:
                if t.minimum_exact is not None and t.minimum_exact.is_Rational and y == to_fmpq(t.minimum_exact):
                    return StartOutcome(start, Fate.MINIMUM, str(y), k, "lands exactly on the minimum", 1, Evidence.EXACT)
                return StartOutcome(start, Fate.OTHER, str(y), k, f"lands exactly on the fixed point {y}", 1, Evidence.EXACT)
            c0, c1 = t.cycle
            z = arb(F(y))
            if p == 2 and ((c0.contains(arb(y)) and c1.contains(z)) or (c1.contains(arb(y)) and c0.contains(z))):
                return StartOutcome(start, Fate.CYCLE, str(y), k, "lands exactly on the 2-cycle", 2, Evidence.EXACT)
            return StartOutcome(start, Fate.OTHER, str(y), k, f"lands exactly on a period-{p} orbit", p, Evidence.EXACT)
        if abs(arb(y)) > t.escape:
            return StartOutcome(start, Fate.DIVERGED, decimal_string(arb(y), 20), n, "exceeds the escape bound")
        seen[y] = n
        x = y
    return x, n


def _follow(F: BallMap, dF: BallMap, X: arb, n0: int, start: str, t: _Targets, max_iter: int, max_period: int) -> StartOutcome:
    """Follow the orbit from the ball ``X ∋ x_{n0}``: balls by the mean-value form while they
    stay narrow (certified), then midpoints (numeric); classify it."""
    certified = True
    hist: deque = deque([X], maxlen=max_period + 1)
    lingering = None
    cap, escape, tol = t.radius_cap, t.escape, t.tol
    traps = [(trap.interval, Fate.CYCLE, 2) for trap in t.cycle_traps]
    if t.minimum_trap is not None:
        traps.append((t.minimum_trap.interval, Fate.MINIMUM, 1))
    for n in range(n0 + 1, max_iter + 1):
        m = arb(X.mid())
        Fm = F(m)
        if certified:
            Y = Fm + dF(X) * (X - m)
            if Y.is_finite() and Y.rad() < cap:
                X = Y
            else:
                certified, X = False, Fm
        else:
            X = Fm
        if not X.is_finite():
            return StartOutcome(start, Fate.OTHER, "nan", n, "left the real domain of f' (non-finite value)")
        if abs(X) > escape:
            return StartOutcome(start, Fate.DIVERGED, decimal_string(X, 20), n, "exceeds the escape bound")
        for interval, kind, trap_period in traps:
            if interval.contains(X):
                how = Evidence.of(Rigor.CERTIFIED if certified else Rigor.NUMERICAL)
                what = "the 2-cycle" if kind is Fate.CYCLE else "the minimum"
                return StartOutcome(start, kind, decimal_string(X, 20), n,
                                    f"entered a certified trapping interval of {what}", trap_period, how)
        hist.append(X)
        if n % CHECK_EVERY or len(hist) <= max_period:
            continue
        period = next((p for p in range(1, max_period + 1) if abs(X - hist[-1 - p]) < tol), None)
        if period is None:
            continue
        final = decimal_string(X, 20)
        if period == 1 and t.minimum is not None and abs(X - t.minimum) < 1024 * tol:
            lingering = "lingering at the minimum, a repelling fixed point"
            continue
        if period % 2 == 0 and any(abs(X - c) < 1024 * tol for c in t.cycle):
            lingering = "lingering at the 2-cycle, which is not certified attracting"
            continue
        what = "a fixed point" if period == 1 else f"a period-{period} orbit"
        return StartOutcome(start, Fate.OTHER, final, n, f"converged to {what}: |x_n - x_(n-{period})| < {upper_text(t.tol, 2)}", period)
    why = f"no convergence within {max_iter} steps" + (f" ({lingering})" if lingering else "")
    return StartOutcome(start, Fate.OTHER, decimal_string(X, 20), max_iter, why)


def basin_check(
    expr: str | sp.Expr,
    var: str | sp.Symbol,
    eta: Exact,
    cycle_points: Sequence[arb],
    starts: Sequence[Exact],
    prec: int = 128,
    max_iter: int = 100_000,
    tol: str = "1e-20",
    *,
    minimum: Exact | None = None,
    escape: str = "1e12",
    max_period: int = 16,
) -> BasinReport:
    """Follow GD ``x <- x - eta f'(x)`` from each exact start and classify the orbit (module
    docstring).  ``cycle_points`` are certified enclosures of the 2-cycle (e.g. from
    :func:`symbolic_eos.dynamics.orbits.two_cycle`), ``minimum`` the exact fixed point ``xb``; ``tol``
    detects other attractors (``|x_n - x_{n-p}| < tol``, ``p <= max_period``).  The loss ``expr``
    (text or sympy) is in ``var``, ``eta`` and the ``starts`` are exact, balls carry ``prec``
    bits, an orbit is followed for at most ``max_iter`` steps and has diverged past ``escape``.

    >>> from symbolic_eos import orbit
    >>> cycle = orbit("(x**2 - 1)**2/4", "11/10", at="1", digits=30).orbits[0]
    >>> r = basin_check("(x**2 - 1)**2/4", "x", "11/10", cycle.points, [Fraction(1, 2), Fraction(3, 5)], minimum=1)
    >>> r.counts["cycle"], [o.evidence for o in r.outcomes]
    (2, ['certified', 'certified'])

    Starts are exact (a float start would hide its rounding in the orbit):

    >>> basin_check("(x**2 - 1)**2/4", "x", "11/10", cycle.points, [0.5])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: starts[0]: expected exact text, ..., got float 0.5 (write '0.5' or Fraction(1, 2))
    """
    if not isinstance(var, sp.Symbol):
        var = arguments.variable_name(var, "var")
    if not isinstance(expr, sp.Expr):
        expr = arguments.text(expr, "expr")
    prec, max_iter = arguments.integer(prec, "prec", 64, 100000), arguments.positive_int(max_iter, "max_iter", 1, 10**8)
    max_period = arguments.integer(max_period, "max_period", 2, 1000)
    tol, escape = _ball_text(tol, "tol"), _ball_text(escape, "escape")
    cycle_points = arguments.instances(cycle_points, "cycle_points", arb, "an arb ball")
    if not isinstance(starts, (list, tuple)) or len(starts) > 10**6:
        starts = arguments.exact_texts(starts, "starts")  # refuses it, naming starts
    if isinstance(expr, str):
        text, expr = expr, parse_expression(expr, (str(var),))
    else:
        text = sp.sstr(expr)
    symbol = var if isinstance(var, sp.Symbol) else parse_variable_name(str(var))
    if not expr.free_symbols <= {symbol}:
        raise InputError(f"the loss may depend on {symbol} only, not on {sorted(map(str, expr.free_symbols - {symbol}))}")
    eta_value = _exact(eta, "eta")
    if len(cycle_points) != 2:
        raise InputError("a 2-cycle has exactly two points")
    if prec < 64 or max_iter < 1 or max_period < 2:
        raise InputError("need prec >= 64, max_iter >= 1 and max_period >= 2")
    start_values = [_exact(s, f"starts[{i}]") for i, s in enumerate(starts)]
    if not start_values:
        raise InputError("no starts given")
    xb = None if minimum is None else _exact(minimum, "the minimum")
    gd = GradientMap(expr, symbol)
    with ctx.workprec(prec):
        eta_ball = constant_enclosure(eta_value, prec)
        F, dF = compiled_gd_map(expr, symbol, eta_value, prec)
        given = tuple(+c for c in cycle_points)
        _check_compiled(F, dF, gd, eta_ball, [constant_enclosure(start_values[0], prec), given[0]], prec)
        cycle, cycle_certified = recertify_cycle(gd, eta_value, given, prec)
        multiplier = dF(cycle[0]) * dF(cycle[1])
        stable = bool(cycle_certified and abs(multiplier) < 1)
        traps: tuple[TrappingInterval, ...] = ()
        if stable:
            width = abs(cycle[1] - cycle[0])
            found = [trapping_interval(F, dF, c, 2, width) for c in cycle]
            traps = tuple(tr for tr in found if tr is not None)
        xb_ball = xb_trap = xb_stable = None
        if xb is not None:
            xb_ball = constant_enclosure(xb, prec)
            xb_stable = bool(abs(dF(xb_ball)) < 1)
            if xb_stable:
                xb_trap = trapping_interval(F, dF, xb_ball, 1, max(arb(1), abs(xb_ball)))
        targets = _Targets(cycle, stable, traps, xb_ball, xb, xb_trap, arb(tol), arb(escape), arb(CERTIFIED_RADIUS))
        exact_map = _exact_map(expr, symbol, eta_value)
        outcomes = []
        for s in start_values:
            label = sp.sstr(s)
            if xb is not None and s == xb:
                outcomes.append(StartOutcome(label, Fate.MINIMUM, decimal_string(xb, 20), 0, "starts exactly on the minimum", 1,
                                             Evidence.EXACT))
                continue
            X, n = constant_enclosure(s, prec), 0
            if exact_map is not None and s.is_Rational:
                done = _exact_prefix(exact_map, to_fmpq(s), targets, label)
                if isinstance(done, StartOutcome):
                    outcomes.append(done)
                    continue
                X, n = arb(done[0]), done[1]
            outcomes.append(_follow(F, dF, X, n, label, targets, max_iter, max_period))
        mult_text = decimal_string(multiplier, 20)
    return BasinReport(
        text, str(symbol), sp.sstr(eta_value), (decimal_string(cycle[0], 25), decimal_string(cycle[1], 25)), mult_text,
        cycle_certified, stable, traps, None if xb is None else sp.sstr(xb), xb_stable, tuple(outcomes),
        prec, max_iter, tol, escape,
    )


def recertify_cycle(gd: GradientMap, eta: sp.Expr, points: Sequence[arb], prec: int) -> tuple[tuple[arb, arb], bool]:
    """Krawczyk-certify the 2-cycle near ``points`` at ``prec`` bits (polishing by Newton when
    needed): ``(enclosures, True)`` when a unique genuine 2-cycle is certified in boxes that meet
    ``points``, else ``(points, False)``.  Trapping intervals then trap *this* cycle."""
    system = CycleSystem(gd, lambda p: constant_enclosure(eta, p))
    with ctx.workprec(prec):
        guess = [arb(p.mid()) for p in points]
        result = certify(system, guess, prec)
        if not result.certified:
            try:
                polished = solve_system(system, guess, max(15, int(prec * 0.3) - 10))
            except (NoConvergence, EosError):
                return (points[0], points[1]), False
            result = certify(system, polished, prec)
        box = result.enclosure
        ok = (result.certified and not box[0].overlaps(box[1])
              and box[0].overlaps(points[0]) and box[1].overlaps(points[1]))
        return ((box[0], box[1]), True) if ok else ((points[0], points[1]), False)


def _check_compiled(F: BallMap, dF: BallMap, gd: GradientMap, eta: arb, points: Sequence[arb], prec: int) -> None:
    """The compiled ``F``, ``F'`` must agree with the Taylor engine (:meth:`GradientMap.step` and
    :meth:`GradientMap.derivatives`): a guard against a mis-compiled expression."""
    for x in points:
        m = arb(x.mid())
        pairs = ((F(m), gd.step(m, eta, prec)), (dF(m), 1 - eta * gd.derivatives(m, prec)[1]))
        for fast, slow in pairs:
            if fast.is_finite() and slow.is_finite() and not fast.overlaps(slow):
                raise EosError(f"the compiled GD map disagrees with the Taylor engine at {enclosure_text(m)}")
