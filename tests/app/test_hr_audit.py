"""Every change HR makes to a teacher or its records leaves an audit event: who, when, what, before and after."""
from datetime import date

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import ApiToken, AuditEvent, User
from registry.services.users import SESSION_ACTIONS
from tests.app.factories import id_number
from tests.app.inputs import teacher_form


def events(after_id: int = 0) -> list[AuditEvent]:
    """The changes recorded after `after_id` (signing in and out left aside)."""
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.id > after_id, AuditEvent.action.not_in(SESSION_ACTIONS)).order_by(AuditEvent.id)))


def test_creating_a_teacher_records_every_field_after(hr, login):
    login(hr).post("/teachers/new", data=teacher_form())
    [event] = events()
    assert (event.action, event.entity, event.actor_id, event.school_id) == ("create", "teacher", hr.id, hr.school_id)
    assert event.teacher_id == event.entity_id
    assert event.changes["before"] is None
    assert event.changes["after"]["id_number"] == id_number(1) and event.changes["after"]["hire_date"] == "2022-09-01"


def test_editing_a_teacher_records_only_what_changed(hr, login, make):
    teacher = make.teacher(hr.school, **{k: v for k, v in teacher_form().items() if k not in ("hire_date", "left_date")},
                           hire_date=date(2022, 9, 1))
    login(hr).post(f"/teachers/{teacher.id}/edit", data=teacher_form(specialty="汽车运用与维修"))
    [event] = events()
    assert event.action == "update"
    assert event.changes == {"before": {"specialty": "数控技术应用"}, "after": {"specialty": "汽车运用与维修"}}


def test_saving_a_form_without_changes_records_nothing(hr, login, make):
    teacher = make.teacher(hr.school, **{k: v for k, v in teacher_form().items() if k not in ("hire_date", "left_date")},
                           hire_date=date(2022, 9, 1))
    login(hr).post(f"/teachers/{teacher.id}/edit", data=teacher_form())
    assert events() == []


def test_deleting_a_teacher_keeps_the_record_in_the_trail(hr, login, make):
    teacher = make.teacher(hr.school, name="待删除")
    teacher_id = teacher.id
    login(hr).post(f"/teachers/{teacher_id}/delete")
    [event] = events()
    assert (event.action, event.entity, event.teacher_id) == ("delete", "teacher", teacher_id)
    assert event.changes["before"]["name"] == "待删除" and event.changes["after"] is None


RECORDS = {
    "employment": ("employment_record", {"employer": "甲公司", "employer_type": "enterprise", "position": "", "start": "2016-01-01", "end": "2018-12-31"}, "employer"),
    "certificates": ("certificate", {"kind": "skill", "name": "钳工", "level": "senior", "issued": "2019-05-01"}, "name"),
    "training": ("training_record", {"program": "轮训", "kind": "rotation", "end": "2023-08-20", "hours": "80", "status": "completed"}, "program"),
}


@pytest.mark.parametrize("kind", RECORDS)
def test_adding_editing_and_deleting_a_record_each_leave_an_event(hr, login, make, kind):
    entity, data, text_field = RECORDS[kind]
    teacher = make.teacher(hr.school)
    client = login(hr)
    client.post(f"/teachers/{teacher.id}/{kind}/new", data=data)
    record_id = events()[-1].entity_id
    client.post(f"/teachers/{teacher.id}/{kind}/{record_id}/edit", data={**data, text_field: "改名"})
    client.post(f"/teachers/{teacher.id}/{kind}/{record_id}/delete")
    trail = events()
    assert [(e.action, e.entity, e.entity_id, e.teacher_id, e.school_id, e.actor_id) for e in trail] == [
        (action, entity, record_id, teacher.id, hr.school_id, hr.id) for action in ("create", "update", "delete")
    ]
    assert trail[1].changes == {"before": {text_field: data[text_field]}, "after": {text_field: "改名"}}
    assert trail[2].changes["before"][text_field] == "改名"


def test_the_teacher_page_shows_its_history(hr, login, make):
    teacher = make.teacher(hr.school)
    client = login(hr)
    client.post(f"/teachers/{teacher.id}/employment/new", data=RECORDS["employment"][1])
    page = client.get(f"/teachers/{teacher.id}").get_data(as_text=True)
    assert "变更记录" in page and "工作经历" in page and "甲公司" in page


def test_deleting_a_teacher_records_every_record_deleted_with_it(hr, login, make):
    teacher = make.teacher(hr.school, name="待删除")
    make.employment(teacher, "2015-01-01", "2018-12-31", employer="甲公司")
    make.certificate(teacher, "2019-05-01")
    make.practice(teacher, "2023-07-01", "2023-08-31", enterprise="五一八公司")
    make.training(teacher, "2023-08-20")
    login(hr).post(f"/teachers/{teacher.id}/delete")
    [event] = events()
    before = event.changes["before"]
    assert [r["employer"] for r in before["employment"]] == ["甲公司"]
    assert [r["name"] for r in before["certificates"]] == ["数控车工"]
    assert [(r["enterprise"], r["evidence"]) for r in before["practice"]] == [("五一八公司", [])]
    assert [r["program"] for r in before["training"]] == ["全员轮训"]
    assert before["hire_exceptions"] == []


def test_deleting_a_teacher_removes_their_login_and_tokens_and_says_so(hr, login, make):
    teacher = make.teacher(hr.school, name="有账号")
    account = make.user("teacher", teacher=teacher, login="youzhanghao")
    headers = make.token(account)
    account_id, teacher_id = account.id, teacher.id
    before_deletion = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    client = login(hr)
    client.post(f"/teachers/{teacher_id}/delete")
    db.session.expire_all()
    assert db.session.get(User, account_id) is None
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
    assert client.get("/api/v1/teachers", headers=headers).status_code == 401
    by_entity = {e.entity: e for e in events(before_deletion) if e.action == "delete"}
    assert set(by_entity) == {"user", "teacher"}
    gone = by_entity["user"]
    assert (gone.action, gone.entity_id, gone.teacher_id, gone.actor_id) == ("delete", account_id, teacher_id, hr.id)
    assert gone.changes["before"]["login"] == "youzhanghao" and len(gone.changes["before"]["api_tokens"]) == 1
    assert "token_hash" not in gone.changes["before"]["api_tokens"][0]
