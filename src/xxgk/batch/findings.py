"""The cohort's findings, by the ordinal of the report they concern, until the reports table is
written in ordinal order (dataset.py). The checks find them year by year and rule by rule, not
in that order: `SpilledFindings` writes them to the index's SQLite file (a table ordered by
ordinal, then arrival) and reads them back in order, so the parent keeps none of them;
`MemoryFindings` keeps them in a dict (what the batch did before, and the reference the spilled
ones are tested against).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator

from ..model import Finding
from .index import INSERT_BATCH, insert_rows


class MemoryFindings:
    def __init__(self) -> None:
        self.by_ordinal: dict[int, list[Finding]] = defaultdict(list)

    def add(self, ordinal: int, finding: Finding) -> None:
        self.by_ordinal[ordinal].append(finding)

    def extend(self, ordinal: int, findings: list[Finding]) -> None:
        for f in findings:
            self.add(ordinal, f)

    def ordered(self) -> Iterator[tuple[int, list[Finding]]]:
        """(ordinal, its findings in the order found), by ordinal."""
        for ordinal in sorted(self.by_ordinal):
            yield ordinal, self.by_ordinal[ordinal]


class SpilledFindings(MemoryFindings):
    """On disk: (ordinal, arrival) is the table's key, so SQLite keeps them in that order and
    memory holds one batch of inserts."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db, self.rows, self.count = db, [], 0
        db.execute("DROP TABLE IF EXISTS findings")
        db.execute(
            "CREATE TABLE findings (ordinal INTEGER, arrival INTEGER, finding TEXT,"
            " PRIMARY KEY (ordinal, arrival)) WITHOUT ROWID"
        )

    def add(self, ordinal: int, finding: Finding) -> None:
        self.rows.append((ordinal, self.count, json.dumps(finding.to_json(), ensure_ascii=False)))
        self.count += 1
        if len(self.rows) >= INSERT_BATCH:
            self._flush()

    def _flush(self) -> None:
        insert_rows(self.db, "findings", self.rows)
        self.rows = []

    def ordered(self) -> Iterator[tuple[int, list[Finding]]]:
        self._flush()
        sql = "SELECT ordinal, finding FROM findings ORDER BY ordinal, arrival"
        current, found = None, []
        for ordinal, finding in self.db.execute(sql):
            if ordinal != current and found:
                yield current, found
                found = []
            current = ordinal
            found.append(Finding.from_json(json.loads(finding)))
        if found:
            yield current, found
