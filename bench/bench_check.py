"""Benchmark: whole-command wall times of ``symbolic-eos check``, start-up included.

What it measures
----------------
Each case runs the console script ``symbolic-eos`` (found next to ``sys.executable``, so it
works in any venv; ``python -m symbolic_eos`` if the script is missing) as a subprocess and
times it with ``time.perf_counter`` from spawn to exit (interpreter start-up, imports, parsing,
the check, printing).  Every command is run once untimed to check that it exits 0, then timed
``--repeats`` times (default 7); medians are printed.

Cases:

* polynomial ``(x**2-1)**2/4``, ``--at 1`` (the paper's quartic; exact arithmetic);
* a depth-6 composition ``G = atan∘sigmoid∘log∘exp∘tanh∘sin`` (the depth-6 member of the family
  in ``bench_jets.py``) in the L2-type loss ``(G(x) - G(0))**2``, ``--at 0``: ``G'(0) != 0``, so
  ``x = 0`` is an exact strict minimum (``G(0) = atan(27/14)`` is irrational, so the jets are
  certified balls, not exact rationals);
* the same two without ``--at``: every strict minimum in the default range [-10, 10] (two for
  the polynomial, seven, at ``k*pi``, for the composition);
* ``python -c "import symbolic_eos"``: the start-up floor.

Printed: a Markdown table of medians, the ratios composition/polynomial, and a one-line verdict
on the target "a check of a depth-6 composition costs no more than 3x a check of a polynomial
(start-up included)" (judged on the ``--at`` case).  A benchmark, not a test: nothing is asserted.

How to run
----------
``make bench`` runs ``.venv/bin/python bench/bench_jets.py`` and then
``.venv/bin/python bench/bench_check.py``.  Directly::

    .venv/bin/python bench/bench_check.py               # about 30 s
    .venv/bin/python bench/bench_check.py --repeats 15
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_RATIO = 3.0

POLYNOMIAL = "(x**2-1)**2/4"
# The depth-6 composition of bench_jets.py: x -> sin -> tanh(2u) -> exp(u/3) -> log(2+u^2)
# -> sigmoid(3u) -> atan(2u).
G = "atan(2*sigmoid(3*log(2 + (exp(tanh(2*sin(x))/3))**2)))"
COMPOSITION = f"(({G}) - ({G.replace('(x)', '(0)')}))**2"


def eos_command() -> list[str]:
    """The console script next to the running interpreter, else ``python -m symbolic_eos``."""
    bindir = Path(sys.executable).parent  # not resolved: a venv's python is often a symlink
    for name in ("symbolic-eos", "symbolic-eos.exe"):
        script = bindir / name
        if script.is_file() and os.access(script, os.X_OK):
            return [str(script)]
    return [sys.executable, "-m", "symbolic_eos"]


def cases() -> list[tuple[str, str, list[str]]]:
    """``(key, label, argv)`` for every timed command."""
    eos = eos_command()
    return [
        ("floor", 'python -c "import symbolic_eos"', [sys.executable, "-c", "import symbolic_eos"]),
        ("poly_at", f"check '{POLYNOMIAL}' --at 1", eos + ["check", POLYNOMIAL, "--at", "1"]),
        ("comp_at", "check '(G(x) - G(0))**2' --at 0 (G depth 6)", eos + ["check", COMPOSITION, "--at", "0"]),
        ("poly_range", f"check '{POLYNOMIAL}' (range [-10, 10])", eos + ["check", POLYNOMIAL]),
        ("comp_range", "check '(G(x) - G(0))**2' (range [-10, 10])", eos + ["check", COMPOSITION]),
    ]


def run_once(argv: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True)
    return time.perf_counter() - t0, proc


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeats", type=int, default=7, help="timed runs per command (default 7)")
    args = p.parse_args(argv)

    t_start = time.perf_counter()
    medians: dict[str, float] = {}
    failed: list[str] = []
    table = []
    for key, label, cmd in cases():
        elapsed, proc = run_once(cmd)  # verify (and warm the OS file cache) before timing
        if proc.returncode != 0:
            failed.append(key)
            print(f"FAILED (exit {proc.returncode}): {label}\n  stderr: {proc.stderr.strip()}", file=sys.stderr)
            table.append((label, f"failed (exit {proc.returncode})", "", ""))
            continue
        times = [run_once(cmd)[0] for _ in range(args.repeats)]
        medians[key] = statistics.median(times)
        table.append((label, f"{medians[key] * 1e3:,.0f}", f"{min(times) * 1e3:,.0f}", f"{max(times) * 1e3:,.0f}"))
        print(f"  {label}: median {medians[key] * 1e3:,.0f} ms", file=sys.stderr, flush=True)

    print("## Whole-command wall times of `symbolic-eos check` (start-up included)")
    print()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {args.repeats} timed runs per command "
          f"after one untimed verification run; command: `{' '.join(Path(c).name for c in eos_command())}`.")
    print()
    print("| command | median (ms) | min (ms) | max (ms) |")
    print("|---|---:|---:|---:|")
    for row in table:
        print("| " + " | ".join(row) + " |")
    print()
    print(f"G(x) = `{G}` (depth 6); the loss is `{COMPOSITION}`.")
    print()

    def ratio(a: str, b: str) -> float | None:
        return medians[a] / medians[b] if a in medians and b in medians else None

    def above_floor(a: str, b: str) -> float | None:
        if not all(k in medians for k in (a, b, "floor")):
            return None
        below = medians[b] - medians["floor"]
        # A run faster than the (noisy) import floor leaves nothing to compare.
        return (medians[a] - medians["floor"]) / below if below > 0.02 else None

    for kind, a, b in (("--at", "comp_at", "poly_at"), ("range [-10, 10]", "comp_range", "poly_range")):
        r, r_net = ratio(a, b), above_floor(a, b)
        if r is None:
            print(f"- ratio composition/polynomial ({kind}): n/a (a command failed)")
        else:
            net = f"{r_net:.2f}x" if r_net is not None else "n/a: within the noise of the import floor"
            print(f"- ratio composition/polynomial ({kind}): {r:.2f}x (above the import floor: {net})")
    print()
    r = ratio("comp_at", "poly_at")
    if r is None:
        print(f"Target \"a check of a depth-6 composition costs no more than {TARGET_RATIO:g}x a check of a "
              f"polynomial (start-up included)\": NOT DECIDED (a command failed: {', '.join(failed)}).")
    else:
        print(f"Target \"a check of a depth-6 composition costs no more than {TARGET_RATIO:g}x a check of a "
              f"polynomial (start-up included)\": {'MET' if r <= TARGET_RATIO else 'NOT MET'} "
              f"({r:.2f}x with --at).")
    print(f"\n(total bench time {time.perf_counter() - t_start:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
