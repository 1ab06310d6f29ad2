"""Configuration read from the environment (see api.md, "Configuration")."""
import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE = PROJECT_ROOT / "instance"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")  # None: registry.secret_key keeps one in instance/
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'registry.sqlite'}")
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE / "evidence"))
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute"
    MAX_CONTENT_LENGTH = 21 * 1024 * 1024  # the largest upload (an import file, 20 MB) and the form around it
    MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
    IMPORT_MAX_BYTES = 20 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ["zh_CN", "en"]
    PER_PAGE = 50
    # "production" makes the app refuse to start with an empty, short or published secret key.
    REGISTRY_ENV = os.environ.get("REGISTRY_ENV", "development")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Argon2id cost, the name of a profile in argon2.profiles: RFC 9106's low-memory profile (argon2-cffi's
    # default, 3 passes over 64 MiB in 4 lanes) is above OWASP's minimum. Tests pick CHEAPEST.
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = secrets.token_hex(32)  # a fresh key each run: nothing signed by a test outlives it
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    LOGIN_RATE_LIMIT = "10000 per minute"
    PASSWORD_HASH_PROFILE = "CHEAPEST"
