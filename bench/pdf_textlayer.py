"""pypdfium2 against pdfplumber for the PDF text layer with character boxes (issue 13, point 5).

For each PDF: the characters each library reads (spaces and line breaks aside), whether the
texts agree, the largest difference between the two boxes of a character (points, top-left
origin; pdfium's tight glyph box, or with --loose its font box), and the CPU time of each.

Run: .venv/bin/python bench/pdf_textlayer.py [--loose] [file.pdf ...]
(default: ../shared/corpus/real/*.pdf)
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--loose", action="store_true", help="pdfium's font boxes instead of glyph boxes")
    args = parser.parse_args()
    paths = args.pdfs or sorted((SHARED / "corpus" / "real").glob("*.pdf"))
    if not paths:
        sys.exit("no PDFs given and none in ../shared/corpus/real/")
    for path in paths:
        print(compare(path, args.loose), flush=True)


if __name__ == "__main__":
    main()
