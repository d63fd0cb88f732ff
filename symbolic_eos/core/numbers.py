"""Numbers as text: the one place a number (sympy, ``arb`` ball, ``fmpq``, ``Fraction``, float)
becomes a string, one function per format.

* an exact value as the parser reads it back (:func:`exact_string`), or that when it is short and a
  decimal otherwise (:func:`exact_or_decimal`);
* a decimal approximation to some significant digits (:func:`decimal_string`, and
  :func:`short_decimal` with trailing zeros dropped, for prose);
* a certified enclosure ``[m +/- r]`` that contains the true value (:func:`enclosure_text`,
  :func:`decimal_with_radius`, :func:`printed_radius`), a bound rounded outwards
  (:func:`upper_text`) and an interval rounded outwards (:func:`interval_text`);
* a float, which never decides anything: as plain ``%g`` text (:func:`float_text`), as evidence
  with rounding noise hidden (:func:`float_evidence`) and for JSON (:func:`json_float`,
  :func:`json_floats`); an ``mpmath`` float from a Newton step or a GD run (:func:`mpf_text`).

It lives in ``core`` because the analysis writes numbers into its reasons, and every layer above
prints them the same way.

>>> exact_string(fmpq(-1, 3)), decimal_string(fmpq(-1, 3), 5), enclosure_text(arb(2).sqrt(), 5)
('-1/3', '-0.33333', '[1.4142 +/- 1.36e-5]')
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence, overload

import mpmath
import sympy as sp
from flint import arb, ctx, fmpq

from .jets import constant_enclosure

__all__ = [
    "exact_string", "exact_or_decimal", "decimal_string", "short_decimal", "enclosure_text", "upper_text",
    "interval_text", "decimal_with_radius", "printed_radius", "float_text", "float_evidence", "json_float",
    "json_floats", "mpf_text", "DECIMAL_PRECISION_LIMIT",
]


def exact_string(value: sp.Expr | fmpq | Fraction | int) -> str:
    """An exact ``value`` as the text the parser reads back as the same number: ``p``, ``p/q``
    or sympy's closed form.

    >>> exact_string(Fraction(6, 3)), exact_string(fmpq(-1, 3)), exact_string(sp.sqrt(2) / 2), exact_string(0)
    ('2', '-1/3', 'sqrt(2)/2', '0')
    """
    return sp.sstr(value) if isinstance(value, sp.Basic) else str(value)


def exact_or_decimal(value: fmpq, digits: int = 10, max_denominator: int = 1000) -> str:
    """A rational ``value`` as a user would write it: exact (``-10``, ``1/2``) when its denominator
    is at most ``max_denominator``, else a decimal to ``digits`` significant digits.

    >>> exact_or_decimal(fmpq(-10)), exact_or_decimal(fmpq(1, 2)), exact_or_decimal(fmpq(1, 3 * 10**40))
    ('-10', '1/2', '3.333333333e-41')
    >>> exact_or_decimal(fmpq(1, 1024), digits=3, max_denominator=1000)
    '0.000977'
    """
    return str(value) if value.q <= max_denominator else decimal_string(value, digits)


#: The most bits spent on printing one exact value; past it the value prints as an enclosure.
DECIMAL_PRECISION_LIMIT = 1 << 16


def decimal_string(value: arb | fmpq | int | sp.Expr, digits: int = 17) -> str:
    """A decimal string with ``digits`` significant digits for ``value``: an ``fmpq``, sympy
    number or ``arb`` (its midpoint; the ball's radius is reported separately).

    >>> decimal_string(fmpq(1, 3), 5), decimal_string(sp.sqrt(2), 10), decimal_string(arb(2).sqrt(), 8)
    ('0.33333', '1.414213562', '1.4142136')
    >>> decimal_string(0), decimal_string(fmpq(-1, 7 * 10**40), 4), decimal_string(-sp.pi * 10**50, 4)
    ('0', '-1.429e-41', '-3.142e+50')
    """
    if isinstance(value, arb):
        return value.mid().str(digits, radius=False) if value.is_finite() else "nan"
    need = int(digits * 3.33) + 8
    prec = need + 56
    if not isinstance(value, sp.Expr):
        with ctx.workprec(prec):
            return arb(fmpq(value)).mid().str(digits, radius=False)
    # An exact value that nearly cancels (sqrt(2) - 1.41421356237309504880) needs far more bits
    # than it has digits: raise the precision until the ball carries the digits asked for.
    ball = None
    while prec <= DECIMAL_PRECISION_LIMIT:
        with ctx.workprec(prec):
            ball = constant_enclosure(value, prec)
        if ball.is_exact() or ball.rel_accuracy_bits() >= need:
            return ball.mid().str(digits, radius=False)
        prec *= 2
    return enclosure_text(ball, digits) if ball is not None and ball.is_finite() else "nan"


def short_decimal(value: arb | fmpq | int | sp.Expr, digits: int = 6) -> str:
    """A short decimal for prose: :func:`decimal_string` of ``value`` to ``digits`` significant
    digits with the trailing zeros of the mantissa dropped.

    >>> short_decimal(fmpq(11, 10)), short_decimal(fmpq(10)**5), short_decimal(fmpq(-1, 3), 3), short_decimal(0)
    ('1.1', '1e+5', '-0.333', '0')
    """
    text = decimal_string(value, digits)
    mantissa, e, exponent = text.partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + e + exponent


def enclosure_text(ball: arb, digits: int = 20) -> str:
    """A ball as ``[m +/- r]`` with ``m`` to ``digits`` digits and ``r`` covering both the ball's
    radius and the rounding of ``m`` (python-flint's correctly rounded ``arb.str``), so the printed
    ball contains the true value; an exactly representable value prints without a radius.

    >>> from flint import arb
    >>> with ctx.workprec(256):
    ...     enclosure_text(arb(1) / 3, 10), enclosure_text(arb(2), 5)
    ('[0.3333333333 +/- 3.34e-11]', '2.0000')
    >>> enclosure_text(arb(0)), enclosure_text(-arb(10) ** 100 / 3, 5), enclosure_text(arb("nan"))
    ('0', '[-3.3333e+99 +/- 3.34e+94]', 'nan')
    """
    if not ball.is_finite():
        return "nan"
    # python-flint formats through the current context; a 53-bit context would widen the ball.
    with ctx.workprec(max(ctx.prec, 4 * digits + 64)):
        return ball.str(digits, radius=True)


def upper_text(x: arb | fmpq | int, digits: int = 3) -> str:
    """A decimal upper bound of ``x`` (an ``arb`` or exact number) with ``digits`` significant
    digits, rounded up: a printed bound (a radius, a Lipschitz constant) is never below the truth.

    >>> upper_text(fmpq(1, 3)), upper_text(arb(2) ** -100), upper_text(0)
    ('0.334', '7.89e-31', '0')
    >>> upper_text(fmpq(-1, 3)), upper_text(fmpq(10) ** 20 / 3, 4)
    ('-0.333', '3.334e19')
    """
    if isinstance(x, arb):
        if not x.is_finite():
            return "inf"
        with ctx.workprec(max(ctx.prec, 64)):
            man, exp = x.upper().man_exp()
        q = Fraction(int(man)) * Fraction(2) ** int(exp)
    else:
        value = fmpq(x) if not isinstance(x, fmpq) else x
        q = Fraction(int(value.p), int(value.q))
    if q <= 0:
        return "0" if q == 0 else "-" + _lower_magnitude(-q, digits)
    e = _decimal_exponent(q)
    scale = Fraction(10) ** (digits - 1 - e)
    n = -((-q * scale).numerator // (q * scale).denominator)  # ceil
    if n >= 10**digits:
        n, e = n // 10 + (n % 10 != 0), e + 1
    return _format_scaled(n, e, digits)


def interval_text(lo: arb | fmpq | int, hi: arb | fmpq | int, digits: int = 17) -> str:
    """``[a, b]`` with ``lo`` rounded down and ``hi`` rounded up to ``digits`` significant
    digits, so the printed interval contains ``[lo, hi]`` (exact numbers or ``arb`` balls).

    >>> interval_text(fmpq(1, 3), fmpq(2, 3), 3)
    '[0.333, 0.667]'
    >>> interval_text(-1, fmpq(1, 3 * 10**30), 3)
    '[-1, 3.34e-31]'
    """
    low = lo if isinstance(lo, arb) else arb(fmpq(lo))
    return f"[{_negated(upper_text(-arb(low.lower()), digits))}, {upper_text(hi if isinstance(hi, arb) else fmpq(hi), digits)}]"


def _negated(text: str) -> str:
    return text[1:] if text.startswith("-") else "0" if text == "0" else "-" + text


def _decimal_exponent(q: Fraction) -> int:
    """``floor(log10(q))`` for a positive rational, exactly."""
    e = len(str(q.numerator)) - len(str(q.denominator))
    while Fraction(10) ** e > q:
        e -= 1
    while Fraction(10) ** (e + 1) <= q:
        e += 1
    return e


def _lower_magnitude(q: Fraction, digits: int) -> str:
    e = _decimal_exponent(q)
    scale = Fraction(10) ** (digits - 1 - e)
    return _format_scaled(int(q * scale), e, digits)


def _format_scaled(n: int, e: int, digits: int) -> str:
    """``n * 10^(e - digits + 1)`` (``n`` has ``digits`` digits) as a short decimal string."""
    text = str(n).rstrip("0") or "0"
    mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
    if -4 <= e < 0:
        return "0." + "0" * (-e - 1) + text
    if 0 <= e < digits:
        whole = str(n)[: e + 1]
        frac = str(n)[e + 1:].rstrip("0")
        return whole + ("." + frac if frac else "")
    return f"{mantissa}e{e}" if e > 0 else f"{mantissa}e-{-e}"


def decimal_with_radius(ball: arb, digits: int = 17, radius: arb | None = None) -> tuple[str, str]:
    """``(m, r)``: the midpoint of ``ball`` to ``digits`` digits and an upper bound ``r`` on the
    distance from ``m`` to every point of ``ball`` (or of ``mid +/- radius`` when a wider radius
    is given), so ``[m +/- r]`` contains the truth after the rounding of ``m``.

    >>> with ctx.workprec(256):
    ...     decimal_with_radius(arb(1) / 3, 5)
    ('0.33333', '3.34e-6')
    """
    m = decimal_string(ball, digits)
    return m, upper_text(distance_to_decimal(ball, m, radius))


def distance_to_decimal(ball: arb, decimal: str, radius: arb | None = None) -> arb:
    """A ball whose upper end bounds ``|decimal - y|`` for every ``y`` in ``ball`` (or in
    ``mid +/- radius``): what a radius printed beside ``decimal`` must cover."""
    with ctx.workprec(max(ctx.prec, 4 * len(decimal) + 64)):
        printed = arb(decimal)  # a decimal is rarely a binary number: arb encloses it
        wide = ball if radius is None else ball.mid() + arb(0, arb(radius).upper())
        return abs(wide - printed)


def printed_radius(balls: Sequence[arb], texts: Sequence[str], box_radius: arb | fmpq | int | float) -> str:
    """An upper bound on how far the printed decimals ``texts`` can be from the true points
    (each inside its ball of ``balls``, and inside the certified box of radius ``box_radius``):
    ``[text +/- radius]`` encloses each point, whatever the rounding of ``text``.

    >>> with ctx.workprec(64):
    ...     printed_radius([arb(1, 1e-10)], ["1.0000"], box_radius=0)
    '1.01e-10'
    """
    cover = [distance_to_decimal(b, t) for b, t in zip(balls, texts, strict=True)]
    return upper_text(max([c.upper() for c in cover] + [arb(box_radius).upper()], key=lambda a: a.mid()))


def json_float(value: float | None) -> str | None:
    """A float (evidence or a parameter) for JSON: a string, the shortest text that reads back
    as the same float, so no JSON number ever carries a real value.

    >>> json_float(1.05), json_float(2.0), json_float(None), json_float(float("inf"))
    ('1.05', '2.0', None, 'inf')
    """
    return None if value is None else repr(float(value))


def json_floats(value: Any) -> Any:
    """``value`` with every float (at any depth of dicts, lists and tuples) replaced by
    :func:`json_float`, tuples by lists; booleans, integers, strings and None unchanged.

    >>> json_floats({"eta": 1.1, "cycle": (0.5, 2.0), "steps": 10, "ok": True})
    {'eta': '1.1', 'cycle': ['0.5', '2.0'], 'steps': 10, 'ok': True}
    """
    if isinstance(value, float):
        return json_float(value)
    if isinstance(value, dict):
        return {k: json_floats(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_floats(v) for v in value]
    return value


@overload
def float_text(value: float, digits: int = 17) -> str: ...
@overload
def float_text(value: None, digits: int = 17) -> None: ...


def float_text(value: float | None, digits: int = 17) -> str | None:
    """A float ``value`` to ``digits`` significant digits (``%g``), ``None`` unchanged: a float
    result shown as it is (17 digits give it back exactly, 4 are stable across BLAS builds).

    >>> float_text(0.1 + 0.2), float_text(-2.5e-300, 4), float_text(1234567.0, 4), float_text(None)
    ('0.30000000000000004', '-2.5e-300', '1.235e+06', None)
    """
    return None if value is None else f"{value:.{digits}g}"


def float_evidence(value: float, digits: int = 3, floor: float = 1e-12) -> str:
    """A float ``value`` from a simulation shown as evidence: ``digits`` significant digits, and anything
    below ``floor`` in size (rounding noise, which differs between machines) as ``< floor``.

    >>> float_evidence(0.223157), float_evidence(4.4e-16), float_evidence(float("nan")), float_evidence(-3e20, digits=2)
    ('0.223', '< 1e-12', 'nan', '-3e+20')
    >>> float_evidence(-3e-13, floor=1e-15)
    '-3e-13'
    """
    if value != value:
        return "nan"
    if abs(value) < floor:
        return f"< {floor:.0e}".replace("e-0", "e-")
    return float_text(value, digits)


def mpf_text(value: Any, digits: int = 17) -> str:
    """An ``mpmath`` number ``value`` (evidence, never a decision) to at most ``digits``
    significant digits, trailing zeros dropped (``mpmath.nstr``).

    >>> import mpmath
    >>> mpf_text(mpmath.mpf(1)), mpf_text(mpmath.mpf(-2) / 3, 5), mpf_text(mpmath.mpf(10) ** -40 / 3, 3), mpf_text(mpmath.mpf(0), 3)
    ('1.0', '-0.66667', '3.33e-41', '0.0')
    """
    return str(mpmath.nstr(value, digits))
