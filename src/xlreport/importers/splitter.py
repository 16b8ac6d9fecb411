"""Cutting runs of digits whose table cells ran together ("452000047") into a row's cells.

Pure and form-agnostic: the caller passes each row's run, its columns, and the sums its cells must
satisfy, as equations over (row, column); finding the runs in text is done elsewhere (`glued`).

1. A run is read as pieces. Whitespace, a sign and a mark ("无", "/", "—") are certain cell
   boundaries; inside a piece of digits a boundary may fall between any two digits, except that a
   cell never starts with 0 unless it is 0, decimals and a unit stay with their number, and a
   column takes a sign or decimals only where it allows them.
2. Each row's splits are enumerated right to left, so that a row's total is placed before its
   parts and each part is bounded by what is left of that total (R3, R4); the parts left must
   also fit in the digits left and add up to the total modulo 9 (a number is its digit sum modulo
   9 however its digits are cut). A row too long to enumerate alone is enumerated again within
   the bounds that the equations across rows put on its cells (一、本年新收 from R1, （七）总计
   from R2).
3. The rows are then solved together for the equations between rows (R1, R2): bounds propagation,
   then a search that keeps, for every row, each split that takes part in some solution.
   One split left: decided. Several: undecided, and only the cells they agree on are given.
4. No solution at all means the report itself is wrong. The splits that break the fewest
   equations, then with the smallest total difference, are the most plausible: taken when unique
   (the caller's checks still report what they break), undecided when tied. A row whose chosen
   split breaks an equation, its own or across rows, and that could be cut another way, is
   reported as the nearest split rather than as decided.

Bounded: at most MAX_SPLITS splits and MAX_ROW_STEPS steps per row, MAX_STEPS joint search steps
per table; a row beyond them is undecided ("too many"), never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import NamedTuple

MAX_SPLITS = 2000  # splits of one row kept for the joint search
MAX_ROW_STEPS = 20_000  # enumeration states for one row
FIRST_STEPS = 1_000  # for a first try at each row alone; a longer row is bounded by the rows before it
MAX_STEPS = 20_000  # joint search steps (propagations or assignments) for one table
MAX_TIES = 64  # equally plausible joint solutions collected when none is consistent

_UNITS = "万元|万|元|件|个|项|次"
_MONEY = ("万元", "万", "元")
_UNIT_WORDS = tuple(_UNITS.split("|"))
_PIECE = re.compile(rf"(?P<num>[+\-−]?\d[\d,]*(?:\.\d+)?(?:{_UNITS})?)|(?P<mark>无|[/／]|[—–―\-]{{1,2}})|(?P<space>\s+)")
_CELL = re.compile(rf"[+\-−]?(?:0|[1-9]\d{{0,2}}(?:,\d{{3}})+|[1-9]\d*)(?:\.\d+)?(?:{_UNITS})?")


@dataclass(frozen=True)
class Column:
    signed: bool = False  # may be negative (2019 表二 本年增/减)
    decimal: bool = False  # may carry decimals and a money unit (万元 amounts)


@dataclass(frozen=True)
class Run:
    """One row as printed: its label's row key, the run of values after it, its columns."""

    key: str
    text: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Equation:
    """Σ coefficient × cell = 0, over (row key, column index, coefficient ±1) terms."""

    terms: tuple[tuple[str, int, int], ...]


class Status(str, Enum):
    EXACT = "exact"  # the only split satisfying the equations it takes part in, or the only split
    EVIDENCE = "evidence"  # one split is left once the caller's evidence is applied
    NEAREST = "nearest"  # no split satisfies every equation; this one is the most plausible
    AMBIGUOUS = "ambiguous"  # several splits remain: only the cells they agree on are given
    TOO_MANY = "too_many"  # more splits than the search may weigh
    IMPOSSIBLE = "impossible"  # the run cannot make that many cells at all


@dataclass(frozen=True)
class Split:
    cells: tuple[str | None, ...]  # one per column; None: undecided, leave blank
    status: Status
    # AMBIGUOUS: the splits that remain; NEAREST: the splits weighed, the chosen one first;
    # EVIDENCE: the splits there were before the evidence.
    candidates: tuple[tuple[str, ...], ...] = ()
    consistent: bool = True  # False: no split satisfies every equation
    cell_range: tuple[int, int] = (0, 0)  # IMPOSSIBLE: the fewest and the most cells the run makes


# --- one row ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    text: str
    mark: bool
    starts: tuple[int, ...]  # where a cell may start: 0 and every allowed cut


def pieces(text: str) -> list[_Piece] | None:
    """The run (NFKC, as glued.narrow gives it) as pieces; None when it holds something other than values."""
    text = unicodedata.normalize("NFKC", text)
    out, pos = [], 0
    for m in _PIECE.finditer(text):
        if m.start() != pos:
            return None
        pos = m.end()
        if m["num"]:
            t = m["num"]
            end = next((i for i, ch in enumerate(t) if i and not (ch.isdigit() or ch == ",")), len(t))
            cuts = (i for i in range(1, end) if t[i - 1].isdigit() and t[i].isdigit())
            out.append(_Piece(t, False, (0, *cuts)))
        elif m["mark"]:
            out.append(_Piece(m["mark"], True, (0,)))
    return out if pos == len(text) else None


def number(text: str) -> int | Decimal | None:
    """The number a cell holds, for the sums; None for a mark."""
    if not text[-1:].isdigit() and not text.endswith(_UNIT_WORDS):
        return None
    digits = re.sub(r"[^\d.\-]", "", text.replace("−", "-"))
    if digits in ("", "-"):
        return None
    return Decimal(digits) if "." in digits else int(digits)


class _Cell(NamedTuple):
    start: int
    text: str
    value: int | Decimal | None
    signed: bool  # needs a column that may be negative
    decimal: bool  # needs a column that takes decimals or a money unit

    def fits(self, column: Column) -> bool:
        return (column.signed or not self.signed) and (column.decimal or not self.decimal)


def _cells_ending(piece: _Piece) -> dict[int, list[_Cell]]:
    """For each end offset in the piece, the well-formed cells that end there."""
    if piece.mark:
        return {len(piece.text): [_Cell(0, piece.text, None, False, False)]}
    t = piece.text
    if t.isdigit():  # the common case, without a regex per cell
        return {e: [_Cell(s, t[s:e], int(t[s:e]), False, False) for s in range(e) if t[s] != "0" or e == s + 1]
                for e in range(1, len(t) + 1)}
    out = {}
    for e in (*piece.starts[1:], len(piece.text)):
        out[e] = [_Cell(s, t, number(t), t[0] in "+-−", "." in t or t.endswith(_MONEY))
                  for s in piece.starts if s < e and _CELL.fullmatch(t := piece.text[s:e])]
    return out


class _TooMany(Exception):
    pass


@dataclass
class _Row:
    """What the enumeration needs to know about one row."""

    pieces: list[_Piece]
    columns: tuple[Column, ...]
    equations: list[list[tuple[int, int]]]  # equations within the row: (column, coefficient)

    def __post_init__(self) -> None:
        self.ends = [_cells_ending(p) for p in self.pieces]
        # fewest and most cells each piece's prefixes make, and all pieces before it
        self.counts: list[dict[int, tuple[float, float]]] = []
        before = (0, 0)
        for ends in self.ends:
            b: dict[int, tuple[float, float]] = {0: (0, 0)}
            for e in sorted(ends):
                options = [b[c.start] for c in ends[e] if c.start in b]
                if options:
                    b[e] = (min(o[0] for o in options) + 1, max(o[1] for o in options) + 1)
            last = max(ends)
            self.counts.append({e: (before[0] + lo, before[1] + hi) for e, (lo, hi) in b.items()})
            before = self.counts[-1].get(last, (float("inf"), float("-inf")))
        self.total_range = before
        # for each piece's prefixes, and all pieces before it: how many digits, their sum modulo 9
        # (a number is its digit sum modulo 9, however the digits are cut), and whether only plain
        # digits (no mark, sign or decimals) were met
        self.digits: list[list[tuple[int, int, bool]]] = []
        before3 = (0, 0, True)
        for piece in self.pieces:
            plain = before3[2] and not piece.mark and piece.text.replace(",", "").isdigit()
            row = [before3[:2] + (plain,)]
            for ch in piece.text:
                count, nines, _ = row[-1]
                row.append((count + 1, (nines + int(ch)) % 9, plain) if ch.isdigit() else row[-1])
            self.digits.append(row)
            before3 = row[-1]
        n = len(self.columns)
        self.at: list[list[tuple[int, int]]] = [[] for _ in range(n)]  # column -> [(equation, coefficient)]
        self.after: dict[tuple[int, int], tuple[int, int]] = {}  # (equation, column) -> (left, sign)
        # (column, equation) pairs where every term of the equation at or left of the column has the
        # same sign and cannot be negative: each such cell is at most what is left of the equation
        self.capped: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        for q, terms in enumerate(self.equations):
            for col, coef in terms:
                self.at[col].append((q, coef))
                self.after[(q, col)] = (len(rest := [(c, k) for c, k in terms if c < col]), self._sign(rest))
            for col in range(n):
                if self._sign([(c, k) for c, k in terms if c <= col]):
                    self.capped[col] += [(c, q) for c, _ in terms if c <= col]
        # the equation that holds every cell left of and at a column (表三's parts, left of 总计)
        self.whole = [next((q for q, terms in enumerate(self.equations) if {c for c, _ in terms} >= set(range(col + 1))
                            and self._sign([(c, k) for c, k in terms if c <= col])), None) for col in range(n)]
        self.least = self._least_sums() if any(q is not None for q in self.whole) else {}

    def _least_sums(self) -> dict[tuple[int, int], list]:
        """(piece, offset) -> the least sum of k cells that the run up to there can make, for each k
        (None: cannot, or a mark is among them)."""
        n = len(self.columns)
        least: dict[tuple[int, int], list] = {(0, 0): [0] + [None] * n}
        for p, ends in enumerate(self.ends):
            if p:
                least[(p, 0)] = least.get((p - 1, len(self.pieces[p - 1].text)), [None] * (n + 1))
            for e in sorted(ends):
                row = [None] * (n + 1)
                for cell in ends[e]:
                    before = least.get((p, cell.start))
                    if before is None or cell.value is None:
                        continue
                    for k in range(1, n + 1):
                        if before[k - 1] is not None and (row[k] is None or before[k - 1] + cell.value < row[k]):
                            row[k] = before[k - 1] + cell.value
                least[(p, e)] = row
        return least

    def ways(self) -> int:
        """In how many ways the run can be cut into the row's cells at all, equations aside."""
        n = len(self.columns)
        count: dict[tuple[int, int], list[int]] = {(0, 0): [1] + [0] * n}
        for p, ends in enumerate(self.ends):
            if p:
                count[(p, 0)] = count.get((p - 1, len(self.pieces[p - 1].text)), [0] * (n + 1))
            for e in sorted(ends):
                row = [0] * (n + 1)
                for cell in ends[e]:
                    before = count.get((p, cell.start), [0] * (n + 1))
                    for k in range(1, n + 1):
                        row[k] += before[k - 1]
                count[(p, e)] = row
        last = len(self.pieces) - 1
        return count.get((last, len(self.pieces[last].text)), [0] * (n + 1))[n] if self.pieces else 0

    def _sign(self, terms) -> int:
        signs = {k for _, k in terms}
        return signs.pop() if len(signs) == 1 and all(not self.columns[c].signed for c, _ in terms) else 0

    def _too_long(self, digits: int, col: int, residuals: tuple, void: int) -> bool:
        """More digits left than cells 0..col can hold, each no longer than what is left of its sum."""
        longest: dict[int, int] = {}
        for c, q in self.capped[col]:
            if not void >> q & 1:
                longest[c] = min(longest.get(c, 99), len(str(abs(residuals[q]))))
        return len(longest) == col + 1 and digits > sum(longest.values())

    def splits(self, allowance: int, budget: int, limits: dict[int, tuple] | None = None) -> list[tuple[str, ...]]:
        """Every split breaking at most `allowance` of the row's equations, with each cell within
        `limits` (column -> (least, greatest), None: unbounded), found right to left in at most
        `budget` steps.
        Memoised on the state before each cell, so that the ways of cutting one part of the run
        are not redone for every way of cutting the part after it."""
        limits = limits or {}
        steps = 0
        memo: dict[tuple, list[tuple[str, ...]]] = {}

        def place(p: int, e: int, col: int, residuals: tuple, void: int, dropped: int) -> list[tuple[str, ...]]:
            """The splits of the run up to (piece p, offset e) into columns 0..col."""
            nonlocal steps
            if e == 0 and p > 0:
                p, e = p - 1, len(self.pieces[p - 1].text)
            if col < 0:
                return [()] if e == 0 else []
            lo, hi = self.counts[p].get(e, (float("inf"), float("-inf")))
            if not lo <= col + 1 <= hi:
                return []
            state = (p, e, col, residuals, void, dropped)
            if state in memo:
                return memo[state]
            if dropped >= allowance:
                digits, nines, plain = self.digits[p][e]
                q = self.whole[col]
                if q is not None and not void >> q & 1:  # the cells left must add up to what is left
                    left = abs(residuals[q])
                    least = self.least[(p, e)][col + 1]
                    if digits > (col + 1) * len(str(left)) or plain and (nines - left) % 9 \
                            or least is not None and least > left:
                        return []
                elif self._too_long(digits, col, residuals, void):
                    return []
            steps += 1
            if steps > budget:
                raise _TooMany
            out: list[tuple[str, ...]] = []
            column, (least, greatest) = self.columns[col], limits.get(col, (None, None))
            for cell in self.ends[p][e]:
                x = cell.value
                if not cell.fits(column) or x is not None and (least is not None and x < least
                                                               or greatest is not None and x > greatest):
                    continue
                res, v, d = list(residuals), void, dropped
                for q, coef in self.at[col]:
                    if v >> q & 1:
                        continue
                    if x is None:  # a mark: the equation cannot be checked
                        v |= 1 << q
                        continue
                    res[q] += coef * x
                    left, sign = self.after[(q, col)]
                    if res[q] == 0 if left == 0 else sign == 0 or res[q] * sign <= 0:
                        continue
                    if d >= allowance:
                        break
                    d, v = d + 1, v | 1 << q  # broken: no longer checked
                else:
                    out += [prefix + (cell.text,) for prefix in place(p, cell.start, col - 1, tuple(res), v, d)]
                    if len(out) > MAX_SPLITS:
                        raise _TooMany
            memo[state] = out
            return out

        last = len(self.pieces) - 1
        return place(last, len(self.pieces[last].text), len(self.columns) - 1,
                     (0,) * len(self.equations), 0, 0)

    def cost(self, values: tuple[int | Decimal | None, ...]) -> tuple[int, int | Decimal]:
        """(equations broken, total difference) of a split, within the row."""
        broken, diff = 0, 0
        for terms in self.equations:
            parts = [values[c] for c, _ in terms]
            if None in parts:
                continue
            r = sum(k * values[c] for c, k in terms)
            if r:
                broken, diff = broken + 1, diff + abs(r)
        return broken, diff


@dataclass(frozen=True)
class _Candidate:
    cells: tuple[str, ...]
    values: tuple[int | Decimal | None, ...]
    cost: tuple[int, int | Decimal]  # (own equations broken, by how much in all)


def _row_candidates(row: _Row, budget: int, limits: dict | None = None) -> tuple[list[_Candidate], Status | None]:
    """The row's splits with the fewest broken equations of its own, or why there are none."""
    lo, hi = row.total_range
    if not row.pieces or not lo <= len(row.columns) <= hi:
        return [], Status.IMPOSSIBLE
    try:
        for allowance in range(len(row.equations) + 1):
            found = row.splits(allowance, budget, limits)
            if found:
                return [_Candidate(c, v := tuple(map(number, c)), row.cost(v)) for c in found], None
    except _TooMany:
        return [], Status.TOO_MANY
    return [], Status.IMPOSSIBLE  # e.g. decimals where no column takes them


# --- the rows together -------------------------------------------------------------------------


class _OutOfSteps(Exception):
    pass


_Term = tuple[int, tuple[tuple[int, int], ...]]  # (row, ((column, coefficient), …))


class _Joint:
    def __init__(self, candidates: list[list[_Candidate]], equations: list[list[_Term]]):
        self.cands = candidates
        self.equations = equations
        self.steps = 0
        # term values: equation -> term position -> candidate -> value (None: cannot be summed)
        self.tv = [[[self.value(c, cols) for c in candidates[r]] for r, cols in eq] for eq in equations]

    @staticmethod
    def value(c: _Candidate, cols) -> Decimal | None:
        parts = [c.values[col] for col, _ in cols]
        return None if None in parts else sum(k * c.values[col] for col, k in cols)

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _OutOfSteps

    def propagate(self, doms: list[list[int]]) -> list[list[int]] | None:
        """Bounds consistency: drop a split whose sum no choice of the other rows can balance."""
        self._tick()
        doms = list(doms)
        changed = True
        while changed:
            changed = False
            for q, eq in enumerate(self.equations):
                spans = []  # each term's (least, greatest) value; None: a split whose sum is unknown
                for t, (r, _) in enumerate(eq):
                    vals = [self.tv[q][t][k] for k in doms[r]]
                    spans.append(None if None in vals else (min(vals), max(vals)))
                unknown = sum(s is None for s in spans)
                lo, hi = sum(s[0] for s in spans if s), sum(s[1] for s in spans if s)
                for t, (r, _) in enumerate(eq):
                    if unknown > (spans[t] is None):
                        continue  # another term can be anything: no bound on this one
                    olo, ohi = (lo, hi) if spans[t] is None else (lo - spans[t][0], hi - spans[t][1])
                    kept = [k for k in doms[r] if (v := self.tv[q][t][k]) is None or olo <= -v <= ohi]
                    if not kept:
                        return None
                    if len(kept) < len(doms[r]):
                        doms[r] = kept
                        changed = True
        return doms

    def solution(self, doms: list[list[int]]) -> list[int] | None:
        doms = self.propagate(doms)
        if doms is None:
            return None
        open_rows = [r for r, d in enumerate(doms) if len(d) > 1]
        if not open_rows:
            return [d[0] for d in doms]
        r = min(open_rows, key=lambda i: len(doms[i]))
        for k in doms[r]:
            found = self.solution([*doms[:r], [k], *doms[r + 1 :]])
            if found is not None:
                return found
        return None

    def supported(self) -> list[set[int]] | None:
        """For each row, the splits that take part in some solution; None if there is none."""
        root = self.propagate([list(range(len(c))) for c in self.cands])
        first = self.solution(root) if root is not None else None
        if first is None:
            return None
        support = [{k} for k in first]
        for r, dom in enumerate(root):
            for k in dom:
                if k in support[r]:
                    continue
                found = self.solution([*root[:r], [k], *root[r + 1 :]])
                for i, j in enumerate(found or ()):
                    support[i].add(j)
        return support

    def nearest(self) -> tuple[list[set[int]], list[list[int]]]:
        """For each row, its splits in the solutions that break the fewest equations, then with
        the smallest total difference; and those solutions (up to MAX_TIES)."""
        n = len(self.cands)
        order = sorted(range(n), key=lambda r: len(self.cands[r]))
        position = {r: i for i, r in enumerate(order)}
        closing: list[list[int]] = [[] for _ in range(n)]  # equations complete once row order[i] is placed
        for q, eq in enumerate(self.equations):
            closing[max(position[r] for r, _ in eq)].append(q)
        best: list = [None]
        ties: list[list[int]] = []
        chosen = [0] * n

        # for each equation, its terms as (term values by split, row)
        terms = [[(self.tv[q][t], r) for t, (r, _) in enumerate(eq)] for q, eq in enumerate(self.equations)]

        def place(i: int, broken: int, diff) -> None:
            self._tick()
            if best[0] is not None and (broken, diff) > best[0]:
                return
            if i == n:
                if best[0] is None or (broken, diff) < best[0]:
                    best[0], ties[:] = (broken, diff), []
                if len(ties) < MAX_TIES:
                    ties.append(list(chosen))
                return
            r = order[i]
            for k, cand in enumerate(self.cands[r]):
                chosen[r] = k
                b, d = broken + cand.cost[0], diff + cand.cost[1]
                for q in closing[i]:
                    vals = [values[chosen[rr]] for values, rr in terms[q]]
                    if None not in vals and (s := sum(vals)):
                        b, d = b + 1, d + abs(s)
                place(i + 1, b, d)

        place(0, 0, 0)
        return [{t[r] for t in ties} for r in range(n)], ties

    def broken(self, solution: list[int]) -> dict[int, set[int]]:
        """Row -> its columns in the equations across rows that the solution breaks."""
        out: dict[int, set[int]] = {}
        for q, eq in enumerate(self.equations):
            vals = [self.tv[q][t][solution[r]] for t, (r, _) in enumerate(eq)]
            if None not in vals and sum(vals):
                for r, cols in eq:
                    out.setdefault(r, set()).update(c for c, _ in cols)
        return out


def _unconfirmed(cand: _Candidate, choices: int, broken_columns) -> bool:
    """Where the most plausible solution breaks equations: is this row's split not borne out?
    It is not if it breaks its own equation, or was chosen among several while taking part in a
    broken one, or takes part in broken ones in two columns or more. One wrong cell breaks the
    equations of its own column only; a wrong split moves at least two cells."""
    return bool(cand.cost[0]) or bool(broken_columns) and choices > 1 or len(broken_columns) >= 2


def _agreed(cands: list[tuple[str, ...]]) -> tuple[str | None, ...]:
    return tuple(col[0] if len(set(col)) == 1 else None for col in zip(*cands))


def _limits(mine: list[tuple[int, int, list]], span, rows: list[_Row], i: int) -> dict[int, tuple]:
    """Bounds on row i's cells from the equations across rows it takes part in with one column
    (`mine`: (column, coefficient ±1, the other terms)): column -> (least, greatest), None for no
    bound. `span(row, columns)` is the least and greatest sum of those columns over the row's
    splits, None before it is enumerated: such a row counts as anything from 0 up, which still
    bounds the others from one side."""
    out: dict[int, tuple] = {}
    for col, coef, others in mine:
        lo: int | None = 0  # the others' sum: least and greatest, None for unbounded
        hi: int | None = 0
        for r, cols in others:
            bounds = span(r, cols)
            if bounds is False:  # a split whose sum is unknown (a mark)
                break
            if bounds is None:  # not enumerated yet: 0 or more, times its coefficient
                if any(rows[r].columns[c].signed for c, _ in cols) or len({k for _, k in cols}) != 1:
                    break
                if cols[0][1] > 0:
                    hi = None
                else:
                    lo = None
                continue
            lo = None if lo is None else lo + bounds[0]
            hi = None if hi is None else hi + bounds[1]
        else:  # coef·x = -(the others)
            least, greatest = (lo, hi) if coef < 0 else (None if hi is None else -hi, None if lo is None else -lo)
            if not rows[i].columns[col].signed:
                least = max(least or 0, 0)
            old = out.get(col, (None, None))
            out[col] = (max((x for x in (old[0], least) if x is not None), default=None),
                        min((x for x in (old[1], greatest) if x is not None), default=None))
    return {c: b for c, b in out.items() if b not in ((0, None), (None, None))}


def solve(runs: Iterable[Run], equations: Iterable[Equation] = (),
          evidence: dict[tuple[str, int], set[Decimal]] | None = None) -> dict[str, Split]:
    """Each run's split. `evidence`: values a cell is known to hold from elsewhere (the report's
    narrative); used only to choose among splits, and ignored where no split agrees with it."""
    runs = list(runs)
    index = {run.key: i for i, run in enumerate(runs)}
    local: list[list[list[tuple[int, int]]]] = [[] for _ in runs]
    across: list[list[_Term]] = []
    for eq in equations:
        if not {r for r, _, _ in eq.terms} <= index.keys():
            continue  # a row that is not a run: the equation cannot help
        by_row: dict[int, list[tuple[int, int]]] = {}
        for r, c, k in eq.terms:
            by_row.setdefault(index[r], []).append((c, k))
        if len(by_row) == 1:
            local[next(iter(by_row))].append(next(iter(by_row.values())))
        else:
            across.append([(r, tuple(cols)) for r, cols in by_row.items()])

    spans: dict[tuple, tuple | bool] = {}

    def span(r: int, cols) -> tuple | bool | None:
        """Least and greatest sum of the columns over row r's splits; None: not enumerated yet;
        False: a split holds a mark there."""
        if cands[r] is None:
            return None
        if (r, cols) not in spans:
            vals = [_Joint.value(c, cols) for c in cands[r]]
            spans[(r, cols)] = False if None in vals else (min(vals), max(vals))
        return spans[(r, cols)]

    bounding: list[list[tuple[int, int, list]]] = [[] for _ in runs]  # row -> equations it has one column in
    for eq in across:
        for r, cols in eq:
            if len(cols) == 1:
                bounding[r].append((*cols[0], [t for t in eq if t[0] != r]))

    parsed = [pieces(run.text) for run in runs]
    rows = [_Row(p or [], run.columns, local[i]) for i, (run, p) in enumerate(zip(runs, parsed))]
    cands: list[list[_Candidate] | None] = [None] * len(runs)
    failed: dict[int, Status] = {i: Status.IMPOSSIBLE for i, p in enumerate(parsed) if p is None}
    # Shortest rows first: a long row (一、本年新收, （七）总计) can have too many splits alone, but
    # the equations across rows bound each of its cells by the rows enumerated before it.
    waiting = []  # rows with too many splits to enumerate yet
    for i in sorted(set(range(len(runs))) - failed.keys(), key=lambda i: rows[i].digits[-1][-1][0]):
        limits = _limits(bounding[i], span, rows, i)
        found, failure = _row_candidates(rows[i], FIRST_STEPS, limits)
        if limits and failure is Status.IMPOSSIBLE:  # nothing within the bounds: the report is wrong
            found, failure = _row_candidates(rows[i], FIRST_STEPS)
        if failure is Status.TOO_MANY:
            waiting.append(i)
        elif failure is not None:
            failed[i] = failure
        else:
            cands[i] = found
    progress = True
    while waiting and progress:
        progress = False
        for i in list(waiting):
            limits = _limits(bounding[i], span, rows, i)
            found, failure = _row_candidates(rows[i], MAX_ROW_STEPS, limits) if limits else ([], None)
            if found:
                cands[i], progress = found, True
                waiting.remove(i)
    for i in waiting:  # last resort: alone, with the full budget
        found, failure = _row_candidates(rows[i], MAX_ROW_STEPS)
        if failure is not None:
            failed[i] = failure
        else:
            cands[i] = found

    results: dict[str, Split] = {}
    for i, failure in failed.items():
        lo, hi = rows[i].total_range
        shape = (int(lo), int(hi)) if parsed[i] and lo <= hi else (0, 0)
        results[runs[i].key] = Split((None,) * len(runs[i].columns), failure, cell_range=shape)
    before_evidence: dict[int, list[_Candidate]] = {}
    for (key, col), values in (evidence or {}).items():
        i = index.get(key)
        if i is None or cands[i] is None:
            continue
        agreeing = [c for c in cands[i] if c.values[col] in values]
        if agreeing and len(agreeing) < len(cands[i]):
            before_evidence.setdefault(i, cands[i])
            cands[i] = agreeing

    solvable = [i for i in range(len(runs)) if cands[i] is not None]
    at = {r: j for j, r in enumerate(solvable)}
    terms = [[(at[r], cols) for r, cols in eq] for eq in across if all(r in at for r, _ in eq)]
    joint = _Joint([cands[i] for i in solvable], terms)
    consistent = all(c.cost[0] == 0 for i in solvable for c in cands[i])
    broken: dict[int, set[int]] = {}
    try:
        support = joint.supported() if consistent else None
        if support is None:
            consistent = False
            support, solutions = joint.nearest()
            for t in solutions:
                for r, cols in joint.broken(t).items():
                    broken.setdefault(r, set()).update(cols)
        complete = True
    except _OutOfSteps:
        support, complete = [set(range(len(cands[i]))) for i in solvable], False

    for j, i in enumerate(solvable):
        run, found = runs[i], cands[i]
        chosen = sorted(support[j])
        if len(chosen) == 1:
            cand = found[chosen[0]]
            if i in before_evidence:
                status, shown = Status.EVIDENCE, [c.cells for c in before_evidence[i]]
            elif _unconfirmed(cand, len(found), broken.get(j, ())) and rows[i].ways() > 1:
                status, shown = Status.NEAREST, [cand.cells] + [c.cells for c in found if c is not cand]
            else:
                status, shown = Status.EXACT, []
            results[run.key] = Split(cand.cells, status, tuple(shown), consistent)
        else:
            remaining = [found[k].cells for k in chosen]
            status = Status.AMBIGUOUS if complete else Status.TOO_MANY
            results[run.key] = Split(_agreed(remaining), status, tuple(remaining), consistent)
    return results
