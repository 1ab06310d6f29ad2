"""GET/POST/PATCH/DELETE /api/v1/teachers and /api/v1/schools, with api.md's scope and errors."""
import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import AuditEvent, Teacher, User
from tests.app.factories import id_number


@pytest.fixture
def world(make):
    own, other = make.school(name="甲校"), make.school(name="乙校")
    mine, theirs = make.teacher(own, name="本校教师"), make.teacher(other, name="外校教师")
    users = {
        "hr": make.user("school_hr", school=own),
        "teacher": make.user("teacher", teacher=mine),
        "bureau": make.user("bureau"),
        "admin": make.user("admin"),
    }
    return {"own": own, "other": other, "mine": mine, "theirs": theirs, **{k: make.token(u) for k, u in users.items()}}


def new_teacher(**fields):
    body = {
        "name": "新教师", "id_number": id_number(), "gender": "female", "course_type": "specialty",
        "specialty": "工业机器人", "post_type": "fixed", "hire_date": "2024-09-01", "hire_channel": "open",
        "education": "bachelor", "leadership": False, "left_date": None,
    }
    body.update(fields)
    return body


def teacher_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Teacher))


def test_no_token_or_a_bad_token_gets_401(client, world):
    assert client.get("/api/v1/teachers").status_code == 401
    assert client.get("/api/v1/teachers", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/api/v1/teachers").get_json()["error"]


def test_a_revoked_token_no_longer_works(client, make):
    from registry.services.users import create_token, revoke_token

    user = make.user("bureau")
    token, plain = create_token(user)
    revoke_token(user, token.id)
    assert client.get("/api/v1/schools", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


@pytest.mark.parametrize("role, names", [("hr", {"本校教师"}), ("teacher", {"本校教师"}), ("bureau", {"本校教师", "外校教师"})])
def test_the_teacher_list_is_scoped_to_the_caller(client, world, role, names):
    body = client.get("/api/v1/teachers", headers=world[role]).get_json()
    assert {t["name"] for t in body["items"]} == names
    assert body["total"] == len(names) and body["page"] == 1


def test_the_list_pages_and_searches(client, world, make):
    for i in range(5):
        make.teacher(world["own"], name=f"分页{i}")
    body = client.get("/api/v1/teachers?q=分页&per_page=2&page=2", headers=world["bureau"]).get_json()
    assert body["total"] == 5 and body["per_page"] == 2 and len(body["items"]) == 2


@pytest.mark.parametrize("query", ["per_page=201", "per_page=0", "page=x", "school_id=abc"])
def test_bad_paging_is_a_400_naming_the_parameter(client, world, query):
    response = client.get(f"/api/v1/teachers?{query}", headers=world["bureau"])
    assert response.status_code == 400
    assert query.split("=")[0] in response.get_json()["errors"]


def test_hr_creates_a_teacher_in_its_own_school_whatever_the_body_says(client, world):
    response = client.post("/api/v1/teachers", json=new_teacher(school_id=world["other"].id), headers=world["hr"])
    assert response.status_code == 201
    body = response.get_json()
    assert body["school_id"] == world["own"].id
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "teacher", AuditEvent.entity_id == body["id"])).action == "create"


@pytest.mark.parametrize("role", ["teacher", "bureau", "admin"])
def test_only_school_hr_may_create_teachers(client, world, role):
    assert client.post("/api/v1/teachers", json=new_teacher(), headers=world[role]).status_code == 403


@pytest.mark.parametrize(
    "field, value",
    [
        ("id_number", "210603199001010010"),  # wrong check digit
        ("id_number", "21060319900230001X"),  # no 30 February
        ("id_number", "12345"),
        ("hire_date", "2024-02-30"),
        ("hire_date", "01/09/2024"),
        ("hire_date", 20240901),
        ("course_type", "music"),
        ("education", "college"),
        ("gender", "unknown"),
        ("name", ""),
        ("name", 5),
        ("leadership", "maybe"),
        ("left_date", "2020-01-01"),  # before the hire date
        ("hire_date", "2099-01-01"),  # more than a year ahead
    ],
)
def test_every_bad_field_is_a_400_and_nothing_is_written(client, world, field, value):
    before = teacher_count()
    response = client.post("/api/v1/teachers", json=new_teacher(**{field: value}), headers=world["hr"])
    assert response.status_code == 400
    assert field in response.get_json()["errors"]
    assert teacher_count() == before


def test_every_bad_field_is_named_at_once(client, world):
    response = client.post("/api/v1/teachers", json={"name": "", "gender": "x"}, headers=world["hr"])
    errors = response.get_json()["errors"]
    assert {"name", "gender", "id_number", "hire_date", "course_type"} <= set(errors)
    assert errors["id_number"] == "必填项"


def test_a_body_that_is_not_a_json_object_is_a_400(client, world):
    response = client.post("/api/v1/teachers", data="[1,2]", content_type="application/json", headers=world["hr"])
    assert response.status_code == 400
    assert client.post("/api/v1/teachers", data="{", content_type="application/json", headers=world["hr"]).status_code == 400


def test_a_duplicate_identity_number_is_refused(client, world):
    response = client.post("/api/v1/teachers", json=new_teacher(id_number=world["mine"].id_number), headers=world["hr"])
    assert response.status_code == 400
    assert "id_number" in response.get_json()["errors"]


def test_the_id_number_is_masked_except_for_hr_and_admin(client, world):
    number = world["mine"].id_number
    assert client.get(f"/api/v1/teachers/{world['mine'].id}", headers=world["hr"]).get_json()["id_number"] == number
    assert client.get(f"/api/v1/teachers/{world['mine'].id}", headers=world["admin"]).get_json()["id_number"] == number
    masked = client.get(f"/api/v1/teachers/{world['mine'].id}", headers=world["bureau"]).get_json()["id_number"]
    assert masked == number[:6] + "********" + number[-4:]
    assert client.get(f"/api/v1/teachers/{world['mine'].id}", headers=world["teacher"]).get_json()["id_number"] == masked


@pytest.mark.parametrize("role, target, status", [("hr", "theirs", 404), ("teacher", "theirs", 404), ("bureau", "theirs", 200)])
def test_reading_a_teacher_outside_the_scope_is_404(client, world, role, target, status):
    assert client.get(f"/api/v1/teachers/{world[target].id}", headers=world[role]).status_code == status


def test_hr_patches_a_teacher_and_the_change_is_audited(client, world):
    response = client.patch(f"/api/v1/teachers/{world['mine'].id}", json={"specialty": "新能源汽车"}, headers=world["hr"])
    assert response.status_code == 200 and response.get_json()["specialty"] == "新能源汽车"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "update"))
    assert event.changes == {"before": {"specialty": "数控技术"}, "after": {"specialty": "新能源汽车"}}


@pytest.mark.parametrize("role, target, status", [("hr", "theirs", 404), ("bureau", "mine", 403), ("teacher", "mine", 403)])
def test_patch_and_delete_respect_role_and_scope(client, world, role, target, status):
    url = f"/api/v1/teachers/{world[target].id}"
    assert client.patch(url, json={"specialty": "x"}, headers=world[role]).status_code == status
    assert client.delete(url, headers=world[role]).status_code == status


def test_a_bad_patch_changes_nothing(client, world):
    response = client.patch(f"/api/v1/teachers/{world['mine'].id}", json={"hire_date": "2024-13-01", "specialty": "x"}, headers=world["hr"])
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Teacher, world["mine"].id).specialty == "数控技术"


def test_hr_deletes_a_teacher_and_the_trail_survives(client, world):
    teacher_id = world["mine"].id
    assert client.delete(f"/api/v1/teachers/{teacher_id}", headers=world["hr"]).status_code == 204
    assert client.get(f"/api/v1/teachers/{teacher_id}", headers=world["hr"]).status_code == 404
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "delete", AuditEvent.teacher_id == teacher_id))


def test_only_admin_creates_schools_and_everyone_lists_their_own(client, world):
    assert client.post("/api/v1/schools", json={"name": "凤城市职业教育中心", "county": "凤城市"}, headers=world["bureau"]).status_code == 403
    response = client.post("/api/v1/schools", json={"name": "凤城市职业教育中心", "county": "凤城市"}, headers=world["admin"])
    assert response.status_code == 201 and response.get_json()["county"] == "凤城市"
    assert client.post("/api/v1/schools", json={"name": "凤城市职业教育中心", "county": "凤城市"}, headers=world["admin"]).status_code == 400
    assert [s["name"] for s in client.get("/api/v1/schools", headers=world["hr"]).get_json()["items"]] == ["甲校"]
    assert len(client.get("/api/v1/schools", headers=world["bureau"]).get_json()["items"]) == 3


def test_the_teacher_serialiser_masks_the_id_number_unless_the_viewer_may_see_it(world, make):
    from registry.serializers import Teacher as TeacherAnswer
    from registry.serializers import dump

    teacher, number = world["mine"], world["mine"].id_number
    masked = number[:6] + "********" + number[-4:]
    viewers = {
        "school_hr": make.user("school_hr", school=world["own"]), "admin": make.user("admin"),
        "bureau": make.user("bureau"), "teacher": make.user("teacher", teacher=world["theirs"]),
    }
    for role, shown in (("school_hr", number), ("admin", number), ("bureau", masked), ("teacher", masked)):
        assert dump(TeacherAnswer, teacher, viewers[role])["id_number"] == shown, role
    assert dump(TeacherAnswer, teacher, None)["id_number"] == masked  # nobody named: masked


def test_the_page_and_the_api_read_the_teacher_list_query_alike(client, world, make, login):
    for i in range(3):
        make.teacher(world["own"], name=f"查找{i}")
    make.teacher(world["other"], name="查找外校")
    query = {"q": " 查找 ", "school_id": world["own"].id, "per_page": 2, "page": 2}
    api = client.get("/api/v1/teachers", query_string=query, headers=world["bureau"]).get_json()
    assert (api["total"], api["page"], api["per_page"], [t["name"] for t in api["items"]]) == (3, 2, 2, ["查找2"])
    bureau = db.session.scalar(select(User).where(User.role == "bureau"))
    page = login(bureau).get("/teachers/", query_string=query).get_data(as_text=True)
    assert "查找2" in page and "查找0" not in page and "查找外校" not in page
    # a bad parameter: the API names it, the page leaves it out
    assert set(client.get("/api/v1/teachers?school_id=x&per_page=900", headers=world["bureau"]).get_json()["errors"]) == {
        "school_id", "per_page"}
    page = client.get("/teachers/", query_string={"q": "查找", "school_id": "x"}).get_data(as_text=True)
    assert "查找外校" in page and "查找0" in page
