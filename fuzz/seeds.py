"""Seed files per medium, built from the bundled examples and the test makers, cached in a
temporary directory (rebuilt when this file or the examples change)."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
BUILT = EXAMPLES / "编制"
MEDIA = ("text", "html", "docx", "pdf", "ofd", "image", "yaml", "csv", "xlsx")
SUFFIX = {
    "text": ".txt", "html": ".html", "docx": ".docx", "pdf": ".pdf", "ofd": ".ofd",
    "image": ".png", "yaml": ".yaml", "csv": ".csv", "xlsx": ".xlsx",
}  # fmt: skip


def _makers():
    """The test makers (tests/ is not a package)."""
    tests = str(ROOT / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    import hostilemaker
    import ofdmaker

    return hostilemaker, ofdmaker


def _key() -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(EXAMPLES.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + str(path.stat().st_size).encode())
    return digest.hexdigest()[:12]


def cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / f"xxgk-fuzz-seeds-{_key()}"


def seeds(media: tuple[str, ...] = MEDIA) -> dict[str, list[tuple[str, bytes]]]:
    """medium -> [(name, bytes)], built once into the cache directory."""
    folder = cache_dir()
    out: dict[str, list[tuple[str, bytes]]] = {}
    for medium in media:
        where = folder / medium
        if not where.is_dir():
            tmp = Path(tempfile.mkdtemp(prefix=f".{medium}-", dir=_ensure(folder)))
            for name, data in _build(medium):
                (tmp / name).write_bytes(data)
            try:
                os.rename(tmp, where)
            except OSError:  # another process built it first
                shutil.rmtree(tmp, ignore_errors=True)
        out[medium] = [(p.name, p.read_bytes()) for p in sorted(where.iterdir())]
    return out


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _built(suffix: str) -> bytes:
    return next(BUILT.glob(f"*{suffix}")).read_bytes()


def _build(medium: str) -> list[tuple[str, bytes]]:
    if medium == "text":
        return [(f"example{i}.txt", p.read_bytes()) for i, p in enumerate(sorted(EXAMPLES.glob("*.txt")))] + [
            ("built.md", _built(".md"))
        ]
    if medium == "html":
        return [("built.html", _built(".html"))]
    if medium == "docx":
        hostile, _ = _makers()
        return [("built.docx", _built(".docx")), ("hidden.docx", hostile.hidden_text_docx())]
    if medium == "pdf":
        hostile, _ = _makers()
        small = hostile.text_pdf(["2024 annual report", "1 2 3 4 5 6 7 8"])
        return [("built.pdf", _first_pages(_built(".pdf"), 1)), ("small.pdf", small)]
    if medium == "ofd":
        _, ofd = _makers()
        return [("built.ofd", ofd.pdf_to_ofd(_first_pages(_built(".pdf"), 2)))]
    if medium == "image":
        return _images()
    if medium == "yaml":
        return [("source.yaml", _built("源文件.yaml"))]
    if medium in ("csv", "xlsx"):
        return [(f"ledger.{medium}", _ledger_export(medium))]
    raise ValueError(medium)


def _first_pages(pdf: bytes, pages: int) -> bytes:
    """The first pages of a PDF (a short seed keeps each case fast), saved by pdfium."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(pdf)
    target = pdfium.PdfDocument.new()
    target.import_pages(source, list(range(min(pages, len(source)))))
    out = io.BytesIO()
    target.save(out)
    return out.getvalue()


def _images() -> list[tuple[str, bytes]]:
    from PIL import Image, ImageDraw

    image = Image.new("L", (160, 60), 255)
    ImageDraw.Draw(image).text((8, 20), "2024 12 34", fill=0)
    out = []
    for fmt, name in (("PNG", "small.png"), ("JPEG", "small.jpg")):
        buf = io.BytesIO()
        image.save(buf, fmt)
        out.append((name, buf.getvalue()))
    return out


def _ledger_export(kind: str) -> bytes:
    from xxgk.ledger.importexport import export_ledger
    from xxgk.ledger.records import CaseRecord, EventRecord
    from xxgk.ledger.store import Ledger

    with tempfile.TemporaryDirectory() as tmp:
        with Ledger.open(os.path.join(tmp, "seed.sqlite3")) as ledger:
            first = ledger.add_case(
                CaseRecord(
                    "", date(2025, 9, 26), "in_person", "natural_person", "张三", '=HYPERLINK("x")\n含"引号"',
                    applicant_contact="13800138000",
                ),
                "李四",
            )  # fmt: skip
            add = ledger.add_event
            add(
                first.number,
                EventRecord("correction_requested", date(2025, 9, 28), {"items": "说明用途"}),
                "李四",
            )
            note = add(first.number, EventRecord("note", date(2025, 9, 29), {"text": "电话, 沟通"}), "李四")
            add(
                first.number,
                EventRecord("void", date(2025, 9, 30), {"reason": "录错"}, supersedes=note.id),
                "王五",
            )
            add(first.number, EventRecord("correction_received", date(2025, 10, 9)), "李四")
            add(first.number, EventRecord("reply", date(2025, 10, 20), {"outcome": "granted"}), "李四")
            second = ledger.add_case(
                CaseRecord("", date(2024, 12, 30), "online", "commercial", "某某科技有限公司", "合同"), "王五"
            )
            amend = {"fields": {"applicant_type": "research", "received": "2024-12-31"}}
            add(second.number, EventRecord("case_amended", date(2025, 1, 2), amend), "王五")
            target = os.path.join(tmp, f"out.{kind}")
            export_ledger(ledger, target)
        return Path(target).read_bytes()
