"""Deployment checks in the style of Django's `check --deploy`: the settings that are unsafe in production.

Each check reads a `Deployment` (the application's configuration, the environment and the instance folder) and
yields `Problem`s, each with an id and a message in Chinese and English. `flask --app app check` prints them;
with `REGISTRY_ENV=production` the application refuses to start while there is any (`refuse_unsafe_production`).

The worker count is the production server's (registry.serving: `WEB_CONCURRENCY`, else 2 × cores + 1), since
limits counted in memory and an SQLite database are only safe to share between processes under conditions.
"""
from __future__ import annotations

import ipaddress
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import click
from flask import Flask
from limits import parse
from sqlalchemy import make_url

from registry.secret_key import KEY_FILE, secret_key_problem
from registry.serving import worker_count

IN_MEMORY = ":memory:"
SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_WAL_VERSION = 2  # bytes 18 and 19 of the header, the write and read versions: 2 in WAL mode, 1 otherwise


@dataclass(frozen=True)
class Problem:
    """One unsafe setting: `id` (e.g. "deploy.E001"), what is wrong and how to fix it in Chinese and in English."""

    id: str
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.id} {self.zh} {self.en}"


@dataclass(frozen=True)
class Deployment:
    """What the checks read: the application's `config`, the process `environ` and the `instance_path` folder."""

    config: Mapping[str, Any]
    environ: Mapping[str, str]
    instance_path: Path

    @classmethod
    def of(cls, app: Flask, environ: Mapping[str, str] = os.environ) -> Deployment:
        return cls(app.config, environ, Path(app.instance_path))


class UnsafeDeployment(RuntimeError, click.ClickException):
    """The application refuses to start in production; the message names every problem, one a line.

    Being a ClickException too, a `flask --app app …` command that loads the app prints the message and exits 1,
    without a traceback.
    """

    def __init__(self, problems: list[Problem]):
        lines = "\n".join(f"  {problem}" for problem in problems)
        message = (
            f"REGISTRY_ENV=production：发现 {len(problems)} 项不安全的设置，拒绝启动。"
            f" Refusing to start in production with {len(problems)} unsafe setting(s):\n{lines}"
        )
        click.ClickException.__init__(self, message)
        self.problems = problems


def workers(deployment: Deployment) -> int | None:
    """The production server's worker processes (registry.serving.worker_count), or None when WEB_CONCURRENCY is
    not a positive integer (`invalid_worker_count` reports that)."""
    try:
        return worker_count(deployment.environ)
    except ValueError:
        return None


def debug_mode(deployment: Deployment) -> Iterator[Problem]:
    if deployment.config.get("DEBUG"):
        yield Problem(
            "deploy.E001",
            "调试模式已开启（DEBUG / FLASK_DEBUG）：出错页面会显示源代码和变量，调试器还能执行任意代码。",
            "DEBUG is on: error pages show source code and variables, and the debugger runs any code; unset FLASK_DEBUG.",
        )


def testing_mode(deployment: Deployment) -> Iterator[Problem]:
    if deployment.config.get("TESTING"):
        yield Problem(
            "deploy.E002",
            "测试模式已开启（TESTING）：意外错误不再显示为错误页面，而是直接抛出。",
            "TESTING is on: unexpected errors are raised instead of answered with an error page.",
        )


def weak_secret_key(deployment: Deployment) -> Iterator[Problem]:
    problem = secret_key_problem(deployment.config.get("SECRET_KEY"))
    if problem:
        yield Problem(
            "deploy.E003",
            "会话签名密钥（SECRET_KEY）为空、太短或是公开的示例密钥，任何人都能伪造登录会话。",
            f"{problem}: anyone could forge a session. Set SECRET_KEY to a random value "
            "(`python -c 'import secrets; print(secrets.token_hex(32))'`) or unset it to use instance/secret_key.",
        )


def csrf_disabled(deployment: Deployment) -> Iterator[Problem]:
    if not deployment.config.get("WTF_CSRF_ENABLED", True):
        yield Problem(
            "deploy.E004",
            "表单的 CSRF 保护已关闭（WTF_CSRF_ENABLED）：其他网站可以借用户的登录提交表单。",
            "CSRF protection is off (WTF_CSRF_ENABLED): other sites could post forms as a signed-in user.",
        )


def insecure_session_cookie(deployment: Deployment) -> Iterator[Problem]:
    """The cookie is Secure when SESSION_COOKIE_SECURE is on or the request is HTTPS, which the registry sees
    through ProxyFix (PROXY_FIX_X_PROTO), gunicorn's trusted proxies (FORWARDED_ALLOW_IPS) or gunicorn's own TLS."""
    config, environ = deployment.config, deployment.environ
    if (
        config.get("SESSION_COOKIE_SECURE")
        or config.get("PROXY_FIX_X_PROTO", 0)
        or environ.get("FORWARDED_ALLOW_IPS", "").strip()
        or "--certfile" in environ.get("GUNICORN_CMD_ARGS", "")
    ):
        return
    yield Problem(
        "deploy.E005",
        "会话 Cookie 无法标记为 Secure：本系统看不出请求是否经 HTTPS 到达，Cookie 可能以明文传送。",
        "The session cookie cannot be Secure: the registry cannot tell HTTPS requests. Behind a TLS proxy set "
        "PROXY_FIX_X_PROTO=1 (or FORWARDED_ALLOW_IPS to the proxy's address).",
    )


def proxy_address_unseen(deployment: Deployment) -> Iterator[Problem]:
    """Behind a proxy, the client's address is the proxy's unless ProxyFix reads X-Forwarded-For."""
    config, environ = deployment.config, deployment.environ
    behind_proxy = config.get("PROXY_FIX_X_PROTO", 0) or environ.get("FORWARDED_ALLOW_IPS", "").strip()
    if behind_proxy and not config.get("PROXY_FIX_X_FOR", 0):
        yield Problem(
            "deploy.E012",
            "系统在反向代理之后，却没有设置 PROXY_FIX_X_FOR：所有用户的地址都是代理的地址，按地址的登录限流会把所有人一起挡住。",
            "Behind a proxy (PROXY_FIX_X_PROTO or FORWARDED_ALLOW_IPS) without PROXY_FIX_X_FOR every client has the "
            "proxy's address, so the per-address sign-in limit stops everyone at once. Set PROXY_FIX_X_FOR=1.",
        )


def rate_limiting_disabled(deployment: Deployment) -> Iterator[Problem]:
    if not deployment.config.get("RATELIMIT_ENABLED", True):
        yield Problem(
            "deploy.E006",
            "登录限流已关闭（RATELIMIT_ENABLED）：密码可以被无限次猜测。",
            "Rate limiting is off (RATELIMIT_ENABLED): passwords can be guessed without limit.",
        )


def unreadable_login_limits(deployment: Deployment) -> Iterator[Problem]:
    for name in ("LOGIN_FAILURES_PER_ACCOUNT", "LOGIN_ATTEMPTS_PER_ADDRESS"):
        value = deployment.config.get(name)
        try:
            parse(value)
        except ValueError:
            yield Problem(
                "deploy.E007",
                f"登录限流设置 {name}={value!r} 无法识别，登录页会出错。",
                f"{name}={value!r} is not a rate limit such as '5 per 15 minutes'; the sign-in page would fail.",
            )


def invalid_worker_count(deployment: Deployment) -> Iterator[Problem]:
    if workers(deployment) is None:
        value = deployment.environ.get("WEB_CONCURRENCY")
        yield Problem(
            "deploy.E008",
            f"WEB_CONCURRENCY={value!r} 不是正整数。",
            f"WEB_CONCURRENCY={value!r} is not a positive integer (the production server's worker processes).",
        )


def memory_limiter_with_several_workers(deployment: Deployment) -> Iterator[Problem]:
    uri = str(deployment.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    count = workers(deployment)
    if uri.startswith(("memory:", "async+memory:")) and count is not None and count > 1:
        yield Problem(
            "deploy.E009",
            f"登录限流计数保存在各进程的内存里（{uri}），而生产服务器有 {count} 个工作进程：每个进程各数各的，"
            "限流形同放大。",
            f"Sign-in limits are counted in each process's memory ({uri}) under {count} workers, so each worker "
            "counts apart. Set RATELIMIT_STORAGE_URI=redis://host:6379/0 (or WEB_CONCURRENCY=1).",
        )


def sqlite_database(deployment: Deployment) -> Path | Literal[":memory:"] | None:
    """The SQLite database file of SQLALCHEMY_DATABASE_URI, ":memory:" for an in-memory database, None when the
    database is not SQLite."""
    url = make_url(str(deployment.config.get("SQLALCHEMY_DATABASE_URI")))
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or url.query.get("mode") == "memory" or database.startswith("file::memory:"):
        return IN_MEMORY
    return Path(database.removeprefix("file:").split("?", 1)[0])


def in_wal_mode(path: Path) -> bool | None:
    """Whether the SQLite file at `path` is in WAL mode (read from its header); None when it does not exist yet
    or is no SQLite database, as before its first migration."""
    try:
        with path.open("rb") as file:
            header = file.read(20)
    except FileNotFoundError:
        return None
    if not header.startswith(SQLITE_HEADER) or len(header) < 20:
        return None
    return header[18] == header[19] == SQLITE_WAL_VERSION


def sqlite_with_several_workers(deployment: Deployment) -> Iterator[Problem]:
    """An in-memory database is one per process; a file is safe for several workers in WAL mode only (readers
    and the writer do not block each other). A file not created yet is judged once it exists."""
    database = sqlite_database(deployment)
    count = workers(deployment)
    if database is None or count is None or count < 2:
        return
    if database == IN_MEMORY:
        yield Problem(
            "deploy.E010",
            f"数据库是 SQLite 内存库，而生产服务器有 {count} 个工作进程：每个进程看到的是各自的一份数据。",
            f"The database is an in-memory SQLite database under {count} workers: each worker has its own data. "
            "Use a file or PostgreSQL (DATABASE_URL).",
        )
    elif isinstance(database, Path) and in_wal_mode(database) is False:
        yield Problem(
            "deploy.E010",
            f"SQLite 数据库 {database} 不是 WAL 模式，而生产服务器有 {count} 个工作进程：读写会互相阻塞、出错。",
            f"The SQLite database {database} is not in WAL mode under {count} workers: readers and writers block "
            "each other. Use PostgreSQL, or WEB_CONCURRENCY=1.",
        )


def private_paths(deployment: Deployment) -> list[Path]:
    """The folder and files only the registry's own user may read: the evidence folder, the instance key file and
    the SQLite database file."""
    paths = [deployment.instance_path / KEY_FILE]
    if deployment.config.get("UPLOAD_FOLDER"):
        paths.append(Path(deployment.config["UPLOAD_FOLDER"]))
    database = sqlite_database(deployment)
    if isinstance(database, Path):
        paths.append(database)
    return paths


def open_to_others(path: Path) -> int | None:
    """The permission bits of `path` when its group or other users can reach it, else None: the path grants them
    some access and its folder lets them through (a 0644 file in a 0700 folder stays private). Raises
    FileNotFoundError when `path` does not exist."""
    mode = stat.S_IMODE(path.stat().st_mode)
    folder = stat.S_IMODE(path.parent.stat().st_mode)
    group = mode & 0o070 and folder & 0o010
    others = mode & 0o007 and folder & 0o001
    return mode if group or others else None


def readable_by_others(deployment: Deployment) -> Iterator[Problem]:
    for path in private_paths(deployment):
        try:
            mode = open_to_others(path)
        except FileNotFoundError:
            continue
        if mode is not None:
            wanted = "700" if path.is_dir() else "600"
            yield Problem(
                "deploy.E011",
                f"{path} 的权限是 {mode:o}，同组或其他用户也能访问其中的个人信息或密钥。",
                f"{path} has mode {mode:o}: its group or other users can reach personal data or keys; "
                f"chmod {wanted} {path}.",
            )


def this_machine(host: str) -> bool:
    """Whether `host` (a URL's host name, lower case) names this machine: localhost, a loopback address or the
    unspecified address (0.0.0.0, ::)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def base_url_not_public(deployment: Deployment) -> Iterator[Problem]:
    """BASE_URL is where the links of every reminder e-mail and robot post lead: it must be the address users reach
    the registry at, over HTTPS."""
    base_url = str(deployment.config.get("BASE_URL") or "")
    try:
        parts = urlsplit(base_url)
        host = (parts.hostname or "").lower()
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme != "https" or this_machine(host):
        yield Problem(
            "deploy.E013",
            f"提醒邮件和群消息中的链接将指向本机或使用明文 HTTP（BASE_URL={base_url!r}）：收件人打不开，或链接可能被篡改。"
            "请把 BASE_URL 设为用户访问本系统的 https:// 地址。",
            f"Links in reminder e-mails and robot posts would point to this machine or use plain HTTP "
            f"(BASE_URL={base_url!a}). Set BASE_URL to the https:// address users reach the registry at.",
        )


CHECKS: tuple[Callable[[Deployment], Iterator[Problem]], ...] = (
    debug_mode,
    testing_mode,
    weak_secret_key,
    csrf_disabled,
    insecure_session_cookie,
    proxy_address_unseen,
    rate_limiting_disabled,
    unreadable_login_limits,
    invalid_worker_count,
    memory_limiter_with_several_workers,
    sqlite_with_several_workers,
    readable_by_others,
    base_url_not_public,
)


def run_checks(deployment: Deployment) -> list[Problem]:
    """Every problem of `deployment`, in the order of CHECKS (empty when it is safe for production)."""
    return [problem for check in CHECKS for problem in check(deployment)]


def refuse_unsafe_production(app: Flask) -> None:
    """Raise UnsafeDeployment, naming every problem, when REGISTRY_ENV is production and `app` has any."""
    if app.config.get("REGISTRY_ENV") != "production":
        return
    problems = run_checks(Deployment.of(app))
    if problems:
        raise UnsafeDeployment(problems)
