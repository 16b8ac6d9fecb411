"""Files that would count one agency twice: the same agency and year, the same bytes, the same tables.

A fingerprint is taken where a file is read anyway (in the batch workers, in aggregate's reader);
finding duplicates afterwards only groups these small values and opens no file.

The tables' hash is over the statutory cells as the rules read them, not as they were typed: a
number is its value (12, "12", "１２" and "12件" are one number; 12 and 12.0 too; "12000元" in a
万元 cell is 1.2), a blank is a blank and text is text, so blank, 0, "/" and "无" stay four
different tables. A resubmission that only retyped a text number as a number is the same report.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from ..forms import Form
from ..forms.base import Kind
from ..model import BLANK, Report, State, Value, agency_key, format_number

# Identical tables prove one report only if they say something: two townships that each granted
# one application and report zeros elsewhere are two reports. Below this many non-zero input
# cells, identical tables are not taken as a duplicate (the same agency name and the same bytes
# still are).
MIN_NONZERO_INPUTS = 5
SHORT = 12  # hex digits of a hash shown to people

SAME_BYTES, SAME_AGENCY, SAME_TABLES = "文件完全相同", "同一机关同一年度", "统计表数字完全相同"
_SHOWN = 20  # sets of files listed in a message


@dataclass(frozen=True)
class Fingerprint:
    file: str
    agency: str
    year: int | None
    tables_sha256: str
    tables_nonzero: int  # non-zero input cells: how much identical tables prove
    sha256: str = ""  # of the file's bytes; "" for a report that is no file
    modified: str = ""  # the file's modification time, ISO 8601, local, to the second

    @classmethod
    def of_row(cls, row: dict) -> Fingerprint:
        """From a batch row (the JSON shape of `xlreport check`)."""
        return cls(row["file"], row.get("agency") or "", row.get("year"), **row["fingerprint"])


def shown_time(modified: str) -> str:
    """2026-01-20T09:30:12 as people read it: 2026-01-20 09:30:12."""
    return modified.replace("T", " ")


@dataclass(frozen=True)
class Pair:
    first: int  # indexes into the fingerprints, first < second
    second: int
    why: str


@lru_cache(maxsize=None)  # a Form hashes by identity
def _keys(form: Form) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every statutory cell in declaration order, and the input (not total) cells."""
    return tuple(c.key for c in form.cells), tuple(c.key for c in form.cells if c.kind is Kind.INPUT)


def _token(v: Value) -> str:
    if v.state is State.NUMBER:
        digits = str(v.number)
        return digits if digits.isdigit() else format_number(v.number)  # 12 fast; -3, 1.50, 1E+2 the careful way
    if v.state is State.BLANK:
        return ""
    return "'" + " ".join(unicodedata.normalize("NFKC", str(v.raw)).split())  # never a number's token


def tables_fingerprint(report: Report) -> tuple[str, int]:
    """SHA-256 of the canonical statutory cells (module docstring) and the non-zero input cells."""
    keys, inputs = _keys(report.form)
    values = report.values
    tokens = [report.form.version] + [_token(values.get(k, BLANK)) for k in keys]  # declaration order: no keys needed
    nonzero = 0
    for k in inputs:
        v = values.get(k, BLANK)
        if v.state is State.NUMBER and v.number:
            nonzero += 1
    return hashlib.sha256("\n".join(tokens).encode()).hexdigest(), nonzero


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def file_facts(path: str | Path, report: Report) -> dict:
    """What a batch row carries: the fingerprint without file, agency and year (the row has them)."""
    tables, nonzero = tables_fingerprint(report)
    modified = datetime.fromtimestamp(Path(path).stat().st_mtime).isoformat(timespec="seconds")
    return {"sha256": file_sha256(path), "modified": modified, "tables_sha256": tables, "tables_nonzero": nonzero}


def fingerprint(file: str, report: Report, path: str | Path | None = None) -> Fingerprint:
    """`path` None: a report that is no file (no bytes, no modification time)."""
    if path is None:
        tables, nonzero = tables_fingerprint(report)
        return Fingerprint(file, report.agency, report.year, tables, nonzero)
    return Fingerprint(file, report.agency, report.year, **file_facts(path, report))


def _why(a: Fingerprint, b: Fingerprint) -> str:
    if a.sha256 and a.sha256 == b.sha256:
        return SAME_BYTES
    same_tables = a.tables_sha256 == b.tables_sha256
    if a.agency and agency_key(a.agency) == agency_key(b.agency):
        return f"{SAME_AGENCY}，统计表数字{'相同' if same_tables else '不同'}"
    return SAME_TABLES + ("（机关名称不同）" if a.agency and b.agency else "")


def find(prints: Sequence[Fingerprint]) -> list[Pair]:
    """Every pair of files that would count one agency twice, in input order."""
    groups: dict[tuple, list[int]] = {}
    for i, p in enumerate(prints):
        keys = []
        if p.sha256:
            keys.append(("bytes", p.sha256))
        if p.agency and p.year is not None:
            keys.append(("agency", p.year, agency_key(p.agency)))
        if p.tables_nonzero >= MIN_NONZERO_INPUTS:
            keys.append(("tables", p.year, p.tables_sha256))
        for key in keys:
            groups.setdefault(key, []).append(i)
    pairs = {(a, b) for members in groups.values() for n, a in enumerate(members) for b in members[n + 1:]}
    return [Pair(a, b, _why(prints[a], prints[b])) for a, b in sorted(pairs)]


def _named(p: Fingerprint, agency: str) -> str:
    """The file with its modification time, and its agency where it differs from the set's."""
    facts = ([p.agency or "未填机关名称"] if p.agency != agency else []) + (
        [f"修改于 {shown_time(p.modified)}"] if p.modified else [])
    return f"{p.file}（{'，'.join(facts)}）" if facts else p.file


def groups(count: int, pairs: Sequence[Pair]) -> list[list[int]]:
    """The sets of files that pairs join (one report counted more than once), in input order."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for p in pairs:
        parent[root(p.second)] = root(p.first)
    members: dict[int, list[int]] = {}
    for i in range(count):
        members.setdefault(root(i), []).append(i)
    return sorted((m for m in members.values() if len(m) > 1), key=lambda m: m[0])


def group_lines(prints: Sequence[Fingerprint], pairs: Sequence[Pair]) -> list[str]:
    """For a message: each set of files that would count one agency twice, under its agency and
    year, each file with its modification time and why it joins a file listed before it."""
    why = {(p.first, p.second): p.why for p in pairs}
    lines = []
    sets = groups(len(prints), pairs)
    for members in sets[:_SHOWN]:
        first = prints[members[0]]
        year = f" {first.year} 年度" if first.year is not None else ""
        lines.append(f"  {first.agency or '未填机关名称'}{year}，{len(members)} 份：")
        for n, i in enumerate(members):
            earlier = next((j for j in members[:n] if (j, i) in why), None)
            reason = "" if earlier is None else f"——与 {prints[earlier].file}：{why[(earlier, i)]}"
            lines.append(f"    {_named(prints[i], first.agency)}{reason}")
    if len(sets) > _SHOWN:
        lines.append(f"  ……另有 {len(sets) - _SHOWN} 组")
    return lines
