"""The claim ``composition-rule`` (poster II): the L2 condition ``T = g'''/g' - 6 (g''/g')^2 < 0`` for
``p`` and ``q`` gives it for ``q o p``; false as stated, true with ``q' q'' p'' >= 0``.

>>> from symbolic_eos.paper.claims.registry import verifiers
>>> verifiers()["composition-rule"].__module__
'symbolic_eos.paper.claims.composition_rule'
"""

from __future__ import annotations

from ...core.decide import weakest_rigor
from ...core.vocabulary import Rigor, Status
from ..constants import DEFAULT_BUDGET
from .catalog import Claim
from .registry import verifier

__all__: list[str] = []


@verifier("composition-rule")
def _composition(c: Claim, cache: dict) -> dict:
    from ...analysis.composition import composition_identity, find_counterexamples, schwarzian_chain_rule

    identity, proved = composition_identity()
    chain, chain_proved = schwarzian_chain_rule()
    search = find_counterexamples(int(c.parameters.get("budget", DEFAULT_BUDGET)))
    found = search.counterexamples
    evidence = [("identity", identity + (": proved" if proved else ": NOT proved")),
                ("Schwarzian chain rule", chain + (": proved" if chain_proved else ": NOT proved")),
                ("C (below)", "g' g''' - 6 g''^2 = g'^2 T; the L2 condition is C < 0"),
                ("search", f"{search.tried} (pair, point) checks over the catalog's base models"
                           + ("" if search.exhausted else " (budget reached)"))]
    evidence += [(f"q = {v.q_text}, p = {v.p_text}, x = {v.at}",
                  f"C[p] = {v.p.value.short(6)}, C[q] = {v.q.value.short(6)}, C[q o p] = {v.composition.value.short(8)} ({v.rigor})")
                 for v in found]
    rigor = weakest_rigor([v.rigor for v in found] + [Rigor.EXACT])
    if not found:
        return {"status": Status.INCONCLUSIVE, "rigor": Rigor.CERTIFIED, "evidence": tuple(evidence),
                "summary": f"no violation found in {search.tried} checks (a finite search proves nothing universal)",
                "details": (search,)}
    strict = [v for v in found if v.composition.value.sign == 1]
    boundary = [v for v in found if v.composition.value.sign == 0]
    names = "; ".join(
        ([", ".join(f"{v.q_text} o {v.p_text} at {v.at}" for v in strict) + " strictly (C[q o p] > 0)"] if strict else [])
        + ([", ".join(f"{v.q_text} o {v.p_text}" for v in boundary) + " on the boundary (C[q o p] = 0: the composition is "
            "affine, its L2 loss quadratic)"] if boundary else []))
    corrected = proved and not any(v.corrected_rule_applies for v in found)
    return {"status": Status.CONFIRMED_WITH_CORRECTION if corrected else Status.REFUTED, "rigor": rigor, "evidence": tuple(evidence),
            "details": (search,),
            "summary": f"false as stated: {names}; true when also q' q'' p'' >= 0, "
                       "or when p and q have negative Schwarzian (proved)",
            "finding": "The exact identity T[q o p] = p'^2 T[q](p) + T[p] - 9 q''(p) p''/q'(p) (T = g'''/g' - 6 (g''/g')^2, "
                       "the rule is T < 0) shows the cross term -9 q'' p''/q' can be positive. Every violation found has "
                       "q' q'' p'' < 0 and involves log (positive Schwarzian). Corrected rule: add q' q'' p'' >= 0; "
                       "closure rule: negative Schwarzian is preserved by composition and implies T < 0."}
