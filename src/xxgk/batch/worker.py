"""What a worker does with one file: read, check, and return a plain record.

Runs in a pool process or on a Dask worker, so everything here is a module-level function
of picklable arguments returning picklable dicts. A record (JSON-able, as cached) is either a
report

    {"file", "sha256", "size", "medium", "seconds", "report": xxgk.report/1 JSON,
     "minhash": 256 bytes as hex | None, "deadline", "days_late"}

or a failure `{"file", "sha256", "size", "error": Chinese reason}`; that record is cached,
and `dataset_record` turns it into what the dataset writer appends. One bad file never
raises out of here: an unexpected exception becomes a failure naming its type.
"""

from __future__ import annotations

import hashlib
import time
from functools import cache
from typing import Any

from ..errors import XxgkError
from .cache import Cache
from .deadline import Overtime, overtime_message, time_limit
from .rows import prepare_rows

NUM_PERM = 64
SCHEME = "affine32"  # datasketch >= 2.0 hash scheme of the signatures (`minhash_signature`)
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
    """Dataset records for (path, sha256, size) items, in order (one task carries several files).

    With `options["cache"]` (a dataset directory this process can reach) a file already read
    is taken from the cache, and a new record is cached here; otherwise the caller caches the
    full record, which comes along as `record["full"]`."""
    options = options or {}
    cache = cache_at(options["cache"]) if options.get("cache") else None
    out = []
    for path, sha, size in items:
        if cache is not None and cache.has(sha):
            out.append(dataset_record(cache.get(sha, path)) | {"cached": True})
            continue
        record = process_file(path, sha, size, options.get("check"), options.get("seconds"))
        if cache is not None:
            cache.put(record)
            out.append(dataset_record(record))
        else:
            out.append(dataset_record(record) | {"full": record})
    return out


_CACHES: dict[str, Cache] = {}  # this run's cache, shared by its chunks (and inherited by a fork)


def use_cache(cache: Cache) -> None:
    """The cache `process_files` uses for its directory: the run's own, loaded once."""
    _CACHES.clear()
    _CACHES[str(cache.root)] = cache.load()


def cache_at(root: str) -> Cache:
    if root not in _CACHES:
        use_cache(Cache(root))
    return _CACHES[root]


def dataset_record(record: dict) -> dict:
    """The record as the writing process needs it: the dataset rows (`rows.prepare_rows`) and
    the report's format, meta and the start of its preamble (for the region), not its cells
    and prose."""
    data = record.get("report")
    if data is None:
        return record
    head = {
        "format": data.get("format"),
        "meta": data.get("meta"),
        "preamble": (data.get("preamble") or "")[:300],
    }
    return record | {"report": head, "rows": prepare_rows(data)}


def process_file(
    path: str, sha: str, size: int, options: dict[str, Any] | None = None, seconds: float | None = None
) -> dict:
    """The record of one file, read and checked within `seconds` (deadline.py)."""
    base = {"file": path, "sha256": sha, "size": size}
    start = time.perf_counter()
    try:
        with time_limit(seconds):
            found = _read_and_check(path, options or {})
        return base | found | {"seconds": time.perf_counter() - start}
    except Overtime:
        return base | {"error": overtime_message(seconds or 0)}
    except XxgkError as exc:
        return base | {"error": exc.message}
    except MemoryError:
        return base | {"error": "文件过于复杂，读取时内存不足"}
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the run
        if seconds and time.perf_counter() - start >= seconds:  # `Overtime` re-raised as another error
            return base | {"error": overtime_message(seconds)}
        return base | {"error": f"读取时出现内部错误（{type(exc).__name__}），请报告此问题"}


def _read_and_check(path: str, options: dict[str, Any]) -> dict:
    from .. import api
    from ..check import Context, check_report

    report = api.load_report(path)
    check_report(report, Context(options=options))
    return {
        "medium": report.meta.source.media_type,
        "report": report.to_json(),
        "minhash": narrative_minhash(report),
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


def narrative_text(report) -> str:
    """The six sections' prose as compared for 雷同 (see check/similarity.py)."""
    from ..check.crossyear import narrative
    from ..check.similarity import comparable_text

    return comparable_text(narrative(report, None))


def narrative_minhash(report) -> str | None:
    """MinHash signature (64 permutations; 256 bytes of uint32, as hex) of the narrative's
    5-char shingles, each hashed to 32 bits in one vectorised pass (`shingle_hashes`)."""
    text = narrative_text(report)
    if len(text) < MIN_CHARS:
        return None
    return minhash_signature(shingle_hashes(text)).hex()


# MurmurHash3's 32-bit finaliser: mixes each shingle hash once before the affine maps
_FMIX32 = ((16, 0x85EBCA6B), (13, 0xC2B2AE35), (16, None))


def minhash_signature(hashes) -> bytes:
    """The signature of 32-bit hashes as datasketch 2's MinHash (scheme "affine32", seed 1)
    computes it: each hash mixed (`_FMIX32`), then the least of a·h + b mod 2^32 for each
    permutation. Done here in numpy: importing datasketch brings SciPy (~50 MiB in every
    process) for nothing a signature needs."""
    import numpy as np

    h = np.asarray(hashes).astype(np.uint32)
    for shift, multiplier in _FMIX32:
        h ^= h >> np.uint32(shift)
        if multiplier is not None:
            h *= np.uint32(multiplier)
    a, b = _permutations()
    return (h[:, None] * a + b).min(axis=0).astype("<u4").tobytes()


def warm() -> None:
    """Import what reading a file uses and prepare the MinHash permutations: done once before
    the pool forks, every worker starts ready (and no file's time limit pays for imports)."""
    from .. import api  # noqa: F401
    from ..check import check_report  # noqa: F401
    from .writers import CELLS_SCHEMA  # noqa: F401  (pyarrow)

    _permutations()


@cache
def _permutations():
    """(a, b) of the affine maps, a odd (a bijection mod 2^32), drawn as datasketch draws them
    for seed 1: the signatures stay those of its MinHash."""
    import numpy as np

    gen = np.random.RandomState(1)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


_MULTIPLIER = 0x100000001B3  # FNV-style: one code point after another
_MIX = 0xBF58476D1CE4E5B9  # splitmix64's finaliser spreads the bits before keeping 32


def shingle_hashes(text: str):
    """A 32-bit hash of every SHINGLE_SIZE-character window of `text` (the shingles of
    check/similarity.py; a repeated shingle gives the same hash, which MinHash ignores)."""
    import numpy as np

    from ..check.similarity import SHINGLE_SIZE

    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    n = max(len(codes) - SHINGLE_SIZE + 1, 1)
    h = codes[:n].copy()
    for k in range(1, min(SHINGLE_SIZE, len(codes))):
        h = h * np.uint64(_MULTIPLIER) + codes[k : k + n]
    h ^= h >> np.uint64(31)
    h *= np.uint64(_MIX)
    h ^= h >> np.uint64(29)
    return h & np.uint64(0xFFFFFFFF)
