"""The OpenAPI document describes exactly the routes of /api/v1, with the schemas the code validates with."""
import re
import typing

import pytest
import schemathesis

from registry import serializers
from registry.api.openapi import OPERATIONS
from registry.rules.vocabulary import VOCABULARIES, ExceptionStatus, PracticeRuleStatus
from registry.schemas import ComplianceQueryIn, TeacherIn
from registry.schemas.queries import ExceptionListQuery, TeacherListQuery


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


# ---------------------------------------------------------------- the document comes from the declarations


def code_lists_in(schema):
    """Every `enum` (and single-code `const`) anywhere in a JSON Schema."""
    if isinstance(schema, dict):
        if "enum" in schema:
            yield tuple(schema["enum"])
        if "const" in schema:
            yield (schema["const"],)
        for value in schema.values():
            yield from code_lists_in(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from code_lists_in(value)


def nested_answers() -> set[type]:
    """The answer models of the operations and every model nested in them."""
    seen: set[type] = set()
    todo = [op.answer for op in OPERATIONS if isinstance(op.answer, type)]
    while todo:
        model = todo.pop()
        if model not in seen:
            seen.add(model)
            todo += [inner for field in model.model_fields.values() for inner in types_in(field.annotation)
                     if isinstance(inner, type) and issubclass(inner, serializers.Answer)]
    return seen


def types_in(annotation) -> list:
    return [annotation, *(inner for arg in typing.get_args(annotation) for inner in types_in(arg))]


def test_answers_are_the_serialisers_and_their_codes_the_vocabulary(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    models = nested_answers()
    assert serializers.Practice in models and serializers.Evidence in models and serializers.HireResult in models
    lists = {codes.codes() for codes in VOCABULARIES.values()}
    found = []
    for model in models:
        assert model.__module__ == serializers.__name__
        assert set(schemas[model.__name__]["properties"]) == set(model.model_fields), model.__name__
        found += code_lists_in(schemas[model.__name__])
    assert len(found) > 20
    for codes in found:  # a whole list, or one code of a list (the status a request is created in)
        assert codes in lists or (len(codes) == 1 and any(codes[0] in whole for whole in lists)), codes
    assert schemas["ComplianceItem"]["properties"]["practice"]["enum"] == list(PracticeRuleStatus.codes())


def test_query_parameters_are_the_fields_of_the_model_that_parses_them(client):
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = {
        (method, path): {p["name"] for p in op["parameters"] if p["in"] == "query"}
        for path, item in document["paths"].items()
        for method, op in item.items()
    }
    assert parameters[("get", "/teachers")] == set(TeacherListQuery.model_fields)
    assert parameters[("get", "/hire-exceptions")] == set(ExceptionListQuery.model_fields)
    assert parameters[("get", "/compliance")] == set(ComplianceQueryIn.model_fields)
    assert parameters[("get", "/compliance.csv")] == set(ComplianceQueryIn.model_fields) - {"page", "per_page"}
    status = next(p for p in document["paths"]["/hire-exceptions"]["get"]["parameters"] if p["name"] == "status")
    assert status["schema"]["enum"] == list(ExceptionStatus.codes())  # a parameter is left out, never null


def test_a_route_is_declared_only_with_a_record_id_in_its_path():
    from registry.api.routes import openapi_path

    assert openapi_path("/teachers/<int:teacher_id>/practice") == "/teachers/{teacher_id}/practice"
    with pytest.raises(ValueError):
        openapi_path("/teachers/<name>")
