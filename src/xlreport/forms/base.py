"""Vocabulary for declaring a statutory form as data.

A form is a set of tables; a table is a set of blocks (表二 has one block per
第二十条 item, 表三 and 表四 have one); a block is rows x columns of value cells.
Accounting identities are declared beside the tables, so that fill and
validation read the same declaration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from enum import Enum


class Kind(str, Enum):
    INPUT = "input"
    TOTAL = "total"


class Domain(str, Enum):
    COUNT = "count"  # integer >= 0
    DELTA = "delta"  # integer, may be negative (2019 本年增/减)
    AMOUNT = "amount"  # decimal >= 0 (万元)


DOMAIN_TEXT = {
    Domain.COUNT: "非负整数",
    Domain.DELTA: "整数（可为负数）",
    Domain.AMOUNT: "非负数（可带小数）",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    domain: Domain = Domain.COUNT
    unit: str = "件"
    kind: Kind = Kind.INPUT
    group: str = ""  # printed header above the label, e.g. 法人或其他组织


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    kind: Kind = Kind.INPUT
    group: str = ""  # printed group label, e.g. （三）不予公开


@dataclass(frozen=True)
class Block:
    key: str
    title: str  # e.g. 第二十条第（一）项; empty where the table has one block
    stub: str  # header over the row labels, e.g. 信息内容
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Table:
    key: str  # t2, t3, t4
    name: str  # 表二 …; also the sheet name in the workbook
    heading: str  # the report section the table belongs to
    blocks: tuple[Block, ...]
    note: str = ""  # the printed 勾稽 note


@dataclass(frozen=True)
class Cell:
    key: str  # t3.new.natural
    table: Table
    block: Block
    row: Row
    column: Column

    @property
    def kind(self) -> Kind:
        if Kind.TOTAL in (self.row.kind, self.column.kind):
            return Kind.TOTAL
        return Kind.INPUT

    @property
    def domain(self) -> Domain:
        return self.column.domain

    @property
    def unit(self) -> str:
        return self.column.unit

    @cached_property
    def defined_name(self) -> str:
        return "XR_" + self.key.replace(".", "_").upper()

    @cached_property
    def row_label(self) -> str:
        parts = [self.block.title, self.row.group, self.row.label]
        return "·".join(p for p in parts if p)

    @cached_property
    def column_label(self) -> str:
        return "·".join(p for p in (self.column.group, self.column.label) if p)

    @cached_property
    def statutory_name(self) -> str:
        """表/行/列, the way staff name a cell in a phone call."""
        return f"{self.table.name}/{self.row_label}/{self.column_label}"


@dataclass(frozen=True)
class Identity:
    """left terms summed == right terms summed, checked under `rule`.

    Where `left` is a single total cell, fill computes it from `right`.
    `scope` names the line the identity is about, for messages.
    """

    rule: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    scope: str


@dataclass(frozen=True)
class CoverField:
    key: str
    label: str
    required: bool = False
    hint: str = ""
    choices: tuple[str, ...] = ()  # offered as a drop-down; other text is kept but not understood
    # Template version that added the field: a workbook made from an older template has no
    # name for it, which is not damage (the field reads as blank).
    since_template: int = 1


@dataclass(frozen=True)
class AgencyLevel:
    """Which kind of agency publishes the report, and by when (条例第四十九条)."""

    key: str
    label: str  # as offered on the cover
    deadline: tuple[int, int]  # (month, day) in the year after the report year


@dataclass(frozen=True, eq=False)  # one object per format version: identity is equality, hashing is cheap
class Form:
    version: str  # "2019" or "2021"
    document: str  # 国办公开办函〔2021〕30号
    title: str
    first_year: int
    last_year: int | None
    tables: tuple[Table, ...]
    identities: tuple[Identity, ...]
    overview_parts: tuple[str, ...]  # default sub-headings of 一、总体情况
    cells: tuple[Cell, ...] = field(init=False, repr=False)
    _by_key: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        cells = tuple(
            Cell(f"{t.key}.{r.key}.{c.key}" if len(t.blocks) == 1 else f"{t.key}.{b.key}.{r.key}.{c.key}", t, b, r, c)
            for t in self.tables
            for b in t.blocks
            for r in b.rows
            for c in b.columns
        )
        object.__setattr__(self, "cells", cells)
        object.__setattr__(self, "_by_key", {c.key: c for c in cells})

    def cell(self, key: str) -> Cell:
        return self._by_key[key]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)
