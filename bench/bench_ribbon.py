"""Latency of one ribbon click (issue 4, item 6): every click starts a fresh Python process.

Measures, in one run and against baselines from the same run:
  - interpreter start-up (`python -c pass`), the baseline of every click;
  - importing the entry module xlreport.excel.dispatch (`python -X importtime`, parsed, and wall time);
  - importing xlwings as a click does: through xlgrid.import_xlwings (pandas/numpy kept out) and plainly;
  - validate in-process on the 2024 example through the in-memory grid and the openpyxl file grid,
    against a bare calamine read of the same workbook;
  - a whole click without Excel: a fresh process importing the entry module and validating the example;
  - pandas (issue 11): which of `import xlreport`, `xlreport check FILE` and a click import it (none may),
    and what `xlreport.read_frame` costs to import (what every click would pay if pandas were on its path).
Target: import + validate <= 300 ms.

    /work/venv/bin/python bench/bench_ribbon.py [--repeat N]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "2024_huaian_renmin_zhengfu.xlsx"


def wall(code: str, repeat: int) -> float:
    """Median wall time (ms) of a fresh interpreter running `code`."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def importtime(module: str, repeat: int, code: str | None = None) -> tuple[float, set[str]]:
    """Median of the summed top-level cumulative import times (ms) reported by -X importtime."""
    totals, names = [], set()
    for _ in range(repeat):
        err = subprocess.run([sys.executable, "-X", "importtime", "-c", code or f"import {module}"],
                             check=True, capture_output=True, text=True).stderr
        total = 0
        for m in re.finditer(r"^import time:\s*\d+ \|\s*(\d+) \|( *)(\S+)", err, re.M):
            names.add(m.group(3))
            if len(m.group(2)) == 1:  # top level: its cumulative time includes everything below
                total += int(m.group(1))
        totals.append(total / 1000)
    return statistics.median(totals), names


def in_process(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    n = ap.parse_args().repeat

    startup = wall("pass", n)
    import_ms, modules = importtime("xlreport.excel.dispatch", n)
    import_wall = wall("import xlreport.excel.dispatch", n) - startup
    heavy = sorted({m.split(".")[0] for m in modules} & {"pandas", "numpy", "docx", "openpyxl", "xlwings"})
    # xlwings on top of the entry module, as run() does it and as a plain import would.
    entry = startup + import_wall
    xw_guarded = wall("import xlreport.excel.dispatch as d; d.import_xlwings()", n) - entry
    xw_plain = wall("import xlreport.excel.dispatch; import xlwings", n) - entry

    # In-process: everything imported once beforehand, as the subprocess numbers cover imports.
    from python_calamine import CalamineWorkbook

    from xlreport.excel import ribbon
    from xlreport.excel.grid_file import FileGrid
    from xlreport.excel.grid_memory import MemoryGrid

    def calamine_read():
        wb = CalamineWorkbook.from_path(str(EXAMPLE))
        for s in wb.sheet_names:
            wb.get_sheet_by_name(s).to_python(skip_empty_area=False)
        wb.close()

    def memory_validate():
        ribbon.validate(MemoryGrid.from_file(EXAMPLE))

    tmp = Path(tempfile.mkdtemp())
    copy = tmp / "example.xlsx"
    shutil.copyfile(EXAMPLE, copy)

    def file_validate():
        grid = FileGrid(copy)
        ribbon.validate(grid)
        grid.close()

    def file_validate_save():
        grid = FileGrid(copy)
        ribbon.validate(grid)
        grid.save(tmp / "out.xlsx")
        grid.close()

    file_validate()  # warm openpyxl's lazy imports
    base = in_process(calamine_read, n)
    mem = in_process(memory_validate, n)
    fil = in_process(file_validate, n)
    fil_save = in_process(file_validate_save, n)
    click = wall(
        "import xlreport.excel.dispatch; from xlreport.excel import ribbon; from xlreport.excel.grid_memory import MemoryGrid; "
        f"ribbon.validate(MemoryGrid.from_file({str(EXAMPLE)!r}))",
        n,
    ) - startup
    shutil.rmtree(tmp)

    # pandas: off every path but the analysis room's; what it would cost a click if it were not.
    check = f"from xlreport.cli import main; main(['check', {str(EXAMPLE)!r}, '--format', 'json'])"
    pandas_in = {what: "pandas" in {m.split(".")[0] for m in importtime("", 1, code)[1]}
                 for what, code in (("import xlreport", "import xlreport"), ("xlreport check FILE", check),
                                    ("a click (import + validate)", "import xlreport.excel.dispatch; "
                                     "from xlreport.excel import ribbon; from xlreport.excel.grid_memory import MemoryGrid; "
                                     f"ribbon.validate(MemoryGrid.from_file({str(EXAMPLE)!r}))"))}
    root = wall("import xlreport", n) - startup
    frames = wall("import xlreport; xlreport.read_frame", n) - startup

    print(f"Python {sys.version.split()[0]}, median of {n} runs, example {EXAMPLE.name}\n")
    print("baselines")
    print(f"  python -c pass (start-up)                    {startup:8.1f} ms")
    print(f"  bare calamine read of every sheet            {base:8.1f} ms")
    print("entry module")
    print(f"  import xlreport.excel.dispatch (importtime)   {import_ms:8.1f} ms   {import_ms / startup:5.2f}x start-up")
    print(f"  import xlreport.excel.dispatch (wall - pass) {import_wall:8.1f} ms")
    print(f"  heavy libraries imported: {heavy or 'none'}")
    print("xlwings, imported inside run()")
    print(f"  import_xlwings() (pandas/numpy kept out)     {xw_guarded:8.1f} ms")
    print(f"  plain `import xlwings` (pulls pandas)        {xw_plain:8.1f} ms   {xw_plain / max(xw_guarded, 1e-9):5.2f}x guarded")
    print("validate in-process (read + check + marks + result sheet)")
    print(f"  in-memory grid                               {mem:8.1f} ms   {mem / base:5.2f}x calamine read")
    print(f"  openpyxl file grid                           {fil:8.1f} ms   {fil / base:5.2f}x calamine read")
    print(f"  openpyxl file grid + save                    {fil_save:8.1f} ms   {fil_save / base:5.2f}x calamine read")
    print("one click without Excel (fresh process: import + validate, in-memory grid)")
    total = import_wall + mem
    print(f"  import + in-process validate                 {total:8.1f} ms   target 300 ms: {'met' if total <= 300 else 'MISSED'}")
    print(f"  measured end to end (wall - pass)            {click:8.1f} ms   target 300 ms: {'met' if click <= 300 else 'MISSED'}")
    print("pandas (xlreport[analysis])")
    for what, loaded in pandas_in.items():
        print(f"  {what:44} imports pandas: {'YES' if loaded else 'no'}")
    print(f"  import xlreport (wall - pass)                {root:8.1f} ms")
    print(f"  import xlreport + xlreport.read_frame        {frames:8.1f} ms   {frames / max(click, 1e-9):5.2f}x a whole click")


if __name__ == "__main__":
    main()
