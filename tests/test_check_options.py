"""`xxgk check` options: config file, --fail-on, CSV, --previous/--members, generated docs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from layouts import seed_path
from test_cli import BAD, EXAMPLES, GOOD, ROOT, xxgk
from xxgk.check import RULES
from xxgk.config import find_config, load_config
from xxgk.errors import XxgkError
from xxgk.show import rules_markdown


def test_docs_rules_md_is_generated_from_the_registry():
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == rules_markdown(RULES.values()), (
        "docs/rules.md is stale: run `xxgk rules --markdown > docs/rules.md`"
    )


def test_rules_markdown_command_prints_the_reference():
    out = xxgk("rules", "--markdown").stdout.decode()
    assert out.startswith("# 检查规则参考") and "## XG101" in out


def test_csv_one_row_per_finding_with_bom():
    result = xxgk("check", str(BAD), "--format", "csv")
    assert result.returncode == 1
    text = result.stdout.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["文件", "机关", "年度", "代码", "级别", "规则", "说明", "单元格", "行", "部分", "提示"]
    body = rows[1:]
    assert len(body) == len(json.loads(xxgk("check", str(BAD), "-f", "json").stdout)["findings"])
    first = dict(zip(rows[0], body[0], strict=True))
    assert first["代码"] == "XG101" and first["级别"] == "错误" and first["部分"] == "三"
    assert first["机关"] == "示例县交通运输局" and first["年度"] == "2024"


def test_text_output_is_grouped_by_section():
    out = xxgk("check", str(BAD)).stdout.decode()
    three = out.index("三、收到和处理政府信息公开申请情况")
    four = out.index("四、政府信息公开行政复议、行政诉讼情况")
    assert three < out.index("XG101") < four < out.index("XG104")


def test_fail_on_warning(tmp_path):
    seed = seed_path("004")
    only_reading = xxgk("check", str(seed), "--select", "XG0")
    assert only_reading.returncode == 0  # XG001 is a warning
    assert xxgk("check", str(seed), "--select", "XG0", "--fail-on", "warning").returncode == 1


def test_config_file_sets_defaults_and_cli_overrides(tmp_path):
    (tmp_path / "xxgk.toml").write_text('ignore = ["XG10"]\nfail-on = "error"\n', encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(BAD.read_bytes())
    result = xxgk("check", str(bad), "--config", str(tmp_path / "xxgk.toml"), "-f", "json")
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert not any(c.startswith("XG10") for c in codes)
    again = xxgk(
        "check", str(bad), "--config", str(tmp_path / "xxgk.toml"), "--ignore", "XG104", "-f", "json"
    )
    assert "XG101" in {f["code"] for f in json.loads(again.stdout)["findings"]}


def test_config_found_upwards_in_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.xxgk]\nselect = ["xg1"]\n', encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    found = find_config(nested)
    assert found == tmp_path / "pyproject.toml"
    assert load_config(found).select == ["XG1"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('colour = "red"\n', "未知的设置项：colour"),
        ('fail-on = "fatal"\n', "fail-on 应为 error、warning 或 info"),
        ("select = 'XG1'\n", "select 应为规则代码列表"),
        ("select = [\n", "配置文件格式错误"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path, text, message):
    path = tmp_path / "xxgk.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(XxgkError, match=message):
        load_config(path)
    result = xxgk("check", str(GOOD), "--config", str(path))
    assert (
        result.returncode == 2
        and message in result.stderr.decode()
        and "Traceback" not in result.stderr.decode()
    )


def test_previous_and_members_must_be_readable(tmp_path):
    result = xxgk("check", str(GOOD), "--previous", str(tmp_path / "missing.txt"))
    assert result.returncode == 2 and "文件不存在" in result.stderr.decode()


def test_previous_given_as_directory_matches_agency_and_year(tmp_path):
    from xxgk.api import PreviousReports
    from xxgk.extract import parse_bytes

    def report(agency: str, year: int):
        text = GOOD.read_text(encoding="utf-8").replace("示例区司法局", agency).replace("2024", str(year))
        return parse_bytes(text.encode(), f"{agency}{year}.txt")

    finder = PreviousReports(
        [report("甲区司法局", 2023), report("乙区司法局", 2023), report("甲区司法局", 2022)]
    )
    found = finder.find(report("甲区司法局", 2024))
    assert (found.meta.agency, found.meta.year) == ("甲区司法局", 2023)
    assert finder.find(report("丙区司法局", 2024)) is None
    assert (
        PreviousReports([report("乙区司法局", 2023)]).find(report("甲区司法局", 2024)).meta.agency
        == "乙区司法局"
    )


def test_examples_directory_is_what_the_readme_checks():
    assert sorted(p.name for p in EXAMPLES.glob("*.txt")) == [
        "示例区司法局-2024-制表符行.txt",
        "示例区司法局-2024-网页单元格.txt",
        "示例县交通运输局-2024-含错误.txt",
    ]
    assert Path(GOOD).exists()
