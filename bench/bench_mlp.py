"""Benchmarks for the MLP experiment (issue 7); prints medians.

* the ``small`` config end to end (``run_experiment("small")``, one BLAS thread);
* one exact Hessian-vector product (Taylor mode, forward-over-reverse) against the naive route
  of building the dense Hessian by central finite differences of the gradient (``2P`` gradient
  evaluations) and multiplying: the ratio is the speed-up per product;
* the certified (arb) directional jet at the small config's size.

Run: ``.venv/bin/python bench/bench_mlp.py [--quick]`` (``--quick`` skips the end-to-end run).
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from symbolic_eos.paper import mlp


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from threadpoolctl import threadpool_limits

    quick = "--quick" in sys.argv
    cfg = mlp.CONFIGS["small"]
    with threadpool_limits(1):
        data, x, y = mlp._prepare(cfg, None)
        net = mlp.Mlp((x.shape[1],) + cfg.hidden + (data.classes,))
        rng = np.random.default_rng(0)
        theta = net.init(rng)
        v = rng.standard_normal(net.size)
        v /= np.linalg.norm(v)
        p = net.size

        hvp = median_time(lambda: net.hvp(theta, v, x, y), 21)
        grad = median_time(lambda: net.loss_and_grad(theta, x, y), 21)

        def dense_fd():
            h = 1e-5
            hess = np.empty((p, p))
            e = np.zeros(p)
            for i in range(p):
                e[i] = h
                hess[:, i] = (net.loss_and_grad(theta + e, x, y)[1] - net.loss_and_grad(theta - e, x, y)[1]) / (2 * h)
                e[i] = 0.0
            return hess @ v

        naive = median_time(dense_fd, 3)
        balls = median_time(lambda: net.loss_series_balls(theta, v, x, y, 128), 3)
        print(f"MLP {'-'.join(map(str, net.widths))} on {data.samples} digits, P = {p} parameters (medians, 1 BLAS thread)")
        print(f"  gradient (loss and grad)                 {grad * 1e3:9.2f} ms")
        print(f"  exact HVP (forward-over-reverse)         {hvp * 1e3:9.2f} ms")
        print(f"  naive: dense Hessian by central FD, H v  {naive * 1e3:9.1f} ms   ({naive / hvp:.0f}x the exact HVP)")
        print(f"  certified jet L''..L'''' (arb, 128 bits) {balls * 1e3:9.1f} ms")
        if not quick:
            total = median_time(lambda: mlp.run_experiment("small"), 3)
            print(f"  run_experiment('small') end to end       {total:9.1f} s")


if __name__ == "__main__":
    main()
