"""Defences for ZIP-based inputs (DOCX, XLSX, ODT ...) before any library opens them.

`open_safe_zip(data, path)` refuses, with a Chinese InputError, what would make a reader
use unbounded memory or time: a corrupt or truncated archive, too many members, a total
uncompressed size over the limit, a member whose compression ratio is typical of a zip
bomb, encrypted members, and XML members that declare a DTD or entities (billion laughs).

Sizes are the ones declared in the central directory. That is enough: Python's zipfile
never inflates a member past its declared size (it fails the CRC check instead), so a
member that lies about its size cannot grow beyond what was checked here.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from xml.sax import SAXException, handler

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

from ..errors import InputError
from .limits import format_limit, format_size

_MIB = 1024 * 1024

MSG_UNSAFE_XML = "文档含有不安全的 XML 实体定义"


@dataclass(frozen=True)
class ZipLimits:
    max_total: int = 200 * _MIB  # sum of uncompressed member sizes
    # Sum of the *.xml / *.rels members, which are parsed into trees (several times their
    # size in memory); a long report's document.xml is a few MB.
    max_xml: int = 64 * _MIB
    max_members: int = 5000
    max_ratio: int = 200  # uncompressed / compressed, for members larger than ratio_from
    ratio_from: int = 1 * _MIB


DEFAULT_LIMITS = ZipLimits()

# How much of an XML member is read at a time while looking for its root element.
_SCAN_CHUNK = 64 * 1024
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def corrupt_message(kind: str) -> str:
    return f"{kind} 文件已损坏或不完整"


def open_safe_zip(
    data: bytes, path: str | None = None, kind: str = "DOCX", limits: ZipLimits = DEFAULT_LIMITS
) -> zipfile.ZipFile:
    """Open `data` as a ZIP archive after checking sizes, ratios and XML members."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as err:
        raise InputError(corrupt_message(kind), path) from err
    try:
        check_members(archive.infolist(), path, limits)
        check_xml_members(archive, path, kind)
    except BaseException:
        archive.close()
        raise
    return archive


def check_members(infos: list[zipfile.ZipInfo], path: str | None, limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Refuse archives whose declared contents exceed `limits` (no member is read)."""
    if len(infos) > limits.max_members:
        raise InputError(f"压缩包内文件过多（{len(infos)} 个，上限 {limits.max_members} 个）", path)
    total = xml = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError("文件已加密，无法读取", path)
        total += info.file_size
        if info.filename.lower().endswith((".xml", ".rels")):
            xml += info.file_size
        if total > limits.max_total:
            raise InputError(
                f"解压后内容过大（超过上限 {format_limit(limits.max_total)}），可能是压缩炸弹", path
            )
        if xml > limits.max_xml:
            raise InputError(f"文档的 XML 内容过大（超过上限 {format_limit(limits.max_xml)}）", path)
        if info.file_size > limits.ratio_from:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise InputError(
                    f"压缩包成员 {info.filename} 的压缩比异常（{ratio:.0f}:1，"
                    f"解压后 {format_size(info.file_size)}），可能是压缩炸弹",
                    path,
                )


def check_xml_members(archive: zipfile.ZipFile, path: str | None, kind: str = "DOCX") -> None:
    """Refuse any XML member with a DOCTYPE or entity declaration.

    Both must come before the root element, so each member is read only up to its root
    start tag, in bounded chunks.
    """
    for info in archive.infolist():
        if info.is_dir() or info.file_size == 0:
            continue
        try:
            with archive.open(info) as stream:
                _scan_prolog(stream, path, kind, info.filename)
        except InputError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as err:
            raise InputError(corrupt_message(kind), path) from err
        except RuntimeError as err:  # zipfile: encrypted member
            raise InputError("文件已加密，无法读取", path) from err


class _RootReached(Exception):
    pass


class _StopAtRoot(handler.ContentHandler):
    def startElement(self, name, attrs):  # noqa: N802 (SAX API)
        raise _RootReached


def _looks_like_xml(head: bytes) -> bool:
    if head.startswith(_UTF16_BOMS):
        return True
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def _scan_prolog(stream, path: str | None, kind: str, name: str) -> None:
    chunk = stream.read(_SCAN_CHUNK)
    if not _looks_like_xml(chunk[:512]):
        return
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(_StopAtRoot())
    try:
        while chunk:
            parser.feed(chunk)
            chunk = stream.read(_SCAN_CHUNK)
        parser.close()
    except _RootReached:
        return
    except DefusedXmlException as err:
        raise InputError(MSG_UNSAFE_XML, path) from err
    except (SAXException, LookupError) as err:  # LookupError: an unknown encoding declared
        raise InputError(f"{corrupt_message(kind)}（{name} 不是有效的 XML）", path) from err
