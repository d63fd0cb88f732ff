"""Nothing half-written: every output is built beside its target and moved in only when complete,
so an interrupted run (an exception, Ctrl-C) leaves the previous output as it was."""

import os
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from symbolic_eos.errors import InputError
from symbolic_eos.render.output import atomic_directory, atomic_files

ROOT = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict:
    """Every entry under ``folder``: files by their bytes, folders by a marker."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else "dir") for p in sorted(folder.rglob("*"))}


def old_report(folder: Path) -> dict:
    """A previous report whose every file says it is old (a rewrite of any file shows)."""
    for rel in ["index.md", "claims/lemma2-l2.md", "claims/neuron-convergence.md", "models/sin.md",
                "figures/neuron-convergence.png", "figures/model-sin.png", ".gitkeep"]:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(f"old {rel}\n".encode())
    return snapshot(folder)


class Boom(Exception):
    pass


# --- the helper -----------------------------------------------------------------------------


@pytest.mark.parametrize("error", [Boom, KeyboardInterrupt])
def test_a_file_interrupted_while_written_keeps_its_old_content(tmp_path, error):
    target = tmp_path / "page.md"
    target.write_text("old")
    with pytest.raises(error):
        with atomic_files(target) as (tmp,):
            tmp.write_text("half of the new")
            raise error()
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]  # no temporary left


def test_files_move_in_together_or_not_at_all(tmp_path):
    figure, page = tmp_path / "fig.png", tmp_path / "page.md"
    figure.write_bytes(b"old figure")
    page.write_text("old page")
    with pytest.raises(Boom):
        with atomic_files(figure, page) as (tfig, tpage):
            tfig.write_bytes(b"new figure")  # complete, but its page is not
            raise Boom()
    assert (figure.read_bytes(), page.read_text()) == (b"old figure", "old page")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.png", "page.md"]
    with atomic_files(figure, page) as (tfig, tpage):
        assert tfig.suffix == ".png" and tfig.parent == tmp_path  # same folder, same format suffix
        tfig.write_bytes(b"new figure")
        tpage.write_text("new page")
    assert (figure.read_bytes(), page.read_text()) == (b"new figure", "new page")


def test_a_temporary_not_written_leaves_its_target_alone(tmp_path):
    figure, page = tmp_path / "fig.png", tmp_path / "page.md"
    figure.write_bytes(b"old figure")
    with atomic_files(figure, page) as (_, tpage):
        tpage.write_text("new page")
    assert figure.read_bytes() == b"old figure" and page.read_text() == "new page"


def test_new_files_get_ordinary_permissions_and_old_ones_keep_theirs(tmp_path):
    umask = os.umask(0o022)
    try:
        with atomic_files(tmp_path / "new.md") as (tmp,):
            tmp.write_text("x")
        kept = tmp_path / "kept.md"
        kept.write_text("x")
        kept.chmod(0o640)
        with atomic_files(kept) as (tmp,):
            tmp.write_text("y")
    finally:
        os.umask(umask)
    assert (tmp_path / "new.md").stat().st_mode & 0o777 == 0o644
    assert kept.stat().st_mode & 0o777 == 0o640


def test_a_failed_write_into_a_new_folder_leaves_no_folder(tmp_path):
    with pytest.raises(Boom):
        with atomic_files(tmp_path / "a" / "b" / "page.md") as (tmp,):
            tmp.write_text("x")
            raise Boom()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("error", [Boom, KeyboardInterrupt])
def test_a_folder_interrupted_while_built_keeps_its_old_content(tmp_path, error):
    out = tmp_path / "report"
    out.mkdir()
    before = old_report(out)
    with pytest.raises(error):
        with atomic_directory(out) as building:
            (building / "index.md").write_text("new")
            (building / "claims").mkdir()
            (building / "claims" / "lemma2-l2.md").write_text("new")
            raise error()
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_a_folder_is_replaced_whole_keeping_hidden_entries(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    old_report(out)
    with atomic_directory(out) as building:
        (building / "index.md").write_text("new")
    # Stale pages of the old report are gone with it; the .gitkeep is carried over.
    assert snapshot(out) == {".gitkeep": b"old .gitkeep\n", "index.md": b"new"}
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_a_failed_new_folder_leaves_nothing(tmp_path):
    with pytest.raises(Boom):
        with atomic_directory(tmp_path / "deep" / "report") as building:
            (building / "index.md").write_text("new")
            raise Boom()
    assert list(tmp_path.iterdir()) == []


def test_the_working_folder_is_not_replaced(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="current working folder"):
        with atomic_directory("."):
            pass
    with pytest.raises(InputError, match="current working folder"):
        with atomic_directory(tmp_path.parent):
            pass


# --- the writers that use it ----------------------------------------------------------------


def test_an_interrupted_report_leaves_the_previous_one(tmp_path, monkeypatch):
    import symbolic_eos.render.report as report
    from symbolic_eos.paper.claims import verify_paper

    out = tmp_path / "report"
    out.mkdir()
    before = old_report(out)
    verification = verify_paper(only=["lemma1-higher-order", "lemma2-l2"])
    pages = []

    def page_then_interrupt(result, *_):
        pages.append(result.id)
        if len(pages) == 2:  # the first page is written by now
            raise KeyboardInterrupt
        return f"# new page {result.id}\n"

    monkeypatch.setattr(report, "_claim_page", page_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        report.write_report(verification, out, figures=False)
    assert pages == ["lemma1-higher-order", "lemma2-l2"]
    assert snapshot(out) == before and [p.name for p in tmp_path.iterdir()] == ["report"]


def test_a_report_folder_holding_other_files_is_refused_before_any_work(tmp_path, capsys):
    from symbolic_eos.cli import main

    (tmp_path / "notes.txt").write_text("mine")
    assert main(["report", "--out", str(tmp_path), "--only", "lemma2-l2", "--no-figures"]) == 2
    assert "notes.txt" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_an_early_check_of_a_new_folder_creates_nothing(tmp_path, capsys, monkeypatch):
    import symbolic_eos.paper.claims.registry as claims  # verify_paper calls the registry's verify_claim
    from symbolic_eos.cli import main

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(claims, "verify_claim", interrupted)
    assert main(["report", "--out", str(tmp_path / "new" / "report"), "--only", "lemma2-l2"]) == 130
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_check_report_keeps_page_and_figure(tmp_path, monkeypatch):
    import symbolic_eos.render.plots as plots
    from symbolic_eos.cli import main

    page, figure = tmp_path / "mine.md", tmp_path / "mine-bifurcation.png"
    page.write_text("old page")
    figure.write_bytes(b"old figure")

    def half_a_figure(report, path, *args, **kwargs):
        Path(path).write_bytes(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(plots, "bifurcation_diagram", half_a_figure)
    assert main(["check", "(x**2-1)**2/4", "--at", "1", "--report", str(page)]) == 130
    assert (page.read_text(), figure.read_bytes()) == ("old page", b"old figure")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine-bifurcation.png", "mine.md"]


def test_an_interrupted_plot_keeps_the_old_file(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from symbolic_eos.cli import main

    plot = tmp_path / "cobweb.png"
    plot.write_bytes(b"old plot")

    def half_then_interrupt(self, fname, *args, **kwargs):
        Path(fname).write_bytes(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(Figure, "savefig", half_then_interrupt)
    assert main(["orbit", "(x**2-1)**2/4", "--eta", "11/10", "--at", "1", "--plot", str(plot)]) == 130
    assert plot.read_bytes() == b"old plot" and [p.name for p in tmp_path.iterdir()] == ["cobweb.png"]
    monkeypatch.undo()
    assert main(["orbit", "(x**2-1)**2/4", "--eta", "11/10", "--at", "1", "--plot", str(plot)]) == 0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_mlp_plots_move_in_all_three_or_none(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from symbolic_eos.render.plots import plot_experiment

    run = SimpleNamespace(config=SimpleNamespace(name="fake"), losses=[1.0, 0.5, 0.25], tracked_steps=[0, 2],
                          sharpness=[1.0, 2.0], cosines=[0.1, 0.2], two_over_eta=2.0, dataset={"name": "fake"}, eta=1.0)
    folder = tmp_path / "plots"
    folder.mkdir()
    names = [f"mlp-fake-{k}.png" for k in ("loss", "sharpness", "cosine")]
    for n in names:
        (folder / n).write_bytes(b"old")
    saved = []
    real_savefig = Figure.savefig

    def third_fails(self, fname, *args, **kwargs):
        saved.append(fname)
        if len(saved) == 3:
            raise KeyboardInterrupt
        return real_savefig(self, fname, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", third_fails)
    with pytest.raises(KeyboardInterrupt):
        plot_experiment(run, str(folder))
    assert snapshot(folder) == {n: b"old" for n in names}
    monkeypatch.undo()
    paths = plot_experiment(run, str(folder))
    assert [Path(p).name for p in paths] == names
    assert all((folder / n).read_bytes()[:4] == b"\x89PNG" for n in names) and sorted(os.listdir(folder)) == sorted(names)


# --- the command, interrupted for real --------------------------------------------------------


def _interrupt_report(out: Path, when: str) -> tuple[int, str]:
    """Run ``report --out OUT`` (three claims, with figures) and send SIGINT as soon as a
    progress line starting with ``when`` appears on stderr."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "symbolic_eos", "report", "--out", str(out),
            "--only", "lemma2-l2,neuron-convergence,base-model-examples"]
    # A background job may inherit SIGINT ignored; the child must see Ctrl-C as a user would.
    proc = subprocess.Popen(argv, cwd=str(out.parent.parent), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    seen = []
    try:
        for line in proc.stderr:
            seen.append(line)
            if line.startswith(when):
                proc.send_signal(signal.SIGINT)
                break
        seen += proc.stderr.read().splitlines(keepends=True)
        return proc.wait(timeout=120), "".join(seen)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_report_interrupted_while_writing_figures_leaves_the_previous_report(tmp_path):
    parent = tmp_path / "parent"
    out = parent / "report"
    out.mkdir(parents=True)
    before = old_report(out)
    # "figures: [3/3]" comes after the first two pages (and a figure) were written, before the
    # base-model page, its figure and the 13 model figures: in the middle of writing.
    code, stderr = _interrupt_report(out, "figures: [3/3]")
    assert code == 130 and "interrupted" in stderr, stderr
    assert snapshot(out) == before
    assert [p.name for p in parent.iterdir()] == ["report"]  # no temporary sibling left


def test_a_report_interrupted_while_running_the_claims_creates_nothing(tmp_path):
    parent = tmp_path / "parent"
    parent.mkdir()
    code, stderr = _interrupt_report(parent / "new" / "report", "report: [2/3]")
    assert code == 130 and "interrupted" in stderr, stderr
    assert list(parent.iterdir()) == []


def test_a_linked_report_folder_is_replaced_behind_its_link(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "index.md").write_text("old")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    with atomic_directory(link) as building:
        (building / "index.md").write_text("new")
    assert link.is_symlink() and (link / "index.md").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


@pytest.mark.parametrize("name", ["../../escaped-rel.md", "/tmp/absolute.md", "..", ""])
def test_report_paths_stay_inside_the_report_folder(tmp_path, name):
    """Defence in depth behind the catalog's slug check: a name that becomes a path is refused
    unless the path lies inside the report folder."""
    from symbolic_eos.errors import InputError
    from symbolic_eos.render.report import _within

    assert _within(tmp_path, "models", "tanh.md") == tmp_path / "models" / "tanh.md"
    with pytest.raises(InputError, match="not inside the report folder"):
        _within(tmp_path, "models", name) if name else _within(tmp_path)
    assert not (tmp_path.parent / "escaped-rel.md").exists()
