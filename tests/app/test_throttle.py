"""Sign-in throttling: failures per login and attempts per address, in the limiter's storage — in memory here, and
in a real redis-server shared by two server processes at the end."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import redis
from flask_migrate import upgrade
from limits.storage import RedisStorage

from registry.config import PROJECT_ROOT, Config, TestConfig
from registry.extensions import db, limiter
from tests.app.factories import Factory
from tests.conftest import FROZEN_NOW

WRONG = "not-the-password-1"


@pytest.fixture
def throttled(app) -> Iterator[None]:
    """The production limits (5 failures per login per 15 minutes, 20 attempts per address per minute), counted
    from zero."""
    limiter.reset()
    app.config.update(
        LOGIN_FAILURES_PER_ACCOUNT=Config.LOGIN_FAILURES_PER_ACCOUNT,
        LOGIN_ATTEMPTS_PER_ADDRESS=Config.LOGIN_ATTEMPTS_PER_ADDRESS,
    )
    yield
    app.config.update(
        LOGIN_FAILURES_PER_ACCOUNT=TestConfig.LOGIN_FAILURES_PER_ACCOUNT,
        LOGIN_ATTEMPTS_PER_ADDRESS=TestConfig.LOGIN_ATTEMPTS_PER_ADDRESS,
    )
    limiter.reset()


def sign_in(client, login: str, password: str, address: str = "10.0.0.1"):
    return client.post("/login", data={"login": login, "password": password}, environ_base={"REMOTE_ADDR": address})


def test_the_production_limits_are_five_failures_per_login_in_15_minutes_and_20_attempts_per_address_a_minute():
    assert Config.LOGIN_FAILURES_PER_ACCOUNT == "5 per 15 minutes"
    assert Config.LOGIN_ATTEMPTS_PER_ADDRESS == "20 per minute"


def test_the_sixth_failure_of_one_login_within_15_minutes_is_refused_saying_when_to_try_again(
    make, client, throttled, frozen_today
):
    user = make.user("bureau")
    codes = [sign_in(client, user.login, WRONG).status_code for _ in range(5)]
    refused = sign_in(client, user.login, WRONG)
    assert codes == [200] * 5
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "900"
    assert "登录尝试次数过多，请于 10:15 后再试。" in refused.get_data(as_text=True)


def test_failures_from_every_address_and_spelling_of_a_login_count_together(make, client, throttled, frozen_today):
    user = make.user("bureau", login="Wang.Li")
    for number, spelling in enumerate(["Wang.Li", "wang.li", " WANG.LI ", "wang.li", "Wang.li"]):
        assert sign_in(client, spelling, WRONG, address=f"10.0.1.{number}").status_code == 200
    assert sign_in(client, user.login, make.PASSWORD, address="10.0.2.1").status_code == 429


def test_a_locked_login_is_refused_even_with_its_right_password_like_an_unknown_login(make, client, throttled, frozen_today):
    user = make.user("bureau")
    for login in (user.login, "nobody-by-this-name"):
        for _ in range(5):
            sign_in(client, login, WRONG)
    known = sign_in(client, user.login, make.PASSWORD)
    unknown = sign_in(client, "nobody-by-this-name", make.PASSWORD)
    for answer in (known, unknown):
        page = answer.get_data(as_text=True)
        assert answer.status_code == 429 and answer.headers["Retry-After"] == "900"
        assert "请于 10:15 后再试" in page and "登录名或密码不正确" not in page
    assert client.get("/").status_code == 302


def test_a_user_locked_out_by_someone_elses_guesses_signs_in_after_the_window(
    make, client, throttled, frozen_today, time_machine
):
    user = make.user("bureau")
    for _ in range(5):
        sign_in(client, user.login, WRONG, address="203.0.113.9")
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=14, seconds=59), tick=False)
    assert sign_in(client, user.login, make.PASSWORD).status_code == 429
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=15), tick=False)
    assert sign_in(client, user.login, make.PASSWORD).status_code == 302


def test_failures_below_the_limit_do_not_stop_the_right_password(make, client, throttled, frozen_today):
    user = make.user("bureau")
    for _ in range(4):
        sign_in(client, user.login, WRONG)
    assert sign_in(client, user.login, make.PASSWORD).status_code == 302


def test_the_21st_sign_in_post_from_one_address_within_a_minute_is_refused_whatever_it_holds(
    client, throttled, frozen_today
):
    codes = [client.post("/login", data={}, environ_base={"REMOTE_ADDR": "10.0.3.1"}).status_code for _ in range(20)]
    refused = client.post("/login", data={}, environ_base={"REMOTE_ADDR": "10.0.3.1"})
    assert codes == [200] * 20
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert "登录尝试次数过多，请于 10:01 后再试。" in refused.get_data(as_text=True)
    assert client.get("/login", environ_base={"REMOTE_ADDR": "10.0.3.1"}).status_code == 200
    assert client.post("/login", data={}, environ_base={"REMOTE_ADDR": "10.0.3.2"}).status_code == 200


def test_changing_ones_password_is_limited_per_address_too_with_the_error_page(make, client, login, throttled, frozen_today):
    login(make.user("bureau"))
    codes = [client.post("/account/password", data={}).status_code for _ in range(20)]
    refused = client.post("/account/password", data={})
    assert codes == [200] * 20
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    assert "尝试次数过多，请于 10:01 后再试。" in refused.get_data(as_text=True)


def test_a_refusal_at_the_end_of_the_day_names_the_date_to_try_again(make, client, throttled, time_machine):
    time_machine.move_to(FROZEN_NOW.replace(hour=23, minute=50, second=30), tick=False)
    user = make.user("bureau")
    for _ in range(5):
        sign_in(client, user.login, WRONG)
    refused = sign_in(client, user.login, WRONG)
    assert refused.headers["Retry-After"] == "900"
    assert "请于 2026-11-29 00:06 后再试" in refused.get_data(as_text=True)


def test_a_redis_storage_uri_starts_the_app(app, make_app):
    try:
        other = make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6399/0")
        assert other.config["RATELIMIT_STORAGE_URI"].startswith("redis://")
        assert isinstance(limiter.storage, RedisStorage)
    finally:
        limiter.init_app(app)  # the shared limiter counts for the tests' app again, in memory
    assert not isinstance(limiter.storage, RedisStorage)


# Two server processes of the registry on one SQLite file, counting in one real redis-server.

SERVER = """
import json, sys
from werkzeug.serving import make_server
from registry import create_app
from registry.config import TestConfig

config = {name: getattr(TestConfig, name) for name in dir(TestConfig) if name.isupper()}
config.update(json.loads(sys.argv[1]))
server = make_server("127.0.0.1", 0, create_app(config), threaded=True)
print(server.port, flush=True)
server.serve_forever()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path) -> Iterator[str]:
    """A redis-server of this test's own on a free port (skipped without the binary, except in CI)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is missing; .ci/run installs it")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            pytest.fail("redis-server did not answer")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def user_database(make_app, tmp_path) -> tuple[str, str]:
    """An SQLite file migrated and holding one bureau user; returns (database URL, login)."""
    url = f"sqlite:///{tmp_path / 'registry.sqlite'}"
    other = make_app(SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=str(tmp_path / "evidence"))
    with other.app_context():
        upgrade()
        login = Factory().user("bureau").login
        db.engine.dispose()
    return url, login


@pytest.fixture
def two_servers(redis_url, user_database, tmp_path) -> Iterator[list[int]]:
    """Two registry processes on one SQLite file, counting sign-ins in one redis-server; yields their ports."""
    url, _login = user_database
    config = json.dumps({
        "SQLALCHEMY_DATABASE_URI": url,
        "UPLOAD_FOLDER": str(tmp_path / "evidence"),
        "RATELIMIT_STORAGE_URI": redis_url,
        "LOGIN_FAILURES_PER_ACCOUNT": Config.LOGIN_FAILURES_PER_ACCOUNT,
        "LOGIN_ATTEMPTS_PER_ADDRESS": Config.LOGIN_ATTEMPTS_PER_ADDRESS,
    })
    processes = [
        subprocess.Popen([sys.executable, "-c", SERVER, config], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        ports = []
        for process in processes:
            line = process.stdout.readline()
            if not line:
                pytest.fail(f"a registry server did not start:\n{process.communicate(timeout=10)[1]}")
            ports.append(int(line))
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.communicate(timeout=10)


def post_sign_in(port: int, login: str, password: str) -> tuple[int, str]:
    """POST the sign-in form to the server on `port`; returns (status, Retry-After or "")."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/login", urlencode({"login": login, "password": password}),
                           {"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Retry-After", "")
    finally:
        connection.close()


def test_failures_spread_over_two_servers_lock_the_login_after_five_on_both(two_servers, user_database):
    _url, login = user_database
    first, second = two_servers
    failures = [post_sign_in(port, login, WRONG)[0] for port in (first, second, first, second, first)]
    assert failures == [200] * 5
    for port in (second, first):
        status, retry_after = post_sign_in(port, login, WRONG)
        assert status == 429 and 0 < int(retry_after) <= 900
    assert post_sign_in(second, login, Factory.PASSWORD)[0] == 429
    # 8 posts so far from this address: 12 more reach its limit of 20 a minute, on both servers together.
    others = [post_sign_in((first, second)[n % 2], f"someone-{n}", WRONG)[0] for n in range(12)]
    assert others == [200] * 12
    for port in (first, second):
        status, retry_after = post_sign_in(port, "someone-else", WRONG)
        assert status == 429 and 0 < int(retry_after) <= 60
