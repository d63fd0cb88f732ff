"""Benchmark: the quartic basin theorem's default proof (every eta in [101/100, 112/100]).

Runs ``basin_theorem()`` in-process ``--repeats`` times (the exact lemmas are cached after the
first run, as in a long session; the ball work is redone every time) and prints the median wall
time, the eta-boxes, the cells and the largest n; ``--thorough`` times the thorough scan once.
The target: the default proof well under 5 minutes (aim: under 60 s) on a 2-core machine.

    .venv/bin/python bench/bench_quartic_proof.py [--repeats N] [--thorough]
"""

from __future__ import annotations

import argparse
import statistics
import time

from symbolic_eos.paper.quartic_basin import basin_theorem


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--thorough", action="store_true")
    args = parser.parse_args()
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        t = basin_theorem()
        times.append(time.perf_counter() - start)
        if not t.proved:
            raise SystemExit(f"not proved: {t.reason}")
    print(f"default proof [{t.eta_lo}, {t.eta_hi}]: median {statistics.median(times):.2f} s over {args.repeats} runs; "
          f"{len(t.boxes)} eta-boxes {t.routes}, {t.cells} cells, n <= {t.max_n}; target < 60 s: "
          f"{'ok' if statistics.median(times) < 60 else 'MISSED'}")
    if args.thorough:
        start = time.perf_counter()
        t = basin_theorem(thorough=True)
        print(f"thorough scan: reach eta = {t.reach} ({float(t.reach or 0):.6g}) in {time.perf_counter() - start:.1f} s; "
              f"{len(t.boxes)} eta-boxes {t.routes}, {t.cells} cells, n <= {t.max_n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
