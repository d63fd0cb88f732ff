"""The claims run to results: :class:`ClaimResult` and :class:`PaperVerification`, the
:func:`verifier` registry the claim modules fill, and :func:`verify_claim` and
:func:`verify_paper`, which run them.

>>> verify_claim("lemma2-l2").status
'confirmed'
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...analysis.results import markdown_text
from ...core import arguments
from ...core.decide import RIGORS, weakest_rigor
from ...core.numbers import json_float
from ...core.progress import Progress, each_with_progress
from ...core.vocabulary import Rigor, Status
from ...errors import EosError, InternalError
from ..discipline import disciplined
from .catalog import CLAIM_IDS, STATUSES, Claim, claim, claims

__all__ = ["ClaimResult", "PaperVerification", "Verifier", "verifier", "verifiers", "shared", "verify_claim", "verify_paper"]

# ---------------------------------------------------------------------------------------------
# Results.


@dataclass(frozen=True)
class ClaimResult:
    """A claim run to a status: a one-line summary, the evidence as (quantity, value) rows, the
    finding in a few sentences, and the underlying reports (``details``, rendered by the report).
    Fields: the ``claim``, its ``status`` and ``summary``, the weakest ``rigor`` used, the
    ``evidence``, the ``finding``, the ``details`` and the run time in ``seconds``.

    >>> r = verify_claim("lemma1-higher-order")
    >>> r.claim.id, r.status, r.rigor
    ('lemma1-higher-order', 'extended', 'exact')
    """

    claim: Claim
    status: Status
    summary: str
    rigor: Rigor
    evidence: tuple[tuple[str, str], ...] = ()
    finding: str = ""
    details: tuple[Any, ...] = field(default=(), compare=False, repr=False)
    seconds: float = field(default=0.0, compare=False)

    def __post_init__(self):
        if self.status not in STATUSES or self.rigor not in RIGORS:
            raise ValueError(f"bad status/rigor {self.status!r}/{self.rigor!r}")
        # A verifier may hand over the word itself: the result always holds the member.
        object.__setattr__(self, "status", Status(self.status))
        object.__setattr__(self, "rigor", Rigor(self.rigor))

    @property
    def id(self) -> str:
        return self.claim.id

    def to_dict(self) -> dict:
        return {"id": self.id, "status": self.status, "summary": self.summary, "rigor": self.rigor,
                "title": self.claim.title, "paper": self.claim.paper, "statement": self.claim.statement,
                "evidence": [{"quantity": q, "value": v} for q, v in self.evidence], "finding": self.finding,
                "reproduce": list(self.claim.reproduce), "seconds": json_float(round(self.seconds, 2)),
                "details": [d.to_dict() for d in self.details if hasattr(d, "to_dict")]}


@dataclass(frozen=True)
class PaperVerification:
    """Every claim's result (``results``), in catalog order, and the environment they were
    computed in (:func:`symbolic_eos.paper.environment.environment`: versions, BLAS, git commit).

    >>> v = verify_paper(only=["lemma1-higher-order", "lemma2-l2"])
    >>> [r.claim.id for r in v.results], v.counts
    (['lemma1-higher-order', 'lemma2-l2'], {'confirmed': 1, 'extended': 1})
    """

    results: tuple[ClaimResult, ...]
    environment: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(r.status == s for r in self.results) for s in STATUSES if any(r.status == s for r in self.results)}

    @property
    def rigor(self) -> Rigor:
        """The weakest rigor among the claims run (``none`` when none was run)."""
        return weakest_rigor([r.rigor for r in self.results])

    def to_dict(self) -> dict:
        return {"claims": [r.to_dict() for r in self.results], "counts": self.counts, "rigor": self.rigor,
                "environment": dict(self.environment)}

    def to_text(self) -> str:
        if not self.results:
            return "no claims run"
        w_id = max(len(r.id) for r in self.results)
        w_st = max(len(r.status) for r in self.results)
        w_rg = max(len(r.rigor) for r in self.results)
        lines = [f"{'claim'.ljust(w_id)}  {'status'.ljust(w_st)}  {'rigor'.ljust(w_rg)}  summary"]
        lines += [f"{r.id.ljust(w_id)}  {r.status.ljust(w_st)}  {r.rigor.ljust(w_rg)}  {r.summary}" for r in self.results]
        lines.append("")
        lines.append(", ".join(f"{n} {s}" for s, n in self.counts.items())
                     + f"; {sum(r.seconds for r in self.results):.0f} s in all")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        rows = "\n".join(f"| [{r.id}](claims/{r.id}.md) | **{r.status}** | {r.rigor} | {markdown_text(r.summary)} |"
                         for r in self.results)
        return "| claim | status | rigor | summary |\n|---|---|---|---|\n" + rows + "\n"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()



# ---------------------------------------------------------------------------------------------
# Running the claims.  Each verifier takes the claim and a per-run cache (settings shared by two
# claims, e.g. the neuron report, run once) and returns the fields of its ClaimResult.


#: A claim's verifier: ``(claim, cache) -> the fields of its ClaimResult``.
Verifier = Callable[[Claim, dict], dict]
_VERIFIERS: dict[str, Verifier] = {}


def verifier(claim_id: str) -> Callable[[Verifier], Verifier]:
    """Register the decorated function as the verifier of the claim ``claim_id`` (a claim
    module's functions, registered when :func:`verifiers` imports it).

    >>> verifiers()["lemma2-l2"].__module__
    'symbolic_eos.paper.claims.lemma2_l2'
    """
    def register(fn: Verifier) -> Verifier:
        if claim_id not in CLAIM_IDS or _VERIFIERS.get(claim_id, fn) is not fn:
            raise InternalError(f"verifier for {claim_id!r}: not a catalog id, or registered twice")
        _VERIFIERS[claim_id] = fn
        return fn
    return register


def verifiers() -> dict[str, Verifier]:
    """Every claim's verifier, by claim id.  The claim modules, one per claim or pair of claims,
    are listed here (a new claim adds its module to this import); importing one registers its
    verifiers.

    >>> sorted(verifiers()) == sorted(CLAIM_IDS)
    True
    """
    from . import (balancing_theorems, base_model_examples, composition_rule, lemma1_higher_order, lemma2_l2,  # noqa: F401
                   matrix_factorization, mlp, neuron, quartic_orbit, thm1_existence, xy_balancing)

    missing = set(CLAIM_IDS) - set(_VERIFIERS)
    if missing:
        raise InternalError(f"no verifier for {', '.join(sorted(missing))}")
    return _VERIFIERS


def shared(cache: dict, key: str, make: Callable[[], Any]) -> Any:
    """``cache[key]``, made by ``make()`` the first time: a report two claims use is run once.

    >>> cache = {}
    >>> shared(cache, "n", lambda: 1), shared(cache, "n", lambda: 2)
    (1, 1)
    """
    if key not in cache:
        cache[key] = make()
    return cache[key]


def verify_claim(claim_id: str, cache: dict | None = None) -> ClaimResult:
    """Run the claim ``claim_id`` to a status; ``cache`` shares reports between claims that use
    the same computation.  An input-level failure of the verification (e.g. an optional
    dependency missing) is an ``inconclusive`` status with the reason, not an exception.

    >>> verify_claim("lemma2-l2", cache={}).status
    'confirmed'

    >>> verify_claim("thm2")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: unknown claim 'thm2' (one of: thm1-existence, ...)
    """
    c = claim(claim_id)
    cache = arguments.optional_dict(cache, "cache")
    start = time.perf_counter()
    try:
        fields = verifiers()[claim_id](c, {} if cache is None else cache)
    except EosError as exc:
        fields = {"status": Status.INCONCLUSIVE, "rigor": Rigor.NONE, "summary": f"could not be run: {exc}"}
    return ClaimResult(c, seconds=time.perf_counter() - start, **_disciplined(c, fields))


def _disciplined(c: Claim, fields: dict) -> dict:
    """The verifier's proposal held to the status discipline (:func:`~symbolic_eos.paper.discipline.disciplined`):
    ``sampled`` (did the evidence only sample the claim's continuum?) and ``counterexample`` (its rigor;
    by default the verifier's) are read and dropped; a lowered status says why in the evidence."""
    fields = dict(fields)
    sampled = bool(fields.pop("sampled", False))
    counterexample = fields.pop("counterexample", fields["rigor"])
    d = disciplined(c.kind, c.continuum, fields["status"], fields["rigor"], sampled, counterexample)
    if d.note is not None:
        fields["evidence"] = tuple(fields.get("evidence", ())) + (("status discipline", f"proposed {fields['status']}: {d.note}"),)
        fields["summary"] = f"{d.note}; {fields['summary']}"
    fields["status"], fields["rigor"] = d.status, d.rigor
    return fields


def verify_paper(only: Sequence[str] | None = None,
                 progress: Progress | None = None) -> PaperVerification:
    """Run every claim (or the ids in ``only``) in catalog order; ``progress(id, done, total)``
    is called before each claim and once at the end with ``done == total``.

    >>> verify_paper(only=["lemma1-higher-order"], progress=lambda i, done, total: print(i, done, total)).counts
    lemma1-higher-order 0 1
    done 1 1
    {'extended': 1}

    An unknown id in ``only`` is refused before anything runs:

    >>> verify_paper(only=["thm2"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: unknown claim 'thm2' (one of: thm1-existence, lemma1-higher-order, ...)
    """
    only = arguments.claim_ids(only, "only")
    progress = arguments.optional_callable(progress, "progress")
    ids = [c.id for c in claims()]
    if only is not None:
        for i in only:
            claim(i)
        ids = [i for i in ids if i in set(only)]
    from ..environment import environment

    cache: dict = {}
    results = tuple(verify_claim(i, cache) for i in each_with_progress(ids, str, progress))
    return PaperVerification(results, environment())
