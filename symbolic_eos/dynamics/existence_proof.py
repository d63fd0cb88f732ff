"""The existence theorem (case k = 3) proved for **every** ``eps`` in ``(0, eps_max]``.

Write ``u = x - xb``, ``f'(xb + u) = u h(u)`` and ``h(u) = a + u q(u)`` with ``a = f''(xb)``,
``b = f'''(xb)``, ``c = f''''(xb)``; so ``h(u) = int_0^1 f''(xb + t u) dt`` and
``q(u) = int_0^1 (1 - t) f'''(xb + t u) dt``.  For ``x0 = xb - s`` the GD step is
``u1 = m u0`` with ``m = 1 - eta h(u0)``, and

    F(F(x0)) - x0 = -eta u0 (h(u0) + m h(m u0)) =: -eta u0 E(s, eta).

The factor ``u0`` is the trivial one (the fixed point ``xb``).  Blow up with
``eta = eta0 + s^2 zeta``, ``eta0 = 2/a``: then ``mu = m + 1 = s nu``,
``nu = 2 q(-s)/a - s zeta h(-s)``, ``v = u1 = s (1 - mu)``, ``w = u0 = -s``, and exactly

    E = s^2 H(s, zeta),   H = -(2 - mu) (q[v, w] - nu q(v)) - a zeta h(w),

with ``q[v, w]`` the divided difference.  ``H`` is regular at ``s = 0``: ``H(0, zeta) =
b^2/a - c/3 - a^2 zeta``, a simple root ``zeta0 = (3 b^2 - a c) / (3 a^3)`` (``dH/dzeta = -a^2``),
positive exactly when the paper's condition ``3 f'''^2 - f'' f'''' > 0`` holds.

On an s-box ``S`` (``s = sigma t``, ``sigma = sign b``, ``t`` in ``[t_lo, t_hi]``) the
residual is evaluated with ``s`` as a ball, so a Krawczyk success ``K(X) in int X`` proves: for
EVERY ``s`` in ``S`` exactly one ``zeta(s)`` in ``X`` solves ``H = 0`` (a parametric Krawczyk).
``q``, ``h`` and ``q'`` are Taylor polynomials at ``xb`` plus a Lagrange/integral remainder whose
coefficient is enclosed by the Taylor engine at the wide ball ``xb + U`` (``U`` holds ``0``, ``v``
and ``w``): for a polynomial loss of low degree that remainder is exactly zero.  Then, on the box,
with balls (each sign by :func:`~symbolic_eos.core.decide.ball_sign`):

* ``zeta > 0``, i.e. ``eta > 2/f''`` (``s != 0``);
* ``d = f'' - s f''' > 0`` (else the interval's upper end is not positive: outside the theorem's
  range, never read as infinity);
* ``2 - a d t zeta / |b| > 0``, i.e. ``eta - eta0 = s^2 zeta < 2/d - 2/a = 2 s b / (a d)``;
* ``2 - mu > 0``, i.e. ``x1 - x0 = s (2 - mu) != 0``: a genuine 2-cycle, not a fixed point.

Since ``d(s)`` decreases in ``t``, ``(2/a, 2/d(s))`` lies in ``(2/a, 2/d(eps))`` for ``t <= |eps|``:
so every ``x0`` between ``xb`` and ``xb - eps`` lies on a 2-cycle with ``eta`` in the interval of
``eps``, for every ``eps`` up to the right end of the last proved box.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> p = prove_existence((x**2 - 1)**2 / 4, x, arb(1))
>>> p.proved, p.eps_max > Fraction(3, 10), p.stop
(True, True, 'range_end')
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp
from flint import arb, ctx, fmpq

from ..core.decide import ball_sign
from ..core.numbers import decimal_string, enclosure_text
from ..core.jets import BeyondJet, Undetermined, ball_coefficients, ball_int_power
from ..errors import EosError
from ..linalg.krawczyk import krawczyk

__all__ = ["Blowup", "BoxProof", "ExistenceProof", "prove_existence", "certify_box", "PROOF_PREC"]

#: Binary precision of the box proofs: the boxes' widths, not rounding, limit every enclosure.
PROOF_PREC = 128
#: Degree of the Taylor polynomials of ``h``, ``q``, ``q'`` (the remainder is of order ``u^L``).
_L = 12
_MAX_BOXES = 400
#: A box narrower than this fraction of its left end stops the growth (it did not prove).
_MIN_RELATIVE_WIDTH = Fraction(1, 2**14)


@dataclass(frozen=True)
class Blowup:
    """The blown-up 2-cycle equation ``H(s, zeta) = 0`` for ``expr`` in ``var`` at ``xb`` (a ball):
    the Taylor coefficients ``c`` (``c_j(xb)``, ``j <= order + 3``), ``a = f''``, ``b = f'''``,
    ``sigma = sign(b)``; ``order`` is the degree ``L`` of the Taylor polynomials.

    >>> x = sp.Symbol("x")
    >>> bl = Blowup.at((x**2 - 1)**2 / 4, x, arb(1))
    >>> bl.a, bl.b, bl.zeta0   # (3 b^2 - a c) / (3 a^3) = (108 - 12) / 24
    (2.00000000000000, 6.00000000000000, 4.00000000000000)
    """

    expr: sp.Expr
    var: sp.Symbol
    xb: arb
    c: tuple[arb, ...]
    sigma: int
    order: int = _L
    _memo: dict = field(default_factory=dict, compare=False, repr=False, init=False)

    @staticmethod
    def at(expr: sp.Expr, var: sp.Symbol, xb: arb, prec: int = PROOF_PREC, order: int = _L) -> "Blowup":
        """The blow-up at ``xb``; raises :class:`BeyondJet` when the jet stops short of the
        coefficients ``H`` needs and :class:`ValueError` when ``f''' `` has no certified sign."""
        with ctx.workprec(prec):
            jet = ball_coefficients(expr, var, xb, order + 3, prec)
            c = tuple(jet[j] for j in range(order + 4))  # BeyondJet when the jet is shorter
        sigma = ball_sign(c[3])
        if sigma not in (1, -1) or ball_sign(c[2]) != 1:
            raise ValueError("f'' > 0 and the sign of f''' must be certified")
        return Blowup(expr, var, xb, c, sigma, order)

    @property
    def a(self) -> arb:
        return 2 * self.c[2]

    @property
    def b(self) -> arb:
        return 6 * self.c[3]

    @property
    def zeta0(self) -> arb:
        """``H(0, zeta0) = 0``: ``(3 f'''^2 - f'' f'''') / (3 f''^3)``."""
        a, b, c4 = self.a, self.b, 24 * self.c[4]
        return (3 * b * b - a * c4) / (3 * a**3)

    @property
    def range_end(self) -> arb:
        """``f''/|f'''|``: where ``f'' - eps f''' = 0`` (the theorem's range is ``|eps|`` below it)."""
        return self.a / abs(self.b)

    def remainders(self, radius: arb, prec: int) -> tuple[arb, ...]:
        """The Taylor coefficients ``C_j`` over the wide ball ``xb + [-radius, radius]``: the
        remainders' coefficients (every ``f^(j)(xi) / j!`` with ``xi`` in it lies in ``C_j``)."""
        key = (radius.mid().man_exp(), radius.rad().man_exp(), prec)
        hit = self._memo.get(key)
        if hit is None:
            jet = ball_coefficients(self.expr, self.var, self.xb + arb(0, radius), self.order + 4, prec)
            hit = self._memo[key] = tuple(jet[j] for j in range(self.order + 5))
            if len(self._memo) > 64:
                self._memo.pop(next(iter(self._memo)))
        return hit

    def pieces(self, s: arb, zeta: arb, prec: int) -> dict[str, arb]:
        """Enclosures over the balls ``s``, ``zeta`` of the quantities ``H`` is built from."""
        L, c = self.order, self.c
        with ctx.workprec(prec):
            w = -s
            radius = abs(s).upper()
            for _ in range(3):
                C = self.remainders(arb(radius), prec)
                h0 = _horner([(i + 2) * c[i + 2] for i in range(L)], w) + ball_int_power(w, L) * ((L + 2) * C[L + 2])
                qw = _q(c, C, L, w)
                nu = 2 * qw / self.a - s * zeta * h0
                mu = s * nu
                v = s * (1 - mu)
                if abs(v).upper() <= radius:
                    break
                radius = max(radius, abs(v).upper()) * 2
            else:
                return {"H": arb("nan")}
            qv = _q(c, C, L, v)
            # q[v, w] = int_0^1 q'(w + tau (v - w)) dtau: the degree-L Taylor polynomial's exact
            # divided difference plus the integral of the remainder u^L (L+4)(L+1) C_{L+4}.
            hull = v.union(w)
            dd = _divided_difference([(k + 3) * c[k + 3] for k in range(L + 1)], v, w)
            dd += ball_int_power(hull, L) * ((L + 4) * (L + 1) * C[L + 4])
            B = dd - nu * qv
            H = -(2 - mu) * B - self.a * zeta * h0
            return {"H": H, "h0": h0, "mu": mu, "nu": nu, "v": v, "B": B, "qv": qv, "C4": C[4], "C5": C[5]}

    def residual(self, s: arb, zeta: arb, prec: int) -> arb:
        return self.pieces(s, zeta, prec)["H"]

    def derivative(self, s: arb, zeta: arb, prec: int) -> arb:
        return self.both(s, zeta, prec)[1]

    def both(self, s: arb, zeta: arb, prec: int) -> tuple[arb, arb]:
        """``H`` and ``dH/dzeta`` over the balls: ``q'(v)`` lies in ``4 C_4`` and ``d q[v,w] / dv``
        in ``5 C_5`` (mean values of ``int t (1-t) f''''`` and ``int tau int t^2 (1-t) f^(5)``)."""
        p = self.pieces(s, zeta, prec)
        if "h0" not in p:
            return p["H"], arb("nan")
        with ctx.workprec(prec):
            h0, mu, nu, B, qv = p["h0"], p["mu"], p["nu"], p["B"], p["qv"]
            dmu, dnu = -s * s * h0, -s * h0
            dv = -s * dmu
            dB = 5 * p["C5"] * dv - dnu * qv - nu * 4 * p["C4"] * dv
            return p["H"], dmu * B - (2 - mu) * dB - self.a * h0


def _horner(coeffs: list[arb], u: arb) -> arb:
    out = arb(0)
    for k in reversed(coeffs):
        out = out * u + k
    return out


def _q(c: tuple[arb, ...], C: tuple[arb, ...], L: int, u: arb) -> arb:
    """``q(u) = sum_{i<L} (i+3) c_{i+3} u^i + u^L (L+3) C_{L+3}`` (the integral remainder)."""
    return _horner([(i + 3) * c[i + 3] for i in range(L)], u) + ball_int_power(u, L) * ((L + 3) * C[L + 3])


def _divided_difference(coeffs: list[arb], v: arb, w: arb) -> arb:
    """``P[v, w] = sum_k p_k (v^k - w^k)/(v - w) = sum_k p_k sum_{i<k} v^i w^(k-1-i)``, exactly."""
    # D_k = (v^k - w^k)/(v - w) obeys D_k = v D_(k-1) + w^(k-1), D_0 = 0.
    total, dk, wk = arb(0), arb(0), arb(1)
    for k in range(1, len(coeffs)):
        dk = v * dk + wk
        wk = wk * w
        total += coeffs[k] * dk
    return total


class _BoxSystem:
    """``H(s, zeta) = 0`` in the unknown ``zeta`` with ``s`` the ball of one box (the System
    protocol of :func:`~symbolic_eos.linalg.krawczyk.krawczyk`)."""

    def __init__(self, blowup: Blowup, s: arb) -> None:
        self.blowup, self.s = blowup, s

    def residual(self, v, prec):
        return [self.blowup.residual(self.s, v[0], prec)]

    def jacobian(self, v, prec):
        return [[self.blowup.both(self.s, v[0], prec)[1]]]


@dataclass(frozen=True)
class BoxProof:
    """One s-box ``|s|`` in ``[t_lo, t_hi]``: ``proved``, or why not (``reason``), with the
    enclosures (over the whole box) of ``zeta``, ``eta = eta0 + s^2 zeta`` and the 2-cycle's
    other point ``x1 = xb + s (1 - mu)``; ``outside`` when ``f'' - s f''' <= 0`` on all of it.

    >>> x = sp.Symbol("x")
    >>> box = certify_box(Blowup.at((x**2 - 1)**2 / 4, x, arb(1)), Fraction(1, 10), Fraction(1, 10), arb(4, 1))
    >>> box.proved, box.t_lo == box.t_hi, box.outside, box.reason, box.zeta > 0, box.eta > 1, box.x1 > 1
    (True, True, False, '', True, True, True)
    """

    t_lo: Fraction
    t_hi: Fraction
    proved: bool
    reason: str = ""
    outside: bool = False
    zeta: arb | None = None
    eta: arb | None = None
    x1: arb | None = None


def _s_ball(blowup: Blowup, t_lo: Fraction, t_hi: Fraction) -> arb:
    """A ball holding every ``sigma t``, ``t`` in ``[t_lo, t_hi]`` (the union of the ends' balls,
    each of which holds its exact rational end)."""
    lo, hi = arb(fmpq(t_lo.numerator, t_lo.denominator)), arb(fmpq(t_hi.numerator, t_hi.denominator))
    return blowup.sigma * lo.union(hi)


def certify_box(blowup: Blowup, t_lo: Fraction, t_hi: Fraction, zeta_box: arb, prec: int = PROOF_PREC) -> BoxProof:
    """The lemmas on one box ``|s|`` in ``[t_lo, t_hi]`` of the ``blowup``, at ``prec`` bits, with
    Krawczyk on exactly ``zeta_box`` (no inflation): a box that does not hold the branch, or that
    reaches past ``f'' - s f''' = 0``, is refused.

    >>> x = sp.Symbol("x")
    >>> bl = Blowup.at((x**2 - 1)**2 / 4, x, arb(1))
    >>> certify_box(bl, Fraction(0), Fraction(1, 100), arb(4, 1)).proved
    True
    >>> certify_box(bl, Fraction(0), Fraction(1, 100), arb(5, "0.5")).reason
    'Krawczyk failed: the box does not certify a unique zeta'
    """
    with ctx.workprec(prec):
        s = _s_ball(blowup, t_lo, t_hi)
        t = s * blowup.sigma
        a, b = blowup.a, blowup.b
        d = a - s * b
        if ball_sign(d) == -1 or (d <= 0):
            return BoxProof(t_lo, t_hi, False, "f'' - eps f''' <= 0 on the box: outside the theorem's range", outside=True)
        if ball_sign(d) != 1:
            return BoxProof(t_lo, t_hi, False, "the sign of f'' - eps f''' is undecided on the box")
        try:
            k = krawczyk(_BoxSystem(blowup, s), [zeta_box], prec)
        except (BeyondJet, Undetermined, EosError, ZeroDivisionError, ValueError) as exc:
            return BoxProof(t_lo, t_hi, False, f"the loss could not be enclosed on the box ({exc})")
        if not k.certified:
            return BoxProof(t_lo, t_hi, False, "Krawczyk failed: the box does not certify a unique zeta")
        zeta = k.enclosure[0]
        p = blowup.pieces(s, zeta, prec)
        eta = _eta_range(a, t_lo, t_hi, zeta)
        x1 = blowup.xb + p["v"]
        checks = [
            (zeta, "zeta > 0 (eta > 2/f'')"),
            (2 - a * d * t * zeta / abs(b), "eta < 2/(f'' - eps f''')"),
            (2 - p["mu"], "x1 != x0 (a 2-cycle, not a fixed point)"),
        ]
        for value, what in checks:
            if ball_sign(value) != 1:
                return BoxProof(t_lo, t_hi, False, f"not certified: {what}", zeta=zeta, eta=eta, x1=x1)
        return BoxProof(t_lo, t_hi, True, zeta=zeta, eta=eta, x1=x1)


def _eta_range(a: arb, t_lo: Fraction, t_hi: Fraction, zeta: arb) -> arb:
    """``2/a + s^2 zeta`` over the box from the ends (``zeta > 0`` is checked on the box): a ball
    product of the ranges of ``s^2`` and ``zeta`` would dip below ``2/a``."""
    lo = 2 / a + arb(fmpq(t_lo.numerator, t_lo.denominator)) ** 2 * arb(zeta.lower())
    hi = 2 / a + arb(fmpq(t_hi.numerator, t_hi.denominator)) ** 2 * arb(zeta.upper())
    return lo.union(hi)


def _guess(blowup: Blowup, t: Fraction, start: arb, prec: int) -> arb:
    """A few Newton steps for ``zeta`` at the point ``|s| = t`` (a seed, proves nothing)."""
    with ctx.workprec(prec):
        s = blowup.sigma * arb(fmpq(t.numerator, t.denominator))
        z = arb(start.mid())
        for _ in range(5):
            h, dh = blowup.both(s, z, prec)
            if not (h.is_finite() and dh.is_finite()) or dh == 0:
                return arb(start.mid())
            step = (h / dh).mid()
            z = arb(z - step)
            if abs(step) < abs(z) * arb(2) ** -40:
                break
        return z


def prove_box(blowup: Blowup, t_lo: Fraction, t_hi: Fraction, seed: arb, prec: int = PROOF_PREC) -> BoxProof:
    """:func:`certify_box` on inflated boxes around the Newton seed at the box's midpoint."""
    with ctx.workprec(prec):
        z = _guess(blowup, (t_lo + t_hi) / 2, seed, prec)
        s = _s_ball(blowup, t_lo, t_hi)
        h, dh = blowup.both(s, z, prec)
        if not (h.is_finite() and dh.is_finite() and ball_sign(dh) in (1, -1)):
            return BoxProof(t_lo, t_hi, False, "the loss could not be enclosed on the box")
        r = 2 * abs(h / dh).upper() + abs(z).upper() * arb(2) ** -60 + arb(2) ** -100
        result = None
        for _ in range(6):
            result = certify_box(blowup, t_lo, t_hi, arb(z, r), prec)
            if result.proved or result.outside or not result.reason.startswith("Krawczyk"):
                return result
            r = 4 * r
        assert result is not None
        return result


@dataclass(frozen=True)
class ExistenceProof:
    """The theorem for every ``eps`` with ``|eps|`` in ``(0, eps_max]`` (``eps f''' > 0``), from a
    cover of ``(0, eps_max]`` by proved s-boxes.  ``stop`` says why the growth stopped:
    ``range_end`` (the boxes reached ``f'' - eps f''' = 0``: outside the theorem's range beyond),
    ``box_failed`` (a box kept failing when halved; ``reason`` says which lemma), ``limit`` (the
    requested ``|eps|`` or the box budget).  ``proved`` and ``eps_max`` (``|eps|``, a rational;
    ``sigma`` its sign), the ``boxes``, ``zeta0`` and ``range_end = f''/|f'''|``, ``at_eps_max``
    the point box at ``eps_max`` (tight enclosures, for printing), ``seconds`` the time taken.

    >>> x = sp.Symbol("x")
    >>> p = prove_existence(x**2/2 - x**3/3, x, arb(0))
    >>> p.proved, p.sigma, p.range_text, p.stop, len(p.boxes) > 0, p.at_eps_max.proved, p.seconds < 60
    (True, -1, '[-0.4995117188, 0)', 'range_end', True, True, True)
    >>> p.zeta0.contains(4), p.range_end.contains(arb(1) / 2), p.reason.startswith("the range ends")
    (True, True, True)
    """

    proved: bool
    eps_max: Fraction | None
    sigma: int
    boxes: tuple[BoxProof, ...]
    stop: str
    reason: str
    zeta0: arb
    range_end: arb
    at_eps_max: BoxProof | None = None
    seconds: float = field(default=0.0, compare=False)

    @property
    def eta_interval(self) -> arb | None:
        """The union of the boxes' eta enclosures: every proved cycle's eta lies in it."""
        etas = [b.eta for b in self.boxes if b.eta is not None]
        if not etas:
            return None
        out = etas[0]
        for e in etas[1:]:
            out = out.union(e)
        return out

    @property
    def range_text(self) -> str:
        """``(0, eps_max]`` (``[-eps_max, 0)`` when ``eps < 0``), to 10 digits."""
        if self.eps_max is None:
            return "-"
        eps = decimal_string(arb(fmpq(self.eps_max.numerator, self.eps_max.denominator)), 10)
        return f"(0, {eps}]" if self.sigma > 0 else f"[-{eps}, 0)"

    def box_at(self, t: Fraction) -> BoxProof | None:
        """The proved box whose ``|s|`` range holds ``t``."""
        return next((b for b in self.boxes if b.t_lo <= t <= b.t_hi), None)

    @property
    def signed_eps_max(self) -> Fraction | None:
        return None if self.eps_max is None else self.sigma * self.eps_max

    def to_dict(self) -> dict:
        eta = self.eta_interval
        last = self.at_eps_max
        return {
            "rigor": "certified" if self.proved else "none",
            "proved": self.proved,
            "eps_max": None if self.eps_max is None else str(self.signed_eps_max),
            "eps_max_decimal": None if self.eps_max is None else decimal_string(fmpq(self.eps_max.numerator, self.eps_max.denominator), 12),
            "boxes": len(self.boxes),
            "stop": self.stop,
            "reason": self.reason,
            "zeta0": enclosure_text(self.zeta0),
            "range_end": enclosure_text(self.range_end),
            "eta_interval": None if eta is None else [decimal_string(arb(eta.lower()), 15), decimal_string(arb(eta.upper()), 15)],
            "other_point_at_eps_max": None if last is None or last.x1 is None else enclosure_text(last.x1),
            "eta_at_eps_max": None if last is None or last.eta is None else enclosure_text(last.eta),
        }

    def to_text(self) -> str:
        if not self.proved or self.eps_max is None:
            return f"  not proved for every eps: {self.reason}"
        eta = self.eta_interval
        last = self.at_eps_max
        assert eta is not None
        lines = [
            f"  proved for every eps in {self.range_text}: {len(self.boxes)} boxes "
            "(parametric Krawczyk on the blow-up eta = 2/f'' + eps^2 zeta)",
            f"  zeta(0) = (3 f'''^2 - f'' f'''') / (3 f''^3) = {decimal_string(self.zeta0, 12)}; "
            f"eta in [{decimal_string(arb(eta.lower()), 12)}, {decimal_string(arb(eta.upper()), 12)}] over the range",
        ]
        if last is not None and last.x1 is not None and last.eta is not None:
            lines.append(f"  at |eps| = eps_max: eta in {enclosure_text(last.eta, 12)}, the cycle's other point x1 in "
                         f"{enclosure_text(last.x1, 12)}")
        lines.append(f"  stopped: {self.reason}")
        return "\n".join(lines)


def prove_existence(expr: sp.Expr, var: sp.Symbol, xb: arb, eps_limit: Fraction | None = None,
                    prec: int = PROOF_PREC, max_boxes: int = _MAX_BOXES) -> ExistenceProof:
    """Cover ``|s|`` in ``(0, eps_max]`` by proved boxes, from ``0`` outward, doubling the width
    after a success and halving it after a failure; stop at ``eps_limit`` (default: the end of
    the theorem's range ``f''/|f'''|``), at a box that fails even when narrow, or after
    ``max_boxes`` boxes, at ``prec`` bits.  The loss ``expr`` in ``var`` must have ``f'' > 0`` and
    ``f''' != 0`` at ``xb`` (a ball).

    >>> x = sp.Symbol("x")
    >>> p = prove_existence(x**2/2 + x**3/3 - x**4, x, arb(0))
    >>> p.proved, Fraction(3, 10) < p.eps_max < Fraction(2, 5), p.stop
    (True, True, 'box_failed')
    """
    start = time.perf_counter()
    blowup = Blowup.at(expr, var, xb, prec)
    with ctx.workprec(prec):
        end = blowup.range_end
        # The boxes approach f''/|f'''| from below; past it the theorem says nothing.
        m, e = end.lower().mid().man_exp()
        end_q = Fraction(int(m)) * Fraction(2) ** int(e)
        end_q = Fraction(end_q).limit_denominator(10**12) * Fraction(1023, 1024)
        while end_q > 0 and not (arb(fmpq(end_q.numerator, end_q.denominator)) < end):
            end_q *= Fraction(1023, 1024)
        target, stop_if_reached = (end_q, "range_end")
        if eps_limit is not None and eps_limit < end_q:
            target, stop_if_reached = eps_limit, "limit"
        zeta0 = blowup.zeta0
    boxes: list[BoxProof] = []
    t_lo, width = Fraction(0), target / 64
    seed = zeta0
    stop, reason = "limit", f"the box budget ({max_boxes}) is spent"
    tries = 0
    while tries < max_boxes:
        tries += 1
        if t_lo >= target:
            stop = stop_if_reached
            reason = (f"the range ends where f'' - eps f''' = 0 (|eps| = {decimal_string(end, 12)}); beyond it the "
                      "interval's upper end is not positive: outside the theorem's range"
                      if stop == "range_end" else f"the requested |eps| = {target} is reached")
            break
        t_hi = min(t_lo + width, target)
        if t_hi < target and target - t_hi < width / 4:
            t_hi = target
        box = prove_box(blowup, t_lo, t_hi, seed, prec)
        if box.proved:
            assert box.zeta is not None
            boxes.append(box)
            t_lo, seed, width = t_hi, box.zeta, 2 * width
            continue
        if box.outside:
            stop, reason = "range_end", box.reason
            break
        width = (t_hi - t_lo) / 2
        if t_lo > 0 and width < t_lo * _MIN_RELATIVE_WIDTH or t_lo == 0 and width < target * _MIN_RELATIVE_WIDTH:
            stop, reason = "box_failed", f"at |eps| = {decimal_string(arb(fmpq(t_lo.numerator, t_lo.denominator)), 12)} {box.reason}"
            break
    eps_max = boxes[-1].t_hi if boxes else None
    # The point box at eps_max, for printing a tight eta and other point (it proves nothing new).
    at_max = prove_box(blowup, eps_max, eps_max, boxes[-1].zeta, prec) if eps_max is not None and boxes[-1].zeta is not None else None
    return ExistenceProof(bool(boxes), eps_max, blowup.sigma, tuple(boxes), stop, reason, zeta0, end,
                          at_max if at_max is not None and at_max.proved else None, time.perf_counter() - start)
