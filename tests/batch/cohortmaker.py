"""A generated cohort with planted problems, for the batch tests.

`make_cohort(directory, seed)` writes, for 2023 and 2024, consistent reports (as text in the
layouts of tests/layouts.py) of a random org tree — 杭州市滨江区人民政府 and a random set of its
departments and 街道 — plus a few agencies outside the tree, and returns what it planted:

* the government's report is the exact sum of its members' (then one member is changed:
  XG801 on the aggregate), and a member that reported in 2023 is missing in 2024 (XG903);
* 2024 continues 2023 (上年结转 = last year's 结转下年度, 现行有效 = last year's + 制发 − 废止),
  except for one agency outside the tree, named differently in the two years
  (宁波市鄞州区司法局 / 鄞州区司法局): one carry-over column broken (XG701 on that column and
  总计) and one 现行有效 (XG702);
* one member published late (XG402, days_late 20);
* one agency outside the tree copied a member's prose with the numbers changed (XG901 on both);
* one member's report published twice with one number changed (XG902 on both files);
* one agency whose place is ambiguous (鼓楼区教育局: XG904);
* two damaged files (an empty file, a cut-off DOCX) that must land in failures.csv.

Prose is random sentences from a vocabulary (no two reports share much beyond set phrases),
with numbers only where a copy changes them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from layouts import ACTIVE, APPLICATIONS, REFS, REVIEWS, Value, write_layout

LAYOUTS = ("000", "002", "003", "004")
GOV = "杭州市滨江区人民政府"
PREFIX = "杭州市滨江区"
ORGANS = (
    "司法局",
    "民政局",
    "教育局",
    "财政局",
    "卫生健康局",
    "文化和旅游局",
    "商务局",
    "统计局",
    "审计局",
    "人力资源和社会保障局",
)
STREETS = ("浦沿街道办事处", "长河街道办事处", "西兴街道办事处")
STANDALONE = "宁波市鄞州区司法局"
STANDALONE_2024 = "鄞州区司法局"
COPIER = "宁波市海曙区民政局"
AMBIGUOUS = "鼓楼区教育局"
COLUMNS = [f.key for f in APPLICATIONS.rows[0].fields if f.key != "total"]
OUTCOMES = [r.key for r in APPLICATIONS.rows if r.outcome]

_WORDS = (
    "政务公开",
    "制度建设",
    "平台建设",
    "信息发布",
    "解读回应",
    "依法行政",
    "规范管理",
    "工作机制",
    "队伍建设",
    "督查考核",
    "栏目维护",
    "政策文件",
    "办事指南",
    "便民服务",
    "数据开放",
    "基层公开",
    "标准目录",
    "保密审查",
    "舆情处置",
    "培训学习",
    "意见征集",
    "公众参与",
    "网站集约",
    "新媒体矩阵",
    "热线联动",
    "档案管理",
    "流程优化",
    "责任落实",
    "服务效能",
    "群众满意",
    "信用建设",
    "营商环境",
    "重点领域",
    "财政预决算",
    "民生事项",
    "应急管理",
    "法治宣传",
    "调研走访",
    "内部协同",
    "跟踪问效",
)
_VERBS = (
    "持续推进",
    "认真落实",
    "不断完善",
    "着力加强",
    "稳步开展",
    "积极探索",
    "深入推动",
    "切实做好",
    "全面梳理",
    "扎实推进",
)


_CHARS = (
    "政务信息公开平台制度建设规范管理机制队伍督查考核栏目维护政策文件办事指南便民服务数据开放基层标准目录保密审查舆情处置"
    "培训学习意见征集公众参与网站集约新媒体矩阵热线联动档案流程优化责任落实效能群众满意信用营商环境重点领域财政预决算"
    "民生事项应急法治宣传调研走访内部协同跟踪问效社区街道农业水利交通教育卫生健康文化旅游体育科技商务市场监管生态环保"
)


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_CHARS) for _ in range(rng.randint(2, 4)))


def sentence(rng: random.Random) -> str:
    """A random sentence: a few set phrases, and words drawn character by character."""
    words = [rng.choice(_WORDS) if rng.random() < 0.3 else _word(rng) for _ in range(4)]
    return f"{rng.choice(_VERBS)}{words[0]}与{words[1]}，{rng.choice(_VERBS)}{words[2]}和{words[3]}工作。"


def prose(rng: random.Random) -> dict[str, str]:
    """Six sections of random sentences; section 一 carries a number (changed by a copy)."""
    out = {key: "\n".join(sentence(rng) for _ in range(rng.randint(2, 4))) for key in "123456"}
    out["1"] += f"\n全年组织专题活动{rng.randint(2, 30)}次，编印宣传资料{rng.randint(100, 900)}册。"
    return out


def renumber(text: str, rng: random.Random) -> str:
    """The same prose with every number replaced (a copy "with the numbers changed")."""
    import re

    return re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), text)


def tables(rng: random.Random, previous: dict[str, Value] | None = None) -> dict[str, Value]:
    """Random values satisfying every identity; continuing `previous` (carry-over, 现行有效)."""
    v: dict[str, Value] = {}
    for ref in ACTIVE.refs():
        v[ref] = rng.randint(0, 40)
    for row in ("regulations", "normative_documents"):
        if previous is not None:
            before = previous[f"active/{row}/in_force"]
            v[f"active/{row}/repealed"] = rng.randint(0, min(5, before + v[f"active/{row}/issued"]))
            v[f"active/{row}/in_force"] = before + v[f"active/{row}/issued"] - v[f"active/{row}/repealed"]
    v["active/fees/amount"] = Decimal(rng.randint(0, 99999)).scaleb(-2)
    for col in COLUMNS:
        for row in OUTCOMES:
            v[f"applications/{row}/{col}"] = rng.randint(0, 9)
        co = previous[f"applications/carried_forward/{col}"] if previous else rng.randint(0, 5)
        v[f"applications/carried_over/{col}"] = co
        v[f"applications/carried_forward/{col}"] = rng.randint(0, 5)
        done = sum(v[f"applications/{row}/{col}"] for row in OUTCOMES)
        if done + v[f"applications/carried_forward/{col}"] < co:
            v[f"applications/granted/{col}"] += co - done
        _column_totals(v, col)
    for row in REVIEWS.rows:
        four = [rng.randint(0, 6) for _ in range(4)]
        for key, value in zip(("upheld", "corrected", "other", "pending"), four, strict=True):
            v[f"reviews/{row.key}/{key}"] = value
        v[f"reviews/{row.key}/total"] = sum(four)
    return retotal(v)


def _column_totals(v: dict[str, Value], col: str) -> None:
    done = sum(v[f"applications/{row}/{col}"] for row in OUTCOMES)
    v[f"applications/total/{col}"] = done
    v[f"applications/received/{col}"] = (
        done + v[f"applications/carried_forward/{col}"] - v[f"applications/carried_over/{col}"]
    )


def retotal(v: dict[str, Value]) -> dict[str, Value]:
    for col in COLUMNS:
        _column_totals(v, col)
    for row in APPLICATIONS.rows:
        v[f"applications/{row.key}/total"] = sum(v[f"applications/{row.key}/{c}"] for c in COLUMNS)
    return {ref: v[ref] for ref in REFS}


def summed(members: list[dict[str, Value]]) -> dict[str, Value]:
    return {
        ref: sum((m[ref] for m in members), Decimal(0) if ref == "active/fees/amount" else 0) for ref in REFS
    }


@dataclass
class Cohort:
    files: dict[str, dict[str, Value]] = field(default_factory=dict)  # report file -> cell values
    agencies: dict[str, str] = field(default_factory=dict)  # report file -> agency as written
    damaged: list[str] = field(default_factory=list)
    tree: str = ""
    expected: set[tuple[str, str, int]] = field(default_factory=set)  # (file, code, how many)
    late: dict[str, int] = field(default_factory=dict)  # file -> days late
    missing: str = ""  # the member without a 2024 report


class _Writer:
    def __init__(self, directory: Path, rng: random.Random, cohort: Cohort):
        self.dir, self.rng, self.cohort = directory, rng, cohort

    def write(self, name: str, agency: str, year: int, values, sections, published: str) -> str:
        layout = self.rng.choice(LAYOUTS)
        text = write_layout(layout, values, sections, agency, year) + f"\n\n{agency}\n{published}\n"
        path = self.dir / f"{year}" / f"{name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.cohort.files[str(path)] = values
        self.cohort.agencies[str(path)] = agency
        return str(path)


def make_cohort(directory: Path, seed: int) -> Cohort:
    rng = random.Random(seed)
    cohort = Cohort()
    members = [PREFIX + o for o in rng.sample(ORGANS, rng.randint(5, 7))] + [PREFIX + s for s in STREETS[:2]]
    cohort.tree = _write_tree(directory, members)
    w = _Writer(directory / "reports", rng, cohort)
    values = {2023: {m: tables(rng) for m in members}}
    values[2024] = {m: tables(rng, values[2023][m]) for m in members}
    texts = {(m, y): prose(rng) for m in members for y in (2023, 2024)}
    missing, changed, late, copied, twice = members[0], members[1], members[2], members[3], members[4]
    del values[2024][missing]
    cohort.missing = missing
    values[2023][missing] = _no_carry(values[2023][missing])  # so the aggregate still continues
    for year in (2023, 2024):
        aggregate = summed(list(values[year].values()))
        when = f"{year + 1}年3月20日"
        gov = w.write(f"gov-{year}", GOV, year, aggregate, prose(rng), when)
        for m, vals in values[year].items():
            if (m, year) == (changed, 2024):
                vals = _bump(dict(vals))  # after the aggregate was summed
            published = f"{year + 1}年2月20日" if (m, year) == (late, 2024) else f"{year + 1}年1月15日"
            written = m.replace("杭州市", "") if year == 2023 else m  # 滨江区司法局 / 杭州市滨江区司法局
            path = w.write(f"m{members.index(m)}-{year}", written, year, vals, texts[(m, year)], published)
            if published.endswith("2月20日"):
                cohort.late[path] = 20
            if (m, year) == (copied, 2024):
                copied_path = path
            if (m, year) == (twice, 2024):
                first = path
                second = w.write(
                    f"m{members.index(m)}-{year}转载", m, year, _bump(dict(vals)), texts[(m, year)], published
                )
        if year == 2024:
            cohort.expected |= {
                (gov, "XG801", 3),
                (gov, "XG903", 1),
                (first, "XG902", 1),
                (second, "XG902", 1),
            }
    copy_sections = {k: renumber(t, rng) for k, t in texts[(copied, 2024)].items()}
    copier = w.write("copier-2024", COPIER, 2024, tables(rng), copy_sections, "2025年1月16日")
    cohort.expected |= {(copied_path, "XG901", 1), (copier, "XG901", 1)}
    _standalone(w, rng, cohort)
    ambiguous = w.write("ambiguous-2024", AMBIGUOUS, 2024, tables(rng), prose(rng), "2025年1月12日")
    cohort.expected.add((ambiguous, "XG904", 1))
    cohort.damaged = _damaged(directory / "reports" / "2024")
    return cohort


def _no_carry(values: dict[str, Value]) -> dict[str, Value]:
    """Nothing carried forward and nothing in force (a member that stops reporting next year)."""
    for col in COLUMNS:
        values[f"applications/carried_forward/{col}"] = 0
    for row in ("regulations", "normative_documents"):
        values[f"active/{row}/in_force"] = 0
    return retotal(values)


def _bump(values: dict[str, Value]) -> dict[str, Value]:
    """One more request granted to a natural person (the report stays consistent)."""
    values["applications/granted/natural_person"] += 1
    return retotal(values)


def _standalone(w: _Writer, rng: random.Random, cohort: Cohort) -> None:
    first = tables(rng)
    second = tables(rng, first)
    second["applications/carried_over/commercial"] += 1  # XG701 on 商业企业 and 总计
    second["applications/carried_forward/commercial"] += 1
    second["active/normative_documents/in_force"] += 3  # XG702
    w.write("standalone-2023", STANDALONE, 2023, first, prose(rng), "2024年1月20日")
    path = w.write("standalone-2024", STANDALONE_2024, 2024, retotal(second), prose(rng), "2025年1月20日")
    cohort.expected |= {(path, "XG701", 2), (path, "XG702", 1)}


def _damaged(directory: Path) -> list[str]:
    empty = directory / "损坏-空文件.txt"
    empty.write_bytes(b"")
    docx = directory / "损坏-不完整.docx"
    docx.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    return [str(empty), str(docx)]


def _write_tree(directory: Path, members: list[str]) -> str:
    path = directory / "机构树.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["名称,类型,层级,上级", f"{GOV},人民政府,县,"]
    for m in members:
        kind, level = ("街道办事处", "乡") if m.endswith("办事处") else ("政府部门", "县")
        lines.append(f"{m},{kind},{level},{GOV}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)
