import pytest

from registry import create_app
from registry.config import TestConfig
from registry.extensions import limiter


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
    from registry.extensions import db

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


def test_sign_in_is_rate_limited(app, client):
    limiter.reset()
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [client.post("/login", data={}).status_code for _ in range(4)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = TestConfig.LOGIN_RATE_LIMIT
        limiter.reset()
    assert codes == [200, 200, 200, 429]
