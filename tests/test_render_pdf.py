"""PDF output (WeasyPrint): read back exactly, CJK fonts embedded, the page of GB/T 9704 (A4,
margins, "— N —" page numbers), table rows never split, 表三's header repeated, clear errors."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layouts import consistent_tables, prose_with_numbers, value_mismatches
from test_render_docx_html import report_2019
from xxgk import api
from xxgk.errors import InputError
from xxgk.extract import parse_document
from xxgk.formats import FORMAT_2019, FORMAT_2021
from xxgk.model import Report
from xxgk.read.document import Paragraph, TableBlock
from xxgk.read.pdf import read_pdf_bytes
from xxgk.render import pdf as pdf_render
from xxgk.render import table_grid
from xxgk.source.preamble import compose_preamble

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
# The text block of GB/T 9704: 28 mm from the left, 26 from the right, 37 from the top, 35 from the bottom.
BLOCK = (28 * MM, 37 * MM, 184 * MM, 262 * MM)
AGENCIES = ["某某市某某区司法局", "示例县人民政府办公室", "某省生态环境厅", "示例市规划和自然资源局"]
FOLIO = re.compile(r"^—(\d+)—$")


def make_report(values: dict, sections: dict, agency: str, year: int, fmt: str = "2021") -> Report:
    report = Report(format=fmt)
    report.meta.agency, report.meta.year = agency, year
    for ref, value in values.items():
        report.set(ref, value)
    report.sections.update(sections)
    return report


def preamble(agency: str, year: int) -> str:
    """The standard preamble (its lines wrap at different places for each agency and year, and
    the phone number, which cannot break, wraps early) and a short second paragraph."""
    contact = {"address": f"{agency[:3]}人民路1号", "phone": "0000-00000000", "email": "xxgk@example.gov.cn"}
    return compose_preamble(agency, year, "2021", contact) + "\n本报告电子版可在门户网站下载。"


def random_report(seed: int, agency: str = AGENCIES[0], year: int = 2024) -> tuple[Report, dict]:
    rng = random.Random(seed)
    values = consistent_tables(rng)
    report = make_report(values, prose_with_numbers(rng, year), agency, year)
    report.preamble = preamble(agency, year)
    return report, values


def pdf_bytes(report: Report) -> bytes:
    out = io.BytesIO()
    pdf_render.render_pdf(report, out)
    return out.getvalue()


def load_pdf(data: bytes) -> Report:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        path.write_bytes(data)
        return api.load_report(str(path))


@cache
def sample() -> tuple[Report, bytes]:
    """One report whose 表三 runs over a page break (long prose before it)."""
    report, _ = random_report(21)
    report.preamble = ""  # the page break falls where the tests below expect it
    report.sections["3"] = "\n".join(["本年度依申请公开工作平稳有序，答复均在法定期限内完成。"] * 9)
    return report, pdf_bytes(report)


def words_by_page(data: bytes) -> list[tuple[float, float, list[dict]]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(p.width, p.height, p.extract_words()) for p in pdf.pages]


# ---------------------------------------------------------------- round trips


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    agency=st.sampled_from(AGENCIES),
    year=st.integers(2021, 2025),
)
def test_pdf_reads_back_every_cell_year_and_agency(seed, agency, year):
    report, values = random_report(seed, agency, year)
    got = load_pdf(pdf_bytes(report))
    assert got.format == "2021"
    assert (got.meta.agency, got.meta.year) == (agency, year)
    assert value_mismatches(got, values) == []
    assert got.tables_present == {"active", "applications", "reviews"}
    assert got.preamble == report.preamble  # the wrapped lines of each paragraph joined


def test_pdf_2019_reads_back():
    report = report_2019()
    got = load_pdf(pdf_bytes(report))
    assert got.format == "2019"
    assert (got.meta.agency, got.meta.year) == ("上海市人民政府办公厅", 2019)
    refs = FORMAT_2019.refs()
    assert {ref: got.value(ref) for ref in refs} == {ref: report.value(ref) for ref in refs}
    assert got.cells["active/procurement/amount"].text == "251000元"
    assert got.value("active/licensing/change") == -12


def test_render_report_writes_pdf_by_extension(tmp_path):
    report, values = random_report(5)
    out = tmp_path / "年报.pdf"
    api.render_report(report, str(out), unchecked=True)
    assert out.read_bytes().startswith(b"%PDF-")
    got = api.load_report(str(out))
    assert value_mismatches(got, values) == []
    title = "某某市某某区司法局2024年政府信息公开工作年度报告（未通过检查，强制生成）"
    with pdfplumber.open(str(out)) as pdf:
        assert pdf.metadata["Title"] == title
        assert pdf.metadata["Author"] == "某某市某某区司法局"
        first = pdf.pages[0].extract_text()
    assert first.replace("\n", "").startswith(title)


def test_without_harfbuzz_subset_the_noto_faces_are_trimmed_first(monkeypatch):
    """WeasyPrint's fontTools fallback walks every glyph of a Noto CJK face; render_pdf then
    hands it copies cut down to the page's characters (fonts named "xxgk Noto …")."""
    if pdf_render._face_file("Noto Serif CJK SC") is None:
        pytest.skip("fonts-noto-cjk not installed")
    monkeypatch.setattr(pdf_render, "_harfbuzz_subset", lambda: False)
    report, values = random_report(8)
    data = pdf_bytes(report)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        fonts = {c["fontname"].split("+", 1)[1] for page in pdf.pages for c in page.chars}
    assert fonts == {"xxgk-Noto-Serif-CJK-SC", "xxgk-Noto-Sans-CJK-SC"}
    got = load_pdf(data)
    assert value_mismatches(got, values) == []
    assert (got.meta.agency, got.meta.year) == (AGENCIES[0], 2024)


# ---------------------------------------------------------------- the printed page


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils (pdffonts) not installed")
def test_only_embedded_cjk_fonts():
    _, data = sample()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        listing = subprocess.run(["pdffonts", f.name], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    names = sorted(row[0].split("+", 1)[1] for row in rows)
    assert len(names) == 2
    assert any("Noto-Serif-CJK-SC" in n for n in names) and any("Noto-Sans-CJK-SC" in n for n in names)
    for row in rows:
        emb, sub, uni = row[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


def test_a4_and_text_inside_the_gbt9704_text_block():
    _, data = sample()
    pages = words_by_page(data)
    assert len(pages) >= 3
    for number, (width, height, words) in enumerate(pages, start=1):
        assert (round(width, 1), round(height, 1)) == (round(A4[0], 1), round(A4[1], 1))
        body = [w for w in words if w["top"] < BLOCK[3]]
        assert body, number
        assert min(w["x0"] for w in body) >= BLOCK[0] - 1
        assert max(w["x1"] for w in body) <= BLOCK[2] + 1
        assert min(w["top"] for w in body) >= BLOCK[1] - 1
        assert max(w["bottom"] for w in body) <= BLOCK[3] + 1


def test_page_numbers_on_every_page_odd_right_even_left():
    _, data = sample()
    for number, (_, _, words) in enumerate(words_by_page(data), start=1):
        below = [w for w in words if w["top"] >= BLOCK[3]]
        assert "".join(w["text"] for w in below) == f"—{number}—"
        x0, x1 = min(w["x0"] for w in below), max(w["x1"] for w in below)
        one_char = 14  # 四号, the 一字 kept free at the edge
        if number % 2:
            assert BLOCK[2] - x1 == pytest.approx(one_char, abs=1.5), number
        else:
            assert x0 - BLOCK[0] == pytest.approx(one_char, abs=1.5), number
        # the line of the page number starts a little under the text block (its dashes 7 mm under it)
        top = min(w["top"] for w in below)
        assert 3 * MM < top - BLOCK[3] < 7 * MM


def test_page_numbers_are_not_read_as_text():
    report, data = sample()
    doc = read_pdf_bytes(data)
    folios = [b.text for b in doc.blocks if isinstance(b, Paragraph) and FOLIO.match(b.text.replace(" ", ""))]
    assert folios == []
    got = load_pdf(data)
    assert not any("—" in (text or "") for text in got.sections.values())


def _table_pages(got: Report) -> dict[str, list[int]]:
    """Per table of a read-back report, the pages its value cells are on."""
    pages: dict[str, set[int]] = {}
    for ref, cell in got.cells.items():
        pages.setdefault(ref.split("/")[0], set()).add(cell.where["page"])
    return {key: sorted(found) for key, found in pages.items()}


@pytest.mark.parametrize("lines", [0, 5, 10])
def test_table_rows_never_split_across_pages(lines):
    """Prose of different lengths before 表三 moves its page break to different rows; every
    row still prints whole: its label (read back as one cell) and its values on one page."""
    report, values = random_report(31)
    report.sections["3"] = "\n".join(["本机关严格按照《条例》规定的期限和程序答复申请人。"] * lines)
    doc = read_pdf_bytes(pdf_bytes(report))
    got = parse_document(doc)
    assert value_mismatches(got, values) == []
    for table in FORMAT_2021.tables:
        for row in table.rows:
            pages = {got.cells[f"{table.key}/{row.key}/{f.key}"].where["page"] for f in row.fields}
            assert len(pages) == 1, (table.key, row.key, pages)
    assert len(_table_pages(got)["applications"]) >= 2, "表三 did not run over a page break"
    labels = {c.text for key in ("active", "applications", "reviews") for c in table_grid(FORMAT_2021, key)}
    for block in doc.blocks:
        if isinstance(block, TableBlock):
            for cell in (c for row in block.rows for c in row):
                assert cell.text in labels or re.fullmatch(r"\d+(\.\d+)?", cell.text), cell.text


def test_applications_header_repeats_on_each_page():
    _, data = sample()
    doc = read_pdf_bytes(data)
    pages = _table_pages(parse_document(doc))["applications"]
    assert len(pages) == 2
    captions = [
        cell.where["page"]
        for block in doc.blocks
        if isinstance(block, TableBlock)
        for row in block.rows
        for cell in row
        if cell.text == "申请人情况"
    ]
    assert captions == pages


# ---------------------------------------------------------------- errors


def test_missing_pango_is_an_input_error(tmp_path, monkeypatch):
    """WeasyPrint loads Pango through cffi at import; without it the import raises OSError."""
    fake = tmp_path / "weasyprint"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise OSError(\"cannot load library 'libpango-1.0-0'\")\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(InputError) as err:
        pdf_render.render_pdf(random_report(1)[0], tmp_path / "a.pdf")
    assert err.value.message == pdf_render.MSG_NO_PANGO
    assert "scripts/setup-system.sh" in str(err.value)
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig tools not installed")
def test_no_chinese_font_is_an_input_error(tmp_path, monkeypatch):
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n')
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    pdf_render._has_cjk_font.cache_clear()
    try:
        with pytest.raises(InputError) as err:
            pdf_render.render_pdf(random_report(1)[0], tmp_path / "a.pdf")
    finally:
        pdf_render._has_cjk_font.cache_clear()
    assert err.value.message == pdf_render.MSG_NO_CJK_FONT
    assert err.value.path == str(tmp_path / "a.pdf")


def test_unwritable_target_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="无法写入文件"):
        api.render_report(random_report(1)[0], str(tmp_path / "no-such-dir" / "a.pdf"))


def test_importing_xxgk_does_not_load_weasyprint():
    code = "import sys, xxgk.api, xxgk.render; print('weasyprint' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
