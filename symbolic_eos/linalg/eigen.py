"""Certified eigen-structure of a real symmetric matrix with exact (sympy) entries, in ball
arithmetic: eigenvalue enclosures ``H = V M V^{-1}`` with Gershgorin discs of ``M``, the unit top
eigenvector to within ``sqrt(2) |H v - mu v| / gap``, the pseudo-inverse ``H^+`` on a proved
kernel, and exact proofs that ``v^T M v = 0`` for a top eigenvector known only as a ball.

>>> import sympy as sp
>>> s = CertifiedEigen(sp.Matrix([[2, 1], [1, 2]])).at(128)
>>> s.top.overlaps(arb(3)), s.intervals[1].overlaps(arb(1)), [c.overlaps(arb(2).sqrt() / 2) for c in s.direction]
(True, True, [True, True])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp
from flint import arb, arb_mat, ctx

from ..core.numbers import enclosure_text
from ..core.jets import (
    arb_to_fmpq,
    Undetermined,
    constant_enclosure,
    rungs,
)

__all__ = ["RepeatedTop", "CertifiedSpectrum", "CertifiedEigen", "CERTIFY_PRECISIONS", "first_spectrum", "vanishes_on_top_eigenvector"]


#: Precisions tried to isolate the top eigenvalue on the certified route.  Not a sign decision
#: (each rung re-runs the ball eigen-solver and Krawczyk isolation, whose cost grows fast with the
#: bits), so it is its own window of the one ladder, starting where isolation first succeeds.
CERTIFY_PRECISIONS = rungs(128, 1024)


class RepeatedTop(Undetermined):
    """The top Gershgorin cluster holds ``count`` eigenvalues, all in ``interval``, at this
    precision (a repeated top eigenvalue, or one not yet separated: try more bits).

    >>> import sympy as sp
    >>> CertifiedEigen(sp.Matrix([[1, 0], [0, 1]])).at(128)
    Traceback (most recent call last):
    ...
    symbolic_eos.linalg.eigen.RepeatedTop: 2 eigenvalues lie in 1.000000000
    """

    def __init__(self, count: int, interval: arb) -> None:
        super().__init__(f"{count} eigenvalues lie in {enclosure_text(interval, 10)}")
        self.count, self.interval = count, interval


@dataclass(frozen=True)
class CertifiedSpectrum:
    """The Hessian's spectrum at one precision, certified: ``intervals[i]`` encloses the i-th
    largest eigenvalue (members of a cluster share the cluster's interval); ``clusters`` groups
    indices whose Gershgorin discs could not be separated; ``direction`` encloses the unit top
    eigenvector (oriented so that its component ``orientation`` is positive); ``hessian`` is the
    ball matrix at ``prec`` bits.

    >>> import sympy as sp
    >>> s = CertifiedEigen(sp.Matrix([[3, 0], [0, 1]])).at(128)
    >>> s.prec, s.clusters, s.orientation, s.top.overlaps(arb(3)), s.hessian.nrows()
    (128, ((0,), (1,)), 0, True, 2)
    """

    prec: int
    hessian: arb_mat
    intervals: tuple[arb, ...]
    clusters: tuple[tuple[int, ...], ...]
    direction: tuple[arb, ...]
    orientation: int

    @property
    def top(self) -> arb:
        return self.intervals[0]


class CertifiedEigen:
    """Certified eigen-structure of a real symmetric Hessian given by exact sympy entries,
    from arb enclosures of the entries (:func:`constant_enclosure`) and ``arb_mat`` products:

    * **eigenvalues**: ``V`` approximates the eigenvectors (mpmath ``eigsy`` on the midpoints: a
      float guess, never trusted); ``M = V^{-1} H V`` is computed in ball arithmetic, so its
      eigenvalues are exactly those of ``H``.  By Gershgorin's theorem, a connected union of
      ``k`` discs ``|z - M_ii| <= sum_{j != i} |M_ij|`` (disjoint from the others) contains exactly
      ``k`` eigenvalues; they are real since ``H`` is symmetric.  The top eigenvalue is simple and
      strictly above the rest when its disc is a cluster of its own.
    * **top eigenvector**: for the unit vector ``v = w/|w|`` (``w`` the float guess) and any
      ``mu``, ``|H v - mu v| >= delta sin(theta)`` with ``delta = min_{i>1} |l_i - mu|`` and
      ``theta`` the angle between ``v`` and the top eigenvector ``q`` (expand ``v`` in the
      eigenbasis).  So ``|q - v| <= sqrt(2) |H v - mu v| / delta`` for the sign of ``q`` with
      ``q.v > 0``, and ``v + [-rho, rho]^n`` encloses ``q``.  ``mu`` is the midpoint of the top
      interval, ``delta`` is bounded below by the gap to the other intervals.

    * **exact zeros**: when the exact Hessian is block diagonal (up to a permutation; entries
      that are literally 0), the eigenvector of the simple top eigenvalue lives in one block:
      the block of the component certified positive.  Its other components are exactly 0.

    Every step is a ball operation; a failure at one precision raises
    :class:`~symbolic_eos.core.jets.Undetermined` (try more bits).  ``hessian`` is the exact
    sympy matrix; :meth:`at` gives the :class:`CertifiedSpectrum` at a precision (cached).

    >>> import sympy as sp
    >>> eigen = CertifiedEigen(sp.Matrix([[sp.sqrt(2), 0, 0], [0, 1, 1], [0, 1, 1]]))
    >>> s = eigen.at(128)
    >>> s.direction[0], [c.overlaps(arb(2).sqrt() / 2) for c in s.direction[1:]]  # exact 0 off its block
    (0, [True, True])
    >>> eigen.block, s.intervals[0].overlaps(arb(2)), s.intervals[1].overlaps(arb(2).sqrt())
    ([0, 2, 2], True, True)
    """

    def __init__(self, hessian: sp.Matrix) -> None:
        self.exact = hessian
        self.n = hessian.rows
        self.block = _blocks(hessian)
        self.orientation: int | None = None
        self._cache: dict[int, CertifiedSpectrum] = {}
        self._pinv: dict[int, arb_mat] = {}
        self.kernel: list[sp.Matrix] | None = None  # exact kernel basis, when proved

    def ball_hessian(self, prec: int) -> arb_mat:
        with ctx.workprec(prec):
            return arb_mat([[constant_enclosure(self.exact[i, j], prec) for j in range(self.n)] for i in range(self.n)])

    def at(self, prec: int) -> CertifiedSpectrum:
        prec = max(prec, 64)
        if prec not in self._cache:
            self._cache[prec] = self._compute(prec)
        return self._cache[prec]

    def _compute(self, prec: int) -> CertifiedSpectrum:
        import mpmath

        n = self.n
        H = self.ball_hessian(prec)
        with ctx.workprec(prec):
            if not all(H[i, j].is_finite() for i in range(n) for j in range(n)):
                raise Undetermined("the Hessian entries could not be enclosed")
            with mpmath.workprec(prec):
                mid = mpmath.matrix([[mpmath.mpf(tuple(int(a) for a in H[i, j].mid().man_exp())) for j in range(n)] for i in range(n)])
                values, vectors = mpmath.eigsy(mid)
                order = sorted(range(n), key=lambda k: -values[k])
                V = arb_mat([[arb(vectors[i, k]) for k in order] for i in range(n)])
            try:
                M = V.inv() * H * V
            except ZeroDivisionError:
                raise Undetermined("the approximate eigenvectors are not invertible") from None
            discs = []
            for i in range(n):
                radius = sum((abs(M[i, j]) for j in range(n) if j != i), arb(0))
                discs.append((M[i, i] - radius).union(M[i, i] + radius))
            if not all(d.is_finite() for d in discs):
                raise Undetermined("the Gershgorin discs are not finite")
            clusters = _merge_intervals(discs)
            intervals: list[Any] = [None] * n  # every index lies in one cluster
            for group in clusters:
                hull = discs[group[0]]
                for i in group[1:]:
                    hull = hull.union(discs[i])
                for i in group:
                    intervals[i] = hull
            top_group = clusters[-1]  # the clusters come in increasing position
            if len(top_group) > 1:
                raise RepeatedTop(len(top_group), intervals[top_group[0]])
            (t,) = top_group
            others = [intervals[i] for i in range(n) if i != t]
            # Clusters are sorted by position: put the top first, the rest by midpoint, descending.
            rest = sorted((i for i in range(n) if i != t), key=lambda i: -float(intervals[i].mid()))
            intervals = [intervals[t]] + [intervals[i] for i in rest]
            index = {old: new for new, old in enumerate([t] + rest)}
            renumbered = tuple(tuple(sorted(index[i] for i in g)) for g in sorted(clusters, key=lambda g: index[g[0]]))
            top = intervals[0]
            direction = self._direction(H, V, t, top, others, prec)
        assert self.orientation is not None  # _direction sets it
        return CertifiedSpectrum(prec, H, tuple(intervals), renumbered, direction, self.orientation)

    def _direction(self, H: arb_mat, V: arb_mat, t: int, top: arb, others: list[arb], prec: int) -> tuple[arb, ...]:
        n = self.n
        w = [V[i, t] for i in range(n)]  # exact binary numbers (a float guess)
        if self.orientation is None:
            self.orientation = max(range(n), key=lambda i: abs(float(w[i])))
        k = self.orientation
        if w[k] < 0:
            w = [-c for c in w]
        norm = sum((c * c for c in w), arb(0)).sqrt()
        v = [c / norm for c in w]
        mu = top.mid()
        bound = None
        for o in others:
            if bound is None or o.upper() > bound:
                bound = o.upper()
        if bound is None:
            rho = arb(0)
        else:
            delta = mu - bound
            if not delta > 0:
                raise Undetermined("no certified gap below the top eigenvalue")
            r = arb_mat([[c] for c in v])
            r = H * r - r * mu
            res = sum((r[i, 0].abs_upper() ** 2 for i in range(n)), arb(0)).sqrt()  # an upper bound of |r|
            rho = arb(2).sqrt() * res / delta
            if not rho < arb(1) / (4 * n):
                raise Undetermined("the top eigenvector enclosure is too wide")
        q = tuple(c + arb(0, rho.upper()) for c in v)
        if not q[k] > 0:
            raise Undetermined("the orientation of the top eigenvector is not certified")
        return tuple(c if self.block[i] == self.block[k] else arb(0) for i, c in enumerate(q))

    def pinv(self, prec: int) -> arb_mat:
        """A ball enclosure of ``H^+``: ``(H + P)^{-1} - P`` with ``P`` the orthogonal projector
        on the (exactly proved) kernel; ``H^{-1}`` when the kernel is trivial."""
        if self.kernel is None:
            raise Undetermined("the kernel of the Hessian is not known exactly")
        if prec not in self._pinv:
            H = self.ball_hessian(prec)
            with ctx.workprec(prec):
                try:
                    if not self.kernel:
                        self._pinv[prec] = H.inv()
                    else:
                        K = arb_mat([[constant_enclosure(v[i], prec) for v in self.kernel] for i in range(self.n)])
                        P = K * (K.transpose() * K).inv() * K.transpose()
                        self._pinv[prec] = (H + P).inv() - P
                except ZeroDivisionError:
                    raise Undetermined("the pseudo-inverse could not be enclosed") from None
        return self._pinv[prec]


def _blocks(hessian: sp.Matrix) -> list[int]:
    """A block label per coordinate: the connected components of the graph with an edge where
    the exact entry is not literally 0 (an unrecognised zero only merges blocks: safe)."""
    n = hessian.rows
    label = list(range(n))

    def find(i):
        while label[i] != i:
            i = label[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if hessian[i, j] != 0 or hessian[j, i] != 0:
                label[find(i)] = find(j)
    return [find(i) for i in range(n)]


def _merge_intervals(discs: list[arb]) -> list[tuple[int, ...]]:
    """Groups of indices whose intervals are chained by overlaps, in increasing position (merged
    whenever not certainly disjoint: a coarser grouping still has the right eigenvalue count).
    Endpoints are exact binary numbers, compared exactly."""
    from functools import cmp_to_key

    def compare(i: int, j: int) -> int:
        a, b = discs[i].lower(), discs[j].lower()
        return -1 if a < b else 1 if a > b else 0

    groups: list[list[int]] = []
    high = arb(0)  # set with the first group
    for i in sorted(range(len(discs)), key=cmp_to_key(compare)):
        if groups and not discs[i].lower() > high:
            groups[-1].append(i)
            if discs[i].upper() > high:
                high = discs[i].upper()
        else:
            groups.append([i])
            high = discs[i].upper()
    hulls = []
    for g in groups:
        hull = discs[g[0]]
        for i in g[1:]:
            hull = hull.union(discs[i])
        hulls.append(hull)
    if any(not hulls[k].upper() < hulls[k + 1].lower() for k in range(len(hulls) - 1)):
        raise Undetermined("the Gershgorin clusters are not certainly disjoint")
    return [tuple(g) for g in groups]


def first_spectrum(eigen: CertifiedEigen) -> CertifiedSpectrum:
    """The certified spectrum of ``eigen`` at the lowest precision of :data:`CERTIFY_PRECISIONS`
    that gives one (:class:`~symbolic_eos.core.jets.Undetermined` when none does).

    >>> import sympy as sp
    >>> first_spectrum(CertifiedEigen(sp.Matrix([[2, 1], [1, 2]]))).prec
    128
    >>> first_spectrum(CertifiedEigen(sp.eye(2)))  # a double top eigenvalue has no single eigenvector
    Traceback (most recent call last):
    ...
    symbolic_eos.core.jets.Undetermined: the top eigenpair could not be certified
    """
    for prec in CERTIFY_PRECISIONS:
        try:
            return eigen.at(prec)
        except Undetermined:
            continue
    raise Undetermined("the top eigenpair could not be certified")


def _algebraic(value: sp.Expr) -> bool:
    """Built from rationals with ``+ - * /`` and rational powers (sympy's algebraic-field
    arithmetic is exact on such numbers; with transcendental constants it would assume too much)."""
    return all(node.is_Rational or node.is_Add or node.is_Mul or (node.is_Pow and node.exp.is_Rational)
               for node in sp.preorder_traversal(value))


def vanishes_on_top_eigenvector(H: sp.Matrix, M: sp.Matrix, interval: arb) -> bool:
    """True only when ``v^T M v = 0`` is proved for the eigenvector ``v`` of the simple eigenvalue
    ``l1`` of the exact symmetric ``H`` that ``interval`` isolates (it holds no other eigenvalue),
    although ``v`` itself is known only as a ball.

    For a simple eigenvalue ``adj(l1 I - H) = p'(l1) v v^T`` (``p`` the characteristic
    polynomial, ``|v| = 1``), so ``v^T M v = N(l1) / p'(l1)`` with ``N(lam) = tr(M adj(lam I - H))``,
    the coefficient of ``e`` in ``det(lam I - H + e M)``.  ``N(l1) = 0`` iff ``l1`` is a root of
    ``G = gcd(N, p)`` (exact, over the algebraic field of the entries); the roots of ``G`` are
    eigenvalues, ``interval`` holds only ``l1`` and it is simple, so that happens iff ``G``
    changes sign between the interval's ends (certified balls).  ``N = 0`` proves it at once.

    >>> import sympy as sp
    >>> H = sp.Matrix([[2, 1], [1, 2]])  # top eigenvector (1, 1)/sqrt(2)
    >>> top = arb(3).union(arb(3) + arb(10) ** -20)
    >>> vanishes_on_top_eigenvector(H, sp.Matrix([[1, 0], [0, -1]]), top), vanishes_on_top_eigenvector(H, sp.eye(2), top)
    (True, False)
    """
    if not all(_algebraic(e) for e in list(H) + list(M)):
        return False
    lam, e = sp.Dummy("lam"), sp.Dummy("e")
    n = H.rows
    D = (lam * sp.eye(n) - H + e * M).det(method="berkowitz")
    N = sp.expand(sp.diff(D, e).subs(e, 0))
    if N == 0:
        return True
    try:
        G = sp.gcd(sp.Poly(N, lam, extension=True), sp.Poly(sp.expand(D.subs(e, 0)), lam, extension=True))
    except (sp.polys.polyerrors.PolynomialError, NotImplementedError):
        return False
    if G.degree() < 1:
        return False
    from functools import partial

    from ..core.decide import decide_ball

    g = G.as_expr()
    signs = []
    for end in (interval.lower(), interval.upper()):
        q = arb_to_fmpq(end)
        at = g.subs(lam, sp.Rational(int(q.p), int(q.q)))
        # One rung: the ends are rational, far from the eigenvalue the interval isolates; a
        # root at an end proves no sign change inside, so an exact 0 decides nothing here.
        signs.append(decide_ball(partial(constant_enclosure, at), (256,), zero_is_proof=False).sign)
    return None not in signs and signs[0] != signs[1]
