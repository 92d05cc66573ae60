"""Hostile and damaged ledger files and YAML sources (issue 11): every one gets a clear Chinese
error naming the file (and the row and column) or imports whole — never a traceback, never a
silent loss — and every CSV/XLSX xxgk writes is safe to open in a spreadsheet.

Each behaviour is tested on small files built here; the damaged files of ../shared/fuzz-cases/
are run too when the shared workspace is there (skipped without it, failing under CI)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from shared import SHARED, needs_shared
from xlsxmaker import NS, cell, row_xml, sheet_xml, xlsx
from xxgk.cli import app
from xxgk.errors import InputError
from xxgk.ledger import importexport, xlsxread
from xxgk.ledger.importexport import CSV_COLUMNS, ImportProblems, export_ledger, import_file
from xxgk.ledger.records import CaseRecord, EventRecord
from xxgk.ledger.store import Ledger
from xxgk.read.ziplimits import MSG_UNSAFE_XML
from xxgk.safecell import neutralise, restore
from xxgk.source import loads_source

runner = CliRunner()
FUZZ = SHARED / "fuzz-cases"
HEADER = ",".join(CSV_COLUMNS)
CASE = "申请,{0},2025-03-03,网上申请,自然人,张三,,政府信息,,,,,,,"
NOTE = '事件,{0},,,,,,,,备注,2025-03-04,,"{1}",,'


def csv_file(path: Path, rows: list[str]) -> Path:
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8-sig"))
    return path


def problems(path: Path, **kw) -> ImportProblems:
    with Ledger.open(path.parent / "check.sqlite3") as ledger, pytest.raises(ImportProblems) as info:
        import_file(ledger, path, "导入员", **kw)
    with Ledger.open(path.parent / "check.sqlite3") as ledger:
        assert ledger.count_cases() == 0  # nothing half-imported
    return info.value


def refused(path: Path) -> str:
    with Ledger.open(path.parent / "refused.sqlite3") as ledger, pytest.raises(InputError) as info:
        import_file(ledger, path, "导入员")
    with Ledger.open(path.parent / "refused.sqlite3") as ledger:
        assert ledger.count_cases() == 0
    return str(info.value)


# -- XLSX built by hand (tests/xlsxmaker.py) ----------------------------------------------

CASE_HEADER = ["登记号", "收到日期", "渠道", "申请人类型", "申请人", "联系方式", "申请内容"]


def cases_sheet(*rows: list) -> str:
    return sheet_xml([CASE_HEADER, *rows])


GOOD_CASE = ["2025-0001", "2025-03-03", "信函", "自然人", "张三", "", "某文件"]


# -- 5: exports are safe to open, and import gives back the text ---------------------------

SAFE = [
    ("=1+1", "'=1+1"),
    ("+1+1", "'+1+1"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ('=HYPERLINK("http://example.invalid","点此")', '\'=HYPERLINK("http://example.invalid","点此")'),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("'=1", "''=1"),  # already quoted text gets one more quote, so that restore is exact
    ("''@x", "'''@x"),
    ("'abc", "'abc"),
    ("'", "'"),
    ("-12.50", "-12.50"),  # a number is not a formula
    ("+86", "+86"),
    ("1e-5", "1e-5"),
    ("+86 138", "'+86 138"),
    ("张三", "张三"),
    ("", ""),
    (-3, -3),
    (Decimal("-1.5"), Decimal("-1.5")),
    (None, None),
]


@pytest.mark.parametrize(("text", "written"), SAFE)
def test_neutralise_quotes_what_a_spreadsheet_would_run_and_restore_undoes_it(text, written):
    assert neutralise(text) == written
    assert restore(written) == text


@given(st.text(alphabet=st.sampled_from("'=+-@\t\r1.e a张")))
def test_restore_inverts_neutralise_for_any_text(text):
    assert restore(neutralise(text)) == text
    assert not neutralise(text).startswith(("=", "+", "@", "\t", "\r")) or neutralise(text) == text


TRIGGERS = ['=HYPERLINK("x")', "+1+1", "-1+1", "@SUM(1)", "'=already", "-5"]


def _ledger_with_triggers(path: Path) -> None:
    with Ledger.open(path) as ledger:
        for n, text in enumerate(TRIGGERS, start=1):
            case = CaseRecord(f"A-{n}", date(2025, 3, n), "mail", "natural_person", text, text, text)
            ledger.add_case(case, "甲")
            ledger.add_event(f"A-{n}", EventRecord("note", date(2025, 3, 10), {"text": text}), "甲")


def test_csv_export_neutralises_formulas_keeps_numbers_and_imports_back(tmp_path):
    _ledger_with_triggers(tmp_path / "a.sqlite3")
    with Ledger.open(tmp_path / "a.sqlite3") as ledger:
        export_ledger(ledger, tmp_path / "a.csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "a.csv").read_text(encoding="utf-8-sig"))))
    cases = [r for r in rows if r[0] == "申请"]
    assert [r[5] for r in cases] == ['\'=HYPERLINK("x")', "'+1+1", "'-1+1", "'@SUM(1)", "''=already", "-5"]
    assert [r[5] for r in cases] == [r[6] for r in cases] == [r[7] for r in cases]
    assert {r[8] for r in rows if r[0] == "事件"} == {"1"}  # 序号 stays a plain number
    with Ledger.open(tmp_path / "b.sqlite3") as copy:
        assert import_file(copy, tmp_path / "a.csv", "乙") == (6, 6)
        back = list(copy.all_histories())
    assert [c.applicant_name for c, _ in back] == TRIGGERS
    assert [c.request for c, _ in back] == [c.applicant_contact for c, _ in back] == TRIGGERS
    assert [events[0].data["text"] for _, events in back] == TRIGGERS  # inside JSON: never quoted


def test_xlsx_export_writes_text_cells_quoted_and_numbers_as_numbers(tmp_path):
    _ledger_with_triggers(tmp_path / "a.sqlite3")
    with Ledger.open(tmp_path / "a.sqlite3") as ledger:
        ledger.add_case(CaseRecord("B-1", date(2025, 4, 1), "mail", "other_org", "_x0041_ 单位", "x"), "甲")
        export_ledger(ledger, tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    names = [c.value for c in book["申请"]["E"][1:]]
    assert names[:6] == ['\'=HYPERLINK("x")', "'+1+1", "'-1+1", "'@SUM(1)", "''=already", "-5"]
    assert all(c.data_type == "s" for c in book["申请"]["E"][1:])
    seq = book["事件"]["B2"]
    assert seq.value == 1 and seq.data_type == "n"
    assert book["申请"]["B2"].value == datetime(2025, 3, 1)  # a real date cell
    with Ledger.open(tmp_path / "b.sqlite3") as copy:
        assert import_file(copy, tmp_path / "a.xlsx", "乙") == (7, 6)
        back = list(copy.all_histories())
    assert [c.applicant_name for c, _ in back] == [*TRIGGERS, "_x0041_ 单位"]


def test_findings_csv_neutralises_text_and_keeps_the_year_a_number(tmp_path):
    source = tmp_path / "src.yaml"
    result = runner.invoke(app, ["new", "--agency", '=HYPERLINK("x")局', "--year", "2025", "-o", str(source)])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["check", "--format", "csv", str(source)])
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert {(r[1], r[2]) for r in rows[1:]} == {('\'=HYPERLINK("x")局', "2025")}
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


# -- 3: the same zip and XML rules as the readers, and large files streamed ------------------

BOMB_STRINGS = (
    '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
    f"]><sst {NS}><si><t>&b;</t></si></sst>"
)


def test_a_dtd_in_shared_strings_is_refused(tmp_path):
    path = xlsx(tmp_path / "dtd.xlsx", {"申请": cases_sheet(GOOD_CASE)}, {"sharedStrings": BOMB_STRINGS})
    assert refused(path) == f"{path}：{MSG_UNSAFE_XML}"


STYLES = (
    f'<styleSheet {NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy/m/d"/></numFmts>'
    '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="31"/><xf numFmtId="164"/></cellXfs>'
    "</styleSheet>"
)
STRINGS = (
    f"<sst {NS}><si><t>信函</t></si><si><r><t>张</t></r><r><t>三</t></r><rPh><t>zhang</t></rPh></si>"
    "<si><t>第一行_x000D_\n第二行 _x005F_x0041_</t></si></sst>"
)


def test_a_workbook_as_excel_saves_it_shared_strings_and_date_formats(tmp_path):
    rows = [
        ["2025-0001", ('s="1"', 45719), ('t="s"', 0), "自然人", ('t="s"', 1), 13800138000, ('t="s"', 2)],
        [20250002, ('s="2"', 45720), "信函", "自然人", "李四", None, "x"],  # 2025年3月4日 (id 31)
        ["2025-0003", ('s="3"', 45721.0), "信函", "自然人", "王五", None, "y"],
    ]
    path = xlsx(
        tmp_path / "excel.xlsx", {"申请": cases_sheet(*rows)}, {"sharedStrings": STRINGS, "styles": STYLES}
    )
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        assert import_file(ledger, path, "导入员") == (3, 0)
        cases = [c for c, _ in ledger.all_histories()]
    assert [(c.number, c.received) for c in cases] == [
        ("2025-0001", date(2025, 3, 3)),
        ("20250002", date(2025, 3, 4)),
        ("2025-0003", date(2025, 3, 5)),
    ]
    assert (cases[0].channel, cases[0].applicant_name, cases[0].applicant_contact) == (
        "mail",
        "张三",
        "13800138000",
    )
    assert cases[0].request == "第一行\n第二行 _x0041_"  # Excel's escapes decoded, CR LF made LF


def test_a_listed_sheet_without_its_part_is_refused_whole(tmp_path):
    path = xlsx(tmp_path / "cut.xlsx", {"申请": cases_sheet(GOOD_CASE), "事件": None})
    assert refused(path) == f"{path}：工作簿列出了工作表“事件”，但文件中没有它的内容（文件不完整），未导入"


def test_a_listed_shared_string_table_that_is_missing_is_refused(tmp_path):
    path = xlsx(tmp_path / "nosst.xlsx", {"申请": cases_sheet(GOOD_CASE)}, {"sharedStrings": ""})
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp_path / "cut.xlsx", "w") as target:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                target.writestr(item, source.read(item))
    assert refused(tmp_path / "cut.xlsx") == (
        f"{tmp_path / 'cut.xlsx'}：工作簿列出的部件 xl/sharedStrings.xml 不存在（文件不完整），未导入"
    )


def test_a_value_beyond_the_header_is_an_error_of_its_row(tmp_path):
    far = '<c r="ZZ2" t="inlineStr"><is><t>备注</t></is></c>'
    xml = cases_sheet(GOOD_CASE).replace("</row></sheetData>", f"{far}</row></sheetData>")
    path = xlsx(tmp_path / "far.xlsx", {"申请": xml})
    assert problems(path).problems == [f"{path}：工作表“申请”第 2 行：单元格多于表头的列数"]


def test_what_surrounds_rows_and_cells_is_skipped_without_losing_a_value(tmp_path):
    # The reader frees every element outside a row as soon as it is complete; what lies
    # inside a row or a cell (an extension list after a value) must stay until it is read.
    ext = "<extLst><ext><x/><y/></ext></extLst>"
    name = '<c r="A2" t="inlineStr"><is><r><rPr><b/></rPr><t>2025-</t></r><r><t>0001</t></r></is>'
    cells = "".join(cell(f"{chr(67 + i)}2", v) for i, v in enumerate(GOOD_CASE[2:]))
    cols = '<col min="1" max="1"/>' * 500
    merges = '<mergeCell ref="A1:B1"/>' * 500
    xml = (
        f"<worksheet {NS}><cols>{cols}</cols><sheetData>"
        + row_xml(1, CASE_HEADER)
        + f'<row r="2">{name}{ext}</c><c r="B2"><v>45719</v>{ext}</c>{ext}{cells}</row>'
        + f"</sheetData><mergeCells>{merges}</mergeCells>{ext}</worksheet>"
    )
    path = xlsx(tmp_path / "noise.xlsx", {"申请": xml})
    with open(path, "rb") as stream:
        rows = list(xlsxread.iter_xlsx(stream, str(path), max_rows=10))
    assert [list(r.values.values()) for r in rows] == [["2025-0001", 45719, *GOOD_CASE[2:]]]


def test_parts_built_into_trees_are_capped_but_sheets_stream(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsxread, "MAX_TREE_PART", 2000)
    monkeypatch.setattr(xlsxread, "MAX_SHARED_STRINGS", 2000)
    rows = [[f"2025-{n:04d}", "2025-03-03", "信函", "自然人", "张三", "", "某文件"] for n in range(1, 400)]
    path = xlsx(tmp_path / "big.xlsx", {"申请": cases_sheet(*rows)})
    assert len(sheet_xml(rows)) > 20 * 2000
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        assert import_file(ledger, path, "导入员") == (399, 0)
    padded = xlsx(tmp_path / "pad.xlsx", {"申请": cases_sheet(GOOD_CASE)}, pr=f"<workbookPr/>{' ' * 3000}")
    assert refused(padded) == f"{padded}：部件 xl/workbook.xml 过大（超过上限 2000 字节）"
    strings = f"<sst {NS}>{'<si><t>信函</t></si>' * 200}</sst>"
    many = xlsx(tmp_path / "sst.xlsx", {"申请": cases_sheet(GOOD_CASE)}, {"sharedStrings": strings})
    assert refused(many) == f"{many}：部件 xl/sharedStrings.xml 过大（超过上限 2000 字节）"


def test_a_sheet_cut_off_after_good_rows_imports_nothing(tmp_path):
    rows = [[f"2025-{n:04d}", "2025-03-03", "信函", "自然人", "张三", "", "x" * 50] for n in range(1, 3000)]
    xml = cases_sheet(*rows)
    path = xlsx(tmp_path / "cut.xlsx", {"申请": xml[: len(xml) * 9 // 10]})
    seen = []
    with open(path, "rb") as stream, pytest.raises(InputError, match="XLSX 文件已损坏或不完整"):
        for row in xlsxread.iter_xlsx(stream, str(path), max_rows=10**6):
            seen.append(row)
    assert len(seen) > 1000  # the rows came one by one, before the damage was reached
    assert refused(path) == f"{path}：XLSX 文件已损坏或不完整"


def test_many_rows_stream_into_one_transaction(tmp_path):
    rows = []
    for n in range(1, 2001):
        rows += [CASE.format(f"2025-{n:04d}"), NOTE.format(f"2025-{n:04d}", '{""text"": ""电话""}')]
    path = csv_file(tmp_path / "many.csv", rows)
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        assert import_file(ledger, path, "导入员") == (2000, 2000)
        assert ledger.case("2025-2000")[1][0].data == {"text": "电话"}


def test_a_csv_whose_encoding_breaks_after_the_header_is_refused_before_any_row(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes(("\t".join(CSV_COLUMNS) + "\n").encode("utf-16") + b"\x00\xd8\x41\x00")
    assert refused(path) == f"{path}：无法识别 CSV 文件的编码（应为 UTF-16）"
    late = tmp_path / "late.csv"
    late.write_bytes(
        csv_file(tmp_path / "ok.csv", [CASE.format("2025-0001")] * 3).read_bytes() + b"\xff\xfe\xfd"
    )
    assert refused(late) == f"{late}：无法识别 CSV 文件的编码（应为 UTF-8 或 GBK）"


# -- 3: deep JSON, dates to confirm, bounded messages ---------------------------------------


def test_deeply_nested_event_data_is_an_error_naming_row_and_column(tmp_path):
    deep = "[" * 5000 + "]" * 5000
    path = csv_file(
        tmp_path / "deep.csv", [CASE.format("2025-0001"), f"事件,2025-0001,,,,,,,,备注,2025-03-04,,{deep},,"]
    )
    assert problems(path).problems == [f"{path}：第 3 行，“数据”列：事件数据的嵌套层数过多（上限 10 层）"]
    events = [
        ["登记号", "序号", "事件", "日期", "更正对象", "数据"],
        ["2025-0001", 1, "备注", "2025-03-04", None, deep],
    ]
    book = xlsx(tmp_path / "deep.xlsx", {"申请": cases_sheet(GOOD_CASE), "事件": sheet_xml(events)})
    assert problems(book).problems == [
        f"{book}：工作表“事件”第 2 行，“数据”列：事件数据的嵌套层数过多（上限 10 层）"
    ]
    brackets = json.dumps({"text": "[" * 50}).replace('"', '""')
    fine = csv_file(tmp_path / "fine.csv", [CASE.format("2025-0001"), NOTE.format("2025-0001", brackets)])
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        assert import_file(ledger, fine, "导入员") == (1, 1)


def test_implausible_dates_and_future_records_are_warnings_to_confirm(tmp_path):
    path = csv_file(
        tmp_path / "dates.csv",
        [
            CASE.format("2025-0001").replace("2025-03-03", "1900-01-01"),
            CASE.format("2025-0002"),
            "事件,2025-0002,,,,,,,,备注,2027-01-04,,,,2099-01-01 08:00:00+08:00",
        ],
    )
    today = date(2026, 12, 7)
    refusal = problems(path, today=today)
    assert refusal.problems == []
    assert refusal.warnings == [
        f"{path}：第 2 行，“收到日期”列：日期 1900-01-01 早于 2008-05-01（《政府信息公开条例》施行之日），请核对",
        f"{path}：第 4 行，“日期”列：日期 2027-01-04 晚于今天（2026-12-07），请核对",
        f"{path}：第 4 行，“记录时间”列：记录时间 2099-01-01 08:00:00+08:00 晚于本次导入的时间，请核对",
    ]
    assert (
        str(refusal)
        == f"{path}：共 3 处警告需要确认，未导入任何记录；核对无误后，加 --accept-warnings 重新导入"
    )
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        result = import_file(ledger, path, "导入员", accept_warnings=True, today=today)
        assert result == (2, 1) and result.notes.warning_count == 3
        assert ledger.case("2025-0001")[0].received == date(1900, 1, 1)


def test_the_cli_lists_warnings_and_imports_only_when_they_are_accepted(tmp_path):
    path = csv_file(tmp_path / "old.csv", [CASE.format("2025-0001").replace("2025-03-03", "2099-03-03")])
    db = str(tmp_path / "l.sqlite3")
    warning = f"警告：{path}：第 2 行，“收到日期”列：日期 2099-03-03 晚于今天（{date.today()}），请核对"
    result = runner.invoke(app, ["ledger", "import", str(path), "--db", db, "--by", "甲"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        warning,
        f"错误：{path}：共 1 处警告需要确认，未导入任何记录；核对无误后，加 --accept-warnings 重新导入",
    ]
    result = runner.invoke(
        app, ["ledger", "import", str(path), "--db", db, "--by", "甲", "--accept-warnings"]
    )
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "已导入 1 件申请、0 条事件（已确认 1 处警告）\n",
        warning + "\n",
    )


def test_a_file_of_many_bad_rows_lists_the_first_hundred_and_counts_the_rest(tmp_path):
    path = csv_file(
        tmp_path / "bad.csv", [CASE.format(f"2025-{n:04d}").replace("网上申请", "飞鸽") for n in range(150)]
    )
    refusal = problems(path)
    assert len(refusal.problems) == 100 and refusal.notes.error_count == 150
    assert refusal.lines()[-2:] == [
        f"错误：{path}：……另有 50 处错误未列出",
        f"错误：{path}：共 150 处错误，未导入任何记录",
    ]


def test_a_case_with_too_many_events_is_refused_without_replaying_them(tmp_path, monkeypatch):
    monkeypatch.setattr(importexport, "MAX_EVENTS_PER_CASE", 3)
    path = csv_file(tmp_path / "busy.csv", [CASE.format("2025-0001")] + [NOTE.format("2025-0001", "")] * 4)
    assert problems(path).problems == [f"{path}：第 2 行：申请 2025-0001 的事件过多（上限 3 条）"]


# -- YAML sources and JSON reports: one clear line, never a traceback -------------------------

SOURCE = 'format: "2021"\nmeta:\n  agency: 示例局\n  year: 2025\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            SOURCE + 'sections:\n  "1": ' + "[" * 1000 + "]" * 1000 + "\n",
            "第 6 行：源文件的层次过深（超过 16 层），不是年度报告源文件",
        ),
        (
            SOURCE + 'sections:\n  "1":\n    ' + "- " * 5000 + "x\n",
            "第 7 行：源文件的层次过深（超过 16 层），不是年度报告源文件",
        ),
        (
            SOURCE + "".join(f"k{n}: {n}\n" for n in range(20000)),
            "第 5000 行：源文件的项目过多（超过 10000 项），不是年度报告源文件",
        ),
        (
            SOURCE.replace("示例局", '"\\ud800"'),
            "第 3 行：文字中有无效的 Unicode 字符 U+D800（单独的代理码位，多是误写的“\\ud800”转义），请删去或改正",
        ),
    ],
    ids=["flow-depth", "block-depth", "many-keys", "surrogate"],
)
def test_hostile_yaml_sources_are_one_clear_error(tmp_path, text, message):
    with pytest.raises(InputError) as info:
        loads_source(text, "x.yaml")
    assert str(info.value) == f"x.yaml：{message}"
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["parse", "--format", "json", str(path)])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "null\n", f"错误：{path}：{message}\n")


def test_a_yaml_source_over_two_megabytes_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(SOURCE + "\n" * (2 * 1024 * 1024), encoding="utf-8")
    result = runner.invoke(app, ["parse", str(path)])
    assert (result.exit_code, result.stderr) == (2, f"错误：{path}：文件过大（2.0 MB，上限 2 MB）\n")


def test_json_reports_with_a_lone_surrogate_or_deep_nesting_are_refused(tmp_path):
    report = loads_source(SOURCE).to_json()
    text = json.dumps(report, ensure_ascii=True).replace("\\u793a\\u4f8b\\u5c40", "\\ud800")
    (tmp_path / "s.json").write_text(text, encoding="utf-8")
    (tmp_path / "d.json").write_text('{"x": ' + "[" * 100000 + "]" * 100000 + "}", encoding="utf-8")
    for name, message in [
        ("s.json", "报告中有无效的 Unicode 字符 U+D800（单独的代理码位），无法输出"),
        ("d.json", "JSON 嵌套层数过多，不是 xxgk.report/1 报告"),
    ]:
        for args in (
            ["parse", "--format", "json"],
            ["check", "--format", "csv"],
            ["convert", "-o", str(tmp_path / "o.yaml")],
        ):
            result = runner.invoke(app, [*args, str(tmp_path / name)])
            assert (result.exit_code, result.stderr) == (2, f"错误：{tmp_path / name}：{message}\n"), args


# -- the damaged files of ../shared/fuzz-cases -----------------------------------------------


@needs_shared
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("yaml-0099.yaml", "第 37 行：源文件的层次过深（超过 16 层），不是年度报告源文件"),
        ("yaml-0102.yaml", "第 311 行：源文件的层次过深（超过 16 层），不是年度报告源文件"),
        ("yaml-0124.yaml", "第 18 行：文字中有无效的 Unicode 字符 U+D800"),
        ("surrogate.yaml", "第 18 行：文字中有无效的 Unicode 字符 U+D800"),
    ],
)
def test_shared_yaml_cases(name, message):
    result = runner.invoke(app, ["parse", "--format", "json", str(FUZZ / name)])
    assert result.exit_code == 2 and result.stdout == "null\n"
    assert result.stderr.startswith(f"错误：{FUZZ / name}：{message}") and result.stderr.count("\n") == 1


@needs_shared
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("xlsx-0055.xlsx", "工作表“事件”第 4 行，“数据”列：事件数据过长（32767 字，上限 20000 字）"),
        ("csv-0055.csv", "第 5 行，“数据”列：事件数据过长（100000 字，上限 20000 字）"),
    ],
)
def test_shared_deep_json_cases(tmp_path, name, message):
    with Ledger.open(tmp_path / "l.sqlite3") as ledger, pytest.raises(ImportProblems) as info:
        import_file(ledger, FUZZ / name, "导入员")
    assert info.value.problems == [f"{FUZZ / name}：{message}"]


@needs_shared
@pytest.mark.parametrize("name", ["csv-0043.csv", "xlsx-0043.xlsx", "ledger-formula.csv"])
def test_shared_formula_cases_export_quoted_and_import_back(tmp_path, name):
    with Ledger.open(tmp_path / "a.sqlite3") as ledger:
        assert import_file(ledger, FUZZ / name, "导入员") == (5, 9)
        original = [(c.applicant_name, c.request) for c, _ in ledger.all_histories()]
        export_ledger(ledger, tmp_path / "out.csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig"))))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert any(cell.startswith(("'=", "'+")) for row in rows for cell in row)
    with Ledger.open(tmp_path / "b.sqlite3") as copy:
        assert import_file(copy, tmp_path / "out.csv", "导入员") == (5, 9)
        assert [(c.applicant_name, c.request) for c, _ in copy.all_histories()] == original


@needs_shared
def test_shared_workbook_missing_its_events_part_is_refused(tmp_path):
    path = FUZZ / "no-events-part.xlsx"
    with Ledger.open(tmp_path / "l.sqlite3") as ledger, pytest.raises(InputError) as info:
        import_file(ledger, path, "导入员")
    assert str(info.value) == f"{path}：工作簿列出了工作表“事件”，但文件中没有它的内容（文件不完整），未导入"
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        assert ledger.count_cases() == 0


@needs_shared
def test_shared_dtd_case_follows_the_readers_rule(tmp_path):
    path = FUZZ / "xlsx-0092.xlsx"
    with zipfile.ZipFile(path) as archive:
        has_dtd = any(b"<!DOCTYPE" in archive.read(name) for name in archive.namelist())
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        if has_dtd:
            with pytest.raises(InputError, match=MSG_UNSAFE_XML):
                import_file(ledger, path, "导入员")
        else:  # as stored, the file holds no sharedStrings.xml and no DTD: a valid ledger
            assert import_file(ledger, path, "导入员") == (5, 9)


@needs_shared
def test_shared_hundred_thousand_rows_pass_the_zip_limits_and_stream():
    path = FUZZ / "xlsx-0040.xlsx"
    with open(path, "rb") as stream:
        count = sum(1 for _ in xlsxread.iter_xlsx(stream, str(path), max_rows=importexport.MAX_ROWS))
    assert count == 100_000
