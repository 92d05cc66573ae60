"""Self-references that do not fit an agency (for XG504, hygiene.py): which wording belongs
to another kind of agency (我镇 in a bureau's report, 我局 in a township's, 民政部 as the subject
of a 民政局's report), and the words every such wording holds."""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import TextLine
from .agency import COUNTY, DEPARTMENT, NATIONAL, OFFICE, TOWNSHIP, AgencyInfo


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOWNSHIP_SELF = r"(?:我|本)(?:镇(?![江])|乡(?![村镇])|街道)"
_TOWNSHIP_WHOLE = r"全(?:镇(?![江])|乡(?![村镇])|街道)"
_BUREAU_SELF = re.compile(r"(?:我|本)局(?![域面势限部])")
_MINISTRY_SELF = re.compile(r"(?:我|本)部(?![门署分队件位])")
_SUBJECT_AFTER = (
    r"(?:坚持|高度重视|认真|严格|全年|共|深入|积极|进一步|持续|不断|紧紧围绕|主动公开|收到|受理|\d{4}年)"
)
_NOT_SUBJECT_BEFORE = re.compile(r"(?:根据|按照|依据|落实|贯彻|转发|印发|对|向|与|和|及|经|由|、|《|“|\")$")
_CITY_SELF = r"我市(?:{organ}|高度重视|坚持|认真贯彻|全年共|共收到|共受理)"
# National ministries whose local counterpart is a 局/厅 of the same name (民政局 ↔ 民政部).
_MINISTRIES = _words(
    "民政 司法 财政 教育 公安 自然资源 生态环境 住房和城乡建设 交通运输 水利 农业农村 商务 文化和旅游 "
    "退役军人事务 应急管理 人力资源和社会保障 科学技术"
)


_SELF = ("我镇", "本镇", "我乡", "本乡", "我街道", "本街道")
_WHOLE = ("全镇", "全乡", "全街道")


@lru_cache(maxsize=256)
def self_word_patterns(info: AgencyInfo) -> list[tuple[re.Pattern[str], str, tuple[str, ...]]]:
    """(pattern, what the wording belongs to, words every match contains) for self-references
    that do not fit this agency."""
    out: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = []
    if info.tier == TOWNSHIP:
        return [(_BUREAU_SELF, "政府工作部门", ("我局", "本局"))]
    if info.role in (DEPARTMENT, OFFICE):
        out.append((re.compile(f"{_TOWNSHIP_SELF}|{_TOWNSHIP_WHOLE}"), "乡镇（街道）", _SELF + _WHOLE))
    else:
        out.append((re.compile(_TOWNSHIP_SELF), "乡镇（街道）", _SELF))
    if info.tier == COUNTY and info.place and info.place.suffix in ("区", "县", "旗", "自治县", "自治旗"):
        organ = re.escape(info.organ) if info.organ else "人民政府"
        out.append((re.compile(_CITY_SELF.format(organ=organ)), "市级机关", ("我市",)))
    ministry = _ministry(info)
    if ministry:
        out.append((_MINISTRY_SELF, "国务院部门", ("我部", "本部")))
        subject = re.compile(f"{ministry}(?={_SUBJECT_AFTER}|政府信息公开工作年度报告)")
        out.append((subject, "国务院部门", (ministry,)))
    return out


def _ministry(info: AgencyInfo) -> str | None:
    if info.tier == NATIONAL or info.role != DEPARTMENT:
        return None
    core = re.sub(r"(?:局|厅)$", "", info.organ)
    return f"{core}部" if core != info.organ and core in _MINISTRIES else None


def wrong_words(line: TextLine, patterns: list[tuple[re.Pattern[str], str]]) -> list[tuple[str, str]]:
    out = []
    for pattern, owner in patterns:
        for m in pattern.finditer(line.norm):
            if owner == "国务院部门" and _NOT_SUBJECT_BEFORE.search(
                line.norm[max(0, m.start() - 4) : m.start()]
            ):
                continue
            out.append((m.group(0), owner))
    return list(dict.fromkeys(out))
