"""python -m fuzz --budget 30m [--seed N] [--medium pdf,...] [--cases N] [--out DIR]"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from . import campaign, runner, seeds


def duration(text: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smh]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"无法识别的时长：{text}（例如 90s、30m、2h）")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description="xxgk 读取器与台账导入导出的模糊测试")
    parser.add_argument(
        "--budget", type=duration, default=None, help="时间预算，如 30m（默认：不限，需给 --cases）"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--medium", default=",".join(seeds.MEDIA), help="逗号分隔：" + ",".join(seeds.MEDIA))
    parser.add_argument("--cases", type=int, default=None, help="每种介质的用例数上限")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"), help="保存失败输入的目录")
    parser.add_argument(
        "--timeout", type=float, default=runner.DEFAULT_TIMEOUT, help="每个用例的时间上限（秒）"
    )
    parser.add_argument(
        "--memory-mb", type=int, default=runner.DEFAULT_MEMORY // 2**20, help="每个用例的 RLIMIT_AS"
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    media = [m.strip() for m in args.medium.split(",") if m.strip()]
    unknown = [m for m in media if m not in seeds.MEDIA]
    if unknown:
        parser.error(f"未知的介质：{','.join(unknown)}")
    if args.budget is None and args.cases is None:
        args.budget = 30 * 60.0
    started = time.monotonic()

    def progress(outcome: runner.Outcome) -> None:
        if outcome.status == "fail":
            print(f"FAIL {outcome.job.key} {outcome.kind}: {outcome.message.splitlines()[-1][:160] if outcome.message else ''}",
                  flush=True)  # fmt: skip

    summaries, failures = campaign.campaign(
        media, seed=args.seed, cases=args.cases, budget=args.budget, out=args.out, workers=args.workers,
        timeout=args.timeout, memory=args.memory_mb * 2**20, progress=progress,
    )  # fmt: skip
    print(campaign.summary_table(summaries))
    print(f"{time.monotonic() - started:.0f} s, seed {args.seed}")
    if failures:
        print(f"{len(failures)} 个失败用例已保存到 {args.out}/")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
