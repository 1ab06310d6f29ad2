"""How many rows of the filtered list have each status, and each previous-cycle result."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from registry.rules.vocabulary import RULE_STATUS, Code, Rule
from registry.services.compliance_list.rows import ComplianceRow


@dataclass
class Totals:
    """Counts over the rows given to `add`: `by_rule[rule][status]`, `previous[result]`, and `total`."""

    total: int = 0
    by_rule: dict[Rule, Counter] = field(default_factory=lambda: {rule: Counter() for rule in RULE_STATUS})
    previous: Counter = field(default_factory=Counter)

    def add(self, row: ComplianceRow) -> None:
        self.total += 1
        for rule in RULE_STATUS:
            self.by_rule[rule][row.status(rule)] += 1
        self.previous.update(row.previous_results())

    def counts(self) -> dict[Rule, dict[Code, int]]:
        """{rule: {status: count}} with every status of each rule, zero included, in the vocabulary's order."""
        return {rule: {status: self.by_rule[rule][status] for status in statuses} for rule, statuses in RULE_STATUS.items()}
