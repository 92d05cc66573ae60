"""The command line as a user meets it: exit codes, output forms, one-line errors."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from layouts import seed_path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOOD = EXAMPLES / "示例区司法局-2024-制表符行.txt"
BAD = EXAMPLES / "示例县交通运输局-2024-含错误.txt"


def xxgk(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "XXGK_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "xxgk.cli", *args], input=stdin, capture_output=True, timeout=120, env=env
    )


def test_check_consistent_report_exits_0():
    result = xxgk("check", str(GOOD))
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "未发现问题" in out and "共检查 1 份报告：错误 0 条，警告 0 条，提示 0 条" in out


def test_check_report_with_errors_exits_1_and_names_cells():
    result = xxgk("check", str(BAD))
    assert result.returncode == 1
    out = result.stdout.decode()
    assert "XG101 第2列（商业企业）：一+二=2，三(七)+四=3，勾稽关系不成立" in out
    assert "applications/received/commercial" in out


def test_check_directory_in_sorted_order_json_array():
    result = xxgk("check", str(EXAMPLES), "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    # The reading examples, then the compiled example (its source and what render made of it).
    assert [Path(d["meta"]["source"]["path"]).name for d in data] == [
        "示例区司法局-2024-制表符行.txt",
        "示例区司法局-2024-网页单元格.txt",
        "示例县交通运输局-2024-含错误.txt",
        "示例区司法局-2025-年度报告.docx",
        "示例区司法局-2025-年度报告.html",
        "示例区司法局-2025-年度报告.md",
        "示例区司法局-2025-年度报告.pdf",
        "示例区司法局-2025-年度报告源文件.yaml",
    ]
    assert [len([f for f in d["findings"] if f["severity"] == "error"]) for d in data] == [
        0,
        0,
        7,
        0,
        0,
        0,
        0,
        0,
    ]


def test_parse_json_single_object_with_no_findings_from_arithmetic():
    result = xxgk("parse", str(seed_path("004")), "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert isinstance(data, dict) and data["meta"]["agency"] == "原州区司法局"
    assert data["reviews"]["litigation_direct"] == {
        "upheld": 0,
        "corrected": 0,
        "other": 9,
        "pending": 0,
        "total": 9,
    }
    assert {f["code"] for f in data["findings"]} == {"XG001"}


def test_parse_text_summary_in_chinese():
    out = xxgk("parse", str(seed_path("004"))).stdout.decode()
    assert "机关：原州区司法局　年度：2023　格式：2021（国办公开办函〔2021〕30号）" in out
    assert "复议诉讼 15/15 格（低置信度 15 格）" in out


def test_check_accepts_its_own_json_output(tmp_path):
    data = xxgk("parse", str(BAD), "--format", "json").stdout
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    result = xxgk("check", str(path), "--format", "json")
    assert result.returncode == 1
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == [
        "XG101",
        "XG102",
        "XG102",
        "XG103",
        "XG103",
        "XG104",
        # the prose says 复议 1 件 where the table's total says 2
        "XG301",
    ]


def test_stdin_input():
    result = xxgk("check", "-", stdin=GOOD.read_bytes())
    assert result.returncode == 0, result.stderr.decode()


def _one_error_line(result, expected: str):
    err = result.stderr.decode().strip().splitlines()
    assert result.returncode == 2
    assert "Traceback" not in result.stderr.decode()
    assert any(expected in line for line in err), err


def test_unreadable_inputs_one_line_each_exit_2(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "random.txt"
    binary.write_bytes(random.Random(7).randbytes(4096))
    pdf = tmp_path / "report.txt"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    result = xxgk("check", str(empty), str(binary), str(pdf), str(GOOD), "--format", "json")
    lines = result.stderr.decode().strip().splitlines()
    assert result.returncode == 2 and len(lines) == 3, lines
    assert lines[0].startswith(f"错误：{empty}：") and "文件为空" in lines[0]
    assert lines[1].startswith(f"错误：{binary}：") and "不是文本文件" in lines[1]
    assert "PDF" in lines[2]
    data = json.loads(result.stdout)
    assert data[:3] == [None, None, None] and data[3]["meta"]["agency"] == "示例区司法局"


def test_missing_file(tmp_path):
    _one_error_line(xxgk("check", str(tmp_path / "nope.txt")), "文件不存在")


def test_huge_file_refused_by_size_without_reading(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(100 * 1024 * 1024)
    result = xxgk("parse", str(huge))
    _one_error_line(result, "文件过大")


@pytest.mark.parametrize("junk", ["这不是年报。1234\n" * 2000, "a" * 300_000, "|\t|\t" * 50_000])
def test_garbage_text_gives_an_empty_report(tmp_path, junk):
    path = tmp_path / "junk.txt"
    path.write_text(junk, encoding="utf-8")
    result = xxgk("check", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["format"] is None and data["cells"] == [] and data["findings"] == []


def test_rules_and_schema_commands():
    listing = xxgk("rules").stdout.decode()
    assert "XG101" in listing and "XG001" in listing
    one = xxgk("rules", "XG101").stdout.decode()
    assert "勾稽关系" in one and "国办公开办函〔2021〕30号" in one
    unknown = xxgk("rules", "XG999")
    assert unknown.returncode == 2 and "没有代码为 XG999 的规则" in unknown.stderr.decode()
    schema = json.loads(xxgk("schema").stdout)
    assert schema["properties"]["schema"] == {"const": "xxgk.report/1"}
