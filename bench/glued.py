"""Time of splitting glued digits (extract/digitsplit.py) on random consistent 2021 tables.

Each row of table 三 (25 rows x 7 cells = 175) and table 四 (15 cells in one run) is written
as one digit string, as a crawler that lost the cell separators leaves it; the solver splits
them back by the table's identities. Prints the time per table and how many rows came back
resolved (all of them right: a wrong split stops the run).

    .venv/bin/python bench/glued.py [--tables 50] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from layouts import FMT, cell_text, consistent_tables  # noqa: E402
from xxgk.extract.digitsplit import Run, solve  # noqa: E402


def runs_of(table_key: str, values: dict, whole: bool) -> tuple[list[Run], list[tuple]]:
    """The table's rows as glued runs (or one run for the whole table), and the true values."""
    table = FMT.table(table_key)
    groups = [table.rows] if whole else [[row] for row in table.rows]
    runs, truth = [], []
    for rows in groups:
        refs = tuple(f"{table.key}/{r.key}/{f.key}" for r in rows for f in r.fields)
        kinds = tuple(FMT.fields_by_ref[ref][2].kind for ref in refs)
        runs.append(Run(refs, ("".join(cell_text(values[ref]) for ref in refs),), kinds))
        truth.append(tuple(cell_text(values[ref]) for ref in refs))
    return runs, truth


def sparse_tables(rng: random.Random) -> dict:
    """Small counts, mostly 0 (as most real tables are): short runs, more splits per row."""
    values = consistent_tables(rng)  # table 二 and the fee; table 三 and 四 redrawn small
    apps, reviews = FMT.table("applications"), FMT.table("reviews")
    columns = [f.key for f in apps.rows[0].fields if f.key != "total"]
    outcome = [r.key for r in apps.rows if r.outcome]

    def draw() -> int:
        return 0 if rng.random() < 0.6 else rng.randint(1, 9)

    for col in columns:
        for row in outcome:
            values[f"applications/{row}/{col}"] = draw()
        done = sum(values[f"applications/{row}/{col}"] for row in outcome)
        forward = draw()
        over = rng.randint(0, min(9, done + forward))
        values |= {
            f"applications/total/{col}": done,
            f"applications/carried_over/{col}": over,
            f"applications/carried_forward/{col}": forward,
            f"applications/received/{col}": done + forward - over,
        }
    for row in apps.rows:
        values[f"applications/{row.key}/total"] = sum(values[f"applications/{row.key}/{c}"] for c in columns)
    for row in reviews.rows:
        four = [draw() for _ in range(4)]
        for key, value in zip(("upheld", "corrected", "other", "pending"), four, strict=True):
            values[f"reviews/{row.key}/{key}"] = value
        values[f"reviews/{row.key}/total"] = sum(four)
    return values


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for name, draw in (("values 0-699, all distinct", consistent_tables), ("sparse 0-9", sparse_tables)):
        rng = random.Random(args.seed)
        print(f"{name}:")
        for key, whole in (("applications", False), ("reviews", True)):
            bench(key, whole, [draw(rng) for _ in range(args.tables)])


def bench(key: str, whole: bool, tables: list[dict]) -> None:
    identities = [i for i in FMT.identities if i.refs[0].startswith(key + "/")]
    times, resolved, total = [], 0, 0
    for values in tables:
        runs, truth = runs_of(key, values, whole)
        started = time.perf_counter()
        outcomes = solve(runs, identities, {})
        times.append(time.perf_counter() - started)
        for outcome, want in zip(outcomes, truth, strict=True):
            total += 1
            if outcome.parts is not None:
                assert outcome.parts == want, (outcome.parts, want)
                resolved += 1
    cells = sum(len(r.refs) for r in runs)
    print(
        f"  {key}: {cells} cells per table, {len(tables)} tables: "
        f"median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms; "
        f"runs resolved {resolved}/{total}, 0 wrong"
    )


if __name__ == "__main__":
    main()
