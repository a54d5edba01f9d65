"""Commands on models: train, average, evaluate, calibrate, and the end-to-end scores on gold articles."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from .app import KBOpt, ModelOpt, app
from .common import fail


@app.command()
def train(
    config: Path = typer.Option(None, help="TrainConfig as JSON; flags below override it."),
    train_file: str = typer.Option(None, help="Training stance records (JSONL)."),
    dev_file: str = typer.Option(None, help="Dev stance records for early stopping (JSONL)."),
    output_dir: str = typer.Option(None, help="Where to write the model folder."),
    base_model: str = typer.Option(None, help="Local HF encoder folder (default: all-MiniLM-L6-v2)."),
    epochs: float = typer.Option(None, help="Maximum training epochs (default 4)."),
    batch_size: int = typer.Option(None, help="Windows per training step (default 16)."),
    learning_rate: float = typer.Option(None, help="Peak learning rate, linear decay (default 5e-5)."),
    seed: int = typer.Option(None, help="Random seed (default 13)."),
    sentences_per_actor: int = typer.Option(None, help="Sentences read per actor in long texts (0 = all)."),
    encoder_layers: int = typer.Option(None, help="Keep only the first N encoder layers (0 = all)."),
    extra_train_file: list[str] = typer.Option(None, metavar="FILE", help="More training stance records (JSONL), e.g. from "
                                               "`stance corpus newsmtsc`. Repeatable."),
    article_file: list[str] = typer.Option(None, metavar="FILE", help="Whole-article gold (JSONL) to train on, every actor "
                                           "labelled per target, e.g. corpora/wikinews-stance/articles/train.jsonl. Repeatable."),
    article_repeat: int = typer.Option(None, help="Times the article windows are read per epoch (default 1)."),
    record_share: float = typer.Option(None, help="Share of the stance records drawn for this run (0-1; default 1)."),
    dev_articles_file: str = typer.Option(None, help="Whole-article gold (JSONL) for early stopping instead of --dev-file."),
    init_model: str = typer.Option(None, help="A stance model folder to continue training from."),
    sentiment_file: str = typer.Option(None, help="NewsMTSC train.jsonl: target sentiment as an auxiliary task."),
    sentiment_examples: int = typer.Option(None, help="Sentiment examples drawn from it (default 3000; 0 = all)."),
    pack_share: float = typer.Option(None, help="Share of records also packed several to a window (0-1; default 0)."),
    contrast_share: float = typer.Option(None, help="Share of records also paired with another target's record, "
                                         "one actor taking both sides (0-1; default 0)."),
    template: str = typer.Option(None, help="Input template (default stance.target_marker.v1; "
                                 "stance.actor_marker.v1 marks the actor too, one encoder pass per actor)."),
    checkpoint_dir: str = typer.Option(None, help="Where Trainer checkpoints go (default .cache/train)."),
) -> None:
    """Fine-tune a stance model (Hugging Face Trainer, early stopping on dev macro-F1).

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    from ..training.config import TrainConfig
    from ..training.trainer import train as run

    flags = dict(train_file=train_file, extra_train_files=extra_train_file or None, dev_file=dev_file,
                 output_dir=output_dir, base_model=base_model, epochs=epochs, batch_size=batch_size,
                 learning_rate=learning_rate, seed=seed,
                 sentences_per_actor=sentences_per_actor, encoder_layers=encoder_layers, checkpoint_dir=checkpoint_dir,
                 sentiment_file=sentiment_file, sentiment_examples=sentiment_examples, pack_share=pack_share,
                 contrast_share=contrast_share, template=template, article_files=article_file or None,
                 article_repeat=article_repeat, record_share=record_share, dev_articles_file=dev_articles_file,
                 init_model=init_model)
    try:
        if config:
            cfg = TrainConfig.from_json(config, **flags)
        else:
            missing = [k for k in ("train_file", "dev_file", "output_dir") if not flags[k]]
            if missing:
                fail(f"pass --config or all of {', '.join('--' + m.replace('_', '-') for m in missing)}")
            cfg = TrainConfig(**{k: v for k, v in flags.items() if v is not None})
    except (ValueError, TypeError) as error:
        fail(str(error))
    typer.echo(f"model written to {run(cfg)}")


@app.command()
def average(
    models: list[Path] = typer.Argument(..., help="Two or more model folders from `stance train` (same settings)."),
    output_dir: Path = typer.Option(..., help="Where to write the averaged model folder."),
    force: bool = typer.Option(False, help="Replace OUTPUT_DIR if it exists."),
) -> None:
    """Average the weights of models trained with different seeds into one model (a model soup).

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    from ..training.average import average_models

    try:
        folder = average_models(models, output_dir, force=force)
    except ValueError as error:
        fail(str(error))
    typer.echo(f"average of {len(models)} models written to {folder}")


@app.command()
def evaluate(
    data: Path = typer.Option(..., help="Stance-record JSONL to score."),
    model: Path = ModelOpt,
    predictions: Path = typer.Option(None, help="Write each record with pred and scores here."),
    baseline: str = typer.Option(None, help="Score a baseline instead: majority or tfidf (needs --train-data)."),
    train_data: Path = typer.Option(None, help="Training records for --baseline."),
    labels: str = typer.Option(
        None, help="Decide among these labels only, e.g. support,oppose for data without neutral (SEESAW)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Accuracy, macro-F1, per-label scores and the confusion matrix of a model on DATA.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    from ..corpus import read_records
    from ..evaluate import evaluate as run
    from ..evaluate import format_report, majority_baseline, tfidf_baseline

    try:
        predict = None
        if baseline:
            if baseline not in ("majority", "tfidf") or not train_data:
                fail("--baseline takes majority or tfidf, and needs --train-data")
            train_records = read_records(train_data)
            predict = (majority_baseline if baseline == "majority" else tfidf_baseline)(train_records)
        allowed = [label.strip() for label in labels.split(",")] if labels else None
        report = run(data, model, predictions, predict=predict, progress=not as_json, labels=allowed)
    except ValueError as error:
        fail(str(error))
    typer.echo(json.dumps(report, indent=2) if as_json else format_report(report))


@app.command()
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
    from ..calibration import calibration_report, fit_temperature, raw_scores, read_predictions
    from ..corpus import read_records
    from ..evaluate import predict_records
    from ..model.network import ModelSettings, write_temperature

    if (data is None) == (predictions is None):
        fail("pass --data (dev records) or --predictions (this model's predictions on them), not both.")
    try:
        current = ModelSettings.read(model).temperature if (model / "stance_config.json").is_file() else 1.0
        if predictions:
            gold, scores = read_predictions(predictions)
        else:
            records = read_records(data)
            outputs = predict_records(records, model)
            found = [(r["stance"], o) for r, o in zip(records, outputs, strict=True) if o.get("found", True)]
            gold, scores = [g for g, _ in found], [o["scores"] for _, o in found]
        measured = {str(path): read_predictions(path) for path in measure or []}
    except (ValueError, OSError) as error:
        fail(str(error))
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
def actors_score(
    gold: Path = typer.Argument(Path("corpora/platform-stance/articles"), help="Gold articles (JSONL folder)."),
    kb: list[Path] = KBOpt,
    show_errors: bool = typer.Option(False, help="List missed and spurious actors."),
) -> None:
    """Precision and recall of actor extraction (after alias resolution) on gold articles.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    from ..api import load
    from ..articles import read_articles
    from ..scoring import score_actors

    try:
        result = score_actors(read_articles(gold), load(stances=False, kb=kb))
    except ValueError as error:
        fail(str(error))
    typer.echo(f"articles {result['articles']}  gold actors {result['gold']}  predicted {result['predicted']}")
    typer.echo(f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  f1 {result['f1']:.3f}")
    if show_errors:
        typer.echo("missed:\n  " + "\n  ".join(result["missed"]))
        typer.echo("spurious:\n  " + "\n  ".join(result["spurious"]))


@app.command("doc-score")
def doc_score(
    gold: Path = typer.Argument(Path("corpora/platform-stance/articles"), help="Gold articles (JSONL folder)."),
    model: Path = ModelOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Precision, recall and F1 of (actor, target, stance) triples on gold articles.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    from ..api import load
    from ..articles import read_articles
    from ..scoring import score_triples

    try:
        result = score_triples(read_articles(gold), load(model))
    except ValueError as error:
        fail(str(error))
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(f"articles {result['articles']}  gold triples {result['gold']}  predicted {result['predicted']}")
    typer.echo(f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  f1 {result['f1']:.3f}")
    for label, row in result["by_label"].items():
        typer.echo(f"  {label:<8} P {row['precision']:.3f}  R {row['recall']:.3f}  F1 {row['f1']:.3f}")
