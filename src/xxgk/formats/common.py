"""Parts shared by the 2019 and 2021 formats: table 三 columns and most rows, table 四, sections."""

from __future__ import annotations

from .base import Field, Identity, Row, Section, Table

APPLICANT_COLUMNS: tuple[Field, ...] = (
    Field("natural_person", "自然人"),
    Field("commercial", "商业企业"),
    Field("research", "科研机构"),
    Field("social_welfare", "社会公益组织"),
    Field("legal_services", "法律服务机构"),
    Field("other_org", "其他"),
    Field("total", "总计"),
)

APPLICATION_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

APPLICATION_HEADERS = (
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
)

GROUP_RESULTS = "三、本年度办理结果"
GROUP_WITHHELD = "（三）不予公开"
GROUP_UNAVAILABLE = "（四）无法提供"
GROUP_DECLINED = "（五）不予处理"
GROUP_OTHER = "（六）其他处理"


def _app_row(key, label, number, group=None, variants=(), outcome=True) -> Row:
    return Row(key, label, APPLICANT_COLUMNS, variants=variants, group=group, number=number, outcome=outcome)


HEAD_ROWS: tuple[Row, ...] = (
    _app_row("received", "一、本年新收政府信息公开申请数量", "一", outcome=False),
    _app_row("carried_over", "二、上年结转政府信息公开申请数量", "二", outcome=False),
    _app_row("granted", "（一）予以公开", "三(一)", group=GROUP_RESULTS),
    _app_row(
        "partially_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "三(二)",
        group=GROUP_RESULTS,
        variants=("（二）部分公开",),
    ),
    _app_row("withheld_state_secret", "1.属于国家秘密", "三(三)1", GROUP_WITHHELD),
    _app_row("withheld_prohibited", "2.其他法律行政法规禁止公开", "三(三)2", GROUP_WITHHELD),
    _app_row("withheld_security", "3.危及“三安全一稳定”", "三(三)3", GROUP_WITHHELD),
    _app_row("withheld_third_party", "4.保护第三方合法权益", "三(三)4", GROUP_WITHHELD),
    _app_row("withheld_internal", "5.属于三类内部事务信息", "三(三)5", GROUP_WITHHELD),
    _app_row("withheld_process", "6.属于四类过程性信息", "三(三)6", GROUP_WITHHELD),
    _app_row("withheld_enforcement_file", "7.属于行政执法案卷", "三(三)7", GROUP_WITHHELD),
    _app_row("withheld_inquiry", "8.属于行政查询事项", "三(三)8", GROUP_WITHHELD),
    _app_row("unavailable_not_held", "1.本机关不掌握相关政府信息", "三(四)1", GROUP_UNAVAILABLE),
    _app_row("unavailable_needs_creation", "2.没有现成信息需要另行制作", "三(四)2", GROUP_UNAVAILABLE),
    _app_row("unavailable_unclear", "3.补正后申请内容仍不明确", "三(四)3", GROUP_UNAVAILABLE),
    _app_row("declined_petition", "1.信访举报投诉类申请", "三(五)1", GROUP_DECLINED),
    _app_row("declined_repeat", "2.重复申请", "三(五)2", GROUP_DECLINED),
    _app_row("declined_publication", "3.要求提供公开出版物", "三(五)3", GROUP_DECLINED),
    _app_row("declined_excessive", "4.无正当理由大量反复申请", "三(五)4", GROUP_DECLINED),
    _app_row("declined_confirmation", "5.要求行政机关确认或重新出具已获取信息", "三(五)5", GROUP_DECLINED),
)

TAIL_ROWS: tuple[Row, ...] = (
    _app_row("total", "（七）总计", "三(七)", group=GROUP_RESULTS, outcome=False),
    _app_row("carried_forward", "四、结转下年度继续办理", "四", outcome=False),
)

REVIEW_FIELDS: tuple[Field, ...] = (
    Field("upheld", "结果维持"),
    Field("corrected", "结果纠正"),
    Field("other", "其他结果"),
    Field("pending", "尚未审结"),
    Field("total", "总计"),
)

REVIEWS = Table(
    key="reviews",
    title="政府信息公开行政复议、行政诉讼情况",
    section=4,
    rows=(
        Row("reconsideration", "行政复议", REVIEW_FIELDS),
        Row("litigation_direct", "未经复议直接起诉", REVIEW_FIELDS, group="行政诉讼", number="行政诉讼"),
        Row(
            "litigation_after_reconsideration",
            "复议后起诉",
            REVIEW_FIELDS,
            group="行政诉讼",
            number="行政诉讼",
        ),
    ),
    layout="header_then_values",
    anchors=("行政复议",),
    header_labels=(
        "行政复议",
        "行政诉讼",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "未经复议直接起诉",
        "复议后起诉",
    ),
)


def applications_table(middle_rows: tuple[Row, ...], groups: tuple[str, ...]) -> Table:
    return Table(
        key="applications",
        title="收到和处理政府信息公开申请情况",
        section=3,
        rows=HEAD_ROWS + middle_rows + TAIL_ROWS,
        anchors=(APPLICATION_NOTE, "申请人情况", HEAD_ROWS[0].label),
        header_labels=APPLICATION_HEADERS,
        group_labels=groups,
        note=APPLICATION_NOTE,
    )


SECTIONS_2021: tuple[Section, ...] = (
    Section(1, "总体情况", ("概述",), ("总体情况", "概述", "基本情况")),
    Section(2, "主动公开政府信息情况", (), ("主动公开",)),
    Section(3, "收到和处理政府信息公开申请情况", (), ("申请",)),
    Section(
        4,
        "政府信息公开行政复议、行政诉讼情况",
        ("政府信息公开行政复议和行政诉讼情况", "因政府信息公开工作被申请行政复议和提起行政诉讼情况"),
        ("复议", "诉讼"),
    ),
    Section(
        5,
        "存在的主要问题及改进情况",
        ("政府信息公开工作存在的主要问题及改进情况", "存在问题及改进情况"),
        ("问题", "改进"),
    ),
    Section(6, "其他需要报告的事项", (), ("其他",)),
)


def _col_label(index: int, fld) -> str:
    return f"第{index}列（{fld.label}）"


def application_identities(table: Table) -> list[Identity]:
    """勾稽关系 per column, outcome rows sum to 总计 per column, 总计 column sums each row."""
    out: list[Identity] = []
    key = table.key
    outcome_rows = [r for r in table.rows if r.outcome]
    for i, col in enumerate(APPLICANT_COLUMNS, start=1):
        c = col.key
        out.append(
            Identity(
                "XG101",
                "balance",
                _col_label(i, col),
                (f"{key}/received/{c}", f"{key}/carried_over/{c}"),
                (f"{key}/total/{c}", f"{key}/carried_forward/{c}"),
                "一+二",
                "三(七)+四",
            )
        )
    for i, col in enumerate(APPLICANT_COLUMNS, start=1):
        c = col.key
        out.append(
            Identity(
                "XG102",
                "outcomes",
                _col_label(i, col),
                tuple(f"{key}/{r.key}/{c}" for r in outcome_rows),
                (f"{key}/total/{c}",),
                "三(一)至三(六)各项之和",
                "三(七)总计",
            )
        )
    parts = [c.key for c in APPLICANT_COLUMNS if c.key != "total"]
    for row in table.rows:
        out.append(
            Identity(
                "XG103",
                "row_total",
                f"“{row.name}”行",
                tuple(f"{key}/{row.key}/{c}" for c in parts),
                (f"{key}/{row.key}/total",),
                "六类申请人之和",
                "总计",
            )
        )
    return out


def review_identities(table: Table) -> list[Identity]:
    out = []
    for row in table.rows:
        base = f"{table.key}/{row.key}"
        subject = row.label if row.group is None else f"{row.group}（{row.label}）"
        out.append(
            Identity(
                "XG104",
                "review_total",
                subject,
                tuple(f"{base}/{f}" for f in ("upheld", "corrected", "other", "pending")),
                (f"{base}/total",),
                "维持+纠正+其他+尚未审结",
                "总计",
            )
        )
    return out
