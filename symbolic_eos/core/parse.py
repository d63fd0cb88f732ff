"""Safe parsing: user text becomes a sympy expression without executing anything.

The grammar is a whitelist (numbers, declared variables, ``+ - * / **``, parentheses, ``pi``,
``E`` and a fixed set of unary functions); nothing reaches ``eval``, ``sympify`` or
``parse_expr``.  Every input is bounded (length, nesting depth, size, exponents, constant sizes),
so hostile text fails fast with an :class:`~symbolic_eos.errors.InputError` naming the problem.

>>> parse_expression("(x**2 - 1)**2/4")
(x**2 - 1)**2/4
>>> parse_expression("sigmoid(x)")
1/(1 + exp(-x))
>>> parse_constant("atanh(1/2)")
atanh(1/2)
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import sympy as sp

from . import arguments
from ..errors import InputError, brief

__all__ = [
    "ParseLimits",
    "LIMITS",
    "FUNCTIONS",
    "parse_expression",
    "parse_constant",
    "parse_variable_name",
    "effective_degree",
    "check_size",
]


@dataclass(frozen=True)
class ParseLimits:
    """Bounds on what the parser accepts; they keep every later step finite and fast:
    ``max_length`` characters of text, ``max_depth`` levels of nesting, ``max_nodes`` tree
    nodes, ``max_integer_digits`` digits per integer, ``max_exponent`` for a power and
    ``max_constant_bits`` bits of an exact constant, ``max_degree`` for the degree after folding
    (:func:`effective_degree`).

    >>> parse_expression("x**2000", limits=ParseLimits(max_exponent=100))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: ...
    """

    max_length: int = 2000
    max_depth: int = 40
    max_nodes: int = 400
    max_integer_digits: int = 60
    max_exponent: int = 1000
    max_constant_bits: int = 20000
    #: The degree after folding (``((x**1000)**1000)**1000`` is ``x**1000000000``), since the
    #: per-literal exponent bound alone lets nesting multiply exponents.
    max_degree: int = 10000


LIMITS = ParseLimits()


def _sigmoid(u, evaluate=True):
    minus = sp.Mul(-1, u, evaluate=evaluate)
    return sp.Pow(sp.Add(1, sp.exp(minus, evaluate=evaluate), evaluate=evaluate), -1, evaluate=evaluate)


def _softplus(u, evaluate=True):
    return sp.log(sp.Add(1, sp.exp(u, evaluate=evaluate), evaluate=evaluate), evaluate=evaluate)


def _gaussian(u, evaluate=True):
    return sp.exp(sp.Mul(-1, sp.Pow(u, 2, evaluate=evaluate), evaluate=evaluate), evaluate=evaluate)


#: The named functions of the grammar.  ``sigmoid(u) = 1/(1+exp(-u))``,
#: ``softplus(u) = log(1+exp(u))`` and ``gaussian(u) = exp(-u**2)`` are base models, expanded
#: into elementary functions so that every later step sees one vocabulary.
FUNCTIONS = {
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "exp": sp.exp,
    "log": sp.log,
    "sqrt": lambda u, evaluate=True: sp.Pow(u, sp.S.Half, evaluate=evaluate),
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "tanh": sp.tanh,
    "asin": sp.asin,
    "acos": sp.acos,
    "atan": sp.atan,
    "asinh": sp.asinh,
    "acosh": sp.acosh,
    "atanh": sp.atanh,
    "erf": sp.erf,
    "sigmoid": _sigmoid,
    "softplus": _softplus,
    "gaussian": _gaussian,
}

_CONSTANTS = {"pi": sp.pi, "E": sp.E}

_RESTRICTED_FUNCTIONS = (sp.log, sp.asin, sp.acos, sp.atanh, sp.acosh, sp.tan)


def _restricted_parts(expr: sp.Expr) -> set:
    """Subterms in the variables that restrict the real domain: ``log``, ``asin``, ``acos``,
    ``atanh``, ``acosh``, ``tan``, divisions and fractional powers."""
    out = set()
    for node in sp.preorder_traversal(expr):
        if not node.free_symbols:
            continue
        if isinstance(node, _RESTRICTED_FUNCTIONS) or (node.is_Pow and not (node.exp.is_Integer and node.exp >= 0)):
            out.add(node)
    return out


def _as_typed(build, *operands):
    """``build(*operands)``, unless sympy's automatic simplification would drop a
    domain-restricting subterm (``exp(log(x))`` -> ``x``, ``sqrt(x)*sqrt(x)`` -> ``x``,
    ``0*log(x)`` -> ``0``): then the node is kept as typed, so the loss keeps its domain."""
    result = build(*operands, evaluate=True)
    parts = set().union(*(_restricted_parts(o) for o in operands))
    if all(result.has(p) for p in parts):
        return result
    return build(*operands, evaluate=False)

_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<op>\*\*|[-+*/()])"
    r")"
)

_HINTS = {
    "^": " (write powers as **)",
    "=": " (give an expression, not an equation)",
    ",": " (every function takes one argument)",
    "[": " (use parentheses)",
    "{": " (use parentheses)",
}


@dataclass(frozen=True)
class _Token:
    kind: str  # "number" | "name" | "op" | "end"
    text: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    pos = 0
    n = len(text)
    while True:
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n:
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            # Reported when the parser reaches it, so errors come in reading order.
            tokens.append(_Token("bad", text[pos], pos))
            break
        kind = m.lastgroup
        assert kind is not None  # every alternative of _TOKEN is a named group
        tokens.append(_Token(kind, m.group(kind), m.start(kind)))
        pos = m.end()
    if not tokens or tokens[-1].kind != "bad":
        tokens.append(_Token("end", "", n))
    return tokens


def _number(token: _Token, limits: ParseLimits) -> sp.Rational:
    """Decimal literals are exact rationals: ``0.1`` is 1/10, never a binary float."""
    mantissa, _, exponent = token.text.lower().partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    if len(digits) > limits.max_integer_digits:
        raise InputError(
            f"number {token.text[:20]}... at position {token.pos} has more than "
            f"{limits.max_integer_digits} digits"
        )
    exp10 = int(exponent) if exponent else 0
    if abs(exp10) > limits.max_integer_digits:
        raise InputError(
            f"exponent of {token.text!r} at position {token.pos} is too large "
            f"(|e| <= {limits.max_integer_digits})"
        )
    value = sp.Rational(int(whole or "0") * 10 ** len(frac) + int(frac or "0"), 10 ** len(frac))
    return value * sp.Rational(10) ** exp10


def _bits(r: sp.Rational) -> float:
    return math.log2(abs(int(r.p)) + 1) + math.log2(int(r.q) + 1)


def effective_degree(expr: sp.Expr) -> int:
    """An upper bound on the polynomial degree the expression ``expr`` reaches after folding: a power
    multiplies its base's degree by the exponent, a product adds, a function keeps its argument's.

    >>> x = sp.Symbol("x")
    >>> effective_degree(((x**10)**10 + sp.sin(x**3)) * x)
    101
    """
    return _walk(expr, None)


def _walk(expr: sp.Basic, max_bits: float | None) -> int:
    """The effective degree of ``expr`` (see :func:`effective_degree`) in one pass over its
    distinct subtrees, refusing on the way any exact rational of more than ``max_bits`` bits."""
    cache: dict[sp.Basic, int] = {}

    # The degree is 0 exactly on the subtrees free of symbols (a symbol counts 1, and no rule
    # below turns a positive degree into 0), so it stands in for sympy's slower free_symbols.
    def degree(e: sp.Basic) -> int:
        if e in cache:
            return cache[e]
        if e.is_Symbol:
            d = 1
        elif e.is_Pow:
            base, exponent = e.args
            d_base, d_exp = degree(base), degree(exponent)
            if d_exp:
                d = d_base + d_exp + 1
            elif not d_base:
                d = 0
            elif exponent.is_Rational:
                d = d_base * math.ceil(abs(exponent))
            else:  # e.g. x**pi: bounded by the next integer above |exponent|
                d = d_base * (int(abs(sp.Float(exponent, 15))) + 1)
        elif e.is_Mul:
            d = sum(degree(a) for a in e.args)
        elif e.is_Add:
            d = max(degree(a) for a in e.args)
        else:
            if max_bits is not None and e.is_Rational and _bits(e) > max_bits:
                raise InputError(f"constant {brief(e)} is too large (more than {int(max_bits)} bits)")
            d = max((degree(a) for a in e.args), default=0)
        cache[e] = d
        return d

    return degree(expr)


def check_size(expr: sp.Expr, limits: ParseLimits = LIMITS) -> sp.Expr:
    """Bound the effective size of the expression ``expr`` before any work, by the ``limits``: its
    degree after folding (:func:`effective_degree`) and the bits of every exact rational it holds.

    >>> check_size(sp.Symbol("x") ** 10000) is not None
    True
    >>> check_size(sp.Pow(sp.Symbol("x") ** 1000, 1000))
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: expression too large: its degree after folding is 1000000 (at most 10000)
    """
    degree = _walk(expr, limits.max_constant_bits)
    if degree > limits.max_degree:
        raise InputError(f"expression too large: its degree after folding is {degree} (at most {limits.max_degree})")
    return expr


class _Parser:
    def __init__(self, text: str, variables: dict[str, sp.Symbol], limits: ParseLimits) -> None:
        self.text = text
        self.variables = variables
        self.limits = limits
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0
        self.nodes = 0

    # -- helpers -------------------------------------------------------------------------
    def peek(self) -> _Token:
        tok = self.tokens[self.i]
        if tok.kind == "bad":
            raise InputError(f"unexpected character {tok.text!r} at position {tok.pos}{_HINTS.get(tok.text, '')}")
        return tok

    def take(self) -> _Token:
        tok = self.peek()
        self.i += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.text != text:
            found = "end of input" if tok.kind == "end" else repr(tok.text)
            raise InputError(f"expected {text!r} at position {tok.pos}, found {found}")

    def count(self, tok: _Token) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise InputError(
                f"expression too large (more than {self.limits.max_nodes} terms) at position {tok.pos}"
            )

    def enter(self, tok: _Token) -> None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise InputError(
                f"expression nests deeper than {self.limits.max_depth} levels at position {tok.pos}"
            )

    # -- grammar -------------------------------------------------------------------------
    def parse(self) -> sp.Expr:
        if self.peek().kind == "end":
            raise InputError("empty expression")
        expr = self.sum()
        tok = self.peek()
        if tok.kind != "end":
            raise InputError(f"unexpected {tok.text!r} at position {tok.pos}")
        return expr

    def sum(self) -> sp.Expr:
        left = self.product()
        while self.peek().text in ("+", "-"):
            tok = self.take()
            self.count(tok)
            right = self.product()
            if tok.text == "+":
                left = _as_typed(lambda a, b, evaluate: sp.Add(a, b, evaluate=evaluate), left, right)
            else:
                left = _as_typed(lambda a, b, evaluate: sp.Add(a, sp.Mul(-1, b, evaluate=evaluate), evaluate=evaluate), left, right)
        return left

    def product(self) -> sp.Expr:
        left = self.unary()
        while self.peek().text in ("*", "/"):
            tok = self.take()
            self.count(tok)
            right = self.unary()
            if tok.text == "/":
                if right == 0:
                    raise InputError(f"division by zero at position {tok.pos}")
                # The reciprocal is built first, so that x/x keeps its "x != 0".
                inverse = _as_typed(lambda b, evaluate: sp.Pow(b, -1, evaluate=evaluate), right)
                left = _as_typed(lambda a, b, evaluate: sp.Mul(a, b, evaluate=evaluate), left, inverse)
            else:
                left = _as_typed(lambda a, b, evaluate: sp.Mul(a, b, evaluate=evaluate), left, right)
        return left

    def unary(self) -> sp.Expr:
        tok = self.peek()
        if tok.text in ("+", "-"):
            self.take()
            self.enter(tok)
            self.count(tok)
            operand = self.unary()
            self.depth -= 1
            if tok.text == "+":
                return operand
            return _as_typed(lambda a, evaluate: sp.Mul(-1, a, evaluate=evaluate), operand)
        return self.power()

    def power(self) -> sp.Expr:
        base = self.atom()
        tok = self.peek()
        if tok.text == "**":
            self.take()
            self.enter(tok)
            self.count(tok)
            exponent = self.unary()
            self.depth -= 1
            return self.checked_power(base, exponent, tok)
        return base

    def checked_power(self, base: sp.Expr, exponent: sp.Expr, tok: _Token) -> sp.Expr:
        lim = self.limits
        if exponent.is_Rational:
            if abs(exponent.p) > lim.max_exponent or exponent.q > lim.max_exponent:
                raise InputError(
                    f"exponent {exponent} at position {tok.pos} is too large "
                    f"(numerator and denominator at most {lim.max_exponent})"
                )
            if base.is_Rational:
                if base == 0 and exponent < 0:
                    raise InputError(f"division by zero (0 to a negative power) at position {tok.pos}")
                if _bits(base) * abs(exponent) > lim.max_constant_bits:
                    raise InputError(
                        f"constant {brief(base)}**{exponent} at position {tok.pos} is too large "
                        f"(more than {lim.max_constant_bits} bits)"
                    )
        return _as_typed(lambda b, e, evaluate: sp.Pow(b, e, evaluate=evaluate), base, exponent)

    def atom(self) -> sp.Expr:
        tok = self.take()
        self.count(tok)
        if tok.kind == "number":
            return _number(tok, self.limits)
        if tok.text == "(":
            self.enter(tok)
            inner = self.sum()
            self.expect(")")
            self.depth -= 1
            return inner
        if tok.kind == "name":
            name = tok.text
            if name in self.variables:
                return self.variables[name]
            if name in _CONSTANTS:
                return _CONSTANTS[name]
            if name in FUNCTIONS:
                if self.peek().text != "(":
                    raise InputError(f"function {name!r} at position {tok.pos} needs an argument in parentheses")
                self.take()
                self.enter(tok)
                argument = self.sum()
                self.expect(")")
                self.depth -= 1
                return _as_typed(FUNCTIONS[name], argument)
            allowed = ", ".join(sorted(self.variables)) or "none"
            raise InputError(
                f"unknown name {name!r} at position {tok.pos} (variables: {allowed}; constants: pi, E; "
                f"functions: {', '.join(FUNCTIONS)})"
            )
        if tok.kind == "end":
            raise InputError("unexpected end of input")
        raise InputError(f"unexpected {tok.text!r} at position {tok.pos}")


def parse_variable_name(name: str) -> sp.Symbol:
    """The symbol for a variable ``name``, which must be a plain identifier that is not a
    function or constant name.

    >>> parse_variable_name("w1"), parse_variable_name("exp")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: variable name 'exp' is reserved (a function or constant)
    """
    if not isinstance(name, str):
        arguments.variable_name(name, "name")  # refuses it, naming the parameter
    if not re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]{0,30}", name):
        raise InputError(f"invalid variable name {str(name)[:40]!r} (use a plain identifier such as x)")
    if name in FUNCTIONS or name in _CONSTANTS:
        raise InputError(f"variable name {name!r} is reserved (a function or constant)")
    return sp.Symbol(name)


def _check_finite_real(expr: sp.Expr, text: str) -> sp.Expr:
    if expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        raise InputError(f"expression {text[:60]!r} is undefined (division by zero or an infinite value)")
    if expr.has(sp.I):
        raise InputError(f"expression {text[:60]!r} is not real (it contains an imaginary number)")
    return expr


def parse_expression(
    text: str, variables: tuple[str, ...] | list[str] = ("x",), limits: ParseLimits = LIMITS
) -> sp.Expr:
    """Parse ``text`` into a sympy expression in the declared ``variables`` (whitelist grammar,
    within ``limits``); no ``eval``, ``sympify`` or ``parse_expr`` ever sees the text.

    >>> parse_expression("sigmoid(x)**2 + y/3", ("x", "y"))
    y/3 + (1/(1 + exp(-x)))**2

    Text outside the grammar is refused, naming what and where (no code path reaches ``eval``):

    >>> parse_expression("__import__('os')")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: unknown name '__import__' at position 0 (variables: x; constants: pi, E; ...)
    """
    limits = arguments.instance(limits, "limits", ParseLimits, "a ParseLimits")
    text = arguments.text(text, "text")
    if not isinstance(variables, (tuple, list)):
        raise InputError(f"variables: expected a tuple of variable names, got {type(variables).__name__}")
    variables = tuple(arguments.variable_name(v, f"variables[{i}]") for i, v in enumerate(variables))
    if len(text) > limits.max_length:
        raise InputError(f"expression longer than {limits.max_length} characters")
    return _parse_checked(text, variables, limits)


# Sympy expressions are immutable, so a parse can be shared; repeated checks of one loss (a
# property test, a parameter scan) then pay for the grammar and the size bounds once.
@functools.lru_cache(maxsize=512)
def _parse_checked(text: str, variables: tuple[str, ...], limits: ParseLimits) -> sp.Expr:
    symbols = {name: parse_variable_name(name) for name in variables}
    try:
        expr = _Parser(text, symbols, limits).parse()
    except RecursionError:
        raise InputError("expression nests too deeply") from None
    return check_size(_check_finite_real(expr, text), limits)


def parse_constant(text: str, limits: ParseLimits = LIMITS, what: str | None = None) -> sp.Expr:
    """Parse exact constant text such as ``sqrt(2)``, ``pi/4`` or ``atanh(1/2)`` (no variables,
    within ``limits``); ``what`` (e.g. ``"the point"``) names the value in an error.

    >>> parse_constant("banana", what="the point")
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: the point 'banana': unknown name 'banana' at position 0 ...
    """
    text, what = arguments.text(text, "text"), arguments.optional_text(what, "what")
    try:
        return parse_expression(text, (), limits)
    except InputError as exc:
        if what is None:
            raise
        raise InputError(f"{what} {text.strip()!r}: {exc}") from None
