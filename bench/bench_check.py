"""Time `check` of an example in-process against the bare reads it is built on.

Prints ratios measured in one run (the machines are shared and noisy):
  check / bare calamine read        target ≤ 3 (issue #10)
  openpyxl load_workbook / check    target ≥ 5
The bare read reads every sheet; since the workbook carries a hidden sheet of live-check
formulas that check never reads, the ratio is also given against a bare read of only the
sheets check reads (`bare_same`), the stricter baseline.
`check` is the whole command's work (read, every single-workbook rule, the narrative's
text-vs-table and repetition rules, the publication date); `tables` leaves out those last three,
to show what they cost.
Run: python bench/bench_check.py [WORKBOOK] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
import zipfile
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from xlreport.checks import report as rules
from xlreport.usecases.files import check_file
from xlreport.workbook.reader import defined_names_from_zip, read_report

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "2024_huaian_renmin_zhengfu.xlsx"


def bare_calamine(path: Path) -> None:
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    wb.close()


def bare_same(path: Path) -> None:
    """What check reads with calamine: the sheets its defined names point to."""
    names = defined_names_from_zip(path)
    read = {a.sheet for a in names.values() if a is not None}
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        if name in read:
            wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    wb.close()


def parse_every_part(path: Path) -> None:
    """What a full well-formedness check would add: every XML part through expat (not done by check)."""
    import xml.parsers.expat

    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.filename.endswith((".xml", ".rels")):
                xml.parsers.expat.ParserCreate().Parse(zf.read(info), True)


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
    fns = (bare_calamine, bare_same, tables, check, parse_every_part, openpyxl_load)
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
    print(f"check / bare calamine read      = {t['check'] / t['bare_calamine']:.2f}  (target ≤ 3)")
    print(f"check / bare read, same sheets  = {t['check'] / t['bare_same']:.2f}")
    print(f"  without the narrative and date rules = {t['tables'] / t['bare_calamine']:.2f}")
    print(f"openpyxl load_workbook / check  = {t['openpyxl_load'] / t['check']:.2f}  (target ≥ 5)")
    print(f"parsing every XML part (expat) / check = {t['parse_every_part'] / t['check']:.2f}  (why check does not)")


if __name__ == "__main__":
    main()
