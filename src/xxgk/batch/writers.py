"""Streaming table writers: Parquet (pyarrow) and CSV (UTF-8 with BOM) side by side.

Rows arrive as tuples and are written in batches and are written at once, so memory holds one batch. Text that
a spreadsheet would run as a formula is neutralised in the CSV (`safecell`); the Parquet
keeps the text as it is. Decimals are written exactly (`number_text`), dates as ISO text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..model import number_text
from ..safecell import neutralise
from .columns import DATE, DECIMAL, INT, Column

DECIMAL_SCALE = 6
BATCH = 2000


def arrow_type(kind: str):
    import pyarrow as pa

    return {
        INT: pa.int64(),
        DECIMAL: pa.decimal128(24, DECIMAL_SCALE),
        DATE: pa.date32(),
    }.get(kind, pa.string())


def schema(columns: list[Column] | tuple[Column, ...]):
    import pyarrow as pa

    return pa.schema([pa.field(c.name, arrow_type(c.kind)) for c in columns])


def _decimal(value: Any) -> Any:
    """Decimals arrive as Decimal, int, float (similarity) or text (from the JSON cache)."""
    return Decimal(str(value)) if isinstance(value, float | str) else value


def _arrow_column(kind: str, values: list, arrow_type):
    import pyarrow as pa

    if kind == DATE:
        return pa.array(
            [dt.date.fromisoformat(v) if isinstance(v, str) else v for v in values], type=arrow_type
        )
    if kind == DECIMAL:
        values = [_decimal(v) for v in values]
    return pa.array(list(values), type=arrow_type)


def _csv_decimal(value: Any) -> str:
    return "" if value is None else number_text(_decimal(value))


_FIRST = frozenset("=+-@\t\r'")


def _csv_text(value: Any) -> Any:
    if value is None:
        return ""
    text = str(value)
    return neutralise(text) if text[:1] in _FIRST else text


class TableWriter:
    """One table written to `<name>.parquet` and (unless `csv` is False) `<name>.csv` in
    `directory`. Rows are tuples in column order. The CSV is written by pyarrow (strings
    quoted, UTF-8 with BOM) from the same batch, with text neutralised and decimals exact."""

    def __init__(self, directory: Path, name: str, columns, csv: bool = True):
        import pyarrow.parquet as pq

        self.columns = list(columns)
        self.schema = schema(self.columns)
        self.rows: list[tuple] = []
        self.count = 0
        self._parquet = pq.ParquetWriter(directory / f"{name}.parquet", self.schema, compression="zstd")
        self._file = None
        if csv:
            self._file = (directory / f"{name}.csv").open("wb")
            self._file.write(b"\xef\xbb\xbf")
            self._write_csv(self._csv_table([[] for _ in self.columns]), header=True)

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        import pyarrow as pa

        columns = list(zip(*self.rows, strict=True))
        arrays = [
            _arrow_column(c.kind, values, self.schema.field(c.name).type)
            for c, values in zip(self.columns, columns, strict=True)
        ]
        self._parquet.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
        if self._file is not None:
            self._write_csv(self._csv_table(columns, arrays), header=False)
        self.count += len(self.rows)
        self.rows = []

    def _csv_table(self, columns, arrays=None):
        """The batch as the CSV shows it: text neutralised, decimals as exact text."""
        import pyarrow as pa

        out = []
        for i, (c, values) in enumerate(zip(self.columns, columns, strict=True)):
            if c.kind == DECIMAL:
                out.append(
                    pa.array([None if v is None else _csv_decimal(v) for v in values], type=pa.string())
                )
            elif c.kind in (INT, DATE) and arrays is not None:
                out.append(arrays[i])
            elif c.kind in (INT, DATE):
                out.append(pa.array([], type=arrow_type(c.kind)))
            elif any(v is not None and str(v)[:1] in _FIRST for v in values):
                out.append(pa.array([None if v is None else _csv_text(v) for v in values], type=pa.string()))
            else:
                out.append(arrays[i] if arrays is not None else pa.array(values, type=pa.string()))
        return pa.Table.from_arrays(out, names=[c.name for c in self.columns])

    def _write_csv(self, table, header: bool) -> None:
        import pyarrow.csv as pacsv

        pacsv.write_csv(table, self._file, pacsv.WriteOptions(include_header=header, quoting_style="needed"))

    def close(self) -> None:
        self.flush()
        self._parquet.close()
        if self._file is not None:
            self._file.close()
