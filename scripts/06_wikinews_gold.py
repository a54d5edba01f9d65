"""Build corpora/wikinews-stance from the Wikinews source file and the labelling files.

    python scripts/06_wikinews_gold.py --source ../shared/data/wikinews/articles.jsonl

Reads ``annotation/labeller-a.jsonl`` and ``labeller-b.jsonl`` (the two independent labellings)
and ``annotation/final.jsonl`` (their agreements plus the adjudicator's decisions) from the corpus
folder; writes ``articles/{train,dev,test}.jsonl`` (split by a hash of the article id),
``skipped.jsonl`` (the articles with no sides, with the reason) and ``annotation/agreement.json``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import srsly

from stance.annotation import agreement, gold_article
from stance.articles import SPLITS, labelled_pairs, split_of

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--source", required=True, help="the Wikinews articles.jsonl")
parser.add_argument("--corpus", default="corpora/wikinews-stance")
args = parser.parse_args()

corpus = Path(args.corpus)
sources = {r["id"]: r for r in srsly.read_jsonl(args.source)}
lines = {name: {r["id"]: r for r in srsly.read_jsonl(corpus / "annotation" / f"{name}.jsonl")}
         for name in ("labeller-a", "labeller-b", "final")}

report = agreement(lines["labeller-a"], lines["labeller-b"])
splits: dict[str, list[dict]] = {s: [] for s in SPLITS}
skipped = []
for article_id, labels in sorted(lines["final"].items()):
    source = sources[article_id]
    if labels.get("skip"):
        skipped.append({"id": article_id, "title": source["title"], "url": source["url"], "reason": labels["skip"]})
    else:
        splits[split_of(article_id)].append(gold_article(source, labels))

(corpus / "articles").mkdir(parents=True, exist_ok=True)
for split, articles in splits.items():
    srsly.write_jsonl(corpus / "articles" / f"{split}.jsonl", articles)
srsly.write_jsonl(corpus / "skipped.jsonl", skipped)

counts = {}
for split, articles in splits.items():
    pairs = list(labelled_pairs(articles))
    by_source = Counter(a["id"].split("-")[0] for a in articles)
    counts[split] = {"articles": len(articles), "actors": sum(len(a["actors"]) for a in articles),
                     "pairs": len(pairs), "labels": dict(Counter(label for *_, label in pairs)),
                     "sources": dict(by_source)}
report["after_adjudication"] = counts
report["skipped"] = len(skipped)
report["not_labelled"] = sorted(set(sources) - set(lines["final"]))
(corpus / "annotation" / "agreement.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
print(json.dumps({k: v for k, v in report.items() if k != "not_labelled"}, indent=2))
