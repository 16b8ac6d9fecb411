"""`xlreport check` on the published reports themselves: exactly the problems the documents contain."""

from __future__ import annotations

import pytest

from conftest import REAL_REPORTS, SEED
from xlreport.cli import main

REPORTS = REAL_REPORTS

# (document, rules expected at warning level or above, with how often), read off the documents by hand:
# - 2024 宿迁: the text says 行政复议 134 件 / 行政诉讼 57 件, 表四 holds 170 and 54 + 23 = 77;
#   its table labels were shortened by the comparison tool it was copied from (3 labels).
# - 2023 宿迁: the same three shortened labels, and nothing else.
# - 2024 淮安: clean.
# - the seed (株洲 2020): 采购总金额 printed as "115.2万" (a number with its unit), no 五 or 六 section;
#   signed 2021年1月29日, before a department's 1月31日.
# - the three others as stored carry no date (excerpts; the 淮安 PDF has none): DATE-INVALID.
EXPECTED = [
    (REPORTS / "2024_suqian_shi.txt", {"IMPORT-LABEL": 3, "TXT-CASES": 2, "DATE-INVALID": 1}),
    (REPORTS / "2023_suqian_shi.txt", {"IMPORT-LABEL": 3, "DATE-INVALID": 1}),
    (REPORTS / "2024_huaian_shi_renmin_zhengfu.txt", {"DATE-INVALID": 1}),
    (SEED, {"CELL-TEXT-NUMBER": 1, "NARRATIVE-EMPTY": 2}),
]


@pytest.mark.parametrize("path, expected", EXPECTED, ids=[p.stem for p, _ in EXPECTED])
def test_check_on_a_published_report_finds_what_the_document_contains(capsys, path, expected):
    import json

    code = main(["check", str(path), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    found: dict[str, int] = {}
    for f in data["findings"]:
        if f["severity"] != "info":
            found[f["rule"]] = found.get(f["rule"], 0) + 1
    assert found == expected
    assert code == 0  # none of these is an error: the tables of all four add up


def test_the_suqian_mismatch_names_both_numbers_and_the_cell(capsys):
    main(["check", str(REPORTS / "2024_suqian_shi.txt")])
    out = capsys.readouterr().out
    assert "行政复议 134 件" in out and "170 件" in out
    assert "行政诉讼 57 件" in out and "77 件" in out
