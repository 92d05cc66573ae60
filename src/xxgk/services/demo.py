"""`xxgk serve --demo`: a small organisation tree, four accounts and the bundled example
reports, so a newcomer sees full pages at once. The accounts get a new random password on
every start (printed by the command); a real deployment has no demo accounts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from ..accounts.users import add_user, find_user, hash_password, new_password
from ..orgs import OrgSpec, add_org, find_org
from ..store import Database
from ..store.tables import StoredReport
from . import reports

ACTOR = "演示数据"
ORGS = [
    OrgSpec("示例市人民政府", "人民政府", "市"),
    OrgSpec("示例县人民政府", "人民政府", "县", "示例市人民政府"),
    OrgSpec("示例县交通运输局", "政府部门", "县", "示例县人民政府"),
    OrgSpec("示例县城关镇人民政府", "乡镇", "乡", "示例县人民政府"),
    OrgSpec("示例区人民政府", "人民政府", "县", "示例市人民政府"),
    OrgSpec("示例区司法局", "政府部门", "县", "示例区人民政府"),
]
ACCOUNTS = [
    ("admin", "admin", "示例市人民政府"),
    ("duban", "supervisor", "示例市人民政府"),
    ("jiaotong", "clerk", "示例县交通运输局"),
    ("sifa", "clerk", "示例区司法局"),
]
REPORTS = [  # (uploading clerk, file under examples/), last year's first
    ("jiaotong", "示例县交通运输局-2024-含错误.txt"),
    ("sifa", "示例区司法局-2024-网页单元格.txt"),
    ("sifa", "编制/示例区司法局-2025-年度报告.docx"),
]


def examples_dir() -> Path | None:
    found = Path(__file__).resolve().parents[3] / "examples"
    return found if found.is_dir() else None


def create_demo(db: Database, examples: Path | None = None) -> str:
    """Create (or refresh) the demo; returns the password of every demo account."""
    password = new_password()
    with db.write() as session:
        for spec in ORGS:
            if find_org(session, spec.name) is None:
                add_org(session, ACTOR, spec)
        for login, role, org in ACCOUNTS:
            user = find_user(session, login)
            if user is None:
                add_user(session, ACTOR, login, role, org, password)
            else:
                user.password_hash = hash_password(password)
        if not session.query(StoredReport).count():
            _upload_examples(session, examples or examples_dir())
    return password


def _upload_examples(session: Session, folder: Path | None) -> None:
    if folder is None:
        return
    for login, name in REPORTS:
        path = folder / name
        if path.is_file():
            reports.upload(session, find_user(session, login), [(path.name, path.read_bytes())])
