"""The list's names for its codes: short rule names, and previous-cycle results looked up by code."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from registry.rules.vocabulary import RULE_PREVIOUS, Code, Rule

# Shorter than Rule.label (the rule's full title on the teacher page): they head columns and options.
RULE_NAMES = {Rule.HIRE: _l("招聘资格"), Rule.PRACTICE: _l("企业实践"), Rule.TRAINING: _l("全员轮训")}

# Every previous-cycle result the list can filter by (the codes of RULE_PREVIOUS's lists never overlap).
PREVIOUS_RESULTS: dict[str, Code] = {m.value: m for results in RULE_PREVIOUS.values() for m in results}


def rule_label(rule: Rule | str) -> str:
    """The short name of a per-teacher rule in the user's language; KeyError for another rule."""
    return str(RULE_NAMES[rule])
