"""A near-duplicate measure for narrative text (内容雷同), fast and dependency-free.

Two texts are compared as sets of character 5-grams ("shingles") after removing what
legitimately changes from one year to the next: digits (years, counts, dates), Chinese
numerals (三次 / 两次), punctuation and whitespace. Normalisation (traditional → simplified,
NFKC, pinyin glosses) comes first, so a mirror page in traditional characters compares
like the original.

Two numbers describe the overlap of shingle sets A (this year) and B (last year):

* containment |A∩B| / |A| — the share of this year's text that already stood in last
  year's. This is the measure the checker reports: a text that was copied and then cut
  down or lightly edited still scores high, a text that keeps last year's paragraph but
  adds much new material scores low.
* Jaccard |A∩B| / |A∪B| — symmetric, kept for batch comparison and measurements.

Character n-grams suit Chinese (no word segmentation needed); n = 5 is long enough that
two unrelated reports on the same subject share few shingles beyond set phrases such as
以公开为常态、不公开为例外, and short enough that one changed character spoils only five.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.normalize import normalize_text

SHINGLE_SIZE = 5

# Everything that is not a Han character or a Latin letter, plus Chinese numerals.
_DROP = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fffA-Za-z]+|[〇零一二三四五六七八九十两]+")


def comparable_text(text: str) -> str:
    """The text as compared: normalised, without digits, numerals, punctuation, spaces."""
    return _DROP.sub("", normalize_text(text))


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[str]:
    """Character n-grams of an already comparable text (one shingle for a shorter text)."""
    if len(text) <= size:
        return {text} if text else set()
    return {text[i : i + size] for i in range(len(text) - size + 1)}


@dataclass(frozen=True)
class Similarity:
    containment: float  # share of this text's shingles found in the other
    jaccard: float
    length: int  # comparable characters of this text
    other_length: int  # comparable characters of the other text

    @property
    def percent(self) -> int:
        """Containment as a whole percentage, for messages (rounded down: 99.6% is not 100%)."""
        return int(self.containment * 100)


def similarity(text: str, other: str) -> Similarity:
    """How much of `text` already stands in `other` (see the module docstring)."""
    a_text, b_text = comparable_text(text), comparable_text(other)
    a, b = shingles(a_text), shingles(b_text)
    if not a or not b:
        return Similarity(0.0, 0.0, len(a_text), len(b_text))
    common = len(a & b)
    return Similarity(common / len(a), common / len(a | b), len(a_text), len(b_text))
