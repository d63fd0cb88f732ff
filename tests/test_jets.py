import math

import pytest
import sympy as sp
from flint import arb, fmpq
from hypothesis import example, given, settings

from symbolic_eos.errors import DomainError
from symbolic_eos.jets import NotRational, Point, ball_coefficients, constant_enclosure, exact_coefficients
from symbolic_eos.parse import parse_constant, parse_expression, parse_variable_name

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


def test_constant_enclosures():
    ball = constant_enclosure(parse_constant("atanh(1/2)"), 128)
    assert ball.overlaps(arb("0.549306144334054845697622618461262852323745278911374725867347166818747146"))
    assert ball.rad() < 1e-35
    assert constant_enclosure(parse_constant("sqrt(2)**2 - 2"), 64).contains(0)


def _sympy_value(expr, j, q):
    return sp.N(sp.diff(expr, x, j).subs(x, q) / math.factorial(j), 60)


@settings(max_examples=40, deadline=None)
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


@settings(max_examples=40, deadline=None)
@given(smooth_expressions, points)
def test_exact_jets_equal_sympy_when_rational(text, q):
    expr = parse_expression(text)
    try:
        c = exact_coefficients(expr, x, Point.rational(q), 4)
    except NotRational:
        return  # the exact engine declined; the ball property above covers this expression
    for j in range(5):
        value = sp.diff(expr, x, j).subs(x, sp.Rational(q.numerator, q.denominator)) / math.factorial(j)
        assert sp.simplify(value - sp.Rational(int(c[j].p), int(c[j].q))) == 0, (text, j)


def test_ball_function_integer_powers_enclose_across_zero():
    """python-flint's ``**`` gives nan on a ball containing 0; the evaluator must still enclose."""
    import sympy as sp
    from flint import arb, ctx

    from symbolic_eos.jets import ball_function

    x = sp.Symbol("x")
    f = ball_function(x**4 - 2 * x**3 + x**2, x)
    with ctx.workprec(64):
        value = f(arb(0, 0.1))  # the ball [-0.1, 0.1]
    assert value.is_finite() and value.contains(arb(0)) and value.contains(arb(0.1**4 + 2 * 0.1**3 + 0.1**2 - 1e-12))
    assert value < 0.2  # a useful enclosure, not the whole line
