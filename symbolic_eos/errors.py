"""The one exception family of symbolic-eos.

Library code raises these; only :mod:`symbolic_eos.cli` turns them into a one-line message and
exit code 2.
"""

__all__ = ["EosError", "InputError", "DomainError", "InternalError", "brief"]


def brief(value: object, width: int = 40) -> str:
    """The text of ``value`` for a one-line message: whole if at most ``width`` characters, else
    its start and end with the length (a huge exact constant must not flood an error line).

    >>> brief(2**200)
    '160693804425899...35301376 (61 characters)'
    >>> brief("x + 1")
    'x + 1'
    """
    text = str(value)
    if len(text) <= width:
        return text
    return f"{text[:width * 3 // 8]}...{text[-(width // 5):]} ({len(text)} characters)"


class EosError(Exception):
    """Base class of every error symbolic-eos raises on purpose.

    >>> issubclass(InputError, EosError) and issubclass(DomainError, EosError)
    True
    """


class InputError(EosError, ValueError):
    """The user's input (text, point, range, target) cannot be used; the message says why.

    A message names a Python parameter in backticks (```digits` must be ...``) and lists it in
    ``parameters``, so the command line can say ``--digits`` instead (``cli`` maps the names).

    >>> InputError("`digits` must be between 5 and 20000, not 3", parameters=("digits",)).parameters
    ('digits',)

    >>> from symbolic_eos.core.parse import parse_expression
    >>> try:
    ...     parse_expression("x +")
    ... except InputError as exc:
    ...     print(exc)
    unexpected end of input
    """

    def __init__(self, message: str = "", parameters: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.parameters = tuple(parameters)

    def __reduce__(self):  # pickling (multiprocessing) keeps the parameters
        return (type(self), (str(self), self.parameters))


class DomainError(InputError):
    """The loss is not real, finite or smooth at the point where it is needed (``message``
    says what; ``parameters`` as for :class:`InputError`).

    >>> from symbolic_eos import check
    >>> try:
    ...     check("log(x)", at="-1")
    ... except DomainError as exc:
    ...     print(exc)
    log(...) is not real or not smooth at the point
    """


class InternalError(RuntimeError):
    """A broken invariant inside symbolic-eos (a bug, never the user's input): deliberately not
    an :class:`EosError`, so the CLI reports it on its internal-error path (exit 3).

    >>> issubclass(InternalError, EosError), issubclass(InternalError, RuntimeError)
    (False, True)
    """
