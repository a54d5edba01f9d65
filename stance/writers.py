"""Writers: the canonical JSONL records rendered as CSV rows, as the self-contained report page, or as a terminal table."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from .report_html import write_report
from .results import load_results
from .types import LABELS

CSV_COLUMNS = [
    "id", "path", "actor", "type", "kind", "parent", "affiliated", "target", "label", "score",
    *(f"p_{label}" for label in LABELS), "decided_by", "evidence",
]


def read_jsonl(path: str | Path) -> Iterator[dict]:
    """Complete records of a JSONL output (a half-written last line is ignored)."""
    with open(path, encoding="utf-8") as source:
        for line in source:
            if line.endswith("\n") and line.strip():
                yield json.loads(line)


def csv_rows(records: Iterable[dict]) -> Iterator[dict]:
    """One row per document × actor × target."""
    for record in records:
        for actor in record.get("actors", []):
            for stance in actor.get("stances", []):
                yield {
                    "id": record.get("id"), "path": record.get("path"), "actor": actor["name"],
                    "type": actor["type"], "kind": actor.get("kind") or "", "parent": actor.get("parent") or "",
                    "affiliated": stance["affiliated"], "target": stance["target"], "label": stance["label"],
                    "score": stance["score"],
                    **{f"p_{label}": stance["scores"].get(label) for label in LABELS},
                    "decided_by": stance.get("decided_by", "model"),
                    "evidence": stance["evidence"][0]["sentence"] if stance["evidence"] else "",
                }


def write_csv(records: Iterable[dict], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(csv_rows(records))


def write_html(records: list[dict] | str | Path, path: str | Path, title: str | None = None) -> None:
    """The report page (see :mod:`stance.report_html`) of a results file, or of records given as a list.

    Given the records file of a run, the page also lists the run's failed documents and settings,
    exactly as ``stance report RESULTS --out PAGE.html`` does.
    """
    write_report(load_results(records), path, title)


def format_record(record: dict) -> str:
    targets = ", ".join(t["name"] for t in record["targets"]) or "(none found)"
    lines = [f"targets: {targets}", "", f"{'actor':<32}{'type':<8}{'target':<16}{'stance':<9}{'score':>6}  note"]
    for actor in record["actors"]:
        note = "affiliated" if actor["affiliated"] else (f"parent: {actor['parent']}" if actor["parent"] else "")
        for stance in actor["stances"] or [{"target": "-", "label": "-", "score": float("nan")}]:
            score, why = f"{stance['score']:>6.2f}", note
            if stance.get("decided_by") == "affiliation":
                # the label comes from the affiliation rule, so the model's own probability for it
                # (often near 0 for an executive's plain statements) would read as "no support"
                model_label, p = max(stance["scores"].items(), key=lambda item: item[1])
                score, why = f"{'rule':>6}", f"{note} (the model alone: {model_label} {p:.2f})"
            row = f"{actor['name'][:31]:<32}{actor['type']:<8}{stance['target'][:15]:<16}{stance['label']:<9}{score}  {why}"
            lines.append(row.rstrip())
    return "\n".join(lines)
