"""Results of a stable-oscillation check: small frozen dataclasses with ``to_dict()`` (the JSON
contract: the README's JSON section), ``to_markdown()`` and ``to_text()``, and the Markdown helpers
every report uses (:func:`markdown_text`, :func:`math_text`).  :mod:`symbolic_eos.analysis.check`
builds them.

>>> from symbolic_eos import check
>>> r = check("(x**2 - 1)**2/4", at="1")
>>> r.paper.verdict, r.flip.verdict, r.rigor
('holds', 'supercritical', 'exact')
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field

import sympy as sp

from .criteria import FlipNormalForm, PaperCriterion
from ..core.decide import Decision, weakest_rigor
from ..core.numbers import decimal_string, enclosure_text, exact_or_decimal
from ..errors import InputError
from ..core.jets import Point
from .minima import MinimaSearch
from ..core.parse import parse_expression
from ..core.vocabulary import Flip, Rigor, Verdict

__all__ = ["StabilityCheck", "L2Check", "L2Search", "MinimaCheck", "markdown_text", "math_text"]

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
        head = (f"### Stable oscillation of $f({self.variable})$ = {math_text(self.expression, (self.variable,), self.loss)} at "
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


def math_text(text: str, variables: tuple[str, ...] = (), expr: sp.Expr | None = None) -> str:
    """User ``text`` (in the ``variables``) as Markdown math: ``$LaTeX$`` when it parses and stays
    short, else a code span; ``expr``, the sympy expression ``text`` stands for when the caller has
    it (:attr:`StabilityCheck.loss`), is rendered instead of parsing ``text`` again.

    >>> math_text("atanh(1/2)"), math_text("x**2/2", ("x",)), math_text("not an expression!")
    ('$\\\\operatorname{atanh}{\\\\left(\\\\frac{1}{2} \\\\right)}$', '$\\\\frac{x^{2}}{2}$', '`not an expression!`')
    >>> math_text("x**2/2", expr=sp.Symbol("x") ** 2 / 2), math_text("long", expr=sum(sp.Symbol("x") ** k / k for k in range(1, 40)))
    ('$\\\\frac{x^{2}}{2}$', '`long`')
    """
    if expr is None:
        try:
            expr = parse_expression(text, variables)
        except InputError:
            expr = None
    latex = None if expr is None else sp.latex(expr)
    if latex is None or len(latex) > 160:
        return "`" + " ".join(str(text).split()).replace("`", "'") + "`"
    return f"${latex}$"


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

    >>> from symbolic_eos.analysis.check import check_l2_expr
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

