"""The report value: every statutory cell with its own state.

A cell is a number, a blank, or text. Text that plainly means a number
("12件", full-width "１２", a number stored as text) becomes a number that
remembers what was interpreted, so the rules can report it; a blank is never 0.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache

from .forms import Form


class State(str, Enum):
    NUMBER = "number"
    BLANK = "blank"
    TEXT = "text"


@dataclass(frozen=True)
class Value:
    state: State
    number: Decimal | None = None
    raw: object = None  # what the file held, for messages
    interpreted: str = ""  # non-empty when text was read as a number: how

    @property
    def is_number(self) -> bool:
        return self.state is State.NUMBER


BLANK = Value(State.BLANK)

# A number, optionally with a unit staff like to type into the cell.
_NUMBER_TEXT = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(件|个|项|次|万元|万|元)?$")
_YUAN_PER_WANYUAN = Decimal(10000)


def number_from_float(x: float) -> Decimal:
    # repr gives the shortest string that round-trips, so 9116.36 stays 9116.36 and 1e30 stays
    # 10**30 (int(1e30) would be 1000000000000000019884624838656: digits nobody typed).
    return Decimal(int(x)) if x.is_integer() and abs(x) < 2**53 else Decimal(repr(x))


def interpret(raw: object, unit: str = "件") -> Value:
    """Read one cell as the statutory form sees it; never raises.

    `unit` is the unit the cell asks for; text in 元 is converted where it asks for 万元.
    """
    try:
        return _interpret_cached(raw, unit)
    except TypeError:  # unhashable: not something a spreadsheet cell holds, but never raise
        return _interpret(raw, unit)


def _interpret(raw: object, unit: str) -> Value:
    if raw is None:
        return BLANK
    if isinstance(raw, bool):
        return Value(State.TEXT, raw=raw)
    if isinstance(raw, int):
        return Value(State.NUMBER, Decimal(raw), raw)
    if isinstance(raw, float):
        if math.isnan(raw) or math.isinf(raw):
            return Value(State.TEXT, raw=raw)
        return Value(State.NUMBER, number_from_float(raw), raw)
    if isinstance(raw, Decimal):
        return Value(State.NUMBER, raw, raw) if raw.is_finite() else Value(State.TEXT, raw=raw)
    if isinstance(raw, (_dt.date, _dt.time, _dt.timedelta)):
        return Value(State.TEXT, raw=raw)
    text = str(raw)
    if not text.strip():
        return BLANK if raw == "" else Value(State.BLANK, raw=raw)
    return _interpret_text(text, unit)


# Values are immutable and workbooks repeat the same few numbers (0 above all).
_interpret_cached = lru_cache(maxsize=16384, typed=True)(_interpret)


def _interpret_text(text: str, cell_unit: str) -> Value:
    # NFKC folds full-width digits and signs (１２ → 12, －３ → -3).
    folded = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    match = _NUMBER_TEXT.match(folded)
    if not match:
        return Value(State.TEXT, raw=text)
    try:
        number = Decimal(match.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return Value(State.TEXT, raw=text)
    unit = match.group(2) or ""
    how = []
    if folded != text.strip():
        how.append("全角或分隔符已转换")
    if unit == "元" and cell_unit == "万元":
        number = number / _YUAN_PER_WANYUAN
        how.append("单位“元”已换算为万元")
    elif unit in ("万", "万元") and cell_unit != "万元":
        return Value(State.TEXT, raw=text)
    elif unit:
        how.append(f"去掉了单位“{unit}”")
    if not how:
        how.append("数字存成了文本")
    number = number.to_integral_value() if number == number.to_integral_value() else number.normalize()
    return Value(State.NUMBER, number, text, "，".join(how))


def text_value(raw: object) -> Value:
    """A free-text field (agency, phone, postcode): kept as typed, never read as a number."""
    text = "" if raw is None else str(raw).strip()
    return Value(State.TEXT, raw=text) if text else BLANK


# Bracket styles staff use interchangeably in names: 【】〔〕[] read as ().
_BRACKETS = str.maketrans("[{【〔〖〘〚]}】〕〗〙〛", "(((((((" + ")))))))")


def agency_key(name: str) -> str:
    """An agency name as compared between files: only how it is written is folded.

    Full-width and half-width forms, spaces anywhere (also U+3000, zero-width), the bracket style
    and Latin case. Every character of the name itself is kept, so 某某县人民政府 and
    某某县人民政府办公室 stay different agencies.
    """
    folded = unicodedata.normalize("NFKC", name).translate(_BRACKETS).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch) != "Cf")


def format_number(n: Decimal | None) -> str:
    if n is None:
        return "—"
    # "f" writes every digit whatever the exponent or the context precision: never 1E+30
    text = format(n, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def describe(v: Value) -> str:
    """How a value reads in a message: 12, 空白, “无”."""
    if v.state is State.NUMBER:
        return format_number(v.number)
    if v.state is State.BLANK:
        return "空白"
    return f"“{v.raw}”"


@dataclass(frozen=True)
class Location:
    sheet: str
    coord: str  # A1 style, no $

    @property
    def a1(self) -> str:
        return f"{self.sheet}!{self.coord}"


@dataclass
class Narrative:
    preamble: str = ""
    overview_intro: str = ""
    overview_parts: list[tuple[str, str]] = field(default_factory=list)  # (sub-heading, text)
    problems: str = ""
    other: str = ""
    fee_amount: Value = BLANK  # 元
    fee_count: Value = BLANK


@dataclass
class Report:
    form: Form
    values: dict[str, Value]  # statutory cell key → value
    cover: dict[str, Value] = field(default_factory=dict)  # cover field key → value
    narrative: Narrative = field(default_factory=Narrative)
    recorded_version: str | None = None  # form version written in the workbook
    template_version: str | None = None
    locations: dict[str, Location] = field(default_factory=dict)  # statutory/cover/narrative key → cell
    read_findings: list = field(default_factory=list)  # problems met while reading the file

    def value(self, key: str) -> Value:
        return self.values.get(key, BLANK)

    def number(self, key: str) -> Decimal | None:
        return self.value(key).number

    @property
    def year(self) -> int | None:
        v = self.cover.get("year", BLANK)
        if v.is_number and v.number == v.number.to_integral():
            return int(v.number)
        return None

    @property
    def agency(self) -> str:
        v = self.cover.get("agency", BLANK)
        return "" if v.state is State.BLANK else str(v.raw).strip()


def empty_report(form: Form) -> Report:
    return Report(form, {c.key: BLANK for c in form.cells})
