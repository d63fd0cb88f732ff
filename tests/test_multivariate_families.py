"""Multivariate families (issue 16 item 5): the branches, the cross-section and the exact flip
coefficient as exact expressions in the parameters, checked against plain sympy written here
(eigenvalues from ``Matrix.eigenvals``, the third and fourth derivative tensors summed by hand,
``H^+`` from the eigen-decomposition; never multi/flip.py or the engine's algebra), against the
point-wise multivariate check at random rational parameter values (a different code path:
numbers, not expressions), and on bad input."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import pytest
import sympy as sp
from hypothesis import example, given, settings, strategies as st

from symbolic_eos import check_multivariate
from symbolic_eos.cli import main
from symbolic_eos.errors import InputError
from symbolic_eos.multi.check import check_multivariate_expr
from symbolic_eos.multi.families import check_multivariate_family_expr

from .profiles import examples

x, y, a, s = sp.symbols("x y a s")
ONE = (sp.Integer(1), sp.Integer(1))
ORIGIN = (sp.Integer(0), sp.Integer(0))
PENALISED = (x * y - 1) ** 2 / 2 + a * (x - y) ** 2 / 2
XY = (x * y - 1) ** 2 / 2
COUPLED = x**2 + y**2 / 2 + x**4 + a * x**2 * y
z, b = sp.symbols("z b")
XYZ = (x * y * z - 1) ** 2 / 2 + a * (x - y) ** 2 / 2  # a curve of minima through (1, 1, 1)
BLOCK = x**2 / 2 + a * x * y + y**2 + 5 * z**2 + z**3 + b * x * z**2  # an eigenvalue pair not rational in a


@lru_cache(maxsize=None)
def family(name: str):
    expr, variables, params, point = FAMILIES[name]
    return check_multivariate_family_expr(expr, variables, params, point)


FAMILIES = {
    "penalised": (PENALISED, (x, y), (a,), ONE),
    "xy": (XY, (x, y), (s,), (s, 1 / s)),
    "coupled": (COUPLED, (x, y), (a,), ORIGIN),
    "xyz": (XYZ, (x, y, z), (a,), (sp.Integer(1),) * 3),
    "block": (BLOCK, (x, y, z), (a, b), (sp.Integer(0),) * 3),
}


# -- plain sympy oracles --------------------------------------------------------------------------


def _plain(f, point, q):
    """``(H, l1, -2c, unit cross-section c3, coupling)`` for the top eigenvector ``q`` by the
    textbook formulas: tensors summed index by index, ``H^+`` from sympy's eigenvectors."""
    v = (x, y, z)[: len(point)]
    n = len(v)
    at = dict(zip(v, point, strict=True))
    H = sp.hessian(f, v).subs(at)
    r = range(n)
    T = {(i, j, k): sp.diff(f, v[i], v[j], v[k]).subs(at) for i in r for j in r for k in r}
    Q = {(i, j, k, m): sp.diff(f, v[i], v[j], v[k], v[m]).subs(at) for i in r for j in r for k in r for m in r}
    N = sum(c**2 for c in q)
    u = [c / sp.sqrt(N) for c in q]  # the unit eigenvector
    l1 = sp.simplify((sp.Matrix(u).T * H * sp.Matrix(u))[0, 0])
    g = [sum(T[i, j, k] * u[i] * u[j] for i in r for j in r) for k in r]
    d4 = sum(Q[i, j, k, m] * u[i] * u[j] * u[k] * u[m] for i in r for j in r for k in r for m in r)
    pinv = sp.zeros(n, n)
    for value, _, vectors in H.eigenvects():
        if sp.simplify(value) != 0:
            for w in vectors:
                pinv += w * w.T / (value * (w.T * w)[0, 0])
    ghg = (sp.Matrix(g).T * pinv * sp.Matrix(g))[0, 0]
    c = (2 / l1) / 6 * (3 * ghg - d4)
    d3 = sum(T[i, j, k] * u[i] * u[j] * u[k] for i in r for j in r for k in r)
    c3 = -sp.Rational(2, 3) / l1**2 * (3 * d3**2 - l1 * d4)  # the 1-D cubic flip coefficient
    return H, l1, sp.simplify(-2 * c), sp.simplify(c3), sp.simplify(c3 + 2 * c)



def test_penalised_xy_branches_against_plain_eigenvalues():
    r = family("penalised")
    H = sp.hessian(PENALISED, (x, y)).subs({x: 1, y: 1})
    assert H == sp.Matrix([[1 + a, 1 - a], [1 - a, 1 + a]])
    assert set(H.eigenvals()) == {2, 2 * a}
    assert [b.top for b in r.branches] == [2, 2 * a]
    assert [b.where for b in r.branches] == ["0 < a < 1", "1 < a"]
    assert [b.eta_critical for b in r.branches] == [1, 1 / a]
    for b in r.branches:
        _, l1, exact, cross, coupling = _plain(PENALISED, ONE, b.direction)
        assert sp.simplify(l1 - b.top) == 0
        assert sp.simplify(b.exact_coefficient - exact) == 0
        assert sp.simplify(b.cross_section_coefficient - cross) == 0
        assert sp.simplify(b.coupling - coupling) == 0
    # a < 1: along (1, 1) both criteria agree (-8); a > 1: along (1, -1) the cubic term vanishes
    # and the cross-section fails, while -2c = 0 exactly: the order-3 test says nothing there
    low, high = r.branches
    assert low.exact_coefficient == -8 and low.flip == "supercritical"
    assert high.exact_coefficient == 0 and high.degenerate and high.flip == "undecided"
    assert high.cross_section.summary.startswith("fails") and high.cross_section_coefficient == 1 / a
    assert r.rigor == "exact" and r.manifold_dimension == 0


def test_point_on_the_manifold_of_minima_depending_on_a_parameter():
    r = family("xy")
    (b,) = r.branches
    H = sp.hessian(XY, (x, y)).subs({x: s, y: 1 / s})
    assert {sp.simplify(v) for v in H.eigenvals()} == {0, sp.simplify(s**2 + 1 / s**2)}
    assert sp.simplify(b.top - (s**2 + s**-2)) == 0 and r.manifold_dimension == 1
    assert b.kernel_condition is not None and b.kernel_condition.statement == "s = -1 or s = 1" and not b.applies
    _, _, exact, cross, coupling = _plain(XY, (s, 1 / s), b.direction)
    assert sp.simplify(b.cross_section_coefficient - cross) == 0
    # the coefficient is Kuznetsov's only where g is orthogonal to the kernel (s = +-1): compare there
    for value in (1, -1):
        assert sp.simplify((b.exact_coefficient - exact).subs(s, value)) == 0
        assert r.coefficient_at({"s": value}) == -8 and r.flip_at({"s": value}) == "supercritical"
    assert r.flip_at({"s": 2}) == "drift" and r.coefficient_at({"s": 2}) is None
    assert r.verdict_at({"s": 0}) == "undecided"  # the point is not finite there


def test_coupling_makes_the_flip_supercritical_where_the_cross_section_fails():
    b = family("coupled").branches[0]
    _, l1, exact, cross, coupling = _plain(COUPLED, ORIGIN, b.direction)
    assert l1 == 2 and sp.expand(exact - (8 - 4 * a**2)) == 0 and cross == 8 and sp.expand(coupling - 4 * a**2) == 0
    assert sp.expand(b.exact_coefficient - exact) == 0 and b.cross_section_coefficient == cross
    assert b.flip_condition.statement == "a < -sqrt(2) or sqrt(2) < a"
    assert b.cross_section.summary.startswith("fails")


# -- the family against the point-wise check --------------------------------------------------------


def _agrees(name, values):
    """The family at exact ``values`` against :func:`check_multivariate_expr` on the loss and the
    point with the values substituted (numbers, not expressions: another code path)."""
    expr, variables, params, point = FAMILIES[name]
    r = family(name)
    subs = {p: values[str(p)] for p in params}
    concrete = expr.subs(subs)
    coordinates = tuple(sp.sympify(p).subs(subs) for p in point)
    if r.branch_at(values) is None:
        with pytest.raises(InputError):
            check_multivariate_expr(concrete, variables, coordinates, simulate=False)
        return
    pointwise = check_multivariate_expr(concrete, variables, coordinates, simulate=False)
    assert r.verdict_at(values) == pointwise.cross_section.verdict
    assert r.flip_at(values) == pointwise.flip_verdict
    coefficient = r.coefficient_at(values)
    if pointwise.flip is not None and pointwise.flip.exact is not None:
        assert coefficient == sp.Rational(str(pointwise.flip.exact))
    assert r.branch_at(values).eta_critical.subs(subs) == pointwise.eta_critical


def _q(value: Fraction) -> sp.Rational:
    return sp.Rational(value.numerator, value.denominator)


rationals = st.fractions(min_value=Fraction(1, 30), max_value=5, max_denominator=30)


@settings(max_examples=examples(15), deadline=None)
@given(rationals)
@example(Fraction(1))  # the two top eigenvalues meet: no branch, and the point-wise check refuses
@example(Fraction(1, 2))
@example(Fraction(3))
def test_penalised_family_agrees_with_the_pointwise_check(value):
    _agrees("penalised", {"a": _q(value)})


@settings(max_examples=examples(15), deadline=None)
@given(rationals, st.booleans())
@example(Fraction(1), False)
@example(Fraction(1), True)
def test_manifold_family_agrees_with_the_pointwise_check(value, negative):
    _agrees("xy", {"s": _q(value) * (-1 if negative else 1)})


@settings(max_examples=examples(15), deadline=None)
@given(st.fractions(min_value=-4, max_value=4, max_denominator=30))
@example(Fraction(0))
def test_coupled_family_agrees_with_the_pointwise_check(value):
    _agrees("coupled", {"a": _q(value)})


@settings(max_examples=examples(10), deadline=None)
@given(st.fractions(min_value=Fraction(1, 20), max_value=3, max_denominator=20))
@example(Fraction(3, 2))  # 2a meets the top eigenvalue 3
def test_three_variable_family_on_a_curve_of_minima_agrees_with_the_pointwise_check(value):
    _agrees("xyz", {"a": _q(value)})


@settings(max_examples=examples(10), deadline=None)
@given(st.fractions(min_value=-2, max_value=2, max_denominator=20), st.fractions(min_value=-3, max_value=3, max_denominator=20))
@example(Fraction(2), Fraction(1))  # outside -sqrt(2) < a < sqrt(2): not a minimum
def test_two_parameter_family_with_an_irrational_pair_agrees_with_the_pointwise_check(first, second):
    _agrees("block", {"a": _q(first), "b": _q(second)})


def test_an_identically_orthogonal_g_makes_the_coefficient_apply_everywhere():
    r = family("xyz")
    assert r.manifold_dimension == 1 and [b.where for b in r.branches] == ["0 < a < 3/2", "3/2 < a"]
    for b in r.branches:
        assert b.kernel_condition is not None and b.kernel_condition.extent == "always" and b.applies
    _, _, exact, _, _ = _plain(XYZ, (1, 1, 1), r.branches[0].direction)
    assert r.branches[0].exact_coefficient == exact == sp.Rational(-176, 9)


def test_an_eigenvalue_pair_not_rational_in_the_parameters_orders_by_its_polynomial():
    r = family("block")
    (b,) = r.branches
    assert r.other_factors and b.top == 10 and b.where == "-sqrt(2) < a < sqrt(2)"
    _, _, exact, cross, _ = _plain(BLOCK, (0, 0, 0), b.direction)
    assert sp.simplify(b.exact_coefficient - exact) == 0 and b.cross_section_coefficient == cross


def test_a_positive_semidefinite_point_off_the_branches_is_undecided_not_guessed():
    r = family("penalised")
    # a = 0: H = [[1, 1], [1, 1]] gains a kernel the family does not have identically
    assert r.branch_at({"a": 0}) is None and r.verdict_at({"a": 0}) == "undecided" and r.flip_at({"a": 0}) == "undecided"


# -- the edge: text, the command line, JSON, bad input ------------------------------------------------


def test_text_and_sympy_give_the_same_family():
    from_text = check_multivariate("(x*y - 1)**2/2", "x,y", "s,1/s", params="s").to_dict()
    from_sympy = check_multivariate(XY, ["x", "y"], [s, 1 / s], params=[s]).to_dict()
    assert from_text["branches"] == from_sympy["branches"] and from_text["kind"] == "multivariate_family"


def test_cli_text_and_json(capsys, tmp_path):
    assert main(["check", "(x*y - 1)**2/2 + a*(x - y)**2/2", "--vars", "x,y", "--at", "1,1", "--params", "a"]) == 0
    out = capsys.readouterr().out
    assert "branch where 0 < a < 1" in out and "branch where 1 < a" in out
    page = tmp_path / "r.md"
    assert main(["check", "(x*y - 1)**2/2 + a*(x - y)**2/2", "--vars", "x,y", "--at", "1,1", "--params", "a", "--report", str(page)]) == 0
    assert "| 0 < a < 1 |" in page.read_text()
    assert main(["check", "(x*y - 1)**2/2 + a*x", "--vars", "x,y", "--at", "1,1", "--params", "a", "--region", "a=0:1"]) == 2


@pytest.mark.parametrize("call, parameter", [
    (lambda: check_multivariate_family_expr((x * y - a) ** 2 / 2, (x, y), (a,), ONE), "point"),
    (lambda: check_multivariate_family_expr(PENALISED, (x, y), (a, x), ONE), "params"),
    (lambda: check_multivariate_family_expr(PENALISED + s, (x, y), (a,), ONE), "params"),
    (lambda: check_multivariate_family_expr(PENALISED, (x, y), (a,), (sp.Integer(1),)), "point"),
    (lambda: check_multivariate_family_expr(PENALISED, (x, y), (), ONE), "params"),
    (lambda: check_multivariate_family_expr(x**2 / 2 + a * x * y + y**2, (x, y), (a,), ORIGIN), "point"),
    (lambda: check_multivariate("(x*y - 1)**2/2", "x,y", "1,1", params="x"), "params"),
    (lambda: check_multivariate("(x*y - 1)**2/2", "x,y", "1", params="a"), "at"),
    (lambda: family("penalised").verdict_at({"b": 1}), "values"),
])
def test_bad_input_names_the_parameter(call, parameter):
    with pytest.raises(InputError) as info:
        call()
    assert parameter in info.value.parameters or f"`{parameter}`" in str(info.value) or str(info.value).startswith(parameter)


def test_an_irrational_top_eigenvalue_is_refused_with_the_reason():
    with pytest.raises(InputError, match="rational in the parameters"):
        check_multivariate_family_expr(x**2 / 2 + a * x * y + y**2, (x, y), (a,), ORIGIN)


def test_the_branch_flip_word_needs_the_sign_on_the_whole_branch():
    sub = check_multivariate_family_expr(x**2 + y**2 / 2 + (3 + a**2) * x**4, (x, y), (a,), ORIGIN).branches[0]
    assert sp.expand(sub.exact_coefficient - 8 * (a**2 + 3)) == 0 and sub.flip == "subcritical"
    assert family("coupled").branches[0].flip == "undecided"  # supercritical only for |a| > sqrt(2)
    assert family("penalised").branches[0].flip == "supercritical"
