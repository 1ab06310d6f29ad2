import pytest
from sqlalchemy import select

from registry import create_app
from registry.config import TestConfig
from registry.extensions import db
from registry.models import AuditEvent
from registry.presenters import action_label
from registry.services.audit import verify_chain


def test_the_sign_in_page_is_in_chinese(client):
    page = client.get("/login").get_data(as_text=True)
    assert "登录名" in page and "密码" in page


def test_pages_send_anonymous_visitors_to_sign_in(client):
    response = client.get("/teachers/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_user_signs_in_and_out(make, client, login):
    user = make.user("bureau")
    login(user)
    assert "市教育局" in client.get("/").get_data(as_text=True)
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_a_wrong_password_gets_a_chinese_message_and_no_session(make, client):
    user = make.user("bureau")
    page = client.post("/login", data={"login": user.login, "password": "wrong-password"}).get_data(as_text=True)
    assert "登录名或密码不正确" in page
    assert client.get("/").status_code == 302


def test_an_empty_sign_in_form_names_each_missing_field(client):
    page = client.post("/login", data={}).get_data(as_text=True)
    assert "请输入登录名" in page and "请输入密码" in page


def test_a_deactivated_account_cannot_sign_in(make, client):
    user = make.user("bureau")
    user.active = False
    db.session.commit()
    page = client.post("/login", data={"login": user.login, "password": make.PASSWORD}).get_data(as_text=True)
    assert "登录名或密码不正确" in page


def test_passwords_are_stored_as_argon2_hashes(make):
    user = make.user("bureau")
    assert user.password_hash.startswith("$argon2")


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "/\\/evil.example", "/\t/evil.example", "/\n/evil.example"],
)
def test_sign_in_only_redirects_within_the_site(make, client, target):
    user = make.user("bureau")
    response = client.post("/login", query_string={"next": target}, data={"login": user.login, "password": make.PASSWORD})
    assert response.headers["Location"] == "/"


def test_sign_in_returns_to_the_page_asked_for(make, client):
    user = make.user("bureau")
    response = client.post("/login", query_string={"next": "/teachers/?q=li"}, data={"login": user.login, "password": make.PASSWORD})
    assert response.headers["Location"] == "/teachers/?q=li"


@pytest.fixture
def csrf_app(app):
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config.update(WTF_CSRF_ENABLED=True, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    return create_app(config)


def test_a_form_posted_without_its_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login", data={"login": "someone", "password": "whatever"})
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)


# --- sign-ins in the audit trail -----------------------------------------------------------------------------


def auth_events(*actions: str) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action.in_(actions)).order_by(AuditEvent.id)).all()


def test_a_sign_in_and_a_sign_out_are_recorded_with_the_address(make, client, login):
    user = make.user("bureau")
    login(user)
    client.post("/logout")
    events = auth_events("sign_in", "sign_out")
    assert [(e.action, e.actor_id, e.entity, e.entity_id) for e in events] == [
        ("sign_in", user.id, "user", user.id), ("sign_out", user.id, "user", user.id)]
    assert all(e.changes["after"] == {"address": "127.0.0.1"} for e in events)


def test_a_failed_sign_in_is_recorded_with_the_login_tried_and_never_the_password(make, client):
    user = make.user("teacher", teacher=make.teacher())
    response = client.post("/login", data={"login": user.login, "password": "wrong-password-xyz"},
                           environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 200
    [event] = auth_events("sign_in_failed")
    assert (event.actor_id, event.entity, event.entity_id) == (None, "user", user.id)
    assert event.changes["after"] == {"login": user.login, "address": "10.1.2.3"}
    assert "wrong-password-xyz" not in str(event.changes)
    assert (event.teacher_id, event.school_id) == (None, None)  # sessions stay out of the teacher's change history


def test_a_failed_sign_in_with_an_unknown_login_names_account_zero(ctx, client):
    client.post("/login", data={"login": "nobody-here", "password": "whatever-it-is"})
    [event] = auth_events("sign_in_failed")
    assert (event.entity_id, event.changes["after"]["login"]) == (0, "nobody-here")


def test_a_disabled_account_signing_in_is_recorded_as_a_failure(make, client):
    user = make.user("bureau")
    user.active = False
    db.session.commit()
    client.post("/login", data={"login": user.login, "password": make.PASSWORD})
    assert [(e.action, e.entity_id) for e in auth_events("sign_in", "sign_in_failed")] == [("sign_in_failed", user.id)]


def test_the_change_history_names_the_account_actions_in_chinese(ctx):
    labels = [action_label(a) for a in ("sign_in", "sign_in_failed", "sign_out", "password_change", "password_reset",
                                        "disable", "enable")]
    assert labels == ["登录", "登录失败", "退出登录", "修改密码", "重置密码", "停用", "启用"]


def test_the_sign_in_events_keep_the_audit_chain_intact(make, client, login):
    user = make.user("bureau")
    client.post("/login", data={"login": user.login, "password": "not-the-password"})
    login(user)
    client.post("/logout")
    report = verify_chain()
    assert report.intact and report.count == 3
