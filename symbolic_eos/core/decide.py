"""Decisions with rigor: the one place where a sign is decided.

A value is positive or negative when an ``arb`` ball excludes zero (``certified``) or when it is
known exactly (``exact``); it is zero only when that is *proved* (exact rational arithmetic,
exact arithmetic in ``Q(sqrt 2, sqrt 3, ...)`` (:mod:`symbolic_eos.core.algebraic`), sympy's
evaluation of a closed form, or a minimal polynomial).  Otherwise it is ``undecided``,
and so is every verdict that depends on it.  Floats never decide anything.

A quantity is a function of Taylor coefficients written with ``+ - * /`` only, so the same
function runs on exact rationals (``fmpq``), on balls (``arb``) and on sympy closed forms.

>>> from symbolic_eos.core.parse import parse_expression
>>> from symbolic_eos.core.jets import Point
>>> f = parse_expression("(x**2 - 1)**2/4")
>>> e = Expansion(f, sorted(f.free_symbols, key=str)[0], Point.rational(1), 4)
>>> d = decide(lambda c: 3 * c[3]**2 - c[2] * c[4] * 2, e)
>>> (d.sign, d.rigor)
(1, 'exact')
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Protocol, Sequence

import sympy as sp
from flint import arb, ctx, fmpq

from .algebraic import NotAlgebraic, Surd, algebraic_coefficients
from ..errors import DomainError, InternalError
from .numbers import decimal_string, enclosure_text, exact_string
from .jets import (
    LADDER,
    BeyondJet,
    NotRational,
    Point,
    Undetermined,
    ball_coefficients,
    ball_sign,
    constant_enclosure,
    exact_coefficients,
    excludes_zero,
    expansion_is_small,
    ladder_sign,
    rungs,
    symbolic_coefficients,
)
from .vocabulary import Rigor

__all__ = [
    "Expansion", "Decision", "decide", "decide_ball", "decide_constant", "PRECISIONS", "LADDER", "rungs",
    "excludes_zero", "ball_sign", "prove_zero", "RIGORS", "weakest_rigor",
    "ExpansionLike", "as_sympy", "within_seconds", "prove_identically_zero",
]

#: The rigor vocabulary (:class:`~symbolic_eos.core.vocabulary.Rigor`) as a tuple, strongest first.
RIGORS = tuple(Rigor)


class Coefficients(Protocol):
    """What :func:`decide` reads from an expansion: exact coefficients (or None), balls at a
    precision, and sympy closed forms (empty when there are none)."""

    @property
    def exact(self) -> Sequence[Any] | None: ...

    def balls(self, prec: int) -> Sequence[arb]: ...

    @property
    def symbolic(self) -> Any: ...


class ExpansionLike(Coefficients, Protocol):
    """A :class:`Coefficients` of a loss, as the criteria read it: its order and whether it is
    a polynomial of low degree.

    >>> from symbolic_eos.core.parse import parse_expression
    >>> from symbolic_eos.core.jets import Point
    >>> f = parse_expression("(x**2 - 1)**2/4")
    >>> e: ExpansionLike = Expansion(f, sorted(f.free_symbols, key=str)[0], Point.from_constant(sp.Integer(1)), 6)
    >>> e.order, e.is_polynomial_of_degree_at_most(4), e.is_polynomial_of_degree_at_most(3)
    (6, True, False)
    """

    @property
    def order(self) -> int: ...

    def is_polynomial_of_degree_at_most(self, n: int) -> bool: ...


#: The default window of the one ladder (:data:`~symbolic_eos.core.jets.LADDER`): the binary
#: precisions tried before a sign is declared undecided.
PRECISIONS = rungs(64, 2048)

#: A certified value is recomputed once at double precision if its ball has fewer correct bits.
ENCLOSURE_BITS = 60

#: Above this size (``count_ops``) no simplification is attempted to prove a zero.
SIMPLIFY_OPS_LIMIT = 400


class Expansion:
    """The Taylor coefficients of ``f`` (the sympy ``expr`` in ``var``) at ``point`` up to
    ``order``, available exactly (when rational, or algebraic in ``Q(sqrt 2, sqrt 3, ...)``), as
    balls at any precision, and as bounded sympy closed forms.

    >>> from symbolic_eos.core.parse import parse_expression, parse_variable_name
    >>> from symbolic_eos.core.jets import Point
    >>> x = parse_variable_name("x")
    >>> e = Expansion(parse_expression("(x**2 - 1)**2/4"), x, Point.rational(1), 24)
    >>> e.exact[:5]
    (0, 0, 1, 1, 1/4)
    """

    def __init__(self, expr: sp.Expr, var: sp.Symbol, point: Point, order: int) -> None:
        self.expr, self.var, self.point, self.order = expr, var, point, order
        self._exact_done = False
        self._exact: tuple[fmpq, ...] | None = None
        self._algebraic: tuple | None = None
        self._balls: dict[int, tuple[arb, ...]] = {}
        self._symbolic: Any = None

    @property
    def exact(self) -> tuple[fmpq, ...] | None:
        """Exact rational coefficients, or None.  An irrational point whose jet is rational
        all the same (``tan`` at ``pi/4``) is found by the algebraic route."""
        if not self._exact_done:
            self._exact_done = True
            try:
                self._exact = exact_coefficients(self.expr, self.var, self.point, self.order)
            except NotRational:
                self._exact = None
                self._algebraic = _algebraic_jet(self.expr, self.var, self.point, self.order)
                if self._algebraic is not None and all(isinstance(c, Surd) and c.is_rational for c in self._algebraic):
                    self._exact = tuple(c.as_fmpq() for c in self._algebraic)
                    self._algebraic = None
        return self._exact

    @property
    def algebraic(self) -> tuple | None:
        """Exact coefficients in ``Q(sqrt 2, sqrt 3, ...)`` (:class:`~symbolic_eos.core.algebraic.Surd`;
        ``c_0`` may be a :class:`~symbolic_eos.core.algebraic.Transcendental`) when the jet is exact
        but not rational; None otherwise."""
        self.exact  # noqa: B018 - computes both routes once
        return self._algebraic

    def balls(self, prec: int) -> tuple[arb, ...]:
        """Balls at ``prec`` bits; raises :class:`Undetermined` if a domain test is undecided."""
        if prec not in self._balls:
            centre = self.point.enclosure(prec)
            self._balls[prec] = ball_coefficients(self.expr, self.var, centre, self.order, prec)
        return self._balls[prec]

    @property
    def symbolic(self) -> Any:
        if self._symbolic is None:
            self._symbolic = symbolic_coefficients(self.expr, self.var, self.point, self.order)
        return self._symbolic

    def is_polynomial_of_degree_at_most(self, n: int) -> bool:
        """Is ``f`` a polynomial of degree <= n (so every derivative above n vanishes)?"""
        return self.expr.is_polynomial(self.var) and sp.degree(self.expr, self.var) <= n

    def check_domain(self) -> None:
        """Raise :class:`DomainError` when the loss is certainly not real and smooth at the point;
        when that cannot be decided even at the highest precision, raise it too (no verdict can
        be given on a loss we cannot evaluate)."""
        if self.exact is not None or self.algebraic is not None:
            return  # both exact routes certify the domain on the way
        for prec in PRECISIONS:
            try:
                balls = self.balls(prec)
            except Undetermined:
                continue
            if all(b.is_finite() for b in balls):
                return
        raise DomainError("the loss cannot be evaluated as a finite real number at the point")


@dataclass(frozen=True)
class Decision:
    """The sign of a quantity: ``sign`` in {-1, 0, 1} or None (undecided), with its ``rigor``
    (``exact`` / ``certified`` / None), the ``exact`` value when known, the last ``enclosure``,
    and the ``reason`` a value could not even be enclosed.

    >>> d = Decision(1, Rigor.CERTIFIED, arb(2).sqrt() - 1)
    >>> d.decided, d.text(6), Decision(None, None, None, reason="beyond the jet").evidence()
    (True, '0.414214', 'beyond the jet')
    """

    sign: int | None
    rigor: Rigor | None  # a word ("exact") is accepted and stored as its member
    enclosure: arb | None
    exact: fmpq | sp.Expr | None = None
    reason: str | None = None  # why the value is unknown, when it could not even be enclosed

    def __post_init__(self) -> None:
        """A decided sign has a rigor and an undecided one has none; ``certified`` (a ball
        that excludes 0) never says 0; ``exact`` always has a sign.

        >>> Decision(0, Rigor.CERTIFIED, arb(0))
        Traceback (most recent call last):
        ...
        symbolic_eos.errors.InternalError: a certified decision has sign 1 or -1, not 0
        """
        if self.sign not in (-1, 0, 1, None) or isinstance(self.sign, bool):
            raise InternalError(f"a decision's sign is -1, 0, 1 or None, not {self.sign!r}")
        if self.rigor not in (Rigor.EXACT, Rigor.CERTIFIED, None):
            raise InternalError(f"a decision's rigor is exact, certified or None, not {self.rigor!r}")
        if self.rigor is not None and type(self.rigor) is not Rigor:
            object.__setattr__(self, "rigor", Rigor(self.rigor))
        if self.sign is None and self.rigor is not None:
            raise InternalError(f"an undecided sign has no rigor, not {self.rigor!r}")
        if self.sign is not None and self.rigor is None:
            raise InternalError(f"the sign {self.sign} is decided without a rigor")
        if self.rigor is Rigor.CERTIFIED and self.sign == 0:
            raise InternalError("a certified decision has sign 1 or -1, not 0")

    @property
    def decided(self) -> bool:
        return self.sign is not None

    def text(self, digits: int = 17) -> str:
        """The value as a decimal string (at least 15 significant digits)."""
        if self.exact is not None:
            return decimal_string(self.exact, digits)
        if self.enclosure is None:
            return "nan"
        return decimal_string(self.enclosure, digits)

    def exact_text(self) -> str | None:
        return None if self.exact is None else exact_string(self.exact)

    def short(self, digits: int = 15, max_exact: int = 40) -> str:
        """For tables: the exact value when it is short, else a decimal; ``undecided`` with
        the evidence when the sign is unknown."""
        if self.exact is not None:
            text = self.exact_text() or ""
            return text if len(text) <= max_exact else self.text(digits)
        if self.sign is None:
            return f"undecided, {self.evidence()}"
        return self.text(digits)

    def evidence(self) -> str:
        """The enclosure with its radius, shown when the sign is undecided."""
        if self.exact is not None:
            return f"= {self.exact_text()} (exact)"
        if self.enclosure is None:
            return self.reason or "could not be evaluated"
        return f"in {enclosure_text(self.enclosure, 20)}"


def _algebraic_jet(expr: sp.Expr, var: sp.Symbol, point: Point, order: int) -> tuple | None:
    """The exact jet over ``Q(sqrt 2, sqrt 3, ...)``, or None (then balls decide)."""
    if point.exact is None:
        return None
    return _cached_algebraic_jet(expr, var, point.exact, order)


@lru_cache(maxsize=1024)
def _cached_algebraic_jet(expr: sp.Expr, var: sp.Symbol, at: sp.Expr, order: int) -> tuple | None:
    # Cached: the same model at the same point recurs (the composition search pairs every
    # model with every other), and a failed attempt costs sympy work each time.
    try:
        return algebraic_coefficients(expr, var, Point.from_constant(at), order)
    except NotAlgebraic:
        return None


def _sympy_sign(value: sp.Expr) -> int | None:
    """The sign of a sympy number when sympy knows it *exactly* (rationals, proved zeros)."""
    if value.is_Rational:
        return int(sp.sign(value))
    return 0 if prove_zero(value) else None


#: Wall-clock budget (seconds) for one attempt to simplify a closed form to zero.
SIMPLIFY_SECONDS = 2.0


@lru_cache(maxsize=512)
def prove_zero(value: sp.Expr) -> bool:
    """True only when ``value`` is proved to be exactly 0 (never by numerical evaluation).

    Cheap exact steps come first (expansion when it stays small, a minimal polynomial for
    radicals); sympy's ``simplify`` runs last, in a forked process with a time budget
    (:data:`SIMPLIFY_SECONDS`), so a hard closed form costs seconds, not hours."""
    value = as_sympy(value)
    if value == 0:
        return True
    if value.free_symbols or sp.count_ops(value) > SIMPLIFY_OPS_LIMIT or not expansion_is_small(value):
        return False
    expanded = sp.expand(value)
    if expanded == 0:
        return True
    if _is_algebraic_radical(expanded):
        t = sp.Dummy("t")
        try:
            return sp.minimal_polynomial(expanded, t) == t
        except (NotImplementedError, sp.polys.polyerrors.PolynomialError):
            return False
    if _zero_as_rational_function(expanded):
        return True
    return bool(within_seconds(_simplifies_to_zero, expanded, SIMPLIFY_SECONDS))


def prove_identically_zero(value: sp.Expr) -> bool:
    """True only when ``value`` is proved to be 0 for every value of its free symbols (an
    identity in the parameters of a family); without free symbols, :func:`prove_zero`.

    The exact steps: expansion, the rational-function identity in the atoms, and ``simplify``
    within a budget (a quick disproof at probe points is the caller's: ``analysis.conditions.vanishes``).

    >>> a, b = sp.symbols("a b")
    >>> prove_identically_zero((a + b)**2 - a**2 - 2*a*b - b**2), prove_identically_zero(sp.tanh(a) - sp.sinh(a) / sp.cosh(a))
    (True, True)
    >>> prove_identically_zero(a * b), prove_identically_zero(sp.Integer(0))
    (False, True)
    >>> prove_identically_zero("a")  # refused: not a sympy expression
    Traceback (most recent call last):
    ...
    TypeError: not an exact expression: str
    """
    if not isinstance(value, (int, fmpq, sp.Basic)):
        raise TypeError(f"not an exact expression: {type(value).__name__}")
    value = as_sympy(value)
    if value == 0:
        return True
    free = sorted(value.free_symbols, key=str)
    if not free:
        return prove_zero(value)
    if sp.count_ops(value) > 10 * SIMPLIFY_OPS_LIMIT:
        return False
    expanded = sp.expand(value) if expansion_is_small(value) else value
    if expanded == 0 or _zero_as_rational_function(expanded):
        return True
    return bool(within_seconds(_simplifies_to_zero, expanded, SIMPLIFY_SECONDS))


def _zero_as_rational_function(value: sp.Expr) -> bool:
    """Whether ``value`` is 0 as a rational function of its atoms: each ``exp(p/q)`` written as
    ``T**p`` with ``T = exp(1/L)`` (``L`` the common denominator), every other irrational atom
    (``pi``, ``log(2)``, ``sqrt(3)``, ``sin(1)``, ...) a free symbol.  An identity that holds for
    every value of the symbols holds at theirs, so True is a proof; False proves nothing.  It is
    exact and takes no time budget, so it decides the same on every machine.

    >>> t = sp.exp(sp.Rational(1, 3))
    >>> _zero_as_rational_function(t / (1 + t) - sp.exp(sp.Rational(2, 3)) / (t + t**2))
    True
    >>> _zero_as_rational_function(sp.E - sp.exp(sp.Rational(1, 2)) ** 2), _zero_as_rational_function(sp.pi - 3)
    (True, False)
    """
    exps = [e for e in value.atoms(sp.exp) if e.args[0].is_Rational]
    lcm = math.lcm(1, *(int(e.args[0].q) for e in exps))
    base = sp.Dummy("T")
    powers = {e: base ** (e.args[0] * lcm) for e in exps}
    powers[sp.E] = base**lcm  # sympy writes exp(1) as E
    rewritten = value.xreplace(powers)
    # Constant atoms (no T in them); xreplace substitutes the outermost and does not descend.
    atoms = {a for a in rewritten.atoms(sp.Function, sp.Pow, sp.NumberSymbol) if not a.free_symbols and not a.is_Rational
             and not (a.is_Pow and a.exp.is_Integer)}
    symbols = {a: sp.Dummy() for a in atoms}
    try:
        return sp.cancel(sp.together(rewritten.xreplace(symbols))) == 0
    except (sp.polys.polyerrors.PolynomialError, TypeError, ValueError, RecursionError):
        return False


def _simplifies_to_zero(value: sp.Expr) -> bool:
    return sp.simplify(value) == 0


def within_seconds(fn: Callable[[Any], Any], arg: Any, seconds: float) -> Any:
    """``fn(arg)`` in a forked child, or None when it takes longer than ``seconds`` (the child
    is killed: sympy cannot be interrupted from a thread).

    >>> import time
    >>> within_seconds(abs, -3, seconds=5.0), within_seconds(time.sleep, 10, seconds=0.2)
    (3, None)
    """
    import multiprocessing as mp

    try:
        context = mp.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork get no slow proof
        return None
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        try:
            send.send(fn(arg))
        except Exception:
            send.send(None)

    process = context.Process(target=child, daemon=True)
    process.start()
    send.close()
    result = receive.recv() if receive.poll(seconds) else None
    process.kill()
    process.join()
    return result


def as_sympy(value: int | fmpq | sp.Basic) -> sp.Expr:
    """An internal number ``value`` (int, ``fmpq``, sympy) as a sympy number; never parses text.

    >>> as_sympy(fmpq(1, 3)), as_sympy(5) + 1
    (1/3, 6)

    >>> as_sympy("1/2")
    Traceback (most recent call last):
    ...
    TypeError: not an exact number: str
    """
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, fmpq):
        return sp.Rational(int(value.p), int(value.q))
    raise TypeError(f"not an exact number: {type(value).__name__}")


def _is_algebraic_radical(value: sp.Expr) -> bool:
    """Built from rationals with + - * / and rational powers only."""
    return all(
        node.is_Rational or node.is_Add or node.is_Mul or (node.is_Pow and node.exp.is_Rational)
        for node in sp.preorder_traversal(value)
    )


def decide(quantity: Callable[[Sequence], Any], expansion: Coefficients) -> Decision:
    """Decide the sign of ``quantity(c)`` for the Taylor coefficients ``c`` of ``expansion``:
    exactly when it can, else by a ball that excludes 0.  A quantity that needs a coefficient
    beyond the order the jet is known to is undecided.

    >>> from symbolic_eos.core.parse import parse_expression, parse_variable_name
    >>> from symbolic_eos.core.jets import Point
    >>> x = parse_variable_name("x")
    >>> e = Expansion(parse_expression("(x**2 - 1)**2/4"), x, Point.rational(1), 24)
    >>> d = decide(lambda c: 3 * (6 * c[3])**2 - (2 * c[2]) * (24 * c[4]), e)
    >>> d.sign, d.rigor, d.exact
    (1, 'exact', 96)
    """
    try:
        return _decide(quantity, expansion)
    except BeyondJet as exc:
        return Decision(None, None, None, reason=str(exc))


def _decide(quantity: Callable[[Sequence], Any], expansion: Coefficients) -> Decision:
    exact = expansion.exact
    if exact is not None:
        try:
            rational = fmpq(quantity(exact))
        except NotRational:
            pass
        else:
            return Decision((rational > 0) - (rational < 0), Rigor.EXACT, None, rational)
    algebraic = getattr(expansion, "algebraic", None)
    if algebraic is not None:
        decided = _decide_algebraic(quantity, algebraic)
        if decided is not None:
            return decided
    balls = decide_ball(lambda prec: quantity(expansion.balls(prec)), PRECISIONS, refine=True)
    if balls.decided:
        return balls
    last = balls.enclosure
    symbolic = expansion.symbolic
    try:
        closed = as_sympy(quantity(symbolic)) if symbolic else None
    except (IndexError, ZeroDivisionError):
        closed = None
    if closed is not None:
        sign = _sympy_sign(closed)
        if sign is not None:
            return Decision(sign, Rigor.EXACT, last, closed if sign else fmpq(0))
    return Decision(None, None, last)


def decide_ball(evaluate: Callable[[int], Any], precisions: Sequence[int] = PRECISIONS, refine: bool = False,
                zero_is_proof: bool = True) -> Decision:
    """The sign of the number ``evaluate(prec)`` encloses (a ball at ``prec`` bits), climbing
    ``precisions`` (a window of :data:`~symbolic_eos.core.jets.LADDER`) until the ball excludes 0:
    ``certified``; a ball that is exactly 0 proves 0 (``exact``); else undecided with the last
    enclosure as evidence.  With ``refine``, a decided ball with fewer than
    :data:`ENCLOSURE_BITS` correct bits is recomputed once at twice the precision, for printing;
    without ``zero_is_proof`` only a certified sign decides (an exact 0 stays undecided).

    >>> d = decide_ball(lambda prec: arb.pi() - 3)
    >>> (d.sign, d.rigor), decide_ball(lambda prec: arb(0, 1)).evidence()
    ((1, 'certified'), 'in [+/- 1.01]')
    """
    sign, value, prec = ladder_sign(evaluate, precisions, zero_is_proof)
    if sign is None or value is None or prec is None:
        return Decision(None, None, value)
    if sign == 0:
        # A ball of radius 0 around 0 encloses exactly one number: 0 is proved.
        return Decision(0, Rigor.EXACT, value, fmpq(0))
    # Once the sign is certain, one more precision step buys digits worth printing.
    if not refine or value.rel_accuracy_bits() >= ENCLOSURE_BITS or prec == precisions[-1]:
        return Decision(sign, Rigor.CERTIFIED, value)
    try:
        with ctx.workprec(2 * prec):
            better = evaluate(2 * prec)
        better = better if isinstance(better, arb) else arb(better)
        if better.rel_accuracy_bits() > value.rel_accuracy_bits() and ball_sign(better) == sign:
            return Decision(sign, Rigor.CERTIFIED, better)
    except (Undetermined, ZeroDivisionError):
        pass
    return Decision(sign, Rigor.CERTIFIED, value)


def decide_constant(value: int | fmpq | sp.Expr, precisions: Sequence[int] = PRECISIONS) -> Decision:
    """The sign of an exact real constant ``value``: ``exact`` for a rational, ``certified`` when a ball
    of :func:`~symbolic_eos.core.jets.constant_enclosure` at a rung of ``precisions`` excludes 0,
    ``exact`` 0 when :func:`prove_zero` proves it, else undecided (the last ball as evidence).

    >>> d = decide_constant(sp.exp(sp.pi * sp.sqrt(163)) - 640320**3 - 744)
    >>> (d.sign, d.rigor), decide_constant(fmpq(-1, 3)).sign, decide_constant(sp.sqrt(8) - 2 * sp.sqrt(2)).rigor
    ((-1, 'certified'), -1, 'exact')
    >>> decide_constant(sp.atan(sp.Rational(1, 2)) + sp.atan(sp.Rational(1, 3)) - sp.pi / 4).sign is None  # undecided: 0, not proved
    True
    >>> decide_constant(0.5)
    Traceback (most recent call last):
    ...
    TypeError: not an exact number: float
    """
    if isinstance(value, (int, fmpq)) or (isinstance(value, sp.Basic) and value.is_Rational):
        q = fmpq(value) if isinstance(value, (int, fmpq)) else fmpq(int(value.p), int(value.q))
        return Decision((q > 0) - (q < 0), Rigor.EXACT, None, q)
    if not isinstance(value, sp.Expr):
        raise TypeError(f"not an exact number: {type(value).__name__}")
    balls = decide_ball(lambda prec: constant_enclosure(value, prec), precisions)
    if balls.sign is not None and balls.sign != 0:
        return balls
    if balls.sign == 0 or prove_zero(value):
        return Decision(0, Rigor.EXACT, balls.enclosure, fmpq(0))
    return balls


def _decide_algebraic(quantity: Callable[[Sequence], Any], coefficients: Sequence) -> Decision | None:
    """The sign of ``quantity`` on exact field coefficients: zero by exact arithmetic, else by
    a ball of the exact value (None when the quantity needs a transcendental ``c_0``)."""
    try:
        value = quantity(coefficients)
    except (NotRational, ZeroDivisionError):  # NotAlgebraic is a NotRational
        return None
    if isinstance(value, (int, fmpq)):
        value = Surd({1: fmpq(value)} if value != 0 else {})
    if not isinstance(value, Surd):
        return None  # e.g. c_0 itself when it is transcendental
    if value.is_rational:
        q = value.as_fmpq()
        return Decision((q > 0) - (q < 0), Rigor.EXACT, None, q)
    sign = value.sign()
    if sign is None:
        return None  # non-zero, but no ball up to 4096 bits separates it from 0
    return Decision(sign, Rigor.EXACT, value.enclosure(128), value.to_sympy())


def weakest_rigor(rigors: Iterable[str | None]) -> Rigor:
    """:meth:`Rigor.weakest <symbolic_eos.core.vocabulary.Rigor.weakest>`: the weakest of ``rigors``;
    ``None`` (an undecided quantity) counts as ``none``, and so does an empty list.

    >>> weakest_rigor(["exact", "certified"]), weakest_rigor(["exact", None]), weakest_rigor([])
    ('certified', 'none', 'none')
    """
    return Rigor.weakest(rigors)
