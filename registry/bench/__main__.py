"""`python -m registry.bench --teachers N [--import-teachers M] [--database-url URL] [--repeat K] [--json [PATH]]`

Exit status: 0 when the table is printed, 2 when the database already holds
data (the benchmark writes its own data set and never deletes anything) or the
arguments are wrong.
"""
from __future__ import annotations

import argparse
import os
import platform
import secrets
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, func, inspect, make_url, select, text
from sqlalchemy.exc import OperationalError
from tqdm import tqdm

from registry import create_app, dates
from registry.bench import imports
from registry.bench.client import HR_LOGIN
from registry.bench.generate import generate
from registry.bench.measure import (
    CSV,
    FULL_BASELINE_LIMIT,
    IMPORT,
    IMPORT_DRY_RUN,
    Questions,
    generation_result,
    run_measure,
)
from registry.bench.memory import RssPeak, TracemallocPeak, choose
from registry.bench.report import Report, verdict
from registry.extensions import db
from registry.models import School, Teacher, User

REFUSED = 2
CSV_MEMORY_TARGET_MB = 200


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m registry.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--teachers", type=int, required=True, metavar="N", help="teachers to generate (at least 1)")
    p.add_argument("--database-url", metavar="URL",
                   help="an empty database (created on PostgreSQL when missing); default: a new temporary SQLite file")
    p.add_argument("--repeat", type=int, default=5, metavar="K",
                   help="timed runs of each light measure, median reported (default 5; heavy measures run once)")
    p.add_argument("--seed", type=int, default=2026, help="seed of the generated data set (default 2026)")
    p.add_argument("--memory", choices=("auto", "rss", "tracemalloc"), default="auto",
                   help="how peak memory is measured (default auto: rss on Linux)")
    p.add_argument("--baseline-sample", type=int, metavar="M",
                   help=f"evaluate M teachers for the baseline and scale to N (default: all up to {FULL_BASELINE_LIMIT:,}, "
                        f"a sample of 20,000 beyond)")
    p.add_argument("--import-teachers", type=int, metavar="M",
                   help=f"teachers in the workbook imported through the page, with {imports.describe_ratios()} "
                        f"(default {imports.DEFAULT_TEACHERS:,}, or N when smaller; 0: no import)")
    p.add_argument("--json", nargs="?", const="-", metavar="PATH",
                   help="the figures as JSON: on stdout instead of the table, or written to PATH besides it")
    p.add_argument("--keep", action="store_true", help="keep the temporary SQLite file and print its path")
    return p


def create_database_if_missing(url: str) -> None:
    """On PostgreSQL, create the database named by `url` when the server does not have it yet."""
    target = make_url(url)
    if target.get_backend_name() != "postgresql" or not target.database:
        return
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            found = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database})
            if found is None:
                quoted = '"' + target.database.replace('"', '""') + '"'
                connection.exec_driver_sql(f"CREATE DATABASE {quoted}")
                print(f"registry.bench: created database {target.database}", file=sys.stderr)
    except OperationalError:
        pass  # no maintenance database to ask: connecting to the target reports the real problem
    finally:
        server.dispose()


def data_held() -> dict[str, int]:
    """{table: rows} of the teachers, schools and accounts already in the database (tables that exist and are not empty)."""
    inspector = inspect(db.engine)
    held = {}
    for model in (Teacher, School, User):
        name = model.__tablename__
        if inspector.has_table(name):
            count = db.session.scalar(select(func.count()).select_from(model.__table__))
            if count:
                held[name] = count
    db.session.remove()
    return held


class RefreshBar:
    """verdicts.refresh's progress(done, total) as a tqdm bar on stderr, one bar per refresh."""

    def __init__(self) -> None:
        self.bar: tqdm | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = tqdm(total=total, unit=" teachers", file=sys.stderr, desc="refreshing")
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.bar.close()
            self.bar = None


def notes(questions: Questions, repeat: int, memory: RssPeak | TracemallocPeak, report: Report,
          file: imports.ImportFile | None = None) -> list[str]:
    """The footnotes: how each figure was taken, and the CSV export's memory against its target."""
    found = [
        f"median ms: median of {repeat} timed runs after one untimed warm-up (a server already up); the full refresh, "
        "the exports and the baseline run once, cold. Each run starts a fresh session, as a request does.",
        memory.footnote,
        "rows/s: teachers per second for generation, full refresh and the baseline; rows written per second for "
        "the exports",
    ]
    if questions.baseline_sample is None:
        found.append("baseline: the list's first page as of yesterday, which evaluates every teacher through the rule "
                     "engine (and keeps the day's snapshot): what every list did for today before stored verdicts")
    else:
        found.append(f"baseline: {questions.baseline_sample:,} teachers (ids evenly spread) evaluated through the rule "
                     f"engine as of yesterday, the time scaled linearly to all {questions.data.teachers:,}: a sample, not "
                     "a full run")
    csv = report.result(CSV)
    if csv is not None and csv.peak_mb is not None:
        found.append(f"CSV export of every row: peak {csv.peak_mb:,.1f} MB, target under {CSV_MEMORY_TARGET_MB} MB: "
                     f"{verdict(csv.peak_mb < CSV_MEMORY_TARGET_MB)}")
    if file is not None:
        found.append(imports.note(file, report.result(IMPORT_DRY_RUN), report.result(IMPORT)))
    return found


def run(args: argparse.Namespace, url: str, workdir: Path) -> int:
    """Refuse a database holding data (2); otherwise migrate, generate, measure and print. Returns the exit status.

    `workdir` holds the import measure's workbook."""
    import_teachers = min(imports.DEFAULT_TEACHERS, args.teachers) if args.import_teachers is None else args.import_teachers
    memory = choose(args.memory)
    create_database_if_missing(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(16),
                      "PASSWORD_HASH_PROFILE": "CHEAPEST"})
    shown = make_url(url).render_as_string(hide_password=True)
    with app.test_request_context():
        try:
            held = data_held()
            if held:
                found = ", ".join(f"{count:,} rows in {table}" for table, count in held.items())
                print(f"registry.bench: refused: {shown} already holds data ({found}). The benchmark writes its own "
                      "data set into an empty database and never deletes anything: give it an empty database, or no "
                      "--database-url for a temporary SQLite file.", file=sys.stderr)
                return REFUSED
            upgrade()
            today = dates.today()
            if not memory.extra_pass:
                memory.start()
            data = generate(args.teachers, today, seed=args.seed)
            results = [generation_result(data, None if memory.extra_pass else memory.stop())]
            questions = Questions(data, today, args.baseline_sample)
            for measure in questions.measures(progress=RefreshBar()):
                print(f"measuring {measure.name} …", file=sys.stderr)
                results.append(run_measure(measure, args.repeat, memory))
            file = None
            if import_teachers:
                school = db.session.get(School, data.hr_school_id).name
                print(f"writing the import workbook ({import_teachers:,} teachers) …", file=sys.stderr)
                file = imports.write_import_file(Path(workdir) / "import.xlsx", import_teachers, school, today, args.seed)
                page = imports.ThroughThePage(app, HR_LOGIN, data.password, file)
                for measure in page.measures():
                    print(f"measuring {measure.name} …", file=sys.stderr)
                    results.append(run_measure(measure, args.repeat, memory))
            context = {
                "teachers": data.teachers, "schools": data.schools, "database": f"{db.engine.dialect.name} ({shown})",
                "today": today.isoformat(), "repeat": args.repeat, "seed": args.seed, "memory": memory.name,
                "cores": os.cpu_count(), "python": platform.python_version(),
            }
            report = Report(context, results)
            report.notes = notes(questions, args.repeat, memory, report, file)
        finally:
            db.session.remove()
            db.engine.dispose()
    if args.json == "-":
        print(report.as_json())
        return 0
    print(report.as_text())
    if args.json:
        Path(args.json).write_text(report.as_json() + "\n", encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.teachers < 1 or args.repeat < 1:
        parser().error("--teachers and --repeat must be at least 1")
    if args.import_teachers is not None and args.import_teachers < 0:
        parser().error("--import-teachers must be at least 0")
    workdir = Path(tempfile.mkdtemp(prefix="registry-bench-"))
    url = args.database_url
    if url is None:
        url = f"sqlite:///{workdir / 'bench.sqlite'}"
    try:
        return run(args, url, workdir)
    finally:
        if args.database_url is None and args.keep:
            print(f"registry.bench: kept {workdir / 'bench.sqlite'}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
