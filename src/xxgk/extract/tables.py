"""Read the three tables from the token stream, by label, as the format declares them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..formats.base import AMOUNT, AMOUNT_TEXT, SIGNED, Format, Row, Table
from ..model import HIGH, LOW, Report
from ..text.normalize import label_key
from . import notes
from .align import Fit, choose, fit
from .tokens import NUM, TEXT, Token

# An OCR reader records a cell's recognition confidence (0-100) in its `where`; below this
# the cell is not trusted.
OCR_CONFIDENCE_FLOOR = 80

# List numbers a label may carry or lose: （三） 三、 1. and a bare "1" whose dot OCR lost.
_NUMBERING = re.compile(
    r"^(?:\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d{1,2}\.|\d{1,2}(?=[\u4e00-\u9fff]))"
)
_TRAILING_PAREN = re.compile(r"\([^()]*\)$")


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
        bare: dict[str, list[Row]] = {}
        for key, row in self.full.items():
            bare.setdefault(_NUMBERING.sub("", key), []).append(row)
        self.bare = {
            k: rows[0]
            for k, rows in bare.items()
            if len({r.key for r in rows}) == 1 and k not in headers and len(k) >= 4
        }

    def lookup(self, key: str) -> Row | None:
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


@dataclass
class Region:
    start: int
    end: int


def gather(tokens: list[Token], index: int, end: int) -> list[Token]:
    """Value tokens after the label at `index`: the rest of its visual row when the
    source shows rows, else everything up to the next text cell."""
    label = tokens[index]
    out: list[Token] = []
    j = index + 1
    if label.row is not None:
        while j < end and tokens[j].row == label.row and tokens[j].kind != TEXT:
            out.append(tokens[j])
            j += 1
        if out:
            return out
    while j < end and tokens[j].kind != TEXT:
        out.append(tokens[j])
        j += 1
    return out


def find_rows(table: Table, tokens: list[Token], region: Region) -> list[tuple[Row, int]]:
    index = LabelIndex(table)
    seen: set[str] = set()
    found = []
    for i in range(region.start, region.end):
        token = tokens[i]
        if token.kind != TEXT or len(token.key) > 80:
            continue
        row = index.lookup(token.key)
        if row is not None and row.key not in seen:
            seen.add(row.key)
            found.append((row, i))
    return found


Span = tuple[int, int]  # first and last block a table occupies


def read_row_table(
    report: Report, spec: Format, table: Table, tokens: list[Token], region: Region
) -> Span | None:
    fits: list[Fit] = []
    labels: list[tuple[Row, Token]] = []
    for row, i in find_rows(table, tokens, region):
        refs = [f"{table.key}/{row.key}/{f.key}" for f in row.fields]
        fits.append(fit(refs, gather(tokens, i, region.end)))
        labels.append((row, tokens[i]))
    if not fits:
        return None
    _settle(report, spec, table, fits, [lbl for _, lbl in labels], [r.name for r, _ in labels])
    report.findings.extend(notes.gap_findings(table, [row for row, _ in labels], labels))
    first = _first_table_token(table, tokens, region, labels[0][1])
    last = max([t.block for f in fits for t in f.tokens] + [lbl.block for _, lbl in labels])
    return first, last


def _first_table_token(table: Table, tokens: list[Token], region: Region, first_label: Token) -> int:
    """The table starts at its first header cell (or its first row label)."""
    marks = {label_key(x) for x in (*table.anchors, *table.header_labels, *table.group_labels)}
    if table.note:
        marks.add(label_key(table.note))
    for i in range(region.start, region.end):
        if tokens[i] is first_label:
            break
        if tokens[i].kind == TEXT and tokens[i].key in marks:
            return tokens[i].block
    return first_label.block


def read_run_table(
    report: Report, spec: Format, table: Table, tokens: list[Token], region: Region
) -> Span | None:
    """Table 四: a header, then all fifteen values in one run."""
    anchors = {label_key(a) for a in table.anchors}
    start = next(
        (i for i in range(region.start, region.end) if tokens[i].kind == TEXT and tokens[i].key in anchors),
        None,
    )
    if start is None:
        return None
    run = _value_run(tokens, start, region.end)
    if run is None:
        return None
    fits = [fit(table.refs(), run)]
    _settle(report, spec, table, fits, [tokens[start]], [""])
    return tokens[start].block, max(t.block for t in run)


def _value_run(tokens: list[Token], anchor: int, end: int) -> list[Token] | None:
    last_text, j = anchor, anchor + 1
    while j < end and tokens[j].kind != NUM:
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
    return tokens[first:stop]


def _settle(report, spec, table, fits: list[Fit], labels: list[Token], names: list[str]) -> None:
    identities = [i for i in spec.identities if i.refs[0].startswith(table.key + "/")]
    choose(fits, identities)
    for f, label, name in zip(fits, labels, names, strict=True):
        ambiguous = f.ambiguous
        for ref, token in zip(f.refs, f.chosen, strict=True):
            _store(report, spec, ref, None if ambiguous else token, label, exact=f.certain)
        if not f.certain:
            report.findings.append(notes.alignment_finding(table, name, f, label, ambiguous))


def _store(report: Report, spec: Format, ref: str, token: Token | None, label: Token, exact: bool) -> None:
    _, _, fld = spec.fields_by_ref[ref]
    confidence = HIGH if exact else LOW
    if token is None or token.kind != NUM:
        where = dict((token or label).where)
        report.set(ref, None, raw=token.text if token else "", where=where, confidence=confidence)
        return
    if token.where.get("confidence", 100) < OCR_CONFIDENCE_FLOOR:
        confidence = LOW
    value = _convert(token, fld.kind)
    cell = report.set(ref, value, raw=token.text, where=dict(token.where), confidence=confidence)
    if fld.kind == AMOUNT_TEXT:
        cell.text = token.text


def _convert(token: Token, kind: str):
    value = token.num.value
    if kind in (AMOUNT, AMOUNT_TEXT):
        return Decimal(value)
    if kind == SIGNED or isinstance(value, int):
        return value
    return value if value != value.to_integral_value() else int(value)


def table_regions(spec: Format, tokens: list[Token], section_blocks: dict[int, tuple[int, int]]):
    """Token range of each table: its section when the heading was found, else the whole text."""
    out: dict[str, Region] = {}
    for table in spec.tables:
        span = section_blocks.get(table.section)
        if span is None:
            out[table.key] = Region(0, len(tokens))
            continue
        start = next((i for i, t in enumerate(tokens) if t.block >= span[0]), len(tokens))
        end = next((i for i in range(start, len(tokens)) if tokens[i].block >= span[1]), len(tokens))
        out[table.key] = Region(start, end)
    return out


def read_tables(report: Report, spec: Format, tokens: list[Token], section_blocks) -> dict[str, Span]:
    """Read every table of the format; returns the block span each table occupied."""
    regions = table_regions(spec, tokens, section_blocks)
    spans: dict[str, Span] = {}
    for table in spec.tables:
        reader = read_run_table if table.layout == "header_then_values" else read_row_table
        span = reader(report, spec, table, tokens, regions[table.key])
        if span is not None:
            spans[table.key] = span
    return spans
