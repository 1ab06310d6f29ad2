"""Domain errors raised by the service layer; pages and the API render them."""


class RegistryError(Exception):
    status = 400


class Invalid(RegistryError):
    """Bad input: `errors` maps every bad field to a message."""

    status = 400

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class Forbidden(RegistryError):
    """The caller's role may never do this."""

    status = 403


class NotFound(RegistryError):
    """Absent, or outside the caller's scope: the two look the same."""

    status = 404


class Conflict(RegistryError):
    """The action does not fit the record's current state (e.g. verifying a planned record)."""

    status = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
