"""Several variables: Hessian eigen-structure (exact and certified), cross-sections, the multivariate flip, n-D 2-cycles."""

__all__: list[str] = []
