"""The benchmark (python -m registry.bench): a smoke run at 2,000 teachers, and its refusal of a database in use.

No figure is asserted: times depend on the machine. The smoke run only proves every measure runs and is printed.
"""
from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from registry.bench.generate import TeacherMaker
from registry.bench.imports import write_import_file
from registry.bench.measure import MEASURE_NAMES
from registry.rules.vocabulary import ImportKind
from registry.schemas.id_numbers import parse_id_number
from registry.services.record_imports import import_records
from registry.vocabulary import label

ROOT = Path(__file__).resolve().parents[2]


def bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-W", "error", "-m", "registry.bench", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )


def test_the_benchmark_at_2000_teachers_prints_a_line_for_every_measure_and_its_json(tmp_path):
    figures = tmp_path / "bench.json"
    done = bench("--teachers", "2000", "--repeat", "1", "--database-url", f"sqlite:///{tmp_path / 'bench.sqlite'}",
                 "--json", str(figures), "--import-teachers", "50")
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    for name in MEASURE_NAMES:
        assert any(line.startswith(name + "  ") for line in lines), (name, done.stdout)
    assert any(line.startswith("baseline / stored first page: ") for line in lines), done.stdout
    assert any(line.startswith("- import through the page: a workbook of 50 teachers") for line in lines), done.stdout
    saved = json.loads(figures.read_text(encoding="utf-8"))
    assert saved["teachers"] == 2000
    assert [result["measure"] for result in saved["results"]] == list(MEASURE_NAMES)
    assert all(result["median_ms"] is not None for result in saved["results"])


def test_the_benchmark_refuses_a_database_that_holds_teachers_and_leaves_them_there(tmp_path):
    path = tmp_path / "in_use.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE teacher (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO teacher (name) VALUES ('王立新')")
    done = bench("--teachers", "10", "--database-url", f"sqlite:///{path}")
    assert done.returncode == 2
    assert "refused" in done.stderr and "1 rows in teacher" in done.stderr
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT name FROM teacher").fetchall() == [("王立新",)]


def test_generated_identity_numbers_are_valid_and_never_repeat():
    teachers = 30_000  # 30 blocks of 1,000: the birth dates must separate the blocks
    maker = TeacherMaker(random.Random(1), date(2026, 11, 28), teachers)
    rng = random.Random(2)
    numbers = set()
    for index in range(teachers):
        born = date(1985, 6, 1).toordinal() + rng.randint(-3, 3)  # crowded on purpose
        number, _born = maker.id_number(index, "210602", born)
        assert parse_id_number(number) == number
        numbers.add(number)
    assert len(numbers) == teachers


def test_the_import_workbook_has_the_template_sheets_and_rows_per_teacher_and_imports_cleanly(tmp_path, make,
                                                                                               frozen_today):
    school = make.school(name="丹东市第一职业中专")
    file = write_import_file(tmp_path / "import.xlsx", 10, school.name, frozen_today)
    book = load_workbook(file.path, read_only=True)
    rows = {name: sum(1 for _ in book[name].iter_rows(min_row=2)) for name in book.sheetnames}
    book.close()
    assert rows == {label(ImportKind.TEACHERS): 10, label(ImportKind.EMPLOYMENT): 30, label(ImportKind.CERTIFICATES): 16,
                    label(ImportKind.TRAINING): 10, label(ImportKind.PRACTICE): 80}
    assert file.rows == dict(zip(ImportKind, rows.values(), strict=True))
    report = import_records(None, file.path.read_bytes(), "import.xlsx", frozen_today, school_id=school.id, dry_run=True,
                            verified=True)
    assert report.ok and report.created == file.total, report.errors[:5]
