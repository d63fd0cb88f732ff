"""The paper's claims, loaded from ``catalog/claims.toml``, each run to a status.

The package: :mod:`.catalog` loads and checks the catalog, :mod:`.registry` runs the verifiers
and holds the results, and one module per claim (or pair of related claims) verifies it.

A status is one of :data:`STATUSES`: ``confirmed`` (the claim holds as stated, with the rigor
given), ``refuted`` (a certified or exact counterexample), ``confirmed_with_correction`` (false as
stated, by a proved counterexample; true after the correction we state, proved, or supported by
evidence only when ``rigor`` is ``numerical``), ``extended`` (true, and we show more than
the paper states), ``inconclusive`` (not settled; the reason is given).  ``rigor`` names the
weakest kind of fact the status rests on: ``exact``, ``certified`` or ``numerical`` (evidence,
never used for a sign: float simulations, or a finite grid standing for a continuum); the
vocabularies are :class:`~symbolic_eos.core.vocabulary.Status` and :class:`~symbolic_eos.core.vocabulary.Rigor`.

>>> [c.id for c in claims()][:3]
['thm1-existence', 'lemma1-higher-order', 'lemma2-l2']
"""

from __future__ import annotations

from .catalog import CLAIM_IDS, STATUSES, Claim, claim, claims
from .lemma2_l2 import l2_identity
from .registry import ClaimResult, PaperVerification, verify_claim, verify_paper

__all__ = ["Claim", "ClaimResult", "PaperVerification", "CLAIM_IDS", "STATUSES", "claims", "claim", "verify_claim",
           "verify_paper", "l2_identity"]
