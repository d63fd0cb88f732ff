"""The paper's quartic ``(x^2 - 1)^2/4``: each claim against an independent computation
(sympy division, mpmath closed forms, hand-derived formulas)."""

from __future__ import annotations

import json
import time
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest
import sympy as sp
from flint import arb, ctx

from symbolic_eos.core.numbers import decimal_string
from symbolic_eos.core.jets import constant_enclosure
from symbolic_eos.core.parse import parse_expression
from symbolic_eos.paper.quartic import (
    basin_claim,
    certified_cycle,
    exact_landing,
    exact_orbit,
    exceptional_set,
    first_rational_landing,
    rational_exceptional_starts,
    orbit_equation_check,
    paper_equation,
    quartic_report,
    where_1121_comes_from,
)

D, E = sp.symbols("delta eta", positive=True)
P = E**2 * D**4 - (E**2 + E) * D**2 + 1


def test_paper_equation_becomes_P_and_P_divides_the_2_cycle_polynomial():
    pe = paper_equation()
    assert sp.expand(pe.polynomial - P) == 0
    assert pe.divides and pe.branch_recovers_eta and pe.derivation_ok
    # Independently, with sympy: (F(F(x)) - x)/(F(x) - x) = P * cofactor for F = x - eta (x^3 - x).
    F = D - E * (D**3 - D)
    cycle = sp.cancel((F.subs(D, F) - D) / (F - D))
    quotient, remainder = sp.div(sp.Poly(cycle, D, E), sp.Poly(P, D, E))
    assert remainder.is_zero
    assert sp.expand(quotient.as_expr() - pe.cofactor) == 0
    # The cofactor's roots are the symmetric 2-cycle F(x) = -x, i.e. x^2 = 1 + 2/eta.
    assert sp.simplify(pe.cofactor.subs(D, sp.sqrt(1 + 2 / E))) == 0


def test_the_2_cycle_at_eta_11_10_solves_the_paper_equation_exactly():
    (row,) = orbit_equation_check(["11/10"], digits=30).rows
    assert row.certified and row.agrees_to_digits and row.cofactor_nonzero and row.branch_positive and row.proved
    # Independent closed form: delta^2 = (2.31 -+ sqrt(2.31^2 - 4.84))/2.42 (P at eta = 1.1 in u = delta^2).
    with mpmath.workdps(60):
        a, b, c = mpmath.mpf("1.21"), mpmath.mpf("2.31"), mpmath.mpf(1)
        refs = [mpmath.sqrt((b + s * mpmath.sqrt(b**2 - 4 * a * c)) / (2 * a)) for s in (-1, 1)]
        texts = [mpmath.nstr(r, 55) for r in refs]
    cycle = certified_cycle("11/10", 30)
    with ctx.workprec(256):
        for point, ref in zip(cycle.points, texts, strict=True):
            assert abs(point - arb(ref)) < arb("1e-29")
        assert row.points[0][:25] == texts[0][:25] and row.points[1][:25] == texts[1][:25]
    # ... and those algebraic numbers are exact roots of P(delta, 11/10).
    eta = sp.Rational(11, 10)
    for s in (-1, 1):
        u = ((eta**2 + eta) + s * sp.sqrt((eta**2 + eta) ** 2 - 4 * eta**2)) / (2 * eta**2)
        assert sp.expand(P.subs({D: sp.sqrt(u), E: eta})) == 0


def test_default_grid_is_proved_and_accepts_fractions():
    check = orbit_equation_check()
    assert len(check.rows) == 5 and check.all_proved
    (row,) = orbit_equation_check([Fraction(21, 20)], digits=40).rows
    assert row.eta == "21/20" and row.proved and len(row.points[0]) >= 40


def test_where_the_branch_fails_the_equation_is_not_proved():
    # At eta = 2 the larger cycle point has 1/(eta delta^2) - 1/2 < 0: it solves P but not the
    # paper's equation (the other square root).  The check must see that.
    (row,) = orbit_equation_check(["2"], digits=30).rows
    assert row.certified and row.cofactor_nonzero
    assert not row.branch_positive and not row.agrees_to_digits and not row.proved


def test_superstable_and_period_doubling_learning_rates():
    t = where_1121_comes_from(30)
    ss, loss = t.window.superstable, t.window.loss
    with mpmath.workdps(60):
        ref_ss = mpmath.nstr(-1 + 3 / mpmath.sqrt(2), 55)
        ref_loss = mpmath.nstr(mpmath.sqrt(5) - 1, 55)
    with ctx.workprec(256):
        assert abs(ss.eta - arb(ref_ss)) < arb("1e-28")
        assert abs(loss.eta - arb(ref_loss)) < arb("1e-28")
    assert (t.superstable_form, ss.closed_form.status) == ("-1 + 3*sqrt(2)/2", "proved")
    assert (t.loss_form, loss.closed_form.status, t.loss_type) == ("-1 + sqrt(5)", "proved", "period_doubling")
    # The multiplier of the 2-cycle, by hand: (1 + eta - 3 eta u1)(1 + eta - 3 eta u2) with Vieta on P.
    formula = parse_expression(t.multiplier_formula, ("eta",)).subs(sp.Symbol("eta"), E)
    assert sp.expand(formula - (9 - 2 * (1 + E) ** 2)) == 0
    assert t.formula_matches_window
    assert t.truncation == 1121
    text = t.explanation
    assert decimal_string(ss.eta, 12) in text and decimal_string(loss.eta, 12) in text
    assert "matches the superstable" in text and "period doubling" in text


def test_basin_claim_regions_and_fractions():
    claim = basin_claim(("11/10", "6/5", "5/4"), n_starts=30)
    regions = [r.region for r in claim.rows]
    assert regions == ["paper", "between", "beyond"]
    fractions = [r.report.cycle_fraction for r in claim.rows]
    assert fractions == [1, 1, 0]
    assert "conservative" in claim.conclusion and "1.2" in claim.conclusion
    assert claim.rows[2].report.exception_summary == {"other (period 4)": 30}


@pytest.fixture(scope="module")
def report():
    return quartic_report()


def test_quartic_report_findings_and_rendering(report):
    r = report
    assert r.orbit_equation.all_proved
    by_region: dict[str, list] = {}
    for row in r.basin.rows:
        by_region.setdefault(row.region, []).append(row.report)
    # The finding: every grid start in (0, 1) reaches the 2-cycle past 1.121 too, none past
    # sqrt(5) - 1; the only exceptions inside are the exact landings on the minimum, counted.
    landed = {(rep.eta, o.start): (o.kind, o.evidence, o.steps) for rep in by_region["paper"] for o in rep.exceptions}
    assert landed == {("25/24", "3/5"): ("minimum", "exact", 1)}
    assert all(rep.counts["cycle"] == 200 for rep in by_region["paper"])
    assert [len(rep.outcomes) for rep in by_region["paper"]] == [200, 201, 200, 200, 200]
    assert by_region["between"] and all(rep.cycle_fraction == 1 for rep in by_region["between"])
    assert by_region["beyond"] and all(rep.cycle_fraction == 0 for rep in by_region["beyond"])
    d = r.to_dict()
    json.dumps(d)
    assert d["basin"]["rigor"] == "numerical" and d["orbit_equation"]["all_proved"]
    assert d["threshold"]["superstable_truncated_to_3_decimals"] == "1.121"
    assert d["exceptional_set"]["proved"] and d["exceptional_set"]["counterexample"]["orbit"] == ["3/5", "1", "1"]
    text = r.to_text()
    for part in ("(a)", "(b)", "(c)", "(d)", "PROVED exactly", "conservative", "numeric evidence", "F(3/5) = 1"):
        assert part in text
    assert "x0 = 3/5 at eta = 25/24" in r.basin.conclusion
    assert r.to_markdown().startswith("## The paper's quartic") and "### (d)" in r.to_markdown()


# ---------------------------------------------------------------------------------------------
# "Any x0 in (0, 1)" is false: starts mapped exactly onto the minimum.


def _F(eta: Fraction, x: Fraction) -> Fraction:
    """GD on (x^2 - 1)^2/4 written out by hand: f'(x) = x^3 - x."""
    return (1 + eta) * x - eta * x**3


def test_the_counterexample_is_exact():
    eta, x0 = Fraction(25, 24), Fraction(3, 5)
    # Independently: F(3/5) = (49/24)(3/5) - (25/24)(27/125) = 1, and 1 is a fixed point.
    assert _F(eta, x0) == Fraction(49, 24) * Fraction(3, 5) - Fraction(25, 24) * Fraction(27, 125) == 1
    assert _F(eta, Fraction(1)) == 1
    assert 1 < eta < Fraction(1121, 1000) and 0 < x0 < 1
    # 1 is not on the 2-cycle: P(1, eta) = eta^2 - (eta^2 + eta) + 1 = 1 - eta != 0.
    assert eta**2 - (eta**2 + eta) + 1 == Fraction(-1, 24)
    # The code finds it by search, and proves it the same way.
    assert first_rational_landing() == (eta, x0)
    ce = exact_landing("25/24", "3/5")
    assert ce is not None and ce.proved and ce.orbit == (x0, 1, 1) and ce.cycle_polynomial_at_1 == Fraction(-1, 24)
    assert exact_orbit(eta, x0, 5) == (x0, 1, 1, 1, 1, 1)
    # ... and the basin check, given that start, counts it as an exception (exact), not a 2-cycle start.
    claim = basin_claim(("25/24",), n_starts=30)
    (row,) = claim.rows
    by = {o.start: o for o in row.report.outcomes}
    assert (by["3/5"].kind, by["3/5"].evidence, by["3/5"].steps) == ("minimum", "exact", 1)
    assert row.report.counts == {"cycle": 30, "minimum": 1, "diverged": 0, "other": 0}


def test_a_start_that_does_not_land_is_undecided_quickly():
    """The exact orbit of 1/2 at 25/24 never reaches 1 while its iterates stay below 4096 bits (hand
    iteration), so the answer is None (undecided), within the bit cap, not after minutes of growing
    rationals and Python's int-to-str limit (the old code: ~160 s, then ValueError)."""
    eta, x = Fraction(25, 24), Fraction(1, 2)
    seen = []
    while abs(x.numerator).bit_length() + x.denominator.bit_length() <= 4096:
        seen.append(x)
        x = _F(eta, x)
    assert 1 not in seen and len(seen) < 12
    start = time.perf_counter()
    assert exact_landing("25/24", "1/2") is None
    assert exact_landing("11/10", "1/3") is None
    assert time.perf_counter() - start < 5
    landing = exact_landing("25/24", "3/5")
    assert landing is not None and landing.proved and landing.orbit == (Fraction(3, 5), 1, 1)


@pytest.mark.parametrize("eta", ["1001/1000", "101/100", "21/20", "11/10", "28/25", "1121/1000"])
def test_every_eta_in_the_range_has_an_exceptional_start(eta):
    """(sqrt(1 + 4/eta) - 1)/2 lies in (0, 1) and F maps it exactly onto 1 (sympy, independently)."""
    e = sp.Rational(eta)
    r = (sp.sqrt(1 + 4 / e) - 1) / 2
    x = sp.Symbol("x")
    F = x - e * sp.diff((x**2 - 1) ** 2 / 4, x)
    assert sp.simplify(F.subs(x, r) - 1) == 0 and sp.simplify(F.subs(x, 1) - 1) == 0
    assert 0 < r.evalf(50) < 1 and sp.expand(e * r**2 + e * r - 1) == 0
    # No rational point of E among its first preimages at these eta; 25/24 has one.
    assert rational_exceptional_starts(eta) == ()
    assert rational_exceptional_starts("25/24") == ((Fraction(3, 5), 1),)


def test_the_exceptional_set_is_proved_for_every_eta_in_the_range():
    d = exceptional_set()
    assert d.proved and all(ok for _, ok in d.proofs) and len(d.proofs) == 4
    assert d.counterexample.proved and d.counterexample.eta == Fraction(25, 24)
    assert dict(d.rational_points)["25/24"] == ((Fraction(3, 5), 1),)
    assert "union_n F^-n({1})" in d.corrected_claim and "(sqrt(1 + 4/eta) - 1)/2" in d.corrected_claim
    # The two inequalities in eta behind the proof, checked here by sampling the range finely
    # (exact rationals): 4 (1 + eta)^3 > 27 eta and 4 (1 + eta)^2 < 27 on [1, 1.121].
    for k in range(1001):
        e = 1 + Fraction(121 * k, 1000 * 1000)
        assert 4 * (1 + e) ** 3 > 27 * e and 4 * (1 + e) ** 2 < 27


def test_the_corrected_claim_states_the_range_the_basin_theorem_proves():
    """The basin theorem covers [1001/1000, 1121/1000] (the claim's summary, tested below), not the
    paper's (1, 1.121); the line must not say the convergence rests on the grid (it said both)."""
    d = exceptional_set()
    line = d.to_text().splitlines()[-1]
    assert line.startswith("corrected claim: for every eta in [1001/1000, 1121/1000] and every x0 in (0, 1) outside")
    assert "1 < eta < 1.121" not in d.to_text() and "rests on the basin grid" not in line
    assert "basin_theorem" in line and "not proved for 1 < eta < 1001/1000" in line
    assert d.to_markdown().splitlines()[-1] in (Path(__file__).parents[1] / "reports/claims/quartic-orbit.md").read_text()


def test_quartic_claim_is_confirmed_with_correction(report, monkeypatch):
    import symbolic_eos.paper.quartic as quartic
    from symbolic_eos.paper.claims import verify_claim

    monkeypatch.setattr(quartic, "quartic_report", lambda **kw: report)
    r = verify_claim("quartic-orbit")
    # The basin theorem proves the corrected claim for every eta in [1001/1000, 1121/1000]: certified.
    assert (r.status, r.rigor) == ("confirmed_with_correction", "certified"), r.summary
    assert "for every eta in [1001/1000, 1121/1000]" in r.summary
    assert "proved" in dict(r.evidence)["basin theorem (computer-assisted proof)"]
    assert "F(3/5) = 1" in r.summary and "union_n F^-n({1})" in r.summary and "(sqrt(1 + 4/eta) - 1)/2" in r.summary
    ev = dict(r.evidence)
    assert ev["starts landing exactly on the minimum"].startswith("x0 = 3/5 at eta = 25/24")
    assert "proved" in ev["counterexample"] and "NOT proved" not in ev["exceptional set"]


def test_certified_points_match_the_closed_form_cycle_at_the_edges():
    # Close to eta0 and close to 1.121 the branch followed by orbits is the P-cycle (closed form).
    for eta in ("1001/1000", "28/25"):
        e = sp.Rational(eta)
        cycle = certified_cycle(eta, 30)
        with ctx.workprec(256):
            for s, point in zip((-1, 1), cycle.points, strict=True):
                u = ((e**2 + e) + s * sp.sqrt((e**2 + e) ** 2 - 4 * e**2)) / (2 * e**2)
                assert point.overlaps(constant_enclosure(sp.sqrt(u), 256))
