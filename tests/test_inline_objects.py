"""Tokens, text lines and cells made without a class call (object.__new__ and slots set one by
one, on the hot path) are whole: every field set, equal to the object the class makes. A field
added to one of these classes and forgotten at an inlined site fails here."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from xxgk import extract
from xxgk.extract.tokens import tokenize
from xxgk.read.text import read_text_bytes

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))


def _remade(obj):
    values = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}  # AttributeError if unset
    return type(obj)(**values)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_inlined_object_is_the_one_its_class_makes(path):
    data = path.read_bytes()
    report = extract.parse_bytes(data, path.name)
    tokens = tokenize(read_text_bytes(data, path.name).blocks)
    objects = [*tokens, *report.lines, *report.cells.values()]
    assert len(tokens) > 50 and len(report.lines) > 50 and len(report.cells) > 50
    for obj in objects:
        assert _remade(obj) == obj
