"""Deployment checks (`flask --app app check`) and production's refusal to start while any problem is listed."""
from __future__ import annotations

import re
import secrets
import sqlite3
from pathlib import Path

import pytest

from registry.checks import CHECKS, Deployment, UnsafeDeployment, run_checks
from registry.config import Config

PUBLISHED_KEY = "dev-only-secret-key-change-me"
PUBLIC_URL = "https://registry.dandong.edu.cn"


@pytest.fixture
def instance(tmp_path) -> Path:
    """An instance folder that others may pass through (mode 0755), as folders are by default."""
    folder = tmp_path / "instance"
    folder.mkdir()
    folder.chmod(0o755)
    return folder


@pytest.fixture
def private_folder(instance) -> Path:
    folder = instance / "evidence"
    folder.mkdir(mode=0o700)
    return folder


@pytest.fixture
def safe(instance, private_folder) -> dict:
    """A production deployment with nothing to report: (config, environ) to change one setting at a time."""
    config = {
        "DEBUG": False,
        "TESTING": False,
        "SECRET_KEY": secrets.token_hex(32),
        "WTF_CSRF_ENABLED": True,
        "SESSION_COOKIE_SECURE": False,
        "PROXY_FIX_X_PROTO": 1,
        "PROXY_FIX_X_FOR": 1,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "redis://redis.internal:6379/0",
        "LOGIN_FAILURES_PER_ACCOUNT": Config.LOGIN_FAILURES_PER_ACCOUNT,
        "LOGIN_ATTEMPTS_PER_ADDRESS": Config.LOGIN_ATTEMPTS_PER_ADDRESS,
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://registry@db.internal/registry",
        "UPLOAD_FOLDER": str(private_folder),
        "BASE_URL": PUBLIC_URL,
    }
    return {"config": config, "environ": {"WEB_CONCURRENCY": "4"}, "instance": instance}


def ids(safe: dict, config: dict | None = None, environ: dict | None = None) -> list[str]:
    deployment = Deployment({**safe["config"], **(config or {})}, {**safe["environ"], **(environ or {})}, safe["instance"])
    return [problem.id for problem in run_checks(deployment)]


def sqlite_file(path: Path, wal: bool) -> Path:
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA journal_mode={'wal' if wal else 'delete'}")
    connection.execute("CREATE TABLE t (x)")
    connection.close()
    path.chmod(0o600)
    return path


def test_a_safe_production_deployment_has_no_problems(safe):
    assert ids(safe) == []


@pytest.mark.parametrize(
    "config, environ, problem",
    [
        ({"DEBUG": True}, {}, "deploy.E001"),
        ({"TESTING": True}, {}, "deploy.E002"),
        ({"SECRET_KEY": None}, {}, "deploy.E003"),
        ({"WTF_CSRF_ENABLED": False}, {}, "deploy.E004"),
        ({"PROXY_FIX_X_PROTO": 0}, {}, "deploy.E005"),
        ({"PROXY_FIX_X_FOR": 0}, {}, "deploy.E012"),
        ({"PROXY_FIX_X_PROTO": 0, "SESSION_COOKIE_SECURE": True, "PROXY_FIX_X_FOR": 0}, {"FORWARDED_ALLOW_IPS": "10.0.0.2"},
         "deploy.E012"),
        ({"RATELIMIT_ENABLED": False}, {}, "deploy.E006"),
        ({"LOGIN_FAILURES_PER_ACCOUNT": "five a quarter"}, {}, "deploy.E007"),
        ({"LOGIN_ATTEMPTS_PER_ADDRESS": ""}, {}, "deploy.E007"),
        ({}, {"WEB_CONCURRENCY": "many"}, "deploy.E008"),
        ({}, {"WEB_CONCURRENCY": "0"}, "deploy.E008"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, {}, "deploy.E009"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, {"WEB_CONCURRENCY": ""}, "deploy.E009"),
        ({"SQLALCHEMY_DATABASE_URI": "sqlite://"}, {}, "deploy.E010"),
        ({"BASE_URL": Config.BASE_URL}, {}, "deploy.E013"),
    ],
)
def test_each_unsafe_setting_is_listed_alone_by_its_id(safe, config, environ, problem):
    assert ids(safe, config, environ) == [problem]


@pytest.mark.parametrize(
    "key, reason",
    [("", "empty"), ("a-short-key", "11 bytes"), ("x" * 31, "31 bytes"), (PUBLISHED_KEY, "published")],
)
def test_an_empty_short_or_published_secret_key_is_listed_with_its_reason(safe, key, reason):
    [problem] = run_checks(Deployment({**safe["config"], "SECRET_KEY": key}, safe["environ"], safe["instance"]))
    assert problem.id == "deploy.E003" and reason in problem.en


@pytest.mark.parametrize(
    "config, environ",
    [
        ({"SECRET_KEY": "k" * 32}, {}),
        ({"PROXY_FIX_X_PROTO": 0, "SESSION_COOKIE_SECURE": True}, {}),
        ({"PROXY_FIX_X_PROTO": 0}, {"FORWARDED_ALLOW_IPS": "10.0.0.2"}),
        ({"PROXY_FIX_X_PROTO": 0, "PROXY_FIX_X_FOR": 0, "SESSION_COOKIE_SECURE": True}, {}),
        ({"PROXY_FIX_X_PROTO": 0}, {"GUNICORN_CMD_ARGS": "--certfile /etc/tls/registry.pem --keyfile /etc/tls/key.pem"}),
        ({"LOGIN_FAILURES_PER_ACCOUNT": "3/hour", "LOGIN_ATTEMPTS_PER_ADDRESS": "10 per 30 seconds"}, {}),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, {"WEB_CONCURRENCY": "1"}),
        ({"SQLALCHEMY_DATABASE_URI": "sqlite://"}, {"WEB_CONCURRENCY": "1"}),
        ({"BASE_URL": "https://10.3.0.8:8443/registry"}, {}),
    ],
)
def test_the_safe_side_of_each_check_lists_nothing(safe, config, environ):
    assert ids(safe, config, environ) == []


def test_an_sqlite_file_under_several_workers_is_listed_unless_it_is_in_wal_mode(safe, tmp_path):
    wal = sqlite_file(tmp_path / "wal.sqlite", wal=True)
    rollback = sqlite_file(tmp_path / "rollback.sqlite", wal=False)
    assert ids(safe, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{wal}"}) == []
    assert ids(safe, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{rollback}"}) == ["deploy.E010"]
    assert ids(safe, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{rollback}"}, {"WEB_CONCURRENCY": "1"}) == []


def test_an_sqlite_file_not_created_yet_is_judged_once_it_exists(safe, tmp_path):
    assert ids(safe, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'not-yet.sqlite'}"}) == []


def test_an_upload_folder_open_to_group_or_others_is_listed(safe, private_folder):
    private_folder.chmod(0o750)
    assert ids(safe) == ["deploy.E011"]
    private_folder.chmod(0o700)
    assert ids(safe) == []


def test_a_secret_key_file_or_database_file_readable_by_others_is_listed(safe, instance):
    key_file = instance / "secret_key"
    key_file.write_text("k" * 64)
    database = sqlite_file(instance / "registry.sqlite", wal=True)
    sqlite = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}
    key_file.chmod(0o600)
    assert ids(safe, sqlite) == []
    key_file.chmod(0o644)
    database.chmod(0o640)
    problems = run_checks(Deployment({**safe["config"], **sqlite}, safe["environ"], instance))
    assert [problem.id for problem in problems] == ["deploy.E011", "deploy.E011"]
    assert "chmod 600" in str(problems[0]) and str(key_file) in str(problems[0]) and str(database) in str(problems[1])


def test_a_file_open_to_others_inside_a_private_folder_stays_private(safe, instance):
    database = sqlite_file(instance / "registry.sqlite", wal=True)
    database.chmod(0o644)
    sqlite = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}
    assert ids(safe, sqlite) == ["deploy.E011"]
    instance.chmod(0o700)
    assert ids(safe, sqlite) == []


@pytest.mark.parametrize(
    "base_url",
    ["http://127.0.0.1:5000", "https://127.0.0.1", "https://localhost:8443", "http://LOCALHOST", "https://[::1]/",
     "https://127.0.1.1", "http://registry.dandong.edu.cn", "registry.dandong.edu.cn", "", None],
)
def test_a_base_url_at_this_machine_or_on_plain_http_is_listed_because_every_reminders_links_would_be_wrong(
    safe, base_url
):
    [problem] = run_checks(Deployment({**safe["config"], "BASE_URL": base_url}, safe["environ"], safe["instance"]))
    assert problem.id == "deploy.E013"
    assert "提醒邮件和群消息中的链接将指向本机" in problem.zh and "BASE_URL" in problem.en


def test_every_problem_is_told_in_chinese_and_in_english_on_one_line(safe):
    unsafe = {"DEBUG": True, "TESTING": True, "SECRET_KEY": "", "WTF_CSRF_ENABLED": False, "PROXY_FIX_X_PROTO": 0,
              "RATELIMIT_ENABLED": False, "LOGIN_FAILURES_PER_ACCOUNT": "?", "RATELIMIT_STORAGE_URI": "memory://",
              "SQLALCHEMY_DATABASE_URI": "sqlite://", "BASE_URL": "http://登记.丹东.cn"}
    problems = run_checks(Deployment({**safe["config"], **unsafe}, safe["environ"], safe["instance"]))
    # All but the proxy's address (the proxy is not trusted here), the worker count and the file modes.
    assert len({problem.id for problem in problems}) == len(CHECKS) - 3
    for problem in problems:
        assert re.search(r"[\u4e00-\u9fff]", problem.zh) and re.fullmatch(r"[\x20-\x7e]+", problem.en)
        assert "\n" not in str(problem)


def test_production_refuses_to_start_naming_every_problem(make_app, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    with pytest.raises(UnsafeDeployment) as refused:
        make_app(REGISTRY_ENV="production", SECRET_KEY=PUBLISHED_KEY)
    message = str(refused.value)
    assert "拒绝启动" in message and "Refusing to start in production" in message
    for problem in ("deploy.E002", "deploy.E003", "deploy.E004", "deploy.E005", "deploy.E009", "deploy.E013"):
        assert problem in message
    assert "SECRET_KEY is a published example key" in message


@pytest.fixture
def safe_app_config(private_folder, monkeypatch) -> dict:
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    return {"TESTING": False, "WTF_CSRF_ENABLED": True, "PROXY_FIX_X_PROTO": 1, "PROXY_FIX_X_FOR": 1,
            "UPLOAD_FOLDER": str(private_folder), "BASE_URL": PUBLIC_URL}


def test_production_starts_when_nothing_is_listed(make_app, safe_app_config):
    app = make_app(REGISTRY_ENV="production", **safe_app_config)
    assert app.config["REGISTRY_ENV"] == "production"


def test_the_check_command_prints_every_problem_one_a_line_and_exits_1(app):
    result = app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 1
    listed = [line.split()[0] for line in result.output.splitlines() if line.startswith("deploy.")]
    assert {"deploy.E002", "deploy.E004"} <= set(listed) and len(listed) == len(set(listed))
    assert f"共 {len(listed)} 项问题" in result.output


def test_the_check_command_says_no_problems_and_exits_0_when_safe(make_app, safe_app_config):
    result = make_app(**safe_app_config).test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 0, result.output
    assert "没有发现问题 (no problems)" in result.output
