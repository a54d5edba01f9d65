"""Score the shipped model and the baselines on the corpus test split, the Wikinews dev and test
articles (as stance records, `stance corpus records`), bbc-dev and seesaw-valid.

    python scripts/03_evaluate.py [--model models/stance-minilm] [--eval-dir ../shared/eval] [--out FILE]

Prints the side-by-side table of the model card and writes every report as JSON. SEESAW has no
neutral class, so it is scored twice: deciding among all three labels (a neutral prediction is an
error), and deciding between support and oppose only (`stance evaluate --labels support,oppose`).
"test, target contrast" is the test split's records paired one actor for one target and against
another in one passage (`stance corpus contrast TEST --share 0.5 --seed 0`): it measures whether a
model ties each stance to the marked target rather than to the actor's tone.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from functools import cache
from pathlib import Path

from stance.articles import article_records, read_articles
from stance.corpus import read_records
from stance.evaluate import evaluate, majority_baseline, predict_records, score_table, tfidf_baseline
from stance.text.jsonl import write_jsonl
from stance.training.packing import contrast_records

parser = argparse.ArgumentParser()
parser.add_argument("--model", default="models/stance-minilm")
parser.add_argument("--corpus", default="corpora/platform-stance")
parser.add_argument("--eval-dir", default="../shared/eval")
parser.add_argument("--wikinews", default="corpora/wikinews-stance")
parser.add_argument("--wikinews-splits", nargs="*", default=["dev", "test"])
parser.add_argument("--baselines", action=argparse.BooleanOptionalAction, default=True)
parser.add_argument("--out", default="models/stance-minilm/scores.json")
parser.add_argument("--predictions-dir", default=None, help="write the model's predictions per view here (for calibration)")
args = parser.parse_args()

test = Path(args.corpus) / "test.jsonl"
scratch = tempfile.TemporaryDirectory()  # removed when the script exits
contrast = Path(scratch.name) / "test-contrast.jsonl"
write_jsonl(contrast_records(read_records(test), share=0.5, window_tokens=160, seed=0), contrast)
views = {"platform-stance test": (test, None), "test, target contrast": (contrast, None)}
wikinews = Path(args.wikinews) / "articles"
for split in args.wikinews_splits:
    if (wikinews / f"{split}.jsonl").is_file():
        path = Path(scratch.name) / f"wikinews-{split}.jsonl"
        write_jsonl(article_records(read_articles(wikinews / f"{split}.jsonl")), path)
        views[f"wikinews-{split}"] = (path, None)
for name in ("bbc-dev", "seesaw-valid"):
    path = Path(args.eval_dir) / f"{name}.jsonl"
    if path.is_file():
        views[name] = (path, None)
if "seesaw-valid" in views:
    views["seesaw-valid (support/oppose)"] = (views["seesaw-valid"][0], ["support", "oppose"])

train = read_records(Path(args.corpus) / "train.jsonl")
systems = {
    "majority class": majority_baseline(train),
    "TF-IDF + logistic regression": tfidf_baseline(train),
} if args.baselines else {}
systems[Path(args.model).name] = lambda records: predict_records(records, args.model, progress=False)


@cache
def outputs(system: str, path: Path) -> tuple:
    """Each system reads each file once; both SEESAW views score the same predictions."""
    return tuple(systems[system](read_records(path)))


def predictions_file(system: str, name: str) -> Path | None:
    if not args.predictions_dir or system != Path(args.model).name:
        return None
    Path(args.predictions_dir).mkdir(parents=True, exist_ok=True)
    return Path(args.predictions_dir) / f"{name.replace(' ', '_').replace('/', '-').replace(',', '')}.jsonl"


results = {
    system: {
        name: evaluate(path, predict=lambda _, s=system, p=path: list(outputs(s, p)), progress=False, labels=labels,
                       predictions=predictions_file(system, name))
        for name, (path, labels) in views.items()
    }
    for system in systems
}
print(score_table(results))
print("\nECE (15 bins, 3 labels, records whose actor was found):")
for system, reports in results.items():
    print(f"  {system}: " + ", ".join(f"{name} {report['calibration']['ece']:.3f}" for name, report in reports.items()
                                       if len(report["decided_among"]) == 3))
Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
print(f"\nreports written to {args.out}")
