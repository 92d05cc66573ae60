"""`parse`/`check` over many files: results streamed in input order, JSON Lines, several processes."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from layouts import consistent_tables, write_layout
from test_cli import BAD, EXAMPLES, GOOD, xxgk
from xxgk.api import expand_inputs
from xxgk.cli.stream import Outcome, run, write_json_stream


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> list[Path]:
    """Twelve distinct reports (every fourth with a wrong cell) and one unreadable file."""
    folder = tmp_path_factory.mktemp("many")
    paths = []
    for n in range(12):
        values = consistent_tables(random.Random(n))
        if n % 4 == 0:
            values["applications/received/natural_person"] += 1
        path = folder / f"r{n:02d}.txt"
        path.write_text(write_layout("002", values, {}, f"示例区第{n}局", 2024), encoding="utf-8")
        paths.append(path)
    broken = folder / "r05b.txt"
    broken.write_bytes(b"\x00\x01\x02" * 100)
    paths.insert(6, broken)
    return paths


def _lines(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def test_jsonl_one_line_per_input_in_order(many):
    result = xxgk("check", *map(str, many), "--format", "jsonl")
    assert result.returncode == 2  # one input unreadable
    lines = _lines(result)
    assert [Path(x.get("path") or x["meta"]["source"]["path"]).name for x in lines] == [p.name for p in many]
    error = lines[6]
    assert error["path"].endswith("r05b.txt") and "错误" not in error["error"] and error["error"]
    wrong = [i for i, x in enumerate(lines) if i != 6 and any(f["code"] == "XG101" for f in x["findings"])]
    assert wrong == [0, 4, 9]  # r00, r04, r08 (after the unreadable 7th input): the wrong cells, in place


def test_jobs_gives_the_same_output_in_the_same_order(many):
    one = xxgk("check", *map(str, many), "--format", "jsonl", "--jobs", "1")
    two = xxgk("check", *map(str, many), "--format", "jsonl", "--jobs", "2")
    assert one.stdout == two.stdout and one.returncode == two.returncode == 2
    assert one.stderr == two.stderr


def test_jobs_text_output_and_summary(many):
    readable = [p for p in many if p.name != "r05b.txt"]
    result = xxgk("check", *map(str, readable), "--jobs", "2")
    assert result.returncode == 1
    out = result.stdout.decode()
    assert out.index("r00.txt") < out.index("r01.txt") < out.index("r11.txt")
    assert out.count("XG101") == 3
    assert "共检查 12 份报告：错误 6 条" in out  # XG101 and XG103 for each wrong cell


def test_json_array_streamed_stays_a_json_array():
    result = xxgk("check", str(GOOD), str(BAD), "--format", "json")
    data = json.loads(result.stdout)
    assert [Path(x["meta"]["source"]["path"]).name for x in data] == [GOOD.name, BAD.name]
    single = json.loads(xxgk("parse", str(GOOD), "--format", "json").stdout)
    assert single["meta"]["agency"] == "示例区司法局"


def test_parse_jsonl_directory():
    result = xxgk("parse", str(EXAMPLES), "--format", "jsonl")
    assert result.returncode == 0
    assert len(_lines(result)) == len(expand_inputs([str(EXAMPLES)])) == 8


def test_run_keeps_a_bounded_window_and_the_order():
    outcomes = list(run([str(n) for n in range(50)], _echo, jobs=2))
    assert [o.path for o in outcomes] == [str(n) for n in range(50)]


def test_json_stream_writes_null_for_unreadable_and_empty_array():
    class Sink(list):
        write = list.append

    sink = Sink()
    items = [Outcome("a", output='{"a": 1}'), Outcome("b", error="坏"), Outcome("c", output='{"c": 3}')]
    list(write_json_stream(items, single=False, out=sink))
    assert json.loads("".join(sink)) == [{"a": 1}, None, {"c": 3}]
    sink.clear()
    list(write_json_stream([], single=False, out=sink))
    assert json.loads("".join(sink)) == []


def _echo(path: str) -> Outcome:
    return Outcome(path, output=path, severities={"error": 1} if sys.version_info else {})
