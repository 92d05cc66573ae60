"""`xxgk render`: check first, refuse on errors (naming the cells), --force stamps the result."""

from __future__ import annotations

import pytest

from test_cli import BAD, GOOD, xxgk
from xxgk.api import load_report


@pytest.mark.parametrize("suffix", [".docx", ".html", ".md", ".pdf"])
def test_render_writes_the_official_layout_that_reads_back(tmp_path, suffix):
    out = tmp_path / f"report{suffix}"
    result = xxgk("render", str(GOOD), "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().strip() == f"已生成 {out}"
    source, again = load_report(str(GOOD)), load_report(str(out))
    assert {r: c.value for r, c in again.cells.items()} == {r: c.value for r, c in source.cells.items()}
    assert (again.meta.agency, again.meta.year, again.format) == ("示例区司法局", 2024, "2021")


def test_render_from_report_json(tmp_path):
    data = tmp_path / "report.json"
    data.write_bytes(xxgk("parse", str(GOOD), "-f", "json").stdout)
    out = tmp_path / "report.md"
    assert xxgk("render", str(data), "-o", str(out)).returncode == 0
    assert load_report(str(out)).value("applications/received/total") == 11


def test_render_refuses_a_report_with_errors_and_names_the_cells(tmp_path):
    out = tmp_path / "bad.docx"
    result = xxgk("render", str(BAD), "-o", str(out))
    assert result.returncode == 1 and not out.exists()
    assert "XG101 第2列（商业企业）：一+二=2，三(七)+四=3，勾稽关系不成立" in result.stdout.decode()
    assert "applications/received/commercial" in result.stdout.decode()
    assert "有 7 个错误，未生成" in result.stderr.decode()


def test_force_writes_a_document_stamped_unchecked(tmp_path):
    out = tmp_path / "bad.html"
    result = xxgk("render", str(BAD), "-o", str(out), "--force")
    assert result.returncode == 0 and "（未通过检查）" in result.stdout.decode()
    assert "示例县交通运输局2024年政府信息公开工作年度报告（未通过检查，强制生成）" in out.read_text(
        encoding="utf-8"
    )
    again = load_report(str(out))
    assert again.value("applications/total/commercial") == 3  # the wrong number is kept, not repaired


def test_unsupported_output_format(tmp_path):
    result = xxgk("render", str(GOOD), "-o", str(tmp_path / "r.xlsx"))
    err = result.stderr.decode()
    assert (
        result.returncode == 2
        and "不支持的输出格式（可用扩展名：.docx、.htm、.html、.markdown、.md、.pdf）" in err
    )
    assert "Traceback" not in result.stderr.decode()
