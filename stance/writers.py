"""Writers: the canonical JSONL records rendered as CSV rows or one self-contained HTML page."""

from __future__ import annotations

import csv
import html
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from .types import LABELS

CSV_COLUMNS = [
    "id", "path", "actor", "type", "kind", "parent", "affiliated", "target", "label", "score",
    *(f"p_{label}" for label in LABELS), "decided_by", "evidence",
]
COLOURS = {"support": "#1a7f37", "oppose": "#c62828", "neutral": "#6e7781"}


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


def summary_counts(records: Iterable[dict]) -> dict[tuple[str, str], Counter]:
    """(actor, target) → counts of each label across documents."""
    counts: dict[tuple[str, str], Counter] = {}
    for record in records:
        for actor in record.get("actors", []):
            for stance in actor.get("stances", []):
                counts.setdefault((actor["name"], stance["target"]), Counter())[stance["label"]] += 1
    return counts


def write_html(records: list[dict], path: str | Path, title: str = "Stance annotation") -> None:
    """One page, no network: a summary table, then every article with actors coloured by stance.

    Article text is data: every piece of it is escaped, so markup in an article shows as text.
    """
    esc = html.escape
    rows = sorted(summary_counts(records).items(), key=lambda item: (-sum(item[1].values()), item[0]))
    table = "".join(
        f"<tr><td>{esc(actor)}</td><td>{esc(target)}</td>"
        + "".join(f'<td class="{label}">{counts.get(label, 0)}</td>' for label in LABELS)
        + "</tr>"
        for (actor, target), counts in rows
    )
    articles = "".join(_article_html(record) for record in records)
    legend = " ".join(f'<span class="{label}">{label}</span>' for label in LABELS)
    style = "".join(f".{label}{{color:{colour};font-weight:600}}" for label, colour in COLOURS.items())
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2rem .5rem}}
article{{border-top:1px solid #ddd;margin-top:1.5rem}}p.text{{white-space:pre-wrap}}{style}</style></head>
<body><h1>{esc(title)}</h1><p>{len(records)} document{'' if len(records) == 1 else 's'}. Legend: {legend}</p>
<h2>Summary</h2><table id="summary"><thead><tr><th>actor</th><th>target</th>
{''.join(f'<th>{label}</th>' for label in LABELS)}</tr></thead><tbody>{table}</tbody></table>
<h2>Articles</h2>{articles}</body></html>
"""
    Path(path).write_text(page, encoding="utf-8")


def _article_html(record: dict) -> str:
    esc = html.escape
    text = record.get("text", "")
    marks = []
    for actor in record.get("actors", []):
        labels = [s["label"] for s in actor.get("stances", [])]
        label = labels[0] if labels else "neutral"
        for start, end in actor.get("spans", []):
            marks.append((start, end, label, actor["name"]))
    pieces, cursor = [], 0
    for start, end, label, name in sorted(marks):
        if start < cursor:
            continue
        pieces.append(esc(text[cursor:start]))
        pieces.append(f'<mark class="{label}" title="{esc(name)}: {label}">{esc(text[start:end])}</mark>')
        cursor = end
    pieces.append(esc(text[cursor:]))
    items = "".join(
        f"<li>{esc(a['name'])} → {esc(s['target'])}: <span class='{s['label']}'>{s['label']}</span> ({s['score']:.2f})</li>"
        for a in record.get("actors", [])
        for s in a.get("stances", [])
    )
    return f"<article><h3>{esc(str(record.get('id')))}</h3><ul>{items}</ul><p class='text'>{''.join(pieces)}</p></article>"
