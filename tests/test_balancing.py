"""The balancing identities of (x y - 1)^2 / 2 and the neuron's reduction, against oracles that
share no code with symbolic_eos.paper.balancing: exact Fractions, mpmath at two precisions, finite
differences of the neuron's closed-form loss."""

from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from symbolic_eos.paper import balancing as bal
from symbolic_eos.paper.neuron import population_loss

rationals = st.fractions(min_value=-3, max_value=3, max_denominator=50)


@given(rationals, rationals, st.fractions(min_value=0, max_value=3, max_denominator=50))
@example(Fraction(3, 5), Fraction(3, 5), Fraction(25, 24))  # lands exactly on the minimum (1, 1)
@example(Fraction(1, 2), Fraction(2), Fraction(11, 10))  # starts on the manifold x y = 1
def test_one_step_multiplies_the_imbalance_by_one_minus_eta2_e2(x, y, eta):
    e = x * y - 1
    x1, y1 = x - eta * e * y, y - eta * e * x
    assert x1 * x1 - y1 * y1 == (x * x - y * y) * (1 - eta * eta * e * e)


def test_every_statement_is_proved_and_cited():
    r = bal.balancing_theorems()
    assert r.proved and r.rigor == "exact" and len(r.theorems) == 5
    d = r.to_dict()
    assert [t["cites"] for t in d["theorems"]][1:3] == ["Du2018", "Wang2022"]
    assert "3 - 2 eta" in r.to_markdown() and "9" in d["theorems"][3]["statement"]


@pytest.mark.parametrize("dps", [30, 60])
@pytest.mark.parametrize("eta", ["1.01", "1.1", "1.2"])
def test_two_cycle_product_is_three_minus_two_eta(dps, eta):
    with mpmath.workdps(dps):
        h = mpmath.mpf(eta)
        F = lambda t: t - h * (t**3 - t)  # noqa: E731
        a, b = mpmath.findroot(lambda p, q: (F(p) - q, F(q) - p), (mpmath.mpf("0.8"), mpmath.mpf("1.15")))
        assert abs(F(F(a)) - a) < mpmath.mpf(10) ** (5 - dps) and abs(a - b) > mpmath.mpf("0.01")
        product = (1 - h**2 * (a * a - 1) ** 2) * (1 - h**2 * (b * b - 1) ** 2)
        assert abs(product - (3 - 2 * h)) < mpmath.mpf(10) ** (5 - dps)
        m = mpmath.sqrt((h + 2) / h)  # the cycle {-m, m}: F(m) = -m
        assert abs(F(m) + m) < mpmath.mpf(10) ** (5 - dps)
        assert abs((1 - h**2 * (m * m - 1) ** 2) ** 2 - 9) < mpmath.mpf(10) ** (5 - dps)


def test_a_wrong_gd_step_is_not_proved(monkeypatch):
    # The proofs must be able to fail: with the wrong update (x - eta e x, the gradient's
    # coordinates swapped) the identity and the two-step product are no longer identities.
    monkeypatch.setattr(bal, "_gd_step", lambda x, y, eta: (x - eta * (x * y - 1) * x, y - eta * (x * y - 1) * y))
    assert not bal.imbalance_identity().proved
    assert not bal.contraction_below_edge().proved
    assert not bal.neuron_reduction().proved


def _fd_gradient(v, w, c, h=1e-6):
    gv = (population_loss(v + h, w, c) - population_loss(v - h, w, c)) / (2 * h)
    gw = np.array([(population_loss(v, w + h * e, c) - population_loss(v, w - h * e, c)) / (2 * h)
                   for e in np.eye(w.size)])
    return float(gv), gw


@pytest.mark.parametrize("d,c,eta", [(3, 1.0, 3.3), (5, 2.0, 2.6), (10, 0.5, 21.0)])
def test_neuron_on_the_ray_steps_like_xy_at_the_rescaled_rate(d, c, eta):
    v, r = 0.7, 1.9
    w = np.zeros(d)
    w[0] = r
    gv, gw = _fd_gradient(v, w, c)
    assert np.max(np.abs(gw[1:])) < 1e-6  # no force across the ray
    v1, r1 = v - eta * gv, r - eta * gw[0]
    K = eta * c / d
    x, y = v / np.sqrt(c), r / np.sqrt(c)
    e = x * y - 1
    assert abs(v1 / np.sqrt(c) - (x - K * e * y)) < 1e-6 and abs(r1 / np.sqrt(c) - (y - K * e * x)) < 1e-6
