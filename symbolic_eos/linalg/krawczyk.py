"""The Krawczyk operator: a certificate that a box holds exactly one zero of a square system.

For ``G: R^n -> R^n`` with Jacobian ``J``, a box ``X`` with midpoint ``m`` and ``Y ≈ J(m)^-1``,
``K(X) = m - Y G(m) + (I - Y J(X)) (X - m)``; if ``K(X)`` lies in the interior of ``X``, then
``X`` holds exactly one zero of ``G``, and it lies in ``K(X)`` (Krawczyk, Moore).  The system is
anything with ``residual(v, prec)`` and ``jacobian(v, prec)`` on ``arb`` balls (:class:`System`;
:class:`Equations` wraps two callables), so a box of unknowns may carry parameters too.

>>> from flint import arb
>>> square = Equations(lambda v, prec: [v[0] ** 2 - 2], lambda v, prec: [[2 * v[0]]])
>>> k = krawczyk(square, [arb("1.414", "0.01")], 64)
>>> k.certified, k.enclosure[0].overlaps(arb(2).sqrt())
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol, Sequence, runtime_checkable

import mpmath
from flint import arb, arb_mat, ctx

from ..core.jets import Undetermined
from ..errors import EosError

__all__ = ["Krawczyk", "System", "Equations", "krawczyk", "certify"]


@dataclass(frozen=True)
class Krawczyk:
    """The outcome of a Krawczyk test on the box ``X = centre ± radius``: ``certified`` when
    ``K(X) ⊂ int(X)`` (then ``X`` holds exactly one zero), the ``enclosure`` of that zero
    (``K(X) ∩ X`` when certified, else ``X``), the box's largest ``radius``, and the ``image``
    ``K(X)`` itself (None when it could not be evaluated).

    >>> from flint import arb
    >>> k = Krawczyk(False, (arb(1, 0.5),), arb(0.5))
    >>> k.certified, k.image is None
    (False, True)
    """

    certified: bool
    enclosure: tuple[arb, ...]  # K(X) ∩ X when certified, else X
    radius: arb
    image: tuple[arb, ...] | None = None  # K(X); None when G or J could not be evaluated on the box


@runtime_checkable
class System(Protocol):
    """A square system ``G(v) = 0`` on balls: its residual and Jacobian at ``prec`` bits.

    >>> isinstance(Equations(lambda v, prec: v, lambda v, prec: [[1]]), System)
    True
    """

    def residual(self, v: Sequence[arb], prec: int) -> Sequence[arb]: ...

    def jacobian(self, v: Sequence[arb], prec: int) -> Sequence[Sequence[arb]]: ...


@dataclass(frozen=True)
class Equations:
    """A :class:`System` from two callables: ``residual(v, prec)`` encloses ``G`` over the box
    ``v`` and ``jacobian(v, prec)`` encloses its Jacobian (rows of balls) there.

    >>> from flint import arb
    >>> e = Equations(lambda v, prec: [v[0] - 1], lambda v, prec: [[arb(1)]])
    >>> e.residual([arb(3)], 64), e.jacobian([arb(3)], 64)
    ([2.00000000000000], [[1.00000000000000]])
    """

    residual: Callable[[Sequence[arb], int], Sequence[arb]]
    jacobian: Callable[[Sequence[arb], int], Sequence[Sequence[arb]]]


def krawczyk(system: System, box: Sequence[arb], prec: int) -> Krawczyk:
    """``K(X) = m - Y G(m) + (I - Y J(X)) (X - m)`` for ``G`` the ``system`` on the ``box`` ``X``
    at ``prec`` bits, with ``Y ≈ J(m)^-1``.  If ``K(X)`` lies in the interior of ``X``, then ``X``
    holds exactly one zero of ``G`` (and it lies in ``K(X)``).

    >>> from flint import arb
    >>> square = Equations(lambda v, prec: [v[0] ** 2 - 2], lambda v, prec: [[2 * v[0]]])
    >>> krawczyk(square, [arb(1.4, 0.1)], prec=64).certified, krawczyk(square, [arb(0, 0.5)], 64).certified
    (True, False)
    """
    n = len(box)
    with ctx.workprec(prec):
        X = [+b for b in box]
        radius = max((x.rad() for x in X), key=lambda r: float(r.mid()))
        fail = Krawczyk(False, tuple(X), arb(radius))
        m = [arb(x.mid()) for x in X]
        try:
            gm = system.residual(m, prec)
            jx = arb_mat(system.jacobian(X, prec))
            y = arb_mat(system.jacobian(m, prec)).mid().inv().mid()
        except (ZeroDivisionError, ValueError, Undetermined, EosError):
            return fail
        if not all(g.is_finite() for g in gm):
            return fail
        col = lambda values: arb_mat([[v] for v in values])  # noqa: E731
        ident = arb_mat([[1 if i == j else 0 for j in range(n)] for i in range(n)])
        k = col(m) - y * col(gm) + (ident - y * jx) * (col(X) - col(m))
        kv = tuple(k[i, 0] for i in range(n))
        if all(X[i].contains_interior(kv[i]) for i in range(n)):
            return Krawczyk(True, tuple(kv[i].intersection(X[i]) for i in range(n)), arb(radius), kv)
        return Krawczyk(False, tuple(X), arb(radius), kv)


def certify(system: System, solution: Sequence[mpmath.mpf], prec: int) -> Krawczyk:
    """Krawczyk on boxes around the approximate zero ``solution`` of ``system`` at ``prec``
    bits, inflated from near the working precision: certified means a unique zero in the
    returned enclosure.

    >>> import mpmath
    >>> square = Equations(lambda v, prec: [v[0] ** 2 - 2], lambda v, prec: [[2 * v[0]]])
    >>> k = certify(square, [mpmath.sqrt(2)], prec=100)
    >>> k.certified, k.enclosure[0].rad() < 1e-20
    (True, True)
    """
    with ctx.workprec(prec):
        centre = [arb(t) for t in solution]
        scale = max([arb(1)] + [abs(c) for c in centre], key=float)
        result = None
        for shift in (24, prec // 8, prec // 4, prec // 2):
            radius = scale * arb(2) ** (-(prec - shift))
            result = krawczyk(system, [arb(c, radius) for c in centre], prec)
            if result.certified:
                return result
        assert result is not None  # the loop above runs four times
        return result
