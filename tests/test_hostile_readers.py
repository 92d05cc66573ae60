"""Hostile and damaged documents (issue 11): every reader answers with one Chinese error about
the file, or reads it correctly, within 30 s and 512 MB; hidden text is not read as visible,
and a cell that cannot be read keeps its place.

The shared fuzz cases (../shared/fuzz-cases/) run through the CLI in a child process, their
time and peak memory measured (tests/measured.py). Equivalent small hostile files are built
here (tests/hostilemaker.py), so that the same defences are tested without the shared
workspace. The sandbox itself (xxgk.read.sandbox) is tested with small readers of our own.
"""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest

import hostilemaker as hm
import pdfmaker
import shared
from measured import run_cli
from xxgk.check import check_report
from xxgk.errors import InputError
from xxgk.extract import parse_bytes, parse_document
from xxgk.read import pdf as pdf_reader
from xxgk.read import read_bytes, sandbox
from xxgk.read.document import Paragraph, TableBlock
from xxgk.read.docx import MSG_TOO_DEEP, read_docx_bytes
from xxgk.read.pdf import read_pdf_bytes
from xxgk.read.tesseract import tesseract_available

LIMIT_S = 30.0
LIMIT_MB = 512.0
ROOT = Path(__file__).resolve().parents[1]
WEBCELLS = ROOT / "examples" / "示例区司法局-2024-网页单元格.txt"

needs_soffice = pytest.mark.skipif(pdfmaker.SOFFICE is None, reason="LibreOffice (soffice) not installed")
needs_tesseract = pytest.mark.skipif(
    not tesseract_available(), reason="Tesseract (chi_sim, eng) not installed"
)

CORRUPT = "PDF 文件已损坏或不完整"
NO_PAGE_TREE = f"{CORRUPT}（10 秒内未能读出页面目录，文件结构可能有环或已损坏）"
MEDIABOX = f"{CORRUPT}（页面尺寸（MediaBox）缺失或无效）"
TOO_DEEP = f"{CORRUPT}（对象嵌套过深（页面树或资源引用成环））"
MEMORY = "读取此文件需要的内存超过上限（512 MB），文件可能已损坏或含有压缩炸弹"
STREAM = "PDF 中的数据流解压后超过 64 MB，文件可能已损坏或含有压缩炸弹"


# ---------------------------------------------------------------- the shared fuzz cases

FUZZ = shared.SHARED / "fuzz-cases"
# This engineer's share of the fuzz cases: the document readers' (the ledger's are elsewhere).
PATTERNS = ("pdf-*.pdf", "refcycle.pdf", "badfilter.pdf", "mediabox-*.pdf", "docx-*.docx", "hidden-run.docx")
PATTERNS += ("webcells-*.txt", "*.png", "*.jpg", "*.jpeg", "*.tif", "*.tiff", "*.html", "*.htm")

ERRORS = {
    "badfilter.pdf": f"{CORRUPT}（数据流使用了不支持的压缩方式）",
    "mediabox-missing.pdf": MEDIABOX,
    "mediabox-strings.pdf": MEDIABOX,
    "refcycle.pdf": NO_PAGE_TREE,
    "pdf-0103.pdf": f"{CORRUPT}（页面内容无法解析）",
    "pdf-0120.pdf": f"{CORRUPT}（语法错误）",
    "pdf-0153.pdf": f"{CORRUPT}（使用了不支持的加密过滤器 /Crypt）",
    "pdf-0154.pdf": f"{CORRUPT}（数据流的预测器参数无效）",
    "pdf-0156.pdf": MEMORY,  # /Columns 1000000000: pdfminer asks for gigabytes at once
    "pdf-0169.pdf": TOO_DEEP,
    "pdf-0184.pdf": MEDIABOX,
    "pdf-0191.pdf": NO_PAGE_TREE,
    "pdf-0193.pdf": NO_PAGE_TREE,
    "pdf-0194.pdf": TOO_DEEP,
    "pdf-0200.pdf": STREAM,
    "pdf-0210.pdf": NO_PAGE_TREE,
}


def _cells(report: dict) -> dict[str, dict]:
    return {c["ref"]: c for c in report["cells"]}


def _hidden_run(report: dict) -> None:
    cell = _cells(report)["reviews/litigation_after_reconsideration/total"]
    assert (cell["value"], cell["raw"], cell["confidence"]) == (0, "0", "high")
    assert report["artifacts"] == [
        {"kind": "hidden_text", "text": "9", "where": {"table": 3, "row": 4, "col": 15}}
    ]


def _webcells(report: dict) -> None:
    cells = _cells(report)
    columns = ("research", "social_welfare", "legal_services", "other_org", "total")
    row = [cells[f"applications/carried_over/{c}"] for c in columns]
    assert [(c["value"], c["raw"]) for c in row] == [(0, "0"), (None, "#"), (0, "0"), (0, "0"), (1, "1")]
    assert row[1]["where"] == {"line": 66, "confidence": 0}


def _numbering_bomb(report: dict) -> None:
    assert report["format"] == "2021"
    assert len([c for c in report["cells"] if c["ref"].startswith("applications/")]) == 175


READS = {
    "hidden-run.docx": _hidden_run,
    "webcells-misaligned.txt": _webcells,
    "docx-0325.docx": _numbering_bomb,
}


def _fuzz_cases() -> list[Path]:
    return sorted({p for pattern in PATTERNS for p in FUZZ.glob(pattern)})


@pytest.mark.parametrize("path", shared.params(_fuzz_cases()), ids=lambda p: getattr(p, "name", "no-shared"))
def test_shared_fuzz_case_gives_a_clear_error_or_a_correct_report(path):
    run = run_cli("parse", "--format", "json", str(path), timeout=LIMIT_S + 30)
    assert not run.timed_out and run.seconds < LIMIT_S, f"{run.seconds:.1f} s"
    assert run.peak_mb < LIMIT_MB, f"{run.peak_mb:.0f} MB"
    if path.name in ERRORS:
        # JSON output holds null for an unreadable input; the reason is one line on stderr
        assert (run.returncode, run.stdout, run.stderr) == (
            2,
            "null\n",
            f"错误：{path}：{ERRORS[path.name]}\n",
        )
    elif path.name in READS:
        assert (run.returncode, run.stderr) == (0, "")
        READS[path.name](json.loads(run.stdout))
    else:  # a case added since: at least one clear line, never a traceback or an internal error
        assert run.returncode in (0, 2)
        if run.returncode == 2:
            assert run.stderr.startswith(f"错误：{path}：") and run.stderr.count("\n") == 1
            assert "内部错误" not in run.stderr
        else:
            assert run.stderr == ""


def test_every_case_of_the_document_readers_has_its_expected_answer():
    shared.require()
    names = {p.name for p in _fuzz_cases()}
    assert set(ERRORS) | set(READS) <= names


# ---------------------------------------------------------------- hostile PDFs built here


def _refused(data: bytes, name: str, **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        read_pdf_bytes(data, name, **kwargs)
    assert caught.value.path == name
    return caught.value.message


def test_self_referencing_object_is_refused_at_the_structure_deadline(monkeypatch):
    monkeypatch.setattr(pdf_reader, "OPEN_TIMEOUT", 1.0)  # the child is forked: it sees this
    started = time.monotonic()
    message = _refused(hm.content_cycle_pdf(), "cycle.pdf")
    assert message == f"{CORRUPT}（1 秒内未能读出页面目录，文件结构可能有环或已损坏）"
    assert time.monotonic() - started < 10


def test_flate_bomb_is_refused_before_it_inflates(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(hm.flate_bomb_pdf())
    assert path.stat().st_size < 1024 * 1024
    run = run_cli("parse", str(path), timeout=LIMIT_S)
    assert (run.returncode, run.stdout, run.stderr) == (2, "", f"错误：{path}：{STREAM}\n")
    assert run.peak_mb < 200, f"{run.peak_mb:.0f} MB"  # the 64 MB cap, not the 200 MB stream


def test_tounicode_cmap_bomb_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "cmap.pdf"
    path.write_bytes(hm.cmap_bomb_pdf())
    assert path.stat().st_size < 1024 * 1024
    run = run_cli("parse", str(path), timeout=LIMIT_S)
    message = "PDF 中字体的编码表（ToUnicode）超过 4 MB，文件可能已损坏或含有压缩炸弹"
    assert (run.returncode, run.stdout, run.stderr) == (2, "", f"错误：{path}：{message}\n")
    assert run.peak_mb < 200, f"{run.peak_mb:.0f} MB"  # not the dict of 1.5 million mappings


def test_deep_page_tree_unknown_filter_and_crowded_page_are_named():
    assert _refused(hm.deep_tree_pdf(), "deep.pdf") == TOO_DEEP
    assert _refused(hm.bad_filter_pdf(), "filter.pdf") == f"{CORRUPT}（数据流使用了不支持的压缩方式）"
    assert _refused(hm.many_chars_pdf(12000), "dense.pdf") == (
        "PDF 第 1 页字符过多（12000 个，上限 10000 个），不像报告页面"
    )


def test_library_warnings_never_reach_the_terminal(tmp_path):
    path = tmp_path / "cut.pdf"
    data = hm.text_pdf(["hello"])
    path.write_bytes(data.replace(b"/MediaBox [0 0 595 842] ", b""))  # pdfminer warns, then fails
    run = run_cli("parse", str(path), timeout=LIMIT_S)
    assert (run.returncode, run.stderr) == (2, f"错误：{path}：{MEDIABOX}\n")


def test_time_is_checked_inside_a_page(monkeypatch):
    monkeypatch.setattr(pdf_reader, "PARSE_TIMEOUT", 0.001)  # far below any page of 9,800 characters
    message = _refused(hm.many_chars_pdf(9800), "slow.pdf")
    assert message == "PDF 第 1 页处理超时（超过 0.001 秒），页面内容可能已损坏或过于复杂"


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_text_on_a_rotated_page_reads_in_its_own_orientation(rotate):
    upright = read_pdf_bytes(hm.text_pdf(["hello world", "second line here"]), "r.pdf")
    doc = read_pdf_bytes(hm.text_pdf(["hello world", "second line here"], rotate), "r.pdf")
    assert (
        [b.text for b in doc.blocks]
        == [b.text for b in upright.blocks]
        == ["hello world", "second line here"]
    )
    for block, straight in zip(doc.blocks, upright.blocks, strict=True):  # the same place on the page
        assert block.where["bbox"] == pytest.approx(straight.where["bbox"], abs=3)


@needs_soffice
@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_seed_pdf_shown_rotated_reads_all_200_cells(rotate):
    import pypdfium2 as pdfium

    data = pdfmaker.pdf_bytes("ruled", 11)
    document = pdfium.PdfDocument(data)
    for page in document:
        page.set_rotation(rotate)
    out = io.BytesIO()
    document.save(out)
    upright = parse_document(read_bytes(data, "seed.pdf"))
    turned = parse_document(read_bytes(out.getvalue(), "turned.pdf"))
    values = {ref: cell.value for ref, cell in upright.cells.items()}
    assert len(values) == 200
    assert {ref: cell.value for ref, cell in turned.cells.items()} == values
    assert all(cell.confidence == "high" for cell in turned.cells.values())


# ---------------------------------------------------------------- hostile DOCX built here


def test_hidden_text_is_left_out_and_reported():
    doc = read_docx_bytes(hm.hidden_text_docx(), "hidden.docx")
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph) and b.text]
    assert texts == ["可见的文字", "样式显示"]
    table = next(b for b in doc.blocks if isinstance(b, TableBlock))
    assert [c.text for c in table.rows[0]] == ["", "0"]
    assert [(a.kind, a.text, a.where) for a in doc.artifacts] == [
        ("hidden_text", "隐藏的文字", {"paragraph": 1}),
        ("hidden_text", "藏起来", {"paragraph": 2}),
        ("hidden_text", "9", {"table": 1, "row": 1, "col": 2}),
    ]


def test_hidden_text_is_a_finding():
    report = parse_document(read_bytes(hm.hidden_text_docx(), "hidden.docx"))
    findings = [f for f in check_report(report) if f.code == "XG501"]
    assert [(f.severity, f.message) for f in findings] == [
        ("error", "报告中有隐藏文字（Word 中不显示）：“隐藏的文字”"),
        ("error", "报告中有隐藏文字（Word 中不显示）：“藏起来”"),
        ("error", "报告中有隐藏文字（Word 中不显示）：“9”"),
    ]


def test_numbering_bomb_renders_in_decimal_at_once():
    started = time.monotonic()
    doc = read_docx_bytes(hm.numbering_bomb_docx(), "numbering.docx")
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["999999999999.标题"]
    assert time.monotonic() - started < 5


def test_nesting_is_bounded():
    inner = read_docx_bytes(hm.nested_tables_docx(10), "nested.docx")
    cells = [c.text for b in inner.blocks if isinstance(b, TableBlock) for row in b.rows for c in row]
    assert cells == ["最里层"]
    with pytest.raises(InputError) as caught:
        read_docx_bytes(hm.nested_tables_docx(40), "deep.docx")
    assert (caught.value.message, caught.value.path) == (MSG_TOO_DEEP, "deep.docx")


def test_damaged_docx_part_is_a_damaged_file_not_an_internal_error():
    import zipfile

    source = io.BytesIO(hm.hidden_text_docx())
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "_rels/.rels":
                data = data.replace(b"<Relationships ", b"<Relationshipz ").replace(
                    b"</Relationships>", b"</Relationshipz>"
                )
            dst.writestr(info.filename, data)
    with pytest.raises(InputError) as caught:
        read_docx_bytes(out.getvalue(), "damaged.docx")
    assert caught.value.message == "DOCX 文件已损坏或不完整"


# ---------------------------------------------------------------- images


@needs_tesseract
def test_large_valid_image_reads_without_pillow_warnings_within_the_limit(tmp_path):
    from PIL import Image

    path = tmp_path / "big.png"
    image = Image.new("L", (10000, 9200), 255)  # 92 megapixels: Pillow warns from 89
    image.paste(0, (1000, 1000, 3000, 1100))
    image.save(path, compress_level=1)
    del image
    run = run_cli("parse", str(path), timeout=60)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.peak_mb < LIMIT_MB, f"{run.peak_mb:.0f} MB"


def test_image_whose_decoding_needs_too_much_memory_is_refused_from_its_header():
    from PIL import Image

    from xxgk.read.ocr import read_image_bytes

    out = io.BytesIO()
    Image.new("RGB", (8000, 8000), (255, 255, 255)).save(out, format="PNG", compress_level=1)
    with pytest.raises(InputError) as caught:
        read_image_bytes(out.getvalue(), "colour.png")
    assert caught.value.message == "图片过大（8000×8000 像素，解码后 244 MB，上限 200 MB）"


# ---------------------------------------------------------------- nothing shifted


def test_unreadable_cell_keeps_its_place():
    lines = WEBCELLS.read_text(encoding="utf-8").splitlines()
    assert lines[65] == "0 |"  # 二、上年结转…, the 社会公益组织 column
    lines[65] = "# |"
    report = parse_bytes("\n".join(lines).encode(), "misaligned.txt")
    row = "applications/carried_over"
    values = [
        report.cells[f"{row}/{c}"].value for c in ("research", "social_welfare", "legal_services", "total")
    ]
    assert values == [0, None, 0, 1]
    cell = report.cells[f"{row}/social_welfare"]
    assert (cell.raw, cell.where) == ("#", {"line": 66, "confidence": 0})


def test_unreadable_cell_is_low_confidence_with_a_reading_finding():
    lines = WEBCELLS.read_text(encoding="utf-8").splitlines()
    lines[65] = "# |"
    report = parse_bytes("\n".join(lines).encode(), "misaligned.txt")
    assert report.cells["applications/carried_over/social_welfare"].confidence == "low"
    found = [f for f in report.findings if f.code == "XG011"]
    assert [f.cells for f in found] == [["applications/carried_over/social_welfare"]]
    assert "（“#”）" in found[0].message


# ---------------------------------------------------------------- the sandbox


def _sleeper(data, path):
    while True:
        time.sleep(0.01)


def _blocked(data, path):  # the timer cannot reach it: the parent must kill the child
    import signal

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(60)


def _glutton(data, path):
    return bytearray(2 * 1024 * 1024 * 1024)


def _crasher(data, path):
    os.abort()


def _buggy(data, path):
    return {}["missing"]


class _Unpicklable(Exception):
    def __init__(self, a, b):
        super().__init__(f"{a}{b}")

    def __reduce__(self):  # whatever pickling support a library installed (dask installs tblib's)
        raise TypeError("cannot pickle _Unpicklable")


def _unpicklable(data, path):
    raise _Unpicklable("a", "b")


def _noisy(data, path):
    os.write(2, b"a library warning\n")
    return (os.getpid(), sandbox.in_child(), sandbox.run(_pid, data, path, BUDGET))


def _pid(data, path):
    return os.getpid()


BUDGET = sandbox.Budget(1.0, "读取超时（测试）")


def test_sandbox_stops_a_reader_at_its_deadline():
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        sandbox.run(_sleeper, b"", "slow.x", BUDGET)
    assert (caught.value.message, caught.value.path) == ("读取超时（测试）", "slow.x")
    assert time.monotonic() - started < 3


def test_sandbox_kills_a_reader_the_timer_cannot_reach():
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        sandbox.run(_blocked, b"", "stuck.x", BUDGET)
    assert caught.value.message == "读取超时（测试）"
    assert time.monotonic() - started < BUDGET.seconds + sandbox.GRACE + 2


def test_sandbox_memory_limit_and_crash_are_errors_about_the_file():
    with pytest.raises(InputError) as caught:
        sandbox.run(_glutton, b"", "big.x", BUDGET)
    assert (caught.value.message, caught.value.path) == (MEMORY, "big.x")
    with pytest.raises(InputError) as caught:
        sandbox.run(_crasher, b"", "crash.x", BUDGET)
    assert (
        caught.value.message
        == "读取此文件的进程异常退出（信号 SIGABRT），文件可能已损坏，或需要的内存超过上限"
    )


def test_sandbox_passes_our_own_bugs_on():
    with pytest.raises(KeyError, match="missing") as caught:
        sandbox.run(_buggy, b"", "x", BUDGET)
    assert "_buggy" in "".join(caught.value.__notes__)
    with pytest.raises(RuntimeError) as caught:
        sandbox.run(_unpicklable, b"", "x", BUDGET)
    assert str(caught.value) == "_Unpicklable: ab"


def test_sandbox_child_is_quiet_runs_nested_readers_inline_and_can_be_turned_off(capfd):
    pid, in_child, nested = sandbox.run(_noisy, b"", "x", BUDGET)
    assert pid != os.getpid() and in_child and nested == pid
    assert capfd.readouterr().err == ""
    with sandbox.inline():
        assert sandbox.run(_pid, b"", "x", BUDGET) == os.getpid()
