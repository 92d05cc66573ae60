"""Read+parse throughput per medium: text, HTML, DOCX, DOC, PDF (text layer), OCR page.

Inputs are one random consistent report rendered by xxgk.render (DOCX, HTML) and converted by
LibreOffice (DOC, PDF); the OCR figure is per page image at 300 dpi. Prints reports/s (or
s/page) in one process, CPU time. Run: .venv/bin/python bench/media.py [--count 20]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xxgk.extract import parse_document
from xxgk.model import Report
from xxgk.read import read_bytes
from xxgk.render import render_docx, render_html

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from layouts import consistent_tables, write_layout  # noqa: E402


def sample_report() -> Report:
    report = Report(format="2021")
    report.meta.agency, report.meta.year = "示例区司法局", 2024
    for ref, value in consistent_tables(random.Random(1)).items():
        report.set(ref, value)
    report.sections = {k: "本年度，示例区司法局依法做好政府信息公开工作。" for k in "123456"}
    return report


def convert(data: bytes, suffix: str, target: str, tmp: Path) -> bytes:
    src = tmp / f"in{suffix}"
    src.write_bytes(data)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp}/profile",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(p for p in tmp.iterdir() if p.stem == "in" and p.suffix != suffix).read_bytes()


def timed(data: bytes, name: str, count: int) -> tuple[float, float]:
    """Seconds per report: (wall, CPU of this process). LibreOffice's time (DOC) is wall only."""
    parse_document(read_bytes(data, name))  # warm-up
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        parse_document(read_bytes(data, name))
    return (time.perf_counter() - wall) / count, (time.process_time() - cpu) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    report = sample_report()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        render_docx(report, tmp / "r.docx")
        docx = (tmp / "r.docx").read_bytes()
        values = {ref: cell.value for ref, cell in report.cells.items()}
        inputs = {
            "text": write_layout("002", values, {}, "示例区司法局", 2024).encode(),
            "html": render_html(report).encode(),
            "docx": docx,
        }
        if shutil.which("soffice") or shutil.which("libreoffice"):
            inputs["doc"] = convert(docx, ".docx", "doc:MS Word 97", tmp)
            inputs["pdf"] = convert(docx, ".docx", "pdf", tmp)
        for medium, data in inputs.items():
            count = 3 if medium == "doc" else args.count
            wall, cpu = timed(data, f"r.{medium}", count)
            print(
                f"{medium:5s} {len(data) / 1024:7.1f} KiB  {1 / wall:8.1f} reports/s wall  "
                f"({wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU in-process)"
            )
        if "pdf" in inputs and shutil.which("tesseract"):
            ocr_page(inputs["pdf"], tmp)


def ocr_page(pdf: bytes, tmp: Path) -> None:
    import pypdfium2

    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=300 / 72).to_pil()
    path = tmp / "page.png"
    image.save(path)
    data = path.read_bytes()
    start = time.perf_counter()
    parse_document(read_bytes(data, "page.png"))
    print(f"ocr   one page at 300 dpi: {time.perf_counter() - start:.1f} s wall (tesseract chi_sim)")


if __name__ == "__main__":
    main()
