"""My account (/account), for every role: who I am, my recent sign-ins, my password, my language, my API tokens."""
from __future__ import annotations

import pytest
from flask import g
from flask_migrate import upgrade
from sqlalchemy import select, text

from registry.errors import Invalid
from registry.extensions import db
from registry.models import AuditEvent, User
from registry.services.users import create_token, revoke_token, set_language


@pytest.mark.parametrize("role", ["teacher", "school_hr", "bureau", "admin"])
def test_every_role_reaches_its_account_page_from_the_navigation(make, client, login, role):
    user = make.user(role, teacher=make.teacher() if role == "teacher" else None,
                     school=make.school() if role == "school_hr" else None)
    login(user)
    assert 'href="/account"' in client.get("/").get_data(as_text=True)
    body = client.get("/account").get_data(as_text=True)
    assert user.login in body
    assert 'href="/account/password"' in body and 'href="/tokens"' in body and "界面语言" in body


def test_the_account_page_lists_recent_sign_ins_with_failures_marked(make, app, client, login, frozen_today):
    user = make.user("bureau")
    app.test_client().post("/login", data={"login": user.login, "password": "not-the-password"})
    login(user)
    body = client.get("/account").get_data(as_text=True)
    assert body.count("2026-11-28 10:00") == 2
    assert "密码错误" in body and "成功" in body and "如有不是您本人的登录" in body


def test_the_account_page_shows_only_the_tokens_still_in_force(make, client, login):
    user = make.user("bureau")
    create_token(user, "报表脚本")
    revoked, _plain = create_token(user, "旧脚本")
    revoke_token(user, revoked.id)
    login(user)
    body = client.get("/account").get_data(as_text=True)
    assert "报表脚本" in body and "旧脚本" not in body and "从未使用" in body


def test_the_account_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- language: the account's choice, else the browser's, else Chinese --------------------------------------------


def page_language(client, **headers) -> str:
    """The <html lang> of the account page. The tests' request context shares its `g` with the client's requests,
    where Flask-Babel caches the locale: forgotten first, as each request of a real server starts without it."""
    g.pop("_flask_babel", None)
    body = client.get("/account", headers=headers).get_data(as_text=True)
    return body.split('<html lang="', 1)[1].split('"', 1)[0]


def test_without_a_choice_the_browser_decides_and_chinese_is_the_default(make, client, login):
    login(make.user("bureau"))
    assert page_language(client) == "zh-CN"
    assert page_language(client, **{"Accept-Language": "en-US,en;q=0.8"}) == "en"
    assert page_language(client, **{"Accept-Language": "fr"}) == "zh-CN"


def test_a_language_saved_on_the_account_wins_over_the_browser_on_every_browser(make, app, client, login):
    user = make.user("bureau")
    login(user)
    response = client.post("/account/language", data={"language": "en"})
    assert response.headers["Location"] == "/account"
    assert db.session.get(User, user.id).language == "en"
    assert page_language(client, **{"Accept-Language": "zh-CN"}) == "en"
    other = app.test_client()
    other.post("/login", data={"login": user.login, "password": make.PASSWORD})
    assert page_language(other, **{"Accept-Language": "zh-CN"}) == "en"


def test_choosing_to_follow_the_browser_again_clears_the_choice(make, client, login):
    user = make.user("bureau")
    set_language(user, "en")
    login(user)
    client.post("/account/language", data={"language": ""})
    assert db.session.get(User, user.id).language is None
    assert page_language(client, **{"Accept-Language": "zh-CN"}) == "zh-CN"


def test_a_language_the_registry_does_not_offer_is_refused_in_chinese(make, client, login):
    user = make.user("bureau")
    login(user)
    body = client.post("/account/language", data={"language": "fr"}).get_data(as_text=True)
    assert "不是允许的取值" in body
    assert db.session.get(User, user.id).language is None
    with pytest.raises(Invalid):
        set_language(user, "de")


def test_a_language_change_is_recorded_on_the_account(make, ctx):
    user = make.user("bureau")
    set_language(user, "en")
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.action == "update")).all()
    assert (event.actor_id, event.changes) == (user.id, {"before": {"language": None}, "after": {"language": "en"}})


# --- the migration ----------------------------------------------------------------------------------------------


def test_the_upgrade_gives_existing_accounts_their_last_sign_in_from_the_trail(make_app, tmp_path):
    application = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'upgrade.sqlite'}")
    with application.app_context():
        upgrade(revision="b8d2f1e3c4a5")
        db.session.execute(text(
            "INSERT INTO \"user\" (id, login, password_hash, role, display_name, active, created_at, session_token, "
            "must_change_password) VALUES (1, 'a', 'h', 'bureau', 'a', 1, '2026-01-01', 't1', 0), "
            "(2, 'b', 'h', 'bureau', 'b', 1, '2026-01-01', 't2', 0)"))
        db.session.execute(text(
            "INSERT INTO audit_event (at, actor_id, action, entity, entity_id, changes, prev_hash, hash) VALUES "
            "('2026-03-01 08:00:00.000000+00:00', 1, 'sign_in', 'user', 1, '{}', 'p1', 'h1'), "
            "('2026-04-02 09:30:00.000000+00:00', 1, 'sign_in', 'user', 1, '{}', 'p2', 'h2'), "
            "('2026-05-01 08:00:00.000000+00:00', NULL, 'sign_in_failed', 'user', 1, '{}', 'p3', 'h3')"))
        db.session.commit()
        upgrade(revision="c3d4e5f6a7b8")
        rows = db.session.execute(text('SELECT login, last_signed_in_at, language FROM "user" ORDER BY id')).all()
        db.session.remove()
        db.engine.dispose()
    assert [(login, str(at)[:16] if at else None, language) for login, at, language in rows] == [
        ("a", "2026-04-02 09:30", None), ("b", None, None)]
