"""The OpenAPI document describes exactly the routes of /api/v1, with the schemas the code validates with."""
import re

import schemathesis

from registry.api.openapi import OPERATIONS
from registry.schemas import TeacherIn


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule).removeprefix("/api/v1")


def test_every_api_route_is_documented_and_nothing_else(app):
    routes = {
        (method.lower(), openapi_path(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(op.method, op.path) for op in OPERATIONS}
    assert routes - documented == set(), "routes missing from the OpenAPI document"
    assert documented - routes == set(), "documented operations without a route"


def test_the_document_is_served_without_a_token_and_is_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_request_bodies_are_the_validation_schemas_themselves(client):
    document = client.get("/api/v1/openapi.json").get_json()
    teacher = document["components"]["schemas"]["TeacherIn"]
    assert set(teacher["properties"]) == set(TeacherIn.model_fields)
    assert teacher["properties"]["course_type"]["enum"] == ["specialty", "internship", "general"]
    assert "required" not in document["components"]["schemas"]["TeacherInPatch"]


def test_schemathesis_accepts_the_document(client):
    schema = schemathesis.openapi.from_dict(client.get("/api/v1/openapi.json").get_json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(OPERATIONS)
