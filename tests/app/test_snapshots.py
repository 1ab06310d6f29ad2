"""A list as of another date: evaluated once into a snapshot, read like today's, and never served after a write."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from registry.extensions import db
from registry.models import SnapshotVerdict, VerdictFields, VerdictSnapshot
from registry.rules.vocabulary import PracticeRuleStatus
from registry.services import verdicts
from registry.services.compliance import PolicyBook, evaluate_teacher
from registry.services.compliance_list import list_page, parse_filters

PAST = date(2025, 6, 30)


def snapshots() -> int:
    return db.session.scalar(select(func.count()).select_from(VerdictSnapshot))


def practice_of(user, teacher_id: int, as_of: date):
    rows = list_page(user, parse_filters({"as_of": as_of.isoformat()})).rows
    return next(r.practice for r in rows if r.teacher_id == teacher_id)


def test_a_list_of_another_date_is_evaluated_once_and_then_read_from_its_snapshot(make, frozen_today):
    teacher = make.teacher(hire_date=date(2022, 3, 1))
    make.practice(teacher, "2022-04-01", "2022-05-31")
    bureau = make.user("bureau")
    first = practice_of(bureau, teacher.id, PAST)
    assert snapshots() == 1
    assert practice_of(bureau, teacher.id, PAST) == first
    assert snapshots() == 1
    assert first == evaluate_teacher(teacher, PAST, PolicyBook.load()).practice.status


def test_a_write_makes_every_snapshot_stale_and_the_next_list_sees_the_change(make, frozen_today):
    teacher = make.teacher(hire_date=date(2022, 3, 1))
    bureau = make.user("bureau")
    assert practice_of(bureau, teacher.id, PAST) == PracticeRuleStatus.BEHIND
    make.practice(teacher, "2022-04-01", "2024-12-31")  # committed: a write
    assert db.session.scalar(select(VerdictSnapshot.stale)) is True
    assert practice_of(bureau, teacher.id, PAST) == PracticeRuleStatus.MET


def test_the_nightly_refresh_removes_stale_snapshots_and_their_rows(make, frozen_today):
    teacher = make.teacher()
    bureau = make.user("bureau")
    practice_of(bureau, teacher.id, PAST)
    make.practice(teacher, "2023-04-01", "2023-05-31")
    verdicts.refresh(frozen_today)
    assert snapshots() == 0
    assert db.session.scalar(select(func.count()).select_from(SnapshotVerdict)) == 0


def test_the_stored_values_fill_exactly_the_verdict_columns(make, frozen_today):
    teacher = make.teacher()
    result = evaluate_teacher(teacher, frozen_today, PolicyBook.load())
    assert tuple(verdicts.teacher_values(result)) == tuple(VerdictFields.__annotations__)
