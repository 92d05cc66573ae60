"""Where each cached record lies (content hash -> pack, offset, sizes), in 52 bytes a record.

A dict of hex keys and tuples cost some 320 bytes a record: at 100,000 reports 32 MB in
every process that reads and caches (measured growth of the stream phase). Here the
locations are sorted numpy arrays (digest, pack number, offset, sizes) searched by
bisection, with the latest additions in a small dict merged into the arrays every
`MERGE` records; after a fork the workers share the arrays' pages with the parent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

MERGE = 4096  # additions held in a dict before they join the arrays
Location = tuple[Path, int, int, int]  # pack, offset of the body, JSON size, compressed size


def _dtype():
    import numpy as np

    return np.dtype([("pack", "<u4"), ("offset", "<u8"), ("size", "<u4"), ("packed", "<u4")])


class Locations:
    def __init__(self) -> None:
        import numpy as np

        self.packs: list[Path] = []
        self._pack_ids: dict[Path, int] = {}
        self.keys = np.empty(0, dtype="S32")  # sorted digests
        self.values = np.empty(0, dtype=_dtype())
        self.recent: dict[bytes, Location] = {}

    def __len__(self) -> int:
        return len(self.keys) + len(self.recent)

    def __contains__(self, sha: str) -> bool:
        return self.get(sha) is not None

    def get(self, sha: str | None) -> Location | None:
        if not sha:  # a file that could not be hashed
            return None
        digest = bytes.fromhex(sha)
        found = self.recent.get(digest)
        if found is not None:
            return found
        i = self._find(digest)
        if i < 0:
            return None
        v = self.values[i]
        return self.packs[v["pack"]], int(v["offset"]), int(v["size"]), int(v["packed"])

    def set(self, sha: str, location: Location) -> None:
        """`sha` is at `location` (this process just wrote it there), wherever it was before."""
        digest = bytes.fromhex(sha)
        i = self._find(digest)
        if i >= 0:
            self.values[i] = self._value(location)
        else:
            self._add(digest, location)

    def setdefault(self, digest: bytes, location: Location) -> None:
        """`digest` is at `location` unless it is known already (the first copy found is read)."""
        if digest not in self.recent and self._find(digest) < 0:
            self._add(digest, location)

    def digests(self) -> Iterator[str]:
        """Every hash known, in order (hex)."""
        self._merge()
        for key in self.keys:
            yield key.ljust(32, b"\0").hex()  # numpy strips trailing NUL bytes

    def _find(self, digest: bytes) -> int:
        import numpy as np

        probe = np.array(digest, dtype="S32")
        i = int(np.searchsorted(self.keys, probe))
        return i if i < len(self.keys) and self.keys[i] == probe[()] else -1

    def _value(self, location: Location) -> tuple:
        pack = self._pack_ids.get(location[0])
        if pack is None:
            pack = self._pack_ids[location[0]] = len(self.packs)
            self.packs.append(location[0])
        return (pack, *location[1:])

    def _add(self, digest: bytes, location: Location) -> None:
        self.recent[digest] = location
        if len(self.recent) >= MERGE:
            self._merge()

    def _merge(self) -> None:
        import numpy as np

        if not self.recent:
            return
        keys = np.array(list(self.recent), dtype="S32")
        values = np.array([self._value(v) for v in self.recent.values()], dtype=_dtype())
        order = np.argsort(keys, kind="stable")
        keys, values = keys[order], values[order]
        where = np.searchsorted(self.keys, keys)
        self.keys = np.insert(self.keys, where, keys)
        self.values = np.insert(self.values, where, values)
        self.recent = {}
