"""Benchmark: Taylor jets to the full order a check needs (K = 24), against the naive route.

What it measures
----------------
A check examines the derivative order k up to 12 and the flip normal form up to order 23, which
needs ``f`` to order 24: 25 coefficients per jet.  (Before the jets carried their order,
python-flint's series cap silently kept 10.)  For each case the script times, in-process, the
engine's jet at K = 8, 16 and 24 and the naive route at K = 24 (sympy: ``Poly`` shift for a
polynomial, repeated ``diff`` and ``subs`` for a composition, under a time budget), and the whole
``symbolic_eos.check`` of the loss.  Medians of ``--repeats`` runs; ratios naive/engine.

How to run::

    .venv/bin/python bench/bench_orders.py              # about 20 s
    .venv/bin/python bench/bench_orders.py --repeats 15
"""

from __future__ import annotations

import argparse
import statistics
import time

import sympy as sp
from flint import ctx

from symbolic_eos import check
from symbolic_eos.core.jets import Point, ball_coefficients, exact_coefficients
from symbolic_eos.core.parse import parse_expression, parse_variable_name

X = parse_variable_name("x")
CASES = [
    # (name, loss, point of the jet, point of the check, engine)
    ("degree-24 polynomial", "x**2/2 + x**5 - 3*x**11 + x**17/7 + 2*x**24", "1/3", "0", "exact"),
    ("depth-3 composition", "(atan(sigmoid(tanh(x))) - atan(1/2))**2", "0", "0", "ball"),
]


def _median(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _naive(expr, at, order: int, budget: float) -> float | None:
    """Repeated sympy ``diff`` and ``subs`` to ``order`` (None past ``budget`` seconds)."""
    start, d = time.perf_counter(), expr
    for _ in range(order + 1):
        sp.N(d.subs(X, at), 30)
        d = sp.diff(d, X)
        if time.perf_counter() - start > budget:
            return None
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--budget", type=float, default=20.0)
    args = parser.parse_args()
    print("| case | K=8 (ms) | K=16 (ms) | K=24 (ms) | naive K=24 (ms) | naive/engine at 24 | check() (ms) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, text, at, check_at, kind in CASES:
        expr = parse_expression(text)
        q = sp.Rational(at)
        point = Point.rational(q)

        def jet(order, kind=kind, expr=expr, point=point):
            if kind == "exact":
                return lambda: exact_coefficients(expr, X, point, order)
            with ctx.workprec(128):
                centre = point.enclosure(128)
            return lambda: ball_coefficients(expr, X, centre, order, 128)

        engine = {k: _median(jet(k), args.repeats) for k in (8, 16, 24)}
        naive = _naive(expr, q, 24, args.budget)
        whole = _median(lambda text=text, check_at=check_at: check(text, at=check_at), max(3, args.repeats // 2))
        ratio = f"{naive / engine[24]:,.0f}x" if naive else f"> {args.budget / engine[24]:,.0f}x"
        naive_cell = f"{naive * 1e3:,.1f}" if naive else f"> {args.budget * 1e3:,.0f}"
        print(f"| {name} | {engine[8] * 1e3:.3f} | {engine[16] * 1e3:.3f} | {engine[24] * 1e3:.3f} | {naive_cell} | {ratio} "
              f"| {whole * 1e3:.0f} |")


if __name__ == "__main__":
    main()
