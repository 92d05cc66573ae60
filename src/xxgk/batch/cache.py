"""Results cached by content hash: `DIR/cache/<version>/<ab>/<sha256>.json.zst`.

A file whose bytes were read before (under any name) is not read again: re-running a batch
after adding ten files reads ten files. Failures are cached too (the same bytes fail the same
way); the xxgk version and the record layout are part of the path, so an upgraded reader
reads everything anew. A record is the worker's (the report's JSON, its MinHash, deadline),
not its dataset rows, which are made again from it; it is JSON compressed with Zstandard
(pyarrow's codec: about 3 times faster than zlib at a smaller size), after an 8-byte length,
and written atomically (temporary file, then rename), so an interrupted run leaves only whole
records behind.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

LAYOUT = "r2"  # the record's layout: a new one does not read the old files
SUFFIX = ".json.zst"


def reader_version() -> str:
    try:
        return version("xxgk")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "dev"


def _pack(record: dict) -> bytes:
    import pyarrow as pa

    data = json.dumps(record, ensure_ascii=False).encode("utf-8")
    return len(data).to_bytes(8, "little") + pa.compress(data, codec="zstd", asbytes=True)


def _unpack(blob: bytes) -> dict:
    import pyarrow as pa

    size = int.from_bytes(blob[:8], "little")
    return json.loads(pa.decompress(blob[8:], size, codec="zstd", asbytes=True))


class Cache:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.dir = self.root / "cache" / f"{reader_version()}-{LAYOUT}"

    def path(self, sha: str) -> Path:
        return self.dir / sha[:2] / f"{sha}{SUFFIX}"

    def has(self, sha: str) -> bool:
        return self.path(sha).exists()

    def put(self, record: dict) -> None:
        target = self.path(record["sha256"])
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(_pack({k: v for k, v in record.items() if k != "file"}))
        os.replace(tmp, target)

    def get(self, sha: str, path: str) -> dict:
        """The record of content `sha`, as read from `path` now."""
        record = _unpack(self.path(sha).read_bytes())
        record["file"] = path
        if "report" in record:
            record["report"]["meta"]["source"]["path"] = path
        return record

    def all_records(self) -> Iterator[dict]:
        """Every cached record (for --previous: an earlier dataset's reports)."""
        for path in sorted(self.dir.glob(f"*/*{SUFFIX}")):
            record = _unpack(path.read_bytes())
            yield record | {
                "file": (record.get("report") or {}).get("meta", {}).get("source", {}).get("path")
            }
