from registry.policies import bp  # noqa: F401
