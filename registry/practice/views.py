from registry.practice import bp  # noqa: F401
