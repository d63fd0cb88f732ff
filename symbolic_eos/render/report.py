"""Markdown verification reports with figures: the paper's (``write_report``) and a user's loss
(``check_report``).

The pages are deterministic functions of the results: no dates or timings, floats rounded to the
digits they can carry, files written in a fixed order; so a regenerated ``reports/`` differs from
the committed one only when a result does, or in the last section of each page, **Environment**
(versions, the BLAS kernel, the git commit: :mod:`symbolic_eos.paper.environment`), which ties the float
evidence to the machine it was computed on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from pathlib import Path

from .. import __version__
from ..core import arguments
from ..paper.claims import STATUSES, ClaimResult, PaperVerification
from ..paper.environment import environment, environment_markdown
from ..errors import EosError, InputError, brief
from .output import atomic_directory, atomic_files
from ..core.progress import Progress, each_with_progress
from ..analysis.results import MinimaCheck, StabilityCheck, markdown_text, math_text
from ..analysis.families import FamilyCheck, L2FamilyCheck
from ..core.vocabulary import Rigor, Status

if TYPE_CHECKING:
    from ..analysis.certificates import BaseModelCertificate
    from ..multi.check import MultivariateCheck
    from ..multi.families import MultivariateFamilyCheck

__all__ = ["write_report", "check_report", "check_report_folder", "WrittenReport", "REPORT_ENTRIES"]

#: What a report folder holds; it is replaced whole, so nothing else may be in it (hidden
#: entries such as a ``.gitkeep`` are carried over).
REPORT_ENTRIES = ("index.md", "claims", "models", "figures")

_STATUS_MEANING = {
    Status.CONFIRMED: "the claim holds as stated",
    Status.REFUTED: "a certified or exact counterexample",
    Status.CONFIRMED_WITH_CORRECTION: "false as stated; true with the correction we state and prove",
    Status.EXTENDED: "true, and we show more than the paper states",
    Status.INCONCLUSIVE: "not settled; the reason is given",
}
_RIGOR_MEANING = {
    Rigor.EXACT: "proved symbolically (exact rationals, algebraic numbers, polynomial identities)",
    Rigor.CERTIFIED: "python-flint balls that exclude zero (interval Newton, Krawczyk, interval bisection)",
    Rigor.NUMERICAL: ("evidence, never used to decide a sign: float simulations, or a finite grid (of starts, of eps) "
                      "standing for a continuum"),
    Rigor.NONE: "nothing could be run",
}

_ENVIRONMENT_NOTE = ("The software and machine this report was computed on. Exact and certified results do not depend "
                     "on them. Float evidence (rigor `numerical`) can: the MLP is trained in float64 past the edge of "
                     "stability, where last-bit differences between BLAS kernels, thread counts and CPU features grow "
                     "into different end points (its numbers hold for this environment; the run itself uses one BLAS "
                     "thread), while the other float runs converge and agree to the digits printed.")


def _environment_section(env: Mapping[str, Any]) -> str:
    return environment_markdown(dict(env)) + "\n" + _ENVIRONMENT_NOTE + "\n"


def _code(text: str) -> str:
    return "`" + str(text).replace("`", "'") + "`"


def _within(root: Path, *parts: str) -> Path:
    """``root / parts``, refused unless it lies inside ``root``: names from the catalog become
    paths here, and no name may write outside the report folder (the catalog checks slugs too)."""
    path = root.joinpath(*parts)
    if not path.resolve().is_relative_to(root.resolve()) or path.resolve() == root.resolve():
        raise InputError(f"refusing to write {brief('/'.join(parts))!r}: it is not inside the report folder")
    return path


def _write(path: Path, text: str) -> Path:
    # Only ever into a temporary (see write_report, check_report): their helpers name the target
    # when this fails.
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Figures: one function per claim that has pictures; each returns (file name, caption) pairs.

_Figure = Callable[[ClaimResult, Path], list[tuple[str, str]]]
_FIGURES: dict[str, _Figure] = {}


def _figure(claim_id: str) -> Callable[[_Figure], _Figure]:
    def register(fn: _Figure) -> _Figure:
        _FIGURES[claim_id] = fn
        return fn
    return register


@_figure("quartic-orbit")
def _quartic_figures(result: ClaimResult, directory: Path) -> list[tuple[str, str]]:
    import sympy as sp

    from ..dynamics.reports import orbit_expr
    from .plots import bifurcation_diagram, cobweb

    report = result.details[0]
    bifurcation_diagram(report.threshold.window, str(directory / "quartic-bifurcation.png"))
    x = sp.Symbol("x")
    cobweb(orbit_expr((x**2 - 1)**2 / 4, x, sp.Rational(11, 10), sp.Integer(1), text="(x**2-1)**2/4", eta_text="11/10"),
           str(directory / "quartic-cobweb.png"))
    return [("quartic-bifurcation.png", "Attractor of GD on (x^2 - 1)^2/4 against eta: the 2-cycle is born at eta0 = 1, "
             "is superstable at -1 + 3/sqrt(2) (the paper's 1.121) and loses stability at sqrt(5) - 1."),
            ("quartic-cobweb.png", "Cobweb of GD at eta = 11/10 from next to the minimum, onto the certified 2-cycle.")]


@_figure("xy-balancing")
def _xy_figures(result: ClaimResult, directory: Path) -> list[tuple[str, str]]:
    from .plots import trajectories
    from ..paper.xy import trajectory

    starts = (("1/5", "4/5"), ("1/2", "6/5"), ("6/5", "4/5"), ("4/5", "1/2"))  # x0^2 + y0^2 small: no divergence
    runs = {f"({a}, {b})": trajectory("11/10", a, b, 300) for a, b in starts}
    trajectories([("|x - y|", {k: abs(v[:, 0] - v[:, 1]) for k, v in runs.items()}, True),
                  ("x y - 1", {k: v[:, 0] * v[:, 1] - 1 for k, v in runs.items()}, False)],
                 str(directory / "xy-balancing.png"), "GD on (xy - 1)^2/2 at eta = 11/10 from four starts (float64)")
    return [("xy-balancing.png", "GD on (xy - 1)^2/2 at eta = 11/10: |x - y| decays geometrically (balancing) while "
             "xy - 1 settles on the two phases of the quartic's 2-cycle, delta^2 - 1.")]


@_figure("neuron-convergence")
def _neuron_figures(result: ClaimResult, directory: Path) -> list[tuple[str, str]]:
    from .plots import trajectories
    from ..paper.neuron import trajectory

    runs = {f"d = {d}": trajectory(d, 1.1, 0, 400) for d in (3, 5, 10)}
    trajectories([("|proj_perp w|", {k: p for k, (p, _, _) in runs.items()}, True),
                  ("|v - |w||", {k: abs(v - n) for k, (_, v, n) in runs.items()}, True)],
                 str(directory / "neuron-convergence.png"), "Single ReLU neuron, GD at eta = 1.1 d/|w~| (seed 0, float64)")
    return [("neuron-convergence.png", "Single ReLU neuron at K = 1.1: the part of w orthogonal to w~ and the imbalance "
             "|v - |w|| both decay geometrically, much faster than the stated (1 - 0.030 K)^t.")]


@_figure("mf-oscillation")
def _mf_figures(result: ClaimResult, directory: Path) -> list[tuple[str, str]]:
    from .plots import trajectories
    from ..paper.matrix_factorization import trajectory

    runs = {f"d = {d}": trajectory(d, 1.1, 0.5, 0, 400) for d in (2, 3, 4)}
    trajectories([("distance of Y Z^T - C from (u^T R u) u u^T", {k: t[:, 0] for k, t in runs.items()}, True),
                  ("u^T (Y Z^T - C) u, first 60 steps", {k: t[:60, 1] for k, t in runs.items()}, False)],
                 str(directory / "mf-oscillation.png"), "Matrix factorisation, GD at eta = 1.1, lambda2 = 1/2 (seed 0, float64)")
    return [("mf-oscillation.png", "Matrix factorisation at eta = 1.1: the residual Y Z^T - C collapses onto the rank-one "
             "form (u^T R u) u u^T, whose coefficient settles on the two phases delta^2 - 1 of the quartic's 2-cycle.")]


@_figure("base-model-examples")
def _base_model_figures(result: ClaimResult, directory: Path) -> list[tuple[str, str]]:
    from .plots import plot_certificates

    plot_certificates(result.details, str(directory / "base-model-certificates.png"))
    return [("base-model-certificates.png", "Where g' g''' < 6 g''^2 is certified (interval bisection, python-flint "
             "balls) for each catalog base model over its stated range.")]


_MLP_CAPTIONS = {"loss": "Training loss of the MLP under full-batch GD past the edge of stability (float64).",
                 "sharpness": "Sharpness (top Hessian eigenvalue, Lanczos on exact Hessian-vector products) against 2/eta.",
                 "cosine": "|cos(v1, grad L)| over training (Obs. 1)."}


def _mlp_figures(result: ClaimResult, directory: Path) -> list[tuple[str, str]]:
    from .plots import plot_experiment

    out = []
    for path in plot_experiment(result.details[0], str(directory)):
        name = Path(path).name
        kind = next((k for k in _MLP_CAPTIONS if name.endswith(f"-{k}.png")), None)
        out.append((name, _MLP_CAPTIONS[kind] if kind is not None else "MLP experiment"))
    return out


_FIGURES["mlp-obs1"] = _mlp_figures


# ---------------------------------------------------------------------------------------------
# Pages.


def _evidence_table(result: ClaimResult) -> str:
    if not result.evidence:
        return "_No evidence rows._\n"
    rows = "\n".join(f"| {markdown_text(q)} | {markdown_text(v)} |" for q, v in result.evidence)
    return "| quantity | value |\n|---|---|\n" + rows + "\n"


def _claim_page(result: ClaimResult, figures: list[tuple[str, str]], env: Mapping[str, Any] | None = None) -> str:
    c = result.claim
    parts = [
        f"# {markdown_text(c.title)}\n",
        "[All claims](../index.md)\n",
        f"**Status: {result.status}** (rigor: {result.rigor}). {markdown_text(result.summary)}\n",
        "## The claim\n",
        f"> {markdown_text(c.statement)}\n",
        f"Where: {markdown_text(c.paper)}. Claim id: {_code(c.id)}.\n",
        "## How we verify it\n",
        f"{markdown_text(c.method)}\n",
        "## Evidence\n",
        _evidence_table(result),
    ]
    if result.finding:
        parts += ["## Finding\n", f"{markdown_text(result.finding)}\n"]
    if figures:
        parts.append("## Figures\n")
        for name, caption in figures:
            parts.append(f"![{markdown_text(caption)}](../figures/{name})\n\n_{markdown_text(caption)}_\n")
    if result.claim.id == "base-model-examples":
        parts += ["## Base models\n", "\n".join(f"- [{d.name}](../models/{d.name}.md): {markdown_text(d.summary)}"
                                                  for d in result.details) + "\n"]
    details = [d.to_markdown() for d in result.details if hasattr(d, "to_markdown")]
    if details and result.claim.id != "base-model-examples":
        parts += ["## Details\n", *(_below_level_2(d.strip()) + "\n" for d in details)]
    if c.reproduce:
        parts += ["## Reproduce\n", "```sh\n" + "\n".join(c.reproduce) + "\n```\n"]
    if env:
        parts.append(_environment_section(env))
    return "\n".join(parts)


def _below_level_2(markdown: str) -> str:
    """Headings of an embedded report pushed under the page's level-2 section (fences kept)."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("#"):
            hashes = len(line) - len(line.lstrip("#"))
            line = "#" * max(hashes, 3) + line[hashes:]
        out.append(line)
    return "\n".join(out)


def _model_page(cert: BaseModelCertificate, figure: str | None) -> str:
    parts = [
        f"# Base model {_code(cert.name)}: $g(x)$ = {math_text(cert.expression, ('x',))}\n",
        "[All claims](../index.md) · [the base-model claim](../claims/base-model-examples.md)\n",
        "The L2 loss $(g(x) - y)^2$ allows stable oscillation around $\\bar x = g^{-1}(y)$ when "
        "$g'(\\bar x) \\neq 0$ and $g'(\\bar x)\\, g'''(\\bar x) < 6\\, g''(\\bar x)^2$.\n",
        cert.to_markdown().strip() + "\n",
    ]
    if figure:
        parts.append(f"![certificate intervals for {cert.name}](../figures/{figure})\n")
    return "\n".join(parts)


def _index(verification: PaperVerification, models: tuple, figure_names: set[str],
           env: Mapping[str, Any] | None = None) -> str:
    results = verification.results
    counts = ", ".join(f"{n} {s}" for s, n in verification.counts.items())
    lead = next((r for r in results if r.id == "quartic-orbit"), None)
    parts = [
        '# Verification report: Chen & Bruna, "Beyond the Edge of Stability via Two-step Gradient Updates"\n',
        f"Generated by `symbolic-eos report` (symbolic-eos {__version__}). The rigor column names the weakest kind of "
        "fact a status rests on: an `exact` or `certified` status never uses floats; a `numerical` one rests on float "
        "simulations (evidence, stated as such). Statuses: " + counts + "."
        + (" The software it ran on is listed under [Environment](#environment)." if env else "") + "\n",
        "## Claims\n",
        verification.to_markdown(),
    ]
    if lead is not None and "quartic-bifurcation.png" in figure_names:
        parts.append("![GD attractor of the quartic against eta](figures/quartic-bifurcation.png)\n\n"
                     "*The paper's quartic $(x^2 - 1)^2/4$: the 2-cycle born at $\\eta_0 = 1$ is superstable at "
                     "$-1 + 3/\\sqrt{2} \\approx 1.1213$ (the paper's 1.121) and stays stable up to "
                     "$\\sqrt{5} - 1 \\approx 1.2361$.*\n")
    parts.append("## Findings\n")
    parts.append("Where the paper's statement and ours differ, or where we show more than it states.\n")
    for r in results:
        if r.status == Status.CONFIRMED or (not r.finding and r.status != Status.INCONCLUSIVE):
            continue
        parts += [f"### {markdown_text(r.claim.title)}: {r.status}\n",
                  f"- **The paper states:** {markdown_text(r.claim.statement)}",
                  f"- **We found:** {markdown_text(r.summary)}." + (f" {markdown_text(r.finding)}" if r.finding else ""),
                  "- **Reproduce:** " + (", ".join(_code(cmd) for cmd in r.claim.reproduce) or "-") + "\n"]
    if models:
        parts += ["## Base models\n",
                  "The L2 condition $g' g''' < 6 g''^2$ certified by interval bisection:\n",
                  "| model | g | poster | certificate |\n|---|---|---|---|\n"
                  + "\n".join(f"| [{m.name}](models/{m.name}.md) | {_code(m.expression)} | {'yes' if m.poster else 'no'} | "
                              f"{markdown_text(m.summary)} |" for m in models) + "\n"]
    parts += ["## Statuses and rigor\n",
              "\n".join(f"- `{s}`: {_STATUS_MEANING[s]}" for s in STATUSES),
              "",
              "\n".join(f"- rigor `{k}`: {v}" for k, v in _RIGOR_MEANING.items()) + "\n"]
    if env:
        parts.append(_environment_section(env))
    return "\n".join(parts)


@dataclass(frozen=True)
class WrittenReport:
    """The ``verification`` and the Markdown ``files`` written for it (index first).

    >>> import tempfile
    >>> from symbolic_eos.paper.claims import verify_paper
    >>> v = verify_paper(only=["lemma1-higher-order"])
    >>> w = WrittenReport(v, write_report(v, tempfile.mkdtemp(), figures=False))
    >>> sorted(w.to_dict()), len(w.files)
    (['claims', 'counts', 'environment', 'files', 'rigor'], 2)
    """

    verification: PaperVerification
    files: tuple[Path, ...]

    def to_dict(self) -> dict:
        return {**self.verification.to_dict(), "files": [str(f) for f in self.files]}

    def to_text(self) -> str:
        return self.verification.to_text() + f"\n\nwrote {len(self.files)} Markdown files; start at {self.files[0]}"

    def to_markdown(self) -> str:
        return self.verification.to_markdown() + "\n" + "\n".join(f"- [{f.name}]({f})" for f in self.files) + "\n"


def check_report_folder(out: str | Path) -> None:
    """Refuse, before any work, a report folder ``out`` that cannot be replaced whole: a file, or
    a folder holding something a report does not write (it would be lost).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> check_report_folder(folder / "new")  # a new folder is fine
    >>> _ = (folder / "notes.txt").write_text("mine")
    >>> check_report_folder(folder)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: ... holds notes.txt, which a report does not write; ...
    """
    root = Path(arguments.path(out, "out"))
    if root.exists() and not root.is_dir():
        raise InputError(f"{str(out)!r} is a file, not a folder")
    if root.is_dir():
        try:
            names = [p.name for p in root.iterdir()]
        except OSError as exc:
            raise InputError(f"cannot read the folder {str(out)!r}: {exc.strerror}") from None
        foreign = sorted(n for n in names if n not in REPORT_ENTRIES and not n.startswith("."))
        if foreign:
            raise InputError(f"{str(out)!r} holds {', '.join(foreign[:3])}{', ...' if len(foreign) > 3 else ''}, which a "
                             "report does not write; the report replaces the folder whole, so choose an empty or new "
                             "folder, or a previous report's")


def write_report(verification: PaperVerification, out: str | Path = "reports", figures: bool = True,
                 progress: Progress | None = None) -> tuple[Path, ...]:
    """Write ``index.md``, ``claims/<id>.md``, ``models/<name>.md`` and ``figures/*.png`` (when
    ``figures``) into ``out`` for the ``verification``; ``progress`` is told about each figure.
    Return the Markdown files written, in order. The folder is built beside ``out`` and swapped
    in only when complete: an interrupted run leaves the previous report as it was.

    >>> import tempfile
    >>> from symbolic_eos.paper.claims import verify_paper
    >>> out = tempfile.mkdtemp()
    >>> files = write_report(verify_paper(only=["lemma1-higher-order"]), out, figures=False, progress=None)
    >>> [f.relative_to(out).as_posix() for f in files]
    ['index.md', 'claims/lemma1-higher-order.md']

    The verification comes first, the folder second:

    >>> write_report("reports")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: verification: expected a PaperVerification (from verify_paper), got str 'reports'
    """
    verification = arguments.instance(verification, "verification", PaperVerification, "a PaperVerification (from verify_paper)")
    out, figures = arguments.path(out, "out"), arguments.flag(figures, "figures")
    progress = arguments.optional_callable(progress, "progress")
    check_report_folder(out)
    with atomic_directory(out) as building:
        files = _write_pages(verification, building, figures, progress)
    return tuple(Path(out) / f.relative_to(building) for f in files)


def _write_pages(verification: PaperVerification, root: Path, figures: bool, progress: Progress | None) -> list[Path]:
    figdir = root / "figures"
    env = verification.environment or environment()
    if figures:
        figdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    models: tuple = ()
    figure_names: set[str] = set()
    for result in each_with_progress(verification.results, lambda r: f"page {r.id}", progress):
        pictures: list[tuple[str, str]] = []
        if figures and result.id in _FIGURES and result.details:
            try:
                pictures = _FIGURES[result.id](result, figdir)
            except (EosError, ImportError):
                pictures = []  # a figure is an illustration; the page stands without it
        figure_names.update(name for name, _ in pictures)
        written.append(_write(_within(root, "claims", f"{result.id}.md"), _claim_page(result, pictures, env)))
        if result.id == "base-model-examples" and result.status != Status.INCONCLUSIVE:
            models = tuple(result.details)
    if figures and models:
        from .plots import plot_certificates

        for m in models:
            plot_certificates((m,), str(_within(figdir, f"model-{m.name}.png")))
    for m in models:
        written.append(_write(_within(root, "models", f"{m.name}.md"), _model_page(m, f"model-{m.name}.png" if figures else None)))
    written.insert(0, _write(root / "index.md", _index(verification, models, figure_names, env)))
    return written


def check_report(result: StabilityCheck | MinimaCheck | MultivariateCheck | FamilyCheck | L2FamilyCheck | MultivariateFamilyCheck,
                 path: str | Path,
                 command: str | None = None, figures: bool = True) -> Path:
    """A Markdown page at ``path`` for a user's check ``result`` (``symbolic-eos check ...
    --report FILE.md``, the ``command`` shown on the page), with a bifurcation diagram next to
    it for a 1-D loss checked at one point when ``figures``.

    >>> import tempfile
    >>> from symbolic_eos import check
    >>> page = check_report(check("x**2/2 + x**3", at="0"), tempfile.mkdtemp() + "/c.md", "symbolic-eos check ...", False)
    >>> page.read_text().splitlines()[0]
    '# symbolic-eos check: `x**2/2 + x**3`'

    The result object is wanted, not its JSON form:

    >>> check_report(check("x**2/2 + x**3", at="0").to_dict(), tempfile.mkdtemp() + "/c.md")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: result: expected a StabilityCheck, MinimaCheck, MultivariateCheck or FamilyCheck, got dict ...
    """
    from ..multi.check import MultivariateCheck  # noqa: F811 - at run time, not only for mypy
    from ..multi.families import MultivariateFamilyCheck  # noqa: F811

    result = arguments.instance(result, "result", (StabilityCheck, MinimaCheck, MultivariateCheck, FamilyCheck, L2FamilyCheck,
                                                   MultivariateFamilyCheck),
                                "a StabilityCheck, MinimaCheck, MultivariateCheck or FamilyCheck")
    path = Path(arguments.path(path, "path"))
    command, figures = arguments.optional_text(command, "command"), arguments.flag(figures, "figures")
    title: str = (result.loss if isinstance(result, (FamilyCheck, MultivariateFamilyCheck))
                  else result.model if isinstance(result, L2FamilyCheck) else result.expression)
    parts = [f"# symbolic-eos check: {_code(title)}\n"]
    if command:
        parts.append(f"Command: {_code(command)} (symbolic-eos {__version__}).\n")
    parts.append(result.to_markdown().strip() + "\n")
    name = path.stem + ("-map.png" if getattr(result, "parameter_map", None) is not None else "-bifurcation.png")
    # The figure is moved into place before the page, so a new page never points to a missing one.
    with atomic_files(path.parent / name, path) as (figure_file, page_file):
        if figures and isinstance(result, (FamilyCheck, L2FamilyCheck)) and result.parameter_map is not None:
            from .plots import plot_parameter_map

            plot_parameter_map(result.parameter_map, str(figure_file))
            parts.append(f"![certified parameter map]({name})\n\n_Certified cells (balls, exact ends); the boundary curve is "
                         "the exact condition drawn in float64._\n")
        if figures and isinstance(result, StabilityCheck) and result.point.exact is not None and result.loss is not None:
            import sympy as sp

            from ..dynamics.reports import window_expr
            from .plots import bifurcation_diagram

            try:
                bifurcation_diagram(window_expr(result.loss, sp.Symbol(result.variable), result.point.exact, text=result.expression,
                                                label=result.point.label), str(figure_file))
                parts.append(f"![GD attractor against eta]({name})\n\n_Attractor of GD against the learning rate "
                             "(float64 illustration of the certified window)._\n")
            except EosError as exc:
                parts.append(f"_No bifurcation diagram: {markdown_text(str(exc))}._\n")
        parts.append(environment_markdown(environment()) + "\nThe software this check ran on. The verdicts are exact or "
                     "certified and do not depend on it; the diagram is a float64 illustration.\n")
        _write(page_file, "\n".join(parts))
    return path
