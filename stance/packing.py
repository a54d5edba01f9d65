"""Packed training windows: several stance records about one target read as one window.

The corpus records are short (median ~60 tokens, one actor each), but an article window is up to
``window_tokens`` long and holds several actors, often on opposite sides. A model trained on single
records learns that the whole window carries one stance and lets a strong cue about one party
leak onto every actor beside it (the sample article's LVMH, a bystander, came out support).
Packing records into one window, each actor keeping its own record's label, teaches the head to
read its actor's part: see the model card for what it changed.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

from .pipeline.contexts import CHARS_PER_TOKEN, find_mentions

PARAGRAPH = "\n\n"


def actor_names(record: dict) -> list[str]:
    return [record["actor"], *record.get("actor_aliases", [])]


def pack_records(records: Sequence[dict], share: float, window_tokens: int, rng: random.Random, most: int = 4) -> list[dict]:
    """Packs of 2 to ``most`` records about the same target, drawn from a ``share`` of ``records``,
    each pack short enough to be read as one window.

    A pack is ``{"text", "target", "target_aliases", "actors": [{"names", "stance"}]}``. Records are
    packed only when their actor is named in their own text and in no other text of the pack (each
    actor is pooled from its own record only), one record per corpus group (groups share text).
    """
    budget = window_tokens * CHARS_PER_TOKEN
    usable = [r for r in records if find_mentions(r["text"], actor_names(r))]
    by_target: dict[str, list[dict]] = defaultdict(list)
    for record in rng.sample(usable, round(share * len(usable))):
        by_target[record["target"]].append(record)
    packs: list[list[dict]] = []
    for group in by_target.values():
        current: list[dict] = []
        size = wanted = 0
        for record in group:
            if current:
                if size + len(PARAGRAPH) + len(record["text"]) <= budget and _compatible(record, current):
                    current.append(record)
                    size += len(PARAGRAPH) + len(record["text"])
                    if len(current) == wanted:
                        packs.append(current)
                        current = []
                    continue
                packs.append(current)  # full: this record starts the next pack
            current, size, wanted = [record], len(record["text"]), rng.randint(2, most)
        packs.append(current)
    return [_join(pack) for pack in packs if len(pack) > 1]


def _compatible(record: dict, pack: list[dict]) -> bool:
    group = record.get("meta", {}).get("group")
    for other in pack:
        if group is not None and other.get("meta", {}).get("group") == group:
            return False
        if find_mentions(other["text"], actor_names(record)) or find_mentions(record["text"], actor_names(other)):
            return False
    return True


def _join(pack: list[dict]) -> dict:
    return {
        "text": PARAGRAPH.join(r["text"] for r in pack),
        "target": pack[0]["target"],
        "target_aliases": sorted({alias for r in pack for alias in r.get("target_aliases", [])}),
        "actors": [{"names": actor_names(r), "stance": r["stance"]} for r in pack],
    }
