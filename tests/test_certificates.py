"""Base-model certificates (symbolic_eos.analysis.certificates) against facts derived by hand.

With q = g' g''' - 6 g''^2 (the L2 condition is g' != 0 and q < 0):
  exp      q = -5 e^{2x}                                   holds everywhere
  log      q = -4 / x^4                                    holds on every range in (0, inf)
  tanh     s = sech^2, t = tanh: g' = s, g'' = -2ts, g''' = s(6t^2 - 2) ... q = -2 s^2 (s + 10 t^2) < 0
  sigmoid  p = s(1 - s): q = p^2 (18 p - 5) < 0 since p <= 1/4
  softplus q = p s (4 s - 5) < 0 (s = sigmoid, p = s(1 - s))
  atan     q = -(18 x^2 + 2) / (1 + x^2)^4
  erf      q = (4/pi) e^{-2x^2} (-20 x^2 - 2)
  gaussian q = e^{-2x^2} (-80 x^4 + 72 x^2 - 24) < 0 (negative discriminant); g' = 0 at 0
  sin      q = -cos^2 - 6 sin^2 < 0; g' = cos = 0 at pi/2 + k pi
  cube     q = -198 x^2; g' = 3 x^2 = 0 at 0        quintic  q = -2100 x^6; g' = 0 at 0
  affine   q = 0: the strict inequality fails everywhere
  x + x^3/6 (synthetic)  q = 1 - 11 x^2 / 2: fails exactly on |x| <= sqrt(2/11)
  sinh (synthetic)       q = cosh^2 - 6 sinh^2: fails exactly on |x| <= atanh(1/sqrt(6))
"""

from __future__ import annotations

import json
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symbolic_eos.analysis import base_models as bm
from symbolic_eos.analysis.certificates import (
    BaseModelCertificate,
    certificate_range,
    certify_base_model,
    certify_base_models,
)
from symbolic_eos.render.plots import plot_certificates
from symbolic_eos.errors import InputError
from symbolic_eos.analysis.results import markdown_text
from symbolic_eos.core.parse import parse_expression
from .profiles import examples

X = sp.Symbol("x")

SYNTHETIC = """
[[model]]
name = "cubic"
expression = "x + x**3/6"
domain = ["-inf", "inf"]
poster = true
notes = "q = 1 - 11 x^2/2"

[[model]]
name = "sinh"
expression = "sinh(x)"
domain = ["-inf", "inf"]
range = ["-3", "3"]
poster = false
notes = "q = cosh^2 - 6 sinh^2"

[[model]]
name = "atanh"
expression = "atanh(x)"
domain = ["-1", "1"]
poster = false
notes = "q = (2 - 18 x^2)/(1 - x^2)^4"
"""


def _catalog(monkeypatch, tmp_path, text: str) -> None:
    (tmp_path / "base_models.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("SYMBOLIC_EOS_CATALOG", str(tmp_path))
    bm.base_models.cache_clear()


@pytest.fixture
def synthetic(monkeypatch, tmp_path):
    _catalog(monkeypatch, tmp_path, SYNTHETIC)
    yield
    monkeypatch.delenv("SYMBOLIC_EOS_CATALOG")
    bm.base_models.cache_clear()


@lru_cache(maxsize=None)
def catalog_certificates() -> tuple[BaseModelCertificate, ...]:
    return certify_base_models()


def by_name(name: str) -> BaseModelCertificate:
    return next(c for c in catalog_certificates() if c.name == name)


def F(text: str) -> Fraction:
    return Fraction(text)


def M(value: Fraction):
    """A rational as an mpmath number (50 digits), to compare with mpmath values."""
    with mpmath.workdps(50):
        return mpmath.mpf(value.numerator) / value.denominator


def widths(c: BaseModelCertificate, status: str) -> Fraction:
    return sum((F(i.hi) - F(i.lo) for i in c.intervals if i.status == status), Fraction(0))


# --- an independent oracle: closed-form derivatives evaluated by mpmath at 50 digits -------------


@lru_cache(maxsize=None)
def oracle(expression: str):
    g = parse_expression(expression)
    x = sorted(g.free_symbols, key=str)[0]
    d1, d2, d3 = (sp.diff(g, x, k) for k in (1, 2, 3))
    return sp.lambdify(x, [d1, d1 * d3 - 6 * d2**2], "mpmath")


def condition_at(expression: str, x: Fraction) -> tuple:
    with mpmath.workdps(50):
        g1, q = oracle(expression)(M(x))
        return g1, q


def assert_sound(c: BaseModelCertificate, points_per_interval: int = 5) -> None:
    """Every sampled point of a holds interval satisfies g' != 0 and q < 0; of a fails one, q >= 0
    (closed forms evaluated to 50 digits: evidence from an independent route, not a proof)."""
    for i in c.intervals:
        lo, hi = F(i.lo), F(i.hi)
        for k in range(points_per_interval):
            x = lo + (hi - lo) * Fraction(k, points_per_interval - 1)
            g1, q = condition_at(c.expression, x)
            if i.status == "holds":
                assert g1 != 0 and q < 0, (c.name, i, x, g1, q)
            elif i.status == "fails":
                assert q >= 0, (c.name, i, x, q)


# --- the catalog -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["exp", "tanh", "sigmoid", "softplus", "atan", "erf"])
def test_holds_everywhere(name):
    c = by_name(name)
    assert c.summary == "holds for every x in [-10, 10]"
    assert [i.status for i in c.intervals] == ["holds"]
    assert c.covered == 1 and not c.budget_exhausted


def test_log_uses_the_catalog_range_inside_the_open_domain():
    c = by_name("log")
    assert c.range == ("1/100", "10")
    assert c.summary == "holds for every x in [1/100, 10]"
    assert "catalog" in c.range_note
    # q = -4/x^4 < 0 on any range in (0, inf)
    assert certify_base_model("log", "1/1000", "1000").summary == "holds for every x in [1/1000, 1000]"


def test_sin_undecided_only_at_the_zeros_of_cos():
    c = by_name("sin")
    undecided = c.of_status("undecided")
    zeros = [mpmath.pi / 2 + k * mpmath.pi for k in range(-3, 3)]
    assert len(undecided) == len(zeros) == len(c.degenerate_points) == 6
    for i, z in zip(undecided, zeros, strict=True):
        assert M(F(i.lo)) < z < M(F(i.hi))
        assert F(i.hi) - F(i.lo) < Fraction(1, 10**7)
        assert "exactly one zero of g'" in i.reason
    assert c.agrees_with_poster is True
    assert c.summary.startswith("holds for every x in [-10, 10] except 6 undecided intervals")


@pytest.mark.parametrize("name", ["cube", "quintic", "gaussian"])
def test_degenerate_at_zero_exactly(name):
    c = by_name(name)
    (u,) = c.of_status("undecided")
    assert F(u.lo) < 0 < F(u.hi)
    assert c.degenerate_points == ("0 (exact)",)
    assert "g'(0) = 0 (exact)" in u.reason
    assert c.agrees_with_poster is True


def test_undecided_width_shrinks_with_depth():
    w = [widths(certify_base_model("cube", max_depth=d), "undecided") for d in (12, 20, 28)]
    assert w[0] > w[1] > w[2] > 0
    # the two leaves next to 0 at depth d: 2 * 20 / 2^d
    assert w[2] <= Fraction(2 * 20, 2**28)


def test_affine_fails_everywhere_with_equality():
    c = by_name("affine")
    assert [i.status for i in c.intervals] == ["fails"]
    assert c.summary.startswith("fails for every x in [-10, 10] (certified")
    assert "= 0" in c.summary
    assert c.agrees_with_poster is None  # not a poster example


def test_every_poster_model_agrees_and_intervals_tile_the_range():
    for c in catalog_certificates():
        ends = [(F(i.lo), F(i.hi)) for i in c.intervals]
        assert ends[0][0] == F(c.range[0]) and ends[-1][1] == F(c.range[1])
        assert all(a[1] == b[0] and a[0] < a[1] for a, b in pairwise(ends))
        assert all(a[2] != b[2] for a, b in pairwise(c.intervals))  # merged
        if c.poster:
            assert c.agrees_with_poster is True, c.name


def test_catalog_certificates_are_sound():
    for c in catalog_certificates():
        assert_sound(c)


@lru_cache(maxsize=None)
def _holds_and_fails():
    return [(c.expression, i) for c in catalog_certificates() for i in c.intervals if i.status != "undecided"]


@settings(max_examples=examples(150), deadline=None)
@given(st.data())
def test_random_points_of_certified_intervals(data):
    expression, i = data.draw(st.sampled_from(_holds_and_fails()))
    t = data.draw(st.fractions(min_value=0, max_value=1, max_denominator=10**6))
    x = F(i.lo) + (F(i.hi) - F(i.lo)) * t
    g1, q = condition_at(expression, x)
    if i.status == "holds":
        assert g1 != 0 and q < 0
    else:
        assert q >= 0


# --- synthetic models where the condition fails --------------------------------------------------


def test_synthetic_cubic_fails_inside_the_true_set(synthetic):
    c = certify_base_model("cubic")
    bound = Fraction(2, 11)  # q >= 0 iff x^2 <= 2/11
    (fails,) = c.of_status("fails")
    assert F(fails.hi) ** 2 <= bound and F(fails.lo) ** 2 <= bound
    for i in c.of_status("holds"):
        assert F(i.lo) * F(i.hi) > 0 and min(F(i.lo) ** 2, F(i.hi) ** 2) > bound
    undecided = c.of_status("undecided")
    assert len(undecided) == 2
    for i, root in zip(undecided, (-mpmath.sqrt(mpmath.mpf(2) / 11), mpmath.sqrt(mpmath.mpf(2) / 11)), strict=True):
        assert M(F(i.lo)) < root < M(F(i.hi)) and F(i.hi) - F(i.lo) < Fraction(1, 10**7)
        assert "exactly one zero of g' g''' - 6 g''^2" in i.reason
    assert c.agrees_with_poster is False  # the synthetic entry claims to be a poster example
    assert "fails on" in c.summary
    assert_sound(c)


def test_synthetic_sinh_and_atanh(synthetic):
    s = certify_base_model("sinh")
    assert s.range == ("-3", "3")
    root = mpmath.atanh(1 / mpmath.sqrt(6))
    (fails,) = s.of_status("fails")
    assert -root <= M(F(fails.lo)) and M(F(fails.hi)) <= root
    assert root - M(F(fails.hi)) < 1e-7
    assert_sound(s)
    a = certify_base_model("atanh")  # no catalog range: [-10, 10] cut 1/100 inside (-1, 1)
    assert a.range == ("-99/100", "99/100") and "open at -1" in a.range_note
    (fails,) = a.of_status("fails")  # q = (2 - 18 x^2)/(1 - x^2)^4 >= 0 iff |x| <= 1/3
    assert Fraction(-1, 3) <= F(fails.lo) and F(fails.hi) <= Fraction(1, 3)
    assert_sound(a)


# --- ranges, validation, budget ------------------------------------------------------------------


def test_range_arguments_are_checked():
    m = bm.model("log")
    lo, hi, _ = certificate_range(m, "1/2", "3")
    assert (str(lo), str(hi)) == ("1/2", "3")
    for lo, hi in (("0", "1"), ("-1", "1"), ("2", "1"), ("1", "1"), ("pi", "4"), ("1", "x")):
        with pytest.raises(InputError):
            certify_base_model("log", lo, hi)
    with pytest.raises(InputError):
        certify_base_model("no such model")
    with pytest.raises(InputError):
        certify_base_model("exp", max_depth=-1)


@pytest.mark.parametrize(
    "rng",
    ['["0", "10"]', '["1/100"]', '["pi", "10"]', '["2", "1"]', '[1, 10]', '"1, 10"', '["-1", "10"]'],
)
def test_catalog_range_is_validated(monkeypatch, tmp_path, rng):
    _catalog(monkeypatch, tmp_path, f'[[model]]\nname = "log"\nexpression = "log(x)"\ndomain = ["0", "inf"]\n'
             f'range = {rng}\nposter = true\nnotes = ""\n')
    try:
        with pytest.raises(InputError, match="range"):
            bm.base_models()
    finally:
        monkeypatch.delenv("SYMBOLIC_EOS_CATALOG")
        bm.base_models.cache_clear()


def test_budget_bounds_the_work():
    c = certify_base_model("gaussian", max_boxes=7)
    assert c.boxes == 7 and c.budget_exhausted
    assert any(i.reason == "work budget exhausted" for i in c.intervals)
    assert "budget" in c.summary
    assert F(c.intervals[0].lo) == -10 and F(c.intervals[-1].hi) == 10
    assert_sound(c, 3)


# --- rendering -----------------------------------------------------------------------------------


def test_renderings():
    c = by_name("sin")
    d = json.loads(json.dumps(c.to_dict()))
    assert d["model"] == "sin" and d["range"] == ["-10", "10"] and d["rigor"] == "certified"
    assert all(isinstance(v, str) for v in d["widths"].values()) and isinstance(d["covered"], str)
    assert float(d["covered"]) > 0.999999
    assert len(d["intervals"]) == 13 and d["intervals"][1]["status"] == "undecided"
    assert d["agrees_with_poster"] is True
    assert "| from | to | from (decimal) | to (decimal) | status | reason |" in c.to_markdown()
    assert c.summary in c.to_text() and markdown_text(c.summary) in c.to_markdown()


def test_plot_is_deterministic(tmp_path):
    certs = catalog_certificates()
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    plot_certificates(certs, str(first))
    plot_certificates(certs, str(second))
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(InputError):
        plot_certificates([], str(tmp_path / "c.png"))


def test_precision_is_raised_where_it_stops_a_decision():
    # At 16 bits, softplus's q ~ -e^{-x} near x = 10 is below the rounding of its size-1 terms.
    c = certify_base_model("softplus", prec=16)
    assert c.max_prec > 16 and c.summary == "holds for every x in [-10, 10]"
    assert by_name("exp").max_prec == 64
