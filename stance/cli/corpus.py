"""The `stance corpus` commands: validate, stats, split, contrast, records, import and the NewsMTSC converters."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import typer

from ..articles import article_records, read_articles
from ..corpus import SPLITS, format_stats, read_records, split_by_group, stats, validate
from ..labelstudio_import import LEFT_OUT, import_export
from ..newsmtsc_labels import label_records, read_labels, read_sentences
from ..text.jsonl import write_jsonl
from ..training.distant import speaker_stances
from ..training.packing import contrast_records
from .app import ForceOpt, FormatOpt, RecordsOutOpt, app, corpus_app
from .common import exits_on_bad_input, fail, refuse_to_overwrite, write_records_and_count


@corpus_app.command("validate")
@exits_on_bad_input
def corpus_validate(path: Path = typer.Argument(..., help="Corpus folder with train/dev/test.jsonl, "
                                                "articles/{train,dev,test}.jsonl, or both.")) -> None:
    """Schema, labels, mentions, duplicates and cross-split near-duplicates; gold articles too.

    Exit codes: 0 valid; 1 problems found (listed); 2 the folder cannot be read.
    """
    report = validate(path)
    for problem in report.problems[:200]:
        typer.echo(problem)
    if not report.ok:
        typer.echo(f"{len(report.problems)} problems")
        raise typer.Exit(1)
    typer.echo(f"{path}: OK")


@corpus_app.command("stats")
@exits_on_bad_input
def corpus_stats(
    path: Path = typer.Argument(..., help="Corpus folder with train/dev/test.jsonl."),
    fmt: str = FormatOpt,
) -> None:
    """Counts per split: records, labels, shapes, targets, actors, phenomena.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    table = stats(path)
    typer.echo(json.dumps(table, indent=2) if fmt == "json" else format_stats(table))


@corpus_app.command("split")
@exits_on_bad_input
def corpus_split(
    sources: list[Path] = typer.Argument(..., help="Source record files (JSONL) with meta.group."),
    out: Path = typer.Option(..., "--output-dir", help="Corpus folder to write train/dev/test.jsonl into."),
    held_out: list[str] = typer.Option([], metavar="TARGET", help="Targets kept out of train and dev. Repeatable."),
    force: bool = typer.Option(False, help="Overwrite an existing split."),
) -> None:
    """Split source records into train/dev/test by event group.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    if any((out / f"{s}.jsonl").exists() for s in SPLITS) and not force:
        fail(f"{out} already holds a split; pass --force to overwrite it.")
    records = [r for source in sources for r in read_records(source)]
    out.mkdir(parents=True, exist_ok=True)
    for split, rows in split_by_group(records, held_out).items():
        write_jsonl(rows, out / f"{split}.jsonl")
        typer.echo(f"{split}: {len(rows)}")


@corpus_app.command("contrast")
@exits_on_bad_input
def corpus_contrast(
    source: Path = typer.Argument(..., help="Stance-record JSONL, e.g. corpora/platform-stance/test.jsonl."),
    out: Path = RecordsOutOpt,
    share: float = typer.Option(0.5, help="Share of the source records that start a pair (0-1)."),
    seed: int = typer.Option(0, help="Random seed of the pairing."),
    window_tokens: int = typer.Option(160, help="A pair must fit one window of this many tokens."),
    force: bool = ForceOpt,
) -> None:
    """Target-contrast records: one actor for one target and against another in one passage.

    Two records with different targets and stances are joined, the second's actor renamed to the
    first's; each target gets a record. Score a model on them with `stance evaluate --data OUT`.
    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    if not 0 < share <= 1:
        fail(f"--share must be above 0 and at most 1, found {share}.")
    refuse_to_overwrite(out, force)
    records = contrast_records(read_records(source), share, window_tokens, seed)
    if not records:
        fail(f"no two records of {source} could be paired: a pair needs different targets and stances, "
             "the same actor type, and texts that name neither the other's actor nor its target.")
    out.parent.mkdir(parents=True, exist_ok=True)
    write_jsonl(records, out)
    typer.echo(f"{len(records)} records ({len(records) // 2} pairs) written to {out}")


@corpus_app.command("records")
@exits_on_bad_input
def corpus_records(
    articles: Path = typer.Argument(..., help="Whole-article gold: a JSONL file or a folder of them."),
    out: Path = RecordsOutOpt,
    force: bool = ForceOpt,
) -> None:
    """Stance records from whole-article gold: one per labelled actor–target pair, its passage.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    refuse_to_overwrite(out, force)
    records = article_records(read_articles(articles))
    write_records_and_count(records, out)


@corpus_app.command("import")
@exits_on_bad_input
def corpus_import(
    export: Path = typer.Argument(..., metavar="EXPORT.json", help="Label Studio export (JSON format) of `stance review` tasks."),
    out: Path = typer.Option(..., "--output-dir",
                             help="Corpus folder to write: articles/{train,dev,test}.jsonl and stance records."),
    dev_share: float = typer.Option(0.2, help="Share of the articles in dev (split by a hash of the article id)."),
    test_share: float = typer.Option(0.2, help="Share of the articles in test."),
    force: bool = typer.Option(False, help="Overwrite an existing import."),
) -> None:
    """Whole-article gold and stance records from labelled Label Studio tasks.

    What a labeller left open (a skipped task, an actor without a stance, two stances for one pair)
    is not filled in: the article is left out, listed here and in OUT/left-out.jsonl.
    Exit codes: 0 every task imported; 1 some tasks left out (listed); 2 bad usage or input.
    """
    summary = import_export(export, out, dev_share=dev_share, test_share=test_share, force=force)
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
@exits_on_bad_input
def corpus_newsmtsc_labels(
    newsmtsc_dir: Path = typer.Argument(..., help="Folder with the NewsMTSC release files (train.jsonl, devtest_*.jsonl)."),
    labels: Path = typer.Argument(Path("corpora/newsmtsc-stance/labels.jsonl"), help="The label file."),
    out: Path = RecordsOutOpt,
    force: bool = ForceOpt,
) -> None:
    """Stance records from the hand-labelled NewsMTSC pairs, joined with the NewsMTSC files you downloaded.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    refuse_to_overwrite(out, force)
    missing: Counter = Counter()
    records = label_records(read_sentences(newsmtsc_dir), read_labels(labels), missing)
    write_records_and_count(records, out)
    for reason, count in missing.most_common():
        typer.echo(f"  left out {count}: {reason}")


@corpus_app.command("newsmtsc")
@exits_on_bad_input
def corpus_newsmtsc(
    sources: list[Path] = typer.Argument(..., help="NewsMTSC files as released (train.jsonl, devtest_*.jsonl)."),
    out: Path = RecordsOutOpt,
    force: bool = ForceOpt,
) -> None:
    """Stance records from NewsMTSC: a named speaker's view of the person they talk about.

    Exit codes: 0 done; 2 bad usage or input (the message says what to fix).
    """
    missing = [str(s) for s in sources if not s.is_file()]
    if missing:
        fail(f"not a file: {', '.join(missing)}; pass the NewsMTSC JSONL files (github.com/fhamborg/NewsMTSC).")
    refuse_to_overwrite(out, force)
    skipped: Counter = Counter()
    records = speaker_stances(sources, skipped=skipped, progress=True)
    write_records_and_count(records, out)
    for reason, count in skipped.most_common():
        typer.echo(f"  skipped {count}: {reason}")


if __name__ == "__main__":
    app()
