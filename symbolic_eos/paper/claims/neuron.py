"""The claims about the single-neuron ReLU network (poster III): ``neuron-sharpness`` (the top Hessian
eigenvalue ``lambda1 = ((|w| - v)^2 + 2|w~|)/d`` at the minimizers) and ``neuron-convergence``
(alignment at the rate ``(1 - 0.030 K)^t``, balancing, and the quartic's 2-cycle for ``v = |w|``).

>>> from symbolic_eos.paper.claims.registry import verifiers
>>> verifiers()["neuron-sharpness"].__module__, verifiers()["neuron-convergence"].__module__
('symbolic_eos.paper.claims.neuron', 'symbolic_eos.paper.claims.neuron')
"""

from __future__ import annotations

from typing import Any

from ...core.vocabulary import Rigor, Status
from ..constants import ALIGNMENT_BOUND_AT_K1, ALIGNMENT_RATE_TEXT, NEURON_TOLERANCE
from .catalog import Claim
from .registry import shared, verifier

__all__: list[str] = []


def _neuron(cache: dict) -> Any:
    from ..neuron import neuron_report

    return shared(cache, "neuron", neuron_report)


@verifier("neuron-sharpness")
def _neuron_sharpness(c: Claim, cache: dict) -> dict:
    report = _neuron(cache)
    mc = report.monte_carlo
    evidence = (("lambda1 = ((|w| - v)^2 + 2|w~|)/d at the minimizers", "proved (sympy)" if report.lambda1_proved else "not proved"),
                ("closed-form population loss vs Monte Carlo",
                 f"max deviation {mc.max_deviation_in_standard_errors:.2f} standard errors ({mc.samples} samples, seed {mc.seed})"))
    ok = report.lambda1_proved
    return {"status": Status.CONFIRMED if ok else Status.INCONCLUSIVE, "rigor": Rigor.EXACT, "evidence": evidence, "details": (report,),
            "summary": "lambda1 formula proved from the closed-form population loss (arc-cosine kernel, derived in the module "
                       "and checked against Monte Carlo); the flattest sharpness 2|w~|/d and EoS rate d/|w~| follow (v = |w|)" if ok
            else "the Hessian formula could not be proved"}


@verifier("neuron-convergence")
def _neuron_convergence(c: Claim, cache: dict) -> dict:
    report = _neuron(cache)
    runs = report.runs
    rates = [r.alignment_rate for r in runs if r.alignment_rate is not None]
    tolerance = float(NEURON_TOLERANCE)
    on_cycle = [r for r in runs
                if r.cycle is not None and max(abs(a - b) for a, b in zip(r.cycle, r.quartic_cycle, strict=True)) < tolerance]
    balanced = [r for r in runs if r.final_imbalance < tolerance]
    faster = rates and all(r.alignment_rate < r.claimed_rate for r in runs if r.alignment_rate is not None)
    evidence = (("runs", f"{len(runs)} (d in {sorted({r.d for r in runs})}, K in {sorted({r.K for r in runs})}, seeds "
                         f"{sorted({r.seed for r in runs})})"),
                ("per-step factor of |proj_perp w|",
                 f"{min(rates):.3g} to {max(rates):.3g} (claimed bound 1 - {ALIGNMENT_RATE_TEXT} K)" if rates else "not fitted"),
                ("final |v - |w||", f"below {NEURON_TOLERANCE} in {len(balanced)} of {len(runs)} runs"),
                ("final 2-cycle of v = |w|", f"the quartic's (to {NEURON_TOLERANCE}) in {len(on_cycle)} of {len(runs)} runs"))
    ok = len(on_cycle) == len(balanced) == len(runs) and faster
    return {"status": Status.CONFIRMED if ok else Status.INCONCLUSIVE, "rigor": Rigor.NUMERICAL, "evidence": evidence, "details": (report,),
            "summary": (f"all {len(runs)} runs align, balance and land on the quartic's 2-cycle; alignment is much faster "
                        f"than the stated bound (factor {min(rates):.2f}-{max(rates):.2f} per step vs about {ALIGNMENT_BOUND_AT_K1})") if ok
            else "some runs did not behave as claimed (see the evidence)"}
