"""Published on time (《条例》第四十九条, statutory-format.md §5.6): DATE-LATE and DATE-INVALID.

Pure: a Report in, findings out. The date judged is the 发布日期 where one is known (typed on
the cover after publication, or the 发布时间 line of an imported web page), else the 成文日期:
a report is not published before it is signed, so a 成文日期 after the deadline means a late report.
The deadline follows the agency's level: chosen on the cover, or judged from the agency's name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from ..forms import AGENCY_LEVELS, AgencyLevel
from ..model import Report, State
from ..rules.catalog import finding
from ..rules.findings import Finding
from ..workbook.names import cell_ref

FIRST_YEAR = 2019
_LEVEL = {level.key: level for level in AGENCY_LEVELS}
_BY_LABEL = {level.label: level for level in AGENCY_LEVELS}

# "某某市人民政府", or a place name alone ("宿迁市", the title of a government's own report);
# not a 乡镇 government or a 街道 / 开发区 office, whose deadline is set locally.
_GOVERNMENT = re.compile(r"(?:人民政府|省|自治区|市|自治州|州|盟|县|自治县|旗|区)$")
_LOCAL = re.compile(r"(?:[乡镇]人民政府|[乡镇]|街道|街道办事处|开发区|新区|园区|管理委员会|管委会)$")

_NUMERIC = re.compile(r"^(\d{4})[年./-](\d{1,2})[月./-](\d{1,2})日?(?:\d{1,2}:\d{2}(?::\d{2})?)?$")
_CHINESE = re.compile(r"^([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}


def _chinese_number(text: str) -> int:
    """一 … 三十一 (month and day numbers as 公文 dates write them)."""
    if "十" not in text:
        return _CN_DIGIT[text] if len(text) == 1 else -1
    tens, _, units = text.partition("十")
    return (_CN_DIGIT.get(tens, -1) if tens else 1) * 10 + (_CN_DIGIT.get(units, -1) if units else 0)


def parse_date(text: object) -> date | None:
    """2026年1月20日, 2026-01-20, 2026/1/20, 2026.1.20 (a time after it is ignored), or
    二〇二六年一月二十日; None when it is not one of these or not a day of the calendar."""
    if isinstance(text, date):
        return text
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))
    m = _NUMERIC.match(folded)
    if m:
        parts = [int(g) for g in m.groups()]
    else:
        m = _CHINESE.match(folded)
        if not m:
            return None
        parts = [int("".join(str(_CN_DIGIT[c]) for c in m[1])), _chinese_number(m[2]), _chinese_number(m[3])]
    try:
        return date(*parts)
    except ValueError:  # 2月30日, 13月
        return None


def agency_level(report: Report) -> tuple[AgencyLevel, str]:
    """The level chosen on the cover; else judged from the agency's name, with how it was judged."""
    v = report.cover.get("level")
    typed = str(v.raw).strip() if v is not None and v.state is State.TEXT else ""
    if typed in _BY_LABEL:
        return _BY_LABEL[typed], ""
    name = "".join(report.agency.split())
    if _LOCAL.search(name):
        level = _LEVEL["other"]
    elif _GOVERNMENT.search(name):
        level = _LEVEL["government"]
    else:
        level = _LEVEL["department"]
    why = f"封面“机关层级”填写的“{typed}”不是可选项，" if typed else "封面“机关层级”未选择，"
    return level, f"{why}已按机关名称“{report.agency or '（空白）'}”判断为{level.label}"


@dataclass(frozen=True)
class Timeliness:
    year: int  # the report year
    key: str  # cover field the date was read from
    date: date | None
    problem: str  # why there is no usable date; "" when there is
    level: AgencyLevel
    level_how: str  # "" when chosen on the cover

    @property
    def deadline(self) -> date:
        return date(self.year + 1, *self.level.deadline)

    @property
    def days_late(self) -> int | None:
        """0 on time, the days after the deadline when late, None without a usable date."""
        if self.problem:
            return None
        return max(0, (self.date - self.deadline).days)


def _date_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def timeliness(report: Report) -> Timeliness | None:
    """None when the report year is missing or invalid (COVER-YEAR says so)."""
    year = report.year
    if year is None or year < FIRST_YEAR:
        return None
    level, how = agency_level(report)
    published = report.cover.get("published_on")
    key = "published_on" if published is not None and published.state is not State.BLANK else "signed_on"
    v = report.cover.get(key)
    example = f"{year + 1}年1月20日"
    if v is None or v.state is State.BLANK:
        return Timeliness(year, key, None, f"为空，无法判断是否按时发布。请填写成文日期，如 {example}", level, how)
    when = parse_date(v.raw)
    if when is None:
        return Timeliness(year, key, None, f"填写的“{v.raw}”不是日期，应写作如 {example}", level, how)
    if when.year != year + 1:
        problem = f"为 {_date_text(when)}，不在报告年度的次年：{year} 年度的报告应在 {year + 1} 年成文、发布。请核对日期或报告年度"
        return Timeliness(year, key, when, problem, level, how)
    return Timeliness(year, key, when, "", level, how)


def timeliness_findings(report: Report) -> list[Finding]:
    t = timeliness(report)
    if t is None:
        return []
    ref = cell_ref(report, f"cover.{t.key}")
    if t.problem:
        return [finding("DATE-INVALID", [ref], problem=t.problem)]
    if not t.days_late:
        return []
    notes = [t.level_how + "；如不对，请在封面“机关层级”中选择"] if t.level_how else []
    if t.level.key == "other":
        notes.append("《条例》第四十九条未规定这类机关的期限，这里按最晚的法定期限提醒，地方规定可能更早")
    return [finding("DATE-LATE", [ref], date=_date_text(t.date), level=t.level.label, deadline=_date_text(t.deadline),
                    days=t.days_late, notes="".join(f"。{n}" for n in notes))]
