"""The one validator of the Python API's arguments: the only place their types are checked.

Every public entry point passes what a user gave it through these functions first, so a bad
argument is an :class:`~symbolic_eos.errors.InputError` naming the parameter, never an
``AttributeError``, ``TypeError``, ``ValueError`` or ``IndexError`` from deep inside.  Valid
values of other types are accepted where an exact number is meant: ``int`` (not ``bool``),
:class:`fractions.Fraction`, sympy rationals and exact constant expressions, as well as exact
text.  A ``float`` is refused, since it is not the number the user typed (``0.1`` as a float is
``3602879701896397/36028797018963968``).

>>> exact_text(Fraction(1, 2), "at"), exact_text("sqrt(2)", "at")
('1/2', 'sqrt(2)')
>>> exact_text(0.5, "at")
Traceback (most recent call last):
...
symbolic_eos.errors.InputError: at: expected exact text, an int, a Fraction or a sympy number, got float 0.5 (write '0.5' or Fraction(1, 2))
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from ..errors import InputError, brief

__all__ = [
    "exact_text",
    "exact_value",
    "optional_exact_text",
    "labelled_constant",
    "prefixed",
    "range_texts",
    "range_value",
    "exact_texts",
    "point_texts",
    "rational",
    "rational_sequence",
    "rational_pairs",
    "positive_int",
    "integer",
    "digits",
    "MIN_DIGITS",
    "MAX_DIGITS",
    "optional_int",
    "int_sequence",
    "real_number",
    "real_sequence",
    "real_array",
    "flag",
    "text",
    "expression_text",
    "optional_text",
    "variable_name",
    "variable_names",
    "claim_ids",
    "choice",
    "path",
    "panels",
    "instance",
    "instances",
    "attributes",
    "each",
    "optional_callable",
    "optional_dict",
]

T = TypeVar("T")

_EXACT = "exact text, an int, a Fraction or a sympy number"


def _got(value: object) -> str:
    """``value``'s type and (short) text, for a refusal: ``float 0.5``, ``NoneType None``."""
    return f"{type(value).__name__} {brief(repr(value))}"


def _float_hint(value: float) -> str:
    if math.isfinite(value):
        f = Fraction(value).limit_denominator(10**6)
        return f" (write {str(value)!r} or Fraction({f.numerator}, {f.denominator}))"
    return ""


def exact_text(value: object, name: str) -> str:
    """``value`` as exact text the parser reads: a ``str`` unchanged (it is parsed, with its own
    messages, where it is used), an ``int``, :class:`~fractions.Fraction`, python-flint ``fmpq``
    or sympy number as the
    text that gives the same exact value, so a result is the same as for that text.  ``name`` is
    the parameter named in a refusal.

    >>> import sympy as sp
    >>> exact_text(3, "at"), exact_text(Fraction(-1, 4), "at"), exact_text(sp.sqrt(2) / 2, "at")
    ('3', '-1/4', 'sqrt(2)/2')
    >>> exact_text(True, "eta")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: eta: expected exact text, an int, a Fraction or a sympy number, got bool True
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise InputError(f"{name}: expected {_EXACT}, got {_got(value)}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, float):
        raise InputError(f"{name}: expected {_EXACT}, got {_got(value)}{_float_hint(value)}")
    from flint import fmpq

    if isinstance(value, fmpq):
        return str(value)
    import sympy as sp  # not at import time: the command line starts without sympy

    if isinstance(value, sp.Basic):
        if not isinstance(value, sp.Expr) or value.free_symbols or not value.is_number:
            raise InputError(f"{name}: expected an exact number, got the sympy object {brief(value)}")
        if value.has(sp.Float):
            raise InputError(f"{name}: expected an exact number, got the sympy float {brief(value)}"
                             " (write exact text such as '0.5' or a Rational)")
        if value.has(sp.I, sp.zoo, sp.oo, -sp.oo, sp.nan):
            raise InputError(f"{name}: expected a finite real number, got the sympy number {brief(value)}")
        return sp.sstr(value)
    raise InputError(f"{name}: expected {_EXACT}, got {_got(value)}")


def optional_exact_text(value: object, name: str) -> str | None:
    """``None``, or :func:`exact_text` of ``value`` (``name`` names it in a refusal).

    >>> optional_exact_text(None, "at") is None, optional_exact_text(2, "at")
    (True, '2')

    >>> optional_exact_text(0.5, "at")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: at: expected exact text, ..., got float 0.5 (write '0.5' or Fraction(1, 2))
    """
    return None if value is None else exact_text(value, name)


def exact_value(value: object, name: str) -> Any:
    """``value`` as an exact sympy constant: text is parsed by
    :func:`~symbolic_eos.core.parse.parse_constant` (never ``sympify``), other types as in
    :func:`exact_text`; ``name`` names it in a refusal.

    >>> exact_value("0.1", "eta"), exact_value(Fraction(1, 10), "eta")
    (1/10, 1/10)
    >>> exact_value(None, "eta")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: eta: expected exact text, an int, a Fraction or a sympy number, got NoneType None
    """
    import sympy as sp

    from .parse import check_size, parse_constant

    if isinstance(value, sp.Basic) and not isinstance(value, bool):
        exact_text(value, name)  # the same refusals as for text
        return check_size(value)  # a sympy constant is used as it is (its text may exceed the parser's bounds)
    return parse_constant(exact_text(value, name), what=name)


def labelled_constant(value: object, name: str, what: str | None = None) -> tuple[Any, str]:
    """``value`` as an exact sympy constant and the label it is shown with: its text (as
    :func:`exact_text`), stripped; ``name`` names it in a refusal of its type, ``what`` in a
    parse error (:func:`~symbolic_eos.core.parse.parse_constant`).

    >>> labelled_constant(" atanh(1/2) ", "at", what="the point")
    (atanh(1/2), 'atanh(1/2)')
    >>> labelled_constant("banana", "at", what="the point")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: ...the point...
    """
    from .parse import parse_constant

    text = exact_text(value, name)
    return parse_constant(text, what=what), text.strip()


def prefixed(name: str, parse: Callable[..., T], *args: Any) -> T:
    """``parse(*args)``, with a refusal's message prefixed by ``name`` (``name: message``), so a
    parser's error says which argument or catalog entry it was about.

    >>> from symbolic_eos.core.parse import parse_variable_name
    >>> prefixed("var", parse_variable_name, "w")
    w
    >>> prefixed("var", parse_variable_name, "sin")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: var: ...
    """
    try:
        return parse(*args)
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None


def exact_texts(value: object, name: str) -> tuple[str, ...]:
    """``value``: a non-empty list or tuple of exact values (at most 10000), each as :func:`exact_text`;
    ``name`` names it in a refusal.

    >>> exact_texts([1, "1/2", Fraction(3, 4)], "etas")
    ('1', '1/2', '3/4')
    >>> exact_texts("11/10", "etas")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: etas: expected a list or tuple of exact values, got str '11/10'
    """
    if not isinstance(value, (list, tuple)) or not 1 <= len(value) <= 10000:
        raise InputError(f"{name}: expected a list or tuple of exact values, got {_got(value)}")
    return tuple(exact_text(v, f"{name}[{i}]") for i, v in enumerate(value))


def rational(value: object, name: str, positive: bool = False) -> Fraction:
    """``value`` as a :class:`~fractions.Fraction`: an ``int``, ``Fraction``, sympy rational, or
    text of a rational number (``'1/100'``, ``'0.01'``); with ``positive`` it must be > 0.
    ``name`` names it in a refusal.

    >>> rational("0.01", "eps"), rational(Fraction(1, 3), "eps", positive=True)
    (Fraction(1, 100), Fraction(1, 3))
    >>> rational("sqrt(2)", "eps")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: eps: expected a rational number, got sqrt(2)
    """
    if isinstance(value, Fraction):
        number = value
    else:
        exact = exact_value(value, name)
        if not exact.is_Rational:
            raise InputError(f"{name}: expected a rational number, got {brief(exact)}")
        number = Fraction(int(exact.p), int(exact.q))
    if positive and number <= 0:
        raise InputError(f"{name}: expected a positive rational number, got {brief(number)}")
    return number


def rational_sequence(value: object, name: str, positive: bool = False, max_length: int = 1000) -> tuple[Fraction, ...]:
    """``value``: a non-empty list or tuple (at most ``max_length`` items) of :func:`rational` values; ``name`` names it in a refusal.

    >>> rational_sequence([Fraction(1, 100), "1/10", 1], "eps_values", positive=True)
    (Fraction(1, 100), Fraction(1, 10), Fraction(1, 1))

    >>> rational_sequence(["1/10", "-1"], "eps_values", positive=True)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: eps_values[1]: expected a positive rational number, got -1
    """
    if not isinstance(value, (list, tuple)) or not 1 <= len(value) <= max_length:
        raise InputError(f"{name}: expected a list or tuple of 1 to {max_length} rationals, got {_got(value)}")
    return tuple(rational(v, f"{name}[{i}]", positive) for i, v in enumerate(value))


def point_texts(value: object, name: str, max_length: int = 100) -> str:
    """``value``, a point of several variables (at most ``max_length`` coordinates), as the
    comma text the parser reads: ``"1, 1/2"`` unchanged, a list or tuple of exact values
    joined with commas (each as :func:`exact_text`); ``name`` names it in a refusal.

    >>> point_texts((1, Fraction(1, 2)), "at"), point_texts("1,1", "at")
    ('1,1/2', '1,1')

    >>> point_texts([1, None], "at")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: at[1]: expected exact text, an int, a Fraction or a sympy number, got NoneType None
    """
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and 1 <= len(value) <= max_length:
        return ",".join(exact_text(v, f"{name}[{i}]") for i, v in enumerate(value))
    raise InputError(f"{name}: expected a point ('1,1' or a list of exact values), got {_got(value)}")


def rational_pairs(value: object, name: str, max_length: int = 10000) -> tuple[tuple[Fraction, Fraction], ...]:
    """``value``: a list or tuple (possibly empty, at most ``max_length`` items) of pairs of :func:`rational` values, e.g. starting
    points ``(x0, y0)``; ``name`` names it in a refusal.

    >>> rational_pairs([("1/2", 2)], "extra")
    ((Fraction(1, 2), Fraction(2, 1)),)
    >>> rational_pairs([(1, 2, 3)], "extra")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: extra[0]: expected a pair of rationals, got tuple (1, 2, 3)
    """
    if not isinstance(value, (list, tuple)) or len(value) > max_length:
        raise InputError(f"{name}: expected a list or tuple of pairs of rationals, got {_got(value)}")
    out = []
    for i, pair in enumerate(value):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise InputError(f"{name}[{i}]: expected a pair of rationals, got {_got(pair)}")
        out.append((rational(pair[0], f"{name}[{i}][0]"), rational(pair[1], f"{name}[{i}][1]")))
    return tuple(out)


def range_texts(value: object, name: str) -> tuple[str, str] | None:
    """``value``: ``None`` (the default range), or a pair ``(lo, hi)`` of exact values as two texts
    (:func:`exact_text`); the ends are compared where the range is used.  ``name`` names it in
    a refusal.

    >>> range_texts((0, Fraction(5, 2)), "range")
    ('0', '5/2')
    >>> range_texts(5, "range")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: range: expected a pair (lo, hi) of exact values, got int 5
    """
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise InputError(f"{name}: expected a pair (lo, hi) of exact values, got {_got(value)}")
    return exact_text(value[0], f"{name}[0]"), exact_text(value[1], f"{name}[1]")


def range_value(value: object, name: str) -> tuple[Any, Any]:
    """``value``: a pair ``(lo, hi)`` of exact values with ``lo < hi``, as two sympy constants; ``name``
    names it in a refusal.

    >>> range_value(("-1", 2), "range")
    (-1, 2)
    >>> range_value((2, 1), "range")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: range: needs lo < hi, got [2, 1]
    """
    pair = range_texts(value, name)
    if pair is None:
        raise InputError(f"{name}: expected a pair (lo, hi) of exact values, got NoneType None")
    lo, hi = exact_value(pair[0], f"{name}[0]"), exact_value(pair[1], f"{name}[1]")
    if not bool((hi - lo).is_positive):
        raise InputError(f"{name}: needs lo < hi, got [{brief(lo)}, {brief(hi)}]")
    return lo, hi


def integer(value: object, name: str, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an ``int`` in ``[low, high]`` (either bound may be ``None``); ``bool`` and
    ``float`` are refused.  ``name`` names it in a refusal.

    >>> integer(0, "seed", low=0)
    0
    >>> integer(-1, "seed", low=0)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: seed: expected an integer >= 0, got -1
    """
    if low is not None and high is not None:
        wanted = f"an integer in [{low}, {high}]"
    elif low is not None:
        wanted = f"an integer >= {low}"
    elif high is not None:
        wanted = f"an integer <= {high}"
    else:
        wanted = "an integer"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputError(f"{name}: expected {wanted}, got {_got(value)}")
    number = int(value)
    if (low is not None and number < low) or (high is not None and number > high):
        raise InputError(f"{name}: expected {wanted}, got {brief(number)}")
    return number


#: The decimal digits a certified computation may ask for, one limit for every entry point: at
#: least 5 (fewer cannot tell a 2-cycle's points apart), at most 20000 (bounds the work).
MIN_DIGITS, MAX_DIGITS = 5, 20000


def digits(value: object, name: str = "digits") -> int:
    """``value``, a number of decimal digits in ``[MIN_DIGITS, MAX_DIGITS]``; ``name`` names it
    in a refusal (in backticks, with ``InputError.parameters``, so the CLI can show its flag).

    >>> digits(30)
    30
    >>> digits(3)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: `digits` must be between 5 and 20000, not 3
    """
    number = integer(value, name)
    if not MIN_DIGITS <= number <= MAX_DIGITS:
        raise InputError(f"`{name}` must be between {MIN_DIGITS} and {MAX_DIGITS}, not {brief(number)}", parameters=(name,))
    return number


def positive_int(value: object, name: str, low: int = 1, high: int | None = None) -> int:
    """``value`` as an ``int`` in ``[low, high]`` (``low`` at least 1 by default, ``high`` no
    bound when ``None``); ``bool`` is refused.  ``name`` names it in a refusal.

    >>> positive_int(3, "d")
    3
    >>> positive_int(0, "d")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: d: expected an integer >= 1, got 0
    """
    return integer(value, name, low, high)


def optional_int(value: object, name: str, low: int | None = None, high: int | None = None) -> int | None:
    """``None``, or :func:`integer` of ``value`` in ``[low, high]``; ``name`` names it.

    >>> optional_int(None, "limit", 1) is None, optional_int(5, "limit", 1)
    (True, 5)

    >>> optional_int(0, "limit", 1)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: limit: expected an integer >= 1, got 0
    """
    return None if value is None else integer(value, name, low, high)


def int_sequence(value: object, name: str, low: int | None = None, high: int | None = None,
                 max_length: int = 1000) -> tuple[int, ...]:
    """``value``: a non-empty list or tuple (at most ``max_length`` items) of integers in ``[low, high]``;
    ``name`` names it in a refusal.

    >>> int_sequence([2, 3], "dims", 1)
    (2, 3)
    >>> int_sequence([2, 0], "dims", 1)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: dims[1]: expected an integer >= 1, got 0
    """
    if not isinstance(value, (list, tuple)) or not 1 <= len(value) <= max_length:
        raise InputError(f"{name}: expected a list or tuple of 1 to {max_length} integers, got {_got(value)}")
    return tuple(integer(v, f"{name}[{i}]", low, high) for i, v in enumerate(value))


def real_number(value: object, name: str, positive: bool = False) -> float:
    """``value`` (an ``int``, ``float``, :class:`~fractions.Fraction` or other real number, not
    ``bool``) as a finite ``float``, for the floating-point simulations; with ``positive`` it
    must be > 0.  ``name`` names it in a refusal.

    >>> real_number(Fraction(11, 10), "eta")
    1.1
    >>> real_number(float("nan"), "eta")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: eta: expected a finite real number, got nan
    """
    wanted = "a finite positive real number" if positive else "a finite real number"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(f"{name}: expected {wanted}, got {_got(value)}")
    try:
        number = float(value)
    except (OverflowError, ValueError, TypeError):
        raise InputError(f"{name}: expected {wanted}, got {brief(value)}") from None
    if not math.isfinite(number) or (positive and number <= 0):
        raise InputError(f"{name}: expected {wanted}, got {brief(value)}")
    return number


def real_sequence(value: object, name: str, positive: bool = False, max_length: int = 1000) -> tuple[float, ...]:
    """``value``: a non-empty list or tuple (at most ``max_length`` items) of :func:`real_number` values; ``name`` names it in a refusal.

    >>> real_sequence((1.05, 1.1), "etas", positive=True)
    (1.05, 1.1)

    >>> real_sequence([1.05, -1], "etas", positive=True)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: etas[1]: expected a finite positive real number, got -1
    """
    if not isinstance(value, (list, tuple)) or not 1 <= len(value) <= max_length:
        raise InputError(f"{name}: expected a list or tuple of 1 to {max_length} numbers, got {_got(value)}")
    return tuple(real_number(v, f"{name}[{i}]", positive) for i, v in enumerate(value))


def real_array(value: object, name: str) -> Any:
    """``value`` (a real number, a list of them or a numpy array) as a float64 numpy array of
    finite values; ``name`` names it in a refusal.

    >>> real_array([1, Fraction(1, 2)], "w").tolist()
    [1.0, 0.5]
    >>> real_array("w", "w")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: w: expected a real number or array, got str 'w'
    """
    import numpy as np

    if isinstance(value, (bool, str, bytes)) or value is None:
        raise InputError(f"{name}: expected a real number or array, got {_got(value)}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{name}: expected a real number or array, got {_got(value)}") from None
    if not np.all(np.isfinite(array)):
        raise InputError(f"{name}: expected finite real values")
    return array


def flag(value: object, name: str) -> bool:
    """``value``, which must be a ``bool``; ``name`` names it in a refusal.

    >>> flag(False, "figures")
    False
    >>> flag("no", "figures")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: figures: expected True or False, got str 'no'
    """
    if not isinstance(value, bool):
        raise InputError(f"{name}: expected True or False, got {_got(value)}")
    return value


def text(value: object, name: str, max_length: int = 100000) -> str:
    """``value``, which must be a ``str`` of at most ``max_length`` characters; ``name`` names
    it in a refusal.

    >>> text("x**2", "text")
    'x**2'
    >>> text(None, "text")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: text: expected text (a str), got NoneType None
    """
    if not isinstance(value, str):
        raise InputError(f"{name}: expected text (a str), got {_got(value)}")
    if len(value) > max_length:
        raise InputError(f"{name}: text too long ({len(value)} characters, at most {max_length})")
    return value


def expression_text(value: object, name: str, max_length: int = 100000) -> str:
    """``value``, an expression as the text the parser reads: a ``str`` unchanged, a sympy
    expression as its ``sstr`` text, so a sympy object meets exactly the grammar, the whitelist
    of functions and the size bounds that text meets (``Abs``, ``Piecewise`` or an undefined
    ``Function`` are refused by name where the text is parsed), of at most ``max_length``
    characters; ``name`` names it in a refusal.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> expression_text("x**2/2", "text"), expression_text(x**2 / 2 + sp.sin(x), "text")
    ('x**2/2', 'x**2/2 + sin(x)')
    >>> expression_text(0.5 * x, "text")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: text: expected exact coefficients, got the sympy float 0.5*x (write Rational(1, 2) or the text '0.5')
    """
    if isinstance(value, str):
        return text(value, name, max_length)
    import sympy as sp  # not at import time: the command line starts without sympy

    if isinstance(value, sp.Expr):
        if value.has(sp.Float):
            raise InputError(f"{name}: expected exact coefficients, got the sympy float {brief(value)}"
                             " (write Rational(1, 2) or the text '0.5')")
        return text(sp.sstr(value), name, max_length)
    raise InputError(f"{name}: expected an expression (text or a sympy expression), got {_got(value)}")


def optional_text(value: object, name: str) -> str | None:
    """``None``, or :func:`text` of ``value``; ``name`` names it in a refusal.

    >>> optional_text(None, "command") is None
    True

    >>> optional_text(3, "command")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: command: expected text (a str), got int 3
    """
    return None if value is None else text(value, name)


def variable_name(value: object, name: str) -> str:
    """``value``, a plain identifier that is not a function or constant name; ``name`` names it
    in a refusal.

    >>> variable_name("w", "var")
    'w'
    >>> variable_name(1, "var")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: var: expected a variable name (a str such as 'x'), got int 1
    """
    if not isinstance(value, str):
        raise InputError(f"{name}: expected a variable name (a str such as 'x'), got {_got(value)}")
    from .parse import parse_variable_name

    prefixed(name, parse_variable_name, value)
    return value


def variable_names(value: object, name: str) -> str:
    """``value``, variable names, as the comma text the parser reads: ``"x, y"`` unchanged, a list or tuple
    of names joined with commas (each checked by :func:`variable_name`); ``name`` names it.

    >>> variable_names(("x", "y"), "vars_text"), variable_names("x,y", "vars_text")
    ('x,y', 'x,y')

    >>> variable_names(["x", "sin"], "vars_text")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: vars_text[1]: variable name 'sin' is reserved (a function or constant)
    """
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and 1 <= len(value) <= 100:
        return ",".join(variable_name(v, f"{name}[{i}]") for i, v in enumerate(value))
    raise InputError(f"{name}: expected variable names ('x,y' or a list of str), got {_got(value)}")


def claim_ids(value: object, name: str) -> tuple[str, ...] | None:
    """``value``: ``None`` (every claim), or claim ids as a tuple: from a list or tuple of ``str`` or a
    comma string; ``name`` names it in a refusal.  Unknown ids are refused where they are
    looked up.

    >>> claim_ids("C1, C2", "only"), claim_ids(["C3"], "only")
    (('C1', 'C2'), ('C3',))
    >>> claim_ids(5, "only")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: only: expected claim ids (a list of str or 'C1,C2'), got int 5
    >>> claim_ids(" , ", "only")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: only: names no claim (give at least one id, or None for every claim)
    """
    if value is None:
        return None
    if isinstance(value, str):
        ids = tuple(v.strip() for v in value.split(",") if v.strip())
    elif isinstance(value, (list, tuple)) and len(value) <= 1000:
        ids = tuple(text(v, f"{name}[{i}]", 200) for i, v in enumerate(value))
    else:
        raise InputError(f"{name}: expected claim ids (a list of str or 'C1,C2'), got {_got(value)}")
    if not ids:
        raise InputError(f"{name}: names no claim (give at least one id, or None for every claim)")
    return ids


def choice(value: object, name: str, options: Sequence[str]) -> str:
    """``value``, which must be one of the strings ``options``; ``name`` names it in a refusal.

    >>> choice("auto", "route", ("auto", "exact"))
    'auto'
    >>> choice("fast", "route", ("auto", "exact"))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: route: expected one of 'auto', 'exact', got str 'fast'
    """
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise InputError(f"{name}: expected one of {listed}, got {_got(value)}")
    return value


def path(value: object, name: str, suffixes: Sequence[str] | None = None) -> str:
    """``value`` (a ``str`` or path-like object, not empty) as a ``str``; with ``suffixes`` its
    suffix must be one of them (e.g. ``(".png", ".pdf")``; ``""`` allows none).  ``name`` names it in a refusal.

    >>> path(Path("out") / "a.png", "path", (".png", ".pdf"))
    'out/a.png'
    >>> path("a.gif", "path", (".png", ".pdf"))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: path: expected a file name ending in .png or .pdf, got 'a.gif'
    """
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str) or not value or "\0" in value:
        raise InputError(f"{name}: expected a path (a str or pathlib.Path), got {_got(value)}")
    if suffixes is not None and Path(value).suffix.lower() not in suffixes:
        listed = " or ".join(s for s in suffixes if s) + (" (or no suffix)" if "" in suffixes else "")
        raise InputError(f"{name}: expected a file name ending in {listed}, got {brief(repr(value))}")
    return value


def panels(value: object, name: str) -> tuple[tuple[str, dict[str, Any], bool], ...]:
    """``value``, plot panels: a non-empty list or tuple (at most 20) of ``(ylabel, {label: values},
    log_scale)``, the values real arrays (:func:`real_array`); ``name`` names it in a refusal.

    >>> panels([("loss", {"GD": [1, 0.5]}, True)], "panels")[0][1]["GD"].tolist()
    [1.0, 0.5]

    >>> panels([("loss", {"GD": [1, float("nan")]}, True)], "panels")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: panels[0]['GD']: expected finite real values
    """
    if not isinstance(value, (list, tuple)) or not 1 <= len(value) <= 20:
        raise InputError(f"{name}: expected a list of 1 to 20 panels (ylabel, {{label: values}}, log_scale), got {_got(value)}")
    out = []
    for i, panel in enumerate(value):
        where = f"{name}[{i}]"
        if not isinstance(panel, (list, tuple)) or len(panel) != 3 or not isinstance(panel[1], dict):
            raise InputError(f"{where}: expected (ylabel, {{label: values}}, log_scale), got {_got(panel)}")
        series = {text(k, f"{where} label", 200): real_array(v, f"{where}[{k!r}]") for k, v in panel[1].items()}
        out.append((text(panel[0], f"{where} ylabel", 200), series, flag(panel[2], f"{where} log_scale")))
    return tuple(out)


def instance(value: object, name: str, kind: type[T] | tuple[type, ...], what: str) -> T:
    """``value``, which must be an instance of ``kind`` (described as ``what`` in a refusal);
    ``name`` names it in a refusal.

    >>> instance(3, "report", int, "an int")
    3
    >>> instance("x", "report", int, "an OrbitReport")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: report: expected an OrbitReport, got str 'x'
    """
    if not isinstance(value, kind):
        raise InputError(f"{name}: expected {what}, got {_got(value)}")
    return value  # type: ignore[return-value]


def optional_callable(value: object, name: str) -> Any:
    """``None``, or ``value`` if it can be called (a progress callback, say); ``name`` names it
    in a refusal.

    >>> optional_callable(print, "progress") is print, optional_callable(None, "progress")
    (True, None)

    >>> optional_callable("yes", "progress")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: progress: expected a function or None, got str 'yes'
    """
    if value is not None and not callable(value):
        raise InputError(f"{name}: expected a function or None, got {_got(value)}")
    return value


def optional_dict(value: object, name: str) -> dict | None:
    """``None``, or ``value`` if it is a ``dict``; ``name`` names it in a refusal.

    >>> optional_dict({}, "cache")
    {}

    >>> optional_dict([], "cache")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: cache: expected a dict or None, got list []
    """
    if value is not None and not isinstance(value, dict):
        raise InputError(f"{name}: expected a dict or None, got {_got(value)}")
    return value


def attributes(value: T, name: str, names: Sequence[str], what: str) -> T:
    """``value``, which must have the attributes ``names`` (a result read by duck typing,
    described as ``what`` in a refusal); ``name`` names it in a refusal.

    >>> attributes(Fraction(1, 2), "result", ("numerator",), "a Fraction")
    Fraction(1, 2)
    >>> attributes(None, "result", ("losses",), "an MlpExperiment")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: result: expected an MlpExperiment, got NoneType None
    """
    if not all(hasattr(value, n) for n in names):
        raise InputError(f"{name}: expected {what}, got {_got(value)}")
    return value


def instances(value: object, name: str, kind: type[T], what: str, max_length: int = 10000) -> tuple[T, ...]:
    """``value``: a list or tuple (at most ``max_length`` items) of instances of ``kind`` (each
    described as ``what``); ``name`` names it in a refusal.

    >>> instances([1, 2], "items", int, "an int")
    (1, 2)
    >>> instances([1, "2"], "items", int, "an int")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: items[1]: expected an int, got str '2'
    """
    if not isinstance(value, (list, tuple)) or len(value) > max_length:
        raise InputError(f"{name}: expected a list or tuple, got {_got(value)}")
    return tuple(instance(v, f"{name}[{i}]", kind, what) for i, v in enumerate(value))


def each(values: Sequence[object], name: str, check: Callable[[object, str], T]) -> tuple[T, ...]:
    """``check`` applied to each item of ``values`` with the name ``name[i]``.

    >>> each([1, 2], "seeds", lambda v, n: integer(v, n, 0))
    (1, 2)

    >>> each([1, -2], "seeds", lambda v, n: integer(v, n, 0))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: seeds[1]: expected an integer >= 0, got -2
    """
    return tuple(check(v, f"{name}[{i}]") for i, v in enumerate(values))
