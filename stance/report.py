"""Who stands where, since when: per-target actor summaries of annotation results, and the terminal report.

The HTML page (:mod:`stance.report_html`) draws the same summaries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .results import Results, iter_stances
from .types import LABELS

PERIODS = ("month", "year")


@dataclass
class ActorSummary:
    """One actor's stances toward one target across documents."""

    actor: str
    type: str
    counts: Counter = field(default_factory=Counter)
    documents: set = field(default_factory=set)
    model_scores: list[float] = field(default_factory=list)  # rule-decided stances carry no model confidence
    by_rule: int = 0
    affiliated: bool = False
    dates: list[str] = field(default_factory=list)

    @property
    def n_documents(self) -> int:
        return len(self.documents)

    @property
    def mean_score(self) -> float | None:
        return sum(self.model_scores) / len(self.model_scores) if self.model_scores else None

    @property
    def first(self) -> str | None:
        return min(self.dates)[:10] if self.dates else None

    @property
    def last(self) -> str | None:
        return max(self.dates)[:10] if self.dates else None


def record_date(record: dict) -> str | None:
    return (record.get("meta") or {}).get("date") or None


def period_of(date: str, by: str = "month") -> str:
    """``2019-05`` (month) or ``2019`` (year) of an ISO date: the date as the source wrote it."""
    return date[:7] if by == "month" else date[:4]


def actor_summaries(records: Iterable[dict]) -> dict[str, list[ActorSummary]]:
    """Per target (the one with most stances first), actors ranked by documents, then by name."""
    table: dict[str, dict[str, ActorSummary]] = defaultdict(dict)
    for index, (record, actor, stance) in enumerate(iter_stances(records)):
        row = table[stance["target"]].setdefault(actor["name"], ActorSummary(actor["name"], actor.get("type") or ""))
        row.counts[stance["label"]] += 1
        row.documents.add(record.get("id", index))
        if stance.get("decided_by", "model") == "model":
            row.model_scores.append(float(stance.get("score") or 0.0))
        else:
            row.by_rule += 1
        row.affiliated |= bool(stance.get("affiliated"))
        if date := record_date(record):
            row.dates.append(date)
    ranked = sorted(table.items(), key=lambda item: -sum(sum(r.counts.values()) for r in item[1].values()))
    return {target: sorted(rows.values(), key=lambda r: (-r.n_documents, r.actor.lower())) for target, rows in ranked}


@dataclass
class PeriodSummary:
    period: str  # "2019-05", "2019" or "undated"
    documents: set = field(default_factory=set)
    counts: Counter = field(default_factory=Counter)
    scores: list[float] = field(default_factory=list)
    actors: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))


def period_summaries(records: Iterable[dict], by: str = "month") -> dict[str, list[PeriodSummary]]:
    """Per target, one row per month (or year) in order, then one for undated documents if any."""
    if by not in PERIODS:
        raise ValueError(f"Cannot break results down by {by!r}; choose one of {', '.join(PERIODS)}.")
    table: dict[str, dict[str, PeriodSummary]] = defaultdict(dict)
    for index, (record, actor, stance) in enumerate(iter_stances(records)):
        date = record_date(record)
        key = period_of(date, by) if date else "undated"
        row = table[stance["target"]].setdefault(key, PeriodSummary(key))
        row.documents.add(record.get("id", index))
        row.counts[stance["label"]] += 1
        if stance.get("decided_by", "model") == "model":
            row.scores.append(float(stance.get("score") or 0.0))
        row.actors[actor["name"]][stance["label"]] += 1
    return {target: sorted(rows.values(), key=lambda r: (r.period == "undated", r.period)) for target, rows in table.items()}


def corpus_counts(results: Results) -> dict:
    """Documents (dated, undated, failed), stances, actors and targets of a run, and its date range."""
    dates = sorted(d for r in results.records if (d := record_date(r)))
    actors, targets, stances = set(), [], 0
    for _, actor, stance in iter_stances(results.records):
        stances += 1
        actors.add(actor["name"])
        if stance["target"] not in targets:
            targets.append(stance["target"])
    return {"documents": len(results.records), "dated": len(dates), "undated": len(results.records) - len(dates),
            "failed": len(results.errors), "stances": stances, "actors": len(actors), "targets": targets,
            "first": dates[0][:10] if dates else None, "last": dates[-1][:10] if dates else None}


def _leading(actors: dict[str, Counter], n: int = 3) -> str:
    ranked = sorted(actors.items(), key=lambda item: (-sum(item[1].values()), item[0].lower()))[:n]
    return "; ".join(f"{name}: " + ", ".join(f"{counts[label]} {label}" for label in LABELS if counts[label])
                     for name, counts in ranked)


def print_summary(results: Results, by: str | None = None, top: int = 20, console=None) -> None:
    """Per target, a table of the actors in most documents (or, with ``by``, of each month or year).

    Example:
        >>> print_summary(load_results("results.jsonl"), by="month")  # doctest: +SKIP
    """
    from rich.console import Console

    if console is None:
        console = Console()
        if not console.is_terminal:  # piped or captured: wide enough for the table, not 80 columns
            console = Console(width=140)
    counts = corpus_counts(results)
    span = f", {counts['first']} to {counts['last']}" if counts["dated"] else ""
    console.print(f"[bold]{results.name}[/bold]: {_n(counts['documents'], 'document')} ({counts['dated']} dated{span}; "
                  f"{counts['undated']} undated), {counts['failed']} failed, {_n(counts['stances'], 'stance')} of "
                  f"{_n(counts['actors'], 'actor')} toward {_n(len(counts['targets']), 'target')}", highlight=False)
    if by:
        for target, rows in period_summaries(results.records, by).items():
            table = _table(f"{target}: stances by {by}", (by, "documents", *LABELS, "mean score", "actors with most stances"))
            for row in rows:
                table.add_row(row.period, str(len(row.documents)), *(str(row.counts[label]) for label in LABELS),
                              _score(sum(row.scores) / len(row.scores) if row.scores else None), _leading(row.actors))
            console.print(table)
    else:
        for target, rows in actor_summaries(results.records).items():
            shown = f"the {top} in most documents of {len(rows)}" if len(rows) > top else f"{len(rows)}"
            rule = any(row.by_rule for row in rows[:top])
            columns = ("actor", "type", "documents", *LABELS, "mean score", *(("by rule",) if rule else ()), "first", "last")
            table = _table(f"{target}: actors ({shown})", columns)
            for row in rows[:top]:
                table.add_row(row.actor + (" (affiliated)" if row.affiliated else ""), row.type, str(row.n_documents),
                              *(str(row.counts[label]) for label in LABELS), _score(row.mean_score),
                              *((str(row.by_rule),) if rule else ()), row.first or "-", row.last or "-")
            console.print(table)
    if not counts["stances"]:
        console.print("no stances in these results")


_STYLES = {"support": "blue", "oppose": "dark_orange3", "neutral": "grey50"}
_TEXT_COLUMNS = ("actor", "type", "first", "last", "month", "year", "actors with most stances")


def _table(title: str, columns: tuple[str, ...]):
    from rich.table import Table

    table = Table(title=title, title_justify="left", title_style="bold")
    for name in columns:
        text = name in _TEXT_COLUMNS
        table.add_column(name, justify="left" if text else "right", style=_STYLES.get(name),
                         no_wrap=not text or name in ("first", "last", "month", "year"), overflow="fold")
    return table


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
