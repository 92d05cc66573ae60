"""The incremental scoring of alignment candidates (extract/scoring.py) against the full score."""

from __future__ import annotations

from decimal import Decimal

from xxgk.extract.align import choose, fit, identity_score
from xxgk.extract.scoring import compiled, holds, scores
from xxgk.extract.tokens import line_tokens
from xxgk.formats import FORMAT_2021
from xxgk.formats.base import Identity

A = Identity("t1", "row_total", "a", ("t/r/total",), ("t/r/x", "t/r/y"))
B = Identity("t2", "balance", "b", ("t/r/x",), ("t/s/x",))


def test_holds_and_score():
    values = {"t/r/total": 5, "t/r/x": 2, "t/r/y": 3, "t/s/x": 2}
    assert holds(A.left, A.right, values) is True
    assert holds(B.left, B.right, {**values, "t/s/x": 4}) is False
    assert holds(B.left, B.right, {"t/r/x": None, "t/s/x": None}) is None  # all blank
    assert holds(B.left, B.right, {"t/r/x": 1}) is None  # a cell not read
    assert identity_score([A, B], {**values, "t/s/x": 4}) == 0


def test_plan_splits_own_cells_and_is_kept():
    table = compiled((A, B))
    plan = table.plan(["t/r/x", "t/r/y"])
    assert plan == [(("t/r/total",), (), (), (0, 1)), ((), ("t/s/x",), (0,), ())]
    assert table.plan(("t/r/x", "t/r/y")) is plan
    assert compiled((A, B)) is not table  # another identities object: compiled anew
    identities = FORMAT_2021.table_identities("applications")
    assert compiled(identities) is compiled(identities)


def test_scores_match_full_scores():
    values = {"t/r/total": 5, "t/s/x": 2}
    candidates = [(2, 3), (3, 2), (None, None), (5, None)]
    plan = compiled((A, B)).plan(["t/r/x", "t/r/y"])
    full = [identity_score([A, B], {**values, "t/r/x": x, "t/r/y": y}) for x, y in candidates]
    assert full == [2, 0, -2, 0]
    assert scores(plan, values, candidates) == full
    # t/s/x not read: B counts for no candidate, A alone ranks them.
    assert scores(plan, {"t/r/total": 5}, candidates) == [1, 1, -1, 1]


def test_choose_moves_a_blank_when_identities_say_so():
    total = fit(["t/r/total"], line_tokens("2", {"line": 1}, 0))
    row = fit(["t/r/x", "t/r/y"], line_tokens("\t2\t3", {"line": 2}, 1))  # a blank cell, then two numbers
    assert (total.exact, row.exact, len(row.candidates)) == (True, True, 2)
    choose([total, row], (A,))
    assert (row.choice, row.tied, row.values(row.choice)) == (1, [1], (None, 2))
    choose([total, row], (B,))  # no identity decides: the row keeps what it read
    assert (row.choice, row.tied) == (0, [0])


def test_running_sums_follow_the_readings():
    from xxgk.extract.running import Running, integral, touches

    table = compiled((A, B))
    values = {"t/r/total": 5, "t/r/x": 2, "t/r/y": None, "t/s/x": 2}
    running = Running(table, values)
    assert (running.sums, running.filled, running.absent) == ([[5, 2], [2, 2]], [2, 2], [0, 0])
    assert running.failing_refs({"t/r/x"}) == {"t/r/total", "t/r/x", "t/r/y"}
    plan = touches(table, ["t/r/x", "t/r/y"])
    assert plan == [(0, (), (0, 1), (), ("t/r/x", "t/r/y")), (1, (0,), (), ("t/r/x",), ())]
    candidates = [(2, 3), (3, 2), (None, None), (5, None)]
    assert running.scores(plan, candidates) == scores(table.plan(["t/r/x", "t/r/y"]), values, candidates)
    running.apply(["t/r/x", "t/r/y"], (2, 3))
    assert (running.sums, running.filled, values["t/r/y"]) == ([[5, 5], [2, 2]], [3, 2], 3)
    assert running.failing_refs({"t/r/x"}) == set()
    assert integral(values, candidates) and not integral({**values, "t/s/x": Decimal("2.5")}, [])


def test_choose_with_a_fraction_scores_the_plain_way():
    total = fit(["t/r/total"], line_tokens("2.0", {"line": 1}, 0))
    row = fit(["t/r/x", "t/r/y"], line_tokens("\t2\t3", {"line": 2}, 1))
    choose([total, row], (A,))
    assert (row.choice, row.tied, row.values(row.choice)) == (1, [1], (None, 2))


def test_fit_numbers_then_blanks():
    refs = ["t/a/x", "t/a/y", "t/a/z"]
    row = fit(refs, line_tokens("1\t2\t3\t\t", {"line": 1}, 0))
    assert row.exact and [row.values(i) for i in range(len(row.candidates))] == [
        (1, 2, 3),
        (2, 3, None),
        (3, None, None),
    ]
    long = fit(refs, line_tokens("1\t2\t3" + "\t" * 13, {"line": 1}, 0))  # past the windows tried
    assert long.exact and long.candidates == [tuple(long.tokens[:3])]


def test_running_counts_cells_not_read_and_single_cells():
    from xxgk.extract.running import Running

    one = Identity("t3", "balance", "c", ("t/r/x",), ())
    running = Running(compiled((A, B, one)), {"t/r/total": 5, "t/r/x": 2, "t/r/y": 3})
    assert (running.sums, running.filled, running.absent) == ([[5, 5], [2, 0], [2, 0]], [3, 1, 1], [0, 1, 0])
    assert running.failing_refs({"t/r/x"}) == {"t/r/x"}  # B is not counted: t/s/x was not read
