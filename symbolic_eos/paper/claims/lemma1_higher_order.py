"""The claim ``lemma1-higher-order`` (poster II, the case k >= 4): the paper's conditions on the
first non-zero derivative ``f^(k)`` above ``f''`` side by side with the flip normal form.

>>> from symbolic_eos.paper.claims.registry import verifiers
>>> verifiers()["lemma1-higher-order"].__module__
'symbolic_eos.paper.claims.lemma1_higher_order'
"""

from __future__ import annotations

from ...core.decide import weakest_rigor
from ...core.vocabulary import Flip, Status, Verdict
from .catalog import Claim, claim_losses
from .registry import verifier

__all__: list[str] = []


@verifier("lemma1-higher-order")
def _lemma1(c: Claim, cache: dict) -> dict:
    from ...analysis.check import check_expr

    checks = [check_expr(**loss) for loss in claim_losses(c)]
    evidence, refuted, beyond = [], [], []
    for r in checks:
        flip = r.flip.verdict + (f" (order {r.flip.order}, coefficient {r.flip.coefficient.short(8)})" if r.flip.order else "")
        evidence.append((f"f = {r.expression}, k = {r.paper.order}", f"paper: {r.paper.verdict}; flip: {flip}"))
        if r.paper.verdict == Verdict.HOLDS and r.flip.verdict != Flip.SUPERCRITICAL:
            refuted.append(r)
        if r.paper.verdict != Verdict.HOLDS and r.flip.verdict == Flip.SUPERCRITICAL:
            beyond.append(r)
    rigor = weakest_rigor([r.rigor for r in checks])
    if refuted:
        r = refuted[0]
        return {"status": Status.REFUTED, "rigor": rigor, "evidence": tuple(evidence), "details": tuple(checks),
                "summary": f"the paper's condition holds for {r.expression} but the flip is {r.flip.verdict}"}
    summary = "wherever the paper's condition holds the flip is supercritical"
    finding = ""
    if beyond:
        r = beyond[0]
        summary += (f"; the condition is sufficient, not necessary: for {r.expression} the paper's condition is not met "
                    f"(f^({r.paper.order + 1}) = 0) yet the flip is supercritical at order {r.flip.order}")
        finding = (f"For f = {r.expression} at {r.point.label} the paper's k = {r.paper.order} condition is not met "
                   f"({r.paper.reason}), but the first non-zero flip coefficient (order {r.flip.order}, "
                   f"{r.flip.coefficient.short(8)}, {r.flip.coefficient.rigor}) is negative: a stable 2-cycle is born. "
                   "The flip normal form is the general criterion; the paper's conditions are its first cases.")
    return {"status": Status.EXTENDED if beyond else Status.CONFIRMED, "rigor": rigor, "summary": summary,
            "evidence": tuple(evidence), "finding": finding, "details": tuple(checks)}
