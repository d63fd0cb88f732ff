"""The multivariate check of a loss at a minimum: the Hessian's top eigen-direction, the paper's
cross-section criterion and the exact (multivariate) flip coefficient, with GD simulated as evidence.

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

* **only where it applies**: at a non-isolated minimum the formula needs ``g`` orthogonal to
  ``ker H``.  ``P_ker g`` is the first-order change of the sharpness along the manifold of
  minima (``d l1/ds = D^3 f[q,q,k]``, :class:`SharpnessGradient`); when it is proved non-zero
  and the manifold is proved (:func:`minima_manifold`), the verdict is ``"drift"``: past
  ``eta0`` GD drifts to flatter minima and no 2-cycle is born at ``xb``.  Not proved zero, the
  coefficient is not reported (``"undecided"`` with the reason).

The Hessian's eigen-structure is exact (sympy) for rational Hessians and small irrational ones;
beyond that it is certified with balls (:class:`~symbolic_eos.linalg.eigen.CertifiedEigen`, route
``certified``), and every verdict is then certified or undecided.  The pieces live beside this
pipeline: the eigen-structure and the manifold of minima in :mod:`symbolic_eos.multi.hessian`, the
sharpness gradient and the flip coefficient in :mod:`symbolic_eos.multi.flip`, the 2-cycles past
``eta0`` in :mod:`symbolic_eos.multi.cycles`.

>>> from symbolic_eos import check_multivariate
>>> r = check_multivariate("(x*y - 1)**2/2", "x,y", "1,1")
>>> [str(v) for v in r.eigenvalues_exact], r.manifold_dimension, r.cross_section.verdict, r.flip_verdict
(['2', '0'], 1, 'holds', 'supercritical')
>>> check_multivariate("(x*y - 1)**2/2", "x,y", "2,1/2", simulate=False).flip_verdict
'drift'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

import sympy as sp
from flint import arb, ctx

from ..analysis.criteria import FlipNormalForm, PaperCriterion, expansion_order, flip_normal_form, paper_criterion
from ..core.decide import Decision, decide
from ..core.numbers import decimal_string, enclosure_text
from ..errors import InputError
from ..core.jets import Undetermined, ball_function, constant_enclosure
from ..core import arguments
from ..analysis.results import math_text
from ..core.vocabulary import Flip, Rigor, Route, SharpnessStatus
from ..linalg.eigen import CertifiedEigen
from .expansions import BallDirectionalExpansion, DirectionalExpansion
from .hessian import (MinimaManifold, NoExactEigen, certified_kernel, certified_spectrum, exact_eigen, exact_hessian, flat_along_kernel,
                      minima_manifold)
from .flip import SharpnessGradient, certified_flip, multivariate_flip, sharpness_gradient

__all__ = ["MultivariateCheck", "check_multivariate_expr", "MAX_VARIABLES"]


MAX_VARIABLES = 8


@dataclass(frozen=True)
class MultivariateCheck:
    """The multivariate check at one point (see the module docstring).  Fields: the loss
    ``expression`` in ``variables`` at ``point`` (shown as ``point_labels``); the Hessian's
    ``eigenvalues_exact`` (exact route) and ``eigenvalue_balls``, its top eigenvector
    ``direction`` (exact) or ``direction_enclosure`` (certified route, with its
    ``certificate``), the ``manifold_dimension`` of its kernel and whether f is
    ``flat_along_kernel``; ``eta_critical`` ``2/l1`` and whether the ``others_stable``; the
    1-D ``cross_section`` criterion and ``cross_section_flip``; the multivariate ``flip``
    coefficient with its ``flip_note``; the GD ``simulation`` evidence; the ``route`` taken; the
    ``sharpness_gradient`` along the kernel and the ``manifold`` of minima proof.

    >>> from symbolic_eos import check_multivariate
    >>> r = check_multivariate("(x*y - 1)**2/2", "x,y", "1,1", simulate=False)
    >>> r.route, r.eigenvalues_exact, r.direction, r.eta_critical, r.others_stable, r.flip.exact
    ('exact', (2, 0), (1, 1), 1, True, -8)
    """

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
    route: Route = Route.EXACT  # exact: sympy eigen-structure; certified: ball eigenpair (CertifiedEigen)
    direction_enclosure: tuple[arb, ...] | None = None  # the unit top eigenvector (certified route)
    certificate: CertifiedEigen | None = field(default=None, repr=False, compare=False)
    #: The first-order change of the sharpness along ker H (None when ker H = {0} or unknown).
    sharpness_gradient: SharpnessGradient | None = None
    #: Whether ker H is proved tangent to a manifold of minima (None when ker H = {0} or unknown).
    manifold: MinimaManifold | None = None

    def __post_init__(self) -> None:
        # The route is compared by identity below: a caller's word becomes its member here.
        object.__setattr__(self, "route", Route(self.route))

    def top_enclosure(self, prec: int) -> arb:
        """A ball for the top eigenvalue at (at least) ``prec`` bits."""
        if self.certificate is None:
            assert self.eigenvalues_exact is not None  # the exact route has them
            return constant_enclosure(self.eigenvalues_exact[0], prec)
        return self.certificate.at(max(prec, 128)).top

    def unit_direction_enclosure(self, prec: int) -> tuple[arb, ...]:
        """Balls for the unit top eigenvector at (at least) ``prec`` bits."""
        if self.certificate is None:
            return tuple(constant_enclosure(v, prec) for v in _normalised(self.direction))
        return self.certificate.at(max(prec, 128)).direction

    @property
    def drift(self) -> bool:
        """The sharpness changes at first order along a (proved) manifold of minima: past eta0
        GD drifts to flatter minima and no 2-cycle is born here (docs/multivariate.md)."""
        return (self.sharpness_gradient is not None and self.sharpness_gradient.status is SharpnessStatus.NONZERO
                and self.manifold is not None and self.manifold.proved)

    @property
    def flip_verdict(self) -> Flip:
        if self.drift:
            return Flip.DRIFT
        if self.flip is None or self.flip.sign is None:
            return Flip.UNDECIDED
        return {-1: Flip.SUPERCRITICAL, 1: Flip.SUBCRITICAL, 0: Flip.UNDECIDED}[self.flip.sign]

    @property
    def rigor(self) -> Rigor:
        if self.route is Route.CERTIFIED:
            return Rigor.CERTIFIED
        facts = [d for d in (self.flip, self.cross_section.quantity) if d is not None]
        if self.sharpness_gradient is not None and self.sharpness_gradient.status is not SharpnessStatus.UNDECIDED:
            facts += self.sharpness_gradient.decisions
        return Rigor.EXACT if all(d.rigor == Rigor.EXACT for d in facts) else Rigor.CERTIFIED

    def to_dict(self) -> dict:
        exact = self.route is Route.EXACT
        # the exact route fills the exact fields, the certified route the enclosures
        eigenvalues, vector, enclosure = self.eigenvalues_exact or (), self.direction or (), self.direction_enclosure or ()
        unit = _normalised(vector) if exact else enclosure
        point = [decimal_string(v, 17) for v in self.point]
        return {
            "point": point,
            "minimum": point,  # the name orbit, window and existence use
            "eigenvalues": [decimal_string(v, 17) for v in (eigenvalues if exact else self.eigenvalue_balls)],
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
            "eigenvalues_exact": [sp.sstr(v) for v in eigenvalues] if exact else None,
            "eigenvalue_enclosures": [enclosure_text(b, 20) for b in self.eigenvalue_balls],
            "direction_exact": [sp.sstr(v) for v in vector] if exact else None,
            "direction_enclosure": None if exact else [enclosure_text(b, 20) for b in enclosure],
            "eta_critical_exact": sp.sstr(self.eta_critical) if exact else None,
            "others_stable": self.others_stable,
            "flat_along_kernel": self.flat_along_kernel,
            "cross_section_case": self.cross_section.case,
            "cross_section_reason": self.cross_section.reason,
            "cross_section_flip_verdict": self.cross_section_flip.verdict,
            "flip_note": self.flip_note,
            "simulation": self.simulation,
            "sharpness_gradient": None if self.sharpness_gradient is None else self.sharpness_gradient.to_dict(),
            "manifold_of_minima": None if self.manifold is None else ("proved" if self.manifold.proved else "not proved"),
            "manifold_proved": None if self.manifold is None else bool(self.manifold.proved),  # the same, as a boolean
            "manifold_reason": None if self.manifold is None else self.manifold.reason,
        }

    def _rows(self) -> list[tuple[str, str]]:
        point = ", ".join(f"{v} = {p}" for v, p in zip(self.variables, self.point_labels, strict=True))
        if self.route is Route.EXACT:
            assert self.eigenvalues_exact is not None and self.direction is not None  # the exact route has them
            values = ", ".join(sp.sstr(v) for v in self.eigenvalues_exact)
            direction = "(" + ", ".join(sp.sstr(v) for v in self.direction) + ")"
            eta = sp.sstr(self.eta_critical)
        else:
            assert self.direction_enclosure is not None  # the certified route has it
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
             + ("" if not self.manifold_dimension
                else (", f = O(t^4) with a non-negative quartic along each kernel line (consistent with a manifold of minima)"
                      if self.flat_along_kernel else ", kernel lines undecided"))),
            ("cross-section (paper)",
             f"{self.cross_section.verdict} ({self.cross_section.case or 'no case'}): {self.cross_section.reason}"),
            ("cross-section flip", self.cross_section_flip.verdict),
        ]
        if self.sharpness_gradient is not None:
            rows.append(("sharpness along ker H", self.sharpness_gradient.summary()))
        if self.manifold is not None:
            rows.append(("manifold of minima", self.manifold.to_text()))
        rows += [
            ("multivariate flip", f"{self.flip_verdict}"
             + (f", coefficient {self.flip.text(15)}" if self.flip is not None and self.flip.sign is not None else "")
             + (f" ({self.flip_note})" if self.flip_note else "")),
            ("GD simulation", self.simulation),
        ]
        return rows

    def to_text(self) -> str:
        rows = self._rows()
        width = max(len(a) for a, _ in rows)
        return "\n".join([f"f({', '.join(self.variables)}) = {self.expression}"] + [f"  {a.ljust(width)}  {b}" for a, b in rows]
                         + [f"  (rigor: {self.rigor})"])

    def to_markdown(self) -> str:
        # GitHub Markdown escapes a pipe inside a table cell as \| (so |P_ker g| stays a norm).
        rows = "\n".join(f"| {a} | {b.replace('|', chr(92) + '|')} |" for a, b in self._rows())
        return (f"### Multivariate check of $f$ = {math_text(self.expression, tuple(self.variables))}\n\n"
                f"| quantity | value |\n|---|---|\n{rows}\n\n**Rigor:** {self.rigor}.\n")

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _normalised(v):
    norm = sp.sqrt(sum(c**2 for c in v))
    return tuple(sp.radsimp(c / norm) for c in v)


def check_multivariate_expr(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: tuple[sp.Expr, ...], simulate: bool = True,
                            route: str = "auto", *, text: str | None = None, labels: tuple[str, ...] | None = None,
                            at_text: str | None = None) -> MultivariateCheck:
    """Check the loss ``expr`` in the variables ``symbols`` at the exact ``point`` (printed as
    ``labels``, or together as ``at_text``; ``text`` is the loss as written): the Hessian's top eigenvalue ``lambda_1``,
    ``eta_critical = 2 / lambda_1``, the 1-D cross-section along the top eigenvector and the
    multivariate flip coefficient; ``simulate`` runs GD just past ``eta_critical`` as evidence
    of which criterion is right.

    ``route``: ``"exact"`` computes the Hessian's eigen-structure with sympy; ``"certified"``
    encloses it with balls (:class:`CertifiedEigen`); ``"auto"`` takes the exact route for
    rational Hessians and small irrational ones (up to 3 variables), else the certified one.

    >>> x, y = sp.symbols("x y")
    >>> r = check_multivariate_expr((x*y - 1)**2 / 2, (x, y), (sp.Integer(1), sp.Integer(1)), simulate=False)
    >>> r.cross_section.verdict, r.flip_verdict, r.manifold_dimension, r.rigor
    ('holds', 'supercritical', 1, 'exact')

    A point that is not a critical point is refused:

    >>> check_multivariate_expr(x**2 + y**2, (x, y), (sp.Integer(1), sp.Integer(1)))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: (1,1) is not a critical point: df/dx = 2.0000000 != 0
    """
    expr = arguments.instance(expr, "expr", sp.Expr, "a sympy expression (symbolic_eos.api parses text)")
    symbols = arguments.instances(symbols, "symbols", sp.Symbol, "a sympy Symbol", MAX_VARIABLES)
    point = arguments.instances(point, "point", sp.Expr, "a sympy constant", MAX_VARIABLES)
    simulate = arguments.flag(simulate, "simulate")
    route = Route(arguments.choice(route, "route", tuple(Route)))
    if len(point) != len(symbols):
        raise InputError(f"`point` has {len(point)} coordinate(s) but `symbols` names {len(symbols)} variable(s)",
                         parameters=("point", "symbols"))
    names = tuple(str(v) for v in symbols)
    text = sp.sstr(expr) if text is None else text
    labels = tuple(sp.sstr(v) for v in point) if labels is None else labels
    at = ",".join(labels) if at_text is None else at_text
    n = len(names)
    unit = [tuple(sp.Integer(int(i == j)) for j in range(n)) for i in range(n)]
    # The gradient must vanish exactly (a manifold of minima has no isolated zero to certify).
    for i in range(n):
        e = DirectionalExpansion(expr, symbols, point, unit[i], 1)
        d = decide(lambda c: c[1], e)
        if d.sign != 0:
            what = "is not proved to vanish" if d.sign is None else f"= {d.text(8)} != 0"
            raise InputError(f"({at}) is not a critical point: df/d{names[i]} {what}")
    hessian = exact_hessian(expr, symbols, point)
    if hessian.has(sp.zoo, sp.nan, sp.I) or not all(h.is_number for h in hessian):
        raise InputError(f"the Hessian is not finite and real at ({at})")
    common = (text, names, symbols, expr, point, labels, hessian, simulate)
    small = all(h.is_Rational for h in hessian) or (n <= 3 and all(sp.count_ops(h) <= 60 for h in hessian))
    if route is Route.CERTIFIED or (route is Route.AUTO and not small):
        return _check_certified(*common)
    try:
        eigen = exact_eigen(hessian, at)
    except NoExactEigen as exc:
        if route is Route.AUTO:
            return _check_certified(*common)
        raise InputError(str(exc)) from None
    eigenvalues, balls, top, q, kernel = eigen.eigenvalues, eigen.balls, eigen.top, eigen.direction, eigen.kernel
    flat = flat_along_kernel(expr, symbols, point, kernel, at)
    eta0 = 2 / top
    # Every other eigenvalue l_i is proved to lie in [0, l1), so 1 - eta0 l_i is in (-1, 1].
    others_stable = True
    cross = DirectionalExpansion(expr, symbols, point, q, expansion_order())
    cross_section = paper_criterion(cross)
    cross_flip = flip_normal_form(cross)
    sharp, manifold = _kernel_facts(expr, symbols, point, kernel, q)
    if sharp is None or sharp.status is SharpnessStatus.ZERO:
        flip, note = multivariate_flip(expr, symbols, point, q, hessian, top)
    else:
        flip, note = None, _kernel_note(sharp, manifold)
    floats = [float(constant_enclosure(v, 64).mid()) for v in q]
    simulation = _simulate(expr, symbols, point, floats, float(constant_enclosure(eta0, 64).mid())) if simulate else "not run"
    return MultivariateCheck(text, names, point, labels, eigenvalues, balls, q, len(kernel), flat, eta0,
                             bool(others_stable), cross_section, cross_flip, flip, note, simulation,
                             sharpness_gradient=sharp, manifold=manifold)


def _check_certified(text: str, names: tuple[str, ...], symbols: tuple[sp.Symbol, ...], expr: sp.Expr, point: tuple[sp.Expr, ...],
                     labels: tuple[str, ...], hessian: sp.Matrix, simulate: bool) -> MultivariateCheck:
    """The certified route: ball eigenpair (:class:`CertifiedEigen`), cross-section along the
    ball direction, multivariate flip with a ball ``H^+``; zero eigenvalues only by exact proof."""
    at = ",".join(labels)
    eigen, spectrum = certified_spectrum(hessian, at)
    manifold_dimension, kernel = certified_kernel(eigen, spectrum)
    if manifold_dimension is not None:
        eigen.kernel = kernel
        spectrum = eigen.at(spectrum.prec)
    balls = tuple(arb(0) if manifold_dimension and b.contains(0) else b for b in spectrum.intervals)
    flat = flat_along_kernel(expr, symbols, point, kernel or [], at) if manifold_dimension else None
    with ctx.workprec(spectrum.prec):
        eta0 = 2 / spectrum.top

    def top_direction(prec):
        return eigen.at(prec).direction

    cross = BallDirectionalExpansion(expr, symbols, point, top_direction, expansion_order())
    cross_section = paper_criterion(cross)
    cross_flip = flip_normal_form(cross)
    sharp, manifold = None, None
    if manifold_dimension is None:
        flip, note = Decision(None, None, None), "a zero eigenvalue is not proved exactly: the manifold dimension, so H^+, is undecided"
    else:
        sharp, manifold = _kernel_facts(expr, symbols, point, kernel or [], eigen)
        if sharp is None or sharp.status is SharpnessStatus.ZERO:
            flip, note = certified_flip(expr, symbols, point, eigen)
        else:
            flip, note = None, _kernel_note(sharp, manifold)
    floats = [float(c.mid()) for c in spectrum.direction]
    simulation = _simulate(expr, symbols, point, floats, float(eta0.mid())) if simulate else "not run"
    return MultivariateCheck(text, names, point, labels, None, balls, None, manifold_dimension, flat, eta0,
                             True, cross_section, cross_flip, flip, note, simulation,
                             route=Route.CERTIFIED, direction_enclosure=spectrum.direction, certificate=eigen,
                             sharpness_gradient=sharp, manifold=manifold)


def _kernel_facts(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: Sequence[sp.Expr], kernel: list[sp.Matrix],
                  direction: Sequence[sp.Expr] | CertifiedEigen) -> tuple[SharpnessGradient | None, MinimaManifold | None]:
    """The sharpness gradient along ``ker H`` and the manifold proof (both None for ``ker H = 0``);
    an evaluation failure leaves the sharpness gradient undecided."""
    if not kernel:
        return None, None
    try:
        sharp = sharpness_gradient(expr, symbols, point, kernel, direction)
    except (Undetermined, InputError, ZeroDivisionError):
        undecided = Decision(None, None, None)
        sharp = SharpnessGradient(tuple(tuple(k) for k in kernel), (undecided,) * len(kernel), (undecided,) * len(symbols), undecided)
    try:
        manifold = minima_manifold(expr, symbols, point, len(kernel))
    except (Undetermined, InputError, ZeroDivisionError) as exc:
        manifold = MinimaManifold(False, f"the least-squares structure could not be evaluated ({exc})")
    return sharp, manifold


def _kernel_note(sharp: SharpnessGradient, manifold: MinimaManifold | None) -> str:
    """Why the flip coefficient is not reported when ``P_ker g`` is not proved zero."""
    if sharp.status is SharpnessStatus.UNDECIDED:
        return ("whether g = D^3 f[v,v,.] has a component in ker H is undecided, and the flip coefficient "
                "(3 g^T H^+ g - D^4 f[v,v,v,v]) applies only when it has none")
    rate = f"rate |P_ker g| = {sharp.norm_text()}"
    if manifold is not None and manifold.proved:
        return (f"the sharpness drifts along the manifold of minima at {rate}; GD past eta0 drifts to flatter "
                "minima; no 2-cycle is born here (g = D^3 f[v,v,.] has a component in ker H, so the flip "
                "coefficient does not apply)")
    return (f"g = D^3 f[v,v,.] has a component in ker H (the sharpness changes along ker H at {rate}), so the flip "
            "coefficient does not apply; if ker H were tangent to a manifold of minima, GD past eta0 would drift to "
            f"flatter minima with no 2-cycle born here, but that is not proved ({manifold.reason if manifold else 'not attempted'})")


def _simulate(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: Sequence[sp.Expr], direction: Sequence[float], eta0: float,
              relative: float = 1e-3, steps: int = 20000) -> str:
    """GD at 53-bit precision at ``eta0 (1 + relative)`` from ``xb + 1e-3 q``: what it does
    (numeric evidence, never a verdict); ``direction`` and ``eta0`` are floats."""
    import numpy as np

    grads = [ball_function(sp.diff(expr, s), tuple(symbols)) for s in symbols]
    with ctx.workprec(53):
        x = [arb(float(constant_enclosure(v, 64).mid())) for v in point]
        unit = np.array(direction, dtype=float)
        unit /= np.linalg.norm(unit)
        x = [a + float(1e-3 * d) for a, d in zip(x, unit, strict=True)]
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
            ratio = _float_sharpness(expr, symbols, c) * eta0 / 2
            flatter = " < 2/eta: a flatter minimum" if ratio < 1 / (1 + relative) else ""
            return f"converged to a fixed point at eta = eta0 (1 + {relative:g}) with sharpness {ratio:.5f} l1{flatter} (GD evidence)"
        return f"stable 2-cycle of width {width:.3g} at eta = eta0 (1 + {relative:g}) (GD evidence)"
    return f"no period-1 or period-2 convergence after {steps} steps at eta = eta0 (1 + {relative:g})"


def _float_sharpness(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], x: Iterable[float]) -> float:
    """The top Hessian eigenvalue at the float point ``x`` (numeric evidence, never a verdict)."""
    import numpy as np

    n = len(symbols)
    with ctx.workprec(53):
        ball = [arb(float(v)) for v in x]
        H = np.array([[float(ball_function(sp.diff(expr, symbols[i], symbols[j]), tuple(symbols))(ball).mid())
                       for j in range(n)] for i in range(n)])
    return float(np.linalg.eigvalsh((H + H.T) / 2)[-1])
