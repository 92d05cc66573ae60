"""The bundled examples in examples/编制/ are what `xxgk render` makes of their sources today
(scripts/make-examples.sh regenerates them), and they read back and check clean."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pdfplumber
import pytest

from xxgk.api import load_report, render_report
from xxgk.check import check_report

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "编制"
SOURCES = sorted(EXAMPLES.glob("*.yaml"))
FORMATS = ("docx", "html", "md", "pdf")


def rendered_path(source: Path, ext: str) -> Path:
    stem = source.name.removesuffix(".yaml").removesuffix("源文件")
    return source.with_name(f"{stem}.{ext}")


def docx_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def pdf_pages(path: Path) -> list[str]:
    # Text per page, not bytes: the bytes change with the WeasyPrint and font versions.
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def test_there_is_an_example_source():
    assert SOURCES, "examples/编制/ should hold at least one report source"


@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_rendered_examples_are_current(source, ext, tmp_path):
    committed = rendered_path(source, ext)
    assert committed.exists(), f"{committed.name} missing: run scripts/make-examples.sh"
    report = load_report(str(source))
    assert [f for f in check_report(report) if f.severity == "error"] == []
    fresh = tmp_path / committed.name
    render_report(report, str(fresh))
    stale = f"{committed.name} is stale: run scripts/make-examples.sh"
    if ext == "docx":
        assert docx_parts(fresh) == docx_parts(committed), stale
    elif ext == "pdf":
        assert pdf_pages(fresh) == pdf_pages(committed), stale
    else:
        assert fresh.read_bytes() == committed.read_bytes(), stale


@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_rendered_examples_read_back_exactly(source, ext):
    report = load_report(str(source))
    again = load_report(str(rendered_path(source, ext)))
    assert (again.meta.agency, again.meta.year) == (report.meta.agency, report.meta.year)
    assert {r: c.value for r, c in again.cells.items()} == {r: c.value for r, c in report.cells.items()}
    assert [f.code for f in check_report(again) if f.severity == "error"] == []
