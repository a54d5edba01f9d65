"""Whole-article gold: read, validate, split, and turn into stance records or training windows.

A gold article (``corpora/*/articles/*.jsonl``, one JSON object per line) holds the article text,
its targets (``name`` and the ``aliases`` the text uses) and EVERY organisation and person in it::

    {"id": ..., "text": ..., "targets": [{"name": "Boeing", "aliases": ["The Boeing Company"]}],
     "actors": [{"name": "Airbus", "type": "ORG", "mentions": ["Airbus"], "parent": "EADS",
                 "affiliated_with": null, "stances": {"Boeing": "oppose"},
                 "evidence": {"Boeing": [1204, 1297]}}]}

``evidence`` (optional; the Wikinews gold has it) gives, per target, the character span of the
sentence that decides the label. A target may also be an actor, with stances toward the others.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from .errors import CorpusError
from .text.jsonl import numbered_lines
from .text.sentences import find_mentions, split_sentences
from .types import LABELS

SPLITS = ("train", "dev", "test")
ACTOR_TYPES = ("ORG", "PERSON")
PASSAGE_CHARS = 1200  # a converted record's passage grows up to about this size to name both parties


def read_articles(path: str | Path) -> list[dict]:
    """Gold articles from a JSONL file or every ``*.jsonl`` of a folder (sorted by name)."""
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise CorpusError(f"No gold articles at {path}: expected a JSONL file or a folder of JSONL files "
                          "(one article per line).")
    articles = []
    for file in files:
        for number, article in numbered_lines(file):
            if isinstance(article, json.JSONDecodeError):
                raise CorpusError(f"{file}, line {number}: not valid JSON ({article.msg}).")
            if not isinstance(article, dict) or not all(k in article for k in ("id", "text", "targets", "actors")):
                raise CorpusError(f"{file}, line {number}: a gold article needs id, text, targets and actors.")
            articles.append(article)
    return articles


def split_of(article_id: str, dev: float = 0.2, test: float = 0.2) -> str:
    """The article's split, stable under adding or removing other articles (a hash of its id)."""
    bucket = int(hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if bucket < test else "dev" if bucket < test + dev else "train"


def article_problems(article: dict) -> list[str]:
    """What is wrong with one gold article (empty when it is valid)."""
    problems = []
    text = article["text"]
    targets = [t.get("name") for t in article["targets"]]
    if not targets:
        problems.append("no targets")
    for target in article["targets"]:
        if not find_mentions(text, [target.get("name", ""), *target.get("aliases", [])]):
            problems.append(f"target {target.get('name')!r}: neither its name nor an alias occurs in the text")
    names = set()
    for actor in article["actors"]:
        name = actor.get("name")
        where = f"actor {name!r}"
        if name in names:
            problems.append(f"{where} listed twice")
        names.add(name)
        if actor.get("type") not in ACTOR_TYPES:
            problems.append(f"{where}: type {actor.get('type')!r}, expected ORG or PERSON")
        missing = [m for m in actor.get("mentions", []) if m not in text]
        if not actor.get("mentions") or missing:
            problems.append(f"{where}: mentions {missing or '[]'} not in the text; list the forms the text uses")
        expected = sorted(t for t in targets if t != name)
        if sorted(actor.get("stances", {})) != expected:
            problems.append(f"{where}: needs one stance toward each of {expected}, found {sorted(actor.get('stances', {}))}")
        for target, label in actor.get("stances", {}).items():
            if label not in LABELS:
                problems.append(f"{where}: stance {label!r} toward {target!r}, expected one of {', '.join(LABELS)}")
        for target, span in (actor.get("evidence") or {}).items():
            if not (isinstance(span, list) and len(span) == 2 and 0 <= span[0] < span[1] <= len(text)):
                problems.append(f"{where}: evidence toward {target!r} must be [start, end] inside the text")
        affiliated = actor.get("affiliated_with")
        if affiliated is not None and affiliated not in targets:
            problems.append(f"{where}: affiliated_with {affiliated!r} is not a target")
    return problems


def validate_articles(folder: str | Path) -> list[str]:
    """Problems of a folder of split article files (``train/dev/test.jsonl``): each article's own,
    and an id or a text in more than one place."""
    folder = Path(folder)
    missing = [s for s in SPLITS if not (folder / f"{s}.jsonl").is_file()]
    if missing:
        raise CorpusError(f"{folder} lacks {', '.join(m + '.jsonl' for m in missing)}; "
                          "an articles folder holds train/dev/test.jsonl.")
    problems, seen_ids, seen_texts = [], {}, {}
    for split in SPLITS:
        for article in read_articles(folder / f"{split}.jsonl"):
            where = f"articles/{split}:{article['id']}"
            if article["id"] in seen_ids:
                problems.append(f"{where}: id also in {seen_ids[article['id']]}")
            if article["text"] in seen_texts:
                problems.append(f"{where}: same text as {seen_texts[article['text']]}")
            seen_ids[article["id"]] = seen_texts[article["text"]] = f"articles/{split}"
            problems += [f"{where}: {p}" for p in article_problems(article)]
    return problems


def labelled_pairs(articles: Iterable[dict]) -> Iterable[tuple[dict, dict, dict, str]]:
    """(article, actor, target, label) for every labelled actor–target pair."""
    for article in articles:
        by_name = {t["name"]: t for t in article["targets"]}
        for actor in article["actors"]:
            for target_name, label in actor.get("stances", {}).items():
                yield article, actor, by_name[target_name], label


def article_records(articles: Iterable[dict]) -> list[dict]:
    """One stance record per labelled actor–target pair: the passage that carries the stance.

    The passage is the evidence sentence (or the actor's first mention) widened sentence by
    sentence until it names both the actor and the target, up to about ``PASSAGE_CHARS``; where it
    cannot name the actor, the record is marked ``pronoun_only``.
    """
    records = []
    for article, actor, target, label in labelled_pairs(articles):
        text = article["text"]
        actor_forms = [actor["name"], *actor.get("mentions", [])]
        target_forms = [target["name"], *target.get("aliases", [])]
        start, end = _passage(text, actor_forms, target_forms, (actor.get("evidence") or {}).get(target["name"]))
        passage = text[start:end]
        record = {
            "id": f"{article['id']}::{actor['name']}::{target['name']}",
            "text": passage,
            "actor": actor["name"],
            "target": target["name"],
            "stance": label,
            "actor_type": actor.get("type", "ORG"),
            "actor_aliases": _present([m for m in actor.get("mentions", []) if m != actor["name"]], passage),
            "target_aliases": _present(target.get("aliases", []), passage),
            "meta": {"group": article["id"], "source": article.get("url"), "fictional": False,
                     "affiliated": actor.get("affiliated_with") == target["name"], "shape": "passage",
                     **({"pronoun_only": True} if not find_mentions(passage, actor_forms) else {})},
        }
        records.append(record)
    return records


def _present(names: list[str], text: str) -> list[str]:
    return [n for n in dict.fromkeys(names) if find_mentions(text, [n])]


def _passage(text: str, actor_forms: list[str], target_forms: list[str], evidence) -> tuple[int, int]:
    sentences = split_sentences(text)
    if evidence:
        seed = next((i for i, (s, e) in enumerate(sentences) if s < evidence[1] and e > evidence[0]), 0)
    else:
        first = find_mentions(text, actor_forms)
        seed = next((i for i, (s, e) in enumerate(sentences) if first and s <= first[0][0] < e), 0)
    lo = hi = seed

    def names_both(a: int, b: int) -> bool:
        piece = text[sentences[a][0]:sentences[b][1]]
        return bool(find_mentions(piece, actor_forms)) and bool(find_mentions(piece, target_forms))

    while not names_both(lo, hi) and sentences[hi][1] - sentences[lo][0] < PASSAGE_CHARS:
        if lo == 0 and hi == len(sentences) - 1:
            break
        # widen toward the side that names the missing party sooner
        lo, hi = (lo - 1, hi) if lo > 0 and (hi == len(sentences) - 1 or (seed - lo) <= (hi - seed)) else (lo, hi + 1)
    return sentences[lo][0], sentences[hi][1]


def article_packs(articles: Iterable[dict]) -> list[dict]:
    """Training packs (the format of :func:`stance.packing.pack_records`): one per article and
    target, every actor of the article labelled toward that target, read as at inference."""
    packs = []
    for article in articles:
        for target in article["targets"]:
            actors = [
                {"names": [a["name"], *[m for m in a.get("mentions", []) if m != a["name"]]],
                 "stance": a["stances"][target["name"]]}
                for a in article["actors"] if target["name"] in a.get("stances", {})
            ]
            if actors:
                packs.append({"text": article["text"], "target": target["name"],
                              "target_aliases": list(target.get("aliases", [])), "actors": actors})
    return packs
