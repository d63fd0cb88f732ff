"""Hypothesis profiles: ``ci`` loads itself when the CI environment variable is set (hypothesis'
built-in profile); ``thorough`` is for long local runs:

    make test-thorough          # or: .venv/bin/python -m pytest --hypothesis-profile=thorough
"""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=60, deadline=None)
