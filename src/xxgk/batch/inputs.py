"""A batch's input files, in sorted order, kept in a temporary file rather than in memory.

`sorted(set(api.expand_inputs(inputs)))` held a Path and a string for every file while it
listed them: at 100,000 files the process grew by 47 MB, and kept most of it (measured). Here
each directory is walked in sorted order (a directory's entries sorted by name, a
subdirectory's name followed by "/", which orders the paths as whole strings are ordered),
the inputs' walks are merged, and the paths are written to an anonymous temporary file,
NUL-separated, then read back as the run needs them: only one directory's names at a time
are Python objects. Files are those `api.input_files` finds.
"""

from __future__ import annotations

import heapq
import tempfile
from collections.abc import Iterator

from ..api import input_files

SEPARATOR = "\0"  # the one character a path cannot hold
BLOCK = 1 << 16


class InputList:
    """The sorted, distinct files of `inputs` (files or directories), iterable more than once."""

    def __init__(self, inputs: list[str]):
        self._file = tempfile.TemporaryFile(  # noqa: SIM115 - closed by close(), once streamed
            "w+", encoding="utf-8", errors="surrogateescape", newline=""
        )
        self.count = 0
        last = None
        for path in heapq.merge(*(input_files(p) for p in inputs)):
            if path != last:
                self._file.write(path + SEPARATOR)
                self.count += 1
                last = path

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[str]:
        self._file.seek(0)
        rest = ""
        while block := self._file.read(BLOCK):
            *paths, rest = (rest + block).split(SEPARATOR)
            yield from paths

    def close(self) -> None:
        self._file.close()
