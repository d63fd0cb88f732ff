"""Multivariate losses: Hessian, top direction, cross-section vs exact flip coefficient."""

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from symbolic_eos.cli import main
from symbolic_eos.errors import InputError
from symbolic_eos.multivariate import check_multivariate


def test_xy_loss_at_the_balanced_minimum():
    # f = (xy-1)^2/2 at (1,1): H = [[1,1],[1,1]] (eigenvalues 2, 0), q = (1,1)/sqrt2.
    # Third derivatives f_xxy = f_xyy = 2: g = D^3f[q,q,.] = (3, 3), H^+ = [[1,1],[1,1]]/4,
    # g^T H^+ g = 9, D^4f[q,q,q,q] = 3, eta0 = 1: c = (1/6)(27 - 3) = 4, reported -2c = -8.
    r = check_multivariate("(x*y-1)**2/2", "x,y", "1,1")
    assert [str(v) for v in r.eigenvalues_exact] == ["2", "0"] and r.manifold_dimension == 1
    assert str(r.eta_critical) == "1" and r.others_stable and r.flat_along_kernel
    assert r.cross_section.verdict == "holds" and r.flip_verdict == "supercritical"
    assert r.flip.exact == -8 and r.rigor == "exact"
    assert r.simulation.startswith("stable 2-cycle")


def test_coupling_makes_the_two_criteria_disagree():
    # f = x^2/2 + y^2 + x^3 - x^4 + 3 x y^2 at 0: H = diag(1, 2), q = (0, 1); along q the loss
    # is exactly y^2 (the paper's cross-section criterion fails), but D^3f[q,q,e_x] = 6 couples
    # to x: g = (6, 0), g^T H^+ g = 36, D^4 f[q,q,q,q] = 0, eta0 = 1: c = 18, reported -36.
    r = check_multivariate("x**2/2 + y**2 + x**3 - x**4 + 3*x*y**2", "x,y", "0,0")
    assert r.cross_section.verdict == "fails" and r.flip_verdict == "supercritical" and r.flip.exact == -36
    assert r.simulation.startswith("stable 2-cycle")  # GD sides with the exact criterion


def test_unbalanced_minimum_drifts_to_a_flatter_one():
    r = check_multivariate("(x*y-1)**2/2", "x,y", "2,1/2")
    assert [str(v) for v in r.eigenvalues_exact] == ["17/4", "0"]
    assert r.simulation.startswith("converged to a fixed point")


@pytest.mark.parametrize(
    "expr, vars_, at, message",
    [
        ("(x*y-1)**2/2", "x,y", "1", "coordinate"),
        ("(x*y-1)**2/2", "x,y", "1,2", "not a critical point"),
        ("x**2+y**2", "x,x", "0,0", "repeated name"),
        ("x**2+y**2", "x,y", "0,0", "repeated"),
        ("x**2-y**2", "x,y", "0,0", "not a minimum"),
        ("x**2 + y**3", "x,y", "0,0", "not a minimum"),
    ],
)
def test_bad_input(expr, vars_, at, message):
    with pytest.raises(InputError, match=message):
        check_multivariate(expr, vars_, at)


coefficients = st.fractions(-3, 3, max_denominator=3)


@settings(max_examples=40, deadline=None)
@given(st.fractions(1, 3, max_denominator=3), st.lists(coefficients, min_size=7, max_size=7))
def test_cross_section_holds_implies_exact_supercritical(a, c):
    """Property (a theorem for positive semi-definite H): g^T H^+ g >= (D^3f[q,q,q])^2/l1, so the
    paper's cross-section condition (k = 3) implies the exact flip is supercritical."""
    terms = ["y**2", f"({a})*x**2/2"] + [
        f"({v})*{m}" for v, m in zip(c, ["x**3", "x**2*y", "x*y**2", "y**3", "x*y**3", "y**4", "x**2*y**2"], strict=True)
    ]
    if Fraction(a) == 2:
        return  # repeated top eigenvalue: no single direction (an input error, tested above)
    r = check_multivariate(" + ".join(terms), "x,y", "0,0", simulate=False)
    if r.cross_section.case == "k3" and r.cross_section.verdict == "holds":
        assert r.flip_verdict == "supercritical"


def test_cli_multivariate_json(capsys):
    assert main(["check", "(x*y-1)**2/2", "--vars", "x,y", "--at", "1,1", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    keys = {"point", "eigenvalues", "eta_critical", "direction", "manifold_dimension", "cross_section_verdict",
            "flip_verdict", "flip_coefficient", "rigor"}
    assert keys <= set(d) and d["manifold_dimension"] == 1
    assert main(["check", "(x*y-1)**2/2", "--vars", "x,y", "--at", "1"]) == 2


def test_multivariate_2_cycle_of_xy_is_the_quartics():
    """The paper: for (xy-1)^2/2 the 2-cycle is x = y = delta with delta the quartic's 2-cycle
    (delta^2 solves eta^2 u^2 - (eta^2 + eta) u + 1 = 0); at eta = 11/10 the multipliers are
    the quartic's 9 - 2(1 + eta)^2 = 0.18 and, along the balancing direction, 0.8."""
    from symbolic_eos.multivariate import multivariate_orbit

    from .test_orbits import _quartic_cycle_squares

    r = multivariate_orbit("(x*y-1)**2/2", "x,y", "1,1", "11/10", digits=30)
    (c,) = r.orbits
    assert c.certified and c.stable
    small, large = _quartic_cycle_squares(Fraction(11, 10), 50)
    for point in c.points:
        assert point[0].overlaps(point[1])  # x = y on the cycle
    values = sorted(float(p[0].mid()) for p in c.points)
    assert abs(values[0] - float(small)) < 1e-25 and abs(values[1] - float(large)) < 1e-25
    mults = sorted(float(m.real.mid()) for m in c.multipliers)
    assert abs(mults[0] - 0.18) < 1e-20 and abs(mults[1] - 0.8) < 1e-20


def test_multivariate_orbit_cli(capsys):
    assert main(["orbit", "(x*y-1)**2/2", "--vars", "x,y", "--at", "1,1", "--eta", "11/10", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["orbits"][0]["certified"] and len(d["orbits"][0]["points"][0]) == 2
    assert main(["orbit", "(x*y-1)**2/2", "--vars", "x,y", "--eta", "11/10"]) == 2


def test_irrational_hessian_separable_loss_matches_the_1d_check():
    """(x^3 - 2)^2/2 + y^2 at (2^(1/3), 0): H = diag(9 2^(4/3), 2); the loss is separable, so
    the multivariate flip coefficient equals the 1-D one of (x^3 - 2)^2/2 at 2^(1/3)."""
    from flint import arb

    from symbolic_eos.results import check

    r = check_multivariate("(x**3-2)**2/2 + y**2", "x,y", "2**(1/3),0", simulate=False)
    assert r.eigenvalue_balls[0].overlaps(9 * arb(2) ** (arb(4) / 3)) and r.eigenvalue_balls[1].overlaps(arb(2))
    one_d = check("(x**3-2)**2/2", at="2**(1/3)")
    assert r.flip.sign == one_d.flip.coefficient.sign == -1
    assert r.flip.enclosure.overlaps(one_d.flip.coefficient.enclosure)
    assert r.cross_section.verdict == one_d.paper.verdict == "holds"
