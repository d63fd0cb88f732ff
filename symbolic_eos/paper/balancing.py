"""The balancing effect of ``(x y - 1)^2 / 2`` and the neuron's reduction to it, proved exactly.

With ``e = x y - 1`` and ``D = x^2 - y^2``, one GD step ``(x, y) -> (x - eta e y, y - eta e x)``
multiplies the imbalance by a factor that depends on the residual only:

    D' = D (1 - eta^2 e^2).

Everything the literature says about balancing on this loss follows from that identity:

* **gradient flow** conserves ``x^2 - y^2`` (``dD/dt = 0`` along ``-grad f``) [Du2018];
* **below the edge of stability**, ``|1 - eta^2 e^2| < 1`` whenever ``0 < eta |e| < sqrt 2``, and
  ``D_n = D_0 prod_k (1 - eta^2 e_k^2)``: ``|D|`` never grows while ``eta^2 e_k^2 <= 2``, and if GD
  converges to a minimum with ``sum e_k^2 < inf`` and no factor is 0 (``eta e_k != +-1``), the
  product converges to a non-zero limit (a convergent infinite product), so ``D`` shrinks to a
  non-zero limit [Wang2022];
* **past it**, on the 2-cycle ``x = y = delta_i`` around the minimum (``delta_i^2`` the roots of
  ``eta^2 u^2 - eta (eta + 1) u + 1``), the product of the two factors is exactly ``3 - 2 eta``:
  ``|D|`` contracts by ``|3 - 2 eta| < 1`` every two steps for ``1 < eta < 2`` (balancing); on the
  other 2-cycle ``{-a, a}``, ``a^2 = (eta + 2)/eta``, the product is ``9`` (it unbalances).

The single ReLU neuron's population loss on the aligned ray ``w = r e1`` is ``(v r - c)^2 / (2 d)``,
the ray is invariant under GD (the gradient across it vanishes), and with ``x = v / sqrt c``,
``y = r / sqrt c``, GD at learning rate ``eta`` on ``(v, r)`` is GD on ``(x y - 1)^2 / 2`` at
learning rate ``K = eta c / d``: the poster's "same as the 2-D case".

Every statement is an exact sympy computation (polynomial identities, a resultant, limits); the
analytic step of the below-the-edge statement (a convergent product of non-zero factors has a
non-zero limit) is the standard theorem on infinite products and is stated as such.

>>> r = balancing_theorems()
>>> [t.name for t in r.theorems if t.proved] == [t.name for t in r.theorems]
True
>>> r.theorems[0].statement
"D' = D (1 - eta^2 e^2), D = x^2 - y^2, e = x y - 1"
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from ..core.vocabulary import Rigor

__all__ = ["ProvedStatement", "BalancingTheorems", "imbalance_identity", "flow_conserves_imbalance",
           "contraction_below_edge", "cycle_products", "neuron_reduction", "balancing_theorems"]

_x, _y, _eta, _t = sp.symbols("x y eta t", real=True)


@dataclass(frozen=True)
class ProvedStatement:
    """One ``statement`` (short ``name``) with how it was proved: ``proved`` is True only when the
    exact computation in ``method`` came out as stated; ``cites`` names the literature it recovers.

    >>> s = ProvedStatement("demo", "1 + 1 = 2", True, "sympy: 1 + 1 - 2 == 0")
    >>> s.to_dict()["proved"], s.rigor
    (True, 'exact')
    """

    name: str
    statement: str
    proved: bool
    method: str
    cites: str = ""

    @property
    def rigor(self) -> Rigor:
        return Rigor.EXACT if self.proved else Rigor.NONE

    def to_dict(self) -> dict:
        return {"name": self.name, "statement": self.statement, "proved": self.proved, "rigor": self.rigor,
                "method": self.method, "cites": self.cites}

    def to_markdown(self) -> str:
        cite = f" [{self.cites}]" if self.cites else ""
        return f"- **{self.name}**{cite}: {self.statement}. *{'Proved' if self.proved else 'NOT proved'}*: {self.method}."


def _gd_step(x: sp.Expr, y: sp.Expr, eta: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    e = x * y - 1
    return x - eta * e * y, y - eta * e * x


def imbalance_identity() -> ProvedStatement:
    """``D' = D (1 - eta^2 e^2)`` for one GD step on ``(x y - 1)^2 / 2`` (a polynomial identity in
    ``x, y, eta``).

    >>> imbalance_identity().proved
    True
    """
    x1, y1 = _gd_step(_x, _y, _eta)
    e = _x * _y - 1
    residue = sp.expand(x1**2 - y1**2 - (_x**2 - _y**2) * (1 - _eta**2 * e**2))
    return ProvedStatement("imbalance identity", "D' = D (1 - eta^2 e^2), D = x^2 - y^2, e = x y - 1", residue == 0,
                           "sympy expands x'^2 - y'^2 - D (1 - eta^2 e^2) to 0 with x, y, eta symbols")


def flow_conserves_imbalance() -> ProvedStatement:
    """Along gradient flow ``(x, y)' = -grad f``, ``d(x^2 - y^2)/dt = 0``.

    >>> flow_conserves_imbalance().proved
    True
    """
    f = (_x * _y - 1) ** 2 / 2
    rate = sp.expand(2 * _x * (-sp.diff(f, _x)) - 2 * _y * (-sp.diff(f, _y)))
    return ProvedStatement("gradient flow conserves the imbalance", "d(x^2 - y^2)/dt = 0 along (x, y)' = -grad f",
                           rate == 0, "sympy expands 2 x x' - 2 y y' to 0", "Du2018")


def contraction_below_edge() -> ProvedStatement:
    """``|1 - eta^2 e^2| < 1`` exactly when ``0 < eta^2 e^2 < 2`` (so ``|D|`` shrinks at every step
    with ``0 < eta |e| < sqrt 2``); with ``D_n = D_0 prod (1 - eta^2 e_k^2)`` and ``sum e_k^2`` finite,
    the product has a non-zero limit unless a factor is 0.

    >>> contraction_below_edge().proved
    True
    """
    s = sp.Symbol("s", nonnegative=True)  # s = eta^2 e^2
    region = sp.solveset(sp.Abs(1 - s) < 1, s, sp.Interval(0, sp.oo))
    # The closed form D_n = D_0 prod_k (1 - eta^2 e_k^2) is the identity applied n times; checked
    # symbolically for two steps.
    x1, y1 = _gd_step(_x, _y, _eta)
    x2, y2 = _gd_step(x1, y1, _eta)
    e0, e1 = _x * _y - 1, x1 * y1 - 1
    two = sp.expand(x2**2 - y2**2 - (_x**2 - _y**2) * (1 - _eta**2 * e0**2) * (1 - _eta**2 * e1**2)) == 0
    ok = region == sp.Interval.open(0, 2) and two
    return ProvedStatement(
        "below the edge of stability the imbalance shrinks to a non-zero limit",
        "D_n = D_0 prod_k (1 - eta^2 e_k^2); |1 - eta^2 e^2| < 1 iff 0 < eta^2 e^2 < 2, so |D| never grows while "
        "eta^2 e_k^2 <= 2; if GD converges to a minimum with sum e_k^2 finite and eta e_k != +-1, D_n tends to a non-zero "
        "limit (a convergent product of non-zero factors)", ok,
        "sympy solves |1 - s| < 1 on s >= 0 as (0, 2) and expands the two-step product identity to 0; the limit is the "
        "theorem on infinite products", "Wang2022")


def cycle_products() -> ProvedStatement:
    """Over two steps on a diagonal 2-cycle, ``D`` is multiplied by ``(1 - eta^2 e_1^2)(1 - eta^2 e_2^2)``:
    ``3 - 2 eta`` on the cycle around the minimum, ``9`` on the cycle ``{-a, a}``.

    >>> cycle_products().proved
    True
    """
    x, eta, u = sp.symbols("x eta u")
    f = x - eta * (x**3 - x)
    second = sp.cancel((f.subs(x, f) - x) / (f - x))  # the 2-cycle points: F(F(x)) = x, F(x) != x
    around = eta**2 * x**4 - eta**2 * x**2 - eta * x**2 + 1  # delta^2 solves eta^2 u^2 - eta (eta + 1) u + 1
    mirror = eta * x**2 - eta - 2
    split = sp.expand(second + around * mirror) == 0
    q = sp.Poly(eta**2 * u**2 - eta * (eta + 1) * u + 1, u)
    factor = 1 - eta**2 * (u - 1) ** 2  # 1 - eta^2 e^2 at a point x = y = delta, u = delta^2
    # Res(q, h) = lc(q)^deg(h) prod over the roots of q of h: the product over the two cycle points.
    product = sp.factor(sp.resultant(q.as_expr(), factor, u) / sp.LC(q) ** 2)
    a2 = (eta + 2) / eta
    mirror_product = sp.simplify((1 - eta**2 * (a2 - 1) ** 2) ** 2)
    ok = split and sp.expand(product - (3 - 2 * eta)) == 0 and mirror_product == 9
    return ProvedStatement(
        "past the edge of stability the 2-cycle balances",
        "on the 2-cycle x = y = delta_i around the minimum (delta_i^2 the roots of eta^2 u^2 - eta (eta + 1) u + 1) the "
        "imbalance is multiplied by exactly 3 - 2 eta every two steps, so it contracts for 1 < eta < 2; on the 2-cycle "
        "x = y = +-sqrt((eta + 2)/eta) it is multiplied by 9", ok,
        "sympy factors (F(F(x)) - x)/(F(x) - x) into those two cycles' polynomials; the resultant of the quadratic in "
        "u = delta^2 with 1 - eta^2 (u - 1)^2 gives the product 3 - 2 eta exactly")


def neuron_reduction() -> ProvedStatement:
    """On the aligned ray ``w = r e1`` the neuron's closed-form loss is ``(v r - c)^2 / (2 d)``, the
    gradient across the ray vanishes, and GD at ``eta`` on ``(v, r)`` is GD on ``(x y - 1)^2 / 2``
    at ``K = eta c / d`` with ``x = v / sqrt c``, ``y = r / sqrt c``.

    >>> neuron_reduction().proved
    True
    """
    v, w1, c, d, eta = sp.symbols("v w1 c d eta", positive=True)
    s = sp.Symbol("s", nonnegative=True)  # |w_perp|; the loss depends on w_perp only through it
    angle = sp.atan2(s, w1)
    h = s + (sp.pi - angle) * w1
    loss = v**2 * (w1**2 + s**2) / (2 * d) - v * c * h / (sp.pi * d) + c**2 / (2 * d)
    on_ray = sp.simplify(loss.subs(s, 0) - (v * w1 - c) ** 2 / (2 * d)) == 0
    across = sp.simplify(sp.limit(sp.diff(loss, s), s, 0, "+")) == 0
    ray = (v * w1 - c) ** 2 / (2 * d)
    v1, r1 = v - eta * sp.diff(ray, v), w1 - eta * sp.diff(ray, w1)
    x, y = v / sp.sqrt(c), w1 / sp.sqrt(c)
    xk, yk = _gd_step(x, y, eta * c / d)
    scaled = sp.simplify(v1 / sp.sqrt(c) - xk) == 0 and sp.simplify(r1 / sp.sqrt(c) - yk) == 0
    return ProvedStatement(
        "the neuron on the aligned ray is the 2-D case",
        "on w = r e1, L = (v r - c)^2 / (2 d); the ray is invariant under GD; with x = v / sqrt(c), y = r / sqrt(c), GD at "
        "eta on (v, r) is GD on (x y - 1)^2 / 2 at learning rate K = eta c / d", on_ray and across and scaled,
        "sympy: the closed-form loss at |w_perp| = 0, the one-sided limit of its |w_perp|-derivative (0), and the rescaled "
        "GD step, each simplified to the identity")


@dataclass(frozen=True)
class BalancingTheorems:
    """The balancing statements and the neuron's reduction (``theorems``), each with its proof status.

    >>> r = balancing_theorems()
    >>> r.proved, r.rigor, len(r.theorems)
    (True, 'exact', 5)
    """

    theorems: tuple[ProvedStatement, ...]

    @property
    def proved(self) -> bool:
        return all(t.proved for t in self.theorems)

    @property
    def rigor(self) -> Rigor:
        return Rigor.weakest(t.rigor for t in self.theorems)

    def to_dict(self) -> dict:
        return {"proved": self.proved, "rigor": self.rigor, "theorems": [t.to_dict() for t in self.theorems]}

    def to_markdown(self) -> str:
        return "\n".join(t.to_markdown() for t in self.theorems)


@lru_cache(maxsize=1)
def balancing_theorems() -> BalancingTheorems:
    """Run every proof of this module (a few seconds of sympy, once per process).

    >>> [t.cites for t in balancing_theorems().theorems if t.cites]
    ['Du2018', 'Wang2022']
    """
    return BalancingTheorems((imbalance_identity(), flow_conserves_imbalance(), contraction_below_edge(), cycle_products(),
                              neuron_reduction()))
