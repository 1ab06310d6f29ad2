"""The status flow of a practice record, who may take each step, and the audit trail it leaves."""
from datetime import date

import pytest
from sqlalchemy import select

from registry.errors import Conflict, Forbidden, Invalid, NotFound
from registry.extensions import db
from registry.models import AuditEvent, PracticeRecord
from registry.services import practice as service
from tests.app.inputs import PDF, upload

RECORD = {"enterprise": "曙光集团", "start": "2024-07-01", "end": "2024-08-31", "form": "shadowing", "description": "数控车间跟岗"}


def new_record(two_schools, status="planned", **fields) -> PracticeRecord:
    """A record the teacher creates with one evidence file (verification requires one)."""
    return service.create_practice(
        two_schools["teacher"], two_schools["teacher_record"].id, {**RECORD, "status": status, **fields}, [upload(PDF)]
    )


def actions(record) -> list[str]:
    return list(db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity == "practice_record", AuditEvent.entity_id == record.id)
        .order_by(AuditEvent.id)
    ))


def test_a_teacher_plans_submits_and_hr_verifies_with_every_step_audited(two_schools):
    record = new_record(two_schools)
    assert record.status == "planned" and record.submitted_at is None
    service.submit_practice(two_schools["teacher"], record.id)
    assert record.status == "submitted" and record.submitted_at is not None
    service.review_practice(two_schools["hr"], record.id, "verify")
    assert record.status == "verified"
    assert record.reviewed_by_id == two_schools["hr"].id and record.reviewed_at is not None
    assert actions(record) == ["create", "submit", "verify"]


def test_a_record_can_be_submitted_at_once(two_schools):
    record = new_record(two_schools, status="submitted")
    assert record.status == "submitted" and record.submitted_at is not None


def test_a_rejected_record_shows_its_reason_and_can_be_corrected_and_submitted_again(two_schools):
    record = new_record(two_schools, status="submitted")
    service.review_practice(two_schools["hr"], record.id, "reject", {"reason": "缺少企业盖章的证明"})
    assert record.status == "rejected" and record.reject_reason == "缺少企业盖章的证明"

    service.update_practice(two_schools["teacher"], record.id, {"end": "2024-08-30"})
    assert record.status == "rejected", "a correction alone does not resubmit"
    service.submit_practice(two_schools["teacher"], record.id)
    assert record.status == "submitted" and record.reject_reason is None and record.reviewed_at is None
    service.review_practice(two_schools["hr"], record.id, "verify")
    assert actions(record) == ["create", "reject", "update", "submit", "verify"]


def test_a_correction_can_resubmit_in_the_same_step(two_schools):
    record = new_record(two_schools, status="submitted")
    service.review_practice(two_schools["hr"], record.id, "reject", {"reason": "日期有误"})
    service.update_practice(two_schools["teacher"], record.id, {"start": "2024-07-02", "status": "submitted"})
    assert record.status == "submitted" and record.start == date(2024, 7, 2)
    assert actions(record)[-1] == "submit"


def test_a_submitted_record_can_be_withdrawn_to_planned(two_schools):
    record = new_record(two_schools, status="submitted")
    service.update_practice(two_schools["teacher"], record.id, {"status": "planned"})
    assert record.status == "planned" and record.submitted_at is None


def test_rejecting_needs_a_reason(two_schools):
    record = new_record(two_schools, status="submitted")
    with pytest.raises(Invalid) as caught:
        service.review_practice(two_schools["hr"], record.id, "reject", {"reason": "  "})
    assert "reason" in caught.value.errors
    assert db.session.get(PracticeRecord, record.id).status == "submitted"


def test_a_verified_record_is_locked_for_the_teacher(two_schools):
    record = new_record(two_schools, status="submitted")
    service.review_practice(two_schools["hr"], record.id, "verify")
    for step in (
        lambda: service.update_practice(two_schools["teacher"], record.id, {"enterprise": "别的公司"}),
        lambda: service.delete_practice(two_schools["teacher"], record.id),
        lambda: service.submit_practice(two_schools["teacher"], record.id),
    ):
        with pytest.raises(Conflict) as caught:
            step()
        assert "锁定" in caught.value.message or "人事" in caught.value.message
    assert db.session.get(PracticeRecord, record.id).enterprise == "曙光集团"


@pytest.mark.parametrize(
    "status, step",
    [
        ("planned", "verify"), ("planned", "reject"), ("verified", "verify"), ("rejected", "reject"),
        ("planned", "reopen"), ("submitted", "reopen"), ("rejected", "verify"),
    ],
)
def test_a_review_step_the_status_does_not_allow_is_a_conflict(two_schools, make, status, step):
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status=status)
    calls = {
        "verify": lambda: service.review_practice(two_schools["hr"], record.id, "verify"),
        "reject": lambda: service.review_practice(two_schools["hr"], record.id, "reject", {"reason": "不符"}),
        "reopen": lambda: service.review_practice(two_schools["hr"], record.id, "reopen", {"reason": "复核"}),
    }
    with pytest.raises(Conflict):
        calls[step]()
    assert db.session.get(PracticeRecord, record.id).status == status


def test_submitting_twice_is_a_conflict(two_schools):
    record = new_record(two_schools, status="submitted")
    with pytest.raises(Conflict):
        service.submit_practice(two_schools["teacher"], record.id)


def test_hr_reopens_a_verified_record_with_a_reason_that_is_audited(two_schools):
    record = new_record(two_schools, status="submitted")
    service.review_practice(two_schools["hr"], record.id, "verify")
    service.review_practice(two_schools["hr"], record.id, "reopen", {"reason": "企业证明日期与记录不符，需复核"})
    assert record.status == "submitted" and record.reviewed_at is None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reopen")).one()
    assert event.actor_id == two_schools["hr"].id and event.teacher_id == two_schools["teacher_record"].id
    assert event.changes["before"]["status"] == "verified"
    assert event.changes["after"]["status"] == "submitted"
    assert event.changes["after"]["reopen_reason"] == "企业证明日期与记录不符，需复核"


def test_reopening_needs_a_reason(two_schools):
    record = new_record(two_schools, status="submitted")
    service.review_practice(two_schools["hr"], record.id, "verify")
    with pytest.raises(Invalid):
        service.review_practice(two_schools["hr"], record.id, "reopen", {})
    assert record.status == "verified"


def test_deleting_a_record_is_audited_with_what_it_held(two_schools):
    record = new_record(two_schools)
    record_id = record.id
    service.delete_practice(two_schools["teacher"], record.id)
    assert db.session.get(PracticeRecord, record_id) is None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "delete")).one()
    assert event.entity_id == record_id and event.changes["before"]["enterprise"] == "曙光集团"


def test_bad_input_names_every_field_and_writes_nothing(two_schools):
    with pytest.raises(Invalid) as caught:
        service.create_practice(
            two_schools["teacher"], two_schools["teacher_record"].id,
            {"enterprise": "", "start": "2024-13-01", "form": "holiday", "status": "verified"},
        )
    assert set(caught.value.errors) >= {"enterprise", "start", "form", "status"}
    assert db.session.scalar(select(PracticeRecord.id)) is None
    assert db.session.scalar(select(AuditEvent.id)) is None


def test_an_end_before_the_start_is_refused(two_schools):
    with pytest.raises(Invalid) as caught:
        new_record(two_schools, start="2024-09-01", end="2024-08-01")
    assert "end" in caught.value.errors


def test_an_open_ended_record_is_allowed(two_schools):
    assert new_record(two_schools, end="").end is None


# ------------------------------------------------------------------ who may

@pytest.mark.parametrize("who, error", [("colleague", NotFound), ("hr", Forbidden), ("bureau", Forbidden), ("admin", Forbidden)])
def test_only_the_teacher_writes_their_own_practice(two_schools, who, error):
    with pytest.raises(error):
        service.create_practice(two_schools[who], two_schools["teacher_record"].id, {**RECORD})
    record = new_record(two_schools)
    with pytest.raises(error):
        service.update_practice(two_schools[who], record.id, {"enterprise": "别的公司"})
    with pytest.raises(error):
        service.submit_practice(two_schools[who], record.id)
    with pytest.raises(error):
        service.delete_practice(two_schools[who], record.id)
    assert db.session.get(PracticeRecord, record.id).status == "planned"


@pytest.mark.parametrize("who, error", [("hr_other", NotFound), ("teacher", Forbidden), ("bureau", Forbidden), ("admin", Forbidden)])
def test_only_hr_of_the_teachers_school_reviews(two_schools, make, who, error):
    submitted = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted")
    verified = make.practice(two_schools["teacher_record"], "2023-07-01", "2023-08-31", status="verified")
    with pytest.raises(error):
        service.review_practice(two_schools[who], submitted.id, "verify")
    with pytest.raises(error):
        service.review_practice(two_schools[who], submitted.id, "reject", {"reason": "不符"})
    with pytest.raises(error):
        service.review_practice(two_schools[who], verified.id, "reopen", {"reason": "复核"})
    assert db.session.get(PracticeRecord, submitted.id).status == "submitted"
    assert db.session.get(PracticeRecord, verified.id).status == "verified"


# -------------------------------------------------------------- bulk verify

def test_bulk_verify_verifies_every_selected_record(two_schools, make):
    first = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted", evidence=True)
    second = make.practice(two_schools["colleague_record"], "2024-07-01", "2024-08-31", status="submitted", evidence=True)
    untouched = make.practice(two_schools["colleague_record"], "2025-07-01", "2025-08-31", status="submitted")
    assert service.bulk_verify(two_schools["hr"], [first.id, second.id]) == 2
    assert [db.session.get(PracticeRecord, r.id).status for r in (first, second, untouched)] == ["verified", "verified", "submitted"]
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "verify", AuditEvent.entity_id == untouched.id)) is None
    assert len(list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "verify")))) == 2


def test_bulk_verify_changes_nothing_when_one_record_is_no_longer_waiting(two_schools, make):
    waiting = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted")
    planned = make.practice(two_schools["teacher_record"], "2025-07-01", "2025-08-31", status="planned")
    with pytest.raises(Conflict):
        service.bulk_verify(two_schools["hr"], [waiting.id, planned.id])
    assert db.session.get(PracticeRecord, waiting.id).status == "submitted"
    assert db.session.scalar(select(AuditEvent.id)) is None


def test_bulk_verify_cannot_reach_another_schools_records(two_schools, make):
    other_teacher = make.teacher(two_schools["hr_other"].school, name="外校")
    theirs = make.practice(other_teacher, "2024-07-01", "2024-08-31", status="submitted")
    mine = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted")
    with pytest.raises(NotFound):
        service.bulk_verify(two_schools["hr"], [mine.id, theirs.id])
    assert db.session.get(PracticeRecord, theirs.id).status == "submitted"
    assert db.session.get(PracticeRecord, mine.id).status == "submitted"


def test_bulk_verify_with_nothing_selected_says_so(two_schools):
    with pytest.raises(Invalid):
        service.bulk_verify(two_schools["hr"], [])


@pytest.mark.parametrize("who", ["teacher", "bureau"])
def test_bulk_verify_is_for_hr_only(two_schools, who):
    with pytest.raises(Forbidden):
        service.bulk_verify(two_schools[who], [1])


def test_the_review_queue_holds_only_the_own_schools_submitted_records_oldest_first(two_schools, make):
    from datetime import UTC, datetime

    later = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted")
    earlier = make.practice(two_schools["colleague_record"], "2025-07-01", "2025-08-31", status="submitted")
    later.submitted_at = datetime(2025, 3, 2, tzinfo=UTC)
    earlier.submitted_at = datetime(2025, 3, 1, tzinfo=UTC)
    make.practice(two_schools["teacher_record"], "2023-07-01", "2023-08-31", status="verified")
    other_teacher = make.teacher(two_schools["hr_other"].school, name="外校")
    make.practice(other_teacher, "2024-07-01", "2024-08-31", status="submitted")
    db.session.commit()
    queue = list(db.session.scalars(service.review_queue(two_schools["hr"])))
    assert [r.id for r in queue] == [earlier.id, later.id]
