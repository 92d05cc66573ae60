"""The starter of a year's report: every cell 0, the six sections as skeletons to fill in.

A skeleton line is either a clerk's line to replace (a sub-head, or a placeholder marked
【请填写：…】 that the hygiene rule XG502 reports until it is replaced) or a paragraph written
from the numbers (see narrative.py). Given last year's report, 上年结转 and 现行有效 start from
last year's 结转下年度 and 现行有效.
"""

from __future__ import annotations

from ..errors import InputError
from ..formats import get_format
from ..formats.common import APPLICANT_COLUMNS
from ..model import Meta, Report
from .narrative import ACTIVE, APPLICATIONS, FEE, GENERATORS, PREAMBLE, REVIEWS, FeeFigures
from .preamble import CONTACT_KEYS, Contact, contact_in, parse_contact, parse_preamble

PLACEHOLDER = "【请填写"
FIRST_YEAR = 2021  # the format of 国办公开办函〔2021〕30号 applies from the 2021 report on


def placeholder(what: str) -> str:
    return f"{PLACEHOLDER}：{what}】"


# Section 一 covers the five topics the format names, in its order (spec §1.2).
_OVERVIEW = (
    ("主动公开", "主动公开工作的主要做法和成效，如重点领域信息公开、政策解读、回应关切"),
    ("依申请公开", "依申请公开工作的主要做法，如受理渠道、办理流程、答复文书规范"),
    ("政府信息管理", "政府信息管理情况，如公开前审查、保密审查、规范性文件清理"),
    ("政府信息公开平台建设", "政府网站、政务新媒体、政府信息公开专栏等平台的建设情况"),
    ("监督保障", "组织领导、培训、考核、社会评议和责任追究等监督保障情况"),
)
_NUMBERS = "一二三四五"

# What each section holds in a starter: a line to fill in, or the name of a generator.
SKELETON: dict[str, tuple[str, ...]] = {
    "1": (
        placeholder("本年度政府信息公开工作的总体情况，用两三句话概括"),
        *(
            line
            for i, (head, what) in enumerate(_OVERVIEW)
            for line in (f"（{_NUMBERS[i]}）{head}", placeholder(what))
        ),
    ),
    "2": (ACTIVE,),
    "3": (APPLICATIONS,),
    "4": (REVIEWS,),
    "5": (
        "（一）上年度存在问题的改进情况",
        placeholder("上年度报告所列问题的整改情况"),
        "（二）本年度存在的主要问题及改进措施",
        placeholder("本年度存在的主要问题，以及下一年度的改进措施"),
    ),
    "6": (
        FEE,
        placeholder("其他需要报告的事项，如人大代表建议和政协委员提案办理情况；没有的，删去本段"),
    ),
}


# The preamble (before section 一) of a starter: the standard one, written from meta.
PREAMBLE_KEY = "preamble"
PREAMBLE_SKELETON = (PREAMBLE,)

Item = str | tuple[str, str]  # a clerk's line, or (generator name, the paragraph it writes)


def skeleton_items(key: str, report: Report, fee: FeeFigures, contact: Contact | None = None) -> list[Item]:
    """The lines of section `key` (or of the preamble, PREAMBLE_KEY) in a starter, generated
    paragraphs written for `report`."""
    spec = report.spec
    out: list[Item] = []
    for item in PREAMBLE_SKELETON if key == PREAMBLE_KEY else SKELETON[key]:
        gen = GENERATORS.get(item)
        if gen is None:
            out.append(item)
        elif gen.applies(spec):
            out.append((gen.name, gen.text(report, fee, contact)))
    return out


def item_text(item: Item) -> str:
    return item if isinstance(item, str) else item[1]


def open_placeholders(report: Report) -> list[str]:
    """The lines of the report that still hold a starter placeholder (【请填写：…】)."""
    return [
        line.strip()
        for text in (report.preamble, *report.sections.values())
        if text
        for line in text.split("\n")
        if PLACEHOLDER in line
    ]


# ---------------------------------------------------------------- the starter report


def starter_report(agency: str, year: int, previous: Report | None = None) -> Report:
    """The Report a new source starts from: every cell 0 (or carried over from `previous`),
    skeleton sections, and the standard preamble, with last year's contact details when
    `previous` states them."""
    if not agency.strip():
        raise InputError("机关名称不能为空")
    if not FIRST_YEAR <= year <= 2100:
        raise InputError(
            f"报告年度应为 {FIRST_YEAR} 年以后（国办公开办函〔2021〕30号 规定的格式），不是 {year}"
        )
    report = Report(format="2021", meta=Meta(agency=agency, year=year))
    for ref in get_format("2021").refs():
        report.set(ref, 0)
    if previous is not None:
        _carry_over(report, previous)
    fee = FeeFigures()
    report.sections = {key: "\n".join(map(item_text, skeleton_items(key, report, fee))) for key in SKELETON}
    contact = previous_contact(previous) if previous is not None else None
    report.preamble = "\n".join(map(item_text, skeleton_items(PREAMBLE_KEY, report, fee, contact)))
    return report


# Cells of this year that start from a cell of last year's report.
CARRIED = {
    **{
        f"applications/carried_over/{c.key}": f"applications/carried_forward/{c.key}"
        for c in APPLICANT_COLUMNS
    },
    "active/regulations/in_force": "active/regulations/in_force",
    "active/normative_documents/in_force": "active/normative_documents/in_force",
}


def _carry_over(report: Report, previous: Report) -> None:
    year = report.meta.year
    if previous.meta.year is not None and previous.meta.year != year - 1:
        raise InputError(
            f"上年报告是 {previous.meta.year} 年度的，{year} 年度报告应接续 {year - 1} 年度的报告",
            previous.meta.source.path,
        )
    for ref, before in CARRIED.items():
        if previous.has(before):
            report.set(ref, previous.value(before))


def previous_contact(previous: Report) -> Contact | None:
    """Last year's contact details: from its standard preamble (a report written from a
    source), the contact line that ended section 六 in older sources, or the 地址：…，电话：…
    its own preamble states; None when it states none."""
    lines = [line for line in previous.preamble.split("\n") if line.strip()]
    for line in lines:
        found = parse_preamble(line)
        if found is not None:
            return found["contact"] if any(found["contact"].values()) else None
    tail = [line for line in (previous.sections.get("6") or "").split("\n") if line.strip()]
    if tail and (old := parse_contact(tail[-1])) is not None:
        return old
    stated = contact_in("\n".join(lines))
    return stated if any(stated[k] for k in CONTACT_KEYS) else None
