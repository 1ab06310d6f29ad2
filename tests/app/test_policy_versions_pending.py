"""A policy version not yet in force can be corrected or withdrawn, after a page stating what changes and from when."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from registry.errors import Conflict, Invalid
from registry.extensions import db
from registry.models import AuditEvent, PolicyVersion
from registry.services import policies


@pytest.fixture
def versions(make, frozen_today):
    return make.policy_version("2021-01-01"), make.policy_version("2027-01-01", practice_required_months=6)


def form(version: PolicyVersion, **changes) -> dict:
    values = {name: getattr(version, name) for name in policies.version_values(version)}
    values = {name: value.isoformat() if isinstance(value, date) else ("" if value is None else str(value)) for name, value in values.items()}
    return values | changes


def test_the_edit_page_shows_what_changes_and_from_when_before_saving(make, login, versions):
    _current, pending = versions
    client = login(make.user("admin"))
    page = client.post(f"/policies/{pending.id}/edit", data=form(pending, practice_required_months="8")).get_data(as_text=True)
    assert "确认修改" in page and "自 2027-01-01 起" in page
    assert "每周期企业实践要求（月）" in page and "<strong>8</strong>" in page
    assert db.session.get(PolicyVersion, pending.id).practice_required_months == 6  # nothing saved yet


def test_confirming_saves_the_correction_and_audits_it(make, login, versions):
    _current, pending = versions
    admin = make.user("admin")
    response = login(admin).post(f"/policies/{pending.id}/edit", data=form(pending, practice_required_months="8", confirmed="1"))
    assert response.status_code == 302
    assert db.session.get(PolicyVersion, pending.id).practice_required_months == 8
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "policy_version").order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.actor_id, event.changes["after"]) == ("update", admin.id, {"practice_required_months": 8})


def test_a_correction_with_a_bad_field_is_shown_on_the_form_and_nothing_changes(make, login, versions):
    _current, pending = versions
    page = login(make.user("admin")).post(
        f"/policies/{pending.id}/edit", data=form(pending, cycle_years="", confirmed="1")).get_data(as_text=True)
    assert "is-invalid" in page
    assert db.session.get(PolicyVersion, pending.id).cycle_years == 5


def test_withdrawing_names_the_version_that_applies_instead_and_deletes_on_confirmation(make, login, versions):
    current, pending = versions
    client = login(make.user("admin"))
    page = client.get(f"/policies/{pending.id}/delete").get_data(as_text=True)
    assert "2027-01-01 起的核算结果继续使用自 2021-01-01 起施行的版本" in page
    assert client.post(f"/policies/{pending.id}/delete").status_code == 302
    assert db.session.get(PolicyVersion, pending.id) is None and db.session.get(PolicyVersion, current.id) is not None


def test_a_version_in_force_can_be_neither_corrected_nor_withdrawn(make, versions, frozen_today):
    current, _pending = versions
    admin = make.user("admin")
    with pytest.raises(Conflict, match="已经生效"):
        policies.update_version(admin, current.id, form(current, practice_required_months="8"), frozen_today)
    with pytest.raises(Conflict, match="已经生效"):
        policies.delete_version(admin, current.id, frozen_today)


def test_the_policies_page_offers_edit_and_delete_only_for_versions_not_yet_in_force(make, login, versions):
    current, pending = versions
    page = login(make.user("admin")).get("/policies/").get_data(as_text=True)
    assert f"/policies/{pending.id}/edit" in page and f"/policies/{pending.id}/delete" in page
    assert f"/policies/{current.id}/edit" not in page


def test_the_bureau_may_not_correct_a_version(make, login, versions):
    _current, pending = versions
    assert login(make.user("bureau")).get(f"/policies/{pending.id}/edit").status_code == 403


def test_a_correction_may_not_move_the_version_into_force_today_or_earlier(make, versions, frozen_today):
    _current, pending = versions
    with pytest.raises(Invalid) as refused:
        policies.update_version(make.user("admin"), pending.id, form(pending, effective_from=frozen_today.isoformat()), frozen_today)
    assert "今天之后" in refused.value.errors["effective_from"]
