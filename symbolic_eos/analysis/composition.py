"""The composition rule for L2 base models: the poster's claim, its counterexamples, and a
corrected rule that is proved.

Write ``T[g] = g'''/g' - 6 (g''/g')^2``; the L2 condition ``g' != 0, g' g''' < 6 g''^2`` is
``T[g] < 0``.  For ``h = q o p`` at ``xb`` (``q`` and its derivatives at ``p(xb)``), the chain
rule gives the **exact identity**

    T[h] = p'^2 T[q](p) + T[p] - 9 q''(p) p'' / q'(p),

so the poster's rule (``T[p] < 0`` and ``T[q] < 0`` imply ``T[h] < 0``) fails exactly when the
cross term ``-9 q'' p'' / q'`` is positive and large enough: ``log o exp = id`` is the simplest
counterexample (``T[id] = 0``).

**Corrected rule.**  If ``p`` and ``q`` satisfy the L2 condition and, in addition,
``q'(p(xb)) q''(p(xb)) p''(xb) >= 0`` (the cross term is not positive), then ``q o p`` satisfies
it: ``T[h] = p'^2 T[q] + T[p] - 9 q'' p''/q' <= p'^2 T[q] + T[p] < 0`` (``p'^2 > 0``).

**A rule closed under composition.**  The Schwarzian ``S[g] = g'''/g' - (3/2)(g''/g')^2``
satisfies ``S[q o p] = p'^2 S[q](p) + S[p]`` exactly, and ``T[g] = S[g] - (9/2)(g''/g')^2 <= S[g]``:
models with negative Schwarzian (sin, tanh, exp, sigmoid, monomials away from 0, ...) compose
to models with negative Schwarzian, hence with the L2 condition, at every depth.

When ``h''(xb) = 0`` the L2 condition reads ``h' h''' < 0``: the loss has ``f''' = 0`` and the
conclusion comes through the paper's ``k = 4`` case (``f'''' = 8 h' h''' < 0``).

>>> from symbolic_eos import compose
>>> r = compose("log(x)", "exp(x)", "1/2")
>>> r.p.verdict, r.q.verdict, r.composition.verdict, r.naive_rule_violated
('holds', 'holds', 'fails', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from typing import Any, Sequence

import sympy as sp

from ..core.algebraic import INVERSE_OUTER, Surd, has_inverse_pair
from ..core.decide import Decision, Expansion, decide, weakest_rigor
from ..errors import EosError, InputError
from ..core.jets import Point
from ..core import arguments
from ..core.parse import parse_constant, parse_expression, parse_variable_name  # noqa: F401 (a doctest uses parse_expression)
from .results import math_text
from ..core.vocabulary import Rigor, Verdict

__all__ = [
    "ModelCheck",
    "CompositionCheck",
    "compose_expr",
    "composition_identity",
    "schwarzian_chain_rule",
    "l2_quantity",
    "schwarzian_quantity",
    "CounterexampleSearch",
    "find_counterexamples",
    "SEARCH_POINTS",
]

_X = parse_variable_name("x")


# ---------------------------------------------------------------------------------------------
# Quantities on Taylor coefficients c (c_j = g^(j)/j!): g' = c1, g'' = 2 c2, g''' = 6 c3.


def l2_quantity(c: Sequence[Any]) -> Any:
    """``g' g''' - 6 g''^2`` from the Taylor coefficients ``c`` of ``g`` (negative iff the L2
    condition holds, given ``g' != 0``), in their number type.

    >>> from fractions import Fraction
    >>> l2_quantity([1, 1, Fraction(1, 2), Fraction(1, 6)])  # exp at 0
    Fraction(-5, 1)
    >>> from flint import arb
    >>> q = l2_quantity([0, arb(1), arb("0 +/- 1e-20"), arb(1)])  # g'' = 0 within the ball
    >>> q.is_finite() and q > 0
    True
    """
    # c2 * c2, not c2 ** 2: python-flint's arb ** int is nan on a ball containing 0.
    return c[1] * 6 * c[3] - 24 * c[2] * c[2]


def _chain(c):
    """``(h', h'', h''')`` of ``h = q o p`` from ``c = (p's coefficients c0..c3, q's at p(xb))``."""
    p1, p2, p3 = c[1], 2 * c[2], 6 * c[3]
    q1, q2, q3 = c[5], 2 * c[6], 6 * c[7]
    return q1 * p1, q2 * p1 * p1 + q1 * p2, q3 * p1 * p1 * p1 + 3 * q2 * p1 * p2 + q1 * p3


def _composition_quantity(c):
    h1, h2, h3 = _chain(c)
    return h1 * h3 - 6 * h2 * h2


def schwarzian_quantity(c: Sequence[Any]) -> Any:
    """``g' g''' - (3/2) g''^2 = g'^2 S[g]`` from the Taylor coefficients ``c`` of ``g`` (S: the
    Schwarzian), in their number type.

    >>> from fractions import Fraction
    >>> schwarzian_quantity([1, 1, Fraction(1, 2), Fraction(1, 6)])  # exp at 0: S[exp] = -1/2
    Fraction(-1, 2)
    """
    return c[1] * 6 * c[3] - 6 * c[2] * c[2]


def _cross_sign_quantity(c):
    """``q' q'' p''``: the corrected rule needs it >= 0 (then the cross term is <= 0)."""
    return c[5] * (2 * c[6]) * (2 * c[2])


class _Pair:
    """Coefficients of ``p`` at ``xb`` followed by those of ``q`` at ``p(xb)``, in the interface
    :func:`symbolic_eos.core.decide.decide` expects (exact / balls at any precision / closed forms)."""

    def __init__(self, p: Expansion, q: Expansion) -> None:
        self.p, self.q = p, q

    @property
    def exact(self):
        a, b = self.p.exact, self.q.exact
        return None if a is None or b is None else tuple(a) + tuple(b)

    @property
    def algebraic(self):
        """Both jets in ``Q(sqrt 2, sqrt 3, ...)`` when at least one is irrational (one field
        holds every element, so the two combine)."""
        a, b = _field_jet(self.p), _field_jet(self.q)
        return None if a is None or b is None else a + b

    def balls(self, prec: int) -> tuple:
        return tuple(self.p.balls(prec)) + tuple(self.q.balls(prec))

    @property
    def symbolic(self):
        a, b = self.p.symbolic, self.q.symbolic
        if not a or not b:
            return ()
        try:
            return tuple(a[j] for j in range(4)) + tuple(b[j] for j in range(4))
        except IndexError:
            return ()


def _field_jet(expansion: Expansion) -> tuple | None:
    if expansion.exact is not None:
        return tuple(Surd.rational(c) for c in expansion.exact)
    return None if expansion.algebraic is None else tuple(expansion.algebraic)


@dataclass(frozen=True)
class ModelCheck:
    """The L2 condition for one model ``g`` (its ``text``) at one point ``at``: the ``slope``
    ``g'``, the ``value`` ``g' g''' - 6 g''^2`` and the ``verdict`` ``holds`` (``g' != 0`` and
    value < 0), ``fails`` or ``undecided``.

    >>> from symbolic_eos import compose
    >>> m = compose("exp(x)", "log(x)", "1/3").p
    >>> m.text, m.at, m.slope.sign, m.value.sign, m.verdict
    ('log(x)', '1/3', 1, -1, 'holds')
    """

    text: str
    at: str
    slope: Decision
    value: Decision
    verdict: Verdict

    def to_dict(self) -> dict:
        return {"value": self.value.text(17), "verdict": self.verdict, "expression": self.text, "at": self.at,
                "rigor": Rigor.EXACT if self.value.rigor == Rigor.EXACT and self.slope.rigor == Rigor.EXACT else Rigor.CERTIFIED}


def _verdict(slope: Decision, value: Decision) -> Verdict:
    if slope.sign == 0:
        return Verdict.FAILS
    if slope.sign is None or value.sign is None:
        return Verdict.UNDECIDED
    return Verdict.of(value.sign < 0)


@dataclass(frozen=True)
class CompositionCheck:
    """The poster's composition rule for ``q_text`` after ``p_text`` at the point ``at``, with
    the exact identity's terms: the checks of ``p``, ``q`` (at ``p(at)``) and the
    ``composition``, the sign of the ``cross`` term ``q' q'' p''``, the ``curvature``
    ``h''(xb)`` of ``h = q o p`` and the signs of the ``schwarzians`` ``S[p]``, ``S[q](p)``.

    >>> from symbolic_eos import compose
    >>> r = compose("exp(x)", "log(x)", "1/3")
    >>> r.p.verdict, r.q.verdict, r.composition.verdict, r.naive_rule_violated, r.cross.sign
    ('holds', 'holds', 'fails', True, -1)
    """

    q_text: str
    p_text: str
    at: str
    p: ModelCheck
    q: ModelCheck
    composition: ModelCheck
    cross: Decision  # sign of q' q'' p''
    curvature: Decision  # h''(xb): zero means the conclusion goes through k = 4
    schwarzians: tuple[Decision, Decision]  # signs of S[p](xb), S[q](p(xb))

    @property
    def schwarzian_rule_applies(self) -> bool:
        """``S[p] < 0`` and ``S[q] < 0`` (with ``p', q' != 0``) are certain: then
        ``S[q o p] < 0``, hence the L2 condition for ``q o p``, at any depth."""
        slopes = self.p.slope.sign not in (0, None) and self.q.slope.sign not in (0, None)
        return slopes and all(d.sign == -1 for d in self.schwarzians)

    @property
    def naive_rule_violated(self) -> bool:
        """p and q satisfy the L2 condition but q o p certainly does not."""
        return self.p.verdict == Verdict.HOLDS and self.q.verdict == Verdict.HOLDS and self.composition.verdict == Verdict.FAILS

    @property
    def corrected_rule_applies(self) -> bool:
        """p and q satisfy the L2 condition and ``q' q'' p'' >= 0`` is certain."""
        return self.p.verdict == Verdict.HOLDS and self.q.verdict == Verdict.HOLDS and self.cross.sign in (0, 1)

    @property
    def via_k4(self) -> bool:
        """The composition satisfies the L2 condition with ``h''(xb) = 0`` (proved): the
        conclusion is then the paper's k = 4 case."""
        return self.composition.verdict == Verdict.HOLDS and self.curvature.sign == 0

    @property
    def rigor(self) -> Rigor:
        facts = [self.p.value, self.q.value, self.composition.value, self.p.slope, self.q.slope, self.composition.slope]
        return Rigor.EXACT if all(d.rigor == Rigor.EXACT for d in facts) else Rigor.CERTIFIED

    def to_dict(self) -> dict:
        return {
            "p": {"value": self.p.value.text(17), "verdict": self.p.verdict},
            "q": {"value": self.q.value.text(17), "verdict": self.q.verdict},
            "composition": {"value": self.composition.value.text(17), "verdict": self.composition.verdict},
            "naive_rule_violated": self.naive_rule_violated,
            "corrected_rule_applies": self.corrected_rule_applies,
            "p_expression": self.p_text,
            "q_expression": self.q_text,
            "at": self.at,
            "q_at": self.q.at,
            "cross_term_sign": self.cross.sign,
            "schwarzian_rule_applies": self.schwarzian_rule_applies,
            "via_k4": self.via_k4,
            "identity": "T[q o p] = p'^2 T[q](p) + T[p] - 9 q''(p) p''/q'(p), T[g] = g'''/g' - 6 (g''/g')^2",
            "rigor": self.rigor,
        }

    def _rows(self) -> list[tuple[str, str]]:
        rows = []
        for name, m in (("p", self.p), ("q", self.q), ("q o p", self.composition)):
            where = f"x = {m.at}" if name != "q" else f"y = p(x) = {m.at}"
            rows.append((f"{name}: {m.text}", f"g' g''' - 6 g''^2 = {_value(m.value)} at {where}: {m.verdict}"))
        rows.append(("naive rule", "VIOLATED here" if self.naive_rule_violated else "not violated here"))
        cross = {1: "> 0", 0: "= 0", -1: "< 0", None: "undecided"}[self.cross.sign]
        rows.append(("q' q'' p''", f"{cross} -> corrected rule {'applies' if self.corrected_rule_applies else 'does not apply'}"))
        words = {1: '> 0', 0: '= 0', -1: '< 0', None: 'undecided'}
        signs = ', '.join(f'S[{n}] {words[d.sign]}' for n, d in zip('pq', self.schwarzians, strict=True))
        rows.append(('Schwarzians', f"{signs} -> closure rule {'applies' if self.schwarzian_rule_applies else 'does not apply'}"))
        if self.via_k4:
            rows.append(("note", "h''(xb) = 0: the conclusion is the paper's k = 4 case (f''' = 0, f'''' = 8 h' h''' < 0)"))
        return rows

    def to_text(self) -> str:
        rows = self._rows()
        width = max(len(a) for a, _ in rows)
        head = (f"Composition rule for q(p(x)) with p(x) = {self.p_text}, q = {self.q_text} (written in x, evaluated at p(x)), "
                f"at x = {self.at}")
        return "\n".join([head] + [f"  {a.ljust(width)}  {b}" for a, b in rows] + [f"  (rigor: {self.rigor})"])

    def to_markdown(self) -> str:
        body = "\n".join(f"| {a} | {b} |" for a, b in self._rows())
        return (f"### Composition $q(p(x))$, $p$ = {math_text(self.p_text, ('x',))}, $q$ = {math_text(self.q_text, ('x',))}, "
                f"$x$ = {math_text(self.at)}\n\n| | |\n|---|---|\n{body}\n")

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _value(d: Decision) -> str:
    return d.short(12, 30)


def _model_check(text: str, expansion: Expansion, at: str) -> ModelCheck:
    slope = decide(lambda c: c[1], expansion)
    value = decide(l2_quantity, expansion)
    return ModelCheck(text, at, slope, value, _verdict(slope, value))


def compose_expr(q: sp.Expr, p: sp.Expr, at: sp.Expr, *, q_text: str | None = None, p_text: str | None = None,
                 at_text: str | None = None) -> CompositionCheck:
    """The composition rule for ``q(p(x))`` at the exact point ``x = at`` (``q`` at ``p(at)``):
    the L2 condition ``S = g' g''' - 6 g''^2 < 0`` for ``p``, for ``q`` and for ``q o p``, with
    the exact identity's terms; ``q`` and ``p`` are both in ``x``, and ``q_text``, ``p_text``,
    ``at_text`` are how they were written.

    >>> x = sp.Symbol("x")
    >>> compose_expr(sp.exp(x), sp.log(x), sp.Rational(1, 3)).naive_rule_violated
    True

    ``p(at)`` outside the domain of ``q`` is refused:

    >>> compose_expr(sp.log(x), x - 2, sp.Integer(1))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.DomainError: log(...) is not real or not smooth at the point
    """
    q = arguments.instance(q, "q", sp.Expr, "a sympy expression")
    p = arguments.instance(p, "p", sp.Expr, "a sympy expression")
    at = arguments.instance(at, "at", sp.Expr, "a sympy constant")
    q_text = sp.sstr(q) if q_text is None else q_text
    p_text = sp.sstr(p) if p_text is None else p_text
    at_text = sp.sstr(at) if at_text is None else at_text.strip()
    point = Point.from_constant(at, at_text)
    p_exp = Expansion(p, _X, point, 3)
    p_exp.check_domain()
    inner = p.subs(_X, point.exact)
    if not inner.is_number or inner.has(sp.zoo, sp.nan, sp.I):
        raise InputError(f"p({at_text}) is not a finite real number")
    q_point = Point.from_constant(inner, sp.sstr(inner))
    q_exp = Expansion(q, _X, q_point, 3)
    q_exp.check_domain()
    pair = _Pair(p_exp, q_exp)
    p_check = _model_check(p_text, p_exp, at_text)
    q_check = _model_check(q_text, q_exp, sp.sstr(inner))
    # When the two jets are not both exact, h = q o p may still have an exact jet of its own
    # (q(p(x)) = x near xb, say): then decide h on it.
    exact_pair = pair.exact is not None or pair.algebraic is not None
    composed = None if exact_pair else _composed_expansion(q, p, point)
    if composed is not None:
        h_slope = decide(lambda c: c[1], composed)
        h_value = decide(l2_quantity, composed)
        curvature = decide(lambda c: 2 * c[2], composed)
    else:
        h_slope = decide(lambda c: _chain(c)[0], pair)
        h_value = decide(_composition_quantity, pair)
        curvature = decide(lambda c: _chain(c)[1], pair)
    composition = ModelCheck(f"{q_text} o {p_text}", at_text, h_slope, h_value, _verdict(h_slope, h_value))
    cross = decide(_cross_sign_quantity, pair)
    schwarzians = (decide(schwarzian_quantity, p_exp), decide(schwarzian_quantity, q_exp))
    return CompositionCheck(q_text, p_text, at_text, p_check, q_check, composition, cross, curvature, schwarzians)


def _may_cancel(q: sp.Expr, p: sp.Expr) -> bool:
    """Can ``q(p(x))`` contain ``f(g(u))`` with ``f`` an inverse of ``g``?  (Cheap: no
    substitution; a pair is in ``q``, in ``p``, or an ``f(x)`` of ``q`` meets the top of ``p``.)"""
    if has_inverse_pair(q) or has_inverse_pair(p):
        return True
    return isinstance(p, sp.Function) and any(
        isinstance(n, sp.Function) and n.args == (_X,) and type(n).__name__ in INVERSE_OUTER for n in sp.preorder_traversal(q)
    )


def _substitute(q: sp.Expr, p: sp.Expr) -> sp.Expr:
    """``q`` with ``x`` replaced by ``p``, as typed: no sympy evaluation (which costs and may
    rewrite), so that ``f(g(u))`` pairs stay visible to :func:`~symbolic_eos.core.algebraic.local_inverses`."""
    if q == _X:
        return p
    if not q.args or _X not in q.free_symbols:
        return q
    return q.func(*[_substitute(a, p) for a in q.args], evaluate=False)


def _composed_expansion(q: sp.Expr, p: sp.Expr, point: Point) -> Expansion | None:
    """The jet of ``h = q(p(x))`` itself at the point, when it is exact (rational or in
    ``Q(sqrt 2, sqrt 3, ...)``); None otherwise (then the chain rule on the two jets decides).

    The composed expression can be exact where its parts are not: ``asin(sin(x))`` is ``x``
    near ``1/2`` (:func:`symbolic_eos.core.algebraic.local_inverses` certifies the branch), while
    ``sin(1/2)`` is transcendental.  Substituting is safe here: the domains of ``p`` at ``xb``
    and of ``q`` at ``p(xb)`` were checked before, so ``h`` is real and smooth near ``xb``.

    >>> from symbolic_eos.core.parse import parse_constant
    >>> e = _composed_expansion(parse_expression("asin(x)"), parse_expression("sin(x)"), Point.from_constant(parse_constant("1/2")))
    >>> [str(c) for c in e.exact]
    ['1/2', '1', '0', '0']
    """
    if not _may_cancel(q, p):
        # Without an inverse pair to cancel, h's jet is exact only when the two jets are, and
        # they are not: spare the attempt.
        return None
    h = _substitute(q, p)
    try:
        expansion = Expansion(h, _X, point, 3)
        if expansion.exact is None and expansion.algebraic is None:
            return None
    except EosError:
        return None  # e.g. a composed form the engine does not support
    return expansion


# ---------------------------------------------------------------------------------------------
# The symbolic proofs (generic derivative symbols).


def _generic_chain():
    x = sp.Symbol("x")
    p = sp.Function("p")(x)
    q = sp.Function("q")
    derivatives = [sp.diff(q(p), x, k) for k in (1, 2, 3)]
    p1, p2, p3, q1, q2, q3 = sp.symbols("p1 p2 p3 q1 q2 q3")
    replace = {sp.Derivative(p, (x, k)): s for k, s in ((3, p3), (2, p2), (1, p1))}
    out = []
    for d in derivatives:
        d = d.subs(replace)
        d = d.subs({sp.Derivative(q(p), (p, k)): s for k, s in ((3, q3), (2, q2), (1, q1))})
        out.append(sp.expand(d))
    return out, (p1, p2, p3, q1, q2, q3)


@lru_cache(maxsize=None)
def composition_identity() -> tuple[str, bool]:
    """The identity ``T[q o p] = p'^2 T[q](p) + T[p] - 9 q'' p''/q'`` and whether sympy proves
    it (difference simplifies to 0) for generic derivatives."""
    (h1, h2, h3), (p1, p2, p3, q1, q2, q3) = _generic_chain()
    T = lambda g1, g2, g3: g3 / g1 - 6 * (g2 / g1) ** 2  # noqa: E731
    difference = T(h1, h2, h3) - (p1**2 * T(q1, q2, q3) + T(p1, p2, p3) - 9 * q2 * p2 / q1)
    return "T[q o p] = p'^2 T[q](p) + T[p] - 9 q''(p) p''/q'(p)", sp.simplify(difference) == 0


@lru_cache(maxsize=None)
def schwarzian_chain_rule() -> tuple[str, bool]:
    """``S[q o p] = p'^2 S[q](p) + S[p]`` for the Schwarzian, proved for generic derivatives."""
    (h1, h2, h3), (p1, p2, p3, q1, q2, q3) = _generic_chain()
    S = lambda g1, g2, g3: g3 / g1 - sp.Rational(3, 2) * (g2 / g1) ** 2  # noqa: E731
    difference = S(h1, h2, h3) - (p1**2 * S(q1, q2, q3) + S(p1, p2, p3))
    return "S[q o p] = p'^2 S[q](p) + S[p]", sp.simplify(difference) == 0



# ---------------------------------------------------------------------------------------------
# The systematic search for counterexamples of the naive rule.

#: Points tried for each pair (exact text), simplest first.
SEARCH_POINTS = ("1/2", "1", "-1/2", "-1", "2", "1/3", "-2", "3/2", "-3/2", "3")


@dataclass(frozen=True)
class CounterexampleSearch:
    """Every ordered pair of catalog base models tried at :data:`SEARCH_POINTS` (within the
    budget), and the violations of the naive rule found, simplest first, one per pair: how many
    were ``tried`` within the ``budget``, whether the search ``exhausted`` every pair, and the
    ``counterexamples``.

    >>> s = find_counterexamples(budget=3)
    >>> s.tried, s.exhausted, s.counterexamples
    (3, False, ())
    """

    tried: int
    budget: int
    exhausted: bool
    counterexamples: tuple[CompositionCheck, ...]

    @property
    def rigor(self) -> Rigor:
        """The weakest rigor of the violations found; ``none`` when none was found (a finite
        search that finds nothing proves nothing)."""
        return weakest_rigor([c.rigor for c in self.counterexamples])

    def to_dict(self) -> dict:
        return {
            "rigor": self.rigor,
            "tried": self.tried,
            "budget": self.budget,
            "complete": self.exhausted,
            "counterexamples": [
                {"q": c.q_text, "p": c.p_text, "at": c.at, "q_at": c.q.at,
                 "p_value": c.p.value.text(17), "q_value": c.q.value.text(17),
                 "composition_value": c.composition.value.text(17),
                 "corrected_rule_applies": c.corrected_rule_applies, "rigor": c.rigor}
                for c in self.counterexamples
            ],
        }

    def to_text(self) -> str:
        head = f"Naive composition rule: {len(self.counterexamples)} violating pair(s) in {self.tried} checks"
        if not self.exhausted:
            head += f" (budget {self.budget} reached: search incomplete)"
        lines = [head, "  C = g' g''' - 6 g''^2 = g'^2 T (the L2 condition is C < 0; T is the quantity of the identity):"]
        for c in self.counterexamples:
            lines.append(f"  q = {c.q_text:<12} p = {c.p_text:<12} x = {c.at:<5} C[p] = {_value(c.p.value)}, "
                         f"C[q] = {_value(c.q.value)}, C[q o p] = {_value(c.composition.value)}  [{c.rigor}]")
        if self.counterexamples and not any(c.corrected_rule_applies for c in self.counterexamples):
            lines.append("  In every violation q' q'' p'' < 0: the corrected rule (q' q'' p'' >= 0) never applies to them.")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        rows = "\n".join(
            f"| `{c.q_text}` | `{c.p_text}` | {c.at} | {_value(c.p.value)} | {_value(c.q.value)} | "
            f"{_value(c.composition.value)} | {c.rigor} |"
            for c in self.counterexamples
        )
        header = ("C = g' g''' - 6 g''^2 (the L2 condition is C < 0; C = g'^2 T with the T of the identity).\n\n"
                  "| q | p | x | C[p] | C[q] | C[q o p] | rigor |\n|---|---|---|---|---|---|---|\n")
        return header + rows + "\n"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


#: The most compositions one search may check (the catalog's claim takes 2000, about 3 s).
MAX_BUDGET = 100_000


def find_counterexamples(budget: int = 2000) -> CounterexampleSearch:
    """Deterministic search over ordered pairs of catalog base models and simple points, at most
    ``budget`` compositions.

    >>> find_counterexamples(budget=3).tried
    3

    >>> find_counterexamples(budget=0)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: budget: expected an integer in [1, 100000], got 0
    """
    from .base_models import base_models

    budget = arguments.positive_int(budget, "budget", 1, MAX_BUDGET)
    found: list[CompositionCheck] = []
    tried = 0
    exhausted = True
    models = base_models()
    for q in models:
        for p in models:
            for at in SEARCH_POINTS:
                if tried >= budget:
                    exhausted = False
                    break
                point = parse_constant(at)
                if p.contains(point) is not True:
                    continue
                tried += 1
                try:
                    result = compose_expr(q.expr, p.expr, point, q_text=q.expression, p_text=p.expression, at_text=at)
                except EosError:
                    continue  # p(x) outside q's domain: not a test of the rule
                if result.naive_rule_violated:
                    found.append(result)
                    break  # the simplest point of this pair is enough
    found.sort(key=lambda c: (len(c.q_text) + len(c.p_text), SEARCH_POINTS.index(c.at)))
    return CounterexampleSearch(tried, budget, exhausted, tuple(found))
