"""Policy versions: the parameters of rules.md with the date each version took effect.

Versions in force are history and are never edited: results as of a date use the
version in force on that date (services.compliance.PolicyBook). A version not yet in
force was only announced, so it may still be corrected or withdrawn.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import permissions
from registry.errors import Conflict, Invalid, NotFound
from registry.extensions import db
from registry.models import PolicyVersion, User
from registry.rules.policy import DEFAULT_POLICY
from registry.schemas import PolicyIn, load
from registry.services.audit import record_event, snapshot, update_audited
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
    clean = checked_version(clean_version(data))
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


def pending_version(actor: User, version_id: int, day: date) -> PolicyVersion:
    """The version `version_id` if it is not yet in force on `day` (effective later), for correcting or withdrawing.

    Forbidden unless the administrator; NotFound when absent; Conflict once in force (results already use it).
    """
    permissions.authorize(actor, "manage_policy")
    version = db.session.get(PolicyVersion, version_id)
    if version is None:
        raise NotFound()
    if version.effective_from <= day:
        raise Conflict(
            _("自 %(d)s 起施行的版本已经生效，不能再修改或删除；如需调整，请新增一个版本。", d=version.effective_from.isoformat())
        )
    return version


def version_values(version: PolicyVersion) -> dict[str, Any]:
    """The PolicyIn fields of a stored version, as the form shows them."""
    return {name: getattr(version, name) for name in PolicyIn.model_fields}


def version_changes(actor: User, version_id: int, data: Mapping[str, Any], day: date) -> list[tuple[str, Any, Any]]:
    """(field, stored value, new value) for each PolicyIn field that `data` would change, in the schema's order.

    Raises what `pending_version` raises, and Invalid naming every bad field (as update_version would).
    """
    version = pending_version(actor, version_id, day)
    clean = checked_pending(clean_version(data), version, day)
    stored = version_values(version)
    return [(name, stored[name], value) for name, value in clean.model_dump().items() if stored[name] != value]


def clean_version(data: Mapping[str, Any]) -> PolicyIn:
    """PolicyIn from form or API input; Invalid names every bad field."""
    return load(PolicyIn, data)


def checked_pending(clean: PolicyIn, version: PolicyVersion, day: date) -> PolicyIn:
    """A correction of a version not yet in force stays one: moved to `day` or earlier it would rewrite results
    already reported (Invalid), as would a date another version already takes."""
    if clean.effective_from <= day:
        raise Invalid({"effective_from": _("修改后的版本仍须在今天之后生效；如需从今天或更早起调整，请新增一个版本")})
    return checked_version(clean, exclude_id=version.id)


def checked_version(clean: PolicyIn, exclude_id: int | None = None) -> PolicyIn:
    """Invalid when another version already takes effect on the same date."""
    taken = select(PolicyVersion.id).where(PolicyVersion.effective_from == clean.effective_from)
    if exclude_id is not None:
        taken = taken.where(PolicyVersion.id != exclude_id)
    if db.session.scalar(taken) is not None:
        raise Invalid({"effective_from": _("已有一个自该日期起施行的版本，请换一个生效日期")})
    return clean


@atomic
def update_version(actor: User, version_id: int, data: Mapping[str, Any], day: date) -> PolicyVersion:
    """Correct a version not yet in force on `day` (PolicyIn fields); audited, results recomputed by the usual
    listener. Raises what `version_changes` raises."""
    version = pending_version(actor, version_id, day)
    clean = checked_pending(clean_version(data), version, day)
    update_audited(actor, version, clean.model_dump())
    return version


@atomic
def delete_version(actor: User, version_id: int, day: date) -> date:
    """Withdraw a version not yet in force on `day`; audited. Returns its effective date. Raises what
    `pending_version` raises."""
    version = pending_version(actor, version_id, day)
    record_event(actor, "delete", version, before=snapshot(version))
    db.session.delete(version)
    return version.effective_from


def replacing_version(version: PolicyVersion) -> PolicyVersion | None:
    """The version that applies from `version`'s effective date once it is withdrawn (None: the defaults)."""
    return db.session.scalar(
        select(PolicyVersion)
        .where(PolicyVersion.effective_from < version.effective_from)
        .order_by(PolicyVersion.effective_from.desc())
        .limit(1)
    )
