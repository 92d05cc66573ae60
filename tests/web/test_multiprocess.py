"""Two app processes against one database (as behind a load balancer): sessions, CSRF
tokens, the login throttle and jobs are shared, because none of them lives in a process."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import httpx
from servers import serving
from websupport import PASSWORD, WRONG_TXT

from xxgk.accounts.sessions import MAX_PER_LOGIN


def login(base: str, name: str, password: str) -> httpx.Response:
    client = httpx.Client(base_url=base)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    return client.post("/login", data={"login": name, "password": password, "csrf_token": token})


def test_two_app_processes_share_sessions_throttle_and_jobs(world, db_url, tmp_path):
    with serving(db_url, tmp_path, workers=1) as served_a, serving(db_url, tmp_path, workers=0) as served_b:
        a, b = served_a.base, served_b.base
        workers = served_a.children()
        assert len(workers) == 1 and served_b.children() == []
        signed_in = login(a, "jiaotong", PASSWORD)
        assert signed_in.status_code == 303
        cookies = {"xxgk_session": signed_in.cookies["xxgk_session"]}
        on_b = httpx.Client(base_url=b, cookies=cookies)
        page = on_b.get("/reports")
        assert page.status_code == 200 and "jiaotong（经办人员）" in page.text
        csrf = re.search(
            r'name="csrf_token" value="([^"]+)"', httpx.get(f"{a}/reports", cookies=cookies).text
        )[1]
        # a form from process A is accepted by process B; the job is run by A's worker
        upload = on_b.post(
            "/reports", data={"csrf_token": csrf}, files={"files": ("a.txt", WRONG_TXT.read_bytes())}
        )
        assert upload.status_code == 303
        url = upload.headers["location"]
        deadline = time.monotonic() + 60
        while on_b.get(f"/api/reports/{url.rsplit('/', 1)[1]}").json()["status"] != "done":
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert 'class="mark-error' in on_b.get(url).text
        # failures counted on both processes lock the login on both
        for i in range(MAX_PER_LOGIN):
            assert login(a if i % 2 else b, "sifa", "wrong-password").status_code == 401
        assert login(a, "sifa", PASSWORD).status_code == 429
        assert login(b, "sifa", PASSWORD).status_code == 429
    # stopping a server stops the worker it started
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]


def test_a_worker_whose_server_was_killed_stops_by_itself(world, db_url, tmp_path):
    with serving(db_url, tmp_path, workers=1) as served:
        (worker,) = served.children()
        os.kill(served.pid, signal.SIGKILL)
        deadline = time.monotonic() + 15
        while Path(f"/proc/{worker}").exists() and _state(worker) != "Z":
            assert time.monotonic() < deadline, "the orphaned worker still runs"
            time.sleep(0.2)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"
