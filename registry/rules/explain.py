"""Plain Chinese sentences that tell a teacher what a result means.

`explain(result)` returns the sentences in reading order: the conclusion
first, then the figures, then why. The label dicts are for the UI.
"""
from __future__ import annotations

from datetime import date
from fractions import Fraction

from .engine import HireResult, LeadershipResult, PracticeResult, TrainingResult
from .facts import EDUCATION_LABELS, SKILL_LEVEL_LABELS
from .months import report

RULE_LABELS = {
    "hire": "招聘条件（企业工作经历与学历）",
    "practice": "教师企业实践",
    "training": "专业课教师全员轮训",
    "leadership": "领导班子行业企业经历",
}

STATUS_LABELS = {
    "met": "已达标",
    "on_track": "进度正常",
    "behind": "进度落后",
    "infeasible": "本周期已无法完成",
    "not_applicable": "不适用",
    "compliant": "符合",
    "non_compliant": "不符合",
    "exception": "已批准例外",
    "done": "已完成",
    "pending": "未完成",
    "failed": "未达标",
    "missed": "未完成",
}

PREVIOUS_LABELS = {
    "met": "上一周期已达标",
    "failed": "上一周期未达标",
    "done": "上一周期已完成轮训",
    "missed": "上一周期未完成轮训",
}

BASIS_LABELS = {
    "standard": "企业工作经历和学历均达到要求",
    "graduate_certificate": "持相关领域职业技能等级证书的毕业生",
    "high_skill_direct": "直接考核引进的高技能人才",
    "exception": "教育局批准的例外",
}

REASON_LABELS = {
    "general_course": "公共基础课教师不适用本规则",
    "flowing_post": "流动岗（企业兼职）人员不适用本规则",
    "hired_before_effective": "在本规则施行前入职，不适用本规则",
    "not_yet_hired": "尚未入职，暂不适用",
    "left": "已离职，不再适用",
    "before_effective": "本规则对该教师尚未开始计算，暂不适用",
    "education_low": "学历未达到最低要求",
    "experience_short": "企业工作经历不足",
}


def months_text(x: Fraction) -> str:
    """A measured figure as reported: 30.0, 35.97."""
    return str(report(x))


def threshold_text(x: Fraction) -> str:
    """A policy figure: 36, or 7.5 when it is not whole."""
    return str(x.numerator) if x.denominator == 1 else str(report(x))


def _period(start: date, end: date) -> str:
    return f"{start.isoformat()} 至 {end.isoformat()}"


def _conclusion(status: str) -> str:
    return f"结论：{STATUS_LABELS[status]}"


def _cycle_not_applicable(result: PracticeResult | TrainingResult) -> list[str]:
    sentences = []
    for reason in result.reasons:
        if reason == "before_effective":
            sentences.append(
                f"本规则对该教师自 {result.anchor.isoformat()} 起计算周期，"
                f"截至 {result.as_of.isoformat()} 尚未开始，暂不适用"
            )
        else:
            sentences.append(REASON_LABELS[reason])
    return sentences


def _explain_hire(result: HireResult) -> list[str]:
    policy = result.policy
    sentences = [_conclusion(result.status)]
    if result.status == "not_applicable":
        for reason in result.reasons:
            if reason == "hired_before_effective":
                sentences.append(
                    f"入职日期 {result.hire_date.isoformat()} 早于招聘规则施行日期 "
                    f"{policy.hire_rule_effective.isoformat()}，不适用本规则"
                )
            else:
                sentences.append(REASON_LABELS[reason])
        return sentences

    required = threshold_text(policy.hire_min_experience_months)
    education = EDUCATION_LABELS[policy.hire_min_education]
    months = months_text(result.experience_months)
    if result.basis == "graduate_certificate":
        sentences.append(f"入职前企业工作经历 {months} 个月；持证毕业生不受企业工作经历要求限制")
    elif result.experience_months >= policy.hire_min_experience_months:
        sentences.append(f"入职前企业工作经历 {months} 个月，已满 {required} 个月")
    else:
        shortfall = months_text(policy.hire_min_experience_months - result.experience_months)
        sentences.append(f"企业工作经历 {months} 个月，距 {required} 个月还差 {shortfall} 个月")

    if result.basis == "standard":
        sentences.append(f"企业工作经历满 {required} 个月且学历达到{education}及以上，符合标准招聘条件")
    elif result.basis == "graduate_certificate":
        sentences.append(f"入职时已持有相关领域职业技能等级证书，学历达到{education}及以上，按持证毕业生条件符合要求")
    elif result.basis == "high_skill_direct":
        level = SKILL_LEVEL_LABELS[policy.direct_min_skill_level]
        sentences.append(
            f"以直接考核方式引进，持有{level}及以上相关证书且企业工作经历满 {required} 个月，学历要求放宽"
        )
    for reason in result.reasons:
        if reason == "education_low":
            sentences.append(f"学历低于{education}，未达到最低学历要求")
        elif reason == "experience_short":
            sentences.append(f"未满足 {required} 个月企业工作经历的要求")
    if result.basis == "exception":
        sentences.append("虽不满足招聘条件，但教育局已批准例外")
    return sentences


def _explain_practice(result: PracticeResult) -> list[str]:
    sentences = [_conclusion(result.status)]
    if result.status == "not_applicable":
        return sentences + _cycle_not_applicable(result)

    required = threshold_text(result.required)
    done = (
        f"本周期（{_period(result.cycle_start, result.cycle_end)}）已完成企业实践 "
        f"{months_text(result.months)} 个月，要求 {required} 个月"
    )
    if result.status == "met":
        sentences.append(done + "，已达标")
    else:
        sentences.append(done + f"，还需 {months_text(result.needed)} 个月")
        remaining = months_text(result.remaining)
        expected = months_text(result.expected)
        if result.status == "infeasible":
            sentences.append(
                f"本周期只剩 {remaining} 个月，即使从明天起全时实践也补不足 "
                f"{months_text(result.needed)} 个月，本周期已无法完成"
            )
        elif result.years_ended == 0:
            sentences.append(f"本周期第一年尚未结束，进度正常；本周期还剩 {remaining} 个月")
        else:
            verdict = "进度落后" if result.status == "behind" else "进度正常"
            sentences.append(
                f"本周期已满 {result.years_ended} 年，按年度进度此时应至少完成 {expected} 个月，{verdict}；"
                f"本周期还剩 {remaining} 个月"
            )
    if result.previous is not None:
        sentences.append(
            f"上一周期（{_period(result.previous_cycle_start, result.previous_cycle_end)}）完成企业实践 "
            f"{months_text(result.previous_months)} 个月，{STATUS_LABELS[result.previous]}"
        )
    return sentences


def _explain_training(result: TrainingResult) -> list[str]:
    sentences = [_conclusion(result.status)]
    if result.status == "not_applicable":
        return sentences + _cycle_not_applicable(result)

    cycle = _period(result.cycle_start, result.cycle_end)
    if result.status == "done":
        sentences.append(f"本周期（{cycle}）已完成全员轮训（{result.completed_on.isoformat()} 结业）")
    else:
        sentences.append(f"本周期（{cycle}）尚未完成全员轮训")
    if result.previous is not None:
        previous = _period(result.previous_cycle_start, result.previous_cycle_end)
        done = "已完成全员轮训" if result.previous == "done" else "未完成全员轮训"
        sentences.append(f"上一周期（{previous}）{done}")
    return sentences


def _explain_leadership(result: LeadershipResult) -> list[str]:
    sentences = [_conclusion(result.status)]
    required = threshold_text(result.policy.leadership_min_experience_months)
    if result.members_counted == 0:
        sentences.append(f"截至 {result.as_of.isoformat()} 领导班子中没有在任成员")
    else:
        sentences.append(
            f"在任领导班子成员中企业工作经历最长为 {months_text(result.best_months)} 个月，"
            f"要求至少 1 人满 {required} 个月"
        )
    return sentences


def explain(result: HireResult | PracticeResult | TrainingResult | LeadershipResult) -> list[str]:
    if isinstance(result, HireResult):
        return _explain_hire(result)
    if isinstance(result, PracticeResult):
        return _explain_practice(result)
    if isinstance(result, TrainingResult):
        return _explain_training(result)
    if isinstance(result, LeadershipResult):
        return _explain_leadership(result)
    raise TypeError(f"cannot explain {type(result).__name__}")
