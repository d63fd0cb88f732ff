"""The claim ``balancing-theorems``: the previous balancing effects of ``(x y - 1)^2/2`` and the
2-cycle's, all from the exact identity ``D' = D (1 - eta^2 e^2)``.

>>> from symbolic_eos.paper.claims.registry import verifiers
>>> verifiers()["balancing-theorems"].__module__
'symbolic_eos.paper.claims.balancing_theorems'
"""

from __future__ import annotations

from ...core.vocabulary import Status
from .catalog import Claim
from .registry import verifier

__all__: list[str] = []


@verifier("balancing-theorems")
def _balancing(c: Claim, cache: dict) -> dict:
    from ..balancing import balancing_theorems

    r = balancing_theorems()
    evidence = tuple((t.name + (f" [{t.cites}]" if t.cites else ""), f"{t.statement}: {'proved' if t.proved else 'NOT proved'}")
                     for t in r.theorems[:4])
    return {"status": Status.CONFIRMED if r.proved else Status.INCONCLUSIVE, "rigor": r.rigor, "evidence": evidence,
            "details": (r,), "summary": ("proved exactly: D' = D (1 - eta^2 e^2); gradient flow conserves x^2 - y^2 [Du2018]; below the "
                                         "edge of stability |D| shrinks to a non-zero limit [Wang2022]; past it the 2-cycle multiplies D "
                                         "by 3 - 2 eta every two steps (by 9 on the cycle {-a, a})" if r.proved
                                         else "some statement could not be proved (see the evidence)")}
