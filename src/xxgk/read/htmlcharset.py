"""Decoding a web page: its declared charset when trusted and clean, else detection.

A declared charset is taken from the MHTML part header, the XML declaration or a <meta> tag
and mapped to a Python codec; only Chinese, Japanese, Korean and UTF-8 declarations are
trusted. A byte-order mark, an unknown or Western declaration, bytes that do not decode, or
valid UTF-8 declared as a legacy encoding fall back to text.py's detection.
"""

from __future__ import annotations

import codecs
import re

from .text import decode_bytes

__all__ = ["decode_html", "decode_html_exact"]

# Declared charsets we trust (Python codec names). GB2312 pages hold GBK characters. A
# declared UTF-16 is never trusted (the declaration itself was readable as ASCII).
_TRUSTED = ("utf_8", "gb18030", "cp950", "big5hkscs", "shift_jis", "euc_jp", "euc_kr")
_ENCODINGS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950"} | {c: c for c in _TRUSTED}
_META_CHARSET = re.compile(rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.\-]+)")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


# --- bytes -> text -------------------------------------------------------------------------


def decode_html(data: bytes, charset: str | None, path: str | None) -> tuple[str, str]:
    """The declared charset when it decodes cleanly (a BOM wins over it), else detection."""
    text, encoding, _ = decode_html_exact(data, charset, path)
    return text, encoding


def decode_html_exact(data: bytes, charset: str | None, path: str | None) -> tuple[str, str, bool]:
    """decode_html, and whether the text is `data` decoded as UTF-8 with nothing changed
    (no BOM, no CR): then `data` can be handed to the parser as it is."""
    codec = None if data.startswith(_BOMS) else _codec(charset or _declared_charset(data))
    if codec is not None:
        try:
            text = codecs.decode(data, codec)
        except UnicodeDecodeError:
            text = None
        # UTF-8 declared as GBK decodes "cleanly" into nonsense; valid UTF-8 is UTF-8.
        if text is not None and (codec == "utf_8" or not _is_utf8(data)):
            decoded = text
            text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
            utf8 = codec == "utf_8"
            return text, "utf-8" if utf8 else codec, utf8 and text is decoded
    return (*decode_bytes(data, path), False)


def _declared_charset(data: bytes) -> str | None:
    head = data[:16384]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _codec(charset: str | None) -> str | None:
    """A Python codec for a declared charset; None for unknown or Western ones (Chinese pages
    declared as ISO-8859-1 are common, and Latin-1 decodes anything)."""
    if not charset:
        return None
    try:
        name = codecs.lookup(charset.strip().lower()).name.replace("-", "_")
    except LookupError:
        return None
    return _ENCODINGS.get(name)


def _is_utf8(data: bytes) -> bool:
    """Non-ASCII and valid UTF-8: which legacy-encoded Chinese text of any length never is."""
    try:
        return not data.isascii() and bool(data.decode("utf-8"))
    except UnicodeDecodeError:
        return False
