"""Every role's main pages photographed whole, on a desktop (1280 px) and on a phone (375 px): the screenshots are the
run's artefacts, tests/e2e/artefacts/<role>-<page>-<width>.png (ignored by git), for a person to look over."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.helpers import sign_in_on
from tests.e2e.test_languages import LOGINS, PAGES, build_world

pytestmark = pytest.mark.e2e

ARTEFACTS = Path(__file__).parent / "artefacts"
WIDTHS = (1280, 375)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def page_name(template: str) -> str:
    """'/' -> 'home', '/teachers/{teacher}/edit' -> 'teachers-teacher-edit'."""
    return "-".join(re.sub(r"[{}]", "", part) for part in template.strip("/").split("/")) or "home"


def is_png(path: Path) -> bool:
    """A non-empty PNG: its signature and at least one chunk (the image header) after it."""
    return path.is_file() and path.stat().st_size > len(PNG_SIGNATURE) + 12 and path.read_bytes()[:16] == (
        PNG_SIGNATURE + b"\x00\x00\x00\x0dIHDR")


@pytest.mark.parametrize(("template", "name"), [("/", "home"), ("/practice/{record}/edit", "practice-record-edit"),
                                                ("/notifications/", "notifications")])
def test_a_page_is_named_by_its_path(template, name):
    assert page_name(template) == name


def test_a_png_is_told_from_an_empty_or_other_file(tmp_path):
    empty, text = tmp_path / "empty.png", tmp_path / "text.png"
    empty.write_bytes(b"")
    text.write_bytes(b"not an image, only a long enough text")
    assert not is_png(empty) and not is_png(text) and not is_png(tmp_path / "missing.png")


@pytest.mark.parametrize("role", list(PAGES))
def test_every_main_page_of_the_role_is_saved_as_a_full_page_screenshot_at_both_widths(role, live_server, city,
                                                                                       new_page):
    ids = build_world(live_server, city, "zh_CN")
    ARTEFACTS.mkdir(exist_ok=True)
    for old in ARTEFACTS.glob(f"{role}-*.png"):  # this run's files only
        old.unlink(missing_ok=True)  # a run beside this one in the same checkout may have taken it
    expected = []
    for width in WIDTHS:
        page = new_page()  # a browser context of its own for each width
        page.set_viewport_size({"width": width, "height": 800})
        sign_in_on(page, LOGINS[role])
        for template in PAGES[role]:
            response = page.goto(template.format(**ids))
            assert response is not None and response.ok, f"{role} {template}: {response and response.status}"
            path = ARTEFACTS / f"{role}-{page_name(template)}-{width}.png"
            page.screenshot(path=path, full_page=True, animations="disabled")
            expected.append(path)
    assert len(expected) == len(WIDTHS) * len(PAGES[role])
    assert [path.name for path in expected if not is_png(path)] == []
