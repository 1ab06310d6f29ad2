"""Registry-wide switches the administrator sets in the browser, stored in registry_setting.

Each switch is a member of Switch with its default; a switch nobody has set has no row and reads as its
default. Reading needs no permission (the services obey the switches for everyone); setting one is the
administrator's ("manage_policy") and is audited.
"""
from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select

from registry import permissions
from registry.extensions import db
from registry.models import RegistrySetting, User
from registry.services.audit import record_event, snapshot
from registry.transactions import atomic


class Switch(StrEnum):
    """The switches, by their stored name."""

    # Practice is verified only with at least one evidence file attached (registry.services.practice).
    VERIFICATION_REQUIRES_EVIDENCE = "verification_requires_evidence"


DEFAULTS: dict[Switch, bool] = {Switch.VERIFICATION_REQUIRES_EVIDENCE: True}


def enabled(switch: Switch) -> bool:
    """Whether `switch` is on: its stored value, else its default."""
    stored = db.session.scalar(select(RegistrySetting.enabled).where(RegistrySetting.name == switch.value))
    return DEFAULTS[switch] if stored is None else stored


@atomic
def set_switch(actor: User, switch: Switch, on: bool) -> RegistrySetting:
    """Turn `switch` on or off (bool `on`), audited as "update" of its registry_setting row.

    Forbidden unless the actor may manage the policy (the administrator). Setting the value it already has
    writes nothing to the trail.
    """
    permissions.authorize(actor, "manage_policy")
    setting = db.session.scalar(
        select(RegistrySetting).where(RegistrySetting.name == switch.value).with_for_update()
    )
    if setting is None:
        setting = RegistrySetting(name=switch.value, enabled=on, updated_by_id=actor.id)
        db.session.add(setting)
        db.session.flush()
        if on != DEFAULTS[switch]:
            record_event(actor, "update", setting, before={**snapshot(setting), "enabled": DEFAULTS[switch]},
                         after=snapshot(setting))
        return setting
    before = snapshot(setting)
    setting.enabled = on
    setting.updated_by_id = actor.id
    db.session.flush()
    record_event(actor, "update", setting, before=before, after=snapshot(setting))
    return setting
