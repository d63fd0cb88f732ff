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

* **only where it applies**: at a non-isolated minimum the formula needs ``g`` orthogonal to
  ``ker H``.  ``P_ker g`` is the first-order change of the sharpness along the manifold of
  minima (``d l1/ds = D^3 f[q,q,k]``, :class:`SharpnessGradient`); when it is proved non-zero
  and the manifold is proved (:func:`minima_manifold`), the verdict is ``"drift"``: past
  ``eta0`` GD drifts to flatter minima and no 2-cycle is born at ``xb``.  Not proved zero, the
  coefficient is not reported (``"undecided"`` with the reason).

The Hessian's eigen-structure is exact (sympy) for rational Hessians and small irrational ones;
beyond that it is certified with balls (:class:`CertifiedEigen`, ``route == "certified"``), and
every verdict is then certified or undecided.

>>> from symbolic_eos import check_multivariate
>>> r = check_multivariate("(x*y - 1)**2/2", "x,y", "1,1")
>>> [str(v) for v in r.eigenvalues_exact], r.manifold_dimension, r.cross_section.verdict, r.flip_verdict
(['2', '0'], 1, 'holds', 'supercritical')
>>> check_multivariate("(x*y - 1)**2/2", "x,y", "2,1/2", simulate=False).flip_verdict
'drift'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence, cast

import sympy as sp
from sympy.matrices.exceptions import MatrixError  # (sympy 1.14 has no sympy.matrices.common)
from flint import acb_mat, arb, arb_mat, ctx, fmpq

from ..analysis.criteria import FlipNormalForm, PaperCriterion, expansion_order, flip_normal_form, paper_criterion
from ..core.decide import Decision, as_sympy, decide, decimal_string, enclosure_text, printed_radius, upper_text, weakest_rigor
from ..errors import InputError, brief
from ..core.jets import (
    Jet,
    NotRational,
    SymbolicCoefficients,
    arb_to_fmpq,
    Undetermined,
    ball_function,
    constant_enclosure,
    directional_coefficients,
    exact_directional_coefficients,
    rungs,
    to_fmpq,
)
from ..core import arguments
from ..analysis.results import math_text
from ..core.vocabulary import Flip, NoCycleCause, Rigor

__all__ = ["MultivariateCheck",
           "SharpnessGradient", "MinimaManifold", "minima_manifold",
           "check_multivariate_expr", "multivariate_orbit_expr", "MultiOrbitReport", "MAX_VARIABLES"]

MAX_VARIABLES = 8


class DirectionalExpansion:
    """Taylor coefficients of ``t -> f(xb + t d)``, with the interface of
    :class:`symbolic_eos.core.decide.Expansion` (exact / balls / closed forms)."""

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
    decision is certified or undecided."""

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

    ``status``: ``"nonzero"`` (proved: the flip coefficient does not apply), ``"zero"`` (proved:
    it applies) or ``"undecided"``.

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
    def status(self) -> str:
        if self.norm_squared.sign == 1 or any(d.sign in (-1, 1) for d in self.components):
            return "nonzero"
        if self.norm_squared.sign == 0 or all(d.sign == 0 for d in self.components):
            return "zero"
        return "undecided"

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """The facts the status rests on."""
        if self.status == "nonzero":
            return (self.norm_squared,) if self.norm_squared.sign == 1 else tuple(d for d in self.components if d.sign in (-1, 1))[:1]
        if self.status == "zero":
            return (self.norm_squared,) if self.norm_squared.sign == 0 else self.components
        return self.components + (self.norm_squared,)

    @property
    def rigor(self) -> Rigor | None:
        if self.status == "undecided":
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
        if self.status == "zero":
            return (f"P_ker D^3 f[v,v,.] = 0 ({self.rigor}): the sharpness is stationary along ker H to first order, "
                    "so the flip coefficient applies")
        vector = "(" + ", ".join(d.short(digits, 24) if d.sign is not None else "?" for d in self.vector) + ")"
        if self.status == "nonzero":
            return f"gradient P_ker D^3 f[v,v,.] = {vector}, |P_ker g| = {self.norm_text(digits)} ({self.rigor}): non-zero"
        return f"undecided whether P_ker D^3 f[v,v,.] = {vector} vanishes"


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
    route: str = "exact"  # "exact": sympy eigen-structure; "certified": ball eigenpair (CertifiedEigen)
    direction_enclosure: tuple[arb, ...] | None = None  # the unit top eigenvector (certified route)
    certificate: CertifiedEigen | None = field(default=None, repr=False, compare=False)
    #: The first-order change of the sharpness along ker H (None when ker H = {0} or unknown).
    sharpness_gradient: SharpnessGradient | None = None
    #: Whether ker H is proved tangent to a manifold of minima (None when ker H = {0} or unknown).
    manifold: MinimaManifold | None = None

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
        return (self.sharpness_gradient is not None and self.sharpness_gradient.status == "nonzero"
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
        if self.route == "certified":
            return Rigor.CERTIFIED
        facts = [d for d in (self.flip, self.cross_section.quantity) if d is not None]
        if self.sharpness_gradient is not None and self.sharpness_gradient.status != "undecided":
            facts += self.sharpness_gradient.decisions
        return Rigor.EXACT if all(d.rigor == Rigor.EXACT for d in facts) else Rigor.CERTIFIED

    def to_dict(self) -> dict:
        exact = self.route == "exact"
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
        if self.route == "exact":
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


def _exact_hessian(expr, symbols, point):
    subs = dict(zip(symbols, point, strict=True))
    return sp.Matrix(len(symbols), len(symbols), lambda i, j: sp.diff(expr, symbols[i], symbols[j]).subs(subs))


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
    route = arguments.choice(route, "route", ("auto", "exact", "certified"))
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
    hessian = _exact_hessian(expr, symbols, point)
    if hessian.has(sp.zoo, sp.nan, sp.I) or not all(h.is_number for h in hessian):
        raise InputError(f"the Hessian is not finite and real at ({at})")
    common = (text, names, symbols, expr, point, labels, hessian, simulate)
    small = all(h.is_Rational for h in hessian) or (n <= 3 and all(sp.count_ops(h) <= 60 for h in hessian))
    if route == "certified" or (route == "auto" and not small):
        return _check_certified(*common)
    try:
        eigen = _sorted_eigenvects(hessian)
    except (NotImplementedError, MatrixError, InputError, _Unordered) as exc:
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
    flat = _flat_along_kernel(expr, symbols, point, kernel, at)
    eta0 = 2 / top
    # Every other eigenvalue l_i is proved to lie in [0, l1), so 1 - eta0 l_i is in (-1, 1].
    others_stable = True
    cross = DirectionalExpansion(expr, symbols, point, q, expansion_order())
    cross_section = paper_criterion(cross)
    cross_flip = flip_normal_form(cross)
    sharp, manifold = _kernel_facts(expr, symbols, point, kernel, q)
    if sharp is None or sharp.status == "zero":
        flip, note = _multivariate_flip(expr, symbols, point, q, hessian, top)
    else:
        flip, note = None, _kernel_note(sharp, manifold)
    floats = [float(constant_enclosure(v, 64).mid()) for v in q]
    simulation = _simulate(expr, symbols, point, floats, float(constant_enclosure(eta0, 64).mid())) if simulate else "not run"
    return MultivariateCheck(text, names, point, labels, eigenvalues, balls, q, len(kernel), flat, eta0,
                             bool(others_stable), cross_section, cross_flip, flip, note, simulation,
                             sharpness_gradient=sharp, manifold=manifold)


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
    if sharp.status == "undecided":
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


def _flat_along_kernel(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: Sequence[sp.Expr], kernel: list[sp.Matrix],
                       at: str) -> bool | None:
    """Along a kernel line ``f(xb + t k) - f(xb)`` must be ``O(t^4)`` with a non-negative quartic
    term, as on a (possibly curved) manifold of minima; a cubic term means a saddle."""
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


#: Precisions tried to isolate the top eigenvalue on the certified route.  Not a sign decision
#: (each rung re-runs the ball eigen-solver and Krawczyk isolation, whose cost grows fast with the
#: bits), so it is its own window of the one ladder, starting where isolation first succeeds.
CERTIFY_PRECISIONS = rungs(128, 1024)

#: Wall-clock budget (seconds) for sympy's exact kernel of an irrational Hessian.
KERNEL_SECONDS = 10.0


def _check_certified(text: str, names: tuple[str, ...], symbols: tuple[sp.Symbol, ...], expr: sp.Expr, point: tuple[sp.Expr, ...],
                     labels: tuple[str, ...], hessian: sp.Matrix, simulate: bool) -> MultivariateCheck:
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
    sharp, manifold = None, None
    if manifold_dimension is None:
        flip, note = Decision(None, None, None), "a zero eigenvalue is not proved exactly: the manifold dimension, so H^+, is undecided"
    else:
        sharp, manifold = _kernel_facts(expr, symbols, point, kernel or [], eigen)
        if sharp is None or sharp.status == "zero":
            flip, note = _certified_flip(expr, symbols, point, eigen)
        else:
            flip, note = None, _kernel_note(sharp, manifold)
    floats = [float(c.mid()) for c in spectrum.direction]
    simulation = _simulate(expr, symbols, point, floats, float(eta0.mid())) if simulate else "not run"
    return MultivariateCheck(text, names, point, labels, None, balls, None, manifold_dimension, flat, eta0,
                             True, cross_section, cross_flip, flip, note, simulation,
                             route="certified", direction_enclosure=spectrum.direction, certificate=eigen,
                             sharpness_gradient=sharp, manifold=manifold)


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


# ---------------------------------------------------------------------------------------------
# The sharpness along the kernel of the Hessian, and the manifold of minima.


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
    third derivative is proved zero is an exact zero even beside a ball ``v``."""
    n, m = len(symbols), len(kernel)
    K = sp.Matrix.hstack(*kernel)
    ginv = (K.T * K).inv()
    cols = sorted({c for k in kernel for c in range(n) if k[c] != 0})
    certified = isinstance(direction, CertifiedEigen)
    # one of the two, as ``certified`` says (closures below cannot narrow the union themselves)
    eigen, vector = cast(CertifiedEigen, direction), cast(Sequence[sp.Expr], direction)
    if certified:
        # The ball eigenvector vanishes exactly outside the block of its oriented component.
        spectrum = _first_spectrum(eigen)
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


def _first_spectrum(eigen: CertifiedEigen) -> CertifiedSpectrum:
    """The certified spectrum at the lowest precision of :data:`CERTIFY_PRECISIONS` that gives one."""
    for prec in CERTIFY_PRECISIONS:
        try:
            return eigen.at(prec)
        except Undetermined:
            continue
    raise Undetermined("the top eigenpair could not be certified")


#: Wall-clock budget (seconds) for the exact proof that ``D^3 f[v, v, k] = 0`` on the certified route.
ZERO_PROOF_SECONDS = 10.0


def _algebraic(value: sp.Expr) -> bool:
    """Built from rationals with ``+ - * /`` and rational powers (sympy's algebraic-field
    arithmetic is exact on such numbers; with transcendental constants it would assume too much)."""
    return all(node.is_Rational or node.is_Add or node.is_Mul or (node.is_Pow and node.exp.is_Rational)
               for node in sp.preorder_traversal(value))


def _vanishes_on_top_eigenvector(H: sp.Matrix, M: sp.Matrix, interval: arb) -> bool:
    """True only when ``v^T M v = 0`` is proved for the eigenvector ``v`` of the simple eigenvalue
    ``l1`` of the exact symmetric ``H`` that ``interval`` isolates (it holds no other eigenvalue),
    although ``v`` itself is known only as a ball.

    For a simple eigenvalue ``adj(l1 I - H) = p'(l1) v v^T`` (``p`` the characteristic
    polynomial, ``|v| = 1``), so ``v^T M v = N(l1) / p'(l1)`` with ``N(lam) = tr(M adj(lam I - H))``,
    the coefficient of ``e`` in ``det(lam I - H + e M)``.  ``N(l1) = 0`` iff ``l1`` is a root of
    ``G = gcd(N, p)`` (exact, over the algebraic field of the entries); the roots of ``G`` are
    eigenvalues, ``interval`` holds only ``l1`` and it is simple, so that happens iff ``G``
    changes sign between the interval's ends (certified balls).  ``N = 0`` proves it at once."""
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


def _zero_component(H: sp.Matrix, T: dict, rows: list[int], cols: list[int], k: sp.Matrix, interval: arb) -> bool:
    """:func:`_vanishes_on_top_eigenvector` for ``M = D^3 f[., ., k]`` on the block ``rows`` of
    ``H`` that carries the top eigenvector, within :data:`ZERO_PROOF_SECONDS`."""
    from ..core.decide import within_seconds

    Hb = sp.Matrix(len(rows), len(rows), lambda i, j: H[rows[i], rows[j]])
    M = sp.Matrix(len(rows), len(rows),
                  lambda i, j: sum((T[min(rows[i], rows[j]), max(rows[i], rows[j]), c] * k[c] for c in cols), sp.Integer(0)))
    return bool(within_seconds(lambda args: _vanishes_on_top_eigenvector(*args), (Hb, M, interval), ZERO_PROOF_SECONDS))


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
    >>> minima_manifold(x**2/2 + x**2*y + y**4, (x, y), (sp.Integer(0), sp.Integer(0)), 1).proved
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


def _multivariate_flip(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: Sequence[sp.Expr], q: Sequence[sp.Expr],
                       hessian: sp.Matrix, top: sp.Expr) -> tuple[Decision | None, str]:
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


def _certified_flip(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: Sequence[sp.Expr], eigen: CertifiedEigen) -> tuple[Decision, str]:
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


# ---------------------------------------------------------------------------------------------
# The certified route: Hessians whose eigen-structure sympy cannot (or should not) compute.


class RepeatedTop(Undetermined):
    """The top Gershgorin cluster holds more than one eigenvalue at this precision."""

    def __init__(self, count: int, interval: arb) -> None:
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
    :class:`~symbolic_eos.core.jets.Undetermined` (try more bits)."""

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


# ---------------------------------------------------------------------------------------------
# 2-cycles in several variables.


class MultiCycleSystem:
    """Unknowns ``(x0, x1)`` in ``R^n x R^n``: ``F(x0) = x1``, ``F(x1) = x0`` for
    ``F = x - eta grad f`` (gradient and Hessian as ball functions, so boxes give enclosures)."""

    def __init__(self, expr: sp.Expr, symbols: tuple[sp.Symbol, ...], eta_at: Callable[[int], arb]) -> None:
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

    def product(self, v: Sequence[arb], prec: int) -> arb_mat:
        """``DF(x1) DF(x0)``: its eigenvalues are the 2-cycle's multipliers."""
        with ctx.workprec(prec):
            n = self.n
            return arb_mat(self._df(list(v[n:]), prec)) * arb_mat(self._df(list(v[:n]), prec))

    def multiplier(self, v: Sequence[arb], prec: int) -> arb:
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
            "multiplier": [decimal_string(m.real, 17) + ("" if m.imag.contains(0) else f" + {decimal_string(m.imag, 17)}i")
                           for m in self.multipliers],
            "stable": self.stable,
            "certified": self.certified,
            "radius": radius,
            "box_radius": upper_text(self.radius),
            "rigor": Rigor.CERTIFIED if self.certified else Rigor.NUMERICAL,
        }


@dataclass(frozen=True)
class MultiOrbitReport:
    """The 2-cycle of GD on ``expression`` in ``variables`` at the learning rate ``eta`` (exact
    value ``eta_value``) near the checked ``minimum``: the ``cycle``, or a ``message`` and its
    ``cause`` when there is none.

    >>> x, y = sp.symbols("x y")
    >>> r = multivariate_orbit_expr((x*y - 1)**2 / 2, (x, y), (sp.Integer(1), sp.Integer(1)), sp.Integer(1))
    >>> r.cycle is None, r.cause, r.rigor
    (True, 'at_eta0', 'none')
    """

    expression: str
    variables: tuple[str, ...]
    eta: str
    minimum: MultivariateCheck
    cycle: MultiCycle | None
    message: str | None
    #: ``eta`` as the exact constant it was parsed to (the text is how it is printed).
    eta_value: sp.Expr
    cause: NoCycleCause | None = None  # why there is no cycle (None: a cycle, or a bare message)

    @property
    def orbits(self):
        return () if self.cycle is None else (self.cycle,)

    @property
    def rigor(self) -> Rigor:
        """As for 1-D orbits: the cycle's certificate and the minimum's check; a message that
        is not "no 2-cycle is born" (a branch not followed) establishes nothing."""
        from ..dynamics.orbits import cycle_rigor

        if self.cycle is not None:
            return weakest_rigor([self.minimum.rigor, cycle_rigor(self.cycle.certified)])
        return self.minimum.rigor if self.cause is not None and self.cause.establishes else Rigor.NONE

    def to_dict(self) -> dict:
        minimum = [str(v) for v in self.minimum.point]
        return {"eta": decimal_string(self.eta_value, 17), "orbits": [self.cycle.to_dict()] if self.cycle else [],
                "variables": list(self.variables), "minimum": minimum, "point": minimum, "message": self.message,
                "rigor": self.rigor}

    def to_text(self) -> str:
        head = f"2-cycles of GD on f({', '.join(self.variables)}) = {self.expression} at eta = {self.eta}"
        if self.cycle is None:
            return head + f"\n  {self.message}"
        d = self.cycle.to_dict()
        points, radius = self.cycle.printed(20)
        lines = [head, f"  x0 = ({', '.join(points[0])})", f"  x1 = ({', '.join(points[1])})",
                 f"  multipliers (eigenvalues of DF(x1) DF(x0)) = {', '.join(m[:20] for m in d['multiplier'])}",
                 "  " + ("certified (Krawczyk, box radius " + d["box_radius"] + "; the points shown are within " + radius + ")"
                         if self.cycle.certified else "NOT certified") + "; "
                 f"{'stable (every |multiplier| < 1 certified)' if self.cycle.stable else 'not certified stable'}"]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        return "```\n" + self.to_text() + "\n```\n"


def multivariate_orbit_expr(expr: sp.Expr, symbols: tuple[sp.Symbol, ...], point: tuple[sp.Expr, ...], eta: sp.Expr,
                            digits: int = 30, *, text: str | None = None, labels: tuple[str, ...] | None = None,
                            at_text: str | None = None, eta_text: str | None = None) -> MultiOrbitReport:
    """The 2-cycle ``{x0, x1}`` of GD (``x <- x - eta grad f``) at the exact learning rate
    ``eta`` (printed as ``eta_text``) on the branch born at the minimum ``point`` (printed as
    ``labels`` or ``at_text``) of the loss ``expr`` (written as ``text``) in ``symbols``, certified
    to ``digits`` digits; the
    minimum's check is :func:`check_multivariate_expr` on the same expression; a message instead
    when no branch is born (the sharpness drifts along a manifold of minima, or the flip is
    subcritical or undecided).

    >>> x, y = sp.symbols("x y")
    >>> o = multivariate_orbit_expr((x*y - 1)**2 / 2, (x, y), (sp.Integer(1), sp.Integer(1)), sp.Rational(11, 10), digits=20)
    >>> o.cycle.certified, o.cycle.stable
    (True, True)
    >>> multivariate_orbit_expr((x*y - 1)**2 / 2, (x, y), (sp.Integer(1), sp.Integer(1)), sp.Integer(1)).message
    'eta is (numerically) eta0, where the 2-cycle has zero amplitude'
    """
    from ..dynamics.orbits import NoConvergence, bits_for_digits, certify, continue_branch, solve_system

    eta_value = arguments.instance(eta, "eta", sp.Expr, "a sympy constant")
    eta = sp.sstr(eta_value) if eta_text is None else eta_text
    digits = arguments.digits(digits)
    minimum = check_multivariate_expr(expr, symbols, point, simulate=False, text=text, labels=labels, at_text=at_text)
    names, symbols, text = minimum.variables, tuple(symbols), minimum.expression
    flip = minimum.flip
    if minimum.drift:
        return MultiOrbitReport(text, names, eta, minimum, None, f"no 2-cycle is born at this minimum: {minimum.flip_note}",
                                eta_value, NoCycleCause.NO_BRANCH)
    if flip is None or flip.sign not in (-1, 1):
        return MultiOrbitReport(text, names, eta, minimum, None, "the multivariate flip coefficient is undecided: no branch is predicted"
                                + (f" ({minimum.flip_note})" if minimum.flip_note else ""), eta_value, NoCycleCause.UNDECIDED)
    prec = bits_for_digits(digits)
    low = bits_for_digits(20)
    with ctx.workprec(low):
        l1 = +minimum.top_enclosure(low)
        eta0 = 2 / l1
        above = constant_enclosure(eta_value, low) > eta0
        below = constant_enclosure(eta_value, low) < eta0
        if not (above or below):
            return MultiOrbitReport(text, names, eta, minimum, None, "eta is (numerically) eta0, where the 2-cycle has zero amplitude",
                                    eta_value, NoCycleCause.AT_ETA0)
        if (flip.sign < 0) != bool(above):
            side = "above" if flip.sign < 0 else "below"
            return MultiOrbitReport(text, names, eta, minimum, None,
                                    f"no 2-cycle is born here: the flip at eta0 = {decimal_string(minimum.eta_critical, 15)} is "
                                    f"{minimum.flip_verdict}, so the local branch exists only for eta {side} eta0", eta_value,
                                    NoCycleCause.NO_BRANCH)
        g3 = flip.enclosure if flip.exact is None else constant_enclosure(
            sp.Rational(int(flip.exact.p), int(flip.exact.q)) if isinstance(flip.exact, fmpq) else flip.exact, low)
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
        return MultiOrbitReport(text, names, eta, minimum, None, f"the branch could not be followed to eta = {eta}: {exc}",
                                eta_value, NoCycleCause.NOT_FOLLOWED)
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
    return MultiOrbitReport(text, names, eta, minimum, MultiCycle((x0, x1), multipliers, certified, stable, result.radius, digits), None,
                            eta_value)
