"""Unbound extension objects; create_app binds them to an application; how SQLite connections behave."""
import sqlite3
from functools import partial

from flask import Flask, g, has_app_context, has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()
babel = Babel()
# Keyed by request.remote_addr, which is the client's behind a proxy only with PROXY_FIX_X_FOR (see registry.checks).
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Engine, "connect")
def configure_sqlite_connection(dbapi_connection, _connection_record) -> None:
    """SQLite ignores REFERENCES, ON DELETE CASCADE and SET NULL unless each connection turns them on.

    pysqlite also opens transactions on its own, late, which breaks SAVEPOINT (a service's all-or-nothing
    step inside the request's transaction): it is told not to, and `begin_sqlite_transaction` opens them.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def init_sqlite(app: Flask) -> None:
    """Give the app's SQLite connections a busy timeout of SQLITE_BUSY_TIMEOUT_MS and the WAL journal.

    In WAL mode readers never wait for the writer nor the writer for readers; writers queue (BEGIN IMMEDIATE,
    `begin_sqlite_transaction`) for up to the busy timeout. An in-memory database keeps its own journal.
    """
    with app.app_context():
        engines = [engine for engine in db.engines.values() if engine.dialect.name == "sqlite"]
    for engine in engines:
        event.listen(engine, "connect", partial(tune_sqlite_connection, busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"]))


def tune_sqlite_connection(dbapi_connection: sqlite3.Connection, _connection_record, busy_timeout_ms: int) -> None:
    """On each new connection: wait up to `busy_timeout_ms` for a lock; switch the file to WAL (kept in the file)."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


# Requests that only read: their transactions start deferred, so a long read or export never holds the write lock.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@event.listens_for(Engine, "begin")
def begin_sqlite_transaction(connection) -> None:
    """Open SQLite's transaction when SQLAlchemy begins one (pysqlite was told not to; see configure_sqlite_connection).

    A request that may write (POST, PUT, PATCH, DELETE) and the command line begin with BEGIN IMMEDIATE: the write
    lock is taken (waiting up to the busy timeout) before anything is read, so what the transaction reads stays
    true until it commits, and it never fails later for a snapshot another writer made stale. A reading request,
    and an app context that declared `reads_only`, begins deferred (plain BEGIN).
    """
    if connection.dialect.name == "sqlite":
        reading = has_request_context() and request.method in READING_METHODS
        reading = reading or (has_app_context() and g.get("reads_only", False))
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def reads_only() -> None:
    """Declare that the rest of this app context only reads (an import's dry run posted as a form): on SQLite its
    transactions then begin deferred, so a long check never holds the write lock other writers wait for."""
    g.reads_only = True


def sqlite_busy(exc: BaseException) -> bool:
    """Whether `exc` (a DBAPIError or the driver's own) is SQLite's "database is locked": the busy timeout passed while
    another connection wrote, or a deferred transaction's snapshot went stale before it could write (BUSY_SNAPSHOT)."""
    error = getattr(exc, "orig", exc)
    return isinstance(error, sqlite3.OperationalError) and error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY


@event.listens_for(Engine, "handle_error")
def report_failed_connect_as_disconnect(context: ExceptionContext) -> None:
    """A connection that could not be made at all (server down, connection refused, SQLite file unreachable) is
    reported like one lost in use: the error's `connection_invalidated` is True, which the pages and the API answer
    with 503 (registry.errors_views). Pre-ping failures keep SQLAlchemy's own judgement (it reconnects on a disconnect).
    """
    if context.connection is None and not context.is_pre_ping:
        context.is_disconnect = True
