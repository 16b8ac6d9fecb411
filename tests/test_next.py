"""Roll forward (`xlreport next`): next year's workbook, right format, 上年结转 prefilled, all else empty."""

from __future__ import annotations

import pytest
from conftest import consistent_numbers, make_report
from workbooks import HUAIAN, ZHUZHOU, edited

from xlreport.checks.crossyear import roll_forward
from xlreport.checks.report import validate
from xlreport.commands import Parser
from xlreport.commands import next as next_command
from xlreport.forms import FORM_2019, FORM_2021, OVERVIEW_PARTS, Kind
from xlreport.model import State
from xlreport.rules.findings import Severity
from xlreport.workbook.export import write_report_workbook
from xlreport.workbook.reader import read_report

T3_COLUMNS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
# What a new year's workbook reports: its empty cells and sections, and its 成文日期 (not signed yet).
EXPECTED_BLANKS = {"CELL-BLANK", "TOTAL-BLANK", "SUM-UNCHECKED", "NARRATIVE-EMPTY", "DATE-INVALID"}


def run_next(capsys, *argv):
    """The `next` subcommand through its own parser (not yet in the shared COMMANDS list)."""
    parser = Parser(prog="xlreport")
    next_command.register(parser.add_subparsers(dest="command", parser_class=Parser))
    args = parser.parse_args(["next", *map(str, argv)])
    code = args.run(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def huaian_next(tmp_path_factory):
    path = tmp_path_factory.mktemp("next") / "2025.xlsx"
    write_report_workbook(roll_forward(read_report(HUAIAN)), path)
    return read_report(path)


def test_next_year_carries_over_what_last_year_carried_forward(huaian_next):
    # 淮安 2024 表三 四、结转下年度继续办理 as printed: 103 0 0 0 0 0 103.
    got = [huaian_next.number(f"t3.carried_over.{c}") for c in T3_COLUMNS]
    assert got == [103, 0, 0, 0, 0, 0, 103]


def test_next_year_workbook_has_the_new_year_and_the_old_cover(huaian_next):
    r = huaian_next
    assert (r.year, r.form.version, r.recorded_version) == (2025, "2021", "2021")
    assert r.agency == "淮安市人民政府"
    cover = {k: v.raw for k, v in r.cover.items() if v.state is not State.BLANK}
    assert cover["address"] == "淮安市翔宇南道1号" and cover["postcode"] == "223001"
    assert cover["phone"] == "0517-83605210" and cover["email"] == "hazwgkc@163.com"
    assert r.cover["signed_on"].state is State.BLANK


def test_next_year_keeps_the_agency_level_and_drops_last_years_dates(tmp_path):
    source = read_report(edited(HUAIAN, tmp_path / "2024.xlsx", XR_COVER_LEVEL="本级人民政府"))
    assert source.cover["published_on"].raw == "2025年2月25日"
    r = read_report(write_report_workbook(roll_forward(source), tmp_path / "2025.xlsx"))
    assert r.cover["level"].raw == "本级人民政府"
    assert r.cover["published_on"].state is State.BLANK and r.cover["signed_on"].state is State.BLANK


def test_next_year_narrative_is_empty_with_the_default_sub_headings(huaian_next):
    n = huaian_next.narrative
    assert n.overview_parts == [(h, "") for h in OVERVIEW_PARTS]
    assert (n.preamble, n.overview_intro, n.problems, n.other) == ("", "", "", "")
    assert n.fee_amount.state is State.BLANK and n.fee_count.state is State.BLANK


def test_next_year_workbook_validates_only_with_the_expected_blanks(huaian_next):
    findings = validate(huaian_next)
    assert {f.rule for f in findings} <= EXPECTED_BLANKS
    carried = {f"t3.carried_over.{c}" for c in T3_COLUMNS}
    inputs = {c.key for c in FORM_2021.cells if c.kind is Kind.INPUT} - carried
    totals = {c.key for c in FORM_2021.cells if c.kind is Kind.TOTAL} - carried
    assert {f.cells[0].key for f in findings if f.rule == "CELL-BLANK"} == inputs
    assert {f.cells[0].key for f in findings if f.rule == "TOTAL-BLANK"} == totals
    assert not [f for f in findings if f.severity is Severity.ERROR and f.rule not in ("CELL-BLANK", "TOTAL-BLANK")]


def test_rolling_2020_gives_a_2021_format_workbook(tmp_path):
    source = read_report(ZHUZHOU)
    assert source.form is FORM_2019
    rolled = roll_forward(source)
    path = write_report_workbook(rolled, tmp_path / "2021.xlsx")
    r = read_report(path)
    assert (r.year, r.form.version, r.recorded_version) == (2021, "2021", "2021")
    assert r.agency == "株洲市行政审批服务局"
    assert source.cover["signed_on"].raw == "2021年1月29日" and r.cover["signed_on"].state is State.BLANK
    assert not r.read_findings  # no META-MISSING / NAME-MISSING: a proper 2021 workbook
    # 株洲 2020 表三 is all 0, so 上年结转 is 0 in every column; the 2019 表二 does not carry over.
    assert [r.number(f"t3.carried_over.{c}") for c in T3_COLUMNS] == [0] * 7
    assert all(r.value(c.key).state is State.BLANK for c in FORM_2021.cells if c.table.key == "t2")
    assert {"t3.other_no_correction.natural", "t3.other_other.total"} <= {c.key for c in r.form.cells}


def test_rolling_2019_prefills_last_years_items_plus_changes():
    numbers = {
        "t2.item5.licensing.previous_items": 396, "t2.item5.licensing.change": 0,
        "t2.item5.other_services.previous_items": 10, "t2.item5.other_services.change": 3,
        "t2.item6.penalty.previous_items": 2648, "t2.item6.penalty.change": -18,
        "t2.item6.enforcement.previous_items": 126, "t2.item6.enforcement.change": "无",
        "t2.item8.fees.previous_items": None, "t2.item8.fees.change": -15,
    }
    rolled = roll_forward(make_report(FORM_2019, numbers, year=2019))
    assert (rolled.year, rolled.form) == (2020, FORM_2019)
    got = {k: rolled.number(f"t2.{k}.previous_items") for k in
           ("item5.licensing", "item5.other_services", "item6.penalty", "item6.enforcement", "item8.fees")}
    assert got == {"item5.licensing": 396, "item5.other_services": 13, "item6.penalty": 2630,
                   "item6.enforcement": None, "item8.fees": None}
    assert all(rolled.value(f"t2.{k}.change").state is State.BLANK for k in got)
    not_carried = [f for f in rolled.read_findings if f.rule == "NEXT-NOT-CARRIED"]
    t2 = {f.cells[0].key: f for f in not_carried if f.cells[0].key.startswith("t2.")}
    assert set(t2) == {"t2.item6.enforcement.previous_items", "t2.item8.fees.previous_items"}
    assert "上年 表二" in t2["t2.item6.enforcement.previous_items"].message
    assert "“无”" in t2["t2.item6.enforcement.previous_items"].message
    assert "空白" in t2["t2.item8.fees.previous_items"].message


@pytest.mark.parametrize("changes, not_carried", [
    ({}, set()),
    ({"t3.carried_forward.legal": None}, {"t3.carried_over.legal"}),
    ({"t3.carried_forward.other_org": "无", "t3.carried_forward.total": "/"},
     {"t3.carried_over.other_org", "t3.carried_over.total"}),
])
def test_cells_that_cannot_be_carried_are_reported_and_left_blank(changes, not_carried):
    numbers = consistent_numbers(FORM_2021, iter(range(1, 10_000)).__next__) | changes
    rolled = roll_forward(make_report(FORM_2021, numbers, year=2024))
    findings = [f for f in rolled.read_findings if f.rule == "NEXT-NOT-CARRIED"]
    assert {f.cells[0].key for f in findings} == not_carried
    for f in findings:
        assert f.severity is Severity.WARNING
        assert rolled.value(f.cells[0].key).state is State.BLANK
        assert f.cells[1].sheet == "上年 表三" and "结转下年度" in f.cells[1].name
    carried = {f"t3.carried_over.{c}" for c in T3_COLUMNS} - not_carried
    assert all(rolled.number(k) == numbers[k.replace("carried_over", "carried_forward")] for k in carried)


def test_a_report_without_a_year_cannot_be_rolled():
    with pytest.raises(ValueError, match="报告年度"):
        roll_forward(make_report(FORM_2021, {}, year=""))


# --- the command -------------------------------------------------------------------


def test_next_command_writes_the_new_workbook(tmp_path, capsys):
    out = tmp_path / "2021.xlsx"
    code, stdout, _ = run_next(capsys, ZHUZHOU, "-o", out)
    assert code == 0 and out.exists()
    assert "2021 年度" in stdout and "国办公开办函〔2021〕30号" in stdout and "不结转" in stdout
    assert "二、上年结转政府信息公开申请数量" in stdout


@pytest.mark.parametrize("existing", ["other", "input"])
def test_next_command_never_overwrites_a_file(tmp_path, capsys, existing):
    if existing == "input":
        target = tmp_path / "2024.xlsx"
        target.write_bytes(HUAIAN.read_bytes())
        source = target
    else:
        target, source = tmp_path / "2025.xlsx", HUAIAN
        target.write_bytes(b"staff's own file")
    before = target.read_bytes()
    code, _, err = run_next(capsys, source, "-o", target)
    assert code == 2 and "不会覆盖" in err
    assert target.read_bytes() == before


def test_write_report_workbook_refuses_an_existing_file(tmp_path):
    target = tmp_path / "2025.xlsx"
    target.write_bytes(b"x")
    with pytest.raises(FileExistsError):
        write_report_workbook(roll_forward(read_report(HUAIAN)), target)
    assert target.read_bytes() == b"x"


def _zero_bytes(tmp):
    path = tmp / "empty.xlsx"
    path.write_bytes(b"")
    return path


@pytest.mark.parametrize("make", [lambda tmp: tmp / "missing.xlsx", _zero_bytes], ids=["missing", "zero-bytes"])
def test_next_command_explains_an_unreadable_source_in_chinese(tmp_path, capsys, make):
    source = make(tmp_path)
    code, out, err = run_next(capsys, source, "-o", tmp_path / "next.xlsx")
    assert code == 2 and err.startswith("错误：") and source.name in err and "Traceback" not in err
    assert not (tmp_path / "next.xlsx").exists()


def test_next_command_reports_cells_it_could_not_carry(tmp_path, capsys):
    numbers = consistent_numbers(FORM_2021, iter(range(1, 10_000)).__next__) | {"t3.carried_forward.natural": "无"}
    source = write_report_workbook(make_report(FORM_2021, numbers, year=2024), tmp_path / "2024.xlsx")
    code, out, _ = run_next(capsys, source, "-o", tmp_path / "2025.xlsx")
    assert code == 0
    assert "NEXT-NOT-CARRIED" in out and "上年 表三!D29" in out and "“无”" in out
    assert read_report(tmp_path / "2025.xlsx").value("t3.carried_over.natural").state is State.BLANK

