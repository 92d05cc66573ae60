"""Shortcuts in metadata and script detection give what the plain computations give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.extract import agency
from xxgk.extract.agency import is_agency_name, name_from_prose
from xxgk.extract.signature import find_signature
from xxgk.text import simplify
from xxgk.text.simplify import is_traditional


def _is_traditional_plain(text: str) -> bool:
    sample = text[:20000]
    chars = simplify._NOT_CJK.sub("", sample)
    if not chars:
        return False
    converted = simplify._convert(chars)
    if converted == chars:
        return False
    changed = sum(1 for a, b in zip(chars, converted, strict=False) if a != b)
    needed = max(2, min(10, len(chars) // 50)) if len(chars) > 4 else 1
    return changed >= needed and changed >= len(chars) * 0.05


_SCRIPT_ALPHABET = "国國区區县縣政府信息公开開結果维持維持中华人民共和国a1 ,。\n沈覆"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_SCRIPT_ALPHABET, max_size=400))
def test_is_traditional_counts_as_the_plain_sum(text):
    assert is_traditional(text) == _is_traditional_plain(text)


def test_is_traditional_thresholds():
    assert is_traditional("結果維持")
    assert not is_traditional("结果维持")
    # 5% of 100 characters: 5 changed pass, 4 do not.
    assert is_traditional("國" * 5 + "中" * 95)
    assert not is_traditional("國" * 4 + "中" * 96)


def _name_from_prose_plain(text: str) -> str | None:
    window = text[:40]
    for pattern, start in ((agency.NON_CJK, 0), (agency._PROSE_STOP, 0), (agency._SOFT_STOP, 1)):
        m = pattern.search(window, start)
        if m:
            window = window[: m.start()]
    window = window[:30]
    for end in range(len(window), 2, -1):
        if agency.is_agency_name.__wrapped__(window[:end]):
            return window[:end]
    return None


_NAME_ALPHABET = "示例市县区镇交通运输司法局人民政府办公室委员会中心街道办事处深入贯彻开发区管理, 2"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_NAME_ALPHABET, max_size=45))
def test_name_from_prose_as_the_plain_loop(text):
    assert name_from_prose(text) == _name_from_prose_plain(text)


def test_name_from_prose_values():
    assert name_from_prose("示例县交通运输局深入贯彻《条例》") == "示例县交通运输局"
    assert name_from_prose("示例市人民政府办公室") == "示例市人民政府办公室"
    assert name_from_prose("示例市人民政府办公室主任") == "示例市人民政府办公室"
    assert name_from_prose("区司法局认真落实") is None


def test_is_agency_name_is_cached():
    is_agency_name.cache_clear()
    assert is_agency_name("示例县交通运输局")
    assert is_agency_name("示例县交通运输局")
    assert not is_agency_name("区司法局")
    info = is_agency_name.cache_info()
    assert (info.hits, info.misses, info.maxsize) == (1, 2, 1024)


def test_signature_skips_blank_and_question_mark_lines():
    norm = ["正文", "示例市司法局", "  ", "??", "2025年1月10日", "", "\u3000"]
    assert find_signature(norm) == ("示例市司法局", 1, "2025-01-10", 4)
    assert find_signature(["示例市司法局", "? ?", "2025年1月10日 ?"]) == ("示例市司法局", 0, "2025-01-10", 2)
