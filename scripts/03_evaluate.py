"""Score the shipped model and the baselines on the corpus test split, bbc-dev and seesaw-valid.

    python scripts/03_evaluate.py [--model models/stance-minilm] [--eval-dir ../shared/eval] [--out FILE]

Prints the side-by-side table of the model card and writes every report as JSON.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from stance.corpus import read_records
from stance.evaluate import evaluate, majority_baseline, score_table, tfidf_baseline

parser = argparse.ArgumentParser()
parser.add_argument("--model", default="models/stance-minilm")
parser.add_argument("--corpus", default="corpora/platform-stance")
parser.add_argument("--eval-dir", default="../shared/eval")
parser.add_argument("--out", default="models/stance-minilm/scores.json")
args = parser.parse_args()

datasets = {"platform-stance test": Path(args.corpus) / "test.jsonl"}
for name in ("bbc-dev", "seesaw-valid"):
    if (Path(args.eval_dir) / f"{name}.jsonl").is_file():
        datasets[name] = Path(args.eval_dir) / f"{name}.jsonl"
train = read_records(Path(args.corpus) / "train.jsonl")
systems = {
    "majority class": majority_baseline(train),
    "TF-IDF + logistic regression": tfidf_baseline(train),
    "stance-minilm": None,
}
results = {
    system: {name: evaluate(path, args.model, predict=predict, progress=False) for name, path in datasets.items()}
    for system, predict in systems.items()
}
print(score_table(results))
Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
print(f"\nreports written to {args.out}")
