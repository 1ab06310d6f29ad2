"""A Message laid out for its channel: an e-mail (subject, plain text, HTML) or a work-group robot's markdown.

Every link is absolute (BASE_URL + the stored path): an e-mail or a chat message is read outside the registry.
The words come from the caller's locale (deliveries.queue_email renders inside flask_babel.force_locale).

A Message carries what people typed (teachers' and schools' names, enterprises): the e-mail's HTML escapes it
(Jinja's autoescape), and the robot's markdown shows it with markdown's characters in their full-width forms, so
that no typed text becomes a link, an image, a heading or HTML in a work group; only the registry's own link stays
a link.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from flask import current_app, render_template
from flask_babel import gettext as _

from registry.models import User
from registry.notify.messages import Message, Section
from registry.notify.unsubscribe import unsubscribe_token
from registry.rules.vocabulary import RobotKind

REMINDERS_ANCHOR = "#reminders"  # the reminder choices on the account page (templates/auth/account.html)

# The largest markdown each robot accepts, in bytes of UTF-8: WeCom's documented 4096 for markdown.content;
# DingTalk documents no markdown limit of its own and refuses messages over 20000 bytes.
ROBOT_MAX_BYTES: dict[RobotKind, int] = {RobotKind.WECOM: 4096, RobotKind.DINGTALK: 20000}
ELLIPSIS = "……"
# Markdown's (and the robots' HTML's) special characters → their full-width forms, which read the same.
MARKDOWN_PLAIN = str.maketrans("[]()<>*_#`\\~|!&", "［］（）＜＞＊＿＃｀＼～｜！＆")
# What chat clients turn into a link by themselves: "scheme://" and a dot before a letter (evil.example, www.x).
AUTOLINKED = re.compile(r":(?=//)|\.(?=[A-Za-z])")


@dataclass(frozen=True)
class RenderedEmail:
    """An e-mail's words: `subject` (one line), `text` (the plain-text part) and `html` (the HTML part)."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class RobotPost:
    """A robot message: `title` (DingTalk shows it in the chat list) and `markdown` (the message itself)."""

    title: str
    markdown: str


def absolute(path: str) -> str:
    """The absolute address of a path of the registry ("/practice/mine" → BASE_URL + "/practice/mine");
    "" stays "" and an address that is already absolute (http:// or https://) is returned as it is."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return current_app.config["BASE_URL"].rstrip("/") + "/" + path.lstrip("/")


def page_url(endpoint: str, **values) -> str:
    """The absolute address of a page of the registry by its endpoint (registry.services.notifications.page_path)."""
    # Imported here: registry.services.notifications imports the deliveries, which import this module.
    from registry.services.notifications import page_path

    return absolute(page_path(endpoint, **values))


def unsubscribe_url(user: User) -> str:
    """The absolute address of `user`'s one-click unsubscribe page (also the List-Unsubscribe header's URL)."""
    return page_url("notifications.unsubscribe", token=unsubscribe_token(user))


def settings_url() -> str:
    """The absolute address of the reminder choices on the account page."""
    return page_url("auth.account") + REMINDERS_ANCHOR


def render_email(message: Message, user: User) -> RenderedEmail:
    """`message` as the e-mail to `user`: greeting with the display name (or login), the lead, the sections as
    lists, the action link, and a footer with why it came, where to change the choice and the unsubscribe link.

    Needs an app context; the words are in the current locale.
    """
    context = {
        "message": message,
        "name": user.display_name or user.login,
        "login": user.login,
        "action_url": absolute(message.link),
        "settings_url": settings_url(),
        "unsubscribe_url": unsubscribe_url(user),
        "home_url": absolute("/"),
    }
    return RenderedEmail(
        subject=one_line(message.subject),
        text=render_template("notifications/email.txt", **context),
        html=render_template("notifications/email.html", **context),
    )


def render_robot(message: Message, kind: RobotKind) -> RobotPost:
    """`message` as `kind`'s markdown, within that robot's byte limit (ROBOT_MAX_BYTES).

    When too long, entries are taken off the longest lists first and counted in their "另有 N 项" line; a message
    still too long (a very long lead) is cut at a character boundary and ends with "……".
    """
    limit = ROBOT_MAX_BYTES[RobotKind(kind)]
    sections = list(message.sections)
    text = robot_markdown(message, sections)
    while utf8_length(text) > limit and any(section.items for section in sections):
        longest = max(range(len(sections)), key=lambda i: len(sections[i].items))
        section = sections[longest]
        sections[longest] = replace(section, items=section.items[:-1], more=section.more + 1)
        text = robot_markdown(message, sections)
    return RobotPost(title=one_line(message.subject), markdown=fit_bytes(text, limit))


def robot_markdown(message: Message, sections: list[Section]) -> str:
    """The markdown both robots understand: a heading, the lead, each section as a bold line and a list, the
    action as a link. Every text of the Message is `plain_markdown`: the action's link is the only markup."""
    lines = [f"### {plain_markdown(one_line(message.subject))}", "", plain_markdown(message.lead.strip())]
    for section in sections:
        if not (section.items or section.more):
            continue
        lines += ["", f"**{plain_markdown(one_line(section.heading))}**"]
        lines += [f"- {plain_markdown(one_line(item))}" for item in section.items]
        if section.more:
            lines.append(f"- {_('另有 %(n)s 项', n=section.more)}")
    if message.link:
        action = plain_markdown(one_line(message.action)) or _("打开登记系统")
        lines += ["", f"[{action}]({absolute(message.link)})"]
    return "\n".join(lines)


def plain_markdown(text: str) -> str:
    """`text` shown as it is in markdown: [ ] ( ) < > * _ # ` \\ ~ | ! & become their full-width forms, and so do the
    ":" of "://" and a "." before a letter, so that what someone typed ("[点此登录](https://…)", "evil.example",
    "<font …>", "**") is never a link, an image, emphasis or HTML. Figures ("2.5 个月") are left as they are."""
    return AUTOLINKED.sub(lambda found: "：" if found.group() == ":" else "．", text.translate(MARKDOWN_PLAIN))


def fit_bytes(text: str, limit: int) -> str:
    """`text` when its UTF-8 form has at most `limit` bytes; otherwise its longest beginning that fits together
    with "……", never cut inside a character."""
    if utf8_length(text) <= limit:
        return text
    room = max(limit - utf8_length(ELLIPSIS), 0)
    return text.encode("utf-8")[:room].decode("utf-8", errors="ignore") + ELLIPSIS


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8"))


def one_line(text: str) -> str:
    """`text` on one line (a subject, a heading, a list entry): line breaks become spaces."""
    return " ".join(text.split())
