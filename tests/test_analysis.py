"""pandas for supervisors: read_frame and findings_frame give what check reads and reports; pandas stays off every other path."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from decimal import Decimal

import pytest
from conftest import REAL_REPORTS, REPO, consistent_numbers, make_report
from workbooks import HUAIAN, ZHUZHOU, copy

import xlreport
from xlreport.analysis import UnreadableFilesWarning, findings_frame, read_frame
from xlreport.cli import main
from xlreport.forms import FORM_2019, FORM_2021, form_for_year
from xlreport.usecases.files import check_file
from xlreport.workbook.export import write_report_workbook
from xlreport.workbook.safezip import ReadError

COLUMNS = ["file", "agency", "year", "form_version", "table", "row", "column", "value", "state"]
JSON_COLUMNS = ["file", "agency", "year", "form_version", "rule", "severity", "message", "cells", "left", "right", "delta", "error"]


def by_cell(frame, file) -> dict[str, tuple]:
    """{表/行/列: (value, state)} of one file: the way check's findings name a cell."""
    rows = frame[frame.file == str(file)]
    return {f"{r.table}/{r.row}/{r.column}": (r.value, r.state) for r in rows.itertuples()}


def what_check_reads(path) -> dict[str, tuple]:
    report, _ = check_file(path)
    return {c.statutory_name: (report.value(c.key).number, report.value(c.key).state.value) for c in report.form.cells}


def write(folder, form, cells: dict[str, object], *, agency="某某市某某局", year=None):
    """A standard workbook holding `cells` (statutory key → what staff typed; None is blank)."""
    year = year or {"2019": 2020, "2021": 2024}[form.version]
    folder.mkdir(parents=True, exist_ok=True)
    return write_report_workbook(make_report(form, cells, year=year, agency=agency), folder / f"{agency}{year}.xlsx")


def check_json(capsys, *paths) -> list[dict]:
    main(["check", *map(str, paths), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    return out if isinstance(out, list) else [out]


# --- the examples -------------------------------------------------------------------


def test_the_examples_read_as_one_row_per_statutory_cell_with_the_values_check_reads():
    frame = read_frame([HUAIAN, ZHUZHOU])
    assert list(frame.columns) == COLUMNS
    assert frame.groupby("file").size().to_dict() == {str(HUAIAN): 200, str(ZHUZHOU): 198}
    for path in (HUAIAN, ZHUZHOU):
        assert by_cell(frame, path) == what_check_reads(path)
    huaian = by_cell(frame, HUAIAN)  # numbers of the published 淮安市人民政府 2024 report
    assert huaian["表三/一、本年新收政府信息公开申请数量/自然人"] == (Decimal(3001), "number")
    assert huaian["表三/一、本年新收政府信息公开申请数量/总计"] == (Decimal(3119), "number")
    assert huaian["表三/（三）不予公开·8.属于行政查询事项/总计"] == (Decimal(105), "number")
    assert huaian["表四/案件数量/行政复议·总计"] == (Decimal(351), "number")
    first = frame.iloc[0]
    assert (first.agency, first.year, first.form_version, first.table) == ("淮安市人民政府", 2024, "2021", "表二")


def test_published_reports_read_as_check_reads_them(tmp_path):
    published = [REAL_REPORTS / "2024_huaian_shi_renmin_zhengfu.txt", REAL_REPORTS / "2024_suqian_shi.txt"]
    frame = read_frame(published)
    for path in published:
        assert by_cell(frame, path) == what_check_reads(path)
    # the published text of the report the 淮安 example workbook was made from: the same cells
    assert by_cell(frame, published[0]) == by_cell(read_frame(HUAIAN), HUAIAN)
    suqian = frame[frame.file == str(published[1])].iloc[0]
    assert (suqian.agency, suqian.year, suqian.form_version) == ("宿迁市", 2024, "2021")  # its title: 宿迁市2024年政府信息公开工作年度报告


def test_the_file_columns_are_typed_for_analysis():
    frame = read_frame(ZHUZHOU)
    assert str(frame.year.dtype) == "Int64"
    assert frame.value.dtype == object and {type(v) for v in frame.value} == {Decimal}
    assert set(frame.form_version) == {"2019"} and set(frame.agency) == {"株洲市行政审批服务局"}


# --- random workbooks, cell by cell -------------------------------------------------

TEXTS = ("无", "/", "—", "不适用", "见附件")


def typed(rng: random.Random, cell) -> tuple[object, tuple]:
    """What staff might type into a cell, and (value, state) a reader must give for it (by hand)."""
    roll = rng.random()
    n = rng.choice([0, 0, 1, 7, rng.randint(0, 5000), rng.randint(-30, -1), 10**12 + rng.randint(0, 9)])
    if roll < 0.1:
        return None, (None, "blank")
    if roll < 0.2:
        return rng.choice(TEXTS), (None, "text")
    if roll < 0.3:
        return f"{abs(n)}件", (Decimal(abs(n)), "number")
    if roll < 0.35:
        return "".join(chr(ord(d) + 0xFEE0) for d in str(abs(n))), (Decimal(abs(n)), "number")  # full-width digits
    if cell.unit == "万元":
        amount = Decimal(rng.randint(0, 10**6)) / 100
        return amount, (amount, "number")
    return n, (Decimal(n), "number")


@pytest.mark.parametrize("seed", range(6))
def test_random_workbooks_read_exactly_as_typed_and_as_check_reads_them(capsys, tmp_path, seed):
    rng = random.Random(f"analysis-{seed}")
    form = (FORM_2019, FORM_2021)[seed % 2]
    if seed < 2:  # consistent, whole workbooks
        cells = consistent_numbers(form, lambda: rng.randint(0, 300))
        expected = {k: (Decimal(v), "number") for k, v in cells.items()}
    else:
        drawn = {c.key: typed(rng, c) for c in form.cells}
        cells = {k: v for k, (v, _) in drawn.items()}
        expected = {k: e for k, (_, e) in drawn.items()}
    path = write(tmp_path / "报送", form, cells, agency=f"某某县第{seed}局")

    frame = read_frame(tmp_path / "报送")
    read = by_cell(frame, path)
    assert read == {form.cell(k).statutory_name: e for k, e in expected.items()}
    assert read == what_check_reads(path)
    # check's own report names every blank and every text cell that the frame holds as such
    (row,) = check_json(capsys, path)
    named = lambda *rules: sorted(f["cells"][0]["name"] for f in row["findings"] if f["rule"] in rules)  # noqa: E731
    assert named("CELL-BLANK", "TOTAL-BLANK") == sorted(k for k, (_, s) in read.items() if s == "blank")
    assert named("CELL-TEXT") == sorted(k for k, (_, s) in read.items() if s == "text")


def test_labels_are_those_printed_in_the_form(tmp_path):
    frame = read_frame([write(tmp_path, FORM_2021, {}), write(tmp_path, FORM_2019, {})])
    labels = set(zip(frame.form_version, frame.table, frame.row, frame.column))
    for expected in [  # written out from 国办公开办函〔2021〕30号 and 〔2019〕60号
        ("2021", "表二", "第二十条第（一）项·行政规范性文件", "现行有效件数"),
        ("2021", "表二", "第二十条第（八）项·行政事业性收费", "本年收费金额（单位：万元）"),
        ("2021", "表三", "（三）不予公开·3.危及“三安全一稳定”", "法人或其他组织·商业企业"),
        ("2021", "表三", "（六）其他处理·3.其他", "总计"),
        ("2021", "表四", "案件数量", "行政诉讼·复议后起诉·结果纠正"),
        ("2019", "表二", "第二十条第（五）项·其他对外管理服务事项", "本年增/减"),
        ("2019", "表三", "（六）其他处理", "自然人"),
    ]:
        assert expected in labels
    assert set(frame.state) == {"blank"} and frame.value.isna().all()  # a blank is never 0


def test_parallel_reading_gives_the_same_frame(tmp_path):
    for i, form in enumerate((FORM_2019, FORM_2021, FORM_2021)):
        write(tmp_path, form, consistent_numbers(form, lambda: 3), agency=f"第{i}局")
    assert read_frame(tmp_path, jobs=2).equals(read_frame(tmp_path))


# --- unreadable files ---------------------------------------------------------------


@pytest.fixture
def inbox(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    box = tmp_path / "收件"
    box.mkdir()
    copy(HUAIAN, box / "淮安.xlsx")
    copy(ZHUZHOU, box / "株洲.xlsx")
    (box / "empty.xlsx").write_bytes(b"")
    (box / "cut.xlsx").write_bytes(HUAIAN.read_bytes()[:4000])
    (box / "通知.txt").write_text("各单位请于1月20日前报送", encoding="utf-8")
    return box


def test_unreadable_files_are_left_out_of_read_frame_with_a_warning_naming_each(inbox):
    with pytest.warns(UnreadableFilesWarning) as caught:
        frame = read_frame("收件")
    assert sorted(set(frame.file)) == ["收件/株洲.xlsx", "收件/淮安.xlsx"]
    (warning,) = caught
    message = str(warning.message)
    assert message.startswith("3 个文件无法读取，未计入")
    for words in (["收件/empty.xlsx", "0 字节"], ["收件/cut.xlsx", "已损坏"], ["收件/通知.txt", "不像政府信息公开工作年度报告"]):
        line = next(line for line in message.splitlines() if words[0] in line)
        assert all(w in line for w in words)
    assert sorted(frame.attrs["unreadable"]) == ["收件/cut.xlsx", "收件/empty.xlsx", "收件/通知.txt"]


def test_read_frame_can_refuse_the_whole_folder_for_one_unreadable_file(inbox):
    with pytest.raises(ReadError, match="收件/cut.xlsx"):
        read_frame("收件", errors="raise")
    with pytest.raises(ValueError, match="errors"):
        read_frame("收件", errors="ignore")


def test_findings_frame_holds_every_finding_of_check_json_and_a_row_per_unreadable_file(capsys, inbox):
    frame = findings_frame("收件")
    assert list(frame.columns) == JSON_COLUMNS
    expected = []
    for row in check_json(capsys, "收件"):  # flattened here by hand
        head = (row["file"], row.get("agency"), row.get("year"), row.get("form_version"))
        if "error" in row:
            expected.append(head + (None,) * 7 + (row["error"],))
        for f in row["findings"]:
            num = [None if f[k] is None else Decimal(f[k]) for k in ("left", "right", "delta")]
            expected.append(head + (f["rule"], f["severity"], f["message"], f["cells"], *num, None))
    got = [tuple(r) for r in frame.astype(object).where(frame.notna(), None).itertuples(index=False)]
    assert got == expected
    errors = frame[frame.error.notna()]
    assert sorted(errors.file) == ["收件/cut.xlsx", "收件/empty.xlsx", "收件/通知.txt"]
    assert errors.rule.isna().all() and errors.year.isna().all()
    zhuzhou = frame[frame.file == "收件/株洲.xlsx"]  # 株洲 2020 lacks parts 五 and 六: two warnings, nothing else
    assert list(zhuzhou.rule) == ["NARRATIVE-EMPTY", "NARRATIVE-EMPTY"] and set(zhuzhou.severity) == {"warning"}
    assert "收件/淮安.xlsx" not in set(frame.file)  # passed: no finding, no row


def test_findings_carry_their_numbers_as_decimals(tmp_path):
    numbers = consistent_numbers(FORM_2021, lambda: 5)
    numbers["t3.new.natural"] += 2  # 收办平衡 off by 2 in the 自然人 column
    numbers["t3.new.total"] += 2
    frame = findings_frame(write(tmp_path, FORM_2021, numbers))
    flows = frame[frame.rule == "T3-FLOW"]  # the 自然人 and the 总计 columns
    assert [c[0]["name"] for c in flows.cells] == ["表三/一、本年新收政府信息公开申请数量/" + c for c in ("自然人", "总计")]
    for flow in flows.itertuples():
        assert isinstance(flow.left, Decimal) and flow.left - flow.right == flow.delta == Decimal(2)


# --- pandas stays off the ribbon and check paths --------------------------------------


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout


def test_importing_xlreport_checking_and_the_ribbon_never_import_pandas():
    steps = _run(f"""
import contextlib, io, sys, tempfile
loaded = lambda: print("pandas" in sys.modules)
import xlreport
xlreport.__version__
loaded()
from xlreport.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["check", {str(HUAIAN)!r}, "--format", "json"])
    main(["check", "examples", "-o", tempfile.mkdtemp() + "/汇总.xlsx"])
loaded()
import xlreport.excel.dispatch
from xlreport.excel import ribbon
from xlreport.excel.grid_memory import MemoryGrid
ribbon.validate(MemoryGrid.from_file({str(HUAIAN)!r}))
loaded()
xlreport.read_frame  # the control: asking for the frames is what brings pandas in
loaded()
""").splitlines()
    assert steps == ["False", "False", "False", "True"]


def test_without_pandas_xlreport_and_check_work_and_read_frame_says_what_to_install():
    out = _run(f"""
import sys
sys.modules["pandas"] = None  # as if it were not installed
import xlreport
from xlreport.usecases.files import check_file
report, findings = check_file({str(HUAIAN)!r})
print(report.agency)
try:
    xlreport.read_frame
except ModuleNotFoundError as exc:
    print(exc)
""")
    assert out.splitlines() == ["淮安市人民政府", "xlreport.read_frame 和 findings_frame 需要 pandas：pip install 'xlreport[analysis]'"]


def test_the_root_package_offers_only_what_it_has():
    assert xlreport.read_frame is read_frame and xlreport.findings_frame is findings_frame
    with pytest.raises(AttributeError, match="no attribute 'read_frames'"):
        xlreport.read_frames  # noqa: B018


# --- the README's examples run --------------------------------------------------------

README = REPO / "README.md"
AGENCIES = {"某某市教育局": range(2019, 2025), "某某市交通运输局": range(2022, 2025), "某某市卫生健康委员会": (2024,)}
T3_TOTALS = ("new", "result_total", "carried_forward")
T4_TOTALS = {"review_total": "行政复议·总计", "direct_suit_total": "行政诉讼·未经复议直接起诉·总计",
             "suit_after_review_total": "行政诉讼·复议后起诉·总计"}


def readme_code() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


@pytest.fixture
def reports_folder(tmp_path, monkeypatch):
    """年报/: the folder the README's examples read, and the numbers each workbook was written from."""
    monkeypatch.chdir(tmp_path)
    rng = random.Random("readme")
    written = {}
    for agency, years in AGENCIES.items():
        for year in years:
            form = form_for_year(year)
            numbers = consistent_numbers(form, lambda: rng.choice([0, 1, 2, rng.randint(0, 400)]))
            cells = dict(numbers)
            if (agency, year) == ("某某市交通运输局", 2023):
                cells[next(c.key for c in form.cells if c.table.key == "t2")] = "无"
            write(tmp_path / "年报" / str(year), form, cells, agency=agency, year=year)
            written[agency, year] = numbers
    (tmp_path / "年报" / "报送通知.txt").write_text("请各单位于1月31日前报送年报。", encoding="utf-8")
    return written


def test_the_readme_examples_run_and_compute_what_they_say(capsys, reports_folder):
    blocks = readme_code()
    assert len(blocks) >= 4
    names: dict = {}
    with pytest.warns(UnreadableFilesWarning, match="报送通知.txt"):
        for code in blocks:
            exec(compile(code, str(README), "exec"), names)  # noqa: S102
    assert capsys.readouterr().out

    # totals per agency and year
    totals = names["totals"]
    assert sorted(totals.index) == sorted(reports_folder)
    for (agency, year), n in reports_folder.items():
        row = totals.loc[(agency, year)]
        assert [row[label] for label in ("一、本年新收政府信息公开申请数量", "（七）总计", "四、结转下年度继续办理")] == \
            [n[f"t3.{r}.total"] for r in T3_TOTALS]
        assert [row[label] for label in T4_TOTALS.values()] == [n[f"t4.cases.{k}"] for k in T4_TOTALS]

    # the share of each 不予公开 reason, per year, across the folder
    share = names["share"]
    reasons = ("secret", "law", "safety", "third_party", "internal", "process", "enforcement", "inquiry")
    for year in sorted({y for _, y in reports_folder}):
        sums = [sum(n[f"t3.withheld_{r}.total"] for (_, y), n in reports_folder.items() if y == year) for r in reasons]
        assert list(share[year]) == pytest.approx([s / sum(sums) for s in sums])
    assert list(share.index)[0] == "（三）不予公开·1.属于国家秘密"

    # year-over-year change for one agency
    change, rate = names["change"], names["rate"]
    edu = {y: n for (a, y), n in reports_folder.items() if a == "某某市教育局"}
    new = "一、本年新收政府信息公开申请数量"
    for year in range(2020, 2025):
        now, before = edu[year]["t3.new.total"], edu[year - 1]["t3.new.total"]
        assert before > 0 and change.loc[new, year] == now - before
        assert rate.loc[new, year] == pytest.approx((now - before) / before)
    assert change.index[0] == new
    # the 2019 format's single （六）其他处理 row has no 2021 value: missing, not 0
    assert change.loc["（六）其他处理"].isna()[2021]
