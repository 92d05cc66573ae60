"""The cohort index: what the cohort checks need of every report, kept on disk, not in memory.

While the records stream in, one small row per report (`Entry`: names, year, region, node,
fingerprints, the cells the cross-year rules compare) is appended to `index.stage.arrows` (an Arrow IPC stream)
in the dataset directory, in the dataset's order (`ordinal` = the report's row in
reports.parquet); the reports of earlier datasets (--previous) follow, marked as context.
The cohort checks then read one year (and the year before) at a time, so their memory is one
year's index, not the whole cohort's; full reports are loaded from the caches only for the
pairs and groups they compare. The file is removed when the dataset is finished.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..model import Report
from .cache import Cache
from .columns import BINARY, INT, TEXT, Column
from .regions import Region
from .writers import TableWriter, stage_batches

INDEX = "index.stage"
CANDIDATES_SEPARATOR = "\n"

COLUMNS = (
    Column("ordinal", INT, ""),
    Column("file", TEXT, ""),
    Column("sha256", TEXT, ""),
    Column("source", INT, ""),  # 0: this dataset's cache; k: the k-th --previous dataset's
    Column("agency", TEXT, ""),
    Column("year", INT, ""),
    Column("format", TEXT, ""),
    Column("canonical", TEXT, ""),
    Column("region_status", TEXT, ""),
    Column("place", TEXT, ""),
    Column("candidates", TEXT, ""),
    Column("node", TEXT, ""),
    Column("digest", TEXT, ""),
    Column("minhash", BINARY, ""),
    Column("cross", TEXT, ""),  # JSON list aligned with rows.CROSS_REFS
)


@dataclass(slots=True)  # a year of them is held at once
class Entry:
    file: str
    sha256: str
    agency: str | None
    year: int | None
    region: Region
    node: str | None = None
    digest: str = ""
    minhash: bytes | None = None  # 64 uint32 (worker.narrative_minhash); None: a short narrative
    context: bool = False  # from --previous: compared with, not part of the dataset
    format: str | None = None
    cross: tuple | str = ()  # the cells the cross-year rules compare (rows.CROSS_REFS); as read
    # from the index, their JSON, decoded when compared (a year's entries are held at once)
    ordinal: int = -1  # row in the index (for the dataset's own reports: in reports.parquet)
    source: int = 0

    @property
    def canonical(self) -> str:
        return self.region.canonical

    @property
    def name(self) -> str:
        return self.agency or self.file

    def cross_values(self) -> tuple:
        if not isinstance(self.cross, str):
            return self.cross
        return tuple(Decimal(v) if isinstance(v, str) and v != "absent" else v for v in json.loads(self.cross))


def _cross_json(values: tuple | str) -> str:
    if isinstance(values, str):
        return values
    return json.dumps([str(v) if isinstance(v, Decimal) else v for v in values], ensure_ascii=False)


class IndexWriter:
    def __init__(self, root: Path):
        self.writer = TableWriter(root, INDEX, COLUMNS, csv=False, group=1000, stage=True)
        self.path = self.writer.path
        self.count = 0

    def add(self, entry: Entry, source: int = 0) -> int:
        """Append `entry`; returns its ordinal."""
        r = entry.region
        self.writer.add((
            self.count, entry.file, entry.sha256, source, entry.agency, entry.year, entry.format,
            r.canonical, r.status, r.place, CANDIDATES_SEPARATOR.join(r.candidates) or None, entry.node,
            entry.digest, entry.minhash, _cross_json(entry.cross),
        ))  # fmt: skip
        self.count += 1
        return self.count - 1

    def close(self) -> None:
        self.writer.close()


def _entry(row: dict[str, Any]) -> Entry:
    candidates = tuple((row["candidates"] or "").split(CANDIDATES_SEPARATOR)) if row["candidates"] else ()
    region = Region(row["region_status"], canonical=row["canonical"] or "", candidates=candidates,
                    place=row["place"])  # fmt: skip
    return Entry(
        row["file"], row["sha256"], row["agency"], row["year"], region, row["node"], row["digest"],
        row["minhash"], row["source"] > 0, row["format"], row["cross"], row["ordinal"], row["source"],
    )  # fmt: skip


class Index:
    """The index on disk, the caches its entries come from, and loading their reports."""

    def __init__(self, path: Path, caches: list[Cache]):
        self.path, self.caches = path, caches  # caches[source]: this dataset's, then --previous
        # the index's own (a cache on the method kept the last run's reports and caches alive)
        self._report = lru_cache(maxsize=32)(self._load)  # a group's reports are compared pairwise

    def entries(self, **equal: Any) -> list[Entry]:
        """The entries whose columns equal the values given (year=2024, source=0, …), read batch
        by batch and filtered in Arrow, so only those become Python objects."""
        import pyarrow.compute as pc

        out = []
        for batch in stage_batches(self.path):
            mask = None
            for name, value in equal.items():
                match = pc.fill_null(pc.equal(batch.column(name), value), False)
                mask = match if mask is None else pc.and_(mask, match)
            chosen = batch.filter(mask) if mask is not None else batch
            out.extend(_entry(row) for row in chosen.to_pylist())
        return out

    def years(self) -> list[int]:
        import pyarrow.compute as pc

        years: set[int] = set()
        for batch in stage_batches(self.path):
            years.update(y for y in pc.unique(batch.column("year")).to_pylist() if y is not None)
        return sorted(years)

    def files(self):
        """The `file` of every entry, by ordinal, as one Arrow array (compact: no Python strings)."""
        import pyarrow as pa

        columns = [batch.column("file") for batch in stage_batches(self.path)]
        return pa.concat_arrays(columns) if columns else pa.array([], pa.string())

    def report(self, entry: Entry) -> Report:
        return self._report(entry.source, entry.sha256, entry.file)

    def _load(self, source: int, sha: str, file: str) -> Report:
        return Report.from_json(self.caches[source].get(sha, file)["report"])

    def narrative(self, entry: Entry) -> str:
        """The prose of the six sections (a report without tables is enough for that)."""
        from ..check.crossyear import narrative

        data = self.caches[entry.source].get(entry.sha256, entry.file)["report"]
        return narrative(Report(format=data.get("format"), sections=dict(data.get("sections") or {})), None)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
