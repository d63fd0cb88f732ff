"""The one exception family of symbolic-eos.

Library code raises these; only :mod:`symbolic_eos.cli` turns them into a one-line message and
exit code 2.
"""

__all__ = ["EosError", "InputError", "DomainError"]


class EosError(Exception):
    """Base class of every error symbolic-eos raises on purpose.

    >>> issubclass(InputError, EosError) and issubclass(DomainError, EosError)
    True
    """


class InputError(EosError, ValueError):
    """The user's input (text, point, range, target) cannot be used; the message says why.

    >>> from symbolic_eos.parse import parse_expression
    >>> try:
    ...     parse_expression("x +")
    ... except InputError as exc:
    ...     print(exc)
    unexpected end of input
    """


class DomainError(InputError):
    """The loss is not real, finite or smooth at the point where it is needed.

    >>> from symbolic_eos import check
    >>> try:
    ...     check("log(x)", at="-1")
    ... except DomainError as exc:
    ...     print(exc)
    log(...) is not real or not smooth at the point
    """
