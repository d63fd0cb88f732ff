from fractions import Fraction

from symbolic_eos.paper.xy import balancing, exact_xy_orbit, trajectory, xy_landing, xy_reduction, xy_report


def test_reduction_to_the_quartic_is_exact():
    assert xy_reduction() is True


def test_balancing_inside_the_paper_range():
    # Starts off the manifold with moderate sharpness balance onto the 2-cycle x = y = delta.
    row = balancing("11/10", starts=(Fraction(1, 2), Fraction(4, 5), Fraction(6, 5)))
    assert row.balanced_cycle == 9 and row.diverged == 0 and row.max_imbalance < 1e-12


def test_balancing_stops_past_sqrt5_minus_1():
    row = balancing("5/4", starts=(Fraction(1, 2), Fraction(4, 5), Fraction(6, 5)))
    assert row.balanced_cycle == 0  # the 2-cycle has period-doubled (sqrt(5) - 1 = 1.236...)


def test_report_counts_and_exceptions():
    r = xy_report(etas=("11/10",))
    (row,) = r.rows
    assert row.starts == 36 and row.balanced_cycle + row.minimum + row.diverged + row.other == 36
    assert ("1/2", "2", "minimum") in row.exceptions and ("2", "1/2", "minimum") in row.exceptions
    assert r.reduction_proved


def test_starts_on_or_onto_the_manifold_of_minima_are_exact_counted_exceptions():
    # By hand: at eta = 25/24, (3/5, 3/5) has x y - 1 = -16/25, so x1 = 3/5 + (25/24)(16/25)(3/5) = 1 = y1;
    # (1, 1) is a minimum.  (1/2, 2) has x y = 1: the gradient vanishes and GD never moves.
    eta, t = Fraction(25, 24), Fraction(3, 5)
    r = t * t - 1
    assert (t - eta * r * t, t - eta * r * t) == (1, 1)
    assert exact_xy_orbit("25/24", "3/5", "3/5", 3) == ((t, t),) + ((Fraction(1), Fraction(1)),) * 3
    assert exact_xy_orbit("11/10", "1/2", "2", 2) == ((Fraction(1, 2), Fraction(2)),) * 3
    diag, off = xy_landing("25/24", "3/5", "3/5"), xy_landing("11/10", "1/2", "2")
    assert diag.proved and diag.balanced and diag.end == (1, 1)
    assert off.proved and not off.balanced and off.end == (Fraction(1, 2), Fraction(2))
    assert xy_landing("11/10", "1/2", "1/2") is None
    # The report counts them as exceptions (nothing is dropped) and shows both as counterexamples.
    rep = xy_report(etas=("25/24", "11/10"))
    row = rep.rows[0]
    assert row.starts == 37 and ("3/5", "3/5", 1, True) in row.landings and ("3/5", "3/5", "minimum") in row.exceptions
    assert {(a, b) for a, b, n, _ in row.landings if n == 0} == {("1/2", "2"), ("2", "1/2")}
    assert row.minimum == 3 and row.balanced_cycle + row.minimum + row.diverged + row.other == row.starts
    assert row.positive == row.positive_balanced + len(row.landings) and row.positive_unexplained == ()
    assert rep.counterexamples_proved and {c.start for c in rep.counterexamples} == {(t, t), (Fraction(1, 2), Fraction(2))}
    assert "(3/5, 3/5) at eta = 25/24" in rep.conclusion


def test_the_mirror_cycle_is_not_the_papers_2_cycle():
    # (3/2, 3/2) at eta = 11/10 leaves x, y > 0 and ends on x = y = -delta_i: balanced, but not the
    # paper's 2-cycle (and outside its condition).
    row = balancing("11/10", starts=(Fraction(3, 2),))
    assert row.exceptions == (("3/2", "3/2", "mirror 2-cycle"),) and row.other == 1 and row.positive == 0
    end = trajectory("11/10", "3/2", "3/2", 4000)[-1]
    assert end[0] < 0 and abs(end[0] - end[1]) < 1e-12


def test_xy_claim_is_refuted_with_the_correction_stated():
    from symbolic_eos.paper.claims import verify_claim

    # Exact counterexamples refute it; the corrected statement is proved on a cover of boxes for one
    # eta-interval and only sampled elsewhere, so the discipline says refuted, not corrected.
    r = verify_claim("xy-balancing")
    assert (r.status, r.rigor) == ("refuted", "numerical"), r.summary
    assert "proved (interval arithmetic, eta a ball)" in r.summary and "status discipline" in dict(r.evidence)
    assert "(1/2, 2) is a minimum" in r.summary and "(3/5, 3/5) goes exactly to the minimum (1, 1)" in r.summary
    assert "union_n G^-n({x y = 1})" in r.summary
    assert sum(q == "counterexample" and v.endswith(": proved") for q, v in r.evidence) == 2


def test_report_on_a_grid_where_no_start_diverges():
    # The conclusion once indexed the (empty) list of diverging starts and raised IndexError.
    report = xy_report(etas=("11/10",), starts=(Fraction(1, 2), Fraction(3, 2)), steps=2000)
    assert report.rows[0].diverged == 0
    assert "at least" not in report.conclusion and report.conclusion.endswith("is large.")
