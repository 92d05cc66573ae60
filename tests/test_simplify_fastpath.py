"""The t2s fast path: a text holding none of the characters t2s changes is not converted."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.text import simplify
from xxgk.text.simplify import PHRASE_ONLY, is_traditional, t2s_keeps, to_simplified


def _dump(name: str, tmp_path: Path) -> dict[str, str]:
    """A t2s dictionary as {key: first value}, through the opencc_dict tool of the wheel."""
    import opencc

    clib = Path(opencc.__file__).parent / "clib"
    tool, source = clib / "bin" / "opencc_dict", clib / "share" / "opencc" / f"{name}.ocd2"
    if not tool.exists() or not source.exists():
        pytest.skip("opencc_dict or the dictionary is not in this OpenCC build")
    out = tmp_path / f"{name}.txt"
    env = {"LD_LIBRARY_PATH": str(clib / "lib64")}
    run = subprocess.run([tool, "-i", source, "-o", out, "-f", "ocd2", "-t", "text"], env=env, check=False)
    if run.returncode != 0:
        pytest.skip("opencc_dict failed")
    entries = (line.rstrip("\n").split("\t") for line in out.read_text(encoding="utf-8").splitlines())
    return {key: value.split(" ")[0] for key, value in entries}


def test_phrase_only_characters_match_the_dictionary(tmp_path):
    phrases = _dump("TSPhrases", tmp_path)
    changed = {k: v for k, v in phrases.items() if simplify._convert(k) != k}
    # Each changing entry has a character that changes, which the fast path knows.
    differing = {a for k, v in changed.items() if len(k) == len(v) for a, b in zip(k, v, strict=True) if a != b}
    alone = {c for c in differing if simplify._convert(c) == c}
    assert "".join(sorted(alone)) == "".join(sorted(PHRASE_ONLY))
    assert all(len(k) == len(v) for k, v in changed.items())
    keys = set(phrases)
    for name in ("TSCharacters", "TSCharactersExt", "CJK_Compatibility_Ideographs"):
        keys |= set(_dump(name, tmp_path))
    in_ranges = [c for k in keys for c in k if not any(lo <= ord(c) <= hi for lo, hi in simplify._CJK_RANGES)]
    assert all(ord(c) > 0xFFFF for c in in_ranges)


def test_t2s_keeps():
    assert t2s_keeps("中华人民共和国政府信息公开条例 2024年")
    assert t2s_keeps("")
    assert not t2s_keeps("國")
    assert not t2s_keeps("深沈")  # 沈 alone stays, in 深沈 it changes
    assert not t2s_keeps("沈")
    assert not t2s_keeps("\U00020000")  # astral: always converted


def test_phrase_only_characters_still_convert():
    assert to_simplified("深沈的回覆") == "深沉的回复"
    assert to_simplified("沈阳市") == "沈阳市"
    assert to_simplified("答覆") == "答复"
    assert to_simplified("显著") == "显著"  # the post-map runs on texts t2s keeps
    assert to_simplified("衞生") == "卫生"


def test_is_traditional_fast_path():
    assert not is_traditional("示例县交通运输局2024年政府信息公开工作年度报告")
    assert is_traditional("示例縣交通運輸局2024年政府信息公開工作年度報告")
    assert not is_traditional("沈")


_ALPHABET = "中国政府信息公开沈覆藉么深回答国國區县縣a1 \n" + PHRASE_ONLY


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=12))
def test_kept_texts_are_their_own_conversion(text):
    if t2s_keeps(text):
        assert simplify._convert(text) == text
    converted = simplify._convert(text)  # to_simplified as it was: always converted
    if any(hint in converted for hint in simplify._POST_HINTS):
        converted = simplify._POST.sub(simplify._post, converted)
    assert to_simplified(text) == converted
