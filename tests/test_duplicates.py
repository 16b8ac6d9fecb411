"""Telling one agency's second report from another agency's report: names, tables, pairs."""

from __future__ import annotations

import hashlib

import pytest
from conftest import FORM_2019, FORM_2021, make_report

from xlreport.model import agency_key
from xlreport.usecases.duplicates import MIN_NONZERO_INPUTS, Fingerprint, file_sha256, find, tables_fingerprint, group_lines

# (first, second, the same agency?)
AGENCY_NAMES = [
    ("某某县人民政府", "某某县人民政府", True),
    ("某某县人民政府", "某某县 人民政府", True),  # a space typed inside
    ("某某县人民政府", " 某某县人民政府\u3000", True),  # ideographic space, leading and trailing
    ("某某县人民政府", "某某县\u200b人民政府", True),  # zero-width space pasted from a web page
    ("某某县人民政府", "某 某 县 人 民 政 府", True),  # spaced out for a title
    ("某某县（开发区）管委会", "某某县(开发区)管委会", True),  # full-width and half-width brackets
    ("某某县【开发区】管委会", "某某县[开发区]管委会", True),
    ("某某县〔开发区〕管委会", "某某县(开发区)管委会", True),
    ("某某县（开发区）管委会", "某某县［开发区］管委会", True),
    ("ＸＸ县财政局", "xx县财政局", True),  # full-width Latin letters and their case
    ("某某县第１中学", "某某县第1中学", True),  # full-width digit
    ("某某县人民政府", "某某县人民政府办公室", False),  # the government and its office
    ("某某县人民政府办公室", "某某县人民政府办公室（县政务公开办）", False),  # more words are another name
    ("某某县财政局", "某某市财政局", False),
    ("某某县财政局", "某某县财政所", False),
    ("中共某某县委宣传部", "某某县委宣传部", False),
    ("某某县（开发区）管委会", "某某县开发区管委会", False),  # brackets are folded, not dropped
]


@pytest.mark.parametrize("first, second, same", AGENCY_NAMES)
def test_agency_names_differing_only_in_how_they_are_written_are_one_agency(first, second, same):
    assert (agency_key(first) == agency_key(second)) is same


def _tables(form, **typed):
    """tables_fingerprint of a report whose cells are 0 except `typed` (key with __ for .)."""
    numbers = {c.key: 0 for c in form.cells}
    numbers.update({k.replace("__", "."): v for k, v in typed.items()})
    return tables_fingerprint(make_report(form, numbers))


# (second way of typing t3.new.natural, which reads as the same number as 12?)
TYPED = [
    (12, True),
    (12.0, True),
    ("12", True),  # a number stored as text
    ("１２", True),  # full-width digits
    ("12件", True),  # with the unit
    (" 12 ", True),
    (13, False),
    (None, False),  # blank is not 12, nor 0
    ("十二", False),
]


@pytest.mark.parametrize("typed, same", TYPED, ids=[repr(t) for t, _ in TYPED])
def test_tables_hash_reads_numbers_as_numbers_whatever_their_typing(typed, same):
    assert (_tables(FORM_2021, t3__new__natural=12)[0] == _tables(FORM_2021, t3__new__natural=typed)[0]) is same


def test_blank_zero_slash_and_none_are_four_different_tables():
    hashes = {_tables(FORM_2021, t3__new__natural=v)[0] for v in (None, 0, "/", "无")}
    assert len(hashes) == 4


def test_amounts_in_yuan_read_as_wanyuan_hash_as_the_same_amount():
    assert _tables(FORM_2021, t2__item8__fees__amount=1.2)[0] == _tables(FORM_2021, t2__item8__fees__amount="12000元")[0]


def test_the_same_cells_in_the_two_formats_are_different_tables():
    zeros = lambda form: tables_fingerprint(make_report(form, {c.key: 0 for c in form.cells}))[0]  # noqa: E731
    assert zeros(FORM_2019) != zeros(FORM_2021)


def test_tables_count_their_non_zero_input_cells_not_totals():
    _, n = _tables(FORM_2021, t2__item6__penalty__decisions=5, t3__new__natural=2, t3__new__total=2, t3__granted__natural="2")
    assert n == 3  # penalty, new natural, granted natural ("2" as text is a number); the 总计 column is a total


def test_file_hash_is_sha256_of_the_bytes(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"\x00" * 3_000_000 + b"end")  # longer than one read
    assert file_sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()


def fp(file, agency="某某县财政局", year=2024, tables="t-a", nonzero=MIN_NONZERO_INPUTS, sha=""):
    return Fingerprint(file, agency, year, tables, nonzero, sha)


# (case, fingerprints, expected pairs as (first, second, why))
PAIRS = [
    ("different agencies", [fp("a", tables="t1"), fp("b", "某某县税务局", tables="t2")], []),
    ("byte copy", [fp("a", sha="s1"), fp("b", sha="s1")], [(0, 1, "文件完全相同")]),
    ("byte copy without an agency", [fp("a", "", sha="s1", tables="t1"), fp("b", "", sha="s1", tables="t1")],
     [(0, 1, "文件完全相同")]),
    ("resubmission", [fp("v1", sha="s1", tables="t1"), fp("v2", sha="s2", tables="t2")],
     [(0, 1, "同一机关同一年度，统计表数字不同")]),
    ("resaved or published", [fp("a.xlsx", sha="s1"), fp("a.html", "某某县 财政局", sha="s2")],
     [(0, 1, "同一机关同一年度，统计表数字相同")]),
    ("same agency, other year", [fp("a", year=2023, tables="t1"), fp("b", tables="t2")], []),
    ("same agency, no year", [fp("a", year=None, tables="t1"), fp("b", year=None, tables="t2")], []),
    ("same tables, other name", [fp("a"), fp("b", "某某县财政局（县国资办）")], [(0, 1, "统计表数字完全相同（机关名称不同）")]),
    ("same tables, too few numbers", [fp("a", nonzero=MIN_NONZERO_INPUTS - 1), fp("b", "某某镇", nonzero=MIN_NONZERO_INPUTS - 1)], []),
    ("same tables, other year", [fp("a", year=2023), fp("b", "某某镇")], []),
    ("three of one agency", [fp("a", tables="t1"), fp("x", "某某镇", tables="t9"), fp("b", tables="t2"), fp("c", tables="t1")],
     [(0, 2, "同一机关同一年度，统计表数字不同"), (0, 3, "同一机关同一年度，统计表数字相同"),
      (2, 3, "同一机关同一年度，统计表数字不同")]),
]


@pytest.mark.parametrize("case, prints, expected", PAIRS, ids=[p[0] for p in PAIRS])
def test_pairs_that_count_one_agency_twice_and_why(case, prints, expected):
    assert [(p.first, p.second, p.why) for p in find(prints)] == expected


def test_files_joined_by_any_reason_are_listed_as_one_set_under_their_agency():
    prints = [
        fp("财政局.xlsx", sha="s1", tables="t1"),
        fp("税务局.xlsx", "某某县税务局", sha="s9", tables="t9"),
        fp("财政局-副本.xlsx", "某某县财政局（县国资办）", sha="s1", tables="t1"),  # same bytes as the first
        fp("财政局-改.xlsx", sha="s2", tables="t2"),  # same agency as the first
        fp("税务局-改.xlsx", "某某县 税务局", sha="s8", tables="t8"),
    ]
    assert group_lines(prints, find(prints)) == [
        "  某某县财政局 2024 年度，3 份：",
        "    财政局.xlsx",
        "    财政局-副本.xlsx（某某县财政局（县国资办））——与 财政局.xlsx：文件完全相同",
        "    财政局-改.xlsx——与 财政局.xlsx：同一机关同一年度，统计表数字不同",
        "  某某县税务局 2024 年度，2 份：",
        "    税务局.xlsx",
        "    税务局-改.xlsx（某某县 税务局）——与 税务局.xlsx：同一机关同一年度，统计表数字不同",
    ]
