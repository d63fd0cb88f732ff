"""Losses in several variables: the Hessian at a minimum, its top eigen-direction, the paper's
cross-section criterion and the exact (multivariate) flip coefficient.

At a critical point ``xb`` with Hessian ``H`` (top eigenvalue ``l1`` simple, unit eigenvector
``q``), GD ``F = id - eta grad f`` has ``DF = I - eta H`` with eigenvalue ``-1`` along ``q`` at
``eta0 = 2/l1``.  Two criteria:

* **the paper's**: the 1-D conditions on the cross-section ``t -> f(xb + t q)``;
* **exact**: Kuznetsov's period-doubling coefficient for maps,
  ``c = <p, C(q,q,q)>/6 - <p, B(q, (A - I)^+ B(q,q))>/2`` with ``A = DF``, ``B = -eta0 D^3 f``,
  ``C = -eta0 D^4 f`` and ``p = q``; here ``(A - I)^+ = -H^+/eta0`` is the pseudo-inverse on the
  range of ``H`` (the normal space of the manifold of minimizers).  It simplifies to

      c = (eta0/6) (3 g^T H^+ g - D^4 f[q,q,q,q]),   g = D^3 f[q, q, .],

  and we report ``-2c`` (the order-3 coefficient of ``F(F(xb + t q)) - (xb + t q)`` in 1-D), so
  that, as for one variable, a negative value means ``supercritical``.  Since
  ``g^T H^+ g = sum_i g_i'^2 / l_i >= (D^3 f[q,q,q])^2 / l1`` over the positive eigenvalues,
  coupling to other directions can only help: the exact criterion can hold where the
  cross-section fails, never the reverse (for a positive semi-definite ``H``).

The Hessian's eigen-structure is exact (sympy) for rational Hessians and small irrational ones;
beyond that it is certified with balls (:class:`CertifiedEigen`, ``route == "certified"``), and
every verdict is then certified or undecided.

>>> r = check_multivariate("(x*y - 1)**2/2", "x,y", "1,1")
>>> [str(v) for v in r.eigenvalues_exact], r.manifold_dimension, r.cross_section.verdict, r.flip_verdict
(['2', '0'], 1, 'holds', 'supercritical')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp
from flint import acb_mat, arb, arb_mat, ctx, fmpq

from .criteria import FlipNormalForm, PaperCriterion, expansion_order, flip_normal_form, paper_criterion
from .decide import Decision, decide, decimal_string, enclosure_text, printed_radius, upper_text
from .errors import InputError
from .jets import (
    NotRational,
    SymbolicCoefficients,
    Undetermined,
    ball_function,
    constant_enclosure,
    directional_coefficients,
    exact_directional_coefficients,
    to_fmpq,
)
from .parse import parse_constant, parse_expression, parse_variable_name
from .results import math_text

__all__ = ["DirectionalExpansion", "BallDirectionalExpansion", "CertifiedEigen", "CertifiedSpectrum", "MultivariateCheck",
           "check_multivariate", "parse_vars", "parse_point"]

MAX_VARIABLES = 8


def parse_vars(text: str) -> tuple[str, ...]:
    names = tuple(v.strip() for v in text.split(","))
    if not 1 <= len(names) <= MAX_VARIABLES:
        raise InputError(f"--vars must name 1 to {MAX_VARIABLES} variables")
    for n in names:
        parse_variable_name(n)
    if len(set(names)) != len(names):
        raise InputError("--vars has a repeated name")
    return names


def parse_point(text: str, n: int) -> tuple[sp.Expr, ...]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != n:
        raise InputError(f"--at has {len(parts)} coordinate(s) but --vars names {n} variable(s)")
    return tuple(parse_constant(p) for p in parts)


class DirectionalExpansion:
    """Taylor coefficients of ``t -> f(xb + t d)``, with the interface of
    :class:`symbolic_eos.decide.Expansion` (exact / balls / closed forms)."""

    def __init__(self, expr, variables, point, direction, order: int):
        self.expr, self.variables, self.point, self.direction, self.order = expr, tuple(variables), tuple(point), tuple(direction), order
        self._exact_done, self._exact, self._balls, self._symbolic = False, None, {}, None

    @property
    def exact(self):
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

    def balls(self, prec: int):
        if prec not in self._balls:
            centre = tuple(constant_enclosure(v, prec) for v in self.point)
            direction = tuple(constant_enclosure(v, prec) for v in self.direction)
            self._balls[prec] = directional_coefficients(self.expr, self.variables, centre, direction, self.order, prec)
        return self._balls[prec]

    @property
    def symbolic(self):
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
    :class:`~symbolic_eos.jets.Undetermined`).  No exact or closed-form coefficients: every
    decision is certified or undecided."""

    exact = None
    symbolic = ()

    def __init__(self, expr, variables, point, direction_at, order: int):
        self.expr, self.variables, self.point, self.direction_at, self.order = expr, tuple(variables), tuple(point), direction_at, order
        self._balls = {}

    def balls(self, prec: int):
        if prec not in self._balls:
            centre = tuple(constant_enclosure(v, prec) for v in self.point)
            self._balls[prec] = directional_coefficients(self.expr, self.variables, centre, self.direction_at(prec), self.order, prec)
        return self._balls[prec]

    def is_polynomial_of_degree_at_most(self, n: int) -> bool:
        return self.expr.is_polynomial(*self.variables) and sp.Poly(self.expr, *self.variables).total_degree() <= n


class _Bundle:
    """Several directional expansions side by side (coefficients concatenated), for quantities
    that mix directions (the multivariate flip coefficient)."""

    def __init__(self, parts):
        self.parts = parts

    @property
    def exact(self):
        values = [p.exact for p in self.parts]
        return None if any(v is None for v in values) else tuple(c for v in values for c in v)

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


def _like(value: sp.Expr, sample):
    """An exact sympy constant in the number type of ``sample`` (fmpq / arb / sympy)."""
    if isinstance(sample, fmpq):
        if not value.is_Rational:
            raise NotRational(sp.sstr(value))
        return to_fmpq(value)
    if isinstance(sample, arb):
        return constant_enclosure(value, ctx.prec)
    return value


@dataclass(frozen=True)
class MultivariateCheck:
    """The multivariate check at one point (see the module docstring)."""

    expression: str
    variables: tuple[str, ...]
    point: tuple[sp.Expr, ...]
    point_labels: tuple[str, ...]
    eigenvalues_exact: tuple[sp.Expr, ...] | None  # None on the certified route
    eigenvalue_balls: tuple[arb, ...]
    direction: tuple[sp.Expr, ...] | None  # the (unnormalised) top eigenvector, exact; None on the certified route
    manifold_dimension: int | None
    flat_along_kernel: bool | None
    eta_critical: sp.Expr | arb  # exact, or a ball on the certified route
    others_stable: bool
    cross_section: PaperCriterion
    cross_section_flip: FlipNormalForm
    flip: Decision | None
    flip_note: str
    simulation: str
    route: str = "exact"  # "exact": sympy eigen-structure; "certified": ball eigenpair (CertifiedEigen)
    direction_enclosure: tuple[arb, ...] | None = None  # the unit top eigenvector (certified route)
    certificate: CertifiedEigen | None = field(default=None, repr=False, compare=False)

    def top_enclosure(self, prec: int) -> arb:
        """A ball for the top eigenvalue at (at least) ``prec`` bits."""
        if self.certificate is None:
            return constant_enclosure(self.eigenvalues_exact[0], prec)
        return self.certificate.at(max(prec, 128)).top

    def unit_direction_enclosure(self, prec: int) -> tuple[arb, ...]:
        """Balls for the unit top eigenvector at (at least) ``prec`` bits."""
        if self.certificate is None:
            return tuple(constant_enclosure(v, prec) for v in _normalised(self.direction))
        return self.certificate.at(max(prec, 128)).direction

    @property
    def flip_verdict(self) -> str:
        if self.flip is None or self.flip.sign is None:
            return "undecided"
        return {-1: "supercritical", 1: "subcritical", 0: "undecided"}[self.flip.sign]

    @property
    def rigor(self) -> str:
        if self.route == "certified":
            return "certified"
        facts = [d for d in (self.flip, self.cross_section.quantity) if d is not None]
        return "exact" if all(d.rigor == "exact" for d in facts) else "certified"

    def to_dict(self) -> dict:
        exact = self.route == "exact"
        unit = _normalised(self.direction) if exact else self.direction_enclosure
        return {
            "point": [decimal_string(v, 17) for v in self.point],
            "eigenvalues": [decimal_string(v, 17) for v in (self.eigenvalues_exact if exact else self.eigenvalue_balls)],
            "eta_critical": decimal_string(self.eta_critical, 17),
            "direction": [decimal_string(v, 17) for v in unit],
            "manifold_dimension": self.manifold_dimension,
            "cross_section_verdict": self.cross_section.verdict,
            "flip_verdict": self.flip_verdict,
            "flip_coefficient": self.flip.text(17) if self.flip is not None and self.flip.sign is not None else None,
            "rigor": self.rigor,
            "variables": list(self.variables),
            "expression": self.expression,
            "route": self.route,
            "eigenvalues_exact": [sp.sstr(v) for v in self.eigenvalues_exact] if exact else None,
            "eigenvalue_enclosures": [enclosure_text(b, 20) for b in self.eigenvalue_balls],
            "direction_exact": [sp.sstr(v) for v in self.direction] if exact else None,
            "direction_enclosure": None if exact else [enclosure_text(b, 20) for b in self.direction_enclosure],
            "eta_critical_exact": sp.sstr(self.eta_critical) if exact else None,
            "others_stable": self.others_stable,
            "flat_along_kernel": self.flat_along_kernel,
            "cross_section_case": self.cross_section.case,
            "cross_section_reason": self.cross_section.reason,
            "cross_section_flip_verdict": self.cross_section_flip.verdict,
            "flip_note": self.flip_note,
            "simulation": self.simulation,
        }

    def _rows(self) -> list[tuple[str, str]]:
        point = ", ".join(f"{v} = {p}" for v, p in zip(self.variables, self.point_labels, strict=True))
        if self.route == "exact":
            values = ", ".join(sp.sstr(v) for v in self.eigenvalues_exact)
            direction = "(" + ", ".join(sp.sstr(v) for v in self.direction) + ")"
            eta = sp.sstr(self.eta_critical)
        else:
            values = ", ".join(enclosure_text(b, 12) for b in self.eigenvalue_balls) + " (certified enclosures)"
            direction = "(" + ", ".join(enclosure_text(b, 12) for b in self.direction_enclosure) + ") (unit, certified enclosure)"
            eta = enclosure_text(self.eta_critical, 15)
        rows = [
            ("point", point),
            ("Hessian eigenvalues", values),
            ("top direction v", direction),
            ("eta_critical = 2/l1", eta),
            ("other directions", "eta_critical * l_i < 2 for all i >= 2" if self.others_stable else "NOT all stable at eta_critical"),
            ("zero eigenvalues", "undecided" if self.manifold_dimension is None else f"{self.manifold_dimension} (manifold dimension)"
             + ("" if not self.manifold_dimension else (", f = O(t^4) with a non-negative quartic along each kernel line (consistent with a manifold of minima)" if self.flat_along_kernel else ", kernel lines undecided"))),
            ("cross-section (paper)", f"{self.cross_section.verdict} ({self.cross_section.case or 'no case'}): {self.cross_section.reason}"),
            ("cross-section flip", self.cross_section_flip.verdict),
            ("multivariate flip", f"{self.flip_verdict}" + (f", coefficient {self.flip.text(15)}" if self.flip is not None and self.flip.sign is not None else "") + (f" ({self.flip_note})" if self.flip_note else "")),
            ("GD simulation", self.simulation),
        ]
        return rows

    def to_text(self) -> str:
        rows = self._rows()
        width = max(len(a) for a, _ in rows)
        return "\n".join([f"f({', '.join(self.variables)}) = {self.expression}"] + [f"  {a.ljust(width)}  {b}" for a, b in rows] + [f"  (rigor: {self.rigor})"])

    def to_markdown(self) -> str:
        rows = "\n".join(f"| {a} | {b.replace('|', '/')} |" for a, b in self._rows())
        return f"### Multivariate check of $f$ = {math_text(self.expression, tuple(self.variables))}\n\n| quantity | value |\n|---|---|\n{rows}\n\n**Rigor:** {self.rigor}.\n"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _normalised(v):
    norm = sp.sqrt(sum(c**2 for c in v))
    return tuple(sp.radsimp(c / norm) for c in v)


def _exact_hessian(expr, symbols, point):
    subs = dict(zip(symbols, point, strict=True))
    return sp.Matrix(len(symbols), len(symbols), lambda i, j: sp.diff(expr, symbols[i], symbols[j]).subs(subs))


def check_multivariate(text: str, vars_text: str, at: str, simulate: bool = True, route: str = "auto") -> MultivariateCheck:
    """Check the loss ``text`` in the variables ``vars_text`` (``"x,y"``) at ``at`` (``"1,1"``);
    ``simulate`` runs GD just past ``eta_critical`` as evidence of which criterion is right.

    ``route``: ``"exact"`` computes the Hessian's eigen-structure with sympy; ``"certified"``
    encloses it with balls (:class:`CertifiedEigen`); ``"auto"`` takes the exact route for
    rational Hessians and small irrational ones (up to 3 variables), else the certified one."""
    if route not in ("auto", "exact", "certified"):
        raise InputError(f"unknown route {route!r} (auto, exact or certified)")
    names = parse_vars(vars_text)
    symbols = tuple(parse_variable_name(n) for n in names)
    expr = parse_expression(text, names)
    point = parse_point(at, len(names))
    labels = tuple(p.strip() for p in at.split(","))
    n = len(names)
    unit = [tuple(sp.Integer(int(i == j)) for j in range(n)) for i in range(n)]
    # The gradient must vanish exactly (a manifold of minima has no isolated zero to certify).
    for i in range(n):
        e = DirectionalExpansion(expr, symbols, point, unit[i], 1)
        d = decide(lambda c: c[1], e)
        if d.sign != 0:
            what = "is not proved to vanish" if d.sign is None else f"= {d.text(8)} != 0"
            raise InputError(f"({at}) is not a critical point: df/d{names[i]} {what}")
    hessian = _exact_hessian(expr, symbols, point)
    if hessian.has(sp.zoo, sp.nan, sp.I) or not all(h.is_number for h in hessian):
        raise InputError(f"the Hessian is not finite and real at ({at})")
    common = (text, names, symbols, expr, point, labels, hessian, simulate)
    small = all(h.is_Rational for h in hessian) or (n <= 3 and all(sp.count_ops(h) <= 60 for h in hessian))
    if route == "certified" or (route == "auto" and not small):
        return _check_certified(*common)
    try:
        eigen = sorted(hessian.eigenvects(), key=lambda t: -float(constant_enclosure(t[0], 64).mid()))
    except (NotImplementedError, sp.matrices.common.MatrixError, InputError) as exc:
        if route == "auto":
            return _check_certified(*common)
        raise InputError(f"the Hessian's eigen-structure could not be computed exactly ({type(exc).__name__})") from None
    if sum(m for _, m, _ in eigen) != n or any(len(vecs) != m for _, m, vecs in eigen):
        if route == "auto":
            return _check_certified(*common)
        raise InputError("the Hessian's exact eigen-decomposition is incomplete")
    eigenvalues = tuple(v for v, m, _ in eigen for _ in range(m))
    balls = tuple(constant_enclosure(v, 128) for v in eigenvalues)
    top, multiplicity, vectors = eigen[0]
    if multiplicity > 1:
        raise InputError(f"the top Hessian eigenvalue {sp.sstr(top)} is repeated (multiplicity {multiplicity}); no single top direction")
    if len(balls) > 1 and not balls[0] > balls[1]:
        # The order above used midpoints; the top must be certified strictly above the rest.
        raise InputError("the top Hessian eigenvalue cannot be certified to be separated from the next one")
    if any(b < 0 for b in balls):
        raise InputError(f"({at}) is not a minimum: the Hessian has a negative eigenvalue")
    if not balls[0] > 0:
        raise InputError(f"the Hessian vanishes at ({at})")
    q = tuple(vectors[0])  # exact entries, never nsimplify (heuristic: it may change the value)
    kernel = [k for v, m, vecs in eigen if v == 0 for k in vecs]
    flat = _flat_along_kernel(expr, symbols, point, kernel, at)
    eta0 = 2 / top
    others_stable = all(eta0 * v < 2 for v in eigenvalues[1:])
    cross = DirectionalExpansion(expr, symbols, point, q, expansion_order())
    cross_section = paper_criterion(cross)
    cross_flip = flip_normal_form(cross)
    flip, note = _multivariate_flip(expr, symbols, point, q, hessian, top)
    floats = [float(constant_enclosure(v, 64).mid()) for v in q]
    simulation = _simulate(expr, symbols, point, floats, float(constant_enclosure(eta0, 64).mid())) if simulate else "not run"
    return MultivariateCheck(text, names, point, labels, eigenvalues, balls, q, len(kernel), flat, eta0,
                             bool(others_stable), cross_section, cross_flip, flip, note, simulation)


def _flat_along_kernel(expr, symbols, point, kernel, at) -> bool | None:
    """Along a kernel line ``f(xb + t k) - f(xb)`` must be ``O(t^4)`` with a non-negative quartic
    term, as on a (possibly curved) manifold of minima; a cubic term means a saddle."""
    if not kernel:
        return None
    flat = True
    for k in kernel:
        line = DirectionalExpansion(expr, symbols, point, tuple(k), 4)
        cubic, quartic = decide(lambda c: c[3], line), decide(lambda c: c[4], line)
        if cubic.sign != 0 or quartic.sign not in (0, 1):
            if cubic.sign in (-1, 1) or quartic.sign == -1:
                raise InputError(f"({at}) is not a minimum: f changes sign at order 3 or 4 along a zero-curvature direction")
            flat = None
    return flat


#: Precisions tried to isolate the top eigenvalue on the certified route.
CERTIFY_PRECISIONS = (128, 256, 512, 1024)

#: Wall-clock budget (seconds) for sympy's exact kernel of an irrational Hessian.
KERNEL_SECONDS = 10.0


def _check_certified(text, names, symbols, expr, point, labels, hessian, simulate) -> MultivariateCheck:
    """The certified route: ball eigenpair (:class:`CertifiedEigen`), cross-section along the
    ball direction, multivariate flip with a ball ``H^+``; zero eigenvalues only by exact proof."""
    at = ",".join(labels)
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
    manifold_dimension, kernel = _certified_kernel(eigen, spectrum)
    if manifold_dimension is not None:
        eigen.kernel = kernel
        spectrum = eigen.at(spectrum.prec)
    balls = tuple(arb(0) if manifold_dimension and b.contains(0) else b for b in spectrum.intervals)
    flat = _flat_along_kernel(expr, symbols, point, kernel or [], at) if manifold_dimension else None
    with ctx.workprec(spectrum.prec):
        eta0 = 2 / spectrum.top

    def top_direction(prec):
        return eigen.at(prec).direction

    cross = BallDirectionalExpansion(expr, symbols, point, top_direction, expansion_order())
    cross_section = paper_criterion(cross)
    cross_flip = flip_normal_form(cross)
    if manifold_dimension is None:
        flip, note = Decision(None, None, None), "a zero eigenvalue is not proved exactly: the manifold dimension, so H^+, is undecided"
    else:
        flip, note = _certified_flip(expr, symbols, point, eigen)
    floats = [float(c.mid()) for c in spectrum.direction]
    simulation = _simulate(expr, symbols, point, floats, float(eta0.mid())) if simulate else "not run"
    return MultivariateCheck(text, names, point, labels, None, balls, None, manifold_dimension, flat, eta0,
                             True, cross_section, cross_flip, flip, note, simulation,
                             route="certified", direction_enclosure=spectrum.direction, certificate=eigen)


def _certified_kernel(eigen: CertifiedEigen, spectrum: CertifiedSpectrum) -> tuple[int | None, list | None]:
    """The manifold dimension: the number of eigenvalues whose enclosure contains 0 when that many
    independent exact kernel vectors are proved (``H v = 0`` by :func:`prove_zero`); else None."""
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
    from .decide import within_seconds, prove_zero

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


def _multivariate_flip(expr, symbols, point, q, hessian: sp.Matrix, top: sp.Expr) -> tuple[Decision | None, str]:
    """``-2c`` with ``c = (eta0/6)(3 g^T H^+ g - D^4 f[q,q,q,q]) / |q|^4`` (unit-q normalisation)."""
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


def _certified_flip(expr, symbols, point, eigen: CertifiedEigen) -> tuple[Decision, str]:
    """The same coefficient on the certified route: ball ``q`` (unit), ball ``l1`` and ball
    ``H^+`` at the working precision."""
    n = len(symbols)
    parts = _flip_parts(expr, symbols, point, lambda prec: eigen.at(prec).direction)

    def quantity(c):
        prec = ctx.prec
        spectrum, pinv = eigen.at(prec), eigen.pinv(prec)
        return _flip_value(c, n, lambda i, j: pinv[i, j], 2 / spectrum.top, 1)

    d = decide(quantity, _Bundle(parts))
    return d, "" if d.sign is not None else "the sign could not be decided"


def _simulate(expr, symbols, point, direction, eta0, relative: float = 1e-3, steps: int = 20000) -> str:
    """GD at 53-bit precision at ``eta0 (1 + relative)`` from ``xb + 1e-3 q``: what it does
    (numeric evidence, never a verdict); ``direction`` and ``eta0`` are floats."""
    import numpy as np

    grads = [ball_function(sp.diff(expr, s), tuple(symbols)) for s in symbols]
    with ctx.workprec(53):
        x = [arb(float(constant_enclosure(v, 64).mid())) for v in point]
        direction = np.array(direction, dtype=float)
        direction /= np.linalg.norm(direction)
        x = [a + float(1e-3 * d) for a, d in zip(x, direction, strict=True)]
        eta = arb(eta0 * (1 + relative))
        history = []
        for k in range(steps):
            x = [(a - eta * g(x)).mid() for a, g in zip(x, grads, strict=True)]
            if not all(a.is_finite() and abs(a) < 1e6 for a in x):
                return f"diverged after {k + 1} steps at eta = eta0 (1 + {relative:g})"
            if k >= steps - 3:
                history.append(np.array([float(a) for a in x]))
    a, b, c = history
    if np.linalg.norm(c - a) < 1e-9 * (1 + np.linalg.norm(c)):
        width = np.linalg.norm(c - b)
        if width < 1e-9:
            return f"converged to a fixed point at eta = eta0 (1 + {relative:g}) (e.g. a flatter minimum on the manifold)"
        return f"stable 2-cycle of width {width:.3g} at eta = eta0 (1 + {relative:g}) (GD evidence)"
    return f"no period-1 or period-2 convergence after {steps} steps at eta = eta0 (1 + {relative:g})"


# ---------------------------------------------------------------------------------------------
# The certified route: Hessians whose eigen-structure sympy cannot (or should not) compute.


class RepeatedTop(Undetermined):
    """The top Gershgorin cluster holds more than one eigenvalue at this precision."""

    def __init__(self, count: int, interval: arb):
        super().__init__(f"{count} eigenvalues lie in {enclosure_text(interval, 10)}")
        self.count, self.interval = count, interval


@dataclass(frozen=True)
class CertifiedSpectrum:
    """The Hessian's spectrum at one precision, certified: ``intervals[i]`` encloses the i-th
    largest eigenvalue (members of a cluster share the cluster's interval); ``clusters`` groups
    indices whose Gershgorin discs could not be separated; ``direction`` encloses the unit top
    eigenvector (oriented so that its component ``orientation`` is positive)."""

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
    :class:`~symbolic_eos.jets.Undetermined` (try more bits)."""

    def __init__(self, hessian: sp.Matrix):
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
            intervals = [None] * n
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
            clusters = tuple(tuple(sorted(index[i] for i in g)) for g in sorted(clusters, key=lambda g: index[g[0]]))
            top = intervals[0]
            direction = self._direction(H, V, t, top, others, prec)
        return CertifiedSpectrum(prec, H, tuple(intervals), clusters, direction, self.orientation)

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

    def compare(i, j):
        a, b = discs[i].lower(), discs[j].lower()
        return -1 if a < b else 1 if a > b else 0

    groups: list[list[int]] = []
    high = None
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


# ---------------------------------------------------------------------------------------------
# 2-cycles in several variables.


class MultiCycleSystem:
    """Unknowns ``(x0, x1)`` in ``R^n x R^n``: ``F(x0) = x1``, ``F(x1) = x0`` for
    ``F = x - eta grad f`` (gradient and Hessian as ball functions, so boxes give enclosures)."""

    def __init__(self, expr, symbols, eta_at):
        self.n = len(symbols)
        self.eta_at = eta_at
        self.grad = [ball_function(sp.diff(expr, s), tuple(symbols)) for s in symbols]
        self.hess = [[ball_function(sp.diff(expr, a, b), tuple(symbols)) for b in symbols] for a in symbols]

    def step(self, x, prec):
        with ctx.workprec(prec):
            eta = self.eta_at(prec)
            return [xi - eta * g(x) for xi, g in zip(x, self.grad, strict=True)]

    def _df(self, x, prec):
        eta = self.eta_at(prec)
        return [[(1 if i == j else 0) - eta * self.hess[i][j](x) for j in range(self.n)] for i in range(self.n)]

    def residual(self, v, prec):
        with ctx.workprec(prec):
            x0, x1 = list(v[: self.n]), list(v[self.n :])
            f0, f1 = self.step(x0, prec), self.step(x1, prec)
            return [a - b for a, b in zip(f0, x1, strict=True)] + [a - b for a, b in zip(f1, x0, strict=True)]

    def jacobian(self, v, prec):
        with ctx.workprec(prec):
            n = self.n
            d0, d1 = self._df(list(v[:n]), prec), self._df(list(v[n:]), prec)
            minus = [[arb(-1) if i == j else arb(0) for j in range(n)] for i in range(n)]
            return [d0[i] + minus[i] for i in range(n)] + [minus[i] + d1[i] for i in range(n)]

    def product(self, v, prec) -> arb_mat:
        """``DF(x1) DF(x0)``: its eigenvalues are the 2-cycle's multipliers."""
        with ctx.workprec(prec):
            n = self.n
            return arb_mat(self._df(list(v[n:]), prec)) * arb_mat(self._df(list(v[:n]), prec))

    def multiplier(self, v, prec) -> arb:
        """The multiplier of largest modulus, approximately: only used to steer continuation."""
        import numpy as np

        m = self.product(v, prec)
        values = np.linalg.eigvals(np.array([[float(m[i, j].mid()) for j in range(self.n)] for i in range(self.n)]))
        return arb(float(values[np.argmax(np.abs(values))].real))


@dataclass(frozen=True)
class MultiCycle:
    """A 2-cycle in several variables with its certified multipliers."""

    points: tuple[tuple[arb, ...], tuple[arb, ...]]
    multipliers: tuple
    certified: bool
    stable: bool
    radius: arb
    digits: int

    def printed(self, digits: int) -> tuple[list[list[str]], str]:
        """The points' coordinates to ``digits`` digits and a radius that covers their rounding."""
        texts = [[decimal_string(c, digits) for c in p] for p in self.points]
        balls = [c for p in self.points for c in p]
        return texts, printed_radius(balls, [t for p in texts for t in p], self.radius)

    def to_dict(self) -> dict:
        points, radius = self.printed(max(15, self.digits))
        return {
            "points": points,
            "multiplier": [decimal_string(m.real, 17) + ("" if m.imag.contains(0) else f" + {decimal_string(m.imag, 17)}i") for m in self.multipliers],
            "stable": self.stable,
            "certified": self.certified,
            "radius": radius,
            "box_radius": upper_text(self.radius),
        }


@dataclass(frozen=True)
class MultiOrbitReport:
    expression: str
    variables: tuple[str, ...]
    eta: str
    minimum: MultivariateCheck
    cycle: MultiCycle | None
    message: str | None

    @property
    def orbits(self):
        return () if self.cycle is None else (self.cycle,)

    def to_dict(self) -> dict:
        return {"eta": decimal_string(parse_constant(self.eta), 17), "orbits": [self.cycle.to_dict()] if self.cycle else [],
                "variables": list(self.variables), "minimum": [str(v) for v in self.minimum.point], "message": self.message}

    def to_text(self) -> str:
        head = f"2-cycles of GD on f({', '.join(self.variables)}) = {self.expression} at eta = {self.eta}"
        if self.cycle is None:
            return head + f"\n  {self.message}"
        d = self.cycle.to_dict()
        points, radius = self.cycle.printed(20)
        lines = [head, f"  x0 = ({', '.join(points[0])})", f"  x1 = ({', '.join(points[1])})",
                 f"  multipliers (eigenvalues of DF(x1) DF(x0)) = {', '.join(m[:20] for m in d['multiplier'])}",
                 f"  {'certified (Krawczyk, box radius ' + d['box_radius'] + '; the points shown are within ' + radius + ')' if self.cycle.certified else 'NOT certified'}; "
                 f"{'stable (every |multiplier| < 1 certified)' if self.cycle.stable else 'not certified stable'}"]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        return "```\n" + self.to_text() + "\n```\n"


def multivariate_orbit(text: str, vars_text: str, at: str, eta: str, digits: int = 30) -> MultiOrbitReport:
    """The 2-cycle of GD at ``eta`` on the branch born at the minimum ``at`` (several variables)."""
    from .orbits import NoConvergence, bits_for_digits, certify, check_digits, continue_branch, solve_system

    digits = check_digits(digits)
    minimum = check_multivariate(text, vars_text, at, simulate=False)
    names = minimum.variables
    symbols = tuple(parse_variable_name(n) for n in names)
    expr = parse_expression(text, names)
    eta_value = parse_constant(eta, what="the learning rate")
    flip = minimum.flip
    if flip is None or flip.sign not in (-1, 1):
        return MultiOrbitReport(text, names, eta, minimum, None, "the multivariate flip coefficient is undecided: no branch is predicted")
    prec = bits_for_digits(digits)
    low = bits_for_digits(20)
    with ctx.workprec(low):
        l1 = +minimum.top_enclosure(low)
        eta0 = 2 / l1
        above = constant_enclosure(eta_value, low) > eta0
        below = constant_enclosure(eta_value, low) < eta0
        if not (above or below):
            return MultiOrbitReport(text, names, eta, minimum, None, "eta is (numerically) eta0, where the 2-cycle has zero amplitude")
        if (flip.sign < 0) != bool(above):
            side = "above" if flip.sign < 0 else "below"
            return MultiOrbitReport(text, names, eta, minimum, None,
                                    f"no 2-cycle is born here: the flip at eta0 = {decimal_string(minimum.eta_critical, 15)} is "
                                    f"{minimum.flip_verdict}, so the local branch exists only for eta {side} eta0")
        g3 = flip.enclosure if flip.exact is None else constant_enclosure(sp.Rational(int(flip.exact.p), int(flip.exact.q)) if isinstance(flip.exact, fmpq) else flip.exact, low)
        xb = [constant_enclosure(v, low) for v in minimum.point]
        q = [+c for c in minimum.unit_direction_enclosure(low)]

    def system_at(eta_mpf):
        value = arb(eta_mpf)
        return MultiCycleSystem(expr, symbols, lambda p: value)

    def seed_at(eta_ball):
        with ctx.workprec(low):
            lam = (1 - eta_ball * l1) ** 2 - 1
            ratio = -lam / g3
            if not ratio > 0:
                return None
            t = ratio.mid().sqrt()
            x0 = [a + t * b for a, b in zip(xb, q, strict=True)]
            x1 = MultiCycleSystem(expr, symbols, lambda p: eta_ball).step(x0, low)
            return x0 + x1

    scale = max([1.0] + [abs(float(v.mid())) for v in xb])
    try:
        _, approx = continue_branch(system_at, seed_at, len(symbols), scale, eta0, constant_enclosure(eta_value, low))
        system = MultiCycleSystem(expr, symbols, lambda p: constant_enclosure(eta_value, p))
        solution = solve_system(system, approx, digits)
    except NoConvergence as exc:
        return MultiOrbitReport(text, names, eta, minimum, None, f"the branch could not be followed to eta = {eta}: {exc}")
    result = certify(system, solution, prec)
    n = len(symbols)
    with ctx.workprec(prec):
        box = result.enclosure if result.certified else tuple(arb(t) for t in solution)
        x0, x1 = tuple(box[:n]), tuple(box[n:])
        distinct = any(not a.overlaps(b) for a, b in zip(x0, x1, strict=True))
        certified = result.certified and distinct
        try:
            multipliers = tuple(acb_mat(system.product(list(box), prec)).eig(algorithm="rump", multiple=True))
        except ValueError:
            multipliers = ()
        stable = bool(certified and multipliers and all(abs(m) < 1 for m in multipliers))
    return MultiOrbitReport(text, names, eta, minimum, MultiCycle((x0, x1), multipliers, certified, stable, result.radius, digits), None)
