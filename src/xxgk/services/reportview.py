"""What the report page shows, computed once here so the template only lays it out: the
three tables as rows of grid cells (render/layout.py's grid) with every cell a finding names
marked by the finding's severity, low-confidence cells marked, the findings grouped by
section with their cells, source places and reviews."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from sqlalchemy.orm import Session

from ..check import RULES, SEVERITY_ORDER
from ..check.text import finding_section
from ..jobs.complete import place_label, source_anchor
from ..model import LOW, Finding, Report
from ..render.layout import GridCell, report_sections, report_title, table_grid, value_text
from ..store.tables import StoredReport, User
from .reports import DECISIONS, current_reviews, finding_key, report_model
from .scope import may_write, report_for_read

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
WHOLE_REPORT = "整份报告"


@dataclass
class CellView:
    cell: GridCell
    text: str
    anchor: str | None = None
    mark: str | None = None  # error | warning | info | dismissed
    low: bool = False
    notes: list[str] = field(default_factory=list)  # shown on hover / focus
    finding_keys: list[str] = field(default_factory=list)


@dataclass
class TableView:
    key: str
    title: str
    rows: list[list[CellView]]


@dataclass
class FindingView:
    key: str
    code: str
    name: str
    severity: str
    severity_label: str
    message: str
    hint: str | None
    cells: list[tuple[str, str]]  # (anchor, Chinese cell name)
    source: tuple[str, str] | None  # (anchor, 第 n 行)
    decision: str | None = None  # confirmed | dismissed
    decision_label: str | None = None
    reason: str | None = None
    reviewer: str | None = None
    reviewed_at: str | None = None


@dataclass
class ReportPage:
    stored: StoredReport
    report: Report | None
    title: str
    sections: list[tuple[str, list[TableView]]]
    groups: list[tuple[str, list[FindingView]]]
    counts: dict[str, int]
    low_cells: int
    can_write: bool


def cell_anchor(ref: str) -> str:
    return "cell-" + ref.replace("/", "-")


def report_page(session: Session, user: User, report_id: int) -> ReportPage:
    stored = report_for_read(session, user, report_id)
    report = report_model(stored)
    can_write = may_write(user, stored.org_id)
    if report is None:
        return ReportPage(stored, None, stored.filename, [], [], {}, 0, can_write)
    reviews = current_reviews(session, stored.id)
    findings = [finding_view(report, f, reviews) for f in report.findings]
    by_ref = _findings_by_ref(report, findings)
    sections = [
        (heading, [_table_view(report, t.key, t.title, by_ref) for t in tables])
        for _, heading, tables in report_sections(report)
        if tables
    ]
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITY_LABELS}
    counts["dismissed"] = sum(f.decision == "dismissed" for f in findings)
    low = sum(c.confidence == LOW for c in report.cells.values())
    return ReportPage(
        stored, report, report_title(report), sections, grouped_findings(report, findings), counts, low, can_write
    )


def finding_view(report: Report, f: Finding, reviews: dict) -> FindingView:
    spec, key = report.spec, finding_key(f)
    cells = [
        (cell_anchor(ref), spec.describe(ref) if spec and ref in spec.fields_by_ref else ref)
        for ref in f.cells
    ]
    where = f.where or (report.cells[f.cells[0]].where if f.cells and f.cells[0] in report.cells else None)
    anchor = source_anchor(where)
    rule = RULES.get(f.code)
    view = FindingView(
        key,
        f.code,
        rule.name if rule else "",
        f.severity,
        SEVERITY_LABELS.get(f.severity, ""),
        f.message,
        f.hint,
        cells,
        (anchor, place_label(where)) if anchor else None,
    )
    if key in reviews:
        review, login = reviews[key]
        view.decision, view.decision_label = review.decision, DECISIONS[review.decision]
        view.reason, view.reviewer = review.reason, login
        view.reviewed_at = review.at.astimezone().strftime("%Y-%m-%d %H:%M")
    return view


def _findings_by_ref(report: Report, findings: list[FindingView]) -> dict[str, list[FindingView]]:
    out: dict[str, list[FindingView]] = {}
    for f, view in zip(report.findings, findings, strict=True):
        for ref in f.cells:
            out.setdefault(ref, []).append(view)
    return out


def _table_view(report: Report, key: str, title: str, by_ref: dict[str, list[FindingView]]) -> TableView:
    cells = table_grid(report.spec, key)
    rows = []
    for _, row_cells in groupby(cells, key=lambda c: c.row):
        rows.append([_cell_view(report, c, by_ref) for c in row_cells])
    return TableView(key, title, rows)


def _cell_view(report: Report, cell: GridCell, by_ref: dict[str, list[FindingView]]) -> CellView:
    if cell.ref is None:
        return CellView(cell, cell.text)
    view = CellView(cell, value_text(report, cell.ref), anchor=cell_anchor(cell.ref))
    stored = report.cells.get(cell.ref)
    if stored is not None and stored.confidence == LOW:
        view.low = True
        view.notes.append("低置信度：读取时对此单元格的位置或数值不确定，请核对原文")
    found = by_ref.get(cell.ref, [])
    view.finding_keys = [f.key for f in found]
    view.notes += [
        f"{f.code} {f.severity_label}：{f.message}" + ("（已不予采纳）" if f.decision == "dismissed" else "")
        for f in found
    ]
    active = [f for f in found if f.decision != "dismissed"]
    if active:
        view.mark = min((f.severity for f in active), key=lambda s: SEVERITY_ORDER.get(s, 9))
    elif found:
        view.mark = "dismissed"
    return view


def grouped_findings(report: Report, findings: list[FindingView]) -> list[tuple[str, list[FindingView]]]:
    keyed = []
    for f, view in zip(report.findings, findings, strict=True):
        section = finding_section(report, f)
        keyed.append((section or "0", SEVERITY_ORDER.get(view.severity, 9), view))
    keyed.sort(key=lambda item: (item[0], item[1]))
    labels = {str(number): heading for number, heading, _ in report_sections(report)}
    return [
        (labels.get(section, WHOLE_REPORT), [v for _, _, v in items])
        for section, items in ((s, list(g)) for s, g in groupby(keyed, key=lambda i: i[0]))
    ]


def source_view(stored: StoredReport) -> list[tuple[str | None, str, str]]:
    """(anchor on its first line only, place, text) for each line of the source."""
    seen: set[str] = set()
    out = []
    for anchor, place, text in stored.source_lines or []:
        first = anchor if anchor and anchor not in seen else None
        if anchor:
            seen.add(anchor)
        out.append((first, place, text))
    return out
