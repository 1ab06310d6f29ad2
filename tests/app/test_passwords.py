"""The password policy everywhere a password is set, changing one's own password, and an administrator's reset."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from registry.errors import Conflict, Forbidden, Invalid, NotFound
from registry.extensions import db
from registry.models import AuditEvent, User
from registry.services.passwords import check_password, password_problem
from registry.services.users import authenticate, create_user, reset_password, set_user_active

NEW = "tidal-lantern-quarry"


# --- the policy ----------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("ctx")
@pytest.mark.parametrize("password", ["Tr0ub4dor&3", "丹东职教教师登记二〇二", ""])
def test_a_password_shorter_than_twelve_characters_is_refused_however_strong(password):
    assert "至少需要 12 个字符" in password_problem(password)


@pytest.mark.usefixtures("ctx")
def test_length_counts_characters_not_bytes():
    assert password_problem("丹东职教教师登记二〇二六") is None  # 12 characters, 36 bytes in UTF-8


@pytest.mark.usefixtures("ctx")
@pytest.mark.parametrize("password", ["correct horse battery staple", "tidal-lantern-quarry", "Dandong2026!"])
def test_no_composition_rules_a_long_uncommon_password_is_enough(password):
    assert password_problem(password) is None


@pytest.mark.usefixtures("ctx")
@pytest.mark.parametrize("password", ["password1234", "123456789012", "qwertyuiop12", "passwordpassword", "a" * 40])
def test_common_and_patterned_passwords_are_refused_as_easy_to_guess(password):
    assert "太容易被猜到" in password_problem(password)


@pytest.mark.usefixtures("ctx")
def test_a_password_built_from_the_accounts_own_login_is_refused():
    assert password_problem("zhangweiming2026") is None
    assert "太容易被猜到" in password_problem("zhangweiming2026", ["zhangweiming"])


@pytest.mark.usefixtures("ctx")
def test_more_than_two_hundred_characters_is_refused_and_two_hundred_are_accepted():
    long_sentence = "tidal lantern quarry beside the yalu river, " * 5
    assert password_problem(long_sentence[:200]) is None
    assert "最多 200 个字符" in password_problem(long_sentence[:201])


@pytest.mark.usefixtures("ctx")
def test_a_long_password_is_judged_by_its_first_72_characters():
    assert password_problem("a" * 72 + "tidal lantern quarry beside the yalu river") is not None


@pytest.mark.usefixtures("ctx")
def test_check_password_names_the_field_it_was_given():
    with pytest.raises(Invalid) as refused:
        check_password("password1234", field="new_password")
    assert set(refused.value.errors) == {"new_password"}


# --- every place that sets a password ------------------------------------------------------------------------


@pytest.mark.usefixtures("ctx")
def test_creating_an_account_refuses_a_weak_password_by_field_and_writes_nothing():
    with pytest.raises(Invalid) as refused:
        create_user(None, {"login": "zhangweiming", "role": "bureau", "password": "zhangweiming2026"})
    assert set(refused.value.errors) == {"password"}
    assert db.session.scalar(select(User.id)) is None


def test_the_api_refuses_a_short_or_weak_password_with_a_field_message(make, client):
    admin = make.token(make.user("admin"))
    for password, message in (("short-one", "至少 12 个字符"), ("password1234", "太容易被猜到")):
        response = client.post("/api/v1/users", json={"login": "kim", "role": "bureau", "password": password}, headers=admin)
        assert response.status_code == 400
        assert message in response.get_json()["errors"]["password"]


def test_the_command_line_refuses_a_weak_password_with_exit_1(cli):
    result = cli("users", "create", "kim", "--role", "bureau", "--password", "password1234")
    assert result.exit_code == 1
    assert "password:" in result.output and "太容易被猜到" in result.output


# --- changing one's own password -----------------------------------------------------------------------------


def change(client, current: str, new: str = NEW, again: str | None = None):
    return client.post("/account/password", data={
        "current_password": current, "new_password": new, "confirm_password": new if again is None else again})


@pytest.mark.parametrize("role", ["teacher", "school_hr", "bureau", "admin"])
def test_every_role_changes_its_own_password_and_signs_in_with_the_new_one_only(make, client, login, role):
    user = make.user(role, teacher=make.teacher() if role == "teacher" else None,
                     school=make.school() if role == "school_hr" else None)
    login(user)
    assert "当前密码" in client.get("/account/password").get_data(as_text=True)
    response = change(client, make.PASSWORD)
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert "密码已修改" in client.get("/").get_data(as_text=True)
    assert authenticate(user.login, NEW) == user
    assert authenticate(user.login, make.PASSWORD) is None


def test_the_change_page_is_linked_in_the_navigation(make, client, login):
    login(make.user("bureau"))
    assert 'href="/account/password"' in client.get("/").get_data(as_text=True)


def test_the_change_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/account/password")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("current", "new", "again", "message"),
    [
        ("wrong-password-1", NEW, None, "当前密码不正确"),
        (None, "password1234", None, "太容易被猜到"),
        (None, "too-short", None, "至少需要 12 个字符"),
        (None, NEW, "tidal-lantern-quarrz", "两次输入的新密码不一致"),
        (None, None, None, "新密码不能与当前密码相同"),
        ("", "", "", "请输入当前密码"),
    ],
)
def test_a_refused_change_says_why_in_chinese_and_keeps_the_old_password(make, client, login, current, new, again, message):
    user = make.user("bureau")
    login(user)
    response = change(client, make.PASSWORD if current is None else current, make.PASSWORD if new is None else new, again)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert authenticate(user.login, make.PASSWORD) == user
    assert client.get("/").status_code == 200


def test_a_password_change_is_recorded_without_any_password_or_hash(make, client, login):
    user = make.user("bureau")
    login(user)
    old_hash = user.password_hash
    change(client, make.PASSWORD)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "password_change")).all()
    assert (event.actor_id, event.entity, event.entity_id) == (user.id, "user", user.id)
    recorded = str(event.changes)
    assert all(secret not in recorded for secret in (NEW, make.PASSWORD, old_hash, user.password_hash, user.session_token))


# --- an administrator's reset --------------------------------------------------------------------------------


def test_a_reset_gives_a_one_time_password_that_opens_only_the_change_page(make, client):
    user = make.user("bureau")
    one_time = reset_password(None, user.id)
    db.session.commit()
    assert password_problem(one_time) is None
    response = client.post("/login", data={"login": user.login, "password": one_time})
    assert response.headers["Location"] == "/account/password"
    assert "您现在使用的是管理员给您的一次性密码" in client.get("/account/password").get_data(as_text=True)
    for page in ("/", "/teachers/", "/tokens", "/bureau/compliance"):
        response = client.get(page)
        assert (response.status_code, response.headers.get("Location")) == (302, "/account/password"), page
    assert change(client, one_time).status_code == 302
    assert client.get("/").status_code == 200
    assert db.session.get(User, user.id).must_change_password is False


def test_the_old_password_no_longer_signs_in_after_a_reset(make):
    user = make.user("bureau")
    reset_password(None, user.id)
    assert authenticate(user.login, make.PASSWORD) is None


def test_each_reset_gives_a_different_one_time_password(make):
    user = make.user("bureau")
    assert reset_password(None, user.id) != reset_password(None, user.id)


def test_a_reset_by_the_administrator_is_recorded_with_its_actor(make):
    admin, user = make.user("admin"), make.user("bureau")
    one_time = reset_password(admin, user.id)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "password_reset")).all()
    assert (event.actor_id, event.entity_id) == (admin.id, user.id)
    assert one_time not in str(event.changes)


@pytest.mark.parametrize("role", ["bureau", "school_hr"])
def test_only_the_administrator_may_reset_passwords_or_disable_accounts(make, role):
    actor = make.user(role, school=make.school() if role == "school_hr" else None)
    target = make.user("bureau")
    with pytest.raises(Forbidden):
        reset_password(actor, target.id)
    with pytest.raises(Forbidden):
        set_user_active(actor, target.id, False)


def test_an_unknown_account_is_not_found(make):
    admin = make.user("admin")
    with pytest.raises(NotFound):
        reset_password(admin, 987654)
    with pytest.raises(NotFound):
        set_user_active(admin, 987654, False)


def test_administrators_cannot_disable_their_own_account(make):
    admin = make.user("admin")
    with pytest.raises(Conflict):
        set_user_active(admin, admin.id, False)
    assert admin.active


def test_disabling_and_enabling_are_recorded_once_each(make):
    admin, user = make.user("admin"), make.user("bureau")
    set_user_active(admin, user.id, False)
    set_user_active(admin, user.id, False)
    set_user_active(admin, user.id, True)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == user.id)
                                .order_by(AuditEvent.id)).all()
    assert [(e.action, e.changes["before"], e.changes["after"]) for e in events] == [
        ("disable", {"active": True}, {"active": False}), ("enable", {"active": False}, {"active": True})]


# --- the command line ----------------------------------------------------------------------------------------


def test_the_reset_command_prints_a_one_time_password_that_signs_in(make, cli, client):
    user = make.user("bureau")
    result = cli("users", "reset-password", user.login)
    assert result.exit_code == 0
    one_time = result.output.strip()
    assert client.post("/login", data={"login": user.login, "password": one_time}).headers["Location"] == "/account/password"


def test_the_disable_and_enable_commands_turn_sign_in_off_and_on(make, cli, client):
    user = make.user("bureau")
    assert cli("users", "disable", user.login).exit_code == 0
    assert authenticate(user.login, make.PASSWORD) is None
    assert cli("users", "enable", user.login).exit_code == 0
    assert authenticate(user.login, make.PASSWORD) == db.session.get(User, user.id)


@pytest.mark.parametrize("command", ["reset-password", "disable", "enable"])
def test_the_account_commands_refuse_an_unknown_login_with_exit_1(cli, command):
    result = cli("users", command, "nobody")
    assert result.exit_code == 1
    assert "没有登录名为 nobody 的账号" in result.output
