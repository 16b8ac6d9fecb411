"""Time `check` of an example in-process against the bare reads it is built on.

Prints ratios measured in one run (the machines are shared and noisy):
  check / bare calamine read   target ≤ 2
  openpyxl load_workbook / check   target ≥ 5
`check` is the whole command's work (read, every single-workbook rule, the narrative's
text-vs-table rules); `tables` leaves out the text-vs-table rules, to show what they cost.
Run: python bench/bench_check.py [WORKBOOK] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from xlreport.checks import report as rules
from xlreport.usecases.files import check_file
from xlreport.workbook.reader import read_report

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "2024_huaian_renmin_zhengfu.xlsx"


def bare_calamine(path: Path) -> None:
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    wb.close()


def openpyxl_load(path: Path) -> None:
    openpyxl.load_workbook(path).close()


def check(path: Path) -> None:
    check_file(path)


def tables(path: Path) -> None:
    report = read_report(path)
    for part in (rules.check_cover, rules.check_cells, rules.check_identities, rules.check_narrative):
        list(part(report))


def best_of(fn, path: Path, repeat: int, inner: int) -> float:
    """Median over `repeat` rounds of the mean of `inner` calls, in seconds."""
    rounds = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn(path)
        rounds.append((time.perf_counter() - t0) / inner)
    return statistics.median(rounds)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("workbook", nargs="?", type=Path, default=EXAMPLE)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--inner", type=int, default=20)
    args = ap.parse_args()
    fns = (bare_calamine, tables, check, openpyxl_load)
    for fn in fns:  # warm caches and imports
        fn(args.workbook)
    # Interleave so that load on the shared machine hits all of them alike.
    times = {f.__name__: [] for f in fns}
    for _ in range(args.repeat):
        for fn in fns:
            times[fn.__name__].append(best_of(fn, args.workbook, 1, args.inner))
    t = {k: statistics.median(v) for k, v in times.items()}
    print(f"workbook: {args.workbook.name}")
    for k, v in t.items():
        print(f"  {k:<14} {v * 1000:8.2f} ms")
    print(f"check / bare calamine read      = {t['check'] / t['bare_calamine']:.2f}  (target ≤ 2)")
    print(f"  without text-vs-table rules   = {t['tables'] / t['bare_calamine']:.2f}")
    print(f"openpyxl load_workbook / check  = {t['openpyxl_load'] / t['check']:.2f}  (target ≥ 5)")


if __name__ == "__main__":
    main()
