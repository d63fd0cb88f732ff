"""Benchmark: the Taylor engine against the naive route (iterated sympy ``diff``).

What it measures
----------------
For a deterministic family of nested compositions of base models, depth d = 1..8 (d = number of
nested function applications), the time to get the Taylor coefficients
``c_j = f^(j)(xb)/j!``, ``0 <= j <= K`` with ``K = 8``, at ``xb = 1/3``:

* **engine**: ``symbolic_eos.core.jets.ball_coefficients(expr, x, arb(1/3), order=8, prec=64)``
  (truncated power-series arithmetic in python-flint; certified balls), median of many repeats
  after one warm-up call;
* **naive**: differentiate the whole expression with sympy 8 times; each derivative is
  ``.subs(x, 1/3).evalf(20)`` and divided by ``j!``.  Each naive run happens in a fresh child
  process with sympy's cache cleared (so repeats do not hit the cache of an earlier run) and a
  hard time budget (default 20 s): a run over budget is killed, recorded as "> budget", and no
  naive runs are made at deeper depths (the engine is still timed there).

While timing, every naive value is checked against the engine's ball (column "agree"): it must
satisfy ``|mid - naive| <= rad + 1e-15 * max(1, |naive|)`` for every j.

The script prints a Markdown table (depth, expression, engine median, naive median, ratio,
agree), the expressions in full, and a one-line verdict on the target "engine >= 1000x faster
than naive at depth >= 3".  It is a benchmark, not a test: nothing is asserted on timings.

How to run
----------
``make bench`` runs ``.venv/bin/python bench/bench_jets.py`` and then
``.venv/bin/python bench/bench_check.py``.  Directly::

    .venv/bin/python bench/bench_jets.py            # depths 1..8 (about a minute)
    .venv/bin/python bench/bench_jets.py --quick    # depths 1..5, fewer repeats
    .venv/bin/python bench/bench_jets.py --budget 10 --engine-repeats 100
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import platform
import statistics
import sys
import time

import sympy as sp
from flint import arb, ctx, fmpq

from symbolic_eos.core.jets import ball_coefficients
from symbolic_eos.core.parse import parse_expression, parse_variable_name

ORDER = 8  # K: coefficients c_0..c_8
PREC = 64  # bits for the engine's balls
XB = (1, 3)  # the point xb = 1/3
TARGET_RATIO = 1000.0
TARGET_FROM_DEPTH = 3

#: Layers applied innermost first; depth d applies the first d of them (cycling).  Scalings keep
#: every intermediate value real and moderate; ``log(2 + u**2)`` is defined for every real u.
LAYERS: tuple[tuple[str, str], ...] = (
    ("sin", "sin({u})"),
    ("tanh", "tanh(2*{u})"),
    ("exp", "exp({u}/3)"),
    ("log", "log(2 + ({u})**2)"),
    ("sigmoid", "sigmoid(3*{u})"),
    ("atan", "atan(2*{u})"),
    ("poly", "({u})**2 + {u}/2"),
    ("erf", "erf({u})"),
)


def composition(depth: int) -> tuple[str, str]:
    """``(text, short name)`` of the depth-``depth`` composition, e.g. ``exp∘tanh∘sin``."""
    text, names = "x", []
    for i in range(depth):
        name, template = LAYERS[i % len(LAYERS)]
        text = template.format(u=text)
        names.append(name)
    return text, "∘".join(reversed(names))


# ---------------------------------------------------------------------------------------------


def engine_coefficients(expr: sp.Expr, var: sp.Symbol) -> tuple[arb, ...]:
    return ball_coefficients(expr, var, arb(fmpq(*XB)), ORDER, PREC)


def naive_coefficients(expr: sp.Expr, var: sp.Symbol) -> list[sp.Float]:
    """The naive route: iterated ``diff`` of the whole expression, evaluated at xb."""
    xb = sp.Rational(*XB)
    out = []
    d = expr
    for j in range(ORDER + 1):
        if j:
            d = sp.diff(d, var)
        out.append(d.subs(var, xb).evalf(20) / math.factorial(j))
    return out


def time_engine(expr: sp.Expr, var: sp.Symbol, repeats: int) -> tuple[float, tuple[arb, ...]]:
    balls = engine_coefficients(expr, var)  # warm-up (imports, first-call costs)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        balls = engine_coefficients(expr, var)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), balls


def _naive_child(text: str, conn) -> None:
    """Child process: one cold naive run; sends (seconds, [values as strings]) or an error."""
    try:
        var = parse_variable_name("x")
        expr = parse_expression(text)
        sp.core.cache.clear_cache()
        t0 = time.perf_counter()
        values = naive_coefficients(expr, var)
        elapsed = time.perf_counter() - t0
        conn.send(("ok", elapsed, [sp.sstr(v, full_prec=True) for v in values]))
    except BaseException as exc:  # report, never hang the parent
        conn.send(("error", 0.0, f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _context():
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def naive_run(text: str, budget: float) -> tuple[str, float, object]:
    """One naive run in a child process, killed after ``budget`` seconds.

    Returns ``("ok", seconds, values)``, ``("timeout", budget, None)`` or ``("error", 0, msg)``."""
    ctx_mp = _context()
    parent, child = ctx_mp.Pipe(duplex=False)
    proc = ctx_mp.Process(target=_naive_child, args=(text, child), daemon=True)
    proc.start()
    child.close()
    try:
        if parent.poll(budget):
            status, elapsed, payload = parent.recv()
            proc.join(5)
            return status, elapsed, payload
        return "timeout", budget, None
    except EOFError:
        return "error", 0.0, f"naive child exited with code {proc.exitcode}"
    finally:
        if proc.is_alive():
            proc.terminate()  # only the child this function started
            proc.join(5)
        parent.close()


def agrees(balls: tuple[arb, ...], naive: list[str]) -> tuple[bool, float]:
    """Every naive value within its ball (up to 1e-15 relative); also the worst excess ratio."""
    ok, worst = True, 0.0
    with ctx.workprec(256):
        for ball, text in zip(balls, naive, strict=True):
            v = arb(text)
            gap = abs(ball.mid() - v)
            allowed = ball.rad() + arb("1e-15") * max(arb(1), abs(v))
            if not bool(gap <= allowed):
                ok = False
            ratio = float((gap / allowed).mid()) if bool(allowed > 0) else 0.0
            worst = max(worst, ratio)
    return ok, worst


# ---------------------------------------------------------------------------------------------


def run(max_depth: int, engine_repeats: int, naive_max_repeats: int, budget: float) -> list[dict]:
    var = parse_variable_name("x")
    rows = []
    naive_stopped = False
    for depth in range(1, max_depth + 1):
        text, short = composition(depth)
        row = {"depth": depth, "text": text, "short": short, "naive": None, "naive_status": "skipped"}
        try:
            expr = parse_expression(text)
            row["engine"], balls = time_engine(expr, var, engine_repeats)
        except Exception as exc:  # report an engine failure in the table, keep going
            row["engine"], balls = None, None
            row["engine_error"] = f"{type(exc).__name__}: {exc}"
        if not naive_stopped:
            times, values, status = [], None, "ok"
            while len(times) < naive_max_repeats:
                status, elapsed, payload = naive_run(text, budget)
                if status != "ok":
                    break
                times.append(elapsed)
                values = payload
                # an expensive route gets fewer repeats: stop once another would blow the budget
                if sum(times) + elapsed > budget:
                    break
            row["naive_status"] = status if not times else "ok"
            if status == "error":
                row["naive_error"] = payload
            if times:
                row["naive"] = statistics.median(times)
                row["naive_repeats"] = len(times)
                if balls is not None:
                    row["agree"], row["worst"] = agrees(balls, values)
            if status in ("timeout", "error"):
                naive_stopped = True  # deeper compositions only cost more
        rows.append(row)
        print(f"  depth {depth}: engine {_ms(row['engine'])} ms, naive {_naive_cell(row, budget)}",
              file=sys.stderr, flush=True)
    return rows


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "error"
    ms = seconds * 1e3
    return f"{ms:.3g}" if ms < 100 else f"{ms:,.0f}"


def _naive_cell(row: dict, budget: float) -> str:
    if row["naive"] is not None:
        return f"{_ms(row['naive'])} (n={row['naive_repeats']})"
    return {"timeout": f"> budget ({budget:g} s)", "skipped": "not run (over budget at a smaller depth)",
            "error": "error"}.get(row["naive_status"], row["naive_status"])


def _ratio_cell(row: dict, budget: float) -> str:
    if row["engine"] is None:
        return "—"
    if row["naive"] is not None:
        return f"{row['naive'] / row['engine']:,.0f}x"
    if row["naive_status"] == "timeout":
        return f"> {budget / row['engine']:,.0f}x"
    return "—"


def _agree_cell(row: dict) -> str:
    if "agree" not in row:
        return "n/a"
    return "yes" if row["agree"] else f"NO (worst gap/allowed = {row['worst']:.3g})"


def report(rows: list[dict], budget: float, engine_repeats: int) -> None:
    print(f"## Taylor engine vs naive iterated diff: K = {ORDER}, xb = {XB[0]}/{XB[1]}, "
          f"engine prec = {PREC} bits")
    print()
    print(f"Python {platform.python_version()}, sympy {sp.__version__}, "
          f"engine median of {engine_repeats} runs, naive median of 1-3 cold runs "
          f"(budget {budget:g} s per run).")
    print()
    print("| depth | expression (short) | engine median (ms) | naive median (ms) | ratio naive/engine | agree |")
    print("|---:|---|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['depth']} | `{r['short']}` | {_ms(r['engine'])} | {_naive_cell(r, budget)} | "
              f"{_ratio_cell(r, budget)} | {_agree_cell(r)} |")
    print()
    print("Expressions (x is the variable):")
    for r in rows:
        print(f"- depth {r['depth']}: `{r['text']}`")
        if "engine_error" in r:
            print(f"  - engine error: {r['engine_error']}")
        if "naive_error" in r:
            print(f"  - naive error: {r['naive_error']}")
    print()
    deep = [r for r in rows if r["depth"] >= TARGET_FROM_DEPTH]
    measured = [r for r in deep if r["engine"] is not None and r["naive"] is not None]
    bounded = [r for r in deep if r["engine"] is not None and r["naive"] is None and r["naive_status"] == "timeout"]
    failures = [r for r in deep if r["engine"] is None]
    ratios = [r["naive"] / r["engine"] for r in measured]
    lower = [budget / r["engine"] for r in bounded]
    met = bool(measured or bounded) and not failures and all(x >= TARGET_RATIO for x in ratios + lower)
    parts = []
    if ratios:
        parts.append(f"smallest measured ratio {min(ratios):,.0f}x")
    if lower:
        parts.append(f"> {min(lower):,.0f}x where naive exceeded the budget")
    if failures:
        parts.append(f"engine failed at depths {[r['depth'] for r in failures]}")
    skipped = [r["depth"] for r in deep if r["naive"] is None and r["naive_status"] == "skipped"]
    note = f"; naive not run at depths {skipped} (over budget at a smaller depth)" if skipped else ""
    print(f"Target \"engine >= {TARGET_RATIO:,.0f}x faster than naive at depth >= {TARGET_FROM_DEPTH}\": "
          f"{'MET' if met else 'NOT MET'} ({'; '.join(parts) or 'nothing measured'}{note}).")
    disagree = [r["depth"] for r in rows if r.get("agree") is False]
    if disagree:
        print(f"WARNING: naive values outside the engine's balls at depths {disagree}.")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="depths 1..5, fewer repeats")
    p.add_argument("--max-depth", type=int, default=None, help="largest depth (default 8; 5 with --quick)")
    p.add_argument("--engine-repeats", type=int, default=None, help="engine repeats (default 50; 10 with --quick)")
    p.add_argument("--budget", type=float, default=20.0, help="seconds allowed for one naive run (default 20)")
    args = p.parse_args(argv)
    max_depth = args.max_depth or (5 if args.quick else 8)
    engine_repeats = args.engine_repeats or (10 if args.quick else 50)
    naive_max_repeats = 1 if args.quick else 3
    t0 = time.perf_counter()
    rows = run(max_depth, engine_repeats, naive_max_repeats, args.budget)
    report(rows, args.budget, engine_repeats)
    print(f"\n(total bench time {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
