"""The web app, measured over loopback: the time from upload to a rendered report page for a
text, a DOCX and a PDF report (job queue, a worker process, the check, the page), and
requests per second for a report page with 20 concurrent clients. One `xxgk serve` process
with one worker on a fresh SQLite database (or --db URL). Bounded loops; prints figures.
Run: .venv/bin/python bench/web.py [--rounds 3] [--requests 25] [--db URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "web"))
from servers import serving  # noqa: E402
from websupport import DOCX_2025, PASSWORD, PDF_2025, WRONG_TXT, csrf_of  # noqa: E402

from xxgk.accounts.users import add_user  # noqa: E402
from xxgk.orgs import OrgSpec, add_org  # noqa: E402
from xxgk.store import open_database  # noqa: E402

CLIENTS = 20
MEDIA = [("text", WRONG_TXT), ("DOCX", DOCX_2025), ("PDF", PDF_2025)]


def prepare(db_url: str) -> None:
    db = open_database(db_url)
    with db.write() as session:
        add_org(session, "bench", OrgSpec("示例县交通运输局", "政府部门", "县"))
        add_user(session, "bench", "clerk", "clerk", "示例县交通运输局", PASSWORD)
    db.close()


def sign_in(base: str) -> tuple[dict, str]:
    client = httpx.Client(base_url=base)
    response = client.post(
        "/login",
        data={"login": "clerk", "password": PASSWORD, "csrf_token": csrf_of(client.get("/login").text)},
    )
    assert response.status_code == 303, response.text
    cookies = {"xxgk_session": response.cookies["xxgk_session"]}
    return cookies, csrf_of(httpx.get(f"{base}/reports", cookies=cookies).text)


def upload_to_page(client: httpx.Client, csrf: str, path: Path) -> float:
    """Seconds from sending the file to holding the rendered, checked report page."""
    start = time.perf_counter()
    response = client.post(
        "/reports", data={"csrf_token": csrf}, files={"files": (path.name, path.read_bytes())}
    )
    url = response.headers["location"]
    deadline = start + 300
    while "hx-refresh" not in client.get(f"{url}/status").headers:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"{path.name}: not done within 300 s")
        time.sleep(0.05)  # the page itself polls every second; this measures the work, not the poll
    page = client.get(url)
    assert 'id="summary"' in page.text, page.text[:500]
    return time.perf_counter() - start


def page_throughput(base: str, cookies: dict, url: str, per_client: int) -> tuple[float, int]:
    def one_client(_: int) -> int:
        with httpx.Client(base_url=base, cookies=cookies) as client:
            return sum(client.get(url).status_code == 200 for _ in range(per_client))

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        ok = sum(pool.map(one_client, range(CLIENTS)))
    return time.perf_counter() - start, ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=25, help="report page requests per client")
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = args.db or str(Path(tmp) / "bench.sqlite3")
        prepare(db_url)
        with serving(db_url, Path(tmp), workers=1) as served:
            base = served.base
            cookies, csrf = sign_in(base)
            client = httpx.Client(base_url=base, cookies=cookies, timeout=300)
            print(f"upload → rendered report page (median of {args.rounds}, one worker):")
            for label, path in MEDIA:
                times = [upload_to_page(client, csrf, path) for _ in range(args.rounds)]
                print(
                    f"  {label:5} {path.name}: {statistics.median(times):.2f} s "
                    f"(min {min(times):.2f}, max {max(times):.2f})"
                )
            url = client.get("/api/reports").json()["reports"][-1]["url"].replace("/api", "")
            seconds, ok = page_throughput(base, cookies, url, args.requests)
            total = CLIENTS * args.requests
            print(
                f"report page {url}: {CLIENTS} concurrent clients × {args.requests} requests: "
                f"{total / seconds:.1f} requests/s ({ok}/{total} OK, {seconds:.1f} s)"
            )


if __name__ == "__main__":
    main()
