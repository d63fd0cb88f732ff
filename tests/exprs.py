"""Random expressions for the tests (text in the parser's grammar)."""

from hypothesis import strategies as st

# Functions that are real and smooth on the whole real line (so any point is admissible).
SMOOTH = ["sin", "cos", "exp", "tanh", "atan", "sigmoid", "erf", "softplus", "gaussian", "sinh", "cosh", "asinh"]

small_ints = st.integers(-3, 3)
rationals = st.fractions(min_value=-2, max_value=2, max_denominator=7)


def _rat(q) -> str:
    return f"({q.numerator}/{q.denominator})"


leaves = st.one_of(st.just("x"), st.just("x"), small_ints.map(lambda n: f"({n})"), rationals.map(_rat))


def _extend(children):
    return st.one_of(
        st.tuples(st.sampled_from(SMOOTH), children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(children, st.sampled_from(["+", "-", "*"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(children, st.integers(2, 4)).map(lambda t: f"({t[0]})**{t[1]}"),
        children.map(lambda u: f"log(2 + ({u})**2)"),
        children.map(lambda u: f"1/(1 + ({u})**2)"),
        children.map(lambda u: f"sqrt(1 + ({u})**2)"),
    )


#: Smooth real expressions in x, of bounded size.
smooth_expressions = st.recursive(leaves, _extend, max_leaves=6)
points = rationals
