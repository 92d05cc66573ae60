"""What one case runs, in the case's child process: the real entry points.

A target takes the path of the mutated file and a scratch directory, and returns normally
(the input was accepted) or raises. `LiveFormula` is raised when an export the project wrote
has a cell a spreadsheet would run as a formula.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import zipfile

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class LiveFormula(Exception):
    """An exported cell that a spreadsheet would run as a formula."""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def live(text: object) -> bool:
    """Would a spreadsheet run this exported text cell as a formula?"""
    return isinstance(text, str) and text.startswith(FORMULA_STARTS) and not _is_number(text)


def check_csv_text(text: str, where: str) -> None:
    for r, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        for c, value in enumerate(row, start=1):
            if live(value):
                raise LiveFormula(f"{where} 第{r}行第{c}列：{value[:60]!r}")


def check_xlsx_file(path: str, where: str) -> None:
    import openpyxl

    with zipfile.ZipFile(path) as archive:  # a formula element anywhere, whatever openpyxl makes of it
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and b"<f" in archive.read(name).replace(b"<fill", b""):
                raise LiveFormula(f"{where} {name} 含公式元素")
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f" or live(cell.value):
                        raise LiveFormula(
                            f"{where} {sheet.title}!{cell.coordinate}：{str(cell.value)[:60]!r}"
                        )
    finally:
        book.close()


def report(path: str, scratch: str) -> str:
    """load_report + check_report, then the findings as CSV (what `xxgk check --format csv` writes)."""
    from xxgk.api import load_report
    from xxgk.check import check_report
    from xxgk.csvout import findings_csv_rows

    loaded = load_report(path)
    findings = check_report(loaded)
    check_csv_text(findings_csv_rows(loaded), "问题清单 CSV")
    return f"{len(findings)} findings"


def ledger(path: str, scratch: str) -> str:
    """Import into a fresh SQLite ledger; when accepted, export CSV and XLSX and check every cell."""
    from xxgk.ledger.importexport import export_ledger, import_file
    from xxgk.ledger.store import Ledger

    with Ledger.open(os.path.join(scratch, "ledger.sqlite3")) as store:
        imported = import_file(store, path, "模糊测试", accept_warnings=True)
        for kind in ("csv", "xlsx"):
            out = os.path.join(scratch, f"export.{kind}")
            export_ledger(store, out)
            if kind == "csv":
                with open(out, encoding="utf-8-sig", newline="") as stream:
                    check_csv_text(stream.read(), "导出 CSV")
            else:
                check_xlsx_file(out, "导出 XLSX")
    return f"imported {imported}"


TARGETS = {
    "text": report, "html": report, "docx": report, "pdf": report, "ofd": report, "image": report,
    "yaml": report, "csv": ledger, "xlsx": ledger,
}  # fmt: skip


def preload() -> None:
    """Import what the targets use and warm the checker's caches once, in the parent, so
    that each forked case starts warm (a fork shares these pages)."""
    import importlib
    import tempfile

    for name in (
        "xxgk.api", "xxgk.check", "xxgk.csvout", "xxgk.ledger.importexport", "xxgk.ledger.store", "openpyxl",
        "xxgk.read.pdf", "xxgk.read.docx", "xxgk.read.ofd", "xxgk.read.html", "xxgk.read.ocr", "pdfplumber",
        "xxgk.source", "yaml",
    ):  # fmt: skip
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    from . import seeds

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "warm.txt")
        with open(path, "wb") as stream:
            stream.write(next(seeds.EXAMPLES.glob("*.txt")).read_bytes())
        report(path, tmp)
