import functools
import math
from fractions import Fraction

import pytest
import sympy as sp
from flint import arb, fmpq
from hypothesis import example, given, reject, settings

from symbolic_eos.errors import DomainError
from symbolic_eos.core.jets import NotRational, Point, ball_coefficients, constant_enclosure, exact_coefficients, to_fmpq
from symbolic_eos.core.parse import parse_constant, parse_expression, parse_variable_name
from .profiles import examples

from .exprs import points, smooth_expressions

x = parse_variable_name("x")


def test_quartic_exact_jet():
    # f = (x^4 - 2x^2 + 1)/4 at 1: f' = x^3 - x = 0, f'' = 3x^2 - 1 = 2, f''' = 6x = 6, f'''' = 6.
    c = exact_coefficients(parse_expression("(x**2-1)**2/4"), x, Point.rational(1), 5)
    assert c == (0, 0, 1, 1, fmpq(1, 4), 0)


def test_exact_engine_handles_functions_at_zero():
    # sigmoid(x) = 1/2 + x/4 - x^3/48 + ...
    c = exact_coefficients(parse_expression("sigmoid(x)"), x, Point.rational(0), 4)
    assert c == (fmpq(1, 2), fmpq(1, 4), 0, fmpq(-1, 48), 0)
    # x**(2/3) at 8: 4 + (1/3) t - (1/144) t^2 (rational, since 8 is a perfect cube).
    c = exact_coefficients(parse_expression("x**(2/3)"), x, Point.rational(8), 2)
    assert c == (4, fmpq(1, 3), fmpq(-1, 144))


@pytest.mark.parametrize("text, at", [("exp(x)", 1), ("sqrt(x)", 2), ("x + pi", 0), ("erf(x)", 0)])
def test_irrational_values_are_not_claimed_exact(text, at):
    with pytest.raises(NotRational):
        exact_coefficients(parse_expression(text), x, Point.rational(at), 2)


@pytest.mark.parametrize(
    "text, at", [("log(x)", "-1"), ("sqrt(x)", "0"), ("1/x", "0"), ("asin(x)", "2"), ("x**(1/2)", "-3")]
)
def test_points_outside_the_smooth_real_domain(text, at):
    expr = parse_expression(text)
    point = Point.from_constant(parse_constant(at))
    with pytest.raises(DomainError):
        try:
            exact_coefficients(expr, x, point, 2)
        except NotRational:
            ball_coefficients(expr, x, point.enclosure(64), 2, 64)


@pytest.mark.parametrize("value", [sp.sqrt(2), sp.pi, sp.Float(0.5), sp.Symbol("y"), sp.I])
def test_only_rationals_become_fmpq(value):
    """A value that is not a sympy rational is a NotRational naming it (it was an AttributeError)."""
    with pytest.raises(NotRational, match="is not a rational number") as info:
        to_fmpq(value)
    assert sp.sstr(value) in str(info.value)


def test_rationals_become_fmpq_exactly():
    assert to_fmpq(sp.Rational(-2, 3)) == fmpq(-2, 3) and to_fmpq(sp.Integer(7)) == 7 and to_fmpq(-4) == -4
    assert to_fmpq(sp.Rational(3**200, 2**300)) == fmpq(3**200, 2**300)


def test_constant_enclosures():
    ball = constant_enclosure(parse_constant("atanh(1/2)"), 128)
    assert ball.overlaps(arb("0.549306144334054845697622618461262852323745278911374725867347166818747146"))
    assert ball.rad() < 1e-35
    assert constant_enclosure(parse_constant("sqrt(2)**2 - 2"), 64).contains(0)


def _sympy_value(expr, j, q):
    return sp.N(sp.diff(expr, x, j).subs(x, q) / math.factorial(j), 60)


@settings(max_examples=examples(40), deadline=None)
@given(smooth_expressions, points)
@example("tanh(sigmoid(x))", __import__("fractions").Fraction(1, 3))
@example("sqrt(1 + (erf((x)**3))**2)", __import__("fractions").Fraction(2))  # a value with an exponent (1.5e-27)
def test_ball_enclosures_contain_sympys_exact_derivatives(text, q):
    """Property: every certified coefficient contains sympy's closed-form value."""
    expr = parse_expression(text)
    K = 4
    balls = ball_coefficients(expr, x, arb(fmpq(q.numerator, q.denominator)), K, 96)
    for j in range(K + 1):
        value = _sympy_value(expr, j, sp.Rational(q.numerator, q.denominator))
        oracle = arb(sp.sstr(value, full_prec=True)) if value != 0 else arb(0)
        tol = arb(10) ** -45 * (1 + abs(oracle))
        assert balls[j].is_finite()
        assert abs(balls[j] - oracle) <= balls[j].rad() + tol or (balls[j] - oracle).contains(0), (text, j)


@settings(max_examples=examples(40), deadline=None)
@given(smooth_expressions, points)
def test_exact_jets_equal_sympy_when_rational(text, q):
    expr = parse_expression(text)
    try:
        c = exact_coefficients(expr, x, Point.rational(q), 4)
    except NotRational:
        reject()  # the exact engine declined; the ball property above covers this expression
    for j in range(5):
        value = sp.diff(expr, x, j).subs(x, sp.Rational(q.numerator, q.denominator)) / math.factorial(j)
        assert sp.simplify(value - sp.Rational(int(c[j].p), int(c[j].q))) == 0, (text, j)


def test_ball_function_integer_powers_enclose_across_zero():
    """python-flint's ``**`` gives nan on a ball containing 0; the evaluator must still enclose."""
    import sympy as sp
    from flint import arb, ctx

    from symbolic_eos.core.jets import ball_function

    x = sp.Symbol("x")
    f = ball_function(x**4 - 2 * x**3 + x**2, x)
    with ctx.workprec(64):
        value = f(arb(0, 0.1))  # the ball [-0.1, 0.1]
    assert value.is_finite() and value.contains(arb(0)) and value.contains(arb(0.1**4 + 2 * 0.1**3 + 0.1**2 - 1e-12))
    assert value < 0.2  # a useful enclosure, not the whole line


# ---------------------------------------------------------------------------------------------
# Exact jets at irrational points whose function values are algebraic (symbolic_eos.core.algebraic).
# The oracle is plain sympy: the series of f(xb + t) at full degree, never the engine.

from hypothesis import strategies as st  # noqa: E402

from symbolic_eos.core.algebraic import NotAlgebraic, Transcendental, algebraic_coefficients, local_inverses, to_surd  # noqa: E402
from symbolic_eos.core.decide import Expansion, decide  # noqa: E402

_T = sp.Symbol("t")

#: (base model, exact point): the model's value and derivatives there are algebraic although the
#: point is not rational (or the value is irrational at a rational point).
ALGEBRAIC_POINTS = [
    ("tan(x)", "pi/4"), ("tanh(x)", "atanh(1/2)"), ("exp(x)", "log(2)"), ("sigmoid(x)", "-log(2)"),
    ("sin(x)", "pi/6"), ("cos(x)", "pi/4"), ("tan(x)", "pi/3"), ("sinh(x)", "asinh(1)"), ("cosh(x)", "log(3)"),
    ("asinh(x)", "1"), ("sqrt(x)", "2"), ("atan(x)", "sqrt(3)"), ("asin(x)", "1/2"), ("log(x)", "sqrt(2)"),
    ("acosh(x)", "2"), ("x**2 - 2", "sqrt(2)"), ("softplus(x)", "log(3)"),
]


@functools.lru_cache(maxsize=None)
def _model_series(text, at, order):
    """sympy's own Taylor coefficients of a model at a point (full degree: the oracle)."""
    s = sp.series(parse_expression(text).subs(x, parse_constant(at) + _T), _T, 0, order + 1).removeO()
    return tuple(sp.expand(s).coeff(_T, j) for j in range(order + 1))


@settings(max_examples=examples(25), deadline=None)
@given(st.sampled_from(ALGEBRAIC_POINTS), st.lists(st.fractions(-3, 3, max_denominator=4), min_size=1, max_size=4))
@example(("tan(x)", "pi/4"), [Fraction(1), Fraction(-1, 2), Fraction(7, 24)])
def test_algebraic_jets_equal_sympy_series(model, coefficients):
    """Property: f = sum_j a_j (g - g(xb))^(j+1) has exact jets equal to sympy's series."""
    text, at = model
    g = parse_expression(text)
    point = parse_constant(at)
    value = sp.sstr(g.subs(x, point))
    loss = " + ".join(f"({c.numerator}/{c.denominator})*({text} - ({value}))**{j + 1}" for j, c in enumerate(coefficients))
    f = parse_expression(loss)
    c = algebraic_coefficients(f, x, Point.from_constant(point), 6)
    # sympy's series of g at xb, composed with the polynomial by sympy (fast, engine-free).
    u = sum(a * _T**j for j, a in enumerate(_model_series(text, at, 6)[1:], start=1))
    s = sp.expand(sum(sp.Rational(q.numerator, q.denominator) * u ** (j + 1) for j, q in enumerate(coefficients)))
    truth = [s.coeff(_T, j) for j in range(7)]
    for j in range(7):
        if isinstance(c[j], Transcendental):
            # f(xb) outside the field (kept as sympy's constant; no decision uses it): compare
            # it at 60 digits only, sympy cannot always simplify sinh(log(1 + sqrt(2))) to 1.
            assert j == 0 and abs(sp.N(c[j].value - truth[j], 60)) < 1e-50
            continue
        difference = sp.expand(c[j].to_sympy() - truth[j])
        if difference != 0:  # sympy's series may leave cosh(log(1 + sqrt(2))) as it is
            difference = sp.simplify(difference.rewrite(sp.exp))
        assert difference == 0, (loss, j, c[j], truth[j])


def test_algebraic_jets_are_exact_field_elements():
    c = algebraic_coefficients(parse_expression("sin(x)"), x, Point.from_constant(parse_constant("pi/6")), 3)
    assert [s.to_sympy() for s in c] == [sp.Rational(1, 2), sp.sqrt(3) / 2, -sp.Rational(1, 4), -sp.sqrt(3) / 12]
    # A zero in Q(sqrt 2, sqrt 3) is exact: sqrt(2) sqrt(3) - sqrt(6) is 0, sqrt(2) - 99/70 is not.
    assert (to_surd(sp.sqrt(2)) * to_surd(sp.sqrt(3)) - to_surd(sp.sqrt(6))).is_zero
    assert (to_surd(sp.sqrt(2)) - fmpq(99, 70)).sign() == -1  # 99/70 = 1.41428... > sqrt(2)
    assert to_surd(sp.sqrt(1 + sp.sqrt(2))) is None and to_surd(sp.pi) is None


@pytest.mark.parametrize(
    "text, at", [("x*tan(x)", "pi/4"), ("sin(x)", "1/2"), ("exp(x)", "1"), ("erf(x)", "1/2"), ("tan(x)", "pi/5")]
)
def test_transcendental_values_are_not_claimed_algebraic(text, at):
    with pytest.raises(NotAlgebraic):
        algebraic_coefficients(parse_expression(text), x, Point.from_constant(parse_constant(at)), 3)


@pytest.mark.parametrize(
    "text, at, expected",
    [
        ("asin(sin(x))", "1/2", "x"), ("asin(sin(x))", "3", "-(x - pi)"), ("atan(tan(x))", "-2", "x + pi"),
        ("acos(cos(x))", "-1", "-x"), ("acos(cos(x))", "4", "2*pi - x"), ("acosh(cosh(x))", "-1", "-x"),
        ("sin(asin(x))", "1/2", "x"), ("sin(asin(x))", "2", "sin(asin(x))"),  # asin(2) is not real: kept
        ("asin(sin(x))", "pi/2", "asin(sin(x))"),  # on the branch point: no branch is certified
    ],
)
def test_local_inverses_certify_the_branch(text, at, expected):
    got = local_inverses(parse_expression(text), x, Point.from_constant(parse_constant(at)))
    assert sp.simplify(got - parse_expression(expected.replace("pi", "(pi)"))) == 0 if expected != text else got == parse_expression(text)


def test_a_removed_inverse_keeps_the_domain():
    """sin(asin(x)) = x only where asin is real: at sqrt(5) the loss is still outside the domain."""
    e = Expansion(parse_expression("sin(asin(x))**2"), x, Point.from_constant(parse_constant("sqrt(5)")), 3)
    assert e.exact is None and e.algebraic is None
    with pytest.raises(DomainError):
        e.check_domain()


def test_decisions_on_algebraic_jets_are_exact():
    e = Expansion(parse_expression("sin(x)"), x, Point.from_constant(parse_constant("pi/3")), 4)
    d = decide(lambda c: c[1] * c[1] + c[0] * c[0], e)  # cos^2 + sin^2 = 1
    assert (d.sign, d.rigor, d.exact) == (1, "exact", fmpq(1))
    d = decide(lambda c: c[3], e)  # -cos(pi/3)/6
    assert (d.sign, d.rigor, d.exact) == (-1, "exact", fmpq(-1, 12))
    d = decide(lambda c: c[2], e)  # -sin(pi/3)/2 = -sqrt(3)/4, sign certified by a ball of the exact value
    assert (d.sign, d.rigor) == (-1, "exact") and sp.expand(d.exact + sp.sqrt(3) / 4) == 0
