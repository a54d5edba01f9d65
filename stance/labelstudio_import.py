"""From a Label Studio export of ``stance review`` tasks to whole-article gold and stance records.

``stance corpus import EXPORT.json --output-dir DIR`` reads the export (Label Studio's "JSON" format: every
task with its ``data`` and ``annotations``) and writes ``DIR/articles/{train,dev,test}.jsonl`` (the
gold-article format of :mod:`stance.articles`, split by article id) and ``DIR/{train,dev,test}.jsonl``
(their stance records), which ``stance corpus validate DIR`` checks and ``stance train`` reads.

Nothing a labeller left open is filled in: a task that was skipped or not labelled, an actor
without a stance toward a target, two stances for one pair, a span without a type — each leaves its
article out and is reported, with the task id, in ``DIR/left-out.jsonl``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .articles import SPLITS, article_problems, article_records, split_of
from .errors import CorpusError
from .review import ACTOR, AFFILIATED, NAME, STANCE, TEXT, parse_stance_choice
from .text.jsonl import write_jsonl
from .types import LABELS

LEFT_OUT = "left-out.jsonl"
ACTOR_TYPES = ("ORG", "PERSON")


@dataclass
class ImportSummary:
    """What an import wrote and what it left out."""

    tasks: int = 0
    articles: dict[str, int] = field(default_factory=lambda: {s: 0 for s in SPLITS})
    records: dict[str, int] = field(default_factory=lambda: {s: 0 for s in SPLITS})
    left_out: list[dict] = field(default_factory=list)  # {"task", "id", "problems"}
    counts: Counter = field(default_factory=Counter)  # actors, labels, kept / changed / added / removed


def read_export(path: str | Path) -> list[dict]:
    """The tasks of a Label Studio JSON export."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"{path} does not exist; export the Label Studio project as JSON and pass that file.")
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CorpusError(f"{path} is not JSON ({error}); export the Label Studio project in the JSON format.") from None
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise CorpusError(f"{path} is not a Label Studio JSON export: expected a list of tasks.")
    for number, task in enumerate(tasks, 1):
        if "annotations" not in task or not isinstance(task.get("data"), dict):
            raise CorpusError(f"{path}, task {number}: no data and annotations; export the project in Label Studio's "
                              "JSON format (not JSON-MIN or CSV), which keeps every annotation with its task.")
        if not all(k in task["data"] for k in ("id", "text", "targets", "stance_choices")):
            raise CorpusError(f"{path}, task {task.get('id', number)}: not a `stance review` task (its data lacks id, "
                              "text, targets or stance_choices); import tasks written by `stance review`.")
    return tasks


def chosen_annotation(task: dict) -> tuple[dict | None, str | None]:
    """The one submitted annotation to read, or None and why there is none."""
    submitted = [a for a in task["annotations"] if not a.get("was_cancelled")]
    if not submitted:
        return None, ("skipped in Label Studio" if task["annotations"] else "not labelled yet (no submitted annotation)")
    if len(submitted) == 1:
        return submitted[0], None
    truth = [a for a in submitted if a.get("ground_truth")]
    if len(truth) == 1:
        return truth[0], None
    if len({json.dumps(_content(a["result"]), sort_keys=True) for a in submitted}) == 1:
        return submitted[-1], None
    return None, (f"{len(submitted)} annotations that differ; adjudicate them and mark one as ground truth in Label Studio")


def _content(result: list[dict]) -> list:
    return sorted(json.dumps({k: r.get(k) for k in ("from_name", "type", "value")}, sort_keys=True) for r in result)


def gold_article(task: dict) -> tuple[dict | None, list[str], Counter]:
    """The gold article of one labelled task, or None and the problems that keep it out.

    Spans with the same actor name are one actor (an unnamed span is named by the model's actor it
    is a mention of, else by its own text); the actor's stances may be set on any of its spans.
    """
    counts: Counter = Counter()
    annotation, why = chosen_annotation(task)
    if annotation is None:
        return None, [why], counts
    data = task["data"]
    text = data["text"]
    targets = [t["name"] for t in data["targets"]]
    model = {a["name"]: a for a in data.get("actors", [])}
    known_forms = {form: a["name"] for a in data.get("actors", []) for form in [a["name"], *a.get("mentions", [])]}
    problems: list[str] = []
    regions: dict[str, dict] = {}
    for result in annotation.get("result", []):
        if result.get("to_name") != TEXT or result.get("type") == "relation":
            continue
        value = result.get("value") or {}
        region = regions.setdefault(result.get("id"), {"start": value.get("start"), "end": value.get("end")})
        control = result.get("from_name")
        if control == ACTOR:
            region["labels"] = value.get("labels", [])
        elif control == NAME:
            region["name"] = " ".join(value.get("text", [])).strip()
        elif control == STANCE:
            region["stances"] = value.get("choices", [])
        elif control == AFFILIATED:
            region["affiliated"] = value.get("choices", [])
    actors: dict[str, dict] = {}
    for region in sorted(regions.values(), key=lambda r: (r["start"] is None, r["start"] or 0)):
        start, end = region["start"], region["end"]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            problems.append(f"a region at {start}-{end} is not a span of the text")
            continue
        mention = text[start:end].strip()  # a selection that took a space along still names the same thing
        if not mention:
            problems.append(f"the span at {start}-{end} holds only spaces; delete it")
            continue
        labels = region.get("labels") or []
        if len(labels) != 1 or labels[0] not in ACTOR_TYPES:
            problems.append(f"the span {mention!r} at {start}-{end} has labels {labels}, expected one of ORG or PERSON")
            continue
        name = region.get("name") or known_forms.get(mention) or mention
        actor = actors.setdefault(name, {"types": set(), "mentions": [], "stances": {}, "affiliated": set()})
        actor["types"].add(labels[0])
        if mention not in actor["mentions"]:
            actor["mentions"].append(mention)
        for value in region.get("stances", []):
            parsed = parse_stance_choice(value)
            if parsed is None or parsed[0] not in targets:
                problems.append(f"actor {name!r}: stance choice {value!r} names no target of the task")
                continue
            actor["stances"].setdefault(parsed[0], set()).add(parsed[1])
        actor["affiliated"].update(region.get("affiliated", []))
    gold_actors = []
    for name, actor in actors.items():
        where = f"actor {name!r}"
        if len(actor["types"]) > 1:
            problems.append(f"{where}: spans labelled {' and '.join(sorted(actor['types']))}; give all its spans one type")
        stances = {}
        for target in (t for t in targets if t != name):
            labels = actor["stances"].get(target, set())
            if not labels:
                problems.append(f"{where}: no stance toward {target!r}; choose {' / '.join(LABELS)} on one of its spans")
            elif len(labels) > 1:
                problems.append(f"{where}: stances {' and '.join(sorted(labels))} toward {target!r} on different spans; "
                                "keep one")
            else:
                stances[target] = next(iter(labels))
        if len(actor["affiliated"]) > 1:
            problems.append(f"{where}: affiliated with {sorted(actor['affiliated'])}; a gold actor is affiliated with one "
                            "target at most")
        gold_actors.append({
            "name": name, "type": min(actor["types"]), "mentions": actor["mentions"],
            "parent": (model.get(name) or {}).get("parent"),
            "affiliated_with": next(iter(actor["affiliated"])) if len(actor["affiliated"]) == 1 else None,
            "stances": stances,
        })
        _count_changes(counts, name, stances, model.get(name))
    counts["actors removed"] += len(set(model) - set(actors))
    if not regions and not problems:
        problems.append("no actor labelled (no spans); label the article's organisations and people, or skip the task")
    article = {
        "id": data["id"], "path": (data.get("source") or {}).get("path"), "text": text,
        "targets": [{"name": t["name"], "aliases": list(t.get("aliases", []))} for t in data["targets"]],
        "actors": gold_actors,
        "review": {"tool": "label-studio", "task": task.get("id"), "annotation": annotation.get("id"),
                   "labeller": annotation.get("completed_by"), "model": (data.get("source") or {}).get("model")},
    }
    if not problems:  # what the gold format needs beyond the labeller's regions (a target named in the text)
        problems = article_problems(article)
    return (None if problems else article), problems, counts


def _count_changes(counts: Counter, name: str, stances: dict[str, str], model_actor: dict | None) -> None:
    counts["actors"] += 1
    if model_actor is None:
        counts["actors added"] += 1
    for target, label in stances.items():
        counts[label] += 1
        before = ((model_actor or {}).get("stances") or {}).get(target)
        if before is not None:
            counts["stances kept" if before["label"] == label else "stances changed"] += 1


def import_export(export: str | Path, out: str | Path, *, dev_share: float = 0.2, test_share: float = 0.2,
                  force: bool = False) -> ImportSummary:
    """Write the gold articles and stance records of a Label Studio export into ``out``.

    Example:
        >>> summary = import_export("export.json", "my-corpus")   # doctest: +SKIP
        >>> summary.articles, [row["problems"] for row in summary.left_out]  # doctest: +SKIP
    """
    if not (0 <= dev_share < 1 and 0 <= test_share < 1 and dev_share + test_share < 1):
        raise CorpusError(f"dev and test shares must be in [0, 1) and leave some for train, found {dev_share} and {test_share}.")
    out = Path(out)
    outputs = [out / "articles" / f"{s}.jsonl" for s in SPLITS] + [out / f"{s}.jsonl" for s in SPLITS] + [out / LEFT_OUT]
    if any(p.exists() for p in outputs) and not force:
        raise FileExistsError(f"{out} already holds an import; pass force=True (`--force`) to overwrite it.")
    tasks = read_export(export)
    summary = ImportSummary(tasks=len(tasks))
    by_split: dict[str, list[dict]] = {s: [] for s in SPLITS}
    seen: dict[str, object] = {}
    for task in tasks:
        article, problems, counts = gold_article(task)
        doc_id = task["data"]["id"]
        if article is not None and doc_id in seen:
            article, problems = None, [f"the document is also task {seen[doc_id]}; import each document once"]
        if article is None:
            summary.left_out.append({"task": task.get("id"), "id": doc_id, "problems": problems})
            continue
        seen[doc_id] = task.get("id")
        summary.counts.update(counts)
        by_split[split_of(doc_id, dev_share, test_share)].append(article)
    (out / "articles").mkdir(parents=True, exist_ok=True)
    for split, articles in by_split.items():
        records = article_records(articles)
        write_jsonl(articles, out / "articles" / f"{split}.jsonl")
        write_jsonl(records, out / f"{split}.jsonl")
        summary.articles[split], summary.records[split] = len(articles), len(records)
    (out / LEFT_OUT).unlink(missing_ok=True)
    if summary.left_out:
        write_jsonl(summary.left_out, out / LEFT_OUT)
    return summary
