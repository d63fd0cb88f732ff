"""Certified parameter maps (``symbolic_eos.analysis.parameter_maps``) against oracles that share
no code with the engine: exact sympy / ``fractions`` arithmetic at the cells' corners and at
random rational points inside them, exact whole-cell bounds where the geometry is simple, and the
exact area of the region by sympy integration."""

from __future__ import annotations

import json
import random
from fractions import Fraction

import pytest
import sympy as sp
from flint import fmpq
from hypothesis import given, settings, strategies as st

from symbolic_eos.analysis.boxes import bisect_cells, split_cell
from symbolic_eos.analysis.parameter_maps import certify_parameter_map
from symbolic_eos.errors import InputError

from .profiles import examples

A, B, C, D = sp.symbols("a b c d")
Q = 108 * A**2 - 24 * B  # 3 f'''^2 - f'' f'''' for x**2/2 + a x**3 + b x**4 at 0


def _ends(cell):
    return [(sp.Rational(lo), sp.Rational(hi)) for lo, hi in cell.ends]


def _inside(ends, rng, n=5):
    """The corners and ``n`` random rational points of the closed cell ``ends``."""
    (a0, a1), (b0, b1) = ends
    points = [(a0, b0), (a0, b1), (a1, b0), (a1, b1)]
    for _ in range(n):
        s, t = (sp.Rational(rng.randint(0, 997), 997) for _ in range(2))
        points.append((a0 + s * (a1 - a0), b0 + t * (b1 - b0)))
    return points


@pytest.fixture(scope="module")
def q_map():
    return certify_parameter_map(Q, (A, B), [(-1, 1), (-1, 1)], requires=(1,), max_depth=8, max_cells=6000)


def test_holds_cells_satisfy_the_condition_everywhere(q_map):
    rng = random.Random(16)
    holds = q_map.of_status("holds")
    assert holds
    for cell in holds:
        ends = _ends(cell)
        for a, b in _inside(ends, rng):
            assert b < sp.Rational(9, 2) * a**2, (cell, a, b)
        # The whole cell: b <= b1 < 9/2 min a^2 over [a0, a1].
        (a0, a1), (_, b1) = ends
        lowest = 0 if a0 <= 0 <= a1 else min(a0**2, a1**2)
        assert b1 < sp.Rational(9, 2) * lowest


def test_fails_cells_violate_the_condition_everywhere(q_map):
    rng = random.Random(61)
    fails = q_map.of_status("fails")
    assert fails
    for cell in fails:
        ends = _ends(cell)
        for a, b in _inside(ends, rng):
            assert b > sp.Rational(9, 2) * a**2, (cell, a, b)
        (a0, a1), (b0, _) = ends
        assert b0 > sp.Rational(9, 2) * max(a0**2, a1**2)


def test_areas_tile_the_box_and_bracket_the_exact_area(q_map):
    areas = {s: sp.Rational(a) for s, a in q_map.areas}
    assert sum(areas.values()) == 4 and areas["excluded"] == 0
    cells = sum((sp.Rational(c.ends[0][1]) - sp.Rational(c.ends[0][0])) * (sp.Rational(c.ends[1][1]) - sp.Rational(c.ends[1][0]))
                for c in q_map.cells)
    assert cells == 4
    # The exact area of {b < 9 a^2 / 2} in [-1, 1]^2: for each a, min(9 a^2/2 + 1, 2) of b.
    a = sp.Symbol("a", real=True)
    edge = sp.sqrt(2) / 3  # 9 a^2 / 2 = 1
    exact = 2 * sp.integrate(sp.Rational(9, 2) * a**2 + 1, (a, 0, edge)) + 2 * 2 * (1 - edge)
    assert sp.N(exact, 30) == pytest.approx(float(sp.integrate(sp.Min(sp.Max(sp.Rational(9, 2) * a**2 + 1, 0), 2), (a, -1, 1))))
    assert (exact - areas["holds"]).is_positive
    assert (areas["holds"] + areas["undecided"] - exact).is_positive
    assert ((4 - exact) - areas["fails"]).is_positive
    assert q_map.fraction("holds") == fmpq(int(areas["holds"].p), int(areas["holds"].q)) / 4


def test_the_map_is_a_certificate_not_a_guess(q_map):
    """The mean-value form decides cells close to the parabola: little is left undecided."""
    assert q_map.fraction("undecided") < fmpq(1, 100)
    assert not q_map.budget_exhausted and q_map.boxes <= 6000


def test_one_parameter_holds_set_is_minus_one_to_one():
    p = sp.Symbol("p")
    depth = 10
    m = certify_parameter_map(1 - p**2, (p,), [(sp.Rational(-3, 2), sp.Rational(3, 2))], requires=[p + 2], max_depth=depth)
    width = sp.Rational(3) / 2**depth  # the box is 3 wide
    for cell in m.of_status("holds"):
        (lo, hi), = _ends(cell)
        assert -1 <= lo < hi <= 1
    for cell in m.of_status("fails"):
        (lo, hi), = _ends(cell)
        assert hi <= -1 or lo >= 1
    undecided = m.of_status("undecided")
    assert undecided and m.of_status("excluded") == ()
    for cell in undecided:
        (lo, hi), = _ends(cell)
        assert hi - lo <= width and any(lo - width <= e <= hi + width for e in (-1, 1)), cell
    assert sp.Rational(m.area("holds").p, m.area("holds").q) >= 2 - 4 * width


def test_a_requirement_certified_negative_excludes():
    m = certify_parameter_map(1 + A**2, (A,), [(-1, 1)], requires=[A - 2])
    assert [c.status for c in m.cells] == ["excluded"] and m.boxes == 1
    assert m.summary == "excluded on the whole box [-1, 1]; 1 box evaluated"
    mixed = certify_parameter_map(1 + A**2 + B**2, (A, B), [(-1, 1), (-1, 1)], requires=[A - B / 3], max_depth=5)
    for cell in mixed.of_status("excluded"):
        (a0, a1), (b0, b1) = _ends(cell)
        assert all(a - b / 3 <= 0 for a in (a0, a1) for b in (b0, b1))  # a linear requirement: its corners bound it
    for cell in mixed.of_status("holds"):
        (a0, a1), (b0, b1) = _ends(cell)
        assert all(a - b / 3 > 0 for a in (a0, a1) for b in (b0, b1))
    assert mixed.of_status("fails") == ()
    assert {c.cause for c in mixed.of_status("undecided")} == {"requirement_straddles"}


def test_a_quantity_exactly_zero_is_undecided_never_holds_or_fails():
    m = certify_parameter_map(sp.Integer(0), (A, B), [(-1, 1), (0, 1)])
    assert [(c.status, c.cause) for c in m.cells] == [("undecided", "equality")] and m.boxes == 1


def test_precision_is_raised_where_it_stops_a_decision():
    """``(a + 10^20)^2 - 10^40 - 2 10^20 a - a^2 + 1`` is 1: 64 and 128 bits lose it in the
    cancellation, 256 bits decide (the ladder of certificates.py, now shared)."""
    big = sp.Integer(10) ** 20
    q = (A + big) ** 2 - big**2 - 2 * big * A - A**2 + 1
    box = [(sp.Rational(1, 3), sp.Rational(2, 3))]
    m = certify_parameter_map(q, (A,), box, max_depth=3)
    assert [c.status for c in m.cells] == ["holds"] and m.max_prec == 256 and m.boxes == 3
    low = certify_parameter_map(q, (A,), box, max_depth=3, prec=16)
    assert low.max_prec == 64 and low.summary.startswith("undecided on the whole box [1/3, 2/3] (8 cells: condition_straddles)")


def test_to_dict_is_json_with_exact_text():
    m = certify_parameter_map(Q, (A, B), [(-1, 1), (-1, 1)], requires=(1,), max_depth=3)
    d = json.loads(json.dumps(m.to_dict()))
    assert d["params"] == ["a", "b"] and d["box"] == [["-1", "1"], ["-1", "1"]] and d["quantity"] == "108*a**2 - 24*b"
    assert sum(Fraction(v) for v in d["areas"].values()) == 4 and d["box_area"] == "4"
    assert sum(Fraction(v) for v in d["fractions"].values()) == 1
    assert len(d["cells"]) == len(m.cells) and d["rigor"] == "certified"
    assert "expression" not in d
    text = m.to_markdown()
    assert "| holds |" in text and m._repr_markdown_() == text


def test_split_cell_halves_the_widest_side_in_units_of_the_box():
    box = ((fmpq(0), fmpq(1)), (fmpq(0), fmpq(100)))
    scale = (fmpq(1), fmpq(100))
    lower, upper = split_cell(box, scale)
    assert lower == ((fmpq(0), fmpq(1, 2)), (fmpq(0), fmpq(100)))  # tie: the first parameter
    assert split_cell(lower, scale)[0] == ((fmpq(0), fmpq(1, 2)), (fmpq(0), fmpq(50)))


class _Third:
    """Decides every cell that does not hold 1/3: the one bisection, seen from outside."""

    prec, limited = 64, False

    def classify_cell(self, cell, final):
        (lo, hi), = cell
        return (lo, hi, "decided") if not lo <= fmpq(1, 3) <= hi else (lo, hi, "undecided") if final else None


@pytest.mark.parametrize("breadth_first", [False, True])
def test_the_one_bisection_in_one_dimension_is_the_midpoint_bisection(breadth_first):
    run = bisect_cells([_Third()], ((fmpq(0), fmpq(1)),), 10, 10**6, lambda cell: None, lambda leaf: leaf[2] == "decided",
                       breadth_first=breadth_first)
    leaves = sorted(run.leaves) if breadth_first else list(run.leaves)
    assert leaves == sorted(leaves) and leaves[0][0] == 0 and leaves[-1][1] == 1  # depth-first: in order
    assert all(left[1] == right[0] for left, right in zip(leaves, leaves[1:], strict=False))  # contiguous
    for lo, hi, _ in leaves:  # a node of the midpoint bisection: width 2^-k, lo a multiple of it
        width = hi - lo
        assert width.p == 1 and width.q & (width.q - 1) == 0 and (lo / width).q == 1
    undecided = [leaf for leaf in leaves if leaf[2] == "undecided"]
    assert len(undecided) == 1 and undecided[0][1] - undecided[0][0] == fmpq(1, 2**10)
    assert run.boxes == 21 and not run.exhausted  # two per level, one at the top


def test_three_parameters():
    m = certify_parameter_map(A + B + C - 1, (A, B, C), [(0, 1)] * 3, max_depth=3)
    total = sum(sp.Rational(a) for _, a in m.areas)
    assert total == 1
    for cell in m.of_status("holds"):
        assert sum(sp.Rational(lo) for lo, _ in cell.ends) > 1
    for cell in m.of_status("fails"):
        assert sum(sp.Rational(hi) for _, hi in cell.ends) < 1


_MONOMIALS = [(i, j) for i in range(4) for j in range(4) if i + j <= 3]


@settings(max_examples=examples(40), deadline=None)
@given(st.dictionaries(st.sampled_from(_MONOMIALS), st.integers(-5, 5), max_size=6), st.data())
def test_random_polynomials_holds_and_fails_cells_are_right(coefficients, data):
    expr = sum((c * A**i * B**j for (i, j), c in coefficients.items()), sp.Integer(0))

    def value(a: Fraction, b: Fraction) -> Fraction:  # the oracle: exact rationals, no sympy, no balls
        return sum((c * a**i * b**j for (i, j), c in coefficients.items()), Fraction(0))

    m = certify_parameter_map(expr, (A, B), [(-1, 1), (Fraction(-1, 2), 2)], max_depth=4, max_cells=500)
    assert sum(sp.Rational(a) for _, a in m.areas) == sp.Rational(5)
    for status, sign in (("holds", 1), ("fails", -1)):
        cells = m.of_status(status)
        for cell in cells:
            (a0, a1), (b0, b1) = [(Fraction(lo), Fraction(hi)) for lo, hi in cell.ends]
            assert sign * value((a0 + a1) / 2, (b0 + b1) / 2) > 0
        if cells:
            cell = data.draw(st.sampled_from(cells), label=status)
            (a0, a1), (b0, b1) = _ends(cell)
            s, t = (data.draw(st.fractions(0, 1, max_denominator=1000)) for _ in range(2))
            point = {A: a0 + sp.Rational(s.numerator, s.denominator) * (a1 - a0),
                     B: b0 + sp.Rational(t.numerator, t.denominator) * (b1 - b0)}
            assert sign * expr.subs(point) > 0


@pytest.mark.parametrize("call, message", [
    (lambda: certify_parameter_map("a**2", (A,), [(0, 1)]), "quantity"),
    (lambda: certify_parameter_map(A, ("a",), [(0, 1)]), "params[0]"),
    (lambda: certify_parameter_map(A, A, [(0, 1)]), "params"),
    (lambda: certify_parameter_map(A, (), []), "params"),
    (lambda: certify_parameter_map(A, (A, B, C, D), [(0, 1)] * 4), "params"),
    (lambda: certify_parameter_map(A, (A, A), [(0, 1)] * 2), "params"),
    (lambda: certify_parameter_map(A, (A,), [(1, 1)]), "box[0]: needs lo < hi for the parameter a"),
    (lambda: certify_parameter_map(A, (A, B), [(0, 1), (2, 1)]), "box[1]: needs lo < hi for the parameter b"),
    (lambda: certify_parameter_map(A, (A,), [(0, 0.5)]), "box[0][1] (parameter a)"),
    (lambda: certify_parameter_map(A, (A,), [(0, 1), (0, 1)]), "box"),
    (lambda: certify_parameter_map(A, (A,), [0]), "box[0]"),
    (lambda: certify_parameter_map(A + C, (A, B), [(0, 1)] * 2), "quantity: unknown symbol c"),
    (lambda: certify_parameter_map(A, (A,), [(0, 1)], requires=[C]), "requires[0]: unknown symbol c"),
    (lambda: certify_parameter_map(A, (A,), [(0, 1)], requires=A), "requires"),
    (lambda: certify_parameter_map(A, (A,), [(0, 1)], requires=["a"]), "requires[0]"),
    (lambda: certify_parameter_map(A, (A,), [(0, 1)], max_depth=-1), "max_depth"),
    (lambda: certify_parameter_map(A, (A,), [(0, 1)], max_cells=0), "max_cells"),
    (lambda: certify_parameter_map(A, (A,), [(0, 1)], prec=True), "prec"),
    (lambda: certify_parameter_map(sp.Max(A, 1), (A,), [(0, 1)]), "quantity"),
])
def test_bad_input_is_refused_naming_the_parameter(call, message):
    with pytest.raises(InputError, match="^" + __import__("re").escape(message)):
        call()


def test_plot_is_deterministic_and_refuses_three_parameters(tmp_path):
    from symbolic_eos.render.plots import plot_parameter_map

    m = certify_parameter_map(Q, (A, B), [(-1, 1), (-1, 1)], requires=[B + 1 - A], max_depth=4)
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    plot_parameter_map(m, str(first), dpi=40)
    plot_parameter_map(m, str(second), dpi=40)
    assert first.read_bytes() == second.read_bytes() and first.read_bytes()[:4] == b"\x89PNG"
    p = sp.Symbol("p")
    strip = tmp_path / "strip.png"
    plot_parameter_map(certify_parameter_map(1 - p**2, (p,), [(-2, 2)], max_depth=4), str(strip), dpi=40)
    assert strip.read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(InputError, match="^result"):
        plot_parameter_map(certify_parameter_map(A + B + C, (A, B, C), [(0, 1)] * 3, max_depth=1), str(strip))
    with pytest.raises(InputError, match="^result"):
        plot_parameter_map(None, str(strip))  # type: ignore[arg-type]
