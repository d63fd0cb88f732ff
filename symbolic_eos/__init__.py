"""symbolic-eos: certified checks of stable oscillation beyond the edge of stability.

Gradient descent ``x <- x - eta f'(x)`` past ``eta0 = 2/f''(xb)`` can settle on a period-2
orbit instead of diverging (Chen & Bruna, "Beyond the Edge of Stability via Two-step Gradient
Updates").  This package checks the paper's conditions and the flip normal form for a user's
loss, with every verdict resting on exact arithmetic or certified ball arithmetic.

>>> import symbolic_eos as eos
>>> r = eos.check("(x**2 - 1)**2/4", at="1")
>>> r.paper.verdict, r.flip.verdict, r.rigor
('holds', 'supercritical', 'exact')
"""

__version__ = "0.1.0"

from .errors import DomainError, EosError, InputError  # noqa: E402
from .results import L2Check, MinimaCheck, StabilityCheck, check, check_l2  # noqa: E402

__all__ = [
    "__version__",
    "check",
    "check_l2",
    "StabilityCheck",
    "MinimaCheck",
    "L2Check",
    "EosError",
    "InputError",
    "DomainError",
]
