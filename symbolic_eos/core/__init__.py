"""The bottom layer: the typed vocabulary, argument validation, the safe parser, Taylor jets and the one place signs are decided."""

__all__: list[str] = []
