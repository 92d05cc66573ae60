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

from .cohort import CohortResult, Entry
from .columns import CELLS, FAILURES, FINDINGS, PAIRS, REPORT_META, report_columns
from .rows import LABELS, finding_row
from .writers import TableWriter
from .xlsx import SummaryWorkbook

STAGE = "reports.stage"
COUNTED = ("errors", "warnings", "infos")
SEVERITY_COLUMN = {"error": "errors", "warning": "warnings", "info": "infos"}
MARKED = ("error", "warning")


class DatasetWriter:
    def __init__(self, root: Path):
        self.root = root
        self.stage = TableWriter(root, STAGE, report_columns(), csv=False)
        self.cells = TableWriter(root, "cells", CELLS)
        self.findings = TableWriter(root, "findings", FINDINGS)
        self.failures = TableWriter(root, "failures", FAILURES)
        self.workbook = SummaryWorkbook()
        self.marks: dict[str, dict[str, str]] = {}  # file -> cell -> severity of its own findings
        self.meta_names = [c.name for c in REPORT_META]

    def failure(self, record: dict) -> None:
        self.failures.add((record["file"], record["sha256"], record["error"]))

    def report(self, record: dict, entry: Entry) -> None:
        file, rows, data = record["file"], record["rows"], record["report"]
        for key, *rest in rows["cells"]:
            self.cells.add((file, key, LABELS[key], *rest))
        for f in rows["findings"]:
            self.findings.add(finding_row(file, f, "report"))
            self.workbook.finding(entry, file, f)
            if f[1] in MARKED and f[3]:
                marks = self.marks.setdefault(file, {})
                for ref in f[3].split():
                    if marks.get(ref) != "error":
                        marks[ref] = f[1]
        counts = Counter(f[1] for f in rows["findings"])
        meta = data["meta"]
        region = entry.region
        self.stage.add((
            file, record["sha256"], record.get("medium"), meta.get("agency"), region.canonical or None,
            region.province, region.city, region.county, region.status, entry.node, meta.get("year"),
            data.get("format"), meta.get("title"), meta.get("publish_date"), record.get("deadline"),
            record.get("days_late"), None, counts["error"], counts["warning"], counts["info"], *rows["values"],
        ))  # fmt: skip

    def finish(self, entries: list[Entry], result: CohortResult) -> int:
        """Write the rest of the dataset; returns the number of failures."""
        by_file = {e.file: e for e in entries if not e.context}
        for file, found in result.findings.items():
            for f in found:
                row = [f.code, f.severity, f.message, " ".join(f.cells), None]
                self.findings.add(finding_row(file, row, "cohort"))
                self.workbook.finding(by_file[file], file, row)
        self.stage.close()
        self._reports(result)
        _write_pairs(self.root, result, by_file)
        for writer in (self.cells, self.findings, self.failures):
            writer.close()
        self.workbook.save(self.root / "汇总.xlsx")
        from .database import build_database
        from .dictionary import write_dictionary

        build_database(self.root)
        write_dictionary(self.root / "dataset.md")
        return self.failures.count

    def _reports(self, result: CohortResult) -> None:
        import pyarrow.parquet as pq

        final = TableWriter(self.root, "reports", report_columns())
        names = final.schema.names
        stage = self.root / f"{STAGE}.parquet"
        for batch in pq.ParquetFile(stage).iter_batches(batch_size=2000):
            for row in batch.to_pylist():
                file = row["report"]
                cohort = result.findings.get(file, [])
                for f in cohort:
                    row[SEVERITY_COLUMN[f.severity]] += 1
                row["previous_report"] = result.previous.get(file)
                final.add(tuple(row[n] for n in names))
                self.workbook.add(row, self._marks(file, cohort))
        final.close()
        stage.unlink()

    def _marks(self, file: str, cohort: list) -> dict[str, str]:
        marks = dict(self.marks.get(file, {}))
        for f in cohort:
            if f.severity in MARKED:
                for ref in f.cells:
                    if marks.get(ref) != "error":
                        marks[ref] = f.severity
        return marks


def _write_pairs(root: Path, result: CohortResult, by_file: dict[str, Entry]) -> None:
    group_of = {file: i + 1 for i, group in enumerate(result.groups) for file in group}
    writer = TableWriter(root, "similar_pairs", PAIRS)
    for pair in result.pairs:
        a, b = by_file[pair.a], by_file[pair.b]
        writer.add((a.year, pair.a, pair.b, a.agency, b.agency, pair.similarity, "／".join(pair.passages),
                    group_of.get(pair.a)))  # fmt: skip
    writer.close()
