"""Hypothesis strategies for property-testing stable-oscillation claims (in the spirit of
``hypothesis.extra.numpy``): base models, random compositions of them, and points where a
composition is real and smooth.

Every strategy draws *text* in the package's input language, so a failing example prints as
something you can paste into the command line::

    from hypothesis import given
    from symbolic_eos import strategies as eos_st
    from symbolic_eos import compose

    @given(eos_st.composition_cases(depth=2))
    def test_my_rule(case):
        q, p, at = case
        result = compose(q, p, at)
        ...

Strategies:

* :func:`base_models` -- the catalog's models (``sin``, ``tanh``, ``x**3``, ``exp``, ``log``,
  ``sigmoid``, ``gaussian``, ``softplus``, ``atan``, ``erf``, ...) and :func:`affine_maps`;
* :func:`compositions` -- nested compositions of them, of bounded depth;
* :func:`smooth_points` -- exact points where a given expression is real and smooth;
* :func:`composition_cases` -- ``(q, p, x)`` triples for :func:`symbolic_eos.analysis.composition.compose`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from hypothesis import strategies as st

from .analysis.base_models import base_models as _catalog
from .core import arguments
from .core.numbers import exact_string
from .errors import EosError

__all__ = ["base_models", "affine_maps", "compositions", "smooth_points", "composition_cases", "substitute", "MAX_DEPTH"]


def substitute(outer: str, inner: str) -> str:
    """The text of ``outer(inner(x))``: every ``x`` token of ``outer`` replaced by ``(inner)``.

    >>> substitute("log(x)", "exp(x)")
    'log((exp(x)))'
    """
    import re

    return re.sub(r"(?<![A-Za-z_0-9])x(?![A-Za-z_0-9])", f"({inner})", outer)


def affine_maps(max_coefficient: int = 3) -> st.SearchStrategy[str]:
    """``a*x + b`` with small non-zero rational ``a`` and small rational ``b``: ``0 < |a| <=
    max_coefficient``, ``|b| <= max_coefficient``, denominators at most 4.

    A deterministic draw (``derandomize``, no example database):

    >>> from hypothesis import given, settings
    >>> from symbolic_eos.core.parse import parse_expression, parse_variable_name
    >>> drawn = []
    >>> @settings(max_examples=3, database=None, derandomize=True, deadline=None)
    ... @given(affine_maps(max_coefficient=2))
    ... def draw(text):
    ...     drawn.append(text)
    >>> draw()
    >>> x = parse_variable_name("x")
    >>> maps = [parse_expression(t) for t in drawn]
    >>> all(0 < abs(m.diff(x)) <= 2 and abs(m.subs(x, 0)) <= 2 for m in maps)
    True
    """
    nonzero = st.fractions(-max_coefficient, max_coefficient, max_denominator=4).filter(lambda a: a != 0)
    small = st.fractions(-max_coefficient, max_coefficient, max_denominator=4)
    return st.tuples(nonzero, small).map(lambda ab: f"({exact_string(ab[0])})*x + ({exact_string(ab[1])})")


def base_models(poster_only: bool = False, affine: bool = True) -> st.SearchStrategy[str]:
    """The expression text of a catalog base model (only the poster's list with
    ``poster_only``), or, with ``affine``, also an :func:`affine_maps` ``a*x + b``.

    >>> from hypothesis import given, settings
    >>> from symbolic_eos.analysis.base_models import base_models as catalog
    >>> drawn = []
    >>> @settings(max_examples=3, database=None, derandomize=True, deadline=None)
    ... @given(base_models(poster_only=True, affine=False))
    ... def draw(text):
    ...     drawn.append(text)
    >>> draw()
    >>> poster = {m.expression for m in catalog() if m.poster}
    >>> len(drawn) > 0 and all(text in poster for text in drawn)
    True
    """
    names = [m.expression for m in _catalog() if (m.poster or not poster_only) and m.name != "affine"]
    models = st.sampled_from(names)
    return st.one_of(models, affine_maps()) if affine else models


#: The deepest composition :func:`compositions` accepts; a deep draw is cut further, to what the
#: parser's bounds (:data:`~symbolic_eos.core.parse.LIMITS`) accept.
MAX_DEPTH = 12


def _nested(models: Sequence[str]) -> str:
    """``models[0](models[1](...models[-1](x)))``."""
    text = models[-1]
    for outer in reversed(models[:-1]):
        text = substitute(outer, text)
    return text


def _fitting(models: list[str], least: int = 1) -> list[str]:
    """The longest outermost prefix (at least ``least`` models) of ``models`` whose composition
    the parser accepts (``x**5`` nested seven times is past its degree bound), so that a drawn
    composition is always valid input; two base models always are."""
    from .core.parse import parse_expression

    for k in range(len(models), least, -1):
        try:
            parse_expression(_nested(models[:k]))
        except EosError:
            continue
        return models[:k]
    return models[:least]


def compositions(depth: int = 3, poster_only: bool = False, affine: bool = True) -> st.SearchStrategy[str]:
    """Nested compositions ``g1(g2(...gk(x)))`` of base models, ``1 <= k <= depth`` (at most
    :data:`MAX_DEPTH`), each ``gi`` drawn by :func:`base_models` (``poster_only``, ``affine``);
    every draw is text the parser accepts (a nesting past its bounds is cut to its outer models).
    Shrinks towards fewer, earlier models.

    >>> from hypothesis import given, settings
    >>> from symbolic_eos.core.parse import parse_expression, parse_variable_name
    >>> drawn = []
    >>> @settings(max_examples=3, database=None, derandomize=True, deadline=None)
    ... @given(compositions(depth=2, poster_only=True, affine=False))
    ... def draw(text):
    ...     drawn.append(text)
    >>> draw()
    >>> x = parse_variable_name("x")
    >>> all(parse_expression(text).free_symbols == {x} for text in drawn)
    True

    >>> compositions(depth=0)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: depth: expected an integer in [1, 12], got 0
    """
    depth = arguments.integer(depth, "depth", 1, MAX_DEPTH)
    # A list of models, not st.recursive: its max_leaves does not bound the nesting (depth=1 drew
    # sin((exp(x))), and depth=6 never more than four levels).
    return st.lists(base_models(poster_only, affine), min_size=1, max_size=depth).map(lambda ms: _nested(_fitting(ms)))


@st.composite
def smooth_points(draw: st.DrawFn, expression: str, lo: int = -3, hi: int = 3, max_denominator: int = 8) -> str:
    """An exact rational point in ``[lo, hi]`` with denominator at most ``max_denominator``
    where ``expression`` is real and smooth (certified by ball evaluation of its Taylor
    coefficients); ``draw`` is Hypothesis' own (``st.composite``), callers do not pass it.

    >>> from fractions import Fraction
    >>> from hypothesis import given, settings
    >>> drawn = []
    >>> @settings(max_examples=3, database=None, derandomize=True, deadline=None)
    ... @given(smooth_points("log(x)", lo=-3, hi=3, max_denominator=8))
    ... def draw(text):
    ...     drawn.append(Fraction(text))
    >>> draw()
    >>> all(0 < q <= 3 and q.denominator <= 8 for q in drawn)
    True
    """
    from .core.jets import Point
    from .core.decide import Expansion
    from .core.parse import parse_expression, parse_variable_name

    expr = parse_expression(expression)
    x = parse_variable_name("x")

    def smooth(q: Fraction) -> bool:
        try:
            Expansion(expr, x, Point.rational(q), 3).check_domain()
        except EosError:
            return False
        return True

    q = draw(st.fractions(lo, hi, max_denominator=max_denominator).filter(smooth))
    return exact_string(q)


def composition_cases(depth: int = 1, poster_only: bool = False, affine: bool = True) -> st.SearchStrategy[tuple[str, str, str]]:
    """``(q, p, x)``: an outer model ``q`` (:func:`base_models`), an inner composition ``p`` of
    depth at most ``depth`` (as :func:`compositions` draws it, with the same ``poster_only`` and
    ``affine``; ``q(p(x))`` is text the parser accepts), and a point where ``q(p(x))`` is real and
    smooth (:func:`smooth_points`).

    >>> from hypothesis import given, settings
    >>> from symbolic_eos import compose
    >>> checks = []
    >>> @settings(max_examples=3, database=None, derandomize=True, deadline=None)
    ... @given(composition_cases(depth=1, poster_only=True, affine=False))
    ... def draw(case):
    ...     q, p, at = case
    ...     checks.append(compose(q, p, at))
    >>> draw()
    >>> len(checks) > 0
    True

    >>> composition_cases(depth=0)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: depth: expected an integer in [1, 12], got 0
    """
    depth = arguments.integer(depth, "depth", 1, MAX_DEPTH)
    models = st.lists(base_models(poster_only, affine), min_size=2, max_size=depth + 1)

    @st.composite
    def cases(draw: st.DrawFn) -> tuple[str, str, str]:
        # q and the models of p drawn together, so that q(p(x)) is cut to what the parser accepts.
        ms = _fitting(draw(models), least=2)
        q, p = ms[0], _nested(ms[1:])
        return q, p, draw(smooth_points(substitute(q, p)))

    return cases()
