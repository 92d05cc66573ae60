"""The rule catalogue: every rule has a stable code, a name, a severity, a one-line Chinese
summary and documentation (what it checks, why it matters, an example, the basis).

A rule is a small pure function `rule(report, context) -> Iterable[Finding]`. Reading
findings (XG0xx) are emitted by the reader; they are catalogued here too.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import Finding, Report

RuleFunc = Callable[[Report, "Context"], Iterable[Finding]]


@dataclass
class Context:
    """What the report alone does not say: last year's report of the same agency, the member
    reports of an aggregate report, and options from the configuration file."""

    previous: Report | None = None
    members: list[Report] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    def option(self, name: str, default: Any) -> Any:
        return self.options.get(name, default)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    family: str
    summary: str
    doc: str
    func: RuleFunc | None = None  # None for findings the reader emits


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: str, family: str, summary: str):
    """Register a rule function; its docstring is the rule's documentation."""

    def register(func: RuleFunc) -> RuleFunc:
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        RULES[code] = Rule(code, name, severity, family, summary, inspect.cleandoc(func.__doc__ or ""), func)
        return func

    return register


def register_reader_rules(specs: dict[str, dict]) -> None:
    for code, spec in specs.items():
        RULES.setdefault(
            code,
            Rule(
                code,
                spec["name"],
                spec["severity"],
                spec.get("family", "reading"),
                spec["summary"],
                spec["doc"],
                None,
            ),
        )


def selected(rule_code: str, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    """`--select` / `--ignore` by code or prefix (XG1 selects XG101…XG199)."""
    if select and not any(rule_code.startswith(s) for s in select):
        return False
    return not (ignore and any(rule_code.startswith(s) for s in ignore))
