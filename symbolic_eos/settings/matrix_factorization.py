"""Matrix factorisation ``L(Y, Z) = |Y Z^T - C|_F^2 / 2``: the paper's claim that at *any*
minimiser the cross-section along the leading Hessian eigendirection satisfies
``3 L'''^2 - L'' L'''' > 0``, checked, refuted at unbalanced minimisers, and corrected.

**Structure (exact).**  The Hessian's quadratic form at a minimiser is ``|J(D)|^2`` with
``J(DY, DZ) = DY Z^T + Y DZ^T``, and ``J J^*(M) = M Z Z^T + Y Y^T M``.  Its top eigenvalue is
``alpha + beta`` (top eigenvalues of ``Y Y^T`` and ``Z Z^T``, eigenvectors ``a`` and ``b``), with
top direction ``DY = a (Z^T b)^T``, ``DZ = b (Y^T a)^T``.  Along it
``L(t) = t^2 |A|^2/2 + t^3 <A, B> + t^4 |B|^2/2`` with ``A = J(D) = (alpha + beta) a b^T`` and
``B = DY DZ^T = (b^T C a) a b^T`` -- both multiples of ``a b^T``.  Hence
``3 L'''^2 - L'' L'''' = 96 |A|^2 |B|^2 >= 0``, and it is **positive iff ``b^T C a != 0``**.

* At a **balanced** minimiser (``Y = Z``), ``a = b = u1`` and ``b^T C a = 1``: the claim holds.
* At an **unbalanced** one it can fail: ``C = diag(1, 1/4)``, ``Y = diag(1, 1/8)``,
  ``Z = diag(1, 2)`` has ``a = e1``, ``b = e2``, ``b^T C a = 0``: the cross-section is exactly
  quadratic, the paper's condition fails (while the exact multivariate flip coefficient is still
  supercritical, and GD drifts to a flatter, balanced minimiser).

>>> mf_cross_section("1,0;0,1/4", "1,0;0,1/8", "1,0;0,2").holds
False
>>> mf_cross_section("1,0;0,1/4", "1,0;0,1/2", "1,0;0,1/2").holds
True
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..errors import InputError
from ..parse import parse_constant

__all__ = ["mf_loss", "mf_cross_section", "MFCrossSection", "COUNTEREXAMPLE"]

#: The unbalanced minimiser where the paper's claim fails (C, Y, Z as row;row text).
COUNTEREXAMPLE = ("1,0;0,1/4", "1,0;0,1/8", "1,0;0,2")


def _matrix(text: str) -> sp.Matrix:
    rows = [[parse_constant(c) for c in row.split(",")] for row in text.split(";")]
    if len({len(r) for r in rows}) != 1 or len(rows) != len(rows[0]) or not 1 <= len(rows) <= 4:
        raise InputError(f"{text!r} is not a square matrix of size 1 to 4 (rows separated by ';')")
    return sp.Matrix(rows)


def mf_loss(c_text: str) -> tuple[str, str]:
    """``(expression, variables)`` of ``|Y Z^T - C|^2 / 2`` for the command line (``check
    --vars``): ``y11, y12, ...`` then ``z11, ...``."""
    C = _matrix(c_text)
    d = C.shape[0]
    ys = [[f"y{i}{j}" for j in range(1, d + 1)] for i in range(1, d + 1)]
    zs = [[f"z{i}{j}" for j in range(1, d + 1)] for i in range(1, d + 1)]
    terms = []
    for i in range(d):
        for j in range(d):
            entry = " + ".join(f"{ys[i][k]}*{zs[j][k]}" for k in range(d))
            terms.append(f"({entry} - ({sp.sstr(C[i, j])}))**2")
    variables = ",".join(v for row in ys for v in row) + "," + ",".join(v for row in zs for v in row)
    return "(" + " + ".join(terms) + ")/2", variables


@dataclass(frozen=True)
class MFCrossSection:
    """The structural cross-section at a minimiser: ``b^T C a`` and the three derivatives."""

    alpha_plus_beta: sp.Expr
    coupling: sp.Expr  # b^T C a, with a, b unit top eigenvectors of Y Y^T, Z Z^T
    second: sp.Expr
    third: sp.Expr
    fourth: sp.Expr
    top_simple: bool

    @property
    def quantity(self) -> sp.Expr:
        return sp.simplify(3 * self.third**2 - self.second * self.fourth)

    @property
    def holds(self) -> bool:
        return bool(sp.simplify(self.coupling) != 0)


def _top(m: sp.Matrix) -> tuple[sp.Expr, sp.Matrix, bool]:
    eig = sorted(m.eigenvects(), key=lambda t: -float(sp.N(t[0])))
    value, multiplicity, vectors = eig[0]
    v = vectors[0]
    return value, v / sp.sqrt((v.T * v)[0]), multiplicity == 1


def mf_cross_section(c_text: str, y_text: str, z_text: str) -> MFCrossSection:
    """Exact cross-section quantities along the top Hessian direction at the minimiser ``(Y, Z)``
    (``Y Z^T = C`` is checked)."""
    C, Y, Z = _matrix(c_text), _matrix(y_text), _matrix(z_text)
    if sp.simplify(Y * Z.T - C) != sp.zeros(*C.shape):
        raise InputError("(Y, Z) is not a minimiser: Y Z^T != C")
    alpha, a, simple_a = _top(Y * Y.T)
    beta, b, simple_b = _top(Z * Z.T)
    dY, dZ = a * (Z.T * b).T, b * (Y.T * a).T
    A = dY * Z.T + Y * dZ.T
    B = dY * dZ.T
    inner = lambda u, v: sum(u[i, j] * v[i, j] for i in range(u.rows) for j in range(u.cols))  # noqa: E731
    second, third, fourth = inner(A, A), 6 * inner(A, B), 12 * inner(B, B)
    coupling = sp.simplify((b.T * C * a)[0])
    return MFCrossSection(sp.simplify(alpha + beta), coupling, sp.simplify(second), sp.simplify(third),
                          sp.simplify(fourth), simple_a and simple_b)
