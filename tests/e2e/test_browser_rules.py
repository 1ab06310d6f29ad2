"""The browser tests' own rules (tests/e2e/conftest.py, new_page): a console error, an error answer or a request to
another host fails any test, unless the test declared the error answer it provokes; the browser speaks Chinese."""
import pytest
from playwright.sync_api import Error

pytestmark = pytest.mark.e2e

MISSING = "/static/css/nowhere.css"


def test_a_console_error_would_fail_the_journey(sign_in, script_failures):
    page = sign_in("hr")
    page.evaluate("console.error('probe')")
    assert [failure for failure in script_failures if failure.endswith(": probe")] == script_failures != []
    script_failures.clear()  # provoked on purpose; any other would fail the test


def test_a_missing_file_would_fail_the_journey(sign_in, script_failures, request_failures):
    page = sign_in("hr")
    with page.expect_console_message(lambda message: "404" in message.text):  # "Failed to load resource: ..."
        assert page.evaluate(f"fetch('{MISSING}').then(response => response.status)") == 404
    assert request_failures == [f"GET {page.url.rstrip('/')}{MISSING}: 404"]
    assert len(script_failures) == 1 and MISSING in script_failures[0]
    request_failures.clear()  # provoked on purpose; any other would fail the test
    script_failures.clear()


def test_an_error_answer_the_test_declares_passes(sign_in, expected_failures, script_failures, request_failures):
    expected_failures.append(MISSING)
    page = sign_in("hr")
    assert page.evaluate(f"fetch('{MISSING}').then(response => response.status)") == 404
    assert (script_failures, request_failures) == ([], [])


def test_a_request_to_another_host_is_refused_and_would_fail_the_journey(sign_in, request_failures):
    page = sign_in("hr")
    with pytest.raises(Error, match="ERR_BLOCKED_BY_CLIENT"):
        page.goto("http://registry.example/")
    assert request_failures == ["GET http://registry.example/: another host than the live server"]
    request_failures.clear()  # provoked on purpose


def test_the_browser_speaks_chinese(page, live_server):
    page.goto("/login")
    assert page.evaluate("[navigator.language, Intl.DateTimeFormat().resolvedOptions().locale]") == ["zh-CN", "zh-CN"]
