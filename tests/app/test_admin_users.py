"""The administrator keeps the accounts in the browser (/users), and school HR makes their teachers' sign-in
accounts from the teacher's page: one-time passwords shown once, every change in the audit trail."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from registry.errors import Forbidden, Invalid, NotFound
from registry.extensions import db
from registry.models import AuditEvent, User
from registry.services import users as user_service
from registry.services.users import SESSION_ACTIONS, authenticate, set_user_active, update_account

NEW = "tidal-lantern-quartz"


def one_time_password(response) -> str:
    """The one-time password a page shows once."""
    found = re.search(r'id="one-time-password">([^<]+)<', response.get_data(as_text=True))
    assert found, response.get_data(as_text=True)
    return found.group(1)


def account_events(user_id: int) -> list[AuditEvent]:
    """The account's changes in the trail (not its sign-ins), oldest first."""
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == user_id,
                                 AuditEvent.action.not_in(SESSION_ACTIONS)).order_by(AuditEvent.id)))


@pytest.fixture
def admin(make):
    return make.user("admin", login="root", display_name="信息中心")


# --- the list --------------------------------------------------------------------------------------------------


def test_the_account_list_finds_accounts_by_login_or_name_and_filters_by_role_school_and_state(make, client, login, admin, school):
    other = make.school(name="乙校")
    make.user("school_hr", school=school, login="hr-jia", display_name="甲校人事处")
    make.user("school_hr", school=other, login="hr-yi", display_name="乙校人事处")
    set_user_active(None, make.user("bureau", login="bureau-old", display_name="老科长").id, False)
    login(admin)

    def logins(query: str) -> list[str]:
        return re.findall(r'<tr data-login="([^"]+)"', client.get(f"/users/?{query}").get_data(as_text=True))

    assert logins("") == ["bureau-old", "hr-jia", "hr-yi", "root"]
    assert logins("q=HR-") == ["hr-jia", "hr-yi"]
    assert logins("q=乙校") == ["hr-yi"]
    assert logins(f"role=school_hr&school_id={school.id}") == ["hr-jia"]
    assert logins("active=false") == ["bureau-old"]
    assert logins("active=true&role=admin") == ["root"]
    assert logins("role=nonsense&q=hr-yi") == ["hr-yi"]  # a bad filter from an edited address is dropped


def test_the_account_list_is_paginated(make, client, login, admin):
    for n in range(3):
        make.user("bureau", login=f"b{n}")
    login(admin)
    body = client.get("/users/?per_page=2&page=2").get_data(as_text=True)
    assert re.findall(r'<tr data-login="([^"]+)"', body) == ["b2", "root"]
    assert "共 4 个账号" in body and 'class="pagination' in body


def test_the_list_shows_the_last_sign_in_and_never_for_an_unused_account(make, client, login, admin, frozen_today):
    make.user("bureau", login="idle")
    login(admin)
    body = client.get("/users/").get_data(as_text=True)
    assert "2026-11-28 10:00" in body and "从未登录" in body
    assert db.session.get(User, admin.id).last_signed_in_at is not None


@pytest.mark.parametrize("role", ["teacher", "school_hr", "bureau"])
def test_only_the_administrator_opens_the_account_pages(make, client, login, role):
    user = make.user(role, teacher=make.teacher() if role == "teacher" else None,
                     school=make.school() if role == "school_hr" else None)
    login(user)
    assert client.get("/users/").status_code == 403
    assert client.get("/users/new").status_code == 403
    assert client.get(f"/users/{user.id}").status_code == 403
    assert client.post(f"/users/{user.id}/reset-password").status_code == 403
    assert "账号管理" not in client.get("/").get_data(as_text=True)


def test_the_administrator_finds_the_account_pages_in_the_navigation(client, login, admin):
    login(admin)
    assert 'href="/users/"' in client.get("/").get_data(as_text=True)


# --- creating an account ----------------------------------------------------------------------------------------


def test_a_new_hr_account_gets_a_one_time_password_shown_once_that_must_be_replaced(app, make, client, login, admin, school):
    login(admin)
    response = client.post("/users/new", data={"login": "hr-new", "role": "school_hr", "school_id": school.id,
                                               "display_name": "人事处王老师", "submit": "1"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    plain = one_time_password(response)
    user = db.session.scalar(select(User).where(User.login == "hr-new"))
    assert (user.role, user.school_id, user.display_name, user.must_change_password) == ("school_hr", school.id, "人事处王老师", True)
    [event] = account_events(user.id)
    assert (event.action, event.actor_id) == ("create", admin.id) and plain not in str(event.changes)
    assert plain not in client.get(f"/users/{user.id}").get_data(as_text=True)

    newcomer = app.test_client()
    signed_in = newcomer.post("/login", data={"login": "hr-new", "password": plain})
    assert signed_in.headers["Location"] == "/account/password"
    assert newcomer.get("/teachers/").headers["Location"] == "/account/password"
    changed = newcomer.post("/account/password", data={"current_password": plain, "new_password": NEW, "confirm_password": NEW})
    assert changed.headers["Location"] == "/"
    assert newcomer.get("/").status_code == 200


def test_a_new_account_with_bad_fields_names_each_in_chinese_and_writes_nothing(make, client, login, admin):
    make.user("bureau", login="taken")
    login(admin)
    body = client.post("/users/new", data={"login": "taken", "role": "school_hr", "school_id": "", "submit": "1"}).get_data(as_text=True)
    assert "该登录名已被使用" in body and "学校人事账号须指定一所存在的学校" in body
    body = client.post("/users/new", data={"login": "有 空格", "role": "bureau", "submit": "1"}).get_data(as_text=True)
    assert "含有不允许的字符" in body
    body = client.post("/users/new", data={"login": "lonely", "role": "teacher", "submit": "1"}).get_data(as_text=True)
    assert "教师账号须指定一名存在的教师" in body
    body = client.post("/users/new", data={"login": "", "role": "bureau", "submit": "1"}).get_data(as_text=True)
    assert "不能为空" in body and "太短" not in body
    body = client.post("/users/new", data={"login": "x", "role": "bureau", "submit": "1"}).get_data(as_text=True)
    assert "太短（至少 2 个字符）" in body
    assert sorted(db.session.scalars(select(User.login))) == ["root", "taken"]


def test_listing_a_schools_teachers_offers_only_those_without_an_account_and_saves_nothing(make, client, login, admin, school):
    free = make.teacher(school, name="王芳")
    make.user("teacher", teacher=make.teacher(school, name="李明"))
    make.teacher(make.school(name="乙校"), name="外校教师")
    login(admin)
    body = client.post("/users/new", data={"login": "wangfang", "role": "teacher", "school_id": school.id,
                                           "list_teachers": "1"}).get_data(as_text=True)
    assert f'<option value="{free.id}">王芳</option>' in body
    assert "李明" not in body and "外校教师" not in body
    assert db.session.scalar(select(User.id).where(User.login == "wangfang")) is None
    response = client.post("/users/new", data={"login": "wangfang", "role": "teacher", "school_id": school.id,
                                               "teacher_id": free.id, "submit": "1"})
    one_time_password(response)
    account = db.session.scalar(select(User).where(User.login == "wangfang"))
    assert (account.teacher_id, account.school_id, account.display_name) == (free.id, school.id, "王芳")


def test_the_new_account_page_can_start_with_the_role_and_school_chosen(client, login, admin, school):
    login(admin)
    body = client.get(f"/users/new?role=school_hr&school_id={school.id}").get_data(as_text=True)
    assert f'<option selected value="{school.id}">甲校</option>' in body
    assert '<option selected value="school_hr">' in body


# --- editing, disabling, resetting ------------------------------------------------------------------------------


def test_the_administrator_moves_an_hr_account_to_another_school_and_the_change_is_recorded(make, client, login, admin, school):
    other = make.school(name="乙校")
    hr = make.user("school_hr", school=school, login="hr-move", display_name="人事处")
    login(admin)
    response = client.post(f"/users/{hr.id}", data={"role": "school_hr", "school_id": other.id, "display_name": "乙校人事处",
                                                    "submit": "1"})
    assert response.headers["Location"] == f"/users/{hr.id}"
    assert "账号 hr-move 已保存。" in client.get(f"/users/{hr.id}").get_data(as_text=True)
    [event] = account_events(hr.id)
    assert (event.action, event.actor_id) == ("update", admin.id)
    assert event.changes == {"before": {"display_name": "人事处", "school_id": school.id},
                             "after": {"display_name": "乙校人事处", "school_id": other.id}}


def test_an_edit_that_breaks_a_rule_says_so_by_field_and_keeps_the_account(make, client, login, admin, school):
    hr = make.user("school_hr", school=school)
    login(admin)
    body = client.post(f"/users/{hr.id}", data={"role": "school_hr", "school_id": "", "submit": "1"}).get_data(as_text=True)
    assert "学校人事账号须指定一所存在的学校" in body
    assert db.session.get(User, hr.id).school_id == school.id and account_events(hr.id) == []


def test_an_administrator_cannot_change_their_own_role(admin):
    with pytest.raises(Invalid) as refused:
        update_account(admin, admin.id, {"role": "bureau"})
    assert refused.value.errors == {"role": "不能更改自己的角色；请由另一位管理员操作。"}


def test_the_command_line_cannot_disable_the_last_active_administrator(make, cli, admin):
    other = make.user("admin", login="second")
    assert cli("users", "disable", "second").exit_code == 0
    result = cli("users", "disable", "root")
    assert result.exit_code == 1 and "这是最后一个可用的管理员账号，不能停用" in result.stderr
    assert db.session.get(User, admin.id).active and not db.session.get(User, other.id).active


def test_disabling_asks_first_and_enabling_lets_the_account_sign_in_again(make, client, login, admin):
    bureau = make.user("bureau", login="kezhang")
    login(admin)
    page = client.get(f"/users/{bureau.id}").get_data(as_text=True)
    assert f'action="/users/{bureau.id}/disable" data-confirm="确定停用 kezhang 吗？' in page
    assert "已停用" in client.post(f"/users/{bureau.id}/disable", follow_redirects=True).get_data(as_text=True)
    assert authenticate("kezhang", make.PASSWORD) is None
    assert "已启用" in client.post(f"/users/{bureau.id}/enable", follow_redirects=True).get_data(as_text=True)
    assert authenticate("kezhang", make.PASSWORD) is not None
    assert [e.action for e in account_events(bureau.id)] == ["disable", "enable"]


def test_an_administrator_disabling_themself_is_told_why_not(client, login, admin):
    login(admin)
    page = client.get(f"/users/{admin.id}").get_data(as_text=True)
    assert "停用账号" not in page and "这是您自己的账号" in page
    body = client.post(f"/users/{admin.id}/disable", follow_redirects=True).get_data(as_text=True)
    assert "不能停用自己的账号。" in body and db.session.get(User, admin.id).active


def test_a_reset_from_the_account_page_shows_a_one_time_password_once(app, make, client, login, admin):
    bureau = make.user("bureau", login="forgot")
    login(admin)
    response = client.post(f"/users/{bureau.id}/reset-password")
    plain = one_time_password(response)
    assert "密码已重置" in response.get_data(as_text=True) and response.headers["Cache-Control"] == "no-store"
    assert authenticate("forgot", make.PASSWORD) is None
    assert app.test_client().post("/login", data={"login": "forgot", "password": plain}).headers["Location"] == "/account/password"
    assert "待修改一次性密码" in client.get("/users/?q=forgot").get_data(as_text=True)


def test_the_account_page_shows_its_history_with_the_administrators_name(make, client, login, admin):
    bureau = make.user("bureau", login="kezhang")
    set_user_active(admin, bureau.id, False)
    login(admin)
    body = client.get(f"/users/{bureau.id}").get_data(as_text=True)
    assert "信息中心" in body and "停用" in body


def test_an_unknown_account_is_not_found(client, login, admin):
    login(admin)
    assert client.get("/users/987654").status_code == 404
    assert client.post("/users/987654/disable").status_code == 404


# --- school HR: a teacher's sign-in account --------------------------------------------------------------------


def test_hr_creates_a_teachers_account_with_the_proposed_login_and_the_teacher_must_change_the_password(
        app, make, client, login, hr, school):
    teacher = make.teacher(school, name="张宏伟")
    login(hr)
    page = client.get(f"/teachers/{teacher.id}").get_data(as_text=True)
    assert "创建登录账号" in page and 'value="zhanghongwei"' in page
    response = client.post(f"/teachers/{teacher.id}/account", data={"login": "zhanghongwei"})
    plain = one_time_password(response)
    account = db.session.scalar(select(User).where(User.teacher_id == teacher.id))
    assert (account.login, account.role, account.school_id, account.must_change_password) == ("zhanghongwei", "teacher", school.id, True)
    [event] = account_events(account.id)
    assert (event.action, event.actor_id, event.teacher_id) == ("create", hr.id, teacher.id)

    page = client.get(f"/teachers/{teacher.id}").get_data(as_text=True)
    assert 'id="account-login">zhanghongwei<' in page and "待本人首次登录修改一次性密码" in page and "创建登录账号" not in page
    teacher_browser = app.test_client()
    assert teacher_browser.post("/login", data={"login": "zhanghongwei", "password": plain}).headers["Location"] == "/account/password"


def test_the_proposed_login_skips_those_taken(make, hr, school):
    make.user("bureau", login="wangfang")
    make.user("bureau", login="wangfang2")
    assert user_service.proposed_login(make.teacher(school, name="王芳")) == "wangfang3"


def test_a_taken_login_or_a_second_account_is_refused_with_a_message(make, client, login, hr, school):
    make.user("bureau", login="taken")
    teacher = make.teacher(school, name="王芳")
    login(hr)
    body = client.post(f"/teachers/{teacher.id}/account", data={"login": "taken"}, follow_redirects=True).get_data(as_text=True)
    assert "未创建登录账号：登录名“taken”该登录名已被使用，请换一个。" in body
    one_time_password(client.post(f"/teachers/{teacher.id}/account", data={"login": "wangfang"}))
    body = client.post(f"/teachers/{teacher.id}/account", data={"login": "wangfang-2"}, follow_redirects=True).get_data(as_text=True)
    assert "该教师已有登录账号" in body
    assert db.session.scalar(select(User.id).where(User.login == "wangfang-2")) is None


def test_hr_resets_a_teachers_password_and_sees_a_one_time_password(make, client, login, hr, school):
    teacher = make.teacher(school, name="王芳")
    make.user("teacher", teacher=teacher, login="wangfang")
    login(hr)
    page = client.get(f"/teachers/{teacher.id}").get_data(as_text=True)
    assert f'action="/teachers/{teacher.id}/account/reset-password" data-confirm="确定重置 王芳 的登录密码吗？' in page
    plain = one_time_password(client.post(f"/teachers/{teacher.id}/account/reset-password"))
    assert authenticate("wangfang", plain) is not None and authenticate("wangfang", make.PASSWORD) is None


def test_teacher_accounts_are_hrs_of_the_teachers_own_school_only(make, school):
    teacher = make.teacher(school)
    other_hr = make.user("school_hr", school=make.school(name="乙校"))
    with pytest.raises(NotFound):
        user_service.create_teacher_account(other_hr, teacher.id, "someone")
    for role in ("bureau", "admin"):
        with pytest.raises(Forbidden):
            user_service.create_teacher_account(make.user(role), teacher.id, "someone")
    assert user_service.teacher_account_state(make.user("bureau"), teacher) is None


def test_resetting_a_teacher_without_an_account_is_not_found(make, hr, school):
    with pytest.raises(NotFound):
        user_service.reset_teacher_password(hr, make.teacher(school).id)


def test_the_teacher_page_shows_no_account_section_to_other_roles(make, client, login, school):
    teacher = make.teacher(school)
    login(make.user("bureau"))
    assert 'id="account"' not in client.get(f"/teachers/{teacher.id}").get_data(as_text=True)
