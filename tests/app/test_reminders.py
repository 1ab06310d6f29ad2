"""`flask reminders send`: who is reminded of what on which date, once; digests for school HR and the bureau;
a dry run that writes nothing and says what a real run would send; delivery through a real SMTP server and a
robot webhook stand-in.

A real run works out the reminders of today only, so each run here moves the clock to the morning of its date
(`send`); only a dry run may look ahead.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy
from sqlalchemy import func, select

from registry.dates import TIMEZONE, today
from registry.extensions import db
from registry.models import Delivery, Notification, RobotWebhook, User
from registry.rules.vocabulary import Channel, DeliveryStatus, NotificationKind, RobotKind
from registry.services import notifications as notification_service
from registry.services.reminders import record, work_out


@pytest.fixture
def behind(make, frozen_today):
    """A teacher of 甲校 with an account: cycle 2022-09-01 .. 2027-08-31, 3 verified months, no rotation training."""
    make.policy_version()
    school = make.school(name="甲校")
    teacher = make.teacher(school, name="朴老师", hire_date=datetime(2022, 9, 1).date())
    make.practice(teacher, "2023-01-01", "2023-03-31")
    user = make.user("teacher", teacher=teacher, login="piao")
    return {"school": school, "teacher": teacher, "user": user}


def notifications(user: User | None = None) -> list[Notification]:
    query = select(Notification).order_by(Notification.id)
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    return list(db.session.scalars(query))


def keys(user: User) -> set[str]:
    return {n.key for n in notifications(user)}


def morning_of(time_machine, as_of: str) -> None:
    """Move the clock to 07:00 in Dandong on `as_of` (the cron's hour)."""
    time_machine.move_to(datetime.combine(date.fromisoformat(as_of), time(7), TIMEZONE), tick=False)


@pytest.fixture
def send(cli, time_machine, frozen_today):
    """send(as_of, *options) -> the Result of `reminders send --as-of as_of` (exit status 0 asserted), run on the
    morning of `as_of` when that is later than now (a day before stays a look back from today)."""

    def run(as_of: str, *args: str):
        if date.fromisoformat(as_of) > today():
            morning_of(time_machine, as_of)
        result = cli("reminders", "send", "--as-of", as_of, *args)
        assert result.exit_code == 0, result.output
        return result

    return run


def deliveries() -> list[Delivery]:
    return list(db.session.scalars(select(Delivery).order_by(Delivery.id)))


def wecom_robot(school, url: str = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=test") -> RobotWebhook:
    robot = RobotWebhook(school=school, kind=RobotKind.WECOM, url=url)
    db.session.add(robot)
    db.session.commit()
    return robot


@pytest.mark.parametrize(("as_of", "expected"), [
    ("2026-08-30", {"practice_behind:2022-09-01:3"}),  # a past day: looking back is allowed
    ("2026-12-01", {"cycle_deadline:2022-09-01:12", "practice_behind:2022-09-01:4", "training_missing:2022-09-01"}),
    # 3 months left, 7 needed: 本周期已无法完成 — still reminded of the deadline, no longer "behind"
    ("2027-06-01", {"cycle_deadline:2022-09-01:3", "training_missing:2022-09-01"}),
])
def test_a_teacher_gets_the_reminders_due_on_the_date(send, behind, as_of, expected):
    send(as_of)
    assert keys(behind["user"]) == expected


def test_the_deadline_reminder_holds_the_figures_of_its_date_and_links_to_the_practice_page(send, behind):
    send("2026-12-01")
    [deadline] = [n for n in notifications(behind["user"]) if n.kind == NotificationKind.CYCLE_DEADLINE]
    assert deadline.payload == {
        "teacher_id": behind["teacher"].id, "cycle_start": "2022-09-01", "cycle_end": "2027-08-31", "threshold": 12,
        "remaining": 9, "months": 3, "required": 10, "needed": 7, "status": "behind",
    }
    assert deadline.link == "/practice/"
    assert deadline.as_of.isoformat() == "2026-12-01"


def test_the_training_reminder_links_to_the_teachers_home_page_which_shows_the_training_verdict(send, behind):
    send("2026-12-01")
    links = {n.kind: n.link for n in notifications(behind["user"])}
    assert links == {NotificationKind.CYCLE_DEADLINE: "/practice/", NotificationKind.PRACTICE_BEHIND: "/practice/",
                     NotificationKind.TRAINING_MISSING: "/"}


def test_the_twelve_month_reminder_comes_on_the_day_exactly_twelve_months_are_left(cli, make, frozen_today):
    make.policy_version()
    teacher = make.teacher(make.school(), name="金老师", hire_date=date(2022, 11, 29))  # cycle ends 2027-11-28
    user = make.user("teacher", teacher=teacher)
    assert cli("reminders", "send", "--as-of", "2026-11-27").exit_code == 0  # 12 months and a day left
    assert "cycle_deadline:2022-11-29:12" not in keys(user)
    assert cli("reminders", "send").exit_code == 0  # today, 2026-11-28: [2026-11-29, 2027-11-28] is 12 months
    assert "cycle_deadline:2022-11-29:12" in keys(user)


def test_running_again_records_nothing_new(send, behind):
    send("2026-12-01")
    first = len(notifications())
    again = send("2026-12-02")
    assert len(notifications()) == first == 3
    assert "新记录通知：0 条" in again.output


def test_a_smaller_threshold_reached_later_is_a_new_reminder(send, behind):
    send("2026-12-01")
    send("2027-03-01")
    assert {k for k in keys(behind["user"]) if k.startswith("cycle_deadline")} == {
        "cycle_deadline:2022-09-01:12", "cycle_deadline:2022-09-01:6"}


def test_a_dry_run_lists_the_reminders_and_writes_nothing(send, behind):
    result = send("2026-12-01", "--dry-run")
    assert "试运行" in result.output
    assert "将记录通知：3 条" in result.output
    assert "piao · 企业实践周期即将结束 · cycle_deadline:2022-09-01:12" in result.output
    assert notifications() == []
    assert db.session.scalar(select(func.count()).select_from(Delivery)) == 0


def test_a_real_run_of_a_day_after_today_is_refused_and_records_nothing(cli, behind):
    result = cli("reminders", "send", "--as-of", "2026-12-01")  # today is 2026-11-28
    assert result.exit_code == 1
    assert "--as-of: 只有试运行（--dry-run）可以使用今天以后的日期" in result.output
    assert notifications() == [] and deliveries() == []


def test_a_dry_run_may_look_at_a_day_after_today(cli, behind):
    result = cli("reminders", "send", "--as-of", "2026-12-01", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "将记录通知：3 条" in result.output
    assert notifications() == []


def test_a_dry_run_says_how_many_emails_and_robot_posts_the_new_notifications_would_queue(
        send, make, smtp_server, behind):
    behind["user"].email = "piao@example.com"  # 3 reminders by e-mail
    make.user("school_hr", school=behind["school"])  # a digest, no address: in the registry only
    wecom_robot(behind["school"])
    result = send("2026-12-07", "--dry-run")
    assert "将发送：4 条（新通知的邮件 3 封，新工作群消息 1 条，以前待发送的 0 条，其中上次失败 0 条）" in result.output


def test_without_a_mail_server_a_dry_run_counts_no_emails(send, behind):
    behind["user"].email = "piao@example.com"
    db.session.commit()
    result = send("2026-12-01", "--dry-run")
    assert "将发送：0 条（新通知的邮件 0 封" in result.output


def test_a_dry_run_with_a_robot_and_a_mail_server_records_nothing_and_sends_nothing(
        send, make, smtp_server, robot_server, behind):
    behind["user"].email = "piao@example.com"
    make.user("school_hr", school=behind["school"])
    robot = wecom_robot(behind["school"], robot_server.url(RobotKind.WECOM))
    smtp_server.stop()  # the reminders of 2026-11-30 fail: they wait for the next run
    robot_server.stop()
    send("2026-11-30")
    waiting = {d.id: d.status for d in deliveries()}
    assert len(waiting) == 4 and DeliveryStatus.SENT not in waiting.values()
    recorded = {n.id for n in notifications()}
    smtp_server.start()
    robot_server.start()

    result = send("2026-12-07", "--dry-run")  # a new week: the digest and its post would be new

    assert (f"{behind['school'].name} · 学校人事每周摘要 · robot:{robot.id}:hr_digest:2026-W50" in result.output)
    assert "以前待发送的 4 条，其中上次失败 2 条" in result.output  # an e-mail and the post; 2 e-mails not tried
    assert {n.id for n in notifications()} == recorded
    assert {d.id: d.status for d in deliveries()} == waiting
    assert smtp_server.received == [] and robot_server.posts == []


@pytest.mark.parametrize("who", ["met", "inactive", "no_account", "hr_of_the_teacher"])
def test_nobody_else_gets_a_teachers_reminder(send, make, behind, who):
    teacher = behind["teacher"]
    if who == "met":  # 3 + 7 months, and the rotation training of the cycle
        make.practice(teacher, "2024-01-01", "2024-07-31")
        make.training(teacher, "2024-08-20")
    elif who == "inactive":
        behind["user"].active = False
        db.session.commit()
    elif who == "no_account":
        db.session.delete(behind["user"])
        db.session.commit()
    else:
        make.user("school_hr", school=behind["school"])
    send("2026-12-01")
    teacher_kinds = {NotificationKind.CYCLE_DEADLINE, NotificationKind.PRACTICE_BEHIND,
                     NotificationKind.TRAINING_MISSING}
    reminded = {n.user.login for n in notifications() if n.kind in teacher_kinds}
    assert reminded == (set() if who != "hr_of_the_teacher" else {"piao"})


def test_a_bad_date_is_refused_with_exit_status_1(cli, behind):
    result = cli("reminders", "send", "--as-of", "2026-02-30")
    assert result.exit_code == 1
    assert "--as-of" in result.output and "不存在" in result.output
    assert notifications() == []


# --- school HR ----------------------------------------------------------------------------------------------------


def test_school_hr_get_a_weekly_digest_of_what_needs_them(send, make, behind):
    hr = make.user("school_hr", school=behind["school"], login="hr_jia")
    make.practice(behind["teacher"], "2026-10-01", "2026-10-31", status="submitted")  # submitted 2026-11-28
    send("2026-12-07")
    [digest] = notifications(hr)
    assert digest.key == "hr_digest:2026-W50" and digest.link == "/"
    payload = digest.payload
    assert payload["school"] == "甲校" and payload["period"] == "2026-W50"
    assert payload["reviews"]["count"] == 1 and payload["reviews"]["items"][0]["days"] == 9
    assert payload["behind"] == {"count": 1, "items": [
        {"teacher_id": behind["teacher"].id, "teacher": "朴老师", "months": 3, "needed": 7, "new": True}]}
    assert payload["due"]["count"] == 0


def test_records_waiting_a_week_or_less_are_not_in_the_digest(send, make, behind):
    hr = make.user("school_hr", school=behind["school"])
    make.practice(behind["teacher"], "2026-10-01", "2026-10-31", status="submitted")
    send("2026-12-05")  # 7 days
    assert notifications(hr)[0].payload["reviews"] == {"count": 0, "items": []}


def test_the_digest_comes_once_a_week_and_marks_who_is_new_since_the_last_one(send, make, behind):
    hr = make.user("school_hr", school=behind["school"])
    send("2026-11-30")
    send("2026-12-06")  # same ISO week: nothing new
    assert [n.key for n in notifications(hr)] == ["hr_digest:2026-W49"]
    colleague = make.teacher(behind["school"], name="新落后", hire_date=datetime(2023, 9, 1).date())
    send("2026-12-07")
    latest = notifications(hr)[-1]
    assert latest.key == "hr_digest:2026-W50"
    new = {item["teacher"]: item["new"] for item in latest.payload["behind"]["items"]}
    assert new == {"朴老师": False, "新落后": True}
    assert colleague.id in latest.payload["lagging_ids"]


def test_a_school_with_nothing_to_report_gets_no_digest(send, make, behind):
    quiet = make.school(name="乙校")
    met = make.teacher(quiet, name="达标教师", hire_date=datetime(2022, 9, 1).date())
    make.practice(met, "2023-01-01", "2023-10-31")
    hr_quiet = make.user("school_hr", school=quiet)
    send("2026-12-07")
    assert notifications(hr_quiet) == []


def test_exception_decisions_since_the_last_digest_are_listed(send, make, behind):
    hr = make.user("school_hr", school=behind["school"])
    decided = datetime(2026, 12, 3, 15, 0, tzinfo=TIMEZONE)
    make.hire_exception(behind["teacher"], status="approved", decided_at=decided)
    send("2026-12-07")
    decisions = notifications(hr)[0].payload["decisions"]
    assert decisions["count"] == 1
    assert decisions["items"][0]["status"] == "approved" and decisions["items"][0]["decided_on"] == "2026-12-03"


def test_a_school_with_a_robot_gets_one_post_per_week(send, make, behind):
    make.user("school_hr", school=behind["school"])
    make.user("school_hr", school=behind["school"])
    robot = wecom_robot(behind["school"])
    result = send("2026-12-07", "--dry-run")
    assert f"甲校 · 学校人事每周摘要 · robot:{robot.id}:hr_digest:2026-W50" in result.output
    send("2026-12-07")
    send("2026-12-08")
    posts = db.session.scalars(select(Delivery).where(Delivery.robot_id == robot.id)).all()
    assert [post.key for post in posts] == [f"robot:{robot.id}:hr_digest:2026-W50"]
    assert "甲校" in posts[0].subject


# --- the bureau ---------------------------------------------------------------------------------------------------


def test_the_bureau_gets_a_monthly_digest_with_lagging_schools_and_old_exception_requests(send, make, behind):
    bureau = make.user("bureau", login="bureau_1")
    request = make.hire_exception(behind["teacher"])
    request.requested_at = datetime(2026, 11, 10, 9, 0, tzinfo=TIMEZONE)
    db.session.commit()
    send("2026-12-01")
    [digest] = notifications(bureau)
    assert digest.key == "bureau_digest:2026-12"
    payload = digest.payload
    assert payload["lagging"]["items"][0] == {"school_id": behind["school"].id, "school": "甲校", "share": 1.0,
                                              "lagging": 1, "applicable": 1}
    assert payload["exceptions"]["count"] == 1
    assert payload["exceptions"]["items"][0]["days"] == 21
    send("2026-12-31")
    assert len(notifications(bureau)) == 1


def test_the_bureaus_robot_gets_one_post_per_month_and_no_school_robot_gets_it(send, make, behind):
    make.user("bureau")
    bureau_robot = wecom_robot(None)
    school_robot = wecom_robot(make.school(name="乙校"), "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=other")
    send("2026-12-01")
    send("2026-12-02")
    posts = db.session.scalars(select(Delivery).where(Delivery.channel == Channel.ROBOT)).all()
    assert [(post.robot_id, post.key) for post in posts] == [(bureau_robot.id,
                                                              f"robot:{bureau_robot.id}:bureau_digest:2026-12")]
    assert school_robot.id not in {post.robot_id for post in posts}


def test_the_digests_carry_the_figures_their_sections_are_defined_by(send, make, behind):
    hr, bureau = make.user("school_hr", school=behind["school"]), make.user("bureau")
    send("2026-12-07")
    [hr_digest] = notifications(hr)
    assert {name: hr_digest.payload[name] for name in ("review_days", "due_months", "period_start", "period_end")} == {
        "review_days": 7, "due_months": 6, "period_start": "2026-12-07", "period_end": "2026-12-13"}
    [bureau_digest] = notifications(bureau)
    assert {name: bureau_digest.payload[name] for name in ("exception_days", "period_start", "period_end")} == {
        "exception_days": 14, "period_start": "2026-12-01", "period_end": "2026-12-31"}


def test_exception_requests_waiting_two_weeks_or_less_are_not_in_the_bureau_digest(send, make, behind):
    bureau = make.user("bureau")
    request = make.hire_exception(behind["teacher"])
    request.requested_at = datetime(2026, 11, 17, 9, 0, tzinfo=TIMEZONE)  # 14 days before 1 December
    db.session.commit()
    send("2026-12-01")
    assert notifications(bureau)[0].payload["exceptions"] == {"count": 0, "items": []}


# --- delivery -----------------------------------------------------------------------------------------------------


def test_with_a_mail_server_the_reminders_are_emailed_once(send, smtp_server, behind):
    behind["user"].email = "piao@example.com"
    db.session.commit()
    first = send("2026-12-01")
    assert "发送：成功 3 条，失败 0 条" in first.output
    subjects = sorted(message["Subject"] for message in smtp_server.messages)
    assert len(subjects) == 3 and any("还需 7 个月" in subject for subject in subjects)
    second = send("2026-12-01")
    assert "新记录通知：0 条" in second.output and "发送：成功 0 条" in second.output
    assert len(smtp_server.messages) == 3


def test_a_mail_server_that_is_down_does_not_fail_the_command_and_the_next_run_sends(send, smtp_server, behind):
    behind["user"].email = "piao@example.com"
    db.session.commit()
    smtp_server.stop()
    down = send("2026-12-01")
    assert "失败 1 条" in down.output and "失败 #" in down.output
    assert "暂缓 2 条（邮件服务器连不上，下次运行时发送）" in down.output  # not tried once the server was found down
    smtp_server.start()
    dry = send("2026-12-02", "--dry-run")
    assert "将发送：3 条（新通知的邮件 0 封，新工作群消息 0 条，以前待发送的 3 条，其中上次失败 1 条）" in dry.output
    up = send("2026-12-02")
    assert "发送：成功 3 条" in up.output
    assert len(smtp_server.messages) == 3


def test_the_report_counts_by_kind_and_audience_leaving_out_those_without_any(send, make, behind):
    make.user("school_hr", school=behind["school"])
    result = send("2026-12-07", "--dry-run")
    assert "按类别：企业实践周期即将结束 1，企业实践进度落后 1，全员轮训尚未完成 1，学校人事每周摘要 1\n" in result.output
    assert "按对象：教师 3，学校人事 1\n" in result.output


def test_waiting_days_before_the_frozen_day_are_counted_to_the_reminder_date(send, make, behind):
    hr = make.user("school_hr", school=behind["school"])
    record = make.practice(behind["teacher"], "2026-10-01", "2026-10-31", status="submitted")
    record.submitted_at = datetime(2026, 11, 1, 12, 0, tzinfo=TIMEZONE) - timedelta(days=1)
    db.session.commit()
    send("2026-12-07")
    assert notifications(hr)[0].payload["reviews"]["items"][0]["days"] == 37


# --- two runs at once ---------------------------------------------------------------------------------------------


def test_two_runs_recording_the_same_work_out_record_each_reminder_and_its_email_once(
        make, smtp_server, time_machine, frozen_today, behind):
    behind["user"].email = "piao@example.com"
    db.session.commit()
    morning_of(time_machine, "2026-12-01")
    first, second = work_out(date(2026, 12, 1)), work_out(date(2026, 12, 1))  # both before either records
    assert [p.key for p in first] == [p.key for p in second] and len(first) == 3
    record(first)
    record(second)
    assert sorted(n.key for n in notifications()) == sorted(p.key for p in first)
    assert [d.channel for d in deliveries()] == [Channel.EMAIL] * 3


def test_a_reminder_recorded_by_another_run_between_the_check_and_the_insert_is_not_recorded_again(
        make, smtp_server, time_machine, frozen_today, monkeypatch, behind):
    behind["user"].email = "piao@example.com"
    db.session.commit()
    morning_of(time_machine, "2026-12-01")
    planned = work_out(date(2026, 12, 1))
    rival = planned[0]
    db.session.add(Notification(user_id=rival.user_id, kind=rival.kind, key=rival.key, as_of=rival.as_of,
                                payload=dict(rival.payload), link=rival.link))  # the other run's insert
    db.session.flush()
    real_select = notification_service.select
    # the existence check does not see it yet: the unique (user, key) must stop the second insert
    monkeypatch.setattr(notification_service, "select", lambda *columns: real_select(*columns).where(sqlalchemy.false()))
    assert db.session.scalar(notification_service.select(Notification.id).where(Notification.key == rival.key)) is None

    record(planned)

    assert sorted(n.key for n in notifications()) == sorted(p.key for p in planned)
    emailed = {d.notification.key for d in deliveries()}
    assert emailed == {p.key for p in planned[1:]}  # the other run queues the rival's e-mail, not this one
