"""Hygiene rules: what a published report should not carry — review comments and bookmarks
left from editing, template placeholders, stray English words, self-references that belong to
another kind of agency, and misspelt domain terms."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from ..model import ERROR, INFO, WARNING, Finding, Report
from .agency import classify
from .registry import Context, rule
from .selfwords import self_word_patterns, wrong_words
from .text import every_line, holds, latin_letters, report_lines, where_of

# ---------------------------------------------------------------- XG501 editing artifacts

_COMMENT_HEAD = re.compile(r"^\[?(?:Comment(?:ed)?(?: by)?|批注)\s*(?P<who>[^:：]{0,60}?)\s*[:：]\s*")
_ARTIFACT_NAMES = {"comment": "审阅批注", "revision": "修订痕迹", "bookmark": "书签", "image": "图片"}
_HIDDEN_HINT = "隐藏文字不显示、不打印，复制、检索和读屏软件却能读到，常是未删净的旧内容；请在 Word 中显示隐藏文字，核对后删除。"


def _artifact_body(kind: str, text: str) -> tuple[str, str | None]:
    """(the text to quote, the author or bookmark name) of an artifact as the reader kept it."""
    text = text.strip()
    if kind in ("bookmark", "image"):
        m = re.match(r"^\[(?:bookmark|image):\s*(.*?)\]?$", text)
        return (m.group(1).strip() if m else text), None
    m = _COMMENT_HEAD.match(text)
    if not m:
        return text.strip("[]"), None
    who = m.group("who").strip(" []")
    return text[m.end() :].rstrip("]").strip(), who or None


def _bookmark_finding(text: str, body: str, where: dict) -> Finding | None:
    """A "[bookmark: …]" marker was exported into the published text: a warning. A bookmark
    read from a DOCX file is invisible to readers: _GoBack and user bookmarks are noted (info),
    Word's other hidden ones (_Toc…, _Hlk…, _Ref… for contents and cross-references) skipped."""
    visible = text.strip().startswith("[bookmark:")
    if not visible and body.startswith("_") and body != "_GoBack":
        return None
    note = "（Word 自动记录的上次编辑位置）" if body == "_GoBack" else ""
    shown = "，正文中可见书签标记" if visible else ""
    return Finding(
        "XG501",
        WARNING if visible else INFO,
        f"报告中留有书签“{body}”{note}{shown}",
        where=where or None,
        hint="书签说明发布的是编辑中的工作稿；请删除正文中的书签标记，用定稿另存后再发布。",
    )


def _artifact_finding(kind: str, text: str, where: dict) -> Finding | None:
    if kind == "hidden_text":
        message = f"报告中有隐藏文字（Word 中不显示）：“{text.strip()}”"
        return Finding("XG501", ERROR, message, where=where or None, hint=_HIDDEN_HINT)
    body, who = _artifact_body(kind, text)
    what = _ARTIFACT_NAMES.get(kind, "编辑痕迹")
    if kind == "bookmark":
        return _bookmark_finding(text, body, where)
    if kind == "image":
        return Finding(
            "XG501",
            WARNING,
            f"报告中有图片（{body or '无说明文字'}），其中的文字和数据无法被读取和核对",
            where=where or None,
            hint="表格和数据请以文字表格发布，不要以截图代替；印章等图片可忽略本条。",
        )
    by = f"（批注人：{who}）" if who else ""
    return Finding(
        "XG501",
        ERROR,
        f"报告中留有{what}{by}：“{body}”",
        where=where or None,
        hint="发布前应处理并删除全部批注、接受或拒绝全部修订，再核对批注所指的内容是否已改正。",
    )


@rule("XG501", "editing-artifacts", ERROR, "hygiene", "发布的报告中留有批注、修订、书签、隐藏文字或图片占位")
def editing_artifacts(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：读取时从正文中去掉的编辑痕迹——审阅批注（Comment by…、批注 [..]）、修订痕迹、
    书签（[bookmark: …]）、Word 隐藏文字和图片占位（[image: …]），每处一条，指向所在行，并引用批注原文。

    为什么重要：批注和修订是内部审稿意见，公开发布说明报告未经定稿、审核流程有缺口；批注往往还指出了
    未改正的错误。批注和修订记为错误。书签本身读者看不到，只说明发布的是工作稿：书签标记
    “[bookmark: …]”出现在发布的文本中时记为警告；从 DOCX 文件读到的 _GoBack（Word 自动记录的上次编辑
    位置）和自定义书签记为提示，Word 为目录和交叉引用自动生成的 _Toc、_Hlk、_Ref 等隐藏书签不报。
    图片记为警告，因为其中的表格或数据无法核对，而印章等图片是正常的。隐藏文字（设为“隐藏”格式的文字）不计入
    正文和表格，记为错误：它不显示也不打印，却会被复制、检索，常是未删净的旧数字。

    示例：“2023年我局政府信息公开工作中规范化程度有待进一步加强… Comment by 707: 此处上年度应指2023年，
    而不是2024年。”；下一行开头的“[bookmark: _GoBack]”。

    依据：国办公开办函〔2021〕30号“（四）明确责任”：内容不准确、不完整的报告应追责；年报发布前的审核要求。"""
    for artifact in report.artifacts:
        finding = _artifact_finding(artifact.kind, artifact.text, dict(artifact.where))
        if finding is not None:
            yield finding


# ---------------------------------------------------------------- XG502 placeholders

# Each alternative starts with a fixed character (lookbehinds come after it) so that the
# scan is fast on long lines.
_PLACEHOLDERS = re.compile(
    r"[Xx](?<![A-Za-z][Xx])[Xx]+(?![A-Za-z])"  # XX, XXX局, 20XX年 (not inside Latin words)
    r"|[Xx](?<![A-Za-z0-9][Xx])(?=[年月日])"  # X月X日
    r"|[×✕╳]{2,}"  # ××局
    r"|某某(?=[局委办厅署市区县镇乡街部单科年月日号处室中])"  # 某某局, 某某年 (not 张某某)
    r"|待(?<!有待)(?:填写?|补充)"  # 待填, 待补充 (not 有待补充)
    r"|请填写|此处填写|此处输入"
    r"|【\s*】|〔\s*〕|\(\s+\)"  # 【】, 〔 〕号, ( )件
)
_PLACEHOLDER_STARTS = "Xx×✕╳某待请此【〔("
# The marker `xxgk new` writes where the clerk must write: certainly unfinished, so an error.
_TO_FILL = re.compile(r"【请填写[^】]*+】")
_PLACEHOLDER_START = re.compile(f"[{re.escape(_PLACEHOLDER_STARTS)}]")


# What each placeholder (and 【请填写…】) contains: a report with none of these, and no empty
# brackets, has no placeholder. Plain `in` tests run at memory speed, a pattern does not.
# (a character, the words holding it): a test for one character is much the faster.
_PLACEHOLDER_CORES = (
    ("×", ("×",)),
    ("✕", ("✕",)),
    ("╳", ("╳",)),
    ("【", ("【",)),
    ("某", ("某某",)),
    ("填", ("待填", "填写")),
    ("补", ("待补充",)),
    ("输", ("此处输入",)),
)
_EMPTY_BRACKETS = (("〔", re.compile(r"〔\s*〕")), ("(", re.compile(r"\(\s+\)")))


def _may_hold_placeholder(text: str, letters: bytes) -> bool:
    return (
        b"X" in letters
        or b"x" in letters
        or any(char in text and any(holds(text, core) for core in cores) for char, cores in _PLACEHOLDER_CORES)
        or any(first in text and p.search(text) for first, p in _EMPTY_BRACKETS)
    )


def _quote(matches: list[str]) -> str:
    return "、".join(f"“{m.strip() or m}”" for m in dict.fromkeys(matches))


@rule("XG502", "placeholder-text", WARNING, "hygiene", "报告中留有模板占位文字（XX、××、待填、【】等）")
def placeholder_text(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：正文、标题和表格中留下的模板占位文字：XX、XXX局、20XX年、X月X日、××、某某局、
    待填、待补充、请填写、空的【】、空的〔 〕（文号未填）和空括号“(  )件”。英文单词里的 XX 不算，
    “张某某”这类匿名写法不算，“有待补充”不算。

    为什么重要：占位文字说明报告按模板编写后没有填完，读者无法得知实际内容，也说明发布前未经认真校对。

    示例：“XX局2024年政府信息公开工作年度报告”；“全年共收到申请(  )件”；“X政办发〔 〕号”。

    xxgk new 生成的源文件中“【请填写：…】”标记处是必须由编写人填写的内容，留有这种标记为错误
    （报告不能生成），其他占位文字为警告。

    依据：国办公开办函〔2021〕30号“（四）明确责任”（内容不完整、敷衍塞责的应追责）。"""
    if not _may_hold_placeholder(every_line(report), latin_letters(report)):
        return
    for line in report_lines(report):
        if not _PLACEHOLDER_START.search(line.norm):
            continue
        unfilled = _TO_FILL.findall(line.norm)
        if unfilled:
            yield Finding(
                "XG502",
                ERROR,
                f"报告中留有未填写的内容{_quote(unfilled)}",
                where=where_of(line),
                hint="请把【请填写：…】整段替换为实际内容后再生成报告。",
            )
            continue
        found = _PLACEHOLDERS.findall(line.norm)
        if found:
            yield Finding(
                "XG502",
                WARNING,
                f"报告中留有模板占位文字{_quote(found)}：“{_snippet(line.norm, found[0])}”",
                where=where_of(line),
                hint="请填入实际内容（机关名称、日期、数字、文号），或删除这段模板文字。",
            )


def _snippet(text: str, word: str, width: int = 18) -> str:
    text = text.strip()
    i = text.find(word)
    if i < 0 or len(text) <= 2 * width + len(word):
        return text
    start, end = max(0, i - width), i + len(word) + width
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


# ---------------------------------------------------------------- XG503 stray Latin words

# Every alternative starts at a fixed character or at the start of a run and never backtracks
# into it, so a line of any length is scanned in linear time.
_SKIP_SPANS = re.compile(
    r"(?:https?://|www\.)[^\s\u3400-\u9fff,;，；。、)）>》]++"  # URLs
    r"|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)++"  # e-mail
    r"|(?<![A-Za-z0-9.-])(?>[A-Za-z0-9-]+\.)++(?:gov|com|org|net|edu|cn)\b[^\s\u3400-\u9fff]*+"  # domains
    r"|\([^()]*+\)|《[^《》]*+》|【[^【】]*+】|\"[^\"]*+\"|“[^“”]*+”|'[^']*+'|<[^<>]*+>"  # quoted or in brackets
    # A bracket or quote that a line break cut in two (PDF lines, hard-wrapped text): the line
    # ends inside it, or starts inside it.
    r"|\([^()]*+$|^[^()]*+\)|《[^《》]*+$|^[^《》]*+》|“[^“”]*+$|^[^“”]*+”"
)
# A Latin word, not glued to digits, not right after a number (a unit: 5 km).
_LATIN_WORD = re.compile(r"(?<![A-Za-z0-9])(?<![0-9] )[A-Za-z]++(?:[-'][A-Za-z]++)*+(?![A-Za-z0-9])")
_LATIN = re.compile(r"[A-Za-z]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ENGLISH_FUNCTION_WORDS = _words("and or the of to in for with on by from at as is are be an this that not")
# Lower-case tokens that are normal in Chinese government text: units, file types, tech words.
_LOWER_OK = _words(
    "app apps pdf doc docx xls xlsx wps ofd html htm jpg png zip rar txt wifi www gov cn com net org "
    "http https email e-mail qq ip id icp km kg cm mm ml kw kwh mu pm am vs"
)
_CJK_RUN = re.compile(r"[\u3400-\u9fff]")
_URL_LINE = re.compile(r"^\s*(?:网址|网站|网站地址|邮箱|电子邮箱|e-?mail)\s*[:：]", re.IGNORECASE)


def _stray_words(text: str) -> list[str]:
    if not _LATIN.search(text) or _URL_LINE.match(text):
        return []
    if sum(1 for _ in itertools.islice(_CJK_RUN.finditer(text), 5)) < 5:
        return []  # not a Chinese sentence
    clean = _SKIP_SPANS.sub(" ", text)
    out = []
    for m in _LATIN_WORD.finditer(clean):
        word = m.group(0)
        lower = word.lower()
        if lower in _ENGLISH_FUNCTION_WORDS or (len(word) >= 2 and word.islower() and lower not in _LOWER_OK):
            out.append(word)
    return out


@rule("XG503", "stray-english", WARNING, "hygiene", "中文句子里夹有英文单词")
def stray_english(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：正文句子里夹杂的英文单词，如“生产、生活 and 经济社会活动”。只报英文虚词（and、of、the…）
    和全小写的英文词；网址、电子邮箱、域名、括号或引号书名号中的内容、大写缩写（APP、PDF、ICP、OA）、
    带大写字母的产品名（IPv6、Wi-Fi、WeChat）、数字后的单位（5 km）和 app、pdf、wifi 等常见词不报。

    为什么重要：夹杂的英文多半是翻译稿、输入法或复制粘贴留下的痕迹，说明报告发布前未经校对。

    示例：“发挥政府对人民群众生产、生活 and 经济社会活动的服务作用”（应为“和”）。

    依据：国办公开办函〔2021〕30号对报告内容准确、规范的要求；《国家通用语言文字法》。"""
    if not latin_letters(report):  # most reports: no Latin letter at all
        return
    for line in report_lines(report):
        if line.in_table:
            continue
        words = _stray_words(line.norm)
        if words:
            yield Finding(
                "XG503",
                WARNING,
                f"中文句子里夹有英文单词{_quote(words)}：“{_snippet(line.norm, words[0])}”",
                where=where_of(line),
                hint="请改为对应的中文（如 and 改为“和”），或删除多余的英文。",
            )


# ---------------------------------------------------------------- XG504 wrong agency words


@rule("XG504", "wrong-agency-words", WARNING, "hygiene", "报告自称与本机关类型不符（如局的报告写“我镇”）")
def wrong_agency_words(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：报告里的自称是否与报告机关的类型相符（机关名称取自 meta.agency，未知时不检查）：
    政府工作部门（局、委、办）或县级以上人民政府的报告写“我镇、本镇、我乡、我街道”（部门报告还包括
    “全镇、全乡、全街道”）；乡镇人民政府、街道办事处的报告写“我局、本局”；区、县一级机关写
    “我市司法局”“我市高度重视”这类把自己当作市级机关的话；民政局等地方部门写“我部”或以“民政部”
    作主语（“民政部高度重视…”）。只报第一人称或主语用法，“根据民政部…”“全县各乡镇”不报。

    为什么重要：这类错误几乎都是照搬其他机关或上级机关的报告而忘了改，读者会怀疑报告内容是否属实；
    内容雷同是格式文件点名追责的情形。

    示例：“硚口区司法局”的报告写“我镇高度重视政府信息公开工作”；“某镇人民政府”的报告写“我局全年主动公开…”。

    依据：国办公开办函〔2021〕30号“（四）明确责任”（内容雷同、敷衍塞责的应追责）。"""
    info = classify(report.meta.agency)
    if info is None:
        return
    text = every_line(report)
    # Most reports contain none of the words: no line needs a look.
    patterns = [(p, owner) for p, owner, words in self_word_patterns(info) if any(holds(text, w) for w in words)]
    if not patterns:
        return
    for line in report_lines(report):
        if line.in_table:
            continue
        for word, owner in wrong_words(line, patterns):
            yield Finding(
                "XG504",
                WARNING,
                f"报告机关是“{report.meta.agency}”，但文中写“{word}”（{owner}的说法）："
                f"“{_snippet(line.norm, word)}”",
                where=where_of(line),
                hint="疑似照搬了其他机关的报告，请改为本机关的自称（如“我局”“我镇”“我区”）并核对这段内容是否属实。",
            )


# ---------------------------------------------------------------- XG505 misspelt domain terms

# (wrong, right, why). Patterns are matched on the normalised text with spaces removed.
TYPOS: tuple[tuple[str, str, str], ...] = (
    (r"钩稽关系", "勾稽关系", "格式文件表三注释作“勾稽关系”"),
    (r"沟稽", "勾稽", "“沟”为同音错字"),
    (r"规范性文件件(?!数)", "规范性文件", "“件”字重复"),
    (r"公开公开", "公开", "“公开”重复"),
    (r"报报告", "报告", "“报”字重复"),
    (r"年度年度", "年度", "“年度”重复"),
    (r"(?<!答)复义(?!务)", "复议", "“义”为同音错字"),
    (r"讼诉", "诉讼", "字序颠倒"),
    (r"诉颂", "诉讼", "“颂”为同音错字"),
    (r"公开条列", "公开条例", "“列”为同音错字"),
    (r"依申清", "依申请", "“清”为形近错字"),
    (r"予于公开", "予以公开", "“于”为同音错字"),
    (r"处里费", "处理费", "“里”为同音错字"),
    (r"国办公开办涵", "国办公开办函", "文号中“函”误作“涵”"),
    (r"国办公开函(?=〔|\d)", "国办公开办函", "文号漏“办”字"),
)
_TYPO_PATTERNS = tuple((re.compile(w), right, why) for w, right, why in TYPOS)
# One pass over the report finds whether any line is worth trying each pattern on (most
# reports have no typo). The leading class of first characters lets the scan skip ahead.
_TYPO_FIRST = {re.sub(r"^\(\?<!.\)", "", w)[0] for w, _, _ in TYPOS}
_LOOKAROUND = re.compile(r"\(\?<?[=!][^()]*(?:\([^()]*\)[^()]*)*\)")
_TYPO_CORES = tuple(_LOOKAROUND.sub("", w) for w, _, _ in TYPOS)
_TYPO_CHARS = tuple((core, tuple(dict.fromkeys(core))) for core in _TYPO_CORES)


_ANY_TYPO = re.compile(
    ("" if _TYPO_FIRST & set("[(\\.^$*+?{|") else f"(?=[{''.join(sorted(_TYPO_FIRST))}])")
    + "(?:"
    + "|".join(f"(?:{w})" for w, _, _ in TYPOS)
    + ")"
)


@rule("XG505", "domain-typos", WARNING, "hygiene", "政府信息公开专用词语写错（如“钩稽关系”“规范性文件件”）")
def domain_typos(report: Report, context: Context) -> Iterable[Finding]:
    """检查什么：本领域常用词语的错别字和重字，按一张（错误写法，正确写法，理由）表逐行查找（含表格注释），
    去掉行内空格后匹配：钩稽/沟稽关系（格式文件作“勾稽关系”）、规范性文件件（“规范性文件件数”不算）、
    公开公开、报报告、年度年度、行政复义（“答复义务”不算）、讼诉、诉颂、政府信息公开条列、依申清、
    予于公开、信息处里费、国办公开办涵、国办公开函〔2021〕30号（漏“办”）。

    为什么重要：这些词出现在每一份年报里，写错说明报告未经校对；文号写错还会让读者找不到依据文件。

    示例：“对我局制发的规范性文件件实现应解读尽解读”；表三注释“本列数据的钩稽关系为…”；
    “（国办公开函〔2021〕30号）”。

    依据：国办公开办函〔2021〕30号 及其表格用字；《中华人民共和国政府信息公开条例》。"""
    # Every wrong form contains its literal core, so a report holding none has no typo (most
    # reports). A core's characters are looked up first: one missing rules the core out fast.
    text = every_line(report)
    cores = [core for core, chars in _TYPO_CHARS if all(map(text.__contains__, chars))]
    if not cores:
        return
    text = text.replace(" ", "").replace("\u3000", "")
    if not any(core in text for core in cores):
        return
    lines = report_lines(report)
    for line in lines:
        compact = line.norm.replace(" ", "").replace("\u3000", "")
        if not _ANY_TYPO.search(compact):
            continue
        for pattern, right, why in _TYPO_PATTERNS:
            m = pattern.search(compact)
            if m:
                yield Finding(
                    "XG505",
                    WARNING,
                    f"“{m.group(0)}”应为“{right}”（{why}）：“{_snippet(compact, m.group(0))}”",
                    where=where_of(line),
                    hint="请改正错别字；同一处错误如在往年报告中也有，请一并核对。",
                )
