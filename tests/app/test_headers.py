"""Security headers on every response (issue 12): a Content-Security-Policy that no inline script or style can
pass, frame and MIME-sniffing protection, no caching of pages and API answers, HSTS over HTTPS only, and a proxy's
forwarded headers believed only when configured (PROXY_FIX_X_*)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Response, request

from registry.config import PROJECT_ROOT, env_count

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
STATIC = "/static/css/registry.css"
# Followed from each role's home page, so that every page the role can reach is looked at.
CRAWL_DEPTH = 3
NOT_PAGES = ("/static/", "/api/", "/evidence/", ".csv", ".xlsx")
URL_ATTRIBUTES = ("href", "src", "action", "formaction")


class Page(HTMLParser):
    """One HTML page: the links it has and whatever in it a CSP without 'unsafe-inline' refuses to run or apply
    (a <script> with a body, an on…= handler, a style= attribute, a <style> element, a javascript: URL)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.inline: list[str] = []
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            script_url = name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:")
            if name.startswith("on") or name == "style" or script_url:
                self.inline.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.inline.append("<style>")
        if tag == "a":
            self.links.extend(value for name, value in attrs if name == "href" and value)
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(f"<script>{data.strip()[:80]}</script>")


def assert_security_headers(response: Response, cached: bool = False) -> None:
    headers = response.headers
    where = f"{response.request.path} ({response.status_code})"
    assert headers.get("Content-Security-Policy") == CSP, where
    assert "unsafe-inline" not in headers["Content-Security-Policy"], where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    assert "camera=()" in headers.get("Permissions-Policy", ""), where
    assert "Strict-Transport-Security" not in headers, f"{where}: HSTS over plain HTTP"
    assert ("no-store" in headers.get("Cache-Control", "")) is not cached, where


def crawl(client, start: str = "/") -> dict[str, Response]:
    """Every page reachable by links from `start` within CRAWL_DEPTH clicks: {path: response}."""
    seen: dict[str, Response] = {}
    frontier = [start]
    for _depth in range(CRAWL_DEPTH + 1):
        following = []
        for path in frontier:
            if path in seen:
                continue
            response = seen[path] = client.get(path)
            if response.status_code == 200 and response.mimetype == "text/html":
                for link in Page(response.get_data(as_text=True)).links:
                    target = urlsplit(urljoin(path, link))
                    if not target.netloc and not any(part in target.path for part in NOT_PAGES):
                        following.append(target.path)
        frontier = following
    return seen


@pytest.fixture
def world(audit_world, make):
    make.hire_exception(audit_world["teachers"]["乙一"])  # a waiting request shows its reason on the exception queue
    return audit_world


@pytest.mark.parametrize(
    "role, must_see",
    [
        ("teacher", {"/", "/practice/", "/teachers/{甲一}", "/tokens"}),
        ("hr", {"/", "/teachers/", "/teachers/new", "/teachers/{甲一}", "/teachers/{甲一}/edit", "/teachers/prehire",
                "/imports/", "/practice/review"}),
        ("hr_b", {"/practice/review", "/teachers/{乙四}"}),
        ("bureau", {"/", "/bureau/compliance", "/bureau/dashboard", "/bureau/exceptions", "/schools/",
                    "/teachers/{乙一}"}),
        ("admin", {"/", "/policies/", "/tokens"}),
    ],
)
def test_every_page_of_every_role_carries_the_headers_and_no_inline_script_or_style(client, login, world, role, must_see):
    login(world["users"][role])
    pages = crawl(client)
    ids = {name: teacher.id for name, teacher in world["teachers"].items()}
    assert {path.format(**ids) for path in must_see} <= pages.keys()
    for path, response in pages.items():
        assert_security_headers(response)
        if response.mimetype == "text/html":
            assert Page(response.get_data(as_text=True)).inline == [], path


def test_the_sign_in_page_and_the_error_pages_carry_the_headers(client, login, world):
    sign_in = client.get("/login")
    assert_security_headers(sign_in)
    assert Page(sign_in.get_data(as_text=True)).inline == []
    login(world["users"]["hr"])
    for path, status in [("/teachers/999999", 404), ("/no-such-page", 404), (f"/teachers/{world['teachers']['乙一'].id}", 404)]:
        response = client.get(path)
        assert response.status_code == status, path
        assert_security_headers(response)
        assert Page(response.get_data(as_text=True)).inline == []


def test_api_answers_and_api_errors_carry_the_headers_and_are_never_stored(client, make, world):
    token = make.token(world["users"]["bureau"])
    answer = client.get("/api/v1/teachers", headers=token)
    assert answer.status_code == 200 and answer.is_json
    assert_security_headers(answer)
    for response in (client.get("/api/v1/teachers"), client.get("/api/v1/teachers/999999", headers=token)):
        assert response.status_code in (401, 404) and response.is_json
        assert_security_headers(response)


def get_static(client, path: str = STATIC, read: bool = False, **kwargs) -> Response:
    with client.get(path, **kwargs) as response:  # a file's response holds it open until closed
        if read:
            response.get_data()  # kept once read: response.data still answers after the close
        return response


def test_static_files_carry_the_headers_and_may_be_cached(client):
    response = get_static(client)
    assert response.status_code == 200
    assert_security_headers(response, cached=True)
    assert get_static(client, "/static/css/no-such-file.css").headers["Cache-Control"] == "no-store"


class IconLinks(HTMLParser):
    """The addresses of a page's <link rel="icon">."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and "icon" in (values.get("rel") or "").lower().split() and values.get("href"):
            self.hrefs.append(values["href"])


def test_the_favicon_is_served_at_the_root_and_linked_by_every_page_as_a_cacheable_image(client, login, world):
    """/favicon.ico (where a browser looks when nothing names an icon) answers an image, without signing in; the
    base layout links an icon, on the sign-in page as on a signed-in page, and that link answers the same image."""
    icon = get_static(client, "/favicon.ico", read=True)
    assert icon.status_code == 200 and icon.mimetype.startswith("image/"), icon.mimetype
    assert icon.data and icon.data == (PROJECT_ROOT / "static" / "favicon.ico").read_bytes()
    assert_security_headers(icon, cached=True)
    sign_in = client.get("/login")
    login(world["users"]["hr"])
    for page in (sign_in, client.get("/")):
        assert page.status_code == 200
        links = IconLinks(page.get_data(as_text=True)).hrefs
        assert len(links) == 1, f"{page.request.path}: {links}"
        linked = get_static(client, links[0], read=True)
        assert linked.status_code == 200 and linked.mimetype.startswith("image/") and linked.data == icon.data


def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in get_static(client).headers
    over_https = get_static(client, base_url="https://localhost")
    assert over_https.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def add_probe(app) -> None:
    """A page answering what the app believes about the request, and one that sets its own CSP and frame options
    (as the evidence download does)."""

    @app.get("/probe")
    def probe():
        return {"secure": request.is_secure, "address": request.remote_addr, "host": request.host}

    @app.get("/own-policy")
    def own_policy():
        return "", 200, {"Content-Security-Policy": "sandbox", "X-Frame-Options": "SAMEORIGIN"}


FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "registry.example"}


def test_a_proxy_is_believed_only_when_configured(make_app):
    untrusting = make_app()
    add_probe(untrusting)
    response = untrusting.test_client().get("/probe", headers=FORWARDED)
    assert response.get_json() == {"secure": False, "address": "127.0.0.1", "host": "localhost"}
    assert "Strict-Transport-Security" not in response.headers

    behind_one_proxy = make_app(PROXY_FIX_X_FOR=1, PROXY_FIX_X_PROTO=1, PROXY_FIX_X_HOST=1)
    add_probe(behind_one_proxy)
    response = behind_one_proxy.test_client().get("/probe", headers=FORWARDED)
    assert response.get_json() == {"secure": True, "address": "203.0.113.7", "host": "registry.example"}
    assert "Strict-Transport-Security" in response.headers


def test_with_only_the_protocol_trusted_a_forwarded_https_request_counts_as_secure(make_app):
    app = make_app(PROXY_FIX_X_PROTO=1)
    add_probe(app)
    response = app.test_client().get("/probe", headers=FORWARDED)
    assert response.get_json() == {"secure": True, "address": "127.0.0.1", "host": "localhost"}
    assert "Strict-Transport-Security" in response.headers


def test_a_proxy_count_that_is_not_a_number_is_refused_with_its_name(monkeypatch):
    monkeypatch.setenv("PROXY_FIX_X_FOR", "yes")
    with pytest.raises(ValueError, match="PROXY_FIX_X_FOR"):
        env_count("PROXY_FIX_X_FOR")
    monkeypatch.setenv("PROXY_FIX_X_FOR", " 2 ")
    assert env_count("PROXY_FIX_X_FOR") == 2


def test_a_view_that_sets_its_own_policy_keeps_it_and_gets_the_other_headers(make_app):
    app = make_app()
    add_probe(app)
    response = app.test_client().get("/own-policy")
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in response.headers["Cache-Control"]


INLINE_IN_SOURCE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle\s*=|\son[a-z]+\s*=\s*[\"']|javascript:", re.I)


# An e-mail is read by mail clients, which drop stylesheets: its HTML is styled inline on purpose, and no page of
# the registry includes it (tests/app/test_deliveries.py checks it carries no script and no external resource).
EMAILS = {"templates/notifications/email.html"}


@pytest.mark.parametrize("template", sorted(
    path.relative_to(PROJECT_ROOT).as_posix() for path in (PROJECT_ROOT / "templates").rglob("*.html")
    if path.relative_to(PROJECT_ROOT).as_posix() not in EMAILS))
def test_no_template_has_inline_script_or_style(template):
    """Also the branches the crawl's data did not reach."""
    source = (PROJECT_ROOT / template).read_text(encoding="utf-8")
    assert INLINE_IN_SOURCE.findall(source) == []
