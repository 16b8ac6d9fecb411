"""Import time per published report, as ratios to baselines measured in the same run.

For each fixture (the seed web text, the pdftotext -layout 淮安 text, the 宿迁 "|" tables) and for
HTML, .docx and glued web text (cells run together) versions of 淮安 generated with the tests'
generators, times
  - load_report(path) (adapter + parsing core, in-process, modules already imported),
  - baseline 1: reading the same file's text (path.read_text / the file's bytes),
  - baseline 2: read_report of the bundled 淮安 example workbook (python-calamine),
and, once, a fresh process running `xlreport import` vs one running `python -c pass`.

Run: python bench/bench_import.py [--runs N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL_REPORTS = ROOT / "tests" / "fixtures" / "real-reports"
FIXTURES = {
    "种子（网页文本）": REAL_REPORTS / "2020_zhuzhou_xingzheng_shenpi.txt",
    "淮安2024（pdftotext -layout）": REAL_REPORTS / "2024_huaian_shi_renmin_zhengfu.txt",
    "宿迁2024（| 分隔）": REAL_REPORTS / "2024_suqian_shi.txt",
}
EXAMPLE = ROOT / "examples" / "2024_huaian_renmin_zhengfu.xlsx"


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def generated(folder: Path) -> dict[str, Path]:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_import_formats import FORM_2021, HUAIAN_PRINTED, docx_report, html_report, report_parts

    from published_text import glued, report_text

    parts = report_parts(FORM_2021, HUAIAN_PRINTED, "淮安市人民政府", 2024)
    html = folder / "huaian.html"
    html.write_text(html_report(parts), encoding="utf-8")
    glued_text = folder / "huaian_glued.txt"  # the web text of issue #10: every table's cells ran together
    glued_text.write_text(report_text(FORM_2021, HUAIAN_PRINTED, glued(random.Random(0))), encoding="utf-8")
    return {"淮安2024（HTML）": html, "淮安2024（.docx）": docx_report(parts, folder / "huaian.docx"),
            "淮安2024（网页文本，单元格连在一起）": glued_text}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from xlreport.importers import labels, load_report
    from xlreport.workbook.reader import read_report

    with tempfile.TemporaryDirectory() as tmp:
        files = FIXTURES | generated(Path(tmp))
        for path in files.values():  # warm up: imports, caches
            load_report(path)
        read_report(EXAMPLE)
        workbook = median_time(lambda: read_report(EXAMPLE), args.runs)
        print(f"基线：读取示例工作簿（calamine）{workbook * 1000:.2f} ms；每项取 {args.runs} 次中位数\n")
        print(f"{'文件':<30}{'导入 ms':>10}{'读文本 ms':>11}{'÷读文本':>10}{'÷读工作簿':>11}")
        def cold(path):  # label matching is memoised; clear it so each run starts cold
            labels.label_similarity.cache_clear()
            labels.canonical.cache_clear()
            load_report(path)

        for name, path in files.items():
            t = median_time(lambda: cold(path), args.runs)
            raw = median_time(lambda: path.read_bytes().decode("utf-8", "replace"), args.runs)
            print(f"{name:<30}{t * 1000:>10.2f}{raw * 1000:>11.3f}{t / raw:>10.0f}{t / workbook:>11.1f}")

        out = Path(tmp) / "out.xlsx"
        report = FIXTURES["淮安2024（pdftotext -layout）"]
        cli = [sys.executable, "-m", "xlreport.cli", "import", str(report), "-o", str(out)]
        if subprocess.run(cli, capture_output=True).returncode == 2:  # "importer" not yet in COMMANDS
            cli = [sys.executable, "-c", "import sys; from xlreport.commands import Parser, importer; p = Parser(); "
                   "importer.register(p.add_subparsers()); a = p.parse_args(sys.argv[1:]); sys.exit(a.run(a))",
                   "import", str(report), "-o", str(out)]

        def fresh() -> None:
            out.unlink(missing_ok=True)
            subprocess.run(cli, check=True, capture_output=True)
            assert out.exists()

        process = median_time(fresh, 5)
        empty = median_time(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 5)
        print(f"\n新进程 xlreport import 淮安2024 → .xlsx：{process * 1000:.0f} ms，"
              f"空 Python 进程 {empty * 1000:.0f} ms（比值 {process / empty:.1f}）")


if __name__ == "__main__":
    main()
