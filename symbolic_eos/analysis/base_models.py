"""Base models ``g`` of L2 losses, loaded from ``catalog/base_models.toml`` and validated.

>>> [m.name for m in base_models()][:3]
['sin', 'tanh', 'exp']
>>> model("log").domain
('0', 'inf')
"""

from __future__ import annotations

import os
import re
from importlib import resources
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import sympy as sp

from ..core import arguments
from ..errors import InputError
from ..core.parse import parse_constant, parse_expression

__all__ = ["BaseModel", "base_models", "model", "catalog_dir", "read_catalog", "slug", "SLUG"]


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


#: A name that becomes part of a file name in a report: a slug, never a path.
SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


def read_catalog(name: str) -> dict:
    """The TOML table of the catalog file ``name`` (``claims.toml`` or ``base_models.toml``);
    any unreadable, non-UTF-8 or invalid file is an :class:`InputError` naming it.

    >>> sorted(read_catalog("base_models.toml"))
    ['model']
    >>> read_catalog("nothere.toml")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: catalog not found: .../nothere.toml (set SYMBOLIC_EOS_CATALOG to a folder holding nothere.toml)
    """
    source = catalog_dir() / arguments.text(name, "name", 200)
    try:
        text = source.read_bytes().decode("utf-8")
        return tomllib.loads(text)
    except FileNotFoundError:
        raise InputError(f"catalog not found: {source} (set SYMBOLIC_EOS_CATALOG to a folder holding {name})") from None
    except IsADirectoryError:
        raise InputError(f"catalog {source} is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"catalog {source}: cannot read it ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"catalog {source}: not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source.name}: not valid TOML ({exc})") from None


def slug(value: object, where: str) -> str:
    """``value`` if it is a slug (lower-case letters, digits, ``-``, ``_``; at most 40), so that
    it can name a file inside a report folder; otherwise an :class:`InputError` that starts with
    ``where``.

    >>> slug("tanh", "model")
    'tanh'
    >>> slug("../../escaped", "model")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: model: name '../../escaped' must be a slug (a-z, 0-9, - and _, at most 40 characters; it names a file)
    """
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise InputError(f"{where}: name {str(value)[:60]!r} must be a slug (a-z, 0-9, - and _, at most 40 characters; "
                         "it names a file)")
    return value


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
        from flint import arb

        from ..core.decide import decide_ball
        from ..core.jets import constant_enclosure

        inside: bool | None = True
        for end, side in zip(self.domain, (-1, 1), strict=True):
            if end in ("-inf", "inf"):
                continue
            bound = parse_constant(end)
            # One rung of the ladder: a catalogue domain end is a small constant, far from value.
            def gap_at(prec: int, bound: sp.Expr = bound, side: int = side) -> arb:
                return (constant_enclosure(value, prec) - constant_enclosure(bound, prec)) * -side  # > 0 inside

            gap = decide_ball(gap_at, (128,))
            if gap.sign == 1:
                continue
            if gap.sign is not None:
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
    slug(entry["name"], where)
    if len(entry["notes"]) > 2000:
        raise InputError(f"{where}: notes longer than 2000 characters")
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
    entries = read_catalog("base_models.toml").get("model", [])
    if not isinstance(entries, list) or not entries or len(entries) > 200:
        raise InputError(f"{source.name}: expected 1 to 200 [[model]] entries")
    if not all(isinstance(e, dict) for e in entries):
        raise InputError(f"{source.name}: every model must be a table")
    models = tuple(_validate(e, i, source) for i, e in enumerate(entries))
    names = [m.name for m in models]
    if len(set(names)) != len(names):
        raise InputError(f"{source.name}: duplicate model names")
    return models


def model(name: str) -> BaseModel:
    """The catalog's base model called ``name``; :class:`InputError` lists the known ones.

    >>> model("exp").expression
    'exp(x)'

    >>> model("nope")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: unknown base model 'nope' (known: sin, tanh, exp, log, ...)
    """
    name = arguments.text(name, "name", 200)
    for m in base_models():
        if m.name == name:
            return m
    raise InputError(f"unknown base model {name!r} (known: {', '.join(m.name for m in base_models())})")
