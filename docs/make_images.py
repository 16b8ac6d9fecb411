"""Make the README pictures: the generated seed report's first page and its 表三 page, and the
表三 sheet of a workbook with a broken identity as LibreOffice shows it (live checks), as PNG.

Builds examples/2020_zhuzhou_xingzheng_shenpi.xlsx to PDF through LibreOffice (as `xlreport build
--pdf` does) and rasterises the two pages with poppler's pdftoppm. For the live checks, the 淮安
example gets one wrong number (结转下年度继续办理, 自然人, one more than printed), is exported as a
workbook and printed to PDF by LibreOffice, which evaluates the conditional formatting and the
status formulas. Fonts are whatever LibreOffice substitutes for 仿宋_GB2312 / 方正小标宋简体 / 宋体
on this machine (e.g. Noto CJK), never bundled.

Run: python docs/make_images.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from xlreport.model import State, Value
from xlreport.render.pdf import to_pdf
from xlreport.usecases.build import build_report
from xlreport.workbook.export import report_workbook
from xlreport.workbook.reader import read_report
from xlreport.workbook.template import workbook_bytes

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "2020_zhuzhou_xingzheng_shenpi.xlsx"
HUAIAN = ROOT / "examples" / "2024_huaian_renmin_zhengfu.xlsx"
BROKEN_CELL = "t3.carried_forward.natural"
LIVE_CHECK_MARK = "勾稽关系："  # the status line, printed only on the table sheets
IMAGES = ROOT / "docs" / "images"
DPI = 80
TABLE3_MARK = "申请人情况"  # printed only in 表三's header


def page_text(pdf: Path, page: int) -> str:
    cmd = ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def rasterise(pdf: Path, page: int, target: Path, dpi: int = DPI) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "page"
        cmd = ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)]
        subprocess.run(cmd, check=True)
        shutil.copyfile(prefix.with_suffix(".png"), target)


def main() -> int:
    if not shutil.which("pdftoppm"):
        print("需要 poppler-utils（pdftoppm、pdftotext、pdfinfo）", file=sys.stderr)
        return 2
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        (pdf,) = build_report(read_report(SEED), tmp, ("pdf",), stem="seed")
        table3 = next(p for p in range(1, page_count(pdf) + 1) if TABLE3_MARK in page_text(pdf, p))
        for page, name in ((1, "report_first_page.png"), (table3, "report_table3_page.png")):
            rasterise(pdf, page, IMAGES / name)
            print(f"{IMAGES / name}（第 {page} 页）")
        live_check_image(Path(tmp), IMAGES / "live_check_table3.png")
    return 0


def live_check_image(tmp: Path, target: Path) -> None:
    report = read_report(HUAIAN)
    wrong = report.number(BROKEN_CELL) + 1
    report.values[BROKEN_CELL] = Value(State.NUMBER, wrong, int(wrong))
    pdf = tmp / "live.pdf"
    pdf.write_bytes(to_pdf(workbook_bytes(report_workbook(report)), ".xlsx"))
    page = next(p for p in range(1, page_count(pdf) + 1)
                if TABLE3_MARK in (text := page_text(pdf, p)) and LIVE_CHECK_MARK in text)
    rasterise(pdf, page, target, dpi=110)
    print(f"{target}（工作簿第 {page} 页）")


if __name__ == "__main__":
    raise SystemExit(main())
