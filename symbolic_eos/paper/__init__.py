"""The paper's worked settings, its claims (catalog/claims.toml) and the environment a verification ran in."""

__all__: list[str] = []
