"""Table cells that ran together ("801000081" = 80,1,0,0,0,0,81): split by the table's identities.

The solver (extract/digitsplit.py), the reading of glued text (extract/glued.py, reflow.py,
gluedfit.py), the two real crawled reports r007/r010, and a property: a random consistent
report written glued reads back exactly (low confidence allowed) or blank with XG003 —
never a wrong number.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import realcorpus
from layouts import (
    APPLICATIONS,
    FMT,
    HEADINGS,
    RESULTS_GROUP,
    REVIEW_FIELDS,
    active_blocks,
    application_rows,
    consistent_tables,
    prose_with_numbers,
    row_texts,
    same_value,
)
from xxgk.check import check_report
from xxgk.extract import parse_bytes
from xxgk.extract.digitsplit import Run, solve, splits
from xxgk.formats import FORMAT_2019

COUNT = "count"
COLUMNS = [f.key for f in APPLICATIONS.rows[0].fields]
APP_IDS = [i for i in FMT.identities if i.refs[0].startswith("applications/")]


def _refs(row: str) -> tuple[str, ...]:
    return tuple(f"applications/{row}/{c}" for c in COLUMNS)


def _row_ids(row: str):
    return [i for i in APP_IDS if set(i.refs) <= set(_refs(row))]


def _run(row: str, *pieces: str) -> Run:
    return Run(_refs(row), pieces, (COUNT,) * 7)


# ---------------------------------------------------------------- the solver


def test_row_total_picks_the_one_split():
    assert splits(_run("received", "801000081"), _row_ids("received")) == [
        ("80", "1", "0", "0", "0", "0", "81")
    ]


def test_row_total_alone_leaves_two_splits():
    assert splits(_run("granted", "220000022"), _row_ids("granted")) == [
        ("2", "20", "0", "0", "0", "0", "22"),
        ("22", "0", "0", "0", "0", "0", "22"),
    ]


def test_no_leading_zeros_except_zero_itself():
    cells = (COUNT, COUNT)
    assert splits(Run(("a", "b"), ("1005",), cells)) == [("100", "5")]
    assert splits(Run(("a", "b", "c"), ("000",), (COUNT,) * 3)) == [("0", "0", "0")]
    assert splits(Run(("a", "b", "c"), ("55",), (COUNT,) * 3)) == []


def test_a_written_space_is_always_a_cut():
    # r010: "230 000023" is 23 | 0 and 0 | 0 | 0 | 0 | 23, never 2 | 30 …
    assert splits(_run("received", "230", "000023"), _row_ids("received")) == [
        ("23", "0", "0", "0", "0", "0", "23")
    ]


def test_a_decimal_and_a_unit_stay_in_the_amount_cell():
    run = Run(("items", "amount"), ("135754432.52元",), (COUNT, "amount_text"))
    assert ("13575", "4432.52元") in splits(run)
    assert all(not p[0].endswith(".") and "." not in p[0] for p in splits(run))


def test_columns_couple_the_rows():
    # 予以公开 alone could be 2|20|…|22 or 22|0|…|22; with 总计 = 22 per column only one holds.
    rows = {
        "received": "220000022",
        "carried_over": "0000000",
        "total": "220000022",
        "carried_forward": "0000000",
    }
    outcome_rows = [r.key for r in APPLICATIONS.rows if r.outcome]
    runs = [_run(k, v) for k, v in rows.items()]
    runs.append(_run("granted", "220000022"))
    runs += [_run(k, "0000000") for k in outcome_rows if k != "granted"]
    out = solve(runs, APP_IDS, {})
    assert [o.parts for o in out[:1]] == [None]  # received: 2|20 and 22|0 both balance
    assert out[0].count == 2 and out[0].checked
    granted = out[4]
    assert granted.parts is None and granted.count == 2


def test_a_fixed_cell_read_as_written_takes_part():
    # 商业企业 of 三(七) read as written (0) settles 一 and 三(一).
    outcome_rows = [r.key for r in APPLICATIONS.rows if r.outcome and r.key != "granted"]
    runs = [_run("granted", "220000022"), *(_run(k, "0000000") for k in outcome_rows)]
    fixed = {ref: v for ref, v in zip(_refs("total"), (22, 0, 0, 0, 0, 0, 22), strict=True)}
    out = solve(runs, APP_IDS, fixed)
    assert out[0].parts == ("22", "0", "0", "0", "0", "0", "22")
    assert all(o.parts == ("0",) * 7 for o in out[1:])


def test_inconsistent_table_falls_back_to_each_row_alone():
    # The columns cannot balance (一 says 9, 三(七) says 8): rows keep what their own total allows.
    runs = [_run("received", "9000009"), _run("total", "8000008")]
    out = solve(
        runs,
        APP_IDS,
        {f"applications/{k}/{c}": 0 for k in ("carried_over", "carried_forward") for c in COLUMNS},
    )
    assert [o.parts for o in out] == [
        ("9", "0", "0", "0", "0", "0", "9"),
        ("8", "0", "0", "0", "0", "0", "8"),
    ]


def test_table_four_in_one_run():
    refs = tuple(FMT.table("reviews").refs())
    ids = [i for i in FMT.identities if i.refs[0].startswith("reviews/")]
    [out] = solve([Run(refs, ("110024001510102",), (COUNT,) * 15)], ids, {})
    assert out.parts == tuple("110024001510102")
    # 复议 1|10|0|0|11 or 11|0|0|0|11: both add up
    [out] = solve([Run(refs, ("1100011" + "0" * 10,), (COUNT,) * 15)], ids, {})
    assert (out.parts, out.count) == (None, 2)


# ---------------------------------------------------------------- reading glued text

_HEAD = "示例区司法局2024年政府信息公开工作年度报告\n"


def _glued_body(values: dict, sections: dict[str, str]) -> list[str]:
    """The report body as a crawler that lost the table's cell separators leaves it: each
    heading, paragraph and table row one line, a row's cells glued."""
    tables = _glued_tables(values)
    lines: list[str] = []
    for key, heading in HEADINGS.items():
        lines.append(heading)
        lines += [p for p in (sections.get(key) or "").split("\n") if p.strip()]
        lines += tables.get(key, [])
    return lines


def _glued_tables(values: dict) -> dict[str, list[str]]:
    t2 = []
    for block, rows in active_blocks():
        t2.append(block + "信息内容" + "".join(f.label for f in rows[0].fields))
        t2 += [row.label + "".join(row_texts(values, "active", row)) for row in rows]
    t3 = [
        APPLICATIONS.note,
        "申请人情况",
        "自然人法人或其他组织总计",
        "商业企业科研机构社会公益组织法律服务机构其他",
    ]
    for row, first_in_group in application_rows():
        group = RESULTS_GROUP if row.key == "granted" else row.group if first_in_group else ""
        t3.append(group + row.label + "".join(row_texts(values, "applications", row)))
    fields = "".join(REVIEW_FIELDS)
    t4 = ["行政复议行政诉讼", fields + "未经复议直接起诉复议后起诉", fields * 2]
    t4.append("".join(t for row in FMT.table("reviews").rows for t in row_texts(values, "reviews", row)))
    return {"2": t2, "3": t3, "4": t4}


def _parse(text: str):
    report = parse_bytes(text.encode("utf-8"), "glued.txt")
    check_report(report)
    return report


def _r007() -> dict:
    """The tables of the real report r007 (平潭综合实验区 2023), as its hand labels have them."""
    values = {ref: 0 for ref in FMT.refs()}
    values |= {
        "active/normative_documents/issued": 77,
        "active/normative_documents/repealed": 132,
        "active/normative_documents/in_force": 470,
        "active/licensing/decisions": 2629,
        "active/penalty/decisions": 1330,
        "active/coercion/decisions": 54,
        "active/fees/amount": Decimal("5949.088667"),
    }
    rows = {"received": (80, 1), "total": (80, 1), "granted": (22, 0), "partially_granted": (19, 1)}
    rows |= {"unavailable_not_held": (31, 0), "withheld_inquiry": (2, 0)}
    ones = ("withheld_third_party", "withheld_process", "withheld_enforcement_file", "declined_repeat")
    rows |= dict.fromkeys((*ones, "other_no_correction", "other_misc"), (1, 0))
    for row, (person, company) in rows.items():
        values |= {f"applications/{row}/natural_person": person, f"applications/{row}/commercial": company}
        values[f"applications/{row}/total"] = person + company
    reviews = {"reconsideration": (1, 1, 0, 0), "litigation_direct": (4, 0, 0, 1)}
    reviews["litigation_after_reconsideration"] = (1, 0, 1, 0)
    for row, four in reviews.items():
        for key, value in zip(("upheld", "corrected", "other", "pending"), four, strict=True):
            values[f"reviews/{row}/{key}"] = value
        values[f"reviews/{row}/total"] = sum(four)
    return values


def test_one_line_body_reads_sections_and_tables():
    values = consistent_tables(random.Random(7))
    sections = prose_with_numbers(random.Random(7))
    body = "".join(_glued_body(values, sections))
    report = _parse(_HEAD + body + "\n")
    assert report.format == "2021"
    for key in "123456":
        written = "".join(p for p in sections[key].split("\n"))
        assert report.sections[key].replace("\n", "") == written
    wrong = [
        r for r in FMT.refs() if report.value(r) is not None and not _same(r, values[r], report.value(r))
    ]
    assert wrong == []


def _same(ref: str, want, got) -> bool:
    return same_value(want, got, FMT.fields_by_ref[ref][2].kind)


def test_split_cells_are_low_with_xg006_naming_the_row():
    values = _r007()
    report = _parse(_HEAD + "\n".join(_glued_body(values, {})) + "\n")
    assert _check_back(report, values) == []
    cell = report.cells["applications/received/natural_person"]
    assert (cell.value, cell.raw, cell.confidence) == (80, "80", "low")
    [note] = [f for f in report.findings if f.code == "XG006" and "applications/received/total" in f.cells]
    assert note.message == (
        "收到和处理政府信息公开申请情况表“一、本年新收政府信息公开申请数量”行数字粘连（原文“801000081”），"
        "已按勾稽关系拆分为 80、1、0、0、0、0、81"
    )
    assert note.severity == "warning" and note.cells == list(_refs("received"))
    [four] = [f for f in report.findings if f.code == "XG006" and f.cells[0].startswith("reviews/")]
    assert four.message == (
        "行政复议、行政诉讼情况表数字粘连（原文“110024001510102”），"
        "已按勾稽关系拆分为 1、1、0、0、2、4、0、0、1、5、1、0、1、0、2"
    )


def test_ambiguous_split_is_blank_with_xg003():
    report = _parse(_HEAD + "\n".join(_glued_body(_r007(), {})) + "\n")
    refs = [f"active/normative_documents/{f}" for f in ("issued", "repealed", "in_force")]
    assert [report.cells[r].value for r in refs] == [None, None, None]
    assert all(report.cells[r].confidence == "low" for r in refs)
    [note] = [f for f in report.findings if f.code == "XG003"]
    assert note.cells == refs
    assert note.message == (
        "主动公开政府信息情况表“行政规范性文件”行数字粘连（原文“77132470”），"
        "有 21 种拆分方式，表内没有勾稽关系可以确定，相关单元格留空"
    )
    [zeros] = [
        f for f in report.findings if f.code == "XG006" and f.cells[0].startswith("active/regulations")
    ]
    assert zeros.message == "主动公开政府信息情况表“规章”行数字粘连（原文“000”），只有一种拆分方式：0、0、0"


def test_single_cell_rows_and_exact_runs_stay_high():
    values = consistent_tables(random.Random(11))
    report = _parse(_HEAD + "\n".join(_glued_body(values, {})) + "\n")
    for ref in ("active/licensing/decisions", "active/penalty/decisions", "active/fees/amount"):
        assert report.cells[ref].confidence == "high"
        assert _same(ref, values[ref], report.value(ref))
    assert report.value("active/fees/amount") == values["active/fees/amount"]


def test_prose_on_the_table_line_stays_prose():
    table = "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件120"
    before = "本年共制发规范性文件1件。"
    after = "注：本表数据来源于本机关。"
    text = f"{_HEAD}一、总体情况 本年度工作有序开展。二、主动公开政府信息情况{before}{table}{after}三、收到和处理政府信息公开申请情况 无。\n"
    report = _parse(text)
    assert report.sections["2"] == f"{before}\n{after}"
    assert report.sections["1"] == "本年度工作有序开展。"
    assert [report.value(f"active/regulations/{f}") for f in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert [report.value(f"active/normative_documents/{f}") for f in ("issued", "repealed", "in_force")] == [
        1,
        2,
        0,
    ]
    cell = report.cells["active/normative_documents/in_force"]  # the "0" of "120", 1-based column
    assert cell.where == {"line": 2, "column": text.split("\n")[1].index("文件120") + 5}


def test_numbers_in_prose_lines_are_not_glued_cells():
    # "行政许可2629件" in prose is a number with its unit, not a table row.
    text = _HEAD + "一、总体情况\n本年行政许可2629件，行政处罚1330件。\n二、主动公开政府信息情况\n无。\n"
    report = _parse(text)
    assert not report.cells
    assert report.sections["1"] == "本年行政许可2629件，行政处罚1330件。"


def test_sentence_listing_the_sections_is_not_cut_into_headings():
    toc = "本报告包括：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况。"
    text = _HEAD + toc + "\n一、总体情况\n本年工作有序开展。\n二、主动公开政府信息情况\n无。\n"
    report = _parse(text)
    assert report.preamble == toc
    assert (report.sections["1"], report.sections["2"]) == ("本年工作有序开展。", "无。")


def test_body_on_one_line_without_tables_is_cut_at_its_headings():
    body = "一、总体情况 本年度政务公开工作有序开展，取得一定成效。二、主动公开政府信息情况 本年度主动公开政府信息12条，均已按期发布。"
    report = _parse(_HEAD + body + "\n")
    assert report.sections["1"] == "本年度政务公开工作有序开展，取得一定成效。"
    assert report.sections["2"] == "本年度主动公开政府信息12条，均已按期发布。"
    heading = next(line for line in report.lines if line.heading and line.section == "2")
    assert heading.where == {"line": 2, "column": body.index("二、") + 1}


# ---------------------------------------------------------------- property: never a wrong number


def _check_back(report, values: dict) -> list[str]:
    blank_named = {c for f in report.findings if f.code == "XG003" for c in f.cells}
    problems = []
    for ref, want in values.items():
        cell = report.cells.get(ref)
        if cell is None:
            problems.append(f"{ref}: not read")
        elif cell.value is None:
            if ref not in blank_named:
                problems.append(f"{ref}: blank without XG003")
        elif not _same(ref, want, cell.value):
            problems.append(f"{ref}: expected {want!r}, read {cell.value!r} (raw {cell.raw!r})")
    return problems


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), one_line=st.booleans())
def test_random_consistent_report_glued_reads_back_or_blank(seed, one_line):
    rng = random.Random(seed)
    values = consistent_tables(rng)
    sections = prose_with_numbers(rng)
    lines = _glued_body(values, sections)
    body = "".join(lines) if one_line else "\n".join(lines)
    report = _parse(_HEAD + body + "\n")
    assert _check_back(report, values) == []
    split = [f for f in report.findings if f.code == "XG006"]
    assert split, "glued rows are split and say so"
    for ref in FMT.refs():
        cell = report.cells[ref]
        if any(ref in f.cells for f in split) and cell.value is not None:
            assert cell.confidence == "low"


def test_zero_heavy_table_reads_back():
    values = {ref: 0 for ref in FMT.refs()}
    values["active/fees/amount"] = Decimal("0")
    report = _parse(_HEAD + "".join(_glued_body(values, {})) + "\n")
    assert _check_back(report, values) == []
    assert all(report.value(r) == 0 for r in FMT.refs())


# ---------------------------------------------------------------- the real crawled reports


def _real(name: str):
    if not realcorpus.available():
        if realcorpus.is_ci():
            pytest.fail(f"CI 下必须有真实语料库 {realcorpus.REAL}")
        pytest.skip("需要项目旁的 ../shared/corpus/real/（真实报告及人工标注），本机没有：跳过")
    return realcorpus.read(name)


@pytest.mark.parametrize("name", ["r007.txt", "r010.txt"])
def test_real_glued_report_no_wrong_no_silent(name):
    report = _real(name)
    score = realcorpus.score(name, report)
    assert score.wrong == [] and score.missing == []
    for ref in score.blank_flagged:
        assert any(f.code == "XG003" and ref in f.cells for f in report.findings)


def test_r007_reads_its_tables_and_sections():
    report = _real("r007.txt")
    score = realcorpus.score("r007.txt", report)
    assert len(score.exact) == 197
    assert sorted(score.blank_flagged) == [
        f"active/normative_documents/{f}" for f in ("in_force", "issued", "repealed")
    ]
    assert [
        report.value(f"reviews/litigation_direct/{f}")
        for f in ("upheld", "corrected", "other", "pending", "total")
    ] == [
        4,
        0,
        0,
        1,
        5,
    ]
    assert report.value("active/fees/amount") == Decimal("5949.088667")
    assert report.cells["active/fees/amount"].confidence == "high"
    assert report.sections["6"] == "2023年，无收取信息处理费情况。"
    assert report.sections["2"] == "" and report.sections["1"].startswith("2023年，平潭综合实验区坚持")


def test_r010_ambiguous_rows_blank_never_guessed():
    report = _real("r010.txt")
    assert report.format == "2019"
    for row in ("normative_documents", "procurement"):
        refs = [f"active/{row}/{f.key}" for f in FORMAT_2019.table("active").row(row).fields]
        assert all(report.cells[r].value is None for r in refs)
        assert any(f.code == "XG003" and f.cells == refs for f in report.findings)
    assert [report.value(f"applications/carried_forward/{c}") for c in COLUMNS] == [0] * 7
    assert report.value("applications/total/total") == 23
