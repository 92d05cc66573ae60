"""Memory against the number of reports: RSS by phase at 2k, 10k, 30k (and 100k) distinct reports.

Modes (each size in a fresh process, so each figure is its own):

- `parse`: what a worker does (read, check, JSON, MinHash, dataset rows: `process_files`
  without a cache) over the first N reports in one process, RSS at each size on the way;
  with `--trace`, tracemalloc's top allocation sites by growth between the last two sizes.
- `batch1`, `batch2`: the whole `run_batch` with 1 and 2 jobs, RSS sampled every 50 ms in a
  thread and split by phase (stream, cohort, finish): the parent's peak and end of each phase,
  the largest worker's peak; wall and CPU time.

The inputs are bench/batch.py's text reports (agencies over three years, consistent across
them), generated once into `--inputs` and kept: the first N of them are the same whatever the
largest size. Run:

    .venv/bin/python bench/memory.py --sizes 2000,10000,30000 --modes parse,batch1,batch2
    .venv/bin/python bench/memory.py --sizes 10000,30000 --modes parse --trace

Measured (2 cores shared with other work; main and this tree side by side, MiB):

    batch, 2 jobs      2k peak  10k peak  30k peak  stream 2k/10k/30k  cohort 30k  worker 30k
    main (609952f)        228       269       415   127 / 141 / 153        209         119
    this tree             218       251       381   126 / 135 / 146        178          90
    parse (one worker): +23.9 MiB from 2k to 10k on main, +6.5 here (6k -> 10k: +8.0, +0.7)

    batch, 2 jobs      10k peak  100k peak  stream 10k/100k  cohort peak 100k  finish peak 100k
    main (8d57301)          244        407       134 / 158               288               407
    h/memory (2026-12)      227        286       143 / 167               186               287
    (main's row from the last session on a quiet machine; this one with four helpers on the
    2 cores. The cohort works from its SQLite index, the build runs within 64MB after a
    malloc_trim; the stream still grows some 23 MiB from 10k to 100k.)
    main (22069a9)          227        282       135 / 159               183               282
    deferred Parquet        233        283       134 / 139               157               280
    + reports from stage    218        229       133 / 139               162               229
    (2026-12, quiet machine: cells and findings staged while streaming and written to
    Parquet at the end; the stream's growth was the Parquet writers' metadata and the heap
    it pinned. Then DuckDB's build reading the reports table from its kept Arrow stage and the
    long tables in default row groups: the whole run's peak grows 11 MiB from 10k to 100k.)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PER_FOLDER = 1000  # bench/batch.py's text_inputs: r{i}.txt in folder i // 1000

PROBE = r"""
import json, os, resource, sys, threading, time

def rss(pid="self"):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0

def children():
    out = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children") as f:
                out += f.read().split()
        except OSError:
            pass
    return out
"""

PARSE = (
    PROBE
    + r"""
from pathlib import Path
from xxgk.batch.worker import process_files, warm
args = json.loads(sys.argv[1])
warm()
files = sorted(str(p) for p in Path(args["inputs"]).glob("*/*.txt"))
marks = set(args["sizes"])
out, base, t = {}, rss(), time.process_time()
if args["trace"]:
    import tracemalloc
    tracemalloc.start(args["frames"])
snaps = []
for i in range(0, max(marks), 8):
    process_files([(p, f"{n:064x}", 0) for n, p in enumerate(files[i:i + 8], start=i)], {"seconds": None})
    if i + 8 in marks:
        out[i + 8] = rss()
        if args["trace"] and i + 8 in args["sizes"][-2:]:
            snaps.append(tracemalloc.take_snapshot())
top = []
if len(snaps) == 2:
    for stat in snaps[1].compare_to(snaps[0], "traceback")[:args["top"]]:
        frames = " <- ".join(f"{Path(fr.filename).name}:{fr.lineno}" for fr in stat.traceback)
        top.append((stat.size_diff / 1024, stat.count_diff, frames))
print(json.dumps({"base": base, "rss": out, "cpu": time.process_time() - t, "top": top}))
"""
)

BATCH = (
    PROBE
    + r"""
from pathlib import Path
from xxgk.batch.run import BatchOptions, run_batch
args = json.loads(sys.argv[1])
folders = [str(Path(args["inputs"]) / f"{k:02d}") for k in range(args["size"] // 1000)]
samples, done = [], threading.Event()
def sample():
    while not done.is_set():
        workers = [rss(pid) for pid in children()]
        samples.append((time.perf_counter(), rss(), max(workers, default=0.0)))
        time.sleep(0.05)
thread = threading.Thread(target=sample, daemon=True)
start = time.perf_counter()
thread.start()
p = run_batch(folders, args["out"], BatchOptions(jobs=args["jobs"]))
done.set(); thread.join()
wall = time.perf_counter() - start
usage = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
phases, edge = {}, start
for name, seconds in p.phases.items():
    inside = [s for s in samples if edge <= s[0] < edge + seconds] or [(edge, 0.0, 0.0)]
    phases[name] = {"peak": max(s[1] for s in inside), "end": inside[-1][1],
                    "worker": max(s[2] for s in inside)}
    edge += seconds
print(json.dumps({"total": p.total, "wall": wall, "phases": phases,
                  "peak": usage[0].ru_maxrss / 1024, "worker_peak": usage[1].ru_maxrss / 1024,
                  "cpu": sum(u.ru_utime + u.ru_stime for u in usage)}))
"""
)


def ensure_inputs(directory: Path, count: int) -> None:
    """bench/batch.py's first `count` text reports (generated once, then reused)."""
    marker = directory / "count"
    if marker.exists() and int(marker.read_text()) >= count:
        return
    sys.path[:0] = [str(ROOT / "bench")]
    from batch import text_inputs

    text_inputs(directory, count)
    marker.write_text(str(count))


def _run(code: str, args: dict) -> dict:
    result = subprocess.run([sys.executable, "-c", code, json.dumps(args)], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def parse_mode(inputs: Path, sizes: list[int], trace: bool, top: int, frames: int) -> None:
    r = _run(PARSE, {"inputs": str(inputs), "sizes": sizes, "trace": trace, "top": top, "frames": frames})
    rss = {int(k): v for k, v in r["rss"].items()}
    cpu = r["cpu"] / max(sizes) * 1000
    print(f"parse: RSS after warm-up {r['base']:.0f} MiB; {cpu:.2f} ms CPU/report"
          + (" (tracemalloc on)" if trace else ""), flush=True)  # fmt: skip
    last = None
    for n in sizes:
        grown = "" if last is None else f" ({rss[n] - rss[last]:+.1f} MiB since {last})"
        print(
            f"parse {n:>7}: RSS {rss[n]:.1f} MiB, +{rss[n] - r['base']:.1f} over warm-up{grown}", flush=True
        )
        last = n
    for kib, count, where in r["top"]:
        print(f"  {kib:+9.1f} KiB {count:+8d} blocks  {where}", flush=True)


def batch_mode(inputs: Path, sizes: list[int], jobs: int, work: Path) -> None:
    last = None
    for n in sizes:
        out = work / f"out-{n}-{jobs}"
        r = _run(BATCH, {"inputs": str(inputs), "size": n, "jobs": jobs, "out": str(out)})
        phases = "; ".join(
            f"{k} peak {v['peak']:.0f} end {v['end']:.0f}"
            + (f" worker {v['worker']:.0f}" if jobs > 1 else "")
            for k, v in r["phases"].items()
        )
        stream = r["phases"]["stream"]["peak"]
        grown = "" if last is None else f" (stream {stream - last:+.1f} MiB)"
        print(f"batch jobs={jobs} {n:>7}: {r['wall']:.1f} s wall, {r['cpu'] * 1000 / r['total']:.2f} ms CPU/report, "
              f"peak {r['peak']:.0f} MiB, worker {r['worker_peak']:.0f} MiB{grown}; {phases}", flush=True)  # fmt: skip
        last = stream
        subprocess.run(["rm", "-rf", str(out)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="2000,10000,30000")
    parser.add_argument("--modes", default="parse,batch1,batch2")
    parser.add_argument("--inputs", default=str(Path(tempfile.gettempdir()) / "xxgk-bench-memory"))
    parser.add_argument("--trace", action="store_true", help="tracemalloc in the parse mode (slow)")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--frames", type=int, default=3)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if any(n % PER_FOLDER for n in sizes):
        raise SystemExit(f"sizes are multiples of {PER_FOLDER}")
    inputs = Path(args.inputs)
    inputs.mkdir(parents=True, exist_ok=True)
    ensure_inputs(inputs, max(sizes))
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-memory-out-") as tmp:
        for mode in args.modes.split(","):
            if mode == "parse":
                parse_mode(inputs, sizes, args.trace, args.top, args.frames)
            else:
                batch_mode(inputs, sizes, int(mode.removeprefix("batch")), Path(tmp))


if __name__ == "__main__":
    main()
