"""Stance-record corpora: read, validate, count, split by event group, and turn into datasets."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .articles import validate_articles
from .errors import CorpusError, corpus_line
from .text.jsonl import numbered_lines
from .text.sentences import find_mentions
from .types import LABELS

SPLITS = ("train", "dev", "test")
REQUIRED = ("id", "text", "actor", "target", "stance")
PHENOMENA = (
    "passive_embedded", "negation", "reported_speech", "reversal", "two_targets",
    "affiliated", "pronoun", "alias_lastname", "tone_mismatch",
)
NGRAM = 8


def read_records(path: str | Path) -> list[dict]:
    """Read a stance-record JSONL file; a malformed line raises an error naming it."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"{path} does not exist. Expected a JSONL file of stance records.")
    records = []
    for number, record in numbered_lines(path):
        if isinstance(record, json.JSONDecodeError):
            raise corpus_line(path, number, f"not valid JSON ({record.msg})")
        problem = schema_problem(record)
        if problem:
            raise corpus_line(path, number, problem)
        records.append(record)
    return records


def schema_problem(record: object) -> str | None:
    if not isinstance(record, dict):
        return f"found a {type(record).__name__}, not an object"
    missing = [key for key in REQUIRED if not isinstance(record.get(key), str) or not record[key].strip()]
    if missing:
        return f"missing or empty {', '.join(missing)}"
    if record["stance"] not in LABELS:
        return f"stance is {record['stance']!r}, expected one of {', '.join(LABELS)}"
    for key in ("actor_aliases", "target_aliases"):
        if not isinstance(record.get(key, []), list):
            return f"{key} must be a list of strings"
    return None


def mentioned(text: str, names: Iterable[str]) -> bool:
    return bool(find_mentions(text, list(names)))


def record_problems(record: dict) -> list[str]:
    """Content checks beyond the schema: actor and target (or an alias) occur in the text."""
    problems = []
    meta = record.get("meta") or {}
    if not meta.get("pronoun_only") and not mentioned(record["text"], [record["actor"], *record.get("actor_aliases", [])]):
        problems.append("actor (or an alias) not in text; add the alias used or set meta.pronoun_only")
    if not mentioned(record["text"], [record["target"], *record.get("target_aliases", [])]):
        problems.append("target (or an alias) not in text; add the alias used")
    unknown = set(meta.get("phenomena", [])) - set(PHENOMENA)
    if unknown:
        problems.append(f"unknown phenomena {sorted(unknown)}; known: {', '.join(PHENOMENA)}")
    return problems


def ngrams(text: str, n: int = NGRAM) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def load_splits(folder: str | Path) -> dict[str, list[dict]]:
    folder = Path(folder)
    missing = [s for s in SPLITS if not (folder / f"{s}.jsonl").is_file()]
    if missing:
        lacking = ", ".join(m + ".jsonl" for m in missing)
        raise CorpusError(f"{folder} lacks {lacking}; a corpus folder holds train/dev/test.jsonl.")
    return {split: read_records(folder / f"{split}.jsonl") for split in SPLITS}


def validate(folder: str | Path) -> Report:
    """Schema, labels, mentions, duplicates within a split and near-duplicates across splits; a
    folder's ``articles/`` (whole-article gold split the same way) is validated too, and a folder
    may hold only that."""
    folder = Path(folder)
    report = Report()
    has_articles = all((folder / "articles" / f"{s}.jsonl").is_file() for s in SPLITS)
    if has_articles:
        report.problems += validate_articles(folder / "articles")
        if not any((folder / f"{s}.jsonl").exists() for s in SPLITS):
            return report
    splits = load_splits(folder)
    seen_ids: set[str] = set()
    for split, records in splits.items():
        keys = set()
        for record in records:
            where = f"{split}:{record['id']}"
            if record["id"] in seen_ids:
                report.problems.append(f"{where}: id used twice")
            seen_ids.add(record["id"])
            key = (record["text"], record["actor"], record["target"])
            if key in keys:
                report.problems.append(f"{where}: duplicate (text, actor, target) in {split}")
            keys.add(key)
            report.problems += [f"{where}: {p}" for p in record_problems(record)]
    report.problems += cross_split_overlaps(splits)
    return report


def cross_split_overlaps(splits: dict[str, list[dict]]) -> list[str]:
    """Texts in different splits that share an 8-word sequence (paraphrase leakage)."""
    owner: dict[tuple[str, ...], tuple[str, str]] = {}
    problems, reported = [], set()
    for split, records in splits.items():
        for record in records:
            for gram in ngrams(record["text"]):
                first = owner.setdefault(gram, (split, record["id"]))
                if first[0] != split and (first[1], record["id"]) not in reported:
                    reported.add((first[1], record["id"]))
                    problems.append(f"{split}:{record['id']} shares '{' '.join(gram)}' with {first[0]}:{first[1]}")
    return problems


def stats(folder: str | Path) -> dict:
    """The counts the data card quotes, per split and overall."""
    splits = load_splits(folder)
    table = {split: split_stats(records) for split, records in splits.items()}
    table["all"] = split_stats([r for records in splits.values() for r in records])
    train_targets = {r["target"] for r in splits["train"]}
    train_actors = {r["actor"] for r in splits["train"]}
    table["test"]["unseen_targets"] = len({r["target"] for r in splits["test"]} - train_targets)
    table["test"]["unseen_actors"] = len({r["actor"] for r in splits["test"]} - train_actors)
    return table


def split_stats(records: list[dict]) -> dict:
    n = len(records) or 1
    meta = [r.get("meta") or {} for r in records]
    phenomena = Counter(p for m in meta for p in m.get("phenomena", []))
    return {
        "records": len(records),
        "labels": {label: sum(r["stance"] == label for r in records) for label in LABELS},
        "label_share": {label: round(sum(r["stance"] == label for r in records) / n, 3) for label in LABELS},
        "multi_sentence_share": round(sum(m.get("shape") == "passage" for m in meta) / n, 3),
        "targets": len({r["target"] for r in records}),
        "actors": len({r["actor"] for r in records}),
        "actor_types": dict(Counter(r.get("actor_type", "?") for r in records)),
        "groups": len({m.get("group") for m in meta}),
        "fictional": sum(bool(m.get("fictional")) for m in meta),
        "augmented": sum(bool(m.get("augmented")) for m in meta),
        "phenomena": {p: phenomena.get(p, 0) for p in PHENOMENA},
    }


def split_by_group(
    records: list[dict], held_out_targets: Iterable[str], dev_share: float = 0.11, test_share: float = 0.09
) -> dict[str, list[dict]]:
    """Assign whole event groups to splits: held-out targets go to test, the rest by a stable hash."""
    held_out = set(held_out_targets)
    groups: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        groups[(record.get("meta") or {}).get("group") or record["id"]].append(record)
    splits: dict[str, list[dict]] = {split: [] for split in SPLITS}
    for group, members in sorted(groups.items()):
        if any(m["target"] in held_out or mentioned(m["text"], held_out) for m in members):
            splits["test"] += members
            continue
        bucket = int(hashlib.sha1(group.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        split = "test" if bucket < test_share else "dev" if bucket < test_share + dev_share else "train"
        splits[split] += members
    return splits


def format_stats(table: dict) -> str:
    """The stats table as the data card quotes it."""
    columns = [*SPLITS, "all"]
    rows = [
        ("records", lambda s: s["records"]),
        *[(f"{label} share", lambda s, label=label: f"{s['label_share'][label]:.1%}") for label in LABELS],
        ("multi-sentence share", lambda s: f"{s['multi_sentence_share']:.1%}"),
        ("targets", lambda s: s["targets"]),
        ("actors", lambda s: s["actors"]),
        ("PERSON actors (records)", lambda s: s["actor_types"].get("PERSON", 0)),
        ("event groups", lambda s: s["groups"]),
        ("fictional records", lambda s: s["fictional"]),
        ("augmented records", lambda s: s["augmented"]),
        *[(f"phenomenon: {p}", lambda s, p=p: s["phenomena"][p]) for p in PHENOMENA],
    ]
    lines = [f"| {'':<28} | " + " | ".join(f"{c:>7}" for c in columns) + " |", "|" + "---|" * (len(columns) + 1)]
    for name, get in rows:
        lines.append(f"| {name:<28} | " + " | ".join(f"{get(table[c])!s:>7}" for c in columns) + " |")
    test = table["test"]
    lines.append(f"\ntest targets never in train: {test['unseen_targets']}; test actors never in train: {test['unseen_actors']}")
    return "\n".join(lines)
