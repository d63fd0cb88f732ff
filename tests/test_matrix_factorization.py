"""Matrix factorisation: the paper's 'any minimiser' claim, its counterexample, the exact rule."""

from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from symbolic_eos.errors import InputError

from symbolic_eos.multivariate import check_multivariate
from symbolic_eos.settings.matrix_factorization import COUNTEREXAMPLE, mf_cross_section, mf_loss


def _generic(c, y, z):
    """The generic route: exact Hessian eigen-structure and directional jets of the loss."""
    expr, variables = mf_loss(c)
    at = ",".join(y.replace(";", ",").split(",") + z.replace(";", ",").split(","))
    return check_multivariate(expr, variables, at, simulate=False)


def test_counterexample_unbalanced_minimiser():
    # C = diag(1, 1/4), Y = diag(1, 1/8), Z = diag(1, 2): Y Y^T has top eigenvector e1, Z Z^T has
    # e2, so b^T C a = 0 and the loss is exactly quadratic along the top direction (0,2,0,0,0,0,1,0).
    structural = mf_cross_section(*COUNTEREXAMPLE)
    assert structural.coupling == 0 and structural.third == 0 and structural.fourth == 0 and not structural.holds
    generic = _generic(*COUNTEREXAMPLE)
    assert [str(v) for v in generic.eigenvalues_exact[:4]] == ["5", "257/64", "2", "65/64"]
    assert generic.cross_section.verdict == "fails"  # the paper's claim fails here ...
    assert generic.flip_verdict == "supercritical"  # ... while the exact criterion still holds


def test_balanced_minimiser_satisfies_the_claim():
    c, y, z = "1,0;0,1/4", "1,0;0,1/2", "1,0;0,1/2"
    structural = mf_cross_section(c, y, z)
    assert structural.holds and structural.quantity == 384  # 96 |A|^2 |B|^2 = 96 * 4 * 1
    assert _generic(c, y, z).cross_section.verdict == "holds"


positive = st.fractions(Fraction(1, 8), 4, max_denominator=8)


@settings(max_examples=60, deadline=None)
@given(positive, positive, st.fractions(Fraction(1, 16), 1, max_denominator=16))
def test_diagonal_minimisers_hold_iff_coupled(p1, p2, s):
    """Property: for C = diag(1, s), Y = diag(p1, p2), Z = diag(1/p1, s/p2), the cross-section
    condition holds exactly when b^T C a != 0, and 3 L'''^2 - L'' L'''' = 96 |A|^2 |B|^2 >= 0."""
    c = f"1,0;0,{s}"
    y = f"{p1},0;0,{p2}"
    z = f"{1 / p1},0;0,{s / p2}"
    try:
        r = mf_cross_section(c, y, z)
    except InputError as exc:  # a repeated top eigenvalue: no single top direction to test
        assert "repeated" in str(exc) and (p1 == p2 or s / p2 == 1 / p1)
        return
    assert r.quantity >= 0
    assert (r.quantity > 0) == r.holds
    # Unbalanced enough (top of YY^T along e1, of ZZ^T along e2), the claim fails:
    if p1**2 > p2**2 and (s / p2) ** 2 > (1 / p1) ** 2:
        assert not r.holds


@settings(max_examples=4, deadline=None)
@given(positive, positive)
def test_structure_agrees_with_the_generic_check(p1, p2):
    c = "1,0;0,1/4"
    y, z = f"{p1},0;0,{p2}", f"{1 / p1},0;0,{Fraction(1, 4) / p2}"
    try:
        structural = mf_cross_section(c, y, z)
        generic = _generic(c, y, z)
    except InputError as exc:  # a repeated top eigenvalue has no single direction: not an instance
        assert "repeated" in str(exc)
        return
    assert (generic.cross_section.verdict == "holds") == structural.holds


def test_gd_oscillation_is_confined_to_u_u_T_with_the_quartics_delta():
    """The paper's observation: Y Z^T - C = (delta^2 - 1) u u^T on the 2-cycle, delta the
    quartic's; delta^2 - 1 at eta = 11/10 solves from eta^2 u^2 - (eta^2 + eta) u + 1 = 0."""
    from symbolic_eos.settings.matrix_factorization import simulate_mf

    r = simulate_mf(d=3, eta=1.1, lambda2=0.5, seed=0, steps=8000)
    assert r.outcome.startswith("oscillation confined")
    assert max(abs(a - b) for a, b in zip(r.phases, r.quartic, strict=True)) < 1e-9
    assert r.off_direction < 1e-9 and r.top_imbalance < 1e-9
    # eta (1 + lambda2) > 2: GD does not settle
    assert simulate_mf(d=3, eta=1.1, lambda2=0.9, seed=0, steps=8000).outcome != r.outcome


@settings(max_examples=25, deadline=None)
@given(st.fractions(-3, 3, max_denominator=5), positive, positive, st.fractions(Fraction(1, 16), 1, max_denominator=16))
def test_rotated_minimisers(t, p1, p2, s):
    """Property in a rotated basis: C = U diag(1, s) U^T, Y = U diag(p1, p2), Z = U diag(1/p1, s/p2)
    with the rational rotation U = [[a, -b], [b, a]], a = (1-t^2)/(1+t^2), b = 2t/(1+t^2).  The
    structure (and so the verdict) is rotation invariant: compare with the unrotated minimiser."""
    import sympy as sp

    a, b = (1 - t * t) / (1 + t * t), 2 * t / (1 + t * t)
    U = sp.Matrix([[a, -b], [b, a]])
    text = lambda M: ";".join(",".join(str(sp.Rational(M[i, j])) for j in range(2)) for i in range(2))  # noqa: E731
    C = U * sp.diag(1, s) * U.T
    Y = U * sp.diag(p1, p2)
    Z = U * sp.diag(1 / p1, s / p2)
    try:
        plain = mf_cross_section(f"1,0;0,{s}", f"{p1},0;0,{p2}", f"{1 / p1},0;0,{s / p2}")
    except InputError:  # repeated top eigenvalue: then the rotated one is refused too
        with pytest.raises(InputError):
            mf_cross_section(text(C), text(Y), text(Z))
        return
    rotated = mf_cross_section(text(C), text(Y), text(Z))
    assert rotated.holds == plain.holds
    assert sp.simplify(rotated.quantity - plain.quantity) == 0
