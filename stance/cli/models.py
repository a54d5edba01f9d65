"""Commands on models: train, average, evaluate, calibrate, and the end-to-end scores on gold articles."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..api import load
from ..articles import read_articles
from ..calibration import calibration_report, fit_temperature, raw_scores, read_predictions
from ..corpus import read_records
from ..model.network import ModelSettings, write_temperature
from ..scoring import score_actors, score_triples
from ..training.average import average_models
from ..training.config import TrainConfig, train_keys_help
from .app import FormatOpt, KBOpt, ModelOpt, app
from .common import exits_on_bad_input, fail


@app.command(epilog=train_keys_help())
@exits_on_bad_input
def train(
    config: Path = typer.Option(None, "--config", "-c", help="Training config: a JSON object of the keys listed below."),
    overrides: list[str] = typer.Option(None, "--set", metavar="KEY=VALUE", help="Set one key over the config; a JSON value "
                                        "(3, 1e-5, true, [\"a.jsonl\"]) or plain text. Repeatable."),
    output_dir: str = typer.Option(None, "--output-dir", help="Where to write the model folder (sets output_dir)."),
    show_config: bool = typer.Option(False, "--show-config", help="Print the resolved config as JSON and exit."),
) -> None:
    """Fine-tune a stance model (Hugging Face Trainer, early stopping on dev macro-F1).

    Every setting is a key of the training config (TrainConfig): give a file with --config and change
    keys with --set, e.g. `stance train --config scripts/stance-minilm.json --set epochs=2 --output-dir models/mine`.
    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    # transformers and datasets load here, not for every command
    from ..training.trainer import train as run

    if not config and not overrides:
        fail("pass --config FILE (e.g. scripts/stance-minilm.json) or the keys train_file, dev_file and output_dir "
             "with --set; `stance train --help` lists every key.")
    cfg = TrainConfig.load(config, [*(overrides or []), *([f"output_dir={output_dir}"] if output_dir else [])])
    if show_config:
        typer.echo(json.dumps(cfg.to_dict(), indent=2))
        return
    typer.echo(f"model written to {run(cfg)}")


@app.command()
@exits_on_bad_input
def average(
    models: list[Path] = typer.Argument(..., help="Two or more model folders from `stance train` (same settings)."),
    output_dir: Path = typer.Option(..., help="Where to write the averaged model folder."),
    force: bool = typer.Option(False, help="Replace OUTPUT_DIR if it exists."),
) -> None:
    """Average the weights of models trained with different seeds into one model (a model soup).

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    folder = average_models(models, output_dir, force=force)
    typer.echo(f"average of {len(models)} models written to {folder}")


@app.command()
@exits_on_bad_input
def evaluate(
    data: Path = typer.Argument(..., metavar="DATA", help="Stance-record JSONL to score."),
    model: Path = ModelOpt,
    predictions: Path = typer.Option(None, help="Write each record with pred and scores here."),
    baseline: str = typer.Option(None, help="Score a baseline instead: majority or tfidf (needs --train-data)."),
    train_data: Path = typer.Option(None, help="Training records for --baseline."),
    labels: list[str] = typer.Option(
        None, metavar="LABEL", help="Decide among these labels only, e.g. --labels support --labels oppose (or "
        "support,oppose) for data without neutral (SEESAW). Repeatable."
    ),
    fmt: str = FormatOpt,
) -> None:
    """Accuracy, macro-F1, per-label scores and the confusion matrix of a model on DATA.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    # scikit-learn loads here, not for every command
    from ..evaluate import evaluate as evaluate_records
    from ..evaluate import format_report, majority_baseline, tfidf_baseline

    predict = None
    if baseline:
        if baseline not in ("majority", "tfidf") or not train_data:
            fail("--baseline takes majority or tfidf, and needs --train-data")
        train_records = read_records(train_data)
        predict = (majority_baseline if baseline == "majority" else tfidf_baseline)(train_records)
    allowed = [name.strip() for label in labels for name in label.split(",") if name.strip()] if labels else None
    report = evaluate_records(data, model, predictions, predict=predict, progress=fmt == "table", labels=allowed)
    typer.echo(json.dumps(report, indent=2) if fmt == "json" else format_report(report))


@app.command()
@exits_on_bad_input
def calibrate(
    model: Path = typer.Option(..., help="Model folder whose stance_config.json receives the temperature."),
    data: Path = typer.Option(None, help="Dev stance records (JSONL) to fit on, e.g. from `stance corpus records`."),
    predictions: Path = typer.Option(None, help="Or: `stance evaluate --predictions` output of this model on dev records."),
    measure: list[Path] = typer.Option(None, metavar="FILE", help="Predictions of this model on other records: "
                                       "ECE before and after is printed for each. Repeatable."),
) -> None:
    """Fit the temperature of a model's scores on dev records and store it in the model folder.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    from ..evaluate import predict_records  # scikit-learn loads here, not for every command

    if (data is None) == (predictions is None):
        fail("pass --data (dev records) or --predictions (this model's predictions on them), not both.")
    current = ModelSettings.read(model).temperature if (model / "stance_config.json").is_file() else 1.0
    if predictions:
        gold, scores = read_predictions(predictions)
    else:
        records = read_records(data)
        outputs = predict_records(records, model)
        found = [(r["stance"], o) for r, o in zip(records, outputs, strict=True) if o.get("found", True)]
        gold, scores = [g for g, _ in found], [o["scores"] for _, o in found]
    measured = {str(path): read_predictions(path) for path in measure or []}
    raw = raw_scores(scores, current)  # the model's scores before the temperature it already has
    temperature = fit_temperature(raw, gold)
    rows = [("dev", raw, gold)] + [(name, raw_scores(s, current), g) for name, (g, s) in measured.items()]
    for name, matrix, labels in rows:
        before, after = calibration_report(matrix, labels), calibration_report(matrix, labels, temperature)
        typer.echo(f"{name}: ECE {before['ece']:.3f} -> {after['ece']:.3f}; wrong at >= 0.9: {before['wrong_at_0.9']} -> "
                   f"{after['wrong_at_0.9']}, at >= 0.99: {before['wrong_at_0.99']} -> {after['wrong_at_0.99']} "
                   f"(of {after['wrong']} wrong, {after['n']} records)")
    write_temperature(model, temperature)
    typer.echo(f"temperature {temperature:.4f} written to {model / 'stance_config.json'}")


@app.command("actors-score")
@exits_on_bad_input
def actors_score(
    gold: Path = typer.Argument(Path("corpora/platform-stance/articles"), help="Gold articles (JSONL folder)."),
    kb: list[Path] = KBOpt,
    show_errors: bool = typer.Option(False, help="List missed and spurious actors."),
) -> None:
    """Precision and recall of actor extraction (after alias resolution) on gold articles.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    result = score_actors(read_articles(gold), load(stances=False, kb=kb))
    typer.echo(f"articles {result['articles']}  gold actors {result['gold']}  predicted {result['predicted']}")
    typer.echo(f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  f1 {result['f1']:.3f}")
    if show_errors:
        typer.echo("missed:\n  " + "\n  ".join(result["missed"]))
        typer.echo("spurious:\n  " + "\n  ".join(result["spurious"]))


@app.command("doc-score")
@exits_on_bad_input
def doc_score(
    gold: Path = typer.Argument(Path("corpora/platform-stance/articles"), help="Gold articles (JSONL folder)."),
    model: Path = ModelOpt,
    fmt: str = FormatOpt,
) -> None:
    """Precision, recall and F1 of (actor, target, stance) triples on gold articles.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    result = score_triples(read_articles(gold), load(model))
    if fmt == "json":
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(f"articles {result['articles']}  gold triples {result['gold']}  predicted {result['predicted']}")
    typer.echo(f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  f1 {result['f1']:.3f}")
    for label, row in result["by_label"].items():
        typer.echo(f"  {label:<8} P {row['precision']:.3f}  R {row['recall']:.3f}  F1 {row['f1']:.3f}")
