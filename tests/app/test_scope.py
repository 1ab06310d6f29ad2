"""Each role sees exactly its scope on the pages of the foundation."""
import pytest


@pytest.fixture
def world(make):
    own, other = make.school(name="甲校"), make.school(name="乙校")
    mine = make.teacher(own, name="本校教师")
    theirs = make.teacher(other, name="外校教师")
    return {
        "own": own, "other": other, "mine": mine, "theirs": theirs,
        "hr": make.user("school_hr", school=own),
        "teacher": make.user("teacher", teacher=mine),
        "bureau": make.user("bureau"),
        "admin": make.user("admin"),
    }


@pytest.mark.parametrize("role, sees_own, sees_other", [("hr", True, False), ("bureau", True, True), ("admin", True, True)])
def test_the_teacher_list_shows_only_the_callers_scope(world, login, role, sees_own, sees_other):
    page = login(world[role]).get("/teachers/").get_data(as_text=True)
    assert ("本校教师" in page) is sees_own
    assert ("外校教师" in page) is sees_other


def test_a_teacher_cannot_open_the_teacher_list(world, login):
    assert login(world["teacher"]).get("/teachers/").status_code == 403


@pytest.mark.parametrize(
    "role, target, status",
    [
        ("hr", "mine", 200), ("hr", "theirs", 404),
        ("teacher", "mine", 200), ("teacher", "theirs", 404),
        ("bureau", "theirs", 200), ("admin", "theirs", 200),
    ],
)
def test_a_teacher_page_is_visible_only_inside_the_scope(world, login, role, target, status):
    assert login(world[role]).get(f"/teachers/{world[target].id}").status_code == status


@pytest.mark.parametrize("role, target, status", [("hr", "own", 200), ("hr", "other", 404), ("bureau", "other", 200), ("teacher", "other", 404)])
def test_a_school_page_is_visible_only_inside_the_scope(world, login, role, target, status):
    assert login(world[role]).get(f"/schools/{world[target].id}").status_code == status


def test_the_id_number_is_masked_for_the_bureau_and_shown_to_hr(world, login, client):
    number = world["mine"].id_number
    assert number in login(world["hr"]).get(f"/teachers/{world['mine'].id}").get_data(as_text=True)
    client.post("/logout")
    page = login(world["bureau"]).get(f"/teachers/{world['mine'].id}").get_data(as_text=True)
    assert number not in page and number[:6] + "********" + number[-4:] in page


def test_a_teacher_lands_on_their_own_standing(world, login):
    page = login(world["teacher"]).get("/").get_data(as_text=True)
    assert "本校教师" in page and "企业实践" in page


def test_a_missing_teacher_is_a_chinese_404_page(world, login):
    response = login(world["bureau"]).get("/teachers/999999")
    assert response.status_code == 404
    assert "找不到" in response.get_data(as_text=True)


def test_a_bad_as_of_date_is_reported_and_replaced_by_today(world, login):
    response = login(world["bureau"]).get(f"/teachers/{world['mine'].id}?as_of=2024-02-30")
    assert response.status_code == 200
    assert "不是有效日期" in response.get_data(as_text=True)


def test_a_bad_page_number_never_breaks_the_list(world, login):
    assert login(world["bureau"]).get("/teachers/?page=abc&school_id=x").status_code == 200
