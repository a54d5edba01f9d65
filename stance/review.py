"""Label Studio tasks for reviewing the model's reading of documents, least confident first.

``stance review RESULTS.jsonl --out tasks.json`` turns the JSONL of ``stance annotate`` into Label
Studio tasks: one per document, the model's actors and stances as a prediction (pre-annotations)
that a labeller accepts or corrects, in the labelling config :func:`label_config` returns
(``stance/data/label_studio.xml``). :mod:`stance.labelstudio_import` reads the labelled export back.

The regions of a task: every mention of an actor is a span of the text labelled with the actor's
type (control ``actor``: ORG or PERSON) and carrying the actor's name (``actor_name``); the actor's
first span also carries its stances, one choice ``"TARGET: LABEL"`` per target (``stance``, with the
model's score), and the targets it works for, owns or belongs to (``affiliated_with``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

from .errors import StanceError
from .text.jsonl import numbered_lines
from .text.sentences import find_mentions
from .types import LABELS

# names of the labelling config's tags, shared with stance.labelstudio_import
TEXT, ACTOR, NAME, STANCE, AFFILIATED = "text", "actor", "actor_name", "stance", "affiliated_with"
CONFIG_FILE = "label_studio.xml"


def label_config() -> str:
    """The Label Studio labelling config (XML) that ``stance review`` tasks are made for."""
    return resources.files("stance.data").joinpath(CONFIG_FILE).read_text(encoding="utf-8")


def stance_choice(target: str, label: str) -> str:
    """The value of a stance choice: ``"Alibaba: oppose"``."""
    return f"{target}: {label}"


def parse_stance_choice(value: str) -> tuple[str, str] | None:
    """``(target, label)`` of a stance choice, or None when the value is not one."""
    target, sep, label = value.rpartition(": ")
    return (target, label) if sep and target and label in LABELS else None


def read_results(paths: Iterable[str | Path]) -> list[dict]:
    """The document records of ``stance annotate`` JSONL files; error records are left out."""
    records = []
    for path in map(Path, paths):
        if not path.is_file():
            raise StanceError(f"{path} does not exist; pass the JSONL written by `stance annotate ... --out FILE.jsonl`.")
        for number, record in numbered_lines(path):
            if isinstance(record, json.JSONDecodeError):
                raise StanceError(f"{path}, line {number}: not valid JSON ({record.msg}); expected the JSONL "
                                  "of `stance annotate` (for a CSV or HTML output, its OUT.records.jsonl).")
            if isinstance(record, dict) and "error" in record and "actors" not in record:
                continue
            if not isinstance(record, dict) or not all(k in record for k in ("id", "actors", "targets")):
                raise StanceError(f"{path}, line {number}: not a record of `stance annotate` (it needs id, targets "
                                  "and actors).")
            if not isinstance(record.get("text"), str):
                raise StanceError(f"{path}, line {number}: the record has no text; review needs the JSONL of "
                                  "`stance annotate`, which keeps it (`stance tag --format json` does not).")
            records.append(record)
    return records


def _wanted(name: str, targets: Sequence[str]) -> bool:
    return not targets or name.casefold() in {t.split("=")[0].strip().casefold() for t in targets}


def confidence(record: dict, targets: Sequence[str] = ()) -> float | None:
    """The score of the document's least confident stance decided by the model (None if it has none).

    Stances set by the affiliation rule are left out: the rule, not the model, decided them.
    """
    scores = [stance["score"] for actor in record["actors"] for stance in actor.get("stances", [])
              if _wanted(stance["target"], targets) and stance.get("decided_by", "model") == "model"]
    return min(scores) if scores else None


def review_task(record: dict, targets: Sequence[str] = (), min_score: float = 0.0) -> dict | None:
    """One Label Studio task for one document record, the model's reading as its prediction.

    Only targets the document names (and, with ``targets``, only those) are asked about; a stance
    the model gives a score below ``min_score`` is not pre-annotated but left for the labeller.
    None when no such target is left.

    Example:
        >>> task = review_task(record, targets=["Alibaba"])   # doctest: +SKIP
        >>> task["predictions"][0]["result"][0]["value"]  # doctest: +SKIP
    """
    text = record["text"]
    target_rows = [t for t in record["targets"] if t.get("mentioned", True) and _wanted(t["name"], targets)]
    if not target_rows:
        return None
    names = [t["name"] for t in target_rows]
    actors, results, reading = [], [], []
    for number, actor in enumerate(record["actors"]):
        stances = {s["target"]: s for s in actor.get("stances", []) if s["target"] in names}
        spans = [tuple(s) for s in actor.get("spans") or find_mentions(text, [actor["name"], *actor.get("mentions", [])])]
        actors.append({
            "name": actor["name"], "type": actor["type"], "parent": actor.get("parent"),
            "mentions": list(actor.get("mentions", [])),
            "affiliated_with": [t for t in actor.get("affiliated_with", []) if t in names],
            "stances": {t: {"label": s["label"], "score": s["score"], "decided_by": s.get("decided_by", "model")}
                        for t, s in stances.items()},
        })
        by_model = {t: s for t, s in stances.items() if s.get("decided_by", "model") == "model"}
        shown = {t: s for t, s in stances.items() if t not in by_model or s["score"] >= min_score}
        for target, s in stances.items():
            how = f"{s['score']:.2f}" if target in by_model else "affiliation rule"
            rank = s["score"] if target in by_model else 2.0  # rule decisions after the model's
            reading.append((rank, f"{actor['name']} → {target}: {s['label']} ({how})"
                            + ("" if target in shown else " — not pre-annotated: decide it")))
        for index, (start, end) in enumerate(sorted(spans)):
            region = f"a{number}m{index}"
            where = {"start": start, "end": end}
            results.append(_result(region, ACTOR, "labels", {**where, "text": text[start:end], "labels": [actor["type"]]}))
            results.append(_result(region, NAME, "textarea", {**where, "text": [actor["name"]]}))
            if index == 0 and shown:
                choices = _result(region, STANCE, "choices", {
                    **where, "choices": [stance_choice(t, s["label"]) for t, s in shown.items()]})
                scores = [s["score"] for t, s in shown.items() if t in by_model]
                results.append({**choices, "score": min(scores)} if scores else choices)
            if index == 0 and actors[-1]["affiliated_with"]:
                results.append(_result(region, AFFILIATED, "choices", {**where, "choices": actors[-1]["affiliated_with"]}))
    score = confidence(record, names)
    model = record.get("model") or {}
    header = (f"The model's reading ({model.get('name', 'stance')} {model.get('version', '')}), least confident first; "
              "correct the spans, names and stances below:")
    lines = [line for _, line in sorted(reading, key=lambda item: item[0])] or ["(no actors found)"]
    prediction = {"model_version": f"{model.get('name', 'stance')} {model.get('version', '')}".strip(), "result": results}
    if score is not None:
        prediction["score"] = score
    return {
        "data": {
            "id": record["id"], "title": f"{record['id']} — targets: {', '.join(names)}", "text": text,
            "model_reading": "\n".join([header, *lines]),
            "targets": [{"name": t["name"], "aliases": [m for m in t.get("mentions", []) if m != t["name"]]}
                        for t in target_rows],
            "stance_choices": [{"value": stance_choice(t, label)} for t in names for label in LABELS],
            "target_choices": [{"value": t} for t in names],
            "actors": actors, "confidence": score,
            "source": {"path": record.get("path"), "sha1": record.get("sha1"), "model": record.get("model")},
        },
        "predictions": [prediction],
    }


def _result(region: str, control: str, kind: str, value: dict) -> dict:
    return {"id": region, "from_name": control, "to_name": TEXT, "type": kind, "value": value}


def review_tasks(records: Iterable[dict], targets: Sequence[str] = (), min_score: float = 0.0,
                 limit: int | None = None, skipped: Counter | None = None) -> list[dict]:
    """Tasks for the documents, least confident first (documents without a model-decided stance
    last), at most ``limit``; ``skipped`` counts the documents left out, by reason."""
    tasks = []
    for record in records:
        task = review_task(record, targets, min_score)
        if task is None and skipped is not None:
            skipped["names none of the targets" if targets else "names no target"] += 1
        elif task is not None:
            tasks.append(task)
    tasks.sort(key=lambda t: (t["data"]["confidence"] is None, t["data"]["confidence"] or 0.0))
    if limit is not None and len(tasks) > limit:
        if skipped is not None:
            skipped[f"beyond --limit {limit} (more confident)"] += len(tasks) - limit
        tasks = tasks[:limit]
    return tasks


def write_tasks(tasks: list[dict], path: str | Path) -> None:
    """The tasks as one JSON array, the file Label Studio's import takes."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
