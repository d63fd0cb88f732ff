import pytest
import sympy as sp
from flint import arb

from symbolic_eos.errors import InputError
from symbolic_eos.analysis.minima import critical_point_at, require_strict_minimum, strict_minima, target_points
from symbolic_eos.core.parse import parse_constant, parse_expression, parse_variable_name

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
    # A polynomial: f' = 4 x^3 is factored exactly, 0 is a triple root, so f''(0) = 0.
    r = strict_minima(parse_expression("x**4"), x, -10, 10)
    assert r.points == () and r.degenerate == ("0",) and r.complete
    # Not a polynomial: the bisection cannot resolve the spot and says where it is.
    r = strict_minima(parse_expression("sin(x)**4"), x, -1, 1)
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
        from symbolic_eos.api import check

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


# ---------------------------------------------------------------------------------------------
# Minima next to each other at 1e-10 (issue 11, item 5): the oracle is sympy / mpmath.


def test_polynomial_minima_are_found_exactly_even_at_1e_10():
    """(x^2 - 1e-20)^2: minima at +-1e-10, maximum at 0; f''(+-1e-10) = 8e-20 > 0."""
    f = parse_expression("(x**2 - 10**(-20))**2")
    r = strict_minima(f, x, -10, 10)
    roots = sorted(sp.solve(sp.diff(f, x), x))  # sympy, exactly: -1e-10, 0, 1e-10
    minima = [q for q in roots if sp.diff(f, x, 2).subs(x, q) > 0]
    assert [p.exact for p in r.points] == minima == [-sp.Rational(1, 10**10), sp.Rational(1, 10**10)]
    assert r.complete and r.degenerate == ()
    from symbolic_eos.api import check

    d = check("(x**2 - 10**(-20))**2").to_dict()
    assert [m["rigor"] for m in d["minima"]] == ["exact", "exact"] and d["complete"]
    assert {m["flip_verdict"] for m in d["minima"]} == {"supercritical"}


def test_polynomial_minima_at_quadratic_surds_are_exact():
    r = strict_minima(parse_expression("x**4 - x**2"), x, -10, 10)
    assert [p.exact for p in r.points] == [-sp.sqrt(2) / 2, sp.sqrt(2) / 2] and r.complete


def test_polynomial_minima_of_an_irreducible_quintic_are_certified():
    f = parse_expression("x**6/6 - x**4 + 3*x**2/2 + x/10")
    r = strict_minima(f, x, -10, 10)
    fp, fpp = sp.diff(f, x), sp.diff(f, x, 2)
    truth = [q for q in sp.real_roots(sp.Poly(fp, x)) if sp.N(fpp.subs(x, q), 50) > 0]  # sympy: CRootOf
    assert len(r.points) == len(truth) == 3 and r.complete
    with __import__("flint").ctx.workprec(300):
        for p, q in zip(r.points, truth, strict=True):
            ball = p.enclosure(300)
            assert ball.rad() < 1e-60 and ball.overlaps(arb(str(sp.N(q, 100))))


def test_bisection_separates_minima_1e_10_apart_near_zero_and_near_pi():
    """Not a polynomial: (sin(x)^2 - 1e-20)^2 has minima at k pi +- asin(1e-10); the old search
    (boxes no narrower than 1e-9) could not separate them from the maxima at k pi."""
    import mpmath

    r = strict_minima(parse_expression("(sin(x)**2 - 10**(-20))**2"), x, -4, 4)
    assert r.complete and len(r.points) == 6
    for digits in (30, 60):
        with mpmath.workdps(digits):
            a = mpmath.asin(mpmath.mpf(10) ** -10)
            truth = [k * mpmath.pi + s * a for k in (-1, 0, 1) for s in (-1, 1)]
            truth = sorted(truth)
        for p, t in zip(r.points, truth, strict=True):
            ball = p.enclosure(256)
            # mpmath's value at `digits` digits, widened by its last digit: the true root.
            with __import__("flint").ctx.workprec(256):
                oracle = arb(mpmath.nstr(t, digits, strip_zeros=False), arb(10) ** (2 - digits))
                assert ball.overlaps(oracle) and ball.rad() < 1e-40


def test_hostile_polynomials_fall_back_to_the_bounded_bisection():
    import time

    for text in ("(x + 10**60)**200 + x", "(x + 2**60)**30 + x"):
        start = time.perf_counter()
        strict_minima(parse_expression(text), x, -10, 10)
        assert time.perf_counter() - start < 30
