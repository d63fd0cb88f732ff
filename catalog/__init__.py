"""The catalog: the paper's claims and the base models of L2 losses, as TOML data (no code)."""
