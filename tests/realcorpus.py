"""The six real complete reports of `shared/corpus/real/` and their hand labels.

Compares what the reader makes of each file with the labels, cell by cell. Used by
`tests/test_real_corpus.py` and by `bench/real_corpus.py` (which prints the scoreboard).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import shared

REAL = shared.CORPUS / "real"


def available() -> bool:
    return (REAL / "index.jsonl").is_file()


def require() -> None:
    """Skip the test (fail under CI) with the shared workspace's reason when the corpus is absent."""
    if not available():
        shared.missing()


def entries() -> list[dict]:
    if not available():
        return []
    return [json.loads(line) for line in (REAL / "index.jsonl").read_text(encoding="utf-8").splitlines() if line]


def labels(name: str) -> dict[str, object]:
    """Cell reference -> labelled value (None for a labelled blank)."""
    path = REAL / "labels" / (Path(name).stem + ".json")
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, object] = {}
    for table in ("active", "applications", "reviews"):
        for row, fields in (data.get(table) or {}).items():
            for fld, value in fields.items():
                out[f"{table}/{row}/{fld}"] = value
    return out


@dataclass
class Score:
    file: str
    exact: list[str] = field(default_factory=list)
    wrong: list[tuple[str, object, object]] = field(default_factory=list)  # ref, label, read
    blank_flagged: list[str] = field(default_factory=list)  # blank/absent, named by a finding
    missing: list[str] = field(default_factory=list)  # blank/absent, no finding names it
    low: list[str] = field(default_factory=list)  # exact but low confidence


def _same(label, value) -> bool:
    if label is None or value is None:
        return label is value
    try:
        return float(label) == float(value)
    except (TypeError, ValueError):
        return str(label) == str(value)


def score(name: str, report) -> Score:
    named = {c for f in report.findings for c in f.cells}
    s = Score(name)
    for ref, expected in labels(name).items():
        cell = report.cells.get(ref)
        value = None if cell is None else cell.value
        if cell is not None and _same(expected, value):
            s.exact.append(ref)
            if cell.confidence != "high":
                s.low.append(ref)
        elif value is None:
            (s.blank_flagged if ref in named else s.missing).append(ref)
        else:
            s.wrong.append((ref, expected, value))
    return s


def read(name: str):
    from xxgk.api import load_report
    from xxgk.check import check_report

    report = load_report(str(REAL / name))
    check_report(report)
    return report


def is_ci() -> bool:
    return shared.is_ci()
