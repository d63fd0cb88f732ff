"""The paper's stable-oscillation criteria and the flip normal form, at a strict minimum.

With ``c_j = f^(j)(xb)/j!`` and ``eta0 = 2/f''(xb) = 1/c_2``:

* order ``k``: the lowest ``j >= 3`` with ``f^(j)(xb) != 0`` (searched up to :data:`MAX_ORDER`);
* ``k = 3``: holds iff ``3 f'''^2 - f'' f'''' > 0``; ``eps`` has the sign of ``f'''``, and
  ``2/f'' < eta < 2/(f'' - eps f''')``;
* ``k >= 4`` odd: holds iff ``f^(k+1) < 0``; ``eps f^(k) > 0``,
  ``2/f'' < eta < 2/(f'' - f^(k) eps^(k-2))``;
* ``k >= 4`` even: holds iff ``f^(k) < 0``; ``eps > 0``, ``2/f'' < eta < 2/(f'' + f^(k) eps^(k-2))``;
* flip normal form: the GD map at ``eta0`` is ``F(xb + t) = xb + Fs(t)`` with
  ``Fs(t) = -t - sum_{j>=2} (j+1) c_{j+1}/c_2 t^j``; the lowest non-zero coefficient of
  ``Fs(Fs(t)) - t`` has odd order ``p`` (``F`` commutes with ``F∘F`` and ``F'(xb) = -1`` kill the
  even ones below it); negative means ``supercritical`` (a stable 2-cycle is born above
  ``eta0``), positive ``subcritical``.  For ``k = 3`` it is
  ``-(2/(3 f''^2)) (3 f'''^2 - f'' f'''')``.

The paper's conditions are sufficient: where they fail, the flip may still be supercritical,
and the result says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Any, Sequence

from flint import arb, arb_series, fmpq, fmpq_series

from ..core.algebraic import Surd, compose_coefficients
from ..core.decide import Decision, ExpansionLike, as_sympy, decide
from ..core.jets import BeyondJet, series_length
from ..core.vocabulary import Flip, PaperCase, Verdict

__all__ = [
    "MAX_ORDER",
    "MAX_FLIP_ORDER",
    "PaperCriterion",
    "FlipNormalForm",
    "paper_criterion",
    "flip_normal_form",
    "flip_coefficients",
    "expansion_order",
    "derivative",
]

#: The highest derivative order searched for ``k``.
MAX_ORDER = 12
#: The highest (odd) order of the flip normal form that is examined.
MAX_FLIP_ORDER = 23


def expansion_order() -> int:
    """How many Taylor coefficients a full check needs: ``f^(j)`` for ``j <= MAX_FLIP_ORDER+1``.

    >>> expansion_order() == MAX_FLIP_ORDER + 1
    True
    """
    return max(MAX_ORDER + 1, MAX_FLIP_ORDER + 1)


def derivative(c: Sequence[Any], j: int) -> Any:
    """``f^(j)(xb) = j! c_j`` from the Taylor coefficients ``c`` (in whatever number type ``c`` holds).

    >>> derivative([1, 0, 3, 2], 2), derivative([1, 0, 3, 2], j=3)
    (6, 12)
    """
    return c[j] * math.factorial(j)


@dataclass(frozen=True)
class PaperCriterion:
    """The paper's sufficient condition at ``xb``: its ``case``, ``order`` ``k``, the deciding
    ``quantity`` (named ``quantity_name``), the ``verdict`` (``holds`` / ``fails`` /
    ``undecided``) and its ``reason``, the sign ``eps_sign`` that ``eps`` must have
    (``x0 = xb - eps``) and the learning-rate ``interval``.

    >>> from symbolic_eos import check
    >>> p = check("(x**2 - 1)**2/4", at="1").paper
    >>> p.case, p.order, p.verdict, p.quantity.exact, p.eps_sign
    ('k3', 3, 'holds', 96, 1)
    """

    case: PaperCase | None
    order: int | None
    verdict: Verdict
    quantity_name: str | None
    quantity: Decision | None
    eps_sign: int | None  # the sign eps must have (x0 = xb - eps)
    interval: str | None
    reason: str


@dataclass(frozen=True)
class FlipNormalForm:
    """The lowest non-zero term ``coefficient * t^order`` of ``F(F(xb+t)) - (xb+t)`` at eta0,
    the ``verdict`` it gives (``supercritical`` / ``subcritical`` / ``undecided``) and why
    (``reason``).

    >>> from symbolic_eos import check
    >>> fl = check("(x**2 - 1)**2/4", at="1").flip
    >>> fl.order, fl.coefficient.exact, fl.verdict
    (3, -16, 'supercritical')
    """

    order: int | None
    coefficient: Decision | None
    verdict: Flip
    reason: str


def _order_k(expansion: ExpansionLike) -> tuple[int | None, dict[int, Decision], str, Verdict]:
    """The order k, the decisions made, and when there is no k the reason and the verdict it
    gives: ``fails`` for a quadratic f (the paper's conditions need some k), else ``undecided``."""
    decisions: dict[int, Decision] = {}
    for j in range(3, MAX_ORDER + 1):
        d = decide(partial(derivative, j=j), expansion)
        decisions[j] = d
        if d.sign is None:
            return None, decisions, f"the sign of f^({j})(xb) is undecided ({d.evidence()})", Verdict.UNDECIDED
        if d.sign != 0:
            return j, decisions, "", Verdict.UNDECIDED
    if expansion.is_polynomial_of_degree_at_most(MAX_ORDER):
        return None, decisions, "every derivative above the second vanishes (f is quadratic near xb)", Verdict.FAILS
    return None, decisions, f"f^(j)(xb) = 0 for 3 <= j <= {MAX_ORDER} (order beyond the searched maximum)", Verdict.UNDECIDED


def paper_criterion(expansion: ExpansionLike, decisions: dict[int, Decision] | None = None) -> PaperCriterion:
    """Apply the paper's 1-D conditions at the point of ``expansion`` (assumed a strict
    minimum); the derivative signs decided on the way are stored in ``decisions`` if given.

    With ``k >= 3`` the lowest order where ``f^(k)(xb) != 0``: ``k = 3`` needs
    ``3 f'''^2 - f'' f'''' > 0``, an odd ``k > 3`` needs ``f^(k+1)(xb) < 0`` and an even ``k``
    needs ``f^(k)(xb) < 0``.

    >>> from symbolic_eos.core.decide import Expansion
    >>> from symbolic_eos.core.jets import Point
    >>> from symbolic_eos.core.parse import parse_expression, parse_variable_name
    >>> e = Expansion(parse_expression("x**2/2 + x**4"), parse_variable_name("x"), Point.rational(0), 24)
    >>> found = {}
    >>> p = paper_criterion(e, found)
    >>> p.case, p.order, p.verdict, sorted(found)
    ('k_even', 4, 'fails', [3, 4])

    A quadratic ``f`` has no order ``k`` at all, so the conditions cannot hold:

    >>> q = paper_criterion(Expansion(parse_expression("(x - 1)**2"), parse_variable_name("x"), Point.rational(1), 24))
    >>> q.case, q.verdict, q.reason
    (None, 'fails', 'every derivative above the second vanishes (f is quadratic near xb)')
    """
    k, found, reason, verdict = _order_k(expansion)
    if decisions is not None:
        decisions.update(found)
    if k is None:
        return PaperCriterion(None, None, verdict, None, None, None, None, reason)
    if k == 3:
        q = decide(lambda c: 3 * derivative(c, 3) ** 2 - derivative(c, 2) * derivative(c, 4), expansion)
        eps = found[3].sign
        return PaperCriterion(
            PaperCase.K3, 3, _verdict(q, positive=True), "3 f'''^2 - f'' f''''", q, eps,
            "2/f'' < eta < 2/(f'' - eps f''')",
            _reason(q, "3 f'''^2 - f'' f''''", positive=True),
        )
    if k % 2 == 1:
        q = decide(lambda c: derivative(c, k + 1), expansion)
        if decisions is not None:
            decisions[k + 1] = q
        return PaperCriterion(
            PaperCase.K_ODD, k, _verdict(q, positive=False), f"f^({k + 1})", q, found[k].sign,
            f"2/f'' < eta < 2/(f'' - f^({k}) eps^{k - 2})",
            _reason(q, f"f^({k + 1})", positive=False),
        )
    q = found[k]
    return PaperCriterion(
        PaperCase.K_EVEN, k, _verdict(q, positive=False), f"f^({k})", q, 1,
        f"2/f'' < eta < 2/(f'' + f^({k}) eps^{k - 2})",
        _reason(q, f"f^({k})", positive=False),
    )


def _verdict(q: Decision, positive: bool) -> Verdict:
    if q.sign is None:
        return Verdict.UNDECIDED
    return Verdict.of(q.sign == (1 if positive else -1))


def _reason(q: Decision, name: str, positive: bool) -> str:
    want = "> 0" if positive else "< 0"
    if q.sign is None:
        return f"the sign of {name} is undecided ({q.evidence()})"
    rel = {1: "> 0", -1: "< 0", 0: "= 0"}[q.sign]
    return f"{name} {rel} ({'as required' if _verdict(q, positive) is Verdict.HOLDS else 'needs ' + want})"


# ---------------------------------------------------------------------------------------------


def _gd_map_coefficients(c: Sequence[Any]) -> list:
    """Coefficients of ``Fs(t) = F(xb+t) - xb`` at ``eta0 = 1/c_2`` (``Fs'(0) = -1`` exactly)."""
    n = len(c) - 1
    return [0, -1] + [-(j + 1) * c[j + 1] / c[2] for j in range(2, n)]


def flip_coefficients(c: Sequence[Any], order: int | None = None) -> list:
    """The coefficients of ``Fs(Fs(t)) - t`` up to ``order`` (default ``len(c) - 2``), in the
    number type of ``c`` (exact ``fmpq``, exact algebraic :class:`~symbolic_eos.core.algebraic.Surd`,
    ``arb`` balls, or sympy closed forms); ``c`` are the Taylor coefficients of ``f`` at ``xb``.

    >>> flip_coefficients([fmpq(0), fmpq(0), fmpq(1), fmpq(1), fmpq(1, 4)])  # (x^2 - 1)^2/4 at 1
    [0, 0, 0, -16]

    A :class:`~symbolic_eos.core.jets.Jet` known to order 4 cannot give the order-4 term (it needs ``c_5``):

    >>> from symbolic_eos.core.jets import Jet
    >>> flip_coefficients(Jet([fmpq(0), fmpq(0), fmpq(1), fmpq(1), fmpq(1, 4)]), order=4)
    Traceback (most recent call last):
    ...
    symbolic_eos.core.jets.BeyondJet: the jet is known only to order 4; coefficient 5 is unknown
    """
    top = len(c) - 2 if order is None else order
    a = _gd_map_coefficients([c[j] for j in range(top + 2)])
    n = len(a)
    sample = c[2]
    if isinstance(sample, Surd):
        # Exact algebraic coefficients: compose over Q(sqrt 2, sqrt 3, ...).
        out = compose_coefficients(a, a)
        if len(out) < n:
            raise BeyondJet(f"F(F(t)) is known only to order {len(out) - 1}")
    elif isinstance(sample, (arb, fmpq, int)):
        with series_length(n):
            if isinstance(sample, arb):
                ball = arb_series(a, prec=n)
                composed: arb_series | fmpq_series = ball(ball)
            else:
                rational = fmpq_series([fmpq(v) for v in a], prec=n)
                composed = rational(rational)
        if composed.prec < n:
            raise BeyondJet(f"F(F(t)) is known only to order {composed.prec - 1}")
        out = list(composed.coeffs())
    else:
        out = _sympy_flip(a, n)
    out += [0] * (n - len(out))
    out[1] = out[1] - 1
    return out


def _sympy_flip(a: Sequence[Any], n: int) -> list:
    from sympy.polys.domains import EX
    from sympy.polys.ring_series import rs_series_from_list
    from sympy.polys.rings import ring

    R, t = ring("t", EX)
    coeffs = [EX.from_sympy(as_sympy(v)) for v in a]
    inner = sum((R(v) * t**i for i, v in enumerate(coeffs)), R(0))
    g = rs_series_from_list(inner, coeffs, t, n)
    return [EX.to_sympy(g.coeff(t**i)) if i else EX.to_sympy(g.coeff(1)) for i in range(n)]


def _flip_term(m: int, c: Sequence[Any]) -> Any:
    return flip_coefficients(c, m)[m]


def flip_normal_form(expansion: ExpansionLike) -> FlipNormalForm:
    """The lowest non-zero (odd) term of ``F(F(xb+t)) - (xb+t)`` at ``eta0 = 2/f''(xb)``, from
    the Taylor coefficients in ``expansion``.

    >>> from symbolic_eos.core.decide import Expansion
    >>> from symbolic_eos.core.jets import Point
    >>> from symbolic_eos.core.parse import parse_expression, parse_variable_name
    >>> e = Expansion(parse_expression("x**2/2 + x**5"), parse_variable_name("x"), Point.rational(0), 24)
    >>> fl = flip_normal_form(e)
    >>> fl.order, fl.coefficient.exact, fl.verdict
    (7, -400, 'supercritical')

    A quadratic ``f`` has ``F(F(x)) = x`` identically at ``eta0``, so no normal form exists:

    >>> q = flip_normal_form(Expansion(parse_expression("(x - 1)**2"), parse_variable_name("x"), Point.rational(1), 24))
    >>> q.verdict, q.reason  # undecided: f is quadratic
    ('undecided', 'F(F(x)) = x identically at eta0 (f is quadratic): degenerate, no 2-cycle is born')
    """
    top = min(MAX_FLIP_ORDER, expansion.order - 1)
    for m in range(3, top + 1, 2):
        # Truncating at order m keeps the (rare) symbolic fallback as small as it can be.
        d = decide(partial(_flip_term, m), expansion)
        if d.sign is None:
            return FlipNormalForm(None, d, Flip.UNDECIDED, f"the sign of the order-{m} coefficient is undecided ({d.evidence()})")
        if d.sign != 0:
            verdict = Flip.SUPERCRITICAL if d.sign < 0 else Flip.SUBCRITICAL
            return FlipNormalForm(m, d, verdict, f"lowest non-zero term at order {m} is {'negative' if d.sign < 0 else 'positive'}")
    if expansion.is_polynomial_of_degree_at_most(2):
        return FlipNormalForm(None, None, Flip.UNDECIDED,
                              "F(F(x)) = x identically at eta0 (f is quadratic): degenerate, no 2-cycle is born")
    return FlipNormalForm(None, None, Flip.UNDECIDED, f"every coefficient up to order {top} vanishes")
