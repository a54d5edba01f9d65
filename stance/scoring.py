"""End-to-end scores on gold articles: actor extraction, and (actor, target, stance) triples.

A gold article (``corpora/platform-stance/articles/*.jsonl``) lists its targets with aliases and
EVERY actor with all its surface forms and a stance toward each target.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tqdm import tqdm

from .api import make_doc


@dataclass
class PRF:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "true_positives": self.true_positives, "predicted": self.predicted, "gold": self.gold}


def align_actors(predicted: list, gold: list[dict]) -> dict[int, int]:
    """Predicted actor index → gold actor index; each gold actor is matched at most once.

    A predicted actor matches a gold actor when its name or any of its mentions is one of the gold
    actor's surface forms. A second predicted actor for the same gold actor (an alias that was not
    resolved) stays unmatched and counts against precision.
    """
    matches: dict[int, int] = {}
    for p, actor in enumerate(predicted):
        forms = _forms([actor.name, *actor.mentions])
        for g, gold_actor in enumerate(gold):
            if g not in matches.values() and forms & _forms([gold_actor["name"], *gold_actor.get("mentions", [])]):
                matches[p] = g
                break
    return matches


def _forms(names: list[str]) -> set[str]:
    """Surface forms, with a leading "The" made optional ("The Lantern" = "Lantern")."""
    return {name.removeprefix("The ").removeprefix("the ") for name in names}


def _tagged(articles: list[dict], nlp, progress: bool) -> Iterator[tuple[dict, object]]:
    for article in tqdm(articles, unit="article", disable=not progress):
        yield article, nlp(make_doc(nlp, article["text"], article["targets"]))


def score_actors(articles: list[dict], nlp, progress: bool = True) -> dict:
    """Precision and recall of actors after alias resolution, over all articles."""
    total, misses, extras = PRF(), [], []
    for article, doc in _tagged(articles, nlp, progress):
        # a target listed as an actor (its stance toward another target) is found as a target
        targets = {t["name"] for t in article["targets"]}
        predicted, gold = doc._.actors, [a for a in article["actors"] if a["name"] not in targets]
        matches = align_actors(predicted, gold)
        total.true_positives += len(matches)
        total.predicted += len(predicted)
        total.gold += len(gold)
        misses += [f"{article['id']}: {g['name']}" for i, g in enumerate(gold) if i not in matches.values()]
        extras += [f"{article['id']}: {a.name}" for i, a in enumerate(predicted) if i not in matches]
    return {"articles": len(articles), **total.to_dict(), "missed": misses, "spurious": extras}


def score_triples(articles: list[dict], nlp, progress: bool = True) -> dict:
    """Precision, recall and F1 of (actor, target, stance) triples after alias resolution."""
    total, by_label = PRF(), {}
    for article, doc in _tagged(articles, nlp, progress):
        gold_actors = article["actors"]
        matches = align_actors(doc._.actors, gold_actors)
        names = {a.name: i for i, a in enumerate(doc._.actors)}
        gold = {(g, target, label) for g, actor in enumerate(gold_actors) for target, label in actor["stances"].items()}
        canonical = {t.name: t for t in doc._.targets}
        predicted = set()
        for stance in doc._.stances:
            g = matches.get(names[stance.actor], -1 - names[stance.actor])
            predicted.add((g, _gold_target_name(stance.target, article, canonical), stance.label))
        total.true_positives += len(gold & predicted)
        total.predicted += len(predicted)
        total.gold += len(gold)
        for label in ("support", "oppose", "neutral"):
            row = by_label.setdefault(label, PRF())
            row.true_positives += len({t for t in gold & predicted if t[2] == label})
            row.predicted += len({t for t in predicted if t[2] == label})
            row.gold += len({t for t in gold if t[2] == label})
    return {"articles": len(articles), **total.to_dict(), "by_label": {k: v.to_dict() for k, v in by_label.items()}}


def _gold_target_name(name: str, article: dict, canonical: dict) -> str:
    """Map the pipeline's (possibly KB-canonical) target name back to the article's target name."""
    for target in article["targets"]:
        if name == target["name"] or name in target.get("aliases", []):
            return target["name"]
        if name in canonical and target["name"] in canonical[name].aliases:
            return target["name"]
    return name
