"""Results of a stable-oscillation check: small frozen dataclasses with ``to_dict()`` (the JSON
contract: the README's JSON section), ``to_markdown()`` and ``to_text()``, and the functions that
build them from text.

>>> from symbolic_eos import check
>>> r = check("(x**2 - 1)**2/4", at="1")
>>> r.paper.verdict, r.flip.verdict, r.rigor
('holds', 'supercritical', 'exact')
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from functools import partial
from typing import overload

import sympy as sp

from .criteria import FlipNormalForm, PaperCriterion, derivative, expansion_order, flip_normal_form, paper_criterion
from ..core.decide import Decision, Expansion, decide, weakest_rigor
from ..core.numbers import decimal_string, enclosure_text, exact_or_decimal
from ..errors import InputError
from ..core.jets import Point
from .minima import MinimaSearch, critical_point_at, require_strict_minimum, strict_minima, target_points
from ..core import arguments
from ..core.parse import parse_expression
from ..core.vocabulary import Flip, Rigor, Verdict

__all__ = ["StabilityCheck", "L2Check", "L2Search", "MinimaCheck", "check_expr", "check_l2_expr", "check_point", "DEFAULT_ENDS",
           "markdown_text", "math_text"]

_DIGITS = 17
_PRIMES = {2: "f''", 3: "f'''", 4: "f''''"}


def _dname(j: int, f: str = "f") -> str:
    return _PRIMES[j].replace("f", f, 1) if j in _PRIMES else f"{f}^({j})"


def _sign_word(sign: int | None) -> str:
    return {1: "> 0", -1: "< 0", 0: "= 0", None: "undecided"}[sign]


def _point_text(point: Point) -> str:
    return decimal_string(point.exact if point.exact is not None else point.enclosure(256), _DIGITS + 3)


def _table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


@dataclass(frozen=True)
class StabilityCheck:
    """The paper's criterion and the flip normal form at one strict minimum of a 1-D loss: the
    loss ``expression`` in ``variable``, the ``point``, ``curvature`` ``f''(xb)``,
    ``eta_critical`` ``2/f''``, the ``derivatives`` ``(j, f^(j)(xb))`` decided, the ``paper``
    criterion, the ``flip`` normal form and ``notes`` on how the two compare.

    >>> from symbolic_eos import check
    >>> r = check("(x**2 - 1)**2/4", at="1")
    >>> r.curvature.exact, r.eta_critical.exact, [(j, d.exact) for j, d in r.derivatives], r.rigor
    (2, 1, [(2, 2), (3, 6), (4, 6)], 'exact')
    """

    expression: str
    variable: str
    point: Point
    curvature: Decision
    eta_critical: Decision
    derivatives: tuple[tuple[int, Decision], ...]
    paper: PaperCriterion
    flip: FlipNormalForm
    notes: tuple[str, ...] = ()
    #: The loss as the sympy expression the check ran on (what a later step, such as the
    #: window a report draws, starts from, so that nothing is parsed twice).
    loss: sp.Expr | None = field(default=None, compare=False, repr=False)

    @property
    def rigor(self) -> Rigor:
        """``exact`` when every fact behind the result is exact, else ``certified``."""
        facts = [self.curvature, self.eta_critical] + [d for _, d in self.derivatives]
        facts += [d for d in (self.paper.quantity, self.flip.coefficient) if d is not None]
        exact = self.point.exact is not None and all(d.rigor == Rigor.EXACT for d in facts)
        return Rigor.EXACT if exact else Rigor.CERTIFIED

    @property
    def stable_oscillation(self) -> str:
        """``yes`` / ``no`` / ``undecided``: is a stable 2-cycle born just above eta0?"""
        return {Flip.SUPERCRITICAL: "yes", Flip.SUBCRITICAL: "no"}.get(self.flip.verdict, "undecided")

    def to_dict(self) -> dict:
        d = {
            "point": _point_text(self.point),
            "eta_critical": self.eta_critical.text(_DIGITS),
            "order": self.paper.order,
            "derivatives": {str(j): dec.text(_DIGITS) for j, dec in self.derivatives},
            "paper_verdict": self.paper.verdict,
            "paper_case": self.paper.case,
            "flip_verdict": self.flip.verdict,
            "flip_order": self.flip.order,
            "flip_coefficient": self.flip.coefficient.text(_DIGITS) if self.flip.order and self.flip.coefficient is not None else None,
            "rigor": self.rigor,
            # Additional fields (the contract above is fixed; these may grow).
            "expression": self.expression,
            "variable": self.variable,
            "point_label": self.point.label,
            "point_exact": self.point.exact is not None,
            "point_note": self.point.note or None,
            "derivative_enclosures": {
                str(j): enclosure_text(dec.enclosure) for j, dec in self.derivatives if dec.exact is None and dec.enclosure is not None
            },
            "undecided": [str(j) for j, dec in self.derivatives if dec.sign is None],
            "derivatives_exact": {
                str(j): dec.exact_text() for j, dec in self.derivatives if dec.exact is not None
            },
            "paper_quantity": (
                {"name": self.paper.quantity_name, "value": self.paper.quantity.text(_DIGITS),
                 "sign": self.paper.quantity.sign, "rigor": self.paper.quantity.rigor}
                if self.paper.quantity is not None else None
            ),
            "paper_reason": self.paper.reason,
            "eps_sign": self.paper.eps_sign,
            "eta_interval": self.paper.interval,
            "flip_reason": self.flip.reason,
            # A JSON boolean, null when undecided (the text output says yes / no / undecided).
            "stable_oscillation": {"yes": True, "no": False}.get(self.stable_oscillation),
            "notes": list(self.notes),
        }
        # Both names of the minimum the check is about (check says point, orbit says minimum).
        d["minimum"], d["minimum_label"] = d["point"], d["point_label"]
        return d

    def _rows(self) -> list[tuple[str, str, str]]:
        rows = [("point", f"{self.variable} = {self.point.label}" + ("" if self.point.exact is not None else " (certified)"),
                 "exact" if self.point.exact is not None else "certified")]
        rows.append(("f''(xb)", f"{_value(self.curvature)} > 0", self.curvature.rigor or "-"))
        rows.append(("eta_critical = 2/f''", _value(self.eta_critical), self.eta_critical.rigor or "-"))
        for j, dec in self.derivatives:
            if j > 2:
                rows.append((_dname(j), _value(dec), dec.rigor or "undecided"))
        rows.append(("order k", str(self.paper.order) if self.paper.order else "-", ""))
        if self.paper.quantity is not None:
            rows.append((self.paper.quantity_name or "", f"{_value(self.paper.quantity)} ({_sign_word(self.paper.quantity.sign)})",
                         self.paper.quantity.rigor or "undecided"))
        rows.append(("paper's condition", f"{self.paper.verdict} ({self.paper.case or 'no case'}): {self.paper.reason}", ""))
        if self.paper.interval:
            eps = {1: "eps > 0", -1: "eps < 0"}.get(self.paper.eps_sign or 0, "")
            rows.append(("learning rates", f"x0 = xb - eps, {eps} small: {self.paper.interval}", ""))
        if self.flip.order and self.flip.coefficient is not None:
            rows.append((f"flip coefficient (t^{self.flip.order})", _value(self.flip.coefficient),
                         self.flip.coefficient.rigor or "undecided"))
        rows.append(("flip normal form", f"{self.flip.verdict}: {self.flip.reason}", ""))
        return rows

    def to_markdown(self) -> str:
        head = (f"### Stable oscillation of $f({self.variable})$ = {math_text(self.expression, (self.variable,))} at "
                f"${self.variable}$ = {math_text(self.point.label)}\n\n")
        body = _table([tuple(markdown_text(c) for c in r) for r in self._rows()], ("quantity", "value", "rigor"))
        tail = "".join(f"\n- {markdown_text(n)}" for n in self.notes)
        verdict = f"**Verdict:** stable oscillation: {self.stable_oscillation} (flip normal form {self.flip.verdict}). "
        return head + body + "\n\n" + verdict + f"**Rigor:** {self.rigor}." + (("\n" + tail) if tail else "") + "\n"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_text(self) -> str:
        rows = self._rows()
        width = max(len(r[0]) for r in rows)
        lines = [f"f({self.variable}) = {self.expression}"]
        for name, value, rigor in rows:
            lines.append(f"  {name.ljust(width)}  {value}" + (f"   [{rigor}]" if rigor else ""))
        lines.append(f"  {'verdict'.ljust(width)}  stable oscillation: {self.stable_oscillation}   (rigor: {self.rigor})")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _value(d: Decision | None) -> str:
    return "-" if d is None else d.short()


# Emphasis, links, code, table cells and HTML tags are the only ways plain inline text can change
# meaning: `x**2 + x**5` would turn bold and `T[q](p)` into a link.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|]|<(?=[A-Za-z/!?]))")


def markdown_text(text: str) -> str:
    r"""Plain text made safe for a Markdown paragraph or table cell (``x**2`` shows as ``x**2``).

    >>> print(markdown_text("T[q](p) = x**2 | y_i < z"))
    T\[q\](p) = x\*\*2 \| y\_i < z
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def math_text(text: str, variables: tuple[str, ...] = ()) -> str:
    """User ``text`` (in the ``variables``) as Markdown math: ``$LaTeX$`` when it parses and stays
    short, else a code span.

    >>> math_text("atanh(1/2)"), math_text("x**2/2", ("x",)), math_text("not an expression!")
    ('$\\\\operatorname{atanh}{\\\\left(\\\\frac{1}{2} \\\\right)}$', '$\\\\frac{x^{2}}{2}$', '`not an expression!`')
    """
    try:
        latex = sp.latex(parse_expression(text, variables))
    except InputError:
        latex = None
    if latex is None or len(latex) > 160:
        return "`" + " ".join(str(text).split()).replace("`", "'") + "`"
    return f"${latex}$"


# ---------------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class MinimaCheck:
    """A check of every strict local minimum of ``expression`` (in ``variable``) found in a
    range: the ``search`` (the range and what could not be resolved) and one
    :class:`StabilityCheck` per minimum in ``checks``.

    >>> from symbolic_eos import check
    >>> m = check("(x**2 - 1)**2/4")
    >>> [c.point.label for c in m.checks], m.search.complete
    (['-1', '1'], True)
    """

    expression: str
    variable: str
    search: MinimaSearch
    checks: tuple

    @property
    def rigor(self) -> Rigor:
        """The weakest rigor among the checks (each ``exact`` or ``certified``)."""
        return weakest_rigor([c.rigor for c in self.checks])

    def to_dict(self) -> dict:
        return {
            "rigor": self.rigor,
            "minima": [c.to_dict() for c in self.checks],
            "range": [decimal_string(self.search.lo), decimal_string(self.search.hi)],
            "complete": self.search.complete,
            "unresolved": [list(iv) for iv in self.search.unresolved],
            "outside_domain": [list(iv) for iv in self.search.outside_domain],
            "degenerate": list(self.search.degenerate),
        }

    def _range_note(self, what: str = "strict local minimum", whats: str = "strict local minima") -> str:
        lo, hi = (exact_or_decimal(v) for v in (self.search.lo, self.search.hi))
        note = f"{len(self.checks)} {what if len(self.checks) == 1 else whats} in [{lo}, {hi}]"
        if self.search.unresolved:
            note += ("; NOT exhaustive: could not resolve " + ", ".join(f"[{a}, {b}]" for a, b in self.search.unresolved)
                     + " (e.g. a degenerate critical point with f'' = 0)")
        if self.search.outside_domain:
            note += "; the loss is not real on " + ", ".join(f"[{a}, {b}]" for a, b in self.search.outside_domain)
        if self.search.degenerate:
            note += "; degenerate critical point(s) (f'' = 0, proved) at " + ", ".join(self.search.degenerate)
        return note

    def to_markdown(self) -> str:
        return f"{self._range_note()}.\n\n" + "\n".join(c.to_markdown() for c in self.checks)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_text(self, what: str = "strict local minimum", whats: str = "strict local minima") -> str:
        return "\n\n".join([self._range_note(what, whats)] + [c.to_text() for c in self.checks])


@dataclass(frozen=True)
class L2Check:
    """The L2 rule for ``f = (g - y)^2`` at ``xb`` with ``g(xb) = y``: ``g' != 0`` and
    ``g' g''' < 6 g''^2``; the general test on ``f`` is the same one, because
    ``3 f'''^2 - f'' f'''' = -16 g'^2 (g' g''' - 6 g''^2)``.  Fields: the ``base`` model ``g``, the
    ``target`` ``y``, the ``general`` check of ``f``, the ``g_derivatives`` at ``xb``, the
    ``g_condition`` ``g' g''' - 6 g''^2`` and the ``l2_verdict``.

    A strict sign of ``g' g''' - 6 g''^2`` decides the paper's condition (``< 0`` holds, ``> 0``
    fails; with ``g'' = 0`` it is the ``k = 4`` case, ``f'''' = 8 g' g'''``). When it is exactly 0
    (or undecided) the rule is silent and ``l2_verdict`` is the general check's, so the two never
    disagree; ``decided_by`` says which rule gave it.

    >>> from symbolic_eos import check_l2
    >>> r = check_l2("exp(x)", "2", at="log(2)")
    >>> r.l2_verdict, r.g_condition.exact, r.general.paper.verdict
    ('holds', -20, 'holds')
    >>> r = check_l2("x - x**5", "0", at="0")  # g'' = g''' = 0: k = 6, f^(6) = -240 < 0
    >>> r.g_condition.sign, r.l2_verdict, r.decided_by, r.general.paper.verdict
    (0, 'holds', 'general_check', 'holds')
    """

    base: str
    target: str
    general: StabilityCheck
    g_derivatives: tuple[tuple[int, Decision], ...]
    g_condition: Decision
    l2_verdict: Verdict
    decided_by: str | None = None  # "g_condition" | "general_check" | None (undecided)

    @property
    def rigor(self) -> Rigor:
        exact = (self.general.rigor == Rigor.EXACT and all(d.rigor == Rigor.EXACT for _, d in self.g_derivatives)
                 and self.g_condition.rigor == Rigor.EXACT)
        return Rigor.EXACT if exact else Rigor.CERTIFIED

    def to_dict(self) -> dict:
        d = self.general.to_dict()
        d["rigor"] = self.rigor
        d["x_bar"] = d["point"]
        d["g_condition"] = self.g_condition.text(_DIGITS)
        d["l2_verdict"] = self.l2_verdict
        d["l2_decided_by"] = self.decided_by
        d["l2_reason"] = self.reason
        d["base_model"] = self.base
        d["target"] = self.target
        d["g_derivatives"] = {str(j): dec.text(_DIGITS) for j, dec in self.g_derivatives}
        d["identity"] = "3 f'''^2 - f'' f'''' = -16 g'^2 (g' g''' - 6 g''^2)"
        return d

    @property
    def reason(self) -> str:
        """Why ``l2_verdict`` is what it is, in one line."""
        if self.decided_by == "g_condition":
            return f"g' g''' - 6 g''^2 {_sign_word(self.g_condition.sign)} decides the paper's condition"
        silent = ("g' g''' - 6 g''^2 = 0 exactly" if self.g_condition.sign == 0
                  else "the sign of g' g''' - 6 g''^2 is undecided")
        if self.decided_by == "general_check":
            return f"{silent}: the L2 rule is silent, the general check of (g - y)^2 decides"
        return f"{silent} and the general check of (g - y)^2 is undecided"

    def _rows(self) -> list[tuple[str, str, str]]:
        rows = [(_dname(j, "g") if j > 1 else "g'", _value(dec), dec.rigor or "undecided") for j, dec in self.g_derivatives]
        rows.append(("g' g''' - 6 g''^2", f"{_value(self.g_condition)} ({_sign_word(self.g_condition.sign)})",
                     self.g_condition.rigor or "undecided"))
        if self.decided_by == "g_condition":
            rows.append(("L2 rule", f"{self.l2_verdict}: needs g' != 0 and g' g''' - 6 g''^2 < 0", ""))
        else:
            rows.append(("L2 rule", f"{self.l2_verdict}: {self.reason}", ""))
        rows.append(("same test", "3 f'''^2 - f'' f'''' = -16 g'^2 (g' g''' - 6 g''^2)", ""))
        return rows

    def to_text(self) -> str:
        lines = [f"L2 loss (g(x) - y)^2 with g(x) = {self.base}, y = {self.target}, x_bar = {self.general.point.label}"]
        rows = self._rows()
        width = max(len(r[0]) for r in rows)
        lines += [f"  {n.ljust(width)}  {v}" + (f"   [{r}]" if r else "") for n, v, r in rows]
        return "\n".join(lines) + "\n" + self.general.to_text()

    def to_markdown(self) -> str:
        head = (f"### L2 rule for $g({self.general.variable})$ = {math_text(self.base, (self.general.variable,))}, "
                f"target $y$ = {math_text(self.target)}\n\n")
        body = _table([tuple(markdown_text(c) for c in r) for r in self._rows()], ("quantity", "value", "rigor"))
        return head + body + "\n\n" + self.general.to_markdown()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


@dataclass(frozen=True)
class L2Search:
    """The L2 check at every solution of ``g(x) = y`` found in a range: the ``search`` and one
    :class:`L2Check` per solution in ``checks``.

    >>> x = sp.Symbol("x")
    >>> r = check_l2_expr(x**3 + x, x, sp.Integer(2))
    >>> [c.l2_verdict for c in r.checks], r.search.complete
    (['holds'], True)
    """

    search: MinimaSearch
    checks: tuple

    def to_dict(self) -> dict:
        return MinimaCheck("", "", self.search, self.checks).to_dict()

    def to_text(self) -> str:
        y = self.checks[0].target if self.checks else "y"
        return MinimaCheck("", "", self.search, self.checks).to_text(
            f"solution of g(x) = {y} (a strict minimum of the L2 loss)",
            f"solutions of g(x) = {y} (strict minima of the L2 loss)",
        )

    def to_markdown(self) -> str:
        return MinimaCheck("", "", self.search, self.checks).to_markdown()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


# ---------------------------------------------------------------------------------------------


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
