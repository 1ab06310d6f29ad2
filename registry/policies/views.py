"""Policy versions: the bureau and the administrator read them, the administrator adds one."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from registry import permissions
from registry.dates import today
from registry.errors import Invalid
from registry.policies import bp
from registry.policies.forms import PolicyForm
from registry.services import policies
from registry.services.compliance import PolicyBook
from registry.views_common import show_errors


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
