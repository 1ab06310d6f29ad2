"""Importing whole records: the 教师 sheet and the record sheets (工作经历, 证书, 培训, 企业实践) of one file, all or nothing.

Reading picks the sheets (`chosen_sheets`), checking turns every row into a planned create, update or nothing
(`check_file`), and only a file without a single error is written (`save_file`), in one transaction: teachers
first (services/teachers.save_teachers), then their records in bulk, every change audited. The database is read
in batched queries (one per kind and chunk of teachers), never once per row.

A record row is matched to a record on record of the same teacher by its sheet's key (import_sheets.SHEETS):
work history by employer and start, certificates by name and issue date, training by program and end date (a
program can be attended again in another year), practice by enterprise and start. A matched row updates the
record, or counts as unchanged when it says what is stored; the same key twice in one file is refused.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic_core import PydanticCustomError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from registry import permissions
from registry.batches import chunks
from registry.errors import Conflict, Invalid
from registry.extensions import db
from registry.models import PracticeRecord, Teacher, User
from registry.rules.vocabulary import ImportKind, PracticeStatus
from registry.schemas import TeacherIn, load
from registry.schemas.errors import messages
from registry.schemas.fields import parse_iso_date
from registry.schemas.id_numbers import parse_id_number
from registry.services import imports as teacher_sheet
from registry.services import practice as practice_service
from registry.services import teachers as teacher_service
from registry.services.import_cells import (
    YES_NO_VALUES,
    cell_text,
    header_key,
    header_names,
    id_number_text,
    looks_like_header,
    normalise,
    offered,
    read_header,
    required_fields,
)
from registry.services.import_files import OLE_MAGIC, ZIP_MAGIC, FileRefused, Table, open_workbook
from registry.services.import_report import ImportReport, RowError
from registry.services.import_sheets import (
    DATE,
    ID_COLUMN,
    NAME_COLUMN,
    SHEETS,
    RecordSheet,
    accepted,
    row_input,
    sheet_kind,
)
from registry.services.import_templates import NOTES_SHEET, TemplateColumn, TemplateSheet, template_workbook
from registry.transactions import atomic
from registry.vocabulary import label

Progress = Callable[[str, int, int], None]
READING, CHECKING, WRITING = "reading", "checking", "writing"
PHASE_LABELS = {READING: _l("读取"), CHECKING: _l("校验"), WRITING: _l("写入")}  # the progress bars' words
PHASE_UNITS = {READING: _l("个工作表"), CHECKING: _l("行"), WRITING: _l("行")}  # what each phase's counts count
PROGRESS_EVERY = 500  # rows between two progress calls


@dataclass
class Source:
    """A sheet to import: its kind, its name as the report shows it (None for a file of one sheet), its rows."""

    kind: ImportKind
    name: str | None
    table: Table


# --------------------------------------------------------------------------------------------- reading


def is_text(content: bytes) -> bool:
    """Whether the file is CSV text rather than a workbook (told by content, as import_files reads it)."""
    return not content.startswith((ZIP_MAGIC, OLE_MAGIC))


def columns_of(kind: ImportKind):
    """The columns of `kind`'s sheet (import_cells.Column), in file order."""
    return teacher_sheet.COLUMNS if kind == ImportKind.TEACHERS else SHEETS[kind].all_columns


def chosen_sheets(
    content: bytes, filename: str, report: ImportReport, kind: ImportKind | None, sheet: str | None, tell: Progress
) -> list[Source]:
    """The sheets to read, read, in ImportKind order (teachers before their records). Raises FileRefused.

    With `sheet`: that visible sheet, as `kind` (else the kind its name names, else teachers). Without: every
    visible sheet named like a kind (教师, 工作经历, …) — or, when none is, the default sheet as `kind` (teachers
    unless given). A CSV is one sheet of `kind`. A hidden sheet named like a kind is not read, and said so.
    """
    book = open_workbook(content, filename)
    # The template's 填写说明 sheet is never data: it is not offered as a sheet to read.
    report.visible, report.hidden = [name for name in book.sheets if name != NOTES_SHEET], list(book.hidden)
    if sheet is not None:
        wanted = [(sheet, kind or sheet_kind(sheet) or ImportKind.TEACHERS)]
    elif is_text(content):
        wanted = [(book.default, kind or ImportKind.TEACHERS)]
    else:
        named = [(name, sheet_kind(name)) for name in book.sheets if sheet_kind(name) is not None]
        wanted = named or [(book.default, kind or ImportKind.TEACHERS)]
        for name in book.hidden:
            if sheet_kind(name) is not None:
                report.warnings.append(RowError(None, None, _(
                    "工作表“%(name)s”是隐藏的，没有导入。如需导入，请在 Excel 中取消隐藏后重新上传。", name=name), name))
    kinds = [k for _name, k in wanted]
    twice = {k for k in kinds if kinds.count(k) > 1}
    if twice:
        names = _("、").join(f"“{name}”" for name, k in wanted if k in twice)
        raise FileRefused(_("工作表 %(names)s 都是“%(kind)s”，请只保留一个。", names=names, kind=label(twice.pop())))
    # Errors name the sheet unless the file is one sheet read for want of kind-named ones (a CSV, a plain workbook).
    tag = not is_text(content) and (len(book.sheets) > 1 or sheet is not None or wanted != [(book.default, kind or ImportKind.TEACHERS)])
    sources = []
    tell(READING, 0, len(wanted))
    for done, (name, sheet_kind_) in enumerate(sorted(wanted, key=lambda item: list(ImportKind).index(item[1])), start=1):
        columns = columns_of(sheet_kind_)
        try:
            table = book.table(name, is_header=lambda cells, columns=columns: looks_like_header(cells, columns))
        except FileRefused:
            if len(wanted) == 1:
                raise
            table = None  # an empty sheet of a workbook of several: nothing of that kind
        if table is not None:
            sources.append(Source(sheet_kind_, name if tag else None, table))
            report.sheets.append(name)
        tell(READING, done, len(wanted))
    if len(wanted) > 1:
        # A workbook's unused sheets (the template's empty ones) are left out; one sheet's emptiness is its error.
        sources = [s for s in sources if s.table.rows] or sources[:1]
    return sources


# -------------------------------------------------------------------------------------------- checking


@dataclass
class RecordPlan:
    """What one record sheet writes: new records by the identity number of their teacher, and updates."""

    sheet: RecordSheet
    creates: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    updates: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # (stored row, new values)


@dataclass
class FilePlan:
    teachers: teacher_sheet.Plan = field(default_factory=teacher_sheet.Plan)
    records: list[RecordPlan] = field(default_factory=list)
    registered: dict[str, Teacher] = field(default_factory=dict)  # the record rows' teachers on record

    @property
    def rows(self) -> int:
        return (len(self.teachers.creates) + len(self.teachers.updates)
                + sum(len(p.creates) + len(p.updates) for p in self.records))


@dataclass
class Checking:
    """Progress through the rows of every sheet."""

    tell: Progress
    total: int
    done: int = 0

    def step(self, rows: int = 1) -> None:
        before, self.done = self.done, self.done + rows
        if before // PROGRESS_EVERY != self.done // PROGRESS_EVERY or self.done == self.total:
            self.tell(CHECKING, self.done, self.total)


def tagged(items: list[RowError], start: int, sheet: str | None) -> None:
    """Give the items appended since `start` their sheet's name (the 教师 sheet's checks do not know it)."""
    if sheet is None:
        return
    for index in range(start, len(items)):
        if items[index].sheet is None:
            items[index] = replace(items[index], sheet=sheet)


def check_file(
    actor: User | None, sources: Sequence[Source], report: ImportReport, today: date, school_id: int | None,
    verified: bool, tell: Progress,
) -> FilePlan:
    """Check every row of every sheet read (the 教师 sheet first, so the other sheets may name its people) into one
    plan; each bad cell is added to the report's errors with its sheet, row and column, each doubt to its warnings."""
    plan = FilePlan()
    progress = Checking(tell, sum(len(s.table.rows) for s in sources))
    tell(CHECKING, 0, progress.total)
    in_file: dict[str, TeacherIn | None] = {}  # identity numbers of the 教师 sheet: the clean row, or None if bad
    for source in sources:
        errors, warnings = len(report.errors), len(report.warnings)
        if source.kind == ImportKind.TEACHERS:
            unchanged = report.unchanged
            plan.teachers = teacher_sheet.check(actor, source.table, report, today, school_id)
            count = report.count(ImportKind.TEACHERS)
            count.created, count.updated = len(plan.teachers.creates), len(plan.teachers.updates)
            count.unchanged, report.unchanged = report.unchanged - unchanged, unchanged
            in_file = teachers_in_sheet(source.table, plan.teachers)
            progress.step(len(source.table.rows))
        else:
            plan.records.append(
                check_records(actor, source, report, today, school_id, verified, in_file, plan, progress)
            )
        tagged(report.errors, errors, source.name)
        tagged(report.warnings, warnings, source.name)
    return plan


def teachers_in_sheet(table: Table, plan: teacher_sheet.Plan) -> dict[str, TeacherIn | None]:
    """The identity numbers the 教师 sheet names: its clean rows (created or updated), and None for the others
    (unchanged, or refused — whose record rows are then not refused a second time as unknown)."""
    names = header_names(teacher_sheet.COLUMNS)
    index = next((i for i, cell in enumerate(table.header) if names.get(normalise(cell_text(cell))) == "id_number"), None)
    found: dict[str, TeacherIn | None] = {}
    if index is not None:
        for _number, cells in table.rows:
            try:
                found[id_number_text(cells[index] if index < len(cells) else None)] = None
            except ValueError:
                continue
    for clean in plan.creates:
        found[clean.id_number] = clean
    for _target, clean in plan.updates:
        found[clean.id_number] = clean
    return found


def check_records(
    actor: User | None, source: Source, report: ImportReport, today: date, school_id: int | None, verified: bool,
    in_file: dict[str, TeacherIn | None], plan: FilePlan, progress: Checking,
) -> RecordPlan:
    """Check every row of a record sheet against the record's schema, its teacher and the records on record."""
    sheet = SHEETS[source.kind]
    table = source.table
    result = RecordPlan(sheet)
    count = report.count(source.kind)
    required = required_fields(sheet.all_columns)
    errors_before = len(report.errors)
    positions = read_header(table.header, table.header_number, sheet.all_columns, report, required,
                                          source.name)
    if len(report.errors) > errors_before:
        progress.step(len(table.rows))
        return result
    rows = [(number, *row_input(sheet, cells, positions), cells) for number, cells in table.rows]
    wanted = [id_number for _n, id_number, _d, _e, _c in rows if id_number and id_number not in plan.registered]
    plan.registered.update(teacher_service.registered_teachers(wanted))
    named = {id_number for _n, id_number, _d, _e, _c in rows}
    stored = stored_records(sheet, {t.id for n, t in plan.registered.items() if n in named})
    seen: dict[tuple, int] = {}
    key_headers = _("、").join([ID_COLUMN.header, *(sheet.header(name) for name in sheet.key)])
    for number, id_number, data, errors, cells in rows:
        progress.step()
        teacher, new_teacher = None, None
        if "id_number" not in errors:
            teacher, new_teacher, problem = row_teacher(id_number, plan.registered, in_file, school_id)
            if problem:
                errors["id_number"] = problem
        # A practice row's 状态 is decided by practice_values below, not by the teacher's form nor the stored value.
        decided_later = {"status"} if sheet.kind == ImportKind.PRACTICE else set()
        if teacher is not None and (missing := [n for n in sheet.fields if n not in positions and n not in decided_later]):
            # A column the file leaves out keeps the record's stored value, and the row is checked with it.
            known = stored.get((teacher.id, *key_of(sheet, data)))
            if known is not None:
                data = {**{name: known[name] for name in missing if name in known}, **data}
        clean = None
        try:
            clean = load(sheet.schema, {k: v for k, v in data.items() if k not in decided_later})
        except Invalid as exc:
            for name, message in exc.errors.items():
                errors.setdefault(name if name in sheet.fields else sheet.fields[0], message)
        match = None
        if clean is not None and id_number:
            key = (id_number, *(getattr(clean, name) for name in sheet.key))
            first = seen.setdefault(key, number)
            if first != number:
                errors.setdefault("id_number", _("与第 %(n)s 行是同一条记录（%(key)s 相同），请合并为一行", n=first, key=key_headers))
            if teacher is not None:
                match = stored.get((teacher.id, *key[1:]))
        values = None
        if clean is not None and not errors:
            values = clean.model_dump()
            if match is not None:
                # A column the file leaves out keeps the stored value.
                values.update({name: match[name] for name in sheet.fields if name not in positions and name in match})
            if sheet.kind == ImportKind.PRACTICE:
                values = practice_values(actor, values, data.get("status"), match, verified, today, errors)
        for name, message in errors.items():
            header = sheet.header(name) if name in (ID_COLUMN.field, *sheet.fields) else None
            report.errors.append(RowError(number, header, message))
        if errors:
            continue
        if NAME_COLUMN.field in positions:
            name_warning(report, number, cells, positions, teacher, new_teacher, id_number)
        if match is None:
            result.creates.append((id_number, values))
            count.created += 1
        elif all(values[name] == match.get(name) for name in values):
            count.unchanged += 1
        else:
            result.updates.append((match, values))
            count.updated += 1
    return result


def row_teacher(
    id_number: str, registered: dict[str, Teacher], in_file: dict[str, TeacherIn | None], school_id: int | None
) -> tuple[Teacher | None, TeacherIn | None, str | None]:
    """(the teacher on record, the teacher of the 教师 sheet, why the row cannot be theirs) for a record row."""
    teacher = registered.get(id_number)
    if teacher is not None:
        if school_id is not None and teacher.school_id != school_id:
            return None, None, _("该身份证号的教师不在本校，不能导入其记录")
        return teacher, in_file.get(id_number), None
    if id_number in in_file:
        return None, in_file[id_number], None
    if not id_number:
        return None, None, _("必填项")
    try:
        parse_id_number(id_number)
    except PydanticCustomError as exc:  # a mistyped number is no teacher's: say what is wrong with it
        return None, None, messages().get(exc.type, exc.message())
    return None, None, _("没有登记该身份证号的教师。请先登记该教师，或在同一文件的“教师”工作表中填写该教师")


def name_warning(report, number, cells, positions, teacher, new_teacher, id_number) -> None:
    """Warn (not refuse) when a record row's 姓名 differs from the name registered, or in the 教师 sheet, for its 身份证号."""
    index = positions[NAME_COLUMN.field]
    given = cell_text(cells[index] if index < len(cells) else None)
    known = new_teacher.name if new_teacher is not None else teacher.name if teacher is not None else None
    if given and known and given != known:
        report.warnings.append(RowError(number, NAME_COLUMN.header, _(
            "姓名“%(given)s”与身份证号 %(id)s 登记的姓名“%(known)s”不一致；导入以身份证号为准，请核对",
            given=given, id=id_number, known=known)))


def key_of(sheet: RecordSheet, data: dict[str, Any]) -> tuple:
    """A row's matching key as read from its cells, before the schema's check (a date as a date, text trimmed);
    a value that cannot be read stays as it is, and then matches nothing."""
    values = []
    for name in sheet.key:
        value = data.get(name)
        if sheet.cell_type(name) == DATE and isinstance(value, str):
            with suppress(PydanticCustomError):  # unreadable: the schema's check reports it
                value = parse_iso_date(value)
        values.append(value.strip() if isinstance(value, str) else value)
    return tuple(values)


def stored_records(sheet: RecordSheet, teacher_ids: set[int]) -> dict[tuple, dict[str, Any]]:
    """The records of these teachers, {(teacher id, *key values): their columns and their teacher's school_id}, read
    a chunk of teachers at a time; of two records with one key (typed in twice by hand) the first is matched."""
    model = sheet.model
    columns = [model.id, model.teacher_id, Teacher.school_id, *(getattr(model, name) for name in sheet.fields)]
    if model is PracticeRecord:
        columns += [model.submitted_at, model.reviewed_at, model.reviewed_by_id, model.reject_reason]
    found: dict[tuple, dict[str, Any]] = {}
    for chunk in chunks(sorted(teacher_ids)):
        query = select(*columns).join(Teacher, Teacher.id == model.teacher_id).where(model.teacher_id.in_(chunk))
        for row in db.session.execute(query.order_by(model.id)):
            values = dict(row._mapping)
            found.setdefault((values["teacher_id"], *(values[name] for name in sheet.key)), values)
    return found


def practice_values(
    actor: User | None, values: dict[str, Any], given: str | None, match: dict[str, Any] | None, verified: bool,
    today: date, errors: dict[str, str],
) -> dict[str, Any] | None:
    """The columns a practice row writes, its status decided; None (and `errors`) when it may not be imported.

    The 状态 cell (`given`) is honoured: 计划, 已提交, or 已审核通过 when HR ticked "verified". Left blank: 已审核通过
    when ticked, else the stored status of a matched record (planned or submitted), else submitted. A verified
    record on record is never changed by an import: the same row again is unchanged, anything else needs the
    record reopened first. A record cannot be submitted (or verified) before it has ended.
    """
    body = {name: value for name, value in values.items() if name != "status"}
    stored_status = match["status"] if match is not None else None
    same = match is not None and all(body[name] == match.get(name) for name in body)
    if stored_status == PracticeStatus.VERIFIED:
        if same and given in (None, PracticeStatus.VERIFIED):
            return {**body, "status": stored_status}
        changed = next((name for name in body if body[name] != match.get(name)), "status")
        errors[changed] = _(
            "该实践记录已审核通过，导入不能修改它。如需修改，请先在审核页面重新打开该记录，再导入")
        return None
    if stored_status == PracticeStatus.REJECTED and same and given in (None, PracticeStatus.REJECTED):
        return {**body, "status": stored_status}
    if given == PracticeStatus.REJECTED:
        errors["status"] = _("导入不能把记录设为“%(rejected)s”（退回需要填写理由），请在审核页面退回；应为：%(accepted)s",
                             rejected=label(PracticeStatus.REJECTED), accepted=accepted(SHEETS[ImportKind.PRACTICE], "status"))
        return None
    if given is not None:
        status = given
    elif verified:
        status = PracticeStatus.VERIFIED
    elif stored_status in (PracticeStatus.PLANNED, PracticeStatus.SUBMITTED):
        status = stored_status
    else:
        status = PracticeStatus.SUBMITTED
    if status == PracticeStatus.VERIFIED and not verified:
        errors["status"] = _("要导入为“已审核通过”，请在上传时勾选“企业实践记录已审核”；否则请把状态改为“已提交”或留空")
        return None
    if match is not None and same and status == stored_status:
        return {**body, "status": status}  # as on record (an exported roster read back), whatever was allowed then
    if status != PracticeStatus.PLANNED and (late := practice_service.not_yet_over(body["start"], body["end"], today)):
        errors[late] = _("该实践尚未结束（结束日期须早于今天），还不能提交或审核；请把状态填为“计划”，或在实践结束后再导入")
        return None
    if match is not None and status == stored_status:
        return {**body, "status": status}  # corrected fields; the review state stays as it is
    return {**body, **practice_service.status_values(actor, status, match)}


# --------------------------------------------------------------------------------------------- writing


@atomic
def save_file(actor: User | None, plan: FilePlan, tell: Progress) -> None:
    """Write the checked file: the teachers, then every sheet's records, audited, in one savepoint (all or nothing).

    Raises IntegrityError when an identity number was registered meanwhile, Conflict when a practice record was
    reviewed meanwhile.
    """
    total = plan.rows
    done = 0
    tell(WRITING, 0, total)
    new_ids = teacher_service.save_teachers(actor, plan.teachers.creates, plan.teachers.updates)
    teacher_ids = {clean.id_number: (teacher_id, clean.school_id) for clean, teacher_id in
                   zip(plan.teachers.creates, new_ids, strict=True)}
    teacher_ids.update({number: (t.id, t.school_id) for number, t in plan.registered.items()})
    done += len(plan.teachers.creates) + len(plan.teachers.updates)
    tell(WRITING, done, total)
    for records in plan.records:
        creates = [(*teacher_ids[number], values) for number, values in records.creates]
        for part in chunks(creates, 2000):
            if records.sheet.model is PracticeRecord:
                practice_service.insert_imported(actor, part)
            else:
                teacher_service.insert_records(actor, records.sheet.model, part, records.sheet.key)
            done += len(part)
            tell(WRITING, done, total)
        for part in chunks(records.updates, 2000):
            if records.sheet.model is PracticeRecord:
                practice_service.update_imported(actor, part)
            else:
                teacher_service.update_records(actor, records.sheet.model, part)
            done += len(part)
            tell(WRITING, done, total)
    tell(WRITING, total, total)


def write(actor: User | None, plan: FilePlan, report: ImportReport, tell: Progress) -> None:
    """save_file; a conflict meanwhile is reported and leaves nothing written."""
    try:
        save_file(actor, plan, tell)
    except IntegrityError:
        report.errors.append(RowError(None, None, _("导入时数据已被他人修改（身份证号冲突），没有写入任何行。请重新导入。")))
        return
    except Conflict as exc:
        report.errors.append(RowError(None, None, exc.message))
        return
    report.written = True


# ----------------------------------------------------------------------------------------- the service


def import_records(
    actor: User | None,
    content: bytes,
    filename: str,
    today: date,
    *,
    school_id: int | None = None,
    dry_run: bool = False,
    kind: ImportKind | None = None,
    sheet: str | None = None,
    verified: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a whole file and, unless `dry_run` or anything is wrong anywhere in it, write all of it in one transaction.

    `actor` None is the command-line operator (any school; `school_id`, the CLI's --school, narrows it and fills a
    blank 学校); school HR (the only role that imports, Forbidden otherwise) imports into their own school only.
    `kind` says what a CSV file, a chosen `sheet` or a workbook without kind-named sheets holds (teachers unless
    given); see `chosen_sheets`. `verified`: HR says the practice rows were checked (they arrive 已审核通过).
    `progress(phase, done, total)` is called with phase "reading" (sheets), "checking" and "writing" (rows) at
    each phase's start and end and at least every PROGRESS_EVERY rows. Returns the report; the file's faults are
    in its errors (nothing raised for bad input).
    """
    started = time.perf_counter()
    tell = progress or (lambda _phase, _done, _total: None)
    if actor is not None:
        permissions.authorize(actor, "import_teachers")
        school_id = permissions.fixed_school_id(actor) or school_id
    report = ImportReport(filename=filename, dry_run=dry_run)
    try:
        sources = chosen_sheets(content, filename, report, kind, sheet, tell)
    except FileRefused as exc:
        report.errors.append(RowError(None, None, exc.message))
        return finish(report, started)
    report.rows = sum(len(source.table.rows) for source in sources)
    plan = check_file(actor, sources, report, today, school_id, verified, tell)
    if not report.ok and len(sources) == 1:
        suggest_kind(sources[0], report)
    report.add_totals()
    if report.ok and not dry_run:
        write(actor, plan, report, tell)
    return finish(report, started)


def suggest_kind(source: Source, report: ImportReport) -> None:
    """When a file read as one kind has the header of another (a 工作经历 CSV uploaded as 教师, the page's default),
    the report says which kind to choose: every required column of that kind is named, and the file's own kind
    lacks some of its own."""
    keys = {header_key(cell_text(cell)) for cell in source.table.header if cell is not None}

    def fields(kind: ImportKind) -> set[str]:
        names = header_names(columns_of(kind))
        return {names[key] for key in keys if key in names}

    if required_fields(columns_of(source.kind)) <= fields(source.kind):
        return
    for other in ImportKind:
        if other != source.kind and required_fields(columns_of(other)) <= fields(other):
            # First in the report: it explains the missing columns listed after it.
            report.errors.insert(0, RowError(None, None, _(
                "这些列是“%(kind)s”的列：如要导入%(kind)s，请把“类型”选为“%(kind)s”后重新上传。", kind=label(other)),
                source.name))
            return


def finish(report: ImportReport, started: float) -> ImportReport:
    """The report with the seconds spent since `started` (time.perf_counter)."""
    report.seconds = time.perf_counter() - started
    return report


# --------------------------------------------------------------------------------------------- template

TEMPLATE_NOTES = (
    _l("每个工作表一种数据：教师、工作经历、证书、培训、企业实践；每个工作表都可以不填（只有列名的工作表不导入）。"
       "每行以身份证号对应教师：该教师须已登记在本校，或填写在同一文件的“教师”工作表中。"),
    _l("只导入打开工作簿时可见、名称为上述类别的工作表；隐藏的工作表不会被导入，本说明页也不会被导入。"
       "CSV 文件每个只含一种数据，上传时请选择类型。"),
    _l("全部正确才会写入：任何工作表的任何一行有误，则整个文件一行都不写入，并列出每个错误的工作表、行、列和原因。"),
    _l("身份证号已登记的教师按文件内容更新，未登记的新增。工作经历按“身份证号 + 单位名称 + 开始日期”、证书按“身份证号 + 证书名称 + 发证日期”、"
       "培训按“身份证号 + 培训项目 + 结束日期”、企业实践按“身份证号 + 实践单位 + 开始日期”对应已有记录："
       "对应上的更新（内容相同的不变），对应不上的新增，不会重复。同一文件中同一条记录只能出现一次。"),
    _l("企业实践记录导入后为“已提交”（待审核）；只有学校人事在上传时勾选“企业实践记录已审核”，才导入为“已审核通过”。"
       "已审核通过的记录不能通过导入修改，如需修改请先在审核页面重新打开。证明材料可在导入后到实践记录页面补传。"),
    _l("导出的本校花名册与本模板格式相同，可修改后再导入：未修改的行不会产生任何变化。"),
)


def template_sheets() -> list[TemplateSheet]:
    """The sheets of the template and of the roster export, without rows: one per kind, in ImportKind order.

    A sheet is named by its kind's Chinese label in every language, like its Chinese headers: the file format by
    which `sheet_kind` recognises the sheets of a returned workbook."""
    described = {header: (values, example) for header, values, example in teacher_sheet.template_columns()}
    coded_headers = {teacher_sheet.BY_FIELD[name].header: codes for name, codes in teacher_sheet.CODED.items()}
    teachers = TemplateSheet(ImportKind.TEACHERS.label, [
        TemplateColumn(
            c.header, *described[c.header],
            drop_down=(tuple(offered(m) for m in coded_headers[c.header]) if c.header in coded_headers
                       else YES_NO_VALUES if c.field == "leadership" else ()),
            is_date=c.field == "hire_date", is_text=c.field == "id_number",
            width=22 if c.field in ("id_number", "school", "education") else 14,
        )
        for c in teacher_sheet.COLUMNS
    ], about=str(_l("每行一名教师")))
    sheets = [teachers]
    for kind, sheet in SHEETS.items():
        columns = [
            TemplateColumn(ID_COLUMN.header, _("必填，18 位居民身份证号；请按文本填写"), "210602199001011234", is_text=True, width=22),
            TemplateColumn(NAME_COLUMN.header, _("可留空，仅供核对；以身份证号为准"), _("张三")),
        ]
        for column in sheet.columns:
            kind_of_cell = sheet.cell_type(column.field)
            notes = sheet.notes.get(column.field)
            what = accepted(sheet, column.field)
            columns.append(TemplateColumn(
                column.header, f"{notes}{_('；')}{what}" if notes else what, sheet.examples.get(column.field, ""),
                drop_down=sheet.offered_values(column.field) if kind_of_cell in ("code", "yes_no") else (),
                is_date=kind_of_cell == "date", width=24 if kind_of_cell == "text" else 14,
            ))
        sheets.append(TemplateSheet(kind.label, columns, about=_("每行一条%(kind)s记录", kind=label(kind))))
    return sheets


def import_template(actor: User) -> bytes:
    """The blank .xlsx template: a sheet per ImportKind with drop-down lists, and a 填写说明 sheet. Forbidden unless
    the actor may import (school HR)."""
    permissions.authorize(actor, "import_teachers")
    return template_workbook(template_sheets(), TEMPLATE_NOTES)
