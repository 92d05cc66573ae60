"""The shared workspace beside the project: `../shared/` (seeds/, corpus/, fuzz-cases/, spec/).

It is not part of the repository, so a fresh clone may not have it. Every test that reads it
says so in one of these ways, and is then skipped with `REASON` when it is absent - or fails
under CI (`CI=true`), where it must be there:

* the `needs_shared` marker (``@pytest.mark.needs_shared``, or ``needs_shared`` from here):
  tests/conftest.py checks it before the test and its fixtures are set up;
* `params(values)` for parameters read from shared files: the values, or - without the
  workspace - one placeholder carrying the marker, so that collection never fails;
* `require()` inside a helper or fixture that opens a shared file.

Module-level reads go through `jsonl()` / `files()`, which give nothing when the workspace is
absent. The seed texts are looked up by `layouts.seed_dir()` ($XXGK_SEEDS first).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"

REASON = "需要项目旁的 ../shared/（种子报告、语料库），本机没有：跳过"
CI_FAILURE = f"CI 下必须有项目旁的 ../shared/（{SHARED} 不存在）"

needs_shared = pytest.mark.needs_shared


def available() -> bool:
    return SHARED.is_dir()


def is_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing() -> None:
    """The shared material this test needs is not there: skip, or fail under CI."""
    if is_ci():
        pytest.fail(CI_FAILURE)
    pytest.skip(REASON)


def require() -> None:
    if not available():
        missing()


def params(values, arity: int = 1) -> list:
    """Parameters read from shared files, or one skipped placeholder (`arity` Nones) without them."""
    values = list(values)
    if values or available():
        return values
    placeholder = None if arity == 1 else (None,) * arity
    return [pytest.param(placeholder, marks=needs_shared, id="no-shared")]


def files(folder: str, pattern: str = "*.txt") -> list[Path]:
    """Sorted files of `shared/<folder>` matching `pattern`; [] without the workspace."""
    return sorted((SHARED / folder).glob(pattern))


def jsonl(name: str) -> list[dict]:
    """The records of `shared/<name>` (one JSON object a line); [] without the workspace."""
    path = SHARED / name
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
