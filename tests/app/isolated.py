"""An application on a database of its own, committed for real, for what the per-test rollback cannot show:
two connections racing, the engine's own log, a database that goes away; and requests sent to it at once.

On SQLite it is a file in the test's folder; when TEST_DATABASE_URL is PostgreSQL it is a database created next
to the test database (its name, the given suffix and the xdist worker) and dropped afterwards.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url

from registry.extensions import db
from tests.app.factories import Factory


def on_postgresql() -> bool:
    return make_url(os.environ.get("TEST_DATABASE_URL", "sqlite://")).get_backend_name() == "postgresql"


@contextmanager
def own_database(suffix: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database used by nobody else: a file SQLite database in `folder`, or a new PostgreSQL one."""
    if not on_postgresql():
        yield f"sqlite:///{folder / 'registry.sqlite'}"
        return
    url = make_url(os.environ["TEST_DATABASE_URL"])
    own = url.set(database=f"{url.database}_{suffix}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{own.database}"')
    try:
        yield own.render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)')
        server.dispose()


@contextmanager
def isolated_app(make_app: Callable[..., Flask], suffix: str, folder: Path, **config) -> Iterator[Flask]:
    """A migrated application on `own_database`, its evidence in `folder`; its engine is disposed at the end."""
    with own_database(suffix, folder) as url:
        app = make_app(SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=str(folder / "evidence"), **config)
        with app.app_context():
            upgrade()
        try:
            yield app
        finally:
            with app.app_context():
                for engine in db.engines.values():
                    engine.dispose()


def at_once(*requests: Callable):
    """Send the requests (callables: a client's method with its arguments) from threads released together by a
    barrier; their responses, in order."""
    barrier = threading.Barrier(len(requests))

    def send(request):
        barrier.wait()
        return request()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, requests))


def signed_in(app: Flask, login: str):
    """A client of `app` signed in through the form as `login` (Factory's password)."""
    client = app.test_client()
    response = client.post("/login", data={"login": login, "password": Factory.PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client
