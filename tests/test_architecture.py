"""The package's import graph follows the data flow, and ``__all__`` says what other modules use.

Layers, lowest first (each is a subpackage; ``errors`` at the top of the package belongs to ``core``):

* ``core``: errors, argument validation, parsing, jets and balls, algebraic numbers, decisions, numbers as text;
* ``linalg``: certified linear algebra on balls (the eigen-structure of exact symmetric matrices,
  the Krawczyk operator);
* ``analysis``: the one-variable checks built on them (minima, criteria, check, results, composition,
  the base-model catalog and its certificates);
* ``dynamics``: orbits, the two-cycle windows, basins, closed forms, the existence scan;
* ``multi``: the multivariate check (it continues one-variable cycles into several variables);
* ``paper``: the paper's settings, the claims catalog, the environment record, the data sets;
* ``render``: files, plots and reports (they draw what the layers below computed);
* ``api``: the package root, the command line and the hypothesis strategies.

A module may import (at module level or inside a function) from its own layer or a lower one,
never from a higher one; the root's ``__version__`` is the one name any module may import from it.
Every name one package module imports from another is in the exporter's ``__all__``: a name used
across modules is part of that module's interface, so it is documented and kept (test_api_docs.py).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path


PACKAGE = "symbolic_eos"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE

LAYERS = ("core", "linalg", "analysis", "dynamics", "multi", "paper", "render", "api")

#: The modules at the top of the package and their layers; every other module's layer is its
#: subpackage (``core.parse`` is in ``core``), so the layout itself states the layers.
TOP = {"errors": "core", "": "api", "__main__": "api", "api": "api", "cli": "api", "strategies": "api"}


def _layers() -> dict[str, str]:
    """module (dotted, relative to the package; "" is the root) -> layer."""
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = parts[0] if len(parts) > 1 and parts[0] in LAYERS else TOP.get(name, "?")
    return out


LAYER = _layers()

#: (importer, exporter, name) imported although the exporter's ``__all__`` does not list it.
#: The root's lazy names (``check`` ...) are reached through its ``__getattr__``; no module imports
#: them from the root, and a module that did would be caught by the layer rule anyway.
NOT_IN_ALL = {
    # jets' cached evaluation plan of an expression tree and the bottom-up evaluator over it: the
    # exact minima search and the algebraic evaluator reuse them (and so share jets' cache). They
    # are machinery of the package's evaluators, not an interface for users, so they stay private.
    ("core.algebraic", "core.jets", "_walk"),
    ("analysis.minima", "core.jets", "_walk"),
    ("analysis.minima", "core.jets", "_plan"),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(importer: str, is_package: bool, level: int, module: str | None) -> str | None:
    """The package-relative name ``from <level dots><module> import ...`` refers to in ``importer``."""
    base = importer.split(".") if importer else []
    if not is_package:
        base = base[:-1]  # a module's relative imports start from its package
    if level - 1 > len(base):
        return None
    base = base[: len(base) - (level - 1)]
    return ".".join(base + (module.split(".") if module else []))


def imports(source: str, importer: str, is_package: bool = False) -> list[tuple[str, str | None, int]]:
    """``(exporter, name, line)`` for each package import in ``source``; ``name`` is None for a
    module import (``import symbolic_eos.x``, ``from . import x`` where ``x`` is a module).

    Every import counts, at module level, inside a function or under ``TYPE_CHECKING``: a
    function-level import is still a dependency, only a later one.
    """
    out: list[tuple[str, str | None, int]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                    out.append((alias.name[len(PACKAGE) + 1:], None, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if node.module != PACKAGE and not (node.module or "").startswith(PACKAGE + "."):
                    continue
                target: str | None = (node.module or "")[len(PACKAGE) + 1:]
            else:
                target = _resolve(importer, is_package, node.level, node.module)
            if target is None:
                continue
            for alias in node.names:
                out.append((target, alias.name, node.lineno))
    return out


def _is_module(name: str) -> bool:
    return name in LAYER or (ROOT / (name.replace(".", "/") + ".py")).exists()


def graph() -> dict[str, list[tuple[str, str | None, int]]]:
    """importer -> its package imports, a name that is a submodule turned into a module import."""
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        name = _module_name(path)
        edges = []
        for exporter, imported, line in imports(path.read_text(), name, path.name == "__init__.py"):
            sub = f"{exporter}.{imported}".lstrip(".") if imported else None
            if sub is not None and _is_module(sub):
                edges.append((sub, None, line))
            else:
                edges.append((exporter, imported, line))
        out[name] = edges
    return out


def violations(edges: dict[str, list[tuple[str, str | None, int]]], layer: dict[str, str]) -> list[str]:
    """The imports that reach above the importer's layer (the root's ``__version__`` excepted)."""
    rank = {name: LAYERS.index(layer_name) for name, layer_name in layer.items()}
    out = []
    for importer, targets in edges.items():
        for exporter, name, line in targets:
            if exporter == "" and name == "__version__":
                continue
            if rank[exporter] > rank[importer]:
                out.append(f"{importer or PACKAGE}:{line} imports {exporter or PACKAGE}"
                           f"{'.' + name if name else ''} ({layer[importer]} -> {layer[exporter]})")
    return out


def unlisted(edges: dict[str, list[tuple[str, str | None, int]]]) -> list[str]:
    """The imported names missing from their exporter's ``__all__``."""
    out = []
    for importer, targets in edges.items():
        for exporter, name, line in targets:
            if name is None or exporter == "" or (importer, exporter, name) in NOT_IN_ALL:
                continue
            module = importlib.import_module(f"{PACKAGE}.{exporter}")
            if name not in getattr(module, "__all__", ()):
                out.append(f"{importer}:{line} imports {exporter}.{name}, not in {exporter}.__all__")
    return out


GRAPH = graph()


def test_every_module_has_a_layer():
    missing = sorted(set(GRAPH) - set(LAYER))
    assert not missing, f"modules without a layer in tests/test_architecture.py: {missing}"
    unknown = sorted({e for targets in GRAPH.values() for e, _, _ in targets} - set(LAYER))
    assert not unknown, f"imports of unknown modules: {unknown}"


def test_no_module_imports_from_a_layer_above_its_own():
    found = violations(GRAPH, LAYER)
    assert not found, "imports against the data flow:\n" + "\n".join(found)


def test_imported_names_are_in_the_exporters_all():
    found = unlisted(GRAPH)
    assert not found, "names used across modules but not declared public:\n" + "\n".join(found)


def test_the_allow_list_is_not_stale():
    used = {(i, e, n) for i, targets in GRAPH.items() for e, n, _ in targets}
    assert NOT_IN_ALL <= used, f"allowed but no longer imported: {sorted(NOT_IN_ALL - used)}"


def test_the_parser_sees_every_form_of_import():
    source = (
        "from . import arguments\n"
        "from .errors import InputError\n"
        "import symbolic_eos.core.jets\n"
        "from symbolic_eos.core.parse import parse_constant\n"
        "def f():\n"
        "    from ..decide import Decision\n"
        "import os\n"
        "from os import path\n"
    )
    assert imports(source, "settings.mlp") == [
        ("settings", "arguments", 1), ("settings.errors", "InputError", 2), ("core.jets", None, 3),
        ("core.parse", "parse_constant", 4), ("decide", "Decision", 6),
    ]
    assert imports("from . import x\nfrom .y import z\n", "settings", is_package=True) == [
        ("settings", "x", 1), ("settings.y", "z", 2)]
    assert imports("from . import __version__\n", "cli") == [("", "__version__", 1)]


def test_the_checks_can_fail():
    layer = {"": "api", "low": "core", "high": "render", "mid": "analysis"}
    edges: dict[str, list[tuple[str, str | None, int]]] = {
        "low": [("high", "draw", 3), ("", "__version__", 4)],  # up two layers; the version is fine
        "mid": [("low", "helper", 5), ("mid", "same", 6)],  # down and sideways: fine
        "high": [("", "check", 7)],  # the root is above everything
    }
    assert violations(edges, layer) == [
        "low:3 imports high.draw (core -> render)",
        "high:7 imports symbolic_eos.check (render -> api)",
    ]
    assert unlisted({"analysis.results": [("core.decide", "_not_public_at_all", 1), ("core.decide", "Decision", 2)]}) == [
        "analysis.results:1 imports core.decide._not_public_at_all, not in core.decide.__all__"]


def test_every_module_is_in_a_layer_package():
    """A module at the top of the package outside :data:`TOP` has no layer: put it in a subpackage."""
    assert [n for n, layer in LAYER.items() if layer == "?"] == []
    assert set(TOP) <= set(LAYER), f"TOP names modules that do not exist: {sorted(set(TOP) - set(LAYER))}"


def test_the_wheel_lists_every_subpackage():
    # setuptools ships only the packages pyproject names: a new subpackage left out is missing from
    # the wheel (paper.claims once was, and only the wheel's smoke run saw it).
    import tomllib

    root = Path(__file__).resolve().parent.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(root).parts) for p in (root / "symbolic_eos").rglob("__init__.py")}
    assert found <= listed, sorted(found - listed)
