"""Benchmark: the whole paper verification (``symbolic-eos verify-paper``) against its budget.

What it measures
----------------
Each claim's wall time inside one ``verify_paper()`` run (settings shared by two claims, the
neuron, matrix-factorisation and MLP runs, are counted once, at the first claim that needs
them), repeated ``--repeats`` times, each in a fresh process (cold caches); it prints the
median per claim, the median total, and the ratio to the 5-minute budget of the issue.  The
naive route does not exist here (nothing else verifies these claims), so the yardstick is the
budget.  A benchmark, not a test: nothing is asserted on timings.

How to run::

    .venv/bin/python bench/bench_verify.py               # 3 repeats (about 3 minutes)
    .venv/bin/python bench/bench_verify.py --repeats 1
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

BUDGET_S = 300.0

_ONE_RUN = """
import json, time
from symbolic_eos.paper.claims import verify_paper
t = time.perf_counter()
v = verify_paper()
print(json.dumps({"total": time.perf_counter() - t, "claims": {r.id: r.seconds for r in v.results},
                  "status": {r.id: r.status for r in v.results}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    import json

    runs = []
    for i in range(args.repeats):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", _ONE_RUN], capture_output=True, text=True, check=True)
        run = json.loads(out.stdout.strip().splitlines()[-1])
        run["process"] = time.perf_counter() - start
        runs.append(run)
        print(f"run {i + 1}/{args.repeats}: {run['process']:.1f} s (process, start-up included)", file=sys.stderr)
    ids = list(runs[0]["claims"])
    print("| claim | status | median (s) |\n|---|---|---:|")
    for claim_id in ids:
        print(f"| {claim_id} | {runs[0]['status'][claim_id]} | {statistics.median(r['claims'][claim_id] for r in runs):.1f} |")
    total = statistics.median(r["process"] for r in runs)
    print(f"\nwhole verify-paper (median of {args.repeats}, process start-up included): {total:.1f} s; "
          f"budget {BUDGET_S:.0f} s; ratio to budget {total / BUDGET_S:.2f}")


if __name__ == "__main__":
    main()
