"""Agency names: what looks like the name of an agency, and a name stated in a prose sentence.

Used by the metadata extractor and by the rules that compare a title with the agency.
"""

from __future__ import annotations

import re
from functools import lru_cache

CJK = r"\u3400-\u9fff"
# Areas run by a 管委会 that report in their own name (平潭综合实验区, 示例经济技术开发区).
ZONES = r"开发区|实验区|试验区|示范区|新区|高新区|园区|保税区|合作区|管理区"
_ALL_CJK = re.compile(rf"^[{CJK}]+$")
_ZONE_END = re.compile(rf"(?:{ZONES})$")
# Words describing a zone rather than naming it (经济技术开发区 names no zone).
_ZONE_WORDS = re.compile(r"国家级|省级|经济|技术|高新|产业|工业|综合|现代|农业|科技|物流|临港")

# Typical endings of an agency name (checked at the end of a candidate).
_SUFFIXES = (
    "局|委员会|委|办公室|办公厅|人民政府|政府|街道办事处|办事处|管委会|管理委员会|中心|厅|院|署"
    f"|乡|镇|街道|苏木|分局|公署|所|研究室|{ZONES}"
)
_AGENCY_SUFFIX = re.compile(f"(?:{_SUFFIXES})$")
# The last character of every name is one of these (a prefix ending otherwise is no name).
_SUFFIX_LAST = frozenset(word[-1] for word in _SUFFIXES.split("|"))
# Organ words that may follow a shorter name in the same agency name (利辛县望疃镇 -> …镇人民政府).
ORGAN_TAIL = re.compile(r"^(?:人民政府|政府|办事处|街道办事处|办公室|办公厅|管委会|委员会)$")
# A name ending in an organ is complete: 示例市农业农村局办公室 is another body than the bureau.
ORGAN_END = re.compile(
    r"(?:局|委员会|委|办公室|办公厅|政府|办事处|管委会|管理委员会|中心|厅|院|署|所|研究室)$"
)
# Party committees are not the authors of government disclosure reports.
_PARTY_COMMITTEE = re.compile(r"(?:[省市区县旗镇乡]|党|党工)委$")
# Place markers: a name with one of these has a proper (place) part.
_PLACE_MARK = re.compile(r"[省市区县镇乡旗盟州街村屯]|自治|国家|中国|中华|国务院")
# Words containing a place-marker character that are not places.
_NOT_PLACE = re.compile(r"城乡|城镇|乡镇|乡村|市场|社区|街道办事处")
# A level word in front of an organ with no proper name: 区司法局, 市统计局, 县人民政府办公室.
_LEVEL_PREFIX = re.compile(r"^(?:自治区|街道|[区市县省镇乡盟旗州])")
_PRONOUN_PREFIX = re.compile(
    r"^(?:我|该|此|贵|本(?:局|委|机关|单位|部门|镇|乡|街道|院|厅|办|中心|署|所)|全(?:省|市|区|县|镇|乡|旗))"
)
_EACH = re.compile(r"各")  # 全市各派出所, 各乡镇: several agencies, not one
# Words that never occur in an agency name but occur in the prose around it.
_NOT_IN_NAME = re.compile(
    r"信息公开|政务公开|关于|印发|通知|报告|根据|要求|工作要点|年度|领导小组|门户|网站|平台|首页|下载|热线"
    r"|娱乐|博彩|彩票|赌|棋牌|百家乐|威廉希尔|老虎机|官网|注册|登录|浏览|无障碍|位置|当前|欢迎|访问|字体"
    r"|打印|关闭|分享|扫描|二维码|微信|微博|搜索|导航|主页|返回|正文|栏目|标题|附件"
)


# A report names its agency in its title, prose and signature, and the reports of one site
# share it: a name is judged once (~1.4 us of regex searches for a name that passes).
@lru_cache(maxsize=1024)
def is_agency_name(name: str) -> bool:
    """True when ``name`` (normalised, no spaces) looks like the name of an agency.

    Rejects generic references (我局, 本机关, 区司法局, 市人民政府办公室, 信息中心), text that is not
    a name (verbs, document titles) and spam injected by mirror sites.
    """
    if not 3 <= len(name) <= 30 or not _ALL_CJK.match(name):
        return False
    if not _AGENCY_SUFFIX.search(name) or _PARTY_COMMITTEE.search(name):
        return False
    if _NOT_IN_NAME.search(name) or _PRONOUN_PREFIX.match(name) or _EACH.search(name):
        return False
    zone = _ZONE_END.search(name)
    if zone and len(_ZONE_WORDS.sub("", name[: zone.start()])) < 2:
        return False
    m = _LEVEL_PREFIX.match(name)
    if m and not _PLACE_MARK.search(_NOT_PLACE.sub("", name[m.end() :])):
        return False
    # 信息中心, 司法局, 人民政府: an organ with no proper name
    return bool(_PLACE_MARK.search(_NOT_PLACE.sub("", name))) or len(name) > 5


def plain_name(text: str) -> bool:
    """True when ``text`` could be a proper name that is not recognised as an agency
    (示例区第一司法站): Chinese characters only, short, and none of the words of prose or pages."""
    return 2 <= len(text) <= 30 and bool(_ALL_CJK.match(text)) and not _NOT_IN_NAME.search(text)


# Tokens at which a name taken from running prose ends (the verb after the subject, etc.).
_PROSE_STOP = re.compile(
    r"按照|严格|认真|坚持|深入|贯彻|落实|围绕|积极|进一步|全面|持续|高度|始终|紧紧|紧扣|紧密|依法|依据|不断"
    r"|扎实|着力|聚焦|立足|结合|根据|坚决|切实|继续|全年|主动|加强|大力|努力|推进|推动|做好|抓好|完成|开展"
    r"|共计|累计|信息公开|政务公开|工作|领导|指导|要求|关于|印发|通知|报告|全力|高标准|以来|年度|今年|本年"
    r"|进行|实施|通过|利用|依托|发布|公开|收到|受理|办理|及时|准确|规范|秉持|秉承|牢固|树立|强化|优化|深化"
    r"|健全|完善|建立|召开|出台|制定|作为|负责|主管|认识|重视|以|在|是|的|对|为|把|与|由|按|均|已|及"
)
# Stop characters that also begin place names (于都县, 共青城市, 将乐县, 未央区, 无锡市): they end a
# name only when not at its start.
_SOFT_STOP = re.compile(r"[于共将未无]")
NON_CJK = re.compile(rf"[^{CJK}]")


def name_from_prose(text: str) -> str | None:
    """The agency name at the start of ``text`` (a sentence whose subject is the agency), if any."""
    window = text[:40]
    m = NON_CJK.search(window)
    if m:
        window = window[: m.start()]
    m = _PROSE_STOP.search(window)
    if m:
        window = window[: m.start()]
    m = _SOFT_STOP.search(window, 1)
    if m:
        window = window[: m.start()]
    window = window[:30]
    # The window is Chinese characters only, so a name's last character is a suffix's.
    for end in range(len(window), 2, -1):
        if window[end - 1] in _SUFFIX_LAST and is_agency_name(cand := window[:end]):
            return cand
    return None
