"""Findings as CSV, one row per finding, for supervisors' spreadsheets."""

from __future__ import annotations

import csv
from typing import TextIO

from .check import RULES
from .check.text import finding_section
from .model import Report

HEADER = ["文件", "机关", "年度", "代码", "级别", "规则", "说明", "单元格", "行", "部分", "提示"]
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
SECTION_NAMES = {"1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六"}


def write_findings_csv(reports: list[Report], stream: TextIO) -> None:
    # A BOM lets spreadsheet programs recognise UTF-8 when opening the file.
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(HEADER)
    for report in reports:
        meta = report.meta
        for f in report.findings:
            rule = RULES.get(f.code)
            where = f.where or {}
            writer.writerow(
                [
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
            )
