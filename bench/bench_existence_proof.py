"""Benchmark: the existence theorem proved for every eps (issue 15, item 4), one loss at a time.

Calls :func:`symbolic_eos.dynamics.existence_proof.prove_existence` in process (the proof alone,
without the sampled grid) on the test losses and prints, per loss, the median wall time over
``--repeats`` runs, the proved ``eps_max``, the number of boxes and why the growth stopped.
Target: under 10 s per loss.

    .venv/bin/python bench/bench_existence_proof.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import sympy as sp
from flint import arb

from symbolic_eos.dynamics.existence_proof import prove_existence

X = sp.Symbol("x")
LOSSES = [
    ("(x**2-1)**2/4 at 1", (X**2 - 1) ** 2 / 4, 1),
    ("x**2/2 + x**3/3 - x**4 at 0", X**2 / 2 + X**3 / 3 - X**4, 0),
    ("1 - cos(x) + x**3/10 at 0", 1 - sp.cos(X) + X**3 / 10, 0),
    ("x**2/2 - x**3/3 at 0", X**2 / 2 - X**3 / 3, 0),
]
TARGET_SECONDS = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    ok = True
    print(f"{'loss':<30} {'median s':>9} {'eps_max':>14} {'boxes':>6}  stop")
    for name, f, xb in LOSSES:
        times, proof = [], None
        for _ in range(args.repeats):
            start = time.perf_counter()
            proof = prove_existence(f, X, arb(xb))
            times.append(time.perf_counter() - start)
        assert proof is not None and proof.proved
        median = statistics.median(times)
        ok &= median < TARGET_SECONDS
        print(f"{name:<30} {median:>9.2f} {float(proof.signed_eps_max or 0):>14.10f} {len(proof.boxes):>6}  {proof.stop}")
    print(f"target (< {TARGET_SECONDS:.0f} s per loss): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
