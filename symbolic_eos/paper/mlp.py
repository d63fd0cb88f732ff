"""An MLP trained past the edge of stability, and the poster's two observations (issue 7).

**Model.**  ``f(x) = W_L tanh(... tanh(W_1 x + b_1) ...) + b_L`` on ``n`` samples with one-hot
targets ``y_i`` (10 classes), MSE loss ``L(theta) = (1/(2n)) sum_i |f(x_i) - y_i|^2`` (the
paper's setting is MSE; tanh because ReLU's higher derivatives vanish almost everywhere).
Weights start ``N(0, 1/fan_in)``, biases 0, from a seeded ``numpy`` Generator.

**Exact derivatives (no finite differences).**  Every derivative is Taylor-mode arithmetic on
truncated polynomials in ``t`` pushed through the forward *and* backward pass at
``theta + t v``: the gradient series ``grad L(theta + t v) = G_0 + G_1 t + G_2 t^2 + ...`` has
``G_1 = H v`` (Pearlmutter's R-op, forward-over-reverse) and ``G_2 = D^3 L[v, v, .]/2``; the
loss series gives ``L'' = 2 c_2``, ``L''' = 6 c_3``, ``L'''' = 24 c_4`` along ``v``.  tanh's
jet uses ``tanh' = 1 - y^2`` and Faa di Bruno to order 4.

**Certified Obs. 2.**  The end point ``theta`` and the computed direction ``v`` (float64, so
exact binary rationals) and the float64 data are taken as exact; the same forward jet runs in
python-flint ball arithmetic (``arb_mat`` products, ``arb`` per-element tanh jets), so the ball
for ``3 L'''^2 - L'' L''''`` encloses the true value *along v*.  ``v`` approximates the top
Hessian eigenvector; its Rayleigh quotient and residual are reported as float evidence.

**Edge of stability recipe.**  Full-batch GD at a fixed ``eta``; progressive sharpening drives
the top Hessian eigenvalue up to ``2/eta`` where it hovers (Cohen et al.). The sharpness
(Lanczos on exact HVPs, warm-started) and ``|cos(v1, grad)|`` are tracked every few steps.

>>> net = Mlp((3, 4, 2))
>>> net.size
26
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core import arguments
from ..core.decide import rungs
from ..core.numbers import float_text, json_float
from ..errors import InputError
from ..core.vocabulary import Rigor, Status, Verdict

if TYPE_CHECKING:  # flint is imported where it is used, as elsewhere in this module
    from flint import arb, arb_mat

    from ..core.decide import Decision

__all__ = [
    "Mlp",
    "MlpConfig",
    "CONFIGS",
    "MlpExperiment",
    "run_experiment",
    "certified_directional",
    "flip_comparison",
    "ALIGNED",
]

# ---------------------------------------------------------------------------------------------
# Truncated Taylor series: a list of coefficients [c_0, ..., c_K]; None stands for an exact zero
# (parameters are affine in t, so most coefficients of W(t) vanish and are skipped).


def _cmul(a: list, b: list, order: int, op: Callable[[Any, Any], Any]) -> list:
    """Cauchy product ``(sum a_i t^i)(sum b_j t^j)`` truncated at ``t^order``, with ``op`` the product."""
    out: list = [None] * (order + 1)
    for i, ai in enumerate(a):
        if ai is None:
            continue
        for j, bj in enumerate(b):
            if bj is None or i + j > order:
                continue
            term = op(ai, bj)
            out[i + j] = term if out[i + j] is None else out[i + j] + term
    return out


def _is_ball(a: object) -> bool:
    return isinstance(a, np.ndarray) and a.dtype == object


def _arb_matrix(a: np.ndarray) -> arb_mat:
    from flint import arb_mat

    return arb_mat(a.tolist())


def _from_arb_matrix(m: arb_mat) -> np.ndarray:
    out = np.empty((m.nrows(), m.ncols()), dtype=object)
    out[:, :] = m.tolist()
    return out


def _matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` in float64, or in ball arithmetic (``arb_mat``, in C) if either is an arb array."""
    if _is_ball(a) or _is_ball(b):
        return _from_arb_matrix(_arb_matrix(a) * _arb_matrix(b))
    return a @ b


def _tanh0(z: np.ndarray) -> np.ndarray:
    if _is_ball(z):
        return np.frompyfunc(lambda u: u.tanh(), 1, 1)(z)
    return np.tanh(z)


def _tanh_series(z: list, order: int) -> list:
    """Jet of ``tanh(z(t))`` to order <= 4 by Faa di Bruno; ``tanh^(k)`` as polynomials in ``y = tanh z_0``."""
    if order > 4:
        raise InputError("tanh jets are implemented to order 4")
    y = _tanh0(z[0])
    z1, z2, z3, z4 = [(z[k] if k < len(z) and z[k] is not None else 0) for k in (1, 2, 3, 4)]
    d1 = 1 - y * y
    out = [y]
    if order >= 1:
        out.append(d1 * z1)
    if order >= 2:
        d2 = -2 * y * d1
        out.append(d1 * z2 + d2 * (z1 * z1) / 2)
    if order >= 3:
        d3 = d1 * (6 * y * y - 2)
        out.append(d1 * z3 + d2 * z1 * z2 + d3 * (z1 * z1 * z1) / 6)
    if order >= 4:
        d4 = 8 * y * d1 * (2 - 3 * y * y)
        out.append(d1 * z4 + d2 * (z1 * z3 + z2 * z2 / 2) + d3 * (z1 * z1 * z2) / 2 + d4 * (z1 * z1 * z1 * z1) / 24)
    return out


def _add_bias(z: list, b: list) -> list:
    return [(zk if bk is None else (bk[None, :] if zk is None else zk + bk[None, :])) if k < len(b) else zk
            for k, (zk, bk) in enumerate(zip(z, b + [None] * (len(z) - len(b)), strict=True))]


# ---------------------------------------------------------------------------------------------
# The network.


@dataclass(frozen=True)
class Mlp:
    """A tanh MLP with layer widths ``widths = (d_in, h_1, ..., d_out)``; parameters flattened
    as ``W_1`` (row-major, ``h_1 x d_in``), ``b_1``, ``W_2``, ``b_2``, ...

    >>> net = Mlp((2, 3, 1))
    >>> rng = np.random.default_rng(0)
    >>> theta, x, y = rng.standard_normal(net.size), rng.standard_normal((5, 2)), rng.standard_normal((5, 1))
    >>> loss, grad = net.loss_and_grad(theta, x, y)
    >>> net.size, grad.shape, bool(abs(loss - net.loss(theta, x, y)) < 1e-12)
    (13, (13,), True)
    """

    widths: tuple[int, ...]

    def __post_init__(self):
        if len(self.widths) < 2 or any(w < 1 for w in self.widths):
            raise InputError(f"MLP widths must be at least two positive integers, got {self.widths}")

    @property
    def shapes(self) -> list[tuple[int, int]]:
        return [(self.widths[i + 1], self.widths[i]) for i in range(len(self.widths) - 1)]

    @property
    def size(self) -> int:
        return sum(o * i + o for o, i in self.shapes)

    def init(self, rng: np.random.Generator) -> np.ndarray:
        """``W ~ N(0, 1/fan_in)`` (LeCun), biases 0."""
        parts = []
        for o, i in self.shapes:
            parts.append(rng.standard_normal(o * i) / math.sqrt(i))
            parts.append(np.zeros(o))
        return np.concatenate(parts)

    def unflatten(self, theta: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        if theta.shape != (self.size,):
            raise InputError(f"parameter vector of size {theta.shape} does not fit an MLP with {self.size} parameters")
        out, k = [], 0
        for o, i in self.shapes:
            out.append((theta[k:k + o * i].reshape(o, i), theta[k + o * i:k + o * i + o]))
            k += o * i + o
        return out

    # -- the Taylor-mode passes ---------------------------------------------------------------

    def _forward(self, theta: np.ndarray, v: np.ndarray | None, x: np.ndarray, y: np.ndarray, order: int) -> tuple[list, list]:
        """Jets of the output residual ``R(t) = f(x; theta + t v) - y``, and each layer's input jets."""
        layers = self.unflatten(theta)
        dirs = self.unflatten(v) if v is not None else [(None, None)] * len(layers)
        h: list = [x] + [None] * order
        cache = []
        for idx, ((w, b), (dw, db)) in enumerate(zip(layers, dirs, strict=True)):
            wt = [w.T, None if dw is None else dw.T] + [None] * (order - 1)
            z = _add_bias(_cmul(h, wt[:order + 1], order, _matmul), [b, db][:order + 1])
            cache.append((h, (w, dw)))
            if idx < len(layers) - 1:
                h = _tanh_series(z, order)
            else:
                z[0] = z[0] - y
                return z, cache
        raise AssertionError("unreachable")

    def loss_series(self, theta: np.ndarray, v: np.ndarray, x: np.ndarray, y: np.ndarray, order: int = 4) -> list[float]:
        """Taylor coefficients ``c_k`` of ``t -> L(theta + t v)`` (float64); ``L^(k)(0) = k! c_k``."""
        r, _ = self._forward(theta, v, x, y, order)
        n = x.shape[0]
        c = _cmul(r, r, order, lambda a, b: float(np.vdot(a, b)))
        return [0.0 if ck is None else ck / (2 * n) for ck in c]

    def grad_series(self, theta: np.ndarray, v: np.ndarray, x: np.ndarray, y: np.ndarray, order: int = 1) -> list[np.ndarray]:
        """Coefficients ``G_k`` of ``grad L(theta + t v)``: ``G_0`` the gradient, ``G_1 = H v``,
        ``G_2 = D^3 L[v, v, .]/2`` (reverse mode applied to the forward jets)."""
        r, cache = self._forward(theta, v, x, y, order)
        n = x.shape[0]
        dz = [None if rk is None else rk / n for rk in r]
        grads = []
        for idx in range(len(cache) - 1, -1, -1):
            h, (w, dw) = cache[idx]
            gw = _cmul(dz, h, order, lambda a, b: a.T @ b)
            gb = [None if d is None else d.sum(axis=0) for d in dz]
            grads.append((gw, gb))
            if idx == 0:
                break
            dh = _cmul(dz, [w, dw] + [None] * (order - 1), order, lambda a, b: a @ b)
            # h is tanh of the previous layer: d tanh = 1 - h^2, itself a series.
            one_minus = [None if c is None else -c for c in _cmul(h, h, order, lambda a, b: a * b)]
            one_minus[0] = 1 + one_minus[0]  # type: ignore[operator]  # c_0 = h_0^2 is never an exact zero
            dz = _cmul(dh, one_minus, order, lambda a, b: a * b)
        grads.reverse()
        out = []
        for k in range(order + 1):
            parts = []
            for (gw, gb), (o, i) in zip(grads, self.shapes, strict=True):
                parts.append(np.zeros(o * i) if gw[k] is None else gw[k].ravel())
                parts.append(np.zeros(o) if gb[k] is None else gb[k])
            out.append(np.concatenate(parts))
        return out

    def loss_and_grad(self, theta: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        r, cache = self._forward(theta, None, x, y, 0)
        loss = float(np.vdot(r[0], r[0])) / (2 * x.shape[0])
        return loss, self._grad_from(r, cache, x.shape[0])

    def _grad_from(self, r: list, cache: list, n: int) -> np.ndarray:
        dz = r[0] / n
        parts = []
        for idx in range(len(cache) - 1, -1, -1):
            h, (w, _) = cache[idx]
            parts.append(dz.sum(axis=0))
            parts.append((dz.T @ h[0]).ravel())
            if idx:
                dz = (dz @ w) * (1 - h[0] * h[0])
        return np.concatenate(parts[::-1])

    def loss(self, theta: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
        r, _ = self._forward(theta, None, x, y, 0)
        return float(np.vdot(r[0], r[0])) / (2 * x.shape[0])

    def hvp(self, theta: np.ndarray, v: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Exact Hessian-vector product ``H v`` (forward-over-reverse)."""
        return self.grad_series(theta, v, x, y, 1)[1]

    def directional(self, theta: np.ndarray, v: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
        """Float64 ``(L'', L''', L'''')`` of ``t -> L(theta + t v)`` at ``t = 0`` (Taylor mode)."""
        c = self.loss_series(theta, v, x, y, 4)
        return 2 * c[2], 6 * c[3], 24 * c[4]

    def loss_series_balls(self, theta: np.ndarray, v: np.ndarray, x: np.ndarray, y: np.ndarray, prec: int,
                          order: int = 4) -> list:
        """``[L(0), L'(0), ..., L^(order)(0)]`` along ``v`` as ``arb`` balls at ``prec`` bits:
        ``theta``, ``v``, ``x``, ``y`` are taken as the exact binary rationals they store."""
        from flint import arb, arb_mat, ctx

        with ctx.workprec(prec):
            to_ball = np.frompyfunc(arb, 1, 1)
            xb = np.asarray(to_ball(np.asarray(x, dtype=np.float64)))
            r, _ = self._forward(_balls(theta), _balls(v), xb, np.asarray(to_ball(y)), order)
            n = x.shape[0]
            flat = [None if rk is None else arb_mat([list(rk.ravel())]) for rk in r]
            c = _cmul(flat, flat, order, lambda a, b: (a * b.transpose())[0, 0])
            derivs = []
            for k, ck in enumerate(c):
                derivs.append((arb(0) if ck is None else ck / (2 * n)) * math.factorial(k))
        return derivs


def _balls(a: np.ndarray) -> np.ndarray:
    from flint import arb

    return np.asarray(np.frompyfunc(arb, 1, 1)(np.asarray(a, dtype=np.float64)))


# ---------------------------------------------------------------------------------------------
# The top eigenpair by Lanczos on exact HVPs.


def lanczos_top(matvec: Callable[[np.ndarray], np.ndarray], start: np.ndarray, steps: int) -> tuple[float, np.ndarray, float]:
    """Top (algebraic) Ritz pair of a symmetric operator after ``steps`` Lanczos steps with full
    reorthogonalisation; returns ``(v.Hv, v, |Hv - (v.Hv) v|)`` for the unit Ritz vector ``v``."""
    n = start.size
    steps = max(1, min(steps, n))
    q = start / np.linalg.norm(start)
    basis = np.empty((steps, n))
    alpha, beta = [], []
    for j in range(steps):
        basis[j] = q
        w = matvec(q)
        alpha.append(float(q @ w))
        # Two passes of Gram-Schmidt against the whole basis keep the Ritz values honest.
        for _ in range(2):
            w -= basis[:j + 1].T @ (basis[:j + 1] @ w)
        b = float(np.linalg.norm(w))
        if j == steps - 1 or b <= 1e-12 * max(1.0, abs(alpha[-1])):
            break
        beta.append(b)
        q = w / b
    k = len(alpha)
    t = np.diag(alpha) + np.diag(beta[:k - 1], 1) + np.diag(beta[:k - 1], -1)
    values, vectors = np.linalg.eigh(t)
    v = basis[:k].T @ vectors[:, -1]
    v /= np.linalg.norm(v)
    hv = matvec(v)
    rayleigh = float(v @ hv)
    return rayleigh, v, float(np.linalg.norm(hv - rayleigh * v))


def _top_eigenpair(matvec: Callable[[np.ndarray], np.ndarray], start: np.ndarray, steps: int,
                   rounds: int = 6, tol: float = 1e-7) -> tuple[float, np.ndarray, float]:
    """Restarted Lanczos until the residual is below ``tol * |lambda|`` (or ``rounds`` restarts)."""
    value, v, res = lanczos_top(matvec, start, steps)
    for _ in range(rounds - 1):
        if res <= tol * abs(value):
            break
        value, v, res = lanczos_top(matvec, v, steps)
    return value, v, res


# ---------------------------------------------------------------------------------------------
# Configurations.


@dataclass(frozen=True)
class MlpConfig:
    """One experiment: hidden widths, data size, and the learning-rate recipe
    ``eta = 2 / (edge_ratio * S0)`` rounded to 2 significant digits, ``S0`` the sharpness at
    initialisation (``edge_ratio < 1`` puts ``2/eta`` below it: GD catapults, then sits at EoS).
    Fields: the config's ``name`` and ``description``, the ``hidden`` widths, the GD ``steps``,
    the sharpness tracked every ``track_every`` steps with ``lanczos_steps`` Lanczos steps, and
    the first ``samples`` of the data set (None: all).

    >>> CONFIGS["tiny"].hidden, CONFIGS["tiny"].to_dict()["samples"]
    ((6,), 120)
    """

    name: str
    hidden: tuple[int, ...]
    steps: int
    edge_ratio: float
    track_every: int
    lanczos_steps: int
    samples: int | None  # first samples of the data set (None: all)
    description: str

    def to_dict(self) -> dict:
        return {"name": self.name, "hidden": list(self.hidden), "steps": self.steps, "edge_ratio": json_float(self.edge_ratio),
                "track_every": self.track_every, "lanczos_steps": self.lanczos_steps, "samples": self.samples,
                "description": self.description}


CONFIGS: dict[str, MlpConfig] = {
    "tiny": MlpConfig("tiny", (6,), 200, 0.65, 10, 8, 120, "unit tests: seconds"),
    "small": MlpConfig("small", (16, 16), 2000, 0.65, 20, 16, 1797,
                       "default: the first 1797 samples (all the 8x8 digits), 16-16 tanh hidden layers, 2000 GD steps "
                       "(well under 2 minutes on 2 cores)"),
    "paper": MlpConfig("paper", (32, 32), 4000, 0.65, 20, 20, 5000,
                       "closer to the poster: 2 hidden layers of 32, up to 5000 samples (MNIST with --mnist), 4000 steps"),
}

#: Dense Hessians (for the multivariate flip coefficient) only up to this many parameters.
DENSE_HESSIAN_LIMIT = 4000


def _round_sig(x: float, digits: int) -> float:
    return float(f"{x:.{digits - 1}e}")


def _prepare(config: MlpConfig, mnist_dir: str | None) -> tuple[Any, np.ndarray, np.ndarray]:
    from .datasets import load_digits, load_mnist

    data = load_mnist(mnist_dir, limit=config.samples) if mnist_dir is not None else load_digits().head(config.samples)
    # Centre the features (the float64 centred array *is* the data the loss is defined on).
    x = data.x - data.x.mean(axis=0)
    y = np.eye(data.classes)[data.labels]
    return data, np.ascontiguousarray(x), y


# ---------------------------------------------------------------------------------------------
# Obs. 2 certified, and the multivariate flip coefficient (float evidence).

#: The window of the one precision ladder tried for the ball version of the directional jet
#: (below 128 bits the network's float64 data rarely leave a useful ball; above 512 the cost grows).
BALL_PRECISIONS = rungs(128, 512)


@dataclass(frozen=True)
class CertifiedDirectional:
    """``L'', L''', L''''`` of ``t -> L(theta + t v)`` as balls, the decided sign of
    ``3 L'''^2 - L'' L''''`` (``decision``), and the float64 Taylor-mode values as evidence."""

    second: arb
    third: arb
    fourth: arb
    decision: Decision
    prec: int
    floats: tuple[float, float, float]

    @property
    def quantity(self) -> arb:
        assert self.decision.enclosure is not None  # certified_directional always encloses it
        return self.decision.enclosure

    @property
    def verdict(self) -> Verdict:
        return Verdict.UNDECIDED if self.decision.sign is None else Verdict.of(self.decision.sign == 1)

    def to_dict(self) -> dict:
        from ..core.numbers import decimal_with_radius

        ball = lambda b: dict(zip(("mid", "rad"), decimal_with_radius(b, 17), strict=True))  # noqa: E731
        return {"second": ball(self.second), "third": ball(self.third), "fourth": ball(self.fourth),
                "value": ball(self.quantity), "verdict": self.verdict, "rigor": self.decision.rigor or "undecided",
                "prec_bits": self.prec,
                "float_evidence": {"second": _s(self.floats[0]), "third": _s(self.floats[1]), "fourth": _s(self.floats[2])}}


def certified_directional(net: Mlp, theta: np.ndarray, v: np.ndarray, x: np.ndarray, y: np.ndarray,
                          precisions: tuple[int, ...] = BALL_PRECISIONS) -> CertifiedDirectional:
    """Balls for ``L'', L''', L''''`` along ``v`` at ``theta`` (both, and the data, taken as the
    exact binary rationals float64 stores) and the certified sign of ``3 L'''^2 - L'' L''''``
    for the network ``net`` on the data ``x``, ``y``; the precision is raised through
    ``precisions`` until the sign is certain.

    >>> net = Mlp((2, 3, 1))
    >>> rng = np.random.default_rng(0)
    >>> theta, v = rng.standard_normal(net.size), rng.standard_normal(net.size)
    >>> x, y = rng.standard_normal((5, 2)), rng.standard_normal((5, 1))
    >>> c = certified_directional(net, theta, v / np.linalg.norm(v), x, y, precisions=(128, 256))
    >>> c.verdict, c.prec, c.decision.rigor
    ('holds', 128, 'certified')
    """
    from ..core.decide import decide_ball

    floats = net.directional(theta, v, x, y)
    jets: dict[int, Any] = {}

    def quantity(prec: int) -> arb:
        jets[prec] = derivs = net.loss_series_balls(theta, v, x, y, prec)
        return 3 * derivs[3] ** 2 - derivs[2] * derivs[4]

    assert precisions, "no precision to try"
    # Only a certified sign is claimed: the experiment's verdicts rest on balls (its rigor is
    # certified or undecided), so an exactly-0 value (a linear model) stays undecided.
    decision = decide_ball(quantity, precisions, zero_is_proof=False)
    # The ladder stops at the rung that decides: the last jet computed is the one it rests on.
    prec = list(jets)[-1]
    derivs = jets[prec]
    return CertifiedDirectional(derivs[2], derivs[3], derivs[4], decision, prec, floats)


@dataclass(frozen=True)
class FlipComparison:
    """Multivariate flip quantity ``3 g^T H^+ g - D^4 L[v]^4`` against the 1-D one
    ``3 L'''^2 / L'' - L''''``, with ``g = D^3 L[v, v, .]``, ``H^+`` over eigenvalues above
    ``cutoff * lambda_1`` (float64 evidence at the end point, which is not a minimum)."""

    parameters: int
    lambda1: float
    negative_eigenvalues: int
    cutoff: float
    g_h_g: float  # g^T H^+ g
    one_d_part: float  # L'''^2 / L'' (the u_1 = v term of g^T H^+ g)
    multivariate: float  # 3 g^T H^+ g - L''''
    one_d: float  # 3 L'''^2 / L'' - L''''
    flip_coefficient: float  # -2c = -(eta0/3) * multivariate, eta0 = 2/lambda1
    note: str

    @property
    def verdict(self) -> Verdict:
        # Float evidence only: the sign is not certified, so no verdict is claimed.
        return Verdict.UNDECIDED

    @property
    def evidence(self) -> str:
        return "negative" if self.flip_coefficient < 0 else "positive" if self.flip_coefficient > 0 else "zero"

    def to_dict(self) -> dict:
        return {"parameters": self.parameters, "lambda1": _s(self.lambda1), "negative_eigenvalues": self.negative_eigenvalues,
                "cutoff": _s(self.cutoff), "g_Hplus_g": _s(self.g_h_g), "one_d_part": _s(self.one_d_part),
                "multivariate_quantity": _s(self.multivariate), "one_d_quantity": _s(self.one_d),
                "flip_coefficient": _s(self.flip_coefficient), "float_evidence": self.evidence,
                "verdict": self.verdict, "rigor": Rigor.NUMERICAL, "rigor_note": "float64 evidence", "note": self.note}


def flip_comparison(net: Mlp, theta: np.ndarray, v: np.ndarray, x: np.ndarray, y: np.ndarray,
                    cutoff: float = 1e-6, progress: Callable[[float], None] | None = None) -> FlipComparison | None:
    """Kuznetsov's ``c = (eta0/6)(3 g^T H^+ g - D^4 L[v,v,v,v])`` evaluated at ``theta`` with the
    dense Hessian built column by column from exact HVPs (None above ``DENSE_HESSIAN_LIMIT``).

    ``g^T H^+ g = sum_i (g.u_i)^2 / l_i >= (g.v)^2 / l_1`` when ``v = u_1``: the 1-D condition
    implies the multivariate one.  For the network ``net`` on the data ``x``, ``y``; eigenvalues
    below ``cutoff`` times ``l_1`` count as zero; ``progress`` gets the fraction of columns done.

    >>> net = Mlp((2, 3, 1))
    >>> rng = np.random.default_rng(0)
    >>> theta, v = rng.standard_normal(net.size), rng.standard_normal(net.size)
    >>> x, y = rng.standard_normal((5, 2)), rng.standard_normal((5, 1))
    >>> f = flip_comparison(net, theta, v / np.linalg.norm(v), x, y, cutoff=1e-6, progress=None)
    >>> f.parameters, f.negative_eigenvalues, f.note.startswith("H has 9 eigenvalues below")
    (13, 9, True)

    Above ``DENSE_HESSIAN_LIMIT`` parameters no dense Hessian is built:

    >>> big = Mlp((64, 64, 1))
    >>> big.size, flip_comparison(big, np.zeros(big.size), np.ones(big.size), np.zeros((5, 64)), y) is None  # refused: too big
    (4225, True)
    """
    p = net.size
    if p > DENSE_HESSIAN_LIMIT:
        return None
    hessian = np.empty((p, p))
    eye = np.zeros(p)
    for i in range(p):
        eye[i] = 1.0
        hessian[:, i] = net.hvp(theta, eye, x, y)
        eye[i] = 0.0
        if progress is not None and i % 100 == 0:
            progress(i / p)
    hessian = (hessian + hessian.T) / 2
    values, vectors = np.linalg.eigh(hessian)
    lam1 = float(values[-1])
    series = net.grad_series(theta, v, x, y, 2)
    g = 2 * series[2]  # D^3 L[v, v, .]
    second, third, fourth = net.directional(theta, v, x, y)
    keep = values > cutoff * lam1
    coords = vectors[:, keep].T @ g
    ghg = float(np.sum(coords**2 / values[keep]))
    one_d_part = third**2 / second
    multivariate = 3 * ghg - fourth
    negatives = int(np.sum(values < -cutoff * lam1))
    note = (f"H has {negatives} eigenvalues below -{cutoff:g} lambda1: the end point is not a minimum, so this is the "
            "flip formula evaluated there (H^+ on the positive part), float evidence only")
    return FlipComparison(p, lam1, negatives, cutoff, ghg, one_d_part, multivariate, 3 * one_d_part - fourth,
                          -(2 / lam1) / 3 * multivariate, note)


#: A float as a decimal string with 17 significant digits (the JSON contract).
_s = float_text


def _r(x: float) -> str:
    """Rounded to 4 significant digits for reports (stable across BLAS builds)."""
    return float_text(x, 4)


# ---------------------------------------------------------------------------------------------
# The experiment.

#: Obs. 1 thresholds on |cos(v1, grad)| (median over the last quarter of training).
ALIGNED = 0.5


@dataclass(frozen=True)
class MlpExperiment:
    """One GD run past the edge of stability and the poster's two observations at its end.

    Float64 evidence: losses, sharpness, cosines, the Rayleigh quotient and residual of ``v``,
    the flip comparison.  Certified: the sign of ``3 L'''^2 - L'' L''''`` along ``v`` (``obs2``).

    Fields: the ``config`` run, the ``dataset`` (its ``to_dict`` and preprocessing), the ``seed``,
    the layer ``widths`` and number of ``parameters``, the ``initial_sharpness`` ``S0`` and the
    learning rate ``eta`` derived from it; ``losses`` at every step; at the ``tracked_steps`` the
    ``sharpness`` (Lanczos), ``cosines`` ``|cos(v1, grad)|`` and ``tracked_residuals``
    ``|Hv - (v.Hv) v|``; at the end point the ``final_loss``, ``final_sharpness`` (Rayleigh
    quotient of the unit ``v``), its ``residual``, ``cosine_end``, the certified ``obs2``, the
    ``flip`` comparison (None beyond ``DENSE_HESSIAN_LIMIT`` parameters), and the wall-clock
    ``seconds`` (not compared).

    >>> r = run_experiment("tiny")
    >>> r.config.name, r.seed, r.dataset["samples"], r.widths, r.parameters, r.eta
    ('tiny', 0, 120, (64, 6, 10), 460, 0.65)
    >>> len(r.losses), r.tracked_steps[:3], r.tracked_steps[-1], len(r.sharpness) == len(r.cosines) == len(r.tracked_residuals)
    (200, (0, 10, 20), 200, True)
    >>> r.obs2.verdict, r.flip is not None, r.final_loss < r.losses[0], r.initial_sharpness > 0, r.seconds > 0
    ('holds', True, True, True, True)
    >>> bool(0 <= r.cosine_end <= 1), r.final_sharpness > 0, r.residual < 1e-6
    (True, True, True)
    """

    config: MlpConfig
    dataset: dict
    seed: int
    widths: tuple[int, ...]
    parameters: int
    initial_sharpness: float
    eta: float
    losses: tuple[float, ...]  # every step, at the iterate the step starts from
    tracked_steps: tuple[int, ...]
    sharpness: tuple[float, ...]
    cosines: tuple[float, ...]  # |cos(v1, grad)| at the tracked steps
    tracked_residuals: tuple[float, ...]  # |Hv - (v.Hv) v| of each tracked v1
    final_loss: float
    final_sharpness: float  # Rayleigh quotient v.Hv at the end point (|v| = 1)
    residual: float  # |Hv - (v.Hv) v| with |v| = 1
    cosine_end: float
    obs2: CertifiedDirectional
    flip: FlipComparison | None
    seconds: float = field(compare=False)

    # -- summaries ---------------------------------------------------------------------------

    @property
    def two_over_eta(self) -> float:
        return 2 / self.eta

    def _last(self, values: Sequence[float], fraction: float) -> np.ndarray:
        arr = np.array(values)
        start = self.config.steps * (1 - fraction)
        return arr[np.array(self.tracked_steps) >= start]

    @property
    def edge_ratio_late(self) -> float:
        """Median over the last half of ``sharpness / (2/eta)`` (about 1 at the edge of stability)."""
        return float(np.median(self._last(self.sharpness, 0.5))) / self.two_over_eta

    @property
    def at_edge(self) -> bool:
        return self.edge_ratio_late >= 0.95

    def obs1_summary(self) -> dict:
        late = self._last(self.cosines, 0.25)
        return {"cosine_end": self.cosine_end, "median_last_quarter": float(np.median(late)), "min_last_quarter": float(late.min()),
                "max_last_quarter": float(late.max()), "mean_all": float(np.mean(self.cosines)),
                "fraction_above_half_last_quarter": float(np.mean(late >= ALIGNED)), "random_baseline": 1 / math.sqrt(self.parameters),
                "median_relative_residual_of_v1": float(np.median(np.array(self.tracked_residuals) / np.abs(self.sharpness)))}

    def obs1_status(self) -> tuple[Status, str]:
        """``(status, one-line summary)``; rigor is numerical evidence only."""
        s = self.obs1_summary()
        base = 10 * s["random_baseline"]
        if not self.at_edge:  # the observation is about training past the edge; this run is not a test of it
            status = Status.INCONCLUSIVE
            how = "the run did not reach the edge of stability"
        elif s["median_last_quarter"] >= ALIGNED:
            status = Status.CONFIRMED
            how = "v1 aligns with the gradient"
        elif s["max_last_quarter"] < base:
            status = Status.INCONCLUSIVE  # float cosines never refute: 'refuted' needs a certified counterexample
            how = "v1 never aligned with the gradient in this run"
        else:
            status = Status.INCONCLUSIVE
            how = "v1 is far above chance alignment but not consistently aligned"
        return status, (f"{how} (numerical evidence): |cos(v1, grad)| median {_r(s['median_last_quarter'])} over the last quarter "
                        f"(min {_r(s['min_last_quarter'])}, max {_r(s['max_last_quarter'])}), {_r(self.cosine_end)} at the end; "
                        f"chance level {_r(s['random_baseline'])}")

    def obs2_status(self) -> tuple[Status, str]:
        """``(status, one-line summary)``: certified along the computed direction ``v``."""
        status = {Verdict.HOLDS: Status.CONFIRMED, Verdict.FAILS: Status.REFUTED}.get(self.obs2.verdict, Status.INCONCLUSIVE) \
            if self.at_edge else Status.INCONCLUSIVE
        q = self.obs2.quantity
        from ..core.numbers import decimal_with_radius

        mid, rad = decimal_with_radius(q, 6)
        return status, (f"3 L'''^2 - L'' L'''' = {mid} (+/- {rad}) along the computed top "
                        f"eigenvector v at the end point: {self.obs2.verdict} (certified, arb); v.Hv = {_r(self.final_sharpness)}, "
                        f"residual {self.residual:.2e}")

    # -- rendering ---------------------------------------------------------------------------

    def to_dict(self) -> dict:
        o1 = self.obs1_summary()
        s1, m1 = self.obs1_status()
        s2, m2 = self.obs2_status()
        obs2 = self.obs2.to_dict()
        obs2.update({"direction": "computed unit vector v approximating the top Hessian eigenvector at the end point "
                                  "(theta and v taken as exact binary rationals)",
                     "rayleigh_quotient": _s(self.final_sharpness), "residual": _s(self.residual),
                     "status": s2, "summary": m2})
        return {
            "config": self.config.to_dict(),
            "dataset": self.dataset,
            "seed": self.seed,
            "model": {"widths": list(self.widths), "parameters": self.parameters, "activation": "tanh",
                      "loss": "mse: (1/(2n)) sum_i |f(x_i) - onehot(y_i)|^2", "init": "W ~ N(0, 1/fan_in), b = 0"},
            "eta": _s(self.eta),
            "two_over_eta": _s(self.two_over_eta),
            "initial_sharpness": _s(self.initial_sharpness),
            "eta_recipe": f"eta = 2/({self.config.edge_ratio} * initial sharpness), rounded to 2 significant digits",
            "steps": self.config.steps,
            "final_loss": _s(self.final_loss),
            "final_sharpness": _s(self.final_sharpness),
            "sharpness_over_two_over_eta_late": _s(self.edge_ratio_late),
            "at_edge_of_stability": self.at_edge,
            # cosine: the contract's name for the cosine at the end of training (cosine_end stays).
            "obs1": {**{k: _s(v) for k, v in o1.items()}, "cosine": _s(o1["cosine_end"]), "status": s1, "summary": m1,
                     "rigor": Rigor.NUMERICAL, "rigor_note": "numerical evidence (float64 training and Lanczos)"},
            "obs2": obs2,
            "flip": None if self.flip is None else self.flip.to_dict(),
            "trajectory": {"steps": list(self.tracked_steps),
                           "loss": [_s(self.losses[s]) if s < len(self.losses) else _s(self.final_loss) for s in self.tracked_steps],
                           "sharpness": [_s(v) for v in self.sharpness], "cosine": [_s(v) for v in self.cosines]},
            "float_evidence": ["final_loss", "final_sharpness", "initial_sharpness", "obs1", "trajectory", "flip",
                               "obs2.float_evidence", "obs2.rayleigh_quotient", "obs2.residual"],
            "seconds": json_float(round(self.seconds, 1)),
            # The weakest fact: Obs. 1 and the training are float64 evidence (Obs. 2's sign is certified).
            "rigor": Rigor.NUMERICAL,
        }

    def to_text(self) -> str:
        d = self.dataset
        o1 = self.obs1_summary()
        s1, m1 = self.obs1_status()
        s2, m2 = self.obs2_status()
        ob = self.obs2
        from ..core.numbers import decimal_string, decimal_with_radius

        lines = [
            f"MLP past the edge of stability (config {self.config.name}, seed {self.seed})",
            f"  data              {d['name']}: {d['samples']} samples x {d['features']} features, centred ({d['source']})",
            f"  model             widths {'-'.join(map(str, self.widths))}, tanh, MSE on one-hot targets, {self.parameters} parameters",
            f"  learning rate     eta = {self.eta:g} (2/eta = {_r(self.two_over_eta)}; initial sharpness {_r(self.initial_sharpness)}, "
            f"eta = 2/({self.config.edge_ratio} S0) to 2 digits)",
            f"  GD                {self.config.steps} full-batch steps; final loss {_r(self.final_loss)}",
            f"  sharpness         end {_r(self.final_sharpness)}; median over the last half / (2/eta) = {_r(self.edge_ratio_late)} "
            f"({'at the edge of stability' if self.at_edge else 'below the edge'})   [float evidence]",
            f"  Obs. 1            |cos(v1, grad)| end {_r(o1['cosine_end'])}, last quarter median {_r(o1['median_last_quarter'])} "
            f"(min {_r(o1['min_last_quarter'])}, max {_r(o1['max_last_quarter'])}); chance {_r(o1['random_baseline'])}"
            "   [numerical evidence]",
            f"                    -> {s1}",
            f"  direction v       Rayleigh quotient {_r(self.final_sharpness)}, residual |Hv - (v.Hv)v| = {self.residual:.1e}"
            "   [float evidence]",
            f"  L'', L''', L''''  {decimal_string(ob.second, 6)}, {decimal_string(ob.third, 6)}, {decimal_string(ob.fourth, 6)} along v   "
            f"[certified balls, {ob.prec} bits]",
            f"  Obs. 2            3 L'''^2 - L'' L'''' in {' +/- '.join(decimal_with_radius(ob.quantity, 16))}: "
            f"{ob.verdict}   [certified along v]",
            f"                    -> {s2}",
        ]
        if self.flip is None:
            lines.append(f"  flip coefficient  not computed ({self.parameters} parameters > {DENSE_HESSIAN_LIMIT}: no dense Hessian)")
        else:
            f = self.flip
            lines += [
                f"  flip (multivar.)  3 g^T H^+ g - L'''' = {_r(f.multivariate)} vs 1-D 3 L'''^2/L'' - L'''' = {_r(f.one_d)}; "
                f"g^T H^+ g / (L'''^2/L'') = {_r(f.g_h_g / f.one_d_part) if f.one_d_part else 'inf'}; -2c = {_r(f.flip_coefficient)} "
                f"({f.evidence})   [float evidence, verdict undecided]",
                f"                    {f.note}",
            ]
        lines.append(f"  Obs. 1: {m1}")
        lines.append(f"  Obs. 2: {m2}")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        return "```\n" + self.to_text() + "\n```\n"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def run_experiment(config: str = "small", mnist_dir: str | None = None, seed: int = 0,
                   progress: Callable[[str, float], None] | None = None) -> MlpExperiment:
    """Train the configured MLP by full-batch GD past the edge of stability (seeded), track the
    sharpness and ``|cos(v1, grad)|``, then certify Obs. 2 and compare the flip coefficient at the end.

    ``config`` names one of :data:`CONFIGS` (``tiny``, ``small``, ``paper``); the data are the 8x8
    digits, or MNIST IDX files in ``mnist_dir``; ``seed`` seeds the initialisation and the first
    Lanczos vector; ``progress(label, fraction)`` is told how far each phase is.

    >>> phases = []
    >>> r = run_experiment("tiny", mnist_dir=None, seed=0, progress=lambda label, fraction: phases.append(label))
    >>> r.dataset["name"], r.config.steps, len(r.losses), r.obs2.verdict
    ('digits', 200, 200, 'holds')
    >>> list(dict.fromkeys(phases))
    ['training', 'certifying Obs. 2', 'flip coefficient']

    >>> run_experiment("tiny", mnist_dir="/nonexistent/mnist")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: /nonexistent/mnist: not a directory
    """
    config, seed = arguments.choice(config, "config", tuple(CONFIGS)), arguments.integer(seed, "seed", 0)
    mnist_dir = None if mnist_dir is None else arguments.path(mnist_dir, "mnist_dir")
    progress = arguments.optional_callable(progress, "progress")
    cfg = CONFIGS[config]
    report = progress or (lambda label, fraction: None)
    # One BLAS thread: these matrices are small, so threads only add contention on a busy
    # 2-core machine, and a fixed thread count keeps the float64 run reproducible.
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # threadpoolctl comes with the digits extra; without it BLAS keeps its default
        limiter = contextlib.nullcontext()
    else:
        limiter = threadpool_limits(1)
    with limiter:
        return _run(cfg, mnist_dir, seed, report)


def _run(cfg: MlpConfig, mnist_dir: str | None, seed: int, report: Callable[[str, float], None]) -> MlpExperiment:
    started = time.perf_counter()
    data, x, y = _prepare(cfg, mnist_dir)
    net = Mlp((x.shape[1],) + cfg.hidden + (data.classes,))
    rng = np.random.default_rng(seed)
    theta = net.init(rng)
    v = rng.standard_normal(net.size)

    def hvp(t):
        return lambda u: net.hvp(t, u, x, y)

    s0, v, _ = _top_eigenpair(hvp(theta), v, max(cfg.lanczos_steps, 30))
    if not s0 > 0:
        raise InputError("the Hessian at initialisation has no positive eigenvalue: no edge of stability to find")
    eta = _round_sig(2 / (cfg.edge_ratio * s0), 2)
    losses, tracked, sharp, cosines, residuals = [], [], [], [], []
    every = max(1, cfg.steps // 100)
    for step in range(cfg.steps):
        loss, grad = net.loss_and_grad(theta, x, y)
        if not math.isfinite(loss) or loss > 1e6:
            raise InputError(f"GD diverged at step {step} (eta = {eta}); lower edge_ratio's effect with a larger value")
        losses.append(loss)
        if step % cfg.track_every == 0:
            lam, v, r = lanczos_top(hvp(theta), v, cfg.lanczos_steps)  # warm start from the last v1
            tracked.append(step)
            residuals.append(r)
            sharp.append(lam)
            cosines.append(abs(float(v @ grad)) / max(float(np.linalg.norm(grad)), 1e-300))
        theta = theta - eta * grad
        if step % every == 0:
            report("training", step / cfg.steps)
    report("training", 1.0)
    # The end point: an accurate top eigenpair (restarted Lanczos), the gradient there.
    final_loss, grad = net.loss_and_grad(theta, x, y)
    lam, v, res = _top_eigenpair(hvp(theta), v, max(2 * cfg.lanczos_steps, 40))
    cos_end = abs(float(v @ grad)) / max(float(np.linalg.norm(grad)), 1e-300)
    tracked.append(cfg.steps)
    sharp.append(lam)
    cosines.append(cos_end)
    residuals.append(res)
    report("certifying Obs. 2", 0.0)
    obs2 = certified_directional(net, theta, v, x, y)
    report("certifying Obs. 2", 1.0)
    flip = flip_comparison(net, theta, v, x, y, progress=lambda f: report("flip coefficient", f))
    report("flip coefficient", 1.0)
    info = data.to_dict()
    info["preprocessing"] = ("pixels / 16" if data.name == "digits" else "pixels / 255") + ", then centred (feature means subtracted)"
    return MlpExperiment(cfg, info, seed, net.widths, net.size, s0, eta, tuple(losses), tuple(tracked), tuple(sharp),
                         tuple(cosines), tuple(residuals), final_loss, lam, res, cos_end, obs2, flip, time.perf_counter() - started)
