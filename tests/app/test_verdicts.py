"""The stored verdicts (registry.services.verdicts): written with every write, recomputed when they expire or the
policy changes, checked by `compliance verify`, refreshed by `compliance refresh`."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from registry.dates import TIMEZONE
from registry.extensions import db
from registry.models import PracticeRecord, SchoolVerdict, Teacher, TeacherVerdict
from registry.rules.vocabulary import (
    CourseType,
    Education,
    LeadershipStatus,
    PostType,
    PracticeRuleStatus,
    PracticeStatus,
    SkillLevel,
)
from registry.services import practice, verdicts
from registry.services.policies import NATIONAL_FIGURES
from tests.app.factories import id_number
from tests.app.inputs import csv_bytes, row


def stored(teacher_id: int) -> dict | None:
    """The teacher's stored row as the database holds it now (read past the session's identity map)."""
    table = TeacherVerdict.__table__
    return db.session.execute(select(table).where(table.c.teacher_id == teacher_id)).mappings().one_or_none()


def stored_school(school_id: int) -> dict | None:
    table = SchoolVerdict.__table__
    return db.session.execute(select(table).where(table.c.school_id == school_id)).mappings().one_or_none()


def all_stored() -> list[dict]:
    return [dict(r) for r in db.session.execute(select(TeacherVerdict.__table__)).mappings()]


def exact(as_of: date) -> None:
    """Every stored row valid on `as_of` equals the engine's fresh answer."""
    _compared, differences = verdicts.verify(as_of)
    assert differences == []


def move_clock(time_machine, day: date) -> None:
    time_machine.move_to(datetime(day.year, day.month, day.day, 10, 0, tzinfo=TIMEZONE), tick=False)


@pytest.fixture
def world(frozen_today, make):
    """甲校 with 甲一 (hired 2022-03-01, a leader, 6½ years in industry before) and a practice record of ten
    months waiting for review; an account per role and a bearer token for each."""
    school = make.school(name="甲校")
    teacher = make.teacher(school, name="甲一", hire_date=date(2022, 3, 1), leadership=True)
    make.employment(teacher, "2015-07-01", "2022-02-28")
    waiting = make.practice(teacher, "2025-07-01", "2026-04-30", status=PracticeStatus.SUBMITTED, evidence=True)
    accounts = make.accounts(school, teacher)
    return {"school": school, "teacher_record": teacher, "waiting": waiting, **accounts, "tokens": make.tokens(accounts)}


# --- written with the write ----------------------------------------------------------------------------------


def test_verifying_practice_through_the_api_stores_the_new_verdict_with_the_request(client, world, frozen_today):
    teacher = world["teacher_record"]
    before = stored(teacher.id)
    assert before["practice_months"] == 0 and before["practice_status"] != PracticeRuleStatus.MET

    response = client.post(f"/api/v1/practice/{world['waiting'].id}/verify", headers=world["tokens"]["hr"])

    assert response.status_code == 200
    after = stored(teacher.id)
    assert (after["practice_status"], after["practice_months"], after["computed_on"]) == (
        PracticeRuleStatus.MET, 10, frozen_today)
    assert db.session.info.get(verdicts.PENDING_KEY) is None  # nothing was left for a reader to recompute
    exact(frozen_today)


def test_changing_a_teacher_through_the_api_stores_the_new_verdict_with_the_request(client, world, frozen_today):
    teacher = world["teacher_record"]
    response = client.patch(f"/api/v1/teachers/{teacher.id}", json={"post_type": PostType.FLOWING},
                            headers=world["tokens"]["hr"])

    assert response.status_code == 200
    assert stored(teacher.id)["practice_status"] == PracticeRuleStatus.NOT_APPLICABLE
    exact(frozen_today)


def test_a_leader_leaving_changes_the_schools_stored_leadership_with_the_request(client, world, frozen_today):
    school = world["school"]
    assert stored_school(school.id)["status"] == LeadershipStatus.COMPLIANT

    response = client.patch(f"/api/v1/teachers/{world['teacher_record'].id}", json={"leadership": False},
                            headers=world["tokens"]["hr"])

    assert response.status_code == 200
    row_ = stored_school(school.id)
    assert (row_["status"], row_["members_counted"]) == (LeadershipStatus.NON_COMPLIANT, 0)


@pytest.mark.parametrize("failing", [
    pytest.param(lambda client, world: client.patch(
        f"/api/v1/teachers/{world['teacher_record'].id}", json={"post_type": PostType.FLOWING, "left_date": "2020-01-01"},
        headers=world["tokens"]["hr"]), id="a teacher change with a bad field"),
    pytest.param(lambda client, world: client.post(
        f"/api/v1/practice/{world['waiting'].id}/verify", headers=world["tokens"]["bureau"]), id="a review by the bureau"),
    pytest.param(lambda client, world: client.post(
        f"/api/v1/practice/{world['waiting'].id}/reject", json={}, headers=world["tokens"]["hr"]),
        id="a rejection without a reason"),
])
def test_a_request_that_fails_leaves_the_stored_row_as_it_was(client, world, frozen_today, failing):
    before = stored(world["teacher_record"].id)

    response = failing(client, world)

    assert 400 <= response.status_code < 500
    assert stored(world["teacher_record"].id) == before
    exact(frozen_today)


def test_a_bulk_review_refused_after_verifying_one_record_leaves_the_stored_row_as_it_was(login, world, make,
                                                                                            frozen_today):
    """The confirmed list holds a record verified meanwhile: nothing is verified, the service's savepoint is rolled
    back while the page's request goes on (a redirect with the message) and commits."""
    done = make.practice(world["teacher_record"], "2026-05-01", "2026-05-31", status=PracticeStatus.VERIFIED)
    before = stored(world["teacher_record"].id)

    listed = [world["waiting"], done]  # as the confirmation step listed them, before `done` was verified elsewhere
    response = login(world["hr"]).post("/practice/verify", data={
        "confirm": "1", "ids": [str(r.id) for r in listed], **{f"seen-{r.id}": practice.fingerprint(r) for r in listed}})

    assert response.status_code == 302
    assert db.session.get(PracticeRecord, world["waiting"].id).status == PracticeStatus.SUBMITTED
    assert stored(world["teacher_record"].id) == before
    exact(frozen_today)


def test_a_change_not_yet_flushed_is_stored_before_a_reader_looks(world, frozen_today):
    teacher = world["teacher_record"]
    teacher.post_type = PostType.FLOWING  # not flushed: ensure_current must note it all the same

    verdicts.ensure_current(frozen_today)

    assert stored(teacher.id)["practice_status"] == PracticeRuleStatus.NOT_APPLICABLE
    exact(frozen_today)


def test_a_school_without_teachers_has_a_stored_leadership_row(make, frozen_today):
    school = make.school(name="新校")  # added and committed with no flush in between
    row_ = stored_school(school.id)
    assert (row_["status"], row_["members_counted"], row_["computed_on"]) == (LeadershipStatus.NON_COMPLIANT, 0, frozen_today)


# --- recomputed for everyone, or when a row expires ------------------------------------------------------------


def test_adding_a_policy_version_recomputes_every_teacher_and_school(client, world, make, frozen_today):
    others = [make.teacher(world["school"], name=f"乙{n}", hire_date=date(2020 + n, 9, 1)) for n in range(3)]
    second = make.school(name="乙校")
    others.append(make.teacher(second, name="丙一", hire_date=date(2023, 9, 1), course_type=CourseType.INTERNSHIP))
    assert {r["practice_required"] for r in all_stored()} == {10}

    body = {"effective_from": "2026-01-01", "hire_rule_effective": "2021-01-01", "hire_min_experience_months": 36,
            "hire_min_education": Education.ASSOCIATE, "direct_min_skill_level": SkillLevel.SENIOR,
            "practice_rule_effective": "2021-01-01", "leadership_min_experience_months": 60, **NATIONAL_FIGURES}
    response = client.post("/api/v1/policy-versions", json=body, headers=world["tokens"]["admin"])

    assert response.status_code == 201, response.get_json()
    version_id = response.get_json()["id"]
    rows = all_stored()
    assert len(rows) == len(others) + 1
    assert {r["practice_required"] for r in rows} == {NATIONAL_FIGURES["practice_required_months"]}
    assert {r["policy_version_id"] for r in rows} == {version_id}
    assert {stored_school(s.id)["policy_version_id"] for s in (world["school"], second)} == {version_id}
    exact(frozen_today)


def test_a_version_announced_for_a_later_date_ends_the_validity_of_every_row_on_that_date(make, world, frozen_today):
    announced = frozen_today + timedelta(days=20)
    make.policy_version(announced.isoformat(), **NATIONAL_FIGURES)
    assert all(r["valid_until"] is not None and r["valid_until"] <= announced for r in all_stored())


@pytest.mark.parametrize("reader", ["api", "page"])
def test_a_row_whose_validity_has_passed_is_recomputed_before_the_list_reads_it(client, login, world, time_machine,
                                                                                 reader):
    teacher = world["teacher_record"]
    before = stored(teacher.id)
    expired = before["valid_until"]
    assert expired is not None
    move_clock(time_machine, expired)

    if reader == "api":
        response = client.get("/api/v1/compliance", headers=world["tokens"]["bureau"])
        assert response.status_code == 200
        [item] = [i for i in response.get_json()["items"] if i["teacher_id"] == teacher.id]
    else:
        response = login(world["bureau"]).get("/bureau/compliance")
        assert response.status_code == 200

    after = stored(teacher.id)
    assert after["computed_on"] == expired
    assert after["valid_until"] is None or after["valid_until"] > expired
    if reader == "api":
        assert item["practice"] == after["practice_status"]
    exact(expired)


# --- the commands --------------------------------------------------------------------------------------------

REFRESHED = re.compile(r"教师 (\d+) 人，学校 (\d+) 所；用时 [\d.]+ 秒")


def refreshed(result) -> tuple[int, int]:
    assert result.exit_code == 0, result.output
    found = REFRESHED.search(result.output)
    assert found, result.output
    return int(found[1]), int(found[2])


def test_refresh_recomputes_the_expired_rows_and_prints_counts_and_time(cli, world, make, time_machine, frozen_today):
    make.teacher(world["school"], name="公共课", course_type=CourseType.GENERAL)
    assert refreshed(cli("compliance", "refresh")) == (0, 0)

    later = frozen_today + timedelta(days=400)
    move_clock(time_machine, later)
    expired = db.session.scalar(select(func.count()).where(TeacherVerdict.valid_until <= later))
    assert expired >= 1

    teachers, _schools = refreshed(cli("compliance", "refresh"))

    assert teachers == expired
    assert db.session.scalar(select(func.count()).where(TeacherVerdict.valid_until <= later)) == 0
    exact(later)


def test_refresh_all_recomputes_every_row(cli, world, make, time_machine, frozen_today):
    make.teacher(world["school"], name="公共课", course_type=CourseType.GENERAL)
    tomorrow = frozen_today + timedelta(days=1)
    move_clock(time_machine, tomorrow)

    assert refreshed(cli("compliance", "refresh", "--all")) == (2, 1)

    assert {r["computed_on"] for r in all_stored()} == {tomorrow}
    assert stored_school(world["school"].id)["computed_on"] == tomorrow


def test_verify_exits_0_when_every_stored_row_equals_a_fresh_evaluation(cli, world):
    result = cli("compliance", "verify")
    assert result.exit_code == 0, result.output
    assert "已比较 2 条" in result.output  # one teacher, one school


def test_verify_exits_1_naming_the_first_differences_after_a_row_is_corrupted(cli, world):
    teacher, school = world["teacher_record"], world["school"]
    db.session.execute(update(TeacherVerdict.__table__).where(TeacherVerdict.__table__.c.teacher_id == teacher.id)
                       .values(practice_status=PracticeRuleStatus.MET, practice_months=3))
    db.session.execute(update(SchoolVerdict.__table__).where(SchoolVerdict.__table__.c.school_id == school.id)
                       .values(best_months=1))

    result = cli("compliance", "verify")

    assert result.exit_code == 1
    assert f"teacher_verdict #{teacher.id} practice_status" in result.output
    assert f"teacher_verdict #{teacher.id} practice_months" in result.output
    assert f"school_verdict #{school.id} best_months" in result.output
    assert "Traceback" not in result.output


def test_verify_reports_a_teacher_without_a_stored_row(cli, world):
    db.session.execute(TeacherVerdict.__table__.delete())
    result = cli("compliance", "verify")
    assert result.exit_code == 1
    assert f"teacher_verdict #{world['teacher_record'].id} *" in result.output


# --- rows come and go with their teachers ---------------------------------------------------------------------


def test_deleting_a_teacher_removes_the_stored_row_and_recomputes_the_school(client, world, frozen_today):
    teacher, school = world["teacher_record"], world["school"]
    assert stored(teacher.id) is not None

    assert client.delete(f"/api/v1/teachers/{teacher.id}", headers=world["tokens"]["hr"]).status_code == 204

    assert stored(teacher.id) is None
    assert stored_school(school.id)["members_counted"] == 0
    exact(frozen_today)


def test_a_teacher_created_by_the_importer_has_a_stored_row(cli, make, frozen_today, tmp_path):
    school = make.school(name="导入学校")
    path = tmp_path / "teachers.csv"
    path.write_bytes(csv_bytes([row(1, school.name), row(2, school.name)]))

    result = cli("teachers", "import", str(path), "--school", str(school.id))

    assert result.exit_code == 0, result.output
    imported = db.session.scalars(select(Teacher.id).where(Teacher.id_number.in_([id_number(1), id_number(2)]))).all()
    assert len(imported) == 2
    assert all(stored(t)["computed_on"] == frozen_today for t in imported)
    exact(frozen_today)
