"""The closed sets of words symbolic-eos decides with: verdicts, flip kinds, rigor levels, claim
statuses, the paper's cases, and the smaller kinds the code branches on.

Each is an :class:`enum.StrEnum`: a member *is* its value (a ``str``), so ``json.dumps``, f-strings
and ``==`` against the JSON word see exactly the word of the JSON contract (``schema.json``); the
code compares members, never prose.

>>> import json
>>> json.dumps({"verdict": Verdict.HOLDS, "rigor": Rigor.weakest([Rigor.EXACT, "certified"])})
'{"verdict": "holds", "rigor": "certified"}'
>>> f"{Flip.SUPERCRITICAL} / {str(Status.CONFIRMED)}", Verdict.FAILS == "fails"
('supercritical / confirmed', True)
"""

from __future__ import annotations

import enum
import inspect
from typing import Iterable

__all__ = ["Word", "Verdict", "Flip", "Rigor", "Status", "PaperCase", "Evidence", "LossType", "ClosedFormStatus", "NoCycleCause",
           "CellCause", "RunOutcome", "Fate", "XYFate", "ClaimKind", "Route", "SharpnessStatus", "ProofStatus", "ProofRoute", "BasinRegion",
           "Relation", "Extent", "MapStatus"]


class Word(enum.StrEnum):
    """A word of the JSON contract: ``str()``, ``format()`` and ``repr()`` all give what the
    string gave before the enums existed, so no text, JSON, doctest or dataclass repr ever shows
    ``Verdict.HOLDS``; the type is still checked (``Verdict("hold")`` is a ValueError).

    ``Word(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> repr(Verdict.HOLDS), str(Verdict.HOLDS), f"{Verdict.HOLDS!s:>6}", type(Verdict.HOLDS).__name__
    ("'holds'", 'holds', ' holds', 'Verdict')
    """

    def __repr__(self) -> str:
        return repr(self.value)


# Calling an enum class looks a member up by its word: that is the signature the docs state
# (EnumType.__call__'s functional-API parameters do not apply to these closed sets).
Word.__signature__ = inspect.Signature([inspect.Parameter("value", inspect.Parameter.POSITIONAL_ONLY)])  # type: ignore[attr-defined]


class Verdict(Word):
    """Whether a condition ``holds``, ``fails`` or is ``undecided``; an existence row whose eps
    leaves the paper's interval empty is ``outside_range``.

    ``Verdict(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> Verdict("holds") is Verdict.HOLDS, [str(v) for v in Verdict]
    (True, ['holds', 'fails', 'undecided', 'outside_range'])
    """

    HOLDS = "holds"
    FAILS = "fails"
    UNDECIDED = "undecided"
    OUTSIDE_RANGE = "outside_range"

    @classmethod
    def of(cls, holds: bool | None) -> Verdict:
        """``holds`` for True, ``fails`` for False, ``undecided`` for None.

        >>> [str(Verdict.of(b)) for b in (True, False, None)]
        ['holds', 'fails', 'undecided']
        """
        return cls.UNDECIDED if holds is None else cls.HOLDS if holds else cls.FAILS


class Flip(Word):
    """The kind of the flip at ``eta0 = 2/f''``: a stable 2-cycle born above eta0
    (``supercritical``), an unstable one below (``subcritical``), GD drifting along a manifold of
    minimizers instead (``drift``, several variables), or ``undecided``.

    ``Flip(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> Flip("drift"), f"{Flip.SUBCRITICAL}"
    ('drift', 'subcritical')
    """

    SUPERCRITICAL = "supercritical"
    SUBCRITICAL = "subcritical"
    DRIFT = "drift"
    UNDECIDED = "undecided"


class Rigor(Word):
    """What a fact rests on, strongest first: ``exact`` (proved symbolically), ``certified``
    (ball arithmetic), ``numerical`` (floating point, simulations, a finite grid standing for a
    continuum), ``none`` (nothing established).  An object's rigor is the weakest of its facts'.

    ``Rigor(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> Rigor.weakest(["exact", None]), Rigor.weakest([]), Rigor.CERTIFIED.weaker_than(Rigor.EXACT)
    ('none', 'none', True)
    """

    EXACT = "exact"
    CERTIFIED = "certified"
    NUMERICAL = "numerical"
    NONE = "none"

    @property
    def rank(self) -> int:
        """0 for ``exact`` up to 3 for ``none``: a larger rank is a weaker fact.

        >>> [r.rank for r in Rigor]
        [0, 1, 2, 3]
        """
        return _RIGOR_RANK[self]

    def weaker_than(self, other: str) -> bool:
        """Whether this level is strictly weaker than ``other`` (a Rigor or its word).

        >>> Rigor.NUMERICAL.weaker_than("certified"), Rigor.EXACT.weaker_than(Rigor.EXACT)
        (True, False)
        """
        return self.rank > Rigor(other).rank

    @classmethod
    def weakest(cls, rigors: Iterable[str | None]) -> Rigor:
        """The weakest of ``rigors``; ``None`` (an undecided quantity) counts as ``none``, and
        so does an empty list.  A word outside the vocabulary is refused (ValueError).

        >>> Rigor.weakest(["exact", "certified"]), Rigor.weakest([Rigor.NUMERICAL, "exact"])
        ('certified', 'numerical')
        """
        ranked = [cls.NONE if r is None else cls(r) for r in rigors]
        return max(ranked, key=_RIGOR_RANK.__getitem__) if ranked else cls.NONE


_RIGOR_RANK = {r: i for i, r in enumerate(Rigor)}


class Status(Word):
    """A paper claim's status after verification (the README's status table).

    ``Status(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> [str(s) for s in Status]
    ['confirmed', 'refuted', 'confirmed_with_correction', 'extended', 'inconclusive']
    """

    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    CONFIRMED_WITH_CORRECTION = "confirmed_with_correction"
    EXTENDED = "extended"
    INCONCLUSIVE = "inconclusive"


class PaperCase(Word):
    """The paper's 1-D case by the order ``k`` of the first non-zero derivative above the
    second: ``k3`` (k = 3), ``k_odd`` (odd k >= 5), ``k_even`` (even k >= 4).

    ``PaperCase(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> PaperCase("k_even"), f"{PaperCase.K3}"
    ('k_even', 'k3')
    """

    K3 = "k3"
    K_ODD = "k_odd"
    K_EVEN = "k_even"


class Evidence(Word):
    """How one basin start was classified: ``exact`` arithmetic, ``certified`` balls, or
    ``numeric`` midpoints (the basin JSON's word for :attr:`Rigor.NUMERICAL`).

    ``Evidence(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> Evidence.NUMERIC.rigor, Evidence.of(Rigor.CERTIFIED)
    ('numerical', 'certified')
    """

    EXACT = "exact"
    CERTIFIED = "certified"
    NUMERIC = "numeric"

    @property
    def rigor(self) -> Rigor:
        """The rigor level this evidence word stands for."""
        return Rigor.NUMERICAL if self is Evidence.NUMERIC else Rigor(self.value)

    @classmethod
    def of(cls, rigor: Rigor) -> Evidence:
        """The evidence word of a rigor level (``none`` has none: ValueError)."""
        return cls.NUMERIC if rigor is Rigor.NUMERICAL else cls(rigor.value)


class LossType(Word):
    """How a 2-cycle branch loses stability: a ``period_doubling`` (multiplier -1), a ``fold``
    (multiplier +1, the branch turns) or a symmetry-breaking ``pitchfork`` (multiplier +1 on a
    symmetric cycle that goes on); ``superstable`` marks the multiplier-0 event on the way.

    ``LossType(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> LossType("fold"), f"{LossType.PERIOD_DOUBLING}"
    ('fold', 'period_doubling')
    """

    SUPERSTABLE = "superstable"
    PERIOD_DOUBLING = "period_doubling"
    FOLD = "fold"
    PITCHFORK = "pitchfork"


class ClosedFormStatus(Word):
    """A closed form for a certified number: ``proved`` (exact), ``consistent`` with its ball
    (numerical), or ``unknown``.

    ``ClosedFormStatus(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> ClosedFormStatus("consistent") is ClosedFormStatus.CONSISTENT
    True
    """

    PROVED = "proved"
    CONSISTENT = "consistent"
    UNKNOWN = "unknown"


class NoCycleCause(Word):
    """Why no 2-cycle is reported at a minimum: ``no_branch`` (the flip verdict puts the branch on
    the other side of eta0: a fact, as rigorous as the verdict) or a failure that establishes
    nothing: ``undecided`` flip, ``at_eta0`` (eta not told apart from eta0), ``not_followed``
    (continuation failed), ``no_convergence`` (Newton failed).

    ``NoCycleCause(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> NoCycleCause.NO_BRANCH.establishes, NoCycleCause.NOT_FOLLOWED.establishes
    (True, False)
    """

    NO_BRANCH = "no_branch"
    UNDECIDED = "undecided"
    AT_ETA0 = "at_eta0"
    NOT_FOLLOWED = "not_followed"
    NO_CONVERGENCE = "no_convergence"

    @property
    def establishes(self) -> bool:
        """Whether "no 2-cycle here" is itself a fact (resting on the flip verdict)."""
        return self is NoCycleCause.NO_BRANCH


class CellCause(Word):
    """Why a base-model certificate's sub-interval is what it is, beside the prose reason:
    ``degenerate`` (a proved zero of g'), ``condition_zero`` (a proved zero of the condition),
    ``equality`` (the condition is 0 on all of it), or the lack of a certificate at the depth
    reached (``g1_uncertified``, ``q_uncertified``, ``not_evaluated``, ``budget``).  A cell of a
    parameter map is undecided when its condition or one of its requirements still takes both
    signs at the depth reached (``condition_straddles``, ``requirement_straddles``), when the
    condition is exactly 0 on all of it (``equality``: higher order decides), or for lack of an
    evaluation (``not_evaluated``) or of budget (``budget``).

    ``CellCause(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> sorted({CellCause.DEGENERATE, CellCause.EQUALITY})
    ['degenerate', 'equality']
    """

    DEGENERATE = "degenerate"
    CONDITION_ZERO = "condition_zero"
    EQUALITY = "equality"
    G1_UNCERTIFIED = "g1_uncertified"
    Q_UNCERTIFIED = "q_uncertified"
    NOT_EVALUATED = "not_evaluated"
    BUDGET = "budget"
    CONDITION_STRADDLES = "condition_straddles"
    REQUIREMENT_STRADDLES = "requirement_straddles"


class MapStatus(Word):
    """The status of one cell of a parameter map (a box of parameters): the condition ``holds``
    (certified > 0) or ``fails`` (certified < 0) on all of it while every requirement is certified
    > 0; the setting does not apply on all of it (``excluded``: some requirement is certified <= 0);
    or ``undecided``.

    ``MapStatus(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> [str(s) for s in MapStatus], MapStatus("excluded") is MapStatus.EXCLUDED
    (['holds', 'fails', 'undecided', 'excluded'], True)
    """

    HOLDS = "holds"
    FAILS = "fails"
    UNDECIDED = "undecided"
    EXCLUDED = "excluded"


class RunOutcome(Word):
    """Where one matrix-factorization GD run ended, as the report prints it.

    ``RunOutcome(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> RunOutcome.CONFINED.startswith("oscillation")
    True
    """

    CONFINED = "oscillation confined to u u^T with the quartic's delta"
    MINIMUM = "converged to a minimum"
    DIVERGED = "diverged"
    OTHER = "other"


class Fate(Word):
    """Where the orbit of one start went in a basin check: onto the target ``cycle``, onto the
    ``minimum``, ``diverged`` past the escape bound, or ``other`` (another attractor, a fixed
    point that is not the minimum, or no decision within the step budget).

    ``Fate(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> [str(f) for f in Fate], Fate("cycle") is Fate.CYCLE
    (['cycle', 'minimum', 'diverged', 'other'], True)
    """

    CYCLE = "cycle"
    MINIMUM = "minimum"
    DIVERGED = "diverged"
    OTHER = "other"


class XYFate(Word):
    """Where GD on ``(x y - 1)^2 / 2`` went from one start: ``balanced`` onto the quartic's
    2-cycle on the diagonal, onto a ``minimum`` (the hyperbola ``x y = 1``), ``diverged``, onto the
    ``mirror 2-cycle`` ``x = y = -delta_i``, or ``other``.

    ``XYFate(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> XYFate("mirror 2-cycle") is XYFate.MIRROR, XYFate.BALANCED == "balanced"
    (True, True)
    """

    BALANCED = "balanced"
    MINIMUM = "minimum"
    DIVERGED = "diverged"
    MIRROR = "mirror 2-cycle"
    OTHER = "other"


class ClaimKind(Word):
    """What a catalog claim is: a ``theorem`` (the paper proves it; we accept nothing weaker than
    a proof for it) or an ``observation`` (the paper reports an experiment; experiments may
    support it).

    ``ClaimKind(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> ClaimKind("theorem") is ClaimKind.THEOREM, [str(k) for k in ClaimKind]
    (True, ['theorem', 'observation'])
    """

    THEOREM = "theorem"
    OBSERVATION = "observation"


class Route(Word):
    """How the multivariate check computes the Hessian's eigen-structure: ``exact`` (sympy),
    ``certified`` (ball enclosures), or ``auto`` (the caller's choice: exact for rational and small
    Hessians, else certified; a result's route is never ``auto``).

    ``Route(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> Route("certified") is Route.CERTIFIED, [str(r) for r in Route]
    (True, ['auto', 'exact', 'certified'])
    """

    AUTO = "auto"
    EXACT = "exact"
    CERTIFIED = "certified"


class SharpnessStatus(Word):
    """Whether the sharpness gradient along ``ker H``, ``P_ker D^3 f[v, v, .]``, is proved
    ``nonzero`` (the flip coefficient does not apply), proved ``zero`` (it applies) or ``undecided``.

    ``SharpnessStatus(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> SharpnessStatus("zero") is SharpnessStatus.ZERO, f"{SharpnessStatus.NONZERO}"
    (True, 'nonzero')
    """

    NONZERO = "nonzero"
    ZERO = "zero"
    UNDECIDED = "undecided"


class ProofStatus(Word):
    """The outcome of a computer-assisted proof over a continuum: ``proved`` (every lemma exact or
    certified over a cover of boxes) or ``refused`` (a lemma could not be certified: the proof
    says which and why; nothing is claimed).

    ``ProofStatus(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> ProofStatus("refused") is ProofStatus.REFUSED, f"{ProofStatus.PROVED}"
    (True, 'proved')
    """

    PROVED = "proved"
    REFUSED = "refused"


class ProofRoute(Word):
    """How the quartic basin theorem is proved on one eta-box: ``monotone`` (``F^2`` increasing on
    one interval holding the 2-cycle and the minimum, no cells) or ``trapping`` (a contracting
    trapping neighbourhood of the 2-cycle, an expanding one of the minimum, and a cover by cells).

    ``ProofRoute(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> [str(r) for r in ProofRoute]
    ['monotone', 'trapping']
    """

    MONOTONE = "monotone"
    TRAPPING = "trapping"


class BasinRegion(Word):
    """Where a learning rate of the quartic's basin check lies: inside the ``paper``'s range
    ``(1, 1.121)``, ``between`` 1.121 and the loss of stability, ``beyond`` it, ``outside`` (not
    above ``eta0 = 1``), or ``undecided`` (too close to a threshold to tell).

    ``BasinRegion(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> BasinRegion("paper") is BasinRegion.PAPER, BasinRegion.BEYOND == "beyond"
    (True, True)
    """

    PAPER = "paper"
    BETWEEN = "between"
    BEYOND = "beyond"
    OUTSIDE = "outside"
    UNDECIDED = "undecided"


class Relation(Word):
    """How a family's condition compares its expression with 0: ``expression > 0`` (``gt``),
    ``< 0`` (``lt``), ``= 0`` (``eq``) or ``!= 0`` (``ne``); :attr:`symbol` is how it is printed.

    ``Relation(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> Relation.GT.symbol, Relation("ne").symbol, Relation.LT.holds_for(-1), Relation.EQ.holds_for(0)
    ('>', '!=', True, True)
    """

    GT = "gt"
    LT = "lt"
    EQ = "eq"
    NE = "ne"

    @property
    def symbol(self) -> str:
        return {"gt": ">", "lt": "<", "eq": "=", "ne": "!="}[self.value]

    def holds_for(self, sign: int) -> bool:
        """Whether a value of sign ``sign`` (-1, 0 or 1) satisfies ``value <relation> 0``."""
        return {"gt": sign > 0, "lt": sign < 0, "eq": sign == 0, "ne": sign != 0}[self.value]


class Extent(Word):
    """Where in the parameter space a family's condition holds: ``always`` (proved for every
    parameter value, or every one outside a stated zero set), ``never`` (proved nowhere),
    ``depends`` (on a proper part: the solution says where) or ``unknown`` (not settled).

    ``Extent(value)`` is the member whose word is ``value`` (ValueError for any other word).

    >>> [str(e) for e in Extent]
    ['always', 'never', 'depends', 'unknown']
    """

    ALWAYS = "always"
    NEVER = "never"
    DEPENDS = "depends"
    UNKNOWN = "unknown"
