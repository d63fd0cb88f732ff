"""The claims about MLPs (poster II, Experiments): ``mlp-obs1`` (the top Hessian eigenvector ``v1``
aligns with the gradient) and ``mlp-obs2`` (``3 L'''^2 - L'' L'''' > 0`` along ``v1`` at the end of
training), on scikit-learn's 8x8 digits.

>>> from symbolic_eos.paper.claims.registry import verifiers
>>> verifiers()["mlp-obs1"].__module__
'symbolic_eos.paper.claims.mlp'
"""

from __future__ import annotations

from typing import Any

from ...core.vocabulary import Rigor, Status, Verdict
from ...errors import InputError
from ..constants import DEFAULT_MLP_CONFIG, DEFAULT_MLP_SEED
from ..mlp import ALIGNED
from .catalog import Claim
from .registry import shared, verifier

__all__: list[str] = []


def _mlp(c: Claim, cache: dict) -> Any:
    try:
        from ..mlp import run_experiment
    except ImportError:
        raise InputError("the MLP experiment is not available in this version") from None
    config, seed = c.parameters.get("config", DEFAULT_MLP_CONFIG), int(c.parameters.get("seed", DEFAULT_MLP_SEED))
    return shared(cache, f"mlp-{config}-{seed}", lambda: run_experiment(config, seed=seed))


@verifier("mlp-obs1")
def _mlp_obs1(c: Claim, cache: dict) -> dict:
    result = _mlp(c, cache)
    status, summary = result.obs1_status()
    s = result.obs1_summary()
    d = result.dataset
    evidence = (("data", f"{d['name']}: {d['samples']} samples x {d['features']} features"),
                ("model", f"widths {'-'.join(map(str, result.widths))}, tanh, MSE, {result.parameters} parameters, seed {result.seed}"),
                ("learning rate", f"eta = {result.eta:g}; late sharpness / (2/eta) = {result.edge_ratio_late:.3g}"
                                  + (" (at the edge of stability)" if result.at_edge else " (below the edge)")),
                ("|cos(v1, grad)| over the last quarter", f"median {s['median_last_quarter']:.3g}, min {s['min_last_quarter']:.3g}, "
                                                          f"max {s['max_last_quarter']:.3g}"),
                ("|cos(v1, grad)| at the end", f"{s['cosine_end']:.3g} (chance level {s['random_baseline']:.3g})"))
    return {"status": status, "rigor": Rigor.NUMERICAL, "summary": summary, "evidence": evidence, "details": (result,),
            "finding": "Alignment is intermittent: far above chance, but the median over the late phase stays below 1/2; "
                       "the poster's Obs. 1 is reproduced only in part on this network and data."
            if status == Status.INCONCLUSIVE and result.at_edge and s["max_last_quarter"] >= ALIGNED else ""}


@verifier("mlp-obs2")
def _mlp_obs2(c: Claim, cache: dict) -> dict:
    result = _mlp(c, cache)
    status, summary = result.obs2_status()
    summary += f" (on {result.dataset['name']}, {result.dataset['samples']} samples)"
    ob = result.obs2
    evidence: tuple[tuple[str, str], ...] = (("L'', L''', L'''' along the computed v1",
                 f"{ob.second.mid().str(6, radius=False)}, {ob.third.mid().str(6, radius=False)}, "
                 f"{ob.fourth.mid().str(6, radius=False)} (balls, {ob.prec} bits)"),
                ("3 L'''^2 - L'' L''''", f"{ob.quantity.mid().str(6, radius=False)}: {ob.verdict} (certified)"),
                ("v1 (float evidence)", f"Rayleigh quotient {result.final_sharpness:.4g}, 2/eta = {result.two_over_eta:.4g}"))
    if result.flip is not None:
        f = result.flip
        evidence += (("flip normal form (float evidence)", f"3 g^T H^+ g - L'''' = {f.multivariate:.3g} vs 1-D {f.one_d:.3g}; "
                                                           f"-2c = {f.flip_coefficient:.3g} ({f.evidence})"),)
    # The sign along the computed v is certified; that v is v1 (Rayleigh quotient, residual) and that
    # the run sits at the edge of stability are float evidence, so the status is numerical.
    rigor = Rigor.NUMERICAL if ob.verdict in (Verdict.HOLDS, Verdict.FAILS) else Rigor.NONE
    return {"status": status, "rigor": rigor, "summary": summary, "evidence": evidence, "details": (result,),
            "finding": "The certificate is about the end iterate of training on scikit-learn's 8x8 digits (a point with "
                       "negative Hessian eigenvalues, not a minimum) and the computed direction v; the poster's setting is "
                       "MNIST at the end point of training." if status == Status.CONFIRMED else ""}
