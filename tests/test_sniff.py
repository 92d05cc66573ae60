"""Sniffing: the media kind comes from the content, never from the file name."""

from __future__ import annotations

import io
import json
import struct
import time
import zipfile

import pytest
from docx import Document as new_docx

from xxgk.errors import InputError
from xxgk.read.sniff import sniff

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)


def ole(*names: str, filler: bytes = b"") -> bytes:
    """A compound-file header and one directory sector holding entries called `names`."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHH", 0x3E, 3, 0xFFFE)
    header = header.ljust(512, b"\0")
    entries = b""
    for i, name in enumerate(("Root Entry", *names)):
        raw = name.encode("utf-16-le") + b"\0\0"
        entry = raw.ljust(64, b"\0") + struct.pack("<HB", len(raw), 5 if i == 0 else 2)
        entries += entry.ljust(128, b"\0")
    return header + entries.ljust(512, b"\0") + filler


def zip_with(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def real_docx() -> bytes:
    document = new_docx()
    document.add_paragraph("2019年某某局政府信息公开工作年度报告")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- accepted kinds ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "一、总体情况\n二、主动公开".encode(),
        "一、总体情况".encode("gbk"),
        "一、总体情况".encode("utf-16"),
        b"<2019> is not markup\n",
        b"{not json",
        b"MZ is a text too",
        b"BM text",
    ],
)
def test_text(data):
    assert sniff(data, "a.txt") == "text"


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body><p>x</p></body></html>",
        b"\n\n  <html>\n<head><title>x</title></head>",
        b"<p>fragment</p><table><tr><td>1</td></tr></table>",
        b"Warning: something in index.php on line 3\n<!doctype html>\n<html>",
        b"\xef\xbb\xbf<meta charset=gbk><p>x",
        "<html><body>一、总体情况</body></html>".encode("utf-16"),
        b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
        b"<!-- saved from url=(0042)http://www.gov.cn/ -->\n<HTML><HEAD>",
        b'<?xml version="1.0"?>\n<!DOCTYPE html [' + b'<!ENTITY a "lol">' * 1000 + b"]><html><body/></html>",
    ],
)
def test_html(data):
    assert sniff(data) == "html"


def test_doc_file_that_is_word_html():
    word_html = (
        '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w="urn:schemas-microsoft-com:office:word">\n<head><meta http-equiv=Content-Type '
        'content="text/html; charset=gb2312"><meta name=ProgId content=Word.Document>'
    ).encode("gbk")
    assert sniff(word_html, "报告.doc") == "html"


def test_mhtml_is_html():
    for first in (b"MIME-Version: 1.0\r\n", b"From: <Saved by Blink>\r\nSubject: x\r\nMIME-Version: 1.0\r\n"):
        data = (
            first
            + b'Content-Type: multipart/related; boundary="b"\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>'
        )
        assert sniff(data, "报告.doc") == "html"


def test_real_docx_whatever_its_name():
    data = real_docx()
    assert sniff(data, "报告.docx") == "docx"
    assert sniff(data, "报告.doc") == "docx"
    assert sniff(data[: len(data) // 2], "cut.docx") == "docx"  # truncated: no central directory


def test_docx_with_alternative_main_part_name():
    assert sniff(zip_with("[Content_Types].xml", "word/document2.xml")) == "docx"


def test_ofd_package_whatever_its_name():
    data = zip_with("OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml")
    assert sniff(data, "报告.ofd") == "ofd"
    assert sniff(data, "报告.zip") == "ofd"
    assert sniff(data[: len(data) // 2], "cut.ofd") == "ofd"  # truncated: local headers still name parts
    with pytest.raises(InputError, match="ZIP 压缩包"):
        sniff(zip_with("Doc_0/OFD.xml"), "报告.ofd")  # OFD.xml must be at the root


def test_ole_word_document():
    assert sniff(ole("1Table", "WordDocument", "\x05SummaryInformation"), "报告.wps") == "doc"


def test_ole_written_by_wps():
    kso = "KSOProductBuildVer".encode("utf-16-le")
    assert sniff(ole("WordDocument", "\x05DocumentSummaryInformation", filler=kso), "报告.wps") == "wps"
    assert sniff(ole("WordDocument", filler=b"\0KSOProductBuildVer\0"), "报告.doc") == "wps"


def test_ole_name_must_be_a_directory_entry():
    # "WordDocument" in the text of some other compound file is not a Word stream.
    with pytest.raises(InputError, match="不是 Word 文档"):
        sniff(ole("Contents", filler=b"\0" * 3 + "WordDocument".encode("utf-16-le") + b"\0\0"))


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (("Workbook",), "电子表格"),
        (("PowerPoint Document",), "演示文稿"),
        (("EncryptionInfo", "EncryptedPackage"), "加密"),
        (("Contents",), "不是 Word 文档"),
    ],
)
def test_other_ole_files_are_refused(names, message):
    with pytest.raises(InputError, match=message):
        sniff(ole(*names), "报告.doc")


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"\r\n\r\n%PDF-1.4\n", b"HTTP/1.1 200 OK\r\n\r\n%PDF-1.5\n"],
)
def test_pdf(data):
    assert sniff(data, "a.bin") == "pdf"


@pytest.mark.parametrize(
    "data",
    [
        PNG,
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        b"GIF89a\x01\x00\x01\x00",
        b"II*\x00\x08\x00\x00\x00",
        b"MM\x00*\x00\x00\x00\x08",
        b"BM" + struct.pack("<I", 70) + b"\0\0\0\0" + struct.pack("<II", 54, 40) + bytes(20),
        b"RIFF\x24\x00\x00\x00WEBPVP8 ",
    ],
)
def test_images(data):
    assert sniff(data, "报告.pdf") == "image"


@pytest.mark.parametrize(
    "data",
    [
        b'{"schema": "xxgk.report/1", "format": "2021"}',
        b'\xef\xbb\xbf\n{\n  "artifacts": [],\n  "schema": "xxgk.report/1"\n}',
        b"{}",
    ],
)
def test_json(data):
    assert sniff(data, "r.txt") == "json"


def test_json_written_by_the_model():
    from xxgk.model import Report

    data = json.dumps(Report(format="2021").to_json(), ensure_ascii=False, indent=2).encode()
    assert sniff(data) == "json"


# --- refused kinds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件为空"),
        (zip_with("readme.txt", "data/a.csv"), r"ZIP 压缩包（不是 DOCX 文档）"),
        (zip_with("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"), "电子表格"),
        (zip_with("[Content_Types].xml", "ppt/presentation.xml"), "演示文稿"),
        (zip_with("mimetype", "content.xml"), "ZIP"),
        (b"PK\x05\x06" + bytes(18), "ZIP"),
        (b"Rar!\x1a\x07\x01\x00", "RAR"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "7z"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"\x7fELF\x02\x01\x01", "可执行程序"),
        (b"MZ" + bytes(58) + struct.pack("<I", 64) + b"PE\0\0", "可执行程序"),
        (b"{\\rtf1\\ansi\\ansicpg936 ", "RTF"),
        (b'<?xml version="1.0"?>\n<?mso-application progid="Word.Document"?>\n<w:wordDocument>', "Word XML"),
    ],
)
def test_refused(data, message):
    with pytest.raises(InputError, match=message) as caught:
        sniff(data, "报告.doc")
    assert caught.value.path == "报告.doc"


def test_odt_is_refused_as_opendocument():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(InputError, match="OpenDocument"):
        sniff(buffer.getvalue())


def test_sniffing_a_large_file_is_fast():
    big = [
        ole("WordDocument") + bytes(19 * 1024 * 1024),
        b"\n" * 19 * 1024 * 1024,
        real_docx() + bytes(19 * 1024 * 1024),
    ]
    start = time.perf_counter()
    kinds = [sniff(data) for data in big]
    assert time.perf_counter() - start < 1
    assert kinds == ["doc", "text", "docx"]
