"""The JSON contract (the README's JSON section): every subcommand's ``--json`` object is valid
against ``symbolic_eos/schema.json``, carries ``rigor`` from one vocabulary, has no JSON floats
and no booleans written as words, names its minimum both ``point`` and ``minimum``; values are
checked against numbers derived here with plain sympy / mpmath.  Also: ``-`` reads an
expression from standard input."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import mpmath
import pytest
import sympy as sp
from jsonschema import Draft202012Validator

from symbolic_eos.cli import STDIN_LIMIT, main

SCHEMA = json.loads(resources.files("symbolic_eos").joinpath("schema.json").read_text(encoding="utf-8"))
VOCABULARY = ["exact", "certified", "numerical", "none"]  # strongest first, as the README states

QUARTIC = "(x**2-1)**2/4"

#: (schema definition, arguments): every subcommand and the multivariate variants, on fast inputs.
RUNS = {
    "check": ("check", ["check", QUARTIC, "--at", "1"]),
    "check_range": ("check_range", ["check", QUARTIC]),
    "check_k5": ("check", ["check", "x**2/2 + x**5", "--at", "0"]),
    "check_vars": ("check_vars", ["check", "(x*y-1)**2/2", "--vars", "x,y", "--at", "1,1"]),
    "l2": ("l2", ["l2", "tanh(x)", "--target", "1/2", "--at", "atanh(1/2)"]),
    "check_family": ("check_family", ["check", "x**2/2 + a*x**3 + b*x**4", "--at", "0", "--params", "a,b"]),
    "l2_family": ("l2_family", ["l2", "tanh(w*x)", "--target", "y", "--params", "w,y"]),
    "check_vars_family": ("check_vars_family", ["check", "(x*y - 1)**2/2 + a*(x - y)**2/2", "--vars", "x,y", "--at", "1,1",
                                                "--params", "a"]),
    "l2_range": ("l2_range", ["l2", "tanh(x)", "--target", "1/2"]),
    "orbit": ("orbit", ["orbit", QUARTIC, "--eta", "11/10", "--at", "1"]),
    "orbit_subcritical": ("orbit", ["orbit", "x**2/2 - x**3/3 + x**4", "--eta", "21/10", "--at", "0"]),
    "orbit_vars": ("orbit_vars", ["orbit", "(x*y-1)**2/2", "--vars", "x,y", "--at", "1,1", "--eta", "11/10"]),
    "window": ("window", ["window", QUARTIC, "--at", "1"]),
    "window_estimate": ("window", ["window", "1-cos(x)", "--at", "0"]),
    "existence": ("existence", ["existence", "x**2/2 + x**3", "--at", "0"]),
    "existence_no_claim": ("existence", ["existence", "x**2/2 - x**3/3 + x**4", "--at", "0"]),
    "compose": ("compose", ["compose", "log(x)", "exp(x)", "--at", "1/2"]),
    "counterexamples": ("counterexamples", ["counterexamples", "--budget", "300"]),
    "quartic": ("quartic", ["quartic", "--starts", "20"]),
    "xy": ("xy", ["xy"]),
    "neuron": ("neuron", ["neuron"]),
    "mf": ("mf", ["mf"]),
    "mlp-experiment": ("mlp-experiment", ["mlp-experiment", "--config", "tiny"]),
    "verify-paper": ("verify-paper", ["verify-paper", "--only", "lemma1-higher-order,lemma2-l2"]),
    "report": ("report", ["report", "--only", "lemma2-l2", "--no-figures"]),
}


def validator(definition: str) -> Draft202012Validator:
    return Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{definition}"})


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, dict]:
    """Each run's JSON object (run once per module: some take seconds)."""
    import contextlib
    import io

    out = {}
    for name, (_, args) in RUNS.items():
        if name == "report":
            args = args + ["--out", str(tmp_path_factory.mktemp("report"))]
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(args + ["--json"])
        assert code == 0, (name, stderr.getvalue())
        out[name] = json.loads(stdout.getvalue())
    return out


def walk(value, path=""):
    """Every (path, scalar or container) in a JSON value."""
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, f"{path}[{i}]")


def test_schema_is_a_valid_2020_12_schema_with_a_definition_per_command():
    Draft202012Validator.check_schema(SCHEMA)
    assert {definition for definition, _ in RUNS.values()} | {"error", "report"} <= set(SCHEMA["$defs"])
    assert SCHEMA["$defs"]["rigor"]["enum"] == VOCABULARY


@pytest.mark.parametrize("name", list(RUNS))
def test_every_command_matches_its_schema(outputs, name):
    definition, _ = RUNS[name]
    d = outputs[name]
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(definition).iter_errors(d)]
    assert not errors, errors
    assert Draft202012Validator(SCHEMA).is_valid(d)  # the top-level schema accepts it too
    assert d["rigor"] in VOCABULARY


@pytest.mark.parametrize("name", list(RUNS))
def test_no_floats_no_boolean_words_and_both_names_of_the_minimum(outputs, name):
    for path, value in walk(outputs[name]):
        # Real values are strings; JSON numbers are integers that count, index or order.
        assert not isinstance(value, float), (path, value)
        assert not (isinstance(value, str) and value.lower() in {"true", "false", "yes", "no"}), (path, value)
        if isinstance(value, dict) and ({"point", "minimum"} & set(value)):
            # A count named "minimum" (GD runs that ended at the minimum) is not a location.
            located = [value[k] for k in ("point", "minimum") if k in value and not isinstance(value[k], int)]
            if located:
                assert value.get("point") == value.get("minimum"), path
            if "point_label" in value or "minimum_label" in value:
                assert value.get("point_label") == value.get("minimum_label"), path


def test_check_values_against_plain_sympy(outputs):
    d = outputs["check"]
    x = sp.Symbol("x")
    f = (x**2 - 1) ** 2 / 4
    derivs = {k: sp.diff(f, x, k).subs(x, 1) for k in (2, 3, 4)}
    assert derivs == {2: 2, 3: 6, 4: 6}
    assert sp.Rational(d["eta_critical"]) == 2 / derivs[2] == 1
    assert {int(k): sp.Rational(v) for k, v in d["derivatives"].items()} == derivs
    assert d["point"] == d["minimum"] and sp.Rational(d["point"]) == 1 and d["point_label"] == d["minimum_label"] == "1"
    assert d["rigor"] == "exact" and d["stable_oscillation"] is True
    # k = 3 flip coefficient -(2/(3 f''^2)) (3 f'''^2 - f'' f'''') = -16
    assert sp.Rational(d["flip_coefficient"]) == -sp.Rational(2, 3 * derivs[2] ** 2) * (3 * derivs[3] ** 2 - derivs[2] * derivs[4])
    r = outputs["check_range"]
    assert [sp.Rational(m["minimum"]) for m in r["minima"]] == [-1, 1] and r["rigor"] == "exact"


def test_stable_oscillation_is_a_boolean_even_where_the_paper_fails(outputs):
    d = outputs["check_k5"]  # f^(6) = 0: the paper's k = 5 condition fails, the flip is supercritical
    assert d["paper_verdict"] == "fails" and d["flip_verdict"] == "supercritical" and d["stable_oscillation"] is True


def test_multivariate_check_against_the_sympy_hessian(outputs):
    d = outputs["check_vars"]
    x, y = sp.symbols("x y")
    f = (x * y - 1) ** 2 / 2
    h = sp.hessian(f, (x, y)).subs({x: 1, y: 1})
    eigen = sorted(h.eigenvals(), reverse=True)
    assert [sp.Rational(v) for v in d["eigenvalues"]] == eigen == [2, 0]
    assert sp.Rational(d["eta_critical"]) == 1 and d["manifold_dimension"] == 1
    assert d["point"] == d["minimum"] and [sp.Rational(v) for v in d["minimum"]] == [1, 1]
    assert d["manifold_of_minima"] == "proved" and d["manifold_proved"] is True  # x y = 1 through (1, 1)


def test_l2_values(outputs):
    d = outputs["l2"]
    x = sp.Symbol("x")
    g = sp.tanh(x)
    at = sp.atanh(sp.Rational(1, 2))
    gd = [sp.simplify(sp.diff(g, x, k).subs(x, at)) for k in (1, 2, 3)]
    assert sp.Rational(d["g_condition"]) == gd[0] * gd[2] - 6 * gd[1] ** 2 == sp.Rational(-117, 32)
    assert abs(mpmath.mpf(d["x_bar"]) - mpmath.atanh(mpmath.mpf(1) / 2)) < mpmath.mpf(10) ** -17
    assert d["minimum"] == d["point"] == d["x_bar"] and d["rigor"] == "exact"


def _quartic_cycle(eta):
    """The 2-cycle near 1 of GD on the quartic, from the sympy factorisation of F(F(x)) - x."""
    x = sp.Symbol("x")
    F = x - eta * sp.diff((x**2 - 1) ** 2 / 4, x)
    cycles = sp.factor(sp.cancel((F.subs(x, F) - x) / (F - x)))
    roots = sorted(r for r in sp.real_roots(sp.Poly(cycles, x)) if 1 / 2 < r < 3 / 2)
    m = sp.diff(F, x)
    return [sp.N(r, 40) for r in roots], sp.N(m.subs(x, roots[0]) * m.subs(x, roots[1]), 40)


def test_orbit_values_and_rigor(outputs):
    d = outputs["orbit"]
    (orbit,) = d["orbits"]
    points, multiplier = _quartic_cycle(sp.Rational(11, 10))
    for shown, exact in zip(orbit["points"], points, strict=True):
        assert abs(sp.Float(shown, 40) - exact) <= sp.Float(orbit["radius"])
    assert abs(sp.Float(orbit["multiplier"], 40) - multiplier) < 1e-25 and abs(multiplier - sp.Rational(18, 100)) < 1e-30
    assert orbit["certified"] is True and orbit["stable"] is True
    # Krawczyk-certified 2-cycles at an exact minimum: certified, not exact.
    assert orbit["rigor"] == d["rigor"] == "certified"
    assert orbit["point"] == orbit["minimum"] and sp.Rational(orbit["point"]) == 1
    v = outputs["orbit_vars"]
    (cycle,) = v["orbits"]
    assert v["point"] == v["minimum"] == ["1", "1"] and v["rigor"] == cycle["rigor"] == "certified"
    for pt, exact in zip(sorted(cycle["points"]), points, strict=True):  # x = y = delta on the diagonal
        assert all(abs(sp.Float(c, 40) - exact) <= sp.Float(cycle["radius"]) for c in pt)


def test_no_branch_message_rests_on_the_flip_verdict(outputs):
    # f = x^2/2 - x^3/3 + x^4 at 0: 3 f'''^2 - f'' f'''' = 12 - 24 < 0, subcritical (exact)
    d = outputs["orbit_subcritical"]
    assert d["orbits"] == [] and len(d["messages"]) == 1
    (m,) = d["messages"]
    assert "no 2-cycle is born" in m["message"] and m["rigor"] == d["rigor"] == "exact"


def test_window_values_against_sympy_resultants(outputs):
    d = outputs["window"]
    x, e = sp.symbols("x eta")
    F = x - e * sp.diff((x**2 - 1) ** 2 / 4, x)
    dF = sp.diff(F, x)
    cycle = e**2 * x**4 - e**2 * x**2 - e * x**2 + 1  # the factor of (F(F(x)) - x)/(F(x) - x) near 1

    def root_in(poly):
        (r,) = {sp.N(t, 40) for t in sp.real_roots(sp.Poly(poly, e)) if 1 < t < 2}
        return r

    superstable = root_in(sp.resultant(cycle, dF, x))                                  # F'(x0) = 0
    loss = root_in(sp.resultant(cycle, sp.expand(dF * dF.subs(x, F) + 1), x))          # F'(x0) F'(x1) = -1
    assert abs(sp.Float(d["eta_superstable"], 40) - superstable) < 1e-28
    assert abs(sp.Float(d["eta_loss"], 40) - loss) < 1e-28 and d["loss_type"] == "period_doubling"
    assert d["rigor"] == "certified" and d["point"] == d["minimum"]
    assert {cf["rigor"] for cf in d["closed_forms"].values()} == {"exact"}


def test_a_window_with_an_uncertified_event_is_numerical(outputs):
    import dataclasses

    from symbolic_eos.api import window

    # 1 - cos(x) is symmetric about 0: its loss of stability is a pitchfork at eta = pi, certified
    # in the reduced system and proved in closed form (before the reduction it was only estimated).
    d = outputs["window_estimate"]
    assert d["loss_type"] == "pitchfork" and d["closed_forms"]["eta_loss"]["expression"] == "pi" and d["rigor"] == "certified"
    w = window("1-cos(x)", at="0")
    rough = dataclasses.replace(w, loss=dataclasses.replace(w.loss, certified=False))
    e = rough.to_dict()
    assert e["eta_loss"] is None and "eta_loss" in e["estimates"] and e["rigor"] == "numerical" and e["loss_type"] is None
    # F(x) = x - eta sin(x) is odd, so the cycle is {x0, -x0}: 2 x0 = eta sin(x0); superstable
    # where F'(x0) = 1 - eta cos(x0) = 0, so tan(x0) = 2 x0 and eta = 1/cos(x0).
    mpmath.mp.dps = 40
    x0 = mpmath.findroot(lambda t: mpmath.tan(t) - 2 * t, 1.2)
    assert abs(mpmath.mpf(d["eta_superstable"]) - 1 / mpmath.cos(x0)) < mpmath.mpf(10) ** -25


def test_an_uncertified_cycle_is_numerical():
    import dataclasses

    from symbolic_eos.api import orbit
    from symbolic_eos.dynamics.reports import OrbitAtMinimum

    at = orbit(QUARTIC, "11/10", at="1").results[0]
    assert at.rigor == "certified"
    rough = OrbitAtMinimum(at.minimum, dataclasses.replace(at.cycle, certified=False, stable=False), None)
    assert rough.rigor == rough.to_dict()["rigor"] == "numerical"
    lost = OrbitAtMinimum(at.minimum, None, "the branch born at eta0 could not be followed to eta = 3")
    assert lost.to_dict()["rigor"] == "none"


def test_existence_rows_against_mpmath(outputs):
    d = outputs["existence"]
    # f = x^2/2 + x^3 at 0: f'' = 1, f''' = 6; the interval (2, 2/(1 - 6 eps)) is empty from eps = 1/6 on.
    assert d["paper_case"] == "k3" and d["eps_sign"] == 1
    grid = [sp.Rational(r["eps"]) for r in d["rows"]]
    assert sp.Rational(d["first_outside_range_eps"]) == min(t for t in grid if 1 - 6 * t <= 0)
    mpmath.mp.dps = 40
    row = next(r for r in d["rows"] if r["eps"] == "1/100")
    x0 = -mpmath.mpf(1) / 100

    def step(t, eta):  # F_eta for f' = x + 3 x^2
        return t - eta * (t + 3 * t**2)

    eta = mpmath.findroot(lambda eta: step(step(x0, eta), eta) - x0, mpmath.mpf(row["eta"]))
    assert abs(eta - mpmath.mpf(row["eta"])) < mpmath.mpf(10) ** -18 and 2 < eta < 2 / (1 - 6 * mpmath.mpf(1) / 100)
    assert row["verdict"] == "holds" and row["rigor"] == "certified"
    # Each row is certified, but "every small eps" rests on a grid: evidence.
    assert d["rigor"] == "numerical" and d["point"] == d["minimum"] == "0"
    # f = x^2/2 - x^3/3 + x^4 at 0: 3 f3^2 - f2 f4 = 12 - 24 < 0, the theorem makes no claim: no rows
    none = outputs["existence_no_claim"]
    assert none["rows"] == [] and none["rigor"] == "exact"


def test_compose_and_counterexamples_values(outputs):
    d = outputs["compose"]
    x = sp.Symbol("x")

    def condition(g, at):
        g1, g2, g3 = (sp.diff(g, x, k).subs(x, at) for k in (1, 2, 3))
        return sp.simplify(g1 * g3 - 6 * g2**2)

    half = sp.Rational(1, 2)
    assert abs(sp.Float(d["p"]["value"], 30) - sp.N(condition(sp.exp(x), half), 30)) < 1e-15
    assert abs(sp.Float(d["q"]["value"], 30) - sp.N(condition(sp.log(x), sp.exp(half)), 30)) < 1e-15
    assert condition(sp.log(sp.exp(x)), half) == 0 and sp.Rational(d["composition"]["value"]) == 0
    assert d["naive_rule_violated"] is True and d["composition"]["verdict"] == "fails"
    c = outputs["counterexamples"]
    assert c["counterexamples"] and c["rigor"] in {"exact", "certified"}
    first = c["counterexamples"][0]
    assert (first["q"], first["p"], first["at"]) == ("exp(x)", "log(x)", "1/2") and sp.Rational(first["composition_value"]) == 0


def test_settings_rigor(outputs):
    q = outputs["quartic"]
    assert q["basin"]["rigor"] == "numerical" and q["rigor"] == "numerical"  # a grid of starts is evidence
    assert abs(sp.Float(q["threshold"]["eta_superstable"], 30) - (3 / sp.sqrt(2) - 1)) < 1e-25
    assert q["setting"]["point"] == q["setting"]["minimum"] == "1"
    for name in ("xy", "neuron", "mf"):  # float64 GD runs: evidence
        assert outputs[name]["rigor"] == "numerical" and outputs[name]["rigor_note"]


def test_mlp_obs1_has_cosine(outputs):
    d = outputs["mlp-experiment"]
    assert d["obs1"]["cosine"] == d["obs1"]["cosine_end"] == d["trajectory"]["cosine"][-1]
    assert 0 <= float(d["obs1"]["cosine"]) <= 1
    assert d["obs1"]["rigor"] == "numerical" and d["rigor"] == "numerical"
    assert d["obs2"]["rigor"] in {"certified", "undecided"}


def test_verify_paper_rigor_is_the_weakest_claim(outputs):
    for name in ("verify-paper", "report"):
        d = outputs[name]
        rigors = [c["rigor"] for c in d["claims"]]
        assert d["rigor"] == max(rigors, key=VOCABULARY.index)
    assert {c["id"]: c["rigor"] for c in outputs["verify-paper"]["claims"]} == {
        "lemma1-higher-order": "exact", "lemma2-l2": "certified"}
    assert outputs["verify-paper"]["rigor"] == "certified"
    assert outputs["report"]["files"] and all(f.endswith(".md") for f in outputs["report"]["files"])


@pytest.mark.parametrize("args", [["check", "x^2", "--json"], ["orbit", QUARTIC, "--eta", "0", "--json"],
                                  ["check", "x**2", "--bogus", "--json"]])
def test_error_json_has_a_schema(capsys, args):
    assert main(args) == 2
    d = json.loads(capsys.readouterr().out)
    assert validator("error").is_valid(d) and set(d) == {"error"}
    assert not validator("check").is_valid(d)


# ---------------------------------------------------------------------------------------------
# Standard input.


def run_cli(args, stdin: bytes):
    return subprocess.run([sys.executable, "-m", "symbolic_eos", *args], input=stdin, capture_output=True,
                          timeout=120, check=False)


def test_stdin_expression():
    proc = run_cli(["check", "-", "--at", "1", "--json"], b"(x**2-1)**2/4\n")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["expression"] == "(x**2-1)**2/4" and sp.Rational(d["flip_coefficient"]) == -16
    text = run_cli(["check", "-", "--at", "1"], b"  (x**2-1)**2/4  ")
    assert text.returncode == 0 and b"f(x) = (x**2-1)**2/4\n" in text.stdout


@pytest.mark.parametrize("args, stdin, fragment", [
    (["check", "-"], b"x" * (STDIN_LIMIT + 1), "longer than"),
    (["check", "-", "--at", "1"], b"(x**2-1)**2/4 \xff", "not valid UTF-8"),
    (["check", "-", "--at", "1"], b"", "empty"),
    (["check", "-", "--at", "1"], b" \n\t ", "empty"),
    (["compose", "-", "-", "--at", "1"], b"exp(x)", "only one argument"),
])
def test_bad_stdin_one_line_exit_2(args, stdin, fragment):
    proc = run_cli(args, stdin)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and err.count("\n") == 1 and err.startswith("symbolic-eos: error:") and fragment in err
    assert "Traceback" not in err and proc.stdout == b""
    proc = run_cli(args + ["--json"], stdin)
    assert proc.returncode == 2 and fragment in json.loads(proc.stdout)["error"]
