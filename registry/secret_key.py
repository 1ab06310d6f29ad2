"""The key that signs sessions: given by SECRET_KEY, or generated once into the instance folder.

No key is written in the code. Without SECRET_KEY a random key is generated
the first time the application starts and kept in `instance/secret_key`
(readable by its owner only), so sessions survive a restart. A key that is
empty, shorter than MIN_BYTES or a known published one is a deployment problem
(`secret_key_problem` says why; registry.checks lists it, and production refuses
to start with it).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

MIN_BYTES = 32
KEY_FILE = "secret_key"
# Keys published in this project's history or in common examples: anyone could sign sessions with them.
KNOWN_KEYS = frozenset({
    "dev-only-secret-key-change-me", "test-secret-key", "dev", "secret", "changeme", "change-me", "secret-key",
    "your-secret-key", "SECRET_KEY",
})


def instance_secret_key(instance_path: str | Path) -> str:
    """The key kept in `instance_path`/secret_key, generated there (64 hex characters, mode 0600) when missing.

    Two processes starting at once share whichever key was written first. Raises OSError if the folder is
    not writable.
    """
    path = Path(instance_path) / KEY_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_hex(MIN_BYTES)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key)
    return key


def secret_key_problem(key: str | bytes | None) -> str | None:
    """Why `key` must not sign production sessions (a sentence), or None when it may."""
    if not key:
        return "SECRET_KEY is empty"
    if key in KNOWN_KEYS:
        return "SECRET_KEY is a published example key"
    raw = key.encode() if isinstance(key, str) else key
    if len(raw) < MIN_BYTES:
        return f"SECRET_KEY is {len(raw)} bytes long; use at least {MIN_BYTES} random bytes"
    return None


def init(app: Flask) -> None:
    """Give `app` its signing key: SECRET_KEY, else the instance key (see instance_secret_key).

    Raises OSError when the instance key is needed and the instance folder is not writable.
    """
    if app.config.get("SECRET_KEY") is None:
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
