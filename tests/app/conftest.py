"""Application fixtures: one migrated database per run (SQLite in memory, or PostgreSQL via TEST_DATABASE_URL),
and each test inside one transaction that is rolled back at its end."""
from __future__ import annotations

import os

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from registry.extensions import db
from tests.app.factories import Factory, build_audit_world


def drop_everything() -> None:
    """A PostgreSQL test database is reused between runs: start from an empty schema."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def app(make_app, tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    application = make_app(SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=str(tmp_path_factory.mktemp("evidence")))
    with application.app_context():
        try:
            drop_everything()
            upgrade()
        except OperationalError as exc:  # only when the database server is unreachable
            if os.environ.get("REQUIRE_TEST_DATABASE") or os.environ.get("CI") == "true":
                raise
            pytest.skip(f"test database {url} unreachable: {exc}")
    # A session bound to the test's connection works on a savepoint: the code's own commits release it and its
    # rollbacks return to it, while the test's transaction stays open around them.
    db.session.session_factory.configure(join_transaction_mode="create_savepoint")
    yield application
    del db.session.session_factory.kw["join_transaction_mode"]
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def database(app):
    """Run the test in one transaction, rolled back at its end.

    The app's engine is swapped for one connection inside that transaction, so every session of every app
    context (test client requests, CLI commands, a live server's requests) reads and writes through it.
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
def hr(make):
    """A school HR account of 甲校."""
    return make.user("school_hr", school=make.school(name="甲校"))
