"""The dataset's columns, declared once: the writers, the DuckDB tables and the data dictionary
(`dataset.md`) all read these lists. Cell columns come from the format declarations
(`xxgk.formats`): every cell of the 2021 format, then the cells only the 2019 format has.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..formats import AMOUNT, AMOUNT_TEXT, FORMAT_2019, FORMAT_2021, Format

INT, TEXT, DECIMAL, DATE, BINARY = "int", "text", "decimal", "date", "binary"
TABLE_NAMES = {"active": "表二 主动公开", "applications": "表三 依申请公开", "reviews": "表四 复议诉讼"}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    doc: str


REPORT_META = (
    Column("report", TEXT, "报告文件（输入中的路径），数据集中每份报告的标识"),
    Column("sha256", TEXT, "文件内容的 SHA-256（缓存的键；内容相同的文件只读取一次）"),
    Column("medium", TEXT, "读取时识别的文件类型（MIME 类型，如 text/plain、application/pdf）"),
    Column("agency", TEXT, "报告中写明的机关名称"),
    Column(
        "canonical_agency",
        TEXT,
        "规范化机关名称：由行政区划补全上级地名（如“浙江省杭州市滨江区司法局”）；地区不明确或未识别时为原名称",
    ),
    Column("province", TEXT, "所在省级行政区（未能确定时为空）"),
    Column("city", TEXT, "所在地级行政区（直辖市为其本身；未能确定时为空）"),
    Column("county", TEXT, "所在县级行政区（未能确定时为空）"),
    Column(
        "region_status",
        TEXT,
        "地区的来源：由名称确定、由机构树确定、不明确（同名县区不止一个，见 XG904）、未识别",
    ),
    Column("org_node", TEXT, "所对应的机构树节点（给出 --org-tree 时）"),
    Column("year", INT, "报告年度"),
    Column("format", TEXT, "报告格式：2021、2019、pre2019；未识别为空"),
    Column("title", TEXT, "报告标题"),
    Column("publish_date", DATE, "发布日期（页面日期或落款日期）"),
    Column("deadline", DATE, "法定发布期限（次年1月31日或3月31日，见 XG402）"),
    Column("days_late", INT, "晚于法定期限的天数（未晚或无发布日期时为空）"),
    Column("previous_report", TEXT, "跨年度配对的上一年度报告（按规范化名称匹配）"),
    Column("errors", INT, "错误（error）条数，含跨报告检查"),
    Column("warnings", INT, "警告（warning）条数，含跨报告检查"),
    Column("infos", INT, "提示（info）条数，含跨报告检查"),
)

CELLS = (
    Column("report", TEXT, "报告文件"),
    Column("key", TEXT, "单元格引用，如 applications/received/total"),
    Column("label", TEXT, "单元格的中文名称"),
    Column("value", DECIMAL, "数值（空白或未读到时为空）"),
    Column("state", TEXT, "value：有数值；blank：原文单元格空白（/、—、无）；absent：原文没有此单元格"),
    Column("raw", TEXT, "原文中的写法"),
    Column("confidence", TEXT, "置信度：high，或读取时需要在几种读法中选择时为 low"),
    Column("provenance", TEXT, "来源位置（JSON：行号 line、页码 page、表格 table/row/col 等）"),
)

FINDINGS = (
    Column("report", TEXT, "报告文件"),
    Column("code", TEXT, "规则代码（xxgk rules 代码 查看说明）"),
    Column("severity", TEXT, "级别：error、warning、info"),
    Column("message", TEXT, "问题说明"),
    Column("cells", TEXT, "涉及的单元格引用，空格分隔"),
    Column("location", TEXT, "原文位置（JSON）"),
    Column("scope", TEXT, "report：单份报告的检查；cohort：跨报告检查（雷同、跨年度、汇总、重复发布、地区）"),
)

FAILURES = (
    Column("file", TEXT, "无法读取的文件"),
    Column("sha256", TEXT, "文件内容的 SHA-256"),
    Column("reason", TEXT, "无法读取的原因"),
)

PAIRS = (
    Column("year", INT, "年度"),
    Column("report_a", TEXT, "报告甲"),
    Column("report_b", TEXT, "报告乙"),
    Column("agency_a", TEXT, "报告甲的机关"),
    Column("agency_b", TEXT, "报告乙的机关"),
    Column("similarity", DECIMAL, "相似度（0–1，两方向包含度中较大者，见 XG901）"),
    Column("passages", TEXT, "相同的段落（最多 3 段，以 ／ 分隔）"),
    Column("group_id", INT, "所属雷同组的编号"),
)


def cell_refs() -> list[tuple[str, Format]]:
    """Every cell reference of the 2021 format, then those only the 2019 format has."""
    out = [(ref, FORMAT_2021) for ref in FORMAT_2021.refs()]
    seen = {ref for ref, _ in out}
    out += [(ref, FORMAT_2019) for ref in FORMAT_2019.refs() if ref not in seen]
    return out


def cell_kind(spec: Format, ref: str) -> str:
    kind = spec.fields_by_ref[ref][2].kind
    return TEXT if kind == AMOUNT_TEXT else DECIMAL if kind == AMOUNT else INT


def cell_label(spec: Format, ref: str) -> str:
    return f"{TABLE_NAMES[ref.split('/', 1)[0]]}／{spec.describe(ref)}"


def report_columns() -> list[Column]:
    cells = []
    for ref, spec in cell_refs():
        only = "（仅 2019 年格式）" if spec is FORMAT_2019 else ""
        cells.append(Column(ref, cell_kind(spec, ref), cell_label(spec, ref) + only))
    return [*REPORT_META, *cells]
