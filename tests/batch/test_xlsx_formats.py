"""汇总.xlsx with reports of the 2019 format (other rows in 表二 and 表三) and of no national
format: each on the sheets of its own format, or listed with the reason its numbers are not."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from xxgk.batch.run import BatchOptions, run_batch
from xxgk.formats import AMOUNT_TEXT, FORMAT_2019, FORMAT_2021
from xxgk.model import Report

AGENCY_2019 = "杭州市西湖区司法局"
AGENCY_OLD = "杭州市西湖区民政局"


def _write(path, report: Report) -> None:
    path.write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("formats")
    report = Report(format="2019")
    report.meta.agency, report.meta.year = AGENCY_2019, 2019
    values = {ref: i + 1 for i, ref in enumerate(FORMAT_2019.refs())}
    for ref, value in values.items():
        report.set(ref, value)
    _write(inputs / "a-2019.json", report)
    old = Report(format="pre2019")
    old.meta.agency, old.meta.year = AGENCY_OLD, 2017
    _write(inputs / "b-2017.json", old)
    out = inputs / "out"
    run_batch([str(inputs)], str(out), BatchOptions(jobs=1))
    return load_workbook(out / "汇总.xlsx"), values, str(inputs / "a-2019.json")


def test_sheets_of_both_formats_and_of_the_rest(workbook):
    book, _, _ = workbook
    assert book.sheetnames == [
        "表二 主动公开", "表三 依申请公开", "表四 复议诉讼",
        "表二 主动公开（2019 年格式）", "表三 依申请公开（2019 年格式）", "表四 复议诉讼（2019 年格式）",
        "未列入表格的报告", "问题清单",
    ]  # fmt: skip
    for name in ("表二 主动公开", "表三 依申请公开", "表四 复议诉讼"):
        assert book[name].max_row == 2  # the headers only: no 2021 report
    other = [[c.value for c in row] for row in book["未列入表格的报告"].iter_rows()]
    assert other == [
        ["机关", "规范化名称", "地区", "年度", "文件", "格式", "说明"],
        [AGENCY_OLD, "浙江省杭州市西湖区民政局", "浙江省／杭州市／西湖区", 2017, other[1][4], "pre2019",
         "2019 年以前的报告格式没有全国统一的表格，数字未列入本工作簿"],
    ]  # fmt: skip


@pytest.mark.parametrize("table", [t.key for t in FORMAT_2019.tables])
def test_2019_rows_in_their_official_order_with_their_values(workbook, table):
    book, values, file = workbook
    spec = FORMAT_2019.table(table)
    sheet = book[f"{book.sheetnames[[t.key for t in FORMAT_2021.tables].index(table)]}（2019 年格式）"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(rows) == 3
    assert rows[0][5:] == [r.name for r in spec.rows for _ in r.fields]
    assert rows[1][5:] == [f.name for r in spec.rows for f in r.fields]
    assert rows[2][:5] == [AGENCY_2019, "浙江省杭州市西湖区司法局", "浙江省／杭州市／西湖区", 2019, file]
    kinds = {ref: FORMAT_2019.fields_by_ref[ref][2].kind for ref in spec.refs()}
    # an amount cell of the 2019 format is kept as written (text), the rest as numbers
    assert rows[2][5:] == [str(values[r]) if kinds[r] == AMOUNT_TEXT else values[r] for r in spec.refs()]


def test_2019_table_three_has_its_own_rows(workbook):
    book, _, _ = workbook
    header = [c.value for c in next(book["表三 依申请公开（2019 年格式）"].iter_rows())]
    rows_2019 = list(dict.fromkeys(header[5:]))
    assert rows_2019 == [r.name for r in FORMAT_2019.table("applications").rows]
    assert rows_2019 != [r.name for r in FORMAT_2021.table("applications").rows]


def test_cells_named_by_a_finding_are_coloured_on_the_2019_sheet(workbook):
    book, _, _ = workbook
    sheet = book["表二 主动公开（2019 年格式）"]
    refs = FORMAT_2019.table("active").refs()
    row = list(sheet.iter_rows(min_row=3, max_row=3))[0]
    # XG602 (a warning): a department's report fills the 规章 row, which it cannot make
    coloured = {
        refs[i - 5] for i, cell in enumerate(row) if i >= 5 and cell.fill.fgColor.rgb.endswith("FFEB9C")
    }
    assert {
        "active/regulations/made",
        "active/regulations/published",
        "active/regulations/total_public",
    } <= coloured
