"""The bulk import page: template and roster downloads, dry-run preview, and the all-or-nothing import.

The page's script sends the file itself and asks for `application/x-ndjson`: the answer then streams the
importer's progress, one JSON object a line ({"phase": "reading"|"checking"|"writing", "done": n, "total": n}),
and ends with {"html": the report} (or {"error": a message} when the import failed unexpectedly). Without the
script the form posts as usual and the page comes back with the report.
"""
from __future__ import annotations

import io
import json
import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from flask import (
    Response,
    copy_current_request_context,
    current_app,
    render_template,
    request,
    send_file,
    stream_with_context,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from registry import media_types
from registry.dates import today
from registry.extensions import db, reads_only
from registry.imports import bp
from registry.imports.forms import ImportForm
from registry.models import User
from registry.services.import_report import ImportReport
from registry.services.import_sheets import sheet_kind
from registry.services.import_templates import TemplateColumn, TemplateSheet
from registry.services.imports import import_school
from registry.services.record_imports import (
    PHASE_LABELS,
    PHASE_UNITS,
    columns_of,
    import_records,
    import_template,
    template_sheets,
)
from registry.services.roster_export import export_roster

NDJSON = "application/x-ndjson"
# A progress line at most every this many seconds within a phase (each phase's start and end always): enough for
# the bar to move, few enough that 70,000 rows do not become 70,000 lines.
PROGRESS_INTERVAL = 0.1


@bp.route("/", methods=["GET", "POST"])
@login_required
def upload():
    if request.method == "POST" and request.form.get("preview"):
        # A dry run writes nothing: the transaction signing the user in ends, and the check runs in a deferred one,
        # not holding SQLite's write lock that other writers wait for.
        db.session.rollback()
        reads_only()
    school = import_school(current_user)
    form = ImportForm()
    streamed = request.accept_mimetypes.best == NDJSON
    report = None
    if form.validate_on_submit():
        content = received_file(form)
        if content is not None:
            options = import_options(form, school.id)
            if streamed:
                return streamed_import(current_user.id, content, form.file.data.filename, options, form)
            report = import_records(current_user, content, form.file.data.filename, today(), **options)
            form.set_sheets(report.visible)
    if streamed:
        return ndjson_response(iter([line({"html": result_html(form, report)})]))
    return render_template("imports/upload.html", form=form, school=school, report=report, scripted=False,
                           guide=sheet_guide(), phase_labels=PHASE_LABELS,
                           phase_units=PHASE_UNITS)


def sheet_guide() -> list[tuple[TemplateSheet, list[tuple[TemplateColumn, str]]]]:
    """The template's sheets for the page's column list: each column with its English header (the field name)."""
    guide = []
    for sheet in template_sheets():
        fields = {column.header: column.field for column in columns_of(sheet_kind(sheet.name))}
        guide.append((sheet, [(column, fields[column.header]) for column in sheet.columns]))
    return guide


def received_file(form: ImportForm) -> bytes | None:
    """The uploaded file's bytes, or None with the reason on the file field (none chosen, over IMPORT_MAX_BYTES).

    At most one byte beyond the limit is read: a larger file is refused before it is read."""
    sent = form.file.data
    if sent is None or not sent.filename:
        form.file.errors = [_("请选择要导入的文件")]
        return None
    limit = current_app.config["IMPORT_MAX_BYTES"]
    content = sent.read(limit + 1)
    if len(content) > limit:
        form.file.errors = [_("文件太大（超过 %(mb)s MB），请拆分后分批导入。", mb=limit // (1024 * 1024))]
        return None
    return content


def import_options(form: ImportForm, school_id: int) -> dict[str, Any]:
    """import_records' keyword arguments from the form: the school, dry run, kind, sheet and verified practice."""
    return dict(
        school_id=school_id,
        dry_run=bool(form.preview.data),
        kind=form.chosen_kind(),
        sheet=form.sheet.data or None,
        verified=bool(form.verified.data),
    )


def result_html(form: ImportForm, report: ImportReport | None) -> str:
    """The report as the page's script shows it in place (templates/imports/_result.html)."""
    return render_template("imports/_result.html", form=form, report=report, scripted=True)


def line(item: dict[str, Any]) -> bytes:
    """One line of the NDJSON answer: `item` as UTF-8 JSON and a newline."""
    return json.dumps(item, ensure_ascii=False).encode() + b"\n"


def ndjson_response(lines: Iterator[bytes]) -> Response:
    """A streamed NDJSON answer of `lines`, never cached nor buffered by a proxy."""
    response = Response(lines, mimetype=NDJSON)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # nginx passes each line on as it comes
    return response


def streamed_import(actor_id: int, content: bytes, filename: str, options: dict[str, Any], form: ImportForm) -> Response:
    """Run the import in a thread of its own while the response streams its progress, then the report.

    The worker has the request's context copied (language, the request's transaction mode) but an app context,
    so a database session, of its own: it commits what the import wrote before the report is sent, so the report
    never announces rows a failed commit lost. The request's own transaction is ended first: on SQLite a POST's
    transaction holds the write lock (BEGIN IMMEDIATE), which the worker needs; a dry run's worker only reads and
    takes no write lock at all. A browser that goes away does not stop an import once it runs: it ends, all or
    nothing, as if the report had been read — unless the server process itself stops, which rolls it back.
    """
    db.session.rollback()  # the request only read; its transaction (on SQLite, the write lock) is not kept open
    events: queue.SimpleQueue[dict[str, Any] | ImportReport | Exception] = queue.SimpleQueue()

    @copy_current_request_context
    def work() -> None:
        outcome: ImportReport | Exception = RuntimeError("the import thread ended without a report")
        try:
            if options["dry_run"]:
                reads_only()
            actor = db.session.get(User, actor_id)
            report = import_records(actor, content, filename, today(), progress=throttled(events.put), **options)
            if report.written:
                db.session.commit()
            else:
                db.session.rollback()
            outcome = report
        except Exception as exc:  # reported on the page; the log has the traceback
            current_app.logger.exception("import of %s failed", filename)
            db.session.rollback()
            outcome = exc
        finally:
            events.put(outcome)  # whatever happened, the response is not left waiting

    def run() -> None:
        try:
            work()
        except Exception as exc:  # the copied context could not even be entered: still, the response must not wait
            events.put(exc)

    def lines() -> Iterator[bytes]:
        worker = threading.Thread(target=run, name="import", daemon=True)
        worker.start()
        while isinstance(event := events.get(), dict):
            yield line(event)
        worker.join()
        if isinstance(event, Exception):
            yield line({"error": _("导入时出错，没有写入任何数据。请稍后重试；仍然出错请联系管理员。")})
            return
        form.set_sheets(event.visible)
        yield line({"html": result_html(form, event)})

    return ndjson_response(stream_with_context(lines()))


def throttled(send: Callable[[dict[str, Any]], None]) -> Callable[[str, int, int], None]:
    """import_records' progress(phase, done, total) as events for `send`: each phase's first and last call, and
    between them at most one every PROGRESS_INTERVAL seconds."""
    last = {"phase": None, "at": 0.0}

    def progress(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase != last["phase"] or done >= total or now - last["at"] >= PROGRESS_INTERVAL:
            last.update(phase=phase, at=now)
            send({"phase": phase, "done": done, "total": total})

    return progress


@bp.route("/template.xlsx")
@login_required
def template():
    """The blank workbook: a sheet per kind of record, with drop-down lists, and the 填写说明 sheet."""
    return send_file(io.BytesIO(import_template(current_user)), mimetype=media_types.XLSX, as_attachment=True,
                     download_name=_("教师档案导入模板.xlsx"))


@bp.route("/roster.xlsx")
@login_required
def roster():
    """The HR's school as the import template, filled: edit it and import it again (reading only, not audited)."""
    school = import_school(current_user)
    content = export_roster(current_user, school.id)
    return send_file(io.BytesIO(content), mimetype=media_types.XLSX, as_attachment=True,
                     download_name=_("%(school)s花名册-%(day)s.xlsx", school=school.name, day=today().isoformat()),
                     max_age=0)
