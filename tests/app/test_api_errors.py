"""api.md, Errors: every kind of bad input is a 400 naming the field, and nothing is written."""
import pytest
from sqlalchemy import func, select

from registry.extensions import db
from tests.app.inputs import EXE, PDF, post_files

GOOD = {
    "employment": {"employer": "曙光集团", "employer_type": "enterprise", "position": "技术员", "start": "2015-07-01", "end": "2020-06-30"},
    "certificates": {"kind": "skill", "name": "数控车工", "level": "senior", "issued": "2019-06-01", "related": True},
    "training": {"program": "全员轮训", "kind": "rotation", "end": "2024-08-15", "hours": 80, "status": "completed"},
    "practice": {"enterprise": "五一八公司", "start": "2023-07-01", "end": "2023-08-31", "form": "placement", "description": "", "status": "submitted"},
}

BAD = [
    # (collection, field, value, what api.md calls it)
    ("employment", "employer_type", "factory", "unknown code"),
    ("certificates", "level", "grandmaster", "unknown code"),
    ("training", "kind", "seminar", "unknown code"),
    ("practice", "form", "holiday", "unknown code"),
    ("employment", "end", "2015-06-30", "start after end"),
    ("practice", "end", "2023-06-30", "start after end"),
    ("employment", "start", "2015-02-30", "a date that is not a date"),
    ("certificates", "issued", "yesterday", "a date that is not a date"),
    ("training", "end", "2024/08/15", "a date that is not a date"),
    ("practice", "start", None, "missing required field"),
    ("employment", "employer", None, "missing required field"),
    ("training", "hours", "eighty", "wrong type"),
    ("certificates", "related", [1], "wrong type"),
    ("practice", "enterprise", 42, "wrong type"),
]


def row_counts() -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


@pytest.fixture
def world(make):
    school = make.school()
    teacher = make.teacher(school)
    return {
        "teacher": teacher,
        "hr": make.token(make.user("school_hr", school=school)),
        "self": make.token(make.user("teacher", teacher=teacher)),
    }


@pytest.mark.parametrize("collection, field, value, kind", BAD, ids=[f"{c}.{f}: {k}" for c, f, _v, k in BAD])
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(client, world, collection, field, value, kind):
    body = dict(GOOD[collection])
    if value is None:
        body.pop(field)
    else:
        body[field] = value
    token = world["self"] if collection == "practice" else world["hr"]
    before = row_counts()
    response = client.post(f"/api/v1/teachers/{world['teacher'].id}/{collection}", json=body, headers=token)
    assert response.status_code == 400
    assert field in response.get_json()["errors"]
    assert response.get_json()["errors"][field]  # a message, in Chinese by default
    assert row_counts() == before


@pytest.mark.parametrize("collection", sorted(GOOD))
def test_the_good_bodies_of_this_table_are_accepted(client, world, collection):
    token = world["self"] if collection == "practice" else world["hr"]
    assert client.post(f"/api/v1/teachers/{world['teacher'].id}/{collection}", json=GOOD[collection], headers=token).status_code == 201


@pytest.mark.parametrize(
    "content, name, kind",
    [
        (EXE, "证明.pdf", "disguised upload"),
        (b"%PDF" + b"0" * (10 * 1024 * 1024), "大文件.pdf", "oversized upload"),
        (b"", "空.pdf", "empty upload"),
    ],
)
def test_a_bad_upload_is_a_400_on_the_file_field_and_stores_nothing(client, world, make, app, content, name, kind):
    record = make.practice(world["teacher"], "2023-07-01", "2023-08-31", status="submitted")
    before = row_counts()
    response = post_files(client, f"/api/v1/practice/{record.id}/evidence", [(content, name)], headers=world["self"])
    assert response.status_code == 400
    assert "file" in response.get_json()["errors"]
    assert row_counts() == before


def test_a_good_upload_is_stored(client, world, make):
    record = make.practice(world["teacher"], "2023-07-01", "2023-08-31", status="submitted")
    response = post_files(client, f"/api/v1/practice/{record.id}/evidence", [(PDF, "证明.pdf")], headers=world["self"])
    assert response.status_code == 201
