"""The organisation tree (机构树): nodes with a name (unique), a kind, an administrative level
and a parent. Reports belong to a node; a supervisor reads its node's whole subtree."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import InputError
from ..store.audit import record
from ..store.base import utc_now
from ..store.tables import Org

KINDS = ("人民政府", "政府部门", "街道办事处", "乡镇", "开发区管委会", "其他")
LEVELS = ("省", "市", "县", "乡")
MAX_NAME = 200
_ILLEGAL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class OrgSpec:
    """A node as entered (command line, admin page, one row of an import file)."""

    name: str
    kind: str
    level: str
    parent: str = ""

    def cleaned(self) -> OrgSpec:
        return OrgSpec(*(str(v or "").strip() for v in (self.name, self.kind, self.level, self.parent)))


def spec_problems(spec: OrgSpec) -> list[tuple[str, str]]:
    """(column, Chinese message) for each field of a cleaned node that cannot be stored."""
    problems = []
    if not spec.name:
        problems.append(("名称", "名称不能为空"))
    elif len(spec.name) > MAX_NAME or _ILLEGAL.search(spec.name):
        problems.append(("名称", f"名称无效（超过 {MAX_NAME} 字或含控制字符）"))
    if spec.kind not in KINDS:
        problems.append(("类型", f"未知的类型“{spec.kind}”（可选：{'、'.join(KINDS)}）"))
    if spec.level not in LEVELS:
        problems.append(("层级", f"未知的层级“{spec.level}”（可选：{'、'.join(LEVELS)}）"))
    if spec.parent and spec.parent == spec.name:
        problems.append(("上级", "上级不能是机构自身"))
    return problems


def add_org(session: Session, actor: str, spec: OrgSpec) -> Org:
    """Add one node; its parent must exist already."""
    spec = spec.cleaned()
    problems = [message for _, message in spec_problems(spec)]
    if spec.name and find_org(session, spec.name) is not None:
        problems.append(f"机构“{spec.name}”已存在")
    parent = find_org(session, spec.parent) if spec.parent else None
    if spec.parent and parent is None:
        problems.append(f"上级机构“{spec.parent}”不存在")
    if problems:
        raise InputError("；".join(problems))
    org = insert_org(session, spec, parent.id if parent else None)
    record(session, actor, "org.add", spec.name, kind=spec.kind, level=spec.level, parent=spec.parent)
    return org


def insert_org(session: Session, spec: OrgSpec, parent_id: int | None) -> Org:
    org = Org(name=spec.name, kind=spec.kind, level=spec.level, parent_id=parent_id, created_at=utc_now())
    session.add(org)
    session.flush()
    return org


def find_org(session: Session, name: str) -> Org | None:
    return session.scalar(select(Org).where(Org.name == name.strip()))


def get_org(session: Session, name: str) -> Org:
    org = find_org(session, name)
    if org is None:
        raise InputError(f"机构“{name.strip()}”不存在")
    return org


def all_orgs(session: Session) -> list[Org]:
    return list(session.scalars(select(Org).order_by(Org.id)))


def tree_order(orgs: list[Org]) -> list[tuple[Org, int]]:
    """Every node with its depth, parents before children, siblings in the order added."""
    children: dict[int | None, list[Org]] = {}
    for org in orgs:
        children.setdefault(org.parent_id, []).append(org)
    out: list[tuple[Org, int]] = []
    stack = [(org, 0) for org in reversed(children.get(None, []))]
    while stack:
        org, depth = stack.pop()
        out.append((org, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(org.id, [])))
    return out


def subtree_ids(session: Session, root_id: int) -> set[int]:
    """The node and all nodes below it."""
    children: dict[int | None, list[int]] = {}
    for org_id, parent_id in session.execute(select(Org.id, Org.parent_id)):
        children.setdefault(parent_id, []).append(org_id)
    found, todo = {root_id}, [root_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found
