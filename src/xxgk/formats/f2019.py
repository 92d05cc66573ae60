"""国办公开办函〔2019〕60号: 《中华人民共和国政府信息公开工作年度报告格式（试行）》 (reports for 2019–2020)."""

from __future__ import annotations

from .base import AMOUNT_TEXT, SIGNED, Field, Format, Row, Table
from .common import (
    APPLICANT_COLUMNS,
    GROUP_DECLINED,
    GROUP_RESULTS,
    GROUP_UNAVAILABLE,
    GROUP_WITHHELD,
    REVIEWS,
    SECTIONS_2021,
    application_identities,
    applications_table,
    review_identities,
)

_MADE = Field("made", "本年新制作数量")
_PUBLISHED = Field("published", "本年新公开数量")
_TOTAL_PUBLIC = Field("total_public", "对外公开总数量")
_PREVIOUS = Field("previous", "上一年项目数量")
_CHANGE = Field("change", "本年增/减", kind=SIGNED)
_DECISIONS = Field("decisions", "处理决定数量")
_ITEMS = Field("items", "采购项目数量")
_AMOUNT = Field("amount", "采购总金额", kind=AMOUNT_TEXT)

_A1 = "第二十条第（一）项"
_A5 = "第二十条第（五）项"
_A6 = "第二十条第（六）项"
_A8 = "第二十条第（八）项"
_A9 = "第二十条第（九）项"

ACTIVE = Table(
    key="active",
    title="主动公开政府信息情况",
    section=2,
    rows=(
        Row("regulations", "规章", (_MADE, _PUBLISHED, _TOTAL_PUBLIC), block=_A1),
        Row(
            "normative_documents",
            "规范性文件",
            (_MADE, _PUBLISHED, _TOTAL_PUBLIC),
            variants=("行政规范性文件",),
            block=_A1,
        ),
        Row("licensing", "行政许可", (_PREVIOUS, _CHANGE, _DECISIONS), block=_A5),
        Row("other_services", "其他对外管理服务事项", (_PREVIOUS, _CHANGE, _DECISIONS), block=_A5),
        Row("penalty", "行政处罚", (_PREVIOUS, _CHANGE, _DECISIONS), block=_A6),
        Row("coercion", "行政强制", (_PREVIOUS, _CHANGE, _DECISIONS), block=_A6),
        Row("fees", "行政事业性收费", (_PREVIOUS, _CHANGE), block=_A8),
        Row("procurement", "政府集中采购", (_ITEMS, _AMOUNT), block=_A9),
    ),
    anchors=(_A1, "信息内容"),
    header_labels=(
        _A1,
        _A5,
        _A6,
        _A8,
        _A9,
        "信息内容",
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "处理决定数量",
        "采购项目数量",
        "采购总金额",
    ),
)

APPLICATIONS = applications_table(
    (Row("other", "（六）其他处理", APPLICANT_COLUMNS, group=GROUP_RESULTS, number="三(六)", outcome=True),),
    (GROUP_RESULTS, GROUP_WITHHELD, GROUP_UNAVAILABLE, GROUP_DECLINED),
)

FORMAT_2019 = Format(
    id="2019",
    name="中华人民共和国政府信息公开工作年度报告格式（试行）",
    document="国办公开办函〔2019〕60号",
    sections=SECTIONS_2021,
    tables=(ACTIVE, APPLICATIONS, REVIEWS),
    signals=(
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "第二十条第（九）项",
        "政府集中采购",
    ),
    identities=tuple(application_identities(APPLICATIONS) + review_identities(REVIEWS)),
)
