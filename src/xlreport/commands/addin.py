"""xlreport addin build|install|uninstall: the Excel add-in with the 年报工具 ribbon tab."""

from __future__ import annotations

from pathlib import Path

from . import EXIT_OK, fail


def register(sub) -> None:
    p = sub.add_parser("addin", help="Excel 加载项（“年报工具”功能区）：生成、安装、卸载")
    actions = p.add_subparsers(dest="addin_action", metavar="操作", required=True)
    b = actions.add_parser("build", help="生成 xlreport.xlam（任何系统均可，无需 Excel）")
    b.add_argument("-o", "--output", default="xlreport.xlam", help="输出文件（默认 xlreport.xlam）")
    b.set_defaults(run=run_build)
    i = actions.add_parser("install", help="生成加载项并放入 Excel 启动文件夹，配置 Python 解释器（Windows、macOS）")
    i.add_argument("--dir", help="改用此文件夹作为 Excel 启动文件夹")
    i.set_defaults(run=run_install)
    u = actions.add_parser("uninstall", help="从 Excel 启动文件夹删除加载项")
    u.add_argument("--dir", help="加载项所在的 Excel 启动文件夹")
    u.set_defaults(run=run_uninstall)


def run_build(args) -> int:
    from ..excel.addin import AddinError, embedded_xlwings_version, write_addin

    out = Path(args.output)
    if out.suffix.lower() != ".xlam":
        return fail(f"输出文件须以 .xlam 结尾：{out}")
    if out.exists():
        return fail(f"{out} 已存在，不会覆盖；请换一个文件名，或先删除旧文件")
    try:
        data = write_addin(out)
        version = embedded_xlwings_version(data)
    except AddinError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"无法写入 {out}：{exc.strerror or exc}")
    print(f"已生成 {out}（{len(data) // 1024} KB，适配 xlwings {version}）")
    return EXIT_OK


def run_install(args) -> int:
    from ..excel.addin import AddinError, install

    try:
        result = install(startup=Path(args.dir) if args.dir else None)
    except AddinError as exc:
        return fail(str(exc))
    print(f"已安装加载项：{result.addin}（适配 xlwings {result.xlwings_version}）")
    print(f"Python 解释器配置：{result.config}")
    for note in result.notes:
        print(note)
    print("请重新启动 Excel，功能区上会出现“年报工具”选项卡。")
    return EXIT_OK


def run_uninstall(args) -> int:
    from ..excel.addin import AddinError, uninstall

    try:
        removed = uninstall(startup=Path(args.dir) if args.dir else None)
    except AddinError as exc:
        return fail(str(exc))
    if removed is None:
        print("未发现已安装的 xlreport 加载项，无需卸载。")
    else:
        print(f"已删除 {removed}；重新启动 Excel 后“年报工具”选项卡消失。")
    return EXIT_OK
