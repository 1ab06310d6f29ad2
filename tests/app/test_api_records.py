"""GET/POST /teachers/{id}/employment|certificates|training and PATCH/DELETE of one record (api.md)."""
import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import AuditEvent, Certificate, EmploymentRecord, TrainingRecord

BODIES = {
    "employment": {"employer": "华晨机床厂", "employer_type": "enterprise", "position": "车工", "start": "2016-07-01", "end": None},
    "certificates": {"kind": "skill", "name": "数控车工", "level": "senior", "issued": "2019-05-01", "related": True},
    "training": {"program": "2023年全员轮训", "kind": "rotation", "end": "2023-08-20", "hours": 80, "status": "completed"},
}
MODELS = {"employment": EmploymentRecord, "certificates": Certificate, "training": TrainingRecord}


@pytest.fixture
def world(make):
    own, other = make.school(name="甲校"), make.school(name="乙校")
    mine, theirs = make.teacher(own), make.teacher(other)
    users = {
        "hr": make.user("school_hr", school=own),
        "other_hr": make.user("school_hr", school=other),
        "teacher": make.user("teacher", teacher=mine),
        "bureau": make.user("bureau"),
        "admin": make.user("admin"),
    }
    return {"mine": mine, "theirs": theirs, "headers": {name: make.token(user) for name, user in users.items()}}


def existing(make, teacher, collection):
    if collection == "employment":
        return make.employment(teacher, "2015-01-01", "2018-12-31")
    if collection == "certificates":
        return make.certificate(teacher, "2019-01-01")
    return make.training(teacher, "2023-01-01")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("collection", BODIES)
def test_hr_posts_a_record_and_gets_it_back_with_id_and_teacher_id(world, client, collection):
    teacher = world["mine"]
    response = client.post(f"/api/v1/teachers/{teacher.id}/{collection}", json=BODIES[collection], headers=world["headers"]["hr"])
    assert response.status_code == 201, response.json
    body = response.json
    assert body["teacher_id"] == teacher.id and isinstance(body["id"], int)
    assert {k: v for k, v in body.items() if k not in ("id", "teacher_id")} == BODIES[collection]
    listed = client.get(f"/api/v1/teachers/{teacher.id}/{collection}", headers=world["headers"]["hr"]).json
    assert listed == {"items": [body]}


@pytest.mark.parametrize("collection", BODIES)
def test_hr_patches_and_deletes_a_record(world, client, make, collection):
    record = existing(make, world["mine"], collection)
    single = collection
    field = {"employment": "employer", "certificates": "name", "training": "program"}[collection]
    response = client.patch(f"/api/v1/{single}/{record.id}", json={field: "新名称"}, headers=world["headers"]["hr"])
    assert response.status_code == 200 and response.json[field] == "新名称" and response.json["id"] == record.id
    assert client.delete(f"/api/v1/{single}/{record.id}", headers=world["headers"]["hr"]).status_code == 204
    assert count(MODELS[collection]) == 0
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity == MODELS[collection].__tablename__).order_by(AuditEvent.id)
    ).all()
    assert actions == ["update", "delete"]


@pytest.mark.parametrize("collection", BODIES)
@pytest.mark.parametrize("caller, status", [("hr", 200), ("teacher", 200), ("bureau", 200), ("admin", 200), ("other_hr", 404)])
def test_reading_records_follows_the_scope(world, client, make, collection, caller, status):
    existing(make, world["mine"], collection)
    response = client.get(f"/api/v1/teachers/{world['mine'].id}/{collection}", headers=world["headers"][caller])
    assert response.status_code == status
    if status == 200:
        assert len(response.json["items"]) == 1


@pytest.mark.parametrize("collection", BODIES)
def test_a_teacher_cannot_read_another_teachers_records(world, client, collection):
    response = client.get(f"/api/v1/teachers/{world['theirs'].id}/{collection}", headers=world["headers"]["teacher"])
    assert response.status_code == 404


@pytest.mark.parametrize("collection", BODIES)
@pytest.mark.parametrize("caller, status", [("teacher", 403), ("bureau", 403), ("admin", 403), ("other_hr", 404)])
def test_only_hr_of_the_school_writes_records(world, client, make, collection, caller, status):
    teacher = world["mine"]
    record = existing(make, teacher, collection)
    headers = world["headers"][caller]
    assert client.post(f"/api/v1/teachers/{teacher.id}/{collection}", json=BODIES[collection], headers=headers).status_code == status
    assert client.patch(f"/api/v1/{collection}/{record.id}", json={}, headers=headers).status_code == status
    assert client.delete(f"/api/v1/{collection}/{record.id}", headers=headers).status_code == status
    assert count(MODELS[collection]) == 1 and count(AuditEvent) == 0


def test_a_missing_record_is_404(world, client):
    assert client.patch("/api/v1/employment/999999", json={}, headers=world["headers"]["hr"]).status_code == 404
    assert client.get("/api/v1/teachers/999999/training", headers=world["headers"]["hr"]).status_code == 404


@pytest.mark.parametrize("collection", BODIES)
def test_no_token_is_401(world, client, collection):
    assert client.get(f"/api/v1/teachers/{world['mine'].id}/{collection}").status_code == 401


@pytest.mark.parametrize(
    "collection, body, errors",
    [
        ("employment", {"employer": "", "employer_type": "factory", "start": "2020-02-30"}, {"employer", "employer_type", "start"}),
        ("employment", {"employer": "甲", "employer_type": "enterprise", "start": "2020-01-01", "end": "2019-01-01"}, {"end"}),
        ("employment", {"employer": "甲", "employer_type": "enterprise", "start": "2020-01-01", "salary": 1}, {"salary"}),
        ("certificates", {"kind": "skill", "name": "车工", "issued": "2020-01-01"}, {"level"}),
        ("certificates", {"kind": "skill", "name": "车工", "level": "guru", "issued": "2020-01-01", "related": "maybe"}, {"level", "related"}),
        ("training", {"program": "轮训", "kind": "rotation", "end": "2023-01-01", "hours": -1, "status": "done"}, {"hours", "status"}),
        ("training", {"program": "轮训", "kind": "rotation", "end": 20230101, "status": "completed"}, {"end"}),
    ],
)
def test_bad_bodies_are_400_naming_every_bad_field(world, client, collection, body, errors):
    response = client.post(f"/api/v1/teachers/{world['mine'].id}/{collection}", json=body, headers=world["headers"]["hr"])
    assert response.status_code == 400
    assert set(response.json["errors"]) == errors
    assert count(MODELS[collection]) == 0


def test_a_body_that_is_not_a_json_object_is_400(world, client):
    response = client.post(f"/api/v1/teachers/{world['mine'].id}/employment", data="[1, 2]",
                           content_type="application/json", headers=world["headers"]["hr"])
    assert response.status_code == 400 and "errors" in response.json


def test_a_patch_that_breaks_the_period_is_refused_and_changes_nothing(world, client, make):
    record = make.employment(world["mine"], "2015-01-01", "2018-12-31")
    response = client.patch(f"/api/v1/employment/{record.id}", json={"start": "2019-06-01"}, headers=world["headers"]["hr"])
    assert response.status_code == 400 and set(response.json["errors"]) == {"end"}
    db.session.refresh(record)
    assert record.start.isoformat() == "2015-01-01"


def test_a_record_added_through_the_api_changes_the_hiring_verdict(world, client):
    teacher = world["mine"]  # hired 2022-03-01, no history yet
    url = f"/api/v1/teachers/{teacher.id}/compliance?as_of=2024-01-01"
    assert client.get(url, headers=world["headers"]["hr"]).json["hire"]["status"] == "non_compliant"
    body = {"employer": "曙光集团", "employer_type": "enterprise", "position": "", "start": "2018-01-01", "end": "2021-12-31"}
    client.post(f"/api/v1/teachers/{teacher.id}/employment", json=body, headers=world["headers"]["hr"])
    assert client.get(url, headers=world["headers"]["hr"]).json["hire"]["status"] == "compliant"


def test_a_record_may_be_patched_with_the_shape_get_returned_but_not_moved_to_another_teacher(world, client, make):
    record = make.employment(world["mine"], "2015-01-01", "2018-12-31")
    headers = world["headers"]["hr"]
    [body] = client.get(f"/api/v1/teachers/{world['mine'].id}/employment", headers=headers).json["items"]
    response = client.patch(f"/api/v1/employment/{record.id}", json={**body, "position": "班组长"}, headers=headers)
    assert response.status_code == 200 and response.json["position"] == "班组长"
    moved = client.patch(f"/api/v1/employment/{record.id}", json={"teacher_id": world["theirs"].id}, headers=headers)
    assert moved.status_code == 400 and set(moved.json["errors"]) == {"teacher_id"}
