"""What decides the flip in several variables at a minimum with top eigenpair ``(l1, q)``: the
sharpness gradient ``P_ker D^3 f[q, q, .]`` along the kernel of the Hessian (when it is not zero
GD drifts to flatter minima instead), and the multivariate flip coefficient

    -2c,  c = (eta0/6) (3 g^T H^+ g - D^4 f[q,q,q,q]) / |q|^4,  g = D^3 f[q, q, .],  eta0 = 2/l1,

with the top direction exact (sympy) or a certified ball (:class:`~symbolic_eos.linalg.eigen.CertifiedEigen`).

>>> x, y = sp.symbols("x y")
>>> one = (sp.Integer(1), sp.Integer(1))
>>> flip, note = multivariate_flip((x*y - 1)**2 / 2, (x, y), one, one, sp.Matrix([[1, 1], [1, 1]]), sp.Integer(2))
>>> flip.exact, flip.rigor, note
(-8, 'exact', '')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence, cast

import sympy as sp
from flint import arb, ctx, fmpq

from ..core.decide import Decision, as_sympy, decide
from ..core.numbers import decimal_string, enclosure_text
from ..errors import InputError
from ..core.jets import NotRational, Undetermined, constant_enclosure, to_fmpq
from ..core.vocabulary import Rigor, SharpnessStatus
from ..linalg.eigen import CertifiedEigen, first_spectrum, vanishes_on_top_eigenvector
from .expansions import BallDirectionalExpansion, DirectionalExpansion

__all__ = ["SharpnessGradient", "sharpness_gradient", "multivariate_flip", "certified_flip", "ZERO_PROOF_SECONDS"]


@dataclass(frozen=True)
class SharpnessGradient:
    """The first-order change of the sharpness ``l1`` along the kernel of the Hessian.

    For a simple top eigenvalue with unit eigenvector ``v``, eigenvalue perturbation gives
    ``d l1 (H(xb + s k)) / ds = v^T D^3 f[k] v = D^3 f[v, v, k]`` at ``s = 0``: the gradient of the
    sharpness is ``g = D^3 f[v, v, .]``.  Along a manifold of minima through ``xb`` (tangent space
    ``ker H``) the sharpness changes at first order by ``P_ker g``.  ``components[i]`` is
    ``D^3 f[v, v, k_i]`` for the exact kernel basis vectors ``basis[i]`` (as given, not
    normalised), ``vector`` is ``P_ker g`` in coordinates (basis-free) and ``norm_squared`` is
    ``|P_ker g|^2 = c^T (K^T K)^{-1} c`` (``c`` the components, ``K`` the basis as columns).

    ``status`` (a :class:`~symbolic_eos.core.vocabulary.SharpnessStatus`): ``nonzero`` (proved:
    the flip coefficient does not apply), ``zero`` (proved: it applies) or ``undecided``.

    >>> from symbolic_eos import check_multivariate
    >>> r = check_multivariate("(x*y - 1)**2/2", "x,y", "2,1/2", simulate=False)
    >>> s = r.sharpness_gradient
    >>> s.status, s.norm_exact, s.rigor
    ('nonzero', '15*sqrt(17)/17', 'exact')
    """

    basis: tuple[tuple[sp.Expr, ...], ...]
    components: tuple[Decision, ...]
    vector: tuple[Decision, ...]
    norm_squared: Decision

    @property
    def status(self) -> SharpnessStatus:
        if self.norm_squared.sign == 1 or any(d.sign in (-1, 1) for d in self.components):
            return SharpnessStatus.NONZERO
        if self.norm_squared.sign == 0 or all(d.sign == 0 for d in self.components):
            return SharpnessStatus.ZERO
        return SharpnessStatus.UNDECIDED

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """The facts the status rests on."""
        if self.status is SharpnessStatus.NONZERO:
            return (self.norm_squared,) if self.norm_squared.sign == 1 else tuple(d for d in self.components if d.sign in (-1, 1))[:1]
        if self.status is SharpnessStatus.ZERO:
            return (self.norm_squared,) if self.norm_squared.sign == 0 else self.components
        return self.components + (self.norm_squared,)

    @property
    def rigor(self) -> Rigor | None:
        if self.status is SharpnessStatus.UNDECIDED:
            return None
        return Rigor.EXACT if all(d.rigor == Rigor.EXACT for d in self.decisions) else Rigor.CERTIFIED

    @property
    def norm_exact(self) -> str | None:
        """``|P_ker g|`` in closed form, when its square is known exactly."""
        if self.norm_squared.exact is None:
            return None
        return sp.sstr(sp.sqrt(as_sympy(self.norm_squared.exact)))

    def norm_enclosure(self) -> arb | None:
        """A ball for ``|P_ker g|`` (None when its square is undecided or not finite)."""
        d = self.norm_squared
        if d.exact is not None:
            return constant_enclosure(sp.sqrt(as_sympy(d.exact)), 128)
        if d.enclosure is None or d.sign is None or not d.enclosure.is_finite():
            return None
        with ctx.workprec(max(ctx.prec, 128)):
            return d.enclosure.sqrt() if d.sign == 1 else arb(0)

    def norm_text(self, digits: int = 15) -> str:
        """``|P_ker g|``: the closed form and a decimal when exact, else a printed enclosure."""
        if self.norm_exact is not None:
            decimal = decimal_string(sp.sqrt(as_sympy(self.norm_squared.exact)), digits)
            return self.norm_exact if self.norm_exact == decimal.rstrip("0").rstrip(".") else f"{self.norm_exact} = {decimal}"
        ball = self.norm_enclosure()
        return "undecided" if ball is None else enclosure_text(ball, digits)

    def to_dict(self) -> dict:
        ball = self.norm_enclosure()
        return {
            "status": self.status,
            "rigor": self.rigor,
            "kernel_basis": [[sp.sstr(c) for c in k] for k in self.basis],
            "components": [d.text(17) if d.sign is not None else None for d in self.components],
            "components_exact": [d.exact_text() for d in self.components],
            "vector": [d.text(17) if d.sign is not None else None for d in self.vector],
            "vector_exact": [d.exact_text() for d in self.vector],
            "norm": None if ball is None else (decimal_string(sp.sqrt(as_sympy(self.norm_squared.exact)), 17)
                                               if self.norm_squared.exact is not None else decimal_string(ball, 17)),
            "norm_exact": self.norm_exact,
            "norm_enclosure": None if ball is None else enclosure_text(ball, 20),
        }

    def summary(self, digits: int = 15) -> str:
        """One line for the text and Markdown tables."""
        if self.status is SharpnessStatus.ZERO:
            return (f"P_ker D^3 f[v,v,.] = 0 ({self.rigor}): the sharpness is stationary along ker H to first order, "
                    "so the flip coefficient applies")
        vector = "(" + ", ".join(d.short(digits, 24) if d.sign is not None else "?" for d in self.vector) + ")"
        if self.status is SharpnessStatus.NONZERO:
            return f"gradient P_ker D^3 f[v,v,.] = {vector}, |P_ker g| = {self.norm_text(digits)} ({self.rigor}): non-zero"
        return f"undecided whether P_ker D^3 f[v,v,.] = {vector} vanishes"


class _Constants:
    """Exact sympy constants with the interface of an expansion (``exact`` / ``balls`` /
    ``symbolic``, see :func:`symbolic_eos.core.decide.decide`), so that quantities built from them
    are decided like every other sign.  With ``closed_forms=False`` only balls are offered (the
    quantity then mixes in ball-only data, such as a certified eigenvector)."""

    def __init__(self, values: Sequence[Any], closed_forms: bool = True) -> None:
        self.values = tuple(sp.sympify(v) for v in values)
        self.closed_forms = closed_forms
        self._balls: dict[int, tuple[arb, ...]] = {}

    @property
    def exact(self):
        if self.closed_forms and all(v.is_Rational for v in self.values):
            return tuple(to_fmpq(v) for v in self.values)
        return None

    def balls(self, prec: int) -> tuple[arb, ...]:
        if prec not in self._balls:
            self._balls[prec] = tuple(constant_enclosure(v, prec) for v in self.values)
        return self._balls[prec]

    @property
    def symbolic(self):
        return self.values if self.closed_forms else ()


def _exact_zero_or_value(value: sp.Expr) -> sp.Expr:
    """``value`` itself, or a literal 0 when it is proved to vanish (so that a ball product with
    it is an exact zero); a value a cheap ball shows non-zero skips the proof."""
    from ..core.decide import prove_zero

    if value.is_Rational:
        return value
    try:
        if not constant_enclosure(value, 64).contains(0):
            return value
    except (InputError, Undetermined, ZeroDivisionError):
        pass
    return sp.Integer(0) if prove_zero(value) else value


def _third_derivatives(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: Sequence[sp.Expr], rows: list[int], cols: list[int]) -> dict:
    """Exact ``T[a, b, c] = d^3 f / dx_a dx_b dx_c`` at ``xb`` for ``a <= b`` in ``rows`` and ``c``
    in ``cols`` (proved zeros as literal 0)."""
    subs = dict(zip(symbols, point, strict=True))
    out = {}
    for i, a in enumerate(rows):
        for b in rows[i:]:
            second = sp.diff(expr, symbols[a], symbols[b])
            for c in cols:
                value = sp.diff(second, symbols[c]).subs(subs)
                if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I) or not value.is_number:
                    raise Undetermined("a third derivative is not finite and real at the point")
                out[a, b, c] = _exact_zero_or_value(value)
    return out


def sharpness_gradient(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: Sequence[sp.Expr], kernel: list[sp.Matrix],
                       direction: Sequence[sp.Expr] | CertifiedEigen) -> SharpnessGradient:
    """:class:`SharpnessGradient` at ``xb`` for the exact kernel basis ``kernel`` (sympy column
    vectors) and the top eigenvector ``direction``: an exact tuple (any length) on the exact
    route, or a :class:`CertifiedEigen` (its unit ball eigenvector) on the certified route.

    ``g_c = D^3 f[v, v, e_c] = sum_{a,b} v_a v_b T_abc`` from the exact third derivatives ``T``
    (only ``a, b`` in the support of ``v``, ``c`` in that of the kernel), so that a term whose
    third derivative is proved zero is an exact zero even beside a ball ``v``.  ``expr`` is ``f``
    in ``symbols`` and ``point`` is ``xb``.

    >>> x, y = sp.symbols("x y")
    >>> s = sharpness_gradient((x*y - 1)**2 / 2, (x, y), (sp.Integer(2), sp.Rational(1, 2)), [sp.Matrix([-4, 1])], (1, 4))
    >>> s.status, [d.exact_text() for d in s.vector], s.norm_exact
    ('nonzero', ['60/17', '-15/17'], '15*sqrt(17)/17')
    >>> sharpness_gradient(x**2/2 + x**2 * sp.sqrt(y), (x, y), (sp.Integer(0), sp.Integer(0)), [sp.Matrix([0, 1])], (1, 0))
    Traceback (most recent call last):
    ...
    symbolic_eos.core.jets.Undetermined: a third derivative is not finite and real at the point
    """
    n, m = len(symbols), len(kernel)
    K = sp.Matrix.hstack(*kernel)
    ginv = (K.T * K).inv()
    cols = sorted({c for k in kernel for c in range(n) if k[c] != 0})
    certified = isinstance(direction, CertifiedEigen)
    # one of the two, as ``certified`` says (closures below cannot narrow the union themselves)
    eigen, vector = cast(CertifiedEigen, direction), cast(Sequence[sp.Expr], direction)
    if certified:
        # The ball eigenvector vanishes exactly outside the block of its oriented component.
        spectrum = first_spectrum(eigen)
        rows = [i for i in range(n) if not spectrum.direction[i] == 0]
    else:
        rows = [i for i in range(n) if vector[i] != 0]
    T = _third_derivatives(expr, symbols, point, rows, cols)
    keys = sorted(T)
    slot = {key: i for i, key in enumerate(keys)}
    values = [T[key] for key in keys] + [K[c, i] for c in range(n) for i in range(m)] + [ginv[i, j] for i in range(m) for j in range(m)]
    base_k, base_g = len(keys), len(keys) + n * m
    if not certified:
        base_q = len(values)
        values += list(vector) + [sum(c**2 for c in vector)]

    def components(c):
        if certified:
            q, norm2 = eigen.at(ctx.prec).direction, 1
        else:
            q, norm2 = c[base_q: base_q + n], c[base_q + n]
        g = {}
        for col in cols:
            total = 0
            for i, a in enumerate(rows):
                for b in rows[i:]:
                    term = q[a] * q[b] * c[slot[a, b, col]]
                    total = total + (term if a == b else 2 * term)
            g[col] = total
        return [sum((c[base_k + col * m + i] * g[col] for col in cols), 0) / norm2 for i in range(m)]

    def solved(c):  # (K^T K)^{-1} components: coordinates of P_ker g in the basis
        comp = components(c)
        return comp, [sum((c[base_g + i * m + j] * comp[j] for j in range(m)), 0) for i in range(m)]

    def norm_squared(c):
        comp, y = solved(c)
        return sum((comp[i] * y[i] for i in range(m)), 0)

    def entry(j):
        return lambda c: sum((c[base_k + j * m + i] * y_i for i, y_i in enumerate(solved(c)[1])), 0)

    constants = _Constants(values, closed_forms=not certified)
    def component(i):
        return lambda c: components(c)[i]

    comps = [decide(component(i), constants) for i in range(m)]
    if certified and any(d.sign is None for d in comps):
        # A ball v cannot show that D^3 f[v, v, k] vanishes; the exact Hessian can.
        hessian, interval = eigen.exact, spectrum.top
        zero = Decision(0, Rigor.EXACT, None, fmpq(0))
        comps = [zero if d.sign is None and _zero_component(hessian, T, rows, cols, kernel[i], interval) else d
                 for i, d in enumerate(comps)]
        if all(d.sign == 0 for d in comps):
            return SharpnessGradient(tuple(tuple(k) for k in kernel), tuple(comps), (zero,) * n, zero)
    return SharpnessGradient(
        tuple(tuple(k) for k in kernel),
        tuple(comps),
        tuple(decide(entry(j), constants) for j in range(n)),
        decide(norm_squared, constants),
    )


#: Wall-clock budget (seconds) for the exact proof that ``D^3 f[v, v, k] = 0`` on the certified route.
ZERO_PROOF_SECONDS = 10.0


def _zero_component(H: sp.Matrix, T: dict, rows: list[int], cols: list[int], k: sp.Matrix, interval: arb) -> bool:
    """:func:`vanishes_on_top_eigenvector` for ``M = D^3 f[., ., k]`` on the block ``rows`` of
    ``H`` that carries the top eigenvector, within :data:`ZERO_PROOF_SECONDS`."""
    from ..core.decide import within_seconds

    Hb = sp.Matrix(len(rows), len(rows), lambda i, j: H[rows[i], rows[j]])
    M = sp.Matrix(len(rows), len(rows),
                  lambda i, j: sum((T[min(rows[i], rows[j]), max(rows[i], rows[j]), c] * k[c] for c in cols), sp.Integer(0)))
    return bool(within_seconds(lambda args: vanishes_on_top_eigenvector(*args), (Hb, M, interval), ZERO_PROOF_SECONDS))


class _Bundle:
    """Several directional expansions side by side (coefficients concatenated), for quantities
    that mix directions (the multivariate flip coefficient)."""

    def __init__(self, parts: Sequence[DirectionalExpansion | BallDirectionalExpansion]) -> None:
        self.parts = parts

    @property
    def exact(self):
        values = [p.exact for p in self.parts]
        return None if any(v is None for v in values) else tuple(c for v in values for c in (v or ()))

    def balls(self, prec):
        return tuple(c for p in self.parts for c in p.balls(prec))

    @property
    def symbolic(self):
        if any(isinstance(p, BallDirectionalExpansion) for p in self.parts):
            return ()
        try:
            return tuple(p.symbolic[j] for p in self.parts for j in range(p.order + 1))
        except IndexError:
            return ()


def _like(value: sp.Expr, sample: object) -> Any:
    """An exact sympy constant in the number type of ``sample`` (fmpq / arb / sympy)."""
    if isinstance(sample, fmpq):
        if not value.is_Rational:
            raise NotRational(sp.sstr(value))
        return to_fmpq(value)
    if isinstance(sample, arb):
        return constant_enclosure(value, ctx.prec)
    return value


def _flip_parts(expr, symbols, point, direction):
    """Expansions along ``q`` and ``q + e_i``, ``q - e_i``, ``e_i``: ``D^3 f[q, q, e_i]`` by
    polarization, ``D^4 f[q, q, q, q]`` directly.  ``direction`` is an exact tuple or a
    ``prec -> balls`` function."""
    n = len(symbols)
    if callable(direction):
        def along(sign, i):
            def at(prec):
                q = direction(prec)
                return tuple(a + sign * int(i == j) if sign else arb(int(i == j)) for j, a in enumerate(q))
            return at

        directions = [direction] + [f for i in range(n) for f in (along(1, i), along(-1, i), along(0, i))]
        return [BallDirectionalExpansion(expr, symbols, point, d, 4) for d in directions]
    unit = [tuple(sp.Integer(int(i == j)) for j in range(n)) for i in range(n)]
    directions = [direction]
    for e in unit:
        directions += [tuple(a + b for a, b in zip(direction, e, strict=True)), tuple(a - b for a, b in zip(direction, e, strict=True)), e]
    return [DirectionalExpansion(expr, symbols, point, d, 4) for d in directions]


def _flip_value(c, n, pinv_entry, eta0, norm4):
    """``-2c`` with ``c = (eta0/6)(3 g^T H^+ g - D^4 f[q,q,q,q]) / |q|^4`` from the bundled
    coefficients ``c`` (five per direction, in the order of :func:`_flip_parts`)."""
    block = lambda k, j: c[5 * k + j]  # noqa: E731 - five coefficients (orders 0..4) per direction
    t4 = 24 * block(0, 4)
    third = lambda k: 6 * block(k, 3)  # noqa: E731
    g = [(third(1 + 3 * i) - third(2 + 3 * i) - 2 * third(3 + 3 * i)) / 6 for i in range(n)]
    ghg = 0
    for i in range(n):
        for j in range(n):
            h = pinv_entry(i, j)
            if h is not None:
                ghg = ghg + g[i] * h * g[j]
    return -2 * (eta0 / 6 * (3 * ghg - t4) / norm4)


def multivariate_flip(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: Sequence[sp.Expr], q: Sequence[sp.Expr],
                       hessian: sp.Matrix, top: sp.Expr) -> tuple[Decision | None, str]:
    """``-2c`` with ``c = (eta0/6)(3 g^T H^+ g - D^4 f[q,q,q,q]) / |q|^4`` (unit-q normalisation),
    ``eta0 = 2/top``, for ``f`` the ``expr`` in ``symbols`` at the exact ``point``, the exact top
    eigenvector ``q`` (any length) of the exact ``hessian`` with eigenvalue ``top``: the decision
    and a note (empty when decided).

    >>> x, y = sp.symbols("x y")
    >>> f, origin = x**2 / 2 + y**2 + x**3 + 3 * x * y**2, (sp.Integer(0), sp.Integer(0))
    >>> q = (sp.Integer(2), sp.Integer(0))  # not normalised: the coefficient is that of the unit vector
    >>> multivariate_flip(f, (x, y), origin, q, sp.diag(1, 2), top=sp.Integer(1))[0].exact
    -72
    >>> zero = sp.atan(sp.Rational(1, 2)) + sp.atan(sp.Rational(1, 3)) - sp.pi / 4  # 0, not provably so here
    >>> multivariate_flip(x**2 / 2 + y**2 + zero * x**4, (x, y), origin, q, sp.diag(1, 2), top=sp.Integer(1))[1]  # undecided: 24 zero
    'the sign could not be decided'
    """
    n = len(symbols)
    parts = _flip_parts(expr, symbols, point, q)
    pinv = hessian.pinv()
    norm2 = sum(c**2 for c in q)
    eta0 = 2 / top

    def quantity(c):
        sample = c[2]
        entry = lambda i, j: None if pinv[i, j] == 0 else _like(pinv[i, j], sample)  # noqa: E731
        return _flip_value(c, n, entry, _like(eta0, sample), _like(norm2**2, sample))

    d = decide(quantity, _Bundle(parts))
    return d, "" if d.sign is not None else "the sign could not be decided"


def certified_flip(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: Sequence[sp.Expr], eigen: CertifiedEigen) -> tuple[Decision, str]:
    """The coefficient of :func:`multivariate_flip` on the certified route, for ``f`` the ``expr``
    in ``symbols`` at the exact ``point``: ball ``q`` (unit), ball ``l1`` and ball ``H^+`` from the
    certified ``eigen`` (its kernel proved, :attr:`CertifiedEigen.kernel`) at the working precision.

    >>> from symbolic_eos.linalg.eigen import CertifiedEigen
    >>> x, y = sp.symbols("x y")
    >>> eigen = CertifiedEigen(sp.diag(sp.sqrt(2), 1))
    >>> eigen.kernel = []  # ker H = 0, proved: H^+ = H^-1
    >>> flip, note = certified_flip(sp.sqrt(2) * x**2 / 2 + y**2 / 2 + x**3, (x, y), (sp.Integer(0), sp.Integer(0)), eigen)
    >>> flip.sign, flip.rigor, note
    (-1, 'certified', '')
    """
    n = len(symbols)
    parts = _flip_parts(expr, symbols, point, lambda prec: eigen.at(prec).direction)

    def quantity(c):
        prec = ctx.prec
        spectrum, pinv = eigen.at(prec), eigen.pinv(prec)
        return _flip_value(c, n, lambda i, j: pinv[i, j], 2 / spectrum.top, 1)

    d = decide(quantity, _Bundle(parts))
    return d, "" if d.sign is not None else "the sign could not be decided"
