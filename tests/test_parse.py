import builtins

import pytest
import sympy as sp
from hypothesis import given, strategies as st

from symbolic_eos.errors import InputError
from symbolic_eos.core.parse import LIMITS, parse_constant, parse_expression, parse_variable_name

x = parse_variable_name("x")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("(x**2-1)**2/4", (x**2 - 1) ** 2 / 4),
        ("2**3**2", sp.Integer(512)),  # right-associative, as in Python
        ("-x**2", -(x**2)),  # unary minus binds weaker than **
        ("x**-1", 1 / x),
        ("0.1*x", sp.Rational(1, 10) * x),  # decimals are exact rationals
        ("1.5e2", sp.Integer(150)),
        ("sigmoid(x)", 1 / (1 + sp.exp(-x))),
        ("softplus(x)", sp.log(1 + sp.exp(x))),
        ("gaussian(x)", sp.exp(-(x**2))),
        ("sin(pi) + E", sp.E),
    ],
)
def test_worked_parses(text, expected):
    assert sp.simplify(parse_expression(text) - expected) == 0


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("2^3", "'^'"),
        ("foo(x)", "'foo'"),
        ("__import__('os')", "'__import__'"),
        ("x.__class__", "'.'"),
        ("lambda: 1", "'lambda'"),
        ("y + 1", "'y'"),
        ("2x", "'x'"),
        ("", "empty"),
        ("(x", "')'"),
        ("x)", "')'"),
        ("sin x", "needs an argument"),
        ("1/0", "division by zero"),
        ("0**-1", "division by zero"),
        ("sqrt(-1)", "not real"),
        ("log(0)", "undefined"),
        ("2**10**10", "too large"),
        ("x**100000", "too large"),
        ("(2**1000)**1000", "too large"),
        ("1" * 200, "digits"),
        ("1e999999", "too large"),
        ("(" * 100 + "x" + ")" * 100, "nests deeper"),
        ("-" * 100 + "x", "nests deeper"),
        ("x+" * 600 + "x", "too large"),
        ("x" * 3000, "longer than"),
        ("sin(x, x)", "','"),
        ("x = 1", "'='"),
    ],
)
def test_bad_input_names_the_problem(text, fragment):
    with pytest.raises(InputError) as info:
        parse_expression(text)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_constants_and_reserved_variables():
    assert parse_constant("atanh(1/2)") == sp.atanh(sp.Rational(1, 2))
    with pytest.raises(InputError, match="unknown name 'x'"):
        parse_constant("x + 1")
    for bad in ["sin", "pi", "1x", "x-y", ""]:
        with pytest.raises(InputError):
            parse_variable_name(bad)


def test_no_code_path_is_reachable(monkeypatch):
    """Parsing never calls eval/exec or sympy's string parser, even on hostile input."""

    def forbidden(*args, **kwargs):
        raise AssertionError("code execution path reached")

    texts = ["(x**2-1)**2/4", "sigmoid(tanh(x))", "exp(log(x))", "__import__('os').system('true')", "exec('1')"]
    for text in texts:  # warm-up: sympy's own lazy imports run module code through exec
        try:
            parse_expression(text)
        except InputError:
            pass

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    import sympy.parsing.sympy_parser as sympy_parser

    monkeypatch.setattr(sympy_parser, "parse_expr", forbidden)
    for text in texts:
        try:
            parse_expression(text)
        except InputError:
            pass


ALPHABET = st.sampled_from(list("x()+-*/.^,=[]{}'\"\\_ 0123456789eEpi") + ["**", "sin", "exp", "log", "sqrt", "pi", "x", "(", ")"])


@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_grammar_soup_is_an_expression_or_a_clean_error(text):
    try:
        expr = parse_expression(text)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(expr, sp.Expr)
        assert expr.free_symbols <= {x}


@given(st.text(max_size=200))
def test_arbitrary_text_is_an_expression_or_a_clean_error(text):
    try:
        parse_expression(text)
    except InputError:
        pass


def test_limits_are_documented_values():
    assert LIMITS.max_depth == 40 and LIMITS.max_length == 2000 and LIMITS.max_exponent == 1000


@pytest.mark.parametrize(
    "text, at",
    [
        ("exp(log(x))**2", "-1"),  # sympy alone would make this x**2
        ("(sqrt(x)*sqrt(x) + 1)**2", "-1"),  # ... and this (x + 1)**2
        ("x**(1/1000)*0 + x**2", "0"),  # ... and this x**2
        ("x/x + x**2", "0"),  # ... and this 1 + x**2
        ("log(x) - log(x) + (x + 1)**2", "-1"),
    ],
)
def test_the_typed_domain_survives_simplification(text, at):
    """The loss is the expression as typed: a point outside its real, smooth domain is refused
    even where sympy's automatic simplification would have erased the restriction."""
    from symbolic_eos.errors import DomainError
    from symbolic_eos.api import check

    with pytest.raises(DomainError):
        check(text, at=at)


@pytest.mark.parametrize("text", [
    "((x**1000)**1000)**1000",          # nesting multiplies per-literal exponents
    "(x**1000)**11",
    "(x**100*x**100)**30",
    "((x+1)**1000)**1000",
    "sin((x**200)**200)",
])
def test_the_degree_after_folding_is_bounded(text):
    # the degree is computed here by hand from the text: 1e9, 11000, 6000 (allowed), 1e6, 40000
    expected = {"((x**1000)**1000)**1000": 10**9, "(x**1000)**11": 11000, "(x**100*x**100)**30": 6000,
                "((x+1)**1000)**1000": 10**6, "sin((x**200)**200)": 40000}[text]
    if expected <= LIMITS.max_degree:
        assert parse_expression(text) is not None
    else:
        with pytest.raises(InputError, match=f"degree after folding is {expected} "):
            parse_expression(text)


def test_a_huge_constant_is_named_in_one_short_line():
    with pytest.raises(InputError) as info:
        parse_expression("(2**1000)**1000*x")
    assert len(str(info.value)) < 200 and "characters" in str(info.value)
