"""Web text whose table cells ran together: how much of a report the importer recovers, at what cost.

For N generated consistent reports per format (tests/published_text.py, the generator the tests
use: counts mostly 0, some units and tens, a few hundreds and thousands; 表二 with signed changes
and decimal amounts; the narrative quoting each 表二 第（一）项 number with probability 1/2), each
rendered as web text in four glued styles, imports the text and compares every statutory cell with
the number it was made from:
  - cells recovered exactly / left blank as undecided / wrong (must be 0),
  - glued rows reported IMPORT-AMBIGUOUS (per table) and rows decided by the narrative's quotes,
  - import time against the same report with "|" between its cells, parsed in the same run.
Then the same reports with one identity-covered cell changed (the report itself inconsistent):
how often `check` still finds an error (must be always), cells imported otherwise than printed
outside the rows reported as guessed or undecided (must be 0), and rows reported as guessed.

Run: python bench/bench_glued.py [--reports N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from published_text import delimited, glued, narrative_quotes, random_numbers, report_text, table_lines  # noqa: E402
from xlreport.forms import FORMS  # noqa: E402
from xlreport.importers.build import build_report  # noqa: E402
from xlreport.importers.text import parse_text  # noqa: E402
from xlreport.model import State  # noqa: E402
from xlreport.checks.report import validate  # noqa: E402
from xlreport.rules.findings import Severity  # noqa: E402

STYLES = {
    "每表一行": {"space": 0.0},
    "每表一行、三成格间有空格": {"space": 0.3},
    "每行一行": {"space": 0.0, "rows_per_line": 1},
    "每三行一行、两成格间有空格": {"space": 0.2, "rows_per_line": 3},
}
IDENTITY_RULES = {"T3-FLOW", "T3-RESULT-SUM", "T3-ROW-SUM", "T4-SUM"}


def timed(text: str):
    t0 = time.perf_counter()
    report, findings = build_report(parse_text(text))
    return report, findings, time.perf_counter() - t0


def consistent(form, n: int) -> None:
    print(f"\n## {form.version} 格式（{form.document}），每种写法 {n} 份\n")
    print("| 写法 | 单元格准确 | 留空（待定） | 错误 | 待定行：全部（表二/表三/表四） | 按正文拆分的表二行 | "
          "导入 ms（中位/最大） | ÷ 同一份“\\|”分隔 |")
    print("|---|---|---|---|---|---|---|---|")
    for style, options in STYLES.items():
        exact = blank = wrong = narrative = 0
        undecided: Counter = Counter()
        rows: Counter = Counter()
        times, ratios = [], []
        for seed in range(n):
            rng = random.Random(seed)
            numbers = random_numbers(form, rng)
            quotes = narrative_quotes(form, numbers, rng)
            text = report_text(form, numbers, glued(rng, **options), overview=quotes)
            report, findings, seconds = timed(text)
            *_, baseline = timed(report_text(form, numbers, delimited(" | "), overview=quotes))
            times.append(seconds)
            ratios.append(seconds / baseline)
            for cell in form.cells:
                value = report.value(cell.key)
                if value.state is State.BLANK:
                    blank += 1
                elif value.number == Decimal(str(numbers[cell.key])):
                    exact += 1
                else:
                    wrong += 1
            for f in findings:
                if f.rule == "IMPORT-AMBIGUOUS":
                    undecided[f.cells[0].key.split(".")[0]] += 1
                narrative += f.rule == "IMPORT-SPLIT-NARRATIVE"
            for key in ("t2", "t3", "t4"):
                rows[key] += sum(1 for line in table_lines(form, key, numbers) if line.values)
        cells = len(form.cells) * n
        shares = "/".join(f"{undecided[k] / rows[k]:.1%}" for k in ("t2", "t3", "t4"))
        print(f"| {style} | {exact / cells:.2%} | {blank / cells:.2%} | {wrong} | "
              f"{sum(undecided.values()) / sum(rows.values()):.1%}（{shares}） | {narrative / rows['t2']:.1%} | "
              f"{statistics.median(times) * 1000:.0f} / {max(times) * 1000:.0f} | {statistics.median(ratios):.1f} |")


def inconsistent(form, n: int) -> None:
    covered = sorted({k for i in form.identities for k in i.left + i.right})
    caught = wrong_unflagged = guessed = undecided = 0
    for seed in range(n):
        rng = random.Random(seed)
        numbers = random_numbers(form, rng)
        key = rng.choice(covered)
        numbers[key] += rng.choice([1, 2, 10])
        text = report_text(form, numbers, glued(rng, rng.choice([0.0, 0.3]), rng.choice([0, 1, 3])))
        report, findings, _ = timed(text)
        errors = {f.rule for f in validate(report) if f.severity is Severity.ERROR}
        caught += bool(errors & (IDENTITY_RULES | {"IMPORT-AMBIGUOUS"}))
        flagged = {c.key for f in findings if f.rule in ("IMPORT-SPLIT-GUESSED", "IMPORT-AMBIGUOUS") for c in f.cells}
        wrong_unflagged += sum(1 for c in form.cells if c.key not in flagged and report.number(c.key) is not None
                               and report.number(c.key) != Decimal(str(numbers[c.key])))
        guessed += sum(f.rule == "IMPORT-SPLIT-GUESSED" for f in findings)
        undecided += sum(f.rule == "IMPORT-AMBIGUOUS" for f in findings)
    print(f"\n{form.version} 格式，{n} 份不一致的报告（改动一个参与勾稽关系的单元格）：check 报错 {caught}/{n}；"
          f"未标出而导入有误的单元格 {wrong_unflagged}；每份平均 {guessed / n:.1f} 行按最接近的拆分导入（警告）、"
          f"{undecided / n:.1f} 行待定")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100, help="generated reports per format and style")
    args = parser.parse_args()
    for form in FORMS.values():
        build_report(parse_text(report_text(form, random_numbers(form, random.Random(0)), glued(random.Random(0)))))
    for form in FORMS.values():
        consistent(form, args.reports)
    for form in FORMS.values():
        inconsistent(form, args.reports)


if __name__ == "__main__":
    main()
