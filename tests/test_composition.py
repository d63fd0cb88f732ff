"""The composition rule: identity, counterexamples of the naive rule, the corrected rule."""

import json
import re

import pytest
import sympy as sp
from flint import arb
from hypothesis import HealthCheck, Phase, example, find, given, reject, settings, strategies as st

from symbolic_eos import strategies as eos_st
from symbolic_eos.analysis.base_models import base_models
from symbolic_eos.cli import main
from symbolic_eos.api import compose
from symbolic_eos.analysis.composition import (
    SEARCH_POINTS,
    composition_identity,
    find_counterexamples,
    l2_quantity,
    schwarzian_chain_rule,
)
from symbolic_eos.core.decide import Expansion, as_sympy, decide
from symbolic_eos.errors import EosError
from symbolic_eos.core.jets import Point
from symbolic_eos.core.parse import parse_constant, parse_expression, parse_variable_name
from .profiles import examples

x = parse_variable_name("x")


def test_identities_are_proved_for_generic_derivatives():
    assert composition_identity()[1] is True
    assert schwarzian_chain_rule()[1] is True


def _oracle_l2_value(text, at):
    """Independent: sympy derivatives of the composed expression, evaluated to 50 digits."""
    e = parse_expression(text)
    d = [sp.diff(e, x, k).subs(x, parse_constant(at)) for k in (1, 2, 3)]
    return sp.N(d[0] * d[2] - 6 * d[1] ** 2, 50)


# The counterexamples of the naive rule, found by the systematic search and by hypothesis
# (shrunk), recorded as explicit examples that assert the violation: p and q satisfy
# g' g''' < 6 g''^2, q(p(x)) does not.
@settings(phases=[Phase.explicit], deadline=None)
@given(case=eos_st.composition_cases())
@example(case=("log(x)", "exp(x)", "1/2"))  # log o exp = id: T = 0
@example(case=("exp(x)", "log(x)", "1/2"))  # exp o log = id on x > 0
@example(case=("exp(x)", "log(x)", "1"))  # what hypothesis shrinks to from random compositions
@example(case=("atan(x)", "log(x)", "1/3"))  # h' h''' - 6 h''^2 = 1.4848808581... > 0
def test_recorded_counterexamples_violate_the_naive_rule(case):
    q, p, at = case
    r = compose(q, p, at)
    assert r.naive_rule_violated and not r.corrected_rule_applies
    assert r.composition.value.sign in (0, 1)
    oracle = _oracle_l2_value(eos_st.substitute(q, p), at)
    assert r.composition.value.enclosure is None or r.composition.value.enclosure.overlaps(arb(str(oracle)))
    if r.composition.value.sign == 1:
        assert oracle > 0


def test_systematic_search_finds_them_deterministically():
    r = find_counterexamples()
    found = {(c.q_text, c.p_text, c.at) for c in r.counterexamples}
    assert {("log(x)", "exp(x)", "1/2"), ("exp(x)", "log(x)", "1/2"), ("atan(x)", "log(x)", "1/3")} <= found
    assert r.exhausted and all(not c.corrected_rule_applies for c in r.counterexamples)
    assert r.to_dict()["counterexamples"][0]["q"] in {"log(x)", "exp(x)"}


def test_the_naive_rule_as_a_property_fails_and_hypothesis_finds_a_counterexample():
    """The poster's rule, stated as a property; hypothesis must be able to falsify it."""
    pairs = st.tuples(
        st.sampled_from([m.expression for m in base_models()]),
        st.sampled_from([m.expression for m in base_models()]),
        st.sampled_from(SEARCH_POINTS),
    )

    def violates(case):
        q, p, at = case
        try:
            return compose(q, p, at).naive_rule_violated
        except EosError:
            return False

    q, p, at = find(pairs, violates, settings=settings(max_examples=3000, database=None, derandomize=True))
    assert compose(q, p, at).naive_rule_violated


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(eos_st.composition_cases(depth=2))
@example(("atan(x)", "log(x)", "1/3"))
def test_identity_numerically_against_the_composed_expression(case):
    """The chain-rule value of h' h''' - 6 h''^2 equals the one computed from the composed
    expression's own Taylor coefficients (an independent route)."""
    q, p, at = case
    try:
        r = compose(q, p, at)
    except EosError:
        reject()  # p(x) outside q's domain at this point: not an instance of the identity
    e = Expansion(parse_expression(eos_st.substitute(q, p)), x, Point.from_constant(parse_constant(at)), 3)
    direct = decide(l2_quantity, e)
    if direct.exact is not None and r.composition.value.exact is not None:
        assert sp.simplify(as_sympy(direct.exact) - as_sympy(r.composition.value.exact)) == 0
    else:
        a = direct.enclosure if direct.enclosure is not None else arb(str(direct.exact))
        b = r.composition.value.enclosure if r.composition.value.enclosure is not None else arb(str(r.composition.value.exact))
        assert a.overlaps(b)
    assert direct.sign == r.composition.value.sign or None in (direct.sign, r.composition.value.sign)


@pytest.mark.slow
@settings(max_examples=examples(1000), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(eos_st.composition_cases(depth=2))
def test_the_corrected_rule_never_fails(case):
    """Property (must hold): L2 for p and q plus q' q'' p'' >= 0 imply L2 for q o p."""
    q, p, at = case
    try:
        r = compose(q, p, at)
    except EosError:
        reject()  # p(x) outside q's domain: the rule says nothing here
    if r.corrected_rule_applies or r.schwarzian_rule_applies:
        assert r.composition.verdict != "fails", (q, p, at)


def test_via_k4_is_reported():
    r = compose("tanh(x)", "sin(x)", "0")
    assert r.composition.verdict == "holds" and r.via_k4  # h''(0) = 0, h' h''' = -3 < 0


def test_compose_cli_json(capsys):
    assert main(["compose", "atan(x)", "log(x)", "--at", "1/3", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert set(d) >= {"p", "q", "composition", "naive_rule_violated", "corrected_rule_applies"}
    assert d["naive_rule_violated"] is True and d["composition"]["verdict"] == "fails"
    assert main(["counterexamples", "--budget", "50", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["tried"] == 50 and d["complete"] is False
    assert main(["compose", "log(x)", "x - 2", "--at", "1"]) == 2


def test_schwarzian_closure_rule_cases():
    # sin o tanh: both have negative Schwarzian (S[sin] = -1 - (3/2) tan^2, S[tanh] < 0).
    assert compose("sin(x)", "tanh(x)", "1/3").schwarzian_rule_applies
    # log has S = 1/(2 x^2) > 0: the closure rule does not apply to log(exp(x)).
    r = compose("log(x)", "exp(x)", "1/2")
    assert not r.schwarzian_rule_applies and r.schwarzians[1].sign == 1


@pytest.mark.parametrize(
    "q, p, at",
    [
        ("sinh(x)", "asinh(x)", "1"),  # both jets exact in Q(sqrt 2): sinh(asinh 1) = 1, cosh = sqrt 2
        ("asin(x)", "sin(x)", "1/2"),  # sin(1/2) is transcendental: only q(p(x)) = x near 1/2 helps
        ("asin(x)", "sin(x)", "3"),  # q(p(x)) = pi - x near 3 (the other branch)
        ("atan(x)", "tan(x)", "-2"),  # q(p(x)) = x + pi near -2
        ("acosh(x)", "cosh(x)", "-1"),  # q(p(x)) = -x near -1
        ("tanh(x)", "atanh(x)", "1/3"),
    ],
)
def test_identity_compositions_are_decided(q, p, at):
    """h = q o p is x (or pi - x, ...) near the point: h'' = h''' = 0, so h' h''' - 6 h''^2 = 0
    exactly, and the L2 condition (< 0) fails.  Oracle: sympy derivatives of the composed
    expression at 40 and 80 digits (evidence that the value is 0, independent of the engine)."""
    r = compose(q, p, at)
    assert (r.composition.value.sign, r.composition.value.rigor) == (0, "exact")
    assert r.composition.verdict == "fails" and r.curvature.sign == 0
    e = parse_expression(eos_st.substitute(q, p))
    d = [sp.diff(e, x, k).subs(x, parse_constant(at)) for k in (1, 2, 3)]
    value = d[0] * d[2] - 6 * d[1] ** 2
    assert abs(sp.N(value, 40)) < 1e-35 and abs(sp.N(value, 80)) < 1e-75
    assert abs(abs(sp.N(d[0], 40)) - 1) < 1e-35  # |h'| = 1


@pytest.mark.parametrize("budget", ["0", "100001", "1000000000"])
def test_the_search_budget_is_bounded(budget, capsys):
    """A budget of 10^9 would run for days: it is refused like any bad argument (exit 2)."""
    assert main(["counterexamples", "--budget", budget]) == 2
    assert "budget: expected an integer in [1, 100000]" in capsys.readouterr().err


# -- The strategies themselves: the depth they promise, and text the parser takes.

_NUMBER = r"\(-?\d+(?:/\d+)?\)"
#: Each base model's text around its one ``x``, as regexes (the affine maps' numbers vary).
_X = r"(?<![A-Za-z_0-9])x(?![A-Za-z_0-9])"
_TEMPLATES = [tuple(re.escape(part) for part in re.split(_X, m.expression)) for m in base_models()
              if m.name != "affine" and len(re.findall(_X, m.expression)) == 1] + [(_NUMBER + r"\*", r" \+ " + _NUMBER)]


def _nestings(text):
    """Every k such that ``text`` reads as ``g1((g2(...gk(x))))`` of base models: the text taken
    apart by hand, without the strategies' code."""
    assert len(_TEMPLATES) == len(base_models())  # every model has one x
    found = set()
    for before, after in _TEMPLATES:
        if re.fullmatch(before + "x" + after, text):
            found.add(1)
        inner = re.fullmatch(before + r"\((.*)\)" + after, text)
        if inner:
            found |= {k + 1 for k in _nestings(inner.group(1))}
    return found


def test_the_templates_read_back_known_compositions():
    assert _nestings("sin(x)") == {1} and _nestings("sin((exp(x)))") == {2}
    assert _nestings("(1/2)*((x**3)**5) + (-3)") == {3} and _nestings("sin(x) + 1") == set()


@settings(max_examples=examples(300), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), depth=st.integers(1, eos_st.MAX_DEPTH), poster_only=st.booleans(), affine=st.booleans())
def test_compositions_nest_at_most_depth_models_and_always_parse(data, depth, poster_only, affine):
    """st.recursive's max_leaves did not bound the nesting: depth=1 drew sin((exp(x))), and
    depth=6 no more than four levels."""
    text = data.draw(eos_st.compositions(depth, poster_only, affine))
    assert parse_expression(text).free_symbols == {x}  # within the parser's bounds, never an InputError
    k = _nestings(text)
    assert k and 1 <= min(k) <= depth, (depth, text)


def test_depth_one_draws_single_models_and_deep_draws_happen():
    poster = {m.expression for m in base_models() if m.poster}
    single = find(st.lists(eos_st.compositions(1, poster_only=True, affine=False), min_size=50),
                  lambda texts: True, settings=settings(database=None, derandomize=True, phases=[Phase.generate]))
    assert set(single) <= poster
    deep = find(eos_st.compositions(6, affine=False), lambda t: min(_nestings(t)) >= 6,  # st.recursive: never past 4
                settings=settings(database=None, derandomize=True, max_examples=2000, phases=[Phase.generate]))
    assert min(_nestings(deep)) == 6


@pytest.mark.parametrize("depth", [0, eos_st.MAX_DEPTH + 1, 1.5, True])
def test_a_bad_depth_is_an_input_error(depth):
    with pytest.raises(EosError, match="depth"):
        eos_st.compositions(depth)
    with pytest.raises(EosError, match="depth"):
        eos_st.composition_cases(depth)


@settings(max_examples=examples(30), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data(), depth=st.integers(1, 4))
def test_composition_cases_nest_q_over_at_most_depth_models(data, depth):
    q, p, at = data.draw(eos_st.composition_cases(depth, poster_only=True))
    assert _nestings(q) == {1} and 1 <= min(_nestings(p)) <= depth
    assert parse_expression(eos_st.substitute(q, p)).free_symbols == {x} and parse_constant(at).is_Rational
