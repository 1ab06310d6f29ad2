"""The database itself refuses bad rows, whatever page or script wrote them."""
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from registry.extensions import db
from registry.models import (
    AuditEvent,
    Certificate,
    EmploymentRecord,
    Evidence,
    HireException,
    PolicyVersion,
    PracticeRecord,
    School,
    Teacher,
    TrainingRecord,
    User,
)

pytestmark = pytest.mark.usefixtures("ctx")


def refused(record) -> bool:
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return True
    db.session.rollback()
    return False


@pytest.fixture
def teacher(make):
    return make.teacher()


def test_a_school_needs_a_unique_name(make):
    make.school(name="丹东市中等职业技术专业学校")
    assert refused(School(name="丹东市中等职业技术专业学校", county="丹东市区"))
    assert refused(School(name="", county="丹东市区"))


@pytest.mark.parametrize(
    "field, value",
    [
        ("course_type", "music"),
        ("post_type", "temporary"),
        ("hire_channel", "friend"),
        ("education", "phd"),
        ("gender", "x"),
        ("id_number", "12345"),
        ("left_date", date(2020, 1, 1)),
    ],
)
def test_a_teacher_with_a_bad_code_or_date_is_refused(make, field, value):
    school = make.school()
    values = dict(
        school=school, name="甲", id_number="210603199001010011", gender="male", course_type="specialty",
        specialty="数控", post_type="fixed", hire_date=date(2022, 1, 1), hire_channel="open", education="bachelor",
    )
    values[field] = value
    assert refused(Teacher(**values))


def test_two_teachers_cannot_share_an_identity_number(make, teacher):
    assert refused(Teacher(**{**{c: getattr(teacher, c) for c in ("name", "id_number", "gender", "course_type", "specialty", "post_type", "hire_date", "hire_channel", "education")}, "school_id": teacher.school_id}))


def test_an_employment_period_cannot_end_before_it_starts(teacher):
    assert refused(EmploymentRecord(teacher=teacher, employer="曙光集团", employer_type="enterprise", start=date(2020, 5, 1), end=date(2020, 4, 30)))
    assert refused(EmploymentRecord(teacher=teacher, employer="曙光集团", employer_type="factory", start=date(2020, 5, 1)))


def test_a_skill_certificate_needs_a_known_level(teacher):
    assert refused(Certificate(teacher=teacher, kind="skill", name="车工", level=None, issued=date(2020, 1, 1)))
    assert refused(Certificate(teacher=teacher, kind="skill", name="车工", level="master", issued=date(2020, 1, 1)))
    assert refused(Certificate(teacher=teacher, kind="licence", name="车工", issued=date(2020, 1, 1)))


def test_practice_records_keep_their_status_flow_honest(teacher):
    base = dict(teacher=teacher, enterprise="五一八公司", start=date(2023, 1, 1), end=date(2023, 2, 1), form="placement")
    assert refused(PracticeRecord(**base, status="approved"))
    assert refused(PracticeRecord(**base, status="verified"))  # verified needs a review time
    assert refused(PracticeRecord(**base, status="rejected"))  # rejected needs a reason
    assert refused(PracticeRecord(**{**base, "end": date(2022, 12, 31)}, status="planned"))
    assert refused(PracticeRecord(**{**base, "form": "holiday"}, status="planned"))


def test_evidence_must_be_a_pdf_or_image_of_at_most_ten_megabytes(teacher, make):
    practice = make.practice(teacher, "2023-01-01", "2023-01-31")
    assert refused(Evidence(practice=practice, filename="a.exe", stored_name="x1", content_type="application/x-msdownload", size=10))
    assert refused(Evidence(practice=practice, filename="a.pdf", stored_name="x2", content_type="application/pdf", size=10 * 1024 * 1024 + 1))


def test_training_records_take_only_known_kinds_and_statuses(teacher):
    assert refused(TrainingRecord(teacher=teacher, program="轮训", kind="seminar", end=date(2023, 1, 1), status="completed"))
    assert refused(TrainingRecord(teacher=teacher, program="轮训", kind="rotation", end=date(2023, 1, 1), status="done"))
    assert refused(TrainingRecord(teacher=teacher, program="轮训", kind="rotation", end=date(2023, 1, 1), status="completed", hours=-1))


def test_a_decided_hire_exception_carries_its_decision_date(teacher):
    assert refused(HireException(teacher=teacher, status="approved", reason="急需"))
    assert refused(HireException(teacher=teacher, status="maybe", reason="急需"))
    assert refused(HireException(teacher=teacher, status="requested", reason=""))


def test_policy_versions_are_unique_per_effective_date_and_sane():
    values = dict(
        effective_from=date(2021, 1, 1), hire_rule_effective=date(2021, 1, 1), hire_min_experience_months=36,
        hire_min_education="associate", direct_min_skill_level="senior", practice_rule_effective=date(2021, 1, 1),
        cycle_years=5, practice_required_months=10, leadership_min_experience_months=60,
    )
    assert refused(PolicyVersion(**{**values, "cycle_years": 0}))
    assert refused(PolicyVersion(**{**values, "hire_min_education": "college"}))
    db.session.add(PolicyVersion(**values))
    db.session.commit()
    assert refused(PolicyVersion(**values))


def test_accounts_have_a_known_role_and_what_the_role_needs(make):
    assert refused(User(login="x", password_hash="h", role="principal"))
    assert refused(User(login="hr", password_hash="h", role="school_hr"))
    assert refused(User(login="t", password_hash="h", role="teacher"))
    make.user("bureau", login="bureau")
    assert refused(User(login="bureau", password_hash="h", role="bureau"))


def test_an_audit_event_needs_an_action_and_a_record():
    assert refused(AuditEvent(action=None, entity="teacher", entity_id=1))


def test_foreign_keys_are_enforced_on_every_database(make):
    assert refused(Teacher(school_id=999_999, name="无校教师", id_number="210603199001011234", gender="male",
                           course_type="specialty", specialty="数控", post_type="fixed", hire_date=date(2022, 3, 1),
                           hire_channel="open", education="bachelor", leadership=False))


def test_a_school_with_teachers_cannot_be_deleted(make):
    school = make.school()
    make.teacher(school)
    with pytest.raises(IntegrityError):
        db.session.execute(School.__table__.delete().where(School.id == school.id))
    db.session.rollback()


def test_deleting_a_practice_row_in_the_database_cascades_to_its_evidence(make):
    record = make.practice(make.teacher(), "2024-07-01", "2024-08-31")
    db.session.add(Evidence(practice_id=record.id, filename="证明.pdf", stored_name="f" * 64, content_type="application/pdf", size=10))
    db.session.commit()
    db.session.execute(PracticeRecord.__table__.delete())
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 0
