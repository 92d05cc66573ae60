"""Scoreboard of the reader on the six real reports of shared/corpus/real/ against their hand labels.

    .venv/bin/python bench/real_corpus.py [-v]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import realcorpus  # noqa: E402


def main() -> None:
    verbose = "-v" in sys.argv
    if not realcorpus.available():
        print("shared/corpus/real/ not found beside the project")
        return
    totals = [0, 0, 0, 0, 0]
    for entry in realcorpus.entries():
        started = time.perf_counter()
        report = realcorpus.read(entry["file"])
        ms = (time.perf_counter() - started) * 1000
        s = realcorpus.score(entry["file"], report)
        n = len(s.exact) + len(s.wrong) + len(s.blank_flagged) + len(s.missing)
        row = [len(s.exact), len(s.wrong), len(s.blank_flagged), len(s.missing), len(s.low)]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        errors = sorted({f.code for f in report.findings if f.severity == "error"})
        print(
            f"{entry['file']}: {len(s.exact)}/{n} exact ({len(s.low)} low), {len(s.wrong)} wrong, "
            f"{len(s.blank_flagged)} blank+finding, {len(s.missing)} silent; "
            f"agency={report.meta.agency} year={report.meta.year} errors={errors} {ms:.0f} ms"
        )
        if verbose:
            for ref, want, got in s.wrong:
                print(f"    WRONG {ref}: label {want!r}, read {got!r}")
            for ref in s.missing:
                print(f"    SILENT {ref}")
            for f in report.findings:
                print(f"    {f.severity} {f.code} {f.message[:120]}")
    print(f"total: exact {totals[0]} (low {totals[4]}), wrong {totals[1]}, blank+finding {totals[2]}, silent {totals[3]}")


if __name__ == "__main__":
    main()
