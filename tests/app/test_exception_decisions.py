"""Deciding a hire exception: both decisions ask first, a refusal needs a reason, and school HR sees the outcome."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from registry.errors import Invalid
from registry.extensions import db
from registry.models import HireException
from registry.services import exceptions

REASON_MISSING = "不批准时请填写理由：学校人事会看到这条理由，据此补充材料或另行安排。"


@pytest.fixture
def world(make):
    own, other = make.school(name="甲校"), make.school(name="乙校")
    short = make.teacher(own, name="经历不足", hire_date=date(2024, 3, 1))
    make.employment(short, "2022-09-01", "2023-08-31")
    elsewhere = make.teacher(other, name="外校不足", hire_date=date(2024, 3, 1))
    return {
        "short": short, "elsewhere": elsewhere,
        "hr": make.user("school_hr", school=own), "hr_other": make.user("school_hr", school=other),
        "bureau": make.user("bureau"),
    }


@pytest.fixture
def waiting(world) -> HireException:
    return exceptions.request_hire_exception(world["hr"], world["short"].id, {"reason": "急需数控专业教师"})


def reloaded(exception: HireException) -> HireException:
    db.session.expire_all()
    return db.session.get(HireException, exception.id)


@pytest.mark.parametrize("note", [None, "", "   "])
def test_a_refusal_without_a_reason_is_refused_on_the_note_and_changes_nothing(world, waiting, note):
    data = {} if note is None else {"note": note}
    with pytest.raises(Invalid) as refused:
        exceptions.decide_hire_exception(world["bureau"], waiting.id, "refuse", data)
    assert refused.value.errors == {"note": REASON_MISSING}
    assert reloaded(waiting).status == "requested"


def test_an_approval_needs_no_note(world, waiting):
    assert exceptions.decide_hire_exception(world["bureau"], waiting.id, "approve", {}).status == "approved"


def test_both_decisions_on_the_page_ask_for_confirmation_naming_the_teacher(world, waiting, login):
    page = login(world["bureau"]).get("/bureau/exceptions").get_data(as_text=True)
    assert 'data-confirm="确定批准 经历不足 的招聘例外申请吗？' in page
    assert 'data-confirm="确定不批准 经历不足 的招聘例外申请吗？' in page


def test_a_refusal_without_a_reason_on_the_page_is_a_form_error_keeping_nothing_decided(world, waiting, login):
    response = login(world["bureau"]).post(f"/bureau/exceptions/{waiting.id}/refuse", data={"note": " "})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert REASON_MISSING in page and "is-invalid" in page and f'id="note-{waiting.id}-error"' in page
    assert reloaded(waiting).status == "requested"


def test_a_refusal_with_a_reason_on_the_page_is_recorded(world, waiting, login):
    response = login(world["bureau"]).post(f"/bureau/exceptions/{waiting.id}/refuse", data={"note": "缺少企业经历证明"},
                                           follow_redirects=True)
    assert "已不批准 经历不足 的招聘例外申请" in response.get_data(as_text=True)
    assert (reloaded(waiting).status, reloaded(waiting).note) == ("refused", "缺少企业经历证明")


def test_hr_sees_the_decision_and_its_reason_on_the_teachers_page(world, waiting, login):
    exceptions.decide_hire_exception(world["bureau"], waiting.id, "refuse", {"note": "缺少企业经历证明"})
    page = login(world["hr"]).get(f"/teachers/{world['short'].id}").get_data(as_text=True)
    assert "缺少企业经历证明" in page and "不批准" in page and "审批意见或不批准理由" in page


def test_hr_sees_recent_decisions_of_their_own_school_on_the_home_page(world, make, login):
    make.hire_exception(world["short"], status="refused", note="缺少企业经历证明",
                        decided_at=datetime(2026, 11, 20, tzinfo=UTC))
    make.hire_exception(world["elsewhere"], status="approved", note="同意", decided_at=datetime(2026, 11, 21, tzinfo=UTC))
    page = login(world["hr"]).get("/").get_data(as_text=True)
    assert "最近的例外申请结果" in page
    assert "经历不足" in page and "理由：缺少企业经历证明" in page
    assert "外校不足" not in page


def test_the_home_page_lists_at_most_five_decisions_newest_first(world, make):
    for day in range(1, 8):
        make.hire_exception(world["short"], status="approved", note=f"第{day}次",
                            decided_at=datetime(2026, 11, day, tzinfo=UTC))
    shown = exceptions.recent_decisions(world["hr"])
    assert [x.note for x in shown] == ["第7次", "第6次", "第5次", "第4次", "第3次"]


def test_the_bureau_home_page_has_no_list_of_results(world, make, login):
    make.hire_exception(world["short"], status="refused", note="缺少证明", decided_at=datetime(2026, 11, 20, tzinfo=UTC))
    assert exceptions.recent_decisions(world["bureau"]) == []
    assert "最近的例外申请结果" not in login(world["bureau"]).get("/").get_data(as_text=True)
