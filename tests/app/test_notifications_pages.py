"""Notifications in the browser: the bell on every page, one's own list, opening and marking read, the
administrator's deliveries page and the one-click unsubscribe link of e-mails."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import AuditEvent, Delivery, Notification, RobotWebhook, User
from registry.notify.unsubscribe import unsubscribe_token
from registry.rules.vocabulary import Channel, DeliveryStatus, NotificationKind
from registry.services.notifications import record_notification, unread_count

AS_OF = date(2026, 11, 28)


def notify(user: User, key: str, enterprise: str = "五一八公司", link: str = "/practice/#practice-1",
           as_of: date = AS_OF) -> Notification:
    """A rejected-record notification for `user` (its builder needs only this payload)."""
    payload = {"record_id": 1, "teacher_id": user.teacher_id or 1, "enterprise": enterprise, "start": "2026-01-10",
               "end": "2026-02-20", "reason": "缺少企业盖章的证明"}
    notification = record_notification(user, NotificationKind.PRACTICE_REJECTED, key, as_of, payload, link)
    db.session.commit()
    return notification


@pytest.fixture
def teacher(make):
    return make.user("teacher", teacher=make.teacher(name="张宏伟"), login="zhang")


def bell(body: str) -> str:
    """The bell link of a page."""
    return re.search(r'<a[^>]*id="notification-bell".*?</a>', body, re.S).group(0)


# --- the bell ------------------------------------------------------------------------------------------------------


def test_the_bell_is_on_every_page_of_a_signed_in_user_without_a_badge_when_all_is_read(client, login, teacher):
    login(teacher)
    for path in ("/", "/account", "/practice/"):
        link = bell(client.get(path).get_data(as_text=True))
        assert 'href="/notifications/"' in link and "通知" in link
        assert "badge" not in link and "条未读" not in link and 'data-unread="0"' in link


def test_the_bell_counts_unread_notifications_with_words_for_screen_readers(client, login, teacher):
    notify(teacher, "a")
    notify(teacher, "b")
    login(teacher)
    link = bell(client.get("/").get_data(as_text=True))
    assert 'data-unread="2"' in link
    assert re.search(r'<span class="badge[^"]*" aria-hidden="true">2</span>', link)
    assert '<span class="visually-hidden">2 条未读</span>' in link


def test_a_notification_whose_figures_cannot_be_read_is_listed_by_its_kind_and_the_list_still_shows(client, login, teacher):
    broken = Notification(user=teacher, kind=NotificationKind.HR_DIGEST, key="hr_digest:old", as_of=date(2026, 10, 5),
                          payload={"from": "an older registry"}, link="/")
    db.session.add(broken)
    notify(teacher, "new", enterprise="五一八公司")
    db.session.commit()
    response = login(teacher).get("/notifications/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "五一八公司" in body
    assert "学校人事每周摘要" in body and "2026年10月5日 的通知" in body


@pytest.mark.parametrize(("language", "period"), [("zh_CN", "2026年1月10日—2026年2月20日"),
                                                ("en", "January 10, 2026 – February 20, 2026")])
def test_a_notification_writes_its_dates_the_way_the_readers_language_does(client, login, teacher, language, period):
    teacher.language = language
    notify(teacher, "a")
    assert period in login(teacher).get("/notifications/").get_data(as_text=True)


def test_a_visitor_sees_no_bell(client):
    assert "notification-bell" not in client.get("/login").get_data(as_text=True)


# --- the list ------------------------------------------------------------------------------------------------------


def test_the_list_shows_ones_own_notifications_newest_first_with_the_unread_ones_marked_in_words(make, client, login, teacher):
    notify(teacher, "old", enterprise="克隆集团", as_of=date(2026, 10, 1))
    newest = notify(teacher, "new", enterprise="五一八公司")
    notify(make.user("teacher", teacher=make.teacher(name="李晓燕")), "theirs", enterprise="别人的企业")
    newest.read_at = newest.created_at
    db.session.commit()
    login(teacher)
    body = client.get("/notifications/").get_data(as_text=True)
    assert body.index("五一八公司") < body.index("克隆集团") and "别人的企业" not in body
    assert "企业实践记录被退回" in body and "缺少企业盖章的证明" in body and "2026-10-01" in body
    items = re.findall(r'data-notification="\d+" data-unread="(true|false)"', body)
    assert items == ["false", "true"]
    assert body.count(">未读</span>") == 1


def test_the_list_says_so_when_there_are_none_and_offers_no_mark_all_button(client, login, teacher):
    login(teacher)
    body = client.get("/notifications/").get_data(as_text=True)
    assert 'id="no-notifications"' in body and "还没有通知" in body and "全部标为已读" not in body


def test_the_list_is_paginated_with_the_shared_pager(app, client, login, teacher, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    for n in range(5):
        notify(teacher, f"k{n}", enterprise=f"企业{n}")
    login(teacher)
    first = client.get("/notifications/").get_data(as_text=True)
    third = client.get("/notifications/?page=3").get_data(as_text=True)
    assert "企业4" in first and "企业3" in first and "企业2" not in first
    assert "企业0" in third and "企业1" not in third
    assert 'aria-label="分页"' in first and 'href="/notifications/?page=3"' in first


def test_the_list_needs_a_signed_in_user(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["school_hr", "bureau", "admin"])
def test_every_role_has_its_own_list(make, client, login, role):
    user = make.user(role, school=make.school() if role == "school_hr" else None)
    notify(user, "digest", enterprise="给员工的通知")
    login(user)
    assert "给员工的通知" in client.get("/notifications/").get_data(as_text=True)


# --- opening and marking read ------------------------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, login, teacher):
    notification = notify(teacher, "a", link="/practice/#practice-7")
    login(teacher)
    response = client.post(f"/notifications/{notification.id}/open")
    assert response.status_code == 302 and response.headers["Location"] == "/practice/#practice-7"
    assert db.session.get(Notification, notification.id).read_at is not None
    assert unread_count(teacher) == 0


def test_opening_is_a_post_a_get_changes_nothing(client, login, teacher):
    notification = notify(teacher, "a")
    login(teacher)
    assert client.get(f"/notifications/{notification.id}/open").status_code == 405
    assert db.session.get(Notification, notification.id).read_at is None


@pytest.mark.parametrize("link", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_a_notification_never_leads_off_the_site(client, login, teacher, link):
    notification = notify(teacher, "a", link=link)
    login(teacher)
    assert client.post(f"/notifications/{notification.id}/open").headers["Location"] == "/"


def test_another_persons_notification_is_not_found_and_stays_unread(make, client, login, teacher):
    theirs = notify(make.user("teacher", teacher=make.teacher()), "theirs")
    login(teacher)
    assert client.post(f"/notifications/{theirs.id}/open").status_code == 404
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    assert client.post("/notifications/999999/open").status_code == 404
    assert db.session.get(Notification, theirs.id).read_at is None


def test_one_notification_can_be_marked_read_without_opening_it(client, login, teacher):
    first, second = notify(teacher, "a"), notify(teacher, "b")
    login(teacher)
    response = client.post(f"/notifications/{first.id}/read?page=1")
    assert response.headers["Location"] == "/notifications/?page=1"
    assert db.session.get(Notification, first.id).read_at is not None
    assert db.session.get(Notification, second.id).read_at is None


def test_marking_all_read_clears_ones_own_bell_only(make, client, login, teacher):
    notify(teacher, "a")
    notify(teacher, "b")
    other = make.user("teacher", teacher=make.teacher())
    notify(other, "c")
    login(teacher)
    page = client.post("/notifications/read-all", follow_redirects=True).get_data(as_text=True)
    assert "已将 2 条通知标为已读" in page and 'data-unread="0"' in bell(page)
    assert unread_count(teacher) == 0 and unread_count(other) == 1
    assert "没有未读的通知" in client.post("/notifications/read-all", follow_redirects=True).get_data(as_text=True)


def test_marking_read_needs_the_form_token_when_csrf_is_on(app, client, login, teacher, monkeypatch):
    notify(teacher, "a")
    login(teacher)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post("/notifications/read-all").status_code == 400
    assert unread_count(teacher) == 1


# --- the administrator's deliveries page --------------------------------------------------------------------------


@pytest.fixture
def admin(make):
    return make.user("admin", login="root")


def failed_robot_post(school, error: str = "HTTP 500") -> Delivery:
    robot = RobotWebhook(school=school, kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdef123456")
    delivery = Delivery(key=f"robot:{school.id}:hr_digest:2026-W48", channel=Channel.ROBOT, robot=robot, subject="每周摘要",
                        text_body="…", status=DeliveryStatus.FAILED, attempts=2, last_error=error)
    db.session.add_all([robot, delivery])
    db.session.commit()
    return delivery


def test_the_deliveries_page_counts_each_status_and_lists_the_failed_ones_with_their_error(make, client, login, admin):
    school = make.school(name="甲校")
    delivery = failed_robot_post(school, error="机器人回答 HTTP 500")
    login(admin)
    body = client.get("/notifications/deliveries").get_data(as_text=True)
    assert 'data-status="failed">1<' in body and 'data-status="sent">0<' in body
    row = re.search(rf'<tr data-delivery="{delivery.id}">.*?</tr>', body, re.S).group(0)
    assert "甲校" in row and "每周摘要" in row and "机器人回答 HTTP 500" in row and ">2<" in row and "放回发送队列" in row
    assert "abcdef123456" not in body


def test_the_administrator_sends_a_failed_delivery_again(make, client, login, admin):
    delivery = failed_robot_post(make.school())
    login(admin)
    page = client.post(f"/notifications/deliveries/{delivery.id}/retry", follow_redirects=True).get_data(as_text=True)
    assert "已放回发送队列" in page
    assert db.session.get(Delivery, delivery.id).status == DeliveryStatus.PENDING
    again = client.post(f"/notifications/deliveries/{delivery.id}/retry", follow_redirects=True).get_data(as_text=True)
    assert "只有发送失败或已取消的通知可以重新发送" in again


@pytest.mark.parametrize("role", ["teacher", "school_hr", "bureau"])
def test_only_the_administrator_sees_the_deliveries(make, client, login, role):
    delivery = failed_robot_post(make.school())
    user = make.user(role, teacher=make.teacher() if role == "teacher" else None,
                     school=make.school() if role == "school_hr" else None)
    login(user)
    assert client.get("/notifications/deliveries").status_code == 403
    assert client.post(f"/notifications/deliveries/{delivery.id}/retry").status_code == 403
    assert db.session.get(Delivery, delivery.id).status == DeliveryStatus.FAILED


def test_the_admin_home_says_how_many_deliveries_failed_and_links_to_them(make, client, login, admin):
    login(admin)
    quiet = client.get("/").get_data(as_text=True)
    assert 'data-home="failed-deliveries"' not in quiet
    assert 'href="/notifications/deliveries"' in quiet and 'href="/notifications/robot"' in quiet
    failed_robot_post(make.school())
    body = client.get("/").get_data(as_text=True)
    line = re.search(r'<p[^>]*data-home="failed-deliveries".*?</p>', body, re.S).group(0)
    assert '<a class="alert-link" href="/notifications/deliveries">1 条通知发送失败</a>' in line


# --- unsubscribing from an e-mail ------------------------------------------------------------------------------


@pytest.fixture
def subscriber(make):
    user = make.user("teacher", teacher=make.teacher(), login="liu")
    user.email = "liu.fang@example.com"
    db.session.commit()
    return user


def test_the_unsubscribe_link_asks_first_naming_only_the_login(client, subscriber):
    response = client.get(f"/notifications/unsubscribe/{unsubscribe_token(subscriber)}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "账号 liu 发送提醒" in body and 'id="confirm-unsubscribe"' in body
    assert "liu.fang@example.com" not in body
    assert db.session.get(User, subscriber.id).email_reminders is True


def test_the_link_of_someone_who_already_unsubscribed_says_so_instead_of_asking_again(client, subscriber):
    client.post(f"/notifications/unsubscribe/{unsubscribe_token(subscriber)}")
    body = client.get(f"/notifications/unsubscribe/{unsubscribe_token(subscriber)}").get_data(as_text=True)
    assert "账号 liu 已不再通过电子邮件接收提醒" in body and 'id="confirm-unsubscribe"' not in body


def test_confirming_stops_reminder_e_mails_and_records_it_as_the_persons_own_change(client, subscriber):
    body = client.post(f"/notifications/unsubscribe/{unsubscribe_token(subscriber)}").get_data(as_text=True)
    assert "账号 liu 已不再通过电子邮件接收提醒" in body
    assert db.session.get(User, subscriber.id).email_reminders is False
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == subscriber.id)
                               .order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.actor_id) == ("update", subscriber.id)
    assert event.changes == {"before": {"email_reminders": True}, "after": {"email_reminders": False}}


def test_a_mail_clients_one_click_post_needs_no_form_token(app, client, subscriber, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post(f"/notifications/unsubscribe/{unsubscribe_token(subscriber)}",
                           data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert db.session.get(User, subscriber.id).email_reminders is False


@pytest.mark.parametrize("token", ["nonsense", "eyJhIjoxfQ.forged"])
def test_a_token_that_is_not_ours_is_not_found(client, subscriber, token):
    assert client.get(f"/notifications/unsubscribe/{token}").status_code == 404
    assert client.post(f"/notifications/unsubscribe/{token}").status_code == 404
    assert db.session.get(User, subscriber.id).email_reminders is True
