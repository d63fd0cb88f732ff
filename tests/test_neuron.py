import numpy as np

from symbolic_eos.paper.neuron import (
    _gradient,
    _quartic_cycle,
    lambda1_formula_holds,
    monte_carlo_check,
    population_loss,
    simulate,
)


def test_closed_form_matches_monte_carlo():
    r = monte_carlo_check(d=4, samples=100_000, points=4, seed=3)
    assert r.max_deviation_in_standard_errors < 4.5


def test_closed_form_special_values():
    # Aligned student w = r e1: L = (v r - 1)^2 / (2d) exactly.
    d = 6
    w = np.zeros(d)
    w[0] = 0.8
    assert abs(population_loss(1.25, w) - 0.0) < 1e-15
    assert abs(population_loss(2.0, w) - (1.6 - 1) ** 2 / (2 * d)) < 1e-15
    # Orthogonal student: E relu(w.x) relu(e1.x) = |w| / (2 pi d) (t = pi/2).
    w = np.zeros(d)
    w[1] = 1.0
    assert abs(population_loss(1.0, w) - (1 / (2 * d) - 2 / (2 * np.pi * d) + 1 / (2 * d))) < 1e-15


def test_gradient_against_finite_differences():
    v, w, h = 0.7, np.array([0.9, -0.3, 0.4, 0.1]), 1e-6
    gv, gw = _gradient(v, w, 1.0)
    fd = [(population_loss(v, w + h * e) - population_loss(v, w - h * e)) / (2 * h) for e in np.eye(4)]
    assert np.allclose(gw, fd, atol=1e-8)
    assert abs(gv - (population_loss(v + h, w) - population_loss(v - h, w)) / (2 * h)) < 1e-8


def test_lambda1_formula_is_proved():
    assert lambda1_formula_holds()


def test_gd_balances_onto_the_quartic_cycle_and_aligns():
    run = simulate(d=5, K=1.1, seed=0, steps=1500)
    assert run.cycle is not None and np.allclose(run.cycle, _quartic_cycle(1.1), atol=1e-9)
    assert run.final_imbalance < 1e-12 and run.final_perp < 1e-100
    assert run.alignment_rate is not None and run.alignment_rate < run.claimed_rate


def test_tail_rate_is_sqrt_k_minus_one_proved_and_measured():
    # The proved statement against two independent routes: mpmath's 2-cycle of the quartic at two
    # precisions (the product of 1 - K delta_i^2 is 1 - K), and the float runs' fitted tail rate.
    import mpmath

    from symbolic_eos.paper.neuron import simulate, tail_rate_theorem

    assert tail_rate_theorem().proved
    for dps in (30, 60):
        with mpmath.workdps(dps):
            for K in (mpmath.mpf("1.05"), mpmath.mpf("1.1")):
                def cycle(p, q, K=K):
                    return p - K * (p**3 - p) - q, q - K * (q**3 - q) - p

                a, b = mpmath.findroot(cycle, (mpmath.mpf("0.85"), mpmath.mpf("1.12")))
                assert abs((1 - K * a * a) * (1 - K * b * b) - (1 - K)) < mpmath.mpf(10) ** (5 - dps)
    for K in (1.05, 1.1):
        r = simulate(3, K, 0, steps=4000)
        assert abs(r.alignment_rate / r.tail_rate_predicted - 1) < 0.01
        assert r.whole_run_rate is not None and r.whole_run_rate < r.claimed_rate
        assert r.start_v is not None and len(r.start_w) == 3
