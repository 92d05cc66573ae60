"""Parse+check throughput over the seed reports repeated to >= N reports, in one process.

Prints reports/s and peak memory. Run: .venv/bin/python bench/parse_check.py [--count 1000]
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from pathlib import Path

from xxgk.check import check_report
from xxgk.extract import parse_bytes

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def load_inputs() -> list[tuple[str, bytes]]:
    inputs = [(p.name, p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]
    examples = Path(__file__).resolve().parents[1] / "examples"
    inputs += [(p.name, p.read_bytes()) for p in sorted(examples.glob("*.txt"))]
    if not inputs:
        raise SystemExit(f"no inputs found in {SEEDS}")
    return inputs


def run(
    inputs: list[tuple[str, bytes]], count: int, select: list[str] | None = None
) -> tuple[float, float, int]:
    """Returns (wall seconds, CPU seconds, cells read)."""
    cells = 0
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(count):
        name, data = inputs[i % len(inputs)]
        report = parse_bytes(data, name)
        check_report(report, select=select)
        cells += len(report.cells)
    return time.perf_counter() - start, time.process_time() - cpu, cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--select", action="append", help="rule codes or prefixes (default: the whole catalogue)"
    )
    args = parser.parse_args()
    inputs = load_inputs()
    run(inputs, len(inputs))  # warm-up: OpenCC dictionaries, regexes
    elapsed, cpu, cells = run(inputs, args.count, args.select)
    print(f"rules: {', '.join(args.select) if args.select else 'all'}")
    tracemalloc.start()
    run(inputs, min(args.count, 100))
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_kib = sum(len(d) for _, d in inputs) / len(inputs) / 1024
    print(f"inputs: {len(inputs)} distinct text reports (mean {size_kib:.1f} KiB), repeated to {args.count}")
    print(
        f"parse+check, one process: {args.count / elapsed:.0f} reports/s wall clock, "
        f"{args.count / cpu:.0f} reports/s of CPU time ({cpu * 1000 / args.count:.2f} ms CPU/report)"
    )
    print(f"cells read: {cells} ({cells / elapsed:.0f} cells/s)")
    print(
        f"peak Python heap during 100 reports: {traced_peak / 1024 / 1024:.1f} MiB; peak RSS: {rss_mib:.0f} MiB"
    )


if __name__ == "__main__":
    main()
