"""The paper's worked settings, each checked rather than assumed.

* :mod:`symbolic_eos.settings.quartic`: ``f(x) = (x^2 - 1)^2/4``, whose 2-cycle the paper
  describes by ``eta = 1/(delta^2 (sqrt(1/delta^2 - 3/4) + 1/2))`` for ``1 < eta < 1.121``.
"""

__all__ = ["quartic"]
