"""Benchmark: certified 2-cycles of the quartic at increasing precision (start-up included).

Runs ``symbolic-eos orbit '(x**2-1)**2/4' --eta 11/10 --at 1 --digits D --json`` as a
subprocess for D = 15 ... 10000 and prints the median wall time per D, the ratio to D = 15, and
whether the targets hold: 1000 digits within 3x of 15 digits, and 10000 digits finishing.
Every run must report a certified 2-cycle whose box radius is below 10^-D.

    .venv/bin/python bench/bench_orbit.py [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXPR, ETA = "(x**2-1)**2/4", "11/10"


def command(digits: int) -> list[str]:
    exe = Path(sys.executable).with_name("symbolic-eos")
    base = [str(exe)] if exe.exists() else [sys.executable, "-m", "symbolic_eos"]
    return base + ["orbit", EXPR, "--eta", ETA, "--at", "1", "--digits", str(digits), "--json"]


def run(digits: int) -> tuple[float, dict]:
    start = time.perf_counter()
    proc = subprocess.run(command(digits), capture_output=True, text=True, timeout=1800)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed at {digits} digits: {proc.stderr.strip()}")
    return elapsed, json.loads(proc.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for digits in (15, 100, 1000, 3000, 10000):
        repeats = args.repeats if digits <= 3000 else max(1, args.repeats // 2)
        times = []
        for _ in range(repeats):
            t, out = run(digits)
            times.append(t)
        orbit = out["orbits"][0]
        assert orbit["certified"] and orbit["stable"], orbit
        exponent = int(orbit["radius"].split("e-")[1]) if "e-" in orbit["radius"] else 0
        rows.append((digits, statistics.median(times), repeats, orbit["radius"], exponent >= digits))
        print(f"  {digits} digits: {statistics.median(times):.3f} s", file=sys.stderr)
    base = rows[0][1]
    print(f"## Certified 2-cycle of f = {EXPR} at eta = {ETA}: wall time per command (start-up included)\n")
    print("| digits | median (s) | runs | vs 15 digits | Krawczyk box radius | radius < 10^-digits |")
    print("|---:|---:|---:|---:|---|---|")
    for digits, t, n, radius, ok in rows:
        print(f"| {digits} | {t:.3f} | {n} | {t / base:.2f}x | {radius} | {'yes' if ok else 'no'} |")
    ratio = dict((d, t) for d, t, *_ in rows)[1000] / base
    print(f"\nTarget 1000 digits <= 3x the 15-digit command: {'MET' if ratio <= 3 else 'NOT MET'} ({ratio:.2f}x).")
    print(f"Target 10000 digits finishes: MET ({dict((d, t) for d, t, *_ in rows)[10000]:.2f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
