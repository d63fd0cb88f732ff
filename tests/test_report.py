"""Markdown reports: the paper's (committed, regenerated deterministically) and a user's check."""

import re
from pathlib import Path

import pytest

from symbolic_eos.paper.claims import verify_paper
from symbolic_eos.cli import main
from symbolic_eos.paper.environment import ENVIRONMENT_FIELDS, environment_markdown
from symbolic_eos.render.report import write_report
from symbolic_eos.analysis.results import markdown_text

REPORTS = Path(__file__).resolve().parents[1] / "reports"

EXPECTED_STATUSES = {
    "thm1-existence": ("confirmed", "certified"),
    "lemma1-higher-order": ("extended", "exact"),
    "lemma2-l2": ("confirmed", "certified"),
    "composition-rule": ("confirmed_with_correction", "certified"),
    "quartic-orbit": ("confirmed_with_correction", "certified"),
    "xy-balancing": ("refuted", "numerical"),
    "balancing-theorems": ("confirmed", "exact"),
    "neuron-sharpness": ("confirmed", "exact"),
    "neuron-convergence": ("inconclusive", "numerical"),
    "neuron-reduction": ("confirmed", "exact"),
    "mf-cross-section": ("confirmed_with_correction", "exact"),
    "mf-oscillation": ("confirmed", "numerical"),
    "base-model-examples": ("confirmed", "certified"),
    "mlp-obs1": ("inconclusive", "numerical"),
    "mlp-obs2": ("confirmed", "numerical"),
}


def test_markdown_text_neutralises_emphasis_links_and_cells():
    text = markdown_text("T[q](p) = x**2 + x**5 | a_1 <b>")
    assert "**2 + x**" not in text and "](" not in text.replace("\\](", "")
    assert "\\|" in text and "\\<b" in text


def test_a_check_renders_its_sympy_loss_not_its_text_again():
    """The heading's maths comes from ``StabilityCheck.loss``; the text is only what is shown
    where the maths cannot be (here: a label the parser would refuse)."""
    import dataclasses

    import sympy as sp

    from symbolic_eos.analysis.check import check_expr

    x = sp.Symbol("x")
    r = check_expr(x**2 / 2 + x**3, x, sp.Integer(0), text="my loss!")
    assert r.to_markdown().startswith("### Stable oscillation of $f(x)$ = $x^{3} + \\frac{x^{2}}{2}$ at $x$ = $0$")
    assert r.to_text().startswith("f(x) = my loss!")
    assert "`my loss!`" in dataclasses.replace(r, loss=None).to_markdown()


def test_claim_pages_link_from_the_index(tmp_path):
    files = write_report(verify_paper(only=["lemma2-l2", "lemma1-higher-order"]), tmp_path, figures=False)
    assert [f.name for f in files] == ["index.md", "lemma1-higher-order.md", "lemma2-l2.md"]
    index = (tmp_path / "index.md").read_text()
    for target in re.findall(r"\]\((claims/[^)]+)\)", index):
        assert (tmp_path / target).exists(), target
    page = (tmp_path / "claims" / "lemma1-higher-order.md").read_text()
    assert "**Status: extended**" in page
    assert "x\\*\\*2/2 + x\\*\\*5" in page  # escaped, so it does not turn bold
    assert "symbolic-eos check 'x**2/2 + x**5' --at 0" in page  # commands verbatim in a code block


def test_check_report_writes_page_and_figure(tmp_path, capsys):
    out = tmp_path / "mine.md"
    assert main(["check", "(x**2-1)**2/4", "--at", "1", "--report", str(out)]) == 0
    page = out.read_text()
    assert "supercritical" in page and "mine-bifurcation.png" in page
    assert _environment_keys(page) == [_environment_keys(environment_markdown({k: "x"}))[0] for k in ENVIRONMENT_FIELDS]
    assert (tmp_path / "mine-bifurcation.png").stat().st_size > 1000


def test_report_into_an_unwritable_place_is_exit_2(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["report", "--out", str(blocker / "sub"), "--only", "lemma2-l2", "--no-figures"]) == 2
    assert "cannot" in capsys.readouterr().err


_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?")
_ENVIRONMENT = re.compile(r"^## Environment\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
_ENVIRONMENT_ROW = re.compile(r"^\| ([^|`]+) \| `[^`]*` \|$", re.MULTILINE)

# Pages whose float evidence comes from GD runs that converge (the ReLU neuron, matrix
# factorisation): they use BLAS (`@`, `np.linalg.norm`) and numpy's SIMD loops, so another
# kernel or CPU can change their last bits, but a contracting run does not amplify that and every
# float they print is rounded to a few digits. Their numbers must agree to one unit in the last
# printed digit (a last-bit change can move a rounding by one unit, no more); integers (counts,
# seeds, dimensions, the parts of exact fractions) and all words must agree exactly.
_LAST_DIGIT_PAGES = {"neuron-sharpness.md", "neuron-convergence.md", "mf-cross-section.md", "mf-oscillation.md"}


def _environment_keys(text: str) -> list[str] | None:
    """The field names of the page's Environment section (None when it has none)."""
    section = _ENVIRONMENT.search(text)
    return _ENVIRONMENT_ROW.findall(section.group()) if section else None


def _comparable(rel: Path, text: str) -> str:
    """A page with what legitimately differs between machines masked. The masks, and why:

    - the Environment section's values (versions, BLAS kernel, commit, platform) are the machine
      itself; its field names are kept (and checked to be complete);
    - the MLP (the `mlp-*` pages; in index.md every line naming mlp-obs and the MLP findings
      section) is trained in float64 past the edge of stability, where last-bit differences
      between BLAS kernels, thread counts and SIMD paths grow into another end point (the
      SkylakeX, Haswell and Prescott kernels give 3 L'''^2 - L'' L'''' = 9.219, 9.171, 9.244):
      its numbers are masked, its words (statuses, verdicts, the certified sign) compared;
    - the converging float runs of `_LAST_DIGIT_PAGES` (and their rows in index.md's claims
      table): numbers masked here, compared by `_numbers_agree` to their last printed digit.

    Everything else is exact or certified, or float runs made only of correctly rounded IEEE
    operations (+, -, *, /, sqrt, abs, min, max: the quartic and xy grids; no BLAS, no
    transcendental SIMD loops), which are bitwise the same on every machine: compared exactly."""
    text = _ENVIRONMENT.sub(lambda m: re.sub(r"`[^`]*`", "`#`", m.group()), text)
    if rel.name.startswith("mlp-") or rel.name in _LAST_DIGIT_PAGES:
        return _NUMBER.sub("#", text)
    lines, in_mlp_section = [], False
    for line in text.splitlines():
        if line.startswith("#"):
            in_mlp_section = "MLP" in line
        lines.append(_NUMBER.sub("#", line) if in_mlp_section or "mlp-obs" in line or _converging_row(line) else line)
    return "\n".join(lines)


def _converging_row(line: str) -> bool:
    return any(f"](claims/{name})" in line for name in _LAST_DIGIT_PAGES)


def _last_digit_part(rel: Path, text: str) -> str:
    """What `_numbers_agree` compares: a converging run's page (its Environment aside), or its
    rows in index.md."""
    if rel.name in _LAST_DIGIT_PAGES:
        return _ENVIRONMENT.sub("", text)
    return "\n".join(line for line in text.splitlines() if _converging_row(line)) if rel.name == "index.md" else ""


def _last_digit(number: str) -> float:
    """One unit in the last printed digit: 0.221 -> 0.001, 1.47e-5 -> 1e-7, 12 -> 0 (exact)."""
    mantissa, _, exponent = number.lower().partition("e")
    if "." not in mantissa and not exponent:
        return 0.0
    return 10.0 ** (int(exponent or 0) - len(mantissa.partition(".")[2]))


def _numbers_agree(new: str, old: str) -> bool:
    ours, theirs = [m.group() for m in _NUMBER.finditer(new)], [m.group() for m in _NUMBER.finditer(old)]
    return len(ours) == len(theirs) and all(
        a == b or abs(float(a) - float(b)) <= max(_last_digit(a), _last_digit(b)) * (1 + 1e-9)
        for a, b in zip(ours, theirs, strict=True))


def test_the_masks_keep_exact_text_and_allow_only_float_noise():
    """The masks are no blanket: an exact number changed outside the MLP fails, so does a word
    of the MLP, and a float of a converging run may move by one unit in its last digit only."""
    page, index = Path("claims/lemma2-l2.md"), Path("index.md")
    assert _comparable(page, "x = 1/3") != _comparable(page, "x = 1/4")
    assert _comparable(index, "| [lemma2-l2](x) | 0.25 |") != _comparable(index, "| [lemma2-l2](x) | 0.26 |")
    assert _comparable(index, "| [mlp-obs2](x) | 9.17 holds |") == _comparable(index, "| [mlp-obs2](x) | 9.24 holds |")
    assert _comparable(index, "| [mlp-obs2](x) | 9.17 holds |") != _comparable(index, "| [mlp-obs2](x) | 9.17 fails |")
    env = "## Environment\n\n| | |\n|---|---|\n| numpy | `2.4.6` |\n"
    assert _comparable(page, env) == _comparable(page, env.replace("2.4.6", "1.26.4"))
    assert _comparable(page, env + "\n## Next\n\n1/3\n") != _comparable(page, env + "\n## Next\n\n1/4\n")
    assert _environment_keys(env) == ["numpy"] and _environment_keys("## Other\n") is None
    assert _numbers_agree("rate 0.221, 12 runs", "rate 0.222, 12 runs")
    assert not _numbers_agree("rate 0.221, 12 runs", "rate 0.223, 12 runs")
    assert not _numbers_agree("rate 0.221, 12 runs", "rate 0.221, 11 runs")
    assert _numbers_agree("1.47e-5", "1.48e-5") and not _numbers_agree("1.47e-5", "1.47e-4")
    row = "| [neuron-convergence](claims/neuron-convergence.md) | factor 0.22-0.32 |"
    assert _comparable(index, row) == _comparable(index, row.replace("0.32", "0.33"))
    assert _numbers_agree(_last_digit_part(index, row), _last_digit_part(index, row.replace("0.32", "0.33")))
    assert not _numbers_agree(_last_digit_part(index, row), _last_digit_part(index, row.replace("0.32", "0.34")))
    assert _last_digit_part(index, "| [lemma2-l2](claims/lemma2-l2.md) | 0.25 |") == ""


@pytest.mark.slow
def test_committed_reports_match_a_fresh_generation(tmp_path):
    """The committed reports/ are what `symbolic-eos report --out reports` writes now, on any
    BLAS kernel, thread count or CPU, up to the masks of `_comparable` (each explained there)."""
    committed = sorted(p.relative_to(REPORTS) for p in REPORTS.rglob("*.md"))
    if not committed:
        pytest.fail("reports/ has no Markdown: run `symbolic-eos report --out reports`")
    verification = verify_paper()
    # The statuses, pinned: a change here is a change of what we tell the paper's readers.
    assert {r.id: (r.status, r.rigor) for r in verification.results} == EXPECTED_STATUSES
    write_report(verification, tmp_path)
    fresh = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.md"))
    assert fresh == committed
    labels = [_environment_keys(environment_markdown({k: "x"}))[0] for k in ENVIRONMENT_FIELDS]
    for rel in committed:
        new, old = (tmp_path / rel).read_text(), (REPORTS / rel).read_text()
        assert _comparable(rel, new) == _comparable(rel, old), f"{rel} differs: regenerate with `symbolic-eos report`"
        assert _numbers_agree(_last_digit_part(rel, new), _last_digit_part(rel, old)), \
            f"{rel}: a float differs by more than one unit in its last digit"
        if rel.name == "index.md" or rel.parts[0] == "claims":
            assert _environment_keys(old) == _environment_keys(new) == labels, f"{rel}: no complete Environment section"
    # The PNGs are not compared here: those drawn from float trajectories (MLP, matrix
    # factorisation) change pixels with the BLAS kernel. See the next test.


def test_every_committed_figure_is_a_png_that_a_page_shows():
    """The committed figures, checked without comparing bytes (the float-trajectory ones differ
    between BLAS kernels): each is a PNG of a sensible size, and the pages show exactly these."""
    committed = {p.name for p in (REPORTS / "figures").glob("*.png")}
    assert len(committed) >= 10
    shown = {Path(t).name for page in REPORTS.rglob("*.md") for t in re.findall(r"\]\(([^)]+\.png)\)", page.read_text())}
    assert shown == committed
    for name in committed:
        data = (REPORTS / "figures" / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000, name


def test_the_report_records_its_environment(tmp_path):
    """index.md and every claim page end with the Environment of the run, the same one that
    `verify-paper --json` gives, with the versions of the libraries actually imported."""
    import platform

    import mpmath
    import numpy

    verification = verify_paper(only=["lemma2-l2"])
    env = verification.environment
    assert env["numpy"] == numpy.__version__ and env["mpmath"] == mpmath.__version__
    assert env["python"].endswith(platform.python_version())
    write_report(verification, tmp_path, figures=False)
    for page in (tmp_path / "index.md", tmp_path / "claims" / "lemma2-l2.md"):
        text = page.read_text()
        section = _ENVIRONMENT.search(text).group()
        assert f"| numpy | `{numpy.__version__}` |" in section and f"`{env['git_commit']}`" in section
        assert _environment_keys(text) == [_environment_keys(environment_markdown({k: "x"}))[0] for k in ENVIRONMENT_FIELDS]
    assert "(#environment)" in (tmp_path / "index.md").read_text()


def test_every_link_in_the_committed_reports_resolves():
    pages = list(REPORTS.rglob("*.md"))
    assert pages
    for page in pages:
        for target in re.findall(r"(?<!\\)\]\(([^)#]+)\)", page.read_text()):  # not an escaped \]
            if "://" not in target:
                assert (page.parent / target).resolve().exists(), f"{page.relative_to(REPORTS)} -> {target}"


@pytest.mark.parametrize("argv", [
    ["verify-paper", "--only", ""],
    ["verify-paper", "--only", ",,"],
    ["report", "--out", "/etc/passwd", "--only", "lemma2-l2"],
    ["mlp-experiment", "--config", "tiny", "--plots", "/etc/passwd/figs"],
])
def test_bad_paths_and_ids_fail_before_any_work(argv, capsys, monkeypatch):
    import symbolic_eos.paper.claims.registry as claims  # verify_paper calls the registry's verify_claim
    import symbolic_eos.paper.mlp as mlp

    def no_work(*args, **kwargs):
        raise AssertionError("the input should have been refused before any work")

    monkeypatch.setattr(claims, "verify_claim", no_work)
    monkeypatch.setattr(mlp, "run_experiment", no_work)
    assert main(argv) == 2
    assert capsys.readouterr().err.count("\n") == 1


def _environment_values(page: Path) -> dict[str, str]:
    section = _ENVIRONMENT.search(page.read_text()).group()
    return dict(re.findall(r"^\| ([^|`]+) \| `([^`]*)` \|$", section, re.MULTILINE))


def test_mlp_prose_quotes_the_committed_report_and_names_its_environment():
    """The MLP's numbers hold for one machine (see `_comparable`), so the prose quotes them from
    the committed report and names its environment: docs/mlp.md shows the committed run verbatim,
    README's MLP section and summary table quote its numbers, both name numpy and the BLAS kernel."""
    root = REPORTS.parent
    block = (REPORTS / "claims" / "mlp-obs1.md").read_text().split("## Details\n", 1)[1].split("```\n", 2)[1]
    docs = (root / "docs" / "mlp.md").read_text()
    readme = (root / "README.md").read_text()
    section = readme.split("## MLPs on handwritten digits", 1)[1].split("\n## ", 1)[0]
    assert "```text\n" + block + "```" in docs, "docs/mlp.md's example output is not the committed run"
    env = _environment_values(REPORTS / "index.md")
    _, version, kernel = re.match(r"(\S+) (\S+) \(kernel (\S+),", env["BLAS (numpy's)"]).groups()
    for text in (section, docs.split("## Example output", 1)[1]):
        assert f"numpy {env['numpy']}" in text and version in text and kernel in text
    obs1 = re.search(r"end (\S+), last quarter median (\S+) \(min (\S+), max (\S+)\)", block).groups()
    obs2 = re.search(r"3 L'''\^2 - L'' L'''' in (\S+ \+/- \S+): holds", block).group(1)
    quoted = [*obs1, obs2, re.search(r"Rayleigh quotient (\S+),", block).group(1), re.search(r"-2c = (\S+) ", block).group(1)]
    assert all(q in section for q in quoted), [q for q in quoted if q not in section]
    summary = re.search(r"\| \[mlp-obs2\].*= (\S+ \(\+/- \S+\)) along", (REPORTS / "index.md").read_text()).group(1)
    rows = [line for line in readme.splitlines() if line.startswith("| [mlp-obs")]
    assert summary in rows[1] and f"median {obs1[1]} late" in rows[0] and f"up to {obs1[3]}" in rows[0]
