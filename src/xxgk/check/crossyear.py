"""Cross-year rules: this year's report against the same agency's report for the previous year.

Every rule here needs `context.previous`; without it they say nothing. When the report given
as "previous" is another agency's or not for the year before, the comparisons would be
meaningless: the rules stay silent and XG704 says once why. A missing agency name or year
(on either report) is not a reason to refuse — the caller chose the pair.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..formats import FORMAT_2021
from ..model import ERROR, INFO, WARNING, Finding, Report, number_text
from ..text.normalize import normalize_text
from .registry import Context, rule
from .similarity import Similarity, similarity
from .text import prose_lines, where_of

APPLICANT_KEYS = tuple(f.key for f in FORMAT_2021.table("applications").row("received").fields)
IN_FORCE_ROWS = ("regulations", "normative_documents")
SIMILARITY_SECTIONS = ("1", "5")
DEFAULT_THRESHOLD = 0.8
DEFAULT_MIN_CHARS = 80
_NUMERALS = "一二三四五六"


# ---------------------------------------------------------------- which previous report


def _agency_key(name: str | None) -> str:
    return "".join(normalize_text(name or "").split())


def mismatch_reasons(report: Report, previous: Report) -> list[str]:
    """Why `previous` is not last year's report of the same agency (empty when it is, or
    when agency or year are unknown and the caller's choice has to be trusted)."""
    reasons = []
    this, prev = _agency_key(report.meta.agency), _agency_key(previous.meta.agency)
    if this and prev and this != prev:
        reasons.append(f"机关不同（本报告：{report.meta.agency}；所给上年报告：{previous.meta.agency}）")
    year, prev_year = report.meta.year, previous.meta.year
    if year is not None and prev_year is not None and prev_year != year - 1:
        reasons.append(f"年度不是上一年（本报告为 {year} 年度，所给上年报告为 {prev_year} 年度）")
    return reasons


def last_year(report: Report, context: Context) -> Report | None:
    """The previous-year report when it can be compared with this one, else None."""
    previous = context.previous
    if previous is None or mismatch_reasons(report, previous):
        return None
    return previous


def _prev_label(previous: Report) -> str:
    return f"上年（{previous.meta.year}年）报告" if previous.meta.year else "上年报告"


def _text(value) -> str:
    return "空白" if value is None else number_text(value)


# ---------------------------------------------------------------- XG701


@rule(
    "XG701", "carry-over-continuity", ERROR, "crossyear", "本年“上年结转”不等于上年报告“结转下年度继续办理”"
)
def carry_over_continuity(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：本年报告表三“二、上年结转政府信息公开申请数量”的每一列（自然人、五类法人或其他组织、
    总计），是否等于同一机关上年报告表三“四、结转下年度继续办理”的同一列。2019 年格式与 2021 年格式
    这两行相同，跨格式也比较。空白单元格按 0 计，并在消息中注明。

    为什么重要：上年年底未办结、结转下来的申请，就是本年的“上年结转”，两个数字说的是同一批申请。
    不相等说明有一年的数字填错，或者台账前后不一致，是评估时容易核出的连续性错误。

    示例：示例区司法局 2023 年报告“四、结转下年度继续办理”自然人列为 1，2024 年报告
    “二、上年结转”自然人列却为 2。真实报告中可见正常的衔接：武汉市硚口区人民政府办公室 2024 年
    结转下年度 3 件，2025 年报告写“结转上年度办理3件”。

    依据：《政府信息公开条例》第五十条第（二）项；国办公开办函〔2021〕30号 表三“二、上年结转”
    与“四、结转下年度继续办理”两行的含义。"""
    previous = last_year(report, context)
    if previous is None:
        return
    for col in APPLICANT_KEYS:
        finding = _carry_over_column(report, previous, col)
        if finding is not None:
            yield finding


def _carry_over_column(report: Report, previous: Report, col: str) -> Finding | None:
    ref, prev_ref = f"applications/carried_over/{col}", f"applications/carried_forward/{col}"
    if not (report.has(ref) and previous.has(prev_ref)):
        return None
    now, before = report.value(ref), previous.value(prev_ref)
    if now is None and before is None:
        return None
    if (now or 0) == (before or 0):
        return None
    blanks = "（空白按 0 计）" if now is None or before is None else ""
    spec = report.spec or FORMAT_2021
    message = (
        f"{spec.describe(ref)}：本年填 {_text(now)}，而{_prev_label(previous)}"
        f"“四、结转下年度继续办理”同一列为 {_text(before)}，两者应相等{blanks}"
    )
    return Finding(
        "XG701",
        ERROR,
        message,
        [ref],
        hint=(
            "上年结转下来的申请就是本年的“上年结转”，两数应一致。请核对两年的申请台账；"
            "如上年报告的数字有误并已更正，请在报告中说明。"
        ),
        where=report.cells[ref].where or None,
    )


# ---------------------------------------------------------------- XG702


@rule(
    "XG702", "in-force-continuity", WARNING, "crossyear", "现行有效件数与“上年现行有效+本年制发−本年废止”不符"
)
def in_force_continuity(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：表二“规章”“行政规范性文件”两行，本年“现行有效件数”是否等于上年报告的现行有效件数
    加本年制发件数、减本年废止件数。只在两年都使用 2021 年格式时比较：2019 年格式的“本年新制作数量、
    本年新公开数量、对外公开总数量”含义不同，不能换算成“现行有效”，跨格式时本规则不输出。
    空白单元格按 0 计，并在消息中注明；整行空白（如没有规章制定权的机关填“/”）不比较。

    为什么重要：现行有效件数应当能由上年数和本年增减推算出来，对不上往往是某一年填错，或把
    “本年制发”“现行有效”填反。但这是提示而非硬性错误：文件修改、有效期届满自动失效、集中清理后
    重新统计，都会使两者合理地不相等。

    示例：2023 年报告行政规范性文件现行有效 5 件；2024 年本年制发 2 件、废止 1 件，现行有效应为 6 件，
    报告却填 8 件。

    依据：国办公开办函〔2021〕30号 表二“第二十条第（一）项”三列的含义；《政府信息公开条例》
    第二十条第（一）项。"""
    previous = last_year(report, context)
    if previous is None or report.format != "2021" or previous.format != "2021":
        return
    for row in IN_FORCE_ROWS:
        finding = _in_force_row(report, previous, row)
        if finding is not None:
            yield finding


def _in_force_row(report: Report, previous: Report, row: str) -> Finding | None:
    refs = [f"active/{row}/{key}" for key in ("issued", "repealed", "in_force")]
    prev_ref = f"active/{row}/in_force"
    if not (all(report.has(r) for r in refs) and previous.has(prev_ref)):
        return None
    issued, repealed, in_force = (report.value(r) for r in refs)
    before = previous.value(prev_ref)
    values = (issued, repealed, in_force, before)
    if all(v is None for v in values):
        return None
    expected = (before or 0) + (issued or 0) - (repealed or 0)
    if (in_force or 0) == expected:
        return None
    blanks = "（空白按 0 计）" if any(v is None for v in values) else ""
    name = FORMAT_2021.table("active").row(row).name
    message = (
        f"{name}／现行有效件数：本年填 {_text(in_force)}，按{_prev_label(previous)}推算应为 "
        f"{number_text(expected)}（上年现行有效 {_text(before)} + 本年制发 {_text(issued)} − "
        f"本年废止 {_text(repealed)}）{blanks}"
    )
    return Finding(
        "XG702",
        WARNING,
        message,
        refs,
        hint=(
            "现行有效件数一般等于上年现行有效数加本年制发数、减本年废止数。文件修改、有效期届满自动失效、"
            "集中清理后重新统计也会造成差异；如属此类，请在报告中说明，否则请与司法行政部门的备案数据核对。"
        ),
        where=report.cells[refs[2]].where or None,
    )


# ---------------------------------------------------------------- XG703


@rule("XG703", "copied-narrative", WARNING, "crossyear", "叙述文字与上年报告高度相似（内容雷同）")
def copied_narrative(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：第一部分（总体情况）和第五部分（存在的主要问题及改进情况）的文字，与同一机关上年报告
    同一部分相比有多大比例是照搬的。两部分都未超过阈值时，再比较全部叙述文字（第一至第六部分，
    不含表格和标题），以发现分散在各部分的照搬。

    度量方法（xxgk.check.similarity）：先统一为简体、去掉拼音注音，再去掉阿拉伯数字、汉字数字、
    标点和空白——年份和件数每年都变，改了数字不应掩盖照搬；然后取连续 5 个字的片段，计算本年文字的
    片段有多少比例也出现在上年同一部分中（包含度）。去掉数字等以后不足 80 字的部分不比较
    （选项 similarity_min_chars）。

    阈值：默认 0.8（选项 similarity_threshold，可写 0.8 或 80）。实测（见 tests/test_rules_crossyear.py）：
    5 份不同机关的真实报告（shared/seeds）两两比较，第一部分最高 0.12、第五部分最高 0.05、全部叙述最高 0.07；
    同一机关两年各自撰写、小标题相同的示例报告，第五部分 0.23、全部叙述 0.33；把一份报告只改年份和数字，
    相似度 1.00；再随机换掉约 10% / 20% / 30% / 50% 的句子，平均约 0.86 / 0.76 / 0.69 / 0.50（第一部分）。
    0.8 即“本年文字至少八成已见于上年报告”，大致相当于只改了不到两成的句子，远高于不同机关套用相同表述
    （如“以公开为常态、不公开为例外”）或同一机关沿用小标题所能达到的水平。

    为什么重要：国办公开办函〔2021〕30号“（四）明确责任”把年度报告“内容雷同”与逾期发布、内容不准确、
    敷衍塞责并列，造成不良影响的依照条例第四十七条追责。存在问题和改进措施年年照抄，尤其显眼。

    示例：2024 年报告第五部分只把“2023年”改成“2024年”、把“培训2次”改成“培训3次”，其余与 2023 年
    报告相同——“第五部分（存在的主要问题及改进情况）与上年（2023年）报告相似度 100%”。

    依据：国办公开办函〔2021〕30号“（四）明确责任”；《政府信息公开条例》第四十七条、第五十条。"""
    previous = last_year(report, context)
    if previous is None:
        return
    threshold, min_chars = _similarity_options(context)
    found = False
    for key in SIMILARITY_SECTIONS:
        measured = _measure(report, previous, key, min_chars)
        if measured is not None and measured.containment >= threshold:
            found = True
            yield _copied_finding(report, previous, key, measured, threshold)
    if not found:
        measured = _measure(report, previous, None, min_chars)
        if measured is not None and measured.containment >= threshold:
            yield _copied_finding(report, previous, None, measured, threshold)


def _similarity_options(context: Context) -> tuple[float, int]:
    threshold = float(context.option("similarity_threshold", DEFAULT_THRESHOLD))
    if threshold > 1:  # written as a percentage
        threshold /= 100
    return threshold, int(context.option("similarity_min_chars", DEFAULT_MIN_CHARS))


def narrative(report: Report, section: str | None) -> str:
    """Prose of one section ("1".."6"), or of all six sections when `section` is None."""
    lines = prose_lines(report, section)
    return "\n".join(line.norm for line in lines if line.section is not None)


def _measure(report: Report, previous: Report, section: str | None, min_chars: int) -> Similarity | None:
    measured = similarity(narrative(report, section), narrative(previous, section))
    if measured.length < min_chars or measured.other_length < min_chars:
        return None
    return measured


def _section_name(report: Report, key: str | None) -> str:
    if key is None:
        return "全部叙述文字"
    spec = report.spec or FORMAT_2021
    title = spec.sections[int(key) - 1].title
    return f"第{_NUMERALS[int(key) - 1]}部分（{title}）"


def _copied_finding(
    report: Report, previous: Report, key: str | None, measured: Similarity, threshold: float
) -> Finding:
    message = (
        f"{_section_name(report, key)}与{_prev_label(previous)}相似度 {measured.percent}%"
        f"（阈值 {int(round(threshold * 100))}%），疑似内容雷同"
    )
    return Finding(
        "XG703",
        WARNING,
        message,
        hint=(
            "相似度是本年这部分文字（去掉数字、年份、标点后）在上年报告同一部分中出现的比例。"
            "请按本年度实际情况重新撰写，尤其是上年度问题的改进情况和本年度存在的问题，不要只改年份和数字。"
        ),
        where=_section_where(report, key),
    )


def _section_where(report: Report, key: str | None) -> dict | None:
    if key is None:
        return None
    if key in report.section_where:
        return dict(report.section_where[key])
    lines = prose_lines(report, key)
    return where_of(lines[0]) if lines else {"section": key}


# ---------------------------------------------------------------- XG704


@rule(
    "XG704",
    "previous-not-comparable",
    INFO,
    "crossyear",
    "所给上年报告不是同一机关的上一年度报告，未做跨年度检查",
)
def previous_not_comparable(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：作为“上年报告”提供的报告，是否与本报告属于同一机关、且年度正好早一年。机关名称或年度
    未能识别时，相信调用者的选择，不作判断。

    为什么重要：跨年度检查（上年结转、现行有效件数、内容雷同）只对同一机关相邻两年的报告有意义；
    拿错了报告，比较结果全是误报。不符时其余跨年度规则一律不输出，本规则说明原因。

    示例：检查“示例区司法局 2024 年报告”时，提供的上年报告是“示例区民政局 2023 年报告”，
    或是“示例区司法局 2022 年报告”。

    依据：《政府信息公开条例》第四十九条、第五十条（各机关逐年编制本机关的年度报告）。"""
    previous = context.previous
    if previous is None:
        return
    reasons = mismatch_reasons(report, previous)
    if reasons:
        yield Finding(
            "XG704",
            INFO,
            "所给上年报告与本报告不匹配：" + "；".join(reasons) + "。跨年度检查未进行",
            hint="请提供同一机关上一年度的年度报告。",
        )
