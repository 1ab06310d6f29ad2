"""One parser of query parameters for pages, API and exports (registry.schemas.queries), and the helpers around it."""
from __future__ import annotations

from datetime import date

import pytest
from flask import Request
from werkzeug.test import EnvironBuilder

from registry.api_paths import is_api_request
from registry.errors import Invalid
from registry.schemas.compliance import ComplianceQueryIn
from registry.schemas.queries import (
    MAX_PER_PAGE,
    AsOfQuery,
    Paging,
    TeacherListQuery,
    parse_query,
    parse_query_reporting,
)
from registry.services.compliance_list import ListQuery, parse_filters, parse_filters_leniently
from registry.services.compliance_list.filters import school_clauses
from tests.app.factories import AUDIT_AS_OF as AS_OF


def test_the_as_of_day_is_the_date_given_or_today(app, ctx, frozen_today):
    assert parse_query(AsOfQuery, {"as_of": "2024-02-29"}).day() == date(2024, 2, 29)
    assert parse_query(AsOfQuery, {}).day() == frozen_today
    assert parse_query(AsOfQuery, {"as_of": ""}).day() == frozen_today
    assert parse_filters({}).as_of == frozen_today


def test_the_compliance_query_is_paged_and_dated_like_every_other_list(app, ctx):
    assert issubclass(ComplianceQueryIn, AsOfQuery) and issubclass(ComplianceQueryIn, Paging)
    assert parse_query(ComplianceQueryIn, {}).per_page == parse_query(TeacherListQuery, {}).per_page
    for name in ("page", "per_page"):  # the same limits
        with pytest.raises(Invalid):
            parse_query(ComplianceQueryIn, {name: "0"})
        with pytest.raises(Invalid):
            parse_query(TeacherListQuery, {name: "0"})
    with pytest.raises(Invalid):
        parse_query(ComplianceQueryIn, {"per_page": str(MAX_PER_PAGE + 1)})
    assert parse_query(ComplianceQueryIn, {"per_page": str(MAX_PER_PAGE)}).per_page == MAX_PER_PAGE


def test_a_page_drops_the_bad_parameters_and_says_which(app, ctx):
    query, errors = parse_query_reporting(TeacherListQuery, {"school_id": "abc", "q": "李", "per_page": "7"})
    assert (query.school_id, query.q, query.per_page) == (None, "李", 7)
    assert set(errors) == {"school_id"}


def test_when_what_is_left_still_fails_every_default_applies(app, ctx):
    # "not_applicable" is fine beside a rule, but names no single rule without one.
    query, errors = parse_filters_leniently({"rule": "salary", "status": "not_applicable", "q": "甲"})
    assert set(errors) == {"rule"}
    assert (query.rule, query.status, query.q) == (None, None, "")


@pytest.mark.parametrize("name", ["sort", "page", "per_page", "in_office", "rule", "status", "as_of", "school_id"])
def test_a_blank_parameter_of_the_compliance_list_is_ignored_like_elsewhere(app, ctx, frozen_today, name):
    assert parse_filters({name: ""}) == parse_filters({}) == ListQuery(as_of=frozen_today)


def test_the_api_ignores_a_blank_sort_and_still_refuses_a_bad_one(audit_world, make, client):
    token = make.tokens(audit_world["users"])["bureau"]
    blank = client.get("/api/v1/compliance", headers=token, query_string={"as_of": AS_OF.isoformat(), "sort": "", "page": ""})
    plain = client.get("/api/v1/compliance", headers=token, query_string={"as_of": AS_OF.isoformat()})
    assert blank.status_code == 200 and blank.get_json() == plain.get_json()
    bad = client.get("/api/v1/compliance", headers=token, query_string={"sort": "salary"})
    assert bad.status_code == 400 and set(bad.get_json()["errors"]) == {"sort"}


def test_the_school_filters_pick_the_schools_too(audit_world, ctx):
    from registry.extensions import db
    from registry.models import School

    chosen = audit_world["schools"]["乙"]
    query = ListQuery(as_of=AS_OF, school_id=chosen.id)
    assert db.session.scalars(db.select(School).where(*school_clauses(query))).all() == [chosen]
    county = ListQuery(as_of=AS_OF, county=chosen.county)
    assert chosen in db.session.scalars(db.select(School).where(*school_clauses(county))).all()
    assert school_clauses(ListQuery(as_of=AS_OF, q="甲")) == []


@pytest.mark.parametrize(
    "path, api",
    [("/api/v1/teachers", True), ("/api/v1", True), ("/api", True), ("/api/v2/x", True), ("/apiary", False),
     ("/bureau/compliance", False), ("/", False)],
)
def test_an_api_request_is_known_by_its_path(path, api):
    assert is_api_request(Request(EnvironBuilder(path=path).get_environ())) is api


def test_an_unknown_api_url_answers_json_and_an_unknown_page_html(client):
    api = client.get("/api/v2/nothing")
    page = client.get("/nothing-here")
    assert (api.status_code, api.is_json) == (404, True)
    assert (page.status_code, page.is_json) == (404, False)
