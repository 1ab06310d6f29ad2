"""The command line of api.md: `flask --app app demo|schools|users|teachers ...`.

Each command is one transaction (registry.transactions.committed): committed when it
succeeds, rolled back when it is refused or fails.
"""
from __future__ import annotations

import sys
from functools import wraps

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from registry.errors import Invalid
from registry.extensions import db
from registry.models import User
from registry.rules.vocabulary import Role
from registry.schemas import MAX_ID
from registry.services import schools as school_service
from registry.services import users as user_service
from registry.transactions import committed
from registry.vocabulary import label


class CommandGroup(AppGroup):
    """Flask's command group whose every command runs in one transaction, in the app context."""

    def command(self, *args, **kwargs):
        register = super().command(*args, **kwargs)
        return lambda callback: register(committed(callback))


demo_cli = CommandGroup("demo", help="演示数据")
schools_cli = CommandGroup("schools", help="学校")
users_cli = CommandGroup("users", help="账号与 API 令牌")
teachers_cli = CommandGroup("teachers", help="教师")
compliance_cli = CommandGroup("compliance", help="存储的核查结果（每晚运行 refresh）")

# A record id: a larger number cannot name a record, so it is a usage error (exit 2), not a traceback.
RECORD_ID = click.IntRange(1, MAX_ID)


def refusals_exit_1(command):
    """Refused input: a one-line reason on stderr and exit status 1, never a traceback."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except Invalid as exc:
            for field, message in exc.errors.items():
                click.echo(f"{field}: {message}", err=True)
            sys.exit(1)

    return wrapper


@demo_cli.command("load")
def demo_load() -> None:
    """Load the Dandong demo data set (idempotent) and print the demo logins."""
    from registry.demo import load_demo

    logins = load_demo()
    click.echo("演示数据已就绪。演示账号（登录名 / 密码 / 角色）：")
    for login, password, role, where in logins:
        click.echo(f"  {login:<12} {password:<14} {label(Role, role)}  {where}")


@schools_cli.command("create")
@click.argument("name")
@click.option("--county", required=True, help="县（市、区）")
@refusals_exit_1
def schools_create(name: str, county: str) -> None:
    school = school_service.create_school(None, {"name": name, "county": county})
    click.echo(school.id)


@users_cli.command("create")
@click.argument("login")
@click.option("--role", required=True, type=click.Choice(Role.codes()))
@click.option("--school", "school_id", type=RECORD_ID)
@click.option("--teacher", "teacher_id", type=RECORD_ID)
@click.option("--password", required=True)
@refusals_exit_1
def users_create(login: str, role: str, school_id: int | None, teacher_id: int | None, password: str) -> None:
    user = user_service.create_user(
        None, {"login": login, "role": role, "school_id": school_id, "teacher_id": teacher_id, "password": password}
    )
    click.echo(user.id)


@users_cli.command("token")
@click.argument("login")
def users_token(login: str) -> None:
    user = db.session.scalar(select(User).where(User.login == login))
    if user is None:
        click.echo(f"login: 没有登录名为 {login} 的账号", err=True)
        sys.exit(1)
    _token, plain = user_service.create_token(user, "command line")
    click.echo(plain)


@teachers_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--school", "school_id", type=RECORD_ID, help="只导入到这所学校（ID）；学校列为空的行也归入该校")
@click.option("--dry-run", is_flag=True, help="只检查并报告，不写入")
def teachers_import(file: str, school_id: int | None, dry_run: bool) -> None:
    """从 .xlsx 或 UTF-8 CSV 批量导入教师：全部行正确才写入，否则一行都不写入。"""
    from pathlib import Path

    from registry.dates import today
    from registry.models import School
    from registry.services.imports import import_teachers

    if school_id is not None and db.session.get(School, school_id) is None:
        raise click.BadParameter(f"没有 ID 为 {school_id} 的学校", param_hint="--school")
    path = Path(file)
    report = import_teachers(None, path.read_bytes(), path.name, today(), school_id=school_id, dry_run=dry_run)
    if not report.ok:
        for error in report.errors:
            click.echo(str(error), err=True)
        click.echo(report.summary(), err=True)
        sys.exit(1)
    click.echo(report.summary())
    click.echo(f"用时 {report.seconds:.2f} 秒")


@compliance_cli.command("refresh")
@click.option("--all", "everyone", is_flag=True, help="重算全部教师和学校，而不只是已过有效期的")
def compliance_refresh(everyone: bool) -> None:
    """重算有效期已过（或缺失）的核查结果；建议每晚运行一次。"""
    from registry.dates import today
    from registry.services import trends, verdicts

    day = today()
    with click.progressbar(length=1, label="重算核查结果", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        report = verdicts.refresh(day, everyone=everyone, progress=progress)
    click.echo(f"已重算：教师 {report.teachers} 人，学校 {report.schools} 所；用时 {report.seconds:.1f} 秒")
    click.echo(f"已记录月末趋势：{trends.record_month_ends(day)} 个月")


@compliance_cli.command("verify")
def compliance_verify() -> None:
    """用规则引擎重新核算每位教师和每所学校，与存储的结果比较；有差异时列出前几处并以状态 1 退出。"""
    from registry.dates import today
    from registry.services import verdicts

    compared, differences = verdicts.verify(today())
    if differences:
        for d in differences:
            click.echo(f"{d.table} #{d.key} {d.field}: 存储 {d.stored} ≠ 重算 {d.fresh}", err=True)
        click.echo(f"不一致：已比较 {compared} 条，上面是前 {len(differences)} 处差异", err=True)
        sys.exit(1)
    click.echo(f"一致：已比较 {compared} 条存储结果")


def init(app: Flask) -> None:
    for group in (demo_cli, schools_cli, users_cli, teachers_cli, compliance_cli):
        app.cli.add_command(group)
