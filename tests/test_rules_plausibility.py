"""Plausibility rules (XG601–XG605), the agency-type helpers, and what the hygiene and
plausibility families say about the real seeds, corpus pages and examples."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import shared
from layouts import seed_report as seed
from layouts import seed_texts
from shared import CORPUS, needs_shared
from xxgk.check import Context, check_report
from xxgk.check.agency import agency_level, can_make_regulations
from xxgk.extract import parse_bytes
from xxgk.model import Finding, Report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOOD = EXAMPLES / "示例区司法局-2024-制表符行.txt"
INDEX = shared.jsonl("corpus/index.jsonl")


def good_text() -> str:
    return GOOD.read_text(encoding="utf-8")


def parse(text: str) -> Report:
    return parse_bytes(text.encode("utf-8"), "示例.txt")


def found(report: Report, code: str, context: Context | None = None) -> list[Finding]:
    return check_report(report, context, select=[code])


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def page(name: str, agency_from_index: bool = False) -> Report:
    shared.require()
    path = CORPUS / "pages" / name
    report = parse_bytes(path.read_bytes(), str(path))
    if agency_from_index and report.meta.agency is None:
        # Metadata from the crawl context, as for pages that do not name their agency.
        report.meta.agency = next(e["agency"] for e in INDEX if e["file"] == f"pages/{name}")
    return report


def test_good_example_is_clean():
    assert found(parse(good_text()), "XG6") == []


# ---------------------------------------------------------------- XG601

HINT_WORDS = ("国办公开办函〔2016〕201号", "复议机关作共同被告", "司法局")


def test_seed_000_reconsideration_without_applications():
    (finding,) = found(seed("000"), "XG601")
    assert (finding.severity, finding.where) == ("warning", {"line": 284})
    assert finding.message == (
        "表四填有行政复议18件、复议后起诉3件，但表三本年新收、上年结转的政府信息公开申请均为0，请核实统计口径"
    )
    assert finding.cells == [
        "reviews/reconsideration/total",
        "reviews/litigation_after_reconsideration/total",
        "applications/received/total",
        "applications/carried_over/total",
    ]
    assert all(word in finding.hint for word in HINT_WORDS)


def test_seed_004_lawsuits_without_applications():
    (finding,) = found(seed("004"), "XG601")
    assert finding.message == (
        "表四填有未经复议直接起诉9件，但表三本年新收、上年结转的政府信息公开申请均为0，请核实统计口径"
    )


def _no_applications(report: Report) -> Report:
    for key in ("received", "carried_over", "granted", "partially_granted", "total", "carried_forward"):
        for col in ("natural_person", "commercial", "total"):
            report.cells[f"applications/{key}/{col}"].value = 0
    return report


def test_previous_year_decides():
    report = _no_applications(parse(good_text()))
    (finding,) = found(report, "XG601", Context(previous=_no_applications(parse(good_text()))))
    assert finding.message == (
        "表四填有行政复议1件、未经复议直接起诉1件，但表三本年新收、上年结转的政府信息公开申请均为0，"
        "上一年度报告也没有申请，请核实统计口径"
    )
    # Last year's applications may explain this year's cases.
    assert found(report, "XG601", Context(previous=parse(good_text()))) == []


def test_reviews_without_applications_silent_cases():
    assert found(parse(good_text()), "XG601") == []  # 11 applications
    report = _no_applications(parse(good_text()))
    for group in ("reconsideration", "litigation_direct"):
        for field in ("upheld", "pending", "total"):
            report.cells[f"reviews/{group}/{field}"].value = 0
    assert found(report, "XG601") == []  # no cases either


# ---------------------------------------------------------------- XG602


def test_town_reporting_regulations_page_092():
    (finding,) = found(page("092.txt"), "XG602")
    assert finding.message == (
        "“桃江县松木塘镇人民政府”是乡镇人民政府（街道办事处），不能制定规章，"
        "但“规章”行填有数字（本年制发件数2、本年废止件数0、现行有效件数2）"
    )
    assert finding.where == {"line": 13}
    assert "设区的市" in finding.hint and "行政规范性文件" in finding.hint


def test_municipal_bureau_reporting_regulations_page_156():
    report = page("156.txt")
    assert report.meta.agency is None
    assert found(report, "XG602") == []  # agency unknown: silent
    (finding,) = found(page("156.txt", agency_from_index=True), "XG602")
    assert finding.message == (
        "“海口市商务局”是地方政府工作部门，不能制定规章，"
        "但“规章”行填有数字（本年制发件数4、本年废止件数0、现行有效件数11）"
    )
    assert finding.cells == [
        "active/regulations/issued",
        "active/regulations/repealed",
        "active/regulations/in_force",
    ]


def test_regulations_in_example():
    text = good_text().replace("规章\t0\t0\t0", "规章\t2\t0\t2")
    (finding,) = found(parse(text), "XG602")
    assert finding.message == (
        "“示例区司法局”是地方政府工作部门，不能制定规章，但“规章”行填有数字（本年制发件数2、本年废止件数0、现行有效件数2）"
    )
    assert finding.where == {"line": line_of(text, "规章\t2")}
    for agency in ("示例省人民政府", "示例省示例市人民政府", "生态环境部", "示例市人民政府"):
        report = parse(text.replace("示例区司法局", agency))
        report.meta.agency = agency  # the reader does not take every name (生态环境部) from the title
        assert found(report, "XG602") == [], agency  # may make 规章, or 市 of unknown rank


def test_regulations_2019_shanghai_office_silent():
    report = Report(format="2019")
    report.meta.agency = "上海市人民政府办公厅"
    for key, value in (("made", 13), ("published", 13), ("total_public", 524)):
        report.set(f"active/regulations/{key}", value)
    assert found(report, "XG602") == []
    report.meta.agency = "上海市生态环境局"
    assert [f.message for f in found(report, "XG602")] == [
        "“上海市生态环境局”是地方政府工作部门，不能制定规章，"
        "但“规章”行填有数字（本年新制作数量13、本年新公开数量13、对外公开总数量524）"
    ]


# ---------------------------------------------------------------- XG603


def test_item_count_as_decisions_page_112():
    got = [(f.where, f.message) for f in found(page("112.txt"), "XG603")]
    assert got == [
        (
            {"line": 29},
            "“行政许可”的处理决定数量19恰好等于上一年项目数量16加本年增/减+3，疑似填的是事项个数而不是处理决定件数",
        ),
        (
            {"line": 33},
            "“其他对外管理服务事项”的处理决定数量4恰好等于上一年项目数量0加本年增/减+4，"
            "疑似填的是事项个数而不是处理决定件数",
        ),
    ]


def test_item_count_rule_silent_on_zeros_and_real_decisions():
    report = Report(format="2019")
    for key, values in (("licensing", (16, 3, 250)), ("penalty", (0, 0, 0)), ("coercion", (5, -1, None))):
        for field, value in zip(("previous", "change", "decisions"), values, strict=True):
            report.set(f"active/{key}/{field}", value)
    assert found(report, "XG603") == []


# ---------------------------------------------------------------- XG604

FEE = "行政事业性收费\t0"


def test_fee_written_with_yuan_unit():
    text = good_text().replace(FEE, "行政事业性收费\t2500元")
    (finding,) = found(parse(text), "XG604")
    assert finding.message == (
        "行政事业性收费金额2500疑似按“元”填写：单元格写的是“2500元”；按万元计为2500万元，对地方政府工作部门而言过大"
    )
    assert finding.cells == ["active/fees/amount"]
    assert finding.where == {"line": line_of(text, "行政事业性收费\t2500")}


def test_fee_matching_prose_in_yuan():
    text = good_text().replace(FEE, "行政事业性收费\t300")
    text = text.replace("未收取信息处理费。", "共收取信息处理费300元。")
    assert [f.message for f in found(parse(text), "XG604")] == [
        "行政事业性收费金额300疑似按“元”填写：正文写“收取信息处理费300元”"
    ]
    # 0.03 万元 = 300 元: consistent.
    assert found(parse(text.replace("行政事业性收费\t300", "行政事业性收费\t0.03")), "XG604") == []


def test_fee_threshold_is_an_option_and_depends_on_agency():
    text = good_text().replace(FEE, "行政事业性收费\t1200")
    assert [f.message for f in found(parse(text), "XG604")] == [
        "行政事业性收费金额1200疑似按“元”填写：按万元计为1200万元，对地方政府工作部门而言过大"
    ]
    assert found(parse(text), "XG604", Context(options={"fee_wan_yuan_max": 5000})) == []
    assert found(parse(text.replace("示例区司法局", "示例省公安厅")), "XG604") == []
    assert found(parse(good_text().replace(FEE, "行政事业性收费\t24.5")), "XG604") == []


def test_procurement_amount_in_yuan_is_fine_in_2019():
    report = Report(format="2019")
    report.set("active/procurement/items", 6)
    report.set("active/procurement/amount", Decimal(251000), raw="251000元").text = "251000元"
    assert found(report, "XG604") == []
    assert found(page("112.txt"), "XG604") == []


# ---------------------------------------------------------------- XG605


def test_in_force_below_issued():
    text = good_text().replace("行政规范性文件\t2\t1\t5", "行政规范性文件\t5\t0\t2")
    (finding,) = found(parse(text), "XG605")
    assert finding.message == "“行政规范性文件”现行有效件数2少于本年制发件数5"
    assert finding.where == {"line": line_of(text, "行政规范性文件\t5")}
    assert finding.cells == [
        "active/normative_documents/issued",
        "active/normative_documents/repealed",
        "active/normative_documents/in_force",
    ]
    same = good_text().replace("行政规范性文件\t2\t1\t5", "行政规范性文件\t3\t0\t3")
    assert found(parse(same), "XG605") == []


# ---------------------------------------------------------------- agency types

CORPUS_LEVELS = {
    "眉山市司法局": "municipal_department",
    "汕尾市司法局": "municipal_department",
    "银川市兴庆区前进街街道办事处": "township",
    "葫芦岛市教育局": "municipal_department",
    "张家港市教育局": "municipal_department",
    "池州市公安局": "municipal_department",
    "温州市公安局鹿城区分局": "county_department",
    "绍兴市卫生健康委员会": "municipal_department",
    "深圳市市场监督管理局": "municipal_department",
    "抚州市统计局": "municipal_department",
    "杭州市临平区统计局": "county_department",
    "北京市大兴区某镇人民政府(镇名未在摘录中出现)": "township",
    "利辛县望疃镇人民政府": "township",
    "兴华乡": "township",
    "绥宁县人民政府": "county_gov",
    "大冶市某市直部门(摘录未出现机关名称)": None,
    "武汉市硚口区人民政府办公室": "county_gov_office",
    "马鞍山市花山区司法局": "county_department",
    "某区管委会(站点为IP地址 124.93.205.130,疑为辽宁大连某开发区)": None,
    "西宁市城中区人民政府": "county_gov",
    "遵义市人力资源和社会保障局": "municipal_department",
    "南平市人民政府": "municipal_gov",
    "桃江县松木塘镇人民政府": "township",
    "麻阳苗族自治县板栗树乡人民政府": "township",
    "西藏自治区人民政府办公厅": "provincial_gov_office",
    "西藏自治区地震局": "provincial_department",
    "上海市生态环境局": "provincial_department",
    "潼关县住房和城乡建设局": "county_department",
    "黄石市住房和城乡建设局": "municipal_department",
    "广州市荔湾区冲口街道": "township",
    "重庆市万盛经开区东林街道办事处": "township",
    "乌拉特中旗巴音乌兰苏木": "township",
    "锡林郭勒盟审计局": "city_department",
    "广元市昭化区医疗保障局": "county_department",
    "开平市交通运输局": "municipal_department",
    "怀化市洪江区交通运输局": "county_department",
    "平凉市农业农村局": "municipal_department",
    "海南省生态环境厅": "provincial_department",
    "海口市商务局": "municipal_department",
    "马关县交通运输局": "county_department",
    "永德县民政局": "county_department",
    "双牌县人民政府": "county_gov",
}

OTHER_LEVELS = {
    # seeds, the shanghai report and names the reader extracts without their city
    "渝中区司法局": "county_department",
    "硚口区司法局": "county_department",
    "卫东区司法局": "county_department",
    "原州区司法局": "county_department",
    "上海市人民政府办公厅": "provincial_gov_office",
    "兴庆区前进街街道办事处": "township",
    "冲口街道": "township",
    "东林街道办事处": "township",
    "花山区司法局": "county_department",
    "城中区人民政府": "county_gov",
    "洪江区交通运输局": "county_department",
    "绍兴市卫生健康委": "municipal_department",
    # national bodies and their local branches
    "生态环境部": "national",
    "住房和城乡建设部": "national",
    "国家发展和改革委员会": "national",
    "国家市场监督管理总局": "national",
    "海关总署": "national",
    "中国人民银行": "national",
    "国务院办公厅": "national",
    "国家税务总局深圳市税务局": "municipal_department",
    "国家统计局深圳调查队": None,
    # governments at each level
    "北京市人民政府": "provincial_gov",
    "广东省人民政府": "provincial_gov",
    "新疆维吾尔自治区人民政府": "provincial_gov",
    "广东省广州市人民政府": "city_gov",
    "恩施土家族苗族自治州人民政府": "city_gov",
    "恩施州人民政府": "city_gov",
    "锡林郭勒盟行政公署": "city_gov",
    "苏州市张家港市人民政府": "county_gov",
    "北京市朝阳区人民政府": "county_gov",
    "共青城市人民政府": "municipal_gov",
    # words inside organ names that look like places
    "温州市城市管理局": "municipal_department",
    "杭州市乡村振兴局": "municipal_department",
    "司法局": None,
    "我局": None,
    "XX局": None,
    None: None,
}


@pytest.mark.parametrize(("name", "level"), list(CORPUS_LEVELS.items()) + list(OTHER_LEVELS.items()))
def test_agency_level(name, level):
    assert agency_level(name) == level


@needs_shared
def test_every_corpus_agency_has_an_expected_level():
    assert {e["agency"] for e in INDEX} <= set(CORPUS_LEVELS)


@pytest.mark.parametrize(
    ("name", "can"),
    [
        ("生态环境部", True),
        ("国家税务总局", True),
        ("广东省人民政府", True),
        ("上海市人民政府办公厅", True),
        ("广东省广州市人民政府", True),
        ("恩施土家族苗族自治州人民政府", True),
        ("锡林郭勒盟行政公署", False),
        ("南平市人民政府", None),
        ("国务院办公厅", None),
        ("苏州市张家港市人民政府", False),
        ("绥宁县人民政府", False),
        ("桃江县松木塘镇人民政府", False),
        ("海口市商务局", False),
        ("海南省生态环境厅", False),
        ("国家税务总局深圳市税务局", False),
        ("某区管委会", None),
        (None, None),
    ],
)
def test_can_make_regulations(name, can):
    assert can_make_regulations(name) is can


# ---------------------------------------------------------------- the real material


def _ours(report: Report) -> list[tuple[str, str, int | None]]:
    findings = check_report(report, select=["XG5", "XG6"])
    return [(f.code, f.severity, (f.where or {}).get("line")) for f in findings]


def test_what_the_seeds_say():
    got = {prefix: _ours(seed(prefix)) for prefix in ("000", "001", "002", "003", "004")}
    assert got == {
        "000": [("XG601", "warning", 284)],
        "001": [("XG501", "error", 411), ("XG501", "warning", 412)],
        "002": [],
        "003": [],
        "004": [("XG503", "warning", 21), ("XG601", "warning", 80)],
    }


@needs_shared
def test_no_error_on_real_material_except_the_seed_001_comment():
    paths = sorted(seed_texts().glob("00[0-4]_*.txt")) + sorted((CORPUS / "pages").glob("*.txt"))
    paths += sorted(EXAMPLES.glob("*.txt"))
    errors = []
    for path in paths:
        report = parse_bytes(path.read_bytes(), str(path))
        errors += [(path.name, code, line) for code, severity, line in _ours(report) if severity == "error"]
    assert errors == [("001_8c7426e6b89ff068.txt", "XG501", 411)]


@needs_shared
def test_corpus_pages_with_crawl_agency():
    """With the agency from the crawl context, only the real anomalies and typos are reported."""
    got = {}
    for entry in INDEX:
        name = entry["file"].split("/")[-1]
        codes = [code for code, _, _ in _ours(page(name, agency_from_index=True))]
        if codes:
            got[name] = codes
    assert got == {
        "012.txt": ["XG505"],
        "092.txt": ["XG602"],
        "112.txt": ["XG603", "XG603"],
        "128.txt": ["XG505"],
        "132.txt": ["XG505"],
        "144.txt": ["XG505"],
        "156.txt": ["XG602"],
    }
