"""The edge: what a user gives (text, sympy expressions, ints, Fractions, sympy numbers)
becomes, once, the sympy expressions and exact constants the analysis takes.

Every value goes through the one validator (:mod:`symbolic_eos.core.arguments`), so a wrong type is
an :class:`~symbolic_eos.errors.InputError` naming the parameter; a sympy expression is
written out and read by the same whitelist parser as text (:mod:`symbolic_eos.core.parse`), so it
meets the same grammar, functions and size bounds, and nothing a user gives reaches ``eval``
or ``sympify``.  The functions here parse and delegate; the mathematics is in the typed
functions they call (``check_expr``, ``orbit_expr``, ...).

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> check(x**2 / 2 + x**3, at=0).paper.verdict == check("x**2/2 + x**3", at="0").paper.verdict == "holds"
True
>>> check("x**2/2 + a*x**3", at=0)
Traceback (most recent call last):
...
symbolic_eos.errors.InputError: unknown name 'a' at position 9 ...
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any, overload

import sympy as sp

from .core import arguments
from .analysis.composition import CompositionCheck, compose_expr
from .dynamics.reports import DEFAULT_DIGITS, OrbitReport, WindowReport, orbit_expr, window_expr
from .errors import InputError
from .dynamics.existence import DEFAULT_EPS, ExistenceReport, existence_expr
from .multi.check import MAX_VARIABLES, MultivariateCheck, check_multivariate_expr
from .multi.cycles import MultiOrbitReport, multivariate_orbit_expr
from .core.parse import parse_constant, parse_expression, parse_variable_name
from .analysis.check import check_expr, check_l2_expr
from .analysis.results import L2Check, L2Search, MinimaCheck, StabilityCheck
from .analysis.families import (FamilyCheck, L2FamilyCheck, MAX_PARAMS, check_family_expr, check_l2_family_expr,
                                with_parameter_map)
from .multi.families import MultivariateFamilyCheck, check_multivariate_family_expr

__all__ = [
    "check", "check_l2", "orbit", "window", "existence", "compose", "check_multivariate", "multivariate_orbit",
    "DEFAULT_RANGE", "check_family", "check_l2_family",
]

#: The range searched for minima when neither ``at`` nor ``range`` is given.
DEFAULT_RANGE = ("-10", "10")

#: An expression, as text or as a sympy expression.
Expression = Any
#: An exact number: text, an ``int``, a :class:`~fractions.Fraction` or a sympy number.
Exact = Any


def _loss(value: Expression, name: str, variables: tuple[str, ...]) -> tuple[sp.Expr, str]:
    text = arguments.expression_text(value, name)
    return parse_expression(text, variables), text


def _constant(value: Exact, name: str, what: str) -> tuple[sp.Expr, str]:
    return arguments.labelled_constant(value, name, what)


def _optional_constant(value: Exact | None, name: str, what: str) -> tuple[sp.Expr | None, str | None]:
    return (None, None) if value is None else _constant(value, name, what)


def _range(value: object) -> tuple[sp.Expr, sp.Expr]:
    lo, hi = arguments.range_texts(value, "range") or DEFAULT_RANGE
    return parse_constant(lo), parse_constant(hi)


def _variables(value: object, name: str) -> tuple[sp.Symbol, ...]:
    names = tuple(v.strip() for v in arguments.variable_names(value, name).split(","))
    if not 1 <= len(names) <= MAX_VARIABLES:
        raise InputError(f"`{name}` must name 1 to {MAX_VARIABLES} variables", parameters=(name,))
    symbols = tuple(parse_variable_name(n) for n in names)
    if len(set(names)) != len(names):
        raise InputError(f"`{name}` has a repeated name", parameters=(name,))
    return symbols


def _parameters(value: object, name: str, var: str) -> tuple[sp.Symbol, ...]:
    if isinstance(value, (list, tuple)):
        value = [v.name if isinstance(v, sp.Symbol) else v for v in value]  # sympy Symbols are names too
    names = tuple(v.strip() for v in arguments.variable_names(value, name).split(","))
    if not 1 <= len(names) <= MAX_PARAMS:
        raise InputError(f"`{name}` must name 1 to {MAX_PARAMS} parameters", parameters=(name,))
    if len(set(names)) != len(names) or var in names:
        raise InputError(f"`{name}` has a repeated name or the variable {var}", parameters=(name,))
    return tuple(parse_variable_name(n) for n in names)


def _in_parameters(value: object, name: str, params: tuple[sp.Symbol, ...]) -> tuple[sp.Expr, str]:
    """An exact value that may depend on the parameters: a number (as for :func:`_constant`) or
    an expression in them (text or sympy)."""
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        return _constant(value, name, name)
    return _loss(value, name, tuple(map(str, params)))


def _region(value: object) -> dict[str, tuple[Any, Any]]:
    """``"a=-1:1,b=0:1/2"`` (or a mapping from names to ``(lo, hi)``) as a mapping."""
    if not isinstance(value, str):
        return arguments.instance(value, "region", dict, "text such as 'a=-1:1,b=-1:1' or a dict of (lo, hi)")
    out: dict[str, tuple[Any, Any]] = {}
    for piece in arguments.text(value, "region", 2000).split(","):
        name, _, ends = piece.partition("=")
        lo, colon, hi = ends.partition(":")
        if not colon or not name.strip():
            raise InputError(f"`region` entry {piece.strip()!r} is not NAME=LO:HI (e.g. a=-1:1)", parameters=("region",))
        if name.strip() in out:
            raise InputError(f"`region` names {name.strip()} twice", parameters=("region",))
        out[name.strip()] = (lo.strip(), hi.strip())
    return out


def _mapped(result: Any, region: object, max_cells: int, max_depth: int) -> Any:
    if region is None:
        return result
    return with_parameter_map(result, _region(region), max_cells=max_cells, max_depth=max_depth)


def _point(value: object, name: str, symbols: tuple[sp.Symbol, ...], vars_name: str) -> tuple[tuple[sp.Expr, ...], tuple[str, ...], str]:
    text = arguments.point_texts(value, name)
    labels = tuple(p.strip() for p in text.split(","))
    if len(labels) != len(symbols):
        raise InputError(f"`{name}` has {len(labels)} coordinate(s) but `{vars_name}` names {len(symbols)} variable(s)",
                         parameters=(name, vars_name))
    return tuple(parse_constant(p) for p in labels), labels, text


@overload
def check(text: Expression, var: str = "x", *, at: Exact, range: Any = None) -> StabilityCheck: ...
@overload
def check(text: Expression, var: str, at: Exact, range: Any = None) -> StabilityCheck: ...
@overload
def check(text: Expression, var: str = "x", at: None = None, range: Any = None) -> MinimaCheck: ...


def check(text: Expression, var: str = "x", at: Exact | None = None, range: Any = None,
          params: Any = None, region: Any = None) -> StabilityCheck | MinimaCheck | FamilyCheck:
    """The paper's criterion and the flip normal form for the loss ``text`` (text or a sympy
    expression) in ``var``: at the critical point ``at`` (a :class:`StabilityCheck`) or at every
    strict local minimum in ``range`` (a :class:`MinimaCheck`; default [-10, 10]).  With
    ``params`` (``"a,b"`` or a list of names) the loss is a family and the result a
    :class:`~symbolic_eos.analysis.families.FamilyCheck` (see :func:`check_family`; ``region`` maps it).

    >>> check("x**2/2 + x**3", at="0").paper.verdict
    'holds'
    >>> [c.point.label for c in check("(x**2 - 1)**2/4", range=("0", "2")).checks]
    ['1']
    >>> check("x**2/2 + x**3", at=0.5)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: at: expected exact text, an int, a Fraction or a sympy number, got float 0.5 ...
    """
    if params is not None:
        if range is not None:
            raise InputError("`range` searches for minima of one loss; a family needs `at`", parameters=("range", "params"))
        return check_family(text, params, at, var=var, region=region)
    if region is not None:
        raise InputError("`region` maps a family: give `params` too", parameters=("region", "params"))
    name = arguments.variable_name(var, "var")
    expr, text = _loss(text, "text", (name,))
    point, label = _optional_constant(at, "at", "the point")
    return check_expr(expr, parse_variable_name(name), point, _range(range), text=text, label=label)


def check_family(text: Expression, params: Any, at: Any, var: str = "x", region: Any = None, max_cells: int = 10000,
                 max_depth: int = 12) -> FamilyCheck:
    """The paper's conditions for the family of losses ``text`` in ``var`` with parameters
    ``params`` (``"a,b"`` or a list of names) at the point ``at`` (exact, and it may depend on the
    parameters), as exact conditions on the parameters: where ``at`` is a strict minimum,
    ``eta_critical``, the order ``k`` by cases with the paper's condition and the flip coefficient.
    With a ``region`` (``"a=-1:1,b=-1:1"``) also the certified map of the parameter box: cells
    ``holds`` / ``fails`` / ``undecided`` / ``excluded``, at most ``max_depth`` halvings per parameter
    and ``max_cells`` cell evaluations.

    >>> m = check_family("x**2/2 + a*x**3 + b*x**4", "a,b", 0, region="a=-1:1,b=-1:1", max_cells=500).parameter_map
    >>> m.area("holds") > 3 and m.area("fails") > 0
    True

    >>> check_family("x**2/2 + a*x**3 + b*x**4", "a,b", 0).summary
    'holds iff b < 9*a**2/2 where a != 0; holds iff b < 0 where a = 0, b != 0; fails where a = 0, b = 0'
    >>> check_family("(x - a)**2/2 + (x - a)**3", ["a"], "a").summary
    'holds for every parameter value where xb is a strict minimum (proved)'
    >>> check_family("x**2/2 + a*x**3", "a,x", 0)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: `params` has a repeated name or the variable x
    """
    name = arguments.variable_name(var, "var")
    if at is None:
        raise InputError("a family needs the point `at` (it may depend on the parameters)", parameters=("at",))
    symbols = _parameters(params, "params", name)
    expr, text = _loss(text, "text", (name, *map(str, symbols)))
    point, label = _in_parameters(at, "at", symbols)
    family = check_family_expr(expr, parse_variable_name(name), symbols, point, text=text, label=label)
    return _mapped(family, region, max_cells, max_depth)


def check_l2_family(g_text: Expression, target: Any, params: Any, var: str = "x", at: Any = None, region: Any = None,
                    max_cells: int = 10000, max_depth: int = 12) -> L2FamilyCheck:
    """The L2 rule for the family ``(g - y)^2``, ``g`` the model ``g_text`` in ``var`` with
    parameters ``params`` and ``y`` the ``target`` (exact, may depend on the parameters), at
    ``x_bar = at`` or, by default, at the closed-form solution of ``g(x_bar) = y``: ``g' != 0``
    and ``C < 0`` (``C`` the L2 quantity of :class:`~symbolic_eos.analysis.families.L2FamilyCheck`) as exact
    conditions, a theorem where they hold throughout; ``region``, ``max_cells`` and ``max_depth``
    map the parameter box as for :func:`check_family`.

    >>> check_l2_family("tanh(w*x)", "y", "w,y").theorem
    'Theorem (exact): for every w, y with w != 0 and -1 < y < 1, the L2 rule holds for (tanh(w*x) - y)^2 at x_bar = atanh(y)/w.'
    >>> check_l2_family("sin(w*x)", "y", "w,y")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: g(x) = y has several solutions ((pi - asin(y))/w, asin(y)/w): give the point `at`
    """
    name = arguments.variable_name(var, "var")
    symbols = _parameters(params, "params", name)
    g, g_text = _loss(g_text, "g_text", (name, *map(str, symbols)))
    y, target_text = _in_parameters(target, "target", symbols)
    point = None if at is None else _in_parameters(at, "at", symbols)[0]
    family = check_l2_family_expr(g, parse_variable_name(name), symbols, y, point, text=g_text, target_text=target_text)
    return _mapped(family, region, max_cells, max_depth)


@overload
def check_l2(g_text: Expression, target: Exact, var: str = "x", *, at: Exact, range: Any = None) -> L2Check: ...
@overload
def check_l2(g_text: Expression, target: Exact, var: str, at: Exact, range: Any = None) -> L2Check: ...
@overload
def check_l2(g_text: Expression, target: Exact, var: str = "x", at: None = None, range: Any = None) -> L2Search: ...


def check_l2(g_text: Expression, target: Exact, var: str = "x", at: Exact | None = None, range: Any = None) -> L2Check | L2Search:
    """The L2 rule (``g' != 0`` and ``g' g''' < 6 g''^2``) for ``f = (g - y)^2``, ``g`` the
    model ``g_text`` in ``var`` and ``y`` the ``target``, at ``x_bar = at`` (``g(x_bar) = y``),
    or at every simple solution of ``g(x) = y`` in ``range``.

    >>> check_l2("exp(x)", "2", at="log(2)").l2_verdict
    'holds'
    >>> [c.general.point.label for c in check_l2("x**3 + x", 2).checks]
    ['1']
    >>> check_l2("tanh(x)", None)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: target: expected exact text, an int, a Fraction or a sympy number, got NoneType None
    """
    name = arguments.variable_name(var, "var")
    g, g_text = _loss(g_text, "g_text", (name,))
    y, target_text = _constant(target, "target", "the target")
    point, label = _optional_constant(at, "at", "the point")
    return check_l2_expr(g, parse_variable_name(name), y, point, _range(range), text=g_text, target_text=target_text, label=label)


def orbit(text: Expression, eta: Exact, var: str = "x", at: Exact | None = None, digits: int = DEFAULT_DIGITS,
          range: Any = None) -> OrbitReport:
    """The 2-cycle of GD at learning rate ``eta`` born at each strict minimum of the loss
    ``text`` in ``var`` in ``range`` (or at ``at``), Krawczyk-certified to ``digits`` digits.

    >>> o = orbit("(x**2 - 1)**2/4", "11/10", at="1", digits=20)
    >>> [p.str(5, radius=False) for p in o.orbits[0].points]
    ['0.81455', '1.1161']
    >>> orbit("(x**2 - 1)**2/4", "11/10", at="1", digits=3)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: `digits` must be between 5 and 20000, not 3
    """
    name = arguments.variable_name(var, "var")
    eta_value, eta_text = _constant(eta, "eta", "the learning rate")
    expr, text = _loss(text, "text", (name,))
    point, label = _optional_constant(at, "at", "the point")
    return orbit_expr(expr, parse_variable_name(name), eta_value, point, digits, _range(range), text=text, eta_text=eta_text,
                      label=label)


def window(text: Expression, var: str = "x", at: Exact | None = None, digits: int = DEFAULT_DIGITS,
           eta_max: Exact | None = None, range: Any = None) -> WindowReport:
    """The stability window of the 2-cycle branch born at the minimum ``at`` of the loss
    ``text`` in ``var`` (default: the first strict minimum in ``range``): the superstable point
    and the loss of stability, searched for eta in ``(eta0, eta_max]`` (default ``2 eta0``),
    certified to ``digits`` digits.

    >>> window("(x**2 - 1)**2/4", at="1", digits=20).loss_type
    'period_doubling'
    >>> window("(x**2 - 1)**2/4", at="1", eta_max="1/2")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: `eta_max` 1/2 must exceed eta0 = 1.00000000000
    """
    name = arguments.variable_name(var, "var")
    expr, text = _loss(text, "text", (name,))
    point, label = _optional_constant(at, "at", "the point")
    bound, bound_text = _optional_constant(eta_max, "eta_max", "eta_max")
    return window_expr(expr, parse_variable_name(name), point, digits, bound, _range(range), text=text, label=label,
                       eta_max_text=bound_text)


def existence(text: Expression, var: str = "x", at: Exact | None = None, eps_values: Sequence[Fraction] = DEFAULT_EPS,
              digits: int = 30, range: Any = None, prove: bool = True) -> ExistenceReport:
    """The paper's existence theorem for the loss ``text`` in ``var`` at the minimum ``at``
    (default: the first strict minimum in ``range``), checked at each ``eps`` of
    ``eps_values`` to ``digits`` digits; with ``prove`` (k = 3) also proved for every eps up to
    ``proof.eps_max``.

    >>> r = existence("(x**2 - 1)**2/4", at="1", eps_values=[Fraction(1, 100)], digits=20)
    >>> r.case, [(row.eps, row.verdict) for row in r.rows]
    ('k3', [(Fraction(1, 100), 'holds')])
    >>> existence("(x**2 - 1)**2/4", at="1", eps_values=[0])
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: eps_values[0]: expected a positive rational number, got 0
    """
    name = arguments.variable_name(var, "var")
    expr, text = _loss(text, "text", (name,))
    point, label = _optional_constant(at, "at", "the point")
    return existence_expr(expr, parse_variable_name(name), point, eps_values, digits, _range(range), text=text, label=label,
                          prove=prove)


def compose(q_text: Expression, p_text: Expression, at: Exact) -> CompositionCheck:
    """The poster's composition rule for ``q(p(x))`` at ``x = at`` (``q`` at ``p(at)``);
    ``q_text`` and ``p_text`` are both written in ``x``.

    >>> compose("exp(x)", "log(x)", "1/3").naive_rule_violated
    True
    >>> compose("exp(x)", "log(x)", "-1")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.DomainError: log(...) is not real or not smooth at the point
    """
    q, q_text = _loss(q_text, "q_text", ("x",))
    p, p_text = _loss(p_text, "p_text", ("x",))
    point, at_text = _constant(at, "at", "the point")
    return compose_expr(q, p, point, q_text=q_text, p_text=p_text, at_text=at_text)


@overload
def check_multivariate(text: Expression, vars_text: Any, at: Any, simulate: bool = True, route: str = "auto",
                       params: None = None) -> MultivariateCheck: ...
@overload
def check_multivariate(text: Expression, vars_text: Any, at: Any, simulate: bool = True, route: str = "auto", *,
                       params: Any) -> MultivariateFamilyCheck: ...


def check_multivariate(text: Expression, vars_text: Any, at: Any, simulate: bool = True, route: str = "auto",
                       params: Any = None) -> MultivariateCheck | MultivariateFamilyCheck:
    """The multivariate check of the loss ``text`` in the variables ``vars_text`` (``"x,y"`` or
    a list of names) at the point ``at`` (``"1,1"`` or a list of exact values): the Hessian's top
    eigenvalue, the cross-section and the multivariate flip coefficient; ``simulate`` runs GD
    just past ``eta_critical`` as evidence; ``route`` is ``"auto"``, ``"exact"`` or ``"certified"``.
    With ``params`` (``"a,b"`` or a list of names) the loss is a family, the coordinates of ``at``
    may depend on the parameters, and the result is a
    :class:`~symbolic_eos.multi.families.MultivariateFamilyCheck` (exact conditions on the
    parameters; ``simulate`` and ``route`` do not apply to it).

    >>> r = check_multivariate("(x*y - 1)**2/2", "x,y", "1,1", simulate=False)
    >>> r.cross_section.verdict, r.flip_verdict, r.manifold_dimension, r.rigor
    ('holds', 'supercritical', 1, 'exact')
    >>> [b.where for b in check_multivariate("(x*y - 1)**2/2 + a*(x - y)**2/2", "x,y", "1,1", params="a").branches]
    ['0 < a < 1', '1 < a']
    >>> check_multivariate("(x*y - 1)**2/2", "x,y", "1")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: `at` has 1 coordinate(s) but `vars_text` names 2 variable(s)
    """
    symbols = _variables(vars_text, "vars_text")
    if params is not None:
        return _multivariate_family(text, symbols, at, params)
    expr, text = _loss(text, "text", tuple(str(s) for s in symbols))
    point, labels, at_text = _point(at, "at", symbols, "vars_text")
    return check_multivariate_expr(expr, symbols, point, simulate, route, text=text, labels=labels, at_text=at_text)


def _multivariate_family(text: Expression, symbols: tuple[sp.Symbol, ...], at: Any, params: Any) -> MultivariateFamilyCheck:
    """:func:`check_multivariate` with ``params``: the loss read in the variables and the
    parameters, each coordinate of ``at`` a number or an expression in the parameters."""
    names = tuple(map(str, symbols))
    parameters = _parameters(params, "params", names[0])
    if set(map(str, parameters)) & set(names):
        raise InputError("`params` names a variable of `vars_text`", parameters=("params", "vars_text"))
    expr, text = _loss(text, "text", (*names, *map(str, parameters)))
    if at is None:
        raise InputError("a family needs the point `at` (its coordinates may depend on the parameters)", parameters=("at",))
    if isinstance(at, (list, tuple)):
        items = list(at)
    else:
        items = [p.strip() for p in arguments.point_texts(at, "at").split(",")]
    if len(items) != len(symbols):
        raise InputError(f"`at` has {len(items)} coordinate(s) but `vars_text` names {len(symbols)} variable(s)",
                         parameters=("at", "vars_text"))
    coordinates = [_in_parameters(item, f"at[{i}]", parameters) for i, item in enumerate(items)]
    return check_multivariate_family_expr(expr, symbols, parameters, tuple(c for c, _ in coordinates), text=text,
                                          labels=tuple(label for _, label in coordinates))


def multivariate_orbit(text: Expression, vars_text: Any, at: Any, eta: Exact, digits: int = 30) -> MultiOrbitReport:
    """The 2-cycle of GD at learning rate ``eta`` on the branch born at the minimum ``at`` of
    the loss ``text`` in the variables ``vars_text``, certified to ``digits`` digits.

    >>> o = multivariate_orbit("(x*y - 1)**2/2", "x,y", "1,1", "11/10", digits=20)
    >>> o.cycle.certified, o.cycle.stable
    (True, True)
    >>> multivariate_orbit("(x*y - 1)**2/2", "x,y", "1,1", "-1").message
    'no 2-cycle is born here: the flip at eta0 = 1.00000000000000 is supercritical, so the local branch exists only for eta above eta0'

    >>> multivariate_orbit("(x*y - 1)**2/2", "x,y", "1", "11/10")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: `at` has 1 coordinate(s) but `vars_text` names 2 variable(s)
    """
    symbols = _variables(vars_text, "vars_text")
    expr, text = _loss(text, "text", tuple(str(s) for s in symbols))
    point, labels, at_text = _point(at, "at", symbols, "vars_text")
    eta_value, eta_text = _constant(eta, "eta", "the learning rate")
    return multivariate_orbit_expr(expr, symbols, point, eta_value, digits, text=text, labels=labels, at_text=at_text,
                                   eta_text=eta_text)
