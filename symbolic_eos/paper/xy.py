"""The paper's 2-D setting ``f(x, y) = (x y - 1)^2 / 2``: reduction to the quartic on the
diagonal, the balancing effect ``|x - y| -> 0``, and the 2-cycle.

* **Reduction (proved symbolically).**  On ``x = y = t``, ``grad f = ((t^2 - 1) t, (t^2 - 1) t)``,
  so GD maps the diagonal to itself by ``t -> t - eta (t^3 - t)``: exactly the GD map of the
  quartic ``(t^2 - 1)^2 / 4``.  Its 2-cycles are the quartic's.
* **Exceptions (proved with exact rationals).**  The gradient vanishes on the manifold of minima
  ``M = {x y = 1}``, so a start on ``M``, or mapped exactly onto it, stays there for ever: it
  neither balances (unless it is ``(1, 1)``) nor reaches the 2-cycle, yet keeps ``x, y > 0``.  The
  exceptional set is ``E = union_n G^-n(M)`` (``G`` the GD map): each ``G^-n(M)`` is the zero set
  of the non-zero polynomial ``x_n y_n - 1`` in ``(x0, y0)``, a curve, so ``E`` has measure zero.
  It contains ``M`` itself (e.g. ``(1/2, 2)``) and, by the reduction, the diagonal points
  ``(t, t)`` with ``t`` in the quartic's exceptional set (``(3/5, 3/5)`` at ``eta = 25/24`` goes to
  ``(1, 1)``).  Starts are first iterated exactly, so such landings are seen exactly and
  counted as exceptions.
* **Balancing (simulated, float64 evidence).**  From a grid of positive initialisations, GD runs
  at several ``eta``; we report where each run ends (the balanced 2-cycle ``x = y = delta_i``, a
  minimum, divergence, elsewhere) and whether its orbit kept ``x, y > 0`` (the poster's condition),
  so the range where balancing holds is measured.

>>> xy_reduction()
True
>>> exact_xy_orbit("25/24", "3/5", "3/5", 2)
((Fraction(3, 5), Fraction(3, 5)), (Fraction(1, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(1, 1)))
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np
import sympy as sp

from ..core import arguments
from ..core.numbers import float_evidence, json_floats
from ..core.vocabulary import Rigor, XYFate

__all__ = ["xy_reduction", "trajectory", "BalancingRow", "XYReport", "XYLanding", "balancing", "xy_report",
           "exact_xy_orbit", "exact_landing_step", "xy_landing", "DEFAULT_ETAS", "DEFAULT_STARTS"]

#: 25/24 is there because the quartic's exceptional set has a rational point then: (3/5, 3/5).
DEFAULT_ETAS = ("101/100", "25/24", "21/20", "11/10", "28/25", "23/20", "6/5", "123/100", "5/4", "13/10")
DEFAULT_STARTS = tuple(Fraction(k, 10) for k in (2, 5, 8, 12, 15, 20))
#: Exact iteration of a start stops after this many steps, or once a coordinate needs this many bits.
EXACT_STEPS = 8
EXACT_BITS = 4096


def xy_reduction() -> bool:
    """GD on ``(xy-1)^2/2`` restricted to ``x = y`` equals GD on the quartic (sympy identity).

    >>> xy_reduction()
    True
    """
    x, y, t, eta = sp.symbols("x y t eta")
    f = (x * y - 1) ** 2 / 2
    step = [sp.expand((v - eta * sp.diff(f, v)).subs({x: t, y: t})) for v in (x, y)]
    quartic = sp.expand(t - eta * sp.diff((t**2 - 1) ** 2 / 4, t))
    return step[0] == step[1] == quartic


MAX_STEPS = 10**7
MAX_EXACT_STEPS = 10


def _point(eta: object, x0: object, y0: object) -> tuple[Fraction, Fraction, Fraction]:
    return (arguments.rational(eta, "eta"), arguments.rational(x0, "x0"), arguments.rational(y0, "y0"))


def _step(eta: Fraction, x: Fraction, y: Fraction) -> tuple[Fraction, Fraction]:
    r = x * y - 1
    return x - eta * r * y, y - eta * r * x


def exact_xy_orbit(eta: str | int | Fraction, x0: str | int | Fraction, y0: str | int | Fraction,
                   steps: int) -> tuple[tuple[Fraction, Fraction], ...]:
    """``((x0, y0), G(x0, y0), ..., G^steps(x0, y0))`` in exact rationals, ``G`` the GD map
    ``(x, y) -> (x - eta (x y - 1) y, y - eta (x y - 1) x)``.

    >>> exact_xy_orbit("1/2", "2", "1", 2)
    ((Fraction(2, 1), Fraction(1, 1)), (Fraction(3, 2), Fraction(0, 1)), (Fraction(3, 2), Fraction(3, 4)))

    Exact orbits are short (the bits grow geometrically), at most 10 steps:

    >>> exact_xy_orbit("1/2", "2", "1", 11)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: steps: expected an integer in [0, 10], got 11
    """
    e, x, y = _point(eta, x0, y0)
    steps = arguments.integer(steps, "steps", 0, MAX_EXACT_STEPS)
    orbit = [(x, y)]
    for _ in range(steps):
        orbit.append(_step(e, *orbit[-1]))
    return tuple(orbit)


def exact_landing_step(eta: str | int | Fraction, x0: str | int | Fraction, y0: str | int | Fraction,
                       max_steps: int = EXACT_STEPS) -> tuple[int, bool] | None:
    """``(n, positive)`` when ``x_n y_n = 1`` exactly for the first time at step ``n <= max_steps``
    of the exact orbit from ``(x0, y0)`` at ``eta``
    (``positive``: ``x_k, y_k > 0`` for every ``k <= n``, hence for ever, since ``G`` fixes ``M``);
    None when no landing is seen before the steps or the bits run out.

    >>> exact_landing_step("11/10", "1/2", "2"), exact_landing_step("25/24", "3/5", "3/5")
    ((0, True), (1, True))

    >>> exact_landing_step("11/10", "1/3", "1/3") is None  # undecided: no landing within the exact steps
    True
    >>> exact_landing_step("11/10", "1/3", "1/3", max_steps=-1)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: max_steps: expected an integer in [0, 10000], got -1
    """
    e, x, y = _point(eta, x0, y0)
    max_steps = arguments.integer(max_steps, "max_steps", 0, 10**4)
    positive = True
    for n in range(max_steps + 1):
        positive = positive and x > 0 and y > 0
        if x * y == 1:
            return n, positive
        if max(abs(v.numerator).bit_length() + v.denominator.bit_length() for v in (x, y)) > EXACT_BITS:
            return None
        x, y = _step(e, x, y)
    return None


@dataclass(frozen=True)
class XYLanding:
    """A start whose orbit reaches the manifold of minima ``x y = 1`` exactly and stays there
    (exact rationals): a counterexample to balancing onto the 2-cycle under ``x, y > 0``, at
    ``eta``, from ``start``, along ``orbit``.

    >>> c = xy_landing("25/24", "3/5", "3/5")
    >>> c.eta, c.start, c.orbit[-1], c.balanced
    (Fraction(25, 24), (Fraction(3, 5), Fraction(3, 5)), (Fraction(1, 1), Fraction(1, 1)), True)
    """

    eta: Fraction
    start: tuple[Fraction, Fraction]
    orbit: tuple[tuple[Fraction, Fraction], ...]   # ends with the same point twice, on x y = 1

    @property
    def end(self) -> tuple[Fraction, Fraction]:
        return self.orbit[-1]

    @property
    def balanced(self) -> bool:
        """The orbit ends on ``x = y`` (then at the minimum (1, 1), not on the 2-cycle)."""
        return self.end[0] == self.end[1]

    @property
    def proved(self) -> bool:
        """Exact: the orbit is eventually a fixed point on ``x y = 1`` with ``x, y > 0`` throughout;
        the 2-cycle ``x = y = delta`` has ``delta^2 != 1`` (``P(1, eta) = 1 - eta != 0``), so such a
        point is not on it."""
        o = self.orbit
        x, y = self.end
        return (len(o) >= 2 and o[-1] == o[-2] and x * y == 1 and all(a > 0 and b > 0 for a, b in o)
                and all(_step(self.eta, *p) == q for p, q in zip(o, o[1:], strict=False)) and self.eta != 1)

    @property
    def text(self) -> str:
        (x0, y0), (x, y) = self.start, self.end
        what = ("balanced, but at the minimum (1, 1), not on the 2-cycle" if self.balanced
                else f"|x - y| = {abs(x - y)} for ever: no balancing, no 2-cycle")
        how = "starts on the manifold of minima" if len(self.orbit) == 2 and self.orbit[0] == self.end else \
            f"reaches ({x}, {y}) in {len(self.orbit) - 2} step" + ("s" if len(self.orbit) > 3 else "")
        return (f"at eta = {self.eta}, ({x0}, {y0}) {how} and stays there (x y = 1, exact rationals; x, y > 0 "
                f"throughout): {what}")

    def to_dict(self) -> dict:
        return {"eta": str(self.eta), "start": [str(v) for v in self.start],
                "orbit": [[str(a), str(b)] for a, b in self.orbit], "balanced": self.balanced,
                "proved": self.proved, "rigor": Rigor.EXACT if self.proved else None}


def xy_landing(eta: str | int | Fraction, x0: str | int | Fraction, y0: str | int | Fraction) -> XYLanding | None:
    """The exact orbit at ``eta`` of the start ``(x0, y0)`` when it lands on ``x y = 1`` (up to
    the repeated end point), or None if it does not within :data:`EXACT_STEPS` steps.

    >>> xy_landing("25/24", "3/5", "3/5").proved
    True

    >>> xy_landing("11/10", "1/3", "1/3") is None  # undecided: no landing within EXACT_STEPS steps
    True
    """
    e, x, y = _point(eta, x0, y0)
    found = exact_landing_step(e, x, y)
    if found is None:
        return None
    return XYLanding(e, (x, y), exact_xy_orbit(e, x, y, found[0] + 1))


@dataclass(frozen=True)
class BalancingRow:
    """GD at one ``eta`` from every start of the grid: how many ended balanced on the 2-cycle,
    at a minimum, diverged, or elsewhere; and the largest final ``|x - y|``.

    ``positive`` counts the starts whose orbit kept ``x, y > 0`` (the poster's condition; float64
    evidence, exact for the landings); ``landings`` are the starts ``(x0, y0, n)`` with
    ``x_n y_n = 1`` exactly (``n = 0``: begins on a minimum), counted as exceptions in
    ``minimum``; ``positive_unexplained`` are the starts that kept ``x, y > 0`` yet neither
    balanced onto the 2-cycle nor landed on a minimum.  The counts are ``balanced_cycle``
    (``positive_balanced`` of them with ``x, y > 0`` throughout), ``minimum``, ``diverged`` and
    ``other`` out of ``starts``; ``max_imbalance`` is the largest final ``|x - y|`` of the
    balanced ones and ``exceptions`` lists the starts that did not balance.

    >>> row = balancing("11/10", starts=(Fraction(1, 2), Fraction(3, 2)), steps=2000)
    >>> row.balanced_cycle, row.other, row.exceptions, row.max_imbalance < 1e-12
    (3, 1, (('3/2', '3/2', 'mirror 2-cycle'),), True)
    """

    eta: str
    balanced_cycle: int
    minimum: int
    diverged: int
    other: int
    max_imbalance: float
    starts: int
    exceptions: tuple = ()  # (x0, y0, outcome) for starts that did not balance onto the 2-cycle
    # outcome: an XYFate word other than "balanced" ("mirror 2-cycle" is counted in other)
    positive: int = 0
    positive_balanced: int = 0
    landings: tuple = ()  # (x0, y0, n, positive throughout) with x_n y_n = 1 exactly
    positive_unexplained: tuple = ()  # (x0, y0, outcome)

    @property
    def left_positive(self) -> int:
        """Starts whose orbit left ``x, y > 0``: outside the poster's condition."""
        return self.starts - self.positive


@dataclass(frozen=True)
class XYReport:
    """Claim (xy): whether the reduction to the quartic is proved (``reduction_proved``), one
    :class:`BalancingRow` per eta in ``rows`` (``steps`` float64 steps each), the
    ``conclusion``, and the exact ``counterexamples`` to balancing.

    >>> r = xy_report(etas=("11/10",), starts=(Fraction(1, 2), Fraction(3, 2)), steps=2000)
    >>> r.reduction_proved, r.steps, [row.eta for row in r.rows], r.counterexamples
    (True, 2000, ['11/10'], ())
    """

    reduction_proved: bool
    rows: tuple[BalancingRow, ...]
    steps: int
    conclusion: str
    counterexamples: tuple[XYLanding, ...] = ()

    exceptional_set = ("E = union_n G^-n({x y = 1}): the starts whose orbit lands exactly on the manifold of minima "
                       "and stays there (a countable union of algebraic curves, measure zero)")
    corrected_claim = ("for 1 < eta < 1.121 and every start whose orbit keeps x, y > 0 and lies outside "
                       "E = union_n G^-n({x y = 1}) (non-empty: it contains the hyperbola x y = 1 and the diagonal "
                       "points of the quartic's exceptional set), GD balances and converges to the 2-cycle x = y = delta_i")

    @property
    def counterexamples_proved(self) -> bool:
        return bool(self.counterexamples) and all(c.proved for c in self.counterexamples)

    def to_dict(self) -> dict:
        return {
            "reduction_proved": self.reduction_proved,
            "steps": self.steps,
            "rigor": Rigor.NUMERICAL,
            "rigor_note": "numerical (float64 simulation); the reduction and the exact landings are exact",
            "rows": [json_floats(dict(r.__dict__, left_positive=r.left_positive)) for r in self.rows],
            "conclusion": self.conclusion,
            "exceptional_set": self.exceptional_set,
            "corrected_claim": self.corrected_claim,
            "counterexamples": [c.to_dict() for c in self.counterexamples],
        }

    def to_text(self) -> str:
        lines = [
            "The paper's (xy - 1)^2/2",
            f"  GD on the diagonal x = y is GD on the quartic (t^2-1)^2/4: {'proved' if self.reduction_proved else 'NOT proved'}",
            f"  balancing from {self.rows[0].starts if self.rows else 0} positive starts, {self.steps} steps (float64 evidence; "
            "exact landings on x y = 1 in exact rationals):",
            "    eta       balanced 2-cycle  minimum  diverged  other  kept x, y > 0  max |x - y| at the end",
        ]
        for r in self.rows:
            lines.append(f"    {r.eta:<9} {r.balanced_cycle:>16}  {r.minimum:>7}  {r.diverged:>8}  {r.other:>5}  {r.positive:>13}  "
                         f"{'-' if r.balanced_cycle == 0 else float_evidence(r.max_imbalance)}")
        lines.append(f"  exceptional set: {self.exceptional_set}")
        lines += [f"  counterexample: {c.text}: {'PROVED' if c.proved else 'not proved'}" for c in self.counterexamples]
        lines.append(f"  {self.conclusion}")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        rows = "\n".join(f"| {r.eta} | {r.balanced_cycle} | {r.minimum} | {r.diverged} | {r.other} | {r.positive} | "
                         f"{'-' if r.balanced_cycle == 0 else float_evidence(r.max_imbalance)} |" for r in self.rows)
        ces = "".join(f"- {c.text}: {'**proved**' if c.proved else 'not proved'}\n" for c in self.counterexamples)
        return ("| eta | balanced 2-cycle | minimum | diverged | other | kept x, y > 0 | max \\|x - y\\| |\n"
                "|---|---|---|---|---|---|---|\n" + rows
                + f"\n\nExceptional set: {self.exceptional_set}.\n\n" + ces + f"\n{self.conclusion}\n")


def trajectory(eta: str, x0: str, y0: str, steps: int = 200) -> np.ndarray:
    """GD iterates ``(x_t, y_t)`` for ``t`` from 0 to ``steps``, at ``eta`` from ``(x0, y0)`` (float64),
    on ``(x y - 1)^2 / 2``: ``(x, y) <- (x - eta (x y - 1) y, y - eta (x y - 1) x)``.

    >>> trajectory("1/2", "2", "1", 2).tolist()
    [[2.0, 1.0], [1.5, 0.0], [1.5, 0.75]]

    >>> trajectory(0.5, "2", "1", 2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: eta: expected exact text, ..., got float 0.5 (write '0.5' or Fraction(1, 2))
    """
    exact_eta, exact_x, exact_y = _point(eta, x0, y0)
    steps = arguments.integer(steps, "steps", 0, MAX_STEPS)
    e = float(exact_eta)
    out = np.empty((steps + 1, 2))
    x, y = float(exact_x), float(exact_y)
    out[0] = x, y
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            r = x * y - 1
            x, y = x - e * r * y, y - e * r * x
            out[t] = x, y
    return out


def _cycle_points(e: float) -> np.ndarray:
    """The quartic's 2-cycle ``delta_1, delta_2`` (float evidence): ``u = delta^2`` solves
    ``e^2 u^2 - (e^2 + e) u + 1 = 0``; empty when it has no positive real roots."""
    b, disc = e * e + e, (e * e + e) ** 2 - 4 * e * e
    if disc < 0:
        return np.array([])
    return np.sqrt(np.array([(b - disc**0.5) / (2 * e * e), (b + disc**0.5) / (2 * e * e)]))


def balancing(eta: str, starts: Sequence[Fraction] = DEFAULT_STARTS, steps: int = 20000, extra: tuple = ()) -> BalancingRow:
    """Run GD on ``(x y - 1)^2 / 2`` (float64, vectorised over the grid ``starts x starts`` and the
    ``extra`` pairs) at ``eta`` for ``steps`` steps; each start is first iterated exactly, so a landing on
    ``x y = 1`` is exact.

    >>> balancing("11/10", starts=(Fraction(1, 2),), steps=2000).balanced_cycle
    1

    >>> balancing("-1", starts=(Fraction(1, 2),), steps=20)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: eta: expected a positive rational number, got -1
    """
    eta = arguments.exact_text(eta, "eta")
    e = float(arguments.rational(eta, "eta", positive=True))
    starts = arguments.rational_sequence(starts, "starts", max_length=100)
    steps = arguments.integer(steps, "steps", 2, MAX_STEPS)
    extra_pairs = list(arguments.rational_pairs(extra, "extra"))
    pairs = list(dict.fromkeys([(a, b) for a in starts for b in starts] + extra_pairs))
    grid = np.array([(float(a), float(b)) for a, b in pairs])
    x, y = grid[:, 0].copy(), grid[:, 1].copy()
    positive = (x > 0) & (y > 0)
    with np.errstate(all="ignore"):
        for _ in range(steps - 2):
            r = x * y - 1
            x, y = x - e * r * y, y - e * r * x
            positive &= (x > 0) & (y > 0)
        prev = (x.copy(), y.copy())
        r = x * y - 1
        x1, y1 = x - e * r * y, y - e * r * x
        r = x1 * y1 - 1
        x2, y2 = x1 - e * r * y1, y1 - e * r * x1
        positive &= (x1 > 0) & (y1 > 0) & (x2 > 0) & (y2 > 0)
    finite = np.isfinite(x2) & np.isfinite(y2) & (np.abs(x2) < 1e6) & (np.abs(y2) < 1e6)
    period2 = finite & (np.abs(x2 - prev[0]) < 1e-10) & (np.abs(y2 - prev[1]) < 1e-10)
    fixed = period2 & (np.abs(x1 - x2) < 1e-10) & (np.abs(y1 - y2) < 1e-10)
    delta = _cycle_points(e)
    near = (lambda v: np.min(np.abs(v[:, None] - delta[None, :]), axis=1) < 1e-8) if delta.size else (lambda v: v != v)
    # Onto the quartic's 2-cycle x = y = delta_i (not its mirror image x = y = -delta_i).
    balanced = period2 & ~fixed & (np.abs(x2 - y2) < 1e-8) & (np.abs(x1 - y1) < 1e-8) & near(x1) & near(x2)
    # The mirror image x = y = -delta_i is a 2-cycle too (f is even), but not the paper's: "other".
    mirror = period2 & ~fixed & (np.abs(x2 - y2) < 1e-8) & near(-x1) & near(-x2)
    words = np.where(~finite, XYFate.DIVERGED, np.where(fixed, XYFate.MINIMUM, np.where(
        balanced, XYFate.BALANCED, np.where(mirror, XYFate.MIRROR, XYFate.OTHER))))
    outcome = [XYFate(str(w)) for w in words]
    landings = []
    for i, (a, b) in enumerate(pairs):
        found = exact_landing_step(eta, a, b)
        if found is not None:
            # Exact beats float: the orbit is on x y = 1 from step n on, whatever float64 did.
            n, pos = found
            outcome[i], positive[i], balanced[i] = XYFate.MINIMUM, pos, False
            landings.append((str(a), str(b), n, pos))
    finite_ok = np.array([o is not XYFate.DIVERGED for o in outcome])
    fixed = np.array([o is XYFate.MINIMUM for o in outcome])
    imbalance = np.where(finite_ok, np.abs(x2 - y2), np.inf)
    exceptions = tuple((str(a), str(b), str(o)) for (a, b), o in zip(pairs, outcome, strict=True) if o is not XYFate.BALANCED)
    unexplained = tuple((str(a), str(b), str(o)) for (a, b), o, p in zip(pairs, outcome, positive, strict=True)
                        if p and o not in (XYFate.BALANCED, XYFate.MINIMUM))
    return BalancingRow(
        eta, int(balanced.sum()), int(fixed.sum()), int((~finite_ok).sum()),
        int((finite_ok & ~balanced & ~fixed).sum()), float(np.max(imbalance[balanced])) if balanced.any() else float("nan"),
        len(pairs), exceptions, int(positive.sum()), int((positive & balanced).sum()), tuple(landings), unexplained,
    )


def _diagonal_exceptions(eta: str) -> tuple:
    """``(t, t)`` for the rational points ``t`` of the quartic's exceptional set at ``eta``
    (GD on the diagonal is GD on the quartic)."""
    from .quartic import rational_exceptional_starts

    return tuple((t, t) for t, _ in rational_exceptional_starts(eta))


def xy_report(etas: Sequence[str] = DEFAULT_ETAS, starts: Sequence[Fraction] = DEFAULT_STARTS, steps: int = 20000) -> XYReport:
    """:func:`balancing` at each eta of ``etas`` from the grid ``starts x starts`` (plus the
    quartic's rational exceptional points on the diagonal), ``steps`` steps each, summarised.

    >>> xy_report(etas=("11/10",), starts=(Fraction(1, 2),), steps=2000).rows[0].balanced_cycle
    1

    >>> xy_report(etas=("11/10",), starts=(), steps=2000)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: starts: expected a list or tuple of 1 to 100 rationals, got tuple ()
    """
    etas = arguments.exact_texts(etas, "etas")
    for i, e in enumerate(etas):
        arguments.rational(e, f"etas[{i}]", positive=True)
    starts = arguments.rational_sequence(starts, "starts", max_length=100)
    steps = arguments.integer(steps, "steps", 2, MAX_STEPS)
    rows = tuple(balancing(e, starts, steps, extra=_diagonal_exceptions(e)) for e in etas)
    inside = [r for r in rows if 1 < Fraction(r.eta) < Fraction(1121, 1000)]
    ok = bool(inside) and all(not r.positive_unexplained for r in inside)
    beyond = [r.eta for r in rows if Fraction(r.eta) >= Fraction(1121, 1000) and r.balanced_cycle > 0
              and not r.positive_unexplained]
    lost = [r.eta for r in rows if r.balanced_cycle == 0]
    diverging = sorted({(a, b) for r in rows for a, b, o in r.exceptions if o == XYFate.DIVERGED},
                       key=lambda p: Fraction(p[0]) ** 2 + Fraction(p[1]) ** 2)
    on_m = sorted({(a, b) for r in inside for a, b, n, _ in r.landings if n == 0}, key=lambda p: Fraction(p[0]))
    onto = [(a, b, r.eta, n) for r in inside for a, b, n, _ in r.landings if n > 0]
    landed_text = "; ".join(
        ([", ".join(f"({a}, {b})" for a, b in on_m) + " start on it"] if on_m else [])
        + [f"({a}, {b}) at eta = {e} lands on it after {n} step{'s' if n > 1 else ''}" for a, b, e, n in onto])
    found = [c for c in (xy_landing(r.eta, a, b) for r in inside for a, b, _, pos in r.landings if pos) if c is not None]
    # One of each kind: a start on M off the diagonal (no balancing), a diagonal one mapped onto (1, 1).
    shown = [next((c for c in found if not c.balanced), None), next((c for c in found if c.balanced), None)]
    conclusion = (
        ("Inside the paper's range, every start whose orbit keeps x, y > 0 balanced (|x - y| -> 0) onto the quartic's "
         "2-cycle, except the starts on or mapped exactly onto the manifold of minima x y = 1, which stay there "
         f"(exact rationals; counted as exceptions: {landed_text or 'none on this grid'}), and every start that "
         "diverged or ended elsewhere left x, y > 0 on the way, outside the paper's condition" if ok
         else "Inside the paper's range NOT every start that keeps x, y > 0 balanced onto the 2-cycle (see the table)")
        + (f"; so it does at eta = {', '.join(beyond)}, past 1.121" if beyond else "")
        + (f"; at eta = {', '.join(lost)} (past sqrt(5) - 1) no start reaches the 2-cycle" if lost else "")
        + ". Starts: x0, y0 in {" + ", ".join(str(s) for s in starts) + "}, and the diagonal points of the quartic's "
        "exceptional set where they are rational; the diverging ones start where the sharpness "
        + "x0^2 + y0^2 (the top Hessian eigenvalue on the manifold) is large"
        # a conditional, not `* bool(diverging)`: the f-string indexes diverging[0] before any product
        + (f" (at least {Fraction(diverging[0][0]) ** 2 + Fraction(diverging[0][1]) ** 2})" if diverging else "")
        + "."
    )
    return XYReport(xy_reduction(), rows, steps, conclusion, tuple(c for c in shown if c is not None))
