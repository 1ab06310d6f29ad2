"""Each role sees exactly its scope on the pages of the foundation."""
import pytest

from tests.app.factories import id_number
from tests.app.inputs import teacher_form


@pytest.fixture
def world(make):
    own, other = make.school(name="甲校"), make.school(name="乙校")
    mine = make.teacher(own, name="本校教师")
    theirs = make.teacher(other, name="外校教师")
    return {"own": own, "other": other, "mine": mine, "theirs": theirs, **make.accounts(own, mine)}


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


@pytest.mark.parametrize("role, target, status", [("hr", "own", 200), ("hr", "other", 404), ("bureau", "other", 200), ("admin", "other", 200)])
def test_a_school_page_is_visible_only_inside_the_scope(world, login, role, target, status):
    assert login(world[role]).get(f"/schools/{world[target].id}").status_code == status


@pytest.mark.parametrize("url", ["/schools/", "/schools/{own}"])
def test_a_teacher_may_not_open_the_school_pages_as_in_the_api(world, login, url):
    client = login(world["teacher"])
    assert client.get(url.format(own=world["own"].id)).status_code == 403
    assert "学校</a>" not in client.get("/").get_data(as_text=True)


def test_the_change_history_masks_id_numbers_for_the_bureau_but_not_for_hr(world, login, client):
    hr = login(world["hr"])
    teacher_id = int(hr.post("/teachers/new", data=teacher_form(name="新教师")).headers["Location"].split("/")[-1])
    number = id_number(1)
    assert hr.get(f"/teachers/{teacher_id}").get_data(as_text=True).count(number) == 2  # basic data and history
    client.post("/logout")
    page = login(world["bureau"]).get(f"/teachers/{teacher_id}").get_data(as_text=True)
    assert "变更记录" in page and "新教师" in page
    assert number not in page and page.count(number[:6] + "********" + number[-4:]) == 2
