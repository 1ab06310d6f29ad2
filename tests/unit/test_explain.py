"""The plain Chinese sentences that explain a result to a teacher."""
from __future__ import annotations

import ast
import importlib
import re
from datetime import date
from pathlib import Path

import pytest

from registry.rules import (
    RULE_PREVIOUS,
    RULE_STATUS,
    Certificate,
    Employment,
    LeadershipStatus,
    Policy,
    Practice,
    PracticeRuleStatus,
    Reason,
    TeacherFacts,
    Training,
    evaluate_hire,
    evaluate_leadership,
    evaluate_practice,
    evaluate_training,
    explain,
)

# registry.rules re-exports the explain function under the module's name.
explain_module = importlib.import_module("registry.rules.explain")
vocabulary_module = importlib.import_module("registry.rules.vocabulary")

D = date.fromisoformat


def teacher(**changes) -> TeacherFacts:
    facts = dict(
        course_type="specialty",
        post_type="fixed",
        hire_date=D("2023-09-01"),
        hire_channel="open",
        education="bachelor",
    )
    return TeacherFacts(**(facts | changes))


def test_a_short_hire_says_how_many_months_are_missing():
    jobs = (
        Employment(D("2019-01-01"), D("2020-12-31"), "enterprise"),
        Employment(D("2020-01-01"), D("2021-06-30"), "enterprise"),
    )
    sentences = explain(evaluate_hire(teacher(employment=jobs)))
    assert sentences[0] == "结论：不符合"
    assert "企业工作经历 30 个月，距 36 个月还差 6 个月" in sentences


def test_a_low_education_is_named_with_the_required_level():
    jobs = (Employment(D("2010-01-01"), None, "enterprise"),)
    sentences = explain(evaluate_hire(teacher(education="secondary", employment=jobs)))
    assert any("学历低于高职专科(大专)" in s for s in sentences)


def test_the_graduate_exemption_is_explained():
    certificate = Certificate("skill", "intermediate", D("2023-05-10"), True)
    sentences = explain(evaluate_hire(teacher(education="associate", certificates=(certificate,))))
    assert sentences[0] == "结论：符合"
    assert any("职业技能等级证书" in s for s in sentences)


def test_an_approved_exception_says_so():
    sentences = explain(evaluate_hire(teacher(exception_approved=True)))
    assert sentences[0] == "结论：已批准例外"
    assert any("教育局已批准例外" in s for s in sentences)


def test_every_not_applicable_reason_gets_its_own_sentence():
    facts = teacher(course_type="general", post_type="flowing", hire_date=D("2020-03-01"))
    sentences = explain(evaluate_hire(facts))
    assert sentences == [
        "结论：不适用",
        "公共基础课教师不适用本规则",
        Reason.FLOWING_POST.label,
        "入职日期 2020-03-01 早于招聘规则施行日期 2021-01-01，不适用本规则",
    ]


def test_practice_progress_names_the_cycle_the_months_and_what_is_left():
    records = (
        Practice(D("2021-07-01"), D("2021-08-31"), "verified"),
        Practice(D("2022-07-01"), D("2022-08-31"), "verified"),
        Practice(D("2023-07-01"), D("2023-08-31"), "submitted"),
    )
    result = evaluate_practice(teacher(hire_date=D("2019-09-01"), practice=records), D("2022-12-31"))
    sentences = explain(result)
    assert sentences[0] == "结论：进度正常"
    assert "本周期（2021-01-01 至 2025-12-31）已完成企业实践 4 个月，要求 10 个月，还需 6 个月" in sentences
    assert any("应至少完成 4 个月" in s and "还剩 36 个月" in s for s in sentences)


def test_an_infeasible_cycle_says_it_can_no_longer_be_completed():
    records = (Practice(D("2022-07-01"), D("2022-07-31"), "verified"),)
    result = evaluate_practice(teacher(hire_date=D("2019-09-01"), practice=records), D("2025-06-30"))
    sentences = explain(result)
    assert sentences[0] == "结论：" + PracticeRuleStatus.INFEASIBLE.label
    assert any("只剩 6 个月" in s and "9 个月" in s for s in sentences)


def test_the_previous_cycle_is_reported_with_its_months():
    records = (Practice(D("2022-07-01"), D("2022-08-31"), "verified"),)
    result = evaluate_practice(teacher(hire_date=D("2018-03-01"), practice=records), D("2026-11-28"))
    assert "上一周期（2021-01-01 至 2025-12-31）完成企业实践 2 个月，未达标" in explain(result)


def test_practice_before_its_anchor_says_when_the_cycle_starts():
    policy = Policy(practice_rule_effective=D("2027-01-01"))
    result = evaluate_practice(teacher(), D("2026-01-01"), policy)
    assert explain(result) == ["结论：不适用", "本规则对该教师自 2027-01-01 起计算周期，截至 2026-01-01 尚未开始，暂不适用"]


def test_training_says_whether_the_rotation_was_done_this_cycle_and_last():
    facts = teacher(hire_date=D("2019-09-01"), training=(Training("rotation", D("2023-08-20"), "completed"),))
    assert explain(evaluate_training(facts, D("2024-01-01"))) == [
        "结论：已完成",
        "本周期（2021-01-01 至 2025-12-31）已完成全员轮训（2023-08-20 结业）",
    ]
    assert explain(evaluate_training(facts, D("2026-05-01")))[1:] == [
        "本周期（2026-01-01 至 2030-12-31）尚未完成全员轮训",
        "上一周期（2021-01-01 至 2025-12-31）已完成全员轮训",
    ]


def test_leadership_names_the_best_experience_and_the_requirement():
    member = teacher(leadership=True, employment=(Employment(D("2012-01-01"), D("2015-08-31"), "enterprise"),))
    sentences = explain(evaluate_leadership([member], D("2026-11-28")))
    assert sentences == ["结论：不符合", "在任领导班子成员中企业工作经历最长为 44 个月，要求至少 1 人满 60 个月"]


def test_every_status_and_reason_code_has_a_chinese_label():
    statuses = {"met", "on_track", "behind", "infeasible", "not_applicable", "compliant",
                "non_compliant", "exception", "done", "pending"}
    previous = {"met", "failed", "done", "missed"}
    reasons = {"general_course", "flowing_post", "hired_before_effective", "not_yet_hired", "left",
               "before_effective", "education_low", "experience_short"}
    assert statuses <= {code for codes in (*RULE_STATUS.values(), LeadershipStatus) for code in codes.codes()}
    assert previous <= {code for results in RULE_PREVIOUS.values() for code in results.codes()}
    lists = (*RULE_STATUS.values(), LeadershipStatus, *RULE_PREVIOUS.values(), Reason)
    assert all(CHINESE.search(member.label) for codes in lists for member in codes)
    assert reasons == set(Reason.codes())


def representative_results():
    """One result for each kind of sentence explain() writes."""
    enterprise = (Employment(D("2015-01-01"), D("2019-12-31"), "enterprise"),)
    certificate = Certificate("skill", "senior", D("2020-05-10"), True)
    short = (Employment(D("2022-01-01"), D("2022-12-31"), "enterprise"),)
    hires = [
        ("compliant", teacher(employment=enterprise)),
        ("compliant", teacher(education="associate", certificates=(certificate,))),
        ("compliant", teacher(hire_channel="direct", education="secondary", employment=enterprise,
                              certificates=(certificate,))),
        ("non_compliant", teacher(education="secondary", employment=short)),
        ("not_applicable", teacher(course_type="general", post_type="flowing", hire_date=D("2020-03-01"))),
        ("exception", teacher(education="secondary", exception_approved=True)),
    ]
    for status, facts in hires:
        yield status, evaluate_hire(facts)

    old = D("2018-03-01")
    practice = [
        ("met", teacher(hire_date=old, practice=(Practice(D("2026-01-01"), D("2026-10-31"), "verified"),)),
         D("2026-11-28")),
        ("behind", teacher(hire_date=old, practice=(Practice(D("2021-07-01"), D("2021-08-31"), "verified"),)),
         D("2022-12-31")),
        ("on_track", teacher(hire_date=old, practice=(Practice(D("2021-01-01"), D("2025-12-31"), "verified"),)),
         D("2026-03-01")),
        ("on_track", teacher(hire_date=old), D("2021-06-30")),
        ("infeasible", teacher(hire_date=old, practice=(Practice(D("2022-07-01"), D("2022-07-31"), "verified"),)),
         D("2025-06-30")),
        ("not_applicable", teacher(), D("2019-01-01")),
        ("not_applicable", teacher(course_type="general", left_date=D("2024-01-01")), D("2024-06-01")),
    ]
    for status, facts, as_of in practice:
        yield status, evaluate_practice(facts, as_of)
    yield "not_applicable", evaluate_practice(teacher(), D("2026-01-01"), Policy(practice_rule_effective=D("2027-01-01")))

    rotation = (Training("rotation", D("2023-08-20"), "completed"),)
    training = [
        ("done", teacher(hire_date=old, training=rotation), D("2024-01-01")),
        ("pending", teacher(hire_date=old, training=rotation), D("2026-05-01")),
        ("pending", teacher(hire_date=old), D("2026-05-01")),
        ("not_applicable", teacher(post_type="flowing"), D("2024-01-01")),
    ]
    for status, facts, as_of in training:
        yield status, evaluate_training(facts, as_of)

    member = teacher(leadership=True, employment=(Employment(D("2012-01-01"), D("2015-08-31"), "enterprise"),))
    yield "non_compliant", evaluate_leadership([member], D("2026-11-28"))
    yield "non_compliant", evaluate_leadership([], D("2026-11-28"))


REPRESENTATIVE = list(representative_results())


def test_the_representative_results_have_the_statuses_they_stand_for():
    assert [r.status for _, r in REPRESENTATIVE] == [status for status, _ in REPRESENTATIVE]
    practice = [r for _, r in REPRESENTATIVE if r.__class__.__name__ == "PracticeResult"]
    assert {r.previous for r in practice} >= {"met", "failed"}
    training = [r for _, r in REPRESENTATIVE if r.__class__.__name__ == "TrainingResult"]
    assert {r.previous for r in training} >= {"done", "missed"}


@pytest.mark.parametrize("result", [r for _, r in REPRESENTATIVE])
def test_without_translate_the_chinese_msgids_are_used_as_they_are(result):
    assert explain(result) == explain(result, translate=lambda s: s)


@pytest.mark.parametrize("result", [r for _, r in REPRESENTATIVE])
def test_every_sentence_goes_through_translate(result):
    sentences = explain(result, translate=lambda s: "«" + s + "»")
    assert sentences
    assert all(s.startswith("«") and s.endswith("»") for s in sentences), sentences


CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.mark.parametrize("result", [r for _, r in REPRESENTATIVE])
def test_no_chinese_reaches_a_sentence_without_translate(result):
    """A translate that drops the Chinese leaves none: labels put into sentences are translated too."""
    sentences = explain(result, translate=lambda s: CHINESE.sub("", s))
    assert not any(CHINESE.search(s) for s in sentences), sentences


def marked_messages(module) -> set[str]:
    """The literal first arguments of N_(...) in a module, as pybabel extracts them."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_"
        and node.args and isinstance(node.args[0], ast.Constant)
    }


def test_translate_is_only_asked_for_marked_messages():
    """Every msgid is a static N_ literal (so pybabel finds it), never a string built at run time."""
    marked = marked_messages(explain_module) | marked_messages(vocabulary_module)
    asked = []
    for _, result in REPRESENTATIVE:
        explain(result, translate=lambda s: asked.append(s) or s)
    assert asked
    assert set(asked) <= marked, set(asked) - marked


@pytest.mark.parametrize(
    ("policy", "hire_title", "practice_title"),
    [
        (Policy(), "招聘资格（3年企业经历）", "企业实践（5年累计10个月）"),
        (Policy(practice_required_months=6), "招聘资格（3年企业经历）", "企业实践（5年累计6个月）"),
        (Policy(hire_min_experience_months=30, cycle_years=4), "招聘资格（2.5年企业经历）", "企业实践（4年累计10个月）"),
    ],
)
def test_rule_titles_quote_the_figures_of_the_policy_version_that_decided_them(policy, hire_title, practice_title):
    facts = teacher(hire_date=D("2019-09-01"))
    assert explain_module.title(evaluate_hire(facts, policy)) == hire_title
    assert explain_module.title(evaluate_practice(facts, D("2024-06-01"), policy)) == practice_title
    assert explain_module.title(evaluate_training(facts, D("2024-06-01"), policy)) == "全员轮训"
