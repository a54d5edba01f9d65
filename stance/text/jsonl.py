"""JSONL in one place: lines read with their numbers (every reader reports a bad line by its number), and
lines written as UTF-8 JSON, one object per line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path


def numbered_lines(path: str | Path) -> Iterator[tuple[int, object]]:
    """:func:`parsed_lines` of a file."""
    with open(path, encoding="utf-8") as lines:
        yield from parsed_lines(lines)


def parsed_lines(lines: Iterable[str]) -> Iterator[tuple[int, object]]:
    """(line number, parsed value) of each non-blank line; a line that is not JSON comes as its
    ``json.JSONDecodeError``, for the caller to report in its own words."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            yield number, error


def jsonl_line(value: object) -> str:
    """One JSONL line: the value as JSON, non-ASCII characters kept as they are."""
    return json.dumps(value, ensure_ascii=False) + "\n"


def write_jsonl(values: Iterable[object], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.writelines(map(jsonl_line, values))
