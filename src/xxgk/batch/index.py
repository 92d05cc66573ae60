"""The cohort index: what the cohort checks need of every report, kept on disk, not in memory.

While the records stream in, one small row per report (`Entry`: names, year, region, node,
fingerprints, the cells the cross-year rules compare) is appended to `index.stage.sqlite` (a
temporary SQLite database) in the dataset directory, in the dataset's order (`ordinal` = the
report's row in reports.parquet); the reports of earlier datasets (--previous) follow, marked as
context. The cohort checks then ask it for what they compare (a year's signatures, an agency's
report of the year before, the members of a group) through indexes on disk, and write their
findings to it (findings.py), so the parent holds no entry per report: SQLite's page cache is
bounded (`CACHE_KIB`) and so is its sorter. Full reports are loaded from the caches only for the
pairs and groups compared. The file is removed when the dataset is finished.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ..model import Report
from .cache import Cache
from .regions import Region

INDEX = "index.stage.sqlite"
CANDIDATES_SEPARATOR = "\n"
CACHE_KIB = 4096  # SQLite's page cache (and the sorter's memory before it spills to disk)
INSERT_BATCH = 1000

COLUMNS = (
    "ordinal INTEGER PRIMARY KEY", "file TEXT", "sha256 TEXT",
    "source INTEGER",  # 0: this dataset's cache; k: the k-th --previous dataset's
    "agency TEXT", "year INTEGER", "format TEXT", "canonical TEXT", "region_status TEXT",
    "place TEXT", "candidates TEXT", "node TEXT", "digest TEXT", "minhash BLOB",
    "cross_json TEXT",  # JSON list aligned with rows.CROSS_REFS
)  # fmt: skip
NAMES = tuple(c.split()[0] for c in COLUMNS)
INDEXES = (
    "year, source, ordinal",
    "year, canonical, source, file, ordinal",
    "region_status, source, ordinal",
)


def connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    db.execute("PRAGMA journal_mode = OFF")  # a scratch file: a crash loses the run anyway
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA temp_store = FILE")
    return db


def insert_rows(db: sqlite3.Connection, table: str, rows: list[tuple]) -> None:
    """A batch of rows in one transaction (the connection autocommits each statement)."""
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        db.execute("BEGIN")
        db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        db.execute("COMMIT")


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
        return tuple(
            Decimal(v) if isinstance(v, str) and v != "absent" else v for v in json.loads(self.cross)
        )


def _cross_json(values: tuple | str) -> str:
    if isinstance(values, str):
        return values
    return json.dumps([str(v) if isinstance(v, Decimal) else v for v in values], ensure_ascii=False)


class IndexWriter:
    def __init__(self, root: Path):
        self.path = root / INDEX
        self.path.unlink(missing_ok=True)  # a stale one of an interrupted run
        self.db = connect(self.path)
        self.db.execute(f"CREATE TABLE entries ({', '.join(COLUMNS)})")
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, entry: Entry, source: int = 0) -> int:
        """Append `entry`; returns its ordinal."""
        r = entry.region
        self.rows.append((
            self.count, entry.file, entry.sha256, source, entry.agency, entry.year, entry.format,
            r.canonical, r.status, r.place, CANDIDATES_SEPARATOR.join(r.candidates) or None, entry.node,
            entry.digest, entry.minhash, _cross_json(entry.cross),
        ))  # fmt: skip
        self.count += 1
        if len(self.rows) >= INSERT_BATCH:
            self._flush()
        return self.count - 1

    def _flush(self) -> None:
        insert_rows(self.db, "entries", self.rows)
        self.rows = []

    def close(self) -> None:
        self._flush()
        for i, columns in enumerate(INDEXES):
            self.db.execute(f"CREATE INDEX entries_{i} ON entries ({columns})")
        self.db.close()


def _entry(row: tuple) -> Entry:
    (ordinal, file, sha256, source, agency, year, format_, canonical, status, place, candidates,
     node, digest, minhash, cross) = row  # fmt: skip
    region = Region(status, canonical=canonical or "", place=place,
                    candidates=tuple(candidates.split(CANDIDATES_SEPARATOR)) if candidates else ())  # fmt: skip
    return Entry(file, sha256, agency, year, region, node, digest, minhash, source > 0, format_, cross,
                 ordinal, source)  # fmt: skip


class Index:
    """The index on disk, the caches its entries come from, and loading their reports."""

    def __init__(self, path: Path, caches: list[Cache]):
        self.path, self.caches = path, caches  # caches[source]: this dataset's, then --previous
        self.db = connect(path)
        # the index's own (a cache on the method kept the last run's reports and caches alive)
        self._report = lru_cache(maxsize=32)(self._load)  # a group's reports are compared pairwise

    def select(self, where: str, params: tuple = (), order: str = "ordinal") -> Iterator[Entry]:
        """The entries matching a SQL condition, one at a time, in `order`."""
        sql = f"SELECT {', '.join(NAMES)} FROM entries WHERE {where} ORDER BY {order}"
        for row in self.db.execute(sql, params):
            yield _entry(row)

    def entry(self, ordinal: int) -> Entry:
        return next(self.select("ordinal = ?", (ordinal,)))

    def values(self, sql: str, params: tuple = ()) -> list:
        """The first column of a query's rows."""
        return [row[0] for row in self.db.execute(sql, params)]

    def years(self) -> list[int]:
        return self.values("SELECT DISTINCT year FROM entries WHERE year IS NOT NULL ORDER BY year")

    def files(self, ordinals: list[int | None]) -> list[str | None]:
        """The `file` of each ordinal (None: None)."""
        return self.by_ordinal("file", ordinals)

    def by_ordinal(self, column: str, ordinals: list[int | None]) -> list:
        """A column's value for each ordinal (None: None), read for those ordinals only."""
        wanted = sorted({o for o in ordinals if o is not None})
        found: dict[int, object] = {}
        for start in range(0, len(wanted), 500):  # SQLite's limit on parameters
            part = wanted[start : start + 500]
            marks = ", ".join("?" * len(part))
            found.update(
                self.db.execute(f"SELECT ordinal, {column} FROM entries WHERE ordinal IN ({marks})", part)
            )
        return [None if o is None else found[o] for o in ordinals]

    def report(self, entry: Entry) -> Report:
        return self._report(entry.source, entry.sha256, entry.file)

    def _load(self, source: int, sha: str, file: str) -> Report:
        return Report.from_json(self.caches[source].get(sha, file)["report"])

    def narrative(self, entry: Entry) -> str:
        """The prose of the six sections (a report without tables is enough for that)."""
        from ..check.crossyear import narrative

        data = self.caches[entry.source].get(entry.sha256, entry.file)["report"]
        return narrative(Report(format=data.get("format"), sections=dict(data.get("sections") or {})), None)

    def forget_reports(self) -> None:
        """Drop the reports kept for the pairs (up to 32 of them) once the cohort is done."""
        self._report.cache_clear()

    def close(self) -> None:
        self.db.close()

    def remove(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)
