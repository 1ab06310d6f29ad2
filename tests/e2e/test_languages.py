"""Every role's main pages speak one language, in a real browser: with the account's language English, no Chinese
character is left on a page once the names the test data wrote (people, schools, enterprises, the policy note, ...)
are taken out; with Chinese, no English sentence is left beside the few tokens the Chinese interface keeps."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import String, Text, select, update

from registry.extensions import db
from registry.models import PracticeRecord, School, Teacher, User
from registry.services import imports as teacher_sheet
from registry.services.record_imports import template_sheets
from tests.e2e import people
from tests.e2e.helpers import sign_in_on
from tests.e2e.people import MAIN

pytestmark = pytest.mark.e2e

# Each role's main pages; {teacher} is 张宏伟 (login `teacher`), {record} his returned practice record, {school} his
# school, {user} the teacher's account, {pending} a policy version not yet in force (its edit form and its withdrawal
# confirmation are GET pages; the other confirmations, bulk verification's and the one-time password's, only answer a
# POST). The whole list printed is the 打印全部 button's page, whose as-of date is today unless given.
PAGES = {
    "teacher": ["/", "/practice/", "/practice/{record}/edit", "/teachers/{teacher}", "/teachers/{teacher}/dossier",
                "/notifications/", "/account", "/account/password", "/tokens"],
    "hr": ["/", "/teachers/", "/teachers/{teacher}", "/teachers/{teacher}/dossier", "/teachers/{teacher}/edit",
           "/teachers/new", "/teachers/{teacher}/employment/new", "/teachers/{teacher}/certificates/new",
           "/teachers/{teacher}/training/new", "/teachers/prehire", "/practice/review", "/bureau/compliance",
           "/bureau/compliance/print", "/bureau/dashboard", "/imports/", "/schools/{school}", "/notifications/",
           "/account"],
    "bureau": ["/", "/bureau/compliance", "/bureau/compliance/print", "/bureau/dashboard", "/bureau/exceptions",
               "/teachers/", "/teachers/{teacher}", "/teachers/{teacher}/dossier", "/schools/", "/schools/{school}",
               "/policies/", "/notifications/", "/account"],
    "admin": ["/", "/users/", "/users/new", "/users/{user}", "/schools/", "/schools/new", "/schools/{school}/edit",
              "/teachers/", "/bureau/compliance", "/bureau/dashboard", "/bureau/exceptions", "/policies/",
              "/policies/{pending}/edit", "/policies/{pending}/delete", "/notifications/deliveries",
              "/notifications/robot", "/account", "/tokens"],
}

# Chinese characters and the full-width punctuation that goes with them (：，（）、).
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
CJK_RUN = re.compile(rf"{CJK.pattern}(?:[\s/]*{CJK.pattern})*")
# What the Chinese interface writes in Latin letters: names of formats and protocols, the API's words, codes.
KEPT_TOKENS = re.compile(
    r"\b(?:API|PDF|CSV|xlsx|Excel|Webhook|SEC\w*|URL|HTTPS?|https?://\S+|ID|Bearer|token|JSON|OpenAPI|SMTP|WeCom|"
    r"DingTalk|English|SHA-256|MB|KB|YYYY-MM-DD|rg_\w+|(?:flask )?(?:compliance|reminders) [a-z]+|flask(?: [a-z-]+)+)\b"
)
E_MAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Two English words in a row (after the kept tokens are gone) are a sentence, or the start of one.
ENGLISH_WORDS = re.compile(r"[A-Za-z][a-z]+(?:[\s,.'’-]+[A-Za-z][a-z]+)+")


def build_world(live_server, city, language: str) -> dict[str, int]:
    """The journeys' people, a policy version not yet in force, the reminders of the frozen day (notifications for
    every role) and every account set to `language`; returns the ids the page paths name."""
    with live_server.factory() as make:
        for build in (people.zhang_hongwei, people.li_xiaoyan, people.hire_exceptions, people.donggang,
                      people.fengcheng):
            build(make, city)
        pending = make.policy_version("2029-11-17", practice_required_months=6, note="国家标准：5年累计不少于6个月企业实践").id
    runner = live_server.app.test_cli_runner()
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    with live_server.app.app_context():
        db.session.execute(update(User).values(language=language))
        db.session.commit()
        teacher = db.session.scalar(select(Teacher).where(Teacher.name == "张宏伟"))
        record = db.session.scalar(select(PracticeRecord).where(PracticeRecord.teacher_id == teacher.id,
                                                                PracticeRecord.status == "rejected"))
        return {"teacher": teacher.id, "record": record.id, "user": db.session.scalar(select(User.id).where(User.login == "teacher")),
                "school": db.session.scalar(select(School.id).where(School.name == MAIN)), "pending": pending}


def data_texts(live_server, keep) -> list[str]:
    """Every text the test data stored (names, schools, enterprises, reasons, notes, logins, notification
    payloads' names ...) that `keep` matches, longest first so that a name is removed before a part of it."""
    found: set[str] = set()
    with live_server.app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name in {"audit_event", "alembic_version"}:
                continue
            columns = [column for column in table.columns if isinstance(column.type, (String, Text))]
            for row in db.session.execute(select(*columns)) if columns else ():
                found.update(value for value in row if isinstance(value, str) and keep(value))
        db.session.rollback()
    return sorted(found | set(LANGUAGE_NAMES), key=len, reverse=True)


def shown_text(page) -> str:
    """What a person reads or hears on the page: the title, the visible text and the labels given as attributes."""
    return page.evaluate(
        """() => [document.title, document.body.innerText,
                  ...[...document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')]
                      .filter(element => element.getClientRects().length > 0)
                      .flatMap(element => ['aria-label', 'title', 'placeholder', 'alt']
                          .map(name => element.getAttribute(name)).filter(Boolean))].join('\\n')"""
    )


def without(text: str, names: list[str]) -> str:
    """`text` with each of `names` taken out (only as a whole word when it is written in Latin letters)."""
    for name in names:
        text = re.sub(rf"\b{re.escape(name)}\b", " ", text) if name.isascii() else text.replace(name, " ")
    return text


def around(text: str, match: re.Match) -> str:
    return text[max(0, match.start() - 30):match.end() + 30].replace("\n", " ⏎ ")


def file_format(live_server) -> list[str]:
    """The words of the import file, which are Chinese in every language (sheet names, column headers and their
    synonyms, the values a coded cell takes): the import page names them as the file must spell them."""
    with live_server.app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        words = {word for sheet in template_sheets()
                 for word in (sheet.name, *(value for column in sheet.columns
                                            for value in (column.header, *column.drop_down)))}
        words |= {synonym for column in teacher_sheet.COLUMNS for synonym in column.synonyms}
    return sorted(words, key=len, reverse=True)


# Pages that show the import file's own (Chinese) words.
FILE_FORMAT_PAGES = {"/imports/"}


def walk(page, role: str, ids: dict[str, int], names: list[str], leftover, format_words=()) -> dict[str, list[str]]:
    """Visit the role's pages; {path: [what is left in the wrong language, in context]} for the pages with any."""
    found: dict[str, list[str]] = {}
    for template in PAGES[role]:
        path = template.format(**ids)
        response = page.goto(path)
        assert response is not None and response.ok, f"{role} {path}: {response and response.status}"
        text = without(shown_text(page), [*names, *(format_words if template in FILE_FORMAT_PAGES else ())])
        wrong = sorted({around(text, match) for match in leftover(text)})
        if wrong:
            found[path] = wrong
    return found


def report(title: str, left: dict[str, list[str]]) -> str:
    return "\n".join([title, *(f"  {path}: {snippet}" for path, snippets in left.items() for snippet in snippets)])


def chinese(text: str):
    return CJK_RUN.finditer(text)


def english_sentences(text: str):
    return ENGLISH_WORDS.finditer(KEPT_TOKENS.sub(" ", E_MAIL.sub(" ", text)))


# The language menu names each language in itself.
LANGUAGE_NAMES = ("中文", "English")
LOGINS = {"teacher": "teacher", "hr": "hr", "bureau": "bureau", "admin": "admin"}


@pytest.mark.parametrize("role", list(PAGES))
def test_in_english_no_page_of_the_role_shows_chinese_outside_the_names_of_the_data(role, live_server, city, page):
    ids = build_world(live_server, city, "en")
    sign_in_on(page, LOGINS[role])
    assert page.locator("html").get_attribute("lang") == "en"
    left = walk(page, role, ids, data_texts(live_server, CJK.search), chinese, file_format(live_server))
    assert not left, report(f"Chinese on {len(left)} English page(s) of {role}", left)


@pytest.mark.parametrize("role", list(PAGES))
def test_in_chinese_no_page_of_the_role_shows_an_english_sentence(role, live_server, city, page):
    ids = build_world(live_server, city, "zh_CN")
    sign_in_on(page, LOGINS[role])
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    left = walk(page, role, ids, data_texts(live_server, lambda value: re.search("[A-Za-z]{2}", value)),
                english_sentences)
    assert not left, report(f"English sentences on {len(left)} Chinese page(s) of {role}", left)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("核查结果：不符合", []),
        ("API 令牌 · 导出 CSV · xlsx · rg_abc · wang@example.org · https://registry.test/x", []),
        ("请填写 Enterprise practice 记录", ["Enterprise practice"]),
        ("Hire check", ["Hire check"]),
    ],
)
def test_the_english_sentence_finder_keeps_the_tokens_and_finds_two_words_in_a_row(text, sentences):
    assert [match.group(0) for match in english_sentences(text)] == sentences
