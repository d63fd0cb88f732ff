"""Benchmark: the (x y - 1)^2/2 region theorem (symbolic_eos.paper.xy_proof) for one eta-interval.

Runs :func:`xy_region_theorem` in-process ``--repeats`` times (default: the module's eta-interval
and rectangle; ``--wide`` takes ``[1/5, 2] x [1/5, 2]``) and prints the median wall time with the
counts: boxes proved and not proved, box evaluations, the proved area fraction, the most steps to
land, and the unproved boxes by the exceptional curve they meet.

    .venv/bin/python bench/bench_xy_proof.py [--repeats N] [--wide]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from symbolic_eos.paper.xy_proof import DEFAULT_ETA, DEFAULT_REGION, xy_region_theorem

WIDE = ("1/5", "2", "1/5", "2")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--wide", action="store_true", help="the rectangle [1/5, 2] x [1/5, 2] (16 x 16 boxes, 40000 evaluations)")
    args = parser.parse_args()
    kwargs = dict(region=WIDE, initial=16, max_boxes=40000) if args.wide else {}
    times, result = [], None
    for i in range(args.repeats):
        start = time.perf_counter()
        result = xy_region_theorem(*DEFAULT_ETA, **kwargs)  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
        print(f"  run {i + 1}: {times[-1]:.2f} s", file=sys.stderr)
    assert result is not None and result.proved, "the theorem was not proved"
    c = result.cover
    region = kwargs.get("region", DEFAULT_REGION)
    print(f"## (x y - 1)^2/2: convergence to the balanced 2-cycle for eta in [{DEFAULT_ETA[0]}, {DEFAULT_ETA[1]}] on "
          f"[{region[0]}, {region[1]}] x [{region[2]}, {region[3]}]\n")
    print("| median (s) | runs | proved boxes | not proved | evaluations | proved area | x, y > 0 certified | "
          "\\|D\\| monotone | steps (max) | n_max | depth |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {statistics.median(times):.2f} | {len(times)} | {len(c.proved)} | {len(c.not_proved)} | {c.evaluations} | "
          f"{float(c.proved_area):.2%} | {float(c.positive_area):.2%} | {float(c.monotone_area):.2%} | {c.steps} | "
          f"{c.n_max} | {c.max_depth} |")
    print("\nNot proved, by the curve the box meets:\n")
    for why, n in sorted(c.reasons().items()):
        print(f"- {n}: {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
