"""The command line of api.md: `flask --app app demo|schools|users|teachers ...`.

Each command is one transaction (registry.transactions.committed): committed when it
succeeds, rolled back when it is refused or fails.
"""
from __future__ import annotations

import sys
from functools import wraps
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from registry.errors import Conflict, Invalid
from registry.extensions import db
from registry.models import User
from registry.rules.vocabulary import ImportKind, Role
from registry.schemas import MAX_ID
from registry.services import schools as school_service
from registry.services import users as user_service
from registry.services.record_imports import PHASE_LABELS
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
audit_cli = CommandGroup("audit", help="审计记录（只增不改的哈希链）")

# What --kind takes: the import kinds' codes (registry.services.import_kinds.ImportKind).
IMPORT_KINDS = ImportKind.codes()

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
        except Conflict as exc:
            click.echo(exc.message, err=True)
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
@click.option("--email", help="接收提醒的电子邮件地址（可不填）")
@refusals_exit_1
def users_create(login: str, role: str, school_id: int | None, teacher_id: int | None, password: str,
                 email: str | None) -> None:
    user = user_service.create_user(
        None, {"login": login, "role": role, "school_id": school_id, "teacher_id": teacher_id, "password": password,
               "email": email}
    )
    click.echo(user.id)


def user_by_login(login: str) -> User:
    """The account with this login; a one-line refusal and exit status 1 when there is none."""
    user = db.session.scalar(select(User).where(User.login == login))
    if user is None:
        click.echo(f"login: 没有登录名为 {login} 的账号", err=True)
        sys.exit(1)
    return user


@users_cli.command("token")
@click.argument("login")
def users_token(login: str) -> None:
    _token, plain = user_service.create_token(user_by_login(login), "command line")
    click.echo(plain)


@users_cli.command("reset-password")
@click.argument("login")
def users_reset_password(login: str) -> None:
    """Print a one-time password for LOGIN; its sessions end and it must choose a new password at its next sign-in."""
    click.echo(user_service.reset_password(None, user_by_login(login).id))


@users_cli.command("disable")
@click.argument("login")
@refusals_exit_1
def users_disable(login: str) -> None:
    """Disable LOGIN: its sessions end, it cannot sign in, its API tokens stop working."""
    user_service.set_user_active(None, user_by_login(login).id, False)
    click.echo(f"已停用 {login}")


@users_cli.command("enable")
@click.argument("login")
def users_enable(login: str) -> None:
    """Enable LOGIN again."""
    user_service.set_user_active(None, user_by_login(login).id, True)
    click.echo(f"已启用 {login}")


@teachers_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--school", "school_id", type=RECORD_ID, help="只导入到这所学校（ID）；学校列为空的行也归入该校")
@click.option("--dry-run", is_flag=True, help="只检查并报告，不写入")
@click.option("--kind", type=click.Choice(IMPORT_KINDS), help="CSV 文件（或 --sheet 选定的工作表）是哪一类记录；默认按工作表名称识别，CSV 为 teachers")
@click.option("--sheet", help="只读取工作簿中这个可见的工作表（默认：名称为类别的各工作表，没有时为打开时显示的工作表）")
@click.option("--verified", is_flag=True, help="企业实践记录已审核：导入为“已审核通过”（默认为“已提交”）")
def teachers_import(file: str, school_id: int | None, dry_run: bool, kind: str | None, sheet: str | None,
                    verified: bool) -> None:
    """从 .xlsx、.xls、.xlsb、.ods 或 CSV（UTF-8、GBK、UTF-16）批量导入教师档案：教师、工作经历、证书、培训、企业实践。

    工作簿的每个工作表一类记录（见导入模板），CSV 一次一类（--kind）。全部工作表的全部行都正确才写入，否则什么都不写入：
    错误逐条写到 stderr，退出状态 1。提醒（不阻止导入）在汇总之后以“提醒”开头写到 stdout。进度条写到 stderr。
    """
    from registry.dates import today
    from registry.models import School
    from registry.services.record_imports import import_records

    if school_id is not None and db.session.get(School, school_id) is None:
        raise click.BadParameter(f"没有 ID 为 {school_id} 的学校", param_hint="--school")
    path = Path(file)
    content = path.read_bytes()
    if sheet is not None:
        check_sheet(content, path.name, sheet)
    with PhaseBars() as progress:
        report = import_records(None, content, path.name, today(), school_id=school_id, dry_run=dry_run,
                                kind=ImportKind(kind) if kind else None, sheet=sheet, verified=verified,
                                progress=progress)
    if not report.ok:
        for error in report.errors:
            click.echo(str(error), err=True)
        click.echo(report.summary(), err=True)
        sys.exit(1)
    click.echo(report.summary())
    for warning in report.warnings:
        click.echo(f"提醒：{warning}")
    click.echo(f"用时 {report.seconds:.2f} 秒")


def check_sheet(content: bytes, filename: str, sheet: str) -> None:
    """--sheet must name a visible sheet of the file: otherwise a usage error (exit 2) naming the ones it has.

    A file that cannot be read at all is left to the importer, which says why (exit 1)."""
    from registry.services.import_files import FileRefused, open_workbook

    try:
        book = open_workbook(content, filename)
    except FileRefused:
        return
    if sheet in book.sheets:
        return
    shown = "、".join(book.sheets)
    if sheet in book.hidden:
        raise click.BadParameter(f"工作表“{sheet}”是隐藏的，不会导入；可见的工作表：{shown}", param_hint="--sheet")
    raise click.BadParameter(f"文件中没有名为“{sheet}”的工作表；可见的工作表：{shown}", param_hint="--sheet")


class PhaseBars:
    """import_records' progress(phase, done, total) as a click progress bar on stderr, one per phase."""

    def __init__(self) -> None:
        self.phase: str | None = None
        self.bar = None

    def __enter__(self) -> PhaseBars:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()
            self.bar = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = click.progressbar(length=max(total, 1), label=str(PHASE_LABELS.get(phase, phase)), file=sys.stderr,
                                         show_pos=True)
            self.bar.render_progress()
        self.bar.length = max(total, 1)
        self.bar.update(done - self.bar.pos)


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


@audit_cli.command("verify")
def audit_verify() -> None:
    """按顺序核对整条审计记录哈希链；发现第一处断裂时报告该条记录并以状态 1 退出。"""
    from registry.services.audit import CONTENT_CHANGED, verify_chain

    report = verify_chain()
    if not report.intact:
        what = "内容被改动 (content changed)" if report.reason == CONTENT_CHANGED else "链接断裂 (link broken)"
        click.echo(f"审计记录在 ID {report.first_broken} 处断裂：{what}；此前 {report.count} 条完好", err=True)
        sys.exit(1)
    click.echo(f"审计记录完整：共 {report.count} 条 (intact: {report.count} events)")
    click.echo(f"最后一条的哈希：{report.last_hash}")


@click.command("check")
@with_appcontext
def check_deployment() -> None:
    """列出生产环境下不安全的设置，每行一项；有任何一项时以状态 1 退出。"""
    from registry.checks import Deployment, run_checks

    problems = run_checks(Deployment.of(current_app))
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"共 {len(problems)} 项问题 ({len(problems)} problem(s))", err=True)
        sys.exit(1)
    click.echo("没有发现问题 (no problems)")


@click.command("backup")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(directory: Path) -> None:
    """把数据库和证明材料备份到新目录 DIRECTORY，附 SHA-256 清单；系统可照常使用。"""
    from registry.services.backup import BackupRefused, create_backup

    try:
        manifest = create_backup(directory)
    except BackupRefused as exc:
        click.echo(f"备份失败：{exc}", err=True)
        sys.exit(1)
    click.echo(f"备份完成：{directory}")
    click.echo(f"数据库（{manifest.database_kind}，迁移版本 {manifest.alembic_revision}）："
               f"{len(manifest.tables)} 张表，共 {sum(manifest.tables.values())} 行")
    click.echo(f"证明材料：{len(manifest.evidence_names)} 个文件，共 {manifest.evidence_bytes / 1024 / 1024:.1f} MB")
    if manifest.missing_evidence:
        click.echo(f"注意：数据库引用的 {len(manifest.missing_evidence)} 个证明材料文件在备份前已不在证明材料目录中"
                   f"（如 {manifest.missing_evidence[0]}），已记入清单", err=True)


@click.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore_command(directory: Path) -> None:
    """核对备份 DIRECTORY 的清单和校验和，恢复到空的数据库和证明材料目录，并核对行数和审计记录链。"""
    from registry.services.audit import verify_chain
    from registry.services.backup import BackupRefused, restore_backup

    try:
        report = restore_backup(directory)
    except BackupRefused as exc:
        click.echo(f"恢复被拒绝：{exc}", err=True)
        sys.exit(1)
    click.echo(f"已恢复 {report.manifest.created_at} 的备份（迁移版本 {report.manifest.alembic_revision}）：")
    for name, count in report.tables.items():
        click.echo(f"  {name:<32} {count:>10} 行")
    click.echo(f"证明材料：{len(report.manifest.evidence_names)} 个文件")
    chain = verify_chain()
    problems = [f"表 {name}：清单 {expected} 行，恢复后 {found} 行" for name, (expected, found) in sorted(report.differences.items())]
    if not chain.intact:
        problems.append(f"审计记录在 ID {chain.first_broken} 处断裂（{chain.reason}）")
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"行数与清单一致；审计记录完整：共 {chain.count} 条")


# --- reminders (issue 15) -----------------------------------------------------------------------------------------

reminders_cli = CommandGroup("reminders", help="提醒与通知（每天运行 send）")


@reminders_cli.command("send")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="按这一天计算到期的提醒（默认今天；今天以后的日期只能用于 --dry-run）")
@click.option("--dry-run", is_flag=True, help="只列出将要记录和发送的提醒，不记录、不发送")
@refusals_exit_1
def reminders_send(as_of: str | None, dry_run: bool) -> None:
    """记录这一天到期的提醒（教师的周期截止、进度落后、轮训未完成；学校人事每周摘要；教育局每月摘要），
    并发送待发送和上次失败的邮件与工作群消息。可重复运行：同一提醒只记录、发送一次。发送失败不影响退出状态，下次运行时重试。"""
    from registry.schemas.queries import AsOfQuery, parse_query
    from registry.services.reminders import send_reminders

    try:
        report = send_reminders(parse_query(AsOfQuery, {"as_of": as_of}).day(), dry_run=dry_run)
    except Invalid as exc:  # the service names the parameter as_of; here it is the option
        raise Invalid({"--as-of" if field == "as_of" else field: message
                       for field, message in exc.errors.items()}) from None
    for line in reminder_lines(report):
        click.echo(line)


def reminder_lines(report) -> list[str]:
    """The reminders command's output: counts by kind and audience (only those with any), one line per new
    notification and robot post, then what is (or, in a dry run, would be) sent."""
    from registry.rules.vocabulary import NotificationKind

    lines = [f"提醒日期：{report.as_of.isoformat()}" + ("（试运行：不记录、不发送）" if report.dry_run else "")]
    verb = "将记录" if report.dry_run else "新记录"
    notifications, posts = report.notifications, report.robot_posts
    lines.append(f"{verb}通知：{len(notifications)} 条")
    if notifications:
        lines.append("  按类别：" + counted(NotificationKind, report.by_kind(), NotificationKind))
        lines.append("  按对象：" + counted(Role, report.by_audience(), (Role.TEACHER, Role.SCHOOL_HR, Role.BUREAU)))
        lines.extend(f"  {p.login} · {label(NotificationKind, p.kind)} · {p.key}" for p in notifications)
    lines.append(f"{verb}工作群消息：{len(posts)} 条")
    lines.extend(f"  {p.school or '教育局'} · {label(NotificationKind, p.kind)} · {p.key}" for p in posts)
    if report.dry_run:
        lines.append(f"将发送：{report.to_send} 条（新通知的邮件 {report.emails} 封，新工作群消息 {len(posts)} 条，"
                     f"以前待发送的 {report.waiting_total} 条，其中上次失败 {report.waiting_failed} 条）；试运行不发送")
        return lines
    sent = report.delivery
    lines.append(f"发送：成功 {len(sent.sent)} 条，失败 {len(sent.failed)} 条（下次运行时重试），"
                 f"取消 {len(sent.cancelled)} 条" + (f"，暂缓 {len(sent.skipped)} 条（邮件服务器连不上，下次运行时发送）"
                                                    if sent.skipped else ""))
    lines.extend(f"  失败 #{delivery_id}：{sent.errors.get(delivery_id, '')}" for delivery_id in sent.failed)
    return lines


def counted(codes, counts, order) -> str:
    """"label n" for each code of `order` counted at least once, in that order: 教师 3，学校人事 1."""
    return "，".join(f"{label(codes, code)} {counts[code]}" for code in order if counts[code])


def init(app: Flask) -> None:
    for group in (demo_cli, schools_cli, users_cli, teachers_cli, compliance_cli, audit_cli):
        app.cli.add_command(group)
    app.cli.add_command(check_deployment)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(reminders_cli)
