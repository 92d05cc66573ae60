"""A cycle's accepted filings for download, in the batch layer's forms:

* 汇总.xlsx — the supervisors' workbook of `xxgk batch` (`batch.xlsx.SummaryWorkbook`): one
  row per filing on each table sheet, cells named by an error or warning coloured, and a
  sheet of every finding (the full catalogue, last year's report as the context, as when the
  filing was checked);
* the dataset — `xxgk batch` itself (`batch.run.run_batch`) over the filings' checked JSON and
  the caller's part of the org tree: reports / cells / findings / similar_pairs as Parquet and
  CSV, dataset.duckdb with the indicator views, dataset.md and 汇总.xlsx, zipped; the batch's
  cohort checks (XG901 雷同, XG801/XG903 against the tree) included.

Only accepted and published filings are exported: what the supervisor has passed is what the
office answers for. The scope is the dashboard's (`cycle_dashboard.cycle_nodes`).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from ..batch.orgtree import OrgTree
from ..batch.rows import table_values
from ..batch.xlsx import SummaryWorkbook
from ..check import Context, check_report
from ..model import Report
from ..orgs import COLUMNS
from ..store.cycle_tables import ACCEPTED, PUBLISHED, Cycle
from ..store.tables import User
from .cycle import previous_report
from .cycle_dashboard import CycleNode, cycle_nodes, supervised_cycle, version_report

MARKED = ("error", "warning")


@dataclass
class Accepted:
    cycle: Cycle
    root: str  # the name of the caller's top node in the cycle
    nodes: list[CycleNode]  # every node of the caller's part
    filings: list[tuple[CycleNode, Report]]  # accepted and published, checked

    def tree(self) -> OrgTree:
        names = {n.org.id: n.org.name for n in self.nodes}
        tree = OrgTree()
        for node in self.nodes:
            tree.order.append(node.org.name)
            tree.children.setdefault(node.org.name, [])
            parent = names.get(node.facts.parent_id)
            if parent is not None:
                tree.parent[node.org.name] = parent
                tree.children.setdefault(parent, []).append(node.org.name)
        return tree


def accepted(session: Session, user: User, cycle_id: int, today: date | None = None) -> Accepted:
    cycle = supervised_cycle(session, user, cycle_id)
    root, nodes = cycle_nodes(session, user, cycle, today or date.today())
    done = [
        (n, _checked(session, n))
        for n in nodes
        if n.filing is not None and n.filing.status in (ACCEPTED, PUBLISHED) and n.head is not None
    ]
    return Accepted(cycle, next(n.org.name for n in nodes if n.org.id == root), nodes, done)


def _checked(session: Session, node: CycleNode) -> Report:
    """The filing's report with the findings it had when checked (cycle.checked_report, on
    the kept Report of the frozen version)."""
    report = version_report(node.head)
    check_report(report, Context(previous=previous_report(session, node.filing)))
    return report


def summary_xlsx(session: Session, user: User, cycle_id: int) -> tuple[str, bytes]:
    found = accepted(session, user, cycle_id)
    tree = found.tree()
    book = SummaryWorkbook()
    for node, report in found.filings:
        name, data = node.org.name, report.to_json()
        region = tree.region(name)
        row = {
            "agency": report.meta.agency, "canonical_agency": region.canonical or None,
            "province": region.province, "city": region.city, "county": region.county,
            "year": report.meta.year, "report": name, "format": report.format, **table_values(data),
        }  # fmt: skip
        book.add(row, _marks(report))
        for f in report.findings:
            book.finding(
                report.meta.agency, report.meta.year, name, [f.code, f.severity, f.message, " ".join(f.cells)]
            )
    with tempfile.TemporaryDirectory(prefix="xxgk-cycle-") as tmp:
        path = Path(tmp) / "汇总.xlsx"
        book.save(path)
        content = path.read_bytes()
    return f"{found.cycle.year}年度填报汇总-{found.root}.xlsx", content


def _marks(report: Report) -> dict[str, str]:
    """Cell -> the severity to colour it by (an error wins over a warning)."""
    marks: dict[str, str] = {}
    for f in report.findings:
        if f.severity in MARKED:
            for ref in f.cells:
                if marks.get(ref) != "error":
                    marks[ref] = f.severity
    return marks


def dataset_zip(session: Session, user: User, cycle_id: int) -> tuple[str, bytes]:
    from ..batch.run import BatchOptions, run_batch

    found = accepted(session, user, cycle_id)
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="xxgk-cycle-") as tmp:
        inputs, out = Path(tmp) / f"{found.cycle.year}年度填报", Path(tmp) / "dataset"
        inputs.mkdir()
        for node, report in found.filings:
            text = json.dumps(report.to_json(), ensure_ascii=False)
            (inputs / f"{node.org.name}.json").write_text(text, encoding="utf-8")
        tree = Path(tmp) / "机构树.csv"
        tree.write_text(_tree_csv(found), encoding="utf-8-sig")
        # the inputs are the filings' own checked JSON: no reader to bound, no timer per file
        run_batch(
            [str(inputs)], str(out), BatchOptions(org_tree=str(tree), time_limit=None, names_relative_to=tmp)
        )
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(out.iterdir()):
                if path.is_file():
                    z.write(path, path.name)
    return f"{found.cycle.year}年度填报数据集-{found.root}.zip", buffer.getvalue()


def _tree_csv(found: Accepted) -> str:
    names = {n.org.id: n.org.name for n in found.nodes}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for n in found.nodes:
        writer.writerow([n.org.name, n.org.kind, n.org.level, names.get(n.facts.parent_id, "")])
    return out.getvalue()
