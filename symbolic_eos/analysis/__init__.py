"""Minima, the paper's criteria and the flip normal form, 1-D and L2 checks, the composition rule, base-model certificates."""

__all__: list[str] = []
