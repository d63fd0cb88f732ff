"""Multivariate losses: Hessian, top direction, cross-section vs exact flip coefficient."""

import json
from fractions import Fraction

import pytest
import sympy as sp
from flint import arb, ctx, fmpq
from hypothesis import assume, given, settings, strategies as st

from symbolic_eos.cli import main
from symbolic_eos.core.decide import as_sympy
from symbolic_eos.errors import InputError
from symbolic_eos.core.jets import constant_enclosure, to_fmpq
from symbolic_eos.api import check_multivariate
from .profiles import examples


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
    assert r.simulation.startswith("converged to a fixed point") and "a flatter minimum" in r.simulation
    assert r.flip_verdict == "drift"


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


@settings(max_examples=examples(40), deadline=None)
@given(st.fractions(1, 3, max_denominator=3), st.lists(coefficients, min_size=7, max_size=7))
def test_cross_section_holds_implies_exact_supercritical(a, c):
    """Property (a theorem for positive semi-definite H): g^T H^+ g >= (D^3f[q,q,q])^2/l1, so the
    paper's cross-section condition (k = 3) implies the exact flip is supercritical."""
    terms = ["y**2", f"({a})*x**2/2"] + [
        f"({v})*{m}" for v, m in zip(c, ["x**3", "x**2*y", "x*y**2", "y**3", "x*y**3", "y**4", "x**2*y**2"], strict=True)
    ]
    assume(Fraction(a) != 2)  # repeated top eigenvalue: no single direction (an input error, tested above)
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
    from symbolic_eos.api import multivariate_orbit

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
    from symbolic_eos.api import check

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
    from symbolic_eos.api import check

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
    # The 1-D check may now know f'' exactly (sqrt(2), over the algebraic route): enclose it.
    top = one_d.curvature.enclosure if one_d.curvature.exact is None else constant_enclosure(as_sympy(one_d.curvature.exact), 256)
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
    import symbolic_eos.multi.hessian as hessian

    monkeypatch.setattr(hessian, "_exact_kernel", lambda matrix: None)
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


# ---------------------------------------------------------------------------------------------
# Non-isolated minima: the sharpness gradient along ker H (drift) versus the flip coefficient.


def _gd(expr_text, names, xb, v, eta, steps=20000, every=500):
    """Float GD (numpy, sympy's lambdify: no code shared with the engine) from ``xb + 1e-3 v``:
    the last two iterates, the sharpness at the two-step midpoints every ``every`` steps."""
    import numpy as np

    syms = sp.symbols(names.replace(",", " "))
    f = sp.sympify(expr_text, locals={str(s): s for s in syms})
    grad = sp.lambdify(syms, [sp.diff(f, s) for s in syms], "numpy")
    hess = sp.lambdify(syms, sp.hessian(f, syms), "numpy")
    x = np.array(xb, dtype=float) + 1e-3 * v / np.linalg.norm(v)
    trace = []
    for k in range(steps):
        new = x - eta * np.array(grad(*x), dtype=float)
        if k % every == 0:
            trace.append(_float_sharpness(hess, (x + new) / 2))
        previous, x = x, new
    return previous, x, np.array(trace), lambda y: _float_sharpness(hess, y)


def _float_sharpness(hess, x):
    import numpy as np

    return float(np.linalg.eigvalsh(np.array(hess(*x), dtype=float))[-1])


def test_unbalanced_xy_minimum_is_a_drift_not_a_flip():
    """(xy-1)^2/2 at (2, 1/2): on the manifold xy = 1 the Hessian has rank one, so the sharpness
    there is its trace x^2 + 1/x^2, whose derivative along the unit tangent (1, -1/x^2)/|.| at
    x = 2 is (4 - 1/4) / (sqrt(17)/4) = 15/sqrt(17): the exact |P_ker D^3 f[v,v,.]|."""
    r = check_multivariate("(x*y-1)**2/2", "x,y", "2,1/2", simulate=False)
    s = r.sharpness_gradient
    assert s.status == "nonzero" and s.rigor == "exact" and r.manifold.proved
    assert [d.exact for d in s.vector] == [fmpq(60, 17), fmpq(-15, 17)]
    assert s.norm_squared.exact == fmpq(225, 17) and sp.sympify(s.norm_exact) == 15 / sp.sqrt(17)
    x = sp.Symbol("x")
    along = sp.diff(x**2 + 1 / x**2, x) / sp.sqrt(1 + 1 / x**4)
    assert sp.simplify(along.subs(x, 2) - 15 / sp.sqrt(17)) == 0
    # The gradient is tangent to the manifold: orthogonal to grad(xy) = (y, x) = (1/2, 2).
    assert s.vector[0].exact / 2 + 2 * s.vector[1].exact == 0
    assert r.flip_verdict == "drift" and r.flip is None and r.rigor == "exact"
    d = r.to_dict()
    assert d["flip_verdict"] == "drift" and d["flip_coefficient"] is None
    assert d["sharpness_gradient"]["status"] == "nonzero" and d["sharpness_gradient"]["norm_exact"] == "15*sqrt(17)/17"
    assert d["sharpness_gradient"]["vector_exact"] == ["60/17", "-15/17"] and d["manifold_of_minima"] == "proved"
    text = r.to_text()
    assert "the sharpness drifts along the manifold of minima at rate |P_ker g| = 15*sqrt(17)/17" in text
    assert "GD past eta0 drifts to flatter minima; no 2-cycle is born here" in text
    assert "drifts along the manifold of minima" in r.to_markdown()


def _drift_case(expr, names, at):
    import numpy as np

    r = check_multivariate(expr, names, at, simulate=False)
    xb = np.array([float(sp.sympify(p)) for p in at.split(",")])
    v = np.array([float(c) for c in r.direction])
    return r, xb, v, float(r.eigenvalues_exact[0])


@pytest.mark.parametrize("case", ["xy", "mf", "valley"])
def test_gd_past_eta0_drifts_down_the_certified_sharpness_gradient(case):
    """Floats are evidence: they must side with the exact verdict.  GD at eta0 (1 + 1e-3) from
    xb + 1e-3 v: the sharpness at the iterates decreases, GD settles on a fixed point (no
    2-cycle) that is a flatter minimum (sharpness < 2/eta), displaced along -P_ker g, and the
    sharpness change matches the first-order prediction P_ker g . (x - xb)."""
    import numpy as np

    from symbolic_eos.paper.matrix_factorization import COUNTEREXAMPLE, mf_loss

    if case == "xy":
        expr, names, at = "(x*y-1)**2/2", "x,y", "2,1/2"
    elif case == "valley":  # minima x = 0 with sharpness (1 + y)^2: P_ker g = (0, 2)
        expr, names, at = "(1+y)**2*x**2/2", "x,y", "0,0"
    else:
        expr, names = mf_loss(COUNTEREXAMPLE[0])
        at = "1,0,0,1/8,1,0,0,2"
    r, xb, v, l1 = _drift_case(expr, names, at)
    assert r.flip_verdict == "drift"
    eta = 2 / l1 * (1 + 1e-3)
    previous, x, trace, sharpness = _gd(expr, names, xb, v, eta)
    assert np.all(np.diff(trace) <= 1e-9 * l1) and trace[-1] < trace[0]  # the sharpness decreases
    assert np.linalg.norm(x - previous) < 1e-10  # a fixed point: no 2-cycle
    assert sharpness(x) < 2 / eta < l1  # a flatter, linearly stable minimum
    pg = np.array([float(d.exact) for d in r.sharpness_gradient.vector])
    moved = (x - xb) @ pg
    assert moved < 0  # down the sharpness gradient
    assert 0.95 < (sharpness(x) - l1) / moved < 1.05  # the first-order rate


def test_balanced_xy_minimum_keeps_the_flip_and_gd_oscillates_in_place():
    """(xy-1)^2/2 at (1,1): P_ker g = 0 exactly (the balanced point is the flattest on xy = 1), the
    flip coefficient -8 applies unchanged, and GD settles on a 2-cycle whose midpoint has not
    moved along the manifold (the kernel direction (-1, 1))."""
    import numpy as np

    r, xb, v, l1 = _drift_case("(x*y-1)**2/2", "x,y", "1,1")
    s = r.sharpness_gradient
    assert s.status == "zero" and s.rigor == "exact" and all(d.exact == 0 for d in s.vector)
    assert r.flip_verdict == "supercritical" and r.flip.exact == -8
    assert r.to_dict()["sharpness_gradient"]["status"] == "zero"
    previous, x, _, _ = _gd("(x*y-1)**2/2", "x,y", xb, v, 2 / l1 * (1 + 1e-3))
    assert np.linalg.norm(x - previous) > 1e-2  # a genuine 2-cycle ...
    assert abs(((x + previous) / 2 - xb) @ np.array([-1.0, 1.0])) < 1e-9  # ... that did not drift


@pytest.mark.parametrize("expr, vars_, at, coefficient", [
    ("(x*y-1)**2/2", "x,y", "1,1", -8),
    ("(x*y-1)**2/2 + (z-1)**2/4", "x,y,z", "1,1,1", -8),
    ("(x*y*z-1)**2/2", "x,y,z", "1,1,1", fmpq(-176, 9)),
    ("(x**2+y**2-1)**2/4", "x,y", "3/5,4/5", -16),  # a curved manifold of constant sharpness
    ("((y11*z11 + y12*z12 - 1)**2 + (y11*z21 + y12*z22)**2 + (y21*z11 + y22*z12)**2 + (y21*z21 + y22*z22 - 1/4)**2)/2",
     "y11,y12,y21,y22,z11,z12,z21,z22", "1,0,0,1/2,1,0,0,1/2", -8),  # the balanced MF minimiser
])
def test_kernel_orthogonal_coupling_keeps_the_flip_coefficient(expr, vars_, at, coefficient):
    """Where P_ker g = 0 is proved the coefficient is the one reported before this check existed
    (the values are those of the earlier code)."""
    r = check_multivariate(expr, vars_, at, simulate=False)
    assert r.sharpness_gradient.status == "zero" and r.sharpness_gradient.rigor == "exact"
    assert r.flip_verdict == "supercritical" and r.flip.exact == coefficient and r.rigor == "exact"


def test_kernel_coupling_without_a_manifold_of_minima_is_undecided():
    """x^2/2 + x^2 y + y^4 at 0: an isolated minimum with ker H = y and P_ker g = (0, 2) != 0, but
    no manifold of minima.  "drift" would be wrong there: GD (floats, evidence) settles on a stable
    2-cycle next to the minimum just past eta0 = 2.  So without a proved manifold the verdict is
    undecided, with the reason."""
    import numpy as np

    r = check_multivariate("x**2/2 + x**2*y + y**4", "x,y", "0,0", simulate=False)
    assert r.sharpness_gradient.status == "nonzero" and not r.manifold.proved
    assert r.flip_verdict == "undecided" and r.flip is None and "not proved" in r.flip_note
    previous, x, _, _ = _gd("x**2/2 + x**2*y + y**4", "x,y", [0, 0], np.array([1.0, 0.0]), 2 * (1 + 1e-2), steps=200000)
    after = x - 2 * (1 + 1e-2) * np.array([x[0] * (1 + 2 * x[1]), x[0] ** 2 + 4 * x[1] ** 3])
    assert np.linalg.norm(after - previous) < 1e-10 and np.linalg.norm(x - previous) > 1e-4  # a 2-cycle
    assert np.linalg.norm(x) < 1e-2  # near the minimum


@pytest.mark.parametrize("expr, vars_, at, proved", [
    ("(1+y)*x**2/2", "x,y", "0,0", True),  # a weight positive at the point
    ("(x**3-2)**2/2 + 4*(y*z-1)**2 + x*(y*z-1)**2", "x,y,z", "2**(1/3),2,1/2", True),  # one residual, two terms
    ("(x*y-1)**2/2 + (x*y-1)**3", "x,y", "2,1/2", False),  # true, but not of the form read off the tree
    ("x**2/2 + x**2*y + y**4", "x,y", "0,0", False),  # the weight y is not positive: no manifold
])
def test_manifold_of_minima_is_proved_only_for_positively_weighted_squares(expr, vars_, at, proved):
    r = check_multivariate(expr, vars_, at, simulate=False)
    assert r.sharpness_gradient.status == "nonzero" and r.manifold.proved is proved
    assert r.flip_verdict == ("drift" if proved else "undecided") and r.flip is None


def test_mf_counterexample_drifts_at_the_rate_of_the_gl2_orbit():
    """The minima Y Z^T = C are the orbit (Y G, Z G^-T); along G = exp(s A) the sharpness
    alpha + beta (top eigenvalues of Y Y^T, Z Z^T, eigenvectors a = e1, b = e2) changes at
    2 (Y^T a)^T A (Y^T a) - 2 (Z^T b)^T A (Z^T b) = 2 A11 - 8 A22, and the tangent vectors of
    A = E11, E22 are orthogonal with squared norms 2 and 257/64: |P_ker g|^2 = 2 + 64^2/257."""
    from symbolic_eos.paper.matrix_factorization import COUNTEREXAMPLE, mf_loss

    expr, names = mf_loss(COUNTEREXAMPLE[0])
    r = check_multivariate(expr, names, "1,0,0,1/8,1,0,0,2", simulate=False)
    s = r.sharpness_gradient
    assert r.flip_verdict == "drift" and r.rigor == "exact" and r.manifold.proved
    assert s.norm_squared.exact == 2 + fmpq(64**2, 257)
    assert [d.exact for d in s.vector] == [1, 0, 0, fmpq(-64, 257), -1, 0, 0, fmpq(1024, 257)]


def test_drift_on_the_certified_route():
    """An irrational Hessian in 4 variables (certified route) whose top direction lies in the
    (z, w) block of an unbalanced minimum of (zw - 1)^2: the sharpness gradient is certified
    non-zero (its exact zeros outside the block come from the exact third derivatives), the
    manifold of minima is proved with a ball determinant, and the verdict is drift."""
    r = check_multivariate("(x**3-2)**2/2 + y**2/2 + 4*(z*w-1)**2", "x,y,z,w", "2**(1/3),0,2,1/2", simulate=False)
    assert r.route == "certified" and r.manifold_dimension == 1 and r.manifold.proved
    s = r.sharpness_gradient
    assert s.status == "nonzero" and s.rigor == "certified" and r.flip_verdict == "drift"
    # The 2-D loss 8 (zw - 1)^2/2 at (2, 1/2) is 8 times (zw - 1)^2/2: rate 8 * 15/sqrt(17).
    assert s.norm_enclosure().overlaps(8 * 15 / arb(17).sqrt())
    assert s.vector[0].sign == 0 and s.vector[1].sign == 0  # exact zeros, not balls around 0


def test_certified_route_proves_a_zero_sharpness_gradient_exactly():
    """Rotated by an exact Cayley rotation, the separable loss with a kernel has a dense ball
    eigenvector; P_ker g = 0 is then proved from the exact Hessian (the characteristic
    polynomial argument), not read off balls, and the flip coefficient applies."""
    r = check_multivariate(*_rotated(WITH_KERNEL, _cayley()), simulate=False)
    assert r.route == "certified" and r.sharpness_gradient.status == "zero" and r.sharpness_gradient.rigor == "exact"
    assert r.flip_verdict == "supercritical"


def test_multivariate_orbit_refuses_a_drift_point(capsys):
    from symbolic_eos.api import multivariate_orbit

    r = multivariate_orbit("(x*y-1)**2/2", "x,y", "2,1/2", "1/2")
    assert r.cycle is None and "no 2-cycle is born" in r.message and "drifts along the manifold" in r.message
    assert main(["check", "(x*y-1)**2/2", "--vars", "x,y", "--at", "2,1/2", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["flip_verdict"] == "drift" and d["flip_coefficient"] is None
    assert set(d["sharpness_gradient"]) >= {"status", "rigor", "kernel_basis", "components", "vector", "norm", "norm_exact"}
    assert abs(float(d["sharpness_gradient"]["norm"]) - 15 / 17**0.5) < 1e-15


# ---------------------------------------------------------------------------------------------
# Top eigenvalues 1e-40 apart: exact arithmetic separates them.


def test_top_eigenvalues_1e40_apart_on_the_diagonal():
    for expr, top, direction in [("(1+10**-40)*x**2/2 + y**2/2 + x**3", 1 + sp.Rational(1, 10**40), (1, 0)),
                                 ("x**2/2 + (1+10**-40)*y**2/2 + x**3", 1 + sp.Rational(1, 10**40), (0, 1))]:
        r = check_multivariate(expr, "x,y", "0,0", simulate=False)
        assert r.route == "exact" and r.eigenvalues_exact == (top, 1) and r.direction == direction
    r = check_multivariate("(1+10**-40)*x**2/2 + y**2/2 + x**3", "x,y", "0,0", simulate=False)
    assert r.flip_verdict == "supercritical" and r.flip.exact == -72 / to_fmpq(1 + sp.Rational(1, 10**40)) ** 2


def test_top_eigenvalues_1e40_apart_off_the_diagonal():
    """H = R diag(1, 1 - 1e-40) R^T with the exact rotation R = [[3, -4], [4, 3]]/5, and the
    cubic (3x/5 + 4y/5)^3 along the top direction: the 1-D flip of x^2/2 + x^3, -2c = -72."""
    e = sp.Rational(1, 10**40)
    x, y = sp.symbols("x y")
    u, w = (3 * x + 4 * y) / 5, (-4 * x + 3 * y) / 5
    f = u**2 / 2 + (1 - e) * w**2 / 2 + u**3
    r = check_multivariate(sp.sstr(sp.expand(f)), "x,y", "0,0", simulate=False)
    assert r.eigenvalues_exact == (1, 1 - e)
    q = r.direction
    assert q[0] * 4 == q[1] * 3  # along (3, 4)
    assert r.flip_verdict == "supercritical" and r.flip.exact == -72


def test_irrational_top_eigenvalues_1e40_apart():
    """[[1, e], [e, 1 - e]], e = 1e-40: eigenvalues (2 - e +/- sqrt(5) e)/2, 2.2e-40 apart
    (radicals): separated by balls at rising precision, in the right order."""
    e = sp.Rational(1, 10**40)
    r = check_multivariate("x**2/2 + 10**-40*x*y + (1-10**-40)*y**2/2 + x**3", "x,y", "0,0", simulate=False)
    top, second = r.eigenvalues_exact
    assert sp.simplify(top - (2 - e + sp.sqrt(5) * e) / 2) == 0 and sp.simplify(second - (2 - e - sp.sqrt(5) * e) / 2) == 0
    assert r.flip_verdict == "supercritical"


def test_exact_zero_on_a_ball_eigenvector_by_the_characteristic_polynomial():
    """vanishes_on_top_eigenvector: H = R diag(3 sqrt2, 2, 1) R^T (R an exact rotation), top
    eigenvector R e1.  M = R diag(0, 1, 0) R^T gives v^T M v = 0 with N(lam) = (lam - 3 sqrt2)(lam - 1)
    not identically zero (the gcd branch); M = R diag(1, 0, 0) R^T gives v^T M v = 1 (no proof)."""
    from symbolic_eos.linalg.eigen import vanishes_on_top_eigenvector

    R = _cayley(3)
    H = R * sp.diag(3 * sp.sqrt(2), 2, 1) * R.T
    with ctx.workprec(128):
        interval = (3 * arb(2).sqrt()).union(3 * arb(2).sqrt() + arb(10) ** -20)  # holds 3 sqrt2 only
    assert vanishes_on_top_eigenvector(H, R * sp.diag(0, 1, 0) * R.T, interval)
    assert not vanishes_on_top_eigenvector(H, R * sp.diag(1, 0, 0) * R.T, interval)
    assert not vanishes_on_top_eigenvector(H, R * sp.diag(0, 1, 0) * R.T * sp.exp(1), interval)  # not algebraic: no proof
