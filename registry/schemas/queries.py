"""Query parameters of the lists, each parsed by one pydantic model, for the pages and the API alike.

The API refuses a bad parameter (Invalid: 400 naming every bad one); a page drops
it and shows the list without it. The OpenAPI document lists the parameters of
each operation from the same model (registry.api.openapi).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field
from sqlalchemy import Select

from registry.config import Config
from registry.dates import today
from registry.errors import Invalid
from registry.models import Teacher
from registry.rules.vocabulary import ExceptionStatus
from registry.schemas.errors import load
from registry.schemas.fields import OptionalDate, PageNumber, RecordId, Schema, optional, text

MAX_PER_PAGE = 200
PerPage = Annotated[int, Field(ge=1, le=MAX_PER_PAGE)]
Query = TypeVar("Query", bound=Schema)


class Paging(Schema):
    """Which page of a list, and how long a page is."""

    page: PageNumber = 1
    per_page: PerPage = Config.PER_PAGE


class TeacherListQuery(Paging):
    """The teacher list: GET /api/v1/teachers and the teacher list page."""

    school_id: optional(RecordId) = None
    q: Annotated[text(50, required=False), Field(description="姓名包含")] = ""

    def filter(self, teachers: Select) -> Select:
        """`teachers` (a select of Teacher) narrowed to the school and the name asked for."""
        if self.school_id is not None:
            teachers = teachers.where(Teacher.school_id == self.school_id)
        if self.q:
            teachers = teachers.where(Teacher.name.contains(self.q, autoescape=True))
        return teachers


class ExceptionListQuery(Paging):
    """The hire exception requests: GET /api/v1/hire-exceptions."""

    status: optional(Literal[ExceptionStatus.codes()]) = None


class AsOfQuery(Schema):
    """The day a compliance result is worked out for; None means today (`day()` resolves it)."""

    as_of: Annotated[OptionalDate, Field(description="核算日期，默认今天")] = None

    def day(self) -> date:
        """The date asked for, or today in Dandong when none was given."""
        return self.as_of or today()


def given(model: type[Schema], args: Mapping[str, Any]) -> dict[str, Any]:
    """The model's parameters that were given; an empty one counts as left out, other parameters are ignored."""
    return {name: args[name] for name in model.model_fields if args.get(name) not in (None, "")}


def parse_query(model: type[Query], args: Mapping[str, Any]) -> Query:
    """The query parameters as `model`; raises Invalid naming every bad parameter."""
    return load(model, given(model, args))


def parse_query_reporting(model: type[Query], args: Mapping[str, Any]) -> tuple[Query, dict[str, str]]:
    """For a page: the query without the bad parameters (their defaults apply), and {parameter: message} of those.

    When what is left still fails (a parameter that was fine only beside a bad one), every default applies.
    """
    try:
        return parse_query(model, args), {}
    except Invalid as exc:
        kept = {name: value for name, value in given(model, args).items() if name not in exc.errors}
        try:
            return load(model, kept), exc.errors
        except Invalid:
            return load(model, {}), exc.errors


def parse_query_leniently(model: type[Query], args: Mapping[str, Any]) -> Query:
    """For a page: the bad parameters are left out (their defaults apply) instead of refusing the page."""
    return parse_query_reporting(model, args)[0]
