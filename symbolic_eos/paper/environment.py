"""The software and machine a run was made on, so that a number quoted from a report can be tied
to it.

Exact and certified results do not depend on any of this. Float evidence does: a float64 run
past the edge of stability (the MLP) amplifies last-bit differences between BLAS kernels
(``OPENBLAS_CORETYPE``, thread counts) and numpy's SIMD paths, so its numbers hold for the
environment recorded here.

>>> env = environment()
>>> [k for k in ENVIRONMENT_FIELDS if k not in env]
[]
>>> env["numpy"] == __import__("numpy").__version__
True
"""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from .. import __version__

__all__ = ["ENVIRONMENT_FIELDS", "NOT_A_CHECKOUT", "blas_info", "environment", "environment_markdown", "git_commit"]

#: The keys of :func:`environment`, in the order the report prints them (names are part of the
#: JSON interface: add, never rename).
ENVIRONMENT_FIELDS = ("symbolic_eos", "git_commit", "python", "numpy", "blas", "numpy_simd", "python_flint",
                      "sympy", "mpmath", "matplotlib", "scikit_learn", "threadpoolctl", "platform")

_LABELS = {"symbolic_eos": "symbolic-eos", "git_commit": "git commit", "python": "Python", "numpy": "numpy",
           "blas": "BLAS (numpy's)", "numpy_simd": "numpy SIMD (dispatched)", "python_flint": "python-flint",
           "sympy": "sympy", "mpmath": "mpmath", "matplotlib": "matplotlib", "scikit_learn": "scikit-learn",
           "threadpoolctl": "threadpoolctl", "platform": "platform"}

NOT_A_CHECKOUT = "not a git checkout"
_GIT_TIMEOUT = 5.0  # seconds; a hung git (network file system, lock) must not hang a report


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git(directory: Path, *args: str) -> str | None:
    """``git -C directory args``: its stripped stdout, or None when git is absent, fails or hangs."""
    # Optional locks off: reading the status must never write the index of someone's checkout.
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(["git", "-C", str(directory), "-c", "core.fsmonitor=false", *args], env=env,
                              capture_output=True, text=True, timeout=_GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_commit(package_dir: str | Path | None = None) -> str:
    """The commit the package in ``package_dir`` (default: this one) runs from, ``"<sha> (dirty)"``
    when its tracked files (source, catalog, ``pyproject.toml``) have uncommitted changes, or
    ``"not a git checkout"``.

    The package counts as running from a checkout only when ``symbolic_eos/__init__.py`` of the
    enclosing work tree is this very file and is tracked: a copy installed in ``site-packages`` of
    a virtual environment that happens to sit inside some repository is not that repository's
    commit. A changed ``reports/`` does not make the tree dirty, since writing a report changes it.

    >>> import tempfile
    >>> git_commit(tempfile.mkdtemp())
    'not a git checkout'
    """
    here = Path(package_dir) if package_dir is not None else Path(__file__).resolve().parents[1]
    top = _git(here, "rev-parse", "--show-toplevel")
    if not top:
        return NOT_A_CHECKOUT
    init = Path(top) / "symbolic_eos" / "__init__.py"
    try:
        same = init.resolve() == (here / "__init__.py").resolve() and init.is_file()
    except OSError:
        same = False
    if not same or _git(Path(top), "ls-files", "--error-unmatch", "symbolic_eos/__init__.py") is None:
        return NOT_A_CHECKOUT
    sha = _git(Path(top), "rev-parse", "HEAD")
    if not sha:
        return NOT_A_CHECKOUT
    status = _git(Path(top), "status", "--porcelain", "--untracked-files=no", "--",
                  "symbolic_eos", "catalog", "pyproject.toml")
    if status is None:
        return f"{sha} (status unknown)"
    return f"{sha} (dirty)" if status else sha


def blas_info() -> str:
    """The BLAS numpy calls at run time: library, version, kernel and threads (threadpoolctl), else
    what numpy was built against (``numpy.show_config``), else ``"unknown"``.

    >>> isinstance(blas_info(), str)
    True
    """
    import numpy  # threadpoolctl only sees libraries already loaded

    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        pools = None
    else:
        try:
            pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        except Exception:  # noqa: BLE001 - an introspection failure must not stop a report
            pools = None
    try:
        built = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
        name, version = built.get("name"), built.get("version")
    except Exception:  # noqa: BLE001 - numpy < 2 prints instead, and the layout is not an API
        name, version = None, None
    if pools:
        # Other packages (scipy, scikit-learn) load BLAS libraries of their own: keep numpy's,
        # the one inside numpy's folder or its wheel's numpy.libs, else the one of its build version.
        home = Path(numpy.__file__).resolve().parent
        ours = [p for p in pools if _inside(p.get("filepath"), (home, home.parent / "numpy.libs"))]
        ours = ours or [p for p in pools if version and p.get("version") == version]
        text = "; ".join(f"{p.get('internal_api', '?')} {p.get('version') or '?'} (kernel "
                         f"{p.get('architecture') or '?'}, {_threads(p.get('num_threads'))})" for p in ours or pools)
        return text if ours or len(pools) == 1 else text + " (loaded; which is numpy's is not known)"
    if name:
        return f"{name} {version or '?'} (numpy build configuration; kernel unknown)"
    return "unknown"


def _threads(n: object) -> str:
    return f"{n} thread" if n == 1 else f"{n if n is not None else '?'} threads"


def _inside(path: str | None, folders: tuple[Path, ...]) -> bool:
    if not path:
        return False
    try:
        where = Path(path).resolve()
    except OSError:
        return False
    return any(where.is_relative_to(f) for f in folders)


def _numpy_simd() -> str:
    """numpy's own SIMD loops (tanh, exp, reductions) are chosen at run time from the CPU's features."""
    import importlib

    for where in ("numpy._core._multiarray_umath", "numpy.core._multiarray_umath"):  # numpy 2, numpy 1
        try:
            umath = importlib.import_module(where)
            baseline, dispatch, features = umath.__cpu_baseline__, umath.__cpu_dispatch__, umath.__cpu_features__
        except (ImportError, AttributeError):
            continue
        found = [f for f in dispatch if features.get(f)]
        return f"baseline {' '.join(baseline) or '-'}; dispatched {' '.join(found) or 'none'}"
    return "unknown"


def environment(package_dir: str | Path | None = None) -> dict[str, str]:
    """Versions and machine facts, one string each, keyed by :data:`ENVIRONMENT_FIELDS`; the git
    commit is looked up for ``package_dir`` (default: this package's folder).

    >>> env = environment()
    >>> env["symbolic_eos"] == __version__ and env["python"].split()[0] in ("CPython", "PyPy")
    True
    """
    import flint
    import mpmath
    import numpy
    import sympy

    return {
        "symbolic_eos": __version__,
        "git_commit": git_commit(package_dir),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "numpy": numpy.__version__,
        "blas": blas_info(),
        "numpy_simd": _numpy_simd(),
        "python_flint": getattr(flint, "__version__", None) or _version("python-flint"),
        "sympy": sympy.__version__,
        "mpmath": mpmath.__version__,
        "matplotlib": _version("matplotlib"),  # without importing it: pyplot is slow to load
        "scikit_learn": _version("scikit-learn"),
        "threadpoolctl": _version("threadpoolctl"),
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}".strip(),
    }


def environment_markdown(env: dict[str, str], heading: str = "## Environment") -> str:
    """A Markdown section under ``heading``: one table row per field of ``env``, values in code
    spans.

    >>> print(environment_markdown({"numpy": "2.4.6"}, "## Env"))
    ## Env
    <BLANKLINE>
    | | |
    |---|---|
    | numpy | `2.4.6` |
    <BLANKLINE>
    """
    keys = [k for k in ENVIRONMENT_FIELDS if k in env] + [k for k in env if k not in ENVIRONMENT_FIELDS]
    rows = "\n".join(f"| {_LABELS.get(k, k)} | `{str(env[k]).replace('`', chr(39)).replace('|', '/')}` |" for k in keys)
    return f"{heading}\n\n| | |\n|---|---|\n{rows}\n"
