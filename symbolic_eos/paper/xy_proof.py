"""``(x y - 1)^2 / 2``: balancing and convergence to the 2-cycle PROVED on a region of starts, for
every learning rate in a closed interval (computer-assisted, python-flint ``arb`` balls).

GD is ``G(x, y) = (x - eta e y, y - eta e x)``, ``e = x y - 1``.  In the coordinates
``s = (x + y)/2``, ``d = (x - y)/2`` (so ``e = s^2 - d^2 - 1``) it factors exactly as

    s' = s (1 - eta e),    d' = d (1 + eta e),    hence    D' = D (1 - eta^2 e^2),  D = x^2 - y^2 = 4 s d,

(sympy, :func:`factored_step`): the diagonal ``d = 0`` is invariant and carries the quartic map
``F(s) = (1 + eta) s - eta s^3``, whose 2-cycle ``delta_0 < delta_1`` is the balanced 2-cycle.

The theorem (:func:`xy_region_theorem`) for ``eta`` in ``[eta_lo, eta_hi]`` (one ball) rests on:

1. **The cycle**: ``(delta_0, delta_1)`` enclosed by the parametric Krawczyk test (``eta`` a ball).
2. **Trapping**: boxes ``N_i = [c_i +- rho_i] x [+- sigma_i]`` in ``(s, d)`` around the cycle
   points with ``G(N_0) ⊂ N_1``, ``G(N_1) ⊂ N_0`` (mean-value images over a grid of sub-boxes),
   ``x, y > 0`` on them, and Lipschitz bounds ``L_0 = sup_{N_0} ||DG||_{0 -> 1}``,
   ``L_1 = sup_{N_1} ||DG||_{1 -> 0}`` in the weighted norms ``||(u, v)||_i = max(|u|/rho_i, |v|/sigma_i)``
   with ``L_0 L_1 < 1``: ``G^2`` is a contraction of the convex ``N_0`` into itself, so every start in
   ``N_0 ∪ N_1`` converges to the cycle (its unique 2-periodic orbit there, which is on ``d = 0``).
3. **Balancing (the identity)**: on ``N_0 ∪ N_1``, ``|d|`` shrinks by at least
   ``q_d = sup_{N_0}|1 + eta e| sup_{N_1}|1 + eta e| < 1`` and ``|D|`` by
   ``q_D = sup_{N_0}|1 - eta^2 e^2| sup_{N_1}|1 - eta^2 e^2| < 1`` every two steps (at the cycle
   the product is exactly ``3 - 2 eta``).
4. **The cover**: the rectangle of starts is cut into boxes; a box is proved when the enclosure of
   its ``n``-th image (``n <= n_max``; a Lohner-type parallelepiped iteration in ``(s, d)``, with
   ``eta`` as a ball and its dependence tracked to first order) lies in ``N_0``, in ``N_1``, or in
   the union of boxes already proved (by induction on the order of proof every start in it
   converges).  Boxes that fail are split up to ``max_depth`` and a budget of box evaluations.

Along the way the cover certifies, per box, ``x, y > 0`` on the whole orbit and ``|D|``
non-increasing at every step (``(eta e)^2 <= 2`` on each enclosure, the identity of 3): the
areas where these hold are reported.  Boxes meeting the exceptional curves (the minima ``x y = 1``,
fixed points; the curve ``x y = 1 + 1/eta``, mapped onto the invariant line ``x + y = 0``; the
quartic's exceptional points on the diagonal) can never be proved and are reported as such.

>>> t = xy_region_theorem("27/25", "109/100", ("3/4", "7/8", "3/4", "7/8"), initial=2, max_depth=2)
>>> t.proved, str(t.verdict), t.proved_fraction
(True, 'holds', Fraction(1, 1))
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterator, Sequence

import sympy as sp
from flint import arb, ctx, fmpq

from ..core import arguments
from ..core.vocabulary import Rigor, Verdict
from .quartic_basin import cycle_piece, interval_ball
from ..errors import InputError

__all__ = ["factored_step", "CycleEnclosure", "diagonal_cycle", "TrappingLemma", "trapping_lemma", "CoverResult",
           "region_cover", "ExceptionalStarts", "exceptional_starts", "XYRegionTheorem", "xy_region_theorem",
           "DEFAULT_ETA", "DEFAULT_REGION"]

#: The default learning-rate interval and rectangle of starts ``(x_lo, x_hi, y_lo, y_hi)``.
DEFAULT_ETA = ("109/100", "11/10")
DEFAULT_REGION = ("1/2", "3/2", "1/2", "3/2")
PREC = 64
#: An orbit enclosure wider than this (in x or y) is given up: it can no longer land.
STOP_WIDTH = 0.75
#: Passes over a level: the boxes proved in one pass are landing targets for the next.
PASSES = 2


def _q(value: object, name: str) -> Fraction:
    return arguments.rational(value, name)


def _f(x: arb) -> float:
    return float(x.mid())


def _hi(x: arb) -> float:
    """An upper bound of ``|x|`` (rounded up to a float)."""
    return float(abs(x).upper().mid()) if x.is_finite() else math.inf


# ---------------------------------------------------------------------------------------------
# The exact identities.


def factored_step() -> bool:
    """With ``s = (x + y)/2``, ``d = (x - y)/2``, ``e = x y - 1``, one GD step is exactly
    ``s' = s (1 - eta e)``, ``d' = d (1 + eta e)``; so ``D' = D (1 - eta^2 e^2)`` (``D = 4 s d``), the
    diagonal ``d = 0`` and the line ``s = 0`` are invariant, and the curve ``e = 1/eta`` is mapped
    onto ``s = 0`` (sympy identities in ``x, y, eta``).

    >>> factored_step()
    True
    """
    x, y, eta = sp.symbols("x y eta")
    e = x * y - 1
    x1, y1 = x - eta * e * y, y - eta * e * x
    s, d = (x + y) / 2, (x - y) / 2
    ok = sp.expand((x1 + y1) / 2 - s * (1 - eta * e)) == 0 and sp.expand((x1 - y1) / 2 - d * (1 + eta * e)) == 0
    ok = ok and sp.expand(e - (s**2 - d**2 - 1)) == 0 and sp.expand(x1**2 - y1**2 - (x**2 - y**2) * (1 - eta**2 * e**2)) == 0
    return bool(ok)


# ---------------------------------------------------------------------------------------------
# 1. The cycle, by parametric Krawczyk.


def _cycle_float(eta: float) -> tuple[float, float]:
    b = eta * eta + eta
    disc = math.sqrt(max(b * b - 4 * eta * eta, 0.0))
    return math.sqrt((b - disc) / (2 * eta * eta)), math.sqrt((b + disc) / (2 * eta * eta))


@dataclass(frozen=True)
class CycleEnclosure:
    """The balanced 2-cycle ``x = y = delta_0``, ``x = y = delta_1`` for every ``eta`` in the ball
    ``eta``: ``certified`` when the Krawczyk test proved exactly one zero of
    ``F(s0) = s1, F(s1) = s0`` in the box, ``delta`` the enclosures (``delta_0 < delta_1``, disjoint,
    positive).

    >>> c = diagonal_cycle(Fraction(27, 25), Fraction(11, 10))
    >>> c.certified, 0.81 < float(c.delta[0].mid()) < 0.84 < 1.1 < float(c.delta[1].mid()) < 1.12
    (True, True)
    """

    eta: arb
    certified: bool
    delta: tuple[arb, arb]

    def to_dict(self) -> dict:
        return {"certified": self.certified, "delta": [d.str(10, radius=True) for d in self.delta],
                "rigor": Rigor.CERTIFIED if self.certified else Rigor.NONE}


def diagonal_cycle(eta_lo: Fraction, eta_hi: Fraction, max_pieces: int = 64) -> CycleEnclosure:
    """Krawczyk with ``eta`` a ball: ``[eta_lo, eta_hi]`` is cut into ``2^k`` equal pieces
    (``2^k <= max_pieces``) until on each piece one box ``X`` in ``(s0, s1)`` has ``K(X) ⊂ int X``,
    which proves for every ``eta`` of the piece exactly one 2-cycle of ``F`` in ``X``; ``delta``
    is the union of the pieces' enclosures.

    >>> diagonal_cycle(Fraction(27, 25), Fraction(11, 10)).certified
    True
    """
    with ctx.workprec(PREC):
        eta = interval_ball(eta_lo, eta_hi)
        pieces = 1
        while pieces <= max_pieces:
            w = (eta_hi - eta_lo) / pieces
            found = [cycle_piece(eta_lo + i * w, eta_lo + (i + 1) * w, PREC) for i in range(pieces)]
            if all(f is not None for f in found):
                d0 = found[0][0]  # type: ignore[index]
                d1 = found[0][1]  # type: ignore[index]
                for f in found[1:]:
                    d0, d1 = d0.union(f[0]), d1.union(f[1])  # type: ignore[index]
                ok = d0.lower() > 0 and d0.upper() < d1.lower()
                return CycleEnclosure(eta, bool(ok), (d0, d1))
            pieces *= 2
        mid = _cycle_float(float((eta_lo + eta_hi) / 2))
    return CycleEnclosure(eta, False, (arb(mid[0]), arb(mid[1])))


# ---------------------------------------------------------------------------------------------
# 2. + 3. The trapping neighbourhood and the balancing rate on it.


def _step_mv(s: arb, d: arb, eta: arb) -> tuple[arb, arb]:
    """Mean-value enclosure of ``G(S x D)`` for every ``eta`` in the ball, intersected with the
    plain interval image."""
    sm, dm, em = arb(s.mid()), arb(d.mid()), arb(eta.mid())
    rs, rd, re_ = s - sm, d - dm, eta - em
    e = s * s - d * d - 1
    t = 2 * eta * s * d
    e0 = sm * sm - dm * dm - 1
    s1 = sm * (1 - em * e0) + (1 - eta * e - 2 * eta * s * s) * rs + t * rd - e * s * re_
    d1 = dm * (1 + em * e0) + t * rs + (1 + eta * e - 2 * eta * d * d) * rd + e * d * re_
    return s1.intersection(s * (1 - eta * e)), d1.intersection(d * (1 + eta * e))


def _pieces(c: float, rho: float, sigma: float, k: int) -> Iterator[tuple[arb, arb]]:
    for a in range(k):
        for b in range(k):
            yield (arb(c - rho + (2 * a + 1) * rho / k, rho / k), arb(-sigma + (2 * b + 1) * sigma / k, sigma / k))


@dataclass(frozen=True)
class TrappingLemma:
    """Lemmas 2 and 3 on ``N_i = [centre_i +- rho_i] x [+- sigma_i]`` in ``(s, d)`` (``centre``,
    ``rho``, ``sigma`` the pairs): which of
    ``cycle_inside`` (the Krawczyk enclosure of ``delta_i`` in ``N_i``), ``maps_into``
    (``G(N_0) ⊂ N_1``, ``G(N_1) ⊂ N_0``), ``positive`` (``x, y > 0`` on ``N_0 ∪ N_1``) hold, the
    Lipschitz bounds ``lipschitz = (L_0, L_1)`` (weighted norms, upper bounds), and the balancing
    rates ``q_d``, ``q_D`` per two steps (upper bounds), with ``D_factors`` the bounds of
    ``|1 - eta^2 e^2|`` on ``N_0``, ``N_1`` and ``subdivisions`` the sub-boxes per side.  ``verdict`` is ``holds`` when all hold
    with ``L_0 L_1 < 1``, ``q_d < 1``, ``q_D < 1``; otherwise ``undecided`` and ``reason`` says which
    failed (nothing is claimed).

    >>> lem = trapping_lemma(Fraction(27, 25), Fraction(11, 10))
    >>> str(lem.verdict), lem.contraction < 1, lem.q_D < 1
    ('holds', True, True)
    """

    centre: tuple[float, float]
    rho: tuple[float, float]
    sigma: tuple[float, float]
    cycle_inside: bool
    maps_into: bool
    positive: bool
    lipschitz: tuple[float, float]
    q_d: float
    q_D: float
    subdivisions: int
    reason: str = ""
    D_factors: tuple[float, float] = (math.inf, math.inf)   # sup |1 - eta^2 e^2| on N_0, N_1

    @property
    def contraction(self) -> float:
        """An upper bound of the contraction factor of ``G^2`` on ``N_0`` (``L_0 L_1``, rounded up)."""
        return math.nextafter(self.lipschitz[0] * self.lipschitz[1], math.inf)

    @property
    def verdict(self) -> Verdict:
        ok = self.cycle_inside and self.maps_into and self.positive and self.contraction < 1 and self.q_d < 1 and self.q_D < 1
        return Verdict.HOLDS if ok else Verdict.UNDECIDED

    def boxes(self) -> tuple[tuple[arb, arb], tuple[arb, arb]]:
        """``N_0``, ``N_1`` as ``(s, d)`` balls."""
        return tuple((arb(c, r), arb(0, s)) for c, r, s in zip(self.centre, self.rho, self.sigma, strict=True))  # type: ignore[return-value]

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "N": [{"s": [c - r, c + r], "d": [-s, s]} for c, r, s in
                                               zip(self.centre, self.rho, self.sigma, strict=True)],
                "cycle_inside": self.cycle_inside, "maps_into": self.maps_into, "positive": self.positive,
                "lipschitz": list(self.lipschitz), "contraction": self.contraction, "q_d": self.q_d, "q_D": self.q_D,
                "subdivisions": self.subdivisions, "reason": self.reason,
                "rigor": Rigor.CERTIFIED if self.verdict is Verdict.HOLDS else Rigor.NONE}


def _check_trap(cycle: CycleEnclosure, centre: tuple[float, float], rho: tuple[float, float], sigma: tuple[float, float],
                k: int) -> TrappingLemma:
    eta = cycle.eta
    inside = all(arb(c, r).contains(dl) for c, r, dl in zip(centre, rho, cycle.delta, strict=True)) and cycle.certified
    maps, lips, dmax, Dmax = True, [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
    positive = all(c - r > s for c, r, s in zip(centre, rho, sigma, strict=True))
    for i in (0, 1):
        j = 1 - i
        target = (arb(centre[j], rho[j]), arb(0, sigma[j]))
        for s, d in _pieces(centre[i], rho[i], sigma[i], k):
            s1, d1 = _step_mv(s, d, eta)
            if not (target[0].contains(s1) and target[1].contains(d1)):
                maps = False
            e = s * s - d * d - 1
            a, t, b = 1 - eta * e - 2 * eta * s * s, 2 * eta * s * d, 1 + eta * e - 2 * eta * d * d
            # the weighted norm ||W_j^-1 DG W_i||_inf: W = diag(rho, sigma)
            row_s = _hi(a) * rho[i] / rho[j] + _hi(t) * sigma[i] / rho[j]
            row_d = _hi(t) * rho[i] / sigma[j] + _hi(b) * sigma[i] / sigma[j]
            lips[i] = max(lips[i], row_s, row_d)
            dmax[i] = max(dmax[i], _hi(1 + eta * e))
            Dmax[i] = max(Dmax[i], _hi(1 - (eta * e) ** 2))
    up = lambda v: math.nextafter(v, math.inf)  # noqa: E731
    q_d, q_D = up(dmax[0] * dmax[1]), up(Dmax[0] * Dmax[1])
    lem = TrappingLemma(centre, rho, sigma, bool(inside), maps, positive, (up(lips[0]), up(lips[1])), q_d, q_D, k,
                        D_factors=(Dmax[0], Dmax[1]))
    if lem.verdict is Verdict.HOLDS:
        return lem
    why = [w for w, bad in (("the cycle is not inside N_0, N_1", not inside), ("G(N_0) ⊄ N_1 or G(N_1) ⊄ N_0", not maps),
                            ("N_0 ∪ N_1 leaves x, y > 0", not positive),
                            (f"L_0 L_1 = {lem.contraction:.4g} >= 1 (no certified contraction)", lem.contraction >= 1),
                            (f"q_d = {q_d:.4g} >= 1", q_d >= 1), (f"q_D = {q_D:.4g} >= 1", q_D >= 1)) if bad]
    return TrappingLemma(centre, rho, sigma, bool(inside), maps, positive, lem.lipschitz, q_d, q_D, k, "; ".join(why),
                         (Dmax[0], Dmax[1]))


def trapping_lemma(eta_lo: Fraction, eta_hi: Fraction, rho: tuple[float, float] | None = None,
                   sigma: tuple[float, float] | None = None, centre: tuple[float, float] | None = None,
                   subdivisions: int = 6) -> TrappingLemma:
    """Lemmas 2 and 3 for every ``eta`` in ``[eta_lo, eta_hi]``, each ``N_i`` checked on a grid of
    ``subdivisions`` x ``subdivisions`` sub-boxes.  With ``rho`` and ``sigma`` (half-widths in ``s``
    and ``d``) and ``centre`` (default: the midpoints of the Krawczyk enclosures) given, those
    boxes are checked; otherwise the largest shape of a small search that passes is returned
    (or the smallest tried, refused).

    >>> str(trapping_lemma(Fraction(27, 25), Fraction(11, 10), rho=(0.4, 0.2), sigma=(0.1, 0.1), subdivisions=2).verdict)
    'undecided'
    >>> trapping_lemma(0.5, Fraction(11, 10))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: eta_lo: expected exact text, ..., got float 0.5 (write '0.5' or Fraction(1, 2))
    >>> trapping_lemma(Fraction(11, 10), Fraction(27, 25))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: need 0 < eta_lo <= eta_hi
    """
    eta_lo, eta_hi = _q(eta_lo, "eta_lo"), _q(eta_hi, "eta_hi")
    if not 0 < eta_lo <= eta_hi:
        raise InputError("need 0 < eta_lo <= eta_hi")
    subdivisions = arguments.integer(subdivisions, "subdivisions", 1, 64)
    cycle = diagonal_cycle(eta_lo, eta_hi)
    c = centre if centre is not None else (_f(cycle.delta[0]), _f(cycle.delta[1]))
    with ctx.workprec(PREC):
        if rho is not None and sigma is not None:
            return _check_trap(cycle, c, rho, sigma, subdivisions)
        em = float((eta_lo + eta_hi) / 2)
        lam = [abs(1 + em - 3 * em * v * v) for v in c]
        mu = [abs(1 + em * (v * v - 1)) for v in c]
        base_s = min(max(math.sqrt(lam[0] / lam[1]), 0.05), 1.0)
        base_d = math.sqrt(mu[0] / mu[1])
        last = None
        t = 0.12
        while t > 1e-3:
            for m in (1.3, 1.6, 1.0, 2.0):
                for dscale in (1.0, 0.4):
                    last = _check_trap(cycle, c, (t, t * min(base_s * m, 1.0)), (t * dscale, t * dscale * base_d), subdivisions)
                    if last.verdict is Verdict.HOLDS:
                        return last
            t *= 0.75
        assert last is not None
        return last


# ---------------------------------------------------------------------------------------------
# 4. The cover of a rectangle of starts.


class _Tree:
    """The quadtree of boxes over the rectangle: level-``l`` box ``(l, i, j)`` is
    ``[x0 + i w_l, x0 + (i + 1) w_l] x [y0 + j h_l, ...]``, ``w_l = (x1 - x0) / (n 2^l)``."""

    def __init__(self, rect: tuple[Fraction, Fraction, Fraction, Fraction], n: int) -> None:
        self.rect, self.n = rect, n
        self.proved: dict[tuple[int, int, int], int] = {}   # node -> steps
        self.split: set[tuple[int, int, int]] = set()
        self.positive: set[tuple[int, int, int]] = set()
        self.monotone: set[tuple[int, int, int]] = set()
        with ctx.workprec(PREC):
            x0, x1, y0, y1 = (arb(fmpq(v.numerator, v.denominator)) for v in rect)
            self._x0, self._y0 = x0, y0
            self._sx, self._sy = n / (x1 - x0), n / (y1 - y0)

    def bounds(self, node: tuple[int, int, int]) -> tuple[Fraction, Fraction, Fraction, Fraction]:
        level, i, j = node
        x0, x1, y0, y1 = self.rect
        m = self.n * 2**level
        w, h = (x1 - x0) / m, (y1 - y0) / m
        return x0 + i * w, x0 + (i + 1) * w, y0 + j * h, y0 + (j + 1) * h

    def _covered(self, node: tuple[int, int, int], u: tuple[float, float], v: tuple[float, float],
                 seen: list[tuple[int, int, int]]) -> bool:
        """Whether the part of the index box ``u x v`` (level-0 units) inside ``node`` is covered by
        proved boxes (appended to ``seen``)."""
        if node in self.proved:
            seen.append(node)
            return True
        if node not in self.split:
            return False
        level, i, j = node
        scale = 2 ** (level + 1)
        for a in (0, 1):
            for b in (0, 1):
                child = (level + 1, 2 * i + a, 2 * j + b)
                ci, cj = child[1] / scale, child[2] / scale
                if u[1] <= ci or u[0] >= ci + 1 / scale or v[1] <= cj or v[0] >= cj + 1 / scale:
                    continue
                if not self._covered(child, u, v, seen):
                    return False
        return True

    def covers(self, xs: arb, ys: arb) -> tuple[bool, bool, bool]:
        """Whether the box ``xs x ys`` lies in the union of the proved boxes (index bounds rounded
        outwards, so the check is conservative), and whether all of those boxes are certified
        positive and monotone."""
        no = (False, False, False)
        u = (xs - self._x0) * self._sx
        v = (ys - self._y0) * self._sy
        if not (u.is_finite() and v.is_finite()):
            return no
        ul, uh, vl, vh = _f(u.lower()), _f(u.upper()), _f(v.lower()), _f(v.upper())
        ul, vl = math.nextafter(ul, -math.inf), math.nextafter(vl, -math.inf)
        uh, vh = math.nextafter(uh, math.inf), math.nextafter(vh, math.inf)
        if ul < 0 or vl < 0 or uh > self.n or vh > self.n:
            return no
        seen: list[tuple[int, int, int]] = []
        for i in range(int(math.floor(ul)), min(int(math.floor(uh)), self.n - 1) + 1):
            for j in range(int(math.floor(vl)), min(int(math.floor(vh)), self.n - 1) + 1):
                if not self._covered((0, i, j), (ul, uh), (vl, vh), seen):
                    return no
        return True, all(b in self.positive for b in seen), all(b in self.monotone for b in seen)


def _lands(box: tuple[Fraction, Fraction, Fraction, Fraction], eta: arb, traps: Sequence[tuple[arb, arb]], tree: _Tree | None,
           n_max: int) -> tuple[int, bool, bool, tuple[int, int, int] | None] | None:
    """``(n, positive, monotone, via)`` when the enclosure of ``G^n(box)`` lies in ``N_0``, ``N_1``
    or (``via`` not None) the proved part of ``tree``; None when it does not within ``n_max`` steps.

    The set is ``z + A r + a eps``: ``z`` a point, ``A`` a 2x2 basis (re-orthogonalised each step
    along the longest image direction, Lohner's QR method), ``r`` a box of coefficients, ``a`` the
    point derivative of the orbit in ``eta`` and ``eps = eta - mid(eta)``; each step is the mean
    value form over the hull, with every error term pushed into ``r``."""
    x_lo, x_hi, y_lo, y_hi = box
    X, Y = interval_ball(x_lo, x_hi), interval_ball(y_lo, y_hi)
    cx, cy = arb(X.mid()), arb(Y.mid())
    em, E = arb(eta.mid()), eta - arb(eta.mid())
    zs, zd = (cx + cy) / 2, (cx - cy) / 2
    half = arb(1) / 2
    A = ((half, half), (half, -half))
    r = (X - cx, Y - cy)
    a_s, a_d = arb(0), arb(0)
    positive = monotone = True
    for n in range(1, n_max + 1):
        S = zs + A[0][0] * r[0] + A[0][1] * r[1] + a_s * E
        D = zd + A[1][0] * r[0] + A[1][1] * r[1] + a_d * E
        e = S * S - D * D - 1
        ee = eta * e
        t = 2 * eta * S * D
        j00, j11 = 1 - ee - 2 * eta * S * S, 1 + ee - 2 * eta * D * D
        if positive and not (S - abs(D)).lower() > 0:
            positive = False
        if monotone and not (ee * ee).upper() <= 2:   # |1 - eta^2 e^2| <= 1: |D| does not grow at this step
            monotone = False
        ez = zs * zs - zd * zd - 1
        hs, hd = zs * (1 - em * ez), zd * (1 + em * ez)
        p00, p01 = j00 * A[0][0] + t * A[1][0], j00 * A[0][1] + t * A[1][1]
        p10, p11 = t * A[0][0] + j11 * A[1][0], t * A[0][1] + j11 * A[1][1]
        qs, qd = j00 * a_s + t * a_d - e * S, t * a_s + j11 * a_d + e * D
        nas, nad = arb(qs.mid()), arb(qd.mid())
        w0, w1 = _f(r[0].rad()), _f(r[1].rad())
        c0 = (_f(p00) * w0, _f(p10) * w0)
        c1 = (_f(p01) * w1, _f(p11) * w1)
        if math.hypot(*c1) > math.hypot(*c0):
            c0 = c1
        length = math.hypot(*c0)
        if not (length > 0 and math.isfinite(length)):
            return None
        u0, u1 = c0[0] / length, c0[1] / length
        Q = ((arb(u0), arb(-u1)), (arb(u1), arb(u0)))
        det = Q[0][0] * Q[1][1] - Q[0][1] * Q[1][0]
        B = ((Q[1][1] / det, -Q[0][1] / det), (-Q[1][0] / det, Q[0][0] / det))
        nzs, nzd = arb(hs.mid()), arb(hd.mid())
        gs, gd = hs - nzs + (qs - nas) * E, hd - nzd + (qd - nad) * E
        m00, m01 = B[0][0] * p00 + B[0][1] * p10, B[0][0] * p01 + B[0][1] * p11
        m10, m11 = B[1][0] * p00 + B[1][1] * p10, B[1][0] * p01 + B[1][1] * p11
        r = (m00 * r[0] + m01 * r[1] + B[0][0] * gs + B[0][1] * gd, m10 * r[0] + m11 * r[1] + B[1][0] * gs + B[1][1] * gd)
        A, zs, zd, a_s, a_d = Q, nzs, nzd, nas, nad
        S = zs + A[0][0] * r[0] + A[0][1] * r[1] + a_s * E
        D = zd + A[1][0] * r[0] + A[1][1] * r[1] + a_d * E
        if not (S.is_finite() and D.is_finite()):
            return None
        xs, ys = S + D, S - D
        if xs.rad() > STOP_WIDTH or ys.rad() > STOP_WIDTH:
            return None
        for trap_s, trap_d in traps:
            if trap_s.contains(S) and trap_d.contains(D):
                return n, positive, monotone, None
        if tree is not None:
            hit, pos_all, mono_all = tree.covers(xs, ys)
            if hit:
                # the landing boxes' own orbits carry the rest: positive / monotone only if all of theirs are
                return n, positive and pos_all, monotone and mono_all, (0, 0, 0)
    return None


@dataclass(frozen=True)
class CoverResult:
    """Lemma 4 on the rectangle ``region``: ``proved`` boxes (exact rational bounds), the boxes
    ``not_proved`` with the exceptional curve each meets (``reason``), the ``proved_area``
    fraction (exact), the fractions where ``x, y > 0`` along the whole orbit (``positive_area``)
    and ``|D|`` non-increasing at every step (``monotone_area``) are certified, the most steps to
    land (``steps``), box ``evaluations``, ``n_max``, ``max_depth``, the ``initial`` grid, whether the
    evaluation budget ran out (``budget_exhausted``) and the wall time ``seconds``.

    >>> lem = trapping_lemma(Fraction(27, 25), Fraction(11, 10))
    >>> c = region_cover(lem, Fraction(27, 25), Fraction(11, 10), ("4/5", "17/20", "4/5", "17/20"), initial=2, max_depth=2)
    >>> c.proved_area, len(c.not_proved)
    (Fraction(1, 1), 0)
    """

    region: tuple[Fraction, Fraction, Fraction, Fraction]
    proved: tuple[tuple[Fraction, Fraction, Fraction, Fraction], ...]
    not_proved: tuple[tuple[tuple[Fraction, Fraction, Fraction, Fraction], str], ...]
    proved_area: Fraction
    positive_area: Fraction
    monotone_area: Fraction
    steps: int
    evaluations: int
    n_max: int
    max_depth: int
    initial: int
    budget_exhausted: bool
    seconds: float = field(compare=False)

    def reasons(self) -> dict[str, int]:
        """How many unproved boxes meet each exceptional curve (or none of them)."""
        out: dict[str, int] = {}
        for _, why in self.not_proved:
            out[why] = out.get(why, 0) + 1
        return out

    def to_dict(self) -> dict:
        text = lambda b: [str(v) for v in b]  # noqa: E731
        return {"region": text(self.region), "initial": self.initial, "max_depth": self.max_depth, "n_max": self.n_max,
                "proved_boxes": len(self.proved), "not_proved_boxes": len(self.not_proved),
                "proved_area_fraction": str(self.proved_area), "proved_area_fraction_float": float(self.proved_area),
                "positive_area_fraction": str(self.positive_area), "monotone_area_fraction": str(self.monotone_area),
                "steps_max": self.steps, "evaluations": self.evaluations, "budget_exhausted": self.budget_exhausted,
                "not_proved_reasons": self.reasons(), "not_proved": [text(b) + [why] for b, why in self.not_proved],
                "seconds": round(self.seconds, 3)}


#: Why a box could not be proved: the exceptional curve it meets.
MEETS_MINIMA = "meets x y = 1 (fixed points)"
MEETS_ANTI = "meets x y = 1 + 1/eta (mapped onto x + y = 0)"
MEETS_QUARTIC = "meets the diagonal exception (r, r), r = (sqrt(1 + 4/eta) - 1)/2"
PREIMAGE = "may meet G^-k(x y = 1), k <= 3 (the interval enclosure of x_k y_k - 1 contains 0)"
SLOW = "meets none of these (slow, near further preimages, or left the region)"
BUDGET = "budget exhausted"


def _reason(box: tuple[Fraction, Fraction, Fraction, Fraction], eta_lo: Fraction, eta_hi: Fraction) -> str:
    x0, x1, y0, y1 = box
    lo, hi = (x0 * y0, x1 * y1) if x0 >= 0 and y0 >= 0 else (None, None)
    if lo is not None and hi is not None:
        if lo <= 1 <= hi:
            return MEETS_MINIMA
        if lo <= 1 + 1 / eta_lo and hi >= 1 + 1 / eta_hi:
            return MEETS_ANTI
    a, b = max(x0, y0), min(x1, y1)
    r_lo = (math.sqrt(1 + 4 / float(eta_hi)) - 1) / 2 - 1e-9
    r_hi = (math.sqrt(1 + 4 / float(eta_lo)) - 1) / 2 + 1e-9
    if a <= b and a <= r_hi and b >= r_lo:
        return MEETS_QUARTIC
    with ctx.workprec(PREC):
        eta = interval_ball(eta_lo, eta_hi)
        x, y = interval_ball(x0, x1), interval_ball(y0, y1)
        for _ in range(3):
            e = x * y - 1
            x, y = x - eta * e * y, y - eta * e * x
            if (x * y - 1).contains(0):
                return PREIMAGE
    return SLOW


def region_cover(lemma: TrappingLemma, eta_lo: Fraction, eta_hi: Fraction, region: Sequence = DEFAULT_REGION,
                 initial: int = 8, max_depth: int = 4, n_max: int = 200, max_boxes: int = 20000) -> CoverResult:
    """Lemma 4: cover ``region = (x_lo, x_hi, y_lo, y_hi)`` by ``initial`` x ``initial`` boxes, split
    the ones that do not land in the trapping boxes of ``lemma`` (or in proved boxes) within
    ``n_max`` steps, down to ``max_depth`` levels and ``max_boxes`` evaluations, for every ``eta`` in
    ``[eta_lo, eta_hi]``.  Boxes are tried nearest the cycle first, and a level is retried while it
    proves new boxes.

    >>> lem = trapping_lemma(Fraction(27, 25), Fraction(11, 10))
    >>> c = region_cover(lem, Fraction(27, 25), Fraction(11, 10), ("19/20", "21/20", "19/20", "21/20"), initial=1,
    ...                  max_depth=1, n_max=20, max_boxes=10)
    >>> c.proved, c.reasons()
    ((), {'meets x y = 1 (fixed points)': 4})
    >>> region_cover(lem, Fraction(27, 25), Fraction(11, 10), initial=0)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: initial: expected an integer in [1, 256], got 0
    """
    eta_lo, eta_hi = _q(eta_lo, "eta_lo"), _q(eta_hi, "eta_hi")
    values = [_q(v, f"region[{i}]") for i, v in enumerate(region)]
    if len(values) != 4 or not (values[0] < values[1] and values[2] < values[3]):
        raise InputError("region is (x_lo, x_hi, y_lo, y_hi) with x_lo < x_hi and y_lo < y_hi")
    rect = (values[0], values[1], values[2], values[3])
    initial = arguments.integer(initial, "initial", 1, 256)
    max_depth = arguments.integer(max_depth, "max_depth", 0, 12)
    n_max = arguments.integer(n_max, "n_max", 1, 10**5)
    max_boxes = arguments.integer(max_boxes, "max_boxes", 1, 10**7)
    start = time.perf_counter()
    tree = _Tree(rect, initial)
    proved_ok = lemma.verdict is Verdict.HOLDS
    evaluations, steps, exhausted = 0, 0, False
    failed: list[tuple[int, int, int]] = []
    with ctx.workprec(PREC):
        eta = interval_ball(eta_lo, eta_hi)
        traps = lemma.boxes()
        centres = lemma.centre
        pending = [(0, i, j) for i in range(initial) for j in range(initial)]
        while pending:
            def distance(node):
                x0, x1, y0, y1 = tree.bounds(node)
                cx, cy = float(x0 + x1) / 2, float(y0 + y1) / 2
                return min(math.hypot(cx - c, cy - c) for c in centres)
            pending.sort(key=distance)
            progress, passes = True, 0
            # a second pass only: the boxes proved in the first can be landing targets for the rest
            while pending and progress and proved_ok and passes < PASSES:
                progress, still, passes = False, [], passes + 1
                for node in pending:
                    if evaluations >= max_boxes:
                        exhausted = True
                        still.append(node)
                        continue
                    evaluations += 1
                    got = _lands(tree.bounds(node), eta, traps, tree, n_max)
                    if got is None:
                        still.append(node)
                        continue
                    n, pos, mono, via = got
                    tree.proved[node] = n
                    steps = max(steps, n)
                    if pos:
                        tree.positive.add(node)
                    if mono and max(lemma.D_factors) <= 1:
                        tree.monotone.add(node)
                    progress = True
                pending = still
                if exhausted:
                    break
            nxt = []
            for node in pending:
                if node[0] < max_depth and not exhausted and proved_ok:
                    tree.split.add(node)
                    level, i, j = node
                    nxt += [(level + 1, 2 * i + a, 2 * j + b) for a in (0, 1) for b in (0, 1)]
                else:
                    failed.append(node)
            pending = nxt
    total = (rect[1] - rect[0]) * (rect[3] - rect[2])
    area = lambda nodes: sum(((b[1] - b[0]) * (b[3] - b[2]) for b in map(tree.bounds, nodes)), Fraction(0)) / total  # noqa: E731
    proved = tuple(sorted(tree.bounds(n) for n in tree.proved))
    not_proved = tuple(sorted((tree.bounds(n), BUDGET if exhausted and _reason(tree.bounds(n), eta_lo, eta_hi) == SLOW
                               else _reason(tree.bounds(n), eta_lo, eta_hi)) for n in failed))
    return CoverResult(rect, proved, not_proved, area(tree.proved), area(tree.positive), area(tree.monotone),
                       steps, evaluations, n_max, max_depth, initial, exhausted, time.perf_counter() - start)


# ---------------------------------------------------------------------------------------------
# 5. The exceptional starts, exactly.


@dataclass(frozen=True)
class ExceptionalStarts:
    """The exact exceptions: ``landings`` (``(eta, start, orbit)`` in exact rationals, the orbit
    ending on a fixed point of ``x y = 1``), ``anti`` (a start on ``x y = 1 + 1/eta`` and its exact
    image on ``x + y = 0``, which is invariant, so the orbit never reaches the cycle ``s = delta_i > 0``),
    ``quartic_r`` (the enclosure, over the eta-interval, of the diagonal exception ``r``) and the
    ``description`` of the exceptional set with whether its facts were ``proved``.

    >>> x = exceptional_starts(Fraction(27, 25), Fraction(11, 10))
    >>> x.proved, x.landings[0][1], x.landings[0][2][-1]
    (True, (Fraction(3, 5), Fraction(3, 5)), (Fraction(1, 1), Fraction(1, 1)))
    """

    landings: tuple[tuple[Fraction, tuple[Fraction, Fraction], tuple[tuple[Fraction, Fraction], ...]], ...]
    anti: tuple[Fraction, tuple[Fraction, Fraction], tuple[Fraction, Fraction]]
    quartic_r: tuple[float, float]
    facts: tuple[tuple[str, bool], ...]

    description = ("E = union_n G^-n(C) over the invariant curves C that are not the cycle: the minima x y = 1 (fixed points) "
                   "and the line x + y = 0 (invariant: s' = s (1 - eta e)), into which x y = 1 + 1/eta is mapped; each G^-n(C) "
                   "is the zero set of a non-zero polynomial in (x0, y0) (x_n y_n - 1 is -1 at the fixed point (0, 0); "
                   "x_n + y_n is 2 at the fixed point (1, 1)), a curve, so E has measure zero. Its diagonal points are the "
                   "quartic's exceptional set, e.g. (r, r), r = (sqrt(1 + 4/eta) - 1)/2, mapped onto (1, 1)")

    @property
    def proved(self) -> bool:
        return all(ok for _, ok in self.facts)

    def to_dict(self) -> dict:
        pair = lambda p: [str(p[0]), str(p[1])]  # noqa: E731
        return {"description": self.description, "proved": self.proved,
                "facts": [{"fact": t, "proved": ok} for t, ok in self.facts],
                "landings": [{"eta": str(e), "start": pair(s), "orbit": [pair(p) for p in o]} for e, s, o in self.landings],
                "anti": {"eta": str(self.anti[0]), "start": pair(self.anti[1]), "image": pair(self.anti[2])},
                "quartic_r": list(self.quartic_r), "rigor": Rigor.EXACT if self.proved else Rigor.NONE}


def exceptional_starts(eta_lo: Fraction, eta_hi: Fraction) -> ExceptionalStarts:
    """The exact exceptional starts: ``(3/5, 3/5)`` at ``eta = 25/24`` goes to ``(1, 1)``; starts on
    ``x y = 1`` stay (``(1/2, 2)``, ``(4/5, 5/4)``, ``(1, 1)`` at ``eta_lo``); ``(1, 1 + 1/eta_lo)`` goes
    onto ``x + y = 0``; and the diagonal exception ``r`` over ``[eta_lo, eta_hi]``.

    >>> exceptional_starts(Fraction(27, 25), Fraction(11, 10)).anti[2]
    (Fraction(-25, 27), Fraction(25, 27))
    >>> exceptional_starts(1.08, Fraction(11, 10))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: eta_lo: expected exact text, ..., got float 1.08 (write '1.08' or Fraction(27, 25))
    """
    from .xy import exact_xy_orbit, xy_landing

    eta_lo, eta_hi = _q(eta_lo, "eta_lo"), _q(eta_hi, "eta_hi")
    landings = []
    facts = [("GD factors as s' = s (1 - eta e), d' = d (1 + eta e); D' = D (1 - eta^2 e^2) (sympy)", factored_step())]
    for eta, x0, y0 in ((Fraction(25, 24), Fraction(3, 5), Fraction(3, 5)), (eta_lo, Fraction(1, 2), Fraction(2)),
                        (eta_lo, Fraction(4, 5), Fraction(5, 4)), (eta_lo, Fraction(1), Fraction(1))):
        c = xy_landing(eta, x0, y0)
        ok = c is not None and c.proved
        facts.append((f"at eta = {eta}, ({x0}, {y0}) lands exactly on x y = 1 and stays (exact rationals)", ok))
        if c is not None:
            landings.append((eta, (x0, y0), c.orbit))
    start = (Fraction(1), 1 + 1 / eta_lo)
    image = exact_xy_orbit(eta_lo, *start, 1)[1]
    facts.append((f"at eta = {eta_lo}, ({start[0]}, {start[1]}) maps onto x + y = 0 (exact)", image[0] + image[1] == 0))
    x, y, eta = sp.symbols("x y eta")
    # the polynomials x_n y_n - 1 and x_n + y_n are not zero: their values at the fixed points (0, 0) and (1, 1)
    g = lambda p: (p[0] - eta * (p[0] * p[1] - 1) * p[1], p[1] - eta * (p[0] * p[1] - 1) * p[0])  # noqa: E731
    fixed = all(sp.expand(v - w) == 0 for p in ((0, 0), (1, 1)) for v, w in zip(g(p), p, strict=True))
    facts.append(("(0, 0) and (1, 1) are fixed points, so each G^-n of x y = 1 and of x + y = 0 is a curve (measure zero)",
                  bool(fixed)))
    r = lambda e: (math.sqrt(1 + 4 / float(e)) - 1) / 2  # noqa: E731
    return ExceptionalStarts(tuple(landings), (eta_lo, start, image), (r(eta_hi), r(eta_lo)), tuple(facts))


# ---------------------------------------------------------------------------------------------
# The theorem.


@dataclass(frozen=True)
class XYRegionTheorem:
    """For every ``eta`` in ``[eta_lo, eta_hi]``, every start in the union of the ``cover``'s proved
    boxes converges to the balanced 2-cycle ``x = y = delta_i`` (so ``D = x^2 - y^2 -> 0``):
    ``verdict`` ``holds`` when the identity, the ``cycle``, the ``trapping`` lemma and at least one
    proved box stand; ``undecided`` otherwise (then nothing is claimed).  The rest of the
    rectangle is not proved (the float grid of ``xy.balancing`` is the evidence there), and the
    ``exceptions`` are exact.

    >>> t = xy_region_theorem("27/25", "109/100", ("3/4", "7/8", "3/4", "7/8"), initial=2, max_depth=1)
    >>> t.to_dict()["rigor"], "converges to the balanced 2-cycle" in t.statement
    ('certified', True)
    """

    eta_lo: Fraction
    eta_hi: Fraction
    identity: bool
    cycle: CycleEnclosure
    trapping: TrappingLemma
    cover: CoverResult
    exceptions: ExceptionalStarts

    @property
    def proved(self) -> bool:
        return (self.identity and self.cycle.certified and self.trapping.verdict is Verdict.HOLDS
                and bool(self.cover.proved))

    @property
    def verdict(self) -> Verdict:
        return Verdict.HOLDS if self.proved else Verdict.UNDECIDED

    @property
    def proved_fraction(self) -> Fraction:
        return self.cover.proved_area if self.proved else Fraction(0)

    @property
    def statement(self) -> str:
        x0, x1, y0, y1 = self.cover.region
        return (f"for every eta in [{self.eta_lo}, {self.eta_hi}] and every start in the union of the {len(self.cover.proved)} "
                f"proved boxes ({float(self.proved_fraction):.1%} of [{x0}, {x1}] x [{y0}, {y1}]), GD on (x y - 1)^2/2 "
                "converges to the balanced 2-cycle x = y = delta_i (so x^2 - y^2 -> 0)")

    def to_dict(self) -> dict:
        return {"eta": [str(self.eta_lo), str(self.eta_hi)], "verdict": self.verdict, "proved": self.proved,
                "statement": self.statement, "identity": self.identity, "cycle": self.cycle.to_dict(),
                "trapping": self.trapping.to_dict(), "cover": self.cover.to_dict(), "exceptions": self.exceptions.to_dict(),
                "not_proved_note": "the rest of the rectangle is not proved; the float64 grid of xy.balancing is evidence there",
                "rigor": Rigor.CERTIFIED if self.proved else Rigor.NONE}

    def to_markdown(self) -> str:
        t, c = self.trapping, self.cover
        lines = [f"**Theorem ({'proved' if self.proved else 'NOT proved'}, rigor {self.to_dict()['rigor']}).** {self.statement}.", "",
                 f"- identity s' = s (1 - eta e), d' = d (1 + eta e), D' = D (1 - eta^2 e^2): "
                 f"{'proved (sympy)' if self.identity else 'NOT proved'}",
                 f"- cycle (Krawczyk, eta a ball): delta_0 in {self.cycle.delta[0].str(8, radius=True)}, "
                 f"delta_1 in {self.cycle.delta[1].str(8, radius=True)}: {'certified' if self.cycle.certified else 'NOT certified'}",
                 f"- trapping: N_i = [c_i +- rho_i] x [+- sigma_i] in (s, d), c = ({t.centre[0]:.6f}, {t.centre[1]:.6f}), "
                 f"rho = ({t.rho[0]:.4g}, {t.rho[1]:.4g}), sigma = ({t.sigma[0]:.4g}, {t.sigma[1]:.4g}); G(N_0) ⊂ N_1, "
                 f"G(N_1) ⊂ N_0: {t.maps_into}; L_0 L_1 <= {t.contraction:.4g}; |d| shrinks by <= {t.q_d:.4g}, |D| by "
                 f"<= {t.q_D:.4g} every two steps (3 - 2 eta at the cycle): {t.verdict}" + (f" ({t.reason})" if t.reason else ""),
                 f"- cover: {c.initial} x {c.initial} boxes, depth <= {c.max_depth}, n_max = {c.n_max}: {len(c.proved)} proved "
                 f"({float(c.proved_area):.2%} of the area; x, y > 0 along the orbit certified on {float(c.positive_area):.2%}, "
                 f"|D| non-increasing at every step on {float(c.monotone_area):.2%}), {len(c.not_proved)} not proved, "
                 f"{c.evaluations} evaluations, at most {c.steps} steps",
                 "- not proved: " + ("; ".join(f"{n} {why}" for why, n in sorted(c.reasons().items())) or "none")
                 + " (the float grid of xy.balancing is the evidence there)",
                 f"- exceptional set ({'proved' if self.exceptions.proved else 'NOT proved'}): {self.exceptions.description}"]
        lines += [f"  - at eta = {e}: ({s[0]}, {s[1]}) -> ({o[-1][0]}, {o[-1][1]}) exactly" for e, s, o in self.exceptions.landings]
        a = self.exceptions.anti
        lines.append(f"  - at eta = {a[0]}: ({a[1][0]}, {a[1][1]}) -> ({a[2][0]}, {a[2][1]}) on x + y = 0, exactly")
        return "\n".join(lines) + "\n"


def xy_region_theorem(eta_lo: str | int | Fraction = DEFAULT_ETA[0], eta_hi: str | int | Fraction = DEFAULT_ETA[1],
                      region: Sequence = DEFAULT_REGION, initial: int = 8, max_depth: int = 4, n_max: int = 200,
                      max_boxes: int = 20000) -> XYRegionTheorem:
    """The theorem for every ``eta`` in ``[eta_lo, eta_hi]`` on the rectangle ``region``
    (``(x_lo, x_hi, y_lo, y_hi)``, ``x, y > 0``), with the cover's ``initial``, ``max_depth``,
    ``n_max`` and ``max_boxes`` (see :func:`region_cover`).

    >>> t = xy_region_theorem("109/100", "11/10", ("4/5", "17/20", "4/5", "17/20"), initial=1, max_depth=1, n_max=50, max_boxes=9)
    >>> t.proved, t.cover.evaluations <= 9
    (True, True)
    >>> xy_region_theorem("109/100", "11/10", ("-1", "1", "4/5", "17/20"))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: region is (x_lo, x_hi, y_lo, y_hi) with x_lo, y_lo > 0
    """
    lo, hi = _q(eta_lo, "eta_lo"), _q(eta_hi, "eta_hi")
    if not 0 < lo <= hi:
        raise InputError("need 0 < eta_lo <= eta_hi")
    rect = tuple(_q(v, f"region[{i}]") for i, v in enumerate(region))
    if len(rect) != 4 or rect[0] <= 0 or rect[2] <= 0:
        raise InputError("region is (x_lo, x_hi, y_lo, y_hi) with x_lo, y_lo > 0")
    trap = trapping_lemma(lo, hi)
    cycle = diagonal_cycle(lo, hi)
    cover = region_cover(trap, lo, hi, rect, initial, max_depth, n_max, max_boxes)
    return XYRegionTheorem(lo, hi, factored_step(), cycle, trap, cover, exceptional_starts(lo, hi))
