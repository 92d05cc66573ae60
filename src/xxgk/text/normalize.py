"""Normalisation used for matching labels and reading metadata.

Every function keeps newlines, so line i of the normalised text is line i of the source.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_PINYIN_GLOSS = re.compile(
    r"(?<=[\u3400-\u9fff])\(([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6})\)"
)

_PUNCT = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "［": "〔",
        "］": "〕",
        "\u00a0": " ",
        "\u3000": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\u200b": "",
        "\ufeff": "",
    }
)


def strip_pinyin(text: str) -> str:
    """Remove pinyin glosses such as 區(qū) after CJK characters; keep real Latin text like (APP)."""
    return _PINYIN_GLOSS.sub("", text)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def normalize_text(text: str) -> str:
    """Pinyin glosses removed, traditional -> simplified, NFKC, punctuation variants unified."""
    text = strip_pinyin(text)
    text = to_simplified(text)
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_PUNCT)


_WS = re.compile(r"\s+")
_NUMBERING = re.compile(r"^(\d{1,2})[、．.](?=\D)")


def label_key(text: str) -> str:
    """Key for comparing labels: normalised, no whitespace, list markers unified (1、 -> 1.)."""
    key = _WS.sub("", normalize_text(text))
    return _NUMBERING.sub(r"\1.", key)


def is_traditional(text: str) -> bool:
    """True when the text is mostly in traditional characters."""
    sample = strip_pinyin(text[:20000])
    changed = sum(1 for a, b in zip(sample, to_simplified(sample), strict=False) if a != b)
    return changed >= 10 and changed >= len(sample) * 0.02
