from registry.audit import bp  # noqa: F401
