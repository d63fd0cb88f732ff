"""The command line: the JSON contract of the README's JSON section and bad input handling."""

import json
import subprocess
import sys

import pytest

from symbolic_eos.cli import main

CHECK_KEYS = {
    "point", "eta_critical", "order", "derivatives", "paper_verdict", "paper_case",
    "flip_verdict", "flip_order", "flip_coefficient", "rigor",
}


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_json_contract(capsys):
    code, out, err = run(capsys, "check", "(x**2-1)**2/4", "--at", "1", "--json")
    assert code == 0 and err == ""
    d = json.loads(out)
    assert CHECK_KEYS <= set(d)
    assert d["paper_verdict"] == "holds" and d["paper_case"] == "k3" and d["order"] == 3
    assert d["flip_verdict"] == "supercritical" and d["flip_order"] == 3 and d["rigor"] == "exact"
    assert float(d["flip_coefficient"]) == -16.0 and float(d["eta_critical"]) == 1.0
    assert {k: float(v) for k, v in d["derivatives"].items()} == {"2": 2.0, "3": 6.0, "4": 6.0}
    # at least 15 significant digits in every number
    for value in [d["eta_critical"], d["point"], *d["derivatives"].values()]:
        assert len(value.replace("-", "").replace(".", "").lstrip("0")) >= 15 or set(value) <= set("0-.")


def test_check_range_json(capsys):
    code, out, _ = run(capsys, "check", "(x**2-1)**2/4", "--json")
    d = json.loads(out)
    assert code == 0 and [float(m["point"]) for m in d["minima"]] == [-1.0, 1.0] and d["complete"]


def test_l2_json_contract(capsys):
    code, out, _ = run(capsys, "l2", "tanh(x)", "--target", "1/2", "--at", "atanh(1/2)", "--json")
    d = json.loads(out)
    assert code == 0 and CHECK_KEYS | {"x_bar", "g_condition"} <= set(d)
    assert abs(float(d["g_condition"]) - (-117 / 32)) < 1e-12
    # Every value is rational (tanh' = 1 - tanh^2 at tanh = 1/2), so the whole check is exact.
    assert d["rigor"] == "exact" and d["l2_verdict"] == "holds"


def test_text_output_is_a_readable_table(capsys):
    code, out, _ = run(capsys, "check", "(x**2-1)**2/4", "--at", "1")
    assert code == 0
    for fragment in ["eta_critical", "f'''", "3 f'''^2 - f'' f''''", "holds", "supercritical", "rigor: exact"]:
        assert fragment in out


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["check", "x**2 +"], "unexpected end"),
        (["check", "foo(x)"], "unknown name 'foo'"),
        (["check", "x**2", "--at", "1"], "not a critical point"),
        (["check", "-x**2", "--at", "0"], "local maximum"),
        (["check", "log(x)**2", "--at", "-1"], "not real"),
        (["check", "sqrt(x)", "--at", "0"], "not smooth"),
        (["check", "-x**2 + x**4", "--range", "1/4", "1/2"], "no strict local minimum"),
        (["check", "sin(x)", "--range", "0", "1"], "no strict local minimum"),
        (["check", "x**2", "--range", "1", "0"], "empty range"),
        (["check", "x**2", "--var", "pi"], "reserved"),
        (["check", "2", "--at", "0"], "does not depend"),
        (["l2", "exp(x)", "--target", "0"], "no solution of g(x) = 0"),
        (["l2", "x**2", "--target", "0", "--at", "0"], "g'(0) = 0"),
        (["l2", "exp(x)", "--target", "2", "--at", "1"], "not a solution"),
        (["check"], "required"),
        (["frobnicate"], "invalid choice"),
        (["check", "x**2", "--bogus"], "unrecognized"),
        (["existence", "x**2/2 + x**3", "--at", "0", "--digits", "100000"], "--digits"),
    ],
)
def test_bad_input_one_line_exit_2(capsys, args, fragment):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("symbolic-eos: error:") and fragment in err
    assert "Traceback" not in err and out == ""
    code, out, err = run(capsys, *args, "--json")
    assert code == 2 and fragment in json.loads(out)["error"]


def test_module_entry_point_and_no_traceback():
    proc = subprocess.run(
        [sys.executable, "-m", "symbolic_eos", "check", "__import__('os').system('echo pwned')"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2 and "pwned" not in proc.stdout + proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_quartic_command_json(capsys):
    assert main(["quartic", "--starts", "20", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert set(d) >= {"orbit_equation", "threshold", "basin"}


def test_the_command_line_starts_inside_its_error_handling():
    """``import symbolic_eos.cli`` must not import sympy or numpy (about 0.5 s): what happens
    before ``main`` cannot be caught, so a Ctrl-C at start-up would print a traceback."""
    import subprocess
    import sys

    code = "import sys, symbolic_eos.cli; print(sorted(m for m in ('sympy', 'numpy', 'flint', 'mpmath') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_huge_exact_values_are_bad_input_not_a_crash(capsys):
    """Python refuses to print integers of more than 4300 digits; the parser's bounds let an
    exact Hessian entry of 4400 digits through, which used to end in a traceback (exit 1)."""
    import json

    assert main(["check", "(10**55)**80*(x**2+y**2)", "--vars", "x,y", "--at", "0,0", "--json"]) == 2
    out, err = capsys.readouterr()
    assert "characters" in json.loads(out)["error"] and err.count("\n") == 1 and len(err) < 300
    assert main(["compose", "x", "(10**55)**80*x", "--at", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["q"]["verdict"] == "fails"
