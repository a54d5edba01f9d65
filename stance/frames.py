"""Results as a pandas DataFrame (one row per document × actor × target) and as Parquet."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .results import ROW_COLUMNS, load_results, stance_rows

if TYPE_CHECKING:
    import pandas as pd


def to_dataframe(source: str | Path | Iterable[dict]) -> pd.DataFrame:
    """One row per (document, actor, target) stance of a ``stance annotate`` output or of its records.

    Columns: ``doc_id``, ``path``, ``date`` (the publication date as written, time zone dropped;
    NaT when undated), ``actor``, ``actor_type``, ``actor_kind``, ``parent``, ``affiliated``,
    ``target``, ``label``, ``score`` (the model's probability of ``label``), ``p_support``,
    ``p_oppose``, ``p_neutral``, ``decided_by`` (``model`` or ``affiliation``), ``evidence`` (the first
    evidence sentence), ``n_evidence`` and ``model``.

    Example:
        >>> df = stance.to_dataframe("results.jsonl")  # doctest: +SKIP
        >>> df[df.decided_by == "model"].groupby(["target", "actor"]).label.value_counts().unstack(fill_value=0)  # doctest: +SKIP
    """
    import pandas as pd

    rows = list(stance_rows(load_results(source).records))
    frame = pd.DataFrame(rows, columns=list(ROW_COLUMNS))
    frame["date"] = pd.Series([_wall_clock(row["date"]) for row in rows], index=frame.index, dtype="datetime64[ns]")
    frame["affiliated"] = frame["affiliated"].astype(bool)
    frame["n_evidence"] = frame["n_evidence"].astype("int64")
    for column in ("score", "p_support", "p_oppose", "p_neutral"):
        frame[column] = frame[column].astype("float64")
    return frame


def _wall_clock(value: object) -> datetime | None:
    """The date-time as the source wrote it: mixed offsets would otherwise make an object column."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        return None


def write_parquet(source: str | Path | Iterable[dict], path: str | Path) -> int:
    """Write :func:`to_dataframe`'s table to ``path`` (pyarrow); returns the number of rows."""
    frame = to_dataframe(source)
    frame.to_parquet(path, engine="pyarrow", index=False)
    return len(frame)
