"""DOCX -> PDF with LibreOffice, the fonts of official documents aliased to Noto CJK.

The DOCX names 仿宋_GB2312, 黑体, 方正小标宋简体 …; on a machine without them fontconfig would
hand LibreOffice its default sans font. `fonts.conf` (package data) maps each name to the
Noto CJK face that stands in for it and includes the system configuration; LibreOffice reads
it through FONTCONFIG_FILE. The process handling (a fresh profile, its own process group,
a timeout) is the reader's (`xxgk.read.doc.run_soffice_convert`).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..read.doc import DEFAULT_TIMEOUT, run_soffice_convert

FONTS_CONF = Path(__file__).resolve().parent.parent / "data" / "fonts.conf"
PDF_FILTER = "pdf:writer_pdf_Export"

MSG_NO_LIBREOFFICE = (
    "需要 LibreOffice 才能把 DOCX 转换为 PDF：请运行 scripts/setup-system.sh "
    "或 apt-get install libreoffice-writer-nogui"
)


def font_environment() -> dict[str, str]:
    """Environment variables that give a program xxgk's font aliases."""
    return {"FONTCONFIG_FILE": str(FONTS_CONF)}


def docx_to_pdf(
    docx_path: str | Path,
    pdf_path: str | Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    soffice: str | None = None,
) -> None:
    """Print a DOCX to PDF with LibreOffice (headless). Raises InputError when LibreOffice is
    missing, fails or takes longer than `timeout` seconds, or a file cannot be read or written."""
    source = str(docx_path)
    try:
        data = Path(docx_path).read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件（{exc.strerror}）", source) from None
    pdf = run_soffice_convert(
        data,
        ".docx",
        PDF_FILTER,
        source,
        timeout,
        soffice=soffice,
        env=font_environment(),
        missing=MSG_NO_LIBREOFFICE,
    )
    try:
        Path(pdf_path).write_bytes(pdf)
    except OSError as exc:
        raise InputError(f"无法写入文件（{exc.strerror}）", str(pdf_path)) from None


__all__ = ["FONTS_CONF", "MSG_NO_LIBREOFFICE", "docx_to_pdf", "font_environment"]
