"""Batch annotation of files and folders: streamed, resumable, and bad input never stops a batch.

JSONL is the canonical output, appended and flushed per document. CSV and HTML are rendered from it
at the end, so ``--resume`` works the same for every format.
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from spacy.util import minibatch
from tqdm import tqdm

from .annotator import AnnotateOptions, annotate_in_worker, start_worker
from .io import Document, ReadError, read_path, walk
from .text.jsonl import jsonl_line
from .writers import read_jsonl, write_csv, write_html

FORMATS = ("jsonl", "csv", "html")
SUFFIX_FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".html": "html", ".htm": "html"}
# side files written beside an output OUT: never read back as input
SIDE_SUFFIXES = (".records.jsonl", ".errors.jsonl", ".run.json")


@dataclass
class Summary:
    annotated: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)
    records_path: Path | None = None
    errors_path: Path | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)


def output_paths(out: Path, fmt: str) -> tuple[Path, Path]:
    """Where the canonical records and the error records go for an output ``out``."""
    records = out if fmt == "jsonl" else out.with_name(out.name + ".records.jsonl")
    return records, errors_path_for(out)


def errors_path_for(out: Path) -> Path:
    """``results.csv`` → ``results.csv.errors.jsonl``: one errors file per output, never shared."""
    return out.with_name(out.name + ".errors.jsonl")


def manifest_path_for(out: Path) -> Path:
    return out.with_name(out.name + ".run.json")


def output_format(out: Path, fmt: str | None) -> str:
    """The format asked for, or the one the output's suffix names; a mismatch is refused."""
    implied = SUFFIX_FORMATS.get(out.suffix.lower())
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    if fmt is None and implied is None:
        raise ValueError(f"Cannot tell the output format from {out.name!r}: name the output .jsonl, .csv or .html, "
                         "or give the format (fmt=..., `--format`).")
    if fmt is not None and implied is not None and fmt != implied:
        raise ValueError(f"The output {out.name!r} is named like {implied} but the format asked for is {fmt}; "
                         f"name the output .{fmt} or drop the format.")
    return fmt or implied


def check_resume(out: Path, options: AnnotateOptions, fmt: str) -> None:
    """A resumed run continues the SAME run: the settings kept beside the output must match."""
    manifest = manifest_path_for(out)
    if not manifest.is_file():
        return
    earlier = json.loads(manifest.read_text(encoding="utf-8"))
    now = {**options.run_settings(), "format": fmt}
    changed = [k for k in now if earlier.get(k) != now[k]]
    if changed:
        what = "; ".join(f"{k}: {earlier.get(k)!r} then, {now[k]!r} now" for k in changed)
        raise ValueError(f"Cannot resume {out}: the run's settings changed ({what}). Resume with the same "
                         "settings, or start again with force=True (`--force`).")


def is_side_file(path: Path) -> bool:
    """An output of an earlier run (one with a run manifest beside it) or one of its side files."""
    name = path.name
    if (path.parent / (name + ".run.json")).is_file():
        return True
    return any(name.endswith(suffix) and (path.parent / (name[: -len(suffix)] + ".run.json")).is_file()
               for suffix in SIDE_SUFFIXES)


def annotate(
    paths: Sequence[str | Path],
    out: str | Path,
    fmt: str | None = None,
    options: AnnotateOptions | None = None,
    resume: bool = False,
    force: bool = False,
    progress: bool = True,
) -> Summary:
    """Annotate every document under ``paths`` and write ``out`` (format: ``fmt``, or the suffix's).

    Example:
        >>> summary = annotate(["samples/"], "out/demo.jsonl", options=AnnotateOptions(targets=["Alibaba"]))  # doctest: +SKIP
        >>> summary.annotated, summary.failed  # doctest: +SKIP
        (1, 0)
    """
    options = options or AnnotateOptions()
    out = Path(out)
    fmt = output_format(out, fmt)
    if resume and force:
        raise ValueError("Resume continues an output and force replaces it: choose one.")
    records_path, errors_path = output_paths(out, fmt)
    manifest = manifest_path_for(out)
    if out.exists() and not (resume or force):
        raise FileExistsError(f"{out} exists. Pass resume=True (`--resume`) to continue it or force=True (`--force`) "
                              "to overwrite it.")
    if resume:
        check_resume(out, options, fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    done = _finished(records_path) if resume else set()
    errors_path.unlink(missing_ok=True)  # failed documents are retried, so their errors are written anew
    if not resume:
        for path in (records_path, out):
            path.unlink(missing_ok=True)
    started = (json.loads(manifest.read_text(encoding="utf-8")).get("run_at") if resume and manifest.is_file() else None)
    started = started or datetime.now(UTC).isoformat(timespec="seconds")  # a resumed run keeps its start
    manifest.write_text(json.dumps({**options.run_settings(), "format": fmt, "run_at": started}, indent=2) + "\n",
                        encoding="utf-8")
    summary = Summary(records_path=records_path, errors_path=errors_path)
    outputs = {records_path.resolve(), errors_path.resolve(), out.resolve(), manifest.resolve()}
    documents = _unique_ids(documents_of(paths, options, outputs))
    todo = (d for d in documents if not _is_done(d, done, summary))
    total = _count_documents(paths, outputs)
    errors = None  # opened at the first error: a clean run leaves no errors file
    with open(records_path, "a", encoding="utf-8") as sink:
        bar = tqdm(total=total, unit="doc", disable=not progress, desc="annotate")
        skipped_shown = 0
        for item in _annotated(todo, options):
            if "error" in item:
                errors = errors or open(errors_path, "a", encoding="utf-8")  # noqa: SIM115 - closed below
                errors.write(jsonl_line(item))
                errors.flush()
                summary.errors.append(item)
            else:
                sink.write(jsonl_line(item))
                sink.flush()
                summary.annotated += 1
                if note := (item.get("meta") or {}).get("encoding_warning"):
                    summary.warnings.append(f"{item.get('path')}: {note}")
            bar.update(1 + summary.skipped - skipped_shown)
            skipped_shown = summary.skipped
        bar.close()
    if errors:
        errors.close()
    if fmt == "csv":
        write_csv(read_jsonl(records_path), out)
    elif fmt == "html":
        write_html(records_path, out)  # the page `stance report` makes, failed documents and settings included
    return summary


def documents_of(paths, options: AnnotateOptions, outputs: set[Path]) -> Iterator[Document | ReadError]:
    """Every document (or read error) under ``paths``, in order; the run's own outputs and side files skipped."""
    for root in map(Path, paths):
        for item in walk([root], skip=list(outputs)):
            if isinstance(item, ReadError):
                yield item
            elif not (root.is_dir() and is_side_file(item)):
                yield from read_path(item, root if root.is_dir() else item.parent, options.fields)


def _unique_ids(items: Iterator[Document | ReadError]) -> Iterator[Document | ReadError]:
    """A second document with an id already used becomes an error record: ids key the output."""
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, Document):
            if item.id in seen:
                yield ReadError(item.path, f"duplicate id {item.id!r} (first used in {seen[item.id]}); "
                                           "give every document its own id (--id-field)", item.id)
                continue
            seen[item.id] = item.path
        yield item


def _count_documents(paths, outputs: set[Path]) -> int:
    """Documents to expect, for the progress bar's rate and time left (rows for JSONL/CSV)."""
    total = 0
    for item in walk(paths, skip=list(outputs)):
        if isinstance(item, Path) and is_side_file(item):
            continue
        if isinstance(item, Path) and item.suffix.lower() in (".jsonl", ".csv"):
            try:
                total += sum(1 for line in open(item, "rb") if line.strip()) - (item.suffix.lower() == ".csv")
            except OSError:
                total += 1
        else:
            total += 1
    return total


def _finished(records_path: Path) -> set[tuple[str, str]]:
    """(id, sha1) of complete records; a half-written last line is cut off so it is redone."""
    if not records_path.exists():
        return set()
    data = records_path.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]
    if len(complete) != len(data):
        records_path.write_bytes(complete)
    return {(r["id"], r["sha1"]) for r in read_jsonl(records_path)}


def _is_done(item: Document | ReadError, done: set, summary: Summary) -> bool:
    if isinstance(item, Document) and (item.id, item.sha1) in done:
        summary.skipped += 1
        return True
    return False


def _annotated(items: Iterator[Document | ReadError], options: AnnotateOptions) -> Iterator[dict]:
    """Records (or error dicts) in input order, from one process or a pool of workers."""
    batches = (list(batch) for batch in minibatch(items, options.batch_size))
    if options.workers <= 1:
        annotator = start_worker(options)
        for batch in batches:
            yield from annotator.annotate(batch)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(options.workers, initializer=start_worker, initargs=(options,)) as pool:
        for records in pool.imap(annotate_in_worker, batches):
            yield from records
