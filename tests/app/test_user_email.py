"""An account's e-mail address and its choice of reminder e-mails: on the account page, in the administrator's
account form, in `flask users create --email` and in the users API; checked by email-validator, audited."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from registry.errors import Invalid
from registry.extensions import db
from registry.models import AuditEvent, User
from registry.services.users import set_reminder_choices

BAD = "不是有效的电子邮件地址"


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def last_event(user: User) -> AuditEvent:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == user.id)
                              .order_by(AuditEvent.id.desc())).first()


@pytest.fixture
def admin(make):
    return make.user("admin", login="root")


# --- the account page --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["teacher", "school_hr", "bureau", "admin"])
def test_every_role_chooses_its_reminders_on_its_account_page(make, client, login, role):
    user = make.user(role, teacher=make.teacher() if role == "teacher" else None,
                     school=make.school() if role == "school_hr" else None)
    login(user)
    body = client.get("/account").get_data(as_text=True)
    assert 'id="reminders"' in body and "电子邮件地址" in body and "通过电子邮件接收提醒" in body
    assert '<input checked class="form-check-input" id="email_reminders" name="email_reminders" type="checkbox"' in body
    response = client.post("/account/reminders", data={"email": " Li.Hua@Example.COM ", "email_reminders": "y"})
    assert response.status_code == 302 and response.headers["Location"] == "/account#reminders"
    assert (reload(user).email, reload(user).email_reminders) == ("Li.Hua@example.com", True)
    assert 'value="Li.Hua@example.com"' in client.get("/account").get_data(as_text=True)


def test_unticking_the_choice_and_emptying_the_address_are_kept_and_audited(make, client, login):
    user = make.user("bureau")
    set_reminder_choices(user, "zhao@example.edu.cn", True)
    login(user)
    client.post("/account/reminders", data={"email": ""})
    assert (reload(user).email, reload(user).email_reminders) == (None, False)
    event = last_event(user)
    assert (event.action, event.actor_id) == ("update", user.id)
    assert event.changes == {"before": {"email": "zhao@example.edu.cn", "email_reminders": True},
                             "after": {"email": None, "email_reminders": False}}


@pytest.mark.parametrize("address", ["zhao", "zhao@", "zhao@example", "zhao @example.com", "zhao@localhost",
                                     "a" * 250 + "@example.com", "李晓燕@example.com"])
def test_a_bad_address_is_named_on_its_field_in_chinese_and_nothing_changes(make, client, login, address):
    user = make.user("bureau")
    set_reminder_choices(user, "zhao@example.com", True)
    login(user)
    response = client.post("/account/reminders", data={"email": address, "email_reminders": "y"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and BAD in body and 'id="reminders"' in body
    assert reload(user).email == "zhao@example.com"


def test_a_chinese_domain_is_kept_in_the_ascii_form_every_mail_server_accepts(make):
    user = set_reminder_choices(make.user("bureau"), "li@例子.中国", True)
    assert user.email == "li@xn--fsqu00a.xn--fiqs8s"


def test_the_service_names_the_field(make):
    with pytest.raises(Invalid) as caught:
        set_reminder_choices(make.user("bureau"), "not-an-address", True)
    assert caught.value.errors == {"email": "不是有效的电子邮件地址，应形如 zhangsan@example.com"}


def test_the_account_page_says_when_no_mail_server_is_configured(app, make, client, login, monkeypatch):
    login(make.user("bureau"))
    assert "本系统尚未配置邮件服务器，提醒只在系统内显示" in client.get("/account").get_data(as_text=True)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.edu.cn")
    assert "本系统尚未配置邮件服务器" not in client.get("/account").get_data(as_text=True)


def test_saving_the_language_keeps_the_reminder_choices_as_they_were(make, client, login):
    user = make.user("bureau")
    set_reminder_choices(user, "zhao@example.com", True)
    login(user)
    client.post("/account/language", data={"language": "en"})
    assert (reload(user).email, reload(user).email_reminders) == ("zhao@example.com", True)


# --- the administrator's account form -------------------------------------------------------------------------------


def test_the_administrator_gives_a_new_account_an_address(client, login, admin):
    login(admin)
    client.post("/users/new", data={"login": "bureau-wang", "role": "bureau", "email": "wang@example.gov.cn", "submit": "1"})
    user = db.session.scalar(select(User).where(User.login == "bureau-wang"))
    assert user.email == "wang@example.gov.cn" and user.email_reminders is True
    assert last_event(user).changes["after"]["email"] == "wang@example.gov.cn"


def test_the_administrator_changes_and_clears_an_accounts_address(make, client, login, admin):
    user = make.user("bureau")
    login(admin)
    client.post(f"/users/{user.id}", data={"role": "bureau", "email": "wang@example.gov.cn", "submit": "1"})
    assert reload(user).email == "wang@example.gov.cn"
    page = client.get(f"/users/{user.id}").get_data(as_text=True)
    assert 'value="wang@example.gov.cn"' in page and "接收（wang@example.gov.cn）" in page
    client.post(f"/users/{user.id}", data={"role": "bureau", "email": "", "submit": "1"})
    assert reload(user).email is None


def test_the_administrators_form_refuses_a_bad_address_by_field(make, client, login, admin):
    user = make.user("bureau")
    login(admin)
    body = client.post(f"/users/{user.id}", data={"role": "bureau", "email": "wang@", "submit": "1"}).get_data(as_text=True)
    assert BAD in body and reload(user).email is None
    body = client.post("/users/new", data={"login": "nobody", "role": "bureau", "email": "x", "submit": "1"}).get_data(as_text=True)
    assert BAD in body and db.session.scalar(select(User).where(User.login == "nobody")) is None


# --- the command line and the API ---------------------------------------------------------------------------------


def test_users_create_takes_an_email_address(cli, app):
    result = cli("users", "create", "bureau1", "--role", "bureau", "--password", "long-enough-1", "--email", "Zhao@Example.com")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.email).where(User.login == "bureau1")) == "Zhao@example.com"


def test_users_create_refuses_a_bad_address_with_exit_1_and_a_chinese_message(cli, app):
    result = cli("users", "create", "bureau2", "--role", "bureau", "--password", "long-enough-1", "--email", "zhao@")
    assert result.exit_code == 1 and f"email: {BAD}" in result.output and "Traceback" not in result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.login == "bureau2")) is None


def test_the_users_api_takes_and_shows_the_address(make, client, admin):
    headers = make.token(admin)
    created = client.post("/api/v1/users", headers=headers, json={"login": "api-user", "role": "bureau",
                                                                 "password": "long-enough-1", "email": "api@example.com"})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["email"] == "api@example.com" and created.get_json()["email_reminders"] is True
    listed = {item["login"]: item for item in client.get("/api/v1/users", headers=headers).get_json()["items"]}
    assert listed["api-user"]["email"] == "api@example.com" and listed["root"]["email"] is None


def test_the_users_api_refuses_a_bad_address_by_field(make, client, admin):
    response = client.post("/api/v1/users", headers=make.token(admin),
                           json={"login": "api-bad", "role": "bureau", "password": "long-enough-1", "email": "@example.com"})
    assert response.status_code == 400 and response.get_json()["errors"] == {"email": "不是有效的电子邮件地址，应形如 zhangsan@example.com"}


def test_the_openapi_document_describes_the_address(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    user_in = next(schema for name, schema in schemas.items() if name.startswith("UserIn"))
    assert {"format": "email", "maxLength": 254, "type": "string"} in user_in["properties"]["email"]["anyOf"]
    assert "email" in schemas["User"]["properties"] and "email_reminders" in schemas["User"]["properties"]
