import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from flint import arb, ctx, fmpq

from symbolic_eos import errors

from .profiles import examples
from symbolic_eos.core.decide import (
    LADDER,
    PRECISIONS,
    Decision,
    Expansion,
    ball_sign,
    decide,
    decide_ball,
    decide_constant,
    excludes_zero,
    prove_zero,
    rungs,
)
from symbolic_eos.core.jets import Point, Undetermined, constant_enclosure
from symbolic_eos.core.parse import parse_constant, parse_expression, parse_variable_name

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


# ---------------------------------------------------------------------------------------------
# The one decision ladder: excludes_zero, ball_sign, decide_ball, decide_constant, and the
# invariants of Decision.  Oracles are independent of the package: mpmath at two precisions
# (a sign counts only when both agree with a margin) and exact sympy.

def _mpmath_sign(value: sp.Expr) -> int | None:
    """The sign of a real constant by mpmath at 50 and at 120 digits, when the two values agree
    to 20 digits (rounding junk around a true 0 does not); None otherwise."""
    values = []
    for dps in (50, 120):
        with mpmath.workdps(dps):
            values.append(mpmath.mpf(str(sp.N(value, dps))))
    low, high = values
    with mpmath.workdps(120):
        if high == 0 or abs(high - low) > abs(high) * mpmath.mpf(10) ** -20:
            return None
    return 1 if high > 0 else -1


def test_the_ladder_is_one_doubling_sequence():
    assert all(b == 2 * a for a, b in zip(LADDER[:-1], LADDER[1:], strict=True))
    assert PRECISIONS == rungs() == (64, 128, 256, 512, 1024, 2048)
    assert rungs(128, 512) == (128, 256, 512) and rungs(4096, 64) == ()


@pytest.mark.parametrize(("ball", "excluded", "sign"), [
    (arb(1, 0.5), True, 1),
    (arb(-3, 2.5), True, -1),
    (arb(1, 1), False, None),        # touches 0
    (arb(0, 1e-300), False, None),   # contains 0, not exactly 0
    (arb(0), False, 0),              # radius 0 around 0: exactly 0
    (arb("nan"), False, None),
    (arb("inf"), False, None),       # not finite: nothing is decided
    (arb(10) ** -300, True, 1),
])
def test_excludes_zero_and_ball_sign(ball, excluded, sign):
    assert excludes_zero(ball) is excluded
    assert ball_sign(ball) == sign


def test_excludes_zero_agrees_with_exact_rationals():
    # Oracle: the exact sign of a rational q, against a ball of radius r around it.
    for q in (sp.Rational(1, 3), sp.Rational(-7, 2), sp.Rational(1, 10**40)):
        for r in (sp.Rational(1, 10**50), sp.Rational(1, 10)):
            with ctx.workprec(256):
                ball = arb(fmpq(int(q.p), int(q.q)), arb(fmpq(int(r.p), int(r.q))))
            assert excludes_zero(ball) is bool(abs(q) > r)
            assert ball_sign(ball) == (int(sp.sign(q)) if abs(q) > r else None)


def test_decide_ball_certifies_against_mpmath():
    value = sp.sqrt(2) - sp.Rational(141421356237, 10**11)  # about 3.1e-12 > 0
    d = decide_ball(lambda prec: constant_enclosure(value, prec))
    assert (d.sign, d.rigor) == (_mpmath_sign(value), "certified") == (1, "certified")
    with mpmath.workdps(60):
        reference = mpmath.sqrt(2) - mpmath.mpf(141421356237) / 10**11
    with ctx.workprec(300):
        assert d.enclosure.overlaps(arb(mpmath.nstr(reference, 40), 1e-50))


def test_decide_ball_climbs_only_as_far_as_needed():
    seen = []

    def evaluate(prec):
        seen.append(prec)
        return arb(1, 2.0 ** (100 - prec))  # excludes 0 once prec > 100

    d = decide_ball(evaluate)
    assert (d.sign, d.rigor) == (1, "certified") and seen == [64, 128]


def test_decide_ball_skips_rungs_that_cannot_be_evaluated():
    def evaluate(prec):
        if prec < 256:
            raise Undetermined("log of a ball holding 0")
        return arb(-1)

    d = decide_ball(evaluate)
    assert (d.sign, d.rigor, d.text(3)) == (-1, "certified", "-1.00")


def test_decide_ball_undecided_keeps_the_last_enclosure():
    d = decide_ball(lambda prec: arb(0, 2.0 ** -prec), rungs(64, 256))
    assert (d.sign, d.rigor) == (None, None) and not d.decided
    assert d.enclosure.rad() < 2.0 ** -255 and d.enclosure.contains(0)
    assert d.evidence().startswith("in [+/-")

    def unknown(prec):
        raise Undetermined("never evaluated")

    nothing = decide_ball(unknown)
    assert (nothing.sign, nothing.enclosure) == (None, None)


def test_decide_ball_exact_zero_ball_is_a_proof_unless_refused():
    d = decide_ball(lambda prec: arb(0))
    assert (d.sign, d.rigor, d.exact) == (0, "exact", fmpq(0))
    refused = decide_ball(lambda prec: arb(0), zero_is_proof=False)
    assert (refused.sign, refused.rigor) == (None, None)


def test_decide_ball_refine_buys_one_more_rung():
    def evaluate(prec):
        return arb(1, 2.0 ** (-prec // 2))  # few correct bits at each rung

    plain, fine = decide_ball(evaluate), decide_ball(evaluate, refine=True)
    assert plain.enclosure.rel_accuracy_bits() < fine.enclosure.rel_accuracy_bits()
    assert plain.sign == fine.sign == 1


def test_decide_constant_exact_rationals():
    assert (decide_constant(0).sign, decide_constant(0).rigor) == (0, "exact")
    assert decide_constant(fmpq(-1, 3)).exact == fmpq(-1, 3)
    tiny = decide_constant(sp.Rational(1, 10**300))
    assert (tiny.sign, tiny.rigor, tiny.exact) == (1, "exact", fmpq(1, 10**300))


def test_decide_constant_tiny_irrational_is_certified_positive():
    # 10**-300 * sqrt(2) and exp(-690) (about 1.4e-300): far below float64's smallest normal
    # number's square, but a ball has an exponent of its own.
    for value in (sp.sqrt(2) / sp.Integer(10) ** 300, sp.exp(-690)):
        d = decide_constant(value)
        assert (d.sign, d.rigor) == (1, "certified") == (_mpmath_sign(value), "certified")
        assert d.enclosure.rel_accuracy_bits() > 30


def test_decide_constant_near_degenerate_needs_enough_precision():
    # Ramanujan's constant: exp(pi sqrt 163) is within 7.5e-13 of the integer 640320**3 + 744,
    # while it is 2.6e17 in size: 64 bits cannot see the sign, the ladder can.
    value = sp.exp(sp.pi * sp.sqrt(163)) - 640320**3 - 744
    assert _mpmath_sign(value) == -1
    low = decide_constant(value, rungs(64, 64))
    assert (low.sign, low.rigor) == (None, None) and low.enclosure.contains(0)
    d = decide_constant(value)
    assert (d.sign, d.rigor) == (-1, "certified")
    with mpmath.workdps(60):
        reference = mpmath.exp(mpmath.pi * mpmath.sqrt(163)) - 640320**3 - 744
    with ctx.workprec(400):
        assert d.enclosure.overlaps(arb(mpmath.nstr(reference, 40), 1e-45))


@pytest.mark.parametrize("value", [
    sp.sin(sp.pi) ** 2 + sp.cos(sp.pi) + 1,                                    # sympy: exactly 0
    sp.sin(sp.pi / 7) ** 2 + sp.cos(sp.pi / 7) ** 2 - 1,                        # 0 at a transcendental point
    sp.atan(sp.Rational(1, 2)) + sp.atan(sp.Rational(1, 3)) - sp.pi / 4,       # 0, hard to prove
    sp.sqrt(2) * sp.sqrt(3) - sp.sqrt(6),                                      # algebraic 0
])
def test_decide_constant_never_certifies_a_true_zero(value):
    # Oracle: each value is 0 (mpmath at both precisions finds nothing above rounding).
    assert _mpmath_sign(value) is None
    d = decide_constant(value)
    assert d.sign in (0, None)
    assert d.rigor == ("exact" if d.sign == 0 else None)
    if d.sign is None:
        assert d.enclosure is None or d.enclosure.contains(0)


def test_decide_constant_agrees_with_mpmath_on_ordinary_constants():
    for value in (sp.pi - sp.Rational(355, 113), sp.E - sp.Rational(19, 7), sp.log(2) - sp.Rational(7, 10),
                  (1 + sp.sqrt(5)) / 2 - sp.Rational(1618034, 10**6)):
        oracle = _mpmath_sign(value)
        d = decide_constant(value)
        if oracle is None:
            assert d.sign in (0, None)
        else:
            assert (d.sign, d.rigor) == (oracle, "certified")


@pytest.mark.parametrize("fields", [
    (0, "certified", arb(0)),       # a ball that excludes 0 never says 0
    (None, "exact", None),          # exact always has a sign
    (None, "certified", arb(1)),    # undecided has no rigor
    (1, None, arb(1)),              # a sign needs a rigor
    (2, "exact", None),             # signs are -1, 0, 1
    (True, "exact", None),          # ... not booleans
    (1, "numerical", arb(1)),       # a sign's rigor is exact or certified
])
def test_decision_invariants_raise_internal_error(fields):
    with pytest.raises(errors.InternalError):
        Decision(*fields)


def test_internal_error_is_not_a_user_error_and_the_cli_reports_it(monkeypatch, capsys):
    assert issubclass(errors.InternalError, RuntimeError) and not issubclass(errors.InternalError, errors.EosError)
    from symbolic_eos import cli

    def broken(args):
        Decision(0, "certified", arb(0))

    monkeypatch.delenv("SYMBOLIC_EOS_DEBUG", raising=False)
    monkeypatch.setattr(cli, "_run", broken)
    assert cli.main(["check", "x**2", "--at", "0"]) == cli.EXIT_INTERNAL
    assert "internal error (InternalError" in capsys.readouterr().err


def test_valid_decisions_are_accepted():
    for fields in ((1, "certified", arb(1)), (-1, "exact", None, fmpq(-1)), (0, "exact", None, fmpq(0)),
                   (None, None, None), (None, None, arb(0, 1))):
        assert Decision(*fields).sign == fields[0]


@settings(deadline=None, max_examples=examples(40))
@given(st.lists(st.integers(-5, 5), min_size=1, max_size=4), st.lists(st.integers(-5, 5), min_size=1, max_size=4),
       st.integers(1, 4), st.integers(-3, 3))
def test_rational_identities_in_exp_are_proved_zero_and_nothing_else(p, q, den, nudge):
    # (P(t) Q(t) - expand(P Q)(t)) / (1 + t^2) is 0 for t = exp(1/den); adding nudge * 10^-40 is not
    # (mpmath at 60 digits is the oracle of "not zero").
    from symbolic_eos.core.decide import prove_zero

    t = sp.exp(sp.Rational(1, den))
    T = sp.Symbol("T")
    P, Q = sum(c * T**i for i, c in enumerate(p)), sum(c * T**i for i, c in enumerate(q))
    product = sp.expand(P * Q)
    zero = (P.subs(T, t) * Q.subs(T, t) - product.subs(T, t)) / (1 + t**2)
    assert prove_zero(zero)
    if nudge:
        off = zero + sp.Rational(nudge, 10**40) * t
        assert mpmath.mpf(sp.N(off, 60)) != 0 and not prove_zero(off)
