"""A filter spoiled by an edited address is named in Chinese with the value given, never with the schema's codes."""
from __future__ import annotations

import re

import pytest


def warnings_on(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r'class="alert alert-warning[^"]*"[^>]*>(.*?)<', page, re.S)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=foo", "筛选条件“状态”有误：取值“foo”不是可选项，已忽略。"),
        ("sort=bogus", "筛选条件“排序”有误：取值“bogus”不是可选项，已忽略。"),
        ("course_type=teacher", "筛选条件“课程类别”有误：取值“teacher”不是可选项，已忽略。"),
        ("as_of=2024-13-01", "筛选条件“核算日期”有误：不是有效日期：2024-13-01 这一天不存在，请核对月份和日，已忽略。"),
        ("as_of=yesterday", "筛选条件“核算日期”有误：不是有效日期，请用 YYYY-MM-DD 格式，已忽略。"),
    ],
)
def test_a_bad_filter_is_named_in_chinese_and_ignored(make, login, query, expected):
    page = login(make.user("bureau")).get(f"/bureau/compliance?{query}").get_data(as_text=True)
    assert warnings_on(page) == [expected]
    assert not re.search(r"non_compliant|on_track|practice_months", " ".join(warnings_on(page)))
