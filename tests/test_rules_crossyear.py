"""Cross-year rules (XG701-XG704) on realistic report pairs.

The reports are text in the tab-row layout of examples/示例区司法局-2024-制表符行.txt:
`tab_report` rewrites that file's table rows with other values and, optionally, other
section prose, agency and year. Also used by tests/test_rules_members.py.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from decimal import Decimal
from pathlib import Path

import pytest

from layouts import seed_texts
from xxgk.check import Context, check_report
from xxgk.check.crossyear import narrative
from xxgk.check.similarity import comparable_text, similarity
from xxgk.extract import parse_bytes
from xxgk.formats import FORMAT_2021
from xxgk.model import Report

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "示例区司法局-2024-制表符行.txt"
TEMPLATE = EXAMPLE.read_text(encoding="utf-8")
AGENCY = "示例区司法局"
HEADINGS = {f"{'一二三四五六'[s.number - 1]}、{s.title}": str(s.number) for s in FORMAT_2021.sections}
COLUMNS = tuple(f.key for f in FORMAT_2021.table("applications").row("received").fields)
OUTCOME_ROWS = tuple(r.key for r in FORMAT_2021.table("applications").rows if r.outcome)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


# ---------------------------------------------------------------- writing reports


def _data_rows() -> list[list[str]]:
    """Cell references of the template's data lines, in order: table 二 row by row, table 三
    row by row, table 四 as one line of 15."""
    rows = [[f"active/{r.key}/{f.key}" for f in r.fields] for r in FORMAT_2021.table("active").rows]
    rows += [[f"applications/{r.key}/{c}" for c in COLUMNS] for r in FORMAT_2021.table("applications").rows]
    rows.append(FORMAT_2021.table("reviews").refs())
    return rows


def _cell(value) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _rewrite_row(line: str, refs: list[str], values: dict) -> str:
    parts = line.split("\t")
    slots = [i for i, p in enumerate(parts) if _NUMBER.fullmatch(p)]
    assert len(slots) == len(refs), line
    for i, ref in zip(slots, refs, strict=True):
        parts[i] = _cell(values[ref])
    return "\t".join(parts)


def tab_report(
    agency: str, year: int, values: dict | None = None, prose: dict[str, str] | None = None
) -> str:
    """The example report with another agency, year, table values (ref -> value, the
    example's own values for the rest) and section prose ("1".."6" -> lines)."""
    values = {**EXAMPLE_VALUES, **(values or {})}
    prose = prose or {}
    text = TEMPLATE.replace(AGENCY, agency)
    text = re.sub(r"(?<!〔)20(2\d)", lambda m: str(int(m.group(0)) + year - 2024), text)
    rows = iter(_data_rows())
    out, section = [], None
    for line in text.split("\n"):
        if line in HEADINGS:
            section = HEADINGS[line]
            out.append(line)
            out.extend(prose.get(section, "").split("\n") if section in prose else [])
        elif "\t" in line and _NUMBER.search(line) and not line.startswith(("第二十条", "信息内容")):
            out.append(_rewrite_row(line, next(rows), values))
        elif section in prose and line.strip() and "\t" not in line:
            continue  # the template's own prose of a replaced section
        else:
            out.append(line)
    return "\n".join(out)


def parse(text: str, name: str = "report.txt") -> Report:
    return parse_bytes(text.encode("utf-8"), name)


def applications(**columns: dict[str, int]) -> dict:
    """Table 三 values from outcome counts per applicant column (plus carried_over and
    carried_forward); 三(七), 一 and the 总计 column follow from the identities."""
    values = {}
    for col in COLUMNS[:-1]:
        given = columns.get(col, {})
        for row in (*OUTCOME_ROWS, "carried_over", "carried_forward"):
            values[f"applications/{row}/{col}"] = given.get(row, 0)
        done = sum(values[f"applications/{row}/{col}"] for row in OUTCOME_ROWS)
        values[f"applications/total/{col}"] = done
        values[f"applications/received/{col}"] = (
            done + values[f"applications/carried_forward/{col}"] - values[f"applications/carried_over/{col}"]
        )
    for row in FORMAT_2021.table("applications").rows:
        values[f"applications/{row.key}/total"] = sum(
            values[f"applications/{row.key}/{c}"] for c in COLUMNS[:-1]
        )
    return values


EXAMPLE_VALUES = {ref: cell.value for ref, cell in parse(TEMPLATE, EXAMPLE.name).cells.items()}

# Last year's prose of the same agency: same subjects, written anew.
PROSE_2023 = {
    "1": "\n".join(
        [
            "2023年，示例区司法局围绕法治政府建设中心任务，把政务公开作为转变作风、接受监督的重要抓手。",
            "（一）主动公开情况。依托区政府门户网站发布法律援助、人民调解、公共法律服务等信息96条。",
            "（二）依申请公开情况。全年新收申请8件，上年结转2件，按期答复9件，结转下年度1件。",
            "（三）政府信息管理情况。修订本局政府信息公开指南，动态调整主动公开基本目录。",
            "（四）政府信息公开平台建设情况。开通“法治示例”微信公众号，同步推送普法宣传内容。",
            "（五）监督保障情况。局党组专题研究政务公开工作1次，对照考核指标逐项查缺补漏。",
        ]
    ),
    "5": "\n".join(
        [
            "（一）上年度存在问题的改进情况",
            "针对2022年公开栏目更新滞后的问题，明确专人维护栏目，建立周检查制度，栏目更新时效明显改善。",
            "（二）本年度存在的主要问题及改进措施",
            "政策解读形式较为单一，多为文字解读。2024年将探索图解、短视频等形式，提高解读的可读性。",
        ]
    ),
}

# Last year's table: 8 new + 2 carried over = 9 answered + 1 carried forward (自然人).
VALUES_2023 = {
    **applications(
        natural_person={
            "granted": 3,
            "partially_granted": 1,
            "unavailable_not_held": 3,
            "declined_petition": 1,
            "carried_over": 2,
            "carried_forward": 1,
        },
        commercial={"granted": 1},
    ),
    "active/normative_documents/issued": 1,
    "active/normative_documents/repealed": 0,
    "active/normative_documents/in_force": 4,
    "active/licensing/decisions": 31,
    "active/penalty/decisions": 9,
}


@pytest.fixture
def this_year() -> Report:
    return parse(TEMPLATE, EXAMPLE.name)


def previous(values: dict | None = None, prose: dict | None = None, agency: str = AGENCY, year: int = 2023):
    text = tab_report(agency, year, {**VALUES_2023, **(values or {})}, PROSE_2023 if prose is None else prose)
    return parse(text, f"{agency}-{year}.txt")


def crossyear(report: Report, prev: Report | None, **options) -> list[tuple[str, str, str, list[str]]]:
    context = Context(previous=prev, options=options)
    return [(f.code, f.severity, f.message, f.cells) for f in check_report(report, context, select=["XG70"])]


# ---------------------------------------------------------------- the writer itself


def test_tab_report_reads_back_and_is_consistent():
    report = parse(tab_report(AGENCY, 2023, VALUES_2023, PROSE_2023))
    assert (report.meta.agency, report.meta.year, report.format) == (AGENCY, 2023, "2021")
    assert {ref: report.value(ref) for ref in VALUES_2023} == VALUES_2023
    assert len(report.cells) == 200
    assert [f.code for f in check_report(report, select=["XG1"])] == []
    assert report.sections["5"].startswith("（一）上年度存在问题的改进情况\n针对2022年")


# ---------------------------------------------------------------- silence


def test_no_previous_report_no_findings(this_year):
    assert crossyear(this_year, None) == []


def test_consistent_previous_year_is_silent(this_year):
    assert crossyear(this_year, previous()) == []


def test_unknown_agency_is_trusted(this_year):
    prev = previous(
        values={"applications/carried_forward/natural_person": 2, "applications/carried_forward/total": 2}
    )
    prev.meta.agency = None
    assert [c for c, *_ in crossyear(this_year, prev)] == ["XG701", "XG701"]


# ---------------------------------------------------------------- XG704


def test_other_agency_or_year_gives_one_info_and_nothing_else(this_year):
    other = previous(values={"applications/carried_forward/natural_person": 5}, agency="示例区民政局")
    assert crossyear(this_year, other) == [
        (
            "XG704",
            "info",
            "所给上年报告与本报告不匹配：机关不同（本报告：示例区司法局；所给上年报告：示例区民政局）。跨年度检查未进行",
            [],
        )
    ]
    older = previous(prose=PROSE_2023, year=2022)
    assert crossyear(this_year, older) == [
        (
            "XG704",
            "info",
            "所给上年报告与本报告不匹配：年度不是上一年（本报告为 2024 年度，所给上年报告为 2022 年度）。跨年度检查未进行",
            [],
        )
    ]


# ---------------------------------------------------------------- XG701


def test_carry_over_differs_per_column(this_year):
    prev = previous(
        values={
            **applications(
                natural_person={
                    "granted": 3,
                    "unavailable_not_held": 3,
                    "carried_over": 2,
                    "carried_forward": 2,
                },
                commercial={"granted": 1},
            ),
        }
    )
    found = crossyear(this_year, prev)
    assert found == [
        (
            "XG701",
            "error",
            "二、上年结转政府信息公开申请数量／自然人：本年填 1，而上年（2023年）报告“四、结转下年度继续办理”"
            "同一列为 2，两者应相等",
            ["applications/carried_over/natural_person"],
        ),
        (
            "XG701",
            "error",
            "二、上年结转政府信息公开申请数量／总计：本年填 1，而上年（2023年）报告“四、结转下年度继续办理”"
            "同一列为 2，两者应相等",
            ["applications/carried_over/total"],
        ),
    ]
    finding = next(f for f in check_report(this_year, Context(previous=prev)) if f.code == "XG701")
    assert finding.where == {"line": 36}
    assert TEMPLATE.split("\n")[35].startswith("二、上年结转政府信息公开申请数量")


def test_carry_over_blank_counts_as_zero_and_says_so(this_year):
    prev = previous()
    prev.cells["applications/carried_forward/natural_person"].value = None
    assert [m for _, _, m, _ in crossyear(this_year, prev)] == [
        "二、上年结转政府信息公开申请数量／自然人：本年填 1，而上年（2023年）报告“四、结转下年度继续办理”"
        "同一列为 空白，两者应相等（空白按 0 计）"
    ]


# ---------------------------------------------------------------- XG702


def test_in_force_count_does_not_follow_from_last_year(this_year):
    prev = previous(values={"active/normative_documents/in_force": 3})
    assert crossyear(this_year, prev) == [
        (
            "XG702",
            "warning",
            "行政规范性文件／现行有效件数：本年填 5，按上年（2023年）报告推算应为 4"
            "（上年现行有效 3 + 本年制发 2 − 本年废止 1）",
            [
                "active/normative_documents/issued",
                "active/normative_documents/repealed",
                "active/normative_documents/in_force",
            ],
        )
    ]


def test_in_force_rule_ignores_regulation_rows_left_blank(this_year):
    prev = previous()
    for report in (this_year, prev):
        for key in ("issued", "repealed", "in_force"):
            report.cells[f"active/regulations/{key}"].value = None
    assert crossyear(this_year, prev) == []


# ---------------------------------------------------------------- across formats (2020 report in the 2019 format)


REPORT_2020 = """示例区司法局2020年政府信息公开工作年度报告

本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式（试行）》（国办公开办函〔2019〕60号）编制。
一、总体情况
2020年，示例区司法局认真贯彻落实新修订的《条例》，在疫情防控形势下坚持做好政府信息公开工作，全年主动公开信息88条，受理申请6件。
二、主动公开政府信息情况
第二十条第（一）项\t\t\t
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t0\t0\t0
规范性文件\t1\t1\t3
第二十条第（五）项\t\t\t
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政许可\t4\t0\t28
其他对外管理服务事项\t2\t+1\t15
第二十条第（六）项\t\t\t
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政处罚\t6\t0\t7
行政强制\t0\t0\t0
第二十条第（八）项\t\t\t
信息内容\t上一年项目数量\t本年增/减\t
行政事业性收费\t0\t0\t
第二十条第（九）项\t\t\t
信息内容\t采购项目数量\t采购总金额\t
政府集中采购\t2\t18.5万元\t
三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t申请人情况\t\t\t\t\t\t\t
\t\t自然人\t法人或其他组织\t\t\t\t\t总计
\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t
一、本年新收政府信息公开申请数量\t\t6\t0\t0\t0\t0\t0\t6
二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0
三、本年度办理结果\t（一）予以公开\t3\t0\t0\t0\t0\t0\t3
\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t0\t0\t0\t0\t0\t0\t0
\t（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0
\t\t2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0
\t\t3.危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0
\t\t4.保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0
\t\t5.属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0
\t\t6.属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0
\t\t7.属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0
\t\t8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0
\t（四）无法提供\t1.本机关不掌握相关政府信息\t1\t0\t0\t0\t0\t0\t1
\t\t2.没有现成信息需要另行制作\t0\t0\t0\t0\t0\t0\t0
\t\t3.补正后申请内容仍不明确\t0\t0\t0\t0\t0\t0\t0
\t（五）不予处理\t1.信访举报投诉类申请\t0\t0\t0\t0\t0\t0\t0
\t\t2.重复申请\t0\t0\t0\t0\t0\t0\t0
\t\t3.要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0
\t\t4.无正当理由大量反复申请\t0\t0\t0\t0\t0\t0\t0
\t\t5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0
\t（六）其他处理\t\t0\t0\t0\t0\t0\t0\t0
\t（七）总计\t\t4\t0\t0\t0\t0\t0\t4
四、结转下年度继续办理\t\t2\t0\t0\t0\t0\t0\t2
四、政府信息公开行政复议、行政诉讼情况
行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t
\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计
0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0
五、政府信息公开工作存在的主要问题及改进情况
一是主动公开的深度和广度还不够，二是工作人员业务水平有待提高。2021年，我局将加强业务培训，拓展公开内容，做好新修订《条例》的贯彻落实。
六、其他需要报告的事项
无。
"""


@pytest.fixture
def report_2020() -> Report:
    return parse(REPORT_2020, "示例区司法局-2020.txt")


def test_2019_format_fixture_reads(report_2020):
    assert (report_2020.format, report_2020.meta.year, report_2020.meta.agency) == ("2019", 2020, AGENCY)
    assert report_2020.value("applications/carried_forward/total") == 2
    assert report_2020.value("applications/other/total") == 0
    assert [f.code for f in check_report(report_2020, select=["XG1"])] == []


def test_carry_over_across_formats(report_2020):
    ok = parse(tab_report(AGENCY, 2021, applications(natural_person={"granted": 2, "carried_over": 2})))
    assert ok.format == "2021"
    assert crossyear(ok, report_2020) == []
    bad = parse(tab_report(AGENCY, 2021, applications(natural_person={"granted": 2, "carried_over": 1})))
    assert [(c, m) for c, _, m, _ in crossyear(bad, report_2020)] == [
        (
            "XG701",
            "二、上年结转政府信息公开申请数量／自然人：本年填 1，而上年（2020年）报告“四、结转下年度继续办理”"
            "同一列为 2，两者应相等",
        ),
        (
            "XG701",
            "二、上年结转政府信息公开申请数量／总计：本年填 1，而上年（2020年）报告“四、结转下年度继续办理”"
            "同一列为 2，两者应相等",
        ),
    ]


def test_in_force_rule_silent_across_formats(report_2020):
    # 2021 in force 9 could never follow from the 2019 对外公开总数量 3: not compared.
    report = parse(
        tab_report(
            AGENCY,
            2021,
            {
                **applications(natural_person={"granted": 2, "carried_over": 2}),
                "active/normative_documents/in_force": 9,
            },
        )
    )
    assert crossyear(report, report_2020) == []


# ---------------------------------------------------------------- XG703


def _renumbered(text: str, rng: random.Random) -> str:
    """Last year's text: years one back, every other number changed."""
    text = re.sub(r"20(2\d)", lambda m: str(int(m.group(0)) - 1), text)
    return re.sub(r"(?<![\d年])\d{1,3}(?![\d年])", lambda m: str(rng.randint(1, 300)), text)


def test_copied_sections_are_reported_with_their_similarity(this_year):
    rng = random.Random(3)
    copied = {key: _renumbered(this_year.sections[key], rng) for key in ("1", "5")}
    assert copied["1"] != this_year.sections["1"]
    assert copied["5"] != this_year.sections["5"]
    found = crossyear(this_year, previous(prose=copied))
    assert found == [
        (
            "XG703",
            "warning",
            "第一部分（总体情况）与上年（2023年）报告相似度 100%（阈值 80%），疑似内容雷同",
            [],
        ),
        (
            "XG703",
            "warning",
            "第五部分（存在的主要问题及改进情况）与上年（2023年）报告相似度 100%（阈值 80%），疑似内容雷同",
            [],
        ),
    ]
    wheres = [
        f.where
        for f in check_report(this_year, Context(previous=previous(prose=copied)))
        if f.code == "XG703"
    ]
    assert wheres == [{"line": 5}, {"line": 69}]


def test_partly_rewritten_section_against_threshold_option(this_year):
    text = this_year.sections["1"].split("\n")
    # Last year had the same opening and sub-items (一)-(三), but other wording for (四) and (五).
    prose = {
        "1": "\n".join(
            text[:4]
            + [
                "（四）政府信息公开平台建设情况。完成政府网站集约化迁移，栏目设置与全区统一。",
                "（五）监督保障情况。邀请社会监督员对公开工作进行评议，收集意见建议6条并逐条回应。",
            ]
        ),
        "5": PROSE_2023["5"],
    }
    prev = previous(prose=prose)
    measured = similarity(narrative(this_year, "1"), narrative(prev, "1"))
    assert 0.6 < measured.containment < 0.8
    assert crossyear(this_year, prev) == []
    percent = measured.percent
    assert crossyear(this_year, prev, similarity_threshold=60) == [
        (
            "XG703",
            "warning",
            f"第一部分（总体情况）与上年（2023年）报告相似度 {percent}%（阈值 60%），疑似内容雷同",
            [],
        )
    ]


def test_short_sections_fall_back_to_all_narrative(this_year):
    # Sections 一 and 五 under 80 characters each; together with 三, 四, 六 they are long enough.
    short = {
        "1": "2024年，示例区司法局坚持以公开为常态、不公开为例外，全面落实《条例》各项要求。",
        "3": "本年度共收到政府信息公开申请11件，上年结转1件；办理答复11件，结转下年度继续办理1件。",
        "4": "本年度因政府信息公开工作被申请行政复议1件，被提起行政诉讼1件。",
        "5": "一是信息发布的及时性有待提高；二是依申请公开答复文书规范性有待加强。",
    }
    report = parse(tab_report(AGENCY, 2024, prose=short))
    assert all(len(comparable_text(narrative(report, k))) < 80 for k in ("1", "5"))
    prev = previous(prose={k: _renumbered(v, random.Random(1)) for k, v in short.items()})
    assert crossyear(report, prev) == [
        ("XG703", "warning", "全部叙述文字与上年（2023年）报告相似度 100%（阈值 80%），疑似内容雷同", [])
    ]
    assert crossyear(report, prev, similarity_min_chars=400) == []


def test_seed_reports_of_different_agencies_are_far_apart():
    folder = seed_texts()
    seeds = [parse_bytes(p.read_bytes(), str(p)) for p in sorted(folder.glob("00[0-4]_*.txt"))]
    rng = random.Random(5)
    for key in ("1", "5", None):
        for a, b in itertools.permutations(seeds, 2):
            assert similarity(narrative(a, key), narrative(b, key)).containment < 0.2
        for seed in seeds:
            text = narrative(seed, key)
            if len(comparable_text(text)) >= 80:
                assert similarity(_renumbered(text, rng), text).containment == 1.0


# ---------------------------------------------------------------- stored reports (xxgk.report/1 JSON)


def _stored(report: Report) -> Report:
    return Report.from_json(json.loads(json.dumps(report.to_json(), ensure_ascii=False)))


def test_rules_work_on_reports_loaded_from_json(this_year):
    copied = {key: _renumbered(this_year.sections[key], random.Random(9)) for key in ("1", "5")}
    prev = previous(
        values={"applications/carried_forward/natural_person": 2, "active/normative_documents/in_force": 3},
        prose=copied,
    )
    parsed = crossyear(this_year, prev)
    assert [c for c, *_ in parsed] == ["XG701", "XG702", "XG703", "XG703"]
    stored = crossyear(_stored(this_year), _stored(prev))
    assert stored == parsed
    wheres = [
        f.where
        for f in check_report(_stored(this_year), Context(previous=_stored(prev)))
        if f.code == "XG703"
    ]
    assert wheres == [{"section": "1"}, {"section": "5"}]
