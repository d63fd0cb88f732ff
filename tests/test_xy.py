from fractions import Fraction

from symbolic_eos.settings.xy import balancing, xy_reduction, xy_report


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
