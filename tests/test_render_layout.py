"""The official table layouts as grids (`xxgk.render.layout.table_grid`), both formats."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest

from shared import CORPUS, needs_shared
from xxgk.formats import FORMAT_2019, FORMAT_2021, FORMATS
from xxgk.formats.common import (
    APPLICATION_NOTE,
    GROUP_DECLINED,
    GROUP_OTHER,
    GROUP_RESULTS,
    GROUP_UNAVAILABLE,
    GROUP_WITHHELD,
)
from xxgk.render.layout import GridCell, format_value, grid_shape, table_grid, value_columns

SHANGHAI = CORPUS / "shanghai-2019.html"

CASES = [(fid, t.key) for fid, spec in FORMATS.items() for t in spec.tables]


def _at(cells: list[GridCell], row: int, col: int) -> GridCell:
    found = [c for c in cells if c.row == row and c.col == col]
    assert len(found) == 1, (row, col, found)
    return found[0]


def _by_text(cells: list[GridCell], text: str) -> list[GridCell]:
    return [c for c in cells if c.header and c.text == text]


def _spans(cell: GridCell) -> tuple[int, int]:
    return cell.rowspan, cell.colspan


# ---------------------------------------------------------------- structure, both formats


@pytest.mark.parametrize(("fid", "key"), CASES)
def test_every_slot_covered_exactly_once(fid, key):
    cells = table_grid(FORMATS[fid], key)
    nrows, ncols = grid_shape(cells)
    slots = Counter(slot for cell in cells for slot in cell.slots)
    assert max(slots.values()) == 1, [s for s, n in slots.items() if n > 1]
    assert set(slots) == {(r, c) for r in range(nrows) for c in range(ncols)}


@pytest.mark.parametrize(("fid", "key"), CASES)
def test_cells_are_row_major_and_well_formed(fid, key):
    cells = table_grid(FORMATS[fid], key)
    assert [(c.row, c.col) for c in cells] == sorted((c.row, c.col) for c in cells)
    for cell in cells:
        assert cell.rowspan >= 1 and cell.colspan >= 1
        if cell.ref is None:
            assert cell.header and cell.text and cell.scope in ("col", "row")
        else:
            assert not cell.header and cell.text == "" and cell.scope is None


@pytest.mark.parametrize("spec", [FORMAT_2021, FORMAT_2019], ids=lambda s: s.id)
def test_every_ref_is_one_value_cell(spec):
    refs = Counter(c.ref for t in spec.tables for c in table_grid(spec, t.key) if c.ref)
    assert sorted(refs) == sorted(spec.refs())
    assert set(refs.values()) == {1}


@pytest.mark.parametrize(("fid", "key"), CASES)
def test_value_cells_follow_the_declaration_order(fid, key):
    spec = FORMATS[fid]
    cells = table_grid(spec, key)
    assert [c.ref for c in cells if c.ref] == spec.table(key).refs()


@pytest.mark.parametrize(("fid", "key"), CASES)
def test_labels_come_from_the_declaration(fid, key):
    table = FORMATS[fid].table(key)
    declared = set(table.header_labels) | set(table.group_labels) | {table.note or ""}
    declared |= {r.label for r in table.rows} | {r.group for r in table.rows if r.group}
    declared |= {r.block for r in table.rows if r.block}
    declared |= {f.label for r in table.rows for f in r.fields}
    assert {c.text for c in table_grid(FORMATS[fid], key) if c.header} <= declared


# ---------------------------------------------------------------- 表三


@pytest.mark.parametrize(
    ("spec", "rows", "results"), [(FORMAT_2021, 28, 22), (FORMAT_2019, 26, 20)], ids=["2021", "2019"]
)
def test_applications_header_and_group_spans(spec, rows, results):
    cells = table_grid(spec, "applications")
    assert grid_shape(cells) == (rows, 10)
    note = _at(cells, 0, 0)
    assert (note.text, _spans(note), note.header) == (APPLICATION_NOTE, (3, 3), True)
    assert (_at(cells, 0, 3).text, _spans(_at(cells, 0, 3))) == ("申请人情况", (1, 7))
    assert (_at(cells, 1, 3).text, _spans(_at(cells, 1, 3))) == ("自然人", (2, 1))
    assert (_at(cells, 1, 4).text, _spans(_at(cells, 1, 4))) == ("法人或其他组织", (1, 5))
    assert (_at(cells, 1, 9).text, _spans(_at(cells, 1, 9))) == ("总计", (2, 1))
    assert [_at(cells, 2, c).text for c in range(4, 9)] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    assert all(_at(cells, r, c).scope == "col" for r, c in [(0, 0), (0, 3), (1, 3), (1, 4), (2, 4)])

    assert _spans(_at(cells, 3, 0)) == (1, 3) and _at(cells, 3, 0).text == "一、本年新收政府信息公开申请数量"
    assert _spans(_at(cells, 4, 0)) == (1, 3) and _at(cells, 4, 0).text.startswith("二、")
    (group,) = _by_text(cells, GROUP_RESULTS)
    assert (group.row, group.col, _spans(group), group.scope) == (5, 0, (results, 1), "row")
    assert (_at(cells, 5, 1).text, _spans(_at(cells, 5, 1))) == ("（一）予以公开", (1, 2))
    assert _spans(_at(cells, 6, 1)) == (1, 2)
    expected = {GROUP_WITHHELD: (7, 8), GROUP_UNAVAILABLE: (15, 3), GROUP_DECLINED: (18, 5)}
    if spec.id == "2021":
        expected[GROUP_OTHER] = (23, 3)
    for text, (row, span) in expected.items():
        (cell,) = _by_text(cells, text)
        assert (cell.row, cell.col, _spans(cell)) == (row, 1, (span, 1)), text
        for r in range(row, row + span):  # the sub-item labels in column 2
            label = _at(cells, r, 2)
            assert _spans(label) == (1, 1) and re.match(r"\d\.", label.text)
    other = _at(cells, 23, 1)
    if spec.id == "2019":
        assert (other.text, _spans(other)) == ("（六）其他处理", (1, 2))
    else:
        assert _at(cells, 23, 2).text.startswith("1.申请人无正当理由逾期不补正")
        assert _at(cells, 25, 2).text == "3.其他"
    total = _at(cells, rows - 2, 1)
    assert (total.text, _spans(total)) == ("（七）总计", (1, 2))
    last = _at(cells, rows - 1, 0)
    assert (last.text, _spans(last)) == ("四、结转下年度继续办理", (1, 3))
    assert group.row + group.rowspan == rows - 1
    # 7 value cells per data row, in columns 3..9
    for r in range(3, rows):
        refs = [_at(cells, r, c).ref for c in range(3, 10)]
        assert all(refs) and len({ref.rsplit("/", 1)[0] for ref in refs}) == 1
        assert [ref.rsplit("/", 1)[1] for ref in refs] == [
            f.key for f in spec.table("applications").rows[0].fields
        ]


# ---------------------------------------------------------------- 表四


@pytest.mark.parametrize("spec", [FORMAT_2021, FORMAT_2019], ids=lambda s: s.id)
def test_reviews_header_spans(spec):
    cells = table_grid(spec, "reviews")
    assert grid_shape(cells) == (4, 15)
    assert (_at(cells, 0, 0).text, _spans(_at(cells, 0, 0))) == ("行政复议", (1, 5))
    assert (_at(cells, 0, 5).text, _spans(_at(cells, 0, 5))) == ("行政诉讼", (1, 10))
    five = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    for c, text in enumerate(five):
        assert (_at(cells, 1, c).text, _spans(_at(cells, 1, c))) == (text, (2, 1))
    assert (_at(cells, 1, 5).text, _spans(_at(cells, 1, 5))) == ("未经复议直接起诉", (1, 5))
    assert (_at(cells, 1, 10).text, _spans(_at(cells, 1, 10))) == ("复议后起诉", (1, 5))
    assert [_at(cells, 2, c).text for c in range(5, 15)] == five * 2
    refs = [_at(cells, 3, c).ref for c in range(15)]
    assert refs == spec.table("reviews").refs()
    assert all(c.scope == "col" for c in cells if c.header)


# ---------------------------------------------------------------- 表二


def test_active_2021_four_columns():
    cells = table_grid(FORMAT_2021, "active")
    assert value_columns(FORMAT_2021.table("active")) == 3
    assert grid_shape(cells) == (14, 4)
    captions = [c for c in cells if c.colspan == 4]
    assert [(c.row, c.text) for c in captions] == [
        (0, "第二十条第（一）项"),
        (4, "第二十条第（五）项"),
        (7, "第二十条第（六）项"),
        (11, "第二十条第（八）项"),
    ]
    assert [_at(cells, 1, c).text for c in range(4)] == [
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    assert [_at(cells, r, 0).text for r in (2, 3)] == ["规章", "行政规范性文件"]
    assert [_at(cells, 2, c).ref for c in (1, 2, 3)] == [
        "active/regulations/issued",
        "active/regulations/repealed",
        "active/regulations/in_force",
    ]
    for header_row, value_rows, label in [
        (5, (6,), "本年处理决定数量"),
        (8, (9, 10), "本年处理决定数量"),
        (12, (13,), "本年收费金额（单位：万元）"),
    ]:
        assert _at(cells, header_row, 0).text == "信息内容"
        assert (_at(cells, header_row, 1).text, _spans(_at(cells, header_row, 1))) == (label, (1, 3))
        for r in value_rows:
            assert _at(cells, r, 0).scope == "row"
            assert _spans(_at(cells, r, 1)) == (1, 3) and _at(cells, r, 1).ref
    assert _at(cells, 13, 1).ref == "active/fees/amount"


def test_active_2019_five_blocks_five_columns():
    cells = table_grid(FORMAT_2019, "active")
    assert value_columns(FORMAT_2019.table("active")) == 4
    assert grid_shape(cells) == (18, 5)
    captions = [(c.row, c.text) for c in cells if c.colspan == 5]
    assert captions == [
        (0, "第二十条第（一）项"),
        (4, "第二十条第（五）项"),
        (8, "第二十条第（六）项"),
        (12, "第二十条第（八）项"),
        (15, "第二十条第（九）项"),
    ]
    # three fields over four columns: 1, 2, 1 (header and values alike)
    for header_row in (1, 5, 9):
        row = sorted((c for c in cells if c.row == header_row), key=lambda c: c.col)
        assert [c.colspan for c in row] == [1, 1, 2, 1]
        assert row[0].text == "信息内容"
        for value_row in (header_row + 1, header_row + 2):
            assert [c.colspan for c in cells if c.row == value_row] == [1, 1, 2, 1]
    assert [c.text for c in cells if c.row == 5][1:] == ["上一年项目数量", "本年增/减", "处理决定数量"]
    # two fields over four columns: 2, 2
    assert [(c.text, c.colspan) for c in cells if c.row == 13] == [
        ("信息内容", 1),
        ("上一年项目数量", 2),
        ("本年增/减", 2),
    ]
    assert [(c.text, c.colspan) for c in cells if c.row == 16] == [
        ("信息内容", 1),
        ("采购项目数量", 2),
        ("采购总金额", 2),
    ]
    assert [c.ref for c in cells if c.row == 17] == [
        None,
        "active/procurement/items",
        "active/procurement/amount",
    ]
    assert [_at(cells, r, 0).text for r in (2, 3, 6, 7, 10, 11, 14, 17)] == [
        "规章",
        "规范性文件",
        "行政许可",
        "其他对外管理服务事项",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
        "政府集中采购",
    ]


# ---------------------------------------------------------------- against a real 2019 page


def _html_grid(table) -> list[tuple[int, int, int, int, str]]:
    """(row, col, rowspan, colspan, text) of every cell of an HTML table."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, tr in enumerate(table.xpath("./tbody/tr | ./tr")):
        c = 0
        for td in tr.xpath("./td | ./th"):
            while (r, c) in taken:
                c += 1
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            taken |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
            text = re.sub(r"\s+", "", td.text_content().replace("\xa0", " "))
            out.append((r, c, rs, cs, text))
            c += cs
    return out


@needs_shared
def test_2019_grids_match_a_published_2019_report():
    """上海市人民政府办公厅 2019 (2019 format): 表三 and 表四 are the same grid cell for cell;
    表二 has the same shape, captions and header rows (its value rows in blocks (五)/(六) put
    the wide cell first, 2-1-1, under a 1-2-1 header; we keep the header's split)."""
    from lxml import html as lxml_html

    page = lxml_html.fromstring(SHANGHAI.read_bytes())
    tables = page.xpath("//table")
    assert len(tables) == 3
    for table, key in zip(tables, ("active", "applications", "reviews"), strict=True):
        real = _html_grid(table)
        ours = table_grid(FORMAT_2019, key)
        assert grid_shape(ours) == (
            max(r + rs for r, _, rs, _, _ in real),
            max(c + cs for _, c, _, cs, _ in real),
        )
        ours_by_slot = {(c.row, c.col): c for c in ours}
        for r, c, rs, cs, text in real:
            cell = ours_by_slot.get((r, c))
            is_value = not text or bool(re.fullmatch(r"[\d.+\-元]+", text))
            if key == "active" and is_value:
                continue
            assert cell is not None, (key, r, c, text)
            assert (cell.rowspan, cell.colspan) == (rs, cs), (key, r, c, text)
            if is_value:
                assert cell.ref is not None, (key, r, c)
            else:
                assert cell.text == text, (key, r, c)


# ---------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (None, "count", ""),
        (0, "count", "0"),
        (1234, "count", "1234"),
        (-3, "signed", "-3"),
        (Decimal("0"), "amount", "0"),
        (Decimal("0.00"), "amount", "0"),
        (Decimal("12.50"), "amount", "12.5"),
        (Decimal("12"), "amount", "12"),
        (Decimal("1E+2"), "amount", "100"),
        (Decimal("0.05"), "amount", "0.05"),
        (Decimal("251000"), "amount_text", "251000"),
    ],
)
def test_format_value(value, kind, text):
    assert format_value(value, kind) == text


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("某局2025年政府信息公开工作年度报告", ["某局2025年政府信息公开工作年度报告"]),
        (
            "示例区司法局2025年政府信息公开工作年度报告",
            ["示例区司法局2025年", "政府信息公开工作年度报告"],
        ),
        (
            "示例市人民政府办公室2025年政府信息公开工作年度报告",
            ["示例市人民政府办公室2025年", "政府信息公开工作年度报告"],
        ),
        # No meaningful break within the line length: left to the page.
        (
            "示例省示例市示例县示例镇人民政府2025年度政府信息公开报告",
            ["示例省示例市示例县示例镇人民政府2025年度政府信息公开报告"],
        ),
    ],
)
def test_long_titles_break_where_the_meaning_breaks(title, lines):
    from xxgk.render.layout import title_lines

    assert title_lines(title) == lines
