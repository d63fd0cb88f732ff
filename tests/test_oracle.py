"""The engine against an independent oracle (``tests/oracle.py``, which shares no code with it).

Rules (the README's "Rigor" section): whatever the engine decides (order, paper verdict and case, flip
order and sign, derivatives, the L2 rule) equals the oracle's answer wherever the oracle knows it;
every printed enclosure ``[m +/- r]`` contains the true value; every printed decimal of a decided
value is within 1e-14 (relative) of the truth; and for an exact rational polynomial at a rational
point the engine decides everything within its limits (k <= 12, flip order <= 23).
``undecided`` elsewhere is an honest answer, counted with ``hypothesis.event``
(``pytest --hypothesis-show-statistics`` lists them).
"""

from __future__ import annotations

import re
from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from hypothesis import HealthCheck, event, example, given, settings, strategies as st

import symbolic_eos as eos

from . import oracle as O

RELATIVE = mpmath.mpf(10) ** -14
_ENCLOSURE = re.compile(r"\[[^\[\]]*\+/-[^\[\]]*\]")
_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _slow(divisor: int) -> settings:
    """Settings for a test whose examples take seconds: the active profile's example count
    divided by ``divisor`` (so ``thorough`` still raises it and ``ci`` stays within a minute)."""
    return settings(_SETTINGS, max_examples=max(5, settings.default.max_examples // divisor))


# --- comparing one result with the oracle --------------------------------------------------


def _fraction(v) -> Fraction:
    """An mpmath number as an exact Fraction (no rounding: ``mpf(v)`` would round to the context)."""
    sign, man, exp, _ = v._mpf_  # man_exp drops the sign
    return (-1) ** sign * Fraction(int(man)) * Fraction(2) ** int(exp) if man else Fraction(0)


def contains(text: str, truth: O.Real, what: str) -> None:
    """The printed ball ``text`` (``[m +/- r]``, or an exact decimal) contains ``truth``,
    checked in exact decimal arithmetic against the truth at 80 and 120 digits (more if needed)."""
    text = text.strip()
    if text.startswith("["):
        body = text[1:-1]
        mid, rad = body.split("+/-")
        m, r = Fraction(mid.strip() or "0"), Fraction(rad.strip())
    else:  # a ball of radius zero prints as its (exact) decimal
        m, r = Fraction(text), Fraction(0)
    if truth.exact is not None:
        assert abs(m - truth.exact) <= r, f"{what}: {text} excludes the true value {truth.exact}"
        return
    for lo, hi in ((80, 120), (300, 400), (1200, 1500)):
        a, b = _fraction(truth.value(lo)), _fraction(truth.value(hi))
        if abs(a - b) * 100 < max(r, abs(m - b) / 10**6):
            break
    else:
        pytest.fail(f"{what}: the oracle cannot pin the truth finely enough to check {text}")
    assert abs(m - b) <= r + abs(a - b), f"{what}: {text} excludes the true value {mpmath.nstr(truth.value(hi), 40)}"


def close(text: str, truth: O.Real, what: str) -> None:
    """A printed decimal is within relative 1e-14 of the truth (exactly 0 for a zero)."""
    with mpmath.workdps(60):
        v = mpmath.mpf(text)
        if truth.sign == 0:
            assert v == 0, f"{what}: printed {text}, true value 0"
            return
        t = truth.value(100)
        assert abs(v - t) <= RELATIVE * abs(t), f"{what}: printed {text}, true value {mpmath.nstr(t, 25)}"


def _sign(text: str) -> int:
    with mpmath.workdps(60):
        return int(mpmath.sign(mpmath.mpf(text)))


def _enclosures(value, path=""):
    """Every ``[m +/- r]`` in a JSON value, with where it was found."""
    if isinstance(value, str):
        return [(path, m) for m in _ENCLOSURE.findall(value)]
    if isinstance(value, dict):
        return [e for k, v in value.items() for e in _enclosures(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [e for i, v in enumerate(value) for e in _enclosures(v, f"{path}[{i}]")]
    return []


def agree(d: dict, o: O.Oracle, must_decide: bool = False) -> None:
    """The engine's ``to_dict()`` ``d`` agrees with the oracle ``o`` (rules in the module docstring)."""
    where = f"{o.text!r} at {o.at}"
    checked: set = set()

    # The point, eta0 = 2/f'' = 1/c2 and the derivatives.
    close(d["point"], o.xb, f"{where}: point")
    close(d["eta_critical"], O.Real(None, lambda dps: 1 / o.coefficients[2].value(dps)), f"{where}: eta_critical")
    undecided = set(d["undecided"])
    for j, text in d["derivatives"].items():
        truth = o.derivative(int(j))
        if j not in undecided:
            if truth.sign is not None:
                close(text, truth, f"{where}: f^({j})")
        elif must_decide:
            pytest.fail(f"{where}: f^({j}) undecided for an exact rational input")
    for j, text in d["derivatives_exact"].items():
        truth = o.derivative(int(j))
        claimed = O.Real(O.parse(text))
        if truth.exact is not None and claimed.exact is not None:
            assert claimed.exact == truth.exact, f"{where}: exact f^({j}) = {text}, truth {truth.exact}"
        else:
            _same(claimed, truth, f"{where}: exact f^({j})")
    for j, text in d["derivative_enclosures"].items():
        contains(text, o.derivative(int(j)), f"{where}: enclosure of f^({j})")
        checked.add((".derivative_enclosures." + j, text))

    # Order k.
    if d["order"] is not None:
        assert o.order != "beyond", f"{where}: engine order {d['order']}, but c_j = 0 for 3 <= j <= {O.MAX_ORDER}"
        if o.order is not None:
            assert d["order"] == o.order, f"{where}: engine order {d['order']}, oracle {o.order}"
    else:
        if isinstance(o.order, int):
            event(f"order undecided (truth k = {o.order})")
        if must_decide:
            assert o.order == "beyond", f"{where}: order undecided for an exact input, oracle k = {o.order}"
        # Without an order the paper's verdict is undecided, or "fails" for a quadratic f.
        allowed = ("undecided", "fails") if o.quadratic else ("undecided",)
        assert d["paper_verdict"] in allowed, f"{where}: paper {d['paper_verdict']} without an order"

    # The paper's criterion.
    if d["paper_verdict"] in ("holds", "fails") and d["order"] is not None:
        if o.paper_verdict is not None:
            assert (d["paper_verdict"], d["paper_case"]) == (o.paper_verdict, o.paper_case), (
                f"{where}: engine paper {d['paper_verdict']}/{d['paper_case']}, oracle {o.paper_verdict}/{o.paper_case}")
    elif d["paper_verdict"] == "fails":
        assert o.quadratic, f"{where}: paper fails with no order"
    else:
        assert d["paper_verdict"] == "undecided", d["paper_verdict"]
        if o.paper_verdict is not None:
            event(f"paper undecided (truth {o.paper_verdict})")
        if must_decide and isinstance(o.order, int):
            pytest.fail(f"{where}: paper undecided for an exact input at k = {o.order}")
    q = d["paper_quantity"]
    if q is not None and o.paper_quantity is not None and d["order"] == o.order:
        if q["sign"] is not None:
            if o.paper_quantity.sign is not None:
                assert q["sign"] == o.paper_quantity.sign, f"{where}: sign of {q['name']} {q['sign']}, oracle {o.paper_quantity.sign}"
                close(q["value"], o.paper_quantity, f"{where}: {q['name']}")
        for text in _ENCLOSURE.findall(d["paper_reason"] or ""):
            contains(text, o.paper_quantity, f"{where}: undecided {q['name']}")
            checked.add((".paper_reason", text))
    m = re.search(r"sign of f\^\((\d+)\)\(xb\) is undecided \(in (\[[^\]]*\])\)", d["paper_reason"] or "")
    if m:
        contains(m.group(2), o.derivative(int(m.group(1))), f"{where}: undecided f^({m.group(1)})")
        checked.add((".paper_reason", m.group(2)))

    # The flip normal form.
    if d["flip_verdict"] in ("supercritical", "subcritical"):
        assert o.flip_order != "beyond", (f"{where}: engine flip order {d['flip_order']}, "
                                          f"but every term to order {O.MAX_FLIP_ORDER} vanishes")
        if o.flip_order is not None:
            assert (d["flip_order"], d["flip_verdict"]) == (o.flip_order, o.flip_verdict), (
                f"{where}: engine flip {d['flip_verdict']} at order {d['flip_order']}, oracle {o.flip_verdict} at {o.flip_order}")
            close(d["flip_coefficient"], o.flip_coefficient, f"{where}: flip coefficient")
            assert _sign(d["flip_coefficient"]) == o.flip_coefficient.sign
    else:
        if isinstance(o.flip_order, int):
            event(f"flip undecided (truth order {o.flip_order})")
        if must_decide and isinstance(o.flip_order, int):
            pytest.fail(f"{where}: flip undecided for an exact input, oracle order {o.flip_order}")
    if d["flip_order"]:
        # The engine claims every lower term vanishes.
        for j in range(2, d["flip_order"]):
            assert o.flip_coefficients[j].sign in (0, None), f"{where}: engine skips the non-zero flip term of order {j}"
    m = re.search(r"order-(\d+) coefficient is undecided \(in (\[[^\]]*\])\)", d["flip_reason"] or "")
    if m:
        contains(m.group(2), o.flip_coefficients[int(m.group(1))], f"{where}: undecided flip coefficient")
        checked.add((".flip_reason", m.group(2)))

    # Every printed enclosure was checked; the point's note encloses xb.
    for path, text in _enclosures(d):
        if (path, text) in checked:
            continue
        if path == ".point_note" or (path.startswith(".notes[") and d["point_note"] and text in d["point_note"]):
            contains(text, o.xb, f"{where}: the point's enclosure")
            continue
        pytest.fail(f"{where}: printed enclosure {text} in {path} that the oracle cannot attribute")


def _same(claimed: O.Real, truth: O.Real, what: str) -> None:
    """Two exact non-rational values agree to 90 digits."""
    a, b = claimed.value(120), truth.value(120)
    assert abs(a - b) <= mpmath.mpf(10) ** -90 * max(1, abs(b)), f"{what}: {mpmath.nstr(a, 30)} vs {mpmath.nstr(b, 30)}"


def run(text: str, at: str, must_decide: bool = False) -> dict:
    """Check ``text`` at ``at`` with the engine and compare with the oracle."""
    o = O.analyse(text, at)
    d = eos.check(text, at=at).to_dict()
    agree(d, o, must_decide)
    return d


# --- strategies ----------------------------------------------------------------------------


def _q(q: Fraction) -> str:
    return f"({q.numerator}/{q.denominator})" if q.denominator != 1 else f"({q.numerator})"


small = st.builds(Fraction, st.integers(1, 9), st.integers(1, 9)).flatmap(lambda q: st.sampled_from([q, -q]))
scales = st.sampled_from([Fraction(1)] * 6 + [Fraction(1, 10**8), Fraction(10**8)])


@st.composite
def sparse_jets(draw, max_degree: int = 24):
    """``{j: a_j}`` for ``f = c2 t^2 + sum a_j t^j``: few terms, often starting late (so k and the
    flip order are high), small rationals at scales 1, 1e-8 and 1e8."""
    c2 = draw(st.fractions(min_value=Fraction(1, 9), max_value=9, max_denominator=9)) * draw(scales) / 2
    lowest = draw(st.one_of(st.integers(3, min(12, max_degree)), st.integers(3, max_degree)))
    degrees = draw(st.sets(st.integers(lowest, max_degree), max_size=4)) | {lowest}
    if draw(st.integers(0, 9)) == 0:
        degrees = set()  # quadratic: no flip term at any order
    return c2, {j: draw(small) * draw(scales) for j in sorted(degrees)}


def _jet_text(c2: Fraction, terms: dict, r: str) -> str:
    t = "x" if r == "0" else f"(x - ({r}))"
    return " + ".join([f"{_q(c2)}*{t}**2"] + [f"{_q(a)}*{t}**{j}" for j, a in terms.items()])


rational_points = st.fractions(min_value=-3, max_value=3, max_denominator=9).map(lambda q: str(q))


@st.composite
def polynomial_cases(draw):
    """(text, point): a sparse jet at 0 or at a rational point, shifted or expanded."""
    c2, terms = draw(sparse_jets())
    r = draw(st.one_of(st.just("0"), rational_points))
    text = _jet_text(c2, terms, r)
    if r != "0" and draw(st.booleans()):
        text = sp.sstr(sp.expand(O.parse(text)))
    return text, r


# The regressions of issue 11 (python-flint's series cap of 10 terms): the truth is k = 10,
# f^(10) = -10! (paper holds, k_even) and flip -40 t^9; k = 5 with f^(6) = 0 (fails) and
# flip +2600 t^9 (the old code said -1400); k = 13 > 12 (undecided) and flip -8112 t^23.
REGRESSIONS = [
    ("x**2/2 - x**10", "0"),
    ("x**2/2 + x**5 + x**7 + 25/2*x**8 + 100*x**10", "0"),
    ("x**2/2 + x**13", "0"),
]


@_SETTINGS
@given(polynomial_cases())
@example(REGRESSIONS[0])
@example(REGRESSIONS[1])
@example(REGRESSIONS[2])
@example(("x**2/2 + x**24", "0"))
@example(("x**2/2 + x**12 - x**23", "0"))
@example(("(x - 1/3)**2/2 - 7*(x - 1/3)**11", "1/3"))
@example(("x**2/2", "0"))
def test_exact_polynomials_match_the_oracle(case):
    text, at = case
    d = run(text, at, must_decide=True)
    event(f"k = {d['order']}, flip order = {d['flip_order']}")


def test_the_pinned_regressions_have_the_stated_truth():
    o = [O.analyse(*c) for c in REGRESSIONS]
    assert ((o[0].order, o[0].paper_verdict, o[0].paper_case, o[0].flip_order, o[0].flip_coefficient.exact)
            == (10, "holds", "k_even", 9, -40))
    assert (o[1].order, o[1].paper_verdict, o[1].flip_order, o[1].flip_coefficient.exact) == (5, "fails", 9, 2600)
    assert (o[2].order, o[2].flip_order, o[2].flip_coefficient.exact) == ("beyond", 23, -8112)
    d = eos.check(*REGRESSIONS[2][:1], at="0").to_dict()
    assert (d["order"], d["paper_verdict"], d["paper_case"]) == (None, "undecided", None)


# Points where the shifted or expanded polynomial needs exact algebra or honest balls.
irrational_points = st.sampled_from(["sqrt(2)", "1 + sqrt(3)/2", "2**(1/3)", "pi", "log(2)", "E/3", "atan(1/2)"])


@st.composite
def irrational_polynomial_cases(draw):
    c2, terms = draw(sparse_jets(max_degree=14))
    r = draw(irrational_points)
    text = _jet_text(c2, terms, r)
    if draw(st.booleans()) and max(terms, default=2) <= 8:
        text = sp.sstr(sp.expand(O.parse(text)))
    return text, r


@_SETTINGS
@given(irrational_polynomial_cases())
@example(("(x - pi)**2/2 - (x - pi)**10", "pi"))
@example(("x**2/2 - sqrt(2)*x**3 + x**4", "0"))
def test_polynomials_at_irrational_points_match_the_oracle(case):
    text, at = case
    d = run(*case)
    event("decided" if "undecided" not in (d["paper_verdict"], d["flip_verdict"]) else "some undecided")


# --- L2 losses at closed-form points --------------------------------------------------------


@st.composite
def l2_cases(draw):
    """(g, y, xb) with g(xb) = y in closed form."""
    kind = draw(st.sampled_from(["tanh", "sin", "exp", "atan", "sinh", "cubic"]))
    p = draw(st.fractions(min_value=Fraction(-8, 9), max_value=Fraction(8, 9), max_denominator=9))
    if kind == "tanh":
        return "tanh(x)", str(p), f"atanh({p})"
    if kind == "sin":
        return draw(st.sampled_from([("sin(x)", "1/2", "pi/6"), ("sin(x)", "sqrt(3)/2", "pi/3"),
                                     ("sin(x)", "sqrt(2)/2", "pi/4"), ("sin(x)", "-1/2", "-pi/6"), ("sin(x)", "0", "0")]))
    if kind == "exp":
        y = draw(st.fractions(min_value=Fraction(1, 9), max_value=9, max_denominator=9))
        return "exp(x)", str(y), f"log({y})"
    if kind == "atan":
        return draw(st.sampled_from([("atan(x)", "pi/4", "1"), ("atan(x)", "pi/3", "sqrt(3)"),
                                     ("atan(x)", "pi/6", "sqrt(3)/3"), ("atan(x)", f"atan({p})", str(p))]))
    if kind == "sinh":
        return draw(st.sampled_from([("sinh(x)", "3/4", "log(2)"), ("sinh(x)", str(p), f"asinh({p})")]))
    return "x**3 + x", str(p**3 + p), str(p)


def _l2_agree(d: dict, ol: O.L2Oracle) -> None:
    agree(d, ol.loss)
    where = f"L2 {d['base_model']!r} at {ol.loss.at}"
    if d["l2_verdict"] != "undecided":
        assert ol.verdict is None or d["l2_verdict"] == ol.verdict, f"{where}: L2 {d['l2_verdict']}, oracle {ol.verdict}"
        if ol.g_condition.sign is not None:
            close(d["g_condition"], ol.g_condition, f"{where}: g' g''' - 6 g''^2")
    else:
        event("L2 undecided")
    for j, text in d["g_derivatives"].items():
        if ol.g_derivatives[int(j)].sign not in (0, None):
            close(text, ol.g_derivatives[int(j)], f"{where}: g^({j})")


@_SETTINGS
@given(l2_cases())
@example(("tanh(x)", "1/2", "atanh(1/2)"))
def test_l2_losses_at_closed_form_points(case):
    g, y, xb = case
    ol = O.analyse_l2(g, y, xb)
    _l2_agree(eos.check_l2(g, y, at=xb).to_dict(), ol)
    run(f"({g} - ({y}))**2", xb)


@_SETTINGS
@given(l2_cases())
@example(("tanh(x)", "1/2", "atanh(1/2)"))
def test_l2_search_encloses_the_closed_form_point(case):
    # Without --at the solution is certified by the search: its printed ball must hold xb.
    g, y, xb = case
    ol = O.analyse_l2(g, y, xb)
    x0 = O.Real(O.parse(xb)).value(30)
    lo, hi = (str(Fraction(int(mpmath.floor(x0 * 8)) - 1, 8)), str(Fraction(int(mpmath.floor(x0 * 8)) + 2, 8)))
    found = eos.check_l2(g, y, range=(lo, hi)).to_dict()["minima"]
    near = [d for d in found if abs(mpmath.mpf(d["point"]) - x0) < mpmath.mpf(10) ** -10]
    assert len(near) == 1, f"{g} = {y}: search in [{lo}, {hi}] found {[d['point'] for d in found]}, truth {x0}"
    _l2_agree(near[0], ol)


# --- compositions with exact cancellations (k >= 5) at transcendental points -----------------

INNER = [
    ("tan(x) - 1", "pi/4"),
    ("tanh(x) - 1/2", "atanh(1/2)"),
    ("exp(x) - 2", "log(2)"),
    ("sin(x) - 1/2", "pi/6"),
    ("atan(x) - pi/4", "1"),
    ("sigmoid(x) - 1/2", "0"),
]
# Left out for speed, not correctness: the engine needs minutes on P(sinh(x) - 3/4) at log(2)
# (342 s for a degree-8 P); see the closing report of issue 11's oracle item.
SLOW_INNER = [("sinh(x) - 3/4", "log(2)")]


@st.composite
def cancelling_compositions(draw):
    """(text, point, jet): ``f = P(u(x))`` with ``P = Q o u^{-1}`` truncated at degree D, so that
    ``f(xb + t) = Q(t) + O(t^(D+1))`` with ``Q = t^2/2 + sum_{j >= k} q_j t^j``, k >= 5."""
    u, at = draw(st.sampled_from(INNER))
    k = draw(st.integers(5, 10))
    top = draw(st.integers(k, min(k + 2, 12)))
    q = {j: draw(st.sampled_from([0, 0, 1, -1, 2, Fraction(-1, 3)])) for j in range(k + 1, top + 1)}
    q[k] = draw(st.sampled_from([1, -1, 3, Fraction(-1, 2)]))
    jet = [Fraction(0), Fraction(0), Fraction(1, 2)] + [Fraction(q.get(j, 0)) for j in range(3, top + 1)]
    v = list(O._series(O.parse(u), O.parse(at), top))
    w = O.reversion(v)
    p = O._compose([sp.Rational(a.numerator, a.denominator) for a in jet], w)
    text = " + ".join(f"({sp.sstr(c)})*({u})**{j}" for j, c in enumerate(p) if j >= 2 and c != 0)
    return text, at, tuple(jet)


@_slow(10)
@given(cancelling_compositions())
def test_cancelling_compositions_match_the_oracle(case):
    text, at, jet = case
    o = O.analyse(text, at)
    for j, q in enumerate(jet):  # the construction and the oracle agree on the jet
        c = o.coefficients[j]
        if c.exact is not None:
            assert c.exact == q, (j, q, c)
        else:
            assert abs(c.value(100) - mpmath.mpf(q.numerator) / q.denominator) < mpmath.mpf(10) ** -80, (j, q, c)
    d = eos.check(text, at=at).to_dict()
    agree(d, o)
    inner = next(u for u, a in INNER if u in text)
    event(f"{inner}: paper {d['paper_verdict']}, flip {d['flip_verdict']}")


# --- near-cancellations ---------------------------------------------------------------------


@st.composite
def near_cancellations(draw):
    """Exact rational jets whose deciding quantity is barely non-zero (relative 1e-20 .. 1e-40)."""
    c2 = draw(st.fractions(min_value=Fraction(1, 9), max_value=9, max_denominator=9)) / 2
    a = draw(small)
    e = draw(st.integers(20, 40))
    s = draw(st.sampled_from([-1, 1]))
    kind = draw(st.sampled_from(["k3", "flip5", "k_odd"]))
    if kind == "k3":
        # 3 f'''^2 - f'' f'''' = 108 a^2 - 48 c2 c4 = -s 108 a^2 10^-e
        terms = {3: a, 4: Fraction(108) * a * a / (48 * c2) * (1 + Fraction(s, 10**e))}
    elif kind == "flip5":
        # paper quantity exactly 0 (so the cubic flip term vanishes); c6 solves the order-5 flip
        # term = 0, then moves by relative 10^-e.
        c4 = Fraction(108) * a * a / (48 * c2)
        c5 = draw(small)
        c6 = sp.Symbol("c6")
        five = O.flip_series([0, 0, sp.Rational(c2.numerator, c2.denominator), sp.Rational(a.numerator, a.denominator),
                              sp.Rational(c4.numerator, c4.denominator), sp.Rational(c5.numerator, c5.denominator), c6, 0],
                             sp.S.Zero, sp.S.One, sp.expand)[5]
        root = sp.solve(five, c6)[0]
        root = Fraction(int(root.p), int(root.q))
        terms = {3: a, 4: c4, 5: c5, 6: root * (1 + Fraction(s, 10**e)) if root else Fraction(s, 10**e)}
    else:
        # k = 5 and f^(6) = 720 c6 barely non-zero, written as a difference the parser must keep exact
        terms = {5: a, 6: Fraction(s, 10**e)}
    r = draw(st.one_of(st.just("0"), rational_points))
    return _jet_text(c2, terms, r), r


@_SETTINGS
@given(near_cancellations())
def test_near_cancellations_are_decided_exactly(case):
    run(*case, must_decide=True)


# Transcendental near-cancellations: E - R, pi - R, ... with R a rational approximation to
# 20..55 digits (the value is tiny but non-zero), and hidden exact zeros.
CONSTANTS = ["E", "pi", "log(2)", "sqrt(2)", "atan(1/3)", "exp(1/7)"]


@st.composite
def transcendental_near_cancellations(draw):
    name = draw(st.sampled_from(CONSTANTS))
    digits = draw(st.integers(20, 55))
    with mpmath.workdps(digits + 10):
        v = O.Real(O.parse(name)).value(digits + 10)
        approx = Fraction(int(mpmath.nint(v * 10**digits)), 10**digits)
    approx += Fraction(draw(st.sampled_from([-1, 0, 1])), 10**digits)
    j = draw(st.integers(3, 9))
    tail = draw(st.sampled_from(["", " - x**{m}", " + 2*x**{m}"])).format(m=j + 1)
    text = f"x**2/2 + ({name} - {approx.numerator}/{approx.denominator})*x**{j}{tail}"
    return text, "0"


@_SETTINGS
@given(transcendental_near_cancellations())
def test_transcendental_near_cancellations(case):
    d = run(*case)
    event("paper undecided" if d["paper_verdict"] == "undecided" else "paper decided")


HIDDEN_ZEROS = ["(sin(1)**2 + cos(1)**2 - 1)", "(log(6) - log(2) - log(3))", "(atan(1/2) + atan(1/3) - pi/4)",
                "(sqrt(2)*sqrt(3) - sqrt(6))", "(exp(log(3)/2) - sqrt(3))"]


@pytest.mark.slow
@_SETTINGS
@given(st.sampled_from(HIDDEN_ZEROS), st.integers(3, 8), st.sampled_from([-1, 1]), st.integers(1, 3))
def test_hidden_zero_coefficients_never_count_as_non_zero(zero, j, sign, gap):
    # The coefficient of x**j is an exact zero sympy may not see; the truth is the same loss
    # without that term, and printed balls must hold the truth of the loss as written.
    rest = f"x**2/2 + ({sign})*x**{j + gap}"
    text = f"{rest} + {zero}*x**{j}"
    truth = O.analyse(rest, "0")
    d = eos.check(text, at="0").to_dict()
    agree(d, truth)
    event(f"{zero}: order {'decided' if d['order'] is not None else 'undecided'}")
