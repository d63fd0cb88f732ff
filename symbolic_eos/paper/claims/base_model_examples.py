"""The claim ``base-model-examples`` (poster II, L2 loss): the poster's base models ``g`` satisfy
``g' g''' < 6 g''^2`` on their ranges, certified with balls.

>>> from symbolic_eos.paper.claims.registry import verifiers
>>> verifiers()["base-model-examples"].__module__
'symbolic_eos.paper.claims.base_model_examples'
"""

from __future__ import annotations

from ...core.vocabulary import Rigor, Status
from .catalog import Claim
from .registry import verifier

__all__: list[str] = []


@verifier("base-model-examples")
def _base_models(c: Claim, cache: dict) -> dict:
    try:
        from ...analysis.certificates import certify_base_models
    except ImportError:
        return {"status": Status.INCONCLUSIVE, "rigor": Rigor.NONE, "summary": "base-model certificates not available"}
    certs = certify_base_models()
    poster = [k for k in certs if k.poster]
    evidence = tuple((f"g = {k.expression}" + (" (poster)" if k.poster else ""), k.summary) for k in certs)
    failing = [k for k in poster if k.agrees_with_poster is False]
    if failing:
        return {"status": Status.REFUTED, "rigor": Rigor.CERTIFIED, "evidence": evidence, "details": certs,
                "summary": f"the condition fails (certified) somewhere for {', '.join(k.name for k in failing)}"}
    unsettled = [k for k in poster if k.agrees_with_poster is not True]
    if unsettled:
        return {"status": Status.INCONCLUSIVE, "rigor": Rigor.CERTIFIED, "evidence": evidence, "details": certs,
                "summary": f"not settled for {', '.join(k.name for k in unsettled)}: undecided sub-intervals that no "
                           "proved zero of g' explains"}
    ranges = sorted({f"[{k.range[0]}, {k.range[1]}]" for k in poster})
    proved = [k.name for k in poster if k.global_proof is not None]
    evidence += tuple((f"global proof, g = {k.expression}", k.global_proof.text) for k in poster if k.global_proof is not None)
    globally = (f"; proved exactly on the whole domain for {len(proved)} of them ({', '.join(proved)}: C = g' g''' - 6 g''^2 in "
                "a manifestly negative form), the intervals cross-checking" if proved else "")
    return {"status": Status.CONFIRMED, "rigor": Rigor.CERTIFIED, "evidence": evidence, "details": certs,
            "summary": f"all {len(poster)} poster models satisfy g' g''' < 6 g''^2 on their ranges ({', '.join(ranges)}), "
                       f"except in tiny intervals around proved zeros of g', where the L2 setting degenerates{globally}"}
