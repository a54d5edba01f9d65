"""Evaluate a stance model (or a baseline) on any stance-record file."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support
from tqdm import tqdm

from .api import load, make_doc
from .calibration import calibration_report, score_matrix
from .corpus import read_records
from .records import find_actor_stance
from .text.jsonl import jsonl_line
from .text.normalize import normalize_text
from .types import LABELS


def metrics(gold: list[str], predicted: list[str]) -> dict:
    """Accuracy, macro-F1 over the labels present in ``gold``, per-label P/R/F1, confusion matrix.

    Example:
        >>> m = metrics(["support", "oppose", "oppose"], ["support", "oppose", "neutral"])
        >>> round(m["macro_f1"], 3)
        0.833
    """
    present = [label for label in LABELS if label in set(gold)]
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=list(LABELS), zero_division=0
    )
    return {
        "n": len(gold),
        "accuracy": float(accuracy_score(gold, predicted)) if gold else 0.0,
        "macro_f1": float(f1_score(gold, predicted, labels=present, average="macro", zero_division=0)) if gold else 0.0,
        "labels_scored": present,
        "per_label": {
            label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for label, p, r, f, s in zip(LABELS, precision, recall, f1, support, strict=True)
        },
        "confusion": {"labels": list(LABELS), "matrix": confusion_matrix(gold, predicted, labels=list(LABELS)).tolist()},
    }


def by_phenomenon(records: list[dict], predicted: list[str]) -> dict[str, dict]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        for tag in (record.get("meta") or {}).get("phenomena", []):
            groups[tag].append(i)
    return {
        tag: {k: v for k, v in metrics([records[i]["stance"] for i in idx], [predicted[i] for i in idx]).items()
              if k in ("n", "accuracy", "macro_f1")}
        for tag, idx in sorted(groups.items())
    }


def predict_records(records: list[dict], model: str | Path | None = None, progress: bool = True) -> list[dict]:
    """Run the full pipeline on each record (actor and target found by the actor pipeline)."""
    nlp = load(model)
    by_document: dict[tuple, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        key = (normalize_text(record["text"]), record["target"], tuple(record.get("target_aliases", [])))
        by_document[key].append(i)
    results: list[dict | None] = [None] * len(records)
    bar = tqdm(total=len(records), unit="record", disable=not progress, desc="evaluate")
    for (text, target, aliases), indices in by_document.items():
        # one pass per (text, target); the records' actors are named with the document, as a user
        # of `stance.classify` names the actor they ask about
        actors = [{"name": records[i]["actor"], "aliases": records[i].get("actor_aliases", []),
                   "type": records[i].get("actor_type")} for i in indices]
        doc = nlp(make_doc(nlp, text, [{"name": target, "aliases": list(aliases)}], actors))
        for i in indices:
            record = records[i]
            results[i] = find_actor_stance(doc, record["actor"], target, record.get("actor_aliases", []))
            bar.update(1)
    bar.close()
    return results


def evaluate(
    data: str | Path,
    model: str | Path | None = None,
    predictions: str | Path | None = None,
    predict: Callable[[list[dict]], list[dict]] | None = None,
    progress: bool = True,
    labels: list[str] | None = None,
) -> dict:
    """Score a model on a stance-record file; optionally write each record with ``pred``/``scores``.

    Example:
        >>> report = evaluate("corpora/platform-stance/test.jsonl")  # doctest: +SKIP
        >>> round(report["macro_f1"], 2)  # doctest: +SKIP
        0.87
    """
    if labels and not set(labels) <= set(LABELS):
        raise ValueError(f"labels (`--labels`) takes some of {', '.join(LABELS)}; found {', '.join(labels)}.")
    records = read_records(data)
    outputs = predict(records) if predict else predict_records(records, model, progress)
    # the model's confidence, on the records whose actor it found (a missing actor is a fixed neutral)
    found = [(r, o) for r, o in zip(records, outputs, strict=True) if o.get("found", True)]
    calibration = calibration_report(score_matrix([o for _, o in found]), [r["stance"] for r, _ in found])
    if labels:
        outputs = [restrict(output, labels) for output in outputs]
    predicted = [o["label"] for o in outputs]
    report = metrics([r["stance"] for r in records], predicted)
    missing = [r for r, o in zip(records, outputs, strict=True) if not o.get("found", True)]
    report["actor_not_found"] = len(missing)
    report["actors_not_found"] = [{"id": r.get("id"), "actor": r["actor"]} for r in missing]
    report["by_phenomenon"] = by_phenomenon(records, predicted)
    report["calibration"] = calibration
    report["data"] = str(data)
    report["decided_among"] = labels or list(LABELS)
    if predictions:
        Path(predictions).parent.mkdir(parents=True, exist_ok=True)
        with open(predictions, "w", encoding="utf-8") as out:
            for record, output in zip(records, outputs, strict=True):
                row = {**record, "pred": output["label"], "scores": output["scores"], "found": output.get("found", True)}
                out.write(jsonl_line(row))
    return report


def restrict(output: dict, labels: list[str]) -> dict:
    """The most probable of ``labels``; an actor that was not found stays neutral (an error), and a
    label already among ``labels`` stays (the affiliation rule's support is not the model's argmax)."""
    if not output.get("found", True) or output["label"] in labels:
        return output
    best = max(labels, key=lambda label: output["scores"].get(label, 0.0))
    return {**output, "label": best}


def majority_baseline(train: list[dict]) -> Callable[[list[dict]], list[dict]]:
    label = Counter(r["stance"] for r in train).most_common(1)[0][0]
    return lambda records: [{"label": label, "scores": {x: float(x == label) for x in LABELS}} for _ in records]


def tfidf_baseline(train: list[dict]) -> Callable[[list[dict]], list[dict]]:
    """TF-IDF over "actor | target | text" + logistic regression, trained on ``train``."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    def as_text(record: dict) -> str:
        return f"{record['actor']} | {record['target']} | {record['text']}"

    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        LogisticRegression(max_iter=2000, class_weight="balanced"),
    )
    model.fit([as_text(r) for r in train], [r["stance"] for r in train])

    def predict(records: list[dict]) -> list[dict]:
        probabilities = model.predict_proba([as_text(r) for r in records])
        classes = list(model.classes_)
        return [
            {"label": classes[int(p.argmax())], "scores": {c: float(v) for c, v in zip(classes, p, strict=True)}}
            for p in probabilities
        ]

    return predict


def format_report(report: dict) -> str:
    lines = [
        f"data: {report['data']}  records: {report['n']}  actor not found: {report['actor_not_found']}",
        f"accuracy {report['accuracy']:.3f}   macro-F1 {report['macro_f1']:.3f} (over {', '.join(report['labels_scored'])})"
        + (f"   deciding among {', '.join(report['decided_among'])} only" if len(report["decided_among"]) < len(LABELS) else ""),
        "",
        f"{'label':<10}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}",
    ]
    for label, row in report["per_label"].items():
        lines.append(f"{label:<10}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>10.3f}{row['support']:>10}")
    labels = report["confusion"]["labels"]
    lines += ["", "confusion (rows gold, columns predicted)", " " * 10 + "".join(f"{x:>10}" for x in labels)]
    for label, row in zip(labels, report["confusion"]["matrix"], strict=True):
        lines.append(f"{label:<10}" + "".join(f"{v:>10}" for v in row))
    if missing := report.get("actors_not_found"):
        listed = "; ".join(f"{m['id']}: {m['actor']}" for m in missing[:10])
        more = f"; … {len(missing) - 10} more (--format json lists all)" if len(missing) > 10 else ""
        lines += ["", "actors not found in their text (predicted neutral); give the names the text uses in",
                  f"the record's actor_aliases: {listed}{more}"]
    if cal := report.get("calibration"):
        lines += ["", f"calibration (3 labels, {cal['n']} records): ECE {cal['ece']:.3f}; wrong labels scored "
                      f"≥ 0.9: {cal['wrong_at_0.9']}, ≥ 0.99: {cal['wrong_at_0.99']} (of {cal['wrong']} wrong)"]
    if report.get("by_phenomenon"):
        lines += ["", f"{'phenomenon':<18}{'n':>6}{'accuracy':>10}{'macro-F1':>10}"]
        for tag, row in report["by_phenomenon"].items():
            lines.append(f"{tag:<18}{row['n']:>6}{row['accuracy']:>10.3f}{row['macro_f1']:>10.3f}")
    return "\n".join(lines)


def score_table(results: dict[str, dict[str, dict]]) -> str:
    """Markdown table: one row per system, macro-F1 and accuracy per dataset (side by side)."""
    datasets = list(next(iter(results.values())))
    header = "| system | " + " | ".join(f"{d} macro-F1 | {d} acc." for d in datasets) + " |"
    lines = [header, "|---" * (1 + 2 * len(datasets)) + "|"]
    for system, reports in results.items():
        cells = " | ".join(f"{reports[d]['macro_f1']:.3f} | {reports[d]['accuracy']:.3f}" for d in datasets)
        lines.append(f"| {system} | {cells} |")
    return "\n".join(lines)
