"""The compliance API (api.md): the same list as the pages, exact fields, codes and errors."""
from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest

from registry.services.compliance_list import iter_rows, parse_filters
from tests.app.factories import AUDIT_AS_OF as AS_OF
from tests.app.factories import AUDIT_EXPECTED as EXPECTED

ITEM_FIELDS = {"teacher_id", "name", "school_id", "school", "hire", "practice", "training", "practice_months", "practice_previous"}


@pytest.fixture
def world(audit_world, make):
    """The audit world with a bearer token for each of its users."""
    return {**audit_world, "tokens": make.tokens(audit_world["users"])}


def get(client, world, role, path, **params):
    return client.get(f"/api/v1{path}", headers=world["tokens"][role], query_string=params)


def test_the_list_has_exactly_the_fields_of_api_md(world, client):
    response = get(client, world, "bureau", "/compliance", as_of=AS_OF.isoformat())
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"items", "total", "page", "per_page"}
    assert (body["total"], body["page"], body["per_page"]) == (len(EXPECTED), 1, 50)
    assert all(set(item) == ITEM_FIELDS for item in body["items"])
    by_name = {item["name"]: item for item in body["items"]}
    for name, (hire, practice, training, previous, _training_previous) in EXPECTED.items():
        assert (by_name[name]["hire"], by_name[name]["practice"], by_name[name]["training"], by_name[name]["practice_previous"]) == (
            hire, practice, training, previous)
    assert by_name["甲一"]["practice_months"] == 1.0 and by_name["甲三"]["practice_months"] is None
    assert by_name["甲一"]["school"] == "甲校" and by_name["甲一"]["school_id"] == world["schools"]["甲"].id


@pytest.mark.parametrize(
    "filters",
    [
        {"rule": "practice", "status": "behind"},
        {"rule": "hire", "status": "non_compliant", "county": "东港市"},
        {"previous": "failed"},
        {"course_type": "internship"},
        {"q": "甲", "rule": "training", "status": "pending"},
        {"sort": "-needed", "per_page": "3", "page": "2"},
    ],
)
def test_the_api_and_the_page_give_the_same_list(world, client, login, filters):
    query = {"as_of": AS_OF.isoformat(), **filters}
    api = get(client, world, "bureau", "/compliance", **query).get_json()
    page = login(world["users"]["bureau"]).get("/bureau/compliance", query_string=query).get_data(as_text=True)
    assert [item["teacher_id"] for item in api["items"]] == [int(x) for x in re.findall(r'data-teacher="(\d+)"', page)]
    assert f'data-total="{api["total"]}"' in page


def test_pagination_walks_the_whole_list(world, client):
    seen, page = [], 1
    while True:
        body = get(client, world, "bureau", "/compliance", as_of=AS_OF.isoformat(), per_page=4, page=page).get_json()
        seen += [item["teacher_id"] for item in body["items"]]
        if not body["items"]:
            break
        page += 1
    assert len(seen) == len(set(seen)) == body["total"] == len(EXPECTED)


def test_bad_query_parameters_are_400_naming_every_field(world, client):
    response = get(client, world, "bureau", "/compliance", as_of="2026-02-30", rule="salary", status="met", page="0",
                   per_page="201", school_id="x", previous="sometimes", course_type="art")
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert set(errors) == {"as_of", "rule", "page", "per_page", "school_id", "previous", "course_type"}
    response = get(client, world, "bureau", "/compliance", rule="hire", status="behind")
    assert set(response.get_json()["errors"]) == {"status"}
    for path in ("/compliance.csv", "/compliance.xlsx"):
        assert get(client, world, "bureau", path, as_of="yesterday").status_code == 400


def test_the_api_scope_of_each_role(world, client):
    hr = get(client, world, "hr", "/compliance", as_of=AS_OF.isoformat()).get_json()
    assert {item["name"] for item in hr["items"]} == {"甲一", "甲二", "甲三"}
    assert get(client, world, "teacher", "/compliance").status_code == 403
    assert get(client, world, "admin", "/compliance").get_json()["total"] == len(EXPECTED)
    assert client.get("/api/v1/compliance").status_code == 401


def test_the_api_exports_match_the_list(world, client):
    query = {"as_of": AS_OF.isoformat(), "county": "东港市", "sort": "cycle_end"}
    wanted = [r.teacher_id for r in iter_rows(world["users"]["bureau"], parse_filters(query))]
    body = get(client, world, "bureau", "/compliance.csv", **query).data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))
    start = next(i for i, line in enumerate(lines) if line and line[0] == "系统编号")
    assert [int(line[0]) for line in lines[start + 1:]] == wanted
    sheet = openpyxl.load_workbook(io.BytesIO(get(client, world, "bureau", "/compliance.xlsx", **query).data), read_only=True).active
    cells = [row[0] if row else None for row in sheet.iter_rows(values_only=True)]
    assert cells[cells.index("系统编号") + 1:] == wanted
    assert get(client, world, "teacher", "/compliance.csv").status_code == 403


# --------------------------------------------------------------- one teacher


def test_one_teachers_compliance_has_the_result_fields_of_rules_md(world, client):
    teacher = world["teachers"]["乙四"]
    body = get(client, world, "bureau", f"/teachers/{teacher.id}/compliance", as_of=AS_OF.isoformat()).get_json()
    assert set(body) == {"teacher_id", "as_of", "hire", "practice", "training"}
    assert (body["teacher_id"], body["as_of"]) == (teacher.id, "2026-11-28")
    assert set(body["hire"]) == {"status", "basis", "experience_months", "shortfall_months", "reasons"}
    assert set(body["practice"]) == {"status", "cycle_start", "cycle_end", "months", "required", "needed", "expected",
                                     "previous", "previous_months", "reasons"}
    assert set(body["training"]) == {"status", "cycle_start", "cycle_end", "previous", "reasons"}
    assert body["practice"] == {"status": "on_track", "cycle_start": "2026-01-01", "cycle_end": "2030-12-31", "months": 2.0,
                                "required": 10.0, "needed": 8.0, "expected": 0.0, "previous": "failed",
                                "previous_months": 4.0, "reasons": []}
    assert body["training"]["previous"] == "missed"


def test_a_teacher_reads_only_the_own_compliance(world, client):
    own, other = world["teachers"]["甲一"], world["teachers"]["乙一"]
    assert get(client, world, "teacher", f"/teachers/{own.id}/compliance").status_code == 200
    assert get(client, world, "teacher", f"/teachers/{other.id}/compliance").status_code == 404
    assert get(client, world, "hr", f"/teachers/{other.id}/compliance").status_code == 404
    assert get(client, world, "bureau", f"/teachers/{own.id}/compliance", as_of="2026-2-1").status_code == 400


# ----------------------------------------------------------------- a school


def test_a_schools_compliance_counts_what_the_list_gives(world, client):
    school = world["schools"]["乙"]
    body = get(client, world, "bureau", f"/schools/{school.id}/compliance", as_of=AS_OF.isoformat()).get_json()
    assert set(body) == {"school_id", "leadership", "teachers", "by_rule"}
    assert body["school_id"] == school.id and body["teachers"] == 4
    assert body["leadership"] == {"status": "non_compliant", "best_months": 24.0}
    assert body["by_rule"]["hire"] == {"compliant": 1, "exception": 1, "non_compliant": 1, "not_applicable": 1}
    assert body["by_rule"]["practice"] == {"met": 0, "on_track": 1, "behind": 2, "infeasible": 0, "not_applicable": 1}
    assert body["by_rule"]["training"] == {"done": 1, "pending": 2, "not_applicable": 1}
    listed = get(client, world, "bureau", "/compliance", as_of=AS_OF.isoformat(), school_id=school.id, rule="practice", status="behind")
    assert listed.get_json()["total"] == body["by_rule"]["practice"]["behind"]


def test_a_schools_compliance_respects_the_scope(world, client):
    own, other = world["schools"]["甲"], world["schools"]["乙"]
    assert get(client, world, "hr", f"/schools/{own.id}/compliance").status_code == 200
    assert get(client, world, "hr", f"/schools/{other.id}/compliance").status_code == 404
    assert get(client, world, "teacher", f"/schools/{own.id}/compliance").status_code == 403
    assert get(client, world, "bureau", f"/schools/{own.id}/compliance", as_of="nope").status_code == 400


# ----------------------------------------------------------- hire exceptions


def test_the_exception_round_trip_through_the_api(world, client, make):
    school = world["schools"]["甲"]
    from datetime import date

    short = make.teacher(school, name="经历不足", hire_date=date(2024, 3, 1))
    hr, bureau = world["tokens"]["hr"], world["tokens"]["bureau"]
    response = client.post(f"/api/v1/teachers/{short.id}/hire-exception", headers=hr, json={"reason": "急需"})
    assert response.status_code == 201
    created = response.get_json()
    assert set(created) == {"id", "status"} and created["status"] == "requested"
    assert client.post(f"/api/v1/teachers/{short.id}/hire-exception", headers=hr, json={"reason": "再次"}).status_code == 409
    listed = client.get("/api/v1/hire-exceptions?status=requested", headers=bureau).get_json()
    assert [x["id"] for x in listed["items"]] == [created["id"]]
    assert client.post(f"/api/v1/hire-exceptions/{created['id']}/approve", headers=hr, json={"note": "x"}).status_code == 403
    decided = client.post(f"/api/v1/hire-exceptions/{created['id']}/approve", headers=bureau, json={"note": "同意"})
    assert decided.status_code == 200
    assert decided.get_json()["status"] == "approved" and decided.get_json()["note"] == "同意"
    assert client.post(f"/api/v1/hire-exceptions/{created['id']}/refuse", headers=bureau, json={"note": "材料不足"}).status_code == 409
    verdict = client.get(f"/api/v1/teachers/{short.id}/compliance", headers=bureau).get_json()
    assert verdict["hire"]["status"] == "exception" and verdict["hire"]["basis"] == "exception"


def test_exception_errors(world, client):
    hr, bureau = world["tokens"]["hr"], world["tokens"]["bureau"]
    compliant, elsewhere = world["teachers"]["甲一"], world["teachers"]["乙一"]
    assert client.post(f"/api/v1/teachers/{compliant.id}/hire-exception", headers=hr, json={"reason": "x"}).status_code == 409
    assert client.post(f"/api/v1/teachers/{elsewhere.id}/hire-exception", headers=hr, json={"reason": "x"}).status_code == 404
    assert client.post(f"/api/v1/teachers/{elsewhere.id}/hire-exception", headers=bureau, json={"reason": "x"}).status_code == 403
    response = client.post(f"/api/v1/teachers/{compliant.id}/hire-exception", headers=hr, json={"reason": 5, "extra": 1})
    assert response.status_code == 400 and set(response.get_json()["errors"]) == {"reason", "extra"}
    assert client.post("/api/v1/hire-exceptions/999999/approve", headers=bureau, json={}).status_code == 404
    assert client.get("/api/v1/hire-exceptions?status=maybe", headers=bureau).status_code == 400


def test_a_refusal_without_a_reason_is_a_400_naming_the_note_and_an_approval_needs_none(world, client, make):
    from datetime import date

    short = make.teacher(world["schools"]["甲"], name="经历不足", hire_date=date(2024, 3, 1))
    created = client.post(f"/api/v1/teachers/{short.id}/hire-exception", headers=world["tokens"]["hr"], json={"reason": "急需"}).get_json()
    url = f"/api/v1/hire-exceptions/{created['id']}"
    for body in (None, {}, {"note": "   "}):
        refused = client.post(f"{url}/refuse", headers=world["tokens"]["bureau"], json=body)
        assert refused.status_code == 400 and "不批准时请填写理由" in refused.get_json()["errors"]["note"]
    approved = client.post(f"{url}/approve", headers=world["tokens"]["bureau"])
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"


def test_the_exception_list_is_scoped(world, client):
    body = client.get("/api/v1/hire-exceptions", headers=world["tokens"]["hr_b"]).get_json()
    assert [x["teacher_id"] for x in body["items"]] == [world["teachers"]["乙二"].id]
    assert client.get("/api/v1/hire-exceptions", headers=world["tokens"]["hr"]).get_json()["items"] == []


# ----------------------------------------------------------- policy versions


def test_policy_versions_through_the_api(world, client):
    admin, bureau = world["tokens"]["admin"], world["tokens"]["bureau"]
    listed = client.get("/api/v1/policy-versions", headers=bureau).get_json()
    assert [v["effective_from"] for v in listed["items"]] == ["2021-01-01"]
    assert listed["items"][0]["practice_required_months"] == 10
    national = {**{k: v for k, v in listed["items"][0].items() if k not in ("id",)}, "effective_from": "2027-01-01",
                "practice_required_months": 6}
    assert client.post("/api/v1/policy-versions", headers=bureau, json=national).status_code == 403
    created = client.post("/api/v1/policy-versions", headers=admin, json=national)
    assert created.status_code == 201 and created.get_json()["practice_required_months"] == 6
    again = client.post("/api/v1/policy-versions", headers=admin, json=national)
    assert again.status_code == 400 and set(again.get_json()["errors"]) == {"effective_from"}
    assert client.get("/api/v1/policy-versions", headers=world["tokens"]["hr"]).status_code == 403
    bad = client.post("/api/v1/policy-versions", headers=admin, json={"effective_from": "2028-01-01", "cycle_years": "five"})
    assert bad.status_code == 400 and {"cycle_years", "hire_rule_effective", "practice_required_months"} <= set(bad.get_json()["errors"])


def test_the_refuse_path_refuses_and_is_audited_as_a_refusal(world, client, make):
    from datetime import date

    from sqlalchemy import select

    from registry.extensions import db
    from registry.models import AuditEvent

    short = make.teacher(world["schools"]["甲"], name="经历不足", hire_date=date(2024, 3, 1))
    created = client.post(f"/api/v1/teachers/{short.id}/hire-exception", headers=world["tokens"]["hr"], json={"reason": "急需"}).get_json()
    refused = client.post(f"/api/v1/hire-exceptions/{created['id']}/refuse", headers=world["tokens"]["bureau"], json={"note": "不同意"})
    assert refused.status_code == 200 and (refused.get_json()["status"], refused.get_json()["note"]) == ("refused", "不同意")
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "hire_exception").order_by(AuditEvent.id)).all()
    assert actions == ["request", "refuse"]
