"""Families of losses (issue 16): the exact conditions on the parameters, checked against plain
sympy derivations written here (never the engine's own derivatives or flip algebra), against the
point-wise check (a different code path: Taylor jets at a number) at random rational parameter
values, and on hostile input."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import example, given, reject, settings, strategies as st

from symbolic_eos import check, check_family, check_l2, check_l2_family
from symbolic_eos.analysis.check import check_expr
from symbolic_eos.analysis.families import check_family_expr, with_parameter_map
from symbolic_eos.cli import main
from symbolic_eos.errors import InputError

from .profiles import examples

x, a, b, w, y = sp.symbols("x a b w y")
EXAMPLE = x**2 / 2 + a * x**3 + b * x**4


def _plain_derivatives(f, at, n):
    return [sp.simplify(sp.diff(f, x, j).subs(x, at)) for j in range(n + 1)]


def test_the_issue_example_holds_iff_b_below_nine_halves_a_squared():
    r = check_family(EXAMPLE, "a,b", 0)
    d = _plain_derivatives(EXAMPLE, 0, 4)
    k3 = r.cases[0]
    assert sp.expand(k3.condition.expression - (3 * d[3] ** 2 - d[2] * d[4])) == 0
    assert k3.condition.solved == "b < 9*a**2/2" and k3.where == "a != 0"
    assert r.cases[1].fixed == ((a, 0),) and r.cases[1].condition.statement == "b < 0"
    assert r.cases[2].verdict == "fails"  # a = b = 0: a quadratic
    assert r.eta_critical == 2 and r.rigor == "exact" and r.complete


def _gd_square_coefficients(f, order):
    """The coefficients of F(F(t)) - t at eta0 = 2/f''(0) for a polynomial f, by plain composition."""
    t = sp.Symbol("t")
    eta = 2 / sp.diff(f, x, 2).subs(x, 0)
    gd = sp.expand(t - eta * sp.diff(f, x).subs(x, t))
    twice = sp.expand(gd.subs(t, gd) - t)
    return [sp.factor(twice.coeff(t, j)) for j in range(order + 1)]


def test_flip_coefficients_against_plain_composition():
    r = check_family(EXAMPLE, "a,b", 0)
    plain = _gd_square_coefficients(EXAMPLE, 5)
    assert sp.expand(r.cases[0].flip_coefficient - plain[3]) == 0
    # on the boundary b = 9 a^2/2 the cubic term vanishes and the quintic decides
    on_curve = sp.factor(plain[5].subs(b, sp.Rational(9, 2) * a**2))
    assert sp.expand(plain[3].subs(b, sp.Rational(9, 2) * a**2)) == 0
    g = r.generalised_flip
    assert g.boundary == "b = 9*a**2/2" and sp.expand(g.coefficient - on_curve) == 0 and g.sign == 1


def test_point_depending_on_the_parameter():
    # f = (x^2 - a)^2/4 at sqrt(a): f'' = 2a, f''' = 6 sqrt(a), f'''' = 6, so 3 f'''^2 - f'' f'''' = 96 a
    r = check_family("(x**2 - a)**2/4", "a", "sqrt(a)")
    assert r.minimum.statement == "0 < a" and r.holds_everywhere and "0 < a" in r.theorem
    assert sp.simplify(r.cases[0].condition.expression - 96 * a) == 0
    assert r.verdict_at({"a": 2}) == "holds"


def test_l2_family_theorem_for_tanh_against_plain_sympy():
    r = check_l2_family("tanh(w*x)", "y", "w,y")
    g = sp.tanh(w * x)
    xb = sp.atanh(y) / w
    c = sp.diff(g, x) * sp.diff(g, x, 3) - 6 * sp.diff(g, x, 2) ** 2
    plain = sp.simplify(c.subs(x, xb))
    assert sp.simplify(plain - (-2 * w**4 * (1 - y**2) ** 2 * (1 + 9 * y**2))) == 0
    assert sp.simplify(r.rule.expression - plain) == 0
    assert r.x_bar == xb and r.solved
    assert r.theorem is not None and "w != 0 and -1 < y < 1" in r.theorem
    assert r.general.holds_everywhere


def test_l2_family_that_fails_somewhere_is_no_theorem():
    # g = x^3 + w x at x_bar = 0 with target 0: g' = w, g'' = 0, g''' = 6, so C = 6 w < 0 iff w < 0
    r = check_l2_family("x**3 + w*x", 0, "w", at=0)
    assert r.theorem is None and r.rule.statement == "w < 0"


# -- the symbolic conditions agree with the point-wise check -------------------------------------

small = st.fractions(-3, 3, max_denominator=4)


@st.composite
def polynomial_families(draw):
    """f = c2 x^2 + (p a + q b + r) x^3 + (s a + t b + u a^2) x^4 + v x^5 with small integers."""
    c = [draw(st.integers(-3, 3)) for _ in range(8)]
    c2 = draw(st.integers(1, 3))
    return c2 * x**2 + (c[0] * a + c[1] * b + c[2]) * x**3 + (c[3] * a + c[4] * b + c[5] * a**2) * x**4 + c[6] * x**5


def _pointwise(f, values):
    try:
        return check_expr(f.subs(values), x, sp.Integer(0)).paper.verdict
    except InputError:
        return "refused"


@settings(deadline=None, max_examples=examples(25))
@given(polynomial_families(), small, small)
@example(EXAMPLE, Fraction(1), Fraction(9, 2))  # on the boundary: 3 f'''^2 - f'' f'''' = 0, the k = 3 case fails
@example(EXAMPLE, Fraction(0), Fraction(0))  # a quadratic
@example(x**2 / 2 + a * b * x**3 + a * x**4, Fraction(0), Fraction(1))  # f''' = 0 on a = 0 or b = 0
def test_symbolic_conditions_agree_with_the_pointwise_check(f, va, vb):
    family = check_family_expr(f, x, (a, b), sp.Integer(0))
    values = {a: sp.Rational(va.numerator, va.denominator), b: sp.Rational(vb.numerator, vb.denominator)}
    try:
        symbolic = family.verdict_at(values)
    except InputError:
        symbolic = "refused"
    assert symbolic == _pointwise(f, values)


def test_pointwise_comparison_can_fail():
    # the property's comparison sees a wrong verdict: the k = 4 case's condition flipped would disagree
    family = check_family_expr(EXAMPLE, x, (a, b), sp.Integer(0))
    assert family.verdict_at({a: 0, b: -1}) == "holds" != _pointwise(EXAMPLE, {a: 0, b: 1})


# -- input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("loss, params, at, fragment", [
    (sp.Abs(x) + a * x**2, "a", 0, "unknown name 'Abs'"),
    (sp.Piecewise((x**2, x > 0), (a * x**2, True)), "a", 0, "Piecewise"),
    (sp.Function("h")(x) + a, "a", 0, "unknown name 'h'"),
    ("x**2/2 + c*x**3", "a", 0, "unknown name 'c'"),
    ("x**2/2 + a*x**3", "a,a", 0, "repeated"),
    ("x**2/2 + a*x**3", "a,b,c,d,e", 0, "1 to 4 parameters"),
    ("x**2/2 + a*x**3", 3, 0, "params"),
    ("x**2/2 + a*x**3", "a", None, "needs the point"),
    ("x**2/2 + a*x**3", "a", 0.5, "float"),
    ("x**2/2 + a*x**3", "a", [0], "at"),
    ("x**2/2 + a*x", "a", 1, "critical point only where"),
    ("-x**2 + a*x**3", "a", 0, "strict minimum for no parameter value"),
    (42, "a", 0, "text"),
])
def test_bad_family_input_is_one_input_error(loss, params, at, fragment):
    with pytest.raises(InputError) as e:
        check_family(loss, params, at)
    assert fragment in str(e.value)


@pytest.mark.parametrize("call", [
    lambda: check(x**2 / 2 + a * x**3, at=0, params=["a"], range=("0", "1")),
    lambda: check_l2(sp.tanh(x), object()),
    lambda: check_l2_family("tanh(w*x)", "y", ["w", 1]),
    lambda: check_l2_family("sin(w*x)", "y", "w,y"),
    lambda: check_l2_family("tanh(w*x)", "x", "w"),
])
def test_wrong_types_and_unsolvable_inputs_are_input_errors(call):
    with pytest.raises(InputError):
        call()


def test_sympy_objects_and_text_give_the_same_family():
    from_sympy = check(EXAMPLE, at=0, params=(a, b)).to_dict()
    from_text = check(sp.sstr(EXAMPLE), at="0", params="a,b").to_dict()
    assert from_sympy == from_text and from_sympy["loss"] == "a*x**3 + b*x**4 + x**2/2"


@pytest.mark.parametrize("argv", [
    ["check", "x**2/2 + a*x**3", "--at", "0", "--params", "a,x"],
    ["check", "x**2/2 + a*x**3", "--params", "a"],
    ["check", "x**2/2 + a*x**3", "--at", "0", "--params", "a", "--vars", "x,y"],
    ["l2", "x**2 + w", "--target", "1", "--params", "w"],
])
def test_cli_refuses_bad_families_in_one_line(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_cli_family_text_and_json(capsys):
    assert main(["check", "x**2/2 + a*x**3 + b*x**4", "--at", "0", "--params", "a,b"]) == 0
    out = capsys.readouterr().out
    assert "holds iff b < 9*a**2/2" in out and "5184*a**4" in out


# -- certified parameter maps agree with the point-wise check ------------------------------------


@settings(deadline=None, max_examples=examples(15))
@given(polynomial_families(), st.data())
@example(EXAMPLE, None)
def test_map_cells_agree_with_the_pointwise_check(f, data):
    family = check_family_expr(f, x, (a, b), sp.Integer(0))
    try:
        mapped = with_parameter_map(family, {"a": (-1, 1), "b": (-1, 1)}, max_depth=5, max_cells=300)
    except InputError:
        reject()  # no single case covers the box (a quadratic for every parameter value): nothing to map
    cells = [c for c in mapped.parameter_map.cells if c.status in ("holds", "fails", "excluded")]
    for cell in cells if data is None else [data.draw(st.sampled_from(cells))] if cells else []:
        t = (Fraction(1, 3), Fraction(5, 7)) if data is None else (data.draw(st.fractions(0, 1)), data.draw(st.fractions(0, 1)))
        values = {}
        for s, (lo, hi), u in zip((a, b), cell.ends, t, strict=True):
            lo, hi = Fraction(lo), Fraction(hi)
            v = lo + (hi - lo) * u
            values[s] = sp.Rational(v.numerator, v.denominator)
        expected = {"holds": "holds", "fails": "fails", "excluded": "refused"}[cell.status]
        assert _pointwise(f, values) == expected, (cell, values)


def test_map_of_the_issue_example_against_the_exact_area():
    mapped = check_family(EXAMPLE, "a,b", 0, region="a=-1:1,b=-1:1", max_cells=3000)
    assert mapped.rigor == "certified" and mapped.to_dict()["parameter_map"]["rigor"] == "certified"
    assert check_family(EXAMPLE, "a,b", 0).rigor == "exact"
    m = mapped.parameter_map
    exact = 4 - 4 * sp.sqrt(2) / 9  # the area of b < 9 a^2/2 in [-1, 1]^2, by hand
    holds = sp.Rational(str(m.area("holds")))
    undecided = sp.Rational(str(m.area("undecided")))
    assert holds <= exact <= holds + undecided
    assert m.area("excluded") == 0


def test_region_input_is_checked():
    for region, fragment in [("a=-1:1", "each parameter"), ("a=1:-1,b=0:1", "lo < hi"), ("a=-1,b=0:1", "NAME=LO:HI"),
                             ("a=0:1,a=0:1", "twice"), ("a=0:sqrt(2),b=0:1", "rational"), (["a"], "region")]:
        with pytest.raises(InputError) as e:
            check_family(EXAMPLE, "a,b", 0, region=region)
        assert fragment in str(e.value), (region, str(e.value))
    with pytest.raises(InputError):
        check(EXAMPLE, at=0, region="a=0:1")


def test_cli_region_plot_and_report(tmp_path, capsys):
    plot, page = tmp_path / "map.png", tmp_path / "family.md"
    args = ["check", "x**2/2 + a*x**3 + b*x**4", "--at", "0", "--params", "a,b", "--region", "a=-1:1,b=-1:1"]
    assert main(args + ["--plot", str(plot), "--report", str(page)]) == 0
    assert plot.read_bytes()[:4] == b"\x89PNG" and (tmp_path / "family-map.png").exists()
    assert "Certified parameter map" in page.read_text()
    assert main(["check", "x**2/2 + a*x**3", "--at", "0", "--params", "a", "--plot", str(plot)]) == 2
    assert "--region" in capsys.readouterr().err


# -- item 1: every entry point takes sympy objects and refuses other types with an InputError ------

import symbolic_eos as eos  # noqa: E402

ODD_VALUES = [None, [1], {"a": 1}, object(), 0.5, 1j, b"x", sp.Matrix([1]), sp.Eq(x, 1), sp.S.true, sp.Interval(0, 1), sp.oo,
              sp.nan, sp.zoo, True, float("nan")]
ENTRY_POINTS = {
    "check.text": lambda v: eos.check(v, at=1),
    "check.at": lambda v: eos.check("(x**2-1)**2/4", at=v),
    "check.var": lambda v: eos.check("(x**2-1)**2/4", var=v, at=1),
    "check.range": lambda v: eos.check("(x**2-1)**2/4", range=v),
    "check_l2.target": lambda v: eos.check_l2("tanh(x)", v, at="atanh(1/2)"),
    "orbit.eta": lambda v: eos.orbit("(x**2-1)**2/4", v, at=1, digits=10),
    "orbit.digits": lambda v: eos.orbit("(x**2-1)**2/4", "11/10", at=1, digits=v),
    "window.eta_max": lambda v: eos.window("(x**2-1)**2/4", at=1, eta_max=v),
    "existence.eps_values": lambda v: eos.existence("(x**2-1)**2/4", at=1, eps_values=v),
    "compose.at": lambda v: eos.compose("exp(x)", "log(x)", v),
    "compose.q_text": lambda v: eos.compose(v, "log(x)", "1/3"),
    "check_multivariate.vars_text": lambda v: eos.check_multivariate("(x*y-1)**2/2", v, "1,1", simulate=False),
    "check_multivariate.at": lambda v: eos.check_multivariate("(x*y-1)**2/2", "x,y", v, simulate=False),
    "check_multivariate.route": lambda v: eos.check_multivariate("(x*y-1)**2/2", "x,y", "1,1", simulate=False, route=v),
    "multivariate_orbit.eta": lambda v: eos.multivariate_orbit("(x*y-1)**2/2", "x,y", "1,1", v, digits=10),
    "check_family.params": lambda v: eos.check_family("x**2/2+a*x**3", v, 0),
    "check_family.at": lambda v: eos.check_family("x**2/2+a*x**3", "a", v),
    "check_family.region": lambda v: eos.check_family("x**2/2+a*x**3", "a", 0, region=v),
    "check_family.max_cells": lambda v: eos.check_family("x**2/2+a*x**3", "a", 0, region="a=0:1", max_cells=v),
    "check_l2_family.target": lambda v: eos.check_l2_family("tanh(w*x)", v, "w"),
}


@pytest.mark.parametrize("name", list(ENTRY_POINTS))
def test_odd_values_are_refused_with_an_input_error(name):
    from symbolic_eos.errors import EosError

    for value in ODD_VALUES:
        try:
            ENTRY_POINTS[name](value)
        except EosError:
            pass  # InputError, or DomainError where the value parses but lies outside the domain


def test_numbers_of_every_exact_kind_give_the_same_check():
    results = {repr(v): eos.check("(x**2-1)**2/4", at=v).to_dict() for v in (1, Fraction(1), sp.Integer(1), "1", sp.Rational(2, 2))}
    assert len({str(r) for r in results.values()}) == 1, results.keys()


def test_values_outside_the_setting_are_refused_as_the_pointwise_check_refuses_them():
    general = check_l2_family("tanh(w*x)", "y", "w,y").general
    assert general.verdict_at({"w": 1, "y": "1/2"}) == "holds"
    with pytest.raises(InputError, match="outside the setting"):
        general.verdict_at({"w": 1, "y": 2})  # atanh(2) is not real
    with pytest.raises(InputError, match="outside the setting"):
        check_family("x**2*a/2 + x**3", "a", 0).verdict_at({"a": -1})  # f'' = -1: no minimum
