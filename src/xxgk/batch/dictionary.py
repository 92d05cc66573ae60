"""dataset.md: the data dictionary, generated from the column declarations (columns.py, which
take the cell columns from the format declarations) and the indicator definitions."""

from __future__ import annotations

from pathlib import Path

from ..check.cohort import COHORT_RULES
from .columns import CELLS, FAILURES, FINDINGS, PAIRS, Column, report_columns
from .database import DATABASE
from .indicators import definitions_markdown

KIND_NAMES = {"int": "整数", "text": "文字", "decimal": "小数（精确）", "date": "日期"}

INTRO = f"""# 数据集说明（由 xxgk batch 生成）

每个表都有 Parquet 和 CSV（UTF-8 带 BOM，可直接用表格软件打开）两种文件，内容相同；`{DATABASE}` 是包含
全部表和下列指标视图的 DuckDB 数据库（`xxgk dataset query 目录 "SQL"`）；`汇总.xlsx` 供监督人员查看。
CSV 和 XLSX 中以 = + - @ 制表符 回车 开头的文字前加了一个英文单引号，防止表格软件当作公式执行。

单元格的空白和未读到是不同的事实：宽表（reports）中两者都为空；长表（cells）的 state 列区分
value（有数值）、blank（原文空白、“/”“—”“无”）、absent（原文没有此单元格）。
"""


def _table(title: str, columns: list[Column] | tuple[Column, ...]) -> list[str]:
    lines = [f"## {title}", "", "| 列 | 类型 | 说明 |", "|---|---|---|"]
    lines += [f"| `{c.name}` | {KIND_NAMES[c.kind]} | {c.doc} |" for c in columns]
    return [*lines, ""]


def dictionary_markdown() -> str:
    lines = [INTRO]
    lines += _table("reports（每份报告一行；单元格列按格式声明的顺序，列名即单元格引用）", report_columns())
    lines += _table("cells（每个单元格一行）", CELLS)
    lines += _table("findings（每条问题一行）", FINDINGS)
    lines += _table("failures（无法读取的文件）", FAILURES)
    lines += _table("similar_pairs（同年度跨单位雷同的报告对）", PAIRS)
    lines += [definitions_markdown(), "## 跨报告检查规则", ""]
    lines += [f"- **{code}** {spec['summary']}" for code, spec in COHORT_RULES.items()]
    lines += ["- 另对每一对跨年度配对的报告运行 XG701、XG702，对机构树中每个本级政府运行 XG801。", ""]
    return "\n".join(lines)


def write_dictionary(path: Path) -> None:
    path.write_text(dictionary_markdown(), encoding="utf-8")
