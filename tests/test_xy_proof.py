"""The (x y - 1)^2/2 region theorem (symbolic_eos.paper.xy_proof): each lemma holds where it should
and refuses where it must (a trapping box too large or shifted, an eta-interval past sqrt(5) - 1,
a box meeting x y = 1 or the quartic's exceptional point); independent oracles: float64 and mpmath
GD from random starts in proved boxes reach the balanced 2-cycle (evidence; the proof is the
code), and the exceptional starts in exact Fractions."""

from __future__ import annotations

import json
import math
import random
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from symbolic_eos.paper import xy_proof
from symbolic_eos.paper.xy_proof import (MEETS_MINIMA, MEETS_QUARTIC, diagonal_cycle, exceptional_starts, factored_step,
                                         region_cover, trapping_lemma, xy_region_theorem)

LO, HI = Fraction(109, 100), Fraction(11, 10)
SMALL = ("3/4", "7/8", "3/4", "7/8")


@pytest.fixture(scope="module")
def lemma():
    return trapping_lemma(LO, HI)


@pytest.fixture(scope="module")
def theorem():
    # a rectangle around the cycle point (delta_0, delta_0) and across the diagonal
    return xy_region_theorem(LO, HI, ("7/10", "1", "7/10", "1"), initial=4, max_depth=3)


def _cycle(eta: float) -> tuple[float, float]:
    # independent: F(F(t)) = t, F(t) != t, t > 0, with F(t) = (1 + eta) t - eta t^3, by sympy
    t = sp.Symbol("t")
    F = lambda v: (1 + sp.Rational(eta)) * v - sp.Rational(eta) * v**3  # noqa: E731
    roots = sp.Poly(sp.cancel((F(F(t)) - t) / (F(t) - t)), t).nroots(n=30)
    pos = sorted(float(sp.re(r)) for r in roots if abs(sp.im(r)) < 1e-20 and sp.re(r) > 0 and abs(F(r) + r) > 1e-9)
    return pos[0], pos[1]


def test_the_factored_step_is_an_identity():
    assert factored_step()
    rng = random.Random(3)
    for _ in range(20):
        x, y, eta = (Fraction(rng.randint(-50, 50), rng.randint(1, 20)) for _ in range(3))
        e = x * y - 1
        x1, y1 = x - eta * e * y, y - eta * e * x
        assert (x1 + y1) / 2 == (x + y) / 2 * (1 - eta * e) and (x1 - y1) / 2 == (x - y) / 2 * (1 + eta * e)
        assert x1**2 - y1**2 == (x**2 - y**2) * (1 - eta**2 * e**2)


def test_the_cycle_enclosure_holds_the_cycle_at_every_sampled_eta():
    c = diagonal_cycle(LO, HI)
    assert c.certified
    for eta in (LO, (LO + HI) / 2, HI):
        d0, d1 = _cycle(float(eta))
        assert c.delta[0].contains(d0) and c.delta[1].contains(d1)
    assert float(c.delta[0].upper()) < float(c.delta[1].lower())


def test_the_trapping_lemma_holds_with_certified_bounds(lemma):
    assert str(lemma.verdict) == "holds" and not lemma.reason
    assert lemma.contraction < 1 and lemma.q_d < 1 and lemma.q_D < 1 and max(lemma.D_factors) <= 1
    # at the cycle the product of the two D factors is exactly 3 - 2 eta: the bound is at least that
    assert lemma.q_D >= 3 - 2 * float(HI)
    # independent: sampled points of N_0 go into N_1 and back (float64, a check of the lemma's boxes)
    (s0, d0), (s1, d1) = lemma.boxes()
    rng = random.Random(1)
    for _ in range(2000):
        eta = rng.uniform(float(LO), float(HI))
        s, d = rng.uniform(float(s0.lower()), float(s0.upper())), rng.uniform(-float(d0.rad()), float(d0.rad()))
        for target in ((s1, d1), (s0, d0)):
            e = s * s - d * d - 1
            s, d = s * (1 - eta * e), d * (1 + eta * e)
            assert float(target[0].lower()) <= s <= float(target[0].upper()) and abs(d) <= float(target[1].rad())


def test_a_trapping_box_too_large_is_refused(lemma):
    big = trapping_lemma(LO, HI, rho=(0.3, 0.2), sigma=(0.05, 0.05))
    assert str(big.verdict) == "undecided" and "⊄" in big.reason and big.to_dict()["rigor"] == "none"


def test_a_shifted_trapping_box_is_refused(lemma):
    for shift in (0.05, -0.05):
        moved = trapping_lemma(LO, HI, rho=lemma.rho, sigma=lemma.sigma, centre=(lemma.centre[0] + shift, lemma.centre[1]))
        assert str(moved.verdict) == "undecided" and "the cycle is not inside" in moved.reason
    # the lemma's own boxes pass the same check
    again = trapping_lemma(LO, HI, rho=lemma.rho, sigma=lemma.sigma, centre=lemma.centre)
    assert str(again.verdict) == "holds"


def test_past_sqrt5_minus_1_the_cycle_is_unstable_and_nothing_is_proved():
    lo, hi = Fraction(125, 100), Fraction(126, 100)
    assert float(lo) > math.sqrt(5) - 1
    assert diagonal_cycle(lo, hi).certified       # the cycle exists ...
    lem = trapping_lemma(lo, hi)
    assert str(lem.verdict) == "undecided"          # ... but no trapping contraction
    t = xy_region_theorem(lo, hi, SMALL, initial=1, max_depth=0)
    assert not t.proved and t.proved_fraction == 0 and str(t.verdict) == "undecided" and t.to_dict()["rigor"] == "none"


def test_a_box_meeting_the_minima_is_never_proved(lemma):
    for region in (("19/20", "21/20", "19/20", "21/20"), ("9/20", "11/20", "19/10", "21/10")):
        c = region_cover(lemma, LO, HI, region, initial=1, max_depth=2, n_max=100)
        x0, x1, y0, y1 = (Fraction(v) for v in region)
        assert x0 * y0 < 1 < x1 * y1
        for b in c.proved:
            assert not (b[0] * b[2] <= 1 <= b[1] * b[3])
        assert MEETS_MINIMA in c.reasons()


def test_the_quartic_exception_3_5_is_never_proved():
    # (3/5, 3/5) goes exactly onto (1, 1) at eta = 25/24, inside [104/100, 1045/1000]: no box holding it is proved
    lo, hi = Fraction(104, 100), Fraction(1045, 1000)
    assert lo < Fraction(25, 24) < hi
    lem = trapping_lemma(lo, hi)
    assert str(lem.verdict) == "holds"
    c = region_cover(lem, lo, hi, ("29/50", "31/50", "29/50", "31/50"), initial=2, max_depth=2, n_max=100)
    p = Fraction(3, 5)
    assert not any(b[0] <= p <= b[1] and b[2] <= p <= b[3] for b in c.proved)
    assert MEETS_QUARTIC in c.reasons()


def test_the_theorem_on_a_small_rectangle(theorem):
    t = theorem
    assert t.proved and str(t.verdict) == "holds" and t.proved_fraction > Fraction(1, 2)
    d = json.loads(json.dumps(t.to_dict()))
    assert d["rigor"] == "certified" and d["trapping"]["verdict"] == "holds" and d["cycle"]["certified"]
    assert d["cover"]["proved_boxes"] == len(t.cover.proved) and d["exceptions"]["proved"]
    assert Fraction(d["cover"]["proved_area_fraction"]) == t.cover.proved_area
    assert t.cover.positive_area <= t.cover.proved_area and t.cover.monotone_area <= t.cover.proved_area
    md = t.to_markdown()
    assert "**Theorem (proved, rigor certified).**" in md and "3 - 2 eta" in md and "not proved" in md
    # every box is proved or reported, and the proved ones are disjoint (their areas add up exactly)
    region = (Fraction(7, 10), Fraction(1), Fraction(7, 10), Fraction(1))
    area = lambda b: (b[1] - b[0]) * (b[3] - b[2])  # noqa: E731
    total = sum(map(area, t.cover.proved), Fraction(0)) + sum((area(b) for b, _ in t.cover.not_proved), Fraction(0))
    assert total == area(region)
    # the diagonal exception r(eta) = (sqrt(1 + 4/eta) - 1)/2 ~ 0.577 is outside, x y = 1 is outside: all of it proves
    assert t.cover.proved_area == 1 or t.cover.not_proved


def _gd(x: float, y: float, eta: float, steps: int) -> tuple[float, float, float, float]:
    for _ in range(steps):
        e = x * y - 1
        x, y = x - eta * e * y, y - eta * e * x
    e = x * y - 1
    return x, y, x - eta * e * y, y - eta * e * x


def test_oracle_float64_and_mpmath_gd_from_proved_boxes_reach_the_cycle(theorem):
    rng = random.Random(7)
    boxes = theorem.cover.proved
    for k in range(60):
        b = boxes[rng.randrange(len(boxes))]
        x, y = rng.uniform(float(b[0]), float(b[1])), rng.uniform(float(b[2]), float(b[3]))
        eta = rng.uniform(float(LO), float(HI))
        d0, d1 = _cycle(eta) if k < 6 else (None, None)
        x2, y2, x3, y3 = _gd(x, y, eta, 4000)
        assert abs(x2 - y2) < 1e-9 and abs(x3 - y3) < 1e-9 and abs(x2 - x3) > 0.1 and x2 > 0 and x3 > 0
        if d0 is not None:
            assert min(abs(x2 - d0), abs(x2 - d1)) < 1e-8 and min(abs(x3 - d0), abs(x3 - d1)) < 1e-8
    with mpmath.workdps(40):
        b = boxes[0]
        x, y, eta = mpmath.mpf(float(b[0])), mpmath.mpf(float(b[3])), mpmath.mpf(float(HI))
        for _ in range(3000):
            e = x * y - 1
            x, y = x - eta * e * y, y - eta * e * x
        assert abs(x - y) < mpmath.mpf(10) ** -20


def test_the_exceptional_starts_are_exact():
    x = exceptional_starts(LO, HI)
    assert x.proved and x.to_dict()["rigor"] == "exact"
    (eta, start, orbit), *rest = x.landings
    assert (eta, start) == (Fraction(25, 24), (Fraction(3, 5), Fraction(3, 5)))
    # independent exact orbit: one step onto (1, 1), then fixed
    p = start
    for _ in range(3):
        e = p[0] * p[1] - 1
        p = (p[0] - eta * e * p[1], p[1] - eta * e * p[0])
    assert p == (1, 1) and orbit[-1] == (1, 1)
    # the starts on x y = 1 are reported, not dropped
    assert {s for _, s, _ in rest} == {(Fraction(1, 2), Fraction(2)), (Fraction(4, 5), Fraction(5, 4)), (Fraction(1), Fraction(1))}
    # x y = 1 + 1/eta is mapped onto x + y = 0, and x + y = 0 stays: never the cycle (x + y = 2 delta > 0)
    eta, s0, s1 = x.anti
    assert s0[0] * s0[1] == 1 + 1 / eta and s1[0] + s1[1] == 0
    q = s1
    for _ in range(3):
        e = q[0] * q[1] - 1
        q = (q[0] - eta * e * q[1], q[1] - eta * e * q[0])
        assert q[0] + q[1] == 0
    r0, r1 = x.quartic_r
    assert r0 < r1 and abs(r1 - (math.sqrt(1 + 4 / float(LO)) - 1) / 2) < 1e-12


def test_bad_arguments_are_refused():
    with pytest.raises(xy_proof.InputError):
        xy_region_theorem("11/10", "109/100", SMALL)
    with pytest.raises(xy_proof.InputError):
        xy_region_theorem(LO, HI, ("0", "1", "1/2", "1"))


@pytest.mark.slow
def test_the_default_theorem_proves_most_of_its_rectangle():
    t = xy_region_theorem()
    assert t.proved and t.proved_fraction > Fraction(1, 2)
    reasons = t.cover.reasons()
    assert MEETS_MINIMA in reasons
    # no proved box holds a point of the minima x y = 1
    assert not any(b[0] * b[2] <= 1 <= b[1] * b[3] for b in t.cover.proved)
