"""The paper's existence theorem, checked at finite ``eps``.

Statement (k = 3): for ``x0 = xb - eps`` with ``eps f''' > 0`` small, some ``eta`` in
``(2/f'', 2/(f'' - eps f'''))`` has ``F_eta(F_eta(x0)) = x0`` with ``F_eta(x0) != x0``; for
``k >= 4`` the interval is ``(2/f'', 2/(f'' - f^(k) eps^(k-2)))`` (k odd, ``eps f^(k) > 0``) or
``(2/f'', 2/(f'' + f^(k) eps^(k-2)))`` (k even, ``eps > 0``).

For each tested ``eps`` we solve for ``(x1, eta)`` on the branch continued from small ``eps``,
certify it (Krawczyk), and decide with balls whether ``eta`` lies in the interval (``holds``).
When it does not, the statement fails at that ``eps`` only if *no* ``eta`` in the interval
solves ``F_eta(F_eta(x0)) = x0``: that is certified by bisection of the interval, with
``H(eta) = F_eta(F_eta(x0)) - x0`` enclosed away from zero on every piece (``fails``).
Anything else is ``undecided``.  The point ``x0 = xb - eps`` with the interval of the same
``eps`` is the hardest case of the statement's "any x0 between xb and xb - eps".

The rows are a grid, so they are evidence.  For ``k = 3`` the report also carries a **proof for
every eps** in ``(0, eps_max]`` (:mod:`symbolic_eos.dynamics.existence_proof`: a parametric
Krawczyk over s-boxes on the blown-up equation), in ``proof``; ``proof_note`` says why there is
none otherwise.

The interval needs a positive denominator: for k = 3, ``d(eps) = f'' - eps f'''`` (and its
``k >= 4`` analogues).  Where ``d(eps) <= 0`` (certified, or exactly zero) the stated interval
``(2/f'', 2/d)`` is empty or undefined, so such an ``eps`` is **outside the theorem's range**
(``outside_range``): the theorem says nothing there, and the row neither holds nor fails.  For the
quartic ``(x^2 - 1)^2/4`` at ``xb = 1`` (``f'' = 2``, ``f''' = 6``) that is every ``eps >= 1/3``:

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> r = existence_expr((x**2 - 1)**2 / 4, x, sp.Integer(1), eps_values=[Fraction(3, 10), Fraction(2, 5)])
>>> [(str(row.eps), row.verdict) for row in r.rows]
[('3/10', 'holds'), ('2/5', 'outside_range')]
>>> r.largest_holding_eps, str(r.first_outside.eps)
(Fraction(3, 10), '2/5')
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import sympy as sp
from flint import arb, ctx, fmpq

from ..core import arguments
from ..core.decide import excludes_zero
from ..core.numbers import decimal_string, enclosure_text
from .reports import curvature_ball, minima_checks
from ..errors import EosError
from ..core.jets import BeyondJet, Undetermined, ball_coefficients
from .existence_proof import PROOF_PREC, ExistenceProof, prove_existence
from .orbits import GradientMap, NoConvergence, bits_for_digits, certify, solve_system
from ..analysis.check import DEFAULT_ENDS
from ..analysis.results import StabilityCheck, math_text
from ..core.vocabulary import PaperCase, Rigor, Verdict

__all__ = ["ExistenceRow", "ExistenceReport", "existence_expr", "DEFAULT_EPS", "VERDICTS"]

#: The tested values of |eps| (relative to max(1, |xb|)).
DEFAULT_EPS = tuple(
    Fraction(n, d)
    for n, d in [(1, 10000), (1, 3000), (1, 1000), (1, 300), (1, 100), (1, 30), (1, 10), (1, 5),
                 (3, 10), (2, 5), (1, 2), (3, 5), (7, 10), (4, 5), (9, 10), (1, 1)]
)
_MAX_EXCLUSION_BOXES = 4000


class _FixedStartSystem:
    """Unknowns ``(x1, eta)``: ``F_eta(x0) = x1`` and ``F_eta(x1) = x0`` for a fixed ``x0``."""

    def __init__(self, gd: GradientMap, x0: arb) -> None:
        self.gd, self.x0 = gd, x0

    def residual(self, v, prec):
        x1, eta = v
        a0 = self.gd.derivatives(self.x0, prec)[0]
        a1 = self.gd.derivatives(x1, prec)[0]
        return [self.x0 - eta * a0 - x1, x1 - eta * a1 - self.x0]

    def jacobian(self, v, prec):
        x1, eta = v
        a0 = self.gd.derivatives(self.x0, prec)[0]
        a1, b1, _ = self.gd.derivatives(x1, prec)
        return [[arb(-1), -a0], [1 - eta * b1, -a1]]


#: Verdicts of a row.  ``outside_range``: the interval's denominator is not positive, so the
#: theorem does not speak of this ``eps`` (not a failure, and not a success either).
VERDICTS = tuple(Verdict)

_OUTSIDE_NOTE = "outside the theorem's range: the interval's denominator is <= 0, so the stated interval is empty"


@dataclass(frozen=True)
class ExistenceRow:
    """One tested ``eps``: the branch's ``eta`` (enclosure), the theorem's interval, verdict.

    ``upper`` is None when the interval has no positive upper bound: then ``in_range`` is False
    (the denominator is certified ``<= 0``: outside the theorem's range) or None (its sign is
    undecided).  ``lower`` is ``2/f''``, ``denominator`` the interval's ``f'' - eps f'''`` (or its
    ``k >= 4`` analogue), ``note`` why a row is not ``holds``.

    >>> x = sp.Symbol("x")
    >>> row = existence_expr((x**2 - 1)**2 / 4, x, sp.Integer(1), eps_values=[Fraction(1, 100)], digits=20).rows[0]
    >>> row.eps, row.verdict, bool(row.eta > row.lower and row.eta < row.upper)
    (Fraction(1, 100), 'holds', True)
    """

    eps: Fraction
    eta: arb | None
    lower: arb
    upper: arb | None
    verdict: Verdict
    note: str = ""
    in_range: bool | None = True
    denominator: arb | None = None  # f'' - eps f''' (or its k >= 4 analogue)

    @property
    def interval_text(self) -> str:
        """``(lower, upper)`` to 12 digits, or why there is no interval."""
        if self.upper is not None:
            return f"({decimal_string(self.lower, 12)}, {decimal_string(self.upper, 12)})"
        return "empty (denominator <= 0)" if self.in_range is False else "denominator sign undecided"

    @property
    def rigor(self) -> Rigor:
        """``certified`` for a decided row (Krawczyk and balls), ``none`` for an undecided one."""
        return Rigor.NONE if self.verdict == Verdict.UNDECIDED else Rigor.CERTIFIED

    def to_dict(self) -> dict:
        return {
            "rigor": self.rigor,
            "eps": str(self.eps),
            "eta": decimal_string(self.eta, 20) if self.eta is not None else None,
            "eta_enclosure": enclosure_text(self.eta) if self.eta is not None else None,
            # No upper end when the denominator is not positive: the interval is empty, not (lower, inf).
            "interval": [decimal_string(self.lower, 20), decimal_string(self.upper, 20) if self.upper is not None else None],
            "verdict": self.verdict,
            "note": self.note,
            "in_range": self.in_range,
            "denominator": enclosure_text(self.denominator) if self.denominator is not None else None,
        }


@dataclass(frozen=True)
class ExistenceReport:
    """The theorem at a sequence of ``eps``: where it holds and where it stops holding.  Fields:
    the loss ``expression``, the ``minimum`` checked, the paper's ``case`` and ``eps_sign``, one
    :class:`ExistenceRow` per ``eps`` in ``rows``, and a ``message`` when no row was tested;
    ``proof`` the theorem proved for every eps up to ``proof.eps_max`` (None, with the reason in
    ``proof_note``, when there is no such proof).

    >>> x = sp.Symbol("x")
    >>> r = existence_expr(x**2 / 2 + x**4, x, sp.Integer(0), digits=20)
    >>> r.rows, r.message.startswith("the paper's condition is not met")
    ((), True)
    """

    expression: str
    minimum: StabilityCheck
    case: PaperCase | None
    eps_sign: int | None
    rows: tuple[ExistenceRow, ...]
    message: str
    proof: ExistenceProof | None = None
    proof_note: str = ""

    @property
    def largest_holding_eps(self) -> Fraction | None:
        """The largest tested ``|eps|`` such that the statement holds at it and at every
        smaller tested one."""
        best = None
        for r in self.rows:
            if r.verdict != Verdict.HOLDS:
                break
            best = r.eps
        return best

    @property
    def first_failure(self) -> ExistenceRow | None:
        return next((r for r in self.rows if r.verdict == Verdict.FAILS), None)

    @property
    def first_outside(self) -> ExistenceRow | None:
        """The smallest tested ``|eps|`` outside the theorem's range (the interval is empty)."""
        return next((r for r in self.rows if r.verdict == Verdict.OUTSIDE_RANGE), None)

    @property
    def rigor(self) -> Rigor:
        """``numerical``: each row is certified, but the theorem speaks of every small eps and
        the rows are a grid of them, which is evidence.  With no rows (the theorem makes no
        claim here) the rigor of the check at the minimum."""
        return Rigor.NUMERICAL if self.rows else self.minimum.rigor

    def to_dict(self) -> dict:
        fail = self.first_failure
        point = self.minimum.to_dict()["point"]
        return {
            "rigor": self.rigor,
            "minimum": point,
            "minimum_label": self.minimum.point.label,
            "point": point,
            "point_label": self.minimum.point.label,
            "paper_case": self.case,
            "order": self.minimum.paper.order,
            "eps_sign": self.eps_sign,
            "largest_holding_eps": None if self.largest_holding_eps is None else str(self.largest_holding_eps * (self.eps_sign or 1)),
            "first_failing_eps": None if fail is None else str(fail.eps * (self.eps_sign or 1)),
            "first_outside_range_eps": None if self.first_outside is None else str(self.first_outside.eps * (self.eps_sign or 1)),
            "rows": [r.to_dict() for r in self.rows],
            "message": self.message,
            "proof": None if self.proof is None else self.proof.to_dict(),
            "proof_note": self.proof_note,
        }

    def to_text(self) -> str:
        lines = [f"Existence theorem for f(x) = {self.expression} at x = {self.minimum.point.label} "
                 + (f"(case {self.case}, k = {self.minimum.paper.order}, x0 = xb - eps, eps {'> 0' if (self.eps_sign or 1) > 0 else '< 0'})"
                    if self.case else "(the paper's conditions do not apply here)")]
        lines.append(f"  {'|eps|':>10}  {'eta on the branch':<26}  {'theorem interval':<44}  verdict")
        for r in self.rows:
            eta = decimal_string(r.eta, 15) if r.eta is not None else "-"
            # The interval column already says why a row is out of range; the note would repeat it.
            shown = r.note if r.verdict != Verdict.OUTSIDE_RANGE else ""
            lines.append(f"  {str(r.eps):>10}  {eta:<26}  {r.interval_text:<44}  {r.verdict}" + (f"  [{shown}]" if shown else ""))
        lines.append(f"  {self.message}")
        if self.proof is not None:
            lines.append(self.proof.to_text())
        elif self.proof_note:
            lines.append(f"  no proof for every eps: {self.proof_note}")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        rows = "\n".join(
            f"| {r.eps} | {decimal_string(r.eta, 15) if r.eta is not None else '-'} | "
            f"{r.interval_text} | {r.verdict.replace('_', ' ')} |"
            for r in self.rows
        )
        return (f"### Existence theorem at $x$ = {math_text(self.minimum.point.label)} "
                f"for $f(x)$ = {math_text(self.expression, (self.minimum.variable,))}\n\n"
                f"| \\|eps\\| | eta | interval | verdict |\n|---|---|---|---|\n{rows}\n\n{self.message}\n")

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _interval(check: StabilityCheck, eps: arb, prec: int) -> tuple[arb, arb | None, bool | None, arb]:
    """The theorem's eta interval at signed ``eps``: ``(lower, upper, in_range, denominator)``.
    ``upper`` is None unless the denominator is certified positive; ``in_range`` is False when
    it is certified ``<= 0`` and None when undecided (an ``arb`` comparison is True only when
    certain, so both sides are tested)."""
    d = dict(check.derivatives)
    k = check.paper.order
    assert k is not None  # the theorem is applied only where the paper's case, so its order, is known
    with ctx.workprec(prec):
        f2 = curvature_ball(check.curvature, prec)
        fk = curvature_ball(d[k], prec)
        if check.paper.case == PaperCase.K3:
            denominator = f2 - eps * fk
        elif check.paper.case == PaperCase.K_ODD:
            denominator = f2 - fk * eps ** (k - 2)
        else:
            denominator = f2 + fk * eps ** (k - 2)
        if denominator > 0:
            return 2 / f2, 2 / denominator, True, denominator
        return 2 / f2, None, (False if denominator <= 0 else None), denominator


def _excluded(gd: GradientMap, x0: arb, lo: arb, hi: arb, prec: int) -> bool:
    """True when ``H(eta) = F_eta(F_eta(x0)) - x0`` is certainly non-zero on ``[lo, hi]``."""
    with ctx.workprec(prec):
        a0 = gd.derivatives(x0, prec)[0]
        stack = [(lo.lower(), hi.upper())]
        boxes = 0
        while stack:
            a, b = stack.pop()
            boxes += 1
            if boxes > _MAX_EXCLUSION_BOXES:
                return False
            eta = arb((a + b) / 2, (b - a) / 2)
            try:
                x1 = x0 - eta * a0
                h = x1 - eta * ball_coefficients(gd.expr, gd.var, x1, 1, prec)[1] - x0
            except (Undetermined, EosError):
                h = arb("nan")
            if excludes_zero(h):
                continue
            if not ((b - a) > (abs(a) + 1) * arb(2) ** -40):
                return False
            m = (a + b) / 2
            stack += [(a, m), (m, b)]
        return True


def existence_expr(expr: sp.Expr, var: sp.Symbol, at: sp.Expr | None = None, eps_values: Sequence[Fraction] = DEFAULT_EPS,
                   digits: int = 30, range: tuple[sp.Expr, sp.Expr] = DEFAULT_ENDS, *, text: str | None = None,
                   label: str | None = None, prove: bool = True) -> ExistenceReport:
    """The paper's existence theorem for the loss ``expr`` in ``var`` at the minimum ``at``
    (printed as ``label``; default: the first strict minimum in ``range``): at each ``eps`` of
    ``eps_values``, is there an eta in the stated interval with ``F(F(xb - eps)) = xb - eps``?
    Certified to ``digits`` digits; ``text`` is the loss as written.  With ``prove`` (case k = 3),
    also the proof for every eps in ``(0, eps_max]`` (:func:`~.existence_proof.prove_existence`).

    >>> x = sp.Symbol("x")
    >>> r = existence_expr((x**2 - 1)**2 / 4, x, sp.Integer(1), eps_values=[Fraction(1, 100)], digits=20)
    >>> r.case, [(row.eps, row.verdict) for row in r.rows]
    ('k3', [(Fraction(1, 100), 'holds')])
    >>> r.proof.proved, r.proof.stop, float(r.proof.eps_max) > 0.333
    (True, 'range_end', True)

    The theorem needs a strict minimum with ``f'' > 0``; a degenerate one is refused:

    >>> existence_expr(x**3, x, sp.Integer(0))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: 0 is a degenerate critical point (f'' = 0); the edge of stability needs f'' > 0
    """
    eps_values = arguments.rational_sequence(eps_values, "eps_values", positive=True)
    digits = arguments.digits(digits)
    prove = arguments.flag(prove, "prove")
    minimum = minima_checks(expr, var, at, range, text=text, label=label)[0]
    text = minimum.expression
    paper = minimum.paper
    if paper.case is None or paper.verdict != Verdict.HOLDS:
        state = {Verdict.FAILS: "is not met", Verdict.UNDECIDED: "is undecided"}.get(paper.verdict, paper.verdict)
        reason = f"the paper's condition {state} here ({paper.reason}), so the theorem makes no claim"
        # The message already says there is no claim to prove; a note would repeat it.
        return ExistenceReport(text, minimum, paper.case, paper.eps_sign, (), reason)
    sign = paper.eps_sign or 1
    prec = bits_for_digits(digits)
    gd = GradientMap(expr, var)
    xb = minimum.point.enclosure(prec)
    scale = max(1, abs(float(xb.mid())))
    rows: list[ExistenceRow] = []
    previous = None
    flip = minimum.flip
    with ctx.workprec(prec):
        f2 = curvature_ball(minimum.curvature, prec)
        g = arb(flip.coefficient.text(30)) if flip.coefficient is not None else None
    proof, proof_note = _proof(gd, minimum, paper.case) if prove else (None, "")
    if g is None or flip.order is None:
        return ExistenceReport(text, minimum, paper.case, paper.eps_sign, (),
                               f"the flip normal form is undecided here ({flip.reason}), so there is no branch to follow",
                               proof, proof_note)
    for e in sorted(eps_values):
        signed = Fraction(sign) * e * Fraction(scale).limit_denominator(10**6)
        with ctx.workprec(prec):
            eps = arb(fmpq(signed.numerator, signed.denominator))
            x0 = xb - eps
            lower, upper, in_range, denominator = _interval(minimum, eps, prec)
        span: dict[str, Any] = {"lower": lower, "upper": upper, "in_range": in_range, "denominator": denominator}
        system = _FixedStartSystem(gd, x0)
        if previous is None:
            # Normal form: (1 - eta f'')^2 - 1 = -g_p t^(p-1) with t = -eps.
            with ctx.workprec(prec):
                lam = -g * (-eps) ** (flip.order - 1)
                eta_seed = (1 + (1 + lam).sqrt()) / f2
                guess = [gd.step(x0, eta_seed, prec), eta_seed]
        else:
            guess = previous
        try:
            solution = solve_system(system, guess, digits)
        except NoConvergence as exc:
            rows.append(ExistenceRow(e, None, verdict=_exclusion_verdict(gd, x0, lower, upper, in_range, prec),
                                     note=_note(in_range, f"branch lost: {exc}"), **span))
            break
        result = certify(system, solution, prec)
        with ctx.workprec(prec):
            if not result.certified or result.enclosure[0].overlaps(x0):
                rows.append(ExistenceRow(e, None, verdict=_exclusion_verdict(gd, x0, lower, upper, in_range, prec),
                                         note=_note(in_range, "the 2-cycle could not be certified"), **span))
                previous = solution
                continue
            eta = result.enclosure[1]
            # Without a positive upper bound there is no interval to be inside: reading an empty
            # interval as (2/f'', inf) once called such rows "holds".
            inside = upper is not None and eta > lower and eta < upper
            outside = eta < lower or (upper is not None and eta > upper)
            if inside:
                verdict, note = Verdict.HOLDS, ""
            else:
                verdict = _exclusion_verdict(gd, x0, lower, upper, in_range, prec)
                note = _note(in_range, "the branch's eta is outside the interval" if outside else "eta is at the interval's edge")
            rows.append(ExistenceRow(e, eta, verdict=verdict, note=note, **span))
        previous = solution
    report = ExistenceReport(text, minimum, paper.case, sign, tuple(rows), "")
    largest, fail, out = report.largest_holding_eps, report.first_failure, report.first_outside
    msg = (f"The statement holds at every tested |eps| up to {largest}" if largest is not None
           else "The statement could not be established at the smallest tested eps")
    msg += (
        f"; at |eps| = {fail.eps} it no longer holds (certified: no eta in the interval gives F(F(x0)) = x0). "
        "The theorem only claims small eps, so this measures how small eps must be; it is not a counterexample."
        if fail else "; no certified failure among the tested eps."
    )
    if out is not None:
        msg += (f" From |eps| = {out.eps} on, the interval's denominator is <= 0, so the stated interval is empty: "
                "those eps are outside the theorem's range (neither holds nor fails).")
    return ExistenceReport(text, minimum, paper.case, sign, tuple(rows), msg, proof, proof_note)


def _proof(gd: GradientMap, minimum: StabilityCheck, case: PaperCase | None) -> tuple[ExistenceProof | None, str]:
    """The proof for every eps (k = 3 only: the blow-up's ``zeta0`` is the k = 3 condition)."""
    if case != PaperCase.K3:
        return None, "the proof for every eps covers the case k = 3 (f''' != 0) only; the rows are the evidence here"
    try:
        proof = prove_existence(gd.expr, gd.var, minimum.point.enclosure(PROOF_PREC))
    except (BeyondJet, Undetermined, EosError, ValueError) as exc:
        return None, f"the blow-up could not be set up ({exc})"
    return proof, "" if proof.proved else proof.reason


def _note(in_range: bool | None, note: str) -> str:
    if in_range is False:
        return _OUTSIDE_NOTE
    return note if in_range else note + "; the sign of the interval's denominator is undecided"


def _exclusion_verdict(gd: GradientMap, x0: arb, lower: arb, upper: arb | None, in_range: bool | None, prec: int) -> Verdict:
    if in_range is False:
        return Verdict.OUTSIDE_RANGE
    if upper is None:
        return Verdict.UNDECIDED
    return Verdict.FAILS if _excluded(gd, x0, lower, upper, min(prec, 256)) else Verdict.UNDECIDED
