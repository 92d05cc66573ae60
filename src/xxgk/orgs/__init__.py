"""The organisation tree (机构树): nodes, kinds, levels; import and export as CSV/XLSX."""

from .io import COLUMNS, ImportProblems, export_bytes, import_orgs
from .tree import KINDS, LEVELS, OrgSpec, add_org, all_orgs, find_org, get_org, subtree_ids, tree_order

__all__ = [
    "COLUMNS",
    "KINDS",
    "LEVELS",
    "ImportProblems",
    "OrgSpec",
    "add_org",
    "all_orgs",
    "export_bytes",
    "find_org",
    "get_org",
    "import_orgs",
    "subtree_ids",
    "tree_order",
]
