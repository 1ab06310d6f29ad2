"""Every main page of every role, in Chinese and in English, passes axe-core's WCAG 2.1 A and AA rules without a
serious or critical violation, in a real browser; and on each, every field has a label of its own and every status
badge says its status in words, not by colour alone.

axe-core is vendored (tests/e2e/vendor/axe-core, from the npm registry) and evaluated in the page under test, never
loaded from a CDN; the pages are those the language walk visits (tests/e2e/test_languages.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.helpers import sign_in_on
from tests.e2e.test_languages import LOGINS, PAGES, build_world

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
BROWSER_LOCALES = {"zh_CN": "zh-CN", "en": "en-US"}


def axe_violations(page) -> list[dict]:
    """axe-core's violations of WCAG 2.1 A/AA on the page as it is now, with the nodes at fault. page.evaluate runs
    axe through the DevTools protocol, which the page's Content-Security-Policy does not govern (add_script_tag would
    add an inline script, which it refuses); new_page still fails the test on anything the policy refused."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE)
    return page.evaluate(
        """async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}))
            .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                   nodes: v.nodes.map(n => [n.target.join(' '), n.failureSummary])}))""",
        WCAG_21_AA,
    )


def unlabelled_fields(page) -> list[str]:
    """The form fields a screen reader cannot name by a label of their own: neither a <label> nor aria-label(ledby)
    (a title or a placeholder alone is not a label)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
            .filter(f => !['hidden', 'submit', 'button', 'reset', 'image'].includes(f.type))
            .filter(f => f.labels.length === 0 && !f.getAttribute('aria-label') && !f.getAttribute('aria-labelledby'))
            .map(f => f.outerHTML.slice(0, 120))"""
    )


def badges_without_words(page) -> list[str]:
    """Status badges that say nothing in words (colour alone)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.badge')]
            .filter(b => b.getClientRects().length > 0 && !b.textContent.trim() && !b.getAttribute('aria-label'))
            .map(b => b.outerHTML.slice(0, 120))"""
    )


def report(found: dict[str, list[dict]]) -> str:
    lines = []
    for path, violations in found.items():
        for violation in violations:
            lines.append(f"{path}: [{violation['impact']}] {violation['id']} — {violation['help']}")
            nodes = violation["nodes"]
            lines.extend(f"    {target}: {summary.splitlines()[-1].strip()}" for target, summary in nodes[:5])
            if len(nodes) > 5:
                lines.append(f"    … and {len(nodes) - 5} more")
    return "\n".join(lines)


def problems(page) -> list[dict]:
    """What keeps the page as it is now from WCAG 2.1 AA: axe's serious and critical violations, fields without a
    label, badges without words."""
    found = [violation for violation in axe_violations(page) if violation["impact"] in BLOCKING]
    unlabelled = unlabelled_fields(page)
    if unlabelled:
        found.append({"id": "field-without-label", "impact": "serious", "help": "Every field has a label",
                      "nodes": [[html, "no <label>, aria-label or aria-labelledby"] for html in unlabelled]})
    mute = badges_without_words(page)
    if mute:
        found.append({"id": "badge-colour-only", "impact": "serious", "help": "A status badge says it in words",
                      "nodes": [[html, "a badge with no text"] for html in mute]})
    return found


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("role", list(PAGES))
def test_no_main_page_of_the_role_has_a_serious_or_critical_wcag_violation(role, language, live_server, city,
                                                                           new_page):
    ids = build_world(live_server, city, language)
    found = {}
    # The sign-in page speaks the browser's language (Accept-Language): the account's is not known yet.
    visitor = new_page(locale=BROWSER_LOCALES[language])
    visitor.goto("/login")
    html_lang = visitor.evaluate("document.documentElement.lang")
    assert html_lang.replace("-", "_").startswith(language.split("_")[0]), f"/login is in {html_lang}"
    found["/login"] = problems(visitor)
    page = new_page()  # signs in through the Chinese form; the account's language (build_world) takes over
    sign_in_on(page, LOGINS[role])
    for template in PAGES[role]:
        path = template.format(**ids)
        response = page.goto(path)
        assert response is not None and response.ok, f"{role} {path}: {response and response.status}"
        found[path] = problems(page)
    found = {path: problems_of_page for path, problems_of_page in found.items() if problems_of_page}
    assert not found, f"{role} ({language}):\n{report(found)}"
