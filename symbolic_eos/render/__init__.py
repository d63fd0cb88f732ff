"""Everything that writes: atomic outputs, figures, Markdown reports."""

__all__: list[str] = []
