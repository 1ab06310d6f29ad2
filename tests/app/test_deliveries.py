"""Deliveries: e-mails queued for the people who want them, sent once through a real SMTP server, robot posts in
WeCom's and DingTalk's formats to a real HTTP server, failures kept and retried, and the admin's view of them."""
from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import logging
import re
import smtplib
import socket
import ssl
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from registry.errors import Conflict, Forbidden, NotFound
from registry.extensions import db
from registry.models import AuditEvent, Delivery, Notification, RobotWebhook, utcnow
from registry.notify import mail, messages
from registry.notify.messages import Message, Section, build
from registry.notify.render import render_email, render_robot
from registry.notify.robots import check_webhook_url
from registry.notify.unsubscribe import unsubscribe_token, user_for_unsubscribe_token
from registry.rules.vocabulary import Channel, DeliveryStatus, NotificationKind, RobotKind
from registry.services import deliveries
from registry.services.notifications import record_notification
from tests.app.mail_servers import REFUSAL, Answer
from tests.app.test_notification_messages import PAYLOADS

AS_OF = date(2026, 11, 28)
ADDRESS = "li.hong@school.example.cn"
LEAD = "截至 2026-11-28，本周期还需要 4 个月企业实践，周期在 2027-02-28 结束。"


def deadline_message(payload, as_of) -> Message:
    return Message(
        subject=f"企业实践周期还剩 {payload['remaining']} 个月",
        lead=LEAD,
        sections=(Section("可以安排的时间", ("2027 年寒假", "2027 年暑假"), more=2),),
        action="查看我的企业实践",
    )


@pytest.fixture(autouse=True)
def wording(monkeypatch):
    """The words of a cycle reminder, fixed here so these tests depend only on the layout and the sending."""
    monkeypatch.setitem(messages.BUILDERS, NotificationKind.CYCLE_DEADLINE, deadline_message)


@pytest.fixture
def mail_configured(app, monkeypatch):
    """A MAIL_SERVER that is never reached (for tests that only queue)."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.cn")


@pytest.fixture
def teacher(make):
    account = make.user("teacher", teacher=make.teacher(), display_name="李红")
    account.email = ADDRESS
    db.session.commit()
    return account


def remind(user, key: str = "cycle:1:3") -> Notification:
    notification = record_notification(user, NotificationKind.CYCLE_DEADLINE, key, AS_OF, {"remaining": 3},
                                       "/practice/mine")
    db.session.commit()
    return notification


def email_of(notification: Notification) -> Delivery | None:
    return db.session.scalar(select(Delivery).where(Delivery.notification_id == notification.id))


def robot_of(make, url: str, kind: RobotKind, secret: str | None = None) -> RobotWebhook:
    robot = RobotWebhook(school=make.school(name="丹东市第一职业中专"), kind=kind, url=url, secret=secret)
    db.session.add(robot)
    db.session.commit()
    return robot


def digest() -> Message:
    return Message("甲校人事每周摘要（2026-11-28）", "截至 2026-11-28，3 条记录等待审核超过 7 天。",
                   (Section("等待审核", ("王明 · 曙光集团 · 12 天", "张丽 · 华晨汽车 · 9 天")),), "去审核", "/")


def queued_robot_post(make, url: str, kind: RobotKind, secret: str | None = None) -> Delivery:
    robot = robot_of(make, url, kind, secret)
    delivery = deliveries.queue_robot(robot, f"robot:{robot.id}:hr_digest:2026-W48", digest())
    db.session.commit()
    return delivery


def reload(delivery: Delivery) -> Delivery:
    return db.session.get(Delivery, delivery.id, populate_existing=True)


# ------------------------------------------------------------------ queueing e-mail


@pytest.mark.parametrize(
    "address, wants, active, mail_server, queued",
    [
        (ADDRESS, True, True, "smtp.example.cn", True),
        (None, True, True, "smtp.example.cn", False),
        (ADDRESS, False, True, "smtp.example.cn", False),
        (ADDRESS, True, False, "smtp.example.cn", False),
        (ADDRESS, True, True, "", False),
    ],
)
def test_an_email_is_queued_only_for_an_active_account_with_an_address_that_wants_it_while_mail_is_configured(
    app, monkeypatch, teacher, address, wants, active, mail_server, queued
):
    monkeypatch.setitem(app.config, "MAIL_SERVER", mail_server)
    teacher.email, teacher.email_reminders, teacher.active = address, wants, active
    db.session.commit()

    notification = remind(teacher)

    assert (email_of(notification) is not None) is queued
    assert deliveries.would_email(teacher) is queued


def test_the_queued_email_is_in_chinese_with_a_greeting_the_lists_and_absolute_links(mail_configured, teacher):
    delivery = email_of(remind(teacher))

    assert delivery.channel == Channel.EMAIL and delivery.status == DeliveryStatus.PENDING
    assert delivery.key == f"email:{delivery.notification_id}"
    assert delivery.subject == "企业实践周期还剩 3 个月"
    token = unsubscribe_token(teacher)
    for body in (delivery.text_body, delivery.html_body):
        assert "李红，您好" in body
        assert LEAD in body
        assert "2027 年暑假" in body and "另有 2 项" in body
        assert "查看我的企业实践" in body
        assert "http://registry.test/practice/mine" in body
        assert "更改提醒方式" in body and "http://registry.test/account#reminders" in body
        assert f"http://registry.test/notifications/unsubscribe/{token}" in body
    links = re.findall(r'href="([^"]*)"', delivery.html_body)
    assert len(links) == 3 and all(link.startswith("http://registry.test/") for link in links)
    assert not any(tag in delivery.html_body for tag in ("<img", "<style", "<link", "<script"))


def test_the_greeting_falls_back_to_the_login_without_a_display_name(mail_configured, teacher):
    teacher.display_name = ""
    db.session.commit()

    assert f"{teacher.login}，您好" in email_of(remind(teacher)).text_body


def test_an_email_is_queued_once_however_often_it_is_asked(mail_configured, teacher):
    notification = remind(teacher)

    assert deliveries.queue_email(notification) is None
    assert db.session.scalar(select(func.count()).select_from(Delivery)) == 1


# ------------------------------------------------------------------ sending e-mail through a real SMTP server


def test_an_email_is_delivered_once_through_the_smtp_server(smtp_server, teacher):
    delivery = email_of(remind(teacher))

    report = deliveries.deliver_pending()

    assert report.sent == [delivery.id] and report.failed == [] and report.errors == {}
    [received] = smtp_server.received
    assert received.rcpt_tos == [ADDRESS]
    message = received.message
    assert message["To"] == ADDRESS
    assert message["Subject"] == "企业实践周期还剩 3 个月"
    assert LEAD in message.get_body(("plain",)).get_content()
    assert 'href="http://registry.test/practice/mine"' in message.get_body(("html",)).get_content()
    unsubscribe = f"http://registry.test/notifications/unsubscribe/{unsubscribe_token(teacher)}"
    assert str(message["List-Unsubscribe"]).strip() == f"<{unsubscribe}>"  # the line may be folded
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.SENT and delivery.sent_at is not None and delivery.attempts == 1

    assert deliveries.deliver_pending() == deliveries.DeliveryReport()
    assert len(smtp_server.received) == 1


def test_a_mail_server_that_is_down_fails_the_first_email_and_leaves_the_others_while_robots_still_get_theirs(
    smtp_server, robot_server, make, teacher
):
    first, second = email_of(remind(teacher, "a")), email_of(remind(teacher, "b"))
    post = queued_robot_post(make, robot_server.url(RobotKind.WECOM), RobotKind.WECOM)
    third = email_of(remind(teacher, "c"))
    smtp_server.stop()

    report = deliveries.deliver_pending()

    assert report.failed == [first.id] and report.skipped == [second.id, third.id] and report.sent == [post.id]
    failed = reload(first)
    assert failed.status == DeliveryStatus.FAILED and failed.attempts == 1
    assert failed.last_error == f"无法连接邮件服务器 127.0.0.1:{smtp_server.port}（连接被拒绝）"
    assert report.errors == {first.id: failed.last_error}
    for untouched in (reload(second), reload(third)):
        assert untouched.status == DeliveryStatus.PENDING and untouched.attempts == 0
        assert untouched.last_attempt_at is None and untouched.last_error is None
    assert len(robot_server.posts) == 1

    smtp_server.start()
    again = deliveries.deliver_pending()

    assert again.sent == [first.id, second.id, third.id] and again.skipped == [] and again.failed == []
    assert len(smtp_server.received) == 3


@pytest.mark.parametrize(
    "error, unreachable",
    [
        (ConnectionRefusedError(111, "Connection refused"), True),
        (ssl.SSLError(1, "wrong version number"), True),
        (TimeoutError("timed out"), True),
        (socket.gaierror(-2, "Name or service not known"), True),
        (smtplib.SMTPConnectError(421, b"Service not available"), True),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), True),
        (smtplib.SMTPRecipientsRefused({ADDRESS: (550, b"No such user")}), False),
        (smtplib.SMTPAuthenticationError(535, b"Authentication failed"), False),
        (smtplib.SMTPDataError(554, b"Message rejected"), False),
        (smtplib.SMTPNotSupportedError("AUTH not supported"), False),
    ],
)
def test_only_a_server_that_cannot_be_reached_or_hangs_up_counts_as_unreachable(error, unreachable):
    assert mail.unreachable(error) is unreachable


def test_a_refused_login_is_tried_once_a_run_not_once_per_email(smtp_server, app, monkeypatch, teacher):
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "registry")
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "s3cret-pass")  # the test server offers no AUTH: refused
    first, second = (email_of(remind(teacher, key)).id for key in ("a", "b"))

    report = deliveries.deliver_pending()

    assert report.failed == [first] and report.skipped == [second]
    assert reload(db.session.get(Delivery, second)).attempts == 0


def test_an_email_the_server_refuses_does_not_hold_back_the_others(smtp_server, monkeypatch, teacher):
    queued = [email_of(remind(teacher, key)).id for key in ("a", "b")]
    refused = smtplib.SMTPRecipientsRefused({ADDRESS: (550, b"No such user")})
    sends = iter([refused, None])

    def send_or_refuse(self, *args, **kwargs):
        if (outcome := next(sends)) is not None:
            raise outcome
        return original(self, *args, **kwargs)

    original = smtplib.SMTP.sendmail
    monkeypatch.setattr(smtplib.SMTP, "sendmail", send_or_refuse)

    report = deliveries.deliver_pending()

    assert report.failed == queued[:1] and report.sent == queued[1:] and report.skipped == []


def test_a_connection_the_server_closed_while_idle_is_opened_again_not_taken_for_a_server_down(smtp_server, teacher, monkeypatch):
    queued = [email_of(remind(teacher, key)).id for key in ("a", "b")]
    noops = []

    def closed_by_the_server(self):
        noops.append(1)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(smtplib.SMTP, "noop", closed_by_the_server)

    report = deliveries.deliver_pending()

    assert report.sent == queued and report.failed == [] and report.skipped == [] and noops == [1]
    assert len(smtp_server.messages) == 2


def test_the_emails_of_a_run_share_one_smtp_connection(smtp_server, monkeypatch, teacher):
    connects = []
    connect = smtplib.SMTP.connect

    def counted(self, *args, **kwargs):
        connects.append(args)
        return connect(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "connect", counted)
    queued = [email_of(remind(teacher, f"key-{n}")).id for n in range(3)]

    assert deliveries.deliver_pending().sent == queued
    assert len(smtp_server.received) == 3 and len(connects) == 1


def test_when_the_mail_server_is_back_the_next_run_sends_the_failed_email_once(smtp_server, teacher):
    delivery = email_of(remind(teacher))
    smtp_server.stop()
    deliveries.deliver_pending()
    smtp_server.start()

    report = deliveries.deliver_pending()

    assert report.sent == [delivery.id]
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2 and delivery.last_error is None
    assert deliveries.deliver_pending().sent == []
    assert len(smtp_server.received) == 1


def test_the_address_is_read_when_sending_so_a_corrected_one_is_used_by_the_retry(smtp_server, teacher):
    delivery = email_of(remind(teacher))
    smtp_server.stop()
    deliveries.deliver_pending()
    teacher.email = "li.hong@new.example.cn"
    db.session.commit()
    smtp_server.start()

    deliveries.deliver_pending()

    assert [received.rcpt_tos for received in smtp_server.received] == [["li.hong@new.example.cn"]]
    assert reload(delivery).status == DeliveryStatus.SENT


@pytest.mark.parametrize(
    "change, reason",
    [({"email": None}, "账号已没有电子邮件地址"), ({"email_reminders": False}, "账号已关闭邮件提醒"),
     ({"active": False}, "账号已停用")],
)
def test_an_email_nobody_wants_any_more_is_cancelled_not_sent(smtp_server, teacher, change, reason):
    delivery = email_of(remind(teacher))
    for name, value in change.items():
        setattr(teacher, name, value)
    db.session.commit()

    report = deliveries.deliver_pending()

    assert report.cancelled == [delivery.id] and report.sent == []
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.CANCELLED and delivery.last_error == reason
    assert smtp_server.received == []


def test_emails_wait_while_no_mail_server_is_configured(smtp_server, app, monkeypatch, teacher):
    delivery = email_of(remind(teacher))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")

    assert deliveries.deliver_pending() == deliveries.DeliveryReport()
    assert reload(delivery).status == DeliveryStatus.PENDING and reload(delivery).attempts == 0


@pytest.mark.parametrize("minutes_ago, sent_again", [(11, True), (5, False)])
def test_a_delivery_left_sending_by_a_run_that_died_is_sent_again_after_ten_minutes(
    smtp_server, teacher, minutes_ago, sent_again
):
    delivery = email_of(remind(teacher))
    db.session.execute(update(Delivery).where(Delivery.id == delivery.id).values(
        status=DeliveryStatus.SENDING, attempts=1, last_attempt_at=utcnow() - timedelta(minutes=minutes_ago)))
    db.session.commit()

    report = deliveries.deliver_pending()

    assert (report.sent == [delivery.id]) is sent_again
    assert len(smtp_server.received) == (1 if sent_again else 0)
    assert reload(delivery).status == (DeliveryStatus.SENT if sent_again else DeliveryStatus.SENDING)


def test_a_delivery_another_run_has_claimed_is_not_claimed_again(mail_configured, teacher):
    delivery = email_of(remind(teacher))

    assert deliveries.claim(delivery.id) is True
    assert deliveries.claim(delivery.id) is False
    assert reload(delivery).attempts == 1


def test_every_pending_delivery_is_sent_when_they_fill_several_pages(smtp_server, monkeypatch, teacher):
    monkeypatch.setattr(deliveries, "PAGE", 2)
    queued = [email_of(remind(teacher, f"key-{n}")).id for n in range(5)]

    assert deliveries.deliver_pending().sent == queued
    assert len(smtp_server.received) == 5


def test_a_failure_is_logged_with_the_delivery_id_and_no_address(smtp_server, teacher, caplog):
    delivery = email_of(remind(teacher))
    smtp_server.stop()

    with caplog.at_level(logging.WARNING):
        deliveries.deliver_pending()

    assert f"delivery {delivery.id}" in caplog.text
    assert ADDRESS not in caplog.text


def test_a_failure_never_shows_the_smtp_password(smtp_server, app, monkeypatch, teacher):
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "registry")
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "s3cret-pass")  # the test server offers no AUTH: refused
    delivery = email_of(remind(teacher))

    report = deliveries.deliver_pending()

    assert report.failed == [delivery.id]
    assert "s3cret-pass" not in reload(delivery).last_error
    assert reload(delivery).last_error.startswith(f"邮件服务器 127.0.0.1:{smtp_server.port}")


# ------------------------------------------------------------------ robots


def test_a_wecom_post_is_markdown_content_to_its_webhook(robot_server, make):
    delivery = queued_robot_post(make, robot_server.url(RobotKind.WECOM, "wecom-key"), RobotKind.WECOM)

    assert deliveries.deliver_pending().sent == [delivery.id]

    [post] = robot_server.posts
    assert post.path == "/cgi-bin/webhook/send" and post.query == {"key": "wecom-key"}
    assert post.json == {"msgtype": "markdown", "markdown": {"content": reload(delivery).text_body}}
    content = post.json["markdown"]["content"]
    assert content.startswith("### 甲校人事每周摘要（2026-11-28）")
    assert "- 王明 · 曙光集团 · 12 天" in content and "[去审核](http://registry.test/)" in content
    assert reload(delivery).status == DeliveryStatus.SENT


def test_a_signed_dingtalk_post_carries_a_valid_signature(robot_server, make):
    secret = "SECb6f3a1e4c2d9"
    delivery = queued_robot_post(make, robot_server.url(RobotKind.DINGTALK, "ding-token"), RobotKind.DINGTALK, secret)

    assert deliveries.deliver_pending().sent == [delivery.id]

    [post] = robot_server.posts
    assert post.path == "/robot/send" and post.query["access_token"] == "ding-token"
    assert post.json == {"msgtype": "markdown",
                         "markdown": {"title": "甲校人事每周摘要（2026-11-28）", "text": reload(delivery).text_body}}
    timestamp = post.query["timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    assert base64.b64decode(post.query["sign"]) == expected


def test_a_dingtalk_post_without_a_secret_is_not_signed(robot_server, make):
    queued_robot_post(make, robot_server.url(RobotKind.DINGTALK), RobotKind.DINGTALK)

    deliveries.deliver_pending()

    assert set(robot_server.posts[0].query) == {"access_token"}


@pytest.mark.parametrize(
    "answer, error",
    [(Answer.REFUSED, f"机器人拒绝了消息：{REFUSAL['errmsg']}（errcode {REFUSAL['errcode']}）"),
     (Answer.HTTP_500, "机器人地址 127.0.0.1 应答 HTTP 500"),
     ("down", "无法连接机器人地址 127.0.0.1")],
)
def test_a_robot_that_refuses_fails_or_is_down_fails_the_post_with_the_reason(robot_server, make, answer, error):
    delivery = queued_robot_post(make, robot_server.url(RobotKind.WECOM, "wecom-key"), RobotKind.WECOM)
    if answer == "down":
        robot_server.stop()
    robot_server.answer = answer

    report = deliveries.deliver_pending()

    assert report.failed == [delivery.id]
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    assert delivery.last_error == error and "wecom-key" not in delivery.last_error


def test_a_failed_robot_post_is_sent_by_the_next_run_once_the_robot_takes_it(robot_server, make):
    delivery = queued_robot_post(make, robot_server.url(RobotKind.WECOM), RobotKind.WECOM)
    robot_server.answer = Answer.HTTP_500
    deliveries.deliver_pending()
    robot_server.answer = Answer.OK

    assert deliveries.deliver_pending().sent == [delivery.id]
    assert deliveries.deliver_pending().sent == []
    assert len(robot_server.posts) == 2 and reload(delivery).attempts == 2


def test_a_webhook_no_longer_allowed_is_not_posted_to(robot_server, app, monkeypatch, make):
    delivery = queued_robot_post(make, robot_server.url(RobotKind.WECOM), RobotKind.WECOM)
    monkeypatch.setitem(app.config, "ROBOT_WEBHOOK_HOSTS", ["qyapi.weixin.qq.com"])

    assert deliveries.deliver_pending().failed == [delivery.id]
    assert robot_server.posts == []


def test_a_robot_post_is_queued_once_per_key(make):
    robot = robot_of(make, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", RobotKind.WECOM)

    assert deliveries.queue_robot(robot, "robot:x:hr_digest:2026-W48", digest()) is not None
    assert deliveries.queue_robot(robot, "robot:x:hr_digest:2026-W48", digest()) is None


def test_the_posts_of_a_removed_robot_go_with_it(make):
    delivery = queued_robot_post(make, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", RobotKind.WECOM)

    db.session.delete(delivery.robot)
    db.session.commit()

    assert db.session.scalar(select(func.count()).select_from(Delivery)) == 0


def test_a_long_digest_is_shortened_for_wecom_by_whole_entries_and_counted(ctx):
    items = tuple(f"第 {n} 位教师 · 丹东市职业技术学校 · 本周期已无法完成" for n in range(300))
    message = Message("摘要", "截至 2026-11-28。", (Section("无法完成", items, more=5),), "去处理", "/")

    post = render_robot(message, RobotKind.WECOM)

    assert len(post.markdown.encode("utf-8")) <= 4096
    shown = [line for line in post.markdown.splitlines() if line.startswith("- 第 ")]
    assert 0 < len(shown) < 300 and shown[-1] == f"- {items[len(shown) - 1]}"
    assert f"- 另有 {300 - len(shown) + 5} 项" in post.markdown
    assert render_robot(message, RobotKind.DINGTALK).markdown.count("- 第 ") > len(shown)


# ------------------------------------------------------------------ typed text is shown, never markup

PHISHING = "[点此重新登录](https://evil.example)"
MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\([^)]*\)")


def typed_by_users() -> dict:
    """An HR digest's figures whose names were typed by people: an enterprise, a school and teachers' names with
    markdown and HTML in them."""
    payload = copy.deepcopy(PAYLOADS[NotificationKind.HR_DIGEST])
    payload["school"] = "甲校**置顶**<font color=\"warning\">"
    payload["reviews"]["items"][0].update(teacher="王_立新_", enterprise=PHISHING)
    payload["infeasible"]["items"][0]["teacher"] = "![logo](https://evil.example/x.png)"
    payload["behind"]["items"][0]["teacher"] = "# 张宏伟 `code` ~~del~~ | a | \\"
    return payload


@pytest.mark.parametrize("kind", list(RobotKind))
def test_markdown_typed_into_names_reaches_a_work_group_as_plain_text(ctx, kind):
    message = build(NotificationKind.HR_DIGEST, typed_by_users(), AS_OF, "/")

    markdown = render_robot(message, kind).markdown

    assert MARKDOWN_LINK.findall(markdown) == [f"[{message.action}](http://registry.test/)"]
    assert "［点此重新登录］（https：//evil．example）" in markdown
    assert "！［logo］（https：//evil．example/x．png）" in markdown
    assert "evil.example" not in markdown
    assert "甲校＊＊置顶＊＊＜font color=\"warning\"＞" in markdown and "王＿立新＿" in markdown
    assert "＃ 张宏伟 ｀code｀ ～～del～～ ｜ a ｜ ＼" in markdown
    body = markdown.replace(f"[{message.action}](http://registry.test/)", "")
    assert not set("[]()<>`\\|!~_") & set(body)
    assert body.count("**") == 2 * len(message.sections)  # the headings' own, nothing typed
    assert [line for line in markdown.splitlines() if line.startswith("#")] == [markdown.splitlines()[0]]


def test_the_email_html_escapes_html_typed_into_names(mail_configured, teacher):
    teacher.display_name = "<script>alert(1)</script>"
    db.session.commit()
    payload = typed_by_users()
    payload["reviews"]["items"][0]["enterprise"] = "<script>steal()</script><a href=\"https://evil.example\">登录</a>"

    email = render_email(build(NotificationKind.HR_DIGEST, payload, AS_OF, "/"), teacher)

    assert "<script" not in email.html and "evil.example" not in re.findall(r'href="([^"]*)"', email.html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;，您好" in email.html
    assert "&lt;script&gt;steal()&lt;/script&gt;&lt;a href=&#34;https://evil.example&#34;&gt;" in email.html
    assert "<script>alert(1)</script>，您好" in email.text  # the plain-text part shows it as typed


# ------------------------------------------------------------------ webhook addresses


@pytest.mark.parametrize(
    "kind, url",
    [
        (RobotKind.WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"),
        (RobotKind.DINGTALK, "https://oapi.dingtalk.com/robot/send?access_token=4f1d7c0e9b"),
        (RobotKind.WECOM, "http://127.0.0.1:8080/cgi-bin/webhook/send?key=test"),
        (RobotKind.DINGTALK, "http://localhost:8080/robot/send?access_token=test"),
    ],
)
def test_a_robot_webhook_address_is_accepted(app, monkeypatch, ctx, kind, url):
    monkeypatch.setitem(app.config, "ROBOT_WEBHOOK_HOSTS", ["qyapi.weixin.qq.com", "oapi.dingtalk.com", "127.0.0.1",
                                                             "localhost"])

    assert check_webhook_url(kind, url) is None


@pytest.mark.parametrize(
    "kind, url, message",
    [
        (RobotKind.WECOM, "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "必须使用 https://"),
        (RobotKind.WECOM, "https://evil.example.com/cgi-bin/webhook/send?key=k", "只能填写企业微信或钉钉群机器人的地址"),
        (RobotKind.WECOM, "https://10.0.0.5/cgi-bin/webhook/send?key=k", "只能填写企业微信或钉钉群机器人的地址"),
        (RobotKind.WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "缺少 key=…"),
        (RobotKind.WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=", "缺少 key=…"),
        (RobotKind.DINGTALK, "https://oapi.dingtalk.com/robot/send?token=x", "缺少 access_token=…"),
        (RobotKind.WECOM, "https://qyapi.weixin.qq.com/cgi-bin/other?key=k", "不是企业微信群机器人的 Webhook 地址"),
        (RobotKind.WECOM, "https://oapi.dingtalk.com/robot/send?access_token=x", "不是企业微信群机器人的"),
        (RobotKind.WECOM, "javascript:alert(1)", "必须以 https:// 开头"),
        (RobotKind.WECOM, "ftp://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "必须以 https:// 开头"),
        (RobotKind.WECOM, "https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "不能带用户名或密码"),
        (RobotKind.WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + "k" * 500, "太长"),
        (RobotKind.WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a b", "不能有空格"),
        (RobotKind.WECOM, "", "请填写"),
    ],
)
def test_a_bad_robot_webhook_address_is_refused_with_a_reason(ctx, kind, url, message):
    assert message in check_webhook_url(kind, url)


# ------------------------------------------------------------------ the unsubscribe token


def test_an_unsubscribe_token_names_its_account_and_nothing_else(make, teacher):
    token = unsubscribe_token(teacher)

    assert user_for_unsubscribe_token(token) == teacher
    assert user_for_unsubscribe_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) is None
    assert user_for_unsubscribe_token("not-a-token") is None
    assert user_for_unsubscribe_token(unsubscribe_token(make.user("teacher", teacher=make.teacher()))) != teacher


def test_an_unsubscribe_token_of_a_removed_account_names_nobody(make):
    account = make.user("bureau")
    token = unsubscribe_token(account)
    db.session.delete(account)
    db.session.commit()

    assert user_for_unsubscribe_token(token) is None


# ------------------------------------------------------------------ what a run would try


def set_state(delivery: Delivery, status: DeliveryStatus, minutes_ago: int | None = None) -> None:
    attempted = utcnow() - timedelta(minutes=minutes_ago) if minutes_ago is not None else None
    db.session.execute(update(Delivery).where(Delivery.id == delivery.id).values(
        status=status, last_attempt_at=attempted, sent_at=attempted if status == DeliveryStatus.SENT else None))
    db.session.commit()


@pytest.fixture
def one_of_each(mail_configured, make, teacher) -> dict[str, Delivery]:
    """An e-mail in each state, and one pending robot post (to a robot that is never reached)."""
    states = {
        "pending": (DeliveryStatus.PENDING, None), "failed": (DeliveryStatus.FAILED, 30),
        "stale": (DeliveryStatus.SENDING, 11), "sending": (DeliveryStatus.SENDING, 5),
        "sent": (DeliveryStatus.SENT, 60), "cancelled": (DeliveryStatus.CANCELLED, 60),
    }
    queued = {}
    for name, (status, minutes_ago) in states.items():
        queued[name] = email_of(remind(teacher, name))
        set_state(queued[name], status, minutes_ago)
    queued["robot"] = queued_robot_post(make, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", RobotKind.WECOM)
    return queued


def test_the_waiting_counts_are_what_a_run_would_try_by_status(one_of_each):
    assert deliveries.waiting_counts() == {DeliveryStatus.PENDING: 2, DeliveryStatus.FAILED: 1,
                                           DeliveryStatus.SENDING: 1}


def test_emails_are_not_waiting_while_no_mail_server_is_configured(app, monkeypatch, one_of_each):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")

    assert deliveries.waiting_counts() == {DeliveryStatus.PENDING: 1, DeliveryStatus.FAILED: 0,
                                           DeliveryStatus.SENDING: 0}


def test_a_run_tries_exactly_the_deliveries_counted_as_waiting(one_of_each, smtp_server, robot_server):
    robot = one_of_each["robot"].robot
    robot.url = robot_server.url(RobotKind.WECOM)
    db.session.commit()
    waiting = sum(deliveries.waiting_counts().values())

    report = deliveries.deliver_pending()

    tried = [*report.sent, *report.failed, *report.cancelled]
    assert len(tried) == waiting == 4 and report.failed == [] and report.skipped == []
    assert set(tried) == {one_of_each[name].id for name in ("pending", "failed", "stale", "robot")}


# ------------------------------------------------------------------ the admin's view and retry


def failed_email(smtp_server, teacher, key: str = "cycle:1:3") -> Delivery:
    """A new e-mail tried (alone) while the mail server is down."""
    delivery = email_of(remind(teacher, key))
    smtp_server.stop()
    with mail.Outbox() as outbox:
        deliveries.deliver(delivery.id, deliveries.DeliveryReport(), outbox)
    smtp_server.start()
    return reload(delivery)


def test_the_admin_sees_counts_per_status_and_the_failed_deliveries_newest_first(smtp_server, make, teacher):
    older, newer = failed_email(smtp_server, teacher, "a"), failed_email(smtp_server, teacher, "b")
    email_of(remind(teacher, "c"))

    overview = deliveries.delivery_overview(make.user("admin"))

    assert overview.counts == {DeliveryStatus.PENDING: 1, DeliveryStatus.SENDING: 0, DeliveryStatus.SENT: 0,
                               DeliveryStatus.FAILED: 2, DeliveryStatus.CANCELLED: 0}
    assert overview.failed == 2 and overview.problem_count == 2
    assert [problem.id for problem in overview.problems] == [newer.id, older.id]
    problem = overview.problems[0]
    assert problem.recipient == teacher.login and problem.attempts == 1
    assert problem.last_error.startswith("无法连接邮件服务器")


def test_a_robot_delivery_names_its_school_and_robot_for_the_admin(robot_server, make):
    queued_robot_post(make, robot_server.url(RobotKind.WECOM), RobotKind.WECOM)
    robot_server.answer = Answer.REFUSED
    deliveries.deliver_pending()

    [problem] = deliveries.delivery_overview(make.user("admin")).problems

    assert problem.recipient == "丹东市第一职业中专 · 企业微信群机器人"


@pytest.mark.parametrize("role", ["school_hr", "bureau", "teacher"])
def test_only_the_admin_sees_or_retries_deliveries(make, role):
    school = make.school()
    account = make.user(role, school=school if role == "school_hr" else None,
                        teacher=make.teacher(school) if role == "teacher" else None)

    with pytest.raises(Forbidden):
        deliveries.delivery_overview(account)
    with pytest.raises(Forbidden):
        deliveries.retry_delivery(account, 1)


def test_the_admin_puts_a_failed_delivery_back_to_pending_and_it_is_audited(smtp_server, make, teacher):
    delivery = failed_email(smtp_server, teacher)
    admin = make.user("admin")

    deliveries.retry_delivery(admin, delivery.id)
    db.session.commit()

    assert reload(delivery).status == DeliveryStatus.PENDING
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "delivery"))
    assert event.actor_id == admin.id and event.entity_id == delivery.id
    assert event.changes["after"] == {"status": "pending"} and event.changes["before"] == {"status": "failed"}
    assert deliveries.deliver_pending().sent == [delivery.id]


def test_a_cancelled_delivery_may_be_retried_too(smtp_server, make, teacher):
    delivery = email_of(remind(teacher))
    teacher.email_reminders = False
    db.session.commit()
    deliveries.deliver_pending()
    teacher.email_reminders = True
    db.session.commit()

    deliveries.retry_delivery(make.user("admin"), delivery.id)
    db.session.commit()

    assert deliveries.deliver_pending().sent == [delivery.id]


def test_a_sent_or_unknown_delivery_cannot_be_retried(smtp_server, make, teacher):
    delivery = email_of(remind(teacher))
    deliveries.deliver_pending()
    admin = make.user("admin")

    with pytest.raises(Conflict):
        deliveries.retry_delivery(admin, delivery.id)
    with pytest.raises(NotFound):
        deliveries.retry_delivery(admin, delivery.id + 1000)


def test_a_robot_down_for_weeks_gets_only_the_latest_digest_when_it_is_back(robot_server, make):
    old = queued_robot_post(make, robot_server.url(RobotKind.WECOM), RobotKind.WECOM)
    newer = deliveries.queue_robot(old.robot, f"robot:{old.robot_id}:hr_digest:2026-W49", digest())
    db.session.commit()

    report = deliveries.deliver_pending()

    assert report.sent == [newer.id] and report.cancelled == [old.id]
    assert reload(old).last_error == "已有更新的一期摘要" and len(robot_server.posts) == 1


def test_a_digest_e_mail_waiting_behind_a_newer_one_of_the_same_kind_is_not_sent(smtp_server, make):
    bureau = make.user("bureau", login="chen")
    bureau.email = "chen@example.edu.cn"
    db.session.commit()
    older, newer = (record_notification(bureau, NotificationKind.BUREAU_DIGEST, f"bureau_digest:{period}", AS_OF,
                                        PAYLOADS[NotificationKind.BUREAU_DIGEST], "/") for period in ("2026-10", "2026-11"))
    reminder = record_notification(bureau, NotificationKind.CYCLE_DEADLINE, "cycle:9:3", AS_OF, {"remaining": 3}, "/")
    db.session.commit()

    report = deliveries.deliver_pending()

    assert report.cancelled == [email_of(older).id]
    assert sorted(report.sent) == sorted([email_of(newer).id, email_of(reminder).id])
