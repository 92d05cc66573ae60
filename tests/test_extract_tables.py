"""Reading tables from realistic text: alignment by identities, partial reports, prose numbers."""

from __future__ import annotations

from xxgk.check import check_report
from xxgk.extract import parse_bytes

HEAD = "示例区司法局2024年政府信息公开工作年度报告\n一、总体情况\n2024年，本局收到申请3件。\n"
REVIEW_HEADER = (
    "四、政府信息公开行政复议、行政诉讼情况\n"
    "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t\n"
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t\n"
    "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t\n"
)
TAIL = "五、存在的主要问题及改进情况\n一是……\n六、其他需要报告的事项\n无。\n"


def _parse(text: str):
    """Parse a skeletal report and check reading and arithmetic only (these texts omit
    sections on purpose; completeness rules have their own tests)."""
    report = parse_bytes(text.encode("utf-8"), "t.txt")
    check_report(report, select=["XG0", "XG1"])
    return report


def _reviews(line: str) -> str:
    return HEAD + "二、主动公开政府信息情况\n本年制发件数\n" + REVIEW_HEADER + line + "\n" + TAIL


def test_review_blank_block_and_extra_value_chosen_by_identities():
    # Seed 004's shape with non-zero numbers: the 复议 block is blank, then 11 values for 10 cells.
    report = _parse(_reviews("\t\t\t\t\t1\t2\t3\t4\t10\t0\t1\t0\t0\t1\t7"))
    assert [report.value(f"reviews/reconsideration/{f}") for f in ("upheld", "total")] == [None, None]
    direct = [
        report.value(f"reviews/litigation_direct/{f}")
        for f in ("upheld", "corrected", "other", "pending", "total")
    ]
    assert direct == [1, 2, 3, 4, 10]
    after = [
        report.value(f"reviews/litigation_after_reconsideration/{f}") for f in ("upheld", "other", "total")
    ]
    assert after == [0, 0, 1]
    assert all(report.cells[r].confidence == "low" for r in report.cells if r.startswith("reviews/"))
    [note] = [f for f in report.findings if f.code == "XG001"]
    assert "未采用多出的“7”" in note.message
    assert not [f for f in report.findings if f.severity == "error"]


def test_review_exact_values_are_high_confidence():
    report = _parse(_reviews("5\t5\t3\t5\t18\t0\t0\t0\t0\t0\t0\t0\t3\t0\t3"))
    assert report.value("reviews/reconsideration/total") == 18
    assert report.cells["reviews/reconsideration/total"].where == {"line": 10}
    assert all(c.confidence == "high" for c in report.cells.values())
    assert report.findings == []


def test_blank_cell_keeps_its_own_location():
    report = _parse(_reviews("5\t\t3\t5\t13\t0\t0\t0\t0\t0\t0\t0\t3\t0\t3"))
    cell = report.cells["reviews/reconsideration/corrected"]
    assert (cell.value, cell.raw, cell.where) == (None, "", {"line": 10})


def test_review_total_error_names_the_cells():
    report = _parse(_reviews("5\t5\t3\t5\t17\t0\t0\t0\t0\t0\t0\t0\t3\t0\t3"))
    [err] = [f for f in report.findings if f.code == "XG104"]
    assert err.message == "行政复议：维持+纠正+其他+尚未审结=18，总计=17，不相等"
    assert "reviews/reconsideration/total" in err.cells


APP_ROWS = [
    ("一、本年新收政府信息公开申请数量", [2, 1, 0, 0, 0, 0, 3]),
    ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
    ("（一）予以公开", [1, 1, 0, 0, 0, 0, 2]),
    ("（七）总计", [1, 1, 0, 0, 0, 0, 2]),
    ("四、结转下年度继续办理", [2, 0, 0, 0, 0, 0, 2]),
]


def _app_text(rows) -> str:
    lines = [HEAD, "三、收到和处理政府信息公开申请情况", "本年度收到申请3件，结转2件。"]
    for label, values in rows:
        lines.append(label + "\t\t" + "\t".join(str(v) for v in values))
    return "\n".join(lines) + "\n" + TAIL


def test_extra_value_in_row_resolved_by_row_total():
    rows = list(APP_ROWS)
    rows[0] = (rows[0][0], [5, *rows[0][1]])  # a stray leading 5: only one window makes 总计 hold
    report = _parse(_app_text(rows))
    got = [report.value(f"applications/received/{c}") for c in ("natural_person", "commercial", "total")]
    assert got == [2, 1, 3]
    assert report.cells["applications/received/total"].confidence == "low"
    assert report.cells["applications/carried_over/total"].confidence == "high"
    # the skeletal table lacks rows (二)…(六) between rows it has: XG005 for each
    assert [f.code for f in report.findings if f.code != "XG005"] == ["XG001"]


def test_ambiguous_row_is_left_blank_not_guessed():
    # Eight values for seven cells, and both windows satisfy 总计 = sum of the six columns:
    # 1,0,0,0,0,0 -> 1 and 0,0,0,0,0,1 -> 1. The reader must not pick one.
    text = (
        HEAD
        + "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\t1\n"
    )
    report = _parse(text)
    cells = [report.cells[f"applications/received/{c}"] for c in ("natural_person", "other_org", "total")]
    assert [c.value for c in cells] == [None, None, None]
    assert {c.confidence for c in cells} == {"low"}
    [finding] = report.findings
    assert finding.code == "XG003" and finding.severity == "error"
    assert "无法确定" in finding.message and len(finding.cells) == 7


def test_partial_report_reads_what_is_there_and_checks_nothing_absent():
    text = (
        HEAD + "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t\t4\t0\t0\t0\t0\t0\t4\n"
    )
    report = _parse(text)
    assert report.value("applications/received/total") == 4
    assert not report.has("applications/total/total")
    assert report.findings == []
    data = report.to_json()
    assert data["applications"]["received"]["total"] == 4
    assert data["applications"]["total"]["total"] is None
    assert data["active"] is None and data["reviews"] is None


def test_numbers_in_prose_never_enter_tables():
    text = (
        HEAD + "二、主动公开政府信息情况\n2024年制发规范性文件5件，废止1件。\n"
        "第二十条第（一）项\t\t\t\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
        "规章\t\t\t\n行政规范性文件\t2\t0\t7\n行政许可\t12\t\t\n本年共办理行政许可 30 件 31 件。\n" + TAIL
    )
    report = _parse(text)
    assert [report.value(f"active/regulations/{f}") for f in ("issued", "repealed", "in_force")] == [None] * 3
    assert report.value("active/normative_documents/in_force") == 7
    assert report.value("active/licensing/decisions") == 12
    assert report.sections["2"] == "2024年制发规范性文件5件，废止1件。\n本年共办理行政许可 30 件 31 件。"


def test_garbage_text_gives_clean_empty_report():
    report = _parse("这不是年报。\n随便写的几行字，1234。\n" * 50)
    assert report.format is None and report.cells == {} and report.findings == []
    assert report.to_json()["applications"] is None


def test_row_missing_between_read_rows_is_reported_but_a_cut_tail_is_not():
    rows = [r for r in APP_ROWS if not r[0].startswith("二、")]
    report = _parse(_app_text(rows))
    gaps = [f for f in report.findings if f.code == "XG005"]
    assert len(gaps) == 1 + 20  # row 二, and the skeleton's 20 absent rows (二) to (六)3
    gap = gaps[0]
    assert (
        gap.message
        == "收到和处理政府信息公开申请情况表“二、上年结转政府信息公开申请数量”行未能读到，其前后的行都已读到；该行数值缺失"
    )
    assert not report.has("applications/carried_over/total")
    cut = _parse(_app_text(APP_ROWS[:2]))  # an opening that stops after row 二
    assert not [f for f in cut.findings if f.code == "XG005"]


def test_label_that_lost_its_list_dot_is_found():
    text = (
        HEAD
        + "三、收到和处理政府信息公开申请情况\n（五）不予处理\t1 信访举报投诉类申请\t1\t0\t0\t0\t0\t0\t1\n"
    )
    assert _parse(text).value("applications/declined_petition/total") == 1
