"""The splitter alone: runs of digits cut into a row's cells by the sums the cells must satisfy.

Rows and equations are written out here by hand (R3: 总计 = the six applicant columns; R4: each
表四 group's 总计), or taken from the declared forms for whole generated tables.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from conftest import FORMS
from published_text import random_numbers
from xlreport.importers.splitter import MAX_SPLITS, Column, Equation, Run, Status, solve

C = Column()
T3 = (C,) * 7
T2 = (C,) * 3


def r3(row: str) -> Equation:
    """总计 (column 6) = the six applicant columns."""
    return Equation(((row, 6, 1), *((row, c, -1) for c in range(6))))


def r4(row: str) -> list[Equation]:
    return [Equation(((row, g + 4, 1), *((row, g + c, -1) for c in range(4)))) for g in (0, 5, 10)]


def one_row(text: str, columns=T3, equations=None):
    return solve([Run("r", text, columns)], [r3("r")] if equations is None else equations)["r"]


@pytest.mark.parametrize("text, cells", [
    ("452000047", ("45", "2", "0", "0", "0", "0", "47")),  # the rows
    ("1000001", ("1", "0", "0", "0", "0", "0", "1")),
    ("180000018", ("18", "0", "0", "0", "0", "0", "18")),
    ("45 2000047", ("45", "2", "0", "0", "0", "0", "47")),  # a space is a certain boundary
    ("3001530061 43119", ("3001", "53", "0", "0", "61", "4", "3119")),
    ("12882100503 1362", ("1288", "21", "0", "0", "50", "3", "1362")),
    ("0 无 0 0 0 0 0", ("0", "无", "0", "0", "0", "0", "0")),  # a mark is a cell of its own
])
def test_a_row_total_decides_the_split(text, cells):
    split = one_row(text)
    assert (split.status, split.cells) == (Status.EXACT, cells)


def test_table_four_spaced_or_glued_gives_fifteen_cells():
    for text in ("0 1 1 0 2 1 0 0 0 1 0 0 0 0 0", "011021000100000"):
        split = one_row(text, (C,) * 15, r4("r"))
        assert split.status is Status.EXACT
        assert split.cells == tuple("011021000100000")


def test_several_splits_that_all_add_up_are_not_guessed():
    # 淮安 2024 表四 glued: the last group "12 1 1 6 20" could as well be "1 2 11 6 20" or "1 2 1 16 20"
    split = one_row("726417837351134812612116" + "20", (C,) * 15, r4("r"))
    assert split.status is Status.AMBIGUOUS and split.consistent
    assert set(split.candidates) == {
        ("72", "64", "178", "37", "351", "13", "4", "8", "1", "26", *last)
        for last in (("12", "1", "1", "6", "20"), ("1", "2", "11", "6", "20"), ("1", "2", "1", "16", "20"))}
    # the cells all three agree on are given, the others left blank
    assert split.cells == ("72", "64", "178", "37", "351", "13", "4", "8", "1", "26", None, None, None, None, "20")


def test_rows_are_solved_together_by_the_column_sums():
    # alone, "2112" in a 3-column row is 2|1|12, 2|11|2 or 21|1|2; the column sums below decide
    columns = (C,) * 3
    runs = [Run("a", "2112", columns), Run("b", "111", columns), Run("sum", "2223", columns)]
    equations = [Equation((("sum", c, 1), ("a", c, -1), ("b", c, -1))) for c in range(3)]
    result = solve(runs, equations)
    assert result["a"].cells == ("21", "1", "2") and result["a"].status is Status.EXACT
    assert result["sum"].cells == ("22", "2", "3")


@pytest.mark.parametrize("text, columns, candidates", [
    ("35-182", (C, Column(signed=True), C), {("35", "-18", "2"), ("35", "-1", "82")}),  # a sign starts a cell
    ("3115.2万", (C, Column(decimal=True)), {("3", "115.2万"), ("31", "15.2万"), ("311", "5.2万")}),  # decimals stay
    ("0180", T2, {("0", "1", "80"), ("0", "18", "0")}),  # a cell never starts with 0 unless it is 0
])
def test_cells_follow_the_column_meanings(text, columns, candidates):
    split = one_row(text, columns, [])
    assert split.status is Status.AMBIGUOUS
    assert set(split.candidates) == candidates


def test_a_quote_from_the_narrative_chooses_among_table_two_splits():
    quoted = {("r", 0): {Decimal(64)}, ("r", 2): {Decimal(2710)}}
    split = solve([Run("r", "6432710", T2)], [], quoted)["r"]
    assert (split.status, split.cells) == (Status.EVIDENCE, ("64", "3", "2710"))
    assert len(split.candidates) == 15  # the splits there were before the quotes


def test_a_quote_that_no_split_agrees_with_is_ignored():
    split = solve([Run("r", "6432710", T2)], [], {("r", 2): {Decimal(9999)}})["r"]
    assert split.status is Status.AMBIGUOUS and len(split.candidates) == 15
    assert split.cells == (None, None, None)


def test_a_wrong_total_is_split_the_nearest_way_and_stays_wrong():
    # 45 2 0 0 0 0 printed with 总计 48: no split adds up; 45|2|…|48 misses by 1, 4|52|…|48 by 8
    split = one_row("452000048")
    assert (split.status, split.consistent) == (Status.NEAREST, False)
    assert split.cells == ("45", "2", "0", "0", "0", "0", "48")
    assert split.candidates[0] == split.cells and len(split.candidates) == 7


def test_equally_near_splits_of_a_wrong_row_are_not_guessed():
    # first + second = third; "1104" is 1|10|4 or 11|0|4, both 7 away from adding up
    equation = [Equation((("r", 2, 1), ("r", 0, -1), ("r", 1, -1)))]
    split = one_row("1104", (C, C, C), equation)
    assert (split.status, split.consistent) == (Status.AMBIGUOUS, False)
    assert set(split.candidates) == {("1", "10", "4"), ("11", "0", "4")}
    assert split.cells == (None, None, "4")


def test_a_wrong_row_with_one_way_to_cut_it_is_taken_as_printed():
    split = one_row("1100003")  # seven digits, seven cells: 1+1 ≠ 3, nothing to choose
    assert (split.status, split.consistent, split.cells) == (Status.EXACT, False, tuple("1100003"))


def test_a_run_that_cannot_make_the_cells_is_reported_with_what_it_makes():
    split = one_row("00000")
    assert split.status is Status.IMPOSSIBLE and split.cells == (None,) * 7
    assert split.cell_range == (5, 5)


def test_beyond_the_stated_limit_a_row_is_undecided_not_guessed():
    split = one_row("1" * 80, T2, [])  # C(79, 2) = 3081 ways to cut, no sum to choose by
    assert 3081 > MAX_SPLITS
    assert split.status is Status.TOO_MANY and split.cells == (None, None, None)


# --- whole generated tables -----------------------------------------------------------------


def _t3_problem(form, numbers, rng, space):
    """表三 of a generated report as glued runs, with the form's declared identities as equations."""
    rows = [r.key for r in form.table("t3").blocks[0].rows]
    cols = [c.key for c in form.table("t3").blocks[0].columns]
    runs, truth = [], {}
    for r in rows:
        cells = [str(numbers[f"t3.{r}.{c}"]) for c in cols]
        truth[r] = tuple(cells)
        runs.append(Run(r, "".join(c + (" " if rng.random() < space else "") for c in cells).strip(), T3))
    position = {f"t3.{r}.{c}": (r, j) for r in rows for j, c in enumerate(cols)}
    equations = [Equation(tuple((*position[k], 1) for k in i.left) + tuple((*position[k], -1) for k in i.right))
                 for i in form.identities if all(k in position for k in i.left + i.right)]
    return runs, equations, truth


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.version)
@pytest.mark.parametrize("space", [0.0, 0.3])
def test_generated_tables_split_to_the_truth_or_to_candidates_that_hold_it(form, space):
    undecided = total = 0
    for seed in range(25):
        rng = random.Random(seed)
        runs, equations, truth = _t3_problem(form, random_numbers(form, rng), rng, space)
        for key, split in solve(runs, equations).items():
            total += 1
            assert split.consistent, key  # a consistent table is never taken for a wrong one
            if split.status is Status.EXACT:
                assert split.cells == truth[key]
            else:  # never a guess: undecided, with the truth among the candidates and in the agreed cells
                undecided += 1
                assert split.status in (Status.AMBIGUOUS, Status.TOO_MANY), key
                assert truth[key] in split.candidates or split.status is Status.TOO_MANY
                assert all(c is None or c == t for c, t in zip(split.cells, truth[key]))
    assert undecided < total * 0.1  # measured in bench/bench_glued.py; a regression guard, not the figure
