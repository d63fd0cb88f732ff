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

from hypothesis import strategies as st

from .analysis.base_models import base_models as _catalog
from .core.numbers import exact_string
from .errors import EosError

__all__ = ["base_models", "affine_maps", "compositions", "smooth_points", "composition_cases", "substitute"]


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


def compositions(depth: int = 3, poster_only: bool = False, affine: bool = True) -> st.SearchStrategy[str]:
    """Nested compositions ``g1(g2(...gk(x)))`` of base models, ``1 <= k <= depth``, each
    ``gi`` drawn by :func:`base_models` (``poster_only``, ``affine``).

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
    ValueError: depth must be at least 1
    """
    if depth < 1:
        raise ValueError("depth must be at least 1")
    leaf = base_models(poster_only, affine)
    return st.recursive(leaf, lambda inner: st.tuples(leaf, inner).map(lambda t: substitute(*t)), max_leaves=depth)


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


@st.composite
def composition_cases(draw: st.DrawFn, depth: int = 1, poster_only: bool = False, affine: bool = True) -> tuple[str, str, str]:
    """``(q, p, x)``: an outer model ``q`` (:func:`base_models`), an inner composition ``p`` of
    depth at most ``depth`` (:func:`compositions`, with the same ``poster_only`` and ``affine``),
    and a point where ``q(p(x))`` is real and smooth (:func:`smooth_points`); ``draw`` is
    Hypothesis' own (``st.composite``), callers do not pass it.

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
    """
    q = draw(base_models(poster_only, affine))
    p = draw(compositions(depth, poster_only, affine))
    at = draw(smooth_points(substitute(q, p)))
    return q, p, at
