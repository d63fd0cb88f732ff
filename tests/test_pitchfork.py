"""Certified pitchforks of symmetric 2-cycles (issue 15 item 8), against mpmath at two precisions
on the original 2-cycle equations and by hand-derived closed forms:

* f = 1 - cos x: F(x) = x - eta sin x; the symmetric cycle {-a, a} solves eta sin a = 2 a, and
  F'(a) = 1 - eta cos a = 1 at a = pi/2, eta = pi.
* f = x^2/2 - x^4/4: a^2 = 1 - 2/eta, F'(a) = 2 eta - 5: superstable at 5/2, pitchfork at 3.
"""

import json

import mpmath
import pytest
import sympy as sp
from flint import arb, ctx

from symbolic_eos import window
from symbolic_eos.dynamics import pitchfork as pf
from symbolic_eos.dynamics.closed_forms import ClosedForm
from symbolic_eos.dynamics.orbits import GradientMap

x = sp.Symbol("x")



@pytest.mark.parametrize("dps", [30, 60])
def test_cosine_pitchfork_at_pi_against_mpmath(dps):
    w = window("1 - cos(x)", at="0", digits=30)
    d = w.to_dict()
    assert d["loss_type"] == "pitchfork" and d["symmetric"] is True and "mirror images" in d["branches"]
    assert d["closed_forms"]["eta_loss"]["expression"] == "pi" and d["closed_forms"]["eta_loss"]["status"] == "proved"
    with ctx.workprec(400):
        assert w.loss.eta.contains(arb.pi()) and (w.loss.points[1]).contains(arb.pi() / 2)
    with mpmath.workdps(dps):
        # The multiplier crosses +1 at eta = pi: below 1 just before, above just after.
        for eta, side in ((mpmath.pi - mpmath.mpf("0.01"), -1), (mpmath.pi + mpmath.mpf("0.01"), 1)):
            a = mpmath.findroot(lambda t, e=eta: e * mpmath.sin(t) - 2 * t, mpmath.mpf("1.57"))
            m = (1 - eta * mpmath.cos(a)) ** 2
            assert (m - 1) * side > 0
        assert abs(mpmath.pi * mpmath.sin(mpmath.pi / 2) - mpmath.pi) < mpmath.mpf(10) ** -dps


@pytest.mark.parametrize("dps", [30, 60])
def test_quartic_well_pitchfork_at_three(dps):
    w = window("x**2/2 - x**4/4", at="0", digits=30)
    assert w.loss_type == "pitchfork" and w.loss.closed_form.expression == "3"
    assert w.superstable.closed_form.expression == "5/2"
    with mpmath.workdps(dps):
        for eta in (mpmath.mpf("2.9"), mpmath.mpf("3.1")):
            a = mpmath.sqrt(1 - 2 / eta)
            F = lambda t, e=eta: t - e * (t - t**3)  # noqa: E731
            assert abs(F(-a) - a) < mpmath.mpf(10) ** (2 - dps)
            assert ((1 - eta * (1 - 3 * a * a)) ** 2 - 1) * (eta - 3) > 0


def test_symmetry_about_a_point_other_than_zero():
    w = window("1 - cos(x - 1)", at="1", digits=20)
    assert w.loss_type == "pitchfork" and w.symmetric
    with ctx.workprec(400):
        assert w.loss.eta.contains(arb.pi())
        assert (w.loss.points[0] + w.loss.points[1]).contains(2)


def test_an_asymmetric_loss_is_not_read_as_symmetric():
    # The quartic (x^2 - 1)^2/4 is not symmetric about its minimum 1: it period-doubles.
    assert not pf.mirror_symmetric((x**2 - 1) ** 2 / 4, x, sp.Integer(1))
    assert not pf.mirror_symmetric(x**2 / 2 - x**4 / 4 + x**5 / 100, x, sp.Integer(0))
    w = window("(x**2-1)**2/4", at="1", digits=20)
    assert w.loss_type == "period_doubling" and w.symmetric is False and w.to_dict()["branches"] is None


def test_the_reduced_system_refuses_a_wrong_centre():
    # Centred at 1/10 instead of the true centre 0, F(xb - a) = xb + a with F'(xb - a) = 1 has no
    # zero near (pi/2, pi): the certificate must not appear there.
    ev = pf.locate_symmetric_loss(GradientMap(1 - sp.cos(x), x), sp.Rational(1, 10), (mpmath.mpf(1.5), mpmath.mpf(3.1)),
                                  20, (mpmath.mpf("3.1"), mpmath.mpf("3.2")))
    assert ev is None or not ev.eta.contains(arb.pi())


def test_a_wrong_closed_form_is_not_proved(monkeypatch):
    ev = pf.locate_symmetric_loss(GradientMap(1 - sp.cos(x), x), sp.Integer(0), (mpmath.mpf(1.5), mpmath.mpf(3.1)), 30)
    assert pf.prove_symmetric_constant(1 - sp.cos(x), x, sp.Integer(0), ev, 30).expression == "pi"
    # 355/113 agrees with pi to 7 digits: the exact check must refuse it.
    monkeypatch.setattr(pf, "recognise", lambda value, digits: ClosedForm("355/113", None, "consistent", digits))
    assert pf.prove_symmetric_constant(1 - sp.cos(x), x, sp.Integer(0), ev, 30) is None


def test_window_json_is_serialisable_with_the_new_fields():
    d = window("x**2/2 - x**4/4", at="0", digits=20).to_dict()
    back = json.loads(json.dumps(d))
    assert back["loss_type"] == "pitchfork" and back["rigor"] == "certified"
