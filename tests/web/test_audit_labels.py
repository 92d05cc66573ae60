"""Every action the library writes to the audit log has a Chinese label for the audit page."""

from __future__ import annotations

import re
from pathlib import Path

from xxgk.store.audit import ACTION_LABELS

SOURCE = Path(__file__).resolve().parents[2] / "src" / "xxgk"
# record(session, actor, "action", ...) — the action is always a literal
CALL = re.compile(r"\brecord\(\s*[^,()]+,\s*[^,()]+(?:\([^()]*\))?[^,()]*,\s*\"([a-z_]+\.[a-z_.]+)\"")


def test_every_recorded_action_has_a_label():
    actions = {m for path in SOURCE.rglob("*.py") for m in CALL.findall(path.read_text(encoding="utf-8"))}
    assert {"report.upload", "filing.submit", "filing.accept", "ledger.export"} <= actions
    assert sorted(actions - set(ACTION_LABELS)) == []
