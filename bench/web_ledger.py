"""The ledger in the web app, measured over loopback against one `xxgk serve` process (no job
workers) on a fresh database: importing 10,000 cases with their events from XLSX through the
import page (upload, every row checked, all rows written), the year's statistics page for
them (表三 and 表四 computed from every history), the list of one cell's cases, the case list
and today's work. Prints each time and the server's peak resident memory (VmHWM).
The target of issue 16: the import and the statistics page each under 15 s.

The cases are tests/ledger/simulate.py's realistic histories (corrections, voids, amendments,
reviews), received in 2025 and the last quarter of 2024, exported to XLSX by the library.
Run: .venv/bin/python bench/web_ledger.py [--cases 10000] [--db URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "web"))
sys.path.insert(0, str(ROOT / "tests" / "ledger"))
from servers import serving  # noqa: E402
from websupport import PASSWORD, csrf_of  # noqa: E402

from web import prepare  # noqa: E402  (bench/web.py: an org and its clerk)

YEAR = 2025
TARGET_SECONDS = 15


def make_xlsx(cases: int, folder: Path) -> Path:
    from simulate import simulate  # tests/ledger

    from xxgk.ledger.importexport import export_ledger
    from xxgk.ledger.store import Ledger

    sims = simulate(seed=16, cases=cases, first=date(YEAR, 1, 1), last=date(YEAR, 12, 31))
    path = folder / "台账.xlsx"
    with Ledger.open(folder / "seed.sqlite3") as seed:
        seed.import_histories([(s.case, s.events) for s in sims], "bench")
        export_ledger(seed, path)
    events = sum(len(s.events) for s in sims)
    print(f"file: {cases} cases, {events} events, {path.stat().st_size / 1e6:.1f} MB")
    return path


def sign_in(base: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=600)
    token = csrf_of(client.get("/login").text)
    client.post("/login", data={"login": "clerk", "password": PASSWORD, "csrf_token": token})
    return client, csrf_of(client.get("/ledger/import").text)


def timed(label: str, call) -> float:
    start = time.perf_counter()
    response = call()
    seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{label}: HTTP {response.status_code}\n{response.text[:2000]}")
    print(f"{label}: {seconds:.2f} s")
    return seconds


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--db", help="a postgresql:// URL of an empty database (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        folder = Path(tmp)
        xlsx = make_xlsx(args.cases, folder)
        db_url = args.db or str(folder / "app.sqlite3")
        prepare(db_url)
        with serving(db_url, folder, workers=0) as served:
            client, token = sign_in(served.base)
            files = {"file": (xlsx.name, xlsx.read_bytes())}
            data = {"csrf_token": token, "accept_warnings": "on"}
            imported = timed(
                "import page (XLSX)", lambda: client.post("/ledger/import", data=data, files=files)
            )
            stats = timed(f"statistics page {YEAR}", lambda: client.get(f"/ledger/stats?year={YEAR}"))
            ref = f"applications/received/natural_person&year={YEAR}"
            timed("one cell's cases", lambda: client.get(f"/ledger/stats/cell?ref={ref}"))
            timed("case list (all)", lambda: client.get("/ledger/cases"))
            timed("today's work", lambda: client.get("/ledger"))
            print(f"server peak RSS: {peak_rss_mb(served.pid):.0f} MB")
    verdict = "met" if max(imported, stats) < TARGET_SECONDS else "NOT met"
    print(f"target (import and statistics each under {TARGET_SECONDS} s): {verdict}")


if __name__ == "__main__":
    main()
