"""Exact global proofs of the L2 condition for the base models (issue 15, item 7), re-checked by
independent routes: the identity ``C == form`` again exactly (sympy, from freshly computed
derivatives, through a different rewrite), the sign by mpmath sampling (a cross-check only), and
the interval certificates (which must never contradict a global proof)."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from symbolic_eos.analysis import global_proofs
from symbolic_eos.analysis.base_models import base_models
from symbolic_eos.analysis.certificates import certify_base_model
from symbolic_eos.analysis.global_proofs import global_proof

X = sp.Symbol("x")
MODELS = {m.name: m for m in base_models()}
HOLDS = {"sin", "tanh", "exp", "log", "sigmoid", "gaussian", "cube", "quintic", "softplus", "atan", "erf"}


def _domain(m):
    lo = -sp.oo if m.domain[0] == "-inf" else sp.sympify(m.domain[0])
    hi = sp.oo if m.domain[1] == "inf" else sp.sympify(m.domain[1])
    return lo, hi


@pytest.fixture(scope="module")
def proofs():
    return {name: global_proof(m.expr, X, *_domain(m)) for name, m in MODELS.items()}


def test_which_models_are_proved_globally(proofs):
    assert {n for n, p in proofs.items() if p is not None and p.status == "holds"} == HOLDS & set(MODELS)
    assert proofs["affine"].status == "fails" and proofs["affine"].form == "0"
    assert proofs["sin"].form == "5*cos(x)**2 - 6" and "max -1 on [-1, 1]" in proofs["sin"].reasons[0]
    assert proofs["cube"].form == "-198*x**2" and proofs["quintic"].form == "-2100*x**6"


@pytest.mark.parametrize("name", sorted(HOLDS))
def test_the_identity_is_exact_by_an_independent_route(proofs, name):
    g = MODELS[name].expr
    c = sp.diff(g, X) * sp.diff(g, X, 3) - 6 * sp.diff(g, X, 2) ** 2
    form = sp.sympify(proofs[name].form, locals={"x": X})
    # a different route from the module's (cancel after rewriting in exp): trigsimp, then
    # simplify of the difference rewritten in exponentials
    difference = sp.trigsimp(c - form)
    assert difference == 0 or sp.simplify(sp.expand(difference.rewrite(sp.exp))) == 0
    # x^n: the closed form -n^2 (n - 1)(5 n - 4) x^(2n - 4)
    if name in ("cube", "quintic"):
        n = 3 if name == "cube" else 5
        assert sp.expand(form + n**2 * (n - 1) * (5 * n - 4) * X ** (2 * n - 4)) == 0


@pytest.mark.parametrize("name", sorted(HOLDS))
def test_sampling_cross_checks_the_sign(proofs, name):
    m = MODELS[name]
    c = sp.lambdify(X, sp.diff(m.expr, X) * sp.diff(m.expr, X, 3) - 6 * sp.diff(m.expr, X, 2) ** 2, "mpmath")
    lo, hi = _domain(m)
    a = float(lo) if lo.is_finite else -30.0
    b = float(hi) if hi.is_finite else 30.0
    with mpmath.workdps(60):
        for k in range(1, 400):
            t = mpmath.mpf(a) + (mpmath.mpf(b) - a) * k / 400
            value = c(t)
            zero_of_g1 = any(abs(t - mpmath.mpf(z)) < mpmath.mpf(10) ** -40 for z in proofs[name].zeros)
            assert value < 0 or zero_of_g1, (name, t, value)


@pytest.mark.parametrize("name", ["sin", "tanh", "cube", "sigmoid"])
def test_the_interval_certificate_never_contradicts_the_global_proof(name):
    cert = certify_base_model(name, max_depth=8, max_boxes=2000)
    assert not cert.of_status("fails")
    d = cert.to_dict()
    assert d["global_proof"]["rigor"] == "exact" and d["global_proof"]["status"] == "holds"
    assert "global proof (exact)" in cert.to_text()


def test_a_broken_lemma_is_refused(monkeypatch):
    c = global_proofs.condition_expression(sp.sin(X), X)
    # a form off by a constant is not accepted as C
    assert global_proofs._identity(c, 5 * sp.cos(X) ** 2 - 6)
    assert not global_proofs._identity(c, 5 * sp.cos(X) ** 2 - 5)
    # sympy handing back a wrong form makes the proof refuse, not pass
    real_factor = sp.factor
    monkeypatch.setattr(global_proofs.sp, "factor", lambda e: real_factor(e) + sp.Rational(1, 10**6))
    assert global_proof(sp.sin(X), X) is None
    monkeypatch.undo()
    # a condition that changes sign has no global proof: g = x^3 + x, C = 6 - 198 x^2
    assert global_proof(X**3 + X, X) is None
