"""GD as a map: 2-cycles and their certificates, branch continuation, stability windows, the existence theorem, basins, closed forms."""

__all__: list[str] = []
