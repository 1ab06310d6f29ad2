"""The list in words: the policy in force, the filters in force, the names of the parameters and the options
the page's selects offer (the page, the exports' header block and the dashboard read them from here)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from registry import permissions
from registry.extensions import db
from registry.models import Teacher, User
from registry.rules.explain import threshold_text
from registry.rules.vocabulary import RULE_STATUS, CourseType, Education, PostType
from registry.services.compliance import PolicyBook
from registry.services.compliance_list.filters import FILTERS, active
from registry.services.compliance_list.labels import PREVIOUS_RESULTS, rule_label
from registry.services.compliance_list.query import ListQuery
from registry.services.compliance_list.totals import Totals
from registry.sort_keys import name_key
from registry.vocabulary import choices, label

# Every query parameter in words, for the messages about a bad one.
PARAMETER_LABELS = {
    "as_of": _l("核算日期"), "rule": _l("规则"), "sort": _l("排序"), "page": _l("页码"), "per_page": _l("每页条数"),
    **{f.name: f.label for f in FILTERS},
}


def describe_policy(day: date, book: PolicyBook) -> str:
    """The version in force on `day` and its figures, in one line."""
    version, policy = book.version_on(day), book.on(day)
    since = (
        _("自 %(date)s 起施行的版本", date=version.effective_from.isoformat())
        if version is not None
        else _("默认参数（尚未登记政策版本）")
    )
    figures = _(
        "招聘须企业工作经历 %(hire)s 个月、学历不低于%(education)s；每 %(years)s 年企业实践不少于 %(practice)s 个月；"
        "班子成员企业经历 %(leader)s 个月",
        hire=threshold_text(policy.hire_min_experience_months),
        education=label(Education, policy.hire_min_education),
        years=policy.cycle_years,
        practice=threshold_text(policy.practice_required_months),
        leader=threshold_text(policy.leadership_min_experience_months),
    )
    return f"{since}{_('：')}{figures}"


def describe_filters(user: User, query: ListQuery) -> list[tuple[str, str]]:
    """The filters in force, as (heading, value) pairs in the user's language, in the order of FILTERS."""
    return [f.summary(query, user) for f in active(query)]


def describe_filters_text(user: User, query: ListQuery) -> str:
    """The filters in force in one line (the exports' header block)."""
    parts = describe_filters(user, query)
    return _("；").join(f"{k}{_('：')}{v}" for k, v in parts) if parts else _("无（全部可见教师）")


def describe_counts(totals: Totals) -> list[tuple[str, str]]:
    """(rule name, "status count；status count…") for each rule: the list's counts in words, for paper."""
    return [(rule_label(rule), _("；").join(f"{label(status)} {n}" for status, n in by_status.items()))
            for rule, by_status in totals.counts().items()]


def status_choice(rule: str | None, status: str | None) -> str:
    """The value of the page's one status select for a rule and status ("" for none); the view splits it again."""
    return f"{rule}:{status}" if rule and status else ""


def status_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The page's one status select: (rule name, [("rule:status", "rule name：status label")]) per rule."""
    return [
        (rule_label(rule), [(status_choice(rule, status), f"{rule_label(rule)}{_('：')}{label(status)}") for status in statuses])
        for rule, statuses in RULE_STATUS.items()
    ]


def previous_choices() -> list[tuple[str, str]]:
    """(code, label) of every previous-cycle result."""
    return [(code, label(result)) for code, result in PREVIOUS_RESULTS.items()]


def filter_options(user: User) -> dict[str, list]:
    """What the page's selects offer, as (value, text) pairs (statuses grouped by rule): schools, counties and
    specialties from the user's scope, in pinyin order; codes from the vocabulary."""
    schools = list(db.session.scalars(permissions.schools_query(user)))
    scope = permissions.visible_teacher_ids(user).add_columns(Teacher.specialty).subquery()
    specialties = db.session.scalars(select(scope.c.specialty).distinct()).all()
    return {
        "schools": [(s.id, s.name) for s in schools],
        "counties": [(county, county) for county in sorted({s.county for s in schools}, key=name_key)],
        "specialties": [(specialty, specialty) for specialty in sorted(specialties, key=name_key)],
        "course_types": choices(CourseType),
        "post_types": choices(PostType),
        "statuses": status_choices(),
        "previous": previous_choices(),
    }
