"""The dispatcher and the xlwings grid, run against fakes of the xlwings objects (tests/fakes_xlwings.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import broken_example as ex
import pytest
from fakes_xlwings import FakeName, book_from_xlsx
from workbooks import HUAIAN, edited

from xlreport.excel import dispatch, ribbon
from xlreport.excel.grid_file import FileGrid
from xlreport.excel.xlgrid import XlGrid

MARK_RGB = {(255, 199, 206): ex.ERROR, (255, 235, 156): ex.WARNING}
OURS = {"校验结果", "xlreport_marks"}
_LINK = re.compile(r'^=HYPERLINK\("#(.+)","(.+)"\)$')


@pytest.fixture(autouse=True)
def log_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(ribbon, "log_path", lambda: tmp_path / "log" / "xlreport.log")


@pytest.fixture
def book(tmp_path):
    return book_from_xlsx(ex.broken_copy(tmp_path))


def marks_of(book) -> dict:
    out = {}
    for sheet in book.sheets:
        for cell in set(sheet.fills) | set(sheet.notes):
            fill, note = MARK_RGB.get(sheet.fills.get(cell)), sheet.notes.get(cell)
            if fill or (note or "").startswith(ex.P):
                out[(sheet.name, *cell)] = (fill, note)
    return out


def results_of(book) -> list[tuple]:
    cells = book.sheets["校验结果"].cells
    rows = max(r for r, _ in cells)
    assert [cells.get((1, c)) for c in range(1, 5)] == ["规则", "级别", "说明", "单元格"]
    out = []
    for r in range(2, rows + 1):
        links = []
        for c in range(4, 1 + max(c for rr, c in cells if rr == r)):
            m = _LINK.match(cells.get((r, c)) or "")
            if not m:  # a cell without a coordinate (a missing name): plain text
                links.append(cells.get((r, c)))
                continue
            sheet, coord = m.group(1).rsplit("!", 1)
            assert m.group(2) == f"{sheet.strip(chr(39))}!{coord}"  # shown as 表三!D5
            links.append((sheet.strip("'"), coord))
        out.append((cells[(r, 1)], cells[(r, 2)], cells[(r, 3)], links))
    return out


def user_formatting(book) -> dict:
    return {s.name: (dict(s.fills), dict(s.notes)) for s in book.sheets if s.name not in OURS}


# --- validate through the dispatcher ------------------------------------------------------------------


def test_validate_marks_notes_results_and_alert_are_what_the_findings_imply(book):
    dispatch.run("validate", book)
    assert marks_of(book) == ex.MARKS
    assert results_of(book) == ex.RESULTS
    assert book.app.alerts == [("校验", ex.ALERT, "ok")]


def test_validate_reads_every_sheet_in_one_block_at_most(book):
    dispatch.run("validate", book)
    assert book.reads() == {"封面": 1, "正文": 1, "表二": 1, "表三": 1, "表四": 1, "xlreport": 1}
    book.calls.clear()
    dispatch.run("validate", book)  # a new click: the registry of marks is read once too
    assert max(book.reads().values()) == 1


def test_second_validate_after_a_fix_leaves_no_stale_marks(book):
    dispatch.run("validate", book)
    book.sheets["表三"].cells[(5, 4)] = 3001.0  # staff correct the typo
    dispatch.run("validate", book)
    assert marks_of(book) == ex.MARKS_AFTER_FIX
    assert book.app.alerts[-1] == ("校验", ex.ALERT_AFTER_FIX, "ok")
    assert [r[0] for r in results_of(book)] == ["CELL-BLANK", "CELL-TEXT-NUMBER", "SUM-UNCHECKED", "TXT-UNCHECKED"]


def test_user_formatting_survives_mark_then_clear(book):
    book.sheets["表三"].notes[(5, 4)] = "含来信 12 件"  # the user's own note on a cell that gets marked
    before = user_formatting(book)
    dispatch.run("validate", book)
    assert book.sheets["表三"].notes[(5, 4)].startswith(ex.P)
    dispatch.run("clear_marks", book)
    assert user_formatting(book) == before
    assert book.app.alerts[-1] == ("清除标记", "已清除 4 个单元格的标记。", "ok")


def test_helper_sheets_do_not_move_the_user(book):
    book.sheets["表三"].activate()
    dispatch.run("validate", book)
    assert book.sheets.active.name == "表三"
    assert book.sheets["xlreport_marks"].visible is False
    assert ("number_format", "xlreport_marks", "$A$1:$E$4", "@") in book.calls  # notes stay text


def test_marks_made_on_the_command_line_are_cleared_in_excel(tmp_path):
    grid = FileGrid(ex.broken_copy(tmp_path))
    ribbon.validate(grid)
    book = book_from_xlsx(grid.save(tmp_path / "marked.xlsx"))
    dispatch.run("clear_marks", book)
    assert marks_of(book) == {}
    assert book.sheets["表三"].fills[(5, 4)] == (255, 242, 204)  # the template's input fill
    assert book.sheets["表三"].fills[(5, 10)] == (217, 217, 217)  # and its total fill


def test_a_broken_name_is_listed_but_marks_nothing(tmp_path):
    book = book_from_xlsx(HUAIAN)
    next(n for n in book.names if n.name == "XR_T3_NEW_NATURAL").refers_to = "=#REF!"
    book.names.append(FakeName("表三!Print_Area", "='表三'!$A$1:$J$29"))  # sheet-scoped: ignored
    dispatch.run("validate", book)
    rules = [r[0] for r in results_of(book)]
    assert rules[0] == "NAME-MISSING" and "SUM-UNCHECKED" in rules
    assert marks_of(book) == {}


# --- fill, draft, build ---------------------------------------------------------------------------------------


def test_fill_writes_totals_in_blocks_through_sheet_protection(tmp_path, monkeypatch):
    monkeypatch.setattr(XlGrid, "windows", True)
    path = edited(HUAIAN, tmp_path / "t.xlsx", XR_T3_NEW_TOTAL=None, XR_T3_CARRIED_OVER_TOTAL=None,
                  XR_T4_CASES_REVIEW_TOTAL=999)
    book = book_from_xlsx(path)
    for name in ("表三", "表四"):
        book.sheets[name].api.ProtectContents = True
    dispatch.run("fill", book)
    t3, t4 = book.sheets["表三"].cells, book.sheets["表四"].cells
    assert (t3[(5, 10)], t3[(6, 10)], t4[(5, 6)]) == (3119, 34, 351)
    table_calls = [c[:3] if c[0] == "write" else c[:2] for c in book.calls
                   if c[0] in ("unprotect", "write", "protect") and c[1] in ("表三", "表四")]
    assert table_calls == [("unprotect", "表三"), ("write", "表三", "$J$5"), ("protect", "表三"),
                           ("unprotect", "表四"), ("write", "表四", "$F$5"), ("protect", "表四")]
    protect = next(c for c in book.calls if c[0] == "protect")
    assert protect[2]["AllowFormattingCells"] is True  # marks still possible afterwards
    assert book.app.alerts == [("填充合计", "已填写 3 个合计单元格，31 个原本正确。\n\n校验通过。", "ok")]
    assert max(book.reads().values()) == 1


def test_draft_writes_only_empty_narrative_cells(tmp_path):
    book = book_from_xlsx(edited(HUAIAN, tmp_path / "d.xlsx", XR_NARR_OTHER=None))
    typed = book.sheets["正文"].cells[(18, 2)]
    drafts = {"XR_NARR_PROBLEMS": "问题初稿", "XR_NARR_OTHER": "其他事项初稿"}
    dispatch.run("draft", book, drafter=lambda report, notes: drafts)
    assert book.sheets["正文"].cells[(19, 2)] == "其他事项初稿"
    assert book.sheets["正文"].cells[(18, 2)] == typed
    assert [c[:3] for c in book.writes()] == [("write", "正文", "$B$19")]


class Builder:
    def __init__(self):
        self.calls = []

    def __call__(self, report, workbook, force):
        self.calls.append((workbook, force))
        return [workbook.with_name("淮安市人民政府2024年政府信息公开工作年度报告.docx")]


def test_build_on_errors_asks_and_builds_a_draft_on_yes(book):
    book.app.answers = ["yes"]
    builder = Builder()
    dispatch.run("build", book, builder=builder)
    assert builder.calls == [(Path(book.fullname), True)]
    title, question, buttons = book.app.alerts[0]
    assert (title, buttons) == ("生成报告", "yes_no") and question.startswith("工作簿有 3 个错误，不能生成正式报告。")
    out = Path(book.fullname).parent / "淮安市人民政府2024年政府信息公开工作年度报告.docx"
    assert book.app.alerts[1] == ("生成报告", f"草稿（校验未通过稿，不得公开发布）已生成：\n{out}", "ok")


def test_build_on_errors_stops_on_no(book):
    book.app.answers = ["no"]
    builder = Builder()
    assert dispatch.run("build", book, builder=builder) == []
    assert builder.calls == [] and len(book.app.alerts) == 1
    assert marks_of(book) == ex.MARKS  # the errors are shown where they are


def test_build_in_an_unsaved_book_asks_to_save_first():
    book = book_from_xlsx(HUAIAN, fullname="工作簿1")
    builder = Builder()
    dispatch.run("build", book, builder=builder)
    assert builder.calls == []
    assert book.app.alerts == [("生成报告", "请先保存工作簿：报告生成在工作簿所在的文件夹。", "ok")]


# --- failures ---------------------------------------------------------------------------------------------------


def test_an_error_inside_an_action_reaches_the_user_as_a_chinese_alert(book, tmp_path, monkeypatch):
    sheet = book.sheets["表四"]
    monkeypatch.setattr(type(sheet), "used_range", property(lambda s: (_ for _ in ()).throw(OSError("RPC 服务器不可用"))))
    assert dispatch.run("validate", book) is None
    log = tmp_path / "log" / "xlreport.log"
    assert book.app.alerts == [("校验", f"操作未完成：程序内部出错（OSError: RPC 服务器不可用）。\n\n详细信息已记录在日志文件，请发给技术支持：{log}", "ok")]
    assert "Traceback" in log.read_text(encoding="utf-8")


def test_a_book_that_cannot_be_read_is_reported_on_its_app(book, tmp_path):
    class Names:
        def __iter__(self):
            raise OSError("调用被拒绝")

    book.names = Names()
    assert dispatch.run("validate", book) is None
    title, text, _ = book.app.alerts[0]
    assert title == "年报工具" and text.startswith("无法连接到当前工作簿。操作未完成：程序内部出错（OSError: 调用被拒绝）。")


def test_without_excel_the_message_goes_to_stderr_in_chinese(monkeypatch, capsys):
    class NoExcel:
        class Book:
            @staticmethod
            def caller():
                raise RuntimeError("only supported on Windows and macOS")

    monkeypatch.setattr(dispatch, "import_xlwings", lambda: NoExcel)
    with pytest.raises(SystemExit) as exc:
        dispatch.run("validate")
    assert exc.value.code == 1
    assert capsys.readouterr().err.startswith("无法连接到当前工作簿。操作未完成：程序内部出错（RuntimeError: only supported on Windows and macOS）。")


# --- latency --------------------------------------------------------------------------------------------------------


def test_importing_xlwings_for_a_click_leaves_pandas_and_numpy_out():
    code = ("import sys; from xlreport.excel.xlgrid import import_xlwings; xw = import_xlwings(); "
            "print(xw.Book.__name__, sorted({'pandas', 'numpy'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "Book []"


def test_dispatch_imports_xlwings_only_when_it_must_find_the_calling_book(book):
    code = ("import sys; import xlreport.excel.dispatch as d; sys.path.insert(0, 'tests'); "
            "from fakes_xlwings import book_from_xlsx; "
            f"b = book_from_xlsx({str(HUAIAN)!r}); d.run('validate', b); print('xlwings' in sys.modules, b.app.alerts[0][1])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[1]).stdout
    assert out.strip() == "False 校验通过。"
