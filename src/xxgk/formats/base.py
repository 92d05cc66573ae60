"""Building blocks of a format declaration.

A format is data: sections, tables, rows, fields and the identities between cells.
The reader finds rows by these labels, the checker evaluates the identities, and the
renderer lays the tables out from the same declaration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

_LIST_MARK = re.compile(r"^(?:（[一二三四五六七八九十]+）|\d{1,2}\.)")

# Kinds of numeric cell.
COUNT = "count"  # integer >= 0
AMOUNT = "amount"  # decimal >= 0, in 万元
SIGNED = "signed"  # integer with optional sign ("+3")
AMOUNT_TEXT = "amount_text"  # amount as written, with its unit ("24.5万元", "251000元")


@dataclass(frozen=True)
class Field:
    """One numeric column of a row (e.g. 本年制发件数, or 自然人)."""

    key: str
    label: str
    kind: str = COUNT
    variants: tuple[str, ...] = ()
    short: str | None = None  # label for messages when the official one is long

    @property
    def name(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Row:
    """One row of a table, found in the source by its label."""

    key: str
    label: str
    fields: tuple[Field, ...]
    variants: tuple[str, ...] = ()
    group: str | None = None  # group label printed beside the row, e.g. （三）不予公开
    block: str | None = None  # caption of the block the row sits in (table 二)
    number: str | None = None  # short number used in messages, e.g. 三(三)1
    outcome: bool = False  # counts towards 三(七)总计

    @property
    def name(self) -> str:
        """Row name for messages: 三(三)1 属于国家秘密, 一、本年新收…, 三(一)予以公开."""
        if not self.number or self.label.startswith(self.number):
            return self.label
        bare = _LIST_MARK.sub("", self.label)
        sep = " " if self.number[-1].isdigit() else ""
        return f"{self.number}{sep}{bare}"


@dataclass(frozen=True)
class Table:
    key: str  # active | applications | reviews (the JSON key)
    title: str
    section: int  # the section the table belongs to
    rows: tuple[Row, ...]
    # "rows": each row label is followed by its values.
    # "header_then_values": a header, then all values of all rows in one run (table 四).
    layout: str = "rows"
    anchors: tuple[str, ...] = ()  # labels that open the table
    header_labels: tuple[str, ...] = ()  # header cells that are not row labels
    group_labels: tuple[str, ...] = ()
    note: str | None = None  # printed note (勾稽关系)

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    @cached_property
    def row_refs(self) -> dict[str, tuple[str, ...]]:
        """Each row's cell references, in field order (built once)."""
        return {row.key: tuple(f"{self.key}/{row.key}/{f.key}" for f in row.fields) for row in self.rows}

    def refs(self) -> list[str]:
        return [f"{self.key}/{row.key}/{f.key}" for row in self.rows for f in row.fields]

    @property
    def cell_count(self) -> int:
        return sum(len(row.fields) for row in self.rows)


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    variants: tuple[str, ...] = ()
    # Words one of which a heading for this section must contain (after normalisation).
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Identity:
    """sum(left) == sum(right), over cell references."""

    code: str
    kind: str  # balance | outcomes | row_total | review_total
    subject: str  # what the identity is about, for messages: 第2列（商业企业）
    left: tuple[str, ...]
    right: tuple[str, ...]
    left_label: str = ""
    right_label: str = ""

    @property
    def refs(self) -> tuple[str, ...]:
        return self.left + self.right


@dataclass(frozen=True)
class Format:
    id: str  # "2021" | "2019"
    name: str
    document: str  # 国办公开办函〔2021〕30号
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    # Labels that occur only in this format; used to recognise it.
    signals: tuple[str, ...] = ()
    identities: tuple[Identity, ...] = field(default=(), compare=False)

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    @cached_property
    def fields_by_ref(self) -> dict[str, tuple[Table, Row, Field]]:
        return {f"{t.key}/{r.key}/{f.key}": (t, r, f) for t in self.tables for r in t.rows for f in r.fields}

    def refs(self) -> list[str]:
        return list(self.fields_by_ref)

    def table_identities(self, key: str) -> tuple[Identity, ...]:
        """The identities over the cells of table `key` (by their first cell), in order."""
        return self._identities_by_table.get(key, ())

    @cached_property
    def _identities_by_table(self) -> dict[str, tuple[Identity, ...]]:
        out: dict[str, list[Identity]] = {}
        for ident in self.identities:
            out.setdefault(ident.refs[0].split("/", 1)[0], []).append(ident)
        return {key: tuple(found) for key, found in out.items()}

    def describe(self, ref: str) -> str:
        """A Chinese name for a cell reference, e.g. 表三 一、本年新收… / 商业企业."""
        table, row, fld = self.fields_by_ref[ref]
        if len(row.fields) == 1:
            return row.name
        return f"{row.name}／{fld.name}"
