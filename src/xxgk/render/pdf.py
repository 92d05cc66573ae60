"""Report -> PDF: WeasyPrint prints the page of `render_html`, so the PDF, the HTML page and a
browser's print of it share one stylesheet (A4, the margins and page numbers of GB/T 9704,
table rows never split, 表三's header repeated on each page).

WeasyPrint is imported on first use (it takes most of a second and needs the system library
Pango). Fonts: the stylesheet names the official fonts first and the Noto CJK faces after them;
WeasyPrint embeds the subset of each face the text uses.

Speed: WeasyPrint subsets with HarfBuzz when libharfbuzz-subset is installed; without it, it
falls back to fontTools, which walks all 65,535 glyphs of a Noto CJK face (about 4 s per face).
In that case the Noto faces are first cut down here to the characters of the page (about 0.4 s
each) and handed to WeasyPrint as `@font-face` under their own family names.
"""

from __future__ import annotations

import base64
import io
import logging
import shutil
import subprocess
import warnings
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError
from ..model import Report
from .html import make_stylesheet, render_html

MSG_NO_WEASYPRINT = "生成 PDF 需要 WeasyPrint：请执行 pip install weasyprint"
MSG_NO_PANGO = (
    "生成 PDF 需要 Pango 文本排版库：请运行 scripts/setup-system.sh "
    "或 apt-get install libpango-1.0-0 libpangoft2-1.0-0"
)
MSG_NO_CJK_FONT = "生成 PDF 需要中文字体：请运行 scripts/setup-system.sh 或 apt-get install fonts-noto-cjk"

# The Noto CJK faces the stylesheet falls back to (see html.py); each is trimmed when needed.
NOTO_FACES = ("Noto Serif CJK SC", "Noto Sans CJK SC")
# Characters WeasyPrint adds to the page itself: the page numbers ("— 12 —").
_GENERATED_TEXT = "— 0123456789"
TRIMMED_PREFIX = "xxgk "
_QUIET_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools")
_FC_TIMEOUT = 10.0


def render_pdf(report: Report, target: str | Path | BinaryIO) -> None:
    """Write the report as a PDF (A4, CJK fonts embedded) to a path or a binary file object."""
    html_to_pdf(
        lambda serif, sans: render_html(report, stylesheet=make_stylesheet(serif=serif, sans=sans)),
        lambda: render_html(report, fragment=True),
        target,
    )


def html_to_pdf(
    page: Callable[[str, str], str], text: Callable[[], str], target: str | Path | BinaryIO
) -> None:
    """Print an HTML page to PDF with the CJK fonts embedded. `page(serif, sans)` builds the
    page given the CSS font-family lists that stand for Noto Serif/Sans CJK SC; `text()` gives the
    characters it prints (for cutting the fonts down when HarfBuzz cannot subset them)."""
    weasyprint, font_configuration = _weasyprint()
    _require_cjk_font(str(target) if isinstance(target, str | Path) else None)
    faces: dict[str, str] = {}
    if not _harfbuzz_subset():
        faces = _trimmed_faces(text() + _GENERATED_TEXT)
    serif, sans = (_fallback(family, faces) for family in NOTO_FACES)
    html = page(serif, sans)
    # @font-face rules take effect only through a font configuration shared with the render.
    fonts = font_configuration()
    stylesheets = [weasyprint.CSS(string="\n".join(faces.values()), font_config=fonts)] if faces else []
    document = weasyprint.HTML(string=html).render(stylesheets=stylesheets, font_config=fonts)
    document.write_pdf(str(target) if isinstance(target, Path) else target)


def _fallback(family: str, faces: dict[str, str]) -> str:
    """The CSS family list standing in for a Noto face: its trimmed copy first, if made."""
    if family in faces:
        return f'"{TRIMMED_PREFIX}{family}", "{family}"'
    return f'"{family}"'


# ---------------------------------------------------------------- WeasyPrint and its libraries


def _weasyprint() -> tuple[Any, Any]:
    for name in _QUIET_LOGGERS:
        # Notes on unsupported CSS and font subsetting are noise to the user.
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            # "HarfBuzz-Subset will be required by future versions": handled below (_trimmed_faces).
            warnings.simplefilter("ignore", DeprecationWarning)
            import weasyprint
            from weasyprint.text.fonts import FontConfiguration
    except ImportError as err:
        raise InputError(MSG_NO_WEASYPRINT) from err
    except OSError as err:  # cffi could not load Pango, HarfBuzz or fontconfig
        raise InputError(MSG_NO_PANGO) from err
    return weasyprint, FontConfiguration


def _harfbuzz_subset() -> bool:
    try:
        from weasyprint.text.ffi import harfbuzz_subset
    except ImportError:
        return False
    return harfbuzz_subset is not None


def _require_cjk_font(label: str | None) -> None:
    if _has_cjk_font() is False:
        raise InputError(MSG_NO_CJK_FONT, label)


@cache
def _has_cjk_font() -> bool | None:
    """Whether fontconfig knows a font for Chinese; None when that cannot be asked."""
    out = _fontconfig("fc-list", ":lang=zh", "family")
    return None if out is None else bool(out.strip())


@cache
def _face_file(family: str) -> tuple[str, int] | None:
    """The font file and face index fontconfig picks for `family`, if it is that family."""
    out = _fontconfig("fc-match", "--format=%{family}\n%{file}\n%{index}", f"{family}:style=Regular")
    if out is None:
        return None
    parts = out.split("\n")
    if len(parts) != 3 or family not in parts[0].split(","):
        return None
    try:
        return parts[1], int(parts[2])
    except ValueError:
        return None


def _fontconfig(program: str, *args: str) -> str | None:
    found = shutil.which(program)
    if found is None:
        return None
    try:
        done = subprocess.run(
            [found, *args], capture_output=True, text=True, timeout=_FC_TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


# ---------------------------------------------------------------- trimmed Noto faces


def _trimmed_faces(text: str) -> dict[str, str]:
    """Per Noto face, an `@font-face` rule for a copy cut down to the characters of `text`.
    The copy has a family name of its own: WeasyPrint does not mask an installed font of the
    same name, and Pango would pick either."""
    rules = {}
    for family in NOTO_FACES:
        found = _face_file(family)
        if found is None:
            continue
        data = _trim(found[0], found[1], text)
        if data is None:
            continue
        url = "data:font/otf;base64," + base64.b64encode(data).decode("ascii")
        rules[family] = f'@font-face {{ font-family: "{TRIMMED_PREFIX}{family}"; src: url("{url}"); }}'
    return rules


def _trim(path: str, index: int, text: str) -> bytes | None:
    from fontTools import subset
    from fontTools.ttLib import TTFont, TTLibError

    options = subset.Options()
    options.notdef_outline = True
    # Shaping CJK text needs no substitutions: the SC face maps each character to its SC form.
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS"]
    try:
        font = TTFont(path, fontNumber=index, lazy=True, recalcBBoxes=False)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
    except (OSError, TTLibError):
        return None  # WeasyPrint then embeds the installed face itself, only slower
    return out.getvalue()


__all__ = ["MSG_NO_CJK_FONT", "MSG_NO_PANGO", "html_to_pdf", "render_pdf"]
