"""Families of losses: the paper's conditions as exact conditions on the parameters.

A family is a loss ``f(x; p)`` with parameters ``p = (a, b, ...)`` and a point ``xb(p)``.  With
``f^(j) = d^j f/dx^j (xb(p); p)``, all exact expressions in ``p``:

* ``xb`` is a critical point where ``f' = 0`` (proved identically, or the set where it holds) and a
  strict minimum where moreover ``f'' > 0``; ``eta_critical = 2/f''``;
* the order ``k`` goes by cases: ``k = 3`` where ``f''' != 0``, with the paper's condition
  ``3 f'''^2 - f'' f'''' > 0``; the set ``f''' = 0``, solved for the parameters, opens the ``k >= 4``
  cases (``f^(k+1) < 0`` for odd ``k``, ``f^(k) < 0`` for even ``k``), and so on down;
* the flip coefficient of each case is the lowest odd coefficient of ``F(F(xb + t)) - (xb + t)`` at
  ``eta0`` that is not identically zero there (``-(2/(3 f''^2)) (3 f'''^2 - f'' f'''')`` for
  ``k = 3``); on the boundary where the cubic one vanishes (a generalised period doubling) the
  order-5 coefficient says which way the degenerate flip goes.

For one parameter each condition's solution set is an exact union of intervals (sympy's
``solveset``); for several, the condition is an inequality, solved for a parameter it is linear in,
with the boundary curve of a polynomial condition.

>>> x, a, b = sp.symbols("x a b")
>>> r = check_family_expr(x**2 / 2 + a * x**3 + b * x**4, x, (a, b), sp.Integer(0))
>>> r.summary
'holds iff b < 9*a**2/2 where a != 0; holds iff b < 0 where a = 0, b != 0; fails where a = 0, b = 0'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping, Sequence

import sympy as sp

from ..core import arguments
from ..core.decide import within_seconds
from ..core.vocabulary import Extent, Flip, PaperCase, Relation, Rigor, Verdict
from ..errors import InputError
from .conditions import (FAMILY_OPS_LIMIT, SOLVE_SECONDS, Condition, condition, constant_sign, definite_sign, identically_zero,
                         nonzero_text, not_real, parameter_values, solve_for, solve_zero, tidy, vanishes)
from .criteria import MAX_ORDER, flip_coefficients
from .parameter_maps import MAX_PARAMETERS, ParameterMap, certify_parameter_map

__all__ = [
    "FamilyCase",
    "GeneralisedFlip",
    "FamilyCheck",
    "check_family_expr",
    "L2FamilyCheck",
    "check_l2_family_expr",
    "map_quantity",
    "with_parameter_map",
    "region_box",
    "MAX_PARAMS",
    "MAX_CASES",
]

#: At most this many parameters.
MAX_PARAMS = 4
#: At most this many cases of the order ``k``; beyond it the rest is ``undecided`` with the reason.
MAX_CASES = 12
#: The highest odd order of the flip coefficient searched in a case.
MAX_FAMILY_FLIP_ORDER = 9


# -- the domain -----------------------------------------------------------------------------------

_OPEN_UNIT = (sp.asin, sp.acos, sp.atanh)


def _domain(expr: sp.Expr, var: sp.Symbol, at: sp.Expr, params: tuple[sp.Symbol, ...]) -> tuple[Condition, ...]:
    """Where the point and the loss near it are real and smooth, as conditions on the
    parameters: ``log(u)``, ``u**(p/q)``: ``u > 0``; ``asin``, ``acos``, ``atanh``: ``1 - u^2 > 0``;
    ``acosh``: ``u > 1``; ``tan(u)``: ``cos(u) != 0``; a division by ``u``: ``u != 0`` (``u`` evaluated
    at ``x = xb``)."""
    found: dict[tuple[sp.Expr, Relation], None] = {}
    for node in (*sp.preorder_traversal(at), *sp.preorder_traversal(expr)):
        if not isinstance(node, sp.Basic) or not node.args:
            continue
        u = node.args[0]
        if isinstance(node, sp.log):
            need = (u, Relation.GT)
        elif isinstance(node, _OPEN_UNIT):
            need = (1 - u**2, Relation.GT)
        elif isinstance(node, sp.acosh):
            need = (u - 1, Relation.GT)
        elif isinstance(node, sp.tan):
            need = (sp.cos(u), Relation.NE)  # the poles of tan
        elif isinstance(node, sp.Pow) and node.exp.is_Rational and not node.exp.is_Integer:
            need = (u, Relation.GT)
        elif isinstance(node, sp.Pow) and node.exp.is_Integer and node.exp < 0:
            need = (u, Relation.NE)
        else:
            continue
        value = need[0].subs(var, at)
        if value.free_symbols and not value.has(sp.nan, sp.zoo):
            found[(value, need[1])] = None
    return tuple(condition("domain", value, relation, params) for value, relation in found)


def _outside(fixed: Mapping[sp.Symbol, sp.Expr], at: sp.Expr, domain: Sequence[Condition], curvature: sp.Expr) -> str | None:
    """Why the parameter subset ``fixed`` lies outside the setting (the point is not finite there,
    a domain condition fails identically, or ``f''(xb) = 0`` identically), or None."""
    point = at.subs(fixed)
    if point.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return "xb is not finite there"
    for d in domain:
        value = d.expression.subs(fixed)
        if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            return "outside the domain"
        if not value.free_symbols:
            sign = constant_sign(value)
            if sign is not None and not d.relation.holds_for(sign):
                return "outside the domain"
    if identically_zero(curvature.subs(fixed)):
        return "f''(xb) = 0 there: no strict minimum"
    return None


# -- cases ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FamilyCase:
    """One case of the order ``k``: the parameters ``fixed`` by equations (a substitution, from
    solving ``f^(j) = 0``), the ``nonzero`` expressions (``f^(k) != 0`` on the case), the
    ``order`` ``k`` and paper ``case``, the paper's ``condition`` there (None when no ``k`` exists:
    then ``verdict`` is fixed: ``fails`` for a quadratic ``f``), the lowest odd ``flip_order`` and its
    ``flip_coefficient`` (negative: supercritical), and a ``reason`` when the case is undecided.

    >>> x, a = sp.symbols("x a")
    >>> r = check_family_expr(x**2 / 2 + a * x**3 + x**4, x, (a,), sp.Integer(0))
    >>> [(c.where, c.order, c.condition.statement) for c in r.cases]
    [('a != 0', 3, 'a < -sqrt(2)/3 or sqrt(2)/3 < a'), ('a = 0', 4, 'no parameter value')]
    """

    fixed: tuple[tuple[sp.Symbol, sp.Expr], ...]
    nonzero: tuple[sp.Expr, ...]
    order: int | None
    case: PaperCase | None
    condition: Condition | None
    verdict: Verdict | None
    flip_order: int | None
    flip_coefficient: sp.Expr | None
    reason: str = ""

    @property
    def where(self) -> str:
        params = tuple(sorted(set().union(*(e.free_symbols for e in self.nonzero)), key=str)) if self.nonzero else ()
        parts = [f"{p} = {sp.sstr(v)}" for p, v in self.fixed] + [t for e in self.nonzero if e.free_symbols
                                                                  for t in nonzero_text(e, params)]
        return ", ".join(parts) if parts else "every parameter value"

    @property
    def flip(self) -> Flip:
        """The flip's kind where the coefficient's sign is the same on the whole case."""
        if self.flip_coefficient is None:
            return Flip.UNDECIDED
        sign, zeros = definite_sign(self.flip_coefficient, tuple(sorted(self.flip_coefficient.free_symbols, key=str)))
        # a zero of the coefficient inside the case leaves the order there to a higher term
        return Flip.UNDECIDED if not sign or zeros else Flip.SUPERCRITICAL if sign < 0 else Flip.SUBCRITICAL

    def contains(self, values: Mapping[sp.Symbol, sp.Expr]) -> bool | None:
        """Whether the exact parameter ``values`` lie in this case (None when not settled)."""
        for p, v in self.fixed:
            at = v.xreplace(dict(values))
            if at.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or not_real(at):
                return False  # the case's parametrisation is not real (or not defined) there
            sign = constant_sign(values[p] - at)
            if sign is None:
                return None
            if sign != 0:
                return False
        for e in self.nonzero:
            sign = constant_sign(e.xreplace(dict(values)))
            if sign is None:
                return None
            if sign == 0:
                return False
        return True

    def to_dict(self) -> dict[str, Any]:
        return {
            "where": self.where,
            "fixed": {str(p): sp.sstr(v) for p, v in self.fixed},
            "nonzero": [sp.sstr(e) for e in self.nonzero],
            "order": self.order,
            "case": None if self.case is None else str(self.case),
            "condition": None if self.condition is None else self.condition.to_dict(),
            "verdict": None if self.verdict is None else str(self.verdict),
            "flip_order": self.flip_order,
            "flip_coefficient": None if self.flip_coefficient is None else sp.sstr(self.flip_coefficient),
            "flip": str(self.flip),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class GeneralisedFlip:
    """On the ``boundary`` where the cubic flip coefficient vanishes with ``f''' != 0`` (MatCont's
    generalised period doubling), the order-5 ``coefficient`` there, its sign where it has one, and
    the ``statement`` of what it means for the two sides of the curve.

    >>> x, a, b = sp.symbols("x a b")
    >>> g = check_family_expr(x**2 / 2 + a * x**3 + b * x**4, x, (a, b), sp.Integer(0)).generalised_flip
    >>> g.boundary, g.coefficient, g.sign
    ('b = 9*a**2/2', 5184*a**4, 1)
    """

    boundary: str
    coefficient: sp.Expr
    sign: int | None
    statement: str

    def to_dict(self) -> dict[str, Any]:
        return {"boundary": self.boundary, "coefficient": sp.sstr(self.coefficient), "latex": sp.latex(self.coefficient),
                "sign": self.sign, "statement": self.statement}


@dataclass(frozen=True)
class FamilyCheck:
    """The paper's conditions for the family ``loss`` in ``var`` with ``params`` at ``xb = at``
    (``expr`` and ``point`` as sympy objects, ``symbols`` the parameters; exact expressions in the
    parameters throughout): the ``domain`` where the point and the loss are real and smooth, ``critical`` (``f'(xb) = 0``), ``minimum``
    (``f''(xb) > 0``), ``eta_critical = 2/f''``, the ``derivatives`` ``f^(j)(xb)``, the ``cases`` of
    the order ``k`` (``complete`` when they cover every parameter value), the
    ``generalised_flip`` on the k = 3 boundary, ``notes``, and the certified ``parameter_map`` of a
    box when one was asked for (:func:`with_parameter_map`).

    >>> x, a, b = sp.symbols("x a b")
    >>> r = check_family_expr(x**2 / 2 + a * x**3 + b * x**4, x, (a, b), sp.Integer(0))
    >>> r.critical.extent, r.minimum.extent, r.eta_critical, r.complete
    ('always', 'always', 2, True)
    >>> r.verdict_at({a: 0, b: -1}), r.verdict_at({a: 1, b: 5})
    ('holds', 'fails')
    """

    loss: str
    var: str
    params: tuple[str, ...]
    at: str
    expr: sp.Expr
    point: sp.Expr
    critical: Condition
    minimum: Condition
    eta_critical: sp.Expr
    derivatives: tuple[tuple[int, sp.Expr], ...]
    cases: tuple[FamilyCase, ...]
    complete: bool
    generalised_flip: GeneralisedFlip | None
    notes: tuple[str, ...] = ()
    symbols: tuple[sp.Symbol, ...] = field(default=(), repr=False)
    domain: tuple[Condition, ...] = ()
    parameter_map: ParameterMap | None = None

    @property
    def holds_everywhere(self) -> bool:
        """Whether the paper's condition is proved for every parameter value of the domain at which
        ``xb`` is a strict minimum: every case holds throughout and the cases are complete."""
        return self.complete and bool(self.cases) and all(
            c.condition is not None and c.condition.extent is Extent.ALWAYS and not c.condition.except_where for c in self.cases)

    @property
    def theorem(self) -> str | None:
        """The statement proved for the whole parameter domain, or None."""
        if not self.holds_everywhere:
            return None
        where = " and ".join(dict.fromkeys(d.statement for d in (*self.domain, self.minimum)
                                           if d.extent is not Extent.ALWAYS or d.except_where))
        return (f"Theorem (exact): for every {', '.join(self.params)}" + (f" with {where}" if where else "")
                + f", the paper's condition holds for {self.loss} at xb = {self.at}.")

    @property
    def rigor(self) -> Rigor:
        """``exact``: every expression and case comes from exact symbolic algebra (a case whose
        sign sympy cannot settle is reported as such, never guessed); ``certified`` with a
        parameter map, whose cells rest on balls."""
        return Rigor.CERTIFIED if self.parameter_map is not None else Rigor.EXACT

    @cached_property
    def summary(self) -> str:
        """One line: in which case the paper's condition holds, and how."""
        parts = []
        for c in self.cases:
            where = "for every parameter value" if not c.fixed and not c.nonzero else f"where {c.where}"
            if c.condition is not None and c.condition.extent in (Extent.DEPENDS, Extent.UNKNOWN):
                parts.append(f"holds iff {c.condition.statement} {where}")
            elif c.condition is not None and c.condition.extent is Extent.ALWAYS and c.condition.except_where:
                parts.append(f"holds iff {c.condition.statement} {where}")
            elif c.condition is not None and c.condition.extent in (Extent.ALWAYS, Extent.NEVER):
                parts.append(f"{'holds' if c.condition.extent is Extent.ALWAYS else 'fails'} {where}")
            elif c.verdict is not None:
                parts.append(f"{c.verdict} {where}")
            else:
                parts.append(f"undecided {where} ({c.reason or 'the condition could not be reduced'})")
        if not self.complete:
            parts.append("undecided elsewhere (the cases may be incomplete)")
        if self.holds_everywhere:
            return "holds for every parameter value where xb is a strict minimum (proved)"
        return "; ".join(parts)

    def verdict_at(self, values: Mapping[Any, Any]) -> Verdict:
        """The paper's verdict at exact parameter ``values`` (a mapping from parameter names or
        symbols to exact numbers), read off the cases: ``undecided`` where no case settles it.  Values outside the setting (the
        domain, or where ``xb`` is no strict minimum) are refused, as the point-wise check refuses them.

        >>> x, a = sp.symbols("x a")
        >>> r = check_family_expr(x**2 / 2 + a * x**3 + x**4, x, (a,), sp.Integer(0))
        >>> r.verdict_at({"a": 1}), r.verdict_at({"a": 0})
        ('holds', 'fails')
        >>> r.verdict_at({"b": 1})
        Traceback (most recent call last):
        ...
        symbolic_eos.errors.InputError: values: expected a value for each of a, got b
        """
        exact = self._values(values)
        for need in (*self.domain, self.critical, self.minimum):
            holds = need.holds_at(exact)
            if holds is None:
                return Verdict.UNDECIDED
            if not holds:
                raise InputError(f"values: outside the setting ({need.name}: {need.text} fails there)", parameters=("values",))
        for case in self.cases:
            inside = case.contains(exact)
            if inside is None:
                return Verdict.UNDECIDED
            if not inside:
                continue
            if case.condition is None:
                return case.verdict or Verdict.UNDECIDED
            holds = case.condition.holds_at(exact)
            return Verdict.UNDECIDED if holds is None else Verdict.of(holds)
        return Verdict.UNDECIDED

    def _values(self, values: Mapping[Any, Any]) -> dict[sp.Symbol, sp.Expr]:
        return parameter_values(values, self.symbols)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "family",
            "loss": self.loss,
            "var": self.var,
            "params": list(self.params),
            "at": self.at,
            "rigor": str(self.rigor),
            "point": self.at,
            "minimum": self.at,
            "critical": self.critical.to_dict(),
            "strict_minimum": self.minimum.to_dict(),
            "eta_critical": sp.sstr(self.eta_critical),
            "derivatives": {str(j): sp.sstr(d) for j, d in self.derivatives},
            "cases": [c.to_dict() for c in self.cases],
            "complete": self.complete,
            "generalised_flip": None if self.generalised_flip is None else self.generalised_flip.to_dict(),
            "summary": self.summary,
            "domain": [d.to_dict() for d in self.domain],
            "theorem": self.theorem,
            "notes": list(self.notes),
            "parameter_map": None if self.parameter_map is None else self.parameter_map.to_dict(),
        }

    def to_text(self) -> str:
        lines = [f"f({self.var}; {', '.join(self.params)}) = {self.loss} at xb = {self.at}   (rigor: {self.rigor})",
                 f"  critical point  f'(xb) = {sp.sstr(self.critical.expression)}: {self.critical.extent}",
                 f"  strict minimum  f''(xb) = {sp.sstr(self.minimum.expression)} > 0: {self.minimum.extent}"
                 + ("" if self.minimum.extent is Extent.ALWAYS else f" ({self.minimum.statement})"),
                 f"  eta_critical    2/f'' = {sp.sstr(self.eta_critical)}"]
        for c in self.cases:
            head = f"  case {c.where}: k = {c.order if c.order is not None else '-'}"
            if c.condition is not None:
                lines.append(f"{head}, {c.condition.text}: {_verdict_words(c.condition)}")
            else:
                lines.append(f"{head}: {c.verdict or 'undecided'}" + (f" ({c.reason})" if c.reason else ""))
            if c.flip_coefficient is not None:
                lines.append(f"      flip coefficient (order {c.flip_order}): {sp.sstr(c.flip_coefficient)} ({_flip_words(c)})")
        if self.generalised_flip is not None:
            g = self.generalised_flip
            lines.append(f"  boundary {g.boundary}: order-5 flip coefficient {sp.sstr(g.coefficient)}. {g.statement}")
        lines.append(f"  verdict: {self.summary}")
        if self.theorem:
            lines.append(f"  {self.theorem}")
        lines += [f"  note: {n}" for n in self.notes]
        if self.parameter_map is not None:
            lines.append(f"  map: {self.parameter_map.summary}")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        lines = [
            f"## Family `{self.loss}` in {self.var}, parameters {', '.join(self.params)}, at xb = `{self.at}`",
            "",
            f"**{self.summary}** (rigor: {self.rigor})",
            "",
            *([f"> {self.theorem}", ""] if self.theorem else []),
            f"- critical point: $f'(x_b) = {sp.latex(self.critical.expression)} = 0$: {self.critical.extent}",
            f"- strict minimum: ${self.minimum.latex()}$: {self.minimum.extent}"
            + ("" if self.minimum.extent is Extent.ALWAYS else f" ({self.minimum.statement})"),
            f"- $\\eta_{{critical}} = 2/f'' = {sp.latex(self.eta_critical)}$",
            "",
            "| case | k | condition | holds where | flip coefficient |",
            "|---|---|---|---|---|",
        ]
        for c in self.cases:
            cond = "-" if c.condition is None else f"${c.condition.latex()}$"
            where = (_verdict_words(c.condition) if c.condition is not None else str(c.verdict or f"undecided: {c.reason}"))
            flip = "-" if c.flip_coefficient is None else f"order {c.flip_order}: ${sp.latex(c.flip_coefficient)}$ ({_flip_words(c)})"
            lines.append(f"| {c.where} | {c.order or '-'} | {cond} | {where} | {flip} |")
        if self.generalised_flip is not None:
            g = self.generalised_flip
            lines += ["", f"On the boundary {g.boundary}: order-5 flip coefficient ${sp.latex(g.coefficient)}$. {g.statement}"]
        lines += [f"- {n}" for n in self.notes]
        if self.parameter_map is not None:
            lines += ["", "### Certified parameter map", "", self.parameter_map.to_markdown().strip()]
        return "\n".join(lines) + "\n"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _verdict_words(c: Condition) -> str:
    if c.extent is Extent.ALWAYS:
        return "holds throughout" + ("" if not c.except_where else f" ({c.statement})")
    if c.extent is Extent.NEVER:
        return "fails throughout"
    return f"holds iff {c.statement}"


def _flip_words(case: FamilyCase) -> str:
    kind = case.flip
    return str(kind) if kind is not Flip.UNDECIDED else "supercritical where it is negative, subcritical where positive"


# -- the analysis ---------------------------------------------------------------------------------


class _Derivatives:
    """``f^(j)(xb)`` on demand (exact, unsimplified expressions in the parameters), for a family
    and, from :meth:`restrict`, on a parameter subset: a case usually needs only ``j <= 4``, and
    higher derivatives of a composition grow fast, so none is formed before it is needed."""

    def __init__(self, expr: sp.Expr, var: sp.Symbol, point: sp.Expr) -> None:
        self._var, self._point = var, point
        self._derivative = [expr]  # d^j f/dx^j, in x
        self._values: dict[int, sp.Expr] = {}
        self._fixed: dict[sp.Symbol, sp.Expr] = {}
        self._base: _Derivatives = self

    def restrict(self, fixed: Mapping[sp.Symbol, sp.Expr]) -> _Derivatives:
        view = object.__new__(_Derivatives)
        view._var, view._point, view._base = self._var, self._point, self._base
        view._derivative, view._values, view._fixed = self._base._derivative, {}, dict(fixed)
        return view

    def __getitem__(self, j: int) -> sp.Expr:
        if j not in self._values:
            if self._base is not self:
                value = self._base[j]
                self._values[j] = value.subs(self._fixed) if self._fixed else value
            else:
                while len(self._derivative) <= j:
                    d = sp.diff(self._derivative[-1], self._var)
                    if sp.count_ops(d) > FAMILY_OPS_LIMIT:
                        raise _TooLarge(f"f^({len(self._derivative)}) has more than {FAMILY_OPS_LIMIT} operations")
                    self._derivative.append(d)
                self._values[j] = self._derivative[j].subs(self._var, self._point)
        return self._values[j]


class _TooLarge(Exception):
    """An expression outgrew :data:`FAMILY_OPS_LIMIT`."""


def _paper_condition(k: int, f: _Derivatives, params: tuple[sp.Symbol, ...]) -> tuple[PaperCase, Condition]:
    if k == 3:
        return PaperCase.K3, condition("3 f'''^2 - f'' f''''", 3 * f[3] ** 2 - f[2] * f[4], Relation.GT, params)
    if k % 2:
        return PaperCase.K_ODD, condition(f"f^({k + 1})", f[k + 1], Relation.LT, params)
    return PaperCase.K_EVEN, condition(f"f^({k})", f[k], Relation.LT, params)


def _flip(f: _Derivatives, params: tuple[sp.Symbol, ...]) -> tuple[int | None, sp.Expr | None]:
    """The lowest odd flip coefficient that is not identically zero (order, tidy expression)."""
    for m in range(3, MAX_FAMILY_FLIP_ORDER + 1, 2):
        try:
            c = [f[j] / math.factorial(j) for j in range(m + 2)]
        except _TooLarge:
            return None, None
        coefficient = _flip_term(c, m)
        if coefficient is None:
            return None, None  # beyond the budget: the case's flip stays undecided
        zero = vanishes(coefficient)
        if zero is None:
            return None, None  # not proved zero, not proved non-zero: no order is claimed
        if not zero:
            return m, tidy(coefficient, params)
    return None, None


def _flip_term(c: list[sp.Expr], m: int) -> sp.Expr | None:
    """The order-``m`` coefficient of ``F(F(xb + t)) - (xb + t)`` from the symbolic Taylor
    coefficients ``c``, within :data:`SOLVE_SECONDS` (sympy's series composition has no budget of
    its own), or None."""
    return within_seconds(_flip_term_of, (c, m), SOLVE_SECONDS)


def _flip_term_of(args: tuple[list[sp.Expr], int]) -> sp.Expr:
    c, m = args
    return flip_coefficients(c, m)[m]


def _order(g: _Derivatives) -> tuple[int | None, int | None]:
    """The lowest ``j >= 3`` with ``f^(j)(xb)`` proved not identically zero (None when every one up to
    :data:`MAX_ORDER` is proved zero), and the first ``j`` whose vanishing is not settled."""
    for j in range(3, MAX_ORDER + 1):
        zero = vanishes(g[j])
        if zero is None:
            return None, j
        if not zero:
            return j, None
    return None, None


def _cases(expr: sp.Expr, var: sp.Symbol, f: _Derivatives, params: tuple[sp.Symbol, ...], at: sp.Expr,
           domain: Sequence[Condition], setting: sp.Set | None = None) -> tuple[list[FamilyCase], bool]:
    """The cases of the order ``k``: a worklist of parameter subsets (substitutions), each split
    at the lowest ``j >= 3`` where ``f^(j)`` is not identically zero on it."""
    cases: list[FamilyCase] = []
    complete = True
    work: list[dict[sp.Symbol, sp.Expr]] = [{}]
    while work:
        fixed = work.pop(0)
        if len(cases) >= MAX_CASES:
            cases.append(FamilyCase(tuple(fixed.items()), (), None, None, None, None, None, None,
                                    f"more than {MAX_CASES} cases: not examined"))
            complete = False
            continue
        if fixed and _outside(fixed, at, domain, f[2]) is not None:
            continue
        g = f.restrict(fixed)
        free = tuple(p for p in params if p not in fixed)
        try:
            k, unsettled = _order(g)
            if unsettled is not None:
                cases.append(FamilyCase(tuple(fixed.items()), (), None, None, None, None, None, None,
                                        f"f^({unsettled})(xb) is neither proved zero nor proved non-zero here"))
                complete = False
                continue
            fk = tidy(g[k], free) if k is not None else None
            case, cond = _paper_condition(k, g, free) if k is not None else (None, None)
        except _TooLarge as e:
            cases.append(FamilyCase(tuple(fixed.items()), (), None, None, None, None, None, None, f"too large to analyse: {e}"))
            complete = False
            continue
        if k is None:
            restricted = expr.subs(fixed)
            quadratic = bool(restricted.is_polynomial(var) and sp.degree(restricted, var) <= MAX_ORDER)
            cases.append(FamilyCase(tuple(fixed.items()), (), None, None, None, Verdict.FAILS if quadratic else None, None, None,
                                    "every derivative above the second vanishes (f is quadratic near xb)" if quadratic
                                    else f"f^(j)(xb) = 0 for 3 <= j <= {MAX_ORDER} (order beyond the searched maximum)"))
            continue
        assert fk is not None and cond is not None
        cond = _settle_exceptions(cond, fixed, at, domain, f[2], fk)
        if (setting is not None and cond.solution is not None and cond.extent is Extent.DEPENDS
                and within_seconds(_subset, (setting, cond.solution), SOLVE_SECONDS)):
            # one parameter: the condition holds wherever xb is a strict minimum in the domain
            cond = Condition(cond.name, cond.expression, cond.relation, Extent.ALWAYS, cond.solution, cond.solved, cond.boundary)
        flip_order, flip_coefficient = _flip(g, free)
        cases.append(FamilyCase(tuple(fixed.items()), (fk,) if fk.free_symbols else (), k, case, cond, None, flip_order,
                                flip_coefficient))
        if not fk.free_symbols:
            continue  # f^(k) is a non-zero constant: no subset where it vanishes
        solutions, exhaustive = solve_zero(fk, free)
        if solutions is None or not exhaustive:
            complete = False
        for s in solutions or ():
            merged = {p: v.subs(s) for p, v in fixed.items()}
            merged.update(s)
            work.append(merged)
    return cases, complete


def _settle_exceptions(cond: Condition, fixed: Mapping[sp.Symbol, sp.Expr], at: sp.Expr, domain: Sequence[Condition],
                       curvature: sp.Expr, fk: sp.Expr) -> Condition:
    """A condition that holds off the zero set of some factors holds on the whole case when each
    of those zeros lies outside the setting (:func:`_outside`) or in a deeper case (``f^(k) = 0``
    there); the exceptions are then dropped.  Needs every zero (a complete solve)."""
    if cond.extent is not Extent.ALWAYS or not cond.except_where:
        return cond
    params = tuple(sorted(set().union(*(z.free_symbols for z in cond.except_where)), key=str))
    for z in cond.except_where:
        solutions, exhaustive = solve_zero(z, params)
        if solutions is None or not exhaustive:
            return cond
        for solution in solutions:
            merged = {p: v.subs(solution) for p, v in fixed.items()} | solution
            if _outside(merged, at, domain, curvature) is None and not identically_zero(fk.subs(solution)):
                return cond
    return Condition(cond.name, cond.expression, cond.relation, cond.extent, cond.solution, cond.solved, cond.boundary, ())


def _subset(args: tuple[sp.Set, sp.Set]) -> bool:
    inner, outer = args
    return bool(inner.is_subset(outer))


def _generalised_flip(f: _Derivatives, params: tuple[sp.Symbol, ...], k3: FamilyCase | None) -> GeneralisedFlip | None:
    """The order-5 flip coefficient on the boundary of the k = 3 condition, where that boundary
    can be solved for a parameter."""
    if k3 is None or k3.condition is None or k3.fixed or not k3.condition.expression.free_symbols:
        return None
    q = k3.condition.expression
    free = tuple(p for p in params if p in q.free_symbols)
    for p in reversed(free):
        if not q.is_polynomial(p) or sp.degree(q, p) != 1:
            continue
        found = solve_for(q, p)
        if not found or len(found) != 1:
            continue
        on_curve = {p: sp.factor(found[0])}
        if identically_zero(f[2].subs(on_curve)):
            return None  # the curve lies where xb is no strict minimum
        try:
            c = [f[j].subs(on_curve) / math.factorial(j) for j in range(7)]
        except _TooLarge:
            return None
        term = _flip_term(c, 5)
        if term is None:
            return None
        c5 = tidy(term, params)
        sign, zero_set = definite_sign(c5, params)
        boundary = f"{p} = {sp.sstr(on_curve[p])}"
        side = k3.condition.solved or k3.condition.statement
        if sign is None:
            statement = (f"Its sign depends on the parameters along the curve; the side where {side} is supercritical "
                         "(the cubic coefficient is negative there).")
        elif sign > 0:
            statement = (f"It is positive (off {', '.join(sp.sstr(z) + ' = 0' for z in zero_set) or 'nothing'}): the degenerate flip "
                         f"is subcritical. Near the curve the side where {side} stays supercritical, but its stable 2-cycle "
                         "meets a fold of cycles at amplitude about sqrt(-c3/c5); the other side has no small stable 2-cycle.")
        else:
            statement = (f"It is negative (off {', '.join(sp.sstr(z) + ' = 0' for z in zero_set) or 'nothing'}): the degenerate flip "
                         f"is supercritical. The side where {side} is supercritical; on the other side, near the curve, a stable "
                         "2-cycle still exists, born in a fold of cycles (the paper's condition is only sufficient there).")
        return GeneralisedFlip(boundary, c5, sign, statement)
    return None


def check_family_expr(expr: sp.Expr, var: sp.Symbol, params: Sequence[sp.Symbol], at: sp.Expr, *,
                      text: str | None = None, label: str | None = None) -> FamilyCheck:
    """The paper's conditions for the family ``expr`` in ``var`` with parameters ``params`` at the
    point ``at`` (an exact expression in the parameters), as exact conditions on the parameters
    (see the module's docstring); ``text`` and ``label`` are the loss and point as written.

    >>> x, a, b = sp.symbols("x a b")
    >>> r = check_family_expr(x**2 / 2 + a * x**3 + b * x**4, x, (a, b), sp.Integer(0))
    >>> [(c.where, c.order, c.condition.solved if c.condition else c.verdict) for c in r.cases]
    [('a != 0', 3, 'b < 9*a**2/2'), ('a = 0, b != 0', 4, None), ('a = 0, b = 0', None, 'fails')]
    >>> r.cases[1].condition.statement, r.cases[0].flip_coefficient
    ('b < 0', -8*(9*a**2 - 2*b))

    A point that is a critical point for no parameter value is refused:

    >>> check_family_expr(x**2 / 2 + a * x, x, (a,), sp.Integer(1))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: xb = 1 is a critical point only where a + 1 = 0: fix the parameters there (a = -1) ...
    """
    expr = arguments.instance(expr, "expr", sp.Expr, "a sympy expression (symbolic_eos.api parses text)")
    var = arguments.instance(var, "var", sp.Symbol, "a sympy Symbol")
    params = tuple(arguments.instances(params, "params", sp.Symbol, "sympy Symbols", max_length=MAX_PARAMS))
    at = arguments.instance(at, "at", sp.Expr, "a sympy expression in the parameters")
    if not params:
        raise InputError("params: name at least one parameter", parameters=("params",))
    if var in params or len(set(params)) != len(params):
        raise InputError("params: the parameters must be distinct and differ from the variable", parameters=("params",))
    stray = (expr.free_symbols | at.free_symbols) - {var, *params}
    if stray or var in at.free_symbols:
        what = ", ".join(sorted(map(str, stray))) if stray else str(var)
        raise InputError(f"the loss or the point uses {what}, which is not a parameter", parameters=("params",))
    text = sp.sstr(expr) if text is None else text
    label = sp.sstr(at) if label is None else label
    f = _Derivatives(expr, var, at)
    try:
        f[2]
    except _TooLarge as e:
        raise InputError(f"the family is too large to analyse symbolically: {e}") from None
    notes: list[str] = []
    if identically_zero(f[1]):
        critical = Condition("f'(xb)", sp.Integer(0), Relation.EQ, Extent.ALWAYS)
    else:
        critical = condition("f'(xb)", f[1], Relation.EQ, params)
        solutions, _ = solve_zero(tidy(f[1], params), params)
        if not solutions or len(solutions) != 1:
            raise InputError(f"xb = {label} is not a critical point for every parameter value (f'(xb) = {sp.sstr(critical.expression)}): "
                             "give a point that depends on the parameters")
        fixed = solutions[0]
        shown = ", ".join(f"{p} = {sp.sstr(v)}" for p, v in fixed.items())
        raise InputError(f"xb = {label} is a critical point only where {sp.sstr(critical.expression)} = 0: fix the parameters there "
                         f"({shown}) or give a point that depends on them")
    domain = _domain(expr, var, at, params)
    minimum = _settle_exceptions(condition("f''(xb)", f[2], Relation.GT, params), {}, at, domain, sp.Integer(1), sp.Integer(1))
    if minimum.extent is Extent.NEVER:
        raise InputError(f"xb = {label} is a strict minimum for no parameter value (f''(xb) = {sp.sstr(minimum.expression)})")
    if minimum.extent is not Extent.ALWAYS:
        notes.append(f"xb is a strict minimum only where f''(xb) > 0 ({minimum.statement}); the cases apply there.")
    eta = tidy(2 / f[2], params)
    setting = None
    if len(params) == 1 and minimum.solution is not None:
        setting = minimum.solution
        for d in domain:
            setting = setting.intersect(d.solution) if d.solution is not None else None
            if setting is None:
                break
    cases, complete = _cases(expr, var, f, params, at, domain, setting)
    k3 = next((c for c in cases if c.order == 3 and not c.fixed), None)
    derivatives = tuple((j, tidy(f[j], params)) for j in range(2, 5))
    return FamilyCheck(text, str(var), tuple(map(str, params)), label, expr, at, critical, minimum, eta, derivatives,
                       tuple(cases), complete, _generalised_flip(f, params, k3), tuple(notes), params, domain)


# -- L2 families ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class L2FamilyCheck:
    """The L2 rule for the family ``f = (g - y)^2`` (``g`` the ``model`` in ``var`` with ``params``,
    ``y`` the ``target``) at ``x_bar`` (``g(x_bar) = y``; ``solved`` when found by inverting ``g``):
    ``slope`` is ``g' != 0`` and ``rule`` is ``C = g' g''' - 6 g''^2 < 0`` at ``x_bar``, exact
    expressions in the parameters, with the ``derivatives`` ``g^(j)(x_bar)`` and the ``domain``;
    ``general`` is the family check of ``f`` itself; ``parameter_map`` the certified map of a box.

    >>> x, w, y = sp.symbols("x w y")
    >>> r = check_l2_family_expr(sp.tanh(w * x), x, (w, y), y)
    >>> r.x_bar, r.rule.expression
    (atanh(y)/w, -2*w**4*(y - 1)**2*(y + 1)**2*(9*y**2 + 1))
    >>> r.theorem
    'Theorem (exact): for every w, y with w != 0 and -1 < y < 1, the L2 rule holds for (tanh(w*x) - y)^2 at x_bar = atanh(y)/w.'
    """

    model: str
    target: str
    var: str
    params: tuple[str, ...]
    x_bar: sp.Expr
    solved: bool
    derivatives: tuple[tuple[int, sp.Expr], ...]
    slope: Condition
    rule: Condition
    domain: tuple[Condition, ...]
    general: FamilyCheck
    parameter_map: ParameterMap | None = None

    @property
    def rigor(self) -> Rigor:
        """``exact`` (symbolic algebra), ``certified`` with a parameter map (its cells rest on balls)."""
        return Rigor.CERTIFIED if self.parameter_map is not None else Rigor.EXACT

    @property
    def holds_everywhere(self) -> bool:
        """Whether ``g' != 0`` and ``C < 0`` are proved for every parameter value of the domain."""
        return all(c.extent is Extent.ALWAYS and not c.except_where for c in (self.slope, self.rule))

    @property
    def theorem(self) -> str | None:
        """The statement proved for the whole parameter domain, or None."""
        if not self.holds_everywhere:
            return None
        where = " and ".join(dict.fromkeys(d.statement for d in self.domain if d.extent is not Extent.ALWAYS or d.except_where))
        return (f"Theorem (exact): for every {', '.join(self.params)}" + (f" with {where}" if where else "")
                + f", the L2 rule holds for ({self.model} - {self.target})^2 at x_bar = {sp.sstr(self.x_bar)}.")

    @property
    def summary(self) -> str:
        if self.theorem:
            return "the L2 rule holds for every parameter value of the domain (proved)"
        if self.rule.extent is Extent.NEVER:
            return "the L2 rule fails for every parameter value (C >= 0)"
        return f"the L2 rule holds iff {self.rule.statement} (and {self.slope.statement})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "l2_family",
            "model": self.model,
            "target": self.target,
            "var": self.var,
            "params": list(self.params),
            "x_bar": sp.sstr(self.x_bar),
            "x_bar_solved": self.solved,
            "rigor": str(self.rigor),
            "derivatives": {str(j): sp.sstr(d) for j, d in self.derivatives},
            "slope": self.slope.to_dict(),
            "rule": self.rule.to_dict(),
            "domain": [d.to_dict() for d in self.domain],
            "theorem": self.theorem,
            "summary": self.summary,
            "general": self.general.to_dict(),
            "parameter_map": None if self.parameter_map is None else self.parameter_map.to_dict(),
        }

    def to_text(self) -> str:
        lines = [f"L2 family (g(x) - y)^2 with g = {self.model}, y = {self.target}, parameters {', '.join(self.params)}",
                 f"  x_bar = {sp.sstr(self.x_bar)}" + ("   (solved from g(x_bar) = y)" if self.solved else ""),
                 *(f"  domain: {d.statement}" for d in self.domain),
                 f"  g' = {sp.sstr(self.slope.expression)} != 0: {self.slope.extent}",
                 f"  C = g' g''' - 6 g''^2 = {sp.sstr(self.rule.expression)} < 0: {self.rule.extent}"
                 + ("" if self.rule.extent is Extent.ALWAYS else f" ({self.rule.statement})"),
                 f"  verdict: {self.summary}   (rigor: {self.rigor})"]
        if self.theorem:
            lines.append(f"  {self.theorem}")
        if self.parameter_map is not None:
            lines.append(f"  map: {self.parameter_map.summary}")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        lines = [
            f"## L2 family `({self.model} - {self.target})^2` in {self.var}, parameters {', '.join(self.params)}",
            "",
            f"**{self.summary}** (rigor: {self.rigor})",
            "",
            *([f"> {self.theorem}", ""] if self.theorem else []),
            f"- $\\bar x = {sp.latex(self.x_bar)}$" + (" (solved from $g(\\bar x) = y$)" if self.solved else ""),
            *(f"- domain: ${d.latex()}$" for d in self.domain),
            f"- $g' = {sp.latex(self.slope.expression)}$: $g' \\neq 0$ {self.slope.extent}",
            f"- $C = g' g''' - 6 g''^2 = {sp.latex(self.rule.expression)}$: $C < 0$ {self.rule.extent}"
            + ("" if self.rule.extent is Extent.ALWAYS else f" ({self.rule.statement})"),
            "",
            *(["### Certified parameter map", "", self.parameter_map.to_markdown().strip(), ""] if self.parameter_map else []),
            self.general.to_markdown(),
        ]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _inverse(g: sp.Expr, var: sp.Symbol, target: sp.Expr) -> sp.Expr:
    """The one closed-form real solution of ``g(x) = target`` (sympy's ``invert_real``, then
    ``solve``); a solution with ``Abs`` or ``sign`` (outside the grammar) is not used."""
    found = within_seconds(_invert, (g, var, target), SOLVE_SECONDS)
    if found is None:
        found = solve_for(g - target, var)
    found = sorted((v for v in found or () if not v.has(sp.Abs, sp.sign)), key=sp.default_sort_key)
    if not found:
        raise InputError(f"sympy cannot solve g({var}) = {sp.sstr(target)} for {var} in closed form: give the point `at`",
                         parameters=("at",))
    if len(found) > 1:
        raise InputError(f"g({var}) = {sp.sstr(target)} has several solutions ({', '.join(map(sp.sstr, found))}): "
                         "give the point `at`", parameters=("at",))
    return found[0]


def _invert(args: tuple[sp.Expr, sp.Symbol, sp.Expr]) -> list[sp.Expr] | None:
    from sympy.solvers.solveset import invert_real

    g, var, target = args
    try:
        lhs, values = invert_real(g, target, var)
    except (NotImplementedError, ValueError, TypeError):
        return None
    if lhs != var:
        return None
    if isinstance(values, sp.Intersection):
        values = next((a for a in values.args if isinstance(a, sp.FiniteSet)), None)
    return list(values) if isinstance(values, sp.FiniteSet) else None


def check_l2_family_expr(g: sp.Expr, var: sp.Symbol, params: Sequence[sp.Symbol], target: sp.Expr, at: sp.Expr | None = None, *,
                         text: str | None = None, target_text: str | None = None) -> L2FamilyCheck:
    """The L2 rule (``g' != 0`` and ``C = g' g''' - 6 g''^2 < 0`` at ``x_bar``) for the family ``g``
    in ``var`` with ``params`` and the ``target`` (an expression in the parameters), at ``x_bar = at``
    or, when ``at`` is None, at the one closed-form solution of ``g(x) = target`` sympy finds;
    ``text`` and ``target_text`` are ``g`` and the target as the user wrote them.

    >>> x, w = sp.symbols("x w")
    >>> r = check_l2_family_expr(sp.exp(w * x), x, (w,), sp.Integer(2))
    >>> r.x_bar, r.rule.expression, r.rule.extent
    (log(2)/w, -20*w**4, 'always')
    >>> check_l2_family_expr(x**2 + w, x, (w,), sp.Integer(1))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: g(x) = 1 has several solutions (-sqrt(1 - w), sqrt(1 - w)): give the point `at`
    """
    g = arguments.instance(g, "g", sp.Expr, "a sympy expression (symbolic_eos.api parses text)")
    target = arguments.instance(target, "target", sp.Expr, "a sympy expression in the parameters")
    params = tuple(arguments.instances(params, "params", sp.Symbol, "sympy Symbols", max_length=MAX_PARAMS))
    if var in target.free_symbols:
        raise InputError(f"target: the target cannot depend on {var}", parameters=("target",))
    solved = at is None
    x_bar = _inverse(g, var, target) if at is None else arguments.instance(at, "at", sp.Expr, "a sympy expression in the parameters")
    model = sp.sstr(g) if text is None else text
    target_label = sp.sstr(target) if target_text is None else target_text
    general = check_family_expr((g - target) ** 2, var, params, x_bar, text=f"({model} - ({target_label}))**2", label=sp.sstr(x_bar))
    d = _Derivatives(g, var, x_bar)
    try:
        g_at = [tidy(d[j], params) for j in range(4)]
    except _TooLarge as e:
        raise InputError(f"the model is too large to analyse symbolically: {e}") from None
    if not identically_zero(g_at[0] - target):
        raise InputError(f"g(x_bar) = {sp.sstr(g_at[0])} is not the target {target_label} for every parameter value", parameters=("at",))
    domain = general.domain
    slope = _settle_exceptions(condition("g'", g_at[1], Relation.NE, params), {}, x_bar, domain, sp.Integer(1), sp.Integer(1))
    rule = condition("g' g''' - 6 g''^2", g_at[1] * g_at[3] - 6 * g_at[2] ** 2, Relation.LT, params)
    rule = _settle_exceptions(rule, {}, x_bar, domain, sp.Integer(1), sp.Integer(1))
    return L2FamilyCheck(model, target_label, str(var), general.params, x_bar, solved, tuple((j, g_at[j]) for j in (1, 2, 3)),
                         slope, rule, domain, general)

# -- certified parameter maps ---------------------------------------------------------------------


def _requirements(positive: sp.Expr, domain: Sequence[Condition]) -> list[sp.Expr]:
    """What must be > 0 on a cell for the setting to apply: ``positive`` (``f''(xb)``, or ``g'^2``)
    and each domain condition (``u != 0`` as ``u^2 > 0``)."""
    out = [positive]
    for d in domain:
        out.append(d.expression if d.relation is Relation.GT else d.expression**2)
    return [e for e in out if e.free_symbols]  # a positive constant requires nothing


def map_quantity(result: FamilyCheck | L2FamilyCheck) -> tuple[sp.Expr, list[sp.Expr]]:
    """The expression whose sign decides the verdict of ``result`` on a parameter cell, and the
    expressions that must be positive there.  For a family: the condition of the case with no fixed parameter
    (``3 f'''^2 - f'' f''''`` when ``f'''`` is not identically zero), which decides every deeper
    case too: where ``f''' = 0`` it is ``-f'' f''''``, positive iff the ``k = 4`` condition holds,
    and an odd ``k``'s ``f^(k+1)`` is the next order's own condition.  For an L2 family: ``-C``, with
    ``g'^2 > 0``.

    >>> x, a, b = sp.symbols("x a b")
    >>> map_quantity(check_family_expr(x**2 / 2 + a * x**3 + b * x**4, x, (a, b), sp.Integer(0)))
    (12*(9*a**2 - 2*b), [])
    >>> map_quantity(check_family_expr(x**2 / 2 + a, x, (a,), sp.Integer(0)))  # a quadratic for every a
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: no case holds for every parameter value, so no single condition can be mapped
    """
    if isinstance(result, L2FamilyCheck):
        return -result.rule.expression, _requirements(result.slope.expression**2, result.domain)
    top = next((c.condition for c in result.cases if not c.fixed and c.condition is not None), None)
    if top is None:
        raise InputError("no case holds for every parameter value, so no single condition can be mapped", parameters=("region",))
    q = top.expression if top.relation is Relation.GT else -top.expression
    return q, _requirements(result.minimum.expression, result.domain)


def region_box(region: Mapping[str, tuple[Any, Any]], params: Sequence[str]) -> list[tuple[sp.Rational, sp.Rational]]:
    """The box of a ``region`` (parameter name to ``(lo, hi)``, exact rationals), in the order of
    ``params``; every parameter must have its interval.

    >>> region_box({"b": ("-1", "1"), "a": (0, "1/2")}, ("a", "b"))
    [(0, 1/2), (-1, 1)]
    >>> region_box({"a": (0, 1)}, ("a", "b"))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: region: needs an interval for each parameter (a, b), got a
    """
    region = arguments.instance(region, "region", Mapping, "a mapping from parameter names to (lo, hi)")
    if set(map(str, region)) != set(params):
        raise InputError(f"region: needs an interval for each parameter ({', '.join(params)}), got {', '.join(sorted(map(str, region)))}",
                         parameters=("region",))
    by_name = {str(k): v for k, v in region.items()}
    out = []
    for p in params:
        ends = by_name[p]
        if not isinstance(ends, (tuple, list)) or len(ends) != 2:
            raise InputError(f"region[{p}]: expected (lo, hi), got {ends!r}", parameters=("region",))
        lo, hi = (arguments.rational(e, f"region[{p}]") for e in ends)
        out.append((sp.Rational(lo.numerator, lo.denominator), sp.Rational(hi.numerator, hi.denominator)))
    return out


def with_parameter_map(result: FamilyCheck | L2FamilyCheck, region: Mapping[str, tuple[Any, Any]], *, max_depth: int = 12,
                       max_cells: int = 10000, prec: int = 64) -> FamilyCheck | L2FamilyCheck:
    """``result`` with its certified :class:`~symbolic_eos.analysis.parameter_maps.ParameterMap` over the
    box ``region`` (cells ``holds`` / ``fails`` where the sign of :func:`map_quantity` is certified,
    ``excluded`` where the setting does not apply), bisected at most ``max_depth`` times per
    parameter with at most ``max_cells`` cell evaluations at ``prec`` bits.

    >>> x, a, b = sp.symbols("x a b")
    >>> r = with_parameter_map(check_family_expr(x**2 / 2 + a * x**3 + b * x**4, x, (a, b), sp.Integer(0)),
    ...                        {"a": (-1, 1), "b": (-1, 1)}, max_depth=6, max_cells=2000)
    >>> r.parameter_map.area("holds") + r.parameter_map.area("fails") + r.parameter_map.area("undecided") == 4
    True
    >>> with_parameter_map(r, {"a": (1, -1), "b": (-1, 1)})
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: box[0]: needs lo < hi for the parameter a, got [1, -1]
    """
    import dataclasses

    if len(result.params) > MAX_PARAMETERS:
        raise InputError(f"region: a certified map takes 1 to {MAX_PARAMETERS} parameters; this family has {len(result.params)}",
                         parameters=("region",))
    quantity, requires = map_quantity(result)
    symbols = result.general.symbols if isinstance(result, L2FamilyCheck) else result.symbols
    box = region_box(region, result.params)
    found = certify_parameter_map(quantity, symbols, box, requires=requires, max_depth=max_depth, max_cells=max_cells, prec=prec)
    return dataclasses.replace(result, parameter_map=found)
