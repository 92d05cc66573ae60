"""Plain-text reader: encodings, binary refusal, size limits, OS errors."""

from __future__ import annotations

import hashlib
import io
import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

import shared
from xxgk.errors import InputError
from xxgk.read.document import Paragraph
from xxgk.read.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES, STDIN_LABEL
from xxgk.read.text import decode_bytes, read_text_bytes, read_text_file

# Real reports; they live outside the repository (../shared/seeds/), so a small stand-in is used
# when absent: these tests are about encodings and newlines, which the stand-in exercises too.
SEEDS = shared.files("seeds")
MIB = 1024 * 1024

SAMPLE_TEXT = (
    "一、总体情况\n根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，"
    "现将本机关2024年政府信息公开工作年度报告公布如下：\n（一）主动公开情况\n"
    "全年主动公开政府信息 1,234 条，其中规范性文件 12 件。"
)


def seed_texts() -> list[tuple[str, str]]:
    texts = [(p.name[:3], p.read_text(encoding="utf-8")) for p in SEEDS]
    return texts or [("sample", SAMPLE_TEXT)]


SEED_TEXTS = seed_texts()
SEED_IDS = [name for name, _ in SEED_TEXTS]


def error_of(call, *args, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    return info.value


def lines_of(doc) -> list[str]:
    return [block.text for block in doc.blocks]


# --- encodings ---------------------------------------------------------------------------

# (how to encode, encoding name reported). utf-16/utf-32 with BOM are built by hand so both
# byte orders are covered regardless of the machine's native order.
ENCODINGS = [
    (lambda t: t.encode("utf-8"), "utf-8"),
    (lambda t: t.encode("utf-8-sig"), "utf-8-sig"),
    (lambda t: t.encode("gb18030"), "gb18030"),
    (lambda t: t.encode("gbk"), "gb18030"),
    (lambda t: b"\xff\xfe" + t.encode("utf-16-le"), "utf-16"),
    (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16"),
    (lambda t: t.encode("utf-16-le"), "utf-16-le"),
    (lambda t: t.encode("utf-16-be"), "utf-16-be"),
    (lambda t: b"\xff\xfe\x00\x00" + t.encode("utf-32-le"), "utf-32"),
    (lambda t: b"\x00\x00\xfe\xff" + t.encode("utf-32-be"), "utf-32"),
]
ENCODING_IDS = [
    "utf-8",
    "utf-8-bom",
    "gb18030",
    "gbk",
    "utf-16-le-bom",
    "utf-16-be-bom",
    "utf-16-le",
    "utf-16-be",
    "utf-32-le-bom",
    "utf-32-be-bom",
]


@pytest.mark.parametrize(("encode", "expected_encoding"), ENCODINGS, ids=ENCODING_IDS)
@pytest.mark.parametrize(("name", "text"), SEED_TEXTS, ids=SEED_IDS)
def test_seed_reencoded_decodes_to_same_text(name, text, encode, expected_encoding):
    assert decode_bytes(encode(text)) == (text, expected_encoding)


@pytest.mark.parametrize(("encode", "expected_encoding"), ENCODINGS, ids=ENCODING_IDS)
@pytest.mark.parametrize(("name", "text"), SEED_TEXTS, ids=SEED_IDS)
def test_seed_reencoded_gives_same_lines(name, text, encode, expected_encoding):
    doc = read_text_bytes(encode(text))
    assert lines_of(doc) == text.split("\n")
    assert doc.encoding == expected_encoding


def test_every_seed_is_gbk_encodable():
    # The GBK cases above are only meaningful if nothing was lost when encoding.
    for _, text in SEED_TEXTS:
        assert text.encode("gbk").decode("gbk") == text


def test_seed_with_pinyin_tone_marks_survives_gbk():
    text = "渝中區(qū)司法局，嚴(yán)格落實(shí)，請(qǐng)，總(zǒng)體"
    assert decode_bytes(text.encode("gbk")) == (text, "gb18030")


def test_traditional_text_in_big5_is_not_read_as_gbk():
    text = "一、總體情況\n渝中區司法局深入貫徹《中華人民共和國政府信息公開條例》，嚴格落實區委、區政府關於政府信息公開工作的總體部署。"
    assert decode_bytes(text.encode("cp950")) == (text, "cp950")


@pytest.mark.parametrize(("name", "text"), SEED_TEXTS, ids=SEED_IDS)
def test_seed_as_big5_decodes_to_same_text(name, text):
    traditional = opencc.OpenCC("s2tw").convert(text)
    encodable = "".join(c for c in traditional if _encodable(c, "cp950"))
    assert decode_bytes(encodable.encode("cp950")) == (encodable, "cp950")


@pytest.mark.parametrize(
    "text",
    ["中文", "总体情况", "政府信息公开工作年度报告", "（一）主动公开情况", "收到和处理政府信息公开申请情况"],
)
def test_short_gbk_text_is_not_read_as_big5(text):
    assert decode_bytes(text.encode("gbk")) == (text, "gb18030")


def test_gb18030_four_byte_characters():
    text = "𠀀𪚥 扩展汉字与表情😀"
    assert decode_bytes(text.encode("gb18030")) == (text, "gb18030")


def test_gb18030_bom_is_stripped():
    assert decode_bytes(b"\x84\x31\x95\x33" + "报告".encode("gb18030")) == ("报告", "gb18030")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_pure_cjk_utf16_without_nuls(codec):
    text = "政府信息主动工作年度报告情况说明"
    data = text.encode(codec)
    assert b"\x00" not in data
    assert decode_bytes(data) == (text, codec)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_pure_cjk_utf16_with_few_nuls(codec):
    text = "政府信息公开工作年度报告主动公开情况"  # 开 is U+5F00
    assert decode_bytes(text.encode(codec)) == (text, codec)


def test_english_utf16_without_bom():
    assert decode_bytes("annual report\n".encode("utf-16-be")) == ("annual report\n", "utf-16-be")


def test_utf8_cut_mid_character_keeps_the_rest():
    data = "年度报告".encode()[:-1]
    assert decode_bytes(data) == ("年度报\ufffd", "utf-8")


def test_utf16_cut_mid_code_unit_keeps_the_rest():
    text = SEED_TEXTS[0][1]
    data = text.encode("utf-16-le")[:-1]
    assert decode_bytes(data) == (text[:-1] + "\ufffd", "utf-16-le")


def test_pure_ascii_is_utf8():
    assert decode_bytes(b"hello\n") == ("hello\n", "utf-8")


# --- newlines ----------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
@pytest.mark.parametrize(("name", "text"), SEED_TEXTS, ids=SEED_IDS)
def test_crlf_and_cr_files_give_same_lines(name, text, newline):
    data = text.replace("\n", newline).encode("utf-8")
    assert lines_of(read_text_bytes(data)) == text.split("\n")
    assert decode_bytes(data) == (text, "utf-8")


@pytest.mark.parametrize(("name", "text"), SEED_TEXTS, ids=SEED_IDS)
def test_crlf_in_utf16_and_gbk(name, text):
    crlf = text.replace("\n", "\r\n")
    assert lines_of(read_text_bytes(crlf.encode("utf-16-le"))) == text.split("\n")
    assert lines_of(read_text_bytes(crlf.encode("gbk"))) == text.split("\n")


def test_mixed_newlines():
    assert lines_of(read_text_bytes(b"a\r\nb\rc\nd\r\n")) == ["a", "b", "c", "d"]
    assert decode_bytes(b"a\r\nb\rc\nd\r\n") == ("a\nb\nc\nd\n", "utf-8")


def test_final_newline_does_not_add_a_line():
    assert lines_of(read_text_bytes(b"a\nb\n")) == ["a", "b"]
    assert lines_of(read_text_bytes(b"a\n\n")) == ["a", ""]
    assert lines_of(read_text_bytes(b"a\r")) == ["a"]


def test_blank_lines_are_kept_with_their_numbers():
    doc = read_text_bytes(b"\n\ntitle\n\nbody")
    assert doc.blocks == [
        Paragraph("", {"line": 1}),
        Paragraph("", {"line": 2}),
        Paragraph("title", {"line": 3}),
        Paragraph("", {"line": 4}),
        Paragraph("body", {"line": 5}),
    ]


def test_form_feed_stays_inside_its_line():
    assert lines_of(read_text_bytes(b"page one\n\x0cpage two")) == ["page one", "\x0cpage two"]


@given(st.text(alphabet="ab \r\n", max_size=40))
def test_lines_match_normalised_split(text):
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    if not normalised.strip():
        assert error_of(read_text_bytes, text.encode()).message == "文件为空"
        return
    expected = normalised.split("\n")
    if normalised.endswith("\n"):
        expected.pop()
    doc = read_text_bytes(text.encode())
    assert lines_of(doc) == expected
    assert [block.where for block in doc.blocks] == [{"line": i} for i in range(1, len(expected) + 1)]


# --- document ----------------------------------------------------------------------------


def test_document_fields():
    data = "第一行\r\n第二行".encode("gbk")
    doc = read_text_bytes(data, "report.txt")
    assert doc.blocks == [Paragraph("第一行", {"line": 1}), Paragraph("第二行", {"line": 2})]
    assert doc.media_type == "text/plain"
    assert doc.path == "report.txt"
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.encoding == "gb18030"
    assert doc.artifacts == []


def test_read_text_file(tmp_path):
    text = SEED_TEXTS[0][1]
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode("utf-16"))
    doc = read_text_file(path)
    assert lines_of(doc) == text.split("\n")
    assert doc.path == str(path)
    assert doc.encoding == "utf-16"
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_read_text_file_accepts_str_path(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("报告".encode("gbk"))
    assert lines_of(read_text_file(str(path))) == ["报告"]


def test_long_line_is_kept_and_fast():
    line = "政府信息公开" * 50_000  # 300,000 characters
    data = (line + "\n短行\n" + "x" * 5 * MIB).encode("utf-8")
    start = time.perf_counter()
    doc = read_text_bytes(data)
    elapsed = time.perf_counter() - start
    assert lines_of(doc)[:2] == [line, "短行"]
    assert len(doc.blocks[2].text) == 5 * MIB
    assert elapsed < 5


# --- binary and undecodable input --------------------------------------------------------

NOT_TEXT = [
    (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "不是文本文件（看起来是 PDF 文件）",
    ),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "不是文本文件（看起来是 PNG 图片）"),
    (
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00[Content_Types].xml",
        "不是文本文件（看起来是 ZIP 压缩包或 DOCX/XLSX 等 Office 文件）",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32,
        "不是文本文件（看起来是 DOC/XLS 等旧版 Office 文件）",
    ),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "不是文本文件（看起来是 JPEG 图片）"),
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "不是文本文件（看起来是 gzip 压缩包）"),
    (b"{\\rtf1\\ansi\\deff0 {\\fonttbl}}", "不是文本文件（看起来是 RTF 文件）"),
    (random.Random(20240101).randbytes(4096), "不是文本文件（含有 NUL 字节）"),
    (b"report text\x00with a NUL byte in the middle of it", "不是文本文件（含有 NUL 字节）"),
    (b"\x00\x01\x02\x03\x00\x00\x10\x00" * 64, "不是文本文件（含有 NUL 字节）"),
    (bytes(b or 1 for b in random.Random(7).randbytes(4096)), "不是文本文件（含有大量控制字符）"),
    (b"\x01\x02\x03\x04\x05abc", "不是文本文件（含有大量控制字符）"),
    (bytes(0x81 + b % 0x7E for b in random.Random(3).randbytes(4096)), "无法识别文件编码"),
    (b"\xef\xbb\xbf" + bytes(range(0x80, 0x100)) * 8, "无法识别文件编码"),
]
NOT_TEXT_IDS = [
    "pdf",
    "png",
    "zip",
    "ole",
    "jpeg",
    "gzip",
    "rtf",
    "random",
    "stray-nul",
    "nul-soup",
    "control-soup",
    "short-control",
    "high-bytes",
    "bom-then-garbage",
]


@pytest.mark.parametrize(("data", "message"), NOT_TEXT, ids=NOT_TEXT_IDS)
def test_binary_input_is_refused(data, message):
    err = error_of(read_text_bytes, data, "in.txt")
    assert err.message == message
    assert str(err) == f"in.txt：{message}"
    assert error_of(decode_bytes, data).message == message


@pytest.mark.parametrize(("data", "message"), NOT_TEXT[:4], ids=NOT_TEXT_IDS[:4])
def test_binary_file_is_refused(tmp_path, data, message):
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    assert error_of(read_text_file, path).message == message


def test_control_soup_in_utf16_is_refused():
    data = b"\xff\xfe" + "\x01\x02\x03\x04\x05\x06 text".encode("utf-16-le")
    assert error_of(decode_bytes, data).message == "不是文本文件（含有大量控制字符）"


def test_one_stray_control_character_is_tolerated():
    assert lines_of(read_text_bytes("报告\x07正文\n第二行".encode())) == ["报告\x07正文", "第二行"]


# --- empty -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b" ", b"\n\n\r\n", b" \t\n  \n", "\u3000\n".encode(), b"\xef\xbb\xbf", b"\xff\xfe \x00\n\x00"],
    ids=["zero-bytes", "space", "newlines", "blanks", "ideographic-space", "bom-only", "utf16-blanks"],
)
def test_empty_input(tmp_path, data):
    assert error_of(read_text_bytes, data, "x.txt").message == "文件为空"
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    err = error_of(read_text_file, path)
    assert err.message == "文件为空"
    assert str(err) == f"{path}：文件为空"


# --- limits ------------------------------------------------------------------------------


def test_default_limits():
    assert DEFAULT_MAX_BYTES == 20 * MIB
    assert DEFAULT_MAX_LINES == 100_000


def test_100mb_file_is_refused_by_size_without_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(100 * MIB)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        err = error_of(read_text_file, path)
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.message == "文件过大（100.0 MB，上限 20 MB）"
    assert "文件过大" in str(err)
    assert str(err).startswith(str(path))
    assert peak < MIB
    assert elapsed < 1


def test_file_just_over_a_small_limit(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"a" * 2048)
    assert error_of(read_text_file, path, max_bytes=1024).message == "文件过大（2048 字节，上限 1024 字节）"
    assert lines_of(read_text_file(path, max_bytes=2048)) == ["a" * 2048]


def test_bytes_over_the_limit_are_refused():
    err = error_of(read_text_bytes, b"a" * 101, max_bytes=100)
    assert err.message == "文件过大（101 字节，上限 100 字节）"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_endless_device_is_cut_off_at_the_limit():
    err = error_of(read_text_file, "/dev/zero", max_bytes=4096)
    assert err.message == "文件过大（超过上限 4096 字节）"
    assert str(err) == "/dev/zero：文件过大（超过上限 4096 字节）"


def test_too_many_lines():
    err = error_of(read_text_bytes, b"a\n" * 11, max_lines=10)
    assert err.message == "行数过多（11 行，上限 10 行）"
    assert len(read_text_bytes(b"a\n" * 10, max_lines=10).blocks) == 10
    assert len(read_text_bytes(b"a\r" * 10, max_lines=10).blocks) == 10
    assert error_of(read_text_bytes, b"a\r" * 11, max_lines=10).message == "行数过多（11 行，上限 10 行）"


HIGH_BYTES = bytes(b | 0x81 for b in range(256))  # maps every byte into 0x81-0xFF


def _peak_ratio(path: Path) -> tuple[float, InputError | None]:
    size = path.stat().st_size
    tracemalloc.start()
    try:
        try:
            read_text_file(path)
            err = None
        except InputError as exc:
            err = exc
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak / size, err


@pytest.mark.parametrize(
    ("make", "message", "max_ratio"),
    [
        (lambda r, n: r.randbytes(n), "不是文本文件（含有 NUL 字节）", 2),
        (lambda r, n: r.randbytes(n).translate(HIGH_BYTES), "无法识别文件编码", 5),
        (lambda r, n: b"a\n" * (n // 2), "行数过多（9961472 行，上限 100000 行）", 3),
    ],
    ids=["random", "high-bytes", "short-lines"],
)
def test_19mb_garbage_uses_bounded_memory(tmp_path, make, message, max_ratio):
    path = tmp_path / "garbage.txt"
    path.write_bytes(make(random.Random(19), 19 * MIB))
    ratio, err = _peak_ratio(path)
    assert err is not None and err.message == message
    assert ratio < max_ratio


def test_19mb_text_uses_bounded_memory(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes((("政府信息公开" * 10 + "\r\n") * 99_000).encode("utf-8"))  # 18 MB
    ratio, err = _peak_ratio(path)
    assert err is None
    assert ratio < 6


# --- OS errors ---------------------------------------------------------------------------


def test_missing_file(tmp_path):
    path = tmp_path / "nope.txt"
    err = error_of(read_text_file, path)
    assert err.message == "文件不存在"
    assert err.path == str(path)
    assert str(err) == f"{path}：文件不存在"


def test_path_through_a_file_is_missing(tmp_path):
    parent = tmp_path / "file.txt"
    parent.write_text("x")
    assert error_of(read_text_file, parent / "child.txt").message == "文件不存在"


def test_directory(tmp_path):
    err = error_of(read_text_file, tmp_path)
    assert err.message == "是目录，不是文件"
    assert str(err).startswith(str(tmp_path))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_permission_denied(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("报告", encoding="utf-8")
    path.chmod(0)
    try:
        assert error_of(read_text_file, path).message == "无权读取文件"
    finally:
        path.chmod(0o600)


def test_permission_denied_on_open(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("报告", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("xxgk.read.limits.open", refuse, raising=False)
    err = error_of(read_text_file, path)
    assert err.message == "无权读取文件"
    assert str(err) == f"{path}：无权读取文件"


def test_other_os_error_is_chinese_one_liner(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_text("报告", encoding="utf-8")

    def broken(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("xxgk.read.limits.open", broken, raising=False)
    assert error_of(read_text_file, path).message == "无法读取文件（EIO）"


def test_nul_in_path():
    assert error_of(read_text_file, "bad\x00name.txt").message == "文件名无效"


def test_error_string_starts_with_path(tmp_path):
    for path, data in [(tmp_path / "empty.txt", b""), (tmp_path / "bin.txt", b"%PDF-1.4")]:
        path.write_bytes(data)
        assert str(error_of(read_text_file, path)).startswith(f"{path}：")
    assert str(error_of(read_text_bytes, b"", "given/path.txt")) == "given/path.txt：文件为空"


# --- standard input ----------------------------------------------------------------------


def _fake_stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin(monkeypatch):
    data = "一、总体情况\r\n正文".encode("gbk")
    _fake_stdin(monkeypatch, data)
    doc = read_text_file("-")
    assert lines_of(doc) == ["一、总体情况", "正文"]
    assert doc.path == STDIN_LABEL == "标准输入"
    assert doc.encoding == "gb18030"


def test_stdin_over_the_limit(monkeypatch):
    _fake_stdin(monkeypatch, b"a" * 5000)
    err = error_of(read_text_file, "-", max_bytes=4096)
    assert err.message == "文件过大（超过上限 4096 字节）"
    assert str(err) == "标准输入：文件过大（超过上限 4096 字节）"


def test_stdin_exactly_at_the_limit(monkeypatch):
    _fake_stdin(monkeypatch, b"a" * 4096)
    assert lines_of(read_text_file("-", max_bytes=4096)) == ["a" * 4096]


def test_stdin_read_stops_after_limit_plus_one(monkeypatch):
    stream = io.BytesIO(b"a" * 10_000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream))
    error_of(read_text_file, "-", max_bytes=100)
    assert stream.tell() == 101


def test_empty_stdin(monkeypatch):
    _fake_stdin(monkeypatch, b"")
    assert str(error_of(read_text_file, "-")) == "标准输入：文件为空"


def test_unreadable_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    assert error_of(read_text_file, "-").message == "无法读取标准输入"


def _encodable(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def test_markdown_heading_markers_are_markup():
    doc = read_text_bytes(
        "# 示例区司法局2025年政府信息公开工作年度报告\n\n## 一、总体情况\n#3号文件\n".encode()
    )
    assert [b.text for b in doc.blocks] == [
        "示例区司法局2025年政府信息公开工作年度报告",
        "",
        "一、总体情况",
        "#3号文件",
    ]
