"""`xlreport import REPORT -o OUT.xlsx`: writes a workbook, never overwrites, prints findings, exit 0/1/2."""

from __future__ import annotations

import pytest

from test_import_fixtures import HUAIAN, SEED
from xlreport.commands import Parser
from xlreport.commands import importer
from xlreport.workbook.reader import read_report


def run(capsys, *argv):
    # The command is registered here until commands.COMMANDS lists "importer".
    parser = Parser(prog="xlreport")
    importer.register(parser.add_subparsers(dest="command", parser_class=Parser))
    try:
        args = parser.parse_args([str(a) for a in argv])
        code = args.run(args)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_import_writes_a_workbook_with_the_printed_numbers(tmp_path, capsys):
    out = tmp_path / "huaian.xlsx"
    code, stdout, err = run(capsys, "import", HUAIAN, "-o", out)
    assert (code, err) == (0, "")
    assert stdout.startswith("已导入 淮安市人民政府 2024 年度报告（国办公开办函〔2021〕30号格式）：200/200 个统计单元格有值")
    report = read_report(out)
    assert (report.agency, report.year, report.number("t4.cases.review_total")) == ("淮安市人民政府", 2024, 351)


def test_import_prints_findings_and_exits_1_on_errors(tmp_path, capsys):
    text = SEED.read_text(encoding="utf-8").replace("\t2.重复申请", "\t2.某某某某").replace(
        "5.属于三类内部事务信息", "5.属于三类内容事务信息")
    src = tmp_path / "seed.txt"
    src.write_text(text, encoding="utf-8")
    code, stdout, _ = run(capsys, "import", src, "-o", tmp_path / "out.xlsx")
    assert code == 1
    assert "[警告] IMPORT-LABEL  原文第229行，表三标签「5.属于三类内容事务信息」" in stdout
    assert "[错误] IMPORT-ROW-MISSING  表三「（五）不予处理·2.重复申请」一行在原文中未找到" in stdout
    assert "共 1 处内容未能导入" not in stdout and "共 2 处内容未能导入" in stdout  # + the unplaced row
    assert (tmp_path / "out.xlsx").exists()  # what could be placed is kept


def test_import_refuses_to_overwrite(tmp_path, capsys):
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"mine")
    code, _, err = run(capsys, "import", HUAIAN, "-o", out)
    assert code == 2 and "已存在，不会覆盖" in err
    assert out.read_bytes() == b"mine"


@pytest.mark.parametrize("argv, message", [
    (["nope.txt", "-o", "{tmp}/a.xlsx"], "找不到文件"),
    ([str(HUAIAN), "-o", "{tmp}/a.docx"], "输出文件应以 .xlsx 结尾"),
    ([str(HUAIAN), "-o", "{tmp}/missing/a.xlsx"], "不存在"),
])
def test_import_usage_errors_exit_2_with_a_chinese_message(tmp_path, capsys, argv, message):
    code, _, err = run(capsys, "import", *[a.format(tmp=tmp_path) for a in argv])
    assert code == 2 and message in err and "Traceback" not in err


def test_import_without_output_is_a_usage_error(capsys):
    code, _, err = run(capsys, "import", HUAIAN)
    assert code == 2 and "命令用法有误" in err
