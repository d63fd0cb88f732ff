"""The numbers the claim verifiers compare against, in one place: the poster's own (each cited by
the section of ``paper/poster.md`` that states it) and the fixed choices our verification makes
(tolerances, the points and learning rates we test at, the defaults of catalog parameters).

The poster's learning-rate window is ``1 < eta < 1.121``; its alignment bound is
``(1 - 0.030 K)^t``, about ``0.97`` per step at ``K = 1``:

>>> ETA_WINDOW_TEXT, f"1 - {ALIGNMENT_RATE_TEXT} K", ALIGNMENT_BOUND_AT_K1
('(1, 1.121)', '1 - 0.030 K', '0.97')
"""

from __future__ import annotations

__all__ = [
    "ETA_WINDOW", "ETA_WINDOW_TEXT", "ALIGNMENT_RATE_TEXT", "ALIGNMENT_BOUND_AT_K1",
    "XY_LOSS", "XY_CYCLE_START", "XY_CYCLE_ETA",
    "NEURON_TOLERANCE", "MF_COUNTEREXAMPLE_C", "MF_COUNTEREXAMPLE_POINT", "MF_CONFINED_TOLERANCE",
    "DEFAULT_BUDGET", "DEFAULT_STARTS", "DEFAULT_MLP_CONFIG", "DEFAULT_MLP_SEED", "QUARTIC_PROOF_ETAS",
]

# --- The poster's numbers.

#: The learning-rate window ``1 < eta < 1.121``, as texts (exact when parsed): poster II,
#: 'Convergence: a special 1D function' and 'a special 2D function' ("Learning rate: 1 < eta <
#: 1.121"); the same window is III's ``K in (1, 1.121)`` and IV's ``eta in (1, 1.121)``.
ETA_WINDOW = ("1", "1.121")
ETA_WINDOW_TEXT = f"({ETA_WINDOW[0]}, {ETA_WINDOW[1]})"

#: The per-step alignment rate: poster III, 'Convergence', 1. Directional alignment
#: ("proj_{w~^perp} w -> 0 as O((1 - 0.030 K)^t)"), as printed there, and the bound it gives per
#: step at K = 1 (the neuron report's claimed_rate is the same bound at each run's K).
ALIGNMENT_RATE_TEXT = "0.030"
ALIGNMENT_BOUND_AT_K1 = f"{1 - float(ALIGNMENT_RATE_TEXT):.2f}"

# --- Our choices (not the poster's).

#: The xy loss of poster II, 'Convergence: a special 2D function' (f(x, y) = (xy - 1)^2/2), and
#: where we certify its 2-cycle: GD from the balanced minimum (1, 1) at eta = 11/10, inside the window.
XY_LOSS = "(x*y-1)**2/2"
XY_CYCLE_START = (1, 1)
XY_CYCLE_ETA = "11/10"

#: A neuron run is balanced, or on the quartic's 2-cycle, when within this of it (float64 runs);
#: as text, the way the evidence prints it.
NEURON_TOLERANCE = "1e-9"

#: The matrix-factorization counterexample: C = diag(1, 1/4) (the mf_loss text) and the unbalanced
#: minimizer Y = diag(1, 1/8), Z = diag(1, 2) (the entries of Y then Z, row by row).
MF_COUNTEREXAMPLE_C = "1,0;0,1/4"
MF_COUNTEREXAMPLE_POINT = "1,0,0,1/8,1,0,0,2"

#: A matrix-factorization run is reported as confined to u u^T "below" this distance (as text).
MF_CONFINED_TOLERANCE = "1e-12"

#: The verifiers' defaults when the catalog leaves a parameter out (the shipped catalog sets each):
#: the composition search's budget of (pair, point) checks, the quartic basin's number of starts,
#: the MLP configuration and seed.
DEFAULT_BUDGET = 2000
DEFAULT_STARTS = 200
DEFAULT_MLP_CONFIG = "small"
DEFAULT_MLP_SEED = 0

#: Our choice: the eta-interval of the quartic basin proof, nearly the poster's whole window
#: (1, 1.121); below 1001/1000 the 2-cycle is too close to its birth at 1 for the Krawczyk step.
QUARTIC_PROOF_ETAS = ("1001/1000", "1121/1000")
