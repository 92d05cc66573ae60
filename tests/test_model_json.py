"""The xxgk.report/1 contract: shape, schema, and JSON round trips."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from xxgk.check import check_report
from xxgk.extract import parse_bytes
from xxgk.formats import FORMAT_2021
from xxgk.model import Report
from xxgk.schema import report_schema

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
PAGES = sorted((SHARED / "corpus" / "pages").glob("*.txt"))
EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))


@pytest.fixture(scope="module")
def validator():
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", SEEDS + PAGES + EXAMPLES, ids=lambda p: p.name)
def test_parse_output_validates_against_schema(path, validator):
    report = parse_bytes(path.read_bytes(), str(path))
    check_report(report)
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, errors[0].message


def test_top_level_keys_and_cell_shape():
    report = parse_bytes(SEEDS[0].read_bytes(), "000.txt")
    data = report.to_json()
    assert list(data)[:9] == [
        "schema",
        "format",
        "meta",
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


@pytest.mark.parametrize("path", SEEDS + EXAMPLES, ids=lambda p: p.name)
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


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"schema": "other"}, "不是 xxgk.report/1 格式的报告"),
        (
            {"schema": "xxgk.report/1", "format": "2021", "active": {"penalty": {"decisions": "x"}}},
            "单元格 active/penalty/decisions 的值无效",
        ),
    ],
)
def test_bad_json_reports_are_refused_with_a_message(data, message):
    with pytest.raises(ValueError, match=message):
        Report.from_json(data)
