"""Exact conditions on the parameters of a family: ``expression <relation> 0`` with where it holds.

A :class:`Condition` carries its exact expression (factored when it is rational in the
parameters), its extent over the parameter space (``always`` off a stated zero set, ``never``,
``depends``, ``unknown``), for one parameter its exact solution set (sympy's ``solveset``), for
several a solved form with the sign-definite factors divided out and the boundary of a polynomial
condition.  Every sympy step that may be slow (``simplify``, ``solve``, ``solveset``) runs within
:data:`SOLVE_SECONDS`; an expression beyond :data:`FAMILY_OPS_LIMIT` operations is not reduced.

>>> a, b = sp.symbols("a b")
>>> c = condition("3 f'''^2 - f'' f''''", 108 * a**2 - 24 * b, Relation.GT, (a, b))
>>> c.statement, c.boundary
('b < 9*a**2/2', ('b = 9*a**2/2',))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import sympy as sp

from ..core import arguments
from ..core.decide import as_sympy, decide_ball, decide_constant, prove_identically_zero, within_seconds
from ..core.jets import constant_enclosure, rungs
from ..core.vocabulary import Extent, Relation
from ..errors import DomainError, EosError, InputError

__all__ = ["Condition", "condition", "tidy", "identically_zero", "vanishes",
           "constant_sign", "not_real", "parameter_values", "solve_zero", "solve_for", "definite_sign", "nonzero_text",
           "FAMILY_OPS_LIMIT", "SOLVE_SECONDS"]

#: An expression (a derivative at ``xb``, a condition) larger than this many operations is not
#: simplified or solved: the family is then undecided there, with the reason.
FAMILY_OPS_LIMIT = 4000
#: Wall-clock budget (seconds) of one sympy simplification, solve or inequality reduction.
SOLVE_SECONDS = 4.0




def tidy(value: sp.Expr, params: tuple[sp.Symbol, ...]) -> sp.Expr:
    """A canonical short form of ``value``: factored when it is rational in the ``params`` (exact
    and fast), else sympy's ``simplify`` within :data:`SOLVE_SECONDS` (the value unchanged if not).

    >>> a = sp.Symbol("a")
    >>> tidy(a**2 - 2*a + 1, (a,)), tidy(sp.sinh(a) / sp.cosh(a), (a,))
    ((a - 1)**2, tanh(a))
    """
    value = as_sympy(value)  # an int from the coefficient algebra; never parses text
    if not value.free_symbols or sp.count_ops(value) > FAMILY_OPS_LIMIT:
        return value
    if value.is_rational_function(*params):
        return sp.factor(sp.cancel(sp.together(value)))
    simpler = within_seconds(sp.simplify, value, SOLVE_SECONDS)
    return value if simpler is None or sp.count_ops(simpler) > sp.count_ops(value) else simpler


def parameter_values(values: Mapping[Any, Any], symbols: Sequence[sp.Symbol]) -> dict[sp.Symbol, sp.Expr]:
    """``values`` (a mapping from parameter names or symbols to exact numbers) as exact sympy values
    of the parameters ``symbols``; every parameter needs exactly one value.

    >>> a, b = sp.symbols("a b")
    >>> parameter_values({"a": 1, b: "1/2"}, (a, b))
    {a: 1, b: 1/2}
    >>> parameter_values({"a": 1}, (a, b))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: values: expected a value for each of a, b, got a
    """
    values = arguments.instance(values, "values", Mapping, "a mapping from parameter names to exact numbers")
    by_name = {str(k): v for k, v in values.items()}
    names = [str(s) for s in symbols]
    if set(by_name) != set(names):
        raise InputError(f"values: expected a value for each of {', '.join(names)}, got {', '.join(sorted(by_name))}",
                         parameters=("values",))
    return {s: arguments.exact_value(by_name[str(s)], f"values[{s}]") for s in symbols}


def constant_sign(value: sp.Expr) -> int | None:
    """The sign of an exact real constant ``value`` (-1, 0, 1), or None when it is not settled:
    balls on the precision ladder first (:func:`~symbolic_eos.core.decide.decide_ball`), then the
    exact proof of zero of :func:`~symbolic_eos.core.decide.decide_constant` within
    :data:`SOLVE_SECONDS` (its expansions have no budget of their own).  A value that is not a real
    number (``zoo``, ``nan``, a non-real number) is None too.

    >>> constant_sign(sp.sqrt(2) - 1), constant_sign(sp.atan(sp.Rational(1, 2)) + sp.atan(sp.Rational(1, 3)) - sp.pi / 4)
    (1, None)
    """
    value = as_sympy(value)  # an int from the coefficient algebra; never parses text
    # no ``is_real`` query: sympy answers it by evalf, with no budget, on large radicals
    if value.free_symbols or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I):
        return None
    if value.is_Rational:
        return int(sp.sign(value))
    try:
        balls = decide_ball(lambda prec: constant_enclosure(value, prec), rungs(64, 512))
    except (EosError, ZeroDivisionError, ValueError, TypeError):
        return None
    if balls.sign in (-1, 1):
        return balls.sign
    return within_seconds(_decided_sign, value, SOLVE_SECONDS)


def _decided_sign(value: sp.Expr) -> int | None:
    return decide_constant(value).sign  # an int crosses the process boundary; a Decision's balls need not


def not_real(value: sp.Expr) -> bool:
    """True only when the constant ``value`` is certainly not a real number: its ball evaluation
    meets a certain domain error (``sqrt`` or ``log`` of a negative number, ``atanh(2)``), or it
    holds ``I``.  False proves nothing (no ``is_real`` query, which can run unbounded evalf).

    >>> not_real(sp.sqrt(-2) + 1), not_real(sp.atanh(2)), not_real(sp.sqrt(2)), not_real(sp.Symbol("a"))
    (True, True, False, False)
    """
    value = as_sympy(value)  # an int from the coefficient algebra; never parses text
    if value.free_symbols:
        return False
    if value.has(sp.I):
        return True
    try:
        constant_enclosure(value, 64)
    except DomainError:
        return True
    except (EosError, ZeroDivisionError, ValueError, TypeError):
        return False
    return False


def vanishes(value: sp.Expr) -> bool | None:
    """Whether ``value`` is 0 for every real value of its symbols (the parameters and the variable
    are real): True when proved (:func:`~symbolic_eos.core.decide.prove_identically_zero` with each
    symbol declared real, so that ``log(exp(a)) - a`` is 0), False when proved not (a certified
    non-zero value at an exact probe point), None when neither is settled: an unproved zero is never
    taken for a non-zero.

    >>> a = sp.Symbol("a")
    >>> vanishes(sp.log(sp.exp(a)) - a), vanishes(a), vanishes(sp.Integer(0))
    (True, False, True)
    >>> vanishes(sp.atan(sp.Rational(1, 2)) + sp.atan(sp.Rational(1, 3)) - sp.pi / 4)  # undecided: 0, but not proved here
    """
    value = as_sympy(value)  # an int from the coefficient algebra; never parses text
    if value == 0:
        return True
    real = {s: sp.Symbol(s.name, real=True) for s in value.free_symbols if isinstance(s, sp.Symbol) and s.is_real is not True}
    value = value.xreplace(real) if real else value
    free = sorted(value.free_symbols, key=str)
    for shift in range(len(_PROBES) if free else 1):
        probe = value.xreplace({s: _PROBES[(i + shift) % len(_PROBES)] for i, s in enumerate(free)})
        if constant_sign(probe) in (-1, 1):
            return False  # not zero at one point: not identically zero
    # the exact steps (expansion, the rational-function identity, simplify) within one budget
    return True if within_seconds(prove_identically_zero, value, SOLVE_SECONDS) else None


def identically_zero(value: sp.Expr) -> bool:
    """True only when ``value`` is proved 0 for every real value of its symbols (:func:`vanishes`
    is True); False proves nothing.

    >>> a = sp.Symbol("a")
    >>> identically_zero(sp.log(sp.exp(a)) - a), identically_zero(a), identically_zero(sp.Integer(0))
    (True, False, True)
    """
    return vanishes(value) is True


#: Exact probe points for :func:`vanishes` (unlikely roots).
_PROBES = (sp.Rational(3, 7), sp.Rational(-5, 11), sp.Rational(13, 17), sp.Rational(-2, 9))


def solve_zero(value: sp.Expr, params: tuple[sp.Symbol, ...]) -> tuple[list[dict[sp.Symbol, sp.Expr]] | None, bool]:
    """The real solutions of ``value = 0`` for the ``params``, as substitutions, and whether the
    list is complete (sympy's ``solve`` is complete for polynomials, and the zeros of a product of
    their radicals are theirs; for others it may miss solutions, so the list is not called
    complete).  None when sympy cannot solve in time.

    >>> a, b = sp.symbols("a b")
    >>> solve_zero(a * b, (a, b)), solve_zero(6 * sp.sqrt(a), (a,)), solve_zero(sp.sin(a), (a,))
    (([{b: 0}, {a: 0}], True), ([{a: 0}], True), ([{a: 0}, {a: pi}], False))
    """
    free = tuple(p for p in params if p in value.free_symbols)
    if not free or sp.count_ops(value) > FAMILY_OPS_LIMIT:
        return None, False
    bases = _zero_bases(value, free)
    complete = bases is not None
    if bases is not None:
        found = []
        for base in _irreducible(bases, free):
            part = within_seconds(_solve_dicts, (base, tuple(p for p in free if p in base.free_symbols)), SOLVE_SECONDS)
            if part is None:
                return None, False
            # p = r(others) loses the points where the leading coefficient in p vanishes (there the
            # degree drops); those are the solutions of the system {base = 0, lc = 0}, which sympy
            # solves completely for polynomials (Groebner bases); without them the list is incomplete
            for q in {q for d in part for q in d}:
                lc = sp.Poly(base, q).LC()
                if lc.free_symbols:
                    lost = within_seconds(_solve_system, ((base, lc), tuple(p for p in free if p in base.free_symbols)),
                                          SOLVE_SECONDS)
                    if lost is None:
                        complete = False
                    else:
                        part += [d for d in lost if d not in part]
            found += [d for d in part if d not in found]
    else:
        found = within_seconds(_solve_dicts, (value, free), SOLVE_SECONDS)
        if found is None:
            return None, False
    real = []
    for solution in found:
        values = list(solution.values())
        if any(v.is_real is False for v in values):
            continue
        if any(v.has(sp.I) for v in values):
            # complex in form, yet real at some real parameter values (a = I b is real at b = 0):
            # those points are not listed, so the list is not complete
            complete = False
            continue
        real.append(solution)
    return real, complete


def _irreducible(bases: list[sp.Expr], params: tuple[sp.Symbol, ...]) -> list[sp.Expr]:
    """The irreducible factors of the polynomials ``bases`` (each solved on its own, so that the
    leading-coefficient test of :func:`solve_zero` sees ``a b`` as ``a`` and ``b``)."""
    out: list[sp.Expr] = []
    for base in bases:
        try:
            factors = [f for f, _ in sp.factor_list(base, *params)[1]]
        except (sp.polys.polyerrors.PolynomialError, sp.polys.polyerrors.DomainError, NotImplementedError):
            factors = [base]
        out += [f for f in factors if f.free_symbols and f not in out]
    return out


def _zero_bases(value: sp.Expr, params: tuple[sp.Symbol, ...]) -> list[sp.Expr] | None:
    """Polynomials whose zeros are exactly those of ``value``, or None: the numerator of a rational
    function, and for a product each factor's (``u**(p/q)`` with ``p/q > 0`` vanishes where ``u``
    does; a negative power or a non-zero constant never does).  sympy's ``solve`` is complete on
    polynomials, so these zeros are all the zeros."""
    if not value.free_symbols:
        return []
    if value.is_polynomial(*params):
        return [value]
    if value.is_rational_function(*params):
        return [sp.numer(sp.together(value))]
    if isinstance(value, sp.Mul):
        out: list[sp.Expr] = []
        for factor in value.args:
            inner = _zero_bases(factor, params)
            if inner is None:
                return None
            out += inner
        return out
    if isinstance(value, sp.Pow) and value.exp.is_Rational:
        return [] if value.exp < 0 else _zero_bases(value.base, params)
    return None


def _solve_system(args: tuple[tuple[sp.Expr, ...], tuple[sp.Symbol, ...]]) -> list[dict[sp.Symbol, sp.Expr]] | None:
    equations, free = args
    try:
        return list(sp.solve(list(equations), list(free), dict=True))
    except (NotImplementedError, ValueError, TypeError):
        return None


def _solve_dicts(args: tuple[sp.Expr, tuple[sp.Symbol, ...]]) -> list[dict[sp.Symbol, sp.Expr]]:
    value, free = args
    try:
        return list(sp.solve(value, list(free), dict=True))
    except (NotImplementedError, ValueError, TypeError):
        return []


def _solution_set(value: sp.Expr, relation: Relation, param: sp.Symbol) -> sp.Set | None:
    """``{p real : value <relation> 0}`` as an exact set, or None when sympy cannot reduce it in
    time (a ``ConditionSet`` counts as not reduced).  Only for a value algebraic in ``p`` (rational,
    or products of radicals of polynomials): on a periodic function ``solveset`` answers on one
    period, which is not the solution set."""
    if sp.count_ops(value) > FAMILY_OPS_LIMIT or (_zero_bases(value, (param,)) is None and not value.is_algebraic_expr(param)):
        return None
    found = within_seconds(_reduce, (value, relation, param), SOLVE_SECONDS)
    if found is None or isinstance(found, sp.ConditionSet) or found.has(sp.ConditionSet):
        return None
    return found


def _reduce(args: tuple[sp.Expr, Relation, sp.Symbol]) -> sp.Set | None:
    value, relation, param = args
    rel = {Relation.GT: sp.StrictGreaterThan, Relation.LT: sp.StrictLessThan, Relation.EQ: sp.Eq, Relation.NE: sp.Ne}[relation]
    try:
        return sp.solveset(rel(value, 0), param, sp.S.Reals)
    except (NotImplementedError, ValueError, TypeError):
        return None


def definite_sign(value: sp.Expr, params: tuple[sp.Symbol, ...]) -> tuple[int | None, tuple[sp.Expr, ...]]:
    """A sign ``s`` that ``value`` has at every value of the ``params`` off the zero set of the
    returned factors (each a factor of even multiplicity, or a pole), or None.  Exact: read off
    sympy's ``factor_list`` of a rational function (a factor without real zeros has one sign); a
    constant's sign is decided by :func:`~symbolic_eos.core.decide.decide_constant`.

    >>> a, b = sp.symbols("a b")
    >>> definite_sign(-2 * a**4 * (9 * b**2 + 1), (a, b)), definite_sign(a * b, (a, b))
    ((-1, (a,)), (None, ()))
    """
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return None, ()
    if not value.free_symbols:
        return constant_sign(value), ()
    if not value.is_rational_function(*params):
        return None, ()
    numerator, denominator = sp.fraction(sp.cancel(sp.together(value)))
    sign = 1
    zero_set: list[sp.Expr] = []
    for part, is_denominator in ((numerator, False), (denominator, True)):
        constant, factors = sp.factor_list(part, *params)
        s = constant_sign(constant)
        if not s:
            return None, ()
        sign *= s
        for factor, multiplicity in factors:
            if multiplicity % 2 == 0:
                zero_set.append(factor)
                continue
            own = _sign_without_zeros(factor, params)
            if own is None:
                return None, ()
            sign *= own
            if is_denominator:
                zero_set.append(factor)
    return sign, tuple(zero_set)


def _sign_without_zeros(factor: sp.Expr, params: tuple[sp.Symbol, ...]) -> int | None:
    """The sign of a polynomial ``factor`` with no real zero (univariate: no real root, by Sturm
    counting; a sum of even powers with positive coefficients otherwise), else None."""
    free = [p for p in params if p in factor.free_symbols]
    try:
        poly = sp.Poly(factor, *free)
        no_root = len(free) == 1 and poly.count_roots() == 0
    except (sp.polys.polyerrors.PolynomialError, sp.polys.polyerrors.DomainError, NotImplementedError):
        return None  # e.g. an irrational coefficient: no Sturm count over EX
    if no_root:
        return constant_sign(factor.subs(free[0], 0))
    terms = poly.terms()
    if terms and all(all(e % 2 == 0 for e in monomial) for monomial, _ in terms):
        signs = {int(sp.sign(c)) for _, c in terms}
        if len(signs) == 1 and any(all(e == 0 for e in m) for m, _ in terms):
            return signs.pop()  # a positive constant plus even powers with positive coefficients
    return None


def _linear_solution(value: sp.Expr, relation: Relation, params: tuple[sp.Symbol, ...]) -> str | None:
    """``value <relation> 0`` solved for the last parameter it is linear in with a constant
    coefficient (``108 a^2 - 24 b > 0`` is ``b < 9 a^2/2``), as text; None if there is none."""
    expanded = sp.expand(value)
    for p in reversed(params):
        if p not in expanded.free_symbols or not expanded.is_polynomial(p) or sp.degree(expanded, p) != 1:
            continue
        coefficient = expanded.coeff(p, 1)
        if coefficient.free_symbols:
            continue
        s = constant_sign(coefficient)
        if not s:
            continue
        rest = sp.factor(-(expanded - coefficient * p) / coefficient)
        flipped = {Relation.GT: Relation.LT, Relation.LT: Relation.GT}.get(relation, relation) if s < 0 else relation
        return f"{p} {flipped.symbol} {sp.sstr(rest)}"
    return None


def _reduced(value: sp.Expr, relation: Relation, params: tuple[sp.Symbol, ...]) -> str | None:
    """A strict inequality in several parameters with its sign-definite factors divided out
    (positive constants, factors without real zeros, even powers: the last only off their zeros):
    ``-2 a^2 b^4 (a^2 - 2) < 0`` is ``a < -sqrt(2) or sqrt(2) < a (off a = 0, b = 0)``; then solved
    for one parameter where it is univariate or linear.  None when nothing simpler comes out."""
    if relation not in (Relation.GT, Relation.LT) or not value.is_rational_function(*params):
        return _linear_solution(value, relation, params)
    numerator, denominator = sp.fraction(sp.cancel(sp.together(value)))
    sign, kept, off = 1, [], []
    for part in (numerator, denominator):
        constant, factors = sp.factor_list(part, *params)
        s_c = constant_sign(constant)
        if not s_c:
            return None
        sign *= s_c
        for factor, multiplicity in factors:
            own = _sign_without_zeros(factor, params)
            if own is not None:
                sign *= own
            elif multiplicity % 2 == 0:
                off.append(factor)
            else:
                kept.append(factor)
    if len(kept) != 1:
        return _linear_solution(value, relation, params)
    rel = relation if sign > 0 else (Relation.LT if relation is Relation.GT else Relation.GT)
    factor = kept[0]
    free = tuple(p for p in params if p in factor.free_symbols)
    solution = _solution_set(factor, rel, free[0]) if len(free) == 1 else None
    text = _set_text(solution, str(free[0])) if solution is not None else _linear_solution(factor, rel, free)
    if text is None:
        text = f"{sp.sstr(factor)} {rel.symbol} 0"
    if off:
        zeros = [t.replace("!=", "=") for z in off for t in nonzero_text(z, params)]
        text += f" (off {', '.join(zeros)})"
    return text


def _boundary(value: sp.Expr, params: tuple[sp.Symbol, ...]) -> tuple[str, ...]:
    """The boundary ``value = 0`` of a polynomial condition in several parameters, solved for its
    last parameter where sympy can (``b = 9*a**2/2``); else the equation itself."""
    if len(params) < 2 or not value.is_polynomial(*params):
        return ()
    numerator = sp.numer(sp.together(value))
    for p in reversed(params):
        if p not in numerator.free_symbols or sp.degree(numerator, p) > 2:
            continue
        found = solve_for(numerator, p)
        if found:
            return tuple(f"{p} = {sp.sstr(sp.factor(s))}" for s in found)
    return (f"{sp.sstr(numerator)} = 0",)


def solve_for(value: sp.Expr, param: sp.Symbol) -> list[sp.Expr] | None:
    """The real closed-form solutions of ``value = 0`` for one symbol ``param`` (sympy's ``solve``,
    within :data:`SOLVE_SECONDS`; those sympy proves non-real dropped), or None when sympy gives
    no answer in time.  Nothing here claims the list is complete: :func:`solve_zero` does, where it can.

    >>> a, b = sp.symbols("a b")
    >>> solve_for(108 * a**2 - 24 * b, b), solve_for(a**2 + 1, a)
    ([9*a**2/2], [])
    """
    return within_seconds(_solve_for_args, (value, param), SOLVE_SECONDS)


def _solve_for_args(args: tuple[sp.Expr, sp.Symbol]) -> list[sp.Expr]:
    value, p = args
    try:
        return [s for s in sp.solve(value, p) if s.is_real is not False]
    except (NotImplementedError, ValueError, TypeError):
        return []


# -- conditions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """The condition ``expression <relation> 0`` on the parameters (``name`` says what the
    expression is), with its ``extent`` over the parameter space, the exact ``solution`` set for one
    parameter, a ``solved`` form (for several parameters) and the polynomial ``boundary``; where the
    extent is ``always`` it holds off the zero set of the ``except_where`` factors.

    >>> a = sp.Symbol("a")
    >>> c = condition("f''", 2 * a**2 + 1, Relation.GT, (a,))
    >>> c.extent, c.text
    ('always', "f'' = 2*a**2 + 1 > 0")
    >>> condition("f'''", 6 * a, Relation.NE, (a,)).solution
    Union(Interval.open(-oo, 0), Interval.open(0, oo))
    """

    name: str
    expression: sp.Expr
    relation: Relation
    extent: Extent
    solution: sp.Set | None = None
    solved: str | None = None
    boundary: tuple[str, ...] = ()
    except_where: tuple[sp.Expr, ...] = ()

    @property
    def text(self) -> str:
        return f"{self.name} = {sp.sstr(self.expression)} {self.relation.symbol} 0"

    @property
    def statement(self) -> str:
        """The condition in the parameters, shortest form first: ``b < 9*a**2/2``, ``a in (-1, 1)``."""
        if self.solution is not None:
            return _set_text(self.solution, self._param())
        if self.extent is Extent.ALWAYS:
            params = tuple(sorted(self.expression.free_symbols, key=str))
            exceptions = [t for z in self.except_where for t in nonzero_text(z, params)]
            return " and ".join(exceptions) if exceptions else "every parameter value"
        if self.extent is Extent.NEVER:
            return "no parameter value"
        if self.solved is not None:
            return self.solved
        return f"{sp.sstr(self.expression)} {self.relation.symbol} 0"

    def _param(self) -> str:
        free = sorted(self.expression.free_symbols, key=str)
        return str(free[0]) if free else "p"

    def latex(self) -> str:
        rel = {Relation.GT: ">", Relation.LT: "<", Relation.EQ: "=", Relation.NE: r"\neq"}[self.relation]
        return f"{sp.latex(self.expression)} {rel} 0"

    def holds_at(self, values: Mapping[sp.Symbol, sp.Expr]) -> bool | None:
        """Whether the condition holds at exact parameter ``values`` (None when its sign there
        is not settled).

        >>> a = sp.Symbol("a")
        >>> condition("q", 1 - a**2, Relation.GT, (a,)).holds_at({a: sp.Rational(1, 2)})
        True
        >>> condition("q", 1 - a**2, Relation.GT, (a,)).holds_at({})
        Traceback (most recent call last):
        ...
        symbolic_eos.errors.InputError: values: no value for a
        """
        value = self.expression.xreplace(dict(values))
        if value.free_symbols:
            raise InputError(f"values: no value for {', '.join(sorted(map(str, value.free_symbols)))}", parameters=("values",))
        if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or not_real(value):
            return False  # not a real number: the (real) condition does not hold
        sign = constant_sign(value)
        return None if sign is None else self.relation.holds_for(sign)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "expression": sp.sstr(self.expression),
            "latex": self.latex(),
            "relation": str(self.relation),
            "symbol": self.relation.symbol,
            "extent": str(self.extent),
            "solution": None if self.solution is None else _set_text(self.solution, self._param()),
            "solved": self.solved,
            "boundary": list(self.boundary),
            "except_where": [sp.sstr(e) for e in self.except_where],
        }


def _set_text(s: sp.Set, name: str) -> str:
    """A solution set as inequalities: ``b < 0``, ``a < -sqrt(2)/3 or a > sqrt(2)/3``."""
    if s == sp.S.Reals:
        return f"every real {name}"
    if s is sp.S.EmptySet:
        return f"no real {name}"
    pieces: tuple[Any, ...] = tuple(s.args) if isinstance(s, sp.Union) else (s,)
    if (len(pieces) == 2 and all(isinstance(q, sp.Interval) for q in pieces) and pieces[0].start == -sp.oo
            and pieces[1].end == sp.oo and pieces[0].end == pieces[1].start and pieces[0].right_open and pieces[1].left_open):
        return f"{name} != {sp.sstr(pieces[0].end)}"
    if not all(isinstance(piece, (sp.Interval, sp.FiniteSet)) for piece in pieces):
        return f"{name} in {sp.sstr(s)}"
    out: list[str] = []
    for piece in pieces:
        if isinstance(piece, sp.FiniteSet):
            out.extend(f"{name} = {sp.sstr(v)}" for v in piece)
            continue
        lo = "" if piece.start == -sp.oo else f"{sp.sstr(piece.start)} {'<' if piece.left_open else '<='} "
        hi = "" if piece.end == sp.oo else f" {'<' if piece.right_open else '<='} {sp.sstr(piece.end)}"
        out.append(f"{lo}{name}{hi}")
    return " or ".join(out)


def nonzero_text(value: sp.Expr, params: tuple[sp.Symbol, ...]) -> list[str]:
    """``value != 0`` as one line per factor in the ``params``, solved where the factor is linear
    (``a != 0``); factors without real zeros are left out.

    >>> a, b = sp.symbols("a b")
    >>> nonzero_text(-12 * a**3 * (b - 1) * (b**2 + 1), (a, b)), nonzero_text(6 * sp.sqrt(a), (a,))
    (['b != 1', 'a != 0'], ['a != 0'])
    """
    bases = _zero_bases(value, params)
    if bases is None:
        return [f"{sp.sstr(value)} != 0"]
    out: list[str] = []
    factors = [f for base in bases for f, _ in sp.factor_list(base, *params)[1]]
    for factor in factors:
        free = [p for p in params if p in factor.free_symbols]
        if _sign_without_zeros(factor, params) is not None:
            continue  # no real zero: never 0
        if len(free) == 1 and sp.degree(factor, free[0]) == 1:
            out.append(f"{free[0]} != {sp.sstr(sp.solve(factor, free[0])[0])}")
        else:
            out.append(f"{sp.sstr(factor)} != 0")
    return list(dict.fromkeys(out))


def condition(name: str, expression: sp.Expr, relation: Relation, params: tuple[sp.Symbol, ...]) -> Condition:
    """The :class:`Condition` ``expression <relation> 0`` on the ``params`` (``name`` says what the
    expression is), with its extent and solution: a sign that
    ``expression`` has everywhere (exact, from its factors) makes it ``always`` or ``never``; for one
    parameter the solution set decides it; otherwise ``depends`` when the expression changes sign at
    two exact parameter values, ``unknown`` when nothing settles it.

    >>> a, b = sp.symbols("a b")
    >>> c = condition("3 f'''^2 - f'' f''''", 108 * a**2 - 24 * b, Relation.GT, (a, b))
    >>> c.extent, c.solved, c.boundary
    ('depends', 'b < 9*a**2/2', ('b = 9*a**2/2',))
    >>> condition("f'(xb)", sp.Integer(0), Relation.EQ, (a,)).extent, condition("q", sp.Integer(0), Relation.GT, (a,)).extent
    ('always', 'never')
    >>> condition("q", a, Relation.GT, ())
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: the condition q depends on a, which is not a parameter
    """
    params = tuple(params)
    expression = tidy(expression, params)
    stray = expression.free_symbols - set(params)
    if stray:
        raise InputError(f"the condition {name} depends on {', '.join(sorted(map(str, stray)))}, which is not a parameter")
    present = tuple(p for p in params if p in expression.free_symbols)
    if relation is Relation.NE and present and expression.is_rational_function(*present) and vanishes(expression) is False:
        # a rational function that is not identically 0 vanishes only where a factor of its numerator does
        factors = tuple(f for f, _ in sp.factor_list(sp.numer(sp.together(expression)), *present)[1])
        solution = _solution_set(expression, relation, present[0]) if len(present) == 1 else None
        return Condition(name, expression, relation, Extent.ALWAYS, solution, None, (), factors)
    sign, zero_set = definite_sign(expression, params)
    solution = _solution_set(expression, relation, present[0]) if len(present) == 1 else None
    if sign == 0:  # an exact zero (a constant): the relation itself decides, everywhere
        return Condition(name, expression, relation, Extent.ALWAYS if relation.holds_for(0) else Extent.NEVER, solution)
    if sign is not None:
        # A sign off a zero set: ">" and "<" hold (or fail) there, "!=" too; "=" only on the zero set.
        if relation is Relation.EQ:
            extent = Extent.NEVER if not zero_set else Extent.DEPENDS
        else:
            extent = Extent.ALWAYS if relation.holds_for(sign) else Extent.NEVER
        return Condition(name, expression, relation, extent, solution, None, (), zero_set if extent is Extent.ALWAYS else ())
    if solution is not None:
        full = sp.S.Reals
        extent = Extent.ALWAYS if solution == full else Extent.NEVER if solution is sp.S.EmptySet else Extent.DEPENDS
        return Condition(name, expression, relation, extent, solution)
    solved = _reduced(expression, relation, present) if len(present) > 1 else None
    boundary = _boundary(expression, present) if relation in (Relation.GT, Relation.LT) else ()
    return Condition(name, expression, relation, Extent.DEPENDS if (solved or boundary) else Extent.UNKNOWN, None, solved, boundary)
