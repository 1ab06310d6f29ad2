"""Schools."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from registry import permissions
from registry.errors import Invalid
from registry.extensions import db
from registry.models import School, User
from registry.schemas import SchoolIn, load
from registry.services.audit import record_event, snapshot


def create_school(actor: User | None, data: dict) -> School:
    """Create a school. `actor` None means the command line."""
    if actor is not None:
        permissions.require(actor, "manage_schools")
    clean = load(SchoolIn, data)
    if db.session.scalar(select(School.id).where(School.name == clean.name)) is not None:
        raise Invalid({"name": _("已有同名学校")})
    school = School(name=clean.name, county=clean.county)
    db.session.add(school)
    record_event(actor, "create", school, after=snapshot(school))
    db.session.commit()
    return school
