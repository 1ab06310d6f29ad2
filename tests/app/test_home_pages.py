"""The staff home pages answer "what do I do now?": each item a short list, its count and a link to the full list,
within the user's scope; and school HR sees the dashboard of its own school."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import delete

from registry.dates import TIMEZONE
from registry.extensions import db
from registry.models import TeacherVerdict
from registry.services import home
from registry.services.compliance_list import list_page, parse_filters
from tests.app.factories import Factory
from tests.app.test_list_queries import counted
from tests.conftest import FROZEN_NOW

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    """An element of a page: its tag, attributes, and children (nodes and text, in order)."""

    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def walk(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def select(self, tag: str | None = None, **attrs: str | bool) -> list[Node]:
        """Descendants with `tag` (any when None) and `attrs` (True: present; data_x names data-x)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [node for node in self.walk() if (tag is None or node.tag == tag) and all(
            (name in node.attrs) if value is True else node.attrs.get(name) == value for name, value in wanted.items())]

    def select_one(self, tag: str | None = None, **attrs: str | bool) -> Node | None:
        found = self.select(tag, **attrs)
        return found[0] if found else None

    def get_text(self) -> str:
        """The text inside, whitespace collapsed to single spaces."""
        def texts(node):
            for child in node.children:
                yield from texts(child) if isinstance(child, Node) else (child,)
        return " ".join("".join(texts(self)).split())


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Node("document", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def page_of(client, url: str = "/") -> Node:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    builder = TreeBuilder()
    builder.feed(response.get_data(as_text=True))
    return builder.root


def section(page: Node, key: str) -> Node:
    found = page.select_one(data_home=key)
    assert found is not None, key
    return found


def count_of(page: Node, key: str) -> int:
    return int(section(page, key).select_one(data_count=key).get_text())


def names_in(page: Node, key: str) -> list[str]:
    """The names an item lists, in order (each entry's first link)."""
    return [li.select_one("a").get_text() for li in section(page, key).select("li")]


def empty_sentence(page: Node, key: str) -> str | None:
    found = section(page, key).select_one(data_empty=key)
    return found.get_text() if found else None


def link_args(page: Node, key: str) -> tuple[str, dict[str, str]]:
    """The path and the query parameters of an item's count link."""
    href = section(page, key).select_one(data_count=key)["href"]
    parts = urlsplit(href)
    return parts.path, dict(parse_qsl(parts.query))


def signed_in(app, user):
    client = app.test_client()
    response = client.post("/login", data={"login": user.login, "password": Factory.PASSWORD})
    assert response.status_code == 302
    return client


# --- school HR ----------------------------------------------------------------------------------------------


VERDICT_ITEMS = ("hire-failing", "practice-lost", "practice-behind", "due", "training")


def test_hr_of_a_school_sees_its_own_teachers_who_need_action_and_no_other_schools(frozen_today, audit_world, app):
    users = audit_world["users"]
    b = page_of(signed_in(app, users["hr_b"]))  # 乙校
    assert names_in(b, "hire-failing") == ["乙一"] and count_of(b, "hire-failing") == 1
    assert sorted(names_in(b, "practice-behind")) == ["乙一", "乙二"] and count_of(b, "practice-behind") == 2
    assert names_in(b, "practice-lost") == [] and empty_sentence(b, "practice-lost") == "暂无本周期已无法完成企业实践的教师。"
    assert sorted(names_in(b, "training")) == ["乙一", "乙二"]
    a = page_of(signed_in(app, users["hr"]))  # 甲校
    assert names_in(a, "practice-lost") == ["甲一"] and names_in(a, "training") == ["甲一"]
    assert names_in(a, "due") == ["甲一"]
    assert "周期至 2027-02-28，尚需 9 个月" in section(a, "due").get_text()
    assert names_in(a, "hire-failing") == [] and empty_sentence(a, "hire-failing") == "暂无招聘条件不符合的教师。"
    shown = " ".join(section(a, key).get_text() for key in VERDICT_ITEMS)
    assert not re.search(r"[乙丙][一二三四]", shown)


@pytest.mark.parametrize("key", VERDICT_ITEMS)
def test_each_count_links_to_the_compliance_list_filtered_to_exactly_the_teachers_listed(frozen_today, audit_world, app, key):
    user = audit_world["users"]["hr_b"]
    client = signed_in(app, user)
    page = page_of(client)
    path, args = link_args(page, key)
    assert path == "/bureau/compliance"
    assert client.get(path, query_string=args).status_code == 200
    listed = list_page(user, parse_filters(args))
    assert listed.total == count_of(page, key)
    assert [row.name for row in listed.rows][:home.HOME_LIST] == names_in(page, key)


def test_the_links_carry_the_date_the_page_was_read_for(frozen_today, audit_world, app):
    page = page_of(signed_in(app, audit_world["users"]["hr_b"]), "/?as_of=2025-06-30")
    for key in VERDICT_ITEMS:
        assert link_args(page, key)[1]["as_of"] == "2025-06-30"
    assert link_args(page, "due")[1]["due_by"] == "2025-12-30"


def submitted(make, teacher, start: str, end: str, at: datetime):
    record = make.practice(teacher, start, end, status="submitted")
    record.submitted_at = at
    db.session.commit()
    return record


def test_practice_waiting_for_review_comes_oldest_first_with_its_age_in_days(make, frozen_today, app, school, hr):
    one, two = make.teacher(school, name="张宏伟"), make.teacher(school, name="李明")
    other_school = make.teacher(make.school(name="乙校"), name="外校教师")
    newer = submitted(make, one, "2026-07-01", "2026-08-31", datetime(2026, 11, 28, 1, tzinfo=UTC))
    older = submitted(make, two, "2026-05-01", "2026-06-30", datetime(2026, 11, 10, 3, tzinfo=UTC))
    submitted(make, other_school, "2026-05-01", "2026-06-30", datetime(2026, 11, 1, tzinfo=UTC))
    page = page_of(signed_in(app, hr))
    entries = section(page, "practice").select("li")
    assert [li["data-practice"] for li in entries] == [str(older.id), str(newer.id)]
    assert "已等待 18 天" in entries[0].get_text() and "今天提交" in entries[1].get_text()
    assert count_of(page, "practice") == 2
    assert link_args(page, "practice")[0] == "/practice/review"


def test_in_english_the_age_of_a_waiting_record_reads_as_english_days(make, frozen_today, app, school, hr):
    teacher = make.teacher(school, name="张宏伟")
    submitted(make, teacher, "2026-05-01", "2026-06-30", datetime(2026, 11, 27, 3, tzinfo=UTC))
    submitted(make, teacher, "2026-07-01", "2026-08-31", datetime(2026, 11, 28, 1, tzinfo=UTC))
    hr.language = "en"
    db.session.commit()
    entries = section(page_of(signed_in(app, hr)), "practice").select("li")
    assert ["waiting 1 day" in entries[0].get_text(), "submitted today" in entries[1].get_text()] == [True, True]


def test_a_school_with_nothing_to_do_says_so_for_every_item(make, frozen_today, app, school, hr):
    page = page_of(signed_in(app, hr))
    assert empty_sentence(page, "practice") == "暂无待审核的企业实践记录。"
    assert empty_sentence(page, "exceptions-waiting") == "暂无等待审批的招聘例外申请。"
    assert empty_sentence(page, "decisions") == "这段时间没有新的审批结果。"
    for key in VERDICT_ITEMS:
        assert count_of(page, key) == 0 and empty_sentence(page, key).startswith("暂无")


def test_exception_decisions_show_since_the_previous_sign_in_and_at_least_for_thirty_days(make, app, school, hr,
                                                                                         time_machine):
    earlier = FROZEN_NOW - timedelta(days=90)
    time_machine.move_to(earlier, tick=False)
    signed_in(app, hr)  # the previous visit, 90 days ago
    time_machine.move_to(FROZEN_NOW, tick=False)
    recent = make.hire_exception(make.teacher(school, name="近期"), status="refused", note="经历证明不全",
                                 decided_at=FROZEN_NOW - timedelta(days=10))
    since_visit = make.hire_exception(make.teacher(school, name="上次以来"), status="approved", note="同意",
                                      decided_at=FROZEN_NOW - timedelta(days=60))
    make.hire_exception(make.teacher(school, name="更早"), status="approved", decided_at=earlier - timedelta(days=5))
    make.hire_exception(make.teacher(make.school(name="乙校"), name="外校"), status="approved",
                        decided_at=FROZEN_NOW - timedelta(days=1))
    waiting = make.hire_exception(make.teacher(school, name="待审批"))
    page = page_of(signed_in(app, hr))
    decisions = section(page, "decisions")
    assert [li["data-exception"] for li in decisions.select("li")] == [str(recent.id), str(since_visit.id)]
    assert "理由：经历证明不全" in decisions.get_text() and count_of(page, "decisions") == 2
    assert f"{earlier.astimezone(TIMEZONE).date().isoformat()} 以来的审批结果" in decisions.get_text()
    assert names_in(page, "exceptions-waiting") == ["待审批"]
    assert section(page, "exceptions-waiting").select_one("li")["data-exception-waiting"] == str(waiting.id)


def test_without_a_previous_sign_in_the_decisions_of_the_last_thirty_days_show(make, frozen_today, app, school, hr):
    make.hire_exception(make.teacher(school, name="近期"), status="approved", decided_at=FROZEN_NOW - timedelta(days=29))
    make.hire_exception(make.teacher(school, name="较早"), status="approved", decided_at=FROZEN_NOW - timedelta(days=31))
    page = page_of(signed_in(app, hr))
    assert names_in(page, "decisions") == ["近期"]
    assert "2026-10-29 以来的审批结果" in section(page, "decisions").get_text()


def test_the_home_page_costs_the_same_queries_however_many_teachers_need_action(make, frozen_today, app, school, hr):
    def queries() -> int:
        client = signed_in(app, hr)
        client.get("/")  # the first reader brings the stored verdicts up to date
        with counted() as seen:
            assert client.get("/").status_code == 200
        return len(seen)

    make.policy_version()
    for n in range(2):
        make.teacher(school, name=f"教师{n}", education="secondary")
    few = queries()
    for n in range(2, 25):
        teacher = make.teacher(school, name=f"教师{n}", education="secondary")
        submitted(make, teacher, "2026-05-01", "2026-06-30", datetime(2026, 11, 1, tzinfo=UTC))
    assert queries() == few


# --- the bureau ---------------------------------------------------------------------------------------------


def test_the_bureau_sees_schools_ranked_by_the_share_of_lagging_teachers_and_those_failing_a_school_rule(
        frozen_today, audit_world, app):
    schools = audit_world["schools"]
    page = page_of(signed_in(app, audit_world["users"]["bureau"]))
    lagging = section(page, "lagging")
    assert [li["data-school"] for li in lagging.select("li")] == [str(schools["乙"].id), str(schools["甲"].id)]
    assert "67%（2 / 3 人）" in lagging.get_text() and "50%（1 / 2 人）" in lagging.get_text()
    assert [li["data-school"] for li in section(page, "leadership").select("li")] == [str(schools["乙"].id)]
    assert {li["data-school"] for li in section(page, "no-flowing").select("li")} == {str(schools["甲"].id),
                                                                                       str(schools["丙"].id)}
    assert link_args(page, "lagging")[0] == "/bureau/dashboard"


def test_the_county_breakdown_sums_each_county_and_links_to_its_lists(frozen_today, audit_world, app):
    client = signed_in(app, audit_world["users"]["bureau"])
    page = page_of(client)
    rows = section(page, "counties").select("tr", data_county=True)
    assert [row["data-county"] for row in rows] == ["丹东市区", "东港市"]  # pinyin order: dan before dong
    cells = {row["data-county"]: [td.get_text() for td in row.select("td")] for row in rows}
    assert cells["东港市"] == ["2", "7", "1", "2 （50%）", "3", "1"]
    assert cells["丹东市区"] == ["1", "3", "0", "1 （50%）", "1", "0"]
    non_compliant = [td.select_one("a") for td in rows[1].select("td")][2]["href"]
    listed = list_page(audit_world["users"]["bureau"], parse_filters(dict(parse_qsl(urlsplit(non_compliant).query))))
    assert [row.name for row in listed.rows] == ["乙一"]


def test_the_bureau_sees_the_exception_requests_waiting_oldest_first_with_their_age(make, frozen_today, app,
                                                                                     two_schools):
    first = make.hire_exception(two_schools["outsider_record"])
    first.requested_at = FROZEN_NOW - timedelta(days=12)
    second = make.hire_exception(two_schools["teacher_record"])
    second.requested_at = FROZEN_NOW - timedelta(days=3)
    db.session.commit()
    page = page_of(signed_in(app, two_schools["bureau"]))
    entries = section(page, "exceptions-waiting").select("li")
    assert [li["data-exception-waiting"] for li in entries] == [str(first.id), str(second.id)]
    assert "乙校" in entries[0].get_text() and "已等待 12 天" in entries[0].get_text()
    assert link_args(page, "exceptions-waiting")[0] == "/bureau/exceptions"


def test_the_bureau_home_with_no_schools_says_what_to_do(make, frozen_today, app):
    page = page_of(signed_in(app, make.user("bureau")))
    assert empty_sentence(page, "counties").startswith("还没有学校：系统管理员在“学校”页面添加学校后")
    assert empty_sentence(page, "lagging") == "暂无企业实践进度落后或本周期已无法完成的教师。"
    assert empty_sentence(page, "exceptions-waiting") == "暂无待审批的招聘例外申请。"


# --- the administrator --------------------------------------------------------------------------------------


def test_the_administrator_sees_unused_and_disabled_accounts_and_versions_still_to_come(make, app, time_machine):
    admin = make.user("admin")
    never = make.user("bureau", login="never-used")
    idle = make.user("bureau", login="idle")
    time_machine.move_to(FROZEN_NOW - timedelta(days=120), tick=False)
    signed_in(app, idle)
    time_machine.move_to(FROZEN_NOW - timedelta(days=10), tick=False)
    signed_in(app, make.user("bureau", login="recent"))
    time_machine.move_to(FROZEN_NOW, tick=False)
    gone = make.user("bureau", login="gone")
    gone.active = False
    db.session.commit()
    make.policy_version()
    coming = make.policy_version("2027-09-01", practice_required_months=6, note="国家规定")
    client = signed_in(app, admin)
    page = page_of(client)
    assert [li["data-user"] for li in section(page, "unused").select("li")] == [str(never.id), str(idle.id)]
    assert "从未登录" in section(page, "unused").get_text() and "上次登录 2026-07-31" in section(page, "unused").get_text()
    assert link_args(page, "unused") == ("/users/", {"unused": "true"})
    listed = page_of(client, "/users/?unused=true").select("tr", data_login=True)
    assert sorted(row["data-login"] for row in listed) == ["idle", "never-used"]
    assert [li["data-user"] for li in section(page, "disabled").select("li")] == [str(gone.id)]
    assert link_args(page, "disabled") == ("/users/", {"active": "false"})
    assert [li["data-policy"] for li in section(page, "coming").select("li")] == [str(coming.id)]
    assert "2027-09-01 起生效" in section(page, "coming").get_text()


def test_the_administrator_sees_the_state_of_the_stored_results_and_of_the_audit_chain(make, frozen_today, app,
                                                                                       monkeypatch):
    admin = make.user("admin")
    page = page_of(signed_in(app, admin))
    state = section(page, "state")
    assert "审计记录完整，共 1 条" in state.select_one(data_state="audit").get_text()  # the admin's sign-in
    teacher = make.teacher(make.school())
    db.session.execute(delete(TeacherVerdict).where(TeacherVerdict.teacher_id == teacher.id))  # as if written elsewhere
    db.session.commit()
    verdicts = page_of(signed_in(app, admin)).select_one(data_state="verdicts").get_text()
    assert "需要更新" in verdicts and "缺少 1 条" in verdicts and "flask compliance refresh" in verdicts
    monkeypatch.setattr(home, "CHAIN_CHECK_LIMIT", 2)
    audit = page_of(signed_in(app, admin)).select_one(data_state="audit").get_text()
    assert "审计记录共 3 条，超过首页校验上限（2 条）" in audit and "flask audit verify" in audit


def test_the_administrator_with_nothing_to_look_at_is_told_so(make, frozen_today, app):
    page = page_of(signed_in(app, make.user("admin")))
    assert empty_sentence(page, "unused").startswith("暂无长期未使用的账号")
    assert empty_sentence(page, "disabled") == "暂无已停用的账号。"
    assert empty_sentence(page, "coming") == "暂无尚未生效的政策参数版本。"


# --- school HR's dashboard ----------------------------------------------------------------------------------


def test_school_hr_sees_the_dashboard_of_its_own_school_only(frozen_today, audit_world, app):
    schools = audit_world["schools"]
    client = signed_in(app, audit_world["users"]["hr"])
    assert 'href="/bureau/dashboard"' in client.get("/").get_data(as_text=True)
    page = page_of(client, "/bureau/dashboard")
    assert [row["data-school"] for row in page.select("tr", data_school=True)] == [str(schools["甲"].id)]
    assert page.select_one(data_figure="total").get_text() == "3"
    assert page_of(client, f"/bureau/dashboard?school_id={schools['甲'].id}").select("tr", data_school=True)
    assert client.get(f"/bureau/dashboard?school_id={schools['乙'].id}").status_code == 404
    assert client.get("/bureau/dashboard?school_id=999999").status_code == 404


def test_the_bureau_still_sees_every_school_on_the_dashboard(frozen_today, audit_world, app):
    page = page_of(signed_in(app, audit_world["users"]["bureau"]), "/bureau/dashboard")
    assert len(page.select("tr", data_school=True)) == 3
    assert page.select_one(data_figure="total").get_text() == "10"


def test_a_teacher_gets_no_staff_home_and_no_dashboard(frozen_today, audit_world, app):
    client = signed_in(app, audit_world["users"]["teacher"])
    assert client.get("/bureau/dashboard").status_code == 403
    assert 'data-home="' not in client.get("/").get_data(as_text=True)


def test_the_waiting_age_counts_whole_days_in_dandong():
    late_evening_utc = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # 01:00 on the 28th in Dandong
    assert home.days_waiting(late_evening_utc, date(2026, 11, 28)) == 0
    assert home.days_waiting(late_evening_utc.replace(tzinfo=None), date(2026, 11, 30)) == 2
    assert home.days_waiting(None, date(2026, 11, 30)) == 0
