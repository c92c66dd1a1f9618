"""Screening every enterprise against every policy in force, vectorised.

Rows are processed in chunks, so memory stays bounded and two threads can work on different
chunks (NumPy releases the GIL inside its loops). Per chunk:

1. each shared predicate is evaluated once over its column slice and packed to a bitset
   ("passes", 0 where data is missing); a field's missing mask is packed once;
2. each literal (a predicate or its negation) is a pair of bitsets: passes and fails (a row in
   neither is unknown);
3. each policy combines its literals with bitwise operations on the packed words (64 rows per
   machine word): eligible (deficit 0), fails (Kleene FAIL) and near miss (deficit exactly one
   failure, see compile.py). For `all`: P = P & Pc, X = X | Xc, N = (N & Pc) | (P & Nc);
   for `any`: P = P | Pc, X = X & Xc, N = X & (N | Nc); a literal's N is its X;
4. amounts are evaluated for the eligible rows only.

The result is three packed bitsets per policy (3 bits per enterprise and policy; 340 MB for 3M
enterprises × 300 policies) plus, for eligible rows, float64 amounts. Per-literal results are
kept as well when the table is small enough; otherwise they are recomputed for the one row
someone asks about.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import formula as fm
from .compile import CompiledCondition, CompiledPolicy, PolicySet, Predicate, Status, Tri
from .table import EnterpriseTable

Kernel = Callable[[int, int], np.ndarray]
# A multiple of 64 so chunk boundaries fall on whole bytes (and words) of the bitsets.
DEFAULT_CHUNK_ROWS = 1 << 18
# Keep per-literal results when they take at most this many bytes.
KEEP_LITERALS_BYTES = 256 * 1024 * 1024
ELIGIBLE, FAILS, NEAR = 0, 1, 2


def _kernel(predicate: Predicate, table: EnterpriseTable) -> Kernel:
    """A function from a row range to "passes" (False where the field is missing)."""
    column = table.columns[predicate.field]
    kind, args = predicate.kind, predicate.args
    if kind == "ge":
        value = args[0]
        return lambda lo, hi: np.greater_equal(column[lo:hi], value)
    if kind == "le":
        value = args[0]
        return lambda lo, hi: np.less_equal(column[lo:hi], value)
    if kind == "eq":
        value = args[0]
        return lambda lo, hi: np.equal(column[lo:hi], value)
    if kind == "between":
        low, high = args

        def between(lo: int, hi: int) -> np.ndarray:
            x = column[lo:hi]
            out = np.greater_equal(x, low)
            return np.logical_and(out, np.less_equal(x, high), out=out)

        return between
    if kind == "in":
        values = np.array(args, dtype=np.float64)

        def is_in(lo: int, hi: int) -> np.ndarray:
            x = column[lo:hi]
            if len(values) > 8:
                return np.isin(x, values)
            out = np.equal(x, values[0])
            for value in values[1:]:
                out |= np.equal(x, value)
            return out

        return is_in
    if kind == "true":
        return lambda lo, hi: column[lo:hi]
    if kind == "tag":
        bit = np.int64(args[0])
        return lambda lo, hi: np.not_equal(np.bitwise_and(column[lo:hi], bit), 0)
    if kind in ("str_in", "prefix"):
        categories = table.categories[predicate.field]
        if kind == "str_in":
            wanted = set(args)
            hits = [c in wanted for c in categories]
        else:
            hits = [c.startswith(args) for c in categories]
        # The extra last entry answers code -1 (missing) with False.
        lut = np.array([*hits, False], dtype=bool)
        return lambda lo, hi: lut[column[lo:hi]]
    raise AssertionError(kind)


@dataclass
class _Plan:
    policyset: PolicySet
    table: EnterpriseTable
    kernels: list[Kernel | None]  # None for "known" predicates
    # For each predicate, its literals as (literal index, negated).
    uses: list[list[tuple[int, bool]]]
    bits: np.ndarray  # uint8 [n_policies, 3, n_bytes]
    kept: np.ndarray | None  # int8 [n_literals, n_rows] of Tri, or None
    with_amount: set[int]


def _plan(policyset: PolicySet, table: EnterpriseTable, keep: bool) -> _Plan:
    kernels: list[Kernel | None] = []
    for predicate in policyset.predicates:
        kernels.append(None if predicate.kind == "known" else _kernel(predicate, table))
    uses: list[list[tuple[int, bool]]] = [[] for _ in policyset.predicates]
    for index, (p, negated) in enumerate(policyset.literals):
        uses[p].append((index, negated))
    bits = np.empty((len(policyset.policies), 3, (table.n + 7) // 8), dtype=np.uint8)
    kept = np.empty((len(policyset.literals), table.n), dtype=np.int8) if keep else None
    with_amount = {j for j, cp in enumerate(policyset.policies) if cp.formula is not None}
    return _Plan(policyset, table, kernels, uses, bits, kept, with_amount)


Packed = tuple[np.ndarray, np.ndarray, np.ndarray]  # passes, fails, near miss


def _combine(tree: Any, passes: list[Any], fails: list[Any]) -> Packed:
    """Kleene all/any plus the near-miss rule on packed bitsets; never writes into inputs."""
    if isinstance(tree, int):
        return passes[tree], fails[tree], fails[tree]
    kind, children = tree
    p, x, n = (a.copy() for a in _combine(children[0], passes, fails))
    for child in children[1:]:
        pc, xc, nc = _combine(child, passes, fails)
        if kind == "all":
            t = np.bitwise_and(p, nc)
            n &= pc
            n |= t
            p &= pc
            x |= xc
        else:
            p |= pc
            x &= xc
            n |= nc
    if kind == "any":
        n &= x
    return p, x, n


def _run_chunk(plan: _Plan, lo: int, hi: int) -> list[tuple[int, np.ndarray]]:
    size = hi - lo
    nbytes = (size + 7) // 8
    window = slice(lo // 8, lo // 8 + nbytes)
    table = plan.table
    n_literals = len(plan.policyset.literals)
    passes: list[Any] = [None] * n_literals
    fails: list[Any] = [None] * n_literals
    packed_missing: dict[str, np.ndarray | None] = {}
    for p, predicate in enumerate(plan.policyset.predicates):
        name = predicate.field
        if name not in packed_missing:
            mask = table.missing[name]
            packed_missing[name] = None if mask is None else np.packbits(mask[lo:hi])
        missing = packed_missing[name]
        kernel = plan.kernels[p]
        if kernel is None:  # "known": passes where present, never fails
            ok = np.full(nbytes, 255, np.uint8) if missing is None else np.invert(missing)
            no = np.zeros(nbytes, np.uint8)
        else:
            ok = np.packbits(kernel(lo, hi))
            if missing is None:
                no = np.invert(ok)
            else:
                no = np.bitwise_or(ok, missing)
                np.invert(no, out=no)
        for index, negated in plan.uses[p]:
            passes[index], fails[index] = (no, ok) if negated else (ok, no)

    amounts: list[tuple[int, np.ndarray]] = []
    bits = plan.bits
    for j, cp in enumerate(plan.policyset.policies):
        p_out, x_out, n_out = (
            bits[j, ELIGIBLE, window],
            bits[j, FAILS, window],
            bits[j, NEAR, window],
        )
        flat = cp.flat
        if flat is not None:
            np.copyto(p_out, passes[flat[0]])
            np.copyto(x_out, fails[flat[0]])
            np.copyto(n_out, fails[flat[0]])
            if len(flat) > 1:
                t = np.empty(nbytes, np.uint8)
                for index in flat[1:]:
                    pc, xc = passes[index], fails[index]
                    np.bitwise_and(p_out, xc, out=t)
                    n_out &= pc
                    n_out |= t
                    p_out &= pc
                    x_out |= xc
        else:
            ok, x, near = _combine(cp.tree, passes, fails)
            np.copyto(p_out, ok)
            np.copyto(x_out, x)
            np.copyto(n_out, near)
        if j in plan.with_amount and p_out.any():
            rows = np.flatnonzero(np.unpackbits(p_out, count=size).view(bool)) + lo
            amounts.append((j, _amounts(cp, table, rows)))
    if plan.kept is not None:
        for index in range(n_literals):
            ok = np.unpackbits(passes[index], count=size).view(np.int8)
            no = np.unpackbits(fails[index], count=size).view(np.int8)
            plan.kept[index, lo:hi] = 1 + ok - no
    return amounts


def _amounts(cp: CompiledPolicy, table: EnterpriseTable, rows: np.ndarray) -> np.ndarray:
    columns = table.columns

    def column(name: str) -> np.ndarray:
        values = columns[name].take(rows)
        # booleans count as 0/1, as in the single-enterprise path
        return values if values.dtype == np.float64 else values.astype(np.float64)

    if cp.formula is None:
        raise ValueError(f"{cp.id} has no amount")
    return fm.evaluate_array(cp.formula, column, len(rows))


def screen(
    policyset: PolicySet,
    table: EnterpriseTable,
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    workers: int | None = None,
    keep_conditions: bool | None = None,
) -> ScreeningResult:
    """Screen every row of `table` against every policy of `policyset`."""
    n = table.n
    if workers is None:
        workers = min(os.cpu_count() or 1, 4)
    # Equal chunks, a multiple of the worker count, so no thread idles on a short last chunk.
    chunks = -(-n // max(chunk_rows, 64))
    chunks = max(1, -(-chunks // workers) * workers) if n > chunk_rows else 1
    chunk_rows = -(-n // chunks)
    chunk_rows = max(64, chunk_rows + (-chunk_rows) % 64)
    if keep_conditions is None:
        keep_conditions = len(policyset.literals) * n <= KEEP_LITERALS_BYTES
    plan = _plan(policyset, table, keep_conditions)
    bounds = [(lo, min(lo + chunk_rows, n)) for lo in range(0, n, chunk_rows)]
    workers = max(1, min(workers, len(bounds)))
    if workers == 1:
        parts = [_run_chunk(plan, lo, hi) for lo, hi in bounds]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(lambda b: _run_chunk(plan, *b), bounds))
    if n % 8:  # clear the padding bits of the last byte so counts need no trimming
        plan.bits[:, :, -1] &= np.uint8((0xFF << (8 - n % 8)) & 0xFF)
    pieces: dict[int, list[np.ndarray]] = {j: [] for j in plan.with_amount}
    for part in parts:
        for j, values in part:
            pieces[j].append(values)
    return ScreeningResult(policyset, table, plan.bits, pieces, plan.kept)


class ScreeningResult:
    """Decisions for every (enterprise, policy); rows are table row numbers.

    Stored as three packed bitsets per policy (eligible, fails, near miss); a row in neither
    eligible nor fails is unknown. Accessors unpack one policy at a time.
    """

    def __init__(
        self,
        policyset: PolicySet,
        table: EnterpriseTable,
        bits: np.ndarray,
        amount_pieces: dict[int, list[np.ndarray]],
        literal_results: np.ndarray | None,
    ) -> None:
        self.policyset = policyset
        self.table = table
        self.on = policyset.on
        self.bits = bits
        self._pieces = amount_pieces
        self._amounts: dict[int, np.ndarray] = {}
        # int8 [n_literals, n_enterprises] of Tri codes, or None for large tables.
        self.literal_results = literal_results

    @property
    def policy_ids(self) -> list[str]:
        return self.policyset.policy_ids

    @property
    def n_enterprises(self) -> int:
        return self.table.n

    def _j(self, policy_id: str) -> int:
        return self.policyset.index[policy_id]

    def _flags(self, j: int, which: int) -> np.ndarray:
        return np.unpackbits(self.bits[j, which], count=self.table.n).view(bool)

    def _codes(self, j: int) -> np.ndarray:
        eligible = self._flags(j, ELIGIBLE).view(np.int8)
        fails = self._flags(j, FAILS).view(np.int8)
        near = self._flags(j, NEAR).view(np.int8)
        # near implies fails: ELIGIBLE 2, UNKNOWN 1, INELIGIBLE 0, NEAR_MISS 1 - 1 + 3 = 3
        return 1 + eligible - fails + 3 * near

    def status_matrix(self) -> np.ndarray:
        """int8 [n_enterprises, n_policies] of `Status` codes (allocates n × p bytes)."""
        out = np.empty((len(self.policyset.policies), self.table.n), dtype=np.int8)
        for j in range(len(out)):
            out[j] = self._codes(j)
        return out.T

    def policy_statuses(self, policy_id: str) -> np.ndarray:
        """int8 `Status` code of every enterprise for one policy."""
        return self._codes(self._j(policy_id))

    def statuses(self, row: int) -> dict[str, Status]:
        byte, shift = row >> 3, 7 - (row & 7)
        flags = (self.bits[:, :, byte] >> shift) & 1
        codes = 1 + flags[:, ELIGIBLE].astype(np.int8) - flags[:, FAILS] + 3 * flags[:, NEAR]
        return {pid: Status(int(c)) for pid, c in zip(self.policy_ids, codes, strict=True)}

    def status(self, row: int, policy_id: str) -> Status:
        if not 0 <= row < self.table.n:
            raise IndexError(row)
        byte, shift = row >> 3, 7 - (row & 7)
        e, x, n = ((self.bits[self._j(policy_id), :, byte] >> shift) & 1).tolist()
        return Status(1 + e - x + 3 * n)

    def eligible(self, policy_id: str) -> np.ndarray:
        return np.flatnonzero(self._flags(self._j(policy_id), ELIGIBLE)).astype(np.int32)

    def unknown(self, policy_id: str) -> np.ndarray:
        j = self._j(policy_id)
        return np.flatnonzero(~(self._flags(j, ELIGIBLE) | self._flags(j, FAILS))).astype(np.int32)

    def near_misses(self, policy_id: str) -> np.ndarray:
        return np.flatnonzero(self._flags(self._j(policy_id), NEAR)).astype(np.int32)

    def amounts(self, policy_id: str) -> tuple[np.ndarray, np.ndarray]:
        """Eligible rows and their amounts (NaN when the policy has no amount)."""
        j = self._j(policy_id)
        rows = self.eligible(policy_id)
        if j not in self._pieces:
            return rows, np.full(len(rows), np.nan)
        if j not in self._amounts:
            pieces = self._pieces[j]
            self._amounts[j] = np.concatenate(pieces) if pieces else np.empty(0, np.float64)
            self._pieces[j] = []
        return rows, self._amounts[j]

    def amount(self, row: int, policy_id: str) -> float | None:
        """The amount for an eligible enterprise; None if it is not eligible or the policy has
        no amount."""
        if self.status(row, policy_id) is not Status.ELIGIBLE:
            return None
        if self._j(policy_id) not in self._pieces:
            return None
        rows, amounts = self.amounts(policy_id)
        return float(amounts[np.searchsorted(rows, row)])

    def counts(self) -> dict[str, dict[str, int]]:
        out = {}
        n = self.table.n
        for j, pid in enumerate(self.policy_ids):
            eligible, fails, near = (
                int(np.bitwise_count(self.bits[j, k]).sum()) for k in (ELIGIBLE, FAILS, NEAR)
            )
            out[pid] = {
                "eligible": eligible,
                "unknown": n - eligible - fails,
                "near_miss": near,
                "ineligible": fails - near,
            }
        return out

    def condition_results(self, row: int, policy_id: str) -> list[tuple[CompiledCondition, Tri]]:
        """Every condition of the policy for one enterprise, as stored or recomputed."""
        cp = self.policyset[policy_id]
        if self.literal_results is not None:
            column = self.literal_results[:, row]
            return [(c, Tri(int(column[c.literal]))) for c in cp.conditions]
        from .explain import evaluate_literals

        record = self.table.record(row)
        values = evaluate_literals(self.policyset, record, {c.literal for c in cp.conditions})
        return [(c, values[c.literal]) for c in cp.conditions]

    def unknown_fields(self, row: int, policy_id: str) -> list[str]:
        """The fields whose missing data keeps the decision open."""
        results = self.condition_results(row, policy_id)
        return sorted({c.field for c, tri in results if tri is Tri.UNKNOWN})

    def near_miss_condition(self, row: int, policy_id: str) -> CompiledCondition | None:
        """The one condition that keeps a near-miss enterprise from qualifying."""
        if self.status(row, policy_id) is not Status.NEAR_MISS:
            return None
        explanation = self.explain(row, policy_id)
        return explanation.near_miss.condition if explanation.near_miss else None

    def explain(self, row: int, policy_id: str) -> Any:
        from .explain import explain_compiled

        return explain_compiled(self.policyset, self.policyset[policy_id], self.table.record(row))
