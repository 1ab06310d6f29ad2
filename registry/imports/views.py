"""The bulk import page: template download, dry-run preview, and the all-or-nothing import."""
from __future__ import annotations

import io

from flask import current_app, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required

from registry import media_types
from registry.dates import today
from registry.imports import bp
from registry.imports.forms import ImportForm
from registry.services.imports import COLUMNS, import_school, import_teachers, import_template, template_columns


@bp.route("/", methods=["GET", "POST"])
@login_required
def upload():
    school = import_school(current_user)
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        sent = form.file.data
        if sent is None or not sent.filename:
            form.file.errors = [_("请选择要导入的文件")]
        else:
            content = sent.read(current_app.config["IMPORT_MAX_BYTES"] + 1)
            if len(content) > current_app.config["IMPORT_MAX_BYTES"]:
                form.file.errors = [_("文件太大，请拆分后分批导入。")]
            else:
                report = import_teachers(
                    current_user, content, sent.filename, today(), school_id=school.id, dry_run=bool(form.preview.data)
                )
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return render_template("imports/_result.html", form=form, report=report, scripted=True)
    return render_template(
        "imports/upload.html",
        form=form,
        school=school,
        report=report,
        scripted=False,
        columns=template_columns(),
        specs=COLUMNS,
    )


@bp.route("/template.xlsx")
@login_required
def template():
    return send_file(io.BytesIO(import_template(current_user)), mimetype=media_types.XLSX, as_attachment=True, download_name="教师批量导入模板.xlsx")
