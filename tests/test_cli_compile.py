"""`xxgk new`, `xxgk convert` and `xxgk render` of a YAML source, as a clerk runs them (subprocess)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from xxgk.api import load_report
from xxgk.formats import FORMAT_2021
from xxgk.source import load_source

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "examples" / "示例区司法局-2024-制表符行.txt"
BAD = ROOT / "examples" / "示例县交通运输局-2024-含错误.txt"
NAME = "示例区司法局-2025-年度报告源文件.yaml"
COLUMNS = [f.key for f in FORMAT_2021.table("applications").rows[0].fields]


def xxgk(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k != "XXGK_DEBUG"}
    env["PYTHONPATH"] = str(ROOT / "src")
    result = subprocess.run(
        [sys.executable, "-m", "xxgk.cli", *args], capture_output=True, timeout=120, env=env, cwd=cwd
    )
    return result.returncode, result.stdout.decode(), result.stderr.decode()


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Path:
    """`xxgk new` run once with last year's report; tests work on copies."""
    where = tmp_path_factory.mktemp("new")
    code, out, err = xxgk(
        "new", "--agency", "示例区司法局", "--year", "2025", "--previous", str(GOOD), cwd=where
    )
    assert code == 0, err
    assert out == (
        f"已生成 {NAME}（上年结转和现行有效件数取自 {GOOD}）：请按文件中的说明填写表格数字和各部分文字、"
        f"替换所有【请填写：…】，然后运行 xxgk render {NAME} -o 报告.docx\n"
    )
    return where / NAME


def copy(starter: Path, tmp_path: Path, name: str = "源文件.yaml") -> Path:
    target = tmp_path / name
    shutil.copy(starter, target)
    return target


def test_new_carries_last_years_figures_over(starter):
    report, last = load_source(str(starter)), load_report(str(GOOD))
    assert [report.value(f"applications/carried_over/{c}") for c in COLUMNS] == [
        last.value(f"applications/carried_forward/{c}") for c in COLUMNS
    ]
    assert (
        report.value("active/normative_documents/in_force")
        == last.value("active/normative_documents/in_force")
        == 5
    )


def test_new_never_overwrites_without_force(starter, tmp_path):
    mine = copy(starter, tmp_path, NAME)
    mine.write_text("# 我已经填了一半\n", encoding="utf-8")
    code, out, err = xxgk("new", "--agency", "示例区司法局", "--year", "2025", cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err == f"错误：{NAME}：文件已存在，未覆盖（确需覆盖时加 --force）\n"
    assert mine.read_text(encoding="utf-8") == "# 我已经填了一半\n"
    code, out, err = xxgk("new", "--agency", "示例区司法局", "--year", "2025", "--force", cwd=tmp_path)
    assert code == 0 and out.startswith(f"已生成 {NAME}：")
    assert load_source(str(mine)).value("applications/carried_over/total") == 0


def test_new_warns_when_last_years_report_is_another_agencys(tmp_path):
    code, out, err = xxgk(
        "new",
        "--agency",
        "示例区司法局",
        "--year",
        "2025",
        "--previous",
        str(BAD),
        "-o",
        "x.yml",
        cwd=tmp_path,
    )
    assert code == 0 and out.startswith("已生成 x.yml（")
    assert err == "注意：上年报告的机关是“示例县交通运输局”，不是“示例区司法局”，请核对结转的数字\n"


def test_new_wants_a_yaml_name(tmp_path):
    code, _, err = xxgk("new", "--agency", "甲局", "--year", "2025", "-o", "甲局.txt", cwd=tmp_path)
    assert code == 2 and err == "错误：甲局.txt：源文件的扩展名应为 .yaml 或 .yml\n"
    assert not (tmp_path / "甲局.txt").exists()


def test_render_refuses_a_source_with_placeholders_then_force_stamps_it(starter, tmp_path):
    source = copy(starter, tmp_path)
    out = tmp_path / "报告.html"
    code, stdout, err = xxgk("render", str(source), "-o", str(out))
    assert code == 1 and not out.exists()
    # 9 placeholders; 上年结转 1 with nothing handled yet also breaks 一+二=三(七)+四 (XG101)
    assert err == f"错误：{source}：有 11 个错误，未生成 {out}（改正后重试，或用 --force 强制生成）\n"
    assert stdout.count("XG502") == 9 and stdout.count("XG101") == 2
    code, stdout, _ = xxgk("render", str(source), "-o", str(out), "--force")
    assert code == 0 and stdout == f"已生成 {out}（未通过检查）\n"
    assert "示例区司法局2025年政府信息公开工作年度报告（未通过检查，强制生成）" in out.read_text(
        encoding="utf-8"
    )


def fill_in(text: str) -> str:
    """What a clerk does with the starter: write the paragraphs, type the numbers, add a phone."""
    lines = []
    for line in text.split("\n"):
        if "【请填写：" in line and line.lstrip().startswith("- "):
            line = line[: line.index("- ") + 2] + '"本机关按照《条例》要求做好此项工作。"'
        lines.append(line)
    text = "\n".join(lines)
    text = text.replace("    phone: null", '    phone: "0000-00000000"', 1)
    text = text.replace("  publish_date: null", "  publish_date: 2026-01-20", 1)
    # 上年结转 1 (自然人) is answered: granted, so 三(七) and 一+二 balance with 新收 2
    for row, value in (("received", 2), ("granted", 3), ("total", 3)):
        start = text.index(f"\n  {row}: ")
        end = text.index("    total: 0", start) + len("    total: 0")
        part = text[start:end].replace("    natural_person: 0", f"    natural_person: {value}", 1)
        part = part.replace("    total: 0", f"    total: {value}", 1)
        text = text[:start] + part + text[end:]
    return text


def test_the_filled_source_renders_and_reads_back(starter, tmp_path):
    source = copy(starter, tmp_path)
    source.write_text(fill_in(starter.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "报告.docx"
    code, stdout, err = xxgk("render", str(source), "-o", str(out))
    assert code == 0, stdout + err
    assert stdout == f"已生成 {out}\n"
    back = load_report(str(out))
    assert back.value("applications/received/total") == 2 and back.value("applications/granted/total") == 3
    assert back.sections["3"] == (
        "本年度新收政府信息公开申请2件，上年结转政府信息公开申请1件。本年度办结政府信息公开申请3件，其中予以公开3件。"
    )
    assert back.preamble == (
        "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国办公开办函〔2021〕30号要求编制。"
        "本报告所列数据的统计期限自2025年1月1日起至2025年12月31日止。"
        "如对本报告有疑问，请与示例区司法局联系（电话：0000-00000000）。"
    )
    assert "0000-00000000" not in back.sections["6"]


def test_convert_a_report_to_a_source_prints_what_to_fix(tmp_path):
    out = tmp_path / "错误报告.yaml"
    code, stdout, _ = xxgk("convert", str(BAD), "-o", str(out))
    assert code == 0 and out.exists()
    assert "XG101 第2列（商业企业）：一+二=2，三(七)+四=3，勾稽关系不成立" in stdout
    assert stdout.endswith(
        f"已生成 {out}：其中有 7 个错误，请在源文件中改正后运行 xxgk render {out} -o 报告.docx\n"
    )
    assert load_source(str(out)).value("applications/total/commercial") == 3  # kept, not repaired
    code, _, err = xxgk("convert", str(GOOD), "-o", str(out))
    assert code == 2 and err == f"错误：{out}：文件已存在，未覆盖（确需覆盖时加 --force）\n"
    code, stdout, _ = xxgk("convert", str(GOOD), "-o", str(out), "--force")
    assert code == 0 and "注意" not in stdout  # the preamble is kept, nothing else stands before 一
    converted = load_source(str(out))
    assert converted.value("applications/total/commercial") == 2
    assert converted.preamble == load_report(str(GOOD)).preamble
    page = tmp_path / "网页.txt"
    body = GOOD.read_text(encoding="utf-8").split("\n", 1)[1]
    page.write_text(
        f"当前位置：首页 > 年度报告\n示例区司法局2024年政府信息公开工作年度报告\n发布日期：2025-01-20 来源：示例区司法局\n{body}",
        encoding="utf-8",
    )
    code, stdout, _ = xxgk("convert", str(page), "-o", str(out), "--force")
    assert code == 0 and "注意：原报告第一部分之前有 2 段文字（如“当前位置：首页 > 年度报告…”）" in stdout


def test_convert_to_documents_checks_first(tmp_path):
    out = tmp_path / "报告.md"
    code, stdout, _ = xxgk("convert", str(GOOD), "-o", str(out))
    assert (code, stdout) == (0, f"已生成 {out}\n")
    assert load_report(str(out)).value("applications/received/total") == 11
    html = tmp_path / "错误.html"
    code, _, err = xxgk("convert", str(BAD), "-o", str(html), "--fragment")
    assert code == 1 and not html.exists()
    assert err == f"错误：{BAD}：有 7 个错误，未生成 {html}（改正后重试，或用 --force 强制生成）\n"


def test_a_broken_source_is_one_line_naming_the_line(starter, tmp_path):
    source = copy(starter, tmp_path)
    text = starter.read_text(encoding="utf-8").replace("    decisions: 0  ", "    decisions: 三  ", 1)
    source.write_text(text, encoding="utf-8")
    line = next(i for i, x in enumerate(text.split("\n"), 1) if "decisions: 三" in x)
    code, stdout, err = xxgk("render", str(source), "-o", str(tmp_path / "r.md"))
    assert (code, stdout) == (2, "")
    assert err == f"错误：{source}：第 {line} 行：表二“行政许可”“三”不是数字（空白单元格写 null 或留空）\n"


def test_convert_a_source_to_pdf(tmp_path):
    source = tmp_path / "源文件.yaml"
    assert xxgk("convert", str(GOOD), "-o", str(source))[0] == 0
    pdf = tmp_path / "报告.pdf"
    code, stdout, err = xxgk("convert", str(source), "-o", str(pdf))
    assert (code, stdout) == (0, f"已生成 {pdf}\n"), err
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert load_report(str(pdf)).value("applications/received/total") == 11
