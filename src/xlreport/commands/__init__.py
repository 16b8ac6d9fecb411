"""Subcommands of the xlreport command line, one module each.

A module defines register(subparsers) that adds its parser and sets `run`.
Add a new command by adding its module name to COMMANDS.
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

COMMANDS = ["new", "check", "fill", "draft", "build", "importer", "next", "aggregate", "addin", "doctor", "rules"]


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own words stay, the frame is Chinese
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"命令用法有误：{message}\n请运行 xlreport -h 查看帮助。\n")


def new_workbook_problem(out, what: str = "输出文件") -> str | None:
    """Why a new .xlsx cannot be written there; None if it can. An existing file is never replaced."""
    if out.suffix.lower() != ".xlsx":
        return f"{what}应以 .xlsx 结尾"
    if out.exists():
        return f"{out} 已存在，不会覆盖；请换一个文件名"
    if not out.parent.exists():
        return f"文件夹 {out.parent} 不存在"
    return None


def fail(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return EXIT_USAGE
