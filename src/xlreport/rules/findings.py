"""Findings are values: validation returns them, adapters show them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from ..model import format_number


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True)
class Rule:
    """A rule as data: stable id, severity, the format text it enforces, a Chinese message template."""

    id: str
    severity: Severity
    title: str
    basis: str
    message: str


PREVIOUS_YEAR = "上年"  # sheet label prefix of last year's cells


@dataclass(frozen=True)
class CellRef:
    """A cell as staff see it: 表三!D12, and 表/行/列 by its printed labels."""

    key: str  # statutory cell key, or cover./narrative./meta. key
    sheet: str
    coord: str
    name: str  # 表三/一、本年新收政府信息公开申请数量/自然人

    @property
    def a1(self) -> str:
        return f"{self.sheet}!{self.coord}" if self.coord else self.sheet

    def of_previous_year(self) -> CellRef:
        """The same cell in last year's report: 上年 表三!D29, key previous.…, never taken for this year's."""
        return CellRef(f"previous.{self.key}", f"{PREVIOUS_YEAR} {self.sheet}", self.coord, f"{PREVIOUS_YEAR} {self.name}")

    def to_dict(self) -> dict:
        return {"key": self.key, "cell": self.a1, "sheet": self.sheet, "coord": self.coord, "name": self.name}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    cells: tuple[CellRef, ...] = ()
    left: Decimal | None = None
    right: Decimal | None = None
    delta: Decimal | None = None

    @property
    def table(self) -> str:
        """The sheet the finding is about, for grouping."""
        return self.cells[0].sheet if self.cells else ""

    def to_dict(self) -> dict:
        num = lambda n: None if n is None else format_number(n)  # noqa: E731
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "cells": [c.to_dict() for c in self.cells],
            "left": num(self.left),
            "right": num(self.right),
            "delta": num(self.delta),
        }


def worst(findings) -> Severity | None:
    severities = {f.severity for f in findings}
    for s in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        if s in severities:
            return s
    return None
