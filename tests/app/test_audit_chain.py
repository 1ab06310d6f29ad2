"""The audit trail is a hash chain the database will not let anyone rewrite, and `audit verify` walks it."""
from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from registry.audit_chain import GENESIS, row_hash
from registry.extensions import db
from registry.models import AuditEvent, EmploymentRecord, User
from registry.services import teachers as teacher_service
from registry.services import users as user_service
from registry.services.audit import CONTENT_CHANGED, LINK_BROKEN, ChainReport, append_events, event_values, verify_chain
from registry.services.imports import import_teachers
from tests.app.inputs import csv_bytes, row, teacher_form

TODAY = date(2024, 6, 1)


def trail() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def dialect() -> str:
    return db.session.connection().dialect.name


def without_triggers() -> None:
    """What someone with the database's own rights could do: drop the guard (inside the test's transaction only)."""
    if dialect() == "postgresql":
        db.session.execute(text("DROP TRIGGER audit_event_append_only ON audit_event"))
    else:
        db.session.execute(text("DROP TRIGGER audit_event_no_update"))
        db.session.execute(text("DROP TRIGGER audit_event_no_delete"))


def refused(statement) -> str:
    """The database's refusal of `statement`, run in a savepoint so the test's transaction goes on."""
    with pytest.raises(DBAPIError) as caught, db.session.begin_nested():
        db.session.execute(statement)
    return str(caught.value.orig)


@pytest.fixture
def story(hr, make):
    """A run of ordinary writes through the services: create, edit, records, a token, an import, a deletion."""
    teacher = teacher_service.create_teacher(hr, teacher_form(), TODAY)
    teacher_service.update_teacher(hr, teacher.id, {"specialty": "汽车运用与维修"}, TODAY)
    record = teacher_service.add_record(
        hr, teacher.id, EmploymentRecord,
        {"employer": "甲公司", "employer_type": "enterprise", "position": "", "start": "2016-01-01", "end": "2018-12-31"},
    )
    teacher_service.delete_record(hr, EmploymentRecord, record.id, teacher.id)
    account = make.user("teacher", teacher=teacher)
    user_service.create_token(account, "手机")
    school = hr.school.name
    report = import_teachers(hr, csv_bytes([row(n, school) for n in range(2, 6)]), "teachers.csv", TODAY)
    assert report.ok and report.created == 4
    teacher_service.delete_teacher(hr, teacher.id)
    db.session.commit()
    db.session.expire_all()
    return {"teacher_id": teacher.id, "account_id": account.id}


def test_a_story_of_writes_leaves_a_chain_that_verifies(story, cli):
    events = trail()
    assert len(events) == 11  # create, update, record add and delete, token, 4 imported, account and teacher deleted
    report = verify_chain()
    assert (report.intact, report.count, report.last_hash) == (True, 11, events[-1].hash)
    result = cli("audit", "verify")
    assert result.exit_code == 0
    assert "审计记录完整：共 11 条" in result.output and "intact: 11 events" in result.output
    assert events[-1].hash in result.output


def test_each_row_carries_the_hash_of_the_one_before_it_and_its_own(story):
    events = trail()
    assert events[0].prev_hash == GENESIS
    for before, event in zip(events, events[1:], strict=False):
        assert event.prev_hash == before.hash
    columns = ("at", "actor_id", "action", "entity", "entity_id", "teacher_id", "school_id", "changes")
    for event in events:
        assert event.hash == row_hash({name: getattr(event, name) for name in columns}, event.prev_hash)
    assert len({event.hash for event in events}) == len(events)


def test_rows_written_by_the_importer_are_chained_in_row_order(hr):
    school = hr.school.name
    report = import_teachers(hr, csv_bytes([row(n, school) for n in range(1, 8)]), "teachers.csv", TODAY)
    assert report.ok and report.created == 7
    events = trail()
    assert [e.changes["after"]["name"] for e in events] == [f"教师{n}" for n in range(1, 8)]
    assert [e.prev_hash for e in events] == [GENESIS] + [e.hash for e in events[:-1]]
    assert verify_chain().count == 7


def test_an_empty_trail_is_intact(ctx, cli):
    assert verify_chain() == ChainReport(0)
    result = cli("audit", "verify")
    assert result.exit_code == 0 and "共 0 条" in result.output


def test_the_database_refuses_to_update_an_audit_row(story):
    message = refused(update(AuditEvent).where(AuditEvent.id == trail()[3].id).values(action="create"))
    assert "audit_event is append-only" in message
    assert verify_chain().intact


def test_the_database_refuses_to_delete_an_audit_row_or_all_of_them(story):
    assert "audit_event is append-only" in refused(delete(AuditEvent).where(AuditEvent.id == trail()[3].id))
    assert "audit_event is append-only" in refused(delete(AuditEvent))
    assert len(trail()) == 11 and verify_chain().intact


def test_the_database_refuses_to_truncate_the_trail_on_postgresql(story):
    if dialect() != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE without WHERE is refused by the delete trigger")
    assert "audit_event is append-only" in refused(text("TRUNCATE audit_event"))


def test_changed_content_is_reported_at_the_changed_row_and_verify_exits_1(story, cli):
    events = trail()
    target = events[4]
    without_triggers()
    db.session.execute(update(AuditEvent).where(AuditEvent.id == target.id).values(changes={"before": None, "after": {}}))
    report = verify_chain()
    assert (report.first_broken, report.reason, report.count) == (target.id, CONTENT_CHANGED, 4)
    assert report.last_hash == events[3].hash
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert f"ID {target.id}" in result.output and "content changed" in result.output


def test_a_changed_time_or_actor_is_a_changed_content(story):
    events = trail()
    without_triggers()
    db.session.execute(update(AuditEvent).where(AuditEvent.id == events[2].id).values(at=datetime(2020, 1, 1, tzinfo=UTC)))
    assert (verify_chain().first_broken, verify_chain().reason) == (events[2].id, CONTENT_CHANGED)
    db.session.execute(update(AuditEvent).where(AuditEvent.id == events[1].id).values(actor_id=None))
    assert verify_chain().first_broken == events[1].id


def test_a_removed_row_is_reported_at_the_row_after_it(story, cli):
    events = trail()
    without_triggers()
    db.session.execute(delete(AuditEvent).where(AuditEvent.id == events[5].id))
    report = verify_chain()
    assert (report.first_broken, report.reason, report.count) == (events[6].id, LINK_BROKEN, 5)
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert f"ID {events[6].id}" in result.output and "link broken" in result.output


def test_a_rewritten_row_with_a_recomputed_hash_breaks_the_next_link(story):
    events = trail()
    forged = events[2]
    changes = {"before": None, "after": {"forged": True}}
    columns = {name: getattr(forged, name) for name in ("at", "actor_id", "action", "entity", "entity_id", "teacher_id", "school_id")}
    forged_hash = row_hash({**columns, "changes": changes}, forged.prev_hash)
    without_triggers()
    db.session.execute(update(AuditEvent).where(AuditEvent.id == forged.id).values(changes=changes, hash=forged_hash))
    report = verify_chain()
    assert (report.first_broken, report.reason) == (events[3].id, LINK_BROKEN)


def test_the_walk_reads_the_trail_in_chunks(story, monkeypatch):
    monkeypatch.setattr("registry.services.audit.CHUNK", 3)
    assert verify_chain().count == 11
    events = trail()
    without_triggers()
    db.session.execute(delete(AuditEvent).where(AuditEvent.id == events[6].id))  # the first row of the third chunk
    assert verify_chain().first_broken == events[7].id


def test_two_rows_cannot_name_the_same_predecessor(story):
    last = trail()[-1]
    values = event_values(None, "create", "teacher", 1, None, None, after={})
    fork = {**values, "at": last.at, "prev_hash": last.prev_hash, "hash": "f" * 64}
    refused(sa.insert(AuditEvent).values(fork))


def test_deleting_a_teacher_keeps_the_events_their_own_account_wrote(story):
    """The account is gone, but the trail still names it: no foreign key, nothing rewritten."""
    assert db.session.get(User, story["account_id"]) is None
    token_event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "api_token"))
    assert token_event.actor_id == story["account_id"] and token_event.actor is None
    assert verify_chain().intact


def test_an_actor_that_still_exists_is_loaded_with_its_event(hr):
    teacher_service.create_teacher(hr, teacher_form(), TODAY)
    assert trail()[0].actor == hr


def test_the_chain_verifies_whatever_time_zone_the_database_session_uses(story):
    if dialect() != "postgresql":
        pytest.skip("SQLite keeps times as text, without a session time zone")
    db.session.execute(text("SET LOCAL TIME ZONE 'Asia/Shanghai'"))
    db.session.expire_all()
    assert verify_chain().intact and verify_chain().count == 11


# --- on a database of their own: the migration's backfill, and writers racing ------------------------------


@pytest.fixture
def own_database(make_app, database_url, tmp_path):
    """make() -> a fresh app on an empty database of its own (a file for SQLite), dropped at the end."""
    url = sa.make_url(database_url)
    server = None
    if url.get_backend_name() == "postgresql":
        own = url.set(database=f"{url.database}_chain")
        server = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{own.database}"')
    else:
        own = sa.make_url(f"sqlite:///{tmp_path / 'chain.sqlite'}")
    apps = []

    def make():
        app = make_app(SQLALCHEMY_DATABASE_URI=own.render_as_string(hide_password=False), UPLOAD_FOLDER=str(tmp_path))
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()
    if server is not None:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)')
        server.dispose()


def test_the_migration_chains_the_rows_that_were_already_there(own_database):
    app = own_database()
    before = sa.table(
        "audit_event", sa.column("at", sa.DateTime(timezone=True)), sa.column("action", sa.String()),
        sa.column("entity", sa.String()), sa.column("entity_id", sa.Integer()), sa.column("changes", sa.JSON()),
        sa.column("actor_id", sa.Integer()),
    )
    with app.app_context():
        upgrade(revision="a7c1e0d2b3f4")
        with db.engine.begin() as connection:
            connection.execute(before.insert(), [
                {"at": datetime(2024, 5, n, 8, 30, 0, 123456, tzinfo=UTC), "action": "create", "entity": "teacher",
                 "entity_id": n, "changes": {"before": None, "after": {"名": f"教师{n}", "n": n / 3}}, "actor_id": None}
                for n in range(1, 6)
            ])
        upgrade()
        report = verify_chain()
        assert (report.intact, report.count) == (True, 5)
        append_events([event_values(None, "create", "teacher", 6, None, None, after={"n": 6})])
        db.session.commit()
        assert verify_chain().count == 6
        assert "append-only" in refused(delete(AuditEvent))
        db.session.rollback()


def test_writers_appending_at_the_same_time_never_fork_the_chain(own_database):
    app = own_database()
    with app.app_context():
        upgrade()
    writers, appends = 4, 10
    start = threading.Barrier(writers)
    written, failed = [], []

    def write(writer: int) -> None:
        with app.app_context():
            start.wait()
            for n in range(appends):
                try:
                    append_events([event_values(None, "create", "teacher", writer * 100 + n, None, None, after={"n": n})])
                    db.session.commit()
                    written.append((writer, n))
                except DBAPIError as exc:  # SQLite without BEGIN IMMEDIATE: "database is locked", never a fork
                    db.session.rollback()
                    failed.append(str(exc.orig))

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        report = verify_chain()
        assert report.intact and report.count == len(written) > 0
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == len(written)
        if db.engine.dialect.name == "postgresql":
            assert failed == [] and len(written) == writers * appends
