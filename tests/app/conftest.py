"""Application fixtures: a migrated database (SQLite, or PostgreSQL via TEST_DATABASE_URL), emptied after each test."""
from __future__ import annotations

import os

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from registry import create_app
from registry.config import TestConfig
from registry.extensions import db
from tests.app.factories import Factory


def drop_everything() -> None:
    """A PostgreSQL test database is reused between runs: start from an empty schema."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    application = create_app(
        {**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
         "SQLALCHEMY_DATABASE_URI": url,
         "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("evidence"))}
    )
    with application.app_context():
        try:
            drop_everything()
            upgrade()
        except OperationalError as exc:  # only when the database server is unreachable
            if os.environ.get("REQUIRE_TEST_DATABASE") or os.environ.get("CI") == "true":
                raise
            pytest.skip(f"test database {url} unreachable: {exc}")
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def clean_tables(app):
    yield
    with app.app_context():
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()


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
