"""Configuration read from the environment (see api.md, "Configuration")."""
import os
import secrets
from pathlib import Path

from registry.notify.robot_hosts import OFFICIAL_HOSTS

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE = PROJECT_ROOT / "instance"


def env_count(name: str, default: int = 0, minimum: int = 0) -> int:
    """The environment variable `name` as a whole number of at least `minimum` (`default` when unset or blank).

    Raises ValueError naming the variable when it is anything else. Proxy counts: env_count("PROXY_FIX_X_FOR");
    limits above 0: env_count("SESSION_IDLE_MINUTES", 30, minimum=1).
    """
    value = os.environ.get(name, "").strip() or str(default)
    if not (value.isascii() and value.isdigit()) or int(value) < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, not {value!r}")
    return int(value)


FLAG_WORDS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def env_flag(name: str, default: bool = False) -> bool:
    """The environment variable `name` as a yes/no setting: 1, true, yes, on or 0, false, no, off in any case
    (`default` when unset or blank).

    Raises ValueError naming the variable when it is anything else: env_flag("MAIL_USE_TLS").
    """
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in FLAG_WORDS:
        raise ValueError(f"{name} must be one of {', '.join(FLAG_WORDS)}, not {value!r}")
    return FLAG_WORDS[value]


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")  # None: registry.secret_key keeps one in instance/
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'registry.sqlite'}")
    # Statement parameters (identity numbers, names) never reach a log line or an error message; a pooled
    # connection is tested before use, so the first request after the database is back does not fail.
    SQLALCHEMY_ENGINE_OPTIONS = {"hide_parameters": True, "pool_pre_ping": True}
    # How long an SQLite write waits for another writer before giving up with 503 (milliseconds).
    SQLITE_BUSY_TIMEOUT_MS = env_count("SQLITE_BUSY_TIMEOUT_MS", 5000, minimum=1)
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE / "evidence"))
    # Where the sign-in limits are counted (registry.auth.throttle): memory:// counts in each process apart, so several
    # workers or servers need a shared storage such as redis://host:6379/0.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    LOGIN_FAILURES_PER_ACCOUNT = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_ATTEMPTS_PER_ADDRESS = os.environ.get("LOGIN_ATTEMPTS_PER_ADDRESS", "20 per minute")
    MAX_CONTENT_LENGTH = 21 * 1024 * 1024  # the largest upload (an import file, 20 MB) and the form around it
    MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
    IMPORT_MAX_BYTES = 20 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ["zh_CN", "en"]
    PER_PAGE = 50
    # The most rows the whole compliance list is printed with (/bureau/compliance/print): past it the page asks to
    # narrow the filters or take the Excel export instead of laying out a document no browser prints.
    COMPLIANCE_PRINT_MAX_ROWS = env_count("COMPLIANCE_PRINT_MAX_ROWS", 5000, minimum=1)
    # "production" makes the app refuse to start with an empty, short or published secret key.
    REGISTRY_ENV = os.environ.get("REGISTRY_ENV", "development")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A page session ends after this long without a request, and this long after signing in whatever happens
    # (registry.auth_loaders; PERMANENT_SESSION_LIFETIME follows SESSION_MAX_HOURS). Secure cookies on HTTPS.
    SESSION_IDLE_MINUTES = env_count("SESSION_IDLE_MINUTES", 30, minimum=1)
    SESSION_MAX_HOURS = env_count("SESSION_MAX_HOURS", 12, minimum=1)
    # How many proxies in front set X-Forwarded-For / -Proto / -Host (werkzeug's ProxyFix); 0 believes none of them.
    # Behind one nginx: 1 each, so that the client's address, HTTPS and host name are seen.
    PROXY_FIX_X_FOR = env_count("PROXY_FIX_X_FOR")
    PROXY_FIX_X_PROTO = env_count("PROXY_FIX_X_PROTO")
    PROXY_FIX_X_HOST = env_count("PROXY_FIX_X_HOST")
    # Argon2id cost, the name of a profile in argon2.profiles: RFC 9106's low-memory profile (argon2-cffi's
    # default, 3 passes over 64 MiB in 4 lanes) is above OWASP's minimum. Tests pick CHEAPEST.
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"
    # Reminders (registry.services.reminders). E-mail goes out through this SMTP server; with no MAIL_SERVER no
    # e-mail is queued or sent (notifications still appear in the registry and on the robots).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = env_count("MAIL_PORT", 25, minimum=1)
    MAIL_USE_TLS = env_flag("MAIL_USE_TLS")
    MAIL_USE_SSL = env_flag("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "registry@localhost")
    MAIL_TIMEOUT = env_count("MAIL_TIMEOUT", 30, minimum=1)  # seconds an SMTP server may take to answer
    # The registry's address as its users reach it: links in e-mails and robot posts are made from it.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    # Hosts a work-group robot's webhook may point to (comma-separated): the official WeCom and DingTalk hosts,
    # so that a webhook address can never make the server post to a machine of its own network.
    ROBOT_WEBHOOK_HOSTS = [host.strip() for host in os.environ.get(
        "ROBOT_WEBHOOK_HOSTS", ",".join(OFFICIAL_HOSTS.values())).split(",") if host.strip()]
    ROBOT_TIMEOUT = env_count("ROBOT_TIMEOUT", 10, minimum=1)  # seconds a robot's webhook may take to answer


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = secrets.token_hex(32)  # a fresh key each run: nothing signed by a test outlives it
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    # Unthrottled unless a test lowers them (tests/app/test_throttle.py).
    LOGIN_FAILURES_PER_ACCOUNT = "10000 per minute"
    LOGIN_ATTEMPTS_PER_ADDRESS = "10000 per minute"
    PASSWORD_HASH_PROFILE = "CHEAPEST"
    MAIL_SERVER = ""  # tests that send e-mail start their own SMTP server (tests/app/mail_servers.py)
    MAIL_TIMEOUT = 5
    BASE_URL = "http://registry.test"
    ROBOT_TIMEOUT = 5
