"""Who is calling the API: the bearer token's user as `current_user`, never the browser's session cookie."""
import pytest
from flask_login import user_loaded_from_request

from registry.extensions import db
from registry.services.users import create_token, revoke_token


@pytest.fixture
def world(make):
    own, other = make.school(name="甲校"), make.school(name="乙校")
    make.teacher(own, name="本校教师")
    make.teacher(other, name="外校教师")
    return {"hr": make.user("school_hr", school=own), "bureau": make.user("bureau")}


@pytest.fixture
def callers(app):
    """The users Flask-Login loaded from a request (the request loader's answers), in order."""
    loaded = []

    def record(_app, user):
        loaded.append(user.id)

    user_loaded_from_request.connect(record, app)
    yield loaded
    user_loaded_from_request.disconnect(record, app)


def names(response) -> set[str]:
    return {teacher["name"] for teacher in response.get_json()["items"]}


def test_the_token_names_the_caller_request_by_request(client, make, world, callers):
    hr, bureau = make.token(world["hr"]), make.token(world["bureau"])
    assert names(client.get("/api/v1/teachers", headers=hr)) == {"本校教师"}
    assert names(client.get("/api/v1/teachers", headers=bureau)) == {"本校教师", "外校教师"}
    assert names(client.get("/api/v1/teachers", headers=hr)) == {"本校教师"}
    assert callers == [world["hr"].id, world["bureau"].id, world["hr"].id]


def test_a_signed_in_browser_cannot_call_the_api_with_its_cookie(client, login, world):
    login(world["bureau"])
    assert client.get("/teachers/").status_code == 200  # the session works on the pages
    response = client.get("/api/v1/teachers")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")
    response = client.post("/api/v1/schools", json={"name": "凤城市职业教育中心", "county": "凤城市"})
    assert response.status_code == 401


def test_the_api_sets_no_cookie_and_leaves_the_pages_session_alone(client, login, make, world):
    login(world["hr"])
    token = make.token(world["hr"])
    for headers in (token, {**token, "User-Agent": "another browser"}, {}):
        response = client.get("/api/v1/teachers", headers=headers)
        assert "Set-Cookie" not in response.headers
        assert response.status_code == (200 if headers else 401)
    assert "Set-Cookie" not in client.get("/api/v1/openapi.json").headers
    assert client.get("/teachers/").status_code == 200  # still signed in on the pages


def test_the_pages_do_not_take_a_token(client, make, world):
    response = client.get("/teachers/", headers=make.token(world["bureau"]))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_revoked_token_or_a_deactivated_account_is_refused(client, world):
    token, plain = create_token(world["bureau"])
    headers = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/schools", headers=headers).status_code == 200
    revoke_token(world["bureau"], token.id)
    response = client.get("/api/v1/schools", headers=headers)
    assert response.status_code == 401 and response.get_json()["error"]
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")

    _token, plain = create_token(world["hr"])
    world["hr"].active = False
    db.session.commit()
    assert client.get("/api/v1/schools", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "Bearer not-a-token"])
def test_anything_but_a_valid_bearer_token_is_a_401(client, world, header):
    response = client.get("/api/v1/schools", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")
