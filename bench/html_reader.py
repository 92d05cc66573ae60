"""CPU per read of the HTML reader (`read_html_bytes`), this tree against another.

Inputs, the same bytes for both trees (made once, here, with this tree's code):
- shanghai: `../shared/corpus/shanghai-2019.html` (when the shared workspace is there);
- fixtures: the pages of tests/test_html_fast.py (hand-written markup, generated tables);
- rendered: the five seed reports as HTML pages, written by `xxgk.render.render_html`.

Each tree reads them in its own child process (PYTHONPATH = that tree's `src`), rounds
alternating between the trees; the figure is the least CPU per read over the rounds.

Run: .venv/bin/python bench/html_reader.py [--against /path/of/old/src] [--rounds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# This file is named html.py: its folder must not hide the standard library's `html`.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
SHARED = Path(os.environ.get("XXGK_SHARED", ROOT.parent / "shared"))
SEEDS = ROOT / "tests" / "fixtures" / "seeds"


def inputs() -> dict[str, list[bytes]]:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]
    from test_html_fast import cases

    out: dict[str, list[bytes]] = {}
    shanghai = SHARED / "corpus" / "shanghai-2019.html"
    if shanghai.exists():
        out["shanghai"] = [shanghai.read_bytes()]
    out["fixtures"] = [data for name, data in sorted(cases().items()) if name != "shanghai-2019"]
    out["rendered"] = [_rendered(path) for path in sorted(SEEDS.glob("*.json"))]
    return out


def _rendered(seed: Path) -> bytes:
    from xxgk.model import Report
    from xxgk.render import render_html

    fixture = json.loads(seed.read_text(encoding="utf-8"))
    report = Report(format="2021")
    report.meta.agency, report.meta.year = fixture["agency"] or "某镇人民政府", fixture["year"]
    for ref, value in fixture["values"].items():
        report.set(ref, value)
    report.sections = {"1": "本年度主动公开政府信息。", "5": "一是公开深度有待加强。", "6": "未收取费用。"}
    return render_html(report).encode("utf-8")


# ------------------------------------------------------------------ child: one tree


def child(path: str, seconds: float) -> None:
    from xxgk.errors import InputError
    from xxgk.read.html import read_html_bytes

    def read_all(pages: list[bytes]) -> None:
        for data in pages:
            with contextlib.suppress(InputError):
                read_html_bytes(data, "b.html")

    groups = pickle.loads(Path(path).read_bytes())
    result = {}
    for name, pages in groups.items():
        read_all(pages)  # warm: imports, compiled XPath, caches
        best, spent = float("inf"), 0.0
        while spent < seconds:
            start, n = time.process_time(), 0
            while n < 5 or time.process_time() - start < 0.05:
                read_all(pages)
                n += 1
            lap = time.process_time() - start
            spent += lap
            best = min(best, lap / n / len(pages))
        result[name] = best * 1000
    print(json.dumps(result))


def run_tree(src: str, path: str, seconds: float) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=src)
    cmd = [sys.executable, __file__, "--child", path, "--seconds", str(seconds)]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="the other tree's src directory")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=1.0, help="CPU seconds per group per round")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.seconds)
        return
    groups = inputs()
    trees = {"this": str(ROOT / "src")} | ({"other": args.against} if args.against else {})
    best: dict[str, dict[str, float]] = {tree: {} for tree in trees}
    with tempfile.NamedTemporaryFile(suffix=".pickle") as tmp:
        tmp.write(pickle.dumps(groups))
        tmp.flush()
        for _ in range(args.rounds):
            for tree, src in trees.items():
                for name, ms in run_tree(src, tmp.name, args.seconds).items():
                    best[tree][name] = min(ms, best[tree].get(name, float("inf")))
    print(f"{'input':10s} {'pages':>5s} {'this ms':>9s}" + (f" {'other ms':>9s} {'ratio':>6s}" if args.against else ""))
    for name, pages in groups.items():
        line = f"{name:10s} {len(pages):5d} {best['this'][name]:9.3f}"
        if args.against:
            line += f" {best['other'][name]:9.3f} {best['other'][name] / best['this'][name]:5.2f}x"
        print(line)
    print("ms CPU per read (least over rounds); ratio = other / this")


if __name__ == "__main__":
    main()
