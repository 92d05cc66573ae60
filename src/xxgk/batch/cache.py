"""Results cached by content hash, in append-only pack files: `DIR/cache/<version>/pack-*.bin`.

A file whose bytes were read before (under any name) is not read again: re-running a batch
after adding ten files reads ten files. Failures are cached too (the same bytes fail the same
way); the xxgk version and the record layout are part of the path, so an upgraded reader
reads everything anew. A record is the worker's (the report's JSON, its MinHash, deadline),
not its dataset rows, which are made again from it; it is JSON compressed with Zstandard
(pyarrow's codec: about 3 times faster than zlib at a smaller size).

Each process appends its records to a pack of its own (creating one file per record cost
more system time than compressing it), each record after a header naming its content hash
and its sizes. A pack is scanned header by header when first needed; an interrupted write
leaves a short last record, which the scan ignores, so only whole records are ever read.
Another process's new records are found by scanning the packs again on a miss.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .cacheindex import Locations

LAYOUT = "r3"  # the record's layout: a new one does not read the old files
MAGIC = b"XXGK"
HEADER = struct.Struct("<4s32sQQ")  # magic, sha256, JSON size, compressed size
PACK_GLOB = "pack-*.bin"


def reader_version() -> str:
    try:
        return version("xxgk")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "dev"


_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False)  # records are trees


def _pack(record: dict) -> bytes:
    import pyarrow as pa

    data = _ENCODER.encode(record).encode("utf-8")
    body = pa.compress(data, codec="zstd", asbytes=True)
    return HEADER.pack(MAGIC, bytes.fromhex(record["sha256"]), len(data), len(body)) + body


def _unpack(body: bytes, size: int) -> dict:
    import pyarrow as pa

    return json.loads(pa.decompress(body, size, codec="zstd", asbytes=True))


class Cache:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.dir = self.root / "cache" / f"{reader_version()}-{LAYOUT}"
        self._where = Locations()  # sha -> (pack, offset, sizes)
        self._scanned: dict[Path, int] = {}  # pack -> bytes scanned
        self._out = None  # this process's pack, opened on the first record
        self._pid = -1
        self._loaded = False
        self._readers: dict[Path, object] = {}

    def load(self) -> Cache:
        """Index the packs once (before a pool forks: its workers start with the index)."""
        if not self._loaded:
            self._rescan(None)
            self._loaded = True
        return self

    def has(self, sha: str) -> bool:
        """Whether `sha` was cached before this cache was loaded, or by this process since
        (a miss is not looked for in the packs again: one scan per file would cost more than
        reading a rare duplicate twice)."""
        return sha in self.load()._where

    def put(self, record: dict) -> None:
        blob = _pack({k: v for k, v in record.items() if k != "file"})
        if self._pid != os.getpid():  # a forked worker writes its own pack
            self.dir.mkdir(parents=True, exist_ok=True)
            path = self.dir / f"pack-{os.getpid()}-{os.urandom(4).hex()}.bin"
            self._out, self._pid = path.open("ab"), os.getpid()
            self._scanned[path] = 0
        offset = self._out.tell()
        self._out.write(blob)
        self._out.flush()  # whole records, visible to the other processes
        path = Path(self._out.name)
        self._where.set(record["sha256"], (path, offset + HEADER.size, *HEADER.unpack_from(blob)[2:]))
        self._scanned[path] = offset + len(blob)

    def get(self, sha: str, path: str) -> dict:
        """The record of content `sha`, as read from `path` now."""
        where = self.load()._where.get(sha)
        if where is None:
            self._rescan(sha)  # written by another process since
            where = self._where.get(sha)
        if where is None:
            raise KeyError(sha)
        record = self._read(*where)
        record["file"] = path
        if "report" in record:
            record["report"]["meta"]["source"]["path"] = path
        return record

    def all_records(self) -> Iterator[dict]:
        """Every cached record (for --previous: an earlier dataset's reports), by content hash."""
        self._rescan(None)
        for sha in self._where.digests():
            record = self._read(*self._where.get(sha))
            yield record | {
                "file": (record.get("report") or {}).get("meta", {}).get("source", {}).get("path")
            }

    def _read(self, pack: Path, offset: int, size: int, packed: int) -> dict:
        f = self._readers.get(pack)
        if f is None:
            f = self._readers[pack] = pack.open("rb")
        # pread: a forked worker shares the open file's position with its parent
        return _unpack(os.pread(f.fileno(), packed, offset), size)

    def close(self) -> None:
        for f in [*self._readers.values(), *([self._out] if self._pid == os.getpid() else [])]:
            f.close()
        self._readers, self._out, self._pid = {}, None, -1

    def _rescan(self, sha: str | None) -> bool:
        """Index the records appended to the packs since the last scan; whether `sha` is now known."""
        for pack in sorted(self.dir.glob(PACK_GLOB)) if self.dir.is_dir() else ():
            self._scanned[pack] = self._scan(pack, self._scanned.get(pack, 0))
        return sha in self._where

    def _scan(self, pack: Path, start: int) -> int:
        """Index the whole records of `pack` from `start`; returns where the scan stopped."""
        end = pack.stat().st_size
        with pack.open("rb") as f:
            f.seek(start)
            while start + HEADER.size <= end:
                magic, digest, size, packed = HEADER.unpack(f.read(HEADER.size))
                if magic != MAGIC or start + HEADER.size + packed > end:
                    break  # a record cut short (an interrupted run): ignored
                self._where.setdefault(digest, (pack, start + HEADER.size, size, packed))
                start += HEADER.size + packed
                f.seek(start)
        return start
