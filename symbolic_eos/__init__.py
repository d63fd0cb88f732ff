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

from typing import TYPE_CHECKING, Any  # noqa: E402

from .errors import DomainError, EosError, InputError  # noqa: E402

if TYPE_CHECKING:
    from .api import (check, check_family, check_l2, check_l2_family, check_multivariate, compose, existence, multivariate_orbit,
                      orbit, window)
    from .analysis.families import FamilyCheck, L2FamilyCheck
    from .multi.families import MultivariateFamilyCheck
    from .analysis.results import L2Check, MinimaCheck, StabilityCheck

#: Where each lazily loaded name lives: the entry points parse at the edge (:mod:`.api`).
_LAZY = {
    **{name: "api" for name in ("check", "check_l2", "orbit", "window", "existence", "compose", "check_multivariate",
                                "multivariate_orbit", "check_family", "check_l2_family")},
    **{name: "analysis.families" for name in ("FamilyCheck", "L2FamilyCheck")},
    "MultivariateFamilyCheck": "multi.families",
    **{name: "analysis.results" for name in ("StabilityCheck", "MinimaCheck", "L2Check")},
}


def __getattr__(name: str) -> Any:
    # Loaded on first use (PEP 562), so `import symbolic_eos.cli` does not import sympy: the
    # command line starts inside its own error handling, and Ctrl-C at start-up is one line.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'symbolic_eos' has no attribute {name!r}")


__all__ = [
    "__version__",
    "check",
    "check_l2",
    "orbit",
    "window",
    "existence",
    "compose",
    "check_multivariate",
    "multivariate_orbit",
    "check_family",
    "check_l2_family",
    "StabilityCheck",
    "MinimaCheck",
    "L2Check",
    "FamilyCheck",
    "L2FamilyCheck",
    "MultivariateFamilyCheck",
    "EosError",
    "InputError",
    "DomainError",
]
