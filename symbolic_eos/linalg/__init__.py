"""Certified linear algebra on balls: the eigen-structure of exact symmetric matrices, the Krawczyk operator."""

__all__: list[str] = []
