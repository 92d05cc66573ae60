"""What the filing pages show, computed here so the templates only lay it out: the three
tables in the official layout (the report page's grid and table macro), as inputs on the
clerk's form with each cell's marks and messages, or as printed values on the review page;
the text as blocks (a clerk's lines, or a generated paragraph); findings, warning notes,
comments and last year's key numbers. Also the way back: a posted form to content."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import Any

from markupsafe import Markup, escape

from ..errors import XxgkError
from ..formats import get_format
from ..model import Report, number_text
from ..render.layout import report_sections, table_grid
from ..source import GENERATORS, FeeFigures
from ..source.starter import PREAMBLE_KEY
from ..source.yamlwrite import MARK, TEXT
from ..store.cycle_tables import FilingComment, FilingVersion, WarningNote
from .cycle_content import cell_problems, cell_value, set_cells, total_parts
from .reports import finding_key
from .reportview import CellView, FindingView, TableView, cell_anchor, finding_view, grouped_findings

PARTS = (PREAMBLE_KEY, "1", "2", "3", "4", "5", "6")
SPEC = get_format("2021")
# Last year's comparison: the 总计 column of 表三 and the totals of 表四.
COMPARED = [f"applications/{row.key}/total" for row in SPEC.table("applications").rows] + [
    f"reviews/{row.key}/total" for row in SPEC.table("reviews").rows
]


@dataclass
class Block:
    kind: str  # text | generated
    text: str
    name: str | None = None  # the generator of a generated paragraph


@dataclass
class Live:
    """What changes as the clerk types: each cell's mark and message, the findings."""

    marks: dict[str, tuple[str | None, list[str]]]  # anchor -> (mark, messages)
    groups: list[tuple[str, list[FindingView]]]
    counts: dict[str, int]
    generated: dict[str, str]  # block id -> paragraph
    totals: dict[str, str]  # finding key -> the total cell a "fill from parts" button sets


@dataclass
class FilingView:
    sections: list[tuple[str, str, list[TableView]]]  # (section key, heading, tables)
    blocks: dict[str, list[Block]]
    meta: dict[str, Any]
    live: Live
    comments_by_target: dict[str, list[str]] = field(default_factory=dict)


# ---------------------------------------------------------------- content -> blocks


def blocks_of(items: list[Any]) -> list[Block]:
    """A clerk's consecutive lines as one text block; an empty text block around each
    generated paragraph, so text can be written before and after it."""
    blocks: list[Block] = []
    for item in items or []:
        if isinstance(item, dict):
            if not blocks or blocks[-1].kind != "text":
                blocks.append(Block("text", ""))
            blocks.append(Block("generated", item.get(TEXT) or "", item.get(MARK)))
        elif blocks and blocks[-1].kind == "text":
            blocks[-1].text = f"{blocks[-1].text}\n{item}" if blocks[-1].text else item
        else:
            blocks.append(Block("text", item))
    if not blocks or blocks[-1].kind != "text":
        blocks.append(Block("text", ""))
    return blocks


def part_items(content: dict[str, Any], part: str) -> list[Any]:
    return content.get("preamble") if part == PREAMBLE_KEY else (content.get("sections") or {}).get(part)


def generated_texts(report: Report, content: dict[str, Any]) -> dict[str, str]:
    """block id -> the paragraph its generator writes from the current numbers and meta."""
    meta = content.get("meta") or {}
    fee = meta.get("processing_fee") or {}
    figures = FeeFigures(int(fee.get("notices") or 0), Decimal(str(fee.get("yuan") or 0)))
    contact = meta.get("contact") or {}
    out = {}
    for part in PARTS:
        for index, block in enumerate(blocks_of(part_items(content, part))):
            if block.kind == "generated" and block.name in GENERATORS:
                out[f"gen-{part}-{index}"] = GENERATORS[block.name].text(report, figures, contact)
    return out


# ---------------------------------------------------------------- form -> content


def content_from_form(base: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """The content the clerk's form describes, on top of the head version's (so keys the
    form does not show are kept)."""
    content = copy.deepcopy(base)
    meta = content.setdefault("meta", {})
    contact = meta.get("contact") or {}
    for key in ("address", "phone", "email"):
        if f"meta:{key}" in form:
            contact[key] = form[f"meta:{key}"].strip() or None
    meta["contact"] = contact
    fee = meta.get("processing_fee") or {}
    for key in ("notices", "yuan"):
        if f"fee:{key}" in form:
            fee[key] = form[f"fee:{key}"].strip() or 0
    meta["processing_fee"] = fee
    for part in PARTS:
        if f"blocks:{part}" in form:
            _set_part(content, part, _items_from_form(form, part))
    typed = {key[5:]: value for key, value in form.items() if key.startswith("cell:")}
    return set_cells(content, {ref: value for ref, value in typed.items() if ref in SPEC.fields_by_ref})


def _set_part(content: dict[str, Any], part: str, items: list[Any]) -> None:
    if part == PREAMBLE_KEY:
        content["preamble"] = items
    else:
        content.setdefault("sections", {})[part] = items


def _items_from_form(form: dict[str, str], part: str) -> list[Any]:
    count = int(form.get(f"blocks:{part}", "0") or 0)
    items: list[Any] = []
    for index in range(min(count, 500)):
        name = form.get(f"gen:{part}:{index}")
        if name is not None:
            text = form.get(f"gentext:{part}:{index}", "")
            items.append(text if form.get(f"own:{part}:{index}") else {TEXT: text, MARK: name})
            continue
        raw = form.get(f"text:{part}:{index}", "")
        items += [line.rstrip() for line in raw.replace("\r\n", "\n").split("\n") if line.strip()]
    return items


# ---------------------------------------------------------------- the views


def live_view(report: Report, content: dict[str, Any], notes: dict[str, WarningNote]) -> Live:
    findings = [_noted(finding_view(report, f, {}), notes) for f in report.findings]
    marks: dict[str, tuple[str | None, list[str]]] = {}
    for ref in SPEC.refs():
        marks[cell_anchor(ref)] = (None, [])
    for ref, problem in cell_problems(content).items():
        marks[cell_anchor(ref)] = ("error", [problem])
    for f, view in zip(report.findings, findings, strict=True):
        for ref in f.cells:
            mark, messages = marks.get(cell_anchor(ref), (None, []))
            messages.append(f"{f.code} {view.severity_label}：{f.message}")
            marks[cell_anchor(ref)] = (mark if mark == "error" else _worse(mark, f.severity), messages)
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    return Live(
        marks, grouped_findings(report, findings), counts, generated_texts(report, content), fillable_totals(report)
    )


def _worse(mark: str | None, severity: str) -> str:
    order = {"error": 0, "warning": 1, "info": 2}
    return severity if mark is None or order[severity] < order.get(mark, 9) else mark


def _noted(view: FindingView, notes: dict[str, WarningNote]) -> FindingView:
    note = notes.get(view.key)
    if note is not None:
        view.decision = "confirmed" if note.decision == "confirmed" else "dismissed"
        view.decision_label = "确认无误" if note.decision == "confirmed" else "已说明"
        view.reason = note.text
    return view


def form_view(
    report: Report, version: FilingVersion, notes, comments: list[FilingComment], editable: bool
) -> FilingView:
    """The filing as the clerk's form (`editable`) or as the printed report with marks."""
    content = version.content
    live = live_view(report, content, notes)
    by_target: dict[str, list[str]] = {}
    for comment in comments:
        by_target.setdefault(comment.target, []).append(comment.text)
    cells = _Cells(content, live, set(version.unconfirmed) if editable else set(), by_target, editable)
    sections = [
        (str(number), heading, [cells.table(t.key, t.title) for t in tables])
        for number, heading, tables in report_sections(report)
    ]
    blocks = {part: blocks_of(part_items(content, part)) for part in PARTS}
    return FilingView(sections, blocks, content.get("meta") or {}, live, by_target)


def fillable_totals(report: Report) -> dict[str, str]:
    """finding key -> the total cell a "fill from parts" button may set, for the findings of
    a total that is not the sum of its parts."""
    out = {}
    for f in report.findings:
        for ref in f.cells:
            parts = total_parts(ref)
            if parts and tuple(r for r in f.cells if r != ref) == parts:
                out[finding_key(f)] = ref
    return out


@dataclass
class _Cells:
    content: dict[str, Any]
    live: Live
    low: set[str]
    comments: dict[str, list[str]]
    editable: bool

    def table(self, key: str, title: str) -> TableView:
        rows = [
            [self.cell(c) for c in cells] for _, cells in groupby(table_grid(SPEC, key), key=lambda c: c.row)
        ]
        return TableView(key, title, rows)

    def cell(self, cell) -> CellView:
        if cell.ref is None:
            return CellView(cell, cell.text)
        anchor = cell_anchor(cell.ref)
        value = cell_value(self.content, cell.ref)
        shown = "" if value is None else value if isinstance(value, str) else number_text(value)
        mark, messages = self.live.marks.get(anchor, (None, []))
        said = self.comments.get(cell.ref, [])
        if self.editable:
            html = Markup('<input class="cell" name="cell:{}" value="{}" aria-label="{}">').format(
                cell.ref, shown, SPEC.describe(cell.ref)
            )
        else:
            html = escape(shown)
        if cell.ref in self.low:
            html += Markup(
                '<button class="confirm" type="submit" name="action" value="confirm:{}"'
                ' title="读取时不确定，请核对原文后确认">确认</button>'
            ).format(cell.ref)
        html += note_html(anchor, mark, messages)
        if said:
            html += Markup('<span class="comment">审核意见：{}</span>').format("；".join(said))
        view = CellView(cell, html, anchor=anchor, low=cell.ref in self.low, notes=messages + said)
        view.mark = "commented" if said else None if self.editable else mark
        return view


def grid_refs(table_key: str) -> list[list[str]]:
    """The value cells of a table in the official layout, by printed row (for pasting)."""
    if table_key not in ("active", "applications", "reviews"):
        raise XxgkError("没有这张表")
    rows = groupby(table_grid(SPEC, table_key), key=lambda c: c.row)
    return [refs for _, cells in rows if (refs := [c.ref for c in cells if c.ref])]


def note_html(anchor: str, mark: str | None, messages: list[str], oob: bool = False) -> Markup:
    """The per-cell note the live check replaces (out of band) after every change."""
    css = f"note mark-{mark}" if mark else "note"
    swap = Markup(' hx-swap-oob="true"') if oob else ""
    return Markup('<span id="note-{}" class="{}"{}>{}</span>').format(anchor, css, swap, "\n".join(messages))


def compared(report: Report, previous: Report | None) -> list[tuple[str, str, str, str]]:
    """(cell name, this year, last year, change) for the headline cells."""
    out = []
    for ref in COMPARED:
        now, before = report.value(ref), previous.value(ref) if previous else None
        change = "" if now is None or before is None else f"{now - before:+}"
        out.append((SPEC.describe(ref), _text(now), _text(before), change))
    return out


def _text(value) -> str:
    return "" if value is None else number_text(value)


def escape_lines(text: str) -> Markup:
    return Markup("<br>").join(escape(line) for line in text.split("\n"))
