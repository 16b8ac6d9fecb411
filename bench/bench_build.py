"""Time `xlreport build` (docx + html, in-process) per report, for 1 report and for 100 reports.

Times are printed beside two baselines measured in the same run, so the ratios hold on any machine:
python-docx creating an empty document and saving it (the least any .docx output costs), and
reading the workbook (python-calamine). Target: ≤ 0.3 s per report.

Run: python bench/bench_build.py [--runs N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

from xlreport.checks.report import validate
from xlreport.usecases.build import build_report
from xlreport.workbook.reader import read_report

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
WORKBOOKS = [EXAMPLES / "2024_huaian_renmin_zhengfu.xlsx", EXAMPLES / "2020_zhuzhou_xingzheng_shenpi.xlsx"]
TARGET = 0.3


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def empty_docx() -> None:
    import docx

    docx.Document().save(io.BytesIO())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=15, help="repetitions for the single-report medians")
    args = p.parse_args(argv)

    empty_docx()  # import python-docx outside the timings
    reports = [read_report(w) for w in WORKBOOKS]
    findings = [validate(r) for r in reports]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        def build_one(i: int = 0) -> None:
            build_report(reports[i % 2], out, ("docx", "html"), findings=findings[i % 2], stem=f"r{i}")

        def read_and_build_one(i: int = 0) -> None:
            report = read_report(WORKBOOKS[i % 2])
            build_report(report, out, ("docx", "html"), stem=f"r{i}")

        base_docx = median_time(empty_docx, args.runs)
        base_read = median_time(lambda: read_report(WORKBOOKS[0]), args.runs)
        one = median_time(build_one, args.runs)
        one_full = median_time(read_and_build_one, args.runs)
        t = time.perf_counter()
        for i in range(100):
            build_one(i)
        hundred = time.perf_counter() - t
        t = time.perf_counter()
        for i in range(100):
            read_and_build_one(i)
        hundred_full = time.perf_counter() - t

    rows = [
        ("baseline: python-docx empty document + save", base_docx),
        ("baseline: read workbook (calamine)", base_read),
        ("build docx+html, 1 report (median)", one),
        ("read+validate+build docx+html, 1 report (median)", one_full),
        ("build docx+html, 100 reports, per report", hundred / 100),
        ("read+validate+build, 100 reports, per report", hundred_full / 100),
    ]
    print(f"{'':52} {'seconds':>9} {'× empty docx':>13} {'× read':>8}")
    for label, secs in rows:
        print(f"{label:52} {secs:9.4f} {secs / base_docx:13.1f} {secs / base_read:8.1f}")
    print(f"100 reports in total: build {hundred:.2f} s, read+validate+build {hundred_full:.2f} s")
    worst = max(one_full, hundred_full / 100)
    print(f"target ≤ {TARGET} s per report: {'met' if worst <= TARGET else 'NOT met'} ({worst:.3f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
