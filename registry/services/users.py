"""Accounts, passwords, sign-in and sign-out, and API tokens.

Every password set here passes registry.services.passwords; every change of a password, of the account's
active flag and every sign-out replaces the account's session token (User.end_sessions), which ends all
of its sessions. Sign-ins, failed sign-ins and sign-outs are in the audit trail, never with a password.
"""
from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from registry import permissions
from registry.errors import Conflict, Invalid, NotFound
from registry.extensions import db
from registry.models import ApiToken, School, Teacher, User, utcnow
from registry.rules.vocabulary import Role
from registry.schemas import UserIn, load
from registry.services.audit import append_events, event_values, record_event, snapshot
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
    errors: dict[str, str] = {}
    if db.session.scalar(select(User.id).where(User.login == clean.login)) is not None:
        errors["login"] = _("该登录名已被使用")
    school = db.session.get(School, clean.school_id) if clean.school_id is not None else None
    if clean.school_id is not None and school is None:
        errors["school_id"] = _("学校不存在")
    elif clean.role == Role.SCHOOL_HR and school is None:
        errors["school_id"] = _("学校人事账号须指定一所存在的学校")
    teacher = db.session.get(Teacher, clean.teacher_id) if clean.teacher_id is not None else None
    if clean.role == Role.TEACHER:
        if teacher is None:
            errors["teacher_id"] = _("教师账号须指定一名存在的教师")
        elif db.session.scalar(select(User.id).where(User.teacher_id == teacher.id)) is not None:
            errors["teacher_id"] = _("该教师已有账号")
    if (problem := password_problem(clean.password, (clean.login, clean.display_name))) is not None:
        errors["password"] = problem
    if errors:
        raise Invalid(errors)
    user = User(
        login=clean.login,
        role=clean.role,
        # Only a teacher account takes its school from the teacher; any other role keeps the school it was given.
        school_id=teacher.school_id if clean.role == Role.TEACHER else clean.school_id,
        teacher_id=clean.teacher_id if clean.role == Role.TEACHER else None,
        display_name=clean.display_name or (teacher.name if clean.role == Role.TEACHER else clean.login),
        password_hash=hash_password(clean.password),
    )
    db.session.add(user)
    record_event(actor, "create", user, after=snapshot(user))
    return user


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
    """`authenticate`, and an audit event either way from the client's `address` (an IP address as text).

    Success: "sign_in" by the account. Failure: "sign_in_failed" without an actor, naming the login tried and
    the account's id as entity_id (0 when no account has that login); the password is never recorded.
    """
    user = authenticate(login, password)
    if user is None:
        tried = login.strip()
        user_id = db.session.scalar(select(User.id).where(User.login == tried))
        append_events([account_event(None, "sign_in_failed", user_id or 0, {"login": tried, "address": address})])
    else:
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
    user = managed_user(actor, user_id)
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
    (`actor` None: the command line); NotFound for an unknown id; Conflict when administrators disable themselves.
    """
    user = managed_user(actor, user_id)
    if actor is not None and actor.id == user.id and not active:
        raise Conflict(_("不能停用自己的账号。"))
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
