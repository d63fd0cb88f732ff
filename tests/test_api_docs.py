"""The public API documents itself: every function and class named in a module's ``__all__``
has a docstring with a doctested example (``>>>``, run by ``--doctest-modules``) that names
each of its parameters, and every public function is completely annotated (mypy checks the
package with ``disallow_incomplete_defs`` only, so this is where "complete" is enforced)."""

from __future__ import annotations

import ast
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


# -- Failure modes (issue 14 item 6) -------------------------------------------------------------
#
# A public function that validates its arguments (calls ``arguments.<check>``; inside
# ``core/arguments`` itself, one of that module's checks), raises an exception in its own body, or
# calls a private helper of its module (``_name``) that does either, has a failure mode, and its
# docstring must show it: either a doctested traceback (``Traceback (most recent call last):`` ...
# the one-line exception), or, where the failure is a returned outcome rather than an exception, a
# doctest line whose comment names it and says why, ``>>> call(...)  # undecided: <reason>`` or
# ``>>> call(...)  # refused: <reason>``.
# A bare ``raise`` (re-raising after clean-up) and ``raise InternalError`` (a broken invariant,
# never the user's input) are not failure modes a user meets, so they do not count.

FAILURE_MARKER = re.compile(r"Traceback \(most recent call last\):|>>> .*#\s*(undecided|refused):")

#: Public functions that match the rule but have no failure a user can meet; each says why.
FAILURE_ALLOWED: dict[str, str] = {
    # its helper _walk refuses an oversized constant only when given a bit bound, and
    # effective_degree gives none (it bounds the degree of an already-parsed expression)
    "symbolic_eos.core.parse.effective_degree": "the helper's only refusal is switched off (max_bits=None)",
}

_NOT_A_FAILURE = {"InternalError"}


def _top_level_functions(module_name: str) -> dict[str, ast.FunctionDef]:
    module = importlib.import_module(module_name)
    tree = ast.parse(inspect.getsource(module))
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def _raised_name(node: ast.Raise) -> str:
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    if isinstance(exc, ast.Name):
        return exc.id
    return exc.attr if isinstance(exc, ast.Attribute) else ast.unparse(exc)


def failure_reasons(function: ast.FunctionDef, local_checks: frozenset[str] = frozenset(),
                    helpers: dict[str, list[str]] | None = None) -> list[str]:
    """Why ``function`` has a failure mode: the validators it calls, the exceptions it raises and
    the failing private ``helpers`` it calls (names in ``local_checks`` count as validators called
    without the ``arguments.`` prefix)."""
    reasons = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "arguments":
                reasons.add(f"calls arguments.{f.attr}")
            elif isinstance(f, ast.Name) and f.id in local_checks:
                reasons.add(f"calls {f.id}")
            elif isinstance(f, ast.Name) and helpers and f.id in helpers:
                reasons.add(f"calls {f.id}, which {helpers[f.id][0]}")
        elif isinstance(node, ast.Raise) and node.exc is not None and _raised_name(node) not in _NOT_A_FAILURE:
            reasons.add(f"raises {_raised_name(node)}")
    return sorted(reasons)


def failing_helpers(functions: dict[str, ast.FunctionDef], local_checks: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """The private functions among ``functions`` with a failure mode, each with its reasons,
    closed under calls between them (a helper calling a failing helper fails too)."""
    helpers: dict[str, list[str]] = {}
    while True:
        found = {name: reasons for name, f in functions.items()
                 if name.startswith("_") and name not in helpers
                 and (reasons := failure_reasons(f, local_checks, helpers))}
        if not found:
            return helpers
        helpers.update(found)


def _shows_failure(doc: str) -> bool:
    return bool(FAILURE_MARKER.search(doc))


def _failure_cases() -> list[tuple[str, list[str], str]]:
    from symbolic_eos.core import arguments
    checks = frozenset(n for n, o in vars(arguments).items()
                       if inspect.isfunction(o) and o.__module__ == arguments.__name__)
    cases = []
    for module_name in ["symbolic_eos"] + MODULES:
        functions = _top_level_functions(module_name)
        local = checks if module_name == arguments.__name__ else frozenset()
        helpers = failing_helpers(functions, local)
        for qualname, obj in _public(module_name):
            name = qualname.rsplit(".", 1)[1]
            if inspect.isfunction(obj) and name in functions:
                reasons = failure_reasons(functions[name], local, helpers)
                if reasons:
                    cases.append((qualname, reasons, obj.__doc__ or ""))
    return cases


FAILURE_CASES = _failure_cases()


def test_the_failure_rule_covers_the_validating_functions():
    assert len(FAILURE_CASES) > 40, len(FAILURE_CASES)
    assert not set(FAILURE_ALLOWED) - {q for q, _, _ in FAILURE_CASES}, "stale FAILURE_ALLOWED entries"


@pytest.mark.parametrize("qualname, reasons, doc", FAILURE_CASES, ids=[q for q, _, _ in FAILURE_CASES])
def test_public_function_shows_its_failure_mode(qualname, reasons, doc):
    if qualname in FAILURE_ALLOWED:
        assert not _shows_failure(doc), f"{qualname} shows its failure now: drop it from FAILURE_ALLOWED"
        return
    assert _shows_failure(doc), (f"{qualname} has a failure mode ({', '.join(reasons)}) but its docstring "
                                 "shows none: add a Traceback doctest or a '# undecided:'/'# refused:' line")


def test_the_failure_checks_themselves_can_fail():
    source = '''
def validates(eta):
    return arguments.rational(eta, "eta")

def raises(x):
    if x < 0:
        raise InputError("negative")
    raise InternalError("bug")

def reraises(x):
    try:
        return 1 / x
    except ZeroDivisionError:
        raise

def pure(x):
    return x + 1

def _check(x):
    return validates(x) if x else _check_more(x)

def _check_more(x):
    raise InputError("zero")

def _clean(x):
    return x

def through_helper(x):
    return _check(x) + _clean(x)
'''
    functions = {f.name: f for f in ast.parse(source).body}
    helpers = failing_helpers(functions)
    assert helpers == {"_check_more": ["raises InputError"], "_check": ["calls _check_more, which raises InputError"]}
    assert failure_reasons(functions["through_helper"], helpers=helpers) == [
        "calls _check, which calls _check_more, which raises InputError"]
    assert failure_reasons(functions["validates"]) == ["calls arguments.rational"]
    assert failure_reasons(functions["raises"]) == ["raises InputError"]
    assert failure_reasons(functions["reraises"]) == []
    assert failure_reasons(functions["pure"], frozenset({"rational"})) == []
    assert _shows_failure(">>> f(-1)\nTraceback (most recent call last):\n...\nInputError: eta")
    assert _shows_failure(">>> ball_sign(b)  # undecided: the ball contains 0\n")
    assert not _shows_failure(">>> f(1)\n2\n")
    assert not _shows_failure("an undecided outcome is possible")
