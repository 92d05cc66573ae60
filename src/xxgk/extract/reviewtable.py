"""Table 四 (行政复议、行政诉讼) in every shape seen in real reports.

The official layout is a two-level header followed by the fifteen values in one row. Real
reports also write:

- one row per case kind, each under or beside its own label (复议 / 未经复议直接起诉 /
  复议后起诉), sometimes as three small tables;
- the table transposed: one row per result (结果维持 … 总计), three values each;
- the fifteen values under a short, garbled or missing header (conversions), or split by a
  page break with the header repeated;

Each shape yields the same fifteen cells. Which shape a document uses is decided by the
labels that carry numbers, never by guessing from counts alone.
"""

from __future__ import annotations

import re

from ..formats.base import Format, Table
from ..model import LOW, Report
from ..text.normalize import label_key
from .align import fit
from .tables import Region, Span, gather, settle, text_positions
from .tokens import GLUED, NUM, TEXT, Token

_FIELD_VARIANTS = {
    "upheld": ("结果维持", "维持"),
    "corrected": ("结果纠正", "纠正"),
    "other": ("其他结果",),
    "pending": ("尚未审结",),
    "total": ("总计",),
}
_ROW_VARIANTS = {
    "reconsideration": ("行政复议",),
    "litigation_direct": ("未经复议直接起诉", "行政诉讼未经复议直接起诉", "直接起诉"),
    "litigation_after_reconsideration": ("复议后起诉", "行政诉讼复议后起诉", "经复议后起诉"),
}
# A table title's number: 三、 表四： (四)
_TITLE_PREFIX = re.compile(r"^(?:表[一二三四]?[:：]?|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))+")
# Text cells that may stand between the values of a table split by a page break.
_MAX_SKIPPED = 12


def read_run_table(
    report: Report, spec: Format, table: Table, tokens: list[Token], region: Region
) -> Span | None:
    for reader in (_by_rows, _transposed, _header_then_values):
        span = reader(report, spec, table, tokens, region)
        if span is not None:
            return span
    if region.start > 0 or region.end < len(tokens):  # only inside section 四 itself
        from .reviewprose import read_from_prose

        read_from_prose(report, table, tokens, region)
    return None


def _labelled(tokens: list[Token], region: Region, names: dict[str, tuple[str, ...]], width: int):
    """{key: (label token, values)} for labels followed by exactly `width` numbers."""
    keys = _keys(names)
    out: dict[str, tuple[Token, list[Token]]] = {}
    for i in text_positions(tokens, region):
        token = tokens[i]
        key = keys.get(token.key)
        if key is None or key in out:
            continue
        values = gather(tokens, i, region.end)
        if sum(1 for t in values if t.kind == NUM) == width:
            out[key] = (token, values)
    return out


def _by_rows(report, spec, table: Table, tokens, region) -> Span | None:
    """One row per case kind: 行政复议 1 0 0 0 1 / 未经复议直接起诉 … / 复议后起诉 …"""
    found = _labelled(tokens, region, _ROW_VARIANTS, 5)
    if len(found) < 2:
        return None
    rows = [r for r in table.rows if r.key in found]
    fits = [fit([f"{table.key}/{r.key}/{f.key}" for f in r.fields], found[r.key][1]) for r in rows]
    settle(report, spec, table, fits, [found[r.key][0] for r in rows], [r.name for r in rows])
    return _span(found)


def _transposed(report, spec, table: Table, tokens, region) -> Span | None:
    """One row per result: 结果维持 1 0 0 / 结果纠正 … / 总计 1 0 0 (复议, 直接起诉, 复议后起诉)."""
    found = _labelled(tokens, region, _FIELD_VARIANTS, 3)
    if len(found) < 4:
        return None
    fields = [f for f in table.rows[0].fields if f.key in found]
    fits = [fit([f"{table.key}/{r.key}/{f.key}" for r in table.rows], found[f.key][1]) for f in fields]
    settle(report, spec, table, fits, [found[f.key][0] for f in fields], [f.label for f in fields])
    return _span(found)


def _span(found: dict[str, tuple[Token, list[Token]]]) -> Span:
    blocks = [t.block for label, values in found.values() for t in (label, *values)]
    return min(blocks), max(blocks)


def _header_then_values(report, spec, table: Table, tokens, region) -> Span | None:
    """The official shape: a header, then all fifteen values in one run (maybe split by a page break)."""
    start = _anchor(spec, table, tokens, region)
    if start is None:
        return None
    run = _value_run(table, tokens, start, region.end)
    if run is None:
        return None
    fits = [fit(table.refs(), run)]
    settle(report, spec, table, fits, [tokens[start]], [""])
    if fits[0].certain and tokens[start].key not in _anchor_keys(table):
        _confirm(report, spec, table)
    return tokens[start].block, max(t.block for t in run)


def _keys(names: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Label key of each written variant -> its row or field (built once per variant table)."""
    found = _KEYS.get(id(names))
    if found is None or found[0] is not names:
        if len(_KEYS) >= _PER_TABLE:
            _KEYS.clear()
        found = _KEYS[id(names)] = (
            names,
            {label_key(v): k for k, variants in names.items() for v in variants},
        )
    return found[1]


_KEYS: dict[int, tuple[dict, dict[str, str]]] = {}
_PER_TABLE = 64  # tables (and variant tables) kept by the caches here


def _anchor_keys(table: Table) -> set[str]:
    found = _ANCHORS.get(id(table))
    if found is None or found[0] is not table:
        if len(_ANCHORS) >= _PER_TABLE:
            _ANCHORS.clear()
        found = _ANCHORS[id(table)] = (table, {label_key(a) for a in table.anchors})
    return found[1]


_ANCHORS: dict[int, tuple[Table, set[str]]] = {}


def _anchor(spec: Format, table: Table, tokens: list[Token], region: Region) -> int | None:
    """The header's first cell; else the table's title on a line of its own (a garbled or
    missing header under it)."""
    anchors = _anchor_keys(table)
    section = spec.sections[table.section - 1]
    titles = {label_key(x) for x in (table.title, section.title, *section.variants)}
    titled = None
    for i in range(region.start, region.end):
        token = tokens[i]
        if token.kind != TEXT:
            continue
        if token.key in anchors:
            return i
        if titled is None and _TITLE_PREFIX.sub("", token.key) in titles:
            titled = i
    return titled


def _value_run(table: Table, tokens: list[Token], anchor: int, end: int) -> list[Token] | None:
    last_text, j = anchor, anchor + 1
    while j < end and tokens[j].kind not in (NUM, GLUED):
        if tokens[j].kind == TEXT:
            last_text = j
        j += 1
    if j >= end:
        return None
    first = j
    if tokens[first].row is not None:
        while first - 1 > last_text and tokens[first - 1].row == tokens[j].row:
            first -= 1
    else:
        first = last_text + 1
    stop = j
    while stop < end and tokens[stop].kind != TEXT:
        stop += 1
    run = tokens[first:stop]
    return run + _continuation(table, tokens, run, stop, end)


def _continuation(table: Table, tokens: list[Token], run: list[Token], stop: int, end: int) -> list[Token]:
    """The rest of a run cut by a page break: after the page's furniture or a repeated header."""
    want = table.cell_count - sum(1 for t in run if t.kind == NUM)
    if want <= 0 or not run:
        return []
    header = {label_key(x) for x in (*table.header_labels, *table.anchors)}
    page = run[-1].where.get("page")
    j = stop
    while j < end and j - stop < _MAX_SKIPPED and tokens[j].kind == TEXT:
        if tokens[j].key not in header and (page is None or tokens[j].where.get("page") == page):
            return []
        j += 1
    more = []
    while j < end and tokens[j].kind != TEXT:
        more.append(tokens[j])
        j += 1
    return more if sum(1 for t in more if t.kind == NUM) == want else []


def _confirm(report: Report, spec: Format, table: Table) -> None:
    """Values read under a title but no header are in the official order only if the totals
    agree; otherwise they are `low`."""
    from .align import identity_score

    identities = spec.table_identities(table.key)
    values = {r: c.value for r, c in report.cells.items()}
    if identity_score(identities, values) != len(identities):
        for ref in table.refs():
            if ref in report.cells:
                report.cells[ref].confidence = LOW


__all__ = ["read_run_table"]
