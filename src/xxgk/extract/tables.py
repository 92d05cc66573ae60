"""Read the three tables from the token stream, by label, as the format declares them."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter, itemgetter

from ..formats.base import Format, Row, Table
from ..model import Report
from ..text.normalize import label_key
from . import deviations, notes, rowmatch
from .align import Fit, fit
from .rowmatch import FUZZY, LABEL, Placed
from .tab_cells import settle
from .tokens import NUM, TEXT, Token, make_token

# List numbers a label may carry or lose: （三） 三、 1. and a bare "1" whose dot OCR lost.
_NUMBERING = re.compile(
    r"^(?:\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d{1,2}\.|\d{1,2}(?=[\u4e00-\u9fff]))"
)
_TRAILING_PAREN = re.compile(r"\([^()]*\)$")
_OPEN_PAREN = re.compile(r"\([^()]*$")
# A single-value row written as a loose line: "行政许可 97", "行政许可：97件".
_LABEL_VALUE = re.compile(r"^(\D{2,30}?)[:：\s]*([+-]?\d[\d,]*(?:\.\d+)?)\s*(?:件|项|个|万元|元)?$")


_UNIT_ENDS = frozenset("件项个元")


class LabelIndex:
    """Looks up a table row from a cell's label key, tolerating the variants seen in the wild:
    the group label in the same cell, an explanatory parenthesis, a lost list number."""

    def __init__(self, table: Table):
        self.full: dict[str, Row] = {}
        for row in table.rows:
            for label in (row.label, *row.variants):
                self.full[label_key(label)] = row
        self.groups = sorted((label_key(g) for g in table.group_labels), key=len, reverse=True)
        headers = {label_key(h) for h in table.header_labels}
        self.reserved = headers | set(self.groups) | {label_key(a) for a in table.anchors}
        bare: dict[str, list[Row]] = {}
        for key, row in self.full.items():
            bare.setdefault(_NUMBERING.sub("", key), []).append(row)
        self.bare = {
            k: rows[0]
            for k, rows in bare.items()
            if len({r.key for r in rows}) == 1 and k not in headers and len(k) >= 4
        }
        self.known: dict[str, Row | None] = {}
        self.rows = {row.key: row for row in reversed(table.rows)}  # Table.row(): the first of a key
        self.names = {id(row): row.name for row in table.rows}  # Row.name runs a regex
        self.single = frozenset(row.key for row in table.rows if len(row.fields) == 1)
        # Cells that open the table: its header, group labels and printed note.
        self.marks = {label_key(x) for x in (*table.anchors, *table.header_labels, *table.group_labels)}
        if table.note:
            self.marks.add(label_key(table.note))

    def lookup(self, key: str) -> Row | None:
        # Labels recur in every report: each key's answer is kept (prose keys are not).
        try:
            return self.known[key]
        except KeyError:
            pass
        row = self._lookup(key)
        if len(key) <= _KNOWN_KEY:
            if len(self.known) >= _KNOWN_KEYS:
                self.known.clear()
            self.known[key] = row
        return row

    def _lookup(self, key: str) -> Row | None:
        for candidate in self._forms(key):
            row = self.full.get(candidate) or self.bare.get(_NUMBERING.sub("", candidate))
            if row is not None:
                return row
        return None

    def _forms(self, key: str):
        yield key
        for group in self.groups:
            if key.startswith(group) and len(key) > len(group):
                yield key[len(group) :]
        stripped = _TRAILING_PAREN.sub("", key)
        if stripped != key and stripped:
            yield stripped
        cut = _OPEN_PAREN.sub("", key)  # an explanatory parenthesis cut off by a line break
        if cut != key and len(cut) >= 4:
            yield cut


_UNKNOWN = object()
_KNOWN_KEY = 40  # longer keys are prose (the longest row label is ~35 characters)
_KNOWN_KEYS = 20_000


@dataclass
class Region:
    start: int
    end: int
    texts: list[int] | None = None  # positions of the text cells (labels), when known


def text_positions(tokens: list[Token], region: Region) -> list[int]:
    """Positions of the region's text cells: only they can hold a label, and they are few
    among the numbers, so the label searches look at them alone (kept with the region)."""
    if region.texts is None:
        region.texts = [i for i in range(region.start, region.end) if tokens[i].kind == TEXT]
    return region.texts


def gather(tokens: list[Token], index: int, end: int) -> list[Token]:
    """Value tokens after the label at `index`: the rest of its visual row when the
    source shows rows, else everything up to the next text cell — but a label standing
    on its own line takes one visual row of numbers at most (see `_placed`)."""
    label = tokens[index]
    out: list[Token] = []
    j = index + 1
    if label.row is not None:
        while j < end and tokens[j].row == label.row and tokens[j].kind != TEXT:
            out.append(tokens[j])
            j += 1
        if out:
            return out
    grid_row = None
    alone = label.row is None
    while j < end and tokens[j].kind != TEXT:
        token = tokens[j]
        j += 1
        if alone and token.row is not None:
            if grid_row is None and token.kind != NUM:
                continue  # a rule line or blank row before the numbers
            if grid_row is None:
                grid_row = token.row
            elif token.row != grid_row:
                break
        out.append(token)
    return out


def find_rows(table: Table, tokens: list[Token], region: Region) -> list[tuple[Row, int]]:
    """Rows by exact label, in token order. A label may be wrapped over two cells; a label
    that first stands alone (a heading repeating the row) is taken where its numbers are."""
    index = label_index(table)
    lookup, known = index.lookup, index.known
    found: dict[str, int] = {}
    for i in text_positions(tokens, region):
        key = tokens[i].key
        if len(key) > 80:
            continue
        row = known.get(key, _UNKNOWN)  # the kept answer, without a call (most cells)
        if row is _UNKNOWN:
            row = lookup(key)
        at = i
        if row is None and i + 1 < region.end and tokens[i + 1].kind == TEXT and len(key) >= 4:
            row, at = lookup(key + tokens[i + 1].key), i + 1
        if row is None:
            continue
        prev = found.get(row.key)
        if prev is None or (
            not _has_values(tokens, prev, region.end) and _has_values(tokens, at, region.end)
        ):
            found[row.key] = at
    rows = index.rows
    return [(rows[key], i) for key, i in sorted(found.items(), key=_SECOND)]


def _placed(row: Row, tokens: list[Token], index: int, end: int) -> Placed:
    values = gather(tokens, index, end)
    label = tokens[index]
    # Floating: a label on a line of its own whose numbers are a separate grid row, a pairing
    # that is only a guess (a conversion may have moved labels away from their numbers).
    placed = _new(Placed)  # Placed(row, label, values, floating=floating) without a class call
    placed.row = row
    placed.label = label
    placed.values = values
    placed.how = LABEL
    placed.written = ""
    placed.gap = ()
    placed.floating = label.row is None and list(map(_ROW, values)).count(None) != len(values)
    return placed


def _has_values(tokens: list[Token], index: int, end: int) -> bool:
    return any(t.kind == NUM for t in gather(tokens, index, end))


def loose_value_rows(table: Table, tokens: list[Token], region: Region, got: set[str]) -> list[Placed]:
    """Single-value rows written as one text line, label and number together."""
    index = label_index(table)
    out: list[Placed] = []
    if index.single <= got:
        return out  # every single-value row is read already (or the table has none)
    for i in text_positions(tokens, region):
        token = tokens[i]
        text = token.text
        # The pattern ends in a digit or a unit: other cells are skipped without it.
        last = text[-1:]
        if len(text) > 40 or not (last.isdecimal() or last in _UNIT_ENDS):
            continue
        match = _LABEL_VALUE.match(text)
        if not match:
            continue
        row = index.lookup(label_key(match.group(1)))
        if row is None or len(row.fields) != 1 or row.key in got:
            continue
        got.add(row.key)
        value = make_token(match.group(2), token.where, token.block, token.row)
        out.append(Placed(row, token, [value]))
    return out


_INDEXES: dict[int, tuple[Table, LabelIndex]] = {}
PER_TABLE = 64  # entries of the caches kept per table or format object (a few are in use)


def label_index(table: Table) -> LabelIndex:
    found = _INDEXES.get(id(table))
    if found is None or found[0] is not table:
        if len(_INDEXES) >= PER_TABLE:
            _INDEXES.clear()
        found = _INDEXES[id(table)] = (table, LabelIndex(table))
    return found[1]


Span = tuple[int, int]  # first and last block a table occupies


def read_row_table(
    report: Report, spec: Format, table: Table, tokens: list[Token], region: Region
) -> Span | None:
    found = find_rows(table, tokens, region)
    texts = text_positions(tokens, region)
    foreign = deviations.foreign_rows(spec, table, tokens, region.start, region.end, gather, texts)
    index = label_index(table)
    known = index.reserved | {f.label.key for f in foreign} if foreign else index.reserved
    fuzzy = rowmatch.add_misspelled(table, tokens, region.start, region.end, found, known)
    placed = [_placed(row, tokens, i, region.end) for row, i in found]
    placed += [Placed(row, tokens[i], gather(tokens, i, region.end), FUZZY, text) for row, i, text in fuzzy]
    placed += loose_value_rows(table, tokens, region, {p.row.key for p in placed})
    aside = {id(t) for f in foreign for t in (f.label, *f.values)}
    placed = rowmatch.place_orphans(table, tokens, region.start, region.end, placed, aside)
    if not placed:
        return None
    fits = _fits(report, table, tokens, region, placed)
    names = index.names
    settle(report, spec, table, fits, [p.label for p in placed], [names[id(p.row)] for p in placed])
    identities = spec.table_identities(table.key)
    report.findings.extend(rowmatch.review(report, identities, table, placed, notes.TABLE_NAMES[table.key]))
    report.findings.extend(deviations.foreign_row_finding(spec, table, f) for f in foreign)
    explained = {r.key for f in foreign for r in table.rows if r.group == f.row.label}
    labels = [(p.row, p.label) for p in placed]
    gaps = notes.gap_findings(table, [p.row for p in placed], labels)
    report.findings.extend(g for g in gaps if g.cells[0].split("/")[1] not in explained)
    first = _first_table_token(table, tokens, region, min(map(_LABEL, placed), key=_BLOCK))
    # a row's tokens stand in the stream's order, which is the blocks' order: its last is in its last block
    last = max([f.tokens[-1].block for f in fits if f.tokens] + [p.label.block for p in placed])
    return first, last


def _fits(
    report: Report, table: Table, tokens: list[Token], region: Region, placed: list[Placed]
) -> list[Fit]:
    """One fit per row; a row under a header that lacks some of its columns fits the columns shown."""
    lacking = deviations.missing_columns(
        table, tokens, region.start, region.end, text_positions(tokens, region)
    )
    if not lacking:  # every column shown: one fit per row over all its cells
        row_refs = table.row_refs
        return [fit(row_refs[p.row.key], p.values) for p in placed]
    fits, short = [], {}
    for p in placed:
        present = lacking.get(p.row.fields)
        fields = list(p.row.fields)
        if present is not None and len(p.values) == len(present) and all(t.kind == NUM for t in p.values):
            fields = [fields[n] for n in present]
            short.setdefault(p.row.fields, []).append(p)
        refs = table.row_refs[p.row.key]
        fits.append(fit(list(refs) if len(fields) == len(refs) else [refs[f] for f in present], p.values))
    for fields, rows in short.items():
        report.findings.append(
            deviations.missing_column_finding(
                table, fields, lacking[fields], [p.row for p in rows], rows[0].label.where
            )
        )
    return fits


def _first_table_token(table: Table, tokens: list[Token], region: Region, first_label: Token) -> int:
    """The table starts at its first header cell (or its first row label)."""
    marks = label_index(table).marks
    for i in range(region.start, region.end):
        if tokens[i] is first_label:
            break
        if tokens[i].kind == TEXT and tokens[i].key in marks:
            return tokens[i].block
    return first_label.block


_ROW = attrgetter("row")
_new = object.__new__
_BLOCK = attrgetter("block")
_LABEL = attrgetter("label")
_SECOND = itemgetter(1)


def table_regions(spec: Format, tokens: list[Token], section_blocks: dict[int, tuple[int, int]]):
    """Token range of each table: its section when the heading was found, else the whole text."""
    out: dict[str, Region] = {}
    for table in spec.tables:  # tokens come block by block: in order of their blocks
        span = section_blocks.get(table.section)
        if span is None:
            out[table.key] = Region(0, len(tokens))
            continue
        start = bisect_left(tokens, span[0], key=_BLOCK)
        out[table.key] = Region(start, max(start, bisect_left(tokens, span[1], start, key=_BLOCK)))
    return out


def read_tables(report: Report, spec: Format, tokens: list[Token], section_blocks) -> dict[str, Span]:
    """Read every table of the format; returns the block span each table occupied."""
    from .reviewtable import read_run_table

    regions = table_regions(spec, tokens, section_blocks)
    spans: dict[str, Span] = {}
    for table in spec.tables:
        reader = read_run_table if table.layout == "header_then_values" else read_row_table
        span = reader(report, spec, table, tokens, regions[table.key])
        if span is not None:
            spans[table.key] = span
    return spans
