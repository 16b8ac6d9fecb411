"""xlreport doctor: is everything the Excel add-in (年报工具 ribbon) needs in place on this computer?"""

from __future__ import annotations

from pathlib import Path

from . import EXIT_FINDINGS, EXIT_OK, fail

_EPILOG = """\
逐项检查并说明：Python 及其版本；加载项使用的 Python 设置（工作簿中的 xlreport.conf 工作表、
加载项、工作簿所在文件夹的 xlreport.conf、用户设置文件，依 xlwings 的查找顺序）；其中的 xlreport 和 xlwings
（版本须与加载项一致）；Excel 启动文件夹中的加载项；装的是 Excel 还是 WPS。每项给出“正常”或问题及解决办法。
功能区上的“帮助”按钮做同样的检查。

退出码：0 功能区所需的条件都已具备；1 有问题（在 Linux 上总是 1：功能区需要 Windows 或 Mac 上的 Excel）。"""


def register(sub) -> None:
    import argparse

    p = sub.add_parser("doctor", help="检查 Excel 加载项（“年报工具”功能区）所需的环境，说明问题和解决办法",
                       epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("workbook", nargs="?", metavar="工作簿",
                   help="按在这个工作簿中点按钮的情形检查（它的 xlreport.conf 工作表、同一文件夹的 xlreport.conf）")
    p.add_argument("--dir", metavar="启动文件夹", help="加载项所在的 Excel 启动文件夹（安装时用了 --dir 时）")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..excel.doctor import Machine, diagnose, ready, render
    from ..excel.grid_memory import MemoryGrid
    from ..workbook.reader import ReadError

    workbook = None
    if args.workbook:
        try:
            workbook = MemoryGrid.from_file(Path(args.workbook).resolve())
        except ReadError as exc:
            return fail(str(exc))
    items = diagnose(Machine.current(), workbook=workbook, startup=Path(args.dir) if args.dir else None)
    print(render(items))
    return EXIT_OK if ready(items) else EXIT_FINDINGS
