"""What each kind of notification says, made from its stored figures in the reader's language.

A Notification keeps its kind and its figures (`payload`, JSON) as of a date; `build` turns them into a Message
(translated with flask_babel.gettext where it is called, so the bell list, the e-mail and the robot post say the
same thing in the reader's language). The payload of each kind is documented on its builder.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from babel.dates import format_skeleton
from flask_babel import format_date, get_locale, gettext

from registry.rules.months import months_text
from registry.rules.vocabulary import ExceptionStatus, NotificationKind, PracticeRuleStatus


@dataclass(frozen=True)
class Section:
    """A titled list inside a message (a digest's "records waiting for review"): the entries shown and how many
    more there are beyond them."""

    heading: str
    items: tuple[str, ...]
    more: int = 0


@dataclass(frozen=True)
class Message:
    """A notification in words: `subject` (one line: the e-mail subject, the bell list's title), `lead` (the
    figures as of the date, one or two sentences), `sections` (lists, for digests), `action` (the link's text) and
    `link` (the path, from the site's root, of the page where the reader acts)."""

    subject: str
    lead: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
    action: str = ""
    link: str = ""


Builder = Callable[[Mapping[str, Any], date], Message]
BUILDERS: dict[NotificationKind, Builder] = {}


def builder(kind: NotificationKind) -> Callable[[Builder], Builder]:
    """Register the decorated function as the builder of `kind`'s messages."""

    def register(function: Builder) -> Builder:
        BUILDERS[kind] = function
        return function

    return register


def build(kind: NotificationKind | str, payload: Mapping[str, Any], as_of: date, link: str) -> Message:
    """The Message of a notification of `kind` with `payload` as of `as_of`, linking to `link` (the notification's
    stored path: where the reader acts).

    Raises KeyError for a kind without a builder (every NotificationKind has one: tests/app check it).
    """
    return replace(BUILDERS[NotificationKind(kind)](payload, as_of), link=link)


# --- words shared by the builders --------------------------------------------------------------------------------

def day_text(value: str | date) -> str:
    """A date (ISO string or date) as the reader's language writes it in full: 2026年12月1日."""
    return format_date(value if isinstance(value, date) else date.fromisoformat(value), "long")


def short_day_text(value: date, skeleton: str = "MMMd") -> str:
    """A date by a CLDR skeleton in the reader's language: "MMMd" 12月7日, "d" 13日, "yMMM" 2026年12月."""
    return format_skeleton(skeleton, value, locale=get_locale())


def week_text(payload: Mapping[str, Any]) -> str:
    """A weekly digest's week from its payload's period_start and period_end: 2026年第50周（12月7日—13日）."""
    start, end = date.fromisoformat(payload["period_start"]), date.fromisoformat(payload["period_end"])
    year, week, _weekday = start.isocalendar()
    days = gettext("%(start)s—%(end)s", start=short_day_text(start),
                   end=short_day_text(end, "d" if end.month == start.month else "MMMd"))
    return gettext("%(year)s年第%(week)s周（%(days)s）", year=year, week=week, days=days)


def month_text(payload: Mapping[str, Any]) -> str:
    """A monthly digest's month from its payload's period_start: 2026年12月."""
    return short_day_text(date.fromisoformat(payload["period_start"]), "yMMM")


def cycle_text(payload: Mapping[str, Any]) -> str:
    """The cycle of a payload: （2022年9月1日—2027年8月31日）."""
    return gettext("%(start)s—%(end)s", start=day_text(payload["cycle_start"]), end=day_text(payload["cycle_end"]))


def section(heading: str, part: Mapping[str, Any] | None, line: Callable[[Mapping[str, Any]], str]) -> Section | None:
    """A digest's section from its payload part {"count", "items"}: None when it is empty."""
    if not part or not part.get("count"):
        return None
    items = tuple(line(item) for item in part.get("items", ()))
    return Section(heading, items, max(part["count"] - len(items), 0))


def sections(*found: Section | None) -> tuple[Section, ...]:
    return tuple(s for s in found if s is not None)


# --- a teacher's reminders ----------------------------------------------------------------------------------------


@builder(NotificationKind.CYCLE_DEADLINE)
def cycle_deadline(payload: Mapping[str, Any], as_of: date) -> Message:
    """The practice cycle ends within `threshold` months and months are still needed.

    Payload: teacher_id, cycle_start, cycle_end (ISO dates), threshold (12, 6, 3 or 1), remaining, months,
    required, needed (months, as the rules report them), status (the practice rule's status code).
    """
    figures = dict(as_of=day_text(as_of), cycle=cycle_text(payload), months=months_text(payload["months"]),
                   needed=months_text(payload["needed"]), remaining=months_text(payload["remaining"]))
    lead = gettext("截至 %(as_of)s，本周期（%(cycle)s）已累计企业实践 %(months)s 个月，还需 %(needed)s 个月，"
                   "距周期结束还有 %(remaining)s 个月。", **figures)
    end = day_text(payload["cycle_end"])
    if payload["status"] == PracticeRuleStatus.INFEASIBLE:
        subject = gettext("企业实践本周期已无法完成：还需 %(needed)s 个月，周期将于 %(end)s结束", end=end, **figures)
        plan = gettext("剩余时间已不足以补足 %(required)s 个月的要求，本周期已无法完成；请尽快与学校人事商定实践安排，"
                       "尽量缩小差距，并把已完成的实践及时登记、提交审核。", required=months_text(payload["required"]))
    else:
        subject = gettext("企业实践周期将于 %(end)s结束，还需 %(needed)s 个月", end=end, **figures)
        plan = gettext("请在 %(end)s前安排至少 %(needed)s 个月的企业实践（跟岗、顶岗、兼职等均可），"
                       "结束后及时登记并上传证明材料，提交学校审核。", end=end, needed=figures["needed"])
    return Message(
        subject=subject,
        lead=f"{lead}{plan}",
        action=gettext("安排和登记企业实践"),
    )


@builder(NotificationKind.PRACTICE_BEHIND)
def practice_behind(payload: Mapping[str, Any], as_of: date) -> Message:
    """Behind the yearly milestone (rules.md `expected`), once per cycle year.

    Payload: teacher_id, cycle_start, cycle_end (ISO dates), years_ended (cycle years fully ended), months,
    expected, required, needed (months).
    """
    figures = dict(as_of=day_text(as_of), cycle=cycle_text(payload), years=payload["years_ended"],
                   months=months_text(payload["months"]), expected=months_text(payload["expected"]),
                   required=months_text(payload["required"]), needed=months_text(payload["needed"]))
    return Message(
        subject=gettext("企业实践进度落后：应达到 %(expected)s 个月，已累计 %(months)s 个月", **figures),
        lead=gettext("截至 %(as_of)s，本周期（%(cycle)s）已满 %(years)s 年，按年度进度应累计 %(expected)s 个月企业实践，"
                     "目前审核通过 %(months)s 个月；距 %(required)s 个月的要求还需 %(needed)s 个月。"
                     "请尽快安排下一段企业实践，并及时提交已完成的实践记录。", **figures),
        action=gettext("安排和登记企业实践"),
    )


@builder(NotificationKind.TRAINING_MISSING)
def training_missing(payload: Mapping[str, Any], as_of: date) -> Message:
    """No completed rotation training (全员轮训) in a cycle that ends within registry.rules.reminders.TRAINING_MONTHS.
    Its link is the teacher's home page, which shows the training verdict and the training on record.

    Payload: teacher_id, cycle_start, cycle_end (ISO dates), remaining (months).
    """
    figures = dict(as_of=day_text(as_of), cycle=cycle_text(payload), end=day_text(payload["cycle_end"]),
                   remaining=months_text(payload["remaining"]))
    return Message(
        subject=gettext("本周期的全员轮训尚未完成，周期将于 %(end)s结束", **figures),
        lead=gettext("截至 %(as_of)s，本周期（%(cycle)s）还没有已完成的全员轮训记录，距周期结束还有 %(remaining)s 个月。"
                     "请在 %(end)s前报名参加专业课教师全员轮训；完成后请学校人事登记培训记录。", **figures),
        action=gettext("查看我的核查结果"),
    )


@builder(NotificationKind.PRACTICE_VERIFIED)
def practice_verified(payload: Mapping[str, Any], as_of: date) -> Message:
    """A practice record of the teacher was verified by school HR.

    Payload: record_id, teacher_id, enterprise, start, end (ISO dates; end may be null).
    """
    figures = record_figures(payload)
    return Message(
        subject=gettext("企业实践记录已审核通过：%(enterprise)s（%(period)s）", **figures),
        lead=gettext("您在%(enterprise)s的企业实践（%(period)s）已审核通过，已计入本周期的企业实践月数。", **figures),
        action=gettext("查看我的企业实践"),
    )


@builder(NotificationKind.PRACTICE_REJECTED)
def practice_rejected(payload: Mapping[str, Any], as_of: date) -> Message:
    """A practice record of the teacher was returned by school HR, with the reason.

    Payload: record_id, teacher_id, enterprise, start, end (ISO dates; end may be null), reason.
    """
    figures = record_figures(payload)
    return Message(
        subject=gettext("企业实践记录被退回：%(enterprise)s（%(period)s）", **figures),
        lead=gettext("您在%(enterprise)s的企业实践（%(period)s）被学校人事退回，退回原因：%(reason)s。"
                     "请按要求修改或补充证明材料后重新提交。", reason=sentence(payload.get("reason")), **figures),
        action=gettext("修改并重新提交"),
    )


def sentence(text: str | None) -> str:
    """Text typed by a person, to be followed by the message's own full stop: without its closing punctuation."""
    return (text or "").strip().rstrip("。．.！!？?；;，,") or "—"


def record_figures(payload: Mapping[str, Any]) -> dict[str, str]:
    end = payload.get("end")
    period = (gettext("%(start)s—%(end)s", start=day_text(payload["start"]), end=day_text(end)) if end
              else gettext("%(start)s 起", start=day_text(payload["start"])))
    return {"enterprise": payload["enterprise"], "period": period}


# --- digests ------------------------------------------------------------------------------------------------------


@builder(NotificationKind.HR_DIGEST)
def hr_digest(payload: Mapping[str, Any], as_of: date) -> Message:
    """School HR's weekly digest (registry.services.reminders; skipped when every section is empty).

    Payload: school_id, school (name), period ("2026-W49": the key's), period_start and period_end (ISO dates: the
    week's Monday and Sunday), since (ISO date: decisions from this day), review_days and due_months (the sections'
    thresholds: days, months), lagging_ids (every teacher id 进度落后 or 本周期已无法完成, to mark the next digest's
    new ones), and sections, each {"count": n, "items": [at most 10]}:
    reviews (records waiting for review longer than review_days) items {record_id, teacher, enterprise, days};
    the practice statuses' codes 本周期已无法完成 and 进度落后 (PracticeRuleStatus.INFEASIBLE, .BEHIND) items
    {teacher_id, teacher, months, needed, new (not in the previous digest)};
    due (cycles ending within due_months, months still needed) items {teacher_id, teacher, cycle_end, needed};
    decisions (hire exception decisions since `since`) items {exception_id, teacher, status, decided_on}.
    """

    def lagging(item: Mapping[str, Any]) -> str:
        text = gettext("%(teacher)s：已累计 %(months)s 个月，还需 %(needed)s 个月", teacher=item["teacher"],
                       months=months_text(item["months"]), needed=months_text(item["needed"]))
        return gettext("【新】%(text)s", text=text) if item.get("new") else text

    found = sections(
        section(gettext("等待审核超过 %(days)s 天的企业实践记录（%(count)s 条）", days=payload["review_days"],
                        count=count(payload, "reviews")),
                payload.get("reviews"),
                lambda item: gettext("%(teacher)s · %(enterprise)s：已等待 %(days)s 天", **item)),
        section(gettext("本周期已无法完成（%(count)s 人）", count=count(payload, PracticeRuleStatus.INFEASIBLE)),
                payload.get(PracticeRuleStatus.INFEASIBLE), lagging),
        section(gettext("进度落后（%(count)s 人）", count=count(payload, PracticeRuleStatus.BEHIND)),
                payload.get(PracticeRuleStatus.BEHIND), lagging),
        section(gettext("%(months)s 个月内周期结束、仍需企业实践（%(count)s 人）", months=payload["due_months"],
                        count=count(payload, "due")), payload.get("due"),
                lambda item: gettext("%(teacher)s：周期 %(end)s结束，还需 %(needed)s 个月", teacher=item["teacher"],
                                     end=day_text(item["cycle_end"]), needed=months_text(item["needed"]))),
        section(gettext("%(since)s以来的例外申请审批结果（%(count)s 件）", since=day_text(payload["since"]),
                        count=count(payload, "decisions")),
                payload.get("decisions"),
                lambda item: gettext("%(teacher)s：%(status)s（%(day)s）", teacher=item["teacher"],
                                     status=gettext(ExceptionStatus(item["status"]).label),
                                     day=day_text(item["decided_on"]))),
    )
    return Message(
        subject=gettext("%(school)s 人事每周摘要：%(period)s", school=payload["school"], period=week_text(payload)),
        lead=gettext("截至 %(as_of)s，本校需要处理和关注的事项如下。", as_of=day_text(as_of)),
        sections=found,
        action=gettext("打开首页处理"),
    )


@builder(NotificationKind.BUREAU_DIGEST)
def bureau_digest(payload: Mapping[str, Any], as_of: date) -> Message:
    """The bureau's monthly digest (registry.services.reminders; skipped when every section is empty).

    Payload: period ("2026-12": the key's), period_start and period_end (ISO dates: the month's first and last day),
    exception_days (the exceptions section's threshold, days) and sections, each {"count": n, "items": [at most
    10]}: lagging (schools with teachers 进度落后 or 本周期已无法完成, highest share first) items {school_id, school,
    share (0..1), lagging, applicable}; leadership (schools failing the leadership rule) items {school_id, school,
    best_months}; exceptions (hire exception requests waiting longer than exception_days) items {exception_id,
    teacher, school, days}.
    """
    found = sections(
        section(gettext("企业实践进度落后或本周期已无法完成比例最高的学校（共 %(count)s 所）", count=count(payload, "lagging")),
                payload.get("lagging"),
                lambda item: gettext("%(school)s：%(share)s（%(lagging)s / %(applicable)s 人）", school=item["school"],
                                     share=f"{item['share'] * 100:.0f}%", lagging=item["lagging"],
                                     applicable=item["applicable"])),
        section(gettext("领导班子行业企业经历“不符合”的学校（%(count)s 所）", count=count(payload, "leadership")),
                payload.get("leadership"),
                lambda item: gettext("%(school)s：班子成员最长企业经历 %(months)s 个月", school=item["school"],
                                     months=months_text(item["best_months"]))),
        section(gettext("等待审批超过 %(days)s 天的例外申请（%(count)s 件）", days=payload["exception_days"],
                        count=count(payload, "exceptions")),
                payload.get("exceptions"),
                lambda item: gettext("%(school)s · %(teacher)s：已等待 %(days)s 天", **item)),
    )
    return Message(
        subject=gettext("教育局每月摘要：%(period)s", period=month_text(payload)),
        lead=gettext("截至 %(as_of)s，全市职业学校需要关注的情况如下。", as_of=day_text(as_of)),
        sections=found,
        action=gettext("打开首页查看"),
    )


def count(payload: Mapping[str, Any], name: str) -> int:
    return (payload.get(name) or {}).get("count", 0)
