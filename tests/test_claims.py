"""The claims catalog, its validation, and the statuses of the claims that run in seconds."""

import json
import shutil

import pytest
import sympy as sp

from symbolic_eos.analysis.base_models import catalog_dir
from symbolic_eos.paper.claims import CLAIM_IDS, STATUSES, ClaimResult, claim, claims, l2_identity, verify_claim, verify_paper
from symbolic_eos.cli import main
from symbolic_eos.errors import InputError

ISSUE_IDS = {"thm1-existence", "lemma1-higher-order", "lemma2-l2", "composition-rule", "quartic-orbit", "xy-balancing",
             "neuron-sharpness", "neuron-convergence", "mf-cross-section", "mf-oscillation", "base-model-examples",
             "mlp-obs1", "mlp-obs2",
             # issue 15: the balancing results and the neuron's reduction, proved exactly
             "balancing-theorems", "neuron-reduction"}


def test_catalog_has_exactly_the_papers_claims():
    loaded = claims()
    assert {c.id for c in loaded} == ISSUE_IDS == set(CLAIM_IDS)
    for c in loaded:
        assert c.statement and c.paper.startswith("Poster") and c.method
        assert all(cmd.startswith("symbolic-eos ") for cmd in c.reproduce)


def _catalog_with(tmp_path, monkeypatch, text: str):
    for f in catalog_dir().glob("*.toml"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "claims.toml").write_text(text)
    monkeypatch.setenv("SYMBOLIC_EOS_CATALOG", str(tmp_path))


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t.replace('id = "lemma2-l2"', 'id = "lemma3"'), "missing lemma2-l2"),
    (lambda t: t.replace('id = "lemma2-l2"', 'id = "lemma1-higher-order"'), "duplicate"),
    (lambda t: t.replace('title = "The composition rule"', 'title = ""'), "'title' must be a non-empty string"),
    (lambda t: t.replace('reproduce = ["symbolic-eos neuron"]', 'reproduce = ["rm -rf /"]', 1), "'reproduce'"),
    (lambda t: t + "\n[[claim]\n", "not valid TOML"),
    (lambda t: t.replace('paper = "Poster III, \'Flattest minima\'"', 'paper = "x"\ncolour = "red"'), "unknown field"),
])
def test_bad_catalogs_are_one_clear_error(tmp_path, monkeypatch, mutate, message):
    _catalog_with(tmp_path, monkeypatch, mutate((catalog_dir() / "claims.toml").read_text()))
    with pytest.raises(InputError, match=message):
        claims()


def test_unknown_claim_id_lists_the_known_ones():
    with pytest.raises(InputError, match="one of: thm1-existence"):
        claim("lemma9")
    with pytest.raises(InputError):
        verify_paper(only=["lemma9"])


def test_status_and_rigor_are_checked():
    with pytest.raises(ValueError):
        ClaimResult(claim("lemma2-l2"), "probably", "x", "exact")
    with pytest.raises(ValueError):
        ClaimResult(claim("lemma2-l2"), "confirmed", "x", "float")


def test_l2_identity_against_a_worked_example():
    assert l2_identity()[1]
    # Independently, for g = exp and y = 2 at xb = log 2 (g' = g'' = g''' = 2):
    x = sp.Symbol("x")
    f = (sp.exp(x) - 2) ** 2
    d = [sp.simplify(sp.diff(f, x, k).subs(x, sp.log(2))) for k in range(5)]
    assert (d[2], d[3], d[4]) == (8, 24, 56)
    assert 3 * d[3] ** 2 - d[2] * d[4] == 1280 == 16 * 2**2 * (6 * 2**2 - 2 * 2)


@pytest.mark.parametrize("claim_id, status, rigor", [
    ("thm1-existence", "confirmed", "certified"),          # proved for every eps in (0, eps_max]; a certified failure at 2/5
    ("balancing-theorems", "confirmed", "exact"),
    ("neuron-reduction", "confirmed", "exact"),
    ("lemma1-higher-order", "extended", "exact"),          # x^2/2 + x^5: paper fails, flip supercritical at order 7
    ("lemma2-l2", "confirmed", "certified"),
    ("composition-rule", "confirmed_with_correction", "certified"),
    ("mf-cross-section", "confirmed_with_correction", "exact"),
])
def test_fast_claims_reach_their_status(claim_id, status, rigor):
    r = verify_claim(claim_id)
    assert (r.status, r.rigor) == (status, rigor), r.summary
    assert r.summary and r.evidence


def test_composition_claim_names_the_counterexamples():
    r = verify_claim("composition-rule")
    text = " ".join(v for _, v in r.evidence) + r.summary
    assert "atan(x) o log(x) at 1/3" in r.summary
    assert "1.48488" in text  # T[atan o log](1/3), certified elsewhere (test_composition)


def test_lemma1_finding_is_the_order_seven_flip():
    r = verify_claim("lemma1-higher-order")
    assert "x**2/2 + x**5" in r.summary and "order 7" in r.summary
    assert "-400" in r.finding


def test_verify_paper_json_contract(capsys):
    assert main(["verify-paper", "--only", "lemma2-l2,lemma1-higher-order", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in out["claims"]] == ["lemma1-higher-order", "lemma2-l2"]  # catalog order
    for c in out["claims"]:
        assert {"id", "status", "summary", "rigor"} <= set(c)
        assert c["status"] in STATUSES


def test_verify_paper_bad_id_is_exit_2(capsys):
    assert main(["verify-paper", "--only", "nonsense"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown claim 'nonsense'" in err


class _FakeCertificate:
    def __init__(self, name, agrees, poster=True):
        self.name, self.expression, self.poster, self.agrees_with_poster = name, f"{name}(x)", poster, agrees
        self.summary, self.range, self.intervals = f"{name}: {agrees}", ("-10", "10"), ()
        self.global_proof = None  # no exact global proof: the intervals decide


@pytest.mark.parametrize("agreements, status", [
    ((True, True), "confirmed"),
    ((True, None), "inconclusive"),   # an undecided piece that no zero of g' explains
    ((False, True), "refuted"),       # a certified failure for a poster model
])
def test_base_model_claim_needs_every_poster_model_settled(monkeypatch, agreements, status):
    import symbolic_eos.analysis.certificates as certificates

    fakes = tuple(_FakeCertificate(f"m{i}", a) for i, a in enumerate(agreements)) + (_FakeCertificate("other", None, False),)
    monkeypatch.setattr(certificates, "certify_base_models", lambda: fakes)
    assert verify_claim("base-model-examples").status == status


def test_composition_search_without_violations_proves_nothing(monkeypatch):
    import symbolic_eos.analysis.composition as composition

    empty = composition.CounterexampleSearch(tried=10, budget=10, exhausted=True, counterexamples=())
    monkeypatch.setattr(composition, "find_counterexamples", lambda budget: empty)
    r = verify_claim("composition-rule")
    assert r.status == "inconclusive" and "proves nothing" in r.summary


# ---------------------------------------------------------------------------------------------
# The existence theorem where its interval is empty.


def test_existence_reports_an_empty_interval_as_outside_the_theorems_range():
    """Quartic at xb = 1: f'' = 2, f''' = 6 (by hand), so f'' - eps f''' = 2 - 6 eps <= 0 for
    eps >= 1/3: the stated interval (1, 2/(2 - 6 eps)) is empty there, which is not "holds"."""
    from fractions import Fraction

    from symbolic_eos.api import existence

    f2, f3 = 2, 6
    r = existence("(x**2-1)**2/4", at="1")
    assert r.rows[0].verdict == "holds"
    for row in r.rows:
        empty = f2 - row.eps * f3 <= 0
        assert (row.verdict == "outside_range") == empty, row
        if empty:
            assert row.in_range is False and row.upper is None and row.verdict != "holds"
            d = row.to_dict()
            assert d["interval"][1] is None and d["in_range"] is False and d["verdict"] == "outside_range"
    assert r.largest_holding_eps == Fraction(3, 10)           # 2/5 is the first tested eps past 1/3
    assert r.first_outside.eps == Fraction(2, 5) and r.to_dict()["first_outside_range_eps"] == "2/5"
    assert "outside the theorem's range" in r.message and "inf" not in r.to_text()


def test_existence_claim_counts_empty_intervals_as_neither_holding_nor_failing():
    r = verify_claim("thm1-existence")
    # The proof for every eps in (0, eps_max] makes it certified; the grid beyond measures the reach.
    assert (r.status, r.rigor) == ("confirmed", "certified")
    assert dict(r.evidence)["proof for every eps, f = (x**2-1)**2/4"].startswith("proved for every eps in (0, ")
    assert "outside the theorem's range" in r.summary and "2/5 for (x**2-1)**2/4" in r.summary
    quartic = dict(r.evidence)["f = (x**2-1)**2/4 at x = 1"]
    assert quartic.startswith("every tested |eps| up to 3/10;")


def test_existence_claim_is_inconclusive_when_even_the_smallest_eps_is_out_of_range(monkeypatch):
    import symbolic_eos.dynamics.existence as existence_module

    real = existence_module.existence_expr

    def only_large_eps(expr, var, at=None, **kw):
        from fractions import Fraction

        kw["eps_values"] = [Fraction(1, 2), Fraction(3, 5)]
        return real(expr, var, at, **kw)

    monkeypatch.setattr(existence_module, "existence_expr", only_large_eps)
    r = verify_claim("thm1-existence")
    assert r.status == "inconclusive" and "outside the theorem's range" in r.summary


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t.replace("budget = 2000", "budget = \"abc\""), r"parameter 'budget': expected an integer in \[1, 100000\], got str 'abc'"),
    (lambda t: t.replace("budget = 2000", "budget = true"), "parameter 'budget': expected an integer in .*, got bool True"),
    (lambda t: t.replace("starts = 200", "starts = 1000000000"), r"parameter 'starts': expected an integer in \[1, 5000\], got 1000000000"),
    (lambda t: t.replace('losses = [["(x**2-1)**2/4", "1"]', 'losses = 5 #', 1), "parameter 'losses' must be a list"),
    (lambda t: t.replace('losses = [["(x**2-1)**2/4", "1"]', 'losses = [["(x**2-1)**2/4"]', 1), "list of 2 strings"),
    (lambda t: t.replace('losses = [["(x**2-1)**2/4", "1"]', 'losses = [["__import__(x)", "1"]', 1), "unknown name"),
    (lambda t: t.replace('config = "small"', 'config = "huge"', 1), "parameter 'config': expected one of 'tiny', 'small', 'paper', got"),
    (lambda t: t.replace('config = "small"', 'model = 5', 1), "unknown parameter.*model.*takes: config, seed"),
])
def test_catalog_values_are_checked_like_arguments(tmp_path, monkeypatch, mutate, message):
    text = (catalog_dir() / "claims.toml").read_text()
    changed = mutate(text)
    assert changed != text  # the mutation must hit the catalog, or this test checks nothing
    _catalog_with(tmp_path, monkeypatch, changed)
    with pytest.raises(InputError, match=message):
        claims()


def test_unreadable_catalog_files_are_one_clear_error(tmp_path, monkeypatch):
    for f in catalog_dir().glob("*.toml"):
        shutil.copy(f, tmp_path / f.name)
    monkeypatch.setenv("SYMBOLIC_EOS_CATALOG", str(tmp_path))
    (tmp_path / "claims.toml").write_bytes(b'# \xff\xfe not utf-8\n')
    with pytest.raises(InputError, match="not UTF-8"):
        claims()
    (tmp_path / "claims.toml").unlink()
    (tmp_path / "claims.toml").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        claims()


@pytest.mark.parametrize("name", ["../../escaped-rel", "/tmp/abs", "Tanh", "a b", "", "x" * 41, "a/b"])
def test_base_model_names_must_be_slugs(tmp_path, monkeypatch, name):
    """A model's name becomes ``models/<name>.md`` in a report: a path in it would write outside."""
    from symbolic_eos.analysis.base_models import base_models

    for f in catalog_dir().glob("*.toml"):
        shutil.copy(f, tmp_path / f.name)
    text = (tmp_path / "base_models.toml").read_text()
    (tmp_path / "base_models.toml").write_text(text.replace('name = "sin"', f"name = {name!r}".replace("'", '"'), 1))
    monkeypatch.setenv("SYMBOLIC_EOS_CATALOG", str(tmp_path))
    base_models.cache_clear()
    try:
        with pytest.raises(InputError, match="must be a slug"):
            base_models()
    finally:
        base_models.cache_clear()


def test_the_catalog_marks_theorems_and_observations():
    # The poster calls the matrix-factorisation and MLP results observations; the rest are theorems.
    kinds = {c.id: c.kind for c in claims()}
    assert {i for i, k in kinds.items() if k == "observation"} == {"mf-oscillation", "mlp-obs1", "mlp-obs2"}
    assert claim("quartic-orbit").continuum and claim("neuron-convergence").continuum and not claim("lemma2-l2").continuum


def test_a_sampled_theorem_is_inconclusive_and_says_why():
    # neuron-convergence rests on float runs: the discipline lowers "confirmed" and shows the reason.
    r = verify_claim("neuron-convergence")
    assert (r.status, r.rigor) == ("inconclusive", "numerical")
    assert any(q == "status discipline" and "proposed confirmed" in v for q, v in r.evidence)
    assert "sqrt(K - 1)" in r.summary
