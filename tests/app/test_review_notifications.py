"""A teacher hears of HR's review: verifying or rejecting a practice record records a notification for the
teacher's account in the same transaction (registry.services.notifications.notify_practice_reviewed)."""
from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import func, select

from registry.errors import Conflict
from registry.extensions import db
from registry.models import Delivery, Notification
from registry.rules.vocabulary import DeliveryStatus, NotificationKind
from registry.services import practice as service
from registry.services.notifications import unread_count


def submitted(make, two_schools, **fields):
    return make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted", evidence=True,
                         enterprise="曙光集团", **fields)


def notifications_of(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)))


def test_verifying_a_record_tells_the_teacher_with_the_records_figures(make, two_schools, frozen_today):
    record = submitted(make, two_schools)
    service.review_practice(two_schools["hr"], record.id, "verify")
    [notification] = notifications_of(two_schools["teacher"])
    assert notification.kind == NotificationKind.PRACTICE_VERIFIED
    assert notification.key == f"practice_review:{record.id}:{record.reviewed_at.isoformat()}"
    assert notification.as_of == frozen_today
    assert notification.payload == {"record_id": record.id, "teacher_id": record.teacher_id, "enterprise": "曙光集团",
                                    "start": "2024-07-01", "end": "2024-08-31"}
    assert notification.link == f"/practice/#practice-{record.id}"


def test_rejecting_a_record_tells_the_teacher_the_reason(make, two_schools):
    record = submitted(make, two_schools)
    service.review_practice(two_schools["hr"], record.id, "reject", {"reason": "缺少企业盖章的证明"})
    [notification] = notifications_of(two_schools["teacher"])
    assert notification.kind == NotificationKind.PRACTICE_REJECTED
    assert notification.payload["reason"] == "缺少企业盖章的证明"


def test_a_record_rejected_corrected_and_verified_gets_two_notifications(make, two_schools, time_machine):
    time_machine.move_to("2026-11-27 09:00 +08:00", tick=False)
    record = submitted(make, two_schools)
    service.review_practice(two_schools["hr"], record.id, "reject", {"reason": "日期有误"})
    service.submit_practice(two_schools["teacher"], record.id)
    time_machine.move_to("2026-11-28 09:00 +08:00", tick=False)
    service.review_practice(two_schools["hr"], record.id, "verify")
    kinds = [(n.kind, n.as_of.isoformat()) for n in notifications_of(two_schools["teacher"])]
    assert kinds == [(NotificationKind.PRACTICE_REJECTED, "2026-11-27"), (NotificationKind.PRACTICE_VERIFIED, "2026-11-28")]


def test_reopening_a_verified_record_tells_nobody(make, two_schools):
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="verified")
    service.review_practice(two_schools["hr"], record.id, "reopen", {"reason": "月数有误"})
    assert notifications_of(two_schools["teacher"]) == []


def test_bulk_verification_tells_the_teacher_of_each_record(make, two_schools):
    records = [make.practice(two_schools["teacher_record"], f"202{y}-07-01", f"202{y}-08-31", status="submitted",
                             evidence=True) for y in (2, 3)]
    assert service.bulk_verify(two_schools["hr"], [r.id for r in records]) == 2
    payloads = [n.payload["record_id"] for n in notifications_of(two_schools["teacher"])]
    assert sorted(payloads) == sorted(r.id for r in records)


def test_only_active_teacher_accounts_of_the_records_teacher_are_told(make, two_schools):
    two_schools["teacher"].active = False
    db.session.commit()
    record = submitted(make, two_schools)
    service.review_practice(two_schools["hr"], record.id, "verify")
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_a_teacher_without_an_account_is_reviewed_without_a_notification(make, two_schools):
    record = make.practice(two_schools["outsider_record"], "2024-07-01", "2024-08-31", status="submitted", evidence=True)
    service.review_practice(two_schools["hr_other"], record.id, "verify")
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_a_refused_review_records_no_notification(make, two_schools):
    record = make.practice(two_schools["teacher_record"], "2024-07-01", "2024-08-31", status="submitted")  # no evidence
    with pytest.raises(Conflict):
        service.review_practice(two_schools["hr"], record.id, "verify")
    assert notifications_of(two_schools["teacher"]) == []


def test_the_review_queues_the_teachers_e_mail_but_sends_nothing(app, make, two_schools, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    two_schools["teacher"].email = "benren@example.com"
    db.session.commit()
    record = submitted(make, two_schools)
    service.review_practice(two_schools["hr"], record.id, "verify")
    [delivery] = db.session.scalars(select(Delivery)).all()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0 and delivery.sent_at is None
    assert "曙光集团" in delivery.subject


def test_the_link_is_the_record_on_the_teachers_own_practice_page(make, two_schools):
    record = submitted(make, two_schools)
    service.review_practice(two_schools["hr"], record.id, "verify")
    [notification] = db.session.scalars(select(Notification)).all()
    assert notification.link == f"{url_for('practice.mine')}#practice-{record.id}"


def test_hr_rejecting_on_the_page_lights_the_teachers_bell(make, two_schools, app, login):
    record = submitted(make, two_schools)
    response = login(two_schools["hr"]).post(f"/practice/{record.id}/reject", data={"reason": "请补充证明"})
    assert response.status_code == 302
    assert unread_count(two_schools["teacher"]) == 1
    teacher_page = app.test_client()
    teacher_page.post("/login", data={"login": two_schools["teacher"].login, "password": make.PASSWORD})
    body = teacher_page.get("/notifications/").get_data(as_text=True)
    assert "企业实践记录被退回" in body and "请补充证明" in body
