"""The shipped table of characters t2s changes (t2s_table.py) against the installed OpenCC."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import opencc
import pytest

from xxgk.text import simplify, t2s_changes, t2s_table


@pytest.fixture
def fresh_pattern():
    simplify._may_change.cache_clear()
    yield
    simplify._may_change.cache_clear()


def test_table_regenerates_from_the_installed_opencc():
    found = t2s_changes.opencc_fingerprint()
    if found != (t2s_table.OPENCC_VERSION, t2s_table.DICTIONARY_SIZES):
        pytest.skip(f"installed OpenCC {found} is not the table's: run scripts/make_t2s_table.py")
    changed = t2s_changes.changed_alone(opencc.OpenCC("t2s").convert)
    assert changed == t2s_table.CHANGED
    assert len(changed) == 4221
    assert t2s_changes.opencc_fingerprint() == (t2s_table.OPENCC_VERSION, t2s_table.DICTIONARY_SIZES)
    assert opencc.__version__ == t2s_table.OPENCC_VERSION
    source = t2s_changes.table_source(*t2s_changes.opencc_fingerprint(), changed)
    assert source == Path(t2s_table.__file__).read_text(encoding="utf-8")


def test_shipped_table_is_used_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert t2s_changes.shipped_changes() == t2s_table.CHANGED


def test_other_opencc_falls_back_quietly_to_the_same_pattern(monkeypatch, fresh_pattern):
    shipped = simplify._may_change().pattern
    simplify._may_change.cache_clear()
    monkeypatch.setattr(t2s_changes, "opencc_fingerprint", lambda: ("9.9.9", (1, 2, 3, 4, 5)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        computed = simplify._may_change().pattern
    assert computed == shipped
    assert not simplify.t2s_keeps("國")
    assert simplify.t2s_keeps("国")


def test_dictionary_unlike_any_measured_converts_everything(monkeypatch, fresh_pattern):
    monkeypatch.setattr(t2s_changes, "opencc_fingerprint", lambda: (None, ()))
    monkeypatch.setattr(simplify, "changed_alone", lambda convert: None)
    assert not simplify.t2s_keeps("国")
    assert simplify.t2s_keeps("abc 2024")


def test_fingerprint_without_opencc_package(monkeypatch):
    monkeypatch.setattr(t2s_changes.importlib.util, "find_spec", lambda name: None)
    assert t2s_changes.opencc_fingerprint() == (None, ())


def test_simplified_text_does_not_load_opencc():
    code = (
        "import sys; from xxgk.text.normalize import normalize_script;"
        "print(normalize_script('中华人民共和国政府信息公开条例（2024年）'), 'opencc' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "('中华人民共和国政府信息公开条例(2024年)', True) False"
