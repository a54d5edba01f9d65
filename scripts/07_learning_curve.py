"""The learning curve of the shipped recipe: how far more real training records carry the model.

Each point trains `scripts/stance-minilm-wikinews.json` (the written model continued on real news)
with a share of the real data — the Wikinews train articles and the NewsMTSC pairs, the same nested
subsets for every share (a quarter is inside the half) — then scores it with `scripts/03_evaluate.py`.
Share 0 is the written model itself, untouched: the model before any real record.

    python scripts/07_learning_curve.py --shares 0 0.25 0.5 1 --seeds 7 --last-seeds 13 \\
        [--reuse 1:7=models/stance-minilm] [--eval-dir ../shared/eval] [--work-dir .cache/curve]

Needs `.cache/newsmtsc-records.jsonl` and `.cache/models/stance-minilm-written`, as
`scripts/02_train_default_model.sh` makes them, and matplotlib (`pip install -e '.[plots]'`).
A point whose `scores.json` exists is not run again, nor trained again once its model is written, so
the script resumes after a stop.
`--reuse SHARE:SEED=MODEL` scores an existing model for that point instead of training it (it must
have been trained by this recipe on all of that share: the shipped model is share 1, seed 7).
Writes `WORK/curve.json`, prints the table and draws `models/stance-minilm/learning-curve.png`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

from stance.articles import article_records, read_articles
from stance.corpus import read_records
from stance.text.jsonl import write_jsonl
from stance.training.config import TrainConfig
from stance.training.trainer import training_records

# the views of scripts/03_evaluate.py drawn as lines, with their labels on the plot
VIEWS = {
    "platform-stance test": "corpus test (written)",
    "wikinews-dev": "wikinews-dev",
    "wikinews-test": "wikinews-test",
    "bbc-dev": "bbc-dev",
    "seesaw-valid": "seesaw-valid (3 labels)",
    "seesaw-valid (support/oppose)": "seesaw-valid (support/oppose)",
}


def nested_subset(items: list[dict], key, share: float, weight=lambda item: 1, seed: int = 0) -> list[dict]:
    """The groups of ``items`` (by ``key``) that hold ``share`` of their total ``weight``, in file order.

    Every share takes a prefix of one shuffled group list, so a smaller share is inside a larger one."""
    groups: dict[str, float] = {}
    for item in items:
        groups[key(item)] = groups.get(key(item), 0) + weight(item)
    order = sorted(groups)
    random.Random(seed).shuffle(order)
    kept, total = set(), 0.0
    for group in order:
        if total >= share * sum(groups.values()):
            break
        kept.add(group)
        total += groups[group]
    return [item for item in items if key(item) in kept]


def point_config(base: Path, share: float, seed: int, folder: Path, newsmtsc: Path) -> Path:
    """Write the data subsets and the training config of one point into ``folder``."""
    cfg = json.loads(base.read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    # articles are weighed by their labelled pairs, so a quarter of the articles is a quarter of the labels
    articles = nested_subset(read_articles(cfg["article_files"][0]), lambda a: a["id"], share,
                             weight=lambda a: len(article_records([a])))
    pairs = nested_subset(read_records(newsmtsc), lambda r: r["meta"]["group"], share)
    write_jsonl(articles, folder / "wikinews-train.jsonl")
    write_jsonl(pairs, folder / "newsmtsc.jsonl")
    cfg.update(article_files=[str(folder / "wikinews-train.jsonl")], extra_train_files=[str(folder / "newsmtsc.jsonl")],
               seed=seed, output_dir=str(folder / "model"), checkpoint_dir=str(folder / "checkpoints"))
    path = folder / "train_config.json"
    path.write_text(json.dumps(cfg, indent=2) + "\n", encoding="utf-8")
    return path


def real_record_count(config: Path) -> dict:
    """The real records one epoch of this point reads: every labelled Wikinews pair (whole articles are
    not sampled) and the NewsMTSC pairs that ``record_share`` drew."""
    cfg = TrainConfig.from_json(config)
    newsmtsc_ids = {r["id"] for path in cfg.extra_train_files for r in read_records(path)}
    wikinews = len(article_records(a for path in cfg.article_files for a in read_articles(path)))
    newsmtsc = sum(r["id"] in newsmtsc_ids for r in training_records(cfg))
    return {"wikinews": wikinews, "newsmtsc": newsmtsc, "real": wikinews + newsmtsc}


def run(command: list[str], log: Path) -> None:
    print("$", " ".join(command), flush=True)
    with log.open("a", encoding="utf-8") as out:
        subprocess.run(command, check=True, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "HF_HUB_OFFLINE": "1"})


def scores_of(path: Path) -> dict:
    reports = json.loads(path.read_text(encoding="utf-8"))
    model_reports = reports[next(name for name in reports if name not in {"majority class", "TF-IDF + logistic regression"})]
    return {view: round(model_reports[view]["macro_f1"], 4) for view in VIEWS if view in model_reports}


def draw(points: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(9.5, 4.5))
    main_seed = points[0]["seed"]
    for view, label in VIEWS.items():
        line = sorted((p["records"]["real"], p["scores"][view]) for p in points if p["seed"] == main_seed and view in p["scores"])
        if not line:
            continue
        (drawn,) = axes.plot(*zip(*line, strict=True), marker="o", label=label)
        others = [(p["records"]["real"], p["scores"][view]) for p in points if p["seed"] != main_seed and view in p["scores"]]
        if others:
            axes.scatter(*zip(*others, strict=True), marker="x", color=drawn.get_color())
    axes.set_xlabel("real training records per epoch (Wikinews pairs + NewsMTSC pairs)")
    axes.set_ylabel("macro-F1")
    axes.set_title(f"stance-minilm learning curve (lines: seed {main_seed}; x: other seeds)")
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))  # beside the plot: the last points stay visible
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def table(points: list[dict]) -> str:
    head = "| share | seed | real records | " + " | ".join(VIEWS.values()) + " |"
    rows = [head, "|" + "---:|" * (3 + len(VIEWS))]
    for p in sorted(points, key=lambda p: (p["share"], p["seed"])):
        cells = [f"{p['scores'][view]:.3f}" if view in p["scores"] else "–" for view in VIEWS]
        rows.append(f"| {p['share']:g} | {p['seed']} | {p['records']['real']:,} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shares", type=float, nargs="+", default=[0, 0.25, 0.5, 1])
    parser.add_argument("--seeds", type=int, nargs="+", default=[7], help="seeds of every point")
    parser.add_argument("--last-seeds", type=int, nargs="*", default=[13], help="more seeds at the largest share")
    parser.add_argument("--reuse", nargs="*", default=[], metavar="SHARE:SEED=MODEL")
    parser.add_argument("--config", type=Path, default=Path("scripts/stance-minilm-wikinews.json"))
    parser.add_argument("--newsmtsc-records", type=Path, default=Path(".cache/newsmtsc-records.jsonl"))
    parser.add_argument("--eval-dir", default="../shared/eval")
    parser.add_argument("--work-dir", type=Path, default=Path(".cache/curve"))
    parser.add_argument("--plot", type=Path, default=Path("models/stance-minilm/learning-curve.png"))
    args = parser.parse_args()

    reused = {}
    for item in args.reuse:
        point, _, model = item.partition("=")
        share, _, seed = point.partition(":")
        reused[(float(share), int(seed))] = Path(model)
    wanted = [(share, seed) for share in args.shares for seed in args.seeds]
    wanted += [(max(args.shares), seed) for seed in args.last_seeds if seed not in args.seeds]
    base_model = Path(json.loads(args.config.read_text(encoding="utf-8"))["init_model"])

    points = []
    for share, seed in wanted:
        folder = args.work_dir / f"share-{share:g}-seed-{seed}"
        config = point_config(args.config, share, seed, folder, args.newsmtsc_records)
        scores, log = folder / "scores.json", folder / "log.txt"
        if not scores.is_file():
            model = base_model if share == 0 else reused.get((share, seed), folder / "model")
            if share and (share, seed) not in reused and not (folder / "model" / "head.safetensors").is_file():
                shutil.rmtree(folder / "checkpoints", ignore_errors=True)
                run([sys.executable, "-m", "stance", "train", "--config", str(config)], log)
            if (model / "scores.json").is_file() and (share, seed) in reused:  # scored by 03_evaluate when shipped
                shutil.copy(model / "scores.json", scores)
            else:
                run([sys.executable, "scripts/03_evaluate.py", "--model", str(model), "--no-baselines", "--eval-dir",
                     args.eval_dir, "--out", str(scores)], log)
        counts = real_record_count(config) if share else {"wikinews": 0, "newsmtsc": 0, "real": 0}
        points.append({"share": share, "seed": seed, "records": counts, "scores": scores_of(scores)})
        print(table(points[-1:]).splitlines()[-1], flush=True)

    (args.work_dir / "curve.json").write_text(json.dumps(points, indent=2) + "\n", encoding="utf-8")
    print(table(points))
    draw(points, args.plot)
    print(f"\ncurve drawn to {args.plot}; points in {args.work_dir / 'curve.json'}")


if __name__ == "__main__":
    main()
