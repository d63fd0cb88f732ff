import pytest
import sympy as sp
from flint import arb

from symbolic_eos.errors import InputError
from symbolic_eos.minima import critical_point_at, require_strict_minimum, strict_minima, target_points
from symbolic_eos.parse import parse_constant, parse_expression, parse_variable_name

x = parse_variable_name("x")


def test_quartic_minima_are_exact():
    r = strict_minima(parse_expression("(x**2-1)**2/4"), x, -10, 10)
    assert [p.exact for p in r.points] == [-1, 1] and r.complete


def test_cosine_minima_are_certified_odd_multiples_of_pi():
    r = strict_minima(parse_expression("cos(x)"), x, -10, 10)
    assert len(r.points) == 4 and r.complete
    for p, k in zip(r.points, (-3, -1, 1, 3), strict=True):
        ball = p.enclosure(200)
        assert ball.overlaps(k * arb.pi()) and ball.rad() < 1e-50


def test_degenerate_minimum_is_reported_not_claimed():
    r = strict_minima(parse_expression("x**4"), x, -10, 10)
    assert r.points == () and not r.complete
    lo, hi = (float(v) for v in r.unresolved[0])
    assert lo <= 0 <= hi


def test_outside_domain_is_reported():
    r = strict_minima(parse_expression("log(x)**2"), x, -10, 10)
    assert [p.exact for p in r.points] == [1]
    assert r.outside_domain and float(r.outside_domain[0][0]) == -10


def test_minimum_at_range_end_and_exact_text_endpoints():
    r = strict_minima(parse_expression("(x - 1)**2"), x, "0", "1")
    assert [p.exact for p in r.points] == [1]
    r = strict_minima(parse_expression("cos(x)"), x, "0", "pi")
    assert len(r.points) == 1


def test_target_points():
    r = target_points(parse_expression("tanh(x)"), x, sp.Rational(1, 2), -10, 10)
    assert len(r.points) == 1
    assert r.points[0].enclosure(128).overlaps(arb("0.5").atanh())


@pytest.mark.parametrize(
    "text, at, message",
    [
        ("x**2", "1", "not a critical point"),
        ("-x**2", "0", "local maximum"),
        ("x**4", "0", "degenerate"),
        ("x**3", "0", "degenerate"),
    ],
)
def test_bad_points(text, at, message):
    expr = parse_expression(text)
    with pytest.raises(InputError, match=message):
        p = critical_point_at(expr, x, parse_constant(at))
        require_strict_minimum(expr, x, p)


def test_certified_critical_point_near_given_decimal():
    # sqrt(2)'s decimal expansion is not a zero of f' = 2(x - sqrt(2)), so it is refused ...
    expr = parse_expression("(x - sqrt(2))**2")
    with pytest.raises(InputError, match="not a critical point"):
        critical_point_at(expr, x, parse_constant("1.4142135623730950488"))
    # ... while the exact point is accepted.
    assert critical_point_at(expr, x, parse_constant("sqrt(2)")).exact == sp.sqrt(2)


def test_empty_range_is_an_input_error():
    with pytest.raises(InputError, match="empty range"):
        strict_minima(parse_expression("x**2"), x, 1, -1)


def test_only_minima_inside_the_range_are_reported():
    # The minimum 1 - 1e-12 lies just outside [1, 2]; search boxes overshoot the range by rounding.
    with pytest.raises(InputError, match="no strict local minimum"):
        from symbolic_eos.results import check

        check("(x - 1 + 10**(-12))**2", range=("1", "2"))
    r = strict_minima(parse_expression("(x - 1 - 10**(-12))**2"), x, 1, 2)
    (p,) = r.points
    with __import__("flint").ctx.workprec(200):
        assert p.enclosure(200).overlaps(arb(1) + arb(10) ** -12) and p.enclosure(200).rad() < 1e-40
    r = strict_minima(parse_expression("(x - 1 - 1/100000)**2"), x, 1, 2)
    assert [p.exact for p in r.points] == [1 + sp.Rational(1, 10**5)]


def test_rational_minima_are_upgraded_to_exact_points():
    r = strict_minima(parse_expression("(x-1/3)**2 - (x-1/3)**4"), x, 0, 1)
    assert [p.exact for p in r.points] == [sp.Rational(1, 3)]


@pytest.mark.parametrize("lo, hi", [("1", "1e50"), ("-exp(exp(100))", "exp(exp(100))")])
def test_huge_range_ends_are_refused(lo, hi):
    with pytest.raises(InputError, match="range endpoint"):
        strict_minima(parse_expression("x**2"), x, lo, hi)


def test_the_search_work_is_bounded():
    """Nine 38-deep tan chains: the search stops within its work budget and says so."""
    import time

    text = "+".join("tan(" * 38 + f"{i + 1}*x" + ")" * 38 for i in range(9))
    start = time.perf_counter()
    r = strict_minima(parse_expression(text), x, -10, 10)
    assert not r.complete and time.perf_counter() - start < 60
