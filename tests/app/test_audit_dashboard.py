"""The dashboard: charts drawn on the server, and every number equal to what the list gives."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from registry.errors import Forbidden
from registry.extensions import db
from registry.models import School
from registry.services.compliance import PolicyBook, evaluate_school_leadership
from registry.services.compliance_list import list_totals, parse_filters
from registry.services.dashboard import build_dashboard
from tests.app.factories import AUDIT_AS_OF as AS_OF


def totals(user, **filters):
    return list_totals(user, parse_filters({"as_of": AS_OF.isoformat(), **filters}))


def figure(page: str, name: str) -> int:
    match = re.search(rf'data-figure="{name}">\s*(?:<a [^>]*>)?(\d+)', page)
    assert match, name
    return int(match.group(1))


@pytest.mark.parametrize("login_name", ["bureau", "admin"])
def test_the_dashboard_renders_the_audit_world_with_the_numbers_of_the_list(audit_world, login, login_name):
    response = login(audit_world["users"][login_name]).get(f"/bureau/dashboard?as_of={AS_OF}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    user = audit_world["users"]["bureau"]
    assert figure(page, "total") == totals(user).total
    assert figure(page, "in_office") == totals(user, in_office="1").total
    assert figure(page, "previous-failed") == totals(user, previous="failed").total
    for status, count in totals(user).counts()["practice"].items():
        link = re.search(rf'data-count="practice:{status}"><a [^>]*>(\d+)</a>', page)
        assert int(link.group(1)) == count == totals(user, rule="practice", status=status).total
    assert figure(page, "due") == totals(user, due_by="2027-05-28").total
    assert page.count("<svg") == 3 * 2 and "<script" not in page.split("<main")[1].split("</main>")[0]
    assert "http://" not in page.split("<svg")[1].split("</svg>")[0].replace("http://www.w3.org/2000/svg", "")


def test_each_school_row_agrees_with_the_list_filtered_to_that_school(audit_world):
    user = audit_world["users"]["bureau"]
    board = build_dashboard(user, parse_filters({"as_of": AS_OF.isoformat()}))
    book = PolicyBook.load()
    assert {s.school.id for s in board.schools} == set(db.session.scalars(select(School.id)))
    for summary in board.schools:
        school_id = str(summary.school.id)
        assert summary.totals.counts() == totals(user, school_id=school_id).counts()
        assert summary.in_office == totals(user, school_id=school_id, in_office="1").total
        assert summary.flowing == totals(user, school_id=school_id, in_office="1", post_type="flowing").total
        assert summary.in_order("training") == totals(user, school_id=school_id, rule="training", status="done").total
        assert summary.leadership.status == evaluate_school_leadership(summary.school, date(2026, 11, 28), book).status
    assert board.overall.counts() == totals(user).counts()
    assert sum(n for _label, n, _low, _high in board.histogram()) == board.overall.total - board.overall.counts()["practice"]["not_applicable"]


def test_the_rates_count_exceptions_and_progress_as_in_order(audit_world):
    world = audit_world
    bureau = world["users"]["bureau"]
    board = build_dashboard(bureau, parse_filters({"as_of": AS_OF.isoformat()}))
    school_b = next(s for s in board.schools if s.school.name == "乙校")
    # 乙校: hire non_compliant, exception, compliant (+ one not applicable); practice behind, behind, on_track
    assert school_b.rate("hire") == pytest.approx(2 / 3)
    assert school_b.rate("practice") == pytest.approx(1 / 3)
    assert school_b.rate("training") == pytest.approx(1 / 3)
    assert (school_b.in_office, school_b.flowing) == (4, 1)
    assert [r.name for r in board.due] == ["甲一"]
    assert board.histogram()[0][:2] == ("0–1", 1) and board.histogram()[-1][:2] == ("≥10", 1)
    assert world["schools"]["丙"].id in {s.school.id for s in board.schools}
    leadership = {s.school.name: s.leadership.status for s in board.schools}
    assert leadership == {"甲校": "compliant", "乙校": "non_compliant", "丙校": "compliant"}


def test_the_county_filter_narrows_the_dashboard(audit_world):
    bureau = audit_world["users"]["bureau"]
    board = build_dashboard(bureau, parse_filters({"as_of": AS_OF.isoformat(), "county": "东港市"}))
    assert {s.school.name for s in board.schools} == {"乙校", "丙校"}
    assert board.overall.total == 7


def test_teachers_cannot_open_the_dashboard(audit_world, login):
    assert login(audit_world["users"]["teacher"]).get("/bureau/dashboard").status_code == 403
    with pytest.raises(Forbidden):
        build_dashboard(audit_world["users"]["teacher"], parse_filters({}))
