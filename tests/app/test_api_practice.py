"""The practice endpoints of api.md: shapes, status codes, roles and scope."""
from datetime import date

import pytest

from registry.extensions import db
from registry.models import PracticeRecord
from tests.app.inputs import EXE, PDF, post_files

MB = 1024 * 1024
BODY = {"enterprise": "曙光集团", "start": "2024-07-01", "end": "2024-08-31", "form": "placement", "description": "顶岗"}


@pytest.fixture
def world(two_schools, make):
    """The two schools' teacher records, and a bearer token for each account."""
    records = {name: two_schools[name] for name in ("teacher_record", "colleague_record")}
    return {**records, **make.tokens(two_schools["accounts"])}


def create(client, world, **fields):
    response = client.post(f"/api/v1/teachers/{world['teacher_record'].id}/practice", json={**BODY, **fields},
                           headers=world["teacher"])
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def send_file(client, headers, record_id, data, filename="证明.pdf"):
    return post_files(client, f"/api/v1/practice/{record_id}/evidence", [(data, filename)], headers)


def test_a_teacher_creates_a_record_and_gets_the_full_shape(client, world):
    body = create(client, world, status="submitted")
    assert set(body) == {"id", "teacher_id", "enterprise", "start", "end", "form", "description", "status",
                         "reject_reason", "submitted_at", "reviewed_at", "evidence"}
    assert (body["teacher_id"], body["status"], body["start"], body["end"]) == (
        world["teacher_record"].id, "submitted", "2024-07-01", "2024-08-31")
    assert body["submitted_at"] and body["reviewed_at"] is None and body["evidence"] == []


def test_a_new_record_is_planned_by_default_and_may_be_open_ended(client, world):
    body = create(client, world, end=None)
    assert (body["status"], body["end"]) == ("planned", None)


def test_bad_input_is_a_400_naming_every_field(client, world):
    response = client.post(
        f"/api/v1/teachers/{world['teacher_record'].id}/practice",
        json={"enterprise": "", "start": "2024-02-30", "form": "holiday", "status": "verified", "hours": 3},
        headers=world["teacher"],
    )
    assert response.status_code == 400
    assert set(response.get_json()["errors"]) >= {"enterprise", "start", "form", "status", "hours"}
    assert db.session.scalar(db.select(PracticeRecord.id)) is None


def test_a_start_after_the_end_is_a_400(client, world):
    response = client.post(f"/api/v1/teachers/{world['teacher_record'].id}/practice",
                           json={**BODY, "start": "2024-09-01"}, headers=world["teacher"])
    assert response.status_code == 400 and "end" in response.get_json()["errors"]


@pytest.mark.parametrize("who, status", [("hr", 403), ("bureau", 403), ("admin", 403), ("colleague", 404)])
def test_only_the_teacher_creates_their_own_records(client, world, who, status):
    response = client.post(f"/api/v1/teachers/{world['teacher_record'].id}/practice", json=BODY, headers=world[who])
    assert response.status_code == status


@pytest.mark.parametrize("who, status", [("teacher", 200), ("hr", 200), ("bureau", 200), ("admin", 200),
                                         ("colleague", 404), ("hr_other", 404)])
def test_the_list_is_visible_inside_the_scope_only(client, world, who, status):
    create(client, world)
    response = client.get(f"/api/v1/teachers/{world['teacher_record'].id}/practice", headers=world[who])
    assert response.status_code == status
    if status == 200:
        assert [r["enterprise"] for r in response.get_json()["items"]] == ["曙光集团"]


def test_no_token_is_a_401(client, world):
    assert client.get(f"/api/v1/teachers/{world['teacher_record'].id}/practice").status_code == 401


def test_the_teacher_patches_and_deletes_while_not_verified(client, world):
    record = create(client, world)
    response = client.patch(f"/api/v1/practice/{record['id']}", json={"enterprise": "五一八公司", "status": "submitted"},
                            headers=world["teacher"])
    assert response.status_code == 200
    assert (response.get_json()["enterprise"], response.get_json()["status"]) == ("五一八公司", "submitted")
    assert client.delete(f"/api/v1/practice/{record['id']}", headers=world["teacher"]).status_code == 204
    assert client.delete(f"/api/v1/practice/{record['id']}", headers=world["teacher"]).status_code == 404


@pytest.mark.parametrize("who, status", [("colleague", 404), ("hr", 403), ("bureau", 403)])
def test_others_cannot_patch_or_delete(client, world, who, status):
    record = create(client, world)
    assert client.patch(f"/api/v1/practice/{record['id']}", json={"enterprise": "x"}, headers=world[who]).status_code == status
    assert client.delete(f"/api/v1/practice/{record['id']}", headers=world[who]).status_code == status


def test_the_whole_review_flow(client, world):
    record = create(client, world, status="submitted")
    url = f"/api/v1/practice/{record['id']}"
    assert send_file(client, world["teacher"], record["id"], PDF).status_code == 201
    rejected = client.post(f"{url}/reject", json={"reason": "缺少证明"}, headers=world["hr"])
    assert rejected.status_code == 200
    assert (rejected.get_json()["status"], rejected.get_json()["reject_reason"]) == ("rejected", "缺少证明")

    resubmitted = client.patch(url, json={"status": "submitted"}, headers=world["teacher"])
    assert (resubmitted.get_json()["status"], resubmitted.get_json()["reject_reason"]) == ("submitted", None)

    verified = client.post(f"{url}/verify", headers=world["hr"])
    assert verified.status_code == 200
    assert verified.get_json()["status"] == "verified" and verified.get_json()["reviewed_at"]

    locked = client.patch(url, json={"enterprise": "别的公司"}, headers=world["teacher"])
    assert locked.status_code == 409 and "锁定" in locked.get_json()["error"]
    assert client.delete(url, headers=world["teacher"]).status_code == 409

    again = client.post(f"{url}/verify", headers=world["hr"])
    assert again.status_code == 409

    reopened = client.post(f"{url}/reopen", json={"reason": "复核"}, headers=world["hr"])
    assert reopened.status_code == 200 and reopened.get_json()["status"] == "submitted"


def test_the_verified_record_counts_in_the_compliance_result(client, world):
    record = create(client, world, status="submitted", start="2023-07-01", end="2023-12-31")
    send_file(client, world["teacher"], record["id"], PDF)
    assert client.post(f"/api/v1/practice/{record['id']}/verify", headers=world["hr"]).status_code == 200
    db.session.expire_all()
    from registry.services.compliance import evaluate_teacher

    result = evaluate_teacher(db.session.get(type(world["teacher_record"]), world["teacher_record"].id), date(2024, 12, 31))
    assert result.practice.to_dict()["months"] == 6.0


def test_reject_needs_a_reason(client, world):
    record = create(client, world, status="submitted")
    response = client.post(f"/api/v1/practice/{record['id']}/reject", json={}, headers=world["hr"])
    assert response.status_code == 400 and "reason" in response.get_json()["errors"]


@pytest.mark.parametrize("who, status", [("teacher", 403), ("bureau", 403), ("admin", 403), ("hr_other", 404)])
def test_only_hr_of_the_school_verifies_or_rejects(client, world, who, status):
    record = create(client, world, status="submitted")
    assert client.post(f"/api/v1/practice/{record['id']}/verify", headers=world[who]).status_code == status
    assert client.post(f"/api/v1/practice/{record['id']}/reject", json={"reason": "x"}, headers=world[who]).status_code == status


def test_verifying_a_planned_record_is_a_conflict(client, world):
    record = create(client, world)
    response = client.post(f"/api/v1/practice/{record['id']}/verify", headers=world["hr"])
    assert response.status_code == 409 and response.get_json()["error"]


# ------------------------------------------------------------------ evidence

def test_uploading_evidence_answers_201_with_id_filename_and_size(client, world):
    record = create(client, world)
    response = send_file(client, world["teacher"], record["id"], PDF, "企业证明.pdf")
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "filename", "size"} and (body["filename"], body["size"]) == ("企业证明.pdf", len(PDF))
    listed = client.get(f"/api/v1/teachers/{world['teacher_record'].id}/practice", headers=world["teacher"]).get_json()
    assert listed["items"][0]["evidence"][0]["id"] == body["id"]


def test_a_renamed_exe_is_a_400_on_the_file_field(client, world):
    record = create(client, world)
    response = send_file(client, world["teacher"], record["id"], EXE, "证明.pdf")
    assert response.status_code == 400 and "PDF" in response.get_json()["errors"]["file"]


def test_a_file_of_10_mb_and_one_byte_is_a_400(client, world):
    record = create(client, world)
    response = send_file(client, world["teacher"], record["id"], PDF + b"0" * (10 * MB + 1 - len(PDF)))
    assert response.status_code == 400 and "10 MB" in response.get_json()["errors"]["file"]


def test_a_request_above_the_servers_limit_is_a_400_not_a_413(client, world):
    record = create(client, world)
    response = send_file(client, world["teacher"], record["id"], PDF + b"0" * (13 * MB))
    assert response.status_code == 400
    assert "10 MB" in response.get_json()["errors"]["file"]


def test_a_missing_file_field_is_a_400(client, world):
    record = create(client, world)
    response = client.post(f"/api/v1/practice/{record['id']}/evidence", data={}, headers=world["teacher"],
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "file" in response.get_json()["errors"]


@pytest.mark.parametrize("who, status", [("colleague", 404), ("hr", 201), ("hr_other", 404), ("bureau", 403)])
def test_the_teacher_and_the_hr_of_their_school_upload_and_nobody_else(client, world, who, status):
    record = create(client, world)
    assert send_file(client, world[who], record["id"], PDF).status_code == status


@pytest.mark.parametrize("who, status", [("teacher", 200), ("hr", 200), ("bureau", 200), ("admin", 200),
                                         ("colleague", 404), ("hr_other", 404)])
def test_evidence_is_downloadable_only_inside_the_scope(client, world, who, status):
    record = create(client, world)
    evidence_id = send_file(client, world["teacher"], record["id"], PDF, "企业证明.pdf").get_json()["id"]
    response = client.get(f"/api/v1/evidence/{evidence_id}", headers=world[who])
    data = response.get_data()
    response.close()
    assert response.status_code == status
    if status == 200:
        assert data == PDF and response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert "filename*=UTF-8''" in response.headers["Content-Disposition"]


def test_an_unknown_evidence_id_is_a_404(client, world):
    assert client.get("/api/v1/evidence/999999", headers=world["bureau"]).status_code == 404


@pytest.mark.parametrize("status", ["planned", "submitted", "rejected"])
def test_the_record_as_get_returned_it_can_be_patched_back_with_a_change(client, world, status):
    record = create(client, world, status="planned" if status == "planned" else "submitted")
    url = f"/api/v1/practice/{record['id']}"
    if status == "rejected":
        client.post(f"{url}/reject", json={"reason": "缺少证明"}, headers=world["hr"])
    [shown] = client.get(f"/api/v1/teachers/{world['teacher_record'].id}/practice", headers=world["teacher"]).get_json()["items"]
    response = client.patch(url, json={**shown, "description": "改为顶岗实习"}, headers=world["teacher"])
    assert response.status_code == 200, response.get_json()
    assert (response.get_json()["description"], response.get_json()["status"]) == ("改为顶岗实习", status)


def test_a_read_only_field_sent_with_another_value_is_refused_by_name(client, world):
    record = create(client, world)
    response = client.patch(f"/api/v1/practice/{record['id']}", json={**record, "teacher_id": world["colleague_record"].id,
                                                                       "reviewed_at": "2024-01-01T00:00:00"}, headers=world["teacher"])
    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == {"teacher_id", "reviewed_at"}
    assert db.session.get(PracticeRecord, record["id"]).teacher_id == world["teacher_record"].id
