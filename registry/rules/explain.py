"""Plain sentences that tell a teacher what a result means.

`explain(result, translate)` returns the sentences in reading order: the
conclusion first, then the figures, then why. Each sentence is a Chinese
message template (a msgid, marked with N_ for `pybabel extract`) passed
through `translate` and then filled with its %(name)s values; the labels put
into a sentence go through `translate` too. Without `translate` the Chinese
msgids are used as they are. The labels are those of registry.rules.vocabulary;
the UI translates them where it shows them.
"""
from __future__ import annotations

from fractions import Fraction

from .engine import HireResult, LeadershipResult, PracticeResult, TrainingResult
from .i18n import N_, Translate, identity
from .months import months_text
from .vocabulary import (
    Code,
    Education,
    HireBasis,
    HireStatus,
    LeadershipStatus,
    PracticeRuleStatus,
    PreviousPractice,
    PreviousTraining,
    Reason,
    SkillLevel,
    TrainingRuleStatus,
)


def threshold_text(x: Fraction) -> str:
    """A policy figure, written like every other number of months (months_text): 36, 7.5."""
    return months_text(x)


def _say(tr: Translate, message: str, **values: object) -> str:
    """`message` (an N_-marked template) translated, then its %(name)s placeholders filled."""
    text = tr(message)
    return text % values if values else text


def _label(tr: Translate, codes: type[Code], code: str) -> str:
    """The translated label of `code` (a member or its code string) in the list `codes`."""
    return tr(codes(code).label)


def _conclusion(tr: Translate, codes: type[Code], status: str) -> str:
    return _say(tr, N_("结论：%(status)s"), status=_label(tr, codes, status))


def _cycle_not_applicable(tr: Translate, result: PracticeResult | TrainingResult) -> list[str]:
    sentences = []
    for reason in result.reasons:
        if reason == Reason.BEFORE_EFFECTIVE:
            sentences.append(
                _say(
                    tr,
                    N_("本规则对该教师自 %(anchor)s 起计算周期，截至 %(as_of)s 尚未开始，暂不适用"),
                    anchor=result.anchor.isoformat(),
                    as_of=result.as_of.isoformat(),
                )
            )
        else:
            sentences.append(_label(tr, Reason, reason))
    return sentences


def _explain_hire(tr: Translate, result: HireResult) -> list[str]:
    policy = result.policy
    sentences = [_conclusion(tr, HireStatus, result.status)]
    if result.status == HireStatus.NOT_APPLICABLE:
        for reason in result.reasons:
            if reason == Reason.HIRED_BEFORE_EFFECTIVE:
                sentences.append(
                    _say(
                        tr,
                        N_("入职日期 %(hire_date)s 早于招聘规则施行日期 %(effective)s，不适用本规则"),
                        hire_date=result.hire_date.isoformat(),
                        effective=policy.hire_rule_effective.isoformat(),
                    )
                )
            else:
                sentences.append(_label(tr, Reason, reason))
        return sentences

    required = threshold_text(policy.hire_min_experience_months)
    education = _label(tr, Education, policy.hire_min_education)
    months = months_text(result.experience_months)
    if result.basis == HireBasis.GRADUATE_CERTIFICATE:
        sentences.append(
            _say(tr, N_("入职前企业工作经历 %(months)s 个月；持证毕业生不受企业工作经历要求限制"), months=months)
        )
    elif result.experience_months >= policy.hire_min_experience_months:
        sentences.append(
            _say(tr, N_("入职前企业工作经历 %(months)s 个月，已满 %(required)s 个月"), months=months, required=required)
        )
    else:
        sentences.append(
            _say(
                tr,
                N_("企业工作经历 %(months)s 个月，距 %(required)s 个月还差 %(shortfall)s 个月"),
                months=months,
                required=required,
                shortfall=months_text(policy.hire_min_experience_months - result.experience_months),
            )
        )

    if result.basis == HireBasis.STANDARD:
        sentences.append(
            _say(
                tr,
                N_("企业工作经历满 %(required)s 个月且学历达到%(education)s及以上，符合标准招聘条件"),
                required=required,
                education=education,
            )
        )
    elif result.basis == HireBasis.GRADUATE_CERTIFICATE:
        sentences.append(
            _say(
                tr,
                N_("入职时已持有相关领域职业技能等级证书，学历达到%(education)s及以上，按持证毕业生条件符合要求"),
                education=education,
            )
        )
    elif result.basis == HireBasis.HIGH_SKILL_DIRECT:
        sentences.append(
            _say(
                tr,
                N_("以直接考核方式引进，持有%(level)s及以上相关证书且企业工作经历满 %(required)s 个月，学历要求放宽"),
                level=_label(tr, SkillLevel, policy.direct_min_skill_level),
                required=required,
            )
        )
    for reason in result.reasons:
        if reason == Reason.EDUCATION_LOW:
            sentences.append(_say(tr, N_("学历低于%(education)s，未达到最低学历要求"), education=education))
        elif reason == Reason.EXPERIENCE_SHORT:
            sentences.append(_say(tr, N_("未满足 %(required)s 个月企业工作经历的要求"), required=required))
    if result.basis == HireBasis.EXCEPTION:
        sentences.append(_say(tr, N_("虽不满足招聘条件，但教育局已批准例外")))
    return sentences


def _explain_practice(tr: Translate, result: PracticeResult) -> list[str]:
    sentences = [_conclusion(tr, PracticeRuleStatus, result.status)]
    if result.status == PracticeRuleStatus.NOT_APPLICABLE:
        return sentences + _cycle_not_applicable(tr, result)

    cycle = {
        "start": result.cycle_start.isoformat(),
        "end": result.cycle_end.isoformat(),
        "months": months_text(result.months),
        "required": threshold_text(result.required),
    }
    needed = months_text(result.needed)
    remaining = months_text(result.remaining)
    if result.status == PracticeRuleStatus.MET:
        sentences.append(
            _say(
                tr,
                N_("本周期（%(start)s 至 %(end)s）已完成企业实践 %(months)s 个月，要求 %(required)s 个月，已达标"),
                **cycle,
            )
        )
    else:
        sentences.append(
            _say(
                tr,
                N_(
                    "本周期（%(start)s 至 %(end)s）已完成企业实践 %(months)s 个月，要求 %(required)s 个月，"
                    "还需 %(needed)s 个月"
                ),
                needed=needed,
                **cycle,
            )
        )
        if result.status == PracticeRuleStatus.INFEASIBLE:
            sentences.append(
                _say(
                    tr,
                    N_("本周期只剩 %(remaining)s 个月，即使从明天起全时实践也补不足 %(needed)s 个月，本周期已无法完成"),
                    remaining=remaining,
                    needed=needed,
                )
            )
        elif result.years_ended == 0:
            sentences.append(
                _say(tr, N_("本周期第一年尚未结束，进度正常；本周期还剩 %(remaining)s 个月"), remaining=remaining)
            )
        else:
            sentences.append(
                _say(
                    tr,
                    N_(
                        "本周期已满 %(years)s 年，按年度进度此时应至少完成 %(expected)s 个月，%(verdict)s；"
                        "本周期还剩 %(remaining)s 个月"
                    ),
                    years=result.years_ended,
                    expected=months_text(result.expected),
                    verdict=_label(tr, PracticeRuleStatus, result.status),
                    remaining=remaining,
                )
            )
    if result.previous is not None:
        previous = {
            "start": result.previous_cycle_start.isoformat(),
            "end": result.previous_cycle_end.isoformat(),
            "months": months_text(result.previous_months),
        }
        if result.previous == PreviousPractice.MET:
            sentences.append(_say(tr, N_("上一周期（%(start)s 至 %(end)s）完成企业实践 %(months)s 个月，已达标"), **previous))
        else:
            sentences.append(_say(tr, N_("上一周期（%(start)s 至 %(end)s）完成企业实践 %(months)s 个月，未达标"), **previous))
    return sentences


def _explain_training(tr: Translate, result: TrainingResult) -> list[str]:
    sentences = [_conclusion(tr, TrainingRuleStatus, result.status)]
    if result.status == TrainingRuleStatus.NOT_APPLICABLE:
        return sentences + _cycle_not_applicable(tr, result)

    cycle = {"start": result.cycle_start.isoformat(), "end": result.cycle_end.isoformat()}
    if result.status == TrainingRuleStatus.DONE:
        sentences.append(
            _say(
                tr,
                N_("本周期（%(start)s 至 %(end)s）已完成全员轮训（%(completed_on)s 结业）"),
                completed_on=result.completed_on.isoformat(),
                **cycle,
            )
        )
    else:
        sentences.append(_say(tr, N_("本周期（%(start)s 至 %(end)s）尚未完成全员轮训"), **cycle))
    if result.previous is not None:
        previous = {"start": result.previous_cycle_start.isoformat(), "end": result.previous_cycle_end.isoformat()}
        if result.previous == PreviousTraining.DONE:
            sentences.append(_say(tr, N_("上一周期（%(start)s 至 %(end)s）已完成全员轮训"), **previous))
        else:
            sentences.append(_say(tr, N_("上一周期（%(start)s 至 %(end)s）未完成全员轮训"), **previous))
    return sentences


def _explain_leadership(tr: Translate, result: LeadershipResult) -> list[str]:
    sentences = [_conclusion(tr, LeadershipStatus, result.status)]
    if result.members_counted == 0:
        sentences.append(_say(tr, N_("截至 %(as_of)s 领导班子中没有在任成员"), as_of=result.as_of.isoformat()))
    else:
        sentences.append(
            _say(
                tr,
                N_("在任领导班子成员中企业工作经历最长为 %(best)s 个月，要求至少 1 人满 %(required)s 个月"),
                best=months_text(result.best_months),
                required=threshold_text(result.policy.leadership_min_experience_months),
            )
        )
    return sentences


def title(result: HireResult | PracticeResult | TrainingResult, translate: Translate | None = None) -> str:
    """The heading of a per-teacher rule, quoting the figures of the policy version that `result` was decided by
    (policy annex: "三年以上企业工作经历", "每5年…不少于10个月"): '企业实践（5年累计10个月）', or '（5年累计6个月）' once the
    national version is in force. Raises TypeError for another result."""
    tr = translate or identity
    policy = result.policy
    if isinstance(result, HireResult):
        return _say(tr, N_("招聘资格（%(years)s年企业经历）"), years=threshold_text(policy.hire_min_experience_months / 12))
    if isinstance(result, PracticeResult):
        return _say(
            tr, N_("企业实践（%(years)s年累计%(months)s个月）"),
            years=policy.cycle_years, months=threshold_text(policy.practice_required_months),
        )
    if isinstance(result, TrainingResult):
        return _say(tr, N_("全员轮训"))
    raise TypeError(f"no title for {type(result).__name__}")


def explain(
    result: HireResult | PracticeResult | TrainingResult | LeadershipResult,
    translate: Translate | None = None,
) -> list[str]:
    """The sentences for `result`; `translate` maps each msgid to the reader's language."""
    tr = translate or identity
    if isinstance(result, HireResult):
        return _explain_hire(tr, result)
    if isinstance(result, PracticeResult):
        return _explain_practice(tr, result)
    if isinstance(result, TrainingResult):
        return _explain_training(tr, result)
    if isinstance(result, LeadershipResult):
        return _explain_leadership(tr, result)
    raise TypeError(f"cannot explain {type(result).__name__}")
