"""Commands on documents: tag, annotate (locally or on Dask), merge, show, report, review."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import typer

from ..annotate import AnnotateOptions
from ..annotate import annotate as annotate_paths
from ..api import load
from ..distributed import annotate_on_cluster
from ..distributed import merge as merge_parts
from ..frames import write_parquet
from ..io import Document, Fields, read_bytes, read_path
from ..records import doc_record
from ..report import PERIODS, print_summary
from ..report_html import write_report
from ..results import load_results
from ..review import label_config, read_results, review_tasks, write_tasks
from ..writers import format_record, read_jsonl
from .app import ForceOpt, FormatOpt, KBOpt, ModelOpt, TargetOpt, app
from .common import exits_on_bad_input, fail, refuse_to_overwrite, stances_available


@app.command()
@exits_on_bad_input
def tag(
    file: str = typer.Argument(..., metavar="FILE", help="A text, HTML, JSONL or CSV file, or - for standard input."),
    target: list[str] = TargetOpt,
    kb: list[Path] = KBOpt,
    model: Path = ModelOpt,
    fmt: str = FormatOpt,
) -> None:
    """Tag one article: its actors, the targets, and each actor's stance.

    The file is read as `stance annotate` reads it (.txt, .md, .html, or every row of .jsonl/.csv).
    Exit codes: 0 done; 2 bad usage or unreadable input (the message says what to fix).
    """
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
    nlp = load(model, targets=target, kb=kb, stances=stances_available(model))
    for document in items:
        if note := document.meta.get("encoding_warning"):
            typer.secho(f"warning: {document.path}: {note}", fg=typer.colors.YELLOW, err=True)
        record = doc_record(nlp(document.text), None if file == "-" else document.id)
        if fmt == "json":
            typer.echo(json.dumps(record, ensure_ascii=False))
        else:
            typer.echo(("" if len(items) == 1 else f"== {document.id}\n") + format_record(record))


@app.command()
@exits_on_bad_input
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
    force: bool = ForceOpt,
    quiet: bool = typer.Option(False, help="No progress bar."),
    scheduler: str = typer.Option(None, help="Run on a Dask cluster: tcp://HOST:PORT, or local:N; --out is then a folder."),
    shard_size: int = typer.Option(64, help="Documents per shard on a cluster."),
) -> None:
    """Annotate folders of articles.

    Exit codes: 0 every document annotated; 1 some documents failed (listed, and in OUT.errors.jsonl);
    2 bad usage or input (the message says what to fix).
    """
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
    summary = annotate_paths(paths, out, fmt, options, resume=resume, force=force, progress=not quiet)
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

    summary = annotate_on_cluster(paths, out, scheduler, options, shard_size, resume=resume, force=force, progress=not quiet)
    typer.echo(f"shards {summary.shards} (skipped, already done: {summary.skipped_shards}); "
               f"annotated {summary.documents}; failed {len(summary.errors)}")
    typer.echo(f"parts and manifest in {out}; merge them with `stance merge {out} --out FILE.jsonl`")
    for error in summary.errors:
        typer.echo(f"  {error['path']}: {error['error']}")
    if summary.errors:
        raise typer.Exit(1)


@app.command()
@exits_on_bad_input
def merge(
    parts: Path = typer.Argument(..., help="Output folder of a cluster run."),
    out: Path = typer.Option(..., "--out", "-o", help="Merged JSONL (errors go beside it)."),
    force: bool = ForceOpt,
) -> None:
    """Merge a finished cluster run into one JSONL with exactly one record per input document.

    Exit codes: 0 done; 2 an unfinished run, a missing folder or an existing output (the message says what to fix).
    """
    records, errors = merge_parts(parts, out, force=force)
    typer.echo(f"{records} records -> {out}; {errors} error records beside it")


@app.command()
@exits_on_bad_input
def show(records: Path = typer.Argument(..., help="JSONL written by `stance annotate`.")) -> None:
    """Print the actor × target stance table of an annotation output.

    Exit codes: 0 done; 2 the file is missing or is not `stance annotate`'s JSONL.
    """
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
@exits_on_bad_input
def report(
    results: Path = typer.Argument(..., help="JSONL written by `stance annotate` (or X.csv/X.html beside its records)."),
    out: Path = typer.Option(None, "--out", "-o", help="Write the page (.html) or the table (.parquet); "
                             "without it, print a summary per target."),
    by: str = typer.Option(None, "--by", help="Break the printed summary down by month or year."),
    top: int = typer.Option(20, help="Actors per target in the printed summary."),
    title: str = typer.Option(None, help="The page's title (default: Stance report: RESULTS)."),
    force: bool = ForceOpt,
) -> None:
    """Who stands where, since when, and why: a page, a Parquet table, or a summary in the terminal.

    Exit codes: 0 done; 2 bad usage, or RESULTS is not the JSONL of `stance annotate` (the message says what to fix).
    """
    if by is not None and by not in PERIODS:
        fail(f"--by takes {' or '.join(PERIODS)}, not {by!r}.")
    if top < 1:
        fail(f"--top must be at least 1, found {top}.")
    kind = {".html": "html", ".htm": "html", ".parquet": "parquet"}.get(out.suffix.lower()) if out else None
    if out and kind is None:
        fail(f"Cannot tell what to write from {out.name!r}: name the output .html (the page) or .parquet (the table).")
    if out:
        refuse_to_overwrite(out, force)
    loaded = load_results(results)
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
@exits_on_bad_input
def review(
    results: list[Path] = typer.Argument(None, metavar="[RESULTS.jsonl]...", help="JSONL written by `stance annotate`."),
    out: Path = typer.Option(None, "--out", "-o", help="Label Studio tasks (a JSON file) to write."),
    target: list[str] = typer.Option(None, "--target", "-t", metavar="NAME", help="Only stances toward this target. Repeatable."),
    limit: int = typer.Option(None, help="At most N documents: the N least confident."),
    min_score: float = typer.Option(0.0, help="Pre-annotate only stances the model scores at least this; "
                                    "the rest are left for the labeller to decide."),
    config: bool = typer.Option(False, "--config", help="Print the Label Studio labelling config (XML) and exit."),
    force: bool = ForceOpt,
) -> None:
    """Label Studio tasks to review the model's reading, least confident document first.

    One task per document: actor mentions as spans with their type, each actor's stance toward
    each target with the model's score, as pre-annotations to accept or correct. Read the labelled
    export back with `stance corpus import`.
    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    if config:
        typer.echo(label_config(), nl=False)
        return
    if not results or out is None:
        fail("pass RESULTS.jsonl (from `stance annotate`) and --out tasks.json, or --config for the labelling config.")
    if limit is not None and limit < 1:
        fail(f"--limit must be at least 1, found {limit}.")
    if not 0 <= min_score <= 1:
        fail(f"--min-score must be between 0 and 1, found {min_score}.")
    refuse_to_overwrite(out, force)
    skipped: Counter = Counter()
    tasks = review_tasks(read_results(results), target or [], min_score, limit, skipped)
    write_tasks(tasks, out)
    scores = [t["data"]["confidence"] for t in tasks if t["data"]["confidence"] is not None]
    span = f" (least confident stance per document: {min(scores):.2f} to {max(scores):.2f})" if scores else ""
    typer.echo(f"{len(tasks)} tasks written to {out}{span}")
    for reason, count in skipped.most_common():
        typer.echo(f"  left out {count}: {reason}")
    typer.echo("Import them into a Label Studio project labelled with `stance review --config`.")
