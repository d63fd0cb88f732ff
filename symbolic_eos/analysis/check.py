"""The 1-D and L2 checks: from a sympy loss (or base model and target) and a point or a range to
the results of :mod:`symbolic_eos.analysis.results`.  At a strict minimum ``xb`` of ``f`` the
paper's condition on the first non-vanishing derivatives above ``f''`` and the flip normal form of
``F(F(x))``, ``F(x) = x - eta f'(x)``, at ``eta0 = 2/f''(xb)``.

>>> x = sp.Symbol("x")
>>> r = check_expr((x**2 - 1)**2 / 4, x, sp.Integer(1))
>>> r.paper.verdict, r.flip.verdict, r.rigor
('holds', 'supercritical', 'exact')
"""

from __future__ import annotations

from functools import partial
from typing import overload

import sympy as sp

from .criteria import FlipNormalForm, PaperCriterion, derivative, expansion_order, flip_normal_form, paper_criterion
from ..core.decide import Decision, Expansion, decide
from ..errors import InputError
from ..core.jets import Point
from .minima import MinimaSearch, critical_point_at, require_strict_minimum, strict_minima, target_points
from ..core import arguments
from ..core.vocabulary import Flip, Verdict
from .results import L2Check, L2Search, MinimaCheck, StabilityCheck

__all__ = ["check_expr", "check_l2_expr", "check_point", "DEFAULT_ENDS"]


def _agreement_notes(paper: PaperCriterion, flip: FlipNormalForm) -> tuple[str, ...]:
    if paper.verdict == Verdict.FAILS and flip.verdict == Flip.SUPERCRITICAL:
        return (
            "The paper's condition is not met here, yet the flip normal form is supercritical: a stable "
            "2-cycle is still born above eta0 (the paper's conditions are sufficient, not necessary).",
        )
    if paper.verdict == Verdict.HOLDS and flip.verdict == Flip.SUBCRITICAL:
        return ("DISAGREEMENT: the paper's condition holds but the flip is subcritical. Please report this.",)
    if paper.verdict == Verdict.UNDECIDED and flip.verdict in (Flip.SUPERCRITICAL, Flip.SUBCRITICAL):
        return (f"The paper's criterion is undecided here; the flip normal form decides: {flip.verdict}.",)
    return ()


def check_point(expr: sp.Expr, var: sp.Symbol, point: Point, text: str | None = None) -> StabilityCheck:
    """The check of ``expr`` in ``var`` at a ``point`` already known to be a critical point
    (exact or certified); ``text`` is the loss as written (default: sympy's text).

    >>> x = sp.Symbol("x")
    >>> check_point(x**2 / 2 + x**3, x, Point.rational(0)).paper.verdict
    'holds'
    """
    expansion = Expansion(expr, var, point, expansion_order())
    expansion.check_domain()
    curvature = require_strict_minimum(expr, var, point)
    eta = decide(lambda c: 1 / c[2], expansion)
    decisions: dict[int, Decision] = {}
    paper = paper_criterion(expansion, decisions)
    flip = flip_normal_form(expansion)
    top = max(4, (paper.order or 3) + 1)
    derivatives = {2: curvature}
    for j in range(3, top + 1):
        derivatives[j] = decisions.get(j) or decide(partial(derivative, j=j), expansion)
    notes = _agreement_notes(paper, flip)
    if point.note:
        notes = (point.note,) + notes
    return StabilityCheck(
        text if text is not None else sp.sstr(expr), str(var), point, curvature, eta,
        tuple(sorted(derivatives.items())), paper, flip, notes, expr,
    )


#: The range searched for minima when none is given: [-10, 10].
DEFAULT_ENDS = (sp.Integer(-10), sp.Integer(10))


def _typed(expr: object, var: object, at: object, range_: object) -> tuple[sp.Expr, sp.Symbol, tuple[sp.Expr, sp.Expr]]:
    """The typed layer's own argument check: sympy objects, as :mod:`symbolic_eos.api` builds them."""
    expr = arguments.instance(expr, "expr", sp.Expr, "a sympy expression (symbolic_eos.api parses text)")
    var = arguments.instance(var, "var", sp.Symbol, "a sympy Symbol")
    if at is not None:
        arguments.instance(at, "at", sp.Expr, "a sympy constant")
    ends = arguments.instance(range_, "range", tuple, "a pair of sympy constants")
    if len(ends) != 2 or not all(isinstance(e, sp.Expr) for e in ends):
        raise InputError(f"range: expected a pair of sympy constants, got {ends!r}")
    return expr, var, ends


@overload
def check_expr(expr: sp.Expr, var: sp.Symbol, at: sp.Expr, range: tuple[sp.Expr, sp.Expr] = DEFAULT_ENDS, *,
               text: str | None = None, label: str | None = None) -> StabilityCheck: ...
@overload
def check_expr(expr: sp.Expr, var: sp.Symbol, at: None = None, range: tuple[sp.Expr, sp.Expr] = DEFAULT_ENDS, *,
               text: str | None = None, label: str | None = None) -> MinimaCheck: ...


def check_expr(expr: sp.Expr, var: sp.Symbol, at: sp.Expr | None = None, range: tuple[sp.Expr, sp.Expr] = DEFAULT_ENDS, *,
               text: str | None = None, label: str | None = None) -> StabilityCheck | MinimaCheck:
    """The stability check of the loss ``expr`` in ``var``: at the exact point ``at`` (a
    :class:`StabilityCheck`; ``label`` is how it is printed) or at every strict local minimum
    in ``range`` (a :class:`MinimaCheck`); ``text`` is the loss as the user wrote it.  At a
    strict minimum ``xb`` (``f'(xb) = 0 < f''(xb)``): the paper's condition on the first
    non-vanishing derivatives above ``f''`` (``k = 3``: ``3 f'''^2 - f'' f'''' > 0``) and the flip
    normal form of ``F(F(x))``, ``F(x) = x - eta f'(x)``, at ``eta0 = 2/f''(xb)``.

    >>> x = sp.Symbol("x")
    >>> check_expr(x**2 / 2 + x**3, x, sp.Integer(0)).paper.verdict
    'holds'
    >>> [c.point.label for c in check_expr((x**2 - 1)**2 / 4, x, range=(sp.Integer(0), sp.Integer(2))).checks]
    ['1']

    A point that is not a strict minimum is refused (``InputError``), one outside the domain of
    ``f`` too (``DomainError``); a sign that no precision settles is ``undecided``, not guessed
    (here the cubic coefficient is exactly zero, which sympy cannot prove):

    >>> check_expr(x**3, x, sp.Integer(0))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: 0 is a degenerate critical point (f'' = 0); the edge of stability needs f'' > 0
    >>> check_expr(sp.log(x)**2, x, sp.Integer(-1))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.DomainError: log(...) is not real or not smooth at the point
    >>> c = sp.cos(sp.pi / 7) - sp.cos(2 * sp.pi / 7) + sp.cos(3 * sp.pi / 7) - sp.Rational(1, 2)
    >>> r = check_expr(x**2 / 2 + c * x**3, x, sp.Integer(0))
    >>> r.paper.verdict, r.flip.verdict
    ('undecided', 'undecided')
    """
    expr, var, (lo, hi) = _typed(expr, var, at, range)
    text = sp.sstr(expr) if text is None else text
    if var not in expr.free_symbols:
        raise InputError(f"the loss does not depend on {var}; every point is a critical point")
    if at is not None:
        point = critical_point_at(expr, var, at, label=sp.sstr(at) if label is None else label)
        return check_point(expr, var, point, text)
    search = strict_minima(expr, var, lo, hi)
    if not search.points:
        raise InputError(_no_points_message("no strict local minimum could be certified", lo, hi, search),
                         parameters=("at",) if search.unresolved else ())
    return MinimaCheck(text, str(var), search, tuple(check_point(expr, var, p, text) for p in search.points))


def _no_points_message(what: str, lo: sp.Expr, hi: sp.Expr, search: MinimaSearch) -> str:
    msg = f"{what} in [{sp.sstr(lo)}, {sp.sstr(hi)}]"
    if search.unresolved:
        msg += f"; parts of the range could not be resolved (near {search.unresolved[0][0]}), try `at`"
    if search.degenerate:
        msg += f"; degenerate critical point(s) (f'' = 0 there, proved) at {', '.join(search.degenerate)}"
    return msg


@overload
def check_l2_expr(g: sp.Expr, var: sp.Symbol, target: sp.Expr, at: sp.Expr, range: tuple[sp.Expr, sp.Expr] = DEFAULT_ENDS, *,
                  text: str | None = None, target_text: str | None = None, label: str | None = None) -> L2Check: ...
@overload
def check_l2_expr(g: sp.Expr, var: sp.Symbol, target: sp.Expr, at: None = None, range: tuple[sp.Expr, sp.Expr] = DEFAULT_ENDS, *,
                  text: str | None = None, target_text: str | None = None, label: str | None = None) -> L2Search: ...


def check_l2_expr(g: sp.Expr, var: sp.Symbol, target: sp.Expr, at: sp.Expr | None = None,
                  range: tuple[sp.Expr, sp.Expr] = DEFAULT_ENDS, *, text: str | None = None,
                  target_text: str | None = None, label: str | None = None) -> L2Check | L2Search:
    """The L2 rule for ``f = (g - y)^2``, ``g`` in ``var``, with ``y`` the exact ``target``: at ``x_bar = at``
    (``g(x_bar) = y``, printed as ``label``), or at every simple solution of ``g(x) = y`` in
    ``range``; ``text`` and ``target_text`` are ``g`` and ``y`` as the user wrote them.

    >>> x = sp.Symbol("x")
    >>> check_l2_expr(sp.exp(x), x, sp.Integer(2), sp.log(2)).l2_verdict
    'holds'
    >>> [c.general.point.label for c in check_l2_expr(x**3 + x, x, sp.Integer(2)).checks]
    ['1']

    Where ``g'(x_bar) = 0`` the L2 loss is degenerate (``f'' = 2 g'^2 = 0``) and refused:

    >>> check_l2_expr(x**2, x, sp.Integer(0), sp.Integer(0))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: g'(0) = 0: the L2 loss is degenerate there (f'' = 2 g'^2 = 0)
    """
    g, var, (lo, hi) = _typed(g, var, at, range)
    target = arguments.instance(target, "target", sp.Expr, "a sympy constant")
    text = sp.sstr(g) if text is None else text
    target_text = sp.sstr(target) if target_text is None else target_text
    if var not in g.free_symbols:
        raise InputError(f"the base model does not depend on {var}")
    if at is not None:
        point = critical_point_at(g, var, at, shift=0, target=target, label=sp.sstr(at) if label is None else label)
        return _l2_at(g, var, target, point, text, target_text)
    search = target_points(g, var, target, lo, hi)
    if not search.points:
        raise InputError(_no_points_message(f"no solution of g(x) = {target_text} with g' != 0 could be certified", lo, hi, search),
                         parameters=("at",) if search.unresolved else ())
    return L2Search(search, tuple(_l2_at(g, var, target, p, text, target_text) for p in search.points))


def _l2_at(g: sp.Expr, var: sp.Symbol, y: sp.Expr, point: Point, g_text: str, target: str) -> L2Check:
    expansion = Expansion(g, var, point, 3)
    expansion.check_domain()
    slope = decide(lambda c: c[1], expansion)
    if slope.sign == 0:
        raise InputError(f"g'({point.label}) = 0: the L2 loss is degenerate there (f'' = 2 g'^2 = 0)")
    from .composition import l2_quantity  # composition builds on this module

    curvature = decide(lambda c: 2 * c[2], expansion)
    g_derivs = ((1, slope), (2, curvature), (3, decide(lambda c: 6 * c[3], expansion)))
    # g'' = 0 proved is an exact fact: the condition is then g' g''' exactly, and its balls need
    # not carry the (zero) g''^2 term.
    condition = decide(lambda c: 6 * c[1] * c[3] if curvature.sign == 0 else l2_quantity(c), expansion)
    loss = (g - y) ** 2
    general = check_point(loss, var, point, f"({g_text} - ({target}))**2")
    # A strict sign decides even when the sign of g'' (so whether k is 3 or 4) is unknown: with
    # g' != 0, f''' = 6 g' g'' and f'''' = 2 (3 g''^2 + 4 g' g'''); g'' != 0 gives k = 3 and
    # 3 f'''^2 - f'' f'''' = -16 g'^2 cond, g'' = 0 gives k = 4 and f'''' = 8 cond.
    # An exact 0 is a decided value, but one this (only sufficient) rule cannot use.
    if slope.sign not in (None, 0) and condition.sign in (1, -1):
        verdict, decided_by = Verdict.of(condition.sign < 0), "g_condition"
    elif general.paper.verdict in (Verdict.HOLDS, Verdict.FAILS):
        verdict, decided_by = general.paper.verdict, "general_check"
    else:
        verdict, decided_by = Verdict.UNDECIDED, None
    return L2Check(g_text, target, general, g_derivs, condition, verdict, decided_by)
