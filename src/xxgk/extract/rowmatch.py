"""Rows whose label is damaged, or separated from its numbers.

Exact lookup (`tables.LabelIndex`) finds the rows of clean renderings. Real renderings
lose rows in two ways that the row's *position* can repair:

- the label is misspelt (a typo, a look-alike character from OCR): between two rows that
  were found, a text cell close to the missing row's label (edit distance) is taken as it;
- the label and its numbers were pulled apart (PDF-to-Markdown conversion puts a wrapped
  label in the lines above and leaves a row of bare numbers): between two rows that carry
  numbers, the bare rows of numbers are given, in order, to the rows that have none —
  only when there are exactly as many of each.

Neither is taken on trust: such cells are `low` unless the table's identities confirm
them, and a reading finding (XG007, XG008) says what was done.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from operator import attrgetter, itemgetter

from rapidfuzz.distance import Levenshtein

from ..formats.base import Row, Table
from ..model import LOW, WARNING, Finding, Report
from .align import identity_score
from .tokens import NUM, TEXT, Token

_KIND = attrgetter("kind")
_SECOND = itemgetter(1)

LABEL = "label"
FUZZY = "fuzzy"
ORDER = "order"

_NUMBERING = re.compile(r"^(?:\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d{1,2}\.?)")


@dataclass(slots=True)
class Placed:
    """A row of the table and the tokens it was read from."""

    row: Row
    label: Token  # the label token (for a row placed by order: its first value)
    values: list[Token]
    how: str = LABEL
    written: str = ""  # the label as written, for a fuzzy match
    gap: Sequence[Row] = ()  # rows placed together by order
    floating: bool = False  # label on its own line, numbers from a separate grid row

    @property
    def solid(self) -> bool:
        return not self.floating and NUM in map(_KIND, self.values)


def _bare(key: str) -> str:
    return _NUMBERING.sub("", key)


def _label_forms(row: Row) -> list[str]:
    from ..text.normalize import label_key

    return [_bare(label_key(x)) for x in (row.label, *row.variants)]


def _distance(key: str, row: Row) -> int | None:
    """Edit distance to the nearest form of the row's label, if close enough to be it."""
    bare = _bare(key)
    best = None
    for form in _label_forms(row):
        if len(form) < 3:
            continue
        limit = max(1, round(len(form) * 0.3))
        d = Levenshtein.distance(bare, form, score_cutoff=limit)
        if d <= limit and (best is None or d < best):
            best = d
    return best


def add_misspelled(
    table: Table, tokens: list[Token], start: int, end: int, found: list[tuple[Row, int]], known: set[str]
) -> list[tuple[Row, int, str]]:
    """Rows missing between two found rows, matched to a nearby misspelt label there.

    `known` holds the keys of labels the table uses for other things (headers, groups),
    which are never taken for a row."""
    order = _shape(table)[0]
    got = {row.key for row, _ in found}
    taken = {i for _, i in found}
    out: list[tuple[Row, int, str]] = []
    for (left, li), (right, ri) in pairwise(sorted(found, key=_SECOND)):
        a, b = order[left.key], order[right.key]
        if b <= a + 1:
            continue  # next to each other in the table: nothing missing between them
        missing = [table.rows[n] for n in range(a + 1, b) if table.rows[n].key not in got]
        cursor = li + 1
        for row in missing:
            match = _closest(row, tokens, cursor, min(ri, end), taken, known)
            if match is not None:
                out.append((row, match, tokens[match].text))
                taken.add(match)
                cursor = match + 1
    return out


def _closest(row: Row, tokens: list[Token], lo: int, hi: int, taken: set[int], known: set[str]) -> int | None:
    scored = []
    for i in range(lo, hi):
        token = tokens[i]
        if token.kind != TEXT or i in taken or token.key in known or not 3 <= len(token.key) <= 60:
            continue
        d = _distance(token.key, row)
        if d is not None:
            scored.append((d, i))
    if not scored:
        return None
    scored.sort()
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # two cells equally close: position does not decide
    return scored[0][1]


def value_rows(tokens: list[Token], start: int, end: int, width: int, used: set[int]) -> list[list[Token]]:
    """Runs of exactly `width` numbers with no label: one visual row of bare numbers."""
    out: list[list[Token]] = []
    i = start
    while i < end:
        token = tokens[i]
        if token.kind != NUM or id(token) in used or token.row is None:
            i += 1
            continue
        j = i
        while j < end and tokens[j].row == token.row and tokens[j].kind != TEXT:
            j += 1
        run = tokens[i:j]
        before_label = i > start and tokens[i - 1].row == token.row and tokens[i - 1].kind == TEXT
        if not before_label and sum(1 for t in run if t.kind == NUM) == width and len(run) == width:
            out.append(run)
        i = max(j, i + 1)
    return out


def place_orphans(
    table: Table, tokens: list[Token], start: int, end: int, placed: list[Placed], aside: set[int]
) -> list[Placed]:
    """Between two rows read with their numbers, give the bare rows of numbers, in order, to
    the rows that have none (or only a guessed, floating pairing), when they are as many."""
    order, width, wide = _shape(table)
    solid = [p for p in placed if p.solid]
    solid_keys = {p.row.key for p in solid}
    if solid_keys.issuperset(wide):
        return _in_order(placed, order)  # no row lacks its numbers
    used = {id(t) for p in solid for t in p.values} | {id(p.label) for p in placed if not p.floating} | aside
    pos = {id(tokens[i]): i for i in range(start, end)}
    anchors = sorted(solid, key=lambda p: pos[id(p.label)])
    added: list[Placed] = []
    for left, right in pairwise(anchors):
        a, b = order[left.row.key], order[right.row.key]
        if b <= a + 1:
            continue
        empty = [
            table.rows[n]
            for n in range(a + 1, b)
            if len(table.rows[n].fields) == width and table.rows[n].key not in solid_keys
        ]
        lo = pos[id(left.values[-1])] + 1
        runs = value_rows(tokens, lo, pos[id(right.label)], width, used)
        if empty and len(runs) == len(empty):
            added += [
                Placed(row, run[0], run, ORDER, gap=list(empty)) for row, run in zip(empty, runs, strict=True)
            ]
    taken = {id(t) for p in added for t in p.values}
    placed_keys = {p.row.key for p in added}
    keep = [
        p
        for p in placed
        if p.row.key not in placed_keys and not (p.floating and taken and not taken.isdisjoint(map(id, p.values)))
    ]
    return _in_order(keep + added, order)


def _in_order(placed: list[Placed], order: dict[str, int]) -> list[Placed]:
    """The rows in table order (stable: as sorted by their place, without a call per row)."""
    places = [order[p.row.key] for p in placed]
    return [placed[i] for i in sorted(range(len(placed)), key=places.__getitem__)]


_SHAPES: dict[int, tuple[Table, dict[str, int], int, tuple[str, ...]]] = {}
_PER_TABLE = 64  # tables kept (a few are in use)


def _shape(table: Table) -> tuple[dict[str, int], int, tuple[str, ...]]:
    """Each row's place in the table, the widest row's cell count and the keys of the rows
    that wide (kept per table)."""
    found = _SHAPES.get(id(table))
    if found is None or found[0] is not table:
        order = {row.key: n for n, row in enumerate(table.rows)}
        width = max(len(r.fields) for r in table.rows)
        wide = tuple(row.key for row in table.rows if len(row.fields) == width)
        if len(_SHAPES) >= _PER_TABLE:
            _SHAPES.clear()
        found = _SHAPES[id(table)] = (table, order, width, wide)
    return found[1], found[2], found[3]


def row_order(table: Table) -> dict[str, int]:
    """Each row's place in the table (kept per table)."""
    return _shape(table)[0]


def review(report: Report, identities, table: Table, placed: list[Placed], table_name: str) -> list[Finding]:
    """Confidence and findings for rows matched by a misspelt label or placed by order."""
    out: list[Finding] = []
    if all(p.how == LABEL for p in placed):  # every row found by its own label: nothing to review
        return out
    values = {ref: c.value for ref, c in report.cells.items()}
    reported_gaps: set[tuple[str, ...]] = set()
    for p in placed:
        if p.how == LABEL:
            continue
        refs = [f"{table.key}/{p.row.key}/{f.key}" for f in p.row.fields]
        confirmed = p.how == FUZZY or len(p.gap) == 1
        touching = [i for i in identities if set(i.refs) & set(refs)]
        if not (confirmed and touching and identity_score(touching, values) == len(touching)):
            for ref in refs:
                if ref in report.cells:
                    report.cells[ref].confidence = LOW
        if p.how == FUZZY:
            out.append(
                Finding(
                    "XG007",
                    WARNING,
                    f"{table_name}“{p.row.name}”行的标签写作“{p.written}”，与规定写法不同，已按其在表中的位置认定为该行",
                    refs,
                    hint="请核对原文的行标签是否有错别字。",
                    where=dict(p.label.where),
                )
            )
        else:
            gap = tuple(r.key for r in p.gap)
            if gap in reported_gaps:
                continue
            reported_gaps.add(gap)
            names = "、".join(f"“{r.name}”" for r in p.gap)
            out.append(
                Finding(
                    "XG008",
                    WARNING,
                    f"{table_name}{names}行的标签与数值分离，"
                    f"已按表内行序把其间 {len(p.gap)} 行数值依次认定为这些行",
                    [f"{table.key}/{r.key}/{f.key}" for r in p.gap for f in r.fields],
                    hint="表格在转换中被拆散，请对照原文核实这些行的数值。",
                    where=dict(p.label.where),
                )
            )
    return out


READ_RULES = {
    "XG007": dict(
        name="row-label-misspelt",
        severity=WARNING,
        summary="表格行标签写法有误（错别字或识别错误），已按位置认定",
        doc=(
            "某行标签与规定写法只差几个字（错别字、OCR 把字认成形近字、标点不同），"
            "而它恰好位于前后两行之间、该行应在的位置。读取器按位置认定为该行；"
            "表内勾稽关系不能印证这些数值时，单元格标为低置信度。"
            "例：“2.其他法律行政止公开”认定为“2.其他法律行政法规禁止公开”。"
        ),
    ),
    "XG008": dict(
        name="row-placed-by-order",
        severity=WARNING,
        summary="表格行标签与数值分离，数值已按表内行序认定",
        doc=(
            "PDF 转换为 Markdown 或网页时，跨行的标签常被挪到上方，留下一行行没有标签的数字。"
            "在两行已读到的行之间，没有标签的数字行与缺少数值的行一样多时，读取器按规定的行序依次认定，"
            "相关单元格标为低置信度（只有一行且勾稽关系成立时除外）。请对照原文核实。"
        ),
    ),
}
