import sympy as sp
from flint import fmpq

from symbolic_eos.decide import Expansion, decide, prove_zero
from symbolic_eos.jets import Point
from symbolic_eos.parse import parse_constant, parse_expression, parse_variable_name

x = parse_variable_name("x")


def _expansion(text, at, order=4):
    return Expansion(parse_expression(text), x, Point.from_constant(parse_constant(at)), order)


def test_exact_rational_decision():
    d = decide(lambda c: c[2], _expansion("(x**2-1)**2/4", "1"))
    assert (d.sign, d.rigor, d.exact) == (1, "exact", fmpq(1))


def test_certified_decision_for_irrational_values():
    d = decide(lambda c: c[0], _expansion("exp(x) - 2", "log(2) + 1/10**30"))
    assert (d.sign, d.rigor) == (1, "certified")
    assert d.enclosure.rad() < 1e-30


def test_zero_proved_by_closed_forms():
    # cos at pi: f''' = sin(pi) = 0 exactly; the ball alone could never show it.
    d = decide(lambda c: c[3], _expansion("cos(x)", "pi"))
    assert (d.sign, d.rigor) == (0, "exact")


def test_zero_proved_by_minimal_polynomial():
    assert prove_zero(sp.sqrt(2) * sp.sqrt(3) - sp.sqrt(6))
    assert prove_zero((1 + sp.sqrt(2)) ** 2 - 3 - 2 * sp.sqrt(2))
    assert not prove_zero(sp.sqrt(2) - sp.Rational(99, 70))


def test_true_zero_that_cannot_be_proved_is_undecided():
    # atan(1/2) + atan(1/3) = pi/4, but neither balls nor the bounded simplifier show it: the
    # honest answer is "undecided", never a sign.
    e = _expansion("x + atan(1/2) + atan(1/3) - pi/4", "0", order=1)
    d = decide(lambda c: c[0], e)
    assert d.sign in (None, 0)
    if d.sign == 0:
        assert d.rigor == "exact"
    else:
        assert d.rigor is None and d.enclosure.contains(0)


def test_decided_values_have_tight_enclosures():
    # erf(1) is transcendental: the value is only enclosed (tanh at atanh(1/2) is now exact).
    d = decide(lambda c: c[2], _expansion("(erf(x) - 1/2)**2", "1"))
    assert (d.sign, d.rigor) == (-1, "certified")
    assert d.enclosure.rel_accuracy_bits() >= 50
