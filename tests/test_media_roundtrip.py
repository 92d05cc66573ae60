"""Every medium reads back what was written: seeds and random reports rendered as DOCX and
HTML, and re-saved by LibreOffice as DOC and PDF, read back cell for cell.

The writer is the renderer (`xxgk.render`), so this is also the render round trip.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layouts import REFS, consistent_tables
from xxgk.extract import parse_document
from xxgk.model import Report
from xxgk.read import read_bytes, sniff_bytes
from xxgk.render import render_docx, render_html, render_markdown

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "seeds"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice not installed (scripts/setup-system.sh)"
)


def _report(values: dict, agency: str, year: int, fmt: str = "2021") -> Report:
    report = Report(format=fmt)
    report.meta.agency, report.meta.year = agency, year
    for ref, value in values.items():
        report.set(ref, value)
    report.sections = {
        "1": f"{year}年，{agency}认真贯彻《条例》，主动公开政府信息。",
        "2": "",
        "3": "",
        "4": "",
        "5": "一是公开深度有待加强。",
        "6": "本年度未收取信息处理费。",
    }
    return report


def _docx_bytes(report: Report) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.docx"
        render_docx(report, path)
        return path.read_bytes()


def _read(data: bytes, name: str) -> Report:
    return parse_document(read_bytes(data, name))


def _mismatches(report: Report, values: dict) -> list[str]:
    out = []
    for ref, expected in values.items():
        got = report.value(ref)
        if isinstance(expected, Decimal) or isinstance(got, Decimal):
            same = got is not None and expected is not None and Decimal(got) == Decimal(expected)
        else:
            same = got == expected and type(got) is type(expected)
        if not same or not report.has(ref):
            out.append(f"{ref}: expected {expected!r}, got {got!r}")
    return out


def _seed_values(name: str) -> tuple[dict, dict]:
    fixture = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return fixture, {ref: fixture["values"][ref] for ref in REFS}


def _rendered(source: Report, medium: str) -> bytes:
    if medium == "docx":
        return _docx_bytes(source)
    if medium == "pdf":
        from xxgk.render.pdf import render_pdf

        out = io.BytesIO()
        render_pdf(source, out)
        return out.getvalue()
    if medium == "md":
        return render_markdown(source).encode("utf-8")
    return render_html(source).encode("utf-8")


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
@pytest.mark.parametrize("medium", ["docx", "html", "md"])
def test_each_seed_as_docx_html_markdown_reads_exactly(seed, medium):
    fixture, values = _seed_values(seed)
    agency = fixture["agency"] or "某镇人民政府"
    source = _report(values, agency, fixture["year"])
    data = _rendered(source, medium)
    assert sniff_bytes(data, f"x.{medium}") == ("text" if medium == "md" else medium)
    report = _read(data, f"{seed}.{medium}")
    assert report.format == "2021" and report.meta.year == fixture["year"]
    assert report.meta.agency == agency
    assert not _mismatches(report, values)
    blanks = [ref for ref, v in values.items() if v is None]
    assert all(report.cells[ref].value is None for ref in blanks)


@settings(max_examples=24, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    medium=st.sampled_from(["docx", "html", "md", "pdf"]),
    agency=st.sampled_from(["示例区司法局", "示例县人民政府办公室", "示例市生态环境局", "示例镇人民政府"]),
    year=st.integers(2021, 2030),
)
def test_random_reports_in_all_four_formats_read_exactly(seed, medium, agency, year):
    values = consistent_tables(random.Random(seed))
    source = _report(values, agency, year)
    data = _rendered(source, medium)
    report = _read(data, f"r.{medium}")
    assert not _mismatches(report, values)
    assert (report.meta.agency, report.meta.year, report.format) == (agency, year, "2021")
    assert all(c.confidence == "high" for c in report.cells.values())
    # A PDF keeps no paragraph joins (a long line comes back wrapped): compare without breaks.
    for key, text in source.sections.items():
        assert "".join((report.sections.get(key) or "").split()) == "".join(text.split()), key


def _soffice_convert(data: bytes, suffix: str, target: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"in{suffix}"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                tmp,
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        out = next(p for p in Path(tmp).iterdir() if p.stem == "in" and p.suffix != suffix)
        return out.read_bytes()


@needs_soffice
@pytest.mark.parametrize("seed", [7, 2024])
@pytest.mark.parametrize(("source_medium", "target"), [("docx", "doc"), ("docx", "pdf"), ("html", "doc")])
def test_random_report_resaved_by_libreoffice_reads_exactly(seed, source_medium, target):
    values = consistent_tables(random.Random(seed))
    source = _report(values, "示例区司法局", 2024)
    if source_medium == "docx":
        data, suffix = _docx_bytes(source), ".docx"
    else:
        data, suffix = render_html(source).encode("utf-8"), ".html"
    converted = _soffice_convert(data, suffix, "pdf" if target == "pdf" else "doc:MS Word 97")
    assert sniff_bytes(converted, f"x.{target}") == target
    report = _read(converted, f"r.{target}")
    mismatches = _mismatches(report, values)
    assert not mismatches, mismatches[:10]
    assert report.meta.agency == "示例区司法局" and report.meta.year == 2024
