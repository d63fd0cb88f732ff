"""The quartic basin theorem, proved by computer over boxes in ``(x0, eta)`` (issue 15, item 2).

GD on ``f(x) = (x^2 - 1)^2/4`` is ``F(x) = (1 + eta) x - eta x^3``.  **Theorem.** For every ``eta``
in ``[eta_lo, eta_hi]`` (``1 < eta_lo``; by default ``[101/100, 112/100]``) and every ``x0`` in
``(0, 1)`` outside ``E = union_n F^-n({1})``, the GD orbit converges to the 2-cycle ``{p, q}``,
``p < 1 < q``; the orbit of a point of ``E`` lands exactly on the minimum 1 and stays there.

The proof (``docs/proofs.md`` states it in full) has an exact part, shared by every ``eta``
(:func:`exact_lemmas`: identities in ``Q[x, eta]`` checked with sympy), and a certified part per
eta-box ``H`` (every inequality is a python-flint ball evaluated with ``eta`` the ball ``H``, so
it holds for every ``eta`` in ``H``, never at sample points), by one of two routes:

* ``monotone`` (:func:`monotone_box`, below the superstable point ``-1 + 3 sqrt(2)/2``): on
  ``J = [a, b]`` with ``c < a < p``, ``q < b``, ``M <= b`` (``c`` the critical point, ``M = F(c)``)
  ``F^2`` is increasing, so orbits in ``J`` move monotonically to ``p`` or ``q`` (or sit at 1);
  orbits from ``(0, c]`` climb (``F(x) > x``) into ``J``.  No cells are needed.
* ``trapping`` (:func:`trapping_box`, any box where the 2-cycle attracts): a contracting trapping
  neighbourhood ``N`` of the cycle, an interval ``J`` around 1 where ``F^2`` is increasing and
  pushes points away from 1, monotone escape from ``(0, r]``, and a cover of ``[r, M]`` by
  x-cells, each proved to map into what is already proved (a well-founded order).

>>> t = basin_theorem("21/20", "106/100")
>>> t.status, t.proved, len(t.boxes) >= 1, t.boxes[0].route
('proved', True, True, 'monotone')
>>> t.exceptional.points[0].closed_form
'(sqrt(1 + 4/eta) - 1)/2'
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Sequence

import sympy as sp
from flint import arb, arb_series, ctx, fmpq

from ..core import arguments
from ..core.decide import ball_sign
from ..core.numbers import enclosure_text, upper_text
from ..core.progress import Progress
from ..core.vocabulary import ProofRoute, ProofStatus, Rigor
from ..linalg.krawczyk import krawczyk
from ..errors import InputError

__all__ = [
    "interval_ball",
    "cycle_piece",
    "DEFAULT_ETA_LO",
    "DEFAULT_ETA_HI",
    "Lemma",
    "EtaBox",
    "ExceptionalPoint",
    "ExceptionalDescription",
    "BasinTheorem",
    "exact_lemmas",
    "monotone_box",
    "trapping_box",
    "exceptional_description",
    "lands_on_minimum",
    "basin_theorem",
]

DEFAULT_ETA_LO = "101/100"
DEFAULT_ETA_HI = "112/100"
#: sqrt(5) - 1 ~ 1.23607, where the 2-cycle period-doubles: the thorough scan stops below it.
_CAP = Fraction(1236, 1000)
_PREC = 128
#: Widest eta-box tried.
_WIDTH = Fraction(1, 100)
#: The narrowest eta-box tried: where a route needs narrower boxes the scan stops (the thorough reach).
_MIN_WIDTH = Fraction(1, 20000)
#: The near-0 escape interval (0, r].
_R = Fraction(1, 16)

_X, _ETA = sp.symbols("x eta")


# ---------------------------------------------------------------------------------------------
# The map on balls (eta a ball: every bound holds for every eta in it).


# eta occurs once in each form, so a ball eta costs no dependency overestimate.
def _F(x: Any, e: Any) -> Any:
    return x + e * (x - x * x * x)


def _dF(x: Any, e: Any) -> Any:
    return 1 + e * (1 - 3 * x * x)


def _P(x: Any, e: Any) -> Any:
    """``P = eta^2 x^4 - (eta^2 + eta) x^2 + 1``, whose roots in ``(0, 2)`` are ``p`` and ``q``."""
    s = x * x
    return e * e * s * s - (e * e + e) * s + 1


def _image(x: arb, e: arb) -> arb:
    """``F(X)`` over the ball ``X`` and every ``eta`` in ``e``: the mean-value form
    ``F(m) + F'(X)(X - m)`` intersected with the direct evaluation (both enclose it)."""
    m = arb(x.mid())
    return (_F(m, e) + _dF(x, e) * (x - m)).intersection(_F(x, e))


def _over(phi: Callable, lo: Fraction, hi: Fraction) -> arb:
    """``{phi(eta) : eta in [lo, hi]}`` enclosed: the mean-value form in eta (``phi'`` over the box by
    automatic differentiation, ``arb_series``) intersected with the direct evaluation."""
    e, m = interval_ball(lo, hi), _q((lo + hi) / 2)
    slope = phi(arb_series([e, 1], prec=2))[1]
    return (phi(m) + slope * (e - m)).intersection(phi(e))


def interval_ball(lo: Fraction, hi: Fraction) -> arb:
    """A ball holding the closed interval ``[lo, hi]`` (``lo``, ``hi`` exact rationals).

    >>> interval_ball(Fraction(1), Fraction(2)).contains(arb(3) / 2)
    True
    """
    return arb(fmpq(lo.numerator, lo.denominator)).union(arb(fmpq(hi.numerator, hi.denominator)))


def _q(v: Fraction) -> arb:
    return arb(fmpq(v.numerator, v.denominator))


def _below(x: arb, bits: int = 40) -> Fraction:
    """A dyadic rational at most every number of ``x`` (a choice; what is proved uses it exactly)."""
    v = Fraction(math.floor(float(x.lower()) * 2**bits) - 1, 2**bits)
    return v if _q(v) <= x.lower() else v - Fraction(1, 2**bits) * 4


def _above(x: arb, bits: int = 40) -> Fraction:
    """A dyadic rational at least every number of ``x``."""
    v = Fraction(math.ceil(float(x.upper()) * 2**bits) + 1, 2**bits)
    return v if _q(v) >= x.upper() else v + Fraction(1, 2**bits) * 4


def _sign_text(ball: arb, want: int, what: str) -> tuple[bool, str]:
    """(``ball`` certainly has sign ``want``, evidence)."""
    return ball_sign(ball) == want, f"{what} in {enclosure_text(ball, 8)}"


def _hull(x: arb, digits: int) -> str:
    """``[lower, upper]`` of the ball, rounded outward (``upper_text`` rounds up; the lower end is
    the negated upper bound of ``-x``)."""
    low = upper_text(-arb(x.lower()), digits)
    low = low[1:] if low.startswith("-") else ("0" if low == "0" else "-" + low)
    return f"[{low}, {upper_text(arb(x.upper()), digits)}]"


def _interval_text(lo: Fraction, hi: Fraction) -> str:
    return f"[{float(lo):.10g}, {float(hi):.10g}]"


# ---------------------------------------------------------------------------------------------
# The exact part.


@dataclass(frozen=True)
class Lemma:
    """One step of the proof: its ``name``, the ``statement``, whether it ``holds`` (exact or
    certified), and the ``evidence`` (an identity, or the ball that decides the inequality).

    >>> Lemma("L", "1 > 0", True, "exact").to_dict()["holds"]
    True
    """

    name: str
    statement: str
    holds: bool
    evidence: str

    def to_dict(self) -> dict:
        return {"name": self.name, "statement": self.statement, "holds": self.holds, "evidence": self.evidence}


def _Fs(x: sp.Expr) -> sp.Expr:
    return (1 + _ETA) * x - _ETA * x**3


@functools.cache
def exact_lemmas() -> tuple[Lemma, ...]:
    """The identities in ``Q[x, eta]`` the proof rests on, each checked by sympy (``expand(lhs - rhs) == 0``).

    ``F(x) - x = eta x (1 - x^2)``; ``F(x) - 1 = -(x - 1)(eta x^2 + eta x - 1)``;
    ``F(F(x)) - x = eta x (1 - x)(1 + x)(eta + 2 - eta x^2) P``; ``P`` as a quadratic in ``x^2`` has
    discriminant ``eta^2 (eta + 3)(eta - 1)``; ``F' = 1 + eta - 3 eta x^2`` and ``F(c) = 2 (1 + eta) c/3``.

    >>> all(lemma.holds for lemma in exact_lemmas()), len(exact_lemmas())
    (True, 5)
    """
    x, e = _X, _ETA
    F = _Fs(x)
    P = e**2 * x**4 - (e**2 + e) * x**2 + 1
    s = sp.Symbol("s")
    c = sp.sqrt((1 + e) / (3 * e))
    checks = (
        ("E1", "F(x) - x = eta x (1 - x)(1 + x): F(x) > x on (0, 1)", F - x - e * x * (1 - x) * (1 + x)),
        ("E2", "F(x) - 1 = -(x - 1)(eta x^2 + eta x - 1): F(x) = 1 iff x = 1 or x = (-1 +- sqrt(1 + 4/eta))/2",
         F - 1 + (x - 1) * (e * x**2 + e * x - 1)),
        ("E3", "F(F(x)) - x = eta x (1 - x)(1 + x)(eta + 2 - eta x^2) P(x, eta), P = eta^2 x^4 - (eta^2 + eta) x^2 + 1",
         _Fs(F) - x - e * x * (1 - x) * (1 + x) * (e + 2 - e * x**2) * P),
        ("E4", "P = eta^2 s^2 - (eta^2 + eta) s + 1 (s = x^2) has discriminant eta^2 (eta + 3)(eta - 1): for eta > 1 "
               "two roots 0 < p^2 < 1 < q^2 (P(1) = 1 - eta < 0 < P(0)), P < 0 exactly between them",
         sp.discriminant(e**2 * s**2 - (e**2 + e) * s + 1, s) - e**2 * (e + 3) * (e - 1) + (P.subs(x, 1) - (1 - e))),
        ("E5", "F'(x) = 1 + eta - 3 eta x^2 (F increases on [0, c], decreases on [c, oo), c = sqrt((1 + eta)/(3 eta))) and "
               "M = F(c) = 2 (1 + eta) c / 3",
         sp.diff(F, x) - (1 + e - 3 * e * x**2) + sp.simplify(F.subs(x, c) - 2 * (1 + e) * c / 3)),
    )
    return tuple(Lemma(name, text, sp.expand(value) == 0, "sympy: expand(lhs - rhs) == 0") for name, text, value in checks)


# ---------------------------------------------------------------------------------------------
# One eta-box.


@dataclass(frozen=True)
class EtaBox:
    """The proof on one eta-box ``[lo, hi]``: the ``route`` that proved it (None when refused),
    its ``lemmas``, the Krawczyk enclosures ``cycle`` of ``(p, q)``, the number of x-``cells``
    and the largest number of steps ``max_n`` a cell needed, the ``reason`` of a refusal, and the
    ``sets`` the proof used (``J``, ``N``, ``r``: rational endpoints, as text).

    >>> b = monotone_box(Fraction(21, 20), Fraction(53, 50))
    >>> b.proved, b.route, b.cells, b.reason
    (True, 'monotone', 0, None)
    """

    lo: Fraction
    hi: Fraction
    route: ProofRoute | None
    lemmas: tuple[Lemma, ...]
    cycle: tuple[str, str] | None = None
    cells: int = 0
    max_n: int = 0
    reason: str | None = None
    sets: dict = field(default_factory=dict, compare=False)

    @property
    def proved(self) -> bool:
        return self.route is not None and all(lemma.holds for lemma in self.lemmas)

    def to_dict(self) -> dict:
        return {"eta": [str(self.lo), str(self.hi)], "route": self.route, "proved": self.proved,
                "cycle": None if self.cycle is None else list(self.cycle), "cells": self.cells, "max_n": self.max_n,
                "sets": dict(self.sets), "lemmas": [lemma.to_dict() for lemma in self.lemmas], "reason": self.reason}


def _refuse(lo: Fraction, hi: Fraction, lemmas: list[Lemma], **extra: object) -> EtaBox:
    failed = next(lemma for lemma in lemmas if not lemma.holds)
    return EtaBox(lo, hi, None, tuple(lemmas), reason=f"{failed.name} not certified: {failed.statement} ({failed.evidence})",
                  **extra)  # type: ignore[arg-type]


class _CycleSystem:
    """``F(x0) - x1 = 0, F(x1) - x0 = 0`` with ``eta`` the ball ``H``: a parametric Krawczyk system."""

    def __init__(self, e: arb) -> None:
        self.e = e

    def residual(self, v: Sequence[arb], prec: int) -> list[arb]:
        return [_F(v[0], self.e) - v[1], _F(v[1], self.e) - v[0]]

    def jacobian(self, v: Sequence[arb], prec: int) -> list[list[arb]]:
        return [[_dF(v[0], self.e), arb(-1)], [arb(-1), _dF(v[1], self.e)]]


def _cycle_lemma(lo: Fraction, hi: Fraction, e: arb, prec: int) -> tuple[Lemma, tuple[arb, arb] | None]:
    """Parametric Krawczyk for the 2-cycle: the box is split into at most 2^6 eta-pieces; on each,
    for every eta in it there is exactly one zero of the cycle system in the piece's box ``X``
    (built around the closed form ``p^2, q^2 = ((1 + eta) -+ sqrt((eta + 3)(eta - 1)))/(2 eta)``,
    a guess only: Krawczyk proves).  The enclosure of ``(p, q)`` over the box is the hull."""
    statement = "parametric Krawczyk: for every eta in the box, exactly one 2-cycle (p, q) in a certified box X"
    if lo <= 1:
        return Lemma("K", statement, False, "eta <= 1 in the box: no 2-cycle (P has no root in (0, 1))"), None
    hull: list[arb] | None = None
    pieces = [(lo, hi, 0)]
    while pieces:
        a, b, depth = pieces.pop()
        found = cycle_piece(a, b, prec)
        if found is None:
            if depth >= 6:
                return Lemma("K", statement, False, f"K(X) not inside X on [{a}, {b}] (the cycle degenerates)"), None
            mid = (a + b) / 2
            pieces += [(a, mid, depth + 1), (mid, b, depth + 1)]
            continue
        hull = list(found) if hull is None else [h.union(f) for h, f in zip(hull, found, strict=True)]
    assert hull is not None
    p, q = hull
    return Lemma("K", statement, True, f"p in {_hull(p, 10)}, q in {_hull(q, 10)}"), (p, q)


def _closed_form(e: arb) -> list[arb]:
    """``p, q`` at a point ``eta`` from ``p^2, q^2 = ((1 + eta) -+ sqrt((eta + 3)(eta - 1)))/(2 eta)`` (exact identity E4)."""
    root = ((e + 3) * (e - 1)).sqrt()
    return [(((1 + e) + sgn * root) / (2 * e)).sqrt() for sgn in (-1, 1)]


def cycle_piece(lo: Fraction, hi: Fraction, prec: int) -> tuple[arb, arb] | None:
    """Enclosures of the 2-cycle ``(p, q)`` of ``F(x) = (1 + eta) x - eta x^3`` valid for every eta
    in ``[lo, hi]``, by a parametric Krawczyk test at ``prec`` bits (eta a ball): exactly one 2-cycle
    lies in the box for each such eta; None when the test fails.  Call it at ``ctx.workprec(prec)``.

    >>> with ctx.workprec(64):
    ...     p, q = cycle_piece(Fraction(109, 100), Fraction(11, 10), 64)
    ...     wide = cycle_piece(Fraction(27, 25), Fraction(11, 10), 64)  # too wide for one box: split it
    >>> 0.81 < float(p.mid()) < 0.84 < 1.1 < float(q.mid()) < 1.12, wide
    (True, None)
    """
    # The guess is the hull of the closed form at the two ends (tight point balls); only Krawczyk proves.
    ends = [_closed_form(_q(v)) for v in (lo, hi)]
    if not all(g.is_finite() for end in ends for g in end):
        return None
    hull = [ends[0][i].union(ends[1][i]) for i in range(2)]
    e = interval_ball(lo, hi)
    for scale in (4, 16, 64):
        box = [arb(g.mid(), scale * g.rad() + arb(2) ** -60) for g in hull]
        k = krawczyk(_CycleSystem(e), box, prec)
        if k.certified:
            # The zero is unique in the first box; a certified smaller box only tightens its enclosure.
            for _ in range(4):
                tighter = krawczyk(_CycleSystem(e), k.enclosure, prec)
                if not tighter.certified:
                    break
                k = tighter
            return k.enclosure[0], k.enclosure[1]
    return None


def _eta_lemma(lo: Fraction) -> Lemma:
    return Lemma("H", "eta > 1 on the box (the 2-cycle exists: P has the roots p^2 < 1 < q^2)", lo > 1, f"eta >= {lo}")


def _positivity_lemma(lo: Fraction, hi: Fraction) -> Lemma:
    ok, ev = _sign_text(_over(lambda e: 1 + 1 / e - _M(e) ** 2, lo, hi), 1, "(1 + eta)/eta - M^2")
    return Lemma("I", "M = F(c) < sqrt((1 + eta)/eta), the positive zero of F: F maps (0, M] into (0, M], so orbits "
                      "from (0, 1) stay in (0, M] and never reach the fixed points 0 or -1", ok, ev)


def _c(e: Any) -> Any:
    return (1 / (3 * e) + arb(1) / 3).sqrt()


def _M(e: Any) -> Any:
    return 2 * (1 + e) * _c(e) / 3


def _critical(lo: Fraction, hi: Fraction) -> tuple[arb, arb]:
    """The critical point ``c`` and the maximum ``M = F(c)`` over the box."""
    return _over(_c, lo, hi), _over(_M, lo, hi)


def monotone_box(lo: Fraction, hi: Fraction, a: Fraction | None = None, b: Fraction | None = None, prec: int = _PREC) -> EtaBox:
    """The ``monotone`` route on ``[lo, hi]``: ``J = [a, b]`` (chosen when not given) with
    ``F' < 0`` on ``J`` and on ``F(J)`` (so ``F^2`` increases on ``J``), ``a < p``, ``q < b``,
    ``M <= b``.  Then every orbit from ``(0, 1)`` enters ``J`` and converges monotonically (under
    ``F^2``) to ``p`` or ``q``, unless it is at 1.  Balls are evaluated at ``prec`` bits.

    >>> monotone_box(Fraction(11, 10), Fraction(111, 100)).proved
    True
    >>> monotone_box(Fraction(11, 10), Fraction(111, 100), a=Fraction(1, 2)).reason[:40]
    "J1 not certified: c < a, so F' < 0 on J "
    """
    lemmas = [_eta_lemma(lo)]
    if not lemmas[0].holds:
        return _refuse(lo, hi, lemmas)
    with ctx.workprec(prec):
        e = interval_ball(lo, hi)
        k, cycle = _cycle_lemma(lo, hi, e, prec)
        lemmas.append(k)
        if cycle is None:
            return _refuse(lo, hi, lemmas)
        c, M = _critical(lo, hi)
        if a is None:
            a = _below((c.upper() + cycle[0].lower()) / 2)
        if b is None:
            b = _above(M + arb(2) ** -30)
        A, B = _q(a), _q(b)
        checks = [
            ("J1", f"c < a, so F' < 0 on J = {_interval_text(a, b)} (F' decreases on x > 0)", _dF(A, e), -1, "F'(a)"),
            ("J2", "a < p: P(a) > 0 with a < 1 (P > 0 exactly below p^2 on [0, 1])",
             _over(lambda v: _P(A, v), lo, hi) if a < 1 else arb(-1), 1, "P(a)"),
            ("J3", "q < b: P(b) > 0 with b > 1", _over(lambda v: _P(B, v), lo, hi) if b > 1 else arb(-1), 1, "P(b)"),
            ("J4", "M <= b: J holds (c, M] beyond a, and F((c, a)) is in [F(a), M] (F(a) > a, a < 1), inside J",
             _over(lambda v: B - _M(v), lo, hi), 1, "b - M"),
            ("J5", "F(b) > c, so F' < 0 on F(J) = [F(b), F(a)]: (F^2)' = F'(x) F'(F(x)) > 0 on J",
             _over(lambda v: _dF(_F(B, v), v), lo, hi), -1, "F'(F(b))"),
            ("J6", "b^2 < (eta + 2)/eta: the factor eta + 2 - eta x^2 of F^2(x) - x is > 0 on J", e + 2 - e * B * B, 1,
             "eta + 2 - eta b^2"),
        ]
        for name, statement, ball, want, what in checks:
            ok, ev = _sign_text(ball, want, what)
            lemmas.append(Lemma(name, statement, ok, ev))
        lemmas.append(_positivity_lemma(lo, hi))
        texts = (_hull(cycle[0], 10), _hull(cycle[1], 10))
        sets = {"J": [str(a), str(b)], "c": _hull(c, 8), "M": _hull(M, 8)}
    if not all(lemma.holds for lemma in lemmas):
        return _refuse(lo, hi, lemmas, cycle=texts, sets=sets)
    return EtaBox(lo, hi, ProofRoute.MONOTONE, tuple(lemmas), texts, 0, 0, None, sets)


# ---------------------------------------------------------------------------------------------
# The trapping route: a cover by cells.


class _Union:
    """A union of closed intervals with rational endpoints (merged, sorted): what is proved so far."""

    def __init__(self) -> None:
        self.parts: list[list[Fraction]] = []

    def add(self, lo: Fraction, hi: Fraction) -> None:
        parts = sorted(self.parts + [[lo, hi]])
        merged: list[list[Fraction]] = []
        for p in parts:
            if merged and p[0] <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], p[1])
            else:
                merged.append(list(p))
        self.parts = merged

    def covers(self, lo: Fraction, hi: Fraction) -> bool:
        """``[lo, hi]`` lies in one closed interval of the union (exact rationals)."""
        return any(a <= lo and hi <= b for a, b in self.parts)

    def holds(self, x: arb) -> bool:
        """Every number of the ball ``x`` lies in one closed interval of the union (decided on balls)."""
        if not x.is_finite():
            return False
        lo = x.lower()
        for a, b in self.parts:
            if _q(a) <= lo:
                if x.upper() <= _q(b):
                    return True
            else:
                return False
        return False


def _find_trap(e: arb, cycle: tuple[arb, arb], given: tuple[Fraction, Fraction] | None
               ) -> tuple[Lemma, tuple[Fraction, Fraction] | None]:
    """The widest ``N = p ± 2^-k`` (or the ``given`` interval) with ``F^2(N) ⊂ N`` and
    ``sup |(F^2)'| <= sup |F'(N)| sup |F'(F(N))| < 1`` on it, ``0 < N < 1``."""
    statement = ("trapping neighbourhood N of p: F^2(N) ⊂ N, 0 < N < 1 and sup |(F^2)'| <= sup |F'(N)| sup |F'(F(N))| < 1: "
                 "F^2 contracts N, so every orbit in N converges under F^2 to its unique fixed point there, which is p "
                 "(E3, E4: the fixed points of F^2 in (0, 1) are p alone), and the orbit to the 2-cycle")
    p = cycle[0]
    candidates = [given] if given is not None else [(_below(p - rho), _above(p + rho)) for rho in (arb(2) ** -k for k in range(3, 34))]
    last = "no candidate"
    for a, b in candidates:
        N = interval_ball(a, b)
        FN = _image(N, e)
        lam = abs(_dF(N, e) * _dF(FN, e))
        m = arb(N.mid())
        GN = (_F(_F(m, e), e) + _dF(N, e) * _dF(FN, e) * (N - m)).intersection(_image(FN, e))
        ok = 0 < a and b < 1 and N.contains_interior(GN) and ball_sign(1 - lam) == 1
        last = f"N = {_interval_text(a, b)}: F^2(N) in {enclosure_text(GN, 8)}, sup |(F^2)'| <= {upper_text(lam, 4)}"
        if ok:
            return Lemma("T1", statement, True, last), (a, b)
    return Lemma("T1", statement, False, last), None


def _find_repeller(e: arb) -> tuple[Lemma, tuple[Fraction, Fraction, Fraction, Fraction] | None]:
    """``J = [1 - u, 1 + u]`` with ``F' < 0`` on ``J`` and ``F(J)`` (``F^2`` increasing), ``P < 0`` on
    ``J`` (so ``F^2(x) < x`` left of 1, ``> x`` right of it): every point of ``J`` but 1 leaves ``J``
    under ``F^2``, into ``[F^2(1 - u), 1 - u) ∪ (1 + u, F^2(1 + u)]``."""
    statement = ("J = [1 - u, 1 + u] around the repelling minimum: F' < 0 on J and on F(J), so F^2 increases on J; "
                 "P < 0 and eta + 2 - eta x^2 > 0 on J, so F^2(x) < x on [1 - u, 1) and F^2(x) > x on (1, 1 + u]; every "
                 "x != 1 in J leaves J under F^2 into the exit set [F^2(1 - u), 1 - u) ∪ (1 + u, F^2(1 + u)]")
    last = "no candidate"
    for k in range(3, 30):
        u = Fraction(1, 2**k)
        J = interval_ball(1 - u, 1 + u)
        FJ = _image(J, e)
        checks = [ball_sign(_dF(J, e)) == -1, ball_sign(_dF(FJ, e)) == -1, ball_sign(_P(J, e)) == -1, ball_sign(e + 2 - e * J * J) == 1]
        last = f"u = 2^-{k}: F'(J) in {enclosure_text(_dF(J, e), 6)}, F'(F(J)) in {enclosure_text(_dF(FJ, e), 6)}"
        if all(checks):
            g_lo = _F(_F(_q(1 - u), e), e)
            g_hi = _F(_F(_q(1 + u), e), e)
            lo_exit, hi_exit = _below(g_lo), _above(g_hi)
            ev = f"u = 1/{2**k}; exit set within [{float(lo_exit):.8g}, {float(1 - u):.8g}) ∪ ({float(1 + u):.8g}, {float(hi_exit):.8g}]"
            return Lemma("T2", statement, True, ev), (1 - u, 1 + u, lo_exit, hi_exit)
    return Lemma("T2", statement, False, last), None


def trapping_box(lo: Fraction, hi: Fraction, prec: int = _PREC, n_max: int = 400, max_cells: int = 4000,
                 trap: tuple[Fraction, Fraction] | None = None) -> EtaBox:
    """The ``trapping`` route on ``[lo, hi]``: a trapping neighbourhood ``N`` of the 2-cycle (or the
    given ``trap = (a, b)``), an interval ``J`` around 1 that every other point leaves,
    monotone escape from ``(0, r]``, and a cover of ``[r, M]`` by cells: a cell is proved when
    ``F^n(cell) ⊂`` what is proved already (``n <= n_max``); ``J`` is proved once its exit set is,
    ``(0, r]`` once ``[r, F(r)]`` is.  Cells are halved until all are proved or ``max_cells`` is reached;
    balls are evaluated at ``prec`` bits.

    >>> b = trapping_box(Fraction(113, 100), Fraction(1131, 1000))
    >>> b.proved, b.route, b.cells > 0
    (True, 'trapping', True)
    >>> trapping_box(Fraction(113, 100), Fraction(1131, 1000), trap=(Fraction(1, 2), Fraction(6, 10))).reason[:16]
    'T1 not certified'
    """
    lemmas = [_eta_lemma(lo)]
    if not lemmas[0].holds:
        return _refuse(lo, hi, lemmas)
    with ctx.workprec(prec):
        e = interval_ball(lo, hi)
        k, cycle = _cycle_lemma(lo, hi, e, prec)
        lemmas.append(k)
        if cycle is None:
            return _refuse(lo, hi, lemmas)
        texts = (_hull(cycle[0], 10), _hull(cycle[1], 10))
        c, M = _critical(lo, hi)
        lemmas.append(_positivity_lemma(lo, hi))
        t1, trapped = _find_trap(e, cycle, trap)
        lemmas.append(t1)
        t2, repeller = _find_repeller(e)
        lemmas.append(t2)
        if trapped is None or repeller is None or not lemmas[2].holds:
            return _refuse(lo, hi, lemmas, cycle=texts)
        r_image = _above(_F(_q(_R), e))
        escape = 1 + e * (1 - _q(_R) ** 2)
        ok, ev = _sign_text(escape - 1, 1, "F(x)/x - 1 >= eta (1 - r^2)")
        lemmas.append(Lemma("T3", f"monotone escape near 0: F(x) >= c x with c = 1 + eta (1 - r^2) > 1 on (0, r], r = {_R}, "
                                  f"and F(x) > x there, so every orbit leaves (0, r], into (r, F(r)] ⊂ (r, {float(r_image):.8g}]",
                            ok, ev))
        top = _above(M + arb(2) ** -30)
        proved, cells, max_n = _cover(e, trapped, repeller, r_image, top, n_max, max_cells)
        lemmas.append(Lemma("T4", f"cover of [r, M] ⊂ [{_R}, {float(top):.8g}] by cells: each cell C has F^n(C) inside N, J, "
                                  "(0, r] or cells proved before it (n <= n_max); J and (0, r] count once their exit sets are "
                                  "proved, so the order is well founded",
                            proved, f"{cells} cells, n <= {max_n}" if proved else f"not every cell proved within {max_cells} cells"))
        sets = {"N": [str(v) for v in trapped],
                "J": [str(repeller[0]), str(repeller[1])], "r": str(_R), "top": str(top)}
    if not all(lemma.holds for lemma in lemmas):
        return _refuse(lo, hi, lemmas, cycle=texts, cells=cells, sets=sets)
    return EtaBox(lo, hi, ProofRoute.TRAPPING, tuple(lemmas), texts, cells, max_n, None, sets)


def _cover(e: arb, trapped: tuple[Fraction, Fraction],
           repeller: tuple[Fraction, Fraction, Fraction, Fraction], r_image: Fraction, top: Fraction,
           n_max: int, max_cells: int) -> tuple[bool, int, int]:
    """(every cell of ``[r, top]`` proved, the number of cells, the largest ``n`` used)."""
    done = _Union()
    done.add(*trapped)
    j_lo, j_hi, exit_lo, exit_hi = repeller
    # J and (0, r] join only after their exit sets are proved without them: no circular step.
    before_j, j_in, zero_in = _Union(), False, False
    before_j.parts = [list(p) for p in done.parts]
    n0 = 64
    step = (top - _R) / n0
    pending = [(_R + i * step, _R + (i + 1) * step) for i in range(n0)]
    total, max_n = n0, 0
    min_width = (top - _R) / 2**16
    while pending:
        progress = False
        still = []
        for lo, hi in pending:
            x, n = interval_ball(lo, hi), None
            for k in range(n_max + 1):
                if k:
                    x = _image(x, e)
                if done.covers(lo, hi) if k == 0 else done.holds(x):
                    n = k
                    break
                if not x.is_finite() or x.rad() > 1:
                    break
            if n is None:
                still.append((lo, hi))
                continue
            done.add(lo, hi)
            if not j_in:
                before_j.add(lo, hi)
            max_n, progress = max(max_n, n), True
        pending = still
        if not j_in and before_j.covers(exit_lo, j_lo) and before_j.covers(j_hi, exit_hi):
            done.add(j_lo, j_hi)
            j_in = progress = True
        if not zero_in and done.covers(_R, r_image):
            done.add(Fraction(0), _R)
            zero_in = progress = True
        if pending and not progress:
            if total + len(pending) > max_cells or pending[0][1] - pending[0][0] < min_width:
                return False, total, max_n
            halves = []
            for lo, hi in pending:
                mid = (lo + hi) / 2
                halves += [(lo, mid), (mid, hi)]
            total += len(pending)
            pending = halves
    return j_in and zero_in, total, max_n


# ---------------------------------------------------------------------------------------------
# The exceptional set.


@dataclass(frozen=True)
class ExceptionalPoint:
    """The exceptional start ``r_n`` of generation ``n`` (``F^n(r_n) = 1``, ``F^k(r_n) < c`` for
    ``k < n``): the root in ``(0, 1)`` of ``polynomial`` (``q(F^(n-1)(x))``, ``q = eta x^2 + eta x - 1``,
    in ``x`` and ``eta``, of ``degree`` ``2 3^(n-1)`` in ``x``); at the rational ``sample_eta``: its ``minimal_polynomial`` over ``Q``, an
    isolating interval ``[lo, hi]`` and its decimal ``value``; ``closed_form`` when one is known.

    >>> p = exceptional_description("25/24", 2).points[0]
    >>> p.generation, p.minimal_polynomial, p.lo == p.hi == Fraction(3, 5)
    (1, '5*x - 3', True)
    """

    generation: int
    polynomial: str
    degree: int
    sample_eta: Fraction
    minimal_polynomial: str
    lo: Fraction
    hi: Fraction
    value: str
    closed_form: str | None = None

    def to_dict(self) -> dict:
        return {"generation": self.generation, "polynomial": self.polynomial, "degree": self.degree,
                "closed_form": self.closed_form, "sample_eta": str(self.sample_eta),
                "minimal_polynomial": self.minimal_polynomial, "interval": [str(self.lo), str(self.hi)], "value": self.value}


@dataclass(frozen=True)
class ExceptionalDescription:
    """``E ∩ (0, 1)`` on the monotone route: ``{r_1 > r_2 > ...}``, one point per generation,
    ``r_n -> 0``; the first ``points`` exactly (at a rational ``eta``, each root of its polynomial
    in ``(0, 1)`` is unique: ``count_roots`` exactly 1, checked: ``unique_roots``); ``statement`` says it in words.

    >>> d = exceptional_description("11/10", 1)
    >>> d.unique_roots, d.statement[:22], d.points[0].value[:6]
    (True, 'E ∩ (0, 1) = {r_1 > r_', '0.5766')
    """

    statement: str
    points: tuple[ExceptionalPoint, ...]
    unique_roots: bool

    def to_dict(self) -> dict:
        return {"statement": self.statement, "points": [p.to_dict() for p in self.points], "unique_roots": self.unique_roots}


_E_STATEMENT = ("E ∩ (0, 1) = {r_1 > r_2 > r_3 > ...} -> 0, one point per generation: r_1 = (sqrt(1 + 4/eta) - 1)/2 is the "
                "preimage of 1 in (0, c], r_(n+1) the preimage of r_n under the increasing branch F: (0, c] -> (0, M]; the orbit "
                "of r_n climbs through (0, c] and lands on 1 at step n (on the monotone route no other start in (0, 1) reaches 1; "
                "on the trapping route E is still union_n F^-n({1}), countable, and holds these points)")


@functools.cache
def exceptional_description(sample_eta: str = "25/24", generations: int = 3) -> ExceptionalDescription:
    """The first ``generations`` points of ``E ∩ (0, 1)``: polynomials in ``x, eta`` and, at
    ``sample_eta``, the exact algebraic numbers (minimal polynomial and isolating interval, sympy).

    >>> d = exceptional_description("25/24", 2)
    >>> d.unique_roots, d.points[1].minimal_polynomial
    (True, '125*x**3 - 245*x + 72')
    """
    eta = arguments.rational(sample_eta, "sample_eta")
    generations = arguments.positive_int(generations, "generations", 1, 4)
    if not 1 < eta < _CAP:
        raise InputError(f"`sample_eta` must lie in (1, {_CAP}) (got {eta})")
    x, e = _X, _ETA
    er = sp.Rational(eta.numerator, eta.denominator)
    inner = x
    points, unique = [], True
    for n in range(1, generations + 1):
        poly = sp.expand(e * inner**2 + e * inner - 1)
        at = sp.Poly(poly.subs(e, er), x)
        unique = unique and at.count_roots(0, 1) == 1
        factor = next(f for f, _ in sp.factor_list(at.as_expr(), x)[1] if sp.Poly(f, x).count_roots(0, 1) == 1)
        fpoly = sp.Poly(factor, x)
        fpoly = fpoly if fpoly.LC() > 0 else -fpoly
        (a, b), = [iv for iv, _ in fpoly.intervals() if 0 <= iv[0] and iv[1] <= 1 and not (iv[0] == iv[1] == 0)]
        while b - a > sp.Rational(1, 10**12):
            a, b = fpoly.refine_root(a, b, eps=sp.Rational(1, 10**12))
        root = next(r for r in fpoly.real_roots() if a <= r <= b) if a != b else sp.Rational(a)
        points.append(ExceptionalPoint(
            n, sp.sstr(sp.factor_terms(poly)) if n <= 2 else f"q(F^{n - 1}(x)) (degree {2 * 3 ** (n - 1)} in x)",
            2 * 3 ** (n - 1), eta, sp.sstr(fpoly.as_expr()), Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q)),
            sp.sstr(sp.N(root, 15)), "(sqrt(1 + 4/eta) - 1)/2" if n == 1 else None))
        inner = _Fs(inner)
    return ExceptionalDescription(_E_STATEMENT, tuple(points), bool(unique))


def lands_on_minimum(eta: str | Fraction, x0: str | Fraction, n: int) -> bool:
    """``F^n(x0) = 1`` in exact rationals at the learning rate ``eta`` (the check a shifted start must fail).

    >>> lands_on_minimum("25/24", "3/5", 1), lands_on_minimum("25/24", "601/1000", 1)
    (True, False)

    >>> lands_on_minimum("25/24", "3/5", 13)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: n: expected an integer in [1, 12], got 13
    """
    e, x = arguments.rational(eta, "eta"), arguments.rational(x0, "x0")
    for _ in range(arguments.positive_int(n, "n", 1, 12)):
        x = (1 + e) * x - e * x**3
    return x == 1


# ---------------------------------------------------------------------------------------------
# The theorem.


@dataclass(frozen=True)
class BasinTheorem:
    """The quartic basin theorem on ``[eta_lo, eta_hi]``: ``status`` (``proved`` or ``refused``
    with the ``reason``), the ``exact`` lemmas, the eta-``boxes`` and their proofs, the largest
    eta ``reach`` up to which ``[eta_lo, reach]`` is proved (the ``thorough`` scan goes on past
    ``eta_hi`` toward ``sqrt(5) - 1``), the ``exceptional`` set and the run time ``seconds``.

    >>> t = basin_theorem("11/10", "111/100")
    >>> t.to_dict()["status"], t.to_dict()["rigor"], t.cells
    ('proved', 'certified', 0)
    """

    eta_lo: Fraction
    eta_hi: Fraction
    thorough: bool
    status: ProofStatus
    exact: tuple[Lemma, ...]
    boxes: tuple[EtaBox, ...]
    reach: Fraction | None
    exceptional: ExceptionalDescription
    seconds: float
    reason: str | None = None

    statement = ("for every eta in [eta_lo, eta_hi] and every x0 in (0, 1) outside E = union_n F^-n({1}), GD on "
                 "(x^2 - 1)^2/4 converges to the 2-cycle {p, q}, p < 1 < q; the orbit of a point of E lands exactly on 1")

    @property
    def proved(self) -> bool:
        return self.status is ProofStatus.PROVED

    @property
    def cells(self) -> int:
        return sum(b.cells for b in self.boxes)

    @property
    def max_n(self) -> int:
        return max((b.max_n for b in self.boxes), default=0)

    @property
    def routes(self) -> dict[str, int]:
        out = {str(r): 0 for r in ProofRoute}
        for b in self.boxes:
            if b.route is not None:
                out[str(b.route)] += 1
        return out

    @property
    def summary(self) -> str:
        """One sentence: what is proved, or why not."""
        if not self.proved:
            return f"quartic basin theorem on [{self.eta_lo}, {self.eta_hi}] not proved: {self.reason}"
        reach = "" if not self.thorough or self.reach is None else f" (the thorough scan reaches eta = {self.reach})"
        return (f"proved for every eta in [{self.eta_lo}, {self.eta_hi}]{reach}: every x0 in (0, 1) outside the countable set "
                f"E = union_n F^-n({{1}}) converges to the 2-cycle ({len(self.boxes)} eta-boxes, {self.cells} cells, "
                f"n <= {self.max_n})")

    def to_dict(self) -> dict:
        return {"statement": self.statement, "eta_lo": str(self.eta_lo), "eta_hi": str(self.eta_hi), "thorough": self.thorough,
                "status": self.status, "rigor": Rigor.CERTIFIED if self.proved else Rigor.NONE, "reason": self.reason,
                "reach": None if self.reach is None else str(self.reach), "boxes_count": len(self.boxes),
                "routes": self.routes, "cells": self.cells, "max_n": self.max_n, "seconds": round(self.seconds, 3),
                "summary": self.summary, "exact_lemmas": [lemma.to_dict() for lemma in self.exact],
                "exceptional_set": self.exceptional.to_dict(), "boxes": [b.to_dict() for b in self.boxes]}

    def to_markdown(self) -> str:
        lines = [f"**Theorem** ({self.status}): {self.statement}, with [eta_lo, eta_hi] = [{self.eta_lo}, {self.eta_hi}].", "",
                 f"{self.summary}.", "", "Exact lemmas (sympy, for every eta):", ""]
        lines += [f"- {lemma.name}: {lemma.statement}: {'holds' if lemma.holds else 'FAILS'}" for lemma in self.exact]
        lines += ["", f"Exceptional set: {self.exceptional.statement}.", "",
                  "| n | polynomial in x, eta | at eta | minimal polynomial | r_n |", "|---|---|---|---|---|"]
        lines += [f"| {p.generation} | {_power(p.closed_form or p.polynomial)} | {p.sample_eta} | {_power(p.minimal_polynomial)} | "
                  f"{p.value} |" for p in self.exceptional.points]
        lines += ["", "| eta-box | route | cells | n | 2-cycle (p, q) |", "|---|---|---|---|---|"]
        shown = list(self.boxes) if len(self.boxes) <= 12 else list(self.boxes[:6]) + [None] + list(self.boxes[-5:])
        for b in shown:
            if b is None:
                lines.append(f"| ... {len(self.boxes) - 11} more ... | | | | |")
                continue
            cyc = "-" if b.cycle is None else f"{b.cycle[0]}, {b.cycle[1]}"
            lines.append(f"| [{b.lo}, {b.hi}] | {b.route or 'refused'} | {b.cells} | {b.max_n} | {cyc} |")
        if self.reason:
            lines += ["", f"Refused: {self.reason}"]
        return "\n".join(lines) + "\n"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _power(text: str) -> str:
    """``x**2`` as ``x^2`` (a Markdown table would read ``**`` as bold)."""
    return text.replace("**", "^")


def _prove_box(lo: Fraction, width: Fraction, end: Fraction, prec: int, n_max: int, max_cells: int) -> EtaBox:
    """The widest box ``[lo, lo + width / 2^k]`` (not past ``end``, not below :data:`_MIN_WIDTH`) that
    a route proves: the monotone route first (no cells, microseconds), then the trapping route.
    A refusal carries the reason of the narrowest box tried."""
    last = None
    while width >= _MIN_WIDTH or last is None:
        hi = min(lo + width, end)
        for route in (ProofRoute.MONOTONE, ProofRoute.TRAPPING):
            box = monotone_box(lo, hi, prec=prec) if route is ProofRoute.MONOTONE else trapping_box(lo, hi, prec, n_max, max_cells)
            if box.proved or not box.lemmas[0].holds:
                return box
            last = box
        width /= 2
    return last


def basin_theorem(eta_lo: str | Fraction = DEFAULT_ETA_LO, eta_hi: str | Fraction = DEFAULT_ETA_HI, thorough: bool = False,
                  prec: int = _PREC, n_max: int = 400, max_cells: int = 4000, sample_eta: str = "25/24",
                  progress: Progress | None = None) -> BasinTheorem:
    """Prove the quartic basin theorem for every eta in ``[eta_lo, eta_hi]``; with ``thorough``
    go on past ``eta_hi`` toward ``sqrt(5) - 1`` and report the largest eta proved (``reach``).
    Boxes are taken left to right, at most 1/100 wide, halved when a route does not certify; the
    first box that no route proves ends the scan (``refused`` when it lies inside ``[eta_lo, eta_hi]``).
    Balls are evaluated at ``prec`` bits; a cell may take ``n_max`` steps, a box ``max_cells`` cells;
    the exceptional points are given exactly at ``sample_eta``; ``progress(label, done, total)`` is
    called before each box.

    >>> basin_theorem("1/2", "99/100").reason[:35]
    'eta-box [1/2, 51/100]: H not certif'

    >>> basin_theorem("11/10", "101/100")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: `eta_lo` must be below `eta_hi` (got 11/10 and 101/100)
    """
    lo, hi = arguments.rational(eta_lo, "eta_lo"), arguments.rational(eta_hi, "eta_hi")
    if not lo < hi:
        raise InputError(f"`eta_lo` must be below `eta_hi` (got {lo} and {hi})")
    thorough = arguments.flag(thorough, "thorough")
    step = arguments.optional_callable(progress, "progress") or (lambda label, done, total: None)
    start = time.perf_counter()
    exact = exact_lemmas()
    end = max(hi, _CAP) if thorough else hi
    boxes: list[EtaBox] = []
    cur, reason, width = lo, None, _WIDTH
    while cur < end:
        step(f"eta-box at {float(cur):.6g}", int((cur - lo) * 1000), int((end - lo) * 1000))
        box = _prove_box(cur, width, end, prec, n_max, max_cells)
        if not box.proved:
            if cur < hi:
                reason = f"eta-box [{box.lo}, {box.hi}]: {box.reason}"
                boxes.append(box)
            break
        boxes.append(box)
        # Grow back after a halving, so that easy stretches are taken in wide boxes.
        width = min(_WIDTH, 2 * (box.hi - box.lo))
        cur = box.hi
    if not all(lemma.holds for lemma in exact):
        reason = "an exact lemma failed: " + next(lemma.name for lemma in exact if not lemma.holds)
    proved_boxes = [b for b in boxes if b.proved]
    reach = proved_boxes[-1].hi if proved_boxes and proved_boxes[0].lo == lo else None
    status = ProofStatus.PROVED if reason is None and reach is not None and reach >= hi else ProofStatus.REFUSED
    if status is ProofStatus.REFUSED and reason is None:
        reason = "the scan stopped before eta_hi"
    sample = sample_eta if 1 < arguments.rational(sample_eta, "sample_eta") < _CAP else "25/24"
    exceptional = exceptional_description(sample)
    step("done", 1, 1)
    return BasinTheorem(lo, hi, thorough, status, exact, tuple(boxes), reach, exceptional, time.perf_counter() - start, reason)
