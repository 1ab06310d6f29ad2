"""Accounts, passwords, sign-in and sign-out, and API tokens.

Every password set here passes registry.services.passwords; every change of a password, of the account's
active flag and every sign-out replaces the account's session token (User.end_sessions), which ends all
of its sessions. Sign-ins, failed sign-ins and sign-outs are in the audit trail, never with a password.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from pypinyin import lazy_pinyin
from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from registry import permissions
from registry.errors import Conflict, Invalid, NotFound
from registry.extensions import db
from registry.models import ApiToken, AuditEvent, School, Teacher, User, utcnow
from registry.rules.vocabulary import Role
from registry.schemas import UserIn, load
from registry.schemas.admin import (
    AccountIn,
    AccountLinks,
    LanguageIn,
    ReminderChoicesIn,
    TeacherAccountIn,
    UserListQuery,
)
from registry.services.audit import append_events, event_values, record_event, snapshot, update_audited
from registry.services.passwords import password_problem
from registry.transactions import atomic


def password_hasher() -> PasswordHasher:
    """The current app's Argon2id hasher, built once from PASSWORD_HASH_PROFILE (a name in argon2.profiles).

    Raises AttributeError at the first use when the name is not a profile.
    """
    hasher = current_app.extensions.get("password_hasher")
    if hasher is None:
        parameters = getattr(profiles, current_app.config["PASSWORD_HASH_PROFILE"])
        hasher = current_app.extensions["password_hasher"] = PasswordHasher.from_parameters(parameters)
    return hasher


def hash_password(password: str) -> str:
    """An Argon2id hash (PHC string) of `password`, salted, at the app's configured cost."""
    return password_hasher().hash(password)


@atomic
def create_user(actor: User | None, data: dict) -> User:
    """Create an account. `actor` None means the command line (the operator is trusted).

    Invalid names every bad field, the password among them when it breaks the policy (registry.services.passwords).
    """
    if actor is not None:
        permissions.authorize(actor, "manage_users")
    clean = load(UserIn, data)
    errors = login_errors(clean.login)
    school, teacher = checked_links(clean, errors)
    if (problem := password_problem(clean.password, (clean.login, clean.display_name))) is not None:
        errors["password"] = problem
    if errors:
        raise Invalid(errors)
    return add_account(actor, clean.login, clean, school, teacher, clean.password, must_change_password=False)


@atomic
def create_account(actor: User, data: dict) -> tuple[User, str]:
    """The administrator's new account (registry.schemas.admin.AccountIn: login, role, school or teacher, name)
    and its one-time password, to show once: at its first sign-in the account must choose its own.

    Forbidden unless the administrator; Invalid names every bad field.
    """
    permissions.authorize(actor, "manage_users")
    clean = load(AccountIn, data)
    errors = login_errors(clean.login)
    school, teacher = checked_links(clean, errors)
    if errors:
        raise Invalid(errors)
    plain = one_time_password()
    return add_account(actor, clean.login, clean, school, teacher, plain, must_change_password=True), plain


def login_errors(login: str) -> dict[str, str]:
    """{"login": message} when the login is taken, else {} (to collect the other fields' errors into)."""
    if db.session.scalar(select(User.id).where(User.login == login)) is not None:
        return {"login": _("该登录名已被使用，请换一个")}
    return {}


def checked_links(clean: AccountLinks | UserIn, errors: dict[str, str], account_id: int | None = None
                  ) -> tuple[School | None, Teacher | None]:
    """The school and teacher an account of `clean.role` is tied to; what is wrong goes into `errors` by field.

    A school_hr account needs an existing school, a teacher account an existing teacher with no other account
    (`account_id`: the account being edited, which may keep its own teacher).
    """
    school = db.session.get(School, clean.school_id) if clean.school_id is not None else None
    if clean.school_id is not None and school is None:
        errors["school_id"] = _("学校不存在")
    elif clean.role == Role.SCHOOL_HR and school is None:
        errors["school_id"] = _("学校人事账号须指定一所存在的学校")
    teacher = db.session.get(Teacher, clean.teacher_id) if clean.teacher_id is not None else None
    if clean.role == Role.TEACHER:
        holder = db.session.scalar(select(User.id).where(User.teacher_id == teacher.id)) if teacher is not None else None
        if teacher is None:
            errors["teacher_id"] = _("教师账号须指定一名存在的教师")
        elif holder is not None and holder != account_id:
            errors["teacher_id"] = _("该教师已有账号")
    return school, teacher


def add_account(actor: User | None, login: str, links: AccountLinks | UserIn, school: School | None,
                teacher: Teacher | None, password: str, must_change_password: bool) -> User:
    """Add the checked account with `password` (hashed) and record its creation."""
    user = User(
        login=login,
        role=links.role,
        password_hash=hash_password(password),
        must_change_password=must_change_password,
        email=links.email,
        **linked_fields(links, school, teacher, login),
    )
    db.session.add(user)
    record_event(actor, "create", user, after=snapshot(user))
    return user


def linked_fields(links: AccountLinks | UserIn, school: School | None, teacher: Teacher | None, login: str) -> dict:
    """school_id, teacher_id and display_name of an account of `links.role`.

    Only a teacher account takes its school (and, unless given, its name) from the teacher; any other role keeps
    the school it was given and no teacher.
    """
    is_teacher = links.role == Role.TEACHER and teacher is not None
    return {
        "school_id": teacher.school_id if is_teacher else (school.id if school is not None else None),
        "teacher_id": teacher.id if is_teacher else None,
        "display_name": links.display_name or (teacher.name if is_teacher else login),
    }


def authenticate(login: str, password: str) -> User | None:
    """The active account with this login and password, else None; an outdated hash is renewed in the request's transaction."""
    user = db.session.scalar(select(User).where(User.login == login.strip()))
    hasher = password_hasher()
    if user is None or not user.active:
        hasher.hash(password)  # same cost whether or not the login exists
        return None
    if not password_matches(user, password):
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return user


def password_matches(user: User, password: str) -> bool:
    """Whether `password` is the account's password (False for a stored hash that is not Argon2 at all)."""
    try:
        return password_hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@atomic
def sign_in(login: str, password: str, address: str | None) -> User | None:
    """`authenticate`, and an audit event either way from the client's `address` (an IP address as text); a
    success is the account's last sign-in (User.last_signed_in_at).

    Success: "sign_in" by the account. Failure: "sign_in_failed" without an actor, naming the login tried and
    the account's id as entity_id (0 when no account has that login); the password is never recorded.
    """
    user = authenticate(login, password)
    if user is None:
        tried = login.strip()
        user_id = db.session.scalar(select(User.id).where(User.login == tried))
        append_events([account_event(None, "sign_in_failed", user_id or 0, {"login": tried, "address": address})])
    else:
        user.last_signed_in_at = utcnow()
        append_events([account_event(user, "sign_in", user.id, {"address": address})])
    return user


@atomic
def sign_out(user: User, address: str | None) -> None:
    """End every session of `user` (on every device: the session token is replaced) and record "sign_out"."""
    user.end_sessions()
    append_events([account_event(user, "sign_out", user.id, {"address": address})])


# The audit actions of signing in and out (account_event), as opposed to changes of records.
SESSION_ACTIONS = ("sign_in", "sign_in_failed", "sign_out")


def account_event(actor: User | None, action: str, user_id: int, after: dict) -> dict:
    """The audit row of a sign-in, failed sign-in or sign-out: entity "user", tied to no teacher or school.

    A teacher's change history shows changes to records, so sessions stay out of it.
    """
    return event_values(actor, action, "user", user_id, None, None, after=after)


@atomic
def change_password(actor: User, current_password: str, new_password: str) -> User:
    """Give the actor's own account `new_password` and return it; its other sessions end (new session token).

    The caller signs the current session in again with the new token. Clears must_change_password. Invalid
    {"current_password": …} when the current password is wrong, {"new_password": …} when the new one breaks
    the policy or is the current one.
    """
    errors: dict[str, str] = {}
    current_ok = password_matches(actor, current_password)
    if not current_ok:
        errors["current_password"] = _("当前密码不正确")
    if (problem := password_problem(new_password, (actor.login, actor.display_name))) is not None:
        errors["new_password"] = problem
    elif current_ok and new_password == current_password:
        errors["new_password"] = _("新密码不能与当前密码相同")
    if errors:
        raise Invalid(errors)
    actor.password_hash = hash_password(new_password)
    actor.must_change_password = False
    actor.end_sessions()
    record_event(actor, "password_change", actor)
    return actor


# Letters and digits that read unambiguously aloud and on paper (no 0/o, 1/l/i).
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def one_time_password() -> str:
    """A random password to hand over once: four groups of four, e.g. "k7mq-x2ra-pe9w-h3tz" (about 79 bits)."""
    return "-".join("".join(secrets.choice(ONE_TIME_ALPHABET) for _char in range(4)) for _group in range(4))


def managed_user(actor: User | None, user_id: int) -> User:
    """The account an administrator (or the command line, `actor` None) acts on; Forbidden for other roles, NotFound."""
    if actor is not None:
        permissions.authorize(actor, "manage_users")
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("user")
    return user


@atomic
def reset_password(actor: User | None, user_id: int) -> str:
    """Give the account a one-time password and return it (to show once; only its hash is kept).

    The account's sessions end, and at its next sign-in it must choose a new password before any other page.
    Forbidden unless the administrator (`actor` None: the command line); NotFound for an unknown id.
    """
    return give_one_time_password(actor, managed_user(actor, user_id))


def give_one_time_password(actor: User | None, user: User) -> str:
    """Replace the account's password by a new one-time password and return it; its sessions end."""
    plain = one_time_password()
    user.password_hash = hash_password(plain)
    user.must_change_password = True
    user.end_sessions()
    record_event(actor, "password_reset", user)
    return plain


@atomic
def set_user_active(actor: User | None, user_id: int, active: bool) -> User:
    """Enable or disable an account and return it. Disabling ends its sessions; its API tokens stop working.

    Recorded as "enable" / "disable" (nothing when it already was so). Forbidden unless the administrator
    (`actor` None: the command line); NotFound for an unknown id; Conflict when administrators disable themselves
    or the last active administrator's account would be disabled.
    """
    user = managed_user(actor, user_id)
    if actor is not None and actor.id == user.id and not active:
        raise Conflict(_("不能停用自己的账号。"))
    if not active and is_last_active_admin(user):
        raise Conflict(_("这是最后一个可用的管理员账号，不能停用；请先为另一人开通管理员账号。"))
    if user.active == active:
        return user
    before = snapshot(user)
    user.active = active
    user.end_sessions()
    record_event(actor, "enable" if active else "disable", user, before=before, after=snapshot(user))
    return user


def token_digest(token: str) -> str:
    """The stored form of a plain API token: its SHA-256 as 64 hex digits (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


@atomic
def create_token(actor: User, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for `actor`; the plain token is returned once and never stored."""
    plain = "rg_" + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.id, name=name.strip()[:100], token_hash=token_digest(plain))
    db.session.add(token)
    record_event(actor, "create", token, after=snapshot(token))
    return token, plain


@atomic
def revoke_token(actor: User, token_id: int) -> None:
    """Revoke one of the actor's own tokens (NotFound for anyone else's: permissions "manage_own_tokens")."""
    token = permissions.find(actor, "manage_own_tokens", ApiToken, token_id)
    before = snapshot(token)
    token.revoked_at = utcnow()
    record_event(actor, "revoke", token, before=before, after=snapshot(token))


def user_for_token(plain: str) -> User | None:
    """The active account a plain bearer token belongs to; None when the token is unknown, revoked or its account inactive."""
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == token_digest(plain), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.active:
        return None
    return token.user


def list_users(actor: User) -> list[User]:
    """Every account, oldest first (Forbidden unless the administrator)."""
    permissions.authorize(actor, "manage_users")
    return list(db.session.scalars(select(User).order_by(User.id)))


def user_tokens(actor: User) -> list[ApiToken]:
    """The actor's own API tokens, revoked ones included, newest first."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == actor.id).order_by(ApiToken.created_at.desc())))


# --- the administrator's account pages --------------------------------------------------------------------------


UNUSED_DAYS = 90  # an active account not signed in for this long is listed for the administrator


def unused_cutoff() -> datetime:
    """The moment UNUSED_DAYS days ago (UTC): an account not signed in since is left unused."""
    return utcnow() - timedelta(days=UNUSED_DAYS)


def unused_accounts(cutoff: datetime) -> ColumnElement[bool]:
    """The condition of an account left unused: active, and never signed in or not since `cutoff`
    (unused_cutoff())."""
    return and_(User.active.is_(True), or_(User.last_signed_in_at.is_(None), User.last_signed_in_at < cutoff))


def search_users(actor: User, query: UserListQuery) -> Select[tuple[User]]:
    """The accounts matching `query` (login or display name containing `q`, any case; role; school; active or
    not; left unused), by login, as a select to paginate. Forbidden unless the administrator."""
    permissions.authorize(actor, "manage_users")
    users = select(User).order_by(User.login)
    if query.q:
        needle = query.q.lower()
        users = users.where(or_(func.lower(User.login).contains(needle, autoescape=True),
                                func.lower(User.display_name).contains(needle, autoescape=True)))
    if query.role is not None:
        users = users.where(User.role == query.role)
    if query.school_id is not None:
        users = users.where(User.school_id == query.school_id)
    if query.active is not None:
        users = users.where(User.active.is_(query.active))
    if query.unused:
        users = users.where(unused_accounts(unused_cutoff()))
    return users


def is_last_active_admin(user: User) -> bool:
    """Whether `user` is an active administrator and no other administrator account is active."""
    if user.role != Role.ADMIN or not user.active:
        return False
    # The other active administrators' rows stay locked until the transaction ends (PostgreSQL; SQLite's writer
    # holds the database already): two administrators disabling each other at once cannot both succeed.
    others = select(User.id).where(User.role == Role.ADMIN, User.active.is_(True), User.id != user.id).with_for_update()
    return not db.session.scalars(others).all()


@atomic
def update_account(actor: User, user_id: int, data: dict) -> User:
    """Change an account's role, school, teacher record, display name and e-mail address (registry.schemas.admin.
    AccountLinks; a blank address clears it) and return it; recorded as "update" with what changed.

    Forbidden unless the administrator; NotFound for an unknown id; Invalid by field, also when administrators
    would change their own role.
    """
    user = managed_user(actor, user_id)
    clean = load(AccountLinks, data)
    errors: dict[str, str] = {}
    school, teacher = checked_links(clean, errors, account_id=user.id)
    # Administrators keep their own role, so an active administrator always remains.
    if clean.role != user.role and user.id == actor.id:
        errors["role"] = _("不能更改自己的角色；请由另一位管理员操作。")
    if errors:
        raise Invalid(errors)
    update_audited(actor, user, {"role": clean.role, "email": clean.email, **linked_fields(clean, school, teacher, user.login)})
    return user


def school_accounts(actor: User, school_id: int) -> list[User]:
    """The school HR accounts of a school, by login (Forbidden unless the administrator)."""
    permissions.authorize(actor, "manage_users")
    return list(db.session.scalars(
        select(User).where(User.school_id == school_id, User.role == Role.SCHOOL_HR).order_by(User.login)
    ))


def linkable_teachers(actor: User, school_id: int | None, account_id: int | None = None) -> list[Teacher]:
    """The teachers of a school that a teacher account may stand for: those with no account (or with the account
    `account_id` being edited), in pinyin order of name; [] without a school. Forbidden unless the administrator."""
    permissions.authorize(actor, "manage_users")
    if school_id is None:
        return []
    holders = select(User.teacher_id).where(User.teacher_id.is_not(None), User.id != (account_id or 0))
    return list(db.session.scalars(
        permissions.teachers_query(actor)
        .where(Teacher.school_id == school_id, Teacher.id.not_in(holders))
        .order_by(Teacher.name_key, Teacher.id)
    ))


def account_history(actor: User, user_id: int, limit: int = 50) -> list[AuditEvent]:
    """The latest audit events of an account (changes, resets, sign-ins), newest first.

    Forbidden unless the administrator; NotFound for an unknown id.
    """
    user = managed_user(actor, user_id)
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == user.id)
        .order_by(AuditEvent.id.desc()).limit(limit)
    ))


# --- a teacher's sign-in account, made by school HR ----------------------------------------------------------


def teacher_account(actor: User, teacher_id: int) -> User | None:
    """The sign-in account of a teacher of the actor's school, None when there is none yet.

    Forbidden unless school HR (permissions "manage_teacher_accounts"); NotFound for a teacher of another school.
    """
    teacher = permissions.find(actor, "manage_teacher_accounts", Teacher, teacher_id)
    return db.session.scalar(select(User).where(User.teacher_id == teacher.id))


def proposed_login(teacher: Teacher) -> str:
    """A free login for the teacher's account: the name in pinyin without tones ("张宏伟" -> "zhanghongwei"),
    followed by 2, 3, … when taken; "teacher<id>" for a name with no pinyin."""
    base = "".join(c for c in "".join(lazy_pinyin(teacher.name)).lower() if c.isascii() and c.isalnum())[:44]
    if len(base) < 2:
        base = f"teacher{teacher.id}"
    taken = set(db.session.scalars(select(User.login).where(User.login.startswith(base, autoescape=True))))
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}{number}", number + 1
    return candidate


@dataclass(frozen=True)
class TeacherAccountState:
    """What a teacher's page shows school HR of the teacher's sign-in account: the account, or the login proposed."""

    account: User | None
    proposed_login: str | None


def teacher_account_state(actor: User, teacher: Teacher) -> TeacherAccountState | None:
    """The teacher's sign-in account as HR of the teacher's school sees it; None for anyone else (nothing to show)."""
    if not permissions.may(actor, "manage_teacher_accounts", teacher):
        return None
    account = teacher_account(actor, teacher.id)
    return TeacherAccountState(account, None if account is not None else proposed_login(teacher))


@atomic
def create_teacher_account(actor: User, teacher_id: int, login: str) -> tuple[User, str]:
    """The teacher's sign-in account with `login`, and its one-time password to show once (the teacher must choose
    their own at the first sign-in).

    Forbidden unless school HR; NotFound for a teacher of another school; Conflict when the teacher already has an
    account; Invalid {"login": …} for a login that is malformed or taken.
    """
    teacher = permissions.find(actor, "manage_teacher_accounts", Teacher, teacher_id)
    if db.session.scalar(select(User.id).where(User.teacher_id == teacher.id)) is not None:
        raise Conflict(_("该教师已有登录账号，无需再创建；如忘记密码，请重置密码。"))
    clean = load(TeacherAccountIn, {"login": login})
    if errors := login_errors(clean.login):
        raise Invalid(errors)
    links = AccountLinks(role=Role.TEACHER, teacher_id=teacher.id)
    plain = one_time_password()
    return add_account(actor, clean.login, links, None, teacher, plain, must_change_password=True), plain


@atomic
def reset_teacher_password(actor: User, teacher_id: int) -> str:
    """Give the sign-in account of a teacher of the actor's school a one-time password and return it (to show once).

    Forbidden unless school HR; NotFound for a teacher of another school or a teacher without an account.
    """
    account = teacher_account(actor, teacher_id)
    if account is None:
        raise NotFound("user")
    return give_one_time_password(actor, account)


# --- one's own account ------------------------------------------------------------------------------------------


@atomic
def set_language(actor: User, language: str | None) -> User:
    """Keep the pages' language the actor chose (a code of Config.LANGUAGES; None or blank: follow the browser).

    Invalid {"language": …} for a language the registry does not offer.
    """
    permissions.authorize(actor, "manage_own_account")
    clean = load(LanguageIn, {"language": language})
    before = snapshot(actor)
    actor.language = clean.language
    record_event(actor, "update", actor, before=before, after=snapshot(actor))
    return actor


@atomic
def set_reminder_choices(actor: User, email: str | None, email_reminders: bool) -> User:
    """Keep how the actor's own account gets reminders besides the registry: its e-mail address (optional; None
    or blank clears it, stored normalised by email-validator) and whether reminders are e-mailed to it.

    Recorded as "update" with what changed. Invalid {"email": …} for an address that is not one.
    """
    permissions.authorize(actor, "manage_own_account")
    clean = load(ReminderChoicesIn, {"email": email, "email_reminders": email_reminders})
    update_audited(actor, actor, {"email": clean.email, "email_reminders": clean.email_reminders})
    return actor


def recent_sign_ins(actor: User, limit: int = 5) -> list[AuditEvent]:
    """The latest sign-ins and failed sign-ins of the actor's own account, newest first (the audit trail's)."""
    return list(db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "user", AuditEvent.entity_id == actor.id,
               AuditEvent.action.in_(("sign_in", "sign_in_failed")))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    ))
