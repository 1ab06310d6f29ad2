"""Practice review that holds: nothing is submitted or verified before it ends, verification needs evidence unless
the administrator switches that off, bulk verification is confirmed first, overlaps are shown and count once."""
from datetime import date

import pytest
from sqlalchemy import select

from registry.errors import Conflict, Forbidden, Invalid
from registry.extensions import db
from registry.models import AuditEvent, PracticeRecord, Teacher
from registry.services import compliance, settings
from registry.services import practice as service
from registry.services.users import SESSION_ACTIONS
from tests.app.inputs import PDF, post_files, upload

# Frozen today (tests/conftest.py): 2026-11-28. A record ending then has ended only once the day is over.
ENDED = {"enterprise": "曙光集团", "start": "2026-07-01", "end": "2026-08-31", "form": "shadowing"}
RUNNING = {**ENDED, "end": "2027-01-31"}
NOT_YET = "该实践到 2027-01-31 才结束，自 2027-02-01 起才能提交审核；在此之前请保存为计划。"
NO_EVIDENCE = "该记录还没有证明材料，不能审核通过；请退回并请教师上传证明材料。"


@pytest.fixture(autouse=True)
def today(frozen_today):
    return frozen_today


def reload(record) -> PracticeRecord:
    db.session.expire_all()
    return db.session.get(PracticeRecord, record.id)


def create(two_schools, data, status="planned", files=()):
    return service.create_practice(two_schools["teacher"], two_schools["teacher_record"].id, {**data, "status": status},
                                   list(files))


# ------------------------------------------------------------ not before the end


def test_a_record_ending_after_today_is_saved_as_planned_but_not_submitted(two_schools):
    record = create(two_schools, RUNNING)
    assert record.status == "planned"
    with pytest.raises(Invalid) as refused:
        create(two_schools, RUNNING, status="submitted")
    assert refused.value.errors == {"end": NOT_YET}
    with pytest.raises(Conflict, match="自 2027-02-01 起才能提交审核"):
        service.submit_practice(two_schools["teacher"], record.id)
    with pytest.raises(Invalid):
        service.update_practice(two_schools["teacher"], record.id, {"status": "submitted"})
    assert reload(record).status == "planned"


def test_a_record_ending_today_waits_until_tomorrow(two_schools, today):
    record = create(two_schools, {**ENDED, "end": today.isoformat()})
    with pytest.raises(Conflict, match="自 2026-11-29 起"):
        service.submit_practice(two_schools["teacher"], record.id)


def test_a_record_still_running_without_an_end_date_stays_planned_until_one_is_given(two_schools, make):
    record = create(two_schools, {**ENDED, "end": ""})
    with pytest.raises(Invalid) as refused:
        create(two_schools, {**ENDED, "end": ""}, status="submitted")
    assert "还没有结束日期" in refused.value.errors["end"]
    with pytest.raises(Conflict, match="还没有结束日期"):
        service.submit_practice(two_schools["teacher"], record.id)
    submitted = make.practice(two_schools["teacher_record"], "2026-07-01", None, status="submitted", evidence=True)
    with pytest.raises(Conflict, match="还没有结束日期"):
        service.review_practice(two_schools["hr"], submitted.id, "verify")
    service.update_practice(two_schools["teacher"], record.id, {"end": "2026-08-31", "status": "submitted"})
    assert reload(record).status == "submitted"


def test_a_record_waiting_for_review_cannot_be_given_an_end_after_today(two_schools):
    record = create(two_schools, ENDED, status="submitted", files=[upload(PDF)])
    with pytest.raises(Invalid) as refused:
        service.update_practice(two_schools["teacher"], record.id, {"end": "2027-01-31"})
    assert refused.value.errors == {"end": NOT_YET}
    assert reload(record).end == date(2026, 8, 31)


def test_a_record_that_has_ended_is_submitted_and_verified(two_schools):
    record = create(two_schools, ENDED, status="submitted", files=[upload(PDF)])
    service.review_practice(two_schools["hr"], record.id, "verify")
    assert reload(record).status == "verified"


def test_a_submitted_record_not_yet_ended_cannot_be_verified(two_schools, make):
    """Submitted before this rule existed (or imported): it still waits for its end."""
    record = make.practice(two_schools["teacher_record"], "2026-10-01", "2027-03-31", status="submitted", evidence=True)
    with pytest.raises(Conflict, match="该实践到 2027-03-31 才结束，自 2027-04-01 起才能审核通过。"):
        service.review_practice(two_schools["hr"], record.id, "verify")
    assert reload(record).status == "submitted"


def test_the_teachers_page_says_from_when_a_running_record_can_be_submitted(two_schools, login):
    record = create(two_schools, RUNNING)
    page = login(two_schools["teacher"]).get("/practice/").get_data(as_text=True)
    assert "实践结束后，自 2027-02-01 起可提交审核" in page
    assert f"/practice/{record.id}/submit" not in page


def test_saving_and_submitting_a_running_record_on_the_page_shows_the_message_on_the_end_field(two_schools, login):
    response = login(two_schools["teacher"]).post("/practice/", data={**RUNNING, "submit_review": "1"})
    assert response.status_code == 400
    assert NOT_YET in response.get_data(as_text=True)
    assert db.session.scalar(select(PracticeRecord.id)) is None


def test_the_api_refuses_to_submit_a_running_record_on_end_and_to_verify_it_with_409(two_schools, make, client):
    teacher, hr = make.token(two_schools["teacher"]), make.token(two_schools["hr"])
    url = f"/api/v1/teachers/{two_schools['teacher_record'].id}/practice"
    refused = client.post(url, json={**RUNNING, "status": "submitted"}, headers=teacher)
    assert refused.status_code == 400 and refused.get_json()["errors"] == {"end": NOT_YET}
    early = make.practice(two_schools["teacher_record"], "2026-10-01", "2027-03-31", status="submitted", evidence=True)
    answer = client.post(f"/api/v1/practice/{early.id}/verify", headers=hr)
    assert answer.status_code == 409 and "自 2027-04-01 起才能审核通过" in answer.get_json()["error"]


@pytest.mark.parametrize("end", ["9999-08-31", "2200-01-01"])
def test_an_end_beyond_the_registrys_dates_is_refused_on_its_field_in_form_and_api(two_schools, make, login, client, end):
    page = login(two_schools["teacher"]).post("/practice/", data={**ENDED, "end": end, "save": "1"})
    assert page.status_code == 400 and "日期须在 1900-01-01 至 2199-12-31 之间" in page.get_data(as_text=True)
    answer = client.post(f"/api/v1/teachers/{two_schools['teacher_record'].id}/practice", json={**ENDED, "end": end},
                         headers=make.token(two_schools["teacher"]))
    assert answer.status_code == 400 and set(answer.get_json()["errors"]) == {"end"}
    assert db.session.scalar(select(PracticeRecord.id)) is None


# ------------------------------------------------------------ evidence


def test_verification_without_evidence_is_refused_by_default(two_schools, make):
    record = make.practice(two_schools["teacher_record"], "2026-07-01", "2026-08-31", status="submitted")
    with pytest.raises(Conflict, match=NO_EVIDENCE):
        service.review_practice(two_schools["hr"], record.id, "verify")
    assert reload(record).status == "submitted"


def test_the_review_queue_offers_no_verify_button_for_a_record_without_evidence(two_schools, make, login):
    bare = make.practice(two_schools["teacher_record"], "2026-07-01", "2026-08-31", status="submitted")
    proven = make.practice(two_schools["teacher_record"], "2026-09-01", "2026-09-30", status="submitted", evidence=True)
    page = login(two_schools["hr"]).get("/practice/review").get_data(as_text=True)
    assert f"/practice/{bare.id}/verify" not in page and f'data-not-verifiable="{bare.id}"' in page
    assert f"/practice/{proven.id}/verify" in page


def test_the_admin_switches_the_evidence_rule_off_in_the_browser_audited_and_verification_follows(two_schools, make,
                                                                                                  login):
    record = make.practice(two_schools["teacher_record"], "2026-07-01", "2026-08-31", status="submitted")
    admin = login(two_schools["admin"])
    assert 'data-evidence-required="yes"' in admin.get("/policies/").get_data(as_text=True)
    response = admin.post("/practice/settings/evidence", data={"required": "0"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "不再要求证明材料" in page and 'data-evidence-required="no"' in page
    assert settings.enabled(settings.Switch.VERIFICATION_REQUIRES_EVIDENCE) is False
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "registry_setting", AuditEvent.action.not_in(SESSION_ACTIONS))
    ).one()
    assert event.actor_id == two_schools["admin"].id
    assert (event.changes["before"]["enabled"], event.changes["after"]["enabled"]) == (True, False)

    service.review_practice(two_schools["hr"], record.id, "verify")
    assert reload(record).status == "verified"

    admin.post("/practice/settings/evidence", data={"required": "1"})
    assert settings.enabled(settings.Switch.VERIFICATION_REQUIRES_EVIDENCE) is True


@pytest.mark.parametrize("who", ["hr", "bureau", "teacher"])
def test_only_the_admin_sets_the_evidence_rule(two_schools, who):
    with pytest.raises(Forbidden):
        settings.set_switch(two_schools[who], settings.Switch.VERIFICATION_REQUIRES_EVIDENCE, False)
    assert settings.enabled(settings.Switch.VERIFICATION_REQUIRES_EVIDENCE) is True


def test_the_policies_page_shows_the_switch_to_the_bureau_without_the_button(two_schools, login):
    page = login(two_schools["bureau"]).get("/policies/").get_data(as_text=True)
    assert 'data-evidence-required="yes"' in page and "/practice/settings/evidence" not in page


# ------------------------------------------------------------ bulk verification


def test_bulk_verification_lists_what_it_will_verify_and_what_it_skips_and_changes_nothing_yet(two_schools, make,
                                                                                               login):
    ready = make.practice(two_schools["teacher_record"], "2026-07-01", "2026-08-31", status="submitted", evidence=True)
    bare = make.practice(two_schools["colleague_record"], "2026-07-01", "2026-08-31", status="submitted")
    running = make.practice(two_schools["colleague_record"], "2026-10-01", "2027-03-31", status="submitted",
                            evidence=True)
    page = login(two_schools["hr"]).post("/practice/verify", data={"ids": [str(ready.id), str(bare.id), str(running.id)]})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'data-ready="{ready.id}"' in text and "本人" in text and "2026-07-01 – 2026-08-31" in text
    assert "2 个月" in text and "确认审核通过这 1 条记录" in text
    assert f'data-skipped="{bare.id}"' in text and NO_EVIDENCE in text
    assert f'data-skipped="{running.id}"' in text and "自 2027-04-01 起才能审核通过" in text
    assert [reload(r).status for r in (ready, bare, running)] == ["submitted"] * 3


def test_confirming_verifies_exactly_the_listed_records(two_schools, make, login):
    listed = [make.practice(two_schools["teacher_record"], f"202{y}-07-01", f"202{y}-08-31", status="submitted",
                            evidence=True) for y in (4, 5)]
    not_listed = make.practice(two_schools["colleague_record"], "2026-07-01", "2026-08-31", status="submitted",
                               evidence=True)
    confirmation = {"confirm": "1", "ids": [str(r.id) for r in listed],
                    **{f"seen-{r.id}": service.fingerprint(r) for r in listed}}
    response = login(two_schools["hr"]).post("/practice/verify", data=confirmation, follow_redirects=True)
    assert "已批量审核通过 2 条记录" in response.get_data(as_text=True)
    assert [reload(r).status for r in (*listed, not_listed)] == ["verified", "verified", "submitted"]


def test_a_record_changed_after_it_was_listed_is_reported_and_nothing_is_verified(two_schools, make, login):
    kept = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted", evidence=True)
    edited = make.practice(two_schools["colleague_record"], "2025-07-01", "2025-08-31", status="submitted", evidence=True)
    confirmation = {"confirm": "1", "ids": [str(kept.id), str(edited.id)],
                    **{f"seen-{r.id}": service.fingerprint(r) for r in (kept, edited)}}
    # The teacher corrects the record while HR looks at the list: it stays submitted, but is no longer what HR saw.
    service.update_practice(two_schools["colleague"], edited.id, {"end": "2025-08-15"})
    response = login(two_schools["hr"]).post("/practice/verify", data=confirmation, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "本次未做任何更改" in text and "同事 · 五一八公司（2025-07-01 至 2025-08-15）" in text
    assert [reload(r).status for r in (kept, edited)] == ["submitted", "submitted"]


def test_bulk_verification_without_a_confirmed_list_still_refuses_a_record_without_evidence(two_schools, make):
    proven = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted", evidence=True)
    bare = make.practice(two_schools["colleague_record"], "2024-07-01", "2024-08-31", status="submitted")
    with pytest.raises(Conflict, match="同事 · 五一八公司"):
        service.bulk_verify(two_schools["hr"], [proven.id, bare.id])
    assert [reload(r).status for r in (proven, bare)] == ["submitted", "submitted"]


# ------------------------------------------------------------ overlaps


@pytest.fixture
def overlapping(two_schools, make):
    """Two records of 本人 sharing August 2024 (one verified, one waiting) and one apart."""
    return (
        make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="verified", enterprise="曙光集团"),
        make.practice(two_schools["teacher_record"], "2024-08-01", "2024-09-30", status="submitted", evidence=True,
                      enterprise="五一八公司"),
        make.practice(two_schools["teacher_record"], "2025-07-01", "2025-07-31", status="submitted", evidence=True),
    )


def test_overlapping_records_are_marked_on_the_teachers_practice_page(two_schools, overlapping, login):
    _first, second, apart = overlapping
    mine = login(two_schools["teacher"]).get("/practice/").get_data(as_text=True)
    assert mine.count("与其他记录时间重叠") == 2
    assert f'data-overlaps="{second.id}"' in mine and "曙光集团（2024-07-01 – 2024-08-31）" in mine
    assert f'data-overlaps="{apart.id}"' not in mine


def test_overlapping_records_are_marked_in_the_review_queue_and_on_the_teacher_page(two_schools, overlapping, login):
    first, second, _apart = overlapping
    client = login(two_schools["hr"])
    queue = client.get("/practice/review").get_data(as_text=True)
    assert f'data-overlaps="{second.id}"' in queue and f'data-overlaps="{first.id}"' not in queue  # first is not queued
    teacher_page = client.get(f"/teachers/{two_schools['teacher_record'].id}").get_data(as_text=True)
    assert f'data-overlaps="{first.id}"' in teacher_page and f'data-overlaps="{second.id}"' in teacher_page


def test_overlapping_verified_records_count_their_shared_days_once(two_schools, make):
    teacher = two_schools["teacher_record"]
    make.practice(teacher, "2024-07-01", "2024-08-31", status="verified")
    make.practice(teacher, "2024-08-01", "2024-09-30", status="verified")
    db.session.expire_all()
    result = compliance.evaluate_teacher(db.session.get(Teacher, teacher.id), date(2024, 12, 31)).practice
    assert result.months == 3  # 2024-07-01 .. 2024-09-30, not 2 + 2


def test_a_rejected_record_is_not_marked_as_overlapping(two_schools, make, login):
    make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="rejected")
    make.practice(two_schools["teacher_record"], "2024-08-01", "2024-09-30", status="submitted")
    assert "与其他记录时间重叠" not in login(two_schools["teacher"]).get("/practice/").get_data(as_text=True)


def test_evidence_uploaded_through_the_page_lets_the_record_be_verified(two_schools, make, login):
    record = make.practice(two_schools["teacher_record"], "2026-07-01", "2026-08-31", status="submitted")
    post_files(login(two_schools["teacher"]), f"/practice/{record.id}/evidence", [(PDF, "证明.pdf")])
    assert reload(record).evidence
    service.review_practice(two_schools["hr"], record.id, "verify")
    assert reload(record).status == "verified"
