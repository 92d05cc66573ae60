"""`xxgk batch` throughput: files/s for text reports (1 job and all jobs), DOCX and PDF, peak memory.

Generates the inputs first (distinct random consistent reports in the five text layouts of
tests/layouts.py; DOCX with tests/pdfmaker.py; PDFs converted once by LibreOffice and made
distinct by a trailing comment), then times whole runs of `run_batch` into fresh directories,
dataset included. Run:

    .venv/bin/python bench/batch.py                 # 10,000 text, 200 DOCX, 50 PDF
    .venv/bin/python bench/batch.py --text 1000 --docx 0 --pdf 0

Each run is a fresh process, so its peak RSS (and its largest worker's) is its own; "text2k"
runs the first 2,000 text files, to compare memory at a fifth of the size; "resume" runs the
text batch again over the same directory (every file cached); "overhead" is the CPU per file of
the batch with one job less that of a bare read + check loop over the same files (the batch's
figure includes its imports). Besides wall time each run
prints its CPU seconds per file (this process and its workers, user + system): other work on
a shared machine slows the wall clock, less so the CPU time.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "batch")]

from cohortmaker import prose, tables  # noqa: E402

from layouts import LAYOUTS, consistent_tables, prose_with_numbers, write_layout  # noqa: E402
from xxgk.batch.executor import default_jobs  # noqa: E402

# the first ten for DOCX; the rest give more than 84,000 text reports distinct agencies
ORGANS = ("司法局", "民政局", "教育局", "财政局", "商务局", "统计局", "审计局", "公安局", "水利局", "林业局",
          "交通运输局", "文化和旅游局", "卫生健康委员会", "应急管理局", "市场监督管理局")  # fmt: skip
PLACES = (
    "杭州市滨江区",
    "杭州市西湖区",
    "宁波市鄞州区",
    "南京市鼓楼区",
    "武汉市硚口区",
    "成都市武侯区",
)  # DOCX


def agencies(count: int) -> list[str]:
    """Distinct agencies of real counties (the division table), one organ after another."""
    from xxgk.batch.regions import divisions

    table = divisions()
    counties = sorted((d for d in table.by_code.values() if d.level == "county"), key=lambda d: d.code)
    names = [table.full_name(c) + organ for organ in ORGANS for c in counties]
    return names[:count]


def text_inputs(directory: Path, count: int, seed: int = 1) -> None:
    """`count` text reports: agencies reporting for 2022, 2023 and 2024 (consistent across the
    years), with random prose."""
    rng = random.Random(seed)
    names = agencies(count // 3 + 1)
    values = None
    for i in range(count):
        unit, year = divmod(i, 3)
        year += 2022
        agency = names[unit]
        values = tables(rng, values if year > 2022 else None)  # each year continues the last
        text = write_layout(LAYOUTS[i % 5], values, prose(rng), agency, year)
        path = directory / f"{i // 1000:02d}" / f"r{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + f"\n\n{agency}\n{year + 1}年1月{1 + i % 28}日\n", encoding="utf-8")


def docx_inputs(directory: Path, count: int, seed: int = 2) -> None:
    from pdfmaker import report_docx

    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        data = report_docx(
            consistent_tables(rng), prose_with_numbers(rng), agency=f"{PLACES[i % 6]}{ORGANS[i % 10]}"
        )
        (directory / f"d{i:04d}.docx").write_bytes(data)


def pdf_inputs(directory: Path, count: int, seed: int = 3) -> None:
    from pdfmaker import docx_to_pdf, report_docx

    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    bases = [
        docx_to_pdf(report_docx(consistent_tables(rng), prose_with_numbers(rng)))
        for _ in range(min(5, count))
    ]
    for i in range(count):
        (directory / f"p{i:04d}.pdf").write_bytes(bases[i % len(bases)] + f"\n%bench {i}\n".encode())


def bare(inputs: list[Path]) -> float:
    """CPU seconds per file of a bare read + check loop over the same files, in a fresh process
    (less its imports): what `xxgk batch --jobs 1` adds beyond it is the batch's overhead."""
    code = (
        "import json, sys, time; from xxgk import api; from xxgk.check import Context, check_report;"
        f"paths = api.expand_inputs({[str(i) for i in inputs]!r}); t = time.process_time();"
        "[check_report(api.load_report(p), Context(options={})) for p in paths];"
        "print(json.dumps({'cpu': time.process_time() - t, 'n': len(paths)}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    r = json.loads(result.stdout.strip().splitlines()[-1])
    return r["cpu"] / r["n"]


def timed(label: str, inputs: list[Path], jobs: int, work: Path, resume: bool = False) -> float:
    """One whole run in a fresh process (its own peak memory); `resume`: again over the same
    directory, every file cached."""
    out = work / f"out-{label}-{jobs}"
    if not resume:
        shutil.rmtree(out, ignore_errors=True)
    code = (
        "import json, resource, sys, time; from xxgk.batch.run import BatchOptions, run_batch;"
        f"t = time.perf_counter(); p = run_batch({[str(i) for i in inputs]!r}, {str(out)!r}, BatchOptions(jobs={jobs}));"
        "print(json.dumps({'wall': time.perf_counter() - t, 'total': p.total, 'read': p.read, 'cached': p.cached,"
        "'failed': p.failed_total, 'phases': p.phases,"
        "'rss': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,"
        "'workers': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,"
        "'cpu': sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)"
        " for f in ('ru_utime', 'ru_stime'))}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    r = json.loads(result.stdout.strip().splitlines()[-1])
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in r["phases"].items())
    kind = f"resume ({r['cached']} cached)" if resume else f"jobs={jobs}"
    print(f"{label:>6} {kind}: {r['total']} files in {r['wall']:.1f} s = {r['total'] / r['wall']:.1f} files/s "
          f"({r['failed']} failed; {phases}); CPU {r['cpu'] * 1000 / r['total']:.1f} ms/file; "
          f"peak RSS {r['rss']:.0f} MiB, largest worker {r['workers']:.0f} MiB",
          flush=True)  # fmt: skip
    return r["cpu"] / r["total"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--text", type=int, default=10_000)
    parser.add_argument("--docx", type=int, default=200)
    parser.add_argument("--pdf", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-batch-") as tmp:
        work = Path(tmp)
        for label, count, make in (("text", args.text, text_inputs), ("docx", args.docx, docx_inputs),
                                   ("pdf", args.pdf, pdf_inputs)):  # fmt: skip
            if not count:
                continue
            start = time.perf_counter()
            make(work / label, count)
            print(f"{label:>6}: generated {count} inputs in {time.perf_counter() - start:.1f} s", flush=True)
            if label == "text" and count > 2000:  # memory at a fifth of the size, for comparison
                timed("text2k", [work / label / "00", work / label / "01"], args.jobs, work)
            jobs = (1, args.jobs) if label == "text" and args.jobs > 1 else (args.jobs,)
            cpu = {n: timed(label, [work / label], n, work) for n in jobs}
            if label == "text" and 1 in cpu:
                floor = bare([work / label])
                print(f"{label:>6} overhead: bare read + check {floor * 1000:.2f} ms/file, batch jobs=1 "
                      f"{cpu[1] * 1000:.2f} ms/file: {(cpu[1] - floor) * 1000:.2f} ms/file", flush=True)  # fmt: skip
            if label == "text":
                timed(label, [work / label], args.jobs, work, resume=True)


if __name__ == "__main__":
    main()
