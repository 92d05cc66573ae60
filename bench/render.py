"""Render time per output format: HTML, Markdown, DOCX, PDF (WeasyPrint), DOCX -> PDF (LibreOffice).

One random consistent 2021 report with prose, rendered N times per format; prints the median
and the fastest run in ms (wall clock), and the import time of WeasyPrint (in a fresh process).
The first PDF of the process is timed apart: it pays for loading fonts. Two more rows show a
machine without libharfbuzz-subset (simulated by hiding it from WeasyPrint): WeasyPrint's own
fontTools subsetting of the full Noto faces, and render_pdf's trimming of them first.
Run: .venv/bin/python bench/render.py [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from xxgk.model import Report
from xxgk.read.doc import find_soffice
from xxgk.render import render_docx, render_html, render_markdown

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from layouts import consistent_tables, prose_with_numbers  # noqa: E402


def sample_report() -> Report:
    rng = random.Random(1)
    report = Report(format="2021")
    report.meta.agency, report.meta.year = "示例区司法局", 2024
    for ref, value in consistent_tables(rng).items():
        report.set(ref, value)
    report.sections.update(prose_with_numbers(rng))
    return report


def times(work: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        out.append((time.perf_counter() - started) * 1000)
    return out


def weasyprint_import_ms(runs: int) -> list[float]:
    code = "import time; t = time.perf_counter(); import weasyprint; print((time.perf_counter() - t) * 1000)"
    return [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(runs)
    ]


@contextmanager
def without_harfbuzz_subset(trim: bool) -> Iterator[None]:
    """As on a machine without libharfbuzz-subset; `trim`: let render_pdf cut the faces down."""
    import weasyprint.pdf.fonts as wp_fonts

    from xxgk.render import pdf

    saved = wp_fonts.harfbuzz_subset, pdf._harfbuzz_subset
    wp_fonts.harfbuzz_subset = None
    pdf._harfbuzz_subset = (lambda: False) if trim else (lambda: True)
    try:
        yield
    finally:
        wp_fonts.harfbuzz_subset, pdf._harfbuzz_subset = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    report = sample_report()
    rows: list[tuple[str, list[float]]] = [("import weasyprint", weasyprint_import_ms(args.runs))]

    from xxgk.render.pdf import _harfbuzz_subset, render_pdf

    def one_pdf() -> None:
        render_pdf(report, io.BytesIO())

    rows.append(("PDF, first in process", times(one_pdf, 1)))
    rows += [
        ("HTML", times(lambda: render_html(report), args.runs)),
        ("Markdown", times(lambda: render_markdown(report), args.runs)),
        ("DOCX", times(lambda: render_docx(report, io.BytesIO()), args.runs)),
        ("PDF (WeasyPrint)", times(one_pdf, args.runs)),
    ]
    if _harfbuzz_subset():
        with without_harfbuzz_subset(trim=True):
            rows.append(("PDF, no HB-subset, trimmed", times(one_pdf, args.runs)))
        with without_harfbuzz_subset(trim=False):
            rows.append(("PDF, no HB-subset, untrimmed", times(one_pdf, 1)))
    if find_soffice():
        from xxgk.render.office import docx_to_pdf

        with tempfile.TemporaryDirectory() as tmp:
            docx_path = Path(tmp) / "r.docx"
            render_docx(report, docx_path)
            rows.append(
                (
                    "DOCX -> PDF (LibreOffice)",
                    times(lambda: docx_to_pdf(docx_path, Path(tmp) / "r.pdf"), args.runs),
                )
            )
    subset = "HarfBuzz" if _harfbuzz_subset() else "fontTools (Noto faces trimmed first)"
    print(f"{args.runs} runs each; font subsetting: {subset}")
    print(f"{'format':<28}{'median ms':>10}{'min ms':>10}")
    for name, ms in rows:
        print(f"{name:<28}{statistics.median(ms):>10.1f}{min(ms):>10.1f}")


if __name__ == "__main__":
    main()
