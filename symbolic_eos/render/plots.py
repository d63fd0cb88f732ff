"""Figures (matplotlib, Agg backend): bifurcation diagrams, cobweb plots, trajectories, the
base-model certificates and the MLP run (the layers below compute; this module draws).

The pictures iterate GD in float64; they illustrate the certified numbers, they certify nothing.
matplotlib is imported only here, so the command line starts fast when no plot is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

import numpy as np
import sympy as sp

from ..core import arguments
from ..analysis.certificates import BaseModelCertificate, fmpq_text
from ..analysis.parameter_maps import ParameterMap
from ..dynamics.reports import OrbitReport, WindowReport
from ..errors import InputError
from ..core.jets import float_function
from ..core.numbers import short_decimal
from ..analysis.results import StabilityCheck

if TYPE_CHECKING:
    from ..paper.mlp import MlpExperiment

__all__ = ["bifurcation_diagram", "cobweb", "trajectories", "save_figure", "SUFFIXES", "plot_certificates", "plot_experiment",
           "plot_parameter_map"]

#: The file suffixes a plot may be written to (matplotlib's writers; no suffix means PNG).
SUFFIXES = ("", ".png", ".pdf", ".svg", ".svgz", ".eps", ".ps", ".jpg", ".jpeg", ".tif", ".tiff", ".webp",
            ".pgf", ".raw", ".rgba")


def _pyplot():
    try:
        import matplotlib
    except ImportError:  # pragma: no cover - matplotlib is a declared extra
        raise InputError("plots need matplotlib: pip install 'symbolic-eos[plot]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _gradient(check: StabilityCheck) -> Callable[[Any], Any]:
    """``f'`` as a float function, from the sympy loss the check ran on."""
    if check.loss is None:
        raise InputError("the check carries no loss expression to plot")
    symbol = sp.Symbol(check.variable)
    return float_function(sp.diff(check.loss, symbol), symbol)


#: The metadata that, set to None, removes a writer's software and date stamp.
_UNSTAMPED: dict[str, dict[str, None]] = {
    "png": {"Software": None},
    "svg": {"Creator": None, "Date": None},
    "svgz": {"Creator": None, "Date": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
    "ps": {"Creator": None},
    "eps": {"Creator": None},
}


def save_figure(fig: Any, path: str, dpi: int = 130, **options: Any) -> None:
    """Save the matplotlib figure ``fig`` to ``path`` (the format from its suffix, PNG by
    default) at ``dpi``, passing ``options`` to ``savefig``, through a temporary sibling, so an
    interrupted save leaves the previous file as it was.

    >>> import os, tempfile
    >>> plt = _pyplot()
    >>> fig = plt.figure(figsize=(1, 1))
    >>> path = os.path.join(tempfile.mkdtemp(), "f.svg")
    >>> save_figure(fig, path); plt.close(fig)
    >>> open(path).read(5)
    '<?xml'

    >>> save_figure(fig, path, dpi=0)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: dpi: expected an integer in [10, 2000], got 0
    """

    from .output import atomic_files, file_target

    path = arguments.path(path, "path", SUFFIXES)
    dpi = arguments.positive_int(dpi, "dpi", 10, 2000)
    if not hasattr(fig, "savefig") or not hasattr(fig, "canvas"):
        raise InputError(f"fig: expected a matplotlib figure, got {type(fig).__name__}")
    target = file_target(path)
    if not target.suffix:
        target = target.with_name(target.name + ".png")  # as matplotlib names it
    fmt = target.suffix[1:].lower()
    if fmt not in fig.canvas.get_supported_filetypes():
        raise InputError(f"cannot write the plot to {path!r}: unknown image format {fmt!r} "
                         f"(matplotlib writes {', '.join(sorted(fig.canvas.get_supported_filetypes()))})")
    with atomic_files(target) as (tmp,):
        # No software/version or date stamp: regenerated figures stay byte-identical on one setup.
        # Each writer knows its own keys and rejects the others', and some take none at all.
        stamp = _UNSTAMPED.get(fmt)
        fig.savefig(tmp, dpi=dpi, format=fmt, **({"metadata": stamp} if stamp else {}), **options)


def _save(fig: Any, path: str) -> None:
    save_figure(fig, path, bbox_inches="tight")


def bifurcation_diagram(report: WindowReport, path: str, n_eta: int = 500, n_iter: int = 1500, keep: int = 64) -> None:
    """Attractor of GD started next to the minimum of ``report`` (a window), against eta, saved
    as the PNG ``path``: ``n_eta`` learning rates, ``n_iter`` steps each, the last ``keep``
    drawn; eta0, the superstable point and the loss of stability marked.

    >>> import os, tempfile
    >>> from symbolic_eos import window
    >>> path = os.path.join(tempfile.mkdtemp(), "b.png")
    >>> bifurcation_diagram(window("(x**2 - 1)**2/4", at="1", digits=20), path, n_eta=20, n_iter=50, keep=8)
    >>> os.path.getsize(path) > 0
    True

    An orbit report has no window to sweep:

    >>> from symbolic_eos import orbit
    >>> bifurcation_diagram(orbit("(x**2 - 1)**2/4", "11/10", at="1", digits=20), path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: report: expected a WindowReport (from window), got OrbitReport OrbitReport(...)
    """
    report = arguments.instance(report, "report", WindowReport, "a WindowReport (from window)")
    path = arguments.path(path, "path", SUFFIXES)
    n_eta, n_iter = arguments.positive_int(n_eta, "n_eta", 2, 10**5), arguments.positive_int(n_iter, "n_iter", 1, 10**6)
    keep = arguments.positive_int(keep, "keep", 1, n_iter)
    plt = _pyplot()
    grad = _gradient(report.minimum)
    xb = float(report.minimum.point.enclosure(64).mid())
    critical = report.minimum.eta_critical
    eta0 = (float(critical.exact) if critical.exact is not None
            else float(critical.enclosure.mid()) if critical.enclosure is not None else float("nan"))
    marks = [("eta0", eta0, "k")]
    for name, ev, colour in (("superstable", report.superstable, "tab:green"), ("loss", report.loss, "tab:red")):
        if ev is not None and ev.certified:
            marks.append((name if name != "loss" else ev.kind.replace("_", " "), float(ev.eta.mid()), colour))
    right = max(v for _, v, _ in marks)
    span = max(right - eta0, 0.05 * abs(eta0))
    etas = np.linspace(eta0 - 0.1 * span, right + 0.35 * span, n_eta)
    scale = max(1.0, abs(xb))
    x = np.full_like(etas, xb + 1e-3 * scale)
    history = np.empty((keep, etas.size))
    with np.errstate(all="ignore"):
        for i in range(n_iter):
            x = x - etas * grad(x)
            x[~np.isfinite(x) | (np.abs(x - xb) > 50 * scale)] = np.nan
            if i >= n_iter - keep:
                history[i - (n_iter - keep)] = x
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(np.broadcast_to(etas, history.shape).ravel(), history.ravel(), ",", color="tab:blue", alpha=0.6)
    for name, value, colour in marks:
        ax.axvline(value, color=colour, lw=0.8, ls="--")
        ax.annotate(f"{name}\n{value:.6g}", (value, 1.0), xycoords=("data", "axes fraction"), fontsize=7,
                    ha="left", va="top", color=colour)
    ax.set_xlabel("learning rate eta")
    ax.set_ylabel("attractor of GD (last iterates)")
    ax.set_title(f"f(x) = {report.expression}, minimum x = {report.minimum.point.label}", fontsize=9)
    _save(fig, path)
    plt.close(fig)


def cobweb(report: OrbitReport, path: str, steps: int = 60) -> None:
    """Cobweb plot (``steps`` GD steps) near the first minimum of ``report`` with a 2-cycle,
    cycle points marked, saved as the PNG ``path``.

    >>> import os, tempfile
    >>> from symbolic_eos import orbit
    >>> path = os.path.join(tempfile.mkdtemp(), "c.png")
    >>> cobweb(orbit("(x**2 - 1)**2/4", "11/10", at="1", digits=20), path, steps=10)
    >>> os.path.getsize(path) > 0
    True

    Below eta0 = 1 no 2-cycle exists to draw:

    >>> cobweb(orbit("(x**2 - 1)**2/4", "9/10", at="1", digits=20), path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: no 2-cycle to plot: no 2-cycle is born here because the flip at eta0 = 1.00000000000 is supercritical...
    """
    report = arguments.instance(report, "report", OrbitReport, "an OrbitReport (from orbit)")
    path = arguments.path(path, "path", SUFFIXES)
    steps = arguments.positive_int(steps, "steps", 1, 10**5)
    plt = _pyplot()
    found = [r for r in report.results if r.cycle is not None]
    if not found:
        raise InputError("no 2-cycle to plot: " + "; ".join(r.message or "" for r in report.results))
    r = found[0]
    cycle = r.cycle
    assert cycle is not None  # found holds the results with a 2-cycle
    grad = _gradient(r.minimum)
    eta = float(sp.N(report.eta_value))
    a, b = (float(p.mid()) for p in cycle.points)
    xb = float(r.minimum.point.enclosure(64).mid())
    lo, hi = min(a, b, xb), max(a, b, xb)
    pad = 0.35 * (hi - lo)
    xs = np.linspace(lo - pad, hi + pad, 400)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot(xs, xs - eta * grad(xs), color="tab:blue", label="F(x) = x - eta f'(x)")
    ax.plot(xs, xs, color="0.5", lw=0.8, label="y = x")
    x = xb + 0.05 * (a - xb)
    path_x, path_y = [x], [x]
    for _ in range(steps):
        y = x - eta * float(grad(np.array([x]))[0])
        path_x += [x, y]
        path_y += [y, y]
        x = y
    ax.plot(path_x, path_y, color="tab:orange", lw=0.7, label="GD from near the minimum")
    ax.plot([a, b], [b, a], "o", color="tab:red", label="certified 2-cycle" if cycle.certified else "2-cycle (not certified)")
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_title(f"f(x) = {report.expression}, eta = {report.eta}", fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    _save(fig, path)
    plt.close(fig)


def trajectories(panels: Sequence[tuple[str, Mapping[str, Any], bool]], path: str, title: str) -> None:
    """Side-by-side time series of GD under ``title``, saved as the PNG ``path``: one panel per
    entry ``(ylabel, {label: values}, log_scale)`` of ``panels``.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "t.png")
    >>> trajectories([("loss", {"GD": [1.0, 0.5, 0.25]}, True)], path, "GD")
    >>> os.path.getsize(path) > 0
    True

    >>> trajectories([("loss", {"GD": [1.0, 0.5]}, True)], "t.txt", "GD")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: path: expected a file name ending in .png or .pdf or ... (or no suffix), got 't.txt'
    """
    panels = arguments.panels(panels, "panels")
    path, title = arguments.path(path, "path", SUFFIXES), arguments.text(title, "title", 2000)
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(panels), figsize=(4.6 * len(panels), 3.6), squeeze=False)
    for ax, (ylabel, series, log_scale) in zip(axes[0], panels, strict=True):
        for label, values in series.items():
            values = np.asarray(values, dtype=float)
            if log_scale:
                values = np.where(values > 0, values, np.nan)
            ax.plot(np.arange(values.size), values, lw=0.9, label=label)
        if log_scale:
            ax.set_yscale("log")
        ax.set_xlabel("GD step t")
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=7)
    fig.suptitle(title, fontsize=9)
    _save(fig, path)
    plt.close(fig)


_COLOURS = {"holds": "#2ca02c", "fails": "#d62728", "undecided": "#7f7f7f"}


def plot_certificates(certificates: Sequence[BaseModelCertificate], path: str, dpi: int = 120) -> None:
    """One horizontal bar per model over its range: green holds, red fails, grey undecided
    (undecided pieces too thin to see are also marked by a grey tick), for the given
    ``certificates``, saved to ``path`` (format from its extension) at ``dpi``.  The PNG bytes
    are deterministic for the same certificates (no software/date metadata, fixed dpi).

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "certificates.png")
    >>> from symbolic_eos.analysis.certificates import certify_base_model
    >>> certificates = [certify_base_model("exp", max_depth=4), certify_base_model("cube", max_depth=4)]
    >>> plot_certificates(certificates, path, dpi=40)
    >>> with open(path, "rb") as fh:
    ...     fh.read(4) == bytes([0x89]) + b"PNG"
    True

    >>> plot_certificates([], path)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: no certificates to plot
    """
    plt = _pyplot()
    from matplotlib.patches import Patch

    certificates = list(arguments.instances(certificates, "certificates", BaseModelCertificate,
                                            "a BaseModelCertificate (from certify_base_model)"))
    if not certificates:
        raise InputError("no certificates to plot")
    path, dpi = arguments.path(path, "path", SUFFIXES), arguments.positive_int(dpi, "dpi", 10, 2000)
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(certificates) + 1.2))
    for row, cert in enumerate(reversed(certificates)):
        for i in cert.intervals:
            lo, hi = float(fmpq_text(i.lo)), float(fmpq_text(i.hi))
            ax.broken_barh([(lo, hi - lo)], (row - 0.35, 0.7), facecolors=_COLOURS[i.status])
            if i.status == "undecided":
                ax.plot([(lo + hi) / 2] * 2, [row - 0.45, row + 0.45], color=_COLOURS["undecided"], lw=1.2)
    ax.set_yticks(range(len(certificates)))
    ax.set_yticklabels([f"{c.name}: {c.expression}" + (" *" if c.poster else "") for c in reversed(certificates)], fontsize=8)
    ax.set_xlabel("x")
    ax.set_title("L2 condition g' != 0 and g' g''' - 6 g''^2 < 0 (certified; * = on the poster)", fontsize=9)
    handles = [Patch(color=c, label=s) for s, c in _COLOURS.items()]
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    try:
        save_figure(fig, path, dpi=dpi, bbox_inches="tight")
    finally:
        plt.close(fig)


_MAP_COLOURS = {"holds": "#2ca02c", "fails": "#d62728", "undecided": "#7f7f7f", "excluded": "#ffffff"}


def _float_values(expr: sp.Expr, symbols: Sequence[sp.Symbol], axes: Sequence[Sequence[sp.Rational]]) -> Any:
    """``expr`` in float64 on the grid ``axes`` (one list of rationals per symbol; rows follow
    the second symbol), one exact substitution of the second coordinate per row: a drawing."""
    if len(symbols) == 1:
        return float_function(expr, symbols[0])(np.array([float(v) for v in axes[0]]))
    first = np.array([float(v) for v in axes[0]])
    return np.array([float_function(expr.subs(symbols[1], v), symbols[0])(first) for v in axes[1]])


def plot_parameter_map(result: ParameterMap, path: str, dpi: int = 120) -> None:
    """The cells of the parameter map ``result`` (from ``certify_parameter_map``) saved to
    ``path`` (format from its extension) at ``dpi``: for 2 parameters, coloured rectangles (holds
    green, fails red, undecided grey, excluded white hatched) under the boundary ``quantity = 0``
    (black); for 1 parameter, a strip like :func:`plot_certificates` with the boundary as black
    ticks.  The legend gives each status's share of the box.  The boundary is a drawing: the
    exact expression evaluated in float64 on a fine grid (a matplotlib contour); it decides
    nothing, the coloured cells are the certificate.  The PNG bytes are deterministic (no
    software/date metadata, fixed dpi).

    >>> import os, tempfile, sympy as sp
    >>> from symbolic_eos.analysis.parameter_maps import certify_parameter_map
    >>> a, b = sp.symbols("a b")
    >>> path = os.path.join(tempfile.mkdtemp(), "map.png")
    >>> plot_parameter_map(certify_parameter_map(108*a**2 - 24*b, (a, b), [(-1, 1), (-1, 1)], max_depth=4), path, dpi=40)
    >>> with open(path, "rb") as fh:
    ...     fh.read(4) == bytes([0x89]) + b"PNG"
    True

    >>> c = sp.Symbol("c")
    >>> plot_parameter_map(certify_parameter_map(a + b + c, (a, b, c), [(0, 1)] * 3, max_depth=1), path)
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: result: plot_parameter_map draws 1 or 2 parameters, the map has 3 (a, b, c)
    """
    plt = _pyplot()
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Patch, Rectangle

    result = arguments.instance(result, "result", ParameterMap, "a ParameterMap (from certify_parameter_map)")
    path, dpi = arguments.path(path, "path", SUFFIXES), arguments.positive_int(dpi, "dpi", 10, 2000)
    n = len(result.params)
    if n not in (1, 2):
        raise InputError(f"result: plot_parameter_map draws 1 or 2 parameters, the map has {n} ({', '.join(result.params)})")
    box = [(fmpq_text(lo), fmpq_text(hi)) for lo, hi in result.box]
    fig, ax = plt.subplots(figsize=(7, 5.5) if n == 2 else (8, 1.8))
    for status, colour in _MAP_COLOURS.items():
        rects = []
        for cell in result.of_status(status):
            (x0, x1), (y0, y1) = [(float(fmpq_text(lo)), float(fmpq_text(hi))) for lo, hi in cell.ends] + ([] if n == 2 else [(0.0, 1.0)])
            rects.append(Rectangle((x0, y0), x1 - x0, y1 - y0))
        if rects:
            hatched = status == "excluded"
            ax.add_collection(PatchCollection(rects, facecolor=colour, edgecolor="#999999" if hatched else "none",
                                              linewidth=0.0, hatch="//" if hatched else None))
    handles = [Patch(facecolor=c, edgecolor="#999999", hatch="//" if s == "excluded" else None,
                     label=f"{s}: {short_decimal(result.fraction(s) * 100, 4)}% (area {short_decimal(result.area(s), 6)})")
               for s, c in _MAP_COLOURS.items()]
    if result.expression is not None:
        steps = 400
        ends = [(sp.Rational(int(lo.p), int(lo.q)), sp.Rational(int(hi.p), int(hi.q))) for lo, hi in box]
        axes = [[lo + (hi - lo) * sp.Rational(j, steps) for j in range(steps + 1)] for lo, hi in ends]
        values = _float_values(result.expression, result.symbols, axes)
        finite = values[np.isfinite(values)]
        if finite.size and finite.min() < 0 < finite.max():
            xs = np.array([float(v) for v in axes[0]])
            if n == 2:
                ax.contour(xs, np.array([float(v) for v in axes[1]]), values, levels=[0.0], colors="black", linewidths=1.0)
            else:
                crossings = np.nonzero(np.diff(np.sign(values)) != 0)[0]
                for i in crossings:
                    ax.plot([(xs[i] + xs[i + 1]) / 2] * 2, [-0.1, 1.1], color="black", lw=1.0)
            handles.append(Patch(facecolor="none", edgecolor="black", label=f"{result.quantity} = 0 (drawn in floats)"))
    ax.set_xlim(float(box[0][0]), float(box[0][1]))
    ax.set_xlabel(result.params[0])
    if n == 2:
        ax.set_ylim(float(box[1][0]), float(box[1][1]))
        ax.set_ylabel(result.params[1])
    else:
        ax.set_ylim(-0.15, 1.15)
        ax.set_yticks([])
    condition = f"{result.quantity} > 0" + "".join(f", {r} > 0" for r in result.requires)
    ax.set_title(f"certified map of {condition}"[:120], fontsize=9)
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    try:
        save_figure(fig, path, dpi=dpi, bbox_inches="tight")
    finally:
        plt.close(fig)


def plot_experiment(result: MlpExperiment, directory: str) -> list[str]:
    """Three PNGs (matplotlib Agg) of the run ``result`` into ``directory``: loss, sharpness
    against ``2/eta``, and ``|cos(v1, grad)|``; file names ``mlp-<config>-{loss,sharpness,cosine}.png``.
    Returns their paths; all three are written or none.

    >>> import os, tempfile
    >>> from pathlib import Path
    >>> from symbolic_eos.paper.mlp import run_experiment
    >>> paths = plot_experiment(run_experiment("tiny"), tempfile.mkdtemp())
    >>> [os.path.basename(p) for p in paths]
    ['mlp-tiny-loss.png', 'mlp-tiny-sharpness.png', 'mlp-tiny-cosine.png']
    >>> all(Path(p).read_bytes()[:4] == bytes([0x89]) + b"PNG" for p in paths)
    True

    >>> plot_experiment(None, tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    symbolic_eos.errors.InputError: result: expected an MlpExperiment (from run_experiment), got NoneType None
    """
    import os

    plt = _pyplot()
    from .output import atomic_files

    result = arguments.attributes(result, "result", ("config", "losses", "tracked_steps", "sharpness", "cosines", "two_over_eta"),
                                  "an MlpExperiment (from run_experiment)")
    directory = arguments.path(directory, "directory")
    name = result.config.name
    figures = []
    specs = [
        ("loss", range(len(result.losses)), result.losses, "training loss (MSE)", True),
        ("sharpness", result.tracked_steps, result.sharpness, "sharpness (top Hessian eigenvalue)", False),
        ("cosine", result.tracked_steps, result.cosines, "|cos(v1, gradient)|", False),
    ]
    for key, xs, ys, label, log in specs:
        fig, ax = plt.subplots(figsize=(6, 3.5))
        ax.plot(list(xs), list(ys), lw=1)
        if key == "sharpness":
            ax.axhline(result.two_over_eta, color="k", ls="--", lw=1, label=f"2/eta = {result.two_over_eta:.4g}")
            ax.legend()
        if key == "cosine":
            ax.set_ylim(0, 1)
        if log:
            ax.set_yscale("log")
        ax.set_xlabel("GD step")
        ax.set_ylabel(label)
        ax.set_title(f"MLP ({name}, {result.dataset['name']}), eta = {result.eta:g}")
        fig.tight_layout()
        figures.append((os.path.join(directory, f"mlp-{name}-{key}.png"), fig))
    try:
        # All three or none: each is saved beside its target, and they are moved in together.
        with atomic_files(*(path for path, _ in figures)) as temps:
            for tmp, (_, fig) in zip(temps, figures, strict=True):
                fig.savefig(tmp, dpi=100, format="png", metadata={"Software": None})
    finally:
        for _, fig in figures:
            plt.close(fig)
    return [path for path, _ in figures]
