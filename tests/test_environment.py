"""The environment a report records: git commit (or not a checkout), BLAS, versions; and
`verify-paper --json`'s `environment` object."""

import json
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import numpy
import pytest
import sympy

import symbolic_eos
from symbolic_eos.paper import environment as environment_module
from symbolic_eos.cli import main
from symbolic_eos.paper.environment import ENVIRONMENT_FIELDS, NOT_A_CHECKOUT, blas_info, environment, git_commit

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def checkout(tmp_path):
    """A repository laid out like ours: symbolic_eos/__init__.py and reports/index.md, committed."""
    repo = tmp_path / "repo"
    (repo / "symbolic_eos").mkdir(parents=True)
    (repo / "reports").mkdir()
    (repo / "symbolic_eos" / "__init__.py").write_text("x = 1\n")
    (repo / "reports" / "index.md").write_text("# report\n")
    (repo / ".gitignore").write_text(".venv/\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "first")
    return repo


@needs_git
def test_git_commit_of_a_clean_checkout_is_head(checkout):
    assert git_commit(checkout / "symbolic_eos") == _git(checkout, "rev-parse", "HEAD")


@needs_git
def test_uncommitted_package_changes_mark_the_commit_dirty_but_a_rewritten_report_does_not(checkout):
    head = _git(checkout, "rev-parse", "HEAD")
    (checkout / "reports" / "index.md").write_text("# regenerated\n")
    assert git_commit(checkout / "symbolic_eos") == head
    (checkout / "symbolic_eos" / "__init__.py").write_text("x = 2\n")
    assert git_commit(checkout / "symbolic_eos") == f"{head} (dirty)"


@needs_git
def test_a_copy_installed_inside_some_repository_is_not_a_checkout(checkout):
    # A virtual environment inside the repository (ignored by git): the installed copy is not the
    # tracked one, so the repository's HEAD says nothing about the code that ran.
    site = checkout / ".venv" / "lib" / "site-packages" / "symbolic_eos"
    site.mkdir(parents=True)
    (site / "__init__.py").write_text("x = 1\n")
    assert git_commit(site) == NOT_A_CHECKOUT


@needs_git
def test_an_untracked_package_is_not_a_checkout(tmp_path):
    (tmp_path / "symbolic_eos").mkdir()
    (tmp_path / "symbolic_eos" / "__init__.py").write_text("")
    _git(tmp_path, "init", "-q")
    assert git_commit(tmp_path / "symbolic_eos") == NOT_A_CHECKOUT


def test_no_git_at_all_is_not_a_checkout(checkout, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no git executable anywhere
    assert git_commit(checkout / "symbolic_eos") == NOT_A_CHECKOUT


def test_a_hanging_git_is_cut_off(checkout, monkeypatch):
    def hang(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], kwargs.get("timeout"))

    monkeypatch.setattr(environment_module.subprocess, "run", hang)
    assert git_commit(checkout / "symbolic_eos") == NOT_A_CHECKOUT


def test_blas_from_threadpoolctl_names_the_running_kernel():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    # numpy's own library (a wheel's numpy.libs/); scipy and scikit-learn, once imported, add theirs.
    pools = [p for p in threadpoolctl.threadpool_info()
             if p["user_api"] == "blas" and Path(p["filepath"]).parent.name.startswith("numpy")]
    if not pools:
        pytest.skip("numpy's BLAS is not a wheel's numpy.libs/ here")
    text = blas_info()
    assert pools[0]["internal_api"] in text and f"kernel {pools[0]['architecture']}" in text
    assert pools[0]["version"] in text


def test_blas_is_numpys_even_when_scipy_loads_another(monkeypatch):
    threadpoolctl = pytest.importorskip("threadpoolctl")
    home = Path(numpy.__file__).resolve().parent
    pools = [{"user_api": "blas", "internal_api": "openblas", "version": "0.3.30", "architecture": "Zen",
              "num_threads": 4, "filepath": str(home.parent / "scipy.libs" / "libscipy_openblas.so")},
             {"user_api": "blas", "internal_api": "openblas", "version": "0.3.31", "architecture": "Haswell",
              "num_threads": 1, "filepath": str(home.parent / "numpy.libs" / "libscipy_openblas64_.so")},
             {"user_api": "openmp", "internal_api": "openmp", "version": None, "num_threads": 2, "filepath": "/x/libgomp.so"}]
    monkeypatch.setattr(threadpoolctl, "threadpool_info", lambda: pools)
    assert blas_info() == "openblas 0.3.31 (kernel Haswell, 1 thread)"
    # Neither in numpy's folders nor of numpy's build version: both are listed, and said to be so.
    elsewhere = [dict(p, filepath=f"/usr/lib/lib{i}.so", version=f"9.9.{i}") for i, p in enumerate(pools[:2])]
    monkeypatch.setattr(threadpoolctl, "threadpool_info", lambda: elsewhere)
    assert blas_info() == ("openblas 9.9.0 (kernel Zen, 4 threads); openblas 9.9.1 (kernel Haswell, 1 thread) "
                           "(loaded; which is numpy's is not known)")


def test_blas_without_threadpoolctl_falls_back_to_the_build_configuration(monkeypatch):
    monkeypatch.setitem(sys.modules, "threadpoolctl", None)  # import fails
    built = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
    text = blas_info()
    assert text == f"{built['name']} {built['version']} (numpy build configuration; kernel unknown)"
    monkeypatch.setattr(numpy, "show_config", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("no config")))
    assert blas_info() == "unknown"


def test_environment_names_the_imported_versions():
    env = environment()
    assert list(env) == list(ENVIRONMENT_FIELDS)
    assert env["symbolic_eos"] == symbolic_eos.__version__
    assert env["numpy"] == numpy.__version__ and env["sympy"] == sympy.__version__
    assert env["python"] == f"{platform.python_implementation()} {platform.python_version()}"
    assert all(isinstance(v, str) and v for v in env.values())


@needs_git
def test_verify_paper_json_has_the_environment(capsys):
    assert main(["verify-paper", "--only", "lemma2-l2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in out["claims"]] == ["lemma2-l2"] and "counts" in out  # nothing renamed
    env = out["environment"]
    assert set(env) == set(ENVIRONMENT_FIELDS) and env["numpy"] == numpy.__version__
    package = Path(symbolic_eos.__file__).resolve().parent
    top = subprocess.run(["git", "-C", str(package), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False)
    tracked = top.returncode == 0 and (Path(top.stdout.strip()) / "symbolic_eos" / "__init__.py").resolve() == package / "__init__.py"
    if tracked:  # running from a checkout: the commit is HEAD, dirty or not
        head = subprocess.run(["git", "-C", str(package), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        assert env["git_commit"] in (head, f"{head} (dirty)")
    else:
        assert env["git_commit"] == NOT_A_CHECKOUT
