"""Codes are read in one plain form however they were typed: through the API, the page forms and the import alike."""
import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.models import EmploymentRecord, Teacher
from tests.app.factories import id_number
from tests.app.inputs import teacher_form

TYPED = [
    ({"post_type": "\u3000ｆｉｘｅｄ\u200b"}, "post_type", "fixed"),
    ({"education": "ＢＡＣＨＥＬＯＲ"}, "education", "bachelor"),
    ({"course_type": " Specialty\ufeff"}, "course_type", "specialty"),
    ({"hire_channel": "ｄｉｒｅｃｔ"}, "hire_channel", "direct"),
    ({"gender": "ｆｅｍａｌｅ"}, "gender", "female"),
    ({"gender": "\u200b女\u3000"}, "gender", "female"),
]


def api_teacher(**fields) -> dict:
    body = {
        "name": "新教师", "id_number": id_number(1), "gender": "male", "course_type": "specialty", "specialty": "工业机器人",
        "post_type": "fixed", "hire_date": "2024-09-01", "hire_channel": "open", "education": "bachelor",
    }
    return {**body, **fields}


@pytest.mark.parametrize("changes, field, stored", TYPED)
def test_a_code_typed_in_full_width_or_with_invisible_characters_is_stored_plain_through_the_api(client, hr, make, changes, field, stored):
    response = client.post("/api/v1/teachers", json=api_teacher(**changes), headers=make.token(hr))
    assert response.status_code == 201, response.get_json()
    assert getattr(db.session.scalar(select(Teacher)), field) == stored


@pytest.mark.parametrize("changes, field, stored", TYPED)
def test_a_code_typed_in_full_width_or_with_invisible_characters_is_stored_plain_through_the_form(hr, login, changes, field, stored):
    response = login(hr).post("/teachers/new", data=teacher_form(**changes))
    assert response.status_code == 302
    assert getattr(db.session.scalar(select(Teacher)), field) == stored


def test_an_update_through_the_api_reads_the_code_the_same_way(client, hr, make):
    teacher = make.teacher(hr.school, post_type="fixed")
    response = client.patch(f"/api/v1/teachers/{teacher.id}", json={"post_type": "ＦＬＯＷＩＮＧ"}, headers=make.token(hr))
    assert response.status_code == 200, response.get_json()
    db.session.refresh(teacher)
    assert teacher.post_type == "flowing"


def test_a_record_form_reads_its_codes_the_same_way(hr, login, make):
    teacher = make.teacher(hr.school)
    data = {"employer": "华晨机床厂", "employer_type": "ｅｎｔｅｒｐｒｉｓｅ\u200b", "position": "车工", "start": "2016-07-01", "end": ""}
    assert login(hr).post(f"/teachers/{teacher.id}/employment/new", data=data).status_code == 302
    assert db.session.scalar(select(EmploymentRecord.employer_type)) == "enterprise"


@pytest.mark.parametrize(
    "typed, message", [("ｆｉｘｅｄ岗", "不是允许的取值，应为：'fixed' or 'flowing'"), ("fix ed", "不是允许的取值"), ("\u200b", "必填项")]
)
def test_a_code_that_is_still_unknown_once_normalised_is_refused_in_chinese(client, hr, make, typed, message):
    response = client.post("/api/v1/teachers", json=api_teacher(post_type=typed), headers=make.token(hr))
    assert response.status_code == 400
    assert response.get_json()["errors"]["post_type"].startswith(message)
    assert db.session.scalar(select(Teacher)) is None
