"""The public API documents itself: every function and class named in a module's ``__all__``
has a docstring with a doctested example (``>>>``, run by ``--doctest-modules``) that names
each of its parameters, and every public function is completely annotated (mypy checks the
package with ``disallow_incomplete_defs`` only, so this is where "complete" is enforced)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import symbolic_eos

MODULES = sorted(m.name for m in pkgutil.walk_packages(symbolic_eos.__path__, "symbolic_eos.")
                 if not m.name.endswith("__main__"))


def _attribute(module: object, name: str) -> object:
    """``module.name``, or the submodule of that name (a package's ``__all__`` may list them)."""
    if not hasattr(module, name):
        importlib.import_module(f"{module.__name__}.{name}")  # type: ignore[attr-defined]
    return getattr(module, name)


def _public(module_name: str) -> list[tuple[str, object]]:
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    assert names is not None, f"{module_name} has no __all__"
    out = []
    for name in names:
        obj = _attribute(module, name)
        # A re-export (symbolic_eos.check) is checked in the module that defines it.
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module_name:
            out.append((f"{module_name}.{name}", obj))
    return out


PUBLIC = [entry for m in ["symbolic_eos"] + MODULES for entry in _public(m)]


def _parameters(obj: object) -> list[inspect.Parameter]:
    try:
        signature = inspect.signature(obj)  # type: ignore[arg-type]
    except (TypeError, ValueError):  # pragma: no cover - a builtin without a signature
        return []
    return [p for p in signature.parameters.values()
            if p.name not in ("self", "cls") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _problems(obj: object) -> list[str]:
    """What is missing from the docstring of ``obj``: an example, or a parameter's name."""
    doc = obj.__doc__ or ""  # not inspect.getdoc: a class must not borrow its base's docstring
    problems = [] if doc.strip() else ["no docstring"]
    if ">>>" not in doc:
        problems.append("no >>> example")
    for p in _parameters(obj):
        if not re.search(rf"(?<![\w.]){re.escape(p.name)}(?!\w)", doc):
            problems.append(f"parameter {p.name!r} not named")
    return problems


def test_every_module_declares_its_public_names():
    assert MODULES, "no modules found"
    for name in ["symbolic_eos"] + MODULES:
        module = importlib.import_module(name)
        assert isinstance(getattr(module, "__all__", None), (list, tuple)), f"{name} has no __all__"
        for n in module.__all__:
            _attribute(module, n)  # raises when __all__ names what the module does not define


@pytest.mark.parametrize("qualname, obj", PUBLIC, ids=[q for q, _ in PUBLIC])
def test_public_docstring_has_an_example_naming_every_parameter(qualname, obj):
    problems = _problems(obj)
    assert not problems, f"{qualname}: {'; '.join(problems)}"


@pytest.mark.parametrize("qualname, obj", [(q, o) for q, o in PUBLIC if inspect.isfunction(o)],
                         ids=[q for q, o in PUBLIC if inspect.isfunction(o)])
def test_public_function_is_completely_annotated(qualname, obj):
    signature = inspect.signature(obj)
    bare = [p.name for p in signature.parameters.values() if p.annotation is inspect.Parameter.empty]
    assert not bare, f"{qualname}: parameters without a type annotation: {bare}"
    assert signature.return_annotation is not inspect.Signature.empty, f"{qualname}: no return annotation"


def test_the_checks_themselves_can_fail():
    def undocumented(alpha: int) -> int:
        return alpha

    def documented(alpha: int, beta_gamma: int = 0) -> int:
        """``alpha`` plus ``beta_gamma``.

        >>> documented(1, beta_gamma=2)
        3
        """
        return alpha + beta_gamma

    def wrong_name(alpha: int) -> int:
        """Uses ``alpha_2`` and ``x.alpha``, never the parameter itself.

        >>> 1
        1
        """
        return alpha

    assert _problems(undocumented) == ["no docstring", "no >>> example", "parameter 'alpha' not named"]
    assert _problems(documented) == []
    assert _problems(wrong_name) == ["parameter 'alpha' not named"]
