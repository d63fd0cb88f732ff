"""The status discipline of the catalog's claims: what evidence may give which status.

A claim is a ``theorem`` or an ``observation`` (:class:`~symbolic_eos.core.vocabulary.ClaimKind`)
and may be quantified over a ``continuum`` (every start in an interval, every small eps, every
minimiser).  A verifier proposes a status with the rigor of its weakest fact and says whether its
evidence only ``sampled`` the continuum.  The rules:

1. Evidence that samples a continuum is numerical, whatever each sample rests on: a grid of
   certified points is not a proof about the points between them.
2. A theorem is ``confirmed`` or ``extended`` only by exact or certified evidence; otherwise it is
   ``inconclusive`` with the evidence shown.
3. A theorem is ``refuted`` only by an exact or certified counterexample.  With one, it is
   ``confirmed_with_correction`` when the corrected statement is proved (exact or certified), and
   ``refuted`` (the correction stated, as evidence) when the correction itself is only sampled.
4. An observation keeps the status its verifier proposes: experiments may support it.

>>> d = disciplined(ClaimKind.THEOREM, True, Status.EXTENDED, Rigor.CERTIFIED, sampled=True)
>>> d.status, d.rigor, d.note
('inconclusive', 'numerical', 'a theorem over a continuum checked at samples only: sampled evidence is at most inconclusive')
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.vocabulary import ClaimKind, Rigor, Status
from ..errors import InternalError

__all__ = ["Disciplined", "disciplined", "PROOF_RIGORS"]

#: The rigors that prove.
PROOF_RIGORS = (Rigor.EXACT, Rigor.CERTIFIED)


@dataclass(frozen=True)
class Disciplined:
    """The ``status`` and ``rigor`` a claim may report, and the ``note`` saying why a proposal
    was lowered (None when it stands).

    >>> Disciplined(Status.CONFIRMED, Rigor.EXACT, None).to_dict()
    {'status': 'confirmed', 'rigor': 'exact', 'note': None}
    """

    status: Status
    rigor: Rigor
    note: str | None

    def to_dict(self) -> dict:
        return {"status": self.status, "rigor": self.rigor, "note": self.note}


def disciplined(kind: ClaimKind | str, continuum: bool, status: Status | str, rigor: Rigor | str, sampled: bool = False,
                counterexample: Rigor | str | None = None) -> Disciplined:
    """The status a claim of ``kind`` (over a ``continuum`` or not) may report when its verifier
    proposes ``status`` at ``rigor``, having only ``sampled`` the continuum, with a
    ``counterexample`` of the given rigor (for ``refuted`` / ``confirmed_with_correction``).

    >>> disciplined("theorem", True, "confirmed_with_correction", "numerical", sampled=True, counterexample="exact").status
    'refuted'
    >>> disciplined("observation", True, "confirmed", "numerical", sampled=True).status
    'confirmed'

    A correction needs its counterexample:

    >>> disciplined("theorem", False, "refuted", "exact")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InternalError: a refuted or corrected claim needs the rigor of its counterexample
    """
    kind, status, rigor = ClaimKind(kind), Status(status), Rigor(rigor)
    if continuum and sampled:
        rigor = Rigor.weakest([rigor, Rigor.NUMERICAL])
    if status in (Status.REFUTED, Status.CONFIRMED_WITH_CORRECTION) and counterexample is None:
        raise InternalError("a refuted or corrected claim needs the rigor of its counterexample")
    if kind is ClaimKind.OBSERVATION:
        return Disciplined(status, rigor, None)
    proved = rigor in PROOF_RIGORS
    if status in (Status.CONFIRMED, Status.EXTENDED) and not proved:
        why = ("a theorem over a continuum checked at samples only: sampled evidence is at most inconclusive"
               if continuum and sampled else "a theorem supported by numerical evidence only is at most inconclusive")
        return Disciplined(Status.INCONCLUSIVE, rigor, why)
    if status in (Status.REFUTED, Status.CONFIRMED_WITH_CORRECTION):
        exact_counterexample = counterexample is not None and Rigor(counterexample) in PROOF_RIGORS
        if not exact_counterexample:
            return Disciplined(Status.INCONCLUSIVE, rigor, "a counterexample that is not exact or certified refutes nothing")
        if status is Status.CONFIRMED_WITH_CORRECTION and not proved:
            return Disciplined(Status.REFUTED, rigor, "refuted by an exact counterexample; the corrected statement is only "
                                                      "supported by sampled evidence, so it is stated, not confirmed")
    return Disciplined(status, rigor, None)
