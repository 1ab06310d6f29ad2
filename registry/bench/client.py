"""Requests the way a browser makes them, for the measures that go through the pages (the import, the printed list)."""
from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
BUREAU_LOGIN = "bench_bureau"  # the bureau account every read is made as
HR_LOGIN = "bench_hr"  # HR of the school written to and imported into


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on the page at `path`."""
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def signed_in_client(app: Flask, login: str, password: str) -> FlaskClient:
    """A test client of `app` signed in through the sign-in form. Raises RuntimeError when the sign-in fails."""
    client = app.test_client()
    answer = client.post("/login", data={"login": login, "password": password, "csrf_token": csrf_token(client, "/login")})
    if answer.status_code != 302:
        raise RuntimeError(f"signing in as {login} failed ({answer.status_code})")
    return client
