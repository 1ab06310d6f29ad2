"""registry.notify.messages: every kind of notification has words, and they name the figures of their date."""
from __future__ import annotations

from datetime import date

import pytest

from registry.notify.messages import BUILDERS, Message, build
from registry.rules.vocabulary import NotificationKind

AS_OF = date(2026, 12, 1)
CYCLE = {"teacher_id": 1, "cycle_start": "2022-09-01", "cycle_end": "2027-08-31"}
PAYLOADS = {
    NotificationKind.CYCLE_DEADLINE: {**CYCLE, "threshold": 12, "remaining": 9, "months": 4, "required": 10,
                                      "needed": 6, "status": "on_track"},
    NotificationKind.PRACTICE_BEHIND: {**CYCLE, "years_ended": 4, "months": 3, "expected": 8, "required": 10,
                                       "needed": 7},
    NotificationKind.TRAINING_MISSING: {**CYCLE, "remaining": 9},
    NotificationKind.PRACTICE_VERIFIED: {"record_id": 5, "teacher_id": 1, "enterprise": "曙光集团",
                                         "start": "2026-07-01", "end": "2026-08-31"},
    NotificationKind.PRACTICE_REJECTED: {"record_id": 5, "teacher_id": 1, "enterprise": "曙光集团",
                                         "start": "2026-07-01", "end": "2026-08-31", "reason": "缺少企业盖章"},
    NotificationKind.HR_DIGEST: {
        "school_id": 1, "school": "甲校", "period": "2026-W49", "period_start": "2026-11-30", "period_end": "2026-12-06",
        "since": "2026-11-23", "review_days": 7, "due_months": 6, "lagging_ids": [1, 2],
        "reviews": {"count": 12, "items": [{"record_id": 5, "teacher": "王立新", "enterprise": "曙光集团", "days": 9}]},
        "infeasible": {"count": 1, "items": [{"teacher_id": 1, "teacher": "王立新", "months": 1, "needed": 9,
                                              "new": True}]},
        "behind": {"count": 1, "items": [{"teacher_id": 2, "teacher": "张宏伟", "months": 2, "needed": 8,
                                          "new": False}]},
        "due": {"count": 0, "items": []},
        "decisions": {"count": 1, "items": [{"exception_id": 3, "teacher": "朴成浩", "status": "approved",
                                             "decided_on": "2026-11-30"}]},
    },
    NotificationKind.BUREAU_DIGEST: {
        "period": "2026-12", "period_start": "2026-12-01", "period_end": "2026-12-31", "exception_days": 14,
        "lagging": {"count": 1, "items": [{"school_id": 3, "school": "东港市职业教育中心", "share": 0.6667,
                                           "lagging": 2, "applicable": 3}]},
        "leadership": {"count": 1, "items": [{"school_id": 5, "school": "宽甸满族自治县职业教育中心",
                                              "best_months": 48}]},
        "exceptions": {"count": 1, "items": [{"exception_id": 2, "teacher": "崔志远", "school": "丹东市民族中等职业技术专业学校",
                                              "days": 21}]},
    },
}


def words(message: Message) -> str:
    return "\n".join([message.subject, message.lead, *(f"{s.heading}\n" + "\n".join(s.items) for s in message.sections)])


def test_every_kind_has_a_builder_and_a_sample_here():
    assert set(BUILDERS) == set(NotificationKind) == set(PAYLOADS)


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_message_has_a_subject_a_lead_an_action_and_the_stored_link(ctx, kind):
    message = build(kind, PAYLOADS[kind], AS_OF, "/practice/#practice-5")
    assert message.subject and message.lead and message.action
    assert message.link == "/practice/#practice-5"


def test_the_deadline_reminder_names_the_figures_of_its_date_and_what_to_plan(ctx):
    message = build(NotificationKind.CYCLE_DEADLINE, PAYLOADS[NotificationKind.CYCLE_DEADLINE], AS_OF, "/")
    assert ("截至 2026年12月1日，本周期（2022年9月1日—2027年8月31日）已累计企业实践 4 个月，还需 6 个月，"
            "距周期结束还有 9 个月") in message.lead
    assert "请在 2027年8月31日前安排至少 6 个月的企业实践" in message.lead
    assert message.subject == "企业实践周期将于 2027年8月31日结束，还需 6 个月"


@pytest.mark.parametrize(("months", "written"), [(6.17, "6.17"), (3.0, "3"), (2.5, "2.5"), (0.333, "0.33")])
def test_months_are_written_as_on_every_page(ctx, months, written):
    payload = {**PAYLOADS[NotificationKind.CYCLE_DEADLINE], "months": months}
    assert f"已累计企业实践 {written} 个月" in build(NotificationKind.CYCLE_DEADLINE, payload, AS_OF, "/").lead


def test_an_infeasible_cycle_says_so_instead_of_asking_for_the_impossible(ctx):
    payload = {**PAYLOADS[NotificationKind.CYCLE_DEADLINE], "status": "infeasible", "remaining": 2.9, "needed": 9}
    lead = build(NotificationKind.CYCLE_DEADLINE, payload, AS_OF, "/").lead
    assert "本周期已无法完成" in lead and "距周期结束还有 2.9 个月" in lead
    assert "请在" not in lead
    subject = build(NotificationKind.CYCLE_DEADLINE, payload, AS_OF, "/").subject
    assert subject == "企业实践本周期已无法完成：还需 9 个月，周期将于 2027年8月31日结束"


def test_the_behind_reminder_names_the_milestone(ctx):
    lead = build(NotificationKind.PRACTICE_BEHIND, PAYLOADS[NotificationKind.PRACTICE_BEHIND], AS_OF, "/").lead
    assert "已满 4 年，按年度进度应累计 8 个月企业实践，目前审核通过 3 个月" in lead
    assert "还需 7 个月" in lead


def test_the_training_reminder_names_the_end_of_the_cycle(ctx):
    message = build(NotificationKind.TRAINING_MISSING, PAYLOADS[NotificationKind.TRAINING_MISSING], AS_OF, "/")
    assert "2027年8月31日" in message.subject
    assert "距周期结束还有 9 个月" in message.lead


def test_a_rejected_record_gives_the_reason(ctx):
    message = build(NotificationKind.PRACTICE_REJECTED, PAYLOADS[NotificationKind.PRACTICE_REJECTED], AS_OF, "/")
    assert "曙光集团" in message.subject and "2026年7月1日—2026年8月31日" in message.subject
    assert "退回原因：缺少企业盖章" in message.lead


@pytest.mark.parametrize("reason", ["缺少企业盖章。", "缺少企业盖章！ ", "缺少企业盖章."])
def test_the_reasons_own_full_stop_is_not_doubled(ctx, reason):
    payload = {**PAYLOADS[NotificationKind.PRACTICE_REJECTED], "reason": reason}
    lead = build(NotificationKind.PRACTICE_REJECTED, payload, AS_OF, "/").lead
    assert "退回原因：缺少企业盖章。请按要求" in lead


def test_the_hr_digest_lists_each_section_with_its_count_and_marks_the_new(ctx):
    message = build(NotificationKind.HR_DIGEST, PAYLOADS[NotificationKind.HR_DIGEST], AS_OF, "/")
    assert message.subject == "甲校 人事每周摘要：2026年第49周（11月30日—12月6日）"
    headings = [s.heading for s in message.sections]
    assert headings == ["等待审核超过 7 天的企业实践记录（12 条）", "本周期已无法完成（1 人）", "进度落后（1 人）",
                        "2026年11月23日以来的例外申请审批结果（1 件）"]  # the empty "due" section is left out
    reviews, infeasible, behind, decisions = message.sections
    assert reviews.items == ("王立新 · 曙光集团：已等待 9 天",) and reviews.more == 11
    assert infeasible.items == ("【新】王立新：已累计 1 个月，还需 9 个月",)
    assert behind.items == ("张宏伟：已累计 2 个月，还需 8 个月",)
    assert decisions.items == ("朴成浩：已批准（2026年11月30日）",)


def test_the_bureau_digest_names_shares_and_waiting_days(ctx):
    text = words(build(NotificationKind.BUREAU_DIGEST, PAYLOADS[NotificationKind.BUREAU_DIGEST], AS_OF, "/"))
    assert "东港市职业教育中心：67%（2 / 3 人）" in text
    assert "领导班子行业企业经历“不符合”的学校（1 所）\n宽甸满族自治县职业教育中心：班子成员最长企业经历 48 个月" in text
    assert "等待审批超过 14 天的例外申请（1 件）\n丹东市民族中等职业技术专业学校 · 崔志远：已等待 21 天" in text


@pytest.mark.parametrize(("start", "end", "week"), [
    ("2026-12-07", "2026-12-13", "2026年第50周（12月7日—13日）"),
    ("2026-11-30", "2026-12-06", "2026年第49周（11月30日—12月6日）"),
    ("2026-12-28", "2027-01-03", "2026年第53周（12月28日—1月3日）"),  # the ISO week's year
])
def test_the_weekly_digest_names_its_week_and_days_not_the_iso_code(ctx, start, end, week):
    payload = {**PAYLOADS[NotificationKind.HR_DIGEST], "period_start": start, "period_end": end}
    assert build(NotificationKind.HR_DIGEST, payload, AS_OF, "/").subject == f"甲校 人事每周摘要：{week}"


def test_the_monthly_digest_names_its_month(ctx):
    subject = build(NotificationKind.BUREAU_DIGEST, PAYLOADS[NotificationKind.BUREAU_DIGEST], AS_OF, "/").subject
    assert subject == "教育局每月摘要：2026年12月"


def test_the_digests_sections_state_the_thresholds_they_are_given(ctx):
    hr = {**PAYLOADS[NotificationKind.HR_DIGEST], "review_days": 10, "due_months": 4,
          "due": {"count": 1, "items": [{"teacher_id": 1, "teacher": "王立新", "cycle_end": "2027-03-31", "needed": 2}]}}
    headings = [s.heading for s in build(NotificationKind.HR_DIGEST, hr, AS_OF, "/").sections]
    assert "等待审核超过 10 天的企业实践记录（12 条）" in headings
    assert "4 个月内周期结束、仍需企业实践（1 人）" in headings
    bureau = {**PAYLOADS[NotificationKind.BUREAU_DIGEST], "exception_days": 30}
    headings = [s.heading for s in build(NotificationKind.BUREAU_DIGEST, bureau, AS_OF, "/").sections]
    assert "等待审批超过 30 天的例外申请（1 件）" in headings


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_message_addresses_the_reader_as_nin(ctx, kind):
    message = build(kind, PAYLOADS[kind], AS_OF, "/")
    assert "你" not in words(message) + message.action


@pytest.mark.parametrize("kind", [NotificationKind.PRACTICE_VERIFIED, NotificationKind.PRACTICE_REJECTED])
def test_a_review_outcome_tells_the_teacher_about_their_record_with_nin(ctx, kind):
    assert build(kind, PAYLOADS[kind], AS_OF, "/").lead.startswith("您在曙光集团的企业实践（2026年7月1日—2026年8月31日）")
