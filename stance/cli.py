"""The command line: a thin typer app over the package's functions.

Exit codes: 0 success; 1 some documents failed (annotate) or a check failed (corpus validate);
2 bad usage or input (a clear message says what to fix).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import NoReturn

import typer

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

EXIT_CODES = "Exit codes: 0 done; 2 bad usage or input (the message says what to fix)."
app = typer.Typer(help="Who supports or opposes a platform in the news.", no_args_is_help=True, add_completion=False)
corpus_app = typer.Typer(help="Validate, count, split, pair and convert stance corpora.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")

TargetOpt = typer.Option(None, "--target", "-t", metavar="NAME",
                         help="Target platform; 'Name=Alias|Alias' adds aliases. Repeatable.")
KBOpt = typer.Option(None, "--kb", metavar="FILE", help="Extra knowledge-base JSONL merged over the built-in one. Repeatable.")
ModelOpt = typer.Option(None, "--model", help="Model folder from `stance train`; default: the shipped model.")


def _print_version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"stance {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Who supports or opposes a platform in the news."""


def fail(message: str, code: int = 2) -> NoReturn:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def write_records_and_count(records: list[dict], out: Path) -> None:
    """Write stance records and say how many of each label went to ``out``."""
    from collections import Counter

    from .corpus import write_jsonl

    out.parent.mkdir(parents=True, exist_ok=True)
    write_jsonl(records, out)
    labels = Counter(r["stance"] for r in records)
    typer.echo(f"{len(records)} records written to {out} ({', '.join(f'{k} {v}' for k, v in sorted(labels.items()))})")


def _stances_available(model: Path | None) -> bool:
    from .api import default_model_path

    return model is not None or default_model_path() is not None


@app.command()
def tag(
    file: str = typer.Argument(..., metavar="FILE", help="A text, HTML, JSONL or CSV file, or - for standard input."),
    target: list[str] = TargetOpt,
    kb: list[Path] = KBOpt,
    model: Path = ModelOpt,
    fmt: str = typer.Option("table", "--format", "-f", help="table or json"),
) -> None:
    """Tag one article: its actors, the targets, and each actor's stance.

    The file is read as `stance annotate` reads it (.txt, .md, .html, or every row of .jsonl/.csv).
    Exit codes: 0 done; 2 bad usage or unreadable input (the message says what to fix).
    """
    from .api import load
    from .io import Document, Fields, read_bytes, read_path
    from .records import doc_record

    if fmt not in ("table", "json"):
        fail(f"--format must be table or json, not {fmt!r}")
    path = Path(file)
    if file == "-":
        items = list(read_bytes(sys.stdin.buffer.read(), "standard input", ".txt", "-", Fields()))
    elif not path.is_file():
        fail(f"cannot read {file}: not a file. Pass a text, HTML, JSONL or CSV file (or - for standard input).")
    else:
        items = list(read_path(path, path.parent))
    problems = [item for item in items if not isinstance(item, Document)]
    if problems:
        fail("; ".join(f"{p.path}: {p.reason}" for p in problems))
    try:
        nlp = load(model, targets=target, kb=kb, stances=_stances_available(model))
    except ValueError as error:
        fail(str(error))
    for document in items:
        if note := document.meta.get("encoding_warning"):
            typer.secho(f"warning: {document.path}: {note}", fg=typer.colors.YELLOW, err=True)
        record = doc_record(nlp(document.text), None if file == "-" else document.id)
        if fmt == "json":
            typer.echo(json.dumps(record, ensure_ascii=False))
        else:
            typer.echo(("" if len(items) == 1 else f"== {document.id}\n") + format_record(record))


def format_record(record: dict) -> str:
    targets = ", ".join(t["name"] for t in record["targets"]) or "(none found)"
    lines = [f"targets: {targets}", "", f"{'actor':<32}{'type':<8}{'target':<16}{'stance':<9}{'score':>6}  note"]
    for actor in record["actors"]:
        note = "affiliated" if actor["affiliated"] else (f"parent: {actor['parent']}" if actor["parent"] else "")
        for stance in actor["stances"] or [{"target": "-", "label": "-", "score": float("nan")}]:
            score, why = f"{stance['score']:>6.2f}", note
            if stance.get("decided_by") == "affiliation":
                # the label comes from the affiliation rule, so the model's own probability for it
                # (often near 0 for an executive's plain statements) would read as "no support"
                model_label, p = max(stance["scores"].items(), key=lambda item: item[1])
                score, why = f"{'rule':>6}", f"{note} (the model alone: {model_label} {p:.2f})"
            row = f"{actor['name'][:31]:<32}{actor['type']:<8}{stance['target'][:15]:<16}{stance['label']:<9}{score}  {why}"
            lines.append(row.rstrip())
    return "\n".join(lines)


@app.command()
def annotate(
    paths: list[Path] = typer.Argument(..., help="Files and folders (.txt .md .html .jsonl .csv)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output file; its suffix (.jsonl, .csv, .html) gives the format."),
    fmt: str = typer.Option(None, "--format", "-f", help="jsonl (canonical), csv or html; default: from --out's suffix."),
    target: list[str] = TargetOpt,
    kb: list[Path] = KBOpt,
    model: Path = ModelOpt,
    workers: int = typer.Option(1, help="Worker processes, each loading the pipeline once."),
    batch_size: int = typer.Option(8, help="Documents per nlp.pipe batch."),
    text_field: str = typer.Option("text", help="Text column/field of .jsonl and .csv inputs."),
    id_field: str = typer.Option("id", help="Id column/field of .jsonl and .csv inputs."),
    target_field: str = typer.Option(None, help="Column/field of .jsonl and .csv inputs naming each document's own "
                                     "targets (a list, or names separated by |), added to --target."),
    date_field: str = typer.Option("date", help="Date column/field of .jsonl and .csv inputs (kept as meta.date, ISO 8601)."),
    resume: bool = typer.Option(False, help="Skip documents already in the output (same id and content)."),
    force: bool = typer.Option(False, help="Overwrite an existing output."),
    quiet: bool = typer.Option(False, help="No progress bar."),
    scheduler: str = typer.Option(None, help="Run on a Dask cluster: tcp://HOST:PORT, or local:N; --out is then a folder."),
    shard_size: int = typer.Option(64, help="Documents per shard on a cluster."),
) -> None:
    """Annotate folders of articles.

    Exit codes: 0 every document annotated; 1 some documents failed (listed, and in OUT.errors.jsonl);
    2 bad usage or input (the message says what to fix).
    """
    from .annotate import AnnotateOptions
    from .annotate import annotate as run

    try:
        options = AnnotateOptions(
            targets=list(target or []), kb=[str(k) for k in kb or []], model=str(model) if model else None,
            batch_size=batch_size, workers=workers, text_field=text_field, id_field=id_field,
            target_field=target_field, date_field=date_field,
        )
    except ValueError as error:
        fail(str(error).replace("batch_size", "--batch-size").replace("workers", "--workers"))
    if shard_size < 1:
        fail(f"--shard-size must be at least 1, found {shard_size}.")
    if scheduler:
        annotate_cluster(paths, out, scheduler, options, shard_size, resume, force, quiet)
        return
    try:
        summary = run(paths, out, fmt, options, resume=resume, force=force, progress=not quiet)
    except (ValueError, FileExistsError) as error:
        fail(str(error))
    for warning in summary.warnings:
        typer.secho(f"warning: {warning}", fg=typer.colors.YELLOW, err=True)
    typer.echo(f"annotated {summary.annotated}, skipped (already done) {summary.skipped}, failed {summary.failed}")
    typer.echo(f"output: {out}")
    if summary.failed:
        typer.echo(f"errors: {summary.errors_path}")
        for error in summary.errors:
            typer.echo(f"  {error['path']}: {error['error']}")
        raise typer.Exit(1)


def annotate_cluster(paths, out, scheduler, options, shard_size, resume, force, quiet) -> None:
    from .distributed import annotate_on_cluster

    try:
        summary = annotate_on_cluster(paths, out, scheduler, options, shard_size, resume=resume, force=force, progress=not quiet)
    except (ValueError, FileExistsError, OSError) as error:
        fail(str(error))
    typer.echo(f"shards {summary.shards} (skipped, already done: {summary.skipped_shards}); "
               f"annotated {summary.documents}; failed {len(summary.errors)}")
    typer.echo(f"parts and manifest in {out}; merge them with `stance merge {out} --out FILE.jsonl`")
    for error in summary.errors:
        typer.echo(f"  {error['path']}: {error['error']}")
    if summary.errors:
        raise typer.Exit(1)


@app.command()
def merge(
    parts: Path = typer.Argument(..., help="Output folder of a cluster run."),
    out: Path = typer.Option(..., "--out", "-o", help="Merged JSONL (errors go beside it)."),
    force: bool = typer.Option(False, help="Overwrite an existing output."),
) -> None:
    """Merge a finished cluster run into one JSONL with exactly one record per input document.

    Exit codes: 0 done; 2 an unfinished run, a missing folder or an existing output (the message says what to fix).
    """
    from .distributed import merge as run

    try:
        records, errors = run(parts, out, force=force)
    except (ValueError, FileExistsError) as error:
        fail(str(error))
    typer.echo(f"{records} records -> {out}; {errors} error records beside it")


@app.command()
def show(records: Path = typer.Argument(..., help="JSONL written by `stance annotate`.")) -> None:
    """Print the actor × target stance table of an annotation output.

    Exit codes: 0 done; 2 the file is missing or is not `stance annotate`'s JSONL.
    """
    from .writers import read_jsonl

    if not records.is_file():
        fail(f"{records} does not exist; run `stance annotate ... --out {records}` first.")
    hint = (f"{records} is not a JSONL output of `stance annotate`; for a CSV or HTML output pass its records "
            f"file ({records.name}.records.jsonl)")
    try:
        for number, record in enumerate(read_jsonl(records), 1):
            if not isinstance(record, dict) or "actors" not in record:
                fail(f"{hint} (line {number} is not a record).")
            typer.echo(f"== {record['id']}")
            typer.echo(format_record(record))
            typer.echo("")
    except (json.JSONDecodeError, UnicodeDecodeError):
        fail(f"{hint}.")


@app.command()
def report(
    results: Path = typer.Argument(..., help="JSONL written by `stance annotate` (or X.csv/X.html beside its records)."),
    out: Path = typer.Option(None, "--out", "-o", help="Write the page (.html) or the table (.parquet); "
                             "without it, print a summary per target."),
    by: str = typer.Option(None, "--by", help="Break the printed summary down by month or year."),
    top: int = typer.Option(20, help="Actors per target in the printed summary."),
    title: str = typer.Option(None, help="The page's title (default: Stance report: RESULTS)."),
    force: bool = typer.Option(False, help="Overwrite an existing output."),
) -> None:
    """Who stands where, since when, and why: a page, a Parquet table, or a summary in the terminal.

    Exit codes: 0 done; 2 bad usage, or RESULTS is not the JSONL of `stance annotate` (the message says what to fix).
    """
    from .frames import write_parquet
    from .report import PERIODS, print_summary
    from .report_html import write_report
    from .results import load_results

    if by is not None and by not in PERIODS:
        fail(f"--by takes {' or '.join(PERIODS)}, not {by!r}.")
    if top < 1:
        fail(f"--top must be at least 1, found {top}.")
    kind = {".html": "html", ".htm": "html", ".parquet": "parquet"}.get(out.suffix.lower()) if out else None
    if out and kind is None:
        fail(f"Cannot tell what to write from {out.name!r}: name the output .html (the page) or .parquet (the table).")
    if out and out.exists() and not force:
        fail(f"{out} exists; pass --force to overwrite it.")
    try:
        loaded = load_results(results)
    except ValueError as error:
        fail(str(error))
    if out is None:
        print_summary(loaded, by=by, top=top)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "parquet":
        rows = write_parquet(loaded.records, out)
        typer.echo(f"{rows} rows (document × actor × target) written to {out}")
    else:
        write_report(loaded, out, title)
        typer.echo(f"report of {len(loaded.records)} documents written to {out} ({out.stat().st_size / 1e6:.1f} MB)")


@app.command()
def review(
    results: list[Path] = typer.Argument(None, metavar="[RESULTS.jsonl]...", help="JSONL written by `stance annotate`."),
    out: Path = typer.Option(None, "--out", "-o", help="Label Studio tasks (a JSON file) to write."),
    target: list[str] = typer.Option(None, "--target", "-t", metavar="NAME", help="Only stances toward this target. Repeatable."),
    limit: int = typer.Option(None, help="At most N documents: the N least confident."),
    min_score: float = typer.Option(0.0, help="Pre-annotate only stances the model scores at least this; "
                                    "the rest are left for the labeller to decide."),
    config: bool = typer.Option(False, "--config", help="Print the Label Studio labelling config (XML) and exit."),
    force: bool = typer.Option(False, help="Overwrite an existing output."),
) -> None:
    """Label Studio tasks to review the model's reading, least confident document first.

    One task per document: actor mentions as spans with their type, each actor's stance toward
    each target with the model's score, as pre-annotations to accept or correct. Read the labelled
    export back with `stance corpus import`.
    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    from collections import Counter

    from .review import label_config, read_results, review_tasks, write_tasks

    if config:
        typer.echo(label_config(), nl=False)
        return
    if not results or out is None:
        fail("pass RESULTS.jsonl (from `stance annotate`) and --out tasks.json, or --config for the labelling config.")
    if limit is not None and limit < 1:
        fail(f"--limit must be at least 1, found {limit}.")
    if not 0 <= min_score <= 1:
        fail(f"--min-score must be between 0 and 1, found {min_score}.")
    if out.exists() and not force:
        fail(f"{out} exists; pass --force to overwrite it.")
    skipped: Counter = Counter()
    try:
        tasks = review_tasks(read_results(results), target or [], min_score, limit, skipped)
    except ValueError as error:
        fail(str(error))
    write_tasks(tasks, out)
    scores = [t["data"]["confidence"] for t in tasks if t["data"]["confidence"] is not None]
    span = f" (least confident stance per document: {min(scores):.2f} to {max(scores):.2f})" if scores else ""
    typer.echo(f"{len(tasks)} tasks written to {out}{span}")
    for reason, count in skipped.most_common():
        typer.echo(f"  left out {count}: {reason}")
    typer.echo("Import them into a Label Studio project labelled with `stance review --config`.")


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
    from .train import TrainConfig
    from .train import train as run

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
    from .average import average_models

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
    from .corpus import read_records
    from .evaluate import evaluate as run
    from .evaluate import format_report, majority_baseline, tfidf_baseline

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
    from .calibration import calibration_report, fit_temperature, raw_scores, read_predictions
    from .corpus import read_records
    from .evaluate import predict_records
    from .model import ModelSettings, write_temperature

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
    from .api import load
    from .articles import read_articles
    from .scoring import score_actors

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
    from .api import load
    from .articles import read_articles
    from .scoring import score_triples

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


@corpus_app.command("validate")
def corpus_validate(path: Path = typer.Argument(..., help="Corpus folder with train/dev/test.jsonl, "
                                                "articles/{train,dev,test}.jsonl, or both.")) -> None:
    """Schema, labels, mentions, duplicates and cross-split near-duplicates; gold articles too.

    Exit codes: 0 valid; 1 problems found (listed); 2 the folder cannot be read.
    """
    from .corpus import validate

    try:
        report = validate(path)
    except ValueError as error:
        fail(str(error))
    for problem in report.problems[:200]:
        typer.echo(problem)
    if not report.ok:
        typer.echo(f"{len(report.problems)} problems")
        raise typer.Exit(1)
    typer.echo(f"{path}: OK")


@corpus_app.command("stats")
def corpus_stats(
    path: Path = typer.Argument(..., help="Corpus folder with train/dev/test.jsonl."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Counts per split: records, labels, shapes, targets, actors, phenomena.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    from .corpus import format_stats, stats

    try:
        table = stats(path)
    except ValueError as error:
        fail(str(error))
    typer.echo(json.dumps(table, indent=2) if as_json else format_stats(table))


@corpus_app.command("split")
def corpus_split(
    sources: list[Path] = typer.Argument(..., help="Source record files (JSONL) with meta.group."),
    out: Path = typer.Option(..., help="Corpus folder to write train/dev/test.jsonl into."),
    held_out: list[str] = typer.Option([], metavar="TARGET", help="Targets kept out of train and dev. Repeatable."),
    force: bool = typer.Option(False, help="Overwrite an existing split."),
) -> None:
    """Split source records into train/dev/test by event group.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    from .corpus import SPLITS, read_records, split_by_group, write_jsonl

    if any((out / f"{s}.jsonl").exists() for s in SPLITS) and not force:
        fail(f"{out} already holds a split; pass --force to overwrite it.")
    records = [r for source in sources for r in read_records(source)]
    out.mkdir(parents=True, exist_ok=True)
    for split, rows in split_by_group(records, held_out).items():
        write_jsonl(rows, out / f"{split}.jsonl")
        typer.echo(f"{split}: {len(rows)}")


@corpus_app.command("contrast")
def corpus_contrast(
    source: Path = typer.Argument(..., help="Stance-record JSONL, e.g. corpora/platform-stance/test.jsonl."),
    out: Path = typer.Option(..., help="Stance-record JSONL to write."),
    share: float = typer.Option(0.5, help="Share of the source records that start a pair (0-1)."),
    seed: int = typer.Option(0, help="Random seed of the pairing."),
    window_tokens: int = typer.Option(160, help="A pair must fit one window of this many tokens."),
    force: bool = typer.Option(False, help="Overwrite an existing output file."),
) -> None:
    """Target-contrast records: one actor for one target and against another in one passage.

    Two records with different targets and stances are joined, the second's actor renamed to the
    first's; each target gets a record. Score a model on them with `stance evaluate --data OUT`.
    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    from .corpus import read_records, write_jsonl
    from .errors import CorpusError
    from .packing import contrast_records

    if not 0 < share <= 1:
        fail(f"--share must be above 0 and at most 1, found {share}.")
    if out.exists() and not force:
        fail(f"{out} exists; pass --force to overwrite it.")
    try:
        records = contrast_records(read_records(source), share, window_tokens, seed)
    except CorpusError as error:
        fail(str(error))
    if not records:
        fail(f"no two records of {source} could be paired: a pair needs different targets and stances, "
             "the same actor type, and texts that name neither the other's actor nor its target.")
    out.parent.mkdir(parents=True, exist_ok=True)
    write_jsonl(records, out)
    typer.echo(f"{len(records)} records ({len(records) // 2} pairs) written to {out}")


@corpus_app.command("records")
def corpus_records(
    articles: Path = typer.Argument(..., help="Whole-article gold: a JSONL file or a folder of them."),
    out: Path = typer.Option(..., help="Stance-record JSONL to write."),
    force: bool = typer.Option(False, help="Overwrite an existing output file."),
) -> None:
    """Stance records from whole-article gold: one per labelled actor–target pair, its passage.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    from .articles import article_records, read_articles

    if out.exists() and not force:
        fail(f"{out} exists; pass --force to overwrite it.")
    try:
        records = article_records(read_articles(articles))
    except ValueError as error:
        fail(str(error))
    write_records_and_count(records, out)


@corpus_app.command("import")
def corpus_import(
    export: Path = typer.Argument(..., metavar="EXPORT.json", help="Label Studio export (JSON format) of `stance review` tasks."),
    out: Path = typer.Option(..., help="Corpus folder to write: articles/{train,dev,test}.jsonl and stance records."),
    dev_share: float = typer.Option(0.2, help="Share of the articles in dev (split by a hash of the article id)."),
    test_share: float = typer.Option(0.2, help="Share of the articles in test."),
    force: bool = typer.Option(False, help="Overwrite an existing import."),
) -> None:
    """Whole-article gold and stance records from labelled Label Studio tasks.

    What a labeller left open (a skipped task, an actor without a stance, two stances for one pair)
    is not filled in: the article is left out, listed here and in OUT/left-out.jsonl.
    Exit codes: 0 every task imported; 1 some tasks left out (listed); 2 bad usage or input.
    """
    from .labelstudio_import import LEFT_OUT, import_export

    try:
        summary = import_export(export, out, dev_share=dev_share, test_share=test_share, force=force)
    except (ValueError, FileExistsError) as error:
        fail(str(error))
    c = summary.counts
    imported = sum(summary.articles.values())
    typer.echo(f"tasks {summary.tasks}: imported {imported} articles "
               f"({', '.join(f'{k} {v}' for k, v in summary.articles.items())}), left out {len(summary.left_out)}")
    typer.echo(f"actors {c['actors']} (added by the labeller {c['actors added']}, removed {c['actors removed']}); "
               f"stances {sum(c[label] for label in ('support', 'oppose', 'neutral'))}: support {c['support']}, "
               f"oppose {c['oppose']}, neutral {c['neutral']} (the model's kept {c['stances kept']}, "
               f"changed {c['stances changed']})")
    typer.echo(f"stance records: {', '.join(f'{k} {v}' for k, v in summary.records.items())} -> {out}")
    empty = [split for split, n in summary.articles.items() if not n]
    if imported and empty:
        typer.secho(f"warning: no articles in {', '.join(empty)}; label more documents or change --dev-share/--test-share",
                    fg=typer.colors.YELLOW, err=True)
    if summary.left_out:
        typer.echo(f"left out (also in {out / LEFT_OUT}):")
        for row in summary.left_out:
            typer.echo(f"  task {row['task']} ({row['id']}): " + "; ".join(row["problems"]))
        raise typer.Exit(1)


@corpus_app.command("newsmtsc-labels")
def corpus_newsmtsc_labels(
    newsmtsc_dir: Path = typer.Argument(..., help="Folder with the NewsMTSC release files (train.jsonl, devtest_*.jsonl)."),
    labels: Path = typer.Argument(Path("corpora/newsmtsc-stance/labels.jsonl"), help="The label file."),
    out: Path = typer.Option(..., help="Stance-record JSONL to write."),
    force: bool = typer.Option(False, help="Overwrite an existing output file."),
) -> None:
    """Stance records from the hand-labelled NewsMTSC pairs, joined with the NewsMTSC files you downloaded.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    from collections import Counter

    from .newsmtsc_labels import label_records, read_labels, read_sentences

    if out.exists() and not force:
        fail(f"{out} exists; pass --force to overwrite it.")
    missing: Counter = Counter()
    try:
        records = label_records(read_sentences(newsmtsc_dir), read_labels(labels), missing)
    except (ValueError, OSError) as error:
        fail(str(error))
    write_records_and_count(records, out)
    for reason, count in missing.most_common():
        typer.echo(f"  left out {count}: {reason}")


@corpus_app.command("newsmtsc")
def corpus_newsmtsc(
    sources: list[Path] = typer.Argument(..., help="NewsMTSC files as released (train.jsonl, devtest_*.jsonl)."),
    out: Path = typer.Option(..., help="Stance-record JSONL to write."),
    force: bool = typer.Option(False, help="Overwrite an existing output file."),
) -> None:
    """Stance records from NewsMTSC: a named speaker's view of the person they talk about.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    from collections import Counter

    from .distant import speaker_stances
    from .errors import CorpusError

    missing = [str(s) for s in sources if not s.is_file()]
    if missing:
        fail(f"not a file: {', '.join(missing)}; pass the NewsMTSC JSONL files (github.com/fhamborg/NewsMTSC).")
    if out.exists() and not force:
        fail(f"{out} exists; pass --force to overwrite it.")
    skipped: Counter = Counter()
    try:
        records = speaker_stances(sources, skipped=skipped, progress=True)
    except CorpusError as error:
        fail(str(error))
    write_records_and_count(records, out)
    for reason, count in skipped.most_common():
        typer.echo(f"  skipped {count}: {reason}")


if __name__ == "__main__":
    app()
