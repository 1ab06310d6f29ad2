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

from registry.bench.generate import TeacherMaker
from registry.bench.measure import MEASURE_NAMES
from registry.schemas.id_numbers import parse_id_number

ROOT = Path(__file__).resolve().parents[2]


def bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-W", "error", "-m", "registry.bench", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )


def test_the_benchmark_at_2000_teachers_prints_a_line_for_every_measure_and_its_json(tmp_path):
    figures = tmp_path / "bench.json"
    done = bench("--teachers", "2000", "--repeat", "1", "--database-url", f"sqlite:///{tmp_path / 'bench.sqlite'}",
                 "--json", str(figures))
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    for name in MEASURE_NAMES:
        assert any(line.startswith(name + "  ") for line in lines), (name, done.stdout)
    assert any(line.startswith("baseline / stored first page: ") for line in lines), done.stdout
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
