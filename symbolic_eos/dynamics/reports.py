"""Orbit and stability-window reports for a user's loss (what ``symbolic-eos orbit`` and
``symbolic-eos window`` print).

>>> x = sp.Symbol("x")
>>> r = window_expr((x**2 - 1)**2 / 4, x, sp.Integer(1))
>>> r.superstable.closed_form.expression, r.loss.kind, r.loss.closed_form.expression
('-1 + 3*sqrt(2)/2', 'period_doubling', '-1 + sqrt(5)')
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy as sp
from flint import arb, ctx, fmpq

from .closed_forms import prove_event_constant, recognise
from ..core import arguments
from ..core.decide import Decision, weakest_rigor
from ..core.numbers import decimal_string, enclosure_text, mpf_text
from ..errors import InputError
from ..core.jets import constant_enclosure
from .orbits import (
    MAX_DIGITS,
    BranchEvent,
    GradientMap,
    NoCycle,
    TwoCycle,
    WindowScan,
    bits_for_digits,
    cycle_rigor,
    scan_branch,
    two_cycle,
    window_events,
)
from ..analysis.check import DEFAULT_ENDS, check_expr
from ..analysis.results import MinimaCheck, StabilityCheck, markdown_text, math_text
from ..core.vocabulary import ClosedFormStatus, Flip, LossType, NoCycleCause, Rigor
from .pitchfork import BRANCHES, locate_symmetric_loss, mirror_symmetric, prove_symmetric_constant

__all__ = ["OrbitReport", "OrbitAtMinimum", "WindowReport", "orbit_expr", "window_expr", "minima_checks", "curvature_ball",
           "DEFAULT_DIGITS", "MAX_DIGITS"]

DEFAULT_DIGITS = 30


def minima_checks(expr: sp.Expr, var: sp.Symbol, at: sp.Expr | None = None, range: tuple[sp.Expr, sp.Expr] = DEFAULT_ENDS, *,
                  text: str | None = None, label: str | None = None) -> tuple[StabilityCheck, ...]:
    """The stability checks of ``expr`` in ``var`` at ``at`` (printed as ``label``), or at every
    strict minimum in ``range`` (one or more); ``text`` is the loss as written.

    >>> x = sp.Symbol("x")
    >>> [c.point.label for c in minima_checks((x**2 - 1)**2 / 4, x, text="(x**2 - 1)**2/4")]
    ['-1', '1']
    >>> minima_checks(x**3, x, range=(sp.Integer(-1), sp.Integer(1)))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: no strict local minimum could be certified in [-1, 1]; ... at 0
    """
    result = check_expr(expr, var, at, range, text=text, label=label)
    return result.checks if isinstance(result, MinimaCheck) else (result,)


def curvature_ball(d: Decision, prec: int) -> arb:
    """``f''(xb)``, the decision ``d``, as a ball at ``prec`` bits (exact values become exact balls).

    >>> x = sp.Symbol("x")
    >>> curvature_ball(minima_checks((x**2 - 1)**2 / 4, x, sp.Integer(1))[0].curvature, 64)
    2.00000000000000
    """
    with ctx.workprec(prec):
        if d.exact is not None and not isinstance(d.exact, sp.Expr):
            return arb(fmpq(d.exact))
        assert d.enclosure is not None  # a decided f''(xb) > 0 carries its ball unless it is rational
        return +d.enclosure


@dataclass(frozen=True)
class OrbitAtMinimum:
    """The 2-cycle ``cycle`` near one checked ``minimum`` at the given eta, or why there is none:
    the ``message`` and its ``cause`` (None for a message given without one: it establishes nothing).

    >>> x = sp.Symbol("x")
    >>> r = orbit_expr(x**2 / 2 + x**4, x, sp.Rational(21, 10), sp.Integer(0)).results[0]
    >>> r.cycle is None, r.cause, r.rigor
    (True, 'no_branch', 'exact')
    """

    minimum: StabilityCheck
    cycle: TwoCycle | None
    message: str | None
    cause: NoCycleCause | None = None

    @property
    def rigor(self) -> Rigor:
        """The cycle's rigor (and the minimum's); "no 2-cycle is born here" rests on the flip
        verdict, any other message (a branch not followed) establishes nothing: ``none``."""
        if self.cycle is not None:
            return weakest_rigor([self.minimum.rigor, cycle_rigor(self.cycle.certified)])
        return self.minimum.rigor if self.cause is not None and self.cause.establishes else Rigor.NONE

    def to_dict(self) -> dict:
        point = self.minimum.to_dict()["point"]
        base = {"minimum": point, "minimum_label": self.minimum.point.label,
                "point": point, "point_label": self.minimum.point.label,
                "eta_critical": self.minimum.eta_critical.text(17)}
        if self.cycle is not None:
            base.update(self.cycle.to_dict())
        else:
            base["message"] = self.message
        base["rigor"] = self.rigor
        return base


@dataclass(frozen=True)
class OrbitReport:
    """2-cycles of GD on ``expression`` at one learning rate ``eta`` (to ``digits`` digits), one
    entry of ``results`` per checked minimum (its cycle is None where no branch exists);
    ``eta_value`` is ``eta`` as an exact constant.

    >>> x = sp.Symbol("x")
    >>> o = orbit_expr((x**2 - 1)**2 / 4, x, sp.Rational(11, 10), sp.Integer(1), digits=20)
    >>> c = o.orbits[0]
    >>> c.certified, c.stable, [p.str(5, radius=False) for p in c.points]
    (True, True, ['0.81455', '1.1161'])
    """

    expression: str
    eta: str
    digits: int
    results: tuple[OrbitAtMinimum, ...]
    #: ``eta_value``: ``eta`` as the exact constant it was parsed to (the text is how it is printed).
    eta_value: sp.Expr

    @property
    def orbits(self) -> tuple[TwoCycle, ...]:
        return tuple(r.cycle for r in self.results if r.cycle is not None)

    @property
    def rigor(self) -> Rigor:
        """The weakest rigor over the minima: ``certified`` when every 2-cycle is
        Krawczyk-certified, ``numerical`` when one is only an approximation."""
        return weakest_rigor([r.rigor for r in self.results])

    def to_dict(self) -> dict:
        found = [r.to_dict() for r in self.results if r.cycle is not None]
        return {
            "eta": decimal_string(self.eta_value, max(17, self.digits)),
            "orbits": found,
            "rigor": self.rigor,
            "expression": self.expression,
            "digits": self.digits,
            "messages": [r.to_dict() for r in self.results if r.cycle is None],
        }

    def to_text(self) -> str:
        lines = [f"2-cycles of GD on f(x) = {self.expression} at eta = {self.eta} ({self.digits} digits)"]
        for r in self.results:
            lines.append(f"  near the minimum x = {r.minimum.point.label} (eta0 = 2/f'' = {r.minimum.eta_critical.text(12)}):")
            if r.cycle is None:
                lines.append(f"    {r.message}")
                continue
            d = r.cycle.to_dict()
            shown = lambda s: s if len(s) <= 60 else s[:60] + "..."  # noqa: E731
            lines.append(f"    x0 = {shown(d['points'][0])}")
            lines.append(f"    x1 = {shown(d['points'][1])}")
            lines.append(f"    multiplier F'(x0) F'(x1) = {shown(d['multiplier'])}")
            status = (f"certified (Krawczyk: unique 2-cycle in a box of radius {d['box_radius']}; the points shown are "
                      f"within {d['radius']} of it)") if r.cycle.certified else "NOT certified (approximation only)"
            lines.append(f"    {status}; {'stable (|m| < 1 certified)' if r.cycle.stable else 'not certified stable'}")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        rows = []
        for r in self.results:
            if r.cycle is None:
                rows.append(f"| {r.minimum.point.label} | - | - | - | {r.message} |")
            else:
                points, radius = r.cycle.printed(20)
                multiplier = decimal_string(r.cycle.multiplier, 15)
                rows.append(f"| {r.minimum.point.label} | {points[0]}, {points[1]} | {multiplier} | "
                            f"{'yes' if r.cycle.stable else 'no'} | "
                            f"{'certified, radius ' + radius if r.cycle.certified else 'not certified'} |")
        return (f"### 2-cycles of GD on $f$ = {math_text(self.expression, (self.results[0].minimum.variable,) if self.results else ())} "
                f"at $\\eta$ = {math_text(self.eta)}\n\n"
                "| minimum | 2-cycle | multiplier | stable | certificate |\n|---|---|---|---|---|\n" + "\n".join(rows) + "\n")

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def orbit_expr(expr: sp.Expr, var: sp.Symbol, eta: sp.Expr, at: sp.Expr | None = None, digits: int = DEFAULT_DIGITS,
               range: tuple[sp.Expr, sp.Expr] = DEFAULT_ENDS, *, text: str | None = None, eta_text: str | None = None,
               label: str | None = None) -> OrbitReport:
    """The 2-cycle ``{x0, x1}`` (``F(x0) = x1``, ``F(x1) = x0`` for ``F(x) = x - eta f'(x)``)
    born at each strict minimum of the loss ``expr`` in ``var`` in ``range`` (or at ``at``,
    printed as ``label``), at the exact learning rate ``eta`` (printed as ``eta_text``),
    certified to ``digits`` digits; ``text`` is the loss as written.

    >>> x = sp.Symbol("x")
    >>> o = orbit_expr((x**2 - 1)**2 / 4, x, sp.Rational(11, 10), sp.Integer(1), digits=20)
    >>> [p.str(5, radius=False) for p in o.orbits[0].points]
    ['0.81455', '1.1161']

    Past a subcritical flip no stable 2-cycle is born: the answer says so (no cycle is claimed);
    a learning rate that is not a positive number is refused:

    >>> orbit_expr(x**2 / 2 + x**4, x, sp.Rational(21, 10), sp.Integer(0)).results[0].message.split(":")[0]
    'no 2-cycle is born here because the flip at eta0 = 2.00000000000 is subcritical'
    >>> orbit_expr((x**2 - 1)**2 / 4, x, sp.Integer(-1), sp.Integer(1))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: the learning rate must be a finite positive number, not -1
    """
    eta = arguments.instance(eta, "eta", sp.Expr, "a sympy constant")
    eta_text = sp.sstr(eta) if eta_text is None else eta_text
    digits = arguments.digits(digits)
    with ctx.workprec(64):
        ball = constant_enclosure(eta, 64)
        if not (ball.is_finite() and ball > 0):
            raise InputError(f"the learning rate must be a finite positive number, not {eta_text}")
    checks = minima_checks(expr, var, at, range, text=text, label=label)
    text = checks[0].expression
    gd = GradientMap(expr, var)
    results = []
    for c in checks:
        f2 = curvature_ball(c.curvature, bits_for_digits(digits))
        try:
            results.append(OrbitAtMinimum(c, two_cycle(gd, c.point, f2, c.flip, eta_text, eta, digits), None))
        except NoCycle as none:
            results.append(OrbitAtMinimum(c, None, none.message, none.cause))
    return OrbitReport(text, eta_text, digits, tuple(results), eta)


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowReport:
    """The stability window of the 2-cycle branch born at ``eta0``: superstable point and loss
    of stability (period doubling or fold), with certified enclosures and closed forms.  Fields:
    the loss ``expression``, the ``minimum`` checked, the search bound ``eta_max``, the
    ``superstable`` and ``loss`` events, a ``message`` when one is missing, the ``digits``, and
    whether the loss is ``symmetric`` about the minimum (proved exactly; then the loss of
    stability is a pitchfork or a fold of the symmetric cycle).

    >>> x = sp.Symbol("x")
    >>> w = window_expr((x**2 - 1)**2 / 4, x, sp.Integer(1), digits=20).to_dict()
    >>> w["eta_superstable"], w["eta_loss"], w["loss_type"]
    ('1.1213203435596425732', '1.2360679774997896964', 'period_doubling')
    """

    expression: str
    minimum: StabilityCheck
    eta_max: str
    superstable: BranchEvent | None
    loss: BranchEvent | None
    message: str
    digits: int
    symmetric: bool = False  # f(2 xb - x) = f(x) proved exactly

    @property
    def loss_type(self) -> str | None:
        return self.loss.kind if self.loss is not None and self.loss.certified else None

    def _event(self, ev: BranchEvent | None) -> str | None:
        return decimal_string(ev.eta, max(17, self.digits)) if ev is not None and ev.certified else None

    @property
    def rigor(self) -> Rigor:
        """``certified`` when both events are Krawczyk-certified (closed forms proved or
        absent); ``numerical`` when an event is only an estimate, was not found (the branch is
        sampled) or has a closed form that is only recognised.  With no branch predicted (the
        flip is not supercritical) the rigor of the check at the minimum."""
        if self.minimum.flip.verdict != Flip.SUPERCRITICAL:
            return self.minimum.rigor
        facts = [self.minimum.rigor]
        for ev in (self.superstable, self.loss):
            facts.append(cycle_rigor(ev is not None and ev.certified))
            if ev is not None and ev.certified and getattr(ev.closed_form, "status", None) == ClosedFormStatus.CONSISTENT:
                facts.append(Rigor.NUMERICAL)
        return weakest_rigor(facts)

    def to_dict(self) -> dict:
        closed = {}
        for name, ev in (("eta_superstable", self.superstable), ("eta_loss", self.loss)):
            if ev is not None and ev.certified and ev.closed_form is not None:
                closed[name] = ev.closed_form.to_dict()
        point = self.minimum.to_dict()["point"]
        return {
            "rigor": self.rigor,
            "rigor_note": ("a certified event is Krawczyk-certified in (x0, x1, eta), an estimate is not; "
                           "the stability of the 2-cycle between events is sampled"),
            "point": point,
            "point_label": self.minimum.point.label,
            "eta_critical": self.minimum.eta_critical.text(17),
            "eta_superstable": self._event(self.superstable),
            "eta_loss": self._event(self.loss),
            "loss_type": self.loss_type,
            "closed_forms": closed,
            "minimum": point,
            "minimum_label": self.minimum.point.label,
            "flip_verdict": self.minimum.flip.verdict,
            "searched_range": [self.minimum.eta_critical.text(17), self.eta_max],
            "enclosures": {
                name: enclosure_text(ev.eta) for name, ev in (("eta_superstable", self.superstable), ("eta_loss", self.loss))
                if ev is not None and ev.certified
            },
            "estimates": {
                name: decimal_string(ev.eta, 12) for name, ev in (("eta_superstable", self.superstable), ("eta_loss", self.loss))
                if ev is not None and not ev.certified
            },
            "message": self.message,
            "symmetric": self.symmetric,
            "branches": BRANCHES if self.loss_type is LossType.PITCHFORK else None,
        }

    def _lines(self) -> list[tuple[str, str]]:
        rows = [("eta0 = 2/f''", self.minimum.eta_critical.text(15)), ("flip", self.minimum.flip.verdict)]
        for name, ev in (("superstable (m = 0)", self.superstable), ("loss of stability", self.loss)):
            if ev is None or not ev.certified:
                rows.append((name, "none found" if ev is None else f"near eta = {decimal_string(ev.eta, 8)}, not certified"))
                continue
            value = decimal_string(ev.eta, min(self.digits, 40))
            cf = ev.closed_form
            extra = ""
            if cf is not None and cf.expression:
                extra = (f" = {cf.expression} ({cf.status}"
                         + (f", minimal polynomial {cf.minimal_polynomial}" if cf.minimal_polynomial else "") + ")")
            elif cf is not None and cf.minimal_polynomial:
                extra = f" (root of {cf.minimal_polynomial}, proved)"
            kind = "" if name.startswith("super") else f"{ev.kind}: "
            rows.append((name, f"{kind}eta = {value}{extra}"))
        return rows

    def to_text(self) -> str:
        rows = self._lines()
        width = max(len(r[0]) for r in rows)
        head = f"Stability window of the 2-cycle born at x = {self.minimum.point.label} for f(x) = {self.expression}"
        return "\n".join([head] + [f"  {a.ljust(width)}  {b}" for a, b in rows] + [f"  {self.message}"])

    def to_markdown(self) -> str:
        rows = "\n".join(f"| {markdown_text(a)} | {markdown_text(b)} |" for a, b in self._lines())
        return (f"### Stability window at $x$ = {math_text(self.minimum.point.label)} for "
                f"$f$ = {math_text(self.expression, (self.minimum.variable,))}\n\n"
                f"| quantity | value |\n|---|---|\n{rows}\n\n{markdown_text(self.message)}\n")

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _symmetric_loss(gd: GradientMap, xb: sp.Expr, scan: WindowScan, digits: int) -> BranchEvent | None:
    """The symmetric cycle's loss of stability where the sampled multiplier rose past +1."""
    samples = scan.samples
    pairs = [(a, b) for a, b in zip(samples, samples[1:], strict=False) if a[2] <= 1 < b[2]]
    if not pairs:
        return None
    a, b = pairs[0]
    w = (1 - a[2]) / (b[2] - a[2])
    half = [abs(s[1][1] - s[1][0]) / 2 for s in (a, b)]
    guess = (half[0] + w * (half[1] - half[0]), a[0] + w * (b[0] - a[0]))
    return locate_symmetric_loss(gd, xb, guess, digits, (a[0], b[0]))


def _closed_form(expr: sp.Expr, var: sp.Symbol, ev: BranchEvent | None, digits: int, xb: sp.Expr | None = None) -> BranchEvent | None:
    if ev is None or not ev.certified:
        return ev
    cf = prove_event_constant(expr, var, ev.target, ev.eta)
    if (cf is None or cf.status != ClosedFormStatus.PROVED) and xb is not None:
        cf = prove_symmetric_constant(expr, var, xb, ev, digits) or cf
    if cf is None or cf.status == ClosedFormStatus.UNKNOWN:
        cf = recognise(ev.eta, min(digits, 50))
    return BranchEvent(ev.kind, ev.target, ev.eta, ev.points, ev.certified, cf)


def window_expr(expr: sp.Expr, var: sp.Symbol, at: sp.Expr | None = None, digits: int = DEFAULT_DIGITS,
                eta_max: sp.Expr | None = None, range: tuple[sp.Expr, sp.Expr] = DEFAULT_ENDS, *, text: str | None = None,
                label: str | None = None, eta_max_text: str | None = None) -> WindowReport:
    """The stability window of the 2-cycle branch born at the minimum ``at`` (printed as
    ``label``; default: the first strict minimum in ``range``) of the loss ``expr`` in ``var``:
    the superstable point (multiplier 0) and the loss of stability (multiplier -1 or +1),
    searched for eta in ``(eta0, eta_max]`` (default ``2 eta0``), certified to ``digits``
    digits; ``text`` and ``eta_max_text`` are how the loss and the bound were written.

    >>> x = sp.Symbol("x")
    >>> window_expr((x**2 - 1)**2 / 4, x, sp.Integer(1), digits=20).loss_type
    'period_doubling'

    A point that is not a strict minimum is refused, and so is a bound below eta0:

    >>> window_expr((x**2 - 1)**2 / 4, x, sp.Integer(0))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: 0 is a local maximum, not a minimum (f'' = -1.0000000 < 0)
    >>> window_expr((x**2 - 1)**2 / 4, x, sp.Integer(1), eta_max=sp.Rational(1, 2))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: `eta_max` 1/2 must exceed eta0 = 1.00000000000
    """
    digits = arguments.digits(digits)
    if eta_max is not None:
        eta_max = arguments.instance(eta_max, "eta_max", sp.Expr, "a sympy constant")
        eta_max_text = sp.sstr(eta_max) if eta_max_text is None else eta_max_text
    minimum = minima_checks(expr, var, at, range, text=text, label=label)[0]
    text, symbol = minimum.expression, var
    prec = bits_for_digits(digits)
    f2 = curvature_ball(minimum.curvature, prec)
    with ctx.workprec(prec):
        eta0 = 2 / f2
        hi = mpmath.mpf(2) * mpmath.mpf(eta0.mid()._mpf_) if eta_max is None else None
    if eta_max is not None:
        bound = constant_enclosure(eta_max, 128)
        if not bound.is_finite() or abs(bound) > 10**15 * max(1, abs(float(eta0.mid()))):
            raise InputError(f"`eta_max` {eta_max_text} must be a finite number not far above eta0", parameters=("eta_max",))
        if not bound > eta0:
            raise InputError(f"`eta_max` {eta_max_text} must exceed eta0 = {minimum.eta_critical.text(12)}", parameters=("eta_max",))
        hi = mpmath.mpf(bound.mid()._mpf_)
    hi_text = mpf_text(hi, 17)
    if minimum.flip.verdict != Flip.SUPERCRITICAL:
        why = {
            Flip.SUBCRITICAL: "the flip is subcritical: no stable 2-cycle is born above eta0 "
                           "(the branch of unstable 2-cycles lies below eta0)",
            Flip.UNDECIDED: "the flip normal form is undecided here, so no branch is predicted",
        }[minimum.flip.verdict]
        return WindowReport(text, minimum, hi_text, None, None, why, digits)
    gd = GradientMap(expr, symbol)
    scan = scan_branch(gd, minimum.point.enclosure(prec), f2, minimum.flip, hi)
    superstable, loss = window_events(gd, scan, digits)
    symmetric = minimum.point.exact is not None and mirror_symmetric(expr, symbol, minimum.point.exact)
    if symmetric and (loss is None or not loss.certified):
        # The general fold system is singular at a pitchfork of the symmetric cycle: the reduced
        # system in (a, eta) is not.
        loss = _symmetric_loss(gd, minimum.point.exact, scan, digits) or loss
    superstable = _closed_form(expr, symbol, superstable, digits)
    loss = _closed_form(expr, symbol, loss, digits, minimum.point.exact if symmetric else None)
    seen = scan.samples[-1][0] if scan.samples else None
    if loss is not None and loss.certified:
        message = (f"Along the branch followed from eta0 the 2-cycle is stable (sampled) until the certified loss of stability at "
                   f"eta = {decimal_string(loss.eta, 12)}, by {loss.kind.replace('_', ' ')}"
                   + (f": the loss is symmetric about {minimum.point.label} (proved exactly), and {BRANCHES}."
                      if loss.kind is LossType.PITCHFORK else "."))
    elif scan.left_unit_interval:
        message = (f"The sampled multiplier leaves [-1, 1] near eta = {mpf_text(seen, 8)}, but that loss of stability could not be "
                   "located and certified (possibly a symmetry-breaking pitchfork): no loss of stability is claimed.")
    elif scan.ended is not None:
        message = f"The branch ended before a loss of stability was certified ({scan.ended})."
    else:
        message = f"The sampled multiplier stays in [-1, 1] for every eta searched, up to {hi_text} (sampled, not certified)."
    return WindowReport(text, minimum, hi_text, superstable, loss, message, digits, symmetric)
