"""The bad-input corpus (tests/corpus/make.py) through every command that takes such a file.

Each input must give the expected exit code and a Chinese message with the expected words,
never a traceback and never a number in scientific notation. Inputs that could exhaust the
machine (zip bombs, entity expansion, huge ranges, 50 MB of text) run in a child process with
a wall-clock timeout and an address-space limit, so a regression fails the test instead of
taking the test run (or the shared machine) down with it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from corpus.make import CASES, Case, Expect, cells, xml_edit

from xlreport.cli import main

CHILD_TIMEOUT = 60  # seconds, per command
CHILD_MEMORY = 2 * 1024**3  # bytes of address space; the bombs would need several GB
CHILD_BOUND = 30  # seconds a refused hostile input may take at most
SCIENTIFIC = re.compile(r"\d[eE][+-]\d")

PAIRS = [
    pytest.param(case, expect, id=f"{case.id}-{expect.command}",
                 marks=[pytest.mark.xfail(reason=case.known_defect, strict=True)] if case.known_defect else [])
    for case in CASES for expect in case.expect
]


def argv(command: str, path: Path, out: Path) -> list[str]:
    suffix = path.suffix if path.suffix in (".xlsx", ".xlsm") else ".xlsx"
    return {
        "check": ["check", path],
        "check-openpyxl": ["check", "--engine", "openpyxl", path],
        "fill": ["fill", path, "-o", out / f"filled{suffix}"],
        "draft": ["draft", path, "-o", out / f"drafted{suffix}"],
        "build": ["build", path, "-o", out / "built", "--docx", "--html"],
        "build-force": ["build", path, "-o", out / "built", "--html", "--force"],
        "import": ["import", path, "-o", out / "imported.xlsx"],
        "next": ["next", path, "-o", out / "next.xlsx"],
        "aggregate": ["aggregate", path, "-o", out / "sum.xlsx", "--agency", "某某县人民政府"],
    }[command]


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def run_isolated(args: list[str]) -> tuple[int, str, float]:
    code = "import sys; from xlreport.cli import main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, timeout=CHILD_TIMEOUT,
                          preexec_fn=_limit_memory, env=env)
    output = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
    return done.returncode, output, time.monotonic() - start


def run_in_process(capsys, args: list[str]) -> tuple[int, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out + err


def produced_text(folder: Path) -> str:
    """Everything the command wrote, as text: XML members of .xlsx/.docx, .html as is."""
    parts = []
    for path in folder.rglob("*"):
        if path.suffix in (".xlsx", ".xlsm", ".docx"):
            with zipfile.ZipFile(path) as zf:
                parts += [zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith((".xml", ".rels"))]
        elif path.suffix == ".html":
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


@pytest.mark.parametrize("case, expect", PAIRS)
def test_bad_input_gets_a_chinese_message_and_the_right_exit_code(capsys, tmp_path, case: Case, expect: Expect):
    src_dir, out = tmp_path / "in", tmp_path / "out"
    src_dir.mkdir()
    out.mkdir()
    path = case.make(src_dir)
    args = argv(expect.command, path, out)
    if case.isolate:
        code, output, seconds = run_isolated(args)
        assert seconds < CHILD_BOUND, f"{case.id}: {seconds:.1f} s"
    else:
        code, output = run_in_process(capsys, args)
    output = output.replace(str(tmp_path), "<tmp>")
    assert "Traceback" not in output, output[-3000:]
    assert "panicked" not in output or case.noise == "panicked", output[-3000:]
    assert code == expect.code, output[-3000:]
    missing = [w for w in expect.words if w not in output]
    assert not missing, f"{missing} not in:\n{output[-3000:]}"
    assert not SCIENTIFIC.search(output), SCIENTIFIC.search(output)
    if expect.absent:
        written = produced_text(out)
        assert not [w for w in expect.absent if w in output or w in written]


def test_the_corpus_has_at_least_40_distinct_inputs():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    assert all(c.expect and c.what for c in CASES)


def test_error_cells_read_the_same_with_both_engines(tmp_path):
    from corpus.make import ERROR_CELL, set_cell_xml

    from xlreport.workbook.reader import read_report

    path = xml_edit(set_cell_xml("D5", ERROR_CELL.format(formula="1/0", code="#DIV/0!"), ' t="e"'), sheet="表三")(tmp_path)
    fast, slow = read_report(path), read_report(path, "openpyxl")
    assert fast.value("t3.new.natural") == slow.value("t3.new.natural")
    assert "#DIV/0!" in str(fast.value("t3.new.natural").raw)


@pytest.mark.parametrize("value, digits", [(1e308, "1" + "0" * 308), (10**30, "1" + "0" * 30)])
def test_huge_numbers_are_written_as_plain_digits(tmp_path, value, digits):
    """fill writes the total of a huge number as digits (Excel reads both forms; people read one)."""
    path = cells(XR_T3_NEW_NATURAL=value)(tmp_path)
    assert main(["fill", str(path), "-o", str(tmp_path / "filled.xlsx")]) == 0
    with zipfile.ZipFile(tmp_path / "filled.xlsx") as zf:
        sheet = zf.read("xl/worksheets/sheet4.xml").decode()
    j5 = re.search(r'<c r="J5"[^>]*>.*?<v>([^<]*)</v>', sheet).group(1)
    assert j5 == digits  # 3001 + 53 + 0 + 0 + 61 + 4 vanish next to the huge part at 28 significant digits


def test_the_vba_project_of_an_xlsm_is_never_parsed(tmp_path):
    """Reading goes by workbook.xml and the sheets only: an .xlsm whose vbaProject.bin is random
    bytes reads exactly like the real one (so nothing in it is interpreted, let alone run)."""
    from corpus.make import garbage, rezip, xlsm

    from xlreport.usecases.files import check_file

    real = xlsm(tmp_path)
    junk = rezip(real, tmp_path / "junk.xlsm", {"xl/vbaProject.bin": lambda b: garbage(len(b))})
    (a, fa), (b, fb) = check_file(real), check_file(junk)
    assert a.values == b.values and a.agency == b.agency == "淮安市人民政府"
    assert [f.message for f in fa] == [f.message for f in fb] == []
