"""Multivariate losses: Hessian, top direction, cross-section vs exact flip coefficient."""

import json
from fractions import Fraction

import pytest
import sympy as sp
from flint import arb, ctx, fmpq
from hypothesis import given, settings, strategies as st

from symbolic_eos.cli import main
from symbolic_eos.errors import InputError
from symbolic_eos.jets import constant_enclosure
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
    from symbolic_eos.results import check

    r = check_multivariate("(x**3-2)**2/2 + y**2", "x,y", "2**(1/3),0", simulate=False)
    assert r.eigenvalue_balls[0].overlaps(9 * arb(2) ** (arb(4) / 3)) and r.eigenvalue_balls[1].overlaps(arb(2))
    one_d = check("(x**3-2)**2/2", at="2**(1/3)")
    assert r.flip.sign == one_d.flip.coefficient.sign == -1
    assert r.flip.enclosure.overlaps(one_d.flip.coefficient.enclosure)
    assert r.cross_section.verdict == one_d.paper.verdict == "holds"


# ---------------------------------------------------------------------------------------------
# The certified route: ball eigenpairs for irrational Hessians beyond 3 variables.


SEPARABLE = ("(x**3-2)**2/2 + y**2 + z**2/2 + w**2/4", "x,y,z,w", "2**(1/3),0,0,0")
WITH_KERNEL = ("(x**3-2)**2/2 + y**2/2 + (z*w-1)**2/2", "x,y,z,w", "2**(1/3),0,1,1")
SQRT2 = ("sqrt(2)*x**2/2 - x**3 + x**4 + y**2/2 + z**2/3 + w**2/5", "x,y,z,w", "0,0,0,0")
ONE_D = {SEPARABLE: ("(x**3-2)**2/2", "2**(1/3)"), WITH_KERNEL: ("(x**3-2)**2/2", "2**(1/3)"),
         SQRT2: ("sqrt(2)*x**2/2 - x**3 + x**4", "0")}


def _one_d(case):
    from symbolic_eos.results import check

    expr, at = ONE_D[case]
    return check(expr, at=at)


def _contains_exact(ball: arb, value: sp.Expr) -> bool:
    """The ball contains the exact value (tested against a much tighter enclosure)."""
    return ball.contains(constant_enclosure(value, 2048))


@pytest.mark.parametrize("case", [SEPARABLE, WITH_KERNEL, SQRT2])
def test_certified_route_matches_the_1d_check_on_separable_losses(case):
    """Separable 4-variable losses whose top axis carries an irrational second derivative: the
    Hessian is diagonal (up to a decoupled block), the cross-section along the top axis is the
    1-D loss, and since D^3 f[q, q, .] has no other component the multivariate flip coefficient
    is the 1-D one.  Four variables and an irrational Hessian: the certified route."""
    r = check_multivariate(*case, simulate=False)
    one_d = _one_d(case)
    assert r.route == "certified" and r.rigor == "certified"
    assert r.eigenvalues_exact is None and r.direction is None
    top = one_d.curvature.enclosure if one_d.curvature.exact is None else arb(one_d.curvature.exact)
    assert r.eigenvalue_balls[0].overlaps(top)
    assert r.direction_enclosure[0].contains(1) and all(c == 0 for c in r.direction_enclosure[1:])  # exact zeros: blocks
    assert r.cross_section.verdict == one_d.paper.verdict == "holds" and r.cross_section.case == "k3"
    assert r.flip_verdict == "supercritical" and r.flip.sign == one_d.flip.coefficient.sign == -1
    assert r.flip.rigor == "certified" and r.flip.enclosure.overlaps(one_d.flip.coefficient.enclosure)
    assert r.manifold_dimension == (1 if case is WITH_KERNEL else 0)
    d = r.to_dict()
    assert d["rigor"] == "certified" and d["route"] == "certified" and d["eigenvalues_exact"] is None


def test_certified_eigenvalues_of_the_separable_loss():
    r = check_multivariate(*WITH_KERNEL, simulate=False)
    assert _contains_exact(r.eigenvalue_balls[0], 18 * sp.cbrt(2))  # 9 * 2^(4/3)
    assert [b.contains(v) for b, v in zip(r.eigenvalue_balls[1:], [2, 1, 0], strict=True)] == [True] * 3
    assert r.eigenvalue_balls[3] == 0 and r.flat_along_kernel  # the zero eigenvalue is proved (exact kernel)


def _cayley(n: int = 4) -> sp.Matrix:
    """An exact rational orthogonal matrix: the Cayley transform (I - S)(I + S)^{-1} of a skew S."""
    S = sp.zeros(n, n)
    entries = [sp.Rational(1, 2), -1, sp.Rational(1, 3), sp.Rational(2, 3), 1, sp.Rational(1, 4)]
    k = 0
    for i in range(n):
        for j in range(i + 1, n):
            S[i, j], S[j, i] = entries[k % len(entries)], -entries[k % len(entries)]
            k += 1
    R = (sp.eye(n) - S) * (sp.eye(n) + S).inv()
    assert R.T * R == sp.eye(n)
    return R


def _rotated(case, R):
    """``f(R u)`` at ``u = R^T xb``, as check arguments in the variables a, b, c, d."""
    expr, names, at = case
    x = sp.symbols(names.replace(",", " "))
    u = sp.symbols("a b c d")
    f = sp.sympify(expr, locals={str(s): s for s in x})
    g = f.subs(dict(zip(x, R * sp.Matrix(u), strict=True)), simultaneous=True)
    xb = sp.Matrix([sp.sympify(p) for p in at.split(",")])
    return sp.sstr(g), "a,b,c,d", ",".join(sp.sstr(v) for v in R.T * xb)


@pytest.mark.parametrize("case", [SQRT2, WITH_KERNEL])
def test_certified_route_is_rotation_invariant(case):
    """An exact rational rotation of the variables (Cayley) gives the same certified
    eigenvalues, verdicts and flip coefficient; the top direction is R^T e_1 (up to sign)."""
    R = _cayley()
    plain = check_multivariate(*case, simulate=False)
    rotated = check_multivariate(*_rotated(case, R), simulate=False)
    assert rotated.route == "certified"
    for a, b in zip(plain.eigenvalue_balls, rotated.eigenvalue_balls, strict=True):
        assert a.overlaps(b)
    with ctx.workprec(512):  # exact rationals as (much) tighter balls than q's enclosure
        row = [arb(fmpq(int(v.p), int(v.q))) for v in R[0, :]]
    q = rotated.direction_enclosure
    assert all(c.contains(v) for c, v in zip(q, row, strict=True)) or all(c.contains(-v) for c, v in zip(q, row, strict=True))
    assert rotated.manifold_dimension == plain.manifold_dimension
    assert rotated.cross_section.verdict == plain.cross_section.verdict == "holds"
    assert rotated.flip_verdict == plain.flip_verdict == "supercritical"
    assert rotated.flip.enclosure.overlaps(plain.flip.enclosure)


def test_certified_route_agrees_with_the_exact_route_on_small_cases():
    for args, flip in [(("(x*y-1)**2/2", "x,y", "1,1"), -8), (("x**2/2 + y**2 + x**3 - x**4 + 3*x*y**2", "x,y", "0,0"), -36)]:
        exact = check_multivariate(*args, simulate=False)
        ball = check_multivariate(*args, simulate=False, route="certified")
        assert exact.route == "exact" and ball.route == "certified" and ball.rigor == "certified"
        assert ball.manifold_dimension == exact.manifold_dimension
        assert ball.cross_section.verdict == exact.cross_section.verdict
        assert ball.flip_verdict == exact.flip_verdict and ball.flip.enclosure.contains(flip)


def test_certified_route_exact_zeros_only_by_proof():
    """Along the top axis sqrt(2) x^2/2 + y^2/2 + z^2/2 + w^4 is exactly quadratic: the block
    structure makes the other components of q exact zeros, so the cross-section fails (no case)
    instead of being undecided; the kernel (w) is proved exactly."""
    r = check_multivariate("sqrt(2)*x**2/2 + y**2/2 + z**2/3 + w**4", "x,y,z,w", "0,0,0,0", simulate=False)
    assert r.route == "certified" and r.manifold_dimension == 1
    assert r.cross_section.verdict == "fails" and r.flip.sign == 0


def test_certified_route_without_an_exact_kernel_is_undecided(monkeypatch):
    """If the zero eigenvalue cannot be proved (here: sympy's kernel is withheld), the manifold
    dimension and the flip coefficient (which needs H^+) are undecided; the cross-section,
    which does not need them, is still decided."""
    import symbolic_eos.multivariate as mv

    monkeypatch.setattr(mv, "_exact_kernel", lambda hessian: None)
    r = check_multivariate(*WITH_KERNEL, simulate=False)
    assert r.manifold_dimension is None and r.flip_verdict == "undecided" and r.flip.sign is None
    assert r.cross_section.verdict == "holds" and r.to_dict()["flip_coefficient"] is None


@pytest.mark.parametrize(
    "expr, message",
    [
        ("sqrt(2)*(x**2 + y**2)/2 + z**2/2 + w**2/4 + x**3", "repeated"),
        ("sqrt(2)*x**2 - y**2 + z**2/2 + w**2/3", "not a minimum"),
    ],
)
def test_certified_route_bad_input(expr, message):
    with pytest.raises(InputError, match=message):
        check_multivariate(expr, "x,y,z,w", "0,0,0,0", simulate=False)


def test_cli_certified_route(capsys):
    assert main(["check", SQRT2[0], "--vars", SQRT2[1], "--at", SQRT2[2], "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    keys = {"point", "eigenvalues", "eta_critical", "direction", "manifold_dimension", "cross_section_verdict",
            "flip_verdict", "flip_coefficient", "rigor"}
    assert keys <= set(d) and d["rigor"] == "certified" and d["route"] == "certified"
    assert d["cross_section_verdict"] == "holds" and d["flip_verdict"] == "supercritical" and d["manifold_dimension"] == 0
    assert abs(float(d["eigenvalues"][0]) - 2**0.5) < 1e-15 and abs(float(d["eta_critical"]) - 2**0.5) < 1e-15
    assert main(["check", "sqrt(2)*(x**2 + y**2)/2 + z**2/2 + w**2/4", "--vars", "x,y,z,w", "--at", "0,0,0,0", "--json"]) == 2
    captured = capsys.readouterr()
    assert "repeated" in json.loads(captured.out)["error"] and "Traceback" not in captured.err
