"""The ribbon's actions (xlreport.excel.ribbon), run on the in-memory and the openpyxl file grids alike."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import broken_example as ex
import openpyxl
import pytest
from workbooks import HUAIAN, ZHUZHOU, copy, edited

from xlreport.excel import ribbon
from xlreport.excel.grid import Link
from xlreport.excel.grid_file import FileGrid
from xlreport.excel.grid_memory import MemoryGrid
from xlreport.workbook.reader import read_report
from xlreport.workbook.safezip import ReadError

KINDS = ["memory", "file"]


def open_grid(kind: str, path: Path):
    return MemoryGrid.from_file(path) if kind == "memory" else FileGrid(path)


def _location(text: str) -> tuple[str, str]:
    sheet, coord = text.rsplit("!", 1)
    return sheet.strip("'").replace("''", "'"), coord


def saved(grid: FileGrid, tmp: Path) -> openpyxl.Workbook:
    """What a user opening the saved file sees (read with openpyxl, not through the grid)."""
    out = tmp / f"saved-{len(list(tmp.iterdir()))}.xlsx"
    grid.save(out)
    return openpyxl.load_workbook(out)


def marks_of(grid, tmp: Path) -> dict:
    """(sheet, row, col) → (fill, note) of every cell carrying a mark fill or an xlreport note."""
    mark_fills = {ex.ERROR, ex.WARNING}
    if isinstance(grid, MemoryGrid):
        keys = {k for k, v in grid.notes.items() if v.startswith(ex.P)} | {k for k, v in grid.fills.items() if v in mark_fills}
        return {k: (grid.fills.get(k), grid.notes.get(k)) for k in keys}
    out = {}
    for ws in saved(grid, tmp).worksheets:
        for row in ws.iter_rows():
            for c in row:
                fill = "#" + c.fill.fgColor.rgb[-6:] if c.fill.fill_type == "solid" and c.fill.fgColor.type == "rgb" else None
                note = c.comment.text if c.comment else None
                if fill in mark_fills or (note or "").startswith(ex.P):
                    out[(ws.title, c.row, c.column)] = (fill, note)
    return out


def results_of(grid, tmp: Path) -> list[tuple]:
    """校验结果 rows below the header as (rule, level, message, [(sheet, coord) of each link])."""
    if isinstance(grid, MemoryGrid):
        rows = grid.results
        assert rows[0][:4] == ["规则", "级别", "说明", "单元格"]
        return [(r[0], r[1], r[2], [(v.sheet, v.coord) for v in r[3:] if isinstance(v, Link)]) for r in rows[1:]]
    ws = saved(grid, tmp)["校验结果"]
    assert [c.value for c in ws[1]][:4] == ["规则", "级别", "说明", "单元格"]
    out = []
    for row in ws.iter_rows(min_row=2):
        links = [_location(c.hyperlink.location) for c in row[3:] if c.hyperlink is not None]
        for c in row[3:]:
            if c.hyperlink is not None:
                assert c.value == "{}!{}".format(*_location(c.hyperlink.location))  # shown as 表三!D5
        out.append((row[0].value, row[1].value, row[2].value, links))
    return out


@pytest.fixture(params=KINDS)
def kind(request):
    return request.param


@pytest.fixture
def broken(kind, tmp_path):
    return open_grid(kind, ex.broken_copy(tmp_path))


# --- validate -------------------------------------------------------------------------------------


def test_validate_marks_exactly_the_cells_the_findings_name(broken, tmp_path):
    ribbon.validate(broken)
    assert marks_of(broken, tmp_path) == ex.MARKS


def test_validate_lists_every_finding_with_links_to_its_cells(broken, tmp_path):
    ribbon.validate(broken)
    assert results_of(broken, tmp_path) == ex.RESULTS


def test_validate_ends_with_a_summary_alert_in_chinese(broken):
    ribbon.validate(broken)
    assert broken.alerts == [("校验", ex.ALERT)]


def test_second_validate_after_a_fix_leaves_no_stale_marks(broken, tmp_path):
    ribbon.validate(broken)
    broken.write_block("表三", 5, 4, [[3001]])  # staff correct the typo
    ribbon.validate(broken)
    assert marks_of(broken, tmp_path) == ex.MARKS_AFTER_FIX
    assert broken.alerts[-1] == ("校验", ex.ALERT_AFTER_FIX)
    assert [r[0] for r in results_of(broken, tmp_path)] == ["CELL-BLANK", "CELL-TEXT-NUMBER", "SUM-UNCHECKED", "TXT-UNCHECKED"]


def test_marks_survive_saving_and_a_later_session_clears_them(tmp_path):
    """The command-line path: validate, save, reopen, fix, validate again."""
    first = FileGrid(ex.broken_copy(tmp_path))
    ribbon.validate(first)
    path = first.save(tmp_path / "marked.xlsx")
    second = FileGrid(path)
    second.write_block("表三", 5, 4, [[3001]])
    ribbon.validate(second)
    assert marks_of(second, tmp_path) == ex.MARKS_AFTER_FIX


def test_clean_workbook_passes_and_says_so(kind):
    grid = open_grid(kind, HUAIAN)
    ribbon.validate(grid)
    assert grid.alerts == [("校验", "校验通过。")]
    assert not grid.registry if kind == "memory" else "xlreport_marks" not in grid.wb.sheetnames


def test_clean_workbook_result_sheet_says_passed(tmp_path):
    grid = MemoryGrid.from_file(HUAIAN)
    ribbon.validate(grid)
    assert grid.results == [["规则", "级别", "说明", "单元格"], ["", "", "校验通过：没有发现问题。", None]]


def test_warnings_only_pass_with_their_count(kind, tmp_path):
    grid = open_grid(kind, edited(HUAIAN, tmp_path / "w.xlsx", XR_T2_ITEM1_REGULATIONS_ISSUED="1件"))
    ribbon.validate(grid)
    assert grid.alerts[-1][1] == "校验通过：没有错误，1 个警告。问题单元格已标色并加批注，详见“校验结果”工作表。"


# --- clear marks ------------------------------------------------------------------------------------


def test_clear_marks_removes_every_mark_and_counts_cells(broken, tmp_path):
    ribbon.validate(broken)
    assert ribbon.clear_marks(broken) == 4
    assert marks_of(broken, tmp_path) == {}
    assert broken.alerts[-1] == ("清除标记", "已清除 4 个单元格的标记。")
    ribbon.clear_marks(broken)
    assert broken.alerts[-1] == ("清除标记", "没有需要清除的标记。")


# --- fill -------------------------------------------------------------------------------------------------


def test_fill_writes_only_wrong_or_empty_totals(kind, tmp_path):
    # 新收 总计 and 办理结果总计 自然人 emptied, 行政复议 总计 wrong: 3119, 2932 and 72+64+178+37 = 351.
    path = edited(HUAIAN, tmp_path / "t.xlsx", XR_T3_NEW_TOTAL=None, XR_T3_RESULT_TOTAL_NATURAL=None,
                  XR_T4_CASES_REVIEW_TOTAL=999)
    grid = open_grid(kind, path)
    before = {s: [list(r) for r in grid.grid(s)] for s in ("表二", "表三", "表四")}
    written = ribbon.fill(grid)
    assert written == {"t3.new.total": Decimal(3119), "t3.result_total.natural": Decimal(2932),
                       "t4.cases.review_total": Decimal(351)}
    after = {s: grid.grid(s) for s in before}
    changed = {(s, r + 1, c + 1) for s in before for r, row in enumerate(before[s]) for c, v in enumerate(row)
               if after[s][r][c] != v}
    assert changed == {("表三", 5, 10), ("表三", 28, 4), ("表四", 5, 6)}
    assert (after["表三"][4][9], after["表三"][27][3], after["表四"][4][5]) == (3119, 2932, 351)
    # 25 表三 rows × 总计 + 6 columns of （七）总计 + 3 表四 totals = 34 totals, 3 of them rewritten.
    assert grid.alerts == [("填充合计", "已填写 3 个合计单元格，31 个原本正确。\n\n校验通过。")]
    if kind == "file":
        ws = saved(grid, tmp_path)["表三"]
        assert (ws["J5"].value, ws["D28"].value, ws["D5"].value) == (3119, 2932, 3001)


def test_fill_leaves_totals_of_blank_parts_and_marks_them(broken, tmp_path):
    ribbon.fill(broken)
    marks = marks_of(broken, tmp_path)
    # J5 is recomputed (3002+53+61+4 = 3120), which moves the typo into the 总计 column's flow
    # (3120+34 = 3154 against 3050+103 = 3153); F5 cannot be computed: 表四!B5 is blank.
    assert broken.grid("表三")[4][9] == 3120
    assert marks[("表四", 5, 6)] == (ex.WARNING, ex.P + "表四!F5（表四/案件数量/行政复议·总计）未填充：表四!B5 不是数字\n涉及单元格：表四!B5")
    assert marks[("表三", 5, 10)] == (ex.ERROR, ex.P + "表三「总计」列（表三!J5）：本年新收+上年结转 = 3154，办理结果总计+结转下年度 = 3153，相差 1"
                                      "\n涉及单元格：表三!J6、表三!J28、表三!J29")
    # and the 3119 that the narrative quotes (正文!C6, （二）依申请公开情况) no longer matches 表三!J5
    assert marks[("正文", 6, 3)][0] == ex.WARNING and "3119" in marks[("正文", 6, 3)][1]
    assert set(marks) == {("表三", 5, 4), ("表三", 5, 10), ("表四", 5, 2), ("表四", 5, 6), ("表二", 4, 2), ("正文", 6, 3)}
    title, text = broken.alerts[-1]
    assert text.startswith("已填写 1 个合计单元格，32 个原本正确。\n1 个合计因组成项不是数字未填充。\n\n3 个错误、3 个警告。")


def test_fill_refuses_a_workbook_whose_names_were_deleted(tmp_path):
    grid = MemoryGrid.from_file(HUAIAN)
    del grid.names["XR_T3_NEW_TOTAL"]
    grid.sheets["表三"][4][9] = None
    assert ribbon.fill(grid) == {}
    assert grid.sheets["表三"][4][9] is None
    assert grid.alerts[0][1].startswith("工作簿结构不完整，未填充合计：工作簿缺少名称 XR_T3_NEW_TOTAL")


# --- draft --------------------------------------------------------------------------------------------------


def _drafter(report, notes):
    notes.append("依申请公开：表三、表四还没有填写数字，暂不起草；填写后可再次运行")
    return {"XR_NARR_PROBLEMS": "问题初稿", "XR_NARR_OTHER": "其他事项初稿",
            "XR_NARR_OVERVIEW_PARTS/（三）政府信息管理情况": "管理情况初稿"}


def test_draft_fills_only_empty_narrative_cells(kind, tmp_path):
    path = edited(HUAIAN, tmp_path / "d.xlsx", XR_NARR_OTHER=None)
    wb = openpyxl.load_workbook(path)
    wb["正文"]["C7"].value = None  # the text beside （三）政府信息管理情况 (B7) left empty
    wb.save(path)
    grid = open_grid(kind, path)
    typed = grid.grid("正文")[17][1]  # 五、存在的主要问题 as staff wrote it
    assert ribbon.draft(grid, drafter=_drafter) == ["六、其他需要报告的事项", "一、总体情况·（三）政府信息管理情况"]
    assert grid.grid("正文")[18][1] == "其他事项初稿"
    assert grid.grid("正文")[6][2] == "管理情况初稿"
    assert grid.grid("正文")[17][1] == typed
    assert grid.alerts == [("生成初稿", "已为 2 个空白栏目生成初稿：“六、其他需要报告的事项”、“一、总体情况·（三）政府信息管理情况”。"
                                        "已填写的栏目未改动；请核对初稿，按实际情况修改。\n\n"
                                        "依申请公开：表三、表四还没有填写数字，暂不起草；填写后可再次运行\n"
                                        "五、存在的主要问题及改进情况：单元格已有文字，未改动")]
    if kind == "file":
        ws = saved(grid, tmp_path)["正文"]
        assert (ws["B19"].value, ws["C7"].value) == ("其他事项初稿", "管理情况初稿")


def test_draft_changes_nothing_when_every_section_is_written():
    grid = MemoryGrid.from_file(HUAIAN)
    assert ribbon.draft(grid, drafter=lambda report, notes: {}) == []
    assert grid.alerts == [("生成初稿", "没有需要起草的空白栏目，没有改动。生成初稿只填写空白栏目。")]


def test_draft_with_the_real_drafter_writes_the_fee_sentence(tmp_path):
    grid = MemoryGrid.from_file(edited(HUAIAN, tmp_path / "d.xlsx", XR_NARR_OTHER=None))
    assert ribbon.draft(grid) == ["六、其他需要报告的事项"]
    assert "3940" in grid.grid("正文")[18][1]  # 信息处理费金额 (正文!B20), from the 六 section of the source


# --- build -----------------------------------------------------------------------------------------------------


class Builder:
    def __init__(self):
        self.calls = []

    def __call__(self, report, workbook, force):
        self.calls.append((report.agency, workbook, force))
        return [workbook.with_suffix(".docx"), workbook.with_suffix(".html")]


def test_build_writes_next_to_the_workbook_and_tells_the_path():
    grid = MemoryGrid.from_file(HUAIAN)
    builder = Builder()
    ribbon.build(grid, builder=builder)
    assert builder.calls == [("淮安市人民政府", HUAIAN, False)]
    assert grid.alerts == [("生成报告", f"报告已生成：\n{HUAIAN.with_suffix('.docx')}\n{HUAIAN.with_suffix('.html')}")]


def test_build_with_the_real_renderer_writes_docx_and_html_beside_the_workbook(tmp_path):
    grid = FileGrid(copy(HUAIAN, tmp_path / "年报.xlsx"))
    paths = ribbon.build(grid)
    assert paths == [tmp_path / "年报.docx", tmp_path / "年报.html"]
    assert all(p.stat().st_size > 1000 for p in paths)
    assert grid.alerts == [("生成报告", f"报告已生成：\n{paths[0]}\n{paths[1]}")]


def test_build_with_errors_asks_and_stops_on_no(broken, tmp_path):
    builder = Builder()
    assert ribbon.build(broken, builder=builder) == []
    assert builder.calls == []
    assert broken.questions == [("生成报告", "工作簿有 3 个错误，不能生成正式报告。问题单元格已标色并加批注，详见“校验结果”工作表。\n\n"
                                          "是否仍生成每页标注“校验未通过稿”的草稿？")]
    assert broken.alerts == []
    assert marks_of(broken, tmp_path) == ex.MARKS  # the errors are shown where they are


def test_build_with_errors_builds_a_draft_on_yes(broken):
    broken.answer = True
    builder = Builder()
    ribbon.build(broken, builder=builder)
    assert builder.calls == [("淮安市人民政府", broken.path, True)]
    assert broken.alerts[-1][1] == f"草稿（校验未通过稿，不得公开发布）已生成：\n{broken.path.with_suffix('.docx')}\n{broken.path.with_suffix('.html')}"


def test_build_asks_to_save_a_workbook_that_never_was():
    grid = MemoryGrid.from_file(HUAIAN)
    grid.path = None
    builder = Builder()
    ribbon.build(grid, builder=builder)
    assert builder.calls == []
    assert grid.alerts == [("生成报告", "请先保存工作簿：报告生成在工作簿所在的文件夹。")]


# --- failures ------------------------------------------------------------------------------------------------------


def test_a_failure_becomes_a_chinese_alert_with_the_log_file(tmp_path):
    grid = MemoryGrid.from_file(HUAIAN)
    log = tmp_path / "xlreport.log"

    def broken_builder(report, workbook, force):
        raise KeyError("boom")

    assert ribbon.perform(grid, "build", log, builder=broken_builder) is None
    title, text = grid.alerts[-1]
    assert title == "生成报告"
    assert text == f"操作未完成：程序内部出错（KeyError: 'boom'）。\n\n详细信息已记录在日志文件，请发给技术支持：{log}"
    assert "Traceback" not in text
    assert "Traceback" in log.read_text(encoding="utf-8") and "broken_builder" in log.read_text(encoding="utf-8")


def test_a_read_error_is_shown_as_its_own_message(tmp_path):
    grid = MemoryGrid.from_file(HUAIAN)
    log = tmp_path / "xlreport.log"

    def unreadable(report, workbook, force):
        raise ReadError("表三 受保护，无法写入")

    ribbon.perform(grid, "build", log, builder=unreadable)
    assert grid.alerts[-1][1] == f"表三 受保护，无法写入\n\n详细信息已记录在日志文件：{log}"


def test_an_unknown_button_says_the_add_in_is_out_of_date(tmp_path):
    grid = MemoryGrid.from_file(HUAIAN)
    ribbon.perform(grid, "new_year_2099", tmp_path / "x.log")
    assert grid.alerts == [("年报工具", "未知的按钮“new_year_2099”：加载项与已安装的 xlreport 版本不一致，请重新安装加载项。")]


def test_every_button_has_an_action():
    from xlreport.excel.buttons import BUTTONS

    assert set(BUTTONS) <= set(ribbon.ACTIONS)


# --- latency: what a click imports ------------------------------------------------------------------------------------


def _imported(code: str) -> set[str]:
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True).stderr
    return {m.group(1).strip() for m in re.finditer(r"^import time:\s*\d+ \|\s*\d+ \|\s*(.+)$", err, re.M)}


def test_importing_the_entry_module_loads_no_heavy_library():
    mods = _imported("import xlreport.excel.dispatch")
    assert "xlreport.excel.ribbon" in mods
    heavy = {m.split(".")[0] for m in mods} & {"pandas", "numpy", "docx", "openpyxl", "xlwings", "lxml"}
    assert heavy == set()


def test_validate_path_loads_no_pandas_docx_or_openpyxl():
    code = (
        "import sys; from xlreport.excel import ribbon; from xlreport.excel.grid_memory import MemoryGrid\n"
        f"g = MemoryGrid.from_file({str(ex.HUAIAN)!r}); ribbon.validate(g)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'numpy', 'docx', 'openpyxl', 'xlwings'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- new year -----------------------------------------------------------------------------------


def test_new_year_writes_next_years_workbook_beside_this_one(kind, tmp_path):
    grid = open_grid(kind, copy(HUAIAN, tmp_path / "淮安2024.xlsx"))
    target = ribbon.new_year(grid)
    assert target == tmp_path / "2025年政府信息公开工作年度报告.xlsx"
    rolled = read_report(target)
    # 表三 四、结转下年度 of the 2024 淮安 report: 自然人 103, the other columns 0, 总计 103
    assert rolled.year == 2025 and rolled.agency == "淮安市人民政府"
    assert [rolled.number(f"t3.carried_over.{c}") for c in ("natural", "commercial", "total")] == [103, 0, 103]
    assert rolled.value("t3.new.natural").state.value == "blank"
    assert "已新建 2025 年度工作簿" in grid.alerts[-1][1] and str(target) in grid.alerts[-1][1]


def test_new_year_never_replaces_an_existing_file(kind, tmp_path):
    grid = open_grid(kind, copy(HUAIAN, tmp_path / "淮安2024.xlsx"))
    taken = tmp_path / "2025年政府信息公开工作年度报告.xlsx"
    taken.write_bytes(b"staff's own file")
    target = ribbon.new_year(grid)
    assert target == tmp_path / "2025年政府信息公开工作年度报告（2）.xlsx"
    assert taken.read_bytes() == b"staff's own file"


def test_new_year_from_2020_makes_a_2021_format_workbook(kind, tmp_path):
    grid = open_grid(kind, copy(ZHUZHOU, tmp_path / "株洲2020.xlsx"))
    rolled = read_report(ribbon.new_year(grid))
    assert (rolled.year, rolled.form.version) == (2021, "2021")


# --- last year's workbook beside this one ---------------------------------------------------------------


@pytest.fixture
def two_years(tmp_path):
    """淮安 2024 and the 2025 workbook the 新建下一年度 button made beside it; 2025 上年结转·自然人 typed as 100
    (2024 结转下年度·自然人 is 103, 表三!D29) and 五 copied from 2024 with the year changed."""
    this = copy(HUAIAN, tmp_path / "淮安2024.xlsx")
    made = ribbon.new_year(MemoryGrid.from_file(this))
    problems = read_report(HUAIAN).narrative.problems.replace("2024", "2025")
    return edited(made, tmp_path / "淮安2025.xlsx", XR_T3_CARRIED_OVER_NATURAL=100, XR_NARR_PROBLEMS=problems), made


def test_validate_checks_against_last_years_workbook_in_the_same_folder(kind, two_years, tmp_path):
    path, _ = two_years
    grid = open_grid(kind, path)
    findings = ribbon.validate(grid)
    (carry,) = [f for f in findings if f.rule == "X-CARRY"]
    assert [c.a1 for c in carry.cells] == ["表三!D6", "上年 表三!D29"]
    assert "X-COPIED" in {f.rule for f in findings}
    alert = grid.alerts[-1][1]
    assert "已与同一文件夹中的上年（2024 年度）工作簿“淮安2024.xlsx”做跨年度核对" in alert
    assert marks_of(grid, tmp_path)[("表三", 6, 4)][0] == ex.ERROR
    (row,) = [r for r in results_of(grid, tmp_path) if r[0] == "X-CARRY"]
    assert row[3] == [("表三", "D6")]  # last year's cell is named in the row, not linked into this workbook


def test_validate_never_guesses_between_two_workbooks_of_last_year(kind, two_years, tmp_path):
    path, _ = two_years
    copy(HUAIAN, tmp_path / "淮安2024（修改稿）.xlsx")
    grid = open_grid(kind, path)
    findings = ribbon.validate(grid)
    assert not [f for f in findings if f.rule.startswith("X-")]
    alert = grid.alerts[-1][1]
    assert "有 2 份本机关 2024 年度的工作簿（“淮安2024.xlsx”、“淮安2024（修改稿）.xlsx”）" in alert
    assert "未做跨年度核对" in alert and "--previous" in alert


@pytest.mark.parametrize("neighbour", ["other-agency", "two-years-back", "backup", "lock-file", "subfolder"])
def test_what_is_not_last_years_workbook_of_this_agency_is_not_used(two_years, tmp_path, neighbour):
    path, _ = two_years
    (tmp_path / "淮安2024.xlsx").unlink()
    if neighbour == "other-agency":
        edited(HUAIAN, tmp_path / "别的局2024.xlsx", XR_COVER_AGENCY="淮安市某某局")
    elif neighbour == "two-years-back":
        edited(HUAIAN, tmp_path / "淮安2023.xlsx", XR_COVER_YEAR=2023)
    elif neighbour == "backup":
        copy(HUAIAN, tmp_path / "淮安2024.备份-20250120-093000.xlsx")
    elif neighbour == "lock-file":
        copy(HUAIAN, tmp_path / "~$淮安2024.xlsx")
    else:
        (tmp_path / "旧").mkdir()
        copy(HUAIAN, tmp_path / "旧" / "淮安2024.xlsx")
    grid = MemoryGrid.from_file(path)
    findings = ribbon.validate(grid)
    assert not [f for f in findings if f.rule.startswith("X-")]
    assert "跨年度" not in grid.alerts[-1][1]


def test_build_counts_the_cross_year_errors_too(two_years):
    path, _ = two_years
    grid = MemoryGrid.from_file(path)  # answers no
    builder = Builder()
    assert ribbon.build(grid, builder=builder) == [] and builder.calls == []
    question = grid.questions[-1][1]
    assert "工作簿有" in question and "“淮安2024.xlsx”做跨年度核对" in question
    assert "X-CARRY" in {r[0] for r in grid.results}


def test_an_unsaved_workbook_looks_for_no_neighbour(two_years):
    path, _ = two_years
    grid = MemoryGrid.from_file(path)
    grid.path = None
    findings = ribbon.validate(grid)
    assert not [f for f in findings if f.rule.startswith("X-")]
