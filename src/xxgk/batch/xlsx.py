"""汇总.xlsx for supervisors: for each national format in the dataset (2021, and 2019 for older
reports, whose tables have other rows) one sheet per table (official row order, Chinese
headers in two rows: the row, then the column), one row per report (agency and year first),
cells named by an error finding filled red, by a warning orange; reports of no national
format (before 2019, or not recognised) listed on a sheet of their own, saying why their
numbers are not shown; a sheet of all findings. Sheets that would have no reports are left out.

Streamed row by row (`xlsxstream`), so memory does not grow with the number of reports.
"""

from __future__ import annotations

from pathlib import Path

from ..formats import FORMAT_2019, FORMAT_2021
from .columns import TABLE_NAMES
from .xlsxstream import BOLD, ORANGE, RED, StreamingWorkbook

FILLS = {"error": RED, "warning": ORANGE}
LEAD = ("机关", "规范化名称", "地区", "年度", "文件")
FINDING_HEADERS = ("机关", "年度", "文件", "规则", "级别", "问题说明", "涉及单元格")
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
SHEET_SUFFIX = {"2021": "", "2019": "（2019 年格式）"}
OTHER_SHEET = "未列入表格的报告"
OTHER_HEADERS = (*LEAD, "格式", "说明")
OTHER_REASONS = {
    "pre2019": "2019 年以前的报告格式没有全国统一的表格，数字未列入本工作簿",
    None: "未能识别报告的格式（表格缺失或无法读出），数字未列入本工作簿",
}


def _bold(values) -> dict[int, int]:
    return dict.fromkeys(range(len(values)), BOLD)


class SummaryWorkbook:
    def __init__(self):
        self.book = StreamingWorkbook()
        self.sheets: dict[str, list] = {}  # format id -> [(sheet, refs)] of its tables
        self.used: set[int] = set()  # ids of the sheets a report was written on
        for spec in (FORMAT_2021, FORMAT_2019):
            self.sheets[spec.id] = [self._table_sheet(table, SHEET_SUFFIX[spec.id]) for table in spec.tables]
        self.other = self.book.add_sheet(OTHER_SHEET)
        self.other.append(list(OTHER_HEADERS), _bold(OTHER_HEADERS))
        self.findings = self.book.add_sheet("问题清单")
        self.findings.append(list(FINDING_HEADERS), _bold(FINDING_HEADERS))

    def _table_sheet(self, table, suffix: str):
        sheet = self.book.add_sheet(TABLE_NAMES[table.key] + suffix)
        first = [*LEAD[:-1], "", *[r.name for r in table.rows for _ in r.fields]]
        second = [*LEAD, *[f.name for r in table.rows for f in r.fields]]
        sheet.append(first, _bold(first))
        sheet.append(second, _bold(second))
        return sheet, table.refs()

    def add(self, row: dict, marks: dict[str, str]) -> None:
        """One report's row on each table sheet of its format; `marks`: cell -> severity to
        colour it by."""
        region = "／".join(dict.fromkeys(p for p in (row["province"], row["city"], row["county"]) if p))
        lead = [row["agency"], row["canonical_agency"], region, row["year"], row["report"]]
        sheets = self.sheets.get(row["format"])
        if sheets is None:
            reason = OTHER_REASONS.get(row["format"], OTHER_REASONS[None])
            self.other.append([*lead, row["format"], reason])
            self.used.add(id(self.other))
            return
        for sheet, refs in sheets:
            styles = {len(lead) + i: FILLS[marks[ref]] for i, ref in enumerate(refs) if ref in marks}
            sheet.append([*lead, *(row.get(ref) for ref in refs)], styles)
            self.used.add(id(sheet))

    def finding(self, agency: str | None, year: int | None, file: str, f: list) -> None:
        """One finding ([code, severity, message, cells, location]) on the findings sheet."""
        severity = SEVERITY_NAMES.get(f[1], f[1])
        self.findings.append([agency, year, file, f[0], severity, f[2], f[3]])

    def save(self, path: Path) -> None:
        """The workbook without the sheets no report was written on (beyond the headers);
        the 2021 tables and the findings are always there."""
        optional = [sheet for sheet, _refs in self.sheets["2019"]] + [self.other]
        self.book.save(path, skip=[s for s in optional if id(s) not in self.used])
