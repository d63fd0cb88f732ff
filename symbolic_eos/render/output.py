"""Output that is never half-written: files and folders are built beside their target and moved
into place only when complete.

* :func:`atomic_files` -- one or several files, each written to a temporary sibling and
  ``os.replace``-d over its target together, in the order given (write a page's figure before
  the page, and the page never points to a missing figure);
* :func:`atomic_directory` -- a folder built in a temporary sibling and swapped in whole (the
  old one renamed aside, the new one renamed in, the old one removed).

On any exception, ``KeyboardInterrupt`` included, the temporaries are removed and the previous
output is untouched; folders created on the way are removed again. SIGINT and SIGTERM wait
while the output is moved, so an interrupt lands before the move or after it, never inside.

>>> import tempfile
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "a.txt").write_text("old")
>>> try:
...     with atomic_files(d / "a.txt") as (tmp,):
...         _ = tmp.write_text("half")
...         raise RuntimeError("interrupted")
... except RuntimeError:
...     pass
>>> (d / "a.txt").read_text(), sorted(p.name for p in d.iterdir())
('old', ['a.txt'])
>>> with atomic_files(d / "a.txt") as (tmp,):
...     _ = tmp.write_text("new")
>>> (d / "a.txt").read_text()
'new'
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError, brief

__all__ = ["file_target", "atomic_files", "atomic_directory", "temporary_sibling"]

_HELD = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s is not None)


@contextmanager
def _signals_held() -> Iterator[None]:
    # Blocked, not ignored: a Ctrl-C during the move is delivered (and raises) right after it.
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows: no signal masks
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def temporary_sibling(path: Path, kind: str) -> Path:
    """A fresh hidden name next to ``path`` (same folder, so same file system, and the same
    suffix, so tools that read the format from the name still do): ``.NAME.KIND-XXXXXXXX.SUFFIX``,
    where ``kind`` says what the temporary is for.

    >>> temporary_sibling(Path("out/fig.png"), "tmp").name.startswith(".fig.png.tmp-")
    True
    >>> temporary_sibling(Path("out/fig.png"), "tmp").suffix
    '.png'
    """
    # the name is cut so that the temporary's name stays within NAME_MAX (255) whenever the target's does
    return path.with_name(f".{path.name[:200]}.{kind}-{secrets.token_hex(4)}{path.suffix[:16]}")


def _fail(path: Path, exc: OSError) -> InputError:
    return InputError(f"cannot write {brief(repr(str(path)), 80)}: {exc.strerror or exc}")


def _make_folder(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created, outermost first."""
    missing = []
    for p in [folder, *folder.parents]:
        if p.exists() or p.is_symlink():
            break
        missing.append(p)
    missing.reverse()
    try:
        for p in missing:
            p.mkdir()
    except OSError as exc:
        _remove_folders(missing)
        raise _fail(folder, exc) from None
    return missing


def _remove_folders(created: list[Path]) -> None:
    for p in reversed(created):
        try:
            p.rmdir()  # only when still empty: never what someone else put there
        except OSError:
            pass


def _mode(target: Path, directory: bool) -> int:
    """The permissions the output should get: the old output's, else the umask's default
    (temporary files are made private, and the result must not be)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return (0o777 if directory else 0o666) & ~umask


def _remove(path: Path) -> None:
    """Remove a temporary if it is there; cleaning up never raises (it runs while an error or
    an interrupt is on its way out, which must not be replaced by another)."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except OSError:
        pass


def file_target(path: str | Path) -> Path:
    """``path`` as the name of a file to write: refused (:class:`InputError`) when it names a
    folder (``.``, ``/``, an existing folder), so that nothing is written in its place.

    >>> file_target("out/page.md").name
    'page.md'
    >>> file_target(".")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: cannot write '.': it is a folder, not a file name
    """
    target = Path(path)
    try:
        folder = target.name in ("", ".", "..") or target.is_dir()
    except OSError:  # e.g. a name too long to look up: the write itself will say so
        folder = False
    if folder:
        raise InputError(f"cannot write {brief(repr(str(path)), 80)}: it is a folder, not a file name")
    return target


@contextmanager
def atomic_files(*paths: str | Path) -> Iterator[tuple[Path, ...]]:
    """Yield one temporary path per target in ``paths`` (none exists yet: write each one you
    want); when the block ends normally, each temporary written is moved over its target, in the
    order given. A target whose temporary was not written keeps its old content, and on an
    exception (Ctrl-C included) every target keeps its old content.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_files(target) as (tmp,):
    ...     _ = tmp.write_text("new")
    ...     target.exists()
    False
    >>> target.read_text()
    'new'

    A write that fails (here: a file where the folder should be) is reported with its target:

    >>> blocker = target.parent / "b"
    >>> _ = blocker.write_text("")
    >>> with atomic_files(blocker / "c.txt") as (tmp,):  # doctest: +ELLIPSIS
    ...     _ = tmp.write_text("new")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: cannot write '.../b/c.txt': Not a directory
    """
    targets = [file_target(p) for p in paths]
    created: list[Path] = []
    for folder in dict.fromkeys(t.parent for t in targets):
        created += _make_folder(folder)
    temps = tuple(temporary_sibling(t, "tmp") for t in targets)
    try:
        yield temps
        with _signals_held():
            for tmp, target in zip(temps, targets, strict=True):
                if tmp.exists():
                    os.chmod(tmp, _mode(target, directory=False))
                    os.replace(tmp, target)
    except BaseException as exc:
        with _signals_held():
            for tmp in temps:
                _remove(tmp)
            _remove_folders(created)
        if isinstance(exc, OSError) and not isinstance(exc, InputError):
            raise _fail(targets[-1], exc) from None
        raise


@contextmanager
def atomic_directory(path: str | Path, keep_hidden: bool = True) -> Iterator[Path]:
    """Yield an empty temporary folder beside ``path``; when the block ends normally it replaces
    ``path`` (the old folder is renamed aside, the new one renamed in, the old one removed).
    With ``keep_hidden``, hidden entries of the old folder that the new one lacks (a
    ``.gitkeep``) are copied over first.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()) / "report"
    >>> with atomic_directory(d) as tmp:
    ...     _ = (tmp / "index.md").write_text("v1")
    >>> try:
    ...     with atomic_directory(d) as tmp:
    ...         _ = (tmp / "index.md").write_text("v2")
    ...         raise KeyboardInterrupt
    ... except KeyboardInterrupt:
    ...     pass
    >>> (d / "index.md").read_text(), [p.name for p in d.parent.iterdir()]
    ('v1', ['report'])

    >>> _ = (d.parent / "notes").write_text("")
    >>> with atomic_directory(d.parent / "notes") as tmp:  # doctest: +ELLIPSIS
    ...     pass
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: cannot write the folder '.../notes': a file is in the way
    """
    target = Path(path).absolute()
    if target.is_symlink() and target.is_dir():
        target = target.resolve()  # replace the folder linked to; the link keeps pointing at it
    if target.exists() and not target.is_dir():
        raise InputError(f"cannot write the folder {str(path)!r}: a file is in the way")
    here = Path.cwd().resolve()
    if target.resolve() == here or target.resolve() in here.parents:
        # Renaming the working folder aside would leave this process (and a shell) in a deleted one.
        raise InputError(f"cannot replace the folder {str(path)!r}: it holds the current working folder")
    created = _make_folder(target.parent)
    new = temporary_sibling(target, "new")
    aside = None
    try:
        try:
            new.mkdir()
        except OSError as exc:
            raise _fail(target, exc) from None
        yield new
        if keep_hidden and target.is_dir():
            for entry in target.iterdir():
                if entry.name.startswith(".") and not (new / entry.name).exists():
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.copytree(entry, new / entry.name, symlinks=True)
                    else:
                        shutil.copy2(entry, new / entry.name, follow_symlinks=False)
        with _signals_held():
            os.chmod(new, _mode(target, directory=True))
            if target.exists():
                aside = temporary_sibling(target, "old")
                os.rename(target, aside)
            try:
                os.rename(new, target)
            except OSError:
                if aside is not None:
                    os.rename(aside, target)
                    aside = None
                raise
            if aside is not None:
                shutil.rmtree(aside, ignore_errors=True)
    except BaseException as exc:
        with _signals_held():
            _remove(new)
            _remove_folders(created)
        if isinstance(exc, OSError) and not isinstance(exc, InputError):
            raise _fail(target, exc) from None
        raise
