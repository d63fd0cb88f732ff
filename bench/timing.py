"""The benchmarks' one timing helper: the median wall time of repeated runs after a warm-up run."""

from __future__ import annotations

import statistics
import time
from typing import Any, Callable


def median_run(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """The median seconds of ``repeats`` calls of ``run`` after one warm-up call (which fills the
    parse and plan caches), and the last result."""
    out = run()
    times = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out
