"""2-cycles, Krawczyk certificates, stability windows, closed forms, the existence theorem."""

import json
from fractions import Fraction

import mpmath
import pytest
from flint import arb, ctx, fmpq
from hypothesis import assume, example, given, settings, strategies as st

from symbolic_eos.cli import main
from symbolic_eos.dynamics.closed_forms import prove_event_constant, recognise
from symbolic_eos.api import orbit, window
from symbolic_eos.api import existence
from symbolic_eos.dynamics.orbits import CycleSystem, GradientMap
from symbolic_eos.linalg.krawczyk import krawczyk
from symbolic_eos.core.parse import parse_expression, parse_variable_name
from symbolic_eos.api import check
from .profiles import examples

x = parse_variable_name("x")
QUARTIC = "(x**2-1)**2/4"


def _quartic_cycle_squares(eta, dps):
    """Independent closed form: for f = (x^2-1)^2/4 the 2-cycle points delta satisfy
    eta^2 u^2 - (eta^2 + eta) u + 1 = 0 with u = delta^2 (from F(x) = x(1 + eta - eta x^2):
    x1 = F(x0), x0 = F(x1) give (1+eta-eta u)(1+eta-eta v) = 1 and u + v = (1+eta)/eta)."""
    with mpmath.workdps(dps):
        e = mpmath.mpf(eta.numerator) / eta.denominator
        disc = mpmath.sqrt((e * e + e) ** 2 - 4 * e * e)
        return sorted(mpmath.sqrt(((e * e + e) + s * disc) / (2 * e * e)) for s in (-1, 1))


@pytest.mark.parametrize("digits", [30, 1000])
def test_quartic_cycle_matches_independent_closed_form(digits):
    r = orbit(QUARTIC, "11/10", at="1", digits=digits)
    (c,) = r.orbits
    assert c.certified and c.stable
    expected = _quartic_cycle_squares(Fraction(11, 10), digits + 20)
    with ctx.workprec(int(digits * 3.4) + 64):
        for point, value in zip(c.points, expected, strict=True):
            assert point.overlaps(arb(mpmath.nstr(value, digits + 15)))
            assert point.rad() < arb(10) ** (-digits)
    # multiplier m = 9 - 2 (1 + eta)^2 (from u + v = (1+eta)/eta, uv = 1/eta^2): 0.18 at eta = 11/10
    assert c.multiplier.overlaps(arb(fmpq(18, 100))) and c.multiplier.rad() < 1e-25


def test_wrong_side_and_subcritical_give_plain_answers():
    r = orbit(QUARTIC, "9/10", at="1")
    assert r.orbits == () and "supercritical" in r.results[0].message and "above eta0" in r.results[0].message
    # subcritical flip: x^2/2 + x^4 has its unstable 2-cycle below eta0 = 2 ...
    r = orbit("x**2/2 + x**4", "19/10", at="0")
    (c,) = r.orbits
    assert c.certified and not c.stable
    # ... and none above.
    assert orbit("x**2/2 + x**4", "21/10", at="0").orbits == ()


def test_krawczyk_refuses_boxes_with_no_cycle_or_two():
    gd = GradientMap(parse_expression(QUARTIC), x)
    system = CycleSystem(gd, lambda prec: arb(fmpq(11, 10)))
    a, b = (float(p.mid()) for p in orbit(QUARTIC, "11/10", at="1").orbits[0].points)
    with ctx.workprec(128):
        good = krawczyk(system, [arb(a, 1e-6), arb(b, 1e-6)], 128)
        assert good.certified
        # a box far from any cycle
        assert not krawczyk(system, [arb(0.95, 0.01), arb(1.05, 0.01)], 128).certified
        # a box holding both orientations (a, b) and (b, a), and the fixed point (1, 1)
        lo, hi = min(a, b) - 0.01, max(a, b) + 0.01
        wide = arb((lo + hi) / 2, (hi - lo) / 2)
        assert not krawczyk(system, [wide, wide], 128).certified


def test_quartic_window_closed_forms_are_proved():
    r = window(QUARTIC, at="1")
    # m = 9 - 2(1+eta)^2 (independent derivation above): m = 0 at 2 eta^2 + 4 eta - 7 = 0,
    # m = -1 at eta^2 + 2 eta - 4 = 0.
    assert r.superstable.closed_form.minimal_polynomial == "2*eta**2 + 4*eta - 7"
    assert r.superstable.closed_form.status == "proved"
    assert r.loss.kind == "period_doubling" and r.loss.closed_form.minimal_polynomial == "eta**2 + 2*eta - 4"
    with mpmath.workdps(40):
        assert r.superstable.eta.overlaps(arb(mpmath.nstr(-1 + 3 / mpmath.sqrt(2), 35)))
        assert r.loss.eta.overlaps(arb(mpmath.nstr(mpmath.sqrt(5) - 1, 35)))
    d = r.to_dict()
    assert {"eta_critical", "eta_superstable", "eta_loss", "loss_type", "closed_forms"} <= set(d)
    assert d["loss_type"] == "period_doubling"


def test_symmetric_superstable_point_with_tangential_multiplier():
    # f = x^2/2 - x^4/4: symmetric cycle {a, -a}, a^2 = 1 - 2/eta, m = (2 eta - 5)^2 touches 0 at eta = 5/2.
    r = window("x**2/2 - x**4/4", at="0")
    assert r.superstable.certified and r.superstable.closed_form.expression == "5/2"
    # m = +1 again at eta = 3 (symmetry breaking): the general fold system is singular there; the
    # reduced symmetric system certifies the pitchfork and the resultant proves eta = 3.
    assert r.loss_type == "pitchfork" and r.loss.closed_form.expression == "3" and "mirror images" in r.message


def test_fold_is_certified():
    r = window("x**2/2 - x**4/4 + x**6/2", at="0")
    assert r.loss_type == "fold" and r.loss.closed_form.status == "proved"


def test_closed_form_recognition_is_verified_not_trusted():
    with ctx.workprec(200):
        near = -1 + 3 / arb(2).sqrt() + arb(10) ** -20  # not the superstable point
        assert prove_event_constant(parse_expression(QUARTIC), x, 0, near).status == "unknown"
        assert recognise(near, 40).expression != "-1 + 3*sqrt(2)/2"
        wide = arb(0, 10)  # holds several roots: no unique match, no claim
        assert prove_event_constant(parse_expression(QUARTIC), x, 0, wide).status == "unknown"
    # a transcendental loss: no elimination, so no 'proved'
    assert prove_event_constant(parse_expression("(tanh(x)-1/2)**2"), x, 0, arb(2)) is None


losses = st.tuples(st.fractions(-3, 3, max_denominator=4), st.fractions(-3, 3, max_denominator=4))


@settings(max_examples=examples(15), deadline=None)
@given(losses)
@example((Fraction(1), Fraction(0)))  # f = x^2/2 + x^3: supercritical
@example((Fraction(0), Fraction(1)))  # f = x^2/2 + x^4: subcritical
def test_amplitude_near_eta0_matches_the_normal_form(c):
    """Property: at eta = eta0 (1 + 1e-8), the 2-cycle's half-width matches the normal form
    t^(p-1) = -lam/g_p with lam = (1 - eta f'')^2 - 1, on the side the flip predicts."""
    c3, c4 = c
    text = f"x**2/2 + ({c3.numerator}/{c3.denominator})*x**3 + ({c4.numerator}/{c4.denominator})*x**4"
    minimum = check(text, at="0")
    flip = minimum.flip
    assume(flip.order is not None)  # degenerate to the searched order: nothing is predicted (not a counterexample)
    delta = Fraction(1, 10**8) if flip.verdict == "supercritical" else -Fraction(1, 10**8)
    eta = 2 * (1 + delta)
    r = orbit(text, f"{eta.numerator}/{eta.denominator}", at="0", digits=30)
    (cycle,) = r.orbits
    assert cycle.certified and cycle.stable == (flip.verdict == "supercritical")
    lam = (1 - mpmath.mpf(eta.numerator) / eta.denominator) ** 2 - 1
    predicted = (-lam / mpmath.mpf(flip.coefficient.text(30))) ** (mpmath.mpf(1) / (flip.order - 1))
    half_width = mpmath.mpf(json.loads(json.dumps(cycle.to_dict()))["amplitude"])
    assert abs(half_width / predicted - 1) < 100 * predicted


def test_existence_theorem_holds_for_the_quartic_at_small_eps():
    r = existence(QUARTIC, at="1")
    assert r.rows[0].verdict == "holds" and r.largest_holding_eps >= Fraction(1, 10)
    # every "holds" row has eta certified strictly inside the interval
    for row in r.rows:
        if row.verdict == "holds":
            assert row.eta > row.lower and (row.upper is None or row.eta < row.upper)


def test_orbit_and_window_cli(tmp_path, capsys):
    assert main(["orbit", QUARTIC, "--eta", "11/10", "--at", "1", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert set(d["orbits"][0]) >= {"points", "multiplier", "stable", "certified", "radius"}
    png = tmp_path / "bif.png"
    assert main(["window", QUARTIC, "--at", "1", "--plot", str(png)]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    capsys.readouterr()
    assert main(["orbit", QUARTIC, "--eta", "11/10", "--digits", "3"]) == 2
    assert "--digits" in capsys.readouterr().err
    assert main(["orbit", QUARTIC, "--eta", "-1"]) == 2


def test_existence_failure_at_finite_eps_is_certified_and_real():
    """f = x^2/2 + x^3/3 - x^4: at x0 = -2/5 the interval is (2, 10), and (independently, on a
    fine float grid) H(eta) = F(F(x0)) - x0 stays below -0.18 there: no eta works."""
    import numpy as np

    r = existence("x**2/2 + x**3/3 - x**4", at="0")
    row = next(row for row in r.rows if row.eps == Fraction(2, 5))
    assert row.verdict == "fails" and r.first_failure is row
    etas = np.linspace(2, 10, 100001)
    fp = lambda t: t + t**2 - 4 * t**3  # noqa: E731
    x1 = -0.4 - etas * fp(-0.4)
    h = x1 - etas * fp(x1) + 0.4
    assert np.all(h < -0.18)
    assert r.largest_holding_eps == Fraction(3, 10)


def test_recognition_is_consistent_never_proved():
    with ctx.workprec(200):
        cf = recognise(-1 + 3 / arb(2).sqrt(), 30)
    assert cf.status == "consistent" and cf.minimal_polynomial == "2*eta**2 + 4*eta - 7"
    assert cf.expression == "-1 + 3*sqrt(2)/2"


def test_window_far_eta_max_still_follows_the_branch_from_eta0():
    r = window("x**2/2 + x**3/3", at="0", eta_max="1000000")
    assert r.loss_type == "period_doubling" and r.loss.closed_form.expression == "sqrt(6)"
