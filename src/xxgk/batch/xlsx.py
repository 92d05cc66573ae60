"""汇总.xlsx for supervisors: one sheet per table of the 2021 format (official row order, Chinese
headers in two rows: the row, then the column), one row per report (agency and year first),
cells named by an error finding filled red, by a warning orange; a sheet of all findings.

Streamed row by row (`xlsxstream`), so memory does not grow with the number of reports.
"""

from __future__ import annotations

from pathlib import Path

from ..formats import FORMAT_2021
from .columns import TABLE_NAMES
from .xlsxstream import BOLD, ORANGE, RED, StreamingWorkbook

FILLS = {"error": RED, "warning": ORANGE}
LEAD = ("机关", "规范化名称", "地区", "年度", "文件")
FINDING_HEADERS = ("机关", "年度", "文件", "规则", "级别", "问题说明", "涉及单元格")
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


def _bold(values) -> dict[int, int]:
    return dict.fromkeys(range(len(values)), BOLD)


class SummaryWorkbook:
    def __init__(self):
        self.book = StreamingWorkbook()
        self.sheets = {}
        for table in FORMAT_2021.tables:
            sheet = self.book.add_sheet(TABLE_NAMES[table.key])
            first = [*LEAD[:-1], "", *[r.name for r in table.rows for _ in r.fields]]
            second = [*LEAD, *[f.name for r in table.rows for f in r.fields]]
            sheet.append(first, _bold(first))
            sheet.append(second, _bold(second))
            self.sheets[table.key] = (sheet, table.refs())
        self.findings = self.book.add_sheet("问题清单")
        self.findings.append(list(FINDING_HEADERS), _bold(FINDING_HEADERS))

    def add(self, row: dict, marks: dict[str, str]) -> None:
        """One report's row on each table sheet; `marks`: cell -> severity to colour it by."""
        region = "／".join(dict.fromkeys(p for p in (row["province"], row["city"], row["county"]) if p))
        lead = [row["agency"], row["canonical_agency"], region, row["year"], row["report"]]
        for sheet, refs in self.sheets.values():
            styles = {len(lead) + i: FILLS[marks[ref]] for i, ref in enumerate(refs) if ref in marks}
            sheet.append([*lead, *(row.get(ref) for ref in refs)], styles)

    def finding(self, entry, file: str, f: list) -> None:
        """One finding ([code, severity, message, cells, location]) on the findings sheet."""
        severity = SEVERITY_NAMES.get(f[1], f[1])
        self.findings.append([entry.agency, entry.year, file, f[0], severity, f[2], f[3]])

    def save(self, path: Path) -> None:
        self.book.save(path)
