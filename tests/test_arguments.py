"""The Python API raises only EosError subclasses on bad arguments (issue 13, item 5).

Every public entry point is called with bad arguments of each kind (None, bool, float, a wrong
container, zero/negative/huge counts, wrong-length tuples, unknown names): the result must be an
``InputError`` whose message names the parameter.  A property test throws arbitrary objects at
the entry points (only ``EosError`` or a normal result may come out), and the acceptance tests
check that ints, Fractions and sympy numbers give the same results as the text for them.

This file imports nothing but the entry points and the errors, so that it runs unchanged
against an older package (where it fails: the refusals were AttributeError, TypeError, ...).
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbolic_eos import api
from symbolic_eos.analysis import base_models, certificates, composition
from symbolic_eos.dynamics import basin, reports as dynamics, existence
from symbolic_eos.paper import claims, datasets
from symbolic_eos.analysis import check, minima
from symbolic_eos.multi import check as multi_check, cycles as multi_cycles
from symbolic_eos.core import parse
from symbolic_eos.render import plots, report
from symbolic_eos.errors import EosError, InputError
from symbolic_eos.paper import matrix_factorization as mf
from symbolic_eos.paper import mlp, neuron, quartic, xy

from .profiles import examples

QUARTIC = "(x**2 - 1)**2/4"
X = sp.Symbol("x")


@lru_cache(maxsize=None)
def _window() -> Any:
    return api.window(QUARTIC, at="1", digits=20)


@lru_cache(maxsize=None)
def _orbit() -> Any:
    return api.orbit(QUARTIC, "11/10", at="1", digits=20)


@lru_cache(maxsize=None)
def _certificate() -> Any:
    return certificates.certify_base_model("exp", max_depth=2, max_boxes=50)


@lru_cache(maxsize=None)
def _verification() -> Any:
    return claims.verify_paper(only=["lemma1-higher-order"])


@lru_cache(maxsize=None)
def _check() -> Any:
    return api.check("x**2/2 + x**3", at="0")


def _figure() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.figure(figsize=(1, 1))


def _eq() -> Any:
    return minima.Equation(X**2, X, 1)


#: (parameter named in the message, call).  Each call is cheap: the bad argument is refused at
#: the entry, before any work.
BAD: list[tuple[str, Callable[[], Any]]] = [
    # check (the 1-D and L2 pipelines)
    ("text", lambda: api.check(None, at="0")),
    ("text", lambda: api.check(5, at="0")),
    ("var", lambda: api.check("x**2", var=None, at="0")),
    ("var", lambda: api.check("x**2", var=True, at="0")),
    ("at", lambda: api.check(QUARTIC, at=0.5)),
    ("at", lambda: api.check(QUARTIC, at=True)),
    ("at", lambda: api.check(QUARTIC, at=[1])),
    ("at", lambda: api.check(QUARTIC, at={"x": 1})),
    ("at", lambda: api.check(QUARTIC, at=sp.Symbol("y"))),
    ("at", lambda: api.check(QUARTIC, at=sp.Float(0.5))),
    ("range", lambda: api.check(QUARTIC, range=5)),
    ("range", lambda: api.check(QUARTIC, range=("0",))),
    ("range", lambda: api.check(QUARTIC, range=("0", "1", "2"))),
    ("range", lambda: api.check(QUARTIC, range=(0.5, 2))),
    ("range", lambda: api.check(QUARTIC, range=(None, 2))),
    ("range", lambda: api.check(QUARTIC, range="0,2")),
    ("g_text", lambda: api.check_l2(None, "1")),
    ("target", lambda: api.check_l2("exp(x)", None)),
    ("target", lambda: api.check_l2("exp(x)", 0.5)),
    ("at", lambda: api.check_l2("exp(x)", "2", at=0.7)),
    ("range", lambda: api.check_l2("exp(x)", "2", range=5)),
    ("var", lambda: api.check_l2("exp(x)", "2", var=3)),
    # dynamics, existence
    ("text", lambda: api.orbit(None, "11/10", at="1")),
    ("eta", lambda: api.orbit(QUARTIC, None, at="1")),
    ("eta", lambda: api.orbit(QUARTIC, 1.1, at="1")),
    ("eta", lambda: api.orbit(QUARTIC, True, at="1")),
    ("at", lambda: api.orbit(QUARTIC, "11/10", at=1.0)),
    ("digits", lambda: api.orbit(QUARTIC, "11/10", at="1", digits="30")),
    ("digits", lambda: api.orbit(QUARTIC, "11/10", at="1", digits=True)),
    ("digits", lambda: api.orbit(QUARTIC, "11/10", at="1", digits=10**9)),
    ("digits", lambda: api.orbit(QUARTIC, "11/10", at="1", digits=-1)),
    ("range", lambda: api.orbit(QUARTIC, "11/10", range=5)),
    ("var", lambda: api.orbit(QUARTIC, "11/10", var=1, at="1")),
    ("text", lambda: api.window(None, at="1")),
    ("at", lambda: api.window(QUARTIC, at=0.5)),
    ("eta_max", lambda: api.window(QUARTIC, at="1", eta_max=1.5)),
    ("digits", lambda: api.window(QUARTIC, at="1", digits=None)),
    ("range", lambda: api.window(QUARTIC, range=[1])),
    ("eps_values", lambda: api.existence(QUARTIC, at="1", eps_values=None)),
    ("eps_values", lambda: api.existence(QUARTIC, at="1", eps_values=[0.1])),
    ("eps_values", lambda: api.existence(QUARTIC, at="1", eps_values=[Fraction(-1, 10)])),
    ("eps_values", lambda: api.existence(QUARTIC, at="1", eps_values=Fraction(1, 10))),
    ("digits", lambda: api.existence(QUARTIC, at="1", digits=2.5)),
    ("prove", lambda: api.existence(QUARTIC, at="1", prove="yes")),
    ("at", lambda: api.existence(QUARTIC, at=0.5)),
    ("range", lambda: api.existence(QUARTIC, range=(1, 2, 3))),
    # composition
    ("q_text", lambda: api.compose(None, "log(x)", "1/3")),
    ("p_text", lambda: api.compose("exp(x)", 1, "1/3")),
    ("at", lambda: api.compose("exp(x)", "log(x)", None)),
    ("at", lambda: api.compose("exp(x)", "log(x)", 0.5)),
    ("budget", lambda: composition.find_counterexamples(None)),
    ("budget", lambda: composition.find_counterexamples(True)),
    ("budget", lambda: composition.find_counterexamples(0)),
    ("budget", lambda: composition.find_counterexamples(10**9)),
    ("budget", lambda: composition.find_counterexamples(2.5)),
    # multivariate
    ("text", lambda: api.check_multivariate(None, "x,y", "1,1")),
    ("vars_text", lambda: api.check_multivariate("(x*y - 1)**2/2", None, "1,1")),
    ("vars_text", lambda: api.check_multivariate("(x*y - 1)**2/2", 5, "1,1")),
    ("at", lambda: api.check_multivariate("(x*y - 1)**2/2", "x,y", None)),
    ("at", lambda: api.check_multivariate("(x*y - 1)**2/2", "x,y", [0.5, 1])),
    ("simulate", lambda: api.check_multivariate("(x*y - 1)**2/2", "x,y", "1,1", simulate="yes")),
    ("route", lambda: api.check_multivariate("(x*y - 1)**2/2", "x,y", "1,1", route="fast")),
    ("route", lambda: api.check_multivariate("(x*y - 1)**2/2", "x,y", "1,1", route=None)),
    ("eta", lambda: api.multivariate_orbit("(x*y - 1)**2/2", "x,y", "1,1", 1.1)),
    ("digits", lambda: api.multivariate_orbit("(x*y - 1)**2/2", "x,y", "1,1", "11/10", digits="20")),
    # the typed layer (sympy objects in, as symbolic_eos.api builds them)
    ("expr", lambda: check.check_expr("x**2", X)),
    ("var", lambda: check.check_expr(X**2, "x")),
    ("at", lambda: check.check_expr(X**2, X, 0)),
    ("range", lambda: check.check_expr(X**2, X, range=(0, 1))),
    ("range", lambda: check.check_expr(X**2, X, range=(sp.Integer(0),))),
    ("target", lambda: check.check_l2_expr(X, X, "1")),
    ("eta", lambda: dynamics.orbit_expr(X**2, X, "1")),
    ("digits", lambda: dynamics.orbit_expr(X**2, X, sp.Integer(1), digits=2)),
    ("eta_max", lambda: dynamics.window_expr(X**2, X, sp.Integer(0), eta_max=2)),
    ("eps_values", lambda: existence.existence_expr(X**2, X, sp.Integer(0), eps_values=None)),
    ("q", lambda: composition.compose_expr("exp(x)", X, sp.Integer(1))),
    ("at", lambda: composition.compose_expr(X, X, Fraction(1, 2))),
    ("symbols", lambda: multi_check.check_multivariate_expr(X**2, "x", (sp.Integer(0),))),
    ("point", lambda: multi_check.check_multivariate_expr(X**2, (X,), (0,))),
    ("point", lambda: multi_check.check_multivariate_expr(X**2, (X,), (sp.Integer(0), sp.Integer(1)))),
    ("eta", lambda: multi_cycles.multivariate_orbit_expr(X**2, (X,), (sp.Integer(0),), 1.1)),
    # claims
    ("claim_id", lambda: claims.claim(None)),
    ("claim_id", lambda: claims.claim(5)),
    ("claim_id", lambda: claims.verify_claim(None)),
    ("cache", lambda: claims.verify_claim("lemma2-l2", cache=5)),
    ("only", lambda: claims.verify_paper(only=5)),
    ("only", lambda: claims.verify_paper(only=[5])),
    ("only", lambda: claims.verify_paper(only=[None])),
    ("only", lambda: claims.verify_paper(only=[])),  # would run nothing
    ("only", lambda: claims.verify_paper(only=" , ")),
    ("progress", lambda: claims.verify_paper(only=["lemma1-higher-order"], progress=5)),
    # datasets
    ("directory", lambda: datasets.load_mnist(None)),
    ("directory", lambda: datasets.load_mnist(5)),
    ("limit", lambda: datasets.load_mnist("/nonexistent", limit=0)),
    ("limit", lambda: datasets.load_mnist("/nonexistent", limit=-1)),
    ("limit", lambda: datasets.load_mnist("/nonexistent", limit=True)),
    ("limit", lambda: datasets.load_mnist("/nonexistent", limit=2.5)),
    ("path", lambda: datasets.read_idx(None)),
    ("ndim", lambda: datasets.read_idx("/nonexistent", ndim=0)),
    ("ndim", lambda: datasets.read_idx("/nonexistent", ndim="2")),
    ("max_bytes", lambda: datasets.read_idx("/nonexistent", max_bytes=0)),
    ("first", lambda: datasets.read_idx("/nonexistent", first=0)),
    ("first", lambda: datasets.read_idx("/nonexistent", first=True)),
    ("path", lambda: datasets.write_idx(None, np.zeros(2, dtype=np.uint8))),
    ("array", lambda: datasets.write_idx("/nonexistent/a.idx", [1, 2])),
    # settings: neuron
    ("d", lambda: neuron.simulate(0, 1.1, 0)),
    ("d", lambda: neuron.simulate(True, 1.1, 0)),
    ("d", lambda: neuron.simulate(2.5, 1.1, 0)),
    ("d", lambda: neuron.simulate(10**9, 1.1, 0)),
    ("K", lambda: neuron.simulate(3, None, 0)),
    ("K", lambda: neuron.simulate(3, -1.0, 0)),
    ("K", lambda: neuron.simulate(3, math.nan, 0)),
    ("seed", lambda: neuron.simulate(3, 1.1, -1)),
    ("seed", lambda: neuron.simulate(3, 1.1, "0")),
    ("steps", lambda: neuron.simulate(3, 1.1, 0, steps=-5)),
    ("steps", lambda: neuron.simulate(3, 1.1, 0, steps=10**12)),
    ("c", lambda: neuron.simulate(3, 1.1, 0, c=0)),
    ("d", lambda: neuron.trajectory(0, 1.1, 0)),
    ("steps", lambda: neuron.trajectory(3, 1.1, 0, steps=0)),
    ("d", lambda: neuron.monte_carlo_check(d=0)),
    ("samples", lambda: neuron.monte_carlo_check(samples=10**12)),
    ("points", lambda: neuron.monte_carlo_check(points=0)),
    ("dims", lambda: neuron.neuron_report(dims=5)),
    ("dims", lambda: neuron.neuron_report(dims=[0])),
    ("Ks", lambda: neuron.neuron_report(Ks=[None])),
    ("seeds", lambda: neuron.neuron_report(seeds=None)),
    ("steps", lambda: neuron.neuron_report(steps=0)),
    ("progress", lambda: neuron.neuron_report(progress=5)),
    ("v", lambda: neuron.population_loss("a", np.ones(3))),
    ("w", lambda: neuron.population_loss(1.0, np.ones(0))),
    ("w", lambda: neuron.population_loss(1.0, None)),
    ("c", lambda: neuron.population_loss(1.0, np.ones(3), c=-1)),
    # settings: matrix factorization
    ("d", lambda: mf.simulate_mf(d=0)),
    ("d", lambda: mf.simulate_mf(d=1)),
    ("eta", lambda: mf.simulate_mf(eta=None)),
    ("lambda2", lambda: mf.simulate_mf(lambda2="x")),
    ("seed", lambda: mf.simulate_mf(seed=-1)),
    ("steps", lambda: mf.simulate_mf(steps=1)),
    ("d", lambda: mf.trajectory(d=0)),
    ("steps", lambda: mf.trajectory(steps=-1)),
    ("dims", lambda: mf.mf_report(dims=[1])),
    ("etas", lambda: mf.mf_report(etas=None)),
    ("seeds", lambda: mf.mf_report(seeds=[-1])),
    ("lambda2", lambda: mf.mf_report(lambda2=None)),
    ("progress", lambda: mf.mf_report(progress=3)),
    ("c_text", lambda: mf.mf_loss(None)),
    ("c_text", lambda: mf.mf_loss(5)),
    ("c_text", lambda: mf.mf_cross_section(None, "1", "1")),
    ("y_text", lambda: mf.mf_cross_section("1", 5, "1")),
    ("z_text", lambda: mf.mf_cross_section("1", "1", ["1"])),
    ("c_text", lambda: mf.mf_cross_section("1,0;0,1", "1", "1")),
    # settings: xy
    ("eta", lambda: xy.trajectory(None, "1", "1")),
    ("x0", lambda: xy.trajectory("11/10", 0.5, "1")),
    ("y0", lambda: xy.trajectory("11/10", "1", None)),
    ("steps", lambda: xy.trajectory("11/10", "1", "1", steps=-1)),
    ("eta", lambda: xy.balancing(None)),
    ("eta", lambda: xy.balancing(1.1)),
    ("starts", lambda: xy.balancing("11/10", starts=5)),
    ("steps", lambda: xy.balancing("11/10", steps=0)),
    ("extra", lambda: xy.balancing("11/10", extra=5)),
    ("extra", lambda: xy.balancing("11/10", extra=[(1, 2, 3)])),
    ("etas", lambda: xy.xy_report(etas=5)),
    ("etas", lambda: xy.xy_report(etas=[None])),
    ("starts", lambda: xy.xy_report(starts=[0.5])),
    ("steps", lambda: xy.xy_report(steps=-1)),
    ("eta", lambda: xy.exact_xy_orbit(None, "1", "1", 2)),
    ("x0", lambda: xy.exact_xy_orbit("1/2", 0.5, "1", 2)),
    ("steps", lambda: xy.exact_xy_orbit("1/2", "1", "1", -1)),
    ("steps", lambda: xy.exact_xy_orbit("1/2", "1", "1", 100)),
    ("max_steps", lambda: xy.exact_landing_step("1/2", "1", "1", max_steps=-1)),
    ("eta", lambda: xy.xy_landing(None, "1", "1")),
    # settings: quartic
    ("etas", lambda: quartic.orbit_equation_check(etas=5)),
    ("digits", lambda: quartic.orbit_equation_check(["11/10"], digits=1)),
    ("digits", lambda: quartic.orbit_equation_check(["11/10"], digits=None)),
    ("digits", lambda: quartic.where_1121_comes_from("30")),
    ("etas", lambda: quartic.basin_claim(etas=5)),
    ("n_starts", lambda: quartic.basin_claim(["11/10"], n_starts=0)),
    ("digits", lambda: quartic.basin_claim(["11/10"], digits=None)),
    ("threshold", lambda: quartic.basin_claim(["11/10"], threshold=5)),
    ("progress", lambda: quartic.basin_claim(["11/10"], progress=5)),
    ("options", lambda: quartic.basin_claim(["11/10"], bogus=1)),
    ("digits", lambda: quartic.quartic_report(digits=None)),
    ("orbit_etas", lambda: quartic.quartic_report(orbit_etas=5)),
    ("basin_etas", lambda: quartic.quartic_report(basin_etas=None)),
    ("n_starts", lambda: quartic.quartic_report(n_starts=0)),
    ("progress", lambda: quartic.quartic_report(progress=5)),
    ("basin_options", lambda: quartic.quartic_report(bogus=1)),
    ("eta", lambda: quartic.exact_landing(None, "3/5")),
    ("x0", lambda: quartic.exact_landing("25/24", 0.6)),
    ("bound", lambda: quartic.first_rational_landing(bound=None)),
    ("max_denominator", lambda: quartic.first_rational_landing(max_denominator=0)),
    ("max_denominator", lambda: quartic.first_rational_landing(max_denominator=10**9)),
    ("eta", lambda: quartic.rational_exceptional_starts(None)),
    ("eta", lambda: quartic.rational_exceptional_starts(1.1)),
    ("depth", lambda: quartic.rational_exceptional_starts("25/24", depth=0)),
    ("depth", lambda: quartic.rational_exceptional_starts("25/24", depth=100)),
    # settings: mlp
    ("config", lambda: mlp.run_experiment(None)),
    ("config", lambda: mlp.run_experiment(5)),
    ("config", lambda: mlp.run_experiment("huge")),
    ("seed", lambda: mlp.run_experiment("tiny", seed=-1)),
    ("seed", lambda: mlp.run_experiment("tiny", seed=True)),
    ("mnist_dir", lambda: mlp.run_experiment("tiny", mnist_dir=5)),
    ("progress", lambda: mlp.run_experiment("tiny", progress=5)),
    # plots
    ("result", lambda: plots.plot_experiment(None, "/tmp")),
    ("report", lambda: plots.bifurcation_diagram(None, "b.png")),
    ("path", lambda: plots.bifurcation_diagram(_window(), "b.gif")),
    ("path", lambda: plots.bifurcation_diagram(_window(), None)),
    ("n_eta", lambda: plots.bifurcation_diagram(_window(), "b.png", n_eta=0)),
    ("n_iter", lambda: plots.bifurcation_diagram(_window(), "b.png", n_iter=10**9)),
    ("keep", lambda: plots.bifurcation_diagram(_window(), "b.png", n_iter=10, keep=20)),
    ("report", lambda: plots.cobweb(_window(), "c.png")),
    ("path", lambda: plots.cobweb(_orbit(), "c.txt")),
    ("steps", lambda: plots.cobweb(_orbit(), "c.png", steps=-1)),
    ("panels", lambda: plots.trajectories(None, "t.png", "t")),
    ("panels", lambda: plots.trajectories([("a", {"GD": [1.0]}, "no")], "t.png", "t")),
    ("path", lambda: plots.trajectories([("a", {"GD": [1.0]}, True)], "t.gif", "t")),
    ("title", lambda: plots.trajectories([("a", {"GD": [1.0]}, True)], "t.png", None)),
    ("path", lambda: plots.save_figure(None, "f.gif")),
    ("fig", lambda: plots.save_figure(None, "f.png")),
    ("dpi", lambda: plots.save_figure(_figure(), "f.png", dpi=0)),
    # report
    ("verification", lambda: report.write_report(None)),
    ("out", lambda: report.write_report(_verification(), out=5)),
    ("figures", lambda: report.write_report(_verification(), out="/nonexistent/r", figures="no")),
    ("progress", lambda: report.write_report(_verification(), out="/nonexistent/r", progress=5)),
    ("result", lambda: report.check_report(None, "c.md")),
    ("path", lambda: report.check_report(_check(), None)),
    ("command", lambda: report.check_report(_check(), "/nonexistent/c.md", command=5)),
    ("figures", lambda: report.check_report(_check(), "/nonexistent/c.md", figures=None)),
    ("out", lambda: report.check_report_folder(None)),
    # certificates
    ("model", lambda: certificates.certify_base_model(None)),
    ("model", lambda: certificates.certify_base_model(5)),
    ("model", lambda: certificates.certify_base_model(["exp"])),
    ("lo", lambda: certificates.certify_base_model("exp", lo=0.5, hi="1")),
    ("max_depth", lambda: certificates.certify_base_model("exp", max_depth=-1)),
    ("max_depth", lambda: certificates.certify_base_model("exp", max_depth=True)),
    ("prec", lambda: certificates.certify_base_model("exp", prec=8)),
    ("max_boxes", lambda: certificates.certify_base_model("exp", max_boxes=0)),
    ("max_boxes", lambda: certificates.certify_base_model("exp", max_boxes=10**12)),
    ("max_depth", lambda: certificates.certify_base_models(max_depth=None)),
    ("m", lambda: certificates.certificate_range(None)),
    ("hi", lambda: certificates.certificate_range(base_models.model("exp"), "0", 1.5)),
    ("certificates", lambda: plots.plot_certificates(None, "c.png")),
    ("certificates", lambda: plots.plot_certificates([5], "c.png")),
    ("path", lambda: plots.plot_certificates([_certificate()], "c.gif")),
    ("dpi", lambda: plots.plot_certificates([_certificate()], "c.png", dpi=0)),
    # minima
    ("expr", lambda: minima.strict_minima(None, X, 0, 1)),
    ("var", lambda: minima.strict_minima(X**2, "x", 0, 1)),
    ("lo", lambda: minima.strict_minima(X**2, X, 0.5, 1)),
    ("hi", lambda: minima.strict_minima(X**2, X, 0, None)),
    ("g", lambda: minima.target_points(None, X, sp.Integer(1), 0, 1)),
    ("target", lambda: minima.target_points(X, X, 0.5, 0, 1)),
    ("value", lambda: minima.critical_point_at(X**2, X, 0.5)),
    ("shift", lambda: minima.critical_point_at(X**2, X, sp.Integer(0), shift=2)),
    ("label", lambda: minima.critical_point_at(X**2, X, sp.Integer(0), label=5)),
    ("point", lambda: minima.require_strict_minimum(X**2, X, None)),
    ("expr", lambda: minima.rational_polynomial(None, X)),
    ("max_degree", lambda: minima.rational_polynomial(X**2, X, max_degree=-1)),
    ("eq", lambda: minima.polynomial_roots(None, None, None)),
    ("lo", lambda: minima.polynomial_roots(_eq(), 0, 1)),
    # basin
    ("expr", lambda: basin.basin_check(5, "x", "11/10", [], ["1/2"])),
    ("var", lambda: basin.basin_check(QUARTIC, 5, "11/10", [], ["1/2"])),
    ("prec", lambda: basin.basin_check(QUARTIC, "x", "11/10", [], ["1/2"], prec=1)),
    ("max_iter", lambda: basin.basin_check(QUARTIC, "x", "11/10", [], ["1/2"], max_iter=0)),
    ("tol", lambda: basin.basin_check(QUARTIC, "x", "11/10", [], ["1/2"], tol=None)),
    ("escape", lambda: basin.basin_check(QUARTIC, "x", "11/10", [], ["1/2"], escape="big")),
    ("max_period", lambda: basin.basin_check(QUARTIC, "x", "11/10", [], ["1/2"], max_period=1)),
    ("cycle_points", lambda: basin.basin_check(QUARTIC, "x", "11/10", 5, ["1/2"])),
    ("starts", lambda: basin.basin_check(QUARTIC, "x", "11/10", [], 5)),
    ("eta", lambda: basin.basin_check(QUARTIC, "x", 1.1, _orbit().orbits[0].points, ["1/2"])),
    ("starts", lambda: basin.basin_check(QUARTIC, "x", "11/10", _orbit().orbits[0].points, [0.5])),
    ("lo", lambda: basin.interior_grid(0.5, 1, 3)),
    ("n", lambda: basin.interior_grid(0, 1, 0)),
    ("n", lambda: basin.interior_grid(0, 1, None)),
    # base models, parse
    ("name", lambda: base_models.model(None)),
    ("name", lambda: base_models.model(5)),
    ("name", lambda: base_models.read_catalog(None)),
    ("text", lambda: parse.parse_expression(None)),
    ("variables", lambda: parse.parse_expression("x", 5)),
    ("variables", lambda: parse.parse_expression("x", [5])),
    ("limits", lambda: parse.parse_expression("x", ("x",), 5)),
    ("text", lambda: parse.parse_constant(None)),
    ("name", lambda: parse.parse_variable_name(5)),
    ("what", lambda: parse.parse_constant("1", what=5)),
]


def _case_id(i: int) -> str:
    return f"{i}-{BAD[i][0]}"


@pytest.mark.parametrize("index", range(len(BAD)), ids=_case_id)
def test_a_bad_argument_is_an_input_error_naming_the_parameter(index):
    name, call = BAD[index]
    try:
        call()
    except InputError as exc:
        assert name in str(exc), f"the message does not name {name!r}: {exc}"
        assert "\n" not in str(exc), f"not one line: {exc!r}"
    except Exception as exc:  # noqa: BLE001 - what is tested is that nothing else comes out
        pytest.fail(f"{type(exc).__name__} instead of InputError: {exc}")
    else:
        pytest.fail("no error")


def test_the_table_covers_every_user_facing_entry_point():
    """Each module's entry points that take a user's arguments have at least one bad call."""
    import inspect

    source = inspect.getsource(inspect.getmodule(test_the_table_covers_every_user_facing_entry_point))
    entry_points = {
        api: ["check", "check_l2", "orbit", "window", "existence", "compose", "check_multivariate", "multivariate_orbit"],
        check: ["check_expr", "check_l2_expr"], dynamics: ["orbit_expr", "window_expr"], existence: ["existence_expr"],
        composition: ["compose_expr", "find_counterexamples"], multi_check: ["check_multivariate_expr"],
        multi_cycles: ["multivariate_orbit_expr"],
        claims: ["claim", "verify_claim", "verify_paper"], datasets: ["load_mnist", "read_idx", "write_idx"],
        neuron: ["simulate", "trajectory", "monte_carlo_check", "neuron_report", "population_loss"],
        mf: ["simulate_mf", "trajectory", "mf_report", "mf_loss", "mf_cross_section"],
        xy: ["trajectory", "balancing", "xy_report", "exact_xy_orbit", "exact_landing_step", "xy_landing"],
        quartic: ["orbit_equation_check", "where_1121_comes_from", "basin_claim", "quartic_report", "exact_landing",
                  "first_rational_landing", "rational_exceptional_starts"],
        mlp: ["run_experiment"],
        plots: ["bifurcation_diagram", "cobweb", "trajectories", "save_figure", "plot_certificates", "plot_experiment"],
        report: ["write_report", "check_report", "check_report_folder"],
        certificates: ["certify_base_model", "certify_base_models", "certificate_range"],
        minima: ["strict_minima", "target_points", "critical_point_at", "require_strict_minimum", "rational_polynomial",
                 "polynomial_roots"],
        basin: ["basin_check", "interior_grid"], base_models: ["model", "read_catalog"],
        parse: ["parse_expression", "parse_constant"],
    }
    alias = {mf: "mf", dynamics: "dynamics", multi_check: "multi_check", multi_cycles: "multi_cycles"}
    missing = [f"{m.__name__}.{f}" for m, fs in entry_points.items() for f in fs
               if f"{alias.get(m, m.__name__.rsplit('.', 1)[-1])}.{f}(" not in source]
    assert not missing


# ---------------------------------------------------------------------------------------------
# Arbitrary objects: only EosError (or a normal result) may come out.

_OBJECTS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 12), st.sampled_from([10**30, -(2**63), 2**200]),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
    st.fractions(min_value=-3, max_value=3, max_denominator=5),
    st.lists(st.one_of(st.integers(-3, 3), st.text(max_size=3), st.none()), max_size=3),
    st.tuples(st.integers(-3, 3), st.integers(-3, 3)),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from([object(), sp.Symbol("y"), sp.pi, sp.Float(0.5), sp.I, sp.zoo, b"1", np.float64(1.5), np.int64(2)]),
)

#: Entry points with one argument left open; every other argument is valid and small, so that a
#: valid draw stays cheap.
_TARGETS: list[tuple[str, Callable[[Any], Any]]] = [
    ("check at", lambda v: api.check("x**2/2 + x**3", at=v)),
    ("check text", lambda v: api.check(v, at="0")),
    ("check var", lambda v: api.check("x**2/2 + x**3", var=v, at="0")),
    ("check range", lambda v: api.check(QUARTIC, range=v)),
    ("check_l2 target", lambda v: api.check_l2("x**3 + x", v, at="1")),
    ("orbit eta", lambda v: api.orbit(QUARTIC, v, at="1", digits=15)),
    ("orbit digits", lambda v: api.orbit(QUARTIC, "11/10", at="1", digits=v)),
    ("window eta_max", lambda v: api.window(QUARTIC, at="1", digits=15, eta_max=v)),
    ("existence eps_values", lambda v: api.existence(QUARTIC, at="1", eps_values=v, digits=15)),
    ("compose at", lambda v: api.compose("exp(x)", "log(x)", v)),
    ("find_counterexamples budget", lambda v: composition.find_counterexamples(v)),
    ("check_multivariate at", lambda v: api.check_multivariate("(x*y - 1)**2/2", "x,y", v, simulate=False)),
    ("check_multivariate route", lambda v: api.check_multivariate("(x*y - 1)**2/2", "x,y", "1,1", False, v)),
    ("claim", lambda v: claims.claim(v)),
    ("verify_paper only", lambda v: claims.verify_paper(only=v)),
    ("load_mnist limit", lambda v: datasets.load_mnist("/nonexistent", limit=v)),
    ("read_idx first", lambda v: datasets.read_idx("/nonexistent", first=v)),
    ("neuron d", lambda v: neuron.simulate(v, 1.1, 0, steps=20)),
    ("neuron K", lambda v: neuron.simulate(3, v, 0, steps=20)),
    ("neuron seed", lambda v: neuron.trajectory(3, 1.1, v, steps=20)),
    ("mf d", lambda v: mf.simulate_mf(d=v, steps=20)),
    ("mf eta", lambda v: mf.trajectory(eta=v, steps=20)),
    ("mf_loss", lambda v: mf.mf_loss(v)),
    ("xy trajectory x0", lambda v: xy.trajectory("11/10", v, "1", steps=5)),
    ("xy exact orbit steps", lambda v: xy.exact_xy_orbit("11/10", "1/2", "2", v)),
    ("xy landing eta", lambda v: xy.xy_landing(v, "3/5", "3/5")),
    ("quartic exceptional eta", lambda v: quartic.rational_exceptional_starts(v)),
    ("quartic landing x0", lambda v: quartic.exact_landing("25/24", v)),
    ("quartic first landing bound", lambda v: quartic.first_rational_landing(v, max_denominator=20)),
    ("certify model", lambda v: certificates.certify_base_model(v, max_depth=2, max_boxes=20)),
    ("certify max_depth", lambda v: certificates.certify_base_model("exp", max_depth=v, max_boxes=20)),
    ("interior_grid lo", lambda v: basin.interior_grid(v, 4, 3)),
    ("strict_minima lo", lambda v: minima.strict_minima(X**2, X, v, 1)),
    ("model", lambda v: base_models.model(v)),
    ("parse_expression", lambda v: parse.parse_expression(v)),
    ("mlp config", lambda v: mlp.run_experiment(v) if v != "tiny" else None),
]


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # float64 simulations that diverge overflow, as they may
@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(range(len(_TARGETS))), value=_OBJECTS)
def test_arbitrary_objects_give_only_eos_errors(target, value):
    _, call = _TARGETS[target]
    try:
        call(value)
    except EosError:
        pass


# ---------------------------------------------------------------------------------------------
# Acceptance: ints, Fractions and sympy numbers are the values their text gives.


@pytest.mark.parametrize("at", [1, Fraction(1), sp.Integer(1), sp.Rational(1)])
def test_check_at_a_number_is_check_at_its_text(at):
    assert api.check(QUARTIC, at=at).to_dict() == api.check(QUARTIC, at="1").to_dict()


def test_check_at_zero_and_an_exact_constant():
    assert api.check("x**2/2 + x**3", at=sp.Integer(0)).to_dict() == api.check("x**2/2 + x**3", at="0").to_dict()
    assert (api.check("(x**2 - 2)**2", at=sp.sqrt(2)).to_dict()
            == api.check("(x**2 - 2)**2", at="sqrt(2)").to_dict())


@pytest.mark.parametrize("range_", [(0, 2), [Fraction(0), sp.Integer(2)], ("0", 2)])
def test_check_over_a_numeric_range_is_check_over_its_text(range_):
    assert api.check(QUARTIC, range=range_).to_dict() == api.check(QUARTIC, range=("0", "2")).to_dict()


def test_check_l2_with_numbers_is_check_l2_with_text():
    assert (api.check_l2("exp(x)", 2, at=sp.log(2)).to_dict()
            == api.check_l2("exp(x)", "2", at="log(2)").to_dict())
    assert api.check_l2("x**3 + x", Fraction(2)).to_dict() == api.check_l2("x**3 + x", "2").to_dict()


@pytest.mark.parametrize("eta", [sp.Rational(11, 10), Fraction(11, 10)])
def test_orbit_at_a_number_is_orbit_at_its_text(eta):
    assert (api.orbit(QUARTIC, eta, at=1, digits=20).to_dict()
            == api.orbit(QUARTIC, "11/10", at="1", digits=20).to_dict())


def test_window_existence_and_compose_take_numbers():
    assert (api.window(QUARTIC, at=1, digits=20, eta_max=Fraction(13, 10)).to_dict()
            == api.window(QUARTIC, at="1", digits=20, eta_max="13/10").to_dict())
    assert (api.existence(QUARTIC, at=1, eps_values=["1/100"], digits=20).to_dict()
            == api.existence(QUARTIC, at="1", eps_values=[Fraction(1, 100)], digits=20).to_dict())
    assert (api.compose("exp(x)", "log(x)", Fraction(1, 3)).to_dict()
            == api.compose("exp(x)", "log(x)", "1/3").to_dict())


def test_multivariate_takes_a_tuple_point_and_a_list_of_names():
    a = api.check_multivariate("(x*y - 1)**2/2", ("x", "y"), (1, Fraction(1)), simulate=False)
    b = api.check_multivariate("(x*y - 1)**2/2", "x,y", "1,1", simulate=False)
    assert a.to_dict() == b.to_dict()


def test_claim_ids_as_comma_text_and_settings_with_numbers():
    one = claims.verify_paper(only="lemma1-higher-order")
    assert [r.claim.id for r in one.results] == ["lemma1-higher-order"]
    assert quartic.rational_exceptional_starts(sp.Rational(25, 24)) == quartic.rational_exceptional_starts("25/24")
    assert xy.xy_landing(Fraction(25, 24), Fraction(3, 5), "3/5") == xy.xy_landing("25/24", "3/5", "3/5")
    assert neuron.simulate(3, Fraction(11, 10), 0, steps=50) == neuron.simulate(3, 1.1, 0, steps=50)
