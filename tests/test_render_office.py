"""DOCX -> PDF through LibreOffice (`xxgk.render.office.docx_to_pdf`): the fonts of official
documents aliased to Noto CJK by the packaged fonts.conf, the DOCX read back from the PDF cell
for cell, 4-digit values and 总计 never wrapped, page numbers in the footer."""

from __future__ import annotations

import io
import random
import re
import shutil
import stat
import subprocess
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

import pdfplumber
import pytest

from layouts import consistent_tables, prose_with_numbers, value_mismatches
from xxgk import api
from xxgk.errors import InputError
from xxgk.formats import FORMAT_2021
from xxgk.model import Report
from xxgk.read.doc import find_soffice
from xxgk.read.document import TableBlock
from xxgk.read.pdf import read_pdf_bytes
from xxgk.render import render_docx, table_grid
from xxgk.render.office import FONTS_CONF, MSG_NO_LIBREOFFICE, docx_to_pdf, font_environment

needs_soffice = pytest.mark.skipif(
    find_soffice() is None, reason="LibreOffice not installed (scripts/setup-system.sh)"
)
needs_poppler = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
needs_fc = pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig tools not installed")

MM = 72 / 25.4
BLOCK_BOTTOM = 262 * MM  # GB/T 9704: 35 mm bottom margin on a 297 mm page
SERIF = [
    "方正小标宋简体",
    "小标宋",
    "仿宋_GB2312",
    "仿宋",
    "FangSong",
    "宋体",
    "SimSun",
    "楷体_GB2312",
    "楷体",
]
SANS = ["黑体", "SimHei"]


def make_report(values: dict, sections: dict, agency: str = "示例市生态环境局", year: int = 2024) -> Report:
    report = Report(format="2021")
    report.meta.agency, report.meta.year = agency, year
    for ref, value in values.items():
        report.set(ref, value)
    report.sections.update(sections)
    return report


def four_digit_values(seed: int = 4) -> dict:
    """Every count 1000..9999 (the widest a column must hold without wrapping), fee 9999.99."""
    rng = random.Random(seed)
    values: dict = {ref: rng.randrange(1000, 10000) for ref in FORMAT_2021.refs()}
    values["active/fees/amount"] = Decimal("9999.99")
    return values


def convert(report: Report, tmp: Path) -> bytes:
    docx_path, pdf_path = tmp / "年报.docx", tmp / "年报.pdf"
    render_docx(report, docx_path)
    docx_to_pdf(docx_path, pdf_path)
    return pdf_path.read_bytes()


@cache
def converted(kind: str) -> tuple[dict, bytes]:
    import tempfile

    if kind == "random":
        rng = random.Random(17)
        values = consistent_tables(rng)
        report = make_report(values, prose_with_numbers(rng))
    else:
        values = four_digit_values()
        report = make_report(values, {"1": "本报告的统计数据均为四位数。"})
    with tempfile.TemporaryDirectory() as tmp:
        return values, convert(report, Path(tmp))


def read_back(data: bytes, tmp_path: Path) -> Report:
    path = tmp_path / "back.pdf"
    path.write_bytes(data)
    return api.load_report(str(path))


# ---------------------------------------------------------------- the font aliases


def test_fonts_conf_is_package_data():
    packaged = resources.files("xxgk") / "data" / "fonts.conf"
    assert packaged.is_file()
    assert Path(str(packaged)) == FONTS_CONF
    text = FONTS_CONF.read_text(encoding="utf-8")
    assert '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' in text
    assert font_environment() == {"FONTCONFIG_FILE": str(FONTS_CONF)}


def fc_match(family: str, env: dict[str, str] | None = None) -> str:
    args = ["fc-match", "--format=%{family}", family]
    return subprocess.run(args, capture_output=True, text=True, env=env, check=True).stdout


@needs_fc
@pytest.mark.parametrize(
    ("family", "face"), [(f, "Noto Serif CJK SC") for f in SERIF] + [(f, "Noto Sans CJK SC") for f in SANS]
)
def test_official_font_names_resolve_to_noto(family, face):
    if face not in fc_match(face).split(","):
        pytest.skip("fonts-noto-cjk not installed")
    env = {"PATH": "/usr/bin:/bin", **font_environment()}
    assert face in fc_match(family, env).split(","), family


@needs_fc
def test_other_fonts_keep_the_system_configuration():
    env = {"PATH": "/usr/bin:/bin", **font_environment()}
    for family in ("monospace", "serif", "DejaVu Sans"):
        assert fc_match(family, env) == fc_match(family)


# ---------------------------------------------------------------- process handling (no LibreOffice needed)


def _fake_soffice(tmp_path: Path, body: str) -> str:
    program = tmp_path / "fake-soffice"
    program.write_text(
        "#!/bin/sh\n"
        'outdir=""\n'
        'while [ $# -gt 0 ]; do [ "$1" = --outdir ] && outdir="$2"; shift; done\n'
        'mkdir -p "$outdir"\n' + body + "\n"
    )
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    return str(program)


def test_conversion_runs_with_the_font_aliases(tmp_path):
    fake = _fake_soffice(tmp_path, 'printf "%s" "$FONTCONFIG_FILE" > "$outdir/input.pdf"')
    (tmp_path / "a.docx").write_bytes(b"PK\x03\x04 not really")
    docx_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf", soffice=fake)
    assert (tmp_path / "a.pdf").read_text() == str(FONTS_CONF)


def test_libreoffice_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    (tmp_path / "a.docx").write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError) as err:
        docx_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert err.value.message == MSG_NO_LIBREOFFICE
    assert err.value.path == str(tmp_path / "a.docx")
    assert not (tmp_path / "a.pdf").exists()


def test_failed_conversion_and_missing_input(tmp_path):
    fake = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")
    (tmp_path / "a.docx").write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError) as err:
        docx_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf", soffice=fake)
    assert err.value.path == str(tmp_path / "a.docx")
    assert err.value.message.startswith("LibreOffice 无法转换此文件")
    assert err.value.message.endswith("：Error: source file could not be loaded")
    with pytest.raises(InputError, match="无法读取文件") as err:
        docx_to_pdf(tmp_path / "missing.docx", tmp_path / "b.pdf", soffice=fake)
    assert err.value.path == str(tmp_path / "missing.docx")


def test_timeout(tmp_path):
    fake = _fake_soffice(tmp_path, "sleep 30")
    (tmp_path / "a.docx").write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match="LibreOffice 转换超时（超过 1 秒）"):
        docx_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf", soffice=fake, timeout=1)


# ---------------------------------------------------------------- real LibreOffice


@needs_soffice
@needs_poppler
def test_pdf_fonts_are_noto_cjk(tmp_path):
    _, data = converted("random")
    (tmp_path / "a.pdf").write_bytes(data)
    listing = subprocess.run(
        ["pdffonts", str(tmp_path / "a.pdf")], capture_output=True, text=True, check=True
    )
    rows = [line.split() for line in listing.stdout.splitlines()[2:]]
    names = {row[0].split("+", 1)[1] for row in rows}
    assert names and all(re.match(r"Noto(Serif|Sans)CJK", n) for n in names), names
    assert any(n.startswith("NotoSerifCJK") for n in names) and any(
        n.startswith("NotoSansCJK") for n in names
    )
    assert all(row[-5] == "yes" for row in rows)  # embedded


@needs_soffice
def test_docx_through_libreoffice_reads_back_exactly(tmp_path):
    values, data = converted("random")
    got = read_back(data, tmp_path)
    assert (got.meta.agency, got.meta.year, got.format) == ("示例市生态环境局", 2024, "2021")
    assert value_mismatches(got, values) == []


def _table_words(page) -> list[dict]:
    boxes = [t.bbox for t in page.find_tables()]
    return [
        w
        for w in page.extract_words()
        if any(
            x0 <= w["x0"] and w["x1"] <= x1 and top <= w["top"] and w["bottom"] <= bottom
            for x0, top, x1, bottom in boxes
        )
    ]


@needs_soffice
def test_four_digit_values_and_totals_never_wrap(tmp_path):
    values, data = converted("wide")
    got = read_back(data, tmp_path)
    assert value_mismatches(got, values) == []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        words = [w for page in pdf.pages for w in _table_words(page)]
    numbers = [w["text"] for w in words if re.fullmatch(r"[\d.]+", w["text"])]
    assert len(numbers) == len(values)
    assert all(re.fullmatch(r"\d{4}|9999\.99", n) for n in numbers), sorted(set(numbers))
    assert not [w for w in words if w["text"] in ("总", "计")]
    # 表三's header (repeated on each page the table runs onto) holds one 总计, 表四's three
    heads = sum(w["text"] == "申请人情况" for w in words)
    assert heads == len(
        {got.cells[ref].where["page"] for ref in got.cells if ref.startswith("applications/")}
    )
    assert sum(w["text"] == "总计" for w in words) == heads + 3


@needs_soffice
def test_rows_whole_and_page_numbers_in_the_footer():
    values, data = converted("wide")
    doc = read_pdf_bytes(data)
    labels = {c.text for key in ("active", "applications", "reviews") for c in table_grid(FORMAT_2021, key)}
    for block in doc.blocks:
        if isinstance(block, TableBlock):
            for cell in (c for row in block.rows for c in row):
                assert cell.text in labels or re.fullmatch(r"\d{4}|9999\.99", cell.text), cell.text
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 2
        for number, page in enumerate(pdf.pages, start=1):
            below = [w for w in page.extract_words() if w["top"] >= BLOCK_BOTTOM]
            assert "".join(w["text"] for w in below) == f"—{number}—"
            if number % 2:
                assert 184 * MM - max(w["x1"] for w in below) == pytest.approx(14, abs=2)
            else:
                assert min(w["x0"] for w in below) - 28 * MM == pytest.approx(14, abs=2)
