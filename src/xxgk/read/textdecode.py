"""Which encoding a plain-text file is in, and its decoded text.

Detection order: known binary signatures; BOM; NUL-byte pattern (UTF-16 without BOM); UTF-8;
GB18030 or Big5, whichever yields more common Chinese characters; UTF-16 without BOM or
NULs; UTF-8/GB18030 with a handful of corrupt bytes; charset-normalizer as a last resort.
Every step is linear in the input, and statistics are taken on bounded samples.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Callable, Iterable
from functools import cache

from ..errors import InputError

Decoded = tuple[str, str]

_SIGNATURES = (
    (b"%PDF", "PDF 文件"),
    (b"PK\x03\x04", "ZIP 压缩包或 DOCX/XLSX 等 Office 文件"),
    (b"PK\x05\x06", "ZIP 压缩包"),
    (b"\xd0\xcf\x11\xe0", "DOC/XLS 等旧版 Office 文件"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"Rar!\x1a\x07", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"{\\rtf", "RTF 文件"),
)

# (bom, codec that decodes what follows, name reported). UTF-32 LE must precede UTF-16 LE:
# its BOM starts with the UTF-16 LE one. Reported names decode the BOM'd bytes as-is.
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
    (b"\x84\x31\x95\x33", "gb18030", "gb18030"),
)

MSG_EMPTY = "文件为空"
MSG_UNKNOWN_ENCODING = "无法识别文件编码"
MSG_NUL = "不是文本文件（含有 NUL 字节）"
MSG_CONTROL = "不是文本文件（含有大量控制字符）"

_SAMPLE_BYTES = 64 * 1024
_SAMPLE_CHARS = 32 * 1024
_BYTE_COUNT_MAX = 1024 * 1024  # control characters counted on the bytes up to this size

# Tab, LF, VT, FF, CR are normal in text (FF marks pages in pdftotext output).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)

# What a Chinese report, or text in general, is made of; random UTF-16 code units mostly are not.
# Compiled when first needed (~1.5 ms): only UTF-16 without a BOM is judged by it.
_IMPLAUSIBLE_SOURCE = (
    "[^\t\n\r\x0b\x0c\x20-\x7e\u00a0-\u024f\u2000-\u2bff\u3000-\u30ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)

# Correctly decoded Chinese scores ~1.0 on _chinese_score; GBK read as Big5 (and vice versa)
# scores 0.2-0.8 because many byte pairs land on rare characters, kana or private use.
_SURE_CHINESE = 0.85
_LIKELY_CHINESE = 0.6
_FEW_CHARS = 8  # below this many non-ASCII characters the score is noise




# --- detection ---------------------------------------------------------------------------


def _refuse_known_formats(data: bytes, path: str | None) -> None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"不是文本文件（看起来是 {kind}）", path)


def decode_text(data: bytes, path: str | None) -> Decoded:
    """Decoded text without BOM; newlines are left as they are."""
    _refuse_known_formats(data, path)
    sample = data[:_SAMPLE_BYTES]
    controls = _control_bytes(sample)  # counted once: a file of ordinary size is its sample
    text, encoding = _decode(data, path, controls)
    counted = controls if len(sample) == len(data) else None
    if _has_control_soup(text, data if encoding == "utf-8" else None, counted):
        raise InputError(MSG_CONTROL, path)
    return text.removeprefix("\ufeff"), encoding


def _decode(data: bytes, path: str | None, sample_controls: int) -> Decoded:
    """`sample_controls`: how many control bytes the first _SAMPLE_BYTES hold."""
    found = _decode_with_bom(data, path)
    if found:
        return found
    if b"\x00" in data:
        found = _decode_utf16_unmarked(data)
        if not found:
            raise InputError(MSG_NUL, path)
        return found
    if _too_many(sample_controls, min(len(data), _SAMPLE_BYTES)):
        # Pure-CJK UTF-16 has no NULs but its low bytes are often control codes.
        found = _decode_utf16_cjk(data)
        if not found:
            raise InputError(MSG_CONTROL, path)
        return found
    attempts: tuple[Callable[[bytes], Decoded | None], ...] = (
        _decode_utf8,
        _decode_chinese_legacy,
        _decode_utf16_cjk,
        _decode_lenient,
        _decode_charset_normalizer,
    )
    for attempt in attempts:
        found = attempt(data)
        if found:
            return found
    raise InputError(MSG_UNKNOWN_ENCODING, path)


def _decode_with_bom(data: bytes, path: str | None) -> Decoded | None:
    matches = [(len(bom), codec, name) for bom, codec, name in _BOMS if data.startswith(bom)]
    if not matches:
        return None
    for skip, codec, name in matches:
        text = _strict(data[skip:], codec)
        if text is not None:
            return text, name
    skip, codec, name = matches[0]
    text = _lenient(data[skip:], codec)
    if text is None:
        raise InputError(MSG_UNKNOWN_ENCODING, path)
    return text, name


def _decode_utf8(data: bytes) -> Decoded | None:
    text = _strict(data, "utf-8")
    return None if text is None else (text, "utf-8")


def _decode_chinese_legacy(data: bytes) -> Decoded | None:
    """GB18030 (a superset of GBK/GB2312) unless Big5 reads as more common Chinese."""
    scored = []
    for codec in ("gb18030", "cp950"):
        text = _strict(data, codec)
        if text is None:
            continue
        score, count = _chinese_score(text)
        if codec == "gb18030" and score >= _SURE_CHINESE:
            return text, codec
        scored.append((score, codec == "gb18030", count, codec, text))
    if not scored:
        return None
    score, _, count, codec, text = max(scored, key=lambda s: s[:2])
    return (text, codec) if score >= _LIKELY_CHINESE or count < _FEW_CHARS else None


def _decode_utf16_unmarked(data: bytes, *, cjk_only: bool = False) -> Decoded | None:
    """UTF-16 without BOM: pick the byte order that reads as plausible text."""
    head = data[: min(len(data), _SAMPLE_BYTES) & ~1]
    share, codec = max((_plausible_share(head.decode(c, "replace")), c) for c in ("utf-16-le", "utf-16-be"))
    if not _reads_as_utf16(head.decode(codec, "replace"), share, cjk_only):
        return None
    text = _strict(data, codec)
    if text is None:
        text = _lenient(data, codec)
    return None if text is None else (text, codec)


def _reads_as_utf16(sample: str, plausible: float, cjk_only: bool) -> bool:
    score, wide = _chinese_score(sample)
    if cjk_only:  # no NULs at all, so only near-perfect Chinese is convincing
        return plausible >= 0.95 and score >= _SURE_CHINESE and wide >= _FEW_CHARS
    # ASCII text with a stray NUL, read as UTF-16, turns into rare CJK characters: low score.
    return plausible >= 0.8 and (score >= _LIKELY_CHINESE or wide * 20 < len(sample))


def _decode_utf16_cjk(data: bytes) -> Decoded | None:
    """UTF-16 without BOM or NULs, which happens only for text that is (almost) all CJK."""
    return None if len(data) % 2 else _decode_utf16_unmarked(data, cjk_only=True)


def _decode_lenient(data: bytes) -> Decoded | None:
    """A file cut mid-character or with a few corrupt bytes is still worth reading."""
    for codec in ("utf-8", "gb18030"):
        text = _lenient(data, codec)
        if text is None:
            continue
        if codec == "utf-8" or _chinese_score(text)[0] >= _LIKELY_CHINESE:
            return text, codec
    return None


def _decode_charset_normalizer(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes  # slow to import; rarely needed

    sample = data[:_SAMPLE_BYTES]
    if len(data) > len(sample) and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # don't hand it a character cut in half
    best = from_bytes(sample).best()
    if best is None or best.encoding.startswith(("utf_16", "utf_32")):
        return None
    text = _strict(data, best.encoding)
    return None if text is None else (text, best.encoding)


# --- codecs ------------------------------------------------------------------------------


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return codecs.decode(data, codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _lenient(data: bytes, codec: str) -> str | None:
    """Decode replacing bad bytes, or None if there are more than about one per thousand."""
    allowed = max(1, len(data) // 1000)
    # A sample with too many errors already rules the whole file out, without decoding it all
    # (+1: the sample may end mid-character).
    if data[:_SAMPLE_BYTES].decode(codec, "replace").count("\ufffd") > allowed + 1:
        return None
    text = data.decode(codec, "replace")
    return text if text.count("\ufffd") <= allowed else None


# --- statistics --------------------------------------------------------------------------


def _sample(text: str) -> str:
    """Start, middle and end of a long text: enough to judge it, in bounded time."""
    n = _SAMPLE_CHARS
    if len(text) <= 3 * n:
        return text
    mid = len(text) // 2
    return text[:n] + text[mid : mid + n] + text[-n:]


def _plausible_share(text: str) -> float:
    sample = _sample(text)
    if not sample:
        return 0.0
    return 1 - len(_implausible_chars().findall(sample)) / len(sample)


@cache
def _implausible_chars() -> re.Pattern[str]:
    return re.compile(_IMPLAUSIBLE_SOURCE)


def _chinese_score(text: str) -> tuple[float, int]:
    """(share of non-ASCII characters that are common Chinese characters or punctuation, count)."""
    common = _common_chars()
    wide = [c for c in _sample(text) if c > "\x7f"]
    if not wide:
        return 0.0, 0
    return sum(c in common for c in wide) / len(wide), len(wide)


@cache
def _common_chars() -> frozenset[str]:
    # GB2312 level 1 and Big5 level 1 are each encoding's "frequently used" characters;
    # their union is neutral between simplified and traditional text.
    gb = _decode_table("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))
    big5 = _decode_table("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
    ranges = (
        (0x00B7, 0x00B7),  # middle dot
        (0x00C0, 0x024F),  # Latin letters, including pinyin tone marks
        (0x2010, 0x2027),  # dashes, quotes, ellipsis
        (0x2030, 0x205E),
        (0x2160, 0x217F),  # Roman numerals
        (0x2460, 0x24FF),  # circled and parenthesised numbers
        (0x3000, 0x303F),  # CJK punctuation
        (0xFF00, 0xFFEF),  # full-width forms
    )
    extra = {chr(c) for lo, hi in ranges for c in range(lo, hi + 1)}
    return frozenset(gb | big5 | extra)


def _decode_table(codec: str, leads: Iterable[int], trails: Iterable[int]) -> set[str]:
    chars: set[str] = set()
    for lead in leads:
        for trail in trails:
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode(codec))
    return chars


def _control_bytes(data: bytes) -> int:
    return len(data.translate(None, _NOT_CONTROL_BYTES))


def _has_control_soup(text: str, utf8: bytes | None = None, utf8_controls: int | None = None) -> bool:
    """More than 1% control characters. `utf8`: the bytes `text` was decoded from as UTF-8
    (strictly or with replacements), counted instead of the text when that is exact;
    `utf8_controls`: their count of control bytes when the caller has it."""
    if utf8 is not None and len(utf8) <= _BYTE_COUNT_MAX and b"\xc2" not in utf8:
        # In UTF-8 an ASCII control character is its own byte, and a C1 one starts with \xc2.
        # (translate makes a copy of the bytes first: only for a file of ordinary size.)
        count = _control_bytes(utf8) if utf8_controls is None else utf8_controls
        return _too_many(count, len(text))
    # any() stops as soon as the share is exceeded, so binary soup is rejected early.
    matches = enumerate(_CONTROL_CHARS.finditer(text), start=1)
    return any(_too_many(count, len(text)) for count, _ in matches)


def _too_many(controls: int, total: int) -> bool:
    # One stray control code is a typo; more than 1% is not text.
    return controls >= 2 and controls * 100 > total
