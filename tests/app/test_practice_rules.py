"""Review decisions change the teacher's rule result exactly as rules.md says; progress and forecast."""
from datetime import date
from fractions import Fraction

import pytest

from registry.extensions import db
from registry.models import Teacher
from registry.services import compliance
from registry.services import practice as service
from registry.services.practice_progress import practice_progress
from tests.app.inputs import PDF, upload

AS_OF = date(2024, 12, 31)  # hired 2022-03-01: cycle 2022-03-01..2027-02-28, 2 years ended, milestone 4 months


@pytest.fixture
def world(make):
    school = make.school()
    teacher = make.teacher(school, hire_date=date(2022, 3, 1))
    return {
        "teacher_record": teacher,
        "teacher": make.user("teacher", teacher=teacher),
        "hr": make.user("school_hr", school=school),
    }


def practice_status(teacher: Teacher, as_of: date = AS_OF):
    db.session.expire_all()
    return compliance.evaluate_teacher(db.session.get(Teacher, teacher.id), as_of).practice


def submitted(world, start: str, end: str):
    return service.create_practice(
        world["teacher"], world["teacher_record"].id,
        {"enterprise": "五一八公司", "start": start, "end": end, "form": "placement", "status": "submitted"},
        [upload(PDF)],
    )


def test_a_verified_record_changes_the_teachers_rule_result(world):
    record = submitted(world, "2023-07-01", "2023-12-31")
    before = practice_status(world["teacher_record"])
    assert (before.status, before.months) == ("behind", 0)
    service.review_practice(world["hr"], record.id, "verify")
    after = practice_status(world["teacher_record"])
    assert (after.status, after.months) == ("on_track", 6)


def test_a_rejected_record_does_not(world):
    record = submitted(world, "2023-07-01", "2023-12-31")
    service.review_practice(world["hr"], record.id, "reject", {"reason": "证明材料与日期不符"})
    result = practice_status(world["teacher_record"])
    assert (result.status, result.months) == ("behind", 0)


def test_reopening_a_verified_record_takes_its_months_back_out(world):
    record = submitted(world, "2023-07-01", "2023-12-31")
    service.review_practice(world["hr"], record.id, "verify")
    service.review_practice(world["hr"], record.id, "reopen", {"reason": "复核"})
    assert practice_status(world["teacher_record"]).months == 0


def test_a_record_verified_a_year_after_it_happened_counts_for_its_own_dates(make, frozen_today):
    school = make.school()
    teacher = make.teacher(school, hire_date=date(2021, 1, 1))  # first cycle 2021-01-01..2025-12-31
    teacher_user = make.user("teacher", teacher=teacher)
    hr = make.user("school_hr", school=school)
    record = service.create_practice(
        teacher_user, teacher.id,
        {"enterprise": "五一八公司", "start": "2025-03-01", "end": "2025-12-31", "form": "placement", "status": "submitted"},
        [upload(PDF)],
    )
    # Not verified while the first cycle ran: it closed as failed.
    assert practice_status(teacher, date(2026, 12, 31)).previous == "failed"

    service.review_practice(hr, record.id, "verify")  # on the frozen today, 2026-11-28: long after the cycle closed
    now = practice_status(teacher, date(2026, 12, 31))
    assert (now.previous, now.previous_months) == ("met", 10)
    assert now.months == 0, "nothing spills into the cycle in which it was verified"
    assert practice_status(teacher, date(2025, 12, 31)).status == "met"


def test_progress_shows_pending_and_planned_months_and_the_next_milestone(world, make):
    teacher = world["teacher_record"]
    make.practice(teacher, "2022-07-01", "2022-08-31", status="verified")  # 2 months
    make.practice(teacher, "2023-07-01", "2023-10-31", status="submitted")  # 4 months
    make.practice(teacher, "2024-12-01", "2025-01-31", status="planned")  # 2 months, one of them after AS_OF
    make.practice(teacher, "2024-01-01", "2024-01-31", status="rejected")  # never counts
    db.session.expire_all()
    progress = practice_progress(db.session.get(Teacher, teacher.id), AS_OF)
    assert (progress.practice.status, progress.practice.months) == ("behind", 2)
    assert progress.pending_months == 4
    assert progress.planned_months == 2
    assert progress.by_cycle_end == 8 and progress.short_by_cycle_end == 2
    assert progress.days_left == (date(2027, 2, 28) - AS_OF).days
    assert (progress.next_milestone.due, progress.next_milestone.months) == (date(2025, 2, 28), Fraction(6))
    # The forecast counts planned and submitted up to the date: 2 + 4 + 1 = 7 ≥ 4 → on track.
    assert (progress.forecast.status, progress.forecast.months) == ("on_track", 7)


def test_progress_of_a_teacher_the_rule_does_not_apply_to(make):
    teacher = make.teacher(make.school(), course_type="general")
    progress = practice_progress(teacher, AS_OF)
    assert not progress.applicable and progress.days_left is None
