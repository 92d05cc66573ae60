"""Results cached by content hash: `DIR/cache/<version>/<ab>/<sha256>.json.z`.

A file whose bytes were read before (under any name) is not read again: re-running a batch
after adding ten files reads ten files. Failures are cached too (the same bytes fail the same
way); the xxgk version is part of the path, so an upgraded reader reads everything anew.
Records are zlib-compressed JSON, written atomically (temporary file, then rename), so an
interrupted run leaves only whole records behind.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .rows import encode


def reader_version() -> str:
    try:
        return version("xxgk")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "dev"


class Cache:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.dir = self.root / "cache" / reader_version()

    def path(self, sha: str) -> Path:
        return self.dir / sha[:2] / f"{sha}.json.z"

    def has(self, sha: str) -> bool:
        return self.path(sha).exists()

    def put(self, record: dict) -> None:
        target = self.path(record["sha256"])
        target.parent.mkdir(parents=True, exist_ok=True)
        body = {k: v for k, v in record.items() if k != "file"}
        data = zlib.compress(json.dumps(body, ensure_ascii=False, default=encode).encode("utf-8"), 1)
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, target)

    def get(self, sha: str, path: str) -> dict:
        """The record of content `sha`, as read from `path` now."""
        record = json.loads(zlib.decompress(self.path(sha).read_bytes()))
        record["file"] = path
        if "report" in record:
            record["report"]["meta"]["source"]["path"] = path
        return record

    def all_records(self) -> Iterator[dict]:
        """Every cached record (for --previous: an earlier dataset's reports)."""
        for path in sorted(self.dir.glob("*/*.json.z")):
            record = json.loads(zlib.decompress(path.read_bytes()))
            yield record | {
                "file": (record.get("report") or {}).get("meta", {}).get("source", {}).get("path")
            }
