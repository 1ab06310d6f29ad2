"""Accounts, passwords and API tokens."""
from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from registry import permissions
from registry.errors import Invalid
from registry.extensions import db
from registry.models import ApiToken, School, Teacher, User, utcnow
from registry.rules.vocabulary import Role
from registry.schemas import UserIn, load
from registry.services.audit import record_event, snapshot
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
    """Create an account. `actor` None means the command line (the operator is trusted). Invalid names bad fields."""
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
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
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
