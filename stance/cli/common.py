"""What every command shares: failing with a message and exit code 2, and writing records."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer


def fail(message: str, code: int = 2) -> NoReturn:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def write_records_and_count(records: list[dict], out: Path) -> None:
    """Write stance records and say how many of each label went to ``out``."""
    from collections import Counter

    from ..corpus import write_jsonl

    out.parent.mkdir(parents=True, exist_ok=True)
    write_jsonl(records, out)
    labels = Counter(r["stance"] for r in records)
    typer.echo(f"{len(records)} records written to {out} ({', '.join(f'{k} {v}' for k, v in sorted(labels.items()))})")


def _stances_available(model: Path | None) -> bool:
    from ..api import default_model_path

    return model is not None or default_model_path() is not None
