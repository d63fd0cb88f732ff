"""The paper's 2-D setting ``f(x, y) = (x y - 1)^2 / 2``: reduction to the quartic on the
diagonal, the balancing effect ``|x - y| -> 0``, and the 2-cycle.

* **Reduction (proved symbolically).**  On ``x = y = t``, ``grad f = ((t^2 - 1) t, (t^2 - 1) t)``,
  so GD maps the diagonal to itself by ``t -> t - eta (t^3 - t)``: exactly the GD map of the
  quartic ``(t^2 - 1)^2 / 4``.  Its 2-cycles are the quartic's.
* **Balancing (simulated, float64 evidence).**  From a grid of positive initialisations, GD runs
  at several ``eta``; we report the final ``|x - y|`` and where the run ends (the balanced
  2-cycle, a minimum, divergence), so the range where balancing holds is measured.

>>> xy_reduction()
True
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from ..decide import float_evidence

__all__ = ["xy_reduction", "trajectory", "BalancingRow", "XYReport", "balancing", "xy_report", "DEFAULT_ETAS", "DEFAULT_STARTS"]

DEFAULT_ETAS = ("101/100", "21/20", "11/10", "28/25", "23/20", "6/5", "123/100", "5/4", "13/10")
DEFAULT_STARTS = tuple(Fraction(k, 10) for k in (2, 5, 8, 12, 15, 20))


def xy_reduction() -> bool:
    """GD on ``(xy-1)^2/2`` restricted to ``x = y`` equals GD on the quartic (sympy identity)."""
    x, y, t, eta = sp.symbols("x y t eta")
    f = (x * y - 1) ** 2 / 2
    step = [sp.expand((v - eta * sp.diff(f, v)).subs({x: t, y: t})) for v in (x, y)]
    quartic = sp.expand(t - eta * sp.diff((t**2 - 1) ** 2 / 4, t))
    return step[0] == step[1] == quartic


@dataclass(frozen=True)
class BalancingRow:
    """GD at one ``eta`` from every start of the grid: how many ended balanced on the 2-cycle,
    at a minimum, diverged, or elsewhere; and the largest final ``|x - y|``."""

    eta: str
    balanced_cycle: int
    minimum: int
    diverged: int
    other: int
    max_imbalance: float
    starts: int
    exceptions: tuple = ()  # (x0, y0, outcome) for starts that did not balance onto the 2-cycle


@dataclass(frozen=True)
class XYReport:
    reduction_proved: bool
    rows: tuple[BalancingRow, ...]
    steps: int
    conclusion: str

    def to_dict(self) -> dict:
        return {
            "reduction_proved": self.reduction_proved,
            "steps": self.steps,
            "rigor": "numeric (float64 simulation); the reduction is exact",
            "rows": [r.__dict__ for r in self.rows],
            "conclusion": self.conclusion,
        }

    def to_text(self) -> str:
        lines = [
            "The paper's (xy - 1)^2/2",
            f"  GD on the diagonal x = y is GD on the quartic (t^2-1)^2/4: {'proved' if self.reduction_proved else 'NOT proved'}",
            f"  balancing from {self.rows[0].starts if self.rows else 0} positive starts, {self.steps} steps (float64 evidence):",
            "    eta       balanced 2-cycle  minimum  diverged  other  max |x - y| at the end",
        ]
        for r in self.rows:
            lines.append(f"    {r.eta:<9} {r.balanced_cycle:>16}  {r.minimum:>7}  {r.diverged:>8}  {r.other:>5}  {'-' if r.balanced_cycle == 0 else float_evidence(r.max_imbalance)}")
        lines.append(f"  {self.conclusion}")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        rows = "\n".join(f"| {r.eta} | {r.balanced_cycle} | {r.minimum} | {r.diverged} | {r.other} | {'-' if r.balanced_cycle == 0 else float_evidence(r.max_imbalance)} |" for r in self.rows)
        return ("| eta | balanced 2-cycle | minimum | diverged | other | max \\|x - y\\| |\n|---|---|---|---|---|---|\n" + rows
                + f"\n\n{self.conclusion}\n")


def trajectory(eta: str, x0: str, y0: str, steps: int = 200) -> np.ndarray:
    """GD iterates ``(x_t, y_t)``, ``t = 0..steps``, at ``eta`` from ``(x0, y0)`` (float64)."""
    e = float(Fraction(eta))
    out = np.empty((steps + 1, 2))
    x, y = float(Fraction(x0)), float(Fraction(y0))
    out[0] = x, y
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            r = x * y - 1
            x, y = x - e * r * y, y - e * r * x
            out[t] = x, y
    return out


def balancing(eta: str, starts=DEFAULT_STARTS, steps: int = 20000) -> BalancingRow:
    """Run GD (float64, vectorised over the grid ``starts x starts``) at ``eta``."""
    e = float(Fraction(eta))
    grid = np.array([(float(a), float(b)) for a in starts for b in starts])
    x, y = grid[:, 0].copy(), grid[:, 1].copy()
    with np.errstate(all="ignore"):
        for _ in range(steps - 2):
            r = x * y - 1
            x, y = x - e * r * y, y - e * r * x
        prev = (x.copy(), y.copy())
        r = x * y - 1
        x1, y1 = x - e * r * y, y - e * r * x
        r = x1 * y1 - 1
        x2, y2 = x1 - e * r * y1, y1 - e * r * x1
    finite = np.isfinite(x2) & np.isfinite(y2) & (np.abs(x2) < 1e6) & (np.abs(y2) < 1e6)
    period2 = finite & (np.abs(x2 - prev[0]) < 1e-10) & (np.abs(y2 - prev[1]) < 1e-10)
    fixed = period2 & (np.abs(x1 - x2) < 1e-10) & (np.abs(y1 - y2) < 1e-10)
    balanced = period2 & ~fixed & (np.abs(x2 - y2) < 1e-8) & (np.abs(x1 - y1) < 1e-8)
    imbalance = np.where(finite, np.abs(x2 - y2), np.inf)
    pairs = [(a, b) for a in starts for b in starts]
    outcome = np.where(~finite, "diverged", np.where(fixed, "minimum", np.where(balanced, "balanced", "other")))
    exceptions = tuple((str(a), str(b), str(o)) for (a, b), o in zip(pairs, outcome, strict=True) if o != "balanced")
    return BalancingRow(
        eta, int(balanced.sum()), int(fixed.sum()), int((~finite).sum()),
        int((finite & ~balanced & ~fixed).sum()), float(np.max(imbalance[balanced])) if balanced.any() else float("nan"),
        len(grid), exceptions,
    )


def xy_report(etas=DEFAULT_ETAS, starts=DEFAULT_STARTS, steps: int = 20000) -> XYReport:
    rows = tuple(balancing(e, starts, steps) for e in etas)

    def clean(r):  # starts that neither diverge nor begin on the manifold of minima (x0 y0 = 1)
        return r.starts - r.diverged - r.minimum

    inside = [r for r in rows if 1 < Fraction(r.eta) < Fraction(1121, 1000)]
    ok = all(r.balanced_cycle == clean(r) for r in inside)
    beyond = [r.eta for r in rows if Fraction(r.eta) >= Fraction(1121, 1000) and r.balanced_cycle == clean(r)]
    lost = [r.eta for r in rows if r.balanced_cycle == 0]
    diverging = sorted({(a, b) for r in rows for a, b, o in r.exceptions if o == "diverged"},
                       key=lambda p: Fraction(p[0]) ** 2 + Fraction(p[1]) ** 2)
    conclusion = (
        ("Inside the paper's range every start that does not diverge or begin on a minimum balanced (|x - y| -> 0) onto "
         "the quartic's 2-cycle" if ok else "Inside the paper's range NOT every start balanced onto the 2-cycle (see the table)")
        + (f"; so it does at eta = {', '.join(beyond)}, past 1.121" if beyond else "")
        + (f"; at eta = {', '.join(lost)} (past sqrt(5) - 1) no start reaches the 2-cycle" if lost else "")
        + ". Starts: x0, y0 in {" + ", ".join(str(s) for s in starts) + "}; the diverging ones start where the sharpness "
        + "x0^2 + y0^2 (the top Hessian eigenvalue on the manifold) is large"
        + f" (at least {Fraction(diverging[0][0]) ** 2 + Fraction(diverging[0][1]) ** 2})" * bool(diverging)
        + ", outside the paper's condition that keeps x, y > 0; starts with x0 y0 = 1 are minima and stay there."
    )
    return XYReport(xy_reduction(), rows, steps, conclusion)
