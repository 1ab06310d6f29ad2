from registry.api import bp  # noqa: F401
