"""School HR keeps teachers and their records through the page forms."""
from datetime import date

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import Certificate, EmploymentRecord, Teacher, TrainingRecord
from tests.app.factories import id_number
from tests.app.inputs import teacher_form, with_wrong_check_digit


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_hr_creates_a_teacher_in_their_own_school_and_lands_on_the_teacher_page(hr, login):
    response = login(hr).post("/teachers/new", data=teacher_form(school_id="999"))
    teacher = db.session.scalar(select(Teacher))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/teachers/{teacher.id}")
    assert teacher.school_id == hr.school_id and teacher.hire_date == date(2022, 9, 1)


def test_the_new_teacher_form_offers_every_field_of_the_api(hr, login):
    page = login(hr).get("/teachers/new").get_data(as_text=True)
    for name in ("name", "id_number", "gender", "course_type", "specialty", "post_type", "hire_date",
                 "hire_channel", "education", "leadership", "left_date"):
        assert f'name="{name}"' in page


TEACHER_MISTAKES = [
    ({"id_number": with_wrong_check_digit(id_number(5))}, "id_number", "校验位不正确"),
    ({"id_number": id_number(5)[:17]}, "id_number", "身份证号应为18位"),
    ({"id_number": "210602199002300011"}, "id_number", "出生日期不存在"),
    ({"id_number": ""}, "id_number", "必填项"),
    ({"name": "  "}, "name", "不能为空"),
    ({"gender": "unknown"}, "gender", "不是允许的取值"),
    ({"course_type": "teacher"}, "course_type", "不是允许的取值"),
    ({"post_type": ""}, "post_type", "必填项"),
    ({"hire_channel": "friend"}, "hire_channel", "不是允许的取值"),
    ({"education": "phd"}, "education", "不是允许的取值"),
    ({"hire_date": "2023-02-30"}, "hire_date", "不是有效日期"),
    ({"hire_date": "01/09/2022"}, "hire_date", "不是有效日期"),
    ({"hire_date": "2099-09-01"}, "hire_date", "不能晚于一年以后"),
    ({"left_date": "2021-01-01"}, "left_date", "离职日期不能早于入职日期"),
    ({"left_date": "2022-04-31"}, "left_date", "不是有效日期"),
    ({"specialty": "专" * 51}, "specialty", "太长"),
]


@pytest.mark.parametrize("changes, field, message", TEACHER_MISTAKES)
def test_a_bad_teacher_is_refused_field_by_field_in_chinese_and_nothing_is_written(hr, login, changes, field, message):
    response = login(hr).post("/teachers/new", data=teacher_form(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert f'id="{field}"' in page and "is-invalid" in page
    assert count(Teacher) == 0


def test_an_identity_number_already_registered_is_refused(hr, login, make):
    make.teacher(make.school(), id_number=id_number(7))
    page = login(hr).post("/teachers/new", data=teacher_form(id_number=id_number(7))).get_data(as_text=True)
    assert "该身份证号已登记在另一名教师名下" in page
    assert count(Teacher) == 1


def test_a_lower_case_x_check_character_is_accepted_and_stored_upper_case(hr, login):
    number = next(n for n in (id_number(k) for k in range(200)) if n.endswith("X"))
    login(hr).post("/teachers/new", data=teacher_form(id_number=number.lower()))
    assert db.session.scalar(select(Teacher.id_number)) == number


def test_every_mistake_of_one_form_is_shown_at_once(hr, login):
    page = login(hr).post("/teachers/new", data=teacher_form(name="", gender="", hire_date="2023-13-01")).get_data(as_text=True)
    assert page.count("invalid-feedback") >= 3


def test_hr_edits_a_teacher_and_can_clear_the_leaving_date(hr, login, make):
    teacher = make.teacher(hr.school, left_date=date(2024, 1, 31))
    form = teacher_form(id_number=teacher.id_number, name="李明明", left_date="")
    response = login(hr).post(f"/teachers/{teacher.id}/edit", data=form)
    assert response.status_code == 302
    db.session.refresh(teacher)
    assert teacher.name == "李明明" and teacher.left_date is None


def test_the_edit_form_is_filled_with_the_current_values(hr, login, make):
    teacher = make.teacher(hr.school, name="赵丽", hire_date=date(2020, 3, 2))
    page = login(hr).get(f"/teachers/{teacher.id}/edit").get_data(as_text=True)
    assert 'value="赵丽"' in page and 'value="2020-03-02"' in page


def test_editing_keeps_the_identity_number_unique(hr, login, make):
    other = make.teacher(hr.school, id_number=id_number(8))
    teacher = make.teacher(hr.school, id_number=id_number(9))
    page = login(hr).post(f"/teachers/{teacher.id}/edit", data=teacher_form(id_number=other.id_number)).get_data(as_text=True)
    assert "已登记在另一名教师名下" in page
    db.session.refresh(teacher)
    assert teacher.id_number == id_number(9)


def test_hr_deletes_a_teacher_with_all_records(hr, login, make):
    teacher = make.teacher(hr.school)
    make.employment(teacher, "2015-01-01", "2018-12-31")
    response = login(hr).post(f"/teachers/{teacher.id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/teachers/")
    assert count(Teacher) == 0 and count(EmploymentRecord) == 0


RECORDS = {
    "employment": (EmploymentRecord, {"employer": "华晨机床厂", "employer_type": "enterprise", "position": "车工", "start": "2016-07-01", "end": "2019-06-30"}),
    "certificates": (Certificate, {"kind": "skill", "name": "数控车工", "level": "senior", "issued": "2019-05-01", "related": "y"}),
    "training": (TrainingRecord, {"program": "2023年全员轮训", "kind": "rotation", "end": "2023-08-20", "hours": "80", "status": "completed"}),
}


@pytest.mark.parametrize("kind", RECORDS)
def test_hr_adds_edits_and_deletes_each_kind_of_record(hr, login, make, kind):
    model, data = RECORDS[kind]
    teacher = make.teacher(hr.school)
    client = login(hr)
    assert client.get(f"/teachers/{teacher.id}/{kind}/new").status_code == 200
    response = client.post(f"/teachers/{teacher.id}/{kind}/new", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/teachers/{teacher.id}#{kind}")
    record = db.session.scalar(select(model))
    assert record.teacher_id == teacher.id

    text_field = {"employment": "employer", "certificates": "name", "training": "program"}[kind]
    edited = {**data, text_field: "改过的名称"}
    assert client.post(f"/teachers/{teacher.id}/{kind}/{record.id}/edit", data=edited).status_code == 302
    db.session.refresh(record)
    assert getattr(record, text_field) == "改过的名称"

    assert client.post(f"/teachers/{teacher.id}/{kind}/{record.id}/delete").status_code == 302
    assert count(model) == 0


def test_the_training_hours_may_be_left_blank(hr, login, make):
    teacher = make.teacher(hr.school)
    data = {**RECORDS["training"][1], "hours": ""}
    assert login(hr).post(f"/teachers/{teacher.id}/training/new", data=data).status_code == 302
    assert db.session.scalar(select(TrainingRecord.hours)) is None


RECORD_MISTAKES = [
    ("employment", {"start": "2019-07-01", "end": "2019-06-30"}, "结束日期不能早于开始日期"),
    ("employment", {"start": "2019-02-29"}, "不是有效日期"),
    ("employment", {"start": ""}, "必填项"),
    ("employment", {"employer_type": "factory"}, "不是允许的取值"),
    ("employment", {"employer": ""}, "不能为空"),
    ("certificates", {"level": ""}, "职业技能等级证书须填写等级"),
    ("certificates", {"kind": "driver"}, "不是允许的取值"),
    ("certificates", {"level": "master"}, "不是允许的取值"),
    ("certificates", {"issued": "2019/05/01"}, "不是有效日期"),
    ("training", {"hours": "-5"}, "不能小于 0"),
    ("training", {"hours": "八十"}, "应为整数"),
    ("training", {"status": "maybe"}, "不是允许的取值"),
    ("training", {"kind": ""}, "必填项"),
]


@pytest.mark.parametrize("kind, changes, message", RECORD_MISTAKES)
def test_a_bad_record_is_refused_in_chinese_and_nothing_is_written(hr, login, make, kind, changes, message):
    model, data = RECORDS[kind]
    teacher = make.teacher(hr.school)
    response = login(hr).post(f"/teachers/{teacher.id}/{kind}/new", data={**data, **changes})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(model) == 0


def test_a_bad_edit_leaves_the_record_as_it_was(hr, login, make):
    teacher = make.teacher(hr.school)
    record = make.employment(teacher, "2015-01-01", "2018-12-31")
    data = {**RECORDS["employment"][1], "start": "2019-01-01", "end": "2018-01-01"}
    page = login(hr).post(f"/teachers/{teacher.id}/employment/{record.id}/edit", data=data).get_data(as_text=True)
    assert "结束日期不能早于开始日期" in page
    db.session.refresh(record)
    assert record.start == date(2015, 1, 1)


def test_a_non_skill_certificate_drops_the_level(hr, login, make):
    teacher = make.teacher(hr.school)
    data = {**RECORDS["certificates"][1], "kind": "teacher", "level": "senior"}
    login(hr).post(f"/teachers/{teacher.id}/certificates/new", data=data)
    assert db.session.scalar(select(Certificate.level)) is None


def test_overlapping_employment_is_accepted_marked_and_counted_once(hr, login, make):
    teacher = make.teacher(hr.school, hire_date=date(2022, 3, 1))
    client = login(hr)
    for employer, start, end in (("甲公司", "2017-01-01", "2019-12-31"), ("乙公司", "2019-01-01", "2020-12-31")):
        data = {"employer": employer, "employer_type": "enterprise", "position": "", "start": start, "end": end}
        assert client.post(f"/teachers/{teacher.id}/employment/new", data=data).status_code == 302
    page = client.get(f"/teachers/{teacher.id}?as_of=2024-01-01").get_data(as_text=True)
    assert page.count("时段重叠") >= 2 and "span counted overlap" in page
    # 2017-01-01..2020-12-31 merged is 48 months, not 36 + 24.
    assert "<strong>48</strong>" in page


def test_the_hiring_verdict_follows_the_employment_history(hr, login, make):
    teacher = make.teacher(hr.school, hire_date=date(2022, 3, 1))
    client = login(hr)
    before = client.get(f"/teachers/{teacher.id}?as_of=2024-01-01").get_data(as_text=True)
    assert "status-non_compliant" in before
    data = {"employer": "曙光集团", "employer_type": "enterprise", "position": "", "start": "2018-01-01", "end": "2021-12-31"}
    client.post(f"/teachers/{teacher.id}/employment/new", data=data)
    after = client.get(f"/teachers/{teacher.id}?as_of=2024-01-01").get_data(as_text=True)
    assert "status-non_compliant" not in after and "status-compliant" in after


def test_the_teacher_page_offers_edit_buttons_to_hr_only(hr, login, make, client):
    teacher = make.teacher(hr.school)
    make.employment(teacher, "2015-01-01", "2018-12-31")
    page = login(hr).get(f"/teachers/{teacher.id}").get_data(as_text=True)
    assert "编辑基本信息" in page and "添加工作经历" in page and "删除教师" in page
    client.post("/logout")
    page = login(make.user("bureau")).get(f"/teachers/{teacher.id}").get_data(as_text=True)
    assert "编辑基本信息" not in page and "添加工作经历" not in page and "删除教师" not in page
