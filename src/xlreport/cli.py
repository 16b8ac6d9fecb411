"""xlreport 命令行。

Exit codes: 0 no error findings, 1 error findings, 2 usage error or unreadable file.
Each subcommand lives in xlreport.commands.<name> with register(subparsers); heavy
imports happen inside its run function, so `xlreport -h` and `check` start fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .commands import COMMANDS, EXIT_USAGE, Parser
from .version import __version__


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="xlreport", description="政府信息公开工作年度报告工具：标准工作簿、勾稽关系校验、填充合计、生成报告。")
    p.add_argument("--version", action="version", version=f"xlreport {__version__}")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    for name in COMMANDS:
        importlib.import_module(f"xlreport.commands.{name}").register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # Chinese on any console
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
