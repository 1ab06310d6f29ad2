"""Page sessions end: on sign-out, password change or reset and disabling (every copy of the cookie), after
SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after signing in; their cookie is HttpOnly,
SameSite=Lax, Secure over HTTPS, and there is no remember-me cookie."""
from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from werkzeug.http import parse_date

from registry.extensions import db
from registry.services.users import reset_password, set_user_active
from tests.conftest import FROZEN_NOW

TIMED_OUT = "登录已超时，请重新登录。"


@pytest.fixture
def second_browser(app, client):
    """second_browser() -> another client holding a copy of `client`'s session cookie (a stolen or second tab)."""

    def copy():
        other = app.test_client()
        other.set_cookie("session", client.get_cookie("session").value)
        return other

    return copy


def lands_on_sign_in(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_an_old_cookie_replayed_after_sign_out_lands_on_the_sign_in_page(make, client, login, second_browser):
    login(make.user("bureau"))
    copy = second_browser()
    assert copy.get("/").status_code == 200
    client.post("/logout")
    assert lands_on_sign_in(copy.get("/"))
    assert lands_on_sign_in(client.get("/"))


def test_signing_out_on_one_browser_ends_the_accounts_session_on_another(make, app, login):
    user = make.user("bureau")
    laptop, phone = app.test_client(), app.test_client()
    for browser in (laptop, phone):
        assert browser.post("/login", data={"login": user.login, "password": make.PASSWORD}).status_code == 302
    laptop.post("/logout")
    assert lands_on_sign_in(phone.get("/"))


def test_a_password_change_keeps_this_browser_signed_in_and_ends_every_other_session(make, client, login, second_browser):
    login(make.user("bureau"))
    copy = second_browser()
    response = client.post("/account/password", data={
        "current_password": make.PASSWORD, "new_password": "tidal-lantern-quarry", "confirm_password": "tidal-lantern-quarry"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert lands_on_sign_in(copy.get("/"))


def test_an_administrators_password_reset_ends_every_session_of_the_account(make, client, login, second_browser):
    user = make.user("bureau")
    login(user)
    copy = second_browser()
    reset_password(None, user.id)
    db.session.commit()
    assert lands_on_sign_in(client.get("/"))
    assert lands_on_sign_in(copy.get("/"))


def test_disabling_an_account_ends_its_sessions_and_enabling_it_again_does_not_revive_them(make, client, login):
    user = make.user("bureau")
    login(user)
    set_user_active(None, user.id, False)
    db.session.commit()
    assert lands_on_sign_in(client.get("/"))
    set_user_active(None, user.id, True)
    db.session.commit()
    assert lands_on_sign_in(client.get("/"))


def test_a_cookie_naming_only_the_account_id_signs_no_one_in(make, client):
    user = make.user("admin")
    with client.session_transaction() as session:  # a cookie signed before session tokens existed
        session.update({"_user_id": str(user.id), "_fresh": True, "signed_in_at": 0, "last_seen_at": 0})
    assert lands_on_sign_in(client.get("/"))


def test_a_session_idle_longer_than_the_limit_ends_with_a_message(make, client, login, time_machine, frozen_today):
    login(make.user("bureau"))
    time_machine.shift(timedelta(minutes=29))
    assert client.get("/").status_code == 200
    time_machine.shift(timedelta(minutes=30, seconds=1))
    response = client.get("/teachers/?q=li")
    assert lands_on_sign_in(response)
    assert "next=/teachers/?q%3Dli" in response.headers["Location"]
    assert TIMED_OUT in client.get(response.headers["Location"]).get_data(as_text=True)
    assert lands_on_sign_in(client.get("/"))


def test_a_session_in_use_ends_after_the_absolute_lifetime(make, client, login, time_machine, frozen_today):
    login(make.user("bureau"))
    for _ in range(24):  # 24 × 29 minutes: 11 h 36 min, never idle for long
        time_machine.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200
    time_machine.shift(timedelta(minutes=25))  # 12 h 1 min after signing in
    response = client.get("/")
    assert lands_on_sign_in(response)
    assert TIMED_OUT in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_limits_come_from_the_configuration(app, make, client, login, time_machine, frozen_today):
    login(make.user("bureau"))
    app.config["SESSION_IDLE_MINUTES"] = 5
    try:
        time_machine.shift(timedelta(minutes=6))
        assert lands_on_sign_in(client.get("/"))
    finally:
        app.config["SESSION_IDLE_MINUTES"] = 30


def test_the_permanent_session_lifetime_follows_the_absolute_limit(make_app):
    assert make_app(SESSION_MAX_HOURS=3).permanent_session_lifetime == timedelta(hours=3)


def test_signing_in_again_over_a_timed_out_session_goes_straight_through(make, client, login, time_machine, frozen_today):
    user = make.user("bureau")
    login(user)
    time_machine.shift(timedelta(hours=1))
    response = client.post("/login", data={"login": user.login, "password": make.PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_api_ignores_page_session_limits(make, client, time_machine, frozen_today):
    headers = make.token(make.user("bureau"))
    time_machine.shift(timedelta(days=3))
    assert client.get("/api/v1/schools", headers=headers).status_code == 200


def session_cookie_header(response) -> str:
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    return header


def test_the_session_cookie_is_http_only_and_same_site_lax_and_not_secure_over_plain_http(make, client):
    user = make.user("bureau")
    header = session_cookie_header(client.post("/login", data={"login": user.login, "password": make.PASSWORD}))
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "Secure" not in header


def test_the_session_cookie_is_secure_when_the_request_came_over_https(make, client):
    user = make.user("bureau")
    response = client.post("/login", data={"login": user.login, "password": make.PASSWORD}, base_url="https://localhost")
    header = session_cookie_header(response)
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def test_signing_in_sets_no_remember_me_cookie(make, client):
    user = make.user("bureau")
    response = client.post("/login", data={"login": user.login, "password": make.PASSWORD})
    assert [h.split("=")[0] for h in response.headers.getlist("Set-Cookie")] == ["session"]
    assert client.get_cookie("remember_token") is None


def test_the_cookie_expires_twelve_hours_after_signing_in_however_often_it_is_used(make, client, login, time_machine,
                                                                                   frozen_today):
    login(make.user("bureau"))
    for _ in range(4):
        time_machine.shift(timedelta(minutes=29))
        response = client.get("/")
    assert response.status_code == 200
    header = session_cookie_header(response)
    expires = parse_date(next(part.split("=", 1)[1] for part in header.split("; ") if part.startswith("Expires=")))
    assert expires == (FROZEN_NOW + timedelta(hours=12)).astimezone(UTC)


def test_the_upgrade_gives_each_existing_account_its_own_session_token(make_app, tmp_path):
    application = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'upgrade.sqlite'}")
    with application.app_context():
        upgrade(revision="689c8c43620d")
        db.session.execute(text(
            "INSERT INTO \"user\" (login, password_hash, role, display_name, active, created_at) VALUES "
            "('a', 'h', 'bureau', 'a', 1, '2026-01-01'), ('b', 'h', 'admin', 'b', 0, '2026-01-01')"))
        db.session.commit()
        upgrade(revision="a7c1e0d2b3f4")
        rows = db.session.execute(text('SELECT session_token, must_change_password FROM "user"')).all()
        db.session.remove()
        db.engine.dispose()
    tokens = [token for token, _must in rows]
    assert len(set(tokens)) == 2 and all(len(token) >= 43 for token in tokens)
    assert [must for _token, must in rows] == [0, 0]
