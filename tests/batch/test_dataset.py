"""A generated cohort through `xxgk batch`: every cell exactly, every planted problem found and
nothing else, failures listed, the DuckDB views, 汇总.xlsx, the dashboard."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from decimal import Decimal

import pyarrow.parquet as pq
from cohortmaker import AMBIGUOUS, STANDALONE, STANDALONE_2024

from xxgk.batch.database import query

COHORT_CODES = ("XG7", "XG8", "XG9")


def _reports(out):
    return {row["report"]: row for row in pq.read_table(out / "reports.parquet").to_pylist()}


def test_every_cell_exactly_in_the_wide_table(local_run):
    out, cohort, _ = local_run
    rows = _reports(out)
    assert set(rows) == set(cohort.files)
    for file, values in cohort.files.items():
        got = {ref: rows[file][ref] for ref in values}
        want = {ref: Decimal(v) if isinstance(v, Decimal) else v for ref, v in values.items()}
        assert got == want, file
        assert rows[file]["agency"] == cohort.agencies[file]


def test_every_cell_exactly_in_the_long_table(local_run):
    out, cohort, _ = local_run
    cells = pq.read_table(out / "cells.parquet").to_pylist()
    by_report = {}
    for cell in cells:
        by_report.setdefault(cell["report"], {})[cell["key"]] = cell
    assert set(by_report) == set(cohort.files)
    for file, values in cohort.files.items():
        assert set(by_report[file]) == set(values)
        for ref, want in values.items():
            cell = by_report[file][ref]
            assert (cell["value"], cell["state"]) == (Decimal(want), "value"), (file, ref)
            assert cell["provenance"].startswith("{")


def test_planted_problems_found_and_nothing_else(local_run):
    out, cohort, _ = local_run
    findings = pq.read_table(out / "findings.parquet").to_pylist()
    got = Counter((f["report"], f["code"]) for f in findings if f["code"].startswith(COHORT_CODES))
    assert {(file, code, n) for (file, code), n in got.items()} == cohort.expected
    late = {f["report"] for f in findings if f["code"] == "XG402"}
    assert late == set(cohort.late)
    assert {f["scope"] for f in findings if f["code"].startswith("XG9")} == {"cohort"}


def test_cohort_messages(local_run):
    out, cohort, _ = local_run
    _, rows = query(out, "SELECT code, message FROM findings WHERE code IN ('XG903', 'XG904') ORDER BY code")
    assert rows == [
        ("XG903", f"机构树中杭州市滨江区人民政府的下级机构 1 个本年度没有报告：{cohort.missing}，汇总核对覆盖不完整"),
        ("XG904", "机关所在地区不明确：鼓楼区可能是 江苏省南京市鼓楼区、江苏省徐州市鼓楼区、河南省开封市鼓楼区、"
                  "福建省福州市鼓楼区，未归入任何地区"),
    ]  # fmt: skip
    _, rows = query(out, "SELECT message FROM findings WHERE code = 'XG901' ORDER BY report")
    assert all("疑似内容雷同（同组共 2 份：本报告、" in m and "相同段落：" in m for (m,) in rows)


def test_late_reports_listed_with_days(local_run):
    out, cohort, _ = local_run
    names, rows = query(out, "SELECT report, days_late FROM late_reports")
    assert names == ["report", "days_late"]
    assert dict(rows) == cohort.late


def test_failures_listed_with_chinese_reasons(local_run):
    out, cohort, progress = local_run
    with (out / "failures.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["file"] for r in rows) == sorted(cohort.damaged)
    reasons = {r["file"]: r["reason"] for r in rows}
    assert reasons[cohort.damaged[0]] == "文件为空"
    assert reasons[cohort.damaged[1]] == "ZIP 压缩包（不是 DOCX 文档）"
    assert progress.failed_total == 2


def test_canonical_names_and_regions(local_run):
    out, cohort, _ = local_run
    rows = _reports(out)
    by_agency = {r["agency"]: r for r in rows.values()}
    first, second = by_agency[STANDALONE], by_agency[STANDALONE_2024]
    assert first["canonical_agency"] == second["canonical_agency"] == "浙江省宁波市鄞州区司法局"
    assert second["previous_report"] == first["report"]
    assert (second["province"], second["city"], second["county"]) == ("浙江省", "宁波市", "鄞州区")
    ambiguous = by_agency[AMBIGUOUS]
    assert (ambiguous["region_status"], ambiguous["province"], ambiguous["canonical_agency"]) == (
        "ambiguous", None, AMBIGUOUS,
    )  # fmt: skip
    # 2023 reports name the members without 杭州市; they still meet their org-tree node
    members = [r for r in rows.values() if r["year"] == 2023 and r["agency"].startswith("滨江区")]
    assert members and all(r["org_node"] == "杭州市" + r["agency"] for r in members)
    assert all(r["previous_report"] is None for r in rows.values() if r["year"] == 2023)


def test_indicator_views(local_run):
    out, cohort, _ = local_run
    _, rows = query(out, "SELECT year, reports, received, concluded, disclosure_rate FROM indicators_year")
    for year, reports, received, concluded, rate in rows:
        files = [f for f in cohort.files if f"/{year}/" in f]
        assert reports == len(files)
        assert received == sum(cohort.files[f]["applications/received/total"] for f in files)
        assert concluded == sum(cohort.files[f]["applications/total/total"] for f in files)
        disclosed = sum(
            cohort.files[f]["applications/granted/total"]
            + cohort.files[f]["applications/partially_granted/total"]
            for f in files
        )
        assert rate == round(disclosed / concluded, 4)


def test_rate_guard_below_minimum(local_run):
    out, _, _ = local_run
    _, rows = query(
        out, "SELECT count(*) FROM indicators_report WHERE reconsideration_decided < 10 "
        "AND reconsideration_correction_rate IS NOT NULL",
    )  # fmt: skip
    assert rows == [(0,)]


def test_summary_workbook(local_run):
    from openpyxl import load_workbook

    out, cohort, _ = local_run
    book = load_workbook(out / "汇总.xlsx", read_only=False)
    assert book.sheetnames == ["表二 主动公开", "表三 依申请公开", "表四 复议诉讼", "问题清单"]
    sheet = book["表三 依申请公开"]
    assert sheet.cell(1, 6).value == "一、本年新收政府信息公开申请数量"
    assert sheet.cell(2, 6).value == "自然人"
    assert sheet.max_row == 2 + len(cohort.files)
    gov = next(r for r in sheet.iter_rows(min_row=3) if r[4].value.endswith("gov-2024.txt"))
    assert gov[5].fill.fgColor.rgb.endswith("FFC7CE")  # XG801 on 一、本年新收/自然人: an error


def test_dictionary_explains_every_column(local_run):
    out, _, _ = local_run
    text = (out / "dataset.md").read_text(encoding="utf-8")
    for name in pq.read_schema(out / "reports.parquet").names:
        assert f"| `{name}` |" in text, name
    assert "实质公开率" in text and "（予以公开+部分公开）÷办结" in text


def test_dashboard_is_self_contained(local_run, tmp_path):
    out, _, _ = local_run
    page = tmp_path / "看板.html"
    result = subprocess.run(
        [sys.executable, "-m", "xxgk.cli", "dataset", "report", str(out), "-o", str(page)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert "<svg" in html and "XG901" in html and "逾期发布的报告" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html


def test_dataset_query_cli(local_run):
    out, _, _ = local_run
    result = subprocess.run(
        [sys.executable, "-m", "xxgk.cli", "dataset", "query", str(out), "SELECT count(*) AS n FROM failures"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (0, "n\n2\n")
    bad = subprocess.run(
        [sys.executable, "-m", "xxgk.cli", "dataset", "query", str(out), "SELECT nope FROM reports"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.startswith("错误：SQL 执行失败：")
