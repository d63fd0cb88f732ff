"""The status discipline on synthetic claims (issue 15 item 1): every rule, both ways."""

import itertools

import pytest

from symbolic_eos.core.vocabulary import ClaimKind, Rigor, Status
from symbolic_eos.errors import InternalError
from symbolic_eos.paper.discipline import disciplined

PROOFS = (Rigor.EXACT, Rigor.CERTIFIED)


@pytest.mark.parametrize("status", [Status.CONFIRMED, Status.EXTENDED])
@pytest.mark.parametrize("rigor", list(Rigor))
def test_a_sampled_continuum_never_confirms_a_theorem(status, rigor):
    d = disciplined(ClaimKind.THEOREM, True, status, rigor, sampled=True)
    assert d.status is Status.INCONCLUSIVE and d.rigor not in PROOFS and "samples" in d.note


@pytest.mark.parametrize("status", [Status.CONFIRMED, Status.EXTENDED])
@pytest.mark.parametrize("rigor", PROOFS)
def test_a_proof_of_the_continuum_confirms(status, rigor):
    d = disciplined(ClaimKind.THEOREM, True, status, rigor, sampled=False)
    assert (d.status, d.rigor, d.note) == (status, rigor, None)


def test_floats_never_confirm_a_theorem_even_without_a_continuum():
    d = disciplined(ClaimKind.THEOREM, False, Status.CONFIRMED, Rigor.NUMERICAL)
    assert d.status is Status.INCONCLUSIVE and "numerical" in d.note


def test_an_exact_counterexample_refutes_or_corrects():
    corrected = disciplined(ClaimKind.THEOREM, True, Status.CONFIRMED_WITH_CORRECTION, Rigor.CERTIFIED, counterexample=Rigor.EXACT)
    assert corrected.status is Status.CONFIRMED_WITH_CORRECTION and corrected.note is None
    sampled = disciplined(ClaimKind.THEOREM, True, Status.CONFIRMED_WITH_CORRECTION, Rigor.CERTIFIED, sampled=True,
                          counterexample=Rigor.EXACT)
    assert sampled.status is Status.REFUTED and sampled.rigor is Rigor.NUMERICAL and "only supported" in sampled.note
    assert disciplined(ClaimKind.THEOREM, True, Status.REFUTED, Rigor.EXACT, counterexample=Rigor.EXACT).status is Status.REFUTED


@pytest.mark.parametrize("status", [Status.REFUTED, Status.CONFIRMED_WITH_CORRECTION])
def test_a_float_counterexample_refutes_nothing(status):
    d = disciplined(ClaimKind.THEOREM, False, status, Rigor.EXACT, counterexample=Rigor.NUMERICAL)
    assert d.status is Status.INCONCLUSIVE


@pytest.mark.parametrize("status,rigor,sampled,continuum", list(itertools.product(
    [Status.CONFIRMED, Status.EXTENDED, Status.INCONCLUSIVE], list(Rigor), [False, True], [False, True])))
def test_observations_keep_their_status(status, rigor, sampled, continuum):
    d = disciplined(ClaimKind.OBSERVATION, continuum, status, rigor, sampled=sampled)
    assert d.status is status and d.note is None


def test_inconclusive_stays_inconclusive_and_words_are_accepted():
    assert disciplined("theorem", True, "inconclusive", "numerical", sampled=True).status is Status.INCONCLUSIVE
    with pytest.raises(ValueError):
        disciplined("lemma", True, "confirmed", "exact")
    with pytest.raises(InternalError):
        disciplined("theorem", True, "confirmed_with_correction", "exact")
