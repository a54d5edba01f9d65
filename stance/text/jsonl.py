"""JSONL lines with their numbers: every reader of the package reports a bad line by its number."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path


def numbered_lines(path: str | Path) -> Iterator[tuple[int, object]]:
    """(line number, parsed value) of each non-blank line; a line that is not JSON comes as its
    ``json.JSONDecodeError``, for the caller to report in its own words."""
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as error:
                yield number, error
