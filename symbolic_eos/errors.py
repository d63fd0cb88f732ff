"""The one exception family of symbolic-eos.

Library code raises these; only :mod:`symbolic_eos.cli` turns them into a one-line message and
exit code 2.
"""


class EosError(Exception):
    """Base class of every error symbolic-eos raises on purpose."""


class InputError(EosError, ValueError):
    """The user's input (text, point, range, target) cannot be used; the message says why."""


class DomainError(InputError):
    """The loss is not real, finite or smooth at the point where it is needed."""
