"""Benchmark: the cost of the parser's size bounds (issue 13), in process.

What it measures
----------------
For each expression: the grammar alone (``parse._Parser(...).parse()``), the grammar plus the
size bounds after folding (``parse.check_size``: degree and constant bits, one walk of the
tree), and a repeated ``parse_expression`` of the same text (memoised). Medians of
``--repeats`` runs; printed as a Markdown table with the bounds' share of a first parse. A
benchmark, not a test: nothing is asserted.

How to run
----------
``make bench`` runs it; directly::

    .venv/bin/python bench/bench_bounds.py              # a few seconds
    .venv/bin/python bench/bench_bounds.py --repeats 500
"""

from __future__ import annotations

import argparse
import statistics
import time

from symbolic_eos.core import parse

CASES = {
    "quartic": "(x**2-1)**2/4",
    "degree-24 polynomial": "x**2/2 + " + " + ".join(f"x**{k}/{k + 1}" for k in range(3, 25)),
    "depth-3 composition": "(exp(tanh(2*sin(x))/3) - 1)**2",
    "nested powers": "((x**10)**10)**10 + ((x**3)**3)**3",
}


def _median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=200)
    args = ap.parse_args()
    print("| expression | grammar (ms) | + bounds (ms) | bounds' share | repeated parse (ms) |")
    print("|---|---:|---:|---:|---:|")
    symbols = {"x": parse.parse_variable_name("x")}
    for name, text in CASES.items():
        grammar = _median_ms(lambda text=text: parse._Parser(text, symbols, parse.LIMITS).parse(), args.repeats)
        expr = parse._Parser(text, symbols, parse.LIMITS).parse()
        bounds = _median_ms(lambda expr=expr: parse.check_size(expr), args.repeats)
        parse.parse_expression(text)
        repeated = _median_ms(lambda text=text: parse.parse_expression(text), args.repeats)
        print(f"| {name} | {grammar:.3f} | {grammar + bounds:.3f} | {bounds / (grammar + bounds):.0%} | {repeated:.4f} |")


if __name__ == "__main__":
    main()
