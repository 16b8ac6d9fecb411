"""Batch check of many workbooks: throughput and memory, as ratios measured in one run.

Generates N workbooks once into a temp dir (copies of the 淮安 example, each of its own agency and
with its own numbers that keep every identity, so no two are duplicates; every 10th has a text cell,
so findings flow too), then measures
  - xlreport's batch check (xlreport.usecases.batch.check_all, what `xlreport check DIR` runs) with --jobs 1 and 2,
  - what finding duplicates adds to it: the fingerprint each worker takes of its file (SHA-256 of the
    bytes and of the tables), as a share of the --jobs 1 check; check_one against the same per-file
    work without the fingerprint, interleaved in one process; and the parent's marking of the rows,
  - the naive loop: openpyxl load_workbook + the same checks (read_report(engine="openpyxl") + validate)
    on a subset,
  - the whole command `xlreport check DIR --jobs 2 -o 汇总.xlsx` in a fresh process (start-up and summary included),
  - peak RSS (parent and workers, resource.getrusage) of fresh processes checking 100 vs N files.
  - with --against OLD/src: this version against another source tree (a `git archive` of an earlier
    commit), each batch check in a fresh process, the two alternating --rounds times on the same files.
Targets on a 2-core machine: >= 300 workbooks/s with --jobs 2, >= 10x the naive loop, memory flat in N.

Run: python bench/bench_batch.py [--files 1000] [--naive 40] [--rounds 3] [--profile] [--against OLD/src]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "2024_huaian_renmin_zhengfu.xlsx"
# Adding k to these keeps 收办平衡, 办理结果总计 and 横向总计 (natural column, 予以公开 row).
VARIED = ("t3.granted.natural", "t3.result_total.natural", "t3.new.natural",
          "t3.granted.total", "t3.result_total.total", "t3.new.total")


def generate(folder: Path, n: int) -> list[Path]:
    from xlreport.workbook.reader import read_report
    from xlreport.workbook.writer import write_named_values

    base = read_report(EXAMPLE)
    paths = []
    for i in range(n):
        k = Decimal(i)
        values: dict[str, Decimal | str] = {base.form.cell(key).defined_name: base.number(key) + k for key in VARIED}
        values["XR_COVER_AGENCY"] = f"某某县第{i:04d}局"
        if i % 10 == 9:
            values["XR_T2_ITEM1_REGULATIONS_ISSUED"] = "无"
        path = folder / f"{i // 100:02d}" / f"dept{i:04d}.xlsx"
        path.parent.mkdir(exist_ok=True)
        write_named_values(EXAMPLE, path, values)
        paths.append(path)
    return paths


def rate(fn, paths) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn(paths)
    return len(paths) / (time.perf_counter() - t0), out


def batch(jobs: int):
    from xlreport.usecases.batch import check_all

    return lambda paths: check_all(paths, jobs=jobs)


def naive(paths):
    from xlreport.checks.report import validate
    from xlreport.workbook.reader import read_report

    return [validate(read_report(p, engine="openpyxl")) for p in paths]


def _findings_only(report) -> dict:
    """What check_one adds to a row without the fingerprint (check before duplicates were looked for)."""
    from xlreport.checks.report import validate

    return {"findings": [f.to_dict() for f in validate(report)]}


def duplicate_cost(paths, rows, r1: float, rounds: int) -> None:
    """The fingerprint per file (timed on reports already read), check_one with and without it, and
    marking all rows, against --jobs 1."""
    try:
        from xlreport.usecases import batch, duplicates
    except ImportError:  # a version before duplicates were looked for (run with PYTHONPATH=OLD/src)
        return print("duplicates     : not in this version")
    subset, best, samples = paths[:50], {"with": 0.0, "without": 0.0}, 10 * rounds
    for _ in range(samples):  # many short interleaved samples, best of each: the least disturbed by other load
        best["with"] = max(best["with"], rate(lambda ps: [batch.check_one(p) for p in ps], subset)[0])
        best["without"] = max(best["without"], rate(lambda ps: [batch.read_one(p, _findings_only) for p in ps], subset)[0])
    reports = [(p, batch.load(p)) for p in paths[:200]]
    t0 = time.perf_counter()
    for p, report in reports:
        duplicates.file_facts(p, report)
    per_file = (time.perf_counter() - t0) / len(reports)
    unmarked = [{k: v for k, v in r.items() if k != "duplicates"} for r in rows]
    t0 = time.perf_counter()
    batch.mark_duplicates(unmarked)
    marking = time.perf_counter() - t0
    print(f"duplicates     : fingerprint {per_file * 1e6:.0f} µs/file = {per_file * r1:.1%} of a --jobs 1 check; "
          f"marking {len(rows)} rows {marking * 1e3:.1f} ms = {marking * r1 / len(rows):.2%} of their check")
    print(f"                 check_one with/without the fingerprint = {best['with'] / best['without']:.3f} "
          f"({best['with']:.0f} / {best['without']:.0f} files/s, best of {samples} runs over {len(subset)} files)")


def peak_rss_child(folder: Path, count: int, jobs: int) -> None:
    """In a fresh process: check the first `count` files, print peak RSS of self and of the workers (MiB)."""
    from xlreport.usecases.batch import check_all, discover

    paths = discover([folder])[:count]
    rows = check_all(paths, jobs=jobs)
    assert len(rows) == count
    mib = lambda who: resource.getrusage(who).ru_maxrss / 1024  # noqa: E731  (KiB on Linux)
    print(json.dumps({"parent": mib(resource.RUSAGE_SELF), "workers": mib(resource.RUSAGE_CHILDREN)}))


def rate_child(folder: Path, jobs: int) -> None:
    """In a fresh process (whichever xlreport PYTHONPATH gives): workbooks/s of one batch check."""
    from xlreport.usecases.batch import discover

    paths = discover([folder])
    rate(batch(jobs), paths[:50])  # warm imports
    print(json.dumps(rate(batch(jobs), paths)[0]))


def versus(folder: Path, old_src: str, rounds: int) -> None:
    """This version against the one in old_src, alternating, best of each (the machine is shared)."""
    env_old = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (old_src, os.environ.get("PYTHONPATH")) if p))
    best = {}
    for _ in range(rounds):
        for jobs in (1, 2):
            for who, env in (("before", env_old), ("after", None)):
                out = subprocess.run([sys.executable, __file__, "--rate-child", "--dir", str(folder), "--jobs", str(jobs)],
                                     check=True, capture_output=True, text=True, env=env).stdout
                best[who, jobs] = max(best.get((who, jobs), 0.0), json.loads(out))
    for jobs in (1, 2):
        before, after = best["before", jobs], best["after", jobs]
        print(f"--against --jobs {jobs}: before {before:7.1f}, after {after:7.1f} workbooks/s: after/before = {after / before:.3f} "
              f"(best of {rounds}, {old_src})")


def peak_rss(folder: Path, count: int, jobs: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--rss-child", str(count), "--dir", str(folder), "--jobs", str(jobs)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--naive", type=int, default=40, help="files in the naive loop's subset")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="cProfile the --jobs 1 check of 200 files")
    ap.add_argument("--against", metavar="OLD/src", help="also compare with the xlreport source tree there")
    ap.add_argument("--rate-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--rss-child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--dir", help=argparse.SUPPRESS)
    ap.add_argument("--jobs", type=int, default=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.rss_child:
        return peak_rss_child(Path(args.dir), args.rss_child, args.jobs)
    if args.rate_child:
        return rate_child(Path(args.dir), args.jobs)

    with tempfile.TemporaryDirectory(prefix="xlreport-bench-") as tmp:
        folder = Path(tmp) / "收件"
        folder.mkdir()
        t0 = time.perf_counter()
        paths = generate(folder, args.files)
        print(f"generated {len(paths)} workbooks in {time.perf_counter() - t0:.1f} s ({os.cpu_count()} CPUs)")

        from xlreport.usecases.batch import discover

        paths = discover([folder])
        rate(batch(1), paths[:50])  # warm imports and the page cache
        best = {"jobs1": 0.0, "jobs2": 0.0, "naive": 0.0}
        for _ in range(args.rounds):  # interleaved rounds, best of each: the machine is shared
            r1, rows = rate(batch(1), paths)
            r2, rows2 = rate(batch(2), paths)
            rn, _ = rate(naive, paths[: args.naive])
            assert rows == rows2
            for key, r in (("jobs1", r1), ("jobs2", r2), ("naive", rn)):
                best[key] = max(best[key], r)
        r1, r2, rn = best["jobs1"], best["jobs2"], best["naive"]
        errors = sum(1 for r in rows if any(f["severity"] == "error" for f in r["findings"]))
        print(f"best of {args.rounds} interleaved rounds:")
        print(f"batch --jobs 1 : {r1:7.1f} workbooks/s  ({len(paths)} files, {errors} with errors)")
        print(f"batch --jobs 2 : {r2:7.1f} workbooks/s")
        print(f"naive loop     : {rn:7.1f} workbooks/s  (openpyxl load_workbook + same checks, {args.naive} files)")
        print(f"ratios         : jobs2/naive = {r2 / rn:.1f}x   jobs1/naive = {r1 / rn:.1f}x   jobs2/jobs1 = {r2 / r1:.2f}x")
        duplicate_cost(paths, rows, r1, args.rounds)

        out = Path(tmp) / "汇总.xlsx"
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "xlreport.cli", "check", str(folder), "--jobs", "2",
                               "--format", "xlsx", "-o", str(out)], capture_output=True, text=True)
        wall = time.perf_counter() - t0
        print(f"command        : {len(paths) / wall:7.1f} workbooks/s  (xlreport check DIR --jobs 2 -o 汇总.xlsx, "
              f"{wall:.2f} s wall incl. start-up and summary, exit {proc.returncode})")

        small, large = min(100, len(paths)), len(paths)
        for jobs in (1, 2):
            a, b = peak_rss(folder, small, jobs), peak_rss(folder, large, jobs)
            print(f"peak RSS --jobs {jobs}: {small} files parent {a['parent']:.0f} MiB / workers {a['workers']:.0f} MiB; "
                  f"{large} files parent {b['parent']:.0f} MiB / workers {b['workers']:.0f} MiB")

        if args.against:
            versus(folder, args.against, args.rounds)

        if args.profile:
            prof = cProfile.Profile()
            prof.runcall(batch(1), paths[:200])
            pstats.Stats(prof).sort_stats("cumulative").print_stats(18)


if __name__ == "__main__":
    main()
