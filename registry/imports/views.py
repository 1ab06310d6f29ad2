from registry.imports import bp  # noqa: F401
