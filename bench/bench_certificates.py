"""Benchmark: base-model certificates (``symbolic_eos.analysis.certificates.certify_base_model``).

What it measures
----------------
For every model of the catalog, over its default range ([-10, 10] within the domain, or the
catalog's ``range``), the wall time of one certificate at the default settings (depth <= 32,
64-bit balls), median of ``--repeats`` runs after one warm-up run (the warm-up fills the caches
of the expression plans and constants).  It prints a Markdown table (model, boxes evaluated,
median seconds, summary) and the total of the medians.  A benchmark, not a test: nothing is
asserted on timings.

How to run::

    .venv/bin/python bench/bench_certificates.py               # 5 repeats
    .venv/bin/python bench/bench_certificates.py --repeats 1 --max-depth 40
"""

from __future__ import annotations

import argparse
import statistics
import time

from symbolic_eos.analysis.base_models import base_models
from symbolic_eos.analysis.certificates import certify_base_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--max-depth", type=int, default=32)
    parser.add_argument("--prec", type=int, default=64)
    args = parser.parse_args()
    rows, total = [], 0.0
    for m in base_models():
        certificate = certify_base_model(m, max_depth=args.max_depth, prec=args.prec)  # warm-up
        times = []
        for _ in range(max(1, args.repeats)):
            start = time.perf_counter()
            certify_base_model(m, max_depth=args.max_depth, prec=args.prec)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        total += median
        rows.append((m.name, str(certificate.boxes), f"{median:.3f}", certificate.summary))
    print(f"max_depth = {args.max_depth}, prec = {args.prec} bits, median of {args.repeats} runs\n")
    print("| model | boxes | median s | summary |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\ntotal of the medians: {total:.3f} s")


if __name__ == "__main__":
    main()
