"""No wrong verdict: jets to the full order searched, and printed enclosures that contain the truth.

Every expected value here is derived apart from the engine: plain sympy ``diff``/``series`` at
full degree for exact inputs, mpmath at two precisions for transcendental ones.
"""

import json
import re
from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from flint import arb, ctx, fmpq
from hypothesis import example, given, settings
from hypothesis import strategies as st

from symbolic_eos import check
from symbolic_eos.cli import main
from symbolic_eos.core.decide import Expansion, decide
from symbolic_eos.core.numbers import enclosure_text, upper_text
from symbolic_eos.core.jets import BeyondJet, Jet, Point, ball_coefficients, exact_coefficients, series_length
from symbolic_eos.core.parse import parse_expression, parse_variable_name

x = parse_variable_name("x")
T = sp.Symbol("t")


def _flip_truth(f: sp.Expr, xb, top: int = 23) -> tuple[int | None, sp.Rational | None]:
    """The lowest non-zero term of ``F(F(xb+t)) - (xb+t)``, ``F = x - (2/f''(xb)) f'``, by sympy
    polynomial arithmetic on the full Taylor polynomial (exact for polynomial ``f``)."""
    g = sp.expand(f.subs(x, xb + T))
    eta = 2 / sp.diff(g, T, 2).subs(T, 0)
    step = sp.expand(T - eta * sp.diff(g, T))  # F(xb + t) - xb
    twice = sp.Poly(sp.expand(step.subs(T, step)) - T, T)
    for p in range(1, top + 1):
        c = twice.coeff_monomial(T**p)
        if c != 0:
            return p, c
    return None, None


@pytest.mark.parametrize("text, k, paper, flip_order, flip_sign", [
    ("x**2/2 - x**10", 10, "holds", 9, -1),
    ("x**2/2 + x**5 + x**7 + 25/2*x**8 + 100*x**10", 5, "fails", 9, 1),
    ("x**2/2 + x**11", 11, "fails", 19, None),
    ("x**2/2 + x**13", None, "undecided", 23, None),
])
def test_high_orders_are_found_not_dropped(text, k, paper, flip_order, flip_sign):
    # Before jets carried their order, python-flint's series cap (10 terms) made every term of
    # degree >= 10 a "proved" zero: x**2/2 - x**10 was called quadratic.
    f = parse_expression(text)
    order, coefficient = _flip_truth(f, 0)
    assert order == flip_order
    d = check(text, at="0").to_dict()
    assert (d["order"], d["paper_verdict"], d["flip_order"]) == (k, paper, flip_order)
    assert Fraction(d["derivatives_exact"].get(str(k), "0")) == (sp.diff(f, x, k).subs(x, 0) if k else 0)
    assert sp.Rational(check(text, at="0").flip.coefficient.exact_text()) == coefficient
    if flip_sign is not None:
        assert sp.sign(coefficient) == flip_sign


def test_the_truncated_example_is_subcritical():
    # The audit's case: the order-9 coefficient is +2600, not the -1400 of a truncated jet.
    assert _flip_truth(parse_expression("x**2/2 + x**5 + x**7 + 25/2*x**8 + 100*x**10"), 0) == (9, 2600)
    assert check("x**2/2 + x**5 + x**7 + 25/2*x**8 + 100*x**10", at="0").flip.verdict == "subcritical"


def test_l2_and_multivariate_see_degree_nine_and_up(capsys):
    # g = x - x**9: f = (g)^2 has f^(10) = -2 * 10!/1 ... computed by sympy, not assumed.
    g = parse_expression("x - x**9")
    f = g**2
    k = next(j for j in range(3, 30) if sp.diff(f, x, j).subs(x, 0) != 0)
    d = check("(x - x**9)**2", at="0").to_dict()
    assert d["order"] == k == 10
    assert main(["check", "x**2 - x**10 + y**2/2", "--vars", "x,y", "--at", "0,0", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # f = x^2 - x^10 along the top direction x: k = 10, f^(10) < 0. (The multivariate flip
    # coefficient is the cubic one, which vanishes here, so it is honestly undecided.)
    assert out["cross_section_verdict"] == "holds" and out["flip_verdict"] != "subcritical"


@settings(deadline=None)  # sympy's reference takes ~0.2 s on a loaded machine; a deadline would test the load
@given(st.lists(st.integers(-5, 5), min_size=25, max_size=25), st.fractions(-3, 3, max_denominator=7))
@example([0] * 24 + [1], Fraction(1, 3))
def test_jets_of_degree_24_match_sympy(coeffs, at):
    f = sum(sp.Integer(a) * x**j for j, a in enumerate(coeffs))
    if f.is_number:
        f = f + x
    q = sp.Rational(at.numerator, at.denominator)
    truth = sp.Poly(sp.expand(f.subs(x, q + T)), T)
    c = exact_coefficients(f, x, Point.rational(q), 24)
    assert len(c) == 25
    assert [sp.Rational(int(v.p), int(v.q)) for v in c] == [truth.coeff_monomial(T**j) for j in range(25)]
    with ctx.workprec(128):
        balls = ball_coefficients(f, x, arb(fmpq(at.numerator, at.denominator)), 24, 128)
    with ctx.workprec(400):  # so that the rational itself converts to a far narrower ball
        assert all(b.contains(arb(v)) for b, v in zip(balls, c, strict=True))


def test_series_length_restores_the_cap_and_jets_refuse_unknown_terms():
    before = ctx.cap
    with series_length(40):
        assert ctx.cap == 40
    assert ctx.cap == before
    jet = Jet([1, 2])
    with pytest.raises(BeyondJet):
        jet[2]
    e = Expansion(parse_expression("x**2/2 + x**3"), x, Point.rational(0), 4)
    d = decide(lambda c: c[7], e)  # beyond the jet: unknown, never 0
    assert d.sign is None and "order 4" in d.evidence()


# ---------------------------------------------------------------------------------------------
# Printed enclosures

_BALL = re.compile(r"\[(-?[0-9.]+(?:e[-+]?\d+)?) \+/- ([0-9.]+(?:e[-+]?\d+)?)\]")


def _contains(text: str, truth) -> bool:
    """Does every ``[m +/- r]`` in ``text`` contain ``truth`` (an mpmath number)?"""
    balls = _BALL.findall(text)
    assert balls, text
    with mpmath.workdps(120):
        return all(abs(mpmath.mpf(m) - truth) <= mpmath.mpf(r) for m, r in balls)


def test_l2_point_and_derivative_enclosures_contain_the_truth(capsys):
    assert main(["l2", "tanh(x)", "--target", "1/2", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)["minima"][0]
    with mpmath.workdps(120):
        xb = mpmath.atanh(mpmath.mpf(1) / 2)
        # f = (tanh x - 1/2)^2: f'' = 2 g'^2, f''' = 6 g' g'', f'''' = 6 g''^2 + 8 g' g''' at xb.
        g1 = 1 - mpmath.mpf(1) / 4
        g2, g3 = -2 * mpmath.mpf(1) / 2 * g1, -2 * g1 * (1 - 3 * mpmath.mpf(1) / 4)
        truths = {"2": 2 * g1**2, "3": 6 * g1 * g2, "4": 6 * g2**2 + 8 * g1 * g3}
    assert _contains(d["point_note"], xb)
    for j, text in d["derivative_enclosures"].items():
        assert _contains(text, truths[j]), (j, text)


def test_window_enclosures_contain_the_closed_forms(capsys):
    assert main(["window", "(x**2-1)**2/4", "--at", "1", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    with mpmath.workdps(120):
        assert _contains(d["enclosures"]["eta_superstable"], -1 + 3 / mpmath.sqrt(2))
        assert _contains(d["enclosures"]["eta_loss"], mpmath.sqrt(5) - 1)


@pytest.mark.parametrize("digits", ["15", "30", "60"])
def test_orbit_points_lie_within_the_printed_radius(capsys, digits):
    assert main(["orbit", "(x**2-1)**2/4", "--eta", "11/10", "--at", "1", "--digits", digits, "--json"]) == 0
    cycle = json.loads(capsys.readouterr().out)["orbits"][0]
    with mpmath.workdps(150):
        eta = mpmath.mpf(11) / 10
        # On the quartic the 2-cycle solves eta = 1/(d^2 (sqrt(1/d^2 - 3/4) + 1/2)) (the poster);
        # its points are the roots of eta^2 d^4 - (eta^2 + eta) d^2 + 1 = 0.
        squares = mpmath.polyroots([eta**2, -(eta**2 + eta), 1], maxsteps=200, extraprec=400)
        truth = sorted(mpmath.sqrt(s) for s in squares)
        radius = mpmath.mpf(cycle["radius"])
        for printed, point in zip(cycle["points"], truth, strict=True):
            assert abs(mpmath.mpf(printed) - point) <= radius


@given(st.fractions(min_value=Fraction(1, 10**40), max_value=10**40), st.integers(1, 6))
@example(Fraction(1, 3), 3)
@example(Fraction(999999, 1000000), 3)
def test_upper_text_never_rounds_below(q, digits):
    text = upper_text(fmpq(q.numerator, q.denominator), digits)
    with mpmath.workdps(100):
        value, printed = mpmath.mpf(q.numerator) / q.denominator, mpmath.mpf(text)
        assert value <= printed <= value * (1 + mpmath.mpf(10) ** (1 - digits))


@pytest.mark.parametrize("digits", [3, 10, 20, 40])
def test_enclosure_text_contains_the_value(digits):
    with ctx.workprec(400):
        ball = ((1 + arb(1) / 2) / (1 - arb(1) / 2)).log() / 2
        text = enclosure_text(ball, digits)
    with mpmath.workdps(150):
        assert _contains(text, mpmath.atanh(mpmath.mpf(1) / 2))
