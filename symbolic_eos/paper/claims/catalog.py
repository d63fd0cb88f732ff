"""The claims catalog, ``catalog/claims.toml``: each entry loaded as a :class:`Claim`, its
fields and its verifier's parameters checked like command-line arguments.

>>> [c.id for c in claims()][:3]
['thm1-existence', 'lemma1-higher-order', 'lemma2-l2']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ...analysis.base_models import catalog_dir, read_catalog
from ...core import arguments
from ...core.vocabulary import ClaimKind, Status
from ...errors import InputError

__all__ = ["Claim", "CLAIM_IDS", "STATUSES", "claims", "claim", "claim_losses"]


CLAIM_IDS = ("thm1-existence", "lemma1-higher-order", "lemma2-l2", "composition-rule", "quartic-orbit",
             "xy-balancing", "balancing-theorems", "neuron-sharpness", "neuron-convergence", "neuron-reduction",
             "mf-cross-section", "mf-oscillation", "base-model-examples", "mlp-obs1", "mlp-obs2")
STATUSES = tuple(Status)
# One rigor vocabulary for the whole package (vocabulary.Rigor).

_TEXT_FIELDS = ("id", "title", "paper", "statement", "method")


@dataclass(frozen=True)
class Claim:
    """One claim of the paper: its ``id`` and ``title``, where it is in the ``paper``, the
    ``statement`` in our words, the ``method`` we verify it by, the commands that ``reproduce``
    it, the verifier's ``parameters``, whether it is a theorem or an observation (``kind``) and
    whether it speaks of a ``continuum`` (every start, every small eps, every minimiser), which only
    a proof covering the continuum may confirm (:mod:`symbolic_eos.paper.discipline`).

    >>> c = claim("lemma1-higher-order")
    >>> c.id, bool(c.title and c.paper and c.statement and c.method), bool(c.reproduce), c.kind, claim("quartic-orbit").continuum
    ('lemma1-higher-order', True, True, 'theorem', True)
    """

    id: str
    title: str
    paper: str
    statement: str
    method: str
    reproduce: tuple[str, ...]
    parameters: Mapping[str, Any] = field(default_factory=dict, compare=False)
    kind: ClaimKind = ClaimKind.THEOREM
    continuum: bool = False

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "paper": self.paper, "statement": self.statement,
                "method": self.method, "reproduce": list(self.reproduce), "parameters": dict(self.parameters),
                "kind": self.kind, "continuum": self.continuum}


def _load_claim(entry: Any, where: str) -> Claim:
    if not isinstance(entry, dict):
        raise InputError(f"{where}: a claim must be a table")
    unknown = set(entry) - set(_TEXT_FIELDS) - {"reproduce", "parameters", "kind", "continuum"}
    if unknown:
        raise InputError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for name in _TEXT_FIELDS:
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"{where}: field '{name}' must be a non-empty string")
    reproduce = entry.get("reproduce", [])
    if not isinstance(reproduce, list) or not all(isinstance(r, str) and r.startswith("symbolic-eos ") for r in reproduce):
        raise InputError(f"{where} ({entry['id']}): 'reproduce' must be a list of 'symbolic-eos ...' commands")
    parameters = entry.get("parameters", {})
    if not isinstance(parameters, dict):
        raise InputError(f"{where} ({entry['id']}): 'parameters' must be a table")
    kind = arguments.choice(entry.get("kind"), f"{where} ({entry['id']}): 'kind'", tuple(ClaimKind))
    continuum = arguments.flag(entry.get("continuum", False), f"{where} ({entry['id']}): 'continuum'")
    return Claim(entry["id"], " ".join(entry["title"].split()), " ".join(entry["paper"].split()),
                 " ".join(entry["statement"].split()), " ".join(entry["method"].split()), tuple(reproduce), parameters,
                 ClaimKind(kind), continuum)


def _integer(low: int, high: int) -> Callable[[Any, str], None]:
    def check(value: Any, where: str) -> None:
        arguments.integer(value, where, low, high)
    return check


def _texts(arity: int, parsers: tuple[Callable[[str], Any], ...], most: int) -> Callable[[Any, str], None]:
    """A list of 1 to ``most`` rows of ``arity`` strings, each parsed now (so a bad loss is found
    on load, like a bad command-line argument)."""
    def check(value: Any, where: str) -> None:
        if not isinstance(value, list) or not 1 <= len(value) <= most:
            raise InputError(f"{where} must be a list of 1 to {most} entries")
        for row in value:
            if not isinstance(row, list) or len(row) != arity or not all(isinstance(t, str) for t in row):
                raise InputError(f"{where}: every entry must be a list of {arity} strings, got {str(row)[:60]!r}")
            for text, parse in zip(row, parsers, strict=True):
                arguments.prefixed(where, parse, text)
    return check


def _config_name(value: Any, where: str) -> None:
    from ..mlp import CONFIGS

    arguments.choice(value, where, tuple(CONFIGS))


def _parameter_checks() -> dict[str, dict[str, Callable[[Any, str], None]]]:
    from ...core.parse import parse_constant, parse_expression

    losses = _texts(2, (parse_expression, parse_constant), 20)
    return {
        "thm1-existence": {"losses": losses},
        "lemma1-higher-order": {"losses": losses},
        "lemma2-l2": {"cases": _texts(3, (parse_expression, parse_constant, parse_constant), 50)},
        "composition-rule": {"budget": _integer(1, 100_000)},
        "quartic-orbit": {"starts": _integer(1, 5000)},
        "mlp-obs1": {"config": _config_name, "seed": _integer(0, 2**32 - 1)},
        "mlp-obs2": {"config": _config_name, "seed": _integer(0, 2**32 - 1)},
    }


def _check_parameters(claim_id: str, parameters: dict, where: str) -> None:
    """Catalog values are checked like command-line arguments: known names, types and ranges."""
    allowed = _parameter_checks().get(claim_id, {})
    unknown = set(parameters) - set(allowed)
    if unknown:
        known = ", ".join(sorted(allowed)) or "none"
        raise InputError(f"{where}: unknown parameter(s) {', '.join(sorted(unknown))} (this claim takes: {known})")
    for name, value in parameters.items():
        allowed[name](value, f"{where}: parameter {name!r}")


@lru_cache(maxsize=4)
def _claims(path: str) -> tuple[Claim, ...]:
    data = read_catalog(Path(path).name)
    entries = data.get("claim")
    if not isinstance(entries, list) or not entries:
        raise InputError(f"{path}: expected [[claim]] entries")
    loaded = tuple(_load_claim(e, f"{path}, claim {i + 1}") for i, e in enumerate(entries))
    ids = [c.id for c in loaded]
    if len(set(ids)) != len(ids):
        raise InputError(f"{path}: duplicate claim ids")
    if set(ids) != set(CLAIM_IDS):
        missing, extra = set(CLAIM_IDS) - set(ids), set(ids) - set(CLAIM_IDS)
        raise InputError(f"{path}: claim ids must be exactly the paper's ({'missing ' + ', '.join(sorted(missing)) if missing else ''}"
                         f"{'; unknown ' + ', '.join(sorted(extra)) if extra else ''})")
    for i, c in enumerate(loaded):
        _check_parameters(c.id, dict(c.parameters), f"{path}, claim {i + 1} ({c.id})")
    return loaded


def claims() -> tuple[Claim, ...]:
    """Every claim in ``catalog/claims.toml`` (``$SYMBOLIC_EOS_CATALOG`` overrides the folder).

    >>> [c.id for c in claims()][:3]
    ['thm1-existence', 'lemma1-higher-order', 'lemma2-l2']

    A catalog with a claim that lacks a field is refused on load, naming the claim:

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> _ = open(os.path.join(folder, "claims.toml"), "w").write('[[claim]]\\nid = "x"\\n')
    >>> os.environ["SYMBOLIC_EOS_CATALOG"] = folder
    >>> claims()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: .../claims.toml, claim 1: field 'title' must be a non-empty string
    >>> del os.environ["SYMBOLIC_EOS_CATALOG"]
    """
    return _claims(str(catalog_dir() / "claims.toml"))


def claim(claim_id: str) -> Claim:
    """The claim whose id is ``claim_id``; a clear error listing the ids otherwise.

    >>> claim("lemma2-l2").id
    'lemma2-l2'
    >>> claim("lemma-9")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: unknown claim 'lemma-9' (one of: thm1-existence, ...)
    """
    claim_id = arguments.text(claim_id, "claim_id", 200)
    for c in claims():
        if c.id == claim_id:
            return c
    raise InputError(f"unknown claim '{claim_id}' (one of: {', '.join(CLAIM_IDS)})")



def claim_losses(c: Claim, key: str = "losses") -> list[dict[str, Any]]:
    """The catalog's ``(loss, point)`` texts under the parameter ``key`` of the claim ``c``,
    parsed (they were validated when the catalog was loaded), as the keyword arguments of the
    typed checks; the point keeps its text as its label.

    >>> [(loss["text"], loss["label"]) for loss in claim_losses(claim("thm1-existence"))][:1]
    [('(x**2-1)**2/4', '1')]

    A claim built by hand is checked as the catalog's would be:

    >>> claim_losses(Claim("demo", "t", "p", "s", "m", (), {"losses": [["x**2/2", "zz"]]}))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: the point 'zz': unknown name 'zz' at position 0 ...
    """
    from ...core.parse import parse_expression, parse_variable_name

    out = []
    for text, at in c.parameters[key]:
        point, label = arguments.labelled_constant(at, "the point", what="the point")
        out.append({"expr": parse_expression(text), "var": parse_variable_name("x"), "at": point, "text": text, "label": label})
    return out
