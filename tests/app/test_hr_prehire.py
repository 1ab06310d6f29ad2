"""The pre-hire check: the hiring rule's verdict for a candidate, and one click to a teacher record."""
import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import AuditEvent, Certificate, EmploymentRecord, Teacher
from registry.services.users import SESSION_ACTIONS
from tests.app.factories import id_number


def candidate(**changes) -> dict:
    data = {
        "course_type": "specialty", "post_type": "fixed", "hire_date": "2024-09-01", "hire_channel": "open",
        "education": "bachelor", "specialty": "数控技术应用",
        "employment-0-employer": "华晨机床厂", "employment-0-employer_type": "enterprise", "employment-0-position": "车工",
        "employment-0-start": "2020-07-01", "employment-0-end": "2023-06-30",
        "employment-1-employer": "", "employment-1-employer_type": "", "employment-1-start": "", "employment-1-end": "",
        "certificates-0-kind": "", "certificates-0-name": "", "certificates-0-level": "", "certificates-0-issued": "",
        "check": "核查",
    }
    data.update(changes)
    return data


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_candidate_with_three_years_in_industry_is_compliant_and_nothing_is_saved(hr, login):
    page = login(hr).post("/teachers/prehire", data=candidate()).get_data(as_text=True)
    assert "status-compliant" in page and "36" in page
    assert "建立教师档案" in page
    changes = select(func.count()).select_from(AuditEvent).where(AuditEvent.action.not_in(SESSION_ACTIONS))
    assert count(Teacher) == count(EmploymentRecord) == db.session.scalar(changes) == 0


def test_a_short_history_is_non_compliant_with_the_shortfall_explained(hr, login):
    page = login(hr).post("/teachers/prehire", data=candidate(**{"employment-0-start": "2022-07-01"})).get_data(as_text=True)
    assert "status-non_compliant" in page and "还差 24 个月" in page
    assert 'name="hire"' not in page and "申请招聘例外" in page


def test_overlapping_jobs_are_counted_once_in_the_check(hr, login):
    data = candidate(**{
        "employment-0-start": "2021-01-01", "employment-0-end": "2023-06-30",
        "employment-1-employer": "兼职公司", "employment-1-employer_type": "enterprise",
        "employment-1-start": "2021-01-01", "employment-1-end": "2023-06-30",
    })
    page = login(hr).post("/teachers/prehire", data=data).get_data(as_text=True)
    assert "status-non_compliant" in page  # 30 months, not 60


def test_a_related_skill_certificate_makes_a_graduate_compliant(hr, login):
    data = candidate(**{
        "employment-0-employer": "", "employment-0-employer_type": "", "employment-0-position": "",
        "employment-0-start": "", "employment-0-end": "",
        "certificates-0-kind": "skill", "certificates-0-name": "数控车工", "certificates-0-level": "intermediate",
        "certificates-0-issued": "2024-06-01", "certificates-0-related": "y",
    })
    page = login(hr).post("/teachers/prehire", data=data).get_data(as_text=True)
    assert "status-compliant" in page and "按持证毕业生条件符合要求" in page


def test_a_general_course_candidate_is_not_subject_to_the_rule(hr, login):
    page = login(hr).post("/teachers/prehire", data=candidate(course_type="general")).get_data(as_text=True)
    assert "status-not_applicable" in page and "建立教师档案" in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"employment-0-end": "2019-01-01"}, "结束日期不能早于开始日期"),
        ({"employment-0-start": "2020-02-30"}, "不是有效日期"),
        ({"employment-0-employer_type": "factory"}, "不是允许的取值"),
        ({"certificates-0-kind": "skill", "certificates-0-name": "数控车工", "certificates-0-issued": "2020-01-01"}, "职业技能等级证书须填写等级"),
        ({"education": ""}, "必填项"),
        ({"hire_date": "next year"}, "不是有效日期"),
    ],
)
def test_bad_candidate_input_is_shown_on_the_row_it_belongs_to(hr, login, changes, message):
    page = login(hr).post("/teachers/prehire", data=candidate(**changes)).get_data(as_text=True)
    assert message in page and "is-invalid" in page
    assert "status-" not in page.split('id="verdict"')[1]


def test_one_click_turns_a_passing_candidate_into_a_teacher_with_history_and_certificates(hr, login):
    data = candidate(**{
        "certificates-0-kind": "teacher", "certificates-0-name": "中职教师资格证", "certificates-0-issued": "2024-07-01",
        "name": "周强", "id_number": id_number(30), "gender": "male", "hire": "建立教师档案",
    })
    data.pop("check")
    response = login(hr).post("/teachers/prehire", data=data)
    teacher = db.session.scalar(select(Teacher))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/teachers/{teacher.id}")
    assert (teacher.name, teacher.school_id, teacher.specialty, teacher.education) == ("周强", hr.school_id, "数控技术应用", "bachelor")
    assert [e.employer for e in teacher.employment] == ["华晨机床厂"]
    assert [c.name for c in teacher.certificates] == ["中职教师资格证"]
    actions = db.session.execute(select(AuditEvent.action, AuditEvent.entity)
                                 .where(AuditEvent.action.not_in(SESSION_ACTIONS)).order_by(AuditEvent.id)).all()
    assert actions == [("create", "teacher"), ("create", "employment_record"), ("create", "certificate")]


def test_missing_identity_fields_keep_the_verdict_and_write_nothing(hr, login):
    data = {**candidate(name="", id_number="123", gender="male", hire="建立教师档案")}
    data.pop("check")
    page = login(hr).post("/teachers/prehire", data=data).get_data(as_text=True)
    assert "身份证号应为18位" in page and "status-compliant" in page
    assert count(Teacher) == count(EmploymentRecord) == count(Certificate) == 0


def test_a_failing_candidate_cannot_be_hired_from_the_check(hr, login):
    data = candidate(**{"employment-0-start": "2022-07-01", "name": "周强", "id_number": id_number(31), "gender": "male", "hire": "1"})
    data.pop("check")
    page = login(hr).post("/teachers/prehire", data=data).get_data(as_text=True)
    assert "不能直接建档" in page
    assert count(Teacher) == 0


def test_a_duplicate_identity_number_is_refused_when_hiring_from_the_check(hr, login, make):
    make.teacher(make.school(), id_number=id_number(32))
    data = candidate(name="周强", id_number=id_number(32), gender="male", hire="1")
    data.pop("check")
    page = login(hr).post("/teachers/prehire", data=data).get_data(as_text=True)
    assert "已登记在另一名教师名下" in page
    assert count(Teacher) == 1 and count(EmploymentRecord) == 0
