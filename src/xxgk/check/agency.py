"""What kind of agency a name denotes: its tier (national … township) and its role
(government, the government's general office, or a department).

Used by rules that depend on the agency type (who may make 规章, which self-references fit).
Works from the name alone, without a gazetteer, and says None whenever the name does not tell:

* 国务院部门: a name without a place that starts with 国家/国务院/中国 or ends in 部/总署
  (生态环境部, 国家税务总局, 海关总署). Local branches of national bodies (国家税务总局深圳市税务局)
  are departments at the branch's place.
* Places are read from the front of the name: 省/自治区, 自治州/盟/地区, 市, 区/县/旗, 镇/乡/街道/苏木.
  北京/上海/天津/重庆 are provincial. A 市 under a 省 is taken as prefecture-level, a 市 under
  another 市/州/盟/地区 as county-level; a bare "X市" may be either (地级市 or 县级市), so its
  tier is "municipal".
* Levels returned by `agency_level`: ``national``, ``township``, and ``<tier>_gov``,
  ``<tier>_gov_office`` or ``<tier>_department`` for tier provincial / city / county / municipal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

NATIONAL = "national"
PROVINCIAL = "provincial"
CITY = "city"  # prefecture level: 设区的市, 自治州, 盟, 地区
COUNTY = "county"
TOWNSHIP = "township"
MUNICIPAL = "municipal"  # a 市 whose rank (prefecture or county level) the name does not show

GOVERNMENT = "government"
OFFICE = "office"
DEPARTMENT = "department"

_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")

# (suffix, kind), longest first; kind "city" is resolved by the place before it.
_SUFFIXES = (
    ("特别行政区", "sar"),
    ("自治区", PROVINCIAL),
    ("自治州", "prefecture"),
    ("自治县", COUNTY),
    ("自治旗", COUNTY),
    ("民族乡", TOWNSHIP),
    ("省", PROVINCIAL),
    ("地区", "prefecture_nolaw"),
    ("盟", "prefecture_nolaw"),
    ("街道", TOWNSHIP),
    ("苏木", TOWNSHIP),
    ("市", "city"),
    ("州", "prefecture"),
    ("县", COUNTY),
    ("旗", COUNTY),
    ("区", COUNTY),
    ("镇", TOWNSHIP),
    ("乡", TOWNSHIP),
)
# A suffix character followed by these is part of an ordinary word (市场, 乡村, 区域 …).
_WORD_AFTER = {"市": "场政容民级", "乡": "村镇", "区": "域级", "县": "域级", "镇": "江"}
# Candidate places ending like this are ordinary words (住房和城乡, 城市, 社区).
_NOT_PLACE_END = ("城乡", "城镇", "乡镇", "社区")
_NOT_PLACE = ("城市", "都市", "超市", "新区")
# Organ characters never occur inside a place name (公安局鹿城区 is not a place).
_ORGAN_CHAR = re.compile(r"[局厅委办府署]")
_CJK = re.compile(r"^[\u3400-\u9fff]+$")
_MAX_STEM = 12

_GOVERNMENT_ORGANS = ("", "人民政府", "政府", "行政公署", "办事处", "街道办事处", "公所")
_OFFICE = re.compile(r"^(?:人民)?政府办公[厅室]$")
_ZONE = re.compile(r"(?:管委会|管理委员会)$")
_DEPARTMENT = re.compile(r"(?:局|厅|委员会|委|办公室|办|署|中心|院|所|站|队|行|部|处|馆|台|社)$")
_BRANCH = re.compile(r"[\u3400-\u9fff]{1,8}?(?:区|县|旗)分局$")

_NATIONAL_PREFIX = re.compile(
    r"^(?:国务院|国家[\u3400-\u9fff]{1,12}?(?:总局|局|委员会|署)|中国人民银行|海关总署|审计署"
    r"|中国[\u3400-\u9fff]{1,12}?(?:局|会))"
)
_NATIONAL_NAME = re.compile(r"^[\u3400-\u9fff]{1,14}(?:部|总署)$")


@dataclass(frozen=True)
class Place:
    name: str
    suffix: str
    kind: str


@dataclass(frozen=True)
class AgencyInfo:
    tier: str  # national | provincial | city | county | township | municipal
    role: str  # government | office | department
    places: tuple[Place, ...] = ()
    organ: str = ""  # the name after its places: 司法局, 人民政府, 办事处

    @property
    def place(self) -> Place | None:
        return self.places[-1] if self.places else None


def _clean(name: str | None) -> str:
    if not name:
        return ""
    name = re.sub(r"[（(].*?[)）]", "", name)
    return re.sub(r"\s+", "", name)


def _place_at(name: str, pos: int) -> tuple[str, str] | None:
    """The place name starting at `pos` (shortest stem first), as (name, suffix)."""
    for length in range(1, _MAX_STEM + 1):
        stem = name[pos : pos + length]
        if len(stem) < length or not _CJK.match(stem) or _ORGAN_CHAR.search(stem):
            return None
        end = pos + length
        for suffix, _kind in _SUFFIXES:
            if not name.startswith(suffix, end):
                continue
            after = name[end + len(suffix) : end + len(suffix) + 1]
            token = stem + suffix
            if after and after in _WORD_AFTER.get(suffix, ""):
                continue
            if token in _NOT_PLACE or token.endswith(_NOT_PLACE_END):
                continue
            if suffix == "州" and (length < 2 or after in ("市", "区")):
                continue
            return token, suffix
    return None


def _places(name: str, pos: int = 0) -> tuple[list[Place], int]:
    kinds = dict(_SUFFIXES)
    out: list[Place] = []
    while True:
        found = _place_at(name, pos)
        if found is None:
            return out, pos
        token, suffix = found
        out.append(Place(token, suffix, kinds[suffix]))
        pos += len(token)


def _tier(places: list[Place]) -> str | None:
    last = places[-1]
    if last.kind == "sar":
        return None
    if last.kind in ("prefecture", "prefecture_nolaw"):
        return CITY
    if last.kind != "city":
        return last.kind
    if last.name in _MUNICIPALITIES:
        return PROVINCIAL
    if len(places) == 1:
        return MUNICIPAL
    before = places[-2]
    return CITY if before.kind == PROVINCIAL and before.name not in _MUNICIPALITIES else COUNTY


def _role(organ: str) -> str | None:
    if organ in _GOVERNMENT_ORGANS:
        return GOVERNMENT
    if _OFFICE.match(organ):
        return OFFICE
    if _ZONE.search(organ) or not _CJK.match(organ):
        return None
    return DEPARTMENT if _DEPARTMENT.search(organ) else None


def _national(name: str) -> AgencyInfo | None:
    name = name.removeprefix("中华人民共和国")
    m = _NATIONAL_PREFIX.match(name)
    if m:
        rest = name[m.end() :]
        places, end = _places(rest)
        if places and _tier(places):
            return _local(places, rest[end:], branch=True)
        if m.group(0) == "国务院":
            role = GOVERNMENT if not rest else OFFICE if rest == "办公厅" else _role(rest)
            return AgencyInfo(NATIONAL, role, organ=rest) if role else None
        return AgencyInfo(NATIONAL, DEPARTMENT, organ=name) if not rest else None
    if _NATIONAL_NAME.match(name) and not _places(name)[0]:
        return AgencyInfo(NATIONAL, DEPARTMENT, organ=name)
    return None


def _local(places: list[Place], organ: str, branch: bool = False) -> AgencyInfo | None:
    tier = _tier(places)
    if tier is None:
        return None
    role = DEPARTMENT if branch else _role(organ)
    if role is None:
        return AgencyInfo(TOWNSHIP, DEPARTMENT, tuple(places), organ) if tier == TOWNSHIP else None
    if role == DEPARTMENT and tier != TOWNSHIP and _BRANCH.search(organ):
        tier = COUNTY  # 温州市公安局鹿城区分局
    return AgencyInfo(tier, role, tuple(places), organ)


@lru_cache(maxsize=4096)
def classify(name: str | None) -> AgencyInfo | None:
    """Tier, role, places and organ of an agency name; None when the name does not tell.
    Kept per name: several rules ask about the same agency, and a batch meets it again."""
    if not name or len(name) > 60:
        return None
    name = _clean(name)
    if len(name) < 2 or not _CJK.match(name):
        return None
    national = _national(name)
    if national is not None:
        return national
    places, end = _places(name)
    if not places:
        return None
    return _local(places, name[end:])


def agency_level(name: str | None) -> str | None:
    """ "national", "township", or "<tier>_gov" / "<tier>_gov_office" / "<tier>_department"
    (tier provincial, city, county, municipal); None when unknown."""
    info = classify(name)
    if info is None:
        return None
    if info.tier in (NATIONAL, TOWNSHIP):
        return info.tier
    return f"{info.tier}_" + {GOVERNMENT: "gov", OFFICE: "gov_office", DEPARTMENT: "department"}[info.role]


_ZONE_ONLY = re.compile(r"^[\u3400-\u9fff]{2,20}?(?:管委会|管理委员会)$")


def reports_for_area(name: str | None) -> bool | None:
    """Whether the agency's report is that of a whole area (条例第四十九条: 县级以上地方人民政府,
    published by 3/31) rather than a department's (1/31): a 县级以上 government or its general
    office, a zone named alone (平潭综合实验区) or its 管委会. False for departments and
    townships (not named in 第四十九条, which follow the department deadline in practice);
    None when the name does not tell."""
    info = classify(name)
    if info is None:
        cleaned = _clean(name)
        return True if cleaned and _ZONE_ONLY.match(cleaned) and not _DEPARTMENT.search(cleaned) else None
    if info.tier in (NATIONAL, TOWNSHIP):
        return False
    return info.role in (GOVERNMENT, OFFICE)


def can_make_regulations(name: str | None) -> bool | None:
    """Whether the agency may make 规章 (or report its government's 规章); None when unknown.

    Assumption (立法法 2023年修正 第九十一条、第九十三条, not verified here): 国务院各部、委员会、
    中国人民银行、审计署和具有行政管理职能的直属机构, and the people's governments of provinces,
    autonomous regions, municipalities, 设区的市 and 自治州. A government's general office reports
    its government's 规章 (the 2019 上海市人民政府办公厅 report does), so it counts as its government.
    """
    info = classify(name)
    if info is None:
        return None
    if info.tier == NATIONAL:
        return True if info.role == DEPARTMENT else None
    if info.role == DEPARTMENT or info.tier in (COUNTY, TOWNSHIP):
        return False
    if info.tier == PROVINCIAL:
        return True
    if info.tier == CITY:
        return info.places[-1].kind == "prefecture" or info.places[-1].suffix == "市"
    return None  # a bare X市人民政府: 设区的市 or 县级市


def kind_label(name: str | None) -> str | None:
    """A Chinese description of the agency type for messages."""
    info = classify(name)
    if info is None:
        return None
    if info.tier == TOWNSHIP:
        return "乡镇人民政府（街道办事处）"
    if info.tier == NATIONAL:
        return {DEPARTMENT: "国务院部门", OFFICE: "国务院办公厅"}.get(info.role, "国务院")
    if info.role == DEPARTMENT:
        return "地方政府工作部门"
    if info.tier == CITY and info.places[-1].kind == "prefecture_nolaw":
        return "盟行政公署（地区行政公署）"
    level = {PROVINCIAL: "省级", CITY: "设区的市级", COUNTY: "县级", MUNICIPAL: "市级"}[info.tier]
    return f"{level}人民政府" + ("办公厅（室）" if info.role == OFFICE else "")
