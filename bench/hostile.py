"""Hostile and damaged documents: wall time, peak memory and answer of `xxgk parse` per case,
and what the readers' sandbox costs on ordinary files.

1. Every document case in ../shared/fuzz-cases/ (when present) and the small hostile files of
   tests/hostilemaker.py, each read by the CLI in a child process; peak memory is the largest
   resident set of that process and its sandbox child (os.wait4, tests/measured.py).
2. The sandbox's overhead: ordinary PDF and DOCX files read in this process N times with the
   sandbox (a forked child per document) and N times without (XXGK_SANDBOX=0 semantics).

Run: .venv/bin/python bench/hostile.py [--repeat 10] [--only NAME]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUZZ = ROOT.parent / "shared" / "fuzz-cases"
sys.path.insert(0, str(ROOT / "tests"))

import hostilemaker as hm  # noqa: E402
from measured import run_cli  # noqa: E402
from xxgk.read import read_bytes, sandbox  # noqa: E402

PATTERNS = ("pdf-*.pdf", "refcycle.pdf", "badfilter.pdf", "mediabox-*.pdf", "docx-*.docx", "hidden-run.docx")
PATTERNS += ("webcells-*.txt", "*.png", "*.jpg", "*.tif", "*.html")
BUILT = {
    "built/content-cycle.pdf": hm.content_cycle_pdf,
    "built/flate-bomb.pdf": hm.flate_bomb_pdf,
    "built/deep-tree.pdf": hm.deep_tree_pdf,
    "built/bad-filter.pdf": hm.bad_filter_pdf,
    "built/10k-chars.pdf": lambda: hm.many_chars_pdf(9800),
    "built/rotated-90.pdf": lambda: hm.text_pdf(["hello world"], 90),
    "built/hidden-text.docx": hm.hidden_text_docx,
    "built/numbering-bomb.docx": hm.numbering_bomb_docx,
    "built/nested-40.docx": lambda: hm.nested_tables_docx(40),
}


def cases(tmp: Path, only: str | None) -> list[tuple[str, Path]]:
    found = sorted({p for pattern in PATTERNS for p in FUZZ.glob(pattern)}) if FUZZ.is_dir() else []
    out = [(p.name, p) for p in found]
    for name, make in BUILT.items():
        path = tmp / name.split("/", 1)[1]
        path.write_bytes(make())
        out.append((name, path))
    return [(n, p) for n, p in out if only is None or only in n]


def hostile(tmp: Path, only: str | None) -> None:
    print(f"{'case':<28} {'s':>6} {'MB':>6}  answer")
    worst_s = worst_mb = 0.0
    for name, path in cases(tmp, only):
        run = run_cli("parse", str(path), timeout=120)
        worst_s, worst_mb = max(worst_s, run.seconds), max(worst_mb, run.peak_mb)
        if run.timed_out:
            answer = "no answer within 120 s"
        elif run.returncode == 2:
            answer = run.stderr.strip().split("：", 2)[-1]
        else:
            answer = f"exit {run.returncode}: " + " ".join(run.stdout.split("\n")[3:4]).strip()
        print(f"{name:<28} {run.seconds:6.1f} {run.peak_mb:6.0f}  {answer[:90]}")
    print(f"{'worst':<28} {worst_s:6.1f} {worst_mb:6.0f}")


def ordinary_files() -> list[Path]:
    paths = [ROOT / "examples" / "编制" / "示例区司法局-2025-年度报告.pdf"]
    paths += [ROOT / "examples" / "编制" / "示例区司法局-2025-年度报告.docx"]
    paths += sorted((ROOT.parent / "shared" / "corpus" / "real").glob("*.pdf"))
    return [p for p in paths if p.is_file()]


def overhead(repeat: int) -> None:
    print(f"\n{'ordinary file':<40} {'inline ms':>9} {'sandbox ms':>10} {'overhead ms':>11}")
    for path in ordinary_files():
        data = path.read_bytes()
        read_bytes(data, path.name)  # imports and caches warm
        with sandbox.inline():
            inline = _time(data, path.name, repeat)
        boxed = _time(data, path.name, repeat)
        print(f"{path.name:<40} {inline * 1000:9.0f} {boxed * 1000:10.0f} {(boxed - inline) * 1000:11.0f}")


def _nothing(data: bytes, path: str | None) -> None:
    return None


def fork_cost(repeat: int) -> None:
    """A child that reads nothing: the fixed cost of the sandbox (fork, pipe, join)."""
    times = []
    for _ in range(max(repeat, 5) * 4):
        started = time.perf_counter()
        sandbox.run(_nothing, b"", "x", sandbox.Budget(10, "x"))
        times.append(time.perf_counter() - started)
    times.sort()
    print(f"{'sandbox alone (median, min)':<40} {times[len(times) // 2] * 1000:9.1f} {times[0] * 1000:10.1f}")


def _time(data: bytes, name: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        read_bytes(data, name)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="reads per ordinary file (best time kept)")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xxgk-hostile-") as tmp:
        hostile(Path(tmp), args.only)
    if args.only is None:
        overhead(args.repeat)
        fork_cost(args.repeat)


if __name__ == "__main__":
    main()
