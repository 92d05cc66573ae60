"""Patterns compiled when first needed: the ones a process never needs cost it nothing."""

from __future__ import annotations

import subprocess
import sys

from xxgk.read.text import decode_bytes
from xxgk.text.pinyin import _gloss, strip_pinyin


def test_gloss_patterns_by_opening_parenthesis():
    assert strip_pinyin("區(qū)") == "區"
    assert strip_pinyin("區（qū）") == "區"
    assert strip_pinyin("區(qū)縣（xiàn）政府(2024)") == "區縣政府(2024)"
    assert strip_pinyin("政府(2024)") == "政府(2024)"
    assert _gloss.cache_info().maxsize == 3
    assert _gloss("(").pattern.startswith("\\(")


def test_fresh_process_compiles_only_what_it_uses():
    code = (
        "from xxgk.read.text import read_text_bytes; from xxgk.read import textdecode;"
        "from xxgk.text.pinyin import _gloss, strip_pinyin;"
        "read_text_bytes('示例局(jú)'.encode());"
        "print(_gloss.cache_info().currsize, textdecode._implausible_chars.cache_info().currsize);"
        "strip_pinyin('示例局(jú)'); print(_gloss.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "0", "1"]


def test_utf16_without_bom_still_judged():
    text = "示例县人民政府2024年政府信息公开工作年度报告\n一、总体情况\n"
    assert decode_bytes(text.encode("utf-16-le")) == (text, "utf-16-le")
