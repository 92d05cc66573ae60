"""Cases to and from CSV and XLSX: every field survives a round trip, every bad row is named,
nothing is half-imported, and bad files (GBK, not XLSX, zip bombs, huge) are handled."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.errors import InputError
from xxgk.ledger import importexport
from xxgk.ledger.importexport import CSV_COLUMNS, ImportProblems, export_ledger, import_file
from xxgk.ledger.records import APPLICANT_TYPES, CHANNELS, CaseRecord, EventRecord
from xxgk.ledger.store import Ledger

pytestmark = pytest.mark.usefixtures("validation")

HEADER = ",".join(CSV_COLUMNS)


def fill(ledger: Ledger) -> None:
    """Two cases whose histories use every column: data, voids, corrections, amendments."""
    first = ledger.add_case(
        CaseRecord(
            "",
            date(2025, 9, 26),
            "in_person",
            "natural_person",
            "张三",
            '=HYPERLINK("x")\n第二行，含"引号"',
            applicant_contact="13800138000",
        ),
        "李四",
    )
    add = ledger.add_event
    add(first.number, EventRecord("correction_requested", date(2025, 9, 28), {"items": "说明用途"}), "李四")
    note = add(first.number, EventRecord("note", date(2025, 9, 29), {"text": "电话, 沟通"}), "李四")
    add(first.number, EventRecord("void", date(2025, 9, 30), {"reason": "录错"}, supersedes=note.id), "王五")
    add(first.number, EventRecord("correction_received", date(2025, 10, 9)), "李四")
    wrong = add(first.number, EventRecord("reply", date(2025, 10, 20), {"outcome": "granted"}), "李四")
    fixed = EventRecord("reply", date(2025, 10, 20), {"outcome": "partially_granted"}, supersedes=wrong.id)
    add(first.number, fixed, "王五")
    second = ledger.add_case(
        CaseRecord("", date(2024, 12, 30), "online", "commercial", "某某科技有限公司", "合同"), "王五"
    )
    amend = {"fields": {"applicant_type": "research", "received": "2024-12-31"}}
    add(second.number, EventRecord("case_amended", date(2025, 1, 2), amend), "王五")


def xlsx_values(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def import_errors(ledger: Ledger, path: Path) -> list[str]:
    with pytest.raises(ImportProblems) as info:
        import_file(ledger, path, "导入员")
    assert ledger.count_cases() == 0  # nothing half-imported
    return info.value.problems


def test_round_trip_keeps_every_field(ledger_url, tmp_path):
    with Ledger.open(ledger_url) as source:
        fill(source)
        histories = list(source.all_histories())
        assert export_ledger(source, tmp_path / "a.csv") == (2, 7)
        assert export_ledger(source, tmp_path / "a.xlsx") == (2, 7)
    for suffix in ("csv", "xlsx"):
        with Ledger.open(tmp_path / f"copy-{suffix}.sqlite3") as copy:
            assert import_file(copy, tmp_path / f"a.{suffix}", "导入员") == (2, 7)
            export_ledger(copy, tmp_path / f"b.{suffix}")
            copied = list(copy.all_histories())
        strip = [(_no_ids(c), [_no_ids(e) for e in evs]) for c, evs in histories]
        assert [(_no_ids(c), [_no_ids(e) for e in evs]) for c, evs in copied] == strip
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert xlsx_values(tmp_path / "a.xlsx") == xlsx_values(tmp_path / "b.xlsx")


def _no_ids(record):
    from dataclasses import replace

    if isinstance(record, CaseRecord):
        return replace(record, id=None)
    return replace(record, id=None, case_id=None, supersedes=record.supersedes is not None)


def test_csv_layout_is_readable_in_excel(tmp_path):
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        fill(ledger)
        export_ledger(ledger, tmp_path / "a.csv")
    data = (tmp_path / "a.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + HEADER.encode())
    lines = [line.rsplit(",", 1) for line in data.decode("utf-8-sig").split("\r\n")]
    assert lines[1][0] == (
        '申请,2025-0001,2025-09-26,当面提交,自然人,张三,13800138000,"\'=HYPERLINK(""x"")\n第二行，含""引号""",,,,,,李四'
    )  # a formula-like text is written with a leading quote (safecell), so it never runs
    assert lines[3][0] == '事件,2025-0001,,,,,,,2,备注,2025-09-29,,"{""text"": ""电话, 沟通""}",李四'
    assert lines[4][0] == '事件,2025-0001,,,,,,,3,作废,2025-09-30,2,"{""reason"": ""录错""}",王五'
    assert (
        lines[7][0] == '事件,2025-0001,,,,,,,6,答复,2025-10-20,5,"{""outcome"": ""partially_granted""}",王五'
    )
    assert lines[8][0] == "申请,2024-0001,2024-12-30,网上申请,商业企业,某某科技有限公司,,合同,,,,,,王五"
    recorded = datetime.fromisoformat(lines[1][1])
    assert recorded.tzinfo is not None and abs(datetime.now(UTC) - recorded) < timedelta(minutes=5)
    assert lines[-1] == [""]


def test_xlsx_has_two_sheets_with_real_dates_and_text_never_formulas(tmp_path):
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        fill(ledger)
        export_ledger(ledger, tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert book.sheetnames == ["申请", "事件"]
    cases = book["申请"]
    assert [c.value for c in cases[1]] == list(importexport.CASE_COLUMNS)
    assert cases["B2"].value == datetime(2025, 9, 26) and cases["B2"].number_format == "yyyy-mm-dd"
    assert cases["C2"].value == "当面提交" and cases["D2"].value == "自然人"
    assert cases["G2"].data_type == "s" and cases["G2"].value.startswith("'=HYPERLINK")
    events = book["事件"]
    assert [c.value for c in events[4]][:6] == [
        "2025-0001",
        3,
        "作废",
        datetime(2025, 9, 30),
        2,
        '{"reason": "录错"}',
    ]


def write_csv(path: Path, rows: list[str], encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode(encoding))
    return path


CASE = "申请,2025-0001,2025-03-03,网上申请,自然人,张三,,政府信息,,,,,,,"


def test_every_bad_row_is_named_and_nothing_is_imported(tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            CASE,
            "申请,2025-0002,2025-02-30,飞鸽,个人,,,,,,,,,,",
            "申请,2025-0001,2025-03-04,信函,自然人,李四,,某文件,,,,,,,",
            "事件,2025-0001,,,,,,,1,补正通知,2025-03-04,,不是json,,",
            '事件,2025-0001,,,,,,,2,答复,2025-03-10,,"{""outcome"": ""granted""}",,昨天',
            "事件,2025-0009,,,,,,,1,备注,2025-03-05,,,,",
            "事件,2025-0001,,,,,,,3,作废,2025-03-11,5,,,",
            "事件,2025-0001,2025-03-03,,,,,,4,备注,2025-03-12,,,,",
            "其他,2025-0001,,,,,,,,,,,,,",
        ],
    )
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        problems = import_errors(ledger, path)
    p = str(path)
    assert problems == [
        f"{p}：第 3 行，“收到日期”列：不是有效的日期“2025-02-30”（应为 YYYY-MM-DD）",
        f"{p}：第 3 行，“渠道”列：未知的渠道“飞鸽”（可选：当面提交、信函、网上申请、电子邮件、传真）",
        f"{p}：第 3 行，“申请人类型”列：未知的申请人类型“个人”（可选：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）",
        f"{p}：第 3 行，“申请人”列：申请人不能为空",
        f"{p}：第 3 行，“申请内容”列：申请内容不能为空",
        f"{p}：第 5 行，“数据”列：不是有效的 JSON 对象",
        f"{p}：第 6 行，“记录时间”列：不是有效的时间“昨天”（应为 YYYY-MM-DD HH:MM:SS）",
        f"{p}：第 9 行，“收到日期”列：事件行不填此列",
        f"{p}：第 10 行，“记录类型”列：应为“申请”或“事件”，不是“其他”",
        f"{p}：第 4 行，“登记号”列：登记号 2025-0001 在文件中重复（又见第 2 行）",
        f"{p}：第 7 行，“登记号”列：文件中没有登记号为 2025-0009 的申请",
        f"{p}：第 8 行，“更正对象”列：申请 2025-0001 在此之前没有序号为 5 的事件",
    ]


def test_domain_refusals_are_reported_per_row(tmp_path, monkeypatch):
    from xxgk.ledger import domain

    def no_reply_before_receipt(case, events, new):
        return ["答复日期早于收到申请的日期"] if new.kind == "reply" and new.date < case.received else []

    monkeypatch.setattr(domain, "validate_event", no_reply_before_receipt)
    path = write_csv(
        tmp_path / "late.csv",
        [CASE, "事件,2025-0001,,,,,,,,备注,2025-03-04,,,,", "事件,2025-0001,,,,,,,,答复,2025-03-01,,,,"],
    )
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        assert import_errors(ledger, path) == [f"{path}：第 4 行，“事件”列：答复日期早于收到申请的日期"]


def test_existing_numbers_are_refused(ledger_url, tmp_path):
    path = write_csv(tmp_path / "one.csv", [CASE])
    with Ledger.open(ledger_url) as ledger:
        assert import_file(ledger, path, "导入员") == (1, 0)
        with pytest.raises(ImportProblems) as info:
            import_file(ledger, path, "导入员")
        assert info.value.problems == [
            f"{path}：第 2 行，“登记号”列：登记号 2025-0001 已在台账中（导入只能新增申请）"
        ]
        assert ledger.count_cases() == 1


def test_values_in_english_gbk_from_excel_and_unicode_text(tmp_path):
    rows = [
        "case,2025-0001,2025/3/3,in_person,legal_services,某律师事务所,010-1234,合同文本,,,,,,,",
        'event,2025-0001,,,,,,,,note,2025年3月4日,,"{""text"": ""已电话联系""}",,',
    ]
    gbk = write_csv(tmp_path / "gbk.csv", rows, encoding="gbk")
    tabbed = tmp_path / "unicode.csv"
    tabbed.write_bytes(("\t".join(CSV_COLUMNS) + "\n" + rows[0].replace(",", "\t") + "\n").encode("utf-16"))
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        assert import_file(ledger, gbk, "导入员") == (1, 1)
        case, events = ledger.case("2025-0001")
        assert (case.received, case.channel, case.applicant_type) == (
            date(2025, 3, 3),
            "in_person",
            "legal_services",
        )
        assert case.recorded_by == "导入员" and case.recorded_at is not None
        assert [(e.kind, e.date, e.data) for e in events] == [
            ("note", date(2025, 3, 4), {"text": "已电话联系"})
        ]
    with Ledger.open(tmp_path / "m.sqlite3") as ledger:
        assert import_file(ledger, tabbed, "导入员") == (1, 0)


def test_xlsx_bad_rows_name_their_sheet(tmp_path):
    book = openpyxl.Workbook()
    cases = book.active
    cases.title = "申请"
    cases.append(importexport.CASE_COLUMNS)
    cases.append(["2025-0001", date(2025, 3, 3), "信函", "自然人", "张三", 13800138000, "某文件"])
    events = book.create_sheet("事件")
    events.append(importexport.EVENT_COLUMNS)
    events.append(["2025-0001", 1, "备注", "2025-13-01"])
    book.save(tmp_path / "bad.xlsx")
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        problems = import_errors(ledger, tmp_path / "bad.xlsx")
        assert problems == [
            f"{tmp_path / 'bad.xlsx'}：工作表“事件”第 2 行，“日期”列：不是有效的日期“2025-13-01”（应为 YYYY-MM-DD）"
        ]
        del book["事件"]
        book.save(tmp_path / "good.xlsx")
        assert import_file(ledger, tmp_path / "good.xlsx", "导入员") == (1, 0)
        assert ledger.case("2025-0001")[0].applicant_contact == "13800138000"  # a number in Excel


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("text.xlsx", b"not a workbook", "XLSX 文件已损坏或不完整"),
        ("empty.zip.xlsx", None, "不是有效的 XLSX 文件"),
        ("bomb.xlsx", {"xl/worksheets/sheet1.xml": b"<a>" + b"0" * 30_000_000 + b"</a>"}, "可能是压缩炸弹"),
        ("binary.csv", b"\x00\x01\x02PK", "不是 CSV 文本文件（含有二进制内容）"),
        ("latin.csv", "记录类型".encode()[:-1] + b"\xff\xfe\xfd\x80", "无法识别 CSV 文件的编码"),
        ("cols.csv", "记录类型,登记号,备注栏\n".encode(), "表头有未知的列“备注栏”"),
        ("data.txt", b"x", "文件名须以 .csv 或 .xlsx 结尾"),
    ],
)
def test_bad_files_are_refused_in_one_line(tmp_path, name, content, message):
    path = tmp_path / name
    if isinstance(content, dict):
        _zip(path, content)
    elif content is None:
        _zip(path, {"readme.txt": b"hello"})
    else:
        path.write_bytes(content)
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        with pytest.raises(InputError) as info:
            import_file(ledger, path, "导入员")
        assert message in str(info.value) and str(info.value).startswith(str(path))
        assert ledger.count_cases() == 0


def test_huge_files_and_too_many_rows_are_refused(tmp_path, monkeypatch):
    path = write_csv(tmp_path / "many.csv", [CASE.replace("0001", f"{n:04d}") for n in range(1, 8)])
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        monkeypatch.setattr(importexport, "MAX_ROWS", 5)
        with pytest.raises(InputError, match=r"行数过多（上限 5 行）"):
            import_file(ledger, path, "导入员")
        monkeypatch.setattr(importexport, "MAX_IMPORT_BYTES", 100)
        with pytest.raises(InputError, match=r"文件过大"):
            import_file(ledger, path, "导入员")
        assert ledger.count_cases() == 0


def test_export_never_overwrites_without_force(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("用户的文件", encoding="utf-8")
    with Ledger.open(tmp_path / "l.sqlite3") as ledger:
        fill(ledger)
        with pytest.raises(InputError, match=r"文件已存在（如需覆盖，请加 --force）"):
            export_ledger(ledger, target)
        assert target.read_text(encoding="utf-8") == "用户的文件"
        assert export_ledger(ledger, target, force=True) == (2, 7)
        with pytest.raises(InputError, match="文件名须以 .csv 或 .xlsx 结尾"):
            export_ledger(ledger, tmp_path / "out.xls")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".xxgk-")) == []


# -- property: export → import into an empty ledger → export is identical -------------

TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\t,\"'=+-@ "),
    max_size=30,
)
NAME = TEXT.filter(lambda s: s.strip() != "")


@st.composite
def histories(draw):
    received = draw(st.dates(date(2015, 1, 1), date(2026, 6, 30)))
    case = CaseRecord(
        number=draw(
            st.sampled_from(["", ""]) | st.from_regex(r"[A-Z]{1,3}〔20\d\d〕\d{1,3}号", fullmatch=True)
        ),
        received=received,
        channel=draw(st.sampled_from(sorted(CHANNELS))),
        applicant_type=draw(st.sampled_from(sorted(APPLICANT_TYPES))),
        applicant_name=draw(NAME),
        request=draw(NAME),
        applicant_contact=draw(TEXT),
    )
    events = []
    day = received
    for kind in draw(st.lists(st.sampled_from(["note", "note", "correction", "reply", "void"]), max_size=5)):
        day += timedelta(days=draw(st.integers(0, 6)))
        events.append((kind, day, draw(TEXT)))
    return case, events


def _record(ledger: Ledger, case: CaseRecord, events: list) -> None:
    stored = ledger.add_case(case, "甲")
    ids = []
    for kind, day, text in events:
        if kind == "correction":
            record = EventRecord("correction_requested", day, {"items": text or "说明"})
        elif kind == "reply":
            record = EventRecord("reply", day, {"outcome": "granted", "note": text})
        elif kind == "void" and ids:
            record = EventRecord("void", day, {"reason": text}, supersedes=ids[-1])
        else:
            record = EventRecord("note", day, {"text": text})
        try:
            ids.append(ledger.add_event(stored.number, record, "乙").id)
        except InputError:
            continue  # not a legal next step for this history; the round trip is what is tested


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(histories(), min_size=1, max_size=4))
def test_round_trip_property(generated):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with Ledger.open(root / "a.sqlite3") as source:
            for case, events in generated:
                try:
                    _record(source, case, events)
                except InputError:
                    continue  # the same hand-typed number drawn twice
            for suffix in ("csv", "xlsx"):
                export_ledger(source, root / f"a.{suffix}")
        for suffix in ("csv", "xlsx"):
            with Ledger.open(root / f"b-{suffix}.sqlite3") as copy:
                import_file(copy, root / f"a.{suffix}", "丙")
                export_ledger(copy, root / f"b.{suffix}")
        assert (root / "a.csv").read_bytes() == (root / "b.csv").read_bytes()
        assert xlsx_values(root / "a.xlsx") == xlsx_values(root / "b.xlsx")


def test_times_keep_their_instant_across_zones(tmp_path):
    moment = datetime(2025, 3, 3, 1, 2, 3, tzinfo=UTC)
    text = importexport.format_time(moment)
    assert datetime.fromisoformat(text) == moment
    buffer = io.StringIO(text)
    assert buffer.read() == moment.astimezone().isoformat(sep=" ")
