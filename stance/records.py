"""The JSON records of a tagged document, built here only, and finding a named actor among the pipeline's actors.

Two shapes: :func:`doc_record` (what `stance tag --format json` and `stance.tag` return: id, targets,
actors with their stances) and :func:`complete_record` (a line of `stance annotate`'s JSONL: the same
plus each actor's character spans, the document's path, sha1, model, meta and text).
"""

from __future__ import annotations

from spacy.tokens import Doc

from .text.actor_match import match_actor
from .types import LABELS


def doc_record(doc: Doc, doc_id: str | None = None) -> dict:
    """The canonical per-document record (what `stance tag --format json` and JSONL output hold)."""
    stances: dict[str, list[dict]] = {}
    for stance in doc._.stances or []:
        entry = stance.to_dict()
        del entry["actor"], entry["type"]
        stances.setdefault(stance.actor, []).append(entry)
    target_mentions: dict[str, list[str]] = {}
    for span in doc.spans.get("targets", []):
        target_mentions.setdefault(span.id_, []).append(span.text)
    return {
        "id": doc_id,
        "targets": [
            {"name": t.name, "mentioned": t.mentioned,
             "mentions": list(dict.fromkeys(target_mentions.get(t.name, [])))}
            for t in doc._.targets or []
        ],
        "actors": [
            {**actor.to_dict(), "stances": stances.get(actor.name, [])} for actor in doc._.actors or []
        ],
    }


def complete_record(doc: Doc, document, model: dict | None, include_text: bool = True) -> dict:
    """A line of `stance annotate`'s JSONL: :func:`doc_record` plus each actor's spans, the source
    document's path, sha1 and meta, the model's name and version, and (by default) the text."""
    record = doc_record(doc, document.id)
    spans: dict[str, list] = {}
    for span in doc.spans.get("actors", []):
        spans.setdefault(span.id_, []).append([span.start_char, span.end_char])
    for actor in record["actors"]:
        actor["spans"] = spans.get(actor["name"], [])
    record.update(path=document.path, sha1=document.sha1, model=model, meta=document.meta)
    if include_text:
        record["text"] = document.text
    return record


def find_actor_stance(doc: Doc, actor: str, target: str, aliases: list[str] | tuple[str, ...] = ()) -> dict:
    """The stance of ``actor`` toward ``target`` in a tagged doc; neutral (found=False) if absent."""
    found = match_actor(doc._.actors or [], actor, aliases)
    targets = {t.name for t in doc._.targets or []}
    for stance in doc._.stances or []:
        if found and stance.actor == found.name and (stance.target == target or len(targets) == 1):
            return {"label": stance.label, "score": stance.score, "scores": stance.scores, "found": True}
    neutral = {label: float(label == "neutral") for label in LABELS}
    return {"label": "neutral", "score": 1.0, "scores": neutral, "found": False}
