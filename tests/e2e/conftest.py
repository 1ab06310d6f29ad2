"""A live server on a database of its own, Debian's Chromium driven by Playwright, and per-journey data.

Chromium speaks Chinese (zh-CN) like the interface. Any console error, failed request, answer of 400 or more (but
those a test declares in `expected_failures`) or request to another host fails the test (new_page).

Every journey runs on the frozen date (tests/conftest.py FROZEN_NOW, seen by the server's threads too), builds
the people it needs through the factories (tests/e2e/people.py) and leaves an empty database behind.
"""
from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import expect
from sqlalchemy import text
from werkzeug.serving import WSGIRequestHandler, make_server

from registry.extensions import db
from tests.app.factories import Factory
from tests.e2e import people
from tests.e2e.helpers import sign_in_on

# A dry run or an import is read, checked, written and recalculated while the page waits: on a busy 2-core CI
# machine that may take longer than Playwright's default 5 s, which is for a page's own changes.
expect.set_options(timeout=15_000)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=zh-CN",
]


def pytest_collection_modifyitems(items) -> None:
    """The journeys share one pytest-xdist worker (--dist loadgroup): one live server, one browser."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("browser"))


class ClosingRequestHandler(WSGIRequestHandler):
    """werkzeug's development server skips closing a response when the browser drops the connection while the
    server drains the request (a page left mid-load at the end of a journey): the static file stays open until
    garbage collection, an unraisable ResourceWarning. This handler closes what the application returned anyway."""

    responses = threading.local()

    def run_wsgi(self) -> None:
        self.responses.open = []
        try:
            super().run_wsgi()
        finally:
            for response in self.responses.open:
                if hasattr(response, "close"):
                    response.close()

    @classmethod
    def wrap(cls, app: Flask):
        def application(environ, start_response):
            response = app(environ, start_response)
            cls.responses.open.append(response)
            return response
        return application


@dataclass
class LiveServer:
    app: Flask
    url: str

    @contextmanager
    def factory(self) -> Iterator[Factory]:
        """A Factory writing into the server's database. Its session ends with the block: on SQLite a reading
        transaction left open would lock the server's writes out."""
        with self.app.app_context():
            yield Factory()

    def empty(self) -> None:
        """Delete every row and every evidence file. The audit trail's append-only triggers are lifted for it and
        restored in the same transaction."""
        with self.app.app_context():
            guards = db.session.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'")
            ).all()
            for name, _sql in guards:
                db.session.execute(text(f'DROP TRIGGER "{name}"'))
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            for _name, sql in guards:
                db.session.execute(text(sql))
            db.session.commit()
        for path in Path(self.app.config["UPLOAD_FOLDER"]).glob("*"):
            path.unlink()


@pytest.fixture(scope="session")
def live_server(make_app, tmp_path_factory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("e2e")
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'e2e.sqlite'}", UPLOAD_FOLDER=str(folder / "evidence"),
                   WTF_CSRF_ENABLED=True)
    with app.app_context():
        upgrade()
    Path(app.config["UPLOAD_FOLDER"]).mkdir()
    server = make_server("127.0.0.1", 0, ClosingRequestHandler.wrap(app), threaded=True,
                         request_handler=ClosingRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join()


@pytest.fixture(autouse=True)
def journey(live_server, frozen_today) -> Iterator[LiveServer]:
    """Each journey on the frozen date, from an empty database that it leaves empty."""
    yield live_server
    live_server.empty()


@pytest.fixture
def city(live_server) -> people.City:
    """The policy in force, the schools and the staff accounts every journey signs in with."""
    with live_server.factory() as make:
        return people.city(make)


@pytest.fixture
def given(live_server, city):
    """given(people.zhang_hongwei, ...) writes those people (tests/e2e/people.py) into the server's database."""

    def write(*builders) -> None:
        with live_server.factory() as make:
            for build in builders:
                build(make, city)

    return write


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    # Run under libfaketime with FAKETIME_DONT_FAKE_MONOTONIC=1 (how the suite proves it passes in a later year),
    # Chromium's timers stall; with both of its clocks faked it works, and lives in that year like the rest.
    env = {name: value for name, value in os.environ.items() if name != "FAKETIME_DONT_FAKE_MONOTONIC"}
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, env=env)
        yield chromium
        chromium.close()


@pytest.fixture
def script_failures() -> list[str]:
    """Every console error of any page of the test (what the browser refused under the Content-Security-Policy
    among them) and every script that threw (new_page fails the test on any; a test provoking one on purpose
    removes it)."""
    return []


@pytest.fixture
def request_failures() -> list[str]:
    """Requests that failed, were answered with a status of 400 or more, or went to another host than the live
    server, on any page of the test (new_page fails the test on any but those of `expected_failures`)."""
    return []


@pytest.fixture
def expected_failures() -> list[str]:
    """Substrings of the URLs a test provokes an error answer from on purpose (a 404, a refused 403, a form
    answered with 400 ...): a test appends them before it provokes them; new_page lets those pass, and the console
    error Chromium logs for them."""
    return []


# Where the browser's own pages live: its PDF viewer (in the review page's evidence frame) loads its styles from these.
BROWSER_OWN_SCHEMES = frozenset({"chrome", "chrome-extension", "chrome-untrusted", "devtools"})


def browser_own(url: str) -> bool:
    """Whether `url` is one of the browser's own pages or resources, never the registry's or another host's."""
    return urlsplit(url).scheme in BROWSER_OWN_SCHEMES


def own_host(url: str, server: str) -> bool:
    """Whether the browser may ask for `url`: the live server's own, or data the page holds (data:, blob:)."""
    address = urlsplit(url)
    return address.scheme in {"data", "blob"} or (address.scheme, address.netloc) == urlsplit(server)[:2]


@pytest.fixture
def new_page(browser, live_server, script_failures, request_failures, expected_failures):
    """new_page(locale="zh-CN") -> a page in a browser context of its own (a person of their own, whose browser
    speaks `locale` and asks for it in Accept-Language); all closed after the test.

    The test fails if any page logged a console error (the Content-Security-Policy's refusals among them), threw
    an uncaught script error, had a request fail or answered 400 or more (but those of `expected_failures`), or
    asked another host than the live server for anything: such a request is refused before it leaves."""
    contexts = []
    closing = threading.Event()

    def expected(url: str) -> bool:
        return closing.is_set() or any(part in url for part in expected_failures)

    def on_console(message) -> None:
        # Chromium logs each thing its Content-Security-Policy refused (inline script, handler, style) as an error,
        # and each resource answered with an error status ("Failed to load resource: ...", located at its URL).
        url = message.location.get("url", "")
        declared = message.text.startswith("Failed to load resource") and expected(url)
        if message.type == "error" and not (declared or closing.is_set() or browser_own(url)):
            script_failures.append(f"console error at {url}: {message.text}")

    def on_script_error(error) -> None:
        script_failures.append(f"{error.page.url if error.page else ''}: {error.error}")

    def on_response(response) -> None:
        if response.status >= 400 and not expected(response.url):
            request_failures.append(f"{response.request.method} {response.url}: {response.status}")

    def on_request_failed(request) -> None:
        # net::ERR_ABORTED is the browser's own cancelling, never the server's failure: a page left before its
        # script finished loading, a download once saved. An answer with an error status is caught by on_response.
        aborted = request.failure == "net::ERR_ABORTED"
        if not (aborted or expected(request.url)) and own_host(request.url, live_server.url):
            request_failures.append(f"{request.method} {request.url}: {request.failure}")

    def keep_home(route) -> None:
        if own_host(route.request.url, live_server.url) or browser_own(route.request.url):
            route.continue_()
        else:
            request_failures.append(f"{route.request.method} {route.request.url}: another host than the live server")
            route.abort("blockedbyclient")

    def open_page(locale: str = "zh-CN"):
        # Reduced motion: no smooth scrolling or sliding menus for a click to chase.
        context = browser.new_context(base_url=live_server.url, locale=locale, reduced_motion="reduce")
        context.on("console", on_console)
        context.on("weberror", on_script_error)
        context.on("response", on_response)
        context.on("requestfailed", on_request_failed)
        context.route("**/*", keep_home)
        contexts.append(context)
        return context.new_page()

    yield open_page
    closing.set()  # what closing the pages cuts short is no failure of theirs
    for context in contexts:
        context.close()
    assert script_failures == [], "a page logged a console error, or the browser refused or failed scripts or styles"
    assert request_failures == [], "a request failed, was answered with an error or went to another host"


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def sign_in(page, city):
    """sign_in(login) -> the test's page, signed in through the form."""
    return lambda login: sign_in_on(page, login)


@pytest.fixture
def second_person(new_page, city):
    """second_person(login) -> another page, in a browser context of its own, signed in alongside the test's page."""
    return lambda login: sign_in_on(new_page(), login)
