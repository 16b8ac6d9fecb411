"""The report as a document model shared by the renderers: title, preamble, sections 一 to 六
with the statutory headings, narrative, tables, signature. Pure: a Report in, a value out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..forms import HEADINGS
from ..model import Report, State
from .grid import Grid, clean, table_grid

DRAFT_MARK = "校验未通过稿"
_TITLE = "{agency}{year}年政府信息公开工作年度报告"
_LAW = "《中华人民共和国政府信息公开条例》"
# A narrative line that is only a numbered sub-heading, e.g. （一）存在的主要问题
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)][^。；！？]{0,30}$")


@dataclass(frozen=True)
class Part:
    kind: str  # title | body | h1 | h2 | table | signature | date
    text: str = ""
    grid: Grid | None = None


@dataclass(frozen=True)
class ReportDocument:
    title: str
    draft: bool  # built with --force over error findings: every page says DRAFT_MARK
    parts: tuple[Part, ...]


def _cover(report: Report, key: str) -> str:
    v = report.cover.get(key)
    return "" if v is None or v.state is State.BLANK else clean(v.raw).strip()


def _year(report: Report) -> str:
    return str(report.year) if report.year is not None else "（年度未填）"


def title(report: Report) -> str:
    return _TITLE.format(agency=clean(report.agency) or "（机关名称未填）", year=_year(report))


def text_width(text: str) -> float:
    """Width in characters of a CJK font: digits and Latin count half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def title_lines(report: Report) -> str:
    """The title, broken after the agency where it would not fit one line of 2号 (20 characters)."""
    agency, full = clean(report.agency), title(report)
    if agency and text_width(full) > 20:
        return agency + "\n" + full[len(agency) :]
    return full


def paragraphs(text: str, subheadings: bool = True) -> list[Part]:
    """Typed text split at line breaks; a line that is only （一）… becomes a sub-heading."""
    out = []
    for line in clean(text).splitlines():
        line = line.strip()
        if line:
            out.append(Part("h2" if subheadings and _SUBHEADING.match(line) else "body", line))
    return out


def preamble(report: Report) -> list[str]:
    """The preamble staff typed, else one built from the cover and the form version."""
    typed = [p.text for p in paragraphs(report.narrative.preamble, subheadings=False)]
    if typed:
        return typed
    form, agency = report.form, clean(report.agency) or "本机关"
    sections = "，".join(h.split("、", 1)[1] for h in HEADINGS.values())
    text = (
        f"本报告根据{_LAW}（以下简称《条例》）和《{form.title}》（{form.document}）要求编制，"
        f"全文包括{sections}六个部分。"
        f"本报告中所列数据统计期限为{_year(report)}年1月1日至12月31日。"
    )
    website = _cover(report, "website")
    where = f"{website}" if website else f"{agency}门户网站政府信息公开专栏"
    text += f"本报告电子版可在{where}查阅和下载。"
    contacts = [
        f"{label}：{_cover(report, key)}"
        for key, label in (("address", "地址"), ("postcode", "邮编"), ("phone", "电话"), ("fax", "传真"), ("email", "电子邮箱"))
        if _cover(report, key)
    ]
    if contacts:
        text += f"如对本报告有疑问，请与{agency}联系（{'，'.join(contacts)}）。"
    return [text]


_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "O": 0}


def _cn_number(s: str) -> int:
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)
    return _CN_DIGIT[s]


def arabic_date(text: str) -> str:
    """成文日期 in Arabic numerals without leading zeros (GB/T 9704): 2021年1月29日."""
    t = unicodedata.normalize("NFKC", text).strip()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", t)
    if m:
        return f"{int(m[1])}年{int(m[2])}月{int(m[3])}日"
    m = re.fullmatch(r"([〇零○OＯ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日", t)
    if m:
        try:
            year = "".join(str(_CN_DIGIT[c]) for c in m[1])
            return f"{year}年{_cn_number(m[2])}月{_cn_number(m[3])}日"
        except KeyError:
            pass
    return text.strip()


def compose(report: Report, draft: bool = False) -> ReportDocument:
    n = report.narrative
    heading = title(report)
    parts = [Part("title", title_lines(report))]
    parts += [Part("body", p) for p in preamble(report)]
    for key, text in HEADINGS.items():
        parts.append(Part("h1", text))
        if key == "overview":
            parts += paragraphs(n.overview_intro)
            for sub, body in n.overview_parts:
                if clean(sub).strip():
                    parts.append(Part("h2", clean(sub).strip()))
                parts += paragraphs(body, subheadings=False)
        elif key == "problems":
            parts += paragraphs(n.problems)
        elif key == "other":
            parts += paragraphs(n.other)
        else:
            parts.append(Part("table", grid=table_grid(report, report.form.table(key))))
    parts.append(Part("signature", clean(report.agency)))
    signed = _cover(report, "signed_on")
    if signed:
        parts.append(Part("date", arabic_date(signed)))
    return ReportDocument(heading, draft, tuple(parts))
