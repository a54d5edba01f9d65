"""The JSON record of a tagged document, and finding a named actor among the pipeline's actors."""

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


def find_actor_stance(doc: Doc, actor: str, target: str, aliases: list[str] | tuple[str, ...] = ()) -> dict:
    """The stance of ``actor`` toward ``target`` in a tagged doc; neutral (found=False) if absent."""
    found = match_actor(doc._.actors or [], actor, aliases)
    targets = {t.name for t in doc._.targets or []}
    for stance in doc._.stances or []:
        if found and stance.actor == found.name and (stance.target == target or len(targets) == 1):
            return {"label": stance.label, "score": stance.score, "scores": stance.scores, "found": True}
    neutral = {label: float(label == "neutral") for label in LABELS}
    return {"label": "neutral", "score": 1.0, "scores": neutral, "found": False}
