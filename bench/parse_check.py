"""Parse + full check over DISTINCT reports, in one process, with CPU and wall time per stage.

The inputs are generated, not repeated: each report has its own numbers
(`tests/layouts.py`: `consistent_tables(random.Random(n))` written by `write_layout` in the
five seed layouts), and every third one has tables that do not add up (a few cells moved off
their identities), as the reports the checker exists for. The seeds, the corpus openings
and the examples are added when they exist. Each input is parsed and checked once per pass.

The process runs with the CLI's garbage-collector threshold (xxgk.runtime.tune_gc); the same
run at Python's default threshold is printed beside it. Also printed: the floor (read + decode +
one regex pass over the same bytes) and the ratio to it, and the HTML reader on `../shared/corpus/shanghai-2019.html` when present.

Run: .venv/bin/python bench/parse_check.py [--count 600] [--select XG1] [--profile]
Before/after on one machine state: run this file with PYTHONPATH pointing at the other tree's
`src` (e.g. a `git worktree` of the old commit) and XXGK_SHARED at the shared materials.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import resource
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("XXGK_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "tests"))

import xxgk.extract as extract  # noqa: E402
from layouts import LAYOUTS, consistent_tables, prose_with_numbers, write_layout  # noqa: E402
from xxgk.check import RULES, check_report  # noqa: E402
from xxgk.read.text import decode_bytes  # noqa: E402
from xxgk.runtime import GC_THRESHOLD, tune_gc  # noqa: E402

AGENCIES = ("示例县交通运输局", "示例市司法局", "示例区人民政府办公室", "示例省生态环境厅", "示例镇人民政府")
_FLOOR = re.compile(r"\d+")


# ------------------------------------------------------------------ inputs


def generated(count: int, seed: int = 0) -> list[tuple[str, bytes]]:
    """`count` distinct text reports; every third one with tables that do not add up."""
    out = []
    for n in range(seed, seed + count):
        rng = random.Random(n)
        values = consistent_tables(rng)
        if n % 3 == 2:  # a few cells off their identities
            for ref in rng.sample(
                sorted(k for k, v in values.items() if isinstance(v, int)), rng.randint(1, 3)
            ):
                values[ref] += rng.randint(1, 9)
        year = 2020 + n % 5
        agency = AGENCIES[n % len(AGENCIES)]
        text = write_layout(LAYOUTS[n % len(LAYOUTS)], values, prose_with_numbers(rng, year), agency, year)
        out.append((f"gen{n:05d}.txt", text.encode("utf-8")))
    return out


def real_texts() -> list[tuple[str, bytes]]:
    paths = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpus" / "pages").glob("*.txt"))
    paths += sorted((ROOT / "examples").glob("*.txt"))
    return [(p.name, p.read_bytes()) for p in paths]


# ------------------------------------------------------------------ stage timing


class Clock:
    """CPU and wall seconds per stage; nested stages are charged to the innermost one."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.wall: dict[str, float] = defaultdict(float)
        self.stack: list[list[float]] = []

    @contextmanager
    def stage(self, name: str):
        c0, w0 = time.process_time(), time.perf_counter()
        self.stack.append([0.0, 0.0])
        try:
            yield
        finally:
            inner_cpu, inner_wall = self.stack.pop()
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
            self.cpu[name] += cpu - inner_cpu
            self.wall[name] += wall - inner_wall
            if self.stack:
                self.stack[-1][0] += cpu
                self.stack[-1][1] += wall

    def wrap(self, name: str, func, consume: bool = False):
        def timed(*args, **kwargs):
            with self.stage(name):
                out = func(*args, **kwargs)
                return list(out) if consume else out  # a rule may be a generator

        return timed


# Functions of the parse pipeline (names in xxgk.extract) and the stage they are charged to.
STAGES = {
    "read_text_bytes": "read",
    "prepare": "normalise",
    "is_traditional": "normalise",
    "needs_reflow": "reflow",
    "reflow": "reflow",
    "tokenize": "tokenise",
    "read_tables": "tables",
    "unread_tables": "tables",
    "find_headings": "meta",
    "extract_meta": "meta",
    "detect_format": "meta",
    "_preamble": "meta",
    "_text_lines": "lines",
}


@contextmanager
def instrumented(clock: Clock):
    """Wrap the pipeline's stages and every rule function (charged to its family)."""
    saved = {name: getattr(extract, name) for name in STAGES if hasattr(extract, name)}
    rules = dict(RULES)
    for name, func in saved.items():
        setattr(extract, name, clock.wrap(STAGES[name], func))
    for code, rule in rules.items():
        if rule.func is not None:
            RULES[code] = type(rule)(
                **{**rule.__dict__, "func": clock.wrap(f"rules:{rule.family}", rule.func, True)}
            )
    try:
        yield
    finally:
        for name, func in saved.items():
            setattr(extract, name, func)
        RULES.update(rules)


# ------------------------------------------------------------------ runs


def parse_check(inputs, select=None) -> tuple[float, float]:
    w0, c0 = time.perf_counter(), time.process_time()
    for name, data in inputs:
        check_report(extract.parse_bytes(data, name), select=select)
    return time.perf_counter() - w0, time.process_time() - c0


def floor(inputs) -> tuple[float, float]:
    w0, c0 = time.perf_counter(), time.process_time()
    for name, data in inputs:
        text, _ = decode_bytes(data, name)
        sum(1 for _ in _FLOOR.finditer(text))
    return time.perf_counter() - w0, time.process_time() - c0


def html_run(repeat: int) -> None:
    page = SHARED / "corpus" / "shanghai-2019.html"
    if not page.exists():
        return
    from xxgk.read.html import read_html_bytes

    data = page.read_bytes()
    read_html_bytes(data, page.name)
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        read_html_bytes(data, page.name)
    wall, cpu = (time.perf_counter() - w0) / repeat, (time.process_time() - c0) / repeat
    print(
        f"HTML reader ({page.name}, {len(data) // 1024} KiB): {cpu * 1000:.2f} ms CPU, {wall * 1000:.2f} ms wall per read"
    )


def report(label: str, n: int, wall: float, cpu: float) -> None:
    print(
        f"{label}: {n / cpu:7.0f} reports/s of CPU ({cpu * 1000 / n:.2f} ms CPU, {wall * 1000 / n:.2f} ms wall each)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=600, help="distinct generated reports (default 600)")
    parser.add_argument("--select", action="append", help="rule codes or prefixes (default: every rule)")
    parser.add_argument("--profile", action="store_true", help="cProfile the main run")
    parser.add_argument("--sort", default="tottime", help="profile order: tottime | cumulative")
    args = parser.parse_args()

    tune_gc()  # as the CLI and its workers run (xxgk.runtime)
    gen = generated(args.count, seed=10_000)
    real = real_texts()
    parse_check(generated(20, seed=0))  # warm-up: imports, OpenCC dictionaries, first-use regexes
    size = sum(len(d) for _, d in gen) / len(gen) / 1024
    print(f"library: {Path(extract.__file__).parents[2]}")
    print(
        f"rules: {', '.join(args.select) if args.select else 'all'}; inputs: {len(gen)} distinct generated "
        f"reports (mean {size:.1f} KiB, 1 in 3 with tables that do not add up) + {len(real)} real texts"
    )
    print(f"GC threshold {GC_THRESHOLD}, as the CLI sets it (xxgk.runtime.tune_gc)")

    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        parse_check(gen, args.select)
        prof.disable()
        pstats.Stats(prof).sort_stats(args.sort).print_stats(45)
        return

    throughput(gen, real, args.select)
    stages(gen, args.select)
    html_run(20)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {rss:.0f} MiB")


def throughput(gen, real, select) -> None:
    wall, cpu = parse_check(gen, select)
    report("parse+check, generated", len(gen), wall, cpu)
    other = generated(len(gen), seed=20_000)  # distinct again: the first run filled the caches
    default = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    dwall, dcpu = parse_check(other, select)
    gc.set_threshold(*default)
    report("  others, Python's default GC", len(other), dwall, dcpu)
    if real:
        rwall, rcpu = parse_check(real, select)
        report("parse+check, real texts", len(real), rwall, rcpu)
    fwall, fcpu = floor(gen)
    report("floor (read+decode+1 regex)", len(gen), fwall, fcpu)
    print(f"ratio to the floor: {cpu / fcpu:.1f}x CPU")


def stages(gen, select) -> None:
    clock = Clock()
    with instrumented(clock):
        parse_check(gen, select)
    print("per stage, ms per report (CPU / wall), instrumented run:")
    for name in sorted(clock.cpu, key=clock.cpu.get, reverse=True):
        cpu, wall = clock.cpu[name] * 1000 / len(gen), clock.wall[name] * 1000 / len(gen)
        print(f"  {name:24s} {cpu:6.3f} / {wall:6.3f}")


if __name__ == "__main__":
    main()
