"""The whole compliance list printed (/bureau/compliance/print): every row of the filtered list, not one page, with
the list's filters, date, order and scope; past COMPLIANCE_PRINT_MAX_ROWS it says so and prints nothing."""
from __future__ import annotations

import html
import re

import pytest

from registry.services.compliance_list import iter_rows, parse_filters
from tests.app.factories import AUDIT_AS_OF as AS_OF
from tests.app.factories import id_number
from tests.app.test_audit_exports import FILTER_SETS

PRINT = "/bureau/compliance/print"
ROW = re.compile(r'<tr data-teacher="(\d+)"')


def teacher_ids(body: str) -> list[int]:
    """The teachers the page lists, in its order."""
    return [int(found) for found in ROW.findall(body)]


def expected_ids(user, filters: dict) -> list[int]:
    return [row.teacher_id for row in iter_rows(user, parse_filters({"as_of": AS_OF.isoformat(), **filters}))]


def text_of(response) -> str:
    """The page's text with the tags taken out, entities read (to find sentences that run across elements)."""
    return html.unescape(re.sub(r"<[^>]+>", "", response.get_data(as_text=True)))


@pytest.fixture
def sixty(make) -> dict:
    """Sixty teachers named 打印01号… at one school (more than the list's 50 a page), one teacher named otherwise, and a
    bureau account."""
    school = make.school(name="打印测试学校")
    ids = [make.teacher(school, name=f"打印{n:02d}号", id_number=id_number(8000 + n)).id for n in range(1, 61)]
    make.teacher(school, name="别的教师", id_number=id_number(8100))
    return {"ids": ids, "bureau": make.user("bureau")}


def test_the_printed_list_holds_every_row_of_the_filtered_list_past_the_first_page(sixty, login):
    client = login(sixty["bureau"])
    paged = client.get("/bureau/compliance", query_string={"q": "打印"})
    assert len(teacher_ids(paged.get_data(as_text=True))) == 50  # the list on screen is paged

    response = client.get(PRINT, query_string={"q": "打印"})

    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert sorted(teacher_ids(body)) == sorted(sixty["ids"])  # all sixty, the other teacher filtered out
    assert "别的教师" not in body
    assert 'class="pagination' not in body
    assert "data-print" in body and "data-too-many" not in body
    assert "合规名单（全部 60 人）" in text_of(response)


def test_the_paged_list_links_to_the_whole_list_printed_with_its_filters_and_order_but_not_its_page(sixty, login):
    client = login(sixty["bureau"])
    body = client.get("/bureau/compliance", query_string={"q": "打印", "sort": "-name", "page": 2, "per_page": 20}).get_data(as_text=True)

    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*data-print-all>([^<]+)</a>', body)

    assert link is not None
    href, words = html.unescape(link.group(1)), link.group(2)
    assert href.startswith(PRINT + "?")
    assert "q=%E6%89%93%E5%8D%B0" in href and "sort=-name" in href  # 打印, url-encoded
    assert "page=" not in href
    assert words == "打印全部（60 人）"


def test_the_paged_list_says_on_paper_that_it_is_one_page_of_several(sixty, login):
    client = login(sixty["bureau"])

    several = text_of(client.get("/bureau/compliance", query_string={"q": "打印", "page": 2}))
    one = text_of(client.get("/bureau/compliance", query_string={"q": "打印01"}))

    assert "第 2 / 2 页，共 60 人" in several
    assert "要打印全部 60 人，请点击名单上方的“打印全部”按钮" in several
    assert "要打印全部" not in one  # a list of one page is the whole list: nothing to add


@pytest.mark.parametrize("filters", FILTER_SETS)
def test_the_printed_list_is_the_filtered_list_row_for_row_in_its_order(audit_world, login, filters):
    bureau = audit_world["users"]["bureau"]

    response = login(bureau).get(PRINT, query_string={"as_of": AS_OF.isoformat(), **filters})

    assert response.status_code == 200
    assert teacher_ids(response.get_data(as_text=True)) == expected_ids(bureau, filters)


def test_the_printed_list_states_its_date_filters_policy_and_totals_on_paper(audit_world, login):
    response = login(audit_world["users"]["bureau"]).get(
        PRINT, query_string={"as_of": AS_OF.isoformat(), "county": "东港市", "rule": "practice", "status": "behind"})

    header = re.search(r'<header class="print-header.*?</header>', response.get_data(as_text=True), re.S)
    assert header is not None
    words = html.unescape(re.sub(r"<[^>]+>", " ", header.group(0)))
    assert "核算日期" in words and AS_OF.isoformat() in words
    assert "县（市、区）：东港市" in words and "企业实践：进度落后" in words
    assert "政策版本" in words and "起施行的版本" in words
    assert "合计" in words and "2 人" in words  # 乙一 and 乙二
    assert "进度落后 2" in words  # the counts by status


def test_the_back_link_returns_to_the_list_with_the_same_filters(audit_world, login):
    response = login(audit_world["users"]["bureau"]).get(
        PRINT, query_string={"as_of": AS_OF.isoformat(), "county": "东港市", "sort": "name"})

    back = re.search(r'<a [^>]*href="([^"]+)"[^>]*>返回合规名单</a>', response.get_data(as_text=True))

    assert back is not None
    href = html.unescape(back.group(1))
    assert href.startswith("/bureau/compliance?")
    assert f"as_of={AS_OF.isoformat()}" in href and "sort=name" in href and "county=" in href


def test_hr_prints_only_the_teachers_of_its_own_school(audit_world, login):
    hr = audit_world["users"]["hr"]

    response = login(hr).get(PRINT, query_string={"as_of": AS_OF.isoformat()})

    ids = teacher_ids(response.get_data(as_text=True))
    own = {t.id for name, t in audit_world["teachers"].items() if name.startswith("甲")}
    assert set(ids) == own
    assert ids == expected_ids(hr, {})


def test_hr_naming_another_schools_id_prints_none_of_its_teachers_nor_its_name(audit_world, login):
    other = audit_world["schools"]["乙"]

    response = login(audit_world["users"]["hr"]).get(PRINT, query_string={"as_of": AS_OF.isoformat(), "school_id": other.id})

    body = response.get_data(as_text=True)
    assert teacher_ids(body) == []
    assert "乙校" not in body and f"#{other.id}" in body


def test_a_teacher_is_refused_the_printed_list_as_the_list(audit_world, login):
    client = login(audit_world["users"]["teacher"])

    listed = client.get("/bureau/compliance")
    printed = client.get(PRINT)

    assert listed.status_code == 403
    assert printed.status_code == 403
    assert teacher_ids(printed.get_data(as_text=True)) == []


@pytest.mark.parametrize("role", ["admin", "hr_b"])
def test_whoever_may_read_the_list_may_print_it_and_sees_the_same_teachers(audit_world, login, role):
    client = login(audit_world["users"][role])

    listed = client.get("/bureau/compliance", query_string={"as_of": AS_OF.isoformat(), "per_page": 200})
    printed = client.get(PRINT, query_string={"as_of": AS_OF.isoformat()})

    assert listed.status_code == printed.status_code == 200
    assert teacher_ids(printed.get_data(as_text=True)) == teacher_ids(listed.get_data(as_text=True)) != []


def test_signed_out_the_printed_list_sends_to_the_sign_in_page(audit_world, client):
    response = client.get(PRINT)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_past_the_limit_it_says_how_many_and_asks_to_narrow_the_filters_printing_no_row(sixty, login, app, monkeypatch):
    monkeypatch.setitem(app.config, "COMPLIANCE_PRINT_MAX_ROWS", 59)

    response = login(sixty["bureau"]).get(PRINT, query_string={"q": "打印"})

    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert teacher_ids(body) == []
    assert "data-too-many" in body and "data-print" not in body.replace("data-print-", "")
    words = text_of(response)
    assert "符合当前筛选条件的教师有 60 人，一次最多打印 59 人" in words
    assert "缩小筛选范围" in words and "导出 Excel" in words
    assert re.search(r'href="/bureau/compliance\.xlsx\?[^"]*q=%E6%89%93%E5%8D%B0', body)  # the Excel export of the same list


def test_at_the_limit_exactly_the_whole_list_is_printed(sixty, login, app, monkeypatch):
    monkeypatch.setitem(app.config, "COMPLIANCE_PRINT_MAX_ROWS", 60)

    body = login(sixty["bureau"]).get(PRINT, query_string={"q": "打印"}).get_data(as_text=True)

    assert len(teacher_ids(body)) == 60
    assert "data-too-many" not in body


def test_a_bad_filter_is_named_and_left_out_as_on_the_list(sixty, login):
    response = login(sixty["bureau"]).get(PRINT, query_string={"q": "打印", "course_type": "nonsense"})

    assert response.status_code == 200
    assert len(teacher_ids(response.get_data(as_text=True))) == 60
    assert "取值“nonsense”不是可选项" in text_of(response)
