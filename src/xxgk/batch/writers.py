"""Streaming table writers: Parquet (pyarrow) and CSV (UTF-8 with BOM) side by side.

Rows arrive as tuples (`add`) or as Arrow record batches built by the workers (`add_batch`)
and are written in groups of exactly `group` rows (the last one shorter), so memory holds one
group and two runs write the same bytes however the rows arrived. The CSV is made from the
same Arrow data with vectorised kernels: decimals as exact text (`number_text`'s form), text
that a spreadsheet would run as a formula neutralised (`safecell`); the Parquet keeps the
text as it is. Dates are written as ISO text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..safecell import neutralise
from .columns import BINARY, CELLS, DATE, DECIMAL, INT, Column

DECIMAL_SCALE = 6
GROUP = 2000
# A spreadsheet may run text beginning with these (after quotes): such a column goes
# through `neutralise`, which also spares text that is just a number.
_TRIGGER = r"^'*[=+\-@\t\r]"
_TRAILING_ZEROS = r"\.?0+$"  # decimals are cast with DECIMAL_SCALE places: 2.500000 -> 2.5


def arrow_type(kind: str):
    import pyarrow as pa

    return {
        INT: pa.int64(),
        DECIMAL: pa.decimal128(24, DECIMAL_SCALE),
        DATE: pa.date32(),
        BINARY: pa.binary(),
    }.get(kind, pa.string())


def schema(columns: list[Column] | tuple[Column, ...]):
    import pyarrow as pa

    return pa.schema([pa.field(c.name, arrow_type(c.kind)) for c in columns])


def __getattr__(name: str):
    if name == "CELLS_SCHEMA":  # built on first use: pyarrow stays out of `xxgk check`
        globals()[name] = schema(CELLS)
        return globals()[name]
    raise AttributeError(name)


def _decimal(value: Any) -> Any:
    """Decimals arrive as Decimal or int, or as float (similarity) or text."""
    return Decimal(str(value)) if isinstance(value, float | str) else value


def _arrow_column(kind: str, values: list, arrow_type):
    import pyarrow as pa

    if kind == DATE:
        return pa.array(
            [dt.date.fromisoformat(v) if isinstance(v, str) else v for v in values], type=arrow_type
        )
    if kind == DECIMAL:
        try:
            return pa.array(values, type=arrow_type)
        except (pa.ArrowTypeError, pa.ArrowInvalid, TypeError):
            values = [_decimal(v) for v in values]
    return pa.array(values, type=arrow_type)


def csv_column(kind: str, array):
    """One column as the CSV shows it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind == DECIMAL:
        return pc.replace_substring_regex(pc.cast(array, pa.string()), _TRAILING_ZEROS, "")
    if kind in (INT, DATE, BINARY) or not pc.any(pc.match_substring_regex(array, _TRIGGER)).as_py():
        return array
    return pa.array([None if v is None else neutralise(v) for v in array.to_pylist()], pa.string())


STAGE_SUFFIX = ".arrows"


def stage_batches(path: Path):
    """The record batches of a staged table (`TableWriter(stage=True)`), as written."""
    import pyarrow as pa

    with pa.OSFile(str(path), "rb") as f:
        yield from pa.ipc.open_stream(f, options=pa.ipc.IpcReadOptions(use_threads=False))


class TableWriter:
    """One table written to `<name>.parquet` and (unless `csv` is False) `<name>.csv` in
    `directory`, in row groups of `group` rows.

    `stage`: a table read back by this run only, written as an Arrow IPC stream
    (`<name>.arrows`, `stage_batches`) instead: a Parquet writer keeps some 830 bytes of
    metadata per column and row group until it closes (measured), 0.5 MB per group of a
    reports row's 600 columns, so a staged reports table grew the run by 100 MB at 100,000
    reports; a stream keeps nothing of what it wrote.

    `deferred`: the Parquet file of a table that grows with the number of reports (cells,
    findings) is written when the writer closes, from a compressed stage of its rows, in row
    groups of `deferred` rows; until then the rows go to the stage (and the CSV) in groups of
    `group`. Written as they came, in groups of 20,000 cells, the metadata of cells.parquet
    alone held 7 MB at 100,000 reports, and the heap it pinned grew the streaming process by
    24 MiB from 10,000 to 100,000 reports; staged, it stays flat (measured). With
    `keep_stage` the stage stays beside the Parquet file, as `<name>.arrows`, for the database
    build to read (database.py)."""

    def __init__(
        self,
        directory: Path,
        name: str,
        columns,
        csv: bool = True,
        group: int = GROUP,
        stage: bool = False,
        deferred: int | None = None,
        keep_stage: bool = False,
    ):
        self.columns = list(columns)
        self.schema = schema(self.columns)
        self.group = group
        self.rows: list[tuple] = []
        self.batches: list = []  # Arrow record batches not yet written
        self.pending = 0  # rows in self.batches
        self.count = 0
        self.deferred = deferred
        self.keep_stage = keep_stage
        staged = stage or deferred is not None
        self.path = directory / f"{name}{STAGE_SUFFIX if staged else '.parquet'}"
        self._out = (
            self._stream(self.path, compressed=deferred is not None)
            if staged
            else self._parquet_writer(self.path)
        )
        self._file = None
        if csv:
            self._file = (directory / f"{name}.csv").open("wb")
            self._file.write(b"\xef\xbb\xbf")
            self._write_csv(self.schema.empty_table(), header=True)

    def _parquet_writer(self, path: Path):
        import pyarrow.parquet as pq

        return pq.ParquetWriter(path, self.schema, compression="zstd")

    def _stream(self, path: Path, compressed: bool):
        """The wide reports stage is uncompressed: with zstd the writing process grew by 16 MiB
        a 1,000 reports, against 4 without (measured, 2 jobs, 800 -> 1,800 reports); the file
        lives only until the end of the run (some 3 KB a report). A deferred table's stage is
        LZ4 on the calling thread: Arrow's thread pool, which it uses by default, added 30 MiB
        to the process; uncompressed, the cells' stage would take 40 KB a report on disk, with
        LZ4 7 KB (measured)."""
        import pyarrow as pa

        options = pa.ipc.IpcWriteOptions(compression="lz4", use_threads=False) if compressed else None
        return pa.ipc.new_stream(str(path), self.schema, options=options)

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) + self.pending >= self.group:
            self._write(final=False)

    def add_batch(self, batch) -> None:
        """Rows already in Arrow form (the schema of this table)."""
        self._stage_rows()
        self.batches.append(batch)
        self.pending += batch.num_rows
        if self.pending >= self.group:
            self._write(final=False)

    def _stage_rows(self) -> None:
        if not self.rows:
            return
        import pyarrow as pa

        columns = list(zip(*self.rows, strict=True))
        arrays = [
            _arrow_column(c.kind, values, t)
            for c, values, t in zip(self.columns, columns, self.schema.types, strict=True)
        ]
        self.batches.append(pa.RecordBatch.from_arrays(arrays, schema=self.schema))
        self.pending += len(self.rows)
        self.rows = []

    def _write(self, final: bool) -> None:
        import pyarrow as pa

        self._stage_rows()
        table = pa.Table.from_batches(self.batches, schema=self.schema)
        start = 0
        while table.num_rows - start >= self.group or (final and start < table.num_rows):
            part = table.slice(start, self.group).combine_chunks()
            self._out.write_table(part)
            if self._file is not None:
                self._write_csv(part, header=False)
            start += part.num_rows
        rest = table.slice(start)
        self.batches, self.pending = rest.to_batches(), rest.num_rows
        self.count += start

    def _write_csv(self, table, header: bool) -> None:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        columns = [csv_column(c.kind, table.column(i)) for i, c in enumerate(self.columns)]
        shown = pa.Table.from_arrays(columns, names=[c.name for c in self.columns])
        pacsv.write_csv(shown, self._file, pacsv.WriteOptions(include_header=header, quoting_style="needed"))

    def close(self) -> None:
        self._write(final=True)
        self._out.close()
        if self._file is not None:
            self._file.close()
        if self.deferred is not None:
            self._write_deferred()

    def _write_deferred(self) -> None:
        stage = self.path
        final = TableWriter(stage.parent, stage.name.removesuffix(STAGE_SUFFIX), self.columns, csv=False,
                            group=self.deferred)  # fmt: skip
        for batch in stage_batches(stage):
            final.add_batch(batch)
        final.close()
        if not self.keep_stage:
            stage.unlink()
        self.path = final.path
