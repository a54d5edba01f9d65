"""The report page: one self-contained HTML file, no network, readable at thousands of documents.

Python draws what does not change (per-target actor tables with diverging bars, monthly timelines,
failed documents, the run's settings) as HTML and inline SVG; a small inline script
(``assets/report.js``) lists the stances with their evidence under the filters and opens the
document view, from the records embedded as JSON. Article text is data: it is escaped here and
inserted as text there, and the page's Content-Security-Policy lets only that one script run.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

from . import __version__
from .report import ActorSummary, actor_summaries, corpus_counts, period_of, record_date
from .results import Results, iter_stances
from .types import LABELS

TOP_ACTORS = 30  # rows of a target's actor table
FIRST_ROWS = 12  # of them shown until "show all" is pressed
TIMELINE_ACTORS = 8  # leading actors drawn in a target's timeline
COLOURS = {"support": "#0072B2", "oppose": "#D55E00", "neutral": "#8C8C8C"}  # Okabe-Ito blue, vermillion; grey
esc = html.escape
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def render_page(results: Results, title: str | None = None, top: int = TOP_ACTORS) -> str:
    """The whole page as a string.

    Example:
        >>> page = render_page(load_results("results.jsonl"))  # doctest: +SKIP
    """
    title = title or f"Stance report: {results.name}"
    counts = corpus_counts(results)
    summaries = actor_summaries(results.records)
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    csp = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    sections = "".join(_target_section(target, rows, results.records, top) for target, rows in summaries.items())
    nav = " · ".join(f'<a href="#{_anchor(t)}">{esc(t)}</a>' for t in summaries)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="generator" content="stance {esc(__version__)}">
<title>{esc(title)}</title><style>{_asset("report.css")}</style></head>
<body><header><h1>{esc(title)}</h1>
<p class="lede">{_lede(counts)}</p>
<nav aria-label="Sections">{nav + " · " if nav else ""}<a href="#stances">Stances and evidence</a> ·
<a href="#failed">Failed documents ({counts["failed"]})</a> · <a href="#settings">Run settings</a></nav>
{_legend()}</header>
<main>{sections or '<p class="empty">No stances in these results.</p>'}
{_stances_section(results, counts)}
{_failed_section(results.errors)}
{_settings_section(results, counts)}</main>
<div id="doc-view" class="doc-view" hidden role="dialog" aria-modal="true" aria-labelledby="doc-title">
<div class="doc-panel"><button type="button" class="close" id="doc-close">Close ✕</button>
<div id="doc-body"></div></div></div>
<script type="application/json" id="stance-data">{_json_for_html(page_data(results))}</script>
<script>{script}</script></body></html>
"""


def write_report(results: Results, path: str | Path, title: str | None = None) -> Path:
    path = Path(path)
    path.write_text(render_page(results, title), encoding="utf-8")
    return path


def _asset(name: str) -> str:
    return resources.files("stance").joinpath("assets", name).read_text(encoding="utf-8")


def _anchor(target: str) -> str:
    return "target-" + re.sub(r"[^A-Za-z0-9_-]+", "-", target).strip("-").lower()


def _json_for_html(data: dict) -> str:
    """JSON that cannot end its <script> element early, whatever the article text holds."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _lede(c: dict) -> str:
    dated = f"{c['dated']:,} dated, {c['first']} to {c['last']}" if c["dated"] else "none dated"
    targets = ", ".join(esc(t) for t in c["targets"]) or "none"
    return (f"{_n(c['documents'], 'document')} ({dated}; {c['undated']:,} undated) · {c['failed']:,} failed · "
            f"{_n(c['stances'], 'stance')} of {_n(c['actors'], 'actor')} toward {_n(len(c['targets']), 'target')}: "
            f"{targets}")


def _legend() -> str:
    swatches = {"oppose": "left of the centre line", "neutral": "across the centre", "support": "right of the centre line"}
    items = "".join(f'<li><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="{COLOURS[k]}"/>'
                    f'</svg> <span class="badge {k}">{k}</span> {v}</li>' for k, v in swatches.items())
    return (f'<ul class="legend" aria-label="Legend">{items}<li><span class="tag rule">rule</span> label set by the '
            'affiliation rule, not the model</li><li><span class="tag affiliated">affiliated</span> works for, owns or '
            'belongs to the target</li></ul>')


# per-target section -------------------------------------------------------------------------------
def _target_section(target: str, rows: list[ActorSummary], records: list[dict], top: int) -> str:
    total = Counter()
    for row in rows:
        total.update(row.counts)
    shown = rows[:top]
    half = max((max(r.counts["oppose"], r.counts["support"]) + r.counts["neutral"] / 2 for r in shown), default=1) or 1
    body = "".join(_actor_row(target, rank, row, half, rank > FIRST_ROWS) for rank, row in enumerate(shown, 1))
    toggle = (f'<button type="button" class="show-rows" data-first="{FIRST_ROWS}">Show all {len(shown)} rows</button>'
              if len(shown) > FIRST_ROWS else "")
    more = (f'<p class="note">The {len(shown)} actors in most documents of {len(rows):,}; find any other with the '
            f'search under <a href="#stances">Stances and evidence</a>.</p>') if len(rows) > len(shown) else ""
    head = "".join(f'<th scope="col"{" class=num" if kind == "num" else ""}><button type="button" data-kind="{kind}">'
                   f'{label}</button></th>' if kind else f'<th scope="col">{label}</th>'
                   for label, kind in (("#", "num"), ("actor", "text"), ("type", "text"), ("docs", "num"),
                                       ("oppose", "num"), ("◀ oppose · neutral · support ▶", ""), ("support", "num"),
                                       ("neutral", "num"), ("score", "num"), ("first", "text"), ("last", "text")))
    labels = ", ".join(f"{total[label]:,} {label}" for label in LABELS)
    return f"""<section class="target" id="{_anchor(target)}"><h2>{esc(target)}</h2>
<p>{_n(len(rows), 'actor')} took {_n(sum(total.values()), 'stance')} toward {esc(target)}: {labels}.</p>
<h3>Actors by number of documents</h3>
<div class="scroll"><table class="actors sortable"><caption>Actors' stances toward {esc(target)}: one per document
(docs); score: the model's mean confidence in its labels (rule-decided stances left out); first and last: the dates of the
first and last dated documents. Click a column to sort, an actor to read the evidence.</caption>
<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>{toggle}{more}
<h3>Timeline by month</h3>{_timeline(target, rows, records)}</section>"""


def _actor_row(target: str, rank: int, row: ActorSummary, half: float, folded: bool) -> str:
    c = row.counts
    tags = ('<span class="tag affiliated">affiliated</span>' if row.affiliated else "") + (
        f'<span class="tag rule" title="{row.by_rule} set by the affiliation rule">rule ×{row.by_rule}</span>'
        if row.by_rule else "")
    score = row.mean_score
    return (f'<tr{" hidden" if folded else ""}><td class="num">{rank}</td>'
            f'<td><a class="who" href="#stances" data-actor="{esc(row.actor)}" data-target="{esc(target)}" '
            f'title="{esc(row.actor)}: read the evidence">{esc(row.actor)}</a>'
            f' {tags}</td><td>{esc(row.type)}</td><td class="num">{row.n_documents}</td>'
            f'<td class="num">{c["oppose"]}</td><td class="bar">{_diverging_bar(row.actor, target, c, half)}</td>'
            f'<td class="num">{c["support"]}</td><td class="num">{c["neutral"]}</td>'
            f'<td class="num" data-v="{-1 if score is None else round(score, 4)}">{"–" if score is None else f"{score:.2f}"}</td>'
            f'<td>{row.first or "–"}</td><td>{row.last or "–"}</td></tr>')


def _diverging_bar(actor: str, target: str, c: Counter, half: float, width: int = 160, height: int = 16) -> str:
    """Oppose to the left of the centre line, support to the right, neutral split across it."""
    centre, scale = width / 2, (width / 2 - 2) / half
    n, o, s = c["neutral"] * scale / 2, c["oppose"] * scale, c["support"] * scale
    words = f"{esc(actor)} toward {esc(target)}: {c['oppose']} oppose, {c['neutral']} neutral, {c['support']} support"
    return (f'<svg class="chart diverging" width="{width}" height="{height}" role="img" aria-label="{words}">'
            f"<title>{words}</title>"
            f'<rect x="{centre - n - o:.1f}" y="2" width="{o:.1f}" height="{height - 4}" fill="{COLOURS["oppose"]}"/>'
            f'<rect x="{centre - n:.1f}" y="2" width="{2 * n:.1f}" height="{height - 4}" fill="{COLOURS["neutral"]}"/>'
            f'<rect x="{centre + n:.1f}" y="2" width="{s:.1f}" height="{height - 4}" fill="{COLOURS["support"]}"/>'
            f'<line x1="{centre}" x2="{centre}" y1="0" y2="{height}" stroke="#222" stroke-width="1"/></svg>')


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _timeline(target: str, rows: list[ActorSummary], records: list[dict]) -> str:
    """Small multiples, one line per leading actor: support up, oppose down, neutral across the baseline."""
    per_month: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for record, actor, stance in iter_stances(records):
        if stance["target"] == target and (date := record_date(record)):
            month = period_of(date)
            per_month["All actors"][month][stance["label"]] += 1
            per_month[actor["name"]][month][stance["label"]] += 1
    if not per_month:
        return ('<p class="note">No dated documents: the timeline needs dates (a <code>date</code> field of JSONL/CSV '
                'input or <code>--date-field</code>, <code>article:published_time</code> in HTML, <code>date:</code> in '
                'Markdown front matter).</p>')
    leading = [r.actor for r in sorted(rows, key=lambda r: (-len(r.dates), r.actor.lower())) if r.dates][:TIMELINE_ACTORS]
    months = _months(min(per_month["All actors"]), max(per_month["All actors"]))
    step = max(4, min(28, 900 // len(months)))
    label_w, row_h, half = 170, 46, 19
    width, height = label_w + step * len(months) + 8, row_h * (len(leading) + 1) + 22
    parts = []
    for i, name in enumerate(["All actors", *leading]):
        base = i * row_h + row_h / 2
        data = per_month[name]
        peak = max(max(c["support"], c["oppose"]) + c["neutral"] / 2 for c in data.values()) or 1
        busiest = _n(max(sum(c.values()) for c in data.values()), "stance")
        shown = name if len(name) <= 24 else name[:23] + "…"
        parts.append(f'<text x="0" y="{base - 4:.0f}" class="who">{esc(shown)}<title>{esc(name)}</title></text>'
                     f'<text x="0" y="{base + 11:.0f}" class="peak">busiest month: {busiest}</text>'
                     f'<line x1="{label_w}" x2="{width - 8}" y1="{base}" y2="{base}" class="base"/>')
        for j, month in enumerate(months):
            c = data.get(month)
            if not c:
                continue
            x, scale = label_w + j * step + 1, half / peak
            n, s, o = c["neutral"] * scale / 2, c["support"] * scale, c["oppose"] * scale
            words = f"{name}, {month}: {c['support']} support, {c['oppose']} oppose, {c['neutral']} neutral"
            parts.append(f'<g><title>{esc(words)}</title>'
                         f'<rect x="{x}" y="{base - n - s:.1f}" width="{step - 2}" height="{s:.1f}" fill="{COLOURS["support"]}"/>'
                         f'<rect x="{x}" y="{base - n:.1f}" width="{step - 2}" height="{2 * n:.1f}" fill="{COLOURS["neutral"]}"/>'
                         f'<rect x="{x}" y="{base + n:.1f}" width="{step - 2}" height="{o:.1f}" fill="{COLOURS["oppose"]}"/></g>')
    axis_y = row_h * (len(leading) + 1) + 14
    every = 1 if len(months) <= 12 else (3 if len(months) <= 36 else 12)
    for j, month in enumerate(months):
        if j == 0 or (int(month[5:]) - 1) % every == 0:
            text = month[:4] if every == 12 or j == 0 or month.endswith("-01") else MONTH_NAMES[int(month[5:]) - 1]
            text = f"{MONTH_NAMES[int(month[5:]) - 1]} {month[:4]}" if j == 0 else text
            parts.append(f'<text x="{label_w + j * step}" y="{axis_y}" class="tick">{text}</text>')
    return (f'<div class="scroll"><svg class="chart timeline" width="{width}" height="{height}" role="img" '
            f'aria-label="Stances toward {esc(target)} by month, {months[0]} to {months[-1]}, of all actors and the '
            f'{len(leading)} leading actors">{"".join(parts)}</svg></div>'
            '<p class="note">Per month: support drawn up, oppose down, neutral across the line; each line has its own '
            'scale. Hover a bar for its counts.</p>')


# stances, failed documents, settings ---------------------------------------------------------------
def _stances_section(results: Results, counts: dict) -> str:
    types = sorted({a.get("type") or "" for r in results.records for a in r.get("actors") or []} - {""})
    targets, labels, kinds = (_options(values) for values in (counts["targets"], LABELS, types))
    return f"""<section id="stances"><h2>Stances and evidence</h2>
<form id="filters" class="filters" role="search" aria-label="Filter the stances">
<label>Target <select name="target"><option value="">all</option>{targets}</select></label>
<label>Label <select name="label"><option value="">all</option>{labels}</select></label>
<label>Actor type <select name="type"><option value="">all</option>{kinds}</select></label>
<label>Decided by <select name="by"><option value="">model or rule</option><option value="model">model</option>
<option value="affiliation">affiliation rule</option></select></label>
<label title="Rule-decided stances have no model confidence and are kept">Min. score <input type="range" name="min" min="0"
max="1" step="0.05" value="0"><output name="minout">0.00</output></label>
<label>From <input type="month" name="from"></label><label>to <input type="month" name="to"></label>
<label class="grow">Search <input type="search" name="q" placeholder="actor, document or evidence words"></label>
<label>Sort <select name="sort"><option value="score">score, high to low</option>
<option value="score-asc">score, low to high</option><option value="date">newest first</option>
<option value="date-asc">oldest first</option><option value="actor">actor A–Z</option>
<option value="doc">document</option></select></label>
<button type="reset">Clear filters</button></form>
<p id="count" class="count" aria-live="polite">{_n(counts["stances"], "stance")}</p>
<noscript><p class="note">The list of stances needs JavaScript; the tables above and the JSONL hold the same
results.</p></noscript>
<ol id="stance-list" class="stance-list"></ol><button type="button" id="more" hidden>Show more</button></section>"""


def _options(values) -> str:
    return "".join(f"<option>{esc(v)}</option>" for v in values)


def _failed_section(errors: list[dict]) -> str:
    rows = "".join(f"<tr><td>{esc(str(e.get('id') or '–'))}</td><td>{esc(str(e.get('path') or '–'))}</td>"
                   f"<td>{esc(str(e.get('error')))}</td></tr>" for e in errors)
    body = (f'<div class="scroll"><table class="failed"><thead><tr><th>document</th><th>path</th><th>error</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>") if errors else "<p>None: every document was annotated.</p>"
    return f'<section id="failed"><h2>Failed documents ({len(errors)})</h2>{body}</section>'


def _settings_section(results: Results, counts: dict) -> str:
    s = results.settings
    models = Counter(" ".join(str(v) for v in (r.get("model") or {}).values() if v) or "unknown" for r in results.records)
    model = "; ".join(f"{m} ({n} documents)" if len(models) > 1 else m for m, n in models.items()) or "–"
    if s.get("model"):
        model += f" from {s['model']}"
    elif s:
        model += " (the shipped model)"
    rows = {
        "Model": model,
        "Targets": ", ".join(s.get("targets") or []) or "none given: each document's own, from the knowledge base",
        "Target field": s.get("target_field") or "–",
        "Extra knowledge base": ", ".join(s.get("kb") or []) or "–",
        "Text / id / date fields": " / ".join(str(s.get(k) or "–") for k in ("text_field", "id_field", "date_field")),
        "Run started": s.get("run_at") or "unknown (no run settings beside the results)",
        "Results file": str(results.path) if results.path else "–",
        "Documents": f"{counts['documents']:,} annotated, {counts['failed']:,} failed",
        "Report made by": f"stance {__version__}",
    }
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(str(v))}</dd>" for k, v in rows.items())
    return f'<section id="settings"><h2>Run settings</h2><dl class="settings">{items}</dl></section>'


# the data the script reads ---------------------------------------------------------------------------
def page_data(results: Results) -> dict:
    """Documents (text, mentions) and stances (evidence as offsets into the text), compactly.

    Offsets are converted to UTF-16 code units, which is how JavaScript indexes strings.
    """
    docs, stances = [], []
    for record in results.records:
        text = record.get("text")
        at = _js_offset(text)
        actors = record.get("actors") or []
        marks = [[at(start), at(end), i] for i, actor in enumerate(actors) for start, end in actor.get("spans") or []
                 if text and 0 <= start < end <= len(text)]
        doc_index = len(docs)
        docs.append({"id": str(record.get("id")), "path": record.get("path"), "date": record_date(record),
                     "text": text, "actors": [[a["name"], a.get("type") or "", int(bool(a.get("affiliated")))] for a in actors],
                     "marks": sorted(marks), "tmarks": _target_marks(record, text, at) if text else []})
        for i, actor in enumerate(actors):
            for stance in actor.get("stances") or []:
                stances.append(_stance_data(doc_index, i, actor, stance, text, at))
    return {"docs": docs, "stances": stances}


def _stance_data(doc: int, actor_index: int, actor: dict, stance: dict, text: str | None, at) -> dict:
    evidence = stance.get("evidence") or []
    item = {"d": doc, "i": actor_index, "a": actor["name"], "y": actor.get("type") or "", "g": stance["target"],
            "l": stance["label"], "s": round(float(stance.get("score") or 0.0), 3),
            "e": [[at(e["start"]), at(e["end"])] if text and 0 <= e["start"] < e["end"] <= len(text) else e["sentence"]
                  for e in evidence]}
    if stance.get("affiliated"):
        item["f"] = 1
    if stance.get("decided_by", "model") != "model":
        scores = stance.get("scores") or {}
        best = max(scores, key=scores.get) if scores else "neutral"
        item["r"] = [best, round(float(scores.get(best, 0.0)), 2)]  # what the model alone would have said
    return item


def _target_marks(record: dict, text: str, at) -> list:
    """Where the document names its targets, by the mentions the pipeline found (a target may be an actor too)."""
    names: dict[str, str] = {}
    for target in record.get("targets") or []:
        for mention in [target["name"], *(target.get("mentions") or [])]:
            if mention and mention.strip():
                names.setdefault(mention, target["name"])
    if not names:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(m) for m in sorted(names, key=len, reverse=True)) + r")(?!\w)")
    return [[at(match.start()), at(match.end()), names[match.group(0)]] for match in pattern.finditer(text)]


def _js_offset(text: str | None):
    """Code-point offset → UTF-16 offset (how JavaScript indexes strings): the same unless the text has emoji & co."""
    if not text or text.isascii() or not _ASTRAL.search(text):
        return lambda i: i
    offsets, unit = [0], 0
    for ch in text:
        unit += 2 if ord(ch) > 0xFFFF else 1
        offsets.append(unit)
    return offsets.__getitem__
