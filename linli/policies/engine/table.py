"""The columnar enterprise table that screening runs over.

One NumPy array per declared field plus a missing mask (None when nothing is missing, which is
common for registry data and saves a pass per chunk). Numbers, whole numbers and dates are float64
(dates as days since 1970) so a single comparison kernel serves them all and NaN marks missing;
text is dictionary-encoded (int32 codes, -1 for missing) because policies test a handful of
values against a few hundred distinct industry codes; tags are one int64 bitmask.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .fields import (
    CONDITION_FIELDS,
    EPOCH,
    FIELDS,
    TAG_BITS,
    FieldType,
    RecordError,
    date_to_days,
    days_to_date,
    normalise_record,
    normalise_value,
    tags_to_mask,
)


@dataclass(frozen=True)
class Coded:
    """A text column already dictionary-encoded: codes index categories, -1 is missing."""

    codes: np.ndarray
    categories: Sequence[str]


class EnterpriseTable:
    def __init__(
        self,
        n: int,
        columns: dict[str, np.ndarray],
        missing: dict[str, np.ndarray | None],
        categories: dict[str, list[str]],
        keys: Sequence[Any] | None = None,
    ) -> None:
        self.n = n
        self.columns = columns
        self.missing = missing
        self.categories = categories
        self.keys = keys

    def __len__(self) -> int:
        return self.n

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]], keys: Sequence[Any] | None = None
    ) -> EnterpriseTable:
        records = list(records)
        rows = [normalise_record(dict(r)) for r in records]
        if keys is None and rows:
            given = [r.get("credit_code") for r in records]
            keys = given if all(k is not None for k in given) else None
        columns: dict[str, Any] = {}
        for name, spec in CONDITION_FIELDS.items():
            values = [row[name] for row in rows]
            if spec.type is FieldType.DATE:
                columns[name] = np.array(
                    [np.nan if v is None else float(date_to_days(v)) for v in values],  # type: ignore[arg-type]
                    dtype=np.float64,
                )
            elif spec.type in (FieldType.NUMBER, FieldType.INT):
                columns[name] = np.array(
                    [np.nan if v is None else v for v in values], dtype=np.float64
                )
            else:
                columns[name] = values
        return cls._build(len(rows), columns, {}, keys, normalised=True)

    @classmethod
    def from_columns(
        cls,
        columns: Mapping[str, Any],
        missing: Mapping[str, np.ndarray] | None = None,
        keys: Sequence[Any] | None = None,
        n: int | None = None,
    ) -> EnterpriseTable:
        """Columns as arrays: numbers as float (NaN missing), dates as datetime64[D] (NaT
        missing) or days since 1970, booleans as bool with a mask in `missing`, text as a
        sequence of str/None or `Coded`, tags as an int64 bitmask or a sequence of tag sets.
        Fields not given are missing for every enterprise."""
        for name in columns:
            if name not in CONDITION_FIELDS:
                raise RecordError(name, "unknown field" if name not in FIELDS else "not a column")
        if n is None:
            lengths = {len(c.codes) if isinstance(c, Coded) else len(c) for c in columns.values()}
            if len(lengths) > 1:
                raise ValueError("columns have different lengths")
            n = lengths.pop() if lengths else 0
        return cls._build(n, dict(columns), dict(missing or {}), keys, normalised=False)

    @classmethod
    def _build(
        cls,
        n: int,
        given: dict[str, Any],
        given_missing: dict[str, np.ndarray],
        keys: Sequence[Any] | None,
        normalised: bool,
    ) -> EnterpriseTable:
        columns: dict[str, np.ndarray] = {}
        missing: dict[str, np.ndarray | None] = {}
        categories: dict[str, list[str]] = {}
        for name, spec in CONDITION_FIELDS.items():
            raw = given.get(name)
            extra_mask = given_missing.get(name)
            kind = spec.type
            if kind in (FieldType.NUMBER, FieldType.INT, FieldType.DATE):
                if raw is None:
                    values = np.full(n, np.nan)
                else:
                    arr = np.asarray(raw)
                    if arr.dtype.kind == "M":
                        days = arr.astype("datetime64[D]")
                        values = (days - np.datetime64(EPOCH, "D")).astype(np.float64)
                        values[np.isnat(days)] = np.nan
                    elif arr.dtype == object:
                        values = np.array(
                            [np.nan if v is None else _scalar(spec.name, v) for v in arr],
                            dtype=np.float64,
                        )
                    else:
                        values = np.ascontiguousarray(arr, dtype=np.float64)
                if extra_mask is not None:
                    values = np.where(extra_mask, np.nan, values)
                mask = np.isnan(values)
                columns[name] = values
                missing[name] = mask if mask.any() else None
            elif kind is FieldType.BOOL:
                if raw is None:
                    columns[name] = np.zeros(n, dtype=bool)
                    missing[name] = np.ones(n, dtype=bool)
                    continue
                if isinstance(raw, np.ndarray) and raw.dtype == bool:
                    values, mask = raw.copy(), np.zeros(n, dtype=bool)
                else:
                    items = [normalise_value(spec, v) for v in raw]
                    values = np.array([bool(v) for v in items], dtype=bool)
                    mask = np.array([v is None for v in items], dtype=bool)
                if extra_mask is not None:
                    mask |= extra_mask
                values[mask] = False
                columns[name] = values
                missing[name] = mask if mask.any() else None
            elif kind is FieldType.STR:
                if raw is None:
                    codes = np.full(n, -1, dtype=np.int32)
                    cats: list[str] = []
                elif isinstance(raw, Coded):
                    codes = np.ascontiguousarray(raw.codes, dtype=np.int32)
                    cats = list(raw.categories)
                    for cat in cats:
                        normalise_value(spec, cat)
                else:
                    texts: list[str | None] = [
                        str(v) if v is not None else None
                        for v in (raw if normalised else (normalise_value(spec, v) for v in raw))
                    ]
                    cats = sorted({v for v in texts if v is not None})
                    lookup = {c: i for i, c in enumerate(cats)}
                    codes = np.array(
                        [-1 if v is None else lookup[v] for v in texts], dtype=np.int32
                    )
                if extra_mask is not None:
                    codes = np.where(extra_mask, -1, codes).astype(np.int32)
                mask = codes < 0
                columns[name] = codes
                missing[name] = mask if mask.any() else None
                categories[name] = cats
            else:  # tags
                if raw is None:
                    columns[name] = np.zeros(n, dtype=np.int64)
                    missing[name] = np.ones(n, dtype=bool)
                    continue
                if isinstance(raw, np.ndarray) and raw.dtype.kind in "iu":
                    values, mask = raw.astype(np.int64), np.zeros(n, dtype=bool)
                else:
                    items = [v if normalised else normalise_value(spec, v) for v in raw]
                    values = np.array(
                        [0 if v is None else tags_to_mask(v) for v in items], np.int64
                    )
                    mask = np.array([v is None for v in items], dtype=bool)
                if extra_mask is not None:
                    mask |= extra_mask
                values[mask] = 0
                columns[name] = values
                missing[name] = mask if mask.any() else None
            if len(columns[name]) != n:
                raise ValueError(f"column {name} has {len(columns[name])} rows, expected {n}")
        return cls(n, columns, missing, categories, keys)

    def record(self, row: int) -> dict[str, Any]:
        """One enterprise back in the normalised record form the explainer reads."""
        out: dict[str, Any] = {}
        for name, spec in CONDITION_FIELDS.items():
            mask = self.missing[name]
            if mask is not None and mask[row]:
                out[name] = None
                continue
            value = self.columns[name][row]
            if spec.type is FieldType.DATE:
                out[name] = days_to_date(float(value))
            elif spec.type in (FieldType.NUMBER, FieldType.INT):
                out[name] = float(value)
            elif spec.type is FieldType.BOOL:
                out[name] = bool(value)
            elif spec.type is FieldType.STR:
                out[name] = self.categories[name][int(value)]
            else:
                out[name] = frozenset(t for t, bit in TAG_BITS.items() if int(value) & bit)
        return out


def _scalar(name: str, value: Any) -> float:
    spec = CONDITION_FIELDS[name]
    normalised = normalise_value(spec, value)
    if normalised is None:
        return float("nan")
    if spec.type is FieldType.DATE:
        return float(date_to_days(normalised))  # type: ignore[arg-type]
    return float(normalised)  # type: ignore[arg-type]
