"""Structure-aware mutators, one per medium, deterministic given a `random.Random`.

`mutate(medium, rng, data)` returns a `Mutant`: the bytes, the operations applied (for the
report), and whether a DTD was put into an XML part the reader parses (then accepting the file
is a failure: hostile XML must be refused).
"""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from random import Random

HUGE = (
    "0",
    "-1",
    "999999999999",
    "4294967297",
    "1e308",
    "NaN",
    "-0",
    "99999999999999999999999999",
    "0x7fffffff",
)
DTD = (
    '<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)
EXTERNAL_DTD = '<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'


@dataclass
class Mutant:
    data: bytes
    ops: list[str] = field(default_factory=list)
    hostile_xml: bool = False


# ---------------------------------------------------------------- bytes


def _bytes_op(rng: Random, data: bytes) -> tuple[bytes, str]:
    if not data:
        return bytes(rng.randrange(256) for _ in range(16)), "random"
    kind = rng.choice(("flip", "truncate", "insert", "duplicate", "zero", "delete"))
    at = rng.randrange(len(data))
    if kind == "flip":
        n = rng.randint(1, 8)
        out = bytearray(data)
        for _ in range(n):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        return bytes(out), f"flip{n}"
    if kind == "truncate":
        return data[:at], f"truncate@{at}"
    if kind == "insert":
        blob = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        return data[:at] + blob + data[at:], f"insert{len(blob)}@{at}"
    if kind == "duplicate":
        end = min(len(data), at + rng.randint(1, 4096))
        return data[:end] + data[at:end] * rng.randint(1, 50) + data[end:], f"duplicate@{at}"
    if kind == "zero":
        end = min(len(data), at + rng.randint(1, 256))
        return data[:at] + bytes(end - at) + data[end:], f"zero@{at}"
    end = min(len(data), at + rng.randint(1, 256))
    return data[:at] + data[end:], f"delete@{at}"


# ---------------------------------------------------------------- text

NUMBER = re.compile(r"\d+")
NUMBERS = (
    "0", "00", "-5", "１２３", "一百", "1,234", "12.5", "9" * 30, "", "　", "#", "?", "■", "1e9", "٣", "²",
)  # fmt: skip
SEPARATORS = ("\t", ",", "|", " ", "　", "  ", "\u00a0", "\u200b", "\r", "\x0c", "\x00", "\u2028", ";")
ENCODINGS = ("utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "big5", "utf-32")


def _text_op(rng: Random, text: str) -> tuple[str, str]:
    kind = rng.choice(("number", "number", "separator", "lines", "char", "long"))
    if kind == "number":
        spots = list(NUMBER.finditer(text))
        if spots:
            spot = rng.choice(spots)
            value = rng.choice(NUMBERS + HUGE)
            return text[: spot.start()] + value + text[spot.end() :], f"number:{value!r}"
    if kind == "separator":
        old, new = rng.choice(("\t", " ", "\n", "，", "：")), rng.choice(SEPARATORS)
        return text.replace(old, new, rng.randint(1, 200)), f"separator:{old!r}->{new!r}"
    lines = text.split("\n")
    if kind == "lines" and lines:
        i = rng.randrange(len(lines))
        choice = rng.choice(("delete", "duplicate", "swap", "join"))
        if choice == "delete":
            del lines[i : i + rng.randint(1, 20)]
        elif choice == "duplicate":
            lines[i:i] = lines[i : i + rng.randint(1, 40)] * rng.randint(1, 30)
        elif choice == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            return "".join(lines), "join-all-lines"
        return "\n".join(lines), f"lines:{choice}@{i}"
    if kind == "char":
        at = rng.randrange(len(text) + 1)
        ch = rng.choice(
            ("\x00", "\ufeff", "\ud800", "\u202e", "\U0001f600", "區(qū)", "\x1b[31m", "\\", "\u3000")
        )
        return text[:at] + ch + text[at:], f"char:{ch!r}@{at}"
    if kind == "long":
        # digits alone only once in four: a known bug (see tests/test_fuzz.py)
        unit = rng.choice(("1", "文", "1 ", "一、"))
        return text + unit * rng.choice((1000, 100_000)) + "\n", f"long-line:{unit!r}"
    return text, "noop"


def _encode(rng: Random, text: str) -> tuple[bytes, str]:
    encoding = rng.choice(ENCODINGS)
    errors = rng.choice(("replace", "ignore", "surrogatepass"))
    try:
        return text.encode(encoding, errors=errors), encoding
    except UnicodeError:
        return text.encode(encoding, errors="replace"), encoding


def mutate_text(rng: Random, data: bytes) -> Mutant:
    text = data.decode("utf-8", errors="replace")
    ops = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        text, op = _text_op(rng, text)
        ops.append(op)
    out, encoding = _encode(rng, text)
    ops.append(encoding)
    if rng.random() < 0.15:
        out, op = _bytes_op(rng, out)
        ops.append(op)
    return Mutant(out, ops)


# ---------------------------------------------------------------- HTML

ENTITIES = ("&#0;", "&#x110000;", "&#99999999999;", "&nbsp;", "&amp;", "&#12288;", "&bogus;", "&#x3c;", "&")


def mutate_html(rng: Random, data: bytes) -> Mutant:
    text = data.decode("utf-8", errors="replace")
    ops = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        kind = rng.choice(("spans", "depth", "entity", "number", "charset", "unclosed", "table", "text"))
        if kind == "spans":  # numbers split across spans, as web editors do
            text = NUMBER.sub(
                lambda m: (
                    "".join(f"<span style='x'>{c}</span>" for c in m.group())
                    if rng.random() < 0.3
                    else m.group()
                ),
                text,
            )
        elif kind == "depth":
            depth = rng.choice((50, 500, 5000, 50_000))
            tag = rng.choice(("div", "span", "table", "b", "td"))
            at = rng.randrange(len(text) + 1)
            text = (
                text[:at]
                + f"<{tag}>" * depth
                + "1"
                + f"</{tag}>" * (depth if rng.random() < 0.5 else 0)
                + text[at:]
            )
            kind = f"depth:{tag}x{depth}"
        elif kind == "entity":
            entity = rng.choice(ENTITIES)
            text = text.replace(rng.choice(("0", "1", "　", "，", "<td")), entity, rng.randint(1, 50))
            kind = f"entity:{entity}"
        elif kind == "number":
            text, kind = _text_op(rng, text)
        elif kind == "charset":
            charset = rng.choice(("gbk", "utf-16", "big5", "x-unknown", "utf-7", ""))
            text = re.sub(r"charset=[\w-]+", f"charset={charset}", text) or text
            kind = f"charset:{charset}"
        elif kind == "unclosed":
            text = re.sub(r"</(td|tr|table|p)>", "", text, count=rng.randint(1, 500))
        elif kind == "table":
            attr = rng.choice(("colspan", "rowspan"))
            text = text.replace("<td", f'<td {attr}="{rng.choice(HUGE)}"', rng.randint(1, 20))
            kind = f"table:{attr}"
        else:
            text = text.replace("<", "", rng.randint(1, 100))
        ops.append(kind)
    out, encoding = (
        _encode(rng, text) if rng.random() < 0.3 else (text.encode("utf-8", "surrogatepass"), "utf-8")
    )
    ops.append(encoding)
    return Mutant(out, ops)


# ---------------------------------------------------------------- zip packages (DOCX, XLSX, OFD)

ATTRIBUTE = re.compile(rb'(\w+(?::\w+)?)="([^"]*)"')
MAIN_PARTS = (
    "word/document.xml", "word/numbering.xml", "word/styles.xml", "xl/workbook.xml", "xl/sharedStrings.xml",
    "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "OFD.xml", "Doc_0/Document.xml",
    "Doc_0/Pages/Page_0/Content.xml", "[Content_Types].xml",
)  # fmt: skip


def _read_zip(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def _write_zip(members: list[tuple[str, bytes]], rng: Random) -> bytes:
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if rng.random() < 0.1 else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, body in members:
            with _quiet_duplicates():
                archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), body, compress_type=method)
    return out.getvalue()


FIXED_TIME = (2025, 1, 1, 0, 0, 0)  # member timestamps: a case's bytes depend only on its seed
STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*")


def _stable(data: bytes) -> bytes:
    """A package as openpyxl saved it, with fixed times in the members and in docProps/core.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, body in _read_zip(data):
            if info.filename == "docProps/core.xml":
                body = STAMP.sub(rb"\g<1>2025-01-01T00:00:00Z", body)
            archive.writestr(
                zipfile.ZipInfo(info.filename, FIXED_TIME), body, compress_type=zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


class _quiet_duplicates:
    def __enter__(self):
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        self._catch.__exit__(*exc)


def _xml_op(rng: Random, name: str, body: bytes) -> tuple[bytes, str, bool]:
    kind = rng.choice(
        ("attribute", "attribute", "truncate", "text", "dtd", "duplicate-element", "bytes", "depth")
    )
    if kind == "attribute":
        spots = list(ATTRIBUTE.finditer(body))
        if spots:
            spot = rng.choice(spots)
            value = rng.choice(HUGE + ("", "x", "A1048576", "XFD1", "1:1048576", "&#0;", "\u0000"))
            encoded = value.encode("utf-8")
            return (
                body[: spot.start(2)] + encoded + body[spot.end(2) :],
                f"{name}:{spot.group(1).decode(errors='replace')}={value!r}",
                False,
            )
    if kind == "truncate" and body:
        at = rng.randrange(len(body))
        return body[:at], f"{name}:truncate@{at}", False
    if kind == "text":
        spots = list(re.finditer(rb">([^<]+)<", body))
        if spots:
            spot = rng.choice(spots)
            value = rng.choice(NUMBERS + HUGE + ("=1+1", "@SUM(A1)", "&amp;", "]]>")).encode("utf-8")
            return body[: spot.start(1)] + value + body[spot.end(1) :], f"{name}:text={value!r}", False
    if kind == "dtd":
        dtd = rng.choice((DTD, EXTERNAL_DTD)).encode()
        decl = re.match(rb"<\?xml[^>]*\?>\s*", body)
        at = decl.end() if decl else 0
        entity = b"&lol2;" if dtd.startswith(DTD.encode()[:20]) else b"&ext;"
        first_text = body.find(b"</", at)
        if first_text > 0 and rng.random() < 0.5:
            body = body[:first_text] + entity + body[first_text:]
        return body[:at] + dtd + body[at:], f"{name}:dtd", name in MAIN_PARTS
    if kind == "duplicate-element":
        spots = list(re.finditer(rb"<(\w+:)?(p|tr|row|c|tc|TextObject|Page|sheet|num|lvl)\b[^>]*/?>", body))
        if spots:
            spot = rng.choice(spots)
            close = body.find(b"</" + (spot.group(1) or b"") + spot.group(2) + b">", spot.end())
            end = close + len(spot.group(2)) + 3 + len(spot.group(1) or b"") if close > 0 else spot.end()
            times = rng.choice((2, 100, 5000))
            return (
                body[:end] + body[spot.start() : end] * times + body[end:],
                f"{name}:dup-element x{times}",
                False,
            )
    if kind == "depth":
        depth = rng.choice((100, 5000, 100_000))
        at = body.rfind(b"</")
        if at > 0:
            return body[:at] + b"<x>" * depth + b"</x>" * depth + body[at:], f"{name}:depth{depth}", False
    out, op = _bytes_op(rng, body)
    return out, f"{name}:{op}", False


def mutate_zip(rng: Random, data: bytes) -> Mutant:
    members = [(info.filename, body) for info, body in _read_zip(data)]
    ops: list[str] = []
    hostile = False
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        kind = rng.choice(("xml", "xml", "xml", "delete", "duplicate", "replace", "rename", "huge"))
        i = rng.randrange(len(members))
        name, body = members[i]
        if kind == "xml" and (name.endswith((".xml", ".rels")) or rng.random() < 0.2):
            # prefer the parts the reader reads
            main = [j for j, (n, _) in enumerate(members) if n in MAIN_PARTS]
            if main and rng.random() < 0.7:
                i = rng.choice(main)
                name, body = members[i]
            body, op, dtd = _xml_op(rng, name, body)
            members[i] = (name, body)
            hostile = hostile or dtd
            ops.append(op)
        elif kind == "delete":
            del members[i]
            ops.append(f"delete:{name}")
            if not members:
                break
        elif kind == "duplicate":
            members.insert(i + 1, (name, body[: rng.randrange(len(body) + 1)]))
            ops.append(f"duplicate:{name}")
        elif kind == "replace":
            members[i] = (name, rng.choice((b"", b"garbage", b"<?xml version='1.0'?>", b"\xff\xfe<\x00")))
            ops.append(f"replace:{name}")
        elif kind == "rename":
            members[i] = (name.upper() if rng.random() < 0.5 else name + ".bak", body)
            ops.append(f"rename:{name}")
        else:
            members.append((f"pad{i}.xml", b"<a/>" + b" " * rng.choice((10, 10_000_000))))
            ops.append("huge-member")
    out = _write_zip(members, rng)
    if rng.random() < 0.1:
        out, op = _bytes_op(rng, out)
        ops.append(op)
    return Mutant(out, ops, hostile)


# ---------------------------------------------------------------- PDF

PDF_KEYS = (b"/MediaBox", b"/Rotate", b"/Length", b"/Count", b"/Size", b"/W", b"/Index", b"/First", b"/N")


def mutate_pdf(rng: Random, data: bytes) -> Mutant:
    ops: list[str] = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        kind = rng.choice(
            ("key", "key", "filter", "xref", "self", "stream", "rotate", "mediabox", "bytes", "object")
        )
        if kind == "key":
            key = rng.choice(PDF_KEYS)
            spots = [m.end() for m in re.finditer(re.escape(key) + rb"\s*", data)]
            if spots:
                at = rng.choice(spots)
                end = at + len(re.match(rb"(\[[^\]]*\]|[-\d.]+( \d+ R)?)?", data[at:]).group())
                value = rng.choice(
                    (b"0", b"-1", b"999999999", b"1e30", b"[0 0 0 0]", b"[]", b"(x)", b"1 0 R", b"null")
                )
                data = data[:at] + value + data[end:]
                ops.append(f"{key.decode()}={value.decode()}")
                continue
        if kind == "filter":
            spots = [m.start() for m in re.finditer(rb"/Filter\s*/\w+", data)]
            new = rng.choice(
                (
                    b"/LZWDecode",
                    b"/ASCII85Decode",
                    b"/DCTDecode",
                    b"/JBIG2Decode",
                    b"/Bogus",
                    b"[/FlateDecode /FlateDecode]",
                    b"/RunLengthDecode",
                    b"/CCITTFaxDecode",
                )
            )  # noqa: E501
            if spots:
                at = rng.choice(spots)
                end = re.match(rb"/Filter\s*/\w+", data[at:]).end() + at
                data = data[:at] + b"/Filter " + new + data[end:]
            else:
                data = data.replace(b"/Length", b"/Filter " + new + b" /Length", 1)
            ops.append(f"filter:{new.decode()}")
            continue
        if kind == "xref":
            choice = rng.choice(("startxref", "offsets", "drop-trailer", "drop-xref"))
            if choice == "startxref":
                data = re.sub(
                    rb"startxref\s*\d+", b"startxref\n" + str(rng.choice((0, 1, 99999999))).encode(), data
                )
            elif choice == "offsets":
                data = re.sub(
                    rb"\d{10} (\d{5}) n", lambda m: b"%010d %s n" % (rng.randrange(10**6), m.group(1)), data
                )
            elif choice == "drop-trailer":
                data = data.replace(b"trailer", b"trail3r")
            else:
                data = data.replace(b"xref", b"xre", 1)
            ops.append(f"xref:{choice}")
            continue
        if kind == "self":  # a reference to the object itself, or a cycle through the page tree
            objects = list(re.finditer(rb"(\d+) 0 obj", data))
            refs = list(re.finditer(rb"\d+ 0 R", data))
            if objects and refs:
                target = rng.choice(objects).group(1)
                ref = rng.choice(refs)
                data = data[: ref.start()] + target + b" 0 R" + data[ref.end() :]
                ops.append(f"self:{target.decode()}")
                continue
        if kind == "stream":
            spots = [m.end() for m in re.finditer(rb"stream\r?\n", data)]
            if spots:
                at = rng.choice(spots)
                end = data.find(b"endstream", at)
                if end > at:
                    body = data[at:end]
                    choice = rng.choice(("garbage", "truncate", "bomb", "ops"))
                    if choice == "garbage":
                        body = bytes(rng.randrange(256) for _ in range(len(body)))
                    elif choice == "truncate":
                        body = body[: rng.randrange(len(body) + 1)]
                    elif choice == "bomb":
                        body = zlib.compress(b"0 0 m " * rng.choice((1000, 2_000_000)), 9)
                    else:
                        body = b"q " * rng.choice((10, 100_000)) + b"BT /F1 12 Tf (1 2 3) Tj ET " + b"Q " * 3
                    data = data[:at] + body + data[end:]
                    ops.append(f"stream:{choice}")
                    continue
        if kind == "rotate":
            value = rng.choice((b"90", b"180", b"270", b"-90", b"45", b"3600", b"1e10"))
            data = re.sub(rb"/Type\s*/Page\b", b"/Type /Page /Rotate " + value, data, count=1)
            ops.append(f"rotate:{value.decode()}")
            continue
        if kind == "mediabox":
            box = rng.choice(
                (b"[0 0 0 0]", b"[0 0 1e9 1e9]", b"[0 0 -595 -842]", b"[595 842 0 0]", b"[0 0 1 1]")
            )
            data = re.sub(rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox " + box, data)
            ops.append(f"mediabox:{box.decode()}")
            continue
        if kind == "object":
            objects = list(re.finditer(rb"\d+ 0 obj.*?endobj", data, re.S))
            if objects:
                spot = rng.choice(objects)
                if rng.random() < 0.5:
                    data = data[: spot.start()] + data[spot.end() :]
                    ops.append("object:delete")
                else:
                    data = data[: spot.end()] + b"\n" + spot.group() * rng.randint(1, 3) + data[spot.end() :]
                    ops.append("object:duplicate")
                continue
        data, op = _bytes_op(rng, data)
        ops.append(op)
    return Mutant(data, ops)


# ---------------------------------------------------------------- images


def _png_chunks(data: bytes) -> list[list]:
    chunks, at = [], 8
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        chunks.append([kind, data[at + 8 : at + 8 + length]])
        at += 12 + length
    return chunks


def _png(chunks: list[list], fix_crc: bool) -> bytes:
    out = [b"\x89PNG\r\n\x1a\n"]
    for kind, body in chunks:
        crc = zlib.crc32(kind + body) if fix_crc else 0
        out.append(struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc & 0xFFFFFFFF))
    return b"".join(out)


DIMENSIONS = (0, 1, 65535, 100_000, 2**31 - 1, 2**32 - 1)


def mutate_image(rng: Random, data: bytes) -> Mutant:
    ops: list[str] = []
    if data.startswith(b"\x89PNG"):
        chunks = _png_chunks(data)
        kind = rng.choice(("dims", "dims", "depth", "idat", "chunk", "bytes"))
        if kind == "dims":
            width, height = rng.choice(DIMENSIONS + (160,)), rng.choice(DIMENSIONS + (60,))
            ihdr = chunks[0][1]
            chunks[0][1] = struct.pack(">II", width, height) + ihdr[8:]
            ops.append(f"png:{width}x{height}")
        elif kind == "depth":
            ihdr = bytearray(chunks[0][1])
            ihdr[8], ihdr[9] = rng.choice((1, 2, 4, 8, 16, 7)), rng.choice((0, 2, 3, 4, 6, 5))
            chunks[0][1] = bytes(ihdr)
            ops.append(f"png:depth{ihdr[8]}/colour{ihdr[9]}")
        elif kind == "idat":
            idat = [c for c in chunks if c[0] == b"IDAT"]
            if idat:
                choice = rng.choice(("truncate", "bomb", "garbage"))
                if choice == "truncate":
                    idat[0][1] = idat[0][1][: rng.randrange(len(idat[0][1]) + 1)]
                elif choice == "bomb":
                    idat[0][1] = zlib.compress(bytes(50_000_000), 9)
                else:
                    idat[0][1] = bytes(rng.randrange(256) for _ in range(64))
                ops.append(f"png:idat-{choice}")
        elif kind == "chunk":
            name = rng.choice((b"tEXt", b"iCCP", b"zTXt", b"sPLT", b"PLTE", b"IEND", b"IHDR"))
            chunks.insert(
                rng.randrange(1, len(chunks) + 1), [name, bytes(rng.randrange(256) for _ in range(40))]
            )
            ops.append(f"png:chunk-{name.decode()}")
        data = _png(chunks, rng.random() < 0.9)
        if kind == "bytes":
            data, op = _bytes_op(rng, data)
            ops.append(op)
        return Mutant(data, ops)
    # JPEG: the frame header's height and width, or the segments
    sof = re.search(rb"\xff[\xc0\xc1\xc2]", data)
    if sof and rng.random() < 0.6:
        at = sof.start() + 5
        height, width = rng.choice(DIMENSIONS[:4] + (60,)), rng.choice(DIMENSIONS[:4] + (160,))
        height, width = min(height, 65535), min(width, 65535)
        data = data[:at] + struct.pack(">HH", height, width) + data[at + 4 :]
        ops.append(f"jpeg:{width}x{height}")
    else:
        data, op = _bytes_op(rng, data)
        ops.append(op)
    return Mutant(data, ops)


# ---------------------------------------------------------------- YAML

YAML_VALUES = (
    '"\\x00"', '"\\ud800"', '"\\U0010FFFF"', "!!python/object/apply:os.system ['true']", "&a [1, *a]", "*nope",
    "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]", "{a: {b: {c: {d: 1}}}}", "0x1F", "1_000", ".inf", "-.nan",
    "1e400", "~", "yes", "2025-02-30", '"\\N\\_\\L"', "|\n  多行\n  文字", "!!binary AAAA", "[]", "{}",
    "99999999999999999999999", "-1", '"=HYPERLINK(\\"x\\")"', "'单引号''转义'", "? complex key",
)  # fmt: skip


def mutate_yaml(rng: Random, data: bytes) -> Mutant:
    text = data.decode("utf-8", errors="replace")
    lines = text.split("\n")
    ops: list[str] = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        kind = rng.choice(("value", "value", "key", "nesting", "laughs", "duplicate-key", "text", "indent"))
        keyed = [i for i, line in enumerate(lines) if re.match(r"\s*[\w-]+:\s*\S", line)]
        if kind == "value" and keyed:
            i = rng.choice(keyed)
            head = re.match(r"(\s*[\w-]+:\s*)", lines[i]).group(1)
            value = rng.choice(YAML_VALUES)
            lines[i] = head + value
            ops.append(f"value@{i}:{value!r}")
        elif kind == "key" and keyed:
            i = rng.choice(keyed)
            key = rng.choice(("bogus", "<<", "年度", "null", "1", "'a\\nb'", "?", "schema", "cells"))
            lines[i] = re.sub(r"[\w-]+", key, lines[i], count=1)
            ops.append(f"key@{i}:{key}")
        elif kind == "nesting":
            depth = rng.choice((50, 1000, 100_000))
            lines.append("deep: " + "[" * depth + "]" * depth)
            ops.append(f"nesting{depth}")
        elif kind == "laughs":
            lines[:0] = [
                'a: &a ["x","x","x","x","x","x","x","x","x"]',
                *(f"{chr(98 + n)}: &{chr(98 + n)} [{','.join(['*' + chr(97 + n)] * 9)}]" for n in range(8)),
            ]
            ops.append("billion-laughs")
        elif kind == "duplicate-key" and keyed:
            i = rng.choice(keyed)
            lines.insert(i + 1, lines[i])
            ops.append(f"duplicate-key@{i}")
        elif kind == "indent" and lines:
            i = rng.randrange(len(lines))
            lines[i] = rng.choice(("\t", " ", "   ")) + lines[i]
            ops.append(f"indent@{i}")
        else:
            joined, op = _text_op(rng, "\n".join(lines))
            lines = joined.split("\n")
            ops.append(op)
    text = "\n".join(lines)
    if rng.random() < 0.15:
        out, encoding = _encode(rng, text)
        ops.append(encoding)
    else:
        out = text.encode("utf-8", "surrogatepass")
    return Mutant(out, ops)


# ---------------------------------------------------------------- ledger CSV and XLSX

DATES = (
    "2008-04-30", "2008-05-01", "9999-12-31", "2025-02-30", "2025/9/26", "45719", "2025-13-01", "", "0000-00-00",
    "2025-09-26T25:00:00", "二〇二五年九月二十六日", "1900-01-01", "2100-01-01",
)  # fmt: skip
FORMULAS = (
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "'=1",
    "''=1",
    '=HYPERLINK("http://x")',
    "-5",
    "+5",
)


def _nested_json(rng: Random) -> str:
    depth = rng.choice((1, 5, 100, 10_000))
    inner = rng.choice(('"=1+1"', "1", '"x"', "null", "[]"))
    return '{"items": ' * depth + inner + "}" * depth


def _cell_value(rng: Random, old: str) -> tuple[str, str]:
    kind = rng.choice(("date", "formula", "json", "number", "text", "empty"))
    if kind == "date":
        value = rng.choice(DATES)
    elif kind == "formula":
        value = rng.choice(FORMULAS) + (old if rng.random() < 0.3 else "")
    elif kind == "json":
        value = (
            _nested_json(rng) if rng.random() < 0.7 else rng.choice(('{"a":', "[1,2]", '"s"', "{}", "null"))
        )
    elif kind == "number":
        value = rng.choice(NUMBERS + HUGE)
    elif kind == "text":
        value = old + rng.choice(("\n", "，", '"', "\x00", "\u202e", "x" * 100_000, "\ufeff"))
    else:
        value = ""
    return value, f"{kind}:{value[:40]!r}"


def mutate_csv(rng: Random, data: bytes) -> Mutant:
    import csv

    csv.field_size_limit(1 << 30)
    text = data.decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    ops: list[str] = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        kind = rng.choice(("cell", "cell", "cell", "row", "column", "header", "raw"))
        if kind == "cell" and len(rows) > 1:
            r = rng.randrange(1, len(rows))
            if rows[r]:
                c = rng.randrange(len(rows[r]))
                header = rows[0][c] if c < len(rows[0]) else "?"
                rows[r][c], op = _cell_value(rng, rows[r][c])
                ops.append(f"{header}@{r}:{op}")
                continue
        if kind == "row" and len(rows) > 1:
            r = rng.randrange(1, len(rows))
            choice = rng.choice(("delete", "duplicate", "many"))
            if choice == "delete":
                del rows[r]
            else:
                rows[r:r] = [list(rows[r])] * (1 if choice == "duplicate" else rng.choice((100, 3000)))
            ops.append(f"row:{choice}@{r}")
            continue
        if kind == "column" and rows:
            c = rng.randrange(len(rows[0]))
            for row in rows:
                if c < len(row):
                    del row[c]
            ops.append(f"column:delete{c}")
            continue
        if kind == "header" and rows and rows[0]:
            c = rng.randrange(len(rows[0]))
            rows[0][c] = rng.choice(("", rows[0][c] + " ", rows[0][(c + 1) % len(rows[0])], "=1", "未知列"))
            ops.append(f"header{c}")
            continue
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        mutated, op = _text_op(rng, out.getvalue())
        rows = list(csv.reader(io.StringIO(mutated.replace("\x00", ""), newline="")))
        ops.append(op)
    out = io.StringIO()
    csv.writer(out, lineterminator=rng.choice(("\r\n", "\n"))).writerows(rows)
    encoded, encoding = _encode(rng, out.getvalue()) if rng.random() < 0.3 else (
        out.getvalue().encode("utf-8-sig", "surrogatepass"), "utf-8-sig")  # fmt: skip
    ops.append(encoding)
    return Mutant(encoded, ops)


def mutate_xlsx(rng: Random, data: bytes) -> Mutant:
    if rng.random() < 0.5:
        return mutate_zip(rng, data)
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    ops: list[str] = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        kind = rng.choice(("cell", "cell", "cell", "sheet", "rows", "typed"))
        sheet = rng.choice(book.worksheets)
        if kind == "sheet":
            choice = rng.choice(("delete", "rename", "add"))
            if choice == "delete" and len(book.worksheets) > 1:
                book.remove(sheet)
            elif choice == "rename":
                sheet.title = rng.choice(("Sheet1", "申请 ", "事件1", "x"))
            else:
                book.create_sheet(rng.choice(("额外", "申请", "事件")))
            ops.append(f"sheet:{choice}:{sheet.title}")
            continue
        if kind == "rows" and sheet.max_row > 1:
            r = rng.randrange(2, sheet.max_row + 1)
            values = [c.value for c in sheet[r]]
            for _ in range(rng.choice((1, 500))):
                sheet.append(values)
            ops.append(f"rows:{sheet.title}@{r}")
            continue
        r, c = rng.randint(1, max(sheet.max_row, 1)), rng.randint(1, max(sheet.max_column, 1))
        cell = sheet.cell(r, c)
        if kind == "typed":
            import datetime as dt

            value = rng.choice(
                (dt.datetime(2025, 9, 26), dt.date(1900, 1, 1), 45719, 45719.5, -1, True, 1e308)
            )
            cell.value = value
            ops.append(f"{sheet.title}!{cell.coordinate}:typed:{value!r}")
        else:
            old = "" if cell.value is None else str(cell.value)
            value, op = _cell_value(rng, old)
            try:
                cell.value = value
            except Exception:  # noqa: BLE001 - an illegal character for openpyxl (IllegalCharacterError)
                cell.value = json.dumps(value)
            if rng.random() < 0.3 and value.startswith("="):
                cell.data_type = "f"
            ops.append(f"{sheet.title}!{cell.coordinate}:{op}")
    out = io.BytesIO()
    book.save(out)
    return Mutant(_stable(out.getvalue()), ops)


MUTATORS = {
    "text": mutate_text,
    "html": mutate_html,
    "docx": mutate_zip,
    "pdf": mutate_pdf,
    "ofd": mutate_zip,
    "image": mutate_image,
    "yaml": mutate_yaml,
    "csv": mutate_csv,
    "xlsx": mutate_xlsx,
}


def mutate(medium: str, rng: Random, data: bytes) -> Mutant:
    try:
        return MUTATORS[medium](rng, data)
    except Exception as exc:  # noqa: BLE001 - a mutator that cannot parse its own output: damage bytes instead
        out, op = _bytes_op(rng, data)
        return Mutant(out, [f"fallback({type(exc).__name__})", op])
