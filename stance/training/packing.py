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

from ..text.sentences import CHARS_PER_TOKEN, find_mentions
from .names import replace_names

PARAGRAPH = "\n\n"


def actor_names(record: dict) -> list[str]:
    return [record["actor"], *record.get("actor_aliases", [])]


def target_names(record: dict) -> list[str]:
    return [record["target"], *record.get("target_aliases", [])]


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


def contrast_pairs(records: Sequence[dict], share: float, window_tokens: int, rng: random.Random,
                   tries: int = 50) -> list[dict]:
    """Target-contrast packs: one actor for one target and against another, in one window.

    For a ``share`` of ``records`` a partner record is drawn (other target, other stance, same actor
    type, neither text naming the other's actor or target); the partner's actor is renamed to the
    first record's actor and both texts are joined. The window is returned twice, once per target,
    the actor labelled by that target's record. In real news one actor often takes sides toward
    several targets in one article (a senator backs the president and attacks his opponents); a
    model that has only seen one target per text learns the actor's tone, not its stance toward the
    marked target. Packs are in :func:`pack_records`' format, with one actor each, plus its
    ``actor_type`` and ``sources``: the two records' ids.
    """
    budget = window_tokens * CHARS_PER_TOKEN
    usable = [r for r in records if find_mentions(r["text"], actor_names(r))]
    used: set[int] = set()
    packs: list[dict] = []
    for first in rng.sample(usable, round(share * len(usable))):
        if id(first) in used:
            continue
        for second in rng.sample(usable, min(tries, len(usable))):
            if id(second) in used or not _contrasting(first, second, budget):
                continue
            renamed, names = _renamed_actor(second, first)
            if not find_mentions(renamed, names):
                continue
            used.update((id(first), id(second)))
            texts = [first["text"], renamed]
            rng.shuffle(texts)
            text = PARAGRAPH.join(texts)
            for record in (first, second):
                packs.append({"text": text, "target": record["target"],
                              "target_aliases": list(record.get("target_aliases", [])),
                              "actors": [{"names": names, "stance": record["stance"]}],
                              "actor_type": first.get("actor_type", "ORG"),
                              "sources": [first.get("id"), second.get("id")]})
            break
    return packs


def _contrasting(first: dict, second: dict, budget: int) -> bool:
    group = first.get("meta", {}).get("group")
    return (
        second["stance"] != first["stance"]
        and second.get("actor_type", "ORG") == first.get("actor_type", "ORG")
        and (group is None or second.get("meta", {}).get("group") != group)
        and len(first["text"]) + len(PARAGRAPH) + len(second["text"]) <= budget
        and not {n.lower() for n in target_names(first)} & {n.lower() for n in target_names(second)}
        and not find_mentions(first["text"], [*target_names(second), *actor_names(second)])
        and not find_mentions(second["text"], [*target_names(first), *actor_names(first)])
    )


def _renamed_actor(record: dict, to: dict) -> tuple[str, list[str]]:
    """``record``'s text with its actor renamed to ``to``'s actor (its short names to ``to``'s last
    name or first alias), and the names that now name that actor."""
    names = actor_names(to)
    if len(names) > 1:
        short = names[1]
    elif to.get("actor_type") == "PERSON":
        short = to["actor"].split()[-1]
    else:
        short = to["actor"]
    replacements = {record["actor"]: to["actor"], **{alias: short for alias in record.get("actor_aliases", [])}}
    return replace_names(record["text"], replacements), names if short in names else [*names, short]


def contrast_records(records: Sequence[dict], share: float, window_tokens: int, seed: int = 0) -> list[dict]:
    """:func:`contrast_pairs` as stance records, to measure how well a model keeps each stance
    tied to the marked target (``stance corpus contrast``); each record's ``meta.sources`` names
    the two records it was made from."""
    records_out = []
    for number, pack in enumerate(contrast_pairs(records, share, window_tokens, random.Random(seed))):
        [actor] = pack["actors"]
        records_out.append({
            "id": f"contrast-{number // 2:04d}-{number % 2 + 1}",
            "text": pack["text"],
            "actor": actor["names"][0],
            "actor_type": pack["actor_type"],
            "actor_aliases": actor["names"][1:],
            "target": pack["target"],
            "target_aliases": pack["target_aliases"],
            "stance": actor["stance"],
            "meta": {"group": f"contrast-{number // 2:04d}", "shape": "passage", "phenomena": ["two_targets"],
                     "sources": pack["sources"]},
        })
    return records_out
