"""One transaction per request or command; each write service all or nothing inside it.

- A request that wrote commits when its response succeeds (status < 400) and
  rolls back otherwise (`init`); Flask-SQLAlchemy's teardown then closes the
  session, rolling back whatever was left uncommitted. A request that only read
  ends with that teardown: committing would expire the objects a streamed
  answer (an export) still reads after the view has returned.
- A command-line command commits once when it returns and rolls back when it
  fails or exits (`committed`).
- A write service runs in a savepoint (`atomic`): when it raises, nothing it
  wrote stays in the transaction, even if the caller catches the error and the
  request goes on to commit.
- Work outside the database that must follow the transaction's fate (files)
  registers callbacks with `on_commit` / `on_rollback`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Flask, Response
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from registry.extensions import db

P = ParamSpec("P")
R = TypeVar("R")


def init(app: Flask) -> None:
    """Give every request of `app` its commit or rollback (called from create_app)."""
    app.after_request(end_request_transaction)


WROTE_KEY = "wrote"  # the outermost transaction has written (flushed, or run an INSERT, UPDATE or DELETE)


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _flush_context) -> None:
    session.info[WROTE_KEY] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE_KEY] = True


def end_request_transaction(response: Response) -> Response:
    """Commit the request's writes when it succeeded (status < 400), otherwise roll them back."""
    session = db.session()
    if not (session.info.pop(WROTE_KEY, False) or session.new or session.dirty or session.deleted):
        return response
    if response.status_code < 400:
        session.commit()
    else:
        session.rollback()
    return response


def atomic(service: Callable[P, R]) -> Callable[P, R]:
    """Run the decorated service in a savepoint: released when it returns, rolled back when it raises."""

    @wraps(service)
    def all_or_nothing(*args: P.args, **kwargs: P.kwargs) -> R:
        with db.session.begin_nested():
            return service(*args, **kwargs)

    return all_or_nothing


def committed(command: Callable[P, R]) -> Callable[P, R]:
    """Run a command-line command as one transaction: committed when it returns, rolled back when it raises or exits."""

    @wraps(command)
    def one_transaction(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = command(*args, **kwargs)
        except BaseException:  # SystemExit too: a refused command exits 1
            db.session.rollback()
            raise
        db.session.commit()
        return result

    return one_transaction


# --- callbacks that follow the transaction's outcome ----------------------------------------------

HOOKS_KEY = "transaction_hooks"


@dataclass
class Hooks:
    """The callbacks registered while one savepoint (or the outermost transaction) was the innermost."""

    on_commit: list[Callable[[], None]] = field(default_factory=list)
    on_rollback: list[Callable[[], None]] = field(default_factory=list)
    was_committed: bool = False


def on_commit(callback: Callable[[], None], session: Session | None = None) -> None:
    """Call `callback` once the outermost transaction commits; never if the work it follows is rolled back.

    Registered inside a savepoint that is later rolled back, it is forgotten. Without a transaction it runs now.
    """
    hooks = _current_hooks(session or db.session())
    if hooks is None:
        callback()
    else:
        hooks.on_commit.append(callback)


def on_rollback(callback: Callable[[], None], session: Session | None = None) -> None:
    """Call `callback` if the work it follows is rolled back: its savepoint, or the whole transaction.

    Forgotten once the outermost transaction commits. Without a transaction nothing can roll back: it is dropped.
    """
    hooks = _current_hooks(session or db.session())
    if hooks is not None:
        hooks.on_rollback.append(callback)


def _level(transaction: SessionTransaction | None) -> SessionTransaction | None:
    """The savepoint or outermost transaction a (sub)transaction belongs to."""
    while transaction is not None and not transaction.nested and transaction.parent is not None:
        transaction = transaction.parent
    return transaction


def _current_hooks(session: Session) -> Hooks | None:
    level = session.get_nested_transaction() or session.get_transaction()
    if level is None:
        return None
    return session.info.setdefault(HOOKS_KEY, {}).setdefault(level, Hooks())


@event.listens_for(Session, "after_commit")
def _mark_committed(session: Session) -> None:
    # Fires for a released savepoint too, while it is still the session's innermost transaction.
    level = session.get_nested_transaction() or session.get_transaction()
    hooks = session.info.get(HOOKS_KEY, {}).get(level)
    if hooks is not None:
        hooks.was_committed = True


@event.listens_for(Session, "after_transaction_end")
def _settle(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended: what it wrote is settled
        session.info.pop(WROTE_KEY, None)
    hooks = session.info.get(HOOKS_KEY, {}).pop(transaction, None)
    if hooks is None:
        return
    if not hooks.was_committed:  # rolled back, or closed without a commit
        for callback in hooks.on_rollback:
            callback()
        return
    parent = _level(transaction.parent)
    if parent is None:  # the outermost transaction committed
        for callback in hooks.on_commit:
            callback()
        return
    # A released savepoint: its work now shares the fate of the enclosing one.
    outer = session.info[HOOKS_KEY].setdefault(parent, Hooks())
    outer.on_commit.extend(hooks.on_commit)
    outer.on_rollback.extend(hooks.on_rollback)
