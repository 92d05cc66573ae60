"""The ledger at 10,000 cases: import from CSV and XLSX (every row checked, the histories
replayed through the domain's validation) and the year report from them, on SQLite and —
when the PostgreSQL binaries are installed, or --postgresql URL is given — on PostgreSQL.

The cases come from tests/ledger/simulate.py (realistic histories with corrections, voids,
amendments, reviews). Prints wall-clock seconds per step.
Run: .venv/bin/python bench/ledger.py [--cases 10000] [--postgresql URL | --no-postgresql]
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from xxgk.ledger import domain
from xxgk.ledger.importexport import export_ledger, import_file
from xxgk.ledger.stats import year_report
from xxgk.ledger.store import Ledger
from xxgk.source import write_source

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "ledger"))
from simulate import simulate  # noqa: E402

YEAR = 2025


@contextmanager
def timed(label: str, note: str = ""):
    start = time.perf_counter()
    yield
    print(f"  {label:<38} {time.perf_counter() - start:7.2f} s  {note}", flush=True)


def seed_files(count: int, tmp: Path) -> tuple[Path, Path]:
    with timed(f"simulate {count} cases"):
        sims = simulate(seed=2025, cases=count)
    events = sum(len(s.events) for s in sims)
    with Ledger.open(tmp / "seed.sqlite3") as seed:
        with timed("bulk insert (no checks)", f"{events} events"):
            seed.import_histories([(s.case, s.events) for s in sims], "bench")
        csv_path, xlsx_path = tmp / "cases.csv", tmp / "cases.xlsx"
        with timed("export CSV"):
            export_ledger(seed, csv_path)
        with timed("export XLSX"):
            export_ledger(seed, xlsx_path)
    kib = f"CSV {csv_path.stat().st_size // 1024} KiB, XLSX {xlsx_path.stat().st_size // 1024} KiB"
    print(f"  files: {kib}")
    return csv_path, xlsx_path


def run_backend(name: str, urls: list[str], csv_path: Path, xlsx_path: Path, tmp: Path) -> None:
    print(f"{name}:")
    for url, path in zip(urls, (csv_path, xlsx_path), strict=True):
        with Ledger.open(url) as ledger, timed(f"import {path.suffix[1:].upper()}"):
            cases, events = import_file(ledger, path, "bench")
    print(f"  imported {cases} cases, {events} events")
    with Ledger.open(urls[0]) as ledger:
        with timed(f"read histories received before {YEAR + 1}"):
            histories = list(ledger.cases(received_before=date(YEAR + 1, 1, 1)))
        with timed(f"year report {YEAR} (表三, 表四)"):
            report = year_report(histories, YEAR, "基准测试局")
        with timed("write report source"):
            write_source(report, tmp / f"{name}-{YEAR}.yaml", force=True)
        print(
            f"  新收 {report.value('applications/received/total')}，上年结转 "
            f"{report.value('applications/carried_over/total')}，结转下年度 "
            f"{report.value('applications/carried_forward/total')}"
        )
        with timed("to-do: state of every case"):
            overdue = sum(
                1
                for case, events in ledger.cases()
                if (s := domain.case_state(case, events, date(YEAR, 12, 31))).deadline
                and s.deadline.due < date(YEAR, 12, 31)
            )
        print(f"  overdue on {YEAR}-12-31: {overdue}")


@contextmanager
def throwaway_postgresql():
    """A PostgreSQL server in a temporary directory (as user postgres when run as root)."""
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not dirs:
        yield None
        return
    bindir, root = Path(dirs[-1]), Path(tempfile.mkdtemp(prefix="xxgk-bench-pg-"))
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(root, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = str(root / "data")
    run = {"check": True, "capture_output": True}
    subprocess.run(
        [
            *as_user,
            str(bindir / "initdb"),
            "-D",
            data,
            "-U",
            "postgres",
            "--auth=trust",
            "--no-locale",
            "-E",
            "UTF8",
        ],
        **run,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1"
    subprocess.run(
        [*as_user, str(bindir / "pg_ctl"), "-D", data, "-l", str(root / "log"), "-o", options, "-w", "start"],
        **run,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*as_user, str(bindir / "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"], capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)


def create_databases(server: str, names: list[str]) -> list[str]:
    import psycopg

    with psycopg.connect(f"{server.replace('+psycopg', '')}/postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
    return [f"{server}/{name}" for name in names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument(
        "--postgresql", help="a server URL without database, e.g. postgresql+psycopg://u@host:5432"
    )
    parser.add_argument("--no-postgresql", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        print(f"seed ({args.cases} cases):")
        csv_path, xlsx_path = seed_files(args.cases, tmp)
        run_backend("sqlite", [str(tmp / "csv.sqlite3"), str(tmp / "xlsx.sqlite3")], csv_path, xlsx_path, tmp)
        if args.no_postgresql:
            return
        if args.postgresql:
            urls = create_databases(args.postgresql, ["xxgk_bench_csv", "xxgk_bench_xlsx"])
            run_backend("postgresql", urls, csv_path, xlsx_path, tmp)
            return
        with throwaway_postgresql() as server:
            if server is None:
                print("postgresql: skipped (no /usr/lib/postgresql/*/bin)")
                return
            urls = create_databases(server, ["bench_csv", "bench_xlsx"])
            run_backend("postgresql", urls, csv_path, xlsx_path, tmp)


if __name__ == "__main__":
    main()
