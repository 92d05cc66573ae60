"""pypdfium2 against pdfplumber for the PDF text layer with character boxes (issue 13, point 5).

For each PDF: the characters each library reads (spaces and line breaks aside), whether the
texts agree, the largest difference between the two boxes of a character (points, top-left
origin; pdfium's tight glyph box, or with --loose its font box), and the CPU time of each.
pdfium's own boxes are drawn round the glyph's outline (up to 12 pt off pdfminer's, 189 pt
with --loose), so the reader does not use them: read/pdfium.py rebuilds pdfminer's boxes
from pdfium's origins, the fonts' widths and descriptor descents.

With --reader: the whole PDF reader (read/pdf.py) with pdfium's page records (USE_PDFIUM)
and without, in one process: CPU time (best of 3), the pages pdfium read and refused, and
the numbers of the two Documents that differ. Measured (2 cores, same run):

    r001.pdf   pdfplumber 280 ms  pdfium 126 ms  pages 5/5   numbers differing 0
    r002.pdf   pdfplumber 292 ms  pdfium 127 ms  pages 5/5   numbers differing 0
    r003.pdf   pdfplumber 317 ms  pdfium 140 ms  pages 6/6   numbers differing 0

and 12 LibreOffice PDFs (tests/pdfmaker.py, three variants, seeds 0-3), 5 seed PDFs and 2
WeasyPrint ones: every page read by pdfium, texts, cells, spans identical; a box edge 0.01 pt
apart in 9 of the 22 (one to three per file). Those edges lie on a half hundredth (253.045):
pdfminer sums character advances in double precision, pdfium in single, and the two round
to 253.04 and 253.05. Coordinates the PDF writes (path points, matrices, font sizes) are
read back exactly (pdfiumpaths.exact), as are "re" corners (x + w); sums are not.

Run: .venv/bin/python bench/pdf_textlayer.py [--loose | --reader] [file.pdf ...]
(default: ../shared/corpus/real/*.pdf)
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

SHARED = Path(os.environ.get("XXGK_SHARED", Path(__file__).resolve().parents[2] / "shared"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # pdfiumcount


def plumber_chars(data: bytes) -> list[tuple]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            (n, c["text"], c["x0"], c["top"], c["x1"], c["bottom"])
            for n, page in enumerate(pdf.pages)
            for c in page.chars
        ]


def pdfium_chars(data: bytes, loose: bool) -> list[tuple]:
    import pypdfium2 as pdfium

    out = []
    doc = pdfium.PdfDocument(data)
    try:
        for n in range(len(doc)):
            page = doc[n]
            height, text = page.get_height(), page.get_textpage()
            for i in range(text.count_chars()):
                ch = text.get_text_range(i, 1)
                left, bottom, right, top = text.get_charbox(i, loose=loose)
                out.append((n, ch, left, height - top, right, height - bottom))
            text.close()
            page.close()
    finally:
        doc.close()
    return out


def cpu(func, *args) -> tuple[float, list]:
    best, result = float("inf"), []
    for _ in range(3):
        start = time.process_time()
        result = func(*args)
        best = min(best, time.process_time() - start)
    return best, result


def compare(path: Path, loose: bool) -> str:
    data = path.read_bytes()
    try:
        t_plumber, a = cpu(plumber_chars, data)
        t_pdfium, b = cpu(pdfium_chars, data, loose)
    except Exception as exc:  # a damaged file: report which library refused it
        return f"{path.name:24s} {type(exc).__name__}: {str(exc)[:70]}"
    a = [c for c in a if not c[1].isspace()]
    b = [c for c in b if c[1] and not c[1].isspace()]
    same = [c[1] for c in a] == [c[1] for c in b]
    box = (
        max((max(abs(x[k] - y[k]) for k in range(2, 6)) for x, y in zip(a, b, strict=True)), default=0.0)
        if same
        else None
    )
    shown = f"{box:5.1f} pt" if box is not None else "   — "
    return (
        f"{path.name:24s} chars {len(a):5d}/{len(b):5d}  same text {same!s:5s}  max box difference {shown}  "
        f"pdfplumber {t_plumber * 1000:5.0f} ms  pypdfium2 {t_pdfium * 1000:4.0f} ms"
    )


def reader_compare(path: Path) -> str:
    import dataclasses

    from pdfiumcount import counting_pages
    from xxgk.read import pdf

    data = path.read_bytes()
    docs, times = {}, {}
    with counting_pages() as counts:
        for use in (False, True):
            pdf.USE_PDFIUM = use
            times[use], doc = cpu(pdf._read_pdf, data, str(path), 200, 120.0)
            docs[use] = dataclasses.asdict(doc)
    pages = counts["read"] + counts["refused"]
    return (
        f"{path.name:24s} pdfplumber {times[False] * 1000:4.0f} ms  pdfium {times[True] * 1000:4.0f} ms  "
        f"pages {counts['read'] // 3}/{pages // 3}  numbers differing {_differing(docs[True], docs[False])}"
    )


def _differing(a, b) -> int | str:
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        return _total(_differing(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple) and len(a) == len(b):
        return _total(_differing(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return int(a != b)
    return 0 if a == b else "structure"


def _total(parts) -> int | str:
    parts = list(parts)
    return "structure" if "structure" in parts else sum(parts)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--loose", action="store_true", help="pdfium's font boxes instead of glyph boxes")
    parser.add_argument("--reader", action="store_true", help="the whole reader with and without pdfium")
    args = parser.parse_args()
    paths = args.pdfs or sorted((SHARED / "corpus" / "real").glob("*.pdf"))
    if not paths:
        sys.exit("no PDFs given and none in ../shared/corpus/real/")
    for path in paths:
        print(reader_compare(path) if args.reader else compare(path, args.loose), flush=True)


if __name__ == "__main__":
    main()
