"""A fuzzing campaign: cases generated round-robin over the media, run, summarised; failing
inputs saved for reproduction."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

from . import mutate, runner, seeds, targets


@dataclass
class MediumSummary:
    cases: int = 0
    ok: int = 0
    errors: int = 0
    failures: Counter = field(default_factory=Counter)
    slowest: tuple[float, str] = (0.0, "")
    peak_rss_mb: float = 0.0

    def add(self, outcome: runner.Outcome) -> None:
        self.cases += 1
        if outcome.status == "ok":
            self.ok += 1
        elif outcome.status == "error":
            self.errors += 1
        else:
            self.failures[outcome.kind] += 1
        if outcome.seconds > self.slowest[0]:
            self.slowest = (outcome.seconds, outcome.job.key)
        self.peak_rss_mb = max(self.peak_rss_mb, outcome.rss_mb)


def jobs(media: list[str], seed: int, cases: int | None) -> Iterator[runner.Job]:
    """Case i of a medium depends only on (seed, medium, i)."""
    pool = seeds.seeds(tuple(media))
    i = 0
    while cases is None or i < cases:
        for medium in media:
            rng = Random(f"{seed}:{medium}:{i}")
            name, data = rng.choice(pool[medium])
            mutant = mutate.mutate(medium, rng, data)
            suffix = os.path.splitext(name)[1] if rng.random() < 0.8 else rng.choice((".txt", ".bin", ""))
            if medium in ("csv", "xlsx"):
                suffix = "." + medium  # the ledger chooses the reader by the extension
            job = runner.Job(
                f"{medium}-{i:05d}", targets.TARGETS[medium], mutant.data, suffix, mutant.hostile_xml,
                {"medium": medium, "seed_file": name, "ops": mutant.ops},
            )  # fmt: skip
            del mutant  # the runner drops the job's bytes once on disk: no other reference here
            yield job
            del job
        i += 1


def save_failure(outcome: runner.Outcome, folder: Path) -> Path:
    job = outcome.job
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{job.key}-{outcome.kind}{job.suffix}"
    path.write_bytes(job.data)
    note = [
        f"种子文件：{job.extra.get('seed_file')}",
        f"变异：{'; '.join(job.extra.get('ops', []))}",
        f"结果：{outcome.kind}（{outcome.seconds:.1f} 秒，峰值 {outcome.rss_mb:.0f} MB）",
        "",
        outcome.message,
    ]
    if outcome.stderr and outcome.kind != "stderr":
        note += ["", "标准错误输出：", outcome.stderr]
    path.with_name(path.name + ".txt").write_text("\n".join(note) + "\n", encoding="utf-8")
    return path


def campaign(
    media: list[str],
    *,
    seed: int = 0,
    cases: int | None = None,
    budget: float | None = None,
    out: Path | None = None,
    workers: int = 2,
    timeout: float = runner.DEFAULT_TIMEOUT,
    memory: int = runner.DEFAULT_MEMORY,
    progress=None,
) -> tuple[dict[str, MediumSummary], list[runner.Outcome]]:
    summaries = {m: MediumSummary() for m in media}
    failures: list[runner.Outcome] = []
    deadline = time.monotonic() + budget if budget else None
    targets.preload()
    for outcome in runner.run_jobs(
        jobs(media, seed, cases), workers=workers, timeout=timeout, memory=memory, deadline=deadline
    ):
        summaries[outcome.job.extra["medium"]].add(outcome)
        if outcome.status == "fail":
            failures.append(outcome)
            if out is not None:
                save_failure(outcome, out / outcome.job.extra["medium"])
        if progress:
            progress(outcome)
    return summaries, failures


def summary_table(summaries: dict[str, MediumSummary]) -> str:
    lines = [
        f"{'medium':<7} {'cases':>6} {'ok':>6} {'errors':>6} {'fail':>5}  {'slowest':<22} {'peak RSS':>9}  failures"
    ]
    total = MediumSummary()
    for medium, s in summaries.items():
        fails = sum(s.failures.values())
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(s.failures.items())) or "-"
        slow = f"{s.slowest[0]:.2f}s {s.slowest[1]}"
        lines.append(
            f"{medium:<7} {s.cases:>6} {s.ok:>6} {s.errors:>6} {fails:>5}  {slow:<22} {s.peak_rss_mb:>6.0f} MB  {kinds}"
        )
        total.cases += s.cases
        total.ok += s.ok
        total.errors += s.errors
        total.failures.update(s.failures)
        total.slowest = max(total.slowest, s.slowest)
        total.peak_rss_mb = max(total.peak_rss_mb, s.peak_rss_mb)
    fails = sum(total.failures.values())
    slow = f"{total.slowest[0]:.2f}s {total.slowest[1]}"
    lines.append(
        f"{'total':<7} {total.cases:>6} {total.ok:>6} {total.errors:>6} {fails:>5}  {slow:<22} {total.peak_rss_mb:>6.0f} MB"
    )
    return "\n".join(lines)
