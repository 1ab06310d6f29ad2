"""One transaction per request or command, each write service all or nothing (registry.transactions)."""
import contextlib

import click
import pytest
from flask import Response
from sqlalchemy import inspect, select

from registry import transactions
from registry.errors import Invalid
from registry.extensions import db
from registry.models import School
from registry.transactions import atomic, committed, end_request_transaction, on_commit, on_rollback


def school_names() -> set[str]:
    return set(db.session.scalars(select(School.name)))


@atomic
def write_then_refuse(name: str) -> None:
    db.session.add(School(name=name, county="东港市"))
    db.session.flush()
    raise Invalid({"name": "refused after writing"})


@atomic
def write(name: str) -> School:
    school = School(name=name, county="东港市")
    db.session.add(school)
    db.session.flush()
    return school


# ------------------------------------------------------------------ a service is all or nothing


def test_a_service_that_fails_after_writing_leaves_nothing_even_when_the_caller_goes_on(ctx):
    with pytest.raises(Invalid):
        write_then_refuse("半途而废")
    db.session.commit()  # e.g. the page shows the form again with status 200: the request commits
    assert school_names() == set()


def test_a_failing_inner_service_does_not_undo_the_outer_ones_work(ctx):
    @atomic
    def outer():
        write("先写的")
        with contextlib.suppress(Invalid):
            write_then_refuse("后写的")

    outer()
    db.session.commit()
    assert school_names() == {"先写的"}


# ------------------------------------------------------------------ the request's transaction


def test_a_request_that_wrote_commits_when_it_succeeds(ctx):
    write("请求成功")
    end_request_transaction(Response(status=302))
    db.session.rollback()  # nothing left to roll back: it was committed
    assert school_names() == {"请求成功"}


@pytest.mark.parametrize("status", [400, 403, 404, 409, 500])
def test_a_request_that_wrote_rolls_back_when_it_fails(ctx, status):
    write("请求失败")
    end_request_transaction(Response(status=status))
    assert school_names() == set()


def test_a_request_that_only_read_leaves_its_objects_loaded(ctx, make):
    school_id = make.school(name="只读").id
    school = db.session.get(School, school_id)
    school.name  # noqa: B018 (loads it)
    end_request_transaction(Response(status=200))
    # A streamed answer (an export) still reads them after the view returned: nothing was expired.
    assert not inspect(school).expired_attributes


def test_a_page_request_commits_and_the_next_one_sees_it(make, login):
    admin = make.user("admin")
    client = login(admin)
    assert client.post("/policies/", data={"effective_from": "bad"}).status_code == 200  # refused, shown again
    assert client.get("/policies/").status_code == 200


# ------------------------------------------------------------------ what follows the outcome


def test_on_rollback_runs_when_the_savepoint_it_was_registered_in_rolls_back(ctx):
    calls = []

    @atomic
    def fails():
        on_rollback(lambda: calls.append("rolled back"))
        on_commit(lambda: calls.append("committed"))
        raise Invalid({"x": "no"})

    with pytest.raises(Invalid):
        fails()
    db.session.commit()
    assert calls == ["rolled back"]


def test_a_released_savepoints_callbacks_follow_the_outer_transaction(ctx):
    calls = []

    @atomic
    def succeeds(name):
        write(name)
        on_rollback(lambda: calls.append("rolled back"))
        on_commit(lambda: calls.append("committed"))

    succeeds("第一次")
    assert calls == []  # released, not yet committed
    db.session.commit()
    assert calls == ["committed"]

    succeeds("第二次")
    db.session.rollback()
    assert calls == ["committed", "rolled back"]


def test_without_a_transaction_on_commit_runs_at_once(ctx):
    db.session.close()
    calls = []
    on_commit(lambda: calls.append("now"))
    on_rollback(lambda: calls.append("never"))
    assert calls == ["now"]


# ------------------------------------------------------------------ commands


def test_a_command_commits_once_when_it_returns_and_rolls_back_when_it_exits(app):
    @click.command()
    @committed
    def ok():
        write("命令写入")

    @click.command()
    @committed
    def refused():
        write("命令被拒")
        raise SystemExit(1)

    runner = app.test_cli_runner()
    with app.app_context():
        assert runner.invoke(ok).exit_code == 0
        assert runner.invoke(refused).exit_code == 1
        db.session.rollback()
        assert school_names() == {"命令写入"}


def test_the_module_registers_its_request_hook(app):
    assert transactions.end_request_transaction in app.after_request_funcs[None]
