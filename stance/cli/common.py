"""What every command shares: one way to fail (a message and exit code 2), and writing records."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import typer

from ..api import default_model_path
from ..errors import StanceError
from ..text.jsonl import write_jsonl

# what the library raises for bad input: its own errors (StanceError is a ValueError), other value
# errors of the libraries it calls, and files that cannot be read or written
INPUT_ERRORS = (StanceError, ValueError, OSError)


def fail(message: str, code: int = 2) -> NoReturn:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def refuse_to_overwrite(out: Path, force: bool) -> None:
    if out.exists() and not force:
        fail(f"{out} exists; pass --force to overwrite it.")


def exits_on_bad_input(command: Callable) -> Callable:
    """Turn a command's input error into its message on stderr and exit code 2, never a traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except INPUT_ERRORS as error:
            fail(str(error))

    return run


def write_records_and_count(records: list[dict], out: Path) -> None:
    """Write stance records and say how many of each label went to ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    write_jsonl(records, out)
    labels = Counter(r["stance"] for r in records)
    typer.echo(f"{len(records)} records written to {out} ({', '.join(f'{k} {v}' for k, v in sorted(labels.items()))})")


def stances_available(model: Path | None) -> bool:
    return model is not None or default_model_path() is not None
