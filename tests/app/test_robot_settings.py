"""Work-group robots: HR of a school and the administrator register the school's WeCom or DingTalk robot on the
school's page, the administrator the bureau's; the address is a credential, shown and audited only masked."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from registry.errors import Forbidden, Invalid, NotFound
from registry.extensions import db
from registry.models import AuditEvent, RobotWebhook
from registry.services import robots
from registry.services.robots import masked_url

WECOM_KEY = "693a91f6-7b1c-4bc4-97a0-0ec2a1fa5e3f"
WECOM = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={WECOM_KEY}"
DING_TOKEN = "1f0e2d3c4b5a69788796a5b4c3d2e1f0aabbccddeeff00112233445566778899"
DINGTALK = f"https://oapi.dingtalk.com/robot/send?access_token={DING_TOKEN}"
SECRET = "SECb0a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2"


@pytest.fixture
def admin(make):
    return make.user("admin", login="root")


def robot_rows() -> list[RobotWebhook]:
    return list(db.session.scalars(select(RobotWebhook).order_by(RobotWebhook.id)))


def robot_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "robot_webhook").order_by(AuditEvent.id)))


@pytest.mark.parametrize(("url", "shown"), [
    (WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=••••5e3f"),
    (DINGTALK, "https://oapi.dingtalk.com/robot/send?access_token=••••8899"),
    ("https://oapi.dingtalk.com/robot/send?access_token=short", "https://oapi.dingtalk.com/robot/send?access_token=••••"),
    ("http://127.0.0.1:8080/hook/cgi-bin/webhook/send", "http://127.0.0.1:8080/hook/cgi-bin/webhook/send"),
])
def test_an_address_is_shown_as_its_first_part_and_the_last_four_characters_of_its_key(url, shown):
    assert masked_url(url) == shown


# --- a school's robot ---------------------------------------------------------------------------------------------


def test_hr_registers_the_schools_robot_on_its_page_and_sees_it_only_masked(make, client, login, school, hr):
    login(hr)
    page = client.get(f"/schools/{school.id}").get_data(as_text=True)
    assert 'id="robot"' in page and "工作群机器人" in page and "企业微信群机器人" in page and "钉钉群机器人" in page
    response = client.post(f"/schools/{school.id}/robot", data={"kind": "wecom", "url": WECOM, "secret": ""})
    assert response.status_code == 302 and response.headers["Location"] == f"/schools/{school.id}#robot"
    [robot] = robot_rows()
    assert (robot.school_id, robot.kind, robot.url, robot.secret, robot.updated_by_id) == (school.id, "wecom", WECOM, None, hr.id)
    page = client.get(f"/schools/{school.id}").get_data(as_text=True)
    assert "key=••••5e3f" in page and WECOM_KEY not in page


def test_the_audit_trail_records_the_change_but_never_the_key_or_the_secret(make, school, hr):
    robots.set_robot_webhook(hr, school.id, {"kind": "dingtalk", "url": DINGTALK, "secret": SECRET})
    robots.set_robot_webhook(hr, school.id, {"kind": "wecom", "url": WECOM})
    robots.delete_robot_webhook(hr, school.id)
    events = robot_events()
    assert [(e.action, e.actor_id, e.school_id) for e in events] == [("create", hr.id, school.id), ("update", hr.id, school.id),
                                                                     ("delete", hr.id, school.id)]
    trail = str([e.changes for e in events])
    assert DING_TOKEN not in trail and WECOM_KEY not in trail and SECRET not in trail
    assert events[0].changes["after"] == {"kind": "dingtalk", "url": masked_url(DINGTALK), "secret": "••••"}
    assert events[1].changes["after"] == {"kind": "wecom", "url": masked_url(WECOM), "secret": None}
    assert robot_rows() == []


def test_a_new_key_ending_like_the_old_one_is_still_recorded_as_a_change(school, hr):
    robots.set_robot_webhook(hr, school.id, {"kind": "wecom", "url": WECOM})
    robots.set_robot_webhook(hr, school.id, {"kind": "wecom", "url": WECOM.replace("693a91f6", "00000000")})
    update = robot_events()[-1]
    assert update.action == "update" and update.changes["after"]["url"].endswith("（已更换）")


def test_saving_again_replaces_the_schools_one_robot(school, hr):
    robots.set_robot_webhook(hr, school.id, {"kind": "wecom", "url": WECOM})
    robots.set_robot_webhook(hr, school.id, {"kind": "dingtalk", "url": DINGTALK, "secret": SECRET})
    [robot] = robot_rows()
    assert (robot.kind, robot.url, robot.secret) == ("dingtalk", DINGTALK, SECRET)


def dingtalk_with_secret(hr, school) -> RobotWebhook:
    return robots.set_robot_webhook(hr, school.id, {"kind": "dingtalk", "url": DINGTALK, "secret": SECRET})


def test_saving_a_dingtalk_robot_again_with_the_secret_left_blank_keeps_the_stored_secret(school, hr):
    dingtalk_with_secret(hr, school)

    robots.set_robot_webhook(hr, school.id, {"kind": "dingtalk", "url": DINGTALK, "secret": "", "clear_secret": False})

    [robot] = robot_rows()
    assert (robot.url, robot.secret) == (DINGTALK, SECRET)


def test_another_dingtalk_robots_address_with_the_secret_left_blank_does_not_inherit_the_old_secret(school, hr):
    dingtalk_with_secret(hr, school)
    other = DINGTALK.replace(DING_TOKEN, DING_TOKEN[::-1])

    robots.set_robot_webhook(hr, school.id, {"kind": "dingtalk", "url": other, "secret": "", "clear_secret": False})

    [robot] = robot_rows()
    assert (robot.url, robot.secret) == (other, None)


def test_a_new_secret_is_recorded_as_changed_though_both_are_masked(school, hr):
    dingtalk_with_secret(hr, school)
    new_secret = SECRET[:-4] + "ffff"

    robots.set_robot_webhook(hr, school.id, {"kind": "dingtalk", "url": DINGTALK, "secret": new_secret})

    changes = robot_events()[-1].changes
    assert changes["before"]["secret"] != changes["after"]["secret"] and "已更换" in changes["after"]["secret"]
    assert new_secret not in str(changes) and SECRET not in str(changes)


def test_ticking_clear_secret_removes_the_stored_secret(school, hr):
    dingtalk_with_secret(hr, school)

    robots.set_robot_webhook(hr, school.id, {"kind": "dingtalk", "url": DINGTALK, "secret": "", "clear_secret": True})

    [robot] = robot_rows()
    assert robot.secret is None
    update = robot_events()[-1]
    assert update.changes["before"]["secret"] == "••••" and update.changes["after"]["secret"] is None


def test_a_robot_turned_into_a_wecom_robot_and_back_has_no_secret_left(school, hr):
    dingtalk_with_secret(hr, school)
    robots.set_robot_webhook(hr, school.id, {"kind": "wecom", "url": WECOM})

    robots.set_robot_webhook(hr, school.id, {"kind": "dingtalk", "url": DINGTALK})

    assert robot_rows()[0].secret is None


def test_a_new_secret_and_clearing_it_at_once_is_refused_and_nothing_changes(school, hr):
    dingtalk_with_secret(hr, school)
    new = SECRET.replace("SECb0", "SECff")

    with pytest.raises(Invalid) as caught:
        robots.set_robot_webhook(hr, school.id, {"kind": "dingtalk", "url": DINGTALK, "secret": new,
                                                 "clear_secret": True})

    assert "请只选一项" in caught.value.errors["clear_secret"]
    assert robot_rows()[0].secret == SECRET and len(robot_events()) == 1


def test_the_page_keeps_the_secret_when_left_blank_and_clears_it_with_the_checkbox(client, login, school, hr):
    login(hr)
    assert "清除加签密钥" not in client.get(f"/schools/{school.id}").get_data(as_text=True)
    client.post(f"/schools/{school.id}/robot", data={"kind": "dingtalk", "url": DINGTALK, "secret": SECRET})
    page = client.get(f"/schools/{school.id}").get_data(as_text=True)
    assert 'name="clear_secret"' in page and "清除加签密钥" in page and SECRET not in page

    client.post(f"/schools/{school.id}/robot", data={"kind": "dingtalk", "url": DINGTALK, "secret": ""})
    assert robot_rows()[0].secret == SECRET

    client.post(f"/schools/{school.id}/robot", data={"kind": "dingtalk", "url": DINGTALK, "secret": "",
                                                     "clear_secret": "y"})
    assert robot_rows()[0].secret is None
    assert 'name="clear_secret"' not in client.get(f"/schools/{school.id}").get_data(as_text=True)


def test_the_bureaus_page_clears_its_robots_secret_too(client, login, admin):
    robots.set_robot_webhook(admin, None, {"kind": "dingtalk", "url": DINGTALK, "secret": SECRET})
    login(admin)
    assert 'name="clear_secret"' in client.get("/notifications/robot").get_data(as_text=True)

    client.post("/notifications/robot", data={"kind": "dingtalk", "url": DINGTALK, "clear_secret": "y"})

    assert robot_rows()[0].secret is None


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"kind": "wecom", "url": "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"}, "url", "https"),
    ({"kind": "wecom", "url": "https://hooks.example.com/cgi-bin/webhook/send?key=abc"}, "url", "只能填写企业微信或钉钉群机器人的地址"),
    ({"kind": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"}, "url", "key="),
    ({"kind": "wecom", "url": DINGTALK}, "url", "检查机器人类型"),
    ({"kind": "wecom", "url": ""}, "url", "不能为空"),
    ({"kind": "", "url": WECOM}, "kind", "必填项"),
    ({"kind": "slack", "url": WECOM}, "kind", "不是允许的取值"),
    ({"kind": "wecom", "url": WECOM, "secret": SECRET}, "secret", "只有钉钉群机器人使用加签密钥"),
    ({"kind": "dingtalk", "url": DINGTALK, "secret": "b0a1c2d3"}, "secret", "以 SEC 开头"),
])
def test_a_bad_robot_is_refused_by_field_in_chinese_and_nothing_is_saved(school, hr, data, field, message):
    with pytest.raises(Invalid) as caught:
        robots.set_robot_webhook(hr, school.id, data)
    assert message in caught.value.errors[field]
    assert robot_rows() == [] and robot_events() == []


def test_the_page_shows_the_refusal_on_its_field(client, login, school, hr):
    login(hr)
    response = client.post(f"/schools/{school.id}/robot", data={"kind": "dingtalk", "url": "https://example.com/x"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "只能填写企业微信或钉钉群机器人的地址" in body and 'id="robot"' in body
    assert robot_rows() == []


def test_hr_of_another_school_cannot_see_or_set_its_robot(make, client, login, school):
    other = make.school(name="乙校")
    robots.set_robot_webhook(make.user("admin"), other.id, {"kind": "wecom", "url": WECOM})
    hr = make.user("school_hr", school=school)
    with pytest.raises(NotFound):
        robots.robot_webhook(hr, other.id)
    login(hr)
    assert client.post(f"/schools/{other.id}/robot", data={"kind": "wecom", "url": WECOM}).status_code == 404
    assert client.post(f"/schools/{other.id}/robot/delete").status_code == 404
    assert len(robot_rows()) == 1


@pytest.mark.parametrize("role", ["teacher", "bureau"])
def test_teachers_and_the_bureau_neither_see_nor_set_a_schools_robot(make, client, login, school, role):
    user = make.user(role, teacher=make.teacher(school) if role == "teacher" else None)
    with pytest.raises(Forbidden):
        robots.set_robot_webhook(user, school.id, {"kind": "wecom", "url": WECOM})
    login(user)
    assert client.post(f"/schools/{school.id}/robot", data={"kind": "wecom", "url": WECOM}).status_code == 403
    if role == "bureau":
        assert 'id="robot"' not in client.get(f"/schools/{school.id}").get_data(as_text=True)


def test_the_administrator_sets_and_removes_any_schools_robot(client, login, school, admin):
    login(admin)
    client.post(f"/schools/{school.id}/robot", data={"kind": "dingtalk", "url": DINGTALK, "secret": SECRET})
    page = client.get(f"/schools/{school.id}").get_data(as_text=True)
    assert "access_token=••••8899" in page and "已设置" in page and SECRET not in page
    response = client.post(f"/schools/{school.id}/robot/delete", follow_redirects=True)
    assert "工作群机器人已移除" in response.get_data(as_text=True) and robot_rows() == []
    assert client.post(f"/schools/{school.id}/robot/delete").status_code == 404


# --- the bureau's robot --------------------------------------------------------------------------------------------


def test_the_administrator_sets_the_bureaus_robot_on_its_own_page(client, login, admin):
    login(admin)
    assert "尚未设置工作群机器人" in client.get("/notifications/robot").get_data(as_text=True)
    response = client.post("/notifications/robot", data={"kind": "wecom", "url": WECOM}, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "教育局的工作群机器人已保存" in body and "key=••••5e3f" in body and WECOM_KEY not in body
    [robot] = robot_rows()
    assert robot.school_id is None
    client.post("/notifications/robot/delete")
    assert robot_rows() == []


def test_a_bad_bureau_robot_is_shown_back_with_its_error(client, login, admin):
    login(admin)
    response = client.post("/notifications/robot", data={"kind": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"})
    assert response.status_code == 400 and "key=" in response.get_data(as_text=True) and robot_rows() == []


def test_a_school_robot_and_the_bureaus_live_side_by_side(school, hr, admin):
    robots.set_robot_webhook(hr, school.id, {"kind": "wecom", "url": WECOM})
    robots.set_robot_webhook(admin, None, {"kind": "dingtalk", "url": DINGTALK})
    assert robots.robot_webhook(admin, None).kind == "dingtalk" and robots.robot_webhook(hr, school.id).kind == "wecom"
    assert db.session.scalar(select(func.count()).select_from(RobotWebhook)) == 2


@pytest.mark.parametrize("role", ["teacher", "school_hr", "bureau"])
def test_only_the_administrator_manages_the_bureaus_robot(make, client, login, role):
    school = make.school()
    user = make.user(role, teacher=make.teacher(school) if role == "teacher" else None,
                     school=school if role == "school_hr" else None)
    login(user)
    assert client.get("/notifications/robot").status_code == 403
    assert client.post("/notifications/robot", data={"kind": "wecom", "url": WECOM}).status_code == 403
    assert robot_rows() == []


def test_hr_sees_on_the_schools_page_that_the_robots_last_post_failed_and_why(make, client, login, school, hr, time_machine):
    from datetime import UTC, datetime

    from registry.models import Delivery
    from registry.rules.vocabulary import Channel, DeliveryStatus

    time_machine.move_to(datetime(2026, 11, 28, 2, 0, tzinfo=UTC), tick=False)
    robot = robots.set_robot_webhook(hr, school.id, {"kind": "wecom", "url": WECOM, "secret": ""})
    login(hr)
    assert "尚未发送过消息" in client.get(f"/schools/{school.id}").get_data(as_text=True)
    db.session.add(Delivery(key="robot:1:hr_digest:2026-W49", channel=Channel.ROBOT, robot_id=robot.id,
                            subject="甲校 人事每周摘要", text_body="…", status=DeliveryStatus.FAILED, attempts=2,
                            last_error="机器人拒绝了消息：invalid webhook url"))
    db.session.commit()
    page = client.get(f"/schools/{school.id}").get_data(as_text=True)
    last = page[page.index('id="robot-last-post"'):]
    assert "发送失败" in last[:600] and "invalid webhook url" in last[:800]

    other = WECOM.replace(WECOM_KEY, WECOM_KEY[::-1])
    time_machine.shift(60)  # HR corrects the address a minute later: the old address's failure is not the new one's
    robots.set_robot_webhook(hr, school.id, {"kind": "wecom", "url": other, "secret": ""})
    db.session.commit()
    assert "尚未发送过消息" in client.get(f"/schools/{school.id}").get_data(as_text=True)
