"""Families of multivariate losses: the Hessian's top eigen-direction, the paper's cross-section
criterion and the exact multivariate flip coefficient as exact expressions in the parameters.

For a loss ``f(x; p)`` in several variables with parameters ``p`` at a point ``xb(p)`` where the
gradient vanishes identically, the Hessian ``H(p)`` is exact.  Its eigenvalues are the roots of
the factors of ``det(H - l I)`` over ``QQ(p)``: a factor linear in ``l`` gives an eigenvalue
rational in the parameters (and in the algebraic atoms of ``H``); a factor of higher degree does
not, and such an eigenvalue is never taken as the top one.  Which eigenvalue is on top may change
with the parameters, so the result has one **branch** per rational eigenvalue ``l1`` that can be
on top, with the exact conditions that it is (``l1 - mu > 0`` for every other eigenvalue ``mu``,
which is also the simplicity of ``l1``; for a factor ``P`` of degree ``d > 1``, the coefficients of
``P(l1 + t)/lc(P)`` are positive, i.e. every root lies below ``l1``) and that ``H >= 0`` with the
kernel it has identically (``l1 > 0`` and every eigenvalue not identically zero ``> 0``).  On a
branch, with the top eigenvector ``q`` (exact, primitive, unnormalised) and ``N = |q|^2``:

* ``eta_critical = 2/l1``;
* the cross-section ``phi(t) = f(xb + t q)/N`` is analysed by
  :func:`~symbolic_eos.analysis.families.check_family_expr`: GD on ``phi`` is GD along the line,
  so ``eta_critical`` and the paper's conditions are those of the unit cross-section, and its
  order-``m`` flip coefficient is ``N^((m-1)/2)`` times the unit one; ``cross_section_coefficient``
  is the unit order-3 one;
* ``exact_coefficient = -2c``, ``c = (eta0/6)(3 g^T H^+ g - D^4 f[q,q,q,q])/N^2``,
  ``g = D^3 f[q,q,.]`` (Kuznetsov's period-doubling coefficient; ``H^+ g = (H + K K^T)^{-1} g``
  for ``g`` orthogonal to the kernel ``K``); supercritical iff ``-2c < 0``;
* at a non-isolated minimum the formula applies only where ``P_ker g = 0`` (the
  ``kernel_condition``); elsewhere the sharpness drifts along the manifold of minima;
* ``coupling = cross_section_coefficient - exact_coefficient
  = (2/(l1 N^2)) (g^T H^+ g - (g.q)^2/(l1 N)) >= 0``: the other directions only help.

The ordering is reported as conditions (a branch per eigenvalue); the family is refused
(:class:`~symbolic_eos.errors.InputError`) only when no rational eigenvalue is the simple, positive
top one for any parameter value.  A parameter value on no branch (the top eigenvalue repeated or
not rational there, a new zero eigenvalue, a sign not settled) is ``undecided`` in
:meth:`MultivariateFamilyCheck.verdict_at`, never guessed.

>>> x, y, a = sp.symbols("x y a")
>>> r = check_multivariate_family_expr((x*y - 1)**2/2 + a*(x - y)**2/2, (x, y), (a,), (sp.Integer(1), sp.Integer(1)))
>>> [(b.top, b.direction, b.where) for b in r.branches]
[(2, (1, 1), '0 < a < 1'), (2*a, (-1, 1), '1 < a')]
>>> [(b.cross_section.summary, b.cross_section_coefficient, b.exact_coefficient) for b in r.branches]
[('holds for every parameter value where xb is a strict minimum (proved)', -8, -8), ('fails for every parameter value', 1/a, 0)]

Coupling to the other directions can make the flip supercritical where the cross-section fails:

>>> b = check_multivariate_family_expr(x**2 + y**2/2 + x**4 + a*x**2*y, (x, y), (a,), (sp.Integer(0), sp.Integer(0))).branches[0]
>>> b.cross_section.summary, b.cross_section_coefficient, b.exact_coefficient, b.flip_condition.statement, b.coupling
('fails for every parameter value', 8, -4*(a**2 - 2), 'a < -sqrt(2) or sqrt(2) < a', 4*a**2)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import sympy as sp

from ..analysis.conditions import Condition, condition, identically_zero, parameter_values
from ..analysis.families import MAX_PARAMS, FamilyCheck, check_family_expr
from ..core import arguments
from ..core.decide import as_sympy, decide_constant, within_seconds
from ..core.vocabulary import Extent, Flip, Relation, Rigor, Verdict
from ..errors import InputError
from .check import MAX_VARIABLES
from .hessian import minima_manifold

__all__ = ["TopBranch", "MultivariateFamilyCheck", "check_multivariate_family_expr", "MULTI_FAMILY_OPS_LIMIT", "SOLVE_SECONDS"]

#: A derivative, Hessian entry or coefficient larger than this many operations is refused (the
#: family is too large to analyse symbolically).
MULTI_FAMILY_OPS_LIMIT = 6000


def _tidy(value: sp.Expr) -> sp.Expr:
    """A canonical form: factored when rational in its symbols (exact), else ``cancel``led."""
    value = as_sympy(value)  # an int from the arithmetic below; never parses text
    if not value.free_symbols or sp.count_ops(value) > MULTI_FAMILY_OPS_LIMIT:
        return value
    if value.is_rational_function(*sorted(value.free_symbols, key=str)):
        return sp.factor(sp.cancel(sp.together(value)))
    return sp.cancel(sp.together(value))


def _sized(value: sp.Expr, what: str) -> sp.Expr:
    if sp.count_ops(value) > MULTI_FAMILY_OPS_LIMIT:
        raise InputError(f"the family is too large to analyse symbolically: {what} has more than {MULTI_FAMILY_OPS_LIMIT} operations")
    return value


def _is_zero(value: sp.Expr) -> bool:
    return identically_zero(value)


def _primitive(vector: Sequence[sp.Expr]) -> tuple[sp.Expr, ...]:
    """``vector`` times a non-zero scalar: denominators cleared and the common factor removed
    (where the entries are rational functions), so ``(1/a, 1)`` becomes ``(1, a)``."""
    entries = [sp.together(as_sympy(v)) for v in vector]
    if not all(e.is_rational_function(*sorted(e.free_symbols, key=str)) for e in entries):
        return tuple(_tidy(e) for e in entries)
    denominators = [sp.fraction(e)[1] for e in entries]
    scaled = [sp.cancel(e * sp.lcm_list(denominators)) for e in entries]
    common = sp.gcd_list([s for s in scaled if s != 0]) if any(s != 0 for s in scaled) else sp.Integer(1)
    return tuple(sp.factor(sp.cancel(s / common)) for s in scaled)


def _nullspace(matrix: sp.Matrix) -> list[sp.Matrix]:
    """The exact nullspace over the field of rational functions (a pivot is zero only when proved)."""
    return list(matrix.applyfunc(_tidy).nullspace(iszerofunc=_is_zero))


def _holds(c: Condition, exact: Mapping[sp.Symbol, sp.Expr]) -> bool | None:
    """:meth:`Condition.holds_at`, None where the expression is not finite (a pole of ``l1``)."""
    if c.expression.xreplace(dict(exact)).has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return None
    return c.holds_at(exact)


@dataclass(frozen=True)
class TopBranch:
    """One branch of a :class:`MultivariateFamilyCheck`: the parameters where the exact rational
    eigenvalue ``top`` is strictly on top (``ordering``: ``top - mu > 0`` for every other
    eigenvalue, hence simple) and ``H >= 0`` with its identical kernel (``positivity``), the top
    eigenvector ``direction`` (exact, unnormalised, ``norm_squared = |q|^2``, non-zero where
    ``direction_nonzero`` holds), ``eta_critical = 2/top``, the 1-D ``cross_section`` family
    (``f(xb + t q)/|q|^2``) with its unit order-3 ``cross_section_coefficient``, the exact
    multivariate ``exact_coefficient`` ``-2c`` with its sign ``flip_condition`` (supercritical
    iff ``-2c < 0``), the ``kernel_condition`` ``|P_ker g|^2 = 0`` under which the formula applies
    (None for an isolated minimum), the ``coupling`` ``cross - exact >= 0``, and a ``note``.

    >>> x, y, s = sp.symbols("x y s")
    >>> r = check_multivariate_family_expr((x*y - 1)**2/2, (x, y), (s,), (s, 1/s))
    >>> b = r.branches[0]
    >>> b.top, b.direction, b.kernel_condition.statement, b.applies
    ((s**4 + 1)/s**2, (1, s**2), 's = -1 or s = 1', False)
    """

    top: sp.Expr
    direction: tuple[sp.Expr, ...]
    norm_squared: sp.Expr
    eta_critical: sp.Expr
    ordering: tuple[Condition, ...]
    positivity: tuple[Condition, ...]
    direction_nonzero: Condition | None
    cross_section: FamilyCheck
    cross_section_coefficient: sp.Expr
    exact_coefficient: sp.Expr
    flip_condition: Condition
    kernel_condition: Condition | None
    coupling: sp.Expr
    note: str = ""

    @property
    def conditions(self) -> tuple[Condition, ...]:
        """Every condition that places a parameter value on this branch."""
        return (*self.ordering, *self.positivity, *((self.direction_nonzero,) if self.direction_nonzero else ()))

    @property
    def where(self) -> str:
        """Where the branch holds: for one parameter the intersection of the conditions' exact
        solution sets, else their statements joined (``every parameter value`` when always)."""
        relevant = [c for c in self.conditions if c.extent is not Extent.ALWAYS or c.except_where]
        if not relevant:
            return "every parameter value"
        free = set().union(*(c.expression.free_symbols for c in relevant))
        if len(free) == 1 and all(c.solution is not None for c in relevant):
            (p,) = free
            solution = sp.Intersection(*(c.solution for c in relevant if c.solution is not None))
            return Condition("where", p, Relation.GT, Extent.DEPENDS, solution).statement
        return " and ".join(dict.fromkeys(c.statement for c in relevant))

    @property
    def degenerate(self) -> bool:
        """``-2c`` vanishes identically: the order-3 term says nothing, a higher order decides."""
        return _is_zero(self.exact_coefficient)

    @property
    def applies(self) -> bool:
        """Whether the exact coefficient applies for every parameter value of the branch (no kernel,
        or ``P_ker g = 0`` identically)."""
        return self.kernel_condition is None or _is_zero(self.kernel_condition.expression)

    @property
    def flip(self) -> Flip:
        """The flip's kind where it is the same on the whole branch."""
        if not self.applies or self.degenerate:
            return Flip.UNDECIDED
        if self.flip_condition.extent is Extent.ALWAYS and not self.flip_condition.except_where:
            return Flip.SUPERCRITICAL
        if self.flip_condition.extent is Extent.NEVER:
            params = tuple(sorted(self.exact_coefficient.free_symbols, key=str))
            positive = condition("-2c", self.exact_coefficient, Relation.GT, params)
            if positive.extent is Extent.ALWAYS and not positive.except_where:
                return Flip.SUBCRITICAL
        return Flip.UNDECIDED

    def to_dict(self) -> dict[str, Any]:
        return {
            "top_eigenvalue": sp.sstr(self.top),
            "direction": [sp.sstr(v) for v in self.direction],
            "direction_norm_squared": sp.sstr(self.norm_squared),
            "eta_critical": sp.sstr(self.eta_critical),
            "where": self.where,
            "ordering": [c.to_dict() for c in self.ordering],
            "positivity": [c.to_dict() for c in self.positivity],
            "direction_nonzero": None if self.direction_nonzero is None else self.direction_nonzero.to_dict(),
            "cross_section": self.cross_section.to_dict(),
            "cross_section_summary": self.cross_section.summary,
            "cross_section_coefficient": sp.sstr(self.cross_section_coefficient),
            "exact_coefficient": sp.sstr(self.exact_coefficient),
            "exact_coefficient_latex": sp.latex(self.exact_coefficient),
            "flip_condition": self.flip_condition.to_dict(),
            "kernel_condition": None if self.kernel_condition is None else self.kernel_condition.to_dict(),
            "flip_applies": self.applies,
            "degenerate": self.degenerate,
            "flip": str(self.flip),
            "coupling": sp.sstr(self.coupling),
            "note": self.note,
        }


@dataclass(frozen=True)
class MultivariateFamilyCheck:
    """The multivariate family check (see the module docstring): the ``loss`` in ``variables``
    with ``params`` at the point ``at`` (labels; ``expr``, ``point``, ``symbols`` and
    ``param_symbols`` as sympy objects), the exact ``hessian``, its rational ``eigenvalues`` with
    multiplicities and the ``other_factors`` of the characteristic polynomial (degree > 1 in
    ``l``), an exact ``kernel`` basis (``manifold_dimension`` vectors), the ``branches`` and ``notes``.

    >>> x, y, a = sp.symbols("x y a")
    >>> r = check_multivariate_family_expr((x*y - 1)**2/2 + a*(x - y)**2/2, (x, y), (a,), (sp.Integer(1), sp.Integer(1)))
    >>> r.verdict_at({"a": sp.Rational(1, 2)}), r.flip_at({"a": sp.Rational(1, 2)}), r.flip_at({"a": 3}), r.flip_at({"a": 1})
    ('holds', 'supercritical', 'undecided', 'undecided')
    """

    loss: str
    variables: tuple[str, ...]
    params: tuple[str, ...]
    at: tuple[str, ...]
    expr: sp.Expr
    point: tuple[sp.Expr, ...]
    hessian: sp.Matrix
    eigenvalues: tuple[tuple[sp.Expr, int], ...]
    other_factors: tuple[sp.Expr, ...]
    kernel: tuple[tuple[sp.Expr, ...], ...]
    branches: tuple[TopBranch, ...]
    notes: tuple[str, ...] = ()
    symbols: tuple[sp.Symbol, ...] = field(default=(), repr=False)
    param_symbols: tuple[sp.Symbol, ...] = field(default=(), repr=False)

    @property
    def manifold_dimension(self) -> int:
        return len(self.kernel)

    @property
    def rigor(self) -> Rigor:
        """``exact``: every expression and condition comes from exact symbolic algebra."""
        return Rigor.EXACT

    @property
    def summary(self) -> str:
        """One line per branch: where it holds, the cross-section verdict and the exact flip."""
        parts = []
        for b in self.branches:
            if not b.applies:
                flip = f"the exact flip coefficient applies only where {b.kernel_condition.statement if b.kernel_condition else '-'}"
            elif b.degenerate:
                flip = "exact flip coefficient -2c = 0 identically (a higher order decides; not computed)"
            elif b.flip is Flip.SUPERCRITICAL:
                flip = "exact flip supercritical"
            else:
                flip = f"exact flip supercritical iff {b.flip_condition.statement}"
            parts.append(f"where {b.where} (top eigenvalue {sp.sstr(b.top)}): cross-section {b.cross_section.summary}; {flip}")
        return "; ".join(parts)

    def _values(self, values: Mapping[Any, Any]) -> dict[sp.Symbol, sp.Expr]:
        return parameter_values(values, self.param_symbols)

    def branch_at(self, values: Mapping[Any, Any]) -> TopBranch | None:
        """The branch whose conditions hold at exact parameter ``values`` (names or symbols to
        exact numbers), or None where none is proved to (the top eigenvalue is repeated there, not
        rational, a kernel appears, or a sign is not settled).

        >>> x, y, a = sp.symbols("x y a")
        >>> r = check_multivariate_family_expr((x*y - 1)**2/2 + a*(x - y)**2/2, (x, y), (a,), (sp.Integer(1), sp.Integer(1)))
        >>> r.branch_at({"a": 2}).top, r.branch_at({"a": 1})
        (2*a, None)
        >>> r.branch_at({"b": 2})
        Traceback (most recent call last):
        ...
        symbolic_eos.errors.InputError: values: expected a value for each of a, got b
        """
        exact = self._values(values)
        if not self._finite_at(exact):
            return None
        for b in self.branches:
            if all(_holds(c, exact) is True for c in b.conditions):
                return b
        return None

    def _finite_at(self, exact: Mapping[sp.Symbol, sp.Expr]) -> bool:
        entries = [*(p.xreplace(dict(exact)) for p in self.point), *(h.xreplace(dict(exact)) for h in self.hessian)]
        if any(e.has(sp.zoo, sp.nan, sp.oo, -sp.oo) for e in entries):
            return False
        if self.kernel:
            K = sp.Matrix([list(k) for k in self.kernel]).T.xreplace(dict(exact))
            if K.has(sp.zoo, sp.nan) or decide_constant((K.T * K).det()).sign in (0, None):
                return False
        return True

    def verdict_at(self, values: Mapping[Any, Any]) -> Verdict:
        """The paper's verdict on the cross-section at exact parameter ``values``: the cross-section
        family's verdict on the branch that holds there, ``undecided`` where none does.

        >>> x, y, s = sp.symbols("x y s")
        >>> r = check_multivariate_family_expr((x*y - 1)**2/2, (x, y), (s,), (s, 1/s))
        >>> r.verdict_at({"s": 2}), r.verdict_at({"s": 0})
        ('holds', 'undecided')
        """
        b = self.branch_at(values)
        if b is None:
            return Verdict.UNDECIDED
        return b.cross_section.verdict_at({str(p): v for p, v in self._values(values).items()})

    def coefficient_at(self, values: Mapping[Any, Any]) -> sp.Expr | None:
        """The exact flip coefficient ``-2c`` at exact parameter ``values`` where it applies (on a
        branch, with ``P_ker g = 0`` there), else None.

        >>> x, y, s = sp.symbols("x y s")
        >>> r = check_multivariate_family_expr((x*y - 1)**2/2, (x, y), (s,), (s, 1/s))
        >>> r.coefficient_at({"s": 1}), r.coefficient_at({"s": 2})
        (-8, None)
        """
        b = self.branch_at(values)
        if b is None:
            return None
        exact = self._values(values)
        if b.kernel_condition is not None and _holds(b.kernel_condition, exact) is not True:
            return None
        return _tidy(b.exact_coefficient.xreplace(exact))

    def flip_at(self, values: Mapping[Any, Any]) -> Flip:
        """The exact flip at exact parameter ``values``: the sign of ``-2c`` where it applies;
        ``drift`` where ``P_ker g != 0`` and the manifold of minima is proved there
        (:func:`~symbolic_eos.multi.hessian.minima_manifold`); else ``undecided``.

        >>> x, y, s = sp.symbols("x y s")
        >>> r = check_multivariate_family_expr((x*y - 1)**2/2, (x, y), (s,), (s, 1/s))
        >>> r.flip_at({"s": 1}), r.flip_at({"s": 2})
        ('supercritical', 'drift')
        """
        b = self.branch_at(values)
        if b is None:
            return Flip.UNDECIDED
        exact = self._values(values)
        if b.kernel_condition is not None:
            zero = _holds(b.kernel_condition, exact)
            if zero is None:
                return Flip.UNDECIDED
            if not zero:
                manifold = minima_manifold(self.expr.xreplace(exact), self.symbols, tuple(p.xreplace(exact) for p in self.point),
                                           len(self.kernel))
                return Flip.DRIFT if manifold.proved else Flip.UNDECIDED
        sign = decide_constant(b.exact_coefficient.xreplace(exact)).sign
        return {-1: Flip.SUPERCRITICAL, 1: Flip.SUBCRITICAL}.get(sign if sign is not None else 0, Flip.UNDECIDED)

    def to_dict(self) -> dict[str, Any]:
        point = [sp.sstr(p) for p in self.point]
        return {
            "kind": "multivariate_family",
            "loss": self.loss,
            "variables": list(self.variables),
            "params": list(self.params),
            "at": list(self.at),
            "point": point,
            "minimum": point,
            "rigor": str(self.rigor),
            "hessian": [[sp.sstr(self.hessian[i, j]) for j in range(self.hessian.cols)] for i in range(self.hessian.rows)],
            "eigenvalues": [{"value": sp.sstr(v), "multiplicity": m} for v, m in self.eigenvalues],
            "other_factors": [sp.sstr(f) for f in self.other_factors],
            "manifold_dimension": self.manifold_dimension,
            "kernel": [[sp.sstr(c) for c in k] for k in self.kernel],
            "branches": [b.to_dict() for b in self.branches],
            "summary": self.summary,
            "notes": list(self.notes),
        }

    def to_text(self) -> str:
        point = ", ".join(f"{v} = {p}" for v, p in zip(self.variables, self.at, strict=True))
        lines = [f"f({', '.join(self.variables)}; {', '.join(self.params)}) = {self.loss} at ({point})   (rigor: {self.rigor})",
                 f"  Hessian eigenvalues: {', '.join(f'{sp.sstr(v)}' + (f' (x{m})' if m > 1 else '') for v, m in self.eigenvalues)}"
                 + (f"; other factors {', '.join(map(sp.sstr, self.other_factors))}" if self.other_factors else ""),
                 f"  manifold dimension (identical kernel): {self.manifold_dimension}"]
        for b in self.branches:
            lines += [f"  branch where {b.where}: top eigenvalue l1 = {sp.sstr(b.top)}, q = ({', '.join(map(sp.sstr, b.direction))})",
                      f"      eta_critical = 2/l1 = {sp.sstr(b.eta_critical)}",
                      f"      cross-section (paper): {b.cross_section.summary}",
                      f"      cross-section flip coefficient (order 3, unit q): {sp.sstr(b.cross_section_coefficient)}",
                      f"      exact flip coefficient -2c = {sp.sstr(b.exact_coefficient)}"
                      + ("" if b.applies else " (where it applies)") + ": "
                      + ("zero identically, a higher order decides (not computed)" if b.degenerate
                         else f"supercritical iff {b.flip_condition.statement}"),
                      f"      coupling (cross-section - exact, >= 0) = {sp.sstr(b.coupling)}"]
            if b.kernel_condition is not None:
                lines.append(f"      applies where P_ker g = 0: {b.kernel_condition.statement}"
                             + ("" if b.applies else " (elsewhere the sharpness drifts along the manifold of minima)"))
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        lines = [f"## Multivariate family `{self.loss}` in {', '.join(self.variables)}, parameters {', '.join(self.params)}, "
                 f"at ({', '.join(self.at)})", "", f"**{self.summary}** (rigor: {self.rigor})", "",
                 f"- Hessian $H = {sp.latex(self.hessian)}$, eigenvalues "
                 + ", ".join(f"${sp.latex(v)}$" + (f" (x{m})" if m > 1 else "") for v, m in self.eigenvalues),
                 f"- manifold dimension (identical kernel): {self.manifold_dimension}", "",
                 "| where | $\\lambda_1$ | $\\eta_{critical}$ | cross-section | cross-section coefficient | exact $-2c$ "
                 "| supercritical iff |",
                 "|---|---|---|---|---|---|---|"]
        for b in self.branches:
            lines.append(f"| {b.where} | ${sp.latex(b.top)}$ | ${sp.latex(b.eta_critical)}$ | {b.cross_section.summary} | "
                         f"${sp.latex(b.cross_section_coefficient)}$ | ${sp.latex(b.exact_coefficient)}$ | "
                         + ("-2c = 0 identically" if b.degenerate else b.flip_condition.statement if b.applies else
                            f"applies only where {b.kernel_condition.statement if b.kernel_condition else '-'}") + " |")
        lines += [f"- {n}" for n in self.notes]
        return "\n".join(lines) + "\n"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


# -- the analysis ---------------------------------------------------------------------------------


def _fresh(name: str, taken: set[str]) -> sp.Symbol:
    while name in taken:
        name += "_"
    return sp.Symbol(name)


def _below(factor: sp.Poly, top: sp.Expr, params: tuple[sp.Symbol, ...], label: str) -> list[Condition]:
    """Every root of ``factor`` (real: ``H`` is symmetric) lies strictly below ``top``: the
    polynomial ``factor(top + t)/lc`` has positive coefficients (its roots are all negative)."""
    t = sp.Dummy("t")
    shifted = sp.Poly(sp.expand(factor.as_expr().subs(factor.gens[0], top + t)), t)
    lead = shifted.LC()
    degree = shifted.degree()
    if degree == 1:
        return [condition(f"l1 - ({label})", _tidy(shifted.all_coeffs()[1] / lead), Relation.GT, params)]
    return [condition(f"coefficient of t^{j} in {label}(l1 + t)", _tidy(shifted.coeff_monomial(t**j) / lead), Relation.GT, params)
            for j in range(degree)]


def _above_zero(factor: sp.Poly, params: tuple[sp.Symbol, ...], label: str) -> list[Condition]:
    """Every root of ``factor`` is positive: ``factor(-t)`` over its leading coefficient has
    positive coefficients."""
    t = sp.Dummy("t")
    flipped = sp.Poly(sp.expand(factor.as_expr().subs(factor.gens[0], -t)), t)
    lead, degree = flipped.LC(), flipped.degree()
    if degree == 1:
        root = _tidy(-factor.all_coeffs()[1] / factor.LC())
        return [condition(label, root, Relation.GT, params)]
    return [condition(f"coefficient of t^{j} in {label}(-t)", _tidy(flipped.coeff_monomial(t**j) / lead), Relation.GT, params)
            for j in range(degree)]


#: Wall-clock budget (seconds) for solving the gradient at the point for the parameters (a refusal's hint).
SOLVE_SECONDS = 4.0


def _solve_system(args: tuple[list[sp.Expr], tuple[sp.Symbol, ...]]) -> list[dict[sp.Symbol, sp.Expr]]:
    equations, params = args
    try:
        return list(sp.solve([sp.numer(sp.together(e)) for e in equations], list(params), dict=True))
    except (NotImplementedError, ValueError, TypeError):
        return []


def _where_critical(values: list[sp.Expr], params: tuple[sp.Symbol, ...]) -> str:
    """Where the gradient at the point vanishes, as ``" (only where a = 1)"``, when sympy solves it in time."""
    equations = [v for v in values if not _is_zero(v)]
    if not all(e.is_rational_function(*params) for e in equations):
        return ""
    found = within_seconds(_solve_system, (equations, params), SOLVE_SECONDS)
    real = [f for f in found or () if all(v.is_real is not False for v in f.values())]
    if found is None:
        return ""
    if not real:
        return " (for no real parameter value)"
    shown = "; ".join(", ".join(f"{p} = {sp.sstr(v)}" for p, v in f.items()) for f in real[:4])
    return f" (only where {shown}: fix the parameters there)"


def check_multivariate_family_expr(expr: sp.Expr, symbols: Sequence[sp.Symbol], params: Sequence[sp.Symbol],
                                   point: Sequence[sp.Expr], *, text: str | None = None,
                                   labels: Sequence[str] | None = None) -> MultivariateFamilyCheck:
    """The multivariate family check of ``expr`` in the variables ``symbols`` with parameters
    ``params`` at ``point`` (a tuple of exact expressions in the parameters; ``labels`` as
    written, ``text`` the loss as written): see the module docstring.

    >>> x, y, a = sp.symbols("x y a")
    >>> r = check_multivariate_family_expr((x*y - 1)**2/2 + a*(x - y)**2/2, (x, y), (a,), (sp.Integer(1), sp.Integer(1)))
    >>> [b.eta_critical for b in r.branches], [b.flip_condition.statement for b in r.branches]
    ([1, 1/a], ['every parameter value', 'no parameter value'])

    A point that is not a critical point for every parameter value is refused:

    >>> check_multivariate_family_expr((x*y - a)**2/2, (x, y), (a,), (sp.Integer(1), sp.Integer(1)))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: (1, 1) is not a critical point for every value of a: df/dx = 1 - a at the point (only where a = 1: ...
    """
    expr = arguments.instance(expr, "expr", sp.Expr, "a sympy expression (symbolic_eos.api parses text)")
    symbols = tuple(arguments.instances(symbols, "symbols", sp.Symbol, "a sympy Symbol", MAX_VARIABLES))
    params = tuple(arguments.instances(params, "params", sp.Symbol, "sympy Symbols", max_length=MAX_PARAMS))
    point = tuple(arguments.instances(point, "point", sp.Expr, "a sympy expression in the parameters", MAX_VARIABLES))
    if not params:
        raise InputError("params: name at least one parameter", parameters=("params",))
    if not symbols:
        raise InputError("symbols: name at least one variable", parameters=("symbols",))
    if len(set(symbols)) != len(symbols) or len(set(params)) != len(params) or set(symbols) & set(params):
        raise InputError("params: the parameters must be distinct and differ from the variables", parameters=("params", "symbols"))
    if len(point) != len(symbols):
        raise InputError(f"`point` has {len(point)} coordinate(s) but `symbols` names {len(symbols)} variable(s)",
                         parameters=("point", "symbols"))
    stray = (expr.free_symbols | set().union(*(p.free_symbols for p in point))) - {*symbols, *params}
    inside = set().union(*(p.free_symbols for p in point)) & set(symbols)
    if stray or inside:
        what = ", ".join(sorted(map(str, stray or inside)))
        raise InputError(f"the loss or the point uses {what}, which is not a parameter", parameters=("params",))
    text = sp.sstr(expr) if text is None else text
    labels = tuple(sp.sstr(p) for p in point) if labels is None else tuple(labels)
    at = ", ".join(labels)
    n = len(symbols)
    subs = dict(zip(symbols, point, strict=True))
    gradient = [_sized(sp.diff(expr, s), f"df/d{s}") for s in symbols]
    values = [_tidy(d.subs(subs)) for d in gradient]
    for s, value in zip(symbols, values, strict=True):
        if not _is_zero(value):
            raise InputError(f"({at}) is not a critical point for every value of {', '.join(map(str, params))}: "
                             f"df/d{s} = {sp.sstr(value)} at the point{_where_critical(values, params)}; give a point that "
                             "depends on the parameters", parameters=("point",))
    hessian = sp.Matrix(n, n, lambda i, j: _tidy(_sized(sp.diff(gradient[i], symbols[j]).subs(subs), "a Hessian entry")))
    if hessian.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I):
        raise InputError(f"the Hessian is not finite and real at ({at}) for every parameter value", parameters=("point",))
    lam = _fresh("l", {str(v) for v in (*symbols, *params)} | {str(a) for a in hessian.free_symbols})
    characteristic = sp.numer(sp.together((hessian - lam * sp.eye(n)).det(method="berkowitz")))
    _, factors = sp.factor_list(sp.expand(characteristic))
    rational: list[tuple[sp.Expr, int]] = []
    others: list[sp.Poly] = []
    for factor, multiplicity in factors:
        poly = sp.Poly(factor, lam)
        if poly.degree() == 0:
            continue
        if poly.degree() == 1:
            root = _tidy(-poly.all_coeffs()[1] / poly.LC())
            same = [i for i, (r, _) in enumerate(rational) if _is_zero(r - root)]
            if same:
                rational[same[0]] = (rational[same[0]][0], rational[same[0]][1] + multiplicity)
            else:
                rational.append((root, multiplicity))
        else:
            others.extend([poly] * multiplicity)
    notes: list[str] = []
    if others:
        notes.append(f"{len(others)} factor(s) of the characteristic polynomial of degree > 1 in {lam} "
                     "(eigenvalues not rational in the parameters): where one of them is on top, the check is undecided.")
    zero = [(r, m) for r, m in rational if _is_zero(r)]
    dimension = zero[0][1] if zero else 0
    kernel: list[sp.Matrix] = []
    if dimension:
        kernel = [sp.Matrix(_primitive(k)) for k in _nullspace(hessian)]
        if len(kernel) != dimension or not all(_is_zero(e) for k in kernel for e in hessian * k):
            raise InputError(f"the kernel of the Hessian at ({at}) could not be computed exactly", parameters=("point",))
    branches: list[TopBranch] = []
    for index, (top, multiplicity) in enumerate(rational):
        if _is_zero(top):
            continue
        if multiplicity > 1:
            notes.append(f"the eigenvalue {sp.sstr(top)} has multiplicity {multiplicity} for every parameter value: never a simple top")
            continue
        branch = _branch(expr, symbols, params, point, hessian, lam, top, index, rational, others, kernel)
        if isinstance(branch, str):
            notes.append(branch)
        else:
            branches.append(branch)
    if not branches:
        raise InputError(f"no eigenvalue of the Hessian at ({at}) rational in the parameters is a simple positive top eigenvalue for "
                         f"any parameter value ({'; '.join(notes) or 'none found'})", parameters=("point",))
    return MultivariateFamilyCheck(text, tuple(map(str, symbols)), tuple(map(str, params)), labels, expr, point, hessian,
                                   tuple(rational), tuple(p.as_expr() for p in others), tuple(tuple(k) for k in kernel),
                                   tuple(branches), tuple(notes), symbols, params)


def _branch(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], params: tuple[sp.Symbol, ...], point: tuple[sp.Expr, ...],
            hessian: sp.Matrix, lam: sp.Symbol, top: sp.Expr, index: int, rational: list[tuple[sp.Expr, int]],
            others: list[sp.Poly], kernel: list[sp.Matrix]) -> TopBranch | str:
    """The branch where ``top`` is the simple top eigenvalue, or a string saying why there is none."""
    n = len(symbols)
    ordering: list[Condition] = []
    positivity = [condition("l1", top, Relation.GT, params)]
    for j, (mu, _) in enumerate(rational):
        if j == index:
            continue
        ordering.append(condition(f"l1 - ({sp.sstr(mu)})", _tidy(top - mu), Relation.GT, params))
        if not _is_zero(mu):
            positivity.append(condition(f"eigenvalue {sp.sstr(mu)}", mu, Relation.GT, params))
    for k, poly in enumerate(others):
        ordering += _below(poly, top, params, f"p{k + 1}")
        positivity += _above_zero(poly, params, f"p{k + 1}")
    if any(c.extent is Extent.NEVER for c in (*ordering, *positivity)):
        return f"the eigenvalue {sp.sstr(top)} is the simple, positive top eigenvalue of a positive semi-definite H for no parameter value"
    vectors = _nullspace(hessian - top * sp.eye(n))
    if len(vectors) != 1:
        return f"the eigenspace of {sp.sstr(top)} is not one-dimensional for generic parameters"
    q = _primitive(vectors[0])
    if not all(_is_zero(e) for e in hessian * sp.Matrix(q) - top * sp.Matrix(q)):
        return f"the eigenvector of {sp.sstr(top)} could not be proved"
    norm2 = _tidy(sum(c**2 for c in q))
    direction_nonzero = None if not norm2.free_symbols else condition("|q|^2", norm2, Relation.NE, params)
    t = _fresh("t", {str(v) for v in (*symbols, *params)})
    line = {s: p + t * c for s, p, c in zip(symbols, point, q, strict=True)}
    phi = _sized(expr.subs(line, simultaneous=True) / norm2, "the cross-section")
    cross = check_family_expr(phi, t, params, sp.Integer(0), text=f"f(xb + {t} q)/|q|^2", label="0")
    unfixed = next((c for c in cross.cases if not c.fixed), None)
    cross3 = (_tidy(unfixed.flip_coefficient / norm2) if unfixed is not None and unfixed.flip_order == 3
              and unfixed.flip_coefficient is not None else sp.Integer(0))
    # g_i = D^3 f[q, q, e_i]: the second derivative of df/dx_i along the line
    gradient = [sp.diff(expr, s) for s in symbols]
    g = sp.Matrix([_tidy(_sized(sp.diff(gi.subs(line, simultaneous=True), t, 2).subs(t, 0), "D^3 f[q,q,.]")) for gi in gradient])
    d4 = _tidy(_sized(sp.diff(expr.subs(line, simultaneous=True), t, 4).subs(t, 0), "D^4 f[q,q,q,q]"))
    M = hessian
    kernel_condition = None
    if kernel:
        K = sp.Matrix.hstack(*kernel)
        M = hessian + K * K.T
        components = K.T * g
        norm_p = _tidy((components.T * (K.T * K).inv() * components)[0, 0])
        # (analysis.families.condition calls "0 = 0" never: an identity is stated directly, as for f'(xb))
        kernel_condition = (Condition("|P_ker g|^2", sp.Integer(0), Relation.EQ, Extent.ALWAYS) if _is_zero(norm_p)
                            else condition("|P_ker g|^2", norm_p, Relation.EQ, params))
    determinant = _tidy(M.det(method="berkowitz"))
    if _is_zero(determinant):
        return f"H + K K^T is singular for every parameter value on the branch of {sp.sstr(top)}"
    ghg = _tidy((g.T * M.adjugate(method="berkowitz") * g)[0, 0] / determinant)
    exact = _tidy(-sp.Rational(2, 3) / (top * norm2**2) * (3 * ghg - d4))
    coupling = _tidy(cross3 - exact)
    note = "" if kernel_condition is None or _is_zero(kernel_condition.expression) else (
        "g = D^3 f[q,q,.] has a component in ker H except where " + kernel_condition.statement
        + ": there the sharpness drifts along the manifold of minima and the flip coefficient does not apply")
    return TopBranch(top, q, norm2, _tidy(2 / top), tuple(ordering), tuple(positivity), direction_nonzero, cross, cross3, exact,
                     condition("-2c", exact, Relation.LT, params), kernel_condition, coupling, note)
