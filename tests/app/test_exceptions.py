"""Hire exceptions: HR asks for a non-compliant teacher, the bureau decides, the verdict follows."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from registry.errors import Conflict, Forbidden, Invalid, NotFound
from registry.extensions import db
from registry.models import AuditEvent, HireException
from registry.services import exceptions
from registry.services.compliance import evaluate_teacher
from registry.services.compliance_list import iter_rows, parse_filters

AS_OF = date(2026, 11, 28)


@pytest.fixture
def world(make):
    own, other = make.school(name="甲校"), make.school(name="乙校")
    short = make.teacher(own, name="经历不足", hire_date=date(2024, 3, 1))
    make.employment(short, "2022-09-01", "2023-08-31")
    fine = make.teacher(own, name="符合条件", hire_date=date(2022, 3, 1))
    make.employment(fine, "2015-07-01", "2022-02-28")
    elsewhere = make.teacher(other, name="外校不足", hire_date=date(2024, 3, 1))
    return {
        "short": short, "fine": fine, "elsewhere": elsewhere,
        "hr": make.user("school_hr", school=own), "hr_other": make.user("school_hr", school=other),
        "bureau": make.user("bureau"), "admin": make.user("admin"), "teacher": make.user("teacher", teacher=short),
    }


def hire_status(teacher) -> str:
    db.session.refresh(teacher)
    return evaluate_teacher(teacher, AS_OF).hire.status


def test_an_approved_exception_turns_the_verdict_into_exception(world):
    short = world["short"]
    assert hire_status(short) == "non_compliant"
    request = exceptions.request_hire_exception(world["hr"], short.id, {"reason": "专业新设，急需一线护理经历"})
    assert (request.status, request.requested_by_id) == ("requested", world["hr"].id)
    assert hire_status(short) == "non_compliant"  # asking changes nothing
    exceptions.decide_hire_exception(world["bureau"], request.id, "approve", {"note": "同意"})
    assert (request.status, request.note, request.decided_by_id) == ("approved", "同意", world["bureau"].id)
    assert request.decided_at is not None
    assert hire_status(short) == "exception"
    (row,) = iter_rows(world["bureau"], parse_filters({"as_of": AS_OF.isoformat(), "rule": "hire", "status": "exception"}))
    assert row.teacher_id == short.id and row.hire_basis == "exception"


def test_a_refused_exception_keeps_the_verdict_and_allows_a_new_request(world):
    short = world["short"]
    first = exceptions.request_hire_exception(world["hr"], short.id, {"reason": "第一次"})
    exceptions.decide_hire_exception(world["bureau"], first.id, "refuse", {"note": "理由不足"})
    assert first.status == "refused" and hire_status(short) == "non_compliant"
    second = exceptions.request_hire_exception(world["hr"], short.id, {"reason": "补充材料后再次申请"})
    assert second.status == "requested"


def test_every_step_is_audited(world):
    request = exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "急需"})
    exceptions.decide_hire_exception(world["bureau"], request.id, "refuse", {"note": "不同意"})
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "hire_exception").order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id, e.teacher_id) for e in events] == [
        ("request", world["hr"].id, world["short"].id),
        ("refuse", world["bureau"].id, world["short"].id),
    ]
    assert events[1].changes["after"]["status"] == "refused"


def test_only_a_non_compliant_teacher_can_be_the_subject_of_a_request(world):
    with pytest.raises(Conflict):
        exceptions.request_hire_exception(world["hr"], world["fine"].id, {"reason": "试试"})
    assert db.session.scalar(select(HireException.id)) is None


def test_only_one_open_request_at_a_time(world):
    exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "第一次"})
    with pytest.raises(Conflict):
        exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "第二次"})


def test_a_request_needs_a_reason(world):
    with pytest.raises(Invalid) as caught:
        exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "   "})
    assert set(caught.value.errors) == {"reason"}


@pytest.mark.parametrize("role, error", [("bureau", Forbidden), ("teacher", Forbidden), ("admin", Forbidden), ("hr_other", NotFound)])
def test_only_hr_of_the_teachers_school_may_request(world, role, error):
    with pytest.raises(error):
        exceptions.request_hire_exception(world[role], world["short"].id, {"reason": "急需"})


@pytest.mark.parametrize("role", ["hr", "admin", "teacher"])
def test_only_the_bureau_decides(world, role):
    request = exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "急需"})
    with pytest.raises(Forbidden):
        exceptions.decide_hire_exception(world[role], request.id, "approve", {})


def test_a_decision_is_final(world):
    request = exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "急需"})
    exceptions.decide_hire_exception(world["bureau"], request.id, "approve", {})
    with pytest.raises(Conflict):
        exceptions.decide_hire_exception(world["bureau"], request.id, "refuse", {"note": "改主意"})
    assert request.status == "approved"


# ------------------------------------------------------------------ the pages


def test_hr_sees_the_request_form_only_for_a_non_compliant_teacher(world, login):
    client = login(world["hr"])
    page = client.get(f"/teachers/{world['short'].id}").get_data(as_text=True)
    assert "招聘例外申请" in page and f"/bureau/teachers/{world['short'].id}/exception" in page
    page = client.get(f"/teachers/{world['fine'].id}").get_data(as_text=True)
    assert "/exception" not in page and "招聘例外申请" not in page


def test_the_bureau_sees_the_section_but_no_form(world, login):
    exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "急需"})
    page = login(world["bureau"]).get(f"/teachers/{world['short'].id}").get_data(as_text=True)
    assert "招聘例外申请" in page and "待审批" in page and 'name="reason"' not in page


def test_hr_requests_through_the_teacher_page(world, login):
    client = login(world["hr"])
    response = client.post(f"/bureau/teachers/{world['short'].id}/exception", data={"reason": "急需护理教师"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/teachers/{world['short'].id}#hire-exception")
    page = client.get(f"/teachers/{world['short'].id}").get_data(as_text=True)
    assert "急需护理教师" in page and "已有一份申请正在等待" in page
    again = client.post(f"/bureau/teachers/{world['short'].id}/exception", data={"reason": "再来一次"}, follow_redirects=True)
    assert "待审批的例外申请" in again.get_data(as_text=True)
    empty = client.post(f"/bureau/teachers/{world['fine'].id}/exception", data={"reason": ""}, follow_redirects=True)
    assert "申请理由" in empty.get_data(as_text=True)
    assert db.session.scalar(select(HireException.id).where(HireException.teacher_id == world["fine"].id)) is None


def test_hr_of_another_school_cannot_request_through_the_page(world, login):
    assert login(world["hr_other"]).post(f"/bureau/teachers/{world['short'].id}/exception", data={"reason": "x"}).status_code == 404


def test_the_bureau_queue_shows_the_explanation_and_decides_with_a_note(world, login):
    request = exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "专业新设"})
    client = login(world["bureau"])
    page = client.get("/bureau/exceptions").get_data(as_text=True)
    assert "经历不足" in page and "专业新设" in page and "距 36 个月还差" in page
    who = world["hr"].display_name or world["hr"].login
    assert f"甲校 · {who} 于 " in page  # the school asked, through this account (every HR office may be 人事处)
    assert f"/bureau/exceptions/{request.id}/approve" in page
    response = client.post(f"/bureau/exceptions/{request.id}/approve", data={"note": "同意按例外录用"})
    assert response.status_code == 302
    db.session.refresh(request)
    assert (request.status, request.note) == ("approved", "同意按例外录用")
    page = client.get("/bureau/exceptions").get_data(as_text=True)
    assert "目前没有待审批的例外申请" in page and "同意按例外录用" in page
    again = client.post(f"/bureau/exceptions/{request.id}/refuse", data={"note": "x"}, follow_redirects=True)
    assert "已经审批过" in again.get_data(as_text=True)


def test_the_admin_reads_the_queue_without_deciding(world, login):
    request = exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "专业新设"})
    client = login(world["admin"])
    page = client.get("/bureau/exceptions").get_data(as_text=True)
    assert "专业新设" in page and "/approve" not in page
    assert client.post(f"/bureau/exceptions/{request.id}/approve", data={}).status_code == 403


@pytest.mark.parametrize("role", ["hr", "teacher"])
def test_school_staff_and_teachers_have_no_queue(world, login, role):
    assert login(world[role]).get("/bureau/exceptions").status_code == 403


# ------------------------------------------------------------------ races


def test_the_database_refuses_a_second_open_request_for_one_teacher(world):
    exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "第一次"})
    db.session.add(HireException(teacher_id=world["short"].id, status="requested", reason="同时提交", requested_by_id=world["hr"].id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_decided_requests_do_not_count_against_the_one_open_request(world):
    first = exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "第一次"})
    exceptions.decide_hire_exception(world["bureau"], first.id, "refuse", {"note": "理由不足"})
    second = exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "第二次"})
    exceptions.decide_hire_exception(world["bureau"], second.id, "refuse", {"note": "仍不足"})
    exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "第三次"})
    assert db.session.scalar(select(func.count()).select_from(HireException)) == 3


def test_a_request_that_loses_the_race_is_a_conflict_and_leaves_nothing_behind(world, monkeypatch):
    exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "先到的申请"})
    # The second request passed the check before the first was committed.
    monkeypatch.setattr(exceptions, "open_request", lambda teacher: None)
    with pytest.raises(Conflict):
        exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "后到的申请"})
    assert db.session.scalars(select(HireException.reason)).all() == ["先到的申请"]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_a_decision_made_on_a_stale_copy_is_refused(world):
    request = exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "急需"})
    # Another bureau user refuses it meanwhile; this session still holds the "requested" copy.
    db.session.execute(
        update(HireException).where(HireException.id == request.id)
        .values(status="refused", note="已由他人审批", decided_at=datetime(2026, 11, 28, tzinfo=UTC)),
        execution_options={"synchronize_session": False},
    )
    assert request.status == "requested"
    with pytest.raises(Conflict):
        exceptions.decide_hire_exception(world["bureau"], request.id, "approve", {"note": "同意"})
    assert (request.status, request.note) == ("refused", "已由他人审批")  # the decision read the row as stored


def test_hr_of_another_school_gets_not_found_through_the_teacher_scope(world):
    with pytest.raises(NotFound):
        exceptions.request_hire_exception(world["hr_other"], world["short"].id, {"reason": "急需"})
    assert db.session.scalar(select(HireException.id)) is None
