"""Schools: creating them, and reading them with their leadership verdict and compliance totals."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import permissions
from registry.errors import Invalid
from registry.extensions import db
from registry.models import School, Teacher, User
from registry.rules.engine import LeadershipResult
from registry.schemas import SchoolIn, load
from registry.services import compliance_list, verdicts
from registry.services.audit import record_event, snapshot, update_audited
from registry.services.compliance import evaluate_school_leadership
from registry.sort_keys import name_key
from registry.transactions import atomic


def known_counties() -> list[str]:
    """The counties (县（市、区）) schools are filed under, in pinyin order: what the school form suggests, so that one
    county is not spelt two ways in the bureau's filters and county totals."""
    return sorted(db.session.scalars(select(School.county).distinct()), key=name_key)


@atomic
def create_school(actor: User | None, data: dict) -> School:
    """Create a school. `actor` None means the command line. Invalid on bad fields or a name already taken."""
    if actor is not None:
        permissions.authorize(actor, "manage_schools")
    clean = load(SchoolIn, data)
    if db.session.scalar(select(School.id).where(School.name == clean.name)) is not None:
        raise Invalid({"name": _("已有同名学校")})
    school = School(name=clean.name, county=clean.county)
    db.session.add(school)
    record_event(actor, "create", school, after=snapshot(school))
    return school


@atomic
def update_school(actor: User, school_id: int, data: dict) -> School:
    """Change a school's name and county (registry.schemas.SchoolIn) and return it; recorded as "update" with
    what changed. Its teachers' stored results take the new name and county (registry.services.verdicts).

    Forbidden unless the administrator; NotFound for an unknown id; Invalid on bad fields or a name already taken.
    """
    school = permissions.find(actor, "manage_schools", School, school_id)
    clean = load(SchoolIn, data)
    if db.session.scalar(select(School.id).where(School.name == clean.name, School.id != school.id)) is not None:
        raise Invalid({"name": _("已有同名学校，请换一个名称")})
    update_audited(actor, school, {"name": clean.name, "county": clean.county})
    return school


def visible_schools(actor: User) -> list[School]:
    """The schools the actor may see, by name in pinyin order (a teacher or HR sees their own school)."""
    return list(db.session.scalars(permissions.schools_query(actor)))


def schools_with_leadership(actor: User, as_of: date) -> list[tuple[School, verdicts.LeadershipVerdict]]:
    """Each school the actor may see with its leadership verdict as of `as_of` (Forbidden for teachers)."""
    permissions.authorize(actor, "read_schools")
    schools = visible_schools(actor)
    leadership = verdicts.school_leadership([s.id for s in schools], as_of)
    return [(school, leadership[school.id]) for school in schools]


@dataclass(frozen=True)
class SchoolDetail:
    school: School
    leadership: LeadershipResult
    leaders: list[Teacher]  # the school's leadership members the actor may see, by name


def school_detail(actor: User, school_id: int, as_of: date) -> SchoolDetail:
    """One school the actor may see, with its leadership verdict and members (Forbidden for teachers; NotFound)."""
    school = permissions.find(actor, "read_schools", School, school_id)
    leaders = db.session.scalars(
        permissions.teachers_query(actor)
        .where(Teacher.school_id == school.id, Teacher.leadership.is_(True))
        .order_by(Teacher.name_key)
    )
    return SchoolDetail(school, evaluate_school_leadership(school, as_of), list(leaders))


def school_compliance(actor: User, school_id: int, as_of: date) -> dict[str, Any]:
    """A school's leadership verdict and the counts per rule status of its teachers as of `as_of`.

    For users who read the compliance lists (Forbidden otherwise); NotFound for a school they cannot see.
    """
    school = permissions.find(actor, "read_compliance_lists", School, school_id)
    query = compliance_list.ListQuery(as_of=as_of, school_id=school.id)
    totals = compliance_list.list_totals(actor, query)
    return {
        "school_id": school.id,
        "leadership": verdicts.school_leadership([school.id], as_of)[school.id],
        "teachers": totals.total,
        "by_rule": totals.counts(),
    }
