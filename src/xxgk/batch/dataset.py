"""Writing the dataset directory as records stream in, and finishing it after the cohort checks.

Files: reports / cells / findings / failures / similar_pairs as Parquet and CSV (UTF-8 with
BOM), 汇总.xlsx, dataset.duckdb (the tables plus the indicator views) and dataset.md (the
data dictionary). Records arrive in file order (the executors keep it), so two runs over the
same inputs write the same rows in the same order. The reports table is staged while streaming
and written at the end, when the cohort's findings (counted per report) are known; the cohort's
findings follow the reports' own in findings.*.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .cohort import CohortResult
from .columns import CELLS, FAILURES, FINDINGS, PAIRS, TEXT, Column, report_columns
from .index import Entry, Index, IndexWriter
from .rows import cells_batch, finding_row
from .writers import TableWriter, stage_batches
from .xlsx import SummaryWorkbook

STAGE = "reports.stage"
SEVERITY_COLUMN = {"error": "errors", "warning": "warnings", "info": "infos"}
MARKED = ("error", "warning")
# Parquet row groups of the deferred tables, in rows: bigger groups keep less metadata while the
# file is written (some 870 bytes a column and group) and hold more rows in memory at once (cells
# some 220 bytes a row, findings 400, a reports row ~250 columns). The reports' stage is kept for
# the database build, which reads it rather than the Parquet file (database.py).
CELLS_GROUP = 60_000
FINDINGS_GROUP = 20_000
REPORTS_GROUP = 10_000
MARKS = Column("_marks", TEXT, "")  # staged only: "ref=severity …" of the report's own findings


class DatasetWriter:
    def __init__(self, root: Path):
        self.root = root
        # a wide row holds some 600 Python values: fewer of them per group
        self.stage = TableWriter(root, STAGE, [*report_columns(), MARKS], csv=False, group=500, stage=True)
        # the tables that grow with the reports: their Parquet written at the end (writers.py)
        self.cells = TableWriter(root, "cells", CELLS, group=20_000, deferred=CELLS_GROUP)
        self.findings = TableWriter(root, "findings", FINDINGS, deferred=FINDINGS_GROUP)
        self.failures = TableWriter(root, "failures", FAILURES)
        self.index = IndexWriter(root)
        self.pairs = PairsWriter(root)
        self.workbook = SummaryWorkbook()

    def failure(self, record: dict) -> None:
        self.failures.add((record["file"], record["sha256"], record["error"]))

    def report(self, record: dict, entry: Entry) -> None:
        file, rows, data = record["file"], record["rows"], record["report"]
        self.cells.add_batch(cells_batch(file, data.get("format"), rows["cells"]))
        marks: dict[str, str] = {}
        for f in rows["findings"]:
            self.findings.add(finding_row(file, f, "report"))
            self.workbook.finding(entry.agency, entry.year, file, f)
            if f[1] in MARKED:
                _mark(marks, f[3].split(), f[1])
        counts = Counter(f[1] for f in rows["findings"])
        meta = data["meta"]
        region = entry.region
        self.stage.add((
            file, record["sha256"], record.get("medium"), meta.get("agency"), region.canonical or None,
            region.province, region.city, region.county, region.status, entry.node, meta.get("year"),
            data.get("format"), meta.get("title"), meta.get("publish_date"), record.get("deadline"),
            record.get("days_late"), None, counts["error"], counts["warning"], counts["info"], *rows["values"],
            " ".join(f"{ref}={severity}" for ref, severity in marks.items()),
        ))  # fmt: skip
        self.index.add(entry)

    def finish(self, index: Index, result: CohortResult) -> int:
        """Write the rest of the dataset; returns the number of failures."""
        self.stage.close()
        self._reports(result, index)
        index.remove()
        for writer in (self.cells, self.findings, self.failures, self.pairs):
            writer.close()
        self.workbook.save(self.root / "汇总.xlsx")
        from .database import build_database
        from .dictionary import write_dictionary

        build_database(self.root)
        write_dictionary(self.root / "dataset.md")
        return self.failures.count

    def _reports(self, result: CohortResult, index: Index) -> None:
        """The final reports table (the staged rows with the cohort's counts and pairing), its
        rows on 汇总.xlsx, and the cohort's findings after the reports' own."""
        final = TableWriter(self.root, "reports", report_columns(), deferred=REPORTS_GROUP, keep_stage=True)
        stage = self.stage.path
        found = _Lookahead(result.findings.ordered())  # by ordinal, as the rows come
        ordinal = 0
        for batch in stage_batches(stage):
            rows = batch.to_pylist()
            previous = index.files(result.previous_of(ordinal, len(rows)))  # named by their ordinals
            for row, partner in zip(rows, previous, strict=True):
                row["previous_report"] = partner
                self._report_row(row, found.take(ordinal))
                ordinal += 1
            final.add_batch(_final_batch(batch, rows, final.schema))
        final.close()
        stage.unlink()

    def _report_row(self, row: dict, findings: list) -> None:
        """One staged row: its cohort findings written and counted, its pairing, its sheet rows."""
        marks = _marks(row[MARKS.name])
        for f in findings:
            row[SEVERITY_COLUMN[f.severity]] += 1
            found = [f.code, f.severity, f.message, " ".join(f.cells), None]
            self.findings.add(finding_row(row["report"], found, "cohort"))
            self.workbook.finding(row["agency"], row["year"], row["report"], found)
            if f.severity in MARKED:
                _mark(marks, f.cells, f.severity)
        self.workbook.add(row, marks)


class _Lookahead:
    """The findings of ordinals asked for in increasing order, from (ordinal, findings) pairs."""

    def __init__(self, pairs):
        self.pairs = iter(pairs)
        self.next = next(self.pairs, None)

    def take(self, ordinal: int) -> list:
        if self.next is None or self.next[0] != ordinal:
            return []
        found = self.next[1]
        self.next = next(self.pairs, None)
        return found


def _final_batch(batch, rows: list[dict], schema):
    """The staged batch with the columns the cohort changed taken from `rows`, without the marks."""
    import pyarrow as pa

    changed = {*SEVERITY_COLUMN.values(), "previous_report"}
    columns = [
        pa.array([r[name] for r in rows], schema.field(name).type) if name in changed else batch.column(name)
        for name in schema.names
    ]
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def _mark(marks: dict[str, str], refs, severity: str) -> None:
    """An error colours a cell red whatever else was said about it; a warning, orange."""
    for ref in refs:
        if marks.get(ref) != "error":
            marks[ref] = severity


def _marks(text: str | None) -> dict[str, str]:
    return dict(item.split("=", 1) for item in (text or "").split())


class PairsWriter:
    """similar_pairs.*, written year by year as the cohort confirms the pairs (`PairSink`), not
    kept; the groups are numbered across the years."""

    def __init__(self, root: Path):
        self.writer = TableWriter(root, "similar_pairs", PAIRS)
        self.groups = 0

    def add(self, pairs: list, groups: list[list[str]]) -> None:
        group_of = {file: self.groups + i + 1 for i, group in enumerate(groups) for file in group}
        self.groups += len(groups)
        for pair, a, b in pairs:
            self.writer.add((a.year, pair.a, pair.b, a.agency, b.agency, pair.similarity,
                             "／".join(pair.passages), group_of.get(pair.a)))  # fmt: skip

    def close(self) -> None:
        self.writer.close()
