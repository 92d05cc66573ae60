"""`xxgk deadline` as a clerk runs it: text and JSON output, the calendar file, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

OVERRIDE_2027 = """\
2027:
  holidays: {2027-01-01: 元旦, 2027-02-06..2027-02-12: 春节}
  workdays: [2027-02-14]
"""


def xxgk(*args: str, calendar_env: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("XXGK_DEBUG", "XXGK_CALENDAR")}
    if calendar_env:
        env["XXGK_CALENDAR"] = calendar_env
    return subprocess.run(
        [sys.executable, "-m", "xxgk.cli", "deadline", *args],
        capture_output=True,
        timeout=60,
        env=env,
        encoding="utf-8",
    )


def test_text_output_for_the_national_day_anchor():
    result = xxgk("2025-09-26")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "收到申请：2025-09-26（星期五），自次日起算 20 个工作日",
        "国庆节、中秋节 2025-10-01 至 2025-10-08 不计",
        "2025-09-28（星期日）调休上班，计入",
        "2025-10-11（星期六）调休上班，计入",
        "周末不计",
        "答复期限：2025-10-30（星期四）",
    ]
    assert result.stderr == ""


def test_json_output_is_exactly_due_provisional_explanation():
    result = xxgk("2026-02-10", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        '{"due": "2026-03-16", "provisional": false, "explanation": ['
        '"收到申请：2026-02-10（星期二），自次日起算 20 个工作日", '
        '"春节 2026-02-15 至 2026-02-23 不计", '
        '"2026-02-14（星期六）调休上班，计入", '
        '"2026-02-28（星期六）调休上班，计入", '
        '"周末不计", '
        '"答复期限：2026-03-16（星期一）"]}\n'
    )


def test_pause_extension_and_corrected():
    # Hand count in tests/test_deadline.py: pause 3/2-3/13 -> 3/30; extended -> 4/28.
    data = json.loads(xxgk("2026-02-10", "--pause", "2026-03-02:2026-03-13", "--extend", "-f", "json").stdout)
    assert data["due"] == "2026-04-28"
    assert "征求意见 2026-03-02 至 2026-03-13 不计（条例第三十三条第三款）" in data["explanation"]
    assert (
        "经批准延期 20 个工作日（条例第三十三条第二款），自原期限 2026-03-30 次日起算" in data["explanation"]
    )
    # Two --pause options; the second (Mon 3/23 - Tue 3/24) pushes 3/30 on by two working days -> Wed 4/1.
    two = xxgk(
        "2026-02-10", "--pause", "2026-03-02:2026-03-13", "--pause", "2026-03-23..2026-03-24", "-f", "json"
    )
    assert json.loads(two.stdout)["due"] == "2026-04-01"
    restarted = json.loads(xxgk("2025-10-09", "--corrected", "2025-10-14", "-f", "json").stdout)
    assert restarted["due"] == "2025-11-11"
    seven = json.loads(xxgk("2025-09-26", "--days", "7", "-f", "json").stdout)
    assert seven["due"] == "2025-10-13"


def test_chinese_date_forms_are_accepted():
    assert json.loads(xxgk("2025年9月26日", "-f", "json").stdout)["due"] == "2025-10-30"


def test_provisional_then_calendar_file_by_option_and_by_environment(tmp_path: Path):
    plain = json.loads(xxgk("2026-12-10", "-f", "json").stdout)
    assert plain["due"] == "2027-01-07" and plain["provisional"] is True
    path = tmp_path / "日历.yaml"
    path.write_text(OVERRIDE_2027, encoding="utf-8")
    for result in (
        xxgk("2026-12-10", "--calendar", str(path), "-f", "json"),
        xxgk("2026-12-10", "-f", "json", calendar_env=str(path)),
    ):
        data = json.loads(result.stdout)
        assert data["due"] == "2027-01-08" and data["provisional"] is False
    text = xxgk("2026-12-10").stdout.splitlines()
    assert text[-1] == "答复期限：2027-01-07（星期四，临时期限）"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2025-13-01"], "收到申请日期“2025-13-01”不是有效日期（应为 YYYY-MM-DD，如 2025-09-26）"),
        (["tomorrow"], "收到申请日期“tomorrow”不是有效日期（应为 YYYY-MM-DD，如 2025-09-26）"),
        (
            ["2025-10-01", "--pause", "2025-10-20:2025-10-10"],
            "--pause “2025-10-20:2025-10-10”：结束日期早于开始日期",
        ),
        (
            ["2025-10-01", "--pause", "2025-10-20"],
            "--pause “2025-10-20”应为“开始:结束”，如 2026-03-02:2026-03-13",
        ),
        (
            ["2025-10-01", "--pause", "2025-10-20:soon"],
            "--pause 结束日期“soon”不是有效日期（应为 YYYY-MM-DD，如 2025-09-26）",
        ),
        (
            ["2025-10-01", "--corrected", "2025-09-30"],
            "补正材料收到日期 2025-09-30 早于收到申请日期 2025-10-01",
        ),
        (["2025-10-01", "--days", "twenty"], "--days “twenty”应为正整数，如 20"),
        (["2025-10-01", "--days", "0"], "答复期限的工作日数应为 1 到 1000 之间的整数，而不是“0”"),
        (["9999-12-20"], "日期 9999-12-20 加上期限后超出可计算的范围"),
    ],
)
def test_bad_input_is_one_chinese_line_and_exit_2(args, message):
    result = xxgk(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"错误：{message}\n"


def test_bad_calendar_file_names_file_and_entry(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text("2027:\n  workdays: [2027-02-14, someday]\n", encoding="utf-8")
    result = xxgk("2026-12-10", "--calendar", str(path))
    assert result.returncode == 2
    assert result.stderr == (
        f"错误：{path}：2027 年 workdays 中的“someday”不是日期（应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD）\n"
    )
    missing = xxgk("2026-12-10", calendar_env=str(tmp_path / "none.yaml"))
    assert missing.returncode == 2 and missing.stderr == f"错误：{tmp_path / 'none.yaml'}：日历文件不存在\n"
