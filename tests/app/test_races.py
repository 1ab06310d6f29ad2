"""Two people acting on one record at the same moment: exactly one wins, the other is told why.

The races run on an application with a database of its own (tests/app/isolated.py), committed for real, two
threads released together by a barrier, each with its own client. The stale-copy tests show the compare-and-set
itself on the usual rolled-back database; the SQLite tests show how its transactions begin and wait.
"""
from __future__ import annotations

import io
import sqlite3
from datetime import UTC, date, datetime
from functools import partial

import pytest
from flask import Flask
from sqlalchemy import event, func, select, update
from sqlalchemy.exc import IntegrityError

from registry.errors import Conflict, Invalid
from registry.extensions import db
from registry.models import AuditEvent, Evidence, HireException, PracticeRecord, Teacher, TeacherVerdict
from registry.services import exceptions
from registry.services import practice as service
from registry.services import teachers as teacher_service
from tests.app.factories import Factory, id_number
from tests.app.inputs import csv_bytes, row, teacher_form
from tests.app.isolated import at_once, isolated_app, on_postgresql, signed_in

ROUNDS = 20
TODAY = date(2026, 11, 28)
TAKEN = "该身份证号已登记在另一名教师名下"


# ------------------------------------------------------------------ an application of its own


@pytest.fixture(scope="module")
def race_app(make_app, tmp_path_factory):
    with isolated_app(make_app, "races", tmp_path_factory.mktemp("races")) as app:
        yield app


@pytest.fixture(scope="module")
def people(race_app) -> dict:
    """A school with a teacher, two HR accounts and the bureau, committed; bearer headers for HR and the bureau."""
    make = Factory()
    with race_app.app_context():
        school = make.school(name="竞速学校")
        teacher = make.teacher(school, name="竞速教师", hire_date=date(2024, 3, 1))
        hr, other_hr, bureau = make.user("school_hr", school=school), make.user("school_hr", school=school), make.user("bureau")
        return {"school_id": school.id, "teacher_id": teacher.id, "hr_logins": (hr.login, other_hr.login),
                "hr": make.token(hr), "bureau": make.token(bureau)}


def committed(app: Flask, model, **fields) -> int:
    """A row written and committed in `app`'s database; its id."""
    with app.app_context():
        row = model(**fields)
        db.session.add(row)
        db.session.commit()
        return row.id


def stored(app: Flask, model, row_id: int):
    """The row as committed now, read in a fresh session."""
    with app.app_context():
        row = db.session.get(model, row_id)
        db.session.expunge(row)
        return row


def audited(app: Flask, entity: str, entity_id: int) -> list[str]:
    with app.app_context():
        return db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        ).all()


def one_won(responses, ok: int = 200):
    """The winner's and the loser's answer, after checking that exactly one succeeded and the other got 409."""
    assert sorted(r.status_code for r in responses) == [ok, 409], [r.get_data(as_text=True) for r in responses]
    winner = next(r for r in responses if r.status_code == ok)
    loser = next(r for r in responses if r.status_code == 409)
    return winner.get_json(), loser.get_json()["error"]


def test_of_a_simultaneous_verify_and_reject_exactly_one_wins_and_the_other_gets_409(race_app, people):
    for _round in range(ROUNDS):
        record_id = committed(
            race_app, PracticeRecord, teacher_id=people["teacher_id"], enterprise="五一八公司", start=date(2024, 7, 1),
            end=date(2024, 8, 31), form="placement", status="submitted", submitted_at=datetime(2024, 9, 1, tzinfo=UTC),
        )
        committed(race_app, Evidence, practice_id=record_id, filename="证明.pdf", stored_name=f"race-{_round}",
                  content_type="application/pdf", size=1)  # verification requires one; its file is never read here
        url = f"/api/v1/practice/{record_id}"
        verify, reject = race_app.test_client(), race_app.test_client()
        responses = at_once(
            partial(verify.post, f"{url}/verify", headers=people["hr"]),
            partial(reject.post, f"{url}/reject", json={"reason": "缺少盖章"}, headers=people["hr"]),
        )
        winner, refusal = one_won(responses)
        assert {"verified": "已审核", "rejected": "已退回"}[winner["status"]] in refusal
        assert stored(race_app, PracticeRecord, record_id).status == winner["status"]
        assert audited(race_app, "practice_record", record_id) == [{"verified": "verify", "rejected": "reject"}[winner["status"]]]


def test_of_a_simultaneous_approve_and_refuse_exactly_one_wins_and_the_other_gets_409(race_app, people):
    for _round in range(ROUNDS):
        exception_id = committed(race_app, HireException, teacher_id=people["teacher_id"], status="requested", reason="急需")
        url = f"/api/v1/hire-exceptions/{exception_id}"
        approve, refuse = race_app.test_client(), race_app.test_client()
        responses = at_once(
            partial(approve.post, f"{url}/approve", json={"note": "同意"}, headers=people["bureau"]),
            partial(refuse.post, f"{url}/refuse", json={"note": "不同意"}, headers=people["bureau"]),
        )
        winner, refusal = one_won(responses)
        assert "审批" in refusal
        assert stored(race_app, HireException, exception_id).status == winner["status"]
        assert audited(race_app, "hire_exception", exception_id) == [{"approved": "approve", "refused": "refuse"}[winner["status"]]]


def registrations(app: Flask, number: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Teacher).where(Teacher.id_number == number))


def test_two_simultaneous_api_registrations_of_one_identity_number_give_one_201_and_one_field_error(race_app, people):
    for n in range(ROUNDS):
        number = id_number(n, born="19850101")
        body = {"name": "同号教师", "id_number": number, "gender": "female", "course_type": "specialty",
                "specialty": "工业机器人", "post_type": "fixed", "hire_date": "2024-09-01", "hire_channel": "open",
                "education": "bachelor", "leadership": False}
        first, second = race_app.test_client(), race_app.test_client()
        responses = at_once(
            partial(first.post, "/api/v1/teachers", json=body, headers=people["hr"]),
            partial(second.post, "/api/v1/teachers", json=body, headers=people["hr"]),
        )
        assert sorted(r.status_code for r in responses) == [201, 400], [r.get_data(as_text=True) for r in responses]
        refused = next(r for r in responses if r.status_code == 400).get_json()
        assert refused["errors"] == {"id_number": TAKEN}
        assert registrations(race_app, number) == 1


def test_two_simultaneous_form_registrations_of_one_identity_number_save_one_and_show_the_field_error(race_app, people):
    first, second = (signed_in(race_app, login) for login in people["hr_logins"])
    for n in range(5):
        number = id_number(n, born="19860101")
        form = teacher_form(id_number=number)
        responses = at_once(partial(first.post, "/teachers/new", data=form), partial(second.post, "/teachers/new", data=form))
        assert sorted(r.status_code for r in responses) == [200, 302]
        page = next(r for r in responses if r.status_code == 200).get_data(as_text=True)
        assert TAKEN in page and 'id="id_number"' in page and "is-invalid" in page
        assert registrations(race_app, number) == 1


# ------------------------------------------------------------------ the compare-and-set, on a stale copy


def behind_the_session(model, row_id: int, **values) -> None:
    """Someone else's committed change: the row changes, the session's copy does not."""
    db.session.execute(update(model).where(model.id == row_id).values(**values), execution_options={"synchronize_session": False})


@pytest.fixture
def submitted(make, two_schools) -> PracticeRecord:
    return make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted", evidence=True)


def decisions(record) -> list[str]:
    return db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity == "practice_record", AuditEvent.entity_id == record.id)
    ).all()


def test_a_review_on_a_stale_copy_is_refused_with_the_status_the_other_reviewer_left(two_schools, submitted):
    behind_the_session(PracticeRecord, submitted.id, status="verified", reviewed_at=datetime(2026, 11, 28, tzinfo=UTC))
    assert submitted.status == "submitted"
    with pytest.raises(Conflict, match="该记录已被他人处理（当前状态：已审核），请刷新后再看。"):
        service.review_practice(two_schools["hr"], submitted.id, "reject", {"reason": "缺少盖章"})
    assert (submitted.status, submitted.reject_reason) == ("verified", None)
    assert decisions(submitted) == []


def test_a_bulk_verify_on_a_stale_copy_changes_none_of_the_selected_records(make, two_schools, submitted):
    other = make.practice(two_schools["teacher_record"], "2023-07-01", "2023-08-31", status="submitted")
    behind_the_session(PracticeRecord, other.id, status="rejected", reject_reason="日期有误",
                       reviewed_at=datetime(2026, 11, 28, tzinfo=UTC))
    with pytest.raises(Conflict, match="可能已被他人处理"):
        service.bulk_verify(two_schools["hr"], [submitted.id, other.id])
    db.session.expire_all()
    assert (submitted.status, other.status) == ("submitted", "rejected")
    assert decisions(submitted) == decisions(other) == []


def test_a_teachers_edit_on_a_stale_copy_is_refused_once_hr_has_verified(two_schools, submitted):
    behind_the_session(PracticeRecord, submitted.id, status="verified", reviewed_at=datetime(2026, 11, 28, tzinfo=UTC))
    with pytest.raises(Conflict, match="当前状态：已审核"):
        service.update_practice(two_schools["teacher"], submitted.id, {"enterprise": "别的公司"})
    db.session.expire_all()
    assert (submitted.status, submitted.enterprise) == ("verified", "五一八公司")


def test_a_submission_on_a_stale_copy_is_refused_once_the_record_was_submitted_elsewhere(make, two_schools):
    planned = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="planned")
    behind_the_session(PracticeRecord, planned.id, status="submitted", submitted_at=datetime(2026, 11, 28, tzinfo=UTC))
    with pytest.raises(Conflict, match="当前状态：待审核"):
        service.submit_practice(two_schools["teacher"], planned.id)
    assert decisions(planned) == []


def test_a_decision_on_a_stale_copy_of_a_hire_exception_names_the_status_the_other_decision_left(make, two_schools):
    request = make.hire_exception(two_schools["teacher_record"])
    behind_the_session(HireException, request.id, status="approved", decided_at=datetime(2026, 11, 28, tzinfo=UTC))
    with pytest.raises(Conflict, match="该申请已被他人审批（当前状态：已批准），请刷新后再看。"):
        exceptions.decide_hire_exception(two_schools["bureau"], request.id, "refuse", {"note": "不同意"})
    assert request.status == "approved"


LOST = "该记录已被他人处理（当前状态：已退回），请刷新后再看。"


def rejected_behind_the_session(record: PracticeRecord) -> None:
    behind_the_session(PracticeRecord, record.id, status="rejected", reject_reason="日期有误",
                       reviewed_at=datetime(2026, 11, 28, tzinfo=UTC))


def test_a_review_that_lost_is_a_409_on_the_api_with_the_status_it_lost_to(two_schools, submitted, make, client):
    headers = make.token(two_schools["hr"])  # (a commit: the session's copies are read again)
    rejected_behind_the_session(submitted)
    answer = client.post(f"/api/v1/practice/{submitted.id}/verify", headers=headers)
    assert answer.status_code == 409 and answer.get_json() == {"error": LOST}


def test_a_review_that_lost_is_a_warning_on_the_page_it_came_from(two_schools, submitted, login):
    reviewer = login(two_schools["hr"])
    rejected_behind_the_session(submitted)
    page = reviewer.post(f"/practice/{submitted.id}/verify", data={"next": "/practice/review"}, follow_redirects=True)
    assert page.status_code == 200 and LOST in page.get_data(as_text=True)
    assert page.request.path == "/practice/review"


# ------------------------------------------------------------------ a duplicate identity number past the check


def test_an_identity_number_registered_after_the_check_is_a_field_error_and_nothing_is_written(
    two_schools, make, monkeypatch
):
    taken = make.teacher(two_schools["own"], id_number=id_number(41)).id_number
    monkeypatch.setattr(teacher_service, "registered_teachers", lambda numbers: {})  # the check ran before it was
    with pytest.raises(Invalid) as refused:
        teacher_service.create_teacher(two_schools["hr"], teacher_form(id_number=taken), TODAY)
    assert refused.value.errors == {"id_number": TAKEN}
    assert db.session.scalar(select(func.count()).select_from(Teacher).where(Teacher.id_number == taken)) == 1


def test_an_identity_number_taken_after_the_check_refuses_an_edit_on_the_field(two_schools, make, monkeypatch):
    taken = make.teacher(two_schools["own"], id_number=id_number(42)).id_number
    editing = two_schools["teacher_record"]
    monkeypatch.setattr(teacher_service, "registered_teachers", lambda numbers: {})
    with pytest.raises(Invalid) as refused:
        teacher_service.update_teacher(two_schools["hr"], editing.id, {"id_number": taken}, TODAY)
    assert refused.value.errors == {"id_number": TAKEN}
    db.session.expire_all()
    assert editing.id_number != taken


def test_the_api_answers_a_duplicate_past_the_check_with_400_on_id_number(two_schools, make, client, monkeypatch):
    taken = make.teacher(two_schools["own"], id_number=id_number(43)).id_number
    monkeypatch.setattr(teacher_service, "registered_teachers", lambda numbers: {})
    body = {**teacher_form(id_number=taken), "left_date": None, "leadership": False}
    response = client.post("/api/v1/teachers", json=body, headers=make.token(two_schools["hr"]))
    assert response.status_code == 400 and response.get_json()["errors"] == {"id_number": TAKEN}


def test_another_integrity_error_is_not_passed_off_as_a_duplicate_identity_number(two_schools, monkeypatch):
    def broken(*_args):
        raise IntegrityError("INSERT INTO teacher", {}, Exception("NOT NULL constraint failed: teacher.name"))

    monkeypatch.setattr(teacher_service, "save_teachers", broken)
    with pytest.raises(IntegrityError):
        teacher_service.create_teacher(two_schools["hr"], teacher_form(id_number=id_number(44)), TODAY)


# ------------------------------------------------------------------ SQLite: WAL, busy timeout, BEGIN IMMEDIATE

sqlite_only = pytest.mark.skipif(on_postgresql(), reason="SQLite's journal and locking")


@pytest.fixture
def sqlite_app(make_app, tmp_path):
    with isolated_app(make_app, "sqlite", tmp_path, SQLITE_BUSY_TIMEOUT_MS=200) as app:
        yield app


@sqlite_only
def test_sqlite_runs_in_wal_mode_with_the_configured_busy_timeout(sqlite_app):
    with sqlite_app.app_context():
        connection = db.session.connection()
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 200


@sqlite_only
def test_requests_that_may_write_begin_immediate_and_reading_requests_begin_deferred(sqlite_app):
    begun: list[str] = []
    with sqlite_app.app_context():
        engine = db.engine
    listener = lambda _conn, _cursor, statement, *_rest: begun.append(statement) if statement.startswith("BEGIN") else None  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        client = sqlite_app.test_client()
        client.post("/login", data={"login": "nobody", "password": "wrong password"})
        post_begun, begun[:] = list(begun), []
        client.get("/api/v1/teachers", headers={"Authorization": "Bearer not-a-token"})
        get_begun, begun[:] = list(begun), []
        with sqlite_app.app_context():
            db.session.execute(select(1))
            db.session.rollback()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert set(post_begun) == {"BEGIN IMMEDIATE"}
    assert set(get_begun) == {"BEGIN"}
    assert begun == ["BEGIN IMMEDIATE"], "the command line writes"


def held_write_lock(app: Flask) -> sqlite3.Connection:
    """Another process's writer, mid-transaction: a plain sqlite3 connection holding the write lock."""
    with app.app_context():
        path = db.engine.url.database
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


@sqlite_only
def test_a_reader_whose_verdict_refresh_meets_a_writer_reads_the_stored_rows_and_the_next_reader_refreshes(
    sqlite_app, frozen_today
):
    make = Factory()
    with sqlite_app.app_context():
        school = make.school(name="读者学校")
        teacher = make.teacher(school, name="读者教师")
        hr = make.user("school_hr", school=school)
        headers = make.token(hr)
        teacher_id = teacher.id
        # Expired before today, as a row computed last year would be.
        db.session.execute(update(TeacherVerdict).values(computed_on=date(2025, 12, 1), valid_until=date(2026, 1, 1)))
        db.session.commit()
    writer = held_write_lock(sqlite_app)
    try:
        during = sqlite_app.test_client().get("/api/v1/compliance", headers=headers)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert during.status_code == 200, during.get_data(as_text=True)
    assert [item["teacher_id"] for item in during.get_json()["items"]] == [teacher_id]
    assert stored(sqlite_app, TeacherVerdict, teacher_id).valid_until == date(2026, 1, 1), "left as stored"
    after = sqlite_app.test_client().get("/api/v1/compliance", headers=headers)
    assert after.status_code == 200
    assert stored(sqlite_app, TeacherVerdict, teacher_id).valid_until != date(2026, 1, 1), "refreshed"


@sqlite_only
def test_a_write_that_waits_past_the_busy_timeout_is_503_with_retry_after(sqlite_app):
    writer = held_write_lock(sqlite_app)
    try:
        response = sqlite_app.test_client().post("/api/v1/teachers", json={}, headers={"Authorization": "Bearer x"})
        page = sqlite_app.test_client().post("/login", data={"login": "nobody", "password": "wrong password"})
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert response.get_json() == {"error": "数据库暂时无法连接，请稍后再试。"}
    assert page.status_code == 503 and "数据库暂时无法连接" in page.get_data(as_text=True)
    again = sqlite_app.test_client().post("/api/v1/teachers", json={}, headers={"Authorization": "Bearer x"})
    assert again.status_code == 401, "the lock released, the next write goes through"


@sqlite_only
@pytest.mark.parametrize("streamed", [False, True])
def test_an_import_dry_run_takes_no_write_lock_and_the_import_takes_it(sqlite_app, streamed):
    with sqlite_app.app_context():
        make = Factory()
        school = make.school("丹东市中等职业技术专业学校")
        make.user("school_hr", school=school, login="hr_lock")
        school_name, engine = school.name, db.engine
    client = signed_in(sqlite_app, "hr_lock")
    headers = {"Accept": "application/x-ndjson"} if streamed else {}
    begun: list[str] = []
    listener = lambda _conn, _cursor, statement, *_rest: begun.append(statement) if statement.startswith("BEGIN") else None  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        sent = {}
        for button in ("preview", "submit"):
            begun.clear()
            data = {"file": (io.BytesIO(csv_bytes([row(1, school_name)])), "teachers.csv"), button: "1"}
            response = client.post("/imports/", data=data, headers=headers)
            assert response.status_code == 200 and "导入" in response.get_data(as_text=True)
            sent[button] = list(begun)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert sent["preview"][-1] == "BEGIN"  # the check ran deferred (signing the user in came before it)
    assert sent["submit"][-1] == "BEGIN IMMEDIATE"
    with sqlite_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Teacher)) == 1


def test_a_unique_value_written_by_someone_else_in_between_is_a_409_in_chinese_not_a_500(make, login, monkeypatch):
    def lost(*_args, **_kwargs):
        raise IntegrityError("INSERT INTO school …", {}, sqlite3.IntegrityError("UNIQUE constraint failed: school.name"))

    monkeypatch.setattr("registry.services.schools.create_school", lost)
    response = login(make.user("admin")).post("/schools/new", data={"name": "丹东市新职业学校", "county": "东港市"})
    assert response.status_code == 409
    assert "与他人的操作同时发生，未保存任何内容，请重试。" in response.get_data(as_text=True)
