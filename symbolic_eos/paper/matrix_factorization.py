"""Matrix factorisation ``L(Y, Z) = |Y Z^T - C|_F^2 / 2``: the paper's claim that at *any*
minimiser the cross-section along the leading Hessian eigendirection satisfies
``3 L'''^2 - L'' L'''' > 0``, checked, refuted at unbalanced minimisers, and corrected.

**Structure (exact).**  The Hessian's quadratic form at a minimiser is ``|J(D)|^2`` with
``J(DY, DZ) = DY Z^T + Y DZ^T``, and ``J J^*(M) = M Z Z^T + Y Y^T M``.  Its top eigenvalue is
``alpha + beta`` (top eigenvalues of ``Y Y^T`` and ``Z Z^T``, eigenvectors ``a`` and ``b``), with
top direction ``DY = a (Z^T b)^T``, ``DZ = b (Y^T a)^T``.  Along it
``L(t) = t^2 |A|^2/2 + t^3 <A, B> + t^4 |B|^2/2`` with ``A = J(D) = (alpha + beta) a b^T`` and
``B = DY DZ^T = (b^T C a) a b^T`` -- both multiples of ``a b^T``.  Hence
``3 L'''^2 - L'' L'''' = 96 |A|^2 |B|^2 >= 0``, and it is **positive iff ``b^T C a != 0``**.

This holds for every ``d`` (and any inner dimension): the test suite checks each step with
non-commuting sympy symbols under the relations ``Y Z^T = C``, ``Y Y^T a = alpha a``,
``Z Z^T b = beta b``, ``|a| = |b| = 1`` (``test_structural_identities_for_general_d``); that
``alpha + beta`` is the *top* Hessian eigenvalue is the Kronecker-sum fact above.  A property test
for ``d = 3`` and ``4`` (random rational ``C = Q diag(1, c_2, ...) Q^T`` and minimisers
``Y = Q diag(s) G``, ``Z = Q diag(c/s) G^{-T}``, balanced and unbalanced, ``G`` the identity, a
rotation or a general invertible matrix) compares the rule with the generic machinery: the
exact Hessian from jets of the loss, its certified top eigenpair, the 1-D cross-section.

* At a **balanced** minimiser (``Y = Z``), ``a = b = u1`` and ``b^T C a = 1``: the claim holds.
* At an **unbalanced** one it can fail: ``C = diag(1, 1/4)``, ``Y = diag(1, 1/8)``,
  ``Z = diag(1, 2)`` has ``a = e1``, ``b = e2``, ``b^T C a = 0``: the cross-section is exactly
  quadratic and the paper's condition fails.  No flip criterion applies there at all:
  ``D^3 L[v, v, .]`` has a component along the manifold of minimisers, so the sharpness changes
  along it at first order (rate ``sqrt(1184770)/257``, exact); past ``eta0`` GD drifts to a
  flatter minimiser and no 2-cycle is born at this point (``check --vars``: flip verdict
  ``drift``, :class:`symbolic_eos.multi.flip.SharpnessGradient`).

>>> mf_cross_section("1,0;0,1/4", "1,0;0,1/8", "1,0;0,2").holds
False
>>> mf_cross_section("1,0;0,1/4", "1,0;0,1/2", "1,0;0,1/2").holds
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import sympy as sp

from ..core import arguments
from ..core.numbers import float_evidence, json_floats
from ..errors import InputError
from ..core.parse import parse_constant
from ..core.progress import Progress, each_with_progress
from ..core.vocabulary import Rigor, RunOutcome, Verdict

__all__ = ["mf_loss", "mf_cross_section", "MFCrossSection", "COUNTEREXAMPLE", "MFRun", "simulate_mf", "trajectory", "MFReport", "mf_report"]

#: The unbalanced minimiser where the paper's claim fails (C, Y, Z as row;row text).
COUNTEREXAMPLE = ("1,0;0,1/4", "1,0;0,1/8", "1,0;0,2")


MAX_D = 200
MAX_SEED = 2**63 - 1
MAX_STEPS = 10**7


def _run_arguments(d: object, eta: object, lambda2: object, seed: object, steps: object) -> tuple[int, float, float, int, int]:
    return (arguments.positive_int(d, "d", 2, MAX_D), arguments.real_number(eta, "eta", positive=True),
            arguments.real_number(lambda2, "lambda2"), arguments.integer(seed, "seed", 0, MAX_SEED),
            arguments.positive_int(steps, "steps", 2, MAX_STEPS))


def _matrix(text: str) -> sp.Matrix:
    rows = [[parse_constant(c) for c in row.split(",")] for row in text.split(";")]
    if len({len(r) for r in rows}) != 1 or len(rows) != len(rows[0]) or not 1 <= len(rows) <= 4:
        raise InputError(f"{text!r} is not a square matrix of size 1 to 4 (rows separated by ';')")
    return sp.Matrix(rows)


def mf_loss(c_text: str) -> tuple[str, str]:
    """``(expression, variables)`` of ``|Y Z^T - C|^2 / 2`` for the command line (``check
    --vars``): ``y11, y12, ...`` then ``z11, ...``; ``c_text`` is ``C`` row by row (``"1,0;0,1/4"``).

    >>> mf_loss("1,0;0,1/4")[1]
    'y11,y12,y21,y22,z11,z12,z21,z22'

    >>> mf_loss("1,0;0")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: '1,0;0' is not a square matrix of size 1 to 4 (rows separated by ';')
    """
    C = _matrix(arguments.text(c_text, "c_text", 2000))
    d = C.shape[0]
    ys = [[f"y{i}{j}" for j in range(1, d + 1)] for i in range(1, d + 1)]
    zs = [[f"z{i}{j}" for j in range(1, d + 1)] for i in range(1, d + 1)]
    terms = []
    for i in range(d):
        for j in range(d):
            entry = " + ".join(f"{ys[i][k]}*{zs[j][k]}" for k in range(d))
            terms.append(f"({entry} - ({sp.sstr(C[i, j])}))**2")
    variables = ",".join(v for row in ys for v in row) + "," + ",".join(v for row in zs for v in row)
    return "(" + " + ".join(terms) + ")/2", variables


@dataclass(frozen=True)
class MFCrossSection:
    """The structural cross-section at a minimiser: the ``coupling`` ``b^T C a`` (``a``, ``b``
    unit top eigenvectors of ``Y Y^T``, ``Z Z^T``), the ``second``, ``third`` and ``fourth``
    derivatives along the top direction, the top eigenvalue ``alpha_plus_beta`` and whether it
    is simple (``top_simple``).

    >>> ce = mf_cross_section(*COUNTEREXAMPLE)
    >>> ce.coupling, ce.second, ce.third, ce.fourth, ce.alpha_plus_beta, ce.top_simple, ce.holds
    (0, 25, 0, 0, 5, True, False)
    """

    alpha_plus_beta: sp.Expr
    coupling: sp.Expr  # b^T C a, with a, b unit top eigenvectors of Y Y^T, Z Z^T
    second: sp.Expr
    third: sp.Expr
    fourth: sp.Expr
    top_simple: bool

    @property
    def quantity(self) -> sp.Expr:
        return sp.simplify(3 * self.third**2 - self.second * self.fourth)

    @property
    def holds(self) -> bool | None:
        """``b^T C a != 0``, with rigor: True when a ball excludes 0, False when 0 is proved, None
        when neither (``simplify(x) != 0`` would be a guess for algebraic numbers)."""
        from ..core.decide import decide_constant, rungs

        d = decide_constant(self.coupling, rungs(64, 1024))
        return None if d.sign is None else d.sign != 0


def _verdict(holds: bool | None) -> Verdict:
    return Verdict.of(holds)


def _top(m: sp.Matrix) -> tuple[sp.Expr, sp.Matrix, bool]:
    """The top eigenvalue (certified above the others with balls), a unit eigenvector, and
    whether it is simple."""
    from ..core.jets import constant_enclosure

    eig = sorted(m.eigenvects(), key=lambda t: -float(constant_enclosure(t[0], 64).mid()))
    value, multiplicity, vectors = eig[0]
    if len(eig) > 1 and not constant_enclosure(value, 128) > constant_enclosure(eig[1][0], 128):
        raise InputError("the top eigenvalue cannot be certified to be separated from the next one")
    v = vectors[0]
    return value, v / sp.sqrt((v.T * v)[0]), multiplicity == 1


def mf_cross_section(c_text: str, y_text: str, z_text: str) -> MFCrossSection:
    """Exact cross-section quantities along the top Hessian direction at the minimiser ``(Y, Z)``
    (``Y Z^T = C`` is checked); ``c_text``, ``y_text``, ``z_text`` give the matrices row by row.

    >>> mf_cross_section("1,0;0,1/4", "1,0;0,1/2", "1,0;0,1/2").holds
    True

    A repeated top eigenvalue leaves no single top direction, and is refused:

    >>> mf_cross_section("1,0;0,1", "1,0;0,1", "1,0;0,1")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: the top eigenvalue of Y Y^T or Z Z^T is repeated: the Hessian has no single top direction
    """
    C = _matrix(arguments.text(c_text, "c_text", 2000))
    Y, Z = _matrix(arguments.text(y_text, "y_text", 2000)), _matrix(arguments.text(z_text, "z_text", 2000))
    if not C.shape == Y.shape == Z.shape:
        raise InputError(f"c_text, y_text and z_text must have one size, got {C.shape[0]}, {Y.shape[0]} and {Z.shape[0]}")
    if sp.simplify(Y * Z.T - C) != sp.zeros(*C.shape):
        raise InputError("(Y, Z) is not a minimiser: Y Z^T != C")
    alpha, a, simple_a = _top(Y * Y.T)
    beta, b, simple_b = _top(Z * Z.T)
    if not (simple_a and simple_b):
        raise InputError("the top eigenvalue of Y Y^T or Z Z^T is repeated: the Hessian has no single top direction")
    dY, dZ = a * (Z.T * b).T, b * (Y.T * a).T
    A = dY * Z.T + Y * dZ.T
    B = dY * dZ.T
    inner = lambda u, v: sum(u[i, j] * v[i, j] for i in range(u.rows) for j in range(u.cols))  # noqa: E731
    second, third, fourth = inner(A, A), 6 * inner(A, B), 12 * inner(B, B)
    coupling = sp.simplify((b.T * C * a)[0])
    return MFCrossSection(sp.simplify(alpha + beta), coupling, sp.simplify(second), sp.simplify(third),
                          sp.simplify(fourth), simple_a and simple_b)


# ---------------------------------------------------------------------------------------------
# GD simulations (float64 evidence, fixed seeds).


@dataclass(frozen=True)
class MFRun:
    """GD on ``|Y Z^T - C|^2/2`` at ``eta``: at the end, the residual ``R = Y Z^T - C`` against
    ``(delta^2 - 1) u u^T`` on the two phases of the 2-cycle, and the top singular balance.
    Fields: the size ``d``, ``eta``, the second eigenvalue ``lambda2`` of ``C``, the ``seed``,
    the ``steps`` run, the final ``phases`` ``u^T R u`` against the ``quartic``'s
    ``delta^2 - 1``, the ``off_direction`` distance from the rank-one form, the
    ``top_imbalance`` and the ``outcome``.

    >>> r = simulate_mf(2, 1.1, 0.5, 0, 3000)
    >>> r.outcome, max(abs(p - q) for p, q in zip(r.phases, r.quartic, strict=True)) < 1e-6
    ("oscillation confined to u u^T with the quartic's delta", True)
    """

    d: int
    eta: float
    lambda2: float
    seed: int
    steps: int
    phases: tuple[float, float] | None  # u^T R u on the two final iterates
    quartic: tuple[float, float]  # delta^2 - 1 for the quartic's 2-cycle at eta
    off_direction: float  # max |R - (u^T R u) u u^T| over the two final iterates
    top_imbalance: float  # | |Y^T u| - |Z^T u| | at the end: balance of the top components
    outcome: RunOutcome

    def to_dict(self) -> dict:
        return json_floats(dict(self.__dict__))


def _gd(d: int, eta: float, lambda2: float, seed: int, steps: int) -> Iterator[tuple[Any, Any, Any, Any]]:
    """GD from a small random start (fixed seed) with ``C = U diag(1, lambda2, ...) U^T``:
    yields ``(U, Y, Z, R)`` after each step, ``R = Y Z^T - C`` (stops early on divergence)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((d, d)))
    spectrum = np.array([1.0, lambda2] + list(np.linspace(lambda2 / 2, 0, d - 2, endpoint=False)))[:d]
    C = U @ np.diag(spectrum) @ U.T
    Y = 0.3 * rng.standard_normal((d, d))
    Z = 0.3 * rng.standard_normal((d, d))
    with np.errstate(all="ignore"):
        for _ in range(steps):
            R = Y @ Z.T - C
            Y, Z = Y - eta * R @ Z, Z - eta * R.T @ Y
            yield U, Y, Z, Y @ Z.T - C
            if not np.all(np.isfinite(Y)) or np.abs(Y).max() > 1e6:
                return


def trajectory(d: int = 3, eta: float = 1.1, lambda2: float = 0.5, seed: int = 0, steps: int = 400) -> Any:
    """Per GD step: the distance of ``R = Y Z^T - C`` from the rank-one form ``(u^T R u) u u^T``
    (max entry), the phase ``u^T R u``, and the top imbalance ``| |Y^T u| - |Z^T u| |`` (float64),
    for ``steps`` steps of GD at ``eta`` on a ``d x d`` problem with second eigenvalue
    ``lambda2`` from the random start ``seed``.

    >>> trajectory(d=2, eta=1.1, lambda2=0.5, seed=0, steps=50).shape
    (50, 3)

    >>> trajectory(d=1)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: d: expected an integer in [2, 200], got 1
    """
    import numpy as np

    d, eta, lambda2, seed, steps = _run_arguments(d, eta, lambda2, seed, steps)
    rows = []
    for U, Y, Z, R in _gd(d, eta, lambda2, seed, steps):
        u = U[:, 0]
        phase = float(u @ R @ u)
        rows.append((float(np.abs(R - phase * np.outer(u, u)).max()), phase,
                     float(abs(np.linalg.norm(Y.T @ u) - np.linalg.norm(Z.T @ u)))))
    return np.array(rows)


def simulate_mf(d: int = 3, eta: float = 1.1, lambda2: float = 0.5, seed: int = 0, steps: int = 20000) -> MFRun:
    """GD ``(Y, Z) <- (Y - eta R Z, Z - eta R^T Y)``, ``R = Y Z^T - C``, on ``|Y Z^T - C|^2 / 2``,
    summarised: the final two phases against the quartic's, the distance from the rank-one form,
    the top imbalance, after ``steps`` steps of GD at ``eta`` on a ``d x d`` problem with second
    eigenvalue ``lambda2`` from the random start ``seed``.

    >>> simulate_mf(d=2, eta=1.1, lambda2=0.5, seed=0, steps=3000).outcome
    "oscillation confined to u u^T with the quartic's delta"

    >>> simulate_mf(d=3, eta=-1.1, steps=10)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: eta: expected a finite positive real number, got -1.1
    """
    import numpy as np

    d, eta, lambda2, seed, steps = _run_arguments(d, eta, lambda2, seed, steps)
    finals, k = [], 0
    for k, state in enumerate(_gd(d, eta, lambda2, seed, steps), start=1):
        U, Y, Z, R = state  # the last state is used after the loop
        if not np.all(np.isfinite(Y)) or np.abs(Y).max() > 1e6:
            return MFRun(d, eta, lambda2, seed, k, None, _delta_sq(eta), float("nan"), float("nan"), RunOutcome.DIVERGED)
        if k > steps - 2:
            finals.append(R)
    u = U[:, 0]
    first, second = sorted(float(u @ R @ u) for R in finals)  # the two final iterates
    phases = (first, second)
    off = max(float(np.abs(R - (u @ R @ u) * np.outer(u, u)).max()) for R in finals)
    sy, sz = np.linalg.norm(Y.T @ U[:, 0]), np.linalg.norm(Z.T @ U[:, 0])
    quartic = _delta_sq(eta)
    matched = max(abs(a - b) for a, b in zip(phases, quartic, strict=True)) < 1e-6
    outcome = RunOutcome.CONFINED if matched and off < 1e-6 else (
        RunOutcome.MINIMUM if max(abs(p) for p in phases) < 1e-9 else RunOutcome.OTHER)
    return MFRun(d, eta, lambda2, seed, steps, phases, quartic, off, float(abs(sy - sz)), outcome)


def _delta_sq(eta: float) -> tuple[float, float]:
    import math

    disc = math.sqrt((eta * eta + eta) ** 2 - 4 * eta * eta)
    low, high = sorted(((eta * eta + eta) + s * disc) / (2 * eta * eta) - 1 for s in (-1, 1))
    return low, high


@dataclass(frozen=True)
class MFReport:
    """The cross-section claim (the ``counterexample`` and the ``balanced`` case) and the GD
    simulations (``runs``).

    >>> balanced = mf_cross_section("1,0;0,1/4", "1,0;0,1/2", "1,0;0,1/2")
    >>> r = MFReport(mf_cross_section(*COUNTEREXAMPLE), balanced, (simulate_mf(2, 1.1, 0.5, 0, 3000),))
    >>> r.counterexample.holds, r.balanced.holds, [run.d for run in r.runs]
    (False, True, [2])
    """

    counterexample: MFCrossSection
    balanced: MFCrossSection
    runs: tuple[MFRun, ...]

    def to_dict(self) -> dict:
        return {
            "cross_section_claim": {
                "counterexample": {"C": COUNTEREXAMPLE[0], "Y": COUNTEREXAMPLE[1], "Z": COUNTEREXAMPLE[2],
                                   "b_T_C_a": sp.sstr(self.counterexample.coupling), "holds": self.counterexample.holds},
                "balanced_holds": self.balanced.holds,
                "rule": "3 L'''^2 - L'' L'''' = 96 |A|^2 |B|^2, positive iff b^T C a != 0",
            },
            "runs": [r.to_dict() for r in self.runs],
            # The weakest fact: the GD runs are float64 evidence (the cross-section claim is exact).
            "rigor": Rigor.NUMERICAL,
            "rigor_note": "exact for the cross-section; float64 evidence for GD",
        }

    def to_text(self) -> str:
        ce = self.counterexample
        lines = [
            "Matrix factorisation |Y Z^T - C|^2/2",
            "  cross-section along the top Hessian direction: 3 L'''^2 - L'' L'''' = 96 |A|^2 |B|^2 > 0 iff b^T C a != 0 (exact)",
            f"  balanced minimiser (C = diag(1, 1/4), Y = Z = diag(1, 1/2)): {_verdict(self.balanced.holds)}",
            f"  unbalanced C = diag(1, 1/4), Y = diag(1, 1/8), Z = diag(1, 2): b^T C a = {sp.sstr(ce.coupling)}, "
            f"L'' = {sp.sstr(ce.second)}, "
            f"L''' = {sp.sstr(ce.third)}, L'''' = {sp.sstr(ce.fourth)}: the paper's 'any minimiser' claim FAILS",
            "  GD (float64, fixed seeds), C = U diag(1, lambda2, ...) U^T:",
            f"    {'d':<2} {'eta':<6} {'lambda2':<8} {'seed':<5} {'outcome':<56} {'off-u u^T':<11} top imbalance",
        ]
        for r in self.runs:
            lines.append(f"    {r.d:<2} {r.eta:<6} {r.lambda2:<8} {r.seed:<5} {r.outcome:<56} {float_evidence(r.off_direction):<11} "
                         f"{float_evidence(r.top_imbalance)}")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        return "```\n" + self.to_text() + "\n```\n"


def mf_report(dims: Sequence[int] = (2, 3, 4), etas: Sequence[float] = (1.05, 1.1), seeds: Sequence[int] = (0, 1), lambda2: float = 0.5,
              progress: Progress | None = None) -> MFReport:
    """The cross-section claim (exact) and GD runs over ``dims x etas x seeds`` (second
    eigenvalue ``lambda2``), reporting each run to ``progress``.

    >>> len(mf_report(dims=(2,), etas=(1.1,), seeds=(0,), lambda2=0.5).runs)
    1

    >>> mf_report(dims=(1,), etas=(1.1,), seeds=(0,))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: dims[0]: expected an integer in [2, 200], got 1
    """
    dims, etas = arguments.int_sequence(dims, "dims", 2, MAX_D), arguments.real_sequence(etas, "etas", positive=True)
    seeds, lambda2 = arguments.int_sequence(seeds, "seeds", 0, MAX_SEED), arguments.real_number(lambda2, "lambda2")
    progress = arguments.optional_callable(progress, "progress")
    cases = [(d, e, s) for d in dims for e in etas for s in seeds]
    runs = tuple(simulate_mf(d, e, lambda2, s)
                 for d, e, s in each_with_progress(cases, lambda c: "GD d={} eta={} seed={}".format(*c), progress))
    return MFReport(mf_cross_section(*COUNTEREXAMPLE), mf_cross_section("1,0;0,1/4", "1,0;0,1/2", "1,0;0,1/2"), runs)
