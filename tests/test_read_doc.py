""".doc/.wps reader: LibreOffice conversion to DOCX, then the DOCX reader.

Tests that need LibreOffice are skipped only when `soffice` is not installed; CI installs
it with scripts/setup-system.sh. Missing programs, failures and timeouts are simulated with
small shell scripts passed as `soffice=`, so they run everywhere.
"""

from __future__ import annotations

import os
import stat
import subprocess
import time

import docx
import pytest
from docx.oxml import parse_xml

from test_read_docx import TRACKED, W_NS, assert_reads_back, paragraph_xml, report_bytes, tables_of, to_bytes
from xxgk.errors import InputError
from xxgk.read.doc import MEDIA_TYPE, MSG_NO_LIBREOFFICE, MSG_NOT_WORD, find_soffice, read_doc_bytes
from xxgk.read.docx import MEDIA_TYPE as DOCX_MEDIA_TYPE

SOFFICE = find_soffice()
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

OLE_WORD = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 200 + "WordDocument".encode("utf-16-le") + b"\0" * 300
)


@pytest.fixture(scope="module")
def report_doc(tmp_path_factory):
    """(values, bytes of the test report saved by LibreOffice as Word 97 .doc)."""
    values, data = report_bytes()
    work = tmp_path_factory.mktemp("doc")
    (work / "report.docx").write_bytes(data)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "doc",
            "--outdir",
            str(work),
            str(work / "report.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return values, (work / "report.doc").read_bytes()


@needs_soffice
def test_doc_reads_back_exactly(report_doc):
    values, data = report_doc
    assert data.startswith(b"\xd0\xcf\x11\xe0")
    doc = read_doc_bytes(data, "report.doc")
    assert doc.media_type == MEDIA_TYPE
    assert doc.path == "report.doc"
    assert len(tables_of(doc)) == 3
    assert_reads_back(doc, values)


@needs_soffice
def test_docx_through_libreoffice_reads_back_exactly():
    """LibreOffice (like Word and WPS) rewrites the 15-column table 四 on a 16-column grid."""
    values, data = report_bytes()
    doc = read_doc_bytes(data, "report.docx")
    assert doc.media_type == DOCX_MEDIA_TYPE
    reviews = tables_of(doc)[2]
    widths = [sum(c.colspan for c in row) for row in reviews.rows]
    assert max(c.where["col"] + c.colspan - 1 for row in reviews.rows for c in row) == 16
    assert widths[-1] == 16  # the data row: 15 distinct cells, one of them two columns wide
    assert len(reviews.rows[-1]) == 15
    assert_reads_back(doc, values)


def test_libreoffice_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(InputError) as err:
        read_doc_bytes(OLE_WORD, "old.doc")
    assert err.value.message == MSG_NO_LIBREOFFICE
    with pytest.raises(InputError, match="需要 LibreOffice"):
        read_doc_bytes(OLE_WORD, "old.doc", soffice=str(tmp_path / "soffice"))


def _script(tmp_path, body: str) -> str:
    program = tmp_path / "fake-soffice"
    program.write_text("#!/bin/sh\n" + body + "\n")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    return str(program)


def test_conversion_failure_names_the_file(tmp_path):
    fake = _script(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")
    with pytest.raises(InputError) as err:
        read_doc_bytes(OLE_WORD, "报告.doc", soffice=fake)
    assert err.value.path == "报告.doc"
    assert "LibreOffice 无法转换此文件" in err.value.message
    assert "source file could not be loaded" in err.value.message


def test_conversion_without_output_fails(tmp_path):
    fake = _script(tmp_path, "exit 0")
    with pytest.raises(InputError, match="LibreOffice 无法转换此文件"):
        read_doc_bytes(OLE_WORD, "a.doc", soffice=fake)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][0] != "Z"
    except FileNotFoundError:
        return False


def test_timeout_kills_the_process_group(tmp_path):
    pid_file = tmp_path / "child.pid"
    fake = _script(tmp_path, f"sleep 60 & echo $! > {pid_file}\nwait")
    started = time.monotonic()
    with pytest.raises(InputError, match="超时") as err:
        read_doc_bytes(OLE_WORD, "slow.doc", timeout=1, soffice=fake)
    assert time.monotonic() - started < 10
    assert err.value.path == "slow.doc"
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), "the grandchild of the timed-out conversion survived"


def test_empty_and_non_word_input():
    with pytest.raises(InputError, match="文件为空"):
        read_doc_bytes(b"", "a.doc")
    with pytest.raises(InputError) as err:
        read_doc_bytes(os.urandom(2048) + b"\0", "junk.doc")
    assert err.value.message == MSG_NOT_WORD
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64
    with pytest.raises(InputError, match="Excel"):
        read_doc_bytes(ole + "Workbook".encode("utf-16-le"), "book.doc")
    with pytest.raises(InputError, match="已加密"):
        read_doc_bytes(ole + "EncryptedPackage".encode("utf-16-le"), "secret.docx")
    with pytest.raises(InputError, match="不是 Word 文档"):
        read_doc_bytes(ole + os.urandom(4096).replace(b"W\0", b"w\0"), "garbage.doc")


@needs_soffice
def test_corrupt_word_file_is_refused():
    broken = OLE_WORD + os.urandom(4096)
    with pytest.raises(InputError) as err:
        read_doc_bytes(broken, "broken.doc", timeout=120)
    assert err.value.path == "broken.doc"


@needs_soffice
def test_doc_artifacts_survive_conversion(tmp_path):
    """A comment, a bookmark and a tracked change saved into a .doc are still reported."""
    document = docx.Document()
    paragraph = document.add_paragraph("带批注的段落")
    document.add_comment(paragraph.runs, text="请核实", author="张三")
    paragraph._p.insert(0, parse_xml(f'<w:bookmarkStart {W_NS} w:id="7" w:name="审核位置"/>'))
    paragraph._p.append(parse_xml(f'<w:bookmarkEnd {W_NS} w:id="7"/>'))
    paragraph._p.addnext(paragraph_xml(TRACKED))
    (tmp_path / "a.docx").write_bytes(to_bytes(document))
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    command = [SOFFICE, profile, "--headless", "--convert-to", "doc", "--outdir", str(tmp_path)]
    subprocess.run([*command, str(tmp_path / "a.docx")], check=True, capture_output=True, timeout=180)
    doc = read_doc_bytes((tmp_path / "a.doc").read_bytes(), "a.doc")
    assert [(b.text, b.where) for b in doc.blocks] == [
        ("带批注的段落", {"paragraph": 1}),
        ("本年度共十三次。", {"paragraph": 2}),
    ]
    found = {(a.kind, a.text): a.where for a in doc.artifacts}
    assert found[("comment", "张三：请核实")] == {"paragraph": 1}
    assert found[("bookmark", "审核位置")] == {"paragraph": 1}
    assert found[("revision", "删除（李四）：十二")] == {"paragraph": 2}
    assert found[("revision", "插入（李四）：十三")] == {"paragraph": 2}
