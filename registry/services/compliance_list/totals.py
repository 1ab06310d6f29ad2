"""How many rows of the filtered list have each status, and each previous-cycle result."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from registry.rules.vocabulary import RULE_PREVIOUS, RULE_STATUS, Code, Rule
from registry.services.compliance_list.rows import previous_column, status_column

# The verdict columns a total counts by: each rule's status, then each previous-cycle result.
STATUS_COLUMNS = tuple(status_column(rule) for rule in RULE_STATUS)
TOTALLED = (*STATUS_COLUMNS, *(previous_column(rule) for rule in RULE_PREVIOUS))


@dataclass
class Totals:
    """Counts: `by_rule[rule][status]`, `previous[result]`, and `total`."""

    total: int = 0
    by_rule: dict[Rule, Counter] = field(default_factory=lambda: {rule: Counter() for rule in RULE_STATUS})
    previous: Counter = field(default_factory=Counter)

    def add_group(self, values: tuple, count: int) -> None:
        """Add `count` teachers whose verdicts are `values` (the TOTALLED columns, in order)."""
        self.total += count
        for rule, status in zip(RULE_STATUS, values[:len(STATUS_COLUMNS)], strict=True):
            self.by_rule[rule][status] += count
        for result in values[len(STATUS_COLUMNS):]:
            if result is not None:
                self.previous[result] += count

    @classmethod
    def from_groups(cls, groups: Iterable[tuple]) -> Totals:
        """The totals of GROUP BY rows (the TOTALLED columns, then the count)."""
        totals = cls()
        for *values, count in groups:
            totals.add_group(tuple(values), count)
        return totals

    def counts(self) -> dict[Rule, dict[Code, int]]:
        """{rule: {status: count}} with every status of each rule, zero included, in the vocabulary's order."""
        return {rule: {status: self.by_rule[rule][status] for status in statuses} for rule, statuses in RULE_STATUS.items()}
