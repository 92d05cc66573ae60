"""Recognise what a file holds by its content, never by its name.

`sniff(data)` returns one of "text", "html", "docx", "doc", "wps", "pdf", "ofd", "image", "json",
or raises InputError (Chinese message) for content that is known but not a report document
(spreadsheets, archives, programs) and for empty input.

It looks at the first few KB, at a ZIP's central directory and at an OLE compound file's
directory entries; the only whole-file scans are C-level `bytes.find` calls.

Government sites often serve one thing under another name: a `.doc` that is Word's "save as
web page" HTML or MHTML, a `.pdf` that is a scanned PNG. Content decides.

Kingsoft WPS writes its `.wps` (and its `.doc`) as a Word 97 binary document: an OLE file
with a WordDocument stream, plus WPS extensions. The reliable trace it leaves is the
`KSOProductBuildVer` custom property, present in both; so "wps" means "a Word binary
document written by WPS", whatever its extension. Readers treat "wps" like "doc".
"""

from __future__ import annotations

import re
import struct

from ..errors import InputError

__all__ = ["looks_like_mhtml", "sniff", "unwrap_mhtml"]

_HEAD = 8 * 1024

MSG_EMPTY = "文件为空"
MSG_ZIP = "ZIP 压缩包（不是 DOCX 文档）"
MSG_XLSX = "XLSX 文件（电子表格/演示文稿，不是报告文档）"
MSG_PPTX = "PPTX 文件（电子表格/演示文稿，不是报告文档）"
MSG_XLS = "XLS 文件（电子表格/演示文稿，不是报告文档）"
MSG_PPT = "PPT 文件（电子表格/演示文稿，不是报告文档）"
MSG_ODF = "OpenDocument 文档（暂不支持，请另存为 DOCX 或 PDF）"
MSG_ENCRYPTED = "加密的 Office 文档（请先取消密码保护）"
MSG_OLE = "旧版 Office 复合文件，但不是 Word 文档"
MSG_RTF = "RTF 文档（暂不支持，请另存为 DOCX）"
MSG_WORD_XML = "Word XML 文档（暂不支持，请另存为 DOCX）"
MSG_EXE = "可执行程序（不是报告文档）"


def _archive(name: str) -> str:
    return f"{name} 压缩包（不是报告文档，请先解压）"


# Signatures at offset 0 that settle the question.
_IMAGES = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
    b"II+\x00",  # BigTIFF
    b"MM\x00+",
    b"\x00\x00\x00\x0cjP  \r\n\x87\n",  # JPEG 2000
    b"\xff\x4f\xff\x51",  # JPEG 2000 codestream
)
_REFUSED = (
    (b"Rar!\x1a\x07", _archive("RAR")),
    (b"7z\xbc\xaf\x27\x1c", _archive("7z")),
    (b"\x1f\x8b", _archive("gzip")),
    (b"BZh", _archive("bzip2")),
    (b"\xfd7zXZ\x00", _archive("xz")),
    (b"\x28\xb5\x2f\xfd", _archive("zstd")),
    (b"MSCF\x00\x00\x00\x00", _archive("CAB")),
    (b"\x7fELF", MSG_EXE),
    (b"\xfe\xed\xfa\xce", MSG_EXE),  # Mach-O
    (b"\xfe\xed\xfa\xcf", MSG_EXE),
    (b"\xce\xfa\xed\xfe", MSG_EXE),
    (b"\xcf\xfa\xed\xfe", MSG_EXE),
    (b"\xca\xfe\xba\xbe", MSG_EXE),  # Mach-O universal / Java class
    (b"{\\rtf", MSG_RTF),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Any of these early on means HTML, even after junk (a PHP warning, a stray line).
_HTML_STRONG = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s[^>]*charset", re.I)
# A text that starts with a tag and has any of these is an HTML fragment.
_HTML_TAGS = re.compile(
    r"<(?:table|tr|td|th|p|div|span|br|font|center|style|script|title|h[1-6]|ul|ol|li|b|strong|a|img)[\s/>]",
    re.I,
)
_XHTML = re.compile(r"xmlns\s*=\s*[\"']http://www\.w3\.org/1999/xhtml", re.I)
_WORD_XML = re.compile(r"progid\s*=\s*[\"']Word\.Document|<w:wordDocument|<pkg:package", re.I)
_JSON_OBJECT = re.compile(r'\{\s*(?:"|\}|$)')
# MHTML (Word's "single file web page", a browser's "save as .mht"): mail-style headers.
_MHTML_HINT = re.compile(r"^(?:[A-Za-z][\w-]*:[^\n]*\n(?:[ \t][^\n]*\n)*)*?mime-version:", re.I)


def sniff(data: bytes, path: str | None = None) -> str:
    """The media kind of `data`, judged by content. See the module docstring."""
    if not data:
        raise InputError(MSG_EMPTY, path)
    head = data[:_HEAD]
    kind = _binary_kind(data, head, path)
    if kind:
        return kind
    kind = _text_kind(head, path)
    if kind:
        return kind
    if b"%PDF-" in head[:1024]:  # a PDF behind a few bytes of junk still opens
        return "pdf"
    return "text"


def looks_like_mhtml(text: str) -> bool:
    """Mail-style headers with MIME-Version, carrying HTML or a multipart/related page."""
    head = text[:_HEAD].replace("\r\n", "\n")
    if not _MHTML_HINT.match(head):
        return False
    lower = head.lower()
    return "multipart/related" in lower or "text/html" in lower


def unwrap_mhtml(data: bytes) -> tuple[bytes, str | None]:
    """(the text/html part, decoded from quoted-printable or base64, and its declared charset)
    of an MHTML file; (data, None) for anything else."""
    if not looks_like_mhtml(data[:_HEAD].decode("latin-1")):
        return data, None
    import email  # start-up: the MIME parser loads only for an MHTML page
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                return payload, part.get_content_charset()
    return data, None


# --- binary formats ----------------------------------------------------------------------


def _binary_kind(data: bytes, head: bytes, path: str | None) -> str | None:
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(_IMAGES) or _is_bmp(head) or _is_webp(head):
        return "image"
    for signature, message in _REFUSED:
        if head.startswith(signature):
            raise InputError(message, path)
    if _is_pe(head):
        raise InputError(MSG_EXE, path)
    if head.startswith(_OLE):
        return _ole_kind(data, path)
    if head.startswith(_ZIP):
        return _zip_kind(data, path)
    return None


def _is_bmp(head: bytes) -> bool:
    # "BM", file size, two reserved zero words, then the pixel offset: text never has the NULs.
    return head.startswith(b"BM") and len(head) >= 26 and head[6:10] == b"\0\0\0\0"


def _is_webp(head: bytes) -> bool:
    return head.startswith(b"RIFF") and head[8:12] == b"WEBP"


def _is_pe(head: bytes) -> bool:
    if not head.startswith(b"MZ") or len(head) < 64:
        return False
    offset = struct.unpack_from("<I", head, 0x3C)[0]
    return head[offset : offset + 4] == b"PE\0\0"


# --- OLE compound files (.doc, .wps, .xls, .ppt, encrypted OOXML) -------------------------


def _ole_kind(data: bytes, path: str | None) -> str:
    if _ole_has(data, "EncryptedPackage") or _ole_has(data, "EncryptionInfo"):
        raise InputError(MSG_ENCRYPTED, path)
    if _ole_has(data, "WordDocument"):
        return "wps" if _written_by_wps(data) else "doc"
    if _ole_has(data, "Workbook") or _ole_has(data, "Book"):
        raise InputError(MSG_XLS, path)
    if _ole_has(data, "PowerPoint Document"):
        raise InputError(MSG_PPT, path)
    raise InputError(MSG_OLE, path)


def _ole_has(data: bytes, name: str) -> bool:
    """Whether the compound file has a directory entry (stream or storage) called `name`.

    Directory entries are 128 bytes, aligned on 128 bytes in the file (sectors are 512 or
    4096 bytes after a header of the same size): a UTF-16LE name padded with NULs, then at
    offset 64 the name's byte length including its terminator, at 66 the entry type."""
    needle = name.encode("utf-16-le") + b"\0\0"
    size = len(needle).to_bytes(2, "little")
    pos = data.find(needle, 512)
    while pos != -1:
        if (
            pos % 128 == 0
            and data[pos + 64 : pos + 66] == size
            and data[pos + 66 : pos + 67] in (b"\1", b"\2")
        ):
            return True
        pos = data.find(needle, pos + 1)
    return False


def _written_by_wps(data: bytes) -> bool:
    # The custom property name is stored in the property set's code page: ANSI or UTF-16.
    return b"KSOProductBuildVer" in data or "KSOProductBuildVer".encode("utf-16-le") in data


# --- ZIP containers (.docx, .xlsx, .pptx, .odt, .ofd, plain archives) ----------------------

_MAX_ZIP_ENTRIES = 5000
_DOCX_PART = re.compile(r"^word/document\d*\.xml$")


def _zip_kind(data: bytes, path: str | None) -> str:
    names = _zip_names(data)
    if any(_DOCX_PART.match(n) for n in names):
        return "docx"
    tops = {n.split("/", 1)[0] for n in names}
    if "xl" in tops:
        raise InputError(MSG_XLSX, path)
    if "ppt" in tops:
        raise InputError(MSG_PPTX, path)
    if "mimetype" in tops and b"application/vnd.oasis.opendocument" in data[:256]:
        raise InputError(MSG_ODF, path)
    if "OFD.xml" in tops:  # GB/T 33190 版式文档: the entry part at the package root
        return "ofd"
    raise InputError(MSG_ZIP, path)


def _zip_names(data: bytes) -> list[str]:
    return _central_directory_names(data) or _local_header_names(data)


def _central_directory_names(data: bytes) -> list[str]:
    """Names from the central directory (what `unzip -l` lists), without decompressing."""
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if eocd < 0 or eocd + 22 > len(data):
        return []
    count, _, offset = struct.unpack_from("<HII", data, eocd + 10)
    names: list[str] = []
    pos = offset
    for _ in range(min(count, _MAX_ZIP_ENTRIES)):
        if data[pos : pos + 4] != b"PK\x01\x02" or pos + 46 > len(data):
            break
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        names.append(data[pos + 46 : pos + 46 + name_len].decode("utf-8", "replace"))
        pos += 46 + name_len + extra_len + comment_len
    return names


def _local_header_names(data: bytes) -> list[str]:
    """A truncated download has no central directory; the local headers still name parts."""
    names: list[str] = []
    pos = data.find(b"PK\x03\x04")
    while pos != -1 and pos + 30 <= len(data) and len(names) < 200:
        name_len = struct.unpack_from("<H", data, pos + 26)[0]
        names.append(data[pos + 30 : pos + 30 + name_len].decode("utf-8", "replace"))
        pos = data.find(b"PK\x03\x04", pos + 30)
    return names


# --- text formats ------------------------------------------------------------------------


def _text_kind(head: bytes, path: str | None) -> str | None:
    text = _head_text(head)
    if text is None:
        return None
    start = text.lstrip("\ufeff \t\r\n\f\v\0")[:_HEAD]
    if _JSON_OBJECT.match(start):
        return "json"
    if looks_like_mhtml(start):
        return "html"
    if start.startswith("{\\rtf"):
        raise InputError(MSG_RTF, path)
    if start.startswith("<?") and _WORD_XML.search(start):
        raise InputError(MSG_WORD_XML, path)
    if _HTML_STRONG.search(start) or _XHTML.search(start):
        return "html"
    if start.startswith("<") and _HTML_TAGS.search(start):
        return "html"
    return None


def _head_text(head: bytes) -> str | None:
    """The head as text, for markup tests: ASCII-compatible bytes read as Latin-1 (tags are
    ASCII in every encoding we meet), UTF-16 by its BOM."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            body = head[len(bom) :]
            if codec != "utf-8":
                body = body[: len(body) & ~1]
            return body.decode(codec, "replace")
    if b"\0" in head[:512]:
        return None  # UTF-16 without BOM or binary: let the text reader judge
    return head.decode("latin-1")
