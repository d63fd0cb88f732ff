"""Taylor coefficients of a loss along a line, ``t -> f(xb + t d) = sum_j c_j t^j``, as the
expansions :func:`symbolic_eos.core.decide.decide` decides signs on: exact (rational point and
direction), certified balls, and closed forms; or balls only, for a direction known only as
balls (a certified eigenvector).

>>> x, y = sp.symbols("x y")
>>> e = DirectionalExpansion((x*y - 1)**2 / 2, (x, y), (sp.Integer(1), sp.Integer(1)), (sp.Integer(1), sp.Integer(1)), 4)
>>> [str(c) for c in e.exact]
['0', '0', '2', '2', '1/2']
"""

from __future__ import annotations

from typing import Callable, Sequence

import sympy as sp
from flint import arb

from ..core.jets import (
    Jet,
    NotRational,
    SymbolicCoefficients,
    constant_enclosure,
    directional_coefficients,
    exact_directional_coefficients,
    to_fmpq,
)

__all__ = ["DirectionalExpansion", "BallDirectionalExpansion"]


class DirectionalExpansion:
    """Taylor coefficients ``c_0 .. c_order`` of ``t -> f(xb + t d)`` for ``f`` the ``expr`` in
    ``variables``, ``xb`` the exact ``point`` and ``d`` the exact ``direction``, with the interface
    of :class:`symbolic_eos.core.decide.Expansion` (exact / balls / closed forms).

    >>> x, y = sp.symbols("x y")
    >>> e = DirectionalExpansion(x**2 + x*y**2, (x, y), (sp.Integer(0), sp.Integer(0)), (sp.Integer(1), sp.Integer(2)), order=3)
    >>> [str(c) for c in e.exact], e.balls(64)[3], e.is_polynomial_of_degree_at_most(3)
    (['0', '0', '1', '4'], 4.00000000000000, True)
    """

    def __init__(self, expr: sp.Expr, variables: Sequence[sp.Symbol], point: Sequence[sp.Expr], direction: Sequence[sp.Expr],
                 order: int) -> None:
        self.expr, self.variables, self.point, self.direction, self.order = expr, tuple(variables), tuple(point), tuple(direction), order
        self._exact_done = False
        self._exact: Jet | None = None
        self._balls: dict[int, Jet] = {}
        self._symbolic: SymbolicCoefficients | None = None

    @property
    def exact(self) -> Jet | None:
        if not self._exact_done:
            self._exact_done = True
            if all(v.is_Rational for v in self.point + self.direction):
                try:
                    self._exact = exact_directional_coefficients(
                        self.expr, self.variables, tuple(map(to_fmpq, self.point)), tuple(map(to_fmpq, self.direction)), self.order
                    )
                except NotRational:
                    self._exact = None
        return self._exact

    def balls(self, prec: int) -> Jet:
        if prec not in self._balls:
            centre = tuple(constant_enclosure(v, prec) for v in self.point)
            direction = tuple(constant_enclosure(v, prec) for v in self.direction)
            self._balls[prec] = directional_coefficients(self.expr, self.variables, centre, direction, self.order, prec)
        return self._balls[prec]

    @property
    def symbolic(self) -> SymbolicCoefficients:
        if self._symbolic is None:
            t = sp.Dummy("t")
            line = self.expr.subs({v: c + t * d for v, c, d in zip(self.variables, self.point, self.direction, strict=True)})
            self._symbolic = SymbolicCoefficients(line, t, sp.Integer(0), self.order, 4000)
        return self._symbolic

    def is_polynomial_of_degree_at_most(self, n: int) -> bool:
        return self.expr.is_polynomial(*self.variables) and sp.Poly(self.expr, *self.variables).total_degree() <= n


class BallDirectionalExpansion:
    """Taylor coefficients of ``t -> f(xb + t d)`` for a direction known only as balls:
    ``direction_at(prec)`` returns an enclosure of ``d`` (it may raise
    :class:`~symbolic_eos.core.jets.Undetermined`).  No exact or closed-form coefficients: every
    decision is certified or undecided.  ``expr``, ``variables``, ``point`` and ``order`` are as
    for :class:`DirectionalExpansion`.

    >>> from flint import arb
    >>> x, y = sp.symbols("x y")
    >>> unit = lambda prec: (arb(2).sqrt() / 2, arb(2).sqrt() / 2)
    >>> e = BallDirectionalExpansion(x*y, (x, y), (sp.Integer(0), sp.Integer(0)), unit, order=2)
    >>> e.exact, e.balls(64)[2].overlaps(arb(1) / 2)
    (None, True)
    """

    exact = None
    symbolic = ()

    def __init__(self, expr: sp.Expr, variables: Sequence[sp.Symbol], point: Sequence[sp.Expr],
                 direction_at: Callable[[int], Sequence[arb]], order: int) -> None:
        self.expr, self.variables, self.point, self.direction_at, self.order = expr, tuple(variables), tuple(point), direction_at, order
        self._balls: dict[int, Jet] = {}

    def balls(self, prec: int) -> Jet:
        if prec not in self._balls:
            centre = tuple(constant_enclosure(v, prec) for v in self.point)
            self._balls[prec] = directional_coefficients(self.expr, self.variables, centre, self.direction_at(prec), self.order, prec)
        return self._balls[prec]

    def is_polynomial_of_degree_at_most(self, n: int) -> bool:
        return self.expr.is_polynomial(*self.variables) and sp.Poly(self.expr, *self.variables).total_degree() <= n
