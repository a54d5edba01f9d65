"""From labellers' lines to gold articles, and how far two labellers agree.

A labeller's line names an article of a source file by ``id`` and gives its targets and actors in
the gold-article format, except that ``evidence`` is the deciding sentence as text (copied from the
article) rather than a character span; ``skip`` gives the reason when no named actor takes a side.
"""

from __future__ import annotations

from collections import Counter

from sklearn.metrics import cohen_kappa_score

from .types import LABELS

SOURCE_FIELDS = ("id", "title", "date", "url", "licence", "source_repo", "source_commit", "source_path")


def gold_article(source: dict, labels: dict) -> dict:
    """The gold article: the source text unchanged with its provenance, and the labels, each
    evidence sentence turned into a ``[start, end]`` span of the text."""
    text = source["text"]
    actors = []
    for actor in labels["actors"]:
        evidence = {}
        for target, sentence in (actor.get("evidence") or {}).items():
            start = text.find(sentence) if sentence else -1
            if start >= 0 and target in actor["stances"]:
                evidence[target] = [start, start + len(sentence)]
        actors.append({
            "name": actor["name"], "type": actor["type"],
            "mentions": list(dict.fromkeys([actor["name"], *actor["mentions"]] if actor["name"] in text
                                           else actor["mentions"])),
            "parent": actor.get("parent"), "affiliated_with": actor.get("affiliated_with"),
            "stances": dict(actor["stances"]), "evidence": evidence,
        })
    return {**{k: source.get(k) for k in SOURCE_FIELDS}, "text": text,
            "targets": [{"name": t["name"], "aliases": list(t.get("aliases", []))} for t in labels["targets"]],
            "actors": actors}


def _forms(item: dict, key: str) -> set[str]:
    return {item["name"], *item.get(key, [])}


def _match(first: list[dict], second: list[dict], key: str) -> dict[int, int]:
    """Greedy one-to-one match of items that share a surface form."""
    pairs: dict[int, int] = {}
    for i, x in enumerate(first):
        for j, y in enumerate(second):
            if j not in pairs.values() and _forms(x, key) & _forms(y, key):
                pairs[i] = j
                break
    return pairs


def agreement(first: dict[str, dict], second: dict[str, dict]) -> dict:
    """Agreement of two labellers over the articles both labelled (``id`` → line).

    Reports: agreement on skipping; actor-list F1 (actors matched by a shared surface form) over the
    articles both labelled; target agreement; and, on the actor–target pairs both labelled (same
    actor, same target), Cohen's κ on stance and the confusion (rows: first, columns: second).
    """
    both = sorted(set(first) & set(second))
    skip = Counter((bool(first[i].get("skip")), bool(second[i].get("skip"))) for i in both)
    matched = listed_first = listed_second = 0
    targets_same = targets_compared = 0
    gold_a: list[str] = []
    gold_b: list[str] = []
    for article_id in both:
        a, b = first[article_id], second[article_id]
        if a.get("skip") or b.get("skip"):
            continue
        target_pairs = _match(a["targets"], b["targets"], "aliases")
        targets_compared += 1
        targets_same += len(target_pairs) == len(a["targets"]) == len(b["targets"])
        b_to_a = {b["targets"][j]["name"]: a["targets"][i]["name"] for i, j in target_pairs.items()}
        actor_pairs = _match(a["actors"], b["actors"], "mentions")
        matched += len(actor_pairs)
        listed_first += len(a["actors"])
        listed_second += len(b["actors"])
        for i, j in actor_pairs.items():
            stances_b = {b_to_a.get(t, t): label for t, label in b["actors"][j].get("stances", {}).items()}
            for target, label in a["actors"][i].get("stances", {}).items():
                if target in stances_b:
                    gold_a.append(label)
                    gold_b.append(stances_b[target])
    precision = matched / listed_second if listed_second else 0.0
    recall = matched / listed_first if listed_first else 0.0
    confusion = Counter(zip(gold_a, gold_b, strict=True))
    return {
        "articles": len(both),
        "skipped_by_both": skip[(True, True)], "skipped_by_one": skip[(True, False)] + skip[(False, True)],
        "actor_list_f1": round(2 * precision * recall / (precision + recall), 4) if matched else 0.0,
        "actors_first": listed_first, "actors_second": listed_second, "actors_matched": matched,
        "same_targets": targets_same, "articles_compared": targets_compared,
        "pairs_both": len(gold_a),
        "stance_agreement": round(sum(x == y for x, y in zip(gold_a, gold_b, strict=True)) / len(gold_a), 4) if gold_a else 0.0,
        "kappa": round(float(cohen_kappa_score(gold_a, gold_b, labels=list(LABELS))), 4) if gold_a else 0.0,
        "confusion": {"labels": list(LABELS),
                      "matrix": [[confusion[(x, y)] for y in LABELS] for x in LABELS]},
    }
