"""Policy versions: the bureau and the administrator read them, the administrator adds one."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from registry import permissions
from registry.dates import today
from registry.errors import Conflict, Invalid
from registry.policies import bp
from registry.policies.forms import PolicyForm
from registry.rules.policy import DEFAULT_POLICY
from registry.rules.vocabulary import Code
from registry.services import policies
from registry.services.compliance import PolicyBook
from registry.views_common import show_errors
from registry.vocabulary import label


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    form = None
    if request.method == "POST":
        form = PolicyForm()
        try:
            version = policies.create_version(current_user, form.values())
        except Invalid as exc:
            show_errors(form, exc)
        else:
            flash(_("已新增自 %(d)s 起施行的政策参数版本。", d=version.effective_from.isoformat()), "success")
            return redirect(url_for("policies.index"))
    versions = policies.list_versions(current_user)
    if form is None and permissions.may(current_user, "manage_policy"):
        form = PolicyForm(data=policies.prefill(today(), national=request.args.get("preset") == "national"))
    in_force = PolicyBook(versions).version_on(today())
    return render_template(
        "policies/index.html",
        versions=versions,
        in_force=in_force,
        form=form,
        national=request.args.get("preset") == "national",
        today=today(),
    )


def policy_value(value: Any) -> str:
    """A policy parameter as the confirmation page shows it: a date in ISO form, a code by its label."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Code):
        return label(value)
    return str(value)


@bp.route("/<int:version_id>/edit", methods=["GET", "POST"])
@login_required
def edit(version_id: int):
    """Correct a version not yet in force: the form, then a page stating what changes and from when, then save."""
    day = today()
    try:
        version = policies.pending_version(current_user, version_id, day)
    except Conflict as exc:
        flash(exc.message, "danger")
        return redirect(url_for("policies.index"))
    form = PolicyForm(data=policies.version_values(version))
    form.submit.label.text = _("检查修改")
    if request.method == "POST":
        form = PolicyForm()
        form.submit.label.text = _("检查修改")
        try:
            if request.form.get("confirmed"):
                saved = policies.update_version(current_user, version_id, form.values(), day)
                flash(_("已修改自 %(d)s 起施行的政策参数版本。", d=saved.effective_from.isoformat()), "success")
                return redirect(url_for("policies.index"))
            changes = policies.version_changes(current_user, version_id, form.values(), day)
        except Invalid as exc:
            show_errors(form, exc)
        else:
            return render_template(
                "policies/confirm_edit.html", version=version, form=form, changes=changes, policy_value=policy_value
            )
    return render_template("policies/edit.html", version=version, form=form)


@bp.route("/<int:version_id>/delete", methods=["GET", "POST"])
@login_required
def delete(version_id: int):
    """Withdraw a version not yet in force, after a page stating which version applies instead from its date."""
    day = today()
    try:
        version = policies.pending_version(current_user, version_id, day)
        if request.method == "POST":
            effective = policies.delete_version(current_user, version_id, day)
            flash(_("已删除自 %(d)s 起施行的政策参数版本。", d=effective.isoformat()), "success")
            return redirect(url_for("policies.index"))
    except Conflict as exc:
        flash(exc.message, "danger")
        return redirect(url_for("policies.index"))
    return render_template(
        "policies/confirm_delete.html", version=version, replacing=policies.replacing_version(version), defaults=DEFAULT_POLICY
    )
