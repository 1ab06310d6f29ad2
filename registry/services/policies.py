"""Policy versions: the parameters of rules.md with the date each version took effect.

Versions are history and are only added, never edited: results as of a date
use the version in force on that date (services.compliance.PolicyBook).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import permissions
from registry.errors import Invalid
from registry.extensions import db
from registry.models import PolicyVersion, User
from registry.rules.policy import DEFAULT_POLICY
from registry.schemas import PolicyIn, load
from registry.services.audit import record_event, snapshot
from registry.services.compliance import POLICY_FIELDS, PolicyBook
from registry.transactions import atomic

# The 2016 national regulation on teachers' enterprise practice: 6 months in every 5 years.
NATIONAL_FIGURES = {"practice_required_months": 6, "cycle_years": 5}
NATIONAL_NOTE = "教育部等七部门《职业学校教师企业实践规定》（2016）：每5年累计不少于6个月"


def list_versions(actor: User) -> list[PolicyVersion]:
    """Every version, the newest effective date first (Forbidden unless the bureau or the administrator)."""
    permissions.authorize(actor, "read_policy")
    return list(db.session.scalars(select(PolicyVersion).order_by(PolicyVersion.effective_from.desc())))


@atomic
def create_version(actor: User, data: Mapping[str, Any]) -> PolicyVersion:
    """Add a version (PolicyIn fields); Invalid names every bad field, or a second version on the same date."""
    permissions.authorize(actor, "manage_policy")
    clean = load(PolicyIn, data)
    if db.session.scalar(select(PolicyVersion.id).where(PolicyVersion.effective_from == clean.effective_from)) is not None:
        raise Invalid({"effective_from": _("已有一个自该日期起施行的版本，请换一个生效日期")})
    version = PolicyVersion(**clean.model_dump(), created_by_id=actor.id)
    db.session.add(version)
    record_event(actor, "create", version, after=snapshot(version))
    return version


def prefill(day: date, national: bool = False) -> dict[str, Any]:
    """Values for the add form: the version in force on `day` (or the defaults), optionally with the national figures."""
    book = PolicyBook.load()
    version = book.version_on(day)
    values: dict[str, Any] = {
        name: getattr(version, name) if version is not None else getattr(DEFAULT_POLICY, name) for name in POLICY_FIELDS
    }
    values = {name: int(v) if name.endswith("_months") else v for name, v in values.items()}
    values["note"] = ""
    if national:
        values.update(NATIONAL_FIGURES, note=NATIONAL_NOTE)
    return values
