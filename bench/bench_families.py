"""Benchmark: families of losses (issue 16's two targets).

What it measures
----------------
1. The whole family check with its certified map: ``check_family("x**2/2 + a*x**3 + b*x**4",
   "a,b", 0, region="a=-1:1,b=-1:1", max_cells=10000)`` -- the exact conditions on (a, b) and a
   map of 10^4 cell evaluations (target: under 10 s).  Against it, the naive route: the point-wise
   check (``check_expr``, Taylor jets at a number) at the centres of a uniform grid, timed on
   ``--sample`` centres and scaled to 100 x 100; evidence at points, no cell certified.
2. A symbolic check of a depth-3 composition family: ``check_family("log(cosh(a*sinh(b*x)))",
   "a,b", 0)`` (log o cosh o sinh; target: under 5 s).  Against it, the textbook route with plain
   sympy: the derivatives up to order 13 formed at once by ``diff``, then ``simplify`` of the paper's
   k = 3 and k = 4 quantities.

Each median is over ``--repeats`` runs after one warm-up run (the warm-up fills the parse and plan
caches; a family check has no cache of its own).  A benchmark, not a test: nothing is asserted
on timings.

How to run::

    .venv/bin/python bench/bench_families.py
    .venv/bin/python bench/bench_families.py --repeats 1 --sample 50
"""

from __future__ import annotations

import argparse
import time

import sympy as sp

from timing import median_run

from symbolic_eos import check_family
from symbolic_eos.analysis.check import check_expr
from symbolic_eos.core.numbers import short_decimal


def _pointwise_grid(n: int, sample: int) -> tuple[float, int]:
    """Seconds for ``sample`` point-wise checks at grid centres of [-1, 1]^2, and how many hold."""
    x, a, b = sp.symbols("x a b")
    f = x**2 / 2 + a * x**3 + b * x**4
    centres = [sp.Rational(2 * i + 1, n) - 1 for i in range(n)]
    points = [(centres[(7 * k) % n], centres[(13 * k + 3) % n]) for k in range(sample)]
    start = time.perf_counter()
    holds = sum(check_expr(f.subs({a: u, b: v}), x, sp.Integer(0)).paper.verdict == "holds" for u, v in points)
    return time.perf_counter() - start, holds


def _textbook(text_expr: sp.Expr, x: sp.Symbol) -> sp.Expr:
    d = [text_expr]
    for _ in range(13):
        d.append(sp.diff(d[-1], x))
    f = [sp.simplify(dj.subs(x, 0)) for dj in d[:5]]
    return sp.factor(sp.simplify(3 * f[3] ** 2 - f[2] * f[4])), sp.factor(f[4])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--max-cells", type=int, default=10000)
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()

    seconds, family = median_run(lambda: check_family("x**2/2 + a*x**3 + b*x**4", "a,b", 0, region="a=-1:1,b=-1:1",
                                                   max_cells=args.max_cells), args.repeats)
    m = family.parameter_map
    print(f"1. family x**2/2 + a*x**3 + b*x**4 at 0 with its map over [-1, 1]^2 (median of {args.repeats}): {seconds:.2f} s")
    print(f"   {family.summary}")
    print(f"   map: {m.boxes} cells evaluated; {m.summary}")
    print(f"   holds area {m.area('holds')} = {short_decimal(m.area('holds'), 8)}; exact area of b < 9a^2/2: "
          f"4 - 4*sqrt(2)/9 = {sp.N(4 - 4 * sp.sqrt(2) / 9, 8)}")
    sample_seconds, holds = _pointwise_grid(100, args.sample)
    naive = sample_seconds * 10000 / args.sample
    print(f"   naive: point-wise check at 100 x 100 grid centres, {args.sample} timed ({sample_seconds:.2f} s, {holds} hold), "
          f"scaled: {naive:.1f} s; ratio naive / certified map: {naive / seconds:.1f}")

    x, a, b = sp.symbols("x a b")
    loss = sp.log(sp.cosh(a * sp.sinh(b * x)))
    seconds3, family3 = median_run(lambda: check_family("log(cosh(a*sinh(b*x)))", "a,b", 0), args.repeats)
    print(f"\n2. depth-3 composition family log(cosh(a*sinh(b*x))) at 0 (median of {args.repeats}): {seconds3:.2f} s")
    print(f"   {family3.summary}")
    start = time.perf_counter()
    q3, f4 = _textbook(loss, x)
    textbook = time.perf_counter() - start
    print(f"   textbook route (diff to order 13, simplify): {textbook:.2f} s -> 3f'''^2 - f''f'''' = {q3}, f'''' = {f4}; "
          f"ratio textbook / family check: {textbook / seconds3:.1f}")


if __name__ == "__main__":
    main()
