"""The Hessian ``H = D^2 f(xb)`` at a critical point: its eigen-structure (exact with sympy, or
certified with balls), its kernel, and whether the kernel is the tangent space of a manifold of
minima.

The top eigenvalue ``l1`` must be simple, positive and strictly above the rest, every other
eigenvalue ``>= 0``; a zero eigenvalue is only ever claimed on an exact proof (``H k = 0``).

>>> x, y = sp.symbols("x y")
>>> H = exact_hessian((x*y - 1)**2 / 2, (x, y), (sp.Integer(1), sp.Integer(1)))
>>> e = exact_eigen(H, "1,1")
>>> H.tolist(), e.eigenvalues, e.direction, [list(k) for k in e.kernel]
([[1, 1], [1, 1]], (2, 0), (1, 1), [[-1, 1]])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import sympy as sp
from sympy.matrices.exceptions import MatrixError  # (sympy 1.14 has no sympy.matrices.common)
from flint import arb, arb_mat

from ..core.decide import decide
from ..errors import InputError, brief
from ..core.jets import Undetermined, constant_enclosure, rungs
from ..linalg.eigen import CERTIFY_PRECISIONS, CertifiedEigen, CertifiedSpectrum, RepeatedTop
from .expansions import DirectionalExpansion

__all__ = ["exact_hessian", "NoExactEigen", "ExactEigen", "exact_eigen", "certified_spectrum", "certified_kernel", "flat_along_kernel",
           "MinimaManifold", "minima_manifold", "KERNEL_SECONDS", "ORDER_PRECISIONS"]


def exact_hessian(expr: sp.Expr, symbols: Sequence[sp.Symbol], point: Sequence[sp.Expr]) -> sp.Matrix:
    """``H_ij = d^2 f / dx_i dx_j`` at ``xb`` for ``f`` the ``expr`` in ``symbols``, exactly (sympy)
    at the exact ``point``.

    >>> x, y = sp.symbols("x y")
    >>> exact_hessian(x**2 * y, (x, y), (sp.Integer(1), sp.Integer(3)))
    Matrix([
    [6, 2],
    [2, 0]])
    """
    subs = dict(zip(symbols, point, strict=True))
    return sp.Matrix(len(symbols), len(symbols), lambda i, j: sp.diff(expr, symbols[i], symbols[j]).subs(subs))


#: The window of the one precision ladder tried to order two exact eigenvalues (distinct
#: algebraic numbers separate at some precision; the top rung bounds the effort).
ORDER_PRECISIONS = rungs(64, 16384)


def _exact_order(a: sp.Expr, b: sp.Expr) -> int | None:
    """``sign(a - b)`` for exact real constants: exact for rationals; otherwise certified balls
    that separate them (at rising precision), or 0 when ``a - b`` is proved zero; None when
    neither (floats never order eigenvalues).

    >>> _exact_order(1 + sp.Rational(1, 10**40), sp.Integer(1)), _exact_order(sp.sqrt(2), sp.Integer(3) / 2)
    (1, -1)
    """
    from ..core.decide import decide_ball, prove_zero

    if a.is_Rational and b.is_Rational:
        return int(bool(a > b)) - int(bool(a < b))
    if a == b:
        return 0
    order = decide_ball(lambda prec: constant_enclosure(a, prec) - constant_enclosure(b, prec), ORDER_PRECISIONS)
    if order.sign is not None:
        return order.sign
    return 0 if prove_zero(sp.expand(a - b)) else None


class _Unordered(Exception):
    """Two exact eigenvalues could be neither separated nor proved equal."""


def _sorted_eigenvects(hessian: sp.Matrix) -> list:
    """sympy's ``eigenvects``, largest eigenvalue first, ordered by :func:`_exact_order`."""
    from functools import cmp_to_key

    def compare(s, t):
        sign = _exact_order(s[0], t[0])
        if sign is None:
            raise _Unordered(f"{sp.sstr(s[0])[:40]} vs {sp.sstr(t[0])[:40]}")
        return -sign

    return sorted(hessian.eigenvects(), key=cmp_to_key(compare))


class NoExactEigen(Exception):
    """sympy's eigen-structure of the Hessian is unavailable or incomplete: the route may change
    (the certified one may still decide), so this is no verdict on the point.

    >>> str(NoExactEigen("the Hessian's exact eigen-decomposition is incomplete"))
    "the Hessian's exact eigen-decomposition is incomplete"
    """


@dataclass(frozen=True)
class ExactEigen:
    """The exact eigen-structure of a Hessian at a minimum: the ``eigenvalues`` with multiplicity,
    largest first, and their ``balls`` (128 bits); the simple ``top`` eigenvalue ``l1`` and its
    (unnormalised) eigenvector ``direction``; an exact basis ``kernel`` of ``ker H``.

    >>> e = exact_eigen(sp.Matrix([[3, 0], [0, 1]]), "0,0")
    >>> e.top, e.direction, e.kernel, e.balls[1]
    (3, (1, 0), [], 1.00000000000000)
    """

    eigenvalues: tuple[sp.Expr, ...]
    balls: tuple[arb, ...]
    top: sp.Expr
    direction: tuple[sp.Expr, ...]
    kernel: list[sp.Matrix]


def exact_eigen(hessian: sp.Matrix, at: str) -> ExactEigen:
    """The exact eigen-structure ``H = sum l_i q_i q_i^T`` of the symmetric ``hessian`` at the
    point printed as ``at``, checked to be a minimum's with a simple top eigenvalue: the order of
    the eigenvalues is exact (rationals, or balls raised until they separate, or a proof of
    equality), never read off floats.  :class:`NoExactEigen` when sympy gives no complete
    eigen-decomposition; :class:`~symbolic_eos.errors.InputError` when the point is refused.

    >>> exact_eigen(sp.Matrix([[2, 1], [1, 2]]), "0,0").eigenvalues
    (3, 1)
    >>> exact_eigen(sp.Matrix([[1, 0], [0, -1]]), "0,0")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: (0,0) is not a minimum: the Hessian has a negative eigenvalue
    """
    n = hessian.rows
    try:
        eigen = _sorted_eigenvects(hessian)
    except (NotImplementedError, MatrixError, InputError, _Unordered) as exc:
        raise NoExactEigen(f"the Hessian's eigen-structure could not be computed exactly ({type(exc).__name__})") from None
    if sum(m for _, m, _ in eigen) != n or any(len(vecs) != m for _, m, vecs in eigen):
        raise NoExactEigen("the Hessian's exact eigen-decomposition is incomplete")
    eigenvalues = tuple(v for v, m, _ in eigen for _ in range(m))
    balls = tuple(constant_enclosure(v, 128) for v in eigenvalues)
    top, multiplicity, vectors = eigen[0]
    if multiplicity > 1:
        raise InputError(f"the top Hessian eigenvalue {brief(sp.sstr(top))} is repeated (multiplicity {multiplicity}); "
                         "no single top direction")
    # The order is exact (rationals, or balls raised until they separate): a gap of 1e-40 between
    # the two top eigenvalues is resolved, never read as a repeated eigenvalue.
    if len(eigen) > 1 and _exact_order(top, eigen[1][0]) != 1:
        raise InputError("the top Hessian eigenvalue cannot be certified to be separated from the next one")
    signs = [_exact_order(v, sp.Integer(0)) for v, _, _ in eigen]
    if -1 in signs:
        raise InputError(f"({at}) is not a minimum: the Hessian has a negative eigenvalue")
    if signs[0] != 1:
        raise InputError(f"the Hessian vanishes at ({at})")
    if None in signs:
        raise InputError(f"the sign of a Hessian eigenvalue at ({at}) cannot be decided (zero or not)")
    q = tuple(vectors[0])  # exact entries, never nsimplify (heuristic: it may change the value)
    kernel = [k for (v, m, vecs), sign in zip(eigen, signs, strict=True) if sign == 0 for k in vecs]
    return ExactEigen(eigenvalues, balls, top, q, kernel)


def certified_spectrum(hessian: sp.Matrix, at: str) -> tuple[CertifiedEigen, CertifiedSpectrum]:
    """The certified spectrum of the exact symmetric ``hessian`` (:class:`CertifiedEigen`) at the
    lowest precision of :data:`~symbolic_eos.linalg.eigen.CERTIFY_PRECISIONS` that isolates a
    simple top eigenvalue, checked to be a minimum's (every eigenvalue not certified negative, the
    top one certified positive) at the point printed as ``at``.

    >>> eigen, spectrum = certified_spectrum(sp.Matrix([[sp.sqrt(2), 0], [0, 1]]), "0,0")
    >>> spectrum.top.overlaps(arb(2).sqrt()), spectrum.prec
    (True, 128)
    >>> certified_spectrum(sp.Matrix([[sp.sqrt(2), 0], [0, -1]]), "0,0")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: (0,0) is not a minimum: the Hessian has a negative eigenvalue
    >>> certified_spectrum(sp.sqrt(2) * sp.eye(2), "0,0")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: the top Hessian eigenvalue is repeated or cannot be separated from the next one (...): no single ...
    """
    eigen = CertifiedEigen(hessian)
    spectrum, repeated = None, None
    for prec in CERTIFY_PRECISIONS:
        try:
            spectrum = eigen.at(prec)
            break
        except RepeatedTop as exc:
            repeated = exc
        except Undetermined:
            continue
    if spectrum is None:
        if repeated is not None:
            raise InputError(f"the top Hessian eigenvalue is repeated or cannot be separated from the next one "
                             f"({repeated}; certified route): no single top direction")
        raise InputError("the Hessian's top eigenpair could not be certified (certified route)")
    if any(b < 0 for b in spectrum.intervals):
        raise InputError(f"({at}) is not a minimum: the Hessian has a negative eigenvalue")
    if not spectrum.top > 0:
        raise InputError(f"the top Hessian eigenvalue is not certified positive at ({at})")
    return eigen, spectrum


#: Wall-clock budget (seconds) for sympy's exact kernel of an irrational Hessian.
KERNEL_SECONDS = 10.0


def certified_kernel(eigen: CertifiedEigen, spectrum: CertifiedSpectrum) -> tuple[int | None, list | None]:
    """``(dim ker H, an exact basis of ker H)`` for the certified ``eigen`` with its ``spectrum``:
    the number of eigenvalues whose enclosure contains 0 when that many independent exact kernel
    vectors are proved (``H v = 0`` by :func:`~symbolic_eos.core.decide.prove_zero`); else
    ``(None, None)``.

    >>> eigen, spectrum = certified_spectrum(sp.Matrix([[sp.sqrt(2), 0], [0, 0]]), "0,0")
    >>> certified_kernel(eigen, spectrum)
    (1, [Matrix([
    [0],
    [1]])])
    """
    zeros = sum(1 for b in spectrum.intervals if b.contains(0))
    if zeros == 0:
        return 0, []
    kernel = _exact_kernel(eigen.exact)
    if kernel is None:
        return None, None
    for prec in (spectrum.prec,) + tuple(p for p in (512, 1024, 2048) if p > spectrum.prec):
        try:
            s = eigen.at(prec)
        except Undetermined:
            continue
        zeros = sum(1 for b in s.intervals if b.contains(0))
        if zeros == len(kernel):
            return zeros, kernel
        if zeros < len(kernel):  # cannot happen for a correct kernel; never claim anything then
            return None, None
    return None, None


def _exact_kernel(hessian: sp.Matrix) -> list[sp.Matrix] | None:
    """Exact kernel vectors of ``hessian`` (sympy's nullspace, each ``H v = 0`` then proved
    entry by entry); None when sympy gives nothing usable within :data:`KERNEL_SECONDS`.  The
    vectors are independent by construction (identity at the free columns)."""
    from ..core.decide import within_seconds, prove_zero

    vectors = within_seconds(lambda m: m.nullspace(), hessian, KERNEL_SECONDS)
    if not vectors:
        return None
    for v in vectors:
        if not all(prove_zero(sp.expand(e)) for e in hessian * v):
            return None
    free = [[i for i in range(v.rows) if v[i] == 1] for v in vectors]
    if not all(f for f in free):
        return None
    return list(vectors)


def flat_along_kernel(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: Sequence[sp.Expr], kernel: list[sp.Matrix],
                       at: str) -> bool | None:
    """Whether ``f(xb + t k) - f(xb) = O(t^4)`` with a non-negative quartic term along each line of
    the ``kernel`` (exact vectors), as on a (possibly curved) manifold of minima, for ``f`` the
    ``expr`` in ``symbols`` at ``xb`` the ``point`` (printed as ``at``): True when proved, None when
    undecided or the kernel is empty; a certain cubic or negative quartic term means a saddle
    (:class:`~symbolic_eos.errors.InputError`).

    >>> x, y = sp.symbols("x y")
    >>> origin = (sp.Integer(0), sp.Integer(0))
    >>> flat_along_kernel(x**2 + y**4, (x, y), origin, [sp.Matrix([0, 1])], "0,0")
    True
    >>> flat_along_kernel(x**2 + y**3, (x, y), origin, [sp.Matrix([0, 1])], "0,0")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: (0,0) is not a minimum: f changes sign at order 3 or 4 along a zero-curvature direction
    """
    if not kernel:
        return None
    flat: bool | None = True
    for k in kernel:
        line = DirectionalExpansion(expr, symbols, point, tuple(k), 4)
        cubic, quartic = decide(lambda c: c[3], line), decide(lambda c: c[4], line)
        if cubic.sign != 0 or quartic.sign not in (0, 1):
            if cubic.sign in (-1, 1) or quartic.sign == -1:
                raise InputError(f"({at}) is not a minimum: f changes sign at order 3 or 4 along a zero-curvature direction")
            flat = None
    return flat


@dataclass(frozen=True)
class MinimaManifold:
    """Whether ``ker H`` is proved to be the tangent space of a manifold of minima through ``xb``
    (the hypothesis under which the sharpness gradient :class:`SharpnessGradient` decides what
    GD does).  ``proved`` is True or False ("not proved", never "disproved"); ``reason`` says
    why.

    >>> from symbolic_eos import check_multivariate
    >>> m = check_multivariate("(x*y - 1)**2/2", "x,y", "1,1", simulate=False).manifold
    >>> m.proved, m.reason.startswith("f = w r^2 + const")
    (True, True)
    """

    proved: bool
    reason: str

    def to_text(self) -> str:
        return ("proved: " if self.proved else "not proved: ") + self.reason


def _vanishes(value: sp.Expr) -> bool:
    """``value`` (a number) is proved to be 0."""
    from ..core.decide import prove_zero

    return value == 0 or (value.is_number and prove_zero(value))


def _weighted_squares(expr: sp.Expr, subs: dict) -> list[tuple[sp.Expr, sp.Expr]] | str:
    """``[(w_i, r_i)]`` with ``expr = sum w_i r_i^2 + const``, read off the expression tree (never
    by expanding): each non-constant term is one factor ``r^(2j)`` with ``r`` proved to vanish at
    the point (then ``r_i = r^j``) times a weight certified positive at the point (so positive
    near it).  A string says why ``expr`` is not recognised."""
    out: list[tuple[sp.Expr, sp.Expr]] = []
    for term in sp.Add.make_args(expr):
        if term.is_number:
            continue
        factors = sp.Mul.make_args(term)
        squares = [a for a in factors if a.is_Pow and a.exp.is_Integer and a.exp > 0 and a.exp % 2 == 0
                   and not a.base.is_number and _vanishes(a.base.subs(subs))]
        if len(squares) != 1:
            return f"the term {sp.sstr(term)[:60]} is not recognised as a weight times the square of a residual vanishing at the point"
        (square,) = squares
        weight = sp.Mul(*[a for a in factors if a is not square])
        try:
            positive = constant_enclosure(weight.subs(subs), 128) > 0
        except (InputError, Undetermined, ZeroDivisionError):
            positive = False
        if not positive:
            return f"the weight {sp.sstr(weight)[:60]} of a squared residual is not certified positive at the point"
        residual = square.base ** (square.exp // 2)
        # The same residual in several terms: one square, with the (positive) sum of the weights.
        same = [i for i, (_, r) in enumerate(out) if r == residual]
        if same:
            out[same[0]] = (out[same[0]][0] + weight, residual)
        else:
            out.append((weight, residual))
    return out or "f has no squared residual"


def minima_manifold(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: Sequence[sp.Expr], dimension: int) -> MinimaManifold:
    """Prove that the minima of ``f`` (the ``expr`` in ``symbols``) near ``xb`` (the ``point``)
    form a manifold of dimension ``dimension`` (the kernel's) through ``xb`` whose tangent
    spaces are the kernels of the Hessian.

    The proof covered: ``f = sum_i w_i r_i^2 + const`` (least squares, read off the expression
    tree) with weights ``w_i`` certified positive at ``xb`` (hence near it), every residual
    ``r_i(xb) = 0`` (proved), and the Jacobian ``J`` of ``(r_1, ..., r_k)`` at ``xb`` of full row
    rank ``k = n - dimension``.  Then near ``xb`` ``f >= const`` with equality exactly on
    ``{r = 0}``, a submanifold of dimension ``n - k`` (``r`` is a submersion there); on it
    ``H = 2 J^T diag(w) J``, so its tangent space ``ker J`` is ``ker H``.  Anything else is "not
    proved" (never "disproved").

    >>> x, y = sp.symbols("x y")
    >>> minima_manifold((x*y - 1)**2/2, (x, y), (sp.Integer(2), sp.Rational(1, 2)), 1).proved
    True
    >>> minima_manifold(x**2/2 + x**2*y + y**4, (x, y), (sp.Integer(0), sp.Integer(0)), 1).proved  # undecided: weight y not > 0
    False
    """
    n = len(symbols)
    subs = dict(zip(symbols, point, strict=True))
    squares = _weighted_squares(expr, subs)
    if isinstance(squares, str):
        return MinimaManifold(False, f"{squares}, and no other proof is attempted")
    k = len(squares)
    residuals = [r for _, r in squares]
    if n - k != dimension:
        return MinimaManifold(False, f"{k} squared residuals in {n} variables do not match a kernel of dimension {dimension}")
    J = sp.Matrix(k, n, lambda i, j: sp.diff(residuals[i], symbols[j]).subs(subs))
    full = None
    if all(e.is_Rational for e in J):
        full = J.rank() == k
    else:
        from ..core.decide import decide_ball

        def gram(prec: int) -> arb:
            """``det(J J^T)`` at ``prec`` bits: positive iff the gradients are independent."""
            try:
                B = arb_mat([[constant_enclosure(J[i, j], prec) for j in range(n)] for i in range(k)])
            except InputError as exc:
                raise Undetermined(str(exc)) from exc
            return (B * B.transpose()).det()

        full = decide_ball(gram, rungs(128, 2048)).sign == 1 or None
    if not full:
        return MinimaManifold(False, "the residuals' gradients are not proved independent at the point")
    what = ("f = w r^2 + const with w > 0 near the point, r = 0 there and grad r != 0" if k == 1 else
            f"f = sum of w_i r_i^2 (+ const) over {k} residuals, w_i > 0 near the point, r_i = 0 there with independent gradients")
    return MinimaManifold(True, f"{what}, so {{r = 0}} is a manifold of minima of dimension {n - k} through it, tangent to ker H")
