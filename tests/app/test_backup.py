"""`flask --app app backup DIR` and `restore DIR`: a consistent copy taken while others write, restored into a
fresh instance with the same rows, the same evidence files and an intact audit chain; a tampered or incomplete
backup, or a target that is not empty, is refused before anything is written.

Each test runs its own instances on a database of their own: a SQLite file in tmp_path, and, when
TEST_DATABASE_URL is PostgreSQL, a database of its own on that server as well.
"""
from __future__ import annotations

import json
import os
import stat
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, inspect, make_url, select
from sqlalchemy.exc import OperationalError

from registry.extensions import db
from registry.models import AuditEvent, School
from registry.services import backup
from registry.services import practice as practice_service
from registry.services import schools as school_service
from registry.services.audit import verify_chain
from tests.app.factories import Factory
from tests.app.inputs import JPEG, PDF, upload

WRITERS = 3
CONCURRENT = "并发学校"


@dataclass
class Instance:
    """An app on its own database and upload folder."""

    app: Flask
    upload_folder: Path

    def cli(self, *args: str):
        return self.app.test_cli_runner().invoke(args=list(args))


def postgresql_server() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if make_url(url or "sqlite://").get_backend_name() == "postgresql" else None


class Databases:
    """Hands out empty databases of one kind (SQLite files, or PostgreSQL databases it creates and drops)."""

    def __init__(self, kind: str, tmp_path: Path):
        self.kind, self.tmp_path, self.created = kind, tmp_path, []
        if kind == "postgresql":
            server = make_url(postgresql_server())
            self.base = server
            self.server = create_engine(server, isolation_level="AUTOCOMMIT")

    def new(self, role: str) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.tmp_path / f'{role}.sqlite'}"
        name = f"{self.base.database}_backup_{role}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
        with self.server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return self.base.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if self.kind == "postgresql":
            with self.server.connect() as connection:
                for name in self.created:
                    connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.server.dispose()


KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    postgresql_server() is None, reason="TEST_DATABASE_URL is not PostgreSQL"))]


# For what does not depend on the database: the checks of files and folders.
FILES_ONLY = pytest.mark.parametrize("databases", ["sqlite"], indirect=True)


@pytest.fixture(params=KINDS)
def databases(request, tmp_path) -> Iterator[Databases]:
    handed_out = Databases(request.param, tmp_path)
    yield handed_out
    handed_out.drop_all()


@pytest.fixture
def instances(make_app, databases, tmp_path) -> Iterator:
    """instances(role, migrated=True) -> a new Instance; every engine is closed at the end."""
    made: list[Instance] = []

    def make(role: str, migrated: bool = True) -> Instance:
        folder = tmp_path / f"evidence-{role}"
        instance = Instance(make_app(SQLALCHEMY_DATABASE_URI=databases.new(role), UPLOAD_FOLDER=str(folder)), folder)
        if migrated:
            with instance.app.app_context():
                upgrade()
        made.append(instance)
        return instance

    yield make
    for instance in made:
        with instance.app.app_context():
            db.engine.dispose()


@pytest.fixture
def source(instances) -> Instance:
    """A migrated instance with a school, a teacher with an account and two evidence files of a practice record,
    and audited rows (schools created through the service)."""
    instance = instances("source")
    with instance.app.app_context():
        make = Factory()
        school = make.school(name="丹东市第一职业中专")
        teacher = make.teacher(school, name="王老师")
        user = make.user("teacher", teacher=teacher)
        record = make.practice(teacher, "2024-07-01", "2024-08-31", status="planned")
        practice_service.add_evidence(user, record.id, [upload(PDF, "企业证明.pdf"), upload(JPEG, "现场照片.jpg")])
        for n in range(3):
            school_service.create_school(None, {"name": f"种子学校{n}", "county": "东港市"})
        db.session.commit()
    return instance


def counts(instance: Instance) -> dict[str, int]:
    with instance.app.app_context(), db.engine.connect() as connection:
        return backup.table_counts(connection)


class Writers:
    """Threads that create schools through the service (each with its audit event) until told to stop."""

    def __init__(self, instance: Instance):
        self.instance, self.stop, self.errors = instance, threading.Event(), []
        self.done = [0] * WRITERS
        self.threads = [threading.Thread(target=self.write, args=(n,)) for n in range(WRITERS)]

    def write(self, writer: int) -> None:
        failures = 0
        with self.instance.app.app_context():
            while not self.stop.is_set():
                try:
                    school_service.create_school(None, {"name": f"{CONCURRENT}{writer}-{self.done[writer]}", "county": "凤城市"})
                    db.session.commit()
                    self.done[writer] += 1
                except OperationalError as exc:  # SQLite: another writer holds the lock; a user would try again
                    db.session.rollback()
                    failures += 1
                    if failures > 1000:
                        self.errors.append(exc)
                        return
                except Exception as exc:  # noqa: BLE001 — reported by the test, not lost in a thread
                    self.errors.append(exc)
                    return

    def at_least(self, n: int) -> None:
        """Wait until the writers have committed `n` schools between them."""
        while sum(self.done) < n and not self.errors:
            time.sleep(0.01)

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def test_a_backup_taken_while_writers_run_restores_into_a_fresh_instance_with_the_same_rows(source, instances, tmp_path):
    target_dir = tmp_path / "backup"
    with Writers(source) as writers:
        writers.at_least(WRITERS)
        committed_before = sum(writers.done)
        result = source.cli("backup", str(target_dir))
        writers.at_least(sum(writers.done) + WRITERS)  # writes go on after the copy
    assert not writers.errors, writers.errors
    assert result.exit_code == 0, result.output
    assert "备份完成" in result.output and "证明材料：2 个文件" in result.output

    manifest = backup.read_manifest(target_dir)
    assert manifest.tables["school"] < counts(source)["school"]  # the source went on growing
    assert manifest.tables["school"] >= 1 + 3 + committed_before  # ...and the copy has all that was committed before

    fresh = instances("restored", migrated=False)
    result = fresh.cli("restore", str(target_dir))
    assert result.exit_code == 0, result.output
    assert "行数与清单一致；审计记录完整" in result.output
    assert counts(fresh) == manifest.tables

    with fresh.app.app_context():
        chain = verify_chain()
        assert chain.intact and chain.count == manifest.tables["audit_event"]
        # One consistent moment: every school a writer created is there with its audit event, or neither is.
        schools = db.session.scalar(select(func.count()).where(School.name.startswith(CONCURRENT)))
        events = db.session.scalar(select(func.count()).where(AuditEvent.entity == "school", AuditEvent.action == "create"))
        assert events == schools + 3
    restored = {path.name: path.read_bytes() for path in fresh.upload_folder.iterdir()}
    originals = {path.name: path.read_bytes() for path in source.upload_folder.iterdir()}
    assert restored == originals and sorted(restored.values()) == sorted([PDF, JPEG])
    assert {stat.S_IMODE(path.stat().st_mode) for path in fresh.upload_folder.iterdir()} == {0o600}


def test_the_manifest_lists_size_and_sha256_of_every_file_and_the_row_counts(source, tmp_path):
    with source.app.app_context():
        manifest = backup.create_backup(tmp_path / "backup")
    written = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    assert written["format"] == backup.FORMAT and written["format_version"] == 1
    assert written["database_kind"] == manifest.database_kind and written["created_at"]
    assert written["alembic_revision"] and written["tables"] == counts(source)
    files = sorted(path.relative_to(tmp_path / "backup").as_posix() for path in (tmp_path / "backup").rglob("*")
                   if path.is_file() and path.name != "manifest.json")
    assert sorted(written["files"]) == files and len(files) == 3  # the database and two evidence files
    for name, entry in written["files"].items():
        assert backup.digest(tmp_path / "backup" / name) == backup.FileEntry(entry["size"], entry["sha256"])


def test_the_backup_is_readable_by_its_owner_only(source, tmp_path):
    with source.app.app_context():
        backup.create_backup(tmp_path / "backup")
    paths = [tmp_path / "backup", *(tmp_path / "backup").rglob("*")]
    modes = {stat.S_IMODE(path.stat().st_mode) for path in paths if path.is_dir()}
    assert modes == {0o700}
    assert {stat.S_IMODE(path.stat().st_mode) for path in paths if path.is_file()} == {0o600}


@FILES_ONLY
def test_a_backup_refuses_a_directory_that_is_not_empty_and_leaves_it_alone(source, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "older.txt").write_text("keep me")
    result = source.cli("backup", str(tmp_path / "backup"))
    assert result.exit_code == 1
    assert "已存在且不是空的" in result.output
    assert [path.name for path in (tmp_path / "backup").iterdir()] == ["older.txt"]
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".backup")] == []


@FILES_ONLY
def test_evidence_already_missing_from_the_upload_folder_is_noted_in_the_manifest(source, tmp_path):
    lost = sorted(source.upload_folder.iterdir())[0]
    lost.unlink()
    result = source.cli("backup", str(tmp_path / "backup"))
    assert result.exit_code == 0
    assert "1 个证明材料文件在备份前已不在证明材料目录中" in result.output
    assert backup.read_manifest(tmp_path / "backup").missing_evidence == [lost.name]


# ------------------------------------------------------------------ refusals of restore


@pytest.fixture
def made(source, tmp_path) -> Path:
    with source.app.app_context():
        backup.create_backup(tmp_path / "backup")
    return tmp_path / "backup"


def refused(instance: Instance, directory: Path) -> str:
    """The restore's refusal (exit status 1), having checked that nothing was written."""
    result = instance.cli("restore", str(directory))
    assert result.exit_code == 1, result.output
    assert "恢复被拒绝" in result.output
    with instance.app.app_context(), db.engine.connect() as connection:
        assert inspect(connection).get_table_names() == []
    assert not instance.upload_folder.exists() or list(instance.upload_folder.iterdir()) == []
    return result.output


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_tampered_database_file_makes_restore_refuse_before_writing_anything(made, instances):
    database_file = next(path for path in made.iterdir() if path.name.startswith("database."))
    flip_a_byte(database_file)
    output = refused(instances("restored", migrated=False), made)
    assert f"{database_file.name}：SHA-256 校验和不符" in output


@FILES_ONLY
def test_a_tampered_evidence_file_makes_restore_refuse(made, instances):
    evidence = sorted((made / "evidence").iterdir())[0]
    flip_a_byte(evidence)
    assert f"evidence/{evidence.name}：SHA-256 校验和不符" in refused(instances("restored", migrated=False), made)


@FILES_ONLY
def test_a_file_of_another_size_or_a_missing_file_makes_restore_refuse(made, instances):
    first, second = sorted((made / "evidence").iterdir())
    first.write_bytes(first.read_bytes() + b"\x00")
    second.unlink()
    output = refused(instances("restored", migrated=False), made)
    assert f"evidence/{first.name}：大小应为" in output and f"evidence/{second.name}：缺失" in output


@FILES_ONLY
def test_a_manifest_that_names_a_path_outside_the_backup_is_refused(made, instances):
    manifest = json.loads((made / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["../../escaped"] = {"size": 1, "sha256": "0" * 64}
    (made / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert "不属于备份的路径：../../escaped" in refused(instances("restored", migrated=False), made)


@FILES_ONLY
def test_a_directory_without_a_manifest_is_not_a_backup(instances, tmp_path):
    (tmp_path / "empty").mkdir()
    assert "没有 manifest.json" in refused(instances("restored", migrated=False), tmp_path / "empty")


def test_restore_refuses_a_database_that_is_not_empty(made, instances):
    target = instances("restored")  # migrated: it has tables
    before = counts(target)
    result = target.cli("restore", str(made))
    assert result.exit_code == 1
    assert "目标数据库不是空的" in result.output and "不要先运行 db upgrade" in result.output
    assert counts(target) == before


@FILES_ONLY
def test_restore_refuses_an_upload_folder_that_is_not_empty(made, instances):
    target = instances("restored", migrated=False)
    target.upload_folder.mkdir()
    (target.upload_folder / "someone-elses-file").write_bytes(b"x")
    result = target.cli("restore", str(made))
    assert result.exit_code == 1 and "证明材料目录" in result.output and "不是空的" in result.output
    with target.app.app_context(), db.engine.connect() as connection:
        assert inspect(connection).get_table_names() == []


# ------------------------------------------------------------------ PostgreSQL client programs


def test_the_database_password_is_passed_in_the_environment_never_on_the_command_line(make_app, monkeypatch):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://registry:s3cret-pw@db.example:6543/registry?sslmode=require")
    seen = {}

    def run(arguments, env, **_options):
        seen.update(arguments=arguments, env=env)
        return backup.subprocess.CompletedProcess(arguments, 1, "", "pg_dump: error: connection refused")

    monkeypatch.setattr(backup.subprocess, "run", run)
    with app.app_context(), pytest.raises(backup.BackupRefused) as caught:
        backup.run_client(["/usr/bin/pg_dump", "--format=custom"], "pg_dump")
    assert not any("s3cret-pw" in argument for argument in seen["arguments"])
    assert "s3cret-pw" not in str(caught.value) and "connection refused" in str(caught.value)
    env = seen["env"]
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"], env["PGPASSWORD"], env["PGSSLMODE"]) == (
        "db.example", "6543", "registry", "registry", "s3cret-pw", "require")


def test_a_missing_pg_dump_is_a_clear_refusal(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda _name: None)
    with pytest.raises(backup.BackupRefused) as caught:
        backup.client_program("pg_dump")
    assert "postgresql-client" in str(caught.value)
