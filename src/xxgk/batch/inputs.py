"""A batch's input files, in sorted order, kept in a temporary file rather than in memory.

`sorted(set(api.expand_inputs(inputs)))` held a Path and a string for every file while it
listed them: at 100,000 files the process grew by 47 MB, and kept most of it (measured). Here
each directory is walked in sorted order (a directory's entries sorted by name, a
subdirectory's name followed by "/", which orders the paths as whole strings are ordered),
the inputs' walks are merged, and the paths are written to an anonymous temporary file,
NUL-separated, then read back as the run needs them: only one directory's names at a time
are Python objects. Files are those `expand_inputs` finds (report suffixes, symbolic links to
directories not followed; an input directory without any stands for itself).
"""

from __future__ import annotations

import heapq
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..api import INPUT_SUFFIXES

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
        for path in heapq.merge(*(_expand(p) for p in inputs)):
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


def _expand(path: str) -> Iterator[str]:
    if path == "-" or not os.path.isdir(path):
        yield path
        return
    found = False
    for file in _walk(str(Path(path))):
        found = True
        yield file
    if not found:
        yield path


def _walk(directory: str) -> Iterator[str]:
    try:
        with os.scandir(directory) as it:
            entries = [(e.name + "/" if _real_directory(e) else e.name, e) for e in it]
    except OSError:
        return
    entries.sort(key=lambda pair: pair[0])
    for key, entry in entries:
        if key.endswith("/"):
            yield from _walk(entry.path)
        elif os.path.splitext(entry.name)[1].lower() in INPUT_SUFFIXES and _is_file(entry):
            yield entry.path


def _real_directory(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir() and not entry.is_symlink()
    except OSError:
        return False


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False
