"""Which template a report uses: "2021", "2019", "pre2019", or None (spec §2.3)."""

from __future__ import annotations

import re

from ..formats import FORMAT_2019, FORMAT_2021
from ..text.normalize import normalize_text

_WS = re.compile(r"\s+")


def _signal_key(label: str) -> str:
    key = _WS.sub("", normalize_text(label))
    return re.sub(r"^\d{1,2}[.、]", "", key)  # "1.申请人无正当理由逾期不补正" -> without the marker


_F2021_SIGNALS = tuple(_signal_key(s) for s in FORMAT_2021.signals)
_PROCUREMENT = _signal_key("政府集中采购")
_F2019_SIGNALS = tuple(k for k in (_signal_key(s) for s in FORMAT_2019.signals) if k != _PROCUREMENT)
_PROCUREMENT_TABLE = re.compile(r"采购项目数量|采购总金额")

# 国办公开办函〔2021〕30号, also damaged: 〔202130号, 国办公开函〔2021〕30 号, 国办公开办涵〔2021〕30号.
_CITATION_CONTEXT = r"(?:公开办?[函涵]|办[函涵]|报告格式)[^\d]{0,30}?"
_CITATION = {
    "2021": re.compile(_CITATION_CONTEXT + r"[〔\[(【]?2021[〕\])】]?30号"),
    "2019": re.compile(_CITATION_CONTEXT + r"[〔\[(【]?2019[〕\])】]?60号"),
}
_ORDER_492 = re.compile(r"国(?:务院)?令第?492号")
_REGULATION_2019 = re.compile(
    r"国(?:务院)?令第?711号|2019年(?:5月15日)?修订|修订后的《中华人民共和国政府信息公开条例》"
)
_STRUCTURE_2019 = re.compile(r"收到和处理政府信息公开申请|政府信息公开行政复议")
_HEADING_2019 = re.compile(
    r"^[ \t?]*[一二三四五六][ \t]*[、.,][ \t]*[^\n]{0,30}?"
    r"(?:总体情况|主动公开政府信息|存在的主要问题|其他需要报告的事项)",
    re.MULTILINE,
)


def detect_format(norm_text: str, year: int | None) -> str | None:
    """The report template: "2021", "2019", "pre2019", or None when the text does not show it.

    Order (spec §2.3): table labels of the 2021 format, of the 2019 format; a citation of
    国办公开办函〔2021〕30号 / 〔2019〕60号; 国务院令第492号 or a report year ≤ 2018 (pre2019);
    finally the report year, but only when the text has the structure of a 2019+ report (its
    section headings, or a citation of the 2019 条例).
    """
    # A signal (no whitespace in it) found in the text is in its compacted form too: the
    # common 2021 report is settled before the text is compacted.
    if any(s in norm_text for s in _F2021_SIGNALS):
        return "2021"
    compact = "".join(norm_text.split())
    if any(s in compact for s in _F2021_SIGNALS):
        return "2021"
    if any(s in compact for s in _F2019_SIGNALS):
        return "2019"
    # 政府集中采购 alone may be prose; count it when the 2019 table's column labels are near.
    if _PROCUREMENT in compact:
        for m in _PROCUREMENT_TABLE.finditer(compact):
            if compact.find(_PROCUREMENT, max(0, m.start() - 80), m.end() + 80) >= 0:
                return "2019"
    if _CITATION["2021"].search(compact):
        return "2021"
    if _CITATION["2019"].search(compact):
        return "2019"
    if _ORDER_492.search(compact) or (year is not None and year <= 2018):
        return "pre2019"
    if year is None:
        return None
    if _STRUCTURE_2019.search(compact) or _HEADING_2019.search(norm_text) or _REGULATION_2019.search(compact):
        return "2021" if year >= 2021 else "2019"
    return None
