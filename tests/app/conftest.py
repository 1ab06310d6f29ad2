"""Application fixtures: one migrated database per run (SQLite in memory, or PostgreSQL via TEST_DATABASE_URL),
and each test inside one transaction that is rolled back at its end."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from registry.extensions import db
from tests.app.factories import Factory, build_audit_world, build_two_schools
from tests.app.mail_servers import robot_server, smtp_server  # noqa: F401


def drop_everything() -> None:
    """A PostgreSQL test database is reused between runs: start from an empty schema."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


def unreachable(url, exc: OperationalError) -> None:
    """Skip the app tests when the database server is down, unless a database is required (CI)."""
    if os.environ.get("REQUIRE_TEST_DATABASE") or os.environ.get("CI") == "true":
        raise exc
    pytest.skip(f"test database {url} unreachable: {exc}")


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """TEST_DATABASE_URL, or SQLite in memory. On PostgreSQL each pytest-xdist worker gets a database of its own,
    TEST_DATABASE_URL's name and the worker's id (h4_tests → h4_tests_gw0), created here and dropped at the end."""
    url = make_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if url.get_backend_name() != "postgresql" or worker is None:
        yield url.render_as_string(hide_password=False)
        return
    own = url.set(database=f"{url.database}_{worker}")
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{own.database}"')
    except OperationalError as exc:
        unreachable(url, exc)
    yield own.render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)')
    server.dispose()


class FreshCallerClient(FlaskClient):
    """A test client whose every request names its own caller.

    The tests' request context (`ctx`) stays pushed around the client's requests, so they share its `g`,
    where Flask-Login caches the signed-in user: it is forgotten before each request, as a real server would.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(make_app, database_url, tmp_path_factory):
    application = make_app(SQLALCHEMY_DATABASE_URI=database_url, UPLOAD_FOLDER=str(tmp_path_factory.mktemp("evidence")))
    application.test_client_class = FreshCallerClient
    with application.app_context():
        try:
            drop_everything()
            upgrade()
        except OperationalError as exc:  # only when the database server is unreachable
            unreachable(database_url, exc)
    # A session bound to the test's connection works on a savepoint: the code's own commits release it and its
    # rollbacks return to it, while the test's transaction stays open around them.
    db.session.session_factory.configure(join_transaction_mode="create_savepoint")
    yield application
    del db.session.session_factory.kw["join_transaction_mode"]
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def database(app):
    """Run the test in one transaction, rolled back at its end; remove the evidence files it stored.

    The app's engine is swapped for one connection inside that transaction (as Flask-SQLAlchemy-Lite's testing
    guide does), so every session of every app context — test client requests, CLI commands, a live server's
    requests — reads and writes through it.
    """
    with app.app_context():
        engines = db.engines
    engine = engines[None]
    connection = engine.connect()
    transaction = connection.begin()
    engines[None] = connection
    yield connection
    engines[None] = engine
    transaction.rollback()
    connection.close()
    for path in Path(app.config["UPLOAD_FOLDER"]).glob("*"):
        path.unlink()


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make(app, ctx):
    return Factory()


@pytest.fixture
def login(client):
    """Sign in through the real form: login(user) -> the client."""

    def sign_in(user, password: str = Factory.PASSWORD):
        response = client.post("/login", data={"login": user.login, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in


@pytest.fixture
def audit_world(make) -> dict:
    """Three schools with every status of the rules as of AUDIT_AS_OF, and a user per role (factories.py)."""
    return build_audit_world(make)


@pytest.fixture
def two_schools(make) -> dict:
    """Two schools, three teachers and an account per role (factories.py build_two_schools)."""
    return build_two_schools(make)


@pytest.fixture
def school(make):
    return make.school(name="甲校")


@pytest.fixture
def hr(make, school):
    """A school HR account of `school` (甲校 unless a module names its own)."""
    return make.user("school_hr", school=school)


@pytest.fixture
def cli(app):
    """cli(*args) -> the click Result of `flask <args>`."""
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))
