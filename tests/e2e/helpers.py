"""Small things the browser journeys share: signing in on a page, flash messages, identity numbers, a PDF."""
from __future__ import annotations

from tests.app.factories import Factory


def with_wrong_check_char(number: str) -> str:
    """The same number with a check character that does not fit."""
    wrong = next(c for c in "0123456789X" if c != number[-1])
    return number[:-1] + wrong


def sign_in_on(page, login: str):
    """Sign in through the form on `page` (any browser context) with the factories' password."""
    page.goto("/login")
    page.get_by_label("登录名").fill(login)
    page.get_by_label("密码").fill(Factory.PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
    return page


def flash(page):
    """The flash messages at the top of the page."""
    return page.locator("main .alert[role=alert]")


def tiny_pdf() -> bytes:
    """A small but well-formed one-page PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body
