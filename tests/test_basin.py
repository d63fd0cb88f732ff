"""The basin check: classes of starts, their evidence, and the compiled map.

The 2-cycles used here come from an independent closed form, not from ``orbits``: for the
quartic ``(x^2 - 1)^2/4`` the cycle points are ``sqrt(u)`` with ``eta^2 u^2 - (eta^2 + eta) u + 1 = 0``.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
import sympy as sp
from flint import arb, ctx
from hypothesis import given, settings
from hypothesis import strategies as st

from symbolic_eos.dynamics.basin import (
    KINDS,
    basin_check,
    compiled_gd_map,
    interior_grid,
    trapping_interval,
)
from symbolic_eos.errors import InputError
from symbolic_eos.core.jets import constant_enclosure
from symbolic_eos.dynamics.orbits import GradientMap
from .profiles import examples

QUARTIC = "(x**2 - 1)**2/4"
X = sp.Symbol("x")


def quartic_cycle(eta) -> list[arb]:
    """The quartic's 2-cycle around 1 in closed form (radicals), as 128-bit balls."""
    e = sp.Rational(eta)
    a, b = e**2, -(e**2 + e)
    disc = sp.sqrt(b**2 - 4 * a)
    return [constant_enclosure(sp.sqrt((-b + s * disc) / (2 * a)), 128) for s in (-1, 1)]


def run(eta, starts, **kw):
    return basin_check(QUARTIC, "x", eta, quartic_cycle(eta), starts, minimum=1, **kw)


# ---------------------------------------------------------------------------------------------


def test_interior_grid_is_exact_and_strictly_inside():
    grid = interior_grid(0, 1, 200)
    assert len(grid) == 200 and all(isinstance(g, Fraction) for g in grid)
    assert grid[0] == Fraction(1, 201) and grid[-1] == Fraction(200, 201)
    assert all(0 < g < 1 for g in grid) and list(grid) == sorted(set(grid))
    assert interior_grid(Fraction(1, 2), 2, 2) == (Fraction(1), Fraction(3, 2))
    for bad in ((0.0, 1, 3), (1, 0, 3), (0, 1, 0)):
        with pytest.raises(InputError):
            interior_grid(*bad)


def test_every_start_in_0_1_reaches_the_cycle_at_eta_11_10_with_certificates():
    r = run("11/10", interior_grid(0, 1, 40))
    assert r.counts == {"cycle": 40, "minimum": 0, "diverged": 0, "other": 0}
    assert r.cycle_fraction == 1 and r.exceptions == ()
    assert r.cycle_stable and len(r.cycle_traps) == 2
    # The multiplier of the quartic's 2-cycle is 9 - 2 (1 + eta)^2 = 0.18 at eta = 11/10.
    assert r.cycle_multiplier.startswith("0.18000000000000000")
    assert r.evidence_counts == {"certified": 40}


def test_trapping_intervals_contain_the_cycle_and_contract():
    cycle = quartic_cycle("11/10")
    with ctx.workprec(128):
        F, dF = compiled_gd_map((X**2 - 1) ** 2 / 4, X, sp.Rational(11, 10), 128)
        for c in cycle:
            trap = trapping_interval(F, dF, c, 2, abs(cycle[1] - cycle[0]))
            assert trap is not None and trap.interval.contains(c) and trap.lipschitz < 1
            # ... and the other phase is far outside it
            other = cycle[1] if c is cycle[0] else cycle[0]
            assert not trap.interval.overlaps(other)
        # Past the period doubling (eta = 5/4, multiplier -1.125) no trap can be certified.
        F, dF = compiled_gd_map((X**2 - 1) ** 2 / 4, X, sp.Rational(5, 4), 128)
        c5 = quartic_cycle("5/4")
        assert trapping_interval(F, dF, c5[0], 2, abs(c5[1] - c5[0])) is None


def test_start_on_the_minimum_and_starts_mapped_exactly_onto_fixed_points():
    # F(3/5) = 1 and F(7/5) = 0 exactly when eta = 1/(x0 (x0 + 1)) and 1/(x0^2 - 1): both 25/24.
    r = run("25/24", [1, Fraction(3, 5), Fraction(7, 5), Fraction(1, 2)])
    by = {o.start: o for o in r.outcomes}
    assert (by["1"].kind, by["1"].steps, by["1"].evidence) == ("minimum", 0, "exact")
    assert (by["3/5"].kind, by["3/5"].steps, by["3/5"].evidence) == ("minimum", 1, "exact")
    assert (by["7/5"].kind, by["7/5"].final, by["7/5"].evidence) == ("other", "0", "exact")
    assert by["1/2"].kind == "cycle"
    assert r.cycle_fraction == Fraction(1, 4)


def test_starts_outside_the_basin():
    r = run("11/10", [3, Fraction(-1, 2), Fraction(-1), Fraction(1, 2)])
    by = {o.start: o for o in r.outcomes}
    # x0 = 3: F(3) = -23.4, then |x| explodes.
    assert by["3"].kind == "diverged" and by["3"].steps <= 5
    # x0 = -1/2 goes to the mirror image of the 2-cycle around -1 (f is even).
    mirror = by["-1/2"]
    assert (mirror.kind, mirror.period) == ("other", 2)
    with ctx.workprec(128):
        end = arb(mirror.final)
        assert any(abs(end + c) < arb("1e-15") for c in quartic_cycle("11/10"))
    # x0 = -1 is the other minimum: an exact fixed point.
    assert (by["-1"].kind, by["-1"].evidence) == ("other", "exact")
    assert by["1/2"].kind == "cycle"
    assert set(r.exception_summary) == {"diverged", "other (period 2)", "other (period 1)"}


def test_past_the_period_doubling_no_start_reaches_the_repelling_cycle():
    r = run("5/4", interior_grid(0, 1, 12))
    assert not r.cycle_stable and r.cycle_traps == ()
    assert r.counts["cycle"] == 0
    assert {o.period for o in r.outcomes} == {4} and {o.kind for o in r.outcomes} == {"other"}


def test_below_eta0_orbits_converge_to_the_minimum_certified():
    # eta = 1/2 < eta0 = 1: the minimum attracts; the only 2-cycle is the symmetric +-sqrt(1 + 2/eta).
    cycle = [constant_enclosure(s * sp.sqrt(5), 128) for s in (-1, 1)]
    r = basin_check(QUARTIC, "x", "1/2", cycle, interior_grid(0, 1, 9), minimum="1")
    assert r.minimum_stable is True and not r.cycle_stable
    assert r.counts["minimum"] == 9 and r.evidence_counts == {"certified": 9}


def test_no_convergence_within_max_iter_is_other():
    # Near eta0 the multiplier 9 - 2 (1 + eta)^2 is close to 1: 50 steps are not enough.
    r = run("1001/1000", [Fraction(1, 2)], max_iter=50)
    (o,) = r.outcomes
    assert o.kind == "other" and "no convergence within 50 steps" in o.detail
    assert run("1001/1000", [Fraction(1, 2)]).outcomes[0].kind == "cycle"


def test_report_rendering_is_labelled_numeric():
    r = run("5/4", interior_grid(0, 1, 3))
    d = r.to_dict()
    json.dumps(d)
    assert d["rigor"] == "numerical" and d["classes"] == r.counts and set(d["classes"]) == set(KINDS)
    assert d["cycle_fraction"] == "0" and len(d["exceptions"]) == 3
    assert "numeric evidence" in r.to_text() and "NOT certified attracting" in r.to_text()
    assert r.to_markdown().startswith("### Basin of the 2-cycle")


def test_inputs_must_be_exact():
    with pytest.raises(InputError):
        run(1.1, [Fraction(1, 2)])
    with pytest.raises(InputError):
        basin_check(QUARTIC, "x", "11/10", quartic_cycle("11/10"), [0.5])
    with pytest.raises(InputError):
        basin_check(QUARTIC, "x", "11/10", quartic_cycle("11/10")[:1], [Fraction(1, 2)])


@pytest.mark.parametrize("text", ["log(cosh(x - 1)) + sin(x)/7", "sqrt(1 + x**2) * exp(-x/3)", "pi*x**2/4 + E*atan(x)/9"])
def test_compiled_map_agrees_with_the_taylor_engine(text):
    from symbolic_eos.core.parse import parse_expression

    expr = parse_expression(text)
    x = sorted(expr.free_symbols, key=str)[0]
    gd = GradientMap(expr, x)
    eta = sp.Rational(3, 7)
    with ctx.workprec(128):
        F, dF = compiled_gd_map(expr, x, eta, 128)
        e = arb(3) / 7
        for v in ("-1.5", "0.25", "2"):
            p = arb(v)
            assert F(p).overlaps(gd.step(p, e, 128)) and F(p).rad() < arb("1e-30")
            assert dF(p).overlaps(1 - e * gd.derivatives(p, 128)[1])


@settings(max_examples=examples(25), deadline=None)
@given(
    eta=st.fractions(Fraction(1001, 1000), Fraction(123, 100), max_denominator=1000),
    x0=st.fractions(Fraction(1, 1000), Fraction(999, 1000), max_denominator=10**6),
)
def test_random_starts_in_0_1_reach_the_cycle_up_to_eta_1_23(eta, x0):
    """Past the paper's 1.121 too: a random exact start in (0, 1) at a random eta below the
    period doubling (sqrt(5) - 1) converges to the 2-cycle, unless it lands exactly on 1."""
    r = run(eta, [x0])
    (o,) = r.outcomes
    assert o.kind == "cycle" or (o.kind == "minimum" and o.evidence == "exact"), o


def test_the_given_cycle_is_recertified_before_it_is_used():
    # Coarse enclosures (radius 1e-15) of the right cycle are polished and certified ...
    with ctx.workprec(128):
        coarse = [arb(c.mid().str(16, radius=False), "1e-15") for c in quartic_cycle("11/10")]
    r = basin_check(QUARTIC, "x", "11/10", coarse, [Fraction(1, 2)], minimum=1)
    assert r.cycle_certified and r.outcomes[0].kind == "cycle"
    # ... but the cycle of another learning rate is not taken for this one's, although a
    # trapping interval around it would still trap the true cycle nearby.
    r = basin_check(QUARTIC, "x", "11/10", quartic_cycle("21/20"), [Fraction(1, 2)], minimum=1)
    assert not r.cycle_certified and not r.cycle_stable and r.counts["cycle"] == 0
    assert "could not be re-certified" in r.summary()


def test_a_transcendental_loss():
    # L2 loss of tanh at x_bar = atanh(1/2): eta0 = 16/9, a stable 2-cycle at eta = 19/10.
    from symbolic_eos.api import orbit

    text = "(tanh(x) - 1/2)**2"
    (cycle,) = orbit(text, eta="19/10", at="atanh(1/2)").orbits
    assert cycle.certified and cycle.stable
    r = basin_check(text, "x", "19/10", cycle.points, interior_grid(-1, 2, 30) + ("atanh(1/2)",),
                    minimum="atanh(1/2)")
    assert r.counts == {"cycle": 30, "minimum": 1, "diverged": 0, "other": 0}
    assert r.evidence_counts == {"certified": 30, "exact": 1}
