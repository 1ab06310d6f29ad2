"""Schemathesis against the OpenAPI document, on a live test server: no server error, no answer that breaks the document."""
import threading

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.serving import make_server

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = ("school_hr", "teacher", "bureau", "admin")


@pytest.fixture(scope="module")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def api_schema(app, live_server):
    with app.test_client() as client:
        document = client.get("/api/v1/openapi.json").get_json()
    return schemathesis.openapi.from_dict(document)


@pytest.fixture
def tokens(make):
    """One token per role, over a small world with records to find."""
    school = make.school(name="甲校")
    teacher = make.teacher(school, name="甲")
    make.employment(teacher, "2015-01-01", "2020-12-31")
    make.practice(teacher, "2023-01-01", "2023-03-31", status="submitted")
    users = {
        "school_hr": make.user("school_hr", school=school),
        "teacher": make.user("teacher", teacher=teacher),
        "bureau": make.user("bureau"),
        "admin": make.user("admin"),
    }
    return {role: make.token(user) for role, user in users.items()}


def test_the_api_keeps_to_its_document_for_every_role(api_schema, tokens, live_server):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert operations
    for operation in operations:

        # Every operation, every role; 10 examples each (derandomized in CI by the "ci" profile, tests/conftest.py).
        @given(case=operation.as_strategy())
        @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def keeps_to_the_document(case):
            for role in ROLES:
                case.call_and_validate(base_url=f"{live_server}/api/v1", headers=tokens[role], checks=CHECKS)

        keeps_to_the_document()
