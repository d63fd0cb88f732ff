"""Base models ``g`` of L2 losses, loaded from ``catalog/base_models.toml`` and validated.

>>> [m.name for m in base_models()][:3]
['sin', 'tanh', 'exp']
>>> model("log").domain
('0', 'inf')
"""

from __future__ import annotations

import os
from importlib import resources
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import sympy as sp

from .errors import InputError
from .parse import parse_constant, parse_expression

__all__ = ["BaseModel", "base_models", "model", "catalog_dir"]


def catalog_dir() -> Path:
    """The catalog folder: ``$SYMBOLIC_EOS_CATALOG`` if set, else the one installed with the
    package (``catalog/`` of the repository, shipped as ``symbolic_eos.catalog``).

    >>> (catalog_dir() / "claims.toml").is_file()
    True
    """
    env = os.environ.get("SYMBOLIC_EOS_CATALOG")
    if env:
        return Path(env)
    # a wheel is installed unzipped, so the package's files are a real folder
    return Path(str(resources.files("symbolic_eos.catalog")))


@dataclass(frozen=True)
class BaseModel:
    """A base model: its name, expression text in ``x``, open domain ``(lo, hi)`` (exact text,
    ``-inf``/``inf`` for unbounded), whether the poster lists it, notes, and optionally the
    closed range ``[lo, hi]`` (exact rationals inside the open domain) its certificate covers.

    >>> m = model("log")
    >>> m.expression, m.domain, m.poster, m.contains(parse_constant("1/2"))
    ('log(x)', ('0', 'inf'), True, True)
    """

    name: str
    expression: str
    domain: tuple[str, str]
    poster: bool
    notes: str
    range: tuple[str, str] | None = None

    @property
    def expr(self) -> sp.Expr:
        return parse_expression(self.expression)

    def contains(self, value: sp.Expr) -> bool | None:
        """Is ``value`` certainly inside the open domain?  None when that cannot be decided."""
        from .jets import constant_enclosure

        ball = constant_enclosure(value, 128)
        inside: bool | None = True
        for end, side in zip(self.domain, (-1, 1), strict=True):
            if end in ("-inf", "inf"):
                continue
            gap = (ball - constant_enclosure(parse_constant(end), 128)) * -side  # > 0 inside
            if gap > 0:
                continue
            if gap <= 0:
                return False
            inside = None
        return inside


_FIELDS = {"name": str, "expression": str, "domain": list, "poster": bool, "notes": str}
_OPTIONAL = {"range": list}


def _validate(entry: dict, index: int, source: Path) -> BaseModel:
    where = f"{source.name}, model {index + 1}"
    for key, kind in _FIELDS.items():
        if key not in entry:
            raise InputError(f"{where}: missing field {key!r}")
        if not isinstance(entry[key], kind):
            raise InputError(f"{where}: field {key!r} must be a {kind.__name__}")
    for key, kind in _OPTIONAL.items():
        if key in entry and not isinstance(entry[key], kind):
            raise InputError(f"{where}: field {key!r} must be a {kind.__name__}")
    unknown = set(entry) - set(_FIELDS) - set(_OPTIONAL)
    if unknown:
        raise InputError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    parse_expression(entry["expression"])  # raises InputError naming the problem
    domain = entry["domain"]
    if len(domain) != 2 or not all(isinstance(d, str) for d in domain):
        raise InputError(f"{where}: domain must be two strings [lo, hi]")
    for end in domain:
        if end not in ("-inf", "inf"):
            parse_constant(end)
    model = BaseModel(entry["name"], entry["expression"], (domain[0], domain[1]), entry["poster"], entry["notes"])
    if "range" in entry:
        model = replace(model, range=_validate_range(model, entry["range"], where))
    return model


def _validate_range(model: BaseModel, ends: list, where: str) -> tuple[str, str]:
    """A certificate range: two exact rationals ``lo < hi`` with ``[lo, hi]`` inside the open
    domain (``g`` must be real and smooth on the whole closed range)."""
    if len(ends) != 2 or not all(isinstance(e, str) for e in ends):
        raise InputError(f"{where}: range must be two strings [lo, hi]")
    values = []
    for end in ends:
        value = parse_constant(end)
        if not value.is_Rational:
            raise InputError(f"{where}: range end {end!r} must be an exact rational (e.g. '1/100')")
        values.append(value)
    if not values[0] < values[1]:
        raise InputError(f"{where}: range needs lo < hi, got [{ends[0]}, {ends[1]}]")
    for end, value in zip(ends, values, strict=True):
        if model.contains(value) is not True:
            raise InputError(f"{where}: range end {end} is not inside the open domain ({model.domain[0]}, {model.domain[1]})")
    return (str(values[0]), str(values[1]))


@lru_cache(maxsize=None)
def base_models() -> tuple[BaseModel, ...]:
    """Every base model of the catalog, validated (an :class:`InputError` names the problem)."""
    source = catalog_dir() / "base_models.toml"
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"catalog not found: {source} (set SYMBOLIC_EOS_CATALOG)") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source.name}: invalid TOML ({exc})") from None
    models = tuple(_validate(e, i, source) for i, e in enumerate(data.get("model", [])))
    names = [m.name for m in models]
    if len(set(names)) != len(names):
        raise InputError(f"{source.name}: duplicate model names")
    return models


def model(name: str) -> BaseModel:
    """The catalog's base model called ``name``; :class:`InputError` lists the known ones.

    >>> model("exp").expression
    'exp(x)'
    """
    for m in base_models():
        if m.name == name:
            return m
    raise InputError(f"unknown base model {name!r} (known: {', '.join(m.name for m in base_models())})")
