"""The command line: the only place that prints or exits.

``symbolic-eos check EXPR [--var x | --vars x,y] [--at X] [--range A B] [--params A,B] [--report FILE.md] [--json]``
``symbolic-eos l2 G --target Y [--at XBAR] [--range A B] [--json]``
``symbolic-eos orbit | window | existence | compose | counterexamples ...`` (see ``--help``)
``symbolic-eos quartic | xy | neuron | mf | mlp-experiment`` (the paper's settings)
``symbolic-eos verify-paper [--only IDS] [--json]``, ``symbolic-eos report [--out DIR]``

An ``EXPR``, ``G``, ``Q`` or ``P`` of ``-`` is read from standard input (at most
:data:`STDIN_LIMIT` bytes of UTF-8, stripped; one ``-`` per command).  With ``--json`` stdout is
one JSON object, valid against ``symbolic_eos/schema.json`` (the README's JSON section).

Bad input of every kind: one line on stderr, exit code 2 (with ``--json`` also
``{"error": ...}`` on stdout), never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from pathlib import Path

from . import __version__
from .errors import EosError
from typing import Any, Never, Protocol

__all__ = ["main", "build_parser", "EXIT_BAD_INPUT", "EXIT_INTERNAL"]

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3

#: The names of ``settings.mlp.CONFIGS``, spelt out so that ``--help`` needs no numpy import
#: (a test checks that the two agree).
MLP_CONFIGS = ("tiny", "small", "paper")
#: The most bytes an expression read from standard input (``-``) may have; the parser's own
#: limit (2000 characters) is far below, this only bounds what is read.
STDIN_LIMIT = 100_000
#: The arguments that are expressions, and so may be ``-`` (standard input).
_EXPRESSION_ARGS = ("expr", "g", "q", "p")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2 (JSON too with ``--json``), and an
    option is accepted only as ``--help`` spells it: an abbreviation such as ``window --eta 2``
    would silently mean ``--eta-max``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> Never:  # noqa: D401 - argparse API
        raise _UsageError(f"{message} (see {self.prog} --help)")


class _UsageError(Exception):
    pass


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print one JSON object (fields: the README's JSON section; "
                   "schema: symbolic_eos/schema.json)")


def build_parser() -> argparse.ArgumentParser:
    """The ``symbolic-eos`` argument parser: one sub-command per check (no parameters).

    >>> build_parser().parse_args(["check", "x**2/2 + x**3", "--at", "0"]).command
    'check'
    """
    parser = _Parser(
        prog="symbolic-eos",
        description="Certified checks of stable oscillation beyond the edge of stability "
        "(Chen & Bruna, two-step gradient updates).",
    )
    parser.add_argument("--version", action="version", version=f"symbolic-eos {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    c = sub.add_parser("check", help="check a 1-D loss at a minimum (or at every minimum in a range)")
    c.add_argument("expr", metavar="EXPR", help="the loss, e.g. '(x**2-1)**2/4' ('-': read from standard input)")
    c.add_argument("--var", default="x", help="the variable (default x)")
    c.add_argument("--vars", metavar="X,Y,...", help="several variables (multivariate check; needs --at 1,1,...)")
    c.add_argument("--at", metavar="X", help="exact point, e.g. 1, sqrt(2), pi, atanh(1/2)")
    c.add_argument("--range", nargs=2, metavar=("A", "B"), help="search range for minima (default -10 10)")
    c.add_argument("--params", metavar="A,B,...", help="parameters of a family of losses (needs --at, which may use them; "
                   "with --vars a multivariate family)")
    c.add_argument("--region", metavar="A=LO:HI,...", help="with --params: certify a map of this parameter box")
    c.add_argument("--plot", metavar="FILE.png", help="with --region: draw the parameter map")
    c.add_argument("--report", metavar="FILE.md", help="also write a Markdown report (with a figure) to FILE.md")
    _add_common(c)

    l2 = sub.add_parser("l2", help="check the L2 loss (g(x) - y)^2 at x_bar with g(x_bar) = y")
    l2.add_argument("g", metavar="G", help="the base model, e.g. 'tanh(x)' ('-': read from standard input)")
    l2.add_argument("--target", required=True, metavar="Y", help="the target value y (exact text)")
    l2.add_argument("--var", default="x", help="the variable (default x)")
    l2.add_argument("--at", metavar="XBAR", help="exact point with g(XBAR) = Y, e.g. atanh(1/2)")
    l2.add_argument("--range", nargs=2, metavar=("A", "B"), help="search range for x_bar (default -10 10)")
    l2.add_argument("--params", metavar="W,Y,...", help="parameters of a family of models (the target and --at may use them)")
    l2.add_argument("--region", metavar="W=LO:HI,...", help="with --params: certify a map of this parameter box")
    l2.add_argument("--plot", metavar="FILE.png", help="with --region: draw the parameter map")
    _add_common(l2)

    o = sub.add_parser("orbit", help="certified 2-cycles of GD at a learning rate eta")
    o.add_argument("expr", metavar="EXPR", help="the loss ('-': read from standard input)")
    o.add_argument("--eta", required=True, metavar="E", help="the learning rate (exact text, e.g. 11/10)")
    _add_point_options(o)
    o.add_argument("--vars", metavar="X,Y,...", help="several variables (needs --at 1,1,...)")
    o.add_argument("--digits", type=int, default=30, help="decimal digits (default 30; up to 20000)")
    o.add_argument("--plot", metavar="FILE", help="write a cobweb plot (PNG)")
    _add_common(o)

    w = sub.add_parser("window", help="the stability window of the 2-cycle born at eta0")
    w.add_argument("expr", metavar="EXPR", help="the loss ('-': read from standard input)")
    _add_point_options(w)
    w.add_argument("--digits", type=int, default=30, help="decimal digits (default 30)")
    w.add_argument("--eta-max", metavar="E", help="search eta up to E (default 2*eta0)")
    w.add_argument("--plot", metavar="FILE", help="write a bifurcation diagram (PNG)")
    _add_common(w)

    e = sub.add_parser("existence", help="check the paper's existence theorem at finite eps")
    e.add_argument("expr", metavar="EXPR", help="the loss ('-': read from standard input)")
    _add_point_options(e)
    e.add_argument("--digits", type=int, default=30, help="decimal digits (default 30)")
    _add_common(e)

    c2 = sub.add_parser("compose", help="the composition rule for Q(P(x)) at x = X (both written in x)")
    c2.add_argument("q", metavar="Q", help="outer model, e.g. 'log(x)' ('-': read from standard input)")
    c2.add_argument("p", metavar="P", help="inner model, e.g. 'exp(x)' ('-': read from standard input)")
    c2.add_argument("--at", required=True, metavar="X", help="the point x (exact text); Q is checked at P(X)")
    _add_common(c2)

    ce = sub.add_parser("counterexamples", help="search base-model pairs for violations of the naive composition rule")
    ce.add_argument("--budget", type=int, default=2000, help="maximum number of (pair, point) checks, 1 to 100000 (default 2000)")
    _add_common(ce)

    mf = sub.add_parser("mf", help="the paper's matrix factorisation: cross-section claim, GD oscillation")
    _add_common(mf)

    nr = sub.add_parser("neuron", help="the paper's single ReLU neuron: closed form, lambda1, GD")
    _add_common(nr)

    xy = sub.add_parser("xy", help="the paper's (xy-1)^2/2: reduction to the quartic, balancing")
    _add_common(xy)

    vp = sub.add_parser("verify-paper", help="run every claim of the paper to a status (about a minute)")
    vp.add_argument("--only", metavar="ID[,ID...]", help="run only these claim ids")
    vp.add_argument("--report", metavar="DIR", help="also write the Markdown report into DIR, from the same run")
    _add_common(vp)

    rp = sub.add_parser("report", help="run the claims and write the Markdown report with figures")
    rp.add_argument("--out", default="reports", metavar="DIR", help="output folder (default reports/)")
    rp.add_argument("--only", metavar="ID[,ID...]", help="run only these claim ids")
    rp.add_argument("--no-figures", action="store_true", help="write the Markdown only")
    _add_common(rp)

    ml = sub.add_parser("mlp-experiment", help="Obs. 1 and 2 on an MLP trained past the edge of stability")
    ml.add_argument("--config", default="small", choices=MLP_CONFIGS,
                    help="tiny (seconds, for tests), small (default, under 2 minutes) or paper (wider, longer)")
    ml.add_argument("--mnist", metavar="DIR", help="use MNIST IDX files in DIR instead of scikit-learn's 8x8 digits")
    ml.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ml.add_argument("--plots", metavar="DIR", help="write the figures (loss, sharpness, cosine) into DIR")
    _add_common(ml)

    q = sub.add_parser("quartic", help="the paper's quartic (x^2-1)^2/4: orbit equation, 1.121, basin")
    q.add_argument("--digits", type=int, default=30, help="decimal digits (default 30)")
    q.add_argument("--starts", type=int, default=200, help="grid points in (0, 1) for the basin check")
    _add_common(q)
    return parser


def _add_point_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--var", default="x", help="the variable (default x)")
    p.add_argument("--at", metavar="X", help="the minimum (exact text); default: every strict minimum in --range")
    p.add_argument("--range", nargs=2, metavar=("A", "B"), help="search range for minima (default -10 10)")


#: Commands that take seconds without a progress bar: a line on a terminal's stderr says what is happening.
_SLOW = {"counterexamples": "base-model pairs (about 3 s)"}


class _Progress:
    """A progress bar on a terminal's stderr; elsewhere one line per step (stderr, so JSON on
    stdout stays clean)."""

    def __init__(self, command: str, width: int = 28, lines: bool = True) -> None:
        self.command, self.width, self.tty, self.lines = command, width, sys.stderr.isatty(), lines

    def __call__(self, label: str, done: int, total: int) -> None:
        if self.tty:
            filled = self.width * done // max(total, 1)
            bar = "#" * filled + "-" * (self.width - filled)
            end = "\n" if done >= total else ""
            print(f"\r{self.command} [{bar}] {done}/{total} {label:<28.28}", end=end, file=sys.stderr, flush=True)
        elif self.lines and done < total:
            print(f"{self.command}: [{done + 1}/{total}] {label}", file=sys.stderr, flush=True)


def _claim_ids(text: str | None) -> list[str] | None:
    if text is None:
        return None
    ids = [i.strip() for i in text.split(",") if i.strip()]
    if not ids:
        raise _UsageError("--only needs at least one claim id (e.g. --only lemma2-l2,composition-rule)")
    return ids


def _writable_folder(path: str, option: str, whole: bool = False) -> None:
    """Fail before the work, not after it, and create nothing yet: the output is made where the
    folder is (``whole``: beside it, the folder being replaced whole), so that place must exist
    or be creatable, and take new entries."""
    folder = Path(path).absolute()
    if folder.exists() and not folder.is_dir():
        raise _UsageError(f"{option} {path!r} is a file, not a folder")
    if whole:
        from .render.report import check_report_folder

        check_report_folder(path)
    start = folder.parent if whole or not folder.exists() else folder
    anchor = next(p for p in (start, *start.parents) if p.exists())
    if not anchor.is_dir():
        raise _UsageError(f"{option} {path!r}: cannot create the folder ({str(anchor)!r} is a file)")
    if not os.access(anchor, os.W_OK | os.X_OK):
        raise _UsageError(f"{option} {path!r}: cannot write into {str(anchor)!r}")


def _read_stdin() -> str:
    """The expression on standard input: at most ``STDIN_LIMIT`` bytes, UTF-8, stripped (inner
    runs of whitespace become one space), not empty."""
    stream = getattr(sys.stdin, "buffer", sys.stdin)
    if stream is None:
        raise _UsageError("'-' reads the expression from standard input, but there is none")
    data = stream.read(STDIN_LIMIT + 1)
    if isinstance(data, str):  # a text stream without a byte buffer (e.g. io.StringIO)
        data = data.encode("utf-8", "surrogateescape")
    if len(data) > STDIN_LIMIT:
        raise _UsageError(f"standard input is longer than {STDIN_LIMIT} bytes; an expression is at most 2000 characters")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _UsageError(f"standard input is not valid UTF-8 (byte {exc.start})") from None
    text = " ".join(text.split())  # a line break inside is a space to the parser; one line in the output
    if not text:
        raise _UsageError("standard input is empty: '-' means the expression is read from it")
    return text


def _expressions_from_stdin(args: argparse.Namespace) -> None:
    """Replace an expression argument ``-`` by the text on standard input (at most one)."""
    dashes = [name for name in _EXPRESSION_ARGS if getattr(args, name, None) == "-"]
    if len(dashes) > 1:
        raise _UsageError("only one argument may be '-' (standard input)")
    if dashes:
        text = _read_stdin()
        setattr(args, dashes[0], text)
        if args.argv.count("-") == 1:  # so that a report's reproduce line shows the expression
            args.argv[args.argv.index("-")] = text


class _Result(Protocol):
    """What every command returns: a JSON object and a text for the terminal."""

    def to_dict(self) -> dict: ...

    def to_text(self) -> str: ...


def _plot_map(result: Any, path: str | None) -> None:
    if path is None:
        return
    if result.parameter_map is None:
        raise _UsageError("--plot draws the parameter map: give --region too")
    from .render.plots import plot_parameter_map

    plot_parameter_map(result.parameter_map, path)


def _check(args: argparse.Namespace) -> _Result:
    """``check``: one loss at a point or over a range, a multivariate loss, or a family (1-D or
    multivariate, with its map); ``--report`` writes the page of any of them."""
    from .api import check, check_family, check_multivariate

    if args.params is None and (args.region is not None or args.plot is not None):
        raise _UsageError("--region and --plot map a family: give --params too")
    if args.vars is not None and args.at is None:
        raise _UsageError("a multivariate check needs --at (one coordinate per variable, e.g. --at 1,1; they may use the "
                          "parameters)")
    if args.params is not None and args.vars is None and args.at is None:
        raise _UsageError("a family needs --at (the point; it may depend on the parameters, e.g. --at 'sqrt(a)')")
    if args.params is not None and args.vars is not None:
        if args.region is not None or args.plot is not None:
            raise _UsageError("--region and --plot map a 1-D family; a multivariate family has no map yet")
        result: Any = check_multivariate(args.expr.strip(), args.vars, args.at, params=args.params)
    elif args.params is not None:
        result = check_family(args.expr.strip(), args.params, args.at, var=args.var, region=args.region)
        _plot_map(result, args.plot)
    elif args.vars is not None:
        result = check_multivariate(args.expr.strip(), args.vars, args.at)
    else:
        result = check(args.expr.strip(), var=args.var, at=args.at, range=args.range)
    if args.report:
        from .render.report import check_report

        check_report(result, args.report, command="symbolic-eos " + shlex.join(args.argv))
    return result


def _run(args: argparse.Namespace) -> _Result:
    from .api import check_l2

    if getattr(args, "at", None) is not None and getattr(args, "range", None) is not None:
        raise _UsageError("give either --at (one point) or --range (a search), not both")

    if args.command in _SLOW and sys.stderr.isatty():
        print(f"symbolic-eos {args.command}: {_SLOW[args.command]} ...", file=sys.stderr, flush=True)

    if args.command == "check":
        return _check(args)
    if args.command in ("verify-paper", "report"):
        from .paper.claims import verify_paper

        out = args.out if args.command == "report" else args.report
        if out is not None:
            _writable_folder(out, "--out" if args.command == "report" else "--report", whole=True)

        verification = verify_paper(_claim_ids(args.only), progress=_Progress(args.command))
        if out is not None:
            from .render.report import WrittenReport, write_report

            figures = not getattr(args, "no_figures", False)
            files = write_report(verification, out, figures=figures, progress=_Progress("figures"))
            return WrittenReport(verification, files)
        return verification
    if args.command == "mlp-experiment":
        from .render.plots import plot_experiment
        from .paper.mlp import run_experiment

        if args.plots:
            _writable_folder(args.plots, "--plots")
        bar = _Progress("mlp-experiment", lines=False)
        experiment = run_experiment(args.config, mnist_dir=args.mnist, seed=args.seed,
                                    progress=lambda label, fraction: bar(label, int(100 * fraction), 100))
        if args.plots:
            plot_experiment(experiment, args.plots)
        return experiment
    if args.command == "l2" and args.params is not None:
        from .api import check_l2_family

        if args.range is not None:
            raise _UsageError("--range searches one model; a family is solved for x_bar or takes --at")
        l2_family = check_l2_family(args.g.strip(), args.target.strip(), args.params, var=args.var, at=args.at, region=args.region)
        _plot_map(l2_family, args.plot)
        return l2_family
    if args.command == "l2":
        if args.region is not None or args.plot is not None:
            raise _UsageError("--region and --plot map a family: give --params too")
        return check_l2(args.g.strip(), args.target.strip(), var=args.var, at=args.at, range=args.range)
    if args.command == "orbit" and args.vars is not None:
        from .api import multivariate_orbit

        if args.at is None:
            raise _UsageError("a multivariate orbit needs --at (one coordinate per variable, e.g. --at 1,1)")
        if args.plot:
            raise _UsageError("--plot draws 1-D cobwebs only")
        return multivariate_orbit(args.expr.strip(), args.vars, args.at, args.eta, args.digits)
    if args.command == "orbit":
        from .api import orbit

        report = orbit(args.expr.strip(), args.eta, var=args.var, at=args.at, digits=args.digits, range=args.range)
        if args.plot:
            from .render.plots import cobweb

            cobweb(report, args.plot)
        return report
    if args.command == "window":
        from .api import window

        window_report = window(args.expr.strip(), var=args.var, at=args.at, digits=args.digits, eta_max=args.eta_max,
                               range=args.range)
        if args.plot:
            from .render.plots import bifurcation_diagram

            bifurcation_diagram(window_report, args.plot)
        return window_report
    if args.command == "existence":
        from .api import existence

        return existence(args.expr.strip(), var=args.var, at=args.at, digits=args.digits, range=args.range)
    if args.command == "compose":
        from .api import compose

        return compose(args.q.strip(), args.p.strip(), args.at)
    if args.command == "counterexamples":
        from .analysis.composition import find_counterexamples

        return find_counterexamples(args.budget)
    if args.command == "mf":
        from .paper.matrix_factorization import mf_report

        return mf_report(progress=_Progress("mf", lines=False))
    if args.command == "neuron":
        from .paper.neuron import neuron_report

        return neuron_report(progress=_Progress("neuron", lines=False))
    if args.command == "xy":
        from .paper.xy import xy_report

        return xy_report()
    if args.command == "quartic":
        from .paper.quartic import quartic_report

        if not 1 <= args.starts <= 5000:
            raise _UsageError("--starts must be between 1 and 5000")
        return quartic_report(digits=args.digits, n_starts=args.starts, progress=_Progress("quartic", lines=False))
    raise _UsageError("choose a command (check, l2, orbit, window, existence, compose, counterexamples, quartic, xy, neuron, mf, "
                      "verify-paper, report, mlp-experiment); see symbolic-eos --help")


def _protect_negative(arg: str) -> str:
    """``-x**2`` or ``-1`` is an expression, not an option: a leading space keeps argparse from
    reading it as one, and the parser ignores the space."""
    if len(arg) > 1 and arg[0] == "-" and arg[1] != "-" and arg != "-h":
        return " " + arg
    return arg


#: The command-line flag of each Python parameter a library message may name (in backticks).
_FLAGS = {"at": "--at", "digits": "--digits", "eta": "--eta", "eta_max": "--eta-max", "vars_text": "--vars", "var": "--var",
          "range": "--range", "target": "--target", "params": "--params", "region": "--region", "budget": "--budget", "starts": "--starts"}


def _with_flags(exc: EosError) -> str:
    """The message of ``exc`` with each parameter it names (```digits```) as its flag (``--digits``).

    >>> from symbolic_eos.errors import InputError
    >>> _with_flags(InputError("`digits` must be between 5 and 20000, not 3", parameters=("digits",)))
    '--digits must be between 5 and 20000, not 3'
    """
    message = str(exc)
    for name in getattr(exc, "parameters", ()):
        message = message.replace(f"`{name}`", _FLAGS.get(name, name))
    return message


def _fail(message: str, as_json: bool, code: int) -> int:
    message = " ".join(str(message).split())  # one line, whatever the cause
    if as_json:
        print(json.dumps({"error": message}))
    print(f"symbolic-eos: error: {message}", file=sys.stderr)
    return code


#: The most digits an exact integer may have when printed. Python refuses more than 4300 by
#: default (a guard against quadratic conversions of unbounded input); the parser bounds degrees
#: and constants, so the exact values of accepted input stay far below this, which costs < 0.2 s.
INT_DIGITS = 100_000


def _allow_long_integers() -> None:
    """The CLI owns its process, so it may lift the guard (library code never does)."""
    current = sys.get_int_max_str_digits()
    if 0 < current < INT_DIGITS:
        sys.set_int_max_str_digits(INT_DIGITS)


def _internal(exc: Exception, as_json: bool) -> int:
    """A bug: still one line, but say so, unless debugging."""
    if os.environ.get("SYMBOLIC_EOS_DEBUG"):
        raise exc
    return _fail(f"internal error ({type(exc).__name__}: {exc}); please report it", as_json, EXIT_INTERNAL)


def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``) and return the exit code: 0,
    2 (:data:`EXIT_BAD_INPUT`: one line on stderr) or 3 (:data:`EXIT_INTERNAL`).

    >>> main(["check", "(x**2-1)**2/4", "--at", "1", "--json"])  # doctest: +ELLIPSIS
    {
      "point": "1.0000000000000000000",
    ...
    0

    Bad input is refused with exit code 2 (the same line goes to stderr; ``--json`` also prints it as
    ``{"error": ...}``):

    >>> main(["orbit", "(x**2-1)**2/4", "--eta", "-1", "--at", "1", "--json"])  # refused: a negative eta
    {"error": "the learning rate must be a finite positive number, not -1"}
    2
    """
    argv = sys.argv[1:] if argv is None else argv
    as_json = "--json" in argv
    _allow_long_integers()
    try:
        args = build_parser().parse_args([_protect_negative(a) for a in argv])
        args.argv = list(argv)
        _expressions_from_stdin(args)
        if args.command is None:
            raise _UsageError("choose a command: check, l2, orbit, window, existence, compose, counterexamples, quartic, xy, neuron, "
                              "mf, verify-paper, report, mlp-experiment (see symbolic-eos --help)")
        result = _run(args)
        # rendered here, inside the guard: turning a huge exact value into text can fail too
        text = json.dumps(result.to_dict(), indent=2) if as_json else result.to_text()
    except _UsageError as exc:
        return _fail(str(exc), as_json, EXIT_BAD_INPUT)
    except EosError as exc:
        return _fail(_with_flags(exc), as_json, EXIT_BAD_INPUT)
    except (RecursionError, MemoryError, OverflowError) as exc:
        return _fail(f"input too large or too deeply nested ({type(exc).__name__})", as_json, EXIT_BAD_INPUT)
    except ValueError as exc:
        if "integer string conversion" not in str(exc):
            return _internal(exc, as_json)
        return _fail(f"input too large: a value would have more than {INT_DIGITS} digits", as_json, EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        return _fail("interrupted", as_json, 130)
    except Exception as exc:
        return _internal(exc, as_json)
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stdout = None
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
