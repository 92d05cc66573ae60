"""What a worker does with one file: read, check, and return a plain record.

Runs in a pool process or on a Dask worker, so everything here is a module-level function
of picklable arguments returning JSON-able dicts. A record is either a report

    {"file", "sha256", "size", "medium", "seconds", "report": xxgk.report/1 JSON,
     "minhash": [64 ints] | None, "digest": sha256 of the cell values}

or a failure `{"file", "sha256", "size", "error": Chinese reason}`. One bad file never
raises out of here: an unexpected exception becomes a failure naming its type.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from ..errors import XxgkError
from .cache import Cache
from .rows import prepare_rows

NUM_PERM = 64
SCHEME = "affine32"  # datasketch >= 2.0 hash scheme; signatures are stored, so it is fixed here
MIN_CHARS = 80  # comparable characters below which a narrative is not compared (as XG703)


def file_digest(path: str) -> tuple[str, int]:
    """(sha256 hex, size) of a file, read in blocks."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def process_files(items: list[tuple[str, str, int]], options: dict[str, Any] | None = None) -> list[dict]:
    """Records for (path, sha256, size) items, in order (one task carries several files).

    With `options["cache"]` (a dataset directory this process can reach) a file already read
    is taken from the cache, and a new record is cached here; otherwise the caller caches."""
    options = options or {}
    cache = Cache(options["cache"]) if options.get("cache") else None
    out = []
    for path, sha, size in items:
        if cache is not None and cache.has(sha):
            out.append(slim(cache.get(sha, path) | {"cached": True}))
            continue
        record = process_file(path, sha, size, options.get("check"))
        if cache is not None:
            cache.put(record)
            record = slim(record)
        out.append(record)
    return out


def slim(record: dict) -> dict:
    """The record as the writing process needs it once it is cached: the report's format, meta
    and the start of its preamble (for the region), not its cells and prose (the rows have them)."""
    data = record.get("report")
    if data is None:
        return record
    head = {
        "format": data.get("format"),
        "meta": data.get("meta"),
        "preamble": (data.get("preamble") or "")[:300],
    }
    return record | {"report": head}


def process_file(path: str, sha: str, size: int, options: dict[str, Any] | None = None) -> dict:
    base = {"file": path, "sha256": sha, "size": size}
    start = time.perf_counter()
    try:
        return base | _read_and_check(path, options or {}) | {"seconds": time.perf_counter() - start}
    except XxgkError as exc:
        return base | {"error": exc.message}
    except MemoryError:
        return base | {"error": "文件过于复杂，读取时内存不足"}
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the run
        return base | {"error": f"读取时出现内部错误（{type(exc).__name__}），请报告此问题"}


def _read_and_check(path: str, options: dict[str, Any]) -> dict:
    from .. import api
    from ..check import Context, check_report

    report = api.load_report(path)
    check_report(report, Context(options=options))
    data = report.to_json()
    return {
        "medium": report.meta.source.media_type,
        "report": data,
        "minhash": narrative_minhash(report),
        "digest": cells_digest(data),
        "rows": prepare_rows(data),
    } | deadline_fields(report)


def deadline_fields(report) -> dict:
    """The statutory deadline of the report's kind and how many days late it was published."""
    import datetime as dt

    from ..check.dates import is_aggregate, statutory_deadline

    year = report.meta.year
    if year is None:
        return {"deadline": None, "days_late": None}
    deadline, _basis = statutory_deadline(year, report.meta.agency, is_aggregate(report))
    late = None
    try:
        published = dt.date.fromisoformat(report.meta.publish_date or "")
        late = (published - deadline).days if published > deadline else None
    except ValueError:
        pass
    return {"deadline": deadline.isoformat(), "days_late": late}


def cells_digest(data: dict) -> str:
    """A fingerprint of the report's numbers: same values in the same cells, same digest."""
    values = sorted((c["ref"], c["value"]) for c in data.get("cells") or [])
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()


def narrative_text(report) -> str:
    """The six sections' prose as compared for 雷同 (see check/similarity.py)."""
    from ..check.crossyear import narrative
    from ..check.similarity import comparable_text

    return comparable_text(narrative(report, None))


def narrative_minhash(report) -> list[int] | None:
    """MinHash signature (datasketch, 64 permutations) of the narrative's 5-char shingles."""
    from datasketch import MinHash

    from ..check.similarity import shingles

    text = narrative_text(report)
    if len(text) < MIN_CHARS:
        return None
    mh = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    mh.update_batch([s.encode("utf-8") for s in sorted(shingles(text))])
    return [int(v) for v in mh.hashvalues]
