"""The quartic basin theorem (issue 15, item 2): proved on eta-intervals, and every lemma refuses
when its hypothesis is broken; the exceptional points are checked exactly, independently of the
module (plain sympy and Fraction)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
import sympy as sp

from symbolic_eos.core.vocabulary import ProofRoute, ProofStatus
from symbolic_eos.errors import InputError
from symbolic_eos.paper.quartic_basin import (basin_theorem, exact_lemmas, exceptional_description, lands_on_minimum,
                                              monotone_box, trapping_box)

x, eta = sp.symbols("x eta")


def F(v, e=eta):
    return (1 + e) * v - e * v**3


def test_the_theorem_is_proved_on_a_small_range():
    t = basin_theorem("21/20", "107/100")
    assert t.status is ProofStatus.PROVED and t.proved and t.reason is None
    assert t.reach == Fraction(107, 100) and t.boxes[0].lo == Fraction(21, 20) and t.boxes[-1].hi == Fraction(107, 100)
    # The boxes tile the interval without a gap.
    assert all(a.hi == b.lo for a, b in zip(t.boxes, t.boxes[1:], strict=False))
    assert all(b.route is ProofRoute.MONOTONE and b.proved for b in t.boxes)
    d = json.loads(json.dumps(t.to_dict()))
    assert d["status"] == "proved" and d["rigor"] == "certified" and d["routes"]["monotone"] == len(t.boxes)
    assert "**Theorem** (proved)" in t.to_markdown()


def test_the_default_range_is_proved_quickly():
    t = basin_theorem()
    assert t.proved and (t.eta_lo, t.eta_hi) == (Fraction(101, 100), Fraction(112, 100))
    assert t.seconds < 60
    assert "proved for every eta in [101/100, 28/25]" in t.summary


def test_nearly_the_papers_whole_range_is_proved():
    # The paper's claim is for 1 < eta < 1.121: [1.001, 1.121] takes a few seconds (below 1.001 the
    # 2-cycle is too close to its birth at 1 for the parametric Krawczyk step).
    t = basin_theorem("1001/1000", "1121/1000")
    assert t.proved and t.routes["monotone"] > 0


def test_the_exact_lemmas_hold():
    assert [lemma.name for lemma in exact_lemmas()] == ["E1", "E2", "E3", "E4", "E5"]
    assert all(lemma.holds for lemma in exact_lemmas())
    # The factorisation the proof rests on, re-derived here with sympy alone.
    P = eta**2 * x**4 - (eta**2 + eta) * x**2 + 1
    assert sp.expand(F(F(x)) - x - eta * x * (1 - x) * (1 + x) * (eta + 2 - eta * x**2) * P) == 0


def test_the_trapping_route_covers_by_cells_past_the_superstable_point():
    b = trapping_box(Fraction(113, 100), Fraction(1131, 1000))
    assert b.proved and b.route is ProofRoute.TRAPPING and b.cells > 0 and b.max_n > 0
    assert [lemma.name for lemma in b.lemmas] == ["H", "K", "I", "T1", "T2", "T3", "T4"]
    # The monotone route cannot work there: F^2 is no longer increasing around the cycle.
    m = monotone_box(Fraction(113, 100), Fraction(1131, 1000))
    assert not m.proved and m.route is None and m.reason.startswith("J")


def test_a_broken_monotone_interval_is_refused():
    lo, hi = Fraction(11, 10), Fraction(111, 100)
    assert monotone_box(lo, hi).proved
    assert monotone_box(lo, hi, a=Fraction(1, 2)).reason.startswith("J1")        # a below the critical point
    assert monotone_box(lo, hi, a=Fraction(9, 10)).reason.startswith("J2")       # a above p
    assert monotone_box(lo, hi, b=Fraction(21, 20)).reason.startswith("J3")      # b below q
    # b between q and M = F(c).
    assert monotone_box(Fraction(21, 20), Fraction(1051, 1000), b=Fraction(1097, 1000)).reason.startswith("J4")
    assert monotone_box(lo, hi, b=Fraction(13, 10)).reason.startswith("J5")      # F(b) below c


def test_a_broken_trapping_neighbourhood_is_refused():
    lo, hi = Fraction(113, 100), Fraction(1131, 1000)
    for trap in ((Fraction(1, 2), Fraction(6, 10)), (Fraction(1, 2), Fraction(99, 100))):
        b = trapping_box(lo, hi, trap=trap)
        assert not b.proved and b.reason.startswith("T1 not certified")
    # Too few cells for the cover: the last lemma refuses.
    assert trapping_box(lo, hi, max_cells=70).reason.startswith("T4 not certified")


@pytest.mark.parametrize("lo, hi", [("1/2", "99/100"), ("99/100", "101/100")])
def test_an_eta_box_not_above_1_is_refused(lo, hi):
    t = basin_theorem(lo, hi)
    assert t.status is ProofStatus.REFUSED and not t.proved and "eta > 1" in t.reason
    assert t.to_dict()["rigor"] == "none"


def test_an_eta_box_past_the_period_doubling_is_refused():
    # sqrt(5) - 1 ~ 1.2361: the 2-cycle repels, so no contracting trapping neighbourhood exists.
    t = basin_theorem("124/100", "125/100")
    assert not t.proved and "T1 not certified" in t.reason and "sup |(F^2)'|" in t.reason
    with pytest.raises(InputError):
        basin_theorem("11/10", "11/10")


def test_the_exceptional_points_land_on_1_exactly():
    d = exceptional_description("25/24", 3)
    assert d.unique_roots and [p.generation for p in d.points] == [1, 2, 3]
    e = sp.Rational(25, 24)
    previous = sp.Integer(1)
    for p in d.points:
        m = sp.Poly(sp.sympify(p.minimal_polynomial), x)
        Fn = x
        for _ in range(p.generation):
            Fn = F(Fn, e)
        # Every root of the minimal polynomial maps onto 1 in exactly n steps, in exact arithmetic.
        assert sp.rem(sp.Poly(sp.expand(Fn - 1), x), m).is_zero
        lo, hi = sp.Rational(p.lo.numerator, p.lo.denominator), sp.Rational(p.hi.numerator, p.hi.denominator)
        assert 0 < lo <= hi < previous
        assert m.count_roots(lo, hi) == 1 or lo == hi and m.eval(lo) == 0
        previous = lo
    # r_1 = 3/5 at eta = 25/24, in plain Fractions; and the closed form for every eta.
    assert F(Fraction(3, 5), Fraction(25, 24)) == 1 == F(Fraction(1), Fraction(25, 24))
    r1 = (sp.sqrt(1 + 4 / eta) - 1) / 2
    assert sp.simplify(F(r1) - 1) == 0
    assert d.points[0].closed_form == "(sqrt(1 + 4/eta) - 1)/2"


def test_a_shifted_exceptional_point_does_not_land():
    assert lands_on_minimum("25/24", "3/5", 1)
    assert not lands_on_minimum("25/24", "601/1000", 1) and not lands_on_minimum("25/24", "599/1000", 3)
    p = exceptional_description("25/24", 2).points[1]
    m = sp.Poly(sp.sympify(p.minimal_polynomial), x)
    shifted = sp.Poly(m.as_expr().subs(x, x - sp.Rational(1, 1000)), x)
    assert not sp.rem(sp.Poly(sp.expand(F(F(x, sp.Rational(25, 24)), sp.Rational(25, 24)) - 1), x), shifted).is_zero


@pytest.mark.slow
def test_the_thorough_scan_goes_past_the_superstable_point():
    t = basin_theorem(thorough=True)
    assert t.proved and t.reach > Fraction(12, 10)
    assert t.routes["trapping"] > 0 and t.cells > 0 and t.max_n > 0
