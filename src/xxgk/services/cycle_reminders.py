"""催报: the list of a cycle's nodes that have not submitted (or must submit again), as XLSX or
CSV for whatever channel the office uses. Every cell goes through `safecell.neutralise`, since
node names and logins were typed by people and the file is opened in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ..safecell import neutralise
from ..store.cycle_tables import DRAFTING, NOT_STARTED, RETURNED
from .cycle_tree import NO_FILING, NodeFacts

HEADER = ["机构", "上级机构", "类型", "状态", "发布期限", "逾期天数", "经办人员（账号）"]
OUTSTANDING = (NO_FILING, NOT_STARTED, DRAFTING, RETURNED)
SHEET = "催报名单"


def outstanding(nodes: Iterable[NodeFacts]) -> list[NodeFacts]:
    """Nodes still owing a submission, the latest first, then in tree order."""
    owing = [n for n in nodes if n.status in OUTSTANDING]
    return sorted(owing, key=lambda n: -(n.days_late or 0))


def reminder_rows(nodes: Iterable[NodeFacts], names: dict[int, str]) -> list[list]:
    """One row per owing node (HEADER's columns); `names`: org id -> name, for the parent."""
    rows = []
    for n in outstanding(nodes):
        rows.append([
            n.name,
            names.get(n.parent_id, "") if n.parent_id is not None else "",
            n.kind,
            n.status_label,
            n.deadline.isoformat() if n.deadline else "",
            n.days_late or 0,
            "、".join(n.contacts) or "（未设经办人员账号）",
        ])  # fmt: skip
    return rows


def reminders_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # spreadsheet programs recognise UTF-8 by it
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows([neutralise(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


def reminders_xlsx(rows: list[list]) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    for letter, width in zip("ABCDEFG", (30, 24, 12, 10, 12, 10, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
