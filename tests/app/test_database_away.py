"""A database that cannot be reached: pages and API answer 503 with Retry-After, and work again once it is back.

Each test runs an application of its own on a database nobody else uses: a PostgreSQL URL to a closed port, an
SQLite file in a missing folder, and (when the tests run on PostgreSQL) a port that forwards to the server
while it is "up".
"""
from __future__ import annotations

import socket
import threading

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import make_url

from registry.extensions import db
from tests.app.isolated import on_postgresql, own_database

AWAY = "数据库暂时无法连接，请稍后再试。"
BAD_TOKEN = {"Authorization": "Bearer rg_not-a-token"}


def sign_in_page(app: Flask):
    """The sign-in form posted with an unknown login: the database has to be asked."""
    return app.test_client().post("/login", data={"login": "nobody", "password": "not the password"})


def api_call(app: Flask):
    """An API call with a token the database has to look up."""
    return app.test_client().get("/api/v1/teachers", headers=BAD_TOKEN)


def assert_away(app: Flask) -> None:
    page, answer = sign_in_page(app), api_call(app)
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert AWAY in page.get_data(as_text=True) and "服务暂时不可用" in page.get_data(as_text=True)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "30"
    assert answer.get_json() == {"error": AWAY}


def assert_back(app: Flask) -> None:
    page, answer = sign_in_page(app), api_call(app)
    assert page.status_code == 200 and "登录" in page.get_data(as_text=True)
    assert answer.status_code == 401


def dispose(app: Flask) -> None:
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


def test_a_postgresql_server_that_refuses_connections_gives_503_pages_and_api_answers(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1:1/registry")
    try:
        assert_away(app)
    finally:
        dispose(app)


def test_an_sqlite_file_that_cannot_be_opened_gives_503_and_the_registry_works_once_it_can(make_app, tmp_path):
    folder = tmp_path / "not-mounted-yet"
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'registry.sqlite'}")
    try:
        assert_away(app)
        folder.mkdir()
        with app.app_context():
            upgrade()
        assert_back(app)
    finally:
        dispose(app)


def test_a_database_without_its_tables_is_a_server_error_not_503(make_app, tmp_path):
    """A database that answers but lacks the schema is a fault to fix, not a wait: never passed off as 503."""
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.sqlite'}", TESTING=False)
    try:
        assert api_call(app).status_code == 500
        assert sign_in_page(app).status_code == 500
    finally:
        dispose(app)


class Forwarder:
    """A local port that forwards TCP to `target` while up, and refuses connections while down (the port is closed)."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        with socket.socket() as probe:  # a port nobody listens on
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.listener: socket.socket | None = None
        self.threads: list[threading.Thread] = []
        self.open: list[socket.socket] = []

    def up(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.05)
        self._start(self._accept, self.listener)

    def down(self) -> None:
        """Close the port and cut every connection through it, as a server that stops does."""
        listener, self.listener = self.listener, None
        for thread in self.threads:
            thread.join()  # the accept loop ends once `listener` is no longer the current one
        listener.close()
        for connection in self.open:
            connection.close()
        self.open.clear()
        self.threads.clear()

    def _start(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self.threads.append(thread)

    def _accept(self, listener: socket.socket) -> None:
        while self.listener is listener:
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            server = socket.create_connection(self.target)
            self.open += [client, server]
            threading.Thread(target=self._pipe, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:  # the other side was closed by `down`
            pass


@pytest.mark.skipif(not on_postgresql(), reason="needs the PostgreSQL server of TEST_DATABASE_URL")
def test_a_postgresql_server_that_goes_away_and_comes_back_is_503_meanwhile_and_fine_at_the_first_request_after(
    make_app, tmp_path
):
    with own_database("away", tmp_path) as url:
        real = make_url(url)
        migrated = make_app(SQLALCHEMY_DATABASE_URI=url)
        with migrated.app_context():
            upgrade()
        dispose(migrated)
        forwarder = Forwarder((real.host, real.port or 5432))
        app = make_app(SQLALCHEMY_DATABASE_URI=real.set(host="127.0.0.1", port=forwarder.port).render_as_string(hide_password=False))
        try:
            assert_away(app)  # not started yet
            forwarder.up()
            assert_back(app)  # the pool now holds a connection through the forwarder
            forwarder.down()
            assert_away(app)  # its pooled connection is found dead before use, and no new one can be made
            forwarder.up()
            assert_back(app)  # the very first request after it is back
            forwarder.down()
            forwarder.up()
            assert_back(app)  # a restart between two requests: the dead pooled connection is replaced before use
        finally:
            dispose(app)
            if forwarder.listener is not None:
                forwarder.down()


def test_a_sign_in_while_the_shared_limiter_storage_is_away_is_503_saying_so(client, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    from registry.auth import throttle

    def storage_away(_login):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(throttle, "check", storage_away)
    response = client.post("/login", data={"login": "nobody", "password": "not the password"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "登录次数限制服务暂时无法连接" in response.get_data(as_text=True)


class LostRace(Exception):
    """What psycopg raises when PostgreSQL ends a transaction to let a simultaneous one finish."""

    sqlstate = "40P01"


def test_a_write_postgresql_ended_as_a_deadlock_victim_is_a_409_asking_to_try_again(client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from registry.auth import throttle

    def deadlock(_login):
        raise OperationalError("UPDATE practice_record …", {}, LostRace("deadlock detected"))

    monkeypatch.setattr(throttle, "check", deadlock)
    response = client.post("/login", data={"login": "nobody", "password": "not the password"})
    assert response.status_code == 409
    assert "与他人的操作同时发生，未保存任何内容，请重试。" in response.get_data(as_text=True)
