import dataclasses
import json
import math
import os

import mpmath
import numpy as np
import pytest
from flint import arb, ctx

from symbolic_eos.paper.datasets import MNIST_IMAGES, MNIST_LABELS, write_idx
from symbolic_eos.errors import InputError
from symbolic_eos.paper.mlp import (
    CONFIGS,
    Mlp,
    certified_directional,
    flip_comparison,
    lanczos_top,
    run_experiment,
)
from symbolic_eos.render.plots import plot_experiment


def _tiny(seed=0, widths=(4, 3, 3, 2), n=7):
    rng = np.random.default_rng(seed)
    net = Mlp(widths)
    theta = net.init(rng) + 0.3 * rng.standard_normal(net.size)
    x = rng.standard_normal((n, widths[0]))
    y = np.eye(widths[-1])[rng.integers(0, widths[-1], n)]
    v = rng.standard_normal(net.size)
    return net, theta, x, y, v / np.linalg.norm(v)


def _fd_grad(net, theta, x, y, h=1e-6):
    return np.array([(net.loss(theta + h * e, x, y) - net.loss(theta - h * e, x, y)) / (2 * h) for e in np.eye(net.size)])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_and_hvp_against_finite_differences(seed):
    net, theta, x, y, v = _tiny(seed)
    loss, grad = net.loss_and_grad(theta, x, y)
    assert loss == pytest.approx(net.loss(theta, x, y), rel=1e-15)
    assert np.allclose(grad, _fd_grad(net, theta, x, y), atol=1e-8, rtol=1e-6)
    assert np.allclose(net.grad_series(theta, None, x, y, 0)[0], grad, atol=1e-15)
    h = 1e-5
    fd = (net.loss_and_grad(theta + h * v, x, y)[1] - net.loss_and_grad(theta - h * v, x, y)[1]) / (2 * h)
    hv = net.hvp(theta, v, x, y)
    assert np.allclose(hv, fd, atol=1e-7, rtol=1e-6)
    # The Hessian is symmetric: u.Hv = v.Hu (to rounding).
    u = np.random.default_rng(seed + 10).standard_normal(net.size)
    assert u @ hv == pytest.approx(v @ net.hvp(theta, u, x, y), rel=1e-10, abs=1e-12)


def test_third_derivative_vector_product_against_finite_differences():
    net, theta, x, y, v = _tiny(3)
    series = net.grad_series(theta, v, x, y, 3)
    h = 1e-4
    g = lambda t: net.loss_and_grad(theta + t * v, x, y)[1]  # noqa: E731
    fd2 = (g(h) - 2 * g(0) + g(-h)) / h**2
    assert np.allclose(2 * series[2], fd2, atol=1e-5, rtol=1e-4)
    fd3 = (g(2 * h) - 2 * g(h) + 2 * g(-h) - g(-2 * h)) / (2 * h**3)
    assert np.allclose(6 * series[3], fd3, atol=1e-3, rtol=1e-3)


@pytest.mark.parametrize("seed", [0, 4])
def test_directional_derivatives_against_finite_differences(seed):
    net, theta, x, y, v = _tiny(seed)
    d2, d3, d4 = net.directional(theta, v, x, y)
    f = lambda t: net.loss(theta + t * v, x, y)  # noqa: E731
    h = 1e-3
    assert d2 == pytest.approx((f(h) - 2 * f(0) + f(-h)) / h**2, rel=1e-5, abs=1e-6)
    assert d3 == pytest.approx((f(2 * h) - 2 * f(h) + 2 * f(-h) - f(-2 * h)) / (2 * h**3), rel=1e-4, abs=1e-4)
    h = 1e-2
    assert d4 == pytest.approx((f(2 * h) - 4 * f(h) + 6 * f(0) - 4 * f(-h) + f(-2 * h)) / h**4, rel=1e-3, abs=1e-3)
    # Consistent with the gradient series: v.G_1 = L'', 2 v.G_2 = L''', 6 v.G_3 = L''''.
    series = net.grad_series(theta, v, x, y, 3)
    assert v @ series[1] == pytest.approx(d2, rel=1e-12)
    assert 2 * v @ series[2] == pytest.approx(d3, rel=1e-10, abs=1e-12)
    assert 6 * v @ series[3] == pytest.approx(d4, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("seed", [0, 5])
def test_ball_jets_enclose_float_jets(seed):
    net, theta, x, y, v = _tiny(seed)
    floats = net.loss_series(theta, v, x, y, 4)
    balls = net.loss_series_balls(theta, v, x, y, 128)
    for k, (b, c) in enumerate(zip(balls, floats, strict=True)):
        value = c * math.factorial(k)
        assert b.rad() < 1e-25 * max(1.0, abs(value))
        assert abs(float(b.mid()) - value) <= 1e-11 * max(1.0, abs(value)), (k, b, value)
    higher = net.loss_series_balls(theta, v, x, y, 256)
    assert all(a.overlaps(b) for a, b in zip(balls, higher, strict=True))


def test_ball_jets_against_an_independent_closed_form():
    # widths (1, 1, 1): L(t) = (1/2) (w2(t) tanh(w1(t) x + b1(t)) + b2(t) - y)^2, differentiated by mpmath.
    net = Mlp((1, 1, 1))
    theta = np.array([0.75, -0.125, 1.5, 0.25])  # w1, b1, w2, b2
    v = np.array([0.5, 0.25, -0.375, 0.125])
    x, y = np.array([[0.625]]), np.array([[1.0]])

    def loss(t):
        w1, b1, w2, b2 = (mpmath.mpf(float(a)) + t * mpmath.mpf(float(d)) for a, d in zip(theta, v, strict=True))
        return (w2 * mpmath.tanh(w1 * mpmath.mpf(0.625) + b1) + b2 - 1) ** 2 / 2

    balls = net.loss_series_balls(theta, v, x, y, 200)
    # mpmath at 130 digits is accurate far below the balls' radii (200 bits, about 1e-55), so the
    # reference must lie inside each ball: no tolerance.
    with mpmath.workdps(130):
        for k in range(5):
            exact = mpmath.diff(loss, 0, k)
            with ctx.workprec(400):
                reference = arb(mpmath.nstr(exact, 110), 1e-95)
                assert balls[k].contains(reference), (k, balls[k], mpmath.nstr(exact, 30))


def test_linear_model_has_no_higher_derivatives():
    # No hidden layer: the loss is quadratic in theta, so L''' = L'''' = 0 exactly.
    net, theta, x, y, v = _tiny(0, widths=(3, 2), n=5)
    balls = net.loss_series_balls(theta, v, x, y, 128)
    assert balls[3].contains(0) and balls[4].contains(0) and balls[3].rad() < 1e-30
    cd = certified_directional(net, theta, v, x, y)
    assert cd.verdict == "undecided"  # 3 * 0 - L'' * 0 = 0: no sign can be certified, and none is claimed


def test_certified_verdict_agrees_with_floats_when_clear():
    for seed in range(6):
        net, theta, x, y, v = _tiny(seed)
        cd = certified_directional(net, theta, v, x, y)
        d2, d3, d4 = cd.floats
        q = 3 * d3**2 - d2 * d4
        assert cd.verdict == ("holds" if q > 0 else "fails")
        assert cd.quantity.rad() < 1e-20
        assert abs(float(cd.quantity.mid()) - q) < 1e-9 * max(1, abs(q))
        assert cd.to_dict()["verdict"] == cd.verdict


def test_lanczos_top_eigenpair():
    rng = np.random.default_rng(0)
    q, _ = np.linalg.qr(rng.standard_normal((30, 30)))
    values = np.linspace(-5, 3, 30)
    values[-1] = 4.0
    a = q @ np.diag(values) @ q.T
    lam, v, res = lanczos_top(lambda u: a @ u, rng.standard_normal(30), 30)
    assert lam == pytest.approx(4.0, abs=1e-10) and res < 1e-8
    assert abs(abs(v @ q[:, -1]) - 1) < 1e-10


def test_flip_comparison_dominates_the_one_dimensional_quantity():
    net, theta, x, y, _ = _tiny(2, widths=(3, 4, 2), n=9)
    lam, v, res = lanczos_top(lambda u: net.hvp(theta, u, x, y), np.ones(net.size), net.size)
    flip = flip_comparison(net, theta, v, x, y)
    assert flip.lambda1 == pytest.approx(lam, rel=1e-9)
    # g^T H^+ g >= (g.v)^2 / l1 = L'''^2 / L'' when v is the top eigenvector.
    assert flip.g_h_g >= flip.one_d_part * (1 - 1e-8)
    assert flip.multivariate >= flip.one_d - 1e-8 * abs(flip.one_d)
    assert flip.verdict == "undecided"


def _write_data(directory, n=90):
    # Ten noisy 8x8 class templates: learnable, deterministic, and no scikit-learn needed.
    rng = np.random.default_rng(7)
    templates = rng.integers(0, 200, size=(10, 8, 8))
    labels = np.arange(n) % 10
    images = np.clip(templates[labels] + rng.integers(0, 56, size=(n, 8, 8)), 0, 255).astype(np.uint8)
    write_idx(os.path.join(directory, MNIST_IMAGES + ".gz"), images)
    write_idx(os.path.join(directory, MNIST_LABELS), labels.astype(np.uint8))


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("mnist")
    _write_data(str(d))
    return str(d)


@pytest.fixture(scope="module")
def tiny_run(data_dir):
    return run_experiment("tiny", mnist_dir=data_dir, seed=3)


def test_experiment_is_deterministic(data_dir, tiny_run):
    again = run_experiment("tiny", mnist_dir=data_dir, seed=3)
    a, b = tiny_run.to_dict(), again.to_dict()
    a.pop("seconds"), b.pop("seconds")
    assert a == b
    other = run_experiment("tiny", mnist_dir=data_dir, seed=4).to_dict()
    assert other["trajectory"]["loss"] != a["trajectory"]["loss"]


def test_experiment_json_shape(tiny_run):
    d = json.loads(json.dumps(tiny_run.to_dict()))
    assert d["dataset"]["name"] == "mnist" and d["dataset"]["samples"] == 90
    assert float(d["eta"]) > 0 and float(d["two_over_eta"]) == pytest.approx(2 / float(d["eta"]))
    assert float(d["final_sharpness"]) > 0
    assert d["obs1"]["status"] in {"confirmed", "refuted", "inconclusive"} and d["obs1"]["rigor"] == "numerical"
    assert 0 <= float(d["obs1"]["cosine_end"]) <= 1
    assert d["obs2"]["verdict"] in {"holds", "fails", "undecided"}
    value = d["obs2"]["value"]
    assert len(value["mid"].replace("-", "").replace(".", "").lstrip("0").split("e")[0]) >= 15
    assert d["flip"] is not None and d["flip"]["verdict"] == "undecided"
    n = len(d["trajectory"]["steps"])
    assert n == len(d["trajectory"]["sharpness"]) == len(d["trajectory"]["cosine"]) == len(d["trajectory"]["loss"])
    # The certified ball encloses the float evidence.
    ev = d["obs2"]["float_evidence"]
    q = 3 * float(ev["third"]) ** 2 - float(ev["second"]) * float(ev["fourth"])
    assert abs(q - float(value["mid"])) < 1e-9 * max(1, abs(q))
    status, summary = tiny_run.obs2_status()
    expected = {"holds": "confirmed", "fails": "refuted", "undecided": "inconclusive"}[d["obs2"]["verdict"]]
    # A run that never reached the edge of stability does not test the observations.
    assert status == (expected if tiny_run.at_edge else "inconclusive")
    if not tiny_run.at_edge:
        assert tiny_run.obs1_status()[0] == "inconclusive" and "did not reach the edge" in tiny_run.obs1_status()[1]
    assert "along the computed top eigenvector" in summary
    assert "Obs. 2" in tiny_run.to_markdown() and tiny_run.to_text().count("\n") > 8


def test_plots(tiny_run, tmp_path):
    pytest.importorskip("matplotlib")
    paths = plot_experiment(tiny_run, str(tmp_path / "figs"))
    assert [os.path.basename(p) for p in paths] == ["mlp-tiny-loss.png", "mlp-tiny-sharpness.png", "mlp-tiny-cosine.png"]
    assert all(os.path.getsize(p) > 1000 for p in paths)


def test_bad_input(data_dir):
    with pytest.raises(InputError, match="config: expected one of"):
        run_experiment("huge", mnist_dir=data_dir)
    with pytest.raises(InputError, match="seed"):
        run_experiment("tiny", mnist_dir=data_dir, seed=-1)
    with pytest.raises(InputError):
        Mlp((3,))
    assert set(CONFIGS) >= {"tiny", "small", "paper"}


def test_statuses_at_the_edge(tiny_run):
    """Forced to the edge (sharpness = 2/eta), the statuses follow the evidence: Obs. 2 the
    certified verdict, Obs. 1 the late cosines, and float cosines never refute."""
    at_edge = dataclasses.replace(tiny_run, sharpness=tuple(1.02 * tiny_run.two_over_eta for _ in tiny_run.sharpness))
    assert at_edge.at_edge
    expected = {"holds": "confirmed", "fails": "refuted", "undecided": "inconclusive"}[at_edge.obs2.verdict]
    assert at_edge.obs2_status()[0] == expected
    aligned = dataclasses.replace(at_edge, cosines=tuple(0.9 for _ in at_edge.cosines))
    assert aligned.obs1_status()[0] == "confirmed"
    never = dataclasses.replace(at_edge, cosines=tuple(0.0 for _ in at_edge.cosines))
    assert never.obs1_status()[0] == "inconclusive" and "never aligned" in never.obs1_status()[1]


def test_cli_json_contract(data_dir, capsys):
    from symbolic_eos.cli import main

    assert main(["mlp-experiment", "--config", "tiny", "--mnist", data_dir, "--seed", "3", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["dataset"]["name"] == "mnist" and d["dataset"]["samples"] == 90
    assert float(d["eta"]) > 0 and float(d["final_sharpness"]) > 0
    assert {"cosine_end", "median_last_quarter", "min_last_quarter", "max_last_quarter"} <= set(d["obs1"])
    assert d["obs2"]["verdict"] in {"holds", "fails", "undecided"} and {"mid", "rad"} <= set(d["obs2"]["value"])


@pytest.mark.parametrize("argv, message", [
    (["--config", "huge"], "invalid choice: 'huge'"),
    (["--seed", "-1"], "seed: expected an integer >= 0"),
    (["--mnist", "/nonexistent/mnist"], "mnist"),
])
def test_cli_bad_input_is_one_line_exit_2(argv, message, capsys):
    from symbolic_eos.cli import main

    assert main(["mlp-experiment", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err.lower()
