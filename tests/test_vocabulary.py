"""The typed vocabulary (``symbolic_eos.core.vocabulary``): the enums hold exactly the words of the
JSON contract, ``Rigor.weakest`` is the weakest-fact rule, results carry members (not bare
strings), no control flow reads prose, failures are exceptions, and the text and JSON output is
byte-identical to what the bare strings printed (``golden_vocabulary.json``, recorded from the
code before the enums)."""

from __future__ import annotations

import contextlib
import io
import json
import re
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from symbolic_eos import check
from symbolic_eos.cli import main
from symbolic_eos.core.decide import RIGORS, weakest_rigor
from symbolic_eos.core.vocabulary import (CellCause, ClosedFormStatus, Evidence, Flip, LossType, NoCycleCause, PaperCase, Rigor, Route,
                                     SharpnessStatus, Status, Verdict, Word)

SCHEMA = json.loads(resources.files("symbolic_eos").joinpath("schema.json").read_text(encoding="utf-8"))
GOLDEN = json.loads((Path(__file__).parent / "golden_vocabulary.json").read_text(encoding="utf-8"))
ENUMS = (Verdict, Flip, Rigor, Status, PaperCase, Evidence, LossType, ClosedFormStatus, NoCycleCause, CellCause, Route, SharpnessStatus)
#: What an enum member's name or repr would look like if it leaked into output.
LEAK = re.compile(r"\b(" + "|".join(e.__name__ for e in ENUMS) + r")\.[A-Z_]+|<(" + "|".join(e.__name__ for e in ENUMS) + r")\.")


def _schema_enums(value, path=""):
    """Every (path, enum list) in the schema."""
    if isinstance(value, dict):
        if "enum" in value:
            yield path, value["enum"]
        for k, v in value.items():
            yield from _schema_enums(v, f"{path}/{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _schema_enums(v, f"{path}/{i}")


def _words(path: str) -> set:
    found = [set(e) - {None} for p, e in _schema_enums(SCHEMA) if p.endswith(path)]
    assert found, path
    return set().union(*found)


def test_the_enums_hold_the_json_contract_words():
    assert [str(r) for r in Rigor] == SCHEMA["$defs"]["rigor"]["enum"]  # strongest first, as the schema lists them
    assert _words("/quantity_rigor") == {str(r) for r in Rigor} | {"undecided"}
    assert _words("/paper_verdict") | _words("/l2_verdict") | _words("/rows/items/properties/verdict") == {str(v) for v in Verdict}
    assert _words("/flip_verdict") == {str(f) for f in Flip}
    assert _words("/paper_case") == {str(c) for c in PaperCase}
    assert _words("/claims/items/properties/status") == {str(s) for s in Status}
    assert _words("/loss_type") == {LossType.PERIOD_DOUBLING, LossType.FOLD, LossType.PITCHFORK}
    assert _words("/closed_forms/additionalProperties/properties/status") == {str(s) for s in ClosedFormStatus}
    assert RIGORS == tuple(Rigor) == ("exact", "certified", "numerical", "none")


@pytest.mark.parametrize("enum", ENUMS)
def test_a_member_prints_as_its_word(enum):
    for member in enum:
        assert isinstance(member, Word) and isinstance(member, str)
        assert str(member) == f"{member}" == member.value and repr(member) == repr(member.value)
        assert json.dumps({member: [member]}) == json.dumps({member.value: [member.value]})
        assert enum(member.value) is member and hash(member) == hash(member.value)
    with pytest.raises(ValueError):
        enum("no such word")


_RIGOR_WORDS = st.sampled_from(["exact", "certified", "numerical", "none", None])


@given(st.lists(_RIGOR_WORDS, max_size=8))
def test_weakest_is_the_weakest_fact(rigors):
    # Independent rule: the first word of the list, read weakest first, that occurs (None is none).
    present = {"none" if r is None else r for r in rigors}
    expected = next((w for w in ("none", "numerical", "certified", "exact") if w in present), "none")
    assert Rigor.weakest(rigors) == weakest_rigor(rigors) == expected
    assert isinstance(Rigor.weakest(rigors), Rigor)
    for r in rigors:
        assert not Rigor(r or "none").weaker_than(Rigor.weakest(rigors))


@given(_RIGOR_WORDS.filter(lambda r: r is not None), _RIGOR_WORDS.filter(lambda r: r is not None))
def test_weaker_than_is_the_order_of_the_vocabulary(a, b):
    assert Rigor(a).weaker_than(b) == (RIGORS.index(a) > RIGORS.index(b))
    assert Rigor(a).weaker_than(b) == (Rigor.weakest([a, b]) == a != b)


def test_evidence_is_the_basin_word_for_a_rigor_level():
    assert [e.rigor for e in Evidence] == [Rigor.EXACT, Rigor.CERTIFIED, Rigor.NUMERICAL]
    assert all(Evidence.of(e.rigor) is e for e in Evidence)
    with pytest.raises(ValueError):
        Evidence.of(Rigor.NONE)


def test_results_hold_members_not_bare_strings():
    r = check("(x**2 - 1)**2/4", at="1")
    assert r.paper.verdict is Verdict.HOLDS and r.paper.case is PaperCase.K3
    assert r.flip.verdict is Flip.SUPERCRITICAL and r.rigor is Rigor.EXACT
    quadratic = check("x**2", at="0")  # no derivative above the second: the paper's conditions fail
    assert quadratic.paper.verdict is Verdict.FAILS and quadratic.flip.verdict is Flip.UNDECIDED


def test_multivariate_results_hold_members_not_bare_strings():
    from symbolic_eos import check_multivariate

    r = check_multivariate("(x*y - 1)**2/2", "x,y", "2,1/2", simulate=False)
    assert r.route is Route.EXACT and r.sharpness_gradient.status is SharpnessStatus.NONZERO and r.flip_verdict is Flip.DRIFT
    d = json.loads(json.dumps(r.to_dict()))
    assert d["route"] == "exact" and d["sharpness_gradient"]["status"] == "nonzero"
    c = check_multivariate("(x*y - 1)**2/2", "x,y", "1,1", simulate=False, route="certified")
    assert c.route is Route.CERTIFIED and c.sharpness_gradient.status is SharpnessStatus.ZERO and c.to_dict()["route"] == "certified"

def test_the_quadratic_verdict_does_not_read_its_reason(monkeypatch):
    # The verdict of a loss with no k comes with the reason, typed: rewording the reason keeps it.
    from symbolic_eos.analysis import criteria

    original = criteria._order_k

    def reworded(expansion):
        k, found, reason, verdict = original(expansion)
        return k, found, reason.upper(), verdict

    monkeypatch.setattr(criteria, "_order_k", reworded)
    assert criteria.paper_criterion(_expansion("x**2")).verdict is Verdict.FAILS


def _expansion(text: str):
    from symbolic_eos.analysis.criteria import expansion_order
    from symbolic_eos.core.decide import Expansion
    from symbolic_eos.core.jets import Point
    from symbolic_eos.core.parse import parse_expression, parse_variable_name

    return Expansion(parse_expression(text), parse_variable_name("x"), Point.rational(0), expansion_order())


def test_no_cycle_is_an_exception_with_a_cause():
    from symbolic_eos.dynamics.orbits import GradientMap, NoCycle, two_cycle
    from symbolic_eos.dynamics.reports import curvature_ball
    from symbolic_eos.core.parse import parse_constant, parse_expression, parse_variable_name
    from symbolic_eos.paper.quartic import certified_cycle

    text = "x**2/2 - x**3/3 + x**4"  # subcritical at 0: no 2-cycle above eta0 = 2
    c = check(text, at="0")
    gd = GradientMap(parse_expression(text), parse_variable_name("x"))
    with pytest.raises(NoCycle) as caught:
        two_cycle(gd, c.point, curvature_ball(c.curvature, 128), c.flip, "21/10", parse_constant("21/10"), 20)
    assert caught.value.cause is NoCycleCause.NO_BRANCH and str(caught.value).startswith("no 2-cycle is born")
    with pytest.raises(NoCycle) as caught:
        certified_cycle("9/10", 20)  # below eta0 = 1: the supercritical branch lives above
    assert caught.value.cause is NoCycleCause.NO_BRANCH
    assert certified_cycle("11/10", 20).certified


def test_an_orbit_rigor_rests_on_the_cause_not_on_the_wording():
    import dataclasses

    from symbolic_eos.api import orbit

    (at,) = orbit("x**2/2 - x**3/3 + x**4", "21/10", at="0").results
    assert at.cause is NoCycleCause.NO_BRANCH and at.rigor is Rigor.EXACT
    assert dataclasses.replace(at, message="(reworded)").rigor is Rigor.EXACT
    assert dataclasses.replace(at, cause=NoCycleCause.NOT_FOLLOWED).rigor is Rigor.NONE


def test_certificate_causes_decide_not_the_reason_text():
    import dataclasses

    from symbolic_eos.analysis.certificates import certify_base_model

    c = certify_base_model("cube", lo="-1", hi="1", max_depth=8)
    (undecided,) = c.of_status(Verdict.UNDECIDED)
    assert c.poster and undecided.causes == (CellCause.DEGENERATE,) and c.agrees_with_poster is True
    reworded = dataclasses.replace(c, intervals=tuple(i._replace(reason=i.reason.upper()) for i in c.intervals))
    assert reworded.agrees_with_poster is True and reworded.summary == c.summary
    assert "g', where the L2 setting degenerates" in c.summary
    uncaused = dataclasses.replace(c, intervals=tuple(i._replace(causes=()) for i in c.intervals))
    assert uncaused.agrees_with_poster is None and "g', where the L2 setting degenerates" not in uncaused.summary


def test_mf_runs_are_counted_by_outcome():
    from symbolic_eos.paper.matrix_factorization import simulate_mf
    from symbolic_eos.core.vocabulary import RunOutcome

    assert simulate_mf(2, 1.1, 0.5, 0, 3000).outcome is RunOutcome.CONFINED


def _run(args: list[str]) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    assert code == 0, err.getvalue()
    return out.getvalue()


@pytest.mark.parametrize("row", GOLDEN, ids=[" ".join(r["args"][:2]) for r in GOLDEN])
def test_text_and_json_output_are_unchanged(row):
    text, data = _run(row["args"]), _run(row["args"] + ["--json"])
    assert text == row["text"]
    # The JSON contract: fields may be added, none renamed or changed (issue 15 added the
    # existence proof's "proof" and "proof_note").
    old, new = json.loads(row["json"]), json.loads(data)
    assert _contains(new, old), data
    assert not LEAK.search(text) and not LEAK.search(data)


def _contains(new, old) -> bool:
    """``new`` holds every field of ``old`` with the same value (recursively; lists element-wise)."""
    if isinstance(old, dict):
        return isinstance(new, dict) and all(k in new and _contains(new[k], v) for k, v in old.items())
    if isinstance(old, list):
        return isinstance(new, list) and len(new) == len(old) and all(_contains(n, o) for n, o in zip(new, old, strict=True))
    return new == old


def test_no_enum_name_leaks_into_verify_paper_output():
    only = ["lemma1-higher-order", "lemma2-l2", "mf-oscillation"]
    for extra in ([], ["--json"]):
        printed = _run(["verify-paper", "--only", ",".join(only), *extra])
        assert not LEAK.search(printed), LEAK.search(printed)
        assert "lemma2-l2" in printed
    from symbolic_eos.paper.claims import verify_paper

    v = verify_paper(only=only)
    assert all(isinstance(r.status, Status) and isinstance(r.rigor, Rigor) for r in v.results)
    assert not LEAK.search(v.to_markdown() + v.to_text() + repr(v.to_dict()))
