"""The typer apps every command file registers on, and the options they share."""

from __future__ import annotations

import os

import typer

from .. import __version__

# before any Hugging Face import: models are only ever read from local folders
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

app = typer.Typer(help="Who supports or opposes a platform in the news.", no_args_is_help=True, add_completion=False)
corpus_app = typer.Typer(help="Validate, count, split, pair and convert stance corpora.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")

TargetOpt = typer.Option(None, "--target", "-t", metavar="NAME",
                         help="Target platform; 'Name=Alias|Alias' adds aliases. Repeatable.")
KBOpt = typer.Option(None, "--kb", metavar="FILE", help="Extra knowledge-base JSONL merged over the built-in one. Repeatable.")
ModelOpt = typer.Option(None, "--model", help="Model folder from `stance train`; default: the shipped model.")

RecordsOutOpt = typer.Option(..., "--out", "-o", help="Stance-record JSONL to write.")
ForceOpt = typer.Option(False, "--force", help="Overwrite an existing output.")


def _table_or_json(value: str) -> str:
    if value not in ("table", "json"):
        raise typer.BadParameter(f"takes table or json, not {value!r}.")
    return value


FormatOpt = typer.Option("table", "--format", "-f", callback=_table_or_json,
                         help="table (for reading) or json (for programs).")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"stance {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Who supports or opposes a platform in the news."""
