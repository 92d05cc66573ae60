"""Findings as CSV, one row per finding, for supervisors' spreadsheets (text that a spreadsheet
would run as a formula is neutralised: see safecell)."""

from __future__ import annotations

import csv
import io
from typing import Any, TextIO

from .check import RULES
from .check.text import finding_section
from .model import Finding, Report
from .safecell import neutralise

HEADER = ["文件", "机关", "年度", "代码", "级别", "规则", "说明", "单元格", "行", "部分", "提示"]
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
SECTION_NAMES = {"1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六"}


def write_findings_csv(reports: list[Report], stream: TextIO) -> None:
    # A BOM lets spreadsheet programs recognise UTF-8 when opening the file.
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(HEADER)
    for report in reports:
        for f in report.findings:
            writer.writerow([neutralise(value) for value in finding_row(report, f)])


def finding_row(report: Report, f: Finding) -> list[Any]:
    """One finding as the columns of HEADER (also the web app's findings XLSX)."""
    meta, rule, where = report.meta, RULES.get(f.code), f.where or {}
    return [
        meta.source.path or "",
        meta.agency or "",
        meta.year or "",
        f.code,
        SEVERITY_NAMES.get(f.severity, f.severity),
        rule.name if rule else "",
        f.message,
        " ".join(f.cells),
        where.get("line", ""),
        SECTION_NAMES.get(finding_section(report, f) or "", ""),
        f.hint or "",
    ]


def findings_csv_rows(report: Report) -> str:
    """One report's rows (no header), for output streamed report by report."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for f in report.findings:
        writer.writerow([neutralise(value) for value in finding_row(report, f)])
    return buffer.getvalue()


def csv_header() -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(HEADER)
    return "\ufeff" + buffer.getvalue()
