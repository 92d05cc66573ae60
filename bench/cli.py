"""The command line as a user meets it: start-up of `xxgk check one.txt` against `python -c pass`,
and `xxgk check --jobs 2 --format jsonl` over many distinct reports (wall time, CPU time of the
process tree, peak RSS summed over the tree, sampled every 0.1 s).

The reports are generated as in bench/parse_check.py (distinct numbers, five layouts, one in
three with tables that do not add up) into a temporary directory.

Start-up runs with compiled bytecode in a temporary PYTHONPYCACHEPREFIX (as an installed
package runs: pip byte-compiles on install), unless --no-pyc: with PYTHONDONTWRITEBYTECODE=1
every run compiles ~220 modules from source first. Start-up wall and CPU come from wait4 on
the one child, not from polling.

With --overhead, also the CPU per report of `xxgk check --jobs 1 --format jsonl` against a bare
read + check loop over the same files in one process: the difference is the command's own cost
per report (rendering the JSON, writing it; start-up spread over the files).

Run: .venv/bin/python bench/cli.py [--count 10000] [--jobs 2] [--runs 7] [--no-pyc] [--overhead]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from parse_check import generated  # noqa: E402

XXGK = [sys.executable, "-m", "xxgk.cli"]


def _tree_rss_kib(pid: int) -> int:
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            stack += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def timed(cmd: list[str], out=subprocess.DEVNULL, env=None) -> tuple[float, float, int]:
    """(wall s, CPU s of the process and its children, peak summed RSS in KiB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, env=env)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kib(proc.pid))
        time.sleep(0.1)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, peak


def one_run(cmd: list[str], env) -> tuple[float, float]:
    """(wall s, CPU s) of one short command, exact: no polling."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped here; keeps Popen from waiting again
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def startup(one: Path, runs: int, env) -> None:
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "xxgk check one.txt": [*XXGK, "check", str(one)],
        "xxgk --help": [*XXGK, "--help"],
    }
    for cmd in cases.values():  # writes the bytecode cache when there is one
        one_run(cmd, env)
    results = {name: [one_run(cmd, env) for _ in range(runs)] for name, cmd in cases.items()}
    floor_wall = statistics.median(r[0] for r in results["python -c pass"])
    for name, rs in results.items():
        wall, cpu = statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs)
        print(
            f"  {name:22s} wall {wall * 1000:5.0f} ms (x{wall / floor_wall:4.1f} python -c pass), CPU {cpu * 1000:5.0f} ms"
        )


def overhead(folder: Path, count: int, env) -> None:
    code = (
        "import sys, time; from xxgk import api; from xxgk.check import Context, check_report;"
        "paths = api.expand_inputs([sys.argv[1]]); t = time.process_time();"
        "[check_report(api.load_report(p), Context(options={})) for p in paths];"
        "print(time.process_time() - t)"
    )
    floor = float(subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True,
                                 check=True, env=env).stdout)  # fmt: skip
    _, cpu, _ = timed([*XXGK, "check", "--jobs", "1", "--format", "jsonl", str(folder)], env=env)
    print(
        f"overhead: bare read + check {floor * 1000 / count:.2f} ms per report, check --jobs 1 --format jsonl "
        f"{cpu * 1000 / count:.2f} ms: {(cpu - floor) * 1000 / count:.2f} ms per report"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=7, help="start-up runs (median)")
    parser.add_argument("--no-pyc", action="store_true", help="start-up without a bytecode cache")
    parser.add_argument("--overhead", action="store_true", help="also check --jobs 1 against a bare loop")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        folder = Path(tmp, "reports")
        folder.mkdir()
        for name, data in generated(args.count, seed=100_000):
            (folder / name).write_bytes(data)
        env = dict(os.environ)
        if not args.no_pyc:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp, "pycache"))
        bytecode = "from source" if args.no_pyc else "with a bytecode cache"
        print(f"start-up, {bytecode} (median of {args.runs}; load average {os.getloadavg()[0]:.1f}):")
        startup(next(folder.iterdir()), args.runs, env)
        with open(Path(tmp, "out.jsonl"), "wb") as out:
            wall, cpu, peak = timed(
                [*XXGK, "check", "--jobs", str(args.jobs), "--format", "jsonl", str(folder)], out, env
            )
        size = Path(tmp, "out.jsonl").stat().st_size / 1024 / 1024
        print(
            f"xxgk check --jobs {args.jobs} --format jsonl, {args.count} distinct reports: wall {wall:.1f} s, "
            f"CPU {cpu:.1f} s ({cpu * 1000 / args.count:.2f} ms per report), peak RSS {peak / 1024:.0f} MiB "
            f"(all processes), output {size:.0f} MiB; load average {os.getloadavg()[0]:.1f}"
        )
        if args.overhead:
            overhead(folder, args.count, env)


if __name__ == "__main__":
    main()
