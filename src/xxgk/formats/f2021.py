"""国办公开办函〔2021〕30号: 《中华人民共和国政府信息公开工作年度报告格式》 (reports for 2021 onwards)."""

from __future__ import annotations

from .base import AMOUNT, Field, Format, Row, Table
from .common import (
    APPLICANT_COLUMNS,
    GROUP_DECLINED,
    GROUP_OTHER,
    GROUP_RESULTS,
    GROUP_UNAVAILABLE,
    GROUP_WITHHELD,
    REVIEWS,
    SECTIONS_2021,
    application_identities,
    applications_table,
    review_identities,
)

_ISSUED = Field("issued", "本年制发件数")
_REPEALED = Field("repealed", "本年废止件数")
_IN_FORCE = Field("in_force", "现行有效件数")
_DECISIONS = Field("decisions", "本年处理决定数量")
_FEE = Field("amount", "本年收费金额（单位：万元）", kind=AMOUNT, short="本年收费金额（万元）")

_A1 = "第二十条第（一）项"
_A5 = "第二十条第（五）项"
_A6 = "第二十条第（六）项"
_A8 = "第二十条第（八）项"

ACTIVE = Table(
    key="active",
    title="主动公开政府信息情况",
    section=2,
    rows=(
        Row("regulations", "规章", (_ISSUED, _REPEALED, _IN_FORCE), block=_A1),
        Row(
            "normative_documents",
            "行政规范性文件",
            (_ISSUED, _REPEALED, _IN_FORCE),
            variants=("规范性文件",),
            block=_A1,
        ),
        Row("licensing", "行政许可", (_DECISIONS,), block=_A5),
        Row("penalty", "行政处罚", (_DECISIONS,), block=_A6),
        Row("coercion", "行政强制", (_DECISIONS,), block=_A6),
        Row("fees", "行政事业性收费", (_FEE,), block=_A8),
    ),
    anchors=(_A1, "信息内容"),
    header_labels=(
        _A1,
        _A5,
        _A6,
        _A8,
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额（单位：万元）",
    ),
)


def _other_row(key: str, label: str, number: str) -> Row:
    return Row(key, label, APPLICANT_COLUMNS, group=GROUP_OTHER, number=number, outcome=True)


_OTHER_ROWS = (
    _other_row(
        "other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "三(六)1"
    ),
    _other_row(
        "other_unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "三(六)2",
    ),
    _other_row("other_misc", "3.其他", "三(六)3"),
)


APPLICATIONS = applications_table(
    _OTHER_ROWS,
    (GROUP_RESULTS, GROUP_WITHHELD, GROUP_UNAVAILABLE, GROUP_DECLINED, GROUP_OTHER),
)

FORMAT_2021 = Format(
    id="2021",
    name="中华人民共和国政府信息公开工作年度报告格式",
    document="国办公开办函〔2021〕30号",
    sections=SECTIONS_2021,
    tables=(ACTIVE, APPLICATIONS, REVIEWS),
    signals=("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "1.申请人无正当理由逾期不补正"),
    identities=tuple(application_identities(APPLICATIONS) + review_identities(REVIEWS)),
)
