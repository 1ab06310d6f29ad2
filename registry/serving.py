"""gunicorn's settings for serving the registry: `gunicorn -c python:registry.serving app:app` (what `make serve` runs).

Everything comes from the environment, so several identical, stateless servers can run behind one reverse proxy:

- `HOST`, `PORT`: where to listen (default 127.0.0.1:8000; the proxy in front is what the world sees);
- `WEB_CONCURRENCY`: worker processes (default 2 × cores + 1, the cores this process may run on);
- `GUNICORN_TIMEOUT`: seconds a worker may spend on one request before it is restarted (default 120);
- `FORWARDED_ALLOW_IPS`: the proxies whose X-Forwarded-Proto is believed (default: none); the application's own
  `PROXY_FIX_X_FOR` / `_PROTO` / `_HOST` (werkzeug's ProxyFix) do the same for any server;
- the application's own settings (`DATABASE_URL`, `SECRET_KEY`, `UPLOAD_FOLDER`, `RATELIMIT_STORAGE_URI`,
  `REGISTRY_ENV`, …) are read by registry.config when each worker creates the app. With `REGISTRY_ENV=production`
  a worker refuses to start while `flask --app app check` lists a problem (registry.checks, which reads the worker
  count from here: limits counted in memory or an SQLite database without WAL are unsafe under several workers).

Any other gunicorn option can be given in `GUNICORN_CMD_ARGS` (gunicorn reads it itself).
"""
from __future__ import annotations

import os
from collections.abc import Mapping

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def available_cores() -> int:
    """The CPU cores this process may run on (its affinity mask, e.g. a container's cpuset), at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


def worker_count(environ: Mapping[str, str] = os.environ, cores: int | None = None) -> int:
    """Worker processes: `WEB_CONCURRENCY` when set (a positive integer, else ValueError), otherwise 2 × cores + 1
    (gunicorn's rule of thumb for sync workers that wait on the database)."""
    configured = environ.get("WEB_CONCURRENCY", "").strip()
    if configured:
        if not (configured.isascii() and configured.isdigit()) or int(configured) < 1:
            raise ValueError(f"WEB_CONCURRENCY must be a positive integer, not {configured!r}")
        return int(configured)
    return 2 * (cores if cores is not None else available_cores()) + 1


def bind_address(environ: Mapping[str, str] = os.environ) -> str:
    """`HOST:PORT` from the environment (default 127.0.0.1:8000); an IPv6 host is bracketed."""
    host = environ.get("HOST", "").strip() or DEFAULT_HOST
    port = environ.get("PORT", "").strip() or str(DEFAULT_PORT)
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


bind = [bind_address()]
workers = worker_count()
worker_class = "sync"
# A streamed export of a province (or a past date evaluated on demand) can run past gunicorn's default 30 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5  # behind a proxy that reuses its upstream connections
# Recycle workers now and then so that no slow growth of memory lasts; jitter keeps them from restarting together.
max_requests = 2000
max_requests_jitter = 200

accesslog = "-"  # stdout: journald, docker or the process manager keeps the logs
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'

# Trust X-Forwarded-Proto only from the proxies named in FORWARDED_ALLOW_IPS; gunicorn would trust 127.0.0.1 unasked.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")
# Several servers on one host would fight over the single default control socket path; the registry needs none.
control_socket_disable = True
# The heartbeat file in memory, not on a disk that may stall the workers (gunicorn's advice for containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # nosec B108  # gunicorn mkstemp()s its files there
