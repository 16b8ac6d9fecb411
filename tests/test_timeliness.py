"""Published on time (《条例》第四十九条): DATE-LATE and DATE-INVALID, the agency level, the dates read.

Real publication dates are the 公开日期 / 时间 shown on the reports' pages (statutory-format.md §5.6).
"""

from __future__ import annotations

from datetime import date

import pytest
from conftest import consistent_numbers, make_report

from xlreport.checks.report import validate
from xlreport.checks.timeliness import agency_level, parse_date, timeliness
from xlreport.forms import FORM_2021
from xlreport.model import text_value

NUMBERS = consistent_numbers(FORM_2021, iter(range(1, 10_000)).__next__)


def report(agency="某某市某某局", year=2024, signed_on="", published_on=None, level=None):
    r = make_report(FORM_2021, NUMBERS, year=year, agency=agency, signed_on=signed_on)
    if published_on is not None:
        r.cover["published_on"] = text_value(published_on)
    if level is not None:
        r.cover["level"] = text_value(level)
    return r


def date_findings(r):
    return [f for f in validate(r) if f.rule.startswith("DATE-")]


# --- dates as staff and web pages write them ---------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("2025年1月20日", date(2025, 1, 20)),
    ("2025 年 1 月 20 日", date(2025, 1, 20)),
    ("２０２５年１月２０日", date(2025, 1, 20)),
    ("2025-01-20", date(2025, 1, 20)),
    ("2025/1/20", date(2025, 1, 20)),
    ("2025.1.20", date(2025, 1, 20)),
    ("2025-02-25 10:30", date(2025, 2, 25)),
    ("2025-01-20 00:00:00", date(2025, 1, 20)),  # a date cell read as text
    ("二〇二五年一月二十日", date(2025, 1, 20)),
    ("二〇二五年十二月三十一日", date(2025, 12, 31)),
    ("二○二五年三月十日", date(2025, 3, 10)),
    (date(2025, 1, 20), date(2025, 1, 20)),
])
def test_dates_are_read_in_every_way_they_are_written(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "明年一月", "2025年2月30日", "2025年13月1日", "45678", "2025年1月", "1月20日"])
def test_what_is_not_a_whole_date_is_not_read(text):
    assert parse_date(text) is None


# --- the agency's level ---------------------------------------------------------------


@pytest.mark.parametrize("agency, level", [
    ("淮安市人民政府", "本级人民政府"),
    ("淮安市洪泽区人民政府", "本级人民政府"),
    ("宿迁市", "本级人民政府"),  # a government's own report is titled with the place alone
    ("某某县", "本级人民政府"),
    ("宿迁市水利局", "政府部门"),
    ("淮安市人民政府办公室", "政府部门"),  # the government's office is one of its departments
    ("某某市发展和改革委员会", "政府部门"),
    ("某某县某某镇人民政府", "其他"),
    ("某某区某某街道办事处", "其他"),
    ("淮安经济技术开发区", "其他"),
    ("某某高新区管委会", "其他"),
])
def test_a_blank_level_is_judged_from_the_agency_name_and_says_so(agency, level):
    judged, how = agency_level(report(agency))
    assert judged.label == level
    assert f"已按机关名称“{agency}”判断为{level}" in how and "未选择" in how


def test_the_level_chosen_on_the_cover_wins_over_the_name():
    judged, how = agency_level(report("淮安市人民政府办公室", level="本级人民政府"))
    assert (judged.label, how) == ("本级人民政府", "")


def test_a_level_that_is_not_one_of_the_choices_is_judged_from_the_name():
    judged, how = agency_level(report("宿迁市水利局", level="市级"))
    assert judged.label == "政府部门" and "“市级”不是可选项" in how


# --- DATE-LATE, DATE-INVALID ------------------------------------------------------------

# (case, report, rule or None, days late)
CASES = [
    # real: 淮安市人民政府 2024, 公开日期 2025-02-25; 淮安市洪泽区人民政府 2024, 2025-02-14 (3月31日)
    ("huaian-government-2024", dict(agency="淮安市人民政府", published_on="2025-02-25"), None, 0),
    ("hongze-government-2024", dict(agency="淮安市洪泽区人民政府", published_on="2025-02-14"), None, 0),
    # real: 宿迁市水利局 2024, 公开日期 2025-01-13 (1月31日)
    ("suqian-water-2024", dict(agency="宿迁市水利局", published_on="2025-01-13"), None, 0),
    # real: 淮安市人民政府办公室 2022, 时间 2023-02-21: a department, 21 days after 1月31日
    ("huaian-office-2022", dict(agency="淮安市人民政府办公室", year=2022, published_on="2023-02-21"), "DATE-LATE", 21),
    ("department-on-the-deadline", dict(signed_on="2025年1月31日"), None, 0),
    ("department-a-day-late", dict(signed_on="2025年2月1日"), "DATE-LATE", 1),
    ("government-on-the-deadline", dict(agency="某某市人民政府", signed_on="2025年3月31日"), None, 0),
    ("government-a-day-late", dict(agency="某某市人民政府", signed_on="2025年4月1日"), "DATE-LATE", 1),
    ("level-chosen-beats-name", dict(agency="某某市人民政府办公室", level="本级人民政府", signed_on="2025年3月1日"), None, 0),
    ("other-gets-the-latest-deadline", dict(agency="某某县某某镇人民政府", signed_on="2025年3月1日"), None, 0),
    ("other-late", dict(agency="某某县某某镇人民政府", signed_on="2025年4月10日"), "DATE-LATE", 10),
    ("published-date-beats-signed-date", dict(signed_on="2025年1月20日", published_on="2025年2月5日"), "DATE-LATE", 5),
    ("missing", dict(), "DATE-INVALID", None),
    ("unreadable", dict(signed_on="一月下旬"), "DATE-INVALID", None),
    ("impossible-day", dict(signed_on="2025年2月30日"), "DATE-INVALID", None),
    ("in-the-report-year", dict(signed_on="2024年12月30日"), "DATE-INVALID", None),
    ("two-years-on", dict(signed_on="2026年1月10日"), "DATE-INVALID", None),
    ("published-date-unreadable", dict(signed_on="2025年1月20日", published_on="待定"), "DATE-INVALID", None),
]


@pytest.mark.parametrize("case, kwargs, rule, days", CASES, ids=[c[0] for c in CASES])
def test_deadline_by_level_and_date(case, kwargs, rule, days):
    r = report(**kwargs)
    assert [f.rule for f in date_findings(r)] == ([rule] if rule else [])
    assert timeliness(r).days_late == days


def test_late_finding_names_the_date_the_deadline_the_days_and_how_the_level_was_judged():
    (f,) = date_findings(report("淮安市人民政府办公室", year=2022, published_on="2023-02-21"))
    assert f.rule == "DATE-LATE" and f.cells[0].key == "cover.published_on" and f.cells[0].sheet == "封面"
    assert "为 2023年2月21日，晚于政府部门的发布期限 2023年1月31日，逾期 21 天" in f.message
    assert "已按机关名称“淮安市人民政府办公室”判断为政府部门" in f.message and "“机关层级”中选择" in f.message


def test_late_finding_for_a_chosen_level_does_not_talk_about_judging():
    (f,) = date_findings(report("某某市某某局", level="政府部门", signed_on="2025年3月1日"))
    assert f.cells[0].key == "cover.signed_on" and "判断" not in f.message and "逾期 29 天" in f.message


def test_late_finding_for_other_agencies_says_the_local_deadline_may_be_earlier():
    (f,) = date_findings(report("某某县某某镇人民政府", signed_on="2025年4月10日"))
    assert "地方规定可能更早" in f.message


@pytest.mark.parametrize("kwargs, words", [
    (dict(), ("封面/成文日期", "为空", "2025年1月20日")),
    (dict(signed_on="一月下旬"), ("“一月下旬”不是日期",)),
    (dict(signed_on="2024年12月30日"), ("2024年12月30日", "不在报告年度的次年", "2024 年度的报告应在 2025 年")),
    (dict(signed_on="2025年1月20日", published_on="待定"), ("封面/发布日期", "“待定”")),
])
def test_invalid_date_finding_says_what_is_wrong(kwargs, words):
    (f,) = date_findings(report(**kwargs))
    assert f.rule == "DATE-INVALID"
    for w in words:
        assert w in f.message


@pytest.mark.parametrize("year", ["", "去年", 2015])
def test_no_date_check_without_a_valid_report_year(year):
    r = report(year=year, signed_on="2025年1月20日")
    assert date_findings(r) == [] and timeliness(r) is None
    assert "COVER-YEAR" in {f.rule for f in validate(r)}
