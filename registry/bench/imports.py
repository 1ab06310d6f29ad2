"""The import measure: a workbook of whole records for one school, imported through the page as its HR would.

The workbook has the import template's sheets and columns (registry.services.imports.COLUMNS and
import_sheets.SHEETS, which the template is written from): per teacher 3 jobs, 1.6 certificates, 1 training and
8 practice records — 5,000 teachers make 15,000, 8,000, 5,000 and 40,000 rows. It is written with openpyxl's
write-only workbook into a temporary file. The page is asked as the browser's script asks it: signed in through
the form, the file posted with `Accept: application/x-ndjson`, the streamed progress read line by line; each
phase is timed from the arrival of its first line to the next phase's (reading: from the start of the upload).
The requests run in a thread of their own, so each has its own app context and database session, as on a server.
"""
from __future__ import annotations

import json
import random
import re
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask
from openpyxl import Workbook

from registry.bench.client import csrf_token, signed_in_client
from registry.bench.generate import SKILL_LEVELS, TeacherMaker
from registry.bench.measure import IMPORT, IMPORT_DRY_RUN, Measure, Outcome, Result
from registry.bench.report import verdict
from registry.rules.vocabulary import CertificateKind, Code, ImportKind, PracticeStatus
from registry.services.import_cells import YES_NO_VALUES, offered
from registry.services.import_sheets import SHEETS
from registry.services.imports import COLUMNS

DEFAULT_TEACHERS = 5000
TARGET_SECONDS = 60  # issue 13: 5,000 teachers and their 68,000 records through the page
# Records per teacher, by kind.
PER_TEACHER = {ImportKind.EMPLOYMENT: 3, ImportKind.CERTIFICATES: 1.6, ImportKind.TRAINING: 1, ImportKind.PRACTICE: 8}
# Identity numbers of a region no school of the generated data set is in: every imported teacher is new.
REGION = "211402"
NDJSON = "application/x-ndjson"
PHASES = ("reading", "checking", "writing")
SUMMARY = re.compile(r'role="status">([^<]*)<')


@dataclass(frozen=True)
class ImportFile:
    """The written workbook: its path, rows per kind, size in bytes and the seconds it took to write."""

    path: Path
    rows: dict[ImportKind, int]
    size: int
    seconds: float

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def describe(self) -> str:
        """"5,000 teachers, 15,000 employment, …" in ImportKind order."""
        return ", ".join(f"{count:,} {kind.value}" for kind, count in self.rows.items())


def cell(value: Any) -> Any:
    """A record field's value as the template takes it: a code as its offered label, yes/no, a date cell."""
    if isinstance(value, Code):
        return offered(value)
    if isinstance(value, bool):
        return YES_NO_VALUES[0] if value else YES_NO_VALUES[1]
    return value


def imported_status(status: PracticeStatus, end: date, today: date) -> PracticeStatus:
    """What the file says of a generated practice record: one not ended before today is planned, a rejected one
    submitted again (an import cannot reject), a verified one verified (the upload says HR checked them)."""
    if end >= today:
        return PracticeStatus.PLANNED
    return PracticeStatus.VERIFIED if status == PracticeStatus.VERIFIED else PracticeStatus.SUBMITTED


def write_import_file(path: Path, teachers: int, school: str, today: date, seed: int = 2026) -> ImportFile:
    """Write `teachers` new teachers of `school` with their records (PER_TEACHER) into an .xlsx at `path`."""
    started = time.perf_counter()
    maker = TeacherMaker(random.Random(seed), today, teachers)
    workbook = Workbook(write_only=True)
    columns = {ImportKind.TEACHERS: [c.field for c in COLUMNS]}
    columns.update({kind: [c.field for c in sheet.all_columns] for kind, sheet in SHEETS.items()})
    headers = {ImportKind.TEACHERS: [c.header for c in COLUMNS]}
    headers.update({kind: [c.header for c in sheet.all_columns] for kind, sheet in SHEETS.items()})
    sheets = {kind: workbook.create_sheet(kind.label) for kind in ImportKind}
    rows = dict.fromkeys(ImportKind, 0)

    def add(kind: ImportKind, values: dict[str, Any]) -> None:
        sheets[kind].append([cell(values.get(name)) for name in columns[kind]])
        rows[kind] += 1

    for kind, sheet in sheets.items():
        sheet.append(headers[kind])
    for index in range(teachers):
        teacher = maker.teacher(index, index + 1, 0, REGION, leader=False)
        if teacher["hire_date"] > today:  # hired, starting later: its jobs and practice would lie ahead too
            teacher["hire_date"] = date.fromordinal(today.toordinal() - 30)
        person = {"id_number": teacher["id_number"], "teacher_name": teacher["name"]}
        add(ImportKind.TEACHERS, {**teacher, "school": school})
        earlier, latest = maker.employment(teacher)[0]
        first = {**earlier, "start": date.fromordinal(earlier["start"].toordinal() - 1500),
                 "end": date.fromordinal(earlier["start"].toordinal() - 200)}
        for job in (first, earlier, latest):
            add(ImportKind.EMPLOYMENT, {**person, **job})
        certificates = maker.certificates(teacher)[:1]
        if index % 5 < 3:  # three in five also hold a skill certificate: 1.6 a teacher
            certificates.append({"kind": CertificateKind.SKILL, "name": f"{teacher['specialty']}职业技能等级证书",
                                 "level": maker.pick(SKILL_LEVELS), "issued": teacher["hire_date"], "related": True})
        for certificate in certificates:
            add(ImportKind.CERTIFICATES, {**person, **certificate})
        add(ImportKind.TRAINING, {**person, **maker.training(teacher)})
        for practice in maker.practice(teacher):
            add(ImportKind.PRACTICE, {**person, **practice,
                                      "status": imported_status(practice["status"], practice["end"], today)})
    workbook.save(path)
    return ImportFile(path, rows, path.stat().st_size, time.perf_counter() - started)


class ThroughThePage:
    """The dry run and the import of one file by the HR account `login`, through the test client of `app`."""

    def __init__(self, app: Flask, login: str, password: str, file: ImportFile):
        self.app = app
        self.login = login
        self.password = password
        self.file = file
        self.phases: dict[str, dict[str, float]] = {}  # per measure: seconds per phase

    def measures(self) -> list[Measure]:
        return [Measure(IMPORT_DRY_RUN, lambda _i: self.run(dry_run=True), heavy=True),
                Measure(IMPORT, lambda _i: self.run(dry_run=False), heavy=True)]

    def run(self, dry_run: bool) -> Outcome:
        """One upload in a thread of its own (no app context of the bench's: each request gets its own)."""
        found: dict[str, Any] = {}
        worker = threading.Thread(target=lambda: found.update(self.upload(dry_run)), name="bench-import")
        worker.start()
        worker.join()
        if "failed" in found:
            raise found["failed"]
        name = IMPORT_DRY_RUN if dry_run else IMPORT
        self.phases[name] = found["phases"]
        shown = " · ".join(f"{phase} {seconds:,.1f} s" for phase, seconds in found["phases"].items())
        outcome = "checked, nothing written" if dry_run else "written"
        return Outcome(rows=self.file.total, detail=f"{shown} · {self.file.total:,} rows {outcome}",
                       seconds=found["seconds"])

    def upload(self, dry_run: bool) -> dict[str, Any]:
        """Sign in, post the file and read the answer: {"phases", "seconds", "summary"}, or {"failed": the error}."""
        try:
            client = signed_in_client(self.app, self.login, self.password)
            token = csrf_token(client, "/imports/")
            started = time.perf_counter()
            with self.file.path.open("rb") as content:
                data = dict(csrf_token=token, file=(content, self.file.path.name), verified="y")
                data["preview" if dry_run else "submit"] = "1"
                response = client.post("/imports/", data=data, headers={"Accept": NDJSON}, buffered=False)
                firsts, final = read_stream(response, started)
            ended = time.perf_counter()
            return {"phases": phase_seconds(firsts, started, ended), "seconds": ended - started, "summary": final}
        except Exception as exc:  # raised again in the bench's thread
            return {"failed": exc}


def read_stream(response, started: float) -> tuple[dict[str, float], str]:
    """Read the page's streamed answer: when each phase's first line came (perf_counter), and the summary."""
    if response.status_code != 200 or response.mimetype != NDJSON:
        raise RuntimeError(f"the import page answered {response.status_code} {response.mimetype}")
    firsts: dict[str, float] = {}
    pending = b""
    summary = ""
    try:
        for chunk in response.response:
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for text in complete:
                item = json.loads(text)
                if "phase" in item:
                    firsts.setdefault(item["phase"], time.perf_counter())
                elif "error" in item:
                    raise RuntimeError(f"the import failed: {item['error']}")
                elif "html" in item:
                    found = SUMMARY.search(item["html"])
                    summary = found.group(1).strip() if found else item["html"][:200]
    finally:
        response.close()
        # The test client spools a large upload to a temporary file and closes it only after following redirects.
        response.request.input_stream.close()
    if summary.startswith("未导入"):
        raise RuntimeError(f"the import refused the benchmark's file: {summary}")
    return firsts, summary


def phase_seconds(firsts: dict[str, float], started: float, ended: float) -> dict[str, float]:
    """Seconds of each phase seen: reading from the upload's start, each until the next phase's first line."""
    seen = [phase for phase in PHASES if phase in firsts]
    marks = [started] + [firsts[phase] for phase in seen[1:]] + [ended]
    return {phase: marks[k + 1] - marks[k] for k, phase in enumerate(seen)}


def describe_ratios() -> str:
    """"3 employment, 1.6 certificates, … per teacher", for the command's help."""
    return ", ".join(f"{ratio:g} {kind.value}" for kind, ratio in PER_TEACHER.items()) + " records per teacher"


def note(file: ImportFile, dry_run: Result | None, imported: Result | None) -> str:
    """The footnote: the file, how the page was asked, and the import against its target."""
    text = (f"import through the page: a workbook of {file.describe()} rows ({file.size / 1e6:,.1f} MB, written in "
            f"{file.seconds:,.1f} s) posted by the school's HR as the page's script posts it, dry run then import "
            "(practice marked verified); the phases timed by the streamed progress lines; rows/s counts every row")
    if dry_run is None or imported is None or dry_run.median_ms is None or imported.median_ms is None:
        return text
    seconds = imported.median_ms / 1000
    if file.rows[ImportKind.TEACHERS] < DEFAULT_TEACHERS:
        return text + f"; import {seconds:,.1f} s (the {TARGET_SECONDS} s target is for {DEFAULT_TEACHERS:,} teachers)"
    return text + f"; import {seconds:,.1f} s, target under {TARGET_SECONDS} s: {verdict(seconds < TARGET_SECONDS)}"
