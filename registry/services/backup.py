"""Backups: a consistent copy of the database and the evidence files with a manifest of SHA-256 sums, and its
restore into an empty instance.

A backup directory holds:

    manifest.json             FORMAT and FORMAT_VERSION, when, the database kind and Alembic revision, the rows
                              of every table, and the size and SHA-256 of every other file
    database.sqlite           SQLite: a copy made with SQLite's online backup API (one file, journal mode DELETE)
    database.dump             PostgreSQL: `pg_dump --format=custom`
    evidence/<stored name>    every evidence file the copied database refers to

The copy is taken while the registry is in use. SQLite's backup API copies one consistent state of the database;
on PostgreSQL the row counts are taken in a REPEATABLE READ transaction whose snapshot pg_dump shares
(`--snapshot`), so the manifest describes exactly what was dumped. Evidence files are copied before the database
(so that a file deleted meanwhile is still there) and again after it (files uploaded meanwhile); files the copied
database does not refer to are left out. Directories are 0700 and files 0600: a backup holds personal data.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import URL, Connection, column, create_engine, func, inspect, select, table, text

from registry.extensions import db
from registry.models import Evidence
from registry.services import evidence as evidence_files

FORMAT = "dandong-teacher-registry-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite", "postgresql": "database.dump"}
EVIDENCE = "evidence"
# What a manifest may name: the database file or an evidence file, never a path that leaves the backup.
SAFE_NAME = re.compile(r"database\.(sqlite|dump)|evidence/[A-Za-z0-9_-]{1,64}")
CHUNK_BYTES = 1024 * 1024
DIRECTORY_MODE = 0o700


class BackupRefused(Exception):
    """The backup or restore cannot go ahead; the message (Chinese) says why and what to do."""


@dataclass(frozen=True)
class FileEntry:
    size: int  # bytes
    sha256: str  # 64 hex digits


@dataclass(frozen=True)
class Manifest:
    """What a backup holds: `tables` maps every table to its row count; `files` maps every file of the backup
    but the manifest (a path relative to the backup directory) to its size and SHA-256; `missing_evidence` lists
    the stored names the database refers to whose files were already missing from the upload folder."""

    created_at: str  # ISO 8601, UTC
    database_kind: str  # "sqlite" or "postgresql"
    alembic_revision: str | None
    tables: dict[str, int]
    files: dict[str, FileEntry]
    missing_evidence: list[str] = field(default_factory=list)

    @property
    def database_file(self) -> str:
        return DATABASE_FILES[self.database_kind]

    @property
    def evidence_names(self) -> list[str]:
        return sorted(path.split("/", 1)[1] for path in self.files if path.startswith(EVIDENCE + "/"))

    @property
    def evidence_bytes(self) -> int:
        return sum(entry.size for path, entry in self.files.items() if path.startswith(EVIDENCE + "/"))

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION, **asdict(self)},
                          ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, content: str) -> Manifest:
        """Read a manifest; BackupRefused when it is not one of FORMAT_VERSION or names an unsafe path."""
        try:
            raw = json.loads(content)
            if raw.get("format") != FORMAT or raw.get("format_version") != FORMAT_VERSION:
                raise BackupRefused(f"{MANIFEST} 不是本系统第 {FORMAT_VERSION} 版的备份清单")
            manifest = cls(
                created_at=str(raw["created_at"]),
                database_kind=str(raw["database_kind"]),
                alembic_revision=raw["alembic_revision"],
                tables={str(name): int(count) for name, count in raw["tables"].items()},
                files={str(path): FileEntry(int(entry["size"]), str(entry["sha256"])) for path, entry in raw["files"].items()},
                missing_evidence=[str(name) for name in raw.get("missing_evidence", [])],
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupRefused(f"{MANIFEST} 已损坏，无法读取：{exc}") from exc
        if manifest.database_kind not in DATABASE_FILES:
            raise BackupRefused(f"{MANIFEST} 中的数据库类型“{manifest.database_kind}”无法识别")
        unsafe = [path for path in manifest.files if not SAFE_NAME.fullmatch(path)]
        if unsafe:
            raise BackupRefused(f"{MANIFEST} 列出了不属于备份的路径：{unsafe[0]}")
        if manifest.database_file not in manifest.files:
            raise BackupRefused(f"{MANIFEST} 没有列出数据库文件 {manifest.database_file}")
        return manifest


@dataclass(frozen=True)
class Snapshot:
    """What one consistent state of the database holds, read in the same transaction as its copy."""

    alembic_revision: str | None
    tables: dict[str, int]
    evidence_names: set[str]


@dataclass(frozen=True)
class RestoreReport:
    """The restored database's row count per table, and the tables whose count differs from the manifest
    (table -> (in the manifest, restored))."""

    manifest: Manifest
    tables: dict[str, int]
    differences: dict[str, tuple[int | None, int | None]]


# --------------------------------------------------------------------------------------------- backup


def create_backup(target: Path) -> Manifest:
    """Write a backup of the current app's database and evidence files into `target`, a new or empty directory.

    The backup is written into a hidden directory beside `target` and renamed into place once complete, so
    `target` either holds a whole backup or nothing. Returns its manifest. Raises BackupRefused when `target`
    holds anything already, or pg_dump is missing or fails.
    """
    target = Path(target).absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupRefused(f"备份目录 {target} 已存在且不是空的；请指定一个新目录，以免混入或覆盖旧备份")
    kind = db.engine.dialect.name
    if kind not in DATABASE_FILES:
        raise BackupRefused(f"不支持备份 {kind} 数据库（只支持 SQLite 和 PostgreSQL）")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))  # created 0700
    try:
        evidence_dir = staging / EVIDENCE
        evidence_dir.mkdir(mode=DIRECTORY_MODE)
        source = evidence_files.folder()
        copied = {path.name: copy_private(path, evidence_dir / path.name) for path in sorted(source.iterdir())
                  if path.is_file()}
        database_path = staging / DATABASE_FILES[kind]
        snapshot = copy_sqlite(database_path) if kind == "sqlite" else copy_postgresql(database_path)
        missing = []
        for name in sorted(snapshot.evidence_names - copied.keys()):
            try:
                copied[name] = copy_private(source / name, evidence_dir / name)
            except FileNotFoundError:
                missing.append(name)
        for name in copied.keys() - snapshot.evidence_names:  # uploads whose rows the copied database has not
            (evidence_dir / name).unlink()
        entries = {DATABASE_FILES[kind]: digest(database_path)}
        entries.update({f"{EVIDENCE}/{name}": copied[name] for name in sorted(snapshot.evidence_names & copied.keys())})
        manifest = Manifest(
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            database_kind=kind,
            alembic_revision=snapshot.alembic_revision,
            tables=snapshot.tables,
            files=entries,
            missing_evidence=missing,
        )
        with evidence_files.create_private(staging / MANIFEST) as handle:
            handle.write(manifest.to_json().encode("utf-8"))
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def copy_sqlite(path: Path) -> Snapshot:
    """Copy the app's SQLite database into `path` with the online backup API; read what the copy holds.

    The copy is one state of the database even while others write (SQLite restarts a step they interrupt); its
    journal mode is set to DELETE so that it is a single self-contained file.
    """
    evidence_files.create_private(path).close()
    with db.engine.connect() as connection:
        destination = sqlite3.connect(path)
        try:
            connection.connection.driver_connection.backup(destination)
            destination.execute("PRAGMA journal_mode=DELETE")
        finally:
            destination.close()
    engine = create_engine(URL.create("sqlite", database=str(path)))
    try:
        with engine.connect() as copy:
            return read_snapshot(copy)
    finally:
        engine.dispose()


def copy_postgresql(path: Path) -> Snapshot:
    """Dump the app's PostgreSQL database into `path` (pg_dump, custom format) from one exported snapshot,
    and read the row counts in that same snapshot."""
    pg_dump = client_program("pg_dump")
    evidence_files.create_private(path).close()  # pg_dump truncates it and keeps its mode
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot_id = connection.scalar(text("SELECT pg_export_snapshot()"))
            run_client([pg_dump, "--format=custom", f"--snapshot={snapshot_id}", f"--file={path}"], "pg_dump")
            return read_snapshot(connection)


def read_snapshot(connection: Connection) -> Snapshot:
    """The Alembic revision, the row count of every table, and the evidence files referred to."""
    tables = table_counts(connection)
    revision = (connection.scalar(select(column("version_num")).select_from(table("alembic_version")))
                if "alembic_version" in tables else None)
    names = set(connection.scalars(select(Evidence.stored_name))) if Evidence.__tablename__ in tables else set()
    return Snapshot(revision, tables, names)


def table_counts(connection: Connection) -> dict[str, int]:
    """{table name: rows} for every table of the connection's default schema."""
    return {name: connection.scalar(select(func.count()).select_from(table(name)))
            for name in sorted(inspect(connection).get_table_names())}


def copy_private(source: Path, target: Path) -> FileEntry:
    """Copy `source` into a new file `target` created 0600, returning the copy's size and SHA-256."""
    sha256, size = hashlib.sha256(), 0
    with source.open("rb") as reader, evidence_files.create_private(target) as writer:
        while chunk := reader.read(CHUNK_BYTES):
            writer.write(chunk)
            sha256.update(chunk)
            size += len(chunk)
    return FileEntry(size, sha256.hexdigest())


def digest(path: Path) -> FileEntry:
    sha256 = hashlib.sha256()
    with path.open("rb") as reader:
        while chunk := reader.read(CHUNK_BYTES):
            sha256.update(chunk)
    return FileEntry(path.stat().st_size, sha256.hexdigest())


# -------------------------------------------------------------------------------------------- restore


def restore_backup(source: Path) -> RestoreReport:
    """Restore the backup in `source` into the current app's database and upload folder, which must be empty.

    Everything is checked before anything is written: the manifest, the size and SHA-256 of every file it lists,
    the database kind, an empty target database (no tables) and an empty upload folder. Evidence files are
    written 0600. Raises BackupRefused when a check fails or pg_restore does.
    """
    source = Path(source)
    manifest = read_manifest(source)
    problems = [f"{path}：{problem}" for path, problem in file_problems(source, manifest)]
    if problems:
        raise BackupRefused("备份文件与清单不符，已停止恢复，没有写入任何数据：\n  " + "\n  ".join(problems[:10])
                            + (f"\n  ……共 {len(problems)} 处" if len(problems) > 10 else ""))
    kind = db.engine.dialect.name
    if kind != manifest.database_kind:
        raise BackupRefused(f"备份来自 {manifest.database_kind} 数据库，目标是 {kind} 数据库；只能恢复到同一种数据库")
    with db.engine.connect() as connection:
        existing = table_counts(connection)
    if existing:
        raise BackupRefused(
            f"目标数据库不是空的（已有 {len(existing)} 张表，共 {sum(existing.values())} 行）；"
            "恢复只写入新建的空数据库（不要先运行 db upgrade），以免覆盖现有数据"
        )
    folder = evidence_files.folder()
    if any(folder.iterdir()):
        raise BackupRefused(f"证明材料目录 {folder} 不是空的；恢复只写入空目录，以免混入其他文件")

    database_path = source / manifest.database_file
    if kind == "sqlite":
        restore_sqlite(database_path)
    else:
        run_client([client_program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                    "--single-transaction", f"--dbname={db.engine.url.database}", str(database_path)], "pg_restore")
    db.engine.dispose()  # pooled connections opened before the restore know nothing of its tables
    for name in manifest.evidence_names:
        copy_private(source / EVIDENCE / name, folder / name)
    with db.engine.connect() as connection:
        restored = table_counts(connection)
    differences = {name: (manifest.tables.get(name), restored.get(name))
                   for name in manifest.tables.keys() | restored.keys()
                   if manifest.tables.get(name) != restored.get(name)}
    return RestoreReport(manifest, restored, differences)


def read_manifest(source: Path) -> Manifest:
    path = source / MANIFEST
    if not path.is_file():
        raise BackupRefused(f"{source} 中没有 {MANIFEST}：不是一个完整的备份")
    return Manifest.from_json(path.read_text(encoding="utf-8"))


def file_problems(source: Path, manifest: Manifest) -> Iterator[tuple[str, str]]:
    """(path, what is wrong) for every file of the manifest that is missing, of another size or another SHA-256."""
    for path, expected in sorted(manifest.files.items()):
        full = source / path
        if not full.is_file():
            yield path, "缺失"
            continue
        found = digest(full)
        if found.size != expected.size:
            yield path, f"大小应为 {expected.size} 字节，实际 {found.size} 字节"
        elif found.sha256 != expected.sha256:
            yield path, "SHA-256 校验和不符（文件被改动或损坏）"


def restore_sqlite(path: Path) -> None:
    """Copy the backup's SQLite file into the app's (empty) database with the online backup API."""
    backup = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        with db.engine.connect() as connection:
            backup.backup(connection.connection.driver_connection)
    finally:
        backup.close()


# ----------------------------------------------------------------------------- PostgreSQL client programs


def client_program(name: str) -> str:
    """The absolute path of a PostgreSQL client program; BackupRefused when it is not installed."""
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(f"找不到 {name}：请先安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client）")
    return found


# DATABASE_URL query options that libpq also reads from its environment.
LIBPQ_QUERY = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
               "host": "PGHOST", "port": "PGPORT", "connect_timeout": "PGCONNECT_TIMEOUT",
               "application_name": "PGAPPNAME", "options": "PGOPTIONS"}


def libpq_environment() -> dict[str, str]:
    """The environment for pg_dump / pg_restore: the app's database as PG* variables.

    The password travels in PGPASSWORD, never on a command line (which other users can list) nor in output.
    """
    url = db.engine.url
    environment = {**os.environ, "PGDATABASE": url.database or "", "PGUSER": url.username or ""}
    if url.host:
        environment["PGHOST"] = url.host
    if url.port:
        environment["PGPORT"] = str(url.port)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    for key, value in url.query.items():  # libpq options given in DATABASE_URL, e.g. ?sslmode=require
        if key in LIBPQ_QUERY:
            environment[LIBPQ_QUERY[key]] = value if isinstance(value, str) else value[-1]
    return environment


def run_client(arguments: list[str], name: str) -> None:
    """Run pg_dump or pg_restore against the app's database; BackupRefused with its error output if it fails."""
    finished = subprocess.run(arguments, env=libpq_environment(), capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise BackupRefused(f"{name} 失败（退出状态 {finished.returncode}）：{finished.stderr.strip()[-2000:]}")
