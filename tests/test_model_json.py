"""The xxgk.report/1 contract: shape, schema, and JSON round trips."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import shared
from shared import needs_shared
from xxgk.check import check_report
from xxgk.check.text import finding_section
from xxgk.extract import parse_bytes
from xxgk.formats import FORMAT_2021
from xxgk.model import Report
from xxgk.schema import report_schema

SEEDS = shared.files("seeds")
PAGES = shared.files("corpus/pages")
EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))


@pytest.fixture(scope="module")
def validator():
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", shared.params(SEEDS + PAGES) + EXAMPLES, ids=lambda p: p.name)
def test_parse_output_validates_against_schema(path, validator):
    report = parse_bytes(path.read_bytes(), str(path))
    check_report(report)
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, errors[0].message


@needs_shared
def test_top_level_keys_and_cell_shape():
    report = parse_bytes(SEEDS[0].read_bytes(), "000.txt")
    data = report.to_json()
    assert list(data)[:10] == [
        "schema",
        "format",
        "meta",
        "preamble",
        "sections",
        "active",
        "applications",
        "reviews",
        "cells",
        "findings",
    ]
    assert data["schema"] == "xxgk.report/1"
    assert data["active"]["penalty"] == {"decisions": 12}
    assert data["reviews"]["reconsideration"] == {
        "upheld": 5,
        "corrected": 5,
        "other": 3,
        "pending": 5,
        "total": 18,
    }
    assert len(data["applications"]) == 25 and len(data["cells"]) == 200
    first = data["cells"][0]
    assert first["ref"] == "active/regulations/issued" and set(first) == {
        "ref",
        "value",
        "raw",
        "where",
        "confidence",
    }
    assert [c["ref"] for c in data["cells"]] == FORMAT_2021.refs()


@pytest.mark.parametrize("path", shared.params(SEEDS) + EXAMPLES, ids=lambda p: p.name)
def test_json_round_trip_keeps_every_cell(path):
    report = parse_bytes(path.read_bytes(), str(path))
    check_report(report)
    data = report.to_json()
    again = Report.from_json(json.loads(json.dumps(data, ensure_ascii=False)))
    assert again.to_json() == data


def test_absent_cells_stay_absent_through_json():
    text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t\t4\t0\t0\t0\t0\t0\t4\n本年制发件数\n"
    report = parse_bytes(text.encode(), "p.txt")
    again = Report.from_json(report.to_json())
    assert again.has("applications/received/total") and not again.has("applications/total/total")


def test_hand_written_json_without_cells_counts_keys_as_present():
    data = {
        "schema": "xxgk.report/1",
        "format": "2021",
        "meta": {},
        "sections": {},
        "reviews": {"reconsideration": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 2}},
    }
    report = Report.from_json(data)
    [finding] = check_report(report)
    assert finding.code == "XG104"


PREAMBLE = (
    "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国办公开办函〔2021〕30号要求编制。"
    "本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。\n本报告电子版可在示例区人民政府门户网站下载。"
)


def test_the_preamble_is_a_top_level_string_and_older_json_has_none(validator):
    report = Report(format="2021")
    report.meta.agency, report.meta.year = "示例区司法局", 2024
    report.preamble = PREAMBLE
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    assert data["preamble"] == PREAMBLE and not list(validator.iter_errors(data))
    assert Report.from_json(data).preamble == PREAMBLE
    del data["preamble"]  # JSON written before the key existed
    assert not list(validator.iter_errors(data))
    assert Report.from_json(data).preamble == ""
    assert Report(format="2021").to_json()["preamble"] == ""
    assert list(validator.iter_errors({**data, "preamble": ["一段"]}))


def test_the_front_matter_rules_read_the_preamble_of_a_json_report():
    """Rebuilt from JSON, the preamble's lines come before section 一, outside every section:
    XG206 and XG207 read them there."""
    report = Report(format="2021")
    report.meta.agency, report.meta.year = "示例区司法局", 2025
    report.preamble = PREAMBLE.replace("〔2021〕30号", "〔202130号")
    again = Report.from_json(json.loads(json.dumps(report.to_json(), ensure_ascii=False)))
    found = {f.code: f for f in check_report(again) if f.code in ("XG206", "XG207")}
    assert (
        found["XG206"].message == "开头引用的格式文件文号“国办公开办函〔202130号”有误：年份的六角括号〔〕残缺"
    )
    assert found["XG207"].message == "开头统计期限“2024年1月1日起至2024年12月31日”与报告年度2025年不符"
    # no place to point at but the opening: grouped with the findings about the whole report
    assert all("where" not in f.to_json() and finding_section(again, f) is None for f in found.values())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"schema": "other"}, "不是 xxgk.report/1 格式的报告"),
        ({"schema": "xxgk.report/1", "preamble": ["一段"]}, "preamble（前言）应为一段文字"),
        (
            {"schema": "xxgk.report/1", "format": "2021", "active": {"penalty": {"decisions": "x"}}},
            "单元格 active/penalty/decisions 的值无效",
        ),
    ],
)
def test_bad_json_reports_are_refused_with_a_message(data, message):
    with pytest.raises(ValueError, match=message):
        Report.from_json(data)
