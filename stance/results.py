"""Results of ``stance annotate``: its JSONL records, with the failed documents and run settings kept beside them.

``stance annotate --out X`` writes the records (``X`` for JSONL, else ``X.records.jsonl``), the failed
documents (``X.errors.jsonl``) and the run's settings (``X.run.json``). Reports and data frames read
all three through :func:`load_results`, and flatten stances with :func:`stance_rows`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ResultsError, not_results
from .types import LABELS

RECORDS_SUFFIX = ".records.jsonl"


@dataclass
class Results:
    """The records of one annotation run, its failed documents and its settings (empty when unknown)."""

    records: list[dict]
    errors: list[dict] = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    path: Path | None = None

    @property
    def name(self) -> str:
        """The output the run was asked for: ``out.html`` for ``out.html.records.jsonl``."""
        return output_for(self.path).name if self.path else "records"


def output_for(records_path: Path) -> Path:
    """The ``--out`` of the run that wrote ``records_path`` (its side files are named after it)."""
    name = records_path.name
    return records_path.with_name(name[: -len(RECORDS_SUFFIX)]) if name.endswith(RECORDS_SUFFIX) else records_path


def load_results(source: str | Path | Iterable[dict]) -> Results:
    """Records, failed documents and settings of a ``stance annotate`` output, or of records given as a list.

    A CSV or HTML output is read through its records file (``X.csv`` → ``X.csv.records.jsonl``).

    Raises:
        ResultsError: the file is missing, or is not the JSONL that ``stance annotate`` writes.

    Example:
        >>> results = load_results("out/demo.jsonl")  # doctest: +SKIP
        >>> len(results.records), len(results.errors)  # doctest: +SKIP
        (1, 0)
    """
    if not isinstance(source, str | Path):
        return Results([_checked(r, "records", n) for n, r in enumerate(source, 1)])
    path = Path(source)
    sibling = path.with_name(path.name + RECORDS_SUFFIX)
    if path.suffix.lower() in (".csv", ".html", ".htm") and sibling.is_file():
        path = sibling
    if not path.is_file():
        raise ResultsError(f"{path} does not exist or is not a file; pass the JSONL written by "
                           f"`stance annotate ... --out {path.name}`.")
    out = output_for(path)
    errors_path, manifest = out.with_name(out.name + ".errors.jsonl"), out.with_name(out.name + ".run.json")
    records = list(read_records(path))
    errors = [r for r in records if "error" in r]
    records = [r for r in records if "error" not in r]
    if errors_path.is_file():
        errors += [e for e in read_records(errors_path, check=False) if isinstance(e, dict)]
    settings = {}
    if manifest.is_file():
        try:
            settings = json.loads(manifest.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            settings = {}
    return Results(records, errors, settings if isinstance(settings, dict) else {}, path)


def read_records(path: Path, check: bool = True) -> Iterator[dict]:
    """The records of a JSONL output; a half-written last line (a run still going, or killed) is left out."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except UnicodeDecodeError as error:
        raise not_results(path, 0, f"not UTF-8 text ({error.reason})") from None
    complete = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            if number == len(lines) and not line.endswith("\n") and complete:
                return  # still being written
            raise not_results(path, number, f"not JSON ({error.msg})") from None
        complete += 1
        yield _checked(row, path, number) if check else row


def _checked(row: object, path: object, number: int) -> dict:
    if not isinstance(row, dict):
        raise not_results(path, number, f"a JSON {type(row).__name__}, not an object")
    if "error" in row and "actors" not in row:
        return row  # a failed document (a merged cluster run keeps them with the records)
    if not isinstance(row.get("actors"), list) or "id" not in row:
        raise not_results(path, number, f"no 'id' and 'actors' (found keys {sorted(row)[:8]})")
    return row


def iter_stances(records: Iterable[dict]) -> Iterator[tuple[dict, dict, dict]]:
    """(record, actor, stance) for every stance of every record, in file order."""
    for record in records:
        for actor in record.get("actors") or []:
            for stance in actor.get("stances") or []:
                yield record, actor, stance


ROW_COLUMNS = ("doc_id", "path", "date", "actor", "actor_type", "actor_kind", "parent", "affiliated", "target", "label",
               "score", *(f"p_{label}" for label in LABELS), "decided_by", "evidence", "n_evidence", "model")


def stance_rows(records: Iterable[dict]) -> Iterator[dict]:
    """One flat row per (document, actor, target) stance; ``date`` is the ISO string or None."""
    for record, actor, stance in iter_stances(records):
        evidence = stance.get("evidence") or []
        model = record.get("model") or {}
        yield {
            "doc_id": record.get("id"), "path": record.get("path"), "date": (record.get("meta") or {}).get("date"),
            "actor": actor["name"], "actor_type": actor.get("type"), "actor_kind": actor.get("kind"),
            "parent": actor.get("parent"), "affiliated": bool(stance.get("affiliated")), "target": stance["target"],
            "label": stance["label"], "score": stance.get("score"),
            **{f"p_{label}": (stance.get("scores") or {}).get(label) for label in LABELS},
            "decided_by": stance.get("decided_by", "model"),
            "evidence": evidence[0]["sentence"] if evidence else None, "n_evidence": len(evidence),
            "model": " ".join(str(v) for v in (model.get("name"), model.get("version")) if v) or None,
        }
