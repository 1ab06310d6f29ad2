"""The change history reads as sentences: names instead of ids, Chinese labels, the forms' order, no empty pairs."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from registry.extensions import db
from registry.models import AuditEvent, Certificate
from registry.presenters import event_changes, event_sentence
from registry.services import exceptions as hire_exceptions
from registry.services import practice as practice_service
from registry.services import teachers as teacher_service
from registry.services import users
from registry.services.users import SESSION_ACTIONS
from tests.app.inputs import PDF, teacher_form, upload


def last_event() -> AuditEvent:
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.not_in(SESSION_ACTIONS)).order_by(AuditEvent.id.desc()).limit(1)
    ).one()


def test_a_reviewed_practice_record_reads_as_one_sentence_with_the_teachers_name_and_dates(make):
    school = make.school()
    teacher = make.teacher(school, name="张宏伟")
    record = make.practice(teacher, "2024-07-01", "2024-08-31", status="submitted")
    practice_service.review_practice(make.user("school_hr", school), record.id, "reject", {"reason": "缺少企业证明"})
    assert event_sentence(last_event()) == "张宏伟的企业实践记录（2024-07-01 至 2024-08-31）已退回"


def test_a_new_teacher_is_named_and_the_school_shown_by_name_in_the_form_order(hr, login):
    login(hr).post("/teachers/new", data=teacher_form(name="李明"))
    event = last_event()
    assert event_sentence(event) == "教师李明已新增"
    changes = dict(event_changes(event, hr))
    assert changes["学校"] == (None, hr.school.name)
    labels = [label for label, _pair in event_changes(event, hr)]
    assert labels.index("姓名") < labels.index("身份证号") < labels.index("学校") < labels.index("入职日期")
    assert "离职日期" not in labels  # blank before and after: nothing to show


def test_the_teacher_page_shows_sentences_not_record_numbers(hr, login, make):
    teacher = make.teacher(hr.school, name="王芳", hire_date=date(2022, 9, 1))
    client = login(hr)
    client.post(f"/teachers/{teacher.id}/edit", data=teacher_form(name="王芳", specialty="汽车运用与维修"))
    page = client.get(f"/teachers/{teacher.id}").get_data(as_text=True)
    assert "教师王芳已修改" in page
    assert f"#{teacher.id}" not in page


def test_a_field_is_named_for_its_record_and_internal_ids_are_left_out(two_schools, make):
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="planned")
    practice_service.add_evidence(two_schools["teacher"], record.id, [upload(PDF, "证明.pdf")])
    changes = dict(event_changes(last_event(), two_schools["hr"]))
    assert changes["文件大小"][1].endswith(" KB") and "企业实践记录" not in changes
    make.certificate(two_schools["teacher_record"], "2019-06-01")
    teacher_service.add_record(two_schools["hr"], two_schools["teacher_record"].id, Certificate,
                               {"kind": "teacher", "name": "中职教师资格", "issued": "2020-01-01", "related": True})
    assert dict(event_changes(last_event(), two_schools["hr"]))["证书名称"] == (None, "中职教师资格")


def test_an_account_event_quotes_the_login_and_reads_as_a_sentence(make):
    admin, hr = make.user("admin"), make.user("school_hr", make.school(), login="teacher_wang")
    users.set_user_active(admin, hr.id, False)
    assert event_sentence(last_event()) == "账号“teacher_wang”已停用"
    users.set_user_active(admin, hr.id, True)
    users.sign_in("teacher_wang", make.PASSWORD, "127.0.0.1")
    signed_in = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert event_sentence(signed_in) == "账号“teacher_wang”已登录"


def test_a_refused_hire_exception_reads_as_a_sentence_with_its_reason_and_the_decider_by_name(make):
    teacher = make.teacher(make.school(), name="崔志远")
    exception = make.hire_exception(teacher)
    bureau = make.user("bureau", login="jyj")
    hire_exceptions.decide_hire_exception(bureau, exception.id, "refuse", {"note": "企业经历证明不足"})
    event = last_event()
    assert event_sentence(event) == "崔志远的招聘例外申请未获批准"
    changes = dict(event_changes(event, bureau))
    assert changes["状态"] == ("待审批", "未批准")
    assert changes["审批意见"] == (None, "企业经历证明不足")
