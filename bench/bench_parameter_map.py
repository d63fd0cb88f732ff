"""Benchmark: a certified parameter map (``symbolic_eos.analysis.parameter_maps.certify_parameter_map``).

What it measures
----------------
The map of the paper's condition for the family ``x**2/2 + a x**3 + b x**4`` at 0,
``Q(a, b) = 3 f'''^2 - f'' f'''' = 108 a^2 - 24 b > 0``, with ``requires=(1,)`` over
``a, b in [-1, 1]``, at ``--max-depth`` halvings per parameter and a budget of ``--max-cells``
cell evaluations (about 10^4 by default): the median wall time of ``--repeats`` runs after one
warm-up run, the cells evaluated and the exact areas.  Against it, the naive route: a uniform
grid of ``--grid`` x ``--grid`` cell centres, each evaluated exactly with sympy (``Q.subs``) --
evidence at points, which certifies no cell.  It prints both medians and their ratio.  A
benchmark, not a test: nothing is asserted on timings.

How to run::

    .venv/bin/python bench/bench_parameter_map.py               # 5 repeats
    .venv/bin/python bench/bench_parameter_map.py --repeats 1 --max-cells 40000
"""

from __future__ import annotations

import argparse

import sympy as sp

from timing import median_run

from symbolic_eos.analysis.parameter_maps import certify_parameter_map
from symbolic_eos.core.numbers import short_decimal


def _naive(q: sp.Expr, a: sp.Symbol, b: sp.Symbol, n: int) -> int:
    """How many of the ``n x n`` cell centres of ``[-1, 1]^2`` have ``q > 0``, exactly."""
    centres = [sp.Rational(2 * i + 1, n) - 1 for i in range(n)]
    return sum(bool(q.subs({a: x, b: y}) > 0) for x in centres for y in centres)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--max-depth", type=int, default=12)
    parser.add_argument("--max-cells", type=int, default=10000)
    parser.add_argument("--prec", type=int, default=64)
    parser.add_argument("--grid", type=int, default=100)
    args = parser.parse_args()
    a, b = sp.symbols("a b")
    q = 108 * a**2 - 24 * b
    box = [(-1, 1), (-1, 1)]
    seconds, m = median_run(lambda: certify_parameter_map(q, (a, b), box, requires=(1,), max_depth=args.max_depth,
                                                       max_cells=args.max_cells, prec=args.prec), args.repeats)
    naive_seconds, positive = median_run(lambda: _naive(q, a, b, args.grid), args.repeats)
    print(f"Q = {q} > 0 over a, b in [-1, 1]; max_depth = {args.max_depth}, max_cells = {args.max_cells}, "
          f"prec = {args.prec} bits, median of {args.repeats} runs\n")
    print(f"certified map: {seconds:.3f} s, {m.boxes} cells evaluated, {len(m.cells)} leaves, "
          f"budget exhausted: {m.budget_exhausted}")
    print(f"  {m.summary}")
    print("| status | area (exact) | area (decimal) | fraction |")
    print("|---|---|---|---|")
    for status, area in m.areas:
        print(f"| {status} | {area} | {short_decimal(m.area(status), 8)} | {short_decimal(m.fraction(status), 6)} |")
    exact = 2 * sp.integrate(sp.Rational(9, 2) * a**2 + 1, (a, 0, sp.sqrt(2) / 3)) + 4 * (1 - sp.sqrt(2) / 3)
    print(f"exact area of {{b < 9 a^2 / 2}}: {sp.nsimplify(exact)} = {sp.N(exact, 12)}")
    print(f"\nnaive grid: {args.grid}x{args.grid} centres evaluated exactly with sympy: {naive_seconds:.3f} s, "
          f"Q > 0 at {positive} of {args.grid**2} (evidence, no cell certified; area estimate {4 * positive / args.grid**2:.6f})")
    print(f"ratio naive / certified: {naive_seconds / seconds:.2f}")


if __name__ == "__main__":
    main()
