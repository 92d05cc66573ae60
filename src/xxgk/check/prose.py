"""Text vs table rules: numbers the prose states against the table cells they describe,
and totals the prose states against the parts it lists (spec X6)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import ERROR, INFO, WARNING, Finding, Number, Report, TextLine, number_text
from .prose_facts import KIND_NAMES, Fact, fact_value, facts, stated_parts
from .prose_numbers import SumStatement, sum_statements
from .prose_table import Expected, expected_for
from .registry import Context, rule
from .text import prose_lines, where_of

# ---------------------------------------------------------------- quoting

_ASCII_PUNCT = re.compile(r"(?<!\d),|,(?!\d)|[;:()]")
_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}
QUOTE_LIMIT = 60
_CLAUSE_END = re.compile(r"[,;。]")


def _display(text: str) -> str:
    if not ("," in text or ";" in text or ":" in text or "(" in text or ")" in text):
        return text.strip()  # most quotes: one clause, nothing to widen
    return _ASCII_PUNCT.sub(lambda m: _FULL[m.group()], text).strip()


def _clause_left(text: str, start: int) -> int:
    """Where the clause holding text[start] begins: after the last , ; or 。 before it."""
    return max(text.rfind(",", 0, start), text.rfind(";", 0, start), text.rfind("。", 0, start)) + 1


def quote(text: str, start: int, end: int) -> str:
    """The clause around text[start:end], as shown to the reader: full-width punctuation,
    at most QUOTE_LIMIT characters."""
    left = _clause_left(text, start)
    m = _CLAUSE_END.search(text, end)  # the first , ; or 。 from `end` on
    right = m.start() if m else len(text)
    if right - left > QUOTE_LIMIT:
        left = max(left, end - QUOTE_LIMIT)
        right = min(right, left + QUOTE_LIMIT)
        return "…" + _display(text[left:right]) + ("…" if right < len(text) else "")
    return _display(text[left:right])


def _amount(value: Number, unit: str) -> str:
    return f"{number_text(value)} {unit}"


# ---------------------------------------------------------------- XG301


def _stated_facts(report: Report) -> Iterable[tuple[TextLine, Fact, list[Fact]]]:
    """(line, fact, all facts of the line), each (kind, value) once per line."""
    year = report.meta.year
    for line in prose_lines(report):
        found = facts(line.norm, year, line.section == "4")
        if len(found) < 2:  # most lines: none or one, nothing to repeat
            for fact in found:
                yield line, fact, found
            continue
        seen = set()
        for fact in found:
            if (fact.kind, fact.value) not in seen:
                seen.add((fact.kind, fact.value))
                yield line, fact, found


@rule("XG301", "prose-table-number", ERROR, "prose", "正文所述数字与表格对应单元格不一致")
def prose_table_number(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：正文（总体情况及各部分文字说明）中写明的数字是否与表格中对应的单元格一致，包括：
    本年新收申请、上年结转、已办结（答复）、结转下年度继续办理，予以公开、部分公开、不予公开、无法提供、
    不予处理、其他处理，因政府信息公开被申请行政复议、提起行政诉讼的件数，行政许可、行政处罚、行政强制
    处理决定数量，行政规范性文件和规章的制发、废止、现行有效件数，行政事业性收费金额。
    “未收到政府信息公开申请”视为新收 0 件；“没有因政府信息公开工作被申请行政复议、提起行政诉讼”视为
    复议、诉讼均为 0 件。“收到/受理申请N件”等于新收与上年结转之和时也视为一致；表中总计栏空白时按各栏
    之和比较。“同意公开答复9件”“部分公开答复0件”分别与“三(一)予以公开”“三(二)部分公开”比较，不与办理结果
    总计比较；同一句写出两部分、其和恰为单元格的（“现行有效规范性文件120件，新制发30件”而表中现行有效150），
    “清理现行有效规范性文件N件”（清理的件数）都不比较。约数（“20余篇”“近100条”）、百分比、增减数、
    其他年份的数字不比较；表格中未读到或空白的单元格不比较。

    为什么重要：正文和表格说的是同一组数字，二者不一致时读者无法判断哪一个是真的，评估时会被认定为
    数据不准确。常见原因是改了表格忘了改正文，或沿用了上一年的正文。

    示例：总体情况写“全年新收政府信息公开申请11件”，表三“一、本年新收政府信息公开申请数量”总计栏
    却是 12；正文写“本年度未收到政府信息公开申请”，表三新收总计却是 3。

    依据：规范 X6（正文引用的数字与表格一致）；国办公开办函〔2021〕30号 要求年度报告数据准确。"""
    if report.spec is None:
        return
    known: dict[tuple[str, str], Expected | None] = {}  # by kind and keyword: what the table says
    for line, fact, found in _stated_facts(report):
        key = (fact.kind, fact.keyword)
        expected = known[key] if key in known else known.setdefault(key, expected_for(report, fact))
        if expected is None:
            continue
        stated = fact_value(fact)
        if expected.accepts(stated) or stated_parts(line.norm, fact, found, expected.value):
            continue
        yield _mismatch(report, line, fact, stated, expected)


def _mismatch(report: Report, line: TextLine, fact: Fact, stated: Number, expected: Expected) -> Finding:
    unit = "万元" if fact.kind == "fee" else "件"
    said = f"0 {unit}" if fact.negation else _amount(fact.value, fact.unit)
    message = (
        f"{KIND_NAMES[fact.kind]}：正文“{quote(line.norm, fact.start, fact.end)}”为 {said}，"
        f"表中{expected.label}为 {_amount(expected.value, unit)}{expected.note}，二者不一致"
    )
    hint = "正文引用的数字应与表格一致。请以办理台账为准核对，改正正文或表格中错误的一处。"
    if fact.negation:
        hint = "“未收到申请”“没有被申请行政复议、提起行政诉讼”等说法即表示 0 件。" + hint
    return Finding("XG301", ERROR, message, list(expected.refs), hint=hint, where=where_of(line))


# ---------------------------------------------------------------- XG302


def _sum_problem(statement: SumStatement) -> Number | None:
    """The sum to report, or None when the parts agree with the total: a list may end at any
    ';'; a 其中 list may leave parts out, so only a sum above the total is wrong for it."""
    total = statement.total.value
    if total in statement.sums:
        return None
    if statement.closed:
        return statement.sums[0] if len(statement.parts) > 1 or statement.sums[0] > total else None
    return statement.sums[0] if statement.sums[0] > total else None


@rule("XG302", "prose-total-parts", WARNING, "prose", "正文所述总数与其后列举的分项之和不符")
def prose_total_parts(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：正文写出一个总数并随即列举分项时（“主动公开政府信息32条，包括领导信息类1条、机构职能类
    2条……”“收到申请6件，其中予以公开4件、部分公开1件、不予公开1件”），分项之和是否与总数相符。
    用“包括”列举时分项合计应等于总数；用“其中”列举时可能只列了一部分，只有分项合计超过总数才提示。
    列举中有“等”、约数、百分比、增减数或单位不同的项（“个”“次”）时按未列全处理。

    为什么重要：总数和分项写在同一句里，读者一算就能发现不符，这类错误直接影响报告的可信度，通常是
    修改某个分项后忘了更新总数。

    示例：“主动公开政府信息32条，包括领导信息类1条、机构职能类2条……”，各项相加只有 31 条。

    依据：规范 X6；国办公开办函〔2021〕30号 要求年度报告数据准确。"""
    for line in prose_lines(report):
        for statement in sum_statements(line.norm):
            total_sum = _sum_problem(statement)
            if total_sum is None:
                continue
            unit = statement.total.unit
            verdict = "超过" if total_sum > statement.total.value else "不等于"
            message = (
                f"正文“{_statement_quote(line.norm, statement)}”：所列分项合计 {_amount(total_sum, unit)}，"
                f"{verdict}所述总数 {_amount(statement.total.value, unit)}"
            )
            hint = "核对总数和各分项数字。“其中”所列分项之和不应超过总数；用“包括”列举全部分项时，合计应等于总数。"
            yield Finding("XG302", WARNING, message, [], hint=hint, where=where_of(line))


def _statement_quote(text: str, statement: SumStatement) -> str:
    left = _clause_left(text, statement.start)
    body = text[left : statement.end]
    if len(body) > QUOTE_LIMIT:
        return _display(body[: QUOTE_LIMIT - 12]) + "……" + _display(body[-10:])
    return _display(body)


# ---------------------------------------------------------------- XG303

_ALL_UPHELD = re.compile(r"均获维持|全部维持|均予维持|均被维持|均维持|全部获得维持|均获得维持")
_NO_LOSS = re.compile(r"零败诉|无败诉|未败诉|没有败诉")
_DISCLOSURE = re.compile(r"(?:信息|依申请)公开")


@rule("XG303", "prose-all-upheld", INFO, "prose", "正文称复议诉讼“均获维持”，表中却有纠正或未审结")
def prose_all_upheld(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：正文称因政府信息公开引起的行政复议、行政诉讼“均获维持”“全部维持”（或“零败诉”），
    而表四相应一栏的“结果纠正”“其他结果”“尚未审结”（“零败诉”时只看“结果纠正”）不为 0。

    为什么重要：尚未审结的案件还没有结果，被纠正的案件不是维持，这样的概括会误导读者；上海市人民政府
    办公厅2019年报就写了“复议7件、诉讼9件，均获维持”，而表中复议 2 件、诉讼 1 件尚未审结。

    示例：正文“信息公开类行政复议7件，诉讼9件，均获维持”，表四 行政复议 尚未审结 2。

    依据：规范 X6；国办公开办函〔2021〕30号 要求年度报告数据准确。"""
    if report.spec is None:
        return
    for line in prose_lines(report):
        text = line.norm
        # What each claim holds, tested per prose line: the whole text mostly holds 维持 (the
        # table's 结果维持), a line mostly does not.
        if "维持" not in text and "败诉" not in text:
            continue
        m = _ALL_UPHELD.search(text) or _NO_LOSS.search(text)
        if m is None or not (line.section == "4" or _DISCLOSURE.search(text)):
            continue
        sentence = text[max(0, text.rfind("。", 0, m.start()) + 1) : m.end()]
        finding = _upheld_finding(report, line, sentence, upheld=_ALL_UPHELD.match(m.group()) is not None)
        if finding is not None:
            yield finding


_REVIEW_NAMES = {
    "reconsideration": "行政复议",
    "litigation_direct": "未经复议直接起诉的行政诉讼",
    "litigation_after_reconsideration": "复议后起诉的行政诉讼",
}
_RESULT_NAMES = {"corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结"}


def _upheld_finding(report: Report, line: TextLine, sentence: str, upheld: bool) -> Finding | None:
    rows = []
    if "复议" in sentence.replace("复议后", ""):
        rows.append("reconsideration")
    if "诉讼" in sentence or "起诉" in sentence:
        rows += ["litigation_direct", "litigation_after_reconsideration"]
    results = ("corrected", "other", "pending") if upheld else ("corrected",)
    problems, refs = [], []
    for row in rows:
        for result in results:
            ref = f"reviews/{row}/{result}"
            if report.has(ref) and (report.value(ref) or 0) > 0:
                value = number_text(report.value(ref))
                problems.append(f"{_REVIEW_NAMES[row]}{_RESULT_NAMES[result]} {value} 件")
                refs.append(ref)
    if not problems:
        return None
    claim = "均获维持" if upheld else "没有败诉"
    message = f"正文“{_display(sentence[-QUOTE_LIMIT:])}”称{claim}，但表中{'、'.join(problems)}"
    hint = "尚未审结的案件还没有结果，被纠正的案件不是维持；请按表四如实表述，例如“已审结的均获维持，另有N件尚未审结”。"
    return Finding("XG303", INFO, message, refs, hint=hint, where=where_of(line))
